//! E0104 return-outside-function.
//!
//! **What it flags:** a `return` at module or class level.
//!
//! **Why:** deleting a `def` line deletes its body too, but a `return` can be
//! left behind when the checker blames and deletes a header on its own, and
//! CPython refuses to compile it.
//!
//! **Example:**
//! ```python
//! class A:
//!     return 1
//! ```
//! is reported on line 2.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut walker = Walker { context, out };
    walker.visit_body(&context.module.body);
}

struct Walker<'c, 'a> {
    context: &'c Context<'a>,
    out: &'c mut Vec<Diagnostic>,
}

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) => {}
            Stmt::Return(_) => self.out.push(self.context.diagnostic(
                stmt.start(),
                "E0104",
                "Return outside function".to_string(),
            )),
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, _expr: &'a Expr) {}
}
