//! Priced resource models: one file per AWS resource kind, each turning configuration and
//! monthly usage into cost lines through the shared [`Ctx`] helpers.
//!
//! Conventions every model follows:
//! - usage fields are optional; a missing usage gives a "depends on usage" line, never $0;
//! - always-on components go through [`Ctx::baseline`], usage through [`Ctx::usage`];
//! - quantities are passed in base units (requests, GB-seconds, hours); the price book's `per`
//!   turns them into the priced unit.

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use toml::Value;

use crate::cost::{CostKind, CostLine, UsageSource};
use crate::money::fmt_price;
use crate::pricing::{split_components, PricedComponent};
use crate::pricing::{Catalog, PriceError, Pricer};
use crate::source::deserialize_rel;
pub use crate::source::FieldError;
pub use crate::usage::{Demand, Derived, Gauge, UnitVolume, UsageKey, Volume};

pub mod commitment;
mod schedule;
pub use schedule::Schedule;

pub mod alb;
pub mod api_gateway;
pub mod aurora;
pub mod clb;
pub mod cloudfront;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod cognito;
pub mod data_transfer;
pub mod dynamodb;
pub mod ebs;
pub mod ec2;
pub mod ecr;
pub mod efs;
pub mod eks;
pub mod elasticache;
pub mod fargate;
pub mod fixed;
pub mod kms;
pub mod lambda;
pub mod mwaa;
pub mod nat_gateway;
pub mod nat_instance;
pub mod nlb;
pub mod public_ipv4;
pub mod rds;
pub mod rds_proxy;
pub mod route53;
pub mod s3;
pub mod secrets_manager;
pub mod sns;
pub mod sqs;
pub mod ssm_parameter;
pub mod vpc_endpoint;
pub mod waf;
pub mod xray;

/// A priced resource kind.
pub trait Resource: std::fmt::Debug + Send + Sync {
    /// Checks that need data (the instance catalog) or span several fields.
    fn validate(&self, _catalog: &Catalog) -> Result<(), FieldError> {
        Ok(())
    }
    /// Add this resource's cost lines to `ctx`.
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError>;
    /// What the resource means to the capacity model (serves traffic, holds connections, ...).
    fn role(&self, _catalog: &Catalog) -> crate::capacity::Role {
        crate::capacity::Role::None
    }
    /// The usage this resource derives from a simulated month: `month` is what the whole
    /// phase saw, `unit` what this resource served when it is compute. Read back in
    /// [`Resource::price`] with [`Ctx::derived`] or [`Ctx::stated_or_derived`].
    fn derive_usage(&self, _month: &Volume, _unit: Option<&UnitVolume>) -> Derived {
        Derived::new()
    }
}

/// What the capacity model and the scenario loader know about a kind without an instance of
/// it; each kind states its own in its file (the defaults suit a kind that only costs money).
pub trait Kind: Resource + DeserializeOwned + schemars::JsonSchema + 'static {
    /// Billed by the hour and accepts `schedule` (an environment's schedule applies to it).
    const SCHEDULABLE: bool = false;
    /// How it meets the traffic.
    const ROLE: KindRole = KindRole::Other;
    /// The key with which a schedulable kind states its running time as a monthly total
    /// instead of a schedule (`hours_per_month` on EC2). A resource that sets it cannot also
    /// take a schedule, its own or a phase's (see `scenario::resolve`).
    const FIXED_HOURS_KEY: Option<&'static str> = None;
    /// The key with which a fleet states how many units run (`count`, `tasks`), which
    /// autoscaling decides instead.
    const COUNT_KEY: Option<&'static str> = None;
    /// Keys that are hours of the month something runs (at most the month; see
    /// `scenario::build_phase`).
    const MONTH_HOURS_KEYS: &'static [&'static str] = &[];
    /// The capacity report's volume column it adds to.
    const GAUGE: Option<Gauge> = None;
    /// A GB sweep sets this usage on it (kinds that bill data processed).
    const GB_AXIS: Option<UsageKey> = None;
    /// The commitment keys it takes (`reserved`; see [`commitment`]); the loader refuses the
    /// others.
    const COMMITMENTS: &'static [&'static str] = &[];
}

