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

/// The template as `init` writes it: its first line, `#:schema` with the path of the repository's
/// schema (for editing templates/ in the repository), names the schema file written beside the
/// new scenario instead.
pub fn template_for_init(t: Template) -> String {
    let text = template(t);
    let rest = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("#:schema ") => rest,
        _ => text,
    };
    format!("#:schema ./{}\n{rest}", crate::scenario::schema::FILE_NAME)
}

/// Write the template to a new file: an existing file is refused (exit 3), never replaced.
/// The schema its `#:schema` line names is written beside it unless that file exists.
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
    f.write_all(template_for_init(args.template).as_bytes())
        .map_err(|e| Error::io("write", path, e))?;
    let mut notes = vec![format!(
        "wrote {}; next: costplan run {}",
        path.display(),
        path.display()
    )];
    notes.push(write_schema_beside(path)?);
    Ok(Outcome {
        notes,
        ..Default::default()
    })
}

/// Write `costplan.schema.json` in the scenario's directory, or keep the one there (it may be
/// another scenario's, from the same costplan or an older one: never replaced unasked).
fn write_schema_beside(scenario: &std::path::Path) -> Result<String> {
    use crate::scenario::schema::{to_json, FILE_NAME};
    let dir = scenario
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let path = dir.join(FILE_NAME);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            f.write_all(to_json().as_bytes())
                .map_err(|e| Error::io("write", &path, e))?;
            Ok(format!(
                "wrote {} (the JSON Schema editors check the scenario with)",
                path.display()
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(format!(
            "kept the existing {}; refresh it with: costplan schema > {}",
            path.display(),
            path.display()
        )),
        Err(e) => Err(Error::io("create", &path, e)),
    }
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
