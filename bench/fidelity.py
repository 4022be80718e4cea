#!/usr/bin/env python3
"""Measure how faithful LintSeq edit paths are: do they round-trip, and are
their intermediate program states free of new lint errors?

Input: JSONL files of edit paths in pylintseq's schema, one path per row::

    {"edit_path": [diff, ...], "index": i, "source_file": ...,
     "source_response": raw code field, "source_instruction": prompt}

1. Round trip. Each row's diffs are applied in order, starting from the empty
   program, with a small applier for zero-context unified diffs (hunk headers
   in difflib's format, e.g. ``@@ -9,0 +10 @@``, ``@@ -0,0 +1,11 @@``; file
   headers absent). Every diff yields a program state; the last one must equal
   the source program, i.e. ``source_response`` after pylintseq's Markdown
   extraction, stripped. A row fails the round trip when a diff is not
   insertion-only (has ``-`` lines), a hunk does not apply, or the final state
   differs. pylintseq's own diffs, computed by difflib on stripped states, are
   sometimes not insertion-only; with ``--reference`` such diffs are applied
   and counted, but not as failures.

2. New errors. Every distinct state and every source program is linted with
   LintSeq's pylint configuration (``--disable=C,R`` ...; E and F messages
   kept, W messages dropped except W0311 and W0231). An error is identified
   by (msg id, stripped text of its line); for an E0001 whose message says
   "on line N", line N is used, as pylintseq does. A state *carries a new
   error* when it has an error that its source program does not have. The
   rate is over all emitted states (the final state of each path included,
   duplicates counted), though each distinct text is linted once. For
   context, the share of states with any error at all (new or inherited from
   the source program) is reported too.

pylint runs in the benchmark venv (target/bench-venv, created from
bench/requirements.txt if missing), in batches of files per process with
several processes at once; results are cached by the sha256 of the program
text in target/bench-data/pylint-cache/, so reruns are fast. See
bench/pylintrun.py for why batching gives the same messages as linting one
file at a time; ``--verify-batching N`` checks this on N sampled programs.

Outputs: a report on stdout, a JSON summary, and a JSONL detail file with one
record per state that carries new errors (row, state index, text, errors).
The exit status is 1 when the new-error rate exceeds --max-new-error-rate
(a percentage, default 0.1) or, without --reference, when any row fails the
round trip.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import DATA_DIR, LINTSEQ_KEPT_WARNINGS, VENV_DIR, ensure_venv, extract_code, read_jsonl, write_jsonl
from pylintrun import Message, PylintRunner, batching_mismatches, text_key

DEFAULT_MAX_NEW_ERROR_RATE = 0.1  # percent

# --------------------------------------------------------------------------
# Diffs

HUNK_HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class DiffError(ValueError):
    pass


@dataclass
class Hunk:
    old_start: int
    old_length: int
    new_start: int
    new_length: int
    old_lines: list[str] = field(default_factory=list)
    new_lines: list[str] = field(default_factory=list)
    removes: bool = False

    def old_index(self) -> int:
        """0-based index of the first old line (for an empty range: the insertion point)."""
        return self.old_start if self.old_length == 0 else self.old_start - 1

    def new_index(self) -> int:
        return self.new_start if self.new_length == 0 else self.new_start - 1


def parse_diff(diff: str) -> list[Hunk]:
    """Parse hunks of a unified diff without file headers."""
    if not diff:
        raise DiffError("empty diff")
    hunks = []
    lines = diff.split("\n")
    position = 0
    while position < len(lines):
        header = HUNK_HEADER.fullmatch(lines[position])
        if not header:
            raise DiffError(f"expected a hunk header, found {lines[position]!r}")
        old_start, old_length, new_start, new_length = (
            int(value) if value is not None else 1 for value in header.groups()
        )
        hunk = Hunk(old_start, old_length, new_start, new_length)
        position += 1
        while len(hunk.old_lines) < old_length or len(hunk.new_lines) < new_length:
            if position == len(lines):
                raise DiffError(f"hunk {lines[position - 1]!r} is cut short")
            line = lines[position]
            marker, content = line[:1], line[1:]
            if marker in ("-", " "):
                hunk.old_lines.append(content)
                hunk.removes = hunk.removes or marker == "-"
            if marker in ("+", " "):
                hunk.new_lines.append(content)
            if marker not in ("-", "+", " "):
                raise DiffError(f"unexpected hunk line {line!r}")
            position += 1
        if len(hunk.old_lines) != old_length or len(hunk.new_lines) != new_length:
            raise DiffError(f"hunk line counts disagree with its header {header.group(0)!r}")
        hunks.append(hunk)
    return hunks


def apply_hunks(lines: list[str], hunks: list[Hunk]) -> list[str]:
    """Apply parsed hunks (in file order) to a program given as a list of lines."""
    result = list(lines)
    offset = 0  # lines added minus lines removed by the hunks applied so far
    previous_end = 0
    for hunk in hunks:
        start = hunk.old_index()
        if start < previous_end or start + hunk.old_length > len(lines):
            raise DiffError(f"hunk @@ -{hunk.old_start},{hunk.old_length} is out of range or order")
        if hunk.new_index() != start + offset:
            raise DiffError(f"hunk @@ +{hunk.new_start} disagrees with its old position")
        if lines[start: start + hunk.old_length] != hunk.old_lines:
            raise DiffError(f"hunk @@ -{hunk.old_start},{hunk.old_length} does not match the program")
        result[start + offset: start + offset + hunk.old_length] = hunk.new_lines
        offset += hunk.new_length - hunk.old_length
        previous_end = start + hunk.old_length
    return result


@dataclass
class Replay:
    states: list[str]
    non_insertion_diffs: int = 0
    failure: str | None = None  # why the round trip failed, if it did
    lines_inserted: int = 0


def replay(diffs: list[str], program: str) -> Replay:
    """Apply ``diffs`` from the empty program; check the final state is ``program``."""
    lines: list[str] = []
    outcome = Replay(states=[])
    for number, diff in enumerate(diffs, 1):
        try:
            hunks = parse_diff(diff)
            lines = apply_hunks(lines, hunks)
        except DiffError as error:
            outcome.failure = f"diff {number}: {error}"
            return outcome
        if any(hunk.removes for hunk in hunks):
            outcome.non_insertion_diffs += 1
        outcome.lines_inserted += sum(len(hunk.new_lines) - len(hunk.old_lines) for hunk in hunks)
        outcome.states.append("\n".join(lines))
    if not outcome.states:
        outcome.failure = "no diffs"
    elif outcome.states[-1] != program:
        outcome.failure = "final state differs from the source program"
    return outcome


# --------------------------------------------------------------------------
# Errors in LintSeq's sense

# (msg id, stripped line text) -> (line number, message) of its first occurrence
Errors = dict[tuple[str, str], tuple[int, str]]


def lintseq_line(message: Message) -> int:
    """The line pylintseq attributes a message to."""
    _, msg_id, line, _, text = message
    if msg_id == "E0001" and "on line" in text:
        # "... on line 3 (module, line 4)": the word before the last "(".
        words = text[: text.rfind("(")].split()
        if words and words[-1].isdigit():
            return int(words[-1])
    return line


def lintseq_errors(text: str, messages: list[Message]) -> Errors:
    lines = text.split("\n")
    errors: Errors = {}
    for message in messages:
        category, msg_id = message[0], message[1]
        if category == "W" and msg_id not in LINTSEQ_KEPT_WARNINGS:
            continue
        line = lintseq_line(message)
        line_text = lines[line - 1].strip() if 1 <= line <= len(lines) else ""
        errors.setdefault((msg_id, line_text), (line, message[4]))
    return errors


# --------------------------------------------------------------------------
# Measurement


@dataclass
class Row:
    file: str
    number: int  # 0-based position in its file
    data: dict
    program: str
    replay: Replay


def load_rows(paths: list[Path]) -> list[Row]:
    rows = []
    for path in paths:
        for number, data in enumerate(read_jsonl(path)):
            program = extract_code(data["source_response"]).strip()
            rows.append(Row(str(path), number, data, program, replay(data["edit_path"], program)))
    return rows


def check_corpus(rows: list[Row], corpus_path: Path) -> dict:
    """Compare rows with the corpus they were generated from."""
    corpus = list(read_jsonl(corpus_path))
    mismatched = sum(
        1 for row in rows
        if not 0 <= row.data["index"] < len(corpus)
        or corpus[row.data["index"]]["response"] != row.data["source_response"]
    )
    covered = {row.data["index"] for row in rows}
    return {
        "corpus": str(corpus_path),
        "corpus_rows": len(corpus),
        "rows_not_matching_corpus": mismatched,
        "corpus_rows_without_path": len(corpus) - len(covered & set(range(len(corpus)))),
    }


def verify_batching(runner: PylintRunner, texts: dict[str, str], results: dict[str, list[Message]], sample: int) -> dict:
    """Lint a sample one file per pylint process and compare with the batched results.

    Half the sample is drawn from programs with a syntax error, if there are any.
    """
    keys = sorted(texts)
    syntax_errors = [k for k in keys if any(m[1] == "E0001" for m in results[k])]
    others = sorted(set(keys) - set(syntax_errors))
    rng = random.Random(0)
    chosen = rng.sample(syntax_errors, min(len(syntax_errors), sample // 2))
    with_syntax_error = len(chosen)
    chosen += rng.sample(others, min(len(others), sample - len(chosen)))
    single = runner.lint_each({key: texts[key] for key in chosen})
    return {
        "checked": len(chosen),
        "with_syntax_error": with_syntax_error,
        "mismatches": batching_mismatches(results, single),
    }


def measure(rows: list[Row], runner: PylintRunner, detail_path: Path, verify: int) -> dict:
    texts = {text_key(row.program): row.program for row in rows}
    state_texts = {text_key(state): state for row in rows for state in row.replay.states}
    texts.update(state_texts)
    messages = runner.lint(texts)
    errors_of: dict[str, Errors] = {}

    def errors(text: str) -> Errors:
        key = text_key(text)
        if key not in errors_of:
            errors_of[key] = lintseq_errors(text, messages[key])
        return errors_of[key]

    total_states = 0
    offending_states = 0
    states_with_errors = 0
    by_msg_id: Counter[str] = Counter()
    details = []
    for row in rows:
        source_errors = errors(row.program)
        for index, state in enumerate(row.replay.states):
            total_states += 1
            states_with_errors += bool(errors(state))
            new = {k: v for k, v in errors(state).items() if k not in source_errors}
            if not new:
                continue
            offending_states += 1
            by_msg_id.update({msg_id for msg_id, _ in new})
            details.append({
                "file": row.file,
                "row": row.number,
                "index": row.data.get("index"),
                "state": index + 1,
                "states": len(row.replay.states),
                "new_errors": [
                    {"msg_id": msg_id, "line": line, "line_text": line_text, "msg": msg}
                    for (msg_id, line_text), (line, msg) in sorted(new.items(), key=lambda item: item[1][0])
                ],
                "text": state,
            })
    write_jsonl(detail_path, details)

    distinct_sources = {text_key(row.program): row.program for row in rows}
    summary = {
        "states": total_states,
        "distinct_states": len(state_texts),
        "states_with_new_errors": offending_states,
        "new_error_rate_percent": 100.0 * offending_states / total_states if total_states else 0.0,
        "new_error_msg_ids": dict(by_msg_id.most_common()),
        "states_with_errors": states_with_errors,
        "error_rate_percent": 100.0 * states_with_errors / total_states if total_states else 0.0,
        "distinct_source_programs": len(distinct_sources),
        "source_programs_with_errors": sum(1 for text in distinct_sources.values() if errors(text)),
        "source_error_msg_ids": dict(Counter(
            msg_id for text in distinct_sources.values() for msg_id, _ in errors(text)
        ).most_common()),
        "detail_file": str(detail_path),
    }
    if verify:
        summary["batching_check"] = verify_batching(runner, texts, messages, verify)
    return summary


def round_trip_summary(rows: list[Row], reference: bool) -> dict:
    reasons: Counter[str] = Counter()
    failed_rows = []
    for row in rows:
        reason = row.replay.failure
        if reason is None and row.replay.non_insertion_diffs and not reference:
            reason = "diff with removed lines (not insertion-only)"
        if reason:
            reasons[re.sub(r"^diff \d+: ", "", reason)] += 1
            failed_rows.append({"file": row.file, "row": row.number, "index": row.data.get("index"), "reason": reason})
    edits = [len(row.data["edit_path"]) for row in rows]
    inserted = sum(row.replay.lines_inserted for row in rows)
    return {
        "rows": len(rows),
        "paths": len(rows),
        "distinct_indices": len({(row.file, row.data.get("index")) for row in rows}),
        "mean_edits_per_path": sum(edits) / len(edits) if edits else 0.0,
        "min_edits_per_path": min(edits, default=0),
        "max_edits_per_path": max(edits, default=0),
        "mean_lines_per_edit": inserted / sum(edits) if sum(edits) else 0.0,
        "non_insertion_diffs": sum(row.replay.non_insertion_diffs for row in rows),
        "rows_with_non_insertion_diffs": sum(1 for row in rows if row.replay.non_insertion_diffs),
        "round_trip_failures": len(failed_rows),
        "round_trip_failure_reasons": dict(reasons.most_common()),
        "round_trip_failed_rows": failed_rows[:50],
    }


def print_report(summary: dict, threshold: float | None) -> None:
    s = summary
    print(f"inputs:                 {', '.join(s['inputs'])}{'  (reference: pylintseq)' if s['reference'] else ''}")
    print(f"rows / paths:           {s['rows']} paths over {s['distinct_indices']} source rows")
    print(f"edits per path:         mean {s['mean_edits_per_path']:.2f} (min {s['min_edits_per_path']}, max {s['max_edits_per_path']}); "
          f"{s['mean_lines_per_edit']:.2f} lines per edit")
    print(f"round-trip failures:    {s['round_trip_failures']}")
    for reason, count in s["round_trip_failure_reasons"].items():
        print(f"    {count:6d}  {reason}")
    print(f"non-insertion diffs:    {s['non_insertion_diffs']} in {s['rows_with_non_insertion_diffs']} rows")
    if "corpus" in s:
        c = s["corpus"]
        print(f"corpus check:           {c['rows_not_matching_corpus']} rows differ from {c['corpus']}; "
              f"{c['corpus_rows_without_path']} of {c['corpus_rows']} corpus rows have no path")
    print(f"states:                 {s['states']} ({s['distinct_states']} distinct)")
    print(f"source programs:        {s['distinct_source_programs']} distinct, {s['source_programs_with_errors']} with LintSeq errors")
    limit = f" (limit {threshold}%)" if threshold is not None else ""
    print(f"states with new errors: {s['states_with_new_errors']} = {s['new_error_rate_percent']:.3f}%{limit}")
    print(f"states with any errors: {s['states_with_errors']} = {s['error_rate_percent']:.3f}% "
          "(new or inherited from the source program)")
    if s["new_error_msg_ids"]:
        print("    states  msg id")
        for msg_id, count in s["new_error_msg_ids"].items():
            print(f"    {count:6d}  {msg_id}")
    if "batching_check" in s:
        b = s["batching_check"]
        print(f"batching check:         {b['checked']} programs linted alone ({b['with_syntax_error']} with E0001), "
              f"{len(b['mismatches'])} differ from the batched result")
    print(f"details:                {s['detail_file']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+", type=Path, help="JSONL files of edit paths")
    parser.add_argument("--corpus", type=Path, help="the corpus the paths were generated from (checks source_response and coverage)")
    parser.add_argument("--reference", action="store_true",
                        help="the inputs are pylintseq output: diffs with removed lines are allowed, and the rate limit applies only if given")
    parser.add_argument("--max-new-error-rate", type=float, default=None, metavar="PERCENT",
                        help=f"fail when more than PERCENT %% of states carry new errors (default: {DEFAULT_MAX_NEW_ERROR_RATE}, none with --reference)")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR / "fidelity", help="where the summary and detail files go (default: %(default)s)")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="pylint processes at once (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=250, help="most programs per pylint process (default: %(default)s)")
    parser.add_argument("--cache-dir", type=Path, default=DATA_DIR / "pylint-cache", help="lint result cache (default: %(default)s)")
    parser.add_argument("--venv", type=Path, default=VENV_DIR, help="benchmark venv (default: %(default)s)")
    parser.add_argument("--verify-batching", type=int, default=0, metavar="N",
                        help="lint N sampled programs one per pylint process and compare with the batched results")
    args = parser.parse_args()

    threshold = args.max_new_error_rate
    if threshold is None and not args.reference:
        threshold = DEFAULT_MAX_NEW_ERROR_RATE

    runner = PylintRunner(ensure_venv(args.venv), args.cache_dir, args.jobs, args.batch_size)
    rows = load_rows(args.inputs)
    stem = args.inputs[0].name.removesuffix(".jsonl")
    summary = {"inputs": [str(path) for path in args.inputs], "reference": args.reference}
    summary.update(round_trip_summary(rows, args.reference))
    if args.corpus:
        summary["corpus"] = check_corpus(rows, args.corpus)
    summary.update(measure(rows, runner, args.out_dir / f"{stem}.new-errors.jsonl", args.verify_batching))
    summary_path = args.out_dir / f"{stem}.summary.json"
    summary_path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")

    print_report(summary, threshold)
    print(f"summary:                {summary_path}")
    failed = False
    if threshold is not None and summary["new_error_rate_percent"] > threshold:
        print(f"FAIL: new-error rate {summary['new_error_rate_percent']:.3f}% exceeds {threshold}%")
        failed = True
    if summary["round_trip_failures"] and not args.reference:
        print(f"FAIL: {summary['round_trip_failures']} rows fail the round trip")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
