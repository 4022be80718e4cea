//! Cgroups: a memory limit, a process limit, a peak-memory reading and
//! OOM-kill detection.
//!
//! Each worker has a cgroup under this process's own cgroup, named
//! `lintseq-<our pid>-<worker>`. A Python worker's zygote joins it once,
//! and its samples, forked from the zygote, start in it: the limits are
//! set for one sample on top of what the zygote holds, and the counters
//! are read around each sample ([`WorkerCgroups::begin_sample`]). The
//! zygote removes the worker's cgroups if the harness dies. The general
//! executor gives each command a child cgroup of its own
//! (`lintseq-sample-<n>`, [`WorkerCgroups::create_sample`]), which the
//! command's init joins. cgroup v1 needs the `memory` and `pids`
//! controllers; v2 needs both enabled in our cgroup's
//! `cgroup.subtree_control`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::limits::Limits;
use crate::sys;

const NAME_PREFIX: &str = "lintseq-";
const REMOVE_PATIENCE: Duration = Duration::from_secs(2);

/// Where sample cgroups are created.
#[derive(Clone, Debug)]
pub(crate) enum Hierarchy {
    V1 { memory: PathBuf, pids: PathBuf },
    V2 { parent: PathBuf },
}

impl Hierarchy {
    /// Finds a writable hierarchy with memory and pids control, or says
    /// why there is none.
    pub(crate) fn discover() -> Result<Hierarchy, String> {
        let mountinfo = fs::read_to_string("/proc/self/mountinfo")
            .map_err(|e| format!("cannot read /proc/self/mountinfo: {e}"))?;
        let membership = fs::read_to_string("/proc/self/cgroup")
            .map_err(|e| format!("cannot read /proc/self/cgroup: {e}"))?;
        let mounts = parse_cgroup_mounts(&mountinfo);
        let v1_reason = match v1(&mounts, &membership) {
            Ok(hierarchy) => return Ok(hierarchy),
            Err(reason) => reason,
        };
        match v2_dir(&mounts, &membership) {
            Ok(parent) => Ok(Hierarchy::V2 { parent }),
            Err(v2_reason) => Err(format!("cgroup v1: {v1_reason}; cgroup v2: {v2_reason}")),
        }
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            Hierarchy::V1 { memory, pids } => format!(
                "cgroup v1 (memory under {}, pids under {})",
                memory.display(),
                pids.display()
            ),
            Hierarchy::V2 { parent } => format!("cgroup v2 under {}", parent.display()),
        }
    }

    fn parents(&self) -> Vec<&Path> {
        match self {
            Hierarchy::V1 { memory, pids } => vec![memory, pids],
            Hierarchy::V2 { parent } => vec![parent],
        }
    }

    /// Removes cgroups left by lintseq processes that no longer exist (a
    /// harness killed before its zygote could clean up).
    pub(crate) fn sweep_stale(&self) {
        for parent in self.parents() {
            let Ok(entries) = fs::read_dir(parent) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let Some(owner) = name
                    .to_str()
                    .and_then(|n| n.strip_prefix(NAME_PREFIX))
                    .and_then(|rest| rest.split('-').next())
                else {
                    continue;
                };
                if owner.parse::<u32>().is_err() || Path::new("/proc").join(owner).exists() {
                    continue;
                }
                remove_tree(&entry.path(), self.is_v2());
            }
        }
    }

    fn is_v2(&self) -> bool {
        matches!(self, Hierarchy::V2 { .. })
    }

    /// Creates the cgroups of one worker, under which its samples' go.
    pub(crate) fn create_worker(&self, name: &str) -> io::Result<WorkerCgroups> {
        let name = format!("{NAME_PREFIX}{name}");
        let mut worker = WorkerCgroups {
            dirs: Vec::new(),
            v2: self.is_v2(),
        };
        for parent in self.parents() {
            let dir = parent.join(&name);
            fs::create_dir(&dir).map_err(|e| annotate(e, "create", &dir))?;
            worker.dirs.push(dir);
        }
        if let Hierarchy::V2 { .. } = self {
            write(
                &worker.dirs[0].join("cgroup.subtree_control"),
                "+memory +pids",
            )?;
        }
        Ok(worker)
    }
}

