//! The general executor: any `argv`, with files in a private working
//! directory, under the isolation the Python zygote gives its samples.
//!
//! A [`Jail`] is prepared once per worker thread: its cgroups, a network
//! namespace with loopback down and a UTS namespace named `sandbox` (held
//! as descriptors, entered with `setns` per command, which costs
//! microseconds where creating a network namespace costs milliseconds),
//! the system-call filter, and the plan for directories the sandbox user
//! must reach inside a hidden one (a toolchain under `/root`, say).
//!
//! Each [`Jail::run`] then makes a working directory (on the host, under
//! `/dev/shm`, so what a command writes there is memory charged to its own
//! cgroup), writes the files, and starts the command as the second process
//! of a fresh pid namespace (`sys::spawn_confined`): private mount and IPC
//! namespaces, the host read-only, nosuid and nodev, private tmpfs on
//! `/tmp` and `/dev/shm`, the working directory bound writable at
//! `/tmp/work`, its own `/proc`, rlimits, uid `nobody`, no new privileges
//! and seccomp, a cleared environment, stdin from a file, stdout and
//! stderr captured with a cap. At the deadline the namespace's init is
//! killed, which kills every process the command started. Steps of one
//! job (compile, then run) share the working directory through
//! [`Jail::run_in`].

use std::collections::BTreeMap;
use std::ffi::CString;
use std::fs;
use std::io::{self, Read as _, Write as _};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::cgroup::{Hierarchy, SampleCgroup, WorkerCgroups};
use crate::limits::Limits;
use crate::probe::probe;
use crate::sys::{self, ChildPlan, Exposure, Step};
use crate::worker::Isolation;
use crate::zygote::SANDBOX_ID;
use crate::{SandboxError, seccomp};

/// Where a command's working directory appears inside the jail.
pub const WORK_DIR: &str = "/tmp/work";

/// The environment every command starts with (plus its own variables).
const BASE_ENVIRONMENT: [(&str, &str); 3] = [
    ("PATH", "/usr/local/bin:/usr/bin:/bin"),
    ("LANG", "C.UTF-8"),
    ("HOME", "/tmp"),
];

static JAILS: AtomicU64 = AtomicU64::new(0);

/// What one command may use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandLimits {
    /// Wall-clock deadline; the command and everything it started are
    /// killed when it passes.
    pub wall: Duration,
    /// CPU seconds per process (`RLIMIT_CPU`; SIGXCPU, then SIGKILL).
    pub cpu_seconds: u64,
    /// Resident memory of the whole command (the memory cgroup), and, if
    /// `address_space` is set, also each process's `RLIMIT_AS`. JVMs and
    /// Go reserve far more address space than they use: leave it off for
    /// them.
    pub memory_bytes: u64,
    pub address_space: bool,
    /// Processes and threads (the pids cgroup, or `RLIMIT_NPROC`).
    pub max_processes: u64,
    /// Bytes of stdout and of stderr kept, each.
    pub max_output_bytes: usize,
    /// Largest file (`RLIMIT_FSIZE`).
    pub max_file_bytes: u64,
    /// Open files per process (`RLIMIT_NOFILE`).
    pub max_open_files: u64,
    /// Size of the private `/tmp` and `/dev/shm`.
    pub tmp_bytes: u64,
    /// Count files in the private `/tmp` and `/dev/shm` against
    /// `memory_bytes` (they are memory, as in a container) rather than
    /// giving the memory cgroup room for them on top: `memory_bytes` is
    /// then the command's whole footprint.
    pub tmp_in_memory: bool,
}

impl Default for CommandLimits {
    fn default() -> Self {
        CommandLimits {
            wall: Duration::from_secs(10),
            cpu_seconds: 10,
            memory_bytes: 1 << 30,
            address_space: true,
            max_processes: 64,
            max_output_bytes: 64 << 10,
            max_file_bytes: 64 << 20,
            max_open_files: 256,
            tmp_bytes: 64 << 20,
            tmp_in_memory: false,
        }
    }
}

/// How a command ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// It exited with this code.
    Exited(i32),
    /// A signal killed it (SIGSEGV, SIGABRT, SIGKILL, ...).
    Signaled(i32),
    /// The wall-clock deadline passed and it was killed.
    TimedOut,
    /// A process used up its CPU seconds (`RLIMIT_CPU`'s SIGXCPU). A
    /// program that spins on several cores gets here before its wall
    /// deadline; callers treat it as a timeout.
    CpuLimit,
    /// The memory cgroup killed it.
    OutOfMemory,
    /// Our machinery failed; the command may not have run.
    SandboxError(String),
}

/// What a command did.
#[derive(Clone, Debug)]
pub struct CommandOutput {
    pub ending: Ending,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Bytes written, kept or not.
    pub stdout_total: u64,
    pub stderr_total: u64,
    pub duration: Duration,
    pub peak_memory_bytes: Option<u64>,
}

impl CommandOutput {
    pub fn success(&self) -> bool {
        self.ending == Ending::Exited(0)
    }
}

