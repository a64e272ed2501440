//! `[growth]`: which phases form the growth sequence (laddered into each other, in order) and
//! how the traffic grows month by month (for `costplan forecast`).

use indexmap::IndexMap;
use serde::Deserialize;

use super::RawPhase;
use crate::error::InputError;
use crate::num::{NonNeg, Percent};
use crate::source::{Document, KeyPath};
use crate::suggest;

/// `[growth]` as written.
#[derive(Debug, Clone, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGrowth {
    /// The growth sequence, in order. Phases not listed are alternatives: compared, not laddered.
    #[serde(default)]
    phases: Option<Vec<String>>,
    /// Month-over-month growth of the `[traffic]` rate, percent (month 1 is `[traffic]` itself).
    #[serde(default)]
    monthly_percent: Option<Percent>,
    /// Monthly active users, month by month (month 1 first).
    #[serde(default)]
    mau: Option<Vec<NonNeg>>,
    /// Average requests/s, month by month (month 1 first).
    #[serde(default)]
    rps: Option<Vec<NonNeg>>,
    /// Switch to the next phase this many months before the current one stops holding.
    #[serde(default)]
    lead_months: Option<u32>,
}

/// How traffic grows from month to month.
#[derive(Debug, Clone, PartialEq)]
pub enum GrowthRate {
    /// Compound growth: month m's traffic is `[traffic]` x (1 + rate)^(m-1).
    Monthly(rust_decimal::Decimal),
    /// Stated monthly active users per month.
    Mau(Vec<f64>),
    /// Stated average requests/s per month.
    Rps(Vec<f64>),
}

/// A validated `[growth]` (or the default when the scenario has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Growth {
    /// The phases laddered into each other, in order (every phase, in file order, unless
    /// `[growth] phases` says otherwise).
    pub sequence: Vec<String>,
    /// `true` when the scenario listed the sequence itself.
    pub declared: bool,
    /// How traffic grows (forecasts); `None` without a rate or a series.
    pub rate: Option<GrowthRate>,
    pub lead_months: u32,
}

impl Growth {
    /// Whether phase `name` is a rung of the growth sequence (not an alternative).
    pub fn in_sequence(&self, name: &str) -> bool {
        self.sequence.iter().any(|p| p == name)
    }
}

pub(crate) fn build(
    doc: &Document,
    raw: Option<&RawGrowth>,
    phases: &IndexMap<String, RawPhase>,
    envs: &IndexMap<String, RawPhase>,
    has_traffic: bool,
    traffic_in_users: bool,
) -> Result<Growth, InputError> {
    let at = KeyPath::root().key("growth");
    let default = || phases.keys().cloned().collect::<Vec<_>>();
    let Some(raw) = raw else {
        return Ok(Growth {
            sequence: default(),
            declared: false,
            rate: None,
            lead_months: 0,
        });
    };
    let mut sequence = Vec::new();
    if let Some(list) = &raw.phases {
        for (i, name) in list.iter().enumerate() {
            let here = at.key("phases").index(i);
            if envs.contains_key(name) {
                return Err(doc.error_at(
                    &here,
                    format!("`{name}` is an environment; the growth sequence lists phases"),
                ));
            }
            if !phases.contains_key(name) {
                return Err(doc
                    .error_at(&here, format!("no phase named `{name}`"))
                    .with_help(suggest::did_you_mean(
                        name,
                        phases.keys().map(String::as_str),
                    )));
            }
            if sequence.contains(name) {
                return Err(doc.error_at(
                    &here,
                    format!("`{name}` is listed twice in the growth sequence"),
                ));
            }
            sequence.push(name.clone());
        }
    }
    let given: Vec<&str> = [
        raw.monthly_percent.map(|_| "monthly_percent"),
        raw.mau.as_ref().map(|_| "mau"),
        raw.rps.as_ref().map(|_| "rps"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if given.len() > 1 {
        return Err(doc
            .error_at(
                &at.key(given[1]),
                format!(
                    "`[growth]` gives both `{}` and `{}`: state the growth one way",
                    given[0], given[1]
                ),
            )
            .with_help(Some(
                "a monthly rate (`monthly_percent`), or a series per month (`mau` or `rps`)".into(),
            )));
    }
    if let Some(first) = given.first().filter(|_| !has_traffic) {
        return Err(doc
            .error_at(
                &at.key(first),
                "traffic growth needs a `[traffic]` profile to grow from",
            )
            .with_help(Some("add [traffic] (see README, Traffic)".into())));
    }
    let series = |v: &[NonNeg], key: &str| -> Result<Vec<f64>, InputError> {
        if v.is_empty() {
            return Err(doc.error_at(&at.key(key), format!("`{key}` is an empty series")));
        }
        if let Some(i) = v.iter().position(|x| x.0.is_zero()) {
            return Err(doc
                .error_at(
                    &at.key(key).index(i),
                    "a month with no traffic cannot be priced",
                )
                .with_help(Some("each month needs some traffic (> 0)".into())));
        }
        Ok(v.iter().map(|x| crate::capacity::to_f64(x.0)).collect())
    };
    let rate = match (&raw.monthly_percent, &raw.mau, &raw.rps) {
        (Some(p), _, _) => Some(GrowthRate::Monthly(p.fraction())),
        (_, Some(m), _) => {
            if !traffic_in_users {
                return Err(doc
                    .error_at(
                        &at.key("mau"),
                        "a series of `mau` needs `[traffic]` stated in users",
                    )
                    .with_help(Some(
                        "state [traffic] as `monthly_active_users` + `requests_per_user_per_day`, or give the series as `rps`".into(),
                    )));
            }
            Some(GrowthRate::Mau(series(m, "mau")?))
        }
        (_, _, Some(r)) => Some(GrowthRate::Rps(series(r, "rps")?)),
        _ => None,
    };
    if raw.lead_months.is_some() && rate.is_none() {
        return Err(doc
            .error_at(
                &at.key("lead_months"),
                "`lead_months` moves a forecast's phase switches, but `[growth]` states no traffic growth",
            )
            .with_help(Some(
                "add `monthly_percent`, `mau` or `rps` to [growth], or remove `lead_months`".into(),
            )));
    }
    Ok(Growth {
        declared: raw.phases.is_some(),
        sequence: if raw.phases.is_some() {
            sequence
        } else {
            default()
        },
        rate,
        lead_months: raw.lead_months.unwrap_or(0),
    })
}
