//! E1130 invalid-unary-operand-type.
//!
//! **What it flags:** `+x`, `-x` or `~x` where `x` evidently has a type
//! without that operator: a string, bytes, `None`, `...`, a tuple, list,
//! dict or set (`~` on a float too), as a literal, as what `str(...)`,
//! `list(...)`, `tuple(...)`, `dict(...)`, `set(...)` or `bytes(...)`
//! return, or as a name one of whose reaching values is such a literal. As
//! with pylint, one bad value among those that may reach is enough.
//!
//! **Why:** a long expression split over lines often starts its
//! continuation lines with an operator; delete the line before and the
//! binary `+` becomes a unary one.
//!
//! **Example:**
//! ```python
//! message = (
//!     + "second part"
//! )
//! ```
//! is reported on line 2 ("bad operand type for unary +: str").

use lintseq_core::Diagnostic;
use ruff_python_ast::{Expr, UnaryOp};
use ruff_text_size::Ranged;

use ruff_python_ast::visitor::Visitor;

use super::assignment_from_no_return::Returns;
use super::special_method_return::single_return;
use crate::calls::Resolver;
use crate::classes::Classes;
use crate::context::Context;
use crate::literal::{self, Kind};
use crate::semantic::{Definition, is_builtin};

/// Checks one expression (the walk is shared, see `ExpressionChecks`).
pub(crate) fn check_expr(
    context: &Context<'_>,
    resolver: &Resolver<'_, '_>,
    classes: &Classes<'_>,
    class: Option<usize>,
    expr: &Expr,
    out: &mut Vec<Diagnostic>,
) {
    let Expr::UnaryOp(unary) = expr else {
        return;
    };
    let op = match unary.op {
        UnaryOp::UAdd => "+",
        UnaryOp::USub => "-",
        UnaryOp::Invert => "~",
        UnaryOp::Not => return,
    };
    let scope = Scope {
        context,
        resolver,
        classes,
        class,
    };
    let bad = scope
        .kinds(&unary.operand, true)
        .into_iter()
        .find(|&kind| lacks(unary.op, kind));
    if let Some(kind) = bad {
        out.push(context.diagnostic(
            unary.start(),
            "E1130",
            format!("bad operand type for unary {op}: {}", kind.type_name()),
        ));
    }
}

/// Whether values of `kind` lack the unary operator `op`.
fn lacks(op: UnaryOp, kind: Kind) -> bool {
    match op {
        UnaryOp::Invert => !matches!(kind, Kind::Int | Kind::Bool),
        _ => !kind.is_number(),
    }
}

/// Where an operand is read: what its names and `self` may refer to.
struct Scope<'c, 'a> {
    context: &'c Context<'a>,
    resolver: &'c Resolver<'c, 'a>,
    classes: &'c Classes<'a>,
    /// The class whose body (or method) the expression is in.
    class: Option<usize>,
}

impl Scope<'_, '_> {
    /// The kinds of value `expr` may evidently have (empty when unknown).
    /// With `calls`, the one value a method of this program returns counts
    /// too (`self.items()`, `Headers(raw).items()`).
    fn kinds(&self, expr: &Expr, calls: bool) -> Vec<Kind> {
        if let Some(kind) = literal::infer(expr) {
            return vec![kind];
        }
        match expr {
            Expr::If(if_expr) => {
                let mut out = self.kinds(&if_expr.body, calls);
                out.extend(self.kinds(&if_expr.orelse, calls));
                out
            }
            Expr::Call(call) => match call.func.as_ref() {
                Expr::Name(name) if is_builtin(name.id.as_str()) => {
                    let kind = match name.id.as_str() {
                        "str" => Kind::Str,
                        "bytes" => Kind::Bytes,
                        "list" => Kind::List,
                        "tuple" => Kind::Tuple,
                        "dict" => Kind::Dict,
                        "set" => Kind::Set,
                        _ => return Vec::new(),
                    };
                    vec![kind]
                }
                Expr::Attribute(attribute) if calls => self
                    .receiver_class(&attribute.value)
                    .and_then(|index| self.classes.only_method(index, attribute.attr.as_str()))
                    .filter(|def| def.decorator_list.is_empty() && !def.is_async)
                    .and_then(|def| one_return(def))
                    .map(|value| self.kinds(value, false))
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
            Expr::Name(name) => self
                .resolver
                .reference_at(name.start())
                .and_then(|reference| self.context.model.reaching_values(reference))
                .map(|values| values.into_iter().filter_map(Kind::of_value).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The class of `self`, or of `C(...)` for a class `C` of this program.
    fn receiver_class(&self, value: &Expr) -> Option<usize> {
        match value {
            Expr::Name(name) if name.id.as_str() == "self" => self.class,
            Expr::Call(call) => {
                let Expr::Name(name) = call.func.as_ref() else {
                    return None;
                };
                let reference = self.resolver.reference_at(name.start())?;
                match self.context.model.unique_definition(reference)? {
                    Definition::Class(def) => self.classes.index_of(def),
                    Definition::Function(_) => None,
                }
            }
            _ => None,
        }
    }
}

/// The value of a function's one `return`, when it has no other exit value.
fn one_return(def: &ruff_python_ast::StmtFunctionDef) -> Option<&Expr> {
    let mut returns = Returns::default();
    returns.visit_body(&def.body);
    (returns.values == 1 && returns.nones == 0 && !returns.yields)
        .then(|| single_return(&def.body))
        .flatten()
}
