//! The bridge between `lintseq eval` and the sandbox crate.

use std::path::PathBuf;
use std::time::Duration;

use std::collections::BTreeSet;

use anyhow::{Context as _, bail};
use lintseq_eval::problem::Language;
use lintseq_eval::program::Program;
use lintseq_eval::{Executor, Outcome, Status, verilog};
use lintseq_sandbox::command::{Ending, Jail};
use lintseq_sandbox::toolchain::{self, RustDeps, Toolchain, Verdict};
use lintseq_sandbox::{Execution, Isolation, Limits, Worker};

use crate::cli::EvalArgs;

/// How samples will be run.
pub struct Sandbox {
    isolation: Isolation,
    limits: Limits,
    python: PathBuf,
    description: String,
    languages: BTreeSet<Language>,
    rust: Option<RustDeps>,
}

impl Sandbox {
    /// Checks that isolation is available (unless `--no-sandbox`), with a
    /// clear error naming what is missing.
    pub fn new(
        args: &EvalArgs,
        languages: BTreeSet<Language>,
        timeout_seconds: f64,
    ) -> anyhow::Result<Self> {
        let limits = Limits {
            timeout: Duration::from_secs_f64(timeout_seconds),
            memory_bytes: args.memory_mb.saturating_mul(1 << 20),
            ..Limits::default()
        };
        let probe = lintseq_sandbox::probe_with(&args.python);
        let (isolation, description) = if args.no_sandbox {
            eprintln!(
                "lintseq: warning: --no-sandbox: samples run without namespaces or cgroups, \
                 with only resource limits and timeouts between them and this machine"
            );
            (Isolation::None, "none (--no-sandbox)".to_string())
        } else {
            if let Err(missing) = probe.full_isolation() {
                bail!(
                    "the sandbox cannot isolate samples on this machine: {missing}\n{probe}\n\
                     (pass --no-sandbox to run them without isolation, on code you trust)"
                );
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
        let rust = if languages.contains(&Language::Rust) {
            let dir = rust_deps_dir();
            eprintln!(
                "lintseq: preparing the Rust crates HumanEval-X uses (rand 0.4.6, regex 1.7.1, md5 0.7.0) in {}",
                dir.display()
            );
            Some(RustDeps::prepare(&dir).map_err(anyhow::Error::msg)?)
        } else {
            None
        };
        Ok(Sandbox {
            rust,
            isolation,
            limits,
            python: args.python.clone(),
            description,
            languages,
        })
    }

    pub fn description(&self) -> String {
        self.description.clone()
    }
}

/// One executor per worker thread: a warm interpreter for Python problems,
/// a jail for the compiled languages, each only if the problems need it.
pub fn start_executors(sandbox: &Sandbox, workers: usize) -> anyhow::Result<Vec<SandboxExecutor>> {
    let python = sandbox.languages.contains(&Language::Python);
    let compiled = sandbox.languages.iter().any(|l| *l != Language::Python);
    let mut executors = Vec::with_capacity(workers);
    for _ in 0..workers {
        let worker = if python {
            let worker = Worker::start(sandbox.isolation, sandbox.limits.clone(), &sandbox.python)
                .context("cannot start a sandbox worker")?;
            if executors.is_empty() {
                for warning in worker.warnings() {
                    eprintln!("lintseq: warning: {warning}");
                }
            }
            Some(worker)
        } else {
            None
        };
        let jail = if compiled {
            let reachable = sandbox
                .rust
                .as_ref()
                .map(RustDeps::reachable)
                .unwrap_or_default();
            let jail =
                Jail::new(sandbox.isolation, &reachable).context("cannot prepare the sandbox")?;
            if executors.is_empty() && worker.is_none() {
                for warning in jail.warnings() {
                    eprintln!("lintseq: warning: {warning}");
                }
            }
            Some(jail)
        } else {
            None
        };
        executors.push(SandboxExecutor {
            worker,
            jail,
            rust: sandbox.rust.clone(),
            timeout: sandbox.limits.timeout,
        });
    }
    Ok(executors)
}

pub struct SandboxExecutor {
    worker: Option<Worker>,
    jail: Option<Jail>,
    rust: Option<RustDeps>,
    timeout: Duration,
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
            Language::Rust => match &self.rust {
                Some(deps) => Toolchain::Rust(deps.clone()),
                None => return Outcome::not_run("the Rust crates were not prepared"),
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
        let run = toolchain::simulate(jail, &program.source, &program.files, self.timeout);
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
    use lintseq_sandbox::Status as S;
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
