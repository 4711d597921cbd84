//! Emits the `types` module: one file per component schema (inline types live with the component they
//! were written in), and `builders.rs` with the typed builders of request types.

use super::docs::{doc_attrs, paragraphs};
use super::rust::{ident, ty};
use super::structs;
use crate::model::types::*;
use crate::naming::{self, snake};
use crate::surface::{Deserialize, RustType, Surface};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// `(file stem, tokens)` for every types file, plus `mod.rs` and `builders.rs`.
pub fn emit_types(space: &TypeSpace, surface: &Surface<'_>) -> Vec<(String, TokenStream)> {
    let mut files: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    let mut builders = Vec::new();
    let components: BTreeMap<&str, &str> = space
        .emitted()
        .into_iter()
        .filter_map(|(_, d)| match &d.origin {
            Origin::Component(n) => Some((n.as_str(), d.name.as_str())),
            _ => None,
        })
        .collect();
    for (id, def) in space.emitted() {
        let file = file_of(&components, def);
        let tokens = match (&def.kind, surface.structs.get(&id)) {
            (TypeKind::Struct(s), Some(lowered)) => {
                builders.extend(structs::builder(lowered));
                structs::structure(lowered, &s.constraints)
            }
            _ => emit_def(space, def),
        };
        files.entry(file).or_default().push(tokens);
    }
    let mods = files.keys().map(|f| format_ident!("{}", f));
    let mods2 = mods.clone();
    let mod_rs = quote! {
        //! The spec's schemas as Rust types: request bodies with builders, responses, and everything they
        //! contain. Components keep the spec's names in UpperCamelCase; a schema written inside another
        //! is named after its place (`StartRecordingRequestChannels`). Places with identical shapes may be
        //! aliases of one definition: name each by its own name, which stays when the shapes part.
        #( mod #mods; pub use #mods2::*; )*
        pub mod builders;
    };
    let mut out = vec![("mod".to_owned(), mod_rs)];
    let builders_rs = quote! {
        //! Typed builders of request types with required fields: `build()` exists only once every
        //! required field is set, so a request cannot be sent without them, and each value is named at
        //! the call site.
        #( #builders )*
    };
    out.push(("builders".to_owned(), builders_rs));
    out.extend(files.into_iter().map(|(f, items)| (f, quote!(#(#items)*))));
    out
}

/// Inline types live in the file of the component they were written in (`components` maps spec names
/// of emitted components to their Rust names).
fn file_of(components: &BTreeMap<&str, &str>, def: &TypeDef) -> String {
    let tokens: Vec<String> = def.pointer.tokens().collect();
    let owner = match tokens.as_slice() {
        [c, s, name, _, ..] if c == "components" && s == "schemas" => {
            components.get(name.as_str()).copied()
        }
        _ => None,
    };
    module_name(owner.unwrap_or(&def.name))
}

fn module_name(type_name: &str) -> String {
    crate::naming::module_name(&snake(type_name))
}

fn emit_def(space: &TypeSpace, def: &TypeDef) -> TokenStream {
    match &def.kind {
        // Structs are rendered from their surface (see `emit_types`).
        TypeKind::Struct(_) => quote!(),
        TypeKind::StringEnum(values) => string_enum(def, values),
        TypeKind::IntEnum(values) => int_enum(def, values),
        TypeKind::Tagged(u) => tagged(space, def, u),
        TypeKind::Untagged(vs) => untagged(space, def, vs),
        TypeKind::Alias(t) => {
            let name = ident(&def.name);
            let shared = def.shared.then(|| t.named()).flatten().map(|id| {
                format!(
                    "The same shape as [`{0}`](crate::types::{0}), so the two share one definition. \
                     Name this type where you mean this place: it becomes a type of its own if the two \
                     ever differ.",
                    naming::ident_text(space.name(id))
                )
            });
            let docs = doc_attrs(&paragraphs([def.doc.as_deref(), shared.as_deref()]));
            let target = ty(space, t);
            quote! { #docs pub type #name = #target; }
        }
    }
}

/// The expression that puts `value` into a variant, boxing it when the variant is boxed.
fn boxed_value(boxed: bool) -> TokenStream {
    if boxed {
        quote!(::std::boxed::Box::new(value))
    } else {
        quote!(value)
    }
}

fn string_enum(def: &TypeDef, values: &[EnumValue<String>]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&paragraphs([
        def.doc.as_deref(),
        Some(
            "Unknown values are kept in `Unknown`, so a value added to the API later still parses.",
        ),
    ]));
    let variants: Vec<_> = values.iter().map(|v| ident(&v.name)).collect();
    let strs: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = strs.iter().map(|s| format!(" `{}`", s.replace('`', "'")));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the crate does not know.
            Unknown(::std::string::String),
        }
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #strs, )*
                    Self::Unknown(value) => value,
                }
            }
            fn from_wire(value: &str) -> Self {
                match value {
                    #( #strs => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::serde_support::deserialize_str(deserializer, Self::from_wire)
            }
        }
    }
}

