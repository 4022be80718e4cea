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

``--paths-only`` measures lintseq alone, per edit path, and skips pylintseq,
the two-thread throughput and the memory figure. Each corpus is repeated to
at least ``--paths`` rows and run with ``-s 1 -j 1``:

* with ``--compare BINARY`` (for example a build of ``main``), that binary
  and ours are timed ``--runs`` times each, alternately, and the medians of
  their CPU seconds per path and the ratio are reported;
* the *floor* is the cost of linting every state the paths emit exactly
  once: the states are replayed from our output and checked with ``lintseq
  lint --jsonl`` (each against its original, as ``generate`` checks them),
  timed ``--runs`` times (and with the ``--compare`` binary too, when it has
  ``lint --jsonl``), each time right after that binary's generate run; the
  ratio reported is the median of the runs' ratios, so that a change in the
  machine's load between runs does not skew it (on this shared machine one
  run's ratio still ranges over +-15% of the median). Both processes read
  and write JSONL and learn each original once. generate lints each state at
  least once, and again whenever a deletion breaks the program and has to be
  extended (on HumanEval 10.3 lints per path for 5.8 emitted states: 48% of
  the lints are of programs with a syntax error, mostly a docstring's prose
  read as code once a quote line is deleted, which is then deleted one line
  per lint, as pylintseq does), and also renders diffs, so its cost over the
  floor is what the search and the output add.

    python3 bench/speed.py --paths-only --compare /path/to/main/lintseq
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

from benchlib import (DATA_DIR, REPO_ROOT, VENV_DIR, ensure_venv, extract_code, log, prepare_input, read_jsonl, run_timed,
                      write_jsonl)

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


def generate_command(binary: Path, input_path: Path, output: Path) -> list[str]:
    return [str(binary), "generate", str(input_path), "-o", str(output), "--force",
            "-s", "1", "--seed", "1", "-j", "1"]


def paths_only(args: argparse.Namespace) -> dict:
    """CPU per path of ours (and of ``--compare``), and the floor of linting each emitted state once."""
    from fidelity import replay  # pure helpers; fidelity.py needs nothing else here

    results: dict = {"corpora": {}, "paths_only": True}
    with tempfile.TemporaryDirectory(prefix="lintseq-speed-") as tmp:
        tmp_dir = Path(tmp)
        for corpus in args.corpora:
            rows = list(read_jsonl(corpus))
            name = corpus.name.split(".")[0]
            repeat = max(1, -(-args.paths // len(rows)))
            repeated = tmp_dir / f"{name}-x{repeat}.jsonl"
            write_jsonl(repeated, rows * repeat)
            paths = len(rows) * repeat
            ours_out, other_out = tmp_dir / "ours.jsonl", tmp_dir / "other.jsonl"
            log(f"{name}: {paths} paths, {args.runs} runs" + (f", alternating with {args.compare}" if args.compare else ""))
            # One untimed run makes the paths whose states the floor lints
            # (generate's output is the same on every run).
            subprocess.run(generate_command(LINTSEQ, repeated, ours_out), check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            states = tmp_dir / "states.jsonl"
            count = 0
            with open(states, "w", encoding="utf-8") as handle:
                for row in read_jsonl(ours_out):
                    program = extract_code(row["source_response"]).strip()
                    for state in replay(row["edit_path"], program).states:
                        handle.write(json.dumps({"program": state, "original": program}) + "\n")
                        count += 1
            floor_command = {"ours": [str(LINTSEQ), "lint", "--jsonl", str(states)]}
            if args.compare:
                floor_command["other"] = [str(args.compare), "lint", "--jsonl", str(states)]
            cpus: dict[str, list[float]] = {"ours": [], "other": []}
            floors: dict[str, list[float]] = {"ours": [], "other": []}
            for run in range(args.runs):
                # Alternate the order so that drift in the machine's load hits
                # both binaries; each binary's generate and floor run back to
                # back, so that their ratio is taken under the same load.
                order = [("ours", LINTSEQ, ours_out), ("other", args.compare, other_out)]
                if run % 2:
                    order.reverse()
                for which, binary, out in order:
                    if binary is None:
                        continue
                    cpus[which].append(cpu_of(generate_command(binary, repeated, out))[0])
                    floors[which].append(cpu_of_allowing(floor_command[which], (0, 1))[0])
            ours_cpus, other_cpus = cpus["ours"], cpus["other"]
            entry = {"paths": paths, "lintseq_cpu_s_per_path": statistics.median(ours_cpus) / paths,
                     "lintseq_cpu_runs_s": ours_cpus}
            if other_cpus:
                entry["compare_binary"] = str(args.compare)
                entry["compare_cpu_s_per_path"] = statistics.median(other_cpus) / paths
                entry["compare_cpu_runs_s"] = other_cpus
                entry["lintseq_over_compare"] = entry["lintseq_cpu_s_per_path"] / entry["compare_cpu_s_per_path"]
            entry["states_linted"] = count
            entry["floor_cpu_s_per_path"] = statistics.median(floors["ours"]) / paths
            entry["floor_cpu_runs_s"] = floors["ours"]
            # The median of each run's ratio: generate and its floor ran under
            # the same load.
            entry["lintseq_over_floor"] = statistics.median(g / f for g, f in zip(ours_cpus, floors["ours"]))
            if floors["other"]:
                # The other binary's own floor, on our states (its paths may differ slightly).
                entry["compare_floor_cpu_s_per_path"] = statistics.median(floors["other"]) / paths
                entry["compare_over_its_floor"] = statistics.median(
                    g / f for g, f in zip(other_cpus, floors["other"]))
            results["corpora"][name] = entry

    print()
    print(f"{'corpus':<12} {'paths':>7} {'lintseq s/path':>15} {'compare s/path':>15} {'ratio':>7} "
          f"{'floor s/path':>13} {'over floor':>11} {'compare over its floor':>23}")
    for name, r in results["corpora"].items():
        compare = f"{r['compare_cpu_s_per_path']:>15.7f} {r['lintseq_over_compare']:>7.3f}" if "compare_cpu_s_per_path" in r \
            else f"{'-':>15} {'-':>7}"
        theirs = f"{r['compare_over_its_floor']:>23.3f}" if "compare_over_its_floor" in r else f"{'-':>23}"
        print(f"{name:<12} {r['paths']:>7} {r['lintseq_cpu_s_per_path']:>15.7f} {compare} "
              f"{r['floor_cpu_s_per_path']:>13.7f} {r['lintseq_over_floor']:>11.3f} {theirs}")
    return results


def cpu_of_allowing(command: list[str], codes: tuple[int, ...]) -> tuple[float, float]:
    """Like cpu_of, for commands whose exit status may be any of ``codes``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in codes:
        raise SystemExit(f"{command[0]} exited with {result.returncode}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


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
    parser.add_argument("--paths-only", action="store_true",
                        help="only lintseq's CPU per path, against --compare and the floor (see above)")
    parser.add_argument("--paths", type=int, default=20_000,
                        help="with --paths-only: paths per corpus at least (default: %(default)s)")
    parser.add_argument("--compare", type=Path, help="with --paths-only: another lintseq binary to time side by side")
    args = parser.parse_args()

    if not LINTSEQ.exists():
        print(f"{LINTSEQ} is missing: run `cargo build --release` first", file=sys.stderr)
        return 1
    if args.paths_only:
        results = paths_only(args)
        out = DATA_DIR / "speed-paths.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"saved {out}")
        return 0
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
