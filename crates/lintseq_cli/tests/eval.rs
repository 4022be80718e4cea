//! End-to-end tests of `lintseq eval`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn lintseq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lintseq"))
        .args(args)
        .output()
        .expect("lintseq runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn rows(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn problems(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("problems.jsonl");
    let rows = [
        json!({
            "task_id": "T/0",
            "prompt": "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n",
            "entry_point": "add",
            "canonical_solution": "    return a + b\n",
            "test": "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n",
        }),
        json!({
            "task_id": "T/1",
            "prompt": "def double(x):\n",
            "entry_point": "double",
            "canonical_solution": "    return 2 * x\n",
            "test": "def check(candidate):\n    assert candidate(4) == 8\n",
        }),
        // Missing `test`: reported and skipped.
        json!({"task_id": "T/2", "prompt": "", "entry_point": "f"}),
    ];
    let text: Vec<String> = rows.iter().map(Value::to_string).collect();
    fs::write(&path, text.join("\n") + "\n").unwrap();
    path
}

#[test]
fn evaluates_every_kind_of_sample_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let problems = problems(dir.path());
    let samples = dir.path().join("samples.jsonl");
    let lines = [
        json!({"task_id": "T/0", "completion": "    return a + b\n"}).to_string(),
        json!({"task_id": "T/0", "completion": "    return a - b\n"}).to_string(),
        json!({"task_id": "T/0", "completion": "    raise ValueError('nope')\n"}).to_string(),
        json!({"task_id": "T/0", "completion": "    while True:\n        pass\n"}).to_string(),
        json!({"task_id": "T/1", "solution": "def double(x):\n    return x + x\n"}).to_string(),
        json!({"task_id": "T/1", "edit_path": ["@@ -0,0 +1,2 @@\n+def double(x):\n+    return 2 * x"]}).to_string(),
        json!({"task_id": "T/1", "output": "<|diff|>@@ -0,0 +1 @@\n+def double(x):\n<|diff|>@@ -1,0 +2 @@\n+    return x * 3\n"}).to_string(),
        json!({"task_id": "T/9", "completion": "x"}).to_string(),
        "{not json".to_string(),
        json!({"task_id": "T/1"}).to_string(),
    ];
    fs::write(&samples, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("results.jsonl");
    let output = lintseq(&[
        "eval",
        "--problems",
        problems.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-j",
        "2",
        "--timeout",
        "1",
        "-k",
        "1,2,10",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let results = rows(&out);
    assert_eq!(results.len(), lines.len());
    let got: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["status"].as_str().unwrap(), r["result"].as_str().unwrap()))
        .collect();
    assert_eq!(got[0], ("passed", "passed"));
    assert_eq!(got[1], ("failed", "failed: "));
    assert_eq!(got[2], ("error", "failed: nope"));
    assert_eq!(got[3], ("timeout", "timed out"));
    assert_eq!(got[4], ("passed", "passed"));
    assert_eq!(got[5], ("passed", "passed"));
    assert_eq!(got[6], ("failed", "failed: "));
    assert_eq!(got[7].0, "error");
    assert!(got[7].1.contains("unknown task_id"), "{}", got[7].1);
    assert!(got[8].1.contains("malformed JSON"), "{}", got[8].1);
    assert!(got[9].1.contains("no `completion`"), "{}", got[9].1);
    assert_eq!(results[0]["task_id"], "T/0");
    assert_eq!(results[0]["passed"], true);
    assert!(results[0]["duration_seconds"].as_f64().is_some());

    let err = stderr(&output);
    assert!(
        err.contains("problems row 2 (line 3): missing field `test`"),
        "{err}"
    );
    assert!(
        err.contains("sample row 7 (line 8): unknown task_id"),
        "{err}"
    );
    assert!(
        err.contains("sample row 8 (line 9): malformed JSON"),
        "{err}"
    );
    assert!(err.contains("pass@1"), "{err}");

    let summary: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("results.summary.json")).unwrap())
            .unwrap();
    // T/0: 1 of 4 passed; T/1: 2 of 3. pass@1 = (0.25 + 2/3) / 2.
    let pass1 = summary["pass_at_k"]["pass@1"].as_f64().unwrap();
    assert!((pass1 - (0.25 + 2.0 / 3.0) / 2.0).abs() < 1e-9, "{pass1}");
    assert!(summary["pass_at_k"]["pass@2"].is_number());
    assert_eq!(summary["pass_at_k_unavailable"], json!([10]));
    assert_eq!(summary["samples_not_run"], 3);
    let svg = fs::read_to_string(dir.path().join("results.pass_at_k.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("polyline"));
}

#[test]
fn check_canonical_refuses_to_score_when_a_canonical_solution_fails() {
    let dir = tempfile::tempdir().unwrap();
    let problems = dir.path().join("problems.jsonl");
    let row = json!({
        "task_id": "T/0",
        "prompt": "def f():\n",
        "entry_point": "f",
        "canonical_solution": "    return 1\n",
        "test": "def check(candidate):\n    assert candidate() == 2\n",
    });
    fs::write(&problems, row.to_string() + "\n").unwrap();
    let samples = dir.path().join("samples.jsonl");
    fs::write(
        &samples,
        json!({"task_id": "T/0", "completion": "    return 2\n"}).to_string() + "\n",
    )
    .unwrap();
    let out = dir.path().join("results.jsonl");
    let args = [
        "eval",
        "--problems",
        problems.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--check-canonical",
    ];
    let output = lintseq(&args);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("canonical solution failed: T/0"), "{err}");
    assert!(err.contains("refusing to score"), "{err}");
    assert!(!out.exists());
}

