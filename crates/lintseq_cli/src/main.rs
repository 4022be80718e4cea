//! The `lintseq` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(lintseq_cli::main_with_args(std::env::args_os()))
}
