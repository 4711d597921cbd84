//! The fake's handle: what a test starts, configures and asks about. The HTTP side is in
//! `server.rs`, webhooks in `outbox.rs` (and signing in `deliver.rs`), letting time run in
//! `settle.rs`, the call simulator in `sim/`.

use std::fmt;
use std::marker::PhantomData;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::SigningKey;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use telnyx_call_control_runtime::{Api, ClientBuilder};

use crate::clock::SimClock;
use crate::contract::Operation;
use crate::deliver::{loopback_url, Delivery, Forgery, SendError};
use crate::event::Event;
use crate::fault::Fault;
use crate::outbox::dispatch;
use crate::record::{Command, RecordedRequest};
use crate::script::{FarEnd, ScriptError};
use crate::shared::{Settings, Shared, State};
use crate::timeline::Timeline;
use crate::views::{CallView, ConferenceView, QueueView};

/// A fake Telnyx API on a loopback port, serving the operations `O` of a generated crate (whose
/// `testing::FakeTelnyx` is this type with its `Operation`); see [the crate](crate).
///
/// Dropping it stops the server and the deliveries still queued.
pub struct FakeTelnyx<O: Operation> {
    pub(crate) shared: Arc<Shared<O>>,
    base_url: String,
    client: O::Client,
    pub(crate) settle_timeout: Duration,
    tasks: Vec<JoinHandle<()>>,
}

/// Configures a [`FakeTelnyx`]; start from [`FakeTelnyx::builder`].
#[must_use = "a builder does nothing until `start` is called"]
pub struct FakeBuilder<O: Operation> {
    api_key: String,
    seed: Option<[u8; 32]>,
    webhook_url: Option<String>,
    failover_url: Option<String>,
    simulate: bool,
    settle_timeout: Duration,
    client_timeout: Option<Duration>,
    settings: Settings,
    operations: PhantomData<fn() -> O>,
}

impl<O: Operation> Clone for FakeBuilder<O> {
    fn clone(&self) -> Self {
        FakeBuilder {
            api_key: self.api_key.clone(),
            seed: self.seed,
            webhook_url: self.webhook_url.clone(),
            failover_url: self.failover_url.clone(),
            simulate: self.simulate,
            settle_timeout: self.settle_timeout,
            client_timeout: self.client_timeout,
            settings: self.settings.clone(),
            operations: PhantomData,
        }
    }
}

impl<O: Operation> fmt::Debug for FakeBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeBuilder")
            .field("api_key", &self.api_key)
            .field("webhook_url", &self.webhook_url)
            .field("failover_url", &self.failover_url)
            .field("simulate", &self.simulate)
            .field("settle_timeout", &self.settle_timeout)
            .field("client_timeout", &self.client_timeout)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The spec's example of a retry policy (`call.hangup: retries_ms: [1000]`): Telnyx documents the
/// policies an application may set, not the schedule without one.
const DEFAULT_RETRIES: [Duration; 1] = [Duration::from_secs(1)];

/// How long an application has to answer a delivery by default. Telnyx lets an application set
/// up to 30 s (`webhook_timeout_secs`); a test wants to hear of a hanging handler sooner.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);

