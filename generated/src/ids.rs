//! Validated strings for the string formats of the Matrix specification.
//!
//! The spec names these formats in `data/string-formats.yaml` (`mx-user-id`, `mx-room-id`,
//! …); each has a newtype here that can only hold a string of its format. The checks follow
//! the grammars of the spec's [appendices](https://spec.matrix.org/latest/appendices/) and
//! accept what a server must accept, including the historical forms of older room versions
//! and older servers, rather than only what a server may create today.
//!
//! Every type reads from a `&str` or a `String` through [`FromStr`] and [`TryFrom`], shows
//! as its string through [`Display`](fmt::Display), and is written to and read from JSON as a
//! plain string; reading an invalid string fails with an [`IdError`] that says why.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// The longest user ID, room ID, event ID or room alias, in bytes, including its sigil.
const MAX_ID_BYTES: usize = 255;

/// How many characters of a rejected string an [`IdError`] keeps.
const MAX_SHOWN_CHARS: usize = 80;

/// Why a check failed; mostly a fixed text, sometimes one that names a part of the input.
type Reason = Cow<'static, str>;

/// A string that is not of the format its type requires.
///
/// It shows as ``invalid {kind} `{value}`: {reason}``, where the value is cut to its first
/// 80 characters (and ends in `…` when cut) and its control characters are escaped, so that
/// huge or hostile input still makes a readable message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdError {
    kind: &'static str,
    value: String,
    reason: Reason,
}

impl IdError {
    fn new(kind: &'static str, value: &str, reason: Reason) -> Self {
        let mut shown = String::new();
        let mut chars = value.chars();
        for c in chars.by_ref().take(MAX_SHOWN_CHARS) {
            if c.is_control() {
                shown.extend(c.escape_debug());
            } else {
                shown.push(c);
            }
        }
        if chars.next().is_some() {
            shown.push('…');
        }
        IdError {
            kind,
            value: shown,
            reason,
        }
    }

    /// The kind of string that was expected, e.g. `user ID`.
    pub fn kind(&self) -> &str {
        self.kind
    }

    /// Why the string is not of that kind, e.g. `the localpart is empty`.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} `{}`: {}", self.kind, self.value, self.reason)
    }
}

impl std::error::Error for IdError {}

