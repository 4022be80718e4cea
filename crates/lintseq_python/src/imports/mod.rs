//! Import resolution against one Python environment, for `--imports
//! reference`.
//!
//! pylintseq lints every state with pylint in the environment it runs in,
//! so an import that environment cannot resolve (a module that is not
//! installed, a relative import in what pylint sees as a top-level module)
//! is an error of the original program, deleted with the first edit, and
//! every use of the names it bound goes with it. [`ImportMode::Reference`]
//! reproduces that: a [`ModuleIndex`] lists, once per run, what an
//! interpreter can import, and the checks `import-error` (E0401),
//! `relative-beyond-top-level` (E0402) and `no-name-in-module` (E0611, where
//! the index alone decides it) report what pylint would.
//!
//! The default, [`ImportMode::Resolve`], treats every import as resolving:
//! the output then depends on nothing but the input, on any machine.

mod index;
mod probe;
pub(crate) mod sites;

use std::sync::Arc;

pub use index::ModuleIndex;
pub(crate) use index::{Found, Relative};
pub use probe::ProbeError;

/// How the checker treats imports.
#[derive(Clone, Debug, Default)]
pub enum ImportMode {
    /// Every import resolves: the checker's verdicts are the same on every
    /// machine.
    #[default]
    Resolve,
    /// An import that would not resolve in the indexed environment is an
    /// error, exactly as pylint reports it when pylintseq runs there.
    Reference(Arc<ModuleIndex>),
}

impl ImportMode {
    /// The index, in reference mode.
    pub fn index(&self) -> Option<&ModuleIndex> {
        match self {
            ImportMode::Resolve => None,
            ImportMode::Reference(index) => Some(index),
        }
    }
}
