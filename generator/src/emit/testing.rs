//! Emits `src/testing/mod.rs` (feature `testing`): the test kit (`telnyx_call_control_testkit`) with
//! this crate's operations filled in, under the names an application uses (`FakeTelnyx`, `Command`,
//! ...), beside the generated `spec.rs` (the kit's tables) and `events.rs` (delivery builders).

use super::layout::{declarations, Module};
use super::paths::TESTKIT;
use proc_macro2::TokenStream;
use quote::quote;

/// What the kit offers as it is: nothing in it depends on this crate's operations.
const AS_IS: &[&str] = &[
    "CallState",
    "CallView",
    "ConferenceView",
    "Delivery",
    "Direction",
    "Event",
    "FarEnd",
    "Fault",
    "Forgery",
    "GivenUp",
    "ParticipantView",
    "QueueView",
    "ScriptError",
    "SendError",
    "SettleError",
    "SimClock",
    "Timeline",
    "TimelineEntry",
    "UnusedStep",
];

/// `(name, what it is)`: the kit's types over this crate's `Operation`.
const OVER_OPERATIONS: &[(&str, &str)] = &[
    (
        "FakeTelnyx",
        "A fake Telnyx on a loopback port serving this crate's operations; see [the module](self).",
    ),
    (
        "FakeBuilder",
        "Configures a [`FakeTelnyx`]; start from [`FakeTelnyx::builder`].",
    ),
    (
        "Command",
        "A command the fake accepted: its operation, its call, and its body as sent and as typed.",
    ),
    (
        "RecordedRequest",
        "One request the fake received, whatever it answered, recorded when it arrived.",
    ),
    (
        "BodyError",
        "[`Command::body`] was asked for a type that is not the command's request type.",
    ),
];

/// `src/testing/mod.rs` of the crate `lib`, whose module `testing` is `module`.
pub fn emit(lib: &str, module: &Module) -> TokenStream {
    let declared = declarations(&module.children);
    let as_is = AS_IS.iter().map(|name| super::rust::ident(name));
    let aliases = OVER_OPERATIONS.iter().map(|(name, doc)| {
        let name = super::rust::ident(name);
        let doc = format!(" {doc}");
        quote! {
            #[doc = #doc]
            pub type #name = #TESTKIT::#name<Operation>;
        }
    });
    let docs = module_doc(lib).into_iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    quote! {
        #( #docs )*

        #declared

        pub use spec::Operation;
        pub use #TESTKIT::{ #( #as_is ),* };

        #( #aliases )*
    }
}

/// The module's docs: what the fake does, and a whole call in a few lines (a doc test of the crate).
fn module_doc(lib: &str) -> Vec<String> {
    let text = format!(
        "\
A fake Telnyx for testing an application offline (feature `testing`): no number, no phone, no
money, and nothing leaves the machine.

[`FakeTelnyx`] serves every operation of this crate on a loopback port and checks each request as
the API would (path, method, bearer key, and the body against the spec's schema: a body the API
would refuse gets `422` with `errors[].source.pointer` naming the field). Requests are recorded as
they arrive; valid commands are recorded with their typed bodies and answered with the spec's
example response (or a [`Fault`]). It signs webhook deliveries with its own Ed25519 key and posts
them to the application: on demand ([`FakeTelnyx::send`], with the builders of [`events`];
forged ones with [`FakeTelnyx::send_forged`] and [`FakeTelnyx::replay`]), and on its own when it
simulates calls.

# The call simulator

With [`FakeBuilder::simulate`], each call has a state ([`CallState`]) and legs; a [`FarEnd`]
script plays the caller of an incoming call ([`FakeTelnyx::incoming_call`]) or the number the
application dials ([`FakeTelnyx::far_end`]); conferences keep their participants (muted, on
hold) and queues their order. Commands on a call that has ended are refused as the API refuses
them (`422`, code `90018`), and events follow from what happened: a recording is saved when it is
stopped or the call ends, a transcription only when one was asked for, a transfer makes a new leg
with its own call id, a bridge joins two calls, machine detection reports only when it was
requested. What each operation makes the fake send is on its [`Operation`] variant
([`Operation::simulation`]).

Time in the simulation is virtual: [`FakeTelnyx::settle`] lets it run (a wait of a minute costs
nothing) once no request or delivery is pending, and reports what went wrong: webhooks given up
on, script steps no one used (a `presses` the application never gathered for, steps of a call that
ended first), or, after its real-time deadline, what it was still waiting for; each with the
[`Timeline`] of the calls involved. The application's own timers can run on the same time
([`FakeTelnyx::clock`], [`SimClock`]).

Webhooks are delivered as Telnyx delivers them: each event gets a fresh `id` and the simulation's
time as `occurred_at`; one the application does not accept goes to the failover URL
([`FakeBuilder::webhook_failover_url`]) and is redelivered as the call's `webhook_retries_policies`
(else [`FakeBuilder::webhook_retries`]) say; [`FakeTelnyx::deliveries`] keeps every attempt.
[`FakeTelnyx::on`] gives the events that follow an operation instead of the simulator's, which
takes in the state they report.

```no_run
# async fn run() -> Result<(), Box<dyn std::error::Error>> {{
use {lib}::testing::{{CallState, FakeTelnyx, FarEnd, Operation}};
use {lib}::webhooks::Verifier;

let fake = FakeTelnyx::builder().simulate(true).start().await?;
let client = fake.client(); // give it to the application
let verifier = Verifier::new(&fake.public_key())?; // the application's verifier
# let _ = (client, verifier);
fake.set_webhook_url(\"http://127.0.0.1:3000/webhooks\")?;
let call = fake.incoming_call(\"+15550100\", \"+15550199\", FarEnd::new().presses(\"1\"))?;
fake.settle().await?;
assert_eq!(fake.commands()[0].operation(), Operation::Answer);
assert_eq!(fake.call(&call).map(|c| c.state), Some(CallState::HungUp));
# Ok(())
# }}
```"
    );
    text.lines().map(str::to_owned).collect()
}
