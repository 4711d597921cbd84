//! Emits `src/webhooks/`: the `WebhookEvent` enum over every webhook of the spec and its dispatch, and
//! the tests that parse each spec example into its own variant.
//!
//! Parsing finds `data.event_type` by reading only up to it (`webhooks/scan.rs` in the runtime), then
//! parses once into the selected event. Events found some other way (a top-level `event_type`, or
//! their keys) take a borrowed peek over the whole body first, which skips everything else without
//! allocating.

use super::docs::{docs, sanitize, Para};
use super::layout::{declarations, Module};
use super::paths::{PRIVATE, RUNTIME};
use super::rust::ident;
use crate::surface::{EventSurface, WebhooksSurface};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `src/webhooks/mod.rs`, whose module is `module`: its own modules, the runtime's verification with
/// this crate's `WebhookEvent` as what it parses.
pub fn emit_mod(module: &Module) -> TokenStream {
    let declared = declarations(&module.children);
    quote! {
        //! Receiving webhooks: [`Verifier`] checks the Ed25519 signature of a delivery, and
        //! [`WebhookEvent`] is every event of the spec, dispatched on its event type.

        #declared

        pub use #RUNTIME::webhooks::{
            WebhookError, DEFAULT_TOLERANCE, PUBLIC_KEY_ENV, SIGNATURE_HEADER, TIMESTAMP_HEADER,
        };

        /// Checks that webhook deliveries were signed by Telnyx and are recent, and parses them into
        /// [`WebhookEvent`].
        ///
        /// Cheap to clone and safe to share between threads. Build it once, with [`Verifier::new`]
        /// (the base64 public key of the portal) or [`Verifier::from_env`] (`TELNYX_PUBLIC_KEY`),
        /// then [`Verifier::verify_and_parse_headers`] each delivery.
        pub type Verifier = #RUNTIME::webhooks::Verifier<WebhookEvent>;

        impl #RUNTIME::webhooks::Webhook for WebhookEvent {
            fn parse(body: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                Self::from_slice(body)
            }
        }

        /// The axum extractor of verified deliveries: `Verified(event): Verified<WebhookEvent>` in a
        /// handler whose router state is (or holds, through `FromRef`) a [`Verifier`]; a delivery that
        /// does not check out is answered `401` (signature, timestamp) or `400` (malformed).
        #[cfg(feature = "axum")]
        #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
        pub use #RUNTIME::webhooks::{Verified, WebhookRejection};
    }
}

/// A key to look for at some place of the body: `(place, json name, peek field)`.
struct ShapeKey {
    in_record: bool,
    json: String,
    field: proc_macro2::Ident,
}

