//! One input row, as a reader hands it to the job.

use std::fmt;

/// Where a row came from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// 1-based line of a (decompressed) JSONL file.
    Line(u64),
    /// A row of a columnar file, or of an in-memory batch.
    Record,
}

/// A row's place in its input: its `index` and where to find it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowId {
    /// 0-based position among the input's rows: the output's `index`.
    pub index: u64,
    pub location: Location,
}

impl fmt::Display for RowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.index)?;
        if let Location::Line(line) = self.location {
            write!(f, " (line {line})")?;
        }
        Ok(())
    }
}

/// The value of one field of a row, as a typed source sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Null,
    /// The row has no such field.
    Missing,
    /// A value of another kind, described for messages ("a number").
    Other(&'static str),
}

/// A row's contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// A JSONL line, not yet decoded: decoding is per-row work, done in
    /// parallel, and its failures are per-row problems.
    Json(Vec<u8>),
    /// The code and prompt fields of a typed source (a Parquet or Arrow
    /// column, a Python list). `prompt` is ignored when the job has no
    /// prompt field.
    Cells { code: Cell, prompt: Cell },
    /// As [`Record::Cells`], with the row's language field (for jobs that
    /// read the language from a column).
    Tagged {
        code: Cell,
        prompt: Cell,
        language: Cell,
    },
}

/// A row read from an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputRow {
    pub id: RowId,
    pub record: Record,
}
