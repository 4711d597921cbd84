//! Emits the data of the generated crate's benchmarks (`benches/<bench>/samples.rs`), so they measure
//! real-shaped input without reading the spec: every webhook example the spec gives, and one JSON
//! request body per operation (the request sample the operation tests send: values that satisfy the
//! schema), parsed into its typed form once. Which benches a crate has is the manifest's business
//! (`emit::manifest`).

use crate::emit::rust::ident;
use crate::emit::File;
use crate::samples::Samples;
use crate::surface::{BodyKind, Surface};
use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use quote::{format_ident, quote};

/// The sample files of the benches the crate has (`requests`, `webhooks`).
pub fn samples(
    surface: &Surface<'_>,
    samples: &Samples,
    lib: &str,
    benches: &[&str],
) -> Vec<(String, File)> {
    let mut files = Vec::new();
    if benches.contains(&"requests") {
        files.push((
            "benches/requests/samples.rs".to_owned(),
            File::Rust(emit_request_samples(surface, samples, lib)),
        ));
    }
    if benches.contains(&"webhooks") {
        files.push((
            "benches/webhooks/samples.rs".to_owned(),
            File::Rust(emit_webhook_samples(surface)),
        ));
    }
    files
}

/// `benches/webhooks/samples.rs`: `(event key, delivery body)` for every event with an example.
fn emit_webhook_samples(surface: &Surface<'_>) -> TokenStream {
    let examples = surface.webhooks.events.iter().filter_map(|e| {
        let key = e.key;
        let body = e.example?.to_string();
        Some(quote!((#key, #body)))
    });
    quote! {
        //! Every webhook delivery the spec gives an example of, as the server sends it.

        /// `(event key, delivery body)`, in the spec's order.
        pub const WEBHOOK_EXAMPLES: &[(&str, &str)] = &[ #( #examples ),* ];
    }
}

/// `benches/requests/samples.rs`: a struct holding one typed body per operation with a JSON body, and a
/// visitor over them (static dispatch, so a bench measures serialization and nothing else).
fn emit_request_samples(surface: &Surface<'_>, samples: &Samples, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let bodies: Vec<(String, TokenStream, String)> = surface
        .operations
        .iter()
        .zip(&samples.operations)
        .filter_map(|(op, fx)| {
            let m = op.main();
            let body = m.body.as_ref()?;
            if !matches!(body.kind, BodyKind::Json { .. }) || !body.typed {
                return None;
            }
            let t = &m.args.last()?.ty;
            Some((
                crate::naming::operation_test(op.service, op.name),
                external(t.tokens(), &lib),
                fx.bodies[0].as_ref()?.to_string(),
            ))
        })
        .collect();
    let fields: Vec<Ident> = bodies.iter().map(|(key, _, _)| ident(key)).collect();
    let types = bodies.iter().map(|(_, t, _)| t);
    let json = bodies.iter().map(|(_, _, j)| j);
    let count = proc_macro2::Literal::usize_unsuffixed(bodies.len());
    let visits = if bodies.is_empty() {
        quote!(let _ = visitor;)
    } else {
        let keys = bodies.iter().map(|(key, _, _)| key);
        quote!( #( visitor.visit(#keys, &self.#fields); )* )
    };
    quote! {
        //! One request body per operation with a JSON body, the sample the operation tests send (spec
        //! examples where they satisfy the schema), parsed once into the crate's own types.

        /// Receives each typed body in turn.
        pub trait Visit {
            fn visit<B: ::serde::Serialize>(&mut self, operation: &'static str, body: &B);
        }

        /// How many bodies there are.
        pub const COUNT: usize = #count;

        /// The typed bodies.
        pub struct RequestBodies {
            #( #fields: #types, )*
        }

        impl RequestBodies {
            /// Parses every sample into its request type.
            pub fn parse() -> Self {
                RequestBodies {
                    #( #fields: ::serde_json::from_str(#json).expect("the sample fits its request type"), )*
                }
            }

            /// Hands every body to `visitor`.
            pub fn visit(&self, visitor: &mut impl Visit) {
                #visits
            }
        }
    }
}

/// A type path as seen from outside the crate: `crate::types::X` becomes `::lib::types::X`.
pub(super) fn external(tokens: TokenStream, lib: &Ident) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|tt| -> TokenStream {
            match tt {
                TokenTree::Ident(i) if i == "crate" => quote!(::#lib),
                TokenTree::Group(g) => {
                    let mut inner = Group::new(g.delimiter(), external(g.stream(), lib));
                    inner.set_span(g.span());
                    TokenTree::Group(inner).into()
                }
                other => other.into(),
            }
        })
        .collect()
}
