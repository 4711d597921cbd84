//! Emits the `types` module: one file per component schema (inline types live with the component they
//! were written in), and `builders.rs` with the typed builders of request types.

use super::docs::{docs, Para};
use super::paths::PRIVATE;
use super::rust::ident;
use super::structs;
use crate::naming;
use crate::surface::features::{Features, Gate};
use crate::surface::{FromImpl, Shape, Surface, TaggedSurface, TypeSurface, UntaggedSurface};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The types files: stem → the types it holds, in the surface's order. Each is emitted on its own
/// ([`emit_file`]), next to [`emit_index`].
pub fn files<'s, 'm>(surface: &'s Surface<'m>) -> BTreeMap<&'s str, Vec<&'s TypeSurface<'m>>> {
    let mut files: BTreeMap<&str, Vec<&TypeSurface<'m>>> = BTreeMap::new();
    for t in &surface.types {
        files.entry(&t.file).or_default().push(t);
    }
    files
}

/// One types file. (Collected rather than interpolated: `quote!` would copy each item's tokens.) The
/// file is compiled when any of its types is; a type compiled with fewer features than its file is
/// kept in a module of its own, compiled with them.
pub fn emit_file(types: &[&TypeSurface<'_>], features: &Features) -> TokenStream {
    let gates: Vec<Gate> = types.iter().map(|t| features.of_type(t.id)).collect();
    let file_gate = Features::any(&gates);
    types
        .iter()
        .zip(&gates)
        .map(|(t, gate)| {
            let tokens = emit_type(t);
            if *gate == file_gate {
                return tokens;
            }
            let module = format_ident!("gated_{}", naming::snake(t.name));
            let cfg = gate.cfg();
            quote! {
                #cfg
                mod #module {
                    #tokens
                }
                #cfg
                pub use #module::*;
            }
        })
        .collect()
}

/// `(file stem, tokens)` of `mod.rs` and `builders.rs`.
pub fn emit_index(surface: &Surface<'_>) -> Vec<(String, TokenStream)> {
    let features = &surface.features;
    // Builders grouped by gate: those of one gate in a module of their own, compiled with it.
    let mut builders: BTreeMap<Gate, Vec<TokenStream>> = BTreeMap::new();
    for t in &surface.types {
        if let Shape::Struct(lowered) = &t.shape {
            if let Some(builder) = structs::builder(lowered) {
                builders
                    .entry(features.of_type(t.id))
                    .or_default()
                    .push(builder);
            }
        }
    }
    let builders = builders
        .into_iter()
        .enumerate()
        .map(|(index, (gate, items))| {
            if gate.is_always() {
                return quote!( #( #items )* );
            }
            let module = builders_module(&gate, index);
            let cfg = gate.cfg();
            quote! {
                #cfg
                mod #module {
                    #( #items )*
                }
                #cfg
                pub use #module::*;
            }
        });
    let mods = files(surface).into_iter().map(|(f, types)| {
        let module = format_ident!("{}", f);
        let cfg = Features::any(
            types
                .iter()
                .map(|t| features.of_type(t.id))
                .collect::<Vec<_>>()
                .iter(),
        )
        .cfg();
        quote!( #cfg mod #module; #cfg pub use #module::*; )
    });
    let mod_rs = quote! {
        //! The spec's schemas as Rust types: request bodies with builders, responses, and everything they
        //! contain. Components keep the spec's names in UpperCamelCase; a schema written inside another
        //! is named after its place (`StartRecordingRequestChannels`). Places with identical shapes may be
        //! aliases of one definition: name each by its own name, which stays when the shapes part. A
        //! type only the operations of some services use is compiled with their features.
        // Types nest as deep as the spec's schemas do (a map of lists of optional maps): that is the
        // shape of the data, not something a name would simplify.
        #![allow(clippy::type_complexity)]
        #( #mods )*
        pub mod builders;
    };
    let builders_rs = quote! {
        //! Typed builders of request types with required fields: `build()` exists only once every
        //! required field is set, so a request cannot be sent without them, and each value is named at
        //! the call site.
        #( #builders )*
    };
    vec![
        ("mod".to_owned(), mod_rs),
        ("builders".to_owned(), builders_rs),
    ]
}

/// The module of the builders of one gate: named after its features (`for_conferences_or_queues`), or
/// after its place among the gates when that would be long.
fn builders_module(gate: &Gate, index: usize) -> Ident {
    let features: Vec<String> = gate.features().map(|f| f.replace('-', "_")).collect();
    let name = format!("for_{}", features.join("_or_"));
    if name.len() <= 48 {
        format_ident!("{}", name)
    } else {
        format_ident!("for_gate_{}", index)
    }
}

fn emit_type(t: &TypeSurface<'_>) -> TokenStream {
    let tokens = emit_shape(t);
    match t.hidden {
        true => quote!(#[doc(hidden)] #tokens),
        false => tokens,
    }
}

fn emit_shape(t: &TypeSurface<'_>) -> TokenStream {
    match &t.shape {
        Shape::Struct(lowered) => structs::structure(lowered, t.undescribed.as_deref()),
        Shape::StringEnum(values) => string_enum(t, values),
        Shape::IntEnum(values) => int_enum(t, values),
        Shape::Tagged(u) => tagged(t, u),
        Shape::Untagged(u) => untagged(t, u),
        Shape::Alias(a) => {
            let name = ident(t.name);
            let shared = a.shares.map(|_| {
                "One definition serves every place of this shape. Name this type where you mean this \
                 place: it becomes a type of its own if the shapes ever differ."
                    .to_owned()
            });
            let docs = docs([
                Para::Spec(t.doc),
                Para::Own(t.undescribed.as_deref()),
                Para::Own(shared.as_deref()),
            ]);
            let target = a.target.tokens();
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

/// `impl From<source> for union` (and `From<&str>` where asked) into `variant`.
fn from_impls(union: &Ident, variant: &Ident, from: &FromImpl) -> TokenStream {
    let source = from.source.tokens();
    let wrap = boxed_value(from.boxed);
    let from_str = from.from_str.then(|| {
        quote! {
            impl ::std::convert::From<&str> for #union {
                fn from(value: &str) -> Self {
                    Self::#variant(value.to_owned())
                }
            }
        }
    });
    quote! {
        impl ::std::convert::From<#source> for #union {
            fn from(value: #source) -> Self {
                Self::#variant(#wrap)
            }
        }
        #from_str
    }
}

const UNKNOWN_KEPT: &str =
    "Unknown values are kept in `Unknown`, so a value added to the API later still parses.";

fn string_enum(t: &TypeSurface<'_>, values: &[(&str, &str)]) -> TokenStream {
    let name = ident(t.name);
    let docs = docs([
        Para::Spec(t.doc),
        Para::Own(t.undescribed.as_deref()),
        Para::Own(Some(UNKNOWN_KEPT)),
    ]);
    let variants: Vec<_> = values.iter().map(|(v, _)| ident(v)).collect();
    let strs: Vec<&str> = values.iter().map(|(_, s)| *s).collect();
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
            /// The variant for a wire value; a value this crate does not know becomes `Unknown`.
            ///
            /// There is no `From<&str>`: a setter takes the enum, so a typo does not compile, and
            /// a value newer than the crate is written out with this or `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #( #strs => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
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
                #PRIVATE::deserialize_str(deserializer, Self::from_wire)
            }
        }
    }
}

