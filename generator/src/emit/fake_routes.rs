//! Emits `src/testing/spec.rs` for the fake Telnyx (feature `testing`): the `Operation` enum, one
//! route per operation (path, body schema, typed parse, the spec's example response, what the call
//! simulator does with it and the events the documentation lists without a condition) and the schemas
//! of every type a request body reaches, as values of the test kit's contract types
//! (`telnyx_call_control_testkit::contract`), which its checker walks.

use super::paths::CONTRACT;
use super::rust::ident;
use crate::samples::{FakeSamples, Samples};
use crate::surface::fake::{Route, RouteBody, SchemaDef, SchemaShape, Segment};
use crate::surface::{OperationSurface, Surface};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub fn emit(surface: &Surface<'_>, samples: &Samples) -> TokenStream {
    let fake = &surface.fake;
    let ops = &surface.operations;
    let variants: Vec<Ident> = fake.routes.iter().map(|r| ident(&r.variant)).collect();
    let docs = ops.iter().zip(&fake.routes).map(|(op, route)| {
        let doc = format!(
            " `{} {}`: `{}(..)`",
            op.http_method, op.path, route.client_method
        );
        let sim = &route.simulation;
        let simulated = if sim.behaviour.is_modelled() {
            format!(" Simulated: {}", sim.doc)
        } else {
            format!(" {}", sim.doc)
        };
        quote!(#[doc = #doc] #[doc = ""] #[doc = #simulated])
    });
    let simulation_docs = fake.routes.iter().map(|r| r.simulation.doc.as_str());
    let methods = ops.iter().map(|op| op.http_method);
    let paths = ops.iter().map(|op| op.path);
    let calls = fake.routes.iter().map(|r| r.client_method.as_str());
    let documented = ops.iter().map(|op| op.webhooks);
    let routes = ops
        .iter()
        .zip(&fake.routes)
        .zip(&variants)
        .zip(&samples.fake)
        .map(|(((op, r), v), fx)| route(op, r, v, fx));
    let tables = schemas(&fake.schemas);
    let count = variants.len();
    let v = &variants;
    quote! {
        //! The operations of this crate as the fake serves them, and the schemas of their bodies.

        // Which of these a scope needs depends on its operations.
        #[allow(unused_imports)]
        use #CONTRACT::{parse, Behaviour, Def, Field, Route, RouteBody, Segment, Shape};

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

        impl #CONTRACT::Operation for Operation {
            type Client = crate::Client;

            fn routes() -> &'static [Route<Self>] {
                ROUTES
            }

            fn schemas() -> &'static [Def] {
                DEFS
            }

            fn event(event_type: &str) -> ::std::option::Option<super::Event> {
                super::events::documented(event_type)
            }
        }

        static ROUTES: &[Route<Operation>] = &[ #( #routes ),* ];

        #tables
    }
}

fn route(
    op: &OperationSurface<'_>,
    r: &Route<'_>,
    variant: &Ident,
    fx: &FakeSamples,
) -> TokenStream {
    let method = op.http_method;
    let segments = r.segments.iter().map(|s| match s {
        Segment::Param(name) => quote!(Segment::Param(#name)),
        Segment::Static(s) => quote!(Segment::Static(#s)),
    });
    let body = option(r.body.as_ref().map(body));
    let status = op.status;
    let response = option(fx.response.as_ref().map(|example| {
        let text = example.to_string();
        quote!(#text)
    }));
    let response_call_id = option(
        r.response_call_id
            .as_ref()
            .map(|keys| quote!(&[ #( #keys ),* ])),
    );
    let webhooks = op.unconditional_webhooks;
    let behaviour = format_ident!("{}", r.simulation.behaviour.name());
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
            behaviour: Behaviour::#behaviour,
        }
    }
}

fn body(b: &RouteBody) -> TokenStream {
    let required = b.required;
    let json = option(b.typed.as_ref().map(|(schema, rust)| {
        let shape = shape(schema);
        let rust = rust.tokens();
        quote!((#shape, parse::<#rust>))
    }));
    quote!(RouteBody { required: #required, json: #json })
}

fn shape(s: &SchemaShape) -> TokenStream {
    match s {
        SchemaShape::String => quote!(Shape::String),
        SchemaShape::Integer { bits32 } => quote!(Shape::Integer { bits32: #bits32 }),
        SchemaShape::Number => quote!(Shape::Number),
        SchemaShape::Boolean => quote!(Shape::Boolean),
        SchemaShape::Any => quote!(Shape::Any),
        SchemaShape::Object => quote!(Shape::Object),
        SchemaShape::Def(i) => quote!(Shape::Def(#i)),
        SchemaShape::Array(item) => {
            let item = shape(item);
            quote!(Shape::Array(&#item))
        }
        SchemaShape::Map(value) => {
            let value = shape(value);
            quote!(Shape::Map(&#value))
        }
        SchemaShape::Nullable(inner) => {
            let inner = shape(inner);
            quote!(Shape::Nullable(&#inner))
        }
    }
}

/// `Some(value)` or `None`, as an expression.
fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

fn schemas(defs: &[SchemaDef<'_>]) -> TokenStream {
    let entries = defs.iter().map(|def| match def {
        SchemaDef::Struct { fields, additional } => {
            let fields = fields.iter().map(|f| {
                let name = f.name;
                let shape = shape(&f.shape);
                let required = f.required;
                let nullable = f.nullable;
                quote!(Field { name: #name, shape: #shape, required: #required, nullable: #nullable })
            });
            let additional = option(additional.as_ref().map(shape));
            quote!(Def::Struct { fields: &[ #( #fields ),* ], additional: #additional })
        }
        SchemaDef::Strings(values) => quote!(Def::Strings(&[ #( #values ),* ])),
        SchemaDef::Integers(values) => quote!(Def::Integers(&[ #( #values ),* ])),
        SchemaDef::Tagged { tag, variants } => {
            let variants = variants.iter().map(|(tags, schema)| {
                let schema = option(schema.map(|i| quote!(#i)));
                quote!((&[ #( #tags ),* ], #schema))
            });
            quote!(Def::Tagged { tag: #tag, variants: &[ #( #variants ),* ] })
        }
        SchemaDef::Untagged(shapes) => {
            let shapes = shapes.iter().map(shape);
            quote!(Def::Untagged(&[ #( #shapes ),* ]))
        }
        SchemaDef::Alias(s) => {
            let shape = shape(s);
            quote!(Def::Alias(#shape))
        }
    });
    quote! {
        /// The schema of every type a request body reaches, by index (sorted by type name).
        static DEFS: &[Def] = &[ #( #entries ),* ];
    }
}
