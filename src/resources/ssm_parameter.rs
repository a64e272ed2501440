//! Systems Manager Parameter Store: standard parameters are free; advanced parameters are
//! charged per parameter-month. API interactions (one per parameter a request reads or
//! writes): free for standard parameters at the default throughput, charged per 10,000 with
//! higher throughput and, for advanced parameters, at either throughput.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SsmParameter {
    #[serde(default)]
    pub standard_parameters: Option<Count>,
    #[serde(default)]
    pub advanced_parameters: Option<Count>,
    /// The account and region's Parameter Store throughput setting is `high-throughput-enabled`.
    #[serde(default)]
    pub higher_throughput: bool,
    /// API interactions with standard parameters a month (a GetParameters call returning 10
    /// parameters is 10).
    #[serde(default)]
    pub standard_api_interactions: Option<NonNeg>,
    /// API interactions with advanced parameters a month.
    #[serde(default)]
    pub advanced_api_interactions: Option<NonNeg>,
}

impl Resource for SsmParameter {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        if let Some(a) = self.advanced_parameters.filter(|a| a.0 > 0) {
            ctx.baseline("Advanced parameters", "ssm.advanced_parameter", a.dec())?;
        }
        if let Some(s) = self.standard_parameters {
            ctx.baseline("Standard parameters", "ssm.standard_parameter", s.dec())?;
        }
        // At the default throughput, interactions with standard parameters cost nothing: no line.
        if self.higher_throughput {
            ctx.usage(
                "Standard parameter API interactions (higher throughput)",
                "ssm.api_interactions",
                Usage::of(self.standard_api_interactions),
            )?;
        }
        if self.advanced_api_interactions.is_some() {
            ctx.usage(
                "Advanced parameter API interactions",
                "ssm.api_interactions",
                Usage::of(self.advanced_api_interactions),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for SsmParameter {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, has_line, lines, scenario, total, us, us_with};

    /// AWS's Parameter Store throughput guide prices its example at "$0.05 per 10,000 API
    /// interactions"; no book has a checkable rate, so the tests state it.
    const DOC_RATE: &str = r#"[overrides."ssm.api_interactions"]
price = "0.05"
unit = "10K interactions"
per = "10000"
reason = "the rate of the Parameter Store throughput guide's example""#;

    #[test]
    fn ssm_advanced_parameters() {
        let e = us(r#"kind = "ssm_parameter"
advanced_parameters = 20"#);
        // 20 x $0.05 (ssm.advanced_parameter) = $1.00
        assert_eq!(cost(&e, "Advanced parameters"), dec("1.00"));
    }

    #[test]
    fn ssm_aws_example_weekend_sale_at_higher_throughput() {
        // "Your webstore holds a weekend sale and makes 1,000,000 Parameter Store API
        // interactions during the sale. If the cost for higher throughput in this example is
        // $0.05 per 10,000 API interactions, the total additional cost is approximately $5."
        let e = us_with(
            DOC_RATE,
            r#"kind = "ssm_parameter"
standard_parameters = 40
higher_throughput = true
standard_api_interactions = 1_000_000"#,
        );
        // 1,000,000 / 10,000 = 100 x $0.05 = $5
        assert_eq!(
            cost(
                &e,
                "Standard parameter API interactions (higher throughput)"
            ),
            dec("5")
        );
        // standard parameters are free
        assert_eq!(total(&e), dec("5"));
    }

    #[test]
    fn ssm_standard_throughput_is_free_for_standard_parameters_only() {
        let e = us_with(
            DOC_RATE,
            r#"kind = "ssm_parameter"
advanced_parameters = 10
standard_api_interactions = 5_000_000
advanced_api_interactions = 200_000"#,
        );
        // standard throughput: no line for the 5M standard interactions
        assert!(!has_line(
            &e,
            "Standard parameter API interactions (higher throughput)"
        ));
        // 10 x $0.05 = $0.50; 200,000 / 10,000 = 20 x $0.05 = $1.00
        assert_eq!(cost(&e, "Advanced parameter API interactions"), dec("1"));
        assert_eq!(total(&e), dec("1.5"));
        assert_eq!(lines(&e).len(), 2);
    }

    #[test]
    fn ssm_api_interactions_are_a_missing_price_in_both_books() {
        for region in ["us-east-1", "ap-northeast-1"] {
            let msg = err(&scenario(
                region,
                "",
                r#"kind = "ssm_parameter"
higher_throughput = true
standard_api_interactions = 10000"#,
            ));
            assert!(msg.contains("ssm.api_interactions"), "{msg}");
        }
    }
}
