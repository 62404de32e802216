//! How two JSON values differ, path by path.

use serde_json::Value;

/// Describes how two JSON values differ, path by path; empty when they are equal.
pub fn json_diff(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_at("", expected, actual, &mut out);
    out
}

fn diff_at(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => diff_at(&format!("{path}/{key}"), value, other, out),
                    None => out.push(format!("{path}/{key}: lost ({value})")),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    out.push(format!("{path}/{key}: added ({value})"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                diff_at(&format!("{path}/{index}"), x, y, out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: {expected} became {actual}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_lost_added_and_changed_values() {
        let diff = json_diff(&json!({"a": 0, "b": {"c": 1}}), &json!({"a": 0.0, "d": 2}));
        assert_eq!(
            diff,
            vec!["/a: 0 became 0.0", "/b: lost ({\"c\":1})", "/d: added (2)"]
        );
    }
}
