//! The service end to end over loopback: SandboxFusion's `/run_code` for
//! each language, bad requests, a full queue, the token, health and
//! metrics, `/v1/evaluate`'s stream and `/v1/reward`. Needs root and namespaces (the sandbox), and the toolchains
//! `scripts/install-toolchains` installs.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use lintseq_eval::Problem;
use lintseq_sandbox::eval::SandboxConfig;
use lintseq_serve::{Evaluation, ServeConfig};
use serde_json::{Value, json};

fn start(config: impl FnOnce(&mut ServeConfig)) -> SocketAddr {
    let mut settings = ServeConfig::new("127.0.0.1:0".parse().unwrap(), 2);
    config(&mut settings);
    let app = lintseq_serve::router(&settings).expect("the service starts");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    receiver.recv().unwrap()
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn http(address: SocketAddr, method: &str, path: &str, extra: &str, body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: headers.to_owned(),
        body: body.to_owned(),
    }
}

fn post(address: SocketAddr, path: &str, body: &Value) -> Reply {
    http(address, "POST", path, "", body.to_string().as_bytes())
}

fn run_code(address: SocketAddr, request: &Value) -> Value {
    let reply = post(address, "/run_code", request);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

#[test]
fn python_runs_with_stdin_files_and_timeouts() {
    let address = start(|_| {});
    let ok = run_code(
        address,
        &json!({"language": "python", "code": "print(int(input()) * 2)", "stdin": "21"}),
    );
    assert_eq!(ok["status"], "Success", "{ok}");
    assert_eq!(ok["message"], "");
    assert_eq!(ok["compile_result"], Value::Null);
    assert_eq!(ok["run_result"]["status"], "Finished");
    assert_eq!(ok["run_result"]["return_code"], 0);
    assert_eq!(ok["run_result"]["stdout"], "42\n");
    assert!(ok["run_result"]["execution_time"].as_f64().unwrap() > 0.0);
    let failed = run_code(
        address,
        &json!({"language": "python", "code": "import sys\nprint('out')\nprint('err', file=sys.stderr)\nraise ValueError('boom')"}),
    );
    assert_eq!(failed["status"], "Failed", "{failed}");
    assert_eq!(failed["run_result"]["return_code"], 1);
    assert_eq!(failed["run_result"]["stdout"], "out\n");
    assert!(
        failed["run_result"]["stderr"]
            .as_str()
            .unwrap()
            .contains("ValueError: boom")
    );
    let slow = run_code(
        address,
        &json!({"language": "python", "code": "import time\nprint('before', flush=True)\ntime.sleep(30)", "run_timeout": 0.5}),
    );
    assert_eq!(slow["status"], "Failed", "{slow}");
    assert_eq!(slow["run_result"]["status"], "TimeLimitExceeded");
    assert_eq!(slow["run_result"]["return_code"], Value::Null);
    assert_eq!(slow["run_result"]["stdout"], "before\n");
    let files = run_code(
        address,
        &json!({"language": "python",
                "code": "print(open('d/in.txt').read()); open('out.txt', 'w').write('hello')",
                "files": {"d/in.txt": "c2VjcmV0", "skip.txt": null},
                "fetch_files": ["out.txt", "missing.txt", "/etc/hostname", "../x"]}),
    );
    assert_eq!(files["status"], "Success", "{files}");
    assert_eq!(files["run_result"]["stdout"], "secret\n");
    assert_eq!(files["files"], json!({"out.txt": "aGVsbG8="}));
    // The sandbox holds: the host is out of reach.
    let escape = run_code(
        address,
        &json!({"language": "python", "code": "open('/usr/lintseq-serve-escape', 'w')"}),
    );
    assert_eq!(escape["status"], "Failed", "{escape}");
    assert!(!std::path::Path::new("/usr/lintseq-serve-escape").exists());
}

#[test]
fn compiled_languages_compile_then_run() {
    let address = start(|_| {});
    let cases = [
        (
            "cpp",
            "#include <iostream>\nint main(){int a,b; std::cin>>a>>b; std::cout<<a+b<<std::endl; return 0;}",
        ),
        (
            "java",
            "import java.util.*;\npublic class Main { public static void main(String[] a){ Scanner s=new Scanner(System.in); int x=s.nextInt(), y=s.nextInt(); System.out.println(x+y);} }",
        ),
        (
            "go",
            "package main\nimport \"fmt\"\nfunc main(){ var a, b int; fmt.Scan(&a, &b); fmt.Println(a+b) }",
        ),
        (
            "rust",
            "use std::io::Read;\nfn main(){ let mut s=String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let n: i64 = s.split_whitespace().map(|x| x.parse::<i64>().unwrap()).sum(); println!(\"{}\", n); }",
        ),
    ];
    for (language, code) in cases {
        let ok = run_code(
            address,
            &json!({"language": language, "code": code, "stdin": "2 3", "compile_timeout": 60}),
        );
        assert_eq!(ok["status"], "Success", "{language}: {ok}");
        assert_eq!(ok["compile_result"]["status"], "Finished", "{language}");
        assert_eq!(ok["compile_result"]["return_code"], 0, "{language}");
        assert_eq!(ok["run_result"]["stdout"], "5\n", "{language}");
    }
    for (language, code) in [
        ("cpp", "int main(){ object i = 1; }"),
        ("java", "public class Solution { }"),
        ("go", "package main\nfunc main(){ x := 1 }"),
        ("rust", "fn main(){ let x: i32 = \"s\"; }"),
    ] {
        let broken = run_code(
            address,
            &json!({"language": language, "code": code, "compile_timeout": 60}),
        );
        assert_eq!(broken["status"], "Failed", "{language}: {broken}");
        assert_ne!(broken["compile_result"]["return_code"], 0, "{language}");
        assert!(
            !broken["compile_result"]["stderr"]
                .as_str()
                .unwrap()
                .is_empty(),
            "{language}"
        );
        assert_eq!(broken["run_result"], Value::Null, "{language}");
    }
    let aborted = run_code(
        address,
        &json!({"language": "cpp", "code": "#include <cassert>\nint main(){ assert(1 == 2); }", "compile_timeout": 60}),
    );
    assert_eq!(aborted["status"], "Failed", "{aborted}");
    assert_eq!(aborted["run_result"]["return_code"], -6);
}

#[test]
fn interpreted_languages_run() {
    let address = start(|_| {});
    let node = run_code(
        address,
        &json!({"language": "nodejs", "code": "const s = require('fs').readFileSync(0, 'utf8'); console.log(parseInt(s) * 2); console.error('e');", "stdin": "21"}),
    );
    assert_eq!(node["status"], "Success", "{node}");
    assert_eq!(node["run_result"]["stdout"], "42\n");
    assert_eq!(node["run_result"]["stderr"], "e\n");
    let bash = run_code(
        address,
        &json!({"language": "bash", "code": "read x; echo $((x*2)); exit 2", "stdin": "21"}),
    );
    assert_eq!(bash["status"], "Failed", "{bash}");
    assert_eq!(bash["run_result"]["return_code"], 2);
    assert_eq!(bash["run_result"]["stdout"], "42\n");
}

#[test]
fn bad_requests_get_400_naming_the_field_and_big_ones_413() {
    let address = start(|config| config.max_body_bytes = 1 << 20);
    for (body, field) in [
        ("{", ""),
        (r#"{"language": "python"}"#, "code"),
        (r#"{"code": "1", "language": "cobol"}"#, "language"),
        (
            r#"{"code": "1", "language": "python", "run_timeout": "soon"}"#,
            "run_timeout",
        ),
        (
            r#"{"code": "1", "language": "python", "files": {"/etc/passwd": "eA=="}}"#,
            "files./etc/passwd",
        ),
    ] {
        let reply = http(address, "POST", "/run_code", "", body.as_bytes());
        assert_eq!(reply.status, 400, "{body}: {}", reply.body);
        assert_eq!(reply.json()["field"], field, "{body}");
    }
    let big = json!({"language": "python", "code": "x".repeat(2 << 20)}).to_string();
    let reply = http(address, "POST", "/run_code", "", big.as_bytes());
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(http(address, "GET", "/run_code", "", b"").status, 405);
}

#[test]
fn a_full_queue_answers_429_at_once_and_every_accepted_request_is_answered() {
    let address = start(|config| {
        config.workers = 1;
        config.queue = 1;
    });
    let slow = json!({"language": "python", "code": "import time\ntime.sleep(1.5)\nprint('done')"})
        .to_string();
    let threads: Vec<_> = (0..5)
        .map(|_| {
            let slow = slow.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let reply = http(address, "POST", "/run_code", "", slow.as_bytes());
                (reply, started.elapsed())
            })
        })
        .collect();
    let replies: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let ok = replies.iter().filter(|(r, _)| r.status == 200).count();
    let refused: Vec<_> = replies.iter().filter(|(r, _)| r.status == 429).collect();
    assert_eq!(
        ok + refused.len(),
        5,
        "{:?}",
        replies.iter().map(|(r, _)| r.status).collect::<Vec<_>>()
    );
    assert!(
        ok >= 1 && !refused.is_empty(),
        "ok {ok}, refused {}",
        refused.len()
    );
    for (reply, took) in &refused {
        assert!(
            reply
                .headers
                .to_ascii_lowercase()
                .contains("retry-after: 1"),
            "{}",
            reply.headers
        );
        assert!(
            *took < Duration::from_secs(1),
            "refused only after {took:?}"
        );
    }
    for (reply, _) in replies.iter().filter(|(r, _)| r.status == 200) {
        assert_eq!(reply.json()["run_result"]["stdout"], "done\n");
    }
}

#[test]
fn the_token_is_required_when_set_and_outside_loopback() {
    let address = start(|config| config.token = Some("s3cret".to_owned()));
    let body = json!({"language": "bash", "code": "echo hi"}).to_string();
    let bare = http(address, "POST", "/run_code", "", body.as_bytes());
    assert_eq!(bare.status, 401);
    let wrong = http(
        address,
        "POST",
        "/run_code",
        "Authorization: Bearer s3creT\r\n",
        body.as_bytes(),
    );
    assert_eq!(wrong.status, 401);
    let right = http(
        address,
        "POST",
        "/run_code",
        "Authorization: Bearer s3cret\r\n",
        body.as_bytes(),
    );
    assert_eq!(right.status, 200, "{}", right.body);
    assert_eq!(http(address, "GET", "/metrics", "", b"").status, 401);
    // Health needs no token.
    assert_eq!(http(address, "GET", "/healthz", "", b"").status, 200);
    let open = ServeConfig::new("0.0.0.0:0".parse().unwrap(), 1);
    let refused = lintseq_serve::router(&open).unwrap_err();
    assert!(refused.contains("token"), "{refused}");
}

#[test]
fn health_and_metrics_report_the_work() {
    let address = start(|_| {});
    run_code(address, &json!({"language": "bash", "code": "echo hi"}));
    run_code(address, &json!({"language": "bash", "code": "exit 3"}));
    let health = http(address, "GET", "/healthz", "", b"");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(health.json()["workers"], 2);
    let metrics = http(address, "GET", "/metrics", "", b"");
    assert_eq!(metrics.status, 200);
    for needle in [
        "lintseq_queue_depth 0",
        "lintseq_in_flight 0",
        "lintseq_results_total{language=\"bash\",status=\"Success\"} 1",
        "lintseq_results_total{language=\"bash\",status=\"Failed\"} 1",
        "lintseq_requests_total{endpoint=\"run_code\",code=\"200\"} 2",
        "lintseq_run_seconds_count 2",
    ] {
        assert!(
            metrics.body.contains(needle),
            "{needle} in:\n{}",
            metrics.body
        );
    }
}

/// The problem `T/0`: `f(2) == 4`.
fn t0() -> Problem {
    Problem::parse(
        r#"{"task_id": "T/0", "prompt": "def f(x):\n", "test": "def check(c):\n    assert c(2) == 4\n", "entry_point": "f"}"#,
    )
    .unwrap()
}

/// A server that evaluates, holding one problem, `T/0`.
fn start_evaluating(workers: usize) -> SocketAddr {
    let problem = t0();
    let problems = BTreeMap::from([("T/0".to_owned(), problem)]);
    start_evaluating_with(
        workers,
        problems,
        Duration::from_secs(2),
        "/usr/bin/python3",
    )
}

/// A server that evaluates, holding `problems`.
fn start_evaluating_with(
    workers: usize,
    problems: BTreeMap<String, Problem>,
    timeout: Duration,
    python: &str,
) -> SocketAddr {
    let python = python.to_owned();
    start(|config| {
        config.workers = workers;
        config.evaluation = Some(Evaluation {
            sandbox: SandboxConfig {
                python: python.into(),
                memory_mb: 1024,
                no_sandbox: false,
                lazy_rust: true,
                note: |_| {},
            },
            timeout,
            problems,
        });
    })
}

/// A chunked body, joined.
fn dechunk(reply: &Reply) -> String {
    if !reply
        .headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return reply.body.clone();
    }
    let mut rest = reply.body.as_str();
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    out
}

