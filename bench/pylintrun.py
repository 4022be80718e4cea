"""Batched, cached pylint runs with the LintSeq configuration.

Running pylint once per program costs roughly a second of start-up, so
programs are written to temporary ``.py`` files and linted many per pylint
process, in a few worker processes at once. Each message is attributed to its
file through ``{path}`` in the message template. Results are cached on disk,
one JSON file per program keyed by the sha256 of its text, under a directory
named after the pylint and astroid versions.

Batching is safe here: each temporary file is its own top-level module with a
unique name (``s_<sha>``), every check LintSeq keeps is per module (the
cross-module ones, such as duplicate-code and cyclic-import, are refactoring
messages, which the configuration disables), and pylint reports a syntax
error as E0001 for that file and goes on with the next one. The exception is
a program that assigns attributes of a module it imports (``sys.stdout =
...``): astroid's model of that module is shared by the whole process, so
such a program is linted in a process of its own (``mutates_imports``). When a pylint
process crashes anyway (a traceback on stderr, or a usage error), its batch
is linted again one file at a time.

This is checked, not assumed: run as a script, this module takes
programs from a corpus, adds damaged copies of them (a line deleted, the
program cut short, a line's indentation broken; most of these are syntax
errors), lints them all in one pylint process and each in a process of its
own, and reports any difference::

    python3 bench/pylintrun.py target/bench-data/humaneval.jsonl --sample 40

``fidelity.py --verify-batching N`` does the same for N of the states it
measured. When this was written, 120 HumanEval-based programs (46 with
E0001) and 100 stdlib-based ones (40 with E0001) gave no difference, and 160
such programs gave the same (msg id, line) pairs as pylintseq's in-process
``file_linter``.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Iterator

from benchlib import LINTSEQ_PYLINT_OPTIONS, PINNED, VENV_DIR, ensure_venv, extract_code, log, read_jsonl

# One pylint message: (category letter, msg id, line, column, message text).
Message = tuple[str, str, int, int, str]

FIELD_SEPARATOR = "|"
MSG_TEMPLATE = FIELD_SEPARATOR.join(["{path}", "{C}", "{msg_id}", "{line}", "{column}", "{msg}"])


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_output(stdout: str, files: dict[str, str]) -> dict[str, list[Message]]:
    """Split pylint's output into messages per key; ``files`` maps file name to key.

    Like pylintseq, an output line is used only when it splits into exactly
    the template's fields, so a message whose text contains the separator is
    dropped, as pylintseq drops it.
    """
    messages: dict[str, list[Message]] = {key: [] for key in files.values()}
    for line in stdout.splitlines():
        fields = line.split(FIELD_SEPARATOR)
        if len(fields) != 6 or fields[0] not in files:
            continue
        path, category, msg_id, line_no, column, text = fields
        messages[files[path]].append((category, msg_id, _int(line_no), _int(column), text))
    return messages


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


class PylintRunner:
    def __init__(self, python: Path, cache_dir: Path | None, jobs: int = 2, batch_size: int = 250):
        """``cache_dir=None`` disables the on-disk cache."""
        self.python = python
        self.cache_dir = cache_dir / f"pylint-{PINNED['pylint']}-astroid-{PINNED['astroid']}" if cache_dir else None
        self.jobs = jobs
        self.batch_size = batch_size

    # ---------------------------------------------------------------- cache

    def _cache_path(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def _load(self, key: str) -> list[Message] | None:
        if self.cache_dir is None:
            return None
        try:
            with open(self._cache_path(key), encoding="utf-8") as handle:
                return [tuple(message) for message in json.load(handle)["messages"]]
        except FileNotFoundError:
            return None

    def _store(self, key: str, messages: list[Message]) -> None:
        if self.cache_dir is None:
            return
        path = self._cache_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"messages": messages}), encoding="utf-8")
        os.replace(tmp, path)

    # ---------------------------------------------------------------- linting

    def lint(self, texts: dict[str, str]) -> dict[str, list[Message]]:
        """Messages for each text (``texts`` maps ``text_key(text)`` to text)."""
        results: dict[str, list[Message]] = {}
        missing = []
        for key in sorted(texts):
            cached = self._load(key)
            if cached is None:
                missing.append(key)
            else:
                results[key] = cached
        log(f"pylint: {len(results)} programs cached, {len(missing)} to lint")
        if not missing:
            return results
        # Start-up dominates small batches (about 0.9 s per pylint process,
        # against about 15 ms per HumanEval-sized program in a batch of 200),
        # so batches are as large as allowed while keeping every worker busy.
        size = max(1, min(self.batch_size, -(-len(missing) // self.jobs)))
        batches = [missing[i: i + size] for i in range(0, len(missing), size)]
        done = 0
        for batch_result in self._map(self.lint_uncached, [{k: texts[k] for k in batch} for batch in batches]):
            for key, messages in batch_result.items():
                self._store(key, messages)
                results[key] = messages
                done += 1
            log(f"pylint: linted {done}/{len(missing)}")
        return results

    def lint_each(self, texts: dict[str, str]) -> dict[str, list[Message]]:
        """Lint every text in a pylint process of its own (slow; no cache)."""
        results: dict[str, list[Message]] = {}
        for single in self._map(self.lint_uncached, [{key: text} for key, text in texts.items()]):
            results.update(single)
        return results

    def _map(self, function, jobs: list) -> Iterator:
        """Run ``function`` over ``jobs`` in ``self.jobs`` threads (each drives a pylint process)."""
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = [pool.submit(function, job) for job in jobs]
            for future in as_completed(futures):
                yield future.result()

    def lint_uncached(self, texts: dict[str, str]) -> dict[str, list[Message]]:
        """Lint ``texts`` in one pylint process, those that mutate imported modules each in its own."""
        leaky = {key: text for key, text in texts.items() if mutates_imports(text)}
        if not leaky or len(texts) == 1:
            return self._lint_process(texts)
        rest = {key: text for key, text in texts.items() if key not in leaky}
        results = self._lint_process(rest) if rest else {}
        for key, text in leaky.items():
            results.update(self._lint_process({key: text}))
        return results

    def _lint_process(self, texts: dict[str, str]) -> dict[str, list[Message]]:
        """Lint ``texts`` in one pylint process, falling back to one file per process on a crash."""
        with tempfile.TemporaryDirectory(prefix="lintseq-bench-") as tmp:
            files = {}
            for key, text in texts.items():
                name = f"s_{key[:32]}.py"
                Path(tmp, name).write_text(text, encoding="utf-8")
                files[name] = key
            command = [
                str(self.python), "-m", "pylint", *LINTSEQ_PYLINT_OPTIONS,
                f"--msg-template={MSG_TEMPLATE}", *sorted(files),
            ]
            # PYLINTHOME keeps pylint's per-module stats files out of ~/.cache.
            env = dict(os.environ, PYLINTHOME=os.path.join(tmp, ".pylint.d"))
            result = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, check=False)
        crashed = result.returncode & 32 or "Traceback (most recent call last)" in result.stderr
        if crashed and len(texts) > 1:
            log(f"pylint: a batch of {len(texts)} crashed; linting its files one at a time")
            messages: dict[str, list[Message]] = {}
            for key, text in texts.items():
                messages.update(self._lint_process({key: text}))
            return messages
        if crashed:
            log(f"pylint: crashed on program {next(iter(texts))}; keeping the messages it printed\n"
                + result.stderr[-2000:])
        return parse_output(result.stdout, files)


def mutates_imports(text: str) -> bool:
    """Whether a program assigns or deletes attributes of what it imports.

    astroid keeps one model of each imported module per process, and an
    assignment such as ``sys.stdout = Stream()`` in one file changes what
    pylint infers for ``sys.stdout`` in every file linted after it in that
    process. Such programs are linted in a process of their own.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return False  # pylint cannot build a model of it either
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    if not imported:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
            targets = [ast.Attribute(value=node.args[0], attr="", ctx=ast.Store())] if node.args else []
        else:
            continue
        for target in targets:
            for element in ast.walk(target):
                if isinstance(element, (ast.Attribute, ast.Subscript)):
                    base = element.value
                    while isinstance(base, (ast.Attribute, ast.Subscript)):
                        base = base.value
                    if isinstance(base, ast.Name) and base.id in imported:
                        return True
    return False


