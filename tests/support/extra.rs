//! The fields a generated value keeps in its `extra` maps: those the spec's schemas do not
//! name, found in the value's `Debug` text.

/// The keys of the non-empty `extra` maps in the `Debug` text of a generated value, each with
/// the struct it is in: the fields the spec's schemas do not name. (`UnknownEvent`'s `extra`
/// is the rest of an event of an unknown type, not such fields.)
pub fn extra_fields(debug: &str) -> Vec<(String, String)> {
    enum Frame {
        Struct(String),
        Extra(String),
        Other,
    }
    let mut found = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let bytes = debug.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let key_of = match stack.last() {
                    Some(Frame::Extra(name))
                        if debug
                            .get(i + 1..)
                            .is_some_and(|rest| rest.starts_with(": ")) =>
                    {
                        Some(name)
                    }
                    _ => None,
                };
                if let Some(name) = key_of {
                    found.push((name.clone(), debug[start..i.min(debug.len())].to_owned()));
                }
            }
            b'{' => {
                let before = debug[..i].trim_end();
                let frame = if before.ends_with("extra:") {
                    match stack.iter().rev().find_map(|frame| match frame {
                        Frame::Struct(name) => Some(name),
                        _ => None,
                    }) {
                        Some(name) if name != "UnknownEvent" => Frame::Extra(name.clone()),
                        _ => Frame::Other,
                    }
                } else {
                    let word: String = before
                        .chars()
                        .rev()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let word: String = word.chars().rev().collect();
                    if word.starts_with(|c: char| c.is_ascii_uppercase()) {
                        Frame::Struct(word)
                    } else {
                        Frame::Other
                    }
                };
                stack.push(frame);
            }
            b'[' | b'(' => stack.push(Frame::Other),
            b'}' | b']' | b')' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_fields_are_found_with_their_struct() {
        let debug = r#"Ok(SyncResponseBody { next_batch: "s1", extra: {"org.example.new": Object {"a": String("}\"")}, "b": Number(1)}, rooms: Some(Rooms { join: None, extra: {} }) })"#;
        assert_eq!(
            extra_fields(debug),
            [
                ("SyncResponseBody".to_owned(), "org.example.new".to_owned()),
                ("SyncResponseBody".to_owned(), "b".to_owned())
            ]
        );
        assert!(extra_fields(
            r#"UnknownEvent { event_type: "x", extra: {"event_id": String("$a")} }"#
        )
        .is_empty());
    }
}
