#!/usr/bin/env python3
"""HumanEval-X under `lintseq eval`: canonical solutions, mutant verdicts
against the toolchain run by hand, and throughput against a naive harness.

For each language (C++, Go, Java, JavaScript, Rust; problems from
../shared/datasets/humaneval-x/), the first ``--limit`` problems (all 164 by
default) give samples: the canonical solution and four mutants of it, drawn
with ``random.Random(0)``:

    delete_line     one random non-blank line of the solution deleted
    flip_operator   one ``==``/``!=``/``<``/``<=``/``>``/``>=``/``+``/``-`` flipped
    infinite_loop   an endless loop at the start of the body
    compile_error   an undeclared identifier at the start of the body

Two harnesses run every sample, 2 workers each, one after the other:

    naive     this script: assembles the program as HumanEval-X's harness
              does (restated here, independently of lintseq), and compiles
              and runs it in a fresh temporary directory with fresh
              processes (g++ -std=c++17 / javac + java / node / go test /
              rustc --test against the crates lintseq eval built,
              with a persistent Go build cache, as a user's machine has),
              no isolation; passed as the reference decides (exit 0; for
              JavaScript, no output at all)
    lintseq   lintseq eval --problems humaneval_<lang>.jsonl.gz -j 2
              --timeout T (the sandbox, compile steps included)

It prints, per language: canonical solutions passing (and those that do
not), verdict mismatches between the two (``passed``, and the kind of
failure: compile error, timeout, other), and both wall times with their
ratio (naive / lintseq). Exit status 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, log

DATASETS = REPO_ROOT.parent / "shared" / "datasets" / "humaneval-x"
OUT_DIR = DATA_DIR / "humaneval-x"
LANGUAGES = ["cpp", "go", "java", "js", "rust"]
WORKERS = 2
FLIPS = {"==": "!=", "!=": "==", "<=": "<", ">=": ">", "<": "<=", ">": ">=", "+": "-", "-": "+"}
FLIP_RE = re.compile(r"==|!=|<=|>=|(?<![<>-])<(?![<=])|(?<![->])>(?![>=])|(?<!\+)\+(?![+=])|(?<![-])-(?![-=>])")
CPP_INCLUDES = ["#include<stdlib.h>", "#include<algorithm>", "#include<math.h>", "#include<stdio.h>",
                "#include<vector>", "#include<string>", "#include<climits>", "#include<cstring>",
                "#include<iostream>"]
GO_PACKAGES = ["math", "strings", "fmt", "strconv", "time", "bytes", "regexp", "sort", "math/rand", "crypto/md5"]
LOOPS = {"cpp": "while (true) {}", "java": "while (true) {}", "js": "while (true) {}", "go": "for {}",
         "rust": "loop {}"}
UNDECLARED = {"cpp": "lintseq_undeclared;", "java": "lintseq_undeclared++;", "js": None,
              "go": "lintseq_undeclared++", "rust": "lintseq_undeclared;"}
# Where `lintseq eval` builds HumanEval-X's Rust crates (the naive harness
# compiles against the same ones).
RUST_DEPS = Path(os.environ.get("LINTSEQ_CACHE_DIR", Path.home() / ".cache" / "lintseq")) / "humaneval-x-rust"


def problems(lang: str, limit: int | None) -> list[dict]:
    with gzip.open(DATASETS / f"humaneval_{lang}.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


def mutants(lang: str, problem: dict, rng: random.Random) -> list[tuple[str, str]]:
    canonical = problem["canonical_solution"]
    out = [("canonical", canonical)]
    lines = canonical.split("\n")
    body = [i for i, line in enumerate(lines) if line.strip() and line.strip() not in ("}", "};")]
    if body:
        index = rng.choice(body)
        out.append(("delete_line", "\n".join(lines[:index] + lines[index + 1:])))
    flips = list(FLIP_RE.finditer(canonical))
    if flips:
        match = rng.choice(flips)
        out.append(("flip_operator", canonical[:match.start()] + FLIPS[match.group()] + canonical[match.end():]))
    out.append(("infinite_loop", "    " + LOOPS[lang] + "\n" + canonical))
    if UNDECLARED[lang]:
        out.append(("compile_error", "    " + UNDECLARED[lang] + "\n" + canonical))
    else:  # JavaScript does not compile: a syntax error instead
        out.append(("compile_error", "    let = ;\n" + canonical))
    return out


def assemble(lang: str, problem: dict, completion: str) -> str:
    prompt, test = problem["prompt"], problem["test"]
    if lang == "cpp":
        head = "".join(line + "\n" for line in CPP_INCLUDES if line not in prompt)
        return head + "\n" + prompt + completion + "\n" + test
    if lang == "go":
        setup = problem["test_setup"]
        used = [p for p in GO_PACKAGES if p not in setup and p.split("/")[-1] + "." in completion]
        block = ("import (\n" + "    ".join(f'"{p}"\n' for p in used) + ")\n") if used else ""
        return setup + "\n" + block + prompt.replace(problem["import"], "", 1) + completion + "\n" + test
    if lang == "rust":
        return "\nfn main(){ \n } \n" + problem["declaration"] + prompt + completion + test
    return prompt + completion + "\n" + test


def rust_externs() -> list[str]:
    deps = RUST_DEPS / "target" / "debug" / "deps"
    flags = ["-L", f"dependency={deps}"]
    for name in ("md5", "rand", "regex"):
        rlibs = sorted(deps.glob(f"lib{name}-*.rlib"), key=lambda p: p.stat().st_mtime)
        flags += ["--extern", f"{name}={rlibs[-1]}"]
    return flags


def naive_run(lang: str, task_id: str, source: str, timeout: float, go_cache: Path) -> str:
    """"passed", "compile_error", "timeout" or "failed", running the toolchain by hand."""
    work = Path(tempfile.mkdtemp(prefix="hx-naive-"))
    env = dict(os.environ, GO111MODULE="off", GOPATH="/usr/share/gocode", GOCACHE=str(go_cache), CGO_ENABLED="0")

    def call(argv: list[str], limit: float) -> subprocess.CompletedProcess | None:
        try:
            return subprocess.run(argv, cwd=work, env=env, capture_output=True, timeout=limit)
        except subprocess.TimeoutExpired:
            return None

    try:
        if lang == "cpp":
            (work / "test.cpp").write_text(source)
            extra = ["-lcrypto", "-lssl"] if task_id.endswith("/162") else []
            built = call(["g++", "-std=c++17", "test.cpp", "-o", "a.out", *extra], 60)
            if built is None:
                return "timeout"
            if built.returncode != 0:
                return "compile_error"
            ran = call(["./a.out"], timeout)
        elif lang == "java":
            (work / "Main.java").write_text(source)
            built = call(["javac", "Main.java"], 60)
            if built is None:
                return "timeout"
            if built.returncode != 0:
                return "compile_error"
            ran = call(["java", "-cp", ".", "Main"], timeout)
        elif lang == "rust":
            (work / "main.rs").write_text(source)
            built = call(["rustc", "--edition", "2021", "--test", "-o", "test", "main.rs", *rust_externs()], 60)
            if built is None:
                return "timeout"
            if built.returncode != 0:
                return "compile_error"
            ran = call(["./test"], timeout)
        elif lang == "js":
            (work / "test.js").write_text(source)
            ran = call(["node", "test.js"], timeout)
            if ran is None:
                return "timeout"
            if ran.stdout or ran.stderr:
                return "compile_error" if b"SyntaxError" in ran.stderr else "failed"
            return "passed"
        else:
            (work / "main_test.go").write_text(source)
            ran = call(["go", "test", f"-timeout={int(timeout)}s", "main_test.go"], timeout + 60)
            if ran is not None and ran.returncode != 0 and (b"[build failed]" in ran.stdout + ran.stderr
                                                            or b"[setup failed]" in ran.stdout + ran.stderr):
                return "compile_error"
            if ran is not None and b"panic: test timed out" in ran.stdout + ran.stderr:
                return "timeout"
        if ran is None:
            return "timeout"
        return "passed" if ran.returncode == 0 else "failed"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def lintseq_kind(row: dict) -> str:
    status = row["status"]
    if status in ("passed", "compile_error", "timeout"):
        return status
    if status == "failed" and row["task_id"].startswith("JavaScript/") and "SyntaxError" in row["result"]:
        return "compile_error"  # node reports syntax errors on stderr, as a failure
    return "failed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="use only the first N problems of each language")
    parser.add_argument("--languages", default=",".join(LANGUAGES), help="comma-separated (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=5.0, help="per-sample run timeout (default: %(default)s)")
    parser.add_argument("--lintseq", type=Path, default=REPO_ROOT / "target" / "release" / "lintseq")
    parser.add_argument("--copies", type=int, default=1,
                        help="run each sample this many times, as n samples per task would be (default: %(default)s)")
    parser.add_argument("--kinds", help="comma-separated sample kinds to keep (canonical, delete_line, flip_operator,"
                        " infinite_loop, compile_error; default: all); leaving out infinite_loop times the samples"
                        " that do not time out, whose cost a harness can change")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    go_cache = OUT_DIR / "go-cache"
    failed = False
    summary = {}
    for lang in args.languages.split(","):
        rng = random.Random(0)
        rows, kinds = [], []
        chosen = problems(lang, args.limit)
        for problem in chosen:
            for kind, completion in mutants(lang, problem, rng):
                if args.kinds and kind not in args.kinds.split(","):
                    continue
                for _ in range(args.copies):
                    rows.append({"task_id": problem["task_id"], "completion": completion, "kind": kind})
                    kinds.append((problem, completion))
        samples = OUT_DIR / f"{lang}.jsonl"
        samples.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        log(f"{lang}: {len(rows)} samples for {len(chosen)} problems")

        if lang == "go":  # the naive harness's cache is warm, as on a user's machine
            naive_run(lang, chosen[0]["task_id"], assemble(lang, chosen[0], chosen[0]["canonical_solution"]),
                      args.timeout, go_cache)
        start = time.monotonic()
        with ThreadPoolExecutor(WORKERS) as pool:
            naive = list(pool.map(lambda pc: naive_run(lang, pc[0]["task_id"], assemble(lang, pc[0], pc[1]),
                                                       args.timeout, go_cache), kinds))
        naive_wall = time.monotonic() - start

        results = OUT_DIR / f"{lang}.lintseq.jsonl"
        command = [str(args.lintseq), "eval", "--problems", str(DATASETS / f"humaneval_{lang}.jsonl.gz"),
                   "--samples", str(samples), "-o", str(results), "-j", str(WORKERS),
                   "--timeout", f"{args.timeout:g}", "--force"]
        start = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True)
        lintseq_wall = time.monotonic() - start
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        ours = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]

        canonical = [(r, o) for r, o in zip(rows, ours) if r["kind"] == "canonical"]
        canonical_failing = [o["task_id"] for _, o in canonical if not o["passed"]]
        mismatches = [(r, n, lintseq_kind(o), o["result"][:160])
                      for r, n, o in zip(rows, naive, ours) if n != lintseq_kind(o)]
        # Problems whose own tests cannot run outside the reference image
        # (missing packages) fail the same way under both: not mismatches.
        print(f"\n## {lang}: {len(rows)} samples")
        print(f"canonical solutions passing: {len(canonical) - len(canonical_failing)} of {len(canonical)}"
              + (f" (failing: {', '.join(canonical_failing)})" if canonical_failing else ""))
        by_kind: dict[str, list[int]] = {}
        for r, n, o in zip(rows, naive, ours):
            entry = by_kind.setdefault(r["kind"], [0, 0, 0])
            entry[0] += 1
            entry[1] += n == "passed"
            entry[2] += o["passed"]
        for kind, (count, naive_pass, ours_pass) in by_kind.items():
            print(f"  {kind:<15} {count:>5} samples, passed: naive {naive_pass:>4}, lintseq {ours_pass:>4}")
        print(f"verdict mismatches: {len(mismatches)}")
        for r, n, o, text in mismatches[:20]:
            print(f"  {r['task_id']} {r['kind']}: naive {n}, lintseq {o} ({text!r})")
        ratio = naive_wall / lintseq_wall if lintseq_wall else float("inf")
        print(f"wall: naive {naive_wall:.1f} s, lintseq {lintseq_wall:.1f} s (start-up included), "
              f"naive/lintseq {ratio:.2f}x")
        failed |= bool(mismatches)
        summary[lang] = {"samples": len(rows), "canonical_failing": canonical_failing,
                         "mismatches": len(mismatches), "naive_wall_s": naive_wall,
                         "lintseq_wall_s": lintseq_wall, "ratio": ratio}
    (OUT_DIR / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print("\nRESULT: " + ("verdict mismatches (see above)" if failed else "verdicts identical"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
