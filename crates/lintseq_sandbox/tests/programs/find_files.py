# Sample B looks for them.
import os

for path in ("/tmp/secret", "/dev/shm/secret", "secret-in-cwd"):
    assert not os.path.exists(path), path
assert os.listdir("/dev/shm") == [], os.listdir("/dev/shm")
# /tmp holds only this sample's working directory.
assert len(os.listdir("/tmp")) == 1, os.listdir("/tmp")
