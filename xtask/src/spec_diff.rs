//! `cargo xtask spec-diff OLD NEW [--specs DIR]`: the Rust-level changes between the crates two
//! spec releases generate, read from the generator's model of each (`codegen::build_model`):
//! types added and removed; for the types of both, their fields (struct fields, enum values,
//! union and dispatch variants) added, removed, or changed in type or in optionality; the
//! same for the operations of the APIs (parameters, body, responses); and the event types
//! added and removed. Grouped, and sorted by name, so that the output is the same every time.
//!
//! Types are matched by name: a type renamed between releases is one removed and one added.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use codegen::api::ParameterIn;
use codegen::model::{Model, OperationDef, Payload, TypeKind};
use codegen::render::{field_type, rust_type};

use crate::releases;

pub const USAGE: &str = "\
usage: cargo xtask spec-diff OLD NEW [--specs DIR]

  OLD, NEW      two spec releases: folder names in the specs folder (v1.18, main) or paths to
                spec folders (the folders holding data/)
  --specs DIR   the folder holding one folder per release; default: ../shared/matrix-spec

Prints the Rust-level changes between the crates the two generate: types, fields and
operations added, removed, or changed in type or optionality.";

/// A member of a type or operation (a field, an enum value, a variant, a parameter, ...) as
/// the generated code has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The Rust type as declared (`Option<String>`); empty for members without one (the
    /// values of a string enum).
    pub declared: String,
    /// The type without the `Option` that says whether the member may be absent or `null`.
    pub inner: String,
    /// Whether the member may be left out (or `null`), for those that can be.
    pub optional: Option<bool>,
}

impl Member {
    fn plain(declared: String) -> Self {
        Member {
            inner: declared.clone(),
            declared,
            optional: None,
        }
    }

    fn field(ty: &codegen::model::TypeRef, required: bool, nullable: bool) -> Self {
        Member {
            declared: field_type(ty, required, nullable),
            inner: rust_type(ty),
            optional: Some(!required || nullable),
        }
    }
}

/// What a type or operation is, reduced to what the diff compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Where it is: the module of a type, the API of an operation.
    pub place: String,
    /// `struct`, `string enum (open)`, `union`, ..., or `GET /path (operationId)`.
    pub kind: String,
    /// Its members by the name the output gives them (`field `sender``, `value `join``).
    pub members: BTreeMap<String, Member>,
}

/// The types, operations and events of one release.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub types: BTreeMap<String, Shape>,
    /// By `api method path`.
    pub operations: BTreeMap<String, Shape>,
    /// Event type → the struct of its event.
    pub events: BTreeMap<String, String>,
}

impl Snapshot {
    pub fn of(model: &Model) -> Self {
        let mut snapshot = Snapshot::default();
        for (module_name, module) in &model.modules {
            for def in &module.types {
                snapshot
                    .types
                    .insert(def.name.clone(), type_shape(module_name, &def.kind));
            }
            for event in &module.events {
                snapshot
                    .events
                    .insert(event.schema.clone(), event.struct_name.clone());
            }
            for op in &module.operations {
                let key = format!("{} {} {}", op.api, op.method.to_uppercase(), op.full_path);
                snapshot.operations.insert(key, operation_shape(op));
            }
        }
        snapshot
    }
}

fn type_shape(module: &str, kind: &TypeKind) -> Shape {
    let mut members = BTreeMap::new();
    let kind = match kind {
        TypeKind::Struct {
            fields, additional, ..
        } => {
            for field in fields {
                members.insert(
                    format!("field `{}`", field.json_name),
                    Member::field(&field.ty, field.required, field.nullable),
                );
            }
            members.insert(
                "other fields".to_owned(),
                Member::plain(format!("BTreeMap<String, {}>", rust_type(additional))),
            );
            "struct".to_owned()
        }
        TypeKind::StringEnum { variants, open } => {
            for variant in variants {
                members.insert(
                    format!("value `{}`", variant.value),
                    Member::plain(String::new()),
                );
            }
            if open.is_some() {
                "string enum (open)".to_owned()
            } else {
                "string enum (closed)".to_owned()
            }
        }
        TypeKind::Union(variants) => {
            for variant in variants {
                members.insert(
                    format!("variant `{}`", variant.name),
                    Member::plain(rust_type(&variant.ty)),
                );
            }
            "union".to_owned()
        }
        TypeKind::Dispatch {
            tag,
            variants,
            fallback,
        } => {
            for variant in variants {
                members.insert(
                    format!("`{tag}` = `{}`", variant.value),
                    Member::plain(rust_type(&variant.ty)),
                );
            }
            members.insert(format!("other `{tag}`"), Member::plain(rust_type(fallback)));
            format!("enum on `{tag}`")
        }
        TypeKind::ByField {
            field,
            present,
            absent,
        } => {
            members.insert(
                format!("with `{field}`"),
                Member::plain(rust_type(&present.ty)),
            );
            members.insert(
                format!("without `{field}`"),
                Member::plain(rust_type(&absent.ty)),
            );
            format!("enum on the presence of `{field}`")
        }
        TypeKind::Alias(target) => {
            members.insert("alias of".to_owned(), Member::plain(rust_type(target)));
            "alias".to_owned()
        }
        TypeKind::Newtype(target) => {
            members.insert("wraps".to_owned(), Member::plain(rust_type(target)));
            "newtype".to_owned()
        }
    };
    Shape {
        place: module.to_owned(),
        kind,
        members,
    }
}

