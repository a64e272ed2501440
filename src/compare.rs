//! Comparisons: phases of one or more scenarios side by side, one column per `scenario/phase`,
//! one row per service, with a total row and differences against the first column.

use indexmap::IndexMap;
use rust_decimal::Decimal;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::money::{exact, fmt_money};
use crate::plan::Plan;
use crate::report::View;
use crate::report::{Grid, Render};

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
    pub fn new(plans: &[Plan]) -> Self {
        let single = plans.len() == 1;
        let mut columns = Vec::new();
        let mut services: Vec<String> = Vec::new();
        for plan in plans {
            let e = &plan.estimate;
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
                    budget: plan.budget,
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
    pub fn grid(&self, v: &View) -> Grid {
        let n = self.columns.len();
        let mut rounded = Vec::with_capacity(n);
        let mut adjust = Vec::with_capacity(n);
        for c in &self.columns {
            let vals: Vec<Decimal> = self
                .services
                .iter()
                .map(|s| c.by_service.get(s).copied().unwrap_or_default())
                .collect();
            let (r, a) = v.round_lines(&vals);
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
                    Some(_) => v.fmt(r[i]),
                    None => "-".into(),
                });
            }
            if diff_col {
                row.push(v.signed(rounded[1][i] - rounded[0][i]));
            }
            rows.push(row);
        }
        if adjust.iter().any(|a| !a.is_zero()) {
            let mut row = vec!["Rounding".to_string()];
            row.extend(adjust.iter().map(|a| v.fmt(*a)));
            if diff_col {
                row.push(v.signed(adjust[1] - adjust[0]));
            }
            rows.push(row);
        }
        let shown: Vec<Decimal> = self.columns.iter().map(|c| v.shown(c.total)).collect();
        let mut total = vec!["Total".to_string()];
        total.extend(shown.iter().map(|t| v.fmt(*t)));
        if diff_col {
            total.push(v.signed(shown[1] - shown[0]));
        }
        rows.push(total);
        if n > 1 {
            let mut row = vec![format!("Difference vs {}", self.columns[0].label)];
            row.push("-".into());
            for c in self.columns.iter().skip(1) {
                row.push(crate::report::change(
                    Some(self.columns[0].total),
                    c.total,
                    v,
                ));
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
                    .map(|c| c.budget.map_or("-".into(), |b| v.money(b))),
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

    pub fn to_json(&self, v: &View) -> JsonComparison {
        let first = &self.columns[0];
        let value = |c: &Column, s: &str| c.by_service.get(s).copied().unwrap_or_default();
        JsonComparison {
            columns: self.columns.iter().map(|c| c.label.clone()).collect(),
            rows: self
                .services
                .iter()
                .map(|s| JsonCompareRow {
                    service: s.clone(),
                    values: self.columns.iter().map(|c| exact(value(c, s))).collect(),
                    differences: self
                        .columns
                        .iter()
                        .map(|c| exact(value(c, s) - value(first, s)))
                        .collect(),
                })
                .collect(),
            totals: self.columns.iter().map(|c| exact(c.total)).collect(),
            differences: self
                .columns
                .iter()
                .map(|c| exact(c.total - first.total))
                .collect(),
            budgets: self.columns.iter().map(|c| c.budget.map(exact)).collect(),
            display: v.json_display(),
            display_totals: if v.currency.is_usd() {
                Vec::new()
            } else {
                self.columns
                    .iter()
                    .filter_map(|c| v.json_amount(c.total))
                    .collect()
            },
        }
    }

    fn csv_text(&self, v: &View) -> Result<String> {
        let mut header = vec!["service".to_string()];
        header.extend(self.columns.iter().map(|c| c.label.clone()));
        let converted = !v.currency.is_usd();
        if converted {
            // The USD columns stay; each gets its converted twin, named with the rate.
            header.extend(self.columns.iter().map(|c| {
                format!(
                    "{} ({} at {}/USD{})",
                    c.label,
                    v.code(),
                    exact(v.currency.rate),
                    v.currency
                        .rate_date
                        .as_ref()
                        .map_or(String::new(), |d| format!(", {d}"))
                )
            }));
        }
        let mut records = vec![header];
        for s in &self.services {
            let mut r = vec![s.clone()];
            r.extend(
                self.columns
                    .iter()
                    .map(|c| exact(c.by_service.get(s).copied().unwrap_or_default())),
            );
            if converted {
                r.extend(self.columns.iter().map(|c| {
                    v.json_amount(c.by_service.get(s).copied().unwrap_or_default())
                        .unwrap_or_default()
                }));
            }
            records.push(r);
        }
        crate::report::csv_records(&records)
    }
}

/// `compare --format json`: exact amounts as strings, in column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonComparison {
    pub columns: Vec<String>,
    pub rows: Vec<JsonCompareRow>,
    pub totals: Vec<String>,
    /// Each column's total minus the first column's.
    pub differences: Vec<String>,
    pub budgets: Vec<Option<String>>,
    /// The display currency of `display_totals` (absent in USD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<crate::report::view::JsonDisplay>,
    /// Each column's total in the display currency, exact (empty in USD).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub display_totals: Vec<String>,
}

/// One service: its amount per column and the difference to the first column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonCompareRow {
    pub service: String,
    pub values: Vec<String>,
    pub differences: Vec<String>,
}

impl Render for Comparison {
    fn table(&self, v: &View) -> String {
        format!(
            "Monthly cost per service ({})\n{}{}",
            v.code(),
            v.currency_line(),
            self.grid(v).table(v)
        )
    }
    fn markdown(&self, v: &View) -> String {
        format!(
            "# Cost comparison\n\nMonthly cost per service ({}), rounded to {}; each \
             column adds up to its total.{}\n\n{}",
            v.code(),
            v.rounded_to(),
            v.currency_note()
                .map_or(String::new(), |n| format!(" {n}.")),
            self.grid(v).markdown()
        )
    }
    fn csv(&self, v: &View) -> Result<String> {
        self.csv_text(v)
    }
    fn json(&self, v: &View) -> String {
        crate::report::pretty_json(&self.to_json(v))
    }
}
