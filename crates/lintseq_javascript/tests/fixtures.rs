//! Data-driven check fixtures.
//!
//! Every file under `resources/checks/` (`.js` checked as JavaScript, `.ts`
//! as TypeScript) holds cases separated by lines of the form
//! `//// <case name>`. A line the checker must flag ends with a comment
//! `// expect: CODE [CODE...]`; every other line must be clean. A case may
//! carry an `//// original` section after it: the program the case was cut
//! from, which the checker learns from (by default the case is its own
//! original). A case named `... (browser)` or `... (es2024)` is checked in
//! that environment instead of the default (Node.js).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use lintseq_core::Checker;
use lintseq_javascript::{Dialect, Env, JavaScriptChecker};

struct Case {
    file: String,
    dialect: Dialect,
    name: String,
    source: String,
    original: Option<String>,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/checks");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("resources/checks exists")
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let dialect = match path.extension().and_then(|e| e.to_str()) {
            Some("js") => Dialect::JavaScript,
            Some("ts") => Dialect::TypeScript,
            _ => continue,
        };
        let text = fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut current: Option<Case> = None;
        let mut in_original = false;
        for line in text.split_inclusive('\n') {
            if let Some(name) = line.strip_prefix("//// ") {
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
                    dialect,
                    name: name.to_string(),
                    source: String::new(),
                    original: None,
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
        if let Some((_, codes)) = line.split_once("// expect:") {
            for code in codes.split_whitespace() {
                out.insert((number as u32 + 1, code.to_string()));
            }
        }
    }
    out
}

fn env_of(name: &str) -> Env {
    if name.ends_with("(browser)") {
        "browser".parse().unwrap()
    } else if name.ends_with("(es2024)") {
        Env::NONE
    } else {
        Env::default()
    }
}

#[test]
fn every_fixture_case_reports_exactly_what_it_expects() {
    let cases = cases();
    for dialect in [Dialect::JavaScript, Dialect::TypeScript] {
        let count = cases.iter().filter(|c| c.dialect == dialect).count();
        assert!(count >= 20, "only {count} {dialect:?} fixture cases found");
    }
    let mut failures = Vec::new();
    for case in &cases {
        let checker = JavaScriptChecker::new(case.dialect).with_env(env_of(&case.name));
        let source = case.source.trim_end_matches('\n');
        let original = case.original.as_deref().unwrap_or(source);
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
