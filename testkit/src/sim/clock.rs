//! The simulator's time: a virtual clock that moves only when the fake has nothing else to do
//! ([`FakeTelnyx::settle`](crate::FakeTelnyx::settle)), and the timeline of what is due.
//! Waits in a script (`answers_after(3s)`) cost no real time, and their order never depends on the
//! machine's speed.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Virtual time since the fake started, and the wall-clock instant it started at (for the
/// timestamps in events).
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    pub now: Duration,
    epoch: Duration,
}

impl Clock {
    pub fn start() -> Self {
        let epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        // Whole milliseconds, so timestamps read cleanly.
        let epoch = Duration::from_millis(u64::try_from(epoch.as_millis()).unwrap_or_default());
        Clock {
            now: Duration::ZERO,
            epoch,
        }
    }

    /// `now` as an event's timestamp (RFC 3339, UTC, microseconds, as Telnyx writes them).
    pub fn timestamp(&self) -> String {
        self.timestamp_at(self.now)
    }

    pub fn timestamp_at(&self, at: Duration) -> String {
        rfc3339(self.epoch + at)
    }
}

/// `1970-01-01T00:00:00.000000Z` plus `since_epoch`.
fn rfc3339(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let rest = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since_epoch.subsec_micros()
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `12.5s`, for messages about virtual time.
pub(crate) fn at(t: Duration) -> String {
    format!("{:.1}s", t.as_secs_f64())
}

/// Something the simulation will do at a time, unless what it belongs to is gone by then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// A timed step of a call's far-end script (`answers_after`, `busy`, `hangs_up_after`).
    Step { call: String, step: usize },
    /// A dialled number without a pickup step answers.
    Pickup { call: String },
    /// The dial's `timeout_secs` passed without an answer.
    RingTimeout { call: String },
    /// Answering-machine detection has its result.
    Detected { call: String },
    /// A machine's greeting ends (with its beep), or detection stops waiting for it.
    GreetingEnds { call: String },
    /// The speech or audio `token` ends.
    MediaEnds { owner: String, token: u64 },
    /// The far end presses the digits of its `presses` step.
    Pressed { call: String, token: u64 },
    /// A gather's try times out.
    GatherTimeout { call: String, token: u64 },
    /// A call waited in its queue for `max_wait_time_secs`.
    QueueTimeout { call: String, token: u64 },
    /// A webhook the application refused is delivered again.
    Redeliver { delivery: u64, event: String },
    /// An application's timer (`SimClock::after`) is due.
    Timer { timer: u64 },
}

impl Action {
    fn describe(&self) -> String {
        match self {
            Action::Step { call, step } => format!("step {} of the far end of {call}", step + 1),
            Action::Pickup { call } => format!("the pickup of {call}"),
            Action::RingTimeout { call } => format!("the ring timeout of {call}"),
            Action::Detected { call } => format!("the machine detection on {call}"),
            Action::GreetingEnds { call } => format!("the end of the greeting on {call}"),
            Action::MediaEnds { owner, .. } => format!("the end of the media on {owner}"),
            Action::Pressed { call, .. } => format!("the digits pressed on {call}"),
            Action::GatherTimeout { call, .. } => format!("the gather timeout on {call}"),
            Action::QueueTimeout { call, .. } => format!("the queue timeout of {call}"),
            Action::Redeliver { event, .. } => format!("the redelivery of `{event}`"),
            Action::Timer { timer } => format!("the application's timer {timer}"),
        }
    }
}

/// What is due, in order of time and then of scheduling.
#[derive(Debug, Default, Clone)]
pub(crate) struct Schedule {
    due: BTreeMap<(Duration, u64), Action>,
    seq: u64,
}

impl Schedule {
    pub fn schedule(&mut self, at: Duration, action: Action) {
        self.seq += 1;
        self.due.insert((at, self.seq), action);
    }

    /// The first action due at or before `limit` (anything, without a limit).
    pub fn pop(&mut self, limit: Option<Duration>) -> Option<(Duration, Action)> {
        let (&(at, _), _) = self.due.first_key_value()?;
        if limit.is_some_and(|limit| at > limit) {
            return None;
        }
        self.due.pop_first().map(|((at, _), action)| (at, action))
    }

    /// The next action, for messages (`the end of the media on v3:… at 12.0s`).
    pub fn next(&self) -> Option<String> {
        self.due
            .iter()
            .next()
            .map(|((t, _), action)| format!("{} at {}", action.describe(), at(*t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(Duration::ZERO), "1970-01-01T00:00:00.000000Z");
        let leap_day = Duration::from_secs(951_782_400) + Duration::from_micros(1_500);
        assert_eq!(rfc3339(leap_day), "2000-02-29T00:00:00.001500Z");
        assert_eq!(
            rfc3339(Duration::from_secs(1_767_225_599)),
            "2025-12-31T23:59:59.000000Z"
        );
    }

    #[test]
    fn the_timeline_pops_by_time_then_by_order_within_a_limit() {
        let mut t = Schedule::default();
        let call = |c: &str| Action::Pickup { call: c.into() };
        t.schedule(Duration::from_secs(2), call("b"));
        t.schedule(Duration::from_secs(1), call("a"));
        t.schedule(Duration::from_secs(2), call("c"));
        assert_eq!(t.next().as_deref(), Some("the pickup of a at 1.0s"));
        let order: Vec<Action> = std::iter::from_fn(|| t.pop(Some(Duration::from_secs(2))))
            .map(|(_, a)| a)
            .collect();
        assert_eq!(order, [call("a"), call("b"), call("c")]);
        t.schedule(Duration::from_secs(9), call("d"));
        assert_eq!(t.pop(Some(Duration::from_secs(8))), None);
        assert!(t.pop(None).is_some());
    }
}