#[test]
fn evaluate_streams_one_eval_result_per_item() {
    let address = start_evaluating(2);
    let sample =
        |completion: &str, n: u64| json!({"task_id": "T/0", "completion": completion, "n": n});
    let js_problem = json!({
        "task_id": "JavaScript/0",
        "prompt": "const double = (x) => {\n",
        "test": "const assert = require('node:assert');\nassert.deepEqual(double(2), 4);\n",
        "entry_point": "double",
    });
    let body = json!({"items": [
        {"sample": sample("    return 2 * x\n", 0)},
        {"sample": sample("    return x\n", 1)},
        {"sample": sample("    while True: pass\n", 2)},
        {"sample": sample("    return 2 * x\n", 3), "problem": {"task_id": "T/0", "prompt": "def f(x):\n", "test": "def check(c):\n    assert c(2) == 5\n", "entry_point": "f"}},
        {"sample": {"task_id": "JavaScript/0", "generation": "  return 2 * x;\n};\n"}, "problem": js_problem},
    ]});
    let reply = post(address, "/v1/evaluate", &body);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.headers.contains("application/x-ndjson"),
        "{}",
        reply.headers
    );
    let rows: Vec<Value> = dechunk(&reply)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(rows.len(), 5, "{rows:?}");
    let mut by_index = BTreeMap::new();
    for row in rows {
        let index = row["index"].as_u64().unwrap();
        assert!(by_index.insert(index, row).is_none(), "index {index} twice");
    }
    let status = |i: u64| by_index[&i]["status"].as_str().unwrap().to_owned();
    assert_eq!(status(0), "passed");
    assert_eq!(status(1), "failed");
    assert_eq!(status(2), "timeout");
    assert_eq!(status(3), "failed");
    assert_eq!(status(4), "passed", "{:?}", by_index[&4]);
    // The rows are `lintseq eval`'s: the sample echoed, the verdict added.
    assert_eq!(by_index[&1]["n"], 1);
    assert_eq!(by_index[&0]["passed"], true);
    assert_eq!(by_index[&2]["result"], "timed out");
    for key in ["duration_seconds", "peak_memory_bytes", "task_id"] {
        assert!(by_index[&0].get(key).is_some(), "{key}");
    }

    let bad = http(
        address,
        "POST",
        "/v1/evaluate",
        "",
        br#"{"items": [{"sample": {"task_id": "U/9", "completion": "x"}}]}"#,
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["field"], "items[0].problem");
}

