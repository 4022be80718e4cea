//! The options of a `generate` job as a user gives them (CLI flags, Python
//! keywords), their defaults and their validation, in one place, so every
//! front end accepts and rejects the same values.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock};

use lintseq_core::pipeline::Generation;
use lintseq_core::{CandidateRules, SamplerOptions};
use lintseq_python::{ImportMode, ModuleIndex, PythonChecker};

use crate::error::{Error, Result};
use crate::job::Job;
use crate::language::LanguageOptions;

/// The seed a run uses when none is given.
pub const DEFAULT_SEED: u64 = 1;
/// Programs longer than this many lines are skipped unless told otherwise.
pub const DEFAULT_MAX_LINES: usize = 20_000;
/// The Python version whose syntax is valid unless told otherwise.
pub const DEFAULT_TARGET_VERSION: &str = "3.11";
/// The prompt field's name that means "no prompt field" (pylintseq's spelling).
pub const NO_PROMPT: &str = "None";
/// The interpreter `reference` import mode asks, unless told otherwise.
pub const DEFAULT_PYTHON: &str = "python3";

/// How a front end spells option names in its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// `--indent-bias`.
    Flag,
    /// `indent_bias`.
    Keyword,
}

impl Spelling {
    /// `name` (snake_case) as this front end writes it.
    pub fn name(self, name: &str) -> String {
        match self {
            Spelling::Flag => format!("--{}", name.replace('_', "-")),
            Spelling::Keyword => name.to_string(),
        }
    }
}

/// The sampler's knobs, as given. The defaults are pylintseq's.
#[derive(Clone, Debug, PartialEq)]
pub struct SamplerSettings {
    pub children_per_round: usize,
    pub top_k: usize,
    pub population: usize,
    pub max_depth: usize,
    /// Weight of deeper lines; 0 samples uniformly.
    pub indent_bias: f64,
    pub ignore_imports: bool,
    pub sample_comments: bool,
    pub sample_global_defs: bool,
    pub ignore_init_errors: bool,
    /// `X.Y`: the Python version whose syntax is valid.
    pub target_version: String,
    /// How the checker treats imports.
    pub imports: ImportSettings,
}

impl Default for SamplerSettings {
    fn default() -> Self {
        let options = SamplerOptions::default();
        Self {
            children_per_round: options.children_per_round,
            top_k: options.top_k,
            population: options.population,
            max_depth: options.max_depth,
            indent_bias: options.indent_bias.unwrap_or(0.0),
            ignore_imports: options.rules.ignore_imports,
            sample_comments: !options.rules.ignore_comments,
            sample_global_defs: !options.rules.ignore_global_defs,
            ignore_init_errors: options.ignore_init_errors,
            target_version: DEFAULT_TARGET_VERSION.to_string(),
            imports: ImportSettings::default(),
        }
    }
}

impl SamplerSettings {
    /// The sampler's options, or an error naming the option that is out of
    /// range.
    pub fn options(&self, spelling: Spelling) -> Result<SamplerOptions> {
        if !(self.indent_bias.is_finite() && self.indent_bias >= 0.0) {
            return Err(Error::Option(format!(
                "{} must be a non-negative number, not {}",
                spelling.name("indent_bias"),
                self.indent_bias
            )));
        }
        for (name, value) in [
            ("children_per_round", self.children_per_round),
            ("top_k", self.top_k),
            ("population", self.population),
            ("max_depth", self.max_depth),
        ] {
            if value == 0 {
                return Err(Error::Option(format!(
                    "{} must be at least 1",
                    spelling.name(name)
                )));
            }
        }
        Ok(SamplerOptions {
            children_per_round: self.children_per_round,
            top_k: self.top_k,
            population: self.population,
            max_depth: self.max_depth,
            indent_bias: (self.indent_bias > 0.0).then_some(self.indent_bias),
            rules: CandidateRules {
                ignore_comments: !self.sample_comments,
                ignore_global_defs: !self.sample_global_defs,
                ignore_imports: self.ignore_imports,
            },
            ignore_init_errors: self.ignore_init_errors,
        })
    }

    /// The checker for [`target_version`](Self::target_version), with
    /// imports treated as [`imports`](Self::imports) says.
    pub fn checker(&self, spelling: Spelling) -> Result<PythonChecker> {
        Ok(python_checker(&self.target_version, spelling)?.with_imports(self.imports.mode()?))
    }
}

