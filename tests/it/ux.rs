//! Display currencies, tables that fit the terminal, and the five-minute start (`init`,
//! `completions`, `man`, help examples).

use unicode_width::UnicodeWidthStr;

use crate::common::{bin, run};

fn stdout(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

/// Every line of `text` is at most `n` columns wide, counting a Japanese character as 2.
fn assert_fits(text: &str, n: usize, what: &str) {
    for (i, l) in text.lines().enumerate() {
        assert!(
            l.width() <= n,
            "{what} at {n}: line {} is {} wide:\n{l}",
            i + 1,
            l.width()
        );
    }
}

const JAPANESE: &str = r#"
name = "設計レビュー"
region = "us-east-1"

[phases.phase4]
description = "フェーズ4：月間アクティブユーザーが1,000人を超えたとき、またはLambdaの同時実行数がしばしば20を超えるとき（RDS Proxy を追加）"

[phases.phase4.resources.nat]
kind = "nat_gateway"
data_processed_gb = 100
"#;

#[test]
fn tables_fit_80_and_120_columns() {
    let dir = tempfile::tempdir().unwrap();
    let jp = dir.path().join("jp.toml");
    std::fs::write(&jp, JAPANESE).unwrap();
    let jp = jp.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["run", "scenarios/prod.toml"],
        vec!["run", "scenarios/lambda-rds.toml"],
        vec![
            "run",
            "scenarios/ec2-phases.toml",
            "--currency",
            "JPY",
            "--rate",
            "150",
        ],
        vec!["run", jp],
        vec!["pricing", "show", "ap-northeast-1"],
        vec![
            "compare",
            "scenarios/prod.toml",
            "scenarios/prod-reserved.toml",
        ],
        vec![
            "diff",
            "scenarios/prod.toml",
            "scenarios/prod-reserved.toml",
        ],
        vec![
            "sweep",
            "scenarios/nat-choice.toml",
            "--gb",
            "0..5000",
            "--steps",
            "5",
        ],
    ];
    for n in [80usize, 120] {
        let cols = n.to_string();
        for c in &commands {
            let mut args = c.clone();
            args.extend(["--columns", &cols]);
            assert_fits(&stdout(&run(&args)), n, &c.join(" "));
        }
        // $COLUMNS is the width when --columns is not given.
        let o = bin()
            .args(["run", "scenarios/prod.toml"])
            .env("COLUMNS", &cols)
            .output()
            .unwrap();
        assert_fits(&stdout(&o), n, "COLUMNS");
    }
    // Without a terminal, $COLUMNS or --columns: 100.
    assert_fits(
        &stdout(&run(&["run", "scenarios/prod.toml"])),
        100,
        "default",
    );
    // The Japanese description is wrapped, not cut: all of it is there.
    let out = stdout(&run(&["run", jp, "--columns", "80"]));
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    assert!(squash(&out).contains("フェーズ4：月間アクティブユーザーが1,000人を超えたとき"));
}

