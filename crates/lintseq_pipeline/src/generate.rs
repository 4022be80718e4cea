//! The file-level job: rows in, edit paths out, streaming and in order.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use lintseq_core::rng::PathRng;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::format::Format;
use crate::job::{Job, Outcome, Problem, Reason};
use crate::language::{LanguageChoice, LanguageId};
use crate::read::{Fields, Progress, RowReader, count_rows};
use crate::row::{InputRow, RowId};
use crate::write::{OutputSchema, open_sink};

/// Rows processed per parallel batch, per thread. Bounds memory.
const ROWS_PER_THREAD: usize = 256;

/// One `generate` run.
#[derive(Clone, Debug)]
pub struct GenerateConfig {
    pub input: PathBuf,
    /// The input's format; `None`: from its name (JSONL if it says nothing).
    pub input_format: Option<Format>,
    pub output: PathBuf,
    /// The output's format; `None`: from its name (JSONL if it says nothing).
    pub output_format: Option<Format>,
    /// Overwrite an existing output file.
    pub force: bool,
    /// Worker threads; 0 for one per core. Never changes the output.
    pub threads: usize,
    /// Process a seeded random subset of this many rows.
    pub subsample: Option<u64>,
    /// Write skipped rows too, with a null `edit_path` and a `skip_reason`.
    pub keep_skipped: bool,
    pub job: Job,
}

/// What a run reports as it goes. Every method has a default that ignores it.
pub trait Observer {
    /// A row was skipped; it is written only with `keep_skipped`.
    fn skipped(&mut self, _id: RowId, _problem: &Problem) {}
    /// A batch was written.
    fn progress(&mut self, _progress: Progress, _rows_read: u64) {}
    /// Something worth telling the user that is not an error.
    fn note(&mut self, _message: &str) {}
    /// Asked after every batch: `true` stops the run with
    /// [`Error::Interrupted`] (a Python caller's Ctrl-C).
    fn interrupted(&mut self) -> bool {
        false
    }
}

/// An observer that ignores everything.
#[derive(Debug, Default)]
pub struct Quiet;

impl Observer for Quiet {}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub rows_read: u64,
    /// Rows chosen by subsampling, if it was asked for.
    pub selected: Option<u64>,
    /// Rows that got edit paths.
    pub rows_written: u64,
    pub paths_written: u64,
    pub skipped: BTreeMap<Reason, u64>,
    /// Rows that got edit paths, per language.
    pub languages: BTreeMap<LanguageId, u64>,
    pub elapsed_seconds: f64,
}

impl Summary {
    pub fn rows_skipped(&self) -> u64 {
        self.skipped.values().sum()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let skipped = self.rows_skipped();
        let processed = self.selected.unwrap_or(self.rows_read);
        let rate = processed as f64 / self.elapsed_seconds.max(1e-9);
        write!(f, "read {} rows", self.rows_read)?;
        if let Some(selected) = self.selected {
            write!(f, " (subsampled {selected})")?;
        }
        write!(
            f,
            "; wrote {} edit paths for {} rows; skipped {skipped} rows; {:.2} s, {rate:.0} rows/s",
            self.paths_written, self.rows_written, self.elapsed_seconds
        )?;
        if self.languages.keys().any(|&l| l != LanguageId::Python) {
            let counts: Vec<String> = self
                .languages
                .iter()
                .map(|(language, count)| format!("{count} {language}"))
                .collect();
            write!(f, "\nrows per language: {}", counts.join(", "))?;
        }
        if skipped > 0 {
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|(reason, count)| format!("{count} {}", reason.label()))
                .collect();
            write!(f, "\nskipped rows: {}", reasons.join(", "))?;
        }
        Ok(())
    }
}

/// A worker thread's stack: address space, committed only as it is used.
/// The checker parses a program on the stack it is given when that has room
/// for the deepest tree the program could hold, about 512 bytes per byte of
/// source, and on a segment of its own otherwise; with 16 MiB, programs up to
/// about 30 KB never need one.
const WORKER_STACK: usize = 16 << 20;

