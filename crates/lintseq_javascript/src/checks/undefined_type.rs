//! `undefined-type` (TypeScript only).
//!
//! **What it flags:** a type reference (`x: Point`, `implements Shape`,
//! `Box<Item>`) to a name that no enclosing scope declares as a type,
//! interface, class, enum, namespace or type parameter, and that is not a
//! global type of TypeScript's `lib.es2024` (or of `@types/node` in the
//! Node.js environment).
//!
//! **Why:** tsc reports it as TS2304 ("Cannot find name"), one of the
//! diagnostics the TypeScript reference configuration counts; a partial
//! program gets one when it loses an `interface` or `type` declaration and
//! keeps the code that uses it.
//!
//! **Example:**
//! ```ts
//! function norm(p: Point): number {
//!   return Math.hypot(p.x, p.y);
//! }
//! ```
//! is reported on line 1 (`Point` was declared on a deleted line).

use lintseq_core::Diagnostic;

use super::undefined_name::Unresolved;
use crate::globals::Globals;
use crate::source::LineIndex;

pub(crate) const CODE: &str = "undefined-type";

pub(crate) fn check(
    unresolved: &[Unresolved<'_>],
    globals: &Globals,
    lines: &LineIndex,
    out: &mut Vec<Diagnostic>,
) {
    for reference in unresolved {
        if !reference.type_only || globals.has_type(reference.name) {
            continue;
        }
        out.push(Diagnostic::new(
            lines.line(reference.offset),
            CODE,
            format!("cannot find type '{}'", reference.name),
        ));
    }
}
