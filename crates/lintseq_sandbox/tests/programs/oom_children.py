# Three children of 300 MiB each fit their address-space limit but not,
# together, the memory cgroup: the OOM killer takes at least one.
import ctypes
import os
import time

libc = ctypes.CDLL(None)
children = []
for _ in range(3):
    pid = libc.fork()
    if pid == 0:
        try:
            block = b"x" * (300 << 20)
            time.sleep(2)
        finally:
            os._exit(0)
    children.append(pid)
killed = 0
for pid in children:
    _, status = os.waitpid(pid, 0)
    killed += os.WIFSIGNALED(status) and os.WTERMSIG(status) == 9
assert killed >= 1, killed
