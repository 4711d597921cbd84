//! What a call or a conference hears: speech and audio, played one after another, and gathers, which
//! play a prompt and then collect what the far end presses (`FarEnd::presses`).

use std::time::Duration;

use serde_json::Value;

use super::clock::Action;
use super::{number, text, Behaviour, Refusal, Sim};
use crate::script::Step;

/// How long an audio file plays, once (the simulator does not fetch it).
const AUDIO: Duration = Duration::from_secs(5);
/// Speech: 0.4 s a word (150 words a minute), at least a second.
const PER_WORD: Duration = Duration::from_millis(400);
/// How long after its prompt a far end presses its digits.
const PRESS_DELAY: Duration = Duration::from_secs(1);
/// `timeout_millis` when a gather does not say.
const GATHER_TIMEOUT: Duration = Duration::from_secs(60);

/// The queue of speech and audio of one call or conference.
#[derive(Default)]
pub(crate) struct Media {
    items: Vec<Item>,
    /// When what is queued ends; `None` while something plays forever.
    free_at: Option<Duration>,
    forever: bool,
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

struct Item {
    token: u64,
    kind: Kind,
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
    (PER_WORD * words).max(Duration::from_secs(1))
}

/// How long audio plays with `loop` (a count, or `infinity`): `None` for ever.
fn audio(json: &Value) -> Option<Duration> {
    match json.get("loop") {
        Some(Value::String(s)) if s == "infinity" => None,
        Some(v) => {
            let times = v
                .as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(1);
            Some(AUDIO * u32::try_from(times).unwrap_or(u32::MAX))
        }
        None => Some(AUDIO),
    }
}

impl Sim {
    fn media_mut(&mut self, owner: &str) -> Option<&mut Media> {
        if let Some(call) = self.calls.get_mut(owner) {
            return Some(&mut call.media);
        }
        self.conferences.get_mut(owner).map(|c| &mut c.media)
    }

    /// Queues `play` on `owner` after what is already playing; starts it now when nothing is.
    fn play(&mut self, owner: &str, play: Play) -> u64 {
        let token = self.next_id();
        let now = self.clock.now;
        let Some(media) = self.media_mut(owner) else {
            return token;
        };
        let start = if media.forever {
            None
        } else {
            Some(media.free_at.unwrap_or(now).max(now))
        };
        media.items.push(Item {
            token,
            kind: play.kind,
            started: false,
            silent: play.silent,
            prompt_for: play.prompt_for,
            url: play.url,
        });
        let Some(start) = start else {
            // Behind audio that plays until stopped: it never starts.
            return token;
        };
        match play.length {
            Some(length) => media.free_at = Some(start + length),
            None => media.forever = true,
        }
        let owner = owner.to_owned();
        if start == now {
            self.media_starts(&owner, token);
        } else {
            let starts = Action::MediaStarts {
                owner: owner.clone(),
                token,
            };
            self.timeline.schedule(start, starts);
        }
        if let Some(length) = play.length {
            self.timeline
                .schedule(start + length, Action::MediaEnds { owner, token });
        }
        token
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

    pub(super) fn media_starts(&mut self, owner: &str, token: u64) {
        let Some(item) = self
            .media_mut(owner)
            .and_then(|m| m.items.iter_mut().find(|i| i.token == token))
        else {
            return;
        };
        item.started = true;
        let (kind, silent, url) = (item.kind, item.silent, item.url.clone());
        if !silent {
            let extra = url_field(url);
            self.media_event(owner, kind, "started", &extra);
        }
    }

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
    }

    /// Stops everything queued on `owner`: what was playing ends with `status`.
    fn stop_all(&mut self, owner: &str, status: &str) {
        let now = self.clock.now;
        let Some(media) = self.media_mut(owner) else {
            return;
        };
        let items = std::mem::take(&mut media.items);
        media.free_at = Some(now);
        media.forever = false;
        for item in items.into_iter().filter(|i| i.started && !i.silent) {
            let mut extra = url_field(item.url);
            extra.push(("status", status.into()));
            self.media_event(owner, item.kind, "ended", &extra);
        }
    }

    pub(super) fn speak(&mut self, id: &str, json: &Value) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let length = speech(text(json, "payload").unwrap_or_default());
        self.play(id, Play::new(Kind::Speech, Some(length)));
        Ok(())
    }

    pub(super) fn playback(&mut self, id: &str, json: &Value) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let mut play = Play::new(Kind::Audio, audio(json));
        play.url = text(json, "audio_url").map(str::to_owned);
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
    pub(super) fn conference_media(&mut self, id: &str, behaviour: Behaviour, json: &Value) {
        match behaviour {
            Behaviour::ConferenceSpeak => {
                let length = speech(text(json, "payload").unwrap_or_default());
                self.play(id, Play::new(Kind::Speech, Some(length)));
            }
            Behaviour::ConferencePlay => {
                let mut play = Play::new(Kind::Audio, audio(json));
                play.url = text(json, "audio_url").map(str::to_owned);
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
        json: &Value,
    ) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let token = self.next_id();
        let prompt = match behaviour {
            Behaviour::GatherSpeak => Some((
                Kind::Speech,
                speech(text(json, "payload").unwrap_or_default()),
                true,
            )),
            Behaviour::GatherAudio => Some((Kind::Audio, AUDIO, false)),
            _ => None,
        };
        let tries = match behaviour {
            Behaviour::Gather => 1,
            _ => number(json, "maximum_tries").unwrap_or(3).max(1),
        };
        let max = number(json, "maximum_digits").unwrap_or(128);
        let gather = Gather {
            token,
            prompt,
            valid: text(json, "valid_digits")
                .unwrap_or("0123456789#*")
                .to_owned(),
            min: usize::try_from(number(json, "minimum_digits").unwrap_or(1)).unwrap_or(1),
            max: usize::try_from(max).unwrap_or(usize::MAX),
            terminator: text(json, "terminating_digit")
                .unwrap_or("#")
                .chars()
                .next(),
            tries_left: tries,
            timeout: number(json, "timeout_millis").map_or(GATHER_TIMEOUT, Duration::from_millis),
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
                PRESS_DELAY,
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
        assert_eq!(audio(&json!({})), Some(AUDIO));
        assert_eq!(audio(&json!({"loop": 3})), Some(AUDIO * 3));
        assert_eq!(audio(&json!({"loop": "2"})), Some(AUDIO * 2));
        assert_eq!(audio(&json!({"loop": "infinity"})), None);
    }
}
