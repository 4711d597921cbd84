//! Where generated code reaches the runtime and the test kit. Every path into them is made here, as
//! tokens that `quote!` interpolates (`quote!(#PRIVATE::Record)`), so the crates' names live in one
//! place; whether the items exist is checked by the compiler when the generated crate builds.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};

/// The runtime's package and library names.
pub const RUNTIME_PACKAGE: &str = "telnyx-call-control-runtime";
/// The contract the generator and the call simulator share (the test kit re-exports it).
pub const CONTRACT_PACKAGE: &str = "telnyx-call-control-contract";
/// The test kit's package and library names.
pub const TESTKIT_PACKAGE: &str = "telnyx-call-control-testkit";

/// A crate's path: `::telnyx_call_control_runtime`.
fn root(package: &str) -> TokenStream {
    let ident = Ident::new(&package.replace('-', "_"), Span::call_site());
    quote!(::#ident)
}

/// A path into one of the crates the generated crate depends on.
#[derive(Clone, Copy)]
pub enum CratePath {
    /// The runtime's public API.
    Runtime,
    /// `__private`: what the runtime offers generated code only (serde support, query styles, the
    /// webhook scan).
    Private,
    /// The test kit's public API.
    Testkit,
    /// The test kit's `contract`: the types the fake's tables are written in.
    Contract,
}

/// `::telnyx_call_control_runtime`.
pub const RUNTIME: CratePath = CratePath::Runtime;
/// `::telnyx_call_control_runtime::__private`.
pub const PRIVATE: CratePath = CratePath::Private;
/// `::telnyx_call_control_testkit`.
pub const TESTKIT: CratePath = CratePath::Testkit;
/// `::telnyx_call_control_testkit::contract`.
pub const CONTRACT: CratePath = CratePath::Contract;

impl ToTokens for CratePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let path = match self {
            CratePath::Runtime => root(RUNTIME_PACKAGE),
            CratePath::Private => {
                let runtime = root(RUNTIME_PACKAGE);
                quote!(#runtime::__private)
            }
            CratePath::Testkit => root(TESTKIT_PACKAGE),
            CratePath::Contract => {
                let testkit = root(TESTKIT_PACKAGE);
                quote!(#testkit::contract)
            }
        };
        tokens.extend(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_crates() {
        assert_eq!(
            quote!(#PRIVATE::Record).to_string(),
            ":: telnyx_call_control_runtime :: __private :: Record"
        );
        assert_eq!(
            quote!(#CONTRACT::Route).to_string(),
            ":: telnyx_call_control_testkit :: contract :: Route"
        );
    }
}
