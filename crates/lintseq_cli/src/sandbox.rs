//! The bridge between `lintseq eval` and the sandbox crate.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use lintseq_eval::{Executor, Outcome, Status};
use lintseq_sandbox::{Execution, Isolation, Limits, Worker};

use crate::cli::EvalArgs;

/// How samples will be run.
pub struct Sandbox {
    isolation: Isolation,
    limits: Limits,
    python: PathBuf,
    description: String,
}

impl Sandbox {
    /// Checks that isolation is available (unless `--no-sandbox`), with a
    /// clear error naming what is missing.
    pub fn new(args: &EvalArgs) -> anyhow::Result<Self> {
        let limits = Limits {
            timeout: Duration::from_secs_f64(args.timeout),
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
        Ok(Sandbox {
            isolation,
            limits,
            python: args.python.clone(),
            description,
        })
    }

    pub fn description(&self) -> String {
        self.description.clone()
    }
}

/// One executor per worker thread, each with its own warm interpreter.
pub fn start_executors(sandbox: &Sandbox, workers: usize) -> anyhow::Result<Vec<SandboxExecutor>> {
    let mut executors = Vec::with_capacity(workers);
    for _ in 0..workers {
        let worker = Worker::start(sandbox.isolation, sandbox.limits.clone(), &sandbox.python)
            .context("cannot start a sandbox worker")?;
        if executors.is_empty() {
            for warning in worker.warnings() {
                eprintln!("lintseq: warning: {warning}");
            }
        }
        executors.push(SandboxExecutor(worker));
    }
    Ok(executors)
}

pub struct SandboxExecutor(Worker);

impl SandboxExecutor {
    /// The worker's interpreter, as the summary records it.
    pub fn interpreter(&self) -> serde_json::Value {
        serde_json::to_value(self.0.interpreter()).unwrap_or_default()
    }
}

impl Executor for SandboxExecutor {
    fn run(&mut self, program: &str) -> Outcome {
        outcome(self.0.run(program))
    }
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
    }
}
