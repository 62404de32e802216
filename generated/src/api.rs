//! What every generated API operation shares: its metadata, and turning its request into an
//! [`http::Request`] and an [`http::Response`] into its response.
//!
//! Each operation of the spec has a request struct (path, query and header parameters, and
//! the body) implementing [`Request`], and an enum of its documented responses implementing
//! [`Response`], one variant per status code.
//!
//! # Errors
//!
//! Every API answers errors with the spec's standard error response ([`StandardError`]: an
//! [`ErrorCode`], a message, and any other key kept). A status the operation documents reads
//! as its variant, with the body the spec gives it (the standard error, where it gives none).
//! A status it does not document is an error of reading: [`FromHttpError::Matrix`] for an
//! error status (4xx, 5xx) whose body is the standard error response, which is how servers
//! answer what the spec leaves to them (a `400 M_BAD_JSON`, a `403 M_FORBIDDEN`), else
//! [`FromHttpError::UnexpectedStatus`] with the body as received.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub use crate::common::{ErrorCode, StandardError};

/// What the spec says about an operation, besides its parameters and bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    /// The HTTP method, uppercase.
    pub method: &'static str,
    /// The path template, base path included: `/_matrix/client/v3/rooms/{roomId}/join`.
    pub path: &'static str,
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The security schemes any one of which the server accepts (`accessTokenBearer`,
    /// `signedRequest`, ...); empty when the operation needs no authentication.
    pub authentication: &'static [&'static str],
    /// The server also accepts the request without authentication.
    pub authentication_optional: bool,
    /// The server may answer `429 Too Many Requests`.
    pub rate_limited: bool,
    pub deprecated: bool,
    /// The spec version that added the operation, when the spec says.
    pub added_in: Option<&'static str>,
    /// The spec versions that changed it (what changed is in the type's documentation).
    pub changed_in: &'static [&'static str],
}

impl Metadata {
    /// Whether a request must carry credentials.
    pub fn requires_authentication(&self) -> bool {
        !self.authentication.is_empty() && !self.authentication_optional
    }
}

/// A request of an API operation.
pub trait Request {
    /// The responses the spec documents for it.
    type Response: Response;
    const METADATA: Metadata;

    /// Puts the parameters and body into `parts`.
    fn write_parts(&self, parts: &mut RequestParts) -> Result<(), IntoHttpError>;

