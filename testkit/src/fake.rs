//! The fake's handle: what a test starts, configures and asks about. The HTTP side is in
//! `server.rs`, deliveries in `deliver.rs`, the call simulator in `sim/`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::SigningKey;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use telnyx_call_control_runtime::{Api, ClientBuilder};

use crate::contract::Operation;
use crate::deliver::{loopback_url, post, sign, Delivery, Forgery, SendError};
use crate::event::Event;
use crate::fault::Fault;
use crate::record::{Command, RecordedRequest};
use crate::script::{FarEnd, ScriptError};
use crate::sim::{at, Sim, UnusedStep};
use crate::views::{CallView, ConferenceView, QueueView};

/// What a test gives for the events that follow a command.
pub(crate) type Reaction<O> = Arc<dyn Fn(&Command<O>) -> Vec<Event> + Send + Sync>;

/// A fake Telnyx API on a loopback port, serving the operations `O` of a generated crate (whose
/// `testing::FakeTelnyx` is this type with its `Operation`); see [the crate](crate).
///
/// Dropping it stops the server and the deliveries still queued.
pub struct FakeTelnyx<O: Operation> {
    shared: Arc<Shared<O>>,
    base_url: String,
    client: O::Client,
    settle_timeout: Duration,
    tasks: Vec<JoinHandle<()>>,
}

/// Configures a [`FakeTelnyx`]; start from [`FakeTelnyx::builder`].
#[must_use = "a builder does nothing until `start` is called"]
pub struct FakeBuilder<O: Operation> {
    api_key: String,
    seed: Option<[u8; 32]>,
    webhook_url: Option<String>,
    simulate: bool,
    settle_timeout: Duration,
    operations: PhantomData<fn() -> O>,
}

impl<O: Operation> Clone for FakeBuilder<O> {
    fn clone(&self) -> Self {
        FakeBuilder {
            api_key: self.api_key.clone(),
            seed: self.seed,
            webhook_url: self.webhook_url.clone(),
            simulate: self.simulate,
            settle_timeout: self.settle_timeout,
            operations: PhantomData,
        }
    }
}

impl<O: Operation> fmt::Debug for FakeBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeBuilder")
            .field("api_key", &self.api_key)
            .field("webhook_url", &self.webhook_url)
            .field("simulate", &self.simulate)
            .field("settle_timeout", &self.settle_timeout)
            .finish_non_exhaustive()
    }
}

/// State shared by the handle, the server and the delivery task.
pub(crate) struct Shared<O: Operation> {
    pub(crate) api_key: String,
    pub(crate) signing_key: SigningKey,
    pub(crate) http: reqwest::Client,
    state: Mutex<State<O>>,
    queue: mpsc::UnboundedSender<Vec<(u64, Event)>>,
    /// How many requests and deliveries are being handled or queued.
    pending: watch::Sender<usize>,
}

pub(crate) struct State<O: Operation> {
    pub(crate) webhook_url: Option<url::Url>,
    pub(crate) requests: Vec<RecordedRequest<O>>,
    pub(crate) commands: Vec<Command<O>>,
    pub(crate) faults: BTreeMap<O, VecDeque<Fault>>,
    pub(crate) reactions: BTreeMap<O, Reaction<O>>,
    /// `(call, command_id)` of every accepted command: a repeat is answered but not run again.
    pub(crate) command_ids: BTreeSet<(String, String)>,
    pub(crate) deliveries: Vec<Result<Delivery, String>>,
    pub(crate) failures: Vec<SendError>,
    pub(crate) calls_created: u64,
    /// The call simulator, when it is on.
    pub(crate) sim: Option<Sim>,
    /// What is pending, by id: `the request POST /calls`, `the delivery of callAnswered`.
    busy: BTreeMap<u64, String>,
    busy_ids: u64,
}

impl<O: Operation> State<O> {
    fn new(webhook_url: Option<url::Url>, sim: Option<Sim>) -> Self {
        State {
            webhook_url,
            requests: Vec::new(),
            commands: Vec::new(),
            faults: BTreeMap::new(),
            reactions: BTreeMap::new(),
            command_ids: BTreeSet::new(),
            deliveries: Vec::new(),
            failures: Vec::new(),
            calls_created: 0,
            sim,
            busy: BTreeMap::new(),
            busy_ids: 0,
        }
    }
}

