//! CloudWatch: log ingestion (Standard and Infrequent Access classes), storage and Logs
//! Insights scans, custom metrics, alarms, dashboards.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudWatch {
    /// GB of logs ingested per month.
    #[serde(default)]
    pub log_ingest_gb: Option<NonNeg>,
    /// GB of logs ingested per month into log groups of the Infrequent Access class.
    #[serde(default)]
    pub log_ingest_ia_gb: Option<NonNeg>,
    /// GB scanned by CloudWatch Logs Insights queries per month.
    #[serde(default)]
    pub logs_insights_scanned_gb: Option<NonNeg>,
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
        ctx.stated_usages(&[
            (
                "Log ingestion (Infrequent Access)",
                "cloudwatch.logs.ingest_ia",
                self.log_ingest_ia_gb,
            ),
            (
                "Logs Insights data scanned",
                "cloudwatch.logs.insights_scanned",
                self.logs_insights_scanned_gb,
            ),
            (
                "Log storage",
                "cloudwatch.logs.storage",
                self.log_storage_gb,
            ),
        ])?;
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

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, has_note, line, qty, tokyo, total, us, us_with};

    #[test]
    fn cloudwatch_logs_metrics_alarms_dashboards() {
        let body = r#"kind = "cloudwatch"
log_ingest_gb = 100
log_storage_gb = 500
custom_metrics = 50
alarms = 20
dashboards = 5"#;
        let e = us(body);
        // 100 GB x $0.50 = $50; 500 GB-month x $0.03 = $15; 50 x $0.30 = $15; 20 x $0.10 = $2;
        // 5 x $3.00 = $15
        assert_eq!(cost(&e, "Log ingestion"), dec("50"));
        assert_eq!(cost(&e, "Log storage"), dec("15"));
        assert_eq!(cost(&e, "Custom metrics"), dec("15"));
        assert_eq!(cost(&e, "Alarms"), dec("2"));
        assert_eq!(cost(&e, "Dashboards"), dec("15"));
        assert_eq!(total(&e), dec("97"));

        let e = us_with(r#"free_tier = "always""#, body);
        // free: 5 GB x $0.50 = -2.50; 10 metrics x $0.30 = -3; 10 alarms x $0.10 = -1;
        // 3 dashboards x $3 = -9
        assert_eq!(cost(&e, "Free tier: Log ingestion"), dec("-2.50"));
        assert_eq!(cost(&e, "Free tier: Custom metrics"), dec("-3"));
        assert_eq!(cost(&e, "Free tier: Alarms"), dec("-1"));
        assert_eq!(cost(&e, "Free tier: Dashboards"), dec("-9"));
        // 97 - 2.5 - 3 - 1 - 9 = 81.5
        assert_eq!(total(&e), dec("81.5"));
    }

    #[test]
    fn cloudwatch_tokyo_logs_from_the_offer_snapshot() {
        // ap-northeast-1 AmazonCloudWatch rows of the 2026-09-22 offer snapshot
        // (commitcost-logs-apn1-2026-09-22): 100 GB x $0.76 = $76; 500 GB-month x $0.033 = $16.50
        let e = tokyo(
            r#"kind = "cloudwatch"
log_ingest_gb = 100
log_storage_gb = 500"#,
        );
        for (component, want) in [("Log ingestion", "76"), ("Log storage", "16.50")] {
            let l = line(&e, component);
            assert_eq!(l.monthly_cost, dec(want), "{component}");
            assert!(
                !has_note(l, "low-trust price"),
                "{component}: {:?}",
                l.notes
            );
        }
        // 76 + 16.50
        assert_eq!(total(&e), dec("92.50"));
    }

    #[test]
    fn cloudwatch_custom_metric_tiers() {
        let e = us(r#"kind = "cloudwatch"
custom_metrics = 300000"#);
        // 10,000 x $0.30 = $3,000; 240,000 x $0.10 = $24,000; 50,000 x $0.05 = $2,500
        assert_eq!(cost(&e, "Custom metrics (tier 1)"), dec("3000"));
        assert_eq!(cost(&e, "Custom metrics (tier 2)"), dec("24000"));
        assert_eq!(qty(&e, "Custom metrics (tier 3)"), dec("50000"));
        assert_eq!(cost(&e, "Custom metrics (tier 3)"), dec("2500"));
        // 3,000 + 24,000 + 2,500 = 29,500 (log ingestion: depends on usage)
        assert_eq!(total(&e), dec("29500"));
    }

    #[test]
    fn cloudwatch_infrequent_access_and_insights_scans() {
        let e = us(r#"kind = "cloudwatch"
log_ingest_gb = 10
log_ingest_ia_gb = 200
logs_insights_scanned_gb = 1000"#);
        // 10 GB x $0.50 = $5; 200 GB x $0.25 (cloudwatch.logs.ingest_ia) = $50;
        // 1,000 GB x $0.005 (cloudwatch.logs.insights_scanned) = $5
        assert_eq!(cost(&e, "Log ingestion"), dec("5"));
        assert_eq!(cost(&e, "Log ingestion (Infrequent Access)"), dec("50"));
        assert_eq!(cost(&e, "Logs Insights data scanned"), dec("5"));
        assert_eq!(total(&e), dec("60"));
    }
}
