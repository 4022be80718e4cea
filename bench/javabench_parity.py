#!/usr/bin/env python3
"""`lintseq javabench` against JavaBench's published per-sample results.

JavaBench publishes model samples with the records its own Gradle harness
gave them (`single_class.json`, class-wise; `result-full.json`,
test-wise). This script runs `lintseq javabench` on the same samples and
compares every record (compiled or not, tests passed and run, has_todo,
can_replace) and the metrics at k = 1 computed as JavaBench's notebooks
compute them (first 5 records per key, partial credit, the estimator on a
real count).

JavaBench's data is not in this repository. Give a checkout of its public
repository with --javabench (commit 0551d7b was used; see
docs/javabench.md). The projects' third-party jars come from Debian:
libjetbrains-annotations-java for all four, libmockito-java (with its
byte-buddy and objenesis) for PA22. Gradle's per-test timeouts are
reproduced: PA21 and PA22 set 2000 ms, PA19 and PA20 none (60 s here).
Gradle gives each test task one minute on JavaBench's machine; a run here
gets --timeout (180 s by default), since a shared machine is slower and a
run cut short passes nothing.

    python3 bench/javabench_parity.py --javabench /path/to/JavaBench \\
        --runs holistic-selective:PA19:gpt-4o-2024-05-13 -j 2

Prints one line per run and a total; exits 1 if any record differs.

Compare records with the samples and the build they were made with. The
gpt-4o outputs (holistic-selective) were uploaded with the current build
files. The other models' outputs date from JavaBench's first commit: they
predate commit 0f440f6, which changed PA21's and PA22's Gradle builds (JDK
18 with --enable-preview before), and for PA19 its samples were replaced in
35345d3 while the result files were kept; compare those against a checkout
of 35345d3^ (`git worktree add DIR 35345d3^`).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JARS = "/usr/share/java"
ANNOTATIONS = [f"{JARS}/org.jetbrains.annotations-java8.jar"]
MOCKITO = [f"{JARS}/{j}.jar" for j in ("mockito-core", "byte-buddy", "byte-buddy-agent", "objenesis")]
PROJECTS = {
    # project: (extra jars, per-test timeout in seconds)
    "PA19": (ANNOTATIONS, 60),
    "PA20": (ANNOTATIONS, 60),
    "PA21": (ANNOTATIONS, 2),
    "PA22": (ANNOTATIONS + MOCKITO, 2),
}
DEFAULT_RUNS = [
    "holistic-selective:PA19:gpt-4o-2024-05-13",
    "holistic-selective:PA20:gpt-4o-2024-05-13",
    "holistic-selective:PA21:gpt-4o-2024-05-13",
    "holistic-selective:PA22:gpt-4o-2024-05-13",
    "holistic-selective:PA19:deepseek-coder-33b-instruct",
    "holistic-selective:PA22:deepseek-coder-33b-instruct",
]


def estimate(n, c, k):
    """numpy's `1 - prod(1 - k / arange(n - c + 1, n + 1))` for a real c."""
    if n - c < k:
        return 1.0
    start = n - c + 1
    product = 1.0
    for i in range(math.ceil((n + 1) - start)):
        product *= 1 - k / (start + i)
    return 1.0 - product


def first_n(records, key, n):
    grouped = defaultdict(list)
    for record in records:
        if len(grouped[record[key]]) < n:
            grouped[record[key]].append(record)
    return grouped


def reference_metrics(single, full, n=5, k=1):
    """JavaBench's paper_plot/visual_table.py, restated."""
    ok = lambda r: r["can_replace"] and not r["has_todo"]
    classes = first_n(single, "task_id", n)
    tests = first_n([r for rs in full.values() for r in rs], "test_id", n)

    def mean(groups, count):
        values = [estimate(n, count(rs), k) for rs in groups.values()]
        return sum(values) / len(values) if values else 0.0

    ratio = lambda p: p[0] / p[1] if p[1] else 0.0
    return {
        "completion": mean(classes, lambda rs: sum(ok(r) for r in rs)),
        "compilation_class": mean(classes, lambda rs: sum(ok(r) and r["compile_errors"] == 0 for r in rs)),
        "pass_class": mean(classes, lambda rs: sum(ratio(r["test_result"]) for r in rs if ok(r) and r["compile_errors"] == 0)),
        "compilation_test": mean(tests, lambda rs: sum(ok(r) and r["compilable"] for r in rs)),
        "pass_test": mean(tests, lambda rs: sum(ratio(r["n_pass"]) for r in rs if ok(r) and r["compilable"])),
    }


def counts_by(rows, key):
    counts = defaultdict(int)
    for row in rows:
        counts[row[key]] += 1
    return dict(counts)


