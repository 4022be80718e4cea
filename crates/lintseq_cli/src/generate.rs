//! `lintseq generate`: rows in, edit paths out, streaming and in order.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, bail};
use lintseq_core::pipeline::{self, Generation, Skip};
use lintseq_core::rng::PathRng;
use lintseq_core::{CandidateRules, SamplerOptions};
use lintseq_python::PythonChecker;
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::cli::{GenerateArgs, SamplerArgs};
use crate::input::{RawRow, RowReader, count_rows};
use crate::progress;

/// Rows processed per parallel batch, per thread. Bounds memory.
const ROWS_PER_THREAD: usize = 256;

pub fn run(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let input = args
        .input
        .clone()
        .or_else(|| args.name_or_path.clone())
        .context("no input file given")?;
    let output = output_path(&args, &input);
    if same_file(&input, &output) {
        bail!("the output {} is the input file", output.display());
    }
    if output.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to overwrite it",
            output.display()
        );
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let job = Job {
        python: PythonChecker::with_target_version(&args.sampler.target_version)
            .with_context(|| format!("unknown --target-version {}", args.sampler.target_version))?,
        generation: Generation {
            paths: args.paths,
            seed: args.seed,
            sampler: sampler_options(&args.sampler)?,
        },
        code_field: args.code_field.clone(),
        prompt_field: (args.prompt_field != "None").then(|| args.prompt_field.clone()),
        source_file: input.display().to_string(),
        max_lines: args.max_lines,
    };
    let selection = subsample(&args, &input)?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let mut reader = RowReader::open(&input)?;
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the directory {}", parent.display()))?;
    }
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .create_new(!args.force)
        .truncate(true)
        .open(&output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    let bar = progress::bytes_bar(reader.total_bytes);
    let mut summary = Summary::default();

    loop {
        let batch = reader
            .next_batch(ROWS_PER_THREAD * threads)
            .with_context(|| format!("cannot read {}", input.display()))?;
        if batch.is_empty() {
            break;
        }
        summary.read += batch.len() as u64;
        let batch: Vec<RawRow> = match &selection {
            Some(chosen) => batch
                .into_iter()
                .filter(|row| chosen.contains(&row.index))
                .collect(),
            None => batch,
        };
        let outcomes: Vec<Result<Written, Problem>> =
            pool.install(|| batch.par_iter().map(|row| job.process(row)).collect());
        for (row, outcome) in batch.iter().zip(outcomes) {
            match outcome {
                Ok(written) => {
                    writer
                        .write_all(written.text.as_bytes())
                        .with_context(|| format!("cannot write {}", output.display()))?;
                    summary.rows_written += 1;
                    summary.paths_written += written.paths;
                }
                Err(problem) => {
                    bar.suspend(|| {
                        eprintln!(
                            "lintseq: skipping row {} (line {}): {}",
                            row.index, row.line, problem.detail
                        );
                    });
                    *summary.skipped.entry(problem.reason).or_default() += 1;
                }
            }
        }
        bar.set_position(reader.consumed());
        bar.set_message(format!("{} rows", summary.read));
    }
    writer
        .flush()
        .with_context(|| format!("cannot write {}", output.display()))?;
    bar.finish_and_clear();
    summary.selected = selection.as_ref().map(|s| s.len() as u64);
    summary.elapsed = started.elapsed().as_secs_f64();
    eprintln!("{summary}");
    eprintln!("lintseq: wrote {}", output.display());
    Ok(ExitCode::SUCCESS)
}

fn output_path(args: &GenerateArgs, input: &Path) -> PathBuf {
    if let Some(output) = &args.output {
        return output.clone();
    }
    // pylintseq's naming: <stem>_<num_samples>_<paths>_<seed>_vec.jsonl
    let name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or("output");
    let dir = args.dest_dir.clone().unwrap_or_default();
    dir.join(format!(
        "{stem}_{}_{}_{}_vec.jsonl",
        args.subsample, args.paths, args.seed
    ))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn sampler_options(args: &SamplerArgs) -> anyhow::Result<SamplerOptions> {
    if !(args.indent_bias.is_finite() && args.indent_bias >= 0.0) {
        bail!("--indent-bias must be a non-negative number");
    }
    for (name, value) in [
        ("--children-per-round", args.children_per_round),
        ("--top-k", args.top_k),
        ("--population", args.population),
        ("--max-depth", args.max_depth),
    ] {
        if value == 0 {
            bail!("{name} must be at least 1");
        }
    }
    Ok(SamplerOptions {
        children_per_round: args.children_per_round,
        top_k: args.top_k,
        population: args.population,
        max_depth: args.max_depth,
        indent_bias: (args.indent_bias > 0.0).then_some(args.indent_bias),
        rules: CandidateRules {
            ignore_comments: !args.sample_comments,
            ignore_global_defs: !args.sample_global_defs,
            ignore_imports: args.ignore_imports,
        },
        ignore_init_errors: args.ignore_init_errors,
    })
}

/// The rows chosen by `-n`, or `None` for all of them.
fn subsample(args: &GenerateArgs, input: &Path) -> anyhow::Result<Option<HashSet<u64>>> {
    if args.subsample.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    let wanted: u64 = args.subsample.parse().with_context(|| {
        format!(
            "-n takes a number of rows or `all`, not {:?}",
            args.subsample
        )
    })?;
    let total = count_rows(input)?;
    if wanted >= total {
        eprintln!(
            "lintseq: -n {wanted} is not less than the {total} rows of the input; using all of them"
        );
        return Ok(None);
    }
    // Floyd's algorithm: a uniform sample of `wanted` distinct rows.
    let mut rng = PathRng::new(args.seed, u64::MAX, 0);
    let mut chosen = HashSet::with_capacity(wanted as usize);
    for j in total - wanted..total {
        let pick = rng.below(j as usize + 1) as u64;
        if !chosen.insert(pick) {
            chosen.insert(j);
        }
    }
    Ok(Some(chosen))
}

/// Everything a worker needs to turn one row into output.
struct Job {
    python: PythonChecker,
    generation: Generation,
    code_field: String,
    prompt_field: Option<String>,
    source_file: String,
    max_lines: usize,
}

/// The output lines of one row.
struct Written {
    text: String,
    paths: u64,
}

/// Why a row was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    InvalidUtf8,
    MalformedJson,
    NotAnObject,
    MissingField,
    NotAString,
    NoPythonBlock,
    EmptyProgram,
    CommentsOnly,
    TooLong,
}

