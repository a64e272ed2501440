//! The exact event-driven simulator (`sim::exact`) against closed forms, and the fast engine's
//! per-minute peaks against the exact simulator (a table documenting today's error).

use costplan::scenario::traffic::Duration;
use costplan::sim::engine::erlang_b;
use costplan::sim::exact::{nearest_rank, simulate, simulate_warm};

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

/// The fast engine's per-minute peaks of Lambda concurrency over `seconds` of flat traffic at
/// mean load `a` (200 ms mean durations, `spec` as in a scenario), at `step` seconds.
fn engine_minute_peaks(a: f64, spec: &str, step: u32, seconds: f64) -> Vec<f64> {
    let fast = engine_run(a, spec, step, seconds, "");
    fast.series
        .maxes(costplan::sim::Metric::LambdaConcurrency)
        .iter()
        .map(|v| f64::from(*v))
        .collect()
}

/// The fast engine over `seconds` of flat traffic at mean load `a` (200 ms mean durations,
/// `spec` as in a scenario), at `step` seconds, with `keys` added to the function's table.
fn engine_run(a: f64, spec: &str, step: u32, seconds: f64, keys: &str) -> costplan::sim::SimResult {
    let rps = a / 0.2;
    let text = format!(
        "region = \"us-east-1\"\n[traffic]\navg_rps = {rps}\nduration_ms = {spec}\n\
         [simulation]\nstep_seconds = {step}\naccount_concurrency = 9000\n\
         [phases.p.resources.fn]\nkind = \"lambda\"\nmemory_mb = 512\n{keys}\n"
    );
    let catalog = costplan::pricing::BookSource::Embedded
        .catalog()
        .expect("catalog");
    let doc = costplan::source::Document::parse("t".into(), text).expect("parse");
    let s = costplan::scenario::Scenario::from_document(doc, "t", &catalog).expect("scenario");
    let t = s.traffic.as_ref().expect("traffic");
    let model = s.phases[0].model.as_ref().expect("model");
    costplan::sim::simulate(model, &t.profile, &t.settings, seconds, 1.0)
}

/// The scenario spelling of each of `durations()`.
const SPECS: [&str; 3] = [
    "200",
    "{ mean = 200, distribution = \"exponential\" }",
    "{ mean = 200, p95 = 600 }",
];

/// The p50, p95 and p99 of the minute peaks: engine against exact, within 1 request or 3 %
/// (both are random; the exact simulation's own p95 moves by about 1 % between seeds at a = 50).
fn assert_peaks_agree(a: f64, step: u32, seconds: f64) {
    for ((name, d), spec) in durations().iter().zip(SPECS) {
        let fast = engine_minute_peaks(a, spec, step, seconds);
        let exact = simulate(a / 0.2, d, None, seconds, 2026);
        let exact: Vec<f64> = exact.minute_peaks.iter().map(|p| f64::from(*p)).collect();
        for q in [0.5, 0.95, 0.99] {
            let (f, e) = (nearest_rank(&fast, q), nearest_rank(&exact, q));
            assert!(
                (f - e).abs() <= f64::max(1.0, 0.03 * e),
                "{name}, a = {a}, {step} s steps, q {q}: engine {f}, exact {e}"
            );
        }
    }
}

#[test]
fn minute_peaks_agree_with_the_exact_simulation_at_low_and_mid_loads() {
    // Six hours each (360 minutes), both step sizes.
    for a in [0.5, 5.0, 50.0] {
        for step in [60, 10] {
            assert_peaks_agree(a, step, 6.0 * 3600.0);
        }
    }
}

