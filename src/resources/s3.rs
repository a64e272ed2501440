//! S3: storage per class (GB-month, tiered where AWS tiers it), requests, retrievals, S3 Select,
//! object tags and early-deletion charges.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, FieldError, Resource, Usage};
use crate::num::{mul, NonNeg};
use crate::pricing::{Catalog, PriceError};
use crate::source::KeyPath;

/// A storage class with a minimum storage duration (AWS S3 User Guide, "Understanding and
/// managing Amazon S3 storage classes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MinimumDurationClass {
    /// 30 days.
    StandardIa,
    /// 30 days.
    OneZoneIa,
    /// 90 days.
    GlacierIr,
    /// 90 days.
    GlacierFlexible,
    /// 180 days.
    DeepArchive,
}

impl MinimumDurationClass {
    fn key(self) -> &'static str {
        match self {
            MinimumDurationClass::StandardIa => "standard_ia",
            MinimumDurationClass::OneZoneIa => "one_zone_ia",
            MinimumDurationClass::GlacierIr => "glacier_ir",
            MinimumDurationClass::GlacierFlexible => "glacier_flexible",
            MinimumDurationClass::DeepArchive => "deep_archive",
        }
    }

    fn label(self) -> &'static str {
        match self {
            MinimumDurationClass::StandardIa => "Standard-IA",
            MinimumDurationClass::OneZoneIa => "One Zone-IA",
            MinimumDurationClass::GlacierIr => "Glacier Instant Retrieval",
            MinimumDurationClass::GlacierFlexible => "Glacier Flexible Retrieval",
            MinimumDurationClass::DeepArchive => "Glacier Deep Archive",
        }
    }

    fn minimum_days(self) -> u32 {
        match self {
            MinimumDurationClass::StandardIa | MinimumDurationClass::OneZoneIa => 30,
            MinimumDurationClass::GlacierIr | MinimumDurationClass::GlacierFlexible => 90,
            MinimumDurationClass::DeepArchive => 180,
        }
    }
}

