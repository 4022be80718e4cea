//! The syntax error found from a prefix of a program is the one the whole
//! parse finds: compared on every program the sampler checks while cutting
//! edit paths from the check fixtures, on programs made to probe what lies
//! past the prefix, and on whole corpora (the example dataset by default).

use std::sync::atomic::{AtomicUsize, Ordering};

use lintseq_core::checker::Language;
use lintseq_core::pipeline::{Generation, edit_paths, prepare};
use lintseq_core::{Checker, Diagnostic};
use lintseq_python::{check, syntax_error_from_prefix};

/// Checks as the whole parse does and compares the prefix's answer with it.
struct Comparing<'a> {
    counts: &'a Counts,
}

#[derive(Default)]
struct Counts {
    checked: AtomicUsize,
    broken: AtomicUsize,
    answered: AtomicUsize,
}

impl Checker for Comparing<'_> {
    fn check(&self, source: &str, out: &mut Vec<Diagnostic>) {
        let whole = compare(source, self.counts);
        out.extend(whole);
    }
}

impl Language for Comparing<'_> {
    fn checker(&self, _program: &str) -> Box<dyn Checker + '_> {
        Box::new(Comparing {
            counts: self.counts,
        })
    }
}

/// The whole parse's diagnostics of `source`, after asserting that the
/// prefix gives the same syntax error or none.
fn compare(source: &str, counts: &Counts) -> Vec<Diagnostic> {
    let whole = check(source);
    counts.checked.fetch_add(1, Ordering::Relaxed);
    if whole.iter().any(|d| d.code == "E0001") {
        counts.broken.fetch_add(1, Ordering::Relaxed);
    }
    if let Some(prefix) = syntax_error_from_prefix(source) {
        counts.answered.fetch_add(1, Ordering::Relaxed);
        assert_eq!(
            whole,
            vec![prefix],
            "the prefix and the whole parse differ on\n{source}"
        );
    }
    whole
}

fn sample_all(programs: &[String], seeds: u64, counts: &Counts) {
    let language = Comparing { counts };
    for (index, program) in programs.iter().enumerate() {
        let Ok(program) = prepare(program) else {
            continue;
        };
        let generation = Generation {
            paths: 1,
            ..Generation::default()
        };
        for seed in 0..seeds {
            let generation = Generation {
                seed,
                ..generation.clone()
            };
            let _ = edit_paths(&program, &language, &generation, index as u64);
        }
    }
}

#[test]
fn prefix_agrees_on_every_state_the_sampler_checks() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/resources/checks");
    let mut programs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            programs.push(std::fs::read_to_string(path).unwrap());
        }
    }
    programs.sort();
    let counts = Counts::default();
    sample_all(&programs, 20, &counts);
    let (broken, answered) = (
        counts.broken.load(Ordering::Relaxed),
        counts.answered.load(Ordering::Relaxed),
    );
    // The prefix must actually answer for a good share of broken programs,
    // or this test compares nothing.
    assert!(answered * 10 >= broken, "{answered} of {broken}");
}

