//! The shipped price books (`pricing/*.toml`, read from the crate root): every price carries
//! provenance a user can check, no citation points at something only this project's search index
//! can open, and every library scenario that names Tokyo prices with no missing key.

use std::path::{Path, PathBuf};

use crate::common::run;

fn pricing_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("pricing")
}

/// Every book and the instance catalog, sorted so failures list in a stable order.
fn book_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(pricing_dir())
        .expect("pricing/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // The importer's mapping lives beside the books but holds no prices.
        .filter(|p| p.file_name().is_some_and(|n| n != "mapping.toml"))
        .collect();
    v.sort();
    assert!(
        v.len() >= 3,
        "expected two region books and instances.toml, got {v:?}"
    );
    v
}

fn table_of(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).expect("book is readable");
    text.parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// A `url` a user can open: one or more `https://` URLs separated by " ; ", with no prose
/// ("GitHub file, ...", "(stored copy)") around them.
fn is_checkable_url(url: &str) -> bool {
    url.split(" ; ").all(|part| {
        part.len() > "https://x".len() && part.starts_with("https://") && !part.contains(' ')
    })
}

fn str_field<'a>(t: &'a toml::Table, key: &str) -> Option<&'a str> {
    t.get(key).and_then(toml::Value::as_str)
}

#[test]
fn is_checkable_url_accepts_only_bare_https_urls() {
    assert!(is_checkable_url(
        "https://aws.amazon.com/ec2/pricing/on-demand/"
    ));
    assert!(is_checkable_url(
        "https://aws.amazon.com/vpc/pricing/ ; https://aws.amazon.com/privatelink/pricing/"
    ));
    assert!(!is_checkable_url(
        "http://aws.amazon.com/cloudfront/pricing"
    ));
    assert!(!is_checkable_url("GitHub file, code index id 1 (a table)"));
    assert!(!is_checkable_url(
        "https://aws.amazon.com/lambda/pricing/ (verbatim copy in a GitHub file)"
    ));
    assert!(!is_checkable_url(
        "https://a.example/ ; see the research sheet"
    ));
}

#[test]
fn no_book_cites_a_code_index_id() {
    let mut hits = Vec::new();
    for path in book_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.to_lowercase().contains("code index") {
                hits.push(format!("{}:{}: {line}", name(&path), i + 1));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "code-index citations left:\n{}",
        hits.join("\n")
    );
}

/// A price is checkable when its source's `url` can be opened, or when it names the AWS Price
/// List record (SKU and usage type) and its source names the offer and its publication date.
#[test]
fn every_price_in_every_region_book_is_checkable() {
    let mut bad = Vec::new();
    let mut prices_seen = 0;
    for path in book_files() {
        let book = table_of(&path);
        let Some(prices) = book.get("prices").and_then(toml::Value::as_table) else {
            continue; // instances.toml: checked below
        };
        let sources = book["sources"].as_table().expect("[sources]");
        for (key, price) in prices {
            prices_seen += 1;
            let price = price.as_table().expect("price table");
            let id = str_field(price, "source").expect("price has a source");
            let source = sources[id].as_table().expect("source table");
            let url_ok = str_field(source, "url").is_some_and(is_checkable_url);
            let record_ok = str_field(price, "sku").is_some()
                && str_field(price, "usage_type").is_some()
                && str_field(source, "offer").is_some()
                && str_field(source, "published").is_some();
            if !(url_ok || record_ok) {
                bad.push(format!("{}: {key} (source {id})", name(&path)));
            }
        }
    }
    assert!(prices_seen > 200, "only {prices_seen} prices read");
    assert!(
        bad.is_empty(),
        "prices without checkable provenance:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_catalog_source_url_is_checkable() {
    let catalog = table_of(&pricing_dir().join("instances.toml"));
    let sources = catalog["sources"].as_table().expect("[sources]");
    assert!(!sources.is_empty());
    for (id, s) in sources {
        let url = str_field(s.as_table().unwrap(), "url").expect("url");
        assert!(is_checkable_url(url), "instances.toml source {id}: {url}");
    }
}

/// A source that names an `offer` and cites AWS Price List offer files names that offer in each
/// of their paths, so `pricing show` and the file agree on where to look.
#[test]
fn offer_file_urls_match_the_offer_they_name() {
    let mut checked = 0;
    for path in book_files() {
        let book = table_of(&path);
        for (id, s) in book["sources"].as_table().unwrap() {
            let s = s.as_table().unwrap();
            let Some(offer) = str_field(s, "offer") else {
                continue;
            };
            for part in str_field(s, "url").unwrap().split(" ; ") {
                let Some(rest) = part.split("/offers/v1.0/aws/").nth(1) else {
                    continue;
                };
                let in_url = rest.split('/').next().unwrap();
                if in_url != "index.json" {
                    assert_eq!(in_url, offer, "{} source {id}: {part}", name(&path));
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} offer-file urls checked");
}

/// Library scenarios whose top-level `region` is Tokyo.
fn tokyo_scenarios() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut v: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| {
            let t = table_of(p);
            str_field(&t, "region") == Some("ap-northeast-1")
        })
        .map(|p| format!("scenarios/{}", name(&p)))
        .collect();
    v.sort();
    v
}

/// Keys a Tokyo scenario may still leave unpriced as a usage-dependent note (exit 0, the line
/// says "no price for ..."): no citable Tokyo rate was found. Aurora backup storage is billed only
/// beyond 100% of the cluster volume, so the library scenarios do not depend on it.
const KNOWN_UNPRICED_IN_TOKYO: &[&str] = &["aurora.backup"];

/// Keys named in "no price for `KEY`" texts.
fn unpriced_keys(text: &str) -> Vec<String> {
    text.split("no price for `")
        .skip(1)
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn unpriced_keys_reads_every_no_price_text() {
    let text = "a; no price for `aurora.backup` in ap-northeast-1\", \"no price for `sns.requests`";
    assert_eq!(unpriced_keys(text), ["aurora.backup", "sns.requests"]);
    assert!(unpriced_keys("all priced").is_empty());
}

#[test]
fn every_tokyo_library_scenario_prices_with_no_missing_key() {
    let scenarios = tokyo_scenarios();
    // dev-env, fargate-aurora, nat-choice, prod, prod-doc-prices, prod-reserved at least.
    assert!(scenarios.len() >= 6, "Tokyo scenarios found: {scenarios:?}");
    for s in &scenarios {
        let o = run(&["run", s, "--format", "json"]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{s}: {stderr}");
        assert!(!stderr.contains("no price"), "{s}: {stderr}");
        let unpriced: Vec<String> = unpriced_keys(&stdout)
            .into_iter()
            .filter(|k| !KNOWN_UNPRICED_IN_TOKYO.contains(&k.as_str()))
            .collect();
        assert!(unpriced.is_empty(), "{s}: no price for {unpriced:?}");
        let e: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
        assert_eq!(e["region"], "ap-northeast-1", "{s}");
    }
}
