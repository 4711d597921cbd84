//! Emits `tests/serde_oracle/`: the crate's types once more, with `serde_derive` doing their serde as
//! the crate did before it wrote its own, and tests that read every sample of the spec (request
//! bodies, responses, deliveries, the schemas' examples), and mutated deliveries, through both: the
//! same values, the same JSON back, and the same errors but for where in the input they point.

use crate::emit::rust::ident;
use crate::samples::Samples;
use crate::surface::{
    BodyKind, ResponseRead, RustType, Shape, Storage, StructSurface, Surface, TypeSurface,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `tests/serde_oracle/types.rs`: every type with derived serde.
pub fn emit_types(surface: &Surface<'_>) -> TokenStream {
    let types = surface.types.iter().map(oracle_type);
    quote! {
        //! The crate's types with derived serde: the oracle the crate's own impls are held against.
        #![allow(dead_code, clippy::all)]

        /// Optional nullable fields: a present key is `Some`, so `null` reads as `Some(None)`.
        fn present<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: ::serde::Deserialize<'de>,
        {
            <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer).map(::std::option::Option::Some)
        }

        #( #types )*
    }
}

fn oracle_type(t: &TypeSurface<'_>) -> TokenStream {
    let name = ident(t.name);
    match &t.shape {
        Shape::Struct(s) => oracle_struct(s),
        Shape::StringEnum(values) => {
            let variants: Vec<_> = values.iter().map(|(v, _)| ident(v)).collect();
            let strs: Vec<&str> = values.iter().map(|(_, s)| *s).collect();
            quote! {
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name { #( #variants, )* Unknown(::std::string::String) }
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        let wire: &str = match self { #( Self::#variants => #strs, )* Self::Unknown(v) => v };
                        serializer.serialize_str(wire)
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let wire = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                        ::std::result::Result::Ok(match wire.as_str() {
                            #( #strs => Self::#variants, )*
                            _ => Self::Unknown(wire),
                        })
                    }
                }
            }
        }
        Shape::IntEnum(values) => {
            let variants: Vec<_> = values.iter().map(|(v, _)| ident(v)).collect();
            let nums: Vec<i64> = values.iter().map(|(_, n)| *n).collect();
            quote! {
                #[derive(Debug, Clone, Copy, PartialEq)]
                pub enum #name { #( #variants, )* Unknown(i64) }
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_i64(match self { #( Self::#variants => #nums, )* Self::Unknown(v) => *v })
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let n = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                        ::std::result::Result::Ok(match n { #( #nums => Self::#variants, )* other => Self::Unknown(other) })
                    }
                }
            }
        }
        Shape::Tagged(u) => {
            let tag = u.tag;
            let variants = u.variants.iter().map(|v| {
                let vname = ident(v.name);
                let first = &v.tags[0];
                let aliases = v.tags[1..].iter().map(|a| quote!(alias = #a,));
                match &v.value {
                    Some(value) => {
                        let inner = value.tokens();
                        quote! { #[serde(rename = #first, #(#aliases)*)] #vname(#inner), }
                    }
                    None => quote! { #[serde(rename = #first, #(#aliases)*)] #vname, },
                }
            });
            quote! {
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(tag = #tag)]
                pub enum #name {
                    #( #variants )*
                    #[serde(other, skip_serializing)]
                    Unknown,
                }
            }
        }
        Shape::Untagged(u) => {
            let variants = u.variants.iter().map(|v| {
                let vname = ident(v.name);
                let inner = v.value.tokens();
                quote! { #vname(#inner), }
            });
            quote! {
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                pub enum #name { #( #variants )* }
            }
        }
        Shape::Alias(a) => {
            let target = a.target.tokens();
            quote!(pub type #name = #target;)
        }
    }
}

fn oracle_struct(s: &StructSurface<'_>) -> TokenStream {
    let name = ident(s.name);
    let fields = s.fields.iter().map(|f| {
        let fname = ident(f.word);
        let fty = f.stored().tokens();
        let rename = f.rename.then(|| {
            let json = f.json_name;
            quote!(#[serde(rename = #json)])
        });
        let attrs = match f.storage {
            Storage::Plain => quote!(),
            Storage::RequiredNullable => quote!(#[serde(default)]),
            Storage::Optional => {
                quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])
            }
            Storage::ThreeState => quote! {
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none", deserialize_with = "present")]
            },
        };
        quote! { #rename #attrs pub #fname: #fty, }
    });
    let additional = s.additional.as_ref().map(|a| {
        let aty = a.tokens();
        quote! {
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #aty>,
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #( #fields )*
            #additional
        }
    }
}

/// `tests/serde_oracle/cases.rs`: the samples, each read by the crate's type and by the oracle's.
pub fn emit_cases(surface: &Surface<'_>, samples: &Samples, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let external = |t: &RustType| super::bench_samples::external(t.tokens(), &lib);
    let mut entries: Vec<TokenStream> = Vec::new();
    let mut push = |label: String, ty: &RustType, value: &serde_json::Value| {
        let (ours, oracle) = (external(ty), ty.tokens());
        let text = value.to_string();
        entries.push(quote!((#label, #text, read::<#ours>, read::<#oracle>),));
    };
    for (op, fx) in surface.operations.iter().zip(&samples.operations) {
        for (i, m) in op.methods.iter().enumerate() {
            let typed = m
                .body
                .as_ref()
                .is_some_and(|b| b.typed && matches!(b.kind, BodyKind::Json { .. }));
            if let (true, Some(sent), Some(arg)) = (typed, &fx.sent_bodies[i], m.args.last()) {
                push(format!("{} request body", m.name), &arg.ty, sent);
            }
        }
        if let (Some(response), ResponseRead::Json) = (&fx.response, &op.read) {
            push(
                format!("{} response", op.name),
                &op.main().returns,
                &response.value,
            );
        }
    }
    let mut events = Vec::new();
    for (e, fx) in surface.webhooks.events.iter().zip(&samples.events) {
        if e.json_body {
            continue;
        }
        let (ours, oracle) = (external(&e.body), e.body.tokens());
        let text = fx.delivery.to_string();
        let key = e.key;
        events.push(quote!((#key, #text, read::<#ours>, read::<#oracle>),));
        push(format!("{} delivery", e.key), &e.body, &fx.delivery);
    }
    for t in &surface.types {
        if let (Some(example), false) = (t.example, matches!(t.shape, Shape::Alias(_))) {
            let ty = RustType::Named(t.name.to_owned());
            push(format!("{} example", t.name), &ty, example);
        }
    }
    let mut tags: Vec<&str> = surface
        .types
        .iter()
        .filter_map(|t| match &t.shape {
            Shape::Tagged(u) => Some(u.tag),
            _ => None,
        })
        .collect();
    tags.sort_unstable();
    tags.dedup();
    quote! {
        use ::serde_json::Value;

        /// What reading a text gave: the value written back and its `Debug`, or the error without the
        /// place in the input it points at (buffered unions report the end of the union).
        #[derive(Debug, PartialEq)]
        pub enum Outcome {
            Read { written: Value, debug: ::std::string::String },
            Refused(::std::string::String),
        }

        pub type Read = fn(&str) -> Outcome;

        fn read<T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::std::fmt::Debug>(text: &str) -> Outcome {
            match ::serde_json::from_str::<T>(text) {
                Ok(value) => Outcome::Read {
                    written: ::serde_json::to_value(&value).unwrap_or_else(|e| Value::String(format!("write failed: {e}"))),
                    debug: format!("{value:?}"),
                },
                Err(e) => {
                    let message = e.to_string();
                    let message = match message.find(" at line ") {
                        Some(at) => message[..at].to_owned(),
                        None => message,
                    };
                    Outcome::Refused(message)
                }
            }
        }

        /// `(what, JSON, the crate's read, the oracle's read)` for every sample.
        pub const SAMPLES: &[(&str, &str, Read, Read)] = &[ #( #entries )* ];

        /// `(event key, delivery, the crate's read, the oracle's read)` for every typed event.
        pub const EVENTS: &[(&str, &str, Read, Read)] = &[ #( #events )* ];

        /// The properties that tag a union somewhere in the crate.
        pub const TAGS: &[&str] = &[ #( #tags ),* ];
    }
}
