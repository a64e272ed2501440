//! Commitments per resource: Reserved Instances (`reserved`) on the kinds that bill instance or
//! node hours (ec2, rds, aurora provisioned, elasticache), and Savings Plans (`savings_plan`) on
//! ec2, fargate and lambda. A kind takes a key by listing it in its `Kind::COMMITMENTS` and
//! calls [`instance_hours`] where it would call `resources::instance_hours`, or [`covered`] for
//! each line a Savings Plan covers; the loader refuses the key on every other kind, refuses two
//! commitments on one resource, and refuses a commitment on a kind a `discounts` percentage also
//! reaches (see `scenario::build_phase`).
//!
//! Savings Plans: `<on-demand key>.savings_plan.<type>.<term>.<payment>`, the Savings Plans
//! Price List's `discountedRate` for the on-demand usage type (offer `AWSComputeSavingsPlan`),
//! one effective rate per payment option. A real plan is a $/hour commitment applied to
//! whatever eligible usage runs; costplan models a plan sized to the resource's whole usage.
//!
//! Prices: `<on-demand key>.reserved.<term>.<payment>.hourly` (the recurring rate per instance
//! hour) and `.upfront` (paid once per instance for the term), as the AWS Price List's
//! `terms.Reserved` gives them (`LeaseContractLength`, `PurchaseOption`, a `Hrs` and a
//! `Quantity` price dimension). Standard offering class only (RDS and ElastiCache have no other).

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{Ctx, FieldError, Usage};
use crate::money::fmt_number;
use crate::num::mul;
use crate::pricing::PriceError;

/// The commitment keys a resource may carry (each kind lists those it takes).
pub const KEYS: &[&str] = &["reserved", "savings_plan"];

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

/// A commitment table as written: the table, or `false` for none (an environment's patch
/// turning off the commitment it inherits from its phase). One wrapper for every commitment key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key<T>(pub Option<T>);

/// `reserved` as written.
pub type ReservedKey = Key<Reserved>;
/// `savings_plan` as written.
pub type SavingsPlanKey = Key<SavingsPlan>;

impl<T> Default for Key<T> {
    fn default() -> Self {
        Key(None)
    }
}

impl<T> Key<T> {
    pub fn get(&self) -> Option<&T> {
        self.0.as_ref()
    }
}

/// What a commitment table's key says about itself, for its messages and schema.
pub trait Table: for<'de> Deserialize<'de> + schemars::JsonSchema {
    /// The scenario key.
    const KEY: &'static str;
    /// The fields, as the `= true` refusal lists them.
    const FIELDS: &'static str;
    const SCHEMA_NAME: &'static str;
    const DESCRIPTION: &'static str;
}

impl Table for Reserved {
    const KEY: &'static str = "reserved";
    const FIELDS: &'static str = "{ term = \"1yr\" or \"3yr\", payment = \"no_upfront\", \"partial_upfront\" or \"all_upfront\" }";
    const SCHEMA_NAME: &'static str = "ReservedKey";
    const DESCRIPTION: &'static str = "Reserved Instances for every instance of the resource, or `false` for none (to turn off an inherited one).";
}

impl Table for SavingsPlan {
    const KEY: &'static str = "savings_plan";
    const FIELDS: &'static str = "{ type = \"compute\" or \"ec2_instance\", term = \"1yr\" or \"3yr\", payment = \"no_upfront\", \"partial_upfront\" or \"all_upfront\" }";
    const SCHEMA_NAME: &'static str = "SavingsPlanKey";
    const DESCRIPTION: &'static str = "A Savings Plan covering the resource's whole usage, or `false` for none (to turn off an inherited one).";
}

impl<'de, T: Table> Deserialize<'de> for Key<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Table> Visitor<'de> for V<T> {
            type Value = Key<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a table `{}`, or `false` for none", T::FIELDS)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key<T>, E> {
                if v {
                    return Err(E::custom(format!(
                        "`{} = true` does not say which commitment: give `{}`",
                        T::KEY,
                        T::FIELDS
                    )));
                }
                Ok(Key(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Key<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(m)).map(|r| Key(Some(r)))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<T: Table> schemars::JsonSchema for Key<T> {
    fn schema_name() -> Cow<'static, str> {
        T::SCHEMA_NAME.into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let table = generator.subschema_for::<T>();
        schemars::json_schema!({
            "description": T::DESCRIPTION,
            "oneOf": [table, { "const": false }]
        })
    }
}

