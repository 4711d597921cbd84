//! Accessors on `WebhookEvent` for what every handler reads first: the call's ids, the client state
//! and the event's own id and time. Each is found in the event's schema ([`crate::surface::event_paths`]);
//! an event without the field answers `None`. Unknown events (and events typed as plain JSON) are read
//! at the place most events keep the field.

use super::rust::ident;
use crate::surface::{AccessorSurface, EventTypeRead, FieldStep, Storage, WebhooksSurface};
use proc_macro2::TokenStream;
use quote::quote;

/// The `impl WebhookEvent` block with every accessor, `event_type` and `client_state_json`, and
/// `payload()` on the event types.
pub fn emit(webhooks: &WebhooksSurface<'_>) -> TokenStream {
    let methods = webhooks.accessors.iter().map(|a| accessor(webhooks, a));
    let event_type = event_type(webhooks);
    let payloads = payloads(webhooks);
    quote! {
        #( #payloads )*

        impl WebhookEvent {
            #event_type

            #( #methods )*

            /// The client state decoded: base64, then JSON into `T` (what a request's
            /// `client_state_json` encoded). `Ok(None)` when the event carries no client state; the
            /// error says which step failed.
            pub fn client_state_json<T: ::serde::de::DeserializeOwned>(
                &self,
            ) -> ::std::result::Result<::std::option::Option<T>, crate::ClientStateError> {
                self.client_state().map(crate::client_state::decode_json).transpose()
            }
        }
    }
}

fn accessor(webhooks: &WebhooksSurface<'_>, a: &AccessorSurface) -> TokenStream {
    let method = ident(a.accessor.method);
    let mut arms = Vec::new();
    let mut json_bodies = Vec::new();
    for (e, read) in webhooks.events.iter().zip(&a.reads) {
        let variant = ident(e.variant);
        if e.json_body {
            json_bodies.push(variant);
        } else if let Some(path) = read {
            let read = read_expr(&path.steps);
            arms.push(quote! { Self::#variant(e) => #read, });
        }
    }
    let count = arms.len();
    let total = webhooks.events.len();
    let json_arm = a.common.as_ref().map(|path| {
        let pointer: String = path
            .iter()
            .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
            .collect();
        quote! {
            #( Self::#json_bodies(raw) | )* Self::Unknown(raw) => raw.pointer(#pointer).and_then(::serde_json::Value::as_str),
        }
    });
    let covered = count
        + if json_arm.is_some() {
            json_bodies.len() + 1
        } else {
            0
        };
    let rest = (covered < total + 1).then(|| quote!(_ => ::std::option::Option::None,));
    let place = match &a.common {
        Some(path) => format!("`{}`", path.join(".")),
        None => "nowhere".to_owned(),
    };
    let doc = format!(
        " {} Read from {place} in most events; {count} of the {total} events of the spec have it, the \
         others answer `None` (unknown events are read at the same place).",
        a.accessor.doc
    );
    // No event has it and no event is read as JSON: nothing to match on.
    let body = if arms.is_empty() && json_arm.is_none() {
        quote!(::std::option::Option::None)
    } else {
        quote! {
            match self {
                #( #arms )*
                #json_arm
                #rest
            }
        }
    };
    quote! {
        #[doc = #doc]
        pub fn #method(&self) -> ::std::option::Option<&str> {
            #body
        }
    }
}

/// `payload()` on each event type that has a payload (once per type: events may share one).
fn payloads(webhooks: &WebhooksSurface<'_>) -> Vec<TokenStream> {
    let mut done = std::collections::BTreeSet::new();
    webhooks
        .events
        .iter()
        .filter_map(|e| e.payload.as_ref())
        .filter(|p| done.insert(p.body.to_string()))
        .map(|p| {
            let body = p.body.tokens();
            let payload = p.payload.tokens();
            let read = reference_expr(&p.steps);
            quote! {
                impl #body {
                    /// The event's payload (`data.payload`): what happened, to which call.
                    pub fn payload(&self) -> ::std::option::Option<&#payload> {
                        let e = self;
                        #read
                    }
                }
            }
        })
        .collect()
}

