//! CloudTrail: the first copy of management events is free; additional copies, data events,
//! network activity events and the management events CloudTrail Insights analyses are charged
//! per 100,000 events. CloudTrail Lake is not modelled: AWS closed it to new customers on
//! 2026-05-31.

use serde::Deserialize;

use super::{Ctx, FieldError, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::{Catalog, PriceError};

/// A CloudTrail Insights type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InsightsType {
    /// Analyses write management events.
    ApiCallRate,
    /// Analyses read and write management events.
    ApiErrorRate,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudTrail {
    /// Management events delivered by additional trails (beyond the free first copy).
    #[serde(default)]
    pub additional_management_events: Option<NonNeg>,
    /// Data events (S3 object-level, Lambda invoke) per month.
    #[serde(default)]
    pub data_events: Option<NonNeg>,
    /// Network activity events (VPC endpoint API activity) per month.
    #[serde(default)]
    pub network_activity_events: Option<NonNeg>,
    /// Insights types enabled on this trail or event data store.
    #[serde(default)]
    pub insights_types: Option<Vec<InsightsType>>,
    /// Read management events a month the trail logs (analysed by `api_error_rate`).
    #[serde(default)]
    pub management_read_events: Option<NonNeg>,
    /// Write management events a month the trail logs (analysed by each Insights type).
    #[serde(default)]
    pub management_write_events: Option<NonNeg>,
    /// Events Insights analyses a month, summed over its types, when known directly (not
    /// with the read/write events).
    #[serde(default)]
    pub insights_events_analyzed: Option<NonNeg>,
}

impl CloudTrail {
    fn has(&self, t: InsightsType) -> bool {
        self.insights_types.as_ref().is_some_and(|v| v.contains(&t))
    }

    /// Events Insights analyses: "CloudTrail will analyze the write-only management events
    /// twice, once for calculating the API call rate and again for determining the API error
    /// rate. The read-only management events will be analyzed once" (AWS's CloudTrail guide).
    fn analyzed(&self) -> Usage {
        if let Some(n) = self.insights_events_analyzed {
            return Usage::Stated(n.0);
        }
        let (read, write) = (self.management_read_events, self.management_write_events);
        let mut total = rust_decimal::Decimal::ZERO;
        if self.has(InsightsType::ApiCallRate) {
            let Some(w) = write else {
                return Usage::Unknown;
            };
            total += w.0;
        }
        if self.has(InsightsType::ApiErrorRate) {
            let (Some(r), Some(w)) = (read, write) else {
                return Usage::Unknown;
            };
            total += r.0 + w.0;
        }
        Usage::Stated(total)
    }

    fn conflicting_key(&self) -> Option<FieldError> {
        let on = self.insights_types.as_ref().is_some_and(|v| !v.is_empty());
        for (key, set) in [
            (
                "insights_events_analyzed",
                self.insights_events_analyzed.is_some(),
            ),
            (
                "management_read_events",
                self.management_read_events.is_some(),
            ),
            (
                "management_write_events",
                self.management_write_events.is_some(),
            ),
        ] {
            if set && !on {
                return Some(
                    FieldError::new(key, "no Insights type is enabled to analyse the events")
                        .help(Some(
                            "add `insights_types = [\"api_call_rate\", \"api_error_rate\"]` (either or both)"
                                .to_string(),
                        )),
                );
            }
        }
        if self.insights_events_analyzed.is_some()
            && (self.management_read_events.is_some() || self.management_write_events.is_some())
        {
            return Some(FieldError::new(
                "insights_events_analyzed",
                "give either the events analysed or the read/write management events, not both",
            ));
        }
        if let Some(types) = &self.insights_types {
            let mut seen = Vec::new();
            for t in types {
                if seen.contains(t) {
                    return Some(FieldError::new(
                        "insights_types",
                        "an Insights type is listed twice",
                    ));
                }
                seen.push(*t);
            }
        }
        None
    }
}

impl Resource for CloudTrail {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        self.conflicting_key().map_or(Ok(()), Err)
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        if self.additional_management_events.is_some() {
            ctx.usage(
                "Additional management event copies",
                "cloudtrail.management_copy",
                Usage::of(self.additional_management_events),
            )?;
        }
        ctx.usage(
            "Data events",
            "cloudtrail.data_events",
            Usage::of(self.data_events),
        )?;
        if self.network_activity_events.is_some() {
            ctx.usage(
                "Network activity events",
                "cloudtrail.network_events",
                Usage::of(self.network_activity_events),
            )?;
        }
        if self.insights_types.as_ref().is_some_and(|v| !v.is_empty()) {
            ctx.usage(
                "Insights events analyzed",
                "cloudtrail.insights",
                self.analyzed(),
            )?;
            if let Some(read) = self.management_read_events.filter(|_| {
                self.insights_events_analyzed.is_none() && !self.has(InsightsType::ApiErrorRate)
            }) {
                ctx.note(format!(
                    "the {} read management events are not analysed: `api_call_rate` analyses the write events only (`api_error_rate` analyses both)",
                    crate::money::fmt_number(read.0)
                ));
            }
        }
        Ok(())
    }
}

