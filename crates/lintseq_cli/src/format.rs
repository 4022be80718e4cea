//! `lintseq format`: flags in, the pipeline's training-row job, messages out.

use std::process::ExitCode;

use lintseq_pipeline::{FormatConfig, FormatObserver, Progress, RowId, Unit};

use crate::cli::FormatArgs;
use crate::progress;

pub fn run(args: FormatArgs) -> anyhow::Result<ExitCode> {
    let config = FormatConfig {
        input: args.input,
        input_format: args.input_format,
        output: args.output,
        output_format: args.output_format,
        force: args.force,
        style: args.style,
        prompt_field: (args.prompt_field != "None").then_some(args.prompt_field),
        system: args.system,
    };
    let mut terminal = Terminal {
        bar: indicatif::ProgressBar::hidden(),
        started: false,
    };
    let summary = lintseq_pipeline::format_file(&config, &mut terminal)?;
    terminal.bar.finish_and_clear();
    eprintln!(
        "lintseq: read {} rows; wrote {} {} rows; skipped {}",
        summary.rows_read, summary.rows_written, config.style, summary.rows_skipped
    );
    eprintln!("lintseq: wrote {}", config.output.display());
    Ok(ExitCode::SUCCESS)
}

struct Terminal {
    bar: indicatif::ProgressBar,
    started: bool,
}

impl FormatObserver for Terminal {
    fn skipped(&mut self, id: RowId, problem: &str) {
        self.bar
            .suspend(|| eprintln!("lintseq: skipping {id}: {problem}"));
    }

    fn progress(&mut self, progress: Progress) {
        if !self.started {
            self.bar = match progress.unit {
                Unit::Bytes => progress::bytes_bar(progress.total),
                Unit::Rows => progress::rows_bar(progress.total),
            };
            self.started = true;
        }
        self.bar.set_position(progress.done);
    }
}
