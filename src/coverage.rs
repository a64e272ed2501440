//! `costplan pricing coverage`: how much of the key space each region's book prices, and which
//! library scenarios price in which region without a missing key.

use std::path::{Path, PathBuf};

use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use indexmap::IndexMap;
use serde::Serialize;

use crate::error::Result;
use crate::pricing::{BookSource, PriceBook, Trust};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub present: usize,
    pub missing: usize,
    pub low_trust: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceRow {
    pub service: String,
    /// Keys of this service in any book: the universe each region is measured against.
    pub keys: usize,
    /// By region, in the order asked.
    pub regions: IndexMap<String, Counts>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioRow {
    pub scenario: String,
    /// The region the scenario names.
    pub region: String,
    /// By region: `None` when every price is found, else the first missing key.
    pub missing: IndexMap<String, Option<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub regions: Vec<String>,
    pub services: Vec<ServiceRow>,
    pub scenarios: Vec<ScenarioRow>,
}

/// The key in "no price for `KEY` in ...".
fn missing_key(message: &str) -> Option<String> {
    let rest = message.split_once("no price for `")?.1;
    Some(rest.split_once('`')?.0.to_string())
}

/// Coverage of `regions` (every region with a book when empty) by the books of `source`, and
/// whether each scenario file prices in each region. Scenarios are planned as `run` plans them
/// (with the traffic simulation): usage that only the simulator derives asks for its prices too.
pub fn coverage(
    source: &BookSource,
    regions: &[String],
    scenarios: &[PathBuf],
) -> Result<Coverage> {
    let all = source.regions();
    let books: Vec<PriceBook> = all.iter().map(|r| source.load(r)).collect::<Result<_>>()?;
    let wanted: Vec<String> = if regions.is_empty() {
        all.clone()
    } else {
        for r in regions {
            source.load(r)?;
        }
        regions.to_vec()
    };
    // The universe: every key any book holds, grouped by service in first-seen order.
    let mut universe: IndexMap<String, Vec<String>> = IndexMap::new();
    for b in &books {
        for k in b.prices.keys() {
            let svc = k.split('.').next().unwrap_or(k).to_string();
            let v = universe.entry(svc).or_default();
            if !v.contains(k) {
                v.push(k.clone());
            }
        }
    }
    let book_of = |r: &str| books.iter().find(|b| b.region == r);
    let mut services = Vec::new();
    for (svc, keys) in &universe {
        let mut per = IndexMap::new();
        for r in &wanted {
            let b = book_of(r);
            let mut c = Counts {
                present: 0,
                missing: 0,
                low_trust: 0,
            };
            for k in keys {
                match b.and_then(|b| b.get(k)) {
                    Some(p) => {
                        c.present += 1;
                        if p.trust == Trust::Low {
                            c.low_trust += 1;
                        }
                    }
                    None => c.missing += 1,
                }
            }
            per.insert(r.clone(), c);
        }
        services.push(ServiceRow {
            service: svc.clone(),
            keys: keys.len(),
            regions: per,
        });
    }
    let catalog = source.catalog()?;
    let mut rows = Vec::new();
    for path in scenarios {
        let scenario = crate::scenario::Scenario::load(path, &catalog)?;
        let mut missing = IndexMap::new();
        for r in &wanted {
            let Some(book) = book_of(r) else { continue };
            let m = match crate::plan::plan(&scenario, book, Default::default()) {
                Ok(_) => None,
                Err(e) => Some(
                    missing_key(&e.to_string())
                        .unwrap_or_else(|| e.to_string().lines().next().unwrap_or("").to_string()),
                ),
            };
            missing.insert(r.clone(), m);
        }
        rows.push(ScenarioRow {
            scenario: path.display().to_string(),
            region: scenario.region.clone(),
            missing,
        });
    }
    Ok(Coverage {
        regions: wanted,
        services,
        scenarios: rows,
    })
}

/// `scenarios/*.toml` under `dir`, sorted by name.
pub fn library_scenarios(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

impl Coverage {
    pub fn table(&self) -> String {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED);
        let mut head = vec!["Service".to_string(), "Keys".to_string()];
        for r in &self.regions {
            head.push(format!("{r}\npresent / missing / low"));
        }
        t.set_header(head);
        let mut totals: Vec<Counts> = vec![
            Counts {
                present: 0,
                missing: 0,
                low_trust: 0
            };
            self.regions.len()
        ];
        let mut keys = 0;
        for s in &self.services {
            keys += s.keys;
            let mut row = vec![s.service.clone(), s.keys.to_string()];
            for (i, r) in self.regions.iter().enumerate() {
                let c = &s.regions[r];
                totals[i].present += c.present;
                totals[i].missing += c.missing;
                totals[i].low_trust += c.low_trust;
                row.push(format!("{} / {} / {}", c.present, c.missing, c.low_trust));
            }
            t.add_row(row);
        }
        let mut row = vec!["total".to_string(), keys.to_string()];
        for c in &totals {
            row.push(format!("{} / {} / {}", c.present, c.missing, c.low_trust));
        }
        t.add_row(row);
        let mut out = format!("Price coverage (keys of every book; low = low trust)\n{t}\n");
        if !self.scenarios.is_empty() {
            let mut s = Table::new();
            s.load_style(UTF8_FULL_CONDENSED);
            let mut head = vec!["Scenario".to_string(), "Its region".to_string()];
            head.extend(self.regions.iter().cloned());
            s.set_header(head);
            for row in &self.scenarios {
                let mut cells = vec![row.scenario.clone(), row.region.clone()];
                for r in &self.regions {
                    cells.push(match row.missing.get(r) {
                        Some(None) => "runs".to_string(),
                        Some(Some(k)) => format!("missing {k}"),
                        None => "-".to_string(),
                    });
                }
                s.add_row(cells);
            }
            out.push_str(&format!(
                "\nLibrary scenarios priced in each region (first missing price shown)\n{s}\n"
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_missing_key() {
        assert_eq!(
            super::missing_key("x.toml:3:1: no price for `sns.requests` in ap-northeast-1; add"),
            Some("sns.requests".into())
        );
    }
}
