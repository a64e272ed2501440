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

/// What kind of file a document is, for the wording of its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Scenario,
    PriceBook,
    Catalog,
}

impl FileKind {
    /// With its article, as messages use it.
    fn noun(self) -> &'static str {
        match self {
            FileKind::Scenario => "a scenario",
            FileKind::PriceBook => "a price book",
            FileKind::Catalog => "the instance catalog",
        }
    }

    fn usual_size(self) -> &'static str {
        match self {
            FileKind::Scenario => "a scenario is a few KB (10,000 resources are under 1 MiB)",
            FileKind::PriceBook => "a price book is under 100 KB",
            FileKind::Catalog => "the instance catalog is under 100 KB",
        }
    }

    fn empty_help(self) -> &'static str {
        match self {
            FileKind::Scenario => "a scenario needs at least `region` and one phase",
            FileKind::PriceBook => {
                "a price book needs `region`, `currency`, `[sources]` and `[prices]`"
            }
            FileKind::Catalog => {
                "the catalog needs `[sources]`, `[ec2]`, `[rds]` and `[elasticache]`"
            }
        }
    }
}

/// A parsed TOML document and what is needed to point at places in it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Name shown in messages (the path as the user gave it).
    pub name: String,
    pub text: String,
    pub value: Value,
}

/// What a path is when it is not a regular file ("a FIFO"), from its metadata.
fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Read an input file whole: a regular file (a FIFO would block until a writer comes, a device
/// such as /dev/zero never ends) of at most [`MAX_FILE_BYTES`], in UTF-8. A missing or
/// unreadable path and a directory are I/O errors (exit 3); anything else wrong with the file
/// itself is bad input (exit 2), located like any other input error.
pub fn read_text(path: &Path, kind: FileKind) -> Result<String> {
    let name = path.display().to_string();
    let refuse = |what: &str| {
        Error::from(InputError {
            file: Some(name.clone()),
            position: None,
            key: None,
            message: format!("is {what}, not a regular file"),
            help: Some(format!("give {} as a TOML file", kind.noun())),
        })
    };
    // Look before opening: opening a FIFO for reading blocks until something writes to it.
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    if meta.is_dir() {
        return Err(Error::io(
            "read",
            path,
            std::io::Error::other("is a directory, expected a TOML file"),
        ));
    }
    if let Some(what) = special_kind(&meta) {
        return Err(refuse(what));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    // The path could have been replaced between the two looks; trust the open file.
    let meta = file.metadata().map_err(|e| Error::io("read", path, e))?;
    if let Some(what) = special_kind(&meta) {
        return Err(refuse(what));
    }
    let too_big = || {
        Error::from(InputError {
            file: Some(name.clone()),
            position: None,
            key: None,
            message: format!(
                "file is larger than {} MiB; {}",
                MAX_FILE_BYTES >> 20,
                kind.usual_size()
            ),
            help: Some("is this the right file?".into()),
        })
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    // Read at most one byte past the limit, in case the file grows while it is read.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
        Error::from(InputError {
            file: Some(name.clone()),
            position: Some((line, col)),
            key: None,
            message: "file is not valid UTF-8".into(),
            help: Some(format!("save it as UTF-8 ({} is a TOML file)", kind.noun())),
        })
    })
}

impl Document {
    /// Read and parse a scenario file (see [`read_text`] for what is refused).
    pub fn read(path: &Path) -> Result<Document> {
        Document::read_as(path, FileKind::Scenario)
    }

    /// Read and parse a file of the given kind.
    pub fn read_as(path: &Path, kind: FileKind) -> Result<Document> {
        let text = read_text(path, kind)?;
        Ok(Document::parse_as(path.display().to_string(), text, kind)?)
    }

    /// Parse scenario text that came from `name`.
    pub fn parse(name: String, text: String) -> Result<Document, InputError> {
        Document::parse_as(name, text, FileKind::Scenario)
    }

    /// Parse text of the given kind that came from `name`.
    pub fn parse_as(name: String, text: String, kind: FileKind) -> Result<Document, InputError> {
        if text.trim().is_empty() {
            return Err(InputError {
                file: Some(name),
                position: None,
                key: None,
                message: "file is empty".into(),
                help: Some(kind.empty_help().into()),
            });
        }
        let value = match DeTable::parse(&text) {
            Ok(root) => convert_table(root.get_ref()),
            Err(e) => {
                let position = e.span().map(|s| line_col(&text, s.start));
                let mut message = format!("invalid TOML: {}", e.message().trim_end());
                let mut help = None;
                // toml says only "duplicate key"; name it, since the two definitions can be
                // far apart (`resources.db = { ... }` inline and a `[phases.x.resources.db]`).
                if message.ends_with("duplicate key") {
                    if let Some(key) = e.span().and_then(|s| duplicate_key_path(&text, s.start)) {
                        message = format!("{message} `{}` (defined twice)", cap_chars(&key, 200));
                        help = Some(
                            "a table may be written once: inline (`x = { ... }`) or as a \
                             `[table]`, not both"
                                .to_string(),
                        );
                    }
                }
                return Err(InputError {
                    file: Some(name),
                    position,
                    key: None,
                    message,
                    help,
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

/// The dotted key path of the key at byte `offset` as written: the enclosing `[table]` header
/// (for a key line) and the dotted key up to the segment at `offset`.
fn duplicate_key_path(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |p| p + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |p| offset + p);
    let line = &text[start..end];
    let at = offset - start;
    // The key text from the line's start up to the end of the segment holding `at`.
    let upto = |from: usize| -> String {
        let rest = &line[at.max(from)..];
        // A quoted key ends at its closing quote (it may hold dots); a bare one at `.`, `]`,
        // `=` or a space.
        let seg_end = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |p| p + 2),
            _ => rest
                .find(|c: char| c == '.' || c == ']' || c == '=' || c.is_whitespace())
                .unwrap_or(rest.len()),
        };
        let raw = &line[from..at.max(from) + seg_end];
        dotted(raw)
    };
    let trimmed = line.trim_start();
    if trimmed.starts_with('[') {
        let from = line.len() - trimmed.len() + trimmed.chars().take_while(|&c| c == '[').count();
        return Some(upto(from)).filter(|k| !k.is_empty());
    }
    let from = line.len() - trimmed.len();
    let key = upto(from);
    // The table the key line belongs to: the nearest header above it.
    let header = text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| {
            let inner = l.trim_start_matches('[');
            dotted(inner.get(..header_end(inner)).unwrap_or(inner))
        });
    match header {
        Some(h) if !h.is_empty() => Some(format!("{h}.{key}")),
        _ => Some(key).filter(|k| !k.is_empty()),
    }
}

/// A dotted key as written, with the spaces around its dots removed (quoted parts kept whole).
fn dotted(raw: &str) -> String {
    let mut out = String::new();
    let mut quote = None;
    let mut pending = String::new();
    for c in raw.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                out.push_str(pending.trim());
                pending.clear();
                out.push(c);
            }
            (Some(q), _) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), _) => out.push(c),
            (None, '.') => {
                out.push_str(pending.trim());
                pending.clear();
                out.push('.');
            }
            (None, _) => pending.push(c),
        }
    }
    out.push_str(pending.trim());
    out
}