#[test]
fn rewards_take_openrlhf_requests() {
    let address = start_evaluating(2);
    let echo = json!({"tests": [
        {"input": "3\n", "output": "6"},
        {"input": "5\n", "output": "10"},
        {"input": "1\n", "output": "3"},
        {"input": "0\n", "output": "1"},
    ]});
    let body = json!({
        "query": [
            "PROMPT    return 2 * x\n",
            "PROMPT    return x\n",
            "Here it is:\n```python\ndef f(x):\n    return x + x\n```\n",
            "```python\nprint(2 * int(input()))\n```",
            "",
        ],
        "prompts": ["PROMPT", "PROMPT", "", "", ""],
        "labels": ["T/0", "T/0", "T/0", echo, echo.to_string()],
    });
    let reply = post(address, "/v1/reward", &body);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["rewards"], json!([1.0, 0.0, 1.0, 0.0, 0.0]));
    let partial = post(address, "/v1/reward?partial=1", &body);
    assert_eq!(partial.json()["rewards"], json!([1.0, 0.0, 1.0, 0.5, 0.0]));

    let bad = http(
        address,
        "POST",
        "/v1/reward",
        "",
        br#"{"query": ["x"], "labels": ["U/9"]}"#,
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["field"], "labels[0]");
}

#[test]
fn a_client_that_leaves_mid_stream_leaves_the_server_serving() {
    let address = start_evaluating(1);
    let items: Vec<Value> = (0..6)
        .map(|_| json!({"sample": {"task_id": "T/0", "completion": "    import time; time.sleep(0.5); return 2 * x\n"}}))
        .collect();
    let body = json!({ "items": items }).to_string();
    let mut stream = TcpStream::connect(address).unwrap();
    let head = format!(
        "POST /v1/evaluate HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    // Read until the first result has arrived, then hang up.
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("\"index\"") {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "the stream ended early");
        seen.extend_from_slice(&buffer[..n]);
    }
    drop(stream);
    // The items not started yet are skipped, and the server answers others.
    let started = std::time::Instant::now();
    loop {
        let health = http(address, "GET", "/healthz", "", b"").json();
        if health["queued"] == 0 && health["in_flight"] == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the abandoned items are still queued: {health}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The items not started when it left were never run.
    let metrics = http(address, "GET", "/metrics", "", b"").body;
    let ran: u64 = metrics
        .lines()
        .filter(|line| line.starts_with("lintseq_results_total{language=\"python\""))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    assert!(ran < 6, "all six items ran:\n{metrics}");
    let body = json!({"query": ["    return 2 * x\n"], "labels": ["T/0"]});
    let reply = post(address, "/v1/reward", &body);
    assert_eq!(reply.json()["rewards"], json!([1.0]));
}

/// This process's children whose command is `name`.
fn children_named(name: &str) -> Vec<i32> {
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...
        let Some((head, tail)) = stat.rsplit_once(") ") else {
            continue;
        };
        let comm = head.split_once(" (").map_or("", |(_, comm)| comm);
        let ppid = tail.split(' ').nth(1).unwrap_or("");
        if ppid == me && comm.starts_with(name) {
            found.push(entry.file_name().to_string_lossy().parse().unwrap());
        }
    }
    found
}