/// How a kind meets the traffic, for the capacity keys it accepts (see `scenario::workload`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindRole {
    /// A function: one request per environment at a time.
    Function,
    /// Tasks or instances that can autoscale.
    Fleet,
    /// A database that takes the application's connections.
    Database,
    Other,
}

impl KindRole {
    /// Serves requests (a function or a fleet).
    pub fn is_compute(self) -> bool {
        matches!(self, KindRole::Function | KindRole::Fleet)
    }
}

/// A registered kind: its scenario name, display service, what it is, and its parser.
pub struct KindInfo {
    pub name: &'static str,
    pub service: &'static str,
    pub schedulable: bool,
    pub role: KindRole,
    pub fixed_hours_key: Option<&'static str>,
    pub count_key: Option<&'static str>,
    pub month_hours_keys: &'static [&'static str],
    pub gauge: Option<Gauge>,
    pub gb_axis: Option<UsageKey>,
    pub commitments: &'static [&'static str],
    pub parse: fn(Value) -> Result<Box<dyn Resource>, FieldError>,
    /// The JSON Schema of the keys its model parses (see `scenario::schema`).
    pub schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
}

fn parse_as<T: Kind>(v: Value) -> Result<Box<dyn Resource>, FieldError> {
    deserialize_rel::<T>(v).map(|t| Box::new(t) as Box<dyn Resource>)
}

macro_rules! kinds {
    ($( $name:literal => $service:literal, $ty:ty; )*) => {
        /// Every resource kind, in the order the README lists them.
        pub static KINDS: &[KindInfo] = &[
            $( KindInfo {
                name: $name,
                service: $service,
                schedulable: <$ty as Kind>::SCHEDULABLE,
                role: <$ty as Kind>::ROLE,
                fixed_hours_key: <$ty as Kind>::FIXED_HOURS_KEY,
                count_key: <$ty as Kind>::COUNT_KEY,
                month_hours_keys: <$ty as Kind>::MONTH_HOURS_KEYS,
                gauge: <$ty as Kind>::GAUGE,
                gb_axis: <$ty as Kind>::GB_AXIS,
                commitments: <$ty as Kind>::COMMITMENTS,
                parse: parse_as::<$ty>,
                schema: <$ty as schemars::JsonSchema>::json_schema,
            }, )*
        ];
    };
}

kinds! {
    "ec2" => "EC2", ec2::Ec2;
    "ebs" => "EBS", ebs::Ebs;
    "public_ipv4" => "VPC", public_ipv4::PublicIpv4;
    "lambda" => "Lambda", lambda::Lambda;
    "fargate" => "Fargate", fargate::Fargate;
    "eks" => "EKS", eks::Eks;
    "ecr" => "ECR", ecr::Ecr;
    "rds" => "RDS", rds::Rds;
    "aurora" => "Aurora", aurora::Aurora;
    "rds_proxy" => "RDS Proxy", rds_proxy::RdsProxy;
    "elasticache" => "ElastiCache", elasticache::ElastiCache;
    "dynamodb" => "DynamoDB", dynamodb::DynamoDb;
    "efs" => "EFS", efs::Efs;
    "alb" => "ALB", alb::Alb;
    "nlb" => "NLB", nlb::Nlb;
    "clb" => "CLB", clb::Clb;
    "nat_gateway" => "NAT Gateway", nat_gateway::NatGateway;
    "nat_instance" => "NAT instance", nat_instance::NatInstance;
    "vpc_endpoint" => "VPC endpoints", vpc_endpoint::VpcEndpoint;
    "s3" => "S3", s3::S3;
    "cloudfront" => "CloudFront", cloudfront::CloudFront;
    "api_gateway" => "API Gateway", api_gateway::ApiGateway;
    "waf" => "WAF", waf::Waf;
    "cognito" => "Cognito", cognito::Cognito;
    "route53" => "Route 53", route53::Route53;
    "cloudwatch" => "CloudWatch", cloudwatch::CloudWatch;
    "cloudtrail" => "CloudTrail", cloudtrail::CloudTrail;
    "xray" => "X-Ray", xray::XRay;
    "secrets_manager" => "Secrets Manager", secrets_manager::SecretsManager;
    "kms" => "KMS", kms::Kms;
    "ssm_parameter" => "Systems Manager", ssm_parameter::SsmParameter;
    "mwaa" => "MWAA", mwaa::Mwaa;
    "sqs" => "SQS", sqs::Sqs;
    "sns" => "SNS", sns::Sns;
    "data_transfer" => "Data transfer", data_transfer::DataTransfer;
    "fixed" => "Stated", fixed::Fixed;
}