/// A file to place in the working directory before the command runs.
#[derive(Clone, Debug)]
pub struct File {
    /// Relative to the working directory; parents are created.
    pub path: PathBuf,
    pub contents: Vec<u8>,
    pub executable: bool,
}

impl File {
    pub fn new(path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>) -> File {
        File {
            path: path.into(),
            contents: contents.into(),
            executable: false,
        }
    }
}

/// Which lines of a long output to keep ([`Job::keep_lines`]).
pub type LineFilter = fn(&[u8]) -> bool;

/// One command to run.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub argv: Vec<String>,
    pub env: BTreeMap<String, String>,
    pub stdin: Vec<u8>,
    pub limits: CommandLimits,
    /// A host directory (prepared once, by trusted code) that appears at
    /// `/tmp/cache` as the read-only layer of an overlay: the command
    /// reads it and writes on top, privately (a warm build cache).
    pub cache: Option<PathBuf>,
    /// Past `max_output_bytes`, whole lines of each stream for which this
    /// holds are still kept (another `max_output_bytes` of them at most,
    /// each judged on its first 64 KiB), with a line saying how many bytes
    /// were left out between them: a harness that reads a few lines of a
    /// long log (VerilogEval's analysis reads its last line) then reads
    /// them as it would in the whole log. The head ends at its last whole
    /// line when this is set.
    pub keep_lines: Option<LineFilter>,
}

impl Job {
    pub fn new<S: Into<String>>(argv: impl IntoIterator<Item = S>) -> Job {
        Job {
            argv: argv.into_iter().map(Into::into).collect(),
            ..Job::default()
        }
    }
}

/// A working directory shared by the steps of one job; removed on drop.
#[derive(Debug)]
pub struct WorkDir {
    root: PathBuf,
    work: PathBuf,
}

impl WorkDir {
    /// The directory on the host (for reading what a step left there).
    pub fn host_path(&self) -> &Path {
        &self.work
    }

    /// Writes files into it, as the sandbox user will own them.
    pub fn write(&self, files: &[File]) -> io::Result<()> {
        for file in files {
            if file.path.is_absolute()
                || file
                    .path
                    .components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                return Err(io::Error::other(format!(
                    "{} is not a relative path inside the working directory",
                    file.path.display()
                )));
            }
            let path = self.work.join(&file.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
                chown_tree(&self.work, parent)?;
            }
            fs::write(&path, &file.contents)?;
            let mode = if file.executable { 0o755 } else { 0o644 };
            fs::set_permissions(&path, fs::Permissions::from_mode(mode))?;
            std::os::unix::fs::chown(&path, Some(SANDBOX_ID), Some(SANDBOX_ID))?;
        }
        Ok(())
    }
}