/// The two Savings Plans for compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanType {
    /// Any instance family, region, Fargate and Lambda.
    Compute,
    /// One EC2 instance family in one region.
    Ec2Instance,
}

impl PlanType {
    pub fn key(self) -> &'static str {
        match self {
            PlanType::Compute => "compute",
            PlanType::Ec2Instance => "ec2_instance",
        }
    }

    fn text(self) -> &'static str {
        match self {
            PlanType::Compute => "Compute Savings Plan",
            PlanType::Ec2Instance => "EC2 Instance Savings Plan",
        }
    }
}

/// `savings_plan = { type = "compute", term = "1yr", payment = "no_upfront" }`: the resource's
/// whole usage on a Savings Plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SavingsPlan {
    /// `compute` or `ec2_instance` (ec2 only).
    #[serde(rename = "type")]
    pub plan: PlanType,
    /// `1yr` or `3yr`.
    pub term: Term,
    /// `no_upfront`, `partial_upfront` or `all_upfront`.
    pub payment: Payment,
}

impl SavingsPlan {
    /// The price key of the on-demand key `on_demand`'s usage on this plan.
    pub fn key(&self, on_demand: &str) -> String {
        format!(
            "{on_demand}.savings_plan.{}.{}.{}",
            self.plan.key(),
            self.term.key(),
            self.payment.key()
        )
    }
}

/// Refuse an EC2 Instance Savings Plan on a kind it does not cover (Fargate, Lambda).
pub fn compute_only(sp: &SavingsPlanKey, kind: &str) -> Result<(), FieldError> {
    match sp.get() {
        Some(p) if p.plan == PlanType::Ec2Instance => Err(FieldError::new(
            "savings_plan",
            format!("an EC2 Instance Savings Plan covers EC2 instances only, not {kind}"),
        )
        .help(Some(
            "use `type = \"compute\"`: Compute Savings Plans cover Fargate and Lambda too".into(),
        ))),
        _ => Ok(()),
    }
}

