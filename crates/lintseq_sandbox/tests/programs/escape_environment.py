# The harness's environment is nowhere to be seen: not in os.environ, not in
# any /proc/<pid>/environ the sample can read.
import os

SECRET = "{SECRET}"
assert all(SECRET not in value for value in os.environ.values()), dict(os.environ)
assert sorted(os.environ) == ["LANG", "OMP_NUM_THREADS", "PATH"], sorted(os.environ)
for pid in [p for p in os.listdir("/proc") if p.isdigit()] + ["self"]:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            environ = f.read()
    except OSError:
        continue
    assert SECRET.encode() not in environ, pid
