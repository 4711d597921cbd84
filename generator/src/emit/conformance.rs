//! Emits `tests/conformance/cases.rs`: one test per operation (and per alternative body) that sends the
//! operation's request sample through the typed API to a Prism mock server of the spec. Prism validates
//! the request against the spec itself, so a field name, enum value, nullable, query style or content
//! type the generator got wrong in both the types and the samples still shows up; its answer (the spec's
//! example) must decode into the typed response. The judging is in the hand-written
//! `tests/conformance/harness.rs`.

use super::rust::ident;
use super::services_path;
use super::tests::{body_parts, params_setup};
use crate::model::operations::{Body, MediaClass, Operation};
use crate::model::types::TypeSpace;
use crate::model::Model;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit_conformance_tests(model: &Model, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let cases = model.operations.iter().flat_map(|op| {
        let main = case(&model.types, op, op.body.as_ref(), None);
        let alternatives = op
            .alternatives
            .iter()
            .map(|b| case(&model.types, op, Some(b), Some(b.class.method_suffix())));
        std::iter::once(main)
            .chain(alternatives)
            .collect::<Vec<_>>()
    });
    // Multipart parts are the only crate items the cases name.
    let multipart = model.operations.iter().any(|op| {
        op.body
            .iter()
            .chain(&op.alternatives)
            .any(|b| b.class == MediaClass::Multipart)
    });
    let api = multipart.then(|| quote!(use #lib as api;));
    quote! {
        #api
        use super::harness;

        #( #cases )*
    }
}

/// One operation called with its sample; `suffix` names an alternative body's method.
fn case(
    space: &TypeSpace,
    op: &Operation,
    body: Option<&Body>,
    suffix: Option<&str>,
) -> TokenStream {
    let method_name = match suffix {
        Some(s) => naming::media_method(&op.name, s),
        None => op.name.clone(),
    };
    let test_name = ident(&naming::operation_test(&op.service, &method_name));
    let path_args = op.path_params.iter().map(|p| {
        let v = &p.sample;
        quote!(#v)
    });
    let (params_setup, params_arg) = match &op.params {
        Some(params) => (params_setup(params), Some(quote!(params))),
        None => (quote!(), None),
    };
    let (body_setup, body_arg) = match body {
        Some(b) => {
            let (setup, _, arg) = body_parts(space, b);
            (setup, arg)
        }
        None => (quote!(), None),
    };
    let args = path_args.chain(params_arg).chain(body_arg);
    let call = services_path(op);
    let name = ident(&method_name);
    let pointer = op.pointer.to_string();
    let label = match suffix {
        Some(s) => format!("{} {} ({s} body)", op.method, op.path),
        None => format!("{} {}", op.method, op.path),
    };
    let doc = format!(" `{label}`");
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test_name() {
            let Some(client) = harness::client() else {
                return;
            };
            #params_setup
            #body_setup
            let result = client #call .#name(#(#args),*).send_with_response().await;
            harness::judge(#pointer, #label, result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{build, Scope};
    use serde_json::json;

    fn cases(spec: serde_json::Value) -> String {
        let normalized = crate::spec::normalize(spec).expect("normalizes");
        let model = build(&normalized, &Scope::all()).expect("builds");
        emit_conformance_tests(&model, "api_crate").to_string()
    }

    #[test]
    fn each_operation_sends_samples_of_its_own_schemas_and_names_its_pointer() {
        let text = cases(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things/{id}": {"post": {
                "operationId": "UpdateThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}},
                    {"name": "page[size]", "in": "query", "schema": {"type": "integer", "minimum": 5}}
                ],
                "requestBody": {"content": {
                    "application/json": {"schema": {"type": "object", "properties": {"when": {"type": "string", "format": "date"}}}},
                    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}
                }},
                "responses": {"200": {"description": "ok"}}
            }}}
        }));
        assert!(
            text.contains("\"3fa85f64-5717-4562-b3fc-2c963f66afa6\""),
            "{text}"
        );
        assert!(text.contains(r#"{\"page[size]\":5}"#), "{text}");
        assert!(text.contains(r#"{\"when\":\"2024-01-02\"}"#), "{text}");
        assert!(
            text.contains("harness :: judge (\"#/paths/~1things~1{id}/post\""),
            "{text}"
        );
        // The multipart alternative is a case of its own, with the crate named for its parts.
        assert!(text.contains("update_thing_multipart"), "{text}");
        assert!(text.contains("use api_crate as api"), "{text}");
    }
}
