//! A program as LintSeq sees it: lines, their indentation, and which of them
//! may be sampled for deletion.

use crate::checker::Structure;

/// Which lines the sampler may pick (the reference's `ignore_*` switches).
///
/// Lines that are not candidates are still deleted when a candidate drags them
/// along (as its children, or because the checker blames them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CandidateRules {
    /// Blank and comment-only lines are never candidates.
    pub ignore_comments: bool,
    /// Continuation lines of a multi-line UPPERCASE constant (`NAME = (` or
    /// `NAME = [` up to the line that closes it) are not candidates.
    pub ignore_global_defs: bool,
    /// Lines containing `import` are not candidates.
    pub ignore_imports: bool,
}

impl Default for CandidateRules {
    fn default() -> Self {
        Self {
            ignore_comments: true,
            ignore_global_defs: true,
            ignore_imports: false,
        }
    }
}

/// A program split on `"\n"`, with the reference's indentation model, or
/// the block structure its language gives it.
#[derive(Clone, Debug)]
pub struct Program<'a> {
    lines: Vec<&'a str>,
    indents: Vec<u32>,
    /// Whether each line is whitespace only.
    blank: Vec<bool>,
    tab_width: Option<u32>,
    /// The language's block structure; `None`: by indentation.
    structure: Option<Structure>,
}

impl<'a> Program<'a> {
    /// Splits `text` into lines and computes the indentation of every line.
    ///
    /// A line's indent is its count of leading whitespace characters; a line
    /// with at most one character after that (blank lines, a lone `)`)
    /// inherits the indent of the line before it. The tab width is the first
    /// non-zero indent in the program.
    pub fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut indents = Vec::with_capacity(lines.len());
        let mut blank = Vec::with_capacity(lines.len());
        let mut tab_width = None;
        let mut current = 0u32;
        for line in &lines {
            let body = line.trim_start();
            let mut chars = body.chars();
            if chars.next().is_some() && chars.next().is_some() {
                // Leading whitespace, counted in characters.
                let lead = &line[..line.len() - body.len()];
                current = if lead.is_ascii() {
                    lead.len()
                } else {
                    lead.chars().count()
                } as u32;
            }
            indents.push(current);
            blank.push(body.is_empty());
            if tab_width.is_none() && current > 0 {
                tab_width = Some(current);
            }
        }
        Self {
            lines,
            indents,
            blank,
            tab_width,
            structure: None,
        }
    }

    /// Uses a language's block structure for children and comment lines
    /// instead of indentation. A structure of the wrong length is ignored.
    pub fn with_structure(mut self, structure: Option<Structure>) -> Self {
        self.structure = structure.filter(|s| {
            s.ends.len() == self.lines.len()
                && s.comments.len() == self.lines.len()
                && s.ends
                    .iter()
                    .enumerate()
                    .all(|(i, &end)| end > i && end <= self.lines.len())
        });
        self
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn lines(&self) -> &[&'a str] {
        &self.lines
    }

    pub fn line(&self, index: usize) -> &'a str {
        self.lines[index]
    }

    /// Whether line `index` is whitespace only. Such lines at either end of a
    /// state are not part of it: the diffs leave them out (the reference
    /// strips every state), so the sampler does not check them either.
    pub fn is_blank(&self, index: usize) -> bool {
        self.blank[index]
    }

    pub fn indent(&self, index: usize) -> u32 {
        self.indents[index]
    }

    pub fn tab_width(&self) -> Option<u32> {
        self.tab_width
    }

    /// The lines that depend on `index`: the contiguous run of following lines
    /// whose indent is strictly greater.
    /// With a language's structure, the lines it says the line owns.
    pub fn children(&self, index: usize) -> std::ops::Range<usize> {
        if let Some(structure) = &self.structure {
            return index + 1..structure.ends[index];
        }
        let own = self.indents[index];
        let end = self.indents[index + 1..]
            .iter()
            .position(|&indent| indent <= own)
            .map_or(self.len(), |offset| index + 1 + offset);
        index + 1..end
    }

    /// The lines the sampler may pick, in order.
    pub fn candidates(&self, rules: CandidateRules) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.len());
        let mut open_global: Option<char> = None;
        for (index, line) in self.lines.iter().enumerate() {
            if rules.ignore_imports && line.contains("import") {
                continue;
            }
            let body = line.trim_start();
            let comment = match &self.structure {
                Some(structure) => structure.comments[index],
                None => body.starts_with('#'),
            };
            if rules.ignore_comments && (body.is_empty() || comment) {
                continue;
            }
            if !rules.ignore_global_defs {
                out.push(index);
                continue;
            }
            let last = line.trim_end().chars().last();
            match open_global {
                Some(closer) => {
                    if last == Some(closer) {
                        open_global = None;
                    }
                }
                None => {
                    out.push(index);
                    if is_constant_head(line) {
                        open_global = match last {
                            Some('(') => Some(')'),
                            Some('[') => Some(']'),
                            _ => None,
                        };
                    }
                }
            }
        }
        out
    }

    /// The sampling weight of line `index`: 1 at indent 0, otherwise
    /// `indent / tab_width * bias`, so deeper lines are picked more often.
    /// With no bias every line weighs 1.
    pub fn weight(&self, index: usize, bias: Option<f64>) -> f64 {
        let indent = self.indents[index];
        match (bias, self.tab_width) {
            (Some(bias), Some(width)) if indent > 0 => f64::from(indent) / f64::from(width) * bias,
            _ => 1.0,
        }
    }
}

