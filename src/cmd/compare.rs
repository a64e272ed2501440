//! `costplan compare`: phases of one or more scenarios side by side, one column per
//! `scenario/phase`, one row per service, with a total row and differences against the first
//! column.

use indexmap::IndexMap;
use rust_decimal::Decimal;

use crate::cli::{BookArgs, CompareArgs, RunArgs};
use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::money::{exact, fmt_money, round_lines};
use crate::report::Format;

use super::run::Outcome;

/// Load and price one scenario the way `run` does (same books, budget and seed rules).
pub(crate) fn load(
    scenario: &std::path::Path,
    phase: Option<&str>,
    budget: Option<Decimal>,
    books: &BookArgs,
) -> Result<Estimate> {
    super::run::load_and_estimate(&RunArgs {
        scenario: scenario.to_path_buf(),
        phase: phase.map(str::to_string),
        format: Vec::new(),
        out: None,
        seed: None,
        fail_on_trigger: false,
        budget,
        books: BookArgs {
            pricing_dir: books.pricing_dir.clone(),
        },
    })
}

/// One column: a phase of a scenario.
#[derive(Debug, Clone)]
pub struct Column {
    pub label: String,
    pub by_service: IndexMap<String, Decimal>,
    pub total: Decimal,
    pub budget: Option<Decimal>,
}

/// The comparison: columns and the union of their services in first-seen order.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub columns: Vec<Column>,
    pub services: Vec<String>,
}

impl Comparison {
    pub fn new(estimates: &[Estimate]) -> Self {
        let single = estimates.len() == 1;
        let mut columns = Vec::new();
        let mut services: Vec<String> = Vec::new();
        for e in estimates {
            for p in &e.phases {
                let by_service = p.by_service();
                for s in by_service.keys() {
                    if !services.contains(s) {
                        services.push(s.clone());
                    }
                }
                columns.push(Column {
                    label: if single {
                        p.name.clone()
                    } else {
                        format!("{}/{}", e.scenario, p.name)
                    },
                    by_service,
                    total: p.monthly_total(),
                    budget: e.budget,
                });
            }
        }
        Comparison { columns, services }
    }

    fn value(&self, col: usize, service: &str) -> Option<Decimal> {
        self.columns[col].by_service.get(service).copied()
    }

    /// Columns over their budget, as messages.
    pub fn over_budget(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter_map(|c| {
                let b = c.budget?;
                (c.total > b).then(|| {
                    format!(
                        "`{}` costs {}/month, over the budget of {}",
                        c.label,
                        fmt_money(c.total),
                        fmt_money(b)
                    )
                })
            })
            .collect()
    }

    /// The displayed grid: every amount rounded to cents, each column adding up to its total
    /// (a `Rounding` row when needed), the difference column equal to the displayed second
    /// column minus the displayed first, row by row, and the difference row equal to each
    /// displayed total minus the first displayed total.
    pub fn grid(&self) -> Grid {
        let n = self.columns.len();
        let mut rounded = Vec::with_capacity(n);
        let mut adjust = Vec::with_capacity(n);
        for c in &self.columns {
            let vals: Vec<Decimal> = self
                .services
                .iter()
                .map(|s| c.by_service.get(s).copied().unwrap_or_default())
                .collect();
            let (r, a) = round_lines(&vals);
            rounded.push(r);
            adjust.push(a);
        }
        let diff_col = n == 2;
        let mut header = vec!["Service".to_string()];
        header.extend(self.columns.iter().map(|c| c.label.clone()));
        if diff_col {
            header.push(format!("Difference vs {}", self.columns[0].label));
        }
        let mut rows = Vec::new();
        for (i, s) in self.services.iter().enumerate() {
            let mut row = vec![s.clone()];
            for (c, r) in rounded.iter().enumerate() {
                row.push(match self.value(c, s) {
                    Some(_) => fmt_money(r[i]),
                    None => "-".into(),
                });
            }
            if diff_col {
                row.push(signed(rounded[1][i] - rounded[0][i]));
            }
            rows.push(row);
        }
        if adjust.iter().any(|a| !a.is_zero()) {
            let mut row = vec!["Rounding".to_string()];
            row.extend(adjust.iter().map(|a| fmt_money(*a)));
            if diff_col {
                row.push(signed(adjust[1] - adjust[0]));
            }
            rows.push(row);
        }
        let shown: Vec<Decimal> = self
            .columns
            .iter()
            .map(|c| crate::money::round_cents(c.total))
            .collect();
        let mut total = vec!["Total".to_string()];
        total.extend(shown.iter().map(|t| fmt_money(*t)));
        if diff_col {
            total.push(signed(shown[1] - shown[0]));
        }
        rows.push(total);
        if n > 1 {
            let mut row = vec![format!("Difference vs {}", self.columns[0].label)];
            row.push("-".into());
            for c in self.columns.iter().skip(1) {
                row.push(crate::report::change(Some(self.columns[0].total), c.total));
            }
            if diff_col {
                row.push(String::new());
            }
            rows.push(row);
        }
        if self.columns.iter().any(|c| c.budget.is_some()) {
            let mut row = vec!["Budget".to_string()];
            row.extend(
                self.columns
                    .iter()
                    .map(|c| c.budget.map_or("-".into(), fmt_money)),
            );
            if diff_col {
                row.push(String::new());
            }
            rows.push(row);
        }
        let right = (0..header.len()).map(|i| i > 0).collect();
        Grid {
            header,
            rows,
            right,
        }
    }

