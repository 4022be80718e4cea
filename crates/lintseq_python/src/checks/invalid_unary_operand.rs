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

use crate::calls::Resolver;
use crate::context::Context;
use crate::literal::{self, Kind};
use crate::semantic::is_builtin;

/// Checks one expression (the walk is shared, see `ExpressionChecks`).
pub(crate) fn check_expr(
    context: &Context<'_>,
    resolver: &Resolver<'_, '_>,
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
    let bad = kinds(context, resolver, &unary.operand)
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

/// The kinds of value `expr` may evidently have (empty when unknown).
fn kinds(context: &Context<'_>, resolver: &Resolver<'_, '_>, expr: &Expr) -> Vec<Kind> {
    if let Some(kind) = literal::infer(expr) {
        return vec![kind];
    }
    match expr {
        Expr::If(if_expr) => {
            let mut out = kinds(context, resolver, &if_expr.body);
            out.extend(kinds(context, resolver, &if_expr.orelse));
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
            _ => Vec::new(),
        },
        Expr::Name(name) => resolver
            .reference_at(name.start())
            .and_then(|reference| context.model.reaching_values(reference))
            .map(|values| values.into_iter().filter_map(Kind::of_value).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}