fn payload(payload: Option<&Payload>, required: bool) -> Member {
    match payload {
        None => Member::plain("no body".to_owned()),
        Some(Payload::Json(ty, nullable)) => Member::field(ty, required, *nullable),
        Some(Payload::Bytes(media_types)) => {
            Member::plain(format!("bytes ({})", media_types.join(", ")))
        }
    }
}

fn operation_shape(op: &OperationDef) -> Shape {
    let mut members = BTreeMap::new();
    for parameter in &op.parameters {
        let place = match parameter.place {
            ParameterIn::Path => "path",
            ParameterIn::Query => "query",
            ParameterIn::Header => "header",
        };
        members.insert(
            format!("{place} parameter `{}`", parameter.name),
            Member::field(&parameter.ty, parameter.required, false),
        );
    }
    if let Some(body) = &op.body {
        members.insert(
            "request body".to_owned(),
            payload(Some(&body.payload), body.required),
        );
    }
    for response in &op.responses {
        members.insert(
            format!("response {}", response.status),
            payload(response.payload.as_ref(), true),
        );
        for header in &response.headers {
            members.insert(
                format!("response {} header `{}`", response.status, header.name),
                Member::field(&header.ty, header.required, false),
            );
        }
    }
    Shape {
        place: op.api.clone(),
        kind: op.operation_id.clone(),
        members,
    }
}

/// How a member changed.
fn member_change(old: &Member, new: &Member) -> Option<String> {
    if old == new {
        return None;
    }
    let optionality = |optional: Option<bool>| match optional {
        Some(true) => "optional",
        Some(false) => "required",
        None => "",
    };
    if old.inner == new.inner && old.optional != new.optional {
        return Some(format!(
            "{} -> {} ({} -> {})",
            optionality(old.optional),
            optionality(new.optional),
            old.declared,
            new.declared
        ));
    }
    let mut change = format!("type {} -> {}", old.declared, new.declared);
    if old.optional != new.optional && old.optional.is_some() && new.optional.is_some() {
        let _ = write!(
            change,
            ", and {} -> {}",
            optionality(old.optional),
            optionality(new.optional)
        );
    }
    Some(change)
}

/// The changes of the members of one type or operation, sorted: added, removed, changed.
fn member_changes(old: &Shape, new: &Shape) -> Vec<String> {
    let mut lines = Vec::new();
    if old.place != new.place {
        lines.push(format!("~ moved from `{}` to `{}`", old.place, new.place));
    }
    if old.kind != new.kind {
        lines.push(format!("~ was {}, is {}", old.kind, new.kind));
    }
    let declared = |member: &Member| {
        if member.declared.is_empty() {
            String::new()
        } else {
            format!(": {}", member.declared)
        }
    };
    for (name, member) in &new.members {
        if !old.members.contains_key(name) {
            lines.push(format!("+ {name}{}", declared(member)));
        }
    }
    for (name, member) in &old.members {
        if !new.members.contains_key(name) {
            lines.push(format!("- {name}{}", declared(member)));
        }
    }
    for (name, old_member) in &old.members {
        if let Some(change) = new
            .members
            .get(name)
            .and_then(|new_member| member_change(old_member, new_member))
        {
            lines.push(format!("~ {name}: {change}"));
        }
    }
    lines
}

