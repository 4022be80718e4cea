//! Facts about single statements and expressions the builder records:
//! whether a statement leaves its block, whether a body returns, and what
//! builtin type a literal evaluates to.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};

use super::Value;

/// Whether `stmt` leaves its block: `return`, `raise`, `continue`, `break`,
/// `assert`, or a call of `sys.exit`, `exit`, `quit` or `os._exit`.
pub(crate) fn terminates(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_) | Stmt::Assert(_) => {
            true
        }
        Stmt::Expr(expr) => match expr.value.as_ref() {
            Expr::Call(call) => match call.func.as_ref() {
                Expr::Name(name) => matches!(name.id.as_str(), "exit" | "quit"),
                Expr::Attribute(attribute) => {
                    matches!(
                        (attribute.value.as_ref(), attribute.attr.as_str()),
                        (Expr::Name(module), "exit") if module.id.as_str() == "sys"
                    ) || matches!(
                        (attribute.value.as_ref(), attribute.attr.as_str()),
                        (Expr::Name(module), "_exit") if module.id.as_str() == "os"
                    )
                }
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}

/// Whether a `return` appears in `body`, outside nested functions and classes.
pub(crate) fn contains_return(body: &[Stmt]) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Return(_) => self.0 = true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _expr: &'a Expr) {}
    }
    let mut finder = Finder(false);
    finder.visit_body(body);
    finder.0
}

/// The builtin type a literal (or an obvious constructor call) evaluates to.
pub(crate) fn value_of(expr: &Expr) -> Value {
    match expr {
        Expr::List(_) | Expr::ListComp(_) => Value::List,
        Expr::Dict(_) | Expr::DictComp(_) => Value::Dict,
        Expr::Set(_) | Expr::SetComp(_) => Value::Set,
        Expr::Tuple(_) => Value::Tuple,
        Expr::StringLiteral(_) | Expr::FString(_) => Value::Str,
        Expr::BytesLiteral(_) => Value::Bytes,
        Expr::NoneLiteral(_) => Value::None,
        Expr::NumberLiteral(number) => match number.value {
            ast::Number::Int(_) => Value::Int,
            ast::Number::Float(_) => Value::Float,
            ast::Number::Complex { .. } => Value::Unknown,
        },
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(name) => match name.id.as_str() {
                "list" | "sorted" => Value::List,
                "dict" => Value::Dict,
                "set" => Value::Set,
                "tuple" => Value::Tuple,
                "str" | "repr" | "chr" => Value::Str,
                "bytes" => Value::Bytes,
                "int" | "len" | "ord" => Value::Int,
                "float" => Value::Float,
                _ => Value::Unknown,
            },
            // `"".join(...)`, `"{}".format(...)` and other str methods.
            Expr::Attribute(attribute) => match (attribute.value.as_ref(), attribute.attr.as_str())
            {
                (Expr::StringLiteral(_), "split" | "rsplit" | "splitlines") => Value::List,
                (Expr::StringLiteral(_), "encode") => Value::Bytes,
                (Expr::StringLiteral(_), "count" | "find" | "rfind" | "index" | "rindex") => {
                    Value::Int
                }
                (Expr::StringLiteral(_), method) if STR_TO_STR.contains(&method) => Value::Str,
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        },
        _ => Value::Unknown,
    }
}

/// `str` methods that return a `str`.
const STR_TO_STR: &[&str] = &[
    "join",
    "format",
    "format_map",
    "lower",
    "upper",
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "title",
    "capitalize",
    "casefold",
    "center",
    "ljust",
    "rjust",
    "zfill",
    "swapcase",
    "expandtabs",
    "translate",
    "removeprefix",
    "removesuffix",
];

/// A comprehension's generators and the expressions it builds from them
/// (the element, or a dict comprehension's key and value); `None` for other
/// expressions.
pub(crate) fn comprehension(expr: &Expr) -> Option<(&[ast::Comprehension], Vec<&Expr>)> {
    Some(match expr {
        Expr::ListComp(c) => (&c.generators, vec![&*c.elt]),
        Expr::SetComp(c) => (&c.generators, vec![&*c.elt]),
        Expr::Generator(c) => (&c.generators, vec![&*c.elt]),
        Expr::DictComp(c) => (
            &c.generators,
            c.key.as_deref().into_iter().chain([&*c.value]).collect(),
        ),
        _ => return None,
    })
}

/// Whether an assignment unpacks its value (`a, b = value`).
pub(crate) fn unpacks(assign: &ast::StmtAssign) -> bool {
    assign
        .targets
        .iter()
        .any(|target| matches!(target, Expr::Tuple(_) | Expr::List(_)))
}
