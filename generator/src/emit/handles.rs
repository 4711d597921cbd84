//! Emits `src/handles.rs`: the handles on one call and on one conference, as the surface plans them
//! ([`crate::surface::HandleSurface`]).

use super::rust::ident;
use super::service_calls;
use crate::naming;
use crate::surface::features::{Features, Gate};
use crate::surface::{Argument, ArgumentRole, HandleMethod, HandleSurface, Surface};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `src/handles.rs`, or `None` when no operation takes a call or conference id.
pub fn emit(surface: &Surface<'_>) -> Option<TokenStream> {
    let handles: Vec<TokenStream> = surface
        .handles()
        .iter()
        .map(|h| emit_handle(h, &surface.features))
        .collect();
    if handles.is_empty() {
        return None;
    }
    Some(quote! {
        //! Handles on one call and one conference: their operations, without repeating the id.

        #( #handles )*
    })
}

/// The features the handles need: those of every service they send to.
pub fn gate(surface: &Surface<'_>) -> Gate {
    let gates: Vec<Gate> = surface
        .handles()
        .iter()
        .flat_map(|h| &h.methods)
        .map(|m| method_gate(m, &surface.features))
        .collect();
    Features::any(&gates)
}

fn method_gate(m: &HandleMethod<'_>, features: &Features) -> Gate {
    m.service
        .first()
        .map_or_else(Gate::always, |s| features.service(s))
}

/// One handle, compiled with the features of the services it sends to (each method with its own
/// service's, where that is not all of them).
fn emit_handle(handle: &HandleSurface<'_>, features: &Features) -> TokenStream {
    let id = format_ident!("{}", handle.id);
    let what = handle.noun;
    let method_gates: Vec<Gate> = handle
        .methods
        .iter()
        .map(|m| method_gate(m, features))
        .collect();
    let gate = Features::any(&method_gates);
    let items = handle
        .methods
        .iter()
        .zip(&method_gates)
        .map(|(m, method_gate)| {
            let cfg = if *method_gate == gate {
                quote!()
            } else {
                method_gate.cfg_and_doc()
            };
            let response = m.returns.tokens();
            let service = service_calls(m.service);
            let service_ty = naming::ident_text(&naming::service_type(m.service));
            let summary = m
                .summary
                .map(|s| format!(" {}:", s.trim_end_matches('.')))
                .unwrap_or_default();
            let doc = format!(
            "{summary} [`{service_ty}::{full}`](crate::services::{service_ty}::{full}) on this \
             {what} (`{} {}`).",
            m.http_method,
            m.path,
            full = naming::ident_text(m.target),
        );
            // The method taking every argument, and (for optional parameters) the one leaving them out.
            let forms: Vec<(String, String, Vec<&Argument>, String)> = if m.optional_params {
                vec![
                    (
                        m.name.clone(),
                        m.target.to_owned(),
                        m.args
                            .iter()
                            .filter(|a| a.role != ArgumentRole::Params)
                            .collect(),
                        doc.clone(),
                    ),
                    (
                        naming::with_params_method(&m.name),
                        naming::with_params_method(m.target),
                        m.args.iter().collect(),
                        format!(
                            " [`Self::{}`] with its parameters.",
                            naming::ident_text(&m.name)
                        ),
                    ),
                ]
            } else {
                vec![(
                    m.name.clone(),
                    m.target.to_owned(),
                    m.args.iter().collect(),
                    doc,
                )]
            };
            let forms = forms.into_iter().map(|(name, target, args, doc)| {
                let (name, target) = (ident(&name), ident(&target));
                let params = args.iter().map(|a| {
                    let (n, t) = (ident(&a.word), a.ty.tokens());
                    quote!(#n: #t)
                });
                let values = args.iter().map(|a| ident(&a.word));
                quote! {
                    #[doc = #doc]
                    #cfg
                    pub fn #name(&self, #(#params),*) -> crate::RequestBuilder<#response> {
                        self.client #service .#target(&self.#id, #(#values),*)
                    }
                }
            });
            quote!( #( #forms )* )
        });
    let type_name = format_ident!("{}", handle.type_name);
    let client_method = format_ident!("{}", handle.client_method);
    let summary =
        format!(" A handle on one {what}: its operations as methods, without repeating its id.");
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
    let cfg = gate.cfg();
    let cfg_and_doc = gate.cfg_and_doc();
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = #struct_doc]
        #cfg_and_doc
        #[derive(Clone)]
        pub struct #type_name {
            client: crate::Client,
            #id: ::std::sync::Arc<str>,
        }

        #cfg
        impl crate::Client {
            #[doc = #client_doc]
            pub fn #client_method(&self, #id: impl ::std::convert::AsRef<str>) -> #type_name {
                #type_name::new(self.clone(), #id)
            }
        }

        #cfg
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

        #cfg
        impl ::std::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_text).field(#id_text, &self.#id).finish_non_exhaustive()
            }
        }
    }
}