#[test]
fn long_notes_become_footnotes_and_full_detail_stays_elsewhere() {
    let fitted = stdout(&run(&["run", "scenarios/prod.toml", "--columns", "80"]));
    assert!(fitted.contains("[1] "), "{fitted}");
    let wide = stdout(&run(&["run", "scenarios/prod.toml", "--columns", "0"]));
    assert!(!wide.contains("[1] "));
    assert!(
        wide.lines().any(|l| l.width() > 200),
        "no limit is as wide as the content"
    );
    // The first note of the wide table is footnote [1] of the fitted one.
    let no_notes = stdout(&run(&["run", "scenarios/prod.toml", "--no-notes"]));
    assert!(!no_notes.contains("Notes") && !no_notes.contains("[1]"));
    // Markdown and CSV keep every note whatever the width.
    let md = stdout(&run(&[
        "run",
        "scenarios/prod.toml",
        "--format",
        "markdown",
        "--columns",
        "80",
    ]));
    let md0 = stdout(&run(&[
        "run",
        "scenarios/prod.toml",
        "--format",
        "markdown",
        "--columns",
        "0",
    ]));
    assert_eq!(md, md0);
    let o = run(&["run", "scenarios/prod.toml", "--columns", "20"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("too narrow"));
}

/// One NAT Gateway in us-east-1, its data stated: hand calculation from the book's prices
/// ($0.045 per hour and per GB, pricing/us-east-1.toml, the VPC pricing page):
/// hours 730 x 0.045 = 32.85 USD, data 100 GB x 0.045 = 4.50 USD, total 37.35 USD.
/// At 150 JPY per USD: 32.85 x 150 = 4,927.5 -> 4,928 JPY (half away from zero);
/// 4.50 x 150 = 675 JPY; total 37.35 x 150 = 5,602.5 -> 5,603 JPY (the rounded lines,
/// 4,928 + 675, agree here, so no Rounding row).
const NAT: &str = r#"
name = "nat"
region = "us-east-1"

[phases.p.resources.nat]
kind = "nat_gateway"
data_processed_gb = 100
"#;

fn nat_file(dir: &tempfile::TempDir, extra: &str) -> String {
    let p = dir.path().join("nat.toml");
    std::fs::write(&p, format!("{NAT}{extra}")).unwrap();
    p.to_str().unwrap().to_string()
}

/// Yen at 150 per USD, rate of 2026-12-01, as the command line states it.
const YEN: [&str; 6] = [
    "--currency",
    "JPY",
    "--rate",
    "150",
    "--rate-date",
    "2026-12-01",
];

#[test]
fn yen_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let f = nat_file(&dir, "");
    let yen = YEN;
    let with = |fmt: &str| {
        let mut a = vec!["run", f.as_str(), "--format", fmt];
        a.extend(yen);
        stdout(&run(&a))
    };
    let table = with("table");
    assert!(
        table.contains("150 JPY per USD (rate of 2026-12-01)"),
        "{table}"
    );
    assert!(table.contains("4,928") && table.contains("675") && table.contains("5,603"));
    assert!(!table.contains("37.35"), "no USD amount in a yen table");
    let md = with("markdown");
    assert!(md.contains("150 JPY per USD (rate of 2026-12-01)") && md.contains("**5,603**"));
    let json: serde_json::Value = serde_json::from_str(&with("json")).unwrap();
    assert_eq!(json["display"]["currency"], "JPY");
    assert_eq!(json["display"]["rate"], "150");
    assert_eq!(json["display"]["rate_date"], "2026-12-01");
    let p = &json["phases"][0];
    assert_eq!(p["monthly_total"], "37.35", "USD stays");
    assert_eq!(p["display_monthly_total"], "5602.5", "converted exactly");
    let csv = with("csv");
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .ends_with("display_currency,display_rate,display_rate_date,display_monthly_cost"));
    assert!(
        csv.contains("32.85") && csv.contains(",JPY,150,2026-12-01,4927.5"),
        "{csv}"
    );
    // Without a display currency the JSON has no display fields at all.
    let usd: serde_json::Value =
        serde_json::from_slice(&run(&["run", &f, "--format", "json"]).stdout).unwrap();
    assert!(
        usd.get("display").is_none() && usd["phases"][0].get("display_monthly_total").is_none()
    );
}

#[test]
fn charts_show_the_display_currency_and_exact_totals() {
    // The NAT scenario with 100.3 GB: 32.85 + 100.3 x 0.045 = 32.85 + 4.5135 = 37.3635 USD a
    // month, labelled 37.36 (cents); at 150 JPY/USD 5,604.525, labelled 5,605 (whole yen, half
    // away from zero). The bar's label is that exact total in the currency's rounding, not the
    // f64 sum of the segments in the generic number format (which writes 37.364).
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("nat.toml");
    std::fs::write(&f, NAT.replace("= 100\n", "= 100.3\n")).unwrap();
    let f = f.to_str().unwrap().to_string();
    let svg = |extra: &[&str], out: &str| {
        let out = dir.path().join(out);
        let mut a = vec!["run", f.as_str(), "--out", out.to_str().unwrap()];
        a.extend(extra);
        stdout(&run(&a));
        let chart = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with("-cost-by-phase.svg"))
            .expect("a cost-by-phase chart");
        std::fs::read_to_string(chart).unwrap()
    };
    let usd = svg(&[], "usd");
    assert!(usd.contains("Monthly cost (USD)"), "{usd}");
    assert!(usd.contains("37.36") && !usd.contains("37.364") && !usd.contains("37.363"));
    let yen = svg(&YEN, "yen");
    assert!(
        yen.contains("Monthly cost (JPY; 150 JPY/USD, rate of 2026-12-01)"),
        "y title names the currency and rate"
    );
    assert!(yen.contains("5,605"), "the yen total over the bar");
    assert!(!yen.contains("37.36"), "no USD figure in a yen chart");
}

