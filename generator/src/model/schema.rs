//! Turns schemas into [`TypeRef`]s and named [`TypeDef`]s. Every named type is keyed by the pointer of
//! its definition, so a schema reached twice is one type, forward and cyclic references just work, and
//! names never depend on the order in which operations reach a schema.

use super::context::context_name;
use super::placement::Placements;
use super::types::*;
use super::unmodeled::Unmodeled;
use crate::diagnostic::{Class as Defect, Diagnostics};
use crate::error::{Error, Result};
use crate::naming::upper_camel;
use crate::pointer::Pointer;
use crate::spec::view::{kind, resolve, Node};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Schema keywords the model understands (validation keywords are documented, not enforced).
const KNOWN_KEYWORDS: [&str; 36] = [
    "type",
    "format",
    "enum",
    "nullable",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "oneOf",
    "anyOf",
    "allOf",
    "discriminator",
    "title",
    "description",
    "example",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "minProperties",
    "maxProperties",
    "externalDocs",
    "$ref",
    "$schema",
    "$comment",
];

/// A use of a type: the type and whether `null` is allowed there.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// What a schema turns into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Struct,
    StringEnum,
    IntEnum,
    Union,
    /// `allOf` with one member and nothing else: that member.
    Wrapper,
    /// Everything that is a [`TypeRef`] without a named type of its own.
    Plain,
}

pub struct TypeBuilder<'a> {
    doc: &'a Value,
    pub space: TypeSpace,
    by_pointer: BTreeMap<Pointer, TypeId>,
    queue: VecDeque<TypeId>,
    pub unmodeled: Unmodeled,
    /// Defects met while reading schemas, each with the reading taken.
    pub diagnostics: Diagnostics,
    /// Types whose definition was already checked for unmodeled keywords.
    visited: BTreeSet<Pointer>,
    /// How deep [`Self::shape`] is nested.
    depth: usize,
    /// The Rust names of every component schema (`upper_camel` of its key), made once.
    component_names: BTreeSet<String>,
    /// Where each operation goes: its types are named after it.
    pub placements: Placements,
}

/// How many levels of unnamed schemas (arrays of arrays, maps of maps) are followed.
const MAX_NESTING: usize = 64;

