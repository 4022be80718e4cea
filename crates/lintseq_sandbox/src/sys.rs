//! The system calls the Rust side makes. Every `unsafe` block of the crate
//! is in this file; each wraps one call whose preconditions are local.

use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
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
