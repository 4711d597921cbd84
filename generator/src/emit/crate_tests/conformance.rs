//! Emits `tests/conformance/cases.rs`: one test per operation (and per alternative body) that sends the
//! operation's request sample through the typed API to a Prism mock server of the spec. Prism validates
//! the request against the spec itself, so a field name, enum value, nullable, query style or content
//! type the generator got wrong in both the types and the samples still shows up; its answer (the spec's
//! example) must decode into the typed response. The judging is in the hand-written
//! `tests/conformance/harness.rs`.

use super::operations::{body_parts, call_args, params_setup};
use crate::emit::rust::ident;
use crate::emit::service_calls;
use crate::naming;
use crate::samples::{OperationSamples, Samples};
use crate::surface::{BodyKind, OperationSurface, Surface};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit_conformance_tests(surface: &Surface<'_>, samples: &Samples, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let cases = surface
        .operations
        .iter()
        .zip(&samples.operations)
        .flat_map(|(op, fx)| (0..op.methods.len()).map(move |i| case(op, fx, i)));
    // Multipart parts are the only crate items the cases name.
    let multipart = surface.operations.iter().any(|op| {
        op.methods.iter().any(|m| {
            m.body
                .as_ref()
                .is_some_and(|b| b.kind == BodyKind::Multipart)
        })
    });
    let api = multipart.then(|| quote!(use #lib as api;));
    quote! {
        #api
        use super::harness;

        #( #cases )*
    }
}

/// One method of an operation called with its samples.
fn case(op: &OperationSurface<'_>, fx: &OperationSamples, method: usize) -> TokenStream {
    let m = &op.methods[method];
    let test_name = ident(&naming::operation_test(op.service, &m.name));
    let params_setup = fx.params.as_ref().map(params_setup);
    let (body_setup, _) = body_parts(m, fx, method);
    let args = call_args(m, fx);
    let call = service_calls(op.service);
    let name = ident(&m.with_params());
    let pointer = &op.pointer;
    let label = match (method, &m.body) {
        (0, _) | (_, None) => format!("{} {}", op.http_method, op.path),
        (_, Some(b)) => format!("{} {} ({} body)", op.http_method, op.path, b.kind.word()),
    };
    let doc = format!(" `{label}`");
    quote! {
        #[doc = #doc]
        #[tokio::test]
        #[ignore = "needs a Prism mock server: scripts/conformance.sh starts one and runs these"]
        async fn #test_name() {
            let client = harness::client();
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
        let surface = Surface::of(&model);
        let samples = Samples::of(&normalized.doc, &model.types, &surface);
        emit_conformance_tests(&surface, &samples, "api_crate").to_string()
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
        assert!(text.contains("update_multipart"), "{text}");
        assert!(text.contains("use api_crate as api"), "{text}");
    }
}
