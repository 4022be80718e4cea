//! Properties of `generate` over a corpus of real code: functions and
//! classes cut from CPython's standard library (read from the `python3` on
//! the PATH), plus the shipped examples; and JavaScript and TypeScript
//! programs from HumanEval-X (in the shared datasets folder).
//!
//! For every program and path: every state before the last is clean under
//! the checker, replaying the diffs gives back the program exactly, diffs
//! only insert; and the CLI's output is the same with one thread or two.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use lintseq_core::pipeline::{Generation, edit_paths, prepare};
use lintseq_core::resolve::resolve;
use lintseq_core::{Checker, SamplerOptions};
use lintseq_javascript::{Dialect, JavaScriptChecker};
use lintseq_python::PythonChecker;

/// CPython's standard library directory.
fn stdlib_dir() -> PathBuf {
    let output = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("python3 is required to locate the standard library");
    assert!(output.status.success(), "python3 failed");
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// Top-level `def` and `class` blocks of 5 to 80 lines, with the module's
/// import lines in front, from every `step`-th module.
fn corpus(limit: usize) -> Vec<String> {
    let root = stdlib_dir();
    let mut files: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    let mut programs = Vec::new();
    for path in files.iter().step_by(3) {
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        programs.extend(blocks(&text).into_iter().step_by(4));
        if programs.len() >= limit {
            break;
        }
    }
    programs.truncate(limit);
    assert!(
        programs.len() >= limit / 2,
        "only {} programs found in {}",
        programs.len(),
        root.display()
    );
    programs
}

fn blocks(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let imports: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| {
            l.starts_with("import ")
                || (l.starts_with("from ") && l.contains(" import ") && !l.ends_with('('))
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("def ") || line.starts_with("class ") || line.starts_with("@") {
            let start = i;
            i += 1;
            while i < lines.len() {
                let next = lines[i];
                let top_level =
                    !next.is_empty() && !next.starts_with([' ', '\t', '#', ')', ']', '}']);
                if top_level
                    && !lines[i - 1].trim_end().ends_with('\\')
                    && !lines[start].starts_with('@')
                {
                    break;
                }
                if top_level
                    && lines[start].starts_with('@')
                    && !next.starts_with('@')
                    && !next.starts_with("def ")
                    && !next.starts_with("class ")
                {
                    break;
                }
                i += 1;
            }
            let block = &lines[start..i];
            if (5..=80).contains(&block.len()) {
                let mut program = imports.join("\n");
                program.push_str("\n\n\n");
                program.push_str(&block.join("\n"));
                out.push(program);
            }
        } else {
            i += 1;
        }
    }
    out
}

fn examples() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/instruct.jsonl");
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            row["response"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn every_state_is_clean_and_every_path_round_trips() {
    let python = PythonChecker::default();
    let generation = Generation {
        paths: 2,
        seed: 11,
        sampler: SamplerOptions::default(),
    };
    let mut programs = examples();
    programs.extend(corpus(160));
    let mut checked_states = 0;
    for (index, response) in programs.iter().enumerate() {
        let Ok(program) = prepare(response) else {
            continue;
        };
        let Ok(paths) = edit_paths(&program, &python, &generation, index as u64) else {
            continue;
        };
        let checker = python.for_program(&program);
        for diffs in paths {
            for diff in &diffs {
                assert!(
                    diff.lines()
                        .all(|l| l.starts_with("@@ -") || l.starts_with('+')),
                    "program {index}: not insertion-only:\n{diff}"
                );
            }
            for end in 1..=diffs.len() {
                let resolved = resolve(diffs[..end].iter().map(String::as_str));
                assert!(
                    resolved.issues.is_empty(),
                    "program {index}: {:?}",
                    resolved.issues
                );
                let state = resolved.program();
                if end == diffs.len() {
                    assert_eq!(
                        state, program,
                        "program {index}: the path does not rebuild it"
                    );
                } else {
                    let diagnostics = checker.diagnostics(&state);
                    assert!(
                        diagnostics.is_empty(),
                        "program {index}, state {end}: {diagnostics:?}\n{state}"
                    );
                    checked_states += 1;
                }
            }
        }
    }
    assert!(checked_states > 500, "only {checked_states} states checked");
}

#[test]
fn output_is_the_same_for_one_and_two_threads_on_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    let rows: Vec<String> = corpus(120)
        .into_iter()
        .map(|program| {
            serde_json::json!({"instruction": "Write this.", "response": program}).to_string()
        })
        .collect();
    fs::write(&input, rows.join("\n") + "\n").unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("out{threads}.jsonl"));
        let status = Command::new(env!("CARGO_BIN_EXE_lintseq"))
            .args([
                "generate",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "-s",
                "3",
                "-j",
                threads,
            ])
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        outputs.push(fs::read(&out).unwrap());
    }
    assert!(!outputs[0].is_empty());
    assert_eq!(outputs[0], outputs[1]);
}

