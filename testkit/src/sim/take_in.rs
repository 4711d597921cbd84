//! The events a test gives instead of the simulator's reaction to a command
//! ([`FakeTelnyx::on`](crate::FakeTelnyx::on)), taken in as what happened: the simulation's state
//! follows what they report, quietly (nothing more is sent for them), so that later commands and
//! events agree with what the application was told.

use serde_json::Value;

use super::Sim;
use crate::event::Event;
use crate::views::CallState;

impl Sim {
    /// Takes in `event`, about a call the simulation knows: `call.answered` answers it,
    /// `call.hangup` ends it (its media, gather, conference and queue with it, without events),
    /// `call.gather.ended` ends its gather, `call.speak.ended` and `call.playback.ended` end what
    /// plays; the client state it carries is the call's from then on.
    pub fn take_in(&mut self, event: &Event) {
        let (Some(id), Some(event_type)) = (event.call_control_id(), event.event_type()) else {
            return;
        };
        let id = id.to_owned();
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        call.client_state = event.client_state().map(str::to_owned);
        self.note(Some(&id), format!("taken in: {event_type}"));
        match event_type {
            "call.answered" => self.answered_quietly(&id),
            "call.hangup" => {
                let cause = event
                    .json()
                    .pointer("/data/payload/hangup_cause")
                    .and_then(Value::as_str)
                    .unwrap_or("normal_clearing")
                    .to_owned();
                self.hung_up_quietly(&id, cause);
            }
            "call.gather.ended" => {
                if let Some(call) = self.calls.get_mut(&id) {
                    call.gather = None;
                }
            }
            "call.speak.ended" | "call.playback.ended" => self.clear_media(&id),
            _ => {}
        }
    }

    fn answered_quietly(&mut self, id: &str) {
        let now = self.clock.now;
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        if matches!(call.state, CallState::Initiated | CallState::Ringing) {
            call.answered_at = Some(now);
            self.set_state(id, CallState::Answered);
        }
    }

    fn hung_up_quietly(&mut self, id: &str, cause: String) {
        let now = self.clock.now;
        let Some(call) = self.calls.get_mut(id) else {
            return;
        };
        if call.state == CallState::HungUp {
            return;
        }
        call.gather = None;
        call.recording = None;
        call.ended_at = Some(now);
        call.ended = Some(format!(
            "at {}: reported by the test's events",
            super::at(now)
        ));
        call.hangup_cause = Some(cause);
        let partner = call.bridged_with.take();
        let conference = call.conference.take();
        let queue = call.queue.take();
        self.clear_media(id);
        self.set_state(id, CallState::HungUp);
        if let Some(partner) = partner {
            if let Some(p) = self.calls.get_mut(&partner) {
                p.bridged_with = None;
            }
        }
        if let Some(conference) = conference {
            self.drop_participant(&conference, id);
        }
        if let Some(queued) = queue {
            self.drop_from_queue(&queued.name, id);
        }
    }
}
