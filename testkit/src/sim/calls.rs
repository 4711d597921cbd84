//! Calls: dialling, answering, hanging up, transfers and bridges, answering-machine detection,
//! recording, and the far end's script.

use std::time::Duration;

use serde_json::{json, Value};

use super::clock::{at, Action};
use super::media::{Gather, Media};
use super::queue::Queued;
use super::{flag, number, set_data, text, Refusal, Sim};
use crate::script::{FarEnd, Step};
use crate::views::{CallState, CallView, Direction};

/// How long a dial rings before `timeout`, when it does not say (`timeout_secs`).
const RING_TIMEOUT: Duration = Duration::from_secs(30);

/// One simulated call leg.
pub(crate) struct CallSim {
    pub id: String,
    pub leg_id: String,
    pub session_id: String,
    pub connection_id: String,
    pub from: String,
    pub to: String,
    pub direction: Direction,
    pub state: CallState,
    /// What its events carry: set by every command that gives one.
    pub client_state: Option<String>,
    pub script: FarEnd,
    /// The first step of `script` not taken yet.
    pub next: usize,
    pub started_at: Duration,
    pub answered_at: Option<Duration>,
    /// When and why it ended (`at 3.0s: hung up by the application`).
    pub ended: Option<String>,
    pub ended_at: Option<Duration>,
    pub hangup_cause: Option<String>,
    pub bridged_with: Option<String>,
    /// Its bridge said `park_after_unbridge: self`: it stays up when the other leg hangs up.
    pub park_after_unbridge: bool,
    /// A transfer's new leg, while it rings; and, on that leg, the call it was transferred from.
    pub transfer_to: Option<String>,
    pub transfer_from: Option<String>,
    pub media: Media,
    pub gather: Option<Gather>,
    pub recording: Option<Recording>,
    /// The `answering_machine_detection` a dial or transfer asked for.
    pub detection: Option<String>,
    pub record_on_answer: bool,
    pub conference: Option<String>,
    pub queue: Option<Queued>,
}

/// A recording in progress.
pub(crate) struct Recording {
    started_at: Duration,
    transcription: bool,
    channels: String,
    format: String,
}

impl CallSim {
    /// The far end's number: who calls in, or who was dialled.
    pub fn far_end_number(&self) -> &str {
        match self.direction {
            Direction::Incoming => &self.from,
            Direction::Outgoing => &self.to,
        }
    }

    /// `hangup_source` when the far end (`true`) or the application hangs up.
    fn side(&self, far_end: bool) -> &'static str {
        match (self.direction, far_end) {
            (Direction::Incoming, true) | (Direction::Outgoing, false) => "caller",
            _ => "callee",
        }
    }

    pub fn view(&self, queue: Option<(String, usize)>) -> CallView {
        CallView {
            call_control_id: self.id.clone(),
            call_leg_id: self.leg_id.clone(),
            call_session_id: self.session_id.clone(),
            direction: self.direction,
            from: self.from.clone(),
            to: self.to.clone(),
            state: self.state,
            hangup_cause: self.hangup_cause.clone(),
            bridged_with: self.bridged_with.clone(),
            conference: self.conference.clone(),
            queue,
            recording: self.recording.is_some(),
            client_state: self.client_state.clone(),
            started_at: self.started_at,
            ended_at: self.ended_at,
        }
    }
}

/// Why and by whom a call ends.
pub(crate) struct Ending {
    pub cause: &'static str,
    pub sip: &'static str,
    pub far_end: bool,
    pub why: &'static str,
}

impl Ending {
    const BY_APP: Ending = Ending {
        cause: "normal_clearing",
        sip: "16",
        far_end: false,
        why: "hung up by the application",
    };
    const BY_FAR_END: Ending = Ending {
        cause: "normal_clearing",
        sip: "16",
        far_end: true,
        why: "the far end hung up",
    };
}

