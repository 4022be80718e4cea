#!/usr/bin/env python3
"""Fidelity of lintseq's JavaScript and TypeScript edit paths against the
reference configurations.

    python3 bench/js_corpus.py                     # once
    cargo build --release
    python3 bench/js_fidelity.py target/bench-data/js.jsonl --language javascript -s 5
    python3 bench/js_fidelity.py target/bench-data/ts.jsonl --language typescript -s 5

1. ``target/release/lintseq generate CORPUS --language LANGUAGE -s S --seed
   SEED -j 2`` writes the edit paths (or ``--edits FILE`` reads existing ones).
2. Round trip: each path's diffs are applied from the empty program (with
   fidelity.py's applier); the last state must be the source program
   (``response``, stripped) and every diff must only insert.
3. New errors: every distinct state and source program goes through the
   reference configuration (bench/js_reference.mjs, in one warm Node.js
   process per batch): ESLint 9.17.0 with parser errors and ``no-undef``
   for JavaScript, tsc 5.7.3's syntactic diagnostics plus the counted
   semantic codes for TypeScript (listed in js_reference.mjs). An error is
   (key, stripped text of its line); a state carries a new error when it
   has one its source program does not. The rate is over every emitted
   state, the last state of each path (the source) included.

The pinned tools (eslint, globals, typescript, @types/node) are installed
with npm into target/js-tools the first time. Results are cached by the
sha256 of the text in target/bench-data/js-reference-cache/. A summary goes
to stdout and target/bench-data/fidelity/NAME.summary.json; every offending
state to NAME.new-errors.jsonl. Exit status 1 when the new-error rate is
above --max-new-error-rate (default 0.1% for JavaScript, 0.5% for
TypeScript) or a path fails the round trip.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, log, read_jsonl, write_jsonl
from fidelity import replay

TOOLS_DIR = REPO_ROOT / "target" / "js-tools"
HELPER = Path(__file__).resolve().parent / "js_reference.mjs"
LINTSEQ = REPO_ROOT / "target" / "release" / "lintseq"
CACHE_DIR = DATA_DIR / "js-reference-cache"

# The reference tools, pinned exactly.
JS_TOOLS = {"eslint": "9.17.0", "globals": "15.14.0", "typescript": "5.7.3", "@types/node": "22.10.5"}
BATCH = 400


def ensure_tools(tools_dir: Path = TOOLS_DIR) -> Path:
    """Install the pinned tools into ``tools_dir`` unless they are there."""
    def installed() -> dict:
        out = {}
        for name in JS_TOOLS:
            manifest = tools_dir / "node_modules" / name / "package.json"
            if manifest.exists():
                out[name] = json.loads(manifest.read_text())["version"]
        return out

    if installed() == JS_TOOLS:
        return tools_dir
    tools_dir.mkdir(parents=True, exist_ok=True)
    if not (tools_dir / "package.json").exists():
        (tools_dir / "package.json").write_text('{"name": "lintseq-js-tools", "private": true}\n')
    log(f"installing {', '.join(f'{n}@{v}' for n, v in JS_TOOLS.items())} into {tools_dir}")
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "-E",
                    *(f"{n}@{v}" for n, v in JS_TOOLS.items())], cwd=tools_dir, check=True)
    if installed() != JS_TOOLS:
        raise SystemExit(f"{tools_dir} has {installed()}, expected {JS_TOOLS}")
    return tools_dir


class Reference:
    """The reference configuration's errors for texts, batched and cached."""

    def __init__(self, language: str, env: str, tools_dir: Path):
        self.language = language
        self.env = env
        self.tools_dir = tools_dir
        self.cache_dir = CACHE_DIR / f"{language}-{env.replace(',', '+')}"
        self.cache_dir.mkdir(parents=True, exist_ok=True)

    def key(self, text: str, tsx: bool) -> str:
        return hashlib.sha256((("tsx:" if tsx else "ts:") + text).encode()).hexdigest()

    def errors(self, items: list[tuple[str, bool]]) -> dict[str, list]:
        """Errors per cache key of every (text, tsx) pair."""
        results: dict[str, list] = {}
        todo: dict[str, dict] = {}
        for text, tsx in items:
            key = self.key(text, tsx)
            path = self.cache_dir / f"{key}.json"
            if key in results or key in todo:
                continue
            if path.exists():
                results[key] = json.loads(path.read_text())
            else:
                todo[key] = {"text": text, "tsx": tsx}
        keys = list(todo)
        for start in range(0, len(keys), BATCH):
            chunk = {k: todo[k] for k in keys[start:start + BATCH]}
            log(f"reference: {start + len(chunk)} of {len(keys)} texts")
            with tempfile.TemporaryDirectory() as tmp:
                request = Path(tmp) / "request.json"
                result = Path(tmp) / "result.json"
                request.write_text(json.dumps({"language": self.language, "env": self.env, "texts": chunk}))
                subprocess.run(["node", str(HELPER), str(self.tools_dir), str(request), str(result)], check=True)
                answers = json.loads(result.read_text())
            for key, errors in answers.items():
                (self.cache_dir / f"{key}.json").write_text(json.dumps(errors))
                results[key] = errors
        return results


