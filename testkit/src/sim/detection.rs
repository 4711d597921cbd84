//! Answering-machine detection, when a dial or a transfer asks for it: it listens to what picks up
//! and takes the time a real one takes. A person's short greeting and the silence after it make a
//! person; a greeting longer than `greeting_duration_millis` makes a machine, whose greeting then
//! ends with its beep (`FarEnd::greeting`). The thresholds are the request's
//! `answering_machine_detection_config`, else the spec's defaults (`contract::timing`).

use std::time::Duration;

use telnyx_call_control_contract::{timing, Field};

use super::body::Body;
use super::clock::Action;
use super::Sim;

/// The detection a dial or a transfer asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Detection {
    /// `answering_machine_detection` (`detect`, `detect_beep`, `premium`, ...).
    mode: String,
    total_analysis: Duration,
    greeting_duration: Duration,
    after_greeting_silence: Duration,
    greeting_total_analysis: Duration,
}

impl Detection {
    /// What the body asks for; `None` without detection (or `disabled`).
    pub fn asked(body: Body<'_>) -> Option<Self> {
        let mode = body
            .text(Field::AnsweringMachineDetection)
            .filter(|mode| *mode != "disabled")?;
        let or = |field, default| body.millis(field).unwrap_or(default);
        Some(Detection {
            mode: mode.to_owned(),
            total_analysis: or(Field::TotalAnalysisTimeMillis, timing::TOTAL_ANALYSIS),
            greeting_duration: or(Field::GreetingDurationMillis, timing::GREETING_DURATION),
            after_greeting_silence: or(
                Field::AfterGreetingSilenceMillis,
                timing::AFTER_GREETING_SILENCE,
            ),
            greeting_total_analysis: or(
                Field::GreetingTotalAnalysisTimeMillis,
                timing::GREETING_TOTAL_ANALYSIS,
            ),
        })
    }

    fn premium(&self) -> bool {
        self.mode == "premium"
    }

    /// When after the answer detection ends, and what it finds, for a greeting of `greeting`.
    fn verdict(&self, greeting: Duration, machine: bool) -> (Duration, &'static str) {
        let (at, result) = if machine && greeting > self.greeting_duration {
            (self.greeting_duration, "machine")
        } else {
            (greeting + self.after_greeting_silence, "human")
        };
        match (at <= self.total_analysis, self.premium(), result) {
            (false, _, _) => (self.total_analysis, "not_sure"),
            (true, true, "human") => (at, "human_residence"),
            (true, _, result) => (at, result),
        }
    }
}

impl Sim {
    /// The call was answered: schedules what its detection will find, and when.
    pub(super) fn start_detection(&mut self, id: &str) {
        let Some(call) = self.calls.get(id) else {
            return;
        };
        let Some(detection) = &call.detection else {
            return;
        };
        let machine = call.script.is_machine();
        let greeting = call.script.greeting_length().unwrap_or(if machine {
            timing::MACHINE_GREETING
        } else {
            timing::HUMAN_GREETING
        });
        let (after, _) = detection.verdict(greeting, machine);
        self.schedule(
            after,
            Action::Detected {
                call: id.to_owned(),
            },
        );
    }

    /// Detection has its result: `call.machine.detection.ended` (or the premium one), and, for a
    /// machine, the end of its greeting is awaited.
    pub(super) fn detected(&mut self, id: &str) {
        let now = self.clock.now;
        let Some(call) = self.calls.get(id) else {
            return;
        };
        let (Some(detection), Some(answered)) = (&call.detection, call.answered_at) else {
            return;
        };
        let machine = call.script.is_machine();
        let greeting = call.script.greeting_length().unwrap_or(if machine {
            timing::MACHINE_GREETING
        } else {
            timing::HUMAN_GREETING
        });
        let (_, result) = detection.verdict(greeting, machine);
        let premium = detection.premium();
        let wait_for_greeting = result == "machine";
        // The greeting ends with its beep, or detection stops listening for it.
        let heard_until = detection.greeting_total_analysis;
        let event = if premium {
            "call.machine.premium.detection.ended"
        } else {
            "call.machine.detection.ended"
        };
        self.call_event(event, id, &[("result", result.into())]);
        if wait_for_greeting {
            let beep = (answered + greeting).max(now);
            let ends = beep.min(now + heard_until);
            self.schedule(
                ends.saturating_sub(now),
                Action::GreetingEnds {
                    call: id.to_owned(),
                },
            );
        }
    }

    /// A machine's greeting ended with its beep (or detection stopped listening first):
    /// `call.machine.greeting.ended` (or the premium one), when the mode reports it.
    pub(super) fn greeting_ends(&mut self, id: &str) {
        let now = self.clock.now;
        let Some(call) = self.calls.get(id) else {
            return;
        };
        let (Some(detection), Some(answered)) = (&call.detection, call.answered_at) else {
            return;
        };
        let greeting = call
            .script
            .greeting_length()
            .unwrap_or(timing::MACHINE_GREETING);
        let beeped = answered + greeting <= now;
        let (event, result) = match (detection.premium(), beeped) {
            (true, true) => ("call.machine.premium.greeting.ended", "beep_detected"),
            (true, false) => ("call.machine.premium.greeting.ended", "no_beep_detected"),
            (false, true) => ("call.machine.greeting.ended", "beep_detected"),
            (false, false) => ("call.machine.greeting.ended", "not_sure"),
        };
        let reported = match detection.mode.as_str() {
            "premium" | "greeting_end" | "detect_words" => true,
            "detect_beep" => beeped,
            _ => false,
        };
        if reported {
            self.call_event(event, id, &[("result", result.into())]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard(mode: &str) -> Detection {
        Detection {
            mode: mode.into(),
            total_analysis: timing::TOTAL_ANALYSIS,
            greeting_duration: timing::GREETING_DURATION,
            after_greeting_silence: timing::AFTER_GREETING_SILENCE,
            greeting_total_analysis: timing::GREETING_TOTAL_ANALYSIS,
        }
    }

    #[test]
    fn detection_takes_the_time_its_thresholds_say() {
        let ms = Duration::from_millis;
        let detect = standard("detect");
        assert_eq!(detect.verdict(ms(1000), false), (ms(1800), "human"));
        assert_eq!(detect.verdict(ms(6000), true), (ms(3500), "machine"));
        // A machine whose greeting is as short as a person's sounds like one.
        assert_eq!(detect.verdict(ms(1000), true), (ms(1800), "human"));
        // A long "hello" runs out of analysis time.
        assert_eq!(detect.verdict(ms(3000), false), (ms(3500), "not_sure"));
        assert_eq!(
            standard("premium").verdict(ms(1000), false),
            (ms(1800), "human_residence")
        );
    }
}