fn chown_tree(base: &Path, dir: &Path) -> io::Result<()> {
    let mut current = dir;
    while current.starts_with(base) {
        std::os::unix::fs::chown(current, Some(SANDBOX_ID), Some(SANDBOX_ID))?;
        match current.parent() {
            Some(parent) => current = parent,
            None => break,
        }
    }
    Ok(())
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Isolation for commands, prepared once per worker thread.
#[derive(Debug)]
pub struct Jail {
    isolation: Isolation,
    scratch: PathBuf,
    jobs: u64,
    commands: u64,
    cgroups: Option<WorkerCgroups>,
    seccomp: Vec<u8>,
    net_ns: Option<OwnedFd>,
    uts_ns: Option<OwnedFd>,
    own_pid_ns: Option<OwnedFd>,
    expose: Exposure,
    warnings: Vec<String>,
    /// Directories kept for the jail's lifetime (prepared caches).
    kept: BTreeMap<String, WorkDir>,
    /// Long-lived servers (a warm compiler), by name.
    servers: BTreeMap<String, Server>,
    /// Precompiled C++ headers, the jail's own or shared with others.
    cpp_headers: std::sync::Arc<crate::toolchain::CppHeaders>,
}

impl Jail {
    /// Prepares a jail. `reachable` lists directories commands need that
    /// may sit inside one the sandbox user cannot search (a rustup
    /// toolchain under `/root`, a prebuilt dependency set); they are bound
    /// back, read-only, into an empty tmpfs over the hidden directory.
    pub fn new(isolation: Isolation, reachable: &[PathBuf]) -> Result<Jail, SandboxError> {
        let id = JAILS.fetch_add(1, Ordering::Relaxed);
        let scratch = PathBuf::from(format!("/dev/shm/lintseq-jail-{}-{id}", std::process::id()));
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir(&scratch).map_err(|source| SandboxError::Io {
            what: format!("cannot create {}", scratch.display()),
            source,
        })?;
        let mut jail = Jail {
            isolation,
            scratch,
            jobs: 0,
            commands: 0,
            cgroups: None,
            seccomp: Vec::new(),
            net_ns: None,
            uts_ns: None,
            own_pid_ns: None,
            expose: Vec::new(),
            warnings: Vec::new(),
            kept: BTreeMap::new(),
            servers: BTreeMap::new(),
            cpp_headers: std::sync::Arc::default(),
        };
        if isolation == Isolation::None {
            return Ok(jail);
        }
        let machine = probe();
        machine.full_isolation()?;
        match &machine.hierarchy {
            Some(hierarchy) => jail.cgroups = Some(worker_cgroups(hierarchy, id)?),
            None => jail.warnings.push(
                "cgroups are unavailable; memory and process limits rely on rlimits only"
                    .to_owned(),
            ),
        }
        jail.seccomp = seccomp::filter().unwrap_or_else(|| {
            jail.warnings
                .push("no system-call filter exists for this architecture".to_owned());
            Vec::new()
        });
        let (net, uts) = namespace_holder().map_err(|source| SandboxError::Io {
            what: "cannot prepare the network and UTS namespaces".to_owned(),
            source,
        })?;
        jail.net_ns = Some(net);
        jail.uts_ns = Some(uts);
        jail.own_pid_ns = Some(
            fs::File::open("/proc/self/ns/pid")
                .map(OwnedFd::from)
                .map_err(|source| SandboxError::Io {
                    what: "cannot open our pid namespace".to_owned(),
                    source,
                })?,
        );
        jail.expose = exposure_plan(reachable).map_err(|reason| SandboxError::Missing {
            what: "keep the toolchain reachable for the sandbox user".to_owned(),
            reason,
        })?;
        Ok(jail)
    }

    /// Keeps `dir` (a prepared cache, say) until the jail is dropped.
    pub fn keep(&mut self, name: &str, dir: WorkDir) {
        self.kept.insert(name.to_owned(), dir);
    }

    /// A directory kept under `name`.
    pub fn kept(&self, name: &str) -> Option<&WorkDir> {
        self.kept.get(name)
    }

    /// Shares `headers` (precompiled C++ headers) with the other jails
    /// given it, instead of the jail's own.
    pub fn share_cpp_headers(&mut self, headers: std::sync::Arc<crate::toolchain::CppHeaders>) {
        self.cpp_headers = headers;
    }

    pub(crate) fn cpp_headers(&self) -> std::sync::Arc<crate::toolchain::CppHeaders> {
        self.cpp_headers.clone()
    }

    /// Takes the server kept under `name`, if one is (put it back with
    /// [`Jail::put_server`] to keep it warm).
    pub fn take_server(&mut self, name: &str) -> Option<Server> {
        self.servers.remove(name)
    }

    /// Keeps `server` under `name` until it is taken or the jail dropped.
    pub fn put_server(&mut self, name: &str, server: Server) {
        self.servers.insert(name.to_owned(), server);
    }

    /// Whether commands run fully isolated.
    pub fn isolation(&self) -> Isolation {
        self.isolation
    }

    /// Things that work but less well than they could (no cgroups, say).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// A fresh working directory, owned by the sandbox user.
    pub fn work_dir(&mut self) -> io::Result<WorkDir> {
        self.jobs += 1;
        let root = self.scratch.join(self.jobs.to_string());
        let work = root.join("work");
        fs::create_dir_all(&work)?;
        fs::set_permissions(&root, fs::Permissions::from_mode(0o755))?;
        fs::set_permissions(&work, fs::Permissions::from_mode(0o755))?;
        std::os::unix::fs::chown(&work, Some(SANDBOX_ID), Some(SANDBOX_ID))?;
        Ok(WorkDir { root, work })
    }

    /// Runs one command in a fresh working directory holding `files`.
    pub fn run(&mut self, job: &Job, files: &[File]) -> CommandOutput {
        match self
            .work_dir()
            .and_then(|dir| dir.write(files).map(|()| dir))
        {
            Ok(dir) => self.run_in(&dir, job),
            Err(error) => sandbox_error(format!("cannot prepare the working directory: {error}")),
        }
    }

    /// Runs one command in `dir` (which earlier steps may have filled).
    pub fn run_in(&mut self, dir: &WorkDir, job: &Job) -> CommandOutput {
        match self.try_run(dir, job) {
            Ok(output) => output,
            Err(error) => sandbox_error(error),
        }
    }

    fn try_run(&mut self, dir: &WorkDir, job: &Job) -> Result<CommandOutput, String> {
        let full = self.isolation == Isolation::Full;
        let limits = &job.limits;
        let stdin_path = dir.root.join("stdin");
        fs::write(&stdin_path, &job.stdin).map_err(|e| format!("cannot write stdin: {e}"))?;
        let stdin = fs::File::open(&stdin_path).map_err(|e| format!("cannot open stdin: {e}"))?;
        let started = Instant::now();
        let Launched {
            mut child,
            mut status,
            cgroup: sample,
        } = self.launch(dir, job, Stdio::from(stdin), Stdio::piped())?;
        let stdout = child.stdout.take().ok_or("stdout was not piped")?;
        let stderr = child.stderr.take().ok_or("stderr was not piped")?;
        let streams = capture(
            &mut child,
            stdout.into(),
            stderr.into(),
            (limits.max_output_bytes, job.keep_lines),
            started + limits.wall,
        );
        let duration = started.elapsed();
        let (step, exit) = status.read_all();
        let report = sample.map(|s| s.finish().0);
        let ending = if let Some((step, code)) = step {
            Ending::SandboxError(format!(
                "{} failed: {}",
                step.describe(),
                io::Error::from_raw_os_error(code)
            ))
        } else if streams.timed_out {
            Ending::TimedOut
        } else if report.is_some_and(|r| r.oom_kills > 0) {
            Ending::OutOfMemory
        } else {
            match (full, exit, streams.status) {
                (true, Some(raw), _) | (false, _, Some(raw)) => decode(raw),
                (true, None, _) => Ending::SandboxError(
                    "the namespace's init ended without reporting the command's status".to_owned(),
                ),
                (false, _, None) => Ending::SandboxError("lost the command's status".to_owned()),
            }
        };
        Ok(CommandOutput {
            ending,
            stdout: streams.out,
            stderr: streams.err,
            stdout_total: streams.out_total,
            stderr_total: streams.err_total,
            duration,
            peak_memory_bytes: report.and_then(|r| r.peak_memory_bytes),
        })
    }
    /// Starts `job` in `dir`, confined, with the given stdin and stderr
    /// (stdout is piped).
    fn launch(
        &mut self,
        dir: &WorkDir,
        job: &Job,
        stdin: Stdio,
        stderr: Stdio,
    ) -> Result<Launched, String> {
        let Some(program) = job.argv.first() else {
            return Err("an empty argv".to_owned());
        };
        let full = self.isolation == Isolation::Full;
        let limits = &job.limits;
        self.commands += 1;
        let cgroup = match &self.cgroups {
            Some(cgroups) => Some(
                cgroups
                    .create_sample(self.commands, &cgroup_limits(limits))
                    .map_err(|e| format!("cannot create the command's cgroups: {e}"))?,
            ),
            None => None,
        };
        let (status_read, status_write) =
            sys::pipe().map_err(|e| format!("cannot make a pipe: {e}"))?;
        let plan = ChildPlan {
            full,
            cgroup_procs: cgroup
                .as_ref()
                .map(|s| s.procs_files().iter().map(|p| c_path(p)).collect())
                .unwrap_or_default(),
            net_ns: self.net_ns.as_ref().map_or(-1, AsRawFd::as_raw_fd),
            uts_ns: self.uts_ns.as_ref().map_or(-1, AsRawFd::as_raw_fd),
            expose: self.expose.clone(),
            tmp_options: CString::new(format!(
                "size={},nr_inodes={},mode=1777",
                limits.tmp_bytes,
                (limits.tmp_bytes / 4096).max(1024)
            ))
            .expect("no NUL in a number"),
            cache_overlay: job.cache.as_ref().filter(|_| full).map(|lower| {
                c_path(Path::new(&format!(
                    "lowerdir={},upperdir=/tmp/.cache-upper,workdir=/tmp/.cache-work",
                    lower.display()
                )))
            }),
            work_host: c_path(&dir.work),
            work_jail: c_path(Path::new(WORK_DIR)),
            rlimits: rlimits(limits, full && self.cgroups.is_none()),
            cpu_seconds: limits.cpu_seconds.max(1),
            uid: SANDBOX_ID,
            gid: SANDBOX_ID,
            seccomp: self.seccomp.clone(),
            status_fd: status_write.as_raw_fd(),
        };
        let mut command = Command::new(program);
        command
            .args(&job.argv[1..])
            .env_clear()
            .envs(BASE_ENVIRONMENT)
            .envs(&job.env)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(stderr);
        if !full {
            command.env("HOME", &dir.work);
        }
        let own = self.own_pid_ns.as_ref().map_or(-1, AsRawFd::as_raw_fd);
        let spawned = sys::spawn_confined(&mut command, &plan, own);
        drop(status_write);
        let mut status = StatusReader::new(status_read);
        match spawned {
            Ok(child) => Ok(Launched {
                child,
                status,
                cgroup,
            }),
            Err(error) => {
                let step = status.read_all().0;
                if let Some(cgroup) = cgroup {
                    let _ = cgroup.finish();
                }
                Err(match step {
                    Some((step, code)) => format!(
                        "{} failed: {}",
                        step.describe(),
                        io::Error::from_raw_os_error(code)
                    ),
                    None => format!("cannot start {program}: {error}"),
                })
            }
        }
    }

    /// Starts `job` as a long-lived server in a fresh working directory
    /// holding `files`, confined as any command is, and talked to through
    /// its stdin and stdout; its stderr goes to `stderr.log` beside the
    /// working directory. Its CPU limit should cover its whole life: the
    /// caller bounds each request with a deadline instead.
    pub fn spawn_server(&mut self, job: &Job, files: &[File]) -> Result<Server, String> {
        let dir = self
            .work_dir()
            .and_then(|dir| dir.write(files).map(|()| dir))
            .map_err(|e| format!("cannot prepare the working directory: {e}"))?;
        let log = fs::File::create(dir.root.join("stderr.log"))
            .map_err(|e| format!("cannot create the server's log: {e}"))?;
        let Launched {
            mut child,
            status,
            cgroup,
        } = self.launch(&dir, job, Stdio::piped(), Stdio::from(log))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("the server's stdin and stdout were not piped".to_owned());
        };
        sys::set_nonblocking(stdout.as_raw_fd())
            .map_err(|e| format!("cannot configure the server's pipe: {e}"))?;
        Ok(Server {
            child,
            stdin,
            stdout,
            requests: 0,
            pending: Vec::new(),
            _status: status,
            cgroup,
            dir,
        })
    }
}

