//! Request metrics from an interceptor: every attempt counted by method, route and outcome, with the
//! time it took, and retries counted apart, rendered in Prometheus' text format.
//!
//! The route is the path as the spec writes it when the operation gives it
//! (`/calls/{call_control_id}/actions/hangup`), else the path sent: ids make every call a label of
//! its own, so a metrics backend should get the template.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use telnyx_call_control::{AttemptOutcome, Interceptor};

/// What one kind of attempt is counted under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub method: String,
    pub route: String,
    /// The status code (`"200"`), or why there was none (`"timeout"`, `"connection"`).
    pub outcome: String,
}

/// How many attempts of a kind, how long they took in all, and how many of them were retries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub attempts: u64,
    pub retries: u64,
    pub time: Duration,
}

/// The metrics of every request a client sends; clones share them. Add it to a client with
/// `Client::builder().interceptor(metrics.clone())`.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    tallies: Arc<Mutex<BTreeMap<Key, Tally>>>,
}

impl Interceptor for Metrics {
    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        let key = Key {
            method: outcome.method().to_string(),
            route: outcome.url_template().unwrap_or(outcome.path()).to_owned(),
            outcome: match outcome.status() {
                Some(status) => status.as_str().to_owned(),
                None => outcome.error_type().unwrap_or("error").to_owned(),
            },
        };
        // A poisoned lock means another thread panicked while counting: keep counting.
        let mut tallies = self.tallies.lock().unwrap_or_else(|e| e.into_inner());
        let tally = tallies.entry(key).or_default();
        tally.attempts += 1;
        tally.retries += u64::from(outcome.attempt() > 1);
        tally.time += outcome.elapsed();
    }
}

impl Metrics {
    /// Every tally so far.
    pub fn snapshot(&self) -> BTreeMap<Key, Tally> {
        self.tallies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The tallies in Prometheus' text format, for a `/metrics` endpoint.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# TYPE telnyx_attempts_total counter\n\
             # TYPE telnyx_retries_total counter\n\
             # TYPE telnyx_attempt_seconds_total counter\n",
        );
        for (key, tally) in self.snapshot() {
            let labels = format!(
                "method=\"{}\",route=\"{}\",outcome=\"{}\"",
                key.method, key.route, key.outcome
            );
            let _ = writeln!(out, "telnyx_attempts_total{{{labels}}} {}", tally.attempts);
            let _ = writeln!(out, "telnyx_retries_total{{{labels}}} {}", tally.retries);
            let seconds = tally.time.as_secs_f64();
            let _ = writeln!(out, "telnyx_attempt_seconds_total{{{labels}}} {seconds:.6}");
        }
        out
    }
}
