//! Hostile samples that attack resources or the harness. Each case checks
//! that the attack failed, that ordinary samples before and after it on the
//! same worker still get their verdicts, and that nothing is left behind:
//! no processes, mounts or cgroups.

mod common;

use std::time::Duration;

use common::{
    ORDINARY, Snapshot, assert_outcome, full_worker, program, python, serial, short_limits, survive,
};
use lintseq_sandbox::{Execution, ExitKind, Isolation, Limits, Status, Worker};

/// The hard deadline is timeout + 1 s; allow for scheduling.
fn assert_bounded(execution: &Execution, limits: &Limits) {
    let bound = limits.hard_deadline() + Duration::from_millis(800);
    assert!(
        execution.duration < bound,
        "took {:?}: {execution:?}",
        execution.duration
    );
}

#[test]
fn fork_bomb() {
    let _serial = serial();
    let limits = short_limits();
    let mut worker = full_worker(limits.clone());
    let attack = "import ctypes\nlibc = ctypes.CDLL(None)\nwhile True:\n    libc.fork()\n";
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Timeout, "timed out");
    assert_bounded(&execution, &limits);
}

#[test]
fn thread_bomb() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let attack = "import threading, time\nwhile True:\n    \
                  threading.Thread(target=time.sleep, args=(100,), daemon=True).start()\n";
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Error, "failed: can't start new thread");
}

#[test]
fn memory_exhaustion_raises_memory_error() {
    let _serial = serial();
    // Touching 512 MiB takes a while where page faults are slow.
    let mut worker = full_worker(Limits {
        timeout: Duration::from_secs(10),
        ..short_limits()
    });
    let attack = "blocks = []\nwhile True:\n    blocks.append(b'x' * (16 << 20))\n";
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Oom, "failed: ");
    let peak = execution.peak_memory_bytes.expect("a peak is measured");
    assert!(peak > 256 << 20, "peak {peak}");
}

#[test]
fn processes_that_together_exceed_the_memory_cgroup_are_oom_killed() {
    let _serial = serial();
    let limits = Limits {
        timeout: Duration::from_secs(5),
        memory_bytes: 512 << 20,
        tmp_bytes: 8 << 20,
        ..Limits::default()
    };
    let mut worker = full_worker(limits);
    let attack = &program("oom_children.py", &[]);
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Passed, "passed");
    let detail = execution.detail.unwrap_or_default();
    assert!(detail.contains("OOM killer"), "{detail}");
}

#[test]
fn sleeping_forever() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let execution = survive(&mut worker, "import time\ntime.sleep(10 ** 6)\n");
    assert_outcome(&execution, Status::Timeout, "timed out");
    assert!(
        execution.duration < Duration::from_millis(1000),
        "{execution:?}"
    );
}

#[test]
fn ignoring_signals_while_spinning() {
    let _serial = serial();
    let limits = short_limits();
    let mut worker = full_worker(limits.clone());
    let attack = "import signal\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP):\n    \
                  signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass\n";
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Timeout, "timed out");
    assert_eq!(execution.exit, Some(ExitKind::Signal(9)));
    assert_bounded(&execution, &limits);
}

#[test]
fn stopping_itself() {
    let _serial = serial();
    let limits = short_limits();
    let mut worker = full_worker(limits.clone());
    let execution = survive(
        &mut worker,
        "import signal\nsignal.raise_signal(signal.SIGSTOP)\n",
    );
    assert_outcome(&execution, Status::Timeout, "timed out");
    assert_bounded(&execution, &limits);
}

#[test]
fn busy_loops_in_c_code() {
    let _serial = serial();
    let limits = short_limits();
    let mut worker = full_worker(limits.clone());
    for attack in [
        "sum(range(10 ** 13))\n",
        "import re\nre.match(r'(a+)+$', 'a' * 64 + 'b')\n",
    ] {
        let execution = survive(&mut worker, attack);
        assert_outcome(&execution, Status::Timeout, "timed out");
        assert_bounded(&execution, &limits);
    }
}

#[test]
fn flooding_stdout_and_stderr() {
    let _serial = serial();
    let limits = short_limits();
    let cap = limits.max_output_bytes;
    let mut worker = full_worker(limits.clone());

    let endless =
        "import os\nwhile True:\n    os.write(1, b'o' * 65536)\n    os.write(2, b'e' * 65536)\n";
    let execution = survive(&mut worker, endless);
    assert_outcome(&execution, Status::Timeout, "timed out");
    assert_eq!((execution.stdout.len(), execution.stderr.len()), (cap, cap));
    assert!(execution.output_truncated);
    assert!(execution.stdout.iter().all(|&b| b == b'o'));

    let bounded = "import os, sys\nfor _ in range(1000):\n    os.write(1, b'y' * 65536)\n\
                   for _ in range(10000):\n    sys.__stdout__.write('z' * 100)\nfor i in range(10 ** 5):\n    print(i)\n";
    let execution = survive(&mut worker, bounded);
    assert_outcome(&execution, Status::Passed, "passed");
    assert_eq!(execution.stdout.len(), cap);
    assert!(execution.output_truncated);
}