/// Names of the kinds that match `pred`, in registry order, as "a, b or c" (`joiner` = "or").
pub fn kinds_where(pred: impl Fn(&KindInfo) -> bool, joiner: &str) -> String {
    let names: Vec<&str> = KINDS.iter().filter(|k| pred(k)).map(|k| k.name).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} {joiner} {last}", rest.join(", ")),
    }
}

pub fn kind_info(name: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.name == name)
}

pub fn kind_names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.name)
}

/// Usage of one component for a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    Stated(Decimal),
    Derived(Decimal),
    Unknown,
}

impl Usage {
    /// `Stated(v)` if given, else `Unknown`.
    pub fn stated(v: Option<impl Into<Decimal>>) -> Usage {
        v.map_or(Usage::Unknown, |v| Usage::Stated(v.into()))
    }

    /// A stated non-negative usage field, or `Unknown` when the scenario leaves it out.
    pub fn of(v: Option<crate::num::NonNeg>) -> Usage {
        Usage::stated(v.map(|x| x.0))
    }

    /// Apply `f` to a known amount (unit conversions, multiplying by a count).
    pub fn map(self, f: impl FnOnce(Decimal) -> Decimal) -> Usage {
        match self {
            Usage::Stated(v) => Usage::Stated(f(v)),
            Usage::Derived(v) => Usage::Derived(f(v)),
            Usage::Unknown => Usage::Unknown,
        }
    }

    /// Like [`Usage::map`] for arithmetic that can overflow (see [`crate::num::Overflow`]).
    pub fn try_map(
        self,
        f: impl FnOnce(Decimal) -> Result<Decimal, crate::num::Overflow>,
    ) -> Result<Usage, crate::num::Overflow> {
        Ok(match self {
            Usage::Stated(v) => Usage::Stated(f(v)?),
            Usage::Derived(v) => Usage::Derived(f(v)?),
            Usage::Unknown => Usage::Unknown,
        })
    }
}

