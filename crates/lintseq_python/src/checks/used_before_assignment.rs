//! E0601 used-before-assignment and E0606 possibly-used-before-assignment.
//!
//! **What it flags:** a read of a name that the same scope binds, where no
//! binding has run yet when the read runs (E0601), or where the bindings
//! that ran sit in conditional branches the read is not part of (E0606).
//! Function bodies run after their module, so they may read module names
//! bound further down; module code, class bodies and comprehensions run in
//! place.
//!
//! **Why:** deleting the first assignment of a variable leaves its later
//! reads dangling; deleting an `else:` leaves a name bound on one branch.
//! An augmented assignment of a never-bound local (`count += 1`) is flagged
//! too: it always crashes, even where pylint is silent.
//!
//! **Example:**
//! ```python
//! def f(items):
//!     for item in items:
//!         total += item
//!     total = 0
//! ```
//! is reported on line 3. A class's own name read in its body, before the
//! class exists, is E0602 undefined-variable instead, as pylint calls it.

use lintseq_core::Diagnostic;

use crate::context::Context;
use crate::semantic::{Reference, Resolution, ScopeKind};

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for reference in &context.model.references {
        let (code, message) = match context.model.resolve(reference) {
            Resolution::BeforeAssignment if in_own_class(context, reference) => {
                ("E0602", "Undefined variable '{}'")
            }
            Resolution::BeforeAssignment => ("E0601", "Using variable '{}' before assignment"),
            Resolution::PossiblyUnbound => {
                ("E0606", "Possibly using variable '{}' before assignment")
            }
            _ => continue,
        };
        out.push(context.diagnostic(
            reference.offset,
            code,
            message.replace("{}", reference.name),
        ));
    }
}

/// The read sits in the body of a class of its name (directly or in a
/// comprehension there).
fn in_own_class(context: &Context<'_>, reference: &Reference<'_>) -> bool {
    let model = context.model;
    model
        .ancestors(reference.scope)
        .take_while(|&id| {
            matches!(
                model.scope(id).kind,
                ScopeKind::Class | ScopeKind::Comprehension
            )
        })
        .any(|id| {
            matches!(model.scope(id).kind, ScopeKind::Class)
                && model.scope(id).name == Some(reference.name)
        })
}
