//! API Gateway REST and HTTP APIs: requests per month, tiered.

use serde::Deserialize;

use super::{Ctx, Resource};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiType {
    Rest,
    Http,
}

#[derive(Debug, Clone, Deserialize)]
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
