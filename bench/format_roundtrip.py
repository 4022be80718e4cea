#!/usr/bin/env python3
"""Check that `lintseq format` then `lintseq resolve` gives every program back.

For each corpus, this runs::

    lintseq generate CORPUS -o edits.jsonl -s PATHS --seed SEED
    lintseq format edits.jsonl -o STYLE.jsonl --style STYLE      # lintseq, prompt-completion, messages
    lintseq resolve STYLE.jsonl -o STYLE.programs.jsonl

and compares every resolved program with its source program (the
``source_response`` field after pylintseq's Markdown extraction, stripped, as
``fidelity.py`` compares them). It also checks the lintseq style against the
paper's fine-tuning text, ``instruction + "\\n<|diff|>".join([""] + diffs +
["", ""])``, and that ``resolve`` reported nothing. It prints one line per
corpus and style and exits 1 on any failure.

Corpora default to those ``corpus.py`` builds in ``target/bench-data/``
(``humaneval.jsonl``, ``stdlib.jsonl`` and, when present, ``packages.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, extract_code, log, read_jsonl

STYLES = ("lintseq", "prompt-completion", "messages")
DIFF = "<|diff|>"


def paper_text(instruction: str, diffs: list[str]) -> str:
    """The training text of the reference's fine-tuning script."""
    return instruction + ("\n" + DIFF).join([""] + diffs + ["", ""])


def check_style(style: str, generated: list[dict], formatted: list[dict], resolved: list[dict]) -> list[str]:
    """Every failure of one style, as messages."""
    failures = []
    if not (len(generated) == len(formatted) == len(resolved)):
        return [f"{len(generated)} generated rows, {len(formatted)} formatted, {len(resolved)} resolved"]
    for number, (source, row, back) in enumerate(zip(generated, formatted, resolved)):
        # Output row `number` is one path; several share a row index.
        where = f"path {number} (index {source['index']})"
        program = extract_code(source["source_response"]).strip()
        if back.get("program") != program:
            failures.append(f"{where}: the resolved program differs from the source")
        if back.get("resolve_issues"):
            failures.append(f"{where}: resolve reported {back['resolve_issues']}")
        if row.get("index") != source["index"]:
            failures.append(f"{where}: formatted row has index {row.get('index')}")
        if style == "lintseq":
            text = row["prompt"] + row["completion"]
            if text != paper_text(source["source_instruction"], source["edit_path"]):
                failures.append(f"{where}: not the paper's training text")
    return failures


def run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path, nargs="*", help="instruct-style JSONL corpora (default: see above)")
    parser.add_argument("-s", "--paths", type=int, default=5, help="edit paths per program (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    parser.add_argument("--binary", type=Path, default=REPO_ROOT / "target" / "release" / "lintseq",
                        help="lintseq binary (default: %(default)s)")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR / "format", help="where outputs go (default: %(default)s)")
    args = parser.parse_args()

    corpora = args.corpora or [
        path for name in ("humaneval", "stdlib", "packages")
        if (path := DATA_DIR / f"{name}.jsonl").exists()
    ]
    if not corpora:
        print("no corpora: run python3 bench/corpus.py first", file=sys.stderr)
        return 1
    binary = str(args.binary.resolve())
    args.out_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    summary = {}
    for corpus in corpora:
        name = corpus.name.split(".")[0]
        edits = args.out_dir / f"{name}.edits.jsonl"
        log(f"{name}: generate")
        run([binary, "generate", str(corpus), "-o", str(edits), "-s", str(args.paths),
             "--seed", str(args.seed), "--force"])
        generated = list(read_jsonl(edits))
        for style in STYLES:
            formatted_path = args.out_dir / f"{name}.{style}.jsonl"
            resolved_path = args.out_dir / f"{name}.{style}.programs.jsonl"
            run([binary, "format", str(edits), "-o", str(formatted_path), "--style", style, "--force"])
            run([binary, "resolve", str(formatted_path), "-o", str(resolved_path), "--force"])
            failures = check_style(style, generated, list(read_jsonl(formatted_path)), list(read_jsonl(resolved_path)))
            per_path = {f.split(":")[0] for f in failures if f.startswith("path ")}
            whole = any(not f.startswith("path ") for f in failures)
            ok = 0 if whole else len(generated) - len(per_path)
            summary[f"{name}/{style}"] = {"paths": len(generated), "round_trips": ok, "failures": failures[:20]}
            print(f"{name:10} {style:18} {ok}/{len(generated)} paths round-trip"
                  + ("" if not failures else f"; {len(failures)} failures, e.g. {failures[0]}"))
            failed |= bool(failures)
    (args.out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