impl<'a> TypeBuilder<'a> {
    pub fn new(doc: &'a Value, placements: Placements) -> Self {
        TypeBuilder {
            doc,
            placements,
            space: TypeSpace::default(),
            by_pointer: BTreeMap::new(),
            queue: VecDeque::new(),
            unmodeled: Unmodeled::default(),
            diagnostics: Diagnostics::default(),
            visited: BTreeSet::new(),
            depth: 0,
            component_names: doc
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|schemas| schemas.keys().map(|k| upper_camel(k)).collect())
                .unwrap_or_default(),
        }
    }

    /// Builds the kinds of all types discovered so far (and those they discover).
    pub fn drain(&mut self) -> Result<()> {
        while let Some(id) = self.queue.pop_front() {
            let pointer = self.space.defs[id.0].pointer.clone();
            let value = pointer
                .resolve(self.doc)
                .ok_or_else(|| Error::spec(&pointer, "schema disappeared"))?;
            let node = Node::new(value, pointer.clone());
            let kind = match self.kind_of(&node) {
                Ok(kind) => kind,
                Err(e) => {
                    self.unreadable(e, &pointer)?;
                    TypeKind::Alias(TypeRef::Json)
                }
            };
            self.space.defs[id.0].kind = kind;
        }
        Ok(())
    }

    /// The type of the schema at `node` where it is used. A schema with no reading is
    /// `serde_json::Value` here, with a warning; the rest of the spec is unaffected.
    pub fn shape(&mut self, node: &Node<'a>) -> Result<Shape> {
        // Named types end recursion; arrays, maps and wrappers do not, so a `$ref` into one's own
        // items would recurse forever.
        if self.depth >= MAX_NESTING {
            return Err(Error::spec(
                &node.pointer,
                format!("schemas nest more than {MAX_NESTING} levels without a named type (a `$ref` cycle through items or values?)"),
            ));
        }
        self.depth += 1;
        let shape = self.shape_inner(node);
        self.depth -= 1;
        match shape {
            Ok(shape) => Ok(shape),
            Err(e) => {
                self.unreadable(e, &node.pointer)?;
                Ok(Shape {
                    ty: TypeRef::Json,
                    nullable: false,
                })
            }
        }
    }

    /// The schema a `$ref` at `node` meant when it names a parameter, header, response or request body
    /// (the spec has such slips): the parameter's `schema`, or the JSON body's. Any other target is the
    /// schema itself.
    fn schema_behind(&mut self, node: &Node<'a>, target: Node<'a>) -> Result<Node<'a>> {
        let tokens: Vec<String> = target.pointer.tokens().collect();
        let what = match tokens.as_slice() {
            [c, kind, _] if c == "components" => match kind.as_str() {
                "parameters" => "parameter",
                "headers" => "header",
                "responses" => "response",
                "requestBodies" => "request body",
                _ => return Ok(target),
            },
            _ => return Ok(target),
        };
        let schema = match target.get("schema") {
            Some(schema) => Some(schema),
            None => target
                .entries("content")?
                .into_iter()
                .find(|(media, _)| {
                    super::media_class::MediaClass::of(media)
                        == super::media_class::MediaClass::Json
                })
                .and_then(|(_, media)| media.get("schema")),
        };
        let at = node.pointer.push("$ref");
        let message = format!(
            "`$ref` to the {what} {} where a schema belongs",
            target.pointer
        );
        if let Some(schema) = schema {
            let action = format!("read the {what}'s schema ({})", schema.pointer);
            self.diagnostics
                .warn(Defect::RefToNonSchema, &at, message, action);
            return Ok(schema);
        }
        // Some are schemas filed under the wrong kind of component.
        let schema_like = [
            "type",
            "properties",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "enum",
        ];
        if schema_like.iter().any(|k| target.value.get(*k).is_some()) {
            let action = "read it as the schema it is written as".to_owned();
            self.diagnostics
                .warn(Defect::RefToNonSchema, &at, message, action);
            return Ok(target);
        }
        Err(Error::spec(&at, format!("{message}, and it has no schema")))
    }

    /// Records that the schema at `schema` has no reading because of `e` (a defect inside it) and is
    /// read as `serde_json::Value`; errors that no schema can absorb are returned.
    fn unreadable(&mut self, e: Error, schema: &Pointer) -> Result<()> {
        let (at, message) = e.into_defect()?;
        self.diagnostics.warn(
            Defect::UnreadableSchema,
            &at,
            message,
            format!("read the schema at {schema} as `serde_json::Value`"),
        );
        Ok(())
    }

    fn shape_inner(&mut self, node: &Node<'a>) -> Result<Shape> {
        if let Value::Bool(b) = node.value {
            return if *b {
                Ok(Shape {
                    ty: TypeRef::Json,
                    nullable: true,
                })
            } else {
                Err(Error::spec(&node.pointer, "schema `false` admits no value"))
            };
        }
        if node.reference()?.is_some() {
            let (target, _) = resolve(self.doc, node.clone())?;
            let target = self.schema_behind(node, target)?;
            return self.shape(&target);
        }
        node.object()?;
        self.note_unmodeled(node);
        let nullable = node.flag("nullable")?;
        let class = self.classify(node)?;
        let shape = match class {
            Class::Struct | Class::StringEnum | Class::IntEnum | Class::Union => {
                let id = self.named(node)?;
                let own_null = self.space.defs[id.0].nullable;
                Shape {
                    ty: TypeRef::Named(id),
                    nullable: own_null,
                }
            }
            Class::Wrapper => match single_member(node)? {
                Some(member) => self.shape(&member)?,
                None => self.plain(node)?,
            },
            Class::Plain => self.plain(node)?,
        };
        Ok(Shape {
            nullable: shape.nullable || nullable,
            ..shape
        })
    }

    /// The named type defined at `node` (allocated on first sight, built later by [`Self::drain`]).
    pub fn named(&mut self, node: &Node<'a>) -> Result<TypeId> {
        if let Some(id) = self.by_pointer.get(&node.pointer) {
            return Ok(*id);
        }
        let tokens: Vec<String> = node.pointer.tokens().collect();
        let origin = match tokens.as_slice() {
            [c, s, name] if c == "components" && s == "schemas" => Origin::Component(name.clone()),
            _ => Origin::Inline {
                context: context_name(self.doc, &node.pointer, &self.placements),
            },
        };
        let id = TypeId(self.space.defs.len());
        self.space.defs.push(TypeDef {
            name: String::new(),
            origin,
            pointer: node.pointer.clone(),
            doc: node.description().map(str::to_owned),
            kind: TypeKind::Alias(TypeRef::Json),
            nullable: node.flag("nullable")?,
            example: node.value.get("example").cloned(),
            in_request: false,
            in_response: false,
            shared: false,
        });
        self.by_pointer.insert(node.pointer.clone(), id);
        self.queue.push_back(id);
        Ok(id)
    }

    /// A name of its own for a type used at `pointer` but defined elsewhere (an operation's response
    /// that is a `$ref`): `pub type <context> = <target>;`. Complete when made, never shared.
    pub fn alias_at(
        &mut self,
        pointer: Pointer,
        context: String,
        target: TypeRef,
        doc: String,
    ) -> TypeId {
        let id = TypeId(self.space.defs.len());
        self.space.defs.push(TypeDef {
            name: String::new(),
            origin: Origin::Inline { context },
            pointer,
            doc: Some(doc),
            kind: TypeKind::Alias(target),
            nullable: false,
            example: None,
            in_request: false,
            in_response: false,
            shared: false,
        });
        id
    }

    /// Whether a component schema converts to `name`.
    pub fn is_component_name(&self, name: &str) -> bool {
        self.component_names.contains(name)
    }

    /// The name a type will have before naming settles collisions: a component's converted name, or
    /// an inline schema's location name.
    pub fn wanted_name(&self, id: TypeId) -> String {
        match &self.space.defs[id.0].origin {
            Origin::Component(name) => upper_camel(name),
            Origin::Inline { context } => context.clone(),
            Origin::Params { owner } => crate::naming::params_type(owner),
            Origin::Shared { name } => name.clone(),
        }
    }

    /// A struct holding an operation's query and header parameters. It has no schema of its own, so it
    /// is built here, complete, and never merged with another type.
    pub fn params_struct(
        &mut self,
        op: &Pointer,
        owner: &str,
        call: &str,
        fields: Vec<Field>,
    ) -> TypeId {
        let id = TypeId(self.space.defs.len());
        self.space.defs.push(TypeDef {
            name: String::new(),
            origin: Origin::Params {
                owner: owner.to_owned(),
            },
            pointer: op.push("parameters"),
            doc: Some(format!("Query and header parameters of `{call}`.")),
            kind: TypeKind::Struct(Struct {
                fields,
                additional: None,
                constraints: Vec::new(),
            }),
            nullable: false,
            example: None,
            in_request: false,
            in_response: false,
            shared: false,
        });
        id
    }

    /// The named type of a component schema, following a `$ref` alias chain to its definition.
    pub fn component(&mut self, node: &Node<'a>) -> Result<TypeId> {
        let (target, _) = resolve(self.doc, node.clone())?;
        self.named(&target)
    }

    fn note_unmodeled(&mut self, node: &Node<'a>) {
        if !self.visited.insert(node.pointer.clone()) {
            return;
        }
        let Some(obj) = node.value.as_object() else {
            return;
        };
        for key in obj.keys() {
            if !KNOWN_KEYWORDS.contains(&key.as_str()) && !key.starts_with("x-") {
                self.unmodeled
                    .record(format!("schema keyword `{key}`"), &node.pointer.push(key));
            }
        }
        if obj.contains_key("discriminator")
            && !obj.contains_key("oneOf")
            && !obj.contains_key("anyOf")
        {
            self.unmodeled.record(
                "discriminator without oneOf/anyOf",
                &node.pointer.push("discriminator"),
            );
        }
    }

    fn classify(&self, node: &Node<'a>) -> Result<Class> {
        let has = |k: &str| node.value.get(k).is_some();
        if single_member(node)?.is_some() {
            return Ok(Class::Wrapper);
        }
        if has("oneOf") || has("anyOf") {
            if constraint_branches(node).is_some() {
                return Ok(Class::Struct);
            }
            return Ok(Class::Union);
        }
        if has("allOf") {
            return Ok(Class::Struct);
        }
        if let Some(values) = node.value.get("enum") {
            let Some(values) = values.as_array() else {
                return Err(Error::spec(
                    &node.pointer.push("enum"),
                    format!("expected a list, found {}", kind(values)),
                ));
            };
            let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if non_null.is_empty() {
                return Ok(Class::Plain);
            }
            if non_null.iter().all(|v| v.is_string()) {
                return Ok(Class::StringEnum);
            }
            if non_null.iter().all(|v| v.is_i64()) && node.str("type")? != Some("number") {
                return Ok(Class::IntEnum);
            }
            return Ok(Class::Plain);
        }
        let ty = node.str("type")?;
        if matches!(ty, Some("object") | None) && !node.entries("properties")?.is_empty() {
            return Ok(Class::Struct);
        }
        Ok(Class::Plain)
    }

    /// Types without a definition of their own: scalars, arrays, maps, free-form JSON.
    fn plain(&mut self, node: &Node<'a>) -> Result<Shape> {
        let nullable = node.flag("nullable")?;
        let ty = match node.str("type")? {
            Some("string") => TypeRef::String,
            Some("integer") => TypeRef::Integer {
                bits32: node.str("format")? == Some("int32"),
            },
            Some("number") => TypeRef::Number,
            Some("boolean") => TypeRef::Boolean,
            Some("array") => match node.get("items") {
                Some(items) => {
                    let item = self.shape(&items)?;
                    TypeRef::Array(Box::new(nullable_ref(item)))
                }
                None => TypeRef::Array(Box::new(TypeRef::Json)),
            },
            Some("object") | None => match node.get("additionalProperties") {
                Some(ap) if ap.value.is_object() && !ap.value.as_object().is_some_and(|m| m.is_empty()) => {
                    let value = self.shape(&ap)?;
                    TypeRef::Map(Box::new(nullable_ref(value)))
                }
                _ if node.str("type")? == Some("object") => TypeRef::JsonObject,
                _ if node.value.get("additionalProperties").is_some() => TypeRef::JsonObject,
                _ => TypeRef::Json,
            },
            Some("null") => TypeRef::Json,
            Some(other) => {
                return Err(Error::spec(
                    &node.pointer.push("type"),
                    format!("unknown type `{other}` (expected string, integer, number, boolean, array, object or null)"),
                ))
            }
        };
        let null_only =
            matches!(node.value.get("enum"), Some(Value::Array(v)) if v.iter().all(Value::is_null));
        Ok(Shape {
            ty,
            nullable: nullable || null_only,
        })
    }

    /// A property's own `required: true`, Swagger 2's way of saying what the object's `required` list
    /// says in OpenAPI 3: read as meant, with a warning (`listed`: the list names it too).
    fn required_flag(&mut self, name: &str, prop: &Node<'a>, listed: bool) -> bool {
        let Some(Value::Bool(flag)) = prop.value.get("required") else {
            return false;
        };
        let reading = if *flag || listed {
            "required"
        } else {
            "optional"
        };
        self.diagnostics.warn(
            Defect::RequiredOnProperty,
            &prop.pointer.push("required"),
            format!("`required: {flag}` in the property's own schema instead of the object's `required` list"),
            format!("read the property `{name}` as {reading}"),
        );
        *flag
    }

    fn kind_of(&mut self, node: &Node<'a>) -> Result<TypeKind> {
        self.note_unmodeled(node);
        match self.classify(node)? {
            Class::Struct => self.structure(node).map(TypeKind::Struct),
            Class::StringEnum => Ok(TypeKind::StringEnum(
                enum_strings(node)?
                    .into_iter()
                    .map(|v| EnumValue {
                        value: v,
                        name: String::new(),
                    })
                    .collect(),
            )),
            Class::IntEnum => Ok(TypeKind::IntEnum(
                enum_ints(node)
                    .into_iter()
                    .map(|v| EnumValue {
                        value: v,
                        name: String::new(),
                    })
                    .collect(),
            )),
            Class::Union => self.union(node),
            Class::Wrapper | Class::Plain => {
                // A component that is only another type: an alias. (Inline plain schemas never get here.)
                let shape = match single_member(node)? {
                    Some(member) => self.shape(&member)?,
                    None => self.plain(node)?,
                };
                Ok(TypeKind::Alias(shape.ty))
            }
        }
    }

    fn structure(&mut self, node: &Node<'a>) -> Result<Struct> {
        let mut props: Vec<(String, Node<'a>)> = Vec::new();
        let mut required: Vec<(String, Pointer)> = Vec::new();
        let mut additional: Option<Node<'a>> = None;
        self.collect_members(node, &mut props, &mut required, &mut additional, 0)?;
        let mut fields = Vec::new();
        for (name, prop) in &props {
            let shape = self.shape(prop)?;
            let (doc, deprecated) = (
                prop.description().map(str::to_owned),
                prop.flag("deprecated")?,
            );
            let listed = required.iter().any(|(r, _)| r == name);
            let flagged = self.required_flag(name, prop, listed);
            fields.push(Field {
                json_name: name.clone(),
                name: String::new(),
                ty: shape.ty,
                required: listed || flagged,
                nullable: shape.nullable,
                doc,
                deprecated,
                boxed: false,
                example: prop.value.get("example").cloned(),
                pointer: prop.pointer.clone(),
            });
        }
        let additional_ty = match additional {
            Some(ap) => Some(nullable_ref(self.shape(&ap)?)),
            None => None,
        };
        // With additional properties, a required name may be one of them.
        if additional_ty.is_none() {
            for (missing, list) in required
                .iter()
                .filter(|(r, _)| !props.iter().any(|(n, _)| n == r))
            {
                let owner = if list.is_within(&node.pointer) {
                    String::new()
                } else {
                    format!(" of {}", node.pointer)
                };
                self.diagnostics.warn(
                    Defect::RequiredNotAProperty,
                    list,
                    format!("required name `{missing}` is not among the properties{owner}"),
                    format!("ignored the required name `{missing}`"),
                );
            }
        }
        let constraints = constraint_branches(node)
            .map(|(word, lists)| {
                let lists: Vec<String> = lists
                    .iter()
                    .map(|l| {
                        l.iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    })
                    .collect();
                vec![format!(
                    "{word} of these must be set: {}.",
                    lists.join("; or ")
                )]
            })
            .unwrap_or_default();
        Ok(Struct {
            fields,
            additional: additional_ty,
            constraints,
        })
    }

    /// Gathers properties from `allOf` members (in order, later ones override) and the schema itself.
    fn collect_members(
        &mut self,
        node: &Node<'a>,
        props: &mut Vec<(String, Node<'a>)>,
        required: &mut Vec<(String, Pointer)>,
        additional: &mut Option<Node<'a>>,
        depth: usize,
    ) -> Result<()> {
        if depth > 32 {
            return Err(Error::spec(
                &node.pointer,
                "`allOf` nests more than 32 levels (a cycle?)",
            ));
        }
        let (node, _) = resolve(self.doc, node.clone())?;
        self.note_unmodeled(&node);
        for member in node.list("allOf")? {
            self.collect_members(&member, props, required, additional, depth + 1)?;
        }
        for (name, prop) in node.entries("properties")? {
            match props.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = prop,
                None => props.push((name.to_owned(), prop)),
            }
        }
        // A boolean is a property's own `required: true` (see `required_flag`), not a list of names.
        let own = match node.value.get("required") {
            Some(Value::Bool(_)) => Vec::new(),
            _ => node.strings("required")?,
        };
        for r in own {
            if !required.iter().any(|(x, _)| x == r) {
                required.push((r.to_owned(), node.pointer.push("required")));
            }
        }
        if let Some(ap) = node.get("additionalProperties") {
            match ap.value {
                Value::Bool(false) => {}
                Value::Bool(true) => *additional = Some(ap),
                Value::Object(m) if m.is_empty() => *additional = Some(ap),
                Value::Object(_) => *additional = Some(ap),
                other => {
                    return Err(Error::spec(
                        &ap.pointer,
                        format!("expected a schema or a boolean, found {}", kind(other)),
                    ))
                }
            }
        }
        Ok(())
    }

    fn union(&mut self, node: &Node<'a>) -> Result<TypeKind> {
        let key = if node.value.get("oneOf").is_some() {
            "oneOf"
        } else {
            "anyOf"
        };
        let branches = node.list(key)?;
        if branches.is_empty() {
            return Err(Error::spec(
                &node.pointer.push(key),
                "a union with no branches",
            ));
        }
        if let Some(disc) = node.get("discriminator") {
            match self.tagged(&disc, &branches) {
                Ok(kind) => return Ok(kind),
                Err(e) => {
                    let (at, message) = e.into_defect()?;
                    self.diagnostics.warn(
                        Defect::UnusableDiscriminator,
                        &at,
                        message,
                        format!(
                            "read {} as an untagged union (the branches are kept)",
                            node.pointer
                        ),
                    );
                }
            }
        }
        let mut variants = Vec::new();
        for b in &branches {
            let shape = self.shape(b)?;
            variants.push(UntaggedVariant {
                name: String::new(),
                ty: nullable_ref(shape),
                boxed: false,
            });
        }
        Ok(TypeKind::Untagged(variants))
    }

    fn tagged(&mut self, disc: &Node<'a>, branches: &[Node<'a>]) -> Result<TypeKind> {
        let tag = disc
            .str("propertyName")?
            .ok_or_else(|| Error::spec(&disc.pointer, "discriminator without `propertyName`"))?
            .to_owned();
        // tag value → referenced definition, in mapping order, then implicit (schema name) ones.
        let mut by_target: Vec<(Pointer, Vec<String>)> = Vec::new();
        for (value, target) in disc.entries("mapping")? {
            let reference = target.value.as_str().ok_or_else(|| {
                Error::spec(
                    &target.pointer,
                    format!("expected a `$ref` string, found {}", kind(target.value)),
                )
            })?;
            let pointer = match Pointer::from_ref(reference) {
                Some(p) => p,
                // A bare schema name is allowed by the spec.
                None if !reference.contains('/') => Pointer::root()
                    .push("components")
                    .push("schemas")
                    .push(reference),
                None => {
                    return Err(Error::spec(
                        &target.pointer,
                        format!("only local references are supported, found `{reference}`"),
                    ))
                }
            };
            if pointer.resolve(self.doc).is_none() {
                return Err(Error::spec(
                    &target.pointer,
                    format!("discriminator mapping `{value}` points to nothing: {reference}"),
                ));
            }
            match by_target.iter_mut().find(|(p, _)| *p == pointer) {
                Some((_, tags)) => tags.push(value.to_owned()),
                None => by_target.push((pointer, vec![value.to_owned()])),
            }
        }
        for b in branches {
            // `{$ref, title}` branches arrive as one-member allOf wrappers; inline branches stand for
            // themselves.
            let mut branch = b.clone();
            while let Some(member) = single_member(&branch)? {
                branch = member;
            }
            let (target, _) = resolve(self.doc, branch)?;
            if !by_target.iter().any(|(p, _)| *p == target.pointer) {
                let implicit = implicit_tag(&target, &tag)?.ok_or_else(|| {
                    Error::spec(
                        &b.pointer,
                        format!("cannot tell the `{tag}` value of this branch: add it to the discriminator mapping"),
                    )
                })?;
                by_target.push((target.pointer.clone(), vec![implicit]));
            }
        }
        let mut targets = Vec::new();
        for (pointer, tags) in by_target {
            let value = pointer
                .resolve(self.doc)
                .ok_or_else(|| Error::spec(&pointer, "schema disappeared"))?;
            let target = Node::new(value, pointer);
            let (target, _) = resolve(self.doc, target)?;
            let class = self.classify(&target)?;
            if !matches!(class, Class::Struct | Class::Union) {
                return Err(Error::spec(
                    &disc.pointer,
                    format!(
                        "the variant `{}` ({}) of a union tagged by `{tag}` is not an object",
                        tags[0], target.pointer
                    ),
                ));
            }
            if class == Class::Union {
                if let Some(why) = self.unwritable_branch(&target, &tag, 0)? {
                    return Err(Error::spec(
                        &disc.pointer,
                        format!(
                            "the variant `{}` ({}) of a union tagged by `{tag}` {why}",
                            tags[0], target.pointer
                        ),
                    ));
                }
            }
            targets.push((target, tags));
        }
        // A dot would be read as a path into the branches; a tag is one property of each.
        if tag.contains('.') {
            return Err(Error::spec(
                &disc.pointer.push("propertyName"),
                format!(
                    "the discriminator's `propertyName` `{tag}` is a dotted path, not a property"
                ),
            ));
        }
        let mut variants = Vec::new();
        for (target, tags) in targets {
            let id = self.named(&target)?;
            variants.push(TaggedVariant {
                tags,
                name: String::new(),
                ty: Some(id),
                boxed: false,
            });
        }
        Ok(TypeKind::Tagged(TaggedUnion { tag, variants }))
    }

    /// Why the union `node`, a variant of a union tagged by `tag`, cannot have its value written beside
    /// the tag: a branch (through nested unions) that is not an object, or that may be `null`, or a
    /// nested union tagged by `tag` as well (the outer union takes the tag before it could read it).
    fn unwritable_branch(
        &self,
        node: &Node<'a>,
        tag: &str,
        depth: usize,
    ) -> Result<Option<String>> {
        if depth > 16 {
            return Ok(Some("nests unions more than 16 levels deep".to_owned()));
        }
        let inner_tag = node
            .get("discriminator")
            .and_then(|d| d.value.get("propertyName").and_then(Value::as_str));
        if inner_tag == Some(tag) {
            return Ok(Some(format!(
                "is a union tagged by `{tag}` too: the tag is taken before it could read it"
            )));
        }
        let key = if node.value.get("oneOf").is_some() {
            "oneOf"
        } else {
            "anyOf"
        };
        for b in node.list(key)? {
            let mut branch = b;
            while let Some(member) = single_member(&branch)? {
                branch = member;
            }
            let (branch, _) = resolve(self.doc, branch)?;
            let class = self.classify(&branch)?;
            if branch.flag("nullable")? || !matches!(class, Class::Struct | Class::Union) {
                return Ok(Some(format!(
                    "has a branch that is not an object: {}",
                    branch.pointer
                )));
            }
            if class == Class::Union {
                if let Some(why) = self.unwritable_branch(&branch, tag, depth + 1)? {
                    return Ok(Some(why));
                }
            }
        }
        Ok(None)
    }
}

