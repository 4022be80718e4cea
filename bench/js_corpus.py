#!/usr/bin/env python3
"""Build the JavaScript and TypeScript corpora used by the lintseq benchmarks.

Two files are written (default directory: target/bench-data/, gitignored):

js.jsonl
    The 164 HumanEval-X JavaScript problems (``prompt + canonical_solution``,
    read from ``../shared/datasets/humaneval-x/humaneval_js.jsonl.gz``;
    left out with ``--no-humaneval-x``), then top-level functions and classes
    cut from the JavaScript npm packages in ``JS_PACKAGES``.

ts.jsonl
    Top-level functions, classes, interfaces and type declarations cut from
    the TypeScript sources of the npm packages in ``TS_PACKAGES``.

With ``--name PREFIX`` the files are ``PREFIX_js.jsonl`` and
``PREFIX_ts.jsonl`` instead, so that another corpus does not overwrite these.

Other packages (for instance ones the checker was never tuned on) are given
with the repeatable ``--js-package SPEC`` and ``--ts-package SPEC``, where
SPEC is ``NAME@VERSION:DIR:EXT``: the exact npm version, the directory in the
tarball that holds readable (not built or minified) source, with its
trailing slash, and the file extension. Scoped names work
(``@scope/pkg@1.2.3:src/:.ts``). An empty DIR takes only the files at the
top of the tarball (as for lodash). Any ``--js-package`` replaces
``JS_PACKAGES`` and any ``--ts-package`` replaces ``TS_PACKAGES``; the other
list stays the default. For example::

    python3 bench/js_corpus.py --name heldout --no-humaneval-x --per-package 60 \\
        --js-package dayjs@1.11.13:esm/:.js --ts-package mobx@6.13.5:src/:.ts

The packages are fetched by pinned version with ``npm pack`` into
``target/bench-data/npm-cache/`` (nothing is stored in the repository). A
cut is a top-level declaration that starts at column 0 (``function``,
``class``, ``const x = ...``, ``export ...``, ``interface``, ``type``,
``enum``; with the JSDoc comment and decorators right above it) and ends at
the next line at column 0 that closes it (``}``, ``};``, ``});``...), 5 to
80 lines long. In front of it go the file's import statements
(``import ... from``, ``const x = require(...)``) that bind a name the cut
uses. Names the cut takes from the rest of its module are left undefined:
the source program then has those errors, and they are not new.

Each JavaScript package contributes at most ``--per-package`` cuts (default
150) and each TypeScript package at most twice that, drawn with
``random.Random(0)`` and kept in the drawn order; npm rows are shuffled
together, so the first N rows are a fair sample. Row fields: ``instruction``,
``response``, ``language`` (``javascript`` or ``typescript``), ``source``
(``package/path:line`` or the HumanEval-X task id).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import tarfile
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, log, write_jsonl

HUMANEVAL_X_JS = REPO_ROOT.parent / "shared" / "datasets" / "humaneval-x" / "humaneval_js.jsonl.gz"
if not HUMANEVAL_X_JS.exists():  # a worktree sits one level deeper
    HUMANEVAL_X_JS = REPO_ROOT.parent.parent / "shared" / "datasets" / "humaneval-x" / "humaneval_js.jsonl.gz"

# (package, version, directory in the tarball holding readable source, extension)
JS_PACKAGES = [
    ("lodash", "4.17.21", "", ".js"),
    ("commander", "12.1.0", "lib/", ".js"),
    ("underscore", "1.13.7", "modules/", ".js"),
    ("express", "4.21.2", "lib/", ".js"),
]
TS_PACKAGES = [
    ("rxjs", "7.8.1", "src/internal/", ".ts"),
    ("immer", "10.1.1", "src/", ".ts"),
]

TOP_LEVEL = re.compile(
    r"^(export\s+(default\s+)?)?(declare\s+)?(async\s+)?"
    r"(function\b|function\*|class\b|abstract\s+class\b|const\b|let\b|var\b|interface\b|type\b|enum\b)"
)
CLOSER = re.compile(r"^[}\])]")
IMPORT_START = re.compile(r"^import\b")
REQUIRE = re.compile(r"^(?:var|let|const)\s+(.+?)\s*=\s*require\(")
WORD = re.compile(r"[A-Za-z_$][\w$]*")


def package_spec(spec: str) -> tuple[str, str, str, str]:
    """``NAME@VERSION:DIR:EXT`` as (name, version, directory, extension), like ``JS_PACKAGES``."""
    parts = spec.split(":")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"{spec!r}: expected NAME@VERSION:DIR:EXT")
    package, directory, extension = parts
    name, _, version = package.rpartition("@")  # "@scope/pkg@1.2.3": the last "@"
    if not name or name == "@" or not version:
        raise argparse.ArgumentTypeError(f"{spec!r}: expected NAME@VERSION before the first ':'")
    if not extension:
        raise argparse.ArgumentTypeError(f"{spec!r}: the extension (e.g. .js) is missing")
    return name, version, directory, extension


def npm_pack(name: str, version: str, cache: Path) -> Path:
    """The package's tarball in ``cache``, fetched with ``npm pack`` the first time."""
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"{name.replace('/', '-').lstrip('@')}-{version}.tgz"
    if not tarball.exists():
        log(f"npm pack {name}@{version}")
        subprocess.run(["npm", "pack", "--silent", f"{name}@{version}"], cwd=cache, check=True,
                       stdout=subprocess.DEVNULL)
    return tarball