def error_keys(text: str, errors: list) -> dict[tuple[str, str], tuple[int, str]]:
    lines = text.split("\n")
    out = {}
    for key, line, message in errors:
        line_text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        out.setdefault((key, line_text), (line, message))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--language", choices=["javascript", "typescript"], required=True)
    parser.add_argument("--env", default="node", help="lintseq's --js-env and the reference's globals")
    parser.add_argument("-s", "--paths", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, help="first N rows of the corpus only")
    parser.add_argument("--edits", type=Path, help="existing generate output instead of running lintseq")
    parser.add_argument("--max-new-error-rate", type=float, help="percent")
    args = parser.parse_args()

    threshold = args.max_new_error_rate
    if threshold is None:
        threshold = 0.1 if args.language == "javascript" else 0.5
    tools = ensure_tools()
    corpus_rows = list(read_jsonl(args.corpus))
    name = args.corpus.name.split(".")[0]
    if args.limit:
        corpus_rows = corpus_rows[:args.limit]
        name += f"_first{args.limit}"
    out_dir = DATA_DIR / "fidelity"
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.edits:
        edits = args.edits
    else:
        corpus = out_dir / f"{name}.input.jsonl"
        write_jsonl(corpus, corpus_rows)
        edits = out_dir / f"{name}_{args.paths}_{args.seed}.jsonl"
        if not LINTSEQ.exists():
            raise SystemExit(f"{LINTSEQ} not found: run cargo build --release first")
        subprocess.run([str(LINTSEQ), "generate", str(corpus), "-o", str(edits), "--force",
                        "--language", args.language, "--js-env", args.env,
                        "-s", str(args.paths), "--seed", str(args.seed), "-j", "2"], check=True)
    rows = list(read_jsonl(edits))

    # Replay every path.
    states_of = []
    failures = []
    non_insertion = 0
    for row in rows:
        program = corpus_rows[row["index"]]["response"].strip()
        outcome = replay(row["edit_path"], program)
        non_insertion += outcome.non_insertion_diffs
        if outcome.failure or outcome.non_insertion_diffs:
            failures.append({"index": row["index"], "failure": outcome.failure or "non-insertion diff"})
        states_of.append((row["index"], program, outcome.states))

    # TSX for TypeScript sources that only parse as TSX.
    reference = Reference(args.language, args.env, tools)
    sources = {index: program for index, program, _ in states_of}
    tsx = {index: False for index in sources}
    if args.language == "typescript":
        plain = reference.errors([(p, False) for p in sources.values()])
        as_tsx = reference.errors([(p, True) for p in sources.values()])
        for index, program in sources.items():
            syntactic = lambda errs: [e for e in errs if e[0].startswith("TS1")]  # noqa: E731
            if syntactic(plain[reference.key(program, False)]) and not syntactic(as_tsx[reference.key(program, True)]):
                tsx[index] = True

    items = [(program, tsx[index]) for index, program in sources.items()]
    items += [(state, tsx[index]) for index, _, states in states_of for state in states]
    results = reference.errors(items)

    total_states = 0
    bad_states = 0
    any_error_states = 0
    details = []
    new_by_key: dict[str, int] = {}
    for row_number, (index, program, states) in enumerate(states_of):
        source_errors = error_keys(program, results[reference.key(program, tsx[index])])
        for number, state in enumerate(states, 1):
            total_states += 1
            errors = error_keys(state, results[reference.key(state, tsx[index])])
            if errors:
                any_error_states += 1
            new = {k: v for k, v in errors.items() if k not in source_errors}
            if new:
                bad_states += 1
                for key, _ in new:
                    new_by_key[key] = new_by_key.get(key, 0) + 1
                details.append({"row": row_number, "index": index, "state": number,
                                "new_errors": [[k[0], v[0], v[1], k[1]] for k, v in new.items()],
                                "text": state})
    paths = len(rows)
    summary = {
        "corpus": str(args.corpus),
        "language": args.language,
        "env": args.env,
        "edits": str(edits),
        "programs": len(sources),
        "paths": paths,
        "states": total_states,
        "states_with_new_errors": bad_states,
        "new_error_rate_percent": 100.0 * bad_states / total_states if total_states else 0.0,
        "new_errors_by_key": new_by_key,
        "states_with_any_error": any_error_states,
        "edits_per_path": total_states / paths if paths else 0.0,
        "round_trip_failures": len(failures),
        "non_insertion_diffs": non_insertion,
        "round_trip_percent": 100.0 * (paths - len(failures)) / paths if paths else 0.0,
        "tsx_programs": sum(tsx.values()),
    }
    (out_dir / f"{name}.summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    write_jsonl(out_dir / f"{name}.new-errors.jsonl", details)
    for key, value in summary.items():
        print(f"{key}: {value}")
    for failure in failures[:10]:
        print(f"round trip: row {failure['index']}: {failure['failure']}")
    ok = summary["new_error_rate_percent"] <= threshold and not failures
    print(f"{'PASS' if ok else 'FAIL'}: {summary['new_error_rate_percent']:.3f}% of states with new errors "
          f"(limit {threshold}%), {summary['round_trip_percent']:.1f}% round trip")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
