//! Data-driven check fixtures.
//!
//! Every file under `resources/checks/` holds cases separated by lines of the
//! form `#### <case name>`. A line the checker must flag ends with a comment
//! `# expect: CODE [CODE...]`; every other line must be clean. A case may
//! carry an `#### original` section after it: the program the case was cut
//! from, which the checker learns from (by default the case is its own
//! original).
//!
//! A file whose first line starts with `# imports: reference` runs in
//! reference import mode, against the Python environment described by
//! `resources/imports/environment.txt`, which is built in a temporary
//! directory and probed with `python3` (`bench/imports_check.py` lints the
//! same cases with pylint in the same environment).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use lintseq_core::Checker;
use lintseq_python::{ImportMode, ModuleIndex, PythonChecker};

struct Case {
    file: String,
    name: String,
    source: String,
    original: Option<String>,
    reference_imports: bool,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/checks");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("resources/checks exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let reference_imports = text.starts_with("# imports: reference");
        let mut current: Option<Case> = None;
        let mut in_original = false;
        for line in text.split_inclusive('\n') {
            if let Some(name) = line.strip_prefix("#### ") {
                let name = name.trim();
                if name == "original" {
                    in_original = true;
                    if let Some(case) = current.as_mut() {
                        case.original = Some(String::new());
                    }
                    continue;
                }
                cases.extend(current.take());
                in_original = false;
                current = Some(Case {
                    file: file.clone(),
                    name: name.to_string(),
                    source: String::new(),
                    original: None,
                    reference_imports,
                });
                continue;
            }
            if let Some(case) = current.as_mut() {
                if in_original {
                    case.original.as_mut().unwrap().push_str(line);
                } else {
                    case.source.push_str(line);
                }
            }
        }
        cases.extend(current);
    }
    cases
}

fn expected(source: &str) -> BTreeSet<(u32, String)> {
    let mut out = BTreeSet::new();
    for (number, line) in source.lines().enumerate() {
        if let Some((_, codes)) = line.split_once("# expect:") {
            for code in codes.split_whitespace() {
                out.insert((number as u32 + 1, code.to_string()));
            }
        }
    }
    out
}

/// Builds the fixture environment under `root` and probes it.
fn fixture_environment(root: &Path) -> ModuleIndex {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/imports/environment.txt");
    for line in fs::read_to_string(manifest).unwrap().lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (path, text) = match line.split_once(": ") {
            Some((path, text)) => (path, format!("{text}\n")),
            None => (line, String::new()),
        };
        let path = root.join(path);
        if line.ends_with('/') {
            fs::create_dir_all(&path).unwrap();
        } else {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
        }
    }
    let mut python = Command::new("python3");
    python
        .env(
            "PYTHONPATH",
            format!(
                "{}:{}",
                root.join("site").display(),
                root.join("site2").display()
            ),
        )
        .env("TMPDIR", root.join("tmp"));
    ModuleIndex::probe_with(python).expect("python3 lists the fixture environment")
}

#[test]
fn every_fixture_case_reports_exactly_what_it_expects() {
    let environment = tempfile::tempdir().unwrap();
    let resolve = PythonChecker::default();
    let reference = PythonChecker::default().with_imports(ImportMode::Reference(Arc::new(
        fixture_environment(environment.path()),
    )));
    let cases = cases();
    assert!(cases.len() > 50, "only {} fixture cases found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let source = case.source.trim_end_matches('\n');
        let original = case.original.as_deref().unwrap_or(source);
        let checker = if case.reference_imports {
            &reference
        } else {
            &resolve
        };
        let diagnostics = checker.for_program(original).diagnostics(source);
        let got: BTreeSet<(u32, String)> = diagnostics
            .iter()
            .map(|d| (d.line, d.code.to_string()))
            .collect();
        let want = expected(source);
        if got != want {
            let listing: String = source
                .lines()
                .enumerate()
                .map(|(i, l)| format!("{:>4} | {l}\n", i + 1))
                .collect();
            failures.push(format!(
                "{} :: {}\n{listing}  expected {want:?}\n  got      {got:?}\n  messages {:?}\n",
                case.file,
                case.name,
                diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