impl Sim {
    pub(super) fn new_call(
        &mut self,
        direction: Direction,
        from: &str,
        to: &str,
        connection_id: &str,
        script: FarEnd,
    ) -> String {
        let n = self.next_id();
        let id = format!("v3:fake-call-{n}");
        let call = CallSim {
            id: id.clone(),
            leg_id: format!("fake-leg-{n}"),
            session_id: format!("fake-session-{n}"),
            connection_id: connection_id.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            direction,
            state: match direction {
                Direction::Incoming => CallState::Initiated,
                Direction::Outgoing => CallState::Ringing,
            },
            client_state: None,
            script,
            next: 0,
            started_at: self.clock.now,
            answered_at: None,
            ended: None,
            ended_at: None,
            hangup_cause: None,
            bridged_with: None,
            park_after_unbridge: false,
            transfer_to: None,
            transfer_from: None,
            media: Media::default(),
            gather: None,
            recording: None,
            detection: None,
            record_on_answer: false,
            conference: None,
            queue: None,
        };
        self.calls.insert(id.clone(), call);
        id
    }

    /// `POST /calls`: a new outgoing call to the body's `to`, ringing its far end.
    pub(super) fn dial(&mut self, json: &Value, response: &mut Value) -> Result<String, Refusal> {
        let to = match json.get("to") {
            Some(Value::Array(list)) => list.first().and_then(Value::as_str),
            other => other.and_then(Value::as_str),
        }
        .unwrap_or_default()
        .to_owned();
        let from = text(json, "from").unwrap_or_default().to_owned();
        let connection = text(json, "connection_id").unwrap_or_default().to_owned();
        let id = self.outgoing_leg(&from, &to, &connection, json, None);
        if let Some(call) = self.calls.get(&id) {
            set_data(response, "call_leg_id", call.leg_id.clone());
            set_data(response, "call_session_id", call.session_id.clone());
            set_data(response, "is_alive", true);
            match &call.client_state {
                Some(state) => set_data(response, "client_state", state.clone()),
                None => set_data(response, "client_state", Value::Null),
            }
        }
        self.ring(&id);
        Ok(id)
    }

    /// A new outgoing leg (a dial, or a transfer's new leg in the session `session`), from the
    /// body's options: detection, recording, ring timeout, client state.
    fn outgoing_leg(
        &mut self,
        from: &str,
        to: &str,
        connection: &str,
        json: &Value,
        session: Option<String>,
    ) -> String {
        // A transfer's new leg carries the transfer's `target_leg_client_state`.
        let state_key = match session {
            Some(_) => "target_leg_client_state",
            None => "client_state",
        };
        let script = self.far_ends.get(to).cloned().unwrap_or_default();
        let id = self.new_call(Direction::Outgoing, from, to, connection, script);
        let timeout = number(json, "timeout_secs").map_or(RING_TIMEOUT, Duration::from_secs);
        if let Some(call) = self.calls.get_mut(&id) {
            if let Some(session) = session {
                call.session_id = session;
            }
            call.detection = text(json, "answering_machine_detection")
                .filter(|mode| *mode != "disabled")
                .map(str::to_owned);
            call.record_on_answer = text(json, "record") == Some("record-from-answer");
            call.client_state = text(json, state_key).map(str::to_owned);
        }
        self.schedule(timeout, Action::RingTimeout { call: id.clone() });
        id
    }

    /// `call.initiated` for an outgoing leg, then its far end's script (a number with no pickup step
    /// answers at once).
    fn ring(&mut self, id: &str) {
        self.call_event("call.initiated", id, &[("state", "bridging".into())]);
        let picks_up = self.calls.get(id).is_some_and(|c| {
            c.script
                .steps
                .iter()
                .any(|s| matches!(s, Step::AnswersAfter(_) | Step::Busy | Step::NoAnswer))
        });
        if !picks_up {
            self.schedule(
                Duration::ZERO,
                Action::Pickup {
                    call: id.to_owned(),
                },
            );
        }
        self.proceed(id);
    }

