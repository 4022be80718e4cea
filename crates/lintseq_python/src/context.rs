//! What every check gets to look at.

use lintseq_core::Diagnostic;
use ruff_python_ast::ModModule;
use ruff_python_ast::token::Tokens;
use ruff_text_size::TextSize;

use crate::baseline::Baseline;
use crate::semantic::Model;
use crate::source::LineIndex;

/// A syntactically valid module, analysed, ready for the checks.
pub(crate) struct Context<'a> {
    pub(crate) source: &'a str,
    pub(crate) lines: &'a LineIndex,
    pub(crate) module: &'a ModModule,
    pub(crate) tokens: &'a Tokens,
    pub(crate) model: &'a Model<'a>,
    pub(crate) baseline: &'a Baseline,
}

impl Context<'_> {
    /// A diagnostic at the line of `offset`.
    pub(crate) fn diagnostic(
        &self,
        offset: TextSize,
        code: &'static str,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            line: self.lines.line(offset),
            code,
            message,
        }
    }
}
