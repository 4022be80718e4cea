//! Using a name whose value cannot do what is asked of it: E1133
//! not-an-iterable, E1135 unsupported-membership-test, E1136
//! unsubscriptable-object, E1137 unsupported-assignment-operation, E1138
//! unsupported-delete-operation, E0633 unpacking-non-sequence, E0702
//! raising-bad-type, E1102 not-callable, E1129 not-context-manager.
//!
//! **What it flags:** a name iterated, tested with `in`, subscripted,
//! unpacked, raised, called or used in `with`, when every binding that can
//! reach it assigns a literal (`None`, a number, a string, a list, ...)
//! whose type does not support that.
//!
//! **Why:** pylint infers these values. Code often starts a variable as
//! `None` and assigns the real value later; delete the later assignment and
//! `for item in result:` iterates over `None`.
//!
//! **Example:**
//! ```python
//! def f():
//!     result = None
//!     for item in result:
//!         print(item)
//! ```
//! is reported on line 3 (E1133).

use lintseq_core::Diagnostic;

use crate::context::Context;
use crate::semantic::{Usage, Value};

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for reference in &context.model.references {
        let Some(rule) = rule(reference.usage) else {
            continue;
        };
        let Some(values) = context.model.reaching_values(reference) else {
            continue;
        };
        if values.iter().all(|&value| (rule.lacks)(value)) {
            let value = type_name(values[values.len() - 1]);
            let message = rule
                .message
                .replace("{name}", reference.name)
                .replace("{type}", value);
            out.push(context.diagnostic(reference.offset, rule.code, message));
        }
    }
}

struct Rule {
    code: &'static str,
    message: &'static str,
    /// Whether a value of this kind cannot be used this way.
    lacks: fn(Value) -> bool,
}

fn rule(usage: Usage<'_>) -> Option<Rule> {
    let (code, message, lacks): (_, _, fn(Value) -> bool) = match usage {
        Usage::Iterated => (
            "E1133",
            "Non-iterable value {name} is used in an iterating context",
            scalar,
        ),
        Usage::Contained => (
            "E1135",
            "Value '{name}' doesn't support membership test",
            scalar,
        ),
        Usage::Subscripted => ("E1136", "Value '{name}' is unsubscriptable", |v| {
            scalar(v) || v == Value::Set
        }),
        Usage::SubscriptStored => ("E1137", "'{name}' does not support item assignment", |v| {
            !matches!(v, Value::List | Value::Dict | Value::Unknown)
        }),
        Usage::SubscriptDeleted => ("E1138", "'{name}' does not support item deletion", |v| {
            !matches!(v, Value::List | Value::Dict | Value::Unknown)
        }),
        Usage::Unpacked => ("E0633", "Attempting to unpack a non-sequence", scalar),
        Usage::Raised => (
            "E0702",
            "Raising {type} while only classes or instances are allowed",
            |v| v != Value::Unknown,
        ),
        Usage::Called => ("E1102", "{name} is not callable", |v| v != Value::Unknown),
        Usage::Entered => (
            "E1129",
            "Context manager '{type}' doesn't implement __enter__ and __exit__.",
            |v| v != Value::Unknown,
        ),
        Usage::Plain | Usage::Attribute(_) => return None,
    };
    Some(Rule {
        code,
        message,
        lacks,
    })
}

/// `None` and numbers: no iteration, membership, subscripts or unpacking.
fn scalar(value: Value) -> bool {
    matches!(value, Value::None | Value::Int | Value::Float)
}

fn type_name(value: Value) -> &'static str {
    match value {
        Value::None => "NoneType",
        Value::List => "list",
        Value::Dict => "dict",
        Value::Set => "set",
        Value::Tuple => "tuple",
        Value::Str => "str",
        Value::Bytes => "bytes",
        Value::Int => "int",
        Value::Float => "float",
        Value::Unknown => "?",
    }
}
