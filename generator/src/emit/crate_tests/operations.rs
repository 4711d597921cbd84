//! Emits `tests/operations/cases.rs`: one test per operation against a local mock server. Each sends the
//! operation's request samples (values that satisfy the spec's schemas, see [`crate::samples`]) and
//! checks method, path with the ids percent-encoded, `Authorization: Bearer`, query parameters and the
//! exact JSON body; the mock answers with a sample response that must decode into the typed response
//! and write back unchanged.

use crate::emit::paths::PRIVATE;
use crate::emit::rust::ident;
use crate::emit::service_calls;
use crate::naming;
use crate::samples::{OperationSamples, Samples};
use crate::surface::{
    ArgumentRole, BodyKind, MethodSurface, OperationSurface, ParamPlacement, ParamSurface,
    PartSurface, ResponseRead, Surface,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

pub fn emit_operation_tests(surface: &Surface<'_>, samples: &Samples, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let cases = surface
        .operations
        .iter()
        .zip(&samples.operations)
        .map(|(op, fx)| {
            let case = case(op, fx);
            let pages = pages_case(op, fx);
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

/// The arguments of a method, in its order: each path parameter's sample, `params`, the body.
pub(super) fn call_args(m: &MethodSurface<'_>, fx: &OperationSamples) -> Vec<TokenStream> {
    let mut path_values = fx.path_values.iter();
    m.args
        .iter()
        .map(|a| match &a.role {
            ArgumentRole::Path { .. } => {
                let v = path_values.next().map(String::as_str).unwrap_or_default();
                quote!(#v)
            }
            ArgumentRole::Params | ArgumentRole::Body => {
                let n = ident(&a.word);
                quote!(#n)
            }
        })
        .collect()
}

fn case(op: &OperationSurface<'_>, fx: &OperationSamples) -> TokenStream {
    let m = op.main();
    let test_name = ident(&naming::operation_test(op.service, op.name));
    let method = op.http_method;
    let path = &fx.sent_path;
    let (params_setup, query_setup) = match &fx.params {
        Some(sample) => (params_setup(sample), query_pairs(sample, &op.params)),
        None => (quote!(), None),
    };
    let mock = match &query_setup {
        Some(_) => quote!(let mut mock),
        None => quote!(let mock),
    };
    let (body_setup, body_match) = body_parts(m, fx, 0);
    let args = call_args(m, fx);
    let call = service_calls(op.service);
    let name = ident(&m.with_params());
    let status = op.status;
    let (respond, check) = match (&op.read, &fx.response) {
        (ResponseRead::Json, Some(sample)) => {
            let canonical_text = sample.written.to_string();
            let text = sample.value.to_string();
            (
                quote!(::wiremock::ResponseTemplate::new(#status).set_body_raw(#text, "application/json")),
                quote! {
                    let written = ::serde_json::to_value(response).expect("the response serializes");
                    assert_eq!(written, json(#canonical_text), "the typed response keeps every field");
                },
            )
        }
        (ResponseRead::Text { .. }, _) => (
            quote!(::wiremock::ResponseTemplate::new(#status).set_body_string("line one\nline two")),
            quote!(assert_eq!(response, "line one\nline two");),
        ),
        (ResponseRead::Bytes { .. }, _) => (
            quote!(::wiremock::ResponseTemplate::new(#status).set_body_bytes(vec![0u8, 159, 146, 150])),
            quote!(assert_eq!(response, vec![0u8, 159, 146, 150]);),
        ),
        _ => (quote!(::wiremock::ResponseTemplate::new(#status)), quote!()),
    };
    let binding = (!check.is_empty()).then(|| quote!(let response =));
    let doc = format!(" `{} {}`", op.http_method, op.path);
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test_name() {
            let (server, client) = mock_client().await;
            #params_setup
            #body_setup
            #mock = ::wiremock::Mock::given(::wiremock::matchers::method(#method))
                .and(::wiremock::matchers::path(#path))
                .and(::wiremock::matchers::header("authorization", "Bearer test-key"));
            #query_setup
            mock
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
fn pages_case(op: &OperationSurface<'_>, fx: &OperationSamples) -> Option<TokenStream> {
    let (pages, sample) = (op.pages.as_ref()?, fx.pages.as_ref()?);
    let test_name = ident(&naming::pages_method(&naming::operation_test(
        op.service, op.name,
    )));
    let path = &fx.sent_path;
    let path_args = &fx.path_values;
    let params_text = sample.params.to_string();
    let [first, second] = sample.bodies.each_ref().map(Value::to_string);
    let method = op.http_method;
    let call = service_calls(op.service);
    let name = match op.main().optional_params {
        true => ident(&naming::with_params_method(&pages.method)),
        false => ident(&pages.method),
    };
    let doc = format!(" `{} {}`, page by page.", op.http_method, op.path);
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

/// The statement that makes `params` from the parameters' sample.
pub(super) fn params_setup(sample: &Value) -> TokenStream {
    let text = sample.to_string();
    quote! {
        let params = ::serde_json::from_str(#text).expect("the parameters sample fits the type");
    }
}

/// For a method's request body: the statement that makes it and the mock's matcher for it (nothing
/// without a body).
pub(super) fn body_parts(
    m: &MethodSurface<'_>,
    fx: &OperationSamples,
    method: usize,
) -> (TokenStream, TokenStream) {
    let Some(body) = &m.body else {
        return (quote!(), quote!());
    };
    let sent = fx.sent_bodies[method].as_ref();
    match (body.kind, &fx.written_bodies[method], body.typed) {
        (BodyKind::Json { .. }, Some(written), _) => {
            let text = sent.unwrap_or(&Value::Null).to_string();
            let expected = written.to_string();
            (
                quote! {
                    let body = ::serde_json::from_str(#text).expect("the request sample fits the request type");
                },
                quote!(.and(::wiremock::matchers::body_json(json(#expected)))),
            )
        }
        (BodyKind::Form, _, true) => {
            let text = sent.unwrap_or(&Value::Null).to_string();
            (
                quote! {
                    let body = ::serde_json::from_str(#text).expect("the request sample fits the request type");
                },
                quote!(.and(::wiremock::matchers::header("content-type", "application/x-www-form-urlencoded"))),
            )
        }
        (BodyKind::Multipart, _, _) => {
            let parts = multipart_parts(&body.parts, sent);
            let first = match sent
                .and_then(Value::as_object)
                .and_then(|m| m.keys().next())
            {
                Some(name) if body.parts.iter().any(|p| p.name == name && p.file) => {
                    format!("name=\"{name}\"; filename=\"a.bin\"")
                }
                Some(name) => format!("name=\"{name}\""),
                None => "name=\"file\"; filename=\"a.bin\"".to_owned(),
            };
            (
                quote!(let parts = #parts;),
                quote!(.and(::wiremock::matchers::body_string_contains(#first))),
            )
        }
        (BodyKind::Text, _, _) => (
            quote!(let body = ::std::string::String::from("text body");),
            quote!(.and(::wiremock::matchers::body_string("text body"))),
        ),
        _ => (
            quote!(let body = vec![1u8, 2, 3];),
            quote!(.and(::wiremock::matchers::body_bytes(vec![1u8, 2, 3]))),
        ),
    }
}

/// The parts of a multipart body's sample: a small file for each file part, text for the others (an
/// array as one part per item, an object as JSON); a body without a sample gets one file part.
pub(super) fn multipart_parts(parts: &[PartSurface<'_>], sample: Option<&Value>) -> TokenStream {
    let file = |name: &str| quote!(api::Part::File { name: #name.into(), file: api::Upload::new(b"bytes".to_vec(), "a.bin") });
    let text = |name: &str, value: &Value| {
        let value = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        quote!(api::Part::Text { name: #name.into(), value: #value.into() })
    };
    let Some(Value::Object(members)) = sample else {
        let part = file("file");
        return quote!(vec![#part]);
    };
    let mut out = Vec::new();
    for (name, value) in members {
        let is_file = parts.iter().any(|p| p.name == name && p.file);
        match value {
            _ if is_file => out.push(file(name)),
            Value::Array(items) => out.extend(items.iter().map(|item| text(name, item))),
            other => out.push(text(name, other)),
        }
    }
    quote!(vec![ #( #out ),* ])
}

/// The query parameters the request must carry, one matcher each: every parameter of the sample
/// written in its style by the runtime's own encoding, so the test checks that each parameter is
/// sent under its name and style (the encoding of each style has its own tests in the runtime).
fn query_pairs(sample: &Value, params: &[ParamSurface<'_>]) -> Option<TokenStream> {
    let params: Vec<TokenStream> = params
        .iter()
        .filter_map(|p| {
            let value = sample.get(p.wire)?.to_string();
            let wire = p.wire;
            let style = match p.place {
                ParamPlacement::Form { explode } => {
                    quote!(#PRIVATE::QueryStyle::Form { explode: #explode })
                }
                ParamPlacement::DeepObject => quote!(#PRIVATE::QueryStyle::DeepObject),
                ParamPlacement::Header => return None,
            };
            Some(quote!((#wire, #value, #style)))
        })
        .collect();
    if params.is_empty() {
        return None;
    }
    Some(quote! {
        for (name, value, style) in [ #( #params ),* ] {
            for (key, value) in #PRIVATE::query_pairs(name, &json(value), style) {
                mock = mock.and(::wiremock::matchers::query_param(key, value));
            }
        }
    })
}
