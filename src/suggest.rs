//! "Did you mean ...?" suggestions for near-miss names.

/// The closest candidate to `input`, if it is close enough to be a plausible typo.
///
/// Closeness is Damerau-Levenshtein distance (a swapped pair of letters counts once), accepted
/// when it is at most a third of the input's length (at least 1), so `db.t3.mirco` finds
/// `db.t3.micro` but `xyz` finds nothing.
///
/// Bounded: the distance is at least the difference in length, so a candidate whose length
/// differs by more than the limit is skipped without computing it (the distance is quadratic in
/// the lengths: a 15 MB value took a minute), and an input longer than [`MAX_INPUT_CHARS`] is
/// not a typo of anything and gets no suggestion.
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = input.chars().take(MAX_INPUT_CHARS + 1).count();
    if len > MAX_INPUT_CHARS {
        return None;
    }
    let limit = (len / 3).max(1);
    let lowered = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter(|c| {
            let n = c.chars().take(len + limit + 1).count();
            n.abs_diff(len) <= limit
        })
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lowered, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Inputs longer than this (in characters) get no suggestion: every name costplan knows is
/// far shorter.
pub const MAX_INPUT_CHARS: usize = 256;

/// `Some("did you mean X?")` for the closest candidate, for an error's help line.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_transposition() {
        let c = ["db.t3.micro", "db.t3.small", "db.t4g.micro"];
        assert_eq!(closest("db.t3.mirco", c), Some("db.t3.micro"));
    }

    #[test]
    fn a_huge_value_is_rejected_at_once() {
        let huge = "db.t3.micro".repeat(1_500_000);
        let start = std::time::Instant::now();
        assert_eq!(closest(&huge, ["db.t3.micro", "db.t3.small"]), None);
        // Just past the cap, and a value a bit shorter than it against much shorter names.
        let long = "x".repeat(MAX_INPUT_CHARS + 1);
        assert_eq!(closest(&long, [long.as_str()]), None);
        assert_eq!(closest(&"y".repeat(200), ["lambda", "fargate"]), None);
        assert!(start.elapsed().as_secs() < 2, "took {:?}", start.elapsed());
    }

    #[test]
    fn length_filter_keeps_every_match() {
        // Distance 1 with one letter more or fewer is still found.
        assert_eq!(closest("lamda", ["lambda"]), Some("lambda"));
        assert_eq!(closest("lambdaa", ["lambda"]), Some("lambda"));
        assert_eq!(closest("ab", ["abc"]), Some("abc"));
    }

    #[test]
    fn rejects_far_names() {
        assert_eq!(closest("xyz", ["lambda", "fargate"]), None);
    }
}
