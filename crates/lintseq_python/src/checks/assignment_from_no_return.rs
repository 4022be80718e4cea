//! E1111 assignment-from-no-return and E1128 assignment-from-none.
//!
//! **What it flags:** `x = f(...)` where `f` is a function (or a method
//! called through `self`) of this program, without decorators, that returns
//! nothing (E1111) or only ever `None` (E1128). Generators, async functions,
//! abstract methods and functions that only raise are exempt.
//!
//! **Why:** deleting the `return` of a helper leaves every assignment of its
//! result reading `None`, which pylint reports.
//!
//! **Example:**
//! ```python
//! def total(xs):
//!     s = sum(xs)
//! result = total([1, 2])
//! ```
//! is reported on line 3.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::calls::{CallSite, Callee, Resolver};
use crate::context::Context;

pub(crate) fn check(
    context: &Context<'_>,
    sites: &[CallSite<'_>],
    resolver: &Resolver<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    for site in sites {
        let Some(assign) = site.assigned_from else {
            continue;
        };
        let Callee::Function { def, .. } = resolver.callee(site) else {
            continue;
        };
        if !def.decorator_list.is_empty() || def.is_async || is_error(def) || is_abstract(def) {
            continue;
        }
        let mut returns = Returns::default();
        returns.visit_body(&def.body);
        if returns.yields {
            continue;
        }
        let name = def.name.as_str();
        if returns.values == 0 && returns.nones == 0 {
            out.push(context.diagnostic(
                assign.start(),
                "E1111",
                format!(
                    "Assigning result of a function call, where the function '{name}' has no return"
                ),
            ));
        } else if returns.values == 0 {
            out.push(context.diagnostic(
                assign.start(),
                "E1128",
                format!(
                    "Assigning result of a function call, where the function '{name}' returns None"
                ),
            ));
        }
    }
}

/// A body that is a single `raise`.
fn is_error(def: &ast::StmtFunctionDef) -> bool {
    matches!(body_without_docstring(def), [Stmt::Raise(_)])
}

/// The first statement raises `NotImplementedError`.
fn is_abstract(def: &ast::StmtFunctionDef) -> bool {
    match body_without_docstring(def).first() {
        Some(Stmt::Raise(raise)) => raise.exc.as_deref().is_some_and(|exc| {
            let name = match exc {
                Expr::Call(call) => call.func.as_ref(),
                other => other,
            };
            matches!(name, Expr::Name(n) if n.id.as_str() == "NotImplementedError")
        }),
        _ => false,
    }
}

pub(crate) fn body_without_docstring(def: &ast::StmtFunctionDef) -> &[Stmt] {
    match def.body.split_first() {
        Some((Stmt::Expr(expr), rest)) if matches!(expr.value.as_ref(), Expr::StringLiteral(_)) => {
            rest
        }
        _ => &def.body,
    }
}

/// The `return`s and `yield`s of a function body, outside nested scopes.
#[derive(Default)]
pub(crate) struct Returns {
    /// `return <something other than None>`.
    pub(crate) values: usize,
    /// Bare `return` and `return None`.
    pub(crate) nones: usize,
    pub(crate) yields: bool,
}

impl<'a> Visitor<'a> for Returns {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Return(ret) => match ret.value.as_deref() {
                None | Some(Expr::NoneLiteral(_)) => self.nones += 1,
                Some(value) => {
                    self.values += 1;
                    self.visit_expr(value);
                }
            },
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Yield(_) | Expr::YieldFrom(_) => self.yields = true,
            Expr::Lambda(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}
