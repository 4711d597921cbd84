//! The crate's Cargo features: one per top-level service (`calls`, `conferences`), so an application
//! compiles only the services it uses, and the gate of everything emitted: a service's operations,
//! its handle and the types only its operations reach are compiled with its feature; the types the
//! webhook events reach, with any.
//!
//! A type reached by the operations of several services is compiled with any of their features
//! (`#[cfg(any(feature = "conferences", feature = "queues"))]`), and with it everything it refers to,
//! so every combination of features compiles, and the default build has no code of the services it
//! leaves out. Each type has its own gate, also where a file holds types of several.

use super::uses::Use;
use crate::model::types::TypeId;
use crate::model::Model;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Feature names that are the crate's own, which a service's feature must not take.
const RESERVED: &[&str] = &[
    "default",
    "full",
    "tracing",
    "axum",
    "testing",
    "deserialize-requests",
];

/// The feature turning every service on.
pub const FULL: &str = "full";

/// When an item is compiled: always, or with any of these features.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Gate(Option<BTreeSet<String>>);

impl Gate {
    /// Compiled in every build.
    pub fn always() -> Self {
        Gate(None)
    }

    /// Compiled with the feature `name`.
    pub fn feature(name: &str) -> Self {
        Gate(Some(BTreeSet::from([name.to_owned()])))
    }

    pub fn is_always(&self) -> bool {
        self.0.is_none()
    }

    /// The features, any of which compiles the item (empty when always).
    pub fn features(&self) -> impl Iterator<Item = &str> {
        self.0.iter().flatten().map(String::as_str)
    }