/// Per-minute peak concurrency over one flat day (three hours at a = 5,000, which is 270 million
/// arrivals), 60 and 10 s steps, each duration distribution: the fast engine's p95 and maximum
/// of the minute peaks against the exact simulator's, at mean loads 0.5 / 5 / 50 / 500 / 5,000.
/// Slow, so ignored: `cargo test --release --test it -- --ignored exact::table --nocapture`.
/// The README's "How accurate is the simulator" shows its output.
#[test]
#[ignore]
fn table_of_the_engines_minute_peaks_against_the_exact_simulation() {
    println!("| duration | load a | step | engine p95 | exact p95 | engine max | exact max |");
    println!("|---|---|---|---|---|---|---|");
    for ((name, d), spec) in durations().iter().zip(SPECS) {
        for a in [0.5, 5.0, 50.0, 500.0, 5000.0] {
            let day = if a >= 5000.0 { 3.0 * 3600.0 } else { 86_400.0 };
            let exact = simulate(a / 0.2, d, None, day, 2026);
            let minute: Vec<f64> = exact.minute_peaks.iter().map(|p| f64::from(*p)).collect();
            let (exact_p95, exact_max) = (nearest_rank(&minute, 0.95), f64::from(exact.max_peak()));
            for step in [60, 10] {
                let fast = engine_minute_peaks(a, spec, step, day);
                let (fast_p95, fast_max) = (
                    nearest_rank(&fast, 0.95),
                    fast.iter().copied().fold(0.0, f64::max),
                );
                println!(
                    "| {name} | {a} | {step} s | {fast_p95} | {exact_p95} | {fast_max} | {exact_max} |"
                );
                assert!(
                    (fast_p95 - exact_p95).abs() <= f64::max(1.0, 0.03 * exact_p95),
                    "{name} a = {a}"
                );
            }
        }
    }
}

/// Cold starts over `seconds` of flat traffic at mean load `a`, 10-minute keep-warm: the
/// engine at `step` seconds, and the exact simulation.
fn cold_starts(a: f64, which: usize, step: u32, seconds: f64) -> (f64, f64) {
    let (_, d) = &durations()[which];
    let fast = engine_run(a, SPECS[which], step, seconds, "keep_warm_minutes = 10");
    let exact = simulate_warm(a / 0.2, d, None, 600.0, seconds, 2026);
    (fast.compute[0].cold_starts, exact.cold_starts as f64)
}

#[test]
fn cold_starts_agree_with_the_exact_simulation() {
    assert_cold_starts_agree(&[60, 10]);
}

/// Fails today (issue 12): at 1 s steps the engine's cold starts, counted from independent
/// per-step peak draws against a sliding maximum of them, are 25 to 50 % over the exact ones
/// (the month table: 2,807 / 4,954 / 11,230 against about 1,850-2,290 / 3,350-4,110 /
/// 8,080-10,070 at a = 0.5 / 5 / 50).
#[test]
#[ignore]
fn cold_starts_agree_with_the_exact_simulation_at_1_s_steps() {
    assert_cold_starts_agree(&[1]);
}

fn assert_cold_starts_agree(steps: &[u32]) {
    // One flat day, 10-minute keep-warm, fixed and exponential 200 ms durations, 60 and 10 s
    // steps: the engine's cold starts within 15 % of the exact simulation's, or 15 (a day has
    // about 100 to 400 of them; the exact count's own spread between seeds is about 5 to 10 %).
    for a in [0.5, 5.0, 50.0] {
        for which in [0, 1] {
            for &step in steps {
                let (f, e) = cold_starts(a, which, step, 86_400.0);
                assert!(
                    (f - e).abs() <= f64::max(15.0, 0.15 * e),
                    "{} a = {a}, {step} s steps: engine {f}, exact {e}",
                    durations()[which].0
                );
            }
        }
    }
}

