//! E0108 duplicate-argument-name.
//!
//! **What it flags:** a `def` or `lambda` with two parameters of the same
//! name.
//!
//! **Why:** CPython refuses to compile it; it can appear when lines of a
//! multi-line signature are deleted and others kept.
//!
//! **Example:**
//! ```python
//! def f(a, a):
//!     pass
//! ```
//! is reported on line 1.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Parameters, Stmt};
use rustc_hash::FxHashSet;

use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut walker = Walker { context, out };
    walker.visit_body(&context.module.body);
}

struct Walker<'c, 'a> {
    context: &'c Context<'a>,
    out: &'c mut Vec<Diagnostic>,
}

impl Walker<'_, '_> {
    fn check_parameters(&mut self, parameters: &Parameters) {
        let mut seen = FxHashSet::default();
        for parameter in parameters.iter() {
            let name = parameter.name();
            if !seen.insert(name.as_str()) {
                self.out.push(self.context.diagnostic(
                    name.range.start(),
                    "E0108",
                    format!(
                        "Duplicate argument name '{}' in function definition",
                        name.as_str()
                    ),
                ));
            }
        }
    }
}

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(def) = stmt {
            self.check_parameters(&def.parameters);
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Lambda(lambda) = expr
            && let Some(parameters) = &lambda.parameters
        {
            self.check_parameters(parameters);
        }
        visitor::walk_expr(self, expr);
    }
}
