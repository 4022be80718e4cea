//! E0401 import-error (reference import mode only).
//!
//! **What it flags:** an import of a module that the indexed environment
//! cannot resolve, as pylint 3.2.6 resolves it for a file in the temporary
//! directory: a module that is not installed, a submodule its package does
//! not have (`import os.nope`), a compiled module without source. A relative
//! import that astroid turns into an absolute one (see
//! `relative_beyond_top_level`) is flagged when that fails. Guarded imports
//! are exempt, as in pylint (see `imports::sites`).
//!
//! **Why:** pylintseq runs pylint in a Python environment, where such an
//! import is an error of the original program: it is deleted with the first
//! edit, and the names it bound with it.
//!
//! **Example:**
//! ```python
//! import not_installed
//! ```
//! is reported on line 1, but not inside `try: ... except ImportError:`.

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
        if site.failure_ignored() || site.fallback {
            continue;
        }
        let mut report = |name: &str| {
            if !index.resolves(name) {
                out.push(context.diagnostic(
                    site.import.start(),
                    "E0401",
                    format!("Unable to import '{name}'"),
                ));
            }
        };
        match site.import {
            Import::Plain(import) => {
                for alias in &import.names {
                    report(alias.name.as_str());
                }
            }
            Import::From(import) => {
                let module = import.module.as_ref().map(|module| module.as_str());
                if import.level == 0 {
                    report(module.unwrap_or(""));
                } else if let Relative::Absolute(name) = index.relative(import.level, module) {
                    report(name);
                }
            }
        }
    }
}
