#!/usr/bin/env python3
"""Check ``lintseq lint --imports reference`` against pylint on import statements.

pylintseq lints each state as a temporary file, with pylint 3.2.6 in the
environment it runs in; an import that does not resolve there is reported
(E0401 import-error, E0402 relative-beyond-top-level, E0611
no-name-in-module) and deleted. lintseq's reference import mode must report
the same. This script lints a varied set of programs with both and reports
every disagreement:

* pylint runs exactly as pylintseq runs it: ``pylintseq.utils.file_linter``
  on a ``tempfile.NamedTemporaryFile(suffix=".py")``, in the benchmark venv,
  one program after another in one process;
* lintseq runs as ``lintseq lint --imports reference --python VENV_PYTHON
  --json`` on the same programs (written to files elsewhere);
* both see the fixtures' environment
  (``crates/lintseq_python/resources/imports/environment.txt``), built
  afresh under ``target/bench-data/imports-check/env``: two directories on
  ``PYTHONPATH`` with packages of every shape (regular, namespace,
  pkgutil-style, ``.pyc`` only, stub only, extension ``__init__``, nested
  namespace directories), and a temporary directory (``TMPDIR``) with
  entries that relative imports can reach.

The programs:

* the cases of lintseq's reference-mode fixtures
  (``crates/lintseq_python/resources/checks/*.py`` starting with ``# imports:
  reference``): import shapes, relative imports, and every guard pylint
  honours (``try``/``except ImportError`` and its variants, fallback blocks,
  ``TYPE_CHECKING``, ``sys.version_info``, ``contextlib.suppress``), with
  their near misses; so the fixtures' expectations are checked against
  pylint too;
* flat lists of absolute imports: every standard-library module and its
  submodules, every top-level name in the venv's site-packages and
  submodules of a few installed packages, the fixture environment's
  modules, and a missing variant of many of them;
* every distinct import statement of the package corpus's programs
  (``--corpus``, default ``target/bench-data/packages.jsonl`` if it exists).

A disagreement is a (line, message id, message) that one tool reports and
the other does not, for E0401, E0402 and E0611. E0611 on a regular module
(``from os import nope``) needs the module's names, which lintseq's index
does not hold, so those are listed apart, with how many fall on lines
pylint flags with nothing else (the kind that changes edit paths).

    python3 bench/imports_check.py                   # needs target/release/lintseq
    python3 bench/imports_check.py --lintseq target/debug/lintseq --no-corpus

Results go to stdout and ``target/bench-data/imports-check/summary.json``;
the exit status is 1 on any disagreement (E0611 on regular modules are
listed, not counted).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, VENV_DIR, ensure_venv, extract_code, log, read_jsonl

IMPORT_CODES = ("E0401", "E0402", "E0611")
WORK_DIR = DATA_DIR / "imports-check"

# ---------------------------------------------------------------- environment

MANIFEST = REPO_ROOT / "crates" / "lintseq_python" / "resources" / "imports" / "environment.txt"
FIXTURES = REPO_ROOT / "crates" / "lintseq_python" / "resources" / "checks"


def build_env(root: Path) -> dict:
    """Create the fixture environment of MANIFEST; return the environment variables to use."""
    if root.exists():
        shutil.rmtree(root)
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        relative, _, text = line.partition(": ")
        path = root / relative
        if relative.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n" if text else "", encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root / "site"), str(root / "site2")])
    env["TMPDIR"] = str(root / "tmp")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# ---------------------------------------------------------------- cases

# Shapes a fixture cannot annotate (a comment cannot follow a backslash).
EXTRA = {
    "backslash continuation": "import \\\n    not_installed\nfrom os import \\\n    path\n",
}


def fixture_cases() -> list[tuple[str, str]]:
    """The cases of the reference-mode fixture files (``# imports: reference``)."""
    cases = []
    for path in sorted(FIXTURES.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("# imports: reference"):
            continue
        name, lines, in_original = None, [], False
        for line in text.splitlines(keepends=True) + ["#### end\n"]:
            if line.startswith("#### "):
                if name is not None and not in_original:
                    cases.append((f"{path.stem}: {name}", "".join(lines).rstrip("\n") + "\n"))
                name, lines = line[5:].strip(), []
                in_original = name == "original"
            elif name is not None:
                lines.append(line)
    return cases


def structural_cases() -> list[tuple[str, str]]:
    return fixture_cases() + list(EXTRA.items())


def module_names(python: Path, env: dict) -> list[str]:
    """Standard-library modules and their submodules, site-packages top levels and submodules."""
    script = textwrap.dedent(
        """
        import json, os, sys, sysconfig
        names = set(sys.stdlib_module_names)
        def walk(directory, prefix, depth):
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError:
                return
            for entry in entries:
                stem = entry.name[:-3] if entry.name.endswith(".py") else entry.name
                if not stem.isidentifier() or stem == "__pycache__":
                    continue
                if entry.is_dir() or entry.name.endswith(".py"):
                    names.add(prefix + stem)
                    if entry.is_dir() and depth > 1:
                        walk(entry.path, prefix + stem + ".", depth - 1)
        stdlib = sysconfig.get_path("stdlib")
        for name in sorted(set(sys.stdlib_module_names)):
            if name in ("test", "idlelib", "lib2to3"):
                continue
            path = os.path.join(stdlib, name)
            if os.path.isdir(path):
                walk(path, name + ".", 2)
        purelib = sysconfig.get_path("purelib")
        walk(purelib, "", 1)
        for package in ("numpy", "pandas", "dateutil", "astroid", "pylint", "attr", "fire"):
            walk(os.path.join(purelib, package), package + ".", 2)
        print(json.dumps(sorted(names)))
        """
    )
    result = subprocess.run([str(python), "-c", script], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def flat_cases(names: list[str], size: int = 150) -> list[tuple[str, str]]:
    lines = []
    for index, name in enumerate(names):
        lines.append(f"import {name}")
        if index % 5 == 0:
            lines.append(f"import {name}_nope")
            lines.append(f"import {name}.nope_sub")
        if "." in name:
            parent, _, child = name.rpartition(".")
            lines.append(f"from {parent} import {child}")
    return [
        (f"flat {start // size + 1}", "\n".join(lines[start: start + size]) + "\n")
        for start in range(0, len(lines), size)
    ]


def corpus_cases(corpus: Path, size: int = 150) -> list[tuple[str, str]]:
    """Every distinct top-level import statement of the corpus's programs, one per line."""
    statements = []
    seen = set()
    for row in read_jsonl(corpus):
        try:
            tree = ast.parse(extract_code(row["response"]))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                text = ast.unparse(node)
                if text not in seen:
                    seen.add(text)
                    statements.append(text)
    return [
        (f"corpus {start // size + 1}", "\n".join(statements[start: start + size]) + "\n")
        for start in range(0, len(statements), size)
    ]


# ---------------------------------------------------------------- running

PYLINT_DRIVER = textwrap.dedent(
    """
    import json, sys, tempfile
    from pylintseq.utils import file_linter   # pylintseq's own linting function

    programs = json.load(open(sys.argv[1], encoding="utf-8"))
    results = []
    for program in programs:
        # As pylintseq's lintseq_backward_sampling_pythonic does.
        with tempfile.NamedTemporaryFile(suffix=".py", mode="r+") as fp:
            fp.write(program)
            fp.seek(0)
            traces = file_linter(fp.name, expected_error_traces=None)
        results.append([[msg_id, int(line), msg] for msg_id, line, _column, msg in traces])
    json.dump(results, open(sys.argv[2], "w", encoding="utf-8"))
    """
)


def run_pylint(python: Path, programs: list[str], env: dict, work: Path) -> list[list]:
    request = work / "pylint-in.json"
    response = work / "pylint-out.json"
    request.write_text(json.dumps(programs), encoding="utf-8")
    env = dict(env, PYLINTHOME=str(work / "pylint-home"))
    log(f"pylint (as pylintseq runs it): {len(programs)} programs")
    subprocess.run([str(python), "-c", PYLINT_DRIVER, str(request), str(response)], env=env, check=True)
    return json.loads(response.read_text(encoding="utf-8"))


def run_lintseq(lintseq: Path, python: Path, programs: list[str], env: dict, work: Path) -> list[list]:
    case_dir = work / "cases"
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    files = []
    for number, program in enumerate(programs):
        path = case_dir / f"case{number:04d}.py"
        path.write_text(program, encoding="utf-8")
        files.append(path)
    command = [str(lintseq), "lint", "--imports", "reference", "--python", str(python), "--json",
               *map(str, files)]
    log(f"lintseq: {len(programs)} programs")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"lintseq failed ({result.returncode}): {result.stderr}")
    by_file: dict[str, list] = {str(path): [] for path in files}
    for line in result.stdout.splitlines():
        row = json.loads(line)
        by_file[row["file"]].append([row["code"], row["line"], row["message"]])
    return [by_file[str(path)] for path in files]


# ---------------------------------------------------------------- comparing

def compare(names: list[str], programs: list[str], pylint: list[list], ours: list[list]) -> dict:
    """Messages one tool reports and the other does not.

    E0611 that pylint reports on a module other than the empty-named one
    are listed apart (``names``): lintseq knows a namespace package's names,
    not a regular module's. Each is marked with whether pylint reports
    another import message on its line (then the line goes anyway).
    """
    disagreements = []
    unknown_names = []
    lines_checked = 0
    for name, program, theirs, mine in zip(names, programs, pylint, ours):
        lines_checked += program.count("\n")
        theirs = {tuple(m) for m in theirs if m[0] in IMPORT_CODES}
        mine = {tuple(m) for m in mine if m[0] in IMPORT_CODES}
        source = program.splitlines()
        flagged = {m[1] for m in theirs if m[0] != "E0611"}
        for side, only in (("pylint only", theirs - mine), ("lintseq only", mine - theirs)):
            for code, line, message in sorted(only, key=lambda m: (m[1], m[0], m[2])):
                text = source[line - 1].strip() if 0 < line <= len(source) else ""
                item = {"case": name, "side": side, "code": code, "line": line, "message": message, "text": text}
                if side == "pylint only" and code == "E0611" and not message.endswith("in module ''"):
                    item["line_flagged_anyway"] = line in flagged
                    unknown_names.append(item)
                else:
                    disagreements.append(item)
    return {"disagreements": disagreements, "unknown_names": unknown_names, "lines": lines_checked}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lintseq", type=Path, default=REPO_ROOT / "target" / "release" / "lintseq")
    parser.add_argument("--venv", type=Path, default=VENV_DIR, help="benchmark venv (default: %(default)s)")
    default_corpus = DATA_DIR / "packages.jsonl"
    parser.add_argument("--corpus", type=Path, default=default_corpus,
                        help="corpus whose import statements to check (default: %(default)s, if present)")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus's import statements")
    parser.add_argument("--show", type=int, default=60, help="disagreements to print (default: %(default)s)")
    args = parser.parse_args()

    python = ensure_venv(args.venv)
    if not args.lintseq.exists():
        raise SystemExit(f"{args.lintseq} does not exist; build it first (cargo build --release)")
    work = WORK_DIR
    work.mkdir(parents=True, exist_ok=True)
    env = build_env(work / "env")

    cases = structural_cases()
    hand_written = len(cases)
    cases += flat_cases(module_names(python, env))
    if not args.no_corpus and args.corpus.exists():
        cases += corpus_cases(args.corpus)
    names = [name for name, _ in cases]
    programs = [program for _, program in cases]

    pylint = run_pylint(python, programs, env, work)
    ours = run_lintseq(args.lintseq, python, programs, env, work)
    result = compare(names, programs, pylint, ours)

    pylint_counts = Counter(m[0] for messages in pylint for m in messages if m[0] in IMPORT_CODES)
    ours_counts = Counter(m[0] for messages in ours for m in messages if m[0] in IMPORT_CODES)
    disagreements = result["disagreements"]
    unknown = result["unknown_names"]
    unflagged = [item for item in unknown if not item["line_flagged_anyway"]]
    summary = {
        "programs": len(programs),
        "lines": result["lines"],
        "pylint_messages": dict(pylint_counts),
        "lintseq_messages": dict(ours_counts),
        "disagreements": len(disagreements),
        "e0611_on_regular_modules": len(unknown),
        "e0611_on_regular_modules_on_unflagged_lines": len(unflagged),
        "details": disagreements,
        "e0611_details": unknown,
    }
    (work / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(f"programs: {len(programs)} ({result['lines']} lines; {hand_written} hand-written)")
    print(f"pylint's import messages:  {dict(sorted(pylint_counts.items()))}")
    print(f"lintseq's import messages: {dict(sorted(ours_counts.items()))}")
    print(f"E0611 that lintseq leaves to pylint (names of regular modules): {len(unknown)}, "
          f"{len(unflagged)} of them on lines pylint flags with nothing else")
    for item in unflagged[: args.show]:
        print(f"  [{item['case']}] line {item['line']} {item['message']!r}: {item['text']}")
    print(f"disagreements: {len(disagreements)}")
    for item in disagreements[: args.show]:
        print(f"  [{item['case']}] {item['side']}: line {item['line']} {item['code']} "
              f"{item['message']!r}: {item['text']}")
    print(f"summary: {work / 'summary.json'}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
