//! The fake's handle: what a test starts, configures and asks about. The HTTP side is in
//! `server.rs`, deliveries in `deliver.rs`.

use std::any::Any;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::SigningKey;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::deliver::{deliver, loopback_url, Delivery, SendError};
use super::event::Event;
use super::spec::Operation;
use crate::{Client, ClientStateError};

/// What a test gives for the events that follow a command.
pub(crate) type Reaction = Arc<dyn Fn(&Command) -> Vec<Event> + Send + Sync>;

/// A fake Telnyx API on a loopback port; see [the module](super).
///
/// Dropping it stops the server and the deliveries still queued.
pub struct FakeTelnyx {
    shared: Arc<Shared>,
    base_url: String,
    client: Client,
    settle_timeout: Duration,
    tasks: Vec<JoinHandle<()>>,
}

/// Configures a [`FakeTelnyx`]; start from [`FakeTelnyx::builder`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `start` is called"]
pub struct FakeBuilder {
    api_key: String,
    seed: Option<[u8; 32]>,
    webhook_url: Option<String>,
    auto_webhooks: bool,
    settle_timeout: Duration,
}

/// State shared by the handle, the server and the delivery task.
pub(crate) struct Shared {
    pub(crate) api_key: String,
    pub(crate) signing_key: SigningKey,
    pub(crate) http: reqwest::Client,
    state: Mutex<State>,
    queue: mpsc::UnboundedSender<Vec<Event>>,
    pending: watch::Sender<usize>,
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) webhook_url: Option<url::Url>,
    pub(crate) auto_webhooks: bool,
    pub(crate) requests: Vec<RecordedRequest>,
    pub(crate) commands: Vec<Command>,
    pub(crate) faults: BTreeMap<Operation, VecDeque<Fault>>,
    pub(crate) reactions: BTreeMap<Operation, Reaction>,
    /// `(call, command_id)` of every accepted command: a repeat is answered but not run again.
    pub(crate) command_ids: BTreeSet<(String, String)>,
    pub(crate) deliveries: Vec<Result<Delivery, String>>,
    pub(crate) failures: Vec<SendError>,
    pub(crate) calls_created: u64,
}

/// One request the fake received, whatever it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    pub method: String,
    /// The path as received (percent-encoded), without the base URL's path.
    pub path: String,
    /// The operation it matched, if any.
    pub operation: Option<Operation>,
    /// The status the fake answered.
    pub status: u16,
    /// The body's `command_id`, when it has one (retries carry the same one).
    pub command_id: Option<String>,
}

/// A command the fake accepted: its operation, its call, and its body as sent and as typed.
#[derive(Clone)]
pub struct Command {
    pub(crate) operation: Operation,
    pub(crate) call_control_id: Option<String>,
    pub(crate) json: Value,
    pub(crate) typed: Option<Arc<dyn Any + Send + Sync>>,
}

impl Command {
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The call it was sent to, or the call it created (`POST /calls`).
    pub fn call_control_id(&self) -> Option<&str> {
        self.call_control_id.as_deref()
    }

    /// The JSON body as received (`Null` without one).
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The body as the operation's request type (`GatherUsingSpeakRequest`), or `None` for
    /// another type.
    pub fn body<T: Any>(&self) -> Option<&T> {
        self.typed.as_deref()?.downcast_ref()
    }

    /// The body's `client_state`, raw.
    pub fn client_state(&self) -> Option<&str> {
        self.json.get("client_state")?.as_str()
    }

    /// The body's `client_state` decoded (base64, then JSON).
    pub fn client_state_json<T: DeserializeOwned>(&self) -> Result<Option<T>, ClientStateError> {
        self.client_state()
            .map(crate::client_state::decode_json)
            .transpose()
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("operation", &self.operation)
            .field("call_control_id", &self.call_control_id)
            .field("json", &self.json)
            .finish_non_exhaustive()
    }
}

/// An answer on demand, to test retries, timeouts and error handling: a status (with an `errors[]`
/// body), a delay, or both, for the next `times` requests of an operation.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Fault {
    pub(crate) status: Option<u16>,
    pub(crate) delay: Option<Duration>,
    pub(crate) body: Option<Value>,
    pub(crate) times: usize,
}

impl Fault {
    /// Answer `status` with an `errors[]` body, once (see [`Fault::times`]).
    pub fn status(status: u16) -> Self {
        Fault {
            status: Some(status),
            delay: None,
            body: None,
            times: 1,
        }
    }

    /// Answer as usual, after `delay`, once.
    pub fn delay(delay: Duration) -> Self {
        Fault {
            status: None,
            delay: Some(delay),
            body: None,
            times: 1,
        }
    }

    /// For the next `times` requests of the operation.
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    /// Wait `delay` before answering.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The body to answer with, instead of the default `errors[]`.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

/// Why [`FakeTelnyx::settle`] did not end well.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettleError {
    /// Deliveries were still queued or in flight after the timeout.
    #[error("{pending} deliveries still pending after {timeout:?}")]
    Timeout { pending: usize, timeout: Duration },
    /// Deliveries the fake made on its own failed or were refused.
    #[error("{} deliveries failed: {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Deliveries(Vec<SendError>),
}

impl Default for FakeBuilder {
    fn default() -> Self {
        FakeBuilder {
            api_key: "KEY_FAKE_TELNYX".into(),
            seed: None,
            webhook_url: None,
            auto_webhooks: false,
            settle_timeout: Duration::from_secs(10),
        }
    }
}

