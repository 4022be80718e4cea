//! E0211 no-method-argument and E0213 no-self-argument.
//!
//! **What it flags:** a method (a `def` in a class body, not a static
//! method) with no parameters at all, not even `*args` or `**kwargs`
//! (E0211); and one whose first parameter is not named `self` (E0213),
//! except class methods, `__new__`, `__init_subclass__`,
//! `__class_getitem__` and the methods of metaclasses.
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
        let metaclass = is_metaclass(class.def);
        for stmt in &class.def.body {
            let Stmt::FunctionDef(def) = stmt else {
                continue;
            };
            let name = def.name.as_str();
            let decorated = |wanted: &str| {
                def.decorator_list
                    .iter()
                    .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == wanted))
            };
            if decorated("staticmethod") {
                continue;
            }
            let parameters = &def.parameters;
            let offset = def.name.range.start();
            // pylint's order: no parameters at all is E0211 for every method
            // but a static one (class methods, metaclasses and `__new__`
            // included); only then are those exempt from E0213.
            if parameters.posonlyargs.is_empty()
                && parameters.args.is_empty()
                && parameters.vararg.is_none()
                && parameters.kwarg.is_none()
            {
                out.push(context.diagnostic(
                    offset,
                    "E0211",
                    format!("Method '{name}' has no argument"),
                ));
                continue;
            }
            if metaclass
                || decorated("classmethod")
                || matches!(name, "__new__" | "__init_subclass__" | "__class_getitem__")
            {
                continue;
            }
            let first = parameters.posonlyargs.iter().chain(&parameters.args).next();
            if first.is_none_or(|first| first.name().as_str() != "self") {
                out.push(context.diagnostic(
                    offset,
                    "E0213",
                    format!("Method '{name}' should have \"self\" as first argument"),
                ));
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
