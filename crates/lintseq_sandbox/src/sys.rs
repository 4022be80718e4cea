//! The system calls the Rust side makes. Every `unsafe` block of the crate
//! is in this file; each wraps one call whose preconditions are local.

use std::io;
use std::os::fd::{AsRawFd as _, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

/// `poll(2)` on `fds` (descriptor, events) for at most `timeout`; returns
/// each descriptor's `revents`. An interrupted call returns all zeros, so
/// callers simply recompute their deadline and poll again.
pub(crate) fn poll(fds: &[(RawFd, i16)], timeout: Duration) -> io::Result<Vec<i16>> {
    let mut pollfds: Vec<libc::pollfd> = fds
        .iter()
        .map(|&(fd, events)| libc::pollfd {
            fd,
            events,
            revents: 0,
        })
        .collect();
    let millis = i32::try_from(timeout.as_micros().div_ceil(1000)).unwrap_or(i32::MAX);
    let count = libc::nfds_t::try_from(pollfds.len()).map_err(io::Error::other)?;
    // SAFETY: `pollfds` is an exclusively borrowed array of `count`
    // initialised pollfd structs that outlives the call.
    let ready = unsafe { libc::poll(pollfds.as_mut_ptr(), count, millis) };
    if ready < 0 {
        let err = io::Error::last_os_error();
        if err.kind() == io::ErrorKind::Interrupted {
            return Ok(vec![0; pollfds.len()]);
        }
        return Err(err);
    }
    Ok(pollfds.iter().map(|p| p.revents).collect())
}

/// Puts a descriptor in non-blocking mode.
pub(crate) fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: F_GETFL takes no pointer argument; an invalid fd yields EBADF.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: F_SETFL takes an int argument; an invalid fd yields EBADF.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Sends `signal` to `pid` (a negative `pid` names a process group).
pub(crate) fn kill(pid: i32, signal: i32) -> io::Result<()> {
    // SAFETY: kill(2) has no memory-safety preconditions.
    if unsafe { libc::kill(pid, signal) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A pollable descriptor that becomes readable when process `pid` exits.
pub(crate) fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
    let pid = libc::pid_t::try_from(pid).map_err(io::Error::other)?;
    // SAFETY: pidfd_open takes a pid and a flags word, no pointers.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let fd = RawFd::try_from(fd).map_err(io::Error::other)?;
    // SAFETY: the kernel just returned this descriptor to us; nothing else
    // owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The effective user id of this process.
pub(crate) fn effective_uid() -> u32 {
    // SAFETY: geteuid(2) cannot fail and takes no arguments.
    unsafe { libc::geteuid() }
}

/// The errno of the last failed call, for use in a forked child (reading it
/// does not allocate).
fn errno() -> i32 {
    io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EINVAL)
}

/// What a probe child tries, prepared before the fork: the child of a
/// multi-threaded process may make system calls but must not allocate.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ChildProbe<'a> {
    /// `unshare(flags)`.
    Unshare(i32),
    /// A private mount namespace with a fresh tmpfs on `target`.
    Mount { target: &'a std::ffi::CStr },
}

/// Runs `probe` in a forked child; returns `Ok(0)` if it worked, or the
/// errno it failed with. Namespaces and mounts made there die with it.
pub(crate) fn probe_in_child(probe: ChildProbe<'_>) -> io::Result<i32> {
    // SAFETY: fork(2) has no memory-safety preconditions. The child below
    // only makes raw system calls on data prepared before the fork and ends
    // with _exit, so it never touches locks or allocator state that another
    // thread of ours may have held at the time of the fork.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(io::Error::last_os_error());
    }
    if pid == 0 {
        let code = run_probe(probe);
        // SAFETY: _exit ends the child immediately, running no destructors
        // or atexit handlers that belong to the parent.
        unsafe { libc::_exit(code) }
    }
    let mut status = 0;
    loop {
        // SAFETY: `status` is a valid out-pointer and `pid` is our child.
        let reaped = unsafe { libc::waitpid(pid, &mut status, 0) };
        if reaped == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    if libc::WIFEXITED(status) {
        Ok(libc::WEXITSTATUS(status))
    } else {
        Err(io::Error::other("the probe process was killed"))
    }
}

fn run_probe(probe: ChildProbe<'_>) -> i32 {
    match probe {
        ChildProbe::Unshare(flags) => {
            // SAFETY: unshare(2) takes a flags word, no pointers.
            if unsafe { libc::unshare(flags) } != 0 {
                return errno();
            }
            0
        }
        ChildProbe::Mount { target } => {
            // SAFETY: unshare(2) takes a flags word, no pointers.
            if unsafe { libc::unshare(libc::CLONE_NEWNS) } != 0 {
                return errno();
            }
            let root = c"/";
            let tmpfs = c"tmpfs";
            // SAFETY: every pointer is a NUL-terminated string that outlives
            // the call, or null where mount(2) allows it.
            let private = unsafe {
                libc::mount(
                    std::ptr::null(),
                    root.as_ptr(),
                    std::ptr::null(),
                    libc::MS_REC | libc::MS_PRIVATE,
                    std::ptr::null(),
                )
            };
            if private != 0 {
                return errno();
            }
            // SAFETY: as above.
            let mounted = unsafe {
                libc::mount(
                    tmpfs.as_ptr(),
                    target.as_ptr(),
                    tmpfs.as_ptr(),
                    libc::MS_NOSUID | libc::MS_NODEV,
                    std::ptr::null(),
                )
            };
            if mounted != 0 {
                return errno();
            }
            0
        }
    }
}

// --- confined commands (the general executor, `command.rs`) ----------------

/// A confinement step that failed in the forked child, written to the
/// status pipe as `[b'E', step, errno (4 bytes, little-endian)]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Step {
    JoinCgroup = 1,
    Namespaces,
    PrivateMounts,
    Expose,
    ReadOnly,
    Tmpfs,
    Devices,
    WorkDir,
    Proc,
    Fork,
    Rlimit,
    Credentials,
    NoNewPrivs,
    Chdir,
    Seccomp,
    Session,
    Cache,
}

impl Step {
    pub(crate) fn from_byte(byte: u8) -> Option<Step> {
        use Step::*;
        [
            JoinCgroup,
            Namespaces,
            PrivateMounts,
            Expose,
            ReadOnly,
            Tmpfs,
            Devices,
            WorkDir,
            Proc,
            Fork,
            Rlimit,
            Credentials,
            NoNewPrivs,
            Chdir,
            Seccomp,
            Session,
            Cache,
        ]
        .into_iter()
        .find(|s| *s as u8 == byte)
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            Step::JoinCgroup => "joining the command's cgroups",
            Step::Namespaces => "entering new mount, IPC, network and UTS namespaces",
            Step::PrivateMounts => "making the mount namespace private",
            Step::Expose => "binding the toolchain's directories back",
            Step::ReadOnly => "mount_setattr(/, read-only, recursive) (Linux 5.12 or later)",
            Step::Tmpfs => "mounting a private tmpfs on /tmp and /dev/shm",
            Step::Devices => "allowing /dev/null and friends",
            Step::WorkDir => "binding the working directory in, writable",
            Step::Proc => "mounting /proc for the new pid namespace",
            Step::Fork => "forking the command under the namespace's init",
            Step::Rlimit => "setrlimit",
            Step::Credentials => "switching to the unprivileged user",
            Step::NoNewPrivs => "prctl(PR_SET_NO_NEW_PRIVS, PR_SET_PDEATHSIG)",
            Step::Chdir => "entering the working directory",
            Step::Seccomp => "installing the system-call filter",
            Step::Session => "starting a new session",
            Step::Cache => "mounting the cache overlay on /tmp/cache (overlayfs)",
        }
    }
}

