//! The `lintseq` command.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod eval;
mod generate;
mod lint;
mod progress;
mod resolve;
mod rows;
mod sandbox;

use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lintseq: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        cli::Command::Generate(args) => generate::run(args),
        cli::Command::Lint(args) => lint::run(args),
        cli::Command::Resolve(args) => resolve::run(args),
        cli::Command::Eval(args) => eval::run(args),
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
