//! What the checker sees in one program: `lintseq lint` and `lintseq.lint`.

use lintseq_core::Checker;
use lintseq_python::{CODES, PythonChecker};

/// One diagnostic, with pylint's symbolic name for its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linted {
    /// 1-based line.
    pub line: u32,
    /// pylint's message id (`E0602`).
    pub code: &'static str,
    /// pylint's symbolic name (`undefined-variable`); empty if it has none.
    pub symbol: &'static str,
    pub message: String,
}

/// The diagnostics of `source`, checked as a partial program of `original`
/// (or of itself), as `generate` checks every state.
pub fn lint(python: &PythonChecker, source: &str, original: Option<&str>) -> Vec<Linted> {
    python
        .for_program(original.unwrap_or(source))
        .diagnostics(source)
        .into_iter()
        .map(|diagnostic| Linted {
            line: diagnostic.line,
            code: diagnostic.code,
            symbol: symbol(diagnostic.code),
            message: diagnostic.message,
        })
        .collect()
}

/// pylint's symbolic name for a message id, or `""`.
pub fn symbol(code: &str) -> &'static str {
    CODES
        .iter()
        .find(|(known, _)| *known == code)
        .map_or("", |(_, symbol)| symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_with_codes() {
        let found = lint(&PythonChecker::default(), "print(x)\n", None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 1);
        assert_eq!(found[0].code, "E0602");
        assert_eq!(found[0].symbol, "undefined-variable");
        assert!(lint(&PythonChecker::default(), "x = 1\nprint(x)\n", None).is_empty());
        assert_eq!(symbol("X9999"), "");
    }
}