/// Whether imports always resolve (`resolve`, the default) or resolve as in
/// one Python environment (`reference`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Imports {
    /// Every import resolves: the output depends only on the input and the
    /// options, on any machine.
    #[default]
    Resolve,
    /// An import the environment of the chosen interpreter cannot resolve is
    /// an error, as pylint reports it when pylintseq runs there: pylintseq's
    /// data, which depends on the machine and its installed packages.
    Reference,
}

impl Imports {
    /// The mode's name, as options spell it.
    pub fn name(self) -> &'static str {
        match self {
            Imports::Resolve => "resolve",
            Imports::Reference => "reference",
        }
    }
}

impl FromStr for Imports {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        match text {
            "resolve" => Ok(Imports::Resolve),
            "reference" => Ok(Imports::Reference),
            _ => Err(Error::Option(format!(
                "unknown import mode {text:?}; expected \"resolve\" or \"reference\""
            ))),
        }
    }
}

/// How the checker treats imports, as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSettings {
    pub mode: Imports,
    /// The interpreter whose environment `reference` mode resolves against:
    /// a path, or a name looked up on `PATH`.
    pub python: PathBuf,
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self {
            mode: Imports::Resolve,
            python: PathBuf::from(DEFAULT_PYTHON),
        }
    }
}

impl ImportSettings {
    /// The checker's import mode. In `reference` mode the interpreter is
    /// asked what it can import the first time this process needs it; later
    /// calls (more jobs, more batches of the Python package) share that
    /// index.
    pub fn mode(&self) -> Result<ImportMode> {
        Ok(match self.mode {
            Imports::Resolve => ImportMode::Resolve,
            Imports::Reference => ImportMode::Reference(module_index(&self.python)?),
        })
    }
}

/// The module index of `python`, probed once per process and interpreter.
fn module_index(python: &Path) -> Result<Arc<ModuleIndex>> {
    static PROBED: OnceLock<Mutex<HashMap<PathBuf, Arc<ModuleIndex>>>> = OnceLock::new();
    let probed = PROBED.get_or_init(Mutex::default);
    // Holding the lock while probing makes concurrent first calls wait for
    // one probe instead of running several.
    let mut probed = probed
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(index) = probed.get(python) {
        return Ok(Arc::clone(index));
    }
    let index = Arc::new(ModuleIndex::probe(python)?);
    probed.insert(python.to_path_buf(), Arc::clone(&index));
    Ok(index)
}

/// The Python checker for the version written `X.Y`, or an error naming the
/// option.
pub fn python_checker(target_version: &str, spelling: Spelling) -> Result<PythonChecker> {
    PythonChecker::with_target_version(target_version).ok_or_else(|| {
        Error::Option(format!(
            "unknown {} {target_version:?}; expected 3.7 to 3.15",
            spelling.name("target_version")
        ))
    })
}

/// Everything that decides a row's output rows, as given.
#[derive(Clone, Debug, PartialEq)]
pub struct JobSettings {
    /// Edit paths per row.
    pub paths: u32,
    pub seed: u64,
    pub code_field: String,
    /// `None` (or [`NO_PROMPT`]) for no prompt field.
    pub prompt_field: Option<String>,
    pub max_lines: usize,
    pub sampler: SamplerSettings,
    /// Which language each row is in, and the JavaScript environment.
    pub languages: LanguageOptions,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            paths: 1,
            seed: DEFAULT_SEED,
            code_field: "response".to_string(),
            prompt_field: Some("instruction".to_string()),
            max_lines: DEFAULT_MAX_LINES,
            sampler: SamplerSettings::default(),
            languages: LanguageOptions::default(),
        }
    }
}

