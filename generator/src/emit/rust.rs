//! Small helpers shared by the emitters: identifiers and Rust type tokens for model types.

use crate::model::types::{TypeRef, TypeSpace};
use crate::surface::RustType;
use proc_macro2::TokenStream;

pub use crate::naming::ident;

/// The Rust type of a reference, fully qualified (see [`RustType`]).
pub fn ty(space: &TypeSpace, t: &TypeRef) -> TokenStream {
    RustType::of(space, t).tokens()
}