/// Whether `line` opens an UPPERCASE constant: the text before the first `=`
/// (spaces removed) is upper case in Python's sense.
fn is_constant_head(line: &str) -> bool {
    let Some(eq) = line.find('=') else {
        return false;
    };
    let mut cased = false;
    for c in line[..eq].chars().filter(|&c| c != ' ') {
        if c.is_lowercase() {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_count_characters_of_any_whitespace() {
        // The indent is the number of leading whitespace characters, Unicode
        // whitespace included, as `chars().count()` of the whole line minus
        // that of its body gives it.
        let text = "a\n\u{3000}\u{a0}bc\n\t\u{2003} éx\n  \u{85}\n \u{a0}\n\u{2028}xy\n \n  éé";
        let program = Program::new(text);
        let mut current = 0u32;
        for (index, line) in text.split('\n').enumerate() {
            let body = line.trim_start();
            if body.chars().nth(1).is_some() {
                current = (line.chars().count() - body.chars().count()) as u32;
            }
            assert_eq!(program.indent(index), current, "line {index}: {line:?}");
            assert_eq!(
                program.is_blank(index),
                line.trim().is_empty(),
                "line {index}"
            );
        }
        assert_eq!(program.indent(1), 2);
        assert_eq!(program.indent(2), 3);
    }

    #[test]
    fn indents_inherit_over_blank_and_single_char_lines() {
        let program = Program::new("def f():\n    x = (\n        1,\n    )\n\n    return x");
        let indents: Vec<u32> = (0..program.len()).map(|i| program.indent(i)).collect();
        assert_eq!(indents, vec![0, 4, 8, 8, 8, 4]);
        assert_eq!(program.tab_width(), Some(4));
    }

    #[test]
    fn children_are_the_run_of_deeper_lines() {
        let program = Program::new("if a:\n    bb\n    if c:\n        dd\nee\n    ff");
        assert_eq!(program.children(0), 1..4);
        assert_eq!(program.children(2), 3..4);
        assert_eq!(program.children(3), 4..4);
        assert_eq!(program.children(4), 5..6);
        assert_eq!(program.children(5), 6..6);
    }

    #[test]
    fn a_structure_replaces_indentation_children_and_comment_lines() {
        let text = "function f() {\nreturn 1;\n}\n// note\n#x = 1;";
        let structure = Structure {
            ends: vec![3, 2, 3, 4, 5],
            comments: vec![false, false, false, true, false],
        };
        let program = Program::new(text).with_structure(Some(structure));
        assert_eq!(program.children(0), 1..3);
        assert_eq!(program.children(1), 2..2);
        assert_eq!(
            program.candidates(CandidateRules::default()),
            vec![0, 1, 2, 4]
        );
        // A structure that does not fit the program is ignored.
        let wrong = Structure {
            ends: vec![1],
            comments: vec![false],
        };
        let program = Program::new(text).with_structure(Some(wrong));
        assert_eq!(program.children(0), 1..1);
        assert_eq!(
            program.candidates(CandidateRules::default()),
            vec![0, 1, 2, 3]
        );
    }

    #[test]
    fn comments_and_blank_lines_are_not_candidates() {
        let program = Program::new("# c\nx = 1\n\n    # d\ny = 2");
        assert_eq!(program.candidates(CandidateRules::default()), vec![1, 4]);
    }

    #[test]
    fn constant_continuations_are_not_candidates() {
        let program = Program::new("NAMES = [\n    'a',\n    'b',\n]\nlower = [\n    1,\n]\nX = 1");
        assert_eq!(
            program.candidates(CandidateRules::default()),
            vec![0, 4, 5, 6, 7]
        );
        let all = CandidateRules {
            ignore_global_defs: false,
            ..CandidateRules::default()
        };
        assert_eq!(program.candidates(all).len(), 8);
    }

    #[test]
    fn imports_are_candidates_unless_ignored() {
        let program = Program::new("import os\nfrom a import b\nx = 1");
        let rules = CandidateRules {
            ignore_imports: true,
            ..CandidateRules::default()
        };
        assert_eq!(program.candidates(rules), vec![2]);
        assert_eq!(program.candidates(CandidateRules::default()), vec![0, 1, 2]);
    }

    #[test]
    fn weights_follow_depth() {
        let program = Program::new("def f():\n  if x:\n    yy");
        assert_eq!(program.weight(0, Some(1.0)), 1.0);
        assert_eq!(program.weight(1, Some(1.0)), 1.0);
        assert_eq!(program.weight(2, Some(1.0)), 2.0);
        assert_eq!(program.weight(2, Some(0.5)), 1.0);
        assert_eq!(program.weight(2, None), 1.0);
    }
}
