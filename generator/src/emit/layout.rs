//! The generated crate's module tree, declared once: `lib.rs` and the `mod.rs` files of `webhooks` and
//! `testing` are rendered from it, and [`Parts`] says which modules a crate has.

use super::GENERATED_LINE;
use crate::surface::features::Gate;
use crate::surface::Surface;
use proc_macro2::TokenStream;
use quote::quote;

/// What a generated crate has, beyond types and services: decided from the surface once, read by the
/// module tree, the manifest and the choice of hand-written files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// `webhooks` (the spec has webhooks), and with it the fake of `testing`.
    pub webhooks: bool,
    /// `CallHandle`/`ConferenceHandle` (some operation takes a call or conference id).
    pub handles: bool,
    /// Typed JSON request bodies, which the request bench serializes.
    pub request_samples: bool,
}

impl Parts {
    pub fn of(surface: &Surface<'_>) -> Self {
        Parts {
            webhooks: !surface.webhooks.events.is_empty(),
            handles: !surface.handles().is_empty(),
            request_samples: surface.operations.iter().any(|op| {
                op.main().body.as_ref().is_some_and(|b| {
                    matches!(b.kind, crate::surface::BodyKind::Json { .. }) && b.typed
                })
            }),
        }
    }
}

/// One module of the crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub name: &'static str,
    pub public: bool,
    /// Its items are also the parent's (`pub use client::*`).
    pub glob: bool,
    /// The features it needs (`testing`).
    pub gate: Gate,
    /// Its own modules, declared in its `mod.rs`.
    pub children: Vec<Module>,
}

impl Module {
    fn new(name: &'static str) -> Self {
        Module {
            name,
            public: false,
            glob: false,
            gate: Gate::always(),
            children: Vec::new(),
        }
    }

    fn public(mut self) -> Self {
        self.public = true;
        self
    }

    fn glob(mut self) -> Self {
        self.glob = true;
        self
    }

    fn feature(mut self, feature: &'static str) -> Self {
        self.gate = Gate::feature(feature);
        self
    }

    fn gated(mut self, gate: Gate) -> Self {
        self.gate = gate;
        self
    }

    /// A directory module: its `mod.rs` declares `children`.
    fn with(mut self, children: Vec<Module>) -> Self {
        self.children = children;
        self
    }
}

/// The modules of the crate root; the handles' compiled with `handles`, the features of the services
/// they send to.
pub fn modules(parts: Parts, handles: Gate) -> Vec<Module> {
    let mut modules = vec![
        Module::new("client").glob(),
        Module::new("services").public(),
        Module::new("types").public(),
    ];
    if parts.webhooks {
        modules.push(
            Module::new("webhooks")
                .public()
                .with(vec![Module::new("events").glob()]),
        );
        modules.push(
            Module::new("testing")
                .public()
                .feature("testing")
                .with(vec![Module::new("events").public(), Module::new("spec")]),
        );
    }
    if parts.handles {
        modules.push(Module::new("handles").glob().gated(handles));
    }
    modules
}

/// The module `name` of the root, if the crate has it.
pub fn find<'a>(modules: &'a [Module], name: &str) -> Option<&'a Module> {
    modules.iter().find(|m| m.name == name)
}

