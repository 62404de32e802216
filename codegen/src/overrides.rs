//! Corrections for known spec bugs and facts the schemas leave to the spec's prose, kept as
//! data in `spec/overrides.yaml`.
//!
//! - `overrides`: each entry names a file and a JSON pointer, patches the node there with a
//!   JSON merge patch (RFC 7396) when it is loaded, and says why. An optional `when` lists
//!   key/value pairs the node must have (`null`: the key must be absent; a mapping: a mapping
//!   that matches it the same way), so that an entry written for one release's shape leaves
//!   other releases alone. A `file` ending in `/` is
//!   every file in that folder, and the pointer `**` is every node of a file. A `$ref` in a
//!   patch that starts with `/` is relative to `data/` and is rewritten for the patched file.
//! - `event_kinds`: which `Any…` enums events belong to, where their `$ref`s do not say.
//! - `error_codes`: the error codes of the spec's prose (the standard error response of every
//!   API), each with a line of documentation, which the API files name only in part.
//! - `conformance`: the known disagreements between the generated types and a JSON Schema
//!   validator on the spec's schemas (`tests/conformance.rs`), each class with its reason.
//!   Only read here; the test matches them.

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Location};

#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub file: String,
    pub pointer: String,
    pub reason: String,
    pub when: Map<String, Value>,
    pub patch: Value,
}

/// Events that belong to event kinds their schemas do not name.
#[derive(Debug, Clone, PartialEq)]
pub struct KindEntry {
    pub events: Vec<String>,
    pub kinds: Vec<String>,
    pub reason: String,
    /// Where the entry is written, for error messages.
    pub location: Location,
}

/// A class of inputs on which the generated type and a JSON Schema validator disagree, by
/// design or for a known reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ConformanceEntry {
    /// A short name of the class (`open enum`, ...).
    pub class: String,
    /// The schemas (file stems; `*` is any run of characters) it covers.
    pub schemas: Vec<String>,
    /// The mutations it covers, by name as `tests/conformance.rs` calls them (`drop`,
    /// `type:null`, `unknown_enum`, ...; `*` is any run of characters).
    pub mutations: Vec<String>,
    /// The JSON pointers of the mutated values it covers (a segment `*` is any one segment,
    /// `**` any number of them).
    pub pointers: Vec<String>,
    /// Which side accepts the input: `generated` (the validator rejects it) or `validator`.
    pub accepted_by: String,
    /// When the generated type accepts: how it writes the input back, `same` (the default: a
    /// lossless round trip) or `without_key` (without the key whose value was mutated).
    pub written_back: String,
    /// When the validator accepts: the generated type's error contains one of these (empty:
    /// any error).
    pub errors: Vec<String>,
    pub reason: String,
    /// Where the entry is written, for reports.
    pub location: Location,
}

/// Places of the API that carry events (or an event's content), and the type they carry them
/// as: always `Raw<…>`, read when asked, so that one malformed event never fails the response.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedEventsEntry {
    /// The schemas (file and JSON pointer, in the OpenAPI 3.1 shape the model sees, after the
    /// Swagger 2.0 conversion) whose values are the events; or, with `list`, the objects that
    /// hold them in a list.
    pub places: Vec<Location>,
    /// What the events are read as: the name of a generated type (an `Any…` enum, an event
    /// struct), or `None` for any JSON object (`Map<String, Value>`, an event content whose
    /// type another field or the path gives).
    pub events: Option<String>,
    /// `(field, name)`: the places are objects whose list `field` holds the events; they become
    /// one struct of their own, `name` (the object they share with other places stays as it is).
    pub list: Option<(String, String)>,
    pub reason: String,
    /// Where the entry is written, for error messages.
    pub location: Location,
}

/// An operation that sends events: its request is built from a typed content, whose event
/// type fills in the parameter `event_type`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedSendingEntry {
    /// The `operationId`.
    pub operation: String,
    /// The kind of event it sends (a key of `event_kinds`: `message_like`, `state`, ...).
    pub kind: String,
    /// The path parameter that holds the event type.
    pub event_type: String,
    /// Where the contents go: `body` (the body is the content), or the name of the body's
    /// field that maps users to devices to contents (`messages` of `/sendToDevice`).
    pub contents: String,
    pub reason: String,
    /// Where the entry is written, for error messages.
    pub location: Location,
}

