//! Which lines of a JavaScript or TypeScript program belong to which.
//!
//! A line owns every line up to the end of each syntax node that starts on
//! it: `function f() {` owns its body and the closing `}`, `foo(` owns its
//! arguments up to the `)`, a template literal or JSX element that starts on
//! it owns the lines it spans, and `} else {` owns the `else` block. A line
//! also owns what the lines it owns own, so that deleting it never leaves
//! half of a construct behind. A block comment owns its lines too, and lines
//! that hold only comments are comment lines (never sampled on their own).
//!
//! The structure is read from the original program's syntax tree, so
//! braces, parentheses or backticks inside strings, comments, regular
//! expressions and JSX text never count. A program that does not parse has
//! no structure (the sampler then falls back to indentation).

use lintseq_core::Structure;
use oxc_ast::AstKind;
use oxc_ast_visit::Visit;
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};

use crate::source::LineIndex;

/// The block structure of `program`, or `None` if it does not parse.
pub fn of(program: &str, source_type: SourceType) -> Option<Structure> {
    if crate::nesting::too_many_brackets(program).is_some() {
        return None;
    }
    crate::nesting::with_stack_for(program.len(), || of_parsed(program, source_type))
}

fn of_parsed(program: &str, source_type: SourceType) -> Option<Structure> {
    crate::with_allocator(|allocator| {
        let parsed = Parser::new(allocator, program, source_type).parse();
        if parsed.panicked || parsed.diagnostics.has_errors() {
            return None;
        }
        let lines = LineIndex::new(program);
        let count = lines.line_count() as usize;
        // reach[i]: the last line some construct starting on line i spans.
        let mut reach: Vec<usize> = (0..count).collect();
        let mut extend = |start: u32, end: u32| {
            if end <= start {
                return;
            }
            let first = lines.index(start);
            let last = lines.index(end - 1);
            if last > reach[first] {
                reach[first] = last;
            }
        };
        let mut nodes = Nodes { spans: Vec::new() };
        nodes.visit_program(&parsed.program);
        for (start, end) in nodes.spans {
            extend(start, end);
        }
        let mut comment_bytes = vec![false; program.len()];
        for comment in parsed.program.comments.iter() {
            extend(comment.span.start, comment.span.end);
            let end = (comment.span.end as usize).min(program.len());
            comment_bytes[comment.span.start as usize..end].fill(true);
        }
        if let Some(hashbang) = &parsed.program.hashbang {
            let end = (hashbang.span.end as usize).min(program.len());
            comment_bytes[hashbang.span.start as usize..end].fill(true);
        }
        Some(Structure {
            ends: close(reach),
            comments: comment_lines(program, &comment_bytes),
        })
    })
}

/// Every node's span, but the program's and those of text: the text of a
/// template literal or JSX element that runs on from one line to the next
/// belongs to the literal or element, not to the line it starts on.
struct Nodes {
    spans: Vec<(u32, u32)>,
}

impl<'a> Visit<'a> for Nodes {
    fn enter_node(&mut self, kind: AstKind<'a>) {
        if matches!(
            kind,
            AstKind::Program(_) | AstKind::TemplateElement(_) | AstKind::JSXText(_)
        ) {
            return;
        }
        let span = kind.span();
        self.spans.push((span.start, span.end));
    }
}

/// Turns each line's own reach into the end of its children: a line owns
/// through its reach, and through the reach of every line it owns.
fn close(reach: Vec<usize>) -> Vec<usize> {
    let count = reach.len();
    let mut last = reach;
    for line in (0..count).rev() {
        let mut through = last[line];
        let mut next = line + 1;
        while next <= through && next < count {
            // Lines after `next` up to its own end are already inside it.
            through = through.max(last[next]);
            next = last[next] + 1;
        }
        last[line] = through;
    }
    last.into_iter().map(|through| through + 1).collect()
}

/// Lines with something on them, all of it comment.
fn comment_lines(program: &str, comment_bytes: &[bool]) -> Vec<bool> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in program.split('\n') {
        let mut any = false;
        let mut all = true;
        for (i, byte) in line.bytes().enumerate() {
            if byte.is_ascii_whitespace() {
                continue;
            }
            any = true;
            if !comment_bytes[offset + i] {
                all = false;
                break;
            }
        }
        out.push(any && all);
        offset += line.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(program: &str) -> Vec<usize> {
        of(program, SourceType::unambiguous().with_jsx(true))
            .unwrap()
            .ends
    }

    #[test]
    fn a_block_opener_owns_through_its_closer() {
        let program =
            "function f(x) {\n  if (x) {\n    return 1;\n  } else {\n    return 2;\n  }\n}\nf(1);";
        assert_eq!(ends(program), vec![7, 6, 3, 6, 5, 6, 7, 8]);
    }

    #[test]
    fn brackets_in_strings_comments_and_templates_do_not_count() {
        let program = "const a = '{';\n// }\nconst b = `\n${a}\n}`;\n/* {\n*/\nconst c = /[{]/;";
        let structure = of(program, SourceType::unambiguous()).unwrap();
        assert_eq!(structure.ends, vec![1, 2, 5, 4, 5, 7, 7, 8]);
        // `${a}` on line 3 owns nothing: deleting it leaves a valid template.
        assert_eq!(
            structure.comments,
            vec![false, true, false, false, false, true, true, false]
        );
    }

    #[test]
    fn owning_is_transitive() {
        // Line 1 opens a call that closes on line 2, inside line 0's array.
        let program = "x = [1,\n  2, foo(3,\n  4)];\ny();";
        assert_eq!(ends(program), vec![3, 3, 3, 4]);
    }

    #[test]
    fn jsx_elements_own_their_lines() {
        let program = "const v = (\n  <div>\n    {\"don't\"}\n  </div>\n);";
        assert_eq!(ends(program), vec![5, 4, 3, 4, 5]);
    }

    #[test]
    fn broken_programs_have_no_structure() {
        assert!(of("function f( {", SourceType::unambiguous()).is_none());
    }
}
