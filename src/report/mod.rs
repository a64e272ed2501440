//! Renderers. Each turns a [`Plan`] into text; `--out` writes them atomically.

pub mod bundle;
pub mod capacity;
pub mod charts;
pub mod check;
mod csv_out;
pub mod forecast;
mod json;
pub mod markdown;
pub mod sweep;
mod table;
pub mod view;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::Plan;

pub use json::{JsonEstimate, JsonLine, JsonPhase};
pub use view::View;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Table, Format::Json, Format::Csv, Format::Markdown];

    /// The name a user writes (`--format json`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "md",
        }
    }

    /// `r` in this format, in USD and as wide as its content.
    pub fn render(self, r: &dyn Render) -> Result<String> {
        self.render_view(r, &View::default())
    }

    /// `r` in this format, shown as `v` says (currency, width).
    pub fn render_view(self, r: &dyn Render, v: &View) -> Result<String> {
        Ok(match self {
            Format::Table => r.table(v),
            Format::Json => r.json(v),
            Format::Csv => r.csv(v)?,
            Format::Markdown => r.markdown(v),
        })
    }
}

/// A result every output format can show: a plan, a sweep, a comparison, a diff.
/// Money is USD in the result; `View` says the currency to show it in (CSV and JSON keep the
/// USD figures and add the converted ones) and the width terminal tables fit.
pub trait Render {
    fn table(&self, v: &View) -> String;
    fn markdown(&self, v: &View) -> String;
    fn csv(&self, v: &View) -> Result<String>;
    fn json(&self, v: &View) -> String;
}

/// `r` in each of `formats`, one after another (the stdout of a command).
pub fn render(r: &dyn Render, formats: &[Format], v: &View) -> Result<String> {
    let mut out = String::new();
    for f in formats {
        out.push_str(&f.render_view(r, v)?);
    }
    Ok(out)
}

impl Render for Plan {
    fn table(&self, v: &View) -> String {
        table::render(self, v)
    }
    fn markdown(&self, v: &View) -> String {
        markdown::render(self, v)
    }
    fn csv(&self, v: &View) -> Result<String> {
        csv_out::render(&self.estimate, v)
    }
    fn json(&self, v: &View) -> String {
        json::render(self, v)
    }
}

/// Pretty JSON with a final newline. Output types are strings, numbers and arrays, which
/// always serialise.
pub fn pretty_json(v: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The formats asked for, default table.
pub fn formats(f: &[Format]) -> Vec<Format> {
    formats_or(f, &[Format::Table])
}

/// The formats asked for, else `default`.
pub fn formats_or(f: &[Format], default: &[Format]) -> Vec<Format> {
    if f.is_empty() {
        default.to_vec()
    } else {
        f.to_vec()
    }
}

/// What `--out` writes by default: the machine-readable files and the Markdown report.
pub const OUT_FORMATS: [Format; 3] = [Format::Json, Format::Csv, Format::Markdown];

/// Write each (file name, contents) into `dir`, all or none (see [`bundle::write_all`]); one
/// "wrote PATH" note per file.
pub fn write_files(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Vec<String>> {
    bundle::write_all(dir, files)
}

/// A table of text cells: header, rows and which columns are right-aligned, rendered the same
/// way by every text format.
#[derive(Debug, Clone)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub right: Vec<bool>,
}

impl Grid {
    /// A terminal table (comfy-table) fitted to the view's width, ending with a newline.
    pub fn table(&self, v: &View) -> String {
        let rows: Vec<Vec<(String, bool)>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&self.right)
                    .map(|(c, r)| (c.clone(), *r))
                    .collect()
            })
            .collect();
        v.grid_table(&self.header, &rows, None)
    }

    /// A Markdown table (cells escaped), ending with a newline.
    pub fn markdown(&self) -> String {
        let esc = |s: &String| markdown::esc(s);
        let mut out = format!(
            "| {} |\n|",
            self.header.iter().map(esc).collect::<Vec<_>>().join(" | ")
        );
        for r in &self.right {
            out.push_str(if *r { "--:|" } else { "---|" });
        }
        out.push('\n');
        for row in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                row.iter().map(esc).collect::<Vec<_>>().join(" | ")
            ));
        }
        out
    }
}

