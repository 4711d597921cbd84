//! Emits `src/call.rs`: the handles on one call and on one conference. `Call` sends every operation
//! whose path starts `/calls/{call_control_id}`, `Conference` every one whose path starts
//! `/conferences/{id}` (or `{conference_id}`), without repeating the id (`client.call(id).speak(body)`,
//! `client.conference(id).mute(body)`); further path parameters stay arguments.
//!
//! Methods keep the operation's method name (`speak`, `gather_using_speak`), less the word the handle
//! already says (`retrieve_call_status` becomes `retrieve_status`, `list_conference_participants`
//! `list_participants`) when that leaves a name no other method of the handle has.

use super::rust::ident;
use super::services_path;
use crate::model::operations::Operation;
use crate::naming;
use crate::surface::{MethodSurface, OperationSurface, Surface};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The path parameter that names a call.
pub const CALL_ID: &str = "call_control_id";

/// A handle type: a client and one id, with every operation on what the id names as a method.
struct Handle {
    /// The type (`Call`) and the `Client` method that makes one (`call`).
    type_name: &'static str,
    client_method: &'static str,
    /// The id's field and accessor (`call_control_id`).
    id: &'static str,
    /// The first path segment of its operations (`calls`) and the names the id has as their first
    /// path parameter.
    root: &'static str,
    id_params: &'static [&'static str],
    /// The word of method names the handle makes redundant.
    noun: &'static str,
    /// The type's doc, after its first line.
    doc: &'static str,
}

const HANDLES: [Handle; 2] = [
    Handle {
        type_name: "Call",
        client_method: "call",
        id: CALL_ID,
        root: "calls",
        id_params: &[CALL_ID],
        noun: "call",
        doc: "One call: the client and the call's `call_control_id`, with every operation on the call \
              as a method (`call.speak(body)`, `call.hangup(body)`).",
    },
    Handle {
        type_name: "Conference",
        client_method: "conference",
        id: "id",
        root: "conferences",
        id_params: &["id", "conference_id"],
        noun: "conference",
        doc: "One conference: the client and the conference's `id` (from `conference_id()` of its \
              events, or the answer of `create_conference`), with every operation on the conference \
              as a method (`conference.join(body)`, `conference.mute(body)`).",
    },
];

impl Handle {
    /// Whether the handle sends the operation: its path starts with the handle's root and id.
    fn sends(&self, op: &Operation) -> bool {
        let root = op.path.trim_start_matches('/').split('/').next();
        root == Some(self.root)
            && op
                .path_params
                .first()
                .is_some_and(|p| self.id_params.contains(&p.json_name.as_str()))
    }
}

/// `src/call.rs`, or `None` when no operation takes a call or conference id.
pub fn emit(surface: &Surface<'_>) -> Option<TokenStream> {
    let handles: Vec<TokenStream> = HANDLES
        .iter()
        .filter_map(|handle| emit_handle(surface, handle))
        .collect();
    if handles.is_empty() {
        return None;
    }
    Some(quote! {
        //! Handles on one call and one conference: their operations, without repeating the id.

        #( #handles )*
    })
}

