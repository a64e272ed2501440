//! Commitments per resource: Reserved Instances (`reserved`) on the kinds that bill instance or
//! node hours (ec2, rds, aurora provisioned, elasticache). A kind takes the key by listing it in
//! its `Kind::COMMITMENTS` and calls [`instance_hours`] where it would call
//! `resources::instance_hours`; the loader refuses the key on every other kind, and refuses a
//! commitment on a kind a `discounts` percentage also reaches (see `scenario::build_phase`).
//!
//! Prices: `<on-demand key>.reserved.<term>.<payment>.hourly` (the recurring rate per instance
//! hour) and `.upfront` (paid once per instance for the term), as the AWS Price List's
//! `terms.Reserved` gives them (`LeaseContractLength`, `PurchaseOption`, a `Hrs` and a
//! `Quantity` price dimension). Standard offering class only (RDS and ElastiCache have no other).

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{Ctx, FieldError};
use crate::money::fmt_number;
use crate::num::mul;
use crate::pricing::PriceError;

/// The commitment keys a resource may carry (each kind lists those it takes).
pub const KEYS: &[&str] = &["reserved"];

/// Term of a Reserved Instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum Term {
    #[serde(rename = "1yr")]
    OneYear,
    #[serde(rename = "3yr")]
    ThreeYear,
}

impl Term {
    /// Price-key segment, the Price List's `LeaseContractLength`.
    pub fn key(self) -> &'static str {
        match self {
            Term::OneYear => "1yr",
            Term::ThreeYear => "3yr",
        }
    }

    /// Months the upfront payment is spread over.
    pub fn months(self) -> u32 {
        match self {
            Term::OneYear => 12,
            Term::ThreeYear => 36,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Term::OneYear => "1-year",
            Term::ThreeYear => "3-year",
        }
    }
}

/// Payment option of a Reserved Instance (the Price List's `PurchaseOption`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Payment {
    /// A recurring hourly rate only.
    NoUpfront,
    /// An upfront payment and a lower recurring hourly rate.
    PartialUpfront,
    /// The upfront payment only: no hourly charge.
    AllUpfront,
}

impl Payment {
    pub fn key(self) -> &'static str {
        match self {
            Payment::NoUpfront => "no_upfront",
            Payment::PartialUpfront => "partial_upfront",
            Payment::AllUpfront => "all_upfront",
        }
    }

    fn text(self) -> &'static str {
        match self {
            Payment::NoUpfront => "no upfront",
            Payment::PartialUpfront => "partial upfront",
            Payment::AllUpfront => "all upfront",
        }
    }
}

/// `reserved = { term = "1yr", payment = "partial_upfront" }`: every instance of the resource
/// on a Standard Reserved Instance of its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reserved {
    /// `1yr` or `3yr`.
    pub term: Term,
    /// `no_upfront`, `partial_upfront` or `all_upfront`.
    pub payment: Payment,
}

/// `reserved` as written: a `{ term, payment }` table, or `false` for none (an environment's
/// patch turning off the reservation it inherits from its phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReservedKey(pub Option<Reserved>);

impl ReservedKey {
    pub fn get(&self) -> Option<&Reserved> {
        self.0.as_ref()
    }
}

