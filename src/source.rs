//! Loading TOML with positions.
//!
//! A document is parsed once with spans (`toml::de::DeTable`) and converted to a plain
//! `toml::Value` in which every float literal is replaced by its literal text, so a number such
//! as `0.0000166667` reaches `Decimal` without passing through `f64`. Typed deserialisation goes
//! through `serde_path_to_error`, and the failing key path is mapped back to a line and column by
//! re-walking the spanned tree (errors are rare, so re-parsing on error is cheaper than keeping
//! a second owned tree).

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};
use toml::Value;

use crate::error::{Error, InputError, Result};
use crate::suggest;

/// One segment of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A key path into a document, e.g. `phases.prod.resources.db`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Seg>);

impl KeyPath {
    pub fn root() -> Self {
        KeyPath(Vec::new())
    }

    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        KeyPath(v)
    }

    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        KeyPath(v)
    }

    pub fn extend(&self, other: &KeyPath) -> Self {
        let mut v = self.0.clone();
        v.extend(other.0.iter().cloned());
        KeyPath(v)
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    // Keys that are not bare TOML keys are quoted, as in the file.
                    if k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                        && !k.is_empty()
                    {
                        f.write_str(k)?;
                    } else {
                        write!(f, "\"{k}\"")?;
                    }
                }
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The largest input file read (16 MiB).
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// A parsed TOML document and what is needed to point at places in it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Name shown in messages (the path as the user gave it).
    pub name: String,
    pub text: String,
    pub value: Value,
}

impl Document {
    /// Read and parse a file. A directory or unreadable path is an I/O error (exit code 3).
    pub fn read(path: &Path) -> Result<Document> {
        if path.is_dir() {
            return Err(Error::io(
                "read",
                path,
                std::io::Error::other("is a directory, expected a TOML file"),
            ));
        }
        // Read at most one byte past the limit: a huge file (or an endless one such as
        // /dev/zero) is a quick, clear error instead of minutes of parsing or all the memory.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| Error::io("read", path, e))?;
        let name = path.display().to_string();
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Error::from(InputError {
                file: Some(name),
                position: None,
                key: None,
                message: format!(
                    "file is larger than {} MiB; a scenario is a few KB (10,000 resources are under 1 MiB)",
                    MAX_FILE_BYTES >> 20
                ),
                help: Some("is this the right file?".into()),
            }));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, col) = line_col_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
            Error::from(InputError {
                file: Some(name.clone()),
                position: Some((line, col)),
                key: None,
                message: "file is not valid UTF-8".into(),
                help: Some("save it as UTF-8 (a scenario is a TOML file)".into()),
            })
        })?;
        Ok(Document::parse(name, text)?)
    }

    /// Parse text that came from `name`.
    pub fn parse(name: String, text: String) -> Result<Document, InputError> {
        if text.trim().is_empty() {
            return Err(InputError {
                file: Some(name),
                position: None,
                key: None,
                message: "file is empty".into(),
                help: Some("a scenario needs at least `region` and one phase".into()),
            });
        }
        let value = match DeTable::parse(&text) {
            Ok(root) => convert_table(root.get_ref()),
            Err(e) => {
                let position = e.span().map(|s| line_col(&text, s.start));
                return Err(InputError {
                    file: Some(name),
                    position,
                    key: None,
                    message: format!("invalid TOML: {}", e.message().trim_end()),
                    help: None,
                });
            }
        };
        Ok(Document { name, text, value })
    }

    /// Deserialise the value at `at` into `T`, with errors located in this document.
    pub fn deserialize<T: DeserializeOwned>(
        &self,
        value: Value,
        at: &KeyPath,
    ) -> Result<T, InputError> {
        deserialize_rel(value).map_err(|e| {
            self.error_at(&at.extend(&e.path), e.message)
                .with_help(e.help)
        })
    }

    /// An error pointing at `path` (or its nearest existing ancestor).
    pub fn error_at(&self, path: &KeyPath, message: impl Into<String>) -> InputError {
        InputError {
            file: Some(self.name.clone()),
            position: self.span_of(path).map(|s| line_col(&self.text, s.start)),
            key: if path.0.is_empty() {
                None
            } else {
                Some(path.to_string())
            },
            message: message.into(),
            help: None,
        }
    }

    /// Span of the key at `path` (for a table entry) or the nearest ancestor that exists.
    pub fn span_of(&self, path: &KeyPath) -> Option<Range<usize>> {
        let root = DeTable::parse(&self.text).ok()?;
        let mut best = None;
        let mut table: Option<&DeTable> = Some(root.get_ref());
        let mut array: Option<&[toml::Spanned<DeValue>]> = None;
        for seg in &path.0 {
            let next = match (seg, table, array) {
                (Seg::Key(k), Some(t), _) => t.get_key_value(k.as_str()).map(|(key, v)| {
                    best = Some(key.span());
                    v
                }),
                (Seg::Index(i), _, Some(a)) => a.get(*i).inspect(|v| best = Some(v.span())),
                _ => None,
            };
            let Some(v) = next else { break };
            table = v.get_ref().as_table();
            array = v.get_ref().as_array().map(|a| &a[..]);
        }
        best
    }
}