impl FakeBuilder {
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

    /// Whether each command is followed by the events its documentation lists unconditionally.
    pub fn auto_webhooks(mut self, on: bool) -> Self {
        self.auto_webhooks = on;
        self
    }

    /// How long [`FakeTelnyx::settle`] waits (default 10 s).
    pub fn settle_timeout(mut self, timeout: Duration) -> Self {
        self.settle_timeout = timeout;
        self
    }

    /// Binds a loopback port and starts serving.
    pub async fn start(self) -> std::io::Result<FakeTelnyx> {
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
        let prefix = base_path();
        let base_url = format!("http://{addr}{prefix}");
        // No proxy from the environment and no redirects: requests and deliveries stay on loopback.
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(std::io::Error::other)?;
        let client = Client::builder()
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
            state: Mutex::new(State {
                webhook_url,
                auto_webhooks: self.auto_webhooks,
                ..State::default()
            }),
            queue,
            pending: watch::Sender::new(0),
        });
        let router = super::server::router(shared.clone(), prefix);
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

impl FakeTelnyx {
    /// A fake with the defaults of [`FakeBuilder`].
    pub async fn start() -> std::io::Result<FakeTelnyx> {
        FakeBuilder::default().start().await
    }

    pub fn builder() -> FakeBuilder {
        FakeBuilder::default()
    }

    /// A client pointed at the fake with its key; retries do not wait.
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// `http://127.0.0.1:<port>/v2` (the API's base path).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

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

    /// Whether each command is followed by the events its documentation lists without a condition
    /// (`speak`: `call.speak.started`, `call.speak.ended`), with the command's call id and
    /// `client_state`. [`FakeTelnyx::on`] replaces them for one operation.
    pub fn auto_webhooks(&self, on: bool) {
        self.shared.state().auto_webhooks = on;
    }

    /// The events to send after each accepted `operation`, instead of the documented ones (also
    /// when `auto_webhooks` is off). Events keep a call id or client state the test set; otherwise
    /// they get the command's.
    pub fn on<F>(&self, operation: Operation, react: F)
    where
        F: Fn(&Command) -> Vec<Event> + Send + Sync + 'static,
    {
        self.shared
            .state()
            .reactions
            .insert(operation, Arc::new(react));
    }

    /// Answers the next requests of `operation` with `fault` (faults queue up in order).
    pub fn fail(&self, operation: Operation, fault: Fault) {
        self.shared
            .state()
            .faults
            .entry(operation)
            .or_default()
            .push_back(fault);
    }

    /// The accepted commands, in order.
    pub fn commands(&self) -> Vec<Command> {
        self.shared.state().commands.clone()
    }

    /// Every request received, in order, with the status it got.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.state().requests.clone()
    }

    /// Every delivery made, by [`FakeTelnyx::send`] or on the fake's own: what the application
    /// answered, or why it failed.
    pub fn deliveries(&self) -> Vec<Result<Delivery, String>> {
        self.shared.state().deliveries.clone()
    }

    /// Signs `event` and posts it to the webhook URL; an answer other than 2xx is an error.
    pub async fn send(&self, event: impl Into<Event>) -> Result<Delivery, SendError> {
        self.shared.deliver(&event.into()).await
    }

    /// Waits until no delivery the fake makes on its own is queued or in flight, then reports the
    /// ones that failed since the last call. Commands an application sends while it handles a
    /// delivery are counted before that delivery ends, so a chain of them settles as one.
    pub async fn settle(&self) -> Result<(), SettleError> {
        let mut pending = self.shared.pending.subscribe();
        let waited = tokio::time::timeout(self.settle_timeout, pending.wait_for(|n| *n == 0)).await;
        if waited.is_err() {
            return Err(SettleError::Timeout {
                pending: *self.shared.pending.borrow(),
                timeout: self.settle_timeout,
            });
        }
        let failures = std::mem::take(&mut self.shared.state().failures);
        if failures.is_empty() {
            Ok(())
        } else {
            Err(SettleError::Deliveries(failures))
        }
    }
}

impl Drop for FakeTelnyx {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl fmt::Debug for FakeTelnyx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeTelnyx")
            .field("base_url", &self.base_url)
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// The state, also after a panic elsewhere (the fake keeps answering).
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues events to send after a command; counted as pending at once.
    pub(crate) fn enqueue(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let count = events.len();
        self.pending.send_modify(|n| *n += count);
        if self.queue.send(events).is_err() {
            self.pending.send_modify(|n| *n = n.saturating_sub(count));
        }
    }

    /// Signs `event`, posts it to the webhook URL and records what came of it.
    async fn deliver(&self, event: &Event) -> Result<Delivery, SendError> {
        let url = self.state().webhook_url.clone();
        let result = match url {
            Some(url) => deliver(&self.http, &self.signing_key, &url, event).await,
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
async fn dispatch(shared: Arc<Shared>, mut queued: mpsc::UnboundedReceiver<Vec<Event>>) {
    while let Some(batch) = queued.recv().await {
        for event in batch {
            if let Err(e) = shared.deliver(&event).await {
                shared.state().failures.push(e);
            }
            shared.pending.send_modify(|n| *n = n.saturating_sub(1));
        }
    }
}

/// The path of the API's base URL (`/v2`), so the fake answers where the API does.
fn base_path() -> String {
    url::Url::parse(crate::DEFAULT_BASE_URL)
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
