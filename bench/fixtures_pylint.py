#!/usr/bin/env python3
"""Check the checker's fixtures against pylint 3.2.6 itself.

Every case of crates/lintseq_python/resources/checks/*.py (the ``####``
sections; see crates/lintseq_python/tests/fixtures.rs) says which lines our
checker must flag, with which codes (``# expect: CODE``). This script lints
each case with pylint in LintSeq's configuration and compares pylint's
(line, msg id) pairs with the expectations. Disagreements are printed per
case. Some are intended: where the checker is knowingly stricter than pylint
(it flags what would crash at run time), or where a case is checked against
an ``#### original`` program that pylint never sees.

    python3 bench/fixtures_pylint.py                        # every fixture file
    python3 bench/fixtures_pylint.py function_redefined.py --code E0102

With ``--code``, only those codes are compared, and the exit status is 1
when any case disagrees; without it, everything is reported and the exit
status is 0.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from benchlib import LINTSEQ_KEPT_WARNINGS, REPO_ROOT, VENV_DIR, ensure_venv
from fidelity import lintseq_line
from pylintrun import PylintRunner, text_key

FIXTURES = REPO_ROOT / "crates" / "lintseq_python" / "resources" / "checks"
EXPECT = re.compile(r"# expect:(.*)$")


def cases(text: str) -> list[tuple[str, str]]:
    """(name, source) of each case; ``#### original`` sections are dropped."""
    out = []
    parts = re.split(r"^#### (.*)\n", text, flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2]):
        if name.strip() == "original":
            continue
        out.append((name.strip(), body.rstrip("\n")))
    return out


def expected(source: str) -> set[tuple[int, str]]:
    found = set()
    for number, line in enumerate(source.split("\n"), 1):
        match = EXPECT.search(line)
        if match:
            found.update((number, code) for code in match.group(1).split())
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", help="fixture file names (default: all)")
    parser.add_argument("--code", action="append", help="compare only this msg id (repeatable)")
    parser.add_argument("--venv", type=Path, default=VENV_DIR)
    args = parser.parse_args()
    paths = [FIXTURES / name for name in args.files] if args.files else sorted(FIXTURES.glob("*.py"))
    all_cases = [(path.name, name, source) for path in paths for name, source in cases(path.read_text())]
    runner = PylintRunner(ensure_venv(args.venv), None)
    texts = {text_key(source): source for _, _, source in all_cases}
    messages = runner.lint(texts)
    codes = set(args.code or [])
    disagreements = 0
    for file, name, source in all_cases:
        got = {
            (lintseq_line(m), m[1]) for m in messages[text_key(source)]
            if not (m[0] == "W" and m[1] not in LINTSEQ_KEPT_WARNINGS) and m[0] in "EFW"
        }
        want = expected(source)
        if codes:
            got = {item for item in got if item[1] in codes}
            want = {item for item in want if item[1] in codes}
        if got != want:
            disagreements += 1
            print(f"{file} :: {name}")
            print(f"    only pylint:  {sorted(got - want)}")
            print(f"    only lintseq: {sorted(want - got)}")
    print(f"{len(all_cases) - disagreements} of {len(all_cases)} cases agree with pylint"
          + (f" on {', '.join(sorted(codes))}" if codes else ""))
    return 1 if codes and disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