/// A problem with one input value, with its key path relative to the table that was checked
/// (a resource, `[traffic]`, a trigger, ...). Validators return it; whoever knows where that
/// table sits in the document locates it ([`Document::locate`]). The one error shape below the
/// document: deserialisation errors have it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub path: KeyPath,
    pub message: String,
    pub help: Option<String>,
}

impl FieldError {
    /// An error on the key `field` of the checked table.
    pub fn new(field: &str, message: impl Into<String>) -> FieldError {
        FieldError::at(KeyPath::root().key(field), message)
    }

    /// An error at `path` inside the checked table.
    pub fn at(path: KeyPath, message: impl Into<String>) -> FieldError {
        FieldError {
            path,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: Option<String>) -> FieldError {
        self.help = help;
        self
    }

    /// The same error seen from a table one level up, where the checked table is `key`.
    pub fn under(mut self, key: &str) -> FieldError {
        self.path.0.insert(0, Seg::Key(key.to_string()));
        self
    }
}

impl Document {
    /// `e`, found in the table at `base`, as a located input error.
    pub fn locate(&self, base: &KeyPath, e: FieldError) -> InputError {
        self.error_at(&base.extend(&e.path), e.message)
            .with_help(e.help)
    }
}

/// Deserialise `value` into `T`; on error, say where inside `value` and what went wrong.
pub fn deserialize_rel<T: DeserializeOwned>(value: Value) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = KeyPath::root();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Map { key } => path.0.push(Seg::Key(key.clone())),
                serde_path_to_error::Segment::Seq { index } => path.0.push(Seg::Index(*index)),
                _ => {}
            }
        }
        let (message, help) = explain_serde(&e.inner().to_string());
        // "unknown key `x`" is reported at the unknown key itself. serde_path_to_error's path
        // usually ends with that key already (it was `traffic.x.x` in messages); add it only
        // when it does not.
        if let Some(field) = unknown_field_name(&message) {
            if path.0.last() != Some(&Seg::Key(field.clone())) {
                path.0.push(Seg::Key(field));
            }
        }
        FieldError {
            path,
            message,
            help,
        }
    })
}

fn convert_table(t: &DeTable) -> Value {
    let mut out = toml::Table::new();
    for (k, v) in t.iter() {
        out.insert(k.get_ref().to_string(), convert(v.get_ref()));
    }
    Value::Table(out)
}

