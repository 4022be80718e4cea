//! Asking an interpreter, once, what it can import.
//!
//! The probe is a small Python script (`probe.py`, embedded) run as
//! `python -c`. It imports nothing to find modules: it walks the file system
//! under the temporary directory and `sys.path` and reads
//! `sys.builtin_module_names`, the frozen modules and setuptools' editable
//! mappings, and prints a listing that [`ModuleIndex::from_listing`] reads.

use std::io::{self, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::index::ModuleIndex;

/// The probe script.
const SCRIPT: &str = include_str!("probe.py");

/// How long the probe may take (it walks every directory on `sys.path`).
const TIMEOUT: Duration = Duration::from_secs(300);

/// Why an interpreter's modules could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("cannot run the Python interpreter `{python}`")]
    Spawn {
        python: String,
        #[source]
        source: io::Error,
    },
    #[error("the Python interpreter `{python}` failed to list its modules ({status}){stderr}")]
    Failed {
        python: String,
        status: String,
        /// The end of its standard error, with a leading `: `, or empty.
        stderr: String,
    },
    #[error("the Python interpreter `{python}` took more than {seconds} s to list its modules")]
    TimedOut { python: String, seconds: u64 },
    #[error(
        "the Python interpreter `{python}` gave a module listing lintseq cannot read (line {line}: {detail})"
    )]
    Output {
        python: String,
        line: usize,
        detail: String,
    },
    #[error("the module listing is malformed (line {line}: {detail})")]
    Malformed { line: usize, detail: String },
}

impl ModuleIndex {
    /// Lists what `python` (a path, or a name looked up on `PATH`) can
    /// import, running it once.
    pub fn probe(python: &Path) -> Result<Self, ProbeError> {
        Self::probe_with(Command::new(python))
    }

    /// Like [`ModuleIndex::probe`], with the interpreter's command given
    /// (to set its environment, for example); `-c <probe>` is appended.
    pub fn probe_with(mut command: Command) -> Result<Self, ProbeError> {
        let python = command.get_program().to_string_lossy().into_owned();
        command
            .arg("-c")
            .arg(SCRIPT)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let spawn_error = |source| ProbeError::Spawn {
            python: python.clone(),
            source,
        };
        let mut child = command.spawn().map_err(spawn_error)?;
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        let started = Instant::now();
        let status = loop {
            match child.try_wait().map_err(spawn_error)? {
                Some(status) => break status,
                None if started.elapsed() > TIMEOUT => {
                    // Best effort: the child may have exited meanwhile.
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(ProbeError::TimedOut {
                        python,
                        seconds: TIMEOUT.as_secs(),
                    });
                }
                None => thread::sleep(Duration::from_millis(5)),
            }
        };
        let stdout = stdout.map(join).unwrap_or_default();
        let stderr = stderr.map(join).unwrap_or_default();
        if !status.success() {
            let stderr = String::from_utf8_lossy(&stderr);
            let tail = stderr.trim_end();
            let tail = match tail.char_indices().rev().nth(1999) {
                Some((start, _)) => &tail[start..],
                None => tail,
            };
            return Err(ProbeError::Failed {
                python,
                status: status.to_string(),
                stderr: if tail.is_empty() {
                    String::new()
                } else {
                    format!(": {tail}")
                },
            });
        }
        let listing = String::from_utf8_lossy(&stdout);
        Self::from_listing(&listing).map_err(|error| match error {
            ProbeError::Malformed { line, detail } => ProbeError::Output {
                python,
                line,
                detail,
            },
            other => other,
        })
    }
}

/// Reads a pipe to its end on a thread of its own.
fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        // A read error leaves what was read; the listing check catches it.
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn join(handle: thread::JoinHandle<Vec<u8>>) -> Vec<u8> {
    handle.join().unwrap_or_default()
}
