//! The blunt scan for `example`/`examples` keys that checks the walk: every such key outside
//! data, extensions and names, whether or not the walk knows the place it is in.

use serde_json::Value;

use super::child;

/// Keys whose values map names (of properties, paths, status codes, media types, …) to
/// objects: an `example` among those names is a name, not an example.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "paths",
    "responses",
    "content",
    "headers",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "securityDefinitions",
    "callbacks",
    "links",
    "pathItems",
    "encoding",
    "variables",
];

/// Collects the pointers of every `example`/`examples` key of `node`, bluntly: not inside
/// extensions (`x-*`), data (`enum`, `default`, `const`, examples themselves), `info` or
/// `servers`, nor the store of shared Example Objects (`components/examples`, checked
/// where a `$ref` uses them).
pub(super) fn scan(pointer: &str, node: &Value, names: bool, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let at = child(pointer, key);
                if names {
                    scan(&at, value, false, out);
                    continue;
                }
                let skipped = key.starts_with("x-")
                    || matches!(key.as_str(), "enum" | "default" | "const")
                    || (pointer.is_empty() && matches!(key.as_str(), "info" | "servers"))
                    || (pointer == "/components" && key == "examples");
                if skipped {
                    continue;
                }
                if key == "example" || key == "examples" {
                    out.push(at);
                    continue;
                }
                scan(&at, value, NAME_MAPS.contains(&key.as_str()), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                scan(&child(pointer, &index.to_string()), item, false, out);
            }
        }
        _ => {}
    }
}