/// Objects deleted, overwritten or transitioned out of a class before its minimum duration.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EarlyDelete {
    /// `standard_ia`, `one_zone_ia` (30-day minimum), `glacier_ir`, `glacier_flexible`
    /// (90 days) or `deep_archive` (180 days).
    pub class: MinimumDurationClass,
    /// GB deleted early in the month.
    pub gb: NonNeg,
    /// Days the objects had been stored in the class when deleted (less than its minimum).
    pub age_days: NonNeg,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct S3 {
    #[serde(default)]
    pub standard_gb: Option<NonNeg>,
    #[serde(default)]
    pub standard_ia_gb: Option<NonNeg>,
    #[serde(default)]
    pub one_zone_ia_gb: Option<NonNeg>,
    #[serde(default)]
    pub glacier_ir_gb: Option<NonNeg>,
    #[serde(default)]
    pub glacier_flexible_gb: Option<NonNeg>,
    #[serde(default)]
    pub deep_archive_gb: Option<NonNeg>,
    /// Intelligent-Tiering: GB-month in the Frequent Access tier.
    #[serde(default)]
    pub intelligent_tiering_frequent_gb: Option<NonNeg>,
    /// Intelligent-Tiering: GB-month in the Infrequent Access tier.
    #[serde(default)]
    pub intelligent_tiering_infrequent_gb: Option<NonNeg>,
    /// Intelligent-Tiering: GB-month in the Archive Instant Access tier.
    #[serde(default)]
    pub intelligent_tiering_archive_instant_gb: Option<NonNeg>,
    /// Intelligent-Tiering: objects monitored (128 KB and larger; smaller ones are not charged).
    #[serde(default)]
    pub intelligent_tiering_objects: Option<NonNeg>,
    /// PUT, COPY, POST and LIST requests per month.
    #[serde(default)]
    pub put_requests: Option<NonNeg>,
    /// GET and other requests per month.
    #[serde(default)]
    pub get_requests: Option<NonNeg>,
    #[serde(default)]
    pub intelligent_tiering_put_requests: Option<NonNeg>,
    #[serde(default)]
    pub intelligent_tiering_get_requests: Option<NonNeg>,
    /// Standard-IA: PUT/COPY/POST/LIST requests (and lifecycle transitions into it) per month.
    #[serde(default)]
    pub standard_ia_put_requests: Option<NonNeg>,
    /// Standard-IA: GET and other requests per month.
    #[serde(default)]
    pub standard_ia_get_requests: Option<NonNeg>,
    /// Standard-IA: GB retrieved per month.
    #[serde(default)]
    pub standard_ia_retrieval_gb: Option<NonNeg>,
    #[serde(default)]
    pub one_zone_ia_put_requests: Option<NonNeg>,
    #[serde(default)]
    pub one_zone_ia_get_requests: Option<NonNeg>,
    #[serde(default)]
    pub one_zone_ia_retrieval_gb: Option<NonNeg>,
    #[serde(default)]
    pub glacier_ir_put_requests: Option<NonNeg>,
    #[serde(default)]
    pub glacier_ir_get_requests: Option<NonNeg>,
    #[serde(default)]
    pub glacier_ir_retrieval_gb: Option<NonNeg>,
    /// Glacier Flexible Retrieval: PUT/COPY/POST requests (and lifecycle transitions into it).
    #[serde(default)]
    pub glacier_flexible_put_requests: Option<NonNeg>,
    /// Glacier Flexible Retrieval: GB restored at the Standard retrieval speed.
    #[serde(default)]
    pub glacier_flexible_retrieval_gb: Option<NonNeg>,
    /// Glacier Deep Archive: PUT/COPY/POST requests (and lifecycle transitions into it).
    #[serde(default)]
    pub deep_archive_put_requests: Option<NonNeg>,
    /// Glacier Deep Archive: GB restored at the Standard retrieval speed.
    #[serde(default)]
    pub deep_archive_retrieval_gb: Option<NonNeg>,
    /// S3 Select on Standard objects: GB scanned per month.
    #[serde(default)]
    pub select_scanned_gb: Option<NonNeg>,
    /// S3 Select on Standard objects: GB returned per month.
    #[serde(default)]
    pub select_returned_gb: Option<NonNeg>,
    #[serde(default)]
    pub standard_ia_select_scanned_gb: Option<NonNeg>,
    #[serde(default)]
    pub standard_ia_select_returned_gb: Option<NonNeg>,
    #[serde(default)]
    pub one_zone_ia_select_scanned_gb: Option<NonNeg>,
    #[serde(default)]
    pub one_zone_ia_select_returned_gb: Option<NonNeg>,
    #[serde(default)]
    pub glacier_ir_select_scanned_gb: Option<NonNeg>,
    #[serde(default)]
    pub glacier_ir_select_returned_gb: Option<NonNeg>,
    #[serde(default)]
    pub intelligent_tiering_select_scanned_gb: Option<NonNeg>,
    #[serde(default)]
    pub intelligent_tiering_select_returned_gb: Option<NonNeg>,
    /// Object tags stored (the month's average count).
    #[serde(default)]
    pub object_tags: Option<NonNeg>,
    /// Objects removed from a class before its minimum storage duration, e.g.
    /// `[{ class = "standard_ia", gb = 100, age_days = 10 }]`: each is charged the class's
    /// storage price for the remaining days.
    #[serde(default)]
    pub early_deletes: Vec<EarlyDelete>,
}

impl S3 {
    /// Early deletions as GB-months per class: GB x remaining days x 24 h / the month's hours
    /// (AWS bills storage by the hour, so a remaining day is 24 hours of the scenario's month).
    fn early_delete_gb_months(
        &self,
        hours_per_month: Decimal,
    ) -> Result<BTreeMap<MinimumDurationClass, Decimal>, crate::num::Overflow> {
        let mut by_class = BTreeMap::new();
        for d in &self.early_deletes {
            let remaining = Decimal::from(d.class.minimum_days()) - d.age_days.0;
            let gb_hours = mul(mul(d.gb.0, remaining)?, Decimal::from(24))?;
            *by_class.entry(d.class).or_insert(Decimal::ZERO) += gb_hours / hours_per_month;
        }
        Ok(by_class)
    }
}

