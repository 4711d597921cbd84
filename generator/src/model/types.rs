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
    /// The named types this reference mentions.
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Nullable(t) => t.named(),
            _ => None,
        }
    }
}

/// Where a type came from, which decides its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `#/components/schemas/<name>`.
    Component(String),
    /// A schema written in place: named after its `title` when that is unambiguous, else after where
    /// it is (`ParentField`).
    Inline {
        context: String,
        /// The last word of the context (`VoiceSettings` of `SpeakRequestVoiceSettings`).
        leaf: String,
        title: Option<String>,
        /// Set when several identical inline schemas were merged into this one and they all sit under
        /// the same leaf: the name they share.
        shared_leaf: Option<String>,
    },
    /// The query and header parameters of an operation (`<OperationId>Params`, or
    /// `<Service><OperationId>Params` when operations share an operationId).
    Params {
        operation_id: String,
        service: String,
    },
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
    /// Merged into another type with the same shape; not emitted.
    pub merged_into: Option<TypeId>,
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
    /// The Rust field name (identifier token, maybe `r#type`).
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

/// All named types, addressed by id. Merged and unreachable types stay in place (ids never move) but
/// are not emitted.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    pub defs: Vec<TypeDef>,
    /// The types reached from the operations and webhooks in scope, once finalized.
    pub reachable: std::collections::BTreeSet<TypeId>,
}

impl TypeSpace {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[self.canonical(id).0]
    }

    /// The id a merged type now stands for.
    pub fn canonical(&self, mut id: TypeId) -> TypeId {
        while let Some(next) = self.defs[id.0].merged_into {
            id = next;
        }
        id
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
