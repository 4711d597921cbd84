//! Emits `tests/webhook_events/cases.rs`: every webhook example of the spec parses into its own
//! variant, writes back what it read, and answers the accessors as its JSON says.

use crate::emit::rust::ident;
use crate::samples::Samples;
use crate::surface::WebhooksSurface;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Each accessor answers the delivery's value at the place the event's schema declares the field, and
/// `None` where it declares none.
fn accessor_checks(
    webhooks: &WebhooksSurface<'_>,
    event: usize,
    delivery: &serde_json::Value,
) -> TokenStream {
    let checks = webhooks.accessors.iter().map(|a| {
        let method = ident(a.accessor.method);
        let expected = a.reads[event].as_ref().and_then(|path| {
            let mut at = delivery;
            for key in &path.json {
                at = at.get(key)?;
            }
            at.as_str().map(str::to_owned)
        });
        let expected = match expected {
            Some(text) => quote!(::std::option::Option::Some(#text)),
            None => quote!(::std::option::Option::None),
        };
        let message = format!("{}()", a.accessor.method);
        quote!(assert_eq!(event.#method(), #expected, #message);)
    });
    quote!( #( #checks )* )
}

/// `tests/webhook_events/cases.rs`: every webhook with an example in the spec parses into its own variant
/// and writes back what it read; extra delivery fields are tolerated; unknown events are kept.
pub fn emit_event_tests(
    webhooks: &WebhooksSurface<'_>,
    samples: &Samples,
    lib: &str,
) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let cases = webhooks.events.iter().zip(&samples.events).enumerate().map(|(i, (e, fx))| {
        let source = if fx.from_spec {
            "the spec's example"
        } else {
            "a delivery synthesized from the schema"
        };
        let variant = ident(e.variant);
        let test = ident(&e.test);
        let text = fx.delivery.to_string();
        // Deliveries that fit the types must come back exactly (explicit nulls of optional fields read
        // as absent); others (undeclared keys) must at least write nothing they did not read.
        let round_trip = match &fx.written {
            Some(expected) => {
                let expected = expected.to_string();
                quote! {
                    let written = ::serde_json::to_value(&event).expect("serializes");
                    assert_eq!(written, json(#expected), "writes back every field it read");
                }
            }
            // Keys the schema does not declare are dropped: compare the declared part only.
            None => quote! {
                let written = ::serde_json::to_value(&event).expect("serializes");
                assert!(contains(&json(#text), &written), "every written field comes from the example: {written}");
            },
        };
        if !e.recognizable() {
            // Nothing selects this event (its event types are another's): its deliveries parse as
            // that one, or as `Unknown`.
            let doc = format!(" `{}`: {source} parses (as another event: nothing selects this one).", e.key);
            return quote! {
                #[doc = #doc]
                #[test]
                fn #test() {
                    let event = WebhookEvent::from_slice(#text.as_bytes()).expect("the delivery parses");
                    assert!(!matches!(event, WebhookEvent::#variant(_)), "read as {}", event.kind());
                }
            };
        }
        let doc = format!(" `{}`: {source} parses into `WebhookEvent::{}`.", e.key, e.variant);
        let accessors = accessor_checks(webhooks, i, &fx.delivery);
        let json_at = |path: &[String]| {
            path.iter()
                .try_fold(&fx.delivery, |at, key| at.get(key.as_str()))
                .cloned()
        };
        let event_type = match json_at(e.event_type_path).as_ref().and_then(|v| v.as_str()) {
            Some(t) => quote!(::std::option::Option::Some(#t)),
            None => quote!(::std::option::Option::None),
        };
        let payload = e.payload.as_ref().map(|p| {
            let present = json_at(&p.json).is_some_and(|v| v.is_object());
            let check = if present {
                quote!(assert!(body.payload().is_some(), "payload()");)
            } else {
                quote!(assert!(body.payload().is_none(), "payload()");)
            };
            quote! {
                let WebhookEvent::#variant(body) = &event else { panic!("wrong variant") };
                #check
            }
        });
        quote! {
            #[doc = #doc]
            #[test]
            fn #test() {
                let event = WebhookEvent::from_slice(#text.as_bytes()).expect("the delivery parses");
                assert!(matches!(event, WebhookEvent::#variant(_)), "wrong variant: {}", event.kind());
                #round_trip
                #accessors
                assert_eq!(event.event_type(), #event_type, "event_type()");
                #payload
            }
        }
    });
    let extra = webhooks.events.iter().find_map(|e| {
        let example = e.example?;
        example.get("data")?;
        let mut delivery = example.clone();
        delivery["meta"] = serde_json::json!({"attempt": 2, "delivered_to": "https://example.com/webhooks"});
        delivery["data"]["undeclared_field"] = serde_json::json!({"nested": [1, 2, 3]});
        let text = delivery.to_string();
        let variant = ident(e.variant);
        Some(quote! {
            /// Real deliveries carry fields the spec does not declare: they never fail a parse.
            #[test]
            fn undeclared_delivery_fields_are_ignored() {
                let event = WebhookEvent::from_slice(#text.as_bytes()).expect("parses");
                assert!(matches!(event, WebhookEvent::#variant(_)), "wrong variant: {}", event.kind());
            }
        })
    });
    quote! {
        use #lib::webhooks::WebhookEvent;

        fn json(text: &str) -> ::serde_json::Value {
            ::serde_json::from_str(text).expect("valid JSON")
        }

        /// Whether every key and value of `part` is also in `whole`.
        #[allow(dead_code)]
        fn contains(whole: &::serde_json::Value, part: &::serde_json::Value) -> bool {
            use ::serde_json::Value;
            match (whole, part) {
                (Value::Object(w), Value::Object(p)) => p.iter().all(|(k, v)| w.get(k).is_some_and(|wv| contains(wv, v))),
                (Value::Array(w), Value::Array(p)) => w.len() == p.len() && w.iter().zip(p).all(|(a, b)| contains(a, b)),
                (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                (a, b) => a == b,
            }
        }

        #( #cases )*

        #extra

        #[test]
        fn unknown_event_types_are_kept_as_json() {
            let body = r#"{"data": {"event_type": "call.something.new", "payload": {"x": 1}}}"#;
            let event = WebhookEvent::from_slice(body.as_bytes()).expect("parses");
            match event {
                WebhookEvent::Unknown(raw) => assert_eq!(raw["data"]["payload"]["x"], 1),
                other => panic!("expected Unknown, got {}", other.kind()),
            }
        }

        #[test]
        fn invalid_json_is_an_error() {
            assert!(WebhookEvent::from_slice(b"{\"data\": ").is_err());
        }
    }
}
