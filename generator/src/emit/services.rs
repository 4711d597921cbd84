//! Emits the `services` module: one struct per service (`Calls`, `CallsActions`), reached from the client
//! (`client.calls().actions()`), with one method per operation returning a `RequestBuilder`.

use super::docs::{docs, sanitize, Para};
use super::paths::{PRIVATE, RUNTIME};
use super::rust::ident;
use crate::naming;
use crate::surface::features::Gate;
use crate::surface::{
    ArgumentRole, BodyKind, BodySurface, FieldRead, MethodSurface, OperationSurface, PageNumber,
    PagesSurface, PaginatedSurface, ParamPlacement, ParamSurface, ResponseRead, ServiceSurface,
    Surface,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// `(file stem, tokens)` for `services/mod.rs` and one file per top-level service.
pub fn emit_services(surface: &Surface<'_>) -> Vec<(String, TokenStream)> {
    let mut files: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for s in &surface.services {
        let ops: Vec<&OperationSurface<'_>> = s
            .operations
            .iter()
            .map(|&i| &surface.operations[i])
            .collect();
        files.entry(&s.file).or_default().push(service(s, &ops));
    }
    let features = &surface.features;
    let accessors = surface
        .services
        .iter()
        .filter(|s| s.path.len() == 1)
        .map(|s| {
            let method = ident(&s.path[0]);
            let service = ident(&s.type_name);
            let doc = format!(" Operations under `/{}`.", s.path[0]);
            let cfg = features.service(&s.path[0]).cfg_and_doc();
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #method(&self) -> crate::services::#service<'_> {
                    crate::services::#service::new(self)
                }
            }
        });
    // A file per top-level service, compiled with its feature.
    let file_gates: BTreeMap<&str, Gate> = surface
        .services
        .iter()
        .map(|s| (s.file.as_str(), features.service(&s.path[0])))
        .collect();
    let mods = files.keys().map(|f| {
        let module = format_ident!("{}", f);
        let cfg = file_gates.get(f).map(Gate::cfg).unwrap_or_default();
        let doc_cfg = file_gates.get(f).map(Gate::cfg_and_doc).unwrap_or_default();
        quote!( #cfg mod #module; #doc_cfg pub use #module::*; )
    });
    let paginated = surface
        .paginated
        .iter()
        .map(|p| paginated_impl(p, &features.of_type(p.id)));
    let mod_rs = quote! {
        //! The API's operations, grouped by path: `client.calls().actions().speak(..)`. Each top-level
        //! service is compiled with its Cargo feature.
        #( #mods )*
        impl crate::Client {
            #( #accessors )*
        }
        #( #paginated )*
    };
    let mut out = vec![("mod".to_owned(), mod_rs)];
    out.extend(
        files
            .into_iter()
            .map(|(f, items)| (f.to_owned(), quote!(#(#items)*))),
    );
    out
}

/// The path every operation of a service starts with (`/calls/{call_control_id}/actions`), segment
/// by segment, or the service's words when it has no operations of its own.
fn common_path(s: &ServiceSurface, ops: &[&OperationSurface<'_>]) -> String {
    let mut paths = ops.iter().map(|op| op.path.split('/').collect::<Vec<_>>());
    let Some(first) = paths.next() else {
        return s.path.iter().map(|p| format!("/{p}")).collect();
    };
    let common = paths.fold(first, |common, path| {
        common
            .iter()
            .zip(&path)
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| *a)
            .collect()
    });
    common.join("/")
}

fn service(s: &ServiceSurface, ops: &[&OperationSurface<'_>]) -> TokenStream {
    let name = ident(&s.type_name);
    let doc = format!(" Operations under `{}`.", common_path(s, ops));
    let child_accessors = s.children.iter().map(|(child, child_ty)| {
        let method = ident(child);
        let child_ty = ident(child_ty);
        let doc = format!(" The operations of [`{child_ty}`](crate::services::{child_ty}).");
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> crate::services::#child_ty<'a> {
                crate::services::#child_ty::new(self.client)
            }
        }
    });
    let methods = ops.iter().map(|op| operation(s, op));
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
fn operation_docs(op: &OperationSurface<'_>, body: Option<&BodySurface<'_>>) -> TokenStream {
    let signature = format!("`{} {}`", op.http_method, op.path);
    let errors = (!op.errors.is_empty()).then(|| {
        format!(
            "Errors the spec documents ({}) come back as [`crate::Error::Api`] with the API's `errors[]`.",
            op.errors.join(", ")
        )
    });
    let deprecated = op.deprecated.then_some("**Deprecated.**");
    let parts = body.filter(|b| b.kind == BodyKind::Multipart).map(|b| {
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
                    sanitize(&p.doc.unwrap_or("").replace('\n', " "))
                )
            })
            .collect();
        format!(
            "The body is `multipart/form-data` ({}) with these parts:\n\n{}",
            b.media_type,
            lines.join("\n")
        )
    });
    docs([
        Para::Spec(op.summary),
        Para::Own(deprecated),
        Para::Own(Some(signature.as_str())),
        Para::Spec(op.description),
        Para::Own(parts.as_deref()),
        Para::Own(errors.as_deref()),
    ])
}