/// Collects the components of one resource; applies overrides and discounts uniformly.
/// Volume tiers and the free tier are applied per phase, over every resource's components
/// (`pricing::split_components`, `pricing::apply_free_tier`), because AWS counts both per
/// account per month.
pub struct Ctx<'a> {
    pricer: &'a Pricer<'a>,
    pub catalog: &'a Catalog,
    info: &'static KindInfo,
    resource: &'a str,
    /// Hours in the scenario's month (730 unless the scenario says otherwise).
    pub hours_per_month: Decimal,
    components: Vec<PricedComponent>,
    /// Usage the traffic simulator derived for this resource.
    derived: Option<&'a Derived>,
    /// Usage set from outside the scenario (a sweep's point): replaces the stated value.
    overrides: Option<&'a Derived>,
    /// Prices this resource needs that the book lacks: collected, so one run names them all.
    missing: Vec<PriceError>,
    /// An environment's `traffic_share` with `scale_stated_usage = true`: stated usage
    /// quantities follow its size.
    stated_scale: Option<Decimal>,
    /// The phase's fraction off per kind (top-level `[discounts]` and the phase's own).
    discounts: Option<&'a IndexMap<String, Decimal>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        pricer: &'a Pricer<'a>,
        catalog: &'a Catalog,
        info: &'static KindInfo,
        resource: &'a str,
        hours_per_month: Decimal,
    ) -> Self {
        Ctx {
            pricer,
            catalog,
            info,
            resource,
            hours_per_month,
            components: Vec::new(),
            derived: None,
            overrides: None,
            missing: Vec::new(),
            stated_scale: None,
            discounts: None,
        }
    }

    /// The phase's discounts (fraction off per kind).
    pub fn with_discounts(mut self, discounts: &'a IndexMap<String, Decimal>) -> Self {
        self.discounts = Some(discounts);
        self
    }

    /// This kind's discount in the phase, if any.
    fn discount(&self) -> Option<Decimal> {
        self.discounts.and_then(|d| d.get(self.info.name)).copied()
    }

    /// The AWS region of the price book (`us-east-1`, ...).
    pub fn region(&self) -> &str {
        &self.pricer.book.region
    }

    /// Attach the simulator's derived usage for this resource.
    pub fn with_derived(mut self, derived: Option<&'a Derived>) -> Self {
        self.derived = derived;
        self
    }

    pub fn with_overrides(mut self, overrides: Option<&'a Derived>) -> Self {
        self.overrides = overrides;
        self
    }

    /// Multiply every stated usage quantity (not baseline hours or counts) by `scale`.
    pub fn with_stated_scale(mut self, scale: Option<Decimal>) -> Self {
        self.stated_scale = scale;
        self
    }

    /// The derived amount of `key`, or `Unknown` when there is no traffic profile.
    pub fn derived(&self, key: UsageKey) -> Usage {
        self.derived
            .and_then(|d| d.get(key))
            .map_or(Usage::Unknown, Usage::Derived)
    }

    /// An overridden usage (a sweep point), else the stated field, else the derived usage,
    /// else `Unknown`.
    pub fn stated_or_derived(&self, stated: Option<crate::num::NonNeg>, key: UsageKey) -> Usage {
        if let Some(v) = self.overrides.and_then(|o| o.get(key)) {
            return Usage::Stated(v);
        }
        match Usage::of(stated) {
            Usage::Unknown => self.derived(key),
            known => known,
        }
    }

    /// On the last component added: when its usage is stated but the traffic derives another
    /// figure (`from` names the traffic input), say so, so a comparison of a stated side with a
    /// derived one is not read as like with like.
    pub fn note_stated_over_derived(
        &mut self,
        stated: Option<crate::num::NonNeg>,
        key: UsageKey,
        from: &str,
    ) -> &mut Self {
        let derived = self.derived.and_then(|d| d.get(key));
        match (stated, derived) {
            (Some(s), Some(d)) if s.0 != d && self.overrides.is_none() => self.note(format!(
                "stated {}; the traffic derives {} ({from}): compare with phases priced from the same input",
                crate::money::fmt_number(s.0),
                crate::money::fmt_number(d)
            )),
            _ => self,
        }
    }

    /// This resource's lines on their own: tiers counted on this resource's usage only, no free
    /// tier. A phase estimate prices all resources together instead (see [`Ctx`]).
    pub fn into_lines(self) -> Result<Vec<CostLine>, crate::pricing::SplitError> {
        split_components(self.components)
            .map(|(lines, _)| lines)
            .map_err(|(_, o)| o)
    }

    /// The components asked for, before tiers and free tier (for the phase-level passes), and
    /// the missing prices (each with its key) that left some of them unpriced.
    pub(crate) fn into_components(self) -> (Vec<PricedComponent>, Vec<PriceError>) {
        (self.components, self.missing)
    }

    /// An always-on component: `amount` base units (e.g. instance-hours) at the price `key`.
    pub fn baseline(
        &mut self,
        component: &str,
        key: &str,
        amount: Decimal,
    ) -> Result<&mut Self, PriceError> {
        self.push(component, key, Usage::Stated(amount), CostKind::Baseline)
    }

    /// Running hours of a fleet: always-on when stated, usage-driven when the simulator's
    /// autoscaler derived them (the fleet then follows the traffic).
    pub fn running(
        &mut self,
        component: &str,
        key: &str,
        amount: Usage,
    ) -> Result<&mut Self, PriceError> {
        match amount {
            Usage::Derived(_) => self.push(component, key, amount, CostKind::Usage),
            _ => self.push(component, key, amount, CostKind::Baseline),
        }
    }

    /// A usage-driven component; `Usage::Unknown` gives a "depends on usage" line.
    pub fn usage(
        &mut self,
        component: &str,
        key: &str,
        usage: Usage,
    ) -> Result<&mut Self, PriceError> {
        self.push(component, key, usage, CostKind::Usage)
    }

    /// Usage lines for the quantities the scenario states, each `(component, key, amount)`;
    /// an amount not given shows no line (optional components most resources do not use).
    pub fn stated_usages(
        &mut self,
        items: &[(&str, &str, Option<crate::num::NonNeg>)],
    ) -> Result<(), PriceError> {
        for &(component, key, amount) in items {
            if amount.is_some() {
                self.usage(component, key, Usage::of(amount))?;
            }
        }
        Ok(())
    }

    /// A payment made once for a term of `months` (a Reserved Instance's upfront): `count` units
    /// of the price `key` (per unit, once), shown as a monthly line at that price / `months`
    /// (exact to 10 places), noted with the payment, and carried on the line as its `upfront`
    /// (count x price), so the month stays the sum of its lines and the payment is not lost.
    pub fn amortised(
        &mut self,
        component: &str,
        key: &str,
        count: Decimal,
        months: u32,
    ) -> Result<&mut Self, PriceError> {
        let at = self.components.len();
        self.push(component, key, Usage::Stated(count), CostKind::Baseline)?;
        let Some(c) = self.components.get_mut(at) else {
            return Ok(self);
        };
        let Some(p) = c.price.as_mut() else {
            return Ok(self);
        };
        let once = p.first();
        let monthly = crate::money::round_pricing(once / Decimal::from(months));
        let total = crate::money::round_pricing(crate::num::mul(c.quantity, once)?);
        c.notes.push(format!(
            "monthly equivalent of ${} paid once per {} for the {months}-month term (${} / {months} = ${}); ${} upfront in all",
            fmt_price(once),
            p.unit,
            fmt_price(once),
            fmt_price(monthly),
            fmt_price(total)
        ));
        p.tiers = vec![crate::pricing::Tier {
            up_to: None,
            price: monthly,
        }];
        p.unit = format!("{}-month", p.unit);
        // A percentage is refused on a committed resource (scenario::build_phase); the payment
        // itself is never discounted.
        c.discount = None;
        c.upfront = Some(total);
        Ok(self)
    }

    /// The last component added is paid upfront for a term of `months` (a Savings Plan's
    /// upfront): its month, at its price, is the payment's monthly equivalent, and the line
    /// carries the payment itself (the month x `months`) as its `upfront`.
    pub fn prepaid(&mut self, months: u32) -> &mut Self {
        let Some(c) = self.components.last_mut() else {
            return self;
        };
        let Some(p) = c.price.as_ref() else {
            return self;
        };
        if c.usage_source == UsageSource::None {
            return self;
        }
        let Ok(month) = crate::num::mul(c.quantity, p.first()) else {
            return self;
        };
        let month = crate::money::round_pricing(month);
        let Ok(total) = crate::num::mul(month, Decimal::from(months)) else {
            return self;
        };
        let total = crate::money::round_pricing(total);
        c.notes.push(format!(
            "monthly equivalent of ${} paid upfront for the {months}-month term (${} a month x {months})",
            fmt_price(total),
            fmt_price(month)
        ));
        // A percentage is refused on a committed resource (scenario::build_phase); the payment
        // itself is never discounted.
        c.discount = None;
        c.upfront = Some(total);
        self
    }

    /// Add a note to the lines of the last component added.
    pub fn note(&mut self, text: impl Into<String>) -> &mut Self {
        if let Some(last) = self.components.last_mut() {
            last.notes.push(text.into());
        }
        self
    }

    /// The last component added is a fee due once per hour in which any resource of the phase
    /// needs it (`pricing::merge_hourly_fees`), here for `week`'s hours (`None`: only how many).
    pub fn once_per_hour(&mut self, week: Option<schedule::Week>) -> &mut Self {
        if let Some(last) = self.components.last_mut() {
            last.once_per_hour = Some(match week {
                Some(w) => crate::pricing::FeeHours::Week(Box::new(w)),
                None => crate::pricing::FeeHours::Count,
            });
        }
        self
    }

    /// Keep the free tier off the last component added, for `reason` (e.g. AWS's free tier
    /// does not cover Multi-AZ RDS or Lambda functions with provisioned concurrency). The reason
    /// is shown on the line when the scenario's free tier would otherwise have credited it.
    pub fn no_free_tier(&mut self, reason: impl Into<String>) -> &mut Self {
        if let Some(last) = self.components.last_mut() {
            last.no_free_tier = Some(reason.into());
        }
        self
    }

    /// An amount the scenario states itself, for a service costplan does not price: one
    /// baseline line of `count` units at `unit_amount` a month, sourced by the scenario
    /// (`source`), never by the price book. The line says so.
    pub fn stated_amount(
        &mut self,
        component: &str,
        unit_amount: Decimal,
        count: Decimal,
        source: &str,
    ) -> &mut Self {
        let key = format!("{}.{}", self.info.name, self.resource);
        let price = crate::pricing::Price {
            key: key.clone(),
            unit: "unit-month".to_string(),
            per: Decimal::ONE,
            tiers: vec![crate::pricing::Tier {
                up_to: None,
                price: unit_amount,
            }],
            source: source.to_string(),
            as_of: String::new(),
            free: None,
            note: None,
            record: Default::default(),
            trust: Default::default(),
        };
        self.components.push(PricedComponent {
            service: self.info.service.to_string(),
            resource: self.resource.to_string(),
            component: component.to_string(),
            price_key: key,
            price: Some(price),
            quantity: count,
            usage_source: UsageSource::Stated,
            kind: CostKind::Baseline,
            discount: self.discount(),
            notes: vec![format!(
                "stated in the scenario, not priced by costplan: {source}"
            )],
            no_free_tier: None,
            upfront: None,
            once_per_hour: None,
        });
        self
    }

    fn push(
        &mut self,
        component: &str,
        key: &str,
        usage: Usage,
        kind: CostKind,
    ) -> Result<&mut Self, PriceError> {
        let mut c = PricedComponent {
            service: self.info.service.to_string(),
            resource: self.resource.to_string(),
            component: component.to_string(),
            price_key: key.to_string(),
            price: None,
            quantity: Decimal::ZERO,
            usage_source: UsageSource::None,
            kind,
            discount: None,
            notes: Vec::new(),
            no_free_tier: None,
            upfront: None,
            once_per_hour: None,
        };
        let looked = match (self.pricer.get(key), usage) {
            (Ok(l), _) => l,
            // No usage and no price: nothing is charged, so say what is missing instead of failing.
            (Err(_), Usage::Unknown) => {
                c.notes.push(format!(
                    "depends on usage; no price for `{key}` in {}",
                    self.pricer.book.region
                ));
                self.components.push(c);
                return Ok(self);
            }
            // A missing price with known usage: recorded (the estimate reports every missing
            // price of the run together), and the component left unpriced.
            (Err(e), _) if e.missing.is_some() => {
                self.missing.push(e);
                self.components.push(c);
                return Ok(self);
            }
            (Err(e), _) => return Err(e),
        };
        let price = looked.price;
        if price.trust == crate::pricing::Trust::Low {
            c.notes.push(format!(
                "low-trust price: `{key}` comes from a doubtful source; check it before relying on it"
            ));
        }
        if looked.overridden {
            c.notes.push(format!(
                "price override: {}",
                price.note.as_deref().unwrap_or("set in scenario")
            ));
        }
        c.notes.extend(looked.notes.iter().cloned());
        let amount = match usage {
            Usage::Stated(v) => {
                c.usage_source = UsageSource::Stated;
                match self.stated_scale.filter(|_| kind == CostKind::Usage) {
                    Some(scale) => {
                        c.notes.push(format!(
                            "stated {} scaled by traffic_share {} (scale_stated_usage)",
                            crate::money::fmt_number(v),
                            crate::money::fmt_number(scale)
                        ));
                        crate::num::mul(v, scale)?
                    }
                    None => v,
                }
            }
            Usage::Derived(v) => {
                c.usage_source = UsageSource::Derived;
                v
            }
            Usage::Unknown => {
                c.notes
                    .push(format!("depends on usage: {}", price.describe()));
                Decimal::ZERO
            }
        };
        // An override's `per` may be tiny: checked, like every product of user numbers.
        c.quantity = crate::num::div(amount, price.per)?;
        c.discount = self.discount();
        c.price = Some(price.clone());
        self.components.push(c);
        Ok(self)
    }
}

