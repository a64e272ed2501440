//! The cost vocabulary every layer shares: cost lines, whether a cost is always on or follows
//! usage, and where a quantity came from.
//! A leaf: it imports nothing from the rest of the crate.

use rust_decimal::Decimal;
use serde::Serialize;

/// Where a line's quantity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UsageSource {
    /// Written in the scenario (configuration or usage).
    Stated,
    /// Computed by the traffic simulator.
    Derived,
    /// No usage given: the line shows the unit price only.
    None,
}

impl UsageSource {
    /// The contract's name: `stated`, `derived` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            UsageSource::Stated => "stated",
            UsageSource::Derived => "derived",
            UsageSource::None => "none",
        }
    }
}

/// Always-on cost vs cost that follows usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CostKind {
    Baseline,
    Usage,
}

/// One priced component of one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    pub service: String,
    pub resource: String,
    pub component: String,
    /// Quantity in `unit` (usage divided by the price's `per`).
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    /// `quantity * unit_price`, rounded to 10 places half to even (`money::round_pricing`).
    pub monthly_cost: Decimal,
    pub usage_source: UsageSource,
    pub kind: CostKind,
    pub notes: Vec<String>,
    /// Price book key (for free-tier grouping and traceability).
    pub price_key: String,
    /// A one-time payment (USD) this line is the monthly equivalent of: a Reserved Instance's
    /// upfront. `None` for every other line.
    pub upfront: Option<Decimal>,
}
