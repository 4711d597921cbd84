//! The crate writes its own serde impls; `serde_derive` is the oracle they are held against. Every
//! sample of the spec (request bodies, responses, deliveries, the schemas' examples), and deliveries
//! mutated at random, read through the crate's types and through the same types with derived serde
//! must give the same value (`Debug`), the same JSON back, or the same error (but for the place in
//! the input it names).

#[rustfmt::skip]
mod types;

#[rustfmt::skip]
mod cases;

use cases::{Outcome, EVENTS, SAMPLES, TAGS};
use proptest::prelude::*;
use serde_json::{json, Value};

#[test]
fn every_sample_reads_and_writes_as_serde_derive_does() {
    assert!(!SAMPLES.is_empty(), "the spec gives samples");
    let mut differences = Vec::new();
    let mut read = 0;
    for (what, text, ours, oracle) in SAMPLES {
        let (ours, oracle) = (ours(text), oracle(text));
        read += usize::from(matches!(ours, Outcome::Read { .. }));
        if ours != oracle {
            differences.push(format!("{what}:\n  crate:  {ours:?}\n  oracle: {oracle:?}"));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} samples differ:\n{}",
        differences.len(),
        SAMPLES.len(),
        differences.join("\n")
    );
    // The samples are made to fit (an example of the spec may not): nearly all must read.
    assert!(
        read * 10 >= SAMPLES.len() * 9,
        "{read} of {} samples read",
        SAMPLES.len()
    );
}

#[test]
fn malformed_input_is_refused_alike() {
    for (key, _, ours, oracle) in EVENTS {
        for text in [
            "[]",
            "1",
            "\"data\"",
            "null",
            "{\"data\": 5}",
            "{\"data\": {\"payload\": []}}",
            "{",
        ] {
            assert_eq!(ours(text), oracle(text), "{key}: {text}");
        }
    }
}

/// The paths of every place in a value (member keys and item indices), the root first.
fn places(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                path.push(Step::Key(k.clone()));
                places(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Item(i));
                places(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Item(usize),
}

fn at<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Item(i) => v.get_mut(*i),
    })
}

/// Every place of every sample set to `null`, to a string, and to an object, and every member
/// removed: the crate reads each as the oracle does (explicit `null` against absent, above all).
#[test]
fn every_place_of_every_sample_changed_reads_alike() {
    let mut differences = Vec::new();
    let mut tried = 0;
    for (what, text, ours, oracle) in SAMPLES {
        let value: Value = serde_json::from_str(text).expect("a sample is JSON");
        let mut all = Vec::new();
        places(&value, &mut Vec::new(), &mut all);
        for path in all {
            let mut changed = Vec::new();
            for replacement in [Value::Null, json!("x"), json!({})] {
                let mut v = value.clone();
                if let Some(place) = at(&mut v, &path) {
                    *place = replacement;
                    changed.push(v);
                }
            }
            if let Some((Step::Key(key), parent)) = path.split_last() {
                let mut v = value.clone();
                if let Some(Value::Object(m)) = at(&mut v, parent) {
                    m.remove(key);
                    changed.push(v);
                }
            }
            for v in changed {
                let text = v.to_string();
                tried += 1;
                let (a, b) = (ours(&text), oracle(&text));
                if a != b && differences.len() < 20 {
                    differences.push(format!("{what}: {text}\n  crate:  {a:?}\n  oracle: {b:?}"));
                }
            }
        }
    }
    assert!(tried > SAMPLES.len() * 4, "{tried} changes");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// Where a mutation happened: the value itself, a member (by key) or an item (by index).
#[derive(Debug, Clone, PartialEq)]
enum Place {
    Root,
    Member(String),
    Item(usize),
}

/// One change to a JSON value: a step path picks a place (each step an index among an object's
/// members or an array's items), the kind what happens there. Returns the place changed.
fn mutate(at: &mut Value, steps: &[u16], kind: u8) -> Place {
    mutate_at(at, steps, kind, Place::Root)
}

fn mutate_at(at: &mut Value, steps: &[u16], kind: u8, place: Place) -> Place {
    if let Some((step, rest)) = steps.split_first() {
        let next = match at {
            Value::Object(m) if !m.is_empty() => {
                let i = usize::from(*step) % m.len();
                m.iter_mut()
                    .nth(i)
                    .map(|(k, v)| (v, Place::Member(k.clone())))
            }
            Value::Array(items) if !items.is_empty() => {
                let i = usize::from(*step) % items.len();
                items.get_mut(i).map(|v| (v, Place::Item(i)))
            }
            _ => None,
        };
        if let Some((next, place)) = next {
            return mutate_at(next, rest, kind, place);
        }
    }
    match kind {
        0 => *at = Value::Null,
        1 => *at = json!("x"),
        2 => *at = json!(7),
        3 => *at = json!(-1.5),
        4 => *at = json!(true),
        5 => *at = json!({}),
        6 => *at = json!([]),
        7 => *at = json!([{}]),
        8 => {
            if let Value::Object(m) = at {
                m.insert("undeclared".into(), json!({"x": [1]}));
            }
        }
        _ => {
            if let Value::Object(m) = at {
                let first = m.keys().next().cloned();
                if let Some(first) = first {
                    m.remove(&first);
                }
            }
        }
    }
    place
}

/// A whole number where a union's tag goes (its tag property, or the first item of the sequence
/// form): serde_derive reads it as the index of a variant when the enum was buffered (inside another
/// union or a struct with extra properties) and refuses it otherwise; the crate refuses it everywhere
/// (a tag is a string). The one difference not compared.
fn number_as_tag(kind: u8, place: &Place) -> bool {
    kind == 2
        && match place {
            Place::Member(key) => TAGS.contains(&key.as_str()),
            Place::Item(index) => *index == 0,
            Place::Root => false,
        }
}

proptest! {
    // Failures are reported, not written next to the tests: this directory is generated.
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    /// Real deliveries, mutated: the crate's impls and the oracle never disagree, and neither panics.
    #[test]
    fn mutated_deliveries_read_as_serde_derive_reads_them(
        event in any::<prop::sample::Index>(),
        steps in prop::collection::vec(any::<u16>(), 0..6),
        kind in 0u8..10,
    ) {
        // A crate without typed events has none to mutate (its samples are mutated below).
        if EVENTS.is_empty() {
            return Ok(());
        }
        let (key, text, ours, oracle) = EVENTS[event.index(EVENTS.len())];
        let mut value: Value = serde_json::from_str(text).expect("a delivery is JSON");
        let changed = mutate(&mut value, &steps, kind);
        prop_assume!(!number_as_tag(kind, &changed));
        let text = value.to_string();
        let (ours, oracle): (Outcome, Outcome) = (ours(&text), oracle(&text));
        prop_assert_eq!(ours, oracle, "{}: {}", key, text);
    }

    /// Every sample (request bodies with their three-state fields, responses, examples), mutated.
    #[test]
    fn mutated_samples_read_as_serde_derive_reads_them(
        sample in any::<prop::sample::Index>(),
        steps in prop::collection::vec(any::<u16>(), 0..6),
        kind in 0u8..10,
    ) {
        let (key, text, ours, oracle) = SAMPLES[sample.index(SAMPLES.len())];
        let mut value: Value = serde_json::from_str(text).expect("a delivery is JSON");
        let changed = mutate(&mut value, &steps, kind);
        prop_assume!(!number_as_tag(kind, &changed));
        let text = value.to_string();
        let (ours, oracle): (Outcome, Outcome) = (ours(&text), oracle(&text));
        prop_assert_eq!(ours, oracle, "{}: {}", key, text);
    }
}
