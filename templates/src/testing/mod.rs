//! A fake Telnyx for testing an application offline (feature `testing`): no number, no phone, no
//! money, and nothing leaves the machine.
//!
//! [`FakeTelnyx`] serves every operation of this crate on a loopback port and checks each request as
//! the API would (path, method, bearer key, and the body against the spec's schema: a body the API
//! would refuse gets `422` with `errors[].source.pointer` naming the field). Valid commands are
//! recorded and answered with the spec's example response. It signs webhook deliveries with its own
//! Ed25519 key and posts them to the application, on demand ([`FakeTelnyx::send`], with the builders
//! of [`events`]) and, if asked, after each command: the events the operation's documentation lists
//! without a condition ([`FakeTelnyx::auto_webhooks`]), or what a test says ([`FakeTelnyx::on`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use telnyx_call_control::testing::{events, FakeTelnyx, Operation};
//! use telnyx_call_control::webhooks::Verifier;
//!
//! let fake = FakeTelnyx::start().await?;
//! let client = fake.client(); // give it to the application
//! let verifier = Verifier::new(&fake.public_key())?; // the application's verifier
//! # let _ = (client, verifier);
//! fake.set_webhook_url("http://127.0.0.1:3000/webhooks")?;
//! fake.auto_webhooks(true);
//! fake.send(events::CallInitiated::example().call_control_id("v3:test")).await?;
//! fake.settle().await?;
//! assert_eq!(fake.commands()[0].operation(), Operation::Answer);
//! # Ok(())
//! # }
//! ```

mod deliver;
mod event;
#[rustfmt::skip]
pub mod events;
mod fake;
mod schema;
mod server;
#[rustfmt::skip]
mod spec;

pub use deliver::{Delivery, SendError};
pub use event::Event;
pub use fake::{Command, FakeBuilder, FakeTelnyx, Fault, RecordedRequest, SettleError};
pub use spec::Operation;
