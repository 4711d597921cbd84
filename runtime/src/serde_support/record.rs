//! Structs read and written field by field. A generated struct names its fields once
//! ([`Record::FIELDS`]) and reads each in a `match` ([`Record::read`]); the loop over the input, key
//! lookup, duplicate and missing fields are here, written once instead of expanded for every type.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// A struct read from a JSON object.
pub trait Record: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// The wire names of the fields; a field is known by its index here.
    const FIELDS: &'static [&'static str];
    /// The struct keeps the keys it does not declare (so it is read from an object only).
    const OPEN: bool = false;
    /// Reads every field `source` holds, then builds the value.
    fn read<'de, S: Fields<'de>>(source: S) -> Result<Self, S::Error>;
}

/// A value written as the entries of a JSON object: a struct's fields, or a tagged union's tag and
/// its variant's fields.
pub trait WriteFields {
    /// Writes the entries into an open map.
    fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// `Deserialize` of a [`Record`].
pub fn deserialize_record<'de, T: Record, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    if T::OPEN {
        deserializer.deserialize_map(RecordVisitor(PhantomData))
    } else {
        deserializer.deserialize_struct(T::NAME, T::FIELDS, RecordVisitor(PhantomData))
    }
}

/// `Serialize` of a [`WriteFields`]: one JSON object.
pub fn serialize_fields<T: WriteFields + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.write_fields(&mut map)?;
    map.end()
}

struct RecordVisitor<T>(PhantomData<T>);

impl<'de, T: Record> Visitor<'de> for RecordVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(MapFields(map))
    }

    /// Fields in declaration order, as serde reads a struct from a sequence.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        if T::OPEN {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        T::read(SeqFields {
            seq,
            next: 0,
            ended: false,
            name: T::NAME,
            names: T::FIELDS,
        })
    }
}

/// What the next entry of a struct's input is.
pub enum Entry {
    /// The declared field at this index of [`Record::FIELDS`].
    Field(usize),
    /// A key the struct does not declare (kept by a struct with extra properties).
    Other(String),
}

/// Where a struct's fields come from: an object (by name) or a sequence (by position).
pub trait Fields<'de> {
    /// The deserializer's error.
    type Error: de::Error;

    /// The next declared field, skipping the values of keys the struct does not declare.
    fn next_field(&mut self, names: &'static [&'static str]) -> Result<Option<usize>, Self::Error>;

    /// The next entry, undeclared keys included.
    fn next_entry(&mut self, names: &'static [&'static str]) -> Result<Option<Entry>, Self::Error>;

    /// The value of the entry just returned (`None` only when a sequence ended early).
    fn value<T: Deserialize<'de>>(&mut self) -> Result<Option<T>, Self::Error>;

    /// Reads field `name` into `slot`; a second occurrence is an error.
    fn once<T: Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), Self::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = self.value()?;
        Ok(())
    }

    /// Reads an optional nullable field into its three states: absent (`None`), `null`
    /// (`Some(None)`) or a value.
    fn once_present<T: Deserialize<'de>>(
        &mut self,
        slot: &mut Option<Option<Option<T>>>,
        name: &'static str,
    ) -> Result<(), Self::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = self.value::<Option<T>>()?.map(Some);
        Ok(())
    }

    /// The value of a required field, or the error that names it.
    fn required<T>(&self, slot: Option<T>, name: &'static str) -> Result<T, Self::Error> {
        slot.ok_or_else(|| de::Error::missing_field(name))
    }
}

struct MapFields<A>(A);

impl<'de, A: MapAccess<'de>> Fields<'de> for MapFields<A> {
    type Error = A::Error;

    fn next_field(&mut self, names: &'static [&'static str]) -> Result<Option<usize>, A::Error> {
        while let Some(key) = self.0.next_key_seed(Key { names })? {
            match key {
                Entry::Field(i) => return Ok(Some(i)),
                Entry::Other(_) => {
                    self.0.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(None)
    }

    fn next_entry(&mut self, names: &'static [&'static str]) -> Result<Option<Entry>, A::Error> {
        self.0.next_key_seed(OwnedKey { names })
    }

    fn value<T: Deserialize<'de>>(&mut self) -> Result<Option<T>, A::Error> {
        self.0.next_value().map(Some)
    }
}

struct SeqFields<A> {
    seq: A,
    next: usize,
    ended: bool,
    name: &'static str,
    names: &'static [&'static str],
}

/// What a struct read from a sequence expects, in serde's words: `struct X with N elements`.
struct Elements {
    name: &'static str,
    len: usize,
}

impl de::Expected for Elements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.len == 1 { "element" } else { "elements" };
        write!(f, "struct {} with {} {noun}", self.name, self.len)
    }
}

impl<'de, A: SeqAccess<'de>> Fields<'de> for SeqFields<A> {
    type Error = A::Error;

    fn next_field(&mut self, names: &'static [&'static str]) -> Result<Option<usize>, A::Error> {
        if self.ended || self.next >= names.len() {
            return Ok(None);
        }
        self.next += 1;
        Ok(Some(self.next - 1))
    }

    fn next_entry(&mut self, names: &'static [&'static str]) -> Result<Option<Entry>, A::Error> {
        Ok(self.next_field(names)?.map(Entry::Field))
    }

    fn value<T: Deserialize<'de>>(&mut self) -> Result<Option<T>, A::Error> {
        let value = self.seq.next_element()?;
        self.ended = value.is_none();
        Ok(value)
    }

    /// A sequence too short for a required field: its length is wrong, as serde says it.
    fn required<T>(&self, slot: Option<T>, name: &'static str) -> Result<T, A::Error> {
        slot.ok_or_else(|| {
            let index = self.names.iter().position(|n| *n == name).unwrap_or(0);
            de::Error::invalid_length(
                index,
                &Elements {
                    name: self.name,
                    len: self.names.len(),
                },
            )
        })
    }
}

/// Looks a key up among the declared names without allocating (an undeclared key is not kept).
struct Key {
    names: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Entry;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Entry, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor {
            names: self.names,
            keep: false,
        })
    }
}

/// Looks a key up, keeping an undeclared one.
struct OwnedKey {
    names: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for OwnedKey {
    type Value = Entry;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Entry, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor {
            names: self.names,
            keep: true,
        })
    }
}

struct KeyVisitor {
    names: &'static [&'static str],
    keep: bool,
}

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Entry, E> {
        Ok(match self.names.iter().position(|n| *n == key) {
            Some(i) => Entry::Field(i),
            None if self.keep => Entry::Other(key.to_owned()),
            None => Entry::Other(String::new()),
        })
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Entry, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Ok(Entry::Other(String::new())),
        }
    }
}
