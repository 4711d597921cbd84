//! The Rust surface of the crate, decided once from the model: the Rust type of every reference, how
//! each field is stored, what a request type's builder asks for and fills in, which setters and derives
//! a type gets, and each operation's call path, arguments and return type. `emit` renders it as tokens
//! and `diff` compares two of them, so what the crate is and what the change report says it is cannot
//! drift apart. Names come from [`crate::naming`].

mod beside_tag;
pub mod conventions;
pub mod event_paths;
pub mod fake;
pub mod features;
mod handles;
mod operations;
mod rust_type;
mod services;
mod structs;
mod types;
mod uses;
mod webhooks;

pub use beside_tag::Beside;
pub use handles::{HandleMethod, HandleSurface};
pub use operations::{
    body_argument, call_path, returns, Argument, ArgumentRole, BodyKind, BodySurface,
    MethodSurface, OperationSurface, PageNumber, PagesSurface, ParamPlacement, ParamSurface,
    PartSurface, ResponseRead,
};
pub use rust_type::RustType;
pub use services::{FieldRead, PaginatedSurface, ServiceSurface};
pub use structs::{BuilderRole, Constructor, Deserialize, FieldSurface, Storage, StructSurface};
pub use types::{
    AliasSurface, FromImpl, Shape, TaggedSurface, TaggedVariantSurface, TypeSurface,
    UntaggedSurface, UntaggedVariantSurface,
};
pub use webhooks::{
    AccessorSurface, EventSurface, EventTypeRead, FieldPath, FieldStep, KeyRule, PayloadAccess,
    WebhooksSurface,
};

use crate::model::Model;

/// The surface of a whole model.
#[derive(Debug, Clone)]
pub struct Surface<'m> {
    /// Every emitted type, sorted by name.
    pub types: Vec<TypeSurface<'m>>,
    /// Every operation, in the model's order.
    pub operations: Vec<OperationSurface<'m>>,
    /// The service tree, parents first.
    pub services: Vec<ServiceSurface>,
    /// The list responses that can be walked page by page.
    pub paginated: Vec<PaginatedSurface>,
    /// `WebhookEvent`.
    pub webhooks: WebhooksSurface<'m>,
    /// The fake Telnyx of feature `testing`.
    pub fake: fake::FakeSurface<'m>,
    /// A Cargo feature per top-level service, and what each compiles.
    pub features: features::Features,
    /// The spec's first server URL.
    pub base_url: &'m str,
    /// The spec's `info.title` and `info.version`.
    pub api_title: &'m str,
    pub api_version: &'m str,
}

impl<'m> Surface<'m> {
    /// Lowers every emitted struct and every operation of `model`.
    pub fn of(model: &'m Model) -> Self {
        let space = &model.types;
        let features = features::Features::of(model);
        let types = TypeSurface::all(space, &features.doc_links(uses::uses(model)));
        let operations = model
            .operations
            .iter()
            .map(|op| OperationSurface::of(space, op))
            .collect::<Vec<_>>();
        let webhooks = WebhooksSurface::of(model);
        Surface {
            types,
            services: services::services(&operations),
            fake: fake::FakeSurface::of(space, &operations, &webhooks),
            operations,
            paginated: services::paginated(model),
            features,
            webhooks,
            base_url: &model.base_url,
            api_title: &model.api_title,
            api_version: &model.api_version,
        }
    }

    /// The handles on one call and one conference that have operations.
    pub fn handles(&self) -> Vec<HandleSurface<'_>> {
        handles::handles(&self.operations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The emitter writes `tokens()`, the change report `to_string()`: on every field of the pinned
    /// spec's whole model the two spell the same type, so what the report says is what the crate has.
    #[test]
    fn tokens_and_the_report_spell_every_field_alike() {
        let text = crate::test_support::pinned_spec_text();
        let model = crate::model_of(&text, &[], &crate::Scope::all()).unwrap();
        let surface = Surface::of(&model);
        let short = |t: &RustType| {
            let mut s = t.tokens().to_string().replace(' ', "");
            for prefix in [
                "::std::string::",
                "::std::vec::",
                "::std::option::",
                "::std::boxed::",
                "::std::collections::",
                "crate::types::",
                "crate::",
            ] {
                s = s.replace(prefix, "");
            }
            s.replace("::serde_json::", "serde_json::")
        };
        let mut fields = 0;
        let structs = surface.types.iter().filter_map(|t| match &t.shape {
            Shape::Struct(s) => Some(s),
            _ => None,
        });
        for lowered in structs {
            for f in &lowered.fields {
                let stored = f.stored();
                assert_eq!(short(&stored), stored.to_string().replace(' ', ""));
                fields += 1;
            }
        }
        assert!(fields > 10_000, "{fields}");
        for op in &surface.operations {
            for m in &op.methods {
                for a in &m.args {
                    assert_eq!(short(&a.ty), a.ty.to_string().replace(' ', ""));
                }
            }
        }
    }
}
