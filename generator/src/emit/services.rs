//! Emits the `services` module: one struct per service (`Calls`, `CallsActions`), reached from the client
//! (`client.calls().actions()`), with one method per operation returning a `RequestBuilder`.

use super::docs::{doc_attrs, paragraphs};
use super::rust::{ident, ty};
use crate::model::operations::Operation;
use crate::model::types::{TypeKind, TypeRef, TypeSpace};
use crate::model::Model;
use crate::naming::{unraw, upper_camel};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// `(file stem, tokens)` for `services/mod.rs` and one file per top-level service.
pub fn emit_services(model: &Model) -> Vec<(String, TokenStream)> {
    // Every service path and its child services, sorted.
    let mut services: BTreeMap<Vec<String>, Vec<&Operation>> = BTreeMap::new();
    for op in &model.operations {
        for depth in 1..op.service.len() {
            services.entry(op.service[..depth].to_vec()).or_default();
        }
        services.entry(op.service.clone()).or_default().push(op);
    }
    let mut files: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    for (path, ops) in &services {
        let children: BTreeSet<&String> = services
            .keys()
            .filter(|k| k.len() == path.len() + 1 && k.starts_with(path))
            .filter_map(|k| k.last())
            .collect();
        let file = path[0].trim_start_matches("r#").to_owned();
        files
            .entry(file)
            .or_default()
            .push(service(&model.types, path, &children, ops));
    }
    let tops: Vec<&Vec<String>> = services.keys().filter(|k| k.len() == 1).collect();
    let accessors = tops.iter().map(|path| {
        let method = ident(&path[0]);
        let service = service_ident(path);
        let doc = format!(" Operations under `/{}`.", unraw(&path[0]));
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> crate::services::#service<'_> {
                crate::services::#service::new(self)
            }
        }
    });
    let mods: Vec<_> = files.keys().map(|f| format_ident!("{}", f)).collect();
    let mod_rs = quote! {
        //! The API's operations, grouped by path: `client.calls().actions().speak(..)`.
        #( mod #mods; pub use #mods::*; )*
        impl crate::Client {
            #( #accessors )*
        }
    };
    let mut out = vec![("mod".to_owned(), mod_rs)];
    out.extend(files.into_iter().map(|(f, items)| (f, quote!(#(#items)*))));
    out
}

fn service_ident(path: &[String]) -> proc_macro2::Ident {
    let name: String = path.iter().map(|p| upper_camel(unraw(p))).collect();
    format_ident!("{}", name)
}

fn service(
    space: &TypeSpace,
    path: &[String],
    children: &BTreeSet<&String>,
    ops: &[&Operation],
) -> TokenStream {
    let name = service_ident(path);
    let doc = format!(
        " Operations under `{}`.",
        path.iter()
            .map(|p| format!("/{}", unraw(p)))
            .collect::<String>()
    );
    let child_accessors = children.iter().map(|child| {
        let method = ident(child);
        let mut child_path = path.to_vec();
        child_path.push((*child).clone());
        let child_ty = service_ident(&child_path);
        let doc = format!(" Operations under `.../{}`.", unraw(child));
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> crate::services::#child_ty<'a> {
                crate::services::#child_ty::new(self.client)
            }
        }
    });
    let methods = ops.iter().map(|op| operation(space, op));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a crate::Client,
        }
        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }
            #( #child_accessors )*
            #( #methods )*
        }
    }
}

/// The docs of an operation: summary, description, method and path, documented errors.
fn operation_docs(op: &Operation) -> TokenStream {
    let signature = format!("`{} {}`", op.method, op.path);
    let errors = (!op.response.errors.is_empty()).then(|| {
        format!(
            "Errors the spec documents ({}) come back as [`crate::Error::Api`] with the API's `errors[]`.",
            op.response.errors.join(", ")
        )
    });
    let deprecated = op.deprecated.then_some("**Deprecated.**");
    doc_attrs(&paragraphs([
        op.summary.as_deref(),
        deprecated,
        Some(signature.as_str()),
        op.description.as_deref(),
        errors.as_deref(),
    ]))
}

fn operation(space: &TypeSpace, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let docs = operation_docs(op);
    let method = format_ident!("{}", op.method);
    let path_args = op.path_params.iter().map(|p| {
        let n = ident(&p.name);
        quote!(#n: &str)
    });
    let body_arg = op.body.as_ref().map(|b| {
        let t = ty(space, &b.ty);
        quote!(body: #t)
    });
    let response = match &op.response.ty {
        Some(t) => ty(space, t),
        None => quote!(()),
    };
    let path = path_expr(op);
    let json_body = op.body.as_ref().map(|_| quote!(.json_body(&body)));
    let command_id = op
        .body
        .as_ref()
        .filter(|b| has_command_id(space, &b.ty))
        .map(|_| quote!(.fill_command_id()));
    let query = op.query_params.iter().map(|p| {
        let n = ident(&p.name);
        let wire = &p.json_name;
        quote!(.query(#wire, #n.to_string()))
    });
    let query_args = op.query_params.iter().map(|p| {
        let n = ident(&p.name);
        let t = ty(space, &p.ty);
        quote!(#n: #t)
    });
    let args = path_args.chain(query_args).chain(body_arg);
    quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> crate::RequestBuilder<#response> {
            crate::RequestBuilder::new(self.client, ::reqwest::Method::#method, #path)
                #( #query )*
                #json_body
                #command_id
        }
    }
}

/// `format!("/calls/{}/actions/speak", encode(call_control_id))`, or a plain string without parameters.
fn path_expr(op: &Operation) -> TokenStream {
    if op.path_params.is_empty() {
        let p = &op.path;
        return quote!(::std::string::String::from(#p));
    }
    let mut template = op.path.clone();
    let mut args = Vec::new();
    for p in &op.path_params {
        template = template.replacen(&format!("{{{}}}", p.json_name), "{}", 1);
        let n = ident(&p.name);
        args.push(quote!(crate::runtime::encode_path_segment(#n)));
    }
    quote!(::std::format!(#template, #(#args),*))
}

/// Call actions carry an optional `command_id`: the runtime fills it once per logical request so that a
/// retried command is not executed twice.
fn has_command_id(space: &TypeSpace, t: &TypeRef) -> bool {
    let TypeRef::Named(id) = t else {
        return false;
    };
    match &space.get(*id).kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .any(|f| f.json_name == "command_id" && !f.required && matches!(f.ty, TypeRef::String)),
        _ => false,
    }
}
