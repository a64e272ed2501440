//! Bytes-read progress on stderr while a large offer file is read; hidden when stderr is not a
//! terminal, so pipes, logs and tests see nothing.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub fn bar(len: u64, what: &str) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let pb = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} {bytes}/{total_bytes} ({binary_bytes_per_sec}, {elapsed}) {wide_bar}",
    ) {
        pb.set_style(style);
    }
    pb.set_message(what.to_string());
    pb
}
