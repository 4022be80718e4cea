//! The general executor: any command, confined as the Python samples are.

use std::time::Duration;

use lintseq_sandbox::Isolation;
use lintseq_sandbox::command::{CommandLimits, Ending, File, Jail, Job};

fn jail() -> Jail {
    Jail::new(Isolation::Full, &[]).expect("full isolation works on this machine")
}

fn sh(script: &str) -> Job {
    Job::new(["/bin/sh", "-c", script])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn runs_a_command_with_files_stdin_and_a_cleared_environment() {
    let mut jail = jail();
    let mut job = sh("cat input.txt; cat; echo; id -u; pwd; env | sort | tr '\\n' ' '");
    job.stdin = b"from stdin".to_vec();
    job.env.insert("EXTRA".into(), "1".into());
    let output = jail.run(&job, &[File::new("input.txt", "from a file\n")]);
    assert_eq!(output.ending, Ending::Exited(0), "{output:?}");
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..4],
        ["from a file", "from stdin", "65534", "/tmp/work"],
        "{stdout}"
    );
    assert!(
        lines[4].contains("EXTRA=1") && lines[4].contains("HOME=/tmp"),
        "{stdout}"
    );
    assert!(
        !lines[4].contains("CARGO"),
        "the harness's environment leaked: {stdout}"
    );
}

#[test]
fn reports_exit_codes_and_signals() {
    let mut jail = jail();
    assert_eq!(jail.run(&sh("exit 3"), &[]).ending, Ending::Exited(3));
    assert_eq!(
        jail.run(&sh("kill -SEGV $$"), &[]).ending,
        Ending::Signaled(libc::SIGSEGV)
    );
    let missing = jail.run(&Job::new(["/nonexistent/tool"]), &[]);
    assert!(
        matches!(&missing.ending, Ending::SandboxError(m) if m.contains("/nonexistent/tool")),
        "{missing:?}"
    );
}

#[test]
fn the_host_is_read_only_and_the_network_is_gone() {
    let mut jail = jail();
    let output = jail.run(
        &sh("touch /usr/lintseq-escape 2>/dev/null && echo wrote-usr; \
             touch /tmp/ok && echo wrote-tmp; \
             touch here && echo wrote-work; \
             cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '; \
             hostname; ls /proc | grep -c '^[0-9]'"),
        &[],
    );
    assert_eq!(output.ending, Ending::Exited(0), "{output:?}");
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..4],
        ["wrote-tmp", "wrote-work", "lo", "sandbox"],
        "{stdout}"
    );
    // Its own processes only: the init, the shell, ls and perhaps grep.
    let processes: usize = lines[4].parse().unwrap();
    assert!((3..=4).contains(&processes), "{stdout}");
    assert!(!std::path::Path::new("/usr/lintseq-escape").exists());
}

#[test]
fn the_deadline_kills_the_whole_tree() {
    let mut jail = jail();
    let mut job = sh("(setsid sleep 61 &) ; sleep 61 & exec sleep 61");
    job.limits = CommandLimits {
        wall: Duration::from_millis(300),
        ..CommandLimits::default()
    };
    let output = jail.run(&job, &[]);
    assert_eq!(output.ending, Ending::TimedOut, "{output:?}");
    assert!(output.duration < Duration::from_secs(5));
    let left: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.trim() == "sleep 61")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A process that uses up its CPU seconds before the wall deadline (as one
/// spinning on many cores does) ends with `CpuLimit`, not a bare signal.
#[test]
fn the_cpu_limit_is_its_own_ending() {
    let mut jail = jail();
    let mut job = sh("while :; do :; done");
    job.limits = CommandLimits {
        wall: Duration::from_secs(30),
        cpu_seconds: 1,
        ..CommandLimits::default()
    };
    let output = jail.run(&job, &[]);
    assert_eq!(output.ending, Ending::CpuLimit, "{output:?}");
    assert!(output.duration < Duration::from_secs(20), "{output:?}");
}

#[test]
fn memory_and_processes_are_limited() {
    let mut jail = jail();
    let mut job = Job::new([
        "python3",
        "-c",
        "x = bytearray(512 << 20); print('allocated')",
    ]);
    job.limits = CommandLimits {
        memory_bytes: 128 << 20,
        ..CommandLimits::default()
    };
    let output = jail.run(&job, &[]);
    assert!(!output.success(), "{output:?}");
    assert!(!text(&output.stdout).contains("allocated"));

    let mut bomb = sh("i=0; while [ $i -lt 200 ]; do sleep 5 & i=$((i+1)); done; wait");
    bomb.limits = CommandLimits {
        max_processes: 16,
        wall: Duration::from_secs(3),
        ..CommandLimits::default()
    };
    let output = jail.run(&bomb, &[]);
    assert!(
        text(&output.stderr).contains("fork") || text(&output.stderr).contains("Resource"),
        "{output:?}"
    );
}

#[test]
fn steps_of_one_job_share_the_working_directory() {
    let mut jail = jail();
    let dir = jail.work_dir().unwrap();
    dir.write(&[File::new("src/main.c", "int main(void) { return 7; }\n")])
        .unwrap();
    let mut compile = Job::new(["gcc", "-o", "main", "src/main.c"]);
    compile.limits.address_space = false;
    compile.limits.wall = Duration::from_secs(60);
    compile.limits.cpu_seconds = 60;
    let built = jail.run_in(&dir, &compile);
    assert_eq!(built.ending, Ending::Exited(0), "{}", text(&built.stderr));
    assert_eq!(
        jail.run_in(&dir, &Job::new(["./main"])).ending,
        Ending::Exited(7)
    );
}

#[test]
fn output_is_capped() {
    let mut jail = jail();
    let mut job = sh("head -c 1000000 /dev/zero");
    job.limits.max_output_bytes = 1000;
    let output = jail.run(&job, &[]);
    assert_eq!(output.ending, Ending::Exited(0));
    assert_eq!(
        (output.stdout.len(), output.stdout_total),
        (1000, 1_000_000)
    );
}

#[test]
fn without_isolation_commands_still_run_in_their_directory() {
    let mut jail = Jail::new(Isolation::None, &[]).unwrap();
    let output = jail.run(&sh("cat f; exit 2"), &[File::new("f", "x")]);
    assert_eq!(output.ending, Ending::Exited(2));
    assert_eq!(output.stdout, b"x");
}
