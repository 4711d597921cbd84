//! Emits `tests/fake_operations/cases.rs` (feature `testing`): every operation against the fake
//! Telnyx. The body the operation tests send is accepted, recorded with its operation, call and typed
//! body, and answered with the spec's example response; a body without one of its required fields,
//! or with a value its enum does not list, is refused with `422` naming the field.

use super::operations::params_setup;
use crate::emit::rust::ident;
use crate::emit::service_calls;
use crate::naming;
use crate::samples::{FakeSamples, OperationSamples, Refusal, Samples, PATH_VALUE};
use crate::surface::fake::Route;
use crate::surface::{OperationSurface, Surface};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

pub fn emit(surface: &Surface<'_>, samples: &Samples, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let cases = surface
        .operations
        .iter()
        .zip(&surface.fake.routes)
        .zip(samples.operations.iter().zip(&samples.fake))
        .map(|((op, route), (fx, fake))| case(op, route, fx, fake));
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

fn case(
    op: &OperationSurface<'_>,
    route: &Route<'_>,
    fx: &OperationSamples,
    fake: &FakeSamples,
) -> TokenStream {
    let json_body = match &route.body {
        None => None,
        Some(b) if b.json => b
            .typed
            .as_ref()
            .map(|_| fx.sent_bodies[0].clone().unwrap_or(Value::Null)),
        // Other media types are taken as sent; the operation tests cover their encoding.
        Some(_) => return quote!(),
    };
    let test = ident(&naming::operation_test(op.service, op.name));
    let path_args: Vec<TokenStream> = op.path_params.iter().map(|_| quote!(PATH_VALUE)).collect();
    let (params_setup, params_arg) = match &fx.params {
        Some(p) => (params_setup(p), Some(quote!(params))),
        None => (quote!(), None),
    };
    let (body_setup, body_arg, body_check) = match &json_body {
        Some(sample) => {
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
    let call_check = match fake.call_id {
        Some(id) => quote!(::std::option::Option::Some(#id)),
        None => quote!(::std::option::Option::None),
    };
    let response_check = fake.written.as_ref().map(|written| {
        let text = written.to_string();
        quote! {
            let written = ::serde_json::to_value(&response).expect("the response serializes");
            assert_eq!(written, json(#text), "the spec's example response");
        }
    });
    let binding = response_check.as_ref().map(|_| quote!(let response =));
    let args = path_args.iter().cloned().chain(params_arg).chain(body_arg);
    let call = service_calls(op.service);
    let name = ident(&op.main().with_params());
    let variant = ident(&route.variant);
    let doc = format!(
        " `{} {}`: the sample body is accepted, recorded and answered with the spec's example.",
        op.http_method, op.path
    );
    let refusals = fake.refusals.iter().map(|r| refusal(op, fake, r, &test));
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
        #( #refusals )*
    }
}

/// A test that the fake refuses a body without a required field, or with a value its enum does not
/// list, with `422` and a pointer to the field.
fn refusal(
    op: &OperationSurface<'_>,
    fake: &FakeSamples,
    r: &Refusal,
    test: &Ident,
) -> TokenStream {
    // The field's name in snake case, as a test name's word (`additionalInformation` too).
    let word = naming::snake(&r.field);
    let test = test.to_string();
    let (name, doc) = if r.unlisted {
        (
            naming::join_snake([test.as_str(), "with_an_unlisted", &word]),
            format!(
                " `{} {}` with a `{}` its enum does not list: refused.",
                op.http_method, op.path, r.field
            ),
        )
    } else {
        (
            naming::join_snake([test.as_str(), "without", &word]),
            format!(
                " `{} {}` without `{}`: refused.",
                op.http_method, op.path, r.field
            ),
        )
    };
    let name = ident(&name);
    let method = format_ident!("{}", op.http_method);
    let path = &fake.path;
    let text = r.body.to_string();
    let pointer = format!("/{}", r.field.replace('~', "~0").replace('/', "~1"));
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #name() {
            let fake = FakeTelnyx::start().await.expect("the fake starts");
            let pointers = refused(&fake, Method::#method, #path, json(#text)).await;
            assert_eq!(pointers, [#pointer]);
        }
    }
}
