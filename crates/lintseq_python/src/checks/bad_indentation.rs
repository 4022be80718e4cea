//! W0311 bad-indentation.
//!
//! **What it flags:** a statement whose indentation is not its nesting depth
//! times the program's own indent unit (the whitespace of the original
//! program's first indented block).
//!
//! **Why:** pylint treats this warning as an error in LintSeq's configuration.
//! Pylint measures against four spaces; measuring against the program's own
//! unit keeps two-space and tab-indented programs from being deleted whole,
//! while every line pylint would newly flag in a partial program is still
//! caught.
//!
//! **Example:** in a four-space program,
//! ```python
//! if x:
//!       y = 1
//! ```
//! is reported on line 2 (found 6 spaces, expected 4).

use lintseq_core::Diagnostic;
use ruff_python_ast::token::TokenKind;
use ruff_text_size::{Ranged, TextSize};

use crate::context::Context;

pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(unit) = context.baseline.indent_unit.as_deref() else {
        return;
    };
    let mut depth = 0usize;
    let mut line_start = true;
    for token in context.tokens.iter() {
        match token.kind() {
            TokenKind::Indent => {
                depth += 1;
                continue;
            }
            TokenKind::Dedent => {
                depth = depth.saturating_sub(1);
                continue;
            }
            TokenKind::Newline => {
                line_start = true;
                continue;
            }
            kind if kind.is_trivia() => continue,
            _ => {}
        }
        if !line_start {
            continue;
        }
        line_start = false;
        let line = context.lines.line(token.start());
        let start = TextSize::new(context.lines.line_start(line));
        let leading = &context.source[usize::from(start)..usize::from(token.start())];
        if !is_repeat(leading, unit, depth) {
            let found = leading.chars().count();
            let expected = unit.chars().count() * depth;
            out.push(context.diagnostic(
                token.start(),
                "W0311",
                format!("Bad indentation. Found {found} characters, expected {expected}"),
            ));
        }
    }
}

fn is_repeat(text: &str, unit: &str, times: usize) -> bool {
    text.len() == unit.len() * times
        && text
            .as_bytes()
            .chunks(unit.len())
            .all(|c| c == unit.as_bytes())
}
