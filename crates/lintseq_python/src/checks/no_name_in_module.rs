//! E0611 no-name-in-module (reference import mode only, where the module
//! index decides it).
//!
//! **What it flags:** `from module import name` (or `import module.name`)
//! where `module` resolves to a module that has no `name`, in the two cases
//! the index can tell without reading module sources: a namespace package,
//! which has no names but its submodules, and the module a top-level
//! program's `from . import name` gets (astroid turns it into an import of
//! the empty module name, which holds whatever astroid last built from a
//! string; pylint reports `No name 'x' in module ''`). Names of regular
//! modules are not checked. Fallback blocks, `TYPE_CHECKING` blocks and
//! version guards are exempt, as in pylint's variables checker.
//!
//! **Why:** `from . import utils` is how package code imports its siblings;
//! pylintseq reports it on the original program and deletes it with the
//! first edit.
//!
//! **Example:**
//! ```python
//! from . import utils
//! ```
//! is reported on line 1.

use lintseq_core::Diagnostic;

use crate::context::Context;
use crate::imports::sites::{Import, Site};
use crate::imports::{Found, ModuleIndex, Relative};

/// Attributes every astroid module has (its `ModuleModel`).
const MODULE_ATTRIBUTES: &[&str] = &[
    "builtins",
    "__path__",
    "__name__",
    "__doc__",
    "__file__",
    "__dict__",
    "__package__",
    "__spec__",
    "__loader__",
    "__cached__",
];

/// The one name in the empty-named module astroid usually holds (the class
/// its builtins brain builds from a string).
const EMPTY_MODULE_NAMES: &[&str] = &["whatever"];

pub(crate) fn check(
    context: &Context<'_>,
    index: &ModuleIndex,
    sites: &[Site<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for site in sites {
        if site.names_unchecked() {
            continue;
        }
        let mut report = |(name, module): (String, String)| {
            out.push(context.diagnostic(
                site.import.start(),
                "E0611",
                format!("No name '{name}' in module '{module}'"),
            ));
        };
        match site.import {
            Import::Plain(import) => {
                for alias in &import.names {
                    let mut parts = alias.name.as_str().split('.');
                    let first = parts.next().unwrap_or("");
                    let Some(found) = index.find(first) else {
                        continue;
                    };
                    if let Walk::Missing(missing) = walk(index, found, first.to_string(), parts) {
                        report(missing);
                    }
                }
            }
            Import::From(import) => {
                let module = import.module.as_ref().map_or("", |module| module.as_str());
                let mut parts = module.split('.');
                let first = parts.next().unwrap_or("");
                let name = if import.level == 0 {
                    first
                } else {
                    match index.relative(import.level, Some(first)) {
                        Relative::Absolute(name) => name,
                        Relative::TooManyLevels => continue,
                    }
                };
                let Some(found) = index.find(name) else {
                    continue;
                };
                let (found, module) = match walk(index, found, name.to_string(), parts) {
                    Walk::Reached(found, module) => (found, module),
                    Walk::Missing(missing) => {
                        report(missing);
                        continue;
                    }
                    Walk::Unknown => continue,
                };
                for alias in &import.names {
                    let name = alias.name.as_str();
                    if name == "*" {
                        continue;
                    }
                    let walked = walk(index, found.clone(), module.clone(), name.split('.'));
                    if let Walk::Missing(missing) = walked {
                        report(missing);
                    }
                }
            }
        }
    }
}

/// How far pylint's `_check_module_attrs` gets along a chain of names.
enum Walk {
    /// The last module reached, and its name.
    Reached(Found, String),
    /// This name is not in this module.
    Missing((String, String)),
    /// A module whose names are not known here, or a non-module.
    Unknown,
}

fn walk<'n>(
    index: &ModuleIndex,
    mut found: Found,
    mut module: String,
    names: impl Iterator<Item = &'n str>,
) -> Walk {
    for name in names {
        if MODULE_ATTRIBUTES.contains(&name) {
            return Walk::Unknown;
        }
        match found {
            Found::Namespace => {
                let child = format!("{module}.{name}");
                match index.find(&child) {
                    Some(next) => {
                        found = next;
                        module = child;
                    }
                    None => return Walk::Missing((name.to_string(), module)),
                }
            }
            Found::EmptyName if EMPTY_MODULE_NAMES.contains(&name) => return Walk::Unknown,
            Found::EmptyName => return Walk::Missing((name.to_string(), module)),
            Found::Other => return Walk::Unknown,
        }
    }
    Walk::Reached(found, module)
}
