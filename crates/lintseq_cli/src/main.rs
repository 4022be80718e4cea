//! The `lintseq` command.

use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: the checker builds and frees a syntax
/// tree for every state it checks, and allocation was a quarter of
/// `generate`'s CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(lintseq_cli::main_with_args(std::env::args_os()))
}
