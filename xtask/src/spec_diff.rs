//! `cargo xtask spec-diff OLD NEW [--specs DIR]`: the Rust-level changes between the crates two
//! spec releases generate, read from the generator's model of each (`codegen::build_model`):
//! types added and removed; for the types of both, their fields (struct fields, enum values,
//! union and dispatch variants) added, removed, or changed in type or in optionality; the
//! same for the operations of the APIs (parameters, body, responses); and the event types
//! added and removed. Grouped, and sorted by name, so that the output is the same every time.
//!
//! Types are matched by their path in the crate (`client_server::Filter`: names are unique in
//! a folder, not in the crate): a type renamed between releases is one removed and one added;
//! one whose name leaves a folder for another is a move.
//!
//! The changes that would break code written against OLD are marked `!` in the first column
//! and counted. By the rules of the generated crate (`ARCHITECTURE.md`, "Forward
//! compatibility"): structs and the enums that may grow are `#[non_exhaustive]`, and structs
//! are built with `new(required fields)` or `Default`. So these do not break: a new optional
//! field, a new required field whose one possible value `new` fills in, a new value of a string
//! enum, a new variant of a union or of an enum dispatched on a tag (the `Any…` enums), a new
//! response of an operation, new types, operations and events. Everything else does: a type,
//! member or event removed; a member changed in type, optionality or in whether `new` fills
//! it in; a new required field (`new` takes one more argument); a type changed in kind or
//! moved to another folder (the path it is imported from changes); and anything added to
//! a request struct (a parameter, a body) or to an enum that is matched exhaustively (the
//! timelines' state/message-like split) or to a response's headers, which are built with
//! literal syntax.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use codegen::api::ParameterIn;
use codegen::model::{Field, Model, OperationDef, Payload, TypeKind};
use codegen::render::{field_type, rust_type};

use crate::releases;

pub const USAGE: &str = "\
usage: cargo xtask spec-diff OLD NEW [--specs DIR]

  OLD, NEW      two spec releases: folder names in the specs folder (v1.18, main) or paths to
                spec folders (the folders holding data/)
  --specs DIR   the folder holding one folder per release; default: ../shared/matrix-spec

Prints the Rust-level changes between the crates the two generate: types, fields and
operations added, removed, or changed in type or optionality. Changes that would break code
written against OLD (a removed or changed member, a new required field, ...) are marked !
in the first column. The summary ends with the version the changes call for, from the
crate's version in generated/Cargo.toml (README, Versioning):
`semver: breaking changes -> 0.2.0 (major; from 0.1.0)`.";

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
    /// A required field with one possible value, which `new` fills in.
    pub constant: bool,
    /// Whether code written without this member breaks when it comes: a field `new` takes, a
    /// member of something built or matched exhaustively.
    pub breaks_when_added: bool,
}

impl Member {
    /// A member without optionality; `extensible`: one more of its kind breaks nothing (a
    /// value or variant of a `#[non_exhaustive]` enum).
    fn plain(declared: String, extensible: bool) -> Self {
        Member {
            inner: declared.clone(),
            declared,
            optional: None,
            constant: false,
            breaks_when_added: !extensible,
        }
    }

    /// A field of a struct: one more breaks code only if `new` takes it.
    fn field(field: &Field) -> Self {
        Member {
            declared: field_type(&field.ty, field.required, field.nullable),
            inner: rust_type(&field.ty),
            optional: Some(!field.required || field.nullable),
            constant: field.constant,
            breaks_when_added: field.required && !field.constant,
        }
    }

    /// A member of an exhaustive struct (a request's parameter, a response's header): one
    /// more breaks the code that builds it.
    fn exhaustive(ty: &codegen::model::TypeRef, required: bool, nullable: bool) -> Self {
        Member {
            declared: field_type(ty, required, nullable),
            inner: rust_type(ty),
            optional: Some(!required || nullable),
            constant: false,
            breaks_when_added: true,
        }
    }
}

/// What a type or operation is, reduced to what the diff compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Where it is: the folder of a type, the API of an operation.
    pub place: String,
    /// `struct`, `string enum (open)`, `union`, ..., or `GET /path (operationId)`.
    pub kind: String,
    /// Its members by the name the output gives them (`field `sender``, `value `join``).
    pub members: BTreeMap<String, Member>,
}

