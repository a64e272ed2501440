//! Amazon MWAA (managed Airflow): environment-hours by class plus additional worker-hours and
//! additional scheduler-hours.

use serde::Deserialize;

use super::{running_hours, Ctx, FieldError, Resource, Schedule, Usage};
use crate::capacity::Role;
use crate::num::{mul, NonNeg};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mwaa {
    /// mw1.micro, mw1.small, mw1.medium, mw1.large, ...
    pub environment_class: String,
    /// Average workers above the included one, over the month.
    #[serde(default)]
    pub avg_extra_workers: Option<NonNeg>,
    /// Schedulers above those included in the environment price, billed per scheduler-hour.
    #[serde(default)]
    pub extra_schedulers: Option<NonNeg>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Airflow workers holding DB connections (capacity model).
    #[serde(default)]
    pub db_connections: Option<crate::num::Count>,
}

const CLASSES: &[&str] = &[
    "mw1.micro",
    "mw1.small",
    "mw1.medium",
    "mw1.large",
    "mw1.xlarge",
    "mw1.2xlarge",
];

impl Resource for Mwaa {
    fn role(&self, _: &Catalog) -> Role {
        match self.db_connections {
            Some(c) => Role::DbClient { connections: c.0 },
            None => Role::None,
        }
    }

    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if !CLASSES.contains(&self.environment_class.as_str()) {
            return Err(FieldError::new(
                "environment_class",
                format!("unknown MWAA environment class {}", self.environment_class),
            )
            .help(crate::suggest::did_you_mean(
                &self.environment_class,
                CLASSES.iter().copied(),
            )));
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let hours = running_hours(self.schedule.as_ref(), ctx.hours_per_month);
        let class = &self.environment_class;
        ctx.baseline(
            &format!("Environment ({class})"),
            &format!("mwaa.environment.{class}"),
            hours,
        )?;
        if let Some(w) = self.avg_extra_workers.filter(|w| !w.0.is_zero()) {
            ctx.usage(
                "Additional workers",
                &format!("mwaa.worker.{class}"),
                Usage::Stated(mul(w.0, hours)?),
            )?;
        }
        if let Some(n) = self.extra_schedulers.filter(|n| !n.0.is_zero()) {
            ctx.baseline(
                "Additional schedulers",
                &format!("mwaa.scheduler.{class}"),
                mul(n.0, hours)?,
            )?;
        }
        Ok(())
    }
}

impl super::Kind for Mwaa {
    const SCHEDULABLE: bool = true;
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, qty, total, us};

    #[test]
    fn mwaa_environment_and_extra_workers() {
        let e = us(r#"kind = "mwaa"
environment_class = "mw1.small"
avg_extra_workers = 2"#);
        // 730 h x $0.49 (mwaa.environment.mw1.small) = $357.70
        assert_eq!(cost(&e, "Environment (mw1.small)"), dec("357.70"));
        // 2 workers x 730 h = 1,460 h x $0.055 (mwaa.worker.mw1.small) = $80.30
        assert_eq!(qty(&e, "Additional workers"), dec("1460"));
        assert_eq!(cost(&e, "Additional workers"), dec("80.30"));

        let e = us(r#"kind = "mwaa"
environment_class = "mw1.medium"
schedule = "200h""#);
        // 200 h x $0.74 (mwaa.environment.mw1.medium) = $148
        assert_eq!(cost(&e, "Environment (mw1.medium)"), dec("148"));
    }

    #[test]
    fn mwaa_large_reproduces_the_infracost_golden_figures() {
        let e = us(r#"kind = "mwaa"
environment_class = "mw1.large"
avg_extra_workers = 2.5
extra_schedulers = 3"#);
        // 730 h x $0.99 = $722.70
        assert_eq!(cost(&e, "Environment (mw1.large)"), dec("722.70"));
        // 2.5 x 730 = 1,825 worker-h x $0.22 = $401.50
        assert_eq!(cost(&e, "Additional workers"), dec("401.50"));
        // 3 x 730 = 2,190 scheduler-h x $0.22 = $481.80
        assert_eq!(cost(&e, "Additional schedulers"), dec("481.80"));
        // 722.70 + 401.50 + 481.80 = 1,606.00
        assert_eq!(total(&e), dec("1606"));
        // mw1.medium: 730 h x $0.74 = $540.20
        let e = us(r#"kind = "mwaa"
environment_class = "mw1.medium""#);
        assert_eq!(total(&e), dec("540.20"));
    }
}
