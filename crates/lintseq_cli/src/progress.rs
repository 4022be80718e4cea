//! Progress bars: on stderr, only when stderr is a terminal.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress through a file, in bytes.
pub fn bytes_bar(total: u64) -> ProgressBar {
    bar(
        total,
        "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} {msg}",
    )
}

/// Progress through a known number of rows.
pub fn rows_bar(total: u64) -> ProgressBar {
    bar(
        total,
        "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} rows ({per_sec}, {eta} left)",
    )
}

fn bar(total: u64, template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