/// Directories the sandbox user cannot search, each with the chains of
/// directories to recreate and bind back inside the tmpfs over it.
pub(crate) type Exposure = Vec<(std::ffi::CString, Vec<Vec<std::ffi::CString>>)>;

/// Everything the forked child needs, prepared by the parent so that the
/// child only makes system calls: no allocation, no locks.
#[derive(Debug)]
pub(crate) struct ChildPlan {
    /// Full isolation; without it, only rlimits, a session and the
    /// working directory.
    pub(crate) full: bool,
    pub(crate) cgroup_procs: Vec<std::ffi::CString>,
    /// A network and a UTS namespace prepared once per executor.
    pub(crate) net_ns: RawFd,
    pub(crate) uts_ns: RawFd,
    /// Directories the sandbox user cannot search (a 0700 home), each with
    /// the toolchain directories inside it that stay reachable: every
    /// ancestor of those below the hidden one, outermost first, then the
    /// directory itself.
    pub(crate) expose: Exposure,
    pub(crate) tmp_options: std::ffi::CString,
    /// overlayfs options for `/tmp/cache`, when the job has a cache.
    pub(crate) cache_overlay: Option<std::ffi::CString>,
    /// The host directory that becomes the working directory, and where
    /// (under the private /tmp) it appears.
    pub(crate) work_host: std::ffi::CString,
    pub(crate) work_jail: std::ffi::CString,
    /// `(resource, limit)`, soft and hard alike.
    pub(crate) rlimits: Vec<(u32, u64)>,
    /// CPU seconds: the soft limit (SIGXCPU), the hard one a second later.
    pub(crate) cpu_seconds: u64,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) seccomp: Vec<u8>,
    /// Where the namespace's init reports the command's end (or a failed
    /// step); the parent holds the read end.
    pub(crate) status_fd: RawFd,
}