/// Hours an hourly resource runs in a month: the schedule's share of the scenario's month.
pub fn running_hours(schedule: Option<&Schedule>, hours_per_month: Decimal) -> Decimal {
    schedule.map_or(hours_per_month, |s| s.monthly_hours(hours_per_month))
}

/// A fleet's usage from its simulated month: its unit-hours (`hours`) when autoscaling sizes
/// it, and the requests that arrived while it was off (outside its schedule).
pub fn fleet_usage(unit: Option<&UnitVolume>, hours: UsageKey) -> Derived {
    let mut d = Derived::new();
    if let Some(u) = unit {
        if u.autoscaled {
            d.amount(hours, u.unit_seconds / 3600.0);
        }
        if u.unserved > 0.0 {
            d.count(UsageKey::UnservedRequests, u.unserved);
        }
    }
    d
}

/// Usage stated on `count = 0` units: with none of them there is nothing to carry it, and the
/// figure would be dropped (a per-unit figure) or billed for units that do not exist (a total).
/// `usage` lists each usage key with its stated amount; an amount of zero carries nothing.
pub fn usage_without_units(
    count: Option<crate::num::Count>,
    units: &str,
    usage: &[(&str, Option<crate::num::NonNeg>)],
) -> Result<(), FieldError> {
    if count.is_none_or(|c| c.0 > 0) {
        return Ok(());
    }
    match usage
        .iter()
        .find(|(_, v)| v.is_some_and(|v| v.0 > Decimal::ZERO))
    {
        Some((key, _)) => Err(FieldError::new(
            key,
            format!("`{key}` is stated for `count = 0`: there are no {units} to carry it"),
        )
        .help(Some(format!(
            "give the {units} in `count`, or leave `{key}` out"
        )))),
        None => Ok(()),
    }
}

