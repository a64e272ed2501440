//! API Gateway REST and HTTP APIs: requests per month, tiered.

use serde::Deserialize;

use super::{Ctx, Resource};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApiType {
    Rest,
    Http,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiGateway {
    pub api_type: ApiType,
    #[serde(default)]
    pub monthly_requests: Option<NonNeg>,
}

impl Resource for ApiGateway {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        d.count(UsageKey::MonthlyRequests, month.requests);
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let (label, key) = match self.api_type {
            ApiType::Rest => ("REST API requests", "api_gateway.rest.requests"),
            ApiType::Http => ("HTTP API requests", "api_gateway.http.requests"),
        };
        let requests = ctx.stated_or_derived(self.monthly_requests, UsageKey::MonthlyRequests);
        ctx.usage(label, key, requests)?;
        Ok(())
    }
}

impl super::Kind for ApiGateway {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, qty, total, us};

    #[test]
    fn api_gateway_rest_tiers_and_http() {
        let e = us(r#"kind = "api_gateway"
api_type = "rest"
monthly_requests = 400_000_000"#);
        // 400M = 400 (1M): first 333 x $3.50 = $1,165.50
        assert_eq!(qty(&e, "REST API requests (tier 1)"), dec("333"));
        assert_eq!(cost(&e, "REST API requests (tier 1)"), dec("1165.50"));
        // next 67 x $2.80 = $187.60
        assert_eq!(qty(&e, "REST API requests (tier 2)"), dec("67"));
        assert_eq!(cost(&e, "REST API requests (tier 2)"), dec("187.60"));
        assert_eq!(total(&e), dec("1353.10"));

        let e = us(r#"kind = "api_gateway"
api_type = "http"
monthly_requests = 10_000_000"#);
        // 10 (1M) x $1.00 = $10
        assert_eq!(cost(&e, "HTTP API requests"), dec("10"));
    }
}
