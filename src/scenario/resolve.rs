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
///
/// The chain of bases is collected first, by a loop rather than recursion, so a chain or a cycle
/// of thousands of phases is an error message, not a stack overflow (which aborts the process);
/// then each link is applied from the root phase down. Phases already resolved are taken from
/// `cache` (and new ones added), so a chain of n phases costs O(n), not O(n²).
pub(crate) fn resolve(
    doc: &Document,
    phases: &IndexMap<String, RawPhase>,
    envs: &IndexMap<String, RawPhase>,
    name: &str,
    is_env: bool,
    cache: &mut Resolved,
) -> Result<IndexMap<String, RawResource>, InputError> {
    let mut chain: Vec<(&str, bool)> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let (mut cur, mut cur_env) = (name, is_env);
    let mut resources = IndexMap::new();
    loop {
        if let Some(done) = cache.get(cur).filter(|_| !cur_env) {
            resources = done.clone();
            break;
        }
        let section = if cur_env { "environments" } else { "phases" };
        let at = KeyPath::root().key(section).key(cur);
        let spec = if cur_env { &envs[cur] } else { &phases[cur] };
        if cur_env && spec.extends.is_some() {
            return Err(doc.error_at(
                &at.key("extends"),
                "environments name their base with `phase`, not `extends`",
            ));
        }
        if !cur_env && spec.phase.is_some() {
            return Err(doc.error_at(
                &at.key("phase"),
                "`phase` is for environments; a phase uses `extends`",
            ));
        }
        chain.push((cur, cur_env));
        if !cur_env {
            seen.insert(cur);
        }
        let parent_key = if cur_env { "phase" } else { "extends" };
        let Some(parent) = spec.extends.as_ref().or(spec.phase.as_ref()) else {
            break;
        };
        let Some((parent, _)) = phases.get_key_value(parent) else {
            // Environments sit on top of phases; nothing builds on an environment.
            let message = if envs.contains_key(parent) {
                format!(
                    "`{cur}` builds on `{parent}`, which is an environment; `{parent_key}` must name a phase (have: {})",
                    phases.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
                )
            } else {
                format!("`{cur}` builds on unknown phase `{parent}`")
            };
            return Err(doc.error_at(&at.key(parent_key), message).with_help(
                suggest::did_you_mean(parent, phases.keys().map(String::as_str)),
            ));
        };
        if seen.contains(parent.as_str()) {
            return Err(doc.error_at(
                &at.key(parent_key),
                format!(
                    "phases extend each other in a cycle: {}",
                    cycle_text(&chain, parent)
                ),
            ));
        }
        (cur, cur_env) = (parent.as_str(), false);
    }
    for (link, link_env) in chain.into_iter().rev() {
        let spec = if link_env { &envs[link] } else { &phases[link] };
        apply(doc, spec, link, link_env, &mut resources)?;
        if !link_env {
            cache.insert(link.to_string(), resources.clone());
        }
    }
    Ok(resources)
}

/// Resolved phases by name (see [`resolve`]).
pub(crate) type Resolved = std::collections::HashMap<String, IndexMap<String, RawResource>>;

/// `a -> b -> c -> a` for the cycle that closes at `back_to`, shortened in the middle when it
/// is long (a cycle of 5,000 phases would otherwise be a 50 KB message).
fn cycle_text(chain: &[(&str, bool)], back_to: &str) -> String {
    let start = chain.iter().position(|(n, _)| *n == back_to).unwrap_or(0);
    let mut names: Vec<String> = chain[start..].iter().map(|(n, _)| n.to_string()).collect();
    names.push(back_to.to_string());
    if names.len() > 12 {
        let hidden = names.len() - 10;
        let tail = names.split_off(names.len() - 5);
        names.truncate(5);
        names.push(format!("... ({hidden} more)"));
        names.extend(tail);
    }
    names.join(" -> ")
}

/// Apply one phase's (or environment's) `remove`, `patch`, `resources` and `schedule` to the
/// resources inherited from its base.
fn apply(
    doc: &Document,
    spec: &RawPhase,
    name: &str,
    is_env: bool,
    resources: &mut IndexMap<String, RawResource>,
) -> Result<(), InputError> {
    let section = if is_env { "environments" } else { "phases" };
    let at = KeyPath::root().key(section).key(name);
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
    // A phase's definition replaces the inherited resource whole, after its patches: a patch
    // of a resource the same phase defines again would be lost.
    if let Some(target) = spec.patch.keys().find(|t| spec.resources.contains_key(*t)) {
        return Err(doc
            .error_at(
                &at.key("patch").key(target),
                format!("`{target}` is patched and also defined again in `{name}`: the definition replaces the inherited `{target}` whole, so the patch would be lost"),
            )
            .with_help(Some(format!(
                "put the patched keys in [{section}.{name}.resources.{target}], or remove that definition and keep the patch"
            ))));
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
                .and_then(resources::kind_info)
                .and_then(|k| k.fixed_hours_key)
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
    Ok(())
}