/// A worker's cgroups (memory first). Removed, with any sample cgroups
/// left in them, when dropped.
#[derive(Debug)]
pub(crate) struct WorkerCgroups {
    dirs: Vec<PathBuf>,
    v2: bool,
}

impl WorkerCgroups {
    /// The worker's cgroup directories, for the zygote to clean up.
    pub(crate) fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// The `cgroup.procs` files a zygote writes itself into.
    pub(crate) fn procs_files(&self) -> Vec<PathBuf> {
        self.dirs.iter().map(|d| d.join("cgroup.procs")).collect()
    }

    fn memory_dir(&self) -> &Path {
        &self.dirs[0]
    }

    fn pids_dir(&self) -> &Path {
        self.dirs.last().unwrap_or(&self.dirs[0])
    }

    /// Sets the limits for the samples of a zygote that has joined these
    /// cgroups: a sample's memory on top of what is charged to them now,
    /// and its processes on top of those in them now (the zygote's
    /// threads) and the sample's namespace init.
    pub(crate) fn limit_samples(&self, limits: &Limits) -> io::Result<()> {
        let usage = read_number(&self.memory_dir().join(if self.v2 {
            "memory.current"
        } else {
            "memory.usage_in_bytes"
        }))
        .unwrap_or(0);
        let memory = limits.cgroup_memory_bytes().saturating_add(usage);
        let memory = if memory == u64::MAX {
            "max".to_owned()
        } else {
            memory.to_string()
        };
        let pids = if limits.max_processes == u64::MAX {
            "max".to_owned()
        } else {
            let present = read_number(&self.pids_dir().join("pids.current")).unwrap_or(1);
            limits
                .max_processes
                .saturating_add(present)
                .saturating_add(1)
                .to_string()
        };
        if self.v2 {
            write(&self.memory_dir().join("memory.max"), &memory)?;
            let _ = fs::write(self.memory_dir().join("memory.swap.max"), "0");
        } else {
            // memsw first when raising, the plain limit first when
            // lowering: memsw may never be below it. Absent without swap
            // accounting.
            let memsw = self.memory_dir().join("memory.memsw.limit_in_bytes");
            let _ = fs::write(&memsw, &memory);
            write(&self.memory_dir().join("memory.limit_in_bytes"), &memory)?;
            let _ = fs::write(&memsw, &memory);
        }
        write(&self.pids_dir().join("pids.max"), &pids)
    }

    /// Before a sample: resets the peak counter and notes the baseline.
    pub(crate) fn begin_sample(&self) -> SampleWatch {
        let memory = self.memory_dir();
        let peak_reset = if self.v2 {
            // Since Linux 6.12 a write resets the peak as seen through the
            // writer's descriptor, so that one is kept for the reading.
            fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(memory.join("memory.peak"))
                .and_then(|mut file| {
                    io::Write::write_all(&mut file, b"reset\n")?;
                    Ok(file)
                })
                .ok()
        } else {
            let _ = fs::write(memory.join("memory.max_usage_in_bytes"), "0");
            None
        };
        SampleWatch {
            baseline: read_number(&memory.join(if self.v2 {
                "memory.current"
            } else {
                "memory.usage_in_bytes"
            }))
            .unwrap_or(0),
            oom_kills: self.oom_kills(),
            peak: peak_reset,
        }
    }

    /// After a sample: its peak memory above the baseline, and the OOM kills
    /// since [`WorkerCgroups::begin_sample`].
    pub(crate) fn end_sample(&self, watch: SampleWatch) -> CgroupReport {
        let peak = if self.v2 {
            watch.peak.and_then(|mut file| {
                let mut text = String::new();
                io::Seek::seek(&mut file, io::SeekFrom::Start(0)).ok()?;
                io::Read::read_to_string(&mut file, &mut text).ok()?;
                text.trim().parse::<u64>().ok()
            })
        } else {
            read_number(&self.memory_dir().join("memory.max_usage_in_bytes"))
        };
        CgroupReport {
            peak_memory_bytes: peak.map(|p| p.saturating_sub(watch.baseline)),
            oom_kills: self.oom_kills().saturating_sub(watch.oom_kills),
        }
    }

