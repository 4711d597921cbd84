//! Renders structs from their [`StructSurface`]: the fields as stored, the request helpers (builder or
//! `new()`, setters) and the typestate builders. Every decision is the surface's; this only writes it.

use super::docs::{docs, Para};
use crate::naming::ident;
use crate::surface::{BuilderRole, Constructor, FieldSurface, Storage, StructSurface};
use proc_macro2::TokenStream;
use quote::quote;

fn field_doc(f: &FieldSurface<'_>) -> TokenStream {
    let deprecated = f.deprecated.then_some("**Deprecated.**");
    let undescribed = f.doc.is_none().then(|| {
        format!(
            "The `{}` property (the spec does not describe it).",
            f.json_name
        )
    });
    docs([
        Para::Spec(f.doc),
        Para::Own(undescribed.as_deref()),
        Para::Own(deprecated),
    ])
}

/// The struct and, for a request type, its constructor and setters; `undescribed` is its doc when the
/// spec has none.
pub fn structure(s: &StructSurface<'_>, undescribed: Option<&str>) -> TokenStream {
    let name = ident(s.name);
    let constraints = s.constraints.join("\n\n");
    let docs = docs([
        Para::Spec(s.doc),
        Para::Own(undescribed),
        Para::Spec(Some(constraints.as_str())),
    ]);
    let fields = s.fields.iter().map(|f| {
        let fname = ident(f.word);
        let fty = f.stored().tokens();
        let docs = field_doc(f);
        quote! { #docs pub #fname: #fty, }
    });
    let additional = s.additional.as_ref().map(|a| {
        let aty = a.tokens();
        quote! {
            /// Properties beyond the declared ones (the schema allows them).
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #aty>,
        }
    });
    let default = s.has_default.then(|| quote!(Default,));
    let helpers = (s.constructor != Constructor::None).then(|| request_helpers(s));
    let serde = super::serde_impls::struct_impls(s);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            #additional
        }
        #serde
        #helpers
    }
}

/// The fields `builder()` asks for.
fn arguments<'a, 'm>(s: &'a StructSurface<'m>) -> Vec<&'a FieldSurface<'m>> {
    s.fields.iter().filter(|f| f.builder_takes()).collect()
}

/// `new()`/`builder()` and setters for optional fields of request types.
fn request_helpers(s: &StructSurface<'_>) -> TokenStream {
    let name = ident(s.name);
    let constructor = match &s.constructor {
        Constructor::Builder { type_name } => {
            let builder = ident(type_name);
            let required = arguments(s);
            let list = required
                .iter()
                .map(|f| format!("`{}`", f.word))
                .collect::<Vec<_>>()
                .join(", ");
            let units = required.iter().map(|_| quote!(()));
            let inits = required
                .iter()
                .map(|f| {
                    let n = ident(f.word);
                    quote!(#n: ())
                })
                .chain(optional(s).into_iter().map(|f| {
                    let n = ident(f.word);
                    quote!(#n: ::std::option::Option::None)
                }));
            let doc = format!(
                " Starts a builder: set {list} and any optional field, in any order, then call \
                 `build()`."
            );
            quote! {
                #[doc = #doc]
                // One type parameter per required field: long, but it is what makes a missing field an error.
                #[allow(clippy::type_complexity)]
                pub fn builder() -> crate::types::builders::#builder<#(#units),*> {
                    crate::types::builders::#builder { #(#inits,)* }
                }
            }
        }
        Constructor::New => quote! {
            /// An empty request: every field is optional.
            pub fn new() -> Self {
                ::std::default::Default::default()
            }
        },
        Constructor::Literal | Constructor::None => quote!(),
    };
    let setters = s.fields.iter().filter_map(setter);
    let client_state = s.client_state_json.iter().map(|(field, method)| {
        let setter = ident(&crate::naming::setter(field));
        let method = ident(method);
        let doc: Vec<String> = if *field == "client_state" {
            vec![
                " Sets `client_state` to `state` written as JSON, then base64".to_owned(),
                " ([`crate::client_state::encode_json`]). Events caused by this request carry it back;"
                    .to_owned(),
                " `WebhookEvent::client_state_json` reads it.".to_owned(),
            ]
        } else {
            vec![
                format!(" Sets `{field}` to `state` written as JSON, then base64"),
                " ([`crate::client_state::encode_json`]); `WebhookEvent::client_state_json` reads it"
                    .to_owned(),
                " from the events that carry it.".to_owned(),
            ]
        };
        quote! {
            #( #[doc = #doc] )*
            pub fn #method<T: ::serde::Serialize + ?::std::marker::Sized>(
                self,
                state: &T,
            ) -> ::std::result::Result<Self, crate::ClientStateError> {
                ::std::result::Result::Ok(self.#setter(crate::client_state::encode_json(state)?))
            }
        }
    });
    quote! {
        impl #name {
            #constructor
            #( #setters )*
            #( #client_state )*
        }
    }
}

