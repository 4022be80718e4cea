//! End-to-end tests of the `lintseq` binary.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn lintseq() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lintseq"))
}

fn run(args: &[&str]) -> Output {
    lintseq().args(args).output().expect("lintseq runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read_rows(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/instruct.jsonl")
}

fn row(response: &str) -> String {
    json!({"instruction": "Write it.", "response": response}).to_string()
}

/// Replays a row's diffs with the library resolver.
fn replay(row: &Value) -> String {
    let diffs: Vec<&str> = row["edit_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    let resolved = lintseq_core::resolve::resolve(diffs);
    assert!(resolved.issues.is_empty(), "{:?}", resolved.issues);
    resolved.program()
}

#[test]
fn generate_writes_pylintseq_rows_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let output = run(&[
        "generate",
        examples().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-s",
        "3",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = read_rows(&out);
    // 32 rows, one with comments only.
    assert_eq!(rows.len(), 31 * 3);
    let indices: Vec<u64> = rows.iter().map(|r| r["index"].as_u64().unwrap()).collect();
    let mut sorted = indices.clone();
    sorted.sort();
    assert_eq!(indices, sorted);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "edit_path",
            "index",
            "source_file",
            "source_response",
            "source_instruction"
        ]
    );
    for row in &rows {
        let program =
            lintseq_core::pipeline::prepare(row["source_response"].as_str().unwrap()).unwrap();
        assert_eq!(replay(row), program);
        for diff in row["edit_path"].as_array().unwrap() {
            for line in diff.as_str().unwrap().lines() {
                assert!(line.starts_with("@@ -") || line.starts_with('+'), "{line}");
            }
        }
    }
    let err = stderr(&output);
    assert!(err.contains("read 32 rows"), "{err}");
    assert!(err.contains("skipped 1 rows"), "{err}");
    assert!(err.contains("1 comments only"), "{err}");
    assert!(err.contains("row 26 (line 27)"), "{err}");
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.jsonl");
    let two = dir.path().join("two.jsonl");
    for (path, threads) in [(&one, "1"), (&two, "2")] {
        let output = run(&[
            "generate",
            examples().to_str().unwrap(),
            "-o",
            path.to_str().unwrap(),
            "-s",
            "4",
            "--seed",
            "7",
            "-j",
            threads,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    assert_eq!(fs::read(&one).unwrap(), fs::read(&two).unwrap());
}

#[test]
fn seeds_change_the_paths() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    for (path, seed) in [(&a, "1"), (&b, "2")] {
        let output = run(&[
            "generate",
            examples().to_str().unwrap(),
            "-o",
            path.to_str().unwrap(),
            "--seed",
            seed,
        ]);
        assert!(output.status.success());
    }
    assert_ne!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
}

#[test]
fn refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    fs::write(&out, "precious\n").unwrap();
    let input = examples();
    let args = [
        "generate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let output = run(&args);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&out).unwrap(), "precious\n");
    let mut forced = args.to_vec();
    forced.push("--force");
    assert!(run(&forced).status.success());
    assert_ne!(fs::read_to_string(&out).unwrap(), "precious\n");
}

#[test]
fn bad_rows_are_reported_and_skipped_without_losing_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let good = row("def f(x):\n    return x + 1");
    let huge_program = format!("x = {:?}\ny = x", "a".repeat(4 << 20));
    let mut file = fs::File::create(&input).unwrap();
    let lines: Vec<Vec<u8>> = vec![
        good.clone().into_bytes(),                            // 0 ok
        b"{not json".to_vec(),                                // 1 malformed
        json!({"instruction": "x"}).to_string().into_bytes(), // 2 missing response
        json!({"instruction": "x", "response": 5})
            .to_string()
            .into_bytes(), // 3 not a string
        b"{\"instruction\": \"x\", \"response\": \"\xff\xfe\"}".to_vec(), // 4 invalid UTF-8
        row("   \n  ").into_bytes(),                          // 5 empty
        row("# only\n# comments").into_bytes(),               // 6 comments only
        b"[1, 2]".to_vec(),                                   // 7 not an object
        json!({"response": "x = 1"}).to_string().into_bytes(), // 8 missing prompt
        row(&huge_program).into_bytes(),                      // 9 ok, several MB
        good.into_bytes(),                                    // 10 ok
    ];
    for line in &lines {
        file.write_all(line).unwrap();
        file.write_all(b"\n").unwrap();
    }
    drop(file);
    let out = dir.path().join("out.jsonl");
    let output = run(&[
        "generate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = read_rows(&out);
    let indices: Vec<u64> = rows.iter().map(|r| r["index"].as_u64().unwrap()).collect();
    assert_eq!(indices, vec![0, 9, 10]);
    assert_eq!(replay(&rows[1]).len(), huge_program.len());
    let err = stderr(&output);
    for expected in [
        "row 1 (line 2): malformed JSON",
        "row 2 (line 3): missing field `response`",
        "row 3 (line 4): field `response` is a number, not a string",
        "row 4 (line 5): invalid UTF-8",
        "row 5 (line 6): field `response`: the program is empty",
        "row 6 (line 7): field `response`: the program has only comments",
        "row 7 (line 8): expected a JSON object, found an array",
        "row 8 (line 9): missing field `instruction`",
        "read 11 rows",
        "for 3 rows",
        "skipped 8 rows",
        "1 malformed JSON",
        "2 missing field",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    // One message per bad row.
    assert_eq!(err.matches("skipping row").count(), 8, "{err}");
}

#[test]
fn gzipped_input_and_pylintseq_spellings_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("data.jsonl.gz");
    let raw = fs::read(examples()).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(
        fs::File::create(&input).unwrap(),
        flate2::Compression::default(),
    );
    encoder.write_all(&raw).unwrap();
    encoder.finish().unwrap();
    let output = run(&[
        "generate",
        "-p",
        input.to_str().unwrap(),
        "-d",
        dir.path().to_str().unwrap(),
        "-c",
        "2",
        "--num_edit_paths_per_sample",
        "2",
        "--code_data_field",
        "response",
        "--prompt_data_field",
        "None",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = dir.path().join("data_all_2_1_vec.jsonl");
    let rows = read_rows(&out);
    assert_eq!(rows.len(), 31 * 2);
    assert!(rows[0].get("source_instruction").is_none());
}

#[test]
fn subsampling_is_seeded_and_keeps_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let again = dir.path().join("again.jsonl");
    for path in [&out, &again] {
        let output = run(&[
            "generate",
            examples().to_str().unwrap(),
            "-o",
            path.to_str().unwrap(),
            "-n",
            "10",
            "--seed",
            "3",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    assert_eq!(fs::read(&out).unwrap(), fs::read(&again).unwrap());
    let indices: Vec<u64> = read_rows(&out)
        .iter()
        .map(|r| r["index"].as_u64().unwrap())
        .collect();
    assert!(indices.len() >= 9 && indices.len() <= 10, "{indices:?}");
    assert!(indices.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn a_byte_order_mark_and_a_missing_output_directory_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bom.jsonl");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(row("def f(x):\n    return x").into_bytes());
    bytes.push(b'\n');
    fs::write(&input, bytes).unwrap();
    let out = dir.path().join("new/dir/out.jsonl");
    let output = run(&[
        "generate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(read_rows(&out).len(), 1);
}

#[test]
fn a_missing_input_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&[
        "generate",
        dir.path().join("nope.jsonl").to_str().unwrap(),
        "-o",
        dir.path().join("out.jsonl").to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cannot open"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn lint_prints_diagnostics_and_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.py");
    let dirty = dir.path().join("dirty.py");
    fs::write(&clean, "def f(x):\n    return x\n").unwrap();
    fs::write(&dirty, "def f(x):\n    return y\n").unwrap();
    let output = run(&["lint", clean.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    let output = run(&["lint", dirty.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("dirty.py:2: E0602 undefined-variable: Undefined variable 'y'"),
        "{stdout}"
    );
}

#[test]
fn lint_jsonl_checks_each_row_against_its_original() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("rows.jsonl");
    let original = "def f(x):\n    total = x\n    return total";
    fs::write(
        &rows,
        [
            json!({"id": "clean", "program": "def f(x):\n    return x"}).to_string(),
            json!({"id": 7, "program": "def f(x):\n    return total", "original": original})
                .to_string(),
            String::new(),
            "not json".to_string(),
            json!({"program": "x = 1"}).to_string(),
        ]
        .join("\n"),
    )
    .unwrap();
    let output = run(&["lint", "--jsonl", rows.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let results: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(results.len(), 4, "{results:?}");
    assert_eq!(results[0], json!({"id": "clean", "diagnostics": []}));
    assert_eq!(
        results[1],
        json!({"id": 7, "diagnostics": [{
            "line": 2,
            "code": "E0602",
            "symbol": "undefined-variable",
            "message": "Undefined variable 'total'",
        }]})
    );
    assert!(
        results[2]["error"]
            .as_str()
            .unwrap()
            .contains("rows.jsonl:4: bad row"),
        "{results:?}"
    );
    assert_eq!(results[3], json!({"diagnostics": []}));
    assert!(stderr(&output).contains("rows.jsonl:4"));

    // Clean rows only: exit status 0; stdin works too.
    let mut child = lintseq()
        .args(["lint", "--jsonl", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json!({"program": "print(1)"}).to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "{\"diagnostics\":[]}\n"
    );
}

#[test]
fn resolve_rebuilds_programs_from_model_output() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("model.txt");
    fs::write(
        &text,
        "<|diff|>@@ -0,0 +1,2 @@\n+def f(x):\n+    return x\n<|diff|>Sure!\n@@ -1,0 +2 @@\n+    x += 1\n",
    )
    .unwrap();
    let output = run(&["resolve", text.to_str().unwrap()]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "def f(x):\n    x += 1\n    return x\n"
    );
    assert!(
        stderr(&output).contains("skipped text outside a hunk"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn resolve_adds_programs_to_jsonl_rows() {
    let dir = tempfile::tempdir().unwrap();
    let edits = dir.path().join("edits.jsonl");
    let output = run(&[
        "generate",
        examples().to_str().unwrap(),
        "-o",
        edits.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let programs = dir.path().join("programs.jsonl");
    let output = run(&[
        "resolve",
        edits.to_str().unwrap(),
        "-o",
        programs.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    for row in read_rows(&programs) {
        let program =
            lintseq_core::pipeline::prepare(row["source_response"].as_str().unwrap()).unwrap();
        assert_eq!(row["program"].as_str().unwrap(), program);
        assert_eq!(row["resolve_issues"], json!([]));
    }
}

#[test]
fn generate_writes_parquet_and_arrow_by_name_or_flag() {
    let dir = tempfile::tempdir().unwrap();
    let input = examples();
    for (name, flag, magic) in [
        ("out.parquet", None, &b"PAR1"[..]),
        ("out.arrow", None, &b"\xff\xff\xff\xff"[..]),
        ("out.bin", Some("parquet"), &b"PAR1"[..]),
    ] {
        let out = dir.path().join(name);
        let mut args = vec![
            "generate",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        if let Some(format) = flag {
            args.extend(["--output-format", format]);
        }
        let output = run(&args);
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        assert!(fs::read(&out).unwrap().starts_with(magic), "{name}");
    }
    let output = run(&[
        "generate",
        input.to_str().unwrap(),
        "-o",
        dir.path().join("x.jsonl").to_str().unwrap(),
        "--input-format",
        "csv",
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("unknown format \"csv\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn lint_resolves_imports_against_an_interpreter_in_reference_mode() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("imports.py");
    fs::write(
        &file,
        "import os\nimport not_installed_lintseq_test\nfrom .sibling import x\nfrom . import y\n\
         try:\n    import yaml_lintseq_test\nexcept ImportError:\n    yaml = None\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let output = run(&["lint", file]);
    assert!(output.status.success(), "resolve mode: {}", stderr(&output));
    // The temporary directory is where pylintseq's states would be: entries
    // there change what relative imports resolve to.
    let output = lintseq()
        .args([
            "lint",
            "--imports",
            "reference",
            "--python",
            "python3",
            file,
        ])
        .env("TMPDIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{file}:2: E0401 import-error: Unable to import 'not_installed_lintseq_test'"),
            format!(
                "{file}:3: E0402 relative-beyond-top-level: Attempted relative import beyond top-level package"
            ),
            format!("{file}:4: E0611 no-name-in-module: No name 'y' in module ''"),
        ],
        "{stdout}"
    );
}

#[test]
fn a_missing_interpreter_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.py");
    fs::write(&file, "import os\n").unwrap();
    let missing = dir.path().join("no-such-python");
    let output = run(&[
        "lint",
        "--imports",
        "reference",
        "--python",
        missing.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("cannot run the Python interpreter") && message.contains("no-such-python"),
        "{message}"
    );
    let output = run(&[
        "lint",
        "--imports",
        "reference",
        "--python",
        "false",
        file.to_str().unwrap(),
    ]);
    assert!(
        stderr(&output).contains("the Python interpreter `false` failed to list its modules"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn generate_deletes_unresolved_imports_with_the_first_edit_in_reference_mode() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let program = "import not_installed_lintseq_test\nimport os\n\n\ndef f(x):\n    \
                   y = not_installed_lintseq_test.g(x)\n    return os.path.join(y, \"a\")";
    fs::write(&input, format!("{}\n", row(program))).unwrap();
    let generate = |mode: &str, out: &Path| {
        let output = run(&[
            "generate",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-s",
            "8",
            "--imports",
            mode,
            "--python",
            "python3",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        read_rows(out)
    };
    let reference = generate("reference", &dir.path().join("reference.jsonl"));
    let resolve = generate("resolve", &dir.path().join("resolve.jsonl"));
    assert_eq!(reference.len(), 8);
    for row in &reference {
        assert_eq!(replay(row), program);
        // The import goes with its use, in the last insertion (the first
        // deletion), and never alone.
        let diffs = row["edit_path"].as_array().unwrap();
        let last = diffs.last().unwrap().as_str().unwrap();
        assert!(
            last.contains("+import not_installed_lintseq_test"),
            "{last}"
        );
        assert!(
            last.contains("+    y = not_installed_lintseq_test.g(x)"),
            "{last}"
        );
    }
    let edits = |rows: &[Value]| -> usize {
        rows.iter()
            .map(|row| row["edit_path"].as_array().unwrap().len())
            .sum()
    };
    assert!(edits(&reference) < edits(&resolve));
}

#[test]
fn help_documents_the_import_modes() {
    for command in ["generate", "lint"] {
        let output = run(&[command, "--help"]);
        let help = String::from_utf8(output.stdout).unwrap();
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(help.contains("--imports <MODE>"), "{help}");
        assert!(help.contains("--python <PATH>"), "{help}");
        assert!(help.contains("depends on the machine"), "{help}");
    }
}

#[test]
fn format_then_resolve_gives_every_program_back_in_every_style() {
    let dir = tempfile::tempdir().unwrap();
    let edits = dir.path().join("edits.jsonl");
    let output = run(&[
        "generate",
        examples().to_str().unwrap(),
        "-o",
        edits.to_str().unwrap(),
        "-s",
        "2",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let generated = read_rows(&edits);
    for style in ["lintseq", "prompt-completion", "messages"] {
        let formatted = dir.path().join(format!("{style}.jsonl"));
        let output = run(&[
            "format",
            edits.to_str().unwrap(),
            "-o",
            formatted.to_str().unwrap(),
            "--style",
            style,
            "--system",
            "You write Python.",
        ]);
        assert!(output.status.success(), "{style}: {}", stderr(&output));
        let rows = read_rows(&formatted);
        assert_eq!(rows.len(), generated.len(), "{style}");
        for (row, source) in rows.iter().zip(&generated) {
            assert_eq!(row["index"], source["index"]);
            let instruction = source["source_instruction"].as_str().unwrap();
            match style {
                "lintseq" => {
                    assert_eq!(row["prompt"], format!("{instruction}\n<|diff|>"));
                    let diffs: Vec<&str> = source["edit_path"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|d| d.as_str().unwrap())
                        .collect();
                    let completion = format!("{}\n<|diff|>\n<|diff|>", diffs.join("\n<|diff|>"));
                    assert_eq!(row["completion"], completion);
                }
                "prompt-completion" => assert_eq!(row["prompt"], instruction),
                _ => {
                    assert_eq!(row["messages"][0]["role"], "system");
                    assert_eq!(row["messages"][1]["content"], instruction);
                    assert_eq!(row["messages"][2]["role"], "assistant");
                }
            }
        }
        let programs = dir.path().join(format!("{style}.programs.jsonl"));
        let output = run(&[
            "resolve",
            formatted.to_str().unwrap(),
            "-o",
            programs.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{style}: {}", stderr(&output));
        for (row, source) in read_rows(&programs).iter().zip(&generated) {
            let program =
                lintseq_core::pipeline::prepare(source["source_response"].as_str().unwrap())
                    .unwrap();
            assert_eq!(row["program"].as_str().unwrap(), program, "{style}");
            assert_eq!(row["resolve_issues"], json!([]), "{style}");
        }
    }
}

#[test]
fn format_reads_and_writes_parquet_and_skips_rows_it_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let edits = dir.path().join("edits.parquet");
    let output = run(&[
        "generate",
        examples().to_str().unwrap(),
        "-o",
        edits.to_str().unwrap(),
        "--keep-skipped",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let from_parquet = dir.path().join("sft.jsonl");
    let output = run(&[
        "format",
        edits.to_str().unwrap(),
        "-o",
        from_parquet.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    // The comments-only row was kept by generate with a null edit_path.
    assert!(
        stderr(&output).contains("skipping row 26: field `edit_path` is null"),
        "{}",
        stderr(&output)
    );
    assert_eq!(read_rows(&from_parquet).len(), 31);
    let to_parquet = dir.path().join("sft.parquet");
    let output = run(&[
        "format",
        from_parquet.to_str().unwrap(),
        "-o",
        to_parquet.to_str().unwrap(),
    ]);
    // `sft.jsonl` has no edit_path: every row is skipped, and said so.
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("missing field `edit_path`"),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "format",
        edits.to_str().unwrap(),
        "-o",
        to_parquet.to_str().unwrap(),
        "--force",
        "--style",
        "messages",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(fs::read(&to_parquet).unwrap().starts_with(b"PAR1"));
}

#[test]
fn resolve_takes_model_output_with_chat_wrapping_and_end_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("reply.txt");
    fs::write(
        &text,
        "<|diff|>@@ -0,0 +1 @@\n+def f(x):\n<|diff|>@@ -1,0 +2 @@\n+    return x\n<|diff|>\n<|diff|><|im_end|>\n",
    )
    .unwrap();
    let output = run(&["resolve", text.to_str().unwrap()]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "def f(x):\n    return x\n"
    );
    assert_eq!(stderr(&output), "");
}

#[test]
fn generate_tells_languages_from_fences_and_a_language_field() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let rows = [
        json!({"instruction": "a", "response": "```js\nconst a = 1;\nconsole.log(a);\n```", "lang": "x"}),
        json!({"instruction": "b", "response": "Here:\n```tsx\nconst n: number = 1;\nexport const v = <div>{n}</div>;\n```", "lang": "x"}),
        json!({"instruction": "c", "response": "def f(x):\n    return x", "lang": "python"}),
        json!({"instruction": "d", "response": "let t: string = 'x';\nconsole.log(t);", "lang": "TypeScript"}),
        json!({"instruction": "e", "response": "```rust\nfn main() {}\n```", "lang": "rust"}),
        json!({"instruction": "f", "response": "PROCEDURE DIVISION.", "lang": "cobol"}),
        json!({"instruction": "g", "response": "x = 1", "lang": 3}),
    ];
    let text: Vec<String> = rows.iter().map(Value::to_string).collect();
    fs::write(&input, text.join("\n") + "\n").unwrap();
    let out = dir.path().join("out.jsonl");
    let output = run(&[
        "generate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--language-field",
        "lang",
        "--keep-skipped",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("rows per language: 1 python, 1 javascript, 2 typescript"),
        "{err}"
    );
    assert!(err.contains("2 unsupported language"), "{err}");
    assert!(err.contains("the code is in \"rust\""), "{err}");
    assert!(err.contains("field `lang` is a number"), "{err}");
    let rows = read_rows(&out);
    assert_eq!(rows.len(), 7);
    let languages: Vec<&Value> = rows.iter().map(|r| &r["language"]).collect();
    assert_eq!(
        languages,
        [
            &json!("javascript"),
            &json!("typescript"),
            &Value::Null,
            &json!("typescript"),
            &Value::Null,
            &Value::Null,
            &Value::Null
        ]
    );
    // Python rows keep pylintseq's schema: no language key.
    assert!(!rows[2].as_object().unwrap().contains_key("language"));
    assert_eq!(replay(&rows[0]), "const a = 1;\nconsole.log(a);");
    assert_eq!(
        replay(&rows[1]),
        "const n: number = 1;\nexport const v = <div>{n}</div>;"
    );
    assert_eq!(replay(&rows[3]), "let t: string = 'x';\nconsole.log(t);");
    let reason = |i: usize| rows[i]["skip_reason"].as_str().unwrap_or("").to_string();
    assert!(
        reason(4).starts_with("unsupported_language: "),
        "{}",
        reason(4)
    );
    assert!(
        reason(5).starts_with("unsupported_language: field `lang`"),
        "{}",
        reason(5)
    );
    assert!(reason(6).starts_with("not_a_string: "), "{}", reason(6));
}

#[test]
fn a_fixed_language_applies_to_every_row_and_keeps_its_own_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines = [
        row("function f(a) {\n  return a + 1;\n}\nf(1);"),
        row("```ts\nlet x: number = 1;\n```\n```js\nlet y = 2;\n```"),
        row("```python\nx = 1\n```"),
    ];
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("out.jsonl");
    let output = run(&[
        "generate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--language",
        "javascript",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("none in JavaScript"), "{err}");
    let rows = read_rows(&out);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        replay(&rows[0]),
        "function f(a) {\n  return a + 1;\n}\nf(1);"
    );
    assert_eq!(replay(&rows[1]), "let y = 2;");
    assert!(rows.iter().all(|r| r["language"] == "javascript"));
    // Deleting the function's first line deletes its block: no state has a
    // `{` without its `}`.
    let diffs = rows[0]["edit_path"].as_array().unwrap();
    for end in 1..=diffs.len() {
        let state =
            lintseq_core::resolve::resolve(diffs[..end].iter().map(|d| d.as_str().unwrap()))
                .program();
        assert_eq!(
            state.matches('{').count(),
            state.matches('}').count(),
            "{state}"
        );
    }
}

#[test]
fn unknown_languages_and_environments_are_refused() {
    let output = run(&[
        "generate",
        "x.jsonl",
        "-o",
        "y.jsonl",
        "--language",
        "cobol",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown language"),
        "{}",
        stderr(&output)
    );
    let output = run(&["lint", "x.js", "--js-env", "deno"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown environment"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn lint_checks_javascript_and_typescript_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let js = dir.path().join("a.js");
    let ts = dir.path().join("b.ts");
    let py = dir.path().join("c.py");
    fs::write(&js, "function f() {\n  return missing;\n}\n").unwrap();
    fs::write(&ts, "const p: Point = { x: 1 };\n").unwrap();
    fs::write(&py, "x: Point = 1\n").unwrap();
    let output = run(&[
        "lint",
        js.to_str().unwrap(),
        ts.to_str().unwrap(),
        py.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("a.js:2: no-undef"), "{stdout}");
    assert!(stdout.contains("b.ts:1: undefined-type"), "{stdout}");
    assert!(stdout.contains("c.py:1: E0602"), "{stdout}");
    // The environment decides which globals exist.
    fs::write(&js, "document.title = 'x';\n").unwrap();
    let output = run(&["lint", js.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let output = run(&["lint", js.to_str().unwrap(), "--js-env", "browser"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // --language overrides the extension (`x: Point = 1` is a labelled
    // assignment in TypeScript, so give it a type annotation).
    fs::write(&py, "let p: Point;\n").unwrap();
    let output = run(&["lint", py.to_str().unwrap(), "--language", "ts"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("c.py:1: undefined-type"), "{stdout}");
    assert!(!stdout.contains("E0001"), "{stdout}");
}
