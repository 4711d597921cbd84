//! Every emitted type as the crate declares it: its name, the file it lives in, its docs and its
//! shape (struct, open enum, union, alias), with the choices the emitter must not make itself: which
//! union variants get a `From` impl and which type an alias shares its definition with.

use super::beside_tag::{untagged_writing_fields, Beside};
use super::{Deserialize, RustType, StructSurface};
use crate::model::types::{
    EnumValue, Origin, TaggedUnion, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace, UntaggedVariant,
};
use crate::naming::{self, snake};
use std::collections::{BTreeMap, BTreeSet};

/// One type of `crate::types`.
#[derive(Debug, Clone)]
pub struct TypeSurface<'m> {
    pub id: TypeId,
    /// The Rust name.
    pub name: &'m str,
    /// The stem of the file in `src/types/` the type is written in.
    pub file: String,
    /// The schema's own description.
    pub doc: Option<&'m str>,
    /// What the docs say of a type the spec does not describe: where it is and what uses it.
    pub undescribed: Option<String>,
    /// The spec's example of a value.
    pub example: Option<&'m serde_json::Value>,
    pub shape: Shape<'m>,
    /// The one definition of a shape several places share ([`Origin::Shared`]): hidden from the docs
    /// and from the public API a user relies on, who names each place's own alias.
    pub hidden: bool,
}

/// What a type is.
#[derive(Debug, Clone)]
pub enum Shape<'m> {
    Struct(StructSurface<'m>),
    /// An open string enum: `(variant, wire value)` and `Unknown(String)`.
    StringEnum(Vec<(&'m str, &'m str)>),
    /// An open integer enum: `(variant, value)` and `Unknown(i64)`.
    IntEnum(Vec<(&'m str, i64)>),
    Tagged(TaggedSurface<'m>),
    Untagged(UntaggedSurface<'m>),
    Alias(AliasSurface<'m>),
}

/// A union tagged by a property.
#[derive(Debug, Clone)]
pub struct TaggedSurface<'m> {
    /// The discriminator property.
    pub tag: &'m str,
    pub variants: Vec<TaggedVariantSurface<'m>>,
    pub deserialize: Deserialize,
}

#[derive(Debug, Clone)]
pub struct TaggedVariantSurface<'m> {
    pub name: &'m str,
    /// The tag written, then the other tags that also select the variant.
    pub tags: &'m [String],
    /// The variant's payload as stored (boxed when it closes a cycle); `None` for a unit variant.
    pub value: Option<RustType>,
    /// How the payload is written beside the tag.
    pub beside: Beside,
    /// The payload type a `From` impl converts from, when the variant gets one.
    pub from: Option<FromImpl>,
}

/// A union without a tag, tried in order.
#[derive(Debug, Clone)]
pub struct UntaggedSurface<'m> {
    pub variants: Vec<UntaggedVariantSurface<'m>>,
    pub deserialize: Deserialize,
    /// The union is a tagged variant's value (or a branch of one): it writes its branch's entries
    /// beside the tag (`WriteFields`).
    pub writes_fields: bool,
}

#[derive(Debug, Clone)]
pub struct UntaggedVariantSurface<'m> {
    pub name: &'m str,
    /// The payload as stored.
    pub value: RustType,
    pub from: Option<FromImpl>,
}

/// `impl From<source> for Union`: lets a setter take a variant's payload directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromImpl {
    pub source: RustType,
    /// The stored payload is a `Box` of the source.
    pub boxed: bool,
    /// Also `From<&str>` (a `String` payload).
    pub from_str: bool,
}

/// `pub type Name = Target;`.
#[derive(Debug, Clone)]
pub struct AliasSurface<'m> {
    pub target: RustType,
    /// The type whose definition this place shares because the shapes are identical.
    pub shares: Option<&'m str>,
}