    pub fn json(&self) -> String {
        let first = &self.columns[0];
        let rows: Vec<serde_json::Value> = self
            .services
            .iter()
            .map(|s| {
                let v0 = first.by_service.get(s).copied().unwrap_or_default();
                serde_json::json!({
                    "service": s,
                    "values": self.columns.iter().map(|c| exact(c.by_service.get(s).copied().unwrap_or_default())).collect::<Vec<_>>(),
                    "differences": self.columns.iter().map(|c| exact(c.by_service.get(s).copied().unwrap_or_default() - v0)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = serde_json::json!({
            "columns": self.columns.iter().map(|c| c.label.clone()).collect::<Vec<_>>(),
            "rows": rows,
            "totals": self.columns.iter().map(|c| exact(c.total)).collect::<Vec<_>>(),
            "differences": self.columns.iter().map(|c| exact(c.total - first.total)).collect::<Vec<_>>(),
            "budgets": self.columns.iter().map(|c| c.budget.map(exact)).collect::<Vec<_>>(),
        });
        // A `Value` of strings and arrays always serialises.
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn csv(&self) -> Result<String> {
        let mut header = vec!["service".to_string()];
        header.extend(self.columns.iter().map(|c| c.label.clone()));
        let mut records = vec![header];
        for s in &self.services {
            let mut r = vec![s.clone()];
            r.extend(
                self.columns
                    .iter()
                    .map(|c| exact(c.by_service.get(s).copied().unwrap_or_default())),
            );
            records.push(r);
        }
        crate::report::csv_records(&records)
    }
}

/// `+1.23` / `-1.23` / `0.00`.
pub(crate) fn signed(v: Decimal) -> String {
    let r = crate::money::round_cents(v);
    if r > Decimal::ZERO {
        format!("+{}", fmt_money(r))
    } else {
        fmt_money(r)
    }
}

pub use crate::report::{formats, Grid};

/// Compare: the rendered comparison and, with a budget, the columns over it (exit 1).
pub fn compare(args: &CompareArgs) -> Result<Outcome> {
    let mut estimates = Vec::with_capacity(args.scenarios.len());
    for s in &args.scenarios {
        estimates.push(load(s, args.phase.as_deref(), args.budget, &args.books)?);
    }
    let cmp = Comparison::new(&estimates);
    let mut stdout = String::new();
    for f in formats(&args.format) {
        stdout.push_str(&match f {
            Format::Table => {
                format!("Monthly cost per service (USD)\n{}", cmp.grid().table())
            }
            Format::Markdown => format!(
                "# Cost comparison\n\nMonthly cost per service (USD), rounded to cents; each \
                 column adds up to its total.\n\n{}",
                cmp.grid().markdown()
            ),
            Format::Json => cmp.json(),
            Format::Csv => cmp.csv()?,
        });
    }
    let over = cmp.over_budget();
    Ok(Outcome {
        stdout,
        notes: Vec::new(),
        failed: (!over.is_empty()).then(|| Error::CheckFailed(over.join("\n"))),
    })
}