/// On a fleet's line: the requests that arrived while it was off, which nothing served.
pub fn note_unserved(ctx: &mut Ctx, units: &str) {
    if let Usage::Derived(n) = ctx.derived(UsageKey::UnservedRequests) {
        ctx.note(format!(
            "{} requests arrived while its {units} were off (outside its schedule) and were not served",
            crate::money::fmt_number(n)
        ));
    }
}

/// Lambda-style GB units: MB / 1024.
pub fn mb_to_gb(mb: Decimal) -> Decimal {
    mb / Decimal::from(1024)
}

/// CPU architecture (Lambda, Fargate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, schemars::JsonSchema)]
pub enum Arch {
    #[default]
    #[serde(rename = "x86_64")]
    X86,
    #[serde(rename = "arm64")]
    Arm,
}

impl Arch {
    /// Price-key suffix.
    pub fn key(self) -> &'static str {
        match self {
            Arch::X86 => "x86_64",
            Arch::Arm => "arm64",
        }
    }
}

/// Check `class` against a catalog family, as a field error on `field`.
pub fn check_class(
    catalog: &Catalog,
    family: crate::pricing::Family,
    field: &str,
    class: &str,
) -> Result<crate::pricing::InstanceSpec, FieldError> {
    catalog
        .lookup(family, class)
        .map_err(|(m, help)| FieldError::new(field, m).help(help))
}

