//! Emits the `types` module: one file per component schema (inline types live with the component they
//! were written in), and `builders.rs` with the typed builders of request types.

use super::docs::{doc_attrs, paragraphs};
use super::rust::{ident, ty};
use crate::model::types::*;
use crate::naming::{snake, unraw, upper_camel};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// `(file stem, tokens)` for every types file, plus `mod.rs` and `builders.rs`.
pub fn emit_types(space: &TypeSpace) -> Vec<(String, TokenStream)> {
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
    for (_, def) in space.emitted() {
        let file = file_of(&components, def);
        files.entry(file).or_default().push(emit_def(space, def));
        if let TypeKind::Struct(s) = &def.kind {
            if def.in_request && has_builder(space, s) {
                builders.push(builder(space, def, s));
            }
        }
    }
    let mods = files.keys().map(|f| format_ident!("{}", f));
    let mods2 = mods.clone();
    let mod_rs = quote! {
        //! The spec's schemas as Rust types: request bodies with builders, responses, and everything they
        //! contain. Names keep the spec's schema names in UpperCamelCase.
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

/// `Deserialize` for types a response or webhook carries. Types only ever sent get it with the
/// `deserialize-requests` feature: the client never reads them, and without the derive the crate
/// checks markedly faster (the numbers are in the README's benchmark section).
fn derive_deserialize(def: &TypeDef) -> TokenStream {
    if def.in_response || !def.in_request {
        quote!(#[derive(::serde::Deserialize)])
    } else {
        quote!(#[cfg_attr(feature = "deserialize-requests", derive(::serde::Deserialize))])
    }
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
    let s = snake(type_name);
    match s.strip_prefix("r#") {
        Some(raw) => format!("{raw}_"),
        None => s,
    }
}

fn emit_def(space: &TypeSpace, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => structure(space, def, s),
        TypeKind::StringEnum(values) => string_enum(def, values),
        TypeKind::IntEnum(values) => int_enum(def, values),
        TypeKind::Tagged(u) => tagged(space, def, u),
        TypeKind::Untagged(vs) => untagged(space, def, vs),
        TypeKind::Alias(t) => {
            let name = ident(&def.name);
            let docs = doc_attrs(def.doc.as_deref().unwrap_or(""));
            let target = ty(space, t);
            quote! { #docs pub type #name = #target; }
        }
    }
}

/// How a field is stored: `T`, `Option<T>`, or `Option<Option<T>>` (absent / null / value) for optional
/// nullable fields of request types.
pub(super) enum Storage {
    Plain,
    Optional,
    RequiredNullable,
    ThreeState,
}

pub(super) fn storage(def: &TypeDef, f: &Field) -> Storage {
    match (f.required, f.nullable) {
        (true, false) => Storage::Plain,
        (true, true) => Storage::RequiredNullable,
        (false, true) if def.in_request => Storage::ThreeState,
        (false, _) => Storage::Optional,
    }
}

fn field_value_type(space: &TypeSpace, f: &Field) -> TokenStream {
    let base = ty(space, &f.ty);
    if f.boxed {
        quote!(::std::boxed::Box<#base>)
    } else {
        base
    }
}

fn field_type(space: &TypeSpace, def: &TypeDef, f: &Field) -> TokenStream {
    let value = field_value_type(space, f);
    match storage(def, f) {
        Storage::Plain => value,
        Storage::Optional | Storage::RequiredNullable => quote!(::std::option::Option<#value>),
        Storage::ThreeState => quote!(::std::option::Option<::std::option::Option<#value>>),
    }
}

fn field_doc(f: &Field) -> String {
    let deprecated = f.deprecated.then_some("**Deprecated.**");
    paragraphs([f.doc.as_deref(), deprecated])
}

fn structure(space: &TypeSpace, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let constraints = s.constraints.join("\n\n");
    let docs = doc_attrs(&paragraphs([
        def.doc.as_deref(),
        Some(constraints.as_str()),
    ]));
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let fty = field_type(space, def, f);
        let docs = doc_attrs(&field_doc(f));
        let rename = (unraw(&f.name) != f.json_name).then(|| {
            let json = &f.json_name;
            quote!(#[serde(rename = #json)])
        });
        let attrs = match storage(def, f) {
            Storage::Plain => quote!(),
            Storage::RequiredNullable => quote!(#[serde(default)]),
            Storage::Optional => {
                quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])
            }
            Storage::ThreeState => quote! {
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none", deserialize_with = "crate::serde_support::present")]
            },
        };
        quote! { #docs #rename #attrs pub #fname: #fty, }
    });
    let additional = s.additional.as_ref().map(|a| {
        let aty = ty(space, a);
        quote! {
            /// Properties beyond the declared ones (the schema allows them).
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #aty>,
        }
    });
    let derive_default = s.fields.iter().all(|f| !f.required || f.nullable);
    let default = derive_default.then(|| quote!(Default,));
    let helpers = def
        .in_request
        .then(|| request_helpers(space, def, s, derive_default));
    let deserialize = derive_deserialize(def);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize)]
        #deserialize
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            #additional
        }
        #helpers
    }
}

/// Whether a request struct gets a typed builder (it has required fields to name).
pub fn has_builder(space: &TypeSpace, s: &Struct) -> bool {
    s.fields
        .iter()
        .any(|f| f.required && constant_value(space, f).is_none())
}

/// A required field whose type has exactly one value needs no argument: it is filled in.
fn constant_value(space: &TypeSpace, f: &Field) -> Option<TokenStream> {
    let TypeRef::Named(id) = &f.ty else {
        return None;
    };
    let def = space.get(*id);
    match &def.kind {
        TypeKind::StringEnum(values) if values.len() == 1 => {
            let t = ident(&def.name);
            let v = ident(&values[0].name);
            let value = quote!(crate::types::#t::#v);
            Some(if f.boxed {
                quote!(::std::boxed::Box::new(#value))
            } else {
                value
            })
        }
        _ => None,
    }
}

/// `new()`/`builder()` and setters for optional fields of request types.
fn request_helpers(space: &TypeSpace, def: &TypeDef, s: &Struct, has_default: bool) -> TokenStream {
    let name = ident(&def.name);
    let constructor = if has_builder(space, s) {
        let builder = format_ident!("{}Builder", unraw(&def.name));
        let required: Vec<&Field> = s
            .fields
            .iter()
            .filter(|f| f.required && constant_value(space, f).is_none())
            .collect();
        let list = required
            .iter()
            .map(|f| format!("`{}`", unraw(&f.name)))
            .collect::<Vec<_>>()
            .join(", ");
        let units = required.iter().map(|_| quote!(()));
        let inits = required.iter().map(|f| {
            let n = ident(&f.name);
            quote!(#n: ())
        });
        let doc = format!(" Starts a builder: set {list}, then call `build()`.");
        quote! {
            #[doc = #doc]
            // One type parameter per required field: long, but it is what makes a missing field an error.
            #[allow(clippy::type_complexity)]
            pub fn builder() -> crate::types::builders::#builder<#(#units),*> {
                crate::types::builders::#builder { #(#inits,)* }
            }
        }
    } else if has_default {
        quote! {
            /// An empty request: every field is optional.
            pub fn new() -> Self {
                ::std::default::Default::default()
            }
        }
    } else {
        quote!()
    };
    let setters = s
        .fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| setter(space, def, f));
    let client_state = client_state_json(s);
    quote! {
        impl #name {
            #constructor
            #( #setters )*
            #client_state
        }
    }
}

/// `client_state_json(&state)` next to the `client_state` setter of a request: the state as JSON, then
/// base64, which events caused by the request carry back.
fn client_state_json(s: &Struct) -> Option<TokenStream> {
    let field = s.fields.iter().find(|f| {
        f.json_name == "client_state" && !f.required && matches!(f.ty, TypeRef::String)
    })?;
    if s.fields
        .iter()
        .any(|f| unraw(&f.name) == "client_state_json")
    {
        return None;
    }
    let setter = ident(&field.name);
    Some(quote! {
        /// Sets `client_state` to `state` written as JSON, then base64
        /// ([`crate::client_state::encode_json`]). Events caused by this request carry it back;
        /// `WebhookEvent::client_state_json` reads it.
        pub fn client_state_json<T: ::serde::Serialize + ?::std::marker::Sized>(
            self,
            state: &T,
        ) -> ::std::result::Result<Self, crate::ClientStateError> {
            ::std::result::Result::Ok(self.#setter(crate::client_state::encode_json(state)?))
        }
    })
}

fn setter(space: &TypeSpace, def: &TypeDef, f: &Field) -> TokenStream {
    let field = ident(&f.name);
    let bare = unraw(&f.name);
    let method = match bare {
        "new" | "builder" | "build" => format_ident!("set_{}", bare),
        _ => ident(&f.name),
    };
    let value_ty = ty(space, &f.ty);
    let wrap = if f.boxed {
        quote!(::std::boxed::Box::new(value.into()))
    } else {
        quote!(value.into())
    };
    let doc = format!(" Sets `{}`.", f.json_name);
    match storage(def, f) {
        Storage::ThreeState => {
            let null_method = format_ident!("{}_null", bare);
            let null_doc = format!(" Sends `{}` as an explicit `null`.", f.json_name);
            quote! {
                #[doc = #doc]
                pub fn #method(mut self, value: impl ::std::convert::Into<#value_ty>) -> Self {
                    self.#field = ::std::option::Option::Some(::std::option::Option::Some(#wrap));
                    self
                }
                #[doc = #null_doc]
                pub fn #null_method(mut self) -> Self {
                    self.#field = ::std::option::Option::Some(::std::option::Option::None);
                    self
                }
            }
        }
        _ => quote! {
            #[doc = #doc]
            pub fn #method(mut self, value: impl ::std::convert::Into<#value_ty>) -> Self {
                self.#field = ::std::option::Option::Some(#wrap);
                self
            }
        },
    }
}

/// A typestate builder: one type parameter per required field, `()` until set.
fn builder(space: &TypeSpace, def: &TypeDef, s: &Struct) -> TokenStream {
    let target = ident(&def.name);
    let builder = format_ident!("{}Builder", unraw(&def.name));
    let required: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| f.required && constant_value(space, f).is_none())
        .collect();
    let params: Vec<proc_macro2::Ident> = required
        .iter()
        .map(|f| format_ident!("{}State", upper_camel(unraw(&f.name))))
        .collect();
    let names: Vec<proc_macro2::Ident> = required.iter().map(|f| ident(&f.name)).collect();
    let doc = format!(
        " Builds a [`crate::types::{}`]; see its `builder()`.",
        unraw(&def.name)
    );
    let setters = required.iter().enumerate().map(|(i, f)| {
        let name = &names[i];
        let value_ty = field_value_type(space, f);
        let arg_ty = ty(space, &f.ty);
        let wrap = if f.boxed { quote!(::std::boxed::Box::new(value.into())) } else { quote!(value.into()) };
        let stored = if f.nullable { quote!(::std::option::Option<#value_ty>) } else { value_ty.clone() };
        let stored_value = if f.nullable { quote!(::std::option::Option::Some(#wrap)) } else { wrap };
        let free: Vec<_> = params.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, p)| p).collect();
        let input: Vec<TokenStream> = params.iter().enumerate().map(|(j, p)| if j == i { quote!(()) } else { quote!(#p) }).collect();
        let output: Vec<TokenStream> = params.iter().enumerate().map(|(j, p)| if j == i { stored.clone() } else { quote!(#p) }).collect();
        let moves = names.iter().enumerate().map(|(j, n)| if j == i { quote!(#n: #stored_value) } else { quote!(#n: self.#n) });
        let docs = doc_attrs(&paragraphs([Some(format!("Sets the required `{}`.", f.json_name).as_str()), f.doc.as_deref()]));
        quote! {
            #[allow(clippy::type_complexity)]
            impl<#(#free),*> #builder<#(#input),*> {
                #docs
                pub fn #name(self, value: impl ::std::convert::Into<#arg_ty>) -> #builder<#(#output),*> {
                    #builder { #(#moves,)* }
                }
            }
        }
    });
    let complete: Vec<TokenStream> = required
        .iter()
        .map(|f| {
            let v = field_value_type(space, f);
            if f.nullable {
                quote!(::std::option::Option<#v>)
            } else {
                v
            }
        })
        .collect();
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        if let (true, Some(c)) = (f.required, constant_value(space, f)) {
            quote!(#n: #c)
        } else if f.required {
            quote!(#n: self.#n)
        } else {
            quote!(#n: ::std::option::Option::None)
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "call `build()` to get the request"]
        pub struct #builder<#(#params),*> {
            #( pub(crate) #names: #params, )*
        }
        #( #setters )*
        impl #builder<#(#complete),*> {
            /// The request, with every optional field unset (set them with the request's setters).
            pub fn build(self) -> crate::types::#target {
                crate::types::#target { #(#inits,)* #additional }
            }
        }
    }
}

/// A variant's payload type, behind a `Box` when it closes a cycle.
fn boxed(inner: TokenStream, boxed: bool) -> TokenStream {
    if boxed {
        quote!(::std::boxed::Box<#inner>)
    } else {
        inner
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
                let inner = boxed(ty(space, &TypeRef::Named(id)), v.boxed);
                quote! { #[doc = #doc] #[serde(rename = #first, #(#aliases)*)] #vname(#inner), }
            }
            None => quote! { #[doc = #doc] #[serde(rename = #first, #(#aliases)*)] #vname, },
        }
    });
    // `From<Variant>` lets setters take a variant's struct directly.
    let mut seen = BTreeMap::new();
    for v in &u.variants {
        if let Some(id) = v.ty {
            *seen.entry(id).or_insert(0) += 1;
        }
    }
    let froms = u.variants.iter().filter_map(|v| {
        let id = v.ty?;
        (seen[&id] == 1).then(|| {
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
    let deserialize = derive_deserialize(def);
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
        let inner = boxed(ty(space, &v.ty), v.boxed);
        quote! { #vname(#inner), }
    });
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in vs {
        *counts.entry(ty(space, &v.ty).to_string()).or_default() += 1;
    }
    let froms = vs
        .iter()
        .filter(|v| counts[&ty(space, &v.ty).to_string()] == 1)
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
    let deserialize = derive_deserialize(def);
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
