//! E0302 unexpected-special-method-signature.
//!
//! **What it flags:** a special method (`__exit__`, `__getitem__`,
//! `__eq__`, ...) of a class whose positional parameters, besides `self`,
//! cannot take the number of arguments Python passes it: too many required
//! ones, or too few with no defaults or `*args` to make up for it. The
//! expected counts are pylint 3.2.6's (`__exit__` 3, `__setitem__` 2,
//! `__round__` 0 or 1, `__pow__` 1 or 2, ...; `__init__`, `__new__`,
//! `__call__` and `__init_subclass__` take anything). As in pylint, only
//! positional-or-keyword parameters are counted (the first of them is
//! `self`, unless the method is a `staticmethod`), and methods with no
//! such parameter and no `*args` are left to E0211.
//!
//! **Why:** the parameters of long signatures often sit one per line;
//! delete `exc_type,` from `__exit__` and pylint objects.
//!
//! **Example:**
//! ```python
//! class Lock:
//!     def __exit__(self, exc_type, exc_value):
//!         pass
//! ```
//! is reported on line 2 ("The special method '__exit__' expects 3
//! param(s), 2 were given").

use lintseq_core::Diagnostic;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::classes::Classes;
use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, classes: &Classes<'_>, out: &mut Vec<Diagnostic>) {
    for class in &classes.all {
        let mut methods = Vec::new();
        methods_in(&class.def.body, &mut methods);
        for def in methods {
            check_method(context, def, out);
        }
    }
}

fn check_method(context: &Context<'_>, def: &ast::StmtFunctionDef, out: &mut Vec<Diagnostic>) {
    let name = def.name.as_str();
    let Some(expected) = expected_arguments(name) else {
        return;
    };
    let parameters = &def.parameters;
    if parameters.args.is_empty() && parameters.vararg.is_none() {
        return;
    }
    let static_method = def
        .decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"));
    let counted = parameters.args.len() - usize::from(!static_method).min(parameters.args.len());
    let defaults = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .filter(|p| p.default.is_some())
        .count() as i64;
    let mandatory = counted as i64 - defaults;
    let optional = defaults;
    let given = mandatory + optional;
    let (emit, expects) = match expected {
        Expected::Either(low, high) => (
            mandatory != low && mandatory != high,
            format!("between {low} or {high}"),
        ),
        Expected::Exactly(count) => {
            let rest = count - mandatory;
            let emit = rest < 0 || (rest > 0 && optional < rest && parameters.vararg.is_none());
            (emit, count.to_string())
        }
    };
    if emit {
        let verb = if given <= 1 { "was" } else { "were" };
        out.push(context.diagnostic(
            def.name.start(),
            "E0302",
            format!("The special method '{name}' expects {expects} param(s), {given} {verb} given"),
        ));
    }
}

/// The `def`s of a class body, including those under `if`, `try`, `with`
/// and loops (which pylint counts as methods too), but not nested ones.
fn methods_in<'a>(body: &'a [Stmt], out: &mut Vec<&'a ast::StmtFunctionDef>) {
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(def) => out.push(def),
            Stmt::If(if_stmt) => {
                methods_in(&if_stmt.body, out);
                for clause in &if_stmt.elif_else_clauses {
                    methods_in(&clause.body, out);
                }
            }
            Stmt::Try(try_stmt) => {
                methods_in(&try_stmt.body, out);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    methods_in(&handler.body, out);
                }
                methods_in(&try_stmt.orelse, out);
                methods_in(&try_stmt.finalbody, out);
            }
            Stmt::With(with) => methods_in(&with.body, out),
            Stmt::For(for_stmt) => {
                methods_in(&for_stmt.body, out);
                methods_in(&for_stmt.orelse, out);
            }
            Stmt::While(while_stmt) => {
                methods_in(&while_stmt.body, out);
                methods_in(&while_stmt.orelse, out);
            }
            Stmt::Match(match_stmt) => {
                for case in &match_stmt.cases {
                    methods_in(&case.body, out);
                }
            }
            _ => {}
        }
    }
}

#[derive(Clone, Copy)]
enum Expected {
    Exactly(i64),
    Either(i64, i64),
}

/// How many arguments (besides the instance) Python passes a special
/// method; `None` for methods that take anything or are not special.
fn expected_arguments(name: &str) -> Option<Expected> {
    let count = match name {
        "__del__" | "__repr__" | "__str__" | "__bytes__" | "__hash__" | "__bool__" | "__dir__"
        | "__len__" | "__length_hint__" | "__iter__" | "__reversed__" | "__neg__" | "__pos__"
        | "__abs__" | "__invert__" | "__complex__" | "__int__" | "__float__" | "__index__"
        | "__trunc__" | "__floor__" | "__ceil__" | "__enter__" | "__aenter__"
        | "__getnewargs_ex__" | "__getnewargs__" | "__getstate__" | "__reduce__" | "__copy__"
        | "__unicode__" | "__nonzero__" | "__await__" | "__aiter__" | "__anext__"
        | "__fspath__" | "__subclasses__" => 0,
        "__format__" | "__lt__" | "__le__" | "__eq__" | "__ne__" | "__gt__" | "__ge__"
        | "__getattr__" | "__getattribute__" | "__delattr__" | "__delete__"
        | "__instancecheck__" | "__subclasscheck__" | "__getitem__" | "__missing__"
        | "__delitem__" | "__contains__" | "__add__" | "__sub__" | "__mul__" | "__truediv__"
        | "__floordiv__" | "__rfloordiv__" | "__mod__" | "__divmod__" | "__lshift__"
        | "__rshift__" | "__and__" | "__xor__" | "__or__" | "__radd__" | "__rsub__"
        | "__rmul__" | "__rtruediv__" | "__rmod__" | "__rdivmod__" | "__rpow__" | "__rlshift__"
        | "__rrshift__" | "__rand__" | "__rxor__" | "__ror__" | "__iadd__" | "__isub__"
        | "__imul__" | "__itruediv__" | "__ifloordiv__" | "__imod__" | "__ilshift__"
        | "__irshift__" | "__iand__" | "__ixor__" | "__ior__" | "__ipow__" | "__setstate__"
        | "__reduce_ex__" | "__deepcopy__" | "__cmp__" | "__matmul__" | "__rmatmul__"
        | "__imatmul__" | "__div__" => 1,
        "__setattr__" | "__get__" | "__set__" | "__setitem__" | "__set_name__" => 2,
        "__exit__" | "__aexit__" => 3,
        "__round__" => return Some(Expected::Either(0, 1)),
        "__pow__" => return Some(Expected::Either(1, 2)),
        _ => return None,
    };
    Some(Expected::Exactly(count))
}