/// Cold starts in a month of flat traffic (keep-warm 10 minutes): the engine at 60 / 10 / 1 s
/// steps against the exact simulation (a day simulated: its first hour, with the start from no
/// environments, once, the other 23 hours times 729 / 23; two seeds show its spread). Slow, so ignored:
/// `cargo test --release --test it -- --ignored exact::table_of_cold --nocapture`.
#[test]
#[ignore]
fn table_of_cold_starts_against_the_exact_simulation() {
    let month = 730.0 * 3600.0;
    println!("| duration | load a | engine 60 s | engine 10 s | engine 1 s | exact (seed 2026) | exact (seed 7) |");
    println!("|---|---|---|---|---|---|---|");
    for (which, (name, d)) in durations().iter().enumerate() {
        for a in [0.5, 5.0, 50.0] {
            let engine: Vec<f64> = [60, 10, 1]
                .iter()
                .map(|&step| {
                    engine_run(a, SPECS[which], step, month, "keep_warm_minutes = 10").compute[0]
                        .cold_starts
                })
                .collect();
            let exact: Vec<f64> = [2026, 7]
                .iter()
                .map(|&seed| {
                    // The first hour holds the start from no environments (about the most in
                    // flight in the first 10 minutes): counted once, the other 23 hours scaled.
                    let first = simulate_warm(a / 0.2, d, None, 600.0, 3600.0, seed).cold_starts;
                    let day = simulate_warm(a / 0.2, d, None, 600.0, 86_400.0, seed).cold_starts;
                    first as f64 + (day - first) as f64 * 729.0 / 23.0
                })
                .collect();
            println!(
                "| {name} | {a} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
                engine[0], engine[1], engine[2], exact[0], exact[1]
            );
        }
    }
}

#[test]
fn throttling_and_carried_load_agree_with_erlang_b_and_the_exact_simulation() {
    // Caps below, at and above the typical peak. The engine's share within 0.1 % of the
    // arrivals absolute or 10 % relative of Erlang-B (the engine applies B per step to its
    // Poisson arrivals), and of the exact simulation's within 0.3 % absolute or 25 % relative
    // (its standard error over 6 hours); carried concurrency within 1 % of a (1 - B); Little's
    // law on the engine's own output within 1e-9.
    let seconds = 6.0 * 3600.0;
    for (a, caps) in [(5.0, [5u32, 8, 10]), (50.0, [50, 60, 70])] {
        for cap in caps {
            let b = erlang_b(cap, a);
            for ((name, d), spec) in durations().iter().zip(SPECS) {
                let exact = simulate(a / 0.2, d, Some(cap), seconds, 2026);
                for step in [60, 10] {
                    let keys = format!("reserved_concurrency = {cap}");
                    let r = engine_run(a, spec, step, seconds, &keys);
                    let t = &r.compute[0];
                    let share = t.throttled / (t.requests + t.throttled);
                    let what = format!("{name} a {a} cap {cap} {step} s");
                    assert!(
                        (share - b).abs() <= f64::max(1e-3, 0.1 * b),
                        "{what}: engine {share} vs Erlang-B {b}"
                    );
                    let es = exact.rejected_share();
                    assert!(
                        (share - es).abs() <= f64::max(3e-3, 0.25 * es),
                        "{what}: engine {share} vs exact {es}"
                    );
                    let carried = a * (1.0 - b);
                    assert!(
                        (r.lambda_mean / carried - 1.0).abs() < 0.01,
                        "{what}: mean {} vs {carried}",
                        r.lambda_mean
                    );
                    assert!(
                        (r.lambda_mean / exact.mean_in_flight() - 1.0).abs() < 0.02,
                        "{what}: mean {} vs exact {}",
                        r.lambda_mean,
                        exact.mean_in_flight()
                    );
                    let little = t.requests * 0.2 / seconds;
                    assert!(
                        (r.lambda_mean / little - 1.0).abs() < 1e-9,
                        "{what}: Little {} vs {little}",
                        r.lambda_mean
                    );
                    println!("| {what} | engine {share:.5} | B {b:.5} | exact {es:.5} | mean {:.4} | exact {:.4} |", r.lambda_mean, exact.mean_in_flight());
                }
            }
        }
    }
}

