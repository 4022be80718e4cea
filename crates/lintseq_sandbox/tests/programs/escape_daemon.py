# A double-forked daemon that would write a marker forever, into its /tmp
# and into a host directory.
import ctypes
import os
import time

libc = ctypes.CDLL(None)
if libc.fork() == 0:
    try:
        os.setsid()
        if libc.fork() == 0:
            while True:
                for path in ("/tmp/daemon-alive", "{HOST_DIR}/daemon-alive"):
                    try:
                        with open(path, "w") as f:
                            f.write(str(time.time()))
                    except OSError:
                        pass
                time.sleep(0.1)
    finally:
        os._exit(0)
time.sleep(0.2)
assert open("/tmp/daemon-alive").read()
