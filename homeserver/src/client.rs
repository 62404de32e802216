//! A blocking client for 127.0.0.1: the `http::Request` a generated request builds goes out
//! as it is, and the answer comes back as the `http::Response` its response type reads.

use std::time::Duration;

use matrix_types::api::{FromHttpError, Request, Response};

use crate::Error;

/// The largest response body read (a `/sync` of a test's few rooms is far below).
const BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// How long one request may take, answer included (a long-polling `/sync` must ask for less).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Sends requests to one server on 127.0.0.1 over plain HTTP/1.1 (ureq, without TLS, proxies,
/// redirects or compression), reusing connections.
pub struct Client {
    agent: ureq::Agent,
    base_url: String,
}

/// One request and the answer to it, read as the operation's documented responses.
#[derive(Debug)]
pub struct Exchange<T> {
    /// The spec's `operationId`.
    pub operation: &'static str,
    pub method: http::Method,
    pub uri: http::Uri,
    pub request_body: Vec<u8>,
    /// The answer as the server sent it.
    pub response: http::Response<Vec<u8>>,
    /// The answer read by the operation's response type.
    pub read: Result<T, FromHttpError>,
}

impl<T> Exchange<T> {
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }
}

impl Client {
    /// A client for the server at `base_url`, which must be `http://127.0.0.1[:port]`.
    pub fn new(base_url: &str) -> Result<Client, Error> {
        let uri: http::Uri = base_url
            .parse()
            .map_err(|err| Error::new(format!("{base_url:?}: {err}")))?;
        check_local(&uri)?;
        let config = ureq::Agent::config_builder()
            // A 4xx or 5xx is an answer like any other: its response type reads it.
            .http_status_as_error(false)
            // Never through a proxy named in the environment, never elsewhere.
            .proxy(None)
            .max_redirects(0)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build();
        Ok(Client {
            agent: config.into(),
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `request` as it is (a body only when it has one) and reads the whole answer.
    pub fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        check_local(request.uri())?;
        let what = format!("{} {}", request.method(), request.uri());
        let (parts, body) = request.into_parts();
        let sent = if body.is_empty() {
            self.agent.run(http::Request::from_parts(parts, ()))
        } else {
            self.agent.run(http::Request::from_parts(parts, body))
        };
        let response = sent.map_err(|err| Error::new(format!("{what}: {err}")))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_vec()
            .map_err(|err| Error::new(format!("{what}: reading the answer: {err}")))?;
        Ok(http::Response::from_parts(parts, bytes))
    }

    /// Builds the request of `request` (with `access_token` as its bearer token, if any),
    /// sends it, and reads the answer through `R::Response`.
    pub fn call<R: Request>(
        &self,
        request: &R,
        access_token: Option<&str>,
    ) -> Result<Exchange<R::Response>, Error> {
        let operation = R::METADATA.operation_id;
        let http = request
            .try_into_http_request(&self.base_url, access_token)
            .map_err(|err| Error::new(format!("{operation}: the request is not built: {err}")))?;
        let method = http.method().clone();
        let uri = http.uri().clone();
        let request_body = http.body().clone();
        let response = self.send(http)?;
        let read = R::Response::try_from_http_response(&response);
        Ok(Exchange {
            operation,
            method,
            uri,
            request_body,
            response,
            read,
        })
    }
}

/// Only plain HTTP to 127.0.0.1 is allowed.
fn check_local(uri: &http::Uri) -> Result<(), Error> {
    if uri.scheme_str() == Some("http") && uri.host() == Some("127.0.0.1") {
        Ok(())
    } else {
        Err(Error::new(format!(
            "{uri}: this client speaks to http://127.0.0.1 only"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_to_127_0_0_1() {
        assert!(Client::new("http://127.0.0.1:8008").is_ok());
        for other in [
            "https://127.0.0.1:8008",
            "http://localhost:8008",
            "http://matrix.example.org",
            "http://10.0.0.1",
        ] {
            assert!(Client::new(other).is_err(), "{other}");
        }
        let client = Client::new("http://127.0.0.1:8008/").unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8008");
        let elsewhere = http::Request::get("http://example.org/")
            .body(Vec::new())
            .unwrap();
        assert!(client.send(elsewhere).is_err());
    }
}
