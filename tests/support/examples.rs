//! The spec's example data, read the way the spec's own tooling reads it: `$ref`s to other
//! example files and `allOf`s resolved, and the project's overrides for a file applied.

use std::path::Path;

use serde_json::{Map, Value};

use crate::spec::{data_relative, normalize, read_text};

/// Reads an example file (JSON, in files named `.yaml` or `.json`) and resolves its `$ref`s
/// and `allOf`s as [`resolve_example_data`] does.
pub fn load_example(path: &Path) -> Result<Value, String> {
    let mut read = |path: &Path| -> Result<Value, String> {
        serde_json::from_str(&read_text(path)?).map_err(|err| format!("{}: {err}", path.display()))
    };
    let value = read(path)?;
    resolve_example_data(value, path, &mut read)
}

/// Reads the file at a path into a JSON tree (with whatever corrections apply to it).
pub type ExampleReader<'r> = dyn FnMut(&Path) -> Result<Value, String> + 'r;

/// Resolves the references in example data written in the file `file`, the way the spec's
/// examples use them:
///
/// - `{"$ref": "<path>[#<pointer>]", ...}` names other example data, relative to the file
///   holding the `$ref`. When it is an object its fields come first and the sibling keys
///   replace them (shallowly, local keys winning); otherwise it replaces the `$ref` object
///   (which then may have no siblings).
/// - `{"allOf": [a, b, ...]}` (the server-server PDU examples) is the deep merge of its parts:
///   objects merged key by key recursively, a later part winning for anything else. Keys
///   beside `allOf` are merged in last.
///
/// Both apply at any depth, and inside what a `$ref` loads (relative to that file).
pub fn resolve_example_data(
    value: Value,
    file: &Path,
    read: &mut ExampleReader<'_>,
) -> Result<Value, String> {
    resolve_data(value, file, 0, read)
}

fn resolve_data(
    value: Value,
    file: &Path,
    depth: usize,
    read: &mut ExampleReader<'_>,
) -> Result<Value, String> {
    match value {
        Value::Object(mut map) => {
            let reference = match map.remove("$ref") {
                Some(Value::String(reference)) => Some(reference),
                Some(other) => return Err(format!("`$ref` must be a string, found {other}")),
                None => None,
            };
            let parts = match map.remove("allOf") {
                Some(Value::Array(parts)) => Some(parts),
                Some(other) => return Err(format!("`allOf` must be a list, found {other}")),
                None => None,
            };
            let mut local = Map::new();
            for (key, child) in map {
                local.insert(key, resolve_data(child, file, depth, read)?);
            }
            let combined = match reference {
                None => Value::Object(local),
                Some(reference) => match load_reference(&reference, file, depth, read)? {
                    Value::Object(mut merged) => {
                        merged.extend(local);
                        Value::Object(merged)
                    }
                    other if local.is_empty() => other,
                    _ => {
                        return Err(format!(
                            "`$ref: {reference}` names a non-object but has sibling keys"
                        ))
                    }
                },
            };
            let Some(parts) = parts else {
                return Ok(combined);
            };
            let mut merged = Value::Object(Map::new());
            for part in parts {
                deep_merge(&mut merged, resolve_data(part, file, depth, read)?);
            }
            deep_merge(&mut merged, combined);
            Ok(merged)
        }
        Value::Array(items) => items
            .into_iter()
            .map(|item| resolve_data(item, file, depth, read))
            .collect(),
        other => Ok(other),
    }
}

/// What `$ref: reference` (written in `file`) names, itself resolved.
fn load_reference(
    reference: &str,
    file: &Path,
    depth: usize,
    read: &mut ExampleReader<'_>,
) -> Result<Value, String> {
    if depth >= 16 {
        return Err(format!(
            "{}: `$ref: {reference}` nests too deep (a cycle?)",
            file.display()
        ));
    }
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let target = if path.is_empty() {
        file.to_owned()
    } else {
        normalize(&file.parent().unwrap_or(Path::new(".")).join(path))
    };
    let document = read(&target)?;
    let value = if fragment.is_empty() {
        document
    } else {
        document.pointer(fragment).cloned().ok_or_else(|| {
            format!(
                "{}: `$ref: {reference}`: no {fragment} in {}",
                file.display(),
                target.display()
            )
        })?
    };
    resolve_data(value, &target, depth + 1, read)
}

/// Merges `part` into `target`: objects key by key recursively, `part` winning otherwise.
pub fn deep_merge(target: &mut Value, part: Value) {
    match (target, part) {
        (Value::Object(target), Value::Object(part)) => {
            for (key, value) in part {
                match target.get_mut(&key) {
                    Some(existing) => deep_merge(existing, value),
                    None => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, part) => *target = part,
    }
}

/// An example of the spec read with [`load_example`], with the overrides for its file applied.
pub fn load_spec_example(
    spec: &Path,
    path: &Path,
    overrides: &codegen::overrides::Overrides,
) -> Result<Value, String> {
    let mut value = load_example(path)?;
    overrides.apply(&data_relative(&spec.join("data"), path), &mut value);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temp::TempData;
    use serde_json::json;

    #[test]
    fn example_refs_merge_shallowly_and_replace_nested_data() {
        let dir = TempData::new(
            "example-refs",
            &[
                (
                    "core/base.json",
                    r#"{"a": 1, "content": {"x": 1}, "keep": true}"#,
                ),
                ("core/mid.json", r#"{"$ref": "base.json", "a": 2}"#),
                ("list.json", r#"[{"k": 1}]"#),
                (
                    "ex.yaml",
                    r#"{"$ref": "core/mid.json", "content": {"y": 2, "nested": {"$ref": "list.json"}}}"#,
                ),
            ],
        );
        let value = load_example(&dir.0.join("ex.yaml")).unwrap();
        assert_eq!(
            value,
            json!({"a": 2, "keep": true, "content": {"y": 2, "nested": [{"k": 1}]}})
        );
    }
}
