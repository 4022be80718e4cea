#!/usr/bin/env python3
"""Differential testing of lintseq's checker against pylint 3.2.6.

Partial programs are cut from the programs of one or more corpora the way
LintSeq's sampler cuts them: candidate lines (not blank, not comments, not the
continuation lines of a multi-line UPPERCASE constant) are drawn in proportion
to their indentation weight and deleted together with their children (the
following lines indented deeper), a random number of times, so that some
partial programs lose one line and others lose nearly everything. Each
partial program is then checked twice:

* by lintseq's checker, bound to the original program as ``lintseq generate``
  binds it (one ``lintseq lint --jsonl`` process for all of them), and
* by pylint in LintSeq's configuration (``benchlib.LINTSEQ_PYLINT_OPTIONS``;
  E and F messages, and W0311 and W0231), batched and cached by
  ``pylintrun.PylintRunner``.

An error is a (message id, stripped line text) pair, as in fidelity.py. An
error pylint reports on a partial program that the original program also has
is an *init error*: LintSeq's first step deletes it, so it is not held against
either checker. Imports that do not resolve where pylint runs (E0401
import-error, E0402 relative-beyond-top-level) are reported separately:
lintseq's default mode treats every import as resolving.

* **False negative**: pylint reports a new error (not an init error, not
  E0401/E0402) and lintseq reports nothing. LintSeq would emit this state.
  Counted by message id.
* **False positive**: lintseq reports something and pylint reports no error
  at all (init errors and E0401/E0402 aside). The sampler then deletes lines
  pylintseq would have kept: its effect on granularity is estimated by the
  lines such a verdict deletes (the blamed lines and their children).
* **Blame**: when both report errors, whether lintseq blames the same lines
  as pylint (the lines the sampler deletes next).

For each message id with false negatives (and each of our codes with false
positives), one example is shrunk: lines of the partial program are removed,
in chunks and then one at a time, while the disagreement holds.

Everything is broken down by group: a row's ``package`` field, or else the
corpus file's name (``stdlib``, ``humaneval``). The summary is written to
target/bench-data/differential/NAME.summary.json, with the examples beside
it in NAME.examples.jsonl. The exit status is 1 when the false-negative rate,
overall or of any group, is above ``--max-false-negative-rate`` (a
percentage).

    python3 bench/packages.py && python3 bench/corpus.py    # corpora, once
    cargo build --release
    python3 bench/differential.py                           # ~22,000 partial programs
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from benchlib import DATA_DIR, LINTSEQ_KEPT_WARNINGS, REPO_ROOT, VENV_DIR, ensure_venv, extract_code, log, read_jsonl, write_jsonl
from fidelity import Errors, lintseq_errors, lintseq_line
from pylintrun import Message, PylintRunner, text_key

DEFAULT_MAX_FALSE_NEGATIVE_RATE = 0.05  # percent
IMPORT_ERRORS = frozenset({"E0401", "E0402"})
DEFAULT_CORPORA = [DATA_DIR / "packages.jsonl", DATA_DIR / "stdlib.jsonl", DATA_DIR / "humaneval.jsonl"]


# --------------------------------------------------------------------------
# Programs as the sampler sees them (mirrors crates/lintseq_core/src/program.rs)


class Program:
    """A program split on "\\n", with LintSeq's indentation model."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.indents: list[int] = []
        self.tab_width: int | None = None
        current = 0
        for line in self.lines:
            body = line.lstrip()
            # A line with at most one character after its indentation keeps
            # the indent of the line before it.
            if len(body) > 1:
                current = len(line) - len(body)
            self.indents.append(current)
            if self.tab_width is None and current > 0:
                self.tab_width = current

    def children(self, index: int) -> range:
        """The following lines indented deeper than line ``index``."""
        own = self.indents[index]
        end = index + 1
        while end < len(self.lines) and self.indents[end] > own:
            end += 1
        return range(index + 1, end)

    def candidates(self) -> list[int]:
        """Lines the sampler may pick (default rules: comments and constant continuations skipped)."""
        out = []
        closer: str | None = None
        for index, line in enumerate(self.lines):
            body = line.lstrip()
            if not body or body.startswith("#"):
                continue
            last = line.rstrip()[-1:]
            if closer is not None:
                if last == closer:
                    closer = None
                continue
            out.append(index)
            if is_constant_head(line):
                closer = {"(": ")", "[": "]"}.get(last)
        return out

    def weight(self, index: int) -> float:
        indent = self.indents[index]
        if indent > 0 and self.tab_width:
            return indent / self.tab_width
        return 1.0


