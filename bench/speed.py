#!/usr/bin/env python3
"""Side-by-side speed of lintseq and pylintseq 0.0.2, one thread each.

For each corpus (HumanEval, and functions cut from the standard library; see
corpus.py), pylintseq runs on its first ``--reference-rows`` programs with one
worker (``-c 1``) and one path per program, and lintseq runs on the same
programs, repeated ``--repeat`` times so its run is long enough to time, with
``-j 1`` and one path per program. Each tool's CPU time (user + system, of the
process and its children) is divided by the number of programs it processed;
the ratio of the two is the speed-up. lintseq is timed ``--runs`` times and
the median is reported, because the machine is shared and noisy.

It also reports lintseq's throughput with two threads (programs per second,
wall time, median of ``--runs``) and its peak resident memory on a
``--big-rows``-row input (default 100,000, built by cycling both corpora).

    python3 bench/corpus.py            # once
    cargo build --release
    python3 bench/speed.py

Results are printed and saved to target/bench-data/speed.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, VENV_DIR, ensure_venv, log, prepare_input, read_jsonl, run_timed, write_jsonl

LINTSEQ = REPO_ROOT / "target" / "release" / "lintseq"


def cpu_of(command: list[str]) -> tuple[float, float]:
    """Run a command; return (CPU seconds of it and its children, wall seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def peak_rss_mib(command: list[str]) -> float:
    """Peak RSS of a command, measured in a fresh Python process whose only child it is."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    output = subprocess.run([sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True)
    return int(output.stdout.strip()) / 1024


def lintseq(input_path: Path, output: Path, threads: int) -> list[str]:
    return [str(LINTSEQ), "generate", str(input_path), "-o", str(output), "--force",
            "-s", "1", "--seed", "1", "-j", str(threads)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", nargs="+", type=Path,
                        default=[DATA_DIR / "humaneval.jsonl", DATA_DIR / "stdlib.jsonl"])
    parser.add_argument("--reference-rows", type=int, default=60,
                        help="programs per corpus pylintseq processes (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=200,
                        help="times lintseq processes each of those programs (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="lintseq timing runs; the median counts")
    parser.add_argument("--big-rows", type=int, default=100_000, help="rows of the peak-memory input")
    parser.add_argument("--venv", type=Path, default=VENV_DIR)
    args = parser.parse_args()

    if not LINTSEQ.exists():
        print(f"{LINTSEQ} is missing: run `cargo build --release` first", file=sys.stderr)
        return 1
    pylintseq = ensure_venv(args.venv).parent / "pylintseq"
    results: dict = {"corpora": {}}
    with tempfile.TemporaryDirectory(prefix="lintseq-speed-") as tmp:
        tmp_dir = Path(tmp)
        for corpus in args.corpora:
            name, subset, programs = prepare_input(corpus, args.reference_rows, tmp_dir / "inputs")
            log(f"{name}: pylintseq on {programs} programs, one worker")
            out_dir = tmp_dir / f"ref-{name}"
            out_dir.mkdir()
            reference = run_timed([str(pylintseq), "-p", subset.name, "-d", str(out_dir), "-c", "1", "-s", "1",
                                   "--seed", "1"], subset.parent, tmp_dir / f"{name}.log")
            if reference["returncode"] != 0:
                print(f"pylintseq failed on {name}", file=sys.stderr)
                return 1
            ref_cpu = reference["cpu_s"] / programs

            rows = list(read_jsonl(subset))
            repeated = tmp_dir / f"{name}-x{args.repeat}.jsonl"
            write_jsonl(repeated, rows * args.repeat)
            log(f"{name}: lintseq on {programs} x {args.repeat} programs, -j 1, {args.runs} runs")
            cpus = [cpu_of(lintseq(repeated, tmp_dir / "out.jsonl", 1))[0] for _ in range(args.runs)]
            ours_cpu = statistics.median(cpus) / (programs * args.repeat)
            results["corpora"][name] = {
                "programs": programs,
                "pylintseq_cpu_s_per_program": ref_cpu,
                "lintseq_cpu_s_per_program": ours_cpu,
                "lintseq_cpu_runs_s": cpus,
                "speedup": ref_cpu / ours_cpu,
            }

            full = list(read_jsonl(corpus))
            big = tmp_dir / f"{name}-two-threads.jsonl"
            write_jsonl(big, full * max(1, 20_000 // len(full)))
            rows_big = len(full) * max(1, 20_000 // len(full))
            walls = [cpu_of(lintseq(big, tmp_dir / "out2.jsonl", 2))[1] for _ in range(args.runs)]
            results["corpora"][name]["lintseq_two_threads_programs_per_s"] = rows_big / statistics.median(walls)

        log(f"peak memory on {args.big_rows} rows, -j 2")
        pool = [row for corpus in args.corpora for row in read_jsonl(corpus)]
        big = tmp_dir / "big.jsonl"
        write_jsonl(big, (pool[i % len(pool)] for i in range(args.big_rows)))
        results["peak_rss_mib"] = peak_rss_mib(lintseq(big, tmp_dir / "big-out.jsonl", 2))
        results["big_rows"] = args.big_rows

    print()
    print(f"{'corpus':<12} {'pylintseq s/prog':>18} {'lintseq s/prog':>16} {'speed-up':>10} {'lintseq -j2 prog/s':>20}")
    for name, r in results["corpora"].items():
        print(f"{name:<12} {r['pylintseq_cpu_s_per_program']:>18.4f} {r['lintseq_cpu_s_per_program']:>16.6f} "
              f"{r['speedup']:>9.0f}x {r['lintseq_two_threads_programs_per_s']:>20.0f}")
    print(f"peak RSS of lintseq generate on {results['big_rows']} rows (-j 2): {results['peak_rss_mib']:.1f} MiB")
    out = DATA_DIR / "speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
