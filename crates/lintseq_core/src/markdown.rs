//! Pulling code out of Markdown-formatted responses.
//!
//! Instruction datasets often wrap code in prose and fenced blocks. The
//! reference keeps only the ```` ```python ```` blocks, joined by newlines;
//! a response without fences is taken to be code as it is. [`extract_code`]
//! does exactly that for Python; [`extract_tagged`] does the same for any
//! language, given which info strings name it, and [`fence_tags`] lists the
//! info strings a response uses, for telling its language.

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

/// The fence that the reference looks for.
const REFERENCE_FENCE: &str = "```python";

/// Extracts the code of a response.
///
/// When the response contains ```` ```python ````, the program is exactly
/// what the reference (pylintseq's `strip_chain_of_thought`) takes: for each
/// occurrence, whatever follows it up to the next ```` ``` ```` (the rest of
/// the fence's line included, so ```` ```python3 ```` starts its block with a
/// line `3`; and the closing fence's indentation), the pieces joined with
/// `"\n"`. The one difference: a block with no closing fence keeps its last
/// character, which the reference drops.
///
/// Otherwise, where the reference would take the whole Markdown text as
/// code, blocks tagged `py`, `Python` and the like (any case) are taken, or
/// else untagged ones: a block runs from the line after its opening fence to
/// the next line that starts with ```` ``` ````, or to the end. Only fences
/// that start a line count, so a program whose docstrings show indented
/// ```` ```py ```` examples is taken whole, as the reference takes it.
pub fn extract_code(response: &str) -> Extracted<'_> {
    if response.contains(REFERENCE_FENCE) {
        return Extracted::Blocks(reference_blocks(response));
    }
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

/// The reference's blocks: after each ```` ```python ```` up to the next
/// ```` ``` ````, joined with `"\n"`.
fn reference_blocks(text: &str) -> String {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(REFERENCE_FENCE) {
        let body = &rest[open + REFERENCE_FENCE.len()..];
        match body.find("```") {
            Some(close) => {
                blocks.push(&body[..close]);
                rest = &body[close + 3..];
            }
            None => {
                blocks.push(body);
                rest = "";
            }
        }
    }
    blocks.join("\n")
}

/// Extracts the code of a response in a language other than Python: the
/// blocks whose info string `is_tag` accepts (by its first word, as
/// written), or else the untagged blocks, joined with `"\n"`. Only fences
/// that start a line count; a response without any is taken whole.
pub fn extract_tagged<'a>(response: &'a str, is_tag: &dyn Fn(&str) -> bool) -> Extracted<'a> {
    let blocks = fenced_blocks(response);
    if blocks.is_empty() {
        return Extracted::Whole(response);
    }
    let pick = |want: &dyn Fn(&str) -> bool| -> Vec<&str> {
        blocks
            .iter()
            .filter(|(tag, _)| want(tag))
            .map(|(_, body)| *body)
            .collect()
    };
    let mut chosen = pick(&|tag| is_tag(tag.split_whitespace().next().unwrap_or("")));
    if chosen.is_empty() {
        chosen = pick(&str::is_empty);
    }
    if chosen.is_empty() {
        return Extracted::NoCode;
    }
    Extracted::Blocks(chosen.join("\n"))
}

/// The first word of the info string of every fenced block that starts a
/// line, in order; untagged blocks are left out.
pub fn fence_tags(response: &str) -> Vec<&str> {
    fenced_blocks(response)
        .into_iter()
        .filter_map(|(tag, _)| tag.split_whitespace().next())
        .collect()
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
        // Only fences at the start of a line: indented ones are code's own
        // (examples in a docstring), not the Markdown around the code.
        if !line.starts_with("```") {
            continue;
        }
        match open {
            None => open = Some((line[3..].trim(), offset)),
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
    fn python_blocks_are_joined_as_the_reference_joins_them() {
        // Each block keeps the newline after its fence: a blank line more.
        let text = "Here:\n```python\ndef f():\n    pass\n```\nand\n```python\nx = 1\n```\nDone.";
        assert_eq!(
            extract_code(text).code(),
            Some("def f():\n    pass\n\n\nx = 1")
        );
        // With a ```python block, the reference takes no ```py block.
        let mixed = "```python\na = 1\n```\n```py\nb = 2\n```";
        assert_eq!(extract_code(mixed).code(), Some("a = 1"));
    }

    #[test]
    fn the_reference_keeps_what_follows_the_fence_and_the_closing_indentation() {
        let text = "def f():\n    \"\"\"\n    ```python\n    a = 1\n    ```\n    ```python test=\"skip\"\n    b = 2\n    ```\n    \"\"\"";
        assert_eq!(
            extract_code(text).code(),
            Some("a = 1\n    \n test=\"skip\"\n    b = 2")
        );
        assert_eq!(
            extract_code("```python3\nprint(1)\n```").code(),
            Some("3\nprint(1)")
        );
    }

    #[test]
    fn other_tags_are_taken_where_the_reference_would_take_the_whole_text() {
        let text = "```bash\nls\n```\n```py\nprint(1)\n```\n```Python\nx = 2\n```";
        assert_eq!(extract_code(text).code(), Some("print(1)\n\nx = 2"));
        assert_eq!(extract_code("```bash\nls\n```").code(), None);
    }

    #[test]
    fn indented_fences_of_other_tags_are_the_programs_own() {
        let program = "def f():\n    \"\"\"\n    ```py\n    f()\n    ```\n    \"\"\"";
        assert_eq!(extract_code(program), Extracted::Whole(program));
    }

    #[test]
    fn untagged_blocks_are_used_when_no_python_block_exists() {
        assert_eq!(extract_code("Try:\n```\ny = 2\n```").code(), Some("y = 2"));
    }

    #[test]
    fn tagged_blocks_of_another_language_are_extracted() {
        let is_js = |tag: &str| tag.eq_ignore_ascii_case("js");
        let text = "Run:\n```bash\nnode a.js\n```\n```js\nlet a = 1;\n```\n```JS\nf(a);\n```";
        assert_eq!(
            extract_tagged(text, &is_js).code(),
            Some("let a = 1;\n\nf(a);")
        );
        assert_eq!(
            extract_tagged("```\nf();\n```", &is_js).code(),
            Some("f();")
        );
        assert_eq!(
            extract_tagged("```bash\nls\n```", &is_js),
            Extracted::NoCode
        );
        assert_eq!(extract_tagged("f();", &is_js), Extracted::Whole("f();"));
        assert_eq!(fence_tags(text), vec!["bash", "js", "JS"]);
        assert_eq!(fence_tags("```\nx\n```\n```ts title=a\ny\n```"), vec!["ts"]);
    }

    #[test]
    fn an_unclosed_block_runs_to_the_end() {
        assert_eq!(extract_code("```python\nz = 3\n").code(), Some("z = 3"));
        assert_eq!(extract_code("```python\nz = 3").code(), Some("z = 3"));
        assert_eq!(extract_code("```py\nz = 3").code(), Some("z = 3"));
    }
}
