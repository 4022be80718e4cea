//! E0117 nonlocal-without-binding.
//!
//! **What it flags:** `nonlocal x` where no enclosing function binds `x`,
//! including `nonlocal` at module level.
//!
//! **Why:** deleting the assignment in the outer function leaves the inner
//! declaration dangling, and CPython refuses to compile it.
//!
//! **Example:**
//! ```python
//! def outer():
//!     def inner():
//!         nonlocal count
//!         count += 1
//! ```
//! is reported on line 3.

use lintseq_core::Diagnostic;

use crate::context::Context;
use crate::semantic::{ScopeId, ScopeKind};

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    for (index, scope) in model.scopes.iter().enumerate() {
        for (name, symbol) in &scope.symbols {
            let Some(offset) = symbol.nonlocal else {
                continue;
            };
            let bound = model.ancestors(ScopeId(index as u32)).skip(1).any(|id| {
                let outer = model.scope(id);
                outer.kind.is_function_like()
                    && outer
                        .symbols
                        .get(name)
                        .is_some_and(|s| !s.global && (s.is_local() || s.nonlocal.is_some()))
            });
            let at_module = matches!(scope.kind, ScopeKind::Module);
            if at_module || !bound {
                out.push(context.diagnostic(
                    offset,
                    "E0117",
                    format!("nonlocal name {name} found without binding"),
                ));
            }
        }
    }
}
