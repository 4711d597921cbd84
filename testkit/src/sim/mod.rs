//! The call simulator behind [`FakeBuilder::simulate`](super::FakeBuilder::simulate): calls with a
//! state and legs, conferences, queues, and far ends that follow a [`FarEnd`] script. Commands change
//! the state and the events follow from what happened; time is virtual (see `clock.rs`).
//!
//! Which behaviour an operation gets is chosen by the generator from the spec ([`Route::behaviour`],
//! documented on each generated `Operation` variant); the behaviours are carried out here: `calls.rs`
//! (dial, answer, hang up, transfer, bridge, recording), `detection.rs`, `media.rs` (speech,
//! playback, gathers), `conference.rs` and `queue.rs`. Request bodies are read through `body.rs`,
//! by the fields the contract declares. `take_in.rs` takes in the events a test sends instead of the
//! simulator's ([`FakeTelnyx::on`](super::FakeTelnyx::on)).
//!
//! The clock and the schedule also run when calls are not simulated: redeliveries and the
//! application's own timers are due on them.

mod body;
mod calls;
mod clock;
mod conference;
mod detection;
mod event;
mod media;
mod queue;
mod take_in;

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use serde_json::Value;

use self::body::Body;
use self::calls::CallSim;
use self::clock::{Action, Clock, Schedule};
use self::conference::ConferenceSim;
use self::queue::{QueueSim, Queued};
use crate::contract::{Behaviour, Operation, Route, Segment};
use crate::event::Event;
use crate::script::{FarEnd, ScriptError, Step};
use crate::timeline::Timeline;
use crate::views::{CallState, CallView, ConferenceView, Direction, QueueView};
use telnyx_call_control_contract::Field;

pub(crate) use self::body::read;
pub(crate) use self::clock::at;

/// The path parameters of a request, by name, percent-decoded (the server reads them; commands
/// are about the call they name).
pub(crate) type Params = Vec<(&'static str, String)>;

/// A command the simulation refuses, as the API refuses it (the codes and texts are the spec's
/// examples of `UnprocessableEntityResponse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub pointer: Option<&'static str>,
}

impl Refusal {
    fn unprocessable(code: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Refusal {
            status: 422,
            code,
            title,
            detail: detail.into(),
            pointer: None,
        }
    }

    fn at(mut self, pointer: Option<&'static str>) -> Self {
        self.pointer = pointer;
        self
    }

    pub fn call_ended() -> Self {
        Refusal::unprocessable(
            "90018",
            "Call has already ended",
            "This call is no longer active and can't receive commands.",
        )
    }

    fn not_answered() -> Self {
        Refusal::unprocessable(
            "90034",
            "Call not answered yet",
            "This call can't receive this command because it has not been answered yet.",
        )
    }

    fn unknown_call(id: &str) -> Self {
        Refusal::unprocessable(
            "90015",
            "Invalid Call Control ID",
            format!(
                "The call_control_id provided was not valid: the simulation has no call {id:?} \
                 (start calls with FakeTelnyx::incoming_call or by dialling)."
            ),
        )
    }

    fn conference_ended() -> Self {
        Refusal::unprocessable(
            "90019",
            "Conference has already ended",
            "This conference is no longer active and can't receive commands.",
        )
    }

    fn not_found(what: String) -> Self {
        Refusal {
            status: 404,
            code: "10005",
            title: "Resource not found",
            detail: what,
            pointer: None,
        }
    }
}

/// What an accepted command did: the call it created (if any) and the events that follow.
pub(crate) struct Outcome {
    pub call: Option<String>,
    pub events: Vec<Event>,
}

/// What became due on the schedule.
pub(crate) enum Fired {
    /// Events of the simulation, to deliver.
    Events(Vec<Event>),
    /// A webhook to deliver again (its key in the fake's redeliveries).
    Redeliver(u64),
    /// An application's timer (its key in the fake's timers).
    Timer(u64),
}

/// A step a far end waited to take in vain (a `presses` no gather took), reported by `settle`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the far end of {call} ({number}): step {step} `{text}` was never used: {why}")]
#[non_exhaustive]
pub struct UnusedStep {
    pub call: String,
    /// The far end's number (`from` of an incoming call, `to` of a dialled one).
    pub number: String,
    /// 1-based.
    pub step: usize,
    pub text: String,
    pub why: String,
}

/// The spec's example of an event type ([`Operation::event`]).
pub(crate) type EventExamples = fn(&str) -> Option<Event>;

