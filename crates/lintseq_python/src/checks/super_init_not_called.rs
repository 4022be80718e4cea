//! W0231 super-init-not-called.
//!
//! **What it flags:** an `__init__` that calls neither `super().__init__()`
//! nor `Base.__init__(self, ...)` for a base whose `__init__` is defined in
//! this program; and, for a base we cannot see, an `__init__` that called a
//! base `__init__` in the original program but no longer does.
//!
//! **Why:** pylint treats this warning as an error in LintSeq's
//! configuration, and deleting the `super().__init__(...)` line of a
//! subclass is enough to trigger it.
//!
//! **Example:**
//! ```python
//! class Base:
//!     def __init__(self):
//!         self.ready = True
//! class Child(Base):
//!     def __init__(self):
//!         self.extra = 1
//! ```
//! is reported on line 5.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr};

use crate::classes::{Base, Classes};
use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, classes: &Classes<'_>, out: &mut Vec<Diagnostic>) {
    for class in &classes.all {
        let Some(init) = class.init else {
            continue;
        };
        let calls = InitCalls::of(init);
        if calls.super_init {
            continue;
        }
        let mut missing: Vec<&str> = Vec::new();
        for base in &class.bases {
            match *base {
                Base::Local(base) => {
                    let has_init = classes
                        .lineage(base)
                        .iter()
                        .any(|&i| classes.all[i].init.is_some());
                    let name = classes.all[base].name();
                    if has_init && !calls.named.contains(&name) {
                        missing.push(name);
                    }
                }
                Base::Unknown => {
                    if context.baseline.init_calls_base.contains(&class.qualname)
                        && calls.named.is_empty()
                    {
                        missing.push("?");
                    }
                }
                Base::Object => {}
            }
        }
        for name in missing {
            let message = if name == "?" {
                "__init__ method from a base class is not called".to_string()
            } else {
                format!("__init__ method from base class '{name}' is not called")
            };
            out.push(context.diagnostic(init.name.range.start(), "W0231", message));
        }
    }
}

/// Whether `init` calls some base's `__init__`.
pub(crate) fn calls_base_init(init: &ast::StmtFunctionDef) -> bool {
    let calls = InitCalls::of(init);
    calls.super_init || !calls.named.is_empty()
}

/// The `__init__` calls in a method body: `super(...).__init__(...)`, and
/// `Name.__init__(...)` by class name.
#[derive(Default)]
struct InitCalls<'a> {
    super_init: bool,
    named: Vec<&'a str>,
}

impl<'a> InitCalls<'a> {
    fn of(init: &'a ast::StmtFunctionDef) -> Self {
        let mut calls = InitCalls::default();
        calls.visit_body(&init.body);
        calls
    }
}

impl<'a> Visitor<'a> for InitCalls<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Attribute(attribute) = call.func.as_ref()
            && attribute.attr.as_str() == "__init__"
        {
            match attribute.value.as_ref() {
                Expr::Call(inner) => {
                    if matches!(inner.func.as_ref(), Expr::Name(n) if n.id.as_str() == "super") {
                        self.super_init = true;
                    }
                }
                Expr::Name(name) => self.named.push(name.id.as_str()),
                Expr::Attribute(base) => self.named.push(base.attr.as_str()),
                _ => {}
            }
        }
        visitor::walk_expr(self, expr);
    }
}
