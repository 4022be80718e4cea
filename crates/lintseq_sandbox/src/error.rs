//! Errors from starting a worker.

use std::io;
use std::path::PathBuf;

/// Why a worker could not start. Running a sample never returns an error:
/// machinery failures there become [`crate::Status::SandboxError`].
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Full isolation needs something this machine does not offer.
    #[error("cannot {what}: {reason}")]
    Missing { what: String, reason: String },
    /// The interpreter could not be found or is unusable.
    #[error("cannot use the python interpreter {}: {reason}", python.display())]
    Python { python: PathBuf, reason: String },
    /// The zygote process could not be started or did not become ready.
    #[error("cannot start the python zygote ({}): {reason}", python.display())]
    Zygote { python: PathBuf, reason: String },
    /// The sandbox ran, but a trivial program did not pass in it.
    #[error("the sandbox self-test failed: {0}")]
    SelfTest(String),
    /// An I/O operation of our own failed.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
}