/// Error codes the spec defines in its prose ("Standard error response": the common codes any
/// endpoint may answer with, and the others), which the API files name only in part: the known
/// values of `ErrorCode` besides the codes the error responses of the API files name.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCodesEntry {
    pub codes: Vec<ErrorCodeDoc>,
    pub reason: String,
    /// Where the entry is written, for error messages.
    pub location: Location,
}

/// One error code of the spec's prose and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCodeDoc {
    /// `M_FORBIDDEN`.
    pub code: String,
    /// One line: what the code means.
    pub doc: String,
    /// The spec version that added the code, where the prose says.
    pub added_in: Option<String>,
}

/// An entry of `error_codes`: `codes` (each `code`, `doc`, optional `added_in`) and `reason`.
fn error_codes_entry(entry: &Value, at: Location) -> Result<ErrorCodesEntry, Diagnostic> {
    let Some(listed) = entry
        .get("codes")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
    else {
        return Err(Diagnostic::new(
            at.child("codes"),
            "entry needs `codes`: a non-empty list of `code` and `doc`",
        ));
    };
    let mut codes = Vec::new();
    for (index, item) in listed.iter().enumerate() {
        let item_at = at.child("codes").child(&index.to_string());
        let code = text_field(item, &item_at, "code")?;
        let well_formed = code.strip_prefix("M_").is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_uppercase())
                && !rest.ends_with('_')
                && rest
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        });
        if !well_formed {
            return Err(Diagnostic::new(
                item_at.child("code"),
                format!(
                    "`{code}` is not an error code of the spec: `M_` and capitals, digits and `_`"
                ),
            ));
        }
        let doc = text_field(item, &item_at, "doc")?;
        if doc.contains('\n') {
            return Err(Diagnostic::new(
                item_at.child("doc"),
                "`doc` is one line (the spec's prose says more)",
            ));
        }
        let added_in = match item.get("added_in") {
            None => None,
            Some(_) => Some(text_field(item, &item_at, "added_in")?),
        };
        codes.push(ErrorCodeDoc {
            code,
            doc,
            added_in,
        });
    }
    Ok(ErrorCodesEntry {
        codes,
        reason: text_field(entry, &at, "reason")?,
        location: at,
    })
}

#[derive(Debug, Default)]
pub struct Overrides {
    entries: Vec<Override>,
    event_kinds: Vec<KindEntry>,
    conformance: Vec<ConformanceEntry>,
    typed_events: Vec<TypedEventsEntry>,
    typed_sending: Vec<TypedSendingEntry>,
    error_codes: Vec<ErrorCodesEntry>,
    /// The entries applied so far (documents are read on every core).
    applied: Mutex<BTreeSet<usize>>,
}

/// A list under `key` in the overrides file; absent is empty.
fn section(root: &mut Map<String, Value>, file: &str, key: &str) -> Result<Vec<Value>, Diagnostic> {
    match root.remove(key) {
        Some(Value::Array(list)) => Ok(list),
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(_) => Err(Diagnostic::new(
            Location::new(file, format!("/{key}")),
            format!("`{key}` must be a list"),
        )),
    }
}

/// A non-empty string at `key` of an entry.
fn text_field(entry: &Value, at: &Location, key: &str) -> Result<String, Diagnostic> {
    match entry.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        _ => Err(Diagnostic::new(
            at.clone(),
            format!("entry needs a non-empty string `{key}`"),
        )),
    }
}

/// A list of non-empty strings at `key` of an entry.
fn text_list(entry: &Value, at: &Location, key: &str) -> Result<Vec<String>, Diagnostic> {
    let items = entry.get(key).and_then(Value::as_array);
    let strings: Option<Vec<String>> = items.map(|items| {
        items
            .iter()
            .filter_map(|item| item.as_str().filter(|s| !s.is_empty()).map(str::to_owned))
            .collect()
    });
    match (items, strings) {
        (Some(items), Some(strings)) if !items.is_empty() && strings.len() == items.len() => {
            Ok(strings)
        }
        _ => Err(Diagnostic::new(
            at.child(key),
            format!("entry needs `{key}`: a non-empty list of strings"),
        )),
    }
}

