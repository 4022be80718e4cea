//! W0231 super-init-not-called.
//!
//! **What it flags:** an `__init__` that calls neither `super().__init__()`
//! nor `Base.__init__(self, ...)` for a base whose `__init__` is defined in
//! this program; and, for bases we cannot see, an `__init__` that called a
//! base `__init__` in the original program but no longer calls any, or no
//! longer calls one it called by name (`TCPServer.__init__(self, ...)`).
//! Builtin bases (`Exception`, `dict`) are exempt, as in pylint.
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
use crate::semantic::is_builtin;

pub(crate) fn check(context: &Context<'_>, classes: &Classes<'_>, out: &mut Vec<Diagnostic>) {
    for class in &classes.all {
        let Some(init) = class.init else {
            continue;
        };
        let calls = InitCalls::of(init);
        if calls.super_init {
            continue;
        }
        let original = context.baseline.init_calls_base.get(&class.qualname);
        let base_expressions = class.def.arguments.as_ref().map(|a| &a.args[..]);
        let mut missing: Vec<&str> = Vec::new();
        for (index, base) in class.bases.iter().enumerate() {
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
                    let Some(original) = original else {
                        continue;
                    };
                    let name = base_expressions
                        .and_then(|bases| bases.get(index))
                        .and_then(base_name);
                    // pylint never asks for the `__init__` of a builtin
                    // (`Exception`, `dict`).
                    if name.is_some_and(|name| is_builtin(name) && !class_bound(context, name)) {
                        continue;
                    }
                    match name {
                        // The original called this base's `__init__` by name.
                        Some(name)
                            if original.iter().any(|called| called == name)
                                && !calls.named.contains(&name) =>
                        {
                            missing.push(name);
                        }
                        _ if calls.named.is_empty() && !missing.contains(&"?") => {
                            missing.push("?");
                        }
                        _ => {}
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

/// The name a base expression goes by: `Base`, or `Thread` for
/// `threading.Thread`.
fn base_name(base: &Expr) -> Option<&str> {
    match base {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

/// Whether the module itself binds `name` (shadowing a builtin).
fn class_bound(context: &Context<'_>, name: &str) -> bool {
    context
        .model
        .scope(crate::semantic::ScopeId::MODULE)
        .symbols
        .get(name)
        .is_some_and(|symbol| symbol.is_bound_here())
}

/// When `init` calls some base's `__init__`, the bases it calls by name.
pub(crate) fn base_inits_called(init: &ast::StmtFunctionDef) -> Option<Vec<String>> {
    let calls = InitCalls::of(init);
    (calls.super_init || !calls.named.is_empty())
        .then(|| calls.named.iter().map(|name| name.to_string()).collect())
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