/// The tag value of a union branch the mapping does not list: the single value its tag property allows,
/// else (for a component) the schema's name, as OpenAPI defines the implicit mapping.
fn implicit_tag(target: &Node<'_>, tag: &str) -> Result<Option<String>> {
    if let Some(prop) = target.get("properties").and_then(|p| p.get(tag)) {
        let values = prop.strings("enum").unwrap_or_default();
        if let [only] = values.as_slice() {
            return Ok(Some((*only).to_owned()));
        }
    }
    let tokens: Vec<String> = target.pointer.tokens().collect();
    Ok(match tokens.as_slice() {
        [c, s, name] if c == "components" && s == "schemas" => Some(name.clone()),
        _ => None,
    })
}

/// The only member of an `allOf`, `oneOf` or `anyOf` of a schema that adds no structure of its own
/// (`allOf: [$ref]` with a description, a one-branch `oneOf`): the schema is that member.
fn single_member<'a>(node: &Node<'a>) -> Result<Option<Node<'a>>> {
    // A discriminator makes even a one-branch union a tagged union (the tag is on the wire).
    let structural = [
        "properties",
        "additionalProperties",
        "items",
        "enum",
        "discriminator",
    ];

    if structural.iter().any(|k| node.value.get(*k).is_some()) {
        return Ok(None);
    }
    let present: Vec<&str> = ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter(|k| node.value.get(*k).is_some())
        .collect();
    if present.len() != 1 {
        return Ok(None);
    }
    let members = node.list(present[0])?;
    Ok(if members.len() == 1 {
        members.into_iter().next()
    } else {
        None
    })
}

