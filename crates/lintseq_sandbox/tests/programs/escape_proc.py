# /proc shows the sample's own pid namespace only: the placeholder init
# (pid 1) and the sample (pid 2).
import os

pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
assert os.getpid() == 2, os.getpid()
assert os.getppid() == 0, os.getppid()
assert pids == [1, 2], pids
assert {ZYGOTE} not in pids
assert not os.path.exists("/proc/{ZYGOTE}")