const DEVICES: [&std::ffi::CStr; 5] = [
    c"/dev/null",
    c"/dev/zero",
    c"/dev/full",
    c"/dev/random",
    c"/dev/urandom",
];

/// Runs `command` confined by `plan`, in a new pid namespace whose init is
/// the forked child (which reports on `plan.status_fd` and never execs) and
/// whose second process becomes the command.
pub(crate) fn spawn_confined(
    command: &mut std::process::Command,
    plan: &ChildPlan,
    own_pid_ns: RawFd,
) -> io::Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    if plan.full {
        // SAFETY: unshare(2) takes a flags word. CLONE_NEWPID changes only
        // this thread's namespace for children; it is undone below before
        // the thread forks anything else.
        if unsafe { libc::unshare(libc::CLONE_NEWPID) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    // SAFETY: the closure runs in the forked child of a multi-threaded
    // process. `child_side` makes only raw system calls on `plan`'s data,
    // which was fully built before the fork and outlives `spawn` (the
    // closure borrows nothing else), and it allocates nothing.
    let plan_ptr = std::ptr::from_ref(plan) as usize;
    unsafe {
        command.pre_exec(move || {
            // SAFETY: the pointer comes from the `&ChildPlan` borrowed for
            // the whole of `spawn_confined`, during which `spawn` runs.
            let plan = &*(plan_ptr as *const ChildPlan);
            child_side(plan)
        });
    }
    let spawned = command.spawn();
    if plan.full {
        // SAFETY: setns(2) with a descriptor we own and a namespace type.
        if unsafe { libc::setns(own_pid_ns, libc::CLONE_NEWPID) } != 0 {
            let err = io::Error::last_os_error();
            if let Ok(mut child) = spawned {
                let _ = child.kill();
                let _ = child.wait();
            }
            return Err(io::Error::other(format!(
                "setns(back to our pid namespace) failed: {err}"
            )));
        }
    }
    spawned
}

fn report_step(fd: RawFd, step: Step, code: i32) {
    let mut record = [b'E', step as u8, 0, 0, 0, 0];
    record[2..].copy_from_slice(&code.to_le_bytes());
    // SAFETY: `record` is a live buffer of the length passed.
    let _ = unsafe { libc::write(fd, record.as_ptr().cast(), record.len()) };
}

/// Fails the child at `step` with the current errno.
fn failed(plan: &ChildPlan, step: Step) -> io::Error {
    let code = errno();
    report_step(plan.status_fd, step, code);
    io::Error::from_raw_os_error(code)
}

fn check(result: libc::c_int, plan: &ChildPlan, step: Step) -> io::Result<()> {
    if result != 0 {
        return Err(failed(plan, step));
    }
    Ok(())
}

fn mount_raw(
    source: *const libc::c_char,
    target: &std::ffi::CStr,
    fstype: *const libc::c_char,
    flags: libc::c_ulong,
    data: *const libc::c_char,
) -> libc::c_int {
    // SAFETY: every pointer is null or a NUL-terminated string that
    // outlives the call.
    unsafe { libc::mount(source, target.as_ptr(), fstype, flags, data.cast()) }
}

/// "/proc/self/fd/N" in `buffer`, NUL-terminated, without allocating.
fn fd_path(fd: RawFd, buffer: &mut [u8; 32]) -> *const libc::c_char {
    let prefix = b"/proc/self/fd/";
    buffer[..prefix.len()].copy_from_slice(prefix);
    let mut digits = [0u8; 12];
    let mut n = fd.unsigned_abs();
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in 0..len {
        buffer[prefix.len() + i] = digits[len - 1 - i];
    }
    buffer[prefix.len() + len] = 0;
    buffer.as_ptr().cast()
}

fn open_path(path: &std::ffi::CStr) -> RawFd {
    // SAFETY: a NUL-terminated path and flags.
    unsafe {
        libc::open(
            path.as_ptr(),
            libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
        )
    }
}

fn bind_fd(fd: RawFd, target: &std::ffi::CStr, flags: libc::c_ulong) -> libc::c_int {
    let mut buffer = [0u8; 32];
    let source = fd_path(fd, &mut buffer);
    mount_raw(
        source,
        target,
        std::ptr::null(),
        libc::MS_BIND | flags,
        std::ptr::null(),
    )
}

fn make_dir(path: &std::ffi::CStr) -> libc::c_int {
    // SAFETY: a NUL-terminated path and a mode.
    let made = unsafe { libc::mkdir(path.as_ptr(), 0o755) };
    if made != 0 && errno() == libc::EEXIST {
        return 0;
    }
    made
}

/// The child side: confinement as root, then (full isolation) the fork of
/// the command under this process, which stays behind as the pid
/// namespace's init.
fn child_side(plan: &ChildPlan) -> io::Result<()> {
    if !plan.full {
        // SAFETY: setsid(2) takes no arguments.
        if unsafe { libc::setsid() } < 0 {
            return Err(failed(plan, Step::Session));
        }
        set_rlimits(plan)?;
        // SAFETY: chdir(2) on a NUL-terminated path.
        check(
            unsafe { libc::chdir(plan.work_host.as_ptr()) },
            plan,
            Step::Chdir,
        )?;
        return Ok(());
    }
    for procs in &plan.cgroup_procs {
        // SAFETY: a NUL-terminated path and flags.
        let fd = unsafe { libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(failed(plan, Step::JoinCgroup));
        }
        // SAFETY: a live one-byte buffer.
        let written = unsafe { libc::write(fd, b"0".as_ptr().cast(), 1) };
        // SAFETY: our own descriptor.
        unsafe { libc::close(fd) };
        if written != 1 {
            return Err(failed(plan, Step::JoinCgroup));
        }
    }
    // SAFETY: setns(2) and unshare(2) take descriptors and flags only.
    unsafe {
        check(
            libc::setns(plan.net_ns, libc::CLONE_NEWNET),
            plan,
            Step::Namespaces,
        )?;
        check(
            libc::setns(plan.uts_ns, libc::CLONE_NEWUTS),
            plan,
            Step::Namespaces,
        )?;
        check(
            libc::unshare(libc::CLONE_NEWNS | libc::CLONE_NEWIPC),
            plan,
            Step::Namespaces,
        )?;
    }
    check(
        mount_raw(
            std::ptr::null(),
            c"/",
            std::ptr::null(),
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        ),
        plan,
        Step::PrivateMounts,
    )?;
    for (hidden, keep) in &plan.expose {
        // Hold every kept directory before the tmpfs covers it. At most 16
        // per hidden directory (the parent checks).
        let mut held = [-1; 16];
        for (slot, chain) in held.iter_mut().zip(keep) {
            let Some(path) = chain.last() else { continue };
            *slot = open_path(path);
            if *slot < 0 {
                return Err(failed(plan, Step::Expose));
            }
        }
        check(
            mount_raw(
                c"tmpfs".as_ptr(),
                hidden,
                c"tmpfs".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV,
                c"size=64k,nr_inodes=1024,mode=755".as_ptr(),
            ),
            plan,
            Step::Expose,
        )?;
        for (fd, chain) in held.iter().zip(keep) {
            for dir in chain {
                check(make_dir(dir), plan, Step::Expose)?;
            }
            let Some(path) = chain.last() else { continue };
            check(bind_fd(*fd, path, libc::MS_REC), plan, Step::Expose)?;
            // SAFETY: our own descriptor.
            unsafe { libc::close(*fd) };
        }
    }
    let work = open_path(&plan.work_host);
    if work < 0 {
        return Err(failed(plan, Step::WorkDir));
    }
    read_only_everywhere(plan)?;
    for dev in DEVICES {
        // Absent devices are skipped: the program simply cannot open them.
        if mount_raw(
            dev.as_ptr(),
            dev,
            std::ptr::null(),
            libc::MS_BIND,
            std::ptr::null(),
        ) == 0
        {
            check(
                mount_raw(
                    std::ptr::null(),
                    dev,
                    std::ptr::null(),
                    libc::MS_BIND | libc::MS_REMOUNT | libc::MS_RDONLY | libc::MS_NOSUID,
                    std::ptr::null(),
                ),
                plan,
                Step::Devices,
            )?;
        }
    }
    for dir in [c"/tmp", c"/dev/shm"] {
        check(
            mount_raw(
                c"tmpfs".as_ptr(),
                dir,
                c"tmpfs".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV,
                plan.tmp_options.as_ptr(),
            ),
            plan,
            Step::Tmpfs,
        )?;
        if dir == c"/tmp"
            && let Some(options) = &plan.cache_overlay
        {
            // Before /dev/shm is covered: the lower directory lives there.
            mount_cache(plan, options)?;
        }
    }
    check(make_dir(&plan.work_jail), plan, Step::WorkDir)?;
    check(bind_fd(work, &plan.work_jail, 0), plan, Step::WorkDir)?;
    // The bind inherited the read-only flag of its source: lift it.
    check(
        mount_raw(
            std::ptr::null(),
            &plan.work_jail,
            std::ptr::null(),
            libc::MS_BIND | libc::MS_REMOUNT | libc::MS_NOSUID | libc::MS_NODEV,
            std::ptr::null(),
        ),
        plan,
        Step::WorkDir,
    )?;
    // SAFETY: our own descriptor.
    unsafe { libc::close(work) };
    check(
        mount_raw(
            c"proc".as_ptr(),
            c"/proc",
            c"proc".as_ptr(),
            libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC | libc::MS_RDONLY,
            std::ptr::null(),
        ),
        plan,
        Step::Proc,
    )?;
    // SAFETY: fork(2) in the single-threaded child; both sides go on with
    // raw system calls only.
    let command = unsafe { libc::fork() };
    if command < 0 {
        return Err(failed(plan, Step::Fork));
    }
    if command > 0 {
        be_init(plan, command);
    }
    // The command: an unprivileged process in its own session.
    // SAFETY: setsid(2) takes no arguments.
    if unsafe { libc::setsid() } < 0 {
        return Err(failed(plan, Step::Session));
    }
    set_rlimits(plan)?;
    // SAFETY: credential calls with plain integers; a null group list of
    // length 0.
    unsafe {
        check(
            libc::setgroups(0, std::ptr::null()),
            plan,
            Step::Credentials,
        )?;
        check(
            libc::setresgid(plan.gid, plan.gid, plan.gid),
            plan,
            Step::Credentials,
        )?;
        check(
            libc::setresuid(plan.uid, plan.uid, plan.uid),
            plan,
            Step::Credentials,
        )?;
        if libc::geteuid() == 0 {
            return Err(failed(plan, Step::Credentials));
        }
        check(
            libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0),
            plan,
            Step::NoNewPrivs,
        )?;
        // Set after the uid change, which clears it.
        check(
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0),
            plan,
            Step::NoNewPrivs,
        )?;
        check(libc::chdir(plan.work_jail.as_ptr()), plan, Step::Chdir)?;
        // The status pipe is the init's, not the command's.
        libc::close(plan.status_fd);
    }
    if !plan.seccomp.is_empty() {
        let filter = libc::sock_fprog {
            len: u16::try_from(plan.seccomp.len() / 8).unwrap_or(u16::MAX),
            filter: plan.seccomp.as_ptr().cast_mut().cast(),
        };
        // SAFETY: `filter` points at `plan.seccomp`, whole 8-byte
        // instructions that outlive the call. The status fd is closed, so
        // a failure can only be reported through the exec error pipe.
        if unsafe {
            libc::prctl(
                libc::PR_SET_SECCOMP,
                libc::SECCOMP_MODE_FILTER,
                std::ptr::from_ref(&filter),
                0,
                0,
            )
        } != 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The cache: an overlay at `/tmp/cache` whose lower directory (prepared
/// once, trusted) is never written; what the command writes goes to an
/// upper directory in its private /tmp and vanishes with it.
fn mount_cache(plan: &ChildPlan, options: &std::ffi::CStr) -> io::Result<()> {
    for dir in [c"/tmp/.cache-upper", c"/tmp/.cache-work", c"/tmp/cache"] {
        check(make_dir(dir), plan, Step::Cache)?;
    }
    // SAFETY: chown(2) on a NUL-terminated path.
    check(
        unsafe { libc::chown(c"/tmp/.cache-upper".as_ptr(), plan.uid, plan.gid) },
        plan,
        Step::Cache,
    )?;
    check(
        mount_raw(
            c"overlay".as_ptr(),
            c"/tmp/cache",
            c"overlay".as_ptr(),
            libc::MS_NOSUID | libc::MS_NODEV,
            options.as_ptr(),
        ),
        plan,
        Step::Cache,
    )
}

fn read_only_everywhere(plan: &ChildPlan) -> io::Result<()> {
    #[repr(C)]
    struct MountAttr {
        set: u64,
        clear: u64,
        propagation: u64,
        userns_fd: u64,
    }
    const MOUNT_ATTR_RDONLY: u64 = 0x1;
    const MOUNT_ATTR_NOSUID: u64 = 0x2;
    const MOUNT_ATTR_NODEV: u64 = 0x4;
    const AT_RECURSIVE: u32 = 0x8000;
    let attr = MountAttr {
        set: MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
        clear: 0,
        propagation: 0,
        userns_fd: 0,
    };
    // SAFETY: mount_setattr(2) with a NUL-terminated path and a pointer to
    // a live `struct mount_attr` of the size passed.
    let done = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            c"/".as_ptr(),
            AT_RECURSIVE,
            std::ptr::from_ref(&attr),
            std::mem::size_of::<MountAttr>(),
        )
    };
    if done != 0 {
        return Err(failed(plan, Step::ReadOnly));
    }
    Ok(())
}