/// Defines a newtype over `String` whose values all pass `$check`, with the impls every
/// such type shares. `$kind` names the format in error messages.
macro_rules! string_format {
    ($(#[$attr:meta])* $name:ident, $kind:literal, $check:path) => {
        $(#[$attr])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The string.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The string, taken out of its wrapper.
            pub fn into_string(self) -> String {
                self.0
            }

            fn check(value: &str) -> Result<(), IdError> {
                $check(value).map_err(|reason| IdError::new($kind, value, reason))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(value: &str) -> Result<Self, IdError> {
                Self::check(value)?;
                Ok($name(value.to_owned()))
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(value: String) -> Result<Self, IdError> {
                Self::check(&value)?;
                Ok($name(value))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;

            fn try_from(value: &str) -> Result<Self, IdError> {
                value.parse()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FormatVisitor;

                impl Visitor<'_> for FormatVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a string that is a valid ", $kind))
                    }

                    fn visit_str<E: de::Error>(self, value: &str) -> Result<$name, E> {
                        value.parse().map_err(E::custom)
                    }

                    fn visit_string<E: de::Error>(self, value: String) -> Result<$name, E> {
                        $name::try_from(value).map_err(E::custom)
                    }
                }

                deserializer.deserialize_string(FormatVisitor)
            }
        }
    };
}

string_format! {
    /// A server name: `host[:port]`, e.g. `example.org`, `example.org:8448`, `1.2.3.4` or
    /// `[1234:5678::abcd]:8448`.
    ///
    /// The host is an IPv4 literal, an IPv6 literal in brackets or a DNS name of up to 255
    /// of the characters `A-Z a-z 0-9 - .`; the port has one to five digits and is at most
    /// 65535. See the [spec](https://spec.matrix.org/latest/appendices/#server-name).
    ServerName, "server name", check_server_name
}

impl ServerName {
    /// The host, with its brackets when it is an IPv6 literal, e.g. `[::1]`.
    pub fn host(&self) -> &str {
        split_server_name(&self.0).0
    }

    /// The port, if the server name has one.
    pub fn port(&self) -> Option<u16> {
        split_server_name(&self.0)
            .1
            .and_then(|port| port.parse().ok())
    }
}

string_format! {
    /// A user ID: `@localpart:server_name`, e.g. `@alice:example.org`; at most 255 bytes.
    ///
    /// The localpart may use the historical grammar (any printable ASCII character but `:`),
    /// which servers must still accept; [`is_historical`](UserId::is_historical) says whether
    /// it does. See the [spec](https://spec.matrix.org/latest/appendices/#user-identifiers).
    UserId, "user ID", check_user_id
}

impl UserId {
    /// The localpart, between the `@` and the first `:`.
    pub fn localpart(&self) -> &str {
        split_sigil_id(&self.0).0
    }

    /// The server name, after the first `:`.
    pub fn server_name(&self) -> &str {
        split_sigil_id(&self.0).1.unwrap_or_default()
    }

    /// Whether the localpart uses characters outside the current grammar
    /// (`a-z 0-9 . _ = - / +`), as user IDs made before it may.
    pub fn is_historical(&self) -> bool {
        !self.localpart().chars().all(is_current_user_char)
    }
}

string_format! {
    /// A room ID: `!` and an opaque part, at most 255 bytes.
    ///
    /// Rooms before room version 12 have IDs of the form `!opaque:server_name`; from version
    /// 12 on a room ID is `!` and the URL-safe unpadded Base64 of a hash, with no server name.
    /// See the [spec](https://spec.matrix.org/latest/appendices/#room-ids).
    RoomId, "room ID", check_room_id
}

impl RoomId {
    /// The server name after the first `:`, which room IDs before room version 12 have.
    pub fn server_name(&self) -> Option<&str> {
        split_sigil_id(&self.0).1
    }
}

string_format! {
    /// An event ID: `$` and an opaque part, at most 255 bytes.
    ///
    /// In room versions 1 and 2 event IDs are `$opaque:server_name`; later room versions use
    /// the Base64 of a hash, with no server name.
    /// See the [spec](https://spec.matrix.org/latest/appendices/#event-ids).
    EventId, "event ID", check_event_id
}

impl EventId {
    /// The server name after the first `:`, which event IDs of room versions 1 and 2 have.
    pub fn server_name(&self) -> Option<&str> {
        split_sigil_id(&self.0).1
    }
}

string_format! {
    /// A room alias: `#alias:server_name`, e.g. `#matrix:example.org`; at most 255 bytes.
    ///
    /// The alias part is not empty and holds no `:` and no NUL.
    /// See the [spec](https://spec.matrix.org/latest/appendices/#room-aliases).
    RoomAlias, "room alias", check_room_alias
}

impl RoomAlias {
    /// The alias part (the localpart), between the `#` and the first `:`.
    pub fn alias(&self) -> &str {
        split_sigil_id(&self.0).0
    }

    /// The server name, after the first `:`.
    pub fn server_name(&self) -> &str {
        split_sigil_id(&self.0).1.unwrap_or_default()
    }
}

string_format! {
    /// A Matrix content URI: `mxc://server_name/media_id`, e.g. `mxc://example.org/abc`.
    ///
    /// The media ID is not empty and uses only `A-Z a-z 0-9 _ -`. See the
    /// [spec](https://spec.matrix.org/latest/client-server-api/#matrix-content-mxc-uris).
    MxcUri, "MXC URI", check_mxc_uri
}

impl MxcUri {
    /// The server name, between `mxc://` and the next `/`.
    pub fn server_name(&self) -> &str {
        split_mxc_uri(&self.0).0
    }

    /// The media ID, after the server name and its `/`.
    pub fn media_id(&self) -> &str {
        split_mxc_uri(&self.0).1
    }
}

string_format! {
    /// Unpadded Base64: the standard Base64 alphabet (`A-Z a-z 0-9 + /`) without `=`
    /// padding. The empty string is valid.
    /// See the [spec](https://spec.matrix.org/latest/appendices/#unpadded-base64).
    UnpaddedBase64, "unpadded Base64", check_unpadded_base64
}

string_format! {
    /// URL-safe unpadded Base64: the URL-safe Base64 alphabet (`A-Z a-z 0-9 - _`) without
    /// `=` padding. The empty string is valid.
    /// See the [spec](https://spec.matrix.org/latest/appendices/#url-safe-unpadded-base64).
    UrlSafeUnpaddedBase64, "URL-safe unpadded Base64", check_url_safe_unpadded_base64
}

string_format! {
    /// A URI: a scheme (a letter, then letters, digits, `+`, `-` or `.`), a `:`, and the
    /// rest, with no whitespace or control characters.
    ///
    /// Only the scheme is checked in detail; see
    /// [RFC 3986](https://datatracker.ietf.org/doc/html/rfc3986#section-3).
    Uri, "URI", check_uri
}

impl Uri {
    /// The scheme, before the first `:`, e.g. `https`.
    pub fn scheme(&self) -> &str {
        self.0.split_once(':').map_or("", |(scheme, _)| scheme)
    }
}

string_format! {
    /// An email address: a local part, an `@` and a domain, neither part empty and no
    /// whitespace or control characters.
    ///
    /// The split is at the last `@`, since a quoted local part may hold `@` itself; beyond
    /// that the address is not checked. See
    /// [RFC 5321](https://datatracker.ietf.org/doc/html/rfc5321#section-4.1.2).
    EmailAddress, "email address", check_email_address
}

/// Splits a server name into its host and the digits of its port, if any. For a valid
/// server name the port is the text after the IPv6 literal's `]`, or after the first `:`.
fn split_server_name(value: &str) -> (&str, Option<&str>) {
    let host_end = if value.starts_with('[') {
        value.find(']').map_or(value.len(), |end| end + 1)
    } else {
        colon(value).unwrap_or(value.len())
    };
    let (host, rest) = value.split_at(host_end);
    (host, rest.strip_prefix(':'))
}

/// The index of the first `:` of `value`: a byte loop, faster than `str::find` on IDs this
/// short.
fn colon(value: &str) -> Option<usize> {
    value.bytes().position(|b| b == b':')
}

/// Splits `<sigil>localpart[:server_name]` at the first `:`.
fn split_sigil_id(value: &str) -> (&str, Option<&str>) {
    let rest = value.get(1..).unwrap_or_default();
    match colon(rest) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    }
}

/// Splits `mxc://server_name/media_id` into its server name and media ID.
fn split_mxc_uri(value: &str) -> (&str, &str) {
    let rest = value.strip_prefix("mxc://").unwrap_or(value);
    rest.split_once('/').unwrap_or((rest, ""))
}

fn check_server_name(value: &str) -> Result<(), Reason> {
    if value.is_empty() {
        return Err("it is empty".into());
    }
    if value.starts_with('[') && !value.contains(']') {
        return Err("the IPv6 literal has no closing `]`".into());
    }
    let (host, port) = split_server_name(value);
    if let Some(literal) = host.strip_prefix('[') {
        let literal = literal.strip_suffix(']').unwrap_or(literal);
        if !(2..=45).contains(&literal.len()) {
            return Err("the IPv6 literal is not 2 to 45 characters long".into());
        }
        if !literal
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(
                "the IPv6 literal has characters other than hex digits, `:` and `.`".into(),
            );
        }
    } else if !is_ipv4_literal(host) {
        // Every IPv4 literal is also made of DNS name characters, so a string like
        // `256.0.0.1` is still accepted, as a DNS name, just as the spec's grammar does.
        if host.is_empty() {
            return Err("the host is empty".into());
        }
        if host.len() > 255 {
            return Err("the DNS name is longer than 255 characters".into());
        }
        if let Some(c) = first_not(host, |b| {
            b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
        }) {
            return Err(
                format!("the host has the character {c:?}, not allowed in a DNS name").into(),
            );
        }
    }
    match port {
        None if host.len() < value.len() => Err("there is text after the IPv6 literal".into()),
        None => Ok(()),
        Some(port) => {
            if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err("the port is not 1 to 5 digits".into());
            }
            if port.parse::<u16>().is_err() {
                return Err("the port is greater than 65535".into());
            }
            Ok(())
        }
    }
}