def is_constant_head(line: str) -> bool:
    """The text before the first ``=`` (spaces aside) has capitals and no lower-case letters."""
    eq = line.find("=")
    if eq < 0:
        return False
    cased = False
    for c in line[:eq].replace(" ", ""):
        if c.islower():
            return False
        cased |= c.isupper()
    return cased


def cut(program: Program, rng: random.Random) -> list[int] | None:
    """A random set of deleted lines: 1 to all-but-one rounds of weighted picks with children.

    Returns the sorted deleted lines, or None when nothing but blank lines
    would be left (the program must have two candidates or more).
    """
    remaining = program.candidates()
    rounds = rng.randint(1, len(remaining) - 1)
    deleted: set[int] = set()
    for _ in range(rounds):
        remaining = [line for line in remaining if line not in deleted]
        if len(remaining) < 2:
            break
        line = rng.choices(remaining, weights=[program.weight(i) for i in remaining])[0]
        deleted.add(line)
        deleted.update(program.children(line))
    kept = [i for i in range(len(program.lines)) if i not in deleted]
    if not any(program.lines[i].strip() for i in kept):
        return None
    return sorted(deleted)


def partial_text(program: Program, deleted: Iterable[int]) -> str:
    gone = set(deleted)
    return "\n".join(line for i, line in enumerate(program.lines) if i not in gone)


# --------------------------------------------------------------------------
# Verdicts


@dataclass
class Ours:
    """lintseq's diagnostics for one program: (line, code, message)."""
    diagnostics: list[tuple[int, str, str]]

    @property
    def dirty(self) -> bool:
        return bool(self.diagnostics)

    def lines(self, line_count: int) -> set[int]:
        # The sampler clamps lines outside the text to its last line.
        return {min(max(line, 1), max(line_count, 1)) for line, _, _ in self.diagnostics}

    def codes(self) -> set[str]:
        return {code for _, code, _ in self.diagnostics}


@dataclass
class Comparison:
    """How the two checkers judge one partial program."""
    errors: Errors                   # every pylint error (LintSeq's kind) of the partial program
    new: Errors                      # pylint errors the original lacks (imports excluded)
    new_imports: Errors              # E0401/E0402 the original lacks
    pylint_lines: set[int]           # lines of every pylint error (init included, imports excluded)
    ours: Ours
    line_count: int

    @property
    def false_negative(self) -> bool:
        return bool(self.new) and not self.ours.dirty

    @property
    def false_positive(self) -> bool:
        return self.ours.dirty and not self.pylint_lines

    def blame(self) -> str | None:
        """How our blamed lines relate to pylint's, when both object."""
        if not (self.ours.dirty and self.pylint_lines):
            return None
        ours = self.ours.lines(self.line_count)
        theirs = {min(max(line, 1), max(self.line_count, 1)) for line in self.pylint_lines}
        if ours == theirs:
            return "same"
        if ours > theirs:
            return "ours superset"
        if ours < theirs:
            return "ours subset"
        return "overlapping" if ours & theirs else "disjoint"


