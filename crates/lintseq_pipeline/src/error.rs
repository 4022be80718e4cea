//! Errors of our own machinery: files, formats, options. Bad rows are not
//! errors; they are [`Problem`](crate::Problem)s, reported and skipped.

use std::io;
use std::path::PathBuf;

/// Why a pipeline run could not start or could not finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open {}: {source}", path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot read {}: {message}", path.display())]
    Decode { path: PathBuf, message: String },
    #[error("cannot create {}: {source}", path.display())]
    Create { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{} already exists; pass --force to overwrite it", path.display())]
    OutputExists { path: PathBuf },
    #[error("the output {} is the input file", path.display())]
    OutputIsInput { path: PathBuf },
    #[error("{}: {message}", path.display())]
    Schema { path: PathBuf, message: String },
    #[error("{0}")]
    Format(String),
    #[error("{0}")]
    Option(String),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    /// True when the error is a closed pipe on output (the CLI exits quietly).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
