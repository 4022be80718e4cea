"""Shared fixtures: the repository's example rows, a corpus cut from the
standard library, and the `lintseq` command (the package's own script)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "instruct.jsonl"
sys.path.insert(0, str(REPO / "bench"))


def lintseq_command() -> List[str]:
    """The installed `lintseq` script beside this interpreter."""
    script = Path(sys.executable).parent / "lintseq"
    if script.exists():
        return [str(script)]
    found = shutil.which("lintseq")
    assert found, "the lintseq script is not installed"
    return [found]


def run_cli(*args: Any, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess:
    """Runs the `lintseq` command and returns the finished process."""
    command = lintseq_command() + [str(a) for a in args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    if check and done.returncode != 0:
        raise AssertionError(f"{command} exited {done.returncode}:\n{done.stderr}")
    return done


def read_jsonl(path: Path) -> List[Dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def write_jsonl(path: Path, rows: List[Dict[str, Any]]) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def normalised(rows: List[Dict[str, Any]]) -> List[str]:
    """Rows as canonical JSON text (sorted keys), for byte comparisons."""
    return [json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows]


@pytest.fixture(scope="session")
def example_rows() -> List[Dict[str, Any]]:
    return read_jsonl(EXAMPLES)


@pytest.fixture(scope="session")
def stdlib_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 definitions cut from this interpreter's standard library (the
    benchmarks' corpus builder), as JSONL."""
    import corpus  # bench/corpus.py: standard library only

    rows = corpus.stdlib_rows(300, 0, 5, 80)
    return write_jsonl(tmp_path_factory.mktemp("stdlib") / "stdlib.jsonl", rows)


@pytest.fixture(scope="session")
def mixed_corpus(tmp_path_factory: pytest.TempPathFactory, example_rows, stdlib_corpus) -> Path:
    """The examples (with their bad rows) and the stdlib corpus, interleaved,
    plus rows whose fields are missing, null or not strings."""
    rows: List[Dict[str, Any]] = []
    stdlib = read_jsonl(stdlib_corpus)
    for i, row in enumerate(stdlib):
        rows.append(row)
        if i < len(example_rows):
            rows.append(example_rows[i])
    rows += [
        {"instruction": "No response field."},
        {"instruction": "A null response.", "response": None},
        {"instruction": "A numeric response.", "response": 42},
        {"instruction": None, "response": "x = 1\nprint(x)"},
        {"response": "def f():\n    return 1"},
        {"instruction": "CRLF.", "response": "def g(a):\r\n    return a\r\n"},
    ]
    return write_jsonl(tmp_path_factory.mktemp("mixed") / "mixed.jsonl", rows)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO



@contextlib.contextmanager
def serving(*args: Any, processes: Optional[List[subprocess.Popen]] = None) -> Iterator[str]:
    """Runs `lintseq serve` on a free loopback port with `args`, yields its
    URL once /healthz answers, and stops it with SIGTERM (which must exit
    0). The process is appended to `processes`, if given."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        lintseq_command() + ["serve", "--listen", f"127.0.0.1:{port}"] + [str(a) for a in args],
        stderr=subprocess.PIPE,
        text=True,
    )
    if processes is not None:
        processes.append(process)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as reply:
                if json.loads(reply.read())["status"] == "ok":
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"lintseq serve did not start: {process.stderr.read()}")
        time.sleep(0.2)
    try:
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, process.stderr.read()
