//! Emits `tests/operations/cases.rs`: one test per operation against a local mock server. Each sends the
//! operation's request sample (values that satisfy the spec's schemas, see
//! [`crate::model::sample_schema`]) and checks method, path with the ids percent-encoded,
//! `Authorization: Bearer`, query parameters and the exact JSON body; the mock answers with a sample
//! response that must decode into the typed response and write back unchanged.

use super::rust::ident;
use super::services_path;
use crate::model::operations::{Body, MediaClass, Operation, ParamPlace, Params};
use crate::model::sample::{canonical, synthesize};
use crate::model::types::{TypeKind, TypeRef, TypeSpace};
use crate::model::Model;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

const COMMAND_ID: &str = "891510ac-f3e4-11e8-af5b-de00688a4901";

pub fn emit_operation_tests(model: &Model, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let cases = model.operations.iter().map(|op| {
        let case = case(&model.types, op);
        let pages = op
            .pagination
            .as_ref()
            .and_then(|_| pages_case(&model.types, op));
        quote!(#case #pages)
    });
    quote! {
        use #lib as api;

        /// A client pointed at a fresh mock server, with retries off so a mismatch fails at once.
        async fn mock_client() -> (::wiremock::MockServer, api::Client) {
            let server = ::wiremock::MockServer::start().await;
            let client = api::Client::builder()
                .api_key("test-key")
                .base_url(server.uri())
                .max_retries(0)
                .build()
                .expect("a client for the mock server");
            (server, client)
        }

        fn json(text: &str) -> ::serde_json::Value {
            ::serde_json::from_str(text).expect("valid JSON")
        }

        #( #cases )*
    }
}

/// The request body the test sends: the body's sample, with a fixed `command_id` where the body has
/// one and the sample leaves it out (so the runtime keeps it instead of making one up).
pub(super) fn request_sample(space: &TypeSpace, b: &Body, t: &TypeRef) -> Value {
    let mut value = b.sample.clone().unwrap_or(Value::Null);
    if let (TypeRef::Named(id), Value::Object(m)) = (t, &mut value) {
        if let TypeKind::Struct(s) = &space.get(*id).kind {
            if s.fields.iter().any(|f| f.json_name == "command_id") && !m.contains_key("command_id")
            {
                m.insert("command_id".into(), Value::String(COMMAND_ID.into()));
            }
        }
    }
    value
}

fn case(space: &TypeSpace, op: &Operation) -> TokenStream {
    let test_name = ident(&naming::operation_test(&op.service, &op.name));
    let method = op.method.as_str();
    let path = sent_path(op);
    let path_args = op.path_params.iter().map(|p| {
        let v = &p.sample;
        quote!(#v)
    });
    let (params_setup, params_match, params_arg) = match &op.params {
        Some(params) => {
            let matchers = query_pairs(&params.sample, params)
                .into_iter()
                .map(|(k, v)| quote!(.and(::wiremock::matchers::query_param(#k, #v))));
            (
                params_setup(params),
                quote!( #( #matchers )* ),
                Some(quote!(params)),
            )
        }
        None => (quote!(), quote!(), None),
    };
    let (body_setup, body_match, body_arg) = match &op.body {
        Some(b) => body_parts(space, b),
        None => (quote!(), quote!(), None),
    };
    let args = path_args.chain(params_arg).chain(body_arg);
    let call = services_path(op);
    let name = ident(&op.name);
    let status = op.response.status;
    let (respond, check) = match (op.response.class, &op.response.ty) {
        (Some(MediaClass::Json), Some(t)) => {
            let sample = synthesize(space, t);
            let canonical_text = canonical(space, &sample, t).to_string();
            let text = sample.to_string();
            (
                quote!(::wiremock::ResponseTemplate::new(#status).set_body_raw(#text, "application/json")),
                quote! {
                    let written = ::serde_json::to_value(&response).expect("the response serializes");
                    assert_eq!(written, json(#canonical_text), "the typed response keeps every field");
                },
            )
        }
        (Some(MediaClass::Text), _) => (
            quote!(::wiremock::ResponseTemplate::new(#status).set_body_string("line one\nline two")),
            quote!(assert_eq!(response, "line one\nline two");),
        ),
        (Some(MediaClass::Bytes), _) => (
            quote!(::wiremock::ResponseTemplate::new(#status).set_body_bytes(vec![0u8, 159, 146, 150])),
            quote!(assert_eq!(response, vec![0u8, 159, 146, 150]);),
        ),
        _ => (quote!(::wiremock::ResponseTemplate::new(#status)), quote!()),
    };
    let binding = (!check.is_empty()).then(|| quote!(let response =));
    let doc = format!(" `{} {}`", op.method, op.path);
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test_name() {
            let (server, client) = mock_client().await;
            #params_setup
            #body_setup
            ::wiremock::Mock::given(::wiremock::matchers::method(#method))
                .and(::wiremock::matchers::path(#path))
                .and(::wiremock::matchers::header("authorization", "Bearer test-key"))
                #params_match
                #body_match
                .respond_with(#respond)
                .expect(1)
                .mount(&server)
                .await;
            #binding client #call .#name(#(#args),*).await.expect("the operation succeeds against the mock");
            #check
        }
    }
}

/// A list operation walked page by page: two mocked pages, then the end.
fn pages_case(space: &TypeSpace, op: &Operation) -> Option<TokenStream> {
    let params = op.params.as_ref()?;
    let response_ty = op.response.ty.as_ref()?;
    let test_name = ident(&naming::pages_method(&naming::operation_test(
        &op.service,
        &op.name,
    )));
    let path = sent_path(op);
    let path_args = op.path_params.iter().map(|p| &p.sample);
    let mut params_sample = params.sample.clone();
    // Start from the first page whatever the sample says.
    if let Some(obj) = params_sample.as_object_mut() {
        obj.remove("page[number]");
        if let Some(Value::Object(page)) = obj.get_mut("page") {
            page.remove("number");
        }
    }
    let params_text = params_sample.to_string();
    let page = |n: i64| {
        let mut body = synthesize(space, response_ty);
        if let Some(meta) = body.get_mut("meta").and_then(Value::as_object_mut) {
            meta.insert("page_number".into(), n.into());
            meta.insert("total_pages".into(), 2.into());
        }
        body.to_string()
    };
    let (first, second) = (page(1), page(2));
    let method = op.method.as_str();
    let call = services_path(op);
    let name = ident(&naming::pages_method(&op.name));
    let doc = format!(" `{} {}`, page by page.", op.method, op.path);
    Some(quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test_name() {
            let (server, client) = mock_client().await;
            for (number, body) in [("1", #first), ("2", #second)] {
                ::wiremock::Mock::given(::wiremock::matchers::method(#method))
                    .and(::wiremock::matchers::path(#path))
                    .and(::wiremock::matchers::query_param("page[number]", number))
                    .respond_with(::wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/json"))
                    .expect(1)
                    .mount(&server)
                    .await;
            }
            let params = ::serde_json::from_str(#params_text).expect("the parameters sample fits the type");
            let mut pages = client #call .#name(#(#path_args,)* params);
            let mut seen = Vec::new();
            while let Some(page) = pages.next_page().await {
                let page = page.expect("each page is fetched");
                seen.push(api::Paginated::page_number(&page));
            }
            assert_eq!(seen, [Some(1), Some(2)]);
        }
    })
}

/// The setup, matcher and argument for a request body of each media class.
/// The statement that makes `params` from the parameters' sample.
pub(super) fn params_setup(params: &Params) -> TokenStream {
    let text = params.sample.to_string();
    quote! {
        let params = ::serde_json::from_str(#text).expect("the parameters sample fits the type");
    }
}

/// For a request body of each media class: the statement that makes it, the mock's matcher for it,
/// and the argument.
pub(super) fn body_parts(
    space: &TypeSpace,
    b: &Body,
) -> (TokenStream, TokenStream, Option<TokenStream>) {
    match (b.class, &b.ty) {
        (MediaClass::Json, Some(t)) => {
            let sample = request_sample(space, b, t);
            let sent = sample.to_string();
            let expected = canonical(space, &sample, t).to_string();
            (
                quote! {
                    let body = ::serde_json::from_str(#sent).expect("the request sample fits the request type");
                },
                quote!(.and(::wiremock::matchers::body_json(json(#expected)))),
                Some(quote!(body)),
            )
        }
        (MediaClass::Form, Some(t)) => {
            let sent = request_sample(space, b, t).to_string();
            (
                quote! {
                    let body = ::serde_json::from_str(#sent).expect("the request sample fits the request type");
                },
                quote!(.and(::wiremock::matchers::header("content-type", "application/x-www-form-urlencoded"))),
                Some(quote!(body)),
            )
        }
        (MediaClass::Multipart, _) => {
            let parts = multipart_parts(b);
            let first = match b
                .sample
                .as_ref()
                .and_then(Value::as_object)
                .and_then(|m| m.keys().next())
            {
                Some(name) if b.parts.iter().any(|p| p.name == *name && p.file) => {
                    format!("name=\"{name}\"; filename=\"a.bin\"")
                }
                Some(name) => format!("name=\"{name}\""),
                None => "name=\"file\"; filename=\"a.bin\"".to_owned(),
            };
            (
                quote!(let parts = #parts;),
                quote!(.and(::wiremock::matchers::body_string_contains(#first))),
                Some(quote!(parts)),
            )
        }
        (MediaClass::Text, _) => (
            quote!(let body = ::std::string::String::from("text body");),
            quote!(.and(::wiremock::matchers::body_string("text body"))),
            Some(quote!(body)),
        ),
        _ => (
            quote!(let body = vec![1u8, 2, 3];),
            quote!(.and(::wiremock::matchers::body_bytes(vec![1u8, 2, 3]))),
            Some(quote!(body)),
        ),
    }
}

/// The parts of a multipart body's sample: a small file for each file part, text for the others (an
/// array as one part per item, an object as JSON); a body without a sample gets one file part.
pub(super) fn multipart_parts(b: &Body) -> TokenStream {
    let file = |name: &str| quote!(api::Part::File { name: #name.into(), file: api::Upload::new(b"bytes".to_vec(), "a.bin") });
    let text = |name: &str, value: &Value| {
        let value = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        quote!(api::Part::Text { name: #name.into(), value: #value.into() })
    };
    let Some(Value::Object(members)) = &b.sample else {
        let part = file("file");
        return quote!(vec![#part]);
    };
    let mut parts = Vec::new();
    for (name, value) in members {
        let is_file = b.parts.iter().any(|p| p.name == *name && p.file);
        match value {
            _ if is_file => parts.push(file(name)),
            Value::Array(items) => parts.extend(items.iter().map(|item| text(name, item))),
            other => parts.push(text(name, other)),
        }
    }
    quote!(vec![ #( #parts ),* ])
}

/// The path the runtime sends: each path parameter's sample, percent-encoded as
/// `encode_path_segment` does (everything but RFC 3986 unreserved characters).
fn sent_path(op: &Operation) -> String {
    let mut path = op.path.clone();
    for p in &op.path_params {
        path = path.replace(&format!("{{{}}}", p.json_name), &encode_segment(&p.sample));
    }
    path
}

pub(super) fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The query pairs the runtime must send for a parameters sample (scalars, arrays, deep objects).
fn query_pairs(sample: &Value, params: &Params) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (wire, place) in &params.places {
        let Some(value) = sample.get(wire) else {
            continue;
        };
        match place {
            ParamPlace::Query { .. } => {
                if let Some(text) = scalar(value) {
                    out.push((wire.clone(), text));
                }
            }
            ParamPlace::DeepObject => {
                if let Value::Object(map) = value {
                    for (k, v) in map {
                        if let Some(text) = scalar(v) {
                            out.push((format!("{wire}[{k}]"), text));
                        }
                    }
                }
            }
            ParamPlace::Header => {}
        }
    }
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
