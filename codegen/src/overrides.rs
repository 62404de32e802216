//! Corrections for known spec bugs, kept as data in `spec/overrides.yaml`.
//!
//! Each entry names a file and a JSON pointer, patches the node there with a JSON merge
//! patch (RFC 7396) when it is loaded, and says why. An optional `when` lists key/value
//! pairs the node must have, so that an entry written for one release's shape leaves
//! other releases alone.

use std::cell::RefCell;
use std::collections::BTreeSet;

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

#[derive(Debug, Default)]
pub struct Overrides {
    entries: Vec<Override>,
    applied: RefCell<BTreeSet<usize>>,
}

impl Overrides {
    /// Parses the overrides file; every entry needs `file`, `pointer`, `reason` and `patch`.
    pub fn parse(file: &str, text: &str) -> Result<Self, Diagnostic> {
        let value = crate::load::parse_yaml(file, text)?;
        let list = match value {
            Value::Null => Vec::new(),
            Value::Object(mut root) => match root.remove("overrides") {
                Some(Value::Array(list)) => list,
                None | Some(Value::Null) => Vec::new(),
                Some(_) => {
                    return Err(Diagnostic::new(
                        Location::new(file, "/overrides"),
                        "`overrides` must be a list",
                    ))
                }
            },
            _ => {
                return Err(Diagnostic::new(
                    Location::new(file, ""),
                    "expected a mapping with an `overrides` list",
                ))
            }
        };
        let mut entries = Vec::new();
        for (index, entry) in list.into_iter().enumerate() {
            let at = Location::new(file, format!("/overrides/{index}"));
            let text_field = |key: &str| -> Result<String, Diagnostic> {
                match entry.get(key) {
                    Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                    _ => Err(Diagnostic::new(
                        at.clone(),
                        format!("override needs a non-empty string `{key}`"),
                    )),
                }
            };
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
                file: text_field("file")?,
                // The empty pointer (the whole document) is a valid one.
                pointer: match entry.get("pointer") {
                    Some(Value::String(pointer)) => pointer.clone(),
                    _ => return Err(Diagnostic::new(at.clone(), "override needs a string `pointer`")),
                },
                reason: text_field("reason")?,
                when,
                patch,
            });
        }
        Ok(Overrides {
            entries,
            applied: RefCell::default(),
        })
    }

    pub fn entries(&self) -> &[Override] {
        &self.entries
    }

    /// Patches the freshly loaded document `file` in place.
    pub fn apply(&self, file: &str, document: &mut Value) {
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.file != file {
                continue;
            }
            let Some(node) = document.pointer_mut(&entry.pointer) else {
                continue;
            };
            let matches = entry
                .when
                .iter()
                .all(|(key, expected)| node.get(key) == Some(expected));
            if matches {
                merge_patch(node, &entry.patch);
                self.applied.borrow_mut().insert(index);
            }
        }
    }

    /// The entries that matched no node in the files loaded so far.
    pub fn unused(&self) -> Vec<&Override> {
        let applied = self.applied.borrow();
        self.entries
            .iter()
            .enumerate()
            .filter(|(i, _)| !applied.contains(i))
            .map(|(_, e)| e)
            .collect()
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
    fn entries_without_reason_are_rejected() {
        let err = Overrides::parse(
            "o.yaml",
            "overrides:\n- file: a.yaml\n  pointer: ''\n  patch: {}\n",
        )
        .unwrap_err();
        assert_eq!(err.location.pointer, "/overrides/0");
        assert!(err.message.contains("reason"));
    }
}
