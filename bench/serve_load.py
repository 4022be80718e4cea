#!/usr/bin/env python3
"""Load on `lintseq serve`, side by side with `lintseq eval` on the same samples.

1. `lintseq eval --problems HumanEval.jsonl.gz --samples S -j W`, where S
   is fast.jsonl repeated `--eval-copies` (6) times so that it runs about
   as long as the load: its samples per second over the scoring run (the
   summary's `wall_seconds`, which leaves out start-up).
2. `lintseq serve -j W --problems HumanEval.jsonl.gz` on loopback, then
   `--clients` (64) threads, each sending `POST /v1/evaluate` with
   `--batch` (1) samples of fast.jsonl at a time, cycling, for `--seconds`
   (60). Reported: samples per second sustained, latency p50/p99 of the
   requests, HTTP errors, and whether every sample sent came back exactly
   once (each carries a unique `uid`, which the result row echoes).
   Requests answered 429 are retried after `Retry-After` and counted.
3. Overload: `--overload-clients` (512) threads for `--overload-seconds`
   (20); every request must get an answer (its results or a 429) within
   the deadline the server gives it (its `--queue-timeout` plus the
   programs' timeouts), and none may fail at the socket.

Steps 1 and 2 alternate `--repeat` (3) times, and the medians are
compared. The server and the clients share the machine: on 2 cores the clients'
own CPU (Python threads parsing JSON) is taken from the workers.
Results go to stdout and target/bench-data/serve-load.json.

    python3 bench/serve_load.py            # needs target/release/lintseq and bench/eval_bench.py's data
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT

LINTSEQ = REPO_ROOT / "target" / "release" / "lintseq"
EVAL_DIR = DATA_DIR / "eval"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def eval_throughput(problems: Path, samples: Path, workers: int, timeout: float, copies: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        repeated = Path(tmp) / "samples.jsonl"
        repeated.write_text(samples.read_text() * copies)
        samples = repeated
        out = Path(tmp) / "results.jsonl"
        started = time.monotonic()
        subprocess.run([str(LINTSEQ), "eval", "--problems", str(problems), "--samples", str(samples),
                        "-j", str(workers), "--timeout", str(timeout), "-o", str(out), "--force"],
                       check=True, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - started
        summary = json.loads((Path(tmp) / "results.summary.json").read_text())
        rows = sum(1 for _ in out.open())
    scoring = summary.get("wall_seconds") or summary.get("run", {}).get("wall_seconds")
    return {"samples": rows, "wall_seconds": wall, "scoring_seconds": scoring,
            "samples_per_second": rows / scoring if scoring else rows / wall}


class Server:
    def __init__(self, problems: Path, workers: int, timeout: float, queue: int | None):
        self.port = free_port()
        command = [str(LINTSEQ), "serve", "--listen", f"127.0.0.1:{self.port}", "-j", str(workers),
                   "--problems", str(problems), "--eval-timeout", str(timeout)]
        if queue:
            command += ["--queue", str(queue)]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = request(self.port, "GET", "/healthz", None, 5)
                if status == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                sys.exit(f"lintseq serve did not start: {self.process.stderr.read()}")
            time.sleep(0.2)

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=120)


def request(port: int, method: str, path: str, body: bytes | None, timeout: float,
            connection: http.client.HTTPConnection | None = None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        reply = connection.getresponse()
        data = reply.read()
        return reply.status, dict(reply.getheaders()), data
    finally:
        if own:
            connection.close()


class Connection:
    """A lean keep-alive HTTP/1.1 client for one thread: the load generator
    shares the machine with the server, so it spends as little CPU as it
    can (no header objects, no JSON parsing of the results: a result row's
    `uid` is read with a regular expression)."""

    def __init__(self, port: int, timeout: float):
        self.port = port
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buffer = b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.buffer = b""

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("the server closed the connection")
            self.buffer += data
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _read_exactly(self, count: int) -> bytes:
        while len(self.buffer) < count:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("the server closed the connection")
            self.buffer += data
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def post(self, path: str, body: bytes) -> tuple[int, float, bytes]:
        """(status, Retry-After or 0, body)."""
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        self.sock.sendall(b"POST %s HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                          b"Content-Length: %d\r\n\r\n%s" % (path.encode(), len(body), body))
        head = self._read_until(b"\r\n\r\n").decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        retry_after = 0.0
        length = None
        chunked = False
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "retry-after":
                retry_after = float(value)
        if chunked:
            parts = []
            while True:
                size = int(self._read_until(b"\r\n").split(b";")[0], 16)
                if size == 0:
                    self._read_until(b"\r\n")
                    break
                parts.append(self._read_exactly(size))
                self._read_exactly(2)
            data = b"".join(parts)
        else:
            data = self._read_exactly(length or 0)
        if "connection: close" in head:
            self.close()
        return status, retry_after, data


UID = re.compile(rb'"uid":(\d+)')


class Load:
    """Counters shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []
        self.sent: set[int] = set()
        self.received: dict[int, int] = {}
        self.samples_done = 0
        self.late = 0

    def record(self, status: int, latency: float):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(latency)


