//! Programs nested as deeply as 64 KiB of source allows are checked (and
//! their block structure found) on a 2 MiB thread stack without
//! overflowing it: oxc's parser, semantic analysis and our checks recurse
//! once per level of nesting.

use lintseq_core::{Checker, Language};
use lintseq_javascript::{Dialect, JavaScriptChecker};

const SIZE: usize = 64 << 10;

/// `open` repeated, then `middle`, then `close` repeated: `SIZE` bytes or so.
fn nested(open: &str, middle: &str, close: &str) -> String {
    let levels = SIZE / (open.len() + close.len()).max(1);
    let mut text = open.repeat(levels);
    text.push_str(middle);
    text.push_str(&close.repeat(levels));
    text
}

fn shapes() -> Vec<(&'static str, String)> {
    vec![
        ("arrays", nested("[", "x", "]")),
        ("parentheses", nested("(", "x", ")")),
        ("calls", nested("f(", "x", ")")),
        ("arrows", nested("a => ", "a", "")),
        ("async arrows", nested("async a => ", "a", "")),
        ("ternaries", nested("a ? b : ", "c", "")),
        ("nested ternaries", nested("a ? ", "b", " : c")),
        ("blocks", nested("{", "x;", "}")),
        ("objects", nested("({a:", "1", "})")),
        ("unary", nested("- ", "x", "")),
        ("not", nested("!", "x", "")),
        ("await", nested("await ", "x", "")),
        ("functions", nested("function f(){", "x;", "}")),
        ("ifs", nested("if (a) ", "x;", "")),
        ("templates", nested("`${", "x", "}`")),
        ("jsx", nested("<a>", "x", "</a>")),
        ("types", format!("let x: {};", nested("A<", "B", ">"))),
        ("unclosed arrays", nested("[", "", "")),
        ("unclosed blocks", nested("{", "", "")),
        ("unclosed calls", nested("f(", "", "")),
        ("member chains", nested("", "a", ".b")),
        ("binary", nested("", "a", " + a")),
    ]
}

#[test]
fn deep_programs_do_not_overflow_a_2_mib_stack() {
    for dialect in [Dialect::JavaScript, Dialect::TypeScript] {
        for (name, source) in shapes() {
            let name = format!("{name} ({})", dialect.name());
            let checker = JavaScriptChecker::new(dialect);
            let worker = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || {
                    let diagnostics = checker.for_program(&source).diagnostics(&source);
                    let structure = checker.structure(&source);
                    (diagnostics.len(), structure.is_some())
                })
                .unwrap();
            let result = worker.join();
            assert!(result.is_ok(), "{name}: the checker panicked");
        }
    }
}
