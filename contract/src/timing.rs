//! How long things take in the simulation, where a request does not say. The simulator runs on these
//! and the behaviours' documentation ([`crate::Behaviour::doc`]) is written from them, so the two
//! cannot disagree. Where the spec has a default (answering-machine detection), it is the spec's.

use std::time::Duration;

/// How long a dial or a transfer rings before `timeout`, when `timeout_secs` does not say.
pub const RING_TIMEOUT: Duration = Duration::from_secs(30);

/// Speech: a word takes this long (150 words a minute).
pub const PER_WORD: Duration = Duration::from_millis(400);
/// Speech lasts at least this long.
pub const MIN_SPEECH: Duration = Duration::from_secs(1);
/// An audio file plays this long, once (the simulator does not fetch it).
pub const AUDIO: Duration = Duration::from_secs(5);

/// How long after a gather's prompt the far end presses its digits.
pub const PRESS_DELAY: Duration = Duration::from_secs(1);
/// A gather's `timeout_millis`, when it does not say.
pub const GATHER_TIMEOUT: Duration = Duration::from_secs(60);
/// A gather's `maximum_tries`, when it does not say.
pub const GATHER_TRIES: u64 = 3;
/// A gather's `maximum_digits`, when it does not say.
pub const GATHER_MAX_DIGITS: u64 = 128;

/// Answering-machine detection: the spec's default `total_analysis_time_millis`, the longest
/// detection takes.
pub const TOTAL_ANALYSIS: Duration = Duration::from_millis(3500);
/// The spec's default `greeting_duration_millis`: a greeting longer than this is a machine's.
pub const GREETING_DURATION: Duration = Duration::from_millis(3500);
/// The spec's default `after_greeting_silence_millis`: the silence after a person's greeting that
/// makes them a person.
pub const AFTER_GREETING_SILENCE: Duration = Duration::from_millis(800);
/// The spec's default `greeting_total_analysis_time_millis`: how long after a machine is detected
/// its greeting's end is waited for (`not_sure` after that).
pub const GREETING_TOTAL_ANALYSIS: Duration = Duration::from_secs(5);
/// A person's greeting ("Hello?"), unless the script says (`FarEnd::greeting`).
pub const HUMAN_GREETING: Duration = Duration::from_secs(1);
/// A machine's greeting up to its beep, unless the script says (`FarEnd::greeting`).
pub const MACHINE_GREETING: Duration = Duration::from_secs(6);

/// How many participants a conference takes when `max_participants` does not say.
pub const MAX_PARTICIPANTS: u64 = 250;
/// A queue's size when neither `enqueue` nor `POST /queues` says.
pub const QUEUE_SIZE: u64 = 100;

/// `0.4 s`, `1 s`, `3.5 s`: a duration as the documentation writes it.
pub fn secs(d: Duration) -> String {
    let millis = d.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        let text = format!("{:.3}", d.as_secs_f64());
        format!("{} s", text.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_the_docs_write_them() {
        assert_eq!(secs(PER_WORD), "0.4 s");
        assert_eq!(secs(MIN_SPEECH), "1 s");
        assert_eq!(secs(TOTAL_ANALYSIS), "3.5 s");
        assert_eq!(secs(Duration::from_millis(1250)), "1.25 s");
    }
}
