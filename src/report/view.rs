//! How a result is shown, beyond its format: the display currency and the terminal width.
//!
//! [`View::default`] is the plain rendering (USD, tables as wide as their content, notes in
//! their column); the CLI fills in the currency and the width it detected.

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthChar;

use crate::currency::DisplayCurrency;

/// The narrowest table width costplan lays out (a breakdown needs about this much).
pub const MIN_WIDTH: u16 = 40;

#[derive(Debug, Clone)]
pub struct View {
    /// Money is shown in this currency (USD: as computed).
    pub currency: DisplayCurrency,
    /// Fit terminal tables into this many columns, moving long notes into numbered footnotes;
    /// `None`: as wide as the content, notes inline.
    pub width: Option<u16>,
    /// Leave the notes out of terminal tables (CSV, JSON and Markdown keep them).
    pub no_notes: bool,
}

impl Default for View {
    fn default() -> View {
        View {
            currency: DisplayCurrency::usd(),
            width: None,
            no_notes: false,
        }
    }
}

impl View {
    /// The view of report files: the same currency, notes inline, as wide as their content.
    pub fn full(&self) -> View {
        View {
            width: None,
            no_notes: false,
            ..self.clone()
        }
    }

    /// The display currency's code (`USD`, `JPY`).
    pub fn code(&self) -> &str {
        &self.currency.code
    }

    /// A USD amount in the display currency, rounded and formatted.
    pub fn money(&self, usd: Decimal) -> String {
        self.currency.money(usd)
    }

    /// An amount already in the display currency, formatted.
    pub fn fmt(&self, amount: Decimal) -> String {
        self.currency.fmt(amount)
    }

    /// `$0.0000166667`, `¥0.002500005`: a unit price converted at full precision, never
    /// fewer decimals than the currency is written with.
    pub fn unit_price(&self, usd: Decimal) -> String {
        let Some(v) = self.currency.convert(usd) else {
            return "overflow".into();
        };
        let n = v.normalize();
        let digits = if n.scale() < self.currency.decimals {
            format!("{:.*}", self.currency.decimals as usize, n)
        } else {
            n.to_string()
        };
        format!("{}{digits}", self.currency.symbol())
    }

    /// A USD amount as shown: converted and rounded, still a number.
    pub fn shown(&self, usd: Decimal) -> Decimal {
        self.currency
            .round(self.currency.convert(usd).unwrap_or_default())
    }

    /// `+1,234` / `-1,234` / `0`: a displayed (converted, rounded) difference with its sign.
    pub fn signed(&self, amount: Decimal) -> String {
        let r = self.currency.round(amount);
        if r > Decimal::ZERO {
            format!("+{}", self.fmt(r))
        } else {
            self.fmt(r)
        }
    }

    /// See [`DisplayCurrency::round_lines`].
    pub fn round_lines(&self, usd: &[Decimal]) -> (Vec<Decimal>, Decimal) {
        self.currency.round_lines(usd)
    }

    /// What the lines are rounded to: `cents`, `whole JPY`.
    pub fn rounded_to(&self) -> String {
        if self.currency.decimals == 0 {
            format!("whole {}", self.code())
        } else {
            "cents".into()
        }
    }

    /// The conversion sentence (rate, date, rounding), `None` in USD.
    pub fn currency_note(&self) -> Option<String> {
        self.currency.note()
    }

    /// The conversion sentence as a line of text output (empty in USD).
    pub fn currency_line(&self) -> String {
        self.currency_note().map_or(String::new(), |n| {
            format!("{}\n", self.wrap(&format!("{n}."), 0))
        })
    }

    /// Whether terminal tables show notes as footnote numbers (a width is set).
    pub fn footnotes(&self) -> bool {
        self.width.is_some() && !self.no_notes
    }

    /// An empty terminal table in costplan's style, fitted to the width if there is one.
    pub fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED);
        if let Some(w) = self.width {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        t
    }

    /// A table in costplan's style from a header and rows of (text, right-aligned) cells,
    /// fitted to the width: right-aligned columns (numbers, money) keep their content width
    /// and the text columns wrap, unless that cannot fit, then every column may wrap. `keep`
    /// names the columns that keep their width instead (default: the right-aligned ones).
    pub fn grid_table(
        &self,
        header: &[String],
        rows: &[Vec<(String, bool)>],
        keep: Option<&[bool]>,
    ) -> String {
        use comfy_table::{Cell, CellAlignment, ColumnConstraint};
        let build = |keep_numbers: bool| {
            let mut t = self.table();
            t.set_header(header.iter().map(Cell::new));
            for row in rows {
                t.add_row(row.iter().map(|(v, r)| {
                    let c = Cell::new(v);
                    if *r {
                        c.set_alignment(CellAlignment::Right)
                    } else {
                        c
                    }
                }));
            }
            if keep_numbers {
                let right: Vec<bool> = match keep {
                    Some(k) => k.to_vec(),
                    None => (0..header.len())
                        .map(|i| rows.iter().any(|r| r.get(i).is_some_and(|c| c.1)))
                        .collect(),
                };
                for (col, r) in t.column_iter_mut().zip(right) {
                    if r {
                        col.set_constraint(ColumnConstraint::ContentWidth);
                    }
                }
            }
            format!("{t}\n")
        };
        let Some(w) = self.width else {
            return build(false);
        };
        let fitted = build(true);
        if max_width(&fitted) <= usize::from(w) {
            fitted
        } else {
            build(false)
        }
    }

    /// `text` wrapped to the width (by display width: a Japanese character counts 2), later
    /// lines indented by `indent` spaces; unchanged without a width.
    pub fn wrap(&self, text: &str, indent: usize) -> String {
        match self.width {
            Some(w) => wrap(text, usize::from(w), indent),
            None => text.to_string(),
        }
    }
}