    /// Schedules the far end's next timed step, skipping traits; `presses` and `times_out` wait for
    /// a gather.
    pub(super) fn proceed(&mut self, id: &str) {
        loop {
            let Some(call) = self.calls.get_mut(id) else {
                return;
            };
            if call.state == CallState::HungUp {
                return;
            }
            let step = call.next;
            let delay = match call.script.steps.get(step) {
                None => return,
                Some(s) if s.is_trait() => {
                    call.next += 1;
                    continue;
                }
                Some(Step::AnswersAfter(d)) => *d,
                Some(Step::Busy) => Duration::ZERO,
                Some(Step::HangsUpAfter(d)) => *d,
                Some(_) => return,
            };
            let action = Action::Step {
                call: id.to_owned(),
                step,
            };
            self.schedule(delay, action);
            return;
        }
    }

    /// A timed step of the far end is due.
    pub(super) fn script_step(&mut self, id: &str, step: usize) {
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        if call.next != step || call.state == CallState::HungUp {
            return;
        }
        let Some(what) = call.script.steps.get(step).cloned() else {
            return;
        };
        call.next += 1;
        match what {
            Step::AnswersAfter(_) => self.pick_up(id),
            Step::Busy => self.end_call(
                id,
                &Ending {
                    cause: "user_busy",
                    sip: "486",
                    far_end: true,
                    why: "the far end was busy",
                },
            ),
            Step::HangsUpAfter(_) => self.end_call(id, &Ending::BY_FAR_END),
            _ => {}
        }
        self.proceed(id);
    }

    /// The far end of a ringing call picks up.
    pub(super) fn pick_up(&mut self, id: &str) {
        if self.calls.get(id).map(|c| c.state) != Some(CallState::Ringing) {
            return;
        }
        self.answered(id);
        self.detect(id);
        let leg_a = self.calls.get(id).and_then(|c| c.transfer_from.clone());
        if let Some(a) = leg_a {
            if let Some(a_call) = self.calls.get_mut(&a) {
                a_call.transfer_to = None;
            }
            self.join(&a, id);
        }
    }

    /// The call is answered: `call.answered`, and a recording when it asked for one.
    fn answered(&mut self, id: &str) {
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        call.state = CallState::Answered;
        call.answered_at = Some(self.clock.now);
        let record = std::mem::take(&mut call.record_on_answer);
        self.call_event("call.answered", id, &[("state", "answered".into())]);
        if record {
            self.start_recording(id, false, "single", "mp3");
        }
    }

    /// Answering-machine detection, when the dial asked for it: what the script says picked up.
    fn detect(&mut self, id: &str) {
        let Some(call) = self.calls.get(id) else {
            return;
        };
        let Some(mode) = call.detection.clone() else {
            return;
        };
        let machine = call.script.is_machine();
        if mode == "premium" {
            let result = if machine {
                "machine"
            } else {
                "human_residence"
            };
            self.call_event(
                "call.machine.premium.detection.ended",
                id,
                &[("result", result.into())],
            );
            if machine {
                self.call_event(
                    "call.machine.premium.greeting.ended",
                    id,
                    &[("result", "beep_detected".into())],
                );
            }
            return;
        }
        let result = if machine { "machine" } else { "human" };
        self.call_event(
            "call.machine.detection.ended",
            id,
            &[("result", result.into())],
        );
        if machine && matches!(mode.as_str(), "detect_beep" | "greeting_end") {
            self.call_event(
                "call.machine.greeting.ended",
                id,
                &[("result", "beep_detected".into())],
            );
        }
    }

    /// The dial's `timeout_secs` passed.
    pub(super) fn ring_timeout(&mut self, id: &str) {
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        if call.state != CallState::Ringing {
            return;
        }
        if call.script.steps.get(call.next) == Some(&Step::NoAnswer) {
            call.next += 1;
        }
        self.end_call(
            id,
            &Ending {
                cause: "timeout",
                sip: "480",
                far_end: true,
                why: "no answer before the ring timeout",
            },
        );
    }

    /// `answer`: an incoming call is answered (a second answer changes nothing).
    pub(super) fn answer(&mut self, id: &str, json: &Value) {
        if self.calls.get(id).map(|c| c.state) != Some(CallState::Initiated) {
            return;
        }
        if let Some(call) = self.calls.get_mut(id) {
            call.record_on_answer = text(json, "record") == Some("record-from-answer");
        }
        self.answered(id);
    }

