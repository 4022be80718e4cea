//! What isolation this machine offers.

use std::cell::Cell;
use std::ffi::CString;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::SandboxError;
use crate::cgroup::Hierarchy;
use crate::seccomp;
use crate::sys::{self, ChildProbe};

/// A kind of Linux namespace that full isolation creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    Pid,
    Mount,
    Network,
    Ipc,
    Uts,
}

impl Namespace {
    pub const ALL: [Namespace; 5] = [
        Namespace::Pid,
        Namespace::Mount,
        Namespace::Network,
        Namespace::Ipc,
        Namespace::Uts,
    ];

    /// "pid", "mount", "network", "ipc", "uts".
    pub fn name(self) -> &'static str {
        match self {
            Namespace::Pid => "pid",
            Namespace::Mount => "mount",
            Namespace::Network => "network",
            Namespace::Ipc => "ipc",
            Namespace::Uts => "uts",
        }
    }

    fn flag(self) -> i32 {
        match self {
            Namespace::Pid => libc::CLONE_NEWPID,
            Namespace::Mount => libc::CLONE_NEWNS,
            Namespace::Network => libc::CLONE_NEWNET,
            Namespace::Ipc => libc::CLONE_NEWIPC,
            Namespace::Uts => libc::CLONE_NEWUTS,
        }
    }

    fn flag_name(self) -> &'static str {
        match self {
            Namespace::Pid => "CLONE_NEWPID",
            Namespace::Mount => "CLONE_NEWNS",
            Namespace::Network => "CLONE_NEWNET",
            Namespace::Ipc => "CLONE_NEWIPC",
            Namespace::Uts => "CLONE_NEWUTS",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// The interpreter samples will run under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PythonInfo {
    /// `sys.executable`, which the zygote is started from (resolving
    /// wrappers such as pyenv shims, which need the environment we clear).
    pub executable: PathBuf,
    pub version: String,
}

/// What works here and what does not. Every `Err` holds the reason.
#[derive(Clone, Debug)]
pub struct Probe {
    pub python: Result<PythonInfo, String>,
    /// Full isolation mounts and switches users, which needs root.
    pub root: Result<(), String>,
    pub namespaces: Vec<(Namespace, Result<(), String>)>,
    /// A tmpfs in a private mount namespace.
    pub mounts: Result<(), String>,
    /// Optional: without cgroups, limits rely on rlimits only.
    pub cgroups: Result<String, String>,
    /// Optional: the system-call filter (x86_64 and aarch64).
    pub seccomp: Result<(), String>,
    pub(crate) hierarchy: Option<Hierarchy>,
}

/// Probes the machine, with `python3` from `PATH`.
pub fn probe() -> Probe {
    probe_with(Path::new("python3"))
}

/// Probes the machine, with the given interpreter.
pub fn probe_with(python: &Path) -> Probe {
    let pretend = PRETEND.with(Cell::get);
    let root = match sys::effective_uid() {
        0 => Ok(()),
        uid => Err(format!("lintseq runs as uid {uid}, not root")),
    };
    let namespaces = Namespace::ALL
        .iter()
        .map(|&ns| {
            let result = if pretend & ns.bit() != 0 {
                Err(errno_text(libc::EPERM) + PRETENDED)
            } else {
                errno_result(sys::probe_in_child(ChildProbe::Unshare(ns.flag())))
            };
            (
                ns,
                result.map_err(|e| format!("unshare({}) failed: {e}", ns.flag_name())),
            )
        })
        .collect();
    let target = CString::new("/tmp").expect("no NUL in a literal");
    let mounts = errno_result(sys::probe_in_child(ChildProbe::Mount { target: &target }))
        .map_err(|e| format!("mounting a tmpfs in a private mount namespace failed: {e}"));
    let discovered = if pretend & PRETEND_NO_CGROUPS != 0 {
        Err(format!("no writable cgroup hierarchy{PRETENDED}"))
    } else {
        Hierarchy::discover()
    };
    let cgroups = discovered
        .as_ref()
        .map(Hierarchy::describe)
        .map_err(Clone::clone);
    let seccomp = match seccomp::filter() {
        Some(_) => Ok(()),
        None => Err(format!(
            "no system-call table for {}",
            std::env::consts::ARCH
        )),
    };
    Probe {
        python: resolve_python(python),
        root,
        namespaces,
        mounts,
        cgroups,
        seccomp,
        hierarchy: discovered.ok(),
    }
}