/// A command that has started, with what its end is read from.
struct Launched {
    child: std::process::Child,
    status: StatusReader,
    cgroup: Option<SampleCgroup>,
}

/// Why a server did not answer.
#[derive(Debug, PartialEq, Eq)]
pub enum ServerError {
    /// No answer before the deadline (the server was killed).
    TimedOut,
    /// It exited, or closed its stdout.
    Died,
    /// Our side failed.
    Io(String),
}

/// A long-lived confined command (see [`Jail::spawn_server`]), such as a
/// warm compiler, which answers requests on its stdin one line at a time.
/// It and everything it started are killed when it is dropped.
#[derive(Debug)]
pub struct Server {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::process::ChildStdout,
    requests: u64,
    /// Bytes read past the last line returned.
    pending: Vec<u8>,
    _status: StatusReader,
    cgroup: Option<SampleCgroup>,
    dir: WorkDir,
}

impl Server {
    /// Its working directory, which the caller may fill and read.
    pub fn dir(&self) -> &WorkDir {
        &self.dir
    }

    /// Sends `request` (one line, without its newline) and reads the first
    /// line of the answer, killing the server if none comes by `deadline`.
    pub fn request(&mut self, request: &str, deadline: Instant) -> Result<String, ServerError> {
        self.requests += 1;
        let mut line = request.as_bytes().to_vec();
        line.push(b'\n');
        if let Err(e) = self
            .stdin
            .write_all(&line)
            .and_then(|()| self.stdin.flush())
        {
            return Err(if e.kind() == io::ErrorKind::BrokenPipe {
                ServerError::Died
            } else {
                ServerError::Io(format!("writing to the server failed: {e}"))
            });
        }
        self.read_line(deadline)
    }

