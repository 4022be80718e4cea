#!/usr/bin/env python3
"""`lintseq prompts --benchmark verilog-eval` against VerilogEval's own
`scripts/sv-generate`, prompt by prompt.

For both tasks (spec-to-rtl on ``dataset_spec-to-rtl``, code completion on
``dataset_code-complete-iccad2023``), every problem and every shot count
from 0 to 4, plus spec-to-rtl with ``--rules`` and with ``--explain`` at 0
and 1 shots, the reference's prompt is made by running its ``sv-generate``
itself with the model ``manual-rtl-coder``, which asks no model and writes
the full prompt to ``<output>_fullprompt.txt`` (``full_prompt.rstrip()``)
and the system message to ``<output>_systemprompt.txt``. Its LLM client
imports are stubbed (they are not used by that model). It runs in this
process through ``runpy`` with its own ``sys.argv``, reading the example
prefixes from its own ``scripts/`` folder.

lintseq's prompts come from one ``lintseq prompts`` call per setting, with
the example prefixes of ``../shared/datasets/verilog-eval/prompt-examples``.
A prompt matches when the user message, right-stripped, and the system
message are identical. Prints the counts and the first mismatches with a
diff; exit status 1 on any mismatch.

    python3 bench/verilog_prompts.py --reference PATH/TO/verilog-eval

``--reference`` is a checkout of NVlabs/verilog-eval (c498220).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import json
import os
import runpy
import subprocess
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets" / "verilog-eval"


def stub_llm_clients() -> None:
    """sv-generate imports these at the top; the manual model uses none."""

    class Message:
        def __init__(self, content):
            self.content = content

    @contextlib.contextmanager
    def callback():
        yield types.SimpleNamespace(
            prompt_tokens=0, completion_tokens=0, total_tokens=0, total_cost=0
        )

    modules = {
        "langchain": types.ModuleType("langchain"),
        "langchain.schema": types.ModuleType("langchain.schema"),
        "langchain.callbacks": types.ModuleType("langchain.callbacks"),
        "langchain_openai": types.ModuleType("langchain_openai"),
        "langchain_nvidia_ai_endpoints": types.ModuleType("langchain_nvidia_ai_endpoints"),
    }
    modules["langchain.schema"].SystemMessage = Message
    modules["langchain.schema"].HumanMessage = Message
    modules["langchain.callbacks"].get_openai_callback = callback
    modules["langchain_openai"].ChatOpenAI = object
    modules["langchain_nvidia_ai_endpoints"].ChatNVIDIA = object
    sys.modules.update(modules)


def reference_prompt(script: Path, task: str, shots: int, flags: list[str],
                     prompt_file: Path, out_dir: Path) -> tuple[str, str]:
    output = out_dir / (prompt_file.name[: -len("_prompt.txt")] + "_sample01.sv")
    argv = [str(script), "--model=manual-rtl-coder", f"--task={task}",
            f"--examples={shots}", *flags, "--output", str(output), str(prompt_file)]
    saved = sys.argv
    sys.argv = argv
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(str(script), run_name="__main__")
    finally:
        sys.argv = saved
    stem = output.with_suffix("")
    user = Path(f"{stem}_fullprompt.txt").read_text()
    system = Path(f"{stem}_systemprompt.txt").read_text()
    # print() added one newline to each.
    return system[:-1], user[:-1]


def lintseq_prompts(binary: Path, dataset: Path, task: str, shots: int,
                    flags: list[str]) -> dict[str, dict]:
    run = subprocess.run(
        [str(binary), "prompts", "--benchmark", "verilog-eval", "--task", task,
         "--problems", str(dataset), "--shots", str(shots), *flags],
        check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    return {row["task_id"]: row for row in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, required=True,
                        help="a checkout of NVlabs/verilog-eval (c498220)")
    parser.add_argument("--lintseq", type=Path, default=None,
                        help="the lintseq binary (default: target/release, else target/debug)")
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    args = parser.parse_args()
    binary = args.lintseq or next(
        (p for p in (ROOT / "target/release/lintseq", ROOT / "target/debug/lintseq") if p.exists()),
        None)
    if binary is None:
        print("build lintseq first: cargo build --release -p lintseq_cli", file=sys.stderr)
        return 2
    script = args.reference / "scripts" / "sv-generate"
    stub_llm_clients()
    settings = [(task, shots, []) for task in ("spec-to-rtl", "code-complete-iccad2023")
                for shots in range(5)]
    settings += [("spec-to-rtl", shots, [flag]) for flag in ("--rules", "--explain")
                 for shots in (0, 1)]
    compared = mismatched = 0
    shown = 0
    with tempfile.TemporaryDirectory() as scratch:
        for task, shots, flags in settings:
            dataset = args.datasets / f"dataset_{task}"
            ours = lintseq_prompts(binary, dataset, task, shots, flags)
            bad = 0
            for prompt_file in sorted(dataset.glob("*_prompt.txt")):
                task_id = prompt_file.name[: -len("_prompt.txt")]
                system, user = reference_prompt(script, task, shots, flags, prompt_file,
                                                Path(scratch))
                row = ours.get(task_id)
                compared += 1
                if row and row["system"] == system and row["prompt"].rstrip() == user.rstrip():
                    continue
                bad += 1
                if shown < 3:
                    shown += 1
                    mine = row["prompt"] if row else "(missing)"
                    print(f"MISMATCH {task} {shots}-shot {flags} {task_id}")
                    print("".join(difflib.unified_diff(
                        user.splitlines(True), mine.splitlines(True), "sv-generate", "lintseq")))
            mismatched += bad
            label = " ".join([task, f"{shots}-shot", *flags])
            print(f"{label:<40} {len(ours):>4} prompts, {bad} mismatches")
    print(f"total: {compared} prompts compared, {mismatched} mismatches")
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
