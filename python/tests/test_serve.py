"""`lintseq serve` against SandboxFusion's own Python client (`sandbox-fusion`
from PyPI, pinned in requirements-test.txt), unchanged, for every language
the server runs; and verl's reward call, restated from
`verl/utils/reward_score/sandbox_fusion/utils.py`: one `/run_code` per test
case with stdin, `memory_limit_MB` 1024, and a pass when the status is
Success and stdout matches.

Needs root and Linux namespaces (the sandbox) and the toolchains
`scripts/install-toolchains` installs."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
import urllib.request

import pytest

from conftest import serving

sandbox_fusion = pytest.importorskip("sandbox_fusion")
from sandbox_fusion import RunCodeRequest, RunStatus, run_code, run_code_async  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with serving("-j", "2") as url:
        yield url


PROGRAMS = {
    "python": "print(int(input()) * 2)",
    "cpp": "#include <iostream>\nint main(){ int n; std::cin >> n; std::cout << n * 2 << std::endl; }",
    "go": "package main\nimport \"fmt\"\nfunc main(){ var n int; fmt.Scan(&n); fmt.Println(n * 2) }",
    "java": "import java.util.*;\npublic class Main { public static void main(String[] a) {"
    " System.out.println(new Scanner(System.in).nextInt() * 2); } }",
    "nodejs": "console.log(parseInt(require('fs').readFileSync(0, 'utf8')) * 2)",
    "rust": "use std::io::Read;\nfn main(){ let mut s = String::new();"
    " std::io::stdin().read_to_string(&mut s).unwrap();"
    " println!(\"{}\", s.trim().parse::<i64>().unwrap() * 2); }",
    "bash": "read n; echo $((n * 2))",
}


@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_the_sandbox_fusion_client_runs_every_language(server, language):
    ok = run_code(
        RunCodeRequest(code=PROGRAMS[language], language=language, stdin="21", compile_timeout=60),
        endpoint=server,
        max_attempts=1,
    )
    assert ok.status == RunStatus.Success, ok
    assert ok.run_result.stdout == "42\n"
    assert ok.run_result.return_code == 0
    assert ok.message == ""
    compiled = language in ("cpp", "go", "java", "rust")
    assert (ok.compile_result is not None) == compiled


@pytest.mark.parametrize(
    "language,code",
    [
        ("python", "import sys\nprint('x', file=sys.stderr)\nsys.exit(3)"),
        ("cpp", "#include <cstdio>\nint main(){ fprintf(stderr, \"x\\n\"); return 3; }"),
        ("go", "package main\nimport (\"fmt\"; \"os\")\nfunc main(){ fmt.Fprintln(os.Stderr, \"x\"); os.Exit(3) }"),
        ("java", "public class Main { public static void main(String[] a) { System.err.println(\"x\"); System.exit(3); } }"),
        ("nodejs", "console.error('x'); process.exit(3)"),
        ("rust", "fn main(){ eprintln!(\"x\"); std::process::exit(3); }"),
        ("bash", "echo x >&2; exit 3"),
    ],
)
def test_exit_codes_and_stderr(server, language, code):
    failed = run_code(
        RunCodeRequest(code=code, language=language, compile_timeout=60), endpoint=server, max_attempts=1
    )
    assert failed.status == RunStatus.Failed, failed
    assert failed.run_result.return_code == 3
    assert failed.run_result.stderr == "x\n"


@pytest.mark.parametrize(
    "language,code",
    [
        ("cpp", "int main() { return undefined_name; }"),
        ("go", "package main\nfunc main() { undefined_name() }"),
        ("java", "public class Main { void f( }"),
        ("rust", "fn main() { undefined_name(); }"),
    ],
)
def test_compile_errors(server, language, code):
    broken = run_code(
        RunCodeRequest(code=code, language=language, compile_timeout=60), endpoint=server, max_attempts=1
    )
    assert broken.status == RunStatus.Failed, broken
    assert broken.compile_result.return_code != 0
    assert broken.compile_result.stderr
    assert broken.run_result is None


def test_timeouts(server):
    slow = run_code(
        RunCodeRequest(code="import time\nwhile True: time.sleep(0.1)", language="python", run_timeout=1),
        endpoint=server,
        max_attempts=1,
    )
    assert slow.status == RunStatus.Failed
    assert slow.run_result.status == "TimeLimitExceeded"
    assert slow.run_result.return_code is None
    spin = run_code(
        RunCodeRequest(code="int main(){ for(;;){} }", language="cpp", run_timeout=1, compile_timeout=60),
        endpoint=server,
        max_attempts=1,
    )
    assert spin.status == RunStatus.Failed
    assert spin.run_result.status == "TimeLimitExceeded"


def test_the_async_client(server):
    async def both():
        return await asyncio.gather(
            run_code_async(RunCodeRequest(code="print(1)", language="python"), endpoint=server, max_attempts=1),
            run_code_async(RunCodeRequest(code="echo 2", language="bash"), endpoint=server, max_attempts=1),
        )

    one, two = asyncio.run(both())
    assert (one.run_result.stdout, two.run_result.stdout) == ("1\n", "2\n")


def verl_case(url: str, code: str, stdin, expected) -> bool:
    """verl's call_sandbox_api and _process_single_case, restated: the
    request it sends and what it counts as a pass."""
    payload = {
        "compile_timeout": 10,
        "run_timeout": 10,
        "code": code,
        "stdin": stdin,
        "memory_limit_MB": 1024,
        "language": "python",
        "files": {},
        "fetch_files": [],
    }
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        result = json.loads(reply.read())
    run = result.get("run_result") or {}
    return (
        result["status"] == "Success"
        and run.get("status") == "Finished"
        and run["stdout"].rstrip("\n") == str(expected).rstrip("\n")
    )


def test_verl_reward_path(server):
    url = server + "/run_code"  # verl is given the full URL
    solution = "n = int(input())\nprint(sum(range(n + 1)))"
    cases = [("3", 6), ("10", 55), ("0", 0)]
    assert all(verl_case(url, solution, stdin, expected) for stdin, expected in cases)
    wrong = "n = int(input())\nprint(n)"
    assert [verl_case(url, wrong, s, e) for s, e in cases] == [False, False, True]
    # Threads under verl's memory limit: the limit is on resident memory, so
    # threaded runtimes still start (SandboxFusion's address-space limit
    # stops them).
    threads = "import threading\nt = threading.Thread(target=print, args=('ok',))\nt.start(); t.join()"
    assert verl_case(url, threads, None, "ok")


def hostile(server: str, code: str, language: str = "python", **options) -> dict:
    """Runs `code` through /run_code as any client would, raw JSON back."""
    payload = {"code": code, "language": language, "run_timeout": 3, **options}
    request = urllib.request.Request(
        server + "/run_code", data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.loads(reply.read())


def host_processes(needle: str) -> list[str]:
    """Command lines on this machine holding `needle` (but this process's)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if needle in command:
            found.append(command)
    return found


def test_hostile_programs_through_run_code_are_contained(server, tmp_path):
    """The sandbox's hostile suite, sent as a client would: nothing reaches
    the server, the host or the network, limits hold, nothing outlives its
    request, and the server goes on answering."""
    port = int(server.rsplit(":", 1)[1])
    # The server itself, over loopback: the program has no network.
    reach = hostile(server, f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)\nprint('reached')")
    assert reach["status"] == "Failed" and "reached" not in reach["run_result"]["stdout"], reach
    # Writing outside its directory, reading secrets.
    target = tmp_path / "written-by-a-sample"
    write = hostile(server, f"open({str(target)!r}, 'w').write('x')")
    assert write["status"] == "Failed" and not target.exists(), write
    shadow = hostile(server, "print(open('/etc/shadow').read())")
    assert shadow["status"] == "Failed" and "root:" not in shadow["run_result"]["stdout"], shadow
    # Its own processes only, as an unprivileged user.
    who = hostile(server, "import os\nprint(os.getuid(), len([p for p in os.listdir('/proc') if p.isdigit()]))")
    uid, visible = who["run_result"]["stdout"].split()
    assert uid == "65534" and int(visible) <= 3, who
    # Killing everything it can see.
    kill = hostile(server, "kill -9 -1; kill -9 1; echo survived", language="bash")
    assert kill["status"] in ("Success", "Failed"), kill
    # A fork bomb, held by the pids limit and cut at the deadline.
    bomb = hostile(server, "b() { b | b & }; b; sleep 5", language="bash", run_timeout=2)
    assert bomb["run_result"]["status"] == "TimeLimitExceeded", bomb
    # Memory: resident memory past the limit is killed.
    touch = "x = bytearray({size})\nfor i in range(0, len(x), 4096): x[i] = 1\nprint('kept')"
    hog = hostile(server, touch.format(size=1 << 30), memory_limit_MB=256)
    assert hog["status"] == "Failed" and hog["run_result"]["return_code"] == -9, hog
    fits = hostile(server, touch.format(size=100 << 20), memory_limit_MB=256)
    assert fits["run_result"]["stdout"] == "kept\n", fits
    # Files in its /tmp are memory too.
    disk = hostile(server, "dd if=/dev/zero of=/tmp/big bs=1M count=400 2>/dev/null && echo wrote", language="bash",
                   memory_limit_MB=256)
    assert "wrote" not in disk["run_result"]["stdout"], disk
    # Endless output is cut at 1 MiB and the run at its timeout.
    flood = hostile(server, "yes", language="bash", run_timeout=2)
    assert flood["run_result"]["status"] == "TimeLimitExceeded", flood["run_result"]["status"]
    assert len(flood["run_result"]["stdout"]) <= 1 << 20
    # A process left behind in the background dies with the program.
    marker = "31337.5"
    orphan = hostile(server, f"(sleep {marker} &) ; setsid sleep {marker} & echo started", language="bash")
    assert orphan["run_result"]["stdout"].startswith("started"), orphan
    time.sleep(0.5)
    assert host_processes(f"sleep {marker}") == []
    # And the server goes on.
    assert hostile(server, "print(6 * 7)")["run_result"]["stdout"] == "42\n"
    with urllib.request.urlopen(server + "/healthz", timeout=10) as reply:
        assert json.loads(reply.read())["status"] == "ok"


def test_sigterm_lets_the_programs_in_flight_finish():
    """SIGTERM stops accepting, answers what is running, then exits 0."""
    processes: list = []
    with serving("-j", "1", "--no-eval", processes=processes) as url:
        answers = []
        slow = threading.Thread(target=lambda: answers.append(
            hostile(url, "import time\ntime.sleep(2)\nprint('finished')", run_timeout=10)))
        slow.start()
        time.sleep(0.7)
        processes[0].send_signal(signal.SIGTERM)
        slow.join(timeout=60)
        assert answers and answers[0]["run_result"]["stdout"] == "finished\n", answers
        assert processes[0].wait(timeout=60) == 0, processes[0].stderr.read()
        with pytest.raises(OSError):
            urllib.request.urlopen(url + "/healthz", timeout=2)
