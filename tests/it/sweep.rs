//! `costplan sweep` and the `run --out` report: break-even points against hand calculations,
//! CSV against JSON, charts valid and byte-identical, errors.

use crate::common::{dec, run};
use rust_decimal::Decimal;
use serde_json::Value;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn sweep_json(args: &[&str]) -> Value {
    let mut all = vec!["sweep"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let o = run(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("sweep JSON")
}

#[test]
fn nat_gateway_vs_endpoints_break_even_matches_hand_calculation() {
    // Tokyo: NAT Gateway $0.062/h and $0.062/GB; interface endpoint $0.014 per endpoint-AZ-hour
    // and $0.01/GB. 730 h.
    //   NAT:       730 x 0.062            = 45.26  + 0.062 g
    //   endpoints: 3 x 2 x 730 x 0.014    = 61.32  + 0.010 g
    //   45.26 + 0.062 g = 61.32 + 0.01 g  =>  g = 16.06 / 0.052 = 308.846153...
    //   cost there: 45.26 + 0.062 x 308.846153 = 64.408461...
    let j = sweep_json(&["tests/fixtures/break-even-nat.toml", "--gb", "0..1000"]);
    let be = j["break_evens"].as_array().unwrap();
    assert_eq!(be.len(), 1, "{be:?}");
    let x = be[0]["x"].as_f64().unwrap();
    assert!((x - 308.846_153).abs() < 0.031, "break-even at {x} GB"); // 1e-4 relative
    assert_eq!(be[0]["cheaper_below"], "nat_gateway");
    assert_eq!(be[0]["cheaper_above"], "endpoints");
    let cost = dec(be[0]["monthly_cost"].as_str().unwrap());
    assert!((cost - dec("64.408461")).abs() < dec("0.002"), "{cost}");
    // Not a grid point: the grid (21 points over 0..1000) has 300 and 350.
    assert!(j["points"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| (p["x"].as_f64().unwrap() - x).abs() > 1.0));
}

#[test]
fn lambda_vs_ec2_break_even_matches_hand_calculation() {
    // us-east-1, flat traffic, 100 ms per request, Lambda 512 MB, no free tier, 730 h:
    //   EC2 t3.small: 730 x 0.0208 + 8 GB gp3 x 0.08     = 15.184 + 0.64 = 15.824 a month
    //   Lambda per req/s: 2,628,000 requests x (0.20 / 1M + 0.1 s x 0.5 GB x 0.0000166667)
    //                   = 2,628,000 x 1.0333335e-6      = 2.715600 a month
    //   break-even: 15.824 / 2.7156 = 5.8271 req/s (Poisson noise in the simulated request
    //   count moves it by well under 0.5 %).
    let j = sweep_json(&[
        "tests/fixtures/break-even-lambda.toml",
        "--rps",
        "1..20",
        "--steps",
        "20",
    ]);
    let be = j["break_evens"].as_array().unwrap();
    assert_eq!(be.len(), 1, "{be:?}");
    let x = be[0]["x"].as_f64().unwrap();
    assert!((x / 5.8271 - 1.0).abs() < 0.005, "break-even at {x} req/s");
    assert_eq!(be[0]["cheaper_below"], "lambda");
    assert_eq!(be[0]["cheaper_above"], "ec2");
    // The EC2 phase is the same at every point: 15.824.
    for p in j["points"].as_array().unwrap() {
        if p["phase"] == "ec2" {
            assert_eq!(dec(p["monthly_cost"].as_str().unwrap()), dec("15.824"));
        }
    }
}

#[test]
fn compute_choice_sweep_finds_lambda_crossings_and_csv_matches_json() {
    let args = [
        "scenarios/compute-choice.toml",
        "--rps",
        "1..200",
        "--steps",
        "9",
    ];
    let j = sweep_json(&args);
    assert_eq!(j["axis"], "rps");
    assert_eq!(j["phases"].as_array().unwrap().len(), 3);
    let be = j["break_evens"].as_array().unwrap();
    // Lambda is cheapest at 1 req/s and dearest at 200: it crosses both fleets.
    assert_eq!(be.len(), 2, "{be:?}");
    for b in be {
        assert_eq!(b["cheaper_below"], "lambda");
        let x = b["x"].as_f64().unwrap();
        assert!(x > 1.0 && x < 200.0);
    }

    let mut csv_args = vec!["sweep"];
    csv_args.extend_from_slice(&args);
    csv_args.extend_from_slice(&["--format", "csv"]);
    let o = run(&csv_args);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let points = j["points"].as_array().unwrap();
    assert_eq!(rows.len(), points.len());
    for (row, p) in rows.iter().zip(points) {
        assert_eq!(row[0].parse::<f64>().unwrap(), p["x"].as_f64().unwrap());
        assert_eq!(&row[1], p["phase"].as_str().unwrap());
        assert_eq!(dec(&row[2]), dec(p["monthly_cost"].as_str().unwrap()));
        match p["headroom_pct"].as_f64() {
            Some(h) => assert_eq!(row[3].parse::<f64>().unwrap(), h),
            None => assert!(row[3].is_empty()),
        }
    }
}

#[test]
fn sweep_cost_never_decreases_with_traffic_for_lambda() {
    // Lambda bills per request: with common random numbers, more traffic never costs less.
    let j = sweep_json(&[
        "scenarios/compute-choice.toml",
        "--rps",
        "1..2000",
        "--steps",
        "8",
        "--log",
        "--phase",
        "lambda",
    ]);
    let costs: Vec<Decimal> = j["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| dec(p["monthly_cost"].as_str().unwrap()))
        .collect();
    assert_eq!(costs.len(), 8);
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
}

#[test]
fn sweep_is_quiet_on_a_non_terminal_stderr_and_deterministic() {
    let args = [
        "sweep",
        "scenarios/compute-choice.toml",
        "--rps",
        "1..500",
        "--steps",
        "5",
    ];
    let a = run(&args);
    let b = run(&args);
    assert!(a.status.success());
    assert!(a.stderr.is_empty(), "no progress bar: {}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn sweep_errors_are_clear() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["sweep", "scenarios/nat-choice.toml", "--rps", "1..10"],
            "has no [traffic] section",
        ),
        (
            &["sweep", "scenarios/compute-choice.toml", "--gb", "1..10"],
            "no phase of scenarios/compute-choice.toml has a nat_gateway",
        ),
        (
            &["sweep", "scenarios/nat-choice.toml", "--gb", "10..1"],
            "0 <= FROM < TO",
        ),
        (
            &[
                "sweep",
                "scenarios/nat-choice.toml",
                "--gb",
                "0..10",
                "--log",
            ],
            "needs FROM > 0",
        ),
        (
            &[
                "sweep",
                "scenarios/nat-choice.toml",
                "--gb",
                "1..10",
                "--steps",
                "1",
            ],
            "--steps must be between 2",
        ),
    ];
    for (args, msg) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(msg), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
}

/// PNG width and height from the IHDR chunk.
fn png_size(b: &[u8]) -> (u32, u32) {
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&b[12..16], b"IHDR");
    let be = |s: &[u8]| u32::from_be_bytes([s[0], s[1], s[2], s[3]]);
    (be(&b[16..20]), be(&b[20..24]))
}

#[test]
fn report_charts_are_valid_sized_and_byte_identical() {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for d in &dirs {
        let o = run(&[
            "run",
            "scenarios/lambda-rds.toml",
            "--out",
            d.path().to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let charts = [
        "cost-by-phase",
        "db-connections",
        "cost-vs-traffic",
        "simulated-week",
    ];
    for c in charts {
        let png = |d: &tempfile::TempDir| {
            std::fs::read(d.path().join(format!("lambda-rds-{c}.png"))).unwrap()
        };
        let svg = |d: &tempfile::TempDir| {
            std::fs::read_to_string(d.path().join(format!("lambda-rds-{c}.svg"))).unwrap()
        };
        assert_eq!(png_size(&png(&dirs[0])), (1200, 800), "{c}");
        let s = svg(&dirs[0]);
        assert!(s.starts_with("<svg") || s.starts_with("<?xml"), "{c}");
        assert!(
            s.contains(r#"width="1200""#) && s.contains(r#"height="800""#),
            "{c}"
        );
        assert!(s.trim_end().ends_with("</svg>"), "{c}");
        assert!(
            png(&dirs[0]) == png(&dirs[1]),
            "{c}.png differs between runs"
        );
        assert!(
            svg(&dirs[0]) == svg(&dirs[1]),
            "{c}.svg differs between runs"
        );
    }
    // Every file of the report is byte-identical across the two runs.
    let mut names: Vec<_> = std::fs::read_dir(dirs[0].path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for n in &names {
        assert_eq!(
            std::fs::read(dirs[0].path().join(n)).unwrap(),
            std::fs::read(dirs[1].path().join(n)).unwrap(),
            "{n:?}"
        );
    }
    // The Markdown report embeds every chart, carries the assumptions and the break-even table.
    let md = std::fs::read_to_string(dirs[0].path().join("lambda-rds.md")).unwrap();
    for c in charts {
        assert!(
            md.contains(&format!("](lambda-rds-{c}.png)")),
            "{c} embedded"
        );
    }
    assert!(md.contains("## Scenario and assumptions"));
    assert!(md.contains("Assumptions added to the document"));
    assert!(md.contains("## Break-even points"));
    // The capacity CSV has a row per phase with the JSON's DB peak.
    let json: Value =
        serde_json::from_slice(&std::fs::read(dirs[0].path().join("lambda-rds.json")).unwrap())
            .unwrap();
    let mut r = csv::Reader::from_path(dirs[0].path().join("lambda-rds-capacity.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let db_peak = headers.iter().position(|h| h == "db_peak").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let phases = json["phases"].as_array().unwrap();
    assert_eq!(rows.len(), phases.len());
    for (row, p) in rows.iter().zip(phases) {
        assert_eq!(&row[0], p["name"].as_str().unwrap());
        let jpeak = p["capacity"]["db_connections"]["peak"].as_f64();
        assert_eq!(row[db_peak].parse::<f64>().ok(), jpeak, "{}", &row[0]);
    }
}

#[test]
fn committed_example_reports_are_current() {
    // reports/ holds what the README shows; regenerate with the commands in the README
    // (Reports and charts) when this fails after an intended change.
    let check = |args: &[&str], committed: &str| {
        let dir = tempfile::tempdir().unwrap();
        let mut all = args.to_vec();
        all.extend_from_slice(&["--out", dir.path().to_str().unwrap()]);
        let o = run(&all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(committed);
        let mut fresh: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        fresh.sort();
        let mut old: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        old.sort();
        assert_eq!(fresh, old, "{committed}: file list");
        for n in &fresh {
            assert!(
                std::fs::read(dir.path().join(n)).unwrap() == std::fs::read(root.join(n)).unwrap(),
                "{committed}/{n:?} is stale"
            );
        }
    };
    check(&["run", "scenarios/prod.toml"], "reports/prod");
    check(
        &[
            "sweep",
            "scenarios/compute-choice.toml",
            "--rps",
            "1..100",
            "--steps",
            "34",
        ],
        "reports/compute-choice",
    );
}

#[test]
fn every_library_scenario_sweeps_or_says_why_not() {
    // --rps where the scenario has [traffic], --gb where it has NAT or endpoints; otherwise a
    // clear error (exit 2), never a panic.
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let p = path.to_str().unwrap();
        for (axis, applies) in [
            ("--rps", text.contains("\n[traffic]")),
            (
                "--gb",
                ["nat_gateway", "nat_instance", "vpc_endpoint"]
                    .iter()
                    .any(|k| text.contains(&format!("\"{k}\""))),
            ),
        ] {
            let o = run(&["sweep", p, axis, "1..100", "--steps", "3"]);
            if applies {
                assert!(o.status.success(), "{p} {axis}: {}", stderr(&o));
                let j: Value = serde_json::from_slice(
                    &run(&[
                        "sweep", p, axis, "1..100", "--steps", "3", "--format", "json",
                    ])
                    .stdout,
                )
                .unwrap();
                assert!(!j["points"].as_array().unwrap().is_empty(), "{p} {axis}");
            } else {
                assert_eq!(o.status.code(), Some(2), "{p} {axis}: {}", stderr(&o));
                assert!(!stderr(&o).contains("panicked"));
            }
        }
    }
}

#[test]
fn phases_that_cost_the_same_are_not_a_break_even() {
    // lambda-rds's phase1 and phase2 cost the same at every traffic (phase2's alarms and SNS
    // topic are within the free tier), and all phases tie at the lowest point. Ties are not
    // crossings: only a change of which phase is cheaper is.
    let j = sweep_json(&[
        "scenarios/lambda-rds.toml",
        "--rps",
        "1..200",
        "--steps",
        "5",
    ]);
    let points = j["points"].as_array().unwrap();
    let cost = |x: usize, ph: &str| {
        points
            .iter()
            .filter(|p| p["phase"] == ph)
            .nth(x)
            .map(|p| dec(p["monthly_cost"].as_str().unwrap()))
            .unwrap()
    };
    for x in 0..5 {
        assert_eq!(cost(x, "phase1"), cost(x, "phase2"));
    }
    assert_eq!(cost(0, "phase1"), cost(0, "phase3"));
    assert!(
        j["break_evens"].as_array().unwrap().is_empty(),
        "{}",
        j["break_evens"]
    );
}