    /// Reads exactly `len` bytes of an answer.
    pub fn read_bytes(&mut self, len: usize, deadline: Instant) -> Result<Vec<u8>, ServerError> {
        while self.pending.len() < len {
            self.fill(deadline)?;
        }
        let rest = self.pending.split_off(len);
        Ok(std::mem::replace(&mut self.pending, rest))
    }

    fn read_line(&mut self, deadline: Instant) -> Result<String, ServerError> {
        loop {
            if let Some(at) = self.pending.iter().position(|&b| b == b'\n') {
                let rest = self.pending.split_off(at + 1);
                let mut line = std::mem::replace(&mut self.pending, rest);
                line.pop();
                return String::from_utf8(line).map_err(|_| {
                    ServerError::Io("the server wrote a line that is not UTF-8".to_owned())
                });
            }
            self.fill(deadline)?;
        }
    }

    fn fill(&mut self, deadline: Instant) -> Result<(), ServerError> {
        let fd = self.stdout.as_raw_fd();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.kill();
                return Err(ServerError::TimedOut);
            }
            let ready = sys::poll(&[(fd, libc::POLLIN)], left)
                .map_err(|e| ServerError::Io(format!("poll failed: {e}")))?;
            if ready[0] == 0 {
                continue;
            }
            let mut chunk = [0u8; 65536];
            match self.stdout.read(&mut chunk) {
                Ok(0) => return Err(ServerError::Died),
                Ok(n) => {
                    self.pending.extend_from_slice(&chunk[..n]);
                    return Ok(());
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => {
                    return Err(ServerError::Io(format!(
                        "reading from the server failed: {e}"
                    )));
                }
            }
        }
    }

    /// How many requests it has been sent.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Whether it still runs.
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn kill(&mut self) {
        // The namespace's init: killing it kills everything inside.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        if let Some(cgroup) = self.cgroup.take() {
            let _ = cgroup.finish();
        }
    }
}

impl Drop for Jail {
    fn drop(&mut self) {
        self.servers.clear();
        let _ = fs::remove_dir_all(&self.scratch);
    }
}

fn sandbox_error(message: impl Into<String>) -> CommandOutput {
    CommandOutput {
        ending: Ending::SandboxError(message.into()),
        stdout: Vec::new(),
        stderr: Vec::new(),
        stdout_total: 0,
        stderr_total: 0,
        duration: Duration::ZERO,
        peak_memory_bytes: None,
    }
}

fn decode(raw: i32) -> Ending {
    if libc::WIFEXITED(raw) {
        Ending::Exited(libc::WEXITSTATUS(raw))
    } else if libc::WIFSIGNALED(raw) {
        match libc::WTERMSIG(raw) {
            libc::SIGXCPU => Ending::CpuLimit,
            signal => Ending::Signaled(signal),
        }
    } else {
        Ending::SandboxError(format!("an unexpected wait status {raw:#x}"))
    }
}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap_or_else(|_| c"/nonexistent".to_owned())
}

fn worker_cgroups(hierarchy: &Hierarchy, id: u64) -> Result<WorkerCgroups, SandboxError> {
    hierarchy.sweep_stale();
    hierarchy
        .create_worker(&format!("{}-jail-{id}", std::process::id()))
        .map_err(|source| SandboxError::Io {
            what: "cannot create the jail's cgroups".to_owned(),
            source,
        })
}