#[test]
fn a_piecewise_rate_draws_as_a_flat_one_in_one_piece_and_follows_its_pieces() {
    use costplan::sim::exact::simulate_rates;
    let d = Duration::Fixed { ms: 200.0 };
    // One piece of the whole run: the same draws, so the same outcome bit for bit.
    let flat = simulate_warm(25.0, &d, Some(8), 600.0, 7200.0, 3);
    let one = simulate_rates(&|_| 25.0, 7200.0, &d, Some(8), 600.0, 7200.0, 3);
    assert_eq!(flat, one);
    // Quiet for the first hour, 10 req/s in the second: no arrival and no minute peak in the
    // first 60 minutes; the second hour's arrivals Poisson with mean 36,000 (sd 190): within
    // 5 sd.
    let rates = |k: usize| if k < 60 { 0.0 } else { 10.0 };
    let e = simulate_rates(&rates, 60.0, &d, None, 600.0, 7200.0, 5);
    assert!(e.minute_peaks[..60].iter().all(|p| *p == 0));
    assert!(e.minute_peaks[60..].iter().any(|p| *p > 0));
    assert!(
        (e.arrivals as f64 - 36_000.0).abs() < 5.0 * 190.0,
        "{}",
        e.arrivals
    );
}

/// `run --exact` on the library's scenarios: the table, its verdicts, and the exit codes.
mod check_mode {
    use crate::common::run;

    #[test]
    fn lambda_phases_agree_with_the_exact_simulation() {
        let o = run(&["run", "scenarios/lambda-rds.toml", "--exact"]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{out}");
        assert!(out.contains("Simulator check"));
        for stat in [
            "p95 minute peak",
            "largest minute peak",
            "mean (carried)",
            "throttled share",
            "cold starts",
        ] {
            assert!(out.contains(stat), "{stat}");
        }
        assert!(!out.contains("OUTSIDE"));
        // Provisioned concurrency is outside what the exact simulator models: said, not checked.
        assert!(out.contains("phase4: not checked (`backend` has provisioned concurrency"));
    }

    #[test]
    fn a_function_with_a_small_share_of_quiet_traffic_agrees() {
        // prod.toml's dev environment: `workers` takes 0.4 % of about 0.1 req/s, some 1,100
        // requests a month, so most minutes have none. Before the peak table reached down to
        // m = 2^-30 and a share's peak could be 0, the engine had a request in flight every
        // minute (p95 1, max 2 where the exact simulation has 0 and 1) and 0.04 cold starts
        // where there are about 780.
        let o = run(&["run", "scenarios/prod.toml", "--phase", "dev", "--exact"]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{out}");
        let cold = out
            .lines()
            .find(|l| l.contains("cold starts"))
            .expect("a cold-start row");
        assert!(cold.contains(" ok "), "{cold}");
    }

    #[test]
    fn a_statistic_outside_its_tolerance_exits_1_and_says_which() {
        // At 1 s steps the engine's cold starts are 25-50 % over the exact count (README, "How
        // accurate is the simulator"): the check says so and exits 1, the report still printed.
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s.toml");
        std::fs::write(
            &f,
            "region = \"us-east-1\"\n[traffic]\navg_rps = 25\nduration_ms = 200\n\
             [simulation]\nstep_seconds = 1\n\
             [phases.p.resources.fn]\nkind = \"lambda\"\nmemory_mb = 512\n",
        )
        .unwrap();
        let o = run(&["run", f.to_str().unwrap(), "--exact"]);
        assert_eq!(o.status.code(), Some(1));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains("Breakdown") || out.contains("Monthly"),
            "{out}"
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("simulator check, phase p: cold starts"),
            "{err}"
        );
    }

    #[test]
    fn a_scenario_without_traffic_is_refused() {
        let o = run(&["run", "scenarios/dev-env.toml", "--exact"]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("has no [traffic]"), "{err}");
    }
}
