#!/usr/bin/env python3
"""VerilogEval v2 under `lintseq eval`: failure classes against the
reference harness's own analysis, and throughput against its Makefile.

Samples. From the problems of a dataset folder (``--dataset``, default
../shared/datasets/verilog-eval/dataset_spec-to-rtl; the problem list is its
``problems.txt``, as the reference's configure reads it), each problem gives
its reference solution (``_ref.sv`` with ``module RefModule`` renamed
``module TopModule``) and ``--mutants`` (default 9, so 156 x 10 = 1,560
samples) hand-made mutants of it, their kinds drawn with
``random.Random(0)`` among those that apply to the design:

    delete_line         one random code line deleted
    flip_operator       one ``&``/``|``, ``&&``/``||``, ``+``/``-``,
                        ``==``/``!=`` flipped, or a ``~`` removed
    edge_flip           one ``posedge`` <-> ``negedge``
    missing_semicolon   the ``;`` ending one line removed (S)
    sized_constant      a literal replaced by ``0'b0`` (0)
    wire_output         ``output reg``/``output logic`` -> ``output wire`` (w)
    unknown_module      an instance of an undefined module (m)
    no_sensitivity      ``always @(*) begin end``, ``always_comb begin end``
                        or an ``always_comb`` of a constant (n)
    async_reset         ``always @(posedge clk)`` -> ``always @(posedge clk,
                        posedge reset)`` in a design with a ``reset`` (r)
    infinite_loop       ``initial while (1) begin end``: a zero-delay loop
                        (T; an ``always`` without delay is refused at
                        compile time by -Winfloop, see next)
    no_delay_always     ``always begin end`` (C: "always process does not
                        have any delay")
    clock_binding       the ``clk`` port renamed ``clock``, or an
                        ``always @(posedge clk)`` in a design without one (c)
    undeclared          a wire driven by an undeclared name (p)
    explicit_cast       an enum variable assigned an integer (e)
    unsupported         an ``inside`` expression: iverilog 11 says "sorry"
                        and fails without the word "error"
    stop                a flipped-operator (else deleted-line) mutant with
                        ``initial $stop;``
    noisy_output        40,000 ``$display`` lines (about 2.3 MB) at time 0

(the letter is the class the mutant usually lands in; the analysis decides).
Samples are written to ``samples.jsonl`` as ``{"task_id", "solution",
"kind", "sample"}`` rows.

Verdicts (``--only verdicts``). The reference side is VerilogEval's flow run
by hand, as its Makefile lays it out: a build directory with
``ProbNNN_x/ProbNNN_x_sampleNN.sv``, an empty
``ProbNNN_x_sampleNN-sv-generate.log`` and ``ProbNNN_x_sampleNN-sv-iv-test.log``,
which gets (stdout and stderr merged, the Makefile's ``&>``) the output of
``iverilog -Wall -Winfloop -Wno-timescale -g2012 -s tb -o BIN SAMPLE TEST
REF`` and then that of ``timeout T ./BIN`` (run whether or not the compile
succeeded, from the build directory, stdin from /dev/null) and ``TIMEOUT``
when ``timeout`` returned 124; ``--workers`` samples at a time. Then the
reference's own ``scripts/sv-iv-analyze --csv=summary.csv PROBLEMS...``
runs in the build directory (with a stub ``langchain.schema`` on
PYTHONPATH: the script imports two classes it never uses) and its table and
CSV give one letter per sample. The lintseq side is ``lintseq eval
--problems DATASET --samples samples.jsonl -o results.jsonl -j WORKERS
--timeout T -k 1``; a sample's letter is ``.`` when ``passed``, else the
letter of its ``failure_class``. It prints the letters' counts for both,
per mutant kind the reference's letters, the reference solutions that do
not pass, and every sample whose letters differ (task, sample, kind, both
letters, the first lines of both logs).

Throughput (``--only speed``). The reference's Makefile flow itself, in a
build directory made by its ``configure --with-task=spec-to-rtl
--with-model=manual-rtl-coder --with-samples=1 --with-dataset=DATASET
--with-problems=LIST``, then: ``samples.mk`` rewritten with each problem's
own sample count (configure writes one count for all), the sample files and
empty generate logs placed (written after the dataset's prompts, so make
sees them up to date and does not call sv-generate), and, when ``--timeout``
is not 30, ``timeout 30`` in the generated Makefile replaced by ``timeout
T``. It runs as ``make -jWORKERS SHELL=/bin/bash`` (the recipes use bash's
``&>``, ``&>>``, ``[[`` and ``PIPESTATUS``; under /bin/sh, which is dash
here, ``&>`` backgrounds the compile and the logs come out empty), the
default target ``all``, which is ``sv-iv-test`` and then ``sv-iv-analyze``
(stub on PYTHONPATH, stdin /dev/null). Its time includes make's start-up
and its recursive ``--dry-run`` that counts steps, one Python start-up of
``echo-progress`` per sample, iverilog and the simulation per sample, and
the analysis at the end (timed alone once and printed too). lintseq's time
is the whole ``lintseq eval`` process (release build by default): start-up,
loading the dataset, the sandbox, iverilog and ``vvp`` per sample,
classification, summary and plot. The speed set is the verdict set without
its ``infinite_loop`` mutants (each would add the full timeout to both
sides); samples of other kinds that hang (the analysis counts them as T) are
kept and counted in the output. A third side is the floor: ``iverilog``
and ``vvp`` run bare per sample from a thread pool of the same size (no make,
shell, progress script, analysis, sandbox or log), which no harness that
runs the simulator can beat. The three run in turn, ``--repeat`` times each
(the order rotated every round), with the same worker count, after the
build directory's logs and binaries are removed; it prints the median wall
times, samples per second and the ratios reference / lintseq, reference /
bare and lintseq / bare, and checks the Makefile's letters against
lintseq's too.

Exit status 1 on any letter mismatch (either part).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, log

DATASET = REPO_ROOT.parent / "shared" / "datasets" / "verilog-eval" / "dataset_spec-to-rtl"
OUT_DIR = DATA_DIR / "verilog-eval"
IVERILOG = ["iverilog", "-Wall", "-Winfloop", "-Wno-timescale", "-g2012", "-s", "tb"]
# lintseq's failure_class -> sv-iv-analyze's letter.
LETTERS = {
    "syntax_error": "S", "explicit_cast": "e", "sized_constant": "0", "missing_sensitivity": "n",
    "wire_assigned_in_always": "w", "unknown_module": "m", "bad_wire_reg_binding": "p",
    "clock_binding": "c", "other_compile_error": "C", "timeout": "T", "reset_behaviour": "r",
    "runtime_mismatch": "R",
}
CLASS_OF = {letter: name for name, letter in LETTERS.items()}
CLASS_OF["."] = "passed"
LETTER_ORDER = ".Se0nwmpcCTrR"
SPEED_EXCLUDED = {"infinite_loop"}
STUB_SCHEMA = "class SystemMessage:\n    pass\n\n\nclass HumanMessage:\n    pass\n"

# ---------------------------------------------------------------------------
# Mutants
# ---------------------------------------------------------------------------

COMMENT_RE = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
# Operators, longest first; only those in FLIPS are candidates (the others are
# matched so that their characters are not taken one by one).
OPERATOR_RE = re.compile(r"===|!==|~&|~\||~\^|\^~|==|!=|&&|\|\||<=|>=|\+\+|--|\+:|-:|->|[&|+\-~]")
FLIPS = {"==": "!=", "!=": "==", "&&": "||", "||": "&&", "&": "|", "|": "&", "+": "-", "-": "+", "~": ""}
LITERAL_RE = re.compile(r"\b\d+\s*'[sS]?[bBdDhHoO][0-9a-fA-FxXzZ_?]+")
SYNC_ALWAYS_RE = re.compile(r"always\s*@\s*\(\s*posedge\s+clk\s*\)")
CLK_PORT_RE = re.compile(r"\binput\s+(?:wire\s+|logic\s+)?(clk)\b")
OUTPUT_REG_RE = re.compile(r"\boutput\s+(reg|logic)\b")


def comment_spans(src: str) -> list[tuple[int, int]]:
    return [m.span() for m in COMMENT_RE.finditer(src)]


def in_code(spans: list[tuple[int, int]], pos: int) -> bool:
    return not any(a <= pos < b for a, b in spans)


def code_matches(pattern: re.Pattern, src: str) -> list[re.Match]:
    spans = comment_spans(src)
    return [m for m in pattern.finditer(src) if in_code(spans, m.start())]


def insert_in_top(src: str, text: str) -> str:
    """``text`` as lines just before the ``endmodule`` of ``TopModule``."""
    start = src.find("module TopModule")
    end = src.find("endmodule", start if start >= 0 else 0)
    if end < 0:
        return src + "\n" + text + "\n"
    return src[:end] + text + "\n" + src[end:]


def code_lines(src: str) -> list[int]:
    out = []
    for i, line in enumerate(src.split("\n")):
        s = line.strip()
        if s and not s.startswith(("//", "module ", "endmodule", "`timescale", "`default_nettype")):
            out.append(i)
    return out


def m_delete_line(src: str, rng: random.Random) -> str | None:
    candidates = code_lines(src)
    if not candidates:
        return None
    lines = src.split("\n")
    index = rng.choice(candidates)
    return "\n".join(lines[:index] + lines[index + 1:])


def m_flip_operator(src: str, rng: random.Random) -> str | None:
    found = [m for m in code_matches(OPERATOR_RE, src) if m.group() in FLIPS]
    if not found:
        return None
    m = rng.choice(found)
    return src[:m.start()] + FLIPS[m.group()] + src[m.end():]


def m_edge_flip(src: str, rng: random.Random) -> str | None:
    found = code_matches(re.compile(r"\b(posedge|negedge)\b"), src)
    if not found:
        return None
    m = rng.choice(found)
    other = "negedge" if m.group() == "posedge" else "posedge"
    return src[:m.start()] + other + src[m.end():]


def m_missing_semicolon(src: str, rng: random.Random) -> str | None:
    lines = src.split("\n")
    candidates = [i for i in code_lines(src) if COMMENT_RE.sub("", lines[i]).rstrip().endswith(";")]
    if not candidates:
        return None
    index = rng.choice(candidates)
    code = COMMENT_RE.sub("", lines[index]).rstrip()
    cut = lines[index].find(code) + len(code) - 1
    lines[index] = lines[index][:cut] + lines[index][cut + 1:]
    return "\n".join(lines)


def m_sized_constant(src: str, rng: random.Random) -> str | None:
    found = code_matches(LITERAL_RE, src)
    if not found:
        return insert_in_top(src, "  wire lintseq_zero = 0'b0;")
    m = rng.choice(found)
    return src[:m.start()] + "0'b0" + src[m.end():]


def m_wire_output(src: str, rng: random.Random) -> str | None:
    found = code_matches(OUTPUT_REG_RE, src)
    if not found:
        return None
    m = rng.choice(found)
    return src[:m.start()] + "output wire" + src[m.end():]


def m_unknown_module(src: str, rng: random.Random) -> str:
    return insert_in_top(src, "  lintseq_unknown lintseq_u0 ();")


NO_SENSITIVITY = [
    "  always @(*) begin end",
    "  always_comb begin end",
    "  logic lintseq_n;\n  always_comb lintseq_n = 1'b0;",
]


def m_no_sensitivity(src: str, rng: random.Random) -> str:
    return insert_in_top(src, rng.choice(NO_SENSITIVITY))


def m_async_reset(src: str, rng: random.Random) -> str | None:
    found = code_matches(SYNC_ALWAYS_RE, src)
    if not found or not re.search(r"\binput\b[^;]*?\breset\b", COMMENT_RE.sub("", src), re.S):
        return None
    m = rng.choice(found)
    return src[:m.start()] + "always @(posedge clk, posedge reset)" + src[m.end():]


def m_infinite_loop(src: str, rng: random.Random) -> str:
    return insert_in_top(src, "  initial while (1) begin end")


def m_no_delay_always(src: str, rng: random.Random) -> str:
    return insert_in_top(src, "  always begin end")


def m_clock_binding(src: str, rng: random.Random) -> str:
    found = code_matches(CLK_PORT_RE, src)
    if found:
        m = found[0]
        return src[:m.start(1)] + "clock" + src[m.end(1):]
    return insert_in_top(src, "  always @(posedge clk) begin end")


def m_undeclared(src: str, rng: random.Random) -> str:
    return insert_in_top(src, "  wire lintseq_w = lintseq_undeclared;")


def m_explicit_cast(src: str, rng: random.Random) -> str:
    return insert_in_top(src, "  typedef enum logic {LINTSEQ_A, LINTSEQ_B} lintseq_e;\n"
                              "  lintseq_e lintseq_v;\n  initial lintseq_v = 1;")


def m_unsupported(src: str, rng: random.Random) -> str:
    return insert_in_top(src, "  wire lintseq_in = 1'b1 inside {1'b0, 1'b1};")


def m_stop(src: str, rng: random.Random) -> str | None:
    wrong = m_flip_operator(src, rng) or m_delete_line(src, rng)
    return insert_in_top(wrong, "  initial $stop;") if wrong else None


def m_noisy_output(src: str, rng: random.Random) -> str:
    return insert_in_top(src, '  initial repeat (40000) $display("lintseq: debugging output from the design");')


MUTATORS = {
    "delete_line": m_delete_line,
    "flip_operator": m_flip_operator,
    "edge_flip": m_edge_flip,
    "missing_semicolon": m_missing_semicolon,
    "sized_constant": m_sized_constant,
    "wire_output": m_wire_output,
    "unknown_module": m_unknown_module,
    "no_sensitivity": m_no_sensitivity,
    "async_reset": m_async_reset,
    "infinite_loop": m_infinite_loop,
    "no_delay_always": m_no_delay_always,
    "clock_binding": m_clock_binding,
    "undeclared": m_undeclared,
    "explicit_cast": m_explicit_cast,
    "unsupported": m_unsupported,
    "stop": m_stop,
    "noisy_output": m_noisy_output,
}
# Kinds that give a different text each time, to fill up a problem whose
# design few kinds apply to.
REPEATABLE = ["delete_line", "flip_operator", "missing_semicolon", "edge_flip"]


def mutants(src: str, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` (kind, text) mutants of ``src``, distinct where possible."""
    kinds = list(MUTATORS)
    rng.shuffle(kinds)
    out: list[tuple[str, str]] = []
    seen = {src}
    for kind in kinds:
        if len(out) == count:
            break
        text = MUTATORS[kind](src, rng)
        if text is not None and text not in seen:
            out.append((kind, text))
            seen.add(text)
    tries = 0
    while len(out) < count and tries < 200:
        tries += 1
        kind = rng.choice(REPEATABLE)
        text = MUTATORS[kind](src, rng)
        if text is not None and (text not in seen or tries > 100):
            out.append((kind, text))
            seen.add(text)
    while len(out) < count:  # a design nothing applies to: repeat the reference
        out.append(("reference", src))
    return out