fn int_enum(def: &TypeDef, values: &[EnumValue<i64>]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&paragraphs([
        def.doc.as_deref(),
        Some(
            "Unknown values are kept in `Unknown`, so a value added to the API later still parses.",
        ),
    ]));
    let variants: Vec<_> = values.iter().map(|v| ident(&v.name)).collect();
    let nums: Vec<i64> = values.iter().map(|v| v.value).collect();
    let variant_docs = nums.iter().map(|n| format!(" `{n}`"));
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the crate does not know.
            Unknown(i64),
        }
        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #( Self::#variants => #nums, )*
                    Self::Unknown(value) => value,
                }
            }
        }
        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #nums => Self::#variants, )*
                    other => Self::Unknown(other),
                }
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn tagged(space: &TypeSpace, def: &TypeDef, u: &TaggedUnion) -> TokenStream {
    let name = ident(&def.name);
    let tag = &u.tag;
    let docs = doc_attrs(&paragraphs([
        def.doc.as_deref(),
        Some(format!("Tagged by `{tag}`; a tag this version of the crate does not know reads as `Unknown`.").as_str()),
    ]));
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let first = &v.tags[0];
        let aliases = v.tags[1..].iter().map(|a| quote!(alias = #a,));
        let doc = format!(" `{tag}: {first}`");
        match v.ty {
            Some(id) => {
                let inner = RustType::of(space, &TypeRef::Named(id))
                    .boxed_if(v.boxed)
                    .tokens();
                quote! { #[doc = #doc] #[serde(rename = #first, #(#aliases)*)] #vname(#inner), }
            }
            None => quote! { #[doc = #doc] #[serde(rename = #first, #(#aliases)*)] #vname, },
        }
    });
    // `From<Variant>` lets setters take a variant's struct directly.
    let mut seen = BTreeMap::new();
    for v in &u.variants {
        if let Some(id) = v.ty {
            *seen.entry(space.definition(id)).or_insert(0) += 1;
        }
    }
    let froms = u.variants.iter().filter_map(|v| {
        let id = v.ty?;
        (seen[&space.definition(id)] == 1).then(|| {
            let vname = ident(&v.name);
            let inner = ty(space, &TypeRef::Named(id));
            let wrap = boxed_value(v.boxed);
            quote! {
                impl ::std::convert::From<#inner> for #name {
                    fn from(value: #inner) -> Self {
                        Self::#vname(#wrap)
                    }
                }
            }
        })
    });
    let deserialize = structs::derive_deserialize(Deserialize::of(def));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #deserialize
        #[serde(tag = #tag)]
        #[non_exhaustive]
        // Variant sizes follow the spec; boxing some would make construction uneven for no gain here.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants )*
            /// A variant this version of the crate does not know (its fields are not kept).
            #[serde(other, skip_serializing)]
            Unknown,
        }
        #( #froms )*
    }
}

fn untagged(space: &TypeSpace, def: &TypeDef, vs: &[UntaggedVariant]) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&paragraphs([
        def.doc.as_deref(),
        Some("One of several shapes; the first that fits is taken."),
    ]));
    let variants = vs.iter().map(|v| {
        let vname = ident(&v.name);
        let inner = RustType::of(space, &v.ty).boxed_if(v.boxed).tokens();
        quote! { #vname(#inner), }
    });
    // One `From` per Rust type: variants of one type (after aliases) would make the impls conflict.
    let mut counts: BTreeMap<TypeRef, usize> = BTreeMap::new();
    for v in vs {
        *counts.entry(space.identity(&v.ty)).or_default() += 1;
    }
    let froms = vs
        .iter()
        .filter(|v| counts[&space.identity(&v.ty)] == 1)
        .map(|v| {
            let vname = ident(&v.name);
            let inner = ty(space, &v.ty);
            let wrap = boxed_value(v.boxed);
            let from_str = matches!(v.ty, TypeRef::String).then(|| {
                quote! {
                    impl ::std::convert::From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#vname(value.to_owned())
                        }
                    }
                }
            });
            quote! {
                impl ::std::convert::From<#inner> for #name {
                    fn from(value: #inner) -> Self {
                        Self::#vname(#wrap)
                    }
                }
                #from_str
            }
        });
    let deserialize = structs::derive_deserialize(Deserialize::of(def));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #deserialize
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants )*
        }
        #( #froms )*
    }
}