#[test]
fn filling_the_disk() {
    let _serial = serial();
    let mut worker = full_worker(Limits {
        timeout: Duration::from_secs(5),
        ..short_limits()
    });
    let attack = &program("fill_disk.py", &[]);
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Passed, "passed");
}

#[test]
fn exhausting_file_descriptors() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let attack = "import errno\nfiles = []\ntry:\n    while True:\n        files.append(open('/dev/null'))\n\
                  except OSError as e:\n    assert e.errno == errno.EMFILE, e\nassert len(files) < 256, len(files)\n";
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Passed, "passed");
}

#[test]
fn closing_every_descriptor_does_not_lose_the_verdict() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let execution = survive(
        &mut worker,
        "import os\nos.closerange(0, 4096)\nassert 1 + 1 == 2\n",
    );
    assert_outcome(&execution, Status::Passed, "passed");
    let execution = survive(
        &mut worker,
        "import os\nos.closerange(0, 4096)\nassert False\n",
    );
    assert_outcome(&execution, Status::Failed, "failed: ");
}

#[test]
fn blocking_on_stdin() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let attack = "import os, sys\nassert os.read(0, 1) == b''\nsys.stdin.read()\n";
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Error, "failed: ");
    assert!(
        execution.duration < Duration::from_millis(400),
        "{execution:?}"
    );
}

#[test]
fn killing_its_parent_pid_1_and_the_zygote() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let zygote = worker.zygote_pid().expect("a zygote runs");
    let attack = format!(
        "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\nassert os.getppid() == 0\n\
         assert libc.kill({zygote}, 9) == -1\nassert libc.kill(1, 9) == -1\nlibc.kill(-1, 9)\n\
         libc.kill(0, 9)\n"
    );
    let execution = survive(&mut worker, &attack);
    assert_outcome(&execution, Status::Killed, "timed out");
    assert_eq!(execution.exit, Some(ExitKind::Signal(9)));
    assert_eq!(
        worker.zygote_pid(),
        Some(zygote),
        "the zygote was not even touched"
    );
    assert_eq!(worker.restarts(), 0);
}

#[test]
fn without_isolation_a_killed_zygote_is_restarted() {
    let _serial = serial();
    let mut worker = Worker::start(Isolation::None, short_limits(), &python()).expect("starts");
    let first = worker.zygote_pid();
    let attack =
        "import ctypes, os, time\nctypes.CDLL(None).kill(os.getppid(), 9)\ntime.sleep(5)\n";
    let execution = survive(&mut worker, attack);
    assert_outcome(&execution, Status::Killed, "timed out");
    let detail = execution.detail.unwrap_or_default();
    assert!(detail.contains("zygote died"), "{detail}");
    assert_eq!(worker.restarts(), 1);
    assert_ne!(worker.zygote_pid(), first);
}

#[test]
fn dropping_a_worker_kills_its_zygote() {
    let _serial = serial();
    let before = Snapshot::take();
    let worker = full_worker(short_limits());
    let zygote = worker.zygote_pid().expect("a zygote runs");
    assert!(std::path::Path::new(&format!("/proc/{zygote}")).exists());
    drop(worker);
    before.assert_nothing_new(None);
}

#[test]
fn a_zygote_killed_between_samples_is_replaced_quietly() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let zygote = worker.zygote_pid().expect("a zygote runs");
    signal(zygote, "KILL");
    std::thread::sleep(Duration::from_millis(50));
    let execution = survive(&mut worker, ORDINARY);
    assert_outcome(&execution, Status::Passed, "passed");
    assert_eq!(worker.restarts(), 1);
}

#[test]
fn a_hung_zygote_hits_the_backstop() {
    let _serial = serial();
    let limits = short_limits();
    let mut worker = full_worker(limits.clone());
    let before = Snapshot::take();
    let zygote = worker.zygote_pid().expect("a zygote runs");
    signal(zygote, "STOP");
    let execution = worker.run(ORDINARY);
    assert_eq!(execution.status, Status::SandboxError, "{execution:?}");
    let detail = execution.detail.unwrap_or_default();
    assert!(detail.contains("did not answer"), "{detail}");
    assert!(
        execution.duration < limits.hard_deadline() + Duration::from_secs(7),
        "{:?}",
        execution.duration
    );
    assert_outcome(&worker.run(ORDINARY), Status::Passed, "passed");
    assert_eq!(worker.restarts(), 1);
    before.assert_nothing_new(worker.zygote_pids());
}

/// Sends a signal with kill(1), as something outside the harness would.
fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill")
        .args([format!("-{name}"), pid.to_string()])
        .status()
        .expect("kill(1) runs");
    assert!(status.success());
}
