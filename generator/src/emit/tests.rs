//! Emits `tests/operations/cases.rs`: one test per operation against a local mock server. Each sends a
//! request built from the spec's example (or a value synthesized from the type) and checks method, path
//! with the id percent-encoded, `Authorization: Bearer`, and the exact JSON body; the mock answers with a
//! sample response that must decode into the typed response and write back unchanged.

use super::rust::ident;
use super::services_path;
use crate::model::operations::Operation;
use crate::model::sample::{canonical, conforms, synthesize};
use crate::model::types::{TypeKind, TypeRef, TypeSpace};
use crate::model::Model;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// A path parameter value with characters that must be percent-encoded.
const PATH_VALUE: &str = "v3:call/1 2";
const PATH_VALUE_ENCODED: &str = "v3%3Acall%2F1%202";
const COMMAND_ID: &str = "891510ac-f3e4-11e8-af5b-de00688a4901";

pub fn emit_operation_tests(model: &Model, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let cases = model.operations.iter().map(|op| case(&model.types, op));
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
fn request_sample(space: &TypeSpace, t: &TypeRef) -> Value {
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
    let test_name = format_ident!(
        "{}_{}",
        op.service.join("_").replace("r#", ""),
        op.name.trim_start_matches("r#")
    );
    let method = op.method.as_str();
    let mut path = op.path.clone();
    for p in &op.path_params {
        path = path.replace(&format!("{{{}}}", p.json_name), PATH_VALUE_ENCODED);
    }
    let path_args = op.path_params.iter().map(|_| quote!(PATH_VALUE));
    let (body_setup, body_match, body_arg) = match &op.body {
        Some(b) => {
            let sample = request_sample(space, &b.ty);
            let sent = sample.to_string();
            let expected = canonical(space, &sample, &b.ty).to_string();
            (
                quote! {
                    let body = ::serde_json::from_str(#sent).expect("the request sample fits the request type");
                },
                quote!(.and(::wiremock::matchers::body_json(json(#expected)))),
                Some(quote!(body)),
            )
        }
        None => (quote!(), quote!(), None),
    };
    let args = path_args.chain(body_arg);
    let call = services_path(op);
    let name = ident(&op.name);
    let status = op.response.status;
    let (respond, check) = match &op.response.ty {
        Some(t) => {
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
        None => (
            quote!(::wiremock::ResponseTemplate::new(#status)),
            quote!(let () = response;),
        ),
    };
    let doc = format!(" `{} {}`", op.method, op.path);
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test_name() {
            let (server, client) = mock_client().await;
            #body_setup
            ::wiremock::Mock::given(::wiremock::matchers::method(#method))
                .and(::wiremock::matchers::path(#path))
                .and(::wiremock::matchers::header("authorization", "Bearer test-key"))
                #body_match
                .respond_with(#respond)
                .expect(1)
                .mount(&server)
                .await;
            let response = client #call .#name(#(#args),*).await.expect("the operation succeeds against the mock");
            #check
        }
    }
}
