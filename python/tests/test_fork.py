"""Fork and spawn safety: a process that used the parallel API can fork, and
the child can use it again. A deadlock fails the test by timeout instead of
hanging the suite."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import lintseq
from conftest import read_jsonl, EXAMPLES

TIMEOUT = 120


def batch():
    rows = read_jsonl(EXAMPLES)
    return (
        {"instruction": [r["instruction"] for r in rows], "response": [r["response"] for r in rows]},
        list(range(len(rows))),
    )


def run(threads):
    columns, indices = batch()
    return lintseq.batch_edit_paths(columns, indices, threads=threads)


def wait_or_kill(pid):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError(f"the forked child hung for {TIMEOUT} s (deadlock after fork?)")


def test_fork_after_a_parallel_call():
    expected = run(threads=2)
    # Fork straight after the parallel call, while its pool winds down.
    pid = os.fork()
    if pid == 0:  # the child: use the parallel API again, then leave at once
        try:
            ok = run(threads=2) == expected and run(threads=0) == expected
            os._exit(0 if ok else 3)
        except BaseException:
            os._exit(4)
    status = wait_or_kill(pid)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status


def test_fork_during_a_parallel_call_in_another_thread():
    import threading

    expected = run(threads=2)
    results = []
    worker = threading.Thread(target=lambda: results.append(run(threads=2)))
    worker.start()
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(0 if run(threads=2) == expected else 3)
        except BaseException:
            os._exit(4)
    worker.join(TIMEOUT)
    status = wait_or_kill(pid)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    assert results == [expected]


def _in_child(_):
    return run(threads=2)


def test_pools_of_forked_and_spawned_workers():
    expected = run(threads=2)
    for method in ("fork", "spawn", "forkserver"):
        context = multiprocessing.get_context(method)
        with context.Pool(2) as pool:
            result = pool.map_async(_in_child, range(4))
            assert result.get(TIMEOUT) == [expected] * 4, method
