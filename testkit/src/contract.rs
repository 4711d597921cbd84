//! What a generated crate tells the fake about its API: its operations ([`Operation`], with a
//! [`Route`] each), the shapes of their bodies ([`Def`], [`Shape`]), what the simulator does with
//! each ([`Behaviour`], from `telnyx-call-control-contract`, which the generator shares) and where
//! events keep their fields ([`Places`]). The generator writes these as Rust values of these types
//! into the crate's `testing` module, so a change on either side that the other does not follow is
//! a compile error.

use std::any::Any;
use std::fmt::Debug;
use std::hash::Hash;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::event::Event;
pub use crate::event::Places;

pub use telnyx_call_control_contract::{timing, Behaviour};

/// The operations of a generated crate (its `testing::Operation` enum), with what the fake needs to
/// serve them.
pub trait Operation: Copy + Ord + Hash + Debug + Send + Sync + 'static {
    /// The generated crate's client, which [`FakeTelnyx::client`](crate::FakeTelnyx::client) hands
    /// to the application.
    type Client: telnyx_call_control_runtime::Api + Clone;

    /// Every operation as the fake serves it.
    fn routes() -> &'static [Route<Self>];

    /// The schemas [`Shape::Def`] indexes.
    fn schemas() -> &'static [Def];

    /// The spec's example of the event `event_type` (`call.answered`), which the simulator fills
    /// in; `None` for an event type the spec has no example of.
    fn event(event_type: &str) -> Option<Event>;
}

/// One operation as the fake serves it.
#[derive(Debug)]
pub struct Route<O: 'static> {
    /// The operation.
    pub operation: O,
    /// Its HTTP method (`POST`).
    pub method: &'static str,
    /// Its path after the base URL, segment by segment.
    pub segments: &'static [Segment],
    /// Its request body, if it takes one.
    pub body: Option<RouteBody>,
    /// The status of its success answer.
    pub status: u16,
    /// The spec's example of the success body (JSON text).
    pub response: Option<&'static str>,
    /// Where the response names the call (`data.call_control_id`): the path's call, or a new call
    /// for an operation that creates one.
    pub response_call_id: Option<&'static [&'static str]>,
    /// The events the operation's documentation lists without a condition.
    pub webhooks: &'static [&'static str],
    /// What the call simulator does with it.
    pub behaviour: Behaviour,
}

/// One segment of an operation's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// A literal segment (`calls`, `actions`).
    Static(&'static str),
    /// A path parameter, by name (`call_control_id`).
    Param(&'static str),
}

/// An operation's request body.
pub struct RouteBody {
    /// Whether the body is required.
    pub required: bool,
    /// `Some` for JSON bodies: the schema and the typed parse. Other media types are taken as sent.
    pub json: Option<(Shape, Parse)>,
}

impl std::fmt::Debug for RouteBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteBody")
            .field("required", &self.required)
            .field("json", &self.json.as_ref().map(|(shape, _)| shape))
            .finish()
    }
}

/// A body read into its operation's request type, with the type's name.
pub type Typed = (Arc<dyn Any + Send + Sync>, &'static str);

/// Reads a checked body into the operation's request type.
pub type Parse = fn(Value) -> Result<Typed, serde_json::Error>;

/// The typed parse of one request type: a route's [`Parse`] is `parse::<ItsRequestType>`.
pub fn parse<T: DeserializeOwned + Send + Sync + 'static>(
    value: Value,
) -> Result<Typed, serde_json::Error> {
    let typed: T = serde_json::from_value(value)?;
    Ok((Arc::new(typed), std::any::type_name::<T>()))
}

/// How a value is typed where it is used: the generated type's shape, for the fake's body checks.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A string.
    String,
    /// An integer; `bits32` for `format: int32`.
    Integer {
        /// Whether it must fit in 32 bits.
        bits32: bool,
    },
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value.
    Any,
    /// Any JSON object.
    Object,
    /// A schema of [`Operation::schemas`], by index.
    Def(usize),
    /// An array of the shape.
    Array(&'static Shape),
    /// An object whose values have the shape.
    Map(&'static Shape),
    /// The shape, or `null`.
    Nullable(&'static Shape),
}

/// A named schema.
#[derive(Debug, Clone, Copy)]
pub enum Def {
    /// An object with declared fields.
    Struct {
        /// Its fields.
        fields: &'static [Field],
        /// What extra keys may hold, when the schema allows them; other extra keys are ignored, as
        /// the API ignores them.
        additional: Option<Shape>,
    },
    /// A closed list of strings (the spec's `enum`).
    Strings(&'static [&'static str]),
    /// A closed list of integers.
    Integers(&'static [i64]),
    /// Selected by the string at `tag`; a variant without fields of its own has no schema.
    Tagged {
        /// The tag's property.
        tag: &'static str,
        /// The tag values of each variant, and its schema.
        variants: &'static [(&'static [&'static str], Option<usize>)],
    },
    /// The first shape that fits.
    Untagged(&'static [Shape]),
    /// Another name for a shape.
    Alias(Shape),
}

/// A field of a [`Def::Struct`].
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Its JSON name.
    pub name: &'static str,
    /// Its shape.
    pub shape: Shape,
    /// Whether it must be present.
    pub required: bool,
    /// Whether it may be `null`.
    pub nullable: bool,
}
