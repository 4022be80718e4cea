//! Executors for `lintseq_eval`'s programs: the bridge between evaluation
//! (`lintseq eval`, `lintseq serve`'s `/v1/evaluate` and `/v1/reward`) and
//! the sandbox. Python programs go to a warm [`Worker`], the compiled
//! languages through a [`Jail`] and their toolchains.

use std::path::PathBuf;
use std::time::Duration;

use std::collections::BTreeSet;

use std::sync::{Arc, OnceLock};

use crate::command::{Ending, Jail};
use crate::toolchain::{self, CppHeaders, RustDeps, Toolchain, Verdict};
use crate::{Execution, Isolation, Limits, Worker};
use lintseq_eval::problem::Language;
use lintseq_eval::program::Program;
use lintseq_eval::{Executor, Outcome, Status, verilog};

/// What `lintseq eval --python/--memory-mb/--no-sandbox` choose.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The interpreter Python programs run in.
    pub python: PathBuf,
    /// Memory per program.
    pub memory_mb: u64,
    /// Run without namespaces or cgroups (only limits and timeouts).
    pub no_sandbox: bool,
    /// Build the Rust crates HumanEval-X uses at the first Rust program
    /// rather than up front (a server does not know its languages).
    pub lazy_rust: bool,
    /// Where progress and warnings go (the CLI prints them to stderr).
    pub note: fn(&str),
}

/// How samples will be run.
#[derive(Debug)]
pub struct Sandbox {
    isolation: Isolation,
    limits: Limits,
    python: PathBuf,
    description: String,
    languages: BTreeSet<Language>,
    rust: RustSource,
    note: fn(&str),
    /// Precompiled C++ headers, shared by every executor's jail.
    cpp_headers: Arc<CppHeaders>,
}

/// Where Rust programs get their crates.
#[derive(Clone, Debug)]
enum RustSource {
    None,
    Ready(RustDeps),
    /// Prepared by the first Rust program, once for every executor.
    Lazy(Arc<OnceLock<Result<RustDeps, String>>>, fn(&str)),
}

impl RustSource {
    fn get(&self) -> Result<RustDeps, String> {
        match self {
            RustSource::None => Err("the Rust crates were not prepared".to_owned()),
            RustSource::Ready(deps) => Ok(deps.clone()),
            RustSource::Lazy(cell, note) => cell
                .get_or_init(|| {
                    let dir = rust_deps_dir();
                    note(&format!(
                        "preparing the Rust crates HumanEval-X uses (rand 0.4.6, regex 1.7.1, md5 0.7.0) in {}",
                        dir.display()
                    ));
                    RustDeps::prepare(&dir).map_err(|e| e.to_string())
                })
                .clone(),
        }
    }

    /// What a jail must keep reachable, as far as it is known yet.
    fn reachable(&self) -> Vec<PathBuf> {
        match self {
            RustSource::Ready(deps) => deps.reachable(),
            RustSource::Lazy(cell, _) => match cell.get() {
                Some(Ok(deps)) => deps.reachable(),
                _ => Vec::new(),
            },
            RustSource::None => Vec::new(),
        }
    }
}

impl Sandbox {
    /// Checks that isolation is available (unless `--no-sandbox`), with a
    /// clear error naming what is missing.
    pub fn new(
        args: &SandboxConfig,
        languages: BTreeSet<Language>,
        timeout_seconds: f64,
    ) -> Result<Self, String> {
        let limits = Limits {
            timeout: Duration::from_secs_f64(timeout_seconds),
            memory_bytes: args.memory_mb.saturating_mul(1 << 20),
            ..Limits::default()
        };
        let probe = crate::probe_with(&args.python);
        let (isolation, description) = if args.no_sandbox {
            (args.note)(
                "warning: --no-sandbox: samples run without namespaces or cgroups, \
                 with only resource limits and timeouts between them and this machine",
            );
            (Isolation::None, "none (--no-sandbox)".to_string())
        } else {
            if let Err(missing) = probe.full_isolation() {
                return Err(format!(
                    "the sandbox cannot isolate samples on this machine: {missing}\n{probe}\n\
                     (pass --no-sandbox to run them without isolation, on code you trust)"
                ));
            }
            let cgroups = match &probe.cgroups {
                Ok(hierarchy) => format!("cgroups {hierarchy}"),
                Err(_) => "no cgroups (rlimits only)".to_string(),
            };
            let seccomp = if probe.seccomp.is_ok() {
                ", seccomp"
            } else {
                ""
            };
            (
                Isolation::Full,
                format!("full: pid, mount, ipc, network and uts namespaces; {cgroups}{seccomp}"),
            )
        };
        let rust = if !languages.contains(&Language::Rust) {
            RustSource::None
        } else if args.lazy_rust {
            RustSource::Lazy(Arc::default(), args.note)
        } else {
            let lazy = RustSource::Lazy(Arc::default(), args.note);
            RustSource::Ready(lazy.get()?)
        };
        Ok(Sandbox {
            note: args.note,
            rust,
            isolation,
            limits,
            python: args.python.clone(),
            description,
            languages,
            cpp_headers: Arc::default(),
        })
    }

