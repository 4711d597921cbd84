//! What a call or a conference hears: speech and audio, played one after another (the next starts
//! the moment the one before ends, in the same step, so nothing queued is lost to what the
//! application does in between), and gathers, which play a prompt and then collect what the far end
//! presses (`FarEnd::presses`).

use std::time::Duration;

use serde_json::Value;
use telnyx_call_control_contract::{timing, Field};

use super::body::Body;
use super::clock::Action;
use super::{Behaviour, Refusal, Sim};
use crate::script::Step;

/// The queue of speech and audio of one call or conference: the first item plays, the others wait.
#[derive(Default, Clone)]
pub(crate) struct Media {
    items: Vec<Item>,
}

impl Media {
    /// Whether the item `token` is still queued or playing.
    pub fn has(&self, token: u64) -> bool {
        self.items.iter().any(|i| i.token == token)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Speech,
    Audio,
}

#[derive(Clone)]
struct Item {
    token: u64,
    kind: Kind,
    /// `None`: until stopped.
    length: Option<Duration>,
    started: bool,
    /// A gather's prompt without events of its own (`gather_using_speak`).
    silent: bool,
    /// The gather waiting for this prompt to end.
    prompt_for: Option<u64>,
    url: Option<String>,
}

/// What to play.
struct Play {
    kind: Kind,
    /// `None`: until stopped.
    length: Option<Duration>,
    silent: bool,
    prompt_for: Option<u64>,
    url: Option<String>,
}

/// A gather in progress on a call.
#[derive(Clone)]
pub(crate) struct Gather {
    pub token: u64,
    /// How to play the prompt again for another try.
    prompt: Option<(Kind, Duration, bool)>,
    valid: String,
    min: usize,
    max: usize,
    terminator: Option<char>,
    tries_left: u64,
    timeout: Duration,
}

/// How long `text` takes to say.
fn speech(text: &str) -> Duration {
    let words = u32::try_from(text.split_whitespace().count()).unwrap_or(u32::MAX);
    (timing::PER_WORD * words).max(timing::MIN_SPEECH)
}

/// How long audio plays with `loop` (a count, or `infinity`): `None` for ever.
fn audio(looped: Option<&Value>) -> Option<Duration> {
    match looped {
        Some(Value::String(s)) if s == "infinity" => None,
        Some(v) => {
            let times = v
                .as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(1);
            Some(timing::AUDIO * u32::try_from(times).unwrap_or(u32::MAX))
        }
        None => Some(timing::AUDIO),
    }
}

impl Sim {
    fn media_mut(&mut self, owner: &str) -> Option<&mut Media> {
        if let Some(call) = self.calls.get_mut(owner) {
            return Some(&mut call.media);
        }
        self.conferences.get_mut(owner).map(|c| &mut c.media)
    }

    /// Queues `play` on `owner` after what is already there; starts it now when nothing plays.
    fn play(&mut self, owner: &str, play: Play) -> u64 {
        let token = self.next_id();
        let Some(media) = self.media_mut(owner) else {
            return token;
        };
        media.items.push(Item {
            token,
            kind: play.kind,
            length: play.length,
            started: false,
            silent: play.silent,
            prompt_for: play.prompt_for,
            url: play.url,
        });
        if media.items.len() == 1 {
            self.start_next(owner);
        }
        token
    }

    /// Starts the first item queued on `owner`, if it has not started: its `started` event, and
    /// its end when it has a length.
    fn start_next(&mut self, owner: &str) {
        let now = self.clock.now;
        let Some(item) = self
            .media_mut(owner)
            .and_then(|m| m.items.first_mut())
            .filter(|i| !i.started)
        else {
            return;
        };
        item.started = true;
        let (token, kind, silent, url, length) = (
            item.token,
            item.kind,
            item.silent,
            item.url.clone(),
            item.length,
        );
        if let Some(length) = length {
            let ends = Action::MediaEnds {
                owner: owner.to_owned(),
                token,
            };
            self.schedule.schedule(now + length, ends);
        }
        if !silent {
            self.media_event(owner, kind, "started", &url_field(url));
        }
    }

    /// The events of one media item: `<call|conference>.<speak|playback>.<started|ended>`.
    fn media_event(&mut self, owner: &str, kind: Kind, phase: &str, extra: &[(&str, Value)]) {
        let what = match kind {
            Kind::Speech => "speak",
            Kind::Audio => "playback",
        };
        if self.calls.contains_key(owner) {
            self.call_event(&format!("call.{what}.{phase}"), owner, extra);
        } else {
            self.conference_event(&format!("conference.{what}.{phase}"), owner, None, extra);
        }
    }

