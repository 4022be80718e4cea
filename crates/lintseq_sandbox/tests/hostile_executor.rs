//! The Python hostile suite against the general executor: each attack
//! program runs as `python3 attack.py` in a `Jail` and passes only if
//! every escape it tries fails; nothing is left behind, and an ordinary
//! command runs after it.

mod common;

use std::fs;
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener};
use std::os::unix::fs::PermissionsExt as _;

use common::{Snapshot, program, serial, world_writable_dir};
use lintseq_sandbox::Isolation;
use lintseq_sandbox::command::{Ending, File, Jail, Job};

/// Runs `attack` between two ordinary commands and checks that it was
/// contained and left no process, mount or cgroup behind.
fn contained(jail: &mut Jail, name: &str, attack: &str) {
    let before = Snapshot::take();
    let ordinary = Job::new(["/bin/true"]);
    assert!(jail.run(&ordinary, &[]).success());
    let output = jail.run(
        &Job::new(["python3", "attack.py"]),
        &[File::new("attack.py", attack)],
    );
    assert_eq!(
        output.ending,
        Ending::Exited(0),
        "{name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(jail.run(&ordinary, &[]).success());
    before.assert_nothing_new(None);
}

#[test]
fn the_python_attacks_are_contained_by_the_executor() {
    let _serial = serial();
    let mut jail = Jail::new(Isolation::Full, &[]).expect("full isolation works here");

    let host = world_writable_dir();
    let cwd = std::env::current_dir().unwrap();
    let write = program(
        "escape_write_outside_tmp.py",
        &[
            ("HOST_DIR", host.path().display().to_string()),
            ("CWD", cwd.display().to_string()),
        ],
    );
    contained(&mut jail, "write outside /tmp", &write);
    assert_eq!(fs::read_dir(host.path()).unwrap().count(), 0);

    fs::write(host.path().join("secret"), "secret").unwrap();
    fs::set_permissions(
        host.path().join("secret"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    fs::write(host.path().join("public"), "public").unwrap();
    fs::set_permissions(
        host.path().join("public"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let read = program(
        "escape_read_host_files.py",
        &[("HOST_DIR", host.path().display().to_string())],
    );
    contained(&mut jail, "read host files", &read);

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.set_nonblocking(true).unwrap();
    let network = program(
        "escape_network.py",
        &[
            ("PORT", listener.local_addr().unwrap().port().to_string()),
            ("IPV4", Ipv4Addr::LOCALHOST.to_string()),
            ("IPV6", Ipv6Addr::LOCALHOST.to_string()),
        ],
    );
    contained(&mut jail, "network", &network);
    assert!(listener.accept().is_err(), "the listener saw a connection");

    // In a jail the command's parent is the namespace's init (pid 1), not
    // a process outside it as in the zygote: the rest is the same.
    let harness = std::process::id();
    let proc = format!(
        "import os\n\
         pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n\
         assert os.getpid() == 2 and os.getppid() == 1, (os.getpid(), os.getppid())\n\
         assert pids == [1, 2], pids\n\
         assert not os.path.exists('/proc/{harness}')\n"
    );
    contained(&mut jail, "proc", &proc);
    contained(
        &mut jail,
        "privileges",
        &program("escape_privileges.py", &[]),
    );
}
