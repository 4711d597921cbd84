//! Emits `src/testing/events.rs` for the fake Telnyx (feature `testing`): one builder per webhook
//! event, starting from the spec's example of it, with setters for the fields a test sets (the call's
//! ids and client state where `WebhookEvent`'s accessors read them, and every payload field), where
//! each event keeps those fields (so the simulator fills them in by name), and the lookup from an event
//! type to its example that the simulator starts every event it sends from.

use super::event_accessors::{path_in, ACCESSORS};
use super::rust::{ident, ty};
use crate::model::types::{Struct, TypeKind};
use crate::model::{Dispatch, Model, Webhook};
use crate::surface::event_paths::{json_path, level_steps, struct_id, Level};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// Method names every builder has.
const RESERVED: [&str; 3] = ["example", "into_event", "client_state_json"];

pub fn emit(model: &Model) -> TokenStream {
    let builders = model.webhooks.iter().map(|w| builder(model, w));
    let mut claimed = BTreeSet::new();
    let lookups = model.webhooks.iter().flat_map(|w| {
        let Dispatch::EventType { path, values } = &w.dispatch else {
            return Vec::new();
        };
        let name = ident(&w.variant);
        values
            .iter()
            // The first event claiming a type wins, as in `WebhookEvent` dispatch.
            .filter(|v| claimed.insert((*v).clone()))
            .map(|v| {
                if values.len() > 1 {
                    quote!(#v => #name::example().into_event().with_event_type(&[ #( #path ),* ], #v),)
                } else {
                    quote!(#v => #name::example().into_event(),)
                }
            })
            .collect::<Vec<_>>()
    });
    quote! {
        //! Builders of webhook deliveries, one per event of the spec, each starting from the spec's
        //! example of its event: set what a test cares about, then
        //! [`FakeTelnyx::send`](super::FakeTelnyx::send) it.

        #( #builders )*

        /// The spec's example of the event with this event type, for the events the fake sends after a
        /// command.
        pub(crate) fn documented(event_type: &str) -> ::std::option::Option<super::Event> {
            ::std::option::Option::Some(match event_type {
                #( #lookups )*
                _ => return ::std::option::Option::None,
            })
        }
    }
}

fn builder(model: &Model, w: &Webhook) -> TokenStream {
    let space = &model.types;
    let name = ident(&w.variant);
    let key = &w.key;
    let (example, source) = match &w.example {
        Some(e) => (e.to_string(), "the spec's example"),
        None => (
            crate::fixtures::delivery(&model.types, w).0.to_string(),
            "a delivery synthesized from the schema (the spec has no example)",
        ),
    };
    let types = match &w.dispatch {
        Dispatch::EventType { values, .. } => {
            let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            format!(" ({})", list.join(", "))
        }
        Dispatch::Shape { .. } => String::new(),
    };
    let doc = format!(" A `{key}` delivery{types}, starting from {source}.");
    let mut used: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
    let mut covered: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut setters = Vec::new();
    let path_of = |method: &str| {
        ACCESSORS
            .iter()
            .find(|a| a.method == method)
            .and_then(|a| path_in(space, w, a))
            .map(|steps| json_path(space, &steps))
    };
    for a in &ACCESSORS {
        let Some(path) = path_of(a.method) else {
            continue;
        };
        used.insert(a.method.to_owned());
        covered.insert(path.clone());
        let method = ident(a.method);
        let doc = format!(" Sets `{}`.", path.join("."));
        setters.push(quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.0.set_path(&[ #( #path ),* ], &value.into());
                self
            }
        });
    }
    let state_path = path_of("client_state");
    if let Some(path) = &state_path {
        setters.push(quote! {
            /// Sets `client_state` to `state` as JSON, then base64 (what an application's
            /// `client_state_json` reads back).
            pub fn client_state_json<T: ::serde::Serialize + ?::std::marker::Sized>(mut self, state: &T) -> Self {
                match crate::client_state::encode_json(state) {
                    ::std::result::Result::Ok(encoded) => self.0.set_path(&[ #( #path ),* ], &encoded),
                    ::std::result::Result::Err(e) => self.0.fail(e.to_string()),
                }
                self
            }
        });
    }
    let places = places(model, w, path_of);
    setters.extend(payload_setters(model, w, &mut used, &covered));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[must_use]
        pub struct #name(super::Event);

        impl #name {
            /// The example, unchanged.
            pub fn example() -> Self {
                #places
                Self(super::Event::example(#key, #example, &PLACES))
            }

            #( #setters )*

            /// The delivery, to send or to change further by JSON pointer.
            pub fn into_event(self) -> super::Event {
                self.0
            }
        }

        impl ::std::convert::From<#name> for super::Event {
            fn from(builder: #name) -> Self {
                builder.0
            }
        }
    }
}

/// `static PLACES`: where the event keeps each accessor's field, and its payload's place and field
/// names (what the simulator may set by name).
fn places(
    model: &Model,
    w: &Webhook,
    path_of: impl Fn(&str) -> Option<Vec<String>>,
) -> TokenStream {
    let accessors = ACCESSORS.iter().filter_map(|a| {
        let path = path_of(a.method)?;
        let name = a.method;
        Some(quote!((#name, &[ #( #path ),* ])))
    });
    let (payload, fields) = match payload_place(model, w) {
        Some((path, fields)) => (
            quote!(::std::option::Option::Some(&[ #( #path ),* ])),
            fields,
        ),
        None => (quote!(::std::option::Option::None), Vec::new()),
    };
    quote! {
        static PLACES: super::Places = super::Places {
            accessors: &[ #( #accessors ),* ],
            payload: #payload,
            fields: &[ #( #fields ),* ],
        };
    }
}

/// The path of the event's payload object and the JSON names of its fields.
fn payload_place(model: &Model, w: &Webhook) -> Option<(Vec<String>, Vec<String>)> {
    let (path, s) = payload_struct(model, w)?;
    Some((path, s.fields.iter().map(|f| f.json_name.clone()).collect()))
}

/// The event's payload: its JSON path and its struct.
fn payload_struct<'m>(model: &'m Model, w: &Webhook) -> Option<(Vec<String>, &'m Struct)> {
    let space = &model.types;
    let steps = level_steps(space, &w.body, Level::Payload)?;
    let owner = match steps.last().and_then(|s| s.field(space)) {
        Some(f) => &f.ty,
        None => &w.body,
    };
    match &space.get(struct_id(space, owner)?).kind {
        TypeKind::Struct(s) => Some((json_path(space, &steps), s)),
        _ => None,
    }
}

/// A typed setter per field of the event's payload (`digits` of `call.gather.ended`).
fn payload_setters(
    model: &Model,
    w: &Webhook,
    used: &mut BTreeSet<String>,
    covered: &BTreeSet<Vec<String>>,
) -> Vec<TokenStream> {
    let space = &model.types;
    let Some((prefix, s)) = payload_struct(model, w) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in &s.fields {
        let mut path = prefix.clone();
        path.push(f.json_name.clone());
        if covered.contains(&path) {
            continue;
        }
        let method = if used.contains(&f.name) {
            format!("set_{}", f.name)
        } else {
            f.name.clone()
        };
        if !used.insert(method.clone()) {
            continue;
        }
        let method = ident(&method);
        let value_ty = ty(space, &f.ty);
        let doc = format!(" Sets `{}`.", path.join("."));
        out.push(quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: impl ::std::convert::Into<#value_ty>) -> Self {
                self.0.set_path(&[ #( #path ),* ], &value.into());
                self
            }
        });
    }
    out
}
