//! `lintseq generate`: flags in, the pipeline's run, messages out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use indicatif::ProgressBar;
use lintseq_pipeline::{
    GenerateConfig, Job, JobSettings, LanguageOptions, Observer, Problem, Progress, RowId,
    SamplerSettings, Spelling, Unit,
};

use crate::cli::GenerateArgs;
use crate::progress;

pub fn run(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let input = args
        .input
        .clone()
        .or_else(|| args.name_or_path.clone())
        .context("no input file given")?;
    let config = GenerateConfig {
        output: output_path(&args, &input),
        input,
        input_format: args.input_format,
        output_format: args.output_format,
        force: args.force,
        threads: args.threads.unwrap_or(0),
        subsample: subsample(&args.subsample)?,
        keep_skipped: args.keep_skipped,
        job: job(&args)?,
    };
    let mut observer = Terminal::default();
    let summary = lintseq_pipeline::generate(&config, &mut observer)?;
    observer.bar.finish_and_clear();
    for line in summary.to_string().lines() {
        eprintln!("lintseq: {line}");
    }
    eprintln!("lintseq: wrote {}", config.output.display());
    Ok(ExitCode::SUCCESS)
}

/// The per-row job that `generate` flags describe.
pub fn job(args: &GenerateArgs) -> anyhow::Result<Job> {
    let settings = JobSettings {
        paths: args.paths,
        seed: args.seed,
        code_field: args.code_field.clone(),
        prompt_field: Some(args.prompt_field.clone()),
        max_lines: args.max_lines,
        sampler: sampler_settings(args),
        languages: LanguageOptions {
            choice: args.language,
            field: args.language_field.clone(),
            env: args.script.js_env,
        },
    };
    Ok(settings.job(Spelling::Flag)?)
}

/// Progress on a bar, skipped rows and notes as messages, on stderr.
struct Terminal {
    bar: ProgressBar,
    unit: Option<Unit>,
}

impl Default for Terminal {
    fn default() -> Self {
        Self {
            bar: ProgressBar::hidden(),
            unit: None,
        }
    }
}

impl Observer for Terminal {
    fn skipped(&mut self, id: RowId, problem: &Problem) {
        self.bar
            .suspend(|| eprintln!("lintseq: skipping {id}: {problem}"));
    }

    fn progress(&mut self, progress: Progress, rows_read: u64) {
        if self.unit != Some(progress.unit) {
            self.bar = match progress.unit {
                Unit::Bytes => progress::bytes_bar(progress.total),
                Unit::Rows => progress::rows_bar(progress.total),
            };
            self.unit = Some(progress.unit);
        }
        self.bar.set_position(progress.done);
        if progress.unit == Unit::Bytes {
            self.bar.set_message(format!("{rows_read} rows"));
        }
    }

    fn note(&mut self, message: &str) {
        self.bar.suspend(|| eprintln!("lintseq: {message}"));
    }
}

fn output_path(args: &GenerateArgs, input: &Path) -> PathBuf {
    if let Some(output) = &args.output {
        return output.clone();
    }
    // pylintseq's naming: <stem>_<num_samples>_<paths>_<seed>_vec.jsonl
    let name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or("output");
    let dir = args.dest_dir.clone().unwrap_or_default();
    dir.join(format!(
        "{stem}_{}_{}_{}_vec.jsonl",
        args.subsample, args.paths, args.seed
    ))
}

fn subsample(text: &str) -> anyhow::Result<Option<u64>> {
    if text.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    let wanted = text
        .parse()
        .with_context(|| format!("-n takes a number of rows or `all`, not {text:?}"))?;
    Ok(Some(wanted))
}

fn sampler_settings(generate: &GenerateArgs) -> SamplerSettings {
    let args = &generate.sampler;
    SamplerSettings {
        children_per_round: args.children_per_round,
        top_k: args.top_k,
        population: args.population,
        max_depth: args.max_depth,
        indent_bias: args.indent_bias,
        ignore_imports: args.ignore_imports,
        sample_comments: args.sample_comments,
        sample_global_defs: args.sample_global_defs,
        ignore_init_errors: args.ignore_init_errors,
        target_version: args.target_version.clone(),
        imports: generate.imports.settings(),
    }
}
