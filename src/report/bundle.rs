//! A report folder (`run --out`, `sweep --out`): the file set, its names, and writing it whole
//! or not at all.
//!
//! File names come from the scenario's name. Every name is checked before the first write, every
//! file is first written (and synced) as a hidden temporary file in the output folder itself,
//! and only when all are written are they renamed into place. A failure before that (a full
//! disk, a name the file system refuses) removes the temporary files and leaves no report file
//! behind; only a failure between two renames, which a file system cannot make atomic as a
//! group, can leave part of a new report next to the old one.

use std::path::Path;

use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::report::{capacity, charts, markdown, sweep as sw, Format};
use crate::scenario::Scenario;

/// Longest file stem in bytes. Most file systems allow 255 bytes per name; the longest suffix a
/// report adds is about 30 (`-db-connections.png`), and a shorter stem stays readable in a
/// listing (a CJK character is 3 bytes, so this is 40 of them).
pub const MAX_STEM_BYTES: usize = 120;

/// Longest file name accepted (the common file-system limit, `NAME_MAX`).
pub const MAX_NAME_BYTES: usize = 255;

/// A file stem from a scenario name.
///
/// ASCII letters, digits, `-` and `_` are kept, and so are the letters and digits of other
/// scripts (`API設計` stays readable); every other character becomes `_`, so a name cannot point
/// outside the output folder. A name with any non-ASCII character gets `-` and a short hash of
/// the whole name appended, since two such names can otherwise sanitise alike (symbols, or
/// letters in different normal forms); a stem longer than [`MAX_STEM_BYTES`] is cut and gets the
/// hash too. Plain ASCII names that fit are kept as they always were.
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric()
                || c == '-'
                || c == '_'
                || (!c.is_ascii() && c.is_alphanumeric())
            {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        return "scenario".into();
    }
    let hashed = !name.is_ascii() || s.len() > MAX_STEM_BYTES;
    if !hashed {
        return s;
    }
    let tag = short_hash(name);
    // Room for `-` and the 8 hex digits; cut on a character boundary.
    let room = MAX_STEM_BYTES - 1 - tag.len();
    let mut cut = s.len().min(room);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{tag}", &s[..cut])
}

/// 8 hex digits of the 64-bit FNV-1a hash of `s`: fixed by its definition, so the same name
/// gives the same file names on every machine and release.
fn short_hash(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:08x}", (h >> 32) as u32 ^ h as u32)
}

/// Points of the traffic sweep in a `--out` report (0.1x to 10x the expected traffic).
const REPORT_SWEEP_STEPS: usize = 13;

/// The traffic sweep a report charts: every phase from a tenth of the expected traffic to ten
/// times it, geometric steps. `None` without `[traffic]` (or with `--phase` of an environment).
pub fn report_sweep(
    scenario: &Scenario,
    book: &crate::pricing::PriceBook,
    phase: Option<&str>,
    seed: Option<u64>,
) -> Result<Option<crate::sweep::Sweep>> {
    let Some(t) = &scenario.traffic else {
        return Ok(None);
    };
    let avg = t.profile.avg_rps;
    if avg <= 0.0 || !avg.is_finite() {
        return Ok(None);
    }
    let spec = crate::sweep::SweepSpec {
        axis: crate::sweep::Axis::Rps,
        span: crate::sweep::Span {
            from: avg / 10.0,
            to: avg * 10.0,
        },
        steps: REPORT_SWEEP_STEPS,
        log: true,
    };
    crate::sweep::sweep(scenario, book, &spec, phase, seed, None).map(Some)
}

/// The leading comment block of the scenario file: its sources and assumptions.
pub fn header_comment(text: &str) -> String {
    text.lines()
        .take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
        .filter_map(|l| l.trim_start().strip_prefix('#'))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The files of a `run --out` report, by name: the chosen formats (default JSON, CSV and the
/// Markdown report), the capacity and sweep CSV/JSON, and the charts as PNG and SVG.
pub fn run_files(
    formats: &[Format],
    scenario: &Scenario,
    plan: &Plan,
    sweep: Option<&crate::sweep::Sweep>,
    v: &crate::report::View,
) -> Result<Vec<(String, Vec<u8>)>> {
    let formats = crate::report::formats_or(formats, &crate::report::OUT_FORMATS);
    let stem = file_stem(&plan.estimate.scenario);
    let expected = scenario.traffic.as_ref().map(|t| t.profile.avg_rps);
    let charts = charts::all(
        plan,
        sweep,
        expected,
        &v.currency,
        crate::chart::ChartSize::default(),
    )?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let assumptions = header_comment(&scenario.doc.text);
    for f in formats {
        let text = if f == Format::Markdown {
            let mut x = markdown::Extras {
                assumptions: Some(&assumptions),
                ..Default::default()
            };
            if let Some(s) = sweep {
                x.sections.push(sw::grid_section(s, v));
                x.sections.push(sw::break_even_section(s, v));
            }
            x.charts = charts
                .iter()
                .map(|c| (c.title.clone(), format!("{stem}-{}.png", c.slug)))
                .collect();
            markdown::render_with(plan, &x, v)
        } else {
            f.render_view(plan, v)?
        };
        files.push((format!("{stem}.{}", f.extension()), text.into_bytes()));
    }
    if let Some(c) = &plan.capacity {
        files.push((
            format!("{stem}-capacity.csv"),
            capacity::csv(c)?.into_bytes(),
        ));
    }
    if let Some(s) = sweep {
        files.push((format!("{stem}-sweep.csv"), sw::csv(s, v)?.into_bytes()));
        files.push((format!("{stem}-sweep.json"), sw::json(s, v).into_bytes()));
        files.push((
            format!("{stem}-break-even.csv"),
            sw::break_even_csv(s, v)?.into_bytes(),
        ));
    }
    for c in charts {
        files.push((format!("{stem}-{}.png", c.slug), c.files.png));
        files.push((format!("{stem}-{}.svg", c.slug), c.files.svg.into_bytes()));
    }
    Ok(files)
}

/// Why `name` cannot be a file of a report in its folder, if it cannot.
fn bad_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("the file name is empty")
    } else if name.contains(['/', '\\', '\0']) || name.starts_with('.') {
        Some("refusing a file name outside the output directory")
    } else if name.len() > MAX_NAME_BYTES {
        Some("the file name is longer than the file system allows")
    } else {
        None
    }
}

