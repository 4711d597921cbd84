//! The fake's state, shared by its handle, its server, its delivery task and its clock: what was
//! asked of it, what it answered, and what waits (webhooks on their way, the application's timers).
//! Each of those adds its own methods to [`Shared`] where it is written (`outbox.rs`, `clock.rs`,
//! `server.rs`); this module holds the state they share and nothing that acts on it.

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use ed25519_dalek::SigningKey;
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::contract::Operation;
use crate::deliver::{Delivery, GivenUp};
use crate::event::Event;
use crate::fault::Fault;
use crate::record::{Command, RecordedRequest};
use crate::sim::Sim;

/// What a test gives for the events that follow a command.
pub(crate) type Reaction<O> = Arc<dyn Fn(&Command<O>) -> Vec<Event> + Send + Sync>;

/// How the fake delivers webhooks.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// How long the application has to answer a delivery.
    pub webhook_timeout: Duration,
    /// The delays between redeliveries, where a call's own policy does not say.
    pub retries: Vec<Duration>,
}

/// A timer's task, waiting to be due.
pub(crate) type Task = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// An event on its way, with the attempts made and the redelivery delays left.
pub(crate) struct Outgoing {
    pub event: Event,
    pub attempts: u32,
    pub retries: VecDeque<Duration>,
}

/// A batch of deliveries as queued: each with the id it is pending under.
pub(crate) type Batch = Vec<(u64, Outgoing)>;

/// State shared by the handle, the server and the delivery task.
pub(crate) struct Shared<O: Operation> {
    pub(crate) api_key: String,
    pub(crate) signing_key: SigningKey,
    pub(crate) http: reqwest::Client,
    pub(crate) settings: Settings,
    pub(crate) state: Mutex<State<O>>,
    pub(crate) queue: mpsc::UnboundedSender<Batch>,
    /// How many requests, deliveries and timers are being handled or queued.
    pub(crate) pending: watch::Sender<usize>,
}

pub(crate) struct State<O: Operation> {
    pub(crate) webhook_url: Option<url::Url>,
    pub(crate) failover_url: Option<url::Url>,
    pub(crate) requests: Vec<RecordedRequest<O>>,
    pub(crate) commands: Vec<Command<O>>,
    pub(crate) faults: BTreeMap<O, VecDeque<Fault>>,
    pub(crate) reactions: BTreeMap<O, Reaction<O>>,
    /// The answer to every accepted command with a `command_id`, by `(call, command_id)`: a repeat
    /// gets the same answer and is not run again.
    pub(crate) answered: BTreeMap<(String, String), Value>,
    /// Every delivery attempt.
    pub(crate) deliveries: Vec<Delivery>,
    /// Webhooks given up on since the last `settle`.
    pub(crate) given_up: Vec<GivenUp>,
    /// Webhooks waiting for their redelivery, by key.
    pub(crate) redeliveries: BTreeMap<u64, Outgoing>,
    /// The application's timers waiting to be due, by key.
    pub(crate) timers: BTreeMap<u64, Task>,
    /// Keys of redeliveries and timers.
    pub(crate) keys: u64,
    pub(crate) calls_created: u64,
    /// Whether calls are simulated; the simulation's clock and schedule run either way.
    pub(crate) simulate: bool,
    pub(crate) sim: Sim,
    /// What is pending, by id: `the request POST /calls`, `the delivery of callAnswered`, with the
    /// call it is about.
    pub(crate) busy: BTreeMap<u64, (String, Option<String>)>,
    busy_ids: u64,
}

impl<O: Operation> State<O> {
    pub(crate) fn new(
        webhook_url: Option<url::Url>,
        failover_url: Option<url::Url>,
        simulate: bool,
    ) -> Self {
        State {
            webhook_url,
            failover_url,
            requests: Vec::new(),
            commands: Vec::new(),
            faults: BTreeMap::new(),
            reactions: BTreeMap::new(),
            answered: BTreeMap::new(),
            deliveries: Vec::new(),
            given_up: Vec::new(),
            redeliveries: BTreeMap::new(),
            timers: BTreeMap::new(),
            keys: 0,
            calls_created: 0,
            simulate,
            sim: Sim::new(O::event),
            busy: BTreeMap::new(),
            busy_ids: 0,
        }
    }

    /// What every event gets as it happens: a fresh id and the simulation's time.
    pub(crate) fn stamp(&mut self, event: &mut Event) {
        event.stamp(&uuid::Uuid::new_v4().to_string(), &self.sim.timestamp());
    }
}

/// A request being handled: counted as pending until dropped.
pub(crate) struct Busy<'s, O: Operation> {
    shared: &'s Shared<O>,
    id: u64,
}

impl<O: Operation> Drop for Busy<'_, O> {
    fn drop(&mut self) {
        self.shared.untrack(self.id);
    }
}

impl<O: Operation> Shared<O> {
    /// The state, also after a panic elsewhere (the fake keeps answering).
    pub(crate) fn state(&self) -> MutexGuard<'_, State<O>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts `what` (about `call`) as pending; its id, to untrack it.
    pub(crate) fn track(&self, what: String, call: Option<String>) -> u64 {
        let id = {
            let mut state = self.state();
            state.busy_ids += 1;
            let id = state.busy_ids;
            state.busy.insert(id, (what, call));
            id
        };
        self.pending.send_modify(|n| *n += 1);
        id
    }

    pub(crate) fn untrack(&self, id: u64) {
        if self.state().busy.remove(&id).is_some() {
            self.pending.send_modify(|n| *n = n.saturating_sub(1));
        }
    }

    /// Marks `what` pending until the guard is dropped.
    pub(crate) fn busy(&self, what: String) -> Busy<'_, O> {
        Busy {
            shared: self,
            id: self.track(what, None),
        }
    }
}