#[test]
fn a_worker_killed_mid_sample_answers_sandbox_error_and_is_replaced() {
    // Its interpreter under a name of its own, so that only this test's
    // zygotes are killed (the tests of this file share one process).
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("zygote-victim");
    let python = std::fs::canonicalize("/usr/bin/python3").unwrap();
    std::os::unix::fs::symlink(&python, &victim).unwrap();
    let problem = t0();
    let address = start_evaluating_with(
        1,
        BTreeMap::from([("T/0".to_owned(), problem)]),
        Duration::from_secs(2),
        victim.to_str().unwrap(),
    );
    let slow = json!({"items": [{"sample": {"task_id": "T/0", "completion": "    import time; time.sleep(1.5); return 2 * x\n"}}]});
    let killer = std::thread::spawn(|| {
        // Wait for the worker's warm interpreter, then for the sample to start.
        let started = std::time::Instant::now();
        while children_named("zygote-victim").is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no zygote appeared"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(700));
        for pid in children_named("zygote-victim") {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
    });
    let reply = post(address, "/v1/evaluate", &slow);
    killer.join().unwrap();
    let row: Value = serde_json::from_str(dechunk(&reply).trim()).unwrap();
    assert_eq!(row["status"], "sandbox_error", "{row}");
    assert_eq!(row["index"], 0);
    // The next sample runs on a restarted interpreter.
    let body =
        json!({"items": [{"sample": {"task_id": "T/0", "completion": "    return 2 * x\n"}}]});
    let reply = post(address, "/v1/evaluate", &body);
    let row: Value = serde_json::from_str(dechunk(&reply).trim()).unwrap();
    assert_eq!(row["status"], "passed", "{row}");
}

#[test]
fn truncated_and_10_mb_bodies_are_refused_and_the_server_goes_on() {
    let address = start(|_| {});
    for sent in [0usize, 10, 500] {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let body = br#"{"code": "print(1)", "language": "python", "stdin": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#;
        let head = "POST /run_code HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body[..sent.min(body.len())]).unwrap();
        // Half-close: the rest of the body never comes.
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
            "a truncated body got {answer}"
        );
    }
    // 10 MB bodies, past the default 8 MiB limit, on every endpoint.
    let huge = json!({"language": "python", "code": "x".repeat(10 << 20)});
    for path in ["/run_code", "/v1/evaluate", "/v1/reward"] {
        assert_eq!(post(address, path, &huge).status, 413, "{path}");
    }
    assert_eq!(
        run_code(address, &json!({"language": "python", "code": "print(1)"}))["status"],
        "Success"
    );
}