/// A request or delivery being handled: counted as pending until dropped.
pub(crate) struct Busy<'s, O: Operation> {
    shared: &'s Shared<O>,
    id: u64,
}

impl<O: Operation> Drop for Busy<'_, O> {
    fn drop(&mut self) {
        self.shared.untrack(self.id);
    }
}

/// Why [`FakeTelnyx::settle`] (or [`FakeTelnyx::advance`]) did not end well.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettleError {
    /// Requests or deliveries were still pending after the timeout (an application that does not
    /// answer, or one that waits for something that never comes).
    #[error("still waiting after {timeout:?} for {}{}", .waiting_for.join(", "), .next.as_ref().map(|n| format!(" (next in the simulation: {n})")).unwrap_or_default())]
    Timeout {
        waiting_for: Vec<String>,
        /// What the simulation would do next, had it been let.
        next: Option<String>,
        timeout: Duration,
    },
    /// Deliveries the fake made on its own failed or were refused.
    #[error("{} deliveries failed: {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Deliveries(Vec<SendError>),
    /// Steps of a far end's script were never used (and the deliveries that failed, which often
    /// say why).
    #[error("{}{}", .unused.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "), if .deliveries.is_empty() { String::new() } else { format!("; {} deliveries failed: {}", .deliveries.len(), .deliveries.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")) })]
    Script {
        unused: Vec<UnusedStep>,
        deliveries: Vec<SendError>,
    },
    /// The simulation kept going (an application that redials or regathers for ever).
    #[error("the simulation did not settle after {steps} steps (at {at} of simulated time)")]
    Runaway { steps: usize, at: String },
}

/// How many things the simulation may do in one `settle` before it is called a runaway.
const MAX_STEPS: usize = 10_000;

impl<O: Operation> Default for FakeBuilder<O> {
    fn default() -> Self {
        FakeBuilder {
            api_key: "KEY_FAKE_TELNYX".into(),
            seed: None,
            webhook_url: None,
            simulate: false,
            settle_timeout: Duration::from_secs(10),
            operations: PhantomData,
        }
    }
}

impl<O: Operation> FakeBuilder<O> {
    /// The API key requests must carry (default `KEY_FAKE_TELNYX`).
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// A fixed seed for the fake's Ed25519 key (default: a random one per fake).
    pub fn signing_seed(mut self, seed: [u8; 32]) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Where webhooks are posted; must be a loopback URL (checked at `start`).
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.webhook_url = Some(url.into());
        self
    }

    /// Whether the fake simulates calls (default off): calls have a state and legs, a
    /// [`FarEnd`] script plays the other side, commands on a call that has ended are refused as the
    /// API refuses them, and each command is followed by the events that follow from it (what each
    /// operation sends: the generated `Operation::simulation`). Off, every request is answered on its own and
    /// no events follow unless [`FakeTelnyx::on`] says.
    pub fn simulate(mut self, on: bool) -> Self {
        self.simulate = on;
        self
    }

    /// How long [`FakeTelnyx::settle`] waits, in real time, for the application (default 10 s).
    pub fn settle_timeout(mut self, timeout: Duration) -> Self {
        self.settle_timeout = timeout;
        self
    }

    /// Binds a loopback port and starts serving.
    pub async fn start(self) -> std::io::Result<FakeTelnyx<O>> {
        let webhook_url = self
            .webhook_url
            .as_deref()
            .map(loopback_url)
            .transpose()
            .map_err(std::io::Error::other)?;
        let seed = self.seed.unwrap_or_else(random_seed);
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let addr = listener.local_addr()?;
        let prefix = base_path(<O::Client as Api>::DEFAULT_BASE_URL);
        let base_url = format!("http://{addr}{prefix}");
        // No proxy from the environment and no redirects: requests and deliveries stay on loopback.
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(std::io::Error::other)?;
        let client = ClientBuilder::<O::Client>::new()
            .api_key(self.api_key.clone())
            .base_url(&base_url)
            .http_client(http.clone())
            .retry_sleep(|_| async {})
            .build()
            .map_err(std::io::Error::other)?;
        let (queue, queued) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            api_key: self.api_key,
            signing_key: SigningKey::from_bytes(&seed),
            http,
            state: Mutex::new(State::new(
                webhook_url,
                self.simulate.then(|| Sim::new(O::event)),
            )),
            queue,
            pending: watch::Sender::new(0),
        });
        let router = crate::server::router(shared.clone(), prefix);
        let server = tokio::spawn(async move {
            // The listener only fails when the runtime shuts down; nothing is left to serve then.
            let _ = axum::serve(listener, router).await;
        });
        let dispatcher = tokio::spawn(dispatch(shared.clone(), queued));
        Ok(FakeTelnyx {
            shared,
            base_url,
            client,
            settle_timeout: self.settle_timeout,
            tasks: vec![server, dispatcher],
        })
    }
}

