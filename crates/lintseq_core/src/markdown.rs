//! Pulling Python code out of Markdown-formatted responses.
//!
//! Instruction datasets often wrap code in prose and fenced blocks. The
//! reference keeps only the ```` ```python ```` blocks, joined by newlines;
//! a response without fences is taken to be code as it is.

/// What a response yields as a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extracted<'a> {
    /// The response has no fences: all of it is code.
    Whole(&'a str),
    /// The contents of the Python (or untagged) fenced blocks, joined by `"\n"`.
    Blocks(String),
    /// The response has fenced blocks, but none of them is Python.
    NoCode,
}

impl Extracted<'_> {
    /// The program text, stripped of surrounding whitespace.
    pub fn code(&self) -> Option<&str> {
        match self {
            Extracted::Whole(text) => Some(text.trim()),
            Extracted::Blocks(text) => Some(text.trim()),
            Extracted::NoCode => None,
        }
    }
}

/// Extracts the code of a response.
///
/// Blocks tagged `python`, `py` or `python3` (any case) are taken; if there
/// are none, untagged blocks are. A block runs from the line after its opening
/// fence to the next line that starts with ```` ``` ````, or to the end.
///
/// An opening fence indented by four spaces or more (or a tab) is not one in
/// Markdown, and is usually part of a docstring of plain code (```` ```py ````
/// examples are common in library docstrings); such a line opens a block only
/// when it is tagged `python`, where the reference would take it too.
pub fn extract_code(response: &str) -> Extracted<'_> {
    let blocks = fenced_blocks(response);
    if blocks.is_empty() {
        return Extracted::Whole(response);
    }
    let pick = |want: fn(&str) -> bool| -> Vec<&str> {
        blocks
            .iter()
            .filter(|(tag, _)| want(tag))
            .map(|(_, body)| *body)
            .collect()
    };
    let mut chosen = pick(is_python_tag);
    if chosen.is_empty() {
        chosen = pick(str::is_empty);
    }
    if chosen.is_empty() {
        return Extracted::NoCode;
    }
    Extracted::Blocks(chosen.join("\n"))
}

fn is_python_tag(tag: &str) -> bool {
    let lang = tag.split_whitespace().next().unwrap_or("");
    ["python", "py", "python3"]
        .iter()
        .any(|name| lang.eq_ignore_ascii_case(name))
}

/// Every fenced block as `(info string, body)`.
fn fenced_blocks(text: &str) -> Vec<(&str, &str)> {
    let mut blocks = Vec::new();
    let mut offset = 0;
    let mut open: Option<(&str, usize)> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if !trimmed.starts_with("```") {
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        let deep = indent.len() > 3 || indent.contains('\t');
        match open {
            None if deep && !trimmed.starts_with("```python") => {}
            None => open = Some((trimmed[3..].trim(), offset)),
            Some((tag, body_start)) => {
                blocks.push((tag, &text[body_start..start]));
                open = None;
            }
        }
    }
    if let Some((tag, body_start)) = open {
        blocks.push((tag, &text[body_start.min(text.len())..]));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_code_is_taken_whole() {
        assert_eq!(extract_code("x = 1\n").code(), Some("x = 1"));
    }

    #[test]
    fn python_blocks_are_joined() {
        let text = "Here:\n```python\ndef f():\n    pass\n```\nand\n```py\nx = 1\n```\nDone.";
        assert_eq!(
            extract_code(text).code(),
            Some("def f():\n    pass\n\nx = 1")
        );
    }

    #[test]
    fn other_languages_are_skipped() {
        let text = "```bash\nls\n```\n```python3\nprint(1)\n```";
        assert_eq!(extract_code(text).code(), Some("print(1)"));
        assert_eq!(extract_code("```bash\nls\n```").code(), None);
    }

    #[test]
    fn untagged_blocks_are_used_when_no_python_block_exists() {
        assert_eq!(extract_code("Try:\n```\ny = 2\n```").code(), Some("y = 2"));
    }

    #[test]
    fn fences_in_docstrings_of_plain_code_are_not_markdown() {
        let code =
            "def f():\n    \"\"\"Example:\n\n    ```py\n    f()\n    ```\n    \"\"\"\n    return 1";
        assert_eq!(extract_code(code), Extracted::Whole(code));
        let untagged = "class A:\n    \"\"\"\n\t```\n\tA()\n\t```\n    \"\"\"";
        assert_eq!(extract_code(untagged), Extracted::Whole(untagged));
        // Up to three spaces is still a fence; the reference takes ```python anywhere.
        assert_eq!(
            extract_code("   ```py\nx = 1\n   ```").code(),
            Some("x = 1")
        );
        let indented = "def f():\n    \"\"\"\n    ```python\n    f()\n    ```\n    \"\"\"";
        assert_eq!(extract_code(indented).code(), Some("f()"));
    }

    #[test]
    fn an_unclosed_block_runs_to_the_end() {
        assert_eq!(extract_code("```python\nz = 3\n").code(), Some("z = 3"));
    }
}