    fn oom_kills(&self) -> u64 {
        let file = if self.v2 {
            "memory.events"
        } else {
            "memory.oom_control"
        };
        fs::read_to_string(self.memory_dir().join(file))
            .ok()
            .and_then(|s| counter(&s, "oom_kill"))
            .unwrap_or(0)
    }

    /// Creates the cgroups of one command, with its limits set.
    pub(crate) fn create_sample(&self, number: u64, limits: &Limits) -> io::Result<SampleCgroup> {
        let name = format!("{NAME_PREFIX}sample-{number}");
        let memory = limits.cgroup_memory_bytes().to_string();
        let pids = if limits.max_processes == u64::MAX {
            "max".to_owned()
        } else {
            limits.max_processes.to_string()
        };
        let mut sample = SampleCgroup {
            dirs: Vec::new(),
            v2: self.v2,
        };
        let mut dirs = self.dirs.iter();
        let (Some(first), rest) = (dirs.next(), dirs) else {
            return Err(io::Error::other("a worker without cgroups"));
        };
        let dir = sample.make(first, &name)?;
        if self.v2 {
            write(&dir.join("memory.max"), &memory)?;
            let _ = fs::write(dir.join("memory.swap.max"), "0");
            write(&dir.join("pids.max"), &pids)?;
        } else {
            write(&dir.join("memory.limit_in_bytes"), &memory)?;
            // Absent without swap accounting; must not be below the plain
            // limit, which it is not.
            let _ = fs::write(dir.join("memory.memsw.limit_in_bytes"), &memory);
            for parent in rest {
                let dir = sample.make(parent, &name)?;
                write(&dir.join("pids.max"), &pids)?;
            }
        }
        Ok(sample)
    }
}

impl Drop for WorkerCgroups {
    fn drop(&mut self) {
        for dir in &self.dirs {
            remove_tree(dir, self.v2);
        }
    }
}

/// Kills everything in a cgroup and its children and removes them.
fn remove_tree(dir: &Path, v2: bool) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_tree(&entry.path(), v2);
            }
        }
    }
    kill_members(dir, v2);
    remove_dirs(vec![dir.to_owned()]);
}

/// The cgroups of one running command. Call [`SampleCgroup::finish`].
#[derive(Debug)]
pub(crate) struct SampleCgroup {
    dirs: Vec<PathBuf>,
    v2: bool,
}

/// What the cgroups saw of a finished sample or command.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CgroupReport {
    pub(crate) peak_memory_bytes: Option<u64>,
    pub(crate) oom_kills: u64,
}

/// The counters of a worker's cgroups as one sample began.
#[derive(Debug)]
pub(crate) struct SampleWatch {
    baseline: u64,
    oom_kills: u64,
    /// cgroup v2: `memory.peak`, reset through this descriptor.
    peak: Option<fs::File>,
}

impl SampleCgroup {
    fn make(&mut self, parent: &Path, name: &str) -> io::Result<PathBuf> {
        let dir = parent.join(name);
        fs::create_dir(&dir).map_err(|e| annotate(e, "create", &dir))?;
        self.dirs.push(dir.clone());
        Ok(dir)
    }

    /// The `cgroup.procs` files the command's init writes it into.
    pub(crate) fn procs_files(&self) -> Vec<PathBuf> {
        self.dirs.iter().map(|d| d.join("cgroup.procs")).collect()
    }