impl Resource for S3 {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        for (i, d) in self.early_deletes.iter().enumerate() {
            let min = d.class.minimum_days();
            if d.age_days.0 >= Decimal::from(min) {
                return Err(FieldError::at(
                    KeyPath::root().key("early_deletes").index(i).key("age_days"),
                    format!(
                        "{} has a {min}-day minimum: objects kept {} days have no early-deletion charge",
                        d.class.label(),
                        d.age_days.0
                    ),
                ));
            }
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.usage(
            "Standard storage",
            "s3.standard.storage",
            Usage::of(self.standard_gb),
        )?;
        // Colder classes are shown only when used: most buckets have none.
        ctx.stated_usages(&[
            (
                "Standard-IA storage",
                "s3.standard_ia.storage",
                self.standard_ia_gb,
            ),
            (
                "One Zone-IA storage",
                "s3.one_zone_ia.storage",
                self.one_zone_ia_gb,
            ),
            (
                "Glacier Instant Retrieval storage",
                "s3.glacier_ir.storage",
                self.glacier_ir_gb,
            ),
            (
                "Glacier Flexible Retrieval storage",
                "s3.glacier_flexible.storage",
                self.glacier_flexible_gb,
            ),
            (
                "Glacier Deep Archive storage",
                "s3.deep_archive.storage",
                self.deep_archive_gb,
            ),
        ])?;
        ctx.usage(
            "PUT/COPY/POST/LIST requests",
            "s3.requests.put",
            Usage::of(self.put_requests),
        )?;
        ctx.usage(
            "GET requests",
            "s3.requests.get",
            Usage::of(self.get_requests),
        )?;
        // Per-class requests and retrievals, shown only when stated. A class whose price the
        // region's book lacks gives the missing-price error rather than a guess.
        ctx.stated_usages(&[
            (
                "Intelligent-Tiering Frequent Access storage",
                "s3.intelligent_tiering.frequent.storage",
                self.intelligent_tiering_frequent_gb,
            ),
            (
                "Intelligent-Tiering Infrequent Access storage",
                "s3.intelligent_tiering.infrequent.storage",
                self.intelligent_tiering_infrequent_gb,
            ),
            (
                "Intelligent-Tiering Archive Instant Access storage",
                "s3.intelligent_tiering.archive_instant.storage",
                self.intelligent_tiering_archive_instant_gb,
            ),
            (
                "Intelligent-Tiering monitoring and automation",
                "s3.intelligent_tiering.monitoring",
                self.intelligent_tiering_objects,
            ),
            (
                "Intelligent-Tiering PUT/COPY/POST/LIST requests",
                "s3.intelligent_tiering.requests.put",
                self.intelligent_tiering_put_requests,
            ),
            (
                "Intelligent-Tiering GET requests",
                "s3.intelligent_tiering.requests.get",
                self.intelligent_tiering_get_requests,
            ),
            (
                "Standard-IA PUT/COPY/POST/LIST requests",
                "s3.standard_ia.requests.put",
                self.standard_ia_put_requests,
            ),
            (
                "Standard-IA GET requests",
                "s3.standard_ia.requests.get",
                self.standard_ia_get_requests,
            ),
            (
                "Standard-IA retrieval",
                "s3.standard_ia.retrieval",
                self.standard_ia_retrieval_gb,
            ),
            (
                "One Zone-IA PUT/COPY/POST/LIST requests",
                "s3.one_zone_ia.requests.put",
                self.one_zone_ia_put_requests,
            ),
            (
                "One Zone-IA GET requests",
                "s3.one_zone_ia.requests.get",
                self.one_zone_ia_get_requests,
            ),
            (
                "One Zone-IA retrieval",
                "s3.one_zone_ia.retrieval",
                self.one_zone_ia_retrieval_gb,
            ),
            (
                "Glacier Instant Retrieval PUT/COPY/POST/LIST requests",
                "s3.glacier_ir.requests.put",
                self.glacier_ir_put_requests,
            ),
            (
                "Glacier Instant Retrieval GET requests",
                "s3.glacier_ir.requests.get",
                self.glacier_ir_get_requests,
            ),
            (
                "Glacier Instant Retrieval retrieval",
                "s3.glacier_ir.retrieval",
                self.glacier_ir_retrieval_gb,
            ),
            (
                "Glacier Flexible Retrieval PUT/COPY/POST requests",
                "s3.glacier_flexible.requests.put",
                self.glacier_flexible_put_requests,
            ),
            (
                "Glacier Flexible Retrieval retrieval (Standard)",
                "s3.glacier_flexible.retrieval",
                self.glacier_flexible_retrieval_gb,
            ),
            (
                "Glacier Deep Archive PUT/COPY/POST requests",
                "s3.deep_archive.requests.put",
                self.deep_archive_put_requests,
            ),
            (
                "Glacier Deep Archive retrieval (Standard)",
                "s3.deep_archive.retrieval",
                self.deep_archive_retrieval_gb,
            ),
            (
                "S3 Select data scanned",
                "s3.select.scanned",
                self.select_scanned_gb,
            ),
            (
                "S3 Select data returned",
                "s3.select.returned",
                self.select_returned_gb,
            ),
            (
                "Standard-IA S3 Select data scanned",
                "s3.standard_ia.select.scanned",
                self.standard_ia_select_scanned_gb,
            ),
            (
                "Standard-IA S3 Select data returned",
                "s3.standard_ia.select.returned",
                self.standard_ia_select_returned_gb,
            ),
            (
                "One Zone-IA S3 Select data scanned",
                "s3.one_zone_ia.select.scanned",
                self.one_zone_ia_select_scanned_gb,
            ),
            (
                "One Zone-IA S3 Select data returned",
                "s3.one_zone_ia.select.returned",
                self.one_zone_ia_select_returned_gb,
            ),
            (
                "Glacier Instant Retrieval S3 Select data scanned",
                "s3.glacier_ir.select.scanned",
                self.glacier_ir_select_scanned_gb,
            ),
            (
                "Glacier Instant Retrieval S3 Select data returned",
                "s3.glacier_ir.select.returned",
                self.glacier_ir_select_returned_gb,
            ),
            (
                "Intelligent-Tiering S3 Select data scanned",
                "s3.intelligent_tiering.select.scanned",
                self.intelligent_tiering_select_scanned_gb,
            ),
            (
                "Intelligent-Tiering S3 Select data returned",
                "s3.intelligent_tiering.select.returned",
                self.intelligent_tiering_select_returned_gb,
            ),
            ("Object tags", "s3.object_tags", self.object_tags),
        ])?;
        // Early deletion bills the class's storage price for the days left of its minimum.
        let hours = ctx.hours_per_month;
        for (class, gb_months) in self.early_delete_gb_months(hours)? {
            ctx.usage(
                &format!(
                    "{} early deletion ({}-day minimum)",
                    class.label(),
                    class.minimum_days()
                ),
                &format!("s3.{}.storage", class.key()),
                Usage::Stated(gb_months),
            )?
            .note(format!(
                "GB x days left of the minimum x 24 h / {hours} h in the month"
            ));
        }
        Ok(())
    }
}

