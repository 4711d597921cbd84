//! Renders the serde impls of structs and unions from their surface, as ordinary code instead of
//! derives: a struct lists its wire names and reads each field in a `match`, a union matches its tag
//! or tries its variants. The shared work is in the crate's `serde_support` (a template), so each type
//! costs a few lines to compile and nothing to expand.

use super::paths::PRIVATE;
use super::rust::ident;
use crate::naming::serde_key;
use crate::surface::{
    Beside, Deserialize, RustType, Storage, StructSurface, TaggedSurface, UntaggedSurface,
};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// `#[cfg(feature = "deserialize-requests")]` for what is only read with that feature.
fn gate(d: Deserialize) -> TokenStream {
    match d {
        Deserialize::Always => quote!(),
        Deserialize::WithFeature => quote!(#[cfg(feature = "deserialize-requests")]),
    }
}

/// `Serialize` through the type's `WriteFields`.
fn serialize_as_fields(name: &Ident) -> TokenStream {
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #PRIVATE::serialize_fields(self, serializer)
            }
        }
    }
}

/// A struct: its entries written in field order (optional ones only when set, then the extra
/// properties), and read by wire name.
pub fn struct_impls(s: &StructSurface<'_>) -> TokenStream {
    let name = ident(s.name);
    let writes = s.fields.iter().map(|f| {
        let (field, wire) = (ident(f.word), f.json_name);
        match f.storage {
            Storage::Plain | Storage::RequiredNullable => {
                quote!(map.serialize_entry(#wire, &self.#field)?;)
            }
            Storage::Optional | Storage::ThreeState => quote! {
                if self.#field.is_some() {
                    map.serialize_entry(#wire, &self.#field)?;
                }
            },
        }
    });
    let write_extra = s.additional.as_ref().map(|_| {
        quote! {
            for (key, value) in &self.additional_properties {
                map.serialize_entry(key, value)?;
            }
        }
    });
    let serialize = serialize_as_fields(&name);
    let wires = s.fields.iter().map(|f| f.json_name);
    let slots: Vec<Ident> = (0..s.fields.len())
        .map(|i| quote::format_ident!("field_{i}"))
        .collect();
    let read = |f: &crate::surface::FieldSurface<'_>, slot: &Ident| {
        let wire = f.json_name;
        match f.storage {
            Storage::ThreeState => quote!(source.once_present(&mut #slot, #wire)?),
            _ => quote!(source.once(&mut #slot, #wire)?),
        }
    };
    let inits = s.fields.iter().zip(&slots).map(|(f, slot)| {
        let (field, wire) = (ident(f.word), f.json_name);
        match f.storage {
            Storage::Plain => quote!(#field: source.required(#slot, #wire)?,),
            _ => quote!(#field: #slot.unwrap_or_default(),),
        }
    });
    let (extra_slot, next, other, extra_init) = match &s.additional {
        Some(_) => (
            quote!(let mut additional_properties = ::std::collections::BTreeMap::new();),
            quote!(source.next_entry(Self::FIELDS)?),
            quote! {
                #PRIVATE::Entry::Other(key) => {
                    if let ::std::option::Option::Some(value) = source.value()? {
                        additional_properties.insert(key, value);
                    }
                }
            },
            quote!(additional_properties,),
        ),
        None => (
            quote!(),
            quote!(source.next_field(Self::FIELDS)?),
            quote!(),
            quote!(),
        ),
    };
    let n = s.fields.len();
    // Each field's read, with its index among the fields.
    let indexed_reads = || {
        s.fields
            .iter()
            .zip(&slots)
            .enumerate()
            .map(|(i, (f, slot))| (i, read(f, slot)))
    };
    let dispatch = if s.additional.is_some() {
        let reads = indexed_reads().map(|(i, read)| {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(#PRIVATE::Entry::Field(#i) => #read,)
        });
        quote! {
            match entry {
                #( #reads )*
                #other
                #PRIVATE::Entry::Field(_) => {}
            }
        }
    } else {
        // Only declared indices come back: the last field takes the rest.
        let reads = indexed_reads().map(|(i, read)| {
            if i + 1 == n {
                quote!(_ => #read,)
            } else {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(#i => #read,)
            }
        });
        match n {
            0 => quote!(),
            1 => {
                let read = read(&s.fields[0], &slots[0]);
                quote!(#read;)
            }
            _ => quote!(match entry { #( #reads )* }),
        }
    };
    // With one field or none, which field came back needs no look.
    let looped = if s.additional.is_none() && n < 2 {
        quote!(while #next.is_some() { #dispatch })
    } else {
        quote!(while let ::std::option::Option::Some(entry) = #next { #dispatch })
    };
    let open = s.additional.is_some().then(|| {
        quote!(
            const OPEN: bool = true;
        )
    });
    let gate = gate(s.deserialize);
    let type_name = serde_key(s.name);
    quote! {
        impl #PRIVATE::WriteFields for #name {
            fn write_fields<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> ::std::result::Result<(), M::Error> {
                #( #writes )*
                #write_extra
                ::std::result::Result::Ok(())
            }
        }
        #serialize
        #gate
        impl #PRIVATE::Record for #name {
            const NAME: &'static str = #type_name;
            const FIELDS: &'static [&'static str] = &[ #( #wires ),* ];
            #open
            fn read<'de, S: #PRIVATE::Fields<'de>>(mut source: S) -> ::std::result::Result<Self, S::Error> {
                #( let mut #slots = ::std::option::Option::None; )*
                #extra_slot
                #looped
                ::std::result::Result::Ok(Self { #( #inits )* #extra_init })
            }
        }
        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #PRIVATE::deserialize_record(deserializer)
            }
        }
    }
}

/// `value` bound in a variant's pattern, as the payload's own type (unboxed).
fn payload(stored: &RustType) -> TokenStream {
    match stored {
        RustType::Box(_) => quote!(&**value),
        _ => quote!(value),
    }
}

/// A tagged union: written as the tag, then the variant's own entries; read by taking the tag out
/// (an unknown tag reads as `Unknown`, which cannot be written).
pub fn tagged_impls(name: &str, u: &TaggedSurface<'_>) -> TokenStream {
    let type_name = serde_key(name);
    let name = ident(name);
    let tag = u.tag;
    let writes = u.variants.iter().map(|v| {
        let (variant, first) = (ident(v.name), &v.tags[0]);
        match &v.value {
            Some(stored) => {
                let value = payload(stored);
                let write = match v.beside {
                    Beside::Fields => quote!(#PRIVATE::WriteFields::write_fields(#value, map)),
                    Beside::Entries => {
                        let variant_name = serde_key(v.name);
                        quote!(#PRIVATE::write_entries(#value, map, #type_name, #variant_name))
                    }
                };
                quote! {
                    Self::#variant(value) => {
                        map.serialize_entry(#tag, #first)?;
                        #write
                    }
                }
            }
            None => quote!(Self::#variant => map.serialize_entry(#tag, #first),),
        }
    });
    let unknown = format!("the enum variant {type_name}::Unknown cannot be serialized");
    let with_values = u.variants.iter().any(|v| v.value.is_some());
    let rest = if with_values {
        quote!(rest)
    } else {
        quote!(_rest)
    };
    let serialize = serialize_as_fields(&name);
    let reads = u.variants.iter().map(|v| {
        let variant = ident(v.name);
        let tags = v.tags.iter();
        match &v.value {
            Some(_) => {
                quote!( #( #tags )|* => Self::#variant(#PRIVATE::from_rest(rest)?),)
            }
            None => quote!( #( #tags )|* => Self::#variant,),
        }
    });
    let gate = gate(u.deserialize);
    quote! {
        impl #PRIVATE::WriteFields for #name {
            fn write_fields<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> ::std::result::Result<(), M::Error> {
                match self {
                    #( #writes )*
                    Self::Unknown => ::std::result::Result::Err(<M::Error as ::serde::ser::Error>::custom(#unknown)),
                }
            }
        }
        #serialize
        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let (tag, #rest) = #PRIVATE::take_tag(deserializer, #tag, #type_name)?;
                ::std::result::Result::Ok(match tag.as_str() {
                    #( #reads )*
                    _ => Self::Unknown,
                })
            }
        }
    }
}

/// An untagged union: written as its variant's value; read by trying the variants in order. One that
/// is a tagged variant's value also writes its variant's entries beside the tag.
pub fn untagged_impls(name: &str, u: &UntaggedSurface<'_>) -> TokenStream {
    let type_name = serde_key(name);
    let name = ident(name);
    let writes = u.variants.iter().map(|v| {
        let variant = ident(v.name);
        quote!(Self::#variant(value) => ::serde::Serialize::serialize(value, serializer),)
    });
    let write_fields = u.writes_fields.then(|| {
        let writes = u.variants.iter().map(|v| {
            let (variant, value) = (ident(v.name), payload(&v.value));
            quote!(Self::#variant(value) => #PRIVATE::WriteFields::write_fields(#value, map),)
        });
        quote! {
            impl #PRIVATE::WriteFields for #name {
                fn write_fields<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> ::std::result::Result<(), M::Error> {
                    match self {
                        #( #writes )*
                    }
                }
            }
        }
    });
    let reads = u.variants.iter().map(|v| {
        let variant = ident(v.name);
        quote! {
            if let ::std::option::Option::Some(value) = #PRIVATE::try_variant(&value) {
                return ::std::result::Result::Ok(Self::#variant(value));
            }
        }
    });
    let gate = gate(u.deserialize);
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #writes )*
                }
            }
        }
        #write_fields
        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = #PRIVATE::buffer(deserializer)?;
                #( #reads )*
                ::std::result::Result::Err(#PRIVATE::no_variant(#type_name))
            }
        }
    }
}
