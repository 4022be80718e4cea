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
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ModModule, PythonVersion};
use ruff_python_parser::{LexicalErrorType, Mode, ParseErrorType, ParseOptions, Parsed, lexer};
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

/// The syntax error of `source`, found by parsing only a prefix of it, when
/// that is sure to be what [`check`] reports after parsing all of it; `None`
/// otherwise (the caller then parses the whole program).
///
/// A program that a deletion has broken often reads as prose from some line
/// on (a docstring's body once a quote line is gone), and ruff's parser,
/// which recovers from every error, spends most of its time on the lines
/// after the first one. Here the file is tokenized only up to the end of
/// the first logical line that surely does not parse (two names, numbers or
/// strings in a row, such as `given threshold`; `>>> f(x)`; a block header
/// followed by a line that is not indented, ...: see [`Invalid`]), only that
/// prefix is parsed, and the rest is scanned for what could change the
/// answer. The answer is [`check`]'s on the prefix, and the same as on the
/// whole file, when:
///
/// - the prefix ends at a logical newline, and its tokens are exactly those
///   the lexer gives for the whole file up to there, also after the parser's
///   recovery (which re-tokenizes a bracketed line when it gives up on it);
///   a prefix that holds an f- or t-string is not used;
/// - no construct that the parser reads on through a newline when it
///   recovers inside it (a lambda's parameters, a `case` pattern, `with (`
///   items) is open at the prefix's end ([`reads_past_newline`]), so that
///   its last newline ends its last statement;
/// - the parser's first complaint lies inside the prefix: it reads left to
///   right and looks no further than the end of a logical line, so what it
///   reports before the prefix ends does not depend on what follows, while
///   what the prefix's early end causes (a block or a `try` cut short) is
///   placed at that end;
/// - the rest of the file has no tokenizer error that raises (no unclosed
///   string, no bracket out of place, no stray backslash, no malformed
///   number, no escape or byte literal the parser could reject) and no f- or
///   t-string ([`rest_is_plain`]). Its first tokenizer
///   error after the parser's first complaint could otherwise replace it;
///   one that does not raise (a bad dedent) leaves it as it is, as does
///   none.
///
/// `tests/syntax_prefix.rs` and the checker fuzz target compare both ways
/// on every program they see.
pub(crate) fn from_prefix(source: &str, version: PythonVersion) -> Option<Diagnostic> {
    let mut lexer = lexer::lex(source, Mode::Module);
    let mut kinds: Vec<TokenKind> = Vec::with_capacity(64);
    let mut invalid = Invalid::default();
    let mut found = None;
    let newline = loop {
        let kind = lexer.next_token();
        if matches!(
            kind,
            TokenKind::FStringStart | TokenKind::TStringStart | TokenKind::EndOfFile
        ) {
            return None;
        }
        kinds.push(kind);
        if found.is_none() {
            found = invalid.step(&kinds);
        }
        // The newline ending the line of the token found (which may be
        // that newline itself).
        if let Some(found) = found {
            if kinds[found] == TokenKind::Newline {
                break found;
            }
            if kind == TokenKind::Newline {
                break kinds.len() - 1;
            }
        }
    };
    let kinds = &kinds[..=newline];
    if reads_past_newline(kinds) {
        return None;
    }
    // Each line break outside strings and continuations is a newline token,
    // so the prefix ends at the `breaks`-th `\n` when there are none of
    // those before; otherwise the tokens below will not match.
    let breaks = kinds
        .iter()
        .filter(|&&kind| matches!(kind, TokenKind::Newline | TokenKind::NonLogicalNewline))
        .count();
    let cut = memchr::memchr_iter(b'\n', source.as_bytes()).nth(breaks.checked_sub(1)?)? + 1;
    if !rest_is_plain(&source.as_bytes()[cut..]) {
        return None;
    }
    let prefix = &source[..cut];
    let options = ParseOptions::from(Mode::Module).with_target_version(version);
    let parsed = ruff_python_parser::parse_unchecked(prefix, options).try_into_module()?;
    let tokens = parsed.tokens();
    let last = tokens.get(newline)?;
    // A newline token that is the prefix's own last line break, not the one
    // the lexer adds at its end (after a string the cut left unclosed).
    if last.kind() != TokenKind::Newline
        || last.range().is_empty()
        || last.end().to_usize() != cut
        || !tokens[..=newline]
            .iter()
            .map(|token| token.kind())
            .eq(kinds.iter().copied())
    {
        return None;
    }
    let lines = LineIndex::new(prefix);
    if parser_error(&parsed, &lines)?.offset.to_usize() >= cut {
        return None;
    }
    check(prefix, &parsed, &lines)
}

