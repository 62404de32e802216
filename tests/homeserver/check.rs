//! What every step of the scenario checks, and the counts the report prints: each answer read
//! through its operation's response type and written back as the server sent it, each event
//! typed through its `Any…` enum (or its own type) and written back as received.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use homeserver::{Client, Exchange, Synapse};
use matrix_types::api::{ErrorBody, ErrorCode, FromHttpError, Request, Response};
use matrix_types::Raw;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tests::{debug_variants, extra_fields, json_diff};

/// The scenario's connection to the server and what it has seen so far.
pub struct Run<'a> {
    pub server: &'a Synapse,
    client: Client,
    pub ledger: Ledger,
    /// The last transaction ID given by [`Run::next_txn`].
    txn: usize,
}

/// The counts of the report, and the problems met (each a failure of the test).
#[derive(Default)]
pub struct Ledger {
    /// The operations exercised, by `operationId`, with how many requests each.
    pub operations: BTreeMap<&'static str, usize>,
    /// The operations answered with success (2xx) at least once.
    pub succeeded: BTreeSet<&'static str>,
    pub requests: usize,
    /// Answers read by their response type, and those written back as received.
    pub read: usize,
    pub lossless: usize,
    /// Events read through their types: of a known type, read as `Unknown` (kept whole), or
    /// not read; and those written back as received.
    pub events_typed: usize,
    pub events_unknown: usize,
    pub events_failed: usize,
    pub events_lossless: usize,
    /// The event types seen, and those read as `Unknown`.
    pub event_types: BTreeSet<String>,
    pub unknown_types: BTreeSet<String>,
    /// Fields the server sent that the spec's schemas do not name, kept in the `extra` map of
    /// the struct named: (struct, field) and how often.
    pub undocumented: BTreeMap<(String, String), usize>,
    /// Error answers read as the documented variant: step, status and error code (or what
    /// the answer is, when it is not a Matrix error).
    pub errors: Vec<String>,
    /// Error answers of a status the operation does not document, read as the Matrix error
    /// they are: step, status and error code.
    pub undocumented_errors: Vec<String>,
    pub problems: Vec<String>,
}

impl Ledger {
    pub fn events(&self) -> usize {
        self.events_typed + self.events_unknown + self.events_failed
    }
}

impl<'a> Run<'a> {
    pub fn new(server: &'a Synapse) -> Self {
        Run {
            server,
            client: Client::new(server.base_url()).unwrap_or_else(|err| panic!("{err}")),
            ledger: Ledger::default(),
            txn: 0,
        }
    }

    /// A transaction ID not used before in this run.
    pub fn next_txn(&mut self) -> String {
        self.txn += 1;
        format!("txn-{}", self.txn)
    }

    /// Sends `request` (with `token`, if any) and reads the answer through its response type;
    /// panics, showing the answer, when the type cannot read it (the scenario cannot go on
    /// without it, and the types are not loosened to fit a server). The answer written back
    /// is compared, as JSON, to what the server sent: any difference is a problem.
    pub fn call<R: Request>(&mut self, step: &str, request: &R, token: Option<&str>) -> R::Response
    where
        R::Response: Debug,
    {
        self.call_keeping_body(step, request, token).0
    }

    /// [`Run::call`], giving the body of the answer too, as the server sent it.
    pub fn call_keeping_body<R: Request>(
        &mut self,
        step: &str,
        request: &R,
        token: Option<&str>,
    ) -> (R::Response, Vec<u8>)
    where
        R::Response: Debug,
    {
        let exchange = self.exchange(step, request, token);
        let status = exchange.status();
        let body = exchange.response.body();
        let read = match exchange.read {
            Ok(read) => read,
            Err(err) => panic!(
                "{step}: {} {} answered {status}, which {} does not read: {err}\n{}",
                exchange.method,
                exchange.uri,
                std::any::type_name::<R::Response>(),
                String::from_utf8_lossy(body)
            ),
        };
        self.ledger.read += 1;
        self.note_undocumented(&format!("{read:?}"));
        // Every answer is kept whole, errors too: an error status the spec documents without
        // a body keeps the body the server sent (`api::ErrorBody`).
        match written_back(&read, status, body) {
            Ok(()) => self.ledger.lossless += 1,
            Err(problem) => self
                .ledger
                .problems
                .push(format!("{step} ({}): {problem}", exchange.operation)),
        }
        (read, exchange.response.into_body())
    }

    /// Sends `request`, which the server must refuse with an error status the operation does
    /// not document and the standard error response of code `expected`: read as
    /// [`FromHttpError::Matrix`] and written back, as JSON, as the server sent it.
    pub fn call_for_undocumented_error<R: Request>(
        &mut self,
        step: &str,
        request: &R,
        token: Option<&str>,
        expected: ErrorCode,
    ) where
        R::Response: Debug,
    {
        let exchange = self.exchange(step, request, token);
        let status = exchange.status();
        let error = match &exchange.read {
            Err(FromHttpError::Matrix { error, .. }) => error,
            other => panic!(
                "{step}: {} {} answered {status}, not read as an undocumented Matrix error: {other:?}\n{}",
                exchange.method,
                exchange.uri,
                String::from_utf8_lossy(exchange.response.body())
            ),
        };
        self.ledger.read += 1;
        self.note_undocumented(&format!("{error:?}"));
        let received: Value =
            serde_json::from_slice(exchange.response.body()).expect("a Matrix error is JSON");
        match serde_json::to_value(error) {
            Ok(written) if written == received => self.ledger.lossless += 1,
            Ok(written) => self.problem(format!(
                "{step}: the Matrix error is written back differently: {}",
                json_diff(&received, &written).join("; ")
            )),
            Err(err) => self.problem(format!("{step}: the Matrix error is not written: {err}")),
        }
        if error.errcode == expected {
            self.ledger
                .undocumented_errors
                .push(format!("{step}: {status} {}", error.errcode));
        } else {
            self.problem(format!(
                "{step}: answered {status} {}, not {expected}",
                error.errcode
            ));
        }
    }