def batching_mismatches(batched: dict[str, list[Message]], single: dict[str, list[Message]]) -> list[dict]:
    """Programs whose messages differ between a batched and a one-file run."""
    return [
        {"key": key, "batched": batched[key], "alone": single[key]}
        for key in sorted(single)
        if sorted(batched[key]) != sorted(single[key])
    ]


def damaged_copies(program: str, rng: random.Random) -> list[str]:
    """A few broken variants of a program, most of them syntax errors."""
    lines = program.split("\n")
    if len(lines) < 3:
        return []
    deleted = rng.randrange(len(lines))
    cut = rng.randrange(1, len(lines))
    indented = [i for i, line in enumerate(lines) if line.startswith(" ")]
    variants = [
        "\n".join(lines[:deleted] + lines[deleted + 1:]),
        "\n".join(lines[:cut]),
    ]
    if indented:
        i = rng.choice(indented)
        variants.append("\n".join(lines[:i] + [lines[i][1:]] + lines[i + 1:]))
    return variants


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="instruct-style JSONL corpus (programs in its response field)")
    parser.add_argument("--sample", type=int, default=40, help="programs to take from the corpus (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed for sampling and damaging programs (default: %(default)s)")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="pylint processes at once (default: %(default)s)")
    parser.add_argument("--venv", type=Path, default=VENV_DIR, help="benchmark venv (default: %(default)s)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    programs = [extract_code(row["response"]).strip() for row in read_jsonl(args.corpus)]
    texts = {}
    for program in rng.sample(programs, min(args.sample, len(programs))):
        for text in [program, *damaged_copies(program, rng)]:
            texts[text_key(text)] = text
    runner = PylintRunner(ensure_venv(args.venv), None, args.jobs)
    log(f"linting {len(texts)} programs in one pylint process, then each alone")
    batched = runner.lint_uncached(texts)
    single = runner.lint_each(texts)
    mismatches = batching_mismatches(batched, single)
    syntax_errors = sum(1 for messages in batched.values() if any(m[1] == "E0001" for m in messages))
    print(f"{len(texts)} programs ({syntax_errors} with E0001): "
          f"{len(mismatches)} differ between one batch and one file per process")
    for mismatch in mismatches:
        print(json.dumps(mismatch))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
