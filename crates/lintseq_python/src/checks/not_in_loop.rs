//! E0103 not-in-loop.
//!
//! **What it flags:** `break` or `continue` outside the body of a `for` or
//! `while` loop of the same function (a loop's `else:` does not count).
//!
//! **Why:** when a loop header is blamed and deleted on its own, or a
//! nested `def` separates the statement from its loop, CPython refuses to
//! compile the program.
//!
//! **Example:**
//! ```python
//! for x in xs:
//!     pass
//! else:
//!     break
//! ```
//! is reported on line 4.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut walker = Walker {
        context,
        out,
        in_loop: false,
    };
    walker.visit_body(&context.module.body);
}

struct Walker<'c, 'a> {
    context: &'c Context<'a>,
    out: &'c mut Vec<Diagnostic>,
    in_loop: bool,
}

impl Walker<'_, '_> {
    fn with_loop<'b>(
        &mut self,
        in_loop: bool,
        body: &'b [Stmt],
        visit: impl FnOnce(&mut Self, &'b [Stmt]),
    ) {
        let saved = std::mem::replace(&mut self.in_loop, in_loop);
        visit(self, body);
        self.in_loop = saved;
    }
}

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::For(for_stmt) => {
                self.with_loop(true, &for_stmt.body, |w, b| w.visit_body(b));
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::While(while_stmt) => {
                self.with_loop(true, &while_stmt.body, |w, b| w.visit_body(b));
                self.visit_body(&while_stmt.orelse);
            }
            Stmt::FunctionDef(def) => self.with_loop(false, &def.body, |w, b| w.visit_body(b)),
            Stmt::ClassDef(class) => self.with_loop(false, &class.body, |w, b| w.visit_body(b)),
            Stmt::Break(_) | Stmt::Continue(_) if !self.in_loop => {
                let keyword = if matches!(stmt, Stmt::Break(_)) {
                    "break"
                } else {
                    "continue"
                };
                self.out.push(self.context.diagnostic(
                    stmt.start(),
                    "E0103",
                    format!("'{keyword}' not properly in loop"),
                ));
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, _expr: &'a Expr) {}
}
