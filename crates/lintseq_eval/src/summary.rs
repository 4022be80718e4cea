//! Tallying results into pass@k and a summary.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::outcome::{Outcome, Status};
use crate::pass_at_k;
use crate::verilog::FailureClass;

/// Running counts as results arrive.
#[derive(Debug, Default)]
pub struct Tally {
    /// Per task: (samples, passed).
    tasks: BTreeMap<String, (u64, u64)>,
    statuses: BTreeMap<Status, u64>,
    samples: u64,
    /// Samples that could not be run (bad rows, unknown tasks).
    not_run: u64,
    durations: Vec<f64>,
    /// VerilogEval's failure classes, once [`Tally::with_failure_classes`].
    failure_classes: Option<BTreeMap<FailureClass, u64>>,
}

impl Tally {
    /// A tally that counts VerilogEval's failure classes too (every class
    /// is listed in the summary, zeros included).
    pub fn with_failure_classes() -> Tally {
        Tally {
            failure_classes: Some(FailureClass::ALL.iter().map(|c| (*c, 0)).collect()),
            ..Tally::default()
        }
    }

    /// Counts a sample of a known task.
    pub fn add(&mut self, task_id: &str, outcome: &Outcome) {
        let entry = self.tasks.entry(task_id.to_string()).or_default();
        entry.0 += 1;
        entry.1 += u64::from(outcome.passed());
        self.count(outcome);
        self.durations.push(outcome.duration.as_secs_f64());
    }

    /// Counts a sample that was not run; it takes no part in pass@k.
    pub fn add_not_run(&mut self, outcome: &Outcome) {
        self.not_run += 1;
        self.count(outcome);
    }

    fn count(&mut self, outcome: &Outcome) {
        self.samples += 1;
        *self.statuses.entry(outcome.status).or_default() += 1;
        if let (Some(classes), Some(class)) = (&mut self.failure_classes, outcome.failure_class) {
            *classes.entry(class).or_default() += 1;
        }
    }

    pub fn task_counts(&self) -> Vec<(u64, u64)> {
        self.tasks.values().copied().collect()
    }

    /// The summary, for `ks` requested, given the run's context.
    pub fn summarize(&self, ks: &[u64], context: RunContext) -> Summary {
        let counts = self.task_counts();
        let mut pass_at_k = BTreeMap::new();
        let mut unavailable = Vec::new();
        for &k in ks {
            match pass_at_k::mean(&counts, k) {
                Some(value) => {
                    pass_at_k.insert(format!("pass@{k}"), value);
                }
                None => unavailable.push(k),
            }
        }
        let mut durations = self.durations.clone();
        durations.sort_by(f64::total_cmp);
        let median = durations.get(durations.len() / 2).copied().unwrap_or(0.0);
        Summary {
            pass_at_k,
            pass_at_k_unavailable: unavailable,
            curve: pass_at_k::curve(&counts),
            samples: self.samples,
            samples_not_run: self.not_run,
            tasks: counts.len() as u64,
            passed: counts.iter().map(|&(_, c)| c).sum(),
            statuses: Status::ALL
                .iter()
                .map(|s| {
                    (
                        s.as_str().to_string(),
                        self.statuses.get(s).copied().unwrap_or(0),
                    )
                })
                .collect(),
            failure_classes: self.failure_classes.as_ref().map(|classes| {
                classes
                    .iter()
                    .map(|(class, count)| (class.as_str().to_string(), *count))
                    .collect()
            }),
            median_sample_seconds: median,
            samples_per_second: self.samples as f64 / context.wall_seconds.max(1e-9),
            context,
        }
    }
}

/// How the run was made.
#[derive(Clone, Debug, Serialize)]
pub struct RunContext {
    pub problems: u64,
    pub problems_without_samples: u64,
    pub workers: usize,
    pub timeout_seconds: f64,
    pub memory_mb: u64,
    pub sandbox: String,
    pub wall_seconds: f64,
    /// The interpreter samples ran in (`sys.executable`, version, key
    /// packages, modules imported before every sample).
    pub interpreter: serde_json::Value,
}

