//! The schemas the fake Telnyx checks request bodies against: every named type a JSON request body
//! reaches, as a table the hand-written checker in `templates/src/testing/schema.rs` walks, so a body
//! the real API would refuse for a missing field or an unlisted value is refused by the fake too.

use crate::model::operations::Operation;
use crate::model::types::{TypeId, TypeKind, TypeRef, TypeSpace};
use std::collections::{BTreeMap, BTreeSet};

/// The shape of a value, as the checker's `Shape` spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaShape {
    String,
    Integer {
        bits32: bool,
    },
    Number,
    Boolean,
    /// Any JSON value (also a named type outside the table).
    Any,
    Object,
    /// A type of the table, by index.
    Def(usize),
    Array(Box<SchemaShape>),
    Map(Box<SchemaShape>),
    Nullable(Box<SchemaShape>),
}

/// One entry of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaDef<'m> {
    Struct {
        fields: Vec<SchemaField<'m>>,
        additional: Option<SchemaShape>,
    },
    Strings(Vec<&'m str>),
    Integers(Vec<i64>),
    /// The tag's key and, per variant, the tags that select it and its fields' entry.
    Tagged {
        tag: &'m str,
        variants: Vec<(&'m [String], Option<usize>)>,
    },
    Untagged(Vec<SchemaShape>),
    Alias(SchemaShape),
}

/// A field of a struct entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaField<'m> {
    /// The key on the wire.
    pub name: &'m str,
    pub shape: SchemaShape,
    pub required: bool,
    /// The field, or its named type, admits `null`.
    pub nullable: bool,
}

/// The named types JSON request bodies reach, each with its index in the table.
pub(super) struct Defs<'s> {
    space: &'s TypeSpace,
    index: BTreeMap<TypeId, usize>,
}

impl<'s> Defs<'s> {
    pub(super) fn reached_from<'o>(
        space: &'s TypeSpace,
        operations: impl Iterator<Item = &'o Operation>,
    ) -> Self {
        let mut seen: BTreeSet<TypeId> = BTreeSet::new();
        let mut todo: Vec<TypeId> = operations
            .filter_map(Operation::json_body)
            .filter_map(|t| t.named())
            .collect();
        while let Some(id) = todo.pop() {
            let id = space.definition(id);
            if seen.insert(id) {
                todo.extend(space.get(id).kind.children());
            }
        }
        // Sorted by name, so the table reads like the types module and never moves with discovery.
        let mut ids: Vec<TypeId> = seen.into_iter().collect();
        ids.sort_by(|a, b| space.get(*a).name.cmp(&space.get(*b).name));
        Defs {
            space,
            index: ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect(),
        }
    }

    pub(super) fn shape(&self, t: &TypeRef) -> SchemaShape {
        let boxed = |t: &TypeRef| Box::new(self.shape(t));
        match t {
            TypeRef::String => SchemaShape::String,
            TypeRef::Integer { bits32 } => SchemaShape::Integer { bits32: *bits32 },
            TypeRef::Number => SchemaShape::Number,
            TypeRef::Boolean => SchemaShape::Boolean,
            TypeRef::Json => SchemaShape::Any,
            TypeRef::JsonObject => SchemaShape::Object,
            TypeRef::Named(id) => match self.entry(*id) {
                Some(i) => SchemaShape::Def(i),
                None => SchemaShape::Any,
            },
            TypeRef::Array(item) => SchemaShape::Array(boxed(item)),
            TypeRef::Map(value) => SchemaShape::Map(boxed(value)),
            TypeRef::Nullable(inner) => SchemaShape::Nullable(boxed(inner)),
        }
    }

    fn entry(&self, id: TypeId) -> Option<usize> {
        self.index.get(&self.space.definition(id)).copied()
    }

    /// The table, in index order.
    pub(super) fn table(&self) -> Vec<SchemaDef<'s>> {
        let mut ordered: Vec<(usize, TypeId)> =
            self.index.iter().map(|(id, i)| (*i, *id)).collect();
        ordered.sort();
        ordered.iter().map(|(_, id)| self.def(*id)).collect()
    }

    fn def(&self, id: TypeId) -> SchemaDef<'s> {
        let space = self.space;
        match &space.get(id).kind {
            TypeKind::Struct(s) => SchemaDef::Struct {
                fields: s
                    .fields
                    .iter()
                    .map(|f| SchemaField {
                        name: &f.json_name,
                        shape: self.shape(&f.ty),
                        required: f.required,
                        nullable: f.nullable || def_nullable(space, &f.ty),
                    })
                    .collect(),
                additional: s.additional.as_ref().map(|a| self.shape(a)),
            },
            TypeKind::StringEnum(values) => {
                SchemaDef::Strings(values.iter().map(|v| v.value.as_str()).collect())
            }
            TypeKind::IntEnum(values) => {
                SchemaDef::Integers(values.iter().map(|v| v.value).collect())
            }
            TypeKind::Tagged(u) => SchemaDef::Tagged {
                tag: &u.tag,
                variants: u
                    .variants
                    .iter()
                    .map(|v| (v.tags.as_slice(), v.ty.and_then(|t| self.entry(t))))
                    .collect(),
            },
            TypeKind::Untagged(vs) => {
                SchemaDef::Untagged(vs.iter().map(|v| self.shape(&v.ty)).collect())
            }
            TypeKind::Alias(t) => SchemaDef::Alias(self.shape(t)),
        }
    }
}

/// Whether the named type itself admits `null` (then every use of it does).
fn def_nullable(space: &TypeSpace, t: &TypeRef) -> bool {
    match t {
        TypeRef::Named(id) => space.get(*id).nullable,
        _ => false,
    }
}
