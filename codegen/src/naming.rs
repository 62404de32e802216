//! Idiomatic Rust names for spec names, via heck.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Drops the `m.` namespace every spec-defined name carries: `m.relates_to` -> `relates_to`.
fn strip_namespace(name: &str) -> &str {
    name.strip_prefix("m.").unwrap_or(name)
}

/// The variant name of an HTTP status: its reason phrase (`429` -> `TooManyRequests`).
pub fn status_name(status: &str) -> String {
    let known = match status {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "NoContent",
        "301" => "MovedPermanently",
        "302" => "Found",
        "307" => "TemporaryRedirect",
        "308" => "PermanentRedirect",
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "409" => "Conflict",
        "410" => "Gone",
        "413" => "PayloadTooLarge",
        "415" => "UnsupportedMediaType",
        "429" => "TooManyRequests",
        "500" => "InternalServerError",
        "502" => "BadGateway",
        "503" => "ServiceUnavailable",
        "504" => "GatewayTimeout",
        "default" => "Other",
        other => return format!("Status{}", type_name(other)),
    };
    known.to_owned()
}

/// A type name: `m.call.reject` -> `CallReject`, `join_rule` -> `JoinRule`.
pub fn type_name(name: &str) -> String {
    let camel = strip_namespace(name).to_upper_camel_case();
    match camel.chars().next() {
        None => "Unnamed".to_owned(),
        Some(first) if first.is_ascii_digit() => format!("V{camel}"),
        // `self` upper-cased is the keyword `Self`.
        Some(_) if camel == "Self" => "SelfValue".to_owned(),
        Some(_) => camel,
    }
}

/// The name for a type first met as field `field` of a type named `parent`, without
/// stutter: (`RoomMember`, `membership`) -> `RoomMemberMembership`, (`Presence`, `presence`) -> `Presence`.
pub fn join_context(parent: &str, field: &str) -> String {
    let field = type_name(field);
    if parent.ends_with(&field) {
        parent.to_owned()
    } else {
        format!("{parent}{field}")
    }
}

/// A field name: `m.relates_to` -> `relates_to`, `type` -> `type_`, `sdpMLineIndex` -> `sdp_m_line_index`.
pub fn field_name(name: &str) -> String {
    let snake = strip_namespace(name).to_snake_case();
    if snake.is_empty() {
        "field".to_owned()
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{snake}")
    } else if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// A module name for a spec file (relative to `data/`):
/// `event-schemas/schema/core-event-schema/room_event.yaml` -> `core_event_schema_room_event`.
pub fn module_name(file: &str) -> String {
    module_name_of(file, true)
}

/// [`module_name`] with the `definitions/` folders of the path kept:
/// `api/client-server/definitions/room_summary.yaml` -> `client_server_definitions_room_summary`,
/// for a file whose [`module_name`] another file has.
pub fn module_name_keeping_folders(file: &str) -> String {
    module_name_of(file, false)
}

fn module_name_of(file: &str, drop_definitions: bool) -> String {
    let trimmed = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".json"))
        .unwrap_or(file);
    let trimmed = trimmed
        .strip_prefix("event-schemas/schema/")
        .or_else(|| trimmed.strip_prefix("event-schemas/"))
        .or_else(|| trimmed.strip_prefix("api/"))
        .unwrap_or(trimmed);
    let trimmed = if drop_definitions {
        trimmed.replace("/definitions/", "/")
    } else {
        trimmed.to_owned()
    };
    let snake = trimmed.replace('$', "_").to_snake_case();
    if snake.starts_with(|c: char| c.is_ascii_digit()) || KEYWORDS.contains(&snake.as_str()) {
        format!("m_{snake}")
    } else {
        snake
    }
}

/// The type name a schema `title` gives, when it is a name (`CallEvent`, `Event Receipts`)
/// rather than a sentence (`The first event in the room.`).
pub fn title_type_name(title: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let plain = words
        .iter()
        .all(|w| w.chars().all(|c| c.is_ascii_alphanumeric()));
    let starts_upper = title.starts_with(|c: char| c.is_ascii_uppercase());
    (plain && starts_upper && (1..=3).contains(&words.len())).then(|| {
        if words.len() == 1 {
            title.to_owned()
        } else {
            title.to_upper_camel_case()
        }
    })
}

/// Makes `candidate` unique among `taken` by appending 2, 3, ...; records the result.
pub fn unique(candidate: String, taken: &mut std::collections::HashSet<String>) -> String {
    if taken.insert(candidate.clone()) {
        return candidate;
    }
    (2..)
        .map(|n| format!("{candidate}{n}"))
        .find(|name| taken.insert(name.clone()))
        .expect("unbounded range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_like_hand_written_rust() {
        assert_eq!(type_name("m.call.reject"), "CallReject");
        assert_eq!(
            type_name("m.olm.v1.curve25519-aes-sha2"),
            "OlmV1Curve25519AesSha2"
        );
        assert_eq!(type_name("1.0"), "V10");
        assert_eq!(type_name("self"), "SelfValue");
        assert_eq!(field_name("m.relates_to"), "relates_to");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("sdpMLineIndex"), "sdp_m_line_index");
        assert_eq!(field_name("m.read.private"), "read_private");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(
            module_name("event-schemas/schema/m.room.message$m.text.yaml"),
            "m_room_message_m_text"
        );
        assert_eq!(
            module_name("event-schemas/schema/core-event-schema/room_event.yaml"),
            "core_event_schema_room_event"
        );
        assert_eq!(
            module_name("api/client-server/definitions/push_ruleset.yaml"),
            "client_server_push_ruleset"
        );
        assert_eq!(
            module_name_keeping_folders("api/client-server/definitions/room_summary.yaml"),
            "client_server_definitions_room_summary"
        );
    }

    #[test]
    fn context_names_do_not_stutter() {
        assert_eq!(
            join_context("RoomMember", "membership"),
            "RoomMemberMembership"
        );
        assert_eq!(join_context("Presence", "presence"), "Presence");
        assert_eq!(
            join_context("RoomGuestAccess", "guest_access"),
            "RoomGuestAccess"
        );
    }

    #[test]
    fn titles_that_are_sentences_are_not_names() {
        assert_eq!(title_type_name("CallEvent").as_deref(), Some("CallEvent"));
        assert_eq!(
            title_type_name("Event Receipts").as_deref(),
            Some("EventReceipts")
        );
        assert_eq!(title_type_name("The first event in the room."), None);
        assert_eq!(
            title_type_name("Informs the room as to which alias is the canonical one."),
            None
        );
        assert_eq!(title_type_name("lowercase"), None);
    }

    #[test]
    fn collisions_get_numbered_deterministically() {
        let mut taken = std::collections::HashSet::new();
        assert_eq!(unique("A".into(), &mut taken), "A");
        assert_eq!(unique("A".into(), &mut taken), "A2");
        assert_eq!(unique("A".into(), &mut taken), "A3");
    }
}
