//! What happened, in the simulation's time: commands, deliveries and the calls' states, one line
//! each. [`SettleError`](crate::SettleError) shows the part about the calls a failure involves.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimelineEntry {
    /// When, in the simulation's time.
    pub at: Duration,
    /// The call it is about, if any.
    pub call: Option<String>,
    /// What happened (`command Speak → 200`, `event call.answered → 200 (attempt 1)`,
    /// `state Ringing → Answered`).
    pub what: String,
}

/// Commands, deliveries and states, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    pub entries: Vec<TimelineEntry>,
}

/// How many lines a timeline shows at most (the last ones).
const SHOWN: usize = 200;

impl Timeline {
    pub(crate) fn push(&mut self, at: Duration, call: Option<&str>, what: String) {
        self.entries.push(TimelineEntry {
            at,
            call: call.map(str::to_owned),
            what,
        });
    }

    /// The entries about `calls` (every entry when `calls` is empty).
    pub(crate) fn about(&self, calls: &BTreeSet<String>) -> Timeline {
        let entries = self
            .entries
            .iter()
            .filter(|e| calls.is_empty() || e.call.as_ref().is_some_and(|c| calls.contains(c)))
            .cloned()
            .collect();
        Timeline { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl fmt::Display for Timeline {
    /// One line per entry: `  12.0s  v3:fake-call-1  command Speak → 200`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let skipped = self.entries.len().saturating_sub(SHOWN);
        if skipped > 0 {
            writeln!(f, "  ({skipped} earlier entries)")?;
        }
        let width = self.entries[skipped..]
            .iter()
            .map(|e| e.call.as_deref().map_or(1, str::len))
            .max()
            .unwrap_or(1);
        for entry in &self.entries[skipped..] {
            writeln!(
                f,
                "  {:>8}  {:<width$}  {}",
                format!("{:.1}s", entry.at.as_secs_f64()),
                entry.call.as_deref().unwrap_or("-"),
                entry.what
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeline_reads_as_columns_and_filters_by_call() {
        let mut t = Timeline::default();
        t.push(Duration::ZERO, Some("v3:a"), "state Initiated".into());
        t.push(
            Duration::from_millis(1500),
            Some("v3:bb"),
            "command Speak → 200".into(),
        );
        t.push(
            Duration::from_secs(12),
            None,
            "command CreateQueue → 200".into(),
        );
        assert_eq!(
            t.to_string(),
            "      0.0s  v3:a   state Initiated\n      1.5s  v3:bb  command Speak → 200\n     12.0s  -      command CreateQueue → 200\n"
        );
        let only: BTreeSet<String> = ["v3:a".to_owned()].into();
        assert_eq!(t.about(&only).entries.len(), 1);
        assert_eq!(t.about(&BTreeSet::new()).entries.len(), 3);
    }
}