def run_one(args, spec):
    method, project, model = spec.split(":")
    base = os.path.join(args.javabench, "output", method, f"result-{project}", model)
    samples_path = os.path.join(base, "samples.jsonl")
    with open(samples_path) as f:
        samples = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(base, "single_class.json")) as f:
        single = json.load(f)
    with open(os.path.join(base, "result-full.json")) as f:
        full = json.load(f)
    if counts_by(samples, "task_id") != counts_by(single, "task_id"):
        return {"spec": spec, "skipped": "samples.jsonl and single_class.json differ in samples per task (JavaBench's results came from another samples file)"}
    project_path = os.path.join(base, "project_wise.json")
    project_wise = None
    if os.path.exists(project_path):
        with open(project_path) as f:
            project_wise = json.load(f)
    jars, test_timeout = PROJECTS[project]
    out = tempfile.mkdtemp(prefix=f"javabench-{project}-")
    command = [
        args.lintseq, "javabench", "--root", args.javabench, "--project", project,
        "--samples", samples_path, "-o", out, "--force", "-j", str(args.workers),
        "--test-timeout", str(test_timeout), "--timeout", str(args.timeout),
        "--classpath", ":".join(jars),
        "--mode", "all" if project_wise is not None else "both",
    ]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        return {"spec": spec, "error": done.stderr[-2000:]}
    with open(os.path.join(out, "single_class.json")) as f:
        ours_single = json.load(f)
    with open(os.path.join(out, "result-full.json")) as f:
        ours_full = json.load(f)
    with open(os.path.join(out, "summary.json")) as f:
        summary = json.load(f)

    differences = []
    for i, (ref, got) in enumerate(zip(single, ours_single)):
        a = dict(ref, compile_errors=ref["compile_errors"] == 0)
        b = dict(got, compile_errors=got["compile_errors"] == 0)
        if a != b:
            differences.append(f"class-wise sample {i} ({ref['task_id']}): JavaBench {ref} lintseq {got}")
    class_total = len(single)
    if len(single) != len(ours_single):
        differences.append(f"class-wise: {len(single)} records against {len(ours_single)}")
    test_total = 0
    if list(full) != list(ours_full):
        differences.append(f"test-wise: test ids differ: {list(full)} against {list(ours_full)}")
    for test_id, records in full.items():
        mine = ours_full.get(test_id, [])
        test_total += len(records)
        for k, ref in enumerate(records):
            got = mine[k] if k < len(mine) else None
            if ref != got:
                differences.append(f"test-wise {test_id} k={k}: JavaBench {ref} lintseq {got}")
    project_total = 0
    if project_wise is not None:
        with open(os.path.join(out, "project_wise.json")) as f:
            ours_project = json.load(f)
        project_total = len(project_wise)
        for k, ref in enumerate(project_wise):
            got = ours_project[k] if k < len(ours_project) else None
            a = dict(ref, compile_error=ref["compile_error"] == 0)
            b = dict(got, compile_error=got["compile_error"] == 0) if got else None
            if a != b:
                differences.append(f"project-wise k={k}: JavaBench {ref} lintseq {got}")
    reference = reference_metrics(single, full)
    ours = reference_metrics(ours_single, ours_full)
    lintseq_metrics = {name: summary["metrics"][name]["1"] for name in reference} if summary["metrics"]["n"] == 5 else None
    return {
        "spec": spec,
        "seconds": seconds,
        "runs": summary["runs"],
        "units": summary["units"],
        "class_records": class_total,
        "test_records": test_total + project_total,
        "differences": differences,
        "reference_at_1": reference,
        "ours_at_1": ours,
        "lintseq_summary_at_1": lintseq_metrics,
        "output": out,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--javabench", required=True, help="a checkout of JavaBench's repository")
    parser.add_argument("--lintseq", default=os.path.join(ROOT, "target/release/lintseq"))
    parser.add_argument("--runs", default=",".join(DEFAULT_RUNS), help="method-context:PROJECT:model, comma-separated")
    parser.add_argument("-j", "--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=180, help="seconds per test run (Gradle gives its test task one minute, on JavaBench's machine; a shared machine needs more)")
    parser.add_argument("--json", help="write every result here")
    args = parser.parse_args()
    results = []
    failed = False
    for spec in args.runs.split(","):
        result = run_one(args, spec)
        results.append(result)
        if "skipped" in result:
            print(f"{spec}: skipped: {result['skipped']}", flush=True)
            continue
        if "error" in result:
            failed = True
            print(f"{spec}: lintseq failed:\n{result['error']}", flush=True)
            continue
        diffs = result["differences"]
        failed |= bool(diffs)
        ref, ours = result["reference_at_1"], result["ours_at_1"]
        print(
            f"{spec}: {result['class_records'] + result['test_records'] - len(diffs)}/"
            f"{result['class_records'] + result['test_records']} records equal "
            f"({result['class_records']} class-wise, {result['test_records']} test-wise and project-wise), "
            f"{result['units']} units in {result['runs']} runs, {result['seconds']:.1f} s; "
            + ", ".join(f"{m}@1 {ref[m]:.4f}/{ours[m]:.4f}" for m in ref),
            flush=True,
        )
        for line in diffs[:20]:
            print("    " + line)
        summary = result["lintseq_summary_at_1"]
        if summary and any(abs(summary[m] - ours[m]) > 1e-9 for m in ours):
            failed = True
            print(f"    lintseq's summary metrics {summary} differ from the notebooks' formulas {ours}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    compared = [r for r in results if "differences" in r]
    print(
        f"total: {sum(r['class_records'] + r['test_records'] for r in compared)} records compared, "
        f"{sum(len(r['differences']) for r in compared)} differ, in {len(compared)} runs "
        f"({sum(r['seconds'] for r in compared):.0f} s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
