# Sample A leaves files for a later sample.
import os

for path in ("/tmp/secret", "/dev/shm/secret", "secret-in-cwd"):
    with open(path, "w") as f:
        f.write("from sample A")
assert os.path.exists("/tmp/secret")
