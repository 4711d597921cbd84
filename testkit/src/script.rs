//! Scripts of the far end of a simulated call: what the person (or machine) on the other side does,
//! step by step. A script that contradicts itself is refused when it is given, naming the step.

use std::fmt;
use std::time::Duration;

/// What the far end of a call does, in order: the caller of an incoming call
/// ([`FakeTelnyx::incoming_call`](super::FakeTelnyx::incoming_call)), or the number an application
/// dials or transfers to ([`FakeTelnyx::far_end`](super::FakeTelnyx::far_end)).
///
/// Timed steps count from the step before them (the first from the start of the call); `presses`
/// and `times_out` wait for the application's next gather. After the last step the far end stays
/// on the line, silent, until the application hangs up.
///
/// ```
/// # use std::time::Duration;
/// use telnyx_call_control_testkit::FarEnd;
///
/// // Picks up after 3 s, presses 2 at the first menu, hangs up 10 s later.
/// let callee = FarEnd::new()
///     .answers_after(Duration::from_secs(3))
///     .human()
///     .presses("2")
///     .hangs_up_after(Duration::from_secs(10));
/// # let _ = callee;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct FarEnd {
    pub(crate) steps: Vec<Step>,
}

/// One step of a [`FarEnd`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    AnswersAfter(Duration),
    Busy,
    NoAnswer,
    Machine,
    Human,
    Greeting(Duration),
    Presses(String),
    TimesOut,
    HangsUpAfter(Duration),
}

impl Step {
    /// Whether the step decides how a dialled call ends up: answered, busy or never answered.
    fn is_pickup(&self) -> bool {
        matches!(self, Step::AnswersAfter(_) | Step::Busy | Step::NoAnswer)
    }

    /// Whether the step is a trait of the far end rather than something it does at a time.
    pub(crate) fn is_trait(&self) -> bool {
        matches!(self, Step::Machine | Step::Human | Step::Greeting(_))
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::AnswersAfter(d) => write!(f, "answers_after({d:?})"),
            Step::Busy => f.write_str("busy()"),
            Step::NoAnswer => f.write_str("no_answer()"),
            Step::Machine => f.write_str("machine()"),
            Step::Human => f.write_str("human()"),
            Step::Greeting(d) => write!(f, "greeting({d:?})"),
            Step::Presses(digits) => write!(f, "presses({digits:?})"),
            Step::TimesOut => f.write_str("times_out()"),
            Step::HangsUpAfter(d) => write!(f, "hangs_up_after({d:?})"),
        }
    }
}

impl FarEnd {
    /// A far end that does nothing: a dialled number answers at once; a caller waits.
    pub fn new() -> Self {
        FarEnd::default()
    }

    /// A dialled number picks up `delay` after the call starts (the dial's `timeout_secs` still
    /// applies: a later pickup is a `timeout` hangup).
    pub fn answers_after(self, delay: Duration) -> Self {
        self.then(Step::AnswersAfter(delay))
    }

    /// A dialled number is busy: `call.hangup` with `user_busy`.
    pub fn busy(self) -> Self {
        self.then(Step::Busy)
    }

    /// A dialled number rings until the dial's `timeout_secs`: `call.hangup` with `timeout`.
    pub fn no_answer(self) -> Self {
        self.then(Step::NoAnswer)
    }

    /// An answering machine picks up: what answering-machine detection reports, when the dial asks
    /// for it (a beep follows the greeting).
    pub fn machine(self) -> Self {
        self.then(Step::Machine)
    }

    /// A person picks up (the default): what answering-machine detection reports, when asked.
    pub fn human(self) -> Self {
        self.then(Step::Human)
    }

    /// How long the greeting of whoever picks up lasts: a person's "Hello?" (1 s by default), or a
    /// machine's message up to its beep (6 s by default). Answering-machine detection takes it into
    /// account as a real one does: it reports a person once their greeting and a silence are over,
    /// a machine once its greeting has gone on too long, and the machine's beep when its greeting
    /// ends.
    pub fn greeting(self, length: Duration) -> Self {
        self.then(Step::Greeting(length))
    }

    /// Presses `digits` (DTMF: `0`-`9`, `*`, `#`, `A`-`D`) at the application's next gather, once
    /// its prompt has played.
    pub fn presses(self, digits: impl Into<String>) -> Self {
        self.then(Step::Presses(digits.into()))
    }

    /// Presses nothing at the application's next gather: it ends with `timeout` once its tries are
    /// used.
    pub fn times_out(self) -> Self {
        self.then(Step::TimesOut)
    }

    /// Hangs up `delay` after the step before (or after the call started, as a first step).
    pub fn hangs_up_after(self, delay: Duration) -> Self {
        self.then(Step::HangsUpAfter(delay))
    }

    fn then(mut self, step: Step) -> Self {
        self.steps.push(step);
        self
    }

