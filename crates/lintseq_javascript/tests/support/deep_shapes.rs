//! Deeply nested programs, one per shape that makes oxc's parser, semantic
//! analysis or our checks recurse: shared by `tests/deep.rs` and the
//! `stackprobe` example.

/// `open` repeated, then `middle`, then `close` repeated: `size` bytes or so.
fn nested(size: usize, open: &str, middle: &str, close: &str) -> String {
    let levels = size / (open.len() + close.len()).max(1);
    let mut text = open.repeat(levels);
    text.push_str(middle);
    text.push_str(&close.repeat(levels));
    text
}

/// Every shape, named, about `size` bytes of source each.
pub fn shapes(size: usize) -> Vec<(&'static str, String)> {
    let nested = |open, middle, close| nested(size, open, middle, close);
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