/// Whether `host` is four dot-separated decimal octets, each 0 to 255.
fn is_ipv4_literal(host: &str) -> bool {
    // Most hosts are DNS names: out at their first letter, before splitting.
    if host.len() > 15 || !host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return false;
    }
    let mut octets = 0;
    for octet in host.split('.') {
        octets += 1;
        let digits_ok = (1..=3).contains(&octet.len()) && octet.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok || octet.parse::<u8>().is_err() {
            return false;
        }
    }
    octets == 4
}

/// Checks the shared frame of the sigil IDs: the sigil, the length limit, and a server name
/// after the first `:` if `server` says there is or may be one. Returns the localpart.
fn check_sigil_id(value: &str, sigil: char, server: ServerPart) -> Result<&str, Reason> {
    let Some(rest) = value.strip_prefix(sigil) else {
        return Err(format!("it does not start with `{sigil}`").into());
    };
    if value.len() > MAX_ID_BYTES {
        return Err(format!("it is longer than {MAX_ID_BYTES} bytes").into());
    }
    let (local, server_name) = match colon(rest) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    if local.is_empty() {
        return Err(match server {
            ServerPart::Required => "the localpart is empty".into(),
            ServerPart::Optional => "the opaque part is empty".into(),
        });
    }
    match server_name {
        Some(server_name) => check_server_name(server_name)
            .map_err(|reason| format!("the server name `{server_name}` is invalid: {reason}"))?,
        None if server == ServerPart::Required => {
            return Err("there is no `:` before a server name".into())
        }
        None => {}
    }
    Ok(local)
}

