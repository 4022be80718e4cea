"""The `lintseq` command that `pip install` puts on the PATH is the CLI."""

from __future__ import annotations

import subprocess
import sys

import lintseq
from conftest import EXAMPLES, lintseq_command, read_jsonl, run_cli


def test_version_and_help():
    done = run_cli("--version")
    assert done.stdout.strip() == f"lintseq {lintseq.__version__}"
    done = run_cli("generate", "--help")
    assert "--paths-per-row" in done.stdout


def test_exit_statuses_pass_through(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("print(x)\n")
    assert run_cli("lint", bad, check=False).returncode == 1
    good = tmp_path / "good.py"
    good.write_text("x = 1\n")
    assert run_cli("lint", good, check=False).returncode == 0
    usage = run_cli("generate", "--no-such-flag", check=False)
    assert usage.returncode == 2
    assert "--no-such-flag" in usage.stderr
    missing = run_cli("generate", tmp_path / "none.jsonl", "-o", tmp_path / "o.jsonl", check=False)
    assert missing.returncode == 1
    assert "lintseq: error:" in missing.stderr


def test_python_dash_m(tmp_path):
    out = tmp_path / "m.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "lintseq", "generate", str(EXAMPLES), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stderr
    script = tmp_path / "s.jsonl"
    run_cli("generate", EXAMPLES, "-o", script)
    assert out.read_bytes() == script.read_bytes()


def test_broken_pipe_is_quiet(tmp_path):
    out = tmp_path / "many.py"
    out.write_text("".join(f"print(x{i})\n" for i in range(20000)))
    command = " ".join(lintseq_command()) + f" lint {out} | head -1"
    done = subprocess.run(["bash", "-c", "set -o pipefail; " + command], capture_output=True, text=True, timeout=120)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr


def _big_input(tmp_path, mixed_corpus):
    lines = mixed_corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "big.jsonl"
    path.write_text("".join(lines * 200), encoding="utf-8")
    return path


def _interrupt(command, tmp_path):
    import signal
    import time

    log = tmp_path / "stderr.txt"
    with open(log, "w") as stderr:
        # Run in the background by a shell without job control (`cmd &` in a
        # script), these tests inherit SIGINT ignored, and so would the
        # child, whose Python would then never see Ctrl-C. Started while a
        # handler is set, the child gets SIGINT's default disposition, as it
        # would from a terminal.
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            process = subprocess.Popen(command, stderr=stderr, text=True)
        finally:
            signal.signal(signal.SIGINT, previous)
        time.sleep(1.5)
        assert process.poll() is None, "the run ended before it could be interrupted"
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError("Ctrl-C did not stop the run")
    return process.returncode, log.read_text()


def test_ctrl_c_stops_the_script(tmp_path, mixed_corpus):
    big = _big_input(tmp_path, mixed_corpus)
    code, _ = _interrupt(lintseq_command() + ["generate", str(big), "-o", str(tmp_path / "o.jsonl"), "-j", "1"], tmp_path)
    assert code == -2  # killed by SIGINT, as the binary is


def test_ctrl_c_stops_lintseq_generate(tmp_path, mixed_corpus):
    big = _big_input(tmp_path, mixed_corpus)
    script = f"import lintseq; lintseq.generate({str(big)!r}, {str(tmp_path / 'o.jsonl')!r}, threads=1)"
    code, stderr = _interrupt([sys.executable, "-c", script], tmp_path)
    # An uncaught KeyboardInterrupt ends Python by SIGINT.
    assert code == -2, stderr[-2000:]
    assert "KeyboardInterrupt" in stderr