/// The types, operations and events of one release.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// By path in the crate: `client_server::Filter`.
    pub types: BTreeMap<String, Shape>,
    /// By `api method path`.
    pub operations: BTreeMap<String, Shape>,
    /// Event type → the struct of its event.
    pub events: BTreeMap<String, String>,
}

impl Snapshot {
    pub fn of(model: &Model) -> Self {
        let mut snapshot = Snapshot::default();
        for module in model.modules.values() {
            for def in &module.types {
                snapshot.types.insert(
                    format!("{}::{}", module.folder, def.name),
                    type_shape(&module.folder, &def.kind),
                );
            }
            for event in &module.events {
                snapshot
                    .events
                    .insert(event.schema.clone(), event.struct_name.clone());
            }
            for op in &module.operations {
                let mut key = format!("{} {} {}", op.api, op.method.to_uppercase(), op.full_path);
                if op.path != op.path.trim() {
                    // The spec tells this operation apart from another of the same path and
                    // method by a space after its path key (`"/rooms/{roomId}/invite "`);
                    // `full_path` is trimmed, so the key names the operation.
                    key.push_str(&format!(" ({})", op.operation_id));
                }
                snapshot.operations.insert(key, operation_shape(op));
            }
        }
        snapshot
    }
}

fn type_shape(folder: &str, kind: &TypeKind) -> Shape {
    let mut members = BTreeMap::new();
    let kind = match kind {
        TypeKind::Struct {
            fields, additional, ..
        } => {
            for field in fields {
                members.insert(format!("field `{}`", field.json_name), Member::field(field));
            }
            members.insert(
                "other fields".to_owned(),
                Member::plain(
                    format!("BTreeMap<String, {}>", rust_type(additional)),
                    false,
                ),
            );
            "struct".to_owned()
        }
        TypeKind::StringEnum { variants, open } => {
            for variant in variants {
                members.insert(
                    format!("value `{}`", variant.value),
                    Member::plain(String::new(), true),
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
                    Member::plain(rust_type(&variant.ty), true),
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
                    Member::plain(rust_type(&variant.ty), true),
                );
            }
            members.insert(
                format!("other `{tag}`"),
                Member::plain(rust_type(fallback), false),
            );
            format!("enum on `{tag}`")
        }
        TypeKind::ByField {
            field,
            present,
            absent,
        } => {
            members.insert(
                format!("with `{field}`"),
                Member::plain(rust_type(&present.ty), false),
            );
            members.insert(
                format!("without `{field}`"),
                Member::plain(rust_type(&absent.ty), false),
            );
            format!("enum on the presence of `{field}`")
        }
        TypeKind::Alias(target) => {
            members.insert(
                "alias of".to_owned(),
                Member::plain(rust_type(target), false),
            );
            "alias".to_owned()
        }
        TypeKind::Newtype(target) => {
            members.insert("wraps".to_owned(), Member::plain(rust_type(target), false));
            "newtype".to_owned()
        }
    };
    Shape {
        place: folder.to_owned(),
        kind,
        members,
    }
}

/// The types of `old` that moved to another folder in `new`: (old path, new path) for each
/// name removed from one folder and added to another, once on each side.
fn moved_types(old: &Snapshot, new: &Snapshot) -> Vec<(String, String)> {
    let name = |path: &str| path.rsplit("::").next().unwrap_or(path).to_owned();
    let only_in = |these: &Snapshot, those: &Snapshot| -> BTreeMap<String, Vec<String>> {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for path in these
            .types
            .keys()
            .filter(|path| !those.types.contains_key(*path))
        {
            by_name.entry(name(path)).or_default().push(path.clone());
        }
        by_name
    };
    let (removed, added) = (only_in(old, new), only_in(new, old));
    removed
        .into_iter()
        .filter_map(
            |(name, from)| match (from.as_slice(), added.get(&name)?.as_slice()) {
                ([from], [to]) => Some((from.clone(), to.clone())),
                _ => None,
            },
        )
        .collect()
}