    pub(super) fn reject(&mut self, id: &str) {
        self.end_call(
            id,
            &Ending {
                cause: "call_rejected",
                sip: "603",
                far_end: false,
                why: "rejected by the application",
            },
        );
    }

    pub(super) fn hang_up(&mut self, id: &str) {
        let ringing = self.calls.get(id).map(|c| c.state) == Some(CallState::Ringing);
        let ending = if ringing {
            Ending {
                cause: "originator_cancel",
                sip: "487",
                far_end: false,
                why: "cancelled by the application",
            }
        } else {
            Ending::BY_APP
        };
        self.end_call(id, &ending);
    }

    /// Ends a call and everything it was part of, in the order Telnyx reports it.
    pub(super) fn end_call(&mut self, id: &str, ending: &Ending) {
        match self.calls.get(id) {
            Some(call) if call.state != CallState::HungUp => {}
            _ => return,
        }
        self.stop_media_on_hangup(id);
        if self.calls.get(id).is_some_and(|c| c.gather.is_some()) {
            self.end_gather(id, "call_hangup", "");
        }
        self.leave_conference_on_hangup(id);
        self.leave_queue(id, "hangup");
        let now = self.clock.now;
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        let source = call.side(ending.far_end);
        call.state = CallState::HungUp;
        call.ended_at = Some(now);
        call.ended = Some(format!("at {}: {}", at(now), ending.why));
        call.hangup_cause = Some(ending.cause.to_owned());
        let partner = call.bridged_with.take();
        let ringing_leg = call.transfer_to.take();
        self.call_event(
            "call.hangup",
            id,
            &[
                ("state", "hangup".into()),
                ("hangup_cause", ending.cause.into()),
                ("hangup_source", source.into()),
                ("sip_hangup_cause", ending.sip.into()),
            ],
        );
        self.save_recording(id);
        if let Some(leg) = ringing_leg {
            self.hang_up(&leg);
        }
        if let Some(partner) = partner {
            let parks = self.calls.get_mut(&partner).is_some_and(|p| {
                p.bridged_with = None;
                if p.park_after_unbridge && p.state == CallState::Bridged {
                    p.state = CallState::Answered;
                }
                p.park_after_unbridge
            });
            if !parks {
                self.end_call(
                    &partner,
                    &Ending {
                        cause: "normal_clearing",
                        sip: "16",
                        far_end: !ending.far_end,
                        why: "the leg it was bridged to hung up",
                    },
                );
            }
        }
    }

    /// `transfer`: a new leg to `to` in the same session; bridged with this call when it answers.
    pub(super) fn transfer(&mut self, id: &str, json: &Value) -> Result<(), Refusal> {
        let call = self.live_call(id, None)?;
        let to = text(json, "to").unwrap_or_default().to_owned();
        let from = text(json, "from").map_or_else(|| call.to.clone(), str::to_owned);
        let connection = call.connection_id.clone();
        let session = call.session_id.clone();
        let leg = self.outgoing_leg(&from, &to, &connection, json, Some(session));
        let parks = text(json, "park_after_unbridge") == Some("self");
        if let Some(a) = self.calls.get_mut(id) {
            a.transfer_to = Some(leg.clone());
            a.park_after_unbridge = parks;
        }
        if let Some(b) = self.calls.get_mut(&leg) {
            b.transfer_from = Some(id.to_owned());
        }
        self.ring(&leg);
        Ok(())
    }

