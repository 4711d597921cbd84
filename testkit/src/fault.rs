//! Answers on demand, to test retries, timeouts and error handling.

use std::time::Duration;

use serde_json::Value;

/// An answer on demand for the next `times` requests of an operation: a status (with an `errors[]`
/// body; the command does not run), or a delay or a lost answer (the command runs, as the API would
/// run it, and only its answer is late or never comes).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Fault {
    pub(crate) status: Option<u16>,
    pub(crate) delay: Option<Duration>,
    pub(crate) drop: bool,
    pub(crate) body: Option<Value>,
    pub(crate) times: usize,
}

impl Fault {
    /// Answer `status` with an `errors[]` body, once (see [`Fault::times`]); the command is not run.
    pub fn status(status: u16) -> Self {
        Fault {
            status: Some(status),
            delay: None,
            drop: false,
            body: None,
            times: 1,
        }
    }

    /// Run the command, and answer as usual after `delay`, once: a client whose timeout is shorter
    /// gives up and retries a command that already ran.
    pub fn delay(delay: Duration) -> Self {
        Fault {
            status: None,
            delay: Some(delay),
            drop: false,
            body: None,
            times: 1,
        }
    }

    /// Run the command and never answer, once: the answer is lost, and the client sees its own
    /// timeout and retries with the same `command_id`, which gets the first attempt's answer. Give
    /// the fake's client a short one ([`FakeBuilder::client_timeout`](crate::FakeBuilder::client_timeout)):
    /// the default is 60 s.
    pub fn drop_answer() -> Self {
        Fault {
            status: None,
            delay: None,
            drop: true,
            body: None,
            times: 1,
        }
    }

    /// For the next `times` requests of the operation.
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    /// Wait `delay` before answering.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The body to answer with, instead of the default `errors[]`.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}