impl<O: Operation> Default for FakeBuilder<O> {
    fn default() -> Self {
        FakeBuilder {
            api_key: "KEY_FAKE_TELNYX".into(),
            seed: None,
            webhook_url: None,
            failover_url: None,
            simulate: false,
            settle_timeout: Duration::from_secs(10),
            client_timeout: None,
            settings: Settings {
                webhook_timeout: WEBHOOK_TIMEOUT,
                retries: DEFAULT_RETRIES.to_vec(),
            },
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

    /// Where a webhook goes when the webhook URL does not accept it, as Telnyx's failover URL
    /// (`webhook_event_failover_url`); must be a loopback URL (checked at `start`).
    pub fn webhook_failover_url(mut self, url: impl Into<String>) -> Self {
        self.failover_url = Some(url.into());
        self
    }

    /// How long the application has to answer a delivery, in real time, before the attempt counts
    /// as failed (default 5 s; Telnyx's is the application's `webhook_timeout_secs`, up to 30 s).
    pub fn webhook_timeout(mut self, timeout: Duration) -> Self {
        self.settings.webhook_timeout = timeout;
        self
    }

    /// The delays, in the simulation's time, between redeliveries of a webhook the application did
    /// not accept, where the call's `webhook_retries_policies` says nothing for its event type
    /// (default: one redelivery after 1 s, the spec's example policy). Empty: never redelivered.
    pub fn webhook_retries(mut self, delays: impl IntoIterator<Item = Duration>) -> Self {
        self.settings.retries = delays.into_iter().collect();
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

    /// The timeout of each attempt of [`FakeTelnyx::client`]'s requests (default the client's,
    /// 60 s): a lost answer ([`Fault::drop_answer`]) costs this long before the retry.
    pub fn client_timeout(mut self, timeout: Duration) -> Self {
        self.client_timeout = Some(timeout);
        self
    }

    /// Binds a loopback port and starts serving.
    pub async fn start(self) -> std::io::Result<FakeTelnyx<O>> {
        let url = |url: Option<&str>| url.map(loopback_url).transpose();
        let webhook_url = url(self.webhook_url.as_deref()).map_err(std::io::Error::other)?;
        let failover_url = url(self.failover_url.as_deref()).map_err(std::io::Error::other)?;
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
        let mut client = ClientBuilder::<O::Client>::new()
            .api_key(self.api_key.clone())
            .base_url(&base_url)
            .http_client(http.clone())
            .retry_sleep(|_| async {});
        if let Some(timeout) = self.client_timeout {
            client = client.timeout(timeout);
        }
        let client = client.build().map_err(std::io::Error::other)?;
        let (queue, queued) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            api_key: self.api_key,
            signing_key: SigningKey::from_bytes(&seed),
            http,
            settings: self.settings,
            state: Mutex::new(State::new(webhook_url, failover_url, self.simulate)),
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

    /// A client pointed at the fake with its key; retries do not wait, and each attempt times out
    /// after [`FakeBuilder::client_timeout`].
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

    /// Where a webhook the webhook URL does not accept goes from now on (see
    /// [`FakeBuilder::webhook_failover_url`]).
    pub fn set_webhook_failover_url(&self, url: &str) -> Result<(), SendError> {
        let url = loopback_url(url)?;
        self.shared.state().failover_url = Some(url);
        Ok(())
    }

    /// What the fake sends after each accepted `operation`: the events `react` returns, each with
    /// a fresh `id` and the simulation's time, and the command's call and the call's client state
    /// unless the event sets them.
    ///
    /// Without the simulator, that is all. With it, `react` replaces the simulator's reaction to
    /// the operation wholly: the command is still refused where the simulator would refuse it (a
    /// call that has ended, one not answered yet), but otherwise the simulator does nothing for it,
    /// now or later (a dial gets its call id and rings, and nothing else happens on its own), and
    /// the events `react` returns are what happened: the simulation takes in the state they report
    /// (`call.answered` answers the call, `call.hangup` ends it, `call.gather.ended` ends its
    /// gather, `call.speak.ended` and `call.playback.ended` end what plays, and the client state an
    /// event carries is the call's from then on). So an event is never sent twice, and the next
    /// command finds the call as the application was told.
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

    /// Every delivery attempt, by [`FakeTelnyx::send`] or on the fake's own (redeliveries too):
    /// what was sent, when, and what the application answered. Each can be [`replay`]ed.
    ///
    /// [`replay`]: FakeTelnyx::replay
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.state().deliveries.clone()
    }

    /// Commands, deliveries and the calls' states so far, in the simulation's time.
    pub fn timeline(&self) -> Timeline {
        self.shared.state().sim.timeline.clone()
    }

    /// Signs `event` and posts it to the webhook URL, once: an answer other than 2xx is an error
    /// (the fake's own events are redelivered; this one is the test's to send again). The event
    /// gets a fresh `id` and the simulation's time as `occurred_at`, unless it sets them.
    pub async fn send(&self, event: impl Into<Event>) -> Result<Delivery, SendError> {
        self.send_once(event.into(), None).await
    }

    /// Posts `event` forged as `forgery` says, to see the application's verifier refuse it: an
    /// application that does answers with an error status, which is `Err(SendError::Rejected)`.
    pub async fn send_forged(
        &self,
        event: impl Into<Event>,
        forgery: Forgery,
    ) -> Result<Delivery, SendError> {
        self.send_once(event.into(), Some(&forgery)).await
    }

    async fn send_once(
        &self,
        mut event: Event,
        forgery: Option<&Forgery>,
    ) -> Result<Delivery, SendError> {
        let url = {
            let mut state = self.shared.state();
            state.stamp(&mut event);
            state.webhook_url.clone()
        };
        let url = url.ok_or(SendError::NoWebhookUrl)?;
        self.shared.attempt(&event, &url, 1, forgery).await
    }

    /// Posts a delivery again exactly as it was sent (same body, timestamp and signature), to the
    /// webhook URL, as an attacker replaying a captured request would, or as a duplicate delivery
    /// would come: the signature is good, so the application must know the event's `id()` to tell.
    /// A refused delivery can be replayed too.
    pub async fn replay(&self, delivery: &Delivery) -> Result<Delivery, SendError> {
        let url = self.shared.state().webhook_url.clone();
        let url = url.ok_or(SendError::NoWebhookUrl)?;
        self.shared.repost(delivery, &url).await
    }

    /// What the far end at `number` does whenever the application dials or transfers to it
    /// (a number without a script answers at once and stays on the line). Needs
    /// [`FakeBuilder::simulate`].
    pub fn far_end(&self, number: &str, script: FarEnd) -> Result<(), ScriptError> {
        self.far_end_sequence(number, [script])
    }

    /// What the far end at `number` does on each call, in order: the first call to it follows the
    /// first script, the next call the next one, and the last script every call after (`busy`,
    /// `busy`, then answers). Needs [`FakeBuilder::simulate`].
    pub fn far_end_sequence(
        &self,
        number: &str,
        scripts: impl IntoIterator<Item = FarEnd>,
    ) -> Result<(), ScriptError> {
        let mut state = self.shared.state();
        if !state.simulate {
            return Err(ScriptError::NotSimulating);
        }
        state
            .sim
            .set_far_ends(number, scripts.into_iter().collect())
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
            if !state.simulate {
                return Err(ScriptError::NotSimulating);
            }
            state.sim.incoming(from, to, caller)?
        };
        self.shared.enqueue(events);
        Ok(id)
    }

    /// A simulated call as it is now.
    pub fn call(&self, call_control_id: &str) -> Option<CallView> {
        self.shared.state().sim.call_view(call_control_id)
    }

    /// Every simulated call (each leg), in the order they started.
    pub fn calls(&self) -> Vec<CallView> {
        let mut calls = self.shared.state().sim.call_views();
        calls.sort_by_key(|c| c.started_at);
        calls
    }

    /// A simulated conference, by id or by name (the latest of that name).
    pub fn conference(&self, id_or_name: &str) -> Option<ConferenceView> {
        self.shared.state().sim.conference_view(id_or_name)
    }

    /// A simulated queue, by name.
    pub fn queue(&self, name: &str) -> Option<QueueView> {
        self.shared.state().sim.queue_view(name)
    }

    /// The simulation's time: zero at the start, moved on by [`FakeTelnyx::settle`] and
    /// [`FakeTelnyx::advance`] (with or without the call simulator).
    pub fn now(&self) -> Duration {
        self.shared.state().sim.now()
    }

    /// The simulation's clock, for the application's own timers: a task given to
    /// [`SimClock::after`] runs when the simulation's time gets there, in `advance` or `settle`,
    /// which wait for it to finish as they wait for a delivery to be answered.
    pub fn clock(&self) -> SimClock {
        SimClock::new(self.shared.clone())
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
