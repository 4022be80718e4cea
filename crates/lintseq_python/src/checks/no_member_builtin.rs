//! E1101 no-member, for names holding builtin values.
//!
//! **What it flags:** `name.attribute` where every binding of `name` that
//! can reach the read assigns a literal (or an obvious constructor) of a
//! builtin type — `[]`, `{}`, `""`, `0`, `list(...)`, `"".join(...)` — and
//! that type has no such attribute.
//!
//! **Why:** pylint infers these types. Deleting a conversion such as
//! `words = " ".join(words)` leaves `words` a list, and a later
//! `words.split()` reads a member a list does not have.
//!
//! **Example:**
//! ```python
//! def f():
//!     parts = []
//!     return parts.split()
//! ```
//! is reported on line 3.

use lintseq_core::Diagnostic;

use crate::context::Context;
use crate::semantic::{Usage, Value};

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for reference in &context.model.references {
        let Usage::Attribute(attribute) = reference.usage else {
            continue;
        };
        if attribute.starts_with("__") && attribute.ends_with("__") {
            continue;
        }
        let Some(values) = context.model.reaching_values(reference) else {
            continue;
        };
        let lacking = values
            .iter()
            .all(|value| members(*value).is_some_and(|members| !members.contains(&attribute)));
        if lacking {
            let type_name = values[values.len() - 1].type_name();
            out.push(context.diagnostic(
                reference.offset,
                "E1101",
                format!("Instance of '{type_name}' has no '{attribute}' member"),
            ));
        }
    }
}

/// The public members of a builtin type (Python 3.11).
fn members(value: Value) -> Option<&'static [&'static str]> {
    Some(match value {
        Value::List => &[
            "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove",
            "reverse", "sort",
        ],
        Value::Dict => &[
            "clear",
            "copy",
            "fromkeys",
            "get",
            "items",
            "keys",
            "pop",
            "popitem",
            "setdefault",
            "update",
            "values",
        ],
        Value::Set => &[
            "add",
            "clear",
            "copy",
            "difference",
            "difference_update",
            "discard",
            "intersection",
            "intersection_update",
            "isdisjoint",
            "issubset",
            "issuperset",
            "pop",
            "remove",
            "symmetric_difference",
            "symmetric_difference_update",
            "union",
            "update",
        ],
        Value::Tuple => &["count", "index"],
        Value::Str => &[
            "capitalize",
            "casefold",
            "center",
            "count",
            "encode",
            "endswith",
            "expandtabs",
            "find",
            "format",
            "format_map",
            "index",
            "isalnum",
            "isalpha",
            "isascii",
            "isdecimal",
            "isdigit",
            "isidentifier",
            "islower",
            "isnumeric",
            "isprintable",
            "isspace",
            "istitle",
            "isupper",
            "join",
            "ljust",
            "lower",
            "lstrip",
            "maketrans",
            "partition",
            "removeprefix",
            "removesuffix",
            "replace",
            "rfind",
            "rindex",
            "rjust",
            "rpartition",
            "rsplit",
            "rstrip",
            "split",
            "splitlines",
            "startswith",
            "strip",
            "swapcase",
            "title",
            "translate",
            "upper",
            "zfill",
        ],
        Value::Bytes => &[
            "capitalize",
            "center",
            "count",
            "decode",
            "endswith",
            "expandtabs",
            "find",
            "fromhex",
            "hex",
            "index",
            "isalnum",
            "isalpha",
            "isascii",
            "isdigit",
            "islower",
            "isspace",
            "istitle",
            "isupper",
            "join",
            "ljust",
            "lower",
            "lstrip",
            "maketrans",
            "partition",
            "removeprefix",
            "removesuffix",
            "replace",
            "rfind",
            "rindex",
            "rjust",
            "rpartition",
            "rsplit",
            "rstrip",
            "split",
            "splitlines",
            "startswith",
            "strip",
            "swapcase",
            "title",
            "translate",
            "upper",
            "zfill",
        ],
        Value::Int => &[
            "as_integer_ratio",
            "bit_count",
            "bit_length",
            "conjugate",
            "denominator",
            "from_bytes",
            "imag",
            "numerator",
            "real",
            "to_bytes",
        ],
        Value::Float => &[
            "as_integer_ratio",
            "conjugate",
            "fromhex",
            "hex",
            "imag",
            "is_integer",
            "real",
        ],
        // Pylint never reports members of None.
        Value::None | Value::Unknown => return None,
    })
}
