//! How deeply a module's syntax tree nests.
//!
//! The checks walk the syntax tree recursively, so a tree nested tens of
//! thousands of levels deep (`f()()…`, `- - - x`, `a.b.c…`, `[[[…]]]`, all
//! within a 64 KiB program) would overflow the stack of the thread checking
//! it. CPython refuses such programs too: past 200 nested brackets ("too many
//! nested parentheses") or about 3,000 levels of syntax tree ("maximum
//! recursion depth exceeded during ast construction"). A module nested deeper
//! than [`MAX_DEPTH`] is a syntax error and is not analysed, and one with
//! more than [`MAX_BRACKETS`] nested brackets is one, as in CPython, before
//! it is even parsed: ruff's parser recurses without bound on some shapes
//! of deep brackets (the targets it marks as stored), on a stack segment of
//! its own that we cannot size.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, Pattern, Stmt};
use ruff_text_size::{Ranged, TextSize};

/// The deepest nesting of statements, expressions and patterns analysed.
pub(crate) const MAX_DEPTH: u32 = 500;

/// Stack bytes reserved per byte of source for parsing, checking and freeing
/// a program. ruff's parser and its drop glue recurse once per level of
/// nesting; the costliest shape known, `lambda x=lambda x=…`, takes about
/// 130 bytes of stack per byte of source (1,450 levels in 16 KB overflow a
/// 2 MiB stack). This allows four times that.
const STACK_PER_BYTE: usize = 512;

/// Stack reserved on top of that, for the checks (which stop at
/// [`MAX_DEPTH`]) and the caller.
const STACK_BASE: usize = 256 << 10;

/// Runs `work` (which parses `source_len` bytes of source, checks and frees
/// the tree) where the stack has room for the deepest tree that source can
/// hold: on the current stack when it has that much left, which on a thread
/// with a few MiB is true of any ordinary program, else on a segment of its
/// own. A program nested 30,000 levels deep is parsed without overflowing
/// the stack of whatever thread checks it, and then reported by
/// [`too_deep`].
pub(crate) fn with_stack_for<R>(source_len: usize, work: impl FnOnce() -> R) -> R {
    let need = source_len
        .saturating_mul(STACK_PER_BYTE)
        .saturating_add(STACK_BASE);
    stacker::maybe_grow(need, need, work)
}

/// The most brackets CPython's tokenizer lets nest (`MAXLEVEL`); one more is
/// "too many nested parentheses".
pub(crate) const MAX_BRACKETS: u32 = 200;

/// The offset of the first bracket nested deeper than [`MAX_BRACKETS`], if
/// any: brackets as CPython's tokenizer counts them, outside strings and
/// comments. (Brackets in an f-string's replacement fields are not counted,
/// and a string is read as the tokenizer reads it before Python 3.12, which
/// can miss a level but not find one that a program which tokenizes lacks.)
pub(crate) fn too_many_brackets(source: &str) -> Option<TextSize> {
    let bytes = source.as_bytes();
    // Nesting deeper than the limit needs more opening brackets than it: a
    // count the compiler vectorises settles almost every program at once.
    let opening = bytes
        .iter()
        .filter(|&&b| matches!(b, b'(' | b'[' | b'{'))
        .count();
    if opening <= MAX_BRACKETS as usize {
        return None;
    }
    let mut depth = 0u32;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'#' => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
                continue;
            }
            quote @ (b'"' | b'\'') => {
                at = string_end(bytes, at, quote);
                continue;
            }
            b'(' | b'[' | b'{' => {
                if depth == MAX_BRACKETS {
                    return Some(TextSize::new(u32::try_from(at).unwrap_or(u32::MAX)));
                }
                depth += 1;
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    None
}

/// Where the string literal whose opening quote is at `start` ends: past its
/// closing quote, at the end of the line for an unterminated single-quoted
/// string, or at the end of the source.
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let triple = bytes.get(start..start + 3) == Some(&[quote; 3][..]);
    let mut at = start + if triple { 3 } else { 1 };
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'\n' if !triple => return at,
            byte if byte == quote => {
                if !triple {
                    return at + 1;
                }
                if bytes.get(at..at + 3) == Some(&[quote; 3][..]) {
                    return at + 3;
                }
                at += 1;
            }
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Where `module` first nests deeper than [`MAX_DEPTH`], if it does.
pub(crate) fn too_deep(module: &ModModule) -> Option<TextSize> {
    let mut depth = Depth {
        depth: 0,
        past_limit: None,
    };
    depth.visit_body(&module.body);
    depth.past_limit
}

struct Depth {
    depth: u32,
    past_limit: Option<TextSize>,
}