impl<'m> TypeSurface<'m> {
    /// Every emitted type of `space`, sorted by name.
    /// Every emitted type; `uses` says what uses each, for the docs of undescribed ones.
    pub fn all(
        space: &'m TypeSpace,
        uses: &BTreeMap<TypeId, BTreeSet<super::uses::Use>>,
    ) -> Vec<TypeSurface<'m>> {
        let emitted = space.emitted();
        let writing_fields = untagged_writing_fields(space);
        let components: BTreeMap<&str, &str> = emitted
            .iter()
            .filter_map(|(_, d)| match &d.origin {
                Origin::Component(n) => Some((n.as_str(), d.name.as_str())),
                _ => None,
            })
            .collect();
        emitted
            .into_iter()
            .map(|(id, def)| TypeSurface {
                id,
                name: &def.name,
                file: file_of(&components, def),
                doc: def.doc.as_deref(),
                undescribed: def
                    .doc
                    .is_none()
                    .then(|| super::uses::undescribed(def, uses.get(&id))),
                example: def.example.as_ref(),
                shape: shape(space, id, def, &writing_fields),
                hidden: matches!(def.origin, Origin::Shared { .. }),
            })
            .collect()
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
    naming::module_name(&snake(owner.unwrap_or(&def.name)))
}

/// `writing_fields`: the untagged unions written beside a tag.
fn shape<'m>(
    space: &'m TypeSpace,
    id: TypeId,
    def: &'m TypeDef,
    writing_fields: &BTreeSet<TypeId>,
) -> Shape<'m> {
    match &def.kind {
        TypeKind::Struct(s) => Shape::Struct(StructSurface::of(space, def, s)),
        TypeKind::StringEnum(values) => Shape::StringEnum(variants(values, |v| v.as_str())),
        TypeKind::IntEnum(values) => Shape::IntEnum(variants(values, |v| *v)),
        TypeKind::Tagged(u) => Shape::Tagged(tagged(space, def, u)),
        TypeKind::Untagged(vs) => {
            Shape::Untagged(untagged(space, def, vs, writing_fields.contains(&id)))
        }
        TypeKind::Alias(t) => Shape::Alias(AliasSurface {
            target: RustType::of(space, t),
            shares: def
                .shared
                .then(|| t.named())
                .flatten()
                .map(|id| space.name(id)),
        }),
    }
}

fn variants<'m, T, V>(values: &'m [EnumValue<T>], value: impl Fn(&'m T) -> V) -> Vec<(&'m str, V)> {
    values
        .iter()
        .map(|v| (v.name.as_str(), value(&v.value)))
        .collect()
}

/// A tagged union: a variant gets `From` when no other variant holds the same definition.
fn tagged<'m>(space: &'m TypeSpace, def: &'m TypeDef, u: &'m TaggedUnion) -> TaggedSurface<'m> {
    let mut holders: BTreeMap<TypeId, usize> = BTreeMap::new();
    for id in u.variants.iter().filter_map(|v| v.ty) {
        *holders.entry(space.definition(id)).or_default() += 1;
    }
    let variants = u
        .variants
        .iter()
        .map(|v| {
            let source = v.ty.map(|id| RustType::of(space, &TypeRef::Named(id)));
            let unique = v.ty.is_some_and(|id| holders[&space.definition(id)] == 1);
            TaggedVariantSurface {
                name: &v.name,
                tags: &v.tags,
                value: source.clone().map(|t| t.boxed_if(v.boxed)),
                beside: v.ty.map_or(Beside::Fields, |id| Beside::of(space, id)),
                from: source.filter(|_| unique).map(|source| FromImpl {
                    source,
                    boxed: v.boxed,
                    from_str: false,
                }),
            }
        })
        .collect();
    TaggedSurface {
        tag: &u.tag,
        variants,
        deserialize: Deserialize::of(def),
    }
}

/// An untagged union: one `From` per Rust type, since variants of one type (after aliases) would make
/// the impls conflict.
fn untagged<'m>(
    space: &'m TypeSpace,
    def: &'m TypeDef,
    vs: &'m [UntaggedVariant],
    writes_fields: bool,
) -> UntaggedSurface<'m> {
    let mut counts: BTreeMap<TypeRef, usize> = BTreeMap::new();
    for v in vs {
        *counts.entry(space.identity(&v.ty)).or_default() += 1;
    }
    let variants = vs
        .iter()
        .map(|v| {
            let source = RustType::of(space, &v.ty);
            let unique = counts[&space.identity(&v.ty)] == 1;
            UntaggedVariantSurface {
                name: &v.name,
                value: source.clone().boxed_if(v.boxed),
                from: unique.then_some(FromImpl {
                    from_str: matches!(v.ty, TypeRef::String),
                    source,
                    boxed: v.boxed,
                }),
            }
        })
        .collect();
    UntaggedSurface {
        variants,
        deserialize: Deserialize::of(def),
        writes_fields,
    }
}
