//! AWS Lambda: requests, duration (GB-seconds, tiered per architecture, billed in 1 ms steps),
//! provisioned concurrency, ephemeral storage above 512 MB.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::KindRole;
use super::{mb_to_gb, Arch, Ctx, FieldError, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::capacity::Role;
use crate::num::{mul, Count, NonNeg, Positive};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lambda {
    /// Memory in MB (128-10,240).
    pub memory_mb: Positive,
    #[serde(default)]
    pub architecture: Arch,
    /// Invocations per month.
    #[serde(default)]
    pub monthly_requests: Option<NonNeg>,
    /// Average billed duration per invocation, in ms (rounded up to whole ms).
    #[serde(default)]
    pub avg_duration_ms: Option<Positive>,
    /// Ephemeral storage in MB (512-10,240); above 512 MB is charged.
    #[serde(default)]
    pub ephemeral_storage_mb: Option<Positive>,
    /// Provisioned concurrency (environments kept warm).
    #[serde(default)]
    pub provisioned_concurrency: Option<Count>,
    /// Hours per month provisioned concurrency is enabled (default: the whole month).
    #[serde(default)]
    pub provisioned_hours: Option<NonNeg>,
    /// Reserved concurrency (a cap; no charge). Used by the capacity model.
    #[serde(default)]
    pub reserved_concurrency: Option<Count>,
}

impl Resource for Lambda {
    fn derive_usage(&self, _: &Volume, unit: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        if let Some(u) = unit {
            d.count(UsageKey::MonthlyRequests, u.requests);
            if u.requests > 0.0 {
                d.amount(UsageKey::AvgDurationMs, u.billed_ms / u.requests);
            }
        }
        d
    }

    fn role(&self, _: &Catalog) -> Role {
        Role::Lambda {
            memory_mb: crate::capacity::to_f64(self.memory_mb.0),
            reserved_concurrency: self.reserved_concurrency.map(|c| c.0),
            provisioned_concurrency: self.provisioned_concurrency.map_or(0, |c| c.0),
        }
    }

    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        let m = self.memory_mb.0;
        if m < Decimal::from(128) || m > Decimal::from(10240) || m.fract() != Decimal::ZERO {
            return Err(FieldError::new(
                "memory_mb",
                format!("memory must be a whole number of MB from 128 to 10240, got {m}"),
            ));
        }
        if let (Some(pc), Some(rc)) = (self.provisioned_concurrency, self.reserved_concurrency) {
            if pc.0 > rc.0 {
                return Err(FieldError::new(
                    "provisioned_concurrency",
                    format!(
                        "provisioned concurrency ({}) cannot exceed reserved concurrency ({}): AWS refuses it",
                        pc.0, rc.0
                    ),
                ));
            }
        }
        if let Some(e) = self.ephemeral_storage_mb {
            if e.0 < Decimal::from(512) || e.0 > Decimal::from(10240) {
                return Err(FieldError::new(
                    "ephemeral_storage_mb",
                    format!("ephemeral storage must be 512-10240 MB, got {}", e.0),
                ));
            }
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let arch = self.architecture.key();
        let gb = mb_to_gb(self.memory_mb.0);
        let requests = ctx.stated_or_derived(self.monthly_requests, UsageKey::MonthlyRequests);
        let pc = self.provisioned_concurrency.map_or(0, |c| c.0);
        // The Lambda pricing page: the free tier does not apply to functions with provisioned
        // concurrency, so neither their requests nor their on-demand duration get a credit.
        const PC_NO_FREE: &str =
            "the Lambda free tier does not apply to functions with provisioned concurrency";
        ctx.usage("Requests", "lambda.requests", requests)?;
        if pc > 0 {
            ctx.no_free_tier(PC_NO_FREE);
        }
        // Billed duration is rounded up to the next millisecond; a derived average already
        // includes that rounding per request (see the simulator).
        let billed_ms = match self.avg_duration_ms {
            Some(ms) => Some(ms.0.ceil()),
            None => match ctx.derived(UsageKey::AvgDurationMs) {
                Usage::Derived(ms) => Some(ms),
                _ => None,
            },
        };
        let seconds = match (requests, billed_ms) {
            (Usage::Unknown, _) | (_, None) => Usage::Unknown,
            (r, Some(ms)) => r.try_map(|n| Ok(mul(n, ms)? / Decimal::from(1000)))?,
        };
        let gb_seconds = seconds.try_map(|s| mul(s, gb))?;

        let on_demand = if pc > 0 {
            let hours = self.provisioned_hours.map_or(ctx.hours_per_month, |h| h.0);
            let capacity = mul(Decimal::from(pc) * gb * Decimal::from(3600), hours)?;
            ctx.baseline(
                "Provisioned concurrency",
                &format!("lambda.provisioned.{arch}"),
                capacity,
            )?
            .note(format!(
                "{pc} environments x {} GB x {} h",
                crate::money::fmt_number(gb),
                crate::money::fmt_number(hours)
            ));
            // Invocations fill the warm environments first, at the lower duration rate.
            let on_pc = gb_seconds.map(|g| g.min(capacity));
            ctx.usage(
                "Duration on provisioned concurrency",
                &format!("lambda.provisioned_duration.{arch}"),
                on_pc,
            )?;
            gb_seconds.map(|g| (g - capacity).max(Decimal::ZERO))
        } else {
            gb_seconds
        };
        ctx.usage("Duration", &format!("lambda.duration.{arch}"), on_demand)?;
        if pc > 0 {
            ctx.no_free_tier(PC_NO_FREE);
        }

        if let Some(e) = self
            .ephemeral_storage_mb
            .filter(|e| e.0 > Decimal::from(512))
        {
            let extra_gb = mb_to_gb(e.0 - Decimal::from(512));
            ctx.usage(
                "Ephemeral storage above 512 MB",
                "lambda.ephemeral_storage",
                seconds.try_map(|s| mul(s, extra_gb))?,
            )?;
        }
        Ok(())
    }
}

impl super::Kind for Lambda {
    const ROLE: KindRole = KindRole::Function;
}