/// `count` instances running `hours` each, as one baseline line ("Instance (t3.micro)").
pub fn instance_hours(
    ctx: &mut Ctx,
    label: &str,
    key: &str,
    count: Decimal,
    hours: Decimal,
) -> Result<(), PriceError> {
    ctx.baseline(label, key, crate::num::mul(count, hours)?)?;
    Ok(())
}

/// A per-resource maximum (or range) AWS documents for a key: `what` says it the way the docs
/// do ("gp3 volumes are 1-65,536 GiB"), `source` names the page it comes from (short enough
/// for stderr; the full URL is in the comment next to each limit).
pub struct Limit {
    pub min: u32,
    pub max: u32,
    pub unit: &'static str,
    pub what: &'static str,
    pub source: &'static str,
}

/// `value` of `key` within `limit`, else an error at the key that gives the value, the limit
/// and, in its help, the limit's source (a figure outside it is a mistyped size, not a bill).
pub fn within(key: &str, value: Decimal, limit: &Limit) -> Result<(), FieldError> {
    let (min, max) = (Decimal::from(limit.min), Decimal::from(limit.max));
    if value >= min && value <= max {
        return Ok(());
    }
    let side = if value > max { "above" } else { "below" };
    Err(FieldError::new(
        key,
        format!(
            "{} {} is {side} what AWS allows: {}",
            crate::money::fmt_number(value),
            limit.unit,
            limit.what
        ),
    )
    .help(Some(format!("the limit is from {}", limit.source))))
}

