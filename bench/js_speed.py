#!/usr/bin/env python3
"""Side-by-side speed of lintseq's JavaScript checking against ESLint, one
thread each, CPU time per edit path.

Three ways of making one LintSeq edit path, on the same programs and the
same checks:

1. ours: ``target/release/lintseq generate --language javascript -s 1 -j 1``
   on the first ``--rows`` programs of the corpus, repeated ``--repeat``
   times; CPU (user + system) of the process divided by the paths written.
   Timed ``--runs`` times; the median counts.
2. ESLint's CLI once per check, the fork of pylintseq's way: every text our
   sampler checks on a path (recorded by the ``check_trace`` example) goes
   through ``node eslint.js --stdin`` with the reference configuration
   (parser errors and no-undef, ES2024 + Node.js globals). A process costs
   a few hundred milliseconds, so only the checks of the first
   ``--cli-paths`` paths are run: CPU per check (of those processes) times
   the mean number of checks per path of all the programs.
3. ESLint's Node API in one warm process: ``new ESLint().lintText(text)``
   for the same checks, CPU of the process (``process.cpuUsage``) around
   each path's checks, after one warm-up pass; mean per path over all the
   programs.

    python3 bench/js_corpus.py            # once
    cargo build --release
    cargo build --release -p lintseq_javascript --example check_trace
    python3 bench/js_speed.py

Results are printed and saved to target/bench-data/js-speed.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchlib import DATA_DIR, REPO_ROOT, log, read_jsonl, write_jsonl
from js_fidelity import TOOLS_DIR, ensure_tools

LINTSEQ = REPO_ROOT / "target" / "release" / "lintseq"
TRACE = REPO_ROOT / "target" / "release" / "examples" / "check_trace"

ESLINT_CONFIG = """\
import globals from "globals";
export default [{
  languageOptions: {
    ecmaVersion: 2024,
    sourceType: "script",
    parserOptions: { ecmaFeatures: { jsx: true } },
    globals: { ...globals.es2024, ...globals.node },
  },
  rules: { "no-undef": "error" },
}];
"""

WARM = """\
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
const [toolsDir, tracePath] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(toolsDir), "package.json"));
const { ESLint } = require("eslint");
const eslint = new ESLint({ cwd: path.resolve(toolsDir), overrideConfigFile: path.join(path.resolve(toolsDir), "eslint.config.mjs") });
const paths = fs.readFileSync(tracePath, "utf8").trim().split("\\n").map((l) => JSON.parse(l).checks);
const perPath = [];
for (let pass = 0; pass < 2; pass++) {
  for (const checks of paths) {
    const start = process.cpuUsage();
    for (const text of checks) await eslint.lintText(text);
    const used = process.cpuUsage(start);
    if (pass === 1) perPath.push((used.user + used.system) / 1e6);
  }
}
console.log(JSON.stringify(perPath));
"""


def child_cpu(command: list[str], **kwargs) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, **kwargs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DATA_DIR / "js.jsonl")
    parser.add_argument("--rows", type=int, default=100, help="programs (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=50, help="times lintseq processes them (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="lintseq timing runs; the median counts")
    parser.add_argument("--cli-paths", type=int, default=5, help="paths run through the ESLint CLI")
    args = parser.parse_args()
    for binary in (LINTSEQ, TRACE):
        if not binary.exists():
            raise SystemExit(f"{binary} not found: see --help for the build commands")
    tools = ensure_tools()
    (tools / "eslint.config.mjs").write_text(ESLINT_CONFIG)
    rows = list(read_jsonl(args.corpus))[:args.rows]
    out_dir = DATA_DIR / "js-speed"
    out_dir.mkdir(parents=True, exist_ok=True)
    base = out_dir / "rows.jsonl"
    write_jsonl(base, rows)

    # 1. ours
    repeated = out_dir / "repeated.jsonl"
    write_jsonl(repeated, (row for _ in range(args.repeat) for row in rows))
    output = out_dir / "out.jsonl"
    ours = []
    for run in range(args.runs):
        cpu = child_cpu([str(LINTSEQ), "generate", str(repeated), "-o", str(output), "--force",
                         "--language", "javascript", "-s", "1", "--seed", "1", "-j", "1"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        paths = sum(1 for _ in read_jsonl(output))
        ours.append(cpu / paths)
        log(f"lintseq run {run + 1}: {cpu:.2f} s CPU for {paths} paths")
    ours_per_path = statistics.median(ours)

    # The checks of each path.
    trace = out_dir / "trace.jsonl"
    with open(trace, "w", encoding="utf-8") as handle:
        subprocess.run([str(TRACE), "javascript", str(base), str(args.rows)], stdout=handle, check=True)
    traces = [row["checks"] for row in read_jsonl(trace)]
    checks_per_path = statistics.mean(len(t) for t in traces)

    # 3. the warm API
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "warm.mjs"
        script.write_text(WARM)
        result = subprocess.run(["node", str(script), str(tools), str(trace)], check=True,
                                capture_output=True, text=True)
    warm = json.loads(result.stdout)
    warm_per_path = statistics.mean(warm)

    # 2. the CLI, once per check
    eslint = tools / "node_modules" / "eslint" / "bin" / "eslint.js"
    cli = []
    for checks in traces[:args.cli_paths]:
        cpu = 0.0
        for text in checks:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(["node", str(eslint), "--stdin", "--config", str(tools / "eslint.config.mjs")],
                           input=text, text=True, cwd=tools, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cli.append(cpu)
        log(f"ESLint CLI: {len(checks)} checks, {cpu:.2f} s CPU")
    cli_checks = sum(len(checks) for checks in traces[:args.cli_paths])
    cli_per_path = sum(cli) / cli_checks * checks_per_path

    summary = {
        "corpus": str(args.corpus),
        "programs": len(rows),
        "checks_per_path_mean": checks_per_path,
        "ours_cpu_per_path_s": ours_per_path,
        "ours_runs_s": ours,
        "eslint_cli_cpu_per_path_s": cli_per_path,
        "eslint_cli_paths": len(cli),
        "eslint_cli_checks": cli_checks,
        "eslint_warm_api_cpu_per_path_s": warm_per_path,
        "speedup_vs_cli": cli_per_path / ours_per_path,
        "speedup_vs_warm_api": warm_per_path / ours_per_path,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (DATA_DIR / "js-speed.json").write_text(json.dumps(summary, indent=2) + "\n")
    for key, value in summary.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
