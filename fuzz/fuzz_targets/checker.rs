//! The Python checker, the program model and the sampler on arbitrary text.
//!
//! Input: bytes, decoded lossily as UTF-8 (the row reader rejects invalid
//! UTF-8 before a program reaches the checker, so the checker only ever sees
//! valid text; lossy decoding lets every input reach it). If the input holds a
//! NUL byte, what follows the last NUL is not program but choices: which lines
//! to delete and which seed to sample with.
//!
//! Each run (on a thread with a worker's 2 MiB stack, see `worker.rs`):
//! 1. builds a `Program` and checks its model (indents, children, candidates,
//!    weights);
//! 2. binds a `PythonChecker` to the program and checks the program itself and
//!    two partial programs made as the sampler makes them (a candidate
//!    line deleted with its children, then the lines the checker blames
//!    deleted with theirs, a few rounds);
//! 3. on small programs, runs the pipeline end to end (`prepare`, sampling,
//!    rendering) and replays the diffs: they must give the program back, and
//!    every state before the last must be clean.
//!
//! Every diagnostic must point at a line of the text it was reported for
//! (1-based, at most the number of `\n`-separated lines) and carry a known
//! code. Where a syntax error is found from a prefix of the text (as the
//! bound checker does after a broken program), it must be the one the whole
//! parse finds, and the bound checker must have reported just that.

#![no_main]

#[path = "worker.rs"]
mod worker;

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use lintseq_core::pipeline::{self, Generation};
use lintseq_core::resolve::resolve;
use lintseq_core::{CandidateRules, Checker, Diagnostic, Program, SamplerOptions};
use lintseq_python::{CODES, PythonChecker, check, syntax_error_from_prefix};

/// Inputs longer than this are not programs anyone samples; the checker must
/// still cope with them within the time limit.
const MAX_INPUT: usize = 64 * 1024;
/// The sampler runs end to end only on programs up to this size.
const MAX_SAMPLED: usize = 1024;
/// Partial programs checked per input.
const PARTIALS: usize = 2;
/// Rounds of "delete what the checker blames" per partial program.
const ROUNDS: usize = 3;

fuzz_target!(|data: &[u8]| worker::on_worker_stack(|| run(data)));

fn run(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let (program, choices) = match data.iter().rposition(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(program);
    let mut choices = Choices(choices.iter().copied());

    let parsed = Program::new(&text);
    check_program_model(&parsed);

    let checker = PythonChecker::default().for_program(&text);
    let mut out = Vec::new();
    checker.check(&text, &mut out);
    assert_diagnostics(&text, &out);
    assert_prefix_agrees(&text, &out);

    let candidates = parsed.candidates(CandidateRules::default());
    if !candidates.is_empty() {
        for _ in 0..PARTIALS {
            let line = candidates[choices.next() % candidates.len()];
            check_partial(&parsed, &checker, line, &mut out);
        }
    }

    if text.len() <= MAX_SAMPLED {
        sample_end_to_end(&text, choices.next() as u64);
    }
}

/// Choice bytes, read two at a time; zeros once they run out.
struct Choices<I>(I);

impl<I: Iterator<Item = u8>> Choices<I> {
    fn next(&mut self) -> usize {
        let hi = self.0.next().unwrap_or(0) as usize;
        let lo = self.0.next().unwrap_or(0) as usize;
        hi << 8 | lo
    }
}

fn check_program_model(program: &Program<'_>) {
    let len = program.len();
    assert!(len >= 1, "a text has at least one line");
    if let Some(width) = program.tab_width() {
        assert!(width > 0);
    }
    for index in 0..len {
        let children = program.children(index);
        assert_eq!(children.start, index + 1);
        assert!(children.end <= len);
        let own = program.indent(index);
        assert!(children.clone().all(|child| program.indent(child) > own));
        if children.end < len {
            assert!(program.indent(children.end) <= own);
        }
        for bias in [Some(1.0), Some(0.5), None] {
            let weight = program.weight(index, bias);
            assert!(weight.is_finite() && weight > 0.0, "weight {weight}");
        }
    }
    for rules in [
        CandidateRules::default(),
        CandidateRules {
            ignore_comments: false,
            ignore_global_defs: false,
            ignore_imports: true,
        },
    ] {
        let candidates = program.candidates(rules);
        assert!(candidates.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(candidates.iter().all(|&line| line < len));
    }
}

/// Deletes `line` with its children, then whatever the checker blames (with
/// children), for a few rounds, checking every state.
fn check_partial(
    program: &Program<'_>,
    checker: &dyn Checker,
    line: usize,
    out: &mut Vec<Diagnostic>,
) {
    let mut deleted = vec![false; program.len()];
    let mut blamed = vec![line];
    for _ in 0..ROUNDS {
        for line in blamed.drain(..) {
            deleted[line] = true;
            for child in program.children(line) {
                deleted[child] = true;
            }
        }
        let kept: Vec<usize> = (0..program.len()).filter(|&i| !deleted[i]).collect();
        if kept.is_empty() {
            return;
        }
        let text = kept
            .iter()
            .map(|&i| program.line(i))
            .collect::<Vec<_>>()
            .join("\n");
        out.clear();
        checker.check(&text, out);
        assert_diagnostics(&text, out);
        assert_prefix_agrees(&text, out);
        blamed.extend(out.iter().map(|d| kept[d.line as usize - 1]));
        if blamed.is_empty() {
            return;
        }
    }
}

/// A syntax error found from a prefix of `text` is the whole parse's, and
/// the bound checker's `reported` diagnostics are exactly it.
fn assert_prefix_agrees(text: &str, reported: &[Diagnostic]) {
    if let Some(error) = syntax_error_from_prefix(text) {
        let whole = check(text);
        assert_eq!(whole, [error.clone()], "prefix and whole parse differ");
        assert_eq!(reported, [error], "the bound checker differs");
    }
}

fn assert_diagnostics(text: &str, diagnostics: &[Diagnostic]) {
    let lines = text.split('\n').count();
    for diagnostic in diagnostics {
        assert!(
            (1..=lines).contains(&(diagnostic.line as usize)),
            "diagnostic {diagnostic} outside the {lines} lines of the text"
        );
        assert!(
            CODES.iter().any(|(code, _)| *code == diagnostic.code),
            "unknown code in {diagnostic}"
        );
    }
}

/// The pipeline on one row: the diffs replay to the program, and every state
/// but the whole program is clean.
fn sample_end_to_end(response: &str, seed: u64) {
    let Ok(program) = pipeline::prepare(response) else {
        return;
    };
    let generation = Generation {
        paths: 1,
        seed,
        sampler: SamplerOptions::default(),
    };
    let Ok(paths) = pipeline::edit_paths(&program, &PythonChecker::default(), &generation, 0)
    else {
        return;
    };
    let checker = PythonChecker::default().for_program(&program);
    for diffs in paths {
        for diff in &diffs {
            assert!(
                diff.split('\n').all(|line| !line.starts_with('-')),
                "not an insertion: {diff:?}"
            );
        }
        let resolved = resolve(diffs.iter().map(String::as_str));
        assert!(resolved.issues.is_empty(), "{:?}", resolved.issues);
        assert_eq!(resolved.program(), program, "round trip");
        let mut seen = HashSet::new();
        for step in 1..diffs.len() {
            let state = resolve(diffs[..step].iter().map(String::as_str)).program();
            if seen.insert(state.clone()) {
                let found = checker.diagnostics(&state);
                assert!(
                    found.is_empty(),
                    "state {step} of {} is not clean: {found:?}\n{state}",
                    diffs.len()
                );
            }
        }
    }
}