/// An entry of `typed_events`: `at` (places, `file#pointer`), `type` (`Raw<Name>` or
/// `Raw<Map<String, Value>>`), `list` and `name` together or not at all, `reason`.
fn typed_events_entry(entry: &Value, at: Location) -> Result<TypedEventsEntry, Diagnostic> {
    let mut places = Vec::new();
    for (index, place) in text_list(entry, &at, "at")?.iter().enumerate() {
        let Some((file, pointer)) = place.split_once('#') else {
            return Err(Diagnostic::new(
                at.child("at").child(&index.to_string()),
                format!("`{place}` is not a place: write `file#/json/pointer`"),
            ));
        };
        places.push(Location::new(file, pointer));
    }
    let written = text_field(entry, &at, "type")?;
    let inner = written
        .strip_prefix("Raw<")
        .and_then(|rest| rest.strip_suffix('>'))
        .map(str::trim);
    let events = match inner {
        Some("Map<String, Value>") => None,
        Some(name)
            if name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            Some(name.to_owned())
        }
        _ => {
            return Err(Diagnostic::new(
                at.child("type"),
                format!(
                    "`{written}` is not a type events are carried as: write `Raw<TypeName>` (a generated type) or `Raw<Map<String, Value>>`"
                ),
            ))
        }
    };
    let list = match (entry.get("list"), entry.get("name")) {
        (None, None) => None,
        (Some(_), Some(_)) => Some((
            text_field(entry, &at, "list")?,
            text_field(entry, &at, "name")?,
        )),
        _ => {
            return Err(Diagnostic::new(
                at.clone(),
                "`list` and `name` go together: the list field holding the events, and the name of the struct the places become",
            ))
        }
    };
    Ok(TypedEventsEntry {
        places,
        events,
        list,
        reason: text_field(entry, &at, "reason")?,
        location: at,
    })
}

