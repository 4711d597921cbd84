//! The type space: every named type the crate will have, addressed by [`TypeId`], and the references
//! between them ([`TypeRef`]).

use crate::pointer::Pointer;
use serde_json::Value;

/// Index of a named type in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// How a value is typed where it is used.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    /// `int32` → 32 bits, otherwise 64.
    Integer {
        bits32: bool,
    },
    Number,
    Boolean,
    /// Any JSON value (no shape given).
    Json,
    /// A JSON object with no declared properties.
    JsonObject,
    Named(TypeId),
    Array(Box<TypeRef>),
    /// A string-keyed map.
    Map(Box<TypeRef>),
    /// The value may be `null` (array items, map values, union variants).
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// The named type this reference mentions (a reference holds at most one).
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) => t.named(),
            _ => None,
        }
    }

    /// The named type held by value (not behind a `Vec` or a map), which is what makes a cycle of
    /// types infinitely large.
    pub fn by_value(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Nullable(t) => t.by_value(),
            _ => None,
        }
    }
}

/// Where in a definition a named type is referred to: the one walk over references that every pass
/// uses (reachability, tag stripping, cycle boxing, the change report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The field at this index of a struct.
    Field(usize),
    /// The values of a struct's extra properties.
    Additional,
    /// The variant at this index of a tagged union.
    Tagged(usize),
    /// The variant at this index of an untagged union.
    Untagged(usize),
    /// The target of an alias.
    Alias,
}

/// One reference from a definition to a named type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub to: TypeId,
    pub place: Place,
    /// Held by value rather than behind a `Vec` or a map.
    pub by_value: bool,
}

impl TypeKind {
    /// Every named type this definition refers to, in order.
    pub fn edges(&self) -> Vec<Edge> {
        let of = |t: &TypeRef, place: Place| {
            t.named().map(|to| Edge {
                to,
                place,
                by_value: t.by_value().is_some(),
            })
        };
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| of(&f.ty, Place::Field(i)))
                // Extra properties live in a map, never by value.
                .chain(s.additional.as_ref().and_then(|a| {
                    of(a, Place::Additional).map(|e| Edge {
                        by_value: false,
                        ..e
                    })
                }))
                .collect(),
            TypeKind::Tagged(u) => u
                .variants
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    v.ty.map(|to| Edge {
                        to,
                        place: Place::Tagged(i),
                        by_value: true,
                    })
                })
                .collect(),
            TypeKind::Untagged(vs) => vs
                .iter()
                .enumerate()
                .filter_map(|(i, v)| of(&v.ty, Place::Untagged(i)))
                .collect(),
            TypeKind::Alias(t) => of(t, Place::Alias).into_iter().collect(),
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
        }
    }

    /// The named types this definition refers to.
    pub fn children(&self) -> impl Iterator<Item = TypeId> {
        self.edges().into_iter().map(|e| e.to)
    }
}