    /// Kills whatever is left, reads the counters, removes the cgroups.
    /// Directories that would not go away are returned for a later retry.
    pub(crate) fn finish(self) -> (CgroupReport, Vec<PathBuf>) {
        let mut report = CgroupReport::default();
        for dir in &self.dirs {
            kill_members(dir, self.v2);
        }
        let memory = &self.dirs[0];
        let (peak_file, events_file) = if self.v2 {
            ("memory.peak", "memory.events")
        } else {
            ("memory.max_usage_in_bytes", "memory.oom_control")
        };
        report.peak_memory_bytes = fs::read_to_string(memory.join(peak_file))
            .ok()
            .and_then(|s| s.trim().parse().ok());
        report.oom_kills = fs::read_to_string(memory.join(events_file))
            .ok()
            .and_then(|s| counter(&s, "oom_kill"))
            .unwrap_or(0);
        let leftovers = remove_dirs(self.dirs.clone());
        (report, leftovers)
    }
}

/// Removes cgroup directories, waiting a little for exiting processes to
/// leave them; returns those that are still there.
pub(crate) fn remove_dirs(dirs: Vec<PathBuf>) -> Vec<PathBuf> {
    let give_up = Instant::now() + REMOVE_PATIENCE;
    let mut pending = dirs;
    loop {
        pending.retain(|dir| match fs::remove_dir(dir) {
            Ok(()) => false,
            Err(e) => e.kind() != io::ErrorKind::NotFound,
        });
        if pending.is_empty() || Instant::now() >= give_up {
            return pending;
        }
        thread::sleep(Duration::from_millis(2));
    }
}

/// SIGKILLs every process in `dir` until it is empty; returns how many
/// were found the first time.
fn kill_members(dir: &Path, v2: bool) -> usize {
    let procs = dir.join("cgroup.procs");
    let mut first = None;
    if v2 {
        let _ = fs::write(dir.join("cgroup.kill"), "1");
    }
    let give_up = Instant::now() + REMOVE_PATIENCE;
    loop {
        let pids: Vec<i32> = fs::read_to_string(&procs)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        first.get_or_insert(pids.len());
        if pids.is_empty() || Instant::now() >= give_up {
            return first.unwrap_or(0);
        }
        for pid in pids {
            let _ = sys::kill(pid, libc::SIGKILL);
        }
        thread::sleep(Duration::from_millis(1));
    }
}

fn read_number(path: &Path) -> Option<u64> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

fn counter(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (name, value) = line.split_once(' ')?;
        (name == key).then(|| value.trim().parse().ok()).flatten()
    })
}

fn write(path: &Path, value: &str) -> io::Result<()> {
    fs::write(path, value).map_err(|e| annotate(e, "write", path))
}

fn annotate(err: io::Error, verb: &str, path: &Path) -> io::Error {
    io::Error::new(
        err.kind(),
        format!("cannot {verb} {}: {err}", path.display()),
    )
}

/// A cgroup mount: its mount point, the hierarchy path mounted there, the
/// file system type and its super options.
struct CgroupMount {
    point: PathBuf,
    root: String,
    v2: bool,
    options: Vec<String>,
}