fn int_enum(t: &TypeSurface<'_>, values: &[(&str, i64)]) -> TokenStream {
    let name = ident(t.name);
    let docs = docs([
        Para::Spec(t.doc),
        Para::Own(t.undescribed.as_deref()),
        Para::Own(Some(UNKNOWN_KEPT)),
    ]);
    let variants: Vec<_> = values.iter().map(|(v, _)| ident(v)).collect();
    let nums: Vec<i64> = values.iter().map(|(_, n)| *n).collect();
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
            /// The variant for a wire value; a value this crate does not know becomes `Unknown`.
            ///
            /// There is no `From<i64>`: a setter takes the enum, so a stray number does not compile.
            pub fn from_value(value: i64) -> Self {
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
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from_value)
            }
        }
    }
}

fn tagged(t: &TypeSurface<'_>, u: &TaggedSurface<'_>) -> TokenStream {
    let name = ident(t.name);
    let tag = u.tag;
    let note = format!(
        "Tagged by `{tag}`; a tag this version of the crate does not know reads as `Unknown`."
    );
    let docs = docs([
        Para::Spec(t.doc),
        Para::Own(t.undescribed.as_deref()),
        Para::Own(Some(note.as_str())),
    ]);
    let variants = u.variants.iter().map(|v| {
        let vname = ident(v.name);
        let first = &v.tags[0];
        let doc = format!(" `{tag}: {first}`");
        match &v.value {
            Some(value) => {
                let inner = value.tokens();
                quote! { #[doc = #doc] #vname(#inner), }
            }
            None => quote! { #[doc = #doc] #vname, },
        }
    });
    let froms = u
        .variants
        .iter()
        .filter_map(|v| Some(from_impls(&name, &ident(v.name), v.from.as_ref()?)));
    let serde = super::serde_impls::tagged_impls(t.name, u);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        // Variant sizes follow the spec; boxing some would make construction uneven for no gain here.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants )*
            /// A variant this version of the crate does not know (its fields are not kept).
            Unknown,
        }
        #( #froms )*
        #serde
    }
}

fn untagged(t: &TypeSurface<'_>, u: &UntaggedSurface<'_>) -> TokenStream {
    let name = ident(t.name);
    let docs = docs([
        Para::Spec(t.doc),
        Para::Own(t.undescribed.as_deref()),
        Para::Own(Some("One of several shapes; the first that fits is taken.")),
    ]);
    let variants = u.variants.iter().map(|v| {
        let vname = ident(v.name);
        let inner = v.value.tokens();
        let doc = format!(" A value of the shape `{}`.", v.value);
        quote! { #[doc = #doc] #vname(#inner), }
    });
    let froms = u
        .variants
        .iter()
        .filter_map(|v| Some(from_impls(&name, &ident(v.name), v.from.as_ref()?)));
    let serde = super::serde_impls::untagged_impls(t.name, u);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants )*
        }
        #( #froms )*
        #serde
    }
}
