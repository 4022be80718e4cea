//! E0401 import-error.
//!
//! **Reference import mode.** An import of a module that the indexed environment
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
//!
//! **Default import mode.** Every import the original program makes is taken
//! to resolve, and so is every module of the standard library. A partial
//! program can still import something else: a line of a docstring or string
//! that became code once its quotes were deleted (`from pydantic import
//! BaseModel` in a usage example). Whether that resolves depends on the
//! machine, so, to stay deterministic and on the safe side, such an import
//! is reported, with the same guards exempt (`check_unknown`).
//!
//! ```python
//! import json
//! from not_imported_by_the_original import thing
//! ```
//! reports line 2 only.

use lintseq_core::Diagnostic;

use ruff_python_stdlib::sys::is_known_standard_library;

use crate::baseline::Baseline;
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

/// In the default import mode, whether `module` is known to resolve: the
/// original program imports it, or its top-level package is part of the
/// standard library of Python 3.`minor`.
pub(crate) fn known_to_resolve(baseline: &Baseline, minor: u8, module: &str) -> bool {
    let top = module.split('.').next().unwrap_or(module);
    // ruff's list leaves out the two modules that are not files.
    matches!(top, "__future__" | "__main__")
        || is_known_standard_library(minor, top)
        || baseline.imported_modules.contains(module)
}

/// The default import mode's E0401: absolute imports of modules not known to
/// resolve (see the module documentation).
pub(crate) fn check_unknown(
    context: &Context<'_>,
    known: &dyn Fn(&str) -> bool,
    sites: &[Site<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for site in sites {
        if site.failure_ignored() || site.fallback {
            continue;
        }
        let module = match site.import {
            Import::Plain(import) => import
                .names
                .iter()
                .map(|alias| alias.name.as_str())
                .find(|name| !known(name)),
            Import::From(import) if import.level == 0 => import
                .module
                .as_ref()
                .map(|module| module.as_str())
                .filter(|module| !known(module)),
            Import::From(_) => None,
        };
        if let Some(module) = module {
            out.push(context.diagnostic(
                site.import.start(),
                "E0401",
                format!("Unable to import '{module}'"),
            ));
        }
    }
}