/// `mod x;` and `pub use x::*;` for each module, as tokens (for the `mod.rs` files made of tokens).
pub fn declarations(modules: &[Module]) -> TokenStream {
    let items = modules.iter().map(|m| {
        let name = super::rust::ident(m.name);
        let vis = if m.public { quote!(pub) } else { quote!() };
        let cfg = m.gate.cfg();
        let cfg_and_doc = m.gate.cfg_and_doc();
        let glob = m.glob.then(|| quote!(#cfg pub use #name::*;));
        quote! {
            #cfg_and_doc
            #vis mod #name;
            #glob
        }
    });
    quote!( #( #items )* )
}

/// `mod x;` and `pub use x::*;` for each module, as rustfmt-clean text (for `lib.rs`): every module's
/// file is prettyplease output, so each is marked `#[rustfmt::skip]`.
pub fn declarations_text(modules: &[Module]) -> String {
    let mut s = String::new();
    for m in modules {
        let predicate = m.gate.predicate_text();
        let cfg = predicate
            .as_ref()
            .map(|p| format!("#[cfg({p})]\n"))
            .unwrap_or_default();
        s.push_str(&cfg);
        // docs.rs (`--cfg docsrs`) marks the module with the features it needs.
        if let Some(p) = &predicate {
            s.push_str(&format!("#[cfg_attr(docsrs, doc(cfg({p})))]\n"));
        }
        s.push_str("#[rustfmt::skip]\n");
        if m.public {
            s.push_str("pub ");
        }
        s.push_str(&format!("mod {};\n", m.name));
        if m.glob {
            s.push_str(&format!("{cfg}pub use {}::*;\n", m.name));
        }
    }
    s
}

/// `lib.rs`: the crate's docs (its README), the constants the spec gives, what it re-exports from the
/// runtime, and its modules. Text, so that it is rustfmt-clean.
pub fn lib_rs(surface: &Surface<'_>, modules: &[Module]) -> String {
    let mut s = format!("// {GENERATED_LINE}\n");
    s.push_str("#![doc = include_str!(\"../README.md\")]\n");
    s.push_str("#![forbid(unsafe_code)]\n");
    s.push_str("#![warn(missing_docs)]\n");
    s.push_str("#![cfg_attr(docsrs, feature(doc_cfg))]\n\n");
    s.push_str(&format!(
        "/// The API's base URL, from the spec's `servers`.\npub const DEFAULT_BASE_URL: &str = {:?};\n",
        surface.base_url
    ));
    s.push_str(&format!(
        "/// The version of the API description ({}) this crate was generated from.\npub const API_VERSION: &str = {:?};\n\n",
        surface.api_title.replace('\n', " "),
        surface.api_version
    ));
    s.push_str(RUNTIME_REEXPORTS);
    s.push('\n');
    s.push_str(&declarations_text(modules));
    s
}

/// What the crate offers of the runtime, at its root, as it did when the runtime was part of it.
const RUNTIME_REEXPORTS: &str = "\
pub use telnyx_call_control_runtime::client_state;
/// The HTTP client crate the runtime is built on, for `Method`, `StatusCode` and headers.
pub use telnyx_call_control_runtime::reqwest;
pub use telnyx_call_control_runtime::{
    encode_path_segment, ApiError, ApiErrorDetail, ApiErrorSource, AttemptOutcome, AttemptRequest,
    ClientStateError, Error, Interceptor, Items, Pages, Paginated, Part, RequestBuilder,
    RequestContext, Response, Upload, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
};
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_follows_the_parts() {
        let all = Parts {
            webhooks: true,
            handles: true,
            request_samples: true,
        };
        let names = |m: &[Module]| m.iter().map(|m| m.name).collect::<Vec<_>>();
        assert_eq!(
            names(&modules(all, Gate::always())),
            ["client", "services", "types", "webhooks", "testing", "handles"]
        );
        let bare = Parts {
            webhooks: false,
            handles: false,
            request_samples: false,
        };
        assert_eq!(
            names(&modules(bare, Gate::always())),
            ["client", "services", "types"]
        );
    }

    #[test]
    fn lib_rs_declarations_are_rustfmt_shaped() {
        let text = declarations_text(&[
            Module::new("client").glob(),
            Module::new("testing").public().feature("testing"),
        ]);
        assert_eq!(
            text,
            "#[rustfmt::skip]\nmod client;\npub use client::*;\n#[cfg(feature = \"testing\")]\n\
             #[cfg_attr(docsrs, doc(cfg(feature = \"testing\")))]\n#[rustfmt::skip]\npub mod testing;\n"
        );
    }
}
