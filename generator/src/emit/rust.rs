//! Small helpers shared by the emitters: identifiers.

pub use crate::naming::ident;
