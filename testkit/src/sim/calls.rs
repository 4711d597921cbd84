//! Calls: dialling, answering, hanging up, transfers and bridges, recording, and the far end's
//! script.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};
use telnyx_call_control_contract::{timing, Field};

use super::body::Body;
use super::clock::{at, Action};
use super::detection::Detection;
use super::media::{Gather, Media};
use super::queue::Queued;
use super::{set_data, Refusal, Sim};
use crate::script::{FarEnd, Step};
use crate::views::{CallState, CallView, Direction};

/// One simulated call leg.
#[derive(Clone)]
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
    /// The answering-machine detection a dial or transfer asked for.
    pub detection: Option<Detection>,
    pub record_on_answer: bool,
    /// `webhook_retries_policies` of its dial, answer or transfer: redelivery delays by event type.
    pub retries: BTreeMap<String, Vec<Duration>>,
    pub conference: Option<String>,
    pub queue: Option<Queued>,
}

/// A recording in progress.
#[derive(Clone)]
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
            retries: BTreeMap::new(),
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
        let what = format!("call from {from} to {to}: {:?}", call.state);
        self.calls.insert(id.clone(), call);
        self.note(Some(&id), what);
        id
    }

    /// `POST /calls`: a new outgoing call to the body's `to`, ringing its far end (unless `ring` is
    /// false: the test gives what happens instead).
    pub(super) fn dial(&mut self, body: Body<'_>, response: &mut Value, ring: bool) -> String {
        let to = body
            .texts(Field::To)
            .first()
            .copied()
            .unwrap_or_default()
            .to_owned();
        let from = body.text(Field::From).unwrap_or_default().to_owned();
        let connection = body
            .text(Field::ConnectionId)
            .unwrap_or_default()
            .to_owned();
        let id = self.outgoing_leg(&from, &to, &connection, body, None, ring);
        if let Some(call) = self.calls.get(&id) {
            set_data(response, "call_leg_id", call.leg_id.clone());
            set_data(response, "call_session_id", call.session_id.clone());
            set_data(response, "is_alive", true);
            match &call.client_state {
                Some(state) => set_data(response, "client_state", state.clone()),
                None => set_data(response, "client_state", Value::Null),
            }
        }
        if ring {
            self.ring(&id);
        }
        id
    }

    /// A new outgoing leg (a dial, or a transfer's new leg in the session `session`), from the
    /// body's options: detection, recording, ring timeout, client state, redelivery policies.
    fn outgoing_leg(
        &mut self,
        from: &str,
        to: &str,
        connection: &str,
        body: Body<'_>,
        session: Option<String>,
        ring: bool,
    ) -> String {
        // A transfer's new leg carries the transfer's `target_leg_client_state`.
        let state_field = match session {
            Some(_) => Field::TargetLegClientState,
            None => Field::ClientState,
        };
        let script = if ring {
            self.next_far_end(to)
        } else {
            FarEnd::new()
        };
        let id = self.new_call(Direction::Outgoing, from, to, connection, script);
        let timeout = body
            .seconds(Field::TimeoutSecs)
            .unwrap_or(timing::RING_TIMEOUT);
        if let Some(call) = self.calls.get_mut(&id) {
            if let Some(session) = session {
                call.session_id = session;
            }
            call.detection = Detection::asked(body);
            call.record_on_answer = body.text(Field::Record) == Some("record-from-answer");
            call.client_state = body.text(state_field).map(str::to_owned);
            call.retries = body.retries();
        }
        if ring {
            self.schedule(timeout, Action::RingTimeout { call: id.clone() });
        }
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
        self.start_detection(id);
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
        let now = self.clock.now;
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        call.answered_at = Some(now);
        let record = std::mem::take(&mut call.record_on_answer);
        self.set_state(id, CallState::Answered);
        self.call_event("call.answered", id, &[("state", "answered".into())]);
        if record {
            self.start_recording(id, false, "single", "mp3");
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
    pub(super) fn answer(&mut self, id: &str, body: Body<'_>) {
        if self.calls.get(id).map(|c| c.state) != Some(CallState::Initiated) {
            return;
        }
        if let Some(call) = self.calls.get_mut(id) {
            call.record_on_answer = body.text(Field::Record) == Some("record-from-answer");
            call.retries = body.retries();
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
        call.ended_at = Some(now);
        call.ended = Some(format!("at {}: {}", at(now), ending.why));
        call.hangup_cause = Some(ending.cause.to_owned());
        let partner = call.bridged_with.take();
        let ringing_leg = call.transfer_to.take();
        self.set_state(id, CallState::HungUp);
        self.note(
            Some(id),
            format!("ended: {} ({})", ending.why, ending.cause),
        );
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
                p.park_after_unbridge
            });
            if parks && self.calls.get(&partner).map(|p| p.state) == Some(CallState::Bridged) {
                self.set_state(&partner, CallState::Answered);
            }
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
    pub(super) fn transfer(&mut self, id: &str, body: Body<'_>) -> Result<(), Refusal> {
        let call = self.live_call(id, None)?;
        let to = body
            .texts(Field::To)
            .first()
            .copied()
            .unwrap_or_default()
            .to_owned();
        let from = body
            .text(Field::From)
            .map_or_else(|| call.to.clone(), str::to_owned);
        let connection = call.connection_id.clone();
        let session = call.session_id.clone();
        let leg = self.outgoing_leg(&from, &to, &connection, body, Some(session), true);
        let parks = body.text(Field::ParkAfterUnbridge) == Some("self");
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
    pub(super) fn bridge(&mut self, id: &str, body: Body<'_>) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let other = match (body.text(Field::CallControlId), body.text(Field::Queue)) {
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
            a.park_after_unbridge = body.text(Field::ParkAfterUnbridge) == Some("self");
        }
        self.join(id, &other);
        Ok(())
    }

    /// Two answered legs bridged: `call.bridged` for each.
    fn join(&mut self, a: &str, b: &str) {
        for (this, that) in [(a, b), (b, a)] {
            if let Some(call) = self.calls.get_mut(this) {
                call.bridged_with = Some(that.to_owned());
            }
            self.set_state(this, CallState::Bridged);
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

    pub(super) fn record_start(&mut self, id: &str, body: Body<'_>) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let channels = body.text(Field::Channels).unwrap_or("single");
        let format = body.text(Field::Format).unwrap_or("mp3");
        let transcription = body.flag(Field::Transcription);
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