/// Where a type came from, which decides its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `#/components/schemas/<name>`.
    Component(String),
    /// A schema written in place, named after where it is (`StartRecordingRequestChannels`: the
    /// parent's name and the field's), never after another schema: see [`super::context`].
    Inline {
        /// The location name.
        context: String,
    },
    /// The query and header parameters of an operation (`<Owner>Params`, the owner being the
    /// operation's place: `ConferenceListParams`).
    Params { owner: String },
    /// The one definition of a shape several inline places share, each of them an alias of it,
    /// under a neutral name: the words the places' names have in common (`RecordType`), or one
    /// `spec/overrides.toml` gives; never one place's name.
    Shared { name: String },
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, set once every type is known.
    pub name: String,
    pub origin: Origin,
    pub pointer: Pointer,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// The schema itself admits `null` (every use is nullable).
    pub nullable: bool,
    /// The spec's example of a value, if any.
    pub example: Option<Value>,
    /// Reached from a request body (gets construction helpers; optional nullable fields get 3 states).
    pub in_request: bool,
    /// Reached from a response or webhook.
    pub in_response: bool,
    /// An inline schema that shares the definition of another type of the same shape: its kind is
    /// `Alias` of that type, emitted as `pub type Name = Shared;` under its own name, and it becomes a
    /// type of its own when the shapes differ.
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    StringEnum(Vec<EnumValue<String>>),
    IntEnum(Vec<EnumValue<i64>>),
    /// `oneOf`/`anyOf` with a discriminator.
    Tagged(TaggedUnion),
    /// `oneOf`/`anyOf` without one, in the order serde should try the variants.
    Untagged(Vec<UntaggedVariant>),
    /// A named alias of another type (`type: string` components).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to `properties`: the extra keys, kept.
    pub additional: Option<TypeRef>,
    /// Constraints the type cannot express (`anyOf` of `required` lists), for the docs.
    pub constraints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key on the wire.
    pub json_name: String,
    /// The field's word (snake case; [`crate::naming::ident`] makes it an identifier, `type` → `r#type`).
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// Part of a cycle: stored behind a `Box`.
    pub boxed: bool,
    /// The spec's example for this field.
    pub example: Option<Value>,
    pub pointer: Pointer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue<T> {
    pub value: T,
    /// The Rust variant name.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedUnion {
    /// The discriminator property.
    pub tag: String,
    pub variants: Vec<TaggedVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// Tag values that select this variant; the first is written when serializing.
    pub tags: Vec<String>,
    pub name: String,
    /// The variant's fields (a struct or a nested tagged union); `None` when nothing is left once the tag
    /// is taken out (a unit variant).
    pub ty: Option<TypeId>,
    /// Part of a cycle: stored behind a `Box`.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Part of a cycle: stored behind a `Box`.
    pub boxed: bool,
}

/// All named types, addressed by id. Unreachable types stay in place (ids never move) but are not
/// emitted.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    pub defs: Vec<TypeDef>,
    /// The types reached from the operations and webhooks in scope, once finalized.
    pub reachable: std::collections::BTreeSet<TypeId>,
}

impl TypeSpace {
    /// The definition a reference stands for: the type itself, or, through aliases of named types
    /// (a shared shape, `pub type Name = Other;`), the type they lead to. Its [`TypeDef::kind`]
    /// decides what a value looks like; the name to write is [`Self::name`].
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[self.definition(id).0]
    }

    /// The id of [`Self::get`]'s definition.
    pub fn definition(&self, mut id: TypeId) -> TypeId {
        // Alias chains are short; the bound only guards against a cycle in a broken model.
        for _ in 0..16 {
            match self.alias_target(id) {
                Some(next) => id = next,
                None => break,
            }
        }
        id
    }

    /// The named type `id` is an alias of (a shared shape, or `pub type Name = Other;`), if any.
    pub fn alias_target(&self, id: TypeId) -> Option<TypeId> {
        match &self.defs[id.0].kind {
            TypeKind::Alias(TypeRef::Named(target)) => Some(*target),
            _ => None,
        }
    }

    /// The Rust type a reference stands for, aliases resolved: two references with the same identity
    /// are one Rust type (so they cannot both be untagged variants, nor both have a `From` impl).
    pub fn identity(&self, t: &TypeRef) -> TypeRef {
        match t {
            TypeRef::Named(id) => TypeRef::Named(self.definition(*id)),
            // Both are `serde_json::Value`.
            TypeRef::JsonObject => TypeRef::Json,
            TypeRef::Array(i) => TypeRef::Array(Box::new(self.identity(i))),
            TypeRef::Map(i) => TypeRef::Map(Box::new(self.identity(i))),
            TypeRef::Nullable(i) => TypeRef::Nullable(Box::new(self.identity(i))),
            other => other.clone(),
        }
    }

    /// The Rust name of the type at `id` (its own, also when it shares another's definition).
    pub fn name(&self, id: TypeId) -> &str {
        &self.defs[id.0].name
    }

    /// The types to emit, sorted by name (output order never depends on discovery order).
    pub fn emitted(&self) -> Vec<(TypeId, &TypeDef)> {
        let mut out: Vec<(TypeId, &TypeDef)> = self
            .reachable
            .iter()
            .map(|id| (*id, &self.defs[id.0]))
            .collect();
        out.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        out
    }
}