fn setter(f: &FieldSurface<'_>) -> Option<TokenStream> {
    setter_documented(f, None)
}

/// The fields a builder carries for its optional setters (set in any state, before `build()`).
fn optional<'a, 'm>(s: &'a StructSurface<'m>) -> Vec<&'a FieldSurface<'m>> {
    s.fields
        .iter()
        .filter(|f| matches!(f.role, BuilderRole::Setter { .. }))
        .collect()
}

/// A setter; `see` replaces the field's docs with a pointer to the request type's own setter.
fn setter_documented(f: &FieldSurface<'_>, see: Option<&str>) -> Option<TokenStream> {
    let BuilderRole::Setter {
        method,
        null_method,
    } = &f.role
    else {
        return None;
    };
    let field = ident(f.word);
    let method = ident(method);
    let value_ty = f.argument.tokens();
    let wrap = if f.boxed {
        quote!(::std::boxed::Box::new(value.into()))
    } else {
        quote!(value.into())
    };
    let sets = format!("Sets `{}`.", f.json_name);
    let docs = match see {
        Some(target) => {
            let see = format!(
                " Sets `{}`, as the setter of [`{target}`](crate::types::{target}) does.",
                f.json_name
            );
            quote!(#[doc = #see])
        }
        None => docs([Para::Own(Some(sets.as_str())), Para::Spec(f.doc)]),
    };
    // A three-state field holds `Some(Some(value))`; `None` inside is the explicit `null`.
    let value = match null_method {
        Some(_) => quote!(::std::option::Option::Some(::std::option::Option::Some(#wrap))),
        None => quote!(::std::option::Option::Some(#wrap)),
    };
    let null = null_method.as_ref().map(|null_method| {
        let null_method = ident(null_method);
        let null_doc = format!(" Sends `{}` as an explicit `null`.", f.json_name);
        quote! {
            #[doc = #null_doc]
            pub fn #null_method(mut self) -> Self {
                self.#field = ::std::option::Option::Some(::std::option::Option::None);
                self
            }
        }
    });
    Some(quote! {
        #docs
        pub fn #method(mut self, value: impl ::std::convert::Into<#value_ty>) -> Self {
            self.#field = #value;
            self
        }
        #null
    })
}

/// A typestate builder: one type parameter per required field, `()` until set.
pub fn builder(s: &StructSurface<'_>) -> Option<TokenStream> {
    let Constructor::Builder { type_name } = &s.constructor else {
        return None;
    };
    let target = ident(s.name);
    let builder = ident(type_name);
    let required = arguments(s);
    let params: Vec<proc_macro2::Ident> = required
        .iter()
        .map(|f| match &f.role {
            BuilderRole::Argument { state } => ident(state),
            _ => ident(f.word),
        })
        .collect();
    let names: Vec<proc_macro2::Ident> = required.iter().map(|f| ident(f.word)).collect();
    let optional = optional(s);
    let optional_names: Vec<proc_macro2::Ident> = optional.iter().map(|f| ident(f.word)).collect();
    let optional_types = optional.iter().map(|f| f.stored().tokens());
    let optional_setters = optional
        .iter()
        .filter_map(|f| setter_documented(f, Some(s.name)));
    let client_state = s.client_state_json.iter().map(|(field, method)| {
        let setter = ident(&crate::naming::setter(field));
        let method = ident(method);
        let doc = format!(
            " Sets `{field}` to `state` written as JSON, then base64, as \
             [`{0}::{m}`](crate::types::{0}::{m}) does.",
            s.name,
            m = method
        );
        quote! {
            #[doc = #doc]
            pub fn #method<T: ::serde::Serialize + ?::std::marker::Sized>(
                self,
                state: &T,
            ) -> ::std::result::Result<Self, crate::ClientStateError> {
                ::std::result::Result::Ok(self.#setter(crate::client_state::encode_json(state)?))
            }
        }
    });
    let doc = format!(
        " Builds a [`crate::types::{}`]; see its `builder()`.",
        s.name
    );
    let setters = required.iter().enumerate().map(|(i, f)| {
        let name = &names[i];
        let arg_ty = f.argument.tokens();
        let wrap = if f.boxed { quote!(::std::boxed::Box::new(value.into())) } else { quote!(value.into()) };
        let stored = f.stored().tokens();
        let stored_value = if f.storage == Storage::RequiredNullable { quote!(::std::option::Option::Some(#wrap)) } else { wrap };
        let free: Vec<_> = params.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, p)| p).collect();
        let input: Vec<TokenStream> = params.iter().enumerate().map(|(j, p)| if j == i { quote!(()) } else { quote!(#p) }).collect();
        let output: Vec<TokenStream> = params.iter().enumerate().map(|(j, p)| if j == i { stored.clone() } else { quote!(#p) }).collect();
        let moves = names.iter().enumerate().map(|(j, n)| if j == i { quote!(#n: #stored_value) } else { quote!(#n: self.#n) });
        let keeps = optional_names.iter().map(|n| quote!(#n: self.#n));
        let docs = docs([Para::Own(Some(format!("Sets the required `{}`.", f.json_name).as_str())), Para::Spec(f.doc)]);
        quote! {
            #[allow(clippy::type_complexity)]
            impl<#(#free),*> #builder<#(#input),*> {
                #docs
                pub fn #name(self, value: impl ::std::convert::Into<#arg_ty>) -> #builder<#(#output),*> {
                    #builder { #(#moves,)* #(#keeps,)* }
                }
            }
        }
    });
    let complete: Vec<TokenStream> = required.iter().map(|f| f.stored().tokens()).collect();
    let inits = s.fields.iter().map(|f| {
        let n = ident(f.word);
        match &f.role {
            BuilderRole::Constant { type_name, variant } => {
                let (t, v) = (ident(type_name), ident(variant));
                let value = quote!(crate::types::#t::#v);
                let value = if f.boxed {
                    quote!(::std::boxed::Box::new(#value))
                } else {
                    value
                };
                quote!(#n: #value)
            }
            BuilderRole::Argument { .. } | BuilderRole::Setter { .. } => quote!(#n: self.#n),
            _ => quote!(#n: ::std::option::Option::None),
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "call `build()` to get the request"]
        pub struct #builder<#(#params),*> {
            #( pub(crate) #names: #params, )*
            #( pub(crate) #optional_names: #optional_types, )*
        }
        #( #setters )*
        impl<#(#params),*> #builder<#(#params),*> {
            #( #optional_setters )*
            #( #client_state )*
        }
        impl #builder<#(#complete),*> {
            /// The request, with every field set so far.
            pub fn build(self) -> crate::types::#target {
                crate::types::#target { #(#inits,)* #additional }
            }
        }
    })
}
