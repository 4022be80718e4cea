//! The row pipeline that the `lintseq` CLI, the Python package and later
//! services share: reading rows from JSONL, Parquet or Arrow IPC, checking
//! their fields, turning each into edit paths (or a reason it has none) in
//! parallel batches, and writing them back in input order.
//!
//! Nothing here prints: progress, skipped rows and notes go to an
//! [`Observer`]; failures of our own machinery are [`Error`]s; bad rows are
//! [`Problem`]s.

pub mod error;
pub mod format;
pub mod generate;
pub mod job;
pub mod language;
pub mod lint;
pub mod read;
pub mod row;
pub mod settings;
pub mod training;
pub mod write;

pub use error::{Error, Result};
pub use format::Format;
pub use generate::{GenerateConfig, Observer, Quiet, Summary, generate, process_rows, thread_pool};
pub use job::{Job, Outcome, Problem, Reason};
pub use language::{LanguageChoice, LanguageId, LanguageOptions};
pub use lint::{Linted, lint, lint_in};
pub use read::{Fields, Progress, RowReader, Unit};
pub use row::{Cell, InputRow, Location, Record, RowId};
pub use settings::{ImportSettings, Imports, JobSettings, SamplerSettings, Spelling};
pub use training::{FormatConfig, FormatObserver, FormatSummary, format_file};
pub use write::{OutputRow, OutputSchema, Sink, open_sink, output_rows};
