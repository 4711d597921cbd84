//! A small contact centre on Call Control: an incoming caller is answered, put in the `support`
//! queue and hears hold music; an agent is dialled (the next one on the list when one is busy or
//! does not answer); when the agent answers, the caller leaves the queue and both are joined in a
//! conference; when either hangs up, so does the other. With no agent left, the caller hears an
//! apology. Who a call is travels in its client state; the pairs of calls are kept in memory.
//! `tests.rs` beside it runs whole calls through it against the crate's fake Telnyx.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use telnyx_call_control::types::{
    AnswerRequest, CallRequest, CreateConferenceRequest, EnqueueRequest, HangupRequest,
    JoinConferenceRequest, LeaveQueueRequest, PlayAudioUrlRequest, PlaybackStopRequest,
    SpeakRequest,
};
use telnyx_call_control::webhooks::{Verifier, WebhookEvent};
use telnyx_call_control::{CallHandle, Client, Error};

pub const QUEUE: &str = "support";
pub const SORRY: &str = "Sorry, no one can take your call right now. Please call again later.";

/// What a call is to the centre (its `client_state`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Someone who called in.
    Caller,
    /// A caller who is being told no one is available, then hung up.
    Farewell,
    /// The leg to the agent at `agents[index]`, for `caller`.
    Agent { caller: String, index: usize },
}

/// The application's settings.
pub struct Config {
    pub client: Client,
    pub verifier: Verifier,
    /// The Call Control application agents are dialled through, and the number they see.
    pub connection_id: String,
    pub number: String,
    /// Tried in order.
    pub agents: Vec<String>,
    pub hold_music: String,
}

/// The application: its settings, which calls are paired, and which events it has seen.
pub struct CallCenter {
    config: Config,
    pairs: Mutex<Pairs>,
    /// The ids of the events handled: a redelivered (or replayed) event is acknowledged, not run
    /// again. A real centre would forget ids older than the verifier's tolerance.
    seen: Mutex<HashSet<String>>,
}

/// Which calls belong together.
#[derive(Default)]
struct Pairs {
    /// Each call of a pair, to the other: caller ↔ agent leg.
    partner: HashMap<String, String>,
    /// The agent legs that made it into a conference.
    joined: HashSet<String>,
}

impl Pairs {
    fn pair(&mut self, caller: &str, agent: &str) {
        self.partner.insert(caller.to_owned(), agent.to_owned());
        self.partner.insert(agent.to_owned(), caller.to_owned());
    }

    /// Parts `call` from its partner: the partner, and whether `call` was a joined agent.
    fn part(&mut self, call: &str) -> (Option<String>, bool) {
        let partner = self.partner.remove(call);
        if let Some(partner) = &partner {
            self.partner.remove(partner);
        }
        (partner, self.joined.remove(call))
    }
}

/// The centre's routes: `POST /webhooks`.
pub fn app(config: Config) -> Router {
    let center = CallCenter {
        config,
        pairs: Mutex::default(),
        seen: Mutex::default(),
    };
    Router::new()
        .route("/webhooks", post(receive))
        .with_state(Arc::new(center))
}

