//! Emits `src/call.rs`: `Call`, a handle on one call that sends it every operation whose only path
//! parameter is the call's id, without repeating the id (`client.call(id).speak(body)`).
//!
//! Methods keep the operation's method name (`speak`, `gather_using_speak`), less the word the handle
//! already says (`retrieve_call_status` becomes `retrieve_status`) when that leaves a name no other
//! method has.

use super::rust::ident;
use super::services_path;
use crate::model::operations::Operation;
use crate::naming;
use crate::surface::{MethodSurface, Surface};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The path parameter that names a call.
pub const CALL_ID: &str = "call_control_id";

/// The word of method names the handle makes redundant.
const NOUN: &str = "call";

/// Whether a `Call` sends the operation: its only path parameter is the call's id.
fn is_call_operation(op: &Operation) -> bool {
    op.path_params.len() == 1 && op.path_params[0].json_name == CALL_ID
}

/// `src/call.rs`, or `None` when no operation takes a call id.
pub fn emit(surface: &Surface<'_>) -> Option<TokenStream> {
    let ops: Vec<_> = surface
        .operations
        .iter()
        .filter(|lowered| is_call_operation(lowered.op))
        .collect();
    if ops.is_empty() {
        return None;
    }
    // (short name, operation, full name, method) of every method.
    let mut methods: Vec<(String, &Operation, &str, &MethodSurface<'_>)> = Vec::new();
    for lowered in &ops {
        for m in &lowered.methods {
            methods.push((short_name(&m.name), lowered.op, m.name.as_str(), m));
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
    let items = methods.iter().map(|(short, op, full, m)| {
        let chosen = if counts.get(short).copied().unwrap_or(0) > 1 {
            full
        } else {
            short.as_str()
        };
        let name = ident(chosen);
        let target = ident(full);
        // The call id is the handle's; the rest of the arguments are the method's.
        let args = &m.args[op.path_params.len()..];
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
            "{summary} [`{service_ty}::{full}`](crate::services::{service_ty}::{full}) on this call \
             (`{} {}`).",
            op.method,
            op.path,
            full = naming::ident_text(full),
        );
        quote! {
            #[doc = #doc]
            pub fn #name(&self, #(#params),*) -> crate::RequestBuilder<#response> {
                self.client #service .#target(&self.call_control_id, #(#values),*)
            }
        }
    });
    Some(quote! {
        //! A handle on one call: every call operation, without repeating the call's id.

        /// One call: the client and the call's `call_control_id`, with every operation on the call as a
        /// method (`call.speak(body)`, `call.hangup(body)`). Cheap to clone (the client is shared and
        /// the id reference-counted), so keep one per call, in a map or in a task.
        #[derive(Clone)]
        pub struct Call {
            client: crate::Client,
            call_control_id: ::std::sync::Arc<str>,
        }

        impl crate::Client {
            /// A handle on the call `call_control_id` (from an event's `call_control_id()`).
            pub fn call(&self, call_control_id: impl ::std::convert::AsRef<str>) -> Call {
                Call::new(self.clone(), call_control_id)
            }
        }

        impl Call {
            /// A handle on the call `call_control_id` through `client`.
            pub fn new(client: crate::Client, call_control_id: impl ::std::convert::AsRef<str>) -> Self {
                Call { client, call_control_id: ::std::sync::Arc::from(call_control_id.as_ref()) }
            }

            /// The call's id.
            pub fn call_control_id(&self) -> &str {
                &self.call_control_id
            }

            /// The client the handle sends with.
            pub fn client(&self) -> &crate::Client {
                &self.client
            }

            #( #items )*
        }

        impl ::std::fmt::Debug for Call {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Call").field("call_control_id", &self.call_control_id).finish_non_exhaustive()
            }
        }
    })
}

/// The method name without the word `call` (`retrieve_call_status` → `retrieve_status`), or the name
/// itself when nothing would be left.
fn short_name(name: &str) -> String {
    let words: Vec<&str> = name.split('_').filter(|w| *w != NOUN).collect();
    if words.is_empty() || words.len() == name.split('_').count() {
        return name.to_owned();
    }
    words.join("_")
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn the_word_call_is_dropped_when_something_is_left() {
        assert_eq!(short_name("retrieve_call_status"), "retrieve_status");
        assert_eq!(short_name("speak"), "speak");
        assert_eq!(short_name("call"), "call");
        assert_eq!(short_name("gather_using_speak"), "gather_using_speak");
    }
}