fn convert(v: &DeValue) -> Value {
    match v {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => match parse_integer(i.as_str(), i.radix()) {
            Some(n) => Value::Integer(n),
            // Out of i64 range: keep the literal (with its 0x/0o/0b prefix, which `as_str`
            // leaves out) so the typed layer reports a clear error about what was written.
            None => Value::String(format!(
                "{}{}",
                radix_prefix(i.radix()),
                i.as_str().replace('_', "")
            )),
        },
        // Keep the literal text: exact for Decimal, parsed by `num::f64` where a float is wanted.
        DeValue::Float(f) => Value::String(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => Value::Boolean(*b),
        DeValue::Datetime(d) => Value::Datetime(*d),
        DeValue::Array(a) => Value::Array(a.iter().map(|x| convert(x.get_ref())).collect()),
        DeValue::Table(t) => convert_table(t),
    }
}

fn parse_integer(text: &str, radix: u32) -> Option<i64> {
    let clean = text.replace('_', "");
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    // toml's integer text has no 0x/0o/0b prefix (cutting two characters off it read `0x10` as
    // 10); strip the prefix only if a future toml keeps it.
    let digits = body.strip_prefix(radix_prefix(radix)).unwrap_or(body);
    let n = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -n } else { n })
}

fn radix_prefix(radix: u32) -> &'static str {
    match radix {
        16 => "0x",
        8 => "0o",
        2 => "0b",
        _ => "",
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    line_col_bytes(text.as_bytes(), offset.min(text.len()))
}

fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// Turn serde's wording into ours and add a suggestion for unknown names.
fn explain_serde(msg: &str) -> (String, Option<String>) {
    // toml's errors end with "\nin `key`\n"; the key is already in our message (from the
    // path), so the tail only repeated it on a line of its own.
    let msg = msg.split("\nin `").next().unwrap_or(msg).trim_end();
    // serde's "missing field" in the words of the rest of our messages (keys, not fields).
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return (format!("missing key {rest}"), None);
    }
    // serde: "unknown field `memry_mb`, expected one of `a`, `b`" / "expected `a` or `b`"
    for what in ["unknown field", "unknown variant"] {
        if let Some(rest) = msg.strip_prefix(what) {
            let name = between_ticks(rest).unwrap_or_default();
            let expected: Vec<String> = rest
                .split_once("expected")
                .map(|(_, e)| {
                    e.split('`')
                        .skip(1)
                        .step_by(2)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let noun = if what == "unknown field" {
                "unknown key"
            } else {
                "unknown value"
            };
            let help =
                suggest::did_you_mean(&name, expected.iter().map(String::as_str)).or_else(|| {
                    (!expected.is_empty())
                        .then(|| format!("expected one of: {}", expected.join(", ")))
                });
            return (format!("{noun} `{name}`"), help);
        }
    }
    (msg.to_string(), None)
}

fn unknown_field_name(message: &str) -> Option<String> {
    message.strip_prefix("unknown key ").and_then(between_ticks)
}

fn between_ticks(s: &str) -> Option<String> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(s[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_keep_their_literal_text() {
        let doc =
            Document::parse("t.toml".into(), "a = 0.12345678901234567890123\n".into()).unwrap();
        assert_eq!(doc.value["a"].as_str(), Some("0.12345678901234567890123"));
    }

    #[test]
    fn hex_octal_binary_integers() {
        let doc = Document::parse(
            "t.toml".into(),
            "a = 0x10\nb = 0o17\nc = 0b101\nd = 0x0b\ne = 0xFFFFFFFFFFFFFFFFFF\n".into(),
        )
        .unwrap();
        assert_eq!(doc.value["a"].as_integer(), Some(16));
        assert_eq!(doc.value["b"].as_integer(), Some(15));
        assert_eq!(doc.value["c"].as_integer(), Some(5));
        assert_eq!(doc.value["d"].as_integer(), Some(11));
        assert_eq!(doc.value["e"].as_str(), Some("0xFFFFFFFFFFFFFFFFFF"));
    }

    #[test]
    fn syntax_error_has_position() {
        let e = Document::parse("t.toml".into(), "a = 1\nb = = 2\n".into()).unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(2));
    }

    #[test]
    fn span_of_nested_key() {
        let doc = Document::parse("t.toml".into(), "[x.y]\nz = 1\n".into()).unwrap();
        let span = doc
            .span_of(&KeyPath::root().key("x").key("y").key("z"))
            .unwrap();
        assert_eq!(line_col(&doc.text, span.start), (2, 1));
    }
}