/// The whole simulated world.
#[derive(Clone)]
pub(crate) struct Sim {
    /// Where events start from.
    examples: EventExamples,
    clock: Clock,
    schedule: Schedule,
    /// Counters for ids and tokens.
    ids: u64,
    calls: BTreeMap<String, CallSim>,
    conferences: BTreeMap<String, ConferenceSim>,
    queues: BTreeMap<String, QueueSim>,
    /// What each number does when it is dialled: the next script of its sequence, the last one for
    /// every later call.
    far_ends: BTreeMap<String, VecDeque<FarEnd>>,
    /// Events of the step being simulated, in order.
    out: Vec<Event>,
    /// Steps already reported unused (each is reported once).
    reported: Vec<(String, usize)>,
    /// What happened, for messages.
    pub timeline: Timeline,
}

/// The `connection_id` of incoming calls (a dial names its own).
const CONNECTION_ID: &str = "fake-connection";

impl Sim {
    pub fn new(examples: EventExamples) -> Self {
        Sim {
            examples,
            clock: Clock::start(),
            schedule: Schedule::default(),
            ids: 0,
            calls: BTreeMap::new(),
            conferences: BTreeMap::new(),
            queues: BTreeMap::new(),
            far_ends: BTreeMap::new(),
            out: Vec::new(),
            reported: Vec::new(),
            timeline: Timeline::default(),
        }
    }

    pub fn now(&self) -> Duration {
        self.clock.now
    }

    /// The simulation's time as an event's timestamp.
    pub fn timestamp(&self) -> String {
        self.clock.timestamp()
    }

    fn next_id(&mut self) -> u64 {
        self.ids += 1;
        self.ids
    }

    fn schedule(&mut self, after: Duration, action: Action) {
        self.schedule.schedule(self.clock.now + after, action);
    }

    /// Notes what happened now, about `call`.
    pub fn note(&mut self, call: Option<&str>, what: String) {
        self.timeline.push(self.clock.now, call, what);
    }

    /// A webhook to deliver again `after` from now.
    pub fn redeliver(&mut self, after: Duration, delivery: u64, event: String) {
        self.schedule(after, Action::Redeliver { delivery, event });
    }

    /// An application's timer, due `after` from now.
    pub fn timer(&mut self, after: Duration, timer: u64) {
        self.schedule(after, Action::Timer { timer });
    }

    /// What `number` does when the application dials or transfers to it: each call takes the next
    /// script of `scripts`, and the last one stays for every later call.
    pub fn set_far_ends(&mut self, number: &str, scripts: Vec<FarEnd>) -> Result<(), ScriptError> {
        for script in &scripts {
            script.check(false)?;
        }
        self.far_ends.insert(number.to_owned(), scripts.into());
        Ok(())
    }

    /// The script of the next call to `number`.
    fn next_far_end(&mut self, number: &str) -> FarEnd {
        match self.far_ends.get_mut(number) {
            Some(scripts) if scripts.len() > 1 => scripts.pop_front().unwrap_or_default(),
            Some(scripts) => scripts.front().cloned().unwrap_or_default(),
            None => FarEnd::new(),
        }
    }

    /// An incoming call from `from` to `to`: `call.initiated`, then the caller's script.
    pub fn incoming(
        &mut self,
        from: &str,
        to: &str,
        script: FarEnd,
    ) -> Result<(String, Vec<Event>), ScriptError> {
        script.check(true)?;
        let id = self.new_call(Direction::Incoming, from, to, CONNECTION_ID, script);
        self.call_event("call.initiated", &id, &[("state", "parked".into())]);
        self.proceed(&id);
        Ok((id, std::mem::take(&mut self.out)))
    }

    /// Runs a command the server accepted; refuses what the API would refuse.
    pub fn command<O: Operation>(
        &mut self,
        route: &Route<O>,
        params: &Params,
        json: &Value,
        response: &mut Value,
    ) -> Result<Outcome, Refusal> {
        let body = Body::new(json, route.behaviour);
        let param = |name: &str| {
            params
                .iter()
                .find_map(|(n, v)| (*n == name).then(|| v.clone()))
        };
        let call = param("call_control_id");
        let on_call = route
            .segments
            .first()
            .is_some_and(|s| matches!(s, Segment::Static("calls")));
        let outcome = match (&call, on_call) {
            (Some(id), true) => {
                if route.behaviour == Behaviour::CallStatus {
                    self.known_call(id, None)?;
                    self.call_command(route, id, body, response)
                } else {
                    self.live_call(id, None)?;
                    // The command's client state is on its own events and every later one; a
                    // refused command changes nothing.
                    let given = body.text(Field::ClientState);
                    let before = given.and_then(|state| self.set_client_state(id, state));
                    let outcome = self.call_command(route, id, body, response);
                    if let (Err(_), Some(before)) = (&outcome, before) {
                        if let Some(c) = self.calls.get_mut(id) {
                            c.client_state = before;
                        }
                    }
                    outcome
                }
            }
            _ => self.other_command(route, &param, body, response),
        };
        // A refused command's events never happened.
        let events = std::mem::take(&mut self.out);
        outcome.map(|call| Outcome { call, events })
    }

