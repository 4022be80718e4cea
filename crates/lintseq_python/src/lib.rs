//! LintSeq's Python checker.
//!
//! It reports what pylint, in LintSeq's configuration, reports on partial
//! programs — syntax errors, undefined names, names used before assignment,
//! misplaced `return`/`yield`/`break`, bad `self` attributes, inconsistent
//! indentation — in process, on ruff's parser, in microseconds. By default
//! imports always resolve, so nothing depends on what is installed; in
//! reference mode ([`ImportMode::Reference`]) an import that a given Python
//! environment cannot resolve is an error, as pylint reports it there.
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
pub mod imports;
mod literal;
mod nesting;
mod semantic;
mod source;

use std::sync::atomic::{AtomicBool, Ordering};

use lintseq_core::{Checker, Diagnostic};
use ruff_python_ast::PythonVersion;

pub use baseline::Baseline;
pub use checks::CODES;
pub use imports::{ImportMode, ModuleIndex, ProbeError};

/// The Python checker's configuration. Cheap to clone: the module index of
/// reference mode is shared.
#[derive(Clone, Debug)]
pub struct PythonChecker {
    /// Syntax newer than this version is an error (pylint parses with the
    /// interpreter it runs on; LintSeq's reference ran Python 3.11).
    pub target_version: PythonVersion,
    /// Whether imports always resolve, or resolve as in one environment.
    pub imports: ImportMode,
}

impl Default for PythonChecker {
    fn default() -> Self {
        Self {
            target_version: PythonVersion::PY311,
            imports: ImportMode::Resolve,
        }
    }
}

impl PythonChecker {
    /// A checker for the partial programs cut from `program`.
    pub fn for_program(&self, program: &str) -> ProgramChecker {
        ProgramChecker {
            target_version: self.target_version,
            baseline: Baseline::learn(program, self.target_version),
            imports: self.imports.clone(),
            prefix_hint: PrefixHint::default(),
        }
    }

    /// The same checker with imports treated as `imports` says.
    pub fn with_imports(self, imports: ImportMode) -> Self {
        Self { imports, ..self }
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
    imports: ImportMode,
    prefix_hint: PrefixHint,
}

/// Whether to look for the next program's syntax error in a prefix of it
/// first (see `checks/syntax_error.rs`). The sampler deletes a broken
/// program's blamed lines one lint at a time: once a docstring's quote line
/// is gone, its prose is read as code and deleted line by line, each line a
/// syntax error that the prefix finds. So the prefix is tried after a
/// program whose error it found, and after one with an unclosed string (the
/// other quote line, which opens such a run). Other broken programs are
/// mostly followed by clean ones (an empty block's header is deleted with
/// it), where trying would cost a tokenization for nothing: on HumanEval's
/// paths the prefix answered 74% of the checks after those two (stdlib's:
/// 59%), and 2% of those after an empty `if` block. Only the speed depends
/// on it: both ways report the same.
#[derive(Debug, Default)]
struct PrefixHint(AtomicBool);

impl PrefixHint {
    fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Updates the hint after a check whose syntax error, if any, is
    /// `error`, which the prefix `answered` or not.
    fn update(&self, error: Option<&Diagnostic>, answered: bool) {
        let next = error.is_some_and(|error| {
            answered || error.message == "missing closing quote in string literal"
        });
        self.0.store(next, Ordering::Relaxed);
    }
}

impl Clone for PrefixHint {
    fn clone(&self) -> Self {
        Self(AtomicBool::new(self.get()))
    }
}

impl Checker for ProgramChecker {
    fn check(&self, source: &str, out: &mut Vec<Diagnostic>) {
        let imports = self.imports.index();
        let before = out.len();
        let answered = checks::run(
            source,
            self.target_version,
            &self.baseline,
            imports,
            self.prefix_hint.get(),
            out,
        );
        let error = out[before..].iter().find(|d| d.code == "E0001");
        self.prefix_hint.update(error, answered);
    }
}

/// The syntax error of `source` as found from a prefix of it (see
/// `checks/syntax_error.rs`), or `None` where that way gives no answer. For
/// the tests and the fuzz target, which compare it with [`check`].
#[doc(hidden)]
pub fn syntax_error_from_prefix(source: &str) -> Option<Diagnostic> {
    if nesting::too_many_brackets(source).is_some() {
        return None;
    }
    nesting::with_stack_for(source.len(), || {
        checks::syntax_error_from_prefix(source, PythonVersion::PY311)
    })
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
        (version.major == 3 && (7..=15).contains(&version.minor)).then(|| Self {
            target_version: version,
            ..Self::default()
        })
    }
}