    /// The item `token` ended: its `ended` event, the try of the gather it prompted, and the next
    /// item starts at once.
    pub(super) fn media_ends(&mut self, owner: &str, token: u64) {
        let Some(media) = self.media_mut(owner) else {
            return;
        };
        let Some(index) = media.items.iter().position(|i| i.token == token) else {
            return;
        };
        let item = media.items.remove(index);
        if !item.silent {
            let mut extra = url_field(item.url);
            extra.push(("status", "completed".into()));
            self.media_event(owner, item.kind, "ended", &extra);
        }
        if let Some(gather) = item.prompt_for {
            self.start_try(owner, gather);
        }
        self.start_next(owner);
    }

    /// Drops what plays or waits on `owner`, without events (the test's events said it ended).
    pub(super) fn clear_media(&mut self, owner: &str) {
        if let Some(media) = self.media_mut(owner) {
            media.items.clear();
        }
    }

    /// Stops everything queued on `owner`: what was playing ends with `status`.
    fn stop_all(&mut self, owner: &str, status: &str) {
        let Some(media) = self.media_mut(owner) else {
            return;
        };
        let items = std::mem::take(&mut media.items);
        for item in items.into_iter().filter(|i| i.started && !i.silent) {
            let mut extra = url_field(item.url);
            extra.push(("status", status.into()));
            self.media_event(owner, item.kind, "ended", &extra);
        }
    }

    pub(super) fn speak(&mut self, id: &str, body: Body<'_>) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let length = speech(body.text(Field::Payload).unwrap_or_default());
        self.play(id, Play::new(Kind::Speech, Some(length)));
        Ok(())
    }

    pub(super) fn playback(&mut self, id: &str, body: Body<'_>) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let mut play = Play::new(Kind::Audio, audio(body.count_or_text(Field::Loop)));
        play.url = body.text(Field::AudioUrl).map(str::to_owned);
        self.play(id, play);
        Ok(())
    }

    /// `playback_stop`: what plays ends, `cancelled`.
    pub(super) fn stop_media(&mut self, id: &str) {
        self.stop_all(id, "cancelled");
    }

    pub(super) fn stop_media_on_hangup(&mut self, id: &str) {
        self.stop_all(id, "call_hangup");
    }

    /// Conference `speak`, `play` and `stop`.
    pub(super) fn conference_media(&mut self, id: &str, behaviour: Behaviour, body: Body<'_>) {
        match behaviour {
            Behaviour::ConferenceSpeak => {
                let length = speech(body.text(Field::Payload).unwrap_or_default());
                self.play(id, Play::new(Kind::Speech, Some(length)));
            }
            Behaviour::ConferencePlay => {
                let mut play = Play::new(Kind::Audio, audio(body.count_or_text(Field::Loop)));
                play.url = body.text(Field::AudioUrl).map(str::to_owned);
                self.play(id, play);
            }
            _ => self.stop_all(id, "completed"),
        }
    }

    /// `gather`, `gather_using_speak`, `gather_using_audio`: the prompt, then the far end's digits.
    pub(super) fn gather(
        &mut self,
        id: &str,
        behaviour: Behaviour,
        body: Body<'_>,
    ) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let token = self.next_id();
        let prompt = match behaviour {
            Behaviour::GatherSpeak => Some((
                Kind::Speech,
                speech(body.text(Field::Payload).unwrap_or_default()),
                true,
            )),
            Behaviour::GatherAudio => Some((Kind::Audio, timing::AUDIO, false)),
            _ => None,
        };
        let tries = match behaviour {
            Behaviour::Gather => 1,
            _ => body
                .count(Field::MaximumTries)
                .unwrap_or(timing::GATHER_TRIES)
                .max(1),
        };
        let max = body
            .count(Field::MaximumDigits)
            .unwrap_or(timing::GATHER_MAX_DIGITS);
        let min = body.count(Field::MinimumDigits).unwrap_or(1);
        let gather = Gather {
            token,
            prompt,
            valid: body
                .text(Field::ValidDigits)
                .unwrap_or("0123456789#*")
                .to_owned(),
            min: usize::try_from(min).unwrap_or(1),
            max: usize::try_from(max).unwrap_or(usize::MAX),
            terminator: body
                .text(Field::TerminatingDigit)
                .unwrap_or("#")
                .chars()
                .next(),
            tries_left: tries,
            timeout: body
                .millis(Field::TimeoutMillis)
                .unwrap_or(timing::GATHER_TIMEOUT),
        };
        if let Some(call) = self.calls.get_mut(id) {
            // A new gather replaces one in progress.
            call.gather = Some(gather);
        }
        self.prompt_or_try(id, token);
        Ok(())
    }

    /// Plays the gather's prompt (the try starts when it ends), or starts the try at once.
    fn prompt_or_try(&mut self, id: &str, token: u64) {
        let prompt = self
            .calls
            .get(id)
            .and_then(|c| c.gather.as_ref())
            .and_then(|g| g.prompt);
        match prompt {
            Some((kind, length, silent)) => {
                let mut play = Play::new(kind, Some(length));
                play.silent = silent;
                play.prompt_for = Some(token);
                self.play(id, play);
            }
            None => self.start_try(id, token),
        }
    }

