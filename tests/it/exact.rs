//! The exact event-driven simulator (`sim::exact`) against closed forms, and the fast engine's
//! per-minute peaks against the exact simulator (a table documenting today's error).

use costplan::scenario::traffic::Duration;
use costplan::sim::engine::erlang_b;
use costplan::sim::exact::{nearest_rank, simulate};

/// Mean 200 ms three ways: fixed, exponential, and lognormal with p95 600 ms (mean =
/// exp(mu + s²/2), p95 = exp(mu + 1.6449 s): s = 1.6449 - sqrt(1.6449² - 2 ln 3) = 0.9320,
/// mu = ln 200 - s²/2 = 4.8640).
fn durations() -> [(&'static str, Duration); 3] {
    let z95 = 1.644_853_626_951_472_2_f64;
    let sigma = z95 - (z95 * z95 - 2.0 * 3.0f64.ln()).sqrt();
    let mu = 200.0f64.ln() - sigma * sigma / 2.0;
    [
        ("fixed", Duration::Fixed { ms: 200.0 }),
        ("exponential", Duration::Exponential { mean_ms: 200.0 }),
        (
            "lognormal",
            Duration::LogNormal {
                mean_ms: 200.0,
                mu,
                sigma,
            },
        ),
    ]
}

#[test]
fn loss_share_is_erlang_b_for_any_duration() {
    // 25 req/s x 0.2 s = offered load 5 on 5 servers: B(5, 5) by the recursion
    // B(k) = a B(k-1) / (k + a B(k-1)): 0.8333, 0.6757, 0.5297, 0.3983, 0.2849.
    // Two simulated hours (~180,000 arrivals): within 0.01 absolute (the loss share's standard
    // error at this length is about 0.002).
    let b = erlang_b(5, 5.0);
    assert!((b - 0.2849).abs() < 1e-4, "{b}");
    for (name, d) in durations() {
        let e = simulate(25.0, &d, Some(5), 7200.0, 7);
        let share = e.rejected_share();
        assert!((share - b).abs() < 0.01, "{name}: {share} vs Erlang-B {b}");
        // Little's law on the carried load: L = λ E[S] (1 - B) = 5 x (1 - 0.2849) = 3.575,
        // within 2 % (the measured mean uses the requests actually served).
        let carried = 5.0 * (1.0 - b);
        let l = e.mean_in_flight();
        assert!(
            (l / carried - 1.0).abs() < 0.02,
            "{name}: L {l} vs {carried}"
        );
        // Never more than the cap in flight.
        assert_eq!(e.max_peak(), 5, "{name}");
    }
}

#[test]
fn littles_law_without_a_cap() {
    // M/G/∞ at 250 req/s x 0.2 s: mean in flight 50 whatever the distribution, within 1 %
    // over an hour (900,000 arrivals); nothing rejected.
    for (name, d) in durations() {
        let e = simulate(250.0, &d, None, 3600.0, 11);
        assert_eq!(e.rejected, 0);
        let l = e.mean_in_flight();
        assert!((l / 50.0 - 1.0).abs() < 0.01, "{name}: {l}");
        // Arrivals: Poisson with mean 900,000 (sd 949): within 5 sd.
        assert!(
            (e.arrivals as f64 - 900_000.0).abs() < 5.0 * 949.0,
            "{}",
            e.arrivals
        );
    }
}

/// Per-minute peak concurrency over one flat day, 200 ms fixed durations, 60 s steps: the
/// fast engine's p95 of the minute peaks and its maximum against the exact simulator's, at mean
/// loads 0.5 / 5 / 50 / 500. This documents today's error (the engine's fixed-z per-step peak is
/// too low, issue 12); it asserts that direction, and must be updated when the model is fixed.
/// Slow (a = 500 over a day is 216 million arrivals; about 40 s in the test profile), so ignored:
/// `cargo test --test it -- --ignored exact::table --nocapture`. Measured 2026-12-03 (the day's
/// maximum, not the month's):
///
/// | load a | engine p95 | exact p95 | engine max | exact max |
/// |---|---|---|---|---|
/// | 0.5 | 3 | 5 | 3 | 7 |
/// | 5 | 12 | 16 | 12 | 20 |
/// | 50 | 70 | 83 | 72 | 93 |
/// | 500 | 563 | 598 | 567 | 615 |
#[test]
#[ignore]
fn table_of_the_engines_minute_peaks_against_the_exact_simulation() {
    let day = 86_400.0;
    println!("| load a | engine p95 | exact p95 | engine max | exact max |");
    println!("|---|---|---|---|---|");
    for a in [0.5, 5.0, 50.0, 500.0] {
        let rps = a / 0.2;
        let text = format!(
            "region = \"us-east-1\"\n[traffic]\navg_rps = {rps}\nduration_ms = 200\n\
             [simulation]\nstep_seconds = 60\naccount_concurrency = 3000\n\
             [phases.p.resources.fn]\nkind = \"lambda\"\nmemory_mb = 512\n"
        );
        let catalog = costplan::pricing::BookSource::Embedded
            .catalog()
            .expect("catalog");
        let doc = costplan::source::Document::parse("t".into(), text).expect("parse");
        let s = costplan::scenario::Scenario::from_document(doc, "t", &catalog).expect("scenario");
        let t = s.traffic.as_ref().expect("traffic");
        let model = s.phases[0].model.as_ref().expect("model");
        let fast = costplan::sim::simulate(model, &t.profile, &t.settings, day, 1.0);
        let peaks: Vec<f64> = fast
            .series
            .maxes(costplan::sim::Metric::LambdaConcurrency)
            .iter()
            .map(|v| f64::from(*v))
            .collect();
        let (fast_p95, fast_max) = (
            nearest_rank(&peaks, 0.95),
            peaks.iter().copied().fold(0.0, f64::max),
        );
        let exact = simulate(rps, &Duration::Fixed { ms: 200.0 }, None, day, 2026);
        let minute: Vec<f64> = exact.minute_peaks.iter().map(|p| f64::from(*p)).collect();
        let (exact_p95, exact_max) = (nearest_rank(&minute, 0.95), f64::from(exact.max_peak()));
        println!("| {a} | {fast_p95} | {exact_p95} | {fast_max} | {exact_max} |");
        assert!(
            fast_p95 < exact_p95,
            "a = {a}: the engine's p95 is no longer low"
        );
    }
}
