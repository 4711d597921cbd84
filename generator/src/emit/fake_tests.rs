//! Emits `tests/fake_operations/cases.rs` (feature `testing`): every operation against the fake
//! Telnyx. The body the operation tests send is accepted, recorded with its operation, call and typed
//! body, and answered with the spec's example response; a body without one of its required fields,
//! or with a value its enum does not list, is refused with `422` naming the field.

use super::fake_routes::variants;
use super::rust::ident;
use super::services_path;
use super::tests::params_setup;
use crate::fixtures::typed::{canonical, example};
use crate::fixtures::{encode_segment, Fixtures, OperationFixture, PATH_VALUE};
use crate::model::operations::{MediaClass, Operation};
use crate::model::types::{TypeKind, TypeRef, TypeSpace};
use crate::model::Model;
use crate::surface::conventions::CALL_ID;
use crate::surface::event_paths::{json_path, string_field, Level};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// The id the fake gives the first call an operation creates.
const FIRST_CREATED_CALL: &str = "v3:fake-call-1";

pub fn emit(model: &Model, fixtures: &Fixtures, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let variants = variants(model);
    let cases = model
        .operations
        .iter()
        .zip(&variants)
        .zip(&fixtures.operations)
        .map(|((op, v), fx)| case(&model.types, op, v, fx));
    quote! {
        use #lib::testing::{FakeTelnyx, Operation};
        use #lib::reqwest::Method;

        /// A path parameter with characters that must be percent-encoded.
        #[allow(dead_code)]
        const PATH_VALUE: &str = #PATH_VALUE;

        fn json(text: &str) -> ::serde_json::Value {
            ::serde_json::from_str(text).expect("valid JSON")
        }

        /// The JSON pointers the fake's `422` names.
        #[allow(dead_code)]
        async fn refused(fake: &FakeTelnyx, method: Method, path: &str, body: ::serde_json::Value) -> ::std::vec::Vec<::std::string::String> {
            let error = fake
                .client()
                .request::<::serde_json::Value, ::serde_json::Value>(method, path, ::std::option::Option::Some(&body))
                .await
                .expect_err("the fake refuses the body");
            assert_eq!(error.status().map(|s| s.as_u16()), ::std::option::Option::Some(422), "{error}");
            assert!(fake.commands().is_empty(), "a refused body is not a command");
            error
                .api_errors()
                .iter()
                .filter_map(|e| e.source.as_ref()?.pointer.clone())
                .collect()
        }

        #( #cases )*
    }
}