fn set_rlimits(plan: &ChildPlan) -> io::Result<()> {
    let cpu = libc::rlimit {
        rlim_cur: plan.cpu_seconds,
        rlim_max: plan.cpu_seconds.saturating_add(1),
    };
    // SAFETY: a pointer to a live rlimit.
    check(
        unsafe { libc::setrlimit(libc::RLIMIT_CPU, &cpu) },
        plan,
        Step::Rlimit,
    )?;
    for &(resource, value) in &plan.rlimits {
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: a pointer to a live rlimit.
        check(
            unsafe { libc::setrlimit(resource, &limit) },
            plan,
            Step::Rlimit,
        )?;
    }
    Ok(())
}

/// The pid namespace's init: waits for the command, reports how it ended
/// (`[b'X', 0, status (4 bytes)]`) and exits, which kills every process
/// left in the namespace.
fn be_init(plan: &ChildPlan, command: libc::pid_t) -> ! {
    // SAFETY: prctl with integers; close_range on our own descriptor range
    // (the parent's exec-error pipe included, so `spawn` returns once the
    // command has exec'd); waitpid with a live out-pointer; _exit.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
        for fd in 0..3 {
            libc::close(fd);
        }
        let low = u32::try_from(plan.status_fd).unwrap_or(0);
        if low > 3 {
            libc::syscall(libc::SYS_close_range, 3u32, low - 1, 0u32);
        }
        libc::syscall(libc::SYS_close_range, low + 1, u32::MAX, 0u32);
        let mut status = 0;
        loop {
            let reaped = libc::waitpid(-1, &mut status, 0);
            if reaped == command {
                break;
            }
            if reaped < 0 && errno() != libc::EINTR {
                status = -1;
                break;
            }
        }
        let mut record = [b'X', 0, 0, 0, 0, 0];
        record[2..].copy_from_slice(&status.to_le_bytes());
        libc::write(plan.status_fd, record.as_ptr().cast(), record.len());
        libc::_exit(0)
    }
}

