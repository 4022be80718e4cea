//! The harness's environment does not reach samples. This is its own test
//! binary, with a single test, because it sets an environment variable.

// Setting an environment variable is unsafe in edition 2024; this binary
// belongs to the sandbox crate, the one allowed unsafe code.
#![allow(unsafe_code)]

mod common;

use common::{Snapshot, assert_outcome, full_worker, program, short_limits};
use lintseq_sandbox::Status;

#[test]
fn samples_cannot_see_the_harness_environment() {
    let secret = format!("lintseq-secret-{}", std::process::id());
    // SAFETY: this binary has one test, and this is its first statement
    // touching the environment: no other thread reads or writes it now.
    unsafe { std::env::set_var("LINTSEQ_SANDBOX_TEST_SECRET", &secret) };
    let mut worker = full_worker(short_limits());
    let before = Snapshot::take();
    let execution = worker.run(&program("escape_environment.py", &[("SECRET", secret)]));
    assert_outcome(&execution, Status::Passed, "passed");
    before.assert_nothing_new(worker.zygote_pids());
}
