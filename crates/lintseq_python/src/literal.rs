//! What a literal expression evaluates to, as far as pylint's inference
//! (astroid) computes it: the type of `1`, `"a" * 3`, `(1, 2)[0]`, `not 1`,
//! `1 if c else 2`. Anything it cannot pin down to one type is unknown.

use ruff_python_ast::{self as ast, CmpOp, Expr, Number, Operator, UnaryOp};

use crate::semantic::Value;

/// The type of a literal value, as far as pylint's inference goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Float,
    Complex,
    Bool,
    Str,
    Bytes,
    None,
    Ellipsis,
    Tuple,
    List,
    Dict,
    Set,
}

impl Kind {
    pub(crate) fn is_number(self) -> bool {
        matches!(self, Kind::Int | Kind::Float | Kind::Complex | Kind::Bool)
    }

    /// Python's name for the type, as pylint prints it.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            Kind::Int => "int",
            Kind::Float => "float",
            Kind::Complex => "complex",
            Kind::Bool => "bool",
            Kind::Str => "str",
            Kind::Bytes => "bytes",
            Kind::None => "NoneType",
            Kind::Ellipsis => "Ellipsis",
            Kind::Tuple => "tuple",
            Kind::List => "list",
            Kind::Dict => "dict",
            Kind::Set => "set",
        }
    }

    /// The kind of a value the symbol table recorded for a binding.
    pub(crate) fn of_value(value: Value) -> Option<Kind> {
        Some(match value {
            Value::Unknown => return None,
            Value::None => Kind::None,
            Value::List => Kind::List,
            Value::Dict => Kind::Dict,
            Value::Set => Kind::Set,
            Value::Tuple => Kind::Tuple,
            Value::Str => Kind::Str,
            Value::Bytes => Kind::Bytes,
            Value::Int => Kind::Int,
            Value::Float => Kind::Float,
        })
    }
}

/// What `expr` evaluates to, when it is evidently a non-callable literal.
pub(crate) fn infer(expr: &Expr) -> Option<Kind> {
    Some(match expr {
        Expr::NumberLiteral(number) => match number.value {
            Number::Int(_) => Kind::Int,
            Number::Float(_) => Kind::Float,
            Number::Complex { .. } => Kind::Complex,
        },
        Expr::StringLiteral(_) => Kind::Str,
        Expr::BytesLiteral(_) => Kind::Bytes,
        Expr::NoneLiteral(_) => Kind::None,
        Expr::BooleanLiteral(_) => Kind::Bool,
        Expr::EllipsisLiteral(_) => Kind::Ellipsis,
        // With `*x` inside, pylint cannot tell what the display holds and
        // gives up.
        Expr::Tuple(tuple) if !tuple.iter().any(Expr::is_starred_expr) => Kind::Tuple,
        Expr::List(list) if !list.iter().any(Expr::is_starred_expr) => Kind::List,
        Expr::Set(set) if !set.iter().any(Expr::is_starred_expr) => Kind::Set,
        Expr::Dict(dict) if dict.iter().all(|item| item.key.is_some()) => Kind::Dict,
        Expr::UnaryOp(unary) => {
            let operand = infer(&unary.operand)?;
            match unary.op {
                UnaryOp::Not => Kind::Bool,
                UnaryOp::USub | UnaryOp::UAdd if operand.is_number() => number(operand, operand),
                UnaryOp::Invert if matches!(operand, Kind::Int | Kind::Bool) => Kind::Int,
                _ => return None,
            }
        }
        Expr::BinOp(binary) => binary_op(infer(&binary.left)?, binary.op, infer(&binary.right)?)?,
        Expr::Compare(compare) => {
            let mut left = infer(&compare.left)?;
            for (op, comparator) in compare.ops.iter().zip(&compare.comparators) {
                let right = infer(comparator)?;
                let comparable = match op {
                    CmpOp::Eq | CmpOp::NotEq | CmpOp::Is | CmpOp::IsNot => true,
                    CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
                        (left.is_number() && right.is_number())
                            || (left == right && left == Kind::Str)
                    }
                    CmpOp::In | CmpOp::NotIn => false,
                };
                if !comparable {
                    return None;
                }
                left = right;
            }
            Kind::Bool
        }
        // pylint gives up when the branches differ in type.
        Expr::If(if_expr) => {
            let body = infer(&if_expr.body)?;
            (infer(&if_expr.orelse)? == body).then_some(body)?
        }
        Expr::BoolOp(bool_op) => {
            let first = infer(bool_op.values.first()?)?;
            bool_op
                .values
                .iter()
                .all(|value| infer(value) == Some(first))
                .then_some(first)?
        }
        Expr::Subscript(subscript) => element(&subscript.value, &subscript.slice)?,
        _ => return None,
    })
}

/// The result of a binary operation on literals of these kinds, when
/// Python (and pylint) can compute it.
fn binary_op(left: Kind, op: Operator, right: Kind) -> Option<Kind> {
    match op {
        Operator::Add | Operator::Sub | Operator::Mult if left.is_number() && right.is_number() => {
            Some(number(left, right))
        }
        Operator::Add
            if left == right
                && matches!(left, Kind::Str | Kind::Bytes | Kind::Tuple | Kind::List) =>
        {
            Some(left)
        }
        Operator::Mult => match (left, right) {
            (Kind::Str | Kind::Bytes | Kind::Tuple | Kind::List, Kind::Int) => Some(left),
            (Kind::Int, Kind::Str | Kind::Bytes | Kind::Tuple | Kind::List) => Some(right),
            _ => None,
        },
        _ => None,
    }
}

/// The kind of number arithmetic on `left` and `right` gives.
fn number(left: Kind, right: Kind) -> Kind {
    if left == Kind::Complex || right == Kind::Complex {
        Kind::Complex
    } else if left == Kind::Float || right == Kind::Float {
        Kind::Float
    } else {
        Kind::Int
    }
}

/// `(1, 2)[0]`, `[a, b][-1]`, `"abc"[0]`: an element of a literal at a
/// literal index within its bounds.
fn element(value: &Expr, slice: &Expr) -> Option<Kind> {
    let index = match slice {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(int),
            ..
        }) => i64::try_from(int.as_u64()?).ok()?,
        Expr::UnaryOp(ast::ExprUnaryOp {
            op: UnaryOp::USub,
            operand,
            ..
        }) => match operand.as_ref() {
            Expr::NumberLiteral(ast::ExprNumberLiteral {
                value: Number::Int(int),
                ..
            }) => -i64::try_from(int.as_u64()?).ok()?,
            _ => return None,
        },
        _ => return None,
    };
    let pick = |elements: &[Expr]| {
        let len = elements.len() as i64;
        let at = if index < 0 { len + index } else { index };
        (0..len)
            .contains(&at)
            .then(|| infer(&elements[at as usize]))
            .flatten()
    };
    match value {
        Expr::Tuple(tuple) if !tuple.iter().any(Expr::is_starred_expr) => pick(&tuple.elts),
        Expr::List(list) if !list.iter().any(Expr::is_starred_expr) => pick(&list.elts),
        Expr::StringLiteral(string) => {
            let len = string.value.chars().count() as i64;
            let at = if index < 0 { len + index } else { index };
            (0..len).contains(&at).then_some(Kind::Str)
        }
        _ => None,
    }
}
