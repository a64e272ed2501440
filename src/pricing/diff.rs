//! `costplan pricing diff OLD NEW`: every price added, removed or changed between two books,
//! with the change of the first-tier price in percent.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Price, PriceBook};
use crate::money::fmt_number;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Changed,
    Added,
    Removed,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriceDiff {
    pub key: String,
    pub change: Change,
    /// The price as the book states it (`0.05 per hour`, tiers joined by `; `).
    pub old: Option<String>,
    pub new: Option<String>,
    /// (new - old) / old x 100 of the first tier, 2 decimals; none when added, removed or old = 0.
    pub percent: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BookDiff {
    pub old: String,
    pub new: String,
    pub unchanged: usize,
    pub prices: Vec<PriceDiff>,
}

fn show(p: &Price) -> String {
    let per = if p.per == Decimal::ONE {
        String::new()
    } else {
        format!(" (per {})", fmt_number(p.per))
    };
    let tiers: Vec<String> = p
        .tiers
        .iter()
        .map(|t| match t.up_to {
            Some(u) if p.tiers.len() > 1 => {
                format!("{} up to {}", fmt_number(t.price), fmt_number(u))
            }
            _ if p.tiers.len() > 1 => format!("{} above", fmt_number(t.price)),
            _ => fmt_number(t.price),
        })
        .collect();
    format!("{} per {}{per}", tiers.join("; "), p.unit)
}

fn same(a: &Price, b: &Price) -> bool {
    a.unit == b.unit && a.per == b.per && a.tiers == b.tiers
}

pub fn diff(old: &PriceBook, new: &PriceBook) -> BookDiff {
    let mut prices = Vec::new();
    let mut unchanged = 0;
    for (k, o) in &old.prices {
        match new.get(k) {
            None => prices.push(PriceDiff {
                key: k.clone(),
                change: Change::Removed,
                old: Some(show(o)),
                new: None,
                percent: None,
            }),
            Some(n) if same(o, n) => unchanged += 1,
            Some(n) => {
                let (a, b) = (o.first(), n.first());
                let percent = (!a.is_zero() && o.unit == n.unit && o.per == n.per)
                    .then(|| ((b - a) / a * Decimal::from(100)).round_dp(2).normalize());
                prices.push(PriceDiff {
                    key: k.clone(),
                    change: Change::Changed,
                    old: Some(show(o)),
                    new: Some(show(n)),
                    percent,
                });
            }
        }
    }
    for (k, n) in &new.prices {
        if old.get(k).is_none() {
            prices.push(PriceDiff {
                key: k.clone(),
                change: Change::Added,
                old: None,
                new: Some(show(n)),
                percent: None,
            });
        }
    }
    BookDiff {
        old: old.file.clone(),
        new: new.file.clone(),
        unchanged,
        prices,
    }
}

impl BookDiff {
    pub fn table(&self) -> String {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED);
        t.set_header(["Key", "Change", "Old", "New", "Change %"]);
        for p in &self.prices {
            t.add_row(vec![
                p.key.clone(),
                format!("{:?}", p.change).to_lowercase(),
                p.old.clone().unwrap_or_default(),
                p.new.clone().unwrap_or_default(),
                p.percent.map_or(String::new(), |v| {
                    format!("{}{}%", if v > Decimal::ZERO { "+" } else { "" }, v)
                }),
            ]);
        }
        let count = |c: Change| self.prices.iter().filter(|p| p.change == c).count();
        format!(
            "{} -> {}: {} changed, {} added, {} removed, {} unchanged\n{t}\n",
            self.old,
            self.new,
            count(Change::Changed),
            count(Change::Added),
            count(Change::Removed),
            self.unchanged
        )
    }

    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(prices: &str) -> PriceBook {
        PriceBook::parse(
            "t.toml",
            &format!("region = \"r\"\ncurrency = \"USD\"\n[sources.s]\nurl = \"u\"\nas_of = \"2026-01-01\"\n{prices}"),
        )
        .unwrap()
    }

    #[test]
    fn changed_added_removed_with_percent() {
        let old = book(
            "[prices.a]\nunit = \"hour\"\nprice = \"0.05\"\nsource = \"s\"\n\
             [prices.b]\nunit = \"hour\"\nprice = \"0.10\"\nsource = \"s\"\n\
             [prices.c]\nunit = \"hour\"\nprice = \"1\"\nsource = \"s\"\n",
        );
        let new = book(
            "[prices.a]\nunit = \"hour\"\nprice = \"0.101\"\nsource = \"s\"\n\
             [prices.c]\nunit = \"hour\"\nprice = \"1.000\"\nsource = \"s\"\n\
             [prices.d]\nunit = \"hour\"\nprice = \"2\"\nsource = \"s\"\n",
        );
        let d = diff(&old, &new);
        // a: (0.101 - 0.05) / 0.05 = 1.02 -> +102%; c: 1 = 1.000, unchanged.
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.prices.len(), 3);
        assert_eq!(d.prices[0].key, "a");
        assert_eq!(d.prices[0].percent, Some(Decimal::from(102)));
        assert_eq!(d.prices[1].change, Change::Removed);
        assert_eq!(d.prices[2].change, Change::Added);
        assert!(d.table().contains("+102%"), "{}", d.table());
    }
}
