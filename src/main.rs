//! Thin binary: parse arguments, call the library, map errors to exit codes
//! (0 ok, 1 a requested check failed, 2 bad input, 3 I/O failure).
//!
//! No write here may panic (`println!`/`eprintln!` do when the stream is gone): stdout is
//! written with its errors handled (a closed pipe ends quietly, a full disk or device is exit
//! 3), and a message that cannot be written to stderr is dropped, keeping the exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use costplan::cli::Cli;
use costplan::cmd::{self, Outcome};

/// Write one line to stderr; if stderr is closed or full there is nowhere left to say so.
fn note(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}").and_then(|_| err.flush());
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cmd::dispatch(&cli.command) {
        Ok(Outcome {
            stdout,
            notes,
            failed,
        }) => {
            for n in notes {
                note(&n);
            }
            let mut out = std::io::stdout().lock();
            match out.write_all(stdout.as_bytes()).and_then(|_| out.flush()) {
                // A closed pipe (`costplan run ... | head -1`) is not an error: the reader had
                // what it wanted.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    note(&format!("error: cannot write output: {e}"));
                    return ExitCode::from(3);
                }
                _ => {}
            }
            match failed {
                None => ExitCode::SUCCESS,
                Some(e) => {
                    note(&format!("check failed: {e}"));
                    ExitCode::from(e.exit_code() as u8)
                }
            }
        }
        Err(e) => {
            note(&format!("error: {e}"));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