def package_files(tarball: Path, directory: str, extension: str) -> list[tuple[str, str]]:
    """(path, text) of the package's source files, sorted by path."""
    out = []
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            path = member.name.removeprefix("package/")
            if not member.isfile() or not path.startswith(directory) or not path.endswith(extension):
                continue
            if path.endswith(".d.ts") or ".min." in path or "/test" in path or path.startswith("test"):
                continue
            if directory == "" and "/" in path:  # lodash: the per-function files at the top only
                continue
            data = archive.extractfile(member)
            if data is None:
                continue
            try:
                out.append((path, data.read().decode("utf-8")))
            except UnicodeDecodeError:
                continue
    return sorted(out)


def import_statements(lines: list[str]) -> list[tuple[str, set[str]]]:
    """The file's top-level imports and requires, with the names each binds."""
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if IMPORT_START.match(line):
            start = i
            while not re.search(r"""(['"][^'"]*['"]\s*;?\s*$)""", lines[i]) and i + 1 < len(lines):
                i += 1
            text = "\n".join(lines[start:i + 1])
            head = text.split(" from ")[0] if " from " in text else ""
            head = re.sub(r"^import\s+(type\s+)?", "", head)
            names = set()
            for part in re.split(r"[{},]", head):
                part = part.strip()
                if not part or part == "type":
                    continue
                part = part.removeprefix("type ").strip()
                bound = part.split(" as ")[-1].strip()
                if WORD.fullmatch(bound):
                    names.add(bound)
            out.append((text, names))
        elif match := REQUIRE.match(line):
            if line.rstrip().endswith(";") or line.rstrip().endswith(")"):
                names = set(WORD.findall(match.group(1)))
                out.append((line, names))
        i += 1
    return out


def cuts(text: str) -> list[tuple[int, str]]:
    """Top-level declarations of 5 to 80 lines: (1-based line, text with the imports it uses)."""
    if "\r" in text or "\f" in text or "\v" in text:
        return []
    lines = text.split("\n")
    imports = import_statements(lines)
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not TOP_LEVEL.match(line) or line.rstrip().endswith(";"):
            i += 1
            continue
        start = i
        # The JSDoc comment and decorators right above.
        while start > 0 and (lines[start - 1].startswith("@") or lines[start - 1].startswith(" *")
                             or lines[start - 1].startswith("/**") or lines[start - 1].startswith(" */")):
            start -= 1
        if start < i and not lines[start].startswith(("/**", "@")):
            start = i
        end = i + 1
        while end < len(lines) and end - start <= 80 and not CLOSER.match(lines[end]):
            end += 1
        if end >= len(lines) or end - start > 80:
            i += 1
            continue
        block = lines[start:end + 1]
        i = end + 1
        if not 5 <= len(block) <= 80:
            continue
        body = "\n".join(block)
        used = set(WORD.findall(body))
        header = [statement for statement, names in imports if names & used]
        program = "\n".join(header + ([""] if header else []) + block)
        out.append((start + 1, program))
    return out


def humaneval_x_rows() -> list[dict]:
    rows = []
    with gzip.open(HUMANEVAL_X_JS, "rt", encoding="utf-8") as handle:
        for line in handle:
            problem = json.loads(line)
            rows.append({
                "instruction": "Complete the following JavaScript function:\n" + problem["prompt"],
                "response": problem["prompt"] + problem["canonical_solution"],
                "language": "javascript",
                "source": problem["task_id"],
            })
    return rows


def package_rows(packages, language: str, cache: Path, per_package: int, rng: random.Random) -> list[dict]:
    rows = []
    for name, version, directory, extension in packages:
        tarball = npm_pack(name, version, cache)
        found = []
        for path, text in package_files(tarball, directory, extension):
            for line, program in cuts(text):
                found.append((f"{name}@{version}/{path}:{line}", program))
        chosen = rng.sample(found, min(per_package, len(found)))
        log(f"{name}@{version}: {len(found)} cuts, {len(chosen)} taken")
        for source, program in chosen:
            rows.append({
                "instruction": f"Write this {language} code from {name}.",
                "response": program,
                "language": language,
                "source": source,
            })
    rng.shuffle(rows)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--per-package", type=int, default=150)
    parser.add_argument("--js-package", type=package_spec, action="append", metavar="SPEC",
                        help="NAME@VERSION:DIR:EXT, repeatable; replaces JS_PACKAGES")
    parser.add_argument("--ts-package", type=package_spec, action="append", metavar="SPEC",
                        help="NAME@VERSION:DIR:EXT, repeatable; replaces TS_PACKAGES")
    parser.add_argument("--no-humaneval-x", action="store_true",
                        help="leave the HumanEval-X rows out of the JavaScript corpus")
    parser.add_argument("--name", default="", metavar="PREFIX",
                        help="write PREFIX_js.jsonl and PREFIX_ts.jsonl")
    args = parser.parse_args()
    cache = DATA_DIR / "npm-cache"
    rng = random.Random(0)
    js_packages = args.js_package or JS_PACKAGES
    ts_packages = args.ts_package or TS_PACKAGES
    js = [] if args.no_humaneval_x else humaneval_x_rows()
    js += package_rows(js_packages, "javascript", cache, args.per_package, rng)
    ts = package_rows(ts_packages, "typescript", cache, args.per_package * 2, rng)
    prefix = f"{args.name}_" if args.name else ""
    for name, rows in ((f"{prefix}js.jsonl", js), (f"{prefix}ts.jsonl", ts)):
        count = write_jsonl(args.out_dir / name, rows)
        log(f"wrote {count} rows to {args.out_dir / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
