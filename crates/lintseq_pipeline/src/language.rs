//! Which language a row is in, and how its code is extracted and checked.
//!
//! With [`LanguageChoice::Auto`] a row's language comes from its Markdown:
//! a ```` ```python ```` anywhere makes it Python (with pylintseq's exact
//! extraction); otherwise the first fence whose info string names a
//! language lintseq knows decides (```` ```js ````, ```` ```jsx ````,
//! ```` ```ts ````, ```` ```tsx ````, ```` ```py ````, ...). A row without
//! such a fence takes its language from the language field, when the job
//! has one, and is Python otherwise. A row in a language lintseq does not
//! support (a fence or a field naming Rust, say) is skipped with a reason.

use std::fmt;
use std::str::FromStr;

use lintseq_core::Language;
use lintseq_core::markdown::{Extracted, extract_code, extract_tagged, fence_tags};
use lintseq_core::pipeline::{Skip, prepare_extracted};
use lintseq_javascript::{Dialect, JavaScriptChecker};
pub use lintseq_javascript::{Env, UnknownEnv};
use lintseq_python::PythonChecker;

/// A language lintseq can make edit paths for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LanguageId {
    Python,
    JavaScript,
    TypeScript,
}

impl LanguageId {
    pub const ALL: [LanguageId; 3] = [
        LanguageId::Python,
        LanguageId::JavaScript,
        LanguageId::TypeScript,
    ];

    /// The name written to output rows and summaries.
    pub fn name(self) -> &'static str {
        match self {
            LanguageId::Python => "python",
            LanguageId::JavaScript => "javascript",
            LanguageId::TypeScript => "typescript",
        }
    }

    /// How messages name it.
    pub fn title(self) -> &'static str {
        match self {
            LanguageId::Python => "Python",
            LanguageId::JavaScript => "JavaScript",
            LanguageId::TypeScript => "TypeScript",
        }
    }

    /// The language a fence info string or a language field names (any
    /// case): `python`, `py`, `python3`; `javascript`, `js`, `jsx`, `mjs`,
    /// `cjs`, `node`; `typescript`, `ts`, `tsx`, `mts`, `cts`.
    pub fn from_tag(tag: &str) -> Option<LanguageId> {
        let tag = tag.trim().to_ascii_lowercase();
        match tag.as_str() {
            "python" | "py" | "python3" => Some(LanguageId::Python),
            "javascript" | "js" | "jsx" | "mjs" | "cjs" | "node" | "nodejs" => {
                Some(LanguageId::JavaScript)
            }
            "typescript" | "ts" | "tsx" | "mts" | "cts" => Some(LanguageId::TypeScript),
            _ => None,
        }
    }
}

impl fmt::Display for LanguageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which language the rows are in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LanguageChoice {
    /// Per row, from its fences, else its language field, else Python.
    #[default]
    Auto,
    /// Every row is in this language.
    Fixed(LanguageId),
}

impl FromStr for LanguageChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.eq_ignore_ascii_case("auto") {
            return Ok(LanguageChoice::Auto);
        }
        LanguageId::from_tag(text)
            .map(LanguageChoice::Fixed)
            .ok_or_else(|| {
                format!(
                    "unknown language {text:?}; expected auto, python, javascript or typescript"
                )
            })
    }
}

/// The job's language settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LanguageOptions {
    pub choice: LanguageChoice,
    /// A per-row field naming the language (`lang`), consulted when the
    /// row's fences do not tell.
    pub field: Option<String>,
    /// Environment globals for JavaScript and TypeScript.
    pub env: Env,
}

/// What a row's language turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detected {
    Known(LanguageId),
    /// A language lintseq does not support, as the row names it.
    Unsupported(String),
}

/// Languages lintseq recognises in fences but does not support (yet): a
/// row fenced only in one of them is skipped as unsupported rather than as
/// having no Python block.
const RECOGNISED: &[&str] = &[
    "c",
    "c++",
    "cpp",
    "cs",
    "csharp",
    "go",
    "golang",
    "java",
    "kotlin",
    "php",
    "rb",
    "ruby",
    "rs",
    "rust",
    "scala",
    "swift",
    "sv",
    "systemverilog",
    "verilog",
];

impl LanguageOptions {
    /// The language of a row whose code field holds `response`; `field` is
    /// the row's language field, when the job has one (read lazily: only
    /// rows whose fences do not tell need it).
    pub fn detect(
        &self,
        response: &str,
        field: impl FnOnce() -> Option<String>,
    ) -> Option<Detected> {
        if let LanguageChoice::Fixed(id) = self.choice {
            return Some(Detected::Known(id));
        }
        if response.contains("```python") {
            return Some(Detected::Known(LanguageId::Python));
        }
        let tags = fence_tags(response);
        if let Some(id) = tags.iter().find_map(|tag| LanguageId::from_tag(tag)) {
            return Some(Detected::Known(id));
        }
        if self.field.is_some() {
            let value = field()?;
            return Some(match LanguageId::from_tag(&value) {
                Some(id) => Detected::Known(id),
                None => Detected::Unsupported(value),
            });
        }
        if !response_has_untagged_block(response)
            && let Some(tag) = tags
                .iter()
                .find(|tag| RECOGNISED.contains(&tag.to_ascii_lowercase().as_str()))
        {
            return Some(Detected::Unsupported((*tag).to_string()));
        }
        Some(Detected::Known(LanguageId::Python))
    }
}

