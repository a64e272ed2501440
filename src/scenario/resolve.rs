//! Phase inheritance: `extends`, `remove`, `patch`, replace, and environment schedules.

use indexmap::IndexMap;
use toml::Value;

use super::RawPhase;
use crate::error::InputError;
use crate::resources;
use crate::source::{Document, KeyPath};
use crate::suggest;

/// A resource table after inheritance, remembering where each key was written.
#[derive(Debug, Clone)]
pub(crate) struct RawResource {
    pub table: toml::Table,
    /// Where the resource table was defined.
    pub origin: KeyPath,
    /// Keys set by a later patch, and where.
    pub patched: IndexMap<String, KeyPath>,
}

impl RawResource {
    /// Where `key` was written (its patch, or the defining table).
    pub fn key_origin(&self, key: &str) -> KeyPath {
        self.patched
            .get(key)
            .cloned()
            .unwrap_or_else(|| self.origin.key(key))
    }
}

/// A TOML scalar as written in a message (`100`, `"200h"` without quotes).
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Resolve phase (or environment) `name` to its resources, following `extends` / `phase`.
pub(crate) fn resolve(
    doc: &Document,
    phases: &IndexMap<String, RawPhase>,
    envs: &IndexMap<String, RawPhase>,
    name: &str,
    is_env: bool,
) -> Result<IndexMap<String, RawResource>, InputError> {
    let mut chain: Vec<String> = Vec::new();
    resolve_inner(doc, phases, envs, name, is_env, &mut chain)
}

fn resolve_inner(
    doc: &Document,
    phases: &IndexMap<String, RawPhase>,
    envs: &IndexMap<String, RawPhase>,
    name: &str,
    is_env: bool,
    chain: &mut Vec<String>,
) -> Result<IndexMap<String, RawResource>, InputError> {
    let section = if is_env { "environments" } else { "phases" };
    let at = KeyPath::root().key(section).key(name);
    let spec = if is_env { &envs[name] } else { &phases[name] };
    if is_env && spec.extends.is_some() {
        return Err(doc.error_at(
            &at.key("extends"),
            "environments name their base with `phase`, not `extends`",
        ));
    }
    if !is_env && spec.phase.is_some() {
        return Err(doc.error_at(
            &at.key("phase"),
            "`phase` is for environments; a phase uses `extends`",
        ));
    }
    chain.push(name.to_string());
    let parent_key = if is_env { "phase" } else { "extends" };
    let mut resources = match spec.extends.as_ref().or(spec.phase.as_ref()) {
        None => IndexMap::new(),
        Some(parent) => {
            if !phases.contains_key(parent) {
                return Err(doc
                    .error_at(
                        &at.key(parent_key),
                        format!("`{name}` builds on unknown phase `{parent}`"),
                    )
                    .with_help(suggest::did_you_mean(
                        parent,
                        phases.keys().map(String::as_str),
                    )));
            }
            if chain.iter().any(|c| c == parent) {
                chain.push(parent.clone());
                return Err(doc.error_at(
                    &at.key(parent_key),
                    format!(
                        "phases extend each other in a cycle: {}",
                        chain.join(" -> ")
                    ),
                ));
            }
            resolve_inner(doc, phases, envs, parent, false, chain)?
        }
    };
    for (i, gone) in spec.remove.iter().enumerate() {
        if resources.shift_remove(gone).is_none() {
            return Err(doc
                .error_at(
                    &at.key("remove").index(i),
                    format!("cannot remove `{gone}`: no inherited resource has that name"),
                )
                .with_help(suggest::did_you_mean(
                    gone,
                    resources.keys().map(String::as_str),
                )));
        }
    }
    for (target, patch) in &spec.patch {
        let patch_at = at.key("patch").key(target);
        let Some(res) = resources.get_mut(target) else {
            return Err(doc
                .error_at(
                    &patch_at,
                    format!("cannot patch `{target}`: no inherited resource has that name"),
                )
                .with_help(suggest::did_you_mean(
                    target,
                    resources.keys().map(String::as_str),
                )));
        };
        for (k, v) in patch {
            if k == "kind" {
                return Err(doc.error_at(
                    &patch_at.key(k),
                    "a patch cannot change `kind`; define the resource again instead",
                ));
            }
            res.table.insert(k.clone(), v.clone());
            res.patched.insert(k.clone(), patch_at.key(k));
        }
    }
    for (res_name, table) in &spec.resources {
        let origin = at.key("resources").key(res_name);
        resources.insert(
            res_name.clone(),
            RawResource {
                table: table.clone(),
                origin,
                patched: IndexMap::new(),
            },
        );
    }
    // A phase's (or environment's) `schedule` is the default for every hourly resource that
    // does not state its own running time. A resource that states it as a monthly total
    // (`hours_per_month`, `task_hours`) is an error here rather than a silent choice: the
    // schedule cannot apply to it, and skipping it would price the phase as if the schedule
    // covered everything. The fix is to give that resource its own schedule, e.g. "200h".
    if let Some(schedule) = &spec.schedule {
        for (res_name, res) in resources.iter_mut() {
            let kind = res.table.get("kind").and_then(Value::as_str);
            let takes = kind
                .and_then(resources::kind_info)
                .is_some_and(|k| k.schedulable);
            if !takes || res.table.contains_key("schedule") {
                continue;
            }
            if let Some(fixed) = kind
                .and_then(resources::fixed_hours_key)
                .filter(|k| res.table.contains_key(*k))
            {
                let origin = res.key_origin(fixed);
                let place = doc
                    .span_of(&origin)
                    .map(|s| {
                        let (line, col) = crate::source::line_col(&doc.text, s.start);
                        format!(" ({}:{line}:{col})", doc.name)
                    })
                    .unwrap_or_default();
                let hours = res.table.get(fixed).map(value_text).unwrap_or_default();
                return Err(doc
                    .error_at(
                        &at.key("schedule"),
                        format!(
                            "`{name}` sets schedule = \"{schedule}\" for its hourly resources, but `{res_name}` gives its running time as `{fixed}` = {hours} at `{origin}`{place}; a schedule and a fixed monthly total cannot both apply"
                        ),
                    )
                    .with_help(Some(format!(
                        "define `{res_name}` again under [{section}.{name}.resources.{res_name}] with its own `schedule` (e.g. schedule = \"{hours}h\" for a fixed total{tasks}) instead of `{fixed}`",
                        tasks = if fixed == "task_hours" { " of task-hours with tasks = 1" } else { "" }
                    ))));
            }
            res.table
                .insert("schedule".into(), Value::String(schedule.clone()));
            res.patched.insert("schedule".into(), at.key("schedule"));
        }
    }
    chain.pop();
    Ok(resources)
}