/// The HumanEval-X JavaScript programs (prompt + canonical solution), from
/// the shared datasets folder beside the repository.
fn humaneval_x_js() -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Beside the checkout, or beside the main one for a clone elsewhere.
    let path = manifest
        .ancestors()
        .chain([Path::new("/work")])
        .map(|dir| dir.join("shared/datasets/humaneval-x/humaneval_js.jsonl.gz"))
        .find(|path| path.exists())
        .expect("shared/datasets/humaneval-x/humaneval_js.jsonl.gz beside the repository");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(fs::File::open(path).unwrap()),
        &mut text,
    )
    .unwrap();
    text.lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            format!(
                "{}{}",
                row["prompt"].as_str().unwrap(),
                row["canonical_solution"].as_str().unwrap()
            )
        })
        .collect()
}

/// TypeScript programs: HumanEval-X's JavaScript given types, and the
/// TypeScript fixture cases of the checker crate.
fn typescript_programs() -> Vec<String> {
    let mut programs: Vec<String> = humaneval_x_js()
        .into_iter()
        .step_by(2)
        .map(|program| {
            program
                .replacen("const ", "export const ", 1)
                .replace("(numbers)", "(numbers: number[])")
                .replace("(string)", "(string: string)")
                .replace("(n)", "(n: number)")
        })
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lintseq_javascript/resources/checks");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    files.sort();
    for file in files {
        let text = fs::read_to_string(file).unwrap();
        programs.extend(
            text.split("\n//// ")
                .map(|case| case.split_once('\n').map_or("", |(_, body)| body))
                .map(|body| body.split("//// original").next().unwrap_or("").to_string())
                .filter(|body| !body.contains("// expect:") && body.lines().count() >= 3),
        );
    }
    programs
}

fn check_script_corpus(dialect: Dialect, programs: &[String], min_states: usize) {
    let language = JavaScriptChecker::new(dialect);
    let generation = Generation {
        paths: 2,
        seed: 11,
        sampler: SamplerOptions::default(),
    };
    let mut checked_states = 0;
    for (index, program) in programs.iter().enumerate() {
        let program = program.trim();
        let Ok(paths) = edit_paths(program, &language, &generation, index as u64) else {
            continue;
        };
        let checker = language.for_program(program);
        for diffs in paths {
            for diff in &diffs {
                assert!(
                    diff.lines()
                        .all(|l| l.starts_with("@@ -") || l.starts_with('+')),
                    "{dialect:?} program {index}: not insertion-only:\n{diff}"
                );
            }
            for end in 1..=diffs.len() {
                let resolved = resolve(diffs[..end].iter().map(String::as_str));
                assert!(resolved.issues.is_empty(), "{:?}", resolved.issues);
                let state = resolved.program();
                if end == diffs.len() {
                    assert_eq!(state, program, "{dialect:?} program {index}: no round trip");
                } else {
                    let diagnostics = checker.diagnostics(&state);
                    assert!(
                        diagnostics.is_empty(),
                        "{dialect:?} program {index}, state {end}: {diagnostics:?}\n{state}"
                    );
                    checked_states += 1;
                }
            }
        }
    }
    assert!(
        checked_states > min_states,
        "{dialect:?}: only {checked_states} states checked"
    );
}

#[test]
fn every_javascript_state_is_clean_and_every_path_round_trips() {
    check_script_corpus(Dialect::JavaScript, &humaneval_x_js(), 500);
}

#[test]
fn every_typescript_state_is_clean_and_every_path_round_trips() {
    check_script_corpus(Dialect::TypeScript, &typescript_programs(), 300);
}

#[test]
fn javascript_output_is_the_same_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    let mut rows: Vec<String> = humaneval_x_js()
        .into_iter()
        .map(|program| {
            serde_json::json!({"instruction": "Write this.", "response": format!("```js\n{program}\n```")})
                .to_string()
        })
        .collect();
    rows.extend(typescript_programs().into_iter().map(|program| {
        serde_json::json!({"instruction": "Write this.", "response": format!("```ts\n{program}\n```")})
            .to_string()
    }));
    fs::write(&input, rows.join("\n") + "\n").unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("out{threads}.jsonl"));
        let status = Command::new(env!("CARGO_BIN_EXE_lintseq"))
            .args([
                "generate",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "-s",
                "3",
                "-j",
                threads,
            ])
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        outputs.push(fs::read(&out).unwrap());
    }
    let text = String::from_utf8(outputs[0].clone()).unwrap();
    assert!(text.contains("\"language\":\"javascript\""));
    assert!(text.contains("\"language\":\"typescript\""));
    assert_eq!(outputs[0], outputs[1]);
}
