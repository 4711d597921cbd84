//! Small helpers shared by the emitters: identifiers and Rust type tokens for model types.

use crate::model::types::{TypeRef, TypeSpace};
use proc_macro2::TokenStream;
use quote::quote;

pub use crate::naming::ident;

/// The Rust type of a reference, fully qualified.
pub fn ty(space: &TypeSpace, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer { bits32: true } => quote!(i32),
        TypeRef::Integer { bits32: false } => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        // Free-form objects are `Value` too: `json!({..})` is what callers have at hand.
        TypeRef::Json | TypeRef::JsonObject => quote!(::serde_json::Value),

        TypeRef::Named(id) => {
            let name = ident(space.name(*id));
            quote!(crate::types::#name)
        }
        TypeRef::Array(item) => {
            let item = ty(space, item);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = ty(space, value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = ty(space, inner);
            quote!(::std::option::Option<#inner>)
        }
    }
}