    /// A try of the gather `token`: the far end presses its next digits, or the try times out.
    fn start_try(&mut self, id: &str, token: u64) {
        let Some(call) = self.calls.get(id) else {
            return;
        };
        let Some(gather) = call.gather.as_ref().filter(|g| g.token == token) else {
            return;
        };
        let next = call
            .script
            .steps
            .iter()
            .skip(call.next)
            .find(|s| !s.is_trait());
        let (after, action) = match next {
            Some(Step::Presses(_)) => (
                timing::PRESS_DELAY,
                Action::Pressed {
                    call: id.to_owned(),
                    token,
                },
            ),
            _ => (
                gather.timeout,
                Action::GatherTimeout {
                    call: id.to_owned(),
                    token,
                },
            ),
        };
        self.schedule(after, action);
    }

    /// The far end presses the digits of its next `presses` step into the gather `token`.
    pub(super) fn pressed(&mut self, id: &str, token: u64) {
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        if call.gather.as_ref().map(|g| g.token) != Some(token) {
            return;
        }
        while call.script.steps.get(call.next).is_some_and(Step::is_trait) {
            call.next += 1;
        }
        let Some(Step::Presses(digits)) = call.script.steps.get(call.next).cloned() else {
            return;
        };
        call.next += 1;
        for digit in digits.chars() {
            self.call_event(
                "call.dtmf.received",
                id,
                &[("digit", digit.to_string().into())],
            );
        }
        let Some(gather) = self.calls.get_mut(id).and_then(|c| c.gather.as_mut()) else {
            return;
        };
        let entered: String = digits
            .chars()
            .take_while(|c| Some(*c) != gather.terminator)
            .take(gather.max)
            .collect();
        let valid = entered.chars().count() >= gather.min
            && entered.chars().all(|c| gather.valid.contains(c));
        let again = !valid && gather.tries_left > 1;
        if again {
            gather.tries_left -= 1;
        }
        match (valid, again) {
            (true, _) => self.end_gather(id, "valid", &entered),
            (false, true) => self.prompt_or_try(id, token),
            (false, false) => self.end_gather(id, "invalid", &entered),
        }
        self.proceed(id);
    }

    /// A try ended without digits: another try, or `timeout` (a `times_out` step is used up here).
    pub(super) fn gather_timeout(&mut self, id: &str, token: u64) {
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        let Some(gather) = call.gather.as_mut().filter(|g| g.token == token) else {
            return;
        };
        if gather.tries_left > 1 {
            gather.tries_left -= 1;
            self.prompt_or_try(id, token);
            return;
        }
        let call = match self.calls.get_mut(id) {
            Some(call) => call,
            None => return,
        };
        while call.script.steps.get(call.next).is_some_and(Step::is_trait) {
            call.next += 1;
        }
        if call.script.steps.get(call.next) == Some(&Step::TimesOut) {
            call.next += 1;
        }
        self.end_gather(id, "timeout", "");
        self.proceed(id);
    }

    /// `gather_stop`: the gather in progress ends `cancelled`.
    pub(super) fn gather_stop(&mut self, id: &str) {
        if self.calls.get(id).is_some_and(|c| c.gather.is_some()) {
            self.end_gather(id, "cancelled", "");
        }
    }

    /// `call.gather.ended` with `status` and `digits`; the gather is over.
    pub(super) fn end_gather(&mut self, id: &str, status: &str, digits: &str) {
        if let Some(call) = self.calls.get_mut(id) {
            call.gather = None;
        }
        self.call_event(
            "call.gather.ended",
            id,
            &[("status", status.into()), ("digits", digits.into())],
        );
    }
}

impl Play {
    fn new(kind: Kind, length: Option<Duration>) -> Self {
        Play {
            kind,
            length,
            silent: false,
            prompt_for: None,
            url: None,
        }
    }
}

/// `media_url` for audio events.
fn url_field(url: Option<String>) -> Vec<(&'static str, Value)> {
    url.map(|u| vec![("media_url", u.into())])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn speech_takes_a_time_per_word_and_audio_per_loop() {
        assert_eq!(speech("one"), Duration::from_secs(1));
        assert_eq!(speech("a b c d e"), Duration::from_secs(2));
        assert_eq!(audio(None), Some(timing::AUDIO));
        assert_eq!(audio(Some(&json!(3))), Some(timing::AUDIO * 3));
        assert_eq!(audio(Some(&json!("2"))), Some(timing::AUDIO * 2));
        assert_eq!(audio(Some(&json!("infinity"))), None);
    }
}
