//! `costplan pricing import | fetch | coverage | diff` on the Price List fixtures
//! (tests/fixtures/pricelist/, see its README for where each record came from). Fetch tests
//! talk to a server on 127.0.0.1 in a test thread: no test touches the network.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use costplan::pricing::PriceBook;

use super::common::{dec, run};

const FX: &str = "tests/fixtures/pricelist";
const TOKYO: [&str; 6] = [
    "AmazonEC2-ap-northeast-1.csv",
    "AmazonECS-ap-northeast-1.csv",
    "AWSELB-ap-northeast-1.csv",
    "AmazonRDS-ap-northeast-1.json",
    "AmazonElastiCache-ap-northeast-1.csv",
    "awskms-ap-northeast-1.csv",
];

fn fx(name: &str) -> String {
    format!("{FX}/{name}")
}

fn root(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// Import `files` for `region` into a temporary book, which must parse.
fn import(region: &str, files: &[String]) -> (tempfile::TempDir, PriceBook, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(format!("{region}.toml"));
    let mut args = vec![
        "pricing",
        "import",
        "--region",
        region,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(files.iter().map(String::as_str));
    let o = run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Progress is for terminals only: a piped stderr stays clean.
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let book = PriceBook::parse(&out.display().to_string(), &text).expect("imported book parses");
    (dir, book, String::from_utf8_lossy(&o.stdout).to_string())
}

fn tokyo() -> (tempfile::TempDir, PriceBook, String) {
    let files: Vec<String> = TOKYO.iter().map(|f| fx(f)).collect();
    import("ap-northeast-1", &files)
}

fn price(b: &PriceBook, key: &str) -> rust_decimal::Decimal {
    b.get(key)
        .unwrap_or_else(|| panic!("{key} imported"))
        .first()
}

#[test]
fn tokyo_import_writes_prices_with_their_records() {
    let (dir, b, summary) = tokyo();
    assert_eq!(b.region, "ap-northeast-1");
    // 30 on-demand prices, the Windows t3.micro and c5.xlarge, and the c5.xlarge Windows
    // Standard reservations (2 + 4 + 2 keys).
    assert!(summary.contains("imported 42 prices"), "{summary}");
    // RDS PostgreSQL db.t4g.small Single-AZ: "$ 0.05 per RDS db.t4g.small Single-AZ instance
    // hour", SKU 5UQA7HSTK9DZMK4Z, from the AmazonRDS file published 2026-09-04.
    let p = b.get("rds.postgres.db.t4g.small").unwrap();
    assert_eq!(p.first(), dec("0.05"));
    assert_eq!(p.unit, "hour");
    assert_eq!(p.record.sku.as_deref(), Some("5UQA7HSTK9DZMK4Z"));
    assert_eq!(
        p.record.usage_type.as_deref(),
        Some("APN1-InstanceUsage:db.t4g.small")
    );
    assert_eq!(
        p.record.rate_code.as_deref(),
        Some("5UQA7HSTK9DZMK4Z.JRTCKXETXF.6YS6EN2CT7")
    );
    let s = &b.sources[&p.source];
    assert_eq!(s.offer.as_deref(), Some("AmazonRDS"));
    assert_eq!(s.version.as_deref(), Some("20260904172716"));
    assert_eq!(s.published.as_deref(), Some("2026-09-04"));
    assert_eq!(p.as_of, "2026-09-04");
    assert!(
        s.url.contains("/AmazonRDS/20260904172716/ap-northeast-1/"),
        "{}",
        s.url
    );
    // Fargate and ELB straight from the copied records.
    assert_eq!(price(&b, "fargate.vcpu.x86_64"), dec("0.05056"));
    assert_eq!(price(&b, "fargate.memory.arm64"), dec("0.00442"));
    assert_eq!(price(&b, "fargate.ephemeral_storage"), dec("0.000133"));
    assert_eq!(price(&b, "nlb.hour"), dec("0.0243"));
    assert_eq!(price(&b, "nlb.nlcu"), dec("0.006"));
    // `pricing show` prints the provenance.
    let o = run(&[
        "pricing",
        "show",
        "ap-northeast-1",
        "rds",
        "--columns",
        "0",
        "--pricing-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        shown.contains("offer AmazonRDS version 20260904172716 published 2026-09-04"),
        "{shown}"
    );
    assert!(shown.contains("SKU 5UQA7HSTK9DZMK4Z"), "{shown}");
    assert!(
        shown.contains("usage type APN1-InstanceUsage:db.t4g.small"),
        "{shown}"
    );
}

#[test]
fn traps_are_handled() {
    let (_d, b, _) = tokyo();
    // gp3 throughput: 49.152 per GiBps-month in the file; 49.152 / 1024 = 0.048 per MiB/s-month.
    let gp3 = b.get("ebs.gp3.throughput").unwrap();
    assert_eq!(gp3.first(), dec("0.048"));
    assert_eq!(gp3.unit, "MB/s-month");
    assert_eq!(gp3.record.sku.as_deref(), Some("PCKHHBTPD7TEQ3K4"));
    // KMS usage types start with the region name, not APN1-: 1 per key; 0.000003 per request
    // x 10,000 = 0.03 per 10K requests.
    assert_eq!(price(&b, "kms.key"), dec("1"));
    assert_eq!(price(&b, "kms.requests"), dec("0.03"));
    assert_eq!(
        b.get("kms.requests").unwrap().record.usage_type.as_deref(),
        Some("ap-northeast-1-KMS-Requests")
    );
    // ELB: not the trust-store hour (0.0054) nor the Outposts rows.
    let alb = b.get("alb.hour").unwrap();
    assert_eq!(alb.first(), dec("0.0243"));
    assert_eq!(alb.record.sku.as_deref(), Some("98ZU8QNDMR4AS8FJ"));
    assert_eq!(
        b.get("alb.lcu").unwrap().record.sku.as_deref(),
        Some("F2UQT6CZGM7BTWS8")
    );
    // The trust-store hour has its own key: "$0.0054 per associated Application load balancer
    // Trust Store unit-hour", SKU Y5H9SH8WXYD6DG8A.
    let ts = b.get("alb.trust_store").unwrap();
    assert_eq!(ts.first(), dec("0.0054"));
    assert_eq!(ts.record.sku.as_deref(), Some("Y5H9SH8WXYD6DG8A"));
    // Valkey: the node hour, not the SyncDurability meter (0.0379).
    assert_eq!(
        price(&b, "elasticache.valkey.cache.r7g.large"),
        dec("0.2104")
    );
    assert_eq!(price(&b, "elasticache.redis.cache.r7g.large"), dec("0.263"));
    // RDS: Single-AZ 0.05, not Multi-AZ (own usage type, 0.101), Extended Support or a
    // Convertible Reserved term.
    assert_eq!(price(&b, "rds.postgres.db.t4g.small"), dec("0.05"));
    assert_eq!(price(&b, "rds.postgres.db.t4g.medium"), dec("0.101"));
    assert_eq!(price(&b, "rds.storage.gp3"), dec("0.138"));
    // EC2: Linux, not the Windows row on the same usage type (which prices the Windows key),
    // the Convertible Reserved term or the us-east-1 row in the same file.
    assert_eq!(price(&b, "ec2.instance.t3.micro"), dec("0.0136"));
    assert_eq!(price(&b, "ec2.instance.t3.micro.windows"), dec("0.0228"));
    assert_eq!(price(&b, "ec2.instance.t4g.nano"), dec("0.0054"));
    // Every trap row carries 0.9999: none made it into the book.
    for p in b.prices.values() {
        assert!(
            p.tiers.iter().all(|t| t.price != dec("0.9999")),
            "{}",
            p.key
        );
    }
}

/// us-east-1 EC2 m5.large with its Reserved terms (records/ec2-m5-large-us-east-1-2020.json:
/// the values of the 2020 record the us-east-1 book cites for its m5.large RI prices).
#[test]
fn reserved_terms_price_the_reserved_keys() {
    for file in ["AmazonEC2-us-east-1.csv", "AmazonEC2-us-east-1.json"] {
        let (_d, b, summary) = import("us-east-1", &[fx(file)]);
        // On demand 0.096, plus the six Standard terms: 1yr and 3yr No Upfront (hourly only),
        // Partial Upfront (hourly and upfront), All Upfront (upfront only) = 2 + 4 + 2 = 8.
        assert!(summary.contains("imported 9 prices"), "{file}: {summary}");
        assert_eq!(price(&b, "ec2.instance.m5.large"), dec("0.096"));
        let stem = "ec2.instance.m5.large.reserved";
        let expect = [
            (
                "1yr.no_upfront.hourly",
                "0.06",
                "hour",
                "4NA7Y494T4.6YS6EN2CT7",
            ),
            (
                "1yr.partial_upfront.hourly",
                "0.029",
                "hour",
                "HU7G6KETJZ.6YS6EN2CT7",
            ),
            (
                "1yr.partial_upfront.upfront",
                "252",
                "instance",
                "HU7G6KETJZ.2TG2D8R56U",
            ),
            (
                "1yr.all_upfront.upfront",
                "494",
                "instance",
                "6QCMYABX3D.2TG2D8R56U",
            ),
            (
                "3yr.no_upfront.hourly",
                "0.041",
                "hour",
                "BPH4J8HBKS.6YS6EN2CT7",
            ),
            (
                "3yr.partial_upfront.hourly",
                "0.019",
                "hour",
                "38NPMPTW36.6YS6EN2CT7",
            ),
            (
                "3yr.partial_upfront.upfront",
                "505",
                "instance",
                "38NPMPTW36.2TG2D8R56U",
            ),
            (
                "3yr.all_upfront.upfront",
                "949",
                "instance",
                "NQ3QZPMQV9.2TG2D8R56U",
            ),
        ];
        let shipped = costplan::pricing::BookSource::Embedded
            .load("us-east-1")
            .expect("us-east-1 book");
        for (suffix, want, unit, rate) in expect {
            let key = format!("{stem}.{suffix}");
            let p = b.get(&key).unwrap_or_else(|| panic!("{file}: {key}"));
            assert_eq!(
                (p.first(), p.unit.as_str()),
                (dec(want), unit),
                "{file}: {key}"
            );
            assert_eq!(
                p.record.rate_code.as_deref(),
                Some(format!("6C86BEPQVG73ZGGR.{rate}").as_str()),
                "{file}: {key}"
            );
            assert_eq!(p.record.sku.as_deref(), Some("6C86BEPQVG73ZGGR"));
            // The shipped book holds the same figures from the same record, so `pricing fetch`
            // keeps every Reserved Instance line of a scenario as it is.
            assert_eq!(
                shipped.get(&key).map(|p| p.first()),
                Some(dec(want)),
                "{key}"
            );
        }
        // No key for All Upfront's zero hourly rate or No Upfront's zero fee, and the
        // Convertible 1yr No Upfront term (0.071) prices nothing.
        for absent in ["1yr.all_upfront.hourly", "3yr.no_upfront.upfront"] {
            assert!(b.get(&format!("{stem}.{absent}")).is_none(), "{absent}");
        }
        assert!(
            b.prices
                .values()
                .all(|p| p.tiers.iter().all(|t| t.price != dec("0.071"))),
            "{file}: a Convertible rate was imported"
        );
    }
}

/// Tokyo c5.xlarge Windows with the Savings Plans file (records/
/// ec2priceit-c5-xlarge-windows-apn1.json: the Price List records the Tokyo book cites as
/// ec2-priceit-sp-apn1): each plan's discountedRate for the on-demand SKU KR2NPP9N7R68MJVX.
#[test]
fn savings_plans_rates_price_the_keys_of_the_skus_they_discount() {
    let plans = [
        (
            "compute.1yr.no_upfront",
            "0.361",
            "BB7BKBSC6NZW7P5B",
            "ComputeSP:1yrNoUpfront",
        ),
        (
            "compute.1yr.partial_upfront",
            "0.352",
            "RHUDT3BFKYZK745U",
            "ComputeSP:1yrPartialUpfront",
        ),
        (
            "compute.1yr.all_upfront",
            "0.349",
            "8GU23DFTKP2N43SD",
            "ComputeSP:1yrAllUpfront",
        ),
        (
            "compute.3yr.no_upfront",
            "0.31",
            "ZGC49G7XS8QA54BQ",
            "ComputeSP:3yrNoUpfront",
        ),
        (
            "compute.3yr.partial_upfront",
            "0.301",
            "2MHX3QZPD4ABTS29",
            "ComputeSP:3yrPartialUpfront",
        ),
        (
            "compute.3yr.all_upfront",
            "0.299",
            "RQRC4CUNT9HUG9WC",
            "ComputeSP:3yrAllUpfront",
        ),
        (
            "ec2_instance.1yr.no_upfront",
            "0.319",
            "CFDB8QC6UH3G25GT",
            "APN1-EC2SP:c5.1yrNoUpfront",
        ),
        (
            "ec2_instance.1yr.partial_upfront",
            "0.312",
            "GCZSABBAY2CCJWYQ",
            "APN1-EC2SP:c5.1yrPartialUpfront",
        ),
        (
            "ec2_instance.1yr.all_upfront",
            "0.31",
            "NR8NXC6QR7UP6QNB",
            "APN1-EC2SP:c5.1yrAllUpfront",
        ),
        (
            "ec2_instance.3yr.no_upfront",
            "0.276",
            "HDF4M56ZSWFPZUPA",
            "APN1-EC2SP:c5.3yrNoUpfront",
        ),
        (
            "ec2_instance.3yr.partial_upfront",
            "0.27",
            "YAHZVTWX63K99G54",
            "APN1-EC2SP:c5.3yrPartialUpfront",
        ),
        (
            "ec2_instance.3yr.all_upfront",
            "0.264",
            "HG9V2UBQC2P9GB3T",
            "APN1-EC2SP:c5.3yrAllUpfront",
        ),
    ];
    let shipped = costplan::pricing::BookSource::Embedded
        .load("ap-northeast-1")
        .expect("Tokyo book");
    for sp in [
        "AWSComputeSavingsPlan-ap-northeast-1.json",
        "AWSComputeSavingsPlan-ap-northeast-1.csv",
    ] {
        // The plans file first: it is read after the offer files whatever the order.
        let (_d, b, summary) = import(
            "ap-northeast-1",
            &[fx(sp), fx("AmazonEC2-ap-northeast-1.csv")],
        );
        // The EC2 file's 19 prices (4 instances, 8 c5.xlarge reservations, 5 EBS, 2 NAT) and
        // the 12 plans.
        assert!(summary.contains("imported 31 prices"), "{sp}: {summary}");
        for (suffix, want, plan_sku, usage) in plans {
            let key = format!("ec2.instance.c5.xlarge.windows.savings_plan.{suffix}");
            let p = b.get(&key).unwrap_or_else(|| panic!("{sp}: {key}"));
            assert_eq!(
                (p.first(), p.unit.as_str()),
                (dec(want), "hour"),
                "{sp}: {key}"
            );
            assert_eq!(p.record.sku.as_deref(), Some(plan_sku), "{key}");
            assert_eq!(p.record.usage_type.as_deref(), Some(usage), "{key}");
            assert_eq!(
                p.record.rate_code.as_deref(),
                Some(format!("{plan_sku}.KR2NPP9N7R68MJVX").as_str())
            );
            let s = &b.sources[&p.source];
            assert_eq!(s.offer.as_deref(), Some("AWSComputeSavingsPlan"));
            assert!(
                s.url.contains(
                    "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/20250926000000/ap-northeast-1/"
                ),
                "{}",
                s.url
            );
            // The shipped book's rate from the same records, so a fetched book keeps every
            // Savings Plans line of a scenario as it is.
            assert_eq!(
                shipped.get(&key).map(|p| p.first()),
                Some(dec(want)),
                "{key}"
            );
        }
        // No other SKU of the EC2 file has a plan rate in this file.
        assert_eq!(
            b.prices
                .keys()
                .filter(|k| k.contains(".savings_plan."))
                .count(),
            12
        );
    }
    // Without the offer file there is no SKU to join: nothing is priced, which is an error that
    // says what to give.
    let (code, err) = import_err(
        "ap-northeast-1",
        None,
        &[&fx("AWSComputeSavingsPlan-ap-northeast-1.json")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no price imported"), "{err}");
    assert!(err.contains("give it with those offer files"), "{err}");
}

/// A fetched book prices a scenario's commitments: the Tokyo EC2 file and its Savings Plans file
/// imported into a `--pricing-dir`, then `run` on c5.xlarge Windows, one reserved, one on a plan.
#[test]
fn an_imported_book_prices_reservations_and_savings_plans() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("ap-northeast-1.toml");
    let o = run(&[
        "pricing",
        "import",
        "--region",
        "ap-northeast-1",
        &fx("AmazonEC2-ap-northeast-1.csv"),
        &fx("AWSComputeSavingsPlan-ap-northeast-1.json"),
        "--out",
        book.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::copy(
        root("pricing/instances.toml"),
        dir.path().join("instances.toml"),
    )
    .unwrap();
    let scenario = dir.path().join("w.toml");
    std::fs::write(
        &scenario,
        r#"region = "ap-northeast-1"

[phases.prod.resources.app]
kind = "ec2"
instance_type = "c5.xlarge"
os = "windows"
reserved = { term = "1yr", payment = "partial_upfront" }

[phases.prod.resources.batch]
kind = "ec2"
instance_type = "c5.xlarge"
os = "windows"
savings_plan = { type = "compute", term = "3yr", payment = "no_upfront" }
"#,
    )
    .unwrap();
    let o = run(&[
        "run",
        scenario.to_str().unwrap(),
        "--pricing-dir",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // app: 730 h x $0.156 (1yr partial, hourly) = 113.88, + $1,368 / 12 = 114 (the upfront's
    // monthly equivalent), + the 8 GB gp3 root volume x $0.096 = 0.768;
    // batch: 730 h x $0.31 (3yr Compute Savings Plan, no upfront) = 226.3, + 0.768.
    // 113.88 + 114 + 0.768 + 226.3 + 0.768 = 455.716.
    assert_eq!(v["phases"][0]["monthly_total"], "455.716", "{v}");
}

/// A plan's rate in another unit than its SKU's on-demand price is an error at the rate.
#[test]
fn a_savings_plans_rate_in_another_unit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(root(&fx("AWSComputeSavingsPlan-ap-northeast-1.json"))).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["terms"]["savingsPlan"][2]["rates"][0]["unit"] = "Quantity".into();
    let bad = dir.path().join("sp.json");
    std::fs::write(&bad, serde_json::to_string(&v).unwrap()).unwrap();
    let (code, err) = import_err(
        "ap-northeast-1",
        None,
        &[bad.to_str().unwrap(), &fx("AmazonEC2-ap-northeast-1.csv")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("terms.savingsPlan[2].rates[0]"), "{err}");
    assert!(
        err.contains("per `Quantity`") && err.contains("per `Hrs`"),
        "{err}"
    );
}

#[test]
fn csv_and_json_of_the_same_records_give_the_same_prices() {
    let (_a, csv, _) = import("ap-northeast-1", &[fx("AmazonRDS-ap-northeast-1.csv")]);
    let (_b, json, _) = import("ap-northeast-1", &[fx("AmazonRDS-ap-northeast-1.json")]);
    assert_eq!(csv.prices.len(), 8);
    assert_eq!(
        csv.prices.keys().collect::<Vec<_>>(),
        json.prices.keys().collect::<Vec<_>>()
    );
    for (k, p) in &csv.prices {
        let q = &json.prices[k];
        assert_eq!(
            (&p.tiers, &p.unit, &p.record),
            (&q.tiers, &q.unit, &q.record),
            "{k}"
        );
    }
}

#[test]
fn tiers_come_from_the_ranges_of_a_published_csv() {
    // Verbatim Comprehend CSV: DetectPiiEntities 0.0001 per unit to 10,000,000, 0.00005 to
    // 50,000,000, 0.000025 to 100,000,000, 0.000005 above (`Inf`). Per 1M units: 100 up to 10,
    // 50 up to 50, 25 up to 100, 5 above.
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("m.toml");
    let text = std::fs::read_to_string(root(&fx("comprehend-mapping.toml"))).unwrap();
    // Without the ambiguous entry (tested below).
    let cut = text
        .find("[[prices]]\nkey = \"comprehend.endpoint.any\"")
        .unwrap();
    std::fs::write(&mapping, &text[..cut]).unwrap();
    let out = dir.path().join("ap-south-1.toml");
    let o = run(&[
        "pricing",
        "import",
        "--region",
        "ap-south-1",
        "--mapping",
        mapping.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        &fx("comprehend-ap-south-1.csv"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let b = PriceBook::parse("b", &std::fs::read_to_string(&out).unwrap()).unwrap();
    let pii = b.get("comprehend.pii.detect").unwrap();
    let tiers: Vec<(Option<rust_decimal::Decimal>, rust_decimal::Decimal)> =
        pii.tiers.iter().map(|t| (t.up_to, t.price)).collect();
    assert_eq!(
        tiers,
        vec![
            (Some(dec("10")), dec("100")),
            (Some(dec("50")), dec("50")),
            (Some(dec("100")), dec("25")),
            (None, dec("5")),
        ]
    );
    assert_eq!(pii.per, dec("1000000"));
    assert_eq!(
        pii.record.rate_code.as_deref(),
        Some("3AXMQWKDDFYP7NT5.JRTCKXETXF.HWDSBTNJX9, 3AXMQWKDDFYP7NT5.JRTCKXETXF.UH4R86KK5B, 3AXMQWKDDFYP7NT5.JRTCKXETXF.H7TEM37A35, 3AXMQWKDDFYP7NT5.JRTCKXETXF.F83EQNDM5J")
    );
    // Two SKUs share APS3-Endpoint-Time; `operation` picks DetectEntities.
    assert_eq!(
        b.get("comprehend.endpoint.entities")
            .unwrap()
            .record
            .sku
            .as_deref(),
        Some("5YNPCGDTQUKQG9VT")
    );
    assert_eq!(
        b.sources["aws-price-list-comprehend"].published.as_deref(),
        Some("2026-01-16")
    );
}

fn import_err(region: &str, mapping: Option<&Path>, files: &[&str]) -> (i32, String) {
    let mut args = vec!["pricing", "import", "--region", region];
    if let Some(m) = mapping {
        args.extend(["--mapping", m.to_str().unwrap()]);
    }
    args.extend(files);
    let o = run(&args);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn two_skus_for_one_key_is_an_error_naming_both() {
    let (code, err) = import_err(
        "ap-south-1",
        Some(&root(&fx("comprehend-mapping.toml"))),
        &[&fx("comprehend-ap-south-1.csv")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("comprehend.endpoint.any"), "{err}");
    assert!(
        err.contains("5YNPCGDTQUKQG9VT") && err.contains("K28D4MK5YVQZED8K"),
        "{err}"
    );
    assert!(err.contains("comprehend-ap-south-1.csv:12"), "{err}");
    // The traps, shown by a mapping without the filter that handles each.
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("loose.toml");
    let regions = "[regions.\"ap-northeast-1\"]\nlocation = \"Asia Pacific (Tokyo)\"\nusage_prefixes = [\"APN1-\"]\n";
    for (entry, file, skus) in [
        // Extended Support shares the instance's usage type: only productFamily tells them apart.
        (
            "key = \"rds.postgres.{c}\"\noffer = \"AmazonRDS\"\nunit = \"hour\"\nexpand = { var = \"c\", attribute = \"instanceType\", match = [\"db.t4g.small\"] }\nfilters = { usagetype = \"InstanceUsage:{c}\", databaseEngine = \"PostgreSQL\", deploymentOption = \"Single-AZ\" }",
            "AmazonRDS-ap-northeast-1.json",
            ["5UQA7HSTK9DZMK4Z", "XTESTRDSEXTSUP01"],
        ),
        // Windows rows share the Linux usage type.
        (
            "key = \"ec2.t3.micro\"\noffer = \"AmazonEC2\"\nunit = \"hour\"\nfilters = { usagetype = \"BoxUsage:t3.micro\" }",
            "AmazonEC2-ap-northeast-1.csv",
            ["XTESTEC2T3MICRO1", "XTESTEC2T3MICROW"],
        ),
    ] {
        std::fs::write(&m, format!("{regions}[[prices]]\n{entry}\n")).unwrap();
        let (code, err) = import_err("ap-northeast-1", Some(&m), &[&fx(file)]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("2 SKUs match"), "{err}");
        assert!(err.contains(skus[0]) && err.contains(skus[1]), "{err}");
    }
}

#[test]
fn keys_with_no_match_are_listed() {
    let (_d, _b, summary) = import("ap-northeast-1", &[fx("AWSELB-ap-northeast-1.csv")]);
    assert!(summary.contains("imported 6 prices"), "{summary}");
    // The mapped offers with no file are named; within ELB every key was found.
    assert!(
        summary.contains("offers mapped but not given: AmazonEC2"),
        "{summary}"
    );
    let (_d, _b, summary) = import(
        "ap-northeast-1",
        &[fx("AmazonElastiCache-ap-northeast-1.csv")],
    );
    assert!(
        summary.contains("elasticache.valkey.{node} for node `cache.t4g.*` (AmazonElastiCache)"),
        "{summary}"
    );
    // To stdout (no --out), the book goes to stdout and the summary to stderr.
    let o = run(&[
        "pricing",
        "import",
        "--region",
        "ap-northeast-1",
        &fx("awskms-ap-northeast-1.csv"),
    ]);
    assert!(o.status.success());
    let book = String::from_utf8_lossy(&o.stdout);
    assert!(book.contains("[prices.\"kms.key\"]"), "{book}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("imported 2 prices"));
}

#[test]
fn bad_files_are_located_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    // Not an offer file at all.
    let (code, err) = import_err("ap-northeast-1", None, &[&w("x.csv", "hello,world\n")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not an AWS Price List offer file"), "{err}");
    // A price that is not a number, on a row the mapping wants: file and line.
    let csv = std::fs::read_to_string(root(&fx("awskms-ap-northeast-1.csv")))
        .unwrap()
        .replace("\"0.0000030000\"", "\"three\"");
    let (code, err) = import_err("ap-northeast-1", None, &[&w("kms.csv", &csv)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("kms.csv:8: PricePerUnit"), "{err}");
    // A header without a required column.
    let csv = std::fs::read_to_string(root(&fx("awskms-ap-northeast-1.csv")))
        .unwrap()
        .replace("\"PricePerUnit\"", "\"Price\"");
    let (code, err) = import_err("ap-northeast-1", None, &[&w("kms2.csv", &csv)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("kms2.csv:6: the header has no `PricePerUnit` column"),
        "{err}"
    );
    // Broken JSON: line and column.
    let (code, err) = import_err(
        "ap-northeast-1",
        None,
        &[&w(
            "rds.json",
            "{\n  \"offerCode\": \"AmazonRDS\",\n  oops\n}",
        )],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("rds.json:3:"), "{err}");
    // A region the mapping does not know, and a file that does not exist (I/O, exit 3).
    let (code, err) = import_err("mars-1", None, &[&fx("awskms-ap-northeast-1.csv")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("mars-1"), "{err}");
    let (code, _) = import_err("ap-northeast-1", None, &["no/such/file.csv"]);
    assert_eq!(code, 3);
    // A unit the mapping does not convert from is an error, not a wrong price.
    let csv = std::fs::read_to_string(root(&fx("AmazonEC2-ap-northeast-1.csv")))
        .unwrap()
        .replace("\"GiBps-mo\"", "\"MiBps-mo\"");
    let (code, err) = import_err("ap-northeast-1", None, &[&w("ec2.csv", &csv)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("ebs.gp3.throughput") && err.contains("MiBps-mo"),
        "{err}"
    );
}

// ------------------------------------------------------------------------------------------
// fetch, through a local server
// ------------------------------------------------------------------------------------------

struct Server {
    base: String,
    /// "METHOD PATH RANGE" per request.
    log: Arc<Mutex<Vec<String>>>,
}

/// Serve the fixtures like the Price List does: the offer index, per-offer region indexes and
/// versioned offer files, with HEAD and `Range: bytes=N-`. `cut` truncates one path's body.
fn serve(cut: Option<(&'static str, usize)>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut routes: HashMap<String, PathBuf> = HashMap::new();
    routes.insert(
        "/offers/v1.0/aws/index.json".into(),
        root(&fx("server/index.json")),
    );
    for (code, version) in [
        ("AmazonEC2", "20260910000000"),
        ("AmazonECS", "20260831092155"),
        ("AWSELB", "20260831092255"),
        ("AmazonRDS", "20260904172716"),
        ("AmazonElastiCache", "20260723000000"),
        ("awskms", "20260928000000"),
    ] {
        routes.insert(
            format!("/offers/v1.0/aws/{code}/current/region_index.json"),
            root(&fx(&format!("server/{code}-region_index.json"))),
        );
        for ext in ["csv", "json"] {
            routes.insert(
                format!("/offers/v1.0/aws/{code}/{version}/ap-northeast-1/index.{ext}"),
                root(&fx(&format!("{code}-ap-northeast-1.{ext}"))),
            );
        }
    }
    // The Savings Plans files live beside the offers, with a region index of their own.
    routes.insert(
        "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/region_index.json".into(),
        root(&fx("server/AWSComputeSavingsPlan-region_index.json")),
    );
    for ext in ["csv", "json"] {
        routes.insert(
            format!("/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/20250926000000/ap-northeast-1/index.{ext}"),
            root(&fx(&format!("AWSComputeSavingsPlan-ap-northeast-1.{ext}"))),
        );
    }
    let l = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&req).to_string();
            let mut first = text.lines().next().unwrap_or("").split(' ');
            let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
            let range = text
                .lines()
                .find_map(|h| {
                    let (k, v) = h.split_once(':')?;
                    k.eq_ignore_ascii_case("range")
                        .then(|| v.trim().to_string())
                })
                .unwrap_or_default();
            l.lock().unwrap().push(format!("{method} {path} {range}"));
            let Some(body) = routes.get(path).and_then(|p| std::fs::read(p).ok()) else {
                let _ = s.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                continue;
            };
            let len = body.len();
            let from = range
                .strip_prefix("bytes=")
                .and_then(|r| r.strip_suffix('-'))
                .and_then(|n| n.parse::<usize>().ok());
            let (status, extra, slice) = match from {
                Some(n) if n >= len => (
                    "416 Range Not Satisfiable",
                    format!("Content-Range: bytes */{len}\r\n"),
                    &body[0..0],
                ),
                Some(n) => (
                    "206 Partial Content",
                    format!("Content-Range: bytes {n}-{}/{len}\r\n", len - 1),
                    &body[n..],
                ),
                None => ("200 OK", String::new(), &body[..]),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
                slice.len()
            );
            let _ = s.write_all(head.as_bytes());
            if method != "HEAD" {
                let send = match cut {
                    Some((p, n)) if p == path => &slice[..n.min(slice.len())],
                    _ => slice,
                };
                let _ = s.write_all(send);
            }
        }
    });
    Server {
        base: format!("http://127.0.0.1:{port}"),
        log,
    }
}

fn fetch(server: &Server, cache: &Path, out: &Path, services: &[&str]) -> std::process::Output {
    let index = format!("{}/offers/v1.0/aws/index.json", server.base);
    let mut args = vec![
        "pricing",
        "fetch",
        "--region",
        "ap-northeast-1",
        "--cache",
        cache.to_str().unwrap(),
        "--index-url",
        &index,
        "--out",
        out.to_str().unwrap(),
    ];
    for s in services {
        args.extend(["--service", s]);
    }
    run(&args)
}

#[test]
fn fetch_downloads_resumes_and_imports_end_to_end() {
    let server = serve(None);
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let out = dir.path().join("ap-northeast-1.toml");
    // An interrupted earlier download of the RDS file: its first 1,000 bytes.
    let rds_path = "offers/v1.0/aws/AmazonRDS/20260904172716/ap-northeast-1/index.csv";
    let rds_file = std::fs::read(root(&fx("AmazonRDS-ap-northeast-1.csv"))).unwrap();
    let part = cache.join(format!("{rds_path}.part"));
    std::fs::create_dir_all(part.parent().unwrap()).unwrap();
    std::fs::write(&part, &rds_file[..1000]).unwrap();

    // `rds` is a book service, `AWSELB` an offer code: both select offers.
    let o = fetch(&server, &cache, &out, &["rds", "AWSELB", "fargate"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.iter()
            .any(|l| l == &format!("GET /{rds_path} bytes=1000-")),
        "resumed from byte 1000: {log:?}"
    );
    assert_eq!(std::fs::read(cache.join(rds_path)).unwrap(), rds_file);
    assert!(!part.exists());
    let b = PriceBook::parse("fetched", &std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(b.prices.len(), 8 + 6 + 5, "RDS 8, ELB 6, Fargate 5");
    let p = b.get("rds.postgres.db.t4g.medium").unwrap();
    assert_eq!(p.first(), dec("0.101"));
    assert_eq!(p.record.sku.as_deref(), Some("8TMKJVFDMDNHFX96"));
    assert_eq!(
        b.sources[&p.source].version.as_deref(),
        Some("20260904172716")
    );
    assert_eq!(price(&b, "alb.hour"), dec("0.0243"));

    // Again: the cached files are complete (HEAD sizes match), so nothing is downloaded.
    server.log.lock().unwrap().clear();
    let o = fetch(&server, &cache, &out, &["rds"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains(&format!("HEAD /{rds_path} ")), "{log:?}");
    assert!(
        !log.iter()
            .any(|l| l.starts_with(&format!("GET /{rds_path}"))),
        "{log:?}"
    );
}

#[test]
fn fetch_brings_the_savings_plans_file_of_the_fetched_offers() {
    let server = serve(None);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ap-northeast-1.toml");
    let o = fetch(&server, &dir.path().join("cache"), &out, &["ec2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.iter().any(|l| l.starts_with(
            "GET /savingsPlan/v1.0/aws/AWSComputeSavingsPlan/20250926000000/ap-northeast-1/index.csv"
        )),
        "{log:?}"
    );
    let b = PriceBook::parse("fetched", &std::fs::read_to_string(&out).unwrap()).unwrap();
    // The EC2 file's 19 prices and the 12 plans' rates for its c5.xlarge Windows SKU.
    assert_eq!(b.prices.len(), 19 + 12);
    assert_eq!(
        price(
            &b,
            "ec2.instance.c5.xlarge.windows.savings_plan.ec2_instance.3yr.all_upfront"
        ),
        dec("0.264")
    );
    // KMS has no plan-discounted key: its fetch never asks for the plans.
    server.log.lock().unwrap().clear();
    let o = fetch(&server, &dir.path().join("cache"), &out, &["kms"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = server.log.lock().unwrap().clone();
    assert!(!log.iter().any(|l| l.contains("savingsPlan")), "{log:?}");
}

#[test]
fn a_short_download_is_an_io_error_and_resumes_next_time() {
    let path = "/offers/v1.0/aws/awskms/20260928000000/ap-northeast-1/index.csv";
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let out = dir.path().join("b.toml");
    let o = fetch(&serve(Some((path, 500))), &cache, &out, &["kms"]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("run again to resume"), "{err}");
    assert!(!out.exists());
    let server = serve(None);
    let o = fetch(&server, &cache, &out, &["kms"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = server.log.lock().unwrap().clone();
    assert!(log.iter().any(|l| l.ends_with("bytes=500-")), "{log:?}");
    let b = PriceBook::parse("b", &std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(price(&b, "kms.requests"), dec("0.03"));
}

#[test]
fn no_network_is_a_clear_io_error_and_the_books_still_work() {
    // Port 9 (discard) on the loopback address: nothing listens, the connection is refused.
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        "pricing",
        "fetch",
        "--region",
        "ap-northeast-1",
        "--cache",
        dir.path().to_str().unwrap(),
        "--index-url",
        "http://127.0.0.1:9/offers/v1.0/aws/index.json",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot download http://127.0.0.1:9/"), "{err}");
    assert!(err.contains("built-in price books keep working"), "{err}");
    let o = run(&["pricing", "show", "ap-northeast-1", "alb"]);
    assert!(o.status.success());
    // An unknown service is bad input, before any download.
    let o = run(&[
        "pricing",
        "fetch",
        "--region",
        "ap-northeast-1",
        "--service",
        "rdss",
        "--index-url",
        "http://127.0.0.1:9/x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean"));
}

// ------------------------------------------------------------------------------------------
// coverage and diff
// ------------------------------------------------------------------------------------------

fn small_book(region: &str, prices: &str) -> String {
    format!(
        "region = \"{region}\"\ncurrency = \"USD\"\n[sources.s]\nurl = \"u\"\nas_of = \"2026-01-01\"\n\
         [sources.weak]\nurl = \"w\"\nas_of = \"2026-01-01\"\ntrust = \"low\"\n{prices}"
    )
}

fn p(key: &str, v: &str, source: &str) -> String {
    format!("[prices.\"{key}\"]\nunit = \"hour\"\nprice = \"{v}\"\nsource = \"{source}\"\n")
}

#[test]
fn coverage_counts_present_missing_and_low_trust() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root("pricing/instances.toml"),
        dir.path().join("instances.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("r-a.toml"),
        small_book(
            "r-a",
            &(p("ec2.x", "1", "s") + &p("ec2.y", "1", "s") + &p("rds.z", "1", "weak")),
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("r-b.toml"),
        small_book("r-b", &p("ec2.x", "2", "weak")),
    )
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    let o = run(&[
        "pricing",
        "coverage",
        "--pricing-dir",
        dir.path().to_str().unwrap(),
        "--scenarios",
        empty.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Universe: ec2.x, ec2.y, rds.z. r-a has all three (rds.z low); r-b only ec2.x (low).
    let svc = |name: &str| {
        v["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(svc("ec2")["keys"], 2);
    assert_eq!(
        svc("ec2")["regions"]["r-a"],
        serde_json::json!({"present": 2, "missing": 0, "low_trust": 0})
    );
    assert_eq!(
        svc("ec2")["regions"]["r-b"],
        serde_json::json!({"present": 1, "missing": 1, "low_trust": 1})
    );
    assert_eq!(
        svc("rds")["regions"]["r-a"],
        serde_json::json!({"present": 1, "missing": 0, "low_trust": 1})
    );
    assert_eq!(
        svc("rds")["regions"]["r-b"],
        serde_json::json!({"present": 0, "missing": 1, "low_trust": 0})
    );
}

#[test]
fn coverage_prices_each_library_scenario_in_each_region() {
    let o = run(&["pricing", "coverage", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["scenarios"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        std::fs::read_dir(root("scenarios")).unwrap().count()
    );
    // Every library scenario runs in the region it names (the library tests run them there).
    for r in rows {
        let own = r["region"].as_str().unwrap();
        assert_eq!(r["missing"][own], serde_json::Value::Null, "{r}");
    }
    let table = String::from_utf8_lossy(&run(&["pricing", "coverage"]).stdout).to_string();
    assert!(table.contains("present / missing / low"), "{table}");
    assert!(table.contains("scenarios/lambda-rds.toml"), "{table}");
}

#[test]
fn diff_lists_changed_added_and_removed_prices_with_percent() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.toml");
    let new = dir.path().join("new.toml");
    std::fs::write(
        &old,
        small_book(
            "r",
            &(p("a", "0.05", "s") + &p("b", "0.10", "s") + &p("c", "0.2", "s")),
        ),
    )
    .unwrap();
    std::fs::write(
        &new,
        small_book(
            "r",
            &(p("a", "0.0475", "s") + &p("c", "0.20", "s") + &p("d", "1", "s")),
        ),
    )
    .unwrap();
    let o = run(&[
        "pricing",
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // a: (0.0475 - 0.05) / 0.05 = -0.05 -> -5%. c: 0.2 = 0.20, unchanged.
    assert_eq!(v["unchanged"], 1);
    let prices = v["prices"].as_array().unwrap();
    assert_eq!(prices.len(), 3);
    assert_eq!(prices[0]["key"], "a");
    assert_eq!(prices[0]["change"], "changed");
    assert_eq!(prices[0]["percent"], "-5");
    assert_eq!(prices[1]["key"], "b");
    assert_eq!(prices[1]["change"], "removed");
    assert_eq!(prices[2]["key"], "d");
    assert_eq!(prices[2]["change"], "added");
    let o = run(&[
        "pricing",
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    let t = String::from_utf8_lossy(&o.stdout);
    assert!(
        t.contains("1 changed, 1 added, 1 removed, 1 unchanged"),
        "{t}"
    );
    assert!(t.contains("-5%"), "{t}");
    // A book that does not parse is bad input, located.
    std::fs::write(&new, "region = \"r\"\n").unwrap();
    let o = run(&[
        "pricing",
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_import_diffs_against_the_built_in_book() {
    let (dir, _b, _) = tokyo();
    let o = run(&[
        "pricing",
        "diff",
        "pricing/ap-northeast-1.toml",
        dir.path().join("ap-northeast-1.toml").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = String::from_utf8_lossy(&o.stdout);
    // The import prices only what its files hold, so the built-in book's other keys show as
    // removed; the 42 it holds are the built-in book's own prices, to the digit (both come
    // from the same Price List records).
    assert!(t.contains("0 changed, 0 added"), "{t}");
    assert!(t.contains("42 unchanged"), "{t}");
    assert!(t.contains("removed"), "{t}");
}

#[test]
fn a_json_file_with_terms_before_products_imports_the_same() {
    // AWS writes `products` before `terms`, which lets the reader skip unwanted terms as they
    // stream past; another order must still give the same prices.
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root(&fx("AmazonRDS-ap-northeast-1.json"))).unwrap(),
    )
    .unwrap();
    let mut m = serde_json::Map::new();
    m.insert("terms".into(), v["terms"].clone());
    for (k, x) in v.as_object().unwrap() {
        if k != "terms" {
            m.insert(k.clone(), x.clone());
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("rds.json");
    std::fs::write(
        &f,
        serde_json::to_string(&serde_json::Value::Object(m)).unwrap(),
    )
    .unwrap();
    let (_a, reordered, _) = import("ap-northeast-1", &[f.display().to_string()]);
    let (_b, json, _) = import("ap-northeast-1", &[fx("AmazonRDS-ap-northeast-1.json")]);
    assert_eq!(reordered.prices.len(), 8);
    for (k, p) in &json.prices {
        assert_eq!(reordered.prices[k].tiers, p.tiers, "{k}");
        assert_eq!(reordered.prices[k].record, p.record, "{k}");
    }
}