def client(port: int, samples: list[dict], start: int, step: int, batch: int, stop_at: float,
           load: Load, uids: "iter", deadline: float, retry: bool):
    connection = Connection(port, deadline + 30)
    # Each sample's JSON once, with a slot for its uid.
    encoded = [json.dumps(sample)[:-1] + ', "uid": ' for sample in samples]
    position = start
    while time.monotonic() < stop_at:
        with load.lock:
            batch_uids = [next(uids) for _ in range(batch)]
            load.sent.update(batch_uids)
        items = []
        for uid in batch_uids:
            items.append('{"sample": ' + encoded[position % len(encoded)] + str(uid) + "}}")
            position += step
        body = ('{"items": [' + ", ".join(items) + "]}").encode()
        while True:
            started = time.monotonic()
            try:
                status, retry_after, data = connection.post("/v1/evaluate", body)
            except (OSError, ValueError) as error:
                with load.lock:
                    load.errors.append(repr(error))
                connection.close()
                status, data = None, b""
            latency = time.monotonic() - started
            if status is not None:
                load.record(status, latency)
                if latency > deadline:
                    with load.lock:
                        load.late += 1
            if status == 429:
                if not retry or time.monotonic() >= stop_at:
                    with load.lock:
                        load.sent.difference_update(batch_uids)
                    break
                time.sleep(retry_after or 1.0)
                continue
            if status == 200:
                seen = [int(uid) for uid in UID.findall(data)]
                with load.lock:
                    for uid in seen:
                        load.received[uid] = load.received.get(uid, 0) + 1
                    load.samples_done += len(seen)
            elif status is not None:
                with load.lock:
                    load.errors.append(f"HTTP {status}: {data[:200]!r}")
            break
    connection.close()