def problem_names(dataset: Path, limit: int | None) -> list[str]:
    names = [line.strip() for line in (dataset / "problems.txt").read_text().splitlines() if line.strip()]
    return names[:limit] if limit else names


def build_samples(dataset: Path, names: list[str], count: int) -> list[dict]:
    rng = random.Random(0)
    rows = []
    for name in names:
        ref = (dataset / f"{name}_ref.sv").read_text(encoding="utf-8")
        top = ref.replace("module RefModule", "module TopModule")
        variants = [("reference", top)] + mutants(top, count, rng)
        for number, (kind, text) in enumerate(variants, 1):
            rows.append({"task_id": name, "solution": text, "kind": kind, "sample": number})
    return rows


# ---------------------------------------------------------------------------
# The reference harness
# ---------------------------------------------------------------------------

def stem(row: dict) -> str:
    """ProbNNN_x/ProbNNN_x_sampleNN, as the Makefile names a sample."""
    return f"{row['task_id']}/{row['task_id']}_sample{row['sample']:02d}"


def write_build_samples(build: Path, rows: list[dict]) -> None:
    for row in rows:
        path = build / (stem(row) + ".sv")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(row["solution"], encoding="utf-8")
        (build / (stem(row) + "-sv-generate.log")).write_text("")


def by_hand(build: Path, dataset: Path, rows: list[dict], timeout: float, workers: int) -> None:
    """The Makefile's sv-iv-test recipe for every sample, ``workers`` at a time."""
    write_build_samples(build, rows)

    def one(row: dict) -> None:
        s = stem(row)
        log_path = build / (s + "-sv-iv-test.log")
        argv = IVERILOG + ["-o", s, s + ".sv", str(dataset / f"{row['task_id']}_test.sv"),
                           str(dataset / f"{row['task_id']}_ref.sv")]
        with open(log_path, "wb") as out:
            subprocess.run(argv, cwd=build, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        with open(log_path, "ab") as out:
            try:
                code = subprocess.run(["timeout", f"{timeout:g}", "./" + s], cwd=build,
                                      stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                      timeout=timeout + 120).returncode
            except subprocess.TimeoutExpired:  # vvp ignored SIGTERM; the Makefile would wait for ever
                code = 124
                out.write(b"[verilog_eval.py: killed after timeout + 120 s]\n")
        if code == 124:
            with open(log_path, "ab") as out:
                out.write(b"TIMEOUT\n")

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, rows))


