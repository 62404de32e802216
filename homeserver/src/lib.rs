//! A real homeserver for the tests: a pinned [Synapse](https://github.com/element-hq/synapse),
//! installed from PyPI into a virtualenv under the cargo target folder and started on
//! 127.0.0.1 with a throwaway configuration ([`Synapse`]), and a blocking HTTP client that
//! sends the `http::Request`s the generated request types build and hands back the
//! `http::Response`s their response types read ([`Client`]).
//!
//! ```text
//! let server = Synapse::start()?;                 // installs on first use, then reuses
//! let client = Client::new(server.base_url())?;
//! let exchange = client.call(&GetVersionsRequest::default(), None)?;
//! let versions: GetVersionsResponse = exchange.read?;
//! ```                                             // the server stops when `server` drops
//!
//! Only 127.0.0.1 is contacted (the client refuses any other host), and only PyPI, through
//! pip, to install. Unix only: the server runs in a process group of its own.

mod client;
mod synapse;

pub use client::{Client, Exchange};
pub use synapse::{default_venv_dir, Install, Synapse, SYNAPSE_VERSION};

use std::fmt;

/// Why the server could not be installed, started or spoken to; the message says what to do
/// where there is something to do (a missing `python3`, say) and carries Synapse's log or
/// pip's output where they tell more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl Error {
    fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }
}