fn response_has_untagged_block(response: &str) -> bool {
    extract_tagged(response, &|_| false) != Extracted::NoCode
}

/// The program of `response` in `language`: Python as pylintseq extracts
/// it, other languages from their own fences (or untagged ones).
pub fn prepare(response: &str, language: LanguageId) -> Result<String, Skip> {
    match language {
        LanguageId::Python => prepare_extracted(&extract_code(response), Skip::NoPythonBlock),
        other => {
            let extracted =
                extract_tagged(response, &|tag| LanguageId::from_tag(tag) == Some(other));
            prepare_extracted(
                &extracted,
                Skip::NoCodeBlock {
                    language: other.title(),
                },
            )
        }
    }
}

/// The checker of `language`.
pub fn checker_for<'a>(
    language: LanguageId,
    python: &'a PythonChecker,
    env: Env,
) -> LanguageRef<'a> {
    match language {
        LanguageId::Python => LanguageRef::Python(python),
        LanguageId::JavaScript => {
            LanguageRef::Script(JavaScriptChecker::new(Dialect::JavaScript).with_env(env))
        }
        LanguageId::TypeScript => {
            LanguageRef::Script(JavaScriptChecker::new(Dialect::TypeScript).with_env(env))
        }
    }
}

/// A language's checker, borrowed or made on the spot.
#[derive(Debug)]
pub enum LanguageRef<'a> {
    Python(&'a PythonChecker),
    Script(JavaScriptChecker),
}

impl LanguageRef<'_> {
    pub fn as_language(&self) -> &dyn Language {
        match self {
            LanguageRef::Python(python) => *python,
            LanguageRef::Script(script) => script,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(response: &str) -> Option<Detected> {
        LanguageOptions::default().detect(response, || None)
    }

    #[test]
    fn fences_tell_the_language() {
        use LanguageId::*;
        assert_eq!(auto("x = 1"), Some(Detected::Known(Python)));
        assert_eq!(auto("```js\nf();\n```"), Some(Detected::Known(JavaScript)));
        assert_eq!(auto("```jsx\nf();\n```"), Some(Detected::Known(JavaScript)));
        assert_eq!(
            auto("```TypeScript\nf();\n```"),
            Some(Detected::Known(TypeScript))
        );
        assert_eq!(auto("```tsx\nf();\n```"), Some(Detected::Known(TypeScript)));
        assert_eq!(
            auto("```bash\nnpm i\n```\n```ts\nf();\n```"),
            Some(Detected::Known(TypeScript))
        );
        // pylintseq's fence wins wherever it is.
        assert_eq!(
            auto("```js\nf();\n```\n```python\nf()\n```"),
            Some(Detected::Known(Python))
        );
        // Untagged and unknown fences stay Python, as today.
        assert_eq!(auto("```\nf()\n```"), Some(Detected::Known(Python)));
        assert_eq!(auto("```bash\nls\n```"), Some(Detected::Known(Python)));
        assert_eq!(
            auto("```rust\nfn main() {}\n```"),
            Some(Detected::Unsupported("rust".into()))
        );
    }

    #[test]
    fn the_field_decides_where_fences_do_not() {
        let options = LanguageOptions {
            field: Some("lang".into()),
            ..LanguageOptions::default()
        };
        let js = || Some("JavaScript".to_string());
        assert_eq!(
            options.detect("f();", js),
            Some(Detected::Known(LanguageId::JavaScript))
        );
        assert_eq!(
            options.detect("```py\nf()\n```", js),
            Some(Detected::Known(LanguageId::Python))
        );
        assert_eq!(
            options.detect("f();", || Some("Go".into())),
            Some(Detected::Unsupported("Go".into()))
        );
        assert_eq!(options.detect("f();", || None), None);
    }

    #[test]
    fn each_language_keeps_its_own_blocks() {
        let text = "```js\nlet a = 1;\n```\n```ts\nlet b: number = 2;\n```";
        assert_eq!(prepare(text, LanguageId::JavaScript).unwrap(), "let a = 1;");
        assert_eq!(
            prepare(text, LanguageId::TypeScript).unwrap(),
            "let b: number = 2;"
        );
        assert_eq!(
            prepare("```bash\nls\n```", LanguageId::JavaScript),
            Err(Skip::NoCodeBlock {
                language: "JavaScript"
            })
        );
    }

    #[test]
    fn choices_parse() {
        assert_eq!("auto".parse(), Ok(LanguageChoice::Auto));
        assert_eq!(
            "ts".parse(),
            Ok(LanguageChoice::Fixed(LanguageId::TypeScript))
        );
        assert!("cobol".parse::<LanguageChoice>().is_err());
    }
}