#[test]
fn refuses_to_overwrite_results_and_rejects_bad_k() {
    let dir = tempfile::tempdir().unwrap();
    let problems = problems(dir.path());
    let samples = dir.path().join("samples.jsonl");
    fs::write(
        &samples,
        json!({"task_id": "T/1", "completion": "    return 2 * x\n"}).to_string() + "\n",
    )
    .unwrap();
    let out = dir.path().join("results.jsonl");
    fs::write(&out, "keep\n").unwrap();
    let base = [
        "eval",
        "--problems",
        problems.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let output = lintseq(&base);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--force"));
    assert_eq!(fs::read_to_string(&out).unwrap(), "keep\n");
    let mut bad_k = base.to_vec();
    bad_k.extend(["--force", "-k", "1,zero"]);
    let output = lintseq(&bad_k);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("-k takes positive integers"),
        "{}",
        stderr(&output)
    );
}

/// HumanEval-X's shape: the language from the task id prefix (or
/// --language), compiled in the sandbox, compile failures as their own status.
#[test]
fn humaneval_x_problems_compile_and_run_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let problems = dir.path().join("humaneval_x.jsonl");
    let cpp = json!({
        "task_id": "CPP/0",
        "prompt": "#include<stdio.h>\nusing namespace std;\nint add(int a, int b){\n",
        "declaration": "int add(int a, int b){\n",
        "canonical_solution": "    return a + b;\n}\n",
        "test": "#undef NDEBUG\n#include<assert.h>\nint main(){\n    assert (add(1, 2) == 3);\n}\n",
        "example_test": "",
    });
    let js = json!({
        "task_id": "JavaScript/0",
        "prompt": "const add = (a, b) => {\n",
        "declaration": "const add = (a, b) => {\n",
        "canonical_solution": "  return a + b;\n}\n",
        "test": "const testAdd = () => {\n  console.assert(add(1, 2) === 3)\n}\ntestAdd()\n",
        "example_test": "",
    });
    fs::write(&problems, format!("{cpp}\n{js}\n")).unwrap();
    let samples = dir.path().join("samples.jsonl");
    let lines = [
        json!({"task_id": "CPP/0", "completion": "    return a + b;\n}\n"}),
        json!({"task_id": "CPP/0", "generation": "    return a - b;\n}\n"}),
        json!({"task_id": "CPP/0", "completion": "    return a + c;\n}\n"}),
        json!({"task_id": "JavaScript/0", "completion": "  return a + b;\n}\n"}),
        json!({"task_id": "JavaScript/0", "completion": "  return a - b;\n}\n"}),
    ];
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    fs::write(&samples, text.join("\n") + "\n").unwrap();
    let out = dir.path().join("results.jsonl");
    let output = lintseq(&[
        "eval",
        "--problems",
        problems.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-j",
        "2",
        "--check-canonical",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let results = rows(&out);
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["passed", "failed", "compile_error", "passed", "failed"]
    );
    let compile = results[2]["result"].as_str().unwrap();
    assert!(
        compile.starts_with("failed: compilation error:")
            && compile.contains("'c'") | compile.contains("‘c’"),
        "{compile}"
    );
    assert!(
        results[4]["result"]
            .as_str()
            .unwrap()
            .contains("Assertion failed")
    );
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("results.summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["statuses"]["compile_error"], 1);

    let unknown = lintseq(&[
        "eval",
        "--problems",
        problems.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--force",
        "--language",
        "cobol",
    ]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("unknown --language \"cobol\""),
        "{}",
        stderr(&unknown)
    );
}

/// `lintseq eval --problems P --samples S -o O EXTRA...`.
fn eval(problems: &Path, samples: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "eval",
        "--problems",
        problems.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    lintseq(&args)
}

fn require_iverilog() {
    assert!(
        Command::new("iverilog").arg("-V").output().is_ok(),
        "iverilog is not installed; scripts/install-toolchains installs it"
    );
}

/// A VerilogEval-style problem of our own: a testbench `tb` that drives
/// `RefModule` and `TopModule` and prints the mismatch line, with its own
/// watchdog, as VerilogEval's testbenches do.
fn verilog_dataset(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("dataset_spec-to-rtl");
    fs::create_dir(&data).unwrap();
    let test = r#"`timescale 1 ps/1 ps
module tb();
  reg clk = 0;
  always #5 clk = ~clk;
  reg a = 0, b = 0;
  wire out_ref, out_dut;
  integer mismatches = 0, samples = 0;
  RefModule good(.a(a), .b(b), .out(out_ref));
  TopModule top(.a(a), .b(b), .out(out_dut));
  initial begin
    repeat (20) begin
      @(negedge clk) {a, b} = $random;
      @(posedge clk) begin
        samples = samples + 1;
        if (out_ref !== out_dut) mismatches = mismatches + 1;
      end
    end
    $display("Mismatches: %1d in %1d samples", mismatches, samples);
    $finish;
  end
  initial begin
    #100000
    $display("TIMEOUT");
    $finish();
  end
endmodule
"#;
    fs::write(data.join("Prob001_and_test.sv"), test).unwrap();
    fs::write(
        data.join("Prob001_and_ref.sv"),
        "module RefModule (\n  input a,\n  input b,\n  output out\n);\n  assign out = a & b;\nendmodule\n",
    )
    .unwrap();
    fs::write(
        data.join("Prob001_and_prompt.txt"),
        "Implement a module named TopModule with inputs a and b and output out = a AND b.\n",
    )
    .unwrap();
    // A problem without its testbench: reported, not loaded.
    fs::write(data.join("Prob002_lost_prompt.txt"), "No testbench.\n").unwrap();
    data
}

#[test]
fn verilog_eval_compiles_simulates_and_classifies() {
    require_iverilog();
    let dir = tempfile::tempdir().unwrap();
    let data = verilog_dataset(dir.path());
    let module = |body: &str| {
        format!("module TopModule (\n  input a,\n  input b,\n  output out\n);\n{body}\nendmodule\n")
    };
    let samples = dir.path().join("samples.jsonl");
    let lines = [
        // A chat answer with a fenced block: extracted, passes.
        json!({"task_id": "Prob001_and", "completion": format!("Here it is:\n```verilog\n{}```\nDone.", module("  assign out = a & b;"))}),
        // [BEGIN]/[DONE] framing; the wrong gate.
        json!({"task_id": "Prob001_and", "output": format!("[BEGIN]\n{}[DONE]\n", module("  assign out = a | b;"))}),
        json!({"task_id": "Prob001_and", "solution": module("  assign out = a &;")}),
        json!({"task_id": "Prob001_and", "solution": module("  always @(*) out = a & b;")}),
        json!({"task_id": "Prob001_and", "solution": module("  and_gate g(.a(a), .b(b), .y(out));")}),
        // A zero-delay loop: the simulator never advances time.
        json!({"task_id": "Prob001_and", "solution": module("  reg r = 0;\n  initial while (1) r = ~r;\n  assign out = r;")}),
        json!({"task_id": "Prob002_lost", "solution": module("")}),
        // iverilog 11 says only "sorry:": VerilogEval's analysis finds no
        // `error` and calls it a mismatch; the status says what happened.
        json!({"task_id": "Prob001_and", "solution": module("  assign out = a inside {1'b1} && b;")}),
        // A `$stop` waits at the simulator's prompt and goes on, as under
        // the Makefile: the testbench still reports, and the design passes.
        json!({"task_id": "Prob001_and", "solution": module("  initial #1 $stop;\n  assign out = a & b;")}),
    ];
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    fs::write(&samples, text.join("\n") + "\n").unwrap();
    let out = dir.path().join("results.jsonl");
    let output = eval(
        &data,
        &samples,
        &out,
        &["-j", "2", "--timeout", "2", "-k", "1", "--check-canonical"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("Prob002_lost") && stderr(&output).contains("_test.sv"),
        "{}",
        stderr(&output)
    );
    let results = rows(&out);
    let got: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap(),
                r["failure_class"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("passed", "-"),
            ("failed", "runtime_mismatch"),
            ("compile_error", "syntax_error"),
            ("compile_error", "wire_assigned_in_always"),
            ("compile_error", "unknown_module"),
            ("timeout", "timeout"),
            ("error", "-"),
            ("compile_error", "runtime_mismatch"),
            ("passed", "-"),
        ],
        "{results:#?}"
    );
    assert_eq!(results[0]["failure_class"], Value::Null);
    assert!(
        results[6]["result"]
            .as_str()
            .unwrap()
            .contains("unknown task_id")
    );
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("results.summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["failure_classes"]["syntax_error"], 1);
    assert_eq!(results[7]["result"], "failed: compile error");
    assert_eq!(summary["failure_classes"]["clock_binding"], 0);
    assert_eq!(summary["timeout_seconds"], 2.0);
    assert!(
        stderr(&output).contains("runtime_mismatch [R]"),
        "{}",
        stderr(&output)
    );
}

/// VerilogEval's own problems (the shared datasets folder): all 156 load,
/// and a code-completion answer gets the module interface put before it
/// unless it writes the module itself.
#[test]
fn verilog_eval_dataset_folders_load_and_complete_code() {
    require_iverilog();
    let root = verilog_eval_root();
    let dir = tempfile::tempdir().unwrap();
    let samples = dir.path().join("samples.jsonl");
    let lines = [
        json!({"task_id": "Prob001_zero", "completion": "assign zero = 1'b0;\nendmodule"}),
        json!({"task_id": "Prob001_zero", "completion": "assign zero = 1'b1;\nendmodule"}),
        json!({"task_id": "Prob050_kmap1", "completion": "```verilog\nmodule TopModule (input a, input b, input c, output out);\n  assign out = a | b | c;\nendmodule\n```"}),
    ];
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    fs::write(&samples, text.join("\n") + "\n").unwrap();
    let out = dir.path().join("results.jsonl");
    let data = root.join("dataset_code-complete-iccad2023");
    let output = eval(&data, &samples, &out, &["-k", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let statuses: Vec<String> = rows(&out)
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["passed", "failed", "passed"]);
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("results.summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["problems"], 156);
}

/// The shared datasets' VerilogEval folder.
fn verilog_eval_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .chain([Path::new("/work")])
        .map(|dir| dir.join("shared/datasets/verilog-eval"))
        .find(|dir| dir.is_dir())
        .expect("shared/datasets/verilog-eval beside the repository")
}

/// `lintseq prompts` against sv-generate: the SHA-256 of the user message
/// (right-stripped, as sv-generate's manual model writes it) that
/// VerilogEval's own script produced for these problems
/// (bench/verilog_prompts.py compares all of them).
#[test]
fn verilog_eval_prompts_match_sv_generate() {
    use sha2::{Digest, Sha256};
    let pinned = [
        (
            "spec-to-rtl",
            "Prob001_zero",
            0,
            "00384cd5297f15f2bb33a1b3f0fad840648ba0c9607a543cb3e1629ac8fa3f96",
        ),
        (
            "spec-to-rtl",
            "Prob001_zero",
            1,
            "da2efcb3ea32d1164b629d80f6da33c087e194e4c4e66dab6dd6030da4c43ad3",
        ),
        (
            "spec-to-rtl",
            "Prob050_kmap1",
            0,
            "cf534ba116eb9ac775efe7d1cd4fd7fe445c9b81405ca7dbde372099d166cd15",
        ),
        (
            "spec-to-rtl",
            "Prob050_kmap1",
            1,
            "8430f6e345548425cd132555b29163c7643f153fd3a6a4753658d68b91cf2b4f",
        ),
        (
            "code-complete-iccad2023",
            "Prob001_zero",
            0,
            "0aedfc4712a922632d0a20ba2b5a28ce05490a79d5c77596132ac6b6852efdba",
        ),
        (
            "code-complete-iccad2023",
            "Prob001_zero",
            1,
            "723a3cf9fbc1b29ae9478a366282df1488111b756b593ae2c0652177f0975139",
        ),
        (
            "code-complete-iccad2023",
            "Prob050_kmap1",
            0,
            "98dd02cd0f242738b9a38c83515e74495db422154b45d64c9cd3f7b1232e5e1c",
        ),
        (
            "code-complete-iccad2023",
            "Prob050_kmap1",
            1,
            "3cd9c0b01db854f2e7150f979868393d3033223d8e3c3d3f647908218a38038a",
        ),
    ];
    let root = verilog_eval_root();
    for task in ["spec-to-rtl", "code-complete-iccad2023"] {
        let dataset = root.join(format!("dataset_{task}"));
        let output = lintseq(&[
            "prompts",
            "--benchmark",
            "verilog-eval",
            "--task",
            task,
            "--problems",
            dataset.to_str().unwrap(),
            "--shots",
            "0..1",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let rows: Vec<Value> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 2 * 156);
        for (pinned_task, task_id, shots, digest) in pinned.iter().filter(|p| p.0 == task) {
            let row = rows
                .iter()
                .find(|r| r["task_id"] == *task_id && r["shots"] == *shots)
                .unwrap();
            assert_eq!(row["task"], *pinned_task);
            let user = row["prompt"].as_str().unwrap().trim_end();
            let got = format!("{:x}", Sha256::digest(user.as_bytes()));
            assert_eq!(got, *digest, "{task} {task_id} {shots}-shot:\n{user}");
            assert!(row["system"].as_str().unwrap().contains("Verilog"));
        }
    }
    // Chat messages carry the same text.
    let dataset = root.join("dataset_spec-to-rtl");
    let chat = lintseq(&["prompts", "--problems", dataset.to_str().unwrap(), "--chat"]);
    let first: Value = serde_json::from_str(
        String::from_utf8(chat.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["messages"][0]["role"], "system");
    assert_eq!(first["messages"][1]["role"], "user");
    assert!(
        first["messages"][1]["content"]
            .as_str()
            .unwrap()
            .ends_with("Answer:\n")
    );
    // Bad settings are refused with the reason.
    for (args, message) in [
        (vec!["--shots", "5"], "--shots takes a number from 0 to 4"),
        (vec!["--shots", "3..1"], "--shots takes"),
        (
            vec!["--task", "code-complete-iccad2023"],
            "not a code-completion dataset",
        ),
        (vec!["--benchmark", "humaneval"], "unknown --benchmark"),
    ] {
        let mut all = vec!["prompts", "--problems", dataset.to_str().unwrap()];
        all.extend(args);
        let output = lintseq(&all);
        assert!(!output.status.success());
        assert!(stderr(&output).contains(message), "{}", stderr(&output));
    }
}
