//! What the generator of the Telnyx clients and the call simulator of their test kit agree on, as
//! Rust values both sides build on: the simulator's [`Behaviour`]s (the generator chooses one per
//! operation and writes it into the generated route table), the request [`Field`]s each one reads
//! (the generator checks them against the spec, so a field a spec update removes or retypes is a
//! diagnostic rather than a silent change of the simulation), and the [`timing`] the simulation runs
//! on, from which each behaviour's documentation is written.
//!
//! It has no dependencies: the generator uses it without the test kit's HTTP stack.

#![forbid(unsafe_code)]

mod behaviour;
mod field;
pub mod timing;

pub use behaviour::Behaviour;
pub use field::{Field, Kind};
