//! Accessors on `WebhookEvent` for what every handler reads first: the call's ids, the client state
//! and the event's own id and time. Each is found in the event's schema ([`crate::model::event_paths`]);
//! an event without the field answers `None`. Unknown events (and events typed as plain JSON) are read
//! at the place most events keep the field.

use super::rust::ident;
use crate::model::event_paths::{json_path, string_field, Level, Step};
use crate::model::types::{TypeRef, TypeSpace};
use crate::model::{Model, Webhook};
use crate::surface::Storage;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// An accessor: its method name, the level it reads and the JSON key there, and what it is for.
pub struct Accessor {
    pub method: &'static str,
    pub level: Level,
    pub key: &'static str,
    pub doc: &'static str,
}

/// The accessors every event gets (the fields a voice application needs on each event).
pub const ACCESSORS: [Accessor; 7] = [
    Accessor {
        method: "call_control_id",
        level: Level::Payload,
        key: "call_control_id",
        doc: "The id to send commands to the call with.",
    },
    Accessor {
        method: "call_leg_id",
        level: Level::Payload,
        key: "call_leg_id",
        doc: "The id of this leg of the call, for correlating events.",
    },
    Accessor {
        method: "call_session_id",
        level: Level::Payload,
        key: "call_session_id",
        doc: "The id of the call session (the legs of one phone call), for correlating events.",
    },
    Accessor {
        method: "connection_id",
        level: Level::Payload,
        key: "connection_id",
        doc: "The Call Control application (connection) the call belongs to.",
    },
    Accessor {
        method: "client_state",
        level: Level::Payload,
        key: "client_state",
        doc: "The raw `client_state` (base64) the last command set; \
              [`WebhookEvent::client_state_json`] decodes it.",
    },
    Accessor {
        method: "occurred_at",
        level: Level::Record,
        key: "occurred_at",
        doc: "When the event occurred (ISO 8601).",
    },
    Accessor {
        method: "id",
        level: Level::Record,
        key: "id",
        doc: "The event's own id: the same on every redelivery of one event, so it de-duplicates them.",
    },
];

/// Where an accessor's field is in one event.
pub fn path_in(space: &TypeSpace, w: &Webhook, a: &Accessor) -> Option<Vec<Step>> {
    string_field(space, &w.body, a.level, a.key)
}

/// The `impl WebhookEvent` block with every accessor and `client_state_json`.
pub fn emit(model: &Model) -> TokenStream {
    let methods = ACCESSORS.iter().map(|a| accessor(model, a));
    quote! {
        impl WebhookEvent {
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

fn accessor(model: &Model, a: &Accessor) -> TokenStream {
    let space = &model.types;
    let method = ident(a.method);
    let mut arms = Vec::new();
    let mut places: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    let mut json_bodies = Vec::new();
    for w in &model.webhooks {
        let variant = ident(&w.variant);
        if matches!(w.body, TypeRef::Json | TypeRef::JsonObject) {
            json_bodies.push(variant);
            continue;
        }
        let Some(steps) = path_in(space, w, a) else {
            continue;
        };
        let Some(read) = read(space, &steps) else {
            continue;
        };
        *places.entry(json_path(space, &steps)).or_default() += 1;
        arms.push(quote! { Self::#variant(e) => #read, });
    }
    let count = arms.len();
    let total = model.webhooks.len();
    // The place most events use (ties: the first in order), for events read as JSON.
    let common = places
        .iter()
        .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
        .map(|(path, _)| path.clone());
    let json_arm = common.as_ref().map(|path| {
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
    let place = match &common {
        Some(path) => format!("`{}`", path.join(".")),
        None => "nowhere".to_owned(),
    };
    let doc = format!(
        " {} Read from {place} in most events; {count} of the {total} events of the spec have it, the \
         others answer `None` (unknown events are read at the same place).",
        a.doc
    );
    quote! {
        #[doc = #doc]
        pub fn #method(&self) -> ::std::option::Option<&str> {
            match self {
                #( #arms )*
                #json_arm
                #rest
            }
        }
    }
}

/// The expression reading a string field through `steps` from `e`, as an `Option<&str>` (`?` on the
/// optional objects on the way).
fn read(space: &TypeSpace, steps: &[Step]) -> Option<TokenStream> {
    let mut expr = quote!(e);
    let last = steps.len().checked_sub(1)?;
    for (i, step) in steps.iter().enumerate() {
        let field = step.field(space)?;
        let def = space.get(step.owner);
        let name = ident(&field.name);
        expr = match (
            Storage::of(field.required, field.nullable, def.in_request),
            i == last,
        ) {
            (Storage::Plain, false) => quote!(#expr.#name),
            (Storage::Optional | Storage::RequiredNullable, false) => quote!(#expr.#name.as_ref()?),
            (Storage::ThreeState, false) => quote!(#expr.#name.as_ref()?.as_ref()?),
            (Storage::Plain, true) => quote!(::std::option::Option::Some(#expr.#name.as_str())),
            (Storage::Optional | Storage::RequiredNullable, true) if field.boxed => {
                quote!(#expr.#name.as_ref().map(|s| s.as_str()))
            }
            (Storage::Optional | Storage::RequiredNullable, true) => quote!(#expr.#name.as_deref()),
            (Storage::ThreeState, true) => quote!(#expr.#name.as_ref()?.as_deref()),
        };
    }
    Some(expr)
}