    /// Compiled when either is.
    pub fn or(&self, other: &Gate) -> Gate {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Gate(Some(a.union(b).cloned().collect())),
            _ => Gate(None),
        }
    }

    /// `#[cfg(feature = "x")]` or `#[cfg(any(..))]`; nothing when always.
    pub fn cfg(&self) -> TokenStream {
        match self.predicate() {
            Some(p) => quote!(#[cfg(#p)]),
            None => quote!(),
        }
    }

    /// [`Gate::cfg`] and, for docs.rs (`--cfg docsrs`), the features the item needs.
    pub fn cfg_and_doc(&self) -> TokenStream {
        match self.predicate() {
            Some(p) => quote!(#[cfg(#p)] #[cfg_attr(docsrs, doc(cfg(#p)))]),
            None => quote!(),
        }
    }

    /// The `cfg` predicate as rustfmt writes it (`feature = "calls"`, `any(feature = "a", feature =
    /// "b")`); `None` when always.
    pub fn predicate_text(&self) -> Option<String> {
        let features: Vec<String> = self
            .features()
            .map(|f| format!("feature = {f:?}"))
            .collect();
        match features.as_slice() {
            [] if self.is_always() => None,
            [one] => Some(one.clone()),
            many => Some(format!("any({})", many.join(", "))),
        }
    }

    fn predicate(&self) -> Option<TokenStream> {
        let features: Vec<&str> = self.features().collect();
        match features.as_slice() {
            [] if self.is_always() => None,
            [one] => Some(quote!(feature = #one)),
            many => Some(quote!(any(#( feature = #many ),*))),
        }
    }
}

/// One service's feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFeature {
    /// The top-level service word (`calls`).
    pub service: String,
    /// The Cargo feature (`calls`; `10dlc` for `_10dlc`).
    pub feature: String,
    /// How many operations it has.
    pub operations: usize,
}

/// Every feature of the crate and the gate of every type.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// One per top-level service, sorted by service.
    pub services: Vec<ServiceFeature>,
    /// The features on by default.
    pub default: Vec<String>,
    /// The gate of each type (definitions and aliases alike); a type not listed is always compiled.
    types: BTreeMap<TypeId, Gate>,
}

impl Features {
    /// The features of `model`'s services, and the gate of each type.
    pub fn of(model: &Model) -> Self {
        let mut operations: BTreeMap<&str, usize> = BTreeMap::new();
        for op in &model.operations {
            if let Some(service) = op.service.first() {
                *operations.entry(service).or_default() += 1;
            }
        }
        let services: Vec<ServiceFeature> = operations
            .into_iter()
            .map(|(service, operations)| ServiceFeature {
                service: service.to_owned(),
                feature: feature_name(service),
                operations,
            })
            .collect();
        let feature_of = |service: &str| {
            services
                .iter()
                .find(|s| s.service == service)
                .map(|s| s.feature.clone())
        };
        let default = match &model.default_services {
            None => services.iter().map(|s| s.feature.clone()).collect(),
            Some(listed) => listed.iter().filter_map(|s| feature_of(s)).collect(),
        };

        // Each root's gate, then every type reached from it: the union over its roots.
        let mut roots: Vec<(Gate, TypeId)> = Vec::new();
        for op in &model.operations {
            let Some(feature) = op.service.first().and_then(|s| feature_of(s)) else {
                continue;
            };
            let gate = Gate::feature(&feature);
            for t in op.request_types().into_iter().chain(&op.response.ty) {
                roots.extend(t.named().map(|id| (gate.clone(), id)));
            }
        }
        for w in &model.webhooks {
            roots.extend(w.body.named().map(|id| (Gate::always(), id)));
        }
        let mut types: BTreeMap<TypeId, Gate> = BTreeMap::new();
        for (gate, root) in roots {
            widen(model, &mut types, root, &gate);
        }
        // A type no operation or event reaches (an alias kept for its name, a component in scope) is
        // compiled always, and so is what it refers to.
        for (id, _) in model.types.emitted() {
            if !types.contains_key(&id) {
                widen(model, &mut types, id, &Gate::always());
            }
        }
        types.retain(|_, gate| !gate.is_always());
        Features {
            services,
            default,
            types,
        }
    }

    /// The gate of the operations, services and handle methods of the top-level service `service`.
    pub fn service(&self, service: &str) -> Gate {
        self.services
            .iter()
            .find(|s| s.service == service)
            .map_or_else(Gate::always, |s| Gate::feature(&s.feature))
    }

    /// `uses` with the links a type's doc cannot keep: to an operation of a service whose feature
    /// may be off where the type is compiled (a type calls and conferences share, documented as used
    /// by a conference action, in a build of the calls alone).
    pub fn doc_links(
        &self,
        mut uses: BTreeMap<TypeId, BTreeSet<Use>>,
    ) -> BTreeMap<TypeId, BTreeSet<Use>> {
        for (id, of_type) in uses.iter_mut() {
            let gate = self.of_type(*id);
            *of_type = std::mem::take(of_type)
                .into_iter()
                .map(|u| match &u.service {
                    Some(service) if self.service(service) != gate => Use {
                        link: String::new(),
                        ..u
                    },
                    _ => u,
                })
                .collect();
        }
        uses
    }

    /// The gate of the type `id`.
    pub fn of_type(&self, id: TypeId) -> Gate {
        self.types.get(&id).cloned().unwrap_or_else(Gate::always)
    }

    /// The gate of several items kept together (a types file): compiled when any of them is.
    pub fn any<'a>(gates: impl IntoIterator<Item = &'a Gate>) -> Gate {
        let mut gates = gates.into_iter();
        match gates.next() {
            Some(first) => gates.fold(first.clone(), |acc, g| acc.or(g)),
            None => Gate::always(),
        }
    }
}

/// The types `id` refers to in its own definition: an alias (a shared shape) refers to its target,
/// which [`crate::model::types::TypeSpace::get`] would look through.
fn own_children(model: &Model, id: TypeId) -> Vec<TypeId> {
    model
        .types
        .defs
        .get(id.0)
        .map(|def| def.kind.children().collect())
        .unwrap_or_default()
}

/// Widens the gate of `start`, and of every type it reaches, to include `gate`.
fn widen(model: &Model, types: &mut BTreeMap<TypeId, Gate>, start: TypeId, gate: &Gate) {
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        let widened = match types.get(&id) {
            Some(known) => known.or(gate),
            None => gate.clone(),
        };
        if types.get(&id) == Some(&widened) {
            continue;
        }
        types.insert(id, widened);
        stack.extend(own_children(model, id));
    }
}

/// The Cargo feature of a service word: kebab case, without the `_` that makes a word starting with
/// a digit an identifier (`_10dlc` → `10dlc`), and `<word>-api` where it would take one of the
/// crate's own feature names.
fn feature_name(service: &str) -> String {
    let name = service.trim_start_matches('_').replace('_', "-");
    if RESERVED.contains(&name.as_str()) || name.is_empty() {
        format!("{}-api", name.trim_start_matches('-'))
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_kebab_case_and_never_the_crates_own() {
        assert_eq!(feature_name("calls"), "calls");
        assert_eq!(feature_name("phone_numbers"), "phone-numbers");
        assert_eq!(feature_name("_10dlc"), "10dlc");
        assert_eq!(feature_name("testing"), "testing-api");
        assert_eq!(feature_name("full"), "full-api");
    }

    #[test]
    fn gates_widen_to_any_and_always_wins() {
        let calls = Gate::feature("calls");
        let queues = Gate::feature("queues");
        assert_eq!(
            calls.or(&queues).features().collect::<Vec<_>>(),
            ["calls", "queues"]
        );
        assert!(calls.or(&Gate::always()).is_always());
        assert_eq!(
            calls.cfg().to_string(),
            quote!(#[cfg(feature = "calls")]).to_string()
        );
        assert_eq!(
            calls.or(&queues).cfg().to_string(),
            quote!(#[cfg(any(feature = "calls", feature = "queues"))]).to_string()
        );
        assert!(Gate::always().cfg().is_empty());
    }

    /// The call crate's default build (feature `calls`) has the types a crate of the calls alone has:
    /// conferences and queues, in scope beside them, add nothing to it but the names of shapes they
    /// share with the calls.
    #[test]
    fn the_call_crates_default_build_is_the_calls_alone() {
        let text = crate::test_support::pinned_spec_text();
        let scope_text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/scope.toml"));
        let scope = crate::Scope::from_toml(scope_text).unwrap();
        let model = crate::model_of(&text, &[], &scope).unwrap();
        let surface = crate::surface::Surface::of(&model);
        let features = &surface.features;
        assert_eq!(features.default, ["calls"]);
        let default_build: BTreeSet<&str> = surface
            .types
            .iter()
            .filter(|t| {
                let gate = features.of_type(t.id);
                gate.is_always() || gate.features().any(|f| f == "calls")
            })
            .map(|t| t.name)
            .collect();

        let calls_only = scope_text
            .replace("\"* /conferences/**\",", "")
            .replace("\"* /queues/**\",", "");
        let scope = crate::Scope::from_toml(&calls_only).unwrap();
        let alone = crate::model_of(&text, &[], &scope).unwrap();
        let alone = crate::surface::Surface::of(&alone);
        let alone: BTreeSet<&str> = alone.types.iter().map(|t| t.name).collect();

        // A shape calls and conferences share is defined once, under the name of the place the spec
        // wrote first (`ConferenceSpeakRequestVoiceSettings`); the call's own names are aliases of it.
        let shared_by_calls = |name: &str| {
            surface.types.iter().any(|t| {
                matches!(&t.shape, crate::surface::Shape::Alias(a) if a.shares == Some(name))
                    && alone.contains(t.name)
            })
        };
        let extra: Vec<&&str> = default_build
            .difference(&alone)
            .filter(|name| !shared_by_calls(name))
            .collect();
        let missing: Vec<&&str> = alone.difference(&default_build).collect();
        assert!(
            extra.is_empty(),
            "in the default build, not in the calls alone: {extra:?}"
        );
        assert!(
            missing.is_empty(),
            "in the calls alone, not in the default build: {missing:?}"
        );
        assert!(surface.types.len() > default_build.len() + 50);
    }
}