impl Probe {
    /// Whether full isolation can start; the error names the first thing
    /// missing.
    pub fn full_isolation(&self) -> Result<(), SandboxError> {
        let missing = |what: &str, reason: &String| SandboxError::Missing {
            what: what.to_owned(),
            reason: reason.clone(),
        };
        if let Err(reason) = &self.root {
            return Err(missing("switch samples to an unprivileged user", reason));
        }
        for (ns, result) in &self.namespaces {
            if let Err(reason) = result {
                return Err(missing(
                    &format!("create a {} namespace", ns.name()),
                    reason,
                ));
            }
        }
        if let Err(reason) = &self.mounts {
            return Err(missing("build the sample's file system", reason));
        }
        Ok(())
    }
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn line<T: fmt::Display, E: fmt::Display>(
            f: &mut fmt::Formatter<'_>,
            what: &str,
            result: Result<T, E>,
        ) -> fmt::Result {
            match result {
                Ok(text) => writeln!(f, "  ok       {what:<20} {text}"),
                Err(reason) => writeln!(f, "  missing  {what:<20} {reason}"),
            }
        }
        writeln!(f, "sandbox capabilities:")?;
        let python = self
            .python
            .as_ref()
            .map(|p| format!("{} ({})", p.executable.display(), p.version));
        line(f, "python", python)?;
        line(f, "root", self.root.as_ref().map(|_| ""))?;
        for (ns, result) in &self.namespaces {
            line(
                f,
                &format!("{} namespace", ns.name()),
                result.as_ref().map(|_| ""),
            )?;
        }
        line(f, "mounts", self.mounts.as_ref().map(|_| ""))?;
        line(f, "cgroups (optional)", self.cgroups.as_ref())?;
        line(f, "seccomp (optional)", self.seccomp.as_ref().map(|_| ""))?;
        match self.full_isolation() {
            Ok(()) => write!(f, "full isolation is available"),
            Err(e) => write!(f, "full isolation is not available: {e}"),
        }
    }
}

fn errno_result(result: std::io::Result<i32>) -> Result<(), String> {
    match result {
        Ok(0) => Ok(()),
        Ok(errno) => Err(errno_text(errno)),
        Err(e) => Err(format!("the probe process failed: {e}")),
    }
}

fn errno_text(errno: i32) -> String {
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    // "Operation not permitted (os error 1)" reads better without the tail.
    match text.rfind(" (os error") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

const PYTHON_PATIENCE: Duration = Duration::from_secs(60);

/// Asks the interpreter (with the harness's environment, which wrappers
/// such as pyenv need) for its real executable and version.
pub(crate) fn resolve_python(python: &Path) -> Result<PythonInfo, String> {
    let script = "import sys; print(sys.executable); print(sys.version.split()[0]); \
                  print(sys.version_info >= (3, 9))";
    let mut child = Command::new(python)
        .args(["-E", "-s", "-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot execute it: {e}"))?;
    let give_up = Instant::now() + PYTHON_PATIENCE;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < give_up => thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "it did not answer within {}s",
                    PYTHON_PATIENCE.as_secs()
                ));
            }
            Err(e) => return Err(format!("cannot wait for it: {e}")),
        }
    };
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout
            .read_to_string(&mut out)
            .map_err(|e| format!("cannot read its answer: {e}"))?;
    }
    if !status.success() {
        return Err(format!("it failed ({status})"));
    }
    let mut lines = out.lines();
    let (Some(executable), Some(version), Some(recent)) =
        (lines.next(), lines.next(), lines.next())
    else {
        return Err(format!("it answered {out:?}"));
    };
    if executable.is_empty() {
        return Err("it does not know its own executable".to_owned());
    }
    if recent != "True" {
        return Err(format!(
            "it is python {version}; the sandbox needs 3.9 or later"
        ));
    }
    Ok(PythonInfo {
        executable: PathBuf::from(executable),
        version: version.to_owned(),
    })
}

const PRETEND_NO_CGROUPS: u32 = 1 << 16;
const PRETENDED: &str = " (pretended by lintseq_sandbox::testing)";

thread_local! {
    static PRETEND: Cell<u32> = const { Cell::new(0) };
}

/// Hooks for tests of degradation on machines that have everything.
#[doc(hidden)]
pub mod testing {
    use super::*;

    /// Until the guard drops, probes on this thread report `namespace` as
    /// unavailable.
    pub fn pretend_missing(namespace: Namespace) -> Pretend {
        pretend(namespace.bit())
    }

    /// Until the guard drops, probes on this thread find no cgroups.
    pub fn pretend_no_cgroups() -> Pretend {
        pretend(PRETEND_NO_CGROUPS)
    }

    fn pretend(bit: u32) -> Pretend {
        let before = PRETEND.with(|p| p.replace(p.get() | bit));
        Pretend { before }
    }

    /// Restores the real probes when dropped.
    #[derive(Debug)]
    pub struct Pretend {
        before: u32,
    }

    impl Drop for Pretend {
        fn drop(&mut self) {
            PRETEND.with(|p| p.set(self.before));
        }
    }
}