    /// Refuses a script that cannot happen, naming the first step that contradicts the others.
    pub(crate) fn check(&self, incoming: bool) -> Result<(), ScriptError> {
        let mut pickup: Option<usize> = None;
        let mut person: Option<usize> = None;
        let mut greeting: Option<usize> = None;
        for (i, step) in self.steps.iter().enumerate() {
            let fail = |reason: String| Err(ScriptError::new(i, step, reason));
            if let Some(end) = self.ended_before(i) {
                return fail(format!(
                    "nothing can follow `{}` at step {}",
                    self.steps[end],
                    end + 1
                ));
            }
            match step {
                s if s.is_pickup() && incoming => {
                    return fail(
                        "the far end of an incoming call is its caller: the application answers"
                            .into(),
                    )
                }
                s if s.is_pickup() => {
                    if let Some(first) = pickup {
                        return fail(format!(
                            "the call was already picked up or refused at step {}",
                            first + 1
                        ));
                    }
                    if i > 0 && self.steps[..i].iter().any(|s| !s.is_trait()) {
                        return fail(
                            "a dialled number picks up before it does anything else".into(),
                        );
                    }
                    pickup = Some(i);
                }
                Step::Machine | Step::Human => {
                    if let Some(first) = person {
                        return fail(format!(
                            "step {} already said who picks up: `{}`",
                            first + 1,
                            self.steps[first]
                        ));
                    }
                    person = Some(i);
                }
                Step::Greeting(_) => {
                    if let Some(first) = greeting {
                        return fail(format!(
                            "step {} already gave the greeting: `{}`",
                            first + 1,
                            self.steps[first]
                        ));
                    }
                    greeting = Some(i);
                }
                Step::Presses(digits) => {
                    let dtmf = |c: char| c.is_ascii_digit() || "*#ABCD".contains(c);
                    if digits.is_empty() || !digits.chars().all(dtmf) {
                        return fail(format!(
                            "{digits:?} is not DTMF (0-9, *, #, A-D); use times_out() for nothing"
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The step before `i` after which the far end is gone (busy, no answer, hung up), if any.
    fn ended_before(&self, i: usize) -> Option<usize> {
        self.steps[..i]
            .iter()
            .position(|s| matches!(s, Step::Busy | Step::NoAnswer | Step::HangsUpAfter(_)))
    }

    /// What answering-machine detection finds: a machine only when the script says so.
    pub(crate) fn is_machine(&self) -> bool {
        self.steps.contains(&Step::Machine)
    }

    /// The length of the greeting, when the script gives one.
    pub(crate) fn greeting_length(&self) -> Option<Duration> {
        self.steps.iter().find_map(|s| match s {
            Step::Greeting(d) => Some(*d),
            _ => None,
        })
    }
}

/// A script the simulator refuses, or a simulation asked of a fake that does not simulate calls.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptError {
    /// A step contradicts the steps before it.
    #[error("step {step} `{text}`: {reason}")]
    Step {
        /// 1-based.
        step: usize,
        text: String,
        reason: String,
    },
    /// The fake was started without [`FakeBuilder::simulate`](super::FakeBuilder::simulate).
    #[error(
        "the fake does not simulate calls: start it with FakeTelnyx::builder().simulate(true)"
    )]
    NotSimulating,
}

impl ScriptError {
    fn new(index: usize, step: &Step, reason: String) -> Self {
        ScriptError::Step {
            step: index + 1,
            text: step.to_string(),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: Duration = Duration::from_secs(1);

    fn reason(script: &FarEnd, incoming: bool) -> String {
        script.check(incoming).unwrap_err().to_string()
    }

    #[test]
    fn contradictions_name_their_step() {
        let after_busy = FarEnd::new().busy().presses("1");
        assert_eq!(
            reason(&after_busy, false),
            "step 2 `presses(\"1\")`: nothing can follow `busy()` at step 1"
        );
        let after_hangup = FarEnd::new().hangs_up_after(SEC).presses("1");
        assert!(reason(&after_hangup, true)
            .starts_with("step 2 `presses(\"1\")`: nothing can follow `hangs_up_after(1s)`"));
        let caller_answers = FarEnd::new().presses("1").answers_after(SEC);
        assert!(reason(&caller_answers, true)
            .contains("step 2 `answers_after(1s)`: the far end of an incoming call"));
        let twice = FarEnd::new().answers_after(SEC).no_answer();
        assert_eq!(
            reason(&twice, false),
            "step 2 `no_answer()`: the call was already picked up or refused at step 1"
        );
        let late = FarEnd::new().presses("1").answers_after(SEC);
        assert!(reason(&late, false).contains("picks up before it does anything else"));
        let both = FarEnd::new().machine().human();
        assert!(reason(&both, false).starts_with("step 2 `human()`: step 1 already said"));
        let two = FarEnd::new().greeting(SEC).machine().greeting(SEC);
        assert!(reason(&two, false).starts_with("step 3 `greeting(1s)`: step 1 already gave"));
        let letters = FarEnd::new().presses("1x");
        assert!(reason(&letters, true).contains("is not DTMF"));
    }

    #[test]
    fn scripts_that_can_happen_pass() {
        let callee = FarEnd::new()
            .machine()
            .greeting(3 * SEC)
            .answers_after(SEC)
            .presses("12#")
            .times_out()
            .hangs_up_after(SEC);
        assert!(callee.check(false).is_ok());
        assert!(callee.is_machine());
        assert_eq!(callee.greeting_length(), Some(3 * SEC));
        let caller = FarEnd::new().presses("*").hangs_up_after(SEC);
        assert!(caller.check(true).is_ok());
        assert!(FarEnd::new().check(true).is_ok());
    }
}