impl JobSettings {
    /// The job these settings describe, or an error naming the bad option.
    pub fn job(&self, spelling: Spelling) -> Result<Job> {
        if self.paths == 0 {
            return Err(Error::Option(format!(
                "{} must be at least 1",
                spelling.name(match spelling {
                    Spelling::Flag => "paths_per_row",
                    Spelling::Keyword => "paths",
                })
            )));
        }
        Ok(Job {
            python: self.sampler.checker(spelling)?,
            generation: Generation {
                paths: self.paths,
                seed: self.seed,
                sampler: self.sampler.options(spelling)?,
            },
            code_field: self.code_field.clone(),
            prompt_field: self.prompt_field.clone().filter(|f| f != NO_PROMPT),
            max_lines: self.max_lines,
            languages: self.languages.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_samplers() {
        let job = JobSettings::default().job(Spelling::Flag).unwrap();
        let expected = SamplerOptions::default();
        let got = job.generation.sampler;
        assert_eq!(got.children_per_round, expected.children_per_round);
        assert_eq!(got.max_depth, expected.max_depth);
        assert_eq!(got.indent_bias, expected.indent_bias);
        assert_eq!(got.rules, expected.rules);
        assert_eq!(job.generation.seed, DEFAULT_SEED);
        assert_eq!(job.prompt_field.as_deref(), Some("instruction"));
    }

    #[test]
    fn bad_values_name_the_option_as_the_front_end_spells_it() {
        let mut settings = JobSettings::default();
        settings.sampler.top_k = 0;
        let flag = settings.job(Spelling::Flag).unwrap_err().to_string();
        assert_eq!(flag, "--top-k must be at least 1");
        let keyword = settings.job(Spelling::Keyword).unwrap_err().to_string();
        assert_eq!(keyword, "top_k must be at least 1");

        let mut settings = JobSettings::default();
        settings.sampler.indent_bias = f64::NAN;
        let message = settings.job(Spelling::Keyword).unwrap_err().to_string();
        assert!(message.starts_with("indent_bias must be a non-negative number"));

        let mut settings = JobSettings::default();
        settings.sampler.target_version = "2.7".into();
        let message = settings.job(Spelling::Flag).unwrap_err().to_string();
        assert!(
            message.starts_with("unknown --target-version \"2.7\""),
            "{message}"
        );

        let settings = JobSettings {
            paths: 0,
            ..JobSettings::default()
        };
        let message = settings.job(Spelling::Keyword).unwrap_err().to_string();
        assert_eq!(message, "paths must be at least 1");
    }

    #[test]
    fn import_modes_parse_by_name() {
        assert_eq!("resolve".parse::<Imports>().unwrap(), Imports::Resolve);
        assert_eq!("reference".parse::<Imports>().unwrap(), Imports::Reference);
        let message = "Reference".parse::<Imports>().unwrap_err().to_string();
        assert!(
            message.starts_with("unknown import mode \"Reference\""),
            "{message}"
        );
        for mode in [Imports::Resolve, Imports::Reference] {
            assert_eq!(mode.name().parse::<Imports>().unwrap(), mode);
        }
    }

    #[test]
    fn resolve_mode_asks_no_interpreter() {
        let settings = ImportSettings {
            mode: Imports::Resolve,
            python: PathBuf::from("/no/such/python-for-lintseq"),
        };
        assert!(settings.mode().unwrap().index().is_none());
    }

    #[test]
    fn reference_mode_names_an_interpreter_that_cannot_run() {
        let mut settings = JobSettings::default();
        settings.sampler.imports = ImportSettings {
            mode: Imports::Reference,
            python: PathBuf::from("/no/such/python-for-lintseq"),
        };
        let error = settings.job(Spelling::Flag).unwrap_err();
        assert!(matches!(error, Error::Probe(_)), "{error:?}");
        let message = error.to_string();
        assert!(message.contains("/no/such/python-for-lintseq"), "{message}");
    }

    #[test]
    fn reference_mode_probes_an_interpreter_once_per_process() {
        let settings = ImportSettings {
            mode: Imports::Reference,
            python: PathBuf::from(DEFAULT_PYTHON),
        };
        let (ImportMode::Reference(first), ImportMode::Reference(second)) =
            (settings.mode().unwrap(), settings.mode().unwrap())
        else {
            panic!("reference mode without an index");
        };
        assert!(Arc::ptr_eq(&first, &second));

        let mut job = JobSettings::default();
        job.sampler.imports = settings;
        let checker = job.job(Spelling::Flag).unwrap().python;
        let program = "import os\nimport not_installed_lintseq_pipeline_test\n";
        let found = crate::lint(&checker, program, None);
        let codes: Vec<_> = found.iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(codes, [(2, "E0401")]);
    }

    #[test]
    fn none_means_no_prompt_field() {
        let settings = JobSettings {
            prompt_field: Some(NO_PROMPT.into()),
            ..JobSettings::default()
        };
        assert_eq!(settings.job(Spelling::Flag).unwrap().prompt_field, None);
    }
}