/// Requests AWS bills for calls carrying `payload_kb` each (SQS, SNS): every 64 KB chunk of a
/// payload is one request, so a 256 KB message is 4 (AWS's example). The chunks per call, with
/// the billed amount; 1 chunk when no payload size is given.
pub fn chunked_requests(
    calls: Usage,
    payload_kb: Option<crate::num::Positive>,
) -> Result<(Decimal, Usage), crate::num::Overflow> {
    let chunks = payload_kb.map_or(Decimal::ONE, |kb| {
        (kb.0 / Decimal::from(64)).ceil().max(Decimal::ONE)
    });
    Ok((chunks, calls.try_map(|c| crate::num::mul(c, chunks))?))
}

/// A load balancer's dimensions in a simulated month (ALB, NLB): one connection per request
/// (no keep-alive assumed); active connections are the requests in flight (Little's law);
/// processed GB per hour from the request and response bytes.
pub fn load_balancer_usage(month: &Volume) -> Derived {
    let mut d = Derived::new();
    let rps = month.rps();
    d.amount(UsageKey::NewConnectionsPerSec, rps);
    d.amount(
        UsageKey::ActiveConnectionsPerMin,
        rps * month.mean_duration_ms / 1000.0,
    );
    let bytes = month.request_bytes + month.response_bytes;
    if bytes > 0.0 {
        d.amount(
            UsageKey::ProcessedGbPerHour,
            month.gb(bytes) / month.hours_per_month,
        );
    }
    d
}

/// Capacity-unit hours of `count` load balancers over the month: an hour's units are `direct`
/// when stated, else the highest of `dims` (each already in units); the line says which
/// dimension set it. `as_usage` marks the amount stated or derived.
pub fn capacity_unit_hours(
    ctx: &mut Ctx,
    component: &str,
    key: &str,
    count: Decimal,
    direct: Option<Decimal>,
    dims: &[(&'static str, Decimal)],
    as_usage: fn(Decimal) -> Usage,
) -> Result<(), PriceError> {
    let hours = ctx.hours_per_month;
    let highest = dims.iter().max_by(|a, b| a.1.cmp(&b.1)).copied();
    let units = match (direct, highest) {
        (Some(l), _) => Usage::Stated(l),
        (None, Some((_, v))) => as_usage(v),
        (None, None) => Usage::Unknown,
    };
    ctx.usage(
        component,
        key,
        units.try_map(|l| crate::num::mul(crate::num::mul(l, count)?, hours))?,
    )?;
    if let (None, Some((name, v))) = (direct, highest) {
        let fmt = |v: Decimal| crate::money::fmt_number(v.round_dp(4));
        let all: Vec<String> = dims
            .iter()
            .map(|(n, v)| format!("{n} {}", fmt(*v)))
            .collect();
        let unit = component.trim_end_matches("-hours");
        ctx.note(format!(
            "{} {unit} set by {name} ({})",
            fmt(v),
            all.join(", ")
        ));
    }
    Ok(())
}

/// Each resource's usage derived from a simulated month of its phase; `units` holds what each
/// compute resource served, by name.
pub fn derive_demand<'a>(
    resources: impl IntoIterator<Item = (&'a str, &'a dyn Resource)>,
    month: &Volume,
    units: &IndexMap<String, UnitVolume>,
) -> Demand {
    resources
        .into_iter()
        .map(|(name, r)| (name.to_string(), r.derive_usage(month, units.get(name))))
        .collect()
}

/// The capacity report's volume figures for a phase, from its resources' derived usage: the
/// sum over the kinds that add to each gauge, `None` where none derived anything.
pub fn gauges<'a>(
    resources: impl IntoIterator<Item = (&'a str, &'static str)>,
    demand: &Demand,
    hours_per_month: f64,
) -> crate::usage::Gauges {
    let mut nat: Vec<f64> = Vec::new();
    let mut alb: Vec<f64> = Vec::new();
    for (name, kind) in resources {
        let (Some(info), Some(d)) = (kind_info(kind), demand.get(name)) else {
            continue;
        };
        let f = |k: UsageKey| d.get(k).map(crate::capacity::to_f64);
        match info.gauge {
            Some(Gauge::Nat) => nat.extend(f(UsageKey::DataProcessedGb)),
            Some(Gauge::LoadBalancer) => alb.extend(f(UsageKey::ProcessedGbPerHour)),
            None => {}
        }
    }
    let sum = |v: Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>());
    crate::usage::Gauges {
        nat_gb: sum(nat),
        alb_gb: sum(alb).map(|g| g * hours_per_month),
    }
}
