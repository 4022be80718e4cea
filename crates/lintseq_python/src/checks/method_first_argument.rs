//! E0211 no-method-argument and E0213 no-self-argument.
//!
//! **What it flags:** a method (a `def` in a class body, not a static or
//! class method, and not `__new__`, `__init_subclass__` or
//! `__class_getitem__`) with no parameters (E0211) or whose first parameter
//! is not named `self` (E0213). Metaclasses are not checked.
//!
//! **Why:** deleting a `@classmethod` or `@staticmethod` line turns
//! `def make(cls, ...)` into a method whose first argument is not `self`,
//! and deleting the `self,` line of a multi-line signature does the same.
//!
//! **Example:**
//! ```python
//! class A:
//!     def make(cls):
//!         return cls()
//! ```
//! is reported on line 2.

use lintseq_core::Diagnostic;
use ruff_python_ast::{Expr, Stmt};

use crate::classes::Classes;
use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, classes: &Classes<'_>, out: &mut Vec<Diagnostic>) {
    for class in &classes.all {
        if is_metaclass(class.def) {
            continue;
        }
        for stmt in &class.def.body {
            let Stmt::FunctionDef(def) = stmt else {
                continue;
            };
            let name = def.name.as_str();
            if matches!(name, "__new__" | "__init_subclass__" | "__class_getitem__") {
                continue;
            }
            let exempt = def.decorator_list.iter().any(|d| {
                matches!(&d.expression, Expr::Name(n) if matches!(n.id.as_str(), "staticmethod" | "classmethod"))
            });
            if exempt {
                continue;
            }
            let parameters = &def.parameters;
            let first = parameters.posonlyargs.iter().chain(&parameters.args).next();
            let offset = def.name.range.start();
            match first {
                Some(first) if first.name().as_str() == "self" => {}
                Some(_) => out.push(context.diagnostic(
                    offset,
                    "E0213",
                    format!("Method '{name}' should have \"self\" as first argument"),
                )),
                None if parameters.vararg.is_some() => out.push(context.diagnostic(
                    offset,
                    "E0213",
                    format!("Method '{name}' should have \"self\" as first argument"),
                )),
                None => out.push(context.diagnostic(
                    offset,
                    "E0211",
                    format!("Method '{name}' has no argument"),
                )),
            }
        }
    }
}

/// A class deriving from `type` (or a `...Meta` class) is a metaclass.
fn is_metaclass(class: &ruff_python_ast::StmtClassDef) -> bool {
    class.arguments.as_ref().is_some_and(|arguments| {
        arguments.args.iter().any(|base| {
            let name = match base {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.as_str(),
                _ => "",
            };
            name == "type" || name.ends_with("Meta")
        })
    })
}