fn parse_cgroup_mounts(mountinfo: &str) -> Vec<CgroupMount> {
    mountinfo
        .lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let left: Vec<&str> = left.split(' ').collect();
            let right: Vec<&str> = right.split(' ').collect();
            let fstype = *right.first()?;
            if fstype != "cgroup" && fstype != "cgroup2" {
                return None;
            }
            Some(CgroupMount {
                point: PathBuf::from(unescape(left.get(4)?)),
                root: unescape(left.get(3)?),
                v2: fstype == "cgroup2",
                options: right.get(2)?.split(',').map(str::to_owned).collect(),
            })
        })
        .collect()
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match (bytes[i], octal) {
            (b'\\', Some(d)) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Our cgroup's directory in a mount, from its path in the hierarchy.
fn dir_in_mount(mount: &CgroupMount, path: &str) -> Option<PathBuf> {
    let relative = if mount.root == "/" {
        path
    } else {
        path.strip_prefix(mount.root.as_str())?
    };
    Some(mount.point.join(relative.trim_start_matches('/')))
}

fn v1(mounts: &[CgroupMount], membership: &str) -> Result<Hierarchy, String> {
    let memory = v1_dir(mounts, membership, "memory")?;
    let pids = v1_dir(mounts, membership, "pids")?;
    check_writable(&memory)?;
    check_writable(&pids)?;
    Ok(Hierarchy::V1 { memory, pids })
}

fn v1_dir(mounts: &[CgroupMount], membership: &str, controller: &str) -> Result<PathBuf, String> {
    let mount = mounts
        .iter()
        .find(|m| !m.v2 && m.options.iter().any(|o| o == controller))
        .ok_or_else(|| format!("no {controller} controller is mounted"))?;
    let path = membership
        .lines()
        .find_map(|line| {
            let mut parts = line.splitn(3, ':');
            let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
            controllers
                .split(',')
                .any(|c| c == controller)
                .then_some(path)
        })
        .ok_or_else(|| format!("this process is in no {controller} cgroup"))?;
    dir_in_mount(mount, path)
        .ok_or_else(|| format!("our {controller} cgroup {path} is not under its mount"))
}

fn v2_dir(mounts: &[CgroupMount], membership: &str) -> Result<PathBuf, String> {
    let mount = mounts
        .iter()
        .find(|m| m.v2)
        .ok_or("no cgroup2 file system is mounted")?;
    let path = membership
        .lines()
        .find_map(|line| line.strip_prefix("0::"))
        .ok_or("this process is in no cgroup v2 cgroup")?;
    let dir = dir_in_mount(mount, path).ok_or("our cgroup is not under the cgroup2 mount")?;
    let controllers = fs::read_to_string(dir.join("cgroup.controllers")).unwrap_or_default();
    for needed in ["memory", "pids"] {
        if !controllers.split_whitespace().any(|c| c == needed) {
            return Err(format!(
                "the {needed} controller is not available in {}",
                dir.display()
            ));
        }
    }
    let subtree = dir.join("cgroup.subtree_control");
    let enabled = fs::read_to_string(&subtree).unwrap_or_default();
    if !["memory", "pids"]
        .iter()
        .all(|c| enabled.split_whitespace().any(|e| e == *c))
    {
        // Fails with EBUSY when our cgroup holds processes and is not the
        // root: the v2 "no internal processes" rule.
        fs::write(&subtree, "+memory +pids").map_err(|e| {
            format!(
                "cannot enable memory and pids in {}: {e}",
                subtree.display()
            )
        })?;
    }
    check_writable(&dir)?;
    Ok(dir)
}

fn check_writable(dir: &Path) -> Result<(), String> {
    let probe = dir.join(format!("{NAME_PREFIX}{}-probe", std::process::id()));
    fs::create_dir(&probe)
        .map_err(|e| format!("cannot create a cgroup in {}: {e}", dir.display()))?;
    fs::remove_dir(&probe).map_err(|e| format!("cannot remove {}: {e}", probe.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_v1_directories_under_nested_mount_roots() {
        let mountinfo = "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n\
                         39 31 0:36 /outer /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n\
                         41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";
        let membership = "8:pids:/outer/inner\n4:memory:/a/b\n0::/\n";
        let mounts = parse_cgroup_mounts(mountinfo);
        assert_eq!(
            v1_dir(&mounts, membership, "memory").unwrap(),
            PathBuf::from("/sys/fs/cgroup/memory/a/b")
        );
        assert_eq!(
            v1_dir(&mounts, membership, "pids").unwrap(),
            PathBuf::from("/sys/fs/cgroup/pids/inner")
        );
        assert!(v1_dir(&mounts, membership, "cpu").is_err());
    }

    #[test]
    fn reads_counters_and_escapes() {
        assert_eq!(
            counter("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", "oom_kill"),
            Some(3)
        );
        assert_eq!(counter("low 0\nhigh 0\n", "oom_kill"), None);
        assert_eq!(unescape(r"/a\040b\134c"), "/a b\\c");
    }
}
