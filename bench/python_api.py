#!/usr/bin/env python3
"""The Python package against the `lintseq` command, side by side in one run.

Four measurements (``--only`` picks some; each job runs in its own process
under ``/usr/bin/time``, so CPU time is user + system of the whole process,
interpreter start-up included):

overhead
    CPU time of the same rows (the stdlib corpus, repeated ``--copies``
    times) through ``lintseq generate -j 1``, ``lintseq.generate(...,
    threads=1)``, and a Python loop that reads the JSONL, calls
    ``lintseq.batch_edit_paths(..., threads=1)`` on batches of 1000 rows and
    writes JSONL (the CPU time spent inside the ``batch_edit_paths`` calls
    is reported too). Medians of ``--repeat`` interleaved runs; the overhead
    is median API CPU / median CLI CPU - 1. Outputs are checked equal.
datasets
    ``datasets.Dataset.map(lintseq.batch_edit_paths, batched=True,
    with_indices=True, num_proc=2)`` over ``--datasets-rows`` rows: rows per
    second of the map call, and peak RSS (the largest process, and the sum
    over the process tree, sampled every 0.1 s); beside ``lintseq generate
    -j 2`` on the same rows.
ray
    ``lintseq.ray.generate`` on a local ``ray.init(num_cpus=2)`` over
    ``--ray-rows`` rows against ``lintseq generate -j 2``: rows per second,
    with and without Ray's start-up. Outputs are checked equal.
rss
    Peak RSS of ``lintseq generate IN.parquet -o OUT.parquet -j 2`` on
    ``--rss-rows`` rows (the example rows repeated).

The package must be installed in ``--venv`` (``scripts/test`` builds it
there; or ``pip install .`` into any venv). Results go to
``target/bench-data/python_api/summary.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import DATA_DIR, log  # noqa: E402

OUT_DIR = DATA_DIR / "python_api"


def timed(command: list[str], env: dict | None = None) -> dict:
    """Runs `command` under /usr/bin/time: wall, CPU (user + sys) and peak
    RSS of the largest process in its tree."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M"] + command,
            capture_output=True,
            text=True,
            env=env,
        )
        if done.returncode != 0:
            raise SystemExit(f"{command} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        wall, user, system, rss = report.read().split()[-4:]
    return {
        "wall": float(wall),
        "cpu": float(user) + float(system),
        "max_rss_mb": int(rss) / 1024,
        "stdout": done.stdout,
    }


def python_job(venv_python: Path, code: str, *args: str) -> list[str]:
    return [str(venv_python), "-c", textwrap.dedent(code)] + list(args)


def repeated_corpus(source: Path, copies: int, path: Path) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(copies):
            f.writelines(lines)
    return path


def rows_to(source: Path, rows: int, path: Path) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(rows):
            f.write(lines[i % len(lines)])
    return path


def normalised_jsonl(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return [json.dumps(json.loads(line), sort_keys=True) for line in f]


BATCH_LOOP = """
import json, sys, time
import lintseq
source, out = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8") as f:
    rows = [json.loads(line) for line in f]
in_calls = 0.0
with open(out, "w", encoding="utf-8") as f:
    for start in range(0, len(rows), 1000):
        chunk = rows[start:start + 1000]
        batch = {"instruction": [r["instruction"] for r in chunk], "response": [r["response"] for r in chunk]}
        before = time.process_time()
        columns = lintseq.batch_edit_paths(batch, list(range(start, start + len(chunk))), threads=1, source_file=source)
        in_calls += time.process_time() - before
        names = list(columns)
        for values in zip(*columns.values()):
            row = dict(zip(names, values))
            if not row.pop("skip_reason"):
                f.write(json.dumps(row, ensure_ascii=False) + "\\n")
print(in_calls)
"""

GENERATE = """
import sys, lintseq
lintseq.generate(sys.argv[1], sys.argv[2], threads=1, force=True)
"""


def overhead(args, lintseq_bin: Path, venv_python: Path, work: Path) -> dict:
    corpus = repeated_corpus(args.corpus, args.copies, work / "overhead.jsonl")
    rows = sum(1 for _ in open(corpus, encoding="utf-8"))
    runs: dict[str, list[dict]] = {"cli": [], "api_generate": [], "api_batch": [], "import_only": []}
    for r in range(args.repeat):
        log(f"overhead run {r + 1}/{args.repeat} on {rows} rows")
        runs["cli"].append(timed([str(lintseq_bin), "generate", str(corpus), "-o", str(work / "cli.jsonl"), "-j", "1", "--force"]))
        runs["api_generate"].append(timed(python_job(venv_python, GENERATE, str(corpus), str(work / "gen.jsonl"))))
        runs["api_batch"].append(timed(python_job(venv_python, BATCH_LOOP, str(corpus), str(work / "batch.jsonl"))))
        runs["import_only"].append(timed(python_job(venv_python, "import lintseq")))
    assert (work / "gen.jsonl").read_bytes() == (work / "cli.jsonl").read_bytes(), "generate differs from the CLI"
    assert normalised_jsonl(work / "batch.jsonl") == normalised_jsonl(work / "cli.jsonl"), "batch rows differ from the CLI"
    cpu = {name: statistics.median(run["cpu"] for run in job) for name, job in runs.items()}
    in_loop = statistics.median(float(run["stdout"].split()[-1]) for run in runs["api_batch"])
    return {
        "rows": rows,
        "repeat": args.repeat,
        "median_cpu_seconds": cpu,
        "all_cpu_seconds": {name: [run["cpu"] for run in job] for name, job in runs.items()},
        "batch_calls_cpu_seconds": in_loop,
        "overhead_batch_calls": in_loop / cpu["cli"] - 1,
        "overhead_generate": cpu["api_generate"] / cpu["cli"] - 1,
        "overhead_batch": cpu["api_batch"] / cpu["cli"] - 1,
        "outputs_equal": True,
    }


DATASETS_MAP = """
import json, os, sys, threading, time
import datasets, lintseq
datasets.disable_progress_bars()
source = sys.argv[1]
ds = datasets.Dataset.from_json(source, cache_dir=sys.argv[2])
peak = [0]
def tree_rss(pid):
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    total += tree_rss(int(child))
    except OSError:
        pass
    return total
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], tree_rss(os.getpid()))
        time.sleep(0.1)
threading.Thread(target=sample, daemon=True).start()
started = time.perf_counter()
mapped = ds.map(lintseq.batch_edit_paths, batched=True, with_indices=True, num_proc=2,
                batch_size=1000, fn_kwargs={"threads": 1}, load_from_cache_file=False)
elapsed = time.perf_counter() - started
done.set()
print(json.dumps({"rows": len(ds), "out_rows": len(mapped), "map_seconds": elapsed,
                  "peak_tree_rss_mb": peak[0] / 1024,
                  "skipped": sum(bool(r) for r in mapped["skip_reason"])}))
"""


def datasets_map(args, lintseq_bin: Path, venv_python: Path, work: Path) -> dict:
    corpus = rows_to(args.corpus, args.datasets_rows, work / "datasets.jsonl")
    results = []
    for r in range(args.datasets_repeat):
        log(f"datasets.map num_proc=2 run {r + 1}/{args.datasets_repeat} on {args.datasets_rows} rows")
        cache = work / f"hf-cache-{r}"
        run = timed(python_job(venv_python, DATASETS_MAP, str(corpus), str(cache)))
        report = json.loads(run["stdout"].strip().splitlines()[-1])
        report.update(rows_per_second=report["rows"] / report["map_seconds"], process_max_rss_mb=run["max_rss_mb"], process_cpu=run["cpu"], process_wall=run["wall"])
        results.append(report)
        log(f"  cli -j 2 on the same rows")
        cli = timed([str(lintseq_bin), "generate", str(corpus), "-o", str(work / "datasets-cli.jsonl"), "-j", "2", "--force"])
        report["cli_j2_wall"] = cli["wall"]
        report["cli_j2_rows_per_second"] = args.datasets_rows / cli["wall"]
        report["cli_j2_max_rss_mb"] = cli["max_rss_mb"]
    return {
        "runs": results,
        "median_rows_per_second": statistics.median(r["rows_per_second"] for r in results),
        "median_cli_j2_rows_per_second": statistics.median(r["cli_j2_rows_per_second"] for r in results),
    }


RAY_JOB = """
import json, sys, time
t0 = time.perf_counter()
import ray
ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
import lintseq.ray
t1 = time.perf_counter()
lintseq.ray.generate(sys.argv[1], sys.argv[2], batch_size=int(sys.argv[3]))
t2 = time.perf_counter()
ray.shutdown()
print(json.dumps({"init_seconds": t1 - t0, "generate_seconds": t2 - t1}))
"""


def ray_job(args, lintseq_bin: Path, venv_python: Path, work: Path) -> dict:
    corpus = rows_to(args.corpus, args.ray_rows, work / "ray.jsonl")
    runs = []
    for r in range(args.repeat):
        log(f"ray run {r + 1}/{args.repeat} on {args.ray_rows} rows")
        cli = timed([str(lintseq_bin), "generate", str(corpus), "-o", str(work / "ray-cli.parquet"), "-j", "2", "--force"])
        out = work / "ray-out"
        subprocess.run(["rm", "-rf", str(out)], check=True)
        run = timed(python_job(venv_python, RAY_JOB, str(corpus), str(out), str(args.ray_batch_size)))
        report = json.loads(run["stdout"].strip().splitlines()[-1])
        report.update(cli_wall=cli["wall"], cli_cpu=cli["cpu"], process_wall=run["wall"], process_cpu=run["cpu"])
        runs.append(report)
    check = subprocess.run(
        [str(venv_python), "-c", textwrap.dedent("""
            import sys, json, pyarrow.parquet as pq
            a = pq.read_table(sys.argv[1]).to_pylist()
            b = sorted(pq.ParquetDataset(sys.argv[2]).read().to_pylist(), key=lambda r: r["index"])
            print(json.dumps(a == b))
        """), str(work / "ray-cli.parquet"), str(work / "ray-out")],
        capture_output=True, text=True, check=True,
    )
    equal = json.loads(check.stdout)
    assert equal, "Ray's rows differ from the CLI's"
    cli_wall = statistics.median(r["cli_wall"] for r in runs)
    gen = statistics.median(r["generate_seconds"] for r in runs)
    total = statistics.median(r["process_wall"] for r in runs)
    return {
        "rows": args.ray_rows,
        "runs": runs,
        "cli_j2_rows_per_second": args.ray_rows / cli_wall,
        "ray_rows_per_second_generate_call": args.ray_rows / gen,
        "ray_rows_per_second_whole_process": args.ray_rows / total,
        "overhead_generate_call": gen / cli_wall - 1,
        "overhead_whole_process": total / cli_wall - 1,
        "outputs_equal": equal,
    }


def rss(args, lintseq_bin: Path, venv_python: Path, work: Path) -> dict:
    source = work / "rss.parquet"
    subprocess.run(
        [str(venv_python), "-c", textwrap.dedent("""
            import sys, json, pyarrow as pa, pyarrow.parquet as pq
            rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
            n = int(sys.argv[3])
            table = pa.table({"instruction": [rows[i % len(rows)]["instruction"] for i in range(n)],
                              "response": [rows[i % len(rows)]["response"] for i in range(n)]})
            pq.write_table(table, sys.argv[2], row_group_size=100_000)
        """), str(args.rss_corpus), str(source), str(args.rss_rows)],
        check=True,
    )
    log(f"rss: lintseq generate on {args.rss_rows} Parquet rows")
    run = timed([str(lintseq_bin), "generate", str(source), "-o", str(work / "rss-out.parquet"), "-j", "2", "--force"])
    return {
        "rows": args.rss_rows,
        "input_mb": source.stat().st_size / 2**20,
        "output_mb": (work / "rss-out.parquet").stat().st_size / 2**20,
        "max_rss_mb": run["max_rss_mb"],
        "wall": run["wall"],
        "cpu": run["cpu"],
        "rows_per_second": args.rss_rows / run["wall"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=REPO / "target" / "py-venv", help="venv with lintseq installed (default: %(default)s)")
    parser.add_argument("--corpus", type=Path, default=DATA_DIR / "stdlib.jsonl", help="JSONL rows (default: %(default)s, from bench/corpus.py)")
    parser.add_argument("--only", action="append", choices=["overhead", "datasets", "ray", "rss"], help="run only these (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the overhead and Ray jobs (default: %(default)s)")
    parser.add_argument("--copies", type=int, default=20, help="copies of the corpus for the overhead job (default: %(default)s)")
    parser.add_argument("--datasets-rows", type=int, default=100_000)
    parser.add_argument("--datasets-repeat", type=int, default=1)
    parser.add_argument("--ray-rows", type=int, default=20_000)
    parser.add_argument("--ray-batch-size", type=int, default=500)
    parser.add_argument("--rss-rows", type=int, default=1_000_000)
    parser.add_argument("--rss-corpus", type=Path, default=REPO / "examples" / "instruct.jsonl")
    args = parser.parse_args()

    venv_python = args.venv / "bin" / "python"
    lintseq_bin = args.venv / "bin" / "lintseq"
    if not lintseq_bin.exists():
        raise SystemExit(f"{lintseq_bin} not found: build the package first (scripts/test --python-only, or pip install .)")
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} not found: run python3 bench/corpus.py --only stdlib")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    only = args.only or ["overhead", "datasets", "ray", "rss"]
    summary_path = OUT_DIR / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    jobs = {"overhead": overhead, "datasets": datasets_map, "ray": ray_job, "rss": rss}
    with tempfile.TemporaryDirectory(dir=OUT_DIR) as work:
        for name in only:
            started = time.perf_counter()
            summary[name] = jobs[name](args, lintseq_bin, venv_python, Path(work))
            summary[name]["bench_seconds"] = time.perf_counter() - started
            summary_path.write_text(json.dumps(summary, indent=2) + "\n")
            print(json.dumps({name: {k: v for k, v in summary[name].items() if k not in ("runs", "all_cpu_seconds")}}, indent=2))
    log(f"wrote {summary_path}")


if __name__ == "__main__":
    main()