impl<'de> Deserialize<'de> for ReservedKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ReservedKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table `{ term, payment }`, or `false` for none")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ReservedKey, E> {
                if v {
                    return Err(E::custom(
                        "`reserved = true` does not say which reservation: give `{ term = \"1yr\" or \"3yr\", payment = \"no_upfront\", \"partial_upfront\" or \"all_upfront\" }`",
                    ));
                }
                Ok(ReservedKey(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<ReservedKey, A::Error> {
                Reserved::deserialize(de::value::MapAccessDeserializer::new(m))
                    .map(|r| ReservedKey(Some(r)))
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for ReservedKey {
    fn schema_name() -> Cow<'static, str> {
        "ReservedKey".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let table = generator.subschema_for::<Reserved>();
        schemars::json_schema!({
            "description": "Reserved Instances for every instance of the resource, or `false` for none (to turn off an inherited one).",
            "oneOf": [table, { "const": false }]
        })
    }
}

impl Reserved {
    /// The price-key stem for the on-demand key `on_demand`.
    pub fn key(&self, on_demand: &str) -> String {
        format!(
            "{on_demand}.reserved.{}.{}",
            self.term.key(),
            self.payment.key()
        )
    }
}

/// `count` instances at the on-demand price `key` for `hours` each, or, with `reserved`, on
/// Reserved Instances: the recurring hourly rate for every hour of the month (AWS bills a
/// reservation each hour of its term, whether the instance runs or not) and the upfront's
/// monthly equivalent as a line of its own, so the month stays the exact sum of its lines.
pub fn instance_hours(
    ctx: &mut Ctx,
    label: &str,
    key: &str,
    count: Decimal,
    hours: Decimal,
    reserved: Option<&Reserved>,
) -> Result<(), PriceError> {
    let Some(r) = reserved else {
        return super::instance_hours(ctx, label, key, count, hours);
    };
    let stem = r.key(key);
    let month = ctx.hours_per_month;
    let what = format!(
        "{} Standard Reserved Instance, {}",
        r.term.text(),
        r.payment.text()
    );
    if r.payment != Payment::AllUpfront {
        ctx.baseline(
            &format!("{label}, reserved"),
            &format!("{stem}.hourly"),
            mul(count, month)?,
        )?;
        ctx.note(format!("{what}: the recurring hourly rate"));
        if hours < month {
            ctx.note(format!(
                "a reservation is billed every hour of the month ({} h), used or not; the instances run {} h",
                fmt_number(month),
                fmt_number(hours.round_dp(2))
            ));
        }
    }
    if r.payment != Payment::NoUpfront {
        ctx.amortised(
            &format!("{label}, reserved upfront"),
            &format!("{stem}.upfront"),
            count,
            r.term.months(),
        )?;
        ctx.note(format!("{what}: the upfront payment"));
    }
    Ok(())
}

/// Aurora Serverless v2 (and any mode without instance classes) has no Reserved Instances.
pub fn no_reserved_without_class(kind: &str) -> FieldError {
    FieldError::new(
        "reserved",
        format!("`reserved` is for provisioned instances (`instance_class`): {kind} Serverless v2 capacity has no Reserved Instances"),
    )
    .help(Some(
        "remove `reserved`, or give `instance_class` instead of the ACU settings".into(),
    ))
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures. The Tokyo Reserved rates are the book's (pl-rds-reserved-apn1-2026-09-27,
    //! pl-elasticache-reserved-apn1-2026-09-27);
    //! no AWS page gives a worked Reserved Instance example with figures, so where a payment
    //! option has no sourced rate the test pins one with an override and says so.

    use crate::testkit::{cost, dec, err, est, has_line, has_note, line, scenario, tokyo, total};

    #[test]
    fn tokyo_rds_multi_az_and_valkey_on_one_year_no_upfront() {
        let e = tokyo(
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.medium"
multi_az = true
storage_gb = 20
reserved = { term = "1yr", payment = "no_upfront" }"#,
        );
        // 730 h x $0.1572 (rds.postgres.multi_az.db.t4g.medium.reserved.1yr.no_upfront.hourly)
        //   = $114.756; on demand it is 730 x $0.202 = $147.46, so $32.704 a month less
        let l = line(&e, "Instance (db.t4g.medium, Multi-AZ), reserved");
        assert_eq!(l.monthly_cost, dec("114.756"));
        assert!(has_note(l, "1-year Standard Reserved Instance, no upfront"));
        assert_eq!(l.upfront, None);
        // No upfront: no upfront line; storage is not covered: 20 GB x $0.276 = $5.52
        assert!(!has_line(
            &e,
            "Instance (db.t4g.medium, Multi-AZ), reserved upfront"
        ));
        assert_eq!(cost(&e, "Storage (gp3), Multi-AZ"), dec("5.52"));

        let v = tokyo(
            r#"kind = "elasticache"
engine = "valkey"
node_type = "cache.t4g.small"
replicas_per_shard = 1
reserved = { term = "1yr", payment = "no_upfront" }"#,
        );
        // 2 nodes x 730 h = 1,460 node-h x $0.0264 = $38.544 (on demand 1,460 x $0.0392 =
        // $57.232, $18.688 less)
        assert_eq!(cost(&v, "Nodes (cache.t4g.small), reserved"), dec("38.544"));
        // The source's own figure for the two together: "−約 617 USD" a year;
        // 12 x ($32.704 + $18.688) = $616.704.
        let saving = (dec("147.46") - dec("114.756")) + (dec("57.232") - dec("38.544"));
        assert_eq!(saving * dec("12"), dec("616.704"));
    }

    /// Rates pinned by override (no sourced us-east-1 rate): $0.004/h and $100 upfront.
    const PARTIAL: &str = r#"[overrides."ec2.instance.t3.micro.reserved.3yr.partial_upfront.hourly"]
price = "0.004"
unit = "hour"
reason = "test rate"

[overrides."ec2.instance.t3.micro.reserved.3yr.partial_upfront.upfront"]
price = "100"
unit = "instance"
reason = "test rate""#;

    #[test]
    fn partial_upfront_bills_every_hour_and_spreads_the_upfront_over_36_months() {
        let e = est(&scenario(
            "us-east-1",
            PARTIAL,
            r#"kind = "ec2"
instance_type = "t3.micro"
count = 3
schedule = "weekdays 09-19"
reserved = { term = "3yr", payment = "partial_upfront" }"#,
        ));
        // Billed every hour of the month, not the schedule's 217.26 h:
        // 3 x 730 h = 2,190 h x $0.004 = $8.76
        let h = line(&e, "Instance (t3.micro), reserved");
        assert_eq!(h.monthly_cost, dec("8.76"));
        assert!(has_note(
            h,
            "billed every hour of the month (730 h), used or not; the instances run 217.26 h"
        ));
        // $100 / 36 = $2.7777777778 (10 places) per instance-month x 3 = $8.3333333334; the
        // payment itself, 3 x $100 = $300, is the line's own figure.
        let u = line(&e, "Instance (t3.micro), reserved upfront");
        assert_eq!(u.unit, "instance-month");
        assert_eq!(u.unit_price, dec("2.7777777778"));
        assert_eq!(u.monthly_cost, dec("8.3333333334"));
        assert_eq!(u.upfront, Some(dec("300")));
        assert!(has_note(
            u,
            "monthly equivalent of $100.00 paid once per instance for the 36-month term"
        ));
        // Root volumes follow the count: 3 x 8 GB x $0.08 = $1.92. Total 8.76 + 8.3333333334 + 1.92
        assert_eq!(total(&e), dec("19.0133333334"));
    }

    #[test]
    fn all_upfront_has_no_hourly_line() {
        let e = est(&scenario(
            "us-east-1",
            r#"[overrides."rds.postgres.db.t3.micro.reserved.1yr.all_upfront.upfront"]
price = "120"
unit = "instance"
reason = "test rate""#,
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 20
reserved = { term = "1yr", payment = "all_upfront" }"#,
        ));
        assert!(!has_line(&e, "Instance (db.t3.micro), reserved"));
        // $120 / 12 = $10 a month exactly, $120 upfront
        let u = line(&e, "Instance (db.t3.micro), reserved upfront");
        assert_eq!(u.monthly_cost, dec("10"));
        assert_eq!(u.upfront, Some(dec("120")));
    }

    #[test]
    fn a_reserved_rate_the_book_lacks_is_a_missing_price_naming_the_key() {
        let msg = err(&scenario(
            "ap-northeast-1",
            "",
            r#"kind = "aurora"
engine = "postgres"
instance_class = "db.r6g.large"
reserved = { term = "3yr", payment = "partial_upfront" }"#,
        ));
        assert!(
            msg.contains("aurora.postgres.db.r6g.large.reserved.3yr.partial_upfront.hourly"),
            "{msg}"
        );
        assert!(
            msg.contains("aurora.postgres.db.r6g.large.reserved.3yr.partial_upfront.upfront"),
            "{msg}"
        );
    }

    #[test]
    fn reserved_is_refused_where_there_are_no_reserved_instances() {
        let msg = err(&scenario(
            "us-east-1",
            "",
            "kind = \"lambda\"\nmemory_mb = 512\nreserved = { term = \"1yr\", payment = \"no_upfront\" }",
        ));
        assert!(msg.contains("`phases.p.resources.r.reserved`: `lambda` has no Reserved Instances: `reserved` is for ec2, rds, aurora and elasticache"), "{msg}");
        let msg = err(&scenario(
            "us-east-1",
            "",
            "kind = \"aurora\"\nengine = \"postgres\"\nmax_acu = 4\nreserved = { term = \"1yr\", payment = \"no_upfront\" }",
        ));
        assert!(msg.contains("`phases.p.resources.r.reserved`: `reserved` is for provisioned instances (`instance_class`): Aurora Serverless v2 capacity has no Reserved Instances"), "{msg}");
    }

    #[test]
    fn reserved_and_a_percentage_on_the_same_kind_is_refused() {
        let body = "kind = \"elasticache\"\nengine = \"valkey\"\nnode_type = \"cache.t4g.small\"\nreserved = { term = \"1yr\", payment = \"no_upfront\" }";
        let msg = err(&scenario(
            "ap-northeast-1",
            "[discounts]\nelasticache = 20",
            body,
        ));
        assert!(msg.contains("`r` has `reserved` and its kind `elasticache` is also discounted 20% by `discounts.elasticache` (test.toml:3:1): that would discount it twice"), "{msg}");
        // A phase's own table reaches it too.
        let toml = format!("region = \"ap-northeast-1\"\n[phases.p]\ndiscounts = {{ elasticache = 20 }}\n[phases.p.resources.r]\n{body}\n");
        let msg = err(&toml);
        assert!(
            msg.contains("also discounted 20% by `phases.p.discounts.elasticache`"),
            "{msg}"
        );
    }
}