/// A thread pool of `threads` workers (0: one per core). Built per call, so
/// no pool outlives the work it was made for (a pool that exists when a
/// process forks deadlocks the child).
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool> {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        threads
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|e| Error::Threads(e.to_string()))
}

/// Processes rows in parallel on `pool`; outcomes come back in row order.
pub fn process_rows(job: &Job, rows: Vec<InputRow>, pool: &rayon::ThreadPool) -> Vec<Outcome> {
    pool.install(|| rows.into_par_iter().map(|row| job.process(row)).collect())
}

/// Runs `config` to the end, reporting to `observer`.
pub fn generate(config: &GenerateConfig, observer: &mut dyn Observer) -> Result<Summary> {
    let started = Instant::now();
    let input_format = Format::choose_input(config.input_format, &config.input);
    let output_format = Format::choose(config.output_format, &config.output);
    if same_file(&config.input, &config.output) {
        return Err(Error::OutputIsInput {
            path: config.output.clone(),
        });
    }
    if config.output.exists() && !config.force {
        return Err(Error::OutputExists {
            path: config.output.clone(),
        });
    }
    let fields = Fields {
        code: config.job.code_field.clone(),
        prompt: config.job.prompt_field.clone(),
        language: config.job.languages.field.clone(),
    };
    let pool = thread_pool(config.threads)?;
    let mut reader = RowReader::open(&config.input, input_format, &fields)?;
    let selection = match config.subsample {
        Some(wanted) => subsample(
            wanted,
            count_rows(&config.input, input_format, &fields)?,
            config.job.generation.seed,
            observer,
        ),
        None => None,
    };
    let schema = OutputSchema {
        source_file: config.input.display().to_string(),
        code_field: config.job.code_field.clone(),
        prompt_field: config.job.prompt_field.clone(),
        keep_skipped: config.keep_skipped,
        language_column: config.job.languages.field.is_some()
            || !matches!(
                config.job.languages.choice,
                LanguageChoice::Auto | LanguageChoice::Fixed(LanguageId::Python)
            ),
    };
    let mut sink = open_sink(&config.output, output_format, &schema, config.force)?;
    let mut summary = Summary::default();
    let batch_rows = ROWS_PER_THREAD * pool.current_num_threads();
    loop {
        let batch = reader.next_batch(batch_rows)?;
        if batch.is_empty() {
            break;
        }
        summary.rows_read += batch.len() as u64;
        let batch: Vec<InputRow> = match &selection {
            Some(chosen) => batch
                .into_iter()
                .filter(|row| chosen.contains(&row.id.index))
                .collect(),
            None => batch,
        };
        for outcome in process_rows(&config.job, batch, &pool) {
            match &outcome.paths {
                Ok(paths) => {
                    summary.rows_written += 1;
                    if let Some(language) = outcome.language {
                        *summary.languages.entry(language).or_default() += 1;
                    }
                    summary.paths_written += paths.len() as u64;
                }
                Err(problem) => {
                    observer.skipped(outcome.id, problem);
                    *summary.skipped.entry(problem.reason).or_default() += 1;
                }
            }
            sink.write(&outcome)?;
        }
        observer.progress(reader.progress(), summary.rows_read);
        if observer.interrupted() {
            return Err(Error::Interrupted);
        }
    }
    sink.finish()?;
    summary.selected = selection.as_ref().map(|s| s.len() as u64);
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A seeded uniform sample of `wanted` of `total` row indices, or `None`
/// for all of them.
fn subsample(
    wanted: u64,
    total: u64,
    seed: u64,
    observer: &mut dyn Observer,
) -> Option<HashSet<u64>> {
    if wanted >= total {
        observer.note(&format!(
            "a subsample of {wanted} is not less than the {total} rows of the input; using all of them"
        ));
        return None;
    }
    // Floyd's algorithm: a uniform sample of `wanted` distinct rows.
    let mut rng = PathRng::new(seed, u64::MAX, 0);
    let mut chosen = HashSet::with_capacity(wanted as usize);
    for j in total - wanted..total {
        let pick = rng.below(j as usize + 1) as u64;
        if !chosen.insert(pick) {
            chosen.insert(j);
        }
    }
    Some(chosen)
}
