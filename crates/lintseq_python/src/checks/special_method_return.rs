//! E0301 non-iterator-returned and E0303–E0313 (invalid-length-returned,
//! invalid-bool-returned, invalid-index-returned, invalid-repr-returned,
//! invalid-str-returned, invalid-bytes-returned, invalid-hash-returned,
//! invalid-length-hint-returned, invalid-format-returned,
//! invalid-getnewargs-returned, invalid-getnewargs-ex-returned).
//!
//! **What it flags:** a special method (`__iter__`, `__len__`, `__repr__`,
//! `__str__`, `__hash__`, ...) that returns `None`: it has no `return` at
//! all, or its only `return` is bare or `return None`; or whose only
//! `return` gives a literal of the wrong type (`__repr__` returning `()`,
//! `__len__` returning a string, `__iter__` returning a list). As with pylint,
//! methods whose body starts with `raise` or `pass`, is `...`, is empty,
//! or is a generator are exempt, and so are methods with several returns.
//!
//! **Why:** deleting the `return` line of `__repr__` leaves a method that
//! returns `None`, which pylint reports.
//!
//! **Example:**
//! ```python
//! class Point:
//!     def __repr__(self):
//!         text = "Point()"
//! ```
//! is reported on line 2.

use lintseq_core::Diagnostic;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};

use super::assignment_from_no_return::{Returns, body_without_docstring};
use crate::classes::Classes;
use crate::context::Context;
use crate::literal::{self, Kind};

pub(crate) fn check(context: &Context<'_>, classes: &Classes<'_>, out: &mut Vec<Diagnostic>) {
    for (index, class) in classes.all.iter().enumerate() {
        for stmt in &class.def.body {
            let Stmt::FunctionDef(def) = stmt else {
                continue;
            };
            let Some((code, what)) = protocol(def.name.as_str()) else {
                continue;
            };
            let abstract_decorated = def.decorator_list.iter().any(|d| {
                let name = match &d.expression {
                    Expr::Attribute(a) => a.attr.as_str(),
                    Expr::Name(n) => n.id.as_str(),
                    _ => "",
                };
                name.starts_with("abstract")
            });
            if abstract_decorated {
                continue;
            }
            let body = body_without_docstring(def);
            let exempt = match body.first() {
                None | Some(Stmt::Raise(_) | Stmt::Pass(_)) => true,
                Some(Stmt::Expr(expr)) => {
                    body.len() == 1 && matches!(expr.value.as_ref(), Expr::EllipsisLiteral(_))
                }
                _ => false,
            };
            if exempt {
                continue;
            }
            let mut returns = Returns::default();
            returns.visit_body(&def.body);
            let returns_none = returns.values == 0 && returns.nones <= 1;
            // pylint judges the one value a method returns, when it has one.
            let single = (returns.values == 1 && returns.nones == 0 && !returns.yields)
                .then(|| single_return(&def.body))
                .flatten();
            let wrong_literal = single
                .and_then(literal::infer)
                .is_some_and(|kind| !returns_expected(def.name.as_str(), kind));
            // `return self.helper()` where the helper returns nothing.
            let returns_none_call = single.is_some_and(|value| {
                returns_none_method(classes, index, value)
                    && def.name.as_str() != "__iter__"
                    && def.name.as_str() != "__getnewargs_ex__"
            });
            let returns_self_without_next = def.name.as_str() == "__iter__"
                && returns_only_self(def)
                && !has_next(context, classes, index);
            if (returns_none && !returns.yields)
                || returns_self_without_next
                || wrong_literal
                || returns_none_call
            {
                out.push(context.diagnostic(
                    def.name.range.start(),
                    code,
                    format!("{} does not return {what}", def.name.as_str()),
                ));
            }
        }
    }
}

/// The message and expected return kind of a special method.
fn protocol(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "__iter__" => ("E0301", "an iterator"),
        "__len__" => ("E0303", "an int"),
        "__bool__" => ("E0304", "a bool"),
        "__index__" => ("E0305", "an int"),
        "__repr__" => ("E0306", "a str"),
        "__str__" => ("E0307", "a str"),
        "__bytes__" => ("E0308", "bytes"),
        "__hash__" => ("E0309", "an int"),
        "__length_hint__" => ("E0310", "an int"),
        "__format__" => ("E0311", "a str"),
        "__getnewargs__" => ("E0312", "a tuple"),
        "__getnewargs_ex__" => ("E0313", "a tuple"),
        _ => return None,
    })
}

/// Whether `value` is `self.method(...)` for a plain method of the class
/// that evidently returns `None` (no `return` with a value, no `yield`, and
/// a body that does not start with `raise`).
fn returns_none_method(classes: &Classes<'_>, index: usize, value: &Expr) -> bool {
    let Expr::Call(call) = value else {
        return false;
    };
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return false;
    };
    if !matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") {
        return false;
    }
    let Some(method) = classes.only_method(index, attribute.attr.as_str()) else {
        return false;
    };
    if method.is_async || !method.decorator_list.is_empty() {
        return false;
    }
    let mut returns = Returns::default();
    returns.visit_body(&method.body);
    let starts_with_raise = matches!(body_without_docstring(method).first(), Some(Stmt::Raise(_)));
    returns.values == 0 && returns.nones <= 1 && !returns.yields && !starts_with_raise
}

/// Whether a value of this kind is what the special method must return.
fn returns_expected(name: &str, kind: Kind) -> bool {
    match name {
        // No literal is an iterator.
        "__iter__" => false,
        "__len__" | "__length_hint__" | "__index__" | "__hash__" => {
            matches!(kind, Kind::Int | Kind::Bool)
        }
        "__bool__" => kind == Kind::Bool,
        "__repr__" | "__str__" | "__format__" => kind == Kind::Str,
        "__bytes__" => kind == Kind::Bytes,
        "__getnewargs__" | "__getnewargs_ex__" => kind == Kind::Tuple,
        _ => true,
    }
}

/// The value of the one `return <value>` of a body (nested scopes aside).
pub(crate) fn single_return(body: &[Stmt]) -> Option<&Expr> {
    struct Finder<'a>(Option<&'a Expr>);
    impl<'a> Visitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Return(ret) => self.0 = self.0.or(ret.value.as_deref()),
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _expr: &'a Expr) {}
    }
    let mut finder = Finder(None);
    finder.visit_body(body);
    finder.0
}

/// `return self` is the method's only return.
fn returns_only_self(def: &ruff_python_ast::StmtFunctionDef) -> bool {
    let mut returns = Returns::default();
    returns.visit_body(&def.body);
    if returns.values != 1 || returns.nones != 0 || returns.yields {
        return false;
    }
    def.body.iter().any(|stmt| {
        matches!(stmt, Stmt::Return(ret) if matches!(ret.value.as_deref(), Some(Expr::Name(n)) if n.id.as_str() == "self"))
    })
}

/// Whether instances have `__next__`: the class or a known ancestor defines
/// it, or an unknown ancestor may (unless the original class defined it
/// itself, and so did not rely on one).
fn has_next(context: &Context<'_>, classes: &Classes<'_>, index: usize) -> bool {
    if classes.attributes(index).contains("__next__") {
        return true;
    }
    if classes.fully_known(index) {
        return false;
    }
    !context
        .baseline
        .class_attributes
        .get(&classes.all[index].qualname)
        .is_some_and(|original| original.contains("__next__"))
}