fn cgroup_limits(limits: &CommandLimits) -> Limits {
    Limits {
        memory_bytes: limits.memory_bytes,
        max_processes: limits.max_processes,
        tmp_bytes: if limits.tmp_in_memory {
            0
        } else {
            limits.tmp_bytes
        },
        ..Limits::default()
    }
}

fn rlimits(limits: &CommandLimits, with_nproc: bool) -> Vec<(u32, u64)> {
    let mut list = vec![
        (libc::RLIMIT_CORE, 0),
        (libc::RLIMIT_FSIZE, limits.max_file_bytes),
        (libc::RLIMIT_NOFILE, limits.max_open_files),
    ];
    if limits.address_space {
        list.push((libc::RLIMIT_AS, limits.memory_bytes));
    }
    if with_nproc {
        list.push((libc::RLIMIT_NPROC, limits.max_processes));
    }
    list
}

/// The exposure plan: for each directory the sandbox user cannot search,
/// the chains of directories to recreate inside its tmpfs.
fn exposure_plan(reachable: &[PathBuf]) -> Result<Exposure, String> {
    let mut plan: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in reachable {
        let real = fs::canonicalize(path)
            .map_err(|e| format!("{} cannot be reached: {e}", path.display()))?;
        if real.starts_with("/tmp") || real.starts_with("/dev/shm") {
            return Err(format!(
                "{} lies under {}, which every command replaces with a private tmpfs of its own; \
                 keep it elsewhere (LINTSEQ_CACHE_DIR for the Rust crates)",
                real.display(),
                if real.starts_with("/tmp") {
                    "/tmp"
                } else {
                    "/dev/shm"
                }
            ));
        }
        let mut current = PathBuf::from("/");
        let mut hidden = None;
        let parts: Vec<_> = real.components().skip(1).collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            current.push(part);
            let mode = fs::metadata(&current)
                .map_err(|e| e.to_string())?
                .permissions()
                .mode();
            if mode & 0o001 == 0 {
                hidden = Some(current.clone());
                break;
            }
        }
        if let Some(hidden) = hidden {
            plan.entry(hidden).or_default().push(real);
        }
    }
    let mut result = Vec::new();
    for (hidden, mut keep) in plan {
        keep.sort();
        keep.dedup();
        let outer: Vec<PathBuf> = keep
            .iter()
            .filter(|p| !keep.iter().any(|o| o != *p && p.starts_with(o)))
            .cloned()
            .collect();
        if outer.len() > 16 {
            return Err(format!(
                "more than 16 directories to keep reachable inside {}",
                hidden.display()
            ));
        }
        let chains = outer
            .iter()
            .map(|path| {
                let mut chain = Vec::new();
                let mut current = hidden.clone();
                for part in path.strip_prefix(&hidden).unwrap_or(path).components() {
                    current.push(part);
                    chain.push(c_path(&current));
                }
                chain
            })
            .collect();
        result.push((c_path(&hidden), chains));
    }
    Ok(result)
}

/// A network namespace (loopback down) and a UTS namespace named
/// `sandbox`, made by a short-lived child and held by descriptor.
fn namespace_holder() -> io::Result<(OwnedFd, OwnedFd)> {
    let (net, uts) = sys::hold_new_namespaces(c"sandbox")?;
    Ok((net, uts))
}

#[derive(Debug)]
struct StatusReader {
    fd: OwnedFd,
}

impl StatusReader {
    fn new(fd: OwnedFd) -> StatusReader {
        StatusReader { fd }
    }

    /// Reads every record until the writers are gone: the first failed
    /// step, and the command's wait status as the init saw it.
    fn read_all(&mut self) -> (Option<(Step, i32)>, Option<i32>) {
        let mut bytes = Vec::new();
        if let Ok(fd) = self.fd.try_clone() {
            let _ = fs::File::from(fd).read_to_end(&mut bytes);
        }
        let mut step = None;
        let mut exit = None;
        for record in bytes.chunks_exact(6) {
            let value = i32::from_le_bytes([record[2], record[3], record[4], record[5]]);
            match record[0] {
                b'E' if step.is_none() => step = Step::from_byte(record[1]).map(|s| (s, value)),
                b'X' => exit = Some(value),
                _ => {}
            }
        }
        (step, exit)
    }
}

struct Streams {
    out: Vec<u8>,
    err: Vec<u8>,
    out_total: u64,
    err_total: u64,
    timed_out: bool,
    /// The direct child's wait status (without isolation, the command's).
    status: Option<i32>,
}

/// Bytes of a line past the cap that [`Job::keep_lines`] judges (and that
/// are kept of it).
const LINE_BYTES: usize = 64 << 10;

