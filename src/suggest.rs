//! "Did you mean ...?" suggestions for near-miss names.

/// The closest candidate to `input`, if it is close enough to be a plausible typo.
///
/// Closeness is Damerau-Levenshtein distance (a swapped pair of letters counts once), accepted
/// when it is at most a third of the input's length (at least 1), so `db.t3.mirco` finds
/// `db.t3.micro` but `xyz` finds nothing.
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (input.chars().count() / 3).max(1);
    let lowered = input.to_ascii_lowercase();
    candidates
        .into_iter()
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
    fn rejects_far_names() {
        assert_eq!(closest("xyz", ["lambda", "fargate"]), None);
    }
}