/// The CSV cells a display currency adds to a row with a USD amount: code, rate, rate date,
/// exact converted amount.
pub const DISPLAY_CSV_HEADER: [&str; 4] = [
    "display_currency",
    "display_rate",
    "display_rate_date",
    "display_monthly_cost",
];

pub fn display_cells(c: &DisplayCurrency, usd: Decimal) -> [String; 4] {
    [
        c.code.clone(),
        crate::money::exact(c.rate),
        c.rate_date.clone().unwrap_or_default(),
        c.convert(usd).map_or(String::new(), crate::money::exact),
    ]
}

/// The display currency in JSON output: what the `display_*` amounts are in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonDisplay {
    pub currency: String,
    /// Units of `currency` per USD.
    pub rate: String,
    pub rate_date: Option<String>,
    /// The rule the tables round by; the `display_*` figures here are exact.
    pub rounding: String,
}

impl View {
    /// The `display` object of JSON output; `None` in USD.
    pub fn json_display(&self) -> Option<JsonDisplay> {
        let c = &self.currency;
        (!c.is_usd()).then(|| JsonDisplay {
            currency: c.code.clone(),
            rate: crate::money::exact(c.rate),
            rate_date: c.rate_date.clone(),
            rounding: format!(
                "exact USD x rate; tables round to {}, half away from zero",
                self.rounded_to()
            ),
        })
    }

    /// A USD amount converted, exact, for JSON; `None` in USD.
    pub fn json_amount(&self, usd: Decimal) -> Option<String> {
        (!self.currency.is_usd())
            .then(|| self.currency.convert(usd).map(crate::money::exact))
            .flatten()
    }
}

/// Notes moved out of a table: each distinct text gets a number, listed under the table.
#[derive(Debug, Default)]
pub struct Footnotes {
    notes: Vec<String>,
}

impl Footnotes {
    /// The reference for `text` (`[3]`), numbering it if new; empty text gets no reference.
    pub fn mark(&mut self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        let n = match self.notes.iter().position(|t| t == text) {
            Some(i) => i + 1,
            None => {
                self.notes.push(text.to_string());
                self.notes.len()
            }
        };
        format!("[{n}]")
    }

    /// `[1] text` lines, wrapped to the view's width with a hanging indent.
    pub fn render(&self, v: &View) -> String {
        let mut out = String::new();
        for (i, n) in self.notes.iter().enumerate() {
            let mark = format!("[{}] ", i + 1);
            out.push_str(&v.wrap(&format!("{mark}{n}"), mark.len()));
            out.push('\n');
        }
        out
    }
}

/// The display width of the widest line of `text`.
pub fn max_width(text: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Greedy word wrap by display width; a word wider than the line (a URL, a run of Japanese
/// text without spaces) is broken between characters.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let width = width.max(indent + 10);
    let cw = |c: char| c.width().unwrap_or(0);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    // Nothing but the indent on the line yet.
    let mut fresh = true;
    for word in text.split(' ') {
        let ww: usize = word.chars().map(cw).sum();
        let sep = usize::from(!fresh);
        // A word that fits on a line of its own starts one; a longer word is broken where
        // the line ends.
        if !fresh && used + sep + ww > width && ww <= width - indent {
            lines.push(std::mem::take(&mut line));
            line.push_str(&" ".repeat(indent));
            used = indent;
        } else if !fresh {
            line.push(' ');
            used += 1;
        }
        for c in word.chars() {
            if used + cw(c) > width && used > indent {
                lines.push(std::mem::take(&mut line));
                line.push_str(&" ".repeat(indent));
                used = indent;
            }
            line.push(c);
            used += cw(c);
        }
        fresh = false;
    }
    lines.push(line);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn wrapped_lines_fit_by_display_width() {
        let text = "[1] フェーズ4：月間アクティブユーザーが1,000人を超えたとき、または \
                    Lambda の同時実行数がしばしば20を超えるとき https://aws.amazon.com/lambda/pricing/";
        for w in [20, 33, 80] {
            let out = wrap(text, w, 4);
            for l in out.lines() {
                assert!(l.width() <= w, "{w}: `{l}` is {}", l.width());
            }
            // Nothing lost but the spaces at the breaks.
            let squash = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squash(&out), squash(text));
        }
    }

    #[test]
    fn footnotes_number_each_distinct_note_once() {
        let mut f = Footnotes::default();
        assert_eq!(f.mark("a"), "[1]");
        assert_eq!(f.mark("b"), "[2]");
        assert_eq!(f.mark("a"), "[1]");
        assert_eq!(f.mark(""), "");
        assert_eq!(f.render(&View::default()), "[1] a\n[2] b\n");
        // Later lines hang under the text, one indent, no extra space.
        assert_eq!(
            wrap("[1] aaaa bbbb cccc dddd", 14, 4),
            "[1] aaaa bbbb\n    cccc dddd"
        );
    }
}