/// Verifies the delivery, runs the commands it calls for, and answers `200` only once they were
/// accepted; otherwise Telnyx retries the delivery.
async fn receive(
    State(center): State<Arc<CallCenter>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let event = match center
        .config
        .verifier
        .verify_and_parse_headers(&headers, &body)
    {
        Ok(event) => event,
        Err(e) => {
            eprintln!("rejected a delivery: {e}");
            return StatusCode::UNAUTHORIZED;
        }
    };
    if let Some(id) = event.id() {
        let first = lock(&center.seen).insert(id.to_owned());
        if !first {
            return StatusCode::OK; // seen already
        }
    }
    match center.handle(&event).await {
        Ok(()) => StatusCode::OK,
        Err(e) => {
            eprintln!("{}: {e}", event.kind());
            if let Some(id) = event.id() {
                lock(&center.seen).remove(id); // let the redelivery run it
            }
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A command on a call that has already ended (`90018`) did what it could: nothing is left to do.
fn ended_is_fine<T>(result: Result<T, Error>) -> Result<(), Error> {
    match result {
        Ok(_) => Ok(()),
        Err(Error::Api(api)) if api.errors.iter().any(|e| e.code == "90018") => Ok(()),
        Err(e) => Err(e),
    }
}

impl CallCenter {
    async fn handle(&self, event: &WebhookEvent) -> Result<(), Failure> {
        let Some(id) = event.call_control_id() else {
            return Ok(()); // about a conference as a whole: nothing to do
        };
        let client = &self.config.client;
        let call = client.call(id);
        let role = event.client_state_json::<Role>().unwrap_or(None);
        match (event, role) {
            (WebhookEvent::CallInitiated(e), _) => {
                let incoming = e
                    .payload()
                    .and_then(|p| p.direction.as_ref())
                    .is_some_and(|d| d.as_str() == "incoming");
                if incoming {
                    let answer = AnswerRequest::new().client_state_json(&Role::Caller)?;
                    call.answer(answer).await?;
                }
            }
            (WebhookEvent::CallAnswered(_), Some(Role::Caller)) => {
                let enqueue = EnqueueRequest::builder().queue_name(QUEUE).build();
                call.enqueue(enqueue).await?;
            }
            (WebhookEvent::CallEnqueued(_), Some(Role::Caller)) => {
                let music = PlayAudioUrlRequest::new()
                    .audio_url(self.config.hold_music.as_str())
                    .r#loop("infinity");
                call.playback_start(music).await?;
                self.dial_agent(id, 0).await?;
            }
            (WebhookEvent::CallAnswered(_), Some(Role::Agent { caller, .. })) => {
                self.connect(&client.call(&caller), id).await?;
            }
            (WebhookEvent::CallHangup(_), Some(Role::Agent { caller, index })) => {
                let parted = lock(&self.pairs).part(id);
                match parted {
                    // The agent left the conversation: so does the caller.
                    (Some(caller), true) => {
                        ended_is_fine(client.call(&caller).hangup(HangupRequest::new()).await)?;
                    }
                    // Busy or no answer: the next agent.
                    (Some(_), false) => self.dial_agent(&caller, index + 1).await?,
                    // The caller had gone already.
                    (None, _) => {}
                }
            }
            (WebhookEvent::CallHangup(_), Some(Role::Caller | Role::Farewell)) => {
                let (agent, _) = lock(&self.pairs).part(id);
                if let Some(agent) = agent {
                    ended_is_fine(client.call(&agent).hangup(HangupRequest::new()).await)?;
                }
            }
            (WebhookEvent::CallSpeakEnded(_), Some(Role::Farewell)) => {
                ended_is_fine(call.hangup(HangupRequest::new()).await)?;
            }
            _ => {} // acknowledged, nothing to do
        }
        Ok(())
    }

    /// Dials the agent at `index` for `caller`, or tells the caller no one is left.
    async fn dial_agent(&self, caller: &str, index: usize) -> Result<(), Failure> {
        let Some(agent) = self.config.agents.get(index) else {
            return self.apologize(caller).await;
        };
        let dial = CallRequest::builder()
            .connection_id(self.config.connection_id.as_str())
            .from(self.config.number.as_str())
            .to(agent.as_str())
            .timeout_secs(20)
            .client_state_json(&Role::Agent {
                caller: caller.to_owned(),
                index,
            })?
            .build();
        let leg = match self.config.client.calls().dial(dial).await?.data {
            Some(data) => data.call_control_id,
            None => return Ok(()),
        };
        lock(&self.pairs).pair(caller, &leg);
        Ok(())
    }

    /// The agent answered: the caller's music stops, it leaves the queue, and the two meet in a
    /// conference of their own.
    async fn connect(&self, caller: &CallHandle, agent: &str) -> Result<(), Failure> {
        let client = &self.config.client;
        caller.playback_stop(PlaybackStopRequest::new()).await?;
        caller.leave_queue(LeaveQueueRequest::new()).await?;
        let name = format!("{QUEUE}-{}", caller.call_control_id());
        let create = CreateConferenceRequest::builder()
            .call_control_id(caller.call_control_id())
            .name(name)
            .build();
        let created = client.conferences().create(create).await?;
        let Some(conference) = created.data else {
            return Ok(());
        };
        let join = JoinConferenceRequest::builder()
            .call_control_id(agent)
            .build();
        client.conference(&conference.id).join(join).await?;
        lock(&self.pairs).joined.insert(agent.to_owned());
        Ok(())
    }

    /// No agent answered: the music stops and the caller hears an apology, then is hung up.
    async fn apologize(&self, caller: &str) -> Result<(), Failure> {
        let call = self.config.client.call(caller);
        ended_is_fine(call.playback_stop(PlaybackStopRequest::new()).await)?;
        let sorry = SpeakRequest::builder()
            .payload(SORRY)
            .voice("female")
            .client_state_json(&Role::Farewell)?
            .build();
        ended_is_fine(call.speak(sorry).await)?;
        Ok(())
    }
}