/// Whether a sigil ID must have a server name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ServerPart {
    Required,
    Optional,
}

fn check_user_id(value: &str) -> Result<(), Reason> {
    let local = check_sigil_id(value, '@', ServerPart::Required)?;
    // The historical user ID grammar: `%x21-39 / %x3B-7E`.
    match first_not(local, |b| matches!(b, 0x21..=0x39 | 0x3B..=0x7E)) {
        Some(c) => Err(format!("the localpart has the character {c:?}").into()),
        None => Ok(()),
    }
}

/// The first character of `value` that is not an ASCII character `allowed` accepts. Checked
/// byte by byte (a byte of a non-ASCII character is never ASCII, so never allowed); the
/// character is decoded only when there is one to name.
fn first_not(value: &str, allowed: impl Fn(u8) -> bool) -> Option<char> {
    let at = value.bytes().position(|b| !(b.is_ascii() && allowed(b)))?;
    value[at..].chars().next()
}

/// A character of the current user ID grammar: `a-z 0-9 . _ = - / +`.
fn is_current_user_char(c: char) -> bool {
    matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '=' | '-' | '/' | '+')
}

fn check_room_id(value: &str) -> Result<(), Reason> {
    check_sigil_id(value, '!', ServerPart::Optional)?;
    Ok(())
}

fn check_event_id(value: &str) -> Result<(), Reason> {
    check_sigil_id(value, '$', ServerPart::Optional)?;
    Ok(())
}

fn check_room_alias(value: &str) -> Result<(), Reason> {
    let local = check_sigil_id(value, '#', ServerPart::Required)?;
    if local.contains('\0') {
        return Err("the alias has a NUL character".into());
    }
    Ok(())
}