impl<O: Operation> FakeTelnyx<O> {
    /// A fake with the defaults of [`FakeBuilder`].
    pub async fn start() -> std::io::Result<FakeTelnyx<O>> {
        FakeBuilder::default().start().await
    }

    /// A builder, to configure the fake before it starts.
    pub fn builder() -> FakeBuilder<O> {
        FakeBuilder::default()
    }

    /// A client pointed at the fake with its key; retries do not wait.
    pub fn client(&self) -> O::Client {
        self.client.clone()
    }

    /// `http://127.0.0.1:<port>/v2` (the API's base path).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The API key requests must carry.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// The fake's Ed25519 public key in base64, as the portal shows Telnyx's: give it to the
    /// application's `Verifier`.
    pub fn public_key(&self) -> String {
        STANDARD.encode(self.shared.signing_key.verifying_key().as_bytes())
    }

    /// Where webhooks are posted from now on; only loopback URLs are accepted.
    pub fn set_webhook_url(&self, url: &str) -> Result<(), SendError> {
        let url = loopback_url(url)?;
        self.shared.state().webhook_url = Some(url);
        Ok(())
    }

    /// The events to send after each accepted `operation`, instead of the simulator's (the
    /// simulation still changes its state), also when the fake does not simulate calls. Events keep
    /// a call id or client state the test set; otherwise they get the command's.
    pub fn on<F>(&self, operation: O, react: F)
    where
        F: Fn(&Command<O>) -> Vec<Event> + Send + Sync + 'static,
    {
        self.shared
            .state()
            .reactions
            .insert(operation, Arc::new(react));
    }

    /// Answers the next requests of `operation` with `fault` (faults queue up in order).
    pub fn fail(&self, operation: O, fault: Fault) {
        self.shared
            .state()
            .faults
            .entry(operation)
            .or_default()
            .push_back(fault);
    }

    /// The accepted commands, in order.
    pub fn commands(&self) -> Vec<Command<O>> {
        self.shared.state().commands.clone()
    }

    /// Every request received, in order, with the status it got.
    pub fn requests(&self) -> Vec<RecordedRequest<O>> {
        self.shared.state().requests.clone()
    }

    /// Every delivery made, by [`FakeTelnyx::send`] or on the fake's own: what the application
    /// answered, or why it failed.
    pub fn deliveries(&self) -> Vec<Result<Delivery, String>> {
        self.shared.state().deliveries.clone()
    }

    /// Signs `event` and posts it to the webhook URL; an answer other than 2xx is an error.
    pub async fn send(&self, event: impl Into<Event>) -> Result<Delivery, SendError> {
        self.shared.deliver(&event.into(), None).await
    }

    /// Posts `event` forged as `forgery` says, to see the application's verifier refuse it: an
    /// application that does answers with an error status, which is `Err(SendError::Rejected)`.
    pub async fn send_forged(
        &self,
        event: impl Into<Event>,
        forgery: Forgery,
    ) -> Result<Delivery, SendError> {
        self.shared.deliver(&event.into(), Some(&forgery)).await
    }

