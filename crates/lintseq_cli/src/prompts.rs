//! `lintseq prompts`: a benchmark's prompts as JSONL, for a model to answer.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use lintseq_eval::prompts::{self, MAX_SHOTS, PromptOptions};
use lintseq_eval::verilog::{self, Task};
use serde_json::json;

use crate::cli::PromptsArgs;

pub fn run(args: PromptsArgs) -> anyhow::Result<ExitCode> {
    if args.benchmark != "verilog-eval" {
        bail!(
            "unknown --benchmark {:?}: prompts are written for verilog-eval",
            args.benchmark
        );
    }
    let shots = parse_shots(&args.shots)?;
    let requested = match args.task.as_deref() {
        None => None,
        Some(name) => Some(Task::parse(name).with_context(|| {
            format!("unknown --task {name:?} (spec-to-rtl, code-complete-iccad2023)")
        })?),
    };
    let dataset = match (&args.problems, requested) {
        (Some(dir), _) => dir.clone(),
        (None, Some(task)) => match std::env::var_os("VERILOG_EVAL_DIR") {
            Some(root) => PathBuf::from(root).join(format!("dataset_{}", task.as_str())),
            None => bail!(
                "pass --problems DATASET_DIR (a VerilogEval dataset folder), or set \
                 VERILOG_EVAL_DIR to a VerilogEval checkout"
            ),
        },
        (None, None) => bail!("pass --problems DATASET_DIR or --task (with VERILOG_EVAL_DIR set)"),
    };
    let (problems, skipped) = verilog::load_dataset(&dataset).map_err(anyhow::Error::msg)?;
    for reason in skipped {
        eprintln!("lintseq: skipping problem {reason}");
    }
    if problems.is_empty() {
        bail!(
            "{} holds no VerilogEval problem (*_prompt.txt with _test.sv and _ref.sv)",
            dataset.display()
        );
    }
    let folder_task = if problems.iter().all(|p| !p.declaration.is_empty()) {
        Task::CodeComplete
    } else {
        Task::SpecToRtl
    };
    let task = requested.unwrap_or(folder_task);
    if task == Task::CodeComplete && folder_task != Task::CodeComplete {
        bail!(
            "{} is not a code-completion dataset (its problems have no _ifc.txt); \
             use dataset_code-complete-iccad2023",
            dataset.display()
        );
    }
    if task == Task::CodeComplete && (args.rules || args.explain) {
        bail!("--rules and --explain apply to spec-to-rtl prompts only, as in sv-generate");
    }
    let examples_dir = match &args.examples {
        Some(dir) => Some(dir.clone()),
        None => prompts::examples_dir_beside(&dataset),
    };
    let mut examples = Vec::new();
    for &n in &shots {
        let text = if n == 0 {
            String::new()
        } else {
            let Some(dir) = &examples_dir else {
                bail!(
                    "no example prefixes found beside {} (prompt-examples/ or scripts/); pass --examples DIR",
                    dataset.display()
                );
            };
            let file = prompts::examples_file(dir, task, n);
            std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read the {n}-shot examples {}", file.display()))?
        };
        examples.push((n, text));
    }

    let mut out = crate::rows::output(args.output.as_deref(), args.force)?;
    let mut rows = 0usize;
    for (n, text) in &examples {
        let options = PromptOptions {
            task,
            shots: *n,
            rules: args.rules,
            explain: args.explain,
        };
        for problem in &problems {
            let prompt = prompts::prompt(problem, &options, text);
            let row = if args.chat {
                json!({
                    "task_id": problem.task_id,
                    "benchmark": "verilog-eval",
                    "task": task.as_str(),
                    "shots": n,
                    "messages": [
                        {"role": "system", "content": prompt.system},
                        {"role": "user", "content": prompt.user},
                    ],
                })
            } else {
                json!({
                    "task_id": problem.task_id,
                    "benchmark": "verilog-eval",
                    "task": task.as_str(),
                    "shots": n,
                    "system": prompt.system,
                    "prompt": prompt.user,
                })
            };
            writeln!(out, "{row}").context("cannot write the prompts")?;
            rows += 1;
        }
    }
    out.flush().context("cannot write the prompts")?;
    if let Some(path) = &args.output {
        eprintln!(
            "lintseq: wrote {rows} {} prompts ({} problems) to {}",
            task.as_str(),
            problems.len(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `N` or `A..B` (inclusive), each within 0..=MAX_SHOTS.
fn parse_shots(text: &str) -> anyhow::Result<Vec<u32>> {
    let bad = || {
        anyhow::anyhow!(
            "--shots takes a number from 0 to {MAX_SHOTS} or a range such as 0..4, not {text:?}"
        )
    };
    let number = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|&n| n <= MAX_SHOTS)
            .ok_or_else(bad)
    };
    match text.split_once("..") {
        Some((from, to)) => {
            let to = to.strip_prefix('=').unwrap_or(to);
            let (from, to) = (number(from)?, number(to)?);
            if from > to {
                return Err(bad());
            }
            Ok((from..=to).collect())
        }
        None => Ok(vec![number(text)?]),
    }
}