fn check_mxc_uri(value: &str) -> Result<(), Reason> {
    let Some(rest) = value.strip_prefix("mxc://") else {
        return Err("it does not start with `mxc://`".into());
    };
    let Some((server_name, media_id)) = rest.split_once('/') else {
        return Err("there is no `/` before a media ID".into());
    };
    check_server_name(server_name)
        .map_err(|reason| format!("the server name `{server_name}` is invalid: {reason}"))?;
    if media_id.is_empty() {
        return Err("the media ID is empty".into());
    }
    match first_not(media_id, |b| {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    }) {
        Some(c) => Err(format!("the media ID has the character {c:?}").into()),
        None => Ok(()),
    }
}

fn check_base64(value: &str, extra: [char; 2]) -> Result<(), Reason> {
    if let Some(c) = first_not(value, |b| {
        b.is_ascii_alphanumeric() || extra.contains(&char::from(b))
    }) {
        return Err(format!("it has the character {c:?}").into());
    }
    if value.len() % 4 == 1 {
        return Err("its length leaves a remainder of 1 when divided by 4".into());
    }
    Ok(())
}

fn check_unpadded_base64(value: &str) -> Result<(), Reason> {
    check_base64(value, ['+', '/'])
}

fn check_url_safe_unpadded_base64(value: &str) -> Result<(), Reason> {
    check_base64(value, ['-', '_'])
}

/// Rejects whitespace and control characters, which no URI or email address may hold.
fn check_no_space_or_control(value: &str) -> Result<(), Reason> {
    match value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        Some(c) => Err(format!("it has the character {c:?}").into()),
        None => Ok(()),
    }
}

fn check_uri(value: &str) -> Result<(), Reason> {
    let Some((scheme, _)) = value.split_once(':') else {
        return Err("there is no `:` after a scheme".into());
    };
    let mut chars = scheme.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err("the scheme does not start with a letter".into());
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return Err(
            "the scheme has characters other than letters, digits, `+`, `-` and `.`".into(),
        );
    }
    check_no_space_or_control(value)
}