    /// Posts a delivery again exactly as it was sent (same body, timestamp and signature), as an
    /// attacker replaying a captured request would, or as Telnyx redelivers: the signature is good,
    /// so the application must know the event's `id()` to tell.
    pub async fn replay(&self, delivery: &Delivery) -> Result<Delivery, SendError> {
        let url = self.shared.state().webhook_url.clone();
        let result = match url {
            Some(url) => post(&self.shared.http, &url, delivery.sent.clone()).await,
            None => Err(SendError::NoWebhookUrl),
        };
        self.shared.record(&result);
        result
    }

    /// What the far end at `number` does whenever the application dials or transfers to it
    /// (a number without a script answers at once and stays on the line). Needs
    /// [`FakeBuilder::simulate`].
    pub fn far_end(&self, number: &str, script: FarEnd) -> Result<(), ScriptError> {
        let mut state = self.shared.state();
        let sim = state.sim.as_mut().ok_or(ScriptError::NotSimulating)?;
        sim.set_far_end(number, script)
    }

    /// A call from `from` to the application's number `to`, its caller following `caller`: the
    /// fake sends `call.initiated` and returns the call's id. Needs [`FakeBuilder::simulate`].
    pub fn incoming_call(
        &self,
        from: &str,
        to: &str,
        caller: FarEnd,
    ) -> Result<String, ScriptError> {
        let (id, events) = {
            let mut state = self.shared.state();
            let sim = state.sim.as_mut().ok_or(ScriptError::NotSimulating)?;
            sim.incoming(from, to, caller)?
        };
        self.shared.enqueue(events);
        Ok(id)
    }

    /// A simulated call as it is now.
    pub fn call(&self, call_control_id: &str) -> Option<CallView> {
        self.shared.state().sim.as_ref()?.call_view(call_control_id)
    }

    /// Every simulated call (each leg), in the order they started.
    pub fn calls(&self) -> Vec<CallView> {
        let state = self.shared.state();
        let mut calls = state.sim.as_ref().map(Sim::call_views).unwrap_or_default();
        calls.sort_by_key(|c| c.started_at);
        calls
    }

    /// A simulated conference, by id or by name (the latest of that name).
    pub fn conference(&self, id_or_name: &str) -> Option<ConferenceView> {
        self.shared
            .state()
            .sim
            .as_ref()?
            .conference_view(id_or_name)
    }

    /// A simulated queue, by name.
    pub fn queue(&self, name: &str) -> Option<QueueView> {
        self.shared.state().sim.as_ref()?.queue_view(name)
    }

    /// The simulation's time (zero without the simulator).
    pub fn now(&self) -> Duration {
        self.shared
            .state()
            .sim
            .as_ref()
            .map_or(Duration::ZERO, Sim::now)
    }

    /// Lets the simulation run for `by` of its time (what is due in it happens, the application
    /// answering each event), then waits as [`FakeTelnyx::settle`] does; far-end steps not used
    /// yet are not reported, as they may still be.
    pub async fn advance(&self, by: Duration) -> Result<(), SettleError> {
        let limit = self.now() + by;
        self.run(Some(limit)).await
    }

    /// Lets the simulation run until nothing is left to happen (waits cost no real time), waiting
    /// for the application to answer every delivery; then reports the deliveries that failed since
    /// the last call and the far-end steps no one used. Commands an application sends while it
    /// handles a delivery are counted before that delivery ends, so a chain of them settles as one;
    /// commands it sends after answering may come after the simulation moved on.
    pub async fn settle(&self) -> Result<(), SettleError> {
        self.run(None).await
    }

    async fn run(&self, limit: Option<Duration>) -> Result<(), SettleError> {
        let deadline = tokio::time::Instant::now() + self.settle_timeout;
        let mut steps = 0;
        loop {
            self.quiet(deadline).await?;
            let events = {
                let mut state = self.shared.state();
                let Some(sim) = state.sim.as_mut() else {
                    break;
                };
                match sim.fire_next(limit) {
                    Some(events) => events,
                    None => {
                        if let Some(limit) = limit {
                            sim.advance_to(limit);
                        }
                        break;
                    }
                }
            };
            steps += 1;
            if steps > MAX_STEPS {
                return Err(SettleError::Runaway {
                    steps,
                    at: at(self.now()),
                });
            }
            self.shared.enqueue(events);
        }
        let mut state = self.shared.state();
        let failures = std::mem::take(&mut state.failures);
        let unused = match (limit, state.sim.as_mut()) {
            (None, Some(sim)) => sim.unused_steps(),
            _ => Vec::new(),
        };
        match (unused.is_empty(), failures.is_empty()) {
            (true, true) => Ok(()),
            (true, false) => Err(SettleError::Deliveries(failures)),
            (false, _) => Err(SettleError::Script {
                unused,
                deliveries: failures,
            }),
        }
    }

