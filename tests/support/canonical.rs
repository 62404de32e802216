//! Canonical JSON and the text a signature covers (the spec's appendices, "Canonical JSON" and
//! "Signing JSON"), for the tests that sign keys the way a client does.

use serde_json::Value;

/// The largest magnitude of an integer canonical JSON allows: 2^53 - 1.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The canonical JSON of `value`: no whitespace, the keys of every object sorted by code
/// point, strings with the shortest escapes (`"`, `\` and control characters only), and
/// numbers that are integers of at most 2^53 - 1 in magnitude; an error naming the place of
/// any other number.
///
/// The keys are sorted here rather than left to `serde_json::Map`, whose order is the order of
/// insertion when serde_json's `preserve_order` is on (as it is in this crate's tests, through
/// a dependency).
pub fn canonical_json(value: &Value) -> Result<String, String> {
    let mut out = String::new();
    write(value, "", &mut out)?;
    Ok(out)
}

/// What a signature of the object `value` covers: the canonical JSON of `value` without its
/// `signatures` and `unsigned` (those of nested objects stay).
pub fn signing_json(value: &Value) -> Result<String, String> {
    let Value::Object(object) = value else {
        return Err("only an object is signed".to_owned());
    };
    let mut object = object.clone();
    object.remove("signatures");
    object.remove("unsigned");
    canonical_json(&Value::Object(object))
}

fn write(value: &Value, path: &str, out: &mut String) -> Result<(), String> {
    match value {
        Value::Object(object) => {
            let mut keys: Vec<&String> = object.keys().collect();
            keys.sort();
            out.push('{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write(&object[key], &format!("{path}/{key}"), out)?;
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write(item, &format!("{path}/{index}"), out)?;
            }
            out.push(']');
        }
        Value::Number(number) => match number.as_i64() {
            Some(integer) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&integer) => {
                out.push_str(&integer.to_string());
            }
            _ => {
                return Err(format!(
                    "{path}: {number} is not an integer canonical JSON allows"
                ))
            }
        },
        Value::String(text) => write_string(text, out),
        Value::Bool(_) | Value::Null => out.push_str(&value.to_string()),
    }
    Ok(())
}

/// A JSON string: serde_json escapes exactly `"`, `\` and the control characters (with `\n`,
/// `\t` and the like where JSON has them), and writes everything else as it is.
fn write_string(text: &str, out: &mut String) {
    out.push_str(&Value::String(text.to_owned()).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    #[test]
    fn keys_are_sorted_by_code_point_at_every_level_and_nothing_is_spaced() {
        // Inserted out of order: the map keeps this order when `preserve_order` is on.
        let mut inner = Map::new();
        inner.insert("é".to_owned(), json!(1));
        inner.insert("b".to_owned(), json!([3, {"z": null, "a": true}]));
        inner.insert("B".to_owned(), json!("x"));
        let mut outer = Map::new();
        outer.insert("zeta".to_owned(), Value::Object(inner));
        outer.insert("alpha".to_owned(), json!(false));
        assert_eq!(
            canonical_json(&Value::Object(outer)).unwrap(),
            r#"{"alpha":false,"zeta":{"B":"x","b":[3,{"a":true,"z":null}],"é":1}}"#
        );
    }

    #[test]
    fn strings_have_the_shortest_escapes() {
        let value = json!({"s": "a \"quote\", a \\, a /, a\nnew line, \u{1} and 日本"});
        assert_eq!(
            canonical_json(&value).unwrap(),
            "{\"s\":\"a \\\"quote\\\", a \\\\, a /, a\\nnew line, \\u0001 and 日本\"}"
        );
    }

    #[test]
    fn only_integers_of_at_most_2_pow_53_minus_1_are_allowed() {
        assert_eq!(
            canonical_json(&json!([-9007199254740991_i64, 0, 9007199254740991_i64])).unwrap(),
            "[-9007199254740991,0,9007199254740991]"
        );
        assert_eq!(
            canonical_json(&json!({"a": [1.5]})).unwrap_err(),
            "/a/0: 1.5 is not an integer canonical JSON allows"
        );
        assert!(canonical_json(&json!(9007199254740992_i64)).is_err());
        assert!(canonical_json(&json!(u64::MAX)).is_err());
    }

    #[test]
    fn signing_leaves_out_the_top_level_signatures_and_unsigned() {
        let value = json!({
            "keys": {"ed25519:A": "key"},
            "signatures": {"@a:x": {"ed25519:A": "sig"}},
            "unsigned": {"age": 1},
            "inner": {"signatures": 1, "unsigned": 2},
        });
        assert_eq!(
            signing_json(&value).unwrap(),
            r#"{"inner":{"signatures":1,"unsigned":2},"keys":{"ed25519:A":"key"}}"#
        );
        assert!(signing_json(&json!([1])).is_err());
    }
}
