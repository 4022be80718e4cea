//! One dataset row, from response text to edit paths.

use std::borrow::Cow;

use crate::checker::Language;
use crate::diff::insertion_diffs;
pub use crate::markdown::Extracted;
use crate::markdown::extract_code;
use crate::program::Program;
use crate::rng::PathRng;
use crate::sampler::{SampleError, SamplerOptions, sample};

/// Why a row yields no edit paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, thiserror::Error)]
pub enum Skip {
    #[error("the response has fenced code blocks, but none in Python")]
    NoPythonBlock,
    #[error("the response has fenced code blocks, but none in {language}")]
    NoCodeBlock { language: &'static str },
    #[error("the program is empty")]
    Empty,
    #[error("the program has only comments and blank lines")]
    NothingToSample,
}

/// Turns a response into the program LintSeq works on: the Python blocks of
/// a Markdown response (or the whole text), with line endings normalised to
/// `"\n"` and surrounding whitespace stripped. Replaying the row's diffs
/// gives back exactly this text.
pub fn prepare(response: &str) -> Result<String, Skip> {
    prepare_extracted(&extract_code(response), Skip::NoPythonBlock)
}

/// [`prepare`] for code already extracted (in any language); `no_code` is
/// the reason a response with fences but no code block of the language
/// is skipped.
pub fn prepare_extracted(extracted: &Extracted<'_>, no_code: Skip) -> Result<String, Skip> {
    let code = match extracted {
        Extracted::NoCode => return Err(no_code),
        other => other.code().unwrap_or_default(),
    };
    let code: Cow<'_, str> = if code.contains('\r') {
        Cow::Owned(code.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(code)
    };
    let code = code.trim();
    if code.is_empty() {
        return Err(Skip::Empty);
    }
    Ok(code.to_string())
}

/// How many paths to sample per row, from which seed, with which options.
#[derive(Clone, Debug, Default)]
pub struct Generation {
    pub paths: u32,
    pub seed: u64,
    pub sampler: SamplerOptions,
}

/// Samples `generation.paths` independent edit paths for `program` (already
/// [`prepare`]d) and renders each as insertion diffs. The result depends only
/// on the program, `row_index`, the seed and the options.
pub fn edit_paths(
    program: &str,
    language: &dyn Language,
    generation: &Generation,
    row_index: u64,
) -> Result<Vec<Vec<String>>, Skip> {
    let parsed = Program::new(program).with_structure(language.structure(program));
    let checker = language.checker(program);
    (0..generation.paths)
        .map(|path| {
            let mut rng = PathRng::new(generation.seed, row_index, u64::from(path));
            let edits = sample(&parsed, checker.as_ref(), &generation.sampler, &mut rng)
                .map_err(|SampleError::NoCandidates| Skip::NothingToSample)?;
            Ok(insertion_diffs(&parsed, &edits))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_strips_and_normalises() {
        assert_eq!(
            prepare("\r\nx = 1\r\ny = 2\r\n\r\n").unwrap(),
            "x = 1\ny = 2"
        );
        assert_eq!(prepare("  \n\t"), Err(Skip::Empty));
        assert_eq!(prepare("```bash\nls\n```"), Err(Skip::NoPythonBlock));
        assert_eq!(prepare("```python\n\n```"), Err(Skip::Empty));
    }
}