    /// `bridge`: this call with `call_control_id`, or with the first call waiting in `queue`.
    pub(super) fn bridge(&mut self, id: &str, json: &Value) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let other = match (text(json, "call_control_id"), text(json, "queue")) {
            (Some(other), _) => other.to_owned(),
            (None, Some(queue)) => self.first_in_queue(queue).ok_or_else(|| {
                Refusal::not_found(format!("No call waits in the queue {queue:?}."))
            })?,
            (None, None) => return Err(Refusal::unknown_call("").at(Some("/call_control_id"))),
        };
        self.answered_call(&other, Some("/call_control_id"))?;
        if self.calls.get(&other).is_some_and(|c| c.queue.is_some()) {
            self.leave_queue(&other, "bridged");
        }
        if let Some(a) = self.calls.get_mut(id) {
            a.park_after_unbridge = text(json, "park_after_unbridge") == Some("self");
        }
        self.join(id, &other);
        Ok(())
    }

    /// Two answered legs bridged: `call.bridged` for each.
    fn join(&mut self, a: &str, b: &str) {
        for (this, that) in [(a, b), (b, a)] {
            if let Some(call) = self.calls.get_mut(this) {
                call.state = CallState::Bridged;
                call.bridged_with = Some(that.to_owned());
            }
        }
        self.call_event("call.bridged", a, &[]);
        self.call_event("call.bridged", b, &[]);
    }

    /// `GET /calls/{id}`: the example with this call's ids and liveness.
    pub(super) fn status(&mut self, id: &str, response: &mut Value) {
        let now = self.clock.now;
        let Some(call) = self.calls.get(id) else {
            return;
        };
        set_data(response, "call_leg_id", call.leg_id.clone());
        set_data(response, "call_session_id", call.session_id.clone());
        set_data(response, "is_alive", call.state != CallState::HungUp);
        let since = call.answered_at.unwrap_or(call.started_at);
        let duration = call.ended_at.unwrap_or(now).saturating_sub(since);
        set_data(response, "call_duration", duration.as_secs());
        set_data(
            response,
            "start_time",
            self.clock.timestamp_at(call.started_at),
        );
        match call.ended_at {
            Some(end) => set_data(response, "end_time", self.clock.timestamp_at(end)),
            None => set_data(response, "end_time", Value::Null),
        }
        match &call.client_state {
            Some(state) => set_data(response, "client_state", state.clone()),
            None => set_data(response, "client_state", Value::Null),
        }
    }

    pub(super) fn record_start(&mut self, id: &str, json: &Value) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let channels = text(json, "channels").unwrap_or("single");
        let format = text(json, "format").unwrap_or("mp3");
        let transcription = flag(json, "transcription");
        self.start_recording(id, transcription, channels, format);
        Ok(())
    }

    fn start_recording(&mut self, id: &str, transcription: bool, channels: &str, format: &str) {
        let now = self.clock.now;
        if let Some(call) = self.calls.get_mut(id) {
            call.recording = Some(Recording {
                started_at: now,
                transcription,
                channels: channels.to_owned(),
                format: format.to_owned(),
            });
        }
    }

    pub(super) fn record_stop(&mut self, id: &str) {
        self.save_recording(id);
    }

    /// `call.recording.saved` for a running recording (and its transcription, when asked for).
    fn save_recording(&mut self, id: &str) {
        let Some(recording) = self.calls.get_mut(id).and_then(|c| c.recording.take()) else {
            return;
        };
        let n = self.next_id();
        let recording_id = format!("00000000-0000-4000-9000-{n:012x}");
        let urls = json!({
            recording.format.as_str(): format!("http://127.0.0.1/fake-recordings/{recording_id}.{}", recording.format),
        });
        self.call_event(
            "call.recording.saved",
            id,
            &[
                ("recording_id", recording_id.clone().into()),
                ("channels", recording.channels.clone().into()),
                ("format", recording.format.clone().into()),
                (
                    "recording_started_at",
                    self.clock.timestamp_at(recording.started_at).into(),
                ),
                ("recording_ended_at", self.clock.timestamp().into()),
                ("recording_urls", urls.clone()),
                ("public_recording_urls", urls),
            ],
        );
        if recording.transcription {
            self.call_event(
                "call.recording.transcription.saved",
                id,
                &[
                    ("recording_id", recording_id.into()),
                    (
                        "transcription_text",
                        "(the simulated caller's words)".into(),
                    ),
                    ("status", "completed".into()),
                ],
            );
        }
    }
}
