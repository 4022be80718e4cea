#!/usr/bin/env python3
"""Edits per path with unresolved imports: pylintseq against both lintseq import modes.

pylintseq deletes an import that does not resolve in its environment (and
every use of the names it bound) with the first edit; ``lintseq generate
--imports reference`` does the same, ``--imports resolve`` (the default)
keeps each import line an edit of its own. This script runs, in one go and
on the same corpus, seed and path count:

* pylintseq 0.0.2 (``bench/reference.py``, in the benchmark venv);
* ``lintseq generate`` (``bench/run_lintseq.py``, ``-j 1``) in the default
  mode and with ``--imports reference --python target/bench-venv/bin/python``;

and reports the mean number of edits per path of each, on all rows, on the
rows whose original program has an import that does not resolve in the
benchmark venv (E0401, E0402 or E0611 from ``lintseq lint --imports
reference``, which ``bench/imports_check.py`` checks against pylint), and on
the rows whose imports all resolve, with lintseq's ratio to pylintseq.

    python3 bench/import_granularity.py target/bench-data/packages.jsonl -s 2 --seed 1
    python3 bench/import_granularity.py target/bench-data/packages.jsonl -s 2 --seed 1 --reuse-reference

``--reuse-reference`` takes pylintseq's output from an earlier run with the
same arguments (pylintseq needs about a second per program and path). The
figures are also written to ``target/bench-data/import-granularity/NAME.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import mean

from benchlib import DATA_DIR, REPO_ROOT, ensure_venv, extract_code, log, read_jsonl

BENCH = Path(__file__).resolve().parent
IMPORT_CODES = {"E0401", "E0402", "E0611"}


def run(script: str, *args: str) -> None:
    command = [sys.executable, str(BENCH / script), *args]
    log("+ " + " ".join(command))
    subprocess.run(command, check=True)


def unresolved_rows(binary: Path, python: Path, corpus: list[dict]) -> set[int]:
    """Rows whose original program has an import error in the venv."""
    with tempfile.TemporaryDirectory(prefix="lintseq-granularity-") as tmp:
        files = []
        for index, row in enumerate(corpus):
            path = Path(tmp, f"row{index:05d}.py")
            path.write_text(extract_code(row["response"]).strip() + "\n", encoding="utf-8")
            files.append(path)
        result = subprocess.run(
            [str(binary), "lint", "--imports", "reference", "--python", str(python), "--json",
             *map(str, files)],
            capture_output=True, text=True, check=False,
        )
        if result.returncode not in (0, 1):
            raise SystemExit(f"lintseq lint failed: {result.stderr}")
        by_file = {str(path): index for index, path in enumerate(files)}
        return {
            by_file[row["file"]]
            for row in map(json.loads, result.stdout.splitlines())
            if row["code"] in IMPORT_CODES
        }


def edits_per_path(rows: list[dict], keep) -> tuple[float, int]:
    lengths = [len(row["edit_path"]) for row in rows if keep(row["index"])]
    return (mean(lengths) if lengths else float("nan")), len(lengths)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("-s", "--paths", type=int, default=2, help="edit paths per program (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="seed (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="use only the first N rows")
    parser.add_argument("--reuse-reference", action="store_true", help="reuse pylintseq's output if present")
    parser.add_argument("--binary", type=Path, default=REPO_ROOT / "target" / "release" / "lintseq")
    args = parser.parse_args()

    python = ensure_venv()
    common = ["-s", str(args.paths), "--seed", str(args.seed)]
    if args.limit:
        common += ["--limit", str(args.limit)]
    name = args.corpus.name.split(".")[0] + (f"_first{args.limit}" if args.limit else "")
    reference_out = DATA_DIR / "reference" / f"{name}_all_{args.paths}_{args.seed}_vec.jsonl"
    if not (args.reuse_reference and reference_out.exists()):
        run("reference.py", str(args.corpus), *common)
    lintseq_common = [str(args.corpus), *common, "-j", "1", "--binary", str(args.binary)]
    run("run_lintseq.py", *lintseq_common)
    run("run_lintseq.py", *lintseq_common, "--imports", "reference", "--python", str(python))
    outputs = {
        "pylintseq 0.0.2": reference_out,
        "lintseq --imports resolve": DATA_DIR / "lintseq" / f"{name}_{args.paths}_{args.seed}.jsonl",
        "lintseq --imports reference": DATA_DIR / "lintseq" / f"{name}_{args.paths}_{args.seed}_reference.jsonl",
    }
    rows = {tool: list(read_jsonl(path)) for tool, path in outputs.items()}

    corpus = list(read_jsonl(args.corpus))[: args.limit]
    unresolved = unresolved_rows(args.binary, python, corpus)
    classes = {
        "all rows": lambda index: True,
        "rows with unresolved imports": lambda index: index in unresolved,
        "rows whose imports all resolve": lambda index: index not in unresolved,
    }
    figures: dict = {"corpus": str(args.corpus), "rows": len(corpus), "paths_per_row": args.paths,
                     "seed": args.seed, "unresolved_rows": len(unresolved), "outputs": {k: str(v) for k, v in outputs.items()},
                     "edits_per_path": {}}
    print(f"{args.corpus}: {len(corpus)} rows, {args.paths} paths each, seed {args.seed}; "
          f"{len(unresolved)} rows have an import that does not resolve in {python}")
    header = f"{'':32} {'pylintseq 0.0.2':>22} {'lintseq resolve':>22} {'lintseq reference':>22}"
    print(header)
    for label, keep in classes.items():
        cells = []
        base, _ = edits_per_path(rows["pylintseq 0.0.2"], keep)
        entry = {}
        for tool in outputs:
            value, paths = edits_per_path(rows[tool], keep)
            entry[tool] = {"edits_per_path": value, "paths": paths, "ratio_to_pylintseq": value / base}
            cell = f"{value:.2f} ({paths})" if tool == "pylintseq 0.0.2" else f"{value:.2f} ({value / base:.3f}x)"
            cells.append(f"{cell:>22}")
        figures["edits_per_path"][label] = entry
        print(f"{label:32} " + " ".join(cells))
    out = DATA_DIR / "import-granularity" / f"{name}_{args.paths}_{args.seed}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"figures: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
