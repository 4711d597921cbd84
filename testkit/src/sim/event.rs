//! The events the simulator sends: each starts from the spec's example of its event type and gets
//! the fields of the call or conference it is about (its id and time are stamped as it is sent, as
//! every delivery's are). A field an event's schema does not have is left out (see `Event::put`).

use serde_json::Value;

use super::Sim;
use crate::event::Event;
use crate::views::Direction;

impl Sim {
    /// The spec's example of `event_type`.
    pub(super) fn new_event(&mut self, event_type: &str) -> Option<Event> {
        (self.examples)(event_type)
    }

    /// Sends `event_type` about the call `id`, with `extra` payload fields.
    pub(super) fn call_event(&mut self, event_type: &str, id: &str, extra: &[(&str, Value)]) {
        let Some(mut event) = self.new_event(event_type) else {
            return;
        };
        let Some(call) = self.calls.get(id) else {
            return;
        };
        fill_call(&mut event, call, &self.clock);
        for (name, value) in extra {
            event.put(name, value.clone());
        }
        self.out.push(event);
    }

    /// Sends `event_type` about the conference `id` (and the participant `call`, when it is about
    /// one), with `extra` payload fields. Every webhook of a conference carries the conference's
    /// client state, whoever it is about (the spec's `client_state` of create and join).
    pub(super) fn conference_event(
        &mut self,
        event_type: &str,
        id: &str,
        call: Option<&str>,
        extra: &[(&str, Value)],
    ) {
        let Some(mut event) = self.new_event(event_type) else {
            return;
        };
        let Some(conference) = self.conferences.get(id) else {
            return;
        };
        let participant = call.and_then(|c| self.calls.get(c));
        match participant {
            Some(call) => fill_call(&mut event, call, &self.clock),
            None => {
                let creator = self.calls.get(&conference.creator);
                if let Some(creator) = creator {
                    event.put("call_control_id", creator.id.clone());
                    event.put("call_leg_id", creator.leg_id.clone());
                    event.put("call_session_id", creator.session_id.clone());
                    event.put("creator_call_session_id", creator.session_id.clone());
                }
                event.put("connection_id", conference.connection_id.clone());
            }
        }
        match &conference.client_state {
            Some(state) => event.put("client_state", state.clone()),
            None => event.take_out("client_state"),
        }
        event.put("conference_id", conference.id.clone());
        for (name, value) in extra {
            event.put(name, value.clone());
        }
        self.out.push(event);
    }
}

/// The ids, numbers and client state of a call, where the event keeps them.
fn fill_call(event: &mut Event, call: &super::CallSim, clock: &super::Clock) {
    event.put("call_control_id", call.id.clone());
    event.put("call_leg_id", call.leg_id.clone());
    event.put("call_session_id", call.session_id.clone());
    event.put("connection_id", call.connection_id.clone());
    event.put("from", call.from.clone());
    event.put("to", call.to.clone());
    let direction = match call.direction {
        Direction::Incoming => "incoming",
        Direction::Outgoing => "outgoing",
    };
    event.put("direction", direction);
    if let Some(answered) = call.answered_at {
        event.put("start_time", clock.timestamp_at(answered));
    }
    match &call.client_state {
        Some(state) => event.put("client_state", state.clone()),
        None => event.take_out("client_state"),
    }
}