#[test]
fn yen_totals_are_the_converted_exact_total() {
    // The yen total is the exact USD total x 150, rounded once, whatever the lines round to
    // (src/currency.rs tests the Rounding row: 3 x 0.01 USD = 3 x 2 JPY shown, total 5).
    let usd: serde_json::Value =
        serde_json::from_slice(&run(&["run", "scenarios/dev-env.toml", "--format", "json"]).stdout)
            .unwrap();
    let total: rust_decimal::Decimal = usd["phases"][0]["monthly_total"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let yen = (total * rust_decimal::Decimal::from(150))
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let md = stdout(&run(&[
        "run",
        "scenarios/dev-env.toml",
        "--format",
        "markdown",
        "--currency",
        "JPY",
        "--rate",
        "150",
    ]));
    let shown = format!("**{}**", group(&yen.to_string()));
    assert!(md.contains(&shown), "{shown} in\n{md}");
    assert!(md.contains("rate date not stated"));
}

fn group(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn a_currency_needs_a_rate_and_one_answer() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["run", "scenarios/dev-env.toml", "--currency", "JPY"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs a rate"));
    let o = run(&["run", "scenarios/dev-env.toml", "--rate", "150"]);
    assert_eq!(o.status.code(), Some(2), "a rate without a currency");
    let o = run(&[
        "run",
        "scenarios/dev-env.toml",
        "--currency",
        "XYZ",
        "--rate",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    // The scenario's [display] is used; the same on the command line is fine, another is not.
    let f = nat_file(
        &dir,
        "\n[display]\ncurrency = \"JPY\"\nrate = 150\nrate_date = \"2026-12-01\"\n",
    );
    let out = stdout(&run(&["run", &f]));
    assert!(out.contains("5,603") && out.contains("rate of 2026-12-01"));
    let same = YEN;
    let mut a = vec!["run", f.as_str()];
    a.extend(same);
    stdout(&run(&a));
    let o = run(&["run", &f, "--currency", "JPY", "--rate", "149"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("nat.toml:") && err.contains("disagrees"),
        "{err}"
    );
    let f = nat_file(&dir, "\n[display]\ncurrency = \"JPY\"\n");
    let o = run(&["run", &f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs a rate"));
}

#[test]
fn yen_in_compare_diff_and_sweep() {
    let yen = YEN;
    for base in [
        vec![
            "compare",
            "scenarios/prod.toml",
            "scenarios/prod-reserved.toml",
        ],
        vec![
            "diff",
            "scenarios/prod.toml",
            "scenarios/prod-reserved.toml",
        ],
        vec![
            "sweep",
            "scenarios/nat-choice.toml",
            "--gb",
            "0..5000",
            "--steps",
            "3",
        ],
    ] {
        for fmt in ["table", "markdown", "json", "csv"] {
            let mut a = base.clone();
            a.extend(yen);
            a.extend(["--format", fmt]);
            let out = stdout(&run(&a));
            assert!(
                out.contains("2026-12-01"),
                "{} {fmt}: no rate date\n{out}",
                base[0]
            );
            assert!(out.contains("JPY"), "{} {fmt}", base[0]);
        }
    }
}

#[test]
fn init_writes_templates_that_run_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    for t in ["serverless", "containers", "ec2"] {
        let f = dir.path().join(format!("{t}.toml"));
        let f = f.to_str().unwrap();
        let o = run(&["init", "--template", t, f]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = std::fs::read_to_string(f).unwrap();
        // Line 1 names the schema init writes beside the scenario (for TOML language servers).
        assert!(text.starts_with("#:schema ./costplan.schema.json\n# A starter scenario"));
        assert!(dir.path().join("costplan.schema.json").exists());
        stdout(&run(&["run", f]));
        // A second init is refused (exit 3) and leaves the file as it was.
        let o = run(&["init", "--template", "ec2", f]);
        assert_eq!(o.status.code(), Some(3));
        assert!(String::from_utf8_lossy(&o.stderr).contains("never overwrites"));
        assert_eq!(std::fs::read_to_string(f).unwrap(), text);
    }
    // Default: the serverless template in ./scenario.toml.
    let o = bin().arg("init").current_dir(dir.path()).output().unwrap();
    assert!(o.status.success());
    assert!(dir.path().join("scenario.toml").exists());
}

#[test]
fn completions_man_and_help_examples() {
    for shell in ["bash", "zsh", "fish"] {
        let out = stdout(&run(&["completions", shell]));
        assert!(
            out.contains("costplan") && out.contains("--currency"),
            "{shell}"
        );
    }
    let man = stdout(&run(&["man"]));
    assert!(
        man.contains(".TH costplan") || man.contains(".TH COSTPLAN"),
        "{man}"
    );
    for cmd in [
        "run",
        "compare",
        "diff",
        "sweep",
        "pricing",
        "init",
        "completions",
        "man",
    ] {
        let out = stdout(&run(&[cmd, "--help"]));
        assert!(out.contains("Examples:"), "{cmd} --help");
    }
}