/// The diff of two snapshots, as printed.
pub fn diff(old: &Snapshot, new: &Snapshot) -> String {
    let mut out = String::new();
    let describe_type = |name: &str, shape: &Shape| {
        let fields = shape
            .members
            .keys()
            .filter(|m| m.starts_with("field "))
            .count();
        let detail = if shape.kind == "struct" {
            format!(", {fields} fields")
        } else {
            String::new()
        };
        format!("{}::{name} ({}{detail})", shape.place, shape.kind)
    };
    let describe_operation =
        |key: &str, shape: &Shape| format!("{} ({})", key_without_api(key), shape.kind);
    let mut summary = Vec::new();
    for (what, old_map, new_map, describe) in [
        (
            "types",
            &old.types,
            &new.types,
            &describe_type as &dyn Fn(&str, &Shape) -> String,
        ),
        (
            "operations",
            &old.operations,
            &new.operations,
            &describe_operation,
        ),
    ] {
        let added: Vec<String> = new_map
            .iter()
            .filter(|(name, _)| !old_map.contains_key(*name))
            .map(|(name, shape)| describe(name, shape))
            .collect();
        let removed: Vec<String> = old_map
            .iter()
            .filter(|(name, _)| !new_map.contains_key(*name))
            .map(|(name, shape)| describe(name, shape))
            .collect();
        let changed: Vec<(String, Vec<String>)> = old_map
            .iter()
            .filter_map(|(name, old_shape)| {
                let new_shape = new_map.get(name)?;
                let lines = member_changes(old_shape, new_shape);
                (!lines.is_empty()).then(|| (describe(name, new_shape), lines))
            })
            .collect();
        summary.push(format!(
            "{what}: {} added, {} removed, {} changed",
            added.len(),
            removed.len(),
            changed.len()
        ));
        for (heading, list) in [("added", &added), ("removed", &removed)] {
            if list.is_empty() {
                continue;
            }
            let sign = if heading == "added" { '+' } else { '-' };
            let _ = writeln!(out, "\n{what} {heading}:");
            for item in list {
                let _ = writeln!(out, "  {sign} {item}");
            }
        }
        if !changed.is_empty() {
            let _ = writeln!(out, "\n{what} changed:");
            for (item, lines) in &changed {
                let _ = writeln!(out, "  ~ {item}");
                for line in lines {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    let events_added: Vec<String> = new
        .events
        .iter()
        .filter(|(event, _)| !old.events.contains_key(*event))
        .map(|(event, name)| format!("{event} ({name})"))
        .collect();
    let events_removed: Vec<String> = old
        .events
        .iter()
        .filter(|(event, _)| !new.events.contains_key(*event))
        .map(|(event, name)| format!("{event} ({name})"))
        .collect();
    summary.push(format!(
        "events: {} added, {} removed",
        events_added.len(),
        events_removed.len()
    ));
    for (heading, sign, list) in [
        ("added", '+', &events_added),
        ("removed", '-', &events_removed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nevents {heading}:");
        for item in list {
            let _ = writeln!(out, "  {sign} {item}");
        }
    }
    let mut head = String::new();
    for line in summary {
        let _ = writeln!(head, "{line}");
    }
    head + &out
}

/// `client-server GET /path` without the API: `GET /path`.
fn key_without_api(key: &str) -> &str {
    key.split_once(' ').map_or(key, |(_, rest)| rest)
}

/// The diff between the releases in `old_spec` and `new_spec` (folders holding `data/`), with
/// the overrides in `overrides` applied to both.
pub fn diff_specs(
    old_spec: &Path,
    new_spec: &Path,
    overrides: Option<&Path>,
) -> Result<String, String> {
    let model = |spec: &Path| {
        codegen::build_model(spec, overrides).map_err(|errors| {
            format!(
                "{errors}\nthe files named are in {}",
                spec.join("data").display()
            )
        })
    };
    let old = Snapshot::of(&model(old_spec)?);
    let new = Snapshot::of(&model(new_spec)?);
    Ok(diff(&old, &new))
}

/// `cargo xtask spec-diff ARGS`.
pub fn main(args: &[String], repo_root: &Path) -> ExitCode {
    let mut specs = releases::default_specs_dir(repo_root);
    let mut positional = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--specs" => match args.next() {
                Some(dir) => specs = dir.into(),
                None => {
                    eprintln!("--specs needs a value\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
            other if other.starts_with("--specs=") => specs = other["--specs=".len()..].into(),
            other if other.starts_with('-') => {
                eprintln!("unknown option `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
            other => positional.push(other.to_owned()),
        }
    }
    let [old, new] = positional.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let overrides = repo_root.join("spec/overrides.yaml");
    let old_spec = releases::spec_dir(&specs, old);
    let new_spec = releases::spec_dir(&specs, new);
    match diff_specs(&old_spec, &new_spec, Some(&overrides)) {
        Ok(text) => {
            println!("spec-diff {old} -> {new}");
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec folder with the given files (relative to it), removed when dropped.
    struct TempSpec(std::path::PathBuf);

    impl TempSpec {
        fn new(name: &str, files: &[(&str, &str)]) -> Self {
            let dir = std::env::temp_dir().join(format!("spec-diff-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for (file, text) in files {
                let path = dir.join("data").join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            TempSpec(dir)
        }
    }

    impl Drop for TempSpec {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const EVENT: &str = "event-schemas/schema/m.thing.yaml";
    const API: &str = "api/client-server/things.yaml";

    fn api(parameter: &str, response: &str) -> String {
        format!(
            r#"
openapi: 3.1.0
servers: [{{url: "{{basePath}}", variables: {{basePath: {{default: /_matrix/client/v3}}}}}}]
paths:
  /things/{{thingId}}:
    get:
      operationId: getThing
      parameters:
        - {{in: path, name: thingId, required: true, schema: {{type: string}}}}
{parameter}
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: {response}
"#
        )
    }

    #[test]
    fn lists_the_rust_level_changes_between_two_specs() {
        let old = TempSpec::new(
            "old",
            &[
                (
                    EVENT,
                    "type: object\nproperties:\n  type: {type: string}\n  content:\n    type: object\n    properties:\n      size: {type: integer}\n      colour: {type: string}\n      age: {type: string}\n      gone: {type: boolean}\n      shape: {type: string, enum: [round, square]}\n    required: [size]\nrequired: [type, content]\n",
                ),
                (
                    "event-schemas/schema/m.gone.yaml",
                    "type: object\nproperties:\n  type: {type: string}\n  content: {type: object, properties: {x: {type: string}}}\nrequired: [type, content]\n",
                ),
                (
                    API,
                    &api("", "{type: object, properties: {name: {type: string}}, required: [name]}"),
                ),
            ],
        );
        let new = TempSpec::new(
            "new",
            &[
                (
                    EVENT,
                    "type: object\nproperties:\n  type: {type: string}\n  content:\n    type: object\n    properties:\n      size: {type: string}\n      colour: {type: string}\n      age: {type: integer}\n      weight: {type: number}\n      shape: {type: string, enum: [round, square, flat]}\n    required: [size, colour, age]\nrequired: [type, content]\n",
                ),
                (
                    API,
                    &api(
                        "        - {in: query, name: full, schema: {type: boolean}}",
                        "{type: object, properties: {name: {type: string}}}",
                    ),
                ),
                (
                    "api/client-server/other.yaml",
                    &api("", "{type: object}")
                        .replace("/things/", "/others/")
                        .replace("getThing", "getOther"),
                ),
            ],
        );
        let text = diff_specs(&old.0, &new.0, None).unwrap();
        let expected = "\
types: 0 added, 2 removed, 3 changed
operations: 1 added, 0 removed, 1 changed
events: 0 added, 1 removed

types removed:
  - m_gone::GoneEvent (struct, 2 fields)
  - m_gone::GoneEventContent (struct, 1 fields)

types changed:
  ~ client_server_things::GetThingResponseBody (struct, 1 fields)
      ~ field `name`: required -> optional (String -> Option<String>)
  ~ m_thing::ThingEventContent (struct, 5 fields)
      + field `weight`: Option<Number>
      - field `gone`: Option<bool>
      ~ field `age`: type Option<String> -> i64, and optional -> required
      ~ field `colour`: optional -> required (Option<String> -> String)
      ~ field `size`: type i64 -> String
  ~ m_thing::ThingShape (string enum (open))
      + value `flat`

operations added:
  + GET /_matrix/client/v3/others/{thingId} (getOther)

operations changed:
  ~ GET /_matrix/client/v3/things/{thingId} (getThing)
      + query parameter `full`: Option<bool>

events removed:
  - m.gone (GoneEvent)
";
        assert_eq!(text, expected, "\n{text}");
        // The same spec twice: no changes.
        let same = diff_specs(&new.0, &new.0, None).unwrap();
        assert_eq!(
            same,
            "types: 0 added, 0 removed, 0 changed\noperations: 0 added, 0 removed, 0 changed\nevents: 0 added, 0 removed\n"
        );
    }
}
