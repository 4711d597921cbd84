//! Queues: calls waiting in order, created by `enqueue` (or `POST /queues`), left by `leave_queue`,
//! a bridge, a hangup or `max_wait_time_secs`.

use std::time::Duration;

use serde_json::Value;
use telnyx_call_control_contract::{timing, Field};

use super::body::Body;
use super::clock::Action;
use super::{set_data, set_list, Refusal, Sim};
use crate::views::{CallState, QueueView};

#[derive(Clone)]
pub(crate) struct QueueSim {
    name: String,
    max_size: u64,
    /// The waiting calls, first first.
    calls: Vec<String>,
}

/// Where a call waits.
#[derive(Clone)]
pub(crate) struct Queued {
    pub name: String,
    since: Duration,
    /// The `max_wait_time_secs` timeout that belongs to this stay.
    token: u64,
}

impl Queued {
    pub fn token(&self) -> u64 {
        self.token
    }
}

impl QueueSim {
    fn new(name: &str, max_size: u64) -> Self {
        QueueSim {
            name: name.to_owned(),
            max_size,
            calls: Vec::new(),
        }
    }

    /// A call's place (1 first).
    pub fn position(&self, call: &str) -> Option<usize> {
        self.calls.iter().position(|c| c == call).map(|i| i + 1)
    }

    pub fn view(&self) -> QueueView {
        QueueView {
            name: self.name.clone(),
            max_size: usize::try_from(self.max_size).unwrap_or(usize::MAX),
            calls: self.calls.clone(),
        }
    }
}

impl Sim {
    /// `enqueue`: the call joins the end of `queue_name`; `call.enqueued` with its place.
    pub(super) fn enqueue(&mut self, id: &str, body: Body<'_>) -> Result<(), Refusal> {
        self.answered_call(id, None)?;
        let name = body.text(Field::QueueName).unwrap_or_default().to_owned();
        if self.calls.get(id).is_some_and(|c| c.queue.is_some()) {
            return Err(Refusal::unprocessable(
                "90038",
                "Call already in queue",
                "Call can't be added to a queue it's already in.",
            ));
        }
        let max_size = body.count(Field::MaxSize).unwrap_or(timing::QUEUE_SIZE);
        let queue = self
            .queues
            .entry(name.clone())
            .or_insert_with(|| QueueSim::new(&name, max_size));
        if u64::try_from(queue.calls.len()).unwrap_or(u64::MAX) >= queue.max_size {
            return Err(Refusal::unprocessable(
                "90036",
                "Queue full",
                format!("The '{name}' queue is full and can't accept more calls."),
            ));
        }
        queue.calls.push(id.to_owned());
        let position = queue.calls.len();
        let token = self.next_id();
        let since = self.clock.now;
        if let Some(call) = self.calls.get_mut(id) {
            call.queue = Some(Queued {
                name: name.clone(),
                since,
                token,
            });
        }
        if let Some(wait) = body.seconds(Field::MaxWaitTimeSecs) {
            let timeout = Action::QueueTimeout {
                call: id.to_owned(),
                token,
            };
            self.schedule(wait, timeout);
        }
        self.call_event(
            "call.enqueued",
            id,
            &[
                ("queue", name.into()),
                ("current_position", position.into()),
            ],
        );
        Ok(())
    }

    /// The call leaves its queue (if it is in one) with `reason`: `call.dequeued`.
    pub(super) fn leave_queue(&mut self, id: &str, reason: &str) {
        let now = self.clock.now;
        let Some(queued) = self.calls.get_mut(id).and_then(|c| c.queue.take()) else {
            return;
        };
        let position = match self.queues.get_mut(&queued.name) {
            Some(queue) => {
                let position = queue.position(id);
                queue.calls.retain(|c| c != id);
                position.unwrap_or_default()
            }
            None => 0,
        };
        let waited = now.saturating_sub(queued.since).as_secs();
        self.call_event(
            "call.dequeued",
            id,
            &[
                ("queue", queued.name.into()),
                ("queue_position", position.into()),
                ("reason", reason.into()),
                ("wait_time_secs", waited.into()),
            ],
        );
    }

    /// Takes `call` out of `queue` without events (the test's events said it left).
    pub(super) fn drop_from_queue(&mut self, queue: &str, call: &str) {
        if let Some(queue) = self.queues.get_mut(queue) {
            queue.calls.retain(|c| c != call);
        }
    }

