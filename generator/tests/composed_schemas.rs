//! Random schemas composed of the pieces the generator tells apart (scalars, string and integer enums,
//! free-form objects, structs, arrays, maps, nullable values, `allOf`, untagged and tagged unions with
//! branches that are unions themselves, references) and placed in request bodies, responses and
//! events. Each batch of schemas is one spec and one crate; every crate must generate, lint clean,
//! pass its operation tests and read and write every sample as `serde_derive` does (its serde
//! oracle). The compiler runs once for all batches.
//!
//! The schemas come from a fixed seed, so a run is reproducible; `COMPOSED_SCHEMAS_SEED` (a number)
//! draws others and `COMPOSED_SCHEMAS_BATCHES` sets how many crates are made. Each batch's spec is
//! kept beside its crate (`target/composed-crates/<batch>/spec.json`) for `cargo xtask regenerate
//! --scope all --spec` when one fails.

#[path = "support/scratch_crates.rs"]
mod scratch_crates;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as ProptestConfig, RngAlgorithm, TestRng, TestRunner};
use scratch_crates::{generate_crate, lint_and_test, root, write_workspace};
use serde_json::{json, Map, Value};

/// Schemas per batch: each is placed once, as a request body, a response or an event's payload.
const SCHEMAS: usize = 24;
const DEFAULT_SEED: u64 = 20_260_127;
const DEFAULT_BATCHES: usize = 2;

/// Property names; `type` and `ref` test the identifier rules too.
const NAMES: &[&str] = &[
    "id", "name", "count", "note", "items", "labels", "value", "size", "when", "type", "ref",
];
/// Discriminator property names.
const TAGS: &[&str] = &["kind", "method", "mode"];

/// One field of an object: its name, its schema and whether it is required.
type Fields = Vec<(String, Piece, bool)>;