impl super::Kind for S3 {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{
        cost, dec, err, has_line, has_note, line, qty, scenario, tokyo, total, us, us_with,
    };

    #[test]
    fn s3_storage_classes_and_requests() {
        let e = us(r#"kind = "s3"
standard_gb = 1000
glacier_flexible_gb = 500
deep_archive_gb = 1000
put_requests = 100_000
get_requests = 1_000_000"#);
        // 1,000 GB x $0.023 (s3.standard.storage) = $23
        assert_eq!(cost(&e, "Standard storage"), dec("23"));
        // 500 GB x $0.0036 (s3.glacier_flexible.storage) = $1.80
        assert_eq!(cost(&e, "Glacier Flexible Retrieval storage"), dec("1.80"));
        // 1,000 GB x $0.00099 (s3.deep_archive.storage) = $0.99
        assert_eq!(cost(&e, "Glacier Deep Archive storage"), dec("0.99"));
        // 100,000 / 1,000 = 100 x $0.005 (s3.requests.put) = $0.50
        assert_eq!(qty(&e, "PUT/COPY/POST/LIST requests"), dec("100"));
        assert_eq!(cost(&e, "PUT/COPY/POST/LIST requests"), dec("0.50"));
        // 1,000,000 / 1,000 = 1,000 x $0.0004 (s3.requests.get) = $0.40
        assert_eq!(cost(&e, "GET requests"), dec("0.40"));
        // classes not given are not shown
        assert!(!has_line(&e, "Standard-IA storage"));
        assert_eq!(total(&e), dec("26.69"));
    }

    #[test]
    fn s3_new_account_free_tier() {
        let e = us_with(
            r#"free_tier = "legacy-12-month""#,
            r#"kind = "s3"
standard_gb = 1000
put_requests = 100_000
get_requests = 1_000_000"#,
        );
        // 5 GB free: -5 x $0.023 = -$0.115
        assert_eq!(cost(&e, "Free tier: Standard storage"), dec("-0.115"));
        // 2,000 PUT free = 2 (1K) x $0.005 = -$0.01
        assert_eq!(
            cost(&e, "Free tier: PUT/COPY/POST/LIST requests"),
            dec("-0.01")
        );
        // 20,000 GET free = 20 (1K) x $0.0004 = -$0.008
        assert_eq!(cost(&e, "Free tier: GET requests"), dec("-0.008"));
        // 23 + 0.50 + 0.40 - 0.115 - 0.01 - 0.008 = 23.767
        assert_eq!(total(&e), dec("23.767"));
    }

    #[test]
    fn s3_class_requests_and_retrievals_us() {
        let e = us(r#"kind = "s3"
one_zone_ia_gb = 200
standard_ia_put_requests = 10_000
standard_ia_get_requests = 100_000
standard_ia_retrieval_gb = 50
one_zone_ia_put_requests = 1_000
one_zone_ia_get_requests = 10_000
one_zone_ia_retrieval_gb = 5
glacier_ir_put_requests = 5_000
glacier_ir_get_requests = 20_000
glacier_ir_retrieval_gb = 10
glacier_flexible_put_requests = 2_000
glacier_flexible_retrieval_gb = 100
deep_archive_put_requests = 1_000
deep_archive_retrieval_gb = 100"#);
        // 200 GB x $0.01 (s3.one_zone_ia.storage) = $2
        assert_eq!(cost(&e, "One Zone-IA storage"), dec("2"));
        // 10,000 / 1,000 = 10 x $0.01 = $0.10
        assert_eq!(
            qty(&e, "Standard-IA PUT/COPY/POST/LIST requests"),
            dec("10")
        );
        assert_eq!(
            cost(&e, "Standard-IA PUT/COPY/POST/LIST requests"),
            dec("0.10")
        );
        // 100 (1K) x $0.001 = $0.10
        assert_eq!(cost(&e, "Standard-IA GET requests"), dec("0.10"));
        // 50 GB x $0.01 = $0.50
        assert_eq!(cost(&e, "Standard-IA retrieval"), dec("0.50"));
        // 1 (1K) x $0.01; 10 (1K) x $0.001; 5 GB x $0.01
        assert_eq!(
            cost(&e, "One Zone-IA PUT/COPY/POST/LIST requests"),
            dec("0.01")
        );
        assert_eq!(cost(&e, "One Zone-IA GET requests"), dec("0.01"));
        assert_eq!(cost(&e, "One Zone-IA retrieval"), dec("0.05"));
        // 5 (1K) x $0.02 = $0.10; 20 (1K) x $0.01 = $0.20; 10 GB x $0.03 = $0.30
        assert_eq!(
            cost(&e, "Glacier Instant Retrieval PUT/COPY/POST/LIST requests"),
            dec("0.10")
        );
        assert_eq!(
            cost(&e, "Glacier Instant Retrieval GET requests"),
            dec("0.20")
        );
        assert_eq!(cost(&e, "Glacier Instant Retrieval retrieval"), dec("0.30"));
        // 2 (1K) x $0.03 = $0.06; 100 GB x $0.01 = $1
        assert_eq!(
            cost(&e, "Glacier Flexible Retrieval PUT/COPY/POST requests"),
            dec("0.06")
        );
        assert_eq!(
            cost(&e, "Glacier Flexible Retrieval retrieval (Standard)"),
            dec("1")
        );
        // 1 (1K) x $0.05 = $0.05; 100 GB x $0.02 = $2
        assert_eq!(
            cost(&e, "Glacier Deep Archive PUT/COPY/POST requests"),
            dec("0.05")
        );
        assert_eq!(
            cost(&e, "Glacier Deep Archive retrieval (Standard)"),
            dec("2")
        );
        // 2 + 0.10 + 0.10 + 0.50 + 0.01 + 0.01 + 0.05 + 0.10 + 0.20 + 0.30 + 0.06 + 1 + 0.05 + 2
        assert_eq!(total(&e), dec("6.48"));
    }

    #[test]
    fn s3_class_prices_tokyo() {
        let e = tokyo(
            r#"kind = "s3"
one_zone_ia_gb = 200
glacier_flexible_gb = 1000
glacier_flexible_put_requests = 1_000
glacier_flexible_retrieval_gb = 100
deep_archive_put_requests = 1_000
deep_archive_retrieval_gb = 100"#,
        );
        // 200 GB x $0.011 = $2.20
        assert_eq!(cost(&e, "One Zone-IA storage"), dec("2.20"));
        // 1,000 GB x $0.0045 = $4.50
        assert_eq!(cost(&e, "Glacier Flexible Retrieval storage"), dec("4.50"));
        // 1 (1K) x $0.03426
        assert_eq!(
            cost(&e, "Glacier Flexible Retrieval PUT/COPY/POST requests"),
            dec("0.03426")
        );
        // 100 GB x $0.011 = $1.10
        assert_eq!(
            cost(&e, "Glacier Flexible Retrieval retrieval (Standard)"),
            dec("1.10")
        );
        // 1 (1K) x $0.065; 100 GB x $0.022 = $2.20
        assert_eq!(
            cost(&e, "Glacier Deep Archive PUT/COPY/POST requests"),
            dec("0.065")
        );
        assert_eq!(
            cost(&e, "Glacier Deep Archive retrieval (Standard)"),
            dec("2.20")
        );
        // 2.20 + 4.50 + 0.03426 + 1.10 + 0.065 + 2.20
        assert_eq!(total(&e), dec("10.09926"));
    }

    #[test]
    fn s3_tokyo_storage_classes_from_the_offer_snapshot() {
        // ap-northeast-1 AmazonS3 rows of the 2026-09-28 offer snapshot (commitcost-s3-apn1-2026-09-28)
        let e = tokyo(
            r#"kind = "s3"
standard_ia_gb = 1000
glacier_ir_gb = 1000
one_zone_ia_gb = 1000
glacier_flexible_gb = 1000"#,
        );
        // Standard-IA: 1,000 GB x $0.0138 = $13.80
        // Glacier Instant Retrieval: 1,000 GB x $0.005 = $5; One Zone-IA: 1,000 GB x $0.011 = $11;
        // Glacier Flexible Retrieval: 1,000 GB x $0.0045 = $4.50
        for (component, want) in [
            ("Standard-IA storage", "13.80"),
            ("Glacier Instant Retrieval storage", "5"),
            ("One Zone-IA storage", "11"),
            ("Glacier Flexible Retrieval storage", "4.50"),
        ] {
            let l = line(&e, component);
            assert_eq!(l.monthly_cost, dec(want), "{component}");
            assert!(
                !has_note(l, "low-trust price"),
                "{component}: {:?}",
                l.notes
            );
        }
        // 13.80 + 5 + 11 + 4.50
        assert_eq!(total(&e), dec("34.30"));
        // Deep Archive has no snapshot row: still the low-trust third-party rate, 1,000 x $0.002
        let e = tokyo("kind = \"s3\"\ndeep_archive_gb = 1000");
        let l = line(&e, "Glacier Deep Archive storage");
        assert_eq!(l.monthly_cost, dec("2"));
        assert!(has_note(l, "low-trust price"), "{:?}", l.notes);
    }

    #[test]
    fn s3_us_east_1_one_zone_ia_from_the_offer_snapshot_is_not_low_trust() {
        // 200 GB x $0.01 (commitcost-s3-use1-2026-09-28, TimedStorage-ZIA-ByteHrs) = $2
        let e = us("kind = \"s3\"\none_zone_ia_gb = 200");
        let l = line(&e, "One Zone-IA storage");
        assert_eq!(l.monthly_cost, dec("2"));
        assert!(!has_note(l, "low-trust price"), "{:?}", l.notes);
    }

    #[test]
    fn s3_intelligent_tiering_us() {
        let e = us(r#"kind = "s3"
intelligent_tiering_frequent_gb = 1000
intelligent_tiering_infrequent_gb = 2000
intelligent_tiering_archive_instant_gb = 5000
intelligent_tiering_objects = 1_000_000
intelligent_tiering_put_requests = 100_000
intelligent_tiering_get_requests = 1_000_000"#);
        // 1,000 GB x $0.023 (first 50 TB) = $23
        assert_eq!(
            cost(&e, "Intelligent-Tiering Frequent Access storage"),
            dec("23")
        );
        // 2,000 GB x $0.0125 = $25
        assert_eq!(
            cost(&e, "Intelligent-Tiering Infrequent Access storage"),
            dec("25")
        );
        // 5,000 GB x $0.004 = $20
        assert_eq!(
            cost(&e, "Intelligent-Tiering Archive Instant Access storage"),
            dec("20")
        );
        // 1,000,000 / 1,000 = 1,000 x $0.0025 = $2.50
        assert_eq!(
            qty(&e, "Intelligent-Tiering monitoring and automation"),
            dec("1000")
        );
        assert_eq!(
            cost(&e, "Intelligent-Tiering monitoring and automation"),
            dec("2.50")
        );
        // 100 (1K) x $0.005 = $0.50; 1,000 (1K) x $0.0004 = $0.40
        assert_eq!(
            cost(&e, "Intelligent-Tiering PUT/COPY/POST/LIST requests"),
            dec("0.50")
        );
        assert_eq!(cost(&e, "Intelligent-Tiering GET requests"), dec("0.40"));
        assert_eq!(total(&e), dec("71.40"));
    }

    #[test]
    fn s3_intelligent_tiering_tokyo_missing_prices_are_errors() {
        // Frequent Access and requests have a Tokyo source: 100 GB x $0.025 = $2.50,
        // 10 (1K) x $0.0047 = $0.047
        let e = tokyo(
            r#"kind = "s3"
intelligent_tiering_frequent_gb = 100
intelligent_tiering_put_requests = 10_000"#,
        );
        assert_eq!(
            cost(&e, "Intelligent-Tiering Frequent Access storage"),
            dec("2.50")
        );
        assert_eq!(total(&e), dec("2.547"));
        // No checkable Tokyo price for the cheaper tiers or the monitoring fee: an error naming
        // the key, not a guess.
        for (field, key) in [
            (
                "intelligent_tiering_infrequent_gb",
                "s3.intelligent_tiering.infrequent.storage",
            ),
            (
                "intelligent_tiering_archive_instant_gb",
                "s3.intelligent_tiering.archive_instant.storage",
            ),
            (
                "intelligent_tiering_objects",
                "s3.intelligent_tiering.monitoring",
            ),
        ] {
            let msg = err(&scenario(
                "ap-northeast-1",
                "",
                &format!("kind = \"s3\"\n{field} = 10"),
            ));
            assert!(msg.contains(key), "{msg}");
        }
    }

    #[test]
    fn s3_early_deletion_charges_the_remaining_days() {
        let e = us(r#"kind = "s3"
early_deletes = [
  { class = "standard_ia", gb = 100, age_days = 10 },
  { class = "glacier_ir", gb = 50, age_days = 30 },
  { class = "glacier_ir", gb = 50, age_days = 60 },
  { class = "deep_archive", gb = 1000, age_days = 90 },
]"#);
        // A day left is 24 h of the 730-h month. Standard-IA (30-day minimum), deleted at 10
        // days: 100 GB x 20 days x 24 / 730 = 65.7534246575 GB-month x $0.0125 = $0.8219178082
        let ia = "Standard-IA early deletion (30-day minimum)";
        assert_eq!(qty(&e, ia), dec("65.7534246575"));
        assert_eq!(cost(&e, ia), dec("0.8219178082"));
        // Glacier IR (90 days): 50 GB x 60 days + 50 GB x 30 days = 4,500 GB-days x 24 / 730
        //   = 147.9452054795 GB-month x $0.004 = $0.5917808219 (one line per class)
        let gir = "Glacier Instant Retrieval early deletion (90-day minimum)";
        assert_eq!(qty(&e, gir), dec("147.9452054795"));
        assert_eq!(cost(&e, gir), dec("0.5917808219"));
        // Deep Archive (180 days), deleted at 90: 1,000 GB x 90 x 24 / 730 = 2,958.904109589
        //   GB-month x $0.00099 = $2.9293150685
        let gda = "Glacier Deep Archive early deletion (180-day minimum)";
        assert_eq!(qty(&e, gda), dec("2958.9041095890"));
        assert_eq!(cost(&e, gda), dec("2.9293150685"));
        assert!(!has_line(&e, "Standard-IA storage"));
        // Tokyo: Glacier Flexible (90 days) deleted the day it arrived: 1,000 GB x 90 x 24 / 730
        //   = 2,958.904109589 GB-month x $0.0045 = $13.3150684932
        let e = tokyo(
            r#"kind = "s3"
early_deletes = [{ class = "glacier_flexible", gb = 1000, age_days = 0 }]"#,
        );
        assert_eq!(
            cost(
                &e,
                "Glacier Flexible Retrieval early deletion (90-day minimum)"
            ),
            dec("13.3150684932")
        );
    }

    #[test]
    fn s3_early_deletion_after_the_minimum_is_refused() {
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "s3"
early_deletes = [{ class = "one_zone_ia", gb = 10, age_days = 30 }]"#,
        ));
        assert!(m.contains("early_deletes[0].age_days"), "{m}");
        assert!(m.contains("One Zone-IA has a 30-day minimum"), "{m}");
    }

    #[test]
    fn s3_select_and_object_tags_without_a_source_are_missing_prices() {
        // No checkable S3 Select or object-tag rate for either region: errors naming the key.
        for region in ["us-east-1", "ap-northeast-1"] {
            for (field, key) in [
                ("select_scanned_gb", "s3.select.scanned"),
                ("select_returned_gb", "s3.select.returned"),
                (
                    "standard_ia_select_scanned_gb",
                    "s3.standard_ia.select.scanned",
                ),
                ("object_tags", "s3.object_tags"),
            ] {
                let msg = err(&scenario(
                    region,
                    "",
                    &format!("kind = \"s3\"\n{field} = 10"),
                ));
                assert!(msg.contains(key), "{region} {field}: {msg}");
            }
        }
    }
}