    pub fn description(&self) -> String {
        self.description.clone()
    }
}

/// One executor per worker thread: a warm interpreter for Python problems,
/// a jail for the compiled languages, each only if the problems need it.
pub fn start_executors(sandbox: &Sandbox, workers: usize) -> Result<Vec<SandboxExecutor>, String> {
    let mut executors = Vec::with_capacity(workers);
    for _ in 0..workers {
        executors.push(sandbox.executor(executors.is_empty())?);
    }
    Ok(executors)
}

impl Sandbox {
    /// One executor (`first` prints the sandbox's warnings).
    pub fn executor(&self, first: bool) -> Result<SandboxExecutor, String> {
        let sandbox = self;
        let python = sandbox.languages.contains(&Language::Python);
        let compiled = sandbox.languages.iter().any(|l| *l != Language::Python);
        let worker = if python {
            let worker = Worker::start(sandbox.isolation, sandbox.limits.clone(), &sandbox.python)
                .map_err(|e| format!("cannot start a sandbox worker: {e}"))?;
            if first {
                for warning in worker.warnings() {
                    (sandbox.note)(&format!("warning: {warning}"));
                }
            }
            Some(worker)
        } else {
            None
        };
        let jail = if compiled {
            let reachable = sandbox.rust.reachable();
            let mut jail = Jail::new(sandbox.isolation, &reachable)
                .map_err(|e| format!("cannot prepare the sandbox: {e}"))?;
            jail.share_cpp_headers(sandbox.cpp_headers.clone());
            if first && worker.is_none() {
                for warning in jail.warnings() {
                    (sandbox.note)(&format!("warning: {warning}"));
                }
            }
            Some(jail)
        } else {
            None
        };
        let jail_reaches_rust = !matches!(sandbox.rust, RustSource::Lazy(..));
        Ok(SandboxExecutor {
            worker,
            jail,
            rust: sandbox.rust.clone(),
            jail_reaches_rust,
            isolation: sandbox.isolation,
            timeout: sandbox.limits.timeout,
            cpp_headers: sandbox.cpp_headers.clone(),
        })
    }
}

/// Runs programs for one thread.
#[derive(Debug)]
pub struct SandboxExecutor {
    worker: Option<Worker>,
    jail: Option<Jail>,
    rust: RustSource,
    /// Whether the jail was made with the Rust crates reachable (a lazy
    /// source learns where they are at the first Rust program).
    jail_reaches_rust: bool,
    isolation: Isolation,
    timeout: Duration,
    cpp_headers: Arc<CppHeaders>,
}

impl SandboxExecutor {
    /// The worker's interpreter, as the summary records it.
    pub fn interpreter(&self) -> serde_json::Value {
        self.worker
            .as_ref()
            .and_then(|w| serde_json::to_value(w.interpreter()).ok())
            .unwrap_or_default()
    }
}

