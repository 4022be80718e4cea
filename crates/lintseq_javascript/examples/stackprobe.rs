//! How much stack checking a deeply nested program takes: checks one shape
//! of `tests/deep.rs` on a thread with a stack of the given size (it exits
//! with a stack overflow if that is too little).
//!
//! ```text
//! cargo run -p lintseq_javascript --example stackprobe -- SHAPE STACK_KIB SOURCE_BYTES [ts]
//! ```

use lintseq_core::{Checker, Language};
use lintseq_javascript::{Dialect, JavaScriptChecker};

/// `open` repeated, then `middle`, then `close` repeated: `SIZE` bytes or so.
fn nested(open: &str, middle: &str, close: &str) -> String {
    let size: usize = std::env::args().nth(3).unwrap().parse().unwrap();
    let levels = size / (open.len() + close.len()).max(1);
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

#[allow(clippy::print_stdout)] // An example's output is its point.
fn main() {
    let i: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let kib: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let ts = std::env::args().nth(4).is_some();
    let (name, source) = shapes().swap_remove(i);
    let checker = JavaScriptChecker::new(if ts {
        Dialect::TypeScript
    } else {
        Dialect::JavaScript
    });
    let t = std::thread::Builder::new()
        .stack_size(kib << 10)
        .spawn(move || {
            let d = checker.for_program(&source).diagnostics(&source);
            let s = checker.structure(&source);
            (d.len(), s.is_some())
        })
        .unwrap();
    println!("{name} {:?}", t.join().unwrap());
}
