//! `costplan pricing fetch`: download a region's offer files from AWS's public Price List (no
//! credentials), resumably into a cache, then import them.
//!
//! The index URL is a parameter, so a mirror (or a test's server on 127.0.0.1) works. Offer files
//! are cached under their versioned path, which AWS never rewrites: a complete cached file is
//! reused after its size is checked against the server's.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;

use super::mapping::Mapping;
use super::progress;
use crate::error::{Error, InputError, Result};

/// AWS's public offer index.
pub const DEFAULT_INDEX_URL: &str =
    "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json";

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub region: String,
    /// Offer codes (`AmazonRDS`) or book services (`rds`); empty for every mapped offer.
    pub services: Vec<String>,
    pub cache: PathBuf,
    pub index_url: String,
    /// `csv` (streamed, flat memory) or `json`.
    pub format: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Index {
    offers: IndexMap<String, OfferRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OfferRef {
    current_region_index_url: String,
}

#[derive(Deserialize)]
struct RegionIndex {
    regions: IndexMap<String, RegionRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegionRef {
    current_version_url: String,
}

/// The Savings Plans offer's region index: a list, each region with its file's path.
#[derive(Deserialize)]
struct PlansIndex {
    regions: Vec<PlansRegion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlansRegion {
    region_code: String,
    version_url: String,
}

/// Where AWS publishes the Compute Savings Plans files (beside the offers, not in their index).
const PLANS_INDEX: &str = "/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/region_index.json";

/// A network failure is an I/O error (exit 3) that says the built-in books still work.
fn net(url: &str, e: impl std::fmt::Display) -> Error {
    Error::io(
        "download",
        url,
        std::io::Error::other(format!(
            "{e} (no network? the built-in price books keep working offline; --index-url takes a mirror)"
        )),
    )
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// `/offers/...` against the index's scheme and host; absolute URLs as they are.
fn resolve(base: &str, path: &str) -> String {
    if path.contains("://") {
        return path.to_string();
    }
    let origin_end = base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(base.len());
    format!("{}{}", &base[..origin_end], path)
}

fn get_json<T: serde::de::DeserializeOwned>(agent: &ureq::Agent, url: &str) -> Result<T> {
    get_json_if_there(agent, url)?.ok_or_else(|| net(url, "HTTP 404 Not Found"))
}

/// [`get_json`], with `None` for a document the server does not have (404).
fn get_json_if_there<T: serde::de::DeserializeOwned>(
    agent: &ureq::Agent,
    url: &str,
) -> Result<Option<T>> {
    let mut resp = agent.get(url).call().map_err(|e| net(url, e))?;
    match resp.status().as_u16() {
        200 => {}
        404 => return Ok(None),
        s => return Err(net(url, format!("HTTP {s}"))),
    }
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .map_err(|e| net(url, e))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| InputError::new(format!("{url}: not a Price List index: {e}")).into())
}

fn header_u64(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<u64> {
    resp.headers().get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The total size in `Content-Range: bytes a-b/total`.
fn range_total(resp: &ureq::http::Response<ureq::Body>) -> Option<u64> {
    let v = resp.headers().get("content-range")?.to_str().ok()?;
    v.rsplit('/').next()?.trim().parse().ok()
}

/// Download `url` to `dest`, resuming a `.part` left by an interrupted run; the finished file
/// must have the size the server stated.
pub fn download(agent: &ureq::Agent, url: &str, dest: &Path) -> Result<()> {
    if dest.is_file() {
        // A versioned file never changes: keep it if its size is the server's.
        let have = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        let resp = agent.head(url).call().map_err(|e| net(url, e))?;
        if resp.status().as_u16() == 200 && header_u64(&resp, "content-length") == Some(have) {
            return Ok(());
        }
        std::fs::remove_file(dest).map_err(|e| Error::io("replace", dest, e))?;
    }
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    let part = dest.with_extension(format!(
        "{}.part",
        dest.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    let mut req = agent.get(url);
    if have > 0 {
        req = req.header("Range", format!("bytes={have}-"));
    }
    let resp = req.call().map_err(|e| net(url, e))?;
    let (mut file, start, total) = match resp.status().as_u16() {
        206 => {
            let f = std::fs::OpenOptions::new()
                .append(true)
                .open(&part)
                .map_err(|e| Error::io("write", &part, e))?;
            (f, have, range_total(&resp))
        }
        200 => {
            let f = std::fs::File::create(&part).map_err(|e| Error::io("write", &part, e))?;
            (f, 0, header_u64(&resp, "content-length"))
        }
        // The part is already whole: the server has nothing after its end.
        416 if have > 0 => {
            let total = range_total(&resp);
            let f = std::fs::OpenOptions::new()
                .append(true)
                .open(&part)
                .map_err(|e| Error::io("write", &part, e))?;
            (f, have, total.or(Some(have)))
        }
        s => return Err(net(url, format!("HTTP {s}"))),
    };
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let pb = progress::bar(total.unwrap_or(0), &format!("download {name}"));
    pb.set_position(start);
    let mut body = resp.into_body().into_reader();
    let mut buf = vec![0u8; 1 << 16];
    let mut got = start;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                let _ = file.flush();
                return Err(net(
                    url,
                    format!("interrupted after {got} bytes ({e}); run again to resume"),
                ));
            }
        };
        file.write_all(&buf[..n])
            .map_err(|e| Error::io("write", &part, e))?;
        got += n as u64;
        pb.set_position(got);
    }
    file.flush().map_err(|e| Error::io("write", &part, e))?;
    drop(file);
    pb.finish_and_clear();
    if let Some(t) = total {
        if got != t {
            return Err(net(
                url,
                format!("got {got} of {t} bytes; run again to resume"),
            ));
        }
    }
    std::fs::rename(&part, dest).map_err(|e| Error::io("rename", &part, e))?;
    Ok(())
}

/// Which offers to fetch: every mapped one, or those `services` names (offer code or the first
/// segment of a key the offer prices).
pub fn offers_for(mapping: &Mapping, services: &[String]) -> Result<Vec<String>> {
    let all = mapping.offers();
    if services.is_empty() {
        return Ok(all.into_iter().map(str::to_string).collect());
    }
    let mut out: Vec<String> = Vec::new();
    for s in services {
        let hit: Vec<&str> = all
            .iter()
            .copied()
            .filter(|o| {
                o.eq_ignore_ascii_case(s)
                    || mapping
                        .entries
                        .iter()
                        .any(|e| e.offer == *o && e.key.split('.').next() == Some(s.as_str()))
            })
            .collect();
        if hit.is_empty() {
            let mut names: Vec<String> = all.iter().map(|o| o.to_string()).collect();
            for e in &mapping.entries {
                let svc = e.key.split('.').next().unwrap_or("").to_string();
                if !names.contains(&svc) {
                    names.push(svc);
                }
            }
            return Err(InputError::new(format!("no mapped offer or service `{s}`"))
                .with_help(
                    crate::suggest::did_you_mean(s, names.iter().map(String::as_str))
                        .or_else(|| Some(format!("known: {}", names.join(", ")))),
                )
                .into());
        }
        for h in hit {
            if !out.iter().any(|o| o == h) {
                out.push(h.to_string());
            }
        }
    }
    Ok(out)
}

/// Download the region's current offer files; returns the local paths, in offer order.
pub fn fetch(mapping: &Mapping, opts: &FetchOptions) -> Result<Vec<PathBuf>> {
    mapping.region(&opts.region)?;
    if opts.format != "csv" && opts.format != "json" {
        return Err(InputError::new(format!(
            "--format {}: offer files come as `csv` or `json`",
            opts.format
        ))
        .into());
    }
    let offers = offers_for(mapping, &opts.services)?;
    let with_plans = mapping
        .entries
        .iter()
        .any(|e| e.savings_plans && offers.contains(&e.offer));
    let agent = agent();
    let index: Index = get_json(&agent, &opts.index_url)?;
    let mut paths = Vec::new();
    let in_format = |path: &str| match (opts.format.as_str(), path.strip_suffix(".json")) {
        ("csv", Some(stem)) => format!("{stem}.csv"),
        _ => path.to_string(),
    };
    for offer in offers {
        let Some(o) = index.offers.get(&offer) else {
            return Err(InputError::new(format!(
                "{}: the offer index has no `{offer}`",
                opts.index_url
            ))
            .into());
        };
        let ri_url = resolve(&opts.index_url, &o.current_region_index_url);
        let ri: RegionIndex = get_json(&agent, &ri_url)?;
        let Some(r) = ri.regions.get(&opts.region) else {
            // Not every service is offered in every region: say so and carry on.
            eprintln!("note: {offer} has no offer file for {}", opts.region);
            continue;
        };
        let path = in_format(&r.current_version_url);
        let url = resolve(&opts.index_url, &path);
        let local = opts.cache.join(path.trim_start_matches('/'));
        download(&agent, &url, &local)?;
        paths.push(local);
    }
    // The Savings Plans rates of those offers' SKUs are a file of their own.
    if with_plans {
        let url = resolve(&opts.index_url, PLANS_INDEX);
        let found = get_json_if_there::<PlansIndex>(&agent, &url)?;
        match found
            .as_ref()
            .map(|i| i.regions.iter().find(|r| r.region_code == opts.region))
        {
            None => eprintln!("note: no Savings Plans index at {url}: no `.savings_plan.` prices"),
            Some(None) => eprintln!(
                "note: AWSComputeSavingsPlan has no file for {}: no `.savings_plan.` prices",
                opts.region
            ),
            Some(Some(r)) => {
                let path = in_format(&r.version_url);
                let local = opts.cache.join(path.trim_start_matches('/'));
                download(&agent, &resolve(&opts.index_url, &path), &local)?;
                paths.push(local);
            }
        }
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_resolve_against_the_index_host() {
        assert_eq!(
            resolve(DEFAULT_INDEX_URL, "/offers/v1.0/aws/AmazonRDS/current/region_index.json"),
            "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonRDS/current/region_index.json"
        );
        assert_eq!(
            resolve("http://127.0.0.1:8080/mirror/index.json", "/offers/x.csv"),
            "http://127.0.0.1:8080/offers/x.csv"
        );
    }
}