fn check_email_address(value: &str) -> Result<(), Reason> {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Err("there is no `@`".into());
    };
    if local.is_empty() {
        return Err("the local part is empty".into());
    }
    if domain.is_empty() {
        return Err("the domain is empty".into());
    }
    check_no_space_or_control(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T: FromStr<Err = IdError>>(value: &str) -> T {
        match value.parse() {
            Ok(parsed) => parsed,
            Err(err) => panic!("{value:?} should be valid: {err}"),
        }
    }

    fn rejected<T: FromStr<Err = IdError> + fmt::Debug>(value: &str) -> IdError {
        match value.parse::<T>() {
            Ok(parsed) => panic!("{value:?} should be invalid, got {parsed:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn server_name_hosts_and_ports() {
        for (value, host, port) in [
            ("example.org", "example.org", None),
            ("example.org:8448", "example.org", Some(8448)),
            ("localhost:0", "localhost", Some(0)),
            (
                "matrix-1.example.org:65535",
                "matrix-1.example.org",
                Some(65535),
            ),
            ("1.2.3.4", "1.2.3.4", None),
            ("255.255.255.255:1", "255.255.255.255", Some(1)),
            ("[::1]", "[::1]", None),
            ("[1234:5678::abcd]:8448", "[1234:5678::abcd]", Some(8448)),
            ("[::ffff:1.2.3.4]:80", "[::ffff:1.2.3.4]", Some(80)),
        ] {
            let name: ServerName = ok(value);
            assert_eq!(name.host(), host, "{value}");
            assert_eq!(name.port(), port, "{value}");
        }
    }

    #[test]
    fn server_name_rejections() {
        for value in [
            "",
            ":8448",
            "example.org:",
            "example.org:99999",
            "example.org:123456",
            "example.org:80a",
            "example.org:80:80",
            "exa mple.org",
            "exa_mple.org",
            "ex\u{e4}mple.org",
            "[::1",
            "[:]",
            "[::1]x",
            "[::1]:",
            "[::g]",
            "[]",
        ] {
            rejected::<ServerName>(value);
        }
        for value in ["example.org:", "example.org:80:80"] {
            let reason = rejected::<ServerName>(value).reason().to_owned();
            assert_eq!(reason, "the port is not 1 to 5 digits", "{value}");
        }
        rejected::<ServerName>(&format!("{}.org", "a".repeat(252)));
        ok::<ServerName>(&format!("{}.org", "a".repeat(251)));
        rejected::<ServerName>(&format!("[{}]", "1".repeat(46)));
        ok::<ServerName>(&format!("[{}]", "1".repeat(45)));
    }

    #[test]
    fn server_name_ipv4_like_dns_names_follow_the_spec_grammar() {
        // The grammar's dns-name covers every string of digits and dots, so an out-of-range
        // "IPv4 literal" is still a valid server name.
        assert!(is_ipv4_literal("0.0.0.0"));
        assert!(!is_ipv4_literal("256.0.0.1"));
        assert!(!is_ipv4_literal("1.2.3"));
        assert!(!is_ipv4_literal("1.2.3.4.5"));
        assert!(!is_ipv4_literal("1..3.4"));
        assert_eq!(ok::<ServerName>("256.0.0.1").host(), "256.0.0.1");
    }

    #[test]
    fn user_id_parts() {
        let id: UserId = ok("@alice:example.org");
        assert_eq!(id.localpart(), "alice");
        assert_eq!(id.server_name(), "example.org");
        assert!(!id.is_historical());

        let id: UserId = ok("@a.b_c=d-e/f+0:example.org:8448");
        assert_eq!(id.localpart(), "a.b_c=d-e/f+0");
        assert_eq!(id.server_name(), "example.org:8448");
        assert!(!id.is_historical());

        let id: UserId = ok("@a:[::1]:8448");
        assert_eq!(id.localpart(), "a");
        assert_eq!(id.server_name(), "[::1]:8448");
    }

    #[test]
    fn user_id_historical_localparts() {
        let id: UserId = ok("@Alice=Smith!:example.org");
        assert_eq!(id.localpart(), "Alice=Smith!");
        assert!(id.is_historical());
        let id: UserId = ok("@!\"#~:example.org");
        assert!(id.is_historical());
        for value in [
            "@al ice:example.org",
            "@al\u{7f}ice:example.org",
            "@al\u{e9}:example.org",
            "@al\tice:example.org",
        ] {
            let err = rejected::<UserId>(value);
            assert!(err.reason().contains("localpart"), "{err}");
        }
    }

    #[test]
    fn user_id_rejections() {
        for value in [
            "",
            "alice:example.org",
            "!alice:example.org",
            "@:example.org",
            "@alice",
            "@alice:",
            "@alice:exa mple.org",
            "@alice:example.org:99999",
        ] {
            let err = rejected::<UserId>(value);
            assert_eq!(err.kind(), "user ID");
        }
    }

    #[test]
    fn user_id_length_limit() {
        let server = ":example.org";
        let at_limit = format!("@{}{server}", "a".repeat(255 - 1 - server.len()));
        assert_eq!(at_limit.len(), 255);
        ok::<UserId>(&at_limit);

        let too_long = format!("@{}{server}", "a".repeat(300 - 1 - server.len()));
        assert_eq!(too_long.len(), 300);
        let err = rejected::<UserId>(&too_long);
        assert!(err.reason().contains("255 bytes"), "{err}");
    }

    #[test]
    fn room_ids() {
        let v12: RoomId = ok("!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM");
        assert_eq!(v12.server_name(), None);
        let old: RoomId = ok("!opaque:example.org:8448");
        assert_eq!(old.server_name(), Some("example.org:8448"));
        for value in [
            "",
            "!",
            "!:example.org",
            "!abc:",
            "!abc:exa mple.org",
            "$abc:example.org",
            "abc",
        ] {
            rejected::<RoomId>(value);
        }
        ok::<RoomId>(&format!("!{}", "a".repeat(254)));
        rejected::<RoomId>(&format!("!{}", "a".repeat(255)));
    }

    #[test]
    fn event_ids() {
        let v1: EventId = ok("$143273582443PhrSn:example.org");
        assert_eq!(v1.server_name(), Some("example.org"));
        let v3: EventId = ok("$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk");
        assert_eq!(v3.server_name(), None);
        let v4: EventId = ok("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg");
        assert_eq!(v4.server_name(), None);
        for value in ["", "$", "$:example.org", "$abc:", "$abc:bad host", "!abc"] {
            rejected::<EventId>(value);
        }
        rejected::<EventId>(&format!("${}", "a".repeat(255)));
    }

    #[test]
    fn room_aliases() {
        let alias: RoomAlias = ok("#room:example.org");
        assert_eq!(alias.alias(), "room");
        assert_eq!(alias.server_name(), "example.org");
        let alias: RoomAlias = ok("#Caf\u{e9} \u{1F600}!:example.org:8448");
        assert_eq!(alias.alias(), "Caf\u{e9} \u{1F600}!");
        assert_eq!(alias.server_name(), "example.org:8448");
        for value in [
            "",
            "#",
            "#room",
            "#:example.org",
            "#room:",
            "#ro\0om:example.org",
            "#room:exa mple.org",
            "@room:example.org",
        ] {
            rejected::<RoomAlias>(value);
        }
        rejected::<RoomAlias>(&format!("#{}:example.org", "a".repeat(250)));
    }

    #[test]
    fn mxc_uris() {
        let uri: MxcUri = ok("mxc://example.org/abc");
        assert_eq!(uri.server_name(), "example.org");
        assert_eq!(uri.media_id(), "abc");
        let uri: MxcUri = ok("mxc://[::1]:8448/AQwafuaFswefuhsfAFAgsw_-9");
        assert_eq!(uri.server_name(), "[::1]:8448");
        assert_eq!(uri.media_id(), "AQwafuaFswefuhsfAFAgsw_-9");
        for value in [
            "",
            "mxc://example.org",
            "mxc://example.org/",
            "mxc:///abc",
            "mxc://example.org/a/b",
            "mxc://example.org/a.b",
            "mxc://exa mple.org/abc",
            "mxc:/example.org/abc",
            "https://example.org/abc",
        ] {
            rejected::<MxcUri>(value);
        }
    }

    #[test]
    fn base64() {
        for value in ["", "QQ", "QUI", "QUJD", "a+/b", "abcde+/"] {
            ok::<UnpaddedBase64>(value);
        }
        for value in ["Q", "QUJDR", "QQ==", "a-_b", "ab c"] {
            rejected::<UnpaddedBase64>(value);
        }
        for value in ["", "QQ", "QUI", "QUJD", "a-_b", "abcde-_"] {
            ok::<UrlSafeUnpaddedBase64>(value);
        }
        for value in ["Q", "QUJDR", "QQ==", "a+/b", "ab c"] {
            rejected::<UrlSafeUnpaddedBase64>(value);
        }
    }

    #[test]
    fn uris() {
        for (value, scheme) in [
            ("https://example.org/path?q=1#frag", "https"),
            ("mailto:alice@example.org", "mailto"),
            ("urn:isbn:0451450523", "urn"),
            ("a+b-c.d1:", "a+b-c.d1"),
        ] {
            assert_eq!(ok::<Uri>(value).scheme(), scheme);
        }
        for value in [
            "",
            "example.org",
            ":foo",
            "1http://example.org",
            "ht_tp://example.org",
            "https://exa mple.org",
            "https://example.org/\n",
            "https://example.org/\u{0}",
        ] {
            rejected::<Uri>(value);
        }
    }

    #[test]
    fn email_addresses() {
        for value in [
            "alice@example.org",
            "\"a@b\"@example.org",
            "a@b@example.org",
            "@alice@example.org",
        ] {
            ok::<EmailAddress>(value);
        }
        for value in [
            "",
            "alice",
            "@example.org",
            "alice@",
            "alice@example.org@",
            "al ice@example.org",
            "alice@exa\tmple.org",
            "alice@example.org\r",
        ] {
            rejected::<EmailAddress>(value);
        }
    }

    #[test]
    fn shared_impls() {
        let id = UserId::try_from("@alice:example.org").unwrap();
        assert_eq!(id.as_str(), "@alice:example.org");
        assert_eq!(id.to_string(), "@alice:example.org");
        assert_eq!(format!("{id:?}"), r#"UserId("@alice:example.org")"#);
        assert_eq!(id, "@alice:example.org");
        assert_eq!(&id, "@alice:example.org");
        assert_eq!(AsRef::<str>::as_ref(&id), "@alice:example.org");
        assert_eq!(
            UserId::try_from(String::from("@alice:example.org")).unwrap(),
            id
        );
        assert_eq!(String::from(id.clone()), "@alice:example.org");
        assert_eq!(id.into_string(), "@alice:example.org");
        assert!(UserId::try_from(String::from("@alice")).is_err());
    }

    #[test]
    fn error_messages() {
        let err = rejected::<UserId>("@:example.org");
        assert_eq!(err.kind(), "user ID");
        assert_eq!(err.reason(), "the localpart is empty");
        assert_eq!(
            err.to_string(),
            "invalid user ID `@:example.org`: the localpart is empty"
        );

        let huge = format!("@{}", "\u{e9}".repeat(10_000));
        let message = rejected::<UserId>(&huge).to_string();
        let shown = format!("`@{}…`", "\u{e9}".repeat(MAX_SHOWN_CHARS - 1));
        assert!(message.contains(&shown), "{message}");
        assert!(message.chars().count() < 200, "{message}");

        let err = rejected::<Uri>("https://a\n\u{1b}[31m");
        assert!(
            err.to_string().contains(r"`https://a\n\u{1b}[31m`"),
            "{err}"
        );

        let exact = "@".repeat(MAX_SHOWN_CHARS);
        assert!(rejected::<UserId>(&exact)
            .to_string()
            .contains(&format!("`{exact}`")));
    }

    #[test]
    fn serde_round_trip() {
        #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
        struct Ids {
            user: UserId,
            room: RoomId,
            event: EventId,
            alias: RoomAlias,
            server: ServerName,
            mxc: MxcUri,
            key: UnpaddedBase64,
            hash: UrlSafeUnpaddedBase64,
            uri: Uri,
            email: EmailAddress,
        }

        let json = serde_json::json!({
            "user": "@alice:example.org",
            "room": "!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM",
            "event": "$abc:example.org",
            "alias": "#room:example.org",
            "server": "example.org:8448",
            "mxc": "mxc://example.org/abc",
            "key": "a+/b",
            "hash": "a-_b",
            "uri": "https://example.org",
            "email": "alice@example.org",
        });
        let ids: Ids = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(ids.user, "@alice:example.org");
        assert_eq!(ids.mxc.media_id(), "abc");
        assert_eq!(serde_json::to_value(&ids).unwrap(), json);

        // `from_value` hands the visitor owned strings; `from_str` borrowed ones, or copied
        // ones when the JSON string has escapes.
        let text = serde_json::to_string(&ids).unwrap();
        assert_eq!(serde_json::from_str::<Ids>(&text).unwrap(), ids);
        let borrowed: UserId = serde_json::from_str(r#""@alice:example.org""#).unwrap();
        let escaped: UserId = serde_json::from_str(r#""@alice\u003aexample.org""#).unwrap();
        assert_eq!(borrowed, escaped);
    }

    #[test]
    fn serde_rejects_invalid_strings() {
        let err = serde_json::from_str::<UserId>(r#""@alice:exa mple.org""#).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("invalid user ID `@alice:exa mple.org`"),
            "{message}"
        );

        let err = serde_json::from_value::<RoomId>(serde_json::json!("#room:x")).unwrap_err();
        assert!(err.to_string().contains("`#room:x`"), "{err}");

        let err = serde_json::from_value::<MxcUri>(serde_json::json!(5)).unwrap_err();
        assert!(err.to_string().contains("a valid MXC URI"), "{err}");
    }
}
