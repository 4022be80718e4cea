//! `syntax-error`.
//!
//! **What it flags:** every error oxc's parser reports that no more specific
//! check claims: unexpected or missing tokens, unclosed brackets, template
//! literals, comments and JSX elements, invalid regular expressions, and
//! syntax that is not JavaScript (or TypeScript).
//!
//! **Why:** a partial program that does not parse is the most common error
//! LintSeq must avoid, and the only thing ESLint reports for it (its parser
//! stops at the first error). The blamed line decides what the sampler
//! deletes next: an unclosed bracket blames the line that opened it (its
//! closing line is gone, so the opener and its block must go too); any
//! other error blames the line of the token the parser could not take.
//!
//! **Example:** deleting the closing brace of
//! ```js
//! function f() {
//!   return 1;
//! }
//! ```
//! leaves `function f() {` unclosed, which is reported on line 1.

use oxc_diagnostics::OxcDiagnostic;

pub(crate) const CODE: &str = "syntax-error";

/// The label oxc puts on the opening bracket of an unclosed pair.
const OPENED_HERE: &str = "Opened here";

/// The offset the sampler should delete: the opener of an unclosed pair,
/// else the primary label, else the first label. An error at the end of the
/// text without an opener label (`Expected `)` but found `EOF``) blames the
/// innermost bracket, template literal or comment still open there.
pub(crate) fn blamed_offset(diagnostic: &OxcDiagnostic, source: &str) -> Option<u32> {
    let labels = &diagnostic.labels;
    if let Some(opener) = labels.iter().find(|l| l.label() == Some(OPENED_HERE)) {
        return Some(opener.offset());
    }
    let offset = labels
        .iter()
        .find(|label| label.primary())
        .or_else(|| labels.first())
        .map(|label| label.offset());
    let end = source.trim_end().len() as u32;
    match offset {
        Some(offset) if offset < end => Some(offset),
        _ => innermost_open(source).or(offset),
    }
}

/// The start of the innermost bracket, template literal or block comment
/// still open at the end of `source`, by a scan that skips strings, template
/// text, comments and (by the usual heuristic) regular expression literals.
pub(crate) fn innermost_open(source: &str) -> Option<u32> {
    let bytes = source.as_bytes();
    // Open brackets: (byte, offset). `` ` `` is a template's text, `$` the
    // `${` of a substitution.
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut previous: Option<u8> = None;
    let mut word_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if let Some(&(b'`', _)) = open.last() {
            match byte {
                b'\\' => i += 1,
                b'`' => {
                    open.pop();
                    previous = Some(b'`');
                }
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    open.push((b'$', i));
                    i += 1;
                    previous = Some(b'{');
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match byte {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr(bytes, b'\n', i).unwrap_or(bytes.len());
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => match find(bytes, b"*/", i + 2) {
                Some(end) => {
                    i = end + 2;
                    continue;
                }
                None => return Some(i as u32),
            },
            b'/' if starts_regex(previous, &source[word_start..i]) => {
                i = skip_regex(bytes, i + 1);
                previous = Some(b'/');
                continue;
            }
            b'\'' | b'"' => {
                i = skip_string(bytes, i + 1, byte);
                previous = Some(byte);
                continue;
            }
            b'`' => open.push((b'`', i)),
            b'(' | b'[' | b'{' => open.push((byte, i)),
            b')' | b']' | b'}' => {
                if let Some((b'$', _)) = open.last()
                    && byte == b'}'
                {
                    open.pop();
                    i += 1;
                    continue;
                }
                open.pop();
            }
            _ => {}
        }
        if !byte.is_ascii_whitespace() {
            let in_word = byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$';
            let was_word =
                previous.is_some_and(|p| p.is_ascii_alphanumeric() || p == b'_' || p == b'$');
            if in_word && !was_word {
                word_start = i;
            }
            if !in_word {
                word_start = i + 1;
            }
            previous = Some(byte);
        }
        i += 1;
    }
    open.last().map(|&(_, offset)| offset as u32)
}

/// Whether a `/` after `previous` (and the word just before it) starts a
/// regular expression rather than dividing.
fn starts_regex(previous: Option<u8>, word: &str) -> bool {
    match previous {
        None => true,
        Some(byte) if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' => matches!(
            word.trim(),
            "return"
                | "typeof"
                | "case"
                | "do"
                | "else"
                | "in"
                | "of"
                | "new"
                | "delete"
                | "void"
                | "throw"
                | "yield"
                | "await"
                | "instanceof"
        ),
        Some(byte) => !matches!(byte, b')' | b']' | b'}' | b'\'' | b'"' | b'`'),
    }
}

fn skip_regex(bytes: &[u8], mut i: usize) -> usize {
    let mut in_class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => return i + 1,
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    i
}

fn skip_string(bytes: &[u8], mut i: usize, quote: u8) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\n' => return i,
            byte if byte == quote => return i + 1,
            _ => {}
        }
        i += 1;
    }
    i
}

fn memchr(bytes: &[u8], needle: u8, from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == needle)
        .map(|p| from + p)
}

fn find(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::innermost_open;

    #[test]
    fn the_innermost_open_bracket_is_found() {
        assert_eq!(innermost_open("f(a, {\n b: [1]"), Some(5));
        assert_eq!(innermost_open("f(a)"), None);
        assert_eq!(innermost_open("x = '(' + \"[\" // {\n"), None);
        assert_eq!(innermost_open("x = /[(]/g; y = a / (b"), Some(20));
        assert_eq!(innermost_open("t = `${ {a: 1} }(`; g("), Some(21));
        assert_eq!(innermost_open("t = `abc\n${x}"), Some(4));
        assert_eq!(innermost_open("/* {\n"), Some(0));
        assert_eq!(innermost_open("return /{/.test(s) && (x"), Some(22));
    }
}
