//! Getting started: `costplan init`, `completions`, `man`.

use std::io::Write;

use super::Outcome;
use crate::cli::{InitArgs, Template};
use crate::error::{Error, Result};

/// The text of a starter scenario (the files under templates/, built into the binary).
pub fn template(t: Template) -> &'static str {
    match t {
        Template::Serverless => include_str!("../../templates/serverless.toml"),
        Template::Containers => include_str!("../../templates/containers.toml"),
        Template::Ec2 => include_str!("../../templates/ec2.toml"),
    }
}

/// Write the template to a new file: an existing file is refused (exit 3), never replaced.
pub fn init(args: &InitArgs) -> Result<Outcome> {
    let path = &args.file;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::io(
                    "create",
                    path,
                    std::io::Error::other("the file exists; costplan init never overwrites a file"),
                )
            } else {
                Error::io("create", path, e)
            }
        })?;
    f.write_all(template(args.template).as_bytes())
        .map_err(|e| Error::io("write", path, e))?;
    Ok(Outcome {
        notes: vec![format!(
            "wrote {}; next: costplan run {}",
            path.display(),
            path.display()
        )],
        ..Default::default()
    })
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "costplan", &mut out);
    Outcome::text(String::from_utf8_lossy(&out).into_owned())
}

/// The man page, roff.
pub fn man() -> Result<Outcome> {
    let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| Error::io("render", "the man page", e))?;
    Ok(Outcome::text(String::from_utf8_lossy(&out).into_owned()))
}