def compare(text: str, messages: list[Message], original_errors: Errors, ours: Ours) -> Comparison:
    errors = lintseq_errors(text, messages)
    new = {k: v for k, v in errors.items() if k not in original_errors and k[0] not in IMPORT_ERRORS}
    new_imports = {k: v for k, v in errors.items() if k not in original_errors and k[0] in IMPORT_ERRORS}
    kept = lintseq_errors_lines(messages)
    return Comparison(errors, new, new_imports, kept, ours, len(text.split("\n")))


def lintseq_errors_lines(messages: list[Message]) -> set[int]:
    """Lines of the messages LintSeq counts as errors, E0401/E0402 aside."""
    return {
        lintseq_line(m) for m in messages
        if not (m[0] == "W" and m[1] not in LINTSEQ_KEPT_WARNINGS) and m[1] not in IMPORT_ERRORS
    }


def extra_deleted_lines(text: str, ours: Ours) -> int:
    """Lines the sampler deletes for our diagnostics: the blamed lines and their children."""
    program = Program(text)
    deleted: set[int] = set()
    for line in ours.lines(len(program.lines)):
        index = line - 1
        deleted.add(index)
        deleted.update(program.children(index))
    return len(deleted)


# --------------------------------------------------------------------------
# Shrinking


def shrink(lines: list[str], holds: Callable[[list[list[str]]], list[bool]]) -> list[str]:
    """Remove lines while ``holds`` says the property still holds.

    ``holds`` judges a batch of candidates at once (one pylint process for
    all), returning one verdict per candidate. Chunks of lines are removed
    first, halving the chunk size down to single lines; after any success the
    same size is tried again on the smaller program.
    """
    size = max(1, len(lines) // 2)
    while lines:
        candidates = [lines[:start] + lines[start + size:] for start in range(0, len(lines), size)]
        candidates = [c for c in candidates if any(line.strip() for line in c)]
        verdicts = holds(candidates) if candidates else []
        smaller = next((c for c, ok in zip(candidates, verdicts) if ok), None)
        if smaller is not None:
            lines = smaller
            size = min(size, max(1, len(lines) // 2))
            continue
        if size == 1:
            break
        size = max(1, size // 2)
    return lines


# --------------------------------------------------------------------------
# Running the checkers


class OurChecker:
    def __init__(self, binary: Path):
        self.binary = binary

    def check(self, pairs: list[tuple[str, str]]) -> list[Ours]:
        """lintseq's diagnostics for each (program, original)."""
        if not pairs:
            return []
        with tempfile.TemporaryDirectory(prefix="lintseq-differential-") as tmp:
            rows = Path(tmp, "rows.jsonl")
            write_jsonl(rows, ({"id": i, "program": p, "original": o} for i, (p, o) in enumerate(pairs)))
            result = subprocess.run([str(self.binary), "lint", "--jsonl", str(rows)],
                                    capture_output=True, text=True, check=False)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{self.binary} lint --jsonl failed:\n{result.stderr[-2000:]}")
        out: list[Ours | None] = [None] * len(pairs)
        for line in result.stdout.splitlines():
            row = json.loads(line)
            if "error" in row:
                raise SystemExit(f"lintseq could not read a row: {row['error']}")
            out[row["id"]] = Ours([(d["line"], d["code"], d["message"]) for d in row["diagnostics"]])
        if any(o is None for o in out):
            raise SystemExit("lintseq lint --jsonl returned fewer rows than it was given")
        return out  # type: ignore[return-value]


@dataclass
class Case:
    group: str
    row: int
    original: str
    text: str
    deleted: list[int]


def build_cases(corpora: list[Path], per_row: int, seed: int, limit: int | None) -> list[Case]:
    cases = []
    for corpus in corpora:
        name = corpus.name.split(".")[0]
        for number, row in enumerate(read_jsonl(corpus)):
            if limit is not None and number >= limit:
                break
            original = extract_code(row["response"]).strip()
            program = Program(original)
            if len(program.candidates()) < 2:
                continue
            rng = random.Random(f"{seed}:{name}:{number}")
            seen: set[str] = set()
            for _ in range(per_row * 5):
                if len(seen) == per_row:
                    break
                deleted = cut(program, rng)
                if deleted is None:
                    continue
                text = partial_text(program, deleted)
                if text in seen or text.strip() == original:
                    continue
                seen.add(text)
                cases.append(Case(row.get("package", name), number, original, text, deleted))
    return cases


@dataclass
class Tally:
    programs: int = 0
    false_negatives: int = 0
    false_positives: int = 0
    pylint_new_errors: int = 0
    ours_dirty: int = 0
    new_import_errors: int = 0
    fp_deleted_lines: int = 0
    fp_program_lines: int = 0
    false_negative_ids: Counter = field(default_factory=Counter)
    false_positive_codes: Counter = field(default_factory=Counter)
    new_import_ids: Counter = field(default_factory=Counter)
    blame: Counter = field(default_factory=Counter)
    pylint_ids: Counter = field(default_factory=Counter)
    all_pylint_ids: Counter = field(default_factory=Counter)

    def add(self, comparison: Comparison, text: str) -> None:
        self.programs += 1
        self.pylint_new_errors += bool(comparison.new)
        self.ours_dirty += comparison.ours.dirty
        self.pylint_ids.update({msg_id for msg_id, _ in comparison.new})
        self.all_pylint_ids.update({msg_id for msg_id, _ in comparison.errors})
        if comparison.new_imports:
            self.new_import_errors += 1
            self.new_import_ids.update({msg_id for msg_id, _ in comparison.new_imports})
        if comparison.false_negative:
            self.false_negatives += 1
            self.false_negative_ids.update({msg_id for msg_id, _ in comparison.new})
        if comparison.false_positive:
            self.false_positives += 1
            self.false_positive_codes.update(comparison.ours.codes())
            self.fp_deleted_lines += extra_deleted_lines(text, comparison.ours)
            self.fp_program_lines += comparison.line_count
        blame = comparison.blame()
        if blame:
            self.blame[blame] += 1

    def summary(self) -> dict:
        rate = (lambda n: 100.0 * n / self.programs if self.programs else 0.0)
        return {
            "partial_programs": self.programs,
            "false_negatives": self.false_negatives,
            "false_negative_rate_percent": rate(self.false_negatives),
            "false_negative_msg_ids": dict(self.false_negative_ids.most_common()),
            "false_positives": self.false_positives,
            "false_positive_rate_percent": rate(self.false_positives),
            "false_positive_codes": dict(self.false_positive_codes.most_common()),
            "false_positive_mean_deleted_lines": self.fp_deleted_lines / self.false_positives if self.false_positives else 0.0,
            "false_positive_deleted_share_percent": 100.0 * self.fp_deleted_lines / self.fp_program_lines if self.fp_program_lines else 0.0,
            "pylint_new_error_programs": self.pylint_new_errors,
            "pylint_new_error_msg_ids": dict(self.pylint_ids.most_common()),
            "pylint_msg_ids": dict(self.all_pylint_ids.most_common()),
            "lintseq_dirty_programs": self.ours_dirty,
            "new_import_error_programs": self.new_import_errors,
            "new_import_error_msg_ids": dict(self.new_import_ids.most_common()),
            "blame_when_both_object": dict(self.blame.most_common()),
        }


def run(args: argparse.Namespace) -> int:
    ours = OurChecker(args.binary)
    cases = build_cases(args.corpora, args.per_row, args.seed, args.limit)
    log(f"{len(cases)} partial programs from {len(args.corpora)} corpora")
    runner = PylintRunner(ensure_venv(args.venv), args.cache_dir, args.jobs, args.batch_size)
    texts = {text_key(c.text): c.text for c in cases}
    texts.update({text_key(c.original): c.original for c in cases})
    messages = runner.lint(texts)
    log("lintseq: checking")
    verdicts = ours.check([(c.text, c.original) for c in cases])

    original_errors: dict[str, Errors] = {}
    overall = Tally()
    groups: dict[str, Tally] = defaultdict(Tally)
    examples: dict[tuple[str, str], tuple[Case, Comparison]] = {}
    for case, verdict in zip(cases, verdicts):
        key = text_key(case.original)
        if key not in original_errors:
            original_errors[key] = lintseq_errors(case.original, messages[key])
        comparison = compare(case.text, messages[text_key(case.text)], original_errors[key], verdict)
        overall.add(comparison, case.text)
        groups[case.group].add(comparison, case.text)
        kinds = []
        if comparison.false_negative:
            kinds = [("false negative", msg_id) for msg_id, _ in comparison.new]
        elif comparison.false_positive:
            kinds = [("false positive", code) for code in comparison.ours.codes()]
        for kind in kinds:
            best = examples.get(kind)
            if best is None or len(case.text) < len(best[0].text):
                examples[kind] = (case, comparison)

    records = []
    for (kind, code), (case, comparison) in sorted(examples.items()):
        record = {
            "kind": kind, "code": code, "group": case.group, "row": case.row,
            "partial": case.text, "original": case.original,
            "pylint": describe_pylint(comparison),
            "lintseq": describe_ours(comparison.ours),
        }
        if args.shrink:
            shrunk, found = shrink_example(kind, code, case, runner, ours, original_errors)
            record["shrunk"] = shrunk
            record["shrunk_pylint"] = describe_pylint(found)
            record["shrunk_lintseq"] = describe_ours(found.ours)
        records.append(record)

    summary = {
        "corpora": [str(c) for c in args.corpora],
        "per_row": args.per_row,
        "seed": args.seed,
        "binary": str(args.binary),
        "overall": overall.summary(),
        "groups": {name: groups[name].summary() for name in sorted(groups)},
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    summary_path = args.out_dir / f"{args.name}.summary.json"
    examples_path = args.out_dir / f"{args.name}.examples.jsonl"
    summary_path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    write_jsonl(examples_path, records)
    print_report(summary, records, args.max_false_negative_rate)
    print(f"summary:  {summary_path}")
    print(f"examples: {examples_path}")
    failed = [name for name, s in [("overall", summary["overall"]), *summary["groups"].items()]
              if s["false_negative_rate_percent"] > args.max_false_negative_rate]
    if failed:
        print(f"FAIL: false-negative rate above {args.max_false_negative_rate}% for {', '.join(failed)}")
        return 1
    return 0


def describe_pylint(comparison: Comparison) -> list[str]:
    return sorted(f"{line}: {msg_id} {msg}" for (msg_id, _), (line, msg) in comparison.new.items())


def describe_ours(ours: Ours) -> list[str]:
    return [f"{line}: {code} {message}" for line, code, message in ours.diagnostics]


def shrink_example(kind: str, code: str, case: Case, runner: PylintRunner, ours: OurChecker,
                   original_errors: dict[str, Errors]) -> tuple[str, Comparison]:
    """The smallest version of ``case.text`` that still shows the disagreement, and its verdicts."""
    errors = original_errors[text_key(case.original)]

    def judge(texts: list[str]) -> list[Comparison]:
        found = runner.lint({text_key(t): t for t in texts})
        verdicts = ours.check([(t, case.original) for t in texts])
        return [compare(t, found[text_key(t)], errors, v) for t, v in zip(texts, verdicts)]

    def holds(candidates: list[list[str]]) -> list[bool]:
        out = []
        for comparison in judge(["\n".join(c) for c in candidates]):
            if kind == "false negative":
                out.append(comparison.false_negative and any(m == code for m, _ in comparison.new))
            else:
                out.append(comparison.false_positive and code in comparison.ours.codes())
        return out

    log(f"shrinking the {kind} example for {code} ({len(case.text.splitlines())} lines)")
    shrunk = "\n".join(shrink(case.text.split("\n"), holds))
    return shrunk, judge([shrunk])[0]


def print_report(summary: dict, records: list[dict], threshold: float) -> None:
    o = summary["overall"]
    print(f"partial programs:  {o['partial_programs']}")
    print(f"false negatives:   {o['false_negatives']} = {o['false_negative_rate_percent']:.3f}% (limit {threshold}%)")
    for msg_id, count in o["false_negative_msg_ids"].items():
        print(f"    {count:6d}  {msg_id}")
    print(f"false positives:   {o['false_positives']} = {o['false_positive_rate_percent']:.3f}%; "
          f"each deletes {o['false_positive_mean_deleted_lines']:.1f} lines on average "
          f"({o['false_positive_deleted_share_percent']:.1f}% of the program)")
    for code, count in o["false_positive_codes"].items():
        print(f"    {count:6d}  {code}")
    print(f"pylint new errors: {o['pylint_new_error_programs']} programs; lintseq objects to {o['lintseq_dirty_programs']}")
    print(f"pylint message ids on partial programs (programs, init errors included): {o['pylint_msg_ids']}")
    print(f"new E0401/E0402:   {o['new_import_error_programs']} programs {o['new_import_error_msg_ids']} (not counted)")
    print(f"blame when both object: {o['blame_when_both_object']}")
    print()
    print(f"{'group':<16} {'programs':>8} {'FN':>5} {'FN %':>7} {'FP':>5} {'FP %':>7}")
    for name, g in summary["groups"].items():
        print(f"{name:<16} {g['partial_programs']:>8} {g['false_negatives']:>5} {g['false_negative_rate_percent']:>7.3f} "
              f"{g['false_positives']:>5} {g['false_positive_rate_percent']:>7.3f}")
    for record in records:
        print()
        print(f"--- {record['kind']} {record['code']} ({record['group']}, row {record['row']})")
        shrunk = "shrunk" in record
        print(record["shrunk"] if shrunk else record["partial"])
        print("pylint:  " + "; ".join(record["shrunk_pylint" if shrunk else "pylint"]))
        print("lintseq: " + "; ".join(record["shrunk_lintseq" if shrunk else "lintseq"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", type=Path, default=None,
                        help="instruct-style JSONL corpora (default: packages, stdlib and humaneval in target/bench-data)")
    parser.add_argument("--per-row", type=int, default=14, help="partial programs cut from each row (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed for cutting (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="use only the first N rows of each corpus")
    parser.add_argument("--max-false-negative-rate", type=float, default=DEFAULT_MAX_FALSE_NEGATIVE_RATE,
                        metavar="PERCENT", help="fail above this rate, overall or in any group (default: %(default)s)")
    parser.add_argument("--no-shrink", dest="shrink", action="store_false", help="do not shrink the examples")
    parser.add_argument("--binary", type=Path, default=REPO_ROOT / "target" / "release" / "lintseq",
                        help="lintseq binary (default: %(default)s)")
    parser.add_argument("--name", default="differential", help="stem of the output files (default: %(default)s)")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR / "differential", help="(default: %(default)s)")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="pylint processes at once (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=250, help="most programs per pylint process (default: %(default)s)")
    parser.add_argument("--cache-dir", type=Path, default=DATA_DIR / "pylint-cache", help="(default: %(default)s)")
    parser.add_argument("--venv", type=Path, default=VENV_DIR, help="benchmark venv (default: %(default)s)")
    args = parser.parse_args()
    if not args.corpora:
        args.corpora = [c for c in DEFAULT_CORPORA if c.exists()]
        if not args.corpora:
            parser.error("no corpora found: build them with bench/packages.py and bench/corpus.py")
    if not args.binary.exists():
        parser.error(f"{args.binary} not found: run cargo build --release (or pass --binary)")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
