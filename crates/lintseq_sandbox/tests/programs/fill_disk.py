# Fill the private /tmp and /dev/shm until ENOSPC; one file may not grow
# past RLIMIT_FSIZE.
import errno


def fill(directory):
    n = 0
    try:
        while True:
            with open(f"{directory}/fill{n}", "wb") as f:
                f.write(b"0" * (8 << 20))
            n += 1
    except OSError as e:
        assert e.errno == errno.ENOSPC, e
    assert n <= 8, n


fill("/tmp")
fill("/dev/shm")
try:
    with open("/dev/shm/huge", "wb") as f:
        f.write(b"0" * (17 << 20))
except OSError as e:
    assert e.errno in (errno.EFBIG, errno.ENOSPC), e
else:
    raise AssertionError("wrote 17 MiB")
