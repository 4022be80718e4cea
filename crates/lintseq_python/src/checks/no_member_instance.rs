//! E1101 no-member, for attributes of an instance made in place:
//! `ClassName(...).attribute`.
//!
//! **What it flags:** an attribute read from `C(...)`, where `C` is a class
//! of this program, that neither `C` nor an ancestor defines. With an
//! ancestor we cannot see, only attributes the original program's `C`
//! defined are flagged, as for `self.X`.
//!
//! **Why:** deleting a method's `def` line (and its body) leaves
//! `Headers(raw).multi_items()` calling a method pylint cannot find.
//!
//! **Example:**
//! ```python
//! class Headers:
//!     def __init__(self, raw):
//!         self.raw = raw
//! def items(raw):
//!     return Headers(raw).multi_items()
//! ```
//! is reported on line 5.

use lintseq_core::Diagnostic;
use ruff_python_ast::{Expr, ExprContext};
use ruff_text_size::Ranged;

use crate::calls::Resolver;
use crate::classes::{Classes, OBJECT_MEMBERS};
use crate::context::Context;
use crate::semantic::Definition;

/// Checks one expression (the walk is shared, see `ExpressionChecks`).
pub(crate) fn check_expr(
    context: &Context<'_>,
    classes: &Classes<'_>,
    resolver: &Resolver<'_, '_>,
    expr: &Expr,
    out: &mut Vec<Diagnostic>,
) {
    let Expr::Attribute(attribute) = expr else {
        return;
    };
    if attribute.ctx != ExprContext::Load {
        return;
    }
    let Expr::Call(call) = attribute.value.as_ref() else {
        return;
    };
    let Expr::Name(name) = call.func.as_ref() else {
        return;
    };
    let Some(reference) = resolver.reference_at(name.start()) else {
        return;
    };
    let Some(Definition::Class(def)) = context.model.unique_definition(reference) else {
        return;
    };
    let Some(index) = classes.index_of(def) else {
        return;
    };
    let class = &classes.all[index];
    let name = attribute.attr.as_str();
    if class.name().contains("mixin") || class.name().contains("Mixin") {
        return;
    }
    let lineage = classes.lineage(index);
    let special = lineage.iter().any(|&i| {
        let own = &classes.all[i].own;
        own.contains("__getattr__") || own.contains("__getattribute__") || own.contains("__new__")
    }) || !class.def.decorator_list.is_empty();
    if special || OBJECT_MEMBERS.contains(&name) || classes.attributes(index).contains(name) {
        return;
    }
    if !classes.fully_known(index) {
        let original = context.baseline.class_attributes.get(&class.qualname);
        if !original.is_some_and(|original| original.contains(name)) {
            return;
        }
    }
    out.push(context.diagnostic(
        attribute.value.start(),
        "E1101",
        format!("Instance of '{}' has no '{name}' member", class.name()),
    ));
}