/// `src/webhooks/events.rs`.
pub fn emit_events(webhooks: &WebhooksSurface<'_>) -> TokenStream {
    let events = &webhooks.events;
    let variant_of = |i: usize| ident(events[i].variant);
    let by_data = webhooks.by_record_type.iter().map(|(i, values)| {
        let variant = variant_of(*i);
        quote! { #( #values )|* => ::serde_json::from_slice(body).map(Self::#variant), }
    });
    let by_top = webhooks.by_top_type.iter().map(|(i, values)| {
        let variant = variant_of(*i);
        quote! { #( #values )|* => return ::serde_json::from_slice(body).map(Self::#variant), }
    });
    let mut shape_keys: Vec<ShapeKey> = Vec::new();
    let mut shape_checks = Vec::new();
    for rule in &webhooks.by_keys {
        let variant = variant_of(rule.event);
        let mut conditions = Vec::new();
        for key in rule.keys {
            let field = format_ident!("key_{}", shape_keys.len());
            conditions.push(if rule.in_record {
                quote!(peek.data.as_ref().is_some_and(|d| d.#field.is_some()))
            } else {
                quote!(peek.#field.is_some())
            });
            shape_keys.push(ShapeKey {
                in_record: rule.in_record,
                json: key.clone(),
                field,
            });
        }
        shape_checks.push(quote! {
            if #( #conditions )||* {
                return ::serde_json::from_slice(body).map(Self::#variant);
            }
        });
    }
    // Events recognized by their keys are tried when the delivery names no event type.
    let (data_type, by_shape) = if shape_checks.is_empty() {
        (None, None)
    } else {
        (
            Some(quote!(let data_type = peek.data.as_ref().and_then(|d| d.event_type.as_deref());)),
            Some(quote! {
                if data_type.is_none() && peek.event_type.is_none() {
                    #( #shape_checks )*
                }
            }),
        )
    };
    let peek = |name: &str, in_record: bool| {
        let keys: Vec<&ShapeKey> = shape_keys
            .iter()
            .filter(|k| k.in_record == in_record)
            .collect();
        let data = (!in_record && by_shape.is_some())
            .then(|| quote!(data: ::std::option::Option<PeekData>,));
        peek_struct(name, data, &keys)
    };
    let top_peek = peek("Peek", false);
    // `data` is looked into only to tell events by their keys.
    let data_peek = by_shape.as_ref().map(|_| peek("PeekData", true));
    let variants = events.iter().map(|e| {
        let variant = ident(e.variant);
        let body = e.body.tokens();
        let docs = variant_doc(e);
        quote! { #docs #variant(::std::boxed::Box<#body>), }
    });
    let kinds = events.iter().map(|e| {
        let variant = ident(e.variant);
        let key = e.key;
        quote! { Self::#variant(_) => #key, }
    });
    let writes = events.iter().map(|e| {
        let variant = ident(e.variant);
        quote! { Self::#variant(event) => ::serde::Serialize::serialize(event, serializer), }
    });
    let count = events.len();
    // What every event's description says, said once.
    let shared = webhooks.shared_description.map(|text| {
        let quoted: Vec<String> = sanitize(text.trim())
            .lines()
            .map(|l| format!("> {l}").trim_end().to_owned())
            .collect();
        let text = format!(
            "The spec's description of most events:\n\n{}",
            quoted.join("\n")
        );
        let text = docs([Para::Own(Some(text.as_str()))]);
        quote!(#[doc = ""] #text)
    });
    let accessors = super::event_accessors::emit(webhooks);
    let summary = format!(
        " One variant per webhook of the spec ({count}), plus [`WebhookEvent::Unknown`] for event types this \
         version of the crate does not know."
    );
    quote! {
        #[doc = #summary]
        ///
        /// Parse a delivery with [`Verifier::verify_and_parse`](crate::webhooks::Verifier::verify_and_parse) (verify, then parse); use
        /// [`WebhookEvent::from_slice`] only for bodies that were verified some other way. Fields the spec
        /// does not declare (`meta.attempt`, `meta.delivered_to`) never fail a parse.
        ///
        /// Events are boxed: the enum stays two words however large an event is, so moving it through
        /// channels and `Result`s copies a pointer, not the event.
        #shared
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            #( #variants )*
            /// An event this version of the crate does not know, kept as JSON.
            Unknown(::serde_json::Value),
        }

        #top_peek

        #data_peek

        impl WebhookEvent {
            /// Parses a delivery **without verifying its signature**. A body that is valid JSON but no known
            /// event becomes [`WebhookEvent::Unknown`]; invalid JSON, or a known event whose fields have the
            /// wrong types, is an error.
            // How many event types select by each place depends on the spec (one or none is fine).
            #[allow(clippy::single_match, clippy::match_single_binding)]
            pub fn from_slice(body: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                // Most deliveries are found by `data.event_type` at the start of the body; the typed
                // parse is then the only full read.
                if let Some(event) = #PRIVATE::data_event_type(body).and_then(|t| Self::by_data_event_type(&t, body)) {
                    return event;
                }
                let peek: Peek = match ::serde_json::from_slice(body) {
                    Ok(peek) => peek,
                    Err(e) if e.is_data() => return ::serde_json::from_slice(body).map(Self::Unknown),
                    Err(e) => return Err(e),
                };
                #data_type
                match peek.event_type.as_deref().unwrap_or_default() {
                    #( #by_top )*
                    _ => {}
                }
                #by_shape
                ::serde_json::from_slice(body).map(Self::Unknown)
            }

            /// The typed parse for a `data.event_type`, or `None` for a type no event of the spec has.
            #[allow(clippy::match_single_binding)]
            fn by_data_event_type(event_type: &str, body: &[u8]) -> ::std::option::Option<::std::result::Result<Self, ::serde_json::Error>> {
                ::std::option::Option::Some(match event_type {
                    #( #by_data )*
                    _ => return ::std::option::Option::None,
                })
            }

            /// The name of the event in the spec's `webhooks` (`callGatherEnded`), or `unknown`.
            pub fn kind(&self) -> &'static str {
                match self {
                    #( #kinds )*
                    Self::Unknown(_) => "unknown",
                }
            }
        }

        /// Written as the delivery's JSON.
        impl ::serde::Serialize for WebhookEvent {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #writes )*
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for WebhookEvent {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let bytes = ::serde_json::to_vec(&value).map_err(::serde::de::Error::custom)?;
                Self::from_slice(&bytes).map_err(::serde::de::Error::custom)
            }
        }

        #accessors
    }
}

fn variant_doc(e: &EventSurface<'_>) -> TokenStream {
    let types = if !e.event_types.is_empty() {
        let list: Vec<String> = e.event_types.iter().map(|v| format!("`{v}`")).collect();
        format!("Event type {}.", list.join(", "))
    } else if !e.keys.is_empty() {
        let list: Vec<String> = e.keys.iter().map(|k| format!("`{k}`")).collect();
        format!("No event type: recognized by {}.", list.join(", "))
    } else {
        "No event type and no key of its own: reads as `Unknown`.".to_owned()
    };
    let producers = (!e.producers.is_empty()).then(|| {
        let list: Vec<String> = e.producers.iter().map(|p| format!("`{p}`")).collect();
        format!("Sent after {}.", list.join(", "))
    });
    docs([
        Para::Spec(e.summary),
        Para::Own(Some(types.as_str())),
        Para::Own(producers.as_deref()),
        Para::Spec(e.description),
    ])
}

/// A struct that reads only what dispatch needs (the event type, the record, the keys that recognize
/// events without a type); every other key is skipped.
fn peek_struct(name: &str, data: Option<TokenStream>, keys: &[&ShapeKey]) -> TokenStream {
    let name = format_ident!("{}", name);
    let mut wires = vec!["event_type".to_owned()];
    let mut fields = vec![format_ident!("event_type")];
    if data.is_some() {
        wires.push("data".to_owned());
        fields.push(format_ident!("data"));
    }
    for k in keys {
        wires.push(k.json.clone());
        fields.push(k.field.clone());
    }
    let types = keys.iter().map(|k| {
        let field = &k.field;
        quote!(#field: ::std::option::Option<::serde::de::IgnoredAny>,)
    });
    let slots: Vec<proc_macro2::Ident> = (0..fields.len())
        .map(|i| format_ident!("field_{i}"))
        .collect();
    let reads = wires
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(i, (wire, slot))| {
            let read = quote!(source.once(&mut #slot, #wire)?);
            if i + 1 == wires.len() {
                quote!(_ => #read,)
            } else {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(#i => #read,)
            }
        });
    let dispatch = if wires.len() == 1 {
        let (wire, slot) = (&wires[0], &slots[0]);
        quote!(while source.next_field(Self::FIELDS)?.is_some() { source.once(&mut #slot, #wire)?; })
    } else {
        quote! {
            while let ::std::option::Option::Some(entry) = source.next_field(Self::FIELDS)? {
                match entry { #( #reads )* }
            }
        }
    };
    let inits = fields
        .iter()
        .zip(&slots)
        .map(|(f, slot)| quote!(#f: #slot.unwrap_or_default(),));
    let type_name = name.to_string();
    quote! {
        /// Only what dispatch needs; every other key is skipped.
        struct #name {
            event_type: ::std::option::Option<::std::string::String>,
            #data
            #( #types )*
        }

        impl #PRIVATE::Record for #name {
            const NAME: &'static str = #type_name;
            const FIELDS: &'static [&'static str] = &[ #( #wires ),* ];
            fn read<'de, S: #PRIVATE::Fields<'de>>(mut source: S) -> ::std::result::Result<Self, S::Error> {
                #( let mut #slots = ::std::option::Option::None; )*
                #dispatch
                ::std::result::Result::Ok(Self { #( #inits )* })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #PRIVATE::deserialize_record(deserializer)
            }
        }
    }
}