/// What `lintseq eval` writes beside its results.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub pass_at_k: BTreeMap<String, f64>,
    /// Requested `k` for which some task has fewer than `k` samples.
    pub pass_at_k_unavailable: Vec<u64>,
    /// pass@k for every k from 1 to the smallest number of samples per task.
    pub curve: Vec<(u64, f64)>,
    pub samples: u64,
    pub samples_not_run: u64,
    pub tasks: u64,
    pub passed: u64,
    pub statuses: BTreeMap<String, u64>,
    /// VerilogEval: samples per failure class (absent for other benchmarks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_classes: Option<BTreeMap<String, u64>>,
    pub median_sample_seconds: f64,
    pub samples_per_second: f64,
    #[serde(flatten)]
    pub context: RunContext,
}

impl Summary {
    /// A plain-text table for the terminal.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{:<22} {:>10}", "metric", "value");
        for (name, value) in &self.pass_at_k {
            let _ = writeln!(out, "{name:<22} {:>9.2}%", value * 100.0);
        }
        for k in &self.pass_at_k_unavailable {
            let _ = writeln!(out, "{:<22} {:>10}", format!("pass@{k}"), "n < k");
        }
        let _ = writeln!(out, "{:<22} {:>10}", "samples", self.samples);
        let _ = writeln!(out, "{:<22} {:>10}", "tasks", self.tasks);
        for (status, count) in &self.statuses {
            if *count > 0 {
                let _ = writeln!(out, "{:<22} {:>10}", format!("  {status}"), count);
            }
        }
        if let Some(classes) = &self.failure_classes {
            let _ = writeln!(out, "failure classes");
            for class in FailureClass::ALL {
                let count = classes.get(class.as_str()).copied().unwrap_or(0);
                if count > 0 {
                    let label = format!("  {} [{}]", class.as_str(), class.letter());
                    let _ = writeln!(out, "{label:<32} {count:>8}");
                }
            }
        }
        if self.samples_not_run > 0 {
            let _ = writeln!(
                out,
                "{:<22} {:>10}",
                "  not run (bad input)", self.samples_not_run
            );
        }
        let _ = writeln!(out, "{:<22} {:>10.1}", "samples/s", self.samples_per_second);
        let _ = write!(
            out,
            "{:<22} {:>10.1}",
            "wall seconds", self.context.wall_seconds
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn outcome(status: Status, result: &str) -> Outcome {
        Outcome {
            status,
            result: result.to_string(),
            duration: Duration::from_millis(10),
            peak_memory_bytes: None,
            detail: None,
            failure_class: None,
        }
    }

    #[test]
    fn summarizes_pass_at_k_and_statuses() {
        let mut tally = Tally::default();
        for (task, passed) in [("a", true), ("a", false), ("b", false), ("b", false)] {
            let o = if passed {
                outcome(Status::Passed, "passed")
            } else {
                outcome(Status::Failed, "failed: ")
            };
            tally.add(task, &o);
        }
        tally.add_not_run(&Outcome::not_run("unknown task"));
        let summary = tally.summarize(
            &[1, 2, 5],
            RunContext {
                problems: 3,
                problems_without_samples: 1,
                workers: 2,
                timeout_seconds: 3.0,
                memory_mb: 1024,
                sandbox: "test".into(),
                wall_seconds: 1.0,
                interpreter: serde_json::Value::Null,
            },
        );
        assert!((summary.pass_at_k["pass@1"] - 0.25).abs() < 1e-12);
        assert!((summary.pass_at_k["pass@2"] - 0.5).abs() < 1e-12);
        assert_eq!(summary.pass_at_k_unavailable, vec![5]);
        assert_eq!(summary.samples, 5);
        assert_eq!(summary.samples_not_run, 1);
        assert_eq!(summary.statuses["failed"], 3);
        assert_eq!(summary.statuses["error"], 1);
        assert_eq!(summary.curve.len(), 2);
        assert!(summary.table().contains("pass@1"));
    }
}