/// A schema, before it is written as JSON (tagged unions need components of their own for their
/// branches, made when the schema is written).
#[derive(Debug, Clone)]
enum Piece {
    Scalar(&'static str, Option<&'static str>),
    StringEnum(Vec<String>),
    IntEnum,
    FreeForm,
    /// An earlier schema of the batch, by index.
    Ref(usize),
    Struct(Fields, bool),
    Array(Box<Piece>),
    Map(Box<Piece>),
    Nullable(Box<Piece>),
    AllOf(Fields, Fields),
    Untagged(Vec<Piece>),
    Tagged(&'static str, Vec<Branch>),
}

/// A branch of a tagged union: an object, or a union of objects (untagged, or tagged by another
/// property), each of which also carries the outer tag's value.
#[derive(Debug, Clone)]
enum Branch {
    Object(Fields),
    Untagged(Vec<Fields>),
    Tagged(&'static str, Vec<Fields>),
}

fn leaf(earlier: usize) -> BoxedStrategy<Piece> {
    let scalars = prop_oneof![
        Just(Piece::Scalar("string", None)),
        Just(Piece::Scalar("integer", None)),
        Just(Piece::Scalar("integer", Some("int32"))),
        Just(Piece::Scalar("number", None)),
        Just(Piece::Scalar("boolean", None)),
        Just(Piece::Scalar("string", Some("date-time"))),
        prop::sample::subsequence(vec!["red", "green", "blue", "+", "2x"], 1..4)
            .prop_map(|v| Piece::StringEnum(v.into_iter().map(str::to_owned).collect())),
        Just(Piece::IntEnum),
        Just(Piece::FreeForm),
    ];
    if earlier == 0 {
        return scalars.boxed();
    }
    prop_oneof![3 => scalars, 1 => (0..earlier).prop_map(Piece::Ref)].boxed()
}

fn fields(inner: BoxedStrategy<Piece>) -> BoxedStrategy<Fields> {
    prop::sample::subsequence(NAMES.to_vec(), 1..4)
        .prop_flat_map(move |names| {
            let n = names.len();
            (
                Just(names),
                prop::collection::vec(inner.clone(), n),
                prop::collection::vec(any::<bool>(), n),
            )
        })
        .prop_map(|(names, pieces, required)| {
            names
                .into_iter()
                .zip(pieces)
                .zip(required)
                .map(|((name, piece), required)| (name.to_owned(), piece, required))
                .collect()
        })
        .boxed()
}

fn branch(inner: BoxedStrategy<Piece>, tag: &'static str) -> BoxedStrategy<Branch> {
    let objects = prop::collection::vec(fields(inner.clone()), 2..4);
    let other_tag =
        prop::sample::select(TAGS.to_vec()).prop_filter("another tag", move |t| *t != tag);
    prop_oneof![
        3 => fields(inner).prop_map(Branch::Object),
        1 => objects.clone().prop_map(Branch::Untagged),
        1 => (other_tag, objects).prop_map(|(t, o)| Branch::Tagged(t, o)),
    ]
    .boxed()
}

/// Schema `earlier` of a batch: it may refer to the ones before it.
fn piece(earlier: usize) -> BoxedStrategy<Piece> {
    leaf(earlier)
        .prop_recursive(3, 24, 3, |inner| {
            let tagged = prop::sample::select(TAGS.to_vec()).prop_flat_map({
                let inner = inner.clone();
                move |tag| {
                    prop::collection::vec(branch(inner.clone(), tag), 1..4)
                        .prop_map(move |branches| Piece::Tagged(tag, branches))
                }
            });
            prop_oneof![
                3 => (fields(inner.clone()), any::<bool>()).prop_map(|(f, extra)| Piece::Struct(f, extra)),
                1 => inner.clone().prop_map(|p| Piece::Array(Box::new(p))),
                1 => inner.clone().prop_map(|p| Piece::Map(Box::new(p))),
                2 => inner.clone().prop_map(|p| Piece::Nullable(Box::new(p))),
                1 => (fields(inner.clone()), fields(inner.clone())).prop_map(|(a, b)| Piece::AllOf(a, b)),
                2 => prop::collection::vec(inner.clone(), 2..4).prop_map(Piece::Untagged),
                2 => tagged,
            ]
        })
        .boxed()
}

/// Writes pieces as JSON schemas; the branches of tagged unions become components `B<n>`.
#[derive(Default)]
struct Writer {
    branches: Map<String, Value>,
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

impl Writer {
    fn schema(&mut self, piece: &Piece) -> Value {
        match piece {
            Piece::Scalar(ty, None) => json!({"type": ty}),
            Piece::Scalar(ty, Some(format)) => json!({"type": ty, "format": format}),
            Piece::StringEnum(values) => json!({"type": "string", "enum": values}),
            Piece::IntEnum => json!({"type": "integer", "enum": [1, 2, 3]}),
            Piece::FreeForm => json!({"type": "object"}),
            Piece::Ref(i) => reference(&format!("S{i}")),
            Piece::Struct(fields, extra) => {
                let mut object = self.object(fields, &[]);
                if *extra {
                    object["additionalProperties"] = json!(true);
                }
                object
            }
            Piece::Array(item) => json!({"type": "array", "items": self.schema(item)}),
            Piece::Map(value) => {
                json!({"type": "object", "additionalProperties": self.schema(value)})
            }
            Piece::Nullable(inner) => match &**inner {
                Piece::Scalar(ty, _) => json!({"type": [ty, "null"]}),
                other => json!({"oneOf": [self.schema(other), {"type": "null"}]}),
            },
            Piece::AllOf(a, b) => json!({"allOf": [self.object(a, &[]), self.object(b, &[])]}),
            Piece::Untagged(branches) => {
                let branches: Vec<Value> = branches.iter().map(|b| self.schema(b)).collect();
                json!({"oneOf": branches})
            }
            Piece::Tagged(tag, branches) => {
                let mut mapping = Map::new();
                let mut refs = Vec::new();
                for (k, branch) in branches.iter().enumerate() {
                    let value = format!("{tag}-{k}");
                    let carried = [(*tag, value.as_str())];
                    let schema = match branch {
                        Branch::Object(fields) => self.object(fields, &carried),
                        Branch::Untagged(objects) => {
                            let objects: Vec<Value> =
                                objects.iter().map(|f| self.object(f, &carried)).collect();
                            json!({"oneOf": objects})
                        }
                        Branch::Tagged(inner, objects) => {
                            let mut inner_mapping = Map::new();
                            let mut inner_refs = Vec::new();
                            for (j, fields) in objects.iter().enumerate() {
                                let inner_value = format!("{inner}-{j}");
                                let both = [(*tag, value.as_str()), (*inner, inner_value.as_str())];
                                let object = self.object(fields, &both);
                                let name = self.add(object);
                                inner_mapping.insert(inner_value, reference(&name)["$ref"].clone());
                                inner_refs.push(reference(&name));
                            }
                            json!({"oneOf": inner_refs, "discriminator": {"propertyName": inner, "mapping": inner_mapping}})
                        }
                    };
                    let name = self.add(schema);
                    mapping.insert(value, reference(&name)["$ref"].clone());
                    refs.push(reference(&name));
                }
                json!({"oneOf": refs, "discriminator": {"propertyName": tag, "mapping": mapping}})
            }
        }
    }

