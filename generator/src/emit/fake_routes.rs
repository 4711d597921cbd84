//! Emits `src/testing/spec.rs` for the fake Telnyx (feature `testing`): the `Operation` enum, one
//! route per operation (path, body schema, typed parse, the spec's example response, what the call
//! simulator does with it and the events the documentation lists without a condition) and the schemas
//! of every type a request body reaches, as static tables the hand-written checker in
//! `templates/src/testing/schema.rs` walks.

mod simulation;

use super::rust::ty;
use crate::fixtures::typed::example;
use crate::model::operations::{MediaClass, Operation};
use crate::model::types::{TypeId, TypeKind, TypeRef, TypeSpace};
use crate::model::Model;
use crate::naming::{ident, operation_variants};
use crate::surface::call_path;
use crate::surface::conventions::CALL_ID;
use crate::surface::event_paths::{json_path, string_field, Level};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The `Operation` variant of each operation, in model order (`Speak`, `RetrieveCallStatus`,
/// `ConferenceSpeak`): an operation of the calls service is named after its method, any other after
/// its service's noun and its method, unless the method already names it (`CreateQueue`); where
/// names still meet, the service decides.
pub fn variants(model: &Model) -> Vec<Ident> {
    let names: Vec<String> = model
        .operations
        .iter()
        .map(|op| variant_word(&op.service, &op.name))
        .collect();
    let ops: Vec<(&[String], &str)> = model
        .operations
        .iter()
        .zip(&names)
        .map(|(op, name)| (op.service.as_slice(), name.as_str()))
        .collect();
    operation_variants(&ops).iter().map(|n| ident(n)).collect()
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

pub fn emit(model: &Model) -> TokenStream {
    let space = &model.types;
    let variants = variants(model);
    let defs = Defs::reached_from(model);
    let simulated: Vec<simulation::Simulated> =
        model.operations.iter().map(simulation::simulated).collect();
    let docs = model.operations.iter().zip(&simulated).map(|(op, sim)| {
        let call = call_path(op);
        let doc = format!(
            " `{} {}`: `{}(..)`",
            op.method,
            op.path,
            call.trim_end_matches("()")
        );
        let simulated = if sim.modelled {
            format!(" Simulated: {}", sim.doc)
        } else {
            format!(" {}", sim.doc)
        };
        quote!(#[doc = #doc] #[doc = ""] #[doc = #simulated])
    });
    let simulation_docs = simulated.iter().map(|sim| sim.doc.as_str());
    let methods = model.operations.iter().map(|op| op.method.as_str());
    let paths = model.operations.iter().map(|op| op.path.as_str());
    let calls = model
        .operations
        .iter()
        .map(|op| call_path(op).trim_end_matches("()").to_owned());
    let documented = model.operations.iter().map(|op| &op.webhooks);
    let routes = model
        .operations
        .iter()
        .zip(&variants)
        .zip(&simulated)
        .map(|((op, v), sim)| route(space, &defs, op, v, &sim.behaviour));
    let tables = defs.emit(space);
    let count = variants.len();
    let v = &variants;
    quote! {
        //! The operations of this crate as the fake serves them, and the schemas of their bodies.

        // Which of these a scope needs depends on its operations.
        #[allow(unused_imports)]
        use super::schema::{Def, Field, Shape};
        #[allow(unused_imports)]
        use super::server::{parse, Route, RouteBody, Segment};
        use super::sim::Behaviour;

        /// Every operation of the crate, as the fake records it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Operation {
            #( #docs #v, )*
        }

        impl Operation {
            /// Every operation, in the order of the spec.
            pub const ALL: [Operation; #count] = [ #( Operation::#v ),* ];

            /// The HTTP method (`POST`).
            pub fn method(self) -> &'static str {
                match self { #( Operation::#v => #methods, )* }
            }

            /// The path, with its parameters in braces (`/calls/{call_control_id}/actions/speak`).
            pub fn path(self) -> &'static str {
                match self { #( Operation::#v => #paths, )* }
            }

            /// The client method that sends it (`calls().actions().speak`).
            pub fn client_method(self) -> &'static str {
                match self { #( Operation::#v => #calls, )* }
            }

            /// Every event type the operation's documentation says may follow it.
            pub fn documented_webhooks(self) -> &'static [&'static str] {
                match self { #( Operation::#v => &[ #( #documented ),* ], )* }
            }

            /// What the fake's call simulator does with it and which events it sends
            /// ([`FakeBuilder::simulate`](super::FakeBuilder::simulate)).
            pub fn simulation(self) -> &'static str {
                match self { #( Operation::#v => #simulation_docs, )* }
            }
        }

        pub(crate) static ROUTES: &[Route] = &[ #( #routes ),* ];

        #tables
    }
}

fn route(
    space: &TypeSpace,
    defs: &Defs,
    op: &Operation,
    variant: &Ident,
    behaviour: &TokenStream,
) -> TokenStream {
    let method = op.method.as_str();
    let segments: Vec<TokenStream> = op
        .path
        .trim_start_matches('/')
        .split('/')
        .map(segment)
        .collect();
    let body = match &op.body {
        Some(b) => {
            let required = b.required;
            let json = match (b.class, &b.ty) {
                (MediaClass::Json, Some(t)) => {
                    let shape = defs.shape(space, t);
                    let rust = ty(space, t);
                    quote!(::std::option::Option::Some((#shape, parse::<#rust>)))
                }
                _ => quote!(::std::option::Option::None),
            };
            quote!(::std::option::Option::Some(RouteBody { required: #required, json: #json }))
        }
        None => quote!(::std::option::Option::None),
    };
    let status = op.response.status;
    let (response, response_call_id) = match (op.response.class, &op.response.ty) {
        (Some(MediaClass::Json), Some(t)) => {
            let text = example(space, t).to_string();
            let at = string_field(space, t, Level::Record, CALL_ID).map(|steps| {
                let keys = json_path(space, &steps);
                quote!(::std::option::Option::Some(&[ #( #keys ),* ]))
            });
            (
                quote!(::std::option::Option::Some(#text)),
                at.unwrap_or_else(|| quote!(::std::option::Option::None)),
            )
        }
        _ => (
            quote!(::std::option::Option::None),
            quote!(::std::option::Option::None),
        ),
    };
    let webhooks = &op.unconditional_webhooks;
    quote! {
        Route {
            operation: Operation::#variant,
            method: #method,
            segments: &[ #( #segments ),* ],
            body: #body,
            status: #status,
            response: #response,
            response_call_id: #response_call_id,
            webhooks: &[ #( #webhooks ),* ],
            behaviour: #behaviour,
        }
    }
}

/// A path segment: `{name}` is a parameter, anything else itself.
fn segment(s: &str) -> TokenStream {
    match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        Some(name) => quote!(Segment::Param(#name)),
        None => quote!(Segment::Static(#s)),
    }
}

/// The named types request bodies reach, each with its index in the `DEFS` table.
struct Defs {
    index: BTreeMap<TypeId, usize>,
}

impl Defs {
    fn reached_from(model: &Model) -> Defs {
        let space = &model.types;
        let mut seen: BTreeSet<TypeId> = BTreeSet::new();
        let mut todo: Vec<TypeId> = model
            .operations
            .iter()
            .filter_map(|op| op.body.as_ref())
            .filter(|b| b.class == MediaClass::Json)
            .filter_map(|b| b.ty.as_ref())
            .filter_map(|t| t.named())
            .collect();
        while let Some(id) = todo.pop() {
            let id = space.definition(id);
            if seen.insert(id) {
                todo.extend(space.get(id).kind.children());
            }
        }
        // Sorted by name, so the table reads like the types module and never moves with discovery.
        let mut ids: Vec<TypeId> = seen.into_iter().collect();
        ids.sort_by(|a, b| space.get(*a).name.cmp(&space.get(*b).name));
        Defs {
            index: ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect(),
        }
    }

    fn shape(&self, space: &TypeSpace, t: &TypeRef) -> TokenStream {
        match t {
            TypeRef::String => quote!(Shape::String),
            TypeRef::Integer { bits32 } => quote!(Shape::Integer { bits32: #bits32 }),
            TypeRef::Number => quote!(Shape::Number),
            TypeRef::Boolean => quote!(Shape::Boolean),
            TypeRef::Json => quote!(Shape::Any),
            TypeRef::JsonObject => quote!(Shape::Object),
            TypeRef::Named(id) => match self.index.get(&space.definition(*id)) {
                Some(i) => quote!(Shape::Def(#i)),
                None => quote!(Shape::Any),
            },
            TypeRef::Array(item) => {
                let item = self.shape(space, item);
                quote!(Shape::Array(&#item))
            }
            TypeRef::Map(value) => {
                let value = self.shape(space, value);
                quote!(Shape::Map(&#value))
            }
            TypeRef::Nullable(inner) => {
                let inner = self.shape(space, inner);
                quote!(Shape::Nullable(&#inner))
            }
        }
    }

    fn emit(&self, space: &TypeSpace) -> TokenStream {
        let mut ordered: Vec<(usize, TypeId)> =
            self.index.iter().map(|(id, i)| (*i, *id)).collect();
        ordered.sort();
        let entries = ordered.iter().map(|(_, id)| {
            let def = space.get(*id);
            match &def.kind {
                TypeKind::Struct(s) => {
                    let fields = s.fields.iter().map(|f| {
                        let name = &f.json_name;
                        let shape = self.shape(space, &f.ty);
                        let required = f.required;
                        let nullable = f.nullable || def_nullable(space, &f.ty);
                        quote!(Field { name: #name, shape: #shape, required: #required, nullable: #nullable })
                    });
                    let additional = match &s.additional {
                        Some(a) => {
                            let a = self.shape(space, a);
                            quote!(::std::option::Option::Some(#a))
                        }
                        None => quote!(::std::option::Option::None),
                    };
                    quote!(Def::Struct { fields: &[ #( #fields ),* ], additional: #additional })
                }
                TypeKind::StringEnum(values) => {
                    let values = values.iter().map(|v| v.value.as_str());
                    quote!(Def::Strings(&[ #( #values ),* ]))
                }
                TypeKind::IntEnum(values) => {
                    let values = values.iter().map(|v| v.value);
                    quote!(Def::Integers(&[ #( #values ),* ]))
                }
                TypeKind::Tagged(u) => {
                    let tag = &u.tag;
                    let variants = u.variants.iter().map(|v| {
                        let tags = &v.tags;
                        let schema = match v.ty.and_then(|t| self.index.get(&space.definition(t))) {
                            Some(i) => quote!(::std::option::Option::Some(#i)),
                            None => quote!(::std::option::Option::None),
                        };
                        quote!((&[ #( #tags ),* ], #schema))
                    });
                    quote!(Def::Tagged { tag: #tag, variants: &[ #( #variants ),* ] })
                }
                TypeKind::Untagged(vs) => {
                    let shapes = vs.iter().map(|v| self.shape(space, &v.ty));
                    quote!(Def::Untagged(&[ #( #shapes ),* ]))
                }
                TypeKind::Alias(t) => {
                    let shape = self.shape(space, t);
                    quote!(Def::Alias(#shape))
                }
            }
        });
        quote! {
            /// The schema of every type a request body reaches, by index (sorted by type name).
            pub(crate) static DEFS: &[Def] = &[ #( #entries ),* ];
        }
    }
}

/// Whether the named type itself admits `null` (then every use of it does).
fn def_nullable(space: &TypeSpace, t: &TypeRef) -> bool {
    match t {
        TypeRef::Named(id) => space.get(*id).nullable,
        _ => false,
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
