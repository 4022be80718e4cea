//! End-to-end tests of `lintseq javabench` on the handmade project in
//! `examples/javabench` (10 classes, 8 of them tasks, 7 test classes, 24
//! samples), whose expected records and metrics were computed by hand and
//! checked by running javac and JUnit by hand (`verify_expected.py`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/javabench")
}

fn lintseq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lintseq"))
        .args(args)
        .output()
        .expect("lintseq runs")
}

/// `lintseq javabench` on the example project with these samples.
fn javabench(samples: &Path, out: &Path, extra: &[&str]) -> Output {
    let root = example();
    let mut args = vec![
        "javabench",
        "--root",
        root.to_str().unwrap(),
        "--project",
        "PA01",
        "--samples",
        samples.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    lintseq(&args)
}

fn json_file(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_example_project_gives_the_hand_computed_records_and_metrics() {
    let root = example();
    let out = tempfile::tempdir().unwrap();
    let samples = root.join("output/holistic-selective/result-PA01/handmade/samples.jsonl");
    let output = javabench(&samples, out.path(), &["-j", "2", "--mode", "all"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("pass (test)"), "{stderr}");

    // javac's error count is ours (one javac over main and test sources,
    // not Gradle's two tasks): only whether it is 0 is JavaBench's.
    let expected = json_file(&root.join("expected/PA01/single_class.json"));
    let mut got = json_file(&out.path().join("single_class.json"));
    for record in got.as_array_mut().unwrap() {
        let errors = record["compile_errors"].as_u64().unwrap();
        record["compile_errors"] = json!(errors.min(1));
    }
    assert_eq!(got, expected);
    assert_eq!(
        json_file(&out.path().join("result-full.json")),
        json_file(&root.join("expected/PA01/result-full.json"))
    );
    // Key order too: test rows in file order, as JavaBench writes them.
    let text = fs::read_to_string(out.path().join("result-full.json")).unwrap();
    assert!(text.find("PA01/MemberTest") < text.find("PA01/LibraryTest"));

    let mut got = json_file(&out.path().join("project_wise.json"));
    for record in got.as_array_mut().unwrap() {
        let errors = record["compile_error"].as_u64().unwrap();
        record["compile_error"] = json!(errors.min(1));
    }
    assert_eq!(
        got,
        json_file(&root.join("expected/PA01/project_wise.json"))
    );

    let summary = json_file(&out.path().join("summary.json"));
    let expected = json_file(&root.join("expected/PA01/metrics.json"));
    for (metric, values) in expected.as_object().unwrap() {
        for (k, value) in values.as_object().unwrap() {
            let got = summary["metrics"][metric][k].as_f64().unwrap();
            let want = value.as_f64().unwrap();
            assert!((got - want).abs() < 1e-12, "{metric}@{k}: {got} != {want}");
        }
    }
    assert_eq!(summary["solution_tests"]["*"], json!([27, 27]));
    assert_eq!(summary["sandbox_errors"], json!([]));
    // Project-wise: k = 0 and 1 do not compile, k = 2 leaves a TODO.
    assert_eq!(summary["metrics"]["pass_project"]["1"], json!(0.0));
    for svg in [
        "pass_at_k_class.svg",
        "pass_at_k_test.svg",
        "pass_at_k_project.svg",
    ] {
        assert!(
            fs::read_to_string(out.path().join(svg))
                .unwrap()
                .starts_with("<svg")
        );
    }

    // Results are not overwritten without --force.
    let again = javabench(&samples, out.path(), &["--mode", "class-wise"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
}

/// A sample row for `Member` whose class body is `body`.
fn member(body: &str) -> String {
    let completion = format!(
        "```java\npublic class Member implements Searchable {{\n{body}\n    private final String id;\n    private final String name;\n    private int maxLoans;\n    public Member(String id, String name, int maxLoans) {{\n        if (id == null || id.isBlank() || name == null || name.isBlank()) throw new IllegalArgumentException();\n        this.id = id; this.name = name; setMaxLoans(maxLoans);\n    }}\n    public String getId() {{ return id; }}\n    public String getName() {{ return name; }}\n    public int getMaxLoans() {{ return maxLoans; }}\n    public void setMaxLoans(int m) {{ if (m < 1 || m > 10) throw new IllegalArgumentException(); maxLoans = m; }}\n    public boolean canBorrow(int c) {{ if (c < 0) throw new IllegalArgumentException(); return c < maxLoans; }}\n    public boolean matches(String q) {{\n        if (q == null || q.isBlank()) return false;\n        q = q.strip();\n        return id.equals(q) || name.toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT));\n    }}\n}}\n```\n"
    );
    json!({"task_id": "PA01/Member.java", "target": "library/model/Member.java", "completion": completion})
        .to_string()
}

/// Samples that attack the machine from a test run: each is contained,
/// the run ends within its deadline, every sample gets its record, and
/// nothing is left behind.
#[test]
fn hostile_project_samples_are_contained() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    let marker = "lintseq-javabench-hostile";
    let attacks = [
        // Correct, for reference.
        String::new(),
        // The JVM exits mid-run: no summary, so no test passes.
        "    static { if (Boolean.TRUE) System.exit(0); }".to_owned(),
        // Detached children meant to outlive the run, and a write outside.
        format!(
            "    static {{ try {{ new ProcessBuilder(\"/bin/sh\", \"-c\", \"sleep 600; echo {marker}\").start(); new ProcessBuilder(\"/bin/sh\", \"-c\", \"(setsid sleep 601 &) ; touch {}\").start().waitFor(); java.nio.file.Files.writeString(java.nio.file.Path.of(\"{}\"), \"x\"); }} catch (Exception e) {{ }} }}",
            outside.display(),
            outside.display()
        ),
        // Threads that spin forever on every core.
        "    static { for (int i = 0; i < 8; i++) { Thread t = new Thread(() -> { long n = 0; while (true) { n++; } }); t.setDaemon(false); t.start(); } }".to_owned(),
        // A class initialiser that never ends: every test that needs the
        // class waits on it.
        "    static volatile long spins; static { spin(); } static void spin() { while (true) { spins++; } }".to_owned(),
        // Memory until the cgroup says no.
        "    static final java.util.List<long[]> HOG = new java.util.ArrayList<>(); static { hog(); } static void hog() { while (true) { HOG.add(new long[1 << 20]); } }".to_owned(),
    ];
    let lines: Vec<String> = attacks.iter().map(|body| member(body)).collect();
    let samples = dir.path().join("samples.jsonl");
    fs::write(&samples, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("out");
    let started = Instant::now();
    let output = javabench(
        &samples,
        &out,
        &[
            "--mode",
            "class-wise",
            "--test-timeout",
            "2",
            "--timeout",
            "20",
            "-j",
            "2",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // Three runs of the solution and six samples, at most 20 s each beyond
    // compiling, on two workers.
    assert!(
        started.elapsed() < Duration::from_secs(150),
        "{:?}",
        started.elapsed()
    );
    let records = json_file(&out.join("single_class.json"));
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), attacks.len());
    assert_eq!(records[0]["test_result"], json!([27, 27]), "{records:?}");
    for (index, record) in records.iter().enumerate().skip(1) {
        assert_eq!(record["compile_errors"], json!(0), "{record}");
        let [passed, total] = [0, 1].map(|i| record["test_result"][i].as_u64().unwrap());
        assert_eq!(total, 27, "{record}");
        // Exiting, a class that never initialises and one that cannot get
        // its memory fail the tests that need Member (the others may pass);
        // processes and spinning threads harm nothing the tests see.
        if [1, 4, 5].contains(&index) {
            assert!(passed < 27, "{index}: {record}");
        }
    }
    assert!(!outside.exists(), "a sample wrote outside its sandbox");
    let left = Command::new("pgrep").args(["-f", marker]).output().unwrap();
    assert!(
        left.stdout.is_empty(),
        "processes outlived the run: {:?}",
        String::from_utf8_lossy(&left.stdout)
    );
    let sleepers = Command::new("pgrep")
        .args(["-f", "sleep 60[01]"])
        .output()
        .unwrap();
    assert!(sleepers.stdout.is_empty(), "processes outlived the run");
}
