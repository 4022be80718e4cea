//! How deeply a module's syntax tree nests.
//!
//! The checks walk the syntax tree recursively, so a tree nested tens of
//! thousands of levels deep (`f()()…`, `- - - x`, `a.b.c…`, `[[[…]]]`, all
//! within a 64 KiB program) would overflow the stack of the thread checking
//! it. CPython refuses such programs too: past 200 nested brackets ("too many
//! nested parentheses") or about 3,000 levels of syntax tree ("maximum
//! recursion depth exceeded during ast construction"). A module nested deeper
//! than [`MAX_DEPTH`] is a syntax error and is not analysed.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, Pattern, Stmt};
use ruff_text_size::{Ranged, TextSize};

/// The deepest nesting of statements, expressions and patterns analysed.
pub(crate) const MAX_DEPTH: u32 = 500;

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
            format!("x = {}{}", "[".repeat(n - 1), "]".repeat(n - 1)),
            format!("x = {}", vec!["1"; n - 1].join(" + ")),
            format!("x = {}1", "lambda: ".repeat(n - 2)),
            format!("x = {}1", "not ".repeat(n - 2)),
        ];
        for program in at_limit {
            assert_eq!(on_small_stack(program), [] as [u32; 0]);
        }
    }

    #[test]
    fn deep_programs_are_errors_not_stack_overflows() {
        // Found while fuzzing, by 60 KiB seeds written for the time limit:
        // 30,000 chained calls, unary operators, attributes or nested lists
        // overflowed the 2 MiB stack of a worker thread in the checker's
        // recursive walks and aborted the process.
        let n = 30_000;
        let programs = [
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
