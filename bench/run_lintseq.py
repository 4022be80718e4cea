#!/usr/bin/env python3
"""Run our lintseq binary on a corpus and time it, like reference.py does for pylintseq.

The command is::

    lintseq generate INPUT.jsonl -o OUTPUT.jsonl -s PATHS --seed SEED -j JOBS

(default binary: target/release/lintseq; build it first). As in reference.py,
the input is first copied (``--limit N``: its first N rows only) to
OUT_DIR/inputs/NAME.jsonl, the output goes to
OUT_DIR/NAME_PATHS_SEED.jsonl, and wall and CPU time are written to a timing
JSON file next to it, so the two tools are timed on the same programs the
same way. Then check the output with fidelity.py (the command is printed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, log, prepare_input, report_timing, run_timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="instruct-style JSONL corpus (fields: instruction, response)")
    parser.add_argument("-s", "--paths", type=int, default=5, help="edit paths per program (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="worker threads (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="use only the first N rows of the corpus")
    parser.add_argument("--binary", type=Path, default=REPO_ROOT / "target" / "release" / "lintseq",
                        help="lintseq binary (default: %(default)s)")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR / "lintseq", help="where outputs go (default: %(default)s)")
    args = parser.parse_args()

    if not args.binary.exists():
        print(f"{args.binary} not found; build it with cargo build --release", file=sys.stderr)
        return 1
    out_dir = args.out_dir.resolve()
    name, input_path, programs = prepare_input(args.corpus, args.limit, out_dir / "inputs")
    stem = f"{name}_{args.paths}_{args.seed}"
    output = out_dir / f"{stem}.jsonl"
    command = [str(args.binary.resolve()), "generate", str(input_path), "-o", str(output),
               "-s", str(args.paths), "--seed", str(args.seed), "-j", str(args.jobs), "--force"]
    log_path = out_dir / f"{stem}.log"
    log(f"running {args.binary} on {programs} programs (log: {log_path})")
    timing = run_timed(command, out_dir, log_path)
    if timing["returncode"] != 0:
        print(f"lintseq failed with exit status {timing['returncode']}; see {log_path}", file=sys.stderr)
        return 1
    timing["corpus"] = str(args.corpus)
    timing["input"] = str(input_path)
    report_timing(timing, programs, output, out_dir / f"{stem}.timing.json")
    print("check it with:")
    print(f"  python3 bench/fidelity.py --corpus {input_path} {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
