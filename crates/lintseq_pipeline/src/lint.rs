//! What the checker sees in one program: `lintseq lint` and `lintseq.lint`.

use lintseq_core::{Checker, Diagnostic};
use lintseq_javascript::Env;
use lintseq_python::{CODES, PythonChecker};

use crate::language::{LanguageId, checker_for};

/// One diagnostic, with pylint's symbolic name for its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linted {
    /// 1-based line.
    pub line: u32,
    /// pylint's message id (`E0602`); for JavaScript and TypeScript, the
    /// checker's own code (`no-undef`).
    pub code: &'static str,
    /// pylint's symbolic name (`undefined-variable`); empty if it has none.
    /// JavaScript's and TypeScript's codes are their own symbols.
    pub symbol: &'static str,
    pub message: String,
}

/// The diagnostics of `source`, checked as a partial program of `original`
/// (or of itself), as `generate` checks every state.
pub fn lint(python: &PythonChecker, source: &str, original: Option<&str>) -> Vec<Linted> {
    let diagnostics = python
        .for_program(original.unwrap_or(source))
        .diagnostics(source);
    linted(LanguageId::Python, diagnostics)
}

/// [`lint`] in any language: `python` checks Python, JavaScript and
/// TypeScript get checkers with the globals of `env`.
pub fn lint_in(
    language: LanguageId,
    python: &PythonChecker,
    env: Env,
    source: &str,
    original: Option<&str>,
) -> Vec<Linted> {
    let checker = checker_for(language, python, env);
    let diagnostics = checker
        .as_language()
        .checker(original.unwrap_or(source))
        .diagnostics(source);
    linted(language, diagnostics)
}

fn linted(language: LanguageId, diagnostics: Vec<Diagnostic>) -> Vec<Linted> {
    diagnostics
        .into_iter()
        .map(|diagnostic| Linted {
            line: diagnostic.line,
            code: diagnostic.code,
            symbol: match language {
                LanguageId::Python => symbol(diagnostic.code),
                LanguageId::JavaScript | LanguageId::TypeScript => diagnostic.code,
            },
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

    #[test]
    fn scripts_codes_are_their_symbols() {
        let python = PythonChecker::default();
        let found = lint_in(
            LanguageId::JavaScript,
            &python,
            Env::default(),
            "f(x);\n",
            None,
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found
                .iter()
                .all(|d| d.code == "no-undef" && d.symbol == "no-undef")
        );
        let original = Some("let x = 1;\nx;\n");
        assert!(
            lint_in(
                LanguageId::TypeScript,
                &python,
                Env::default(),
                "x;\n",
                original
            )
            .len()
                == 1
        );
        let same = lint_in(
            LanguageId::Python,
            &python,
            Env::default(),
            "print(x)\n",
            None,
        );
        assert_eq!(same, lint(&python, "print(x)\n", None));
    }
}
