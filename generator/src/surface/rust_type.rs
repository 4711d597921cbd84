//! A Rust type as the crate spells it: tokens (fully qualified) for the emitter, a short form
//! (`Vec<Option<Call>>`) for the change report.

use crate::model::types::{TypeRef, TypeSpace};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RustType {
    String,
    I32,
    I64,
    F64,
    Bool,
    U8,
    /// `()`.
    Unit,
    /// `&str`: a path parameter.
    Str,
    /// `serde_json::Value`: free-form JSON, with or without a declared object shape.
    Json,
    /// A generated type, by its Rust name (`crate::types::Call`).
    Named(String),
    /// A type of the runtime at the crate root (`crate::Part`).
    Runtime(&'static str),
    Vec(Box<RustType>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustType>),
    Option(Box<RustType>),
    Box(Box<RustType>),
}

impl RustType {
    /// The Rust type of a model reference.
    pub fn of(space: &TypeSpace, t: &TypeRef) -> Self {
        match t {
            TypeRef::String => RustType::String,
            TypeRef::Integer { bits32: true } => RustType::I32,
            TypeRef::Integer { bits32: false } => RustType::I64,
            TypeRef::Number => RustType::F64,
            TypeRef::Boolean => RustType::Bool,
            // Free-form objects are `Value` too: `json!({..})` is what callers have at hand.
            TypeRef::Json | TypeRef::JsonObject => RustType::Json,
            TypeRef::Named(id) => RustType::Named(space.name(*id).to_owned()),
            TypeRef::Array(item) => RustType::Vec(Box::new(Self::of(space, item))),
            TypeRef::Map(value) => RustType::Map(Box::new(Self::of(space, value))),
            TypeRef::Nullable(inner) => RustType::Option(Box::new(Self::of(space, inner))),
        }
    }

    pub fn option(self) -> Self {
        RustType::Option(Box::new(self))
    }

    /// `Box<T>` when `boxed` (a value that closes a cycle of types).
    pub fn boxed_if(self, boxed: bool) -> Self {
        if boxed {
            RustType::Box(Box::new(self))
        } else {
            self
        }
    }

    /// The type, fully qualified.
    pub fn tokens(&self) -> TokenStream {
        match self {
            RustType::String => quote!(::std::string::String),
            RustType::I32 => quote!(i32),
            RustType::I64 => quote!(i64),
            RustType::F64 => quote!(f64),
            RustType::Bool => quote!(bool),
            RustType::U8 => quote!(u8),
            RustType::Unit => quote!(()),
            RustType::Str => quote!(&str),
            RustType::Json => quote!(::serde_json::Value),
            RustType::Named(name) => {
                let name = ident(name);
                quote!(crate::types::#name)
            }
            RustType::Runtime(name) => {
                let name = ident(name);
                quote!(crate::#name)
            }
            RustType::Vec(item) => {
                let item = item.tokens();
                quote!(::std::vec::Vec<#item>)
            }
            RustType::Map(value) => {
                let value = value.tokens();
                quote!(::std::collections::BTreeMap<::std::string::String, #value>)
            }
            RustType::Option(inner) => {
                let inner = inner.tokens();
                quote!(::std::option::Option<#inner>)
            }
            RustType::Box(inner) => {
                let inner = inner.tokens();
                quote!(::std::boxed::Box<#inner>)
            }
        }
    }
}

/// The short form: `Vec<Option<Call>>`, `BTreeMap<String, i64>`, `serde_json::Value`.
impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::String => f.write_str("String"),
            RustType::I32 => f.write_str("i32"),
            RustType::I64 => f.write_str("i64"),
            RustType::F64 => f.write_str("f64"),
            RustType::Bool => f.write_str("bool"),
            RustType::U8 => f.write_str("u8"),
            RustType::Unit => f.write_str("()"),
            RustType::Str => f.write_str("&str"),
            RustType::Json => f.write_str("serde_json::Value"),
            RustType::Named(name) => f.write_str(name),
            RustType::Runtime(name) => f.write_str(name),
            RustType::Vec(item) => write!(f, "Vec<{item}>"),
            RustType::Map(value) => write!(f, "BTreeMap<String, {value}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Box(inner) => write!(f, "Box<{inner}>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_form_and_the_tokens_name_the_same_type() {
        let t = RustType::Vec(Box::new(RustType::Named("Call".into()).option()));
        assert_eq!(t.to_string(), "Vec<Option<Call>>");
        let squeeze = |ts: TokenStream| ts.to_string().replace(' ', "");
        assert_eq!(
            squeeze(t.tokens()),
            squeeze(quote!(
                ::std::vec::Vec<::std::option::Option<crate::types::Call>>
            ))
        );
        let m = RustType::Map(Box::new(RustType::I64)).boxed_if(true);
        assert_eq!(m.to_string(), "Box<BTreeMap<String, i64>>");
    }
}
