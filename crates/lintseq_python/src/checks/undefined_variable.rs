//! E0602 undefined-variable.
//!
//! **What it flags:** a name read (or deleted) where no scope that can see it
//! binds it, and no builtin has it; also a name read after `del` removed it
//! or after the `except ... as name` block that bound it ended.
//!
//! **Why:** this is two thirds of what pylint flags in partial programs:
//! delete `total = 0` and every later `total` is undefined.
//!
//! **Example:**
//! ```python
//! def f():
//!     return total
//! ```
//! is reported on line 2. Class bodies are invisible from their methods,
//! `global` and `nonlocal` redirect lookups, and a star import makes any
//! unknown name acceptable — except names the original program bound itself,
//! which the star import did not supply there either.

use lintseq_core::Diagnostic;

use crate::context::Context;
use crate::semantic::Resolution;

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for reference in &context.model.references {
        let resolution = context.model.resolve(reference);
        // Behind a star import, a name the original program bound itself is
        // not one the imported module supplies.
        let lost = resolution == Resolution::Unknown
            && context.baseline.bound_names.contains(reference.name);
        if lost || matches!(resolution, Resolution::Undefined | Resolution::Deleted) {
            out.push(context.diagnostic(
                reference.offset,
                "E0602",
                format!("Undefined variable '{}'", reference.name),
            ));
        }
    }
}
