//! E1101 no-member, for attributes read through `self`.
//!
//! **What it flags:** `self.X` read in a method of class `C` when neither
//! `C` nor any ancestor defines `X` — no class-level name, no `self.X = ...`
//! in any method. If an ancestor is not a class of this program (an import,
//! say), pylint still knows its members but we do not: then only attributes
//! that the original program's `C` defined are flagged, since deleting
//! their definition is what makes pylint object. Classes that define
//! `__getattr__` or `__getattribute__`, and mixins, are not checked.
//!
//! **Why:** deleting `self.total = 0` from `__init__` leaves every
//! `self.total` elsewhere reading a member pylint cannot find.
//!
//! **Example:**
//! ```python
//! class Counter:
//!     def bump(self):
//!         return self.total + 1
//! ```
//! is reported on line 3.

use lintseq_core::Diagnostic;

use crate::classes::{Classes, OBJECT_MEMBERS};
use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, classes: &Classes<'_>, out: &mut Vec<Diagnostic>) {
    for (index, class) in classes.all.iter().enumerate() {
        if class.reads.is_empty() || is_mixin(class.name()) {
            continue;
        }
        let lineage = classes.lineage(index);
        let dynamic = lineage.iter().any(|&i| {
            let own = &classes.all[i].own;
            own.contains("__getattr__") || own.contains("__getattribute__")
        });
        if dynamic {
            continue;
        }
        let known = classes.fully_known(index);
        let original = context.baseline.class_attributes.get(&class.qualname);
        if !known && original.is_none() {
            continue;
        }
        let attributes = classes.attributes(index);
        for read in &class.reads {
            let (offset, name) = (read.offset, read.name);
            if attributes.contains(name) || OBJECT_MEMBERS.contains(&name) {
                continue;
            }
            if !known && !original.is_some_and(|original| original.contains(name)) {
                continue;
            }
            out.push(context.diagnostic(
                offset,
                "E1101",
                format!("Instance of '{}' has no '{name}' member", class.name()),
            ));
        }
    }
}

/// Pylint skips classes whose name contains "mixin" or "Mixin".
fn is_mixin(name: &str) -> bool {
    name.contains("mixin") || name.contains("Mixin")
}

/// Attributes of a plain function object.
pub(crate) const FUNCTION_MEMBERS: &[&str] = &[
    "__name__",
    "__qualname__",
    "__doc__",
    "__module__",
    "__dict__",
    "__defaults__",
    "__kwdefaults__",
    "__annotations__",
    "__code__",
    "__globals__",
    "__closure__",
    "__func__",
    "__self__",
    "__call__",
    "__get__",
    "__wrapped__",
    "__class__",
    "__type_params__",
];

/// `self.method.attribute` on a method defined without decorators: a plain
/// function has only the function attributes (a decorator such as
/// `functools.lru_cache` would have added `cache_clear`).
pub(crate) fn check_method_attributes(
    context: &Context<'_>,
    classes: &Classes<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (index, class) in classes.all.iter().enumerate() {
        for read in &class.method_attributes {
            if FUNCTION_MEMBERS.contains(&read.attribute)
                || OBJECT_MEMBERS.contains(&read.attribute)
            {
                continue;
            }
            let Some(def) = classes.only_method(index, read.method) else {
                continue;
            };
            if !def.decorator_list.is_empty() {
                continue;
            }
            out.push(context.diagnostic(
                read.offset,
                "E1101",
                format!(
                    "Method '{}' has no '{}' member",
                    read.method, read.attribute
                ),
            ));
        }
    }
}
