//! The language-independent half of LintSeq.
//!
//! A [`Program`] is a list of lines with an indentation structure. The
//! [`sampler`] deletes lines from it, asking a [`Checker`] after every deletion
//! whether what is left is still free of errors, until nothing is left. The
//! deletions, read backwards, are insertions; [`diff`] renders them as unified
//! diffs and [`resolve`] replays diffs back into a program.
//!
//! Nothing in this crate does I/O or prints.

pub mod checker;
pub mod diff;
pub mod format;
pub mod markdown;
pub mod pipeline;
pub mod program;
pub mod resolve;
pub mod rng;
pub mod sampler;

pub use checker::{Checker, Diagnostic, Language, Structure};
pub use program::{CandidateRules, Program};
pub use sampler::{EditSequence, SamplerOptions};