/// Where a table header's name ends: its first `]` outside quotes.
fn header_end(inner: &str) -> usize {
    let mut quote = None;
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, ']') => return i,
            _ => {}
        }
    }
    inner.len()
}

/// At most `max` characters of `s`, with "…" when cut.
pub fn cap_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
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
    // Kept for a better message on error (see `enum_choices`); values are small, and this is
    // done once per document or resource at load time.
    let original = value.clone();
    let e = match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let path = serde_path(e.path());
    let (mut message, mut help) = explain_serde(&e.inner().to_string());
    // A wrong type where a name from a list is expected (`free_tier = true`): serde can only
    // say "invalid type: unit variant"; ask the type for its list by trying a string there.
    if message.starts_with("invalid type:") {
        if let Some(choices) = enum_choices::<T>(&original, &path) {
            let got = value_at(&original, &path)
                .map_or_else(String::new, |v| format!(", got {}", describe(v)));
            message = format!(
                "expected one of {}{got}",
                choices
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            help = choices
                .first()
                .map(|c| format!("a name from the list, in quotes: `\"{c}\"`"));
        }
    }
    let mut path = path;
    // "unknown key `x`" is reported at the unknown key itself. serde_path_to_error's path
    // usually ends with that key already (it was `traffic.x.x` in messages); add it only
    // when it does not.
    if let Some(field) = unknown_field_name(&message) {
        if path.0.last() != Some(&Seg::Key(field.clone())) {
            path.0.push(Seg::Key(field));
        }
    }
    Err(FieldError {
        path,
        message,
        help,
    })
}

fn serde_path(p: &serde_path_to_error::Path) -> KeyPath {
    let mut path = KeyPath::root();
    for seg in p.iter() {
        match seg {
            serde_path_to_error::Segment::Map { key } => path.0.push(Seg::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => path.0.push(Seg::Index(*index)),
            _ => {}
        }
    }
    path
}

fn value_at<'v>(v: &'v Value, path: &KeyPath) -> Option<&'v Value> {
    path.0.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.as_table()?.get(k),
        Seg::Index(i) => v.as_array()?.get(*i),
    })
}

fn value_at_mut<'v>(v: &'v mut Value, path: &KeyPath) -> Option<&'v mut Value> {
    path.0.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.as_table_mut()?.get_mut(k),
        Seg::Index(i) => v.as_array_mut()?.get_mut(*i),
    })
}

/// The names accepted at `path` if it holds an enum: deserialise again with a string no enum
/// accepts there and read serde's "unknown variant `...`, expected one of ..." list.
fn enum_choices<T: DeserializeOwned>(original: &Value, path: &KeyPath) -> Option<Vec<String>> {
    let mut probe = original.clone();
    *value_at_mut(&mut probe, path)? = Value::String("\u{1}".into());
    let e = serde_path_to_error::deserialize::<_, T>(probe).err()?;
    if serde_path(e.path()) != *path {
        return None;
    }
    let msg = e.inner().to_string();
    // toml appends "\nin `key`"; the list ends before it.
    let msg = msg.split("\nin `").next().unwrap_or(&msg);
    let rest = msg.strip_prefix("unknown variant")?;
    let (_, expected) = rest.split_once("expected")?;
    let choices: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (!choices.is_empty()).then_some(choices)
}

