//! Emits `src/testing/events.rs` for the fake Telnyx (feature `testing`): one builder per webhook
//! event, starting from the spec's example of it, with setters for the fields a test sets (the call's
//! ids and client state where `WebhookEvent`'s accessors read them, and every payload field), where
//! each event keeps those fields (so the simulator fills them in by name), and the lookup from an event
//! type to its example that the simulator starts every event it sends from.

use super::paths::CONTRACT;
use super::rust::ident;
use crate::samples::{EventSamples, Samples};
use crate::surface::fake::{EventBuilder, Lookup};
use crate::surface::{EventSurface, Surface};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(surface: &Surface<'_>, samples: &Samples) -> TokenStream {
    let events = &surface.webhooks.events;
    let builders = events
        .iter()
        .zip(&surface.fake.events)
        .zip(&samples.events)
        .map(|((e, b), fx)| builder(e, b, fx));
    let lookups = surface
        .fake
        .lookups
        .iter()
        .map(|l| lookup(&surface.fake.events, l));
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

fn lookup(builders: &[EventBuilder], l: &Lookup<'_>) -> TokenStream {
    let name = ident(&builders[l.event].name);
    let v = l.event_type;
    match l.retype {
        Some(path) => {
            quote!(#v => #name::example().into_event().with_event_type(&[ #( #path ),* ], #v),)
        }
        None => quote!(#v => #name::example().into_event(),),
    }
}

fn builder(e: &EventSurface<'_>, b: &EventBuilder, fx: &EventSamples) -> TokenStream {
    let name = ident(&b.name);
    let key = e.key;
    let example = fx.delivery.to_string();
    let source = if fx.from_spec {
        "the spec's example"
    } else {
        "a delivery synthesized from the schema (the spec has no example)"
    };
    let types = if e.event_types.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = e.event_types.iter().map(|v| format!("`{v}`")).collect();
        format!(" ({})", list.join(", "))
    };
    let doc = format!(" A `{key}` delivery{types}, starting from {source}.");
    let mut setters: Vec<TokenStream> = b
        .accessors
        .iter()
        .map(|(method, path)| {
            let method = ident(method);
            let doc = format!(" Sets `{}`.", path.join("."));
            quote! {
                #[doc = #doc]
                pub fn #method(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.0.set_path(&[ #( #path ),* ], &value.into());
                    self
                }
            }
        })
        .collect();
    if let Some(path) = &b.client_state {
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
    setters.extend(b.setters.iter().map(|s| {
        let method = ident(&s.method);
        let value_ty = s.ty.tokens();
        let path = &s.path;
        let doc = format!(" Sets `{}`.", path.join("."));
        quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: impl ::std::convert::Into<#value_ty>) -> Self {
                self.0.set_path(&[ #( #path ),* ], &value.into());
                self
            }
        }
    }));
    let places = places(b);
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
fn places(b: &EventBuilder) -> TokenStream {
    let accessors = b
        .accessors
        .iter()
        .map(|(name, path)| quote!((#name, &[ #( #path ),* ])));
    let (payload, fields) = match &b.payload {
        Some((path, fields)) => (
            quote!(::std::option::Option::Some(&[ #( #path ),* ])),
            fields.as_slice(),
        ),
        None => (quote!(::std::option::Option::None), &[][..]),
    };
    quote! {
        static PLACES: #CONTRACT::Places = #CONTRACT::Places {
            accessors: &[ #( #accessors ),* ],
            payload: #payload,
            fields: &[ #( #fields ),* ],
        };
    }
}
