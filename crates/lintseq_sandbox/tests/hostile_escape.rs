//! Hostile samples that try to reach outside the sandbox: the host file
//! system, the network, other processes, privileges, later samples. Each
//! case checks that the attempt failed (the program asserts it, so success
//! means "passed"), that ordinary samples around it still get their
//! verdicts, and that nothing is left behind on the host.

mod common;

use std::fs;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::{
    Snapshot, assert_outcome, full_worker, program, serial, short_limits, survive,
    world_writable_dir,
};
use lintseq_sandbox::Status;

#[test]
fn writing_outside_tmp_fails_and_leaves_the_host_alone() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let host = world_writable_dir();
    let cwd = std::env::current_dir().expect("a current directory");
    let attack = program(
        "escape_write_outside_tmp.py",
        &[
            ("HOST_DIR", host.path().display().to_string()),
            ("CWD", cwd.display().to_string()),
        ],
    );
    let execution = survive(&mut worker, &attack);
    assert_outcome(&execution, Status::Passed, "passed");
    assert!(!host.path().join("written-by-sample").exists());
    assert!(!cwd.join("written-by-sample").exists());
    assert_eq!(fs::read_dir(host.path()).expect("readable").count(), 0);
}

#[test]
fn host_files_are_readable_only_if_world_readable() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let host = world_writable_dir();
    fs::write(host.path().join("secret"), "secret").expect("write");
    fs::set_permissions(
        host.path().join("secret"),
        fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    fs::write(host.path().join("public"), "public").expect("write");
    fs::set_permissions(
        host.path().join("public"),
        fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let attack = program(
        "escape_read_host_files.py",
        &[("HOST_DIR", host.path().display().to_string())],
    );
    let execution = survive(&mut worker, &attack);
    assert_outcome(&execution, Status::Passed, "passed");
}

#[test]
fn the_network_is_unreachable() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback listener");
    listener.set_nonblocking(true).expect("non-blocking");
    let port = listener.local_addr().expect("an address").port();
    let execution = survive(
        &mut worker,
        &program(
            "escape_network.py",
            &[
                ("PORT", port.to_string()),
                ("IPV4", Ipv4Addr::LOCALHOST.to_string()),
                ("IPV6", Ipv6Addr::LOCALHOST.to_string()),
            ],
        ),
    );
    assert_outcome(&execution, Status::Passed, "passed");
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the listener saw a connection: {other:?}"),
    }
}

#[test]
fn proc_shows_only_the_sample() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let zygote = worker.zygote_pid().expect("a zygote runs");
    let execution = survive(
        &mut worker,
        &program("escape_proc.py", &[("ZYGOTE", zygote.to_string())]),
    );
    assert_outcome(&execution, Status::Passed, "passed");
}

#[test]
fn no_privileges_no_namespaces_no_mounts() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let execution = survive(&mut worker, &program("escape_privileges.py", &[]));
    assert_outcome(&execution, Status::Passed, "passed");
}

#[test]
fn a_double_forked_daemon_dies_with_its_sample() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    let host = world_writable_dir();
    let attack = program(
        "escape_daemon.py",
        &[("HOST_DIR", host.path().display().to_string())],
    );
    // survive() checks that no process of the sandbox user is left.
    let execution = survive(&mut worker, &attack);
    assert_outcome(&execution, Status::Passed, "passed");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!host.path().join("daemon-alive").exists());
    Snapshot::take().assert_nothing_new(None);
}

#[test]
fn files_do_not_carry_over_to_later_samples() {
    let _serial = serial();
    let mut worker = full_worker(short_limits());
    assert_outcome(
        &survive(&mut worker, &program("leave_files.py", &[])),
        Status::Passed,
        "passed",
    );
    assert_outcome(
        &survive(&mut worker, &program("find_files.py", &[])),
        Status::Passed,
        "passed",
    );
}