/// Write every (file name, contents) into `dir`, all or none (see the module notes); one
/// "wrote PATH" note per file.
pub fn write_all(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    for (name, _) in &files {
        if let Some(why) = bad_name(name) {
            return Err(Error::io(
                "write",
                dir.join(name),
                std::io::Error::other(why),
            ));
        }
        if !seen.insert(name.as_str()) {
            return Err(Error::io(
                "write",
                dir.join(name),
                std::io::Error::other("two files of the report have this name"),
            ));
        }
    }
    let created = prepare_dir(dir)?;
    // A name taken by a directory would fail at its rename, after others are in place.
    for (name, _) in &files {
        let target = dir.join(name);
        if target.is_dir() {
            return Err(Error::io(
                "write",
                target,
                std::io::Error::other("a directory has this report file's name"),
            ));
        }
    }
    let result = write_temps(dir, &files).and_then(|temps| {
        let mut notes = Vec::with_capacity(temps.len());
        for (tmp, (name, _)) in temps.into_iter().zip(&files) {
            let target = dir.join(name);
            tmp.persist(&target)
                .map_err(|e| Error::io("rename into", &target, e.error))?;
            notes.push(format!("wrote {}", target.display()));
        }
        Ok(notes)
    });
    if result.is_err() && created {
        // Nothing was renamed into it, or it would not be empty: leave no trace of the run.
        let _ = std::fs::remove_dir(dir);
    }
    result
}

/// Make sure `dir` is a directory; true if this call created it.
fn prepare_dir(dir: &Path) -> Result<bool> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(false),
        Ok(_) => Err(Error::io(
            "write the report to",
            dir,
            std::io::Error::other("it exists and is not a directory"),
        )),
        Err(_) => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
            Ok(true)
        }
    }
}

/// Every file as a synced temporary file in `dir`; dropped (and so removed) on error.
fn write_temps(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<tempfile::NamedTempFile>> {
    use std::io::Write;
    let mut temps = Vec::with_capacity(files.len());
    for (_, bytes) in files {
        let mut tmp = crate::report::temp_builder()
            .tempfile_in(dir)
            .map_err(|e| Error::io("create a temporary file in", dir, e))?;
        tmp.write_all(bytes)
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| Error::io("write", tmp.path().to_path_buf(), e))?;
        temps.push(tmp);
    }
    Ok(temps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_names_keep_their_old_stems() {
        assert_eq!(file_stem("prod"), "prod");
        assert_eq!(file_stem("my app v1.2"), "my_app_v1_2");
        assert_eq!(file_stem("../../x"), "______x");
        assert_eq!(file_stem(""), "scenario");
    }

    #[test]
    fn non_ascii_names_stay_readable_and_distinct() {
        let a = file_stem("API設計");
        let b = file_stem("API運用");
        assert!(a.starts_with("API設計-"), "{a}");
        assert!(b.starts_with("API運用-"), "{b}");
        assert_ne!(a, b);
        // Symbols that sanitise alike still give different stems.
        assert_ne!(file_stem("API ★"), file_stem("API ☆"));
        // The same name always gives the same stem.
        assert_eq!(file_stem("API設計"), a);
    }

    #[test]
    fn long_names_are_cut_with_a_hash() {
        let long = "a".repeat(250);
        let s = file_stem(&long);
        assert_eq!(s.len(), MAX_STEM_BYTES);
        assert!(s.starts_with(&"a".repeat(100)));
        assert_ne!(s, file_stem(&format!("{long}b")));
        let cjk = "設".repeat(100);
        let s = file_stem(&cjk);
        assert!(s.len() <= MAX_STEM_BYTES, "{}", s.len());
        assert!(s.starts_with("設設設"));
    }
}
