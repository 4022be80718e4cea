//! LintSeq's Python checker.
//!
//! It reports what pylint, in LintSeq's configuration, reports on partial
//! programs — syntax errors, undefined names, names used before assignment,
//! misplaced `return`/`yield`/`break`, bad `self` attributes, inconsistent
//! indentation — in process, on ruff's parser, in microseconds. Imports always
//! resolve: nothing depends on what is installed.
//!
//! A [`PythonChecker`] is configured once; [`PythonChecker::for_program`]
//! binds it to one original program, from which it learns what cannot be seen
//! in a partial program (the indent unit, attributes a class defines that its
//! unknown bases might otherwise supply).

mod baseline;
mod calls;
mod checks;
mod classes;
mod context;
mod literal;
mod nesting;
mod semantic;
mod source;

use lintseq_core::{Checker, Diagnostic};
use ruff_python_ast::PythonVersion;

pub use baseline::Baseline;
pub use checks::CODES;

/// The Python checker's configuration.
#[derive(Clone, Copy, Debug)]
pub struct PythonChecker {
    /// Syntax newer than this version is an error (pylint parses with the
    /// interpreter it runs on; LintSeq's reference ran Python 3.11).
    pub target_version: PythonVersion,
}

impl Default for PythonChecker {
    fn default() -> Self {
        Self {
            target_version: PythonVersion::PY311,
        }
    }
}

impl PythonChecker {
    /// A checker for the partial programs cut from `program`.
    pub fn for_program(&self, program: &str) -> ProgramChecker {
        ProgramChecker {
            target_version: self.target_version,
            baseline: Baseline::learn(program, self.target_version),
        }
    }
}

impl lintseq_core::checker::Language for PythonChecker {
    fn checker(&self, program: &str) -> Box<dyn Checker + '_> {
        Box::new(self.for_program(program))
    }
}

/// The checker bound to one original program.
#[derive(Clone, Debug)]
pub struct ProgramChecker {
    target_version: PythonVersion,
    baseline: Baseline,
}

impl Checker for ProgramChecker {
    fn check(&self, source: &str, out: &mut Vec<Diagnostic>) {
        checks::run(source, self.target_version, &self.baseline, out);
    }
}

/// Checks `source` on its own (it is its own baseline).
pub fn check(source: &str) -> Vec<Diagnostic> {
    PythonChecker::default()
        .for_program(source)
        .diagnostics(source)
}

impl PythonChecker {
    /// A checker for the Python version written `3.X`.
    pub fn with_target_version(version: &str) -> Option<Self> {
        let (major, minor) = version.trim().split_once('.')?;
        let version = PythonVersion {
            major: major.parse().ok()?,
            minor: minor.parse().ok()?,
        };
        (version.major == 3 && (7..=15).contains(&version.minor)).then_some(Self {
            target_version: version,
        })
    }
}