impl Depth {
    /// Walks one node a level deeper, unless that is past the limit.
    fn enter(&mut self, node: &impl Ranged, walk: impl FnOnce(&mut Self)) {
        if self.past_limit.is_some() {
            return;
        }
        if self.depth == MAX_DEPTH {
            self.past_limit = Some(node.start());
            return;
        }
        self.depth += 1;
        walk(self);
        self.depth -= 1;
    }
}

impl<'a> Visitor<'a> for Depth {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.enter(stmt, |this| visitor::walk_stmt(this, stmt));
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.enter(expr, |this| visitor::walk_expr(this, expr));
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        self.enter(pattern, |this| visitor::walk_pattern(this, pattern));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;

    fn nesting_errors(source: &str) -> Vec<u32> {
        check(source)
            .into_iter()
            .filter(|d| d.code == "E0001" && d.message.starts_with("too many nested"))
            .map(|d| d.line)
            .collect()
    }

    /// Runs `check` on a thread with a 2 MiB stack, a worker thread's.
    fn on_small_stack(program: String) -> Vec<u32> {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || nesting_errors(&program))
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn the_limit_is_the_depth_of_the_tree() {
        let n = MAX_DEPTH as usize;
        // The statement, n - 2 unary operators and the literal: n levels.
        let deepest = format!("x = 1\ny = {}1", "-".repeat(n - 2));
        assert!(check(&deepest).is_empty());
        let deeper = format!("x = 1\ny = {}1", "-".repeat(n - 1));
        assert_eq!(nesting_errors(&deeper), [2]);
        // Every shape at the limit is analysed, within a worker's stack.
        let at_limit = [
            format!("x = f{}", "()".repeat(n - 2)),
            format!("x = a{}", ".b".repeat(n - 2)),
            format!("x = a{}", "[0]".repeat(n - 2)),
            format!(
                "x = {}{}",
                "[".repeat(MAX_BRACKETS as usize),
                "]".repeat(MAX_BRACKETS as usize)
            ),
            format!("x = {}", vec!["1"; n - 1].join(" + ")),
            format!("x = {}1", "lambda: ".repeat(n - 2)),
            format!("x = {}1", "not ".repeat(n - 2)),
        ];
        for program in at_limit {
            assert_eq!(on_small_stack(program), [] as [u32; 0]);
        }
    }

    #[test]
    fn brackets_nest_as_deeply_as_cpython_lets_them() {
        let n = MAX_BRACKETS as usize;
        let at_limit = format!("x = 1\ny = {}{}", "([{".repeat(n / 3), "}])".repeat(n / 3));
        assert!(check(&at_limit).is_empty());
        // CPython: "too many nested parentheses" at the 201st bracket.
        let over = format!("x = (\n{}{}", "(".repeat(n), ")".repeat(n + 1));
        let errors: Vec<_> = check(&over).into_iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(errors, [(2, "E0001")]);
        // Brackets in strings and comments are text.
        let quoted = format!(
            r#"x = '{0}' + "{0}" + '''
{0}''' + r'\'' + '\\'  # {0}
y = 1"#,
            "(".repeat(n + 1)
        );
        assert!(too_many_brackets(&quoted).is_none());
        assert!(check(&quoted).is_empty());
    }

    #[test]
    fn deep_programs_are_errors_not_stack_overflows() {
        // Found while fuzzing, by 60 KiB seeds written for the time limit:
        // 30,000 chained calls, unary operators, attributes or nested lists
        // overflowed the 2 MiB stack of a worker thread in the checker's
        // recursive walks and aborted the process.
        let n = 30_000;
        // Found by CI's fuzzing pass: ruff's parser itself recurses about
        // 1.4 KiB per `lambda x=`, so 1,450 of them (16 KB) overflowed it.
        let lambdas = 6_000;
        let programs = [
            // Found by CI's fuzzing pass too: an unbalanced version of the
            // nested lists sent ruff's parser into a recursion that it runs
            // on a 1 MiB stack segment of its own (`set_expr_ctx`).
            (format!("x = {}{}", "[".repeat(n + 1), "]".repeat(n)), 1),
            (
                format!(
                    "x = {}1{}",
                    "lambda x=".repeat(lambdas),
                    ":0".repeat(lambdas)
                ),
                1,
            ),
            (format!("x = f{}", "()".repeat(n)), 1),
            (format!("x = {}1", "-".repeat(n)), 1),
            (format!("x = a{}", ".b".repeat(n)), 1),
            (format!("x = {}{}", "[".repeat(n), "]".repeat(n)), 1),
            (format!("x = {}", vec!["1"; n].join(" + ")), 1),
            (
                format!(
                    "match x:\n    case {}{}:\n        pass",
                    "[".repeat(n),
                    "]".repeat(n)
                ),
                2,
            ),
        ];
        for (program, line) in programs {
            assert_eq!(on_small_stack(program), [line]);
        }
    }
}