impl Reason {
    fn label(self) -> &'static str {
        match self {
            Reason::InvalidUtf8 => "invalid UTF-8",
            Reason::MalformedJson => "malformed JSON",
            Reason::NotAnObject => "not a JSON object",
            Reason::MissingField => "missing field",
            Reason::NotAString => "field not a string",
            Reason::NoPythonBlock => "no Python code block",
            Reason::EmptyProgram => "empty program",
            Reason::CommentsOnly => "comments only",
            Reason::TooLong => "too many lines",
        }
    }
}

struct Problem {
    reason: Reason,
    detail: String,
}

impl Problem {
    fn new(reason: Reason, detail: impl Into<String>) -> Self {
        Self {
            reason,
            detail: detail.into(),
        }
    }
}

impl Job {
    fn process(&self, row: &RawRow) -> Result<Written, Problem> {
        let text = std::str::from_utf8(&row.bytes).map_err(|error| {
            Problem::new(
                Reason::InvalidUtf8,
                format!("invalid UTF-8 at byte {} of the line", error.valid_up_to()),
            )
        })?;
        let value: Value = serde_json::from_str(text).map_err(|error| {
            Problem::new(Reason::MalformedJson, format!("malformed JSON: {error}"))
        })?;
        let Value::Object(object) = value else {
            return Err(Problem::new(
                Reason::NotAnObject,
                format!("expected a JSON object, found {}", kind(&value)),
            ));
        };
        let code_value = string_field(&object, &self.code_field)?;
        let prompt_value = match &self.prompt_field {
            Some(field) => Some(string_field(&object, field)?),
            None => None,
        };
        let code = code_value.as_str().unwrap_or_default();
        let program =
            pipeline::prepare(code).map_err(|skip| skip_problem(skip, &self.code_field))?;
        let lines = program.split('\n').count();
        if lines > self.max_lines {
            return Err(Problem::new(
                Reason::TooLong,
                format!(
                    "the program has {lines} lines, more than --max-lines {}",
                    self.max_lines
                ),
            ));
        }
        let paths = pipeline::edit_paths(&program, &self.python, &self.generation, row.index)
            .map_err(|skip| skip_problem(skip, &self.code_field))?;

        let mut text = String::new();
        for diffs in &paths {
            let mut out = Map::new();
            out.insert("edit_path".into(), Value::from(diffs.clone()));
            out.insert("index".into(), Value::from(row.index));
            out.insert("source_file".into(), Value::from(self.source_file.clone()));
            out.insert(format!("source_{}", self.code_field), code_value.clone());
            if let (Some(field), Some(prompt)) = (&self.prompt_field, prompt_value) {
                out.insert(format!("source_{field}"), prompt.clone());
            }
            text.push_str(&Value::Object(out).to_string());
            text.push('\n');
        }
        Ok(Written {
            text,
            paths: paths.len() as u64,
        })
    }
}

fn string_field<'v>(object: &'v Map<String, Value>, field: &str) -> Result<&'v Value, Problem> {
    match object.get(field) {
        None => Err(Problem::new(
            Reason::MissingField,
            format!("missing field `{field}`"),
        )),
        Some(value @ Value::String(_)) => Ok(value),
        Some(other) => Err(Problem::new(
            Reason::NotAString,
            format!("field `{field}` is {}, not a string", kind(other)),
        )),
    }
}

fn skip_problem(skip: Skip, field: &str) -> Problem {
    let reason = match skip {
        Skip::NoPythonBlock => Reason::NoPythonBlock,
        Skip::Empty => Reason::EmptyProgram,
        Skip::NothingToSample => Reason::CommentsOnly,
    };
    Problem::new(reason, format!("field `{field}`: {skip}"))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[derive(Default)]
struct Summary {
    read: u64,
    selected: Option<u64>,
    rows_written: u64,
    paths_written: u64,
    skipped: BTreeMap<Reason, u64>,
    elapsed: f64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let skipped: u64 = self.skipped.values().sum();
        let processed = self.selected.unwrap_or(self.read);
        let rate = processed as f64 / self.elapsed.max(1e-9);
        write!(f, "lintseq: read {} rows", self.read)?;
        if let Some(selected) = self.selected {
            write!(f, " (subsampled {selected})")?;
        }
        write!(
            f,
            "; wrote {} edit paths for {} rows; skipped {skipped} rows; {:.2} s, {rate:.0} rows/s",
            self.paths_written, self.rows_written, self.elapsed
        )?;
        if skipped > 0 {
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|(reason, count)| format!("{count} {}", reason.label()))
                .collect();
            write!(f, "\nlintseq: skipped rows: {}", reasons.join(", "))?;
        }
        Ok(())
    }
}