    /// A command whose reaction the test gives instead ([`FakeTelnyx::on`](crate::FakeTelnyx::on)):
    /// refused as the simulator would refuse it, and otherwise without effect, except that a dial
    /// gets its call (ringing, with nothing scheduled on it), whose id is returned.
    pub fn check_only<O: Operation>(
        &mut self,
        route: &Route<O>,
        params: &Params,
        json: &Value,
        response: &mut Value,
    ) -> Result<Option<String>, Refusal> {
        let example = response.clone();
        let before = self.clone();
        let checked = self.command(route, params, json, &mut Value::Null);
        *self = before;
        *response = example;
        checked?;
        if route.behaviour == Behaviour::Dial {
            let body = Body::new(json, route.behaviour);
            return Ok(Some(self.dial(body, response, false)));
        }
        Ok(None)
    }

    /// Sets a call's client state; what it was before, if the call is known.
    fn set_client_state(&mut self, id: &str, state: &str) -> Option<Option<String>> {
        let call = self.calls.get_mut(id)?;
        Some(call.client_state.replace(state.to_owned()))
    }

    /// The client state a call's events carry now.
    pub fn client_state_of(&self, id: &str) -> Option<&str> {
        self.calls.get(id)?.client_state.as_deref()
    }

    /// A command on the call `id` (alive, unless it asks for the call's status).
    fn call_command<O: Operation>(
        &mut self,
        route: &Route<O>,
        id: &str,
        body: Body<'_>,
        response: &mut Value,
    ) -> Result<Option<String>, Refusal> {
        use Behaviour as B;
        match route.behaviour {
            B::CallStatus => self.status(id, response),
            B::Answer => self.answer(id, body),
            B::Reject => self.reject(id),
            B::Hangup => self.hang_up(id),
            B::Speak => self.speak(id, body)?,
            B::Playback => self.playback(id, body)?,
            B::StopMedia => self.stop_media(id),
            B::Gather | B::GatherSpeak | B::GatherAudio => {
                self.gather(id, route.behaviour, body)?
            }
            B::GatherStop => self.gather_stop(id),
            B::RecordStart => self.record_start(id, body)?,
            B::RecordStop => self.record_stop(id),
            // Pausing and resuming a recording change nothing an application sees.
            B::RecordPause | B::RecordResume => {}
            B::Transfer => return self.transfer(id, body).map(|_| None),
            B::Bridge => self.bridge(id, body)?,
            B::Enqueue => self.enqueue(id, body)?,
            B::LeaveQueue => self.leave_queue(id, "leave"),
            B::ClientStateUpdate => {}
            _ => self.documented(route, Some(id)),
        }
        Ok(None)
    }

    /// A command that is not on a call's path: dialling, conferences, queues, the rest.
    fn other_command<O: Operation>(
        &mut self,
        route: &Route<O>,
        param: &dyn Fn(&str) -> Option<String>,
        body: Body<'_>,
        response: &mut Value,
    ) -> Result<Option<String>, Refusal> {
        use Behaviour as B;
        let conference = || param("id").or_else(|| param("conference_id"));
        let queue = || param("queue_name");
        match (route.behaviour, conference(), queue()) {
            (B::Dial, _, _) => return Ok(Some(self.dial(body, response, true))),
            (B::ConferenceCreate, _, _) => self.create_conference(body, response)?,
            (B::QueueCreate, _, _) => self.create_queue(body, response),
            (B::ConferenceRetrieve, Some(c), _) => self.retrieve_conference(&c, response)?,
            (B::ConferenceParticipants, Some(c), _) => self.participants(&c, response)?,
            (b, Some(c), _) if conference::is_action(b) => self.conference_action(b, &c, body)?,
            (B::QueueRetrieve, _, Some(q)) => self.retrieve_queue(&q, response)?,
            (B::QueueCalls, _, Some(q)) => self.queue_calls(&q, response)?,
            (B::QueueCall, _, Some(q)) => {
                let call = param("call_control_id").unwrap_or_default();
                self.queue_call(&q, &call, response)?
            }
            (B::QueueRemoveCall, _, Some(q)) => {
                let call = param("call_control_id").unwrap_or_default();
                self.remove_from_queue(&q, &call)?
            }
            _ => self.documented(route, None),
        }
        Ok(None)
    }

