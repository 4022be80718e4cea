# No new namespaces, no mounts, no remounting the read-only root, no ptrace.
import ctypes
import errno

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000
CLONE_NEWNS = 0x00020000
MS_REMOUNT, MS_BIND = 0x20, 0x1000

def denied(result, *codes):
    return result == -1 and ctypes.get_errno() in codes

assert denied(libc.unshare(CLONE_NEWUSER), errno.EPERM)
assert denied(libc.unshare(CLONE_NEWNS), errno.EPERM)
assert denied(libc.mount(b"none", b"/tmp", b"tmpfs", 0, None), errno.EPERM)
assert denied(libc.mount(None, b"/", None, MS_REMOUNT | MS_BIND, None), errno.EPERM)
assert denied(libc.ptrace(16, 1, None, None), errno.EPERM)  # PTRACE_ATTACH
assert denied(libc.setuid(0), errno.EPERM)
assert denied(libc.chroot(b"/tmp"), errno.EPERM)
