//! Parses YAML text (JSON is YAML too) into JSON trees, with errors naming the file, line and
//! column: the one reader of text that the loader, the overrides and the spec sources share.

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location};

/// Parses YAML into a JSON tree; errors carry the line and column.
pub fn parse_yaml(file: &str, text: &str) -> Result<Value, Diagnostic> {
    serde_yaml::from_str::<Value>(text).map_err(|err| {
        let place = match err.location() {
            Some(at) => format!(" at line {}, column {}", at.line(), at.column()),
            None => String::new(),
        };
        Diagnostic::new(
            Location::new(file, ""),
            format!("malformed YAML{place}: {err}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_yaml_names_file_line_and_column() {
        let err = parse_yaml("x/bad.yaml", "a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert_eq!(err.location, Location::new("x/bad.yaml", ""));
        assert!(
            err.message.starts_with("malformed YAML at line "),
            "{}",
            err.message
        );
        assert!(err.message.contains("column"), "{}", err.message);
    }

    #[test]
    fn yaml_anchors_are_expanded() {
        let value = parse_yaml("f.yaml", "a: &x {type: string}\nb: *x\n").unwrap();
        assert_eq!(value["a"], value["b"]);
    }
}
