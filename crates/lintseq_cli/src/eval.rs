//! `lintseq eval`: run samples against their tests in the sandbox, in
//! parallel, and report pass@k.

use std::collections::{BTreeMap, HashMap};
use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context as _, bail};
use lintseq_eval::problem::Language;
use lintseq_eval::program::{assemble, canonical};
use lintseq_eval::runner::{Task, run_ordered};
use lintseq_eval::summary::{RunContext, Tally};
use lintseq_eval::{Outcome, Problem, Sample, plot, verilog};
use serde_json::{Map, Value};

use crate::cli::EvalArgs;
use crate::progress;
use crate::rows::RowReader;
use lintseq_sandbox::eval::{Sandbox, SandboxConfig, SandboxExecutor, start_executors};

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let ks = parse_ks(&args.k)?;
    if let Some(timeout) = args.timeout
        && !(timeout.is_finite() && timeout > 0.0)
    {
        bail!("--timeout must be a positive number of seconds");
    }
    if args.output.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            args.output.display()
        );
    }
    let language = match args.language.as_deref() {
        None => None,
        Some(name) => Some(Language::parse(name).with_context(|| {
            format!("unknown --language {name:?} (python, cpp, go, java, javascript, rust)")
        })?),
    };
    let problems = load_problems(&args.problems, language)?;
    if problems.is_empty() {
        bail!("{} holds no usable problem", args.problems.display());
    }
    let languages: std::collections::BTreeSet<Language> =
        problems.values().map(|p| p.language).collect();
    let verilog = languages.contains(&Language::Verilog);
    let timeout = args
        .timeout
        .unwrap_or(if verilog { VERILOG_TIMEOUT } else { 3.0 });
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let config = SandboxConfig {
        python: args.python.clone(),
        memory_mb: args.memory_mb,
        no_sandbox: args.no_sandbox,
        lazy_rust: false,
        note: |message| eprintln!("lintseq: {message}"),
    };
    let sandbox = Sandbox::new(&config, languages, timeout).map_err(anyhow::Error::msg)?;

    if args.check_canonical {
        check_canonical(&problems, &sandbox, workers)?;
    }
    // Throughput counts the scoring run only.
    let started = Instant::now();

    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let mut writer = BufWriter::new(file);
    let mut reader = RowReader::open(&args.samples)?;
    let bar = progress::bytes_bar(reader.total_bytes);
    let consumed = reader.consumed_counter();
    let metas: Arc<Mutex<HashMap<usize, Meta>>> = Arc::default();
    let read_error: Arc<Mutex<Option<std::io::Error>>> = Arc::default();

    let tasks = {
        let metas = Arc::clone(&metas);
        let read_error = Arc::clone(&read_error);
        let problems = &problems;
        let bar = bar.clone();
        std::iter::from_fn(move || match reader.next_row() {
            Ok(row) => row,
            Err(error) => {
                *read_error.lock().unwrap() = Some(error);
                None
            }
        })
        .enumerate()
        .map(move |(index, raw)| {
            let (meta, task) = prepare(&raw, problems);
            if let Some(problem) = &meta.problem {
                bar.suspend(|| {
                    eprintln!(
                        "lintseq: sample row {} (line {}): {problem}",
                        raw.index, raw.line
                    )
                });
            }
            metas.lock().unwrap().insert(index, meta);
            task
        })
    };

    let executors = start_executors(&sandbox, workers).map_err(anyhow::Error::msg)?;
    let interpreter = executors
        .first()
        .map(SandboxExecutor::interpreter)
        .unwrap_or_default();
    let mut tally = if verilog {
        Tally::with_failure_classes()
    } else {
        Tally::default()
    };
    let mut write_error = None;
    run_ordered(executors, tasks, |index, outcome| {
        let meta = metas
            .lock()
            .unwrap()
            .remove(&index)
            .expect("every task has its metadata");
        match &meta.task_id {
            Some(task_id) if meta.problem.is_none() => tally.add(task_id, &outcome),
            _ => tally.add_not_run(&outcome),
        }
        let row = result_row(meta, &outcome, verilog);
        if write_error.is_none()
            && let Err(error) = writeln!(writer, "{row}")
        {
            write_error = Some(error);
        }
        bar.set_position(consumed.get());
        bar.set_message(format!("{} samples", index + 1));
    });
    if let Some(error) = read_error.lock().unwrap().take() {
        return Err(error).with_context(|| format!("cannot read {}", args.samples.display()));
    }
    if let Some(error) = write_error {
        return Err(error).with_context(|| format!("cannot write {}", args.output.display()));
    }
    writer
        .flush()
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    bar.finish_and_clear();

    let attempted: usize = tally.task_counts().len();
    let summary = tally.summarize(
        &ks,
        RunContext {
            problems: problems.len() as u64,
            problems_without_samples: problems.len().saturating_sub(attempted) as u64,
            workers,
            timeout_seconds: timeout,
            memory_mb: args.memory_mb,
            sandbox: sandbox.description(),
            wall_seconds: started.elapsed().as_secs_f64(),
            interpreter,
        },
    );
    let summary_path = sibling(&args.output, "summary.json");
    std::fs::write(
        &summary_path,
        serde_json::to_string_pretty(&summary)? + "\n",
    )
    .with_context(|| format!("cannot write {}", summary_path.display()))?;
    let plot_path = sibling(&args.output, "pass_at_k.svg");
    let title = format!(
        "pass@k — {}",
        args.samples
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned())
    );
    std::fs::write(&plot_path, plot::svg(&summary.curve, &title))
        .with_context(|| format!("cannot write {}", plot_path.display()))?;
    eprintln!("{}", summary.table());
    eprintln!(
        "lintseq: wrote {}, {} and {}",
        args.output.display(),
        summary_path.display(),
        plot_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Per-sample data kept until its result is written.
struct Meta {
    row: Map<String, Value>,
    task_id: Option<String>,
    /// Why the sample could not be run, if it could not.
    problem: Option<String>,
    issues: Vec<String>,
}

fn prepare(raw: &crate::rows::RawRow, problems: &BTreeMap<String, Problem>) -> (Meta, Task) {
    let not_run = |row: Map<String, Value>, task_id: Option<String>, reason: String| {
        let outcome = Outcome::not_run(reason.clone());
        (
            Meta {
                row,
                task_id,
                problem: Some(reason),
                issues: Vec::new(),
            },
            Task::Done(outcome),
        )
    };
    let text = match std::str::from_utf8(&raw.bytes) {
        Ok(text) => text,
        Err(error) => {
            return not_run(
                row_stub(raw.index),
                None,
                format!("invalid UTF-8 at byte {}", error.valid_up_to()),
            );
        }
    };
    let sample = match Sample::parse(text) {
        Ok(sample) => sample,
        Err(reason) => {
            let row = match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(row)) => row,
                _ => row_stub(raw.index),
            };
            return not_run(row, None, reason);
        }
    };
    let Some(problem) = problems.get(&sample.task_id) else {
        let reason = format!("unknown task_id {:?}", sample.task_id);
        return not_run(sample.row, Some(sample.task_id), reason);
    };
    let assembled = assemble(problem, &sample.body);
    (
        Meta {
            row: sample.row,
            task_id: Some(sample.task_id),
            problem: None,
            issues: assembled.issues.iter().map(ToString::to_string).collect(),
        },
        Task::Run(assembled.program),
    )
}