impl super::Kind for CloudTrail {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.
    //!
    //! The Insights examples are AWS's ("Costs for Insights events", AWS CloudTrail User
    //! Guide): the guide gives the events analysed, the price comes from the book.

    use crate::testkit::{cost, dec, err, has_line, has_note, line, qty, scenario, us};

    #[test]
    fn cloudtrail_additional_copies_and_data_events() {
        let e = us(r#"kind = "cloudtrail"
additional_management_events = 1_000_000
data_events = 5_000_000"#);
        // 1M / 100K = 10 x $2.00 (cloudtrail.management_copy) = $20
        assert_eq!(cost(&e, "Additional management event copies"), dec("20"));
        // 5M / 100K = 50 x $0.10 (cloudtrail.data_events) = $5
        assert_eq!(qty(&e, "Data events"), dec("50"));
        assert_eq!(cost(&e, "Data events"), dec("5"));
        assert!(!has_line(&e, "Insights events analyzed"));
    }

    #[test]
    fn cloudtrail_aws_pricing_page_example_two_trails() {
        // "Your AWS account is configured to deliver management events to two trails and data
        // events to one trail. In a month, you had 150,000 management events and 2M data
        // events": "the second copy of 150,000 management events = 150,000 at a price of $2
        // per 100,000 events = $3"; "2M data events = 2M at a price of $0.10 per 100,000
        // events = $2"
        let e = us(r#"kind = "cloudtrail"
additional_management_events = 150_000
data_events = 2_000_000"#);
        assert_eq!(cost(&e, "Additional management event copies"), dec("3"));
        assert_eq!(cost(&e, "Data events"), dec("2"));
    }

    #[test]
    fn cloudtrail_aws_insights_example_1_both_types() {
        // "the trail logs 300,000 management events, of which 270,000 are read management
        // events and 30,000 are write management events": write analysed twice (60,000), read
        // once (270,000), "330,000 (60,000 + 270,000)" analysed
        let e = us(r#"kind = "cloudtrail"
data_events = 0
insights_types = ["api_call_rate", "api_error_rate"]
management_read_events = 270_000
management_write_events = 30_000"#);
        // 330,000 / 100K = 3.3 x $0.35 (cloudtrail.insights) = $1.155
        assert_eq!(qty(&e, "Insights events analyzed"), dec("3.3"));
        assert_eq!(cost(&e, "Insights events analyzed"), dec("1.155"));
    }

    #[test]
    fn cloudtrail_aws_insights_example_2_one_type_per_trail() {
        // "the trails log 800,000 management events, of which 710,000 are read events and
        // 90,000 are write events": trail A (API call rate only) analyses the 90,000 write
        // events once; trail B (API error rate only) analyses all 800,000
        let a = us(r#"kind = "cloudtrail"
data_events = 0
insights_types = ["api_call_rate"]
management_read_events = 710_000
management_write_events = 90_000"#);
        // 90,000 / 100K = 0.9 x $0.35 = $0.315
        assert_eq!(cost(&a, "Insights events analyzed"), dec("0.315"));
        // the read events are stated but not analysed: the line says so
        assert!(has_note(
            line(&a, "Insights events analyzed"),
            "the 710,000 read management events are not analysed"
        ));
        let b = us(r#"kind = "cloudtrail"
data_events = 0
insights_types = ["api_error_rate"]
management_read_events = 710_000
management_write_events = 90_000"#);
        // 800,000 / 100K = 8 x $0.35 = $2.80
        assert_eq!(cost(&b, "Insights events analyzed"), dec("2.8"));
        // stated directly: the same
        let direct = us(r#"kind = "cloudtrail"
data_events = 0
insights_types = ["api_error_rate"]
insights_events_analyzed = 800_000"#);
        assert_eq!(cost(&direct, "Insights events analyzed"), dec("2.8"));
    }

    #[test]
    fn cloudtrail_network_activity_events() {
        let e = us(r#"kind = "cloudtrail"
data_events = 0
network_activity_events = 3_000_000"#);
        // 3M / 100K = 30 x $0.10 (cloudtrail.network_events) = $3
        assert_eq!(cost(&e, "Network activity events"), dec("3"));
    }

    #[test]
    fn cloudtrail_insights_keys_are_checked() {
        let refused = |body: &str| err(&scenario("us-east-1", "", body));
        let m = refused(
            r#"kind = "cloudtrail"
management_write_events = 100"#,
        );
        assert!(m.contains("resources.r.management_write_events`"), "{m}");
        assert!(m.contains("no Insights type is enabled"), "{m}");
        let m = refused(
            r#"kind = "cloudtrail"
insights_types = ["api_call_rate"]
insights_events_analyzed = 10
management_write_events = 10"#,
        );
        assert!(m.contains("resources.r.insights_events_analyzed`"), "{m}");
        let m = refused(
            r#"kind = "cloudtrail"
insights_types = ["api_call_rate", "api_call_rate"]"#,
        );
        assert!(m.contains("listed twice"), "{m}");
        // Tokyo has no checkable Insights price: reported, not guessed.
        let m = err(&scenario(
            "ap-northeast-1",
            "",
            r#"kind = "cloudtrail"
insights_types = ["api_call_rate"]
management_write_events = 1000"#,
        ));
        assert!(m.contains("cloudtrail.insights"), "{m}");
    }
}