/// What is kept of one output stream: its first `cap` bytes, then, with a
/// line filter, the lines it asks for (see [`Job::keep_lines`]).
struct Kept {
    cap: usize,
    keep: Option<LineFilter>,
    bytes: Vec<u8>,
    total: u64,
    /// Past the head: the start of the line being read, its whole length,
    /// and whether it started inside the head (so it is not judged).
    past_head: bool,
    line: Vec<u8>,
    line_len: u64,
    line_cut: bool,
    /// Bytes of lines kept past the head, and bytes left out since the
    /// last one kept.
    extra: usize,
    left_out: u64,
}

impl Kept {
    fn new(cap: usize, keep: Option<LineFilter>) -> Kept {
        Kept {
            cap,
            keep,
            bytes: Vec::new(),
            total: 0,
            past_head: false,
            line: Vec::new(),
            line_len: 0,
            line_cut: false,
            extra: 0,
            left_out: 0,
        }
    }

    fn push(&mut self, mut data: &[u8]) {
        self.total += data.len() as u64;
        if !self.past_head {
            let room = self.cap.saturating_sub(self.bytes.len());
            let n = data.len().min(room);
            self.bytes.extend_from_slice(&data[..n]);
            data = &data[n..];
            if data.is_empty() {
                return;
            }
            self.past_head = true;
            if self.keep.is_none() {
                return;
            }
            // The head ends at its last whole line; the line it cut is
            // read on with the rest (its start judged with it) or, if the
            // head has no newline, left out whole.
            match self.bytes.iter().rposition(|&b| b == b'\n') {
                Some(end) => {
                    let start = self.bytes.split_off(end + 1);
                    self.line_len = start.len() as u64;
                    self.line = start;
                    self.line.truncate(LINE_BYTES);
                }
                None => self.line_cut = true,
            }
        }
        if self.keep.is_none() {
            return;
        }
        for piece in data.split_inclusive(|&b| b == b'\n') {
            let room = LINE_BYTES.saturating_sub(self.line.len());
            self.line.extend_from_slice(&piece[..piece.len().min(room)]);
            self.line_len += piece.len() as u64;
            if piece.ends_with(b"\n") {
                self.end_line();
            }
        }
    }

    /// Judges the line read so far and starts the next.
    fn end_line(&mut self) {
        let keep = self.keep.is_some_and(|keep| keep(&self.line));
        let fits = self.extra + self.line.len() <= self.cap;
        if keep && !self.line_cut && fits {
            self.note_left_out();
            self.bytes.extend_from_slice(&self.line);
            self.extra += self.line.len();
            let cut = self.line_len - self.line.len() as u64;
            if cut > 0 {
                self.bytes.extend_from_slice(
                    format!("\n[lintseq: {cut} more bytes of this line left out]\n").as_bytes(),
                );
            }
        } else {
            self.left_out += self.line_len;
        }
        self.line.clear();
        self.line_len = 0;
        self.line_cut = false;
    }

    fn note_left_out(&mut self) {
        if self.left_out > 0 {
            if !self.bytes.is_empty() && !self.bytes.ends_with(b"\n") {
                self.bytes.push(b'\n');
            }
            self.bytes.extend_from_slice(
                format!(
                    "[lintseq: {} bytes of output left out here]\n",
                    self.left_out
                )
                .as_bytes(),
            );
            self.left_out = 0;
        }
    }

    /// The stream ended: judges its last line, and notes what was left
    /// out after the last line kept.
    fn finish(mut self) -> (Vec<u8>, u64) {
        if self.keep.is_some() && self.past_head {
            if self.line_len > 0 {
                self.end_line();
            }
            self.note_left_out();
        }
        (self.bytes, self.total)
    }
}

