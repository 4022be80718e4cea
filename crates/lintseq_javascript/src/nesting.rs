//! How deeply a program may nest, and the stack its check needs.
//!
//! oxc's parser and semantic analysis, and our checks, recurse once per
//! level of nesting, without a limit of their own. A 64 KiB program of
//! nested brackets (`[[[…`, `f(f(…`, `{{{…`) would overflow the stack of the
//! thread checking it: each level of brackets takes up to 2 KiB of stack. So
//! a program with more than [`MAX_BRACKETS`] nested brackets is a syntax
//! error before it is parsed (ESLint's and tsc's parsers, recursive too,
//! give up somewhere past a thousand levels with a stack overflow of their
//! own; no program a person writes comes near), and the rest is parsed,
//! checked and analysed where the stack has room for the deepest tree that
//! many bytes of source can hold ([`with_stack_for`]).

/// The most brackets (`(`, `[`, `{`, `${`) allowed to nest.
pub(crate) const MAX_BRACKETS: u32 = 500;

/// Stack bytes reserved per byte of source. Without deep brackets, the
/// costliest shape known, `!!!…x`, takes between 512 and 1,024 bytes of
/// stack per byte of source in a debug build (a 32 KiB one overflows 17.5
/// MiB) and less than 512 in a release build; `- - x`, `a => a => …`,
/// `a ? b : a ? …` and `a.b.b…` take less (measured with
/// `examples/stackprobe.rs`). Only programs longer than a few KiB on a
/// thread with less than 16 MiB of stack need a segment of their own.
const STACK_PER_BYTE: usize = 1024;

/// Stack reserved on top of that: for [`MAX_BRACKETS`] levels of brackets
/// at 2 KiB each, and the caller.
const STACK_BASE: usize = (MAX_BRACKETS as usize * 2048) + (512 << 10);

/// Runs `work` (which parses and checks `source_len` bytes) where the stack
/// has room for it: on the current stack when it has that much left (a
/// thread with a few MiB does, for any ordinary program), else on a segment
/// of its own.
pub(crate) fn with_stack_for<R>(source_len: usize, work: impl FnOnce() -> R) -> R {
    let need = source_len
        .saturating_mul(STACK_PER_BYTE)
        .saturating_add(STACK_BASE);
    stacker::maybe_grow(need, need, work)
}

/// The offset of the first bracket nested deeper than [`MAX_BRACKETS`], if
/// any. Brackets in strings, comments and template text do not count;
/// `${` in a template does. Regular expressions are not told from division
/// (a `\` outside strings skips the next character, so escaped brackets in
/// one do not count), which can only count a level too many or too few in
/// code that is unreadable anyway.
pub(crate) fn too_many_brackets(source: &str) -> Option<u32> {
    let bytes = source.as_bytes();
    let mut depth = 0u32;
    // For each open `${`, the depth at which its template resumes.
    let mut templates: Vec<u32> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at += 2;
                while at < bytes.len() && !(bytes[at] == b'*' && bytes.get(at + 1) == Some(&b'/')) {
                    at += 1;
                }
                at += 2;
                continue;
            }
            b'\\' => {
                at += 2;
                continue;
            }
            quote @ (b'"' | b'\'') => {
                at = string_end(bytes, at, quote);
                continue;
            }
            b'`' => {
                match template_text_end(bytes, at + 1) {
                    (next, true) => {
                        if depth == MAX_BRACKETS {
                            return Some(offset(at));
                        }
                        templates.push(depth);
                        depth += 1;
                        at = next;
                    }
                    (next, false) => at = next,
                }
                continue;
            }
            b'}' if templates.last() == Some(&depth.saturating_sub(1)) && depth > 0 => {
                templates.pop();
                depth -= 1;
                match template_text_end(bytes, at + 1) {
                    (next, true) => {
                        templates.push(depth);
                        depth += 1;
                        at = next;
                    }
                    (next, false) => at = next,
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                if depth == MAX_BRACKETS {
                    return Some(offset(at));
                }
                depth += 1;
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    None
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Scans template text from `at`: where it stops, and whether it stopped
/// past a `${` (else past the closing backtick, or at the end).
fn template_text_end(bytes: &[u8], mut at: usize) -> (usize, bool) {
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'`' => return (at + 1, false),
            b'$' if bytes.get(at + 1) == Some(&b'{') => return (at + 2, true),
            _ => at += 1,
        }
    }
    (bytes.len(), false)
}

/// Past the string literal whose opening quote is at `start`: past its
/// closing quote, at the end of the line for an unterminated one, or at the
/// end of the source.
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'\n' => return at,
            byte if byte == quote => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_count_outside_strings_comments_and_template_text() {
        let deep = "[".repeat(MAX_BRACKETS as usize);
        assert_eq!(too_many_brackets(&deep), None);
        assert_eq!(too_many_brackets(&format!("{deep}[")), Some(MAX_BRACKETS));
        let quoted = format!("'{deep}[' + \"{deep}[\" // {deep}[\n/* {deep}[ */ `{deep}[`");
        assert_eq!(too_many_brackets(&quoted), None);
        // `${` nests; the template's text after `}` does not.
        let template = "`${".repeat(MAX_BRACKETS as usize + 1);
        assert_eq!(too_many_brackets(&template), Some(3 * MAX_BRACKETS));
        let balanced = "`a${b}c`;".repeat(1000);
        assert_eq!(too_many_brackets(&balanced), None);
        let closed = "[]".repeat(1000);
        assert_eq!(too_many_brackets(&closed), None);
    }
}