impl Overrides {
    /// Parses the overrides file; every entry says why it is there (`reason`).
    pub fn parse(file: &str, text: &str) -> Result<Self, Diagnostic> {
        let mut root = match crate::yaml::parse_yaml(file, text)? {
            Value::Null => Map::new(),
            Value::Object(root) => root,
            _ => {
                return Err(Diagnostic::new(
                    Location::new(file, ""),
                    "expected a mapping with an `overrides` list",
                ))
            }
        };
        let mut entries = Vec::new();
        for (index, entry) in section(&mut root, file, "overrides")?
            .into_iter()
            .enumerate()
        {
            let at = Location::new(file, format!("/overrides/{index}"));
            let when = match entry.get("when") {
                None => Map::new(),
                Some(Value::Object(map)) => map.clone(),
                Some(_) => {
                    return Err(Diagnostic::new(
                        at.child("when"),
                        "`when` must be a mapping",
                    ))
                }
            };
            let patch = entry
                .get("patch")
                .cloned()
                .ok_or_else(|| Diagnostic::new(at.clone(), "override needs a `patch`"))?;
            entries.push(Override {
                file: text_field(&entry, &at, "file")?,
                // The empty pointer (the whole document) is a valid one.
                pointer: match entry.get("pointer") {
                    Some(Value::String(pointer)) => pointer.clone(),
                    _ => {
                        return Err(Diagnostic::new(
                            at.clone(),
                            "override needs a string `pointer`",
                        ))
                    }
                },
                reason: text_field(&entry, &at, "reason")?,
                when,
                patch,
            });
        }
        let mut event_kinds = Vec::new();
        for (index, entry) in section(&mut root, file, "event_kinds")?
            .into_iter()
            .enumerate()
        {
            let at = Location::new(file, format!("/event_kinds/{index}"));
            event_kinds.push(KindEntry {
                events: text_list(&entry, &at, "events")?,
                kinds: text_list(&entry, &at, "kinds")?,
                reason: text_field(&entry, &at, "reason")?,
                location: at,
            });
        }
        let mut conformance = Vec::new();
        for (index, entry) in section(&mut root, file, "conformance")?
            .into_iter()
            .enumerate()
        {
            let at = Location::new(file, format!("/conformance/{index}"));
            let accepted_by = text_field(&entry, &at, "accepted_by")?;
            if !matches!(accepted_by.as_str(), "generated" | "validator") {
                return Err(Diagnostic::new(
                    at.child("accepted_by"),
                    "`accepted_by` must be `generated` or `validator`",
                ));
            }
            let written_back = match entry.get("written_back") {
                None => "same".to_owned(),
                Some(Value::String(s)) if s == "same" || s == "without_key" => s.clone(),
                Some(_) => {
                    return Err(Diagnostic::new(
                        at.child("written_back"),
                        "`written_back` must be `same` or `without_key`",
                    ))
                }
            };
            conformance.push(ConformanceEntry {
                class: text_field(&entry, &at, "class")?,
                schemas: text_list(&entry, &at, "schemas")?,
                mutations: text_list(&entry, &at, "mutations")?,
                pointers: text_list(&entry, &at, "pointers")?,
                accepted_by,
                written_back,
                errors: match entry.get("errors") {
                    None => Vec::new(),
                    Some(_) => text_list(&entry, &at, "errors")?,
                },
                reason: text_field(&entry, &at, "reason")?,
                location: at,
            });
        }
        let mut typed_events = Vec::new();
        for (index, entry) in section(&mut root, file, "typed_events")?
            .into_iter()
            .enumerate()
        {
            let at = Location::new(file, format!("/typed_events/{index}"));
            typed_events.push(typed_events_entry(&entry, at)?);
        }
        let mut typed_sending = Vec::new();
        for (index, entry) in section(&mut root, file, "typed_sending")?
            .into_iter()
            .enumerate()
        {
            let at = Location::new(file, format!("/typed_sending/{index}"));
            typed_sending.push(TypedSendingEntry {
                operation: text_field(&entry, &at, "operation")?,
                kind: text_field(&entry, &at, "kind")?,
                event_type: text_field(&entry, &at, "event_type")?,
                contents: text_field(&entry, &at, "contents")?,
                reason: text_field(&entry, &at, "reason")?,
                location: at,
            });
        }
        let mut error_codes = Vec::new();
        for (index, entry) in section(&mut root, file, "error_codes")?
            .into_iter()
            .enumerate()
        {
            let at = Location::new(file, format!("/error_codes/{index}"));
            let entry = error_codes_entry(&entry, at)?;
            for (position, listed) in entry.codes.iter().enumerate() {
                let before = error_codes
                    .iter()
                    .flat_map(|entry: &ErrorCodesEntry| &entry.codes)
                    .chain(&entry.codes[..position]);
                if before.into_iter().any(|other| other.code == listed.code) {
                    return Err(Diagnostic::new(
                        entry.location.child("codes").child(&position.to_string()),
                        format!("`{}` is listed twice", listed.code),
                    ));
                }
            }
            error_codes.push(entry);
        }
        if let Some(unknown) = root.keys().next() {
            return Err(Diagnostic::new(
                Location::new(file, format!("/{unknown}")),
                format!(
                    "unknown section `{unknown}` (expected overrides, event_kinds, conformance, typed_events, typed_sending, error_codes)"
                ),
            ));
        }
        Ok(Overrides {
            entries,
            event_kinds,
            conformance,
            typed_events,
            typed_sending,
            error_codes,
            applied: Mutex::default(),
        })
    }

    /// The error codes of the spec's prose, with their documentation.
    pub fn error_codes(&self) -> &[ErrorCodesEntry] {
        &self.error_codes
    }

    pub fn event_kinds(&self) -> &[KindEntry] {
        &self.event_kinds
    }

    /// The known disagreements with a JSON Schema validator (`tests/conformance.rs`).
    pub fn conformance(&self) -> &[ConformanceEntry] {
        &self.conformance
    }

    /// Where the API carries events, and as what.
    pub fn typed_events(&self) -> &[TypedEventsEntry] {
        &self.typed_events
    }

    /// The operations that send events, and how.
    pub fn typed_sending(&self) -> &[TypedSendingEntry] {
        &self.typed_sending
    }