def run_load(port: int, samples: list[dict], clients: int, seconds: float, batch: int, deadline: float,
             retry: bool) -> dict:
    load = Load()
    counter = iter(range(10**12))
    cpu_started = time.process_time()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [threading.Thread(target=client, args=(port, samples, i, clients, batch, stop_at, load, counter,
                                                     deadline, retry), daemon=True)
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    client_cpu = time.process_time() - cpu_started
    lost = [uid for uid in load.sent if uid not in load.received]
    duplicated = [uid for uid, n in load.received.items() if n > 1]
    latencies = sorted(load.latencies)
    ok = [lat for lat in latencies]

    def quantile(q: float) -> float | None:
        if not ok:
            return None
        return ok[min(len(ok) - 1, int(q * len(ok)))]

    return {
        "clients": clients, "batch": batch, "seconds": elapsed,
        "samples_done": load.samples_done, "samples_per_second": load.samples_done / elapsed,
        "requests_by_status": {str(k): v for k, v in sorted(load.statuses.items())},
        "latency_p50_s": quantile(0.5), "latency_p99_s": quantile(0.99),
        "latency_max_s": latencies[-1] if latencies else None,
        "answered_after_deadline": load.late, "errors": len(load.errors), "error_examples": load.errors[:5],
        "lost": len(lost), "duplicated": len(duplicated),
        "client_cpu_share_of_one_core": client_cpu / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", "-j", type=int, default=2)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--batch", type=int, default=1, help="samples per request (default: %(default)s)")
    parser.add_argument("--overload-clients", type=int, default=512)
    parser.add_argument("--overload-seconds", type=float, default=20)
    parser.add_argument("--timeout", type=float, default=3.0, help="per-sample timeout, both tools")
    parser.add_argument("--queue-timeout", type=float, default=60.0,
                        help="the server's --queue-timeout, part of each request's deadline")
    parser.add_argument("--skip-eval", action="store_true", help="leave out the lintseq eval baseline")
    parser.add_argument("--eval-copies", type=int, default=6, help="times fast.jsonl is repeated for eval")
    parser.add_argument("--repeat", type=int, default=3, help="alternating eval and load runs (default: %(default)s)")
    args = parser.parse_args()

    problems = EVAL_DIR / "HumanEval.jsonl.gz"
    samples_path = EVAL_DIR / "fast.jsonl"
    if not problems.exists() or not samples_path.exists():
        sys.exit("run `python3 bench/eval_bench.py --only throughput` first (it writes target/bench-data/eval/)")
    samples = [json.loads(line) for line in samples_path.open()]
    report: dict = {"samples_file": str(samples_path), "workers": args.workers}

    # A request's deadline: the queue wait plus its program's timeout, and slack.
    deadline = args.queue_timeout + args.timeout + 12
    server = Server(problems, args.workers, args.timeout, None)
    try:
        run_load(server.port, samples, 4, 3, 1, deadline, True)  # warm the workers
        report["eval_runs"], report["load_runs"] = [], []
        for _ in range(args.repeat):
            if not args.skip_eval:
                run = eval_throughput(problems, samples_path, args.workers, args.timeout, args.eval_copies)
                report["eval_runs"].append(run)
                print(f"lintseq eval -j {args.workers}: {run['samples']} samples, "
                      f"{run['samples_per_second']:.1f} samples/s (scoring run)", flush=True)
            load = run_load(server.port, samples, args.clients, args.seconds, args.batch, deadline, True)
            report["load_runs"].append(load)
            print(f"serve, {args.clients} clients x {args.seconds:.0f} s, batch {args.batch}: "
                  f"{load['samples_per_second']:.1f} samples/s, p50 {load['latency_p50_s']:.3f} s, "
                  f"p99 {load['latency_p99_s']:.3f} s, statuses {load['requests_by_status']}, "
                  f"errors {load['errors']}, lost {load['lost']}, duplicated {load['duplicated']}; "
                  f"the clients used {100 * load['client_cpu_share_of_one_core']:.0f}% of a core", flush=True)
        serve_rate = statistics.median(run["samples_per_second"] for run in report["load_runs"])
        report["serve_samples_per_second_median"] = serve_rate
        if report["eval_runs"]:
            eval_rate = statistics.median(run["samples_per_second"] for run in report["eval_runs"])
            report["eval_samples_per_second_median"] = eval_rate
            report["serve_over_eval"] = serve_rate / eval_rate
            print(f"medians: serve {serve_rate:.1f}, eval {eval_rate:.1f} samples/s; "
                  f"serve / eval {serve_rate / eval_rate:.3f} (bar 0.90)", flush=True)
        report["overload"] = run_load(server.port, samples, args.overload_clients, args.overload_seconds, 1,
                                      deadline, False)
        over = report["overload"]
        print(f"overload, {args.overload_clients} clients x {args.overload_seconds:.0f} s: "
              f"statuses {over['requests_by_status']}, max latency {over['latency_max_s']:.3f} s "
              f"(deadline {deadline:.0f} s), answered late {over['answered_after_deadline']}, "
              f"socket errors {over['errors']}, lost {over['lost']}, duplicated {over['duplicated']}", flush=True)
    finally:
        report["server_exit"] = server.stop()
    out = DATA_DIR / "serve-load.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
