//! Thin binary: parse arguments, call the library, map errors to exit codes
//! (0 ok, 1 a requested check failed, 2 bad input, 3 I/O failure).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use costplan::cli::{Cli, Command};
use costplan::cmd;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Run(args) => cmd::run::run(args).map(|o| (o.stdout, o.notes, o.failed)),
        Command::Compare(args) => {
            cmd::compare::compare(args).map(|o| (o.stdout, o.notes, o.failed))
        }
        Command::Diff(args) => cmd::diff::run(args).map(|s| (s, Vec::new(), None)),
        Command::Sweep(args) => cmd::sweep::run(args).map(|(s, notes)| (s, notes, None)),
        Command::Pricing { command } => {
            cmd::pricing::run(command).map(|(s, notes)| (s, notes, None))
        }
    };
    match result {
        Ok((stdout, notes, failed)) => {
            for n in notes {
                eprintln!("{n}");
            }
            // A closed pipe (`costplan run ... | head -1`) is not an error.
            let mut out = std::io::stdout().lock();
            match out.write_all(stdout.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => match failed {
                    None => ExitCode::SUCCESS,
                    Some(e) => {
                        eprintln!("check failed: {e}");
                        ExitCode::from(e.exit_code() as u8)
                    }
                },
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write output: {e}");
                    ExitCode::from(3)
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
