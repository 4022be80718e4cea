# The sample user reads only world-readable files; root's are closed to it,
# and the directory holding the interpreter is hidden except for it.
import os

assert os.getuid() == 65534 and os.geteuid() == 65534, os.getuid()
assert os.getgid() == 65534 and os.getgroups() == [], os.getgroups()
try:
    open("{HOST_DIR}/secret").read()
except PermissionError:
    pass
else:
    raise AssertionError("read a 0600 file")
assert open("{HOST_DIR}/public").read() == "public"
for path in ("/etc/shadow", "/proc/1/environ", "/proc/1/mem"):
    try:
        open(path, "rb").read(1)
    except OSError:
        pass
    else:
        raise AssertionError(f"read {path}")