#[test]
fn prefix_agrees_where_what_follows_could_matter() {
    let programs = [
        // An unclosed string after the first error wins over it.
        "def f():\n    given threshold.\n    x = 1\n    \"\"\"\n",
        "def f():\n    given threshold.\n    it's\n",
        // A bracket out of place after it.
        "def f():\n    given threshold.\n    x = (1\n",
        "def f():\n    given threshold.\n    x = 1)\n",
        "def f():\n    given threshold.\n    x = [1)\n",
        // An f-string after it.
        "def f():\n    given threshold.\n    x = f'{y}'\n",
        // A try whose handler comes after the prefix.
        "try:\n    given threshold\nexcept ValueError:\n    pass\n",
        "try:\n    x = 1\n    given threshold\nexcept* ValueError:\n    pass\nexcept TypeError:\n    pass\n",
        // A decorator, a match, an else after the first error.
        "@dec\ndef f():\n    a b\n    return 1\n",
        "match x:\n    case 1:\n        a b\n    case 2:\n        pass\n",
        "if x:\n    a b\nelse:\n    pass\n",
        "for x in y:\n    a b\nelse:\n    pass\n",
        // A header whose block is missing, then more.
        "def f():\nreturn 1\n",
        "if x:\n# note\n\ny = 1\n",
        "class A:\n    def f(self):\n    pass\n",
        // `name:` alone.
        "def f():\n    Examples:\n        >>> f(1)\n",
        // Unexpected indent before the first invalid line.
        "x = 1\n        y = 2\na b\n",
        // Newlines in strings and after a backslash before the error.
        "s = '''\nmany\nlines\n'''\nx = 1 + \\\n    2\na b\n",
        // Windows and old Mac line endings.
        "def f():\r\n    a b\r\n    return 1\r\n",
        "def f():\r    a b\r    return 1\r",
        // The error on the last line, with and without a final newline.
        "x = 1\na b",
        "x = 1\na b\n",
        // Syntax newer than Python 3.11 before and after the error.
        "type X = int\na b\n",
        "a b\ntype X = int\n",
        "def f[T](x: T):\n    a b\n",
        // Soft keywords.
        "match = 1\ncase = 2\ntype = 3\nprint match\n",
        // Deep brackets.
        "x = ((((((((((1))))))))))\na b\n",
        // Operands in a row inside brackets and across a continuation.
        "x = (a\n     b)\n",
        "x = a \\\n    b\n",
        // Stray characters.
        "a b\nx = $\n",
        // A malformed number after a character that is not part of a name
        // (found by the checker fuzz target).
        "x = [\n    \"a\"b\n]\ny = \u{fffd}0602\n",
        "x = [\n    \"a\"b\n]\ny = é0602 + $0602 + .05\n",
        // A string that the guessed prefix would cut open (found by the
        // checker fuzz target).
        "s = ''s = '''\nmany\nlines\nb'e'''\nx = 1\n",
        // Literals the parser rejects after the prefix.
        "a b\nx = '\\N{NO SUCH NAME}'\n",
        "a b\nx = '\\N'\n",
        "a b\nx = '\\x4'\n",
        "a b\nx = '\\u12'\n",
        "a b\nx = b'é'\n",
        "a b\nx = rb'\\xé'\n",
        "x = 1 ? 2\na b\n",
        // Tabs and mixed indentation.
        "if x:\n\ta b\n        c = 1\n",
        "if x:\n    y = 1\n  a b\n",
        // Constructs that the parser reads on through a newline while it
        // recovers, placing an error at the statement's start once it ends
        // (the first found by the checker fuzz target).
        "lambda a b\n: 0: int\n",
        "lambda x=lambda y=1: 0 z\n: 0: 1\n",
        "lambda\nx y\n: 0: int\n",
        "f(lambda: 0)\nlambda a b\n: 0: int\n",
        "with (a) b c\n: 0: int\n",
        "match x:\n    case a b\n: 0: int\n",
        "match x:\n    case a, b c\n    if d: pass\n",
    ];
    let counts = Counts::default();
    for program in programs {
        compare(program, &counts);
    }
    let with_lines: Vec<String> = programs.iter().map(|p| p.to_string()).collect();
    sample_all(&with_lines, 10, &counts);
    assert!(counts.answered.load(Ordering::Relaxed) > 0);
}

/// Every state of 5 paths per row of JSONL corpora with a `response` field:
/// the repository's example dataset, or those `LINTSEQ_PREFIX_CORPORA`
/// names (`a.jsonl:b.jsonl`, such as bench/corpus.py builds; absolute paths,
/// as the test runs in the crate's folder).
#[test]
#[allow(clippy::print_stderr, reason = "it reports how much was compared")]
fn prefix_agrees_on_corpora() {
    let paths = std::env::var("LINTSEQ_PREFIX_CORPORA").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/instruct.jsonl").to_string()
    });
    let mut answered = 0;
    for path in paths.split(':') {
        let text = std::fs::read_to_string(path).unwrap();
        let programs: Vec<String> = text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let row: serde_json::Value = serde_json::from_str(line).unwrap();
                row["response"].as_str().unwrap_or_default().to_string()
            })
            .collect();
        let counts = Counts::default();
        sample_all(&programs, 5, &counts);
        eprintln!(
            "{path}: {} programs checked, {} broken, {} answered from a prefix",
            counts.checked.load(Ordering::Relaxed),
            counts.broken.load(Ordering::Relaxed),
            counts.answered.load(Ordering::Relaxed)
        );
        answered += counts.answered.load(Ordering::Relaxed);
    }
    assert!(
        answered > 0,
        "the prefix answered nothing, so nothing was compared"
    );
}
