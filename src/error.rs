//! Error types and exit codes.
//!
//! Every user-facing failure is a [`Error`]; `main` prints it and exits with [`Error::exit_code`]:
//! 1 a requested check failed, 2 bad input, 3 I/O failure. Input errors carry the file, line and
//! column (1-based) of the offending key when the input has them.

use std::fmt;
use std::path::PathBuf;

/// A problem with user input (scenario, price book, command line values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// File the input came from, as the user named it.
    pub file: Option<String>,
    /// 1-based line and column of the offending key or value.
    pub position: Option<(usize, usize)>,
    /// Dotted key path of the offending value (`phases.prod.resources.db.instance_class`).
    pub key: Option<String>,
    pub message: String,
    /// A hint such as "did you mean db.t3.micro?".
    pub help: Option<String>,
}

impl InputError {
    pub fn new(message: impl Into<String>) -> Self {
        InputError {
            file: None,
            position: None,
            key: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.position) {
            (Some(file), Some((line, col))) => write!(f, "{file}:{line}:{col}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Top-level error of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Input(Box<InputError>),
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A check the user asked for (budget, trigger) failed; the report was still produced.
    #[error("{0}")]
    CheckFailed(String),
    /// A chart could not be drawn (an output failure, like a file that cannot be written).
    #[error("cannot draw a chart: {0}")]
    Chart(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::CheckFailed(_) => 1,
            Error::Input(_) => 2,
            Error::Io { .. } | Error::Chart(_) => 3,
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(Box::new(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