    /// The request to send to the server at `base_url` (`https://matrix.example.org`), with
    /// `access_token`, if any, as a bearer token.
    fn try_into_http_request(
        &self,
        base_url: &str,
        access_token: Option<&str>,
    ) -> Result<http::Request<Vec<u8>>, IntoHttpError> {
        let metadata = Self::METADATA;
        if access_token.is_none() && metadata.requires_authentication() {
            return Err(IntoHttpError::NeedsAuthentication(metadata.operation_id));
        }
        let mut parts = RequestParts::new(metadata.path);
        self.write_parts(&mut parts)?;
        let mut uri = format!("{}{}", base_url.trim_end_matches('/'), parts.filled_path()?);
        if !parts.query.is_empty() {
            let pairs: Vec<String> = parts
                .query
                .iter()
                .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
                .collect();
            uri.push('?');
            uri.push_str(&pairs.join("&"));
        }
        let mut builder = http::Request::builder().method(metadata.method).uri(uri);
        if let Some(token) = access_token {
            builder = builder.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if parts.json_body {
            builder = builder.header(http::header::CONTENT_TYPE, "application/json");
        }
        for (name, value) in &parts.headers {
            builder = builder.header(*name, value);
        }
        builder
            .body(parts.body)
            .map_err(|err| IntoHttpError::Http(err.to_string()))
    }
}

/// The headers of a response, as the `http` crate holds them.
pub use http::HeaderMap;

/// The headers (name, value) and body a response is sent with.
pub type ResponseParts = (Vec<(&'static str, String)>, Vec<u8>);

/// The documented responses of an API operation, one variant per status code.
pub trait Response: Sized {
    /// Reads the headers and body of a response with `status`.
    fn from_parts(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<Self, FromHttpError>;

    /// The status code this response is sent with.
    fn status(&self) -> u16;

    /// The headers the spec names for this response, and the body.
    fn to_parts(&self) -> Result<ResponseParts, IntoHttpError>;

    /// Reads an HTTP response.
    fn try_from_http_response<B: AsRef<[u8]>>(
        response: &http::Response<B>,
    ) -> Result<Self, FromHttpError> {
        Self::from_parts(
            response.status().as_u16(),
            response.headers(),
            response.body().as_ref(),
        )
    }

    /// The HTTP response a server sends.
    fn try_into_http_response(&self) -> Result<http::Response<Vec<u8>>, IntoHttpError> {
        let (headers, body) = self.to_parts()?;
        let mut builder = http::Response::builder().status(self.status());
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        builder
            .body(body)
            .map_err(|err| IntoHttpError::Http(err.to_string()))
    }
}

/// A request being put together: the path template filled in, the query, headers and body.
#[derive(Debug, Default)]
pub struct RequestParts {
    template: &'static str,
    filled: Vec<(&'static str, String)>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    json_body: bool,
}

impl RequestParts {
    fn new(template: &'static str) -> Self {
        RequestParts {
            template,
            ..RequestParts::default()
        }
    }

    /// The path parameter `{name}`: its text, percent-encoded. An optional one left out
    /// (`None`) leaves its segment empty: the spec marked a few path parameters optional (the
    /// deprecated `keyId` of `GET /_matrix/key/v2/server/{keyId}` until v1.6), and says that
    /// the path then ends with the slash before it.
    pub fn path<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), IntoHttpError> {
        match texts(name, value)?.as_slice() {
            [] => {
                self.filled.push((name, String::new()));
                Ok(())
            }
            [one] => {
                self.filled.push((name, encode(one)));
                Ok(())
            }
            _ => Err(IntoHttpError::Parameter {
                name,
                message: "a path parameter takes one value".into(),
            }),
        }
    }

    /// A query parameter: absent when `None`, repeated for each item of a list.
    pub fn query<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), IntoHttpError> {
        for text in texts(name, value)? {
            self.query.push((name, text));
        }
        Ok(())
    }

    /// A header: absent when `None`.
    pub fn header<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), IntoHttpError> {
        for text in texts(name, value)? {
            self.headers.push((name, text));
        }
        Ok(())
    }

    /// The body, as JSON.
    pub fn json_body<T: Serialize>(&mut self, body: &T) -> Result<(), IntoHttpError> {
        self.body = serde_json::to_vec(body).map_err(|err| IntoHttpError::Json(err.to_string()))?;
        self.json_body = true;
        Ok(())
    }

    /// The body, as bytes (an upload).
    pub fn bytes_body(&mut self, body: &[u8]) {
        self.body = body.to_vec();
    }

    /// The template with every `{name}` replaced; an error names a parameter left unfilled.
    fn filled_path(&self) -> Result<String, IntoHttpError> {
        let mut path = String::with_capacity(self.template.len());
        let mut rest = self.template;
        while let Some(start) = rest.find('{') {
            let Some(length) = rest[start..].find('}') else {
                break;
            };
            let name = &rest[start + 1..start + length];
            let value = self
                .filled
                .iter()
                .find(|(filled, _)| *filled == name)
                .map(|(_, value)| value)
                .ok_or_else(|| IntoHttpError::Parameter {
                    name: "path",
                    message: format!("no value for `{{{name}}}`"),
                })?;
            path.push_str(&rest[..start]);
            path.push_str(value);
            rest = &rest[start + length + 1..];
        }
        path.push_str(rest);
        Ok(path)
    }
}

/// The texts of a parameter value: none for `null`, one per item of a list, strings as they
/// are, numbers and booleans as JSON writes them, objects as JSON text.
fn texts<T: Serialize>(name: &'static str, value: &T) -> Result<Vec<String>, IntoHttpError> {
    let value = serde_json::to_value(value).map_err(|err| IntoHttpError::Parameter {
        name,
        message: err.to_string(),
    })?;
    let text = |value: Value| match value {
        Value::String(text) => text,
        other => other.to_string(),
    };
    Ok(match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.into_iter().map(text).collect(),
        other => vec![text(other)],
    })
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads a JSON body of a response with `status`; used by the generated [`Response`] impls.
pub fn json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, FromHttpError> {
    serde_json::from_slice(body).map_err(|err| FromHttpError::Body {
        status,
        message: err.to_string(),
    })
}

/// Writes a JSON body; used by the generated [`Response`] impls.
pub fn json_bytes<T: Serialize>(body: &T) -> Result<Vec<u8>, IntoHttpError> {
    serde_json::to_vec(body).map_err(|err| IntoHttpError::Json(err.to_string()))
}

/// The body of an error response that the spec documents without one (a `404` with a
/// description only, say). Servers answer errors with the standard error response all the
/// same, and a proxy or web server in front of them may answer with a page of its own: the
/// body is kept as it came, read as a [`StandardError`] where it is one, so that the
/// response written back is the one received.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody {
    /// No body at all.
    Empty,
    /// The standard error response.
    Matrix(Box<StandardError>),
    /// Anything else (an HTML page, JSON of another shape), as received.
    Other(Vec<u8>),
}

impl ErrorBody {
    /// Reads a body: empty, the standard error response, or anything else.
    pub fn read(body: &[u8]) -> ErrorBody {
        if body.is_empty() {
            return ErrorBody::Empty;
        }
        match serde_json::from_slice(body) {
            Ok(error) => ErrorBody::Matrix(Box::new(error)),
            Err(_) => ErrorBody::Other(body.to_vec()),
        }
    }

