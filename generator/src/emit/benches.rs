//! Emits the data of the generated crate's benchmarks (`benches/samples/`), so they measure real-shaped
//! input without reading the spec: every webhook example the spec gives, and one JSON request body per
//! operation (the request sample the operation tests send: values that satisfy the schema),
//! parsed into its typed form once. Also drops `[[bench]]` sections of benches a crate does not get
//! (the webhook bench of a crate without webhooks), so the manifest never names a missing target.

use super::rust::ident;
use super::File;
use crate::fixtures::Fixtures;
use crate::surface::{BodyKind, Surface};
use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use quote::{format_ident, quote};

/// The sample files: requests always, webhooks when the crate has them.
pub fn samples(surface: &Surface<'_>, fixtures: &Fixtures, lib: &str) -> Vec<(String, File)> {
    let mut files = Vec::new();
    let json_bodies = surface.operations.iter().any(|op| {
        op.main()
            .body
            .as_ref()
            .is_some_and(|b| matches!(b.kind, BodyKind::Json { .. }) && b.typed)
    });
    if json_bodies {
        files.push((
            "benches/samples/requests.rs".to_owned(),
            File::Rust(emit_request_samples(surface, fixtures, lib)),
        ));
    }
    if !surface.webhooks.events.is_empty() {
        files.push((
            "benches/samples/webhooks.rs".to_owned(),
            File::Rust(emit_webhook_samples(surface)),
        ));
    }
    files
}

/// Drops the benches that have no samples in this crate (`benches/X.rs` without
/// `benches/samples/X.rs`), then their `[[bench]]` sections from `Cargo.toml`.
pub fn prune(files: &mut Vec<(String, File)>) {
    let samples: Vec<String> = files
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("benches/samples/").map(str::to_owned))
        .collect();
    files.retain(|(p, _)| match p.strip_prefix("benches/") {
        Some(rest) if !rest.contains('/') => samples.iter().any(|s| s == rest),
        _ => true,
    });
    prune_manifest(files);
}

/// Drops from `Cargo.toml` the `[[bench]]` sections whose bench file is not among `files`.
fn prune_manifest(files: &mut [(String, File)]) {
    let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    for (path, file) in files.iter_mut() {
        if let ("Cargo.toml", File::Text(text)) = (path.as_str(), file) {
            *text = prune_bench_sections(text, paths.iter().map(String::as_str));
        }
    }
}

/// `benches/samples/webhooks.rs`: `(event key, delivery body)` for every event with an example.
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

/// `benches/samples/requests.rs`: a struct holding one typed body per operation with a JSON body, and a
/// visitor over them (static dispatch, so a bench measures serialization and nothing else).
fn emit_request_samples(surface: &Surface<'_>, fixtures: &Fixtures, lib: &str) -> TokenStream {
    let lib = format_ident!("{}", lib);
    let bodies: Vec<(String, TokenStream, String)> = surface
        .operations
        .iter()
        .zip(&fixtures.operations)
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

/// The manifest without the `[[bench]]` sections whose bench file is not among `paths`.
fn prune_bench_sections<'a>(
    manifest: &str,
    paths: impl Iterator<Item = &'a str> + Clone,
) -> String {
    let mut out = String::with_capacity(manifest.len());
    let mut sections = manifest.split_inclusive('\n').peekable();
    while let Some(line) = sections.next() {
        if line.trim() != "[[bench]]" {
            out.push_str(line);
            continue;
        }
        let mut section = line.to_owned();
        while let Some(next) = sections.peek().filter(|l| !l.trim_start().starts_with('[')) {
            section.push_str(next);
            sections.next();
        }
        let name = section.lines().find_map(|l| {
            let value = l
                .trim()
                .strip_prefix("name")?
                .trim_start()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        });
        let kept = name.is_some_and(|n| {
            let file = format!("benches/{n}.rs");
            paths.clone().any(|p| p == file)
        });
        if kept {
            out.push_str(&section);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::prune_bench_sections;

    const MANIFEST: &str = "[package]\nname = \"x\"\n\n[[bench]]\nname = \"webhooks\"\nharness = false\n\n[[bench]]\nname = \"requests\"\nharness = false\n";

    #[test]
    fn sections_of_missing_benches_are_dropped() {
        let files = ["src/lib.rs", "benches/requests.rs"];
        let pruned = prune_bench_sections(MANIFEST, files.iter().copied());
        assert_eq!(
            pruned,
            "[package]\nname = \"x\"\n\n[[bench]]\nname = \"requests\"\nharness = false\n"
        );
    }

    #[test]
    fn a_manifest_with_every_bench_is_unchanged() {
        let files = ["benches/webhooks.rs", "benches/requests.rs"];
        assert_eq!(
            prune_bench_sections(MANIFEST, files.iter().copied()),
            MANIFEST
        );
    }
}
