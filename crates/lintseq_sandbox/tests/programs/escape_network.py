# The network namespace has only loopback, and it is down.
import errno
import socket

names = [name for _, name in socket.if_nameindex()]
assert names == ["lo"], names
for host in ("{IPV4}", "{IPV6}"):
    try:
        socket.create_connection((host, {PORT}), timeout=1)
    except OSError:
        pass
    else:
        raise AssertionError(f"connected to {host}")
try:
    socket.socket(socket.AF_UNIX)
except OSError as e:
    assert e.errno == errno.EAFNOSUPPORT, e
else:
    raise AssertionError("created a unix socket")
