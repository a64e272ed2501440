//! The committed JSON Schema (schema/costplan-scenario.schema.json): `costplan schema` prints it
//! byte for byte, every library scenario and template validates against it (issue 17 §5), and it
//! rejects what costplan rejects for a misspelled key or a wrong type. Validated with the
//! `jsonschema` crate (draft 7, the draft the schema declares), TOML read into JSON as a TOML
//! language server does.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::run;

const COMMITTED: &str = "schema/costplan-scenario.schema.json";
const REGENERATE: &str =
    "regenerate it with `cargo run --release -- schema > schema/costplan-scenario.schema.json`";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn committed_text() -> String {
    std::fs::read_to_string(root().join(COMMITTED)).expect("the committed schema is readable")
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&committed_text()).expect("the schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::draft7::new(&schema).expect("the schema compiles as draft 7")
}

/// TOML as JSON: tables to objects, arrays to arrays, a datetime to its TOML text (no library
/// file has one; the format has no datetime keys).
fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn read_toml(path: &Path) -> (String, Value) {
    let text = std::fs::read_to_string(path).unwrap();
    let v: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: not TOML: {e}", path.display()));
    (text, to_json(&v))
}

fn tomls_in(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .toml files in {dir}/");
    files
}

/// Every error the validator reports, one a line, with the JSON pointer of the value.
fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every schema error of every file, each line naming its file.
fn failures_in(v: &jsonschema::Validator, files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| {
            let (_, instance) = read_toml(f);
            errors(v, &instance)
                .into_iter()
                .map(move |e| format!("{}: {e}", f.display()))
        })
        .collect()
}