/// Reads stdout and stderr (keeping `cap` bytes of each, and the lines
/// `keep` asks for past them) until the child exits and the pipes close,
/// killing it at `deadline`.
fn capture(
    child: &mut std::process::Child,
    out: OwnedFd,
    err: OwnedFd,
    (cap, keep): (usize, Option<LineFilter>),
    deadline: Instant,
) -> Streams {
    let mut kept = [Kept::new(cap, keep), Kept::new(cap, keep)];
    let mut streams = Streams {
        out: Vec::new(),
        err: Vec::new(),
        out_total: 0,
        err_total: 0,
        timed_out: false,
        status: None,
    };
    let _ = sys::set_nonblocking(out.as_raw_fd());
    let _ = sys::set_nonblocking(err.as_raw_fd());
    let pid = i32::try_from(child.id()).unwrap_or(0);
    let pidfd = sys::pidfd_open(child.id()).ok();
    let mut open = [true, true];
    let mut exited = false;
    let mut buffer = vec![0u8; 64 << 10];
    loop {
        let now = Instant::now();
        if now >= deadline && !streams.timed_out {
            streams.timed_out = true;
            let _ = sys::kill(pid, libc::SIGKILL);
            if pidfd.is_none() {
                break;
            }
        }
        if exited && !open[0] && !open[1] {
            break;
        }
        let mut fds = Vec::new();
        if open[0] {
            fds.push((out.as_raw_fd(), libc::POLLIN));
        }
        if open[1] {
            fds.push((err.as_raw_fd(), libc::POLLIN));
        }
        if let (Some(fd), false) = (&pidfd, exited) {
            fds.push((fd.as_raw_fd(), libc::POLLIN));
        }
        if fds.is_empty() {
            break;
        }
        let wait = if exited {
            // The command is gone; what still holds the pipes dies with
            // its namespace (or, without isolation, gets a short grace).
            Duration::from_millis(200)
        } else {
            deadline
                .saturating_duration_since(now)
                .max(Duration::from_millis(1))
        };
        let Ok(events) = sys::poll(&fds, wait) else {
            break;
        };
        if exited && events.iter().all(|&e| e == 0) {
            break;
        }
        let mut index = 0;
        for (slot, fd) in [(0usize, &out), (1usize, &err)] {
            if !open[slot] {
                continue;
            }
            let revents = events[index];
            index += 1;
            if revents == 0 {
                continue;
            }
            match sys::read(fd.as_raw_fd(), &mut buffer) {
                Ok(0) => open[slot] = false,
                Ok(n) => kept[slot].push(&buffer[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => open[slot] = false,
            }
        }
        if index < events.len() && events[index] != 0 {
            exited = true;
        }
    }
    if let Ok(status) = child.wait() {
        use std::os::unix::process::ExitStatusExt as _;
        streams.status = Some(status.into_raw());
    }
    let [out_kept, err_kept] = kept;
    (streams.out, streams.out_total) = out_kept.finish();
    (streams.err, streams.err_total) = err_kept.finish();
    streams
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposure_plan_keeps_outermost_directories_in_chains() {
        let plan = exposure_plan(&[]).unwrap();
        assert!(plan.is_empty());
    }

    fn kept(cap: usize, keep: Option<LineFilter>, chunks: &[&[u8]]) -> (String, u64) {
        let mut kept = Kept::new(cap, keep);
        for chunk in chunks {
            kept.push(chunk);
        }
        let (bytes, total) = kept.finish();
        (String::from_utf8(bytes).unwrap(), total)
    }

    fn marked(line: &[u8]) -> bool {
        line.starts_with(b"K")
    }

    #[test]
    fn output_past_the_cap_keeps_only_the_lines_asked_for() {
        let log: &[u8] = b"head\nnoise\nK1\nnoise noise\nK2\nxx\nK3";
        // No filter: the head, cut anywhere.
        assert_eq!(
            kept(8, None, &[log]),
            ("head\nnoi".into(), log.len() as u64)
        );
        // Nothing past the cap: everything, filter or not.
        assert_eq!(
            kept(1000, Some(marked), &[log]).0,
            String::from_utf8_lossy(log)
        );
        // The head ends at its last newline; the lines past it that are
        // asked for come with notes of what was left out between them,
        // however the stream was split into reads.
        let expected = "head\n[lintseq: 6 bytes of output left out here]\nK1\n\
            [lintseq: 12 bytes of output left out here]\nK2\n\
            [lintseq: 3 bytes of output left out here]\nK3";
        assert_eq!(kept(8, Some(marked), &[log]).0, expected);
        let bytes: Vec<&[u8]> = log.chunks(1).collect();
        assert_eq!(kept(8, Some(marked), &bytes).0, expected);
        let (text, total) = kept(8, Some(marked), &[&log[..5], &log[5..20], &log[20..]]);
        assert_eq!((text.as_str(), total), (expected, log.len() as u64));
        // A line cut by the head is judged whole.
        assert_eq!(
            kept(6, Some(marked), &[b"ab\nK it\nx\n"]).0,
            "ab\nK it\n[lintseq: 2 bytes of output left out here]\n"
        );
        // A head with no newline: the rest of its line is left out.
        assert_eq!(
            kept(4, Some(marked), &[b"abcdefgh K\nK\n"]).0,
            "abcd\n[lintseq: 7 bytes of output left out here]\nK\n"
        );
        // Kept lines past the head stop at another cap's worth.
        assert_eq!(
            kept(10, Some(marked), &[b"012345678\nK1\nK2\nK3\nK4\n"]).0,
            "012345678\nK1\nK2\nK3\n[lintseq: 3 bytes of output left out here]\n"
        );
    }

    #[test]
    fn long_lines_past_the_cap_are_judged_and_kept_by_their_start() {
        let cap = 2 * LINE_BYTES;
        let mut log = vec![b'h'; cap - 1];
        log.extend_from_slice(b"\nK");
        log.extend(std::iter::repeat_n(b'x', LINE_BYTES * 2));
        log.extend_from_slice(b"\nK end\n");
        let (text, total) = kept(cap, Some(marked), &[&log]);
        assert_eq!(total, log.len() as u64);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].len(), cap - 1);
        assert_eq!(lines[1].len(), LINE_BYTES);
        assert_eq!(
            lines[2],
            format!(
                "[lintseq: {} more bytes of this line left out]",
                LINE_BYTES + 2
            )
        );
        assert_eq!(lines[3..], ["K end"]);
    }

    #[test]
    fn decodes_wait_statuses() {
        assert_eq!(decode(0), Ending::Exited(0));
        assert_eq!(decode(3 << 8), Ending::Exited(3));
        assert_eq!(decode(9), Ending::Signaled(9));
        assert_eq!(decode(libc::SIGXCPU), Ending::CpuLimit);
    }
}
