//! E0402 relative-beyond-top-level (reference import mode only).
//!
//! **What it flags:** a relative import (`from . import x`, `from .mod
//! import y`, `from .. import z`) in a program pylint sees as a top-level
//! module, which pylintseq's states are: each is linted as a temporary file
//! of its own. astroid makes one exception: with level 1, when the temporary
//! directory has an entry named like the first component (`from .pk import
//! x` and a directory `pk` there), the import becomes absolute, and is an
//! import error if that fails. Imports guarded against `ImportError` are
//! exempt (see `imports::sites`); a fallback block alone does not exempt
//! them, as in pylint.
//!
//! **Why:** code cut from a package keeps its relative imports; under
//! pylintseq they are errors of the original program, deleted with the
//! first edit.
//!
//! **Example:**
//! ```python
//! from .utils import helper
//! ```
//! is reported on line 1.

use lintseq_core::Diagnostic;

use crate::context::Context;
use crate::imports::sites::{Import, Site};
use crate::imports::{ModuleIndex, Relative};

pub(crate) fn check(
    context: &Context<'_>,
    index: &ModuleIndex,
    sites: &[Site<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for site in sites {
        let Import::From(import) = site.import else {
            continue;
        };
        if import.level == 0 || site.failure_ignored() {
            continue;
        }
        let module = import.module.as_ref().map(|module| module.as_str());
        if index.relative(import.level, module) == Relative::TooManyLevels {
            out.push(context.diagnostic(
                site.import.start(),
                "E0402",
                "Attempted relative import beyond top-level package".to_string(),
            ));
        }
    }
}