/// An operation's methods: one for the preferred body, one more per other media type the spec accepts
/// (`upload_media` and `upload_media_multipart`), and the pages of a list.
fn operation(s: &ServiceSurface, op: &OperationSurface<'_>) -> TokenStream {
    let methods = op.methods.iter().map(|m| method(op, m));
    let pages = op.pages.as_ref().map(|p| pages_method(s, op, p));
    quote! { #( #methods )* #pages }
}

/// `<name>_pages(params)`: every page of a list operation, from the page `params` names (else 1).
fn pages_method(s: &ServiceSurface, op: &OperationSurface<'_>, p: &PagesSurface) -> TokenStream {
    let params_ty = p.params.tokens();
    let response = p.response.tokens();
    let optional = op.main().optional_params;
    let name = match optional {
        true => ident(&naming::with_params_method(&p.method)),
        false => ident(&p.method),
    };
    let operation = ident(&op.main().with_params());
    let service = ident(&s.type_name);
    let owned: Vec<_> = op
        .main()
        .args
        .iter()
        .take(op.path_params.len())
        .map(|a| ident(&a.word))
        .collect();
    let args = owned.iter().map(|n| quote!(#n: &str));
    let (first, set) = match &p.page {
        PageNumber::Field { field, bits32 } => {
            let field = ident(field);
            let value = integer_from_page(*bits32);
            let widen = widen(*bits32);
            (
                quote!(params.#field #widen .unwrap_or(1)),
                quote!(params.#field = ::std::option::Option::Some(#value);),
            )
        }
        PageNumber::Nested {
            page,
            number,
            bits32,
        } => {
            let page_field = ident(page);
            let number_field = ident(number);
            let value = integer_from_page(*bits32);
            let widen = widen(*bits32);
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
        " Every page of [`Self::{}`], starting at the page `params` names (else the first), until \
         `meta.total_pages`.",
        op.main().with_params()
    );
    let how = " [`crate::Pages::next_page`] fetches one at a time; the pages are also a `Stream` of \
         pages, and [`crate::Pages::items`] a `Stream` of the items on them (`futures::TryStreamExt`).";
    let with = quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = #how]
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
    };
    if !optional {
        return with;
    }
    let plain = ident(&p.method);
    let args = owned.iter().map(|n| quote!(#n: &str));
    let doc = format!(
        " Every page of [`Self::{}`], from the first; [`Self::{}`] takes its parameters.",
        op.name,
        naming::with_params_method(&p.method)
    );
    quote! {
        #[doc = #doc]
        pub fn #plain(&self, #(#args),*) -> crate::Pages<#response> {
            self.#name(#( #owned, )* ::std::default::Default::default())
        }
        #with
    }
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

/// `impl Paginated` for a list response, compiled with it.
fn paginated_impl(p: &PaginatedSurface, gate: &Gate) -> TokenStream {
    let response = p.response.tokens();
    let meta = ident(&p.meta.field);
    let meta_expr = if p.meta.optional {
        quote!(self.#meta.as_ref()?)
    } else {
        quote!(&self.#meta)
    };
    let read = |f: &FieldRead| {
        let field = ident(&f.field);
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
    let item = p.item.tokens();
    let data = ident(&p.data.field);
    let items = if p.data.optional {
        quote!(self.#data.unwrap_or_default())
    } else {
        quote!(self.#data)
    };
    let cfg = gate.cfg();
    quote! {
        #cfg
        impl crate::Paginated for #response {
            type Item = #item;
            fn page_number(&self) -> ::std::option::Option<i64> {
                #number
            }
            fn total_pages(&self) -> ::std::option::Option<i64> {
                let meta = #meta_expr;
                #total
            }
            fn into_items(self) -> ::std::vec::Vec<#item> {
                #items
            }
        }
    }
}

fn method(op: &OperationSurface<'_>, m: &MethodSurface<'_>) -> TokenStream {
    let body = m.body.as_ref();
    let name = ident(&m.with_params());
    let docs = operation_docs(op, body);
    let without_params = m.optional_params.then(|| without_params(m));
    let docs = match m.optional_params {
        true => {
            let doc = format!(
                " [`Self::{}`] with its parameters: the query and header parameters this operation \
                 takes, all optional.",
                m.name
            );
            quote!(#[doc = #doc])
        }
        false => docs,
    };
    let http_method = format_ident!("{}", op.http_method);
    let (encode, path) = path_expr(op, m);
    let args = m.args.iter().map(|a| {
        let (n, t) = (ident(&a.word), a.ty.tokens());
        quote!(#n: #t)
    });
    let params = op.params.iter().map(param_call);
    let body_call = body.map(body_call);
    let response = m.returns.tokens();
    let (start, finish) = match &op.read {
        ResponseRead::Json => (quote!(crate::RequestBuilder::new), quote!()),
        ResponseRead::Text { accept } => (
            quote!(crate::RequestBuilder::<()>::new),
            accept_then(accept, quote!(.text())),
        ),
        ResponseRead::Bytes { accept } => (
            quote!(crate::RequestBuilder::<()>::new),
            accept_then(accept, quote!(.bytes())),
        ),
        ResponseRead::Empty => (quote!(crate::RequestBuilder::<()>::new), quote!()),
    };
    let with = quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> crate::RequestBuilder<#response> {
            #encode
            #start(self.client.runtime(), #RUNTIME::reqwest::Method::#http_method, #path)
                #( #params )*
                #body_call
                #finish
        }
    };
    match without_params {
        Some(plain) => {
            let docs = operation_docs(op, body);
            quote!(#docs #plain #with)
        }
        None => with,
    }
}

/// `name(..)` of an operation whose parameters are all optional: `name_with(.., default)`.
fn without_params(m: &MethodSurface<'_>) -> TokenStream {
    let name = ident(&m.name);
    let with = ident(&m.with_params());
    let response = m.returns.tokens();
    let args = m.own_args().map(|a| {
        let (n, t) = (ident(&a.word), a.ty.tokens());
        quote!(#n: #t)
    });
    let values = m.args.iter().map(|a| match a.role {
        ArgumentRole::Params => quote!(::std::default::Default::default()),
        _ => {
            let n = ident(&a.word);
            quote!(#n)
        }
    });
    quote! {
        pub fn #name(&self, #(#args),*) -> crate::RequestBuilder<#response> {
            self.#with(#(#values),*)
        }
    }
}

/// Asks for the media type the surface chose, then switches how the body is read.
fn accept_then(accept: &Option<String>, switch: TokenStream) -> TokenStream {
    match accept {
        Some(m) => quote!(.header("accept", #m) #switch),
        None => switch,
    }
}

/// One call per query or header parameter, written the way the spec says.
fn param_call(p: &ParamSurface<'_>) -> TokenStream {
    let wire = p.wire;
    let field = ident(p.field);
    match p.place {
        ParamPlacement::Form { explode } => quote! {
            .query_value(#wire, &params.#field, #PRIVATE::QueryStyle::Form { explode: #explode })
        },
        ParamPlacement::DeepObject => quote! {
            .query_value(#wire, &params.#field, #PRIVATE::QueryStyle::DeepObject)
        },
        ParamPlacement::Header => quote!(.header_value(#wire, &params.#field)),
    }
}

fn body_call(body: &BodySurface<'_>) -> TokenStream {
    let media_type = body.media_type;
    match body.kind {
        BodyKind::Json { fill_command_id } => {
            let command_id = fill_command_id.then(|| quote!(.fill_command_id()));
            quote!(.json_body(&body) #command_id)
        }
        BodyKind::Form => quote!(.form_body(&body)),
        BodyKind::Multipart => quote!(.multipart_body(parts)),
        BodyKind::Text => quote!(.bytes_body(body.into_bytes(), #media_type)),
        BodyKind::Bytes => quote!(.bytes_body(body, #media_type)),
    }
}

/// The path: the spec's template with each placeholder named after its argument, which is first
/// rebound to its percent-encoded value (`let call_control_id = encode(call_control_id);` then
/// `format!("/calls/{call_control_id}")`); a plain string without parameters.
fn path_expr(op: &OperationSurface<'_>, m: &MethodSurface<'_>) -> (TokenStream, TokenStream) {
    if op.path_params.is_empty() {
        let p = op.path;
        return (quote!(), quote!(::std::string::String::from(#p)));
    }
    let mut template = op.path.to_owned();
    let mut encoded = Vec::new();
    for a in &m.args {
        if let ArgumentRole::Path { json_name } = &a.role {
            let arg = ident(&a.word);
            // A raw identifier (`r#type`) cannot be named inside a format string.
            let local = if naming::ident_text(&a.word).starts_with("r#") {
                format!("{}_segment", a.word)
            } else {
                naming::ident_text(&a.word)
            };
            template = template.replacen(&format!("{{{json_name}}}"), &format!("{{{local}}}"), 1);
            let local = ident(&local);
            encoded.push(quote!(let #local = crate::encode_path_segment(#arg);));
        }
    }
    (quote!( #( #encoded )* ), quote!(::std::format!(#template)))
}
