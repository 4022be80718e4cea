#!/usr/bin/env python3
"""Build the JavaBench-style datasets of the handmade PA01 project.

Writes
  datasets/selective-context/data-PA01.jsonl  (one row per task, from the skeleton tree)
  datasets/testcase/test-PA01.jsonl           (one row per test class with task deps, from jdeps)

The test dataset follows JavaBench's app/make_test_dataset.py semantics (see docs/javabench.md 1.2):
the Solution is compiled into .../main and .../test directories, `jdeps -R -v -cp main test` gives the
class graph (only edges whose target archive is "main" or "test" are kept), and for each test class:
  * reach   = all classes reachable from it (task, non-task and test classes alike);
  * parents = simple names of test classes whose reach is a strict subset of this test's reach
              (a test with no task deps, e.g. SearchableTest, can be a parent without having a row);
  * full_deps / incremental_deps = reach / reach minus the parents' reach, restricted to task classes
    (exact fully qualified name match with a task target);
  * rows with empty full_deps are dropped; rows are sorted by (len(reach), test name), which is a
    topological order of the strict-subset relation.
Lists are sorted alphabetically (JavaBench's order is arbitrary, it comes from a Python set).

Usage: python3 examples/javabench/make_datasets.py   (needs javac and jdeps on PATH)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PA = "PA01"
SKELETON = os.path.join(HERE, "projects", PA, "src", "main", "java")
SOLUTION = os.path.join(HERE, "projects", PA + "-Solution")
JUNIT_CP = ":".join(
    "/usr/share/java/" + j for j in ("junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar")
)

# Task targets (relative to src/main/java), in dataset order.
TASKS = [
    "library/model/Item.java",
    "library/model/Book.java",
    "library/model/Dvd.java",
    "library/model/Magazine.java",
    "library/model/Member.java",
    "library/service/Loan.java",
    "library/service/Catalog.java",
    "library/service/Library.java",
]


def write_jsonl(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fp:
        for row in rows:
            fp.write((json.dumps(row) + "\n").encode("utf-8"))


def task_rows():
    rows = []
    for target in TASKS:
        with open(os.path.join(SKELETON, target), encoding="utf-8") as fp:
            code = fp.read()
        rows.append({
            "task_id": f"{PA}/{os.path.basename(target)}",
            "target": target,
            "code": "```java\n" + code + "\n```\n",
            "code_context": "",
        })
    return rows


def java_files(root):
    out = []
    for dirpath, _, files in os.walk(root):
        out += [os.path.join(dirpath, f) for f in files if f.endswith(".java")]
    return sorted(out)


def jdeps_edges(main_dir, test_dir, recursive):
    cmd = ["jdeps", "-v", "-cp", main_dir, test_dir]
    if recursive:
        cmd.insert(1, "-R")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    edges = []
    for line in out.splitlines():
        cols = line.split()
        # "   a.B   ->   c.D   main"; the 4th column is the archive (directory) name.
        if len(cols) == 4 and cols[1] == "->" and cols[3] in ("main", "test"):
            edges.append((cols[0], cols[2]))
    return edges


def test_rows():
    task_fqns = {t[: -len(".java")].replace("/", ".") for t in TASKS}
    with tempfile.TemporaryDirectory() as tmp:
        main_dir = os.path.join(tmp, "main")
        test_dir = os.path.join(tmp, "test")
        subprocess.run(["javac", "-d", main_dir] + java_files(os.path.join(SOLUTION, "src/main/java")), check=True)
        subprocess.run(["javac", "-d", test_dir, "-cp", main_dir + ":" + JUNIT_CP]
                       + java_files(os.path.join(SOLUTION, "src/test/java")), check=True)
        tests = sorted({a for a, _ in jdeps_edges(main_dir, test_dir, recursive=False)})
        graph = {}
        for a, b in jdeps_edges(main_dir, test_dir, recursive=True):
            graph.setdefault(a, set()).add(b)
    tests = [t for t in tests if t.endswith("Test") or t.endswith("Tests")]

    def reach(start):
        seen, stack = set(), [start]
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        seen.discard(start)
        return seen

    dep = {t: reach(t) for t in tests}
    rows = []
    for t in sorted(tests, key=lambda t: (len(dep[t]), t)):
        parents = sorted((p for p in tests if p != t and dep[p] < dep[t]), key=lambda p: p.rsplit(".", 1)[-1])
        inc = set(dep[t])
        for p in parents:
            inc -= dep[p]
        full = sorted(d for d in dep[t] if d in task_fqns and d not in tests)
        if not full:
            continue
        rows.append({
            "test_id": f"{PA}/{t.rsplit('.', 1)[-1]}",
            "target": t,
            "parents": [p.rsplit(".", 1)[-1] for p in parents],
            "full_deps": full,
            "incremental_deps": sorted(d for d in inc if d in task_fqns and d not in tests),
        })
    return rows


def main():
    write_jsonl(os.path.join(HERE, "datasets", "selective-context", f"data-{PA}.jsonl"), task_rows())
    write_jsonl(os.path.join(HERE, "datasets", "testcase", f"test-{PA}.jsonl"), test_rows())
    return 0


if __name__ == "__main__":
    sys.exit(main())
