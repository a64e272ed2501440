//! The usage vocabulary between the simulator and the price models: what a simulated month
//! measured ([`Volume`]), and the usage a resource kind derives from it, by typed key.
//!
//! The simulator fills a [`Volume`] without knowing any kind; each kind's
//! `Resource::derive_usage` turns it into the usage its price model reads back with the same
//! [`UsageKey`], so a misspelled key does not compile. Quantities cross into `Decimal` here, by
//! one rule: counts of requests or users to whole units, everything else to 6 decimal places,
//! half to even.

use indexmap::IndexMap;
use rust_decimal::Decimal;

/// Bytes in the GB that AWS bills data by (2^30).
pub const GB: f64 = 1_073_741_824.0;

/// A usage field a kind can derive from the traffic, named as the scenario field it stands in
/// for (see [`UsageKey::field`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UsageKey {
    MonthlyRequests,
    AvgDurationMs,
    TaskHours,
    InstanceHours,
    HttpsRequests,
    DataOutGb,
    NewConnectionsPerSec,
    ActiveConnectionsPerMin,
    ProcessedGbPerHour,
    RuleEvaluationsPerSec,
    Mau,
    DataProcessedGb,
    WriteRequestUnits,
    ReadRequestUnits,
    /// Requests that arrived while a scheduled fleet was off (not priced; said on its line).
    UnservedRequests,
    OutToInternetGb,
    ProvisionedRequestsPercent,
    AvgAcu,
}

impl UsageKey {
    /// The scenario field this usage replaces when it is not stated.
    pub fn field(self) -> &'static str {
        match self {
            UsageKey::MonthlyRequests => "monthly_requests",
            UsageKey::AvgDurationMs => "avg_duration_ms",
            UsageKey::TaskHours => "task_hours",
            UsageKey::InstanceHours => "instance_hours",
            UsageKey::HttpsRequests => "https_requests",
            UsageKey::DataOutGb => "data_out_gb",
            UsageKey::NewConnectionsPerSec => "new_connections_per_sec",
            UsageKey::ActiveConnectionsPerMin => "active_connections_per_min",
            UsageKey::ProcessedGbPerHour => "processed_gb_per_hour",
            UsageKey::RuleEvaluationsPerSec => "rule_evaluations_per_sec",
            UsageKey::Mau => "mau",
            UsageKey::DataProcessedGb => "data_processed_gb",
            UsageKey::WriteRequestUnits => "write_request_units",
            UsageKey::ReadRequestUnits => "read_request_units",
            UsageKey::UnservedRequests => "unserved_requests",
            UsageKey::OutToInternetGb => "out_to_internet_gb",
            UsageKey::ProvisionedRequestsPercent => "provisioned_requests_percent",
            UsageKey::AvgAcu => "avg_acu",
        }
    }
}

/// Usage derived for one resource, by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived(IndexMap<UsageKey, Decimal>);

impl Derived {
    pub fn new() -> Derived {
        Derived::default()
    }

    pub fn get(&self, key: UsageKey) -> Option<Decimal> {
        self.0.get(&key).copied()
    }

    pub fn set(&mut self, key: UsageKey, v: Decimal) -> &mut Self {
        self.0.insert(key, v);
        self
    }

    /// A count of requests or users: whole units.
    pub fn count(&mut self, key: UsageKey, v: f64) -> &mut Self {
        self.set(key, crate::num::dec_from_f64(v, 0))
    }

    /// Any other amount: 6 decimal places.
    pub fn amount(&mut self, key: UsageKey, v: f64) -> &mut Self {
        self.set(key, crate::num::dec_from_f64(v, 6))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Derived usage of every resource of a phase, by resource name.
pub type Demand = IndexMap<String, Derived>;

/// What one simulated month measured, as every resource of the phase sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    /// Requests the phase served in the month.
    pub requests: f64,
    pub month_seconds: f64,
    pub hours_per_month: f64,
    /// Mean request duration of the traffic profile, ms.
    pub mean_duration_ms: f64,
    /// Bytes per request: in, out, and through a NAT to the internet.
    pub request_bytes: f64,
    pub response_bytes: f64,
    pub nat_bytes_per_request: f64,
    /// Monthly active users at this traffic, when the profile states users.
    pub mau: Option<f64>,
    /// Mean requests/s of each hour of the month (load that capacity follows hour by hour).
    pub hourly_rps: Vec<f64>,
}

impl Volume {
    /// GB a month when every request moves `bytes_per_request`.
    pub fn gb(&self, bytes_per_request: f64) -> f64 {
        self.requests * bytes_per_request / GB
    }

    /// Mean requests per second over the month.
    pub fn rps(&self) -> f64 {
        self.requests / self.month_seconds
    }
}

/// What one compute resource (a function or a fleet) did in the month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitVolume {
    /// Requests it served.
    pub requests: f64,
    /// Billed milliseconds of all its requests (Lambda).
    pub billed_ms: f64,
    /// Seconds its tasks or instances ran, summed over the fleet (for a fleet on a weekly
    /// schedule, scaled to the average month's share of the schedule; see `sim::volume`).
    pub unit_seconds: f64,
    /// Requests that arrived while its fleet was off (outside its schedule), not served.
    pub unserved: f64,
    /// Requests it served while provisioned concurrency was on (Lambda).
    pub provisioned_requests: f64,
    /// Whether its fleet size followed the traffic (autoscaling).
    pub autoscaled: bool,
}

/// A capacity figure a kind contributes to (the GB/month columns of the capacity report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gauge {
    /// GB processed through NAT, from [`UsageKey::DataProcessedGb`].
    Nat,
    /// GB processed by load balancers, from [`UsageKey::ProcessedGbPerHour`] over the month.
    LoadBalancer,
}

/// The capacity report's volume figures of a phase: `None` when nothing derived them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Gauges {
    pub nat_gb: Option<f64>,
    pub alb_gb: Option<f64>,
}