impl Executor for SandboxExecutor {
    fn run(&mut self, program: &Program) -> Outcome {
        let chain = match program.language {
            Language::Python => {
                return match &mut self.worker {
                    Some(worker) => outcome(worker.run(&program.source)),
                    None => Outcome::not_run("no Python worker was started"),
                };
            }
            Language::Cpp => Toolchain::Cpp,
            Language::Go => Toolchain::Go,
            Language::Java => Toolchain::Java,
            Language::JavaScript => Toolchain::JavaScript,
            Language::Rust => match self.rust.get() {
                Ok(deps) => {
                    if !self.jail_reaches_rust && self.jail.is_some() {
                        match Jail::new(self.isolation, &deps.reachable()) {
                            Ok(mut jail) => {
                                jail.share_cpp_headers(self.cpp_headers.clone());
                                self.jail = Some(jail);
                            }
                            Err(e) => {
                                return Outcome::not_run(format!(
                                    "cannot prepare the sandbox: {e}"
                                ));
                            }
                        }
                        self.jail_reaches_rust = true;
                    }
                    Toolchain::Rust(deps)
                }
                Err(reason) => return Outcome::not_run(reason),
            },
            Language::Verilog => return self.simulate(program),
        };
        let Some(jail) = &mut self.jail else {
            return Outcome::not_run("no jail was prepared");
        };
        let done = toolchain::run(
            jail,
            &chain,
            &program.source,
            &program.task_id,
            self.timeout,
        );
        Outcome {
            status: match done.verdict {
                Verdict::Passed => Status::Passed,
                Verdict::Failed => Status::Failed,
                Verdict::CompileError => Status::CompileError,
                Verdict::Timeout => Status::Timeout,
                Verdict::Oom => Status::Oom,
                Verdict::SandboxError => Status::SandboxError,
            },
            result: done.result,
            duration: done.duration,
            peak_memory_bytes: done.peak_memory_bytes,
            detail: done.detail,
            failure_class: None,
        }
    }
}

impl SandboxExecutor {
    /// VerilogEval: compile and simulate, then judge the log as its
    /// analysis does.
    fn simulate(&mut self, program: &Program) -> Outcome {
        let Some(jail) = &mut self.jail else {
            return Outcome::not_run("no jail was prepared");
        };
        let run = toolchain::simulate(
            jail,
            &program.source,
            &program.files,
            self.timeout,
            verilog::line_matters,
        );
        let ended = match (&run.ending, run.compiled) {
            (Ending::SandboxError(message), _) => {
                return Outcome {
                    status: Status::SandboxError,
                    result: "failed: sandbox error".to_owned(),
                    duration: run.duration,
                    peak_memory_bytes: run.peak_memory_bytes,
                    detail: Some(message.clone()),
                    failure_class: None,
                };
            }
            (ending, false) => verilog::Ended::NotCompiled {
                timed_out: matches!(ending, Ending::TimedOut | Ending::CpuLimit),
            },
            (Ending::Exited(_), true) => verilog::Ended::Finished,
            (Ending::TimedOut | Ending::CpuLimit, true) => verilog::Ended::TimedOut,
            (Ending::OutOfMemory, true) => verilog::Ended::OutOfMemory,
            (Ending::Signaled(_), true) => verilog::Ended::Killed,
        };
        let (status, result, failure_class) = verilog::judge(&run.log, &program.source, ended);
        let detail = match &run.ending {
            Ending::Signaled(signal) => Some(format!("killed by signal {signal}")),
            _ if status == Status::Passed => None,
            _ => Some(log_excerpt(&run.log)),
        };
        Outcome {
            status,
            result,
            duration: run.duration,
            peak_memory_bytes: run.peak_memory_bytes,
            detail,
            failure_class,
        }
    }
}

/// The start of a failing sample's log, for its result row.
fn log_excerpt(log: &str) -> String {
    let text = log.trim();
    let mut end = text.len().min(2000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

fn outcome(execution: Execution) -> Outcome {
    use crate::Status as S;
    let status = match execution.status {
        S::Passed => Status::Passed,
        S::Failed => Status::Failed,
        S::Error => Status::Error,
        S::Timeout => Status::Timeout,
        S::Oom => Status::Oom,
        S::Killed => Status::Killed,
        S::SandboxError => Status::SandboxError,
    };
    let mut detail = execution.detail;
    if let Some(exit) = execution
        .exit
        .filter(|_| detail.is_none() && status != Status::Passed)
    {
        detail = Some(exit.to_string());
    }
    Outcome {
        status,
        result: execution.result,
        duration: execution.duration,
        peak_memory_bytes: execution.peak_memory_bytes,
        detail,
        failure_class: None,
    }
}

/// Where the Rust dependency set is built and kept: `$LINTSEQ_CACHE_DIR`,
/// else `$XDG_CACHE_HOME/lintseq`, else `~/.cache/lintseq`, then
/// `humaneval-x-rust`.
fn rust_deps_dir() -> PathBuf {
    let base = std::env::var_os("LINTSEQ_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("lintseq")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/lintseq")))
        .unwrap_or_else(|| std::env::temp_dir().join("lintseq-cache"));
    base.join("humaneval-x-rust")
}
