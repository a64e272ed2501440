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

/// An offer file opened for a streaming read, with its progress bar (finish it when done).
pub fn open(
    path: &std::path::Path,
    what: &str,
) -> crate::Result<(
    std::io::BufReader<indicatif::ProgressBarIter<std::fs::File>>,
    ProgressBar,
)> {
    let file = std::fs::File::open(path).map_err(|e| crate::Error::io("read", path, e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let pb = bar(len, what);
    // The buffer sits outside the progress wrapper: the bar is updated per 1 MiB, not per byte.
    let reader = std::io::BufReader::with_capacity(1 << 20, pb.wrap_read(file));
    Ok((reader, pb))
}