#[test]
fn verilog_eval_problems_of_a_dataset_folder_evaluate_with_failure_classes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("dataset_spec-to-rtl");
    std::fs::create_dir(&data).unwrap();
    let test = "`timescale 1 ps/1 ps\nmodule tb();\n  reg a = 0, b = 0;\n  wire r, d;\n  integer mismatches = 0;\n  \
                RefModule good(.a(a), .b(b), .out(r));\n  TopModule top(.a(a), .b(b), .out(d));\n  initial begin\n    \
                repeat (8) begin\n      #5 {a, b} = $random;\n      #5 if (r !== d) mismatches = mismatches + 1;\n    end\n    \
                $display(\"Mismatches: %1d in %1d samples\", mismatches, 8);\n    $finish;\n  end\nendmodule\n";
    std::fs::write(data.join("Prob001_and_test.sv"), test).unwrap();
    std::fs::write(
        data.join("Prob001_and_ref.sv"),
        "module RefModule (input a, input b, output out);\n  assign out = a & b;\nendmodule\n",
    )
    .unwrap();
    std::fs::write(data.join("Prob001_and_prompt.txt"), "out = a AND b.\n").unwrap();
    let (problems, _) = lintseq_eval::verilog::load_dataset(&data).unwrap();
    let address = start_evaluating_with(
        2,
        problems
            .into_iter()
            .map(|p| (p.task_id.clone(), p))
            .collect(),
        Duration::from_secs(10),
        "/usr/bin/python3",
    );
    let module = |gate: &str| {
        format!(
            "```verilog\nmodule TopModule (input a, input b, output out);\n  assign out = a {gate} b;\nendmodule\n```"
        )
    };
    let body = json!({"items": [
        {"sample": {"task_id": "Prob001_and", "completion": module("&")}},
        {"sample": {"task_id": "Prob001_and", "completion": module("|")}},
        {"sample": {"task_id": "Prob001_and", "completion": module("&&&")}},
    ]});
    let reply = post(address, "/v1/evaluate", &body);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut rows: Vec<Value> = dechunk(&reply)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    rows.sort_by_key(|row| row["index"].as_u64());
    let got: Vec<(&str, Value)> = rows
        .iter()
        .map(|row| {
            (
                row["status"].as_str().unwrap(),
                row["failure_class"].clone(),
            )
        })
        .collect();
    assert_eq!(got[0], ("passed", Value::Null), "{rows:?}");
    assert_eq!(got[1].0, "failed", "{rows:?}");
    assert_eq!(got[2].0, "compile_error", "{rows:?}");
    assert!(got[1].1.is_string() && got[2].1.is_string(), "{rows:?}");
}