    /// An operation the simulator does not model: the events its documentation lists without a
    /// condition, about the call when it names one.
    fn documented<O: Operation>(&mut self, route: &Route<O>, call: Option<&str>) {
        for wire in route.webhooks {
            match call {
                Some(id) => self.call_event(wire, id, &[]),
                None => {
                    if let Some(event) = self.new_event(wire) {
                        self.out.push(event);
                    }
                }
            }
        }
    }

    /// Does the next thing due, at or before `limit`: `None` when nothing is. What no longer
    /// belongs to anything (the ring timeout of an answered call) is dropped without moving the
    /// clock.
    pub fn fire_next(&mut self, limit: Option<Duration>) -> Option<Fired> {
        let (at, action) = loop {
            let (at, action) = self.schedule.pop(limit)?;
            if self.still_due(&action) {
                break (at, action);
            }
        };
        self.clock.now = self.clock.now.max(at);
        match action {
            Action::Step { call, step } => self.script_step(&call, step),
            Action::Pickup { call } => self.pick_up(&call),
            Action::RingTimeout { call } => self.ring_timeout(&call),
            Action::Detected { call } => self.detected(&call),
            Action::GreetingEnds { call } => self.greeting_ends(&call),
            Action::MediaEnds { owner, token } => self.media_ends(&owner, token),
            Action::Pressed { call, token } => self.pressed(&call, token),
            Action::GatherTimeout { call, token } => self.gather_timeout(&call, token),
            Action::QueueTimeout { call, token } => self.queue_timeout(&call, token),
            Action::Redeliver { delivery, .. } => return Some(Fired::Redeliver(delivery)),
            Action::Timer { timer } => return Some(Fired::Timer(timer)),
        }
        Some(Fired::Events(std::mem::take(&mut self.out)))
    }

    /// Whether what `action` belongs to is still as it was when it was scheduled.
    fn still_due(&self, action: &Action) -> bool {
        let call = |id: &str| self.calls.get(id);
        let up = |id: &str| call(id).is_some_and(|c| c.state != CallState::HungUp);
        let gathering = |id: &str, token: u64| {
            call(id).and_then(|c| c.gather.as_ref()).map(|g| g.token) == Some(token)
        };
        match action {
            Action::Step { call: id, step } => up(id) && call(id).is_some_and(|c| c.next == *step),
            Action::Pickup { call: id } | Action::RingTimeout { call: id } => {
                call(id).is_some_and(|c| c.state == CallState::Ringing)
            }
            Action::Detected { call: id } | Action::GreetingEnds { call: id } => up(id),
            Action::MediaEnds { owner, token } => {
                let media = match call(owner) {
                    Some(c) => Some(&c.media),
                    None => self.conferences.get(owner).map(|c| &c.media),
                };
                media.is_some_and(|m| m.has(*token))
            }
            Action::Pressed { call: id, token } | Action::GatherTimeout { call: id, token } => {
                up(id) && gathering(id, *token)
            }
            Action::QueueTimeout { call: id, token } => {
                call(id).and_then(|c| c.queue.as_ref()).map(Queued::token) == Some(*token)
            }
            Action::Redeliver { .. } | Action::Timer { .. } => true,
        }
    }

    /// Moves the clock to `to` once everything due before it has happened.
    pub fn advance_to(&mut self, to: Duration) {
        self.clock.now = self.clock.now.max(to);
    }

    /// What is due next, for messages.
    pub fn next_due(&self) -> Option<String> {
        self.schedule.next()
    }

    /// The redelivery delays of `event_type` on the call `id`, when its dial, answer or transfer
    /// gave a `webhook_retries_policies` for it.
    pub fn retries_for(&self, id: &str, event_type: &str) -> Option<Vec<Duration>> {
        self.calls.get(id)?.retries.get(event_type).cloned()
    }

