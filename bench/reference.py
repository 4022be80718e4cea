#!/usr/bin/env python3
"""Run the reference implementation, pylintseq 0.0.2, on a corpus and time it.

pylintseq runs from the benchmark venv (target/bench-venv, created from
bench/requirements.txt if missing) through its console script::

    pylintseq -p INPUT.jsonl -d OUT_DIR -c 1 -s PATHS --seed SEED

with one worker (``-c 1``: joblib then runs everything in the pylintseq
process itself, so the CPU time of the child processes is the whole cost).
Wall time and CPU time (user + system, from ``getrusage(RUSAGE_CHILDREN)``)
are recorded in a JSON timing file next to the output.

The input is first copied (``--limit N``: its first N rows only) to
OUT_DIR/inputs/NAME.jsonl, because pylintseq insists that everything after the
first "." of the path it is given is "jsonl": it is run from that directory
with a relative path. pylintseq names its output itself:
OUT_DIR/NAME_all_PATHS_SEED_vec.jsonl (an existing one is replaced). The copy
is the corpus to give ``fidelity.py --corpus`` when checking that output.

pylintseq handles about 1 to 3 programs a second, depending on their length,
so use --limit for quick speed comparisons on a subset; the stdlib corpus is
drawn in random order, so its first rows are a fair sample.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from benchlib import DATA_DIR, VENV_DIR, ensure_venv, log, prepare_input, report_timing, run_timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="instruct-style JSONL corpus (fields: instruction, response)")
    parser.add_argument("-s", "--paths", type=int, default=1, help="edit paths per program, pylintseq's -s (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="pylintseq's --seed (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="use only the first N rows of the corpus")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR / "reference", help="where outputs go (default: %(default)s)")
    parser.add_argument("--venv", type=Path, default=VENV_DIR, help="benchmark venv (default: %(default)s)")
    args = parser.parse_args()

    pylintseq = ensure_venv(args.venv).parent / "pylintseq"
    out_dir = args.out_dir.resolve()
    name, input_path, programs = prepare_input(args.corpus, args.limit, out_dir / "inputs")
    stem = f"{name}_all_{args.paths}_{args.seed}"
    output = out_dir / f"{stem}_vec.jsonl"  # the name pylintseq chooses
    output.unlink(missing_ok=True)  # pylintseq refuses to overwrite

    command = [str(pylintseq), "-p", input_path.name, "-d", str(out_dir),
               "-c", "1", "-s", str(args.paths), "--seed", str(args.seed)]
    log_path = out_dir / f"{stem}.log"
    log(f"running pylintseq on {programs} programs (log: {log_path})")
    with tempfile.TemporaryDirectory(prefix="lintseq-ref-") as pylint_home:
        # PYLINTHOME keeps pylint's per-module stats files out of ~/.cache.
        env = dict(os.environ, PYLINTHOME=pylint_home)
        timing = run_timed(command, input_path.parent, log_path, env)
    if timing["returncode"] != 0:
        print(f"pylintseq failed with exit status {timing['returncode']}; see {log_path}", file=sys.stderr)
        return 1
    timing["corpus"] = str(args.corpus)
    timing["input"] = str(input_path)
    report_timing(timing, programs, output, out_dir / f"{stem}.timing.json")
    print("check it with:")
    print(f"  python3 bench/fidelity.py --reference --corpus {input_path} {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
