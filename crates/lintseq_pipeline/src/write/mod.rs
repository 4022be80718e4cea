//! Writing output rows in pylintseq's schema, as JSONL, Parquet or Arrow IPC.
//!
//! Every format has the same columns, in this order: `edit_path` (a list of
//! diffs), `index`, `source_file`, `source_<code field>` and, when there is a
//! prompt field, `source_<prompt field>`. With `keep_skipped`, skipped rows
//! are written too, with a null `edit_path`, and every row gets a
//! `skip_reason` (null for rows that have paths).
//!
//! A row's language is recorded in a `language` field. JSONL rows carry it
//! only when the row is not in Python, so that Python output stays exactly
//! pylintseq's; Parquet and Arrow outputs, whose columns are fixed for the
//! whole file, have a `language` column (before `skip_reason`) when the run
//! names a language other than Python or reads it from a field.

mod columnar;
pub(crate) mod encoder;
mod jsonl;

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

pub use columnar::{ColumnarWriter, output_schema};
pub use encoder::BatchEncoder;
pub use jsonl::{JsonlWriter, json_rows};

use crate::error::{Error, Result};
use crate::format::Format;
use crate::job::Outcome;
use crate::language::LanguageId;

/// The output's column names and constant values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSchema {
    /// The `source_file` value of every row (the input path, as given).
    pub source_file: String,
    /// The code field's name; its column is `source_<name>`.
    pub code_field: String,
    /// The prompt field's name, if any; its column is `source_<name>`.
    pub prompt_field: Option<String>,
    /// Write skipped rows too, with a `skip_reason`.
    pub keep_skipped: bool,
    /// Columnar outputs get a `language` column.
    pub language_column: bool,
}

impl OutputSchema {
    pub fn code_column(&self) -> String {
        format!("source_{}", self.code_field)
    }

    pub fn prompt_column(&self) -> Option<String> {
        self.prompt_field.as_ref().map(|f| format!("source_{f}"))
    }
}

/// One output row: one edit path of a row, or a skipped row that is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputRow<'a> {
    /// The path's diffs; `None` for a skipped row.
    pub edit_path: Option<&'a [String]>,
    /// The input row's index.
    pub index: u64,
    /// The code field as it was in the input, if it could be read.
    pub code: Option<&'a str>,
    /// The prompt field, if the job has one and it could be read.
    pub prompt: Option<&'a str>,
    /// Why the row was skipped ([`Problem::skip_reason`](crate::Problem::skip_reason)); `None` for a path.
    pub skip_reason: Option<String>,
    /// The row's language, if it was decided.
    pub language: Option<LanguageId>,
}

/// The output rows of one outcome, in order: one per path; for a skipped
/// row, one with a null `edit_path` when `keep_skipped`, else none. Every
/// writer and the Python package expand outcomes through this.
pub fn output_rows(outcome: &Outcome, keep_skipped: bool) -> Vec<OutputRow<'_>> {
    let row = |edit_path, skip_reason| OutputRow {
        edit_path,
        index: outcome.id.index,
        code: outcome.code.as_deref(),
        prompt: outcome.prompt.as_deref(),
        skip_reason,
        language: outcome.language,
    };
    match &outcome.paths {
        Ok(paths) => paths.iter().map(|diffs| row(Some(diffs), None)).collect(),
        Err(problem) if keep_skipped => vec![row(None, Some(problem.skip_reason()))],
        Err(_) => Vec::new(),
    }
}

/// Somewhere output rows go, in order.
pub trait Sink {
    /// Writes the rows of one input row's outcome (one per path; one for a
    /// skipped row when skipped rows are kept; else none).
    fn write(&mut self, outcome: &Outcome) -> Result<()>;
    /// Flushes and closes the output.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Creates `path` (and its directory) for writing. An existing file is an
/// error unless `force`.
pub fn create_output(path: &Path, force: bool) -> Result<File> {
    if path.exists() && !force {
        return Err(Error::OutputExists {
            path: path.to_path_buf(),
        });
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::Create {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    OpenOptions::new()
        .write(true)
        .create(true)
        .create_new(!force)
        .truncate(true)
        .open(path)
        .map_err(|source| Error::Create {
            path: path.to_path_buf(),
            source,
        })
}

/// Opens a sink for `format` on a new file.
pub fn open_sink(
    path: &Path,
    format: Format,
    schema: &OutputSchema,
    force: bool,
) -> Result<Box<dyn Sink>> {
    let file = create_output(path, force)?;
    let path: PathBuf = path.to_path_buf();
    Ok(match format {
        Format::Jsonl => Box::new(JsonlWriter::new(file, path, schema.clone())),
        Format::Parquet | Format::Arrow => {
            Box::new(ColumnarWriter::new(file, path, format, schema.clone())?)
        }
    })
}