/// A body: `in_request`, one more is a field of the request struct (which breaks its
/// builders); else a response, a variant of its `#[non_exhaustive]` enum.
fn payload(payload: Option<&Payload>, required: bool, in_request: bool) -> Member {
    let mut member = match payload {
        None => Member::plain("no body".to_owned(), !in_request),
        Some(Payload::Json(ty, nullable)) => Member::exhaustive(ty, required, *nullable),
        Some(Payload::Bytes(media_types)) => {
            Member::plain(format!("bytes ({})", media_types.join(", ")), !in_request)
        }
        Some(Payload::ErrorBody) => Member::plain("the error body".to_owned(), !in_request),
    };
    member.breaks_when_added = in_request;
    member
}

fn operation_shape(op: &OperationDef) -> Shape {
    let mut members = BTreeMap::new();
    for parameter in &op.parameters {
        let place = match parameter.place {
            ParameterIn::Path => "path",
            ParameterIn::Query => "query",
            ParameterIn::Header => "header",
        };
        // Requests are `#[non_exhaustive]`, built with `new`, which takes the required ones.
        let mut member = Member::exhaustive(&parameter.ty, parameter.required, false);
        member.breaks_when_added = parameter.required;
        members.insert(format!("{place} parameter `{}`", parameter.name), member);
    }
    if let Some(body) = &op.body {
        let mut member = payload(Some(&body.payload), body.required, true);
        member.breaks_when_added = body.required;
        members.insert("request body".to_owned(), member);
    }
    for response in &op.responses {
        members.insert(
            format!("response {}", response.status),
            payload(response.payload.as_ref(), true, false),
        );
        for header in &response.headers {
            members.insert(
                format!("response {} header `{}`", response.status, header.name),
                Member::exhaustive(&header.ty, header.required, false),
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
    if old.inner == new.inner && old.optional == new.optional && old.constant != new.constant {
        let by_new = |constant: bool| {
            if constant {
                "filled in by new()"
            } else {
                "an argument of new()"
            }
        };
        return Some(format!(
            "{} -> {}",
            by_new(old.constant),
            by_new(new.constant)
        ));
    }
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

/// A line of the diff, and whether it breaks code written against the old release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub line: String,
    pub breaking: bool,
}

impl Change {
    fn new(line: String, breaking: bool) -> Self {
        Change { line, breaking }
    }
}

/// Whether adding the member `name` to `old` breaks code written against it. A response's
/// header is a field of its variant: new with its response, it breaks nothing.
fn added_breaks(old: &Shape, name: &str, member: &Member) -> bool {
    if let Some((response, _)) = name.split_once(" header ") {
        if response.starts_with("response ") && !old.members.contains_key(response) {
            return false;
        }
    }
    member.breaks_when_added
}

/// The changes of the members of one type or operation, sorted: added, removed, changed.
fn member_changes(old: &Shape, new: &Shape) -> Vec<Change> {
    let mut lines = Vec::new();
    if old.place != new.place {
        lines.push(Change::new(
            format!("~ moved from `{}` to `{}`", old.place, new.place),
            true,
        ));
    }
    if old.kind != new.kind {
        lines.push(Change::new(
            format!("~ was {}, is {}", old.kind, new.kind),
            true,
        ));
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
            let breaking = added_breaks(old, name, member);
            // Why a member that is only new breaks.
            let why = match (breaking, member.optional.is_some()) {
                (true, true) if new.kind == "struct" => " (an argument of new())",
                (true, true) if name.contains(" header ") => " (a field of the response variant)",
                (true, _) if name.contains(" parameter ") || name == "request body" => {
                    " (an argument of the request's new())"
                }
                _ => "",
            };
            lines.push(Change::new(
                format!("+ {name}{}{why}", declared(member)),
                breaking,
            ));
        }
    }
    for (name, member) in &old.members {
        if !new.members.contains_key(name) {
            lines.push(Change::new(format!("- {name}{}", declared(member)), true));
        }
    }
    for (name, old_member) in &old.members {
        if let Some(change) = new
            .members
            .get(name)
            .and_then(|new_member| member_change(old_member, new_member))
        {
            lines.push(Change::new(format!("~ {name}: {change}"), true));
        }
    }
    lines
}

/// A line of the output, `!` in the first column when it breaks code.
fn line(out: &mut String, breaking: bool, indent: &str, text: &str) {
    let mark = if breaking { '!' } else { ' ' };
    let _ = writeln!(out, "{mark}{indent}{text}");
}

/// The version a release calls for, by the crate's versioning policy (README, "Versioning"):
/// what changed at the Rust level decides which number of `current` goes up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    /// Code written against the old crate may not compile: `x+1.0.0`; before 1.0, `0.y+1.0`
    /// (cargo reads the first non-zero number as the major one), and `0.0.z+1`.
    Major,
    /// Only additions: `x.y+1.0`; before 1.0, `0.y.z+1` (compatible in cargo's eyes).
    Minor,
    /// Nothing changed in the types (documentation may have): `x.y.z+1`.
    Patch,
}

impl Bump {
    /// The bump that `breaking` changes and `additions` (changes that break nothing) call for.
    pub fn of(breaking: usize, additions: usize) -> Self {
        if breaking > 0 {
            Bump::Major
        } else if additions > 0 {
            Bump::Minor
        } else {
            Bump::Patch
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
        }
    }

    /// `current` (`x.y.z`, any pre-release or build metadata ignored) bumped by semver's rules
    /// and cargo's for versions before 1.0.
    pub fn apply(self, current: &str) -> Result<String, String> {
        let core = current.split(['-', '+']).next().unwrap_or_default();
        let numbers: Vec<u64> = core
            .split('.')
            .map(|part| part.parse().ok())
            .collect::<Option<_>>()
            .filter(|numbers: &Vec<u64>| numbers.len() == 3)
            .ok_or_else(|| format!("`{current}` is not a semver version (x.y.z)"))?;
        let (major, minor, patch) = (numbers[0], numbers[1], numbers[2]);
        let (major, minor, patch) = match (self, major, minor) {
            // 0.0.z: every release may break.
            (_, 0, 0) => (0, 0, patch + 1),
            (Bump::Major, 0, _) => (0, minor + 1, 0),
            (Bump::Minor | Bump::Patch, 0, _) => (0, minor, patch + 1),
            (Bump::Major, _, _) => (major + 1, 0, 0),
            (Bump::Minor, _, _) => (major, minor + 1, 0),
            (Bump::Patch, _, _) => (major, minor, patch + 1),
        };
        Ok(format!("{major}.{minor}.{patch}"))
    }
}

/// The line that says which version the changes call for, from the crate's `current` one.
fn semver_line(breaking: usize, additions: usize, current: &str) -> String {
    let bump = Bump::of(breaking, additions);
    let what = match bump {
        Bump::Major => "breaking changes",
        Bump::Minor => "additions only",
        Bump::Patch => "no Rust-level changes",
    };
    match bump.apply(current) {
        Ok(next) => format!("semver: {what} -> {next} ({}; from {current})", bump.name()),
        Err(err) => format!("semver: {what} ({}): {err}", bump.name()),
    }
}

/// The diff of two snapshots, as printed; the last line of its summary is the version the
/// changes call for from the crate's `version`.
pub fn diff(old: &Snapshot, new: &Snapshot, version: &str) -> String {
    let mut out = String::new();
    let mut breaking = 0;
    // The lines that break nothing: all of them are additions.
    let mut additions = 0;
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
        format!("{name} ({}{detail})", shape.kind)
    };
    let moved = moved_types(old, new);
    let describe_operation =
        |key: &str, shape: &Shape| format!("{} ({})", key_without_api(key), shape.kind);
    let mut summary = Vec::new();
    for (what, old_map, new_map, describe, moved) in [
        (
            "types",
            &old.types,
            &new.types,
            &describe_type as &dyn Fn(&str, &Shape) -> String,
            moved.as_slice(),
        ),
        (
            "operations",
            &old.operations,
            &new.operations,
            &describe_operation,
            &[],
        ),
    ] {
        let added: Vec<String> = new_map
            .iter()
            .filter(|(name, _)| !old_map.contains_key(*name))
            .filter(|(name, _)| !moved.iter().any(|(_, to)| to == *name))
            .map(|(name, shape)| describe(name, shape))
            .collect();
        let removed: Vec<String> = old_map
            .iter()
            .filter(|(name, _)| !new_map.contains_key(*name))
            .filter(|(name, _)| !moved.iter().any(|(from, _)| from == *name))
            .map(|(name, shape)| describe(name, shape))
            .collect();
        // A moved type is compared with itself where it went.
        let new_name = |name: &str| -> String {
            moved
                .iter()
                .find(|(from, _)| from == name)
                .map_or_else(|| name.to_owned(), |(_, to)| to.clone())
        };
        let changed: Vec<(String, Vec<Change>)> = old_map
            .iter()
            .filter_map(|(name, old_shape)| {
                let name = new_name(name);
                let new_shape = new_map.get(&name)?;
                let lines = member_changes(old_shape, new_shape);
                (!lines.is_empty()).then(|| (describe(&name, new_shape), lines))
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
            let (sign, breaks) = if heading == "added" {
                ('+', false)
            } else {
                ('-', true)
            };
            let _ = writeln!(out, "\n{what} {heading}:");
            for item in list {
                breaking += usize::from(breaks);
                additions += usize::from(!breaks);
                line(&mut out, breaks, " ", &format!("{sign} {item}"));
            }
        }
        if !changed.is_empty() {
            let _ = writeln!(out, "\n{what} changed:");
            for (item, changes) in &changed {
                line(&mut out, false, " ", &format!("~ {item}"));
                for change in changes {
                    breaking += usize::from(change.breaking);
                    additions += usize::from(!change.breaking);
                    line(&mut out, change.breaking, "     ", &change.line);
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
        let breaks = sign == '-';
        let _ = writeln!(out, "\nevents {heading}:");
        for item in list {
            breaking += usize::from(breaks);
            additions += usize::from(!breaks);
            line(&mut out, breaks, " ", &format!("{sign} {item}"));
        }
    }
    summary.push(format!(
        "breaking: {breaking} (the lines marked !: code written against the old release may not compile against the new)"
    ));
    summary.push(semver_line(breaking, additions, version));
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
/// the overrides in `overrides` applied to both; the bump is from the crate's `version`.
pub fn diff_specs(
    old_spec: &Path,
    new_spec: &Path,
    overrides: Option<&Path>,
    version: &str,
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
    Ok(diff(&old, &new, version))
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
    // The version of the crate as it is now, which the bump is from.
    let version = crate::package::package_field(crate::package::frame_manifest(), "version")
        .unwrap_or_default();
    match diff_specs(&old_spec, &new_spec, Some(&overrides), &version) {
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
        let text = diff_specs(&old.0, &new.0, None, "0.1.0").unwrap();
        let expected = "\
types: 0 added, 2 removed, 3 changed
operations: 1 added, 0 removed, 1 changed
events: 0 added, 1 removed
breaking: 8 (the lines marked !: code written against the old release may not compile against the new)
semver: breaking changes -> 0.2.0 (major; from 0.1.0)

types removed:
! - events::GoneEvent (struct, 2 fields)
! - events::GoneEventContent (struct, 1 fields)

types changed:
  ~ client_server::GetThingResponseBody (struct, 1 fields)
!     ~ field `name`: required -> optional (String -> Option<String>)
  ~ events::ThingEventContent (struct, 5 fields)
      + field `weight`: Option<Number>
!     - field `gone`: Option<bool>
!     ~ field `age`: type Option<String> -> i64, and optional -> required
!     ~ field `colour`: optional -> required (Option<String> -> String)
!     ~ field `size`: type i64 -> String
  ~ events::ThingShape (string enum (open))
      + value `flat`

operations added:
  + GET /_matrix/client/v3/others/{thingId} (getOther)

operations changed:
  ~ GET /_matrix/client/v3/things/{thingId} (getThing)
      + query parameter `full`: Option<bool>

events removed:
! - m.gone (GoneEvent)
";
        assert_eq!(text, expected, "\n{text}");
        // The same spec twice: no changes.
        let same = diff_specs(&new.0, &new.0, None, "1.4.2").unwrap();
        assert_eq!(
            same,
            "types: 0 added, 0 removed, 0 changed\noperations: 0 added, 0 removed, 0 changed\nevents: 0 added, 0 removed\nbreaking: 0 (the lines marked !: code written against the old release may not compile against the new)\nsemver: no Rust-level changes -> 1.4.3 (patch; from 1.4.2)\n"
        );
        // Additions only (the old release's event again, and the new API): a minor release.
        let grown = TempSpec::new(
            "grown",
            &[
                (
                    EVENT,
                    "type: object\nproperties:\n  type: {type: string}\n  content:\n    type: object\n    properties:\n      size: {type: integer}\n      colour: {type: string}\n      age: {type: string}\n      gone: {type: boolean}\n      shape: {type: string, enum: [round, square]}\n      new: {type: string}\n    required: [size]\nrequired: [type, content]\n",
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
        let grown = diff_specs(&old.0, &grown.0, None, "0.1.0").unwrap();
        assert!(grown.contains("\nbreaking: 0 "), "{grown}");
        assert!(
            grown.contains("\nsemver: additions only -> 0.1.1 (minor; from 0.1.0)\n"),
            "{grown}"
        );
    }

    /// The lines of `diff` with whether each is marked breaking, members only.
    fn marked(text: &str) -> Vec<(bool, &str)> {
        text.lines()
            .filter(|line| line.starts_with("!     ") || line.starts_with("      "))
            .map(|line| (line.starts_with('!'), line[1..].trim()))
            .collect()
    }

    #[test]
    fn marks_what_breaks_code_written_against_the_old_release() {
        use codegen::model::{DispatchVariant, EnumVariant, TypeRef, UnionVariant};
        let field = |name: &str, ty: TypeRef, required: bool, constant: bool| Field {
            json_name: name.into(),
            name: name.into(),
            ty,
            required,
            nullable: false,
            constant,
            docs: Default::default(),
        };
        let strukt = |fields: Vec<Field>| TypeKind::Struct {
            fields,
            additional: TypeRef::Any,
            additional_name: "extra".into(),
        };
        let named = |name: &str| TypeRef::Named(name.into());
        let values = |values: &[&str]| TypeKind::StringEnum {
            variants: values
                .iter()
                .map(|v| EnumVariant {
                    name: v.to_uppercase(),
                    value: (*v).into(),
                    docs: Default::default(),
                })
                .collect(),
            open: (values.len() > 1).then(|| "Other".into()),
        };
        let dispatch = |values: &[&str]| TypeKind::Dispatch {
            tag: "type".into(),
            variants: values
                .iter()
                .map(|v| DispatchVariant {
                    name: v.to_uppercase(),
                    value: (*v).into(),
                    ty: named(&v.replace('.', "_").to_uppercase()),
                })
                .collect(),
            fallback: TypeRef::UnknownEvent,
        };
        let union = |names: &[&str]| {
            TypeKind::Union(
                names
                    .iter()
                    .map(|n| UnionVariant {
                        name: (*n).into(),
                        ty: named(n),
                    })
                    .collect(),
            )
        };
        let snapshot = |types: Vec<(&str, TypeKind)>, operation: Vec<(&str, Member)>| {
            let mut snapshot = Snapshot::default();
            for (name, kind) in types {
                snapshot.types.insert(name.into(), type_shape("m", &kind));
            }
            snapshot.operations.insert(
                "client-server GET /thing".into(),
                Shape {
                    place: "client-server".into(),
                    kind: "getThing".into(),
                    members: operation
                        .into_iter()
                        .map(|(name, member)| (name.to_owned(), member))
                        .collect(),
                },
            );
            snapshot
        };
        // A response is a variant of a `#[non_exhaustive]` enum.
        let response = || payload(Some(&Payload::Json(named("Body"), false)), true, false);
        let header = || Member::exhaustive(&TypeRef::String, true, false);
        // A required parameter: `new` takes it (an optional one breaks nothing, see above).
        let parameter = || Member::exhaustive(&TypeRef::String, true, false);
        let old = snapshot(
            vec![
                (
                    "Content",
                    strukt(vec![
                        field("body", TypeRef::String, true, false),
                        field("msgtype", named("Msgtype"), true, true),
                        field("kept", TypeRef::String, false, false),
                        field("dropped", TypeRef::String, false, false),
                    ]),
                ),
                ("Msgtype", values(&["m.text"])),
                ("Any", dispatch(&["m.a", "m.b"])),
                ("Either", union(&["A", "B"])),
            ],
            vec![
                ("response 200", response()),
                ("response 404", response()),
                ("response 429", response()),
            ],
        );
        let new = snapshot(
            vec![
                (
                    "Content",
                    strukt(vec![
                        field("body", TypeRef::String, true, false),
                        field("msgtype", named("Msgtype"), true, false),
                        field("kept", TypeRef::String, false, false),
                        field("optional", TypeRef::String, false, false),
                        field("required", TypeRef::String, true, false),
                        field("fixed", named("Fixed"), true, true),
                    ]),
                ),
                ("Msgtype", values(&["m.text", "m.other"])),
                ("Any", dispatch(&["m.a", "m.c"])),
                ("Either", union(&["A", "B", "C"])),
            ],
            vec![
                ("query parameter `full`", parameter()),
                ("response 200", response()),
                ("response 200 header `ETag`", header()),
                ("response 404", response()),
                ("response 500", response()),
                ("response 500 header `Retry`", header()),
            ],
        );
        let text = diff(&old, &new, "0.1.0");
        assert_eq!(
            marked(&text),
            [
                // A tag's new value (and a union's new variant, below): the enums are
                // non-exhaustive.
                (false, "+ `type` = `m.c`: M_C"),
                (true, "- `type` = `m.b`: M_B"),
                // Structs: `new` takes a new required field, fills in a new constant one.
                (false, "+ field `fixed`: Fixed"),
                (false, "+ field `optional`: Option<String>"),
                (true, "+ field `required`: String (an argument of new())"),
                (true, "- field `dropped`: Option<String>"),
                (
                    true,
                    "~ field `msgtype`: filled in by new() -> an argument of new()"
                ),
                (false, "+ variant `C`: C"),
                // A string enum's new value; its kind (closed -> open) breaks.
                (true, "~ was string enum (closed), is string enum (open)"),
                (false, "+ value `m.other`"),
                // A new response is a new variant; a new header of an old one is not.
                (
                    true,
                    "+ query parameter `full`: String (an argument of the request's new())"
                ),
                (
                    true,
                    "+ response 200 header `ETag`: String (a field of the response variant)"
                ),
                (false, "+ response 500: Body"),
                (false, "+ response 500 header `Retry`: String"),
                (true, "- response 429: Body"),
            ],
            "\n{text}"
        );
        assert!(text.contains("breaking: 8 "), "{text}");
    }

    #[test]
    fn types_are_told_apart_by_folder_and_a_move_is_one_change() {
        let alias = TypeKind::Alias(codegen::model::TypeRef::String);
        let snapshot = |types: &[(&str, &str)]| {
            let mut snapshot = Snapshot::default();
            for (folder, name) in types {
                snapshot
                    .types
                    .insert(format!("{folder}::{name}"), type_shape(folder, &alias));
            }
            snapshot
        };
        // Two APIs' types of one name are two types; one of them moves to `common`.
        let old = snapshot(&[
            ("client_server", "Body"),
            ("identity", "Body"),
            ("client_server", "Thing"),
        ]);
        let new = snapshot(&[
            ("client_server", "Body"),
            ("identity", "Body"),
            ("common", "Thing"),
        ]);
        let text = diff(&old, &new, "0.1.0");
        assert!(
            text.starts_with("types: 0 added, 0 removed, 1 changed\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "  ~ common::Thing (alias)\n!     ~ moved from `client_server` to `common`\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_bump_follows_semver_and_cargo_before_1_0() {
        let bump = |bump: Bump, from: &str| bump.apply(from).unwrap();
        assert_eq!(Bump::of(1, 5), Bump::Major);
        assert_eq!(Bump::of(0, 5), Bump::Minor);
        assert_eq!(Bump::of(0, 0), Bump::Patch);
        // 1.0 and later: major, minor, patch.
        assert_eq!(bump(Bump::Major, "1.4.2"), "2.0.0");
        assert_eq!(bump(Bump::Minor, "1.4.2"), "1.5.0");
        assert_eq!(bump(Bump::Patch, "1.4.2"), "1.4.3");
        // 0.y.z: y is the major number, z the rest.
        assert_eq!(bump(Bump::Major, "0.1.3"), "0.2.0");
        assert_eq!(bump(Bump::Minor, "0.1.3"), "0.1.4");
        assert_eq!(bump(Bump::Patch, "0.1.3"), "0.1.4");
        // 0.0.z: every release may break.
        assert_eq!(bump(Bump::Major, "0.0.3"), "0.0.4");
        // Build metadata (the spec's reference) and pre-releases do not count.
        assert_eq!(bump(Bump::Major, "0.1.0+spec.v1.19"), "0.2.0");
        assert!(Bump::Major.apply("1.2").is_err());
        assert_eq!(
            semver_line(3, 1, "0.1.0"),
            "semver: breaking changes -> 0.2.0 (major; from 0.1.0)"
        );
    }
}
