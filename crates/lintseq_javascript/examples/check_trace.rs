//! Every text the sampler checks, per edit path: for timing other checkers
//! on exactly the checks lintseq makes (bench/js_speed.py).
//!
//! ```text
//! cargo run --release -p lintseq_javascript --example check_trace -- \
//!     javascript CORPUS.jsonl ROWS > TRACE.jsonl
//! ```
//!
//! Reads the `response` field of the first ROWS rows (plain code), samples
//! one path per row with seed 1, and writes `{"index": N, "checks": [...]}`
//! per row.

use std::io::{BufRead, Write};
use std::sync::Mutex;

use lintseq_core::pipeline::{Generation, edit_paths};
use lintseq_core::{Checker, Diagnostic, Language, Structure};
use lintseq_javascript::{Dialect, JavaScriptChecker};

struct Recording<'a> {
    inner: Box<dyn Checker + 'a>,
    texts: &'a Mutex<Vec<String>>,
}

impl Checker for Recording<'_> {
    fn check(&self, source: &str, out: &mut Vec<Diagnostic>) {
        self.texts.lock().unwrap().push(source.to_string());
        self.inner.check(source, out);
    }
}

struct Recorder {
    language: JavaScriptChecker,
    texts: Mutex<Vec<String>>,
}

impl Language for Recorder {
    fn checker(&self, program: &str) -> Box<dyn Checker + '_> {
        Box::new(Recording {
            inner: self.language.checker(program),
            texts: &self.texts,
        })
    }

    fn structure(&self, program: &str) -> Option<Structure> {
        self.language.structure(program)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dialect = match args.get(1).map(String::as_str) {
        Some("typescript") => Dialect::TypeScript,
        _ => Dialect::JavaScript,
    };
    let file = std::fs::File::open(&args[2]).expect("corpus");
    let rows: usize = args
        .get(3)
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let recorder = Recorder {
        language: JavaScriptChecker::new(dialect),
        texts: Mutex::new(Vec::new()),
    };
    let generation = Generation {
        paths: 1,
        seed: 1,
        sampler: Default::default(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (index, line) in std::io::BufReader::new(file).lines().take(rows).enumerate() {
        let line = line.expect("line");
        let row: serde_json::Value = serde_json::from_str(&line).expect("a JSON row");
        let Some(program) = row["response"].as_str() else {
            continue;
        };
        recorder.texts.lock().unwrap().clear();
        if edit_paths(program.trim(), &recorder, &generation, index as u64).is_err() {
            continue;
        }
        let checks = recorder.texts.lock().unwrap().clone();
        let row = serde_json::json!({"index": index, "checks": checks});
        writeln!(out, "{row}").unwrap();
    }
}
