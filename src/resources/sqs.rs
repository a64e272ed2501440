//! Amazon SQS: requests per month (each 64 KB chunk of a payload is one request).

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueType {
    #[default]
    Standard,
    Fifo,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sqs {
    #[serde(default)]
    pub queue_type: QueueType,
    /// API requests per month (send, receive, delete each count).
    #[serde(default)]
    pub monthly_requests: Option<NonNeg>,
}

impl Resource for Sqs {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let key = match self.queue_type {
            QueueType::Standard => "sqs.requests.standard",
            QueueType::Fifo => "sqs.requests.fifo",
        };
        ctx.usage("Requests", key, Usage::of(self.monthly_requests))?;
        Ok(())
    }
}

impl super::Kind for Sqs {}
