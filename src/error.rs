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
            write!(f, "`{}`: ", shorten_long_words(&printable(key, false)))?;
        }
        write!(f, "{}", shorten_long_words(&printable(&self.message, true)))?;
        if let Some(help) = &self.help {
            write!(
                f,
                "\n  help: {}",
                shorten_long_words(&printable(help, true))
            )?;
        }
        Ok(())
    }
}

/// `s` with control characters escaped (`\n`, `\u{1b}`): names and values from a file must
/// not split a message's line or send terminal escapes. A message's own line breaks are kept
/// when `keep_newlines`.
fn printable(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !(keep_newlines && c == '\n');
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if bad(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Words (runs without whitespace) longer than this are cut in messages.
const MAX_WORD_CHARS: usize = 100;
/// How much of a cut word is kept.
const KEPT_CHARS: usize = 80;

/// `s` with every word longer than [`MAX_WORD_CHARS`] cut to its first [`KEPT_CHARS`]
/// characters and a note of how long it was (keeping a closing backtick): a message quotes the
/// values and keys it is about, and a 15 MB value must not become 15 MB of stderr.
fn shorten_long_words(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_WORD_CHARS {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut rest = s;
    let mut changed = false;
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, tail) = rest.split_at(word_end);
        let n = word.chars().count();
        if n > MAX_WORD_CHARS {
            changed = true;
            let cut = word
                .char_indices()
                .nth(KEPT_CHARS)
                .map_or(word.len(), |(i, _)| i);
            out.push_str(&word[..cut]);
            out.push_str(&format!("… ({n} characters)"));
            if word.ends_with('`') {
                out.push('`');
            }
        } else {
            out.push_str(word);
        }
        let space_end = tail
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(tail.len());
        out.push_str(&tail[..space_end]);
        rest = &tail[space_end..];
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(s)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_are_cut_in_messages() {
        let long = "x".repeat(5000);
        let e = InputError::new(format!("unknown value `{long}` here"))
            .with_key(format!("a.{long}"))
            .with_help(Some("did you mean `y`?".into()));
        let text = e.to_string();
        assert!(text.len() < 400, "{}", text.len());
        assert!(
            text.contains(&format!(
                "unknown value `{}… (5002 characters)` here",
                "x".repeat(79)
            )),
            "{text}"
        );
        assert!(text.ends_with("help: did you mean `y`?"), "{text}");
        // Control characters from a file are escaped; a message's own line breaks are kept.
        let e = InputError::new("unknown `a\u{1b}[31m`\nsecond line").with_key("pro\nd");
        assert_eq!(
            e.to_string(),
            "`pro\\nd`: unknown `a\\u{1b}[31m`\nsecond line"
        );
        // Short messages are untouched.
        let short = InputError::new("a `b` c  d").to_string();
        assert_eq!(short, "a `b` c  d");
    }
}