/// `WebhookEvent::event_type()`: the wire name of the event, for logs and for matching.
fn event_type(webhooks: &WebhooksSurface<'_>) -> TokenStream {
    let arms = webhooks.events.iter().filter_map(|e| {
        let variant = ident(e.variant);
        match &e.event_type {
            EventTypeRead::Fixed(value) => {
                Some(quote!(Self::#variant(_) => ::std::option::Option::Some(#value),))
            }
            EventTypeRead::Field(steps) => {
                let read = reference_expr(steps);
                Some(quote!(Self::#variant(e) => (|| #read)().map(|t| t.as_str()),))
            }
            EventTypeRead::None => None,
        }
    });
    let some = webhooks
        .events
        .iter()
        .filter(|e| e.event_type != EventTypeRead::None)
        .count();
    let rest = (some < webhooks.events.len()).then(|| quote!(_ => ::std::option::Option::None,));
    quote! {
        /// The event's type as the API names it (`call.answered`), for logs and for matching on
        /// events this crate does not know; `None` for an event the spec gives no type.
        pub fn event_type(&self) -> ::std::option::Option<&str> {
            match self {
                #( #arms )*
                Self::Unknown(raw) => raw
                    .pointer("/data/event_type")
                    .or_else(|| raw.pointer("/event_type"))
                    .and_then(::serde_json::Value::as_str),
                #rest
            }
        }
    }
}

/// The expression reading the value at `steps` from `e` by reference, as an `Option<&T>` (`?` on
/// the optional objects on the way).
fn reference_expr(steps: &[FieldStep]) -> TokenStream {
    walk(steps, |expr, name, step| match step.storage {
        Storage::Plain if step.boxed => quote!(::std::option::Option::Some(&*#expr.#name)),
        Storage::Plain => quote!(::std::option::Option::Some(&#expr.#name)),
        Storage::Optional | Storage::RequiredNullable if step.boxed => {
            quote!(#expr.#name.as_deref())
        }
        Storage::Optional | Storage::RequiredNullable => quote!(#expr.#name.as_ref()),
        Storage::ThreeState => quote!(#expr.#name.as_ref()?.as_ref()),
    })
}

/// The expression reading a string field through `steps` from `e`, as an `Option<&str>` (`?` on the
/// optional objects on the way).
fn read_expr(steps: &[FieldStep]) -> TokenStream {
    walk(steps, |expr, name, step| match step.storage {
        Storage::Plain => quote!(::std::option::Option::Some(#expr.#name.as_str())),
        Storage::Optional | Storage::RequiredNullable if step.boxed => {
            quote!(#expr.#name.as_ref().map(|s| s.as_str()))
        }
        Storage::Optional | Storage::RequiredNullable => quote!(#expr.#name.as_deref()),
        Storage::ThreeState => quote!(#expr.#name.as_ref()?.as_deref()),
    })
}

/// The expression that goes from `e` through every step but the last (`?` on the optional objects on
/// the way) and reads the last one with `last`.
fn walk(
    steps: &[FieldStep],
    last: impl Fn(&TokenStream, &proc_macro2::Ident, &FieldStep) -> TokenStream,
) -> TokenStream {
    let mut expr = quote!(e);
    let end = steps.len().saturating_sub(1);
    for (i, step) in steps.iter().enumerate() {
        let name = ident(&step.field);
        expr = match step.storage {
            _ if i == end => last(&expr, &name, step),
            Storage::Plain => quote!(#expr.#name),
            Storage::Optional | Storage::RequiredNullable => quote!(#expr.#name.as_ref()?),
            Storage::ThreeState => quote!(#expr.#name.as_ref()?.as_ref()?),
        };
    }
    expr
}