    /// `max_wait_time_secs` passed for the stay `token`.
    pub(super) fn queue_timeout(&mut self, id: &str, token: u64) {
        let current = self
            .calls
            .get(id)
            .and_then(|c| c.queue.as_ref())
            .map(|q| q.token);
        if current == Some(token) {
            self.leave_queue(id, "timeout");
        }
    }

    /// The call waiting longest in `queue`.
    pub(super) fn first_in_queue(&self, queue: &str) -> Option<String> {
        self.queues.get(queue)?.calls.first().cloned()
    }

    /// `POST /queues`: an empty queue.
    pub(super) fn create_queue(&mut self, body: Body<'_>, response: &mut Value) {
        let name = body.text(Field::QueueName).unwrap_or_default().to_owned();
        let max_size = body.count(Field::MaxSize).unwrap_or(timing::QUEUE_SIZE);
        let queue = self
            .queues
            .entry(name.clone())
            .or_insert_with(|| QueueSim::new(&name, max_size));
        queue.max_size = max_size;
        fill_queue(response, queue);
    }

    fn known_queue(&self, name: &str) -> Result<&QueueSim, Refusal> {
        self.queues
            .get(name)
            .ok_or_else(|| Refusal::not_found(format!("The simulation has no queue {name:?}.")))
    }

    pub(super) fn retrieve_queue(
        &mut self,
        name: &str,
        response: &mut Value,
    ) -> Result<(), Refusal> {
        fill_queue(response, self.known_queue(name)?);
        Ok(())
    }

    /// `GET /queues/{name}/calls`: one item per waiting call, first first.
    pub(super) fn queue_calls(&mut self, name: &str, response: &mut Value) -> Result<(), Refusal> {
        let queue = self.known_queue(name)?;
        let entries: Vec<(usize, &str)> = queue
            .calls
            .iter()
            .enumerate()
            .map(|(i, c)| (i + 1, c.as_str()))
            .collect();
        set_list(response, &entries, |item, (position, id)| {
            for (key, value) in self.queued_call(name, id, *position) {
                item.insert(key.into(), value);
            }
        });
        Ok(())
    }

    /// `GET /queues/{name}/calls/{id}`.
    pub(super) fn queue_call(
        &mut self,
        name: &str,
        id: &str,
        response: &mut Value,
    ) -> Result<(), Refusal> {
        let position = self
            .known_queue(name)?
            .position(id)
            .ok_or_else(|| Refusal::not_found(format!("No call {id:?} waits in {name:?}.")))?;
        for (key, value) in self.queued_call(name, id, position) {
            set_data(response, key, value);
        }
        Ok(())
    }

    /// What the API says of a waiting call.
    fn queued_call(&self, name: &str, id: &str, position: usize) -> Vec<(&'static str, Value)> {
        let Some(call) = self.calls.get(id) else {
            return Vec::new();
        };
        let since = call.queue.as_ref().map_or(self.clock.now, |q| q.since);
        vec![
            ("call_control_id", call.id.clone().into()),
            ("call_leg_id", call.leg_id.clone().into()),
            ("call_session_id", call.session_id.clone().into()),
            ("connection_id", call.connection_id.clone().into()),
            ("from", call.from.clone().into()),
            ("to", call.to.clone().into()),
            ("is_alive", (call.state != CallState::HungUp).into()),
            ("queue_id", name.to_owned().into()),
            ("queue_position", position.into()),
            ("enqueued_at", self.clock.timestamp_at(since).into()),
            (
                "wait_time_secs",
                self.clock.now.saturating_sub(since).as_secs().into(),
            ),
        ]
    }

    /// `DELETE /queues/{name}/calls/{id}`: as `leave_queue`.
    pub(super) fn remove_from_queue(&mut self, name: &str, id: &str) -> Result<(), Refusal> {
        self.known_queue(name)?
            .position(id)
            .ok_or_else(|| Refusal::not_found(format!("No call {id:?} waits in {name:?}.")))?;
        self.leave_queue(id, "leave");
        Ok(())
    }
}

fn fill_queue(response: &mut Value, queue: &QueueSim) {
    set_data(response, "name", queue.name.clone());
    set_data(response, "id", queue.name.clone());
    set_data(response, "current_size", queue.calls.len());
    set_data(response, "max_size", queue.max_size);
}
