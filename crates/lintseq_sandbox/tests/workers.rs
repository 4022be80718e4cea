//! Workers across threads and processes: concurrency, and a harness that
//! is SIGKILLed in the middle of a sample.

mod common;

use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::{
    SANDBOX_UID, Snapshot, assert_outcome, descendants, full_worker, serial, short_limits, uid_of,
};
use lintseq_sandbox::{Isolation, Limits, Status, Worker};

#[test]
fn workers_run_concurrently_on_their_own_threads() {
    let _serial = serial();
    let before = Snapshot::take();
    let handles: Vec<_> = (0..3)
        .map(|n| {
            let mut worker = full_worker(short_limits());
            thread::spawn(move || {
                for i in 0..10 {
                    let program = format!("assert {n} * {i} == {}", n * i);
                    assert_outcome(&worker.run(&program), Status::Passed, "passed");
                    let failing = format!("assert {n} + {i} == -1, 'w{n}s{i}'");
                    assert_outcome(
                        &worker.run(&failing),
                        Status::Failed,
                        &format!("failed: w{n}s{i}"),
                    );
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a worker thread finished");
    }
    before.assert_nothing_new(None);
}

/// Set in the child process that plays the harness.
const HARNESS_ROLE: &str = "LINTSEQ_SANDBOX_TEST_HARNESS";

#[test]
fn nothing_outlives_a_killed_harness() {
    if std::env::var_os(HARNESS_ROLE).is_some() {
        // The harness: start a sample that sleeps for long, and wait to be
        // killed. Were we not killed, the sample's verdict would fail this.
        let limits = Limits {
            timeout: Duration::from_secs(60),
            ..Limits::default()
        };
        let mut worker = Worker::start(Isolation::Full, limits, &common::python()).expect("starts");
        let execution = worker.run("import time\ntime.sleep(60)\n");
        panic!("the harness was not killed: {execution:?}");
    }
    let _serial = serial();
    let mut harness = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "nothing_outlives_a_killed_harness",
            "--test-threads",
            "1",
        ])
        .env(HARNESS_ROLE, "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the harness starts");
    let harness_pid = harness.id();
    // Wait until its long sample runs: a descendant of the sandbox user
    // seen for a while (the self-test sample before it is brief).
    let give_up = Instant::now() + Duration::from_secs(30);
    let mut first_seen = std::collections::HashMap::new();
    loop {
        let now = Instant::now();
        let sandboxed = descendants(harness_pid)
            .into_keys()
            .filter(|&pid| uid_of(pid) == Some(SANDBOX_UID));
        if sandboxed
            .map(|pid| *first_seen.entry(pid).or_insert(now))
            .any(|seen| now - seen > Duration::from_millis(300))
        {
            break;
        }
        assert!(now < give_up, "the harness never started its sample");
        thread::sleep(Duration::from_millis(10));
    }
    // The zygote, the namespace's init and the sample: all reparented to
    // the host's init once the harness dies.
    let family = descendants(harness_pid);
    assert!(family.len() >= 3, "zygote, init and sample: {family:?}");
    let during = Snapshot::of(harness_pid);
    assert!(
        during.cgroups.len() >= 2,
        "the worker's and the sample's cgroups: {during:?}"
    );
    harness.kill().expect("SIGKILL the harness");
    harness.wait().expect("reap the harness");
    // The zygote notices the closed pipe, kills the sample, removes its
    // cgroups and exits.
    let give_up = Instant::now() + Duration::from_secs(5);
    loop {
        let alive: Vec<_> = family
            .keys()
            .filter(|&&pid| uid_of(pid).is_some())
            .collect();
        let cgroups = Snapshot::of(harness_pid).cgroups;
        if alive.is_empty() && cgroups.is_empty() {
            break;
        }
        assert!(
            Instant::now() < give_up,
            "left behind: processes {alive:?} of {family:?}, cgroups {cgroups:?}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}