/// Partial Upfront: the share of the plan paid upfront. AWS takes 50 to 99 % of the plan's
/// total value (CreateSavingsPlan's `upfrontPaymentAmount`); costplan models the least, half.
const PARTIAL_UPFRONT_SHARE: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// `usage` of the on-demand price `key`, on `plan` when given (else as it would be billed:
/// `always_on` a running line, otherwise a usage line). On a plan it is billed at the plan's
/// rate; what is paid upfront is a line of its own (`<label>, savings plan upfront`) whose
/// month is the payment's monthly equivalent and whose `upfront` is the payment for the term.
pub fn covered(
    ctx: &mut Ctx,
    label: &str,
    key: &str,
    usage: Usage,
    plan: Option<&SavingsPlan>,
    always_on: bool,
) -> Result<(), PriceError> {
    let push = |ctx: &mut Ctx, label: &str, key: &str, u: Usage| {
        if always_on {
            ctx.running(label, key, u).map(|_| ())
        } else {
            ctx.usage(label, key, u).map(|_| ())
        }
    };
    let Some(p) = plan else {
        return push(ctx, label, key, usage);
    };
    let stem = p.key(key);
    let what = format!("{} {}, {}", p.term.text(), p.plan.text(), p.payment.text());
    let upfront_part = match p.payment {
        Payment::NoUpfront => Decimal::ZERO,
        Payment::PartialUpfront => PARTIAL_UPFRONT_SHARE,
        Payment::AllUpfront => Decimal::ONE,
    };
    let prepaid = usage.map(|u| u * upfront_part);
    if p.payment != Payment::AllUpfront {
        let monthly = usage.map(|u| u * (Decimal::ONE - upfront_part));
        push(ctx, &format!("{label}, savings plan"), &stem, monthly)?;
        ctx.note(format!(
            "{what}: the usage at the plan's rate (the plan is taken to cover all of it)"
        ));
        if p.payment == Payment::PartialUpfront {
            ctx.note("partial upfront: half the plan is paid monthly, half upfront (the least AWS takes upfront)");
        }
    }
    if p.payment != Payment::NoUpfront {
        push(
            ctx,
            &format!("{label}, savings plan upfront"),
            &stem,
            prepaid,
        )?;
        ctx.prepaid(p.term.months());
        ctx.note(format!("{what}: the upfront payment"));
    }
    Ok(())
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
    //! Hand-checked figures. The Reserved rates are the books' (Tokyo: pl-rds-reserved-apn1-2026-09-27,
    //! pl-elasticache-reserved-apn1-2026-09-27, ec2-priceit-ri-apn1; us-east-1:
    //! pl-ec2-use1-m5-large-20200709, pl-ec2-use1-c5-xlarge-20200618). The one worked Reserved
    //! Instance example with AWS's figures is the AWS Pricing Calculator output for Tokyo
    //! c5.xlarge Windows quoted in ec2-priceit-ri-apn1; where a payment option has no sourced
    //! rate the test pins one with an override and says so.

    use crate::testkit::{
        assert_refused, cost, dec, err, est, has_line, has_note, line, scenario, tokyo, total, us,
    };

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

    const M5_LARGE: &str = "kind = \"ec2\"\ninstance_type = \"m5.large\"\nroot_volume_gb = 0\n";
    const C5_XLARGE: &str = "kind = \"ec2\"\ninstance_type = \"c5.xlarge\"\nroot_volume_gb = 0\n";

    #[test]
    fn us_m5_large_on_each_one_year_payment_option() {
        let on = |payment: &str| {
            us(&format!(
                "{M5_LARGE}reserved = {{ term = \"1yr\", payment = \"{payment}\" }}"
            ))
        };
        // No upfront: 730 h x $0.06 (SKU 6C86BEPQVG73ZGGR, offer term 4NA7Y494T4) = $43.80;
        // on demand 730 x $0.096 = $70.08
        let e = on("no_upfront");
        assert_eq!(cost(&e, "Instance (m5.large), reserved"), dec("43.80"));
        assert!(!has_line(&e, "Instance (m5.large), reserved upfront"));
        assert_eq!(total(&e), dec("43.80"));
        assert_eq!(cost(&us(M5_LARGE), "Instance (m5.large)"), dec("70.08"));
        // Partial upfront (HU7G6KETJZ): 730 h x $0.029 = $21.17, and $252 / 12 = $21 a month;
        // $252 upfront. 21.17 + 21 = $42.17 a month.
        let e = on("partial_upfront");
        assert_eq!(cost(&e, "Instance (m5.large), reserved"), dec("21.17"));
        let u = line(&e, "Instance (m5.large), reserved upfront");
        assert_eq!(u.monthly_cost, dec("21"));
        assert_eq!(u.upfront, Some(dec("252")));
        assert_eq!(total(&e), dec("42.17"));
        // All upfront (6QCMYABX3D): $494 / 12 = $41.1666666667 (10 places), no hourly line
        let e = on("all_upfront");
        assert!(!has_line(&e, "Instance (m5.large), reserved"));
        let u = line(&e, "Instance (m5.large), reserved upfront");
        assert_eq!(u.monthly_cost, dec("41.1666666667"));
        assert_eq!(u.upfront, Some(dec("494")));
    }

    #[test]
    fn us_c5_xlarge_on_each_three_year_payment_option() {
        let on = |payment: &str| {
            us(&format!(
                "{C5_XLARGE}reserved = {{ term = \"3yr\", payment = \"{payment}\" }}"
            ))
        };
        // No upfront (SKU 35AEEWH98DECPC35, BPH4J8HBKS): 730 h x $0.071 = $51.83
        assert_eq!(total(&on("no_upfront")), dec("51.83"));
        // Partial upfront (38NPMPTW36): 730 h x $0.033 = $24.09, and $867 / 36 =
        // $24.0833333333 (10 places) a month: $48.1733333333
        let e = on("partial_upfront");
        assert_eq!(cost(&e, "Instance (c5.xlarge), reserved"), dec("24.09"));
        let u = line(&e, "Instance (c5.xlarge), reserved upfront");
        assert_eq!(u.monthly_cost, dec("24.0833333333"));
        assert_eq!(u.upfront, Some(dec("867")));
        assert_eq!(total(&e), dec("48.1733333333"));
        // All upfront (NQ3QZPMQV9): $1,629 / 36 = $45.25 a month exactly
        let e = on("all_upfront");
        assert_eq!(total(&e), dec("45.25"));
        assert_eq!(
            line(&e, "Instance (c5.xlarge), reserved upfront").upfront,
            Some(dec("1629"))
        );
        // The rates are from a 2020 Price List record: the line says its price is low trust.
        assert!(has_note(
            line(&e, "Instance (c5.xlarge), reserved upfront"),
            "low-trust price"
        ));
    }

    #[test]
    fn tokyo_c5_windows_reserved_reproduces_the_aws_pricing_calculator() {
        let on = |term: &str, payment: &str| {
            tokyo(&format!(
                "{C5_WINDOWS}root_volume_gb = 0\nreserved = {{ term = \"{term}\", payment = \"{payment}\" }}"
            ))
        };
        // The AWS Pricing Calculator output quoted in ec2-priceit-ri-apn1:
        // "730 Reserved instance hours per month x 0.319000 USD = 232.870000 USD"
        assert_eq!(
            cost(
                &on("1yr", "no_upfront"),
                "Instance (c5.xlarge, Windows), reserved"
            ),
            dec("232.87")
        );
        // "1 Reserved instances x 1368.000000 USD upfront cost" and "730 Reserved instance hours
        // per month x 0.156000 USD = 113.880000 USD"; costplan spreads the $1,368 over 12
        // months: $114, so 113.88 + 114 = $227.88 a month
        let e = on("1yr", "partial_upfront");
        assert_eq!(
            cost(&e, "Instance (c5.xlarge, Windows), reserved"),
            dec("113.88")
        );
        let u = line(&e, "Instance (c5.xlarge, Windows), reserved upfront");
        assert_eq!(u.upfront, Some(dec("1368")));
        assert_eq!(total(&e), dec("227.88"));
        // "730 Reserved instance hours per month x 0.135000 USD = 98.550000 USD" and $3,543
        // upfront: 3543 / 36 = $98.4166666667 (10 places), $196.9666666667 a month
        let e = on("3yr", "partial_upfront");
        assert_eq!(total(&e), dec("196.9666666667"));
        // "1 Reserved instances x 6950.000000 USD upfront cost": 6950 / 36 = $193.0555555556
        let e = on("3yr", "all_upfront");
        assert_eq!(total(&e), dec("193.0555555556"));
        assert_eq!(
            line(&e, "Instance (c5.xlarge, Windows), reserved upfront").upfront,
            Some(dec("6950"))
        );
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
    fn the_tokyo_reserved_rates_have_no_us_east_1_counterpart_yet() {
        // Tokyo prices both (tokyo_rds_multi_az_and_valkey_on_one_year_no_upfront); no sourced
        // us-east-1 rate exists, and a Tokyo rate is never copied across, so the key is missing.
        for (body, key) in [
            (
                "kind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.t4g.medium\"\nmulti_az = true\nstorage_gb = 20",
                "rds.postgres.multi_az.db.t4g.medium.reserved.1yr.no_upfront.hourly",
            ),
            (
                "kind = \"elasticache\"\nengine = \"valkey\"\nnode_type = \"cache.t4g.small\"",
                "elasticache.valkey.cache.t4g.small.reserved.1yr.no_upfront.hourly",
            ),
        ] {
            let body = format!("{body}\nreserved = {{ term = \"1yr\", payment = \"no_upfront\" }}");
            assert_refused("us-east-1", &body, key);
        }
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

    // --- Savings Plans ---

    /// An override pinning a rate the books lack, for the mechanism's tests.
    fn stated(key: &str, price: &str, unit: &str) -> String {
        format!("[overrides.\"{key}\"]\nprice = \"{price}\"\nunit = \"{unit}\"\nreason = \"test rate\"\n")
    }

    const C5_WINDOWS: &str = "kind = \"ec2\"\ninstance_type = \"c5.xlarge\"\nos = \"windows\"\n";

    #[test]
    fn tokyo_c5_windows_on_a_compute_savings_plan_no_upfront() {
        let e = tokyo(&format!(
            "{C5_WINDOWS}savings_plan = {{ type = \"compute\", term = \"1yr\", payment = \"no_upfront\" }}"
        ));
        // 730 h x $0.361 (ec2.instance.c5.xlarge.windows.savings_plan.compute.1yr.no_upfront,
        // SKU BB7BKBSC6NZW7P5B) = $263.53; on demand 730 x $0.398 = $290.54, $27.01 less
        let l = line(&e, "Instance (c5.xlarge, Windows), savings plan");
        assert_eq!(l.monthly_cost, dec("263.53"));
        assert_eq!(l.upfront, None);
        assert!(has_note(l, "1-year Compute Savings Plan, no upfront"));
        assert!(!has_line(&e, "Instance (c5.xlarge, Windows)"));
        assert!(!has_line(
            &e,
            "Instance (c5.xlarge, Windows), savings plan upfront"
        ));
        let od = tokyo(C5_WINDOWS);
        assert_eq!(cost(&od, "Instance (c5.xlarge, Windows)"), dec("290.54"));
    }

    #[test]
    fn partial_upfront_pays_half_monthly_and_half_upfront() {
        let e = tokyo(&format!(
            "{C5_WINDOWS}count = 2\nsavings_plan = {{ type = \"compute\", term = \"1yr\", payment = \"partial_upfront\" }}"
        ));
        // 2 x 730 h = 1,460 h: half, 730 h, on each line at $0.352 (SKU RHUDT3BFKYZK745U)
        //   = $256.96 a month each; the upfront is 12 x $256.96 = $3,083.52
        let h = line(&e, "Instance (c5.xlarge, Windows), savings plan");
        assert_eq!(h.quantity, dec("730"));
        assert_eq!(h.monthly_cost, dec("256.96"));
        assert_eq!(h.upfront, None);
        let u = line(&e, "Instance (c5.xlarge, Windows), savings plan upfront");
        assert_eq!(u.quantity, dec("730"));
        assert_eq!(u.monthly_cost, dec("256.96"));
        assert_eq!(u.upfront, Some(dec("3083.52")));
        assert!(has_note(
            u,
            "monthly equivalent of $3083.52 paid upfront for the 12-month term ($256.96 a month x 12)"
        ));
        // + root volumes 2 x 8 GB x $0.096 = $1.536: 256.96 + 256.96 + 1.536
        assert_eq!(total(&e), dec("515.456"));
    }

    #[test]
    fn ec2_instance_plan_all_upfront_has_no_hourly_line() {
        let e = tokyo(&format!(
            "{C5_WINDOWS}savings_plan = {{ type = \"ec2_instance\", term = \"3yr\", payment = \"all_upfront\" }}"
        ));
        assert!(!has_line(&e, "Instance (c5.xlarge, Windows), savings plan"));
        // 730 h x $0.264 (SKU HG9V2UBQC2P9GB3T) = $192.72 a month; 36 x $192.72 = $6,937.92
        let u = line(&e, "Instance (c5.xlarge, Windows), savings plan upfront");
        assert_eq!(u.monthly_cost, dec("192.72"));
        assert_eq!(u.upfront, Some(dec("6937.92")));
        assert!(has_note(u, "3-year EC2 Instance Savings Plan, all upfront"));
    }

    #[test]
    fn a_savings_plan_rate_the_book_lacks_is_a_missing_price_naming_the_key() {
        let msg = err(&scenario(
            "us-east-1",
            "",
            "kind = \"ec2\"\ninstance_type = \"t3.micro\"\nsavings_plan = { type = \"compute\", term = \"1yr\", payment = \"no_upfront\" }",
        ));
        assert!(
            msg.contains("ec2.instance.t3.micro.savings_plan.compute.1yr.no_upfront"),
            "{msg}"
        );
        let msg = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\nsavings_plan = { type = \"compute\", term = \"3yr\", payment = \"no_upfront\" }",
        ));
        assert!(
            msg.contains("fargate.vcpu.x86_64.savings_plan.compute.3yr.no_upfront"),
            "{msg}"
        );
        assert!(
            msg.contains("fargate.memory.x86_64.savings_plan.compute.3yr.no_upfront"),
            "{msg}"
        );
        // Neither book has a Fargate (us-east-1) or Lambda (either region) plan rate.
        assert_refused(
            "us-east-1",
            "kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\nsavings_plan = { type = \"compute\", term = \"1yr\", payment = \"no_upfront\" }",
            "fargate.vcpu.x86_64.savings_plan.compute.1yr.no_upfront",
        );
        for region in ["us-east-1", "ap-northeast-1"] {
            assert_refused(
                region,
                "kind = \"lambda\"\nmemory_mb = 512\nmonthly_requests = 1_000_000\navg_duration_ms = 100\nsavings_plan = { type = \"compute\", term = \"1yr\", payment = \"no_upfront\" }",
                "lambda.duration.x86_64.savings_plan.compute.1yr.no_upfront",
            );
        }
    }

    #[test]
    fn fargate_vcpu_and_memory_on_a_compute_plan_storage_not_covered() {
        // Rates pinned by override (no sourced Fargate rate): $0.03 per vCPU-h, $0.003 per GB-h.
        let top = stated(
            "fargate.vcpu.x86_64.savings_plan.compute.1yr.no_upfront",
            "0.03",
            "hour",
        ) + &stated(
            "fargate.memory.x86_64.savings_plan.compute.1yr.no_upfront",
            "0.003",
            "hour",
        );
        let e = est(&scenario(
            "us-east-1",
            &top,
            "kind = \"fargate\"\ncpu = 2\nmemory_gb = 4\ntasks = 2\nephemeral_storage_gb = 30\nsavings_plan = { type = \"compute\", term = \"1yr\", payment = \"no_upfront\" }",
        ));
        // 2 tasks x 730 h = 1,460 task-h x 2 vCPU = 2,920 vCPU-h x $0.03 = $87.60;
        // 1,460 x 4 GB = 5,840 GB-h x $0.003 = $17.52
        assert_eq!(cost(&e, "vCPU, savings plan"), dec("87.60"));
        assert_eq!(cost(&e, "Memory, savings plan"), dec("17.52"));
        assert!(!has_line(&e, "vCPU"));
        // ephemeral storage keeps its own rate: 1,460 task-h x 10 GB = 14,600 GB-h
        //   x $0.000111 = $1.6206
        assert_eq!(cost(&e, "Ephemeral storage above 20 GB"), dec("1.6206"));
        assert_eq!(total(&e), dec("106.7406"));
    }

    #[test]
    fn lambda_duration_on_a_compute_plan_requests_not_covered() {
        // AWS Lambda pricing, Example 1's function (3M requests, 120 ms, 1536 MB): 540,000 GB-s,
        // here at a pinned plan rate of $0.000014 per GB-s (no sourced rate).
        let top = stated(
            "lambda.duration.x86_64.savings_plan.compute.3yr.all_upfront",
            "0.000014",
            "GB-second",
        );
        let e = est(&scenario(
            "us-east-1",
            &top,
            "kind = \"lambda\"\nmemory_mb = 1536\nmonthly_requests = 3_000_000\navg_duration_ms = 120\nsavings_plan = { type = \"compute\", term = \"3yr\", payment = \"all_upfront\" }",
        ));
        // 540,000 GB-s x $0.000014 = $7.56 a month; 36 x $7.56 = $272.16 upfront
        let u = line(&e, "Duration, savings plan upfront");
        assert_eq!(u.quantity, dec("540000"));
        assert_eq!(u.monthly_cost, dec("7.56"));
        assert_eq!(u.upfront, Some(dec("272.16")));
        // requests stay on demand: 3 x $0.20 = $0.60
        assert_eq!(cost(&e, "Requests"), dec("0.60"));
        assert_eq!(total(&e), dec("8.16"));
    }

    #[test]
    fn lambda_provisioned_concurrency_is_covered_too() {
        // AWS Lambda pricing, Provisioned Concurrency Example 2 (PC 7 for 24 h, 4096 MB, 2M
        // requests of 280 ms on PC), with pinned plan rates.
        let top = stated(
            "lambda.provisioned.x86_64.savings_plan.compute.1yr.no_upfront",
            "0.000003",
            "GB-second",
        ) + &stated(
            "lambda.provisioned_duration.x86_64.savings_plan.compute.1yr.no_upfront",
            "0.000008",
            "GB-second",
        ) + &stated(
            "lambda.duration.x86_64.savings_plan.compute.1yr.no_upfront",
            "0.000014",
            "GB-second",
        );
        let e = est(&scenario(
            "us-east-1",
            &top,
            "kind = \"lambda\"\nmemory_mb = 4096\nmonthly_requests = 2_000_000\navg_duration_ms = 280\nprovisioned_concurrency = 7\nprovisioned_hours = 24\nprovisioned_requests_percent = 100\nsavings_plan = { type = \"compute\", term = \"1yr\", payment = \"no_upfront\" }",
        ));
        // 2,419,200 GB-s x $0.000003 = $7.2576; 2,240,000 GB-s x $0.000008 = $17.92
        assert_eq!(
            cost(&e, "Provisioned concurrency, savings plan"),
            dec("7.2576")
        );
        assert_eq!(
            cost(&e, "Duration on provisioned concurrency, savings plan"),
            dec("17.92")
        );
        // nothing left on demand; requests 2 x $0.20 = $0.40: 7.2576 + 17.92 + 0.40
        assert_eq!(cost(&e, "Duration, savings plan"), dec("0"));
        assert_eq!(total(&e), dec("25.5776"));
    }

    #[test]
    fn savings_plans_are_refused_where_they_do_not_apply() {
        let sp = "savings_plan = { type = \"compute\", term = \"1yr\", payment = \"no_upfront\" }";
        let msg = err(&scenario(
            "us-east-1",
            "",
            &format!(
                "kind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.t3.micro\"\n{sp}"
            ),
        ));
        assert!(msg.contains("`phases.p.resources.r.savings_plan`: `rds` has no Savings Plans: `savings_plan` is for ec2, lambda and fargate"), "{msg}");
        for (body, kind) in [
            ("kind = \"fargate\"\ncpu = 1\nmemory_gb = 2", "Fargate"),
            ("kind = \"lambda\"\nmemory_mb = 512", "Lambda"),
        ] {
            let msg = err(&scenario(
                "us-east-1",
                "",
                &format!("{body}\nsavings_plan = {{ type = \"ec2_instance\", term = \"1yr\", payment = \"no_upfront\" }}"),
            ));
            assert!(
                msg.contains(&format!("resources.r.savings_plan`: an EC2 Instance Savings Plan covers EC2 instances only, not {kind}")),
                "{msg}"
            );
        }
        let msg = err(&scenario(
            "us-east-1",
            "",
            &format!("kind = \"ec2\"\ninstance_type = \"t3.micro\"\nreserved = {{ term = \"1yr\", payment = \"no_upfront\" }}\n{sp}"),
        ));
        assert!(
            msg.contains(
                "`r` has both `reserved` and `savings_plan`: each would cover the same usage"
            ),
            "{msg}"
        );
        assert!(msg.contains("test.toml:8:1"), "{msg}");
        let msg = err(&scenario(
            "ap-northeast-1",
            "[discounts]\nec2 = 10",
            &format!("{C5_WINDOWS}{sp}"),
        ));
        assert!(
            msg.contains("`r` has `savings_plan` and its kind `ec2` is also discounted 10%"),
            "{msg}"
        );
        let msg = err(&scenario(
            "us-east-1",
            "",
            "kind = \"lambda\"\nmemory_mb = 512\nsavings_plan = true",
        ));
        assert!(
            msg.contains("`savings_plan = true` does not say which commitment"),
            "{msg}"
        );
    }

    #[test]
    fn a_savings_plan_covers_an_autoscaled_fleet_as_its_usage_comes() {
        let p = crate::testkit::plan(
            "region = \"ap-northeast-1\"\n[traffic]\navg_rps = 1\nduration_ms = 100\n\
             [phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"c5.xlarge\"\nos = \"windows\"\n\
             savings_plan = { type = \"compute\", term = \"1yr\", payment = \"no_upfront\" }\n\
             autoscaling = { min = 2, max = 2, target_rps_per_task = 100 }\n",
        );
        let l = crate::testkit::phase_line(
            &p.estimate,
            0,
            "Instance (c5.xlarge, Windows), savings plan",
        );
        // the simulated instance-hours (about 2 x 730 = 1,460) at $0.361
        assert_eq!(l.quantity.round_dp(4), dec("1460"));
        assert_eq!(l.monthly_cost, (l.quantity * dec("0.361")).round_dp(10));
    }
}