#[test]
fn schema_command_prints_the_committed_file() {
    let o = run(&["schema"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8(o.stdout).expect("UTF-8");
    // Compared as text, not as JSON values: the file must be exactly what the command prints.
    assert!(
        printed == committed_text(),
        "{COMMITTED} differs from `costplan schema` (the scenario types changed): {REGENERATE}"
    );
}

#[test]
fn every_library_scenario_and_template_validates() {
    let v = validator();
    let mut files = tomls_in("scenarios");
    files.extend(tomls_in("templates"));
    let failures = failures_in(&v, &files);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Both directories, not an empty loop.
    assert!(files.len() >= 12, "{files:?}");
}

/// The README's minimal scenario: the first TOML block after "A whole scenario".
fn readme_minimal() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let from = readme
        .find("A whole scenario")
        .expect("the README's minimal scenario");
    let block = &readme[from..];
    let start = block.find("```toml\n").expect("its TOML block") + "```toml\n".len();
    let len = block[start..].find("```").expect("the block's end");
    block[start..start + len].to_string()
}

#[test]
fn fixtures_and_the_readme_scenario_validate() {
    let v = validator();
    let mut files = tomls_in("tests/fixtures");
    files.extend(tomls_in("tests/fixtures/pricing-rules"));
    let mut failures = failures_in(&v, &files);
    let text = readme_minimal();
    let instance = to_json(&toml::from_str(&text).expect("the README scenario is TOML"));
    for e in errors(&v, &instance) {
        failures.push(format!("README.md minimal scenario: {e}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(files.len() >= 7, "{files:?}");
    // The schema says it is well-formed; costplan must also run it, as the README shows.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("minimal.toml");
    std::fs::write(&f, &text).unwrap();
    let o = run(&["run", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn templates_name_the_committed_schema_on_line_1() {
    for f in tomls_in("templates") {
        let (text, _) = read_toml(&f);
        let first = text.lines().next().unwrap();
        let named = first
            .strip_prefix("#:schema ")
            .unwrap_or_else(|| panic!("{}: line 1 is {first:?}", f.display()));
        let target = f.parent().unwrap().join(named);
        assert_eq!(
            std::fs::canonicalize(&target).unwrap(),
            std::fs::canonicalize(root().join(COMMITTED)).unwrap(),
            "{}",
            f.display()
        );
    }
}

#[test]
fn init_writes_the_committed_schema_beside_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.toml");
    let o = run(&["init", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read_to_string(dir.path().join("costplan.schema.json")).unwrap();
    assert!(
        written == committed_text(),
        "init's schema file: {REGENERATE}"
    );
}

/// lambda-rds.toml as JSON, changed by `edit`; the errors the schema gives it.
fn errors_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let (_, mut instance) = read_toml(&root().join("scenarios/lambda-rds.toml"));
    let v = validator();
    assert!(errors(&v, &instance).is_empty());
    edit(&mut instance);
    errors(&v, &instance)
}

fn assert_rejected_at(errs: &[String], pointer: &str) {
    assert!(!errs.is_empty(), "accepted; expected an error at {pointer}");
    assert!(
        errs.iter().all(|e| e.starts_with(pointer)),
        "expected errors at {pointer}:\n{}",
        errs.join("\n")
    );
}

#[test]
fn misspelled_top_level_key_is_rejected() {
    let errs = errors_after(|s| {
        let region = s.as_object_mut().unwrap().shift_remove("region").unwrap();
        s["regoin"] = region;
    });
    // Both faults: the unknown key and the missing `region`.
    assert_rejected_at(&errs, "");
    let all = errs.join("\n");
    assert!(all.contains("regoin"), "{all}");
    assert!(all.contains("\"region\" is a required property"), "{all}");
}

#[test]
fn misspelled_resource_key_is_rejected() {
    let pointer = "/phases/phase1/resources/backend";
    let errs = errors_after(|s| {
        let backend = s.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
        let v = backend.shift_remove("cold_start_ms").unwrap();
        backend.insert("cold_strat_ms".into(), v);
    });
    assert_rejected_at(&errs, pointer);
    // The same key spelled right is fine (the edit, not the resource, is at fault).
    let ok = errors_after(|s| {
        s.pointer_mut(pointer).unwrap()["cold_start_ms"] = json!(900);
    });
    assert!(ok.is_empty(), "{ok:?}");
}

#[test]
fn misspelled_key_in_a_patch_is_rejected() {
    let (_, s) = read_toml(&root().join("scenarios/lambda-rds.toml"));
    let (name, patch) = s["phases"]
        .as_object()
        .unwrap()
        .iter()
        .find_map(|(n, p)| p.get("patch").map(|x| (n.clone(), x.clone())))
        .expect("lambda-rds.toml has a phase with a patch");
    let (resource, _) = patch.as_object().unwrap().iter().next().unwrap();
    let pointer = format!("/phases/{name}/patch/{resource}");
    let errs = errors_after(|s| {
        s.pointer_mut(&pointer).unwrap()["no_such_key"] = json!(1);
    });
    assert_rejected_at(&errs, &pointer);
}

#[test]
fn wrong_types_are_rejected() {
    // Text where a number goes, in a resource (a quoted number is a number, as in costplan).
    let pointer = "/phases/phase1/resources/backend/memory_mb";
    for wrong in [json!("512 MB"), json!(true), json!([512])] {
        let errs = errors_after(|s| *s.pointer_mut(pointer).unwrap() = wrong.clone());
        assert_rejected_at(&errs, "/phases/phase1/resources/backend");
    }
    let ok = errors_after(|s| *s.pointer_mut(pointer).unwrap() = json!("512"));
    assert!(ok.is_empty(), "{ok:?}");
    // A number where a string goes, at the top level.
    let errs = errors_after(|s| s["region"] = json!(1));
    assert_eq!(errs, ["/region: 1 is not of type \"string\""]);
    // A resource that is not a table.
    let errs = errors_after(|s| {
        *s.pointer_mut("/phases/phase1/resources/backend").unwrap() = json!("lambda")
    });
    assert_rejected_at(&errs, "/phases/phase1/resources/backend");
    // An unknown kind.
    let errs = errors_after(|s| {
        s.pointer_mut("/phases/phase1/resources/backend").unwrap()["kind"] = json!("lamda")
    });
    assert_rejected_at(&errs, "/phases/phase1/resources/backend");
}
