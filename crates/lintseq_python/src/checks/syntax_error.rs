//! E0001 syntax-error.
//!
//! **What it flags:** the syntax error CPython would report for the program,
//! on the line pylint (and LintSeq) would blame: unexpected or inconsistent
//! indentation, empty blocks, unclosed, unmatched or mismatched brackets,
//! unterminated strings, stray clauses, and syntax newer than the target
//! Python version.
//!
//! **Why:** a partial program that does not parse is the most common error
//! LintSeq must avoid, and the only one pylint reports for such a file. The
//! blamed line decides what the sampler deletes next, so it follows CPython:
//! a tokenizer error anywhere in the file (unterminated string, bracket
//! trouble, bad dedent) wins over a parser error, as CPython re-tokenizes the
//! rest of the file before reporting; an empty block blames its header (the
//! "on line N" of CPython's message); an unclosed bracket blames the line
//! that opened it.
//!
//! **Example:** deleting the body of `def f():` leaves
//! ```python
//! def f():
//! x = 1
//! ```
//! which is reported on line 1 ("expected an indented block after function
//! definition on line 1").

use lintseq_core::Diagnostic;
use ruff_python_ast::ModModule;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{LexicalErrorType, ParseErrorType, Parsed};
use ruff_text_size::{Ranged, TextSize};

use crate::source::LineIndex;

pub(crate) fn check(
    source: &str,
    parsed: &Parsed<ModModule>,
    lines: &LineIndex,
) -> Option<Diagnostic> {
    if parsed.errors().is_empty() && parsed.unsupported_syntax_errors().is_empty() {
        return None;
    }
    let scan = TokenizerScan::new(parsed, lines);
    let parser = parser_error(parsed, lines);
    let (line, message) = match (parser, scan.first()) {
        // The tokenizer failed before the parser did.
        (Some(p), Some(t)) if t.offset < p.offset => (t.line, t.message.clone()),
        (None, Some(t)) => (t.line, t.message.clone()),
        // An unexpected indent is reported as it is.
        (Some(p), _) if p.unexpected_indent => (p.line, p.message),
        // Otherwise CPython tokenizes the rest of the file: an error that
        // raises (bad string, bracket, character) replaces the parser's; at
        // an indentation error or the end, an unclosed bracket opened before
        // the parser's line does.
        (Some(p), _) => match scan.after(p.offset) {
            Some(t) if t.raises => (t.line, t.message.clone()),
            _ => match scan.unclosed_before(p.offset) {
                Some(t) if t.line < p.line => (t.line, t.message),
                _ => (p.line, p.message),
            },
        },
        (None, None) => (
            lines.line(TextSize::of(source)),
            "invalid syntax".to_string(),
        ),
    };
    Some(Diagnostic {
        line: line.clamp(1, lines.line_count()),
        code: "E0001",
        message,
    })
}

/// An error of CPython's tokenizer.
#[derive(Clone, Debug)]
struct TokenizerError {
    offset: TextSize,
    /// The line CPython (and LintSeq) blames.
    line: u32,
    message: String,
    /// Raises at once (strings, brackets, characters), as opposed to
    /// indentation errors, which the parser reports later.
    raises: bool,
}

/// The tokenizer errors of a file, in order, with the bracket nesting.
struct TokenizerScan {
    errors: Vec<TokenizerError>,
    /// Opening brackets with the offset where each was closed (or `None`).
    brackets: Vec<(TokenKind, TextSize, Option<TextSize>)>,
    lines_of_brackets: Vec<u32>,
}

