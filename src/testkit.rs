//! Test-only helpers for the hand-checked figures in each kind's `mod tests`.
//!
//! Every expected figure in those tests is worked out by hand in the comment next to the
//! assertion, with the unit price copied from `pricing/us-east-1.toml` (or
//! `pricing/ap-northeast-1.toml` for the Tokyo tests). Where AWS publishes a worked pricing
//! example, the test reproduces it and cites it. Nothing there was derived by running the
//! program.
//!
//! Sources of the AWS examples:
//! - Lambda: https://aws.amazon.com/lambda/pricing/ ("Lambda Ephemeral Storage Pricing",
//!   Examples 1 and 3; "Provisioned Concurrency Pricing", Example 2).
//! - Fargate: https://aws.amazon.com/fargate/pricing/ ("Pricing Examples", Examples 1-3).
//! - ALB: https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer
//!   example: 1 new connection/s lasting 2 min, 5 requests/s, 300 KB/s, 60 rules).
//! - EFS: https://aws.amazon.com/efs/pricing/ (Standard storage: 177 GB-months x $0.30).
//! - EKS Fargate pod sizes: https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
//!   (1 vCPU / 8 GB requested is billed as 2 vCPU / 9 GB).
//!
//! Tests that are about no single kind (shared free-tier groups, volume tiers across resources,
//! overrides, discounts, environments) stay in `tests/it/models.rs`.

use rust_decimal::Decimal;

use crate::estimate::{CostLine, Estimate};

pub(crate) fn dec(s: &str) -> Decimal {
    s.parse::<Decimal>()
        .unwrap_or_else(|e| panic!("bad decimal {s}: {e}"))
}

/// A scenario with one phase `p` holding one resource `r` described by `body`; `top` goes
/// before the phase (free_tier, [discounts], [overrides]).
pub(crate) fn scenario(region: &str, top: &str, body: &str) -> String {
    format!("region = \"{region}\"\n{top}\n\n[phases.p.resources.r]\n{body}\n")
}

pub(crate) fn est(toml: &str) -> Estimate {
    crate::estimate_toml("test.toml", toml).unwrap_or_else(|e| panic!("{e}\n---\n{toml}"))
}

/// One resource in us-east-1, no free tier.
pub(crate) fn us(body: &str) -> Estimate {
    est(&scenario("us-east-1", "", body))
}

/// One resource in us-east-1 with top-level settings.
pub(crate) fn us_with(top: &str, body: &str) -> Estimate {
    est(&scenario("us-east-1", top, body))
}

/// One resource in Tokyo.
pub(crate) fn tokyo(body: &str) -> Estimate {
    est(&scenario("ap-northeast-1", "", body))
}

/// The error message of a scenario that must fail.
pub(crate) fn err(toml: &str) -> String {
    match crate::estimate_toml("test.toml", toml) {
        Ok(e) => panic!("expected an error, got {:#?}", e.phases[0].lines),
        Err(e) => e.to_string(),
    }
}

/// A one-resource scenario in `region` that must fail with a message containing `needle`
/// (a missing price names its key).
#[track_caller]
pub(crate) fn assert_refused(region: &str, body: &str, needle: &str) {
    let msg = err(&scenario(region, "", body));
    assert!(msg.contains(needle), "{region}: {msg}");
}

pub(crate) fn lines(e: &Estimate) -> &[CostLine] {
    &e.phases[0].lines
}

/// The line named `component` in the first phase.
pub(crate) fn line<'a>(e: &'a Estimate, component: &str) -> &'a CostLine {
    lines(e)
        .iter()
        .find(|l| l.component == component)
        .unwrap_or_else(|| {
            let names: Vec<&str> = lines(e).iter().map(|l| l.component.as_str()).collect();
            panic!("no line `{component}`; lines: {names:?}")
        })
}

/// Plan a whole scenario text (with its simulation), as `costplan run` does.
pub(crate) fn plan(text: &str) -> crate::plan::Plan {
    crate::plan_toml("t.toml", text, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The first line of phase `phase` whose component starts with `component`.
pub(crate) fn phase_line<'a>(e: &'a Estimate, phase: usize, component: &str) -> &'a CostLine {
    let lines = &e.phases[phase].lines;
    lines
        .iter()
        .find(|l| l.component.starts_with(component))
        .unwrap_or_else(|| {
            let names: Vec<&str> = lines.iter().map(|l| l.component.as_str()).collect();
            panic!("no line `{component}` in phase {phase}; lines: {names:?}")
        })
}

pub(crate) fn has_line(e: &Estimate, component: &str) -> bool {
    lines(e).iter().any(|l| l.component == component)
}

pub(crate) fn cost(e: &Estimate, component: &str) -> Decimal {
    line(e, component).monthly_cost
}

pub(crate) fn qty(e: &Estimate, component: &str) -> Decimal {
    line(e, component).quantity
}

pub(crate) fn total(e: &Estimate) -> Decimal {
    e.phases[0].monthly_total()
}

pub(crate) fn has_note(l: &CostLine, text: &str) -> bool {
    l.notes.iter().any(|n| n.contains(text))
}

/// A scenario override stating a price the book lacks (for `us_with`'s top part), so a test can
/// price a key whose rate has no checkable source yet.
pub(crate) fn stated_price(key: &str, price: &str, unit: &str) -> String {
    format!("[overrides.\"{key}\"]\nprice = \"{price}\"\nunit = \"{unit}\"\nreason = \"stated in the test\"\n")
}