    pub fn entries(&self) -> &[Override] {
        &self.entries
    }

    /// Patches the freshly loaded document `file` in place.
    pub fn apply(&self, file: &str, document: &mut Value) {
        self.apply_where(file, document, &|_| true);
    }

    /// [`Overrides::apply`], skipping entries whose patch has a `$ref` (rooted at `data/`) to a
    /// file that `exists` says this spec release lacks: the type it points to came later.
    pub fn apply_where(&self, file: &str, document: &mut Value, exists: &dyn Fn(&str) -> bool) {
        for (index, entry) in self.entries.iter().enumerate() {
            let in_folder = entry.file.ends_with('/') && file.starts_with(&entry.file);
            if entry.file != file && !in_folder {
                continue;
            }
            if !rooted_refs(&entry.patch)
                .iter()
                .all(|target| exists(target))
            {
                continue;
            }
            let patch = rebase_refs(&entry.patch, file);
            let applied = if entry.pointer == "**" {
                patch_everywhere(document, &entry.when, &patch)
            } else {
                match document.pointer_mut(&entry.pointer) {
                    Some(node) if matches_when(node, &entry.when) => {
                        merge_patch(node, &patch);
                        true
                    }
                    _ => false,
                }
            };
            if applied {
                self.applied_entries().insert(index);
            }
        }
    }

    /// The set of applied entries. A set a panicking thread left is still the set of entries
    /// applied until then.
    fn applied_entries(&self) -> MutexGuard<'_, BTreeSet<usize>> {
        self.applied.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The entries that matched no node in the files loaded so far.
    pub fn unused(&self) -> Vec<&Override> {
        let applied = self.applied_entries();
        self.entries
            .iter()
            .enumerate()
            .filter(|(i, _)| !applied.contains(i))
            .map(|(_, e)| e)
            .collect()
    }
}

/// Whether `node` has every key/value of `when`: a `null` value asks for the key to be
/// absent, a mapping for a mapping that matches it in the same way (so `when` can look into
/// a node: `{properties: {data: {thread_id: null}}}`), anything else for an equal value.
fn matches_when(node: &Value, when: &Map<String, Value>) -> bool {
    node.is_object()
        && when
            .iter()
            .all(|(key, expected)| match (expected, node.get(key)) {
                (Value::Null, found) => found.is_none(),
                (Value::Object(inner), Some(found)) => matches_when(found, inner),
                (expected, found) => found == Some(expected),
            })
}

/// Patches every node of `document` that matches `when`, outermost first; whether any did.
fn patch_everywhere(node: &mut Value, when: &Map<String, Value>, patch: &Value) -> bool {
    if matches_when(node, when) {
        merge_patch(node, patch);
        return true;
    }
    let mut any = false;
    match node {
        Value::Object(map) => {
            for child in map.values_mut() {
                any |= patch_everywhere(child, when, patch);
            }
        }
        Value::Array(items) => {
            for child in items {
                any |= patch_everywhere(child, when, patch);
            }
        }
        _ => {}
    }
    any
}

/// The files (relative to `data/`) of the `$ref`s in `patch` that start with `/`.
fn rooted_refs(patch: &Value) -> Vec<String> {
    let mut found = Vec::new();
    match patch {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) if target.starts_with('/') => {
                        let file = target[1..].split('#').next().unwrap_or_default();
                        found.push(file.to_owned());
                    }
                    _ => found.extend(rooted_refs(value)),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                found.extend(rooted_refs(item));
            }
        }
        _ => {}
    }
    found
}

/// `patch` with each `$ref` that starts with `/` (relative to `data/`) made relative to `file`.
fn rebase_refs(patch: &Value, file: &str) -> Value {
    match patch {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("$ref", Value::String(target)) if target.starts_with('/') => {
                            let depth = file.matches('/').count();
                            Value::String(format!("{}{}", "../".repeat(depth), &target[1..]))
                        }
                        _ => rebase_refs(value, file),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| rebase_refs(item, file)).collect())
        }
        other => other.clone(),
    }
}