impl TokenizerScan {
    fn new(parsed: &Parsed<ModModule>, lines: &LineIndex) -> Self {
        let mut errors: Vec<TokenizerError> = parsed
            .errors()
            .iter()
            .filter_map(|error| match &error.error {
                ParseErrorType::Lexical(kind) if is_tokenizer_error(kind) => Some(TokenizerError {
                    offset: error.location.start(),
                    line: lines.line(error.location.start()),
                    message: error.error.to_string(),
                    raises: !matches!(kind, LexicalErrorType::IndentationError),
                }),
                _ => None,
            })
            .collect();
        let mut brackets = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for token in parsed.tokens().iter() {
            let kind = token.kind();
            match kind {
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                    open.push(brackets.len());
                    brackets.push((kind, token.start(), None));
                }
                TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                    let closer = symbol(kind);
                    let at = token.start();
                    match open.pop() {
                        None => errors.push(TokenizerError {
                            offset: at,
                            line: lines.line(at),
                            message: format!("unmatched '{closer}'"),
                            raises: true,
                        }),
                        Some(index) => {
                            let (opener, opened, _) = brackets[index];
                            brackets[index].2 = Some(at);
                            if !closes(opener, kind) {
                                let (open_line, close_line) = (lines.line(opened), lines.line(at));
                                let mut message = format!(
                                    "closing parenthesis '{closer}' does not match opening parenthesis '{}'",
                                    symbol(opener)
                                );
                                if open_line != close_line {
                                    message.push_str(&format!(" on line {open_line}"));
                                }
                                errors.push(TokenizerError {
                                    offset: at,
                                    line: open_line,
                                    message,
                                    raises: true,
                                });
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        errors.sort_by_key(|error| error.offset);
        let lines_of_brackets = brackets.iter().map(|(_, at, _)| lines.line(*at)).collect();
        Self {
            errors,
            brackets,
            lines_of_brackets,
        }
    }

    /// The first error, counting a bracket still open at the end of the file.
    fn first(&self) -> Option<TokenizerError> {
        self.errors
            .first()
            .cloned()
            .or_else(|| self.unclosed_before(TextSize::new(u32::MAX)))
    }

    /// The first error at or after `offset`.
    fn after(&self, offset: TextSize) -> Option<&TokenizerError> {
        self.errors.iter().find(|error| error.offset >= offset)
    }

    /// The innermost bracket opened before `offset` and never closed.
    fn unclosed_before(&self, offset: TextSize) -> Option<TokenizerError> {
        self.brackets
            .iter()
            .zip(&self.lines_of_brackets)
            .rev()
            .find(|((_, at, closed), _)| *at < offset && closed.is_none())
            .map(|((kind, at, _), line)| TokenizerError {
                offset: *at,
                line: *line,
                message: format!("'{}' was never closed", symbol(*kind)),
                raises: true,
            })
    }
}

/// Errors CPython's tokenizer raises; a stray character such as a backtick
/// only fails in the parser.
fn is_tokenizer_error(kind: &LexicalErrorType) -> bool {
    !matches!(
        kind,
        LexicalErrorType::Eof | LexicalErrorType::UnrecognizedToken { .. }
    )
}

fn closes(open: TokenKind, close: TokenKind) -> bool {
    matches!(
        (open, close),
        (TokenKind::Lpar, TokenKind::Rpar)
            | (TokenKind::Lsqb, TokenKind::Rsqb)
            | (TokenKind::Lbrace, TokenKind::Rbrace)
    )
}

fn symbol(kind: TokenKind) -> char {
    match kind {
        TokenKind::Lpar => '(',
        TokenKind::Rpar => ')',
        TokenKind::Lsqb => '[',
        TokenKind::Rsqb => ']',
        TokenKind::Lbrace => '{',
        _ => '}',
    }
}

/// The parser's first complaint.
struct ParserError {
    offset: TextSize,
    line: u32,
    message: String,
    unexpected_indent: bool,
}

/// The first parser (or target-version) error; an empty block blames the
/// first line of its header.
fn parser_error(parsed: &Parsed<ModModule>, lines: &LineIndex) -> Option<ParserError> {
    let parse = parsed
        .errors()
        .iter()
        .filter(|error| !matches!(&error.error, ParseErrorType::Lexical(kind) if is_tokenizer_error(kind)))
        .min_by_key(|error| error.location.start())
        .map(|error| (error.location.start(), error.error.to_string(), Some(&error.error)));
    let version = parsed
        .unsupported_syntax_errors()
        .iter()
        .min_by_key(|error| error.range.start())
        .map(|error| (error.range.start(), error.to_string(), None));
    let (offset, message, kind) = match (parse, version) {
        (Some(a), Some(b)) => {
            if b.0 < a.0 {
                b
            } else {
                a
            }
        }
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => return None,
    };
    let line = if kind.is_some_and(is_empty_block) {
        header_line(parsed, offset, lines)
    } else {
        lines.line(offset)
    };
    Some(ParserError {
        offset,
        line,
        message,
        unexpected_indent: matches!(kind, Some(ParseErrorType::UnexpectedIndentation)),
    })
}

fn is_empty_block(error: &ParseErrorType) -> bool {
    matches!(error, ParseErrorType::OtherError(message) if message.starts_with("Expected an indented block"))
}

/// The first line of the statement whose block is missing: the logical line
/// holding the last `:` before `offset`.
fn header_line(parsed: &Parsed<ModModule>, offset: TextSize, lines: &LineIndex) -> u32 {
    let tokens = parsed.tokens().before(offset);
    let Some(colon) = tokens
        .iter()
        .rposition(|token| token.kind() == TokenKind::Colon)
    else {
        return lines.line(offset);
    };
    let start = tokens[..colon]
        .iter()
        .rposition(|token| {
            matches!(
                token.kind(),
                TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent
            )
        })
        .map_or(0, |boundary| boundary + 1);
    let first = tokens[start..=colon]
        .iter()
        .find(|token| !token.kind().is_trivia())
        .unwrap_or(&tokens[colon]);
    lines.line(first.start())
}
