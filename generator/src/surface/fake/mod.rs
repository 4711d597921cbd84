//! The fake Telnyx of the generated crate (feature `testing`), decided once: each operation's
//! `Operation` variant and route (how a request is matched, its body checked and answered, what the
//! call simulator does with it), the schemas the body checker walks, and the event builders of
//! `testing::events`. The emitters of `src/testing/` and of the fake's tests render it.

mod events;
pub mod readings;
mod schemas;
mod simulation;

pub use events::{EventBuilder, Lookup, Setter};
pub use schemas::{SchemaDef, SchemaField, SchemaShape};
pub use simulation::Simulation;

use super::conventions::CALL_ID;
use super::event_paths::{json_path, string_field, Level};
use super::{call_path, OperationSurface, RustType, WebhooksSurface};
use crate::model::operations::MediaClass;
use crate::model::types::TypeSpace;
use crate::naming::operation_variants;
use schemas::Defs;

/// The fake: routes, body schemas and event builders.
#[derive(Debug, Clone)]
pub struct FakeSurface<'m> {
    /// One per operation, in the surface's order.
    pub routes: Vec<Route<'m>>,
    /// The schema of every type a JSON request body reaches, by index (sorted by type name).
    pub schemas: Vec<SchemaDef<'m>>,
    /// One per webhook event, in the surface's order.
    pub events: Vec<EventBuilder>,
    /// The event types the simulator can send, each with the event whose example it starts from.
    pub lookups: Vec<Lookup<'m>>,
}

/// How the fake serves one operation.
#[derive(Debug, Clone)]
pub struct Route<'m> {
    /// The `Operation` variant (`Speak`, `ConferenceSpeak`).
    pub variant: String,
    /// The client method that sends it (`calls().actions().speak`).
    pub client_method: String,
    /// The path's segments, matched one by one.
    pub segments: Vec<Segment<'m>>,
    pub body: Option<RouteBody>,
    /// The path names a call (`{call_control_id}`), which its command is recorded with.
    pub has_call: bool,
    /// Where the JSON response keeps the call id, which the fake fills with the call's.
    pub response_call_id: Option<Vec<String>>,
    pub simulation: Simulation,
}

/// A path segment: a parameter (`{name}`) or itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'m> {
    Static(&'m str),
    Param(&'m str),
}

/// The request body a route takes.
#[derive(Debug, Clone)]
pub struct RouteBody {
    pub required: bool,
    /// The body is JSON (any other media type is taken as sent).
    pub json: bool,
    /// The checked shape and the Rust type of a typed JSON body.
    pub typed: Option<(SchemaShape, RustType)>,
}

impl<'m> FakeSurface<'m> {
    pub fn of(
        space: &'m TypeSpace,
        operations: &[OperationSurface<'m>],
        webhooks: &WebhooksSurface<'m>,
    ) -> Self {
        let defs = Defs::reached_from(space, operations.iter().map(|op| op.op));
        let routes = operations
            .iter()
            .zip(variants(operations))
            .map(|(op, variant)| route(space, &defs, op, variant))
            .collect();
        FakeSurface {
            routes,
            schemas: defs.table(),
            events: events::builders(space, webhooks),
            lookups: events::lookups(webhooks),
        }
    }
}

fn route<'m>(
    space: &TypeSpace,
    defs: &Defs<'_>,
    op: &OperationSurface<'m>,
    variant: String,
) -> Route<'m> {
    let model = op.op;
    let segments = op
        .path
        .trim_start_matches('/')
        .split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name),
                None => Segment::Static(s),
            },
        )
        .collect();
    let body = model.body.as_ref().map(|b| RouteBody {
        required: b.required,
        json: b.class == MediaClass::Json,
        typed: match (b.class, &b.ty) {
            (MediaClass::Json, Some(t)) => Some((defs.shape(t), RustType::of(space, t))),
            _ => None,
        },
    });
    let response_call_id = model.json_response().and_then(|t| {
        string_field(space, t, Level::Record, CALL_ID).map(|steps| json_path(space, &steps))
    });
    Route {
        variant,
        client_method: call_path(model).trim_end_matches("()").to_owned(),
        segments,
        body,
        has_call: op.path_params.contains(&CALL_ID),
        response_call_id,
        simulation: simulation::simulation(model),
    }
}

/// The `Operation` variant of each operation, in order (`Speak`, `RetrieveCallStatus`,
/// `ConferenceSpeak`): an operation of the calls service is named after its method, any other after
/// its service's noun and its method, unless the method already names it (`CreateQueue`); where
/// names still meet, the service decides.
fn variants(operations: &[OperationSurface<'_>]) -> Vec<String> {
    let names: Vec<String> = operations
        .iter()
        .map(|op| variant_word(op.service, op.name))
        .collect();
    let ops: Vec<(&[String], &str)> = operations
        .iter()
        .zip(&names)
        .map(|(op, name)| (op.service, name.as_str()))
        .collect();
    operation_variants(&ops)
}

/// The service whose operations keep their bare method name.
const PRIMARY_SERVICE: &str = "calls";

/// `end` of `conferences().actions()` → `conference_end`; `create_queue` stays.
fn variant_word(service: &[String], name: &str) -> String {
    let Some(service) = service.first().filter(|s| *s != PRIMARY_SERVICE) else {
        return name.to_owned();
    };
    let noun = service.strip_suffix('s').unwrap_or(service);
    if name.split('_').any(|w| w.trim_end_matches('s') == noun) {
        name.to_owned()
    } else {
        format!("{noun}_{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::variant_word;

    #[test]
    fn operations_outside_calls_are_named_after_their_service_unless_they_say_it() {
        let service = |s: &[&str]| s.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        let actions = service(&["conferences", "actions"]);
        assert_eq!(variant_word(&actions, "end"), "conference_end");
        assert_eq!(
            variant_word(&actions, "record_start"),
            "conference_record_start"
        );
        let conferences = service(&["conferences"]);
        assert_eq!(
            variant_word(&conferences, "list_conferences"),
            "list_conferences"
        );
        let queues = service(&["queues"]);
        assert_eq!(
            variant_word(&queues, "remove_queue_call"),
            "remove_queue_call"
        );
        let calls = service(&["calls", "actions"]);
        assert_eq!(variant_word(&calls, "speak"), "speak");
    }
}
