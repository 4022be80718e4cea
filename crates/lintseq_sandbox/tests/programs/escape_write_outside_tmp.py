# Every path outside the sandbox's own /tmp and /dev/shm is read-only,
# including a host directory that anyone may write to.
import errno

targets = [
    "{HOST_DIR}/written-by-sample",
    "{CWD}/written-by-sample",
    "/etc/written-by-sample",
    "/var/tmp/written-by-sample",
    "/usr/written-by-sample",
    "/root/written-by-sample",
    "/proc/sys/vm/drop_caches",
]
for path in targets:
    try:
        with open(path, "w") as f:
            f.write("x")
    except OSError as e:
        assert e.errno in (errno.EROFS, errno.EACCES, errno.ENOENT, errno.EPERM), (path, e)
    else:
        raise AssertionError(f"wrote {path}")
