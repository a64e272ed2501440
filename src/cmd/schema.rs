//! `costplan schema`: the scenario format's JSON Schema on stdout.

use super::Outcome;

pub fn run() -> Outcome {
    Outcome::text(crate::scenario::schema::to_json())
}