    /// Records an error answer read as its documented variant, whose error code (`got`: none
    /// when the body is not a Matrix error) must be `expected`, or the test fails.
    pub fn documented_error(
        &mut self,
        step: &str,
        status: u16,
        expected: ErrorCode,
        got: Option<&ErrorCode>,
    ) {
        match got {
            Some(code) if *code == expected => {
                self.ledger.errors.push(format!("{step}: {status} {code}"))
            }
            Some(code) => self.problem(format!("{step}: answered {status} {code}, not {expected}")),
            None => self.problem(format!(
                "{step}: answered {status} without a Matrix error, not {expected}"
            )),
        }
    }

    /// Records an answer of an error status read as its documented variant that is not a
    /// Matrix error: `what` it is (the flows of interactive authentication, say).
    pub fn documented_answer(&mut self, step: &str, status: u16, what: &str) {
        self.ledger
            .errors
            .push(format!("{step}: {status} ({what})"));
    }

    /// Records a problem: the test fails at its end, after the report.
    pub fn problem(&mut self, problem: String) {
        self.ledger.problems.push(problem);
    }

    /// Reads each of `raws` through its type (`place` says where they were), counts it as
    /// typed, `Unknown` or failed, checks that it is written back as received, and gives the
    /// events read.
    pub fn events<'r, T>(
        &mut self,
        place: &str,
        raws: impl IntoIterator<Item = &'r Raw<T>>,
    ) -> Vec<T>
    where
        T: DeserializeOwned + Serialize + Debug + 'r,
    {
        let mut read = Vec::new();
        for raw in raws {
            let received: Value = serde_json::from_str(raw.json().get()).expect("Raw holds JSON");
            let event_type = received
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("(no type)")
                .to_owned();
            self.ledger.event_types.insert(event_type.clone());
            let event = match raw.deserialize() {
                Ok(event) => event,
                Err(err) => {
                    self.ledger.events_failed += 1;
                    self.ledger
                        .problems
                        .push(format!("{place}: a {event_type} event is not read: {err}"));
                    continue;
                }
            };
            let debug = format!("{event:?}");
            if debug_variants(&debug).last() == Some(&"Unknown") {
                self.ledger.events_unknown += 1;
                self.ledger.unknown_types.insert(event_type.clone());
            } else {
                self.ledger.events_typed += 1;
                self.note_undocumented(&debug);
            }
            match serde_json::to_value(&event) {
                Ok(written) if written == received => self.ledger.events_lossless += 1,
                Ok(written) => self.ledger.problems.push(format!(
                    "{place}: a {event_type} event is written back differently: {}",
                    json_diff(&received, &written).join("; ")
                )),
                Err(err) => self.ledger.problems.push(format!(
                    "{place}: a {event_type} event is not written: {err}"
                )),
            }
            read.push(event);
        }
        read
    }
}

impl Run<'_> {
    /// Sends `request` and counts it: its operation, and its success (2xx).
    fn exchange<R: Request>(
        &mut self,
        step: &str,
        request: &R,
        token: Option<&str>,
    ) -> Exchange<R::Response> {
        let exchange = self
            .client
            .call(request, token)
            .unwrap_or_else(|err| panic!("{step}: {err}"));
        *self
            .ledger
            .operations
            .entry(exchange.operation)
            .or_default() += 1;
        self.ledger.requests += 1;
        let status = exchange.status();
        if (200..300).contains(&status) {
            self.ledger.succeeded.insert(exchange.operation);
        }
        println!(
            "  {step}: {} {} -> {status}",
            exchange.method,
            exchange.uri.path()
        );
        exchange
    }

    fn note_undocumented(&mut self, debug: &str) {
        for field in extra_fields(debug) {
            *self.ledger.undocumented.entry(field).or_default() += 1;
        }
    }
}

/// What the body of an error status documented without one is, for the report.
pub fn described(body: &ErrorBody) -> String {
    match body {
        ErrorBody::Empty => "no body".to_owned(),
        ErrorBody::Matrix(error) => error.errcode.to_string(),
        ErrorBody::Other(bytes) => format!("a body of {} bytes, not a Matrix error", bytes.len()),
    }
}

/// Whether `read`, written back, is the answer received: the same status and the same JSON
/// (or the same bytes, for a body that is not JSON).
fn written_back<T: Response>(read: &T, status: u16, received: &[u8]) -> Result<(), String> {
    let written = read
        .try_into_http_response()
        .map_err(|err| format!("not written back: {err}"))?;
    if written.status() != status {
        return Err(format!("written back with status {}", written.status()));
    }
    match serde_json::from_slice::<Value>(received) {
        Ok(received) => {
            let written: Value = serde_json::from_slice(written.body())
                .map_err(|err| format!("written back as no JSON: {err}"))?;
            if written == received {
                Ok(())
            } else {
                Err(format!(
                    "written back differently: {}",
                    json_diff(&received, &written).join("; ")
                ))
            }
        }
        Err(_) if written.body() == received => Ok(()),
        Err(_) => Err("a body that is not JSON, written back differently".to_owned()),
    }
}