def stub_dir() -> Path:
    """A package ``langchain.schema`` with the two classes sv-iv-analyze imports."""
    root = Path(tempfile.mkdtemp(prefix="ve-stub-"))
    (root / "langchain").mkdir()
    (root / "langchain" / "__init__.py").write_text("")
    (root / "langchain" / "schema.py").write_text(STUB_SCHEMA)
    return root


def stub_env(stub: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(stub) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


TABLE_RE = re.compile(r"^(Prob\S+)\s+\[(\d+)/(\d+)\]\(\s*\d+%\)\s+[\d.]+\s+(.*)$")


def parse_table(text: str) -> dict[str, str]:
    """sv-iv-analyze's table: problem -> its samples' letters."""
    out = {}
    for line in text.splitlines():
        m = TABLE_RE.match(line)
        if m:
            letters = m.group(4).replace(" ", "")
            if len(letters) != int(m.group(3)):
                raise SystemExit(f"cannot read the analysis table line {line!r}")
            out[m.group(1)] = letters
    return out


def parse_csv(path: Path) -> dict[str, str]:
    out = {}
    with open(path, newline="") as handle:
        for fields in csv.reader(handle):
            if fields:
                out[fields[0]] = "".join(fields[4:])
    return out


def analyze(build: Path, reference: Path, names: list[str], stub: Path) -> dict[str, str]:
    """Run the reference's sv-iv-analyze in ``build``; problem -> letters."""
    done = subprocess.run([sys.executable, str(reference / "scripts" / "sv-iv-analyze"),
                           "--csv=summary.csv", *names], cwd=build, env=stub_env(stub),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"sv-iv-analyze failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    (build / "summary.txt").write_text(done.stdout)
    table, from_csv = parse_table(done.stdout), parse_csv(build / "summary.csv")
    if table != from_csv:
        raise SystemExit("sv-iv-analyze's table and CSV disagree")
    return from_csv


def letters_per_row(rows: list[dict], per_problem: dict[str, str]) -> list[str]:
    out = []
    for row in rows:
        letters = per_problem.get(row["task_id"], "")
        out.append(letters[row["sample"] - 1] if row["sample"] <= len(letters) else "?")
    return out


# ---------------------------------------------------------------------------
# lintseq
# ---------------------------------------------------------------------------

def run_lintseq(binary: Path, dataset: Path, samples: Path, results: Path, workers: int,
                timeout: float) -> tuple[list[dict], float]:
    command = [str(binary), "eval", "--problems", str(dataset), "--samples", str(samples), "-o", str(results),
               "-j", str(workers), "--timeout", f"{timeout:g}", "-k", "1", "--force"]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"lintseq eval failed ({done.returncode}):\n{done.stderr[-3000:]}")
    rows = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows, wall


def lintseq_letter(row: dict) -> str:
    if row.get("passed"):
        return "." if row.get("failure_class") is None else "!"
    return LETTERS.get(row.get("failure_class") or "", "?")


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------

def head(text: str, lines: int = 6, width: int = 160) -> str:
    """The first ``lines`` lines of a log (and its last two, if longer), indented."""
    all_lines = text.splitlines()
    shown = all_lines[:lines]
    if len(all_lines) > lines + 2:
        shown += [f"... ({len(all_lines) - lines - 2} more lines)"] + all_lines[-2:]
    else:
        shown = all_lines
    return "\n".join("      | " + line[:width] for line in shown)


def print_counts(reference: list[str], ours: list[str]) -> None:
    ref_counts, our_counts = Counter(reference), Counter(ours)
    print(f"  {'class':<26} {'reference':>9} {'lintseq':>8}")
    for letter in sorted(set(ref_counts) | set(our_counts),
                         key=lambda x: LETTER_ORDER.index(x) if x in LETTER_ORDER else 99):
        name = CLASS_OF.get(letter, "unreadable")
        print(f"  {letter} {name:<24} {ref_counts[letter]:>9} {our_counts[letter]:>8}")


def report_mismatches(rows: list[dict], reference: list[str], ours: list[str], results: list[dict],
                      build: Path, limit: int = 40) -> int:
    bad = [i for i, (a, b) in enumerate(zip(reference, ours)) if a != b]
    print(f"letter mismatches: {len(bad)}")
    by_kind = Counter((rows[i]["kind"], reference[i], ours[i]) for i in bad)
    for (kind, a, b), n in sorted(by_kind.items()):
        print(f"  {kind:<18} sv-iv-analyze {a} lintseq {b}: {n}")
    for i in bad[:limit]:
        row = rows[i]
        print(f"  {row['task_id']} sample{row['sample']:02d} ({row['kind']}): "
              f"sv-iv-analyze {reference[i]}, lintseq {ours[i]} (status {results[i].get('status')})")
        log_path = build / (stem(row) + "-sv-iv-test.log")
        if log_path.exists():
            print("    reference log:")
            print(head(log_path.read_text(errors="replace")))
        print("    lintseq detail:")
        print(head(results[i].get("detail") or ""))
    if len(bad) > limit:
        print(f"  ... and {len(bad) - limit} more")
    return len(bad)


# ---------------------------------------------------------------------------
# Parts
# ---------------------------------------------------------------------------

def verdicts(args, names: list[str], rows: list[dict], work: Path, stub: Path) -> int:
    samples = work / "samples.jsonl"
    samples.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    build = work / "by-hand"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    log(f"verdicts: {len(rows)} samples of {len(names)} problems, reference flow by hand "
        f"(-j {args.workers}, timeout {args.timeout:g} s) ...")
    start = time.monotonic()
    by_hand(build, args.dataset, rows, args.timeout, args.workers)
    reference = letters_per_row(rows, analyze(build, args.reference, names, stub))
    ref_wall = time.monotonic() - start
    log(f"  {ref_wall:.1f} s; lintseq eval ...")
    results, our_wall = run_lintseq(args.lintseq, args.dataset, samples, work / "results.jsonl",
                                    args.workers, args.timeout)
    ours = [lintseq_letter(r) for r in results]
    if len(results) != len(rows):
        raise SystemExit(f"lintseq wrote {len(results)} rows for {len(rows)} samples")

    print(f"\n## verdicts: {len(rows)} samples ({len(names)} problems x {args.mutants + 1}), "
          f"timeout {args.timeout:g} s, {args.workers} workers")
    print_counts(reference, ours)
    print("reference letters per mutant kind:")
    kinds: dict[str, Counter] = {}
    for row, letter in zip(rows, reference):
        kinds.setdefault(row["kind"], Counter())[letter] += 1
    for kind, counter in kinds.items():
        spread = " ".join(f"{k}:{v}" for k, v in sorted(counter.items(), key=lambda kv: -kv[1]))
        print(f"  {kind:<18} {sum(counter.values()):>5}  {spread}")
    failing = [(r["task_id"], letter) for r, letter in zip(rows, reference)
               if r["kind"] == "reference" and letter != "."]
    total_refs = sum(r["kind"] == "reference" for r in rows)
    print(f"reference solutions passing (sv-iv-analyze): {total_refs - len(failing)} of {total_refs}"
          + (" (not: " + ", ".join(f"{t} {l}" for t, l in failing) + ")" if failing else ""))
    print(f"wall (information only): by hand + analysis {ref_wall:.1f} s, lintseq eval {our_wall:.1f} s")
    return report_mismatches(rows, reference, ours, results, build)


def configure(build: Path, reference: Path, dataset: Path, names: list[str], counts: dict[str, int],
              timeout: float) -> None:
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    problems_file = build / "problems-list.txt"
    problems_file.write_text("".join(n + "\n" for n in names))
    done = subprocess.run([str(reference / "configure"), "--with-task=spec-to-rtl",
                           "--with-model=manual-rtl-coder", "--with-samples=1",
                           f"--with-dataset={dataset}", f"--with-problems={problems_file}"],
                          cwd=build, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"configure failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    width = max(len(n) for n in names) + len("_num_samples")
    (build / "samples.mk").write_text(
        "# samples.mk, rewritten by bench/verilog_eval.py with each problem's sample count\n\n"
        + "".join(f"{n + '_num_samples':<{width}} =  {counts[n]}\n" for n in names) + "\n")
    if timeout != 30:
        makefile = build / "Makefile"
        text = makefile.read_text()
        if "timeout 30 ./" not in text:
            raise SystemExit("the generated Makefile has no `timeout 30 ./` to patch")
        makefile.write_text(text.replace("timeout 30 ./", f"timeout {timeout:g} ./"))


def clean_build(build: Path, names: list[str]) -> None:
    for name in names:
        for path in (build / name).iterdir():
            if not (path.name.endswith(".sv") or path.name.endswith("-sv-generate.log")):
                path.unlink()
    for junk in ("summary.txt", "summary.csv", "wave.vcd", "make.out"):
        (build / junk).unlink(missing_ok=True)


def make_run(build: Path, workers: int, stub: Path) -> float:
    start = time.monotonic()
    with open(build / "make.out", "wb") as out:
        done = subprocess.run(["make", f"-j{workers}", "SHELL=/bin/bash"], cwd=build, env=stub_env(stub),
                              stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    text = (build / "make.out").read_text(errors="replace")
    if done.returncode != 0 or "Generating" in text:
        raise SystemExit(f"make failed or regenerated samples ({done.returncode}):\n{text[-3000:]}")
    return wall


def bare_run(dataset: Path, kept: list[dict], workers: int, timeout: float, scratch: Path) -> float:
    """The floor: iverilog, then the simulator as the Makefile runs it, per
    sample, ``workers`` threads, with no make, shell, progress script,
    analysis or isolation. Outputs are read and dropped."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)

    def one(item: tuple[int, dict]) -> None:
        index, row = item
        where = scratch / str(index)
        where.mkdir()
        (where / "sample.sv").write_text(row["solution"], encoding="utf-8")
        name = row["task_id"]
        built = subprocess.run(IVERILOG + ["-o", "sim", "sample.sv", str(dataset / f"{name}_test.sv"),
                                          str(dataset / f"{name}_ref.sv")],
                               cwd=where, stdin=subprocess.DEVNULL, capture_output=True)
        if built.returncode == 0:
            try:
                subprocess.run(["vvp", "sim"], cwd=where, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        shutil.rmtree(where, ignore_errors=True)

    start = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, enumerate(kept)))
    return time.monotonic() - start


def speed(args, names: list[str], rows: list[dict], work: Path, stub: Path) -> int:
    kept = [dict(r) for r in rows if r["kind"] not in SPEED_EXCLUDED]
    counts: dict[str, int] = Counter()
    for row in kept:
        counts[row["task_id"]] += 1
        row["sample"] = counts[row["task_id"]]
    samples = work / "speed-samples.jsonl"
    samples.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    build = work / "makefile"
    configure(build, args.reference, args.dataset, names, counts, args.timeout)
    write_build_samples(build, kept)
    log(f"speed: {len(kept)} samples (without {', '.join(sorted(SPEED_EXCLUDED))}), "
        f"{args.repeat} rounds, -j {args.workers}, timeout {args.timeout:g} s")

    make_walls, our_walls, bare_walls, mismatches = [], [], [], 0
    sides = ["make", "lintseq", "bare"]
    for round_no in range(args.repeat):
        order = sides[round_no % 3:] + sides[:round_no % 3]
        for side in order:
            if side == "bare":
                wall = bare_run(args.dataset, kept, args.workers, args.timeout, work / "bare")
                bare_walls.append(wall)
            elif side == "make":
                clean_build(build, names)
                wall = make_run(build, args.workers, stub)
                make_walls.append(wall)
                reference = letters_per_row(kept, parse_csv(build / "summary.csv"))
            else:
                results, wall = run_lintseq(args.lintseq, args.dataset, samples, work / "speed-results.jsonl",
                                            args.workers, args.timeout)
                our_walls.append(wall)
                ours = [lintseq_letter(r) for r in results]
            log(f"  round {round_no + 1}: {side} {wall:.1f} s")
        bad = sum(a != b for a, b in zip(reference, ours))
        if bad:
            print(f"round {round_no + 1}: {bad} letters differ between the Makefile and lintseq")
            report_mismatches(kept, reference, ours, results, build, limit=10)
        mismatches += bad
    start = time.monotonic()
    analyze(build, args.reference, names, stub)
    analysis = time.monotonic() - start

    timeouts = Counter(reference)["T"]
    make_median, our_median = statistics.median(make_walls), statistics.median(our_walls)
    print(f"\n## throughput: {len(kept)} samples, {args.workers} workers, timeout {args.timeout:g} s, "
          f"{args.repeat} rounds (lintseq: {args.lintseq})")
    print(f"samples that time out (T) in the speed set: {timeouts}")
    print("reference `make -j{} SHELL=/bin/bash` (all = sv-iv-test + sv-iv-analyze): {}".format(
        args.workers, ", ".join(f"{w:.1f}" for w in make_walls)) + f" s; median {make_median:.1f} s, "
        f"{len(kept) / make_median:.1f} samples/s (the analysis alone: {analysis:.1f} s)")
    print(f"lintseq eval: {', '.join(f'{w:.1f}' for w in our_walls)} s; median {our_median:.1f} s, "
          f"{len(kept) / our_median:.1f} samples/s")
    bare_median = statistics.median(bare_walls)
    print(f"bare iverilog + vvp (no make, shell, analysis or sandbox): "
          f"{', '.join(f'{w:.1f}' for w in bare_walls)} s; median {bare_median:.1f} s")
    print(f"reference / lintseq: {make_median / our_median:.2f}x "
          f"(reference / bare, the most any harness running the simulator could reach: "
          f"{make_median / bare_median:.2f}x; lintseq / bare: {our_median / bare_median:.2f})")
    print(f"Makefile letters against lintseq's, all rounds: {mismatches} mismatches")
    return mismatches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, default=DATASET, help="a VerilogEval v2 dataset folder")
    release, debug = REPO_ROOT / "target" / "release" / "lintseq", REPO_ROOT / "target" / "debug" / "lintseq"
    parser.add_argument("--lintseq", type=Path, default=release if release.exists() else debug,
                        help="lintseq binary (default: target/release/lintseq if built, else target/debug)")
    parser.add_argument("--reference", type=Path, required=True,
                        help="a checkout of NVlabs/verilog-eval (c498220 was used; its configure, Makefile.in "
                             "and scripts/sv-iv-analyze are run)")
    parser.add_argument("--mutants", type=int, default=9, help="mutants per problem (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="use only the first N problems")
    parser.add_argument("--workers", "-j", type=int, default=2, help="workers on both sides (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="simulation timeout on both sides, seconds (default: %(default)s, the Makefile's)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the throughput part (default: %(default)s)")
    parser.add_argument("--only", choices=["verdicts", "speed", "all"], default="all")
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it (default: a temporary directory)")
    args = parser.parse_args()
    args.dataset, args.reference = args.dataset.resolve(), args.reference.resolve()
    args.lintseq = args.lintseq.resolve()

    names = problem_names(args.dataset, args.limit)
    rows = build_samples(args.dataset, names, args.mutants)
    if args.keep:
        work = args.keep.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="run-", dir=OUT_DIR))
    stub = stub_dir()
    mismatches = 0
    try:
        if args.only in ("verdicts", "all"):
            mismatches += verdicts(args, names, rows, work, stub)
        if args.only in ("speed", "all"):
            mismatches += speed(args, names, rows, work, stub)
    finally:
        shutil.rmtree(stub, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\nRESULT: " + ("letter mismatches (see above)" if mismatches else "letters identical"))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