/// RFC 7396: objects merge key by key, `null` removes a key, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(target) = target else {
        unreachable!("made an object above")
    };
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_events_entries_are_read_and_checked() {
        let parsed = Overrides::parse(
            "o.yaml",
            "typed_events:\n- at: ['a.yaml#/properties/e/items']\n  type: Raw<AnyThing>\n  reason: r\n- at: ['b.yaml#/x']\n  type: Raw<Map<String, Value>>\n  list: events\n  name: Batch\n  reason: r\n",
        )
        .unwrap();
        let entries = parsed.typed_events();
        assert_eq!(
            entries[0].places,
            [Location::new("a.yaml", "/properties/e/items")]
        );
        assert_eq!(entries[0].events.as_deref(), Some("AnyThing"));
        assert_eq!(entries[0].list, None);
        assert_eq!(entries[1].events, None);
        assert_eq!(entries[1].list, Some(("events".into(), "Batch".into())));
        for (entry, pointer, needle) in [
            (
                "at: [a.yaml]\n  type: Raw<A>",
                "/typed_events/0/at/0",
                "not a place",
            ),
            (
                "at: ['a#/x']\n  type: Vec<A>",
                "/typed_events/0/type",
                "Raw<TypeName>",
            ),
            (
                "at: ['a#/x']\n  type: Raw<a b>",
                "/typed_events/0/type",
                "Raw<TypeName>",
            ),
            (
                "at: ['a#/x']\n  type: Raw<A>\n  list: events",
                "/typed_events/0",
                "go together",
            ),
            (
                "at: ['a#/x']\n  type: Raw<A>\n  reason: ''",
                "/typed_events/0",
                "`reason`",
            ),
        ] {
            let text = format!("typed_events:\n- {entry}\n  reason: r\n");
            let text = text.replace("  reason: ''\n  reason: r\n", "  reason: ''\n");
            let err = Overrides::parse("o.yaml", &text).unwrap_err();
            assert_eq!(err.location.pointer, pointer, "{entry}: {}", err.message);
            assert!(err.message.contains(needle), "{entry}: {}", err.message);
        }
    }

    #[test]
    fn error_codes_entries_are_read_and_checked() {
        let parsed = Overrides::parse(
            "o.yaml",
            "error_codes:\n- reason: the prose lists them\n  codes:\n  - {code: M_FORBIDDEN, doc: Forbidden access.}\n  - {code: M_UNKNOWN_DEVICE, doc: No such device., added_in: v1.17}\n",
        )
        .unwrap();
        let [entry] = parsed.error_codes() else {
            panic!("{:?}", parsed.error_codes())
        };
        assert_eq!(entry.reason, "the prose lists them");
        assert_eq!(
            entry.codes,
            [
                ErrorCodeDoc {
                    code: "M_FORBIDDEN".into(),
                    doc: "Forbidden access.".into(),
                    added_in: None,
                },
                ErrorCodeDoc {
                    code: "M_UNKNOWN_DEVICE".into(),
                    doc: "No such device.".into(),
                    added_in: Some("v1.17".into()),
                },
            ]
        );
        for (codes, pointer, needle) in [
            ("[]", "/error_codes/0/codes", "non-empty list"),
            (
                "[{code: FORBIDDEN, doc: d}]",
                "/error_codes/0/codes/0/code",
                "`M_`",
            ),
            (
                "[{code: M_forbidden, doc: d}]",
                "/error_codes/0/codes/0/code",
                "`M_`",
            ),
            (
                "[{code: M_, doc: d}]",
                "/error_codes/0/codes/0/code",
                "`M_`",
            ),
            ("[{code: M_FORBIDDEN}]", "/error_codes/0/codes/0", "`doc`"),
            (
                "[{code: M_FORBIDDEN, doc: \"two\\nlines\"}]",
                "/error_codes/0/codes/0/doc",
                "one line",
            ),
            (
                "[{code: M_FORBIDDEN, doc: d}, {code: M_FORBIDDEN, doc: e}]",
                "/error_codes/0/codes/1",
                "listed twice",
            ),
        ] {
            let text = format!("error_codes:\n- reason: r\n  codes: {codes}\n");
            let err = Overrides::parse("o.yaml", &text).unwrap_err();
            assert_eq!(err.location.pointer, pointer, "{codes}: {}", err.message);
            assert!(err.message.contains(needle), "{codes}: {}", err.message);
        }
        let err = Overrides::parse(
            "o.yaml",
            "error_codes:\n- codes: [{code: M_FORBIDDEN, doc: d}]\n",
        )
        .unwrap_err();
        assert!(err.message.contains("`reason`"), "{}", err.message);
    }

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut target = json!({"type": "integer", "description": "d", "keep": {"a": 1}});
        merge_patch(
            &mut target,
            &json!({"type": null, "oneOf": [{"type": "string"}], "keep": {"b": 2}}),
        );
        assert_eq!(
            target,
            json!({"description": "d", "keep": {"a": 1, "b": 2}, "oneOf": [{"type": "string"}]})
        );
    }

    #[test]
    fn applies_only_where_when_matches() {
        let overrides = Overrides::parse(
            "o.yaml",
            "overrides:\n- file: a.yaml\n  pointer: /properties/v\n  reason: r\n  when: {type: integer}\n  patch: {type: string}\n",
        )
        .unwrap();
        let mut integer = json!({"properties": {"v": {"type": "integer"}}});
        overrides.apply("a.yaml", &mut integer);
        assert_eq!(integer["properties"]["v"]["type"], "string");
        let mut boolean = json!({"properties": {"v": {"type": "boolean"}}});
        overrides.apply("a.yaml", &mut boolean);
        assert_eq!(boolean["properties"]["v"]["type"], "boolean");
        let mut other_file = json!({"properties": {"v": {"type": "integer"}}});
        overrides.apply("b.yaml", &mut other_file);
        assert_eq!(other_file["properties"]["v"]["type"], "integer");
    }

    #[test]
    fn when_looks_into_mappings() {
        let overrides = Overrides::parse(
            "o.yaml",
            "overrides:\n- file: a.yaml\n  pointer: /s\n  reason: r\n  when: {properties: {a: {type: string}, b: null}}\n  patch: {title: T}\n",
        )
        .unwrap();
        let mut matching = json!({"s": {"properties": {"a": {"type": "string", "x": 1}}}});
        overrides.apply("a.yaml", &mut matching);
        assert_eq!(matching["s"]["title"], "T");
        for mut other in [
            json!({"s": {"properties": {"a": {"type": "string"}, "b": {}}}}),
            json!({"s": {"properties": {"a": {"type": "integer"}}}}),
            json!({"s": {"properties": ["a"]}}),
            json!({"s": {}}),
        ] {
            let before = other.clone();
            overrides.apply("a.yaml", &mut other);
            assert_eq!(other, before);
        }
    }

    #[test]
    fn entries_whose_ref_target_this_release_lacks_are_skipped() {
        let overrides = Overrides::parse(
            "o.yaml",
            "overrides:\n- file: events/e.yaml\n  pointer: /properties/f\n  reason: r\n  patch: {$ref: /defs/file.yaml#/x}\n",
        )
        .unwrap();
        let original = json!({"properties": {"f": {"type": "object"}}});
        let mut document = original.clone();
        overrides.apply_where("events/e.yaml", &mut document, &|file| {
            assert_eq!(file, "defs/file.yaml");
            false
        });
        assert_eq!(document, original);
        assert_eq!(overrides.unused().len(), 1);
        overrides.apply_where("events/e.yaml", &mut document, &|_| true);
        assert_eq!(document["properties"]["f"]["$ref"], "../defs/file.yaml#/x");
        assert!(overrides.unused().is_empty());
    }

    #[test]
    fn entries_without_reason_are_rejected() {
        let err = Overrides::parse(
            "o.yaml",
            "overrides:\n- file: a.yaml\n  pointer: ''\n  patch: {}\n",
        )
        .unwrap_err();
        assert_eq!(err.location.pointer, "/overrides/0");
        assert!(err.message.contains("reason"));
    }

    #[test]
    fn folder_entries_patch_every_matching_node_with_rebased_refs() {
        let overrides = Overrides::parse(
            "o.yaml",
            "overrides:\n- file: events/\n  pointer: '**'\n  reason: r\n  when: {title: File, properties: null}\n  patch: {$ref: /defs/file.yaml, title: null, type: null}\n",
        )
        .unwrap();
        let mut document = json!({"properties": {
            "a": {"title": "File", "type": "object"},
            "b": {"items": {"title": "File", "type": "object"}},
            "c": {"title": "File", "properties": {"x": {}}},
        }});
        overrides.apply("events/sub/e.yaml", &mut document);
        assert_eq!(
            document["properties"]["a"],
            json!({"$ref": "../../defs/file.yaml"})
        );
        assert_eq!(
            document["properties"]["b"]["items"],
            json!({"$ref": "../../defs/file.yaml"})
        );
        assert_eq!(
            document["properties"]["c"]["title"], "File",
            "a node with properties is left alone"
        );
        assert!(overrides.unused().is_empty());
        let mut elsewhere = json!({"title": "File"});
        overrides.apply("defs/file.yaml", &mut elsewhere);
        assert_eq!(elsewhere, json!({"title": "File"}));
    }

    #[test]
    fn event_kinds_are_read_and_checked() {
        let overrides = Overrides::parse(
            "o.yaml",
            "event_kinds:\n- events: [m.a, m.b]\n  kinds: [to_device]\n  reason: r\n",
        )
        .unwrap();
        assert_eq!(overrides.event_kinds()[0].events, ["m.a", "m.b"]);
        assert_eq!(overrides.event_kinds()[0].kinds, ["to_device"]);
        let err = Overrides::parse(
            "o.yaml",
            "event_kinds:\n- events: []\n  kinds: [x]\n  reason: r\n",
        )
        .unwrap_err();
        assert_eq!(err.location.pointer, "/event_kinds/0/events");
        let err = Overrides::parse("o.yaml", "evnt_kinds: []\n").unwrap_err();
        assert!(err.message.contains("unknown section"), "{}", err.message);
    }

    #[test]
    fn conformance_entries_are_read_and_checked() {
        let entry = "conformance:\n- class: open enum\n  schemas: ['m.room.*']\n  mutations: [unknown_enum]\n  pointers: [/content/**]\n  accepted_by: generated\n  reason: r\n";
        let overrides = Overrides::parse("o.yaml", entry).unwrap();
        let [read] = overrides.conformance() else {
            panic!("one entry expected: {:?}", overrides.conformance());
        };
        assert_eq!(read.class, "open enum");
        assert_eq!(read.schemas, ["m.room.*"]);
        assert_eq!(read.mutations, ["unknown_enum"]);
        assert_eq!(read.pointers, ["/content/**"]);
        assert_eq!(read.accepted_by, "generated");
        assert_eq!(read.written_back, "same");
        assert!(read.errors.is_empty());
        assert_eq!(read.location.pointer, "/conformance/0");
        let err = Overrides::parse("o.yaml", &entry.replace("generated", "both")).unwrap_err();
        assert_eq!(err.location.pointer, "/conformance/0/accepted_by");
        let err = Overrides::parse("o.yaml", &entry.replace("  reason: r\n", "")).unwrap_err();
        assert!(err.message.contains("reason"), "{}", err.message);
        let err = Overrides::parse("o.yaml", &entry.replace("[unknown_enum]", "[]")).unwrap_err();
        assert_eq!(err.location.pointer, "/conformance/0/mutations");
        let dropped = format!("{entry}  written_back: without_key\n");
        let overrides = Overrides::parse("o.yaml", &dropped).unwrap();
        assert_eq!(overrides.conformance()[0].written_back, "without_key");
        let err = Overrides::parse("o.yaml", &dropped.replace("without_key", "lost")).unwrap_err();
        assert_eq!(err.location.pointer, "/conformance/0/written_back");
        let errors = format!("{entry}  errors: [expected i64]\n");
        let overrides = Overrides::parse("o.yaml", &errors).unwrap();
        assert_eq!(overrides.conformance()[0].errors, ["expected i64"]);
        let err = Overrides::parse("o.yaml", &errors.replace("[expected i64]", "[]")).unwrap_err();
        assert_eq!(err.location.pointer, "/conformance/0/errors");
    }
}
