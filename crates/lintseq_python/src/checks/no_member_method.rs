//! E1101 no-member, for attributes of a plain method read in its class body.
//!
//! **What it flags:** `name.attribute` read in a class body, where `name`
//! is, at that point of the body, a method defined with a plain `def` (no
//! decorator) and `attribute` is not one every function has. pylint calls
//! it "Method 'name' has no 'attribute' member".
//!
//! **Why:** a property's setter is declared with `@name.setter` right after
//! `@property def name`; delete the `@property` line and the setter's
//! decorator reads `setter` from a plain function.
//!
//! **Example:**
//! ```python
//! class Session:
//!     def permanent(self):
//!         return self._permanent
//!     @permanent.setter
//!     def permanent(self, value):
//!         self._permanent = value
//! ```
//! is reported on line 4.

use lintseq_core::Diagnostic;

use super::no_member_self::FUNCTION_MEMBERS;
use crate::classes::OBJECT_MEMBERS;
use crate::context::Context;
use crate::semantic::{Definition, EventKind, ScopeKind, Usage};

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    for reference in &model.references {
        let Usage::Attribute(attribute) = reference.usage else {
            continue;
        };
        let scope = model.scope(reference.scope);
        if !matches!(scope.kind, ScopeKind::Class) || reference.lazy {
            continue;
        }
        if FUNCTION_MEMBERS.contains(&attribute) || OBJECT_MEMBERS.contains(&attribute) {
            continue;
        }
        let Some(symbol) = scope.symbols.get(reference.name) else {
            continue;
        };
        // The binding in force where the class body reads the name.
        let Some(last) = symbol
            .events
            .iter()
            .rfind(|event| event.order < reference.order)
        else {
            continue;
        };
        let plain_method = last.kind == EventKind::Bind
            && last.branch == reference.branch
            && matches!(last.definition, Some(Definition::Function(def)) if def.decorator_list.is_empty());
        if plain_method {
            out.push(context.diagnostic(
                reference.offset,
                "E1101",
                format!("Method '{}' has no '{attribute}' member", reference.name),
            ));
        }
    }
}