    /// The body as it is sent.
    pub fn to_bytes(&self) -> Result<Vec<u8>, IntoHttpError> {
        match self {
            ErrorBody::Empty => Ok(Vec::new()),
            ErrorBody::Matrix(error) => json_bytes(error),
            ErrorBody::Other(bytes) => Ok(bytes.clone()),
        }
    }

    /// The standard error response, if that is what the body is.
    pub fn matrix_error(&self) -> Option<&StandardError> {
        match self {
            ErrorBody::Matrix(error) => Some(error),
            _ => None,
        }
    }

    /// Its error code, if the body is the standard error response.
    pub fn errcode(&self) -> Option<&ErrorCode> {
        self.matrix_error().map(|error| &error.errcode)
    }
}

/// Reads the header `name` of a response with `status`, if it is there: its text as the
/// header's type (a string, or JSON such as a number).
pub fn header<T: DeserializeOwned>(
    status: u16,
    headers: &HeaderMap,
    name: &'static str,
) -> Result<Option<T>, FromHttpError> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let invalid = |message: String| FromHttpError::Header {
        status,
        name,
        message,
    };
    let text = value
        .to_str()
        .map_err(|_| invalid("not visible ASCII".to_owned()))?;
    match serde_json::from_value(Value::String(text.to_owned())) {
        Ok(read) => Ok(Some(read)),
        Err(as_string) => serde_json::from_str(text)
            .map(Some)
            .map_err(|_| invalid(as_string.to_string())),
    }
}

/// [`header`], for a header the spec requires.
pub fn required_header<T: DeserializeOwned>(
    status: u16,
    headers: &HeaderMap,
    name: &'static str,
) -> Result<T, FromHttpError> {
    header(status, headers, name)?.ok_or(FromHttpError::Header {
        status,
        name,
        message: "missing".to_owned(),
    })
}

