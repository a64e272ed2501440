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
    /// Schedulers above those included in the environment price (a whole number), billed per
    /// scheduler-hour.
    #[serde(default)]
    pub extra_schedulers: Option<crate::num::Count>,
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
        if let Some(n) = self.extra_schedulers.filter(|n| n.0 > 0) {
            ctx.baseline(
                "Additional schedulers",
                &format!("mwaa.scheduler.{class}"),
                mul(n.dec(), hours)?,
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

    use crate::testkit::{
        cost, dec, err, has_note, line, qty, scenario, stated_price, tokyo, total, us_with,
    };

    /// Hourly overrides: the us-east-1 book has no checkable MWAA price yet (Tokyo has
    /// third-party mw1.small / medium / large rates).
    fn stated(prices: &[(&str, &str)]) -> String {
        prices
            .iter()
            .map(|(k, p)| stated_price(k, p, "hour"))
            .collect()
    }

    #[test]
    fn mwaa_prices_are_missing_in_us_east_1_not_guessed() {
        let msg = err(&scenario(
            "us-east-1",
            "",
            "kind = \"mwaa\"\nenvironment_class = \"mw1.small\"\navg_extra_workers = 2\nextra_schedulers = 1",
        ));
        for key in [
            "mwaa.environment.mw1.small",
            "mwaa.worker.mw1.small",
            "mwaa.scheduler.mw1.small",
        ] {
            assert!(msg.contains(key), "{key}: {msg}");
        }
    }

    #[test]
    fn mwaa_environment_workers_and_schedulers_by_the_hour() {
        let top = stated(&[
            ("mwaa.environment.mw1.small", "0.50"),
            ("mwaa.worker.mw1.small", "0.06"),
            ("mwaa.scheduler.mw1.small", "0.25"),
        ]);
        let e = us_with(
            &top,
            r#"kind = "mwaa"
environment_class = "mw1.small"
avg_extra_workers = 2.5
extra_schedulers = 3"#,
        );
        // 730 h x $0.50 = $365
        assert_eq!(cost(&e, "Environment (mw1.small)"), dec("365"));
        // 2.5 workers x 730 h = 1,825 h x $0.06 = $109.50
        assert_eq!(qty(&e, "Additional workers"), dec("1825"));
        assert_eq!(cost(&e, "Additional workers"), dec("109.50"));
        // 3 x 730 = 2,190 scheduler-h x $0.25 = $547.50
        assert_eq!(cost(&e, "Additional schedulers"), dec("547.50"));
        // 365 + 109.50 + 547.50 = 1,022
        assert_eq!(total(&e), dec("1022"));
        // a schedule bills the environment's hours only: 200 h x $0.50 = $100
        let e = us_with(
            &stated(&[("mwaa.environment.mw1.small", "0.50")]),
            r#"kind = "mwaa"
environment_class = "mw1.small"
schedule = "200h""#,
        );
        assert_eq!(cost(&e, "Environment (mw1.small)"), dec("100"));
    }

    #[test]
    fn mwaa_tokyo_medium_from_the_book() {
        let e = tokyo(
            r#"kind = "mwaa"
environment_class = "mw1.medium"
avg_extra_workers = 2
extra_schedulers = 1"#,
        );
        // 730 h x $0.74 (mwaa.environment.mw1.medium, Tokyo) = $540.20
        assert_eq!(cost(&e, "Environment (mw1.medium)"), dec("540.2"));
        // 2 workers x 730 h = 1,460 h x $0.11 (mwaa.worker.mw1.medium) = $160.60
        assert_eq!(cost(&e, "Additional workers"), dec("160.6"));
        // 1 x 730 h x $0.11 (mwaa.scheduler.mw1.medium) = $80.30
        assert_eq!(cost(&e, "Additional schedulers"), dec("80.3"));
        // 540.20 + 160.60 + 80.30 = 781.10
        assert_eq!(total(&e), dec("781.1"));
        // third-party rates: the lines say so
        assert!(has_note(line(&e, "Environment (mw1.medium)"), "low-trust"));
        // classes the source does not price stay missing
        let msg = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"mwaa\"\nenvironment_class = \"mw1.xlarge\"",
        ));
        assert!(msg.contains("mwaa.environment.mw1.xlarge"), "{msg}");
    }

    #[test]
    fn mwaa_extra_schedulers_are_whole() {
        // A scheduler runs or does not: half of one is refused, not billed as half the hours.
        crate::testkit::assert_refused(
            "ap-northeast-1",
            "kind = \"mwaa\"\nenvironment_class = \"mw1.small\"\nextra_schedulers = 0.5",
            "resources.r.extra_schedulers`: must be a whole number, got 0.5",
        );
    }
}
