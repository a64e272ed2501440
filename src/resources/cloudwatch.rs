//! CloudWatch: log ingestion and storage, custom metrics, alarms, dashboards.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudWatch {
    /// GB of logs ingested per month.
    #[serde(default)]
    pub log_ingest_gb: Option<NonNeg>,
    /// GB of logs stored (archived), GB-month.
    #[serde(default)]
    pub log_storage_gb: Option<NonNeg>,
    #[serde(default)]
    pub custom_metrics: Option<Count>,
    /// Standard-resolution alarms.
    #[serde(default)]
    pub alarms: Option<Count>,
    #[serde(default)]
    pub dashboards: Option<Count>,
}

impl Resource for CloudWatch {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.usage(
            "Log ingestion",
            "cloudwatch.logs.ingest",
            Usage::of(self.log_ingest_gb),
        )?;
        if self.log_storage_gb.is_some() {
            ctx.usage(
                "Log storage",
                "cloudwatch.logs.storage",
                Usage::of(self.log_storage_gb),
            )?;
        }
        for (label, key, n) in [
            ("Custom metrics", "cloudwatch.metrics", self.custom_metrics),
            ("Alarms", "cloudwatch.alarms", self.alarms),
            ("Dashboards", "cloudwatch.dashboards", self.dashboards),
        ] {
            if let Some(n) = n.filter(|n| n.0 > 0) {
                ctx.baseline(label, key, n.dec())?;
            }
        }
        Ok(())
    }
}

impl super::Kind for CloudWatch {}