    /// Far-end steps that waited for the application in vain, each reported once: a `presses` or
    /// `times_out` no gather took, because the application never gathered or the call ended first.
    /// A timed step the call's end made moot (`hangs_up_after` once the application hung up) is no
    /// problem.
    pub fn unused_steps(&mut self) -> Vec<UnusedStep> {
        let mut out = Vec::new();
        for call in self.calls.values() {
            let Some((index, step)) = call
                .script
                .steps
                .iter()
                .enumerate()
                .skip(call.next)
                .find(|(_, s)| !s.is_trait())
                .filter(|(_, s)| matches!(s, Step::Presses(_) | Step::TimesOut))
            else {
                continue;
            };
            if self.reported.contains(&(call.id.clone(), index)) {
                continue;
            }
            let why = match &call.ended {
                Some(ended) => format!("the call ended first ({ended})"),
                None => "the application did not gather on the call".to_owned(),
            };
            out.push(UnusedStep {
                call: call.id.clone(),
                number: call.far_end_number().to_owned(),
                step: index + 1,
                text: step.to_string(),
                why,
            });
        }
        self.reported
            .extend(out.iter().map(|u| (u.call.clone(), u.step - 1)));
        out
    }

    pub fn call_view(&self, id: &str) -> Option<CallView> {
        let call = self.calls.get(id)?;
        let queue = call.queue.as_ref().and_then(|q| {
            let position = self.queues.get(&q.name)?.position(id)?;
            Some((q.name.clone(), position))
        });
        Some(call.view(queue))
    }

    pub fn call_views(&self) -> Vec<CallView> {
        self.calls
            .keys()
            .filter_map(|id| self.call_view(id))
            .collect()
    }

    pub fn conference_view(&self, id_or_name: &str) -> Option<ConferenceView> {
        let by_id = self.conferences.get(id_or_name);
        // The latest conference of that name, when asked by name.
        let by_name = || {
            self.conferences
                .values()
                .filter(|c| c.name == id_or_name)
                .max_by_key(|c| c.created)
        };
        by_id.or_else(by_name).map(ConferenceSim::view)
    }

    pub fn queue_view(&self, name: &str) -> Option<QueueView> {
        self.queues.get(name).map(QueueSim::view)
    }

    /// The call `id`, if the simulation knows it (ended or not).
    fn known_call(&self, id: &str, pointer: Option<&'static str>) -> Result<&CallSim, Refusal> {
        self.calls
            .get(id)
            .ok_or_else(|| Refusal::unknown_call(id).at(pointer))
    }

    /// The call `id`, if it has not ended.
    fn live_call(&self, id: &str, pointer: Option<&'static str>) -> Result<&CallSim, Refusal> {
        let call = self.known_call(id, pointer)?;
        if call.state == CallState::HungUp {
            return Err(Refusal::call_ended().at(pointer));
        }
        Ok(call)
    }

    /// The call `id`, if it is up (answered or bridged).
    fn answered_call(&self, id: &str, pointer: Option<&'static str>) -> Result<&CallSim, Refusal> {
        let call = self.live_call(id, pointer)?;
        match call.state {
            CallState::Answered | CallState::Bridged => Ok(call),
            _ => Err(Refusal::not_answered().at(pointer)),
        }
    }

    /// Moves the call `id` to `state`, noting the change.
    fn set_state(&mut self, id: &str, state: CallState) {
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        let before = std::mem::replace(&mut call.state, state);
        if before != state {
            self.note(Some(id), format!("state {before:?} → {state:?}"));
        }
    }
}

/// Sets `response.data.<key>` when the example has a `data` object.
fn set_data(response: &mut Value, key: &str, value: impl Into<Value>) {
    if let Some(data) = response.get_mut("data").and_then(Value::as_object_mut) {
        data.insert(key.to_owned(), value.into());
    }
}

/// Replaces `response.data` (a list) with one copy of its first item per entry, each changed by
/// `fill`; an example without items gets empty objects to fill.
fn set_list<T>(
    response: &mut Value,
    entries: &[T],
    fill: impl Fn(&mut serde_json::Map<String, Value>, &T),
) {
    let template = response
        .get("data")
        .and_then(Value::as_array)
        .and_then(|items| items.first())
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let items: Vec<Value> = entries
        .iter()
        .map(|entry| {
            let mut item = template.clone();
            fill(&mut item, entry);
            Value::Object(item)
        })
        .collect();
    let count = items.len();
    if let Some(object) = response.as_object_mut() {
        object.insert("data".into(), Value::Array(items));
        if let Some(meta) = object.get_mut("meta").and_then(Value::as_object_mut) {
            meta.insert("page_number".into(), 1.into());
            meta.insert("total_pages".into(), 1.into());
            meta.insert("total_results".into(), count.into());
        }
    }
}
