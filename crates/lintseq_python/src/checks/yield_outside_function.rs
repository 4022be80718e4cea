//! E0105 yield-outside-function and E1142 await-outside-async.
//!
//! **What it flags:** `yield`, `yield from` or `await` at module or class
//! level (where CPython refuses them), `yield` inside a comprehension, and
//! `await` in a function that is not `async def`.
//!
//! **Why:** these compile errors appear when the `def` around them is
//! replaced by a different one, or its header is deleted as blamed.
//!
//! **Example:**
//! ```python
//! def f():
//!     await g()
//! ```
//! is reported on line 2.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut walker = Walker {
        context,
        out,
        frame: Frame::Module,
    };
    walker.visit_body(&context.module.body);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Module,
    Function { is_async: bool },
    Lambda,
    Comprehension { in_async: bool },
}

struct Walker<'c, 'a> {
    context: &'c Context<'a>,
    out: &'c mut Vec<Diagnostic>,
    frame: Frame,
}

impl Walker<'_, '_> {
    fn with_frame(&mut self, frame: Frame, f: impl FnOnce(&mut Self)) {
        let saved = std::mem::replace(&mut self.frame, frame);
        f(self);
        self.frame = saved;
    }
}

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                self.visit_parameters(&def.parameters);
                if let Some(returns) = &def.returns {
                    self.visit_expr(returns);
                }
                let frame = Frame::Function {
                    is_async: def.is_async,
                };
                self.with_frame(frame, |this| this.visit_body(&def.body));
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_expr(&decorator.expression);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.with_frame(Frame::Module, |this| this.visit_body(&class.body));
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                let message = match self.frame {
                    Frame::Module => Some("Yield outside function"),
                    Frame::Comprehension { .. } => Some("'yield' inside a comprehension"),
                    _ => None,
                };
                if let Some(message) = message {
                    self.out.push(self.context.diagnostic(
                        expr.start(),
                        "E0105",
                        message.to_string(),
                    ));
                }
            }
            Expr::Await(_) => {
                let allowed = matches!(
                    self.frame,
                    Frame::Function { is_async: true } | Frame::Comprehension { in_async: true }
                );
                if !allowed {
                    self.out.push(self.context.diagnostic(
                        expr.start(),
                        "E1142",
                        "'await' should be used within an async function".to_string(),
                    ));
                }
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    self.visit_parameters(parameters);
                }
                self.with_frame(Frame::Lambda, |this| this.visit_expr(&lambda.body));
                return;
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                let in_async = matches!(
                    self.frame,
                    Frame::Function { is_async: true } | Frame::Comprehension { in_async: true }
                );
                self.with_frame(Frame::Comprehension { in_async }, |this| {
                    visitor::walk_expr(this, expr);
                });
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