/// CSV text from records whose first is the header.
pub(crate) fn csv_records(records: &[Vec<String>]) -> Result<String> {
    match records.split_first() {
        Some((h, rows)) => {
            let header: Vec<&str> = h.iter().map(String::as_str).collect();
            csv_text(&header, rows)
        }
        None => Ok(String::new()),
    }
}

/// CSV text from a header and rows of cells (quoting as needed).
pub(crate) fn csv_text<I, R, C>(header: &[&str], rows: I) -> Result<String>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = C>,
    C: AsRef<[u8]>,
{
    let err = |e: String| Error::io("write CSV", "<memory>", std::io::Error::other(e));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| err(e.to_string()))?;
    for r in rows {
        w.write_record(r).map_err(|e| err(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| err(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| err(e.to_string()))
}

/// Write `contents` to `dir/name` via a temporary file in the same directory and a rename, so
/// a reader never sees half a file.
pub fn write_atomic(dir: &Path, name: &str, contents: &[u8]) -> Result<PathBuf> {
    if name.contains('/') || name.contains('\\') || name.starts_with('.') || name.is_empty() {
        return Err(Error::io(
            "write",
            dir.join(name),
            std::io::Error::other("refusing a file name outside the output directory"),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
    let target = dir.join(name);
    let mut tmp = temp_builder()
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    tmp.write_all(contents)
        .map_err(|e| Error::io("write", tmp.path().to_path_buf(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io("sync", tmp.path().to_path_buf(), e))?;
    tmp.persist(&target)
        .map_err(|e| Error::io("rename into", &target, e.error))?;
    Ok(target)
}

/// Temporary files are private (0600) by default; a report is an ordinary file, so ask for
/// 0666 and let the user's umask decide, as for any file a program writes.
/// A run killed mid-write (SIGKILL skips the temp file's cleanup) can leave one of these behind,
/// hidden and recognisable, but never a partial report under the report's own name.
pub const TEMP_PREFIX: &str = ".costplan-";
pub const TEMP_SUFFIX: &str = ".tmp";

pub(crate) fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b
}

/// Column values of one line, shared by the table, Markdown and CSV renderers.
pub(crate) fn kind_label(kind: crate::cost::CostKind) -> &'static str {
    match kind {
        crate::cost::CostKind::Baseline => "baseline",
        crate::cost::CostKind::Usage => "usage",
    }
}

/// Monthly cost text: "depends on usage" when there is no usage; `rounded` is already in the
/// display currency.
pub(crate) fn cost_cell(
    line: &crate::cost::CostLine,
    rounded: rust_decimal::Decimal,
    v: &View,
) -> String {
    if line.usage_source == crate::cost::UsageSource::None {
        "depends on usage".into()
    } else {
        v.fmt(rounded)
    }
}

/// "+12.3%" change of `cur` against `prev`.
pub(crate) fn change(
    prev: Option<rust_decimal::Decimal>,
    cur: rust_decimal::Decimal,
    v: &View,
) -> String {
    match prev {
        None => "-".into(),
        Some(p) if p.is_zero() => "n/a".into(),
        Some(p) => {
            let diff = cur - p;
            // A tiny previous total makes the ratio overflow; show it as not applicable.
            let Some(pct) = diff
                .checked_div(p)
                .and_then(|r| r.checked_mul(rust_decimal::Decimal::ONE_HUNDRED))
                .map(|r| r.round_dp(1))
            else {
                return "n/a".into();
            };
            format!(
                "{}{} ({}{pct}%)",
                if diff >= rust_decimal::Decimal::ZERO {
                    "+"
                } else {
                    "-"
                },
                v.money(diff.abs()),
                if pct >= rust_decimal::Decimal::ZERO {
                    "+"
                } else {
                    ""
                }
            )
        }
    }
}
