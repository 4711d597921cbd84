//! The classes of diagnostics, in one list. A new class is one entry here (its doc says what is wrong
//! and what the generator reads instead), the place that finds it, and a defect of it in
//! `spec/fixtures/defects/every_class.yaml`, whose test lists every class.

/// Declares [`Class`] with its kebab-case names, so a class is one line of this list.
macro_rules! classes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, )*) => {
        /// What kind of problem a [`super::Diagnostic`] is about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Class {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Class {
            /// Every class, in the order of this list.
            pub const ALL: &'static [Class] = &[$(Class::$variant),*];

            /// The name printed in `warning[name]` and accepted in tests and reports.
            pub fn name(self) -> &'static str {
                match self {
                    $(Class::$variant => $name,)*
                }
            }
        }
    };
}

classes! {
    /// The spec declares OpenAPI 3.0: it is read as 3.0 (3.1 is the dialect the generator is made for).
    OpenApi30 = "openapi-3-0",
    /// A `required` name that is not among the schema's `properties` (a typo, a property removed):
    /// the name is ignored.
    RequiredNotAProperty = "required-not-a-property",
    /// A path parameter whose name the path template does not contain: the parameter is ignored.
    PathParameterNotInPath = "path-parameter-not-in-path",
    /// A `{placeholder}` of the path template with no path parameter of that name: a string path
    /// parameter named after the placeholder is added, so the call can still be made.
    PlaceholderWithoutParameter = "placeholder-without-parameter",
    /// A discriminator that cannot tag the union (branches that are not objects, a dotted
    /// `propertyName`, a mapping to nothing): the union is read as untagged, with the same branches.
    UnusableDiscriminator = "unusable-discriminator",
    /// A schema `$ref` that names a parameter, header, response or request body: read as that one's
    /// schema (a response's JSON body schema).
    RefToNonSchema = "ref-to-non-schema",
    /// A schema with no reading (a value of the wrong kind, an unknown type, a `$ref` to nothing):
    /// that schema alone becomes `serde_json::Value`.
    UnreadableSchema = "unreadable-schema",
    /// An operation with no reading (a parameter without a name, a `$ref` to nothing): that operation
    /// is left out.
    UnreadableOperation = "unreadable-operation",
    /// A webhook with no reading (its body is not an object, a `$ref` to nothing): that webhook is left
    /// out.
    UnreadableWebhook = "unreadable-webhook",
    /// One operationId on several operations: each is generated, in the service of its path.
    DuplicateOperationId = "duplicate-operation-id",
    /// Several schemas want one Rust name: one keeps it, the others get a suffix hashed from their place
    /// (`spec/overrides.toml` can name them). Also two operations of one service that their places name
    /// alike: each is named after its operationId.
    NameCollision = "name-collision",
    /// Inline schemas of one shape whose names share fewer than two words, so their shared definition
    /// would have no neutral name: each keeps a definition of its own (`spec/overrides.toml` `[shared]`
    /// can name one).
    UnnamedSharedShape = "unnamed-shared-shape",
    /// A webhook with no event type and no property of its own: deliveries of it read as `Unknown`.
    UnrecognizableWebhook = "unrecognizable-webhook",
    /// An event type claimed by two webhooks: the first one in the spec gets the deliveries.
    EventTypeClaimedTwice = "event-type-claimed-twice",
    /// An overlay action whose target matches nothing in the spec (fixed upstream, or a typo): the
    /// action is skipped.
    StaleOverlayAction = "stale-overlay-action",
    /// A request field the fake's call simulator reads (its behaviours' fields in
    /// `telnyx-call-control-contract`) that the operation's request schema lacks or types
    /// otherwise: the simulation goes without it, as if it were never sent.
    SimulatorField = "simulator-field",
    /// A parameter with neither `schema` nor `content` (OpenAPI requires one): read as a string.
    ParameterWithoutSchema = "parameter-without-schema",
    /// One parameter (name and location) listed twice in one `parameters` list: the last is read.
    DuplicateParameter = "duplicate-parameter",
    /// `required: true` (or `false`) written in a property's own schema, as Swagger 2 did, instead of
    /// in the object's `required` list: the property is read as required (or optional).
    RequiredOnProperty = "required-on-property",
    /// A keyword with a value of the wrong kind where the keyword has a default (`explode: "no"`):
    /// the default is read.
    IgnoredKeywordValue = "ignored-keyword-value",
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let names: BTreeSet<&str> = Class::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.len(), Class::ALL.len(), "two classes share a name");
        for name in names {
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !name.starts_with('-')
                    && !name.ends_with('-'),
                "`{name}` is not kebab-case"
            );
        }
    }
}