    /// An object with `fields`, and each of `tags` as a required property of that one value.
    fn object(&mut self, fields: &Fields, tags: &[(&str, &str)]) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (name, piece, is_required) in fields {
            properties.insert(name.clone(), self.schema(piece));
            if *is_required {
                required.push(name.clone());
            }
        }
        for (tag, value) in tags {
            properties.insert(
                (*tag).to_owned(),
                json!({"type": "string", "enum": [value]}),
            );
            if !required.iter().any(|r| r == tag) {
                required.push((*tag).to_owned());
            }
        }
        json!({"type": "object", "required": required, "properties": properties})
    }

    /// A branch component: its name.
    fn add(&mut self, schema: Value) -> String {
        let name = format!("B{}", self.branches.len());
        self.branches.insert(name.clone(), schema);
        name
    }
}

/// The spec of one batch: schema `S<i>` is a request body (`POST /s<i>`), a response (`GET /s<i>`)
/// or an event's payload (webhook `s<i>`), in turn.
fn spec(pieces: &[Piece]) -> Value {
    let mut writer = Writer::default();
    let mut schemas = Map::new();
    let mut paths = Map::new();
    let mut webhooks = Map::new();
    for (i, piece) in pieces.iter().enumerate() {
        let name = format!("S{i}");
        schemas.insert(name.clone(), writer.schema(piece));
        let body = json!({"application/json": {"schema": reference(&name)}});
        match i % 3 {
            0 => {
                paths.insert(
                    format!("/s{i}"),
                    json!({"post": {"operationId": format!("Send{i}"), "requestBody": {"required": true, "content": body}, "responses": {"204": {"description": "sent"}}}}),
                );
            }
            1 => {
                paths.insert(
                    format!("/s{i}"),
                    json!({"get": {"operationId": format!("Read{i}"), "responses": {"200": {"description": "ok", "content": body}}}}),
                );
            }
            _ => {
                let event = json!({"type": "object", "properties": {"data": {"type": "object", "properties": {
                    "event_type": {"type": "string", "enum": [format!("s{i}.happened")]},
                    "id": {"type": "string"},
                    "payload": reference(&name)
                }}}});
                webhooks.insert(
                    format!("s{i}"),
                    json!({"post": {"requestBody": {"required": true, "content": {"application/json": {"schema": event}}}, "responses": {"200": {"description": "ok"}}}}),
                );
            }
        }
    }
    schemas.extend(writer.branches);
    json!({
        "openapi": "3.1.0",
        "info": {"title": "composed", "version": "1"},
        "servers": [{"url": "https://api.example.com/v2"}],
        "paths": paths,
        "webhooks": webhooks,
        "components": {"schemas": schemas}
    })
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    Some(
        text.parse()
            .unwrap_or_else(|_| panic!("{name}={text} is not a number")),
    )
}

/// The batches' specs, drawn from `seed`.
fn batches(seed: u64, count: usize) -> Vec<Value> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        ProptestConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    (0..count)
        .map(|_| {
            let pieces: Vec<Piece> = (0..SCHEMAS)
                .map(|i| {
                    piece(i)
                        .new_tree(&mut runner)
                        .expect("a schema is drawn")
                        .current()
                })
                .collect();
            spec(&pieces)
        })
        .collect()
}

#[test]
fn composed_schemas_generate_compile_and_read_as_serde_derive_does() {
    let seed = env_number("COMPOSED_SCHEMAS_SEED").unwrap_or(DEFAULT_SEED);
    let count = env_number("COMPOSED_SCHEMAS_BATCHES").map_or(DEFAULT_BATCHES, |n| n as usize);
    println!("seed {seed}, {count} batches of {SCHEMAS} schemas");
    let mut crates = Vec::new();
    let mut specs = Vec::new();
    for (b, doc) in batches(seed, count).into_iter().enumerate() {
        let name = format!("composed_{b}");
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let generated = generate_crate(&name, &text)
            .unwrap_or_else(|e| panic!("seed {seed}, batch {b}: {e}\n{text}"));
        for d in generated.summary.diagnostics.iter() {
            println!("{name}: {} at {}: {}", d.class, d.pointer, d.message);
        }
        specs.push((name.clone(), text));
        crates.push((name, generated.files));
    }
    let scratch = root().join("target/composed-crates");
    write_workspace(&scratch, &crates);
    for (name, text) in &specs {
        std::fs::write(scratch.join(name).join("spec.json"), text).unwrap();
    }
    lint_and_test(&scratch);
}

/// The same seed draws the same schemas: a failure can be run again.
#[test]
fn a_seed_draws_the_same_batches_again() {
    assert_eq!(batches(7, 1), batches(7, 1));
    assert_ne!(batches(7, 1), batches(8, 1));
}
