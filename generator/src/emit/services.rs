//! Emits the `services` module: one struct per service (`Calls`, `CallsActions`), reached from the client
//! (`client.calls().actions()`), with one method per operation returning a `RequestBuilder`.

use super::docs::{doc_attrs, paragraphs};
use super::rust::{ident, ty};
use crate::model::operations::{
    Body, FieldAccess, MediaClass, Operation, PageField, Pagination, ParamPlace, Params,
};
use crate::model::types::{TypeKind, TypeRef, TypeSpace};
use crate::model::Model;
use crate::naming::{self, module_name};
use crate::surface::{MethodSurface, OperationSurface, Surface};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// `(file stem, tokens)` for `services/mod.rs` and one file per top-level service.
pub fn emit_services(model: &Model, surface: &Surface<'_>) -> Vec<(String, TokenStream)> {
    // Every service path and its child services, sorted.
    let mut services: BTreeMap<Vec<String>, Vec<&OperationSurface<'_>>> = BTreeMap::new();
    for lowered in &surface.operations {
        let op = lowered.op;
        for depth in 1..op.service.len() {
            services.entry(op.service[..depth].to_vec()).or_default();
        }
        services
            .entry(op.service.clone())
            .or_default()
            .push(lowered);
    }
    let mut files: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    for (path, ops) in &services {
        let children: BTreeSet<&String> = services
            .keys()
            .filter(|k| k.len() == path.len() + 1 && k.starts_with(path))
            .filter_map(|k| k.last())
            .collect();
        let file = module_name(&path[0]);
        files
            .entry(file)
            .or_default()
            .push(service(&model.types, path, &children, ops));
    }
    let tops: Vec<&Vec<String>> = services.keys().filter(|k| k.len() == 1).collect();
    let accessors = tops.iter().map(|path| {
        let method = ident(&path[0]);
        let service = service_ident(path);
        let doc = format!(" Operations under `/{}`.", (&path[0]));
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> crate::services::#service<'_> {
                crate::services::#service::new(self)
            }
        }
    });
    let mods: Vec<_> = files.keys().map(|f| format_ident!("{}", f)).collect();
    let paginated = paginated_impls(model);
    let mod_rs = quote! {
        //! The API's operations, grouped by path: `client.calls().actions().speak(..)`.
        #( mod #mods; pub use #mods::*; )*
        impl crate::Client {
            #( #accessors )*
        }
        #( #paginated )*
    };
    let mut out = vec![("mod".to_owned(), mod_rs)];
    out.extend(files.into_iter().map(|(f, items)| (f, quote!(#(#items)*))));
    out
}

fn service_ident(path: &[String]) -> proc_macro2::Ident {
    ident(&naming::service_type(path))
}

fn service(
    space: &TypeSpace,
    path: &[String],
    children: &BTreeSet<&String>,
    ops: &[&OperationSurface<'_>],
) -> TokenStream {
    let name = service_ident(path);
    let doc = format!(
        " Operations under `{}`.",
        path.iter().map(|p| format!("/{}", (p))).collect::<String>()
    );
    let child_accessors = children.iter().map(|child| {
        let method = ident(child);
        let mut child_path = path.to_vec();
        child_path.push((*child).clone());
        let child_ty = service_ident(&child_path);
        let doc = format!(" Operations under `.../{}`.", (child));
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

/// The docs of an operation: summary, description, method and path, documented errors, and the parts
/// of a multipart body.
fn operation_docs(op: &Operation, body: Option<&Body>) -> TokenStream {
    let signature = format!("`{} {}`", op.method, op.path);
    let errors = (!op.response.errors.is_empty()).then(|| {
        format!(
            "Errors the spec documents ({}) come back as [`crate::Error::Api`] with the API's `errors[]`.",
            op.response.errors.join(", ")
        )
    });
    let deprecated = op.deprecated.then_some("**Deprecated.**");
    let parts = body.filter(|b| b.class == MediaClass::Multipart).map(|b| {
        let lines: Vec<String> = b
            .parts
            .iter()
            .map(|p| {
                let kind = if p.file {
                    "file, [`crate::Part::File`]"
                } else {
                    "text, [`crate::Part::Text`]"
                };
                let required = if p.required { ", required" } else { "" };
                format!(
                    "- `{}` ({kind}{required}): {}",
                    p.name,
                    p.doc.as_deref().unwrap_or("").replace('\n', " ")
                )
            })
            .collect();
        format!(
            "The body is `multipart/form-data` ({}) with these parts:\n\n{}",
            b.media_type,
            lines.join("\n")
        )
    });
    doc_attrs(&paragraphs([
        op.summary.as_deref(),
        deprecated,
        Some(signature.as_str()),
        op.description.as_deref(),
        parts.as_deref(),
        errors.as_deref(),
    ]))
}

/// An operation's methods: one for the preferred body, one more per other media type the spec accepts
/// (`upload_media` and `upload_media_multipart`), and the pages of a list.
fn operation(space: &TypeSpace, lowered: &OperationSurface<'_>) -> TokenStream {
    let op = lowered.op;
    let methods = lowered.methods.iter().map(|m| method(space, op, m));
    let pages = op
        .pagination
        .as_ref()
        .and_then(|p| pages_method(space, op, p));
    quote! { #( #methods )* #pages }
}

/// `<name>_pages(params)`: every page of a list operation, from the page `params` names (else 1).
fn pages_method(space: &TypeSpace, op: &Operation, pagination: &Pagination) -> Option<TokenStream> {
    let params_ty = ty(space, &op.params.as_ref()?.ty);
    let response = ty(space, op.response.ty.as_ref()?);
    let name = ident(&naming::pages_method(&op.name));
    let operation = ident(&op.name);
    let service = service_ident(&op.service);
    let owned: Vec<_> = op.path_params.iter().map(|p| ident(&p.name)).collect();
    let args = owned.iter().map(|n| quote!(#n: &str));
    let (first, set) = match &pagination.page {
        PageField::Scalar(f) => {
            let field = ident(&f.name);
            let value = integer_from_page(f.bits32);
            (
                {
                    let widen = widen(f.bits32);
                    quote!(params.#field #widen .unwrap_or(1))
                },
                quote!(params.#field = ::std::option::Option::Some(#value);),
            )
        }
        PageField::Nested { page, number } => {
            let page_field = ident(&page.name);
            let number_field = ident(&number.name);
            let value = integer_from_page(number.bits32);
            let widen = widen(number.bits32);
            (
                quote!(params.#page_field.as_ref().and_then(|p| p.#number_field) #widen .unwrap_or(1)),
                quote! {
                    let mut page_params = params.#page_field.clone().unwrap_or_default();
                    page_params.#number_field = ::std::option::Option::Some(#value);
                    params.#page_field = ::std::option::Option::Some(page_params);
                },
            )
        }
    };
    let doc = format!(
        " Every page of [`Self::{}`], starting at the page `params` names (else the first); each \
         [`crate::Pages::next_page`] fetches one, until `meta.total_pages`.",
        (&op.name)
    );
    Some(quote! {
        #[doc = #doc]
        pub fn #name(&self, #(#args,)* params: #params_ty) -> crate::Pages<#response> {
            let client = self.client.clone();
            #( let #owned = #owned.to_owned(); )*
            let first = #first;
            crate::Pages::new(first, move |page| {
                let mut params = params.clone();
                #set
                crate::services::#service::new(&client).#operation(#( &#owned, )* params)
            })
        }
    })
}

/// `.map(i64::from)` for an `i32` option; nothing for an `i64` one.
fn widen(bits32: bool) -> TokenStream {
    if bits32 {
        quote!(.map(i64::from))
    } else {
        quote!()
    }
}

/// The page number as the parameter's integer type (`i32` saturates).
fn integer_from_page(bits32: bool) -> TokenStream {
    if bits32 {
        quote!(i32::try_from(page).unwrap_or(i32::MAX))
    } else {
        quote!(page)
    }
}

/// `impl Paginated` for every list response, once per type.
fn paginated_impls(model: &Model) -> Vec<TokenStream> {
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for op in &model.operations {
        let (Some(p), Some(t)) = (&op.pagination, &op.response.ty) else {
            continue;
        };
        // The type that holds the fields (past aliases), once: two operations may answer with it.
        let Some(id) = t.named().map(|id| model.types.definition(id)) else {
            continue;
        };
        if !done.insert(id) {
            continue;
        }
        let response = ty(&model.types, &TypeRef::Named(id));
        let meta = ident(&p.meta.name);
        let meta_expr = if p.meta.optional {
            quote!(self.#meta.as_ref()?)
        } else {
            quote!(&self.#meta)
        };
        let read = |f: &FieldAccess| {
            let field = ident(&f.name);
            let widen = widen(f.bits32);
            if f.optional {
                quote!(meta.#field #widen)
            } else {
                quote!(::std::option::Option::Some(meta.#field) #widen)
            }
        };
        let total = read(&p.total_pages);
        let number = match &p.page_number {
            Some(f) => {
                let r = read(f);
                quote! {
                    let meta = #meta_expr;
                    #r
                }
            }
            None => quote!(::std::option::Option::None),
        };
        out.push(quote! {
            impl crate::Paginated for #response {
                fn page_number(&self) -> ::std::option::Option<i64> {
                    #number
                }
                fn total_pages(&self) -> ::std::option::Option<i64> {
                    let meta = #meta_expr;
                    #total
                }
            }
        });
    }
    out
}

fn method(space: &TypeSpace, op: &Operation, m: &MethodSurface<'_>) -> TokenStream {
    let body = m.body;
    let name = ident(&m.name);
    let docs = operation_docs(op, body);
    let http_method = format_ident!("{}", op.method);
    let path = path_expr(op);
    let args = m.args.iter().map(|(word, t)| {
        let (n, t) = (ident(word), t.tokens());
        quote!(#n: #t)
    });
    let params = op
        .params
        .as_ref()
        .map(|p| params_calls(space, p))
        .unwrap_or_default();
    let body_call = body.map(|b| body_call(space, b));
    let response = m.returns.tokens();
    let finish = match op.response.class {
        Some(MediaClass::Text) => accept_then(&op.response.media_type, quote!(.text())),
        Some(MediaClass::Bytes) => accept_then(&op.response.media_type, quote!(.bytes())),
        _ => quote!(),
    };
    let start = match (op.response.class, &op.response.ty) {
        (Some(MediaClass::Json), Some(_)) => quote!(crate::RequestBuilder::new),
        _ => quote!(crate::RequestBuilder::<()>::new),
    };
    quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> crate::RequestBuilder<#response> {
            #start(self.client, ::reqwest::Method::#http_method, #path)
                #( #params )*
                #body_call
                #finish
        }
    }
}

/// Sets `Accept` to the media type the spec documents (`*/*` for a wildcard, which the runtime's
/// default `application/json` would not match), then switches how the body is read.
fn accept_then(media_type: &Option<String>, switch: TokenStream) -> TokenStream {
    match media_type.as_deref() {
        Some(m) if m.contains('*') => quote!(.header("accept", "*/*") #switch),
        Some(m) => quote!(.header("accept", #m) #switch),
        None => switch,
    }
}

/// One call per query or header parameter, written the way the spec says.
fn params_calls(space: &TypeSpace, params: &Params) -> Vec<TokenStream> {
    let fields = match &params.ty {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(s) => s.fields.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    params
        .places
        .iter()
        .filter_map(|(wire, place)| {
            let field = ident(&fields.iter().find(|f| &f.json_name == wire)?.name);
            Some(match place {
                ParamPlace::Query { explode } => quote! {
                    .query_value(#wire, &params.#field, crate::QueryStyle::Form { explode: #explode })
                },
                ParamPlace::DeepObject => quote! {
                    .query_value(#wire, &params.#field, crate::QueryStyle::DeepObject)
                },
                ParamPlace::Header => quote!(.header_value(#wire, &params.#field)),
            })
        })
        .collect()
}

fn body_call(space: &TypeSpace, body: &Body) -> TokenStream {
    let media_type = &body.media_type;
    match body.class {
        MediaClass::Json => {
            let command_id = body
                .ty
                .as_ref()
                .filter(|t| has_command_id(space, t))
                .map(|_| quote!(.fill_command_id()));
            quote!(.json_body(&body) #command_id)
        }
        MediaClass::Form => quote!(.form_body(&body)),
        MediaClass::Multipart => quote!(.multipart_body(parts)),
        MediaClass::Text => quote!(.bytes_body(body.into_bytes(), #media_type)),
        MediaClass::Bytes => quote!(.bytes_body(body, #media_type)),
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
