//! Probing the machine, and degrading clearly when something is missing.

mod common;

use std::path::Path;

use common::{assert_outcome, python, short_limits};
use lintseq_sandbox::testing::{pretend_missing, pretend_no_cgroups};
use lintseq_sandbox::{Isolation, Limits, Namespace, SandboxError, Status, Worker, probe};

#[test]
fn this_machine_offers_full_isolation() {
    let report = probe();
    assert!(report.full_isolation().is_ok(), "{report}");
    let text = report.to_string();
    for line in [
        "pid namespace",
        "network namespace",
        "cgroups",
        "full isolation is available",
    ] {
        assert!(text.contains(line), "{text}");
    }
    assert!(report.python.is_ok(), "{report}");
    assert!(report.cgroups.is_ok(), "{report}");
}

#[test]
fn a_missing_namespace_is_named() {
    let _pretend = pretend_missing(Namespace::Network);
    let report = probe();
    assert!(
        report.to_string().contains("missing  network namespace"),
        "{report}"
    );
    let error = Worker::start(Isolation::Full, Limits::default(), &python())
        .expect_err("no network namespace");
    assert!(matches!(error, SandboxError::Missing { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "cannot create a network namespace: unshare(CLONE_NEWNET) failed: Operation not permitted \
         (pretended by lintseq_sandbox::testing)"
    );
}

#[test]
fn every_namespace_is_required() {
    for namespace in Namespace::ALL {
        let _pretend = pretend_missing(namespace);
        let error =
            Worker::start(Isolation::Full, Limits::default(), &python()).expect_err("missing");
        let expected = format!("cannot create a {} namespace", namespace.name());
        assert!(error.to_string().starts_with(&expected), "{error}");
    }
}

#[test]
fn no_isolation_needs_no_namespaces() {
    let _pretend = pretend_missing(Namespace::Pid);
    let mut worker = Worker::start(Isolation::None, short_limits(), &python()).expect("starts");
    assert_outcome(&worker.run("assert True"), Status::Passed, "passed");
}

#[test]
fn without_cgroups_limits_fall_back_to_rlimits_and_say_so() {
    let _serial = common::serial();
    let _pretend = pretend_no_cgroups();
    let mut worker = Worker::start(Isolation::Full, short_limits(), &python()).expect("starts");
    let warnings = worker.warnings().join("\n");
    assert!(warnings.contains("cgroups are unavailable"), "{warnings}");
    assert!(warnings.contains("rlimits only"), "{warnings}");
    let execution = worker.run("x = b'x' * (1 << 40)");
    assert_outcome(&execution, Status::Oom, "failed: ");
    // RLIMIT_NPROC stands in for the pids cgroup.
    let bomb = "import threading, time\nwhile True:\n    \
                threading.Thread(target=time.sleep, args=(100,), daemon=True).start()\n";
    assert_outcome(
        &worker.run(bomb),
        Status::Error,
        "failed: can't start new thread",
    );
    let execution = worker.run("assert True");
    assert_outcome(&execution, Status::Passed, "passed");
    assert!(
        execution.peak_memory_bytes.is_some(),
        "ru_maxrss is the fallback"
    );
}

#[test]
fn a_missing_interpreter_is_an_error() {
    let error = Worker::start(
        Isolation::None,
        Limits::default(),
        Path::new("/nonexistent/python3"),
    )
    .expect_err("no such interpreter");
    assert!(matches!(error, SandboxError::Python { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("cannot use the python interpreter /nonexistent/python3"),
        "{error}"
    );
}