/// Writes the header `name` of a response: nothing for `None`.
pub fn write_header<T: Serialize>(
    out: &mut Vec<(&'static str, String)>,
    name: &'static str,
    value: &T,
) -> Result<(), IntoHttpError> {
    for text in texts(name, value)? {
        out.push((name, text));
    }
    Ok(())
}

/// Why a request could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntoHttpError {
    /// The operation (named by its `operationId`) needs an access token.
    NeedsAuthentication(&'static str),
    /// A parameter cannot be written.
    Parameter {
        name: &'static str,
        message: String,
    },
    Json(String),
    /// The `http` crate refused the request (an invalid header value, say).
    Http(String),
}

impl fmt::Display for IntoHttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntoHttpError::NeedsAuthentication(operation) => {
                write!(f, "`{operation}` needs an access token")
            }
            IntoHttpError::Parameter { name, message } => {
                write!(f, "parameter `{name}`: {message}")
            }
            IntoHttpError::Json(message) => write!(f, "body: {message}"),
            IntoHttpError::Http(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for IntoHttpError {}

/// Why a response could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum FromHttpError {
    /// The spec documents no response with this status for the operation, and it is an error
    /// status (4xx, 5xx) whose body is the standard error response: the server's Matrix error,
    /// kept whole.
    Matrix {
        status: u16,
        error: Box<StandardError>,
    },
    /// The spec documents no response with this status for the operation (and it is not a
    /// Matrix error): the body as received.
    UnexpectedStatus { status: u16, body: Vec<u8> },
    /// The body does not match the documented type.
    Body { status: u16, message: String },
    /// A header the spec names is missing (when required) or not of its type.
    Header {
        status: u16,
        name: &'static str,
        message: String,
    },
}

impl FromHttpError {
    /// The error for a response with a status the operation does not document:
    /// [`FromHttpError::Matrix`] when the status is an error (4xx, 5xx) and the body reads as
    /// the standard error response, else [`FromHttpError::UnexpectedStatus`]. The generated
    /// [`Response`] impls answer such a status with it.
    pub fn undocumented(status: u16, body: &[u8]) -> FromHttpError {
        if (400..600).contains(&status) {
            if let Ok(error) = serde_json::from_slice::<StandardError>(body) {
                return FromHttpError::Matrix {
                    status,
                    error: Box::new(error),
                };
            }
        }
        FromHttpError::UnexpectedStatus {
            status,
            body: body.to_vec(),
        }
    }

    /// The Matrix error the server answered with, for a status the operation does not
    /// document ([`FromHttpError::Matrix`]).
    pub fn matrix_error(&self) -> Option<&StandardError> {
        match self {
            FromHttpError::Matrix { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for FromHttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FromHttpError::Matrix { status, error } => {
                write!(f, "the server answered {status} {}", error.errcode)?;
                match &error.error {
                    Some(message) => write!(f, ": {message}"),
                    None => Ok(()),
                }
            }
            FromHttpError::UnexpectedStatus { status, .. } => {
                write!(f, "status {status} is not a documented response")
            }
            FromHttpError::Body { status, message } => {
                write!(f, "the body of the {status} response: {message}")
            }
            FromHttpError::Header {
                status,
                name,
                message,
            } => write!(f, "the header `{name}` of the {status} response: {message}"),
        }
    }
}

impl std::error::Error for FromHttpError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_filled_in_and_percent_encoded() {
        let mut parts =
            RequestParts::new("/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}");
        parts.path("roomId", &"!a/b:example.org").unwrap();
        parts.path("eventType", &"m.room.name").unwrap();
        parts.path("stateKey", &"").unwrap();
        assert_eq!(
            parts.filled_path().unwrap(),
            "/_matrix/client/v3/rooms/%21a%2Fb%3Aexample.org/state/m.room.name/"
        );
    }

    #[test]
    fn an_optional_path_parameter_left_out_leaves_its_segment_empty() {
        let mut parts = RequestParts::new("/_matrix/key/v2/query/{serverName}/{keyId}");
        parts.path("serverName", &"example.org").unwrap();
        parts.path("keyId", &None::<String>).unwrap();
        assert_eq!(
            parts.filled_path().unwrap(),
            "/_matrix/key/v2/query/example.org/"
        );
        let err = parts.path("keyId", &["a", "b"]).unwrap_err();
        assert!(err.to_string().contains("one value"), "{err}");
    }

    #[test]
    fn an_unfilled_path_parameter_is_an_error() {
        let parts = RequestParts::new("/rooms/{roomId}");
        let err = parts.filled_path().unwrap_err();
        assert!(err.to_string().contains("{roomId}"), "{err}");
    }

    #[test]
    fn an_undocumented_status_is_a_matrix_error_only_for_an_error_status_with_a_standard_error() {
        let body = br#"{"errcode":"M_FORBIDDEN","error":"No.","soft_logout":true}"#;
        let FromHttpError::Matrix { status, error } = FromHttpError::undocumented(403, body) else {
            panic!("not a Matrix error");
        };
        assert_eq!(status, 403);
        assert_eq!(error.errcode, ErrorCode::Forbidden);
        assert_eq!(error.extra["soft_logout"], Value::Bool(true));
        for (status, body) in [
            (200, &body[..]),
            (399, &body[..]),
            (600, &body[..]),
            (404, &b"<html></html>"[..]),
            (404, &br#"{"error":"no code"}"#[..]),
            (404, &br#"{"errcode":5}"#[..]),
            (404, &b""[..]),
        ] {
            assert_eq!(
                FromHttpError::undocumented(status, body),
                FromHttpError::UnexpectedStatus {
                    status,
                    body: body.to_vec()
                },
                "{status} {}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn an_error_body_is_read_as_it_came_and_written_back_so() {
        let standard = br#"{"errcode":"COM.EXAMPLE_NOPE","error":"Nope."}"#;
        for body in [&b""[..], &standard[..], &b"Not Found"[..], &b"{}"[..]] {
            let read = ErrorBody::read(body);
            assert_eq!(read.to_bytes().unwrap(), body, "{read:?}");
        }
        assert_eq!(ErrorBody::read(b""), ErrorBody::Empty);
        assert_eq!(
            ErrorBody::read(standard).errcode(),
            Some(&ErrorCode::Other("COM.EXAMPLE_NOPE".to_owned()))
        );
        assert_eq!(ErrorBody::read(b"{}"), ErrorBody::Other(b"{}".to_vec()));
    }

    #[test]
    fn query_values_none_skipped_lists_repeated_scalars_as_text() {
        let mut parts = RequestParts::new("/");
        parts.query("limit", &Some(10)).unwrap();
        parts.query("from", &None::<String>).unwrap();
        parts.query("server_name", &vec!["a.org", "b.org"]).unwrap();
        parts.query("full", &true).unwrap();
        assert_eq!(
            parts.query,
            [
                ("limit", "10".to_owned()),
                ("server_name", "a.org".to_owned()),
                ("server_name", "b.org".to_owned()),
                ("full", "true".to_owned())
            ]
        );
    }
}
