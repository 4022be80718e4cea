//! The contract between the sampler and a language's linter.

use std::fmt;

/// One problem a checker found in a program.
///
/// Broken code is data, not failure: a checker reports what it sees and never
/// returns an error.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// 1-based line number in the checked text. The sampler deletes this line.
    pub line: u32,
    /// A stable identifier; the Python checker uses pylint's message ids.
    pub code: &'static str,
    /// A human-readable description.
    pub message: String,
}

impl Diagnostic {
    pub fn new(line: u32, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            line,
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} {}", self.line, self.code, self.message)
    }
}

/// A linter the sampler can ask about intermediate programs.
///
/// Implementations must be deterministic and must never panic on any input:
/// the sampler feeds them every kind of half-deleted program.
pub trait Checker: Sync {
    /// Appends the diagnostics for `source` to `out` (which the caller clears).
    fn check(&self, source: &str, out: &mut Vec<Diagnostic>);

    /// Convenience wrapper returning a fresh vector.
    fn diagnostics(&self, source: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        self.check(source, &mut out);
        out
    }
}

/// A language: makes a checker for the states of one original program, and
/// says how the program's lines nest.
///
/// A checker may learn from the whole program what a partial program cannot
/// show (for Python: the indent unit, or which attributes a class defines).
pub trait Language: Sync {
    fn checker(&self, program: &str) -> Box<dyn Checker + '_>;

    /// How the lines of `program` nest, when indentation does not say it
    /// (brackets in C-family languages). `None`, the default, keeps the
    /// indentation model: a line's children are the run of deeper lines
    /// after it, and lines starting with `#` are comments.
    fn structure(&self, _program: &str) -> Option<Structure> {
        None
    }
}

/// Which lines belong to which, as a language sees a program.
///
/// Deleting a line deletes its children with it, so a line that opens a
/// block (`{`, a multi-line call, a template literal) must own every line up
/// to the one that closes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Structure {
    /// `ends[i]` is one past the last child of line `i`: its children are
    /// the lines `i + 1..ends[i]`. At least `i + 1`, at most the line count.
    pub ends: Vec<usize>,
    /// Lines that hold only comments (never candidates when comments are
    /// ignored, like blank lines).
    pub comments: Vec<bool>,
}
