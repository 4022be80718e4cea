//! `lintseq serve`: flags to a [`lintseq_serve::ServeConfig`].

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use lintseq_sandbox::Isolation;

use crate::cli::ServeArgs;

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let listen: SocketAddr = args.listen.parse().with_context(|| {
        format!(
            "--listen {}: not an address and port such as 127.0.0.1:8080",
            args.listen
        )
    })?;
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    if workers == 0 {
        bail!("--workers must be at least 1");
    }
    if !(args.queue_timeout.is_finite() && args.queue_timeout >= 0.0) {
        bail!("--queue-timeout must be a number of seconds");
    }
    let mut config = lintseq_serve::ServeConfig::new(listen, workers);
    if let Some(queue) = args.queue {
        config.queue = queue;
    }
    config.queue_timeout = Duration::from_secs_f64(args.queue_timeout);
    config.max_body_bytes = args.max_body_mb.saturating_mul(1 << 20);
    config.tools.python = args.python.clone();
    if let Some(file) = &args.token_file {
        let token = std::fs::read_to_string(file)
            .with_context(|| format!("--token-file {}", file.display()))?;
        let token = token.trim();
        if token.is_empty() {
            bail!("--token-file {}: the file is empty", file.display());
        }
        config.token = Some(token.to_owned());
    }
    if args.no_sandbox {
        eprintln!(
            "lintseq: warning: --no-sandbox: programs run without isolation and can do anything this user can"
        );
        config.isolation = Isolation::None;
    }
    if !args.no_eval {
        if !(args.eval_timeout.is_finite() && args.eval_timeout > 0.0) {
            bail!("--eval-timeout must be a positive number of seconds");
        }
        let mut problems = std::collections::BTreeMap::new();
        for path in &args.problems {
            for (task_id, problem) in crate::eval::load_problems(path, None)? {
                problems.entry(task_id).or_insert(problem);
            }
        }
        config.evaluation = Some(lintseq_serve::Evaluation {
            sandbox: lintseq_sandbox::eval::SandboxConfig {
                python: args.python.clone(),
                memory_mb: args.eval_memory_mb,
                no_sandbox: args.no_sandbox,
                lazy_rust: true,
                note: |message| eprintln!("lintseq: {message}"),
            },
            timeout: Duration::from_secs_f64(args.eval_timeout),
            problems,
        });
    } else if !args.problems.is_empty() {
        bail!("--problems is for /v1/evaluate and /v1/reward, which --no-eval turns off");
    }
    let endpoints = if args.no_eval {
        "POST /run_code, GET /healthz, GET /metrics"
    } else {
        "POST /run_code, POST /v1/evaluate, POST /v1/reward, GET /healthz, GET /metrics"
    };
    lintseq_serve::serve(config, |address| {
        eprintln!("lintseq: serving on http://{address} with {workers} workers ({endpoints})");
    })
    .map_err(anyhow::Error::msg)?;
    eprintln!("lintseq: stopped");
    Ok(ExitCode::SUCCESS)
}
