//! Emits `tests/operations/cases.rs`: one test per operation against a local mock server. Each sends a
//! request built from the spec's example (or a value synthesized from the type) and checks method, path
//! with the id percent-encoded, `Authorization: Bearer`, and the exact JSON body; the mock answers with a
//! sample response that must decode into the typed response and write back unchanged.

use super::rust::ident;
use super::services_path;
use crate::model::operations::{Body, MediaClass, Operation, ParamPlace, Params};
use crate::model::sample::{canonical, conforms, synthesize};
use crate::model::types::{TypeKind, TypeRef, TypeSpace};
use crate::model::Model;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// A path parameter value with characters that must be percent-encoded.
pub(super) const PATH_VALUE: &str = "v3:call/1 2";
pub(super) const PATH_VALUE_ENCODED: &str = "v3%3Acall%2F1%202";
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
    let path_value = model
        .operations
        .iter()
        .any(|op| !op.path_params.is_empty())
        .then(|| {
            quote! {
                /// A path parameter with characters that must be percent-encoded.
                const PATH_VALUE: &str = #PATH_VALUE;
            }
        });
    quote! {
        use #lib as api;

        #path_value


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

/// The request body the test sends: the spec's example when it fits the type, else a synthesized one,
/// with a fixed `command_id` where the body has one (so the runtime keeps it).
pub(super) fn request_sample(space: &TypeSpace, t: &TypeRef) -> Value {
    let example = match t {
        TypeRef::Named(id) => space.get(*id).example.clone(),
        _ => None,
    };
    let mut value = match example {
        Some(e) if conforms(space, &e, t) => e,
        _ => synthesize(space, t),
    };
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
    let mut path = op.path.clone();
    for p in &op.path_params {
        path = path.replace(&format!("{{{}}}", p.json_name), PATH_VALUE_ENCODED);
    }
    let path_args = op.path_params.iter().map(|_| quote!(PATH_VALUE));
    let (params_setup, params_match, params_arg) = match &op.params {
        Some(params) => {
            let sample = synthesize(space, &params.ty);
            let text = sample.to_string();
            let matchers = query_pairs(&sample, params)
                .into_iter()
                .map(|(k, v)| quote!(.and(::wiremock::matchers::query_param(#k, #v))));
            (
                quote! {
                    let params = ::serde_json::from_str(#text).expect("the parameters sample fits the type");
                },
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
    let mut path = op.path.clone();
    for p in &op.path_params {
        path = path.replace(&format!("{{{}}}", p.json_name), PATH_VALUE_ENCODED);
    }
    let path_args = op.path_params.iter().map(|_| quote!(PATH_VALUE));
    let mut params_sample = synthesize(space, &params.ty);
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
fn body_parts(space: &TypeSpace, b: &Body) -> (TokenStream, TokenStream, Option<TokenStream>) {
    match (b.class, &b.ty) {
        (MediaClass::Json, Some(t)) => {
            let sample = request_sample(space, t);
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
            let sent = request_sample(space, t).to_string();
            (
                quote! {
                    let body = ::serde_json::from_str(#sent).expect("the request sample fits the request type");
                },
                quote!(.and(::wiremock::matchers::header("content-type", "application/x-www-form-urlencoded"))),
                Some(quote!(body)),
            )
        }
        (MediaClass::Multipart, _) => (
            quote! {
                let parts = vec![
                    api::Part::Text { name: "field".into(), value: "value".into() },
                    api::Part::File { name: "file".into(), file: api::Upload::new(b"bytes".to_vec(), "a.bin") },
                ];
            },
            quote!(.and(::wiremock::matchers::body_string_contains("name=\"file\"; filename=\"a.bin\""))),
            Some(quote!(parts)),
        ),
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