/// Whether the parser may read past the last newline of `kinds` as part of
/// a construct left open: a lambda's parameters (which only a `:` ends), a
/// `case` pattern sequence (`:` or `if`), or `with` items that start with a
/// parenthesized expression (`:`; items that do not start with `(` end at a
/// newline too). Recovering from an error inside one of
/// these, ruff's parser takes a logical line's newline for a stray token,
/// skips it and reads on into the next line. The prefix's last newline
/// would then not end its statement: on the whole file the parser reads on
/// past the cut, and an error it places at the statement's start once the
/// statement ends (an invalid assignment target) comes before the prefix's
/// first. The errors reported at the newline do not show the skip, as the
/// parser drops a second error at the place of the last.
///
/// Each such keyword opens a construct that the next `:` at its own bracket
/// depth closes (the first one after a lambda ends its parameters, after
/// `with (` its items, after `case` its pattern and guard), and the prefix is
/// not used when one is open at its end. A construct left open on an earlier
/// line counts too, since it reads on through every newline.
fn reads_past_newline(kinds: &[TokenKind]) -> bool {
    let mut depth = 0u32;
    // The bracket depths of the constructs open, innermost last.
    let mut open: Vec<u32> = Vec::new();
    for (index, &kind) in kinds.iter().enumerate() {
        match kind {
            TokenKind::Lambda | TokenKind::Case => open.push(depth),
            // Items that do not start with `(` end at a newline too.
            TokenKind::With if kinds.get(index + 1) == Some(&TokenKind::Lpar) => open.push(depth),
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => depth += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                depth = depth.saturating_sub(1);
            }
            TokenKind::Colon if open.last() == Some(&depth) => {
                open.pop();
            }
            _ => {}
        }
    }
    !open.is_empty()
}

/// Whether `rest`, the text after a logical line of a program, can hold no
/// tokenizer error that raises, and no f- or t-string, by a scan that finds
/// strings and comments as ruff's lexer does: a quote outside a comment
/// opens a string, three quotes a triple-quoted one, which runs to the next
/// three unescaped quotes; a single-quoted one also ends, unclosed, at an
/// unescaped line break. It rejects more than it must (a name ending in `f`
/// right before a quote, any number starting with `0` and another digit or
/// a base letter, any `\N`, `\x`, `\u` or `\U` in a string), never less.
fn rest_is_plain(rest: &[u8]) -> bool {
    let mut open: Vec<u8> = Vec::new();
    let mut at = 0;
    while at < rest.len() {
        let byte = rest[at];
        if !SPECIAL[usize::from(byte)] {
            at += 1;
            continue;
        }
        match byte {
            b'#' => match memchr::memchr2(b'\n', b'\r', &rest[at..]) {
                Some(end) => at += end,
                None => break,
            },
            b'(' | b'[' | b'{' => {
                open.push(byte);
                at += 1;
            }
            b')' | b']' | b'}' => {
                let opener = match byte {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                if open.pop() != Some(opener) {
                    return false;
                }
                at += 1;
            }
            b'\'' | b'"' => {
                // The letters right before the quote are its prefix.
                let prefix = rest[..at]
                    .iter()
                    .rev()
                    .take(2)
                    .take_while(|b| b.is_ascii_alphabetic());
                let mut bytes_literal = false;
                for letter in prefix {
                    match letter {
                        b'f' | b'F' | b't' | b'T' => return false,
                        b'b' | b'B' => bytes_literal = true,
                        _ => {}
                    }
                }
                let Some(end) = string_end(rest, at) else {
                    return false;
                };
                // What the parser reports as a tokenizer error when it reads
                // the literal: a bad `\N{...}`, `\x`, `\u` or `\U` escape,
                // or a byte literal's non-ASCII character.
                let body = &rest[at..end];
                let escapes = memchr::memchr_iter(b'\\', body)
                    .any(|i| matches!(body.get(i + 1), Some(b'N' | b'x' | b'u' | b'U')));
                if escapes || (bytes_literal && !body.is_ascii()) {
                    return false;
                }
                at = end;
            }
            b'\\' => {
                // A line continuation, or an error.
                match rest.get(at + 1) {
                    Some(b'\n' | b'\r') => at += 2,
                    _ => return false,
                }
            }
            _ => {
                // A digit: a number unless it continues a name.
                let starts_number = at == 0 || !is_name_byte(rest[at - 1]);
                if starts_number {
                    let end = at
                        + rest[at..]
                            .iter()
                            .position(|&b| !(is_name_byte(b) || b == b'.'))
                            .unwrap_or(rest.len() - at);
                    let number = &rest[at..end];
                    let leading_zero = byte == b'0'
                        && number
                            .get(1)
                            .is_some_and(|b| b.is_ascii_digit() || b"xXoObB_".contains(b));
                    if leading_zero || number.windows(2).any(|pair| pair == b"._") {
                        return false;
                    }
                    at = end;
                } else {
                    at += 1;
                }
            }
        }
    }
    open.is_empty()
}

/// A byte that continues a name for [`rest_is_plain`]: ASCII only, so that
/// digits after a character the lexer does not take for part of a name
/// (`\u{fffd}0602`) are read as the number it reads there.
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The bytes [`rest_is_plain`] stops at.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let special = b"#()[]{}'\"\\0123456789";
    let mut at = 0;
    while at < special.len() {
        table[special[at] as usize] = true;
        at += 1;
    }
    table
};