fn nullable_ref(shape: Shape) -> TypeRef {
    if shape.nullable && !matches!(shape.ty, TypeRef::Json) {
        TypeRef::Nullable(Box::new(shape.ty))
    } else {
        shape.ty
    }
}

/// `oneOf`/`anyOf` whose branches only list required properties (or forbid some with `not: {}`):
/// constraints on the schema's own properties rather than alternatives. Returns the word for the docs
/// and the required lists.
pub(crate) fn constraint_branches(node: &Node<'_>) -> Option<(&'static str, Vec<Vec<String>>)> {
    let (key, word) = if node.value.get("oneOf").is_some() {
        ("oneOf", "Exactly one")
    } else {
        ("anyOf", "At least one")
    };
    let branches = node.value.get(key)?.as_array()?;
    if node.value.get("properties").is_none() || branches.is_empty() {
        return None;
    }
    let mut lists = Vec::new();
    for b in branches {
        let obj = b.as_object()?;
        let only_constraints = obj.keys().all(|k| {
            matches!(
                k.as_str(),
                "required" | "properties" | "title" | "description"
            )
        });
        let props_forbid_only = obj
            .get("properties")
            .and_then(Value::as_object)
            .is_none_or(|m| m.values().all(|p| p.get("not").is_some()));
        if !only_constraints || !props_forbid_only {
            return None;
        }
        let required: Vec<String> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        lists.push(required);
    }
    Some((word, lists))
}

fn enum_strings(node: &Node<'_>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for v in node.list("enum")? {
        if let Some(s) = v.value.as_str() {
            if !out.iter().any(|o| o == s) {
                out.push(s.to_owned());
            }
        }
    }
    Ok(out)
}

fn enum_ints(node: &Node<'_>) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    if let Some(values) = node.value.get("enum").and_then(Value::as_array) {
        for v in values.iter().filter_map(Value::as_i64) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}