fn emit_handle(surface: &Surface<'_>, handle: &Handle) -> Option<TokenStream> {
    let ops: Vec<&OperationSurface<'_>> = surface
        .operations
        .iter()
        .filter(|lowered| handle.sends(lowered.op))
        .collect();
    if ops.is_empty() {
        return None;
    }
    // (short name, operation, full name, method) of every method.
    let mut methods: Vec<(String, &Operation, &str, &MethodSurface<'_>)> = Vec::new();
    for lowered in &ops {
        for m in &lowered.methods {
            methods.push((
                short_name(&m.name, handle.noun),
                lowered.op,
                m.name.as_str(),
                m,
            ));
        }
    }
    // A shortened name that meets another method's keeps its full name.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (short, _, full, _) in &methods {
        *counts.entry(short.clone()).or_default() += 1;
        if short != full {
            *counts.entry((*full).to_owned()).or_default() += 1;
        }
    }
    let id = format_ident!("{}", handle.id);
    let what = handle.noun;
    let items = methods.iter().map(|(short, op, full, m)| {
        let chosen = if counts.get(short).copied().unwrap_or(0) > 1 {
            full
        } else {
            short.as_str()
        };
        let name = ident(chosen);
        let target = ident(full);
        // The id is the handle's; the rest of the arguments are the method's.
        let args = m.args.get(1..).unwrap_or_default();
        let params = args.iter().map(|a| {
            let (n, t) = (ident(&a.word), a.ty.tokens());
            quote!(#n: #t)
        });
        let values = args.iter().map(|a| ident(&a.word));
        let response = m.returns.tokens();
        let service = services_path(op);
        let service_ty = naming::ident_text(&naming::service_type(&op.service));
        let summary = op
            .summary
            .as_deref()
            .map(|s| format!(" {}:", s.trim_end_matches('.')))
            .unwrap_or_default();
        let doc = format!(
            "{summary} [`{service_ty}::{full}`](crate::services::{service_ty}::{full}) on this \
             {what} (`{} {}`).",
            op.method,
            op.path,
            full = naming::ident_text(full),
        );
        quote! {
            #[doc = #doc]
            pub fn #name(&self, #(#params),*) -> crate::RequestBuilder<#response> {
                self.client #service .#target(&self.#id, #(#values),*)
            }
        }
    });
    let type_name = format_ident!("{}", handle.type_name);
    let client_method = format_ident!("{}", handle.client_method);
    let struct_doc = format!(
        " {} Cheap to clone (the client is shared and the id reference-counted), so keep one per \
         {what}, in a map or in a task.",
        handle.doc
    );
    let client_doc = format!(" A handle on the {what} `{}`.", handle.id);
    let new_doc = format!(" A handle on the {what} `{}` through `client`.", handle.id);
    let id_doc = format!(" The {what}'s id.");
    let type_text = handle.type_name;
    let id_text = handle.id;
    Some(quote! {
        #[doc = #struct_doc]
        #[derive(Clone)]
        pub struct #type_name {
            client: crate::Client,
            #id: ::std::sync::Arc<str>,
        }

        impl crate::Client {
            #[doc = #client_doc]
            pub fn #client_method(&self, #id: impl ::std::convert::AsRef<str>) -> #type_name {
                #type_name::new(self.clone(), #id)
            }
        }

        impl #type_name {
            #[doc = #new_doc]
            pub fn new(client: crate::Client, #id: impl ::std::convert::AsRef<str>) -> Self {
                #type_name { client, #id: ::std::sync::Arc::from(#id.as_ref()) }
            }

            #[doc = #id_doc]
            pub fn #id(&self) -> &str {
                &self.#id
            }

            /// The client the handle sends with.
            pub fn client(&self) -> &crate::Client {
                &self.client
            }

            #( #items )*
        }

        impl ::std::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_text).field(#id_text, &self.#id).finish_non_exhaustive()
            }
        }
    })
}

/// The method name without the handle's word (`retrieve_call_status` → `retrieve_status`), or the name
/// itself when nothing would be left.
fn short_name(name: &str, noun: &str) -> String {
    let words: Vec<&str> = name.split('_').filter(|w| *w != noun).collect();
    if words.is_empty() || words.len() == name.split('_').count() {
        return name.to_owned();
    }
    words.join("_")
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn the_handles_word_is_dropped_when_something_is_left() {
        assert_eq!(
            short_name("retrieve_call_status", "call"),
            "retrieve_status"
        );
        assert_eq!(short_name("speak", "call"), "speak");
        assert_eq!(short_name("call", "call"), "call");
        assert_eq!(
            short_name("gather_using_speak", "call"),
            "gather_using_speak"
        );
        assert_eq!(
            short_name("list_conference_participants", "conference"),
            "list_participants"
        );
        assert_eq!(short_name("retrieve_conference", "conference"), "retrieve");
    }
}
