//! The `lintseq` command, as a library: the binary and the Python package's
//! `lintseq` script both run [`main_with_args`], so they are the same CLI.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod eval;
mod format;
mod generate;
mod javabench;
mod lint;
mod progress;
mod prompts;
mod resolve;
mod rows;
mod serve;

use std::ffi::OsString;
use std::io;
use std::process::ExitCode;

use clap::Parser;

/// Parses `args` (the program name first) and runs the command. Returns the
/// exit status: 0 on success, 1 on failure (or when `lint` found something),
/// 2 on a usage error.
pub fn main_with_args<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // --help and --version are "errors" that print and succeed.
            let _ = error.print();
            return u8::try_from(error.exit_code()).unwrap_or(2);
        }
    };
    match run(cli) {
        Ok(code) if code == ExitCode::SUCCESS => 0,
        Ok(_) => 1,
        Err(error) if is_broken_pipe(&error) => 0,
        Err(error) => {
            eprintln!("lintseq: error: {error:#}");
            1
        }
    }
}

fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        cli::Command::Generate(args) => generate::run(args),
        cli::Command::Format(args) => format::run(args),
        cli::Command::Lint(args) => lint::run(args),
        cli::Command::Resolve(args) => resolve::run(args),
        cli::Command::Eval(args) => eval::run(args),
        cli::Command::Prompts(args) => prompts::run(args),
        cli::Command::Serve(args) => serve::run(args),
        cli::Command::Javabench(args) => javabench::run(args),
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<lintseq_pipeline::Error>()
                .is_some_and(lintseq_pipeline::Error::is_broken_pipe)
    })
}
