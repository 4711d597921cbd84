//! The test kit of the generated Telnyx clients: a fake Telnyx for testing an application offline,
//! no number, no phone, no money, and nothing leaves the machine. A generated crate offers it as its
//! `testing` module (feature `testing`), with its own operations ([`contract::Operation`]) and
//! events; applications use it from there.
//!
//! [`FakeTelnyx`] serves every operation of a generated crate on a loopback port and checks each request as
//! the API would (path, method, bearer key, and the body against the spec's schema: a body the API
//! would refuse gets `422` with `errors[].source.pointer` naming the field). Requests are recorded as
//! they arrive; valid commands are recorded with their typed bodies and answered with the spec's
//! example response (or a [`Fault`]). It signs webhook deliveries with its own Ed25519 key and posts
//! them to the application: on demand ([`FakeTelnyx::send`], with the builders of a generated crate's `testing::events`;
//! forged ones with [`FakeTelnyx::send_forged`] and [`FakeTelnyx::replay`]), and on its own when it
//! simulates calls.
//!
//! # The call simulator
//!
//! With [`FakeBuilder::simulate`], each call has a state ([`CallState`]) and legs; a [`FarEnd`]
//! script plays the caller of an incoming call ([`FakeTelnyx::incoming_call`]) or the number the
//! application dials ([`FakeTelnyx::far_end`]); conferences keep their participants (muted, on
//! hold) and queues their order. Commands on a call that has ended are refused as the API refuses
//! them (`422`, code `90018`), and events follow from what happened: a recording is saved when it is
//! stopped or the call ends, a transcription only when one was asked for, a transfer makes a new leg
//! with its own call id, a bridge joins two calls, machine detection reports only when it was
//! requested. What each operation makes the fake send is on its operation (a generated crate
//! documents it on each of its `Operation` variants).
//!
//! Time in the simulation is virtual: [`FakeTelnyx::settle`] lets it run (a wait of a minute costs
//! nothing) once no request or delivery is pending, and reports what went wrong: webhooks given up
//! on, script steps no one used (a `presses` the application never gathered for, steps of a call
//! that ended first), or, after its real-time deadline, what it was still waiting for; each with the
//! timeline of the calls involved. The application's own timers can run on the same time
//! ([`FakeTelnyx::clock`]).
//!
//! # Webhooks as Telnyx delivers them
//!
//! Every event gets a fresh `id` and the simulation's time as `occurred_at` when it happens (the
//! same on each redelivery of it). A delivery the application does not accept (not 2xx, or no
//! answer within [`FakeBuilder::webhook_timeout`]) goes to the failover URL when one is set
//! ([`FakeBuilder::webhook_failover_url`]), and is redelivered after the delays of the call's
//! `webhook_retries_policies` for its event type (else [`FakeBuilder::webhook_retries`]); every
//! attempt is kept ([`FakeTelnyx::deliveries`]) and can be replayed.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod clock;
pub mod contract;
mod deliver;
mod event;
mod fake;
mod fault;
mod outbox;
mod record;
mod schema;
mod script;
mod server;
mod settle;
mod shared;
mod sim;
mod timeline;
mod views;

pub use clock::SimClock;
pub use deliver::{Delivery, Forgery, GivenUp, SendError};
pub use event::Event;
pub use fake::{FakeBuilder, FakeTelnyx};
pub use fault::Fault;
pub use record::{BodyError, Command, RecordedRequest};
pub use script::{FarEnd, ScriptError};
pub use settle::SettleError;
pub use sim::UnusedStep;
pub use timeline::{Timeline, TimelineEntry};
pub use views::{CallState, CallView, ConferenceView, Direction, ParticipantView, QueueView};