/// A value as a message names it: `true` (a boolean), 5 (a number), a table, ...
fn describe(v: &Value) -> String {
    match v {
        Value::Boolean(b) => format!("`{b}` (a boolean)"),
        Value::Integer(i) => format!("{i} (a number)"),
        Value::String(s) => format!("`{}`", cap_chars(s, 80)),
        Value::Datetime(d) => format!("{d} (a date)"),
        Value::Array(_) => "an array".into(),
        Value::Table(_) => "a table".into(),
        Value::Float(f) => format!("{f} (a number)"),
    }
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
    if let Some(m) = integer_out_of_range(msg) {
        return (m, None);
    }
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

/// serde on a whole-number key: "invalid value: integer `-1`, expected u64", or, for a literal
/// beyond i64 (kept as text by `convert`) or a float, "invalid type: string \"1e30\", expected
/// u64". Say the range instead.
fn integer_out_of_range(msg: &str) -> Option<String> {
    let (what, ty) = msg.rsplit_once(", expected ")?;
    let (lo, hi): (i128, i128) = match ty {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    };
    let got = if let Some(v) = what.strip_prefix("invalid value: integer ") {
        v.trim_matches('`').to_string()
    } else if let Some(v) = what.strip_prefix("invalid type: string ") {
        let v = v.trim_matches('"');
        let numeric = !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | '_'))
            && v.chars().any(|c| c.is_ascii_digit());
        let in_range = v.parse::<i128>().is_ok_and(|n| (lo..=hi).contains(&n));
        if numeric && !in_range {
            // A literal beyond i64 or a float, kept as its text by `convert`.
            v.to_string()
        } else {
            format!(
                "the string \"{}\" (write a number without quotes)",
                cap_chars(v, 80)
            )
        }
    } else if let Some(v) = what.strip_prefix("invalid type: floating point ") {
        v.trim_matches('`').to_string()
    } else {
        return None;
    };
    Some(format!(
        "must be a whole number from {lo} to {hi}, got {got}"
    ))
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
    fn duplicate_keys_are_named_with_their_table() {
        let text = "[phases.prod]\nresources.db = { kind = \"sqs\" }\n\n[phases.prod.resources.db]\nkind = \"sqs\"\n";
        let e = Document::parse("t.toml".into(), text.into()).unwrap_err();
        assert_eq!(e.position, Some((4, 24)));
        assert!(
            e.message
                .ends_with("duplicate key `phases.prod.resources.db` (defined twice)"),
            "{}",
            e.message
        );
        // A key line under a header, and a quoted key holding dots.
        let e = Document::parse("t.toml".into(), "[a . b]\nx = 1\nx = 2\n".into()).unwrap_err();
        assert!(
            e.message.ends_with("`a.b.x` (defined twice)"),
            "{}",
            e.message
        );
        let text = "[p.\"s.q\"]\nu = 1\n[p.\"s.q\"]\nu = 2\n";
        let e = Document::parse("t.toml".into(), text.into()).unwrap_err();
        assert!(
            e.message.ends_with("`p.\"s.q\"` (defined twice)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn integers_out_of_range_say_the_range() {
        assert_eq!(
            integer_out_of_range("invalid value: integer `-1`, expected u64").as_deref(),
            Some("must be a whole number from 0 to 18446744073709551615, got -1")
        );
        assert_eq!(
            integer_out_of_range("invalid type: string \"99999999999999999999\", expected u32")
                .as_deref(),
            Some("must be a whole number from 0 to 4294967295, got 99999999999999999999")
        );
        assert_eq!(
            integer_out_of_range("invalid type: string \"7\", expected u8").as_deref(),
            Some("must be a whole number from 0 to 255, got the string \"7\" (write a number without quotes)")
        );
        assert_eq!(
            integer_out_of_range("invalid type: string \"x\", expected a string"),
            None
        );
    }

    #[test]
    fn an_enum_of_the_wrong_type_lists_its_values() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "kebab-case")]
        enum Mode {
            Fast,
            SlowAndSteady,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            mode: Mode,
        }
        let doc = Document::parse("t.toml".into(), "mode = true\n".into()).unwrap();
        let e = doc
            .deserialize::<S>(doc.value.clone(), &KeyPath::root())
            .unwrap_err();
        assert_eq!(
            e.message,
            "expected one of `fast`, `slow-and-steady`, got `true` (a boolean)"
        );
        assert_eq!(e.key.as_deref(), Some("mode"));
    }

    #[test]
    fn special_files_are_refused() {
        let e = read_text(Path::new("/dev/null"), FileKind::PriceBook).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.to_string(),
            "/dev/null: is a character device, not a regular file\n  help: give a price book as a TOML file"
        );
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