    /// Waits until no request or delivery is pending, until `deadline`.
    async fn quiet(&self, deadline: tokio::time::Instant) -> Result<(), SettleError> {
        let mut pending = self.shared.pending.subscribe();
        let waited = tokio::time::timeout_at(deadline, pending.wait_for(|n| *n == 0)).await;
        if waited.is_ok() {
            return Ok(());
        }
        let state = self.shared.state();
        Err(SettleError::Timeout {
            waiting_for: state.busy.values().cloned().collect(),
            next: state.sim.as_ref().and_then(Sim::next_due),
            timeout: self.settle_timeout,
        })
    }
}

impl<O: Operation> Drop for FakeTelnyx<O> {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl<O: Operation> fmt::Debug for FakeTelnyx<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeTelnyx")
            .field("base_url", &self.base_url)
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Shared<O> {
    /// The state, also after a panic elsewhere (the fake keeps answering).
    pub(crate) fn state(&self) -> MutexGuard<'_, State<O>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn track(&self, what: String) -> u64 {
        let id = {
            let mut state = self.state();
            state.busy_ids += 1;
            let id = state.busy_ids;
            state.busy.insert(id, what);
            id
        };
        self.pending.send_modify(|n| *n += 1);
        id
    }

    fn untrack(&self, id: u64) {
        if self.state().busy.remove(&id).is_some() {
            self.pending.send_modify(|n| *n = n.saturating_sub(1));
        }
    }

    /// Marks `what` pending until the guard is dropped.
    pub(crate) fn busy(&self, what: String) -> Busy<'_, O> {
        Busy {
            shared: self,
            id: self.track(what),
        }
    }

    /// Queues events to send after a command; each is pending at once.
    pub(crate) fn enqueue(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let batch: Vec<(u64, Event)> = events
            .into_iter()
            .map(|e| (self.track(format!("the delivery of `{}`", e.kind())), e))
            .collect();
        if let Err(mpsc::error::SendError(batch)) = self.queue.send(batch) {
            for (id, _) in batch {
                self.untrack(id);
            }
        }
    }

    /// Signs `event` (forged as `forgery` says), posts it to the webhook URL and records what came
    /// of it.
    async fn deliver(
        &self,
        event: &Event,
        forgery: Option<&Forgery>,
    ) -> Result<Delivery, SendError> {
        let url = self.state().webhook_url.clone();
        let result = match url {
            Some(url) => match sign(&self.signing_key, &url, event, forgery) {
                Ok(signed) => post(&self.http, &url, signed).await,
                Err(e) => Err(e),
            },
            None => Err(SendError::NoWebhookUrl),
        };
        self.record(&result);
        result
    }

    fn record(&self, result: &Result<Delivery, SendError>) {
        let entry = match result {
            Ok(delivery) => Ok(delivery.clone()),
            Err(e) => Err(e.to_string()),
        };
        self.state().deliveries.push(entry);
    }
}

/// Sends queued events one at a time, in order, as Telnyx sends the events of a call.
async fn dispatch<O: Operation>(
    shared: Arc<Shared<O>>,
    mut queued: mpsc::UnboundedReceiver<Vec<(u64, Event)>>,
) {
    while let Some(batch) = queued.recv().await {
        for (id, event) in batch {
            if let Err(e) = shared.deliver(&event, None).await {
                shared.state().failures.push(e);
            }
            shared.untrack(id);
        }
    }
}

/// The path of the API's base URL (`/v2`), so the fake answers where the API does.
fn base_path(base_url: &str) -> String {
    url::Url::parse(base_url)
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// 32 random bytes from two v4 UUIDs (the OS's generator).
fn random_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    seed[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    seed[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    seed
}