/// Where the string literal whose opening quote is at `start` ends (past its
/// closing quote), or `None` when it is never closed.
fn string_end(source: &[u8], start: usize) -> Option<usize> {
    let quote = source[start];
    let triple = source.get(start + 1..start + 3) == Some(&[quote, quote][..]);
    let mut at = start + if triple { 3 } else { 1 };
    loop {
        let found = if triple {
            memchr::memchr(quote, &source[at..])
        } else {
            memchr::memchr3(quote, b'\n', b'\r', &source[at..])
        }?;
        let escaped = source[at..at + found]
            .iter()
            .rev()
            .take_while(|&&byte| byte == b'\\')
            .count()
            % 2
            == 1;
        at += found;
        let byte = source[at];
        at += 1;
        if escaped {
            if byte == b'\r' && source.get(at) == Some(&b'\n') {
                at += 1;
            }
            continue;
        }
        if byte != quote {
            return None;
        }
        if !triple {
            return Some(at);
        }
        if source.get(at..at + 2) == Some(&[quote, quote][..]) {
            return Some(at + 2);
        }
    }
}

/// Finds, as tokens arrive, one that surely makes its logical line a syntax
/// error, or the first token of the line after one that surely does: a
/// token that [`never_follows`] the one before it; a line only `name:` (an
/// annotation without a type); after a block header (a line ending in `:`),
/// a line that is not indented; after any other line, one that is; after a
/// decorator, a line that is not a definition or another decorator; and
/// `else`, `elif`, `except` or `finally` after a line with no `:` at all.
/// A guess is all it needs to be: [`from_prefix`] checks what it finds.
#[derive(Default)]
struct Invalid {
    /// Where the current logical line's tokens start.
    line_begin: usize,
    has_colon: bool,
    /// The newline token ending the last line, until the next line's first
    /// token (other than comments and blank lines) arrives.
    line_end: Option<usize>,
}

impl Invalid {
    /// After `kinds` has grown by one token: the index of a token that
    /// shows a line to be invalid, if the new token shows one.
    fn step(&mut self, kinds: &[TokenKind]) -> Option<usize> {
        use TokenKind::{Colon, Comment, Newline, NonLogicalNewline};
        let at = kinds.len() - 1;
        let kind = kinds[at];
        if at > 0 && never_follows(kinds[at - 1], kind) {
            return Some(at);
        }
        if matches!(kind, Comment | NonLogicalNewline) {
            return None;
        }
        if let Some(newline) = self.line_end.take() {
            if let Some(found) = self.line_then(kinds, newline, at) {
                return Some(found);
            }
            self.line_begin = newline + 1;
            self.has_colon = false;
        }
        match kind {
            Colon => self.has_colon = true,
            Newline => self.line_end = Some(at),
            _ => {}
        }
        None
    }

    /// The rules for the logical line ending at `newline`, followed by the
    /// token at `next`.
    fn line_then(&self, kinds: &[TokenKind], newline: usize, next: usize) -> Option<usize> {
        use TokenKind::{
            Async, At, Class, Colon, Comment, Dedent, Def, Elif, Else, Except, Finally, Indent,
            Name, NonLogicalNewline,
        };
        let first = (self.line_begin..newline)
            .find(|&i| !matches!(kinds[i], Comment | NonLogicalNewline | Indent | Dedent))?;
        let last = (self.line_begin..newline)
            .rev()
            .find(|&i| kinds[i] != Comment)?;
        let header = kinds[last] == Colon;
        let indented = kinds[next] == Indent;
        if header != indented {
            return Some(next);
        }
        if header && kinds[first] == Name && last == first + 1 {
            return Some(newline);
        }
        if kinds[first] == At && !matches!(kinds[next], Def | Class | Async | At) {
            return Some(next);
        }
        if !self.has_colon && matches!(kinds[next], Else | Elif | Except | Finally) {
            return Some(next);
        }
        None
    }
}

/// Whether no Python statement has token `next` right after token `last`
/// (nothing but spaces between): two operands in a row, such as two names
/// (soft keywords have kinds of their own), a number and a name, a name or
/// a closing bracket and a string, or `>>` and `>`. Two strings in a row
/// are one string.
fn never_follows(last: TokenKind, next: TokenKind) -> bool {
    use TokenKind::{
        Complex, False, Float, Greater, Int, Name, None, Rbrace, RightShift, Rpar, Rsqb, String,
        True,
    };
    let ends_operand = matches!(
        last,
        Name | Int | Float | Complex | True | False | None | Rpar | Rsqb | Rbrace
    );
    let starts_operand = matches!(next, Name | Int | Float | Complex | True | False | None);
    ((ends_operand || last == String) && starts_operand)
        || (ends_operand && next == String)
        || (last == RightShift && next == Greater)
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