/// A pipe, both ends close-on-exec: (read, write).
pub(crate) fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [-1; 2];
    // SAFETY: `fds` is a live array of two ints.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel just returned these descriptors; nothing else owns
    // them.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// read(2) into `buffer`.
pub(crate) fn read(fd: RawFd, buffer: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buffer` is live and writable for its whole length.
    let n = unsafe { libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len()) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n.unsigned_abs())
}

/// Makes a new network namespace (only loopback, down) and a UTS namespace
/// with `hostname`, in a short-lived child, and returns descriptors that
/// keep both alive for `setns`.
pub(crate) fn hold_new_namespaces(hostname: &std::ffi::CStr) -> io::Result<(OwnedFd, OwnedFd)> {
    let (ready_read, ready_write) = pipe()?;
    // SAFETY: fork(2); the child makes raw system calls on data prepared
    // before the fork and waits to be killed.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(io::Error::last_os_error());
    }
    if pid == 0 {
        // SAFETY: unshare, sethostname (a live buffer and its length),
        // write of a live byte, pause, _exit.
        unsafe {
            let mut code = 0u8;
            if libc::unshare(libc::CLONE_NEWNET | libc::CLONE_NEWUTS) != 0
                || libc::sethostname(hostname.as_ptr(), hostname.to_bytes().len()) != 0
            {
                code = 1;
            }
            libc::write(ready_write.as_raw_fd(), std::ptr::from_ref(&code).cast(), 1);
            loop {
                libc::pause();
            }
        }
    }
    drop(ready_write);
    let mut code = [1u8];
    let answered = read(ready_read.as_raw_fd(), &mut code);
    let opened = match (answered, code[0]) {
        (Ok(1), 0) => std::fs::File::open(format!("/proc/{pid}/ns/net")).and_then(|net| {
            std::fs::File::open(format!("/proc/{pid}/ns/uts")).map(|uts| (net.into(), uts.into()))
        }),
        (Ok(1), _) => Err(io::Error::other(
            "unshare(CLONE_NEWNET | CLONE_NEWUTS) or sethostname failed",
        )),
        _ => Err(io::Error::other("the namespace holder died")),
    };
    let _ = kill(pid, libc::SIGKILL);
    let mut status = 0;
    // SAFETY: `status` is a live out-pointer and `pid` our child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    opened
}