/// The row to echo for a line that is not a JSON object.
fn row_stub(index: u64) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("sample_row".into(), Value::from(index));
    row
}

fn result_row(meta: Meta, outcome: &Outcome, failure_class: bool) -> Value {
    lintseq_eval::outcome::result_row(meta.row, outcome, failure_class, meta.issues)
}

fn parse_ks(text: &str) -> anyhow::Result<Vec<u64>> {
    let ks: Vec<u64> = text
        .split(',')
        .map(|k| k.trim().parse::<u64>().ok().filter(|&k| k > 0))
        .collect::<Option<_>>()
        .with_context(|| format!("-k takes positive integers separated by commas, not {text:?}"))?;
    Ok(ks)
}

/// VerilogEval's Makefile gives each simulation 30 seconds.
const VERILOG_TIMEOUT: f64 = 30.0;

pub(crate) fn load_problems(
    path: &Path,
    language: Option<Language>,
) -> anyhow::Result<BTreeMap<String, Problem>> {
    if path.is_dir() {
        if language.is_some_and(|l| l != Language::Verilog) {
            bail!(
                "{} is a folder, which only VerilogEval's datasets are; --language does not apply",
                path.display()
            );
        }
        let (problems, skipped) = verilog::load_dataset(path).map_err(anyhow::Error::msg)?;
        for reason in skipped {
            eprintln!("lintseq: skipping problem {reason}");
        }
        return Ok(problems
            .into_iter()
            .map(|p| (p.task_id.clone(), p))
            .collect());
    }
    let mut reader = RowReader::open(path)?;
    let mut problems = BTreeMap::new();
    while let Some(raw) = reader
        .next_row()
        .with_context(|| format!("cannot read {}", path.display()))?
    {
        let parsed = std::str::from_utf8(&raw.bytes)
            .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))
            .and_then(|line| Problem::parse_as(line, language));
        match parsed {
            Ok(problem) => {
                if problems.contains_key(&problem.task_id) {
                    eprintln!(
                        "lintseq: problems row {} (line {}): duplicate task_id {:?}; keeping the first",
                        raw.index, raw.line, problem.task_id
                    );
                } else {
                    problems.insert(problem.task_id.clone(), problem);
                }
            }
            Err(reason) => eprintln!(
                "lintseq: skipping problems row {} (line {}): {reason}",
                raw.index, raw.line
            ),
        }
    }
    Ok(problems)
}

/// Runs every canonical solution; refuses to go on if any fails.
fn check_canonical(
    problems: &BTreeMap<String, Problem>,
    sandbox: &Sandbox,
    workers: usize,
) -> anyhow::Result<()> {
    let ids: Vec<&String> = problems.keys().collect();
    let tasks: Vec<Task> = problems
        .values()
        .map(|problem| match canonical(problem) {
            Some(program) => Task::Run(program),
            None => Task::Done(Outcome::not_run("no canonical_solution")),
        })
        .collect();
    let mut failures = Vec::new();
    run_ordered(
        start_executors(sandbox, workers).map_err(anyhow::Error::msg)?,
        tasks.into_iter(),
        |index, outcome| {
            if !outcome.passed() {
                failures.push(format!(
                    "{}: {} ({})",
                    ids[index],
                    outcome.result,
                    outcome.status.as_str()
                ));
            }
        },
    );
    if !failures.is_empty() {
        for failure in &failures {
            eprintln!("lintseq: canonical solution failed: {failure}");
        }
        bail!(
            "{} of {} canonical solutions failed; refusing to score (check the problems file and the sandbox limits)",
            failures.len(),
            problems.len()
        );
    }
    eprintln!("lintseq: all {} canonical solutions pass", problems.len());
    Ok(())
}

/// `results.jsonl` → `results.<suffix>`.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".jsonl").unwrap_or(&name);
    output.with_file_name(format!("{stem}.{suffix}"))
}