fn case(space: &TypeSpace, op: &Operation, variant: &Ident, fx: &OperationFixture) -> TokenStream {
    let sent = fx.sent_bodies[0].clone().unwrap_or(Value::Null);
    let json_body = match &op.body {
        None => None,
        Some(b) if b.class == MediaClass::Json => b.ty.as_ref().map(|t| (&sent, t)),
        // Other media types are taken as sent; the operation tests cover their encoding.
        Some(_) => return quote!(),
    };
    let test = crate::naming::ident(&crate::naming::operation_test(&op.service, &op.name));
    let path_args: Vec<TokenStream> = op.path_params.iter().map(|_| quote!(PATH_VALUE)).collect();
    let (params_setup, params_arg) = match &fx.params {
        Some(p) => (params_setup(p), Some(quote!(params))),
        None => (quote!(), None),
    };
    let (body_setup, body_arg, body_check) = match json_body {
        Some((sample, _)) => {
            let text = sample.to_string();
            // The body's type is the operation's argument type (the test names no type).
            (
                quote!(let body = ::serde_json::from_str(#text).expect("the request sample fits the type");),
                Some(quote!(::std::clone::Clone::clone(&body))),
                quote!(assert_eq!(commands[0].body().ok(), ::std::option::Option::Some(&body), "the typed body");),
            )
        }
        None => (quote!(), None, quote!()),
    };
    let has_call = op.path_params.iter().any(|p| p.json_name == CALL_ID);
    let (call_id, response_check) = response(space, op, has_call);
    let call_check = match call_id {
        Some(id) => quote!(::std::option::Option::Some(#id)),
        None => quote!(::std::option::Option::None),
    };
    let binding = response_check.as_ref().map(|_| quote!(let response =));
    let args = path_args.iter().cloned().chain(params_arg).chain(body_arg);
    let call = services_path(op);
    let name = ident(&op.name);
    let doc = format!(
        " `{} {}`: the sample body is accepted, recorded and answered with the spec's example.",
        op.method, op.path
    );
    let refusals = json_body
        .map(|(b, t)| refusals(space, op, b, t, &test))
        .unwrap_or_default();
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test() {
            let fake = FakeTelnyx::start().await.expect("the fake starts");
            #params_setup
            #body_setup
            #binding fake.client() #call .#name(#(#args),*).await.expect("the fake accepts the request");
            let commands = fake.commands();
            assert_eq!(commands.len(), 1);
            assert_eq!(commands[0].operation(), Operation::#variant);
            assert_eq!(commands[0].call_control_id(), #call_check);
            #body_check
            #response_check
        }
        #refusals
    }
}

/// The call id the command is recorded with, and the check of the response against the spec's
/// example (with the call's id where the response names it).
fn response(
    space: &TypeSpace,
    op: &Operation,
    has_call: bool,
) -> (Option<&'static str>, Option<TokenStream>) {
    let Some(t) = op
        .response
        .ty
        .as_ref()
        .filter(|_| op.response.class == Some(MediaClass::Json))
    else {
        return (has_call.then_some(PATH_VALUE), None);
    };
    let mut expected = example(space, t);
    let named = string_field(space, t, Level::Record, CALL_ID).map(|s| json_path(space, &s));
    let call_id = match (has_call, &named) {
        (true, _) => Some(PATH_VALUE),
        (false, Some(_)) => Some(FIRST_CREATED_CALL),
        (false, None) => None,
    };
    if let (Some(path), Some(id)) = (&named, call_id) {
        if let Some(at) = path
            .iter()
            .try_fold(&mut expected, |at, key| at.get_mut(key.as_str()))
        {
            *at = Value::String(id.to_owned());
        }
    }
    let text = canonical(space, &expected, t).to_string();
    (
        call_id,
        Some(quote! {
            let written = ::serde_json::to_value(&response).expect("the response serializes");
            assert_eq!(written, json(#text), "the spec's example response");
        }),
    )
}

/// Tests that a body without a required field, or with a value its enum does not list, gets `422`
/// with a pointer to the field (the first of each in the body's own fields).
fn refusals(
    space: &TypeSpace,
    op: &Operation,
    sample: &Value,
    t: &TypeRef,
    test: &Ident,
) -> TokenStream {
    let TypeRef::Named(id) = t else {
        return quote!();
    };
    let TypeKind::Struct(s) = &space.get(*id).kind else {
        return quote!();
    };
    let Value::Object(fields) = sample else {
        return quote!();
    };
    let mut path = op.path.clone();
    for p in &op.path_params {
        path = path.replace(&format!("{{{}}}", p.json_name), &encode_segment(PATH_VALUE));
    }
    let method = format_ident!("{}", op.method);
    // A test that the fake refuses `body`, naming the field at `pointer`.
    let refusal = |name: String, doc: String, body: serde_json::Map<String, Value>, wire: &str| {
        let name = ident(&name);
        let text = Value::Object(body).to_string();
        let pointer = format!("/{}", wire.replace('~', "~0").replace('/', "~1"));
        quote! {
            #[doc = #doc]
            #[tokio::test]
            async fn #name() {
                let fake = FakeTelnyx::start().await.expect("the fake starts");
                let pointers = refused(&fake, Method::#method, #path, json(#text)).await;
                assert_eq!(pointers, [#pointer]);
            }
        }
    };
    let word = |wire: &str| wire.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    let mut out = Vec::new();
    if let Some(f) = s
        .fields
        .iter()
        .find(|f| f.required && fields.contains_key(&f.json_name))
    {
        let mut body = fields.clone();
        body.shift_remove(&f.json_name);
        out.push(refusal(
            format!("{test}_without_{}", word(&f.json_name)),
            format!(
                " `{} {}` without `{}`: refused.",
                op.method, op.path, f.json_name
            ),
            body,
            &f.json_name,
        ));
    }
    let closed = s.fields.iter().find(|f| {
        matches!(&f.ty, TypeRef::Named(e) if matches!(space.get(*e).kind, TypeKind::StringEnum(_)))
    });
    if let Some(f) = closed {
        let mut body = fields.clone();
        body.insert(
            f.json_name.clone(),
            Value::String("not-a-listed-value".into()),
        );
        out.push(refusal(
            format!("{test}_with_an_unlisted_{}", word(&f.json_name)),
            format!(
                " `{} {}` with a `{}` its enum does not list: refused.",
                op.method, op.path, f.json_name
            ),
            body,
            &f.json_name,
        ));
    }
    quote!( #( #out )* )
}
