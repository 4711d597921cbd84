//! The API change report: one pair of small specs per change class in `spec/fixtures/diff/`
//! (`<case>.old.yaml` → `<case>.new.yaml`), each change found and classified; and the real pair of
//! upstream specs (`$TELNYX_OPENAPI_SPEC_OLD` → `$TELNYX_OPENAPI_SPEC`) when both are given.

use std::path::{Path, PathBuf};
use telnyx_codegen::diff::{
    self, next_version, Bump, Change, Context, Kind, Level, Report, Section, Severity,
};
use telnyx_codegen::{test_support, Scope};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(case: &str, side: &str) -> String {
    let path = root().join(format!("spec/fixtures/diff/{case}.{side}.yaml"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn report(case: &str) -> Report {
    diff::compare_specs(&fixture(case, "old"), &fixture(case, "new"), &Scope::all())
        .unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// The one change about `subject` (and `member`) of `kind`.
fn the<'a>(
    r: &'a Report,
    section: Section,
    subject: &'a str,
    member: Option<&str>,
    kind: Kind,
) -> &'a Change {
    let found: Vec<&Change> = r
        .about(section, subject)
        .filter(|c| c.member.as_deref() == member && c.kind == kind)
        .collect();
    match found.as_slice() {
        [one] => one,
        _ => panic!("expected one {kind:?} of {subject} {member:?}, found {found:#?}\nin {r:#?}"),
    }
}

fn severity(
    r: &Report,
    section: Section,
    subject: &str,
    member: Option<&str>,
    kind: Kind,
) -> Severity {
    the(r, section, subject, member, kind).severity
}

fn ctx() -> Context {
    Context {
        old: "old".into(),
        new: "new".into(),
        scope: "all".into(),
        version: None,
    }
}

#[test]
fn types_are_matched_by_location_and_a_move_to_a_ref_is_one_change() {
    let r = report("locations");
    // Thing.mode: written in place, now a `$ref`: one change naming both types, on the field.
    let moved = the(&r, Section::Types, "Thing", Some("mode"), Kind::Moved);
    assert_eq!(moved.severity, Severity::Breaking);
    assert_eq!(moved.detail, "`ThingMode` → `Mode`; values +paused");
    assert_eq!(r.about(Section::Types, "ThingMode").count(), 0, "{r:#?}");
    assert_eq!(r.about(Section::Types, "Mode").count(), 0, "{r:#?}");
    // Thing.kind gained a value: reported under its own name, not as a rename, although a schema of
    // the same shape appeared in Other (a new type, `OtherKind`; the two share no neutral name, so
    // each keeps a definition of its own).
    let kind: Vec<(Option<&str>, Kind, Severity, &str)> = r
        .about(Section::Types, "ThingKind")
        .map(|c| (c.member.as_deref(), c.kind, c.severity, c.detail.as_str()))
        .collect();
    assert_eq!(
        kind,
        [(Some("c"), Kind::ValueAdded, Severity::Compatible, "`C`")]
    );
    assert_eq!(
        severity(&r, Section::Types, "OtherKind", None, Kind::Added),
        Severity::Compatible
    );
    assert!(
        r.changes.iter().all(|c| c.kind != Kind::FieldType),
        "no field changed type: {r:#?}"
    );
}

#[test]
fn operations_added_removed_renamed_and_changed() {
    let r = report("operations");
    let op = |subject, member, kind| severity(&r, Section::Operations, subject, member, kind);
    use Severity::{Breaking, Compatible};
    assert_eq!(op("things().archive()", None, Kind::Added), Compatible);
    assert_eq!(op("things().delete()", None, Kind::Removed), Breaking);
    // The operationId of GET /things/{thing_id}/notes changed: its method is named after its place,
    // so nothing is renamed, nor removed and added.
    assert_eq!(
        r.about(Section::Operations, "things().list_notes()")
            .count(),
        0,
        "{r:#?}"
    );
    assert!(r.changes.iter().all(|c| c.kind != Kind::Renamed), "{r:#?}");
    // A first query parameter, optional: `list()` is called as before, `list_with(params)` is new.
    assert_eq!(
        op("things().list()", Some("params"), Kind::ParamAdded),
        Compatible
    );
    let body = the(
        &r,
        Section::Operations,
        "things().create()",
        None,
        Kind::RequestBody,
    );
    assert_eq!(
        (body.severity, body.detail.as_str()),
        (Breaking, "`NewThing` → `ThingDraft`")
    );
    // The response keeps its name, `ThingRetrieveResponse`, now an alias of another type: breaking,
    // since code may name the old target for it; the operation is listed as affected through it.
    let response = the(
        &r,
        Section::Types,
        "ThingRetrieveResponse",
        None,
        Kind::Sharing,
    );
    assert_eq!(
        (response.severity, response.detail.as_str()),
        (Breaking, "an alias of `Thing` → an alias of `ThingView`")
    );
    assert!(r
        .affected
        .iter()
        .any(|a| a.subject == "things().retrieve()" && a.via == ["ThingRetrieveResponse"]));
    // Same Rust method and arguments: a new path and a renamed path parameter do not break callers.
    assert_eq!(op("widgets().retrieve()", None, Kind::Http), Compatible);
    assert_eq!(
        op("widgets().retrieve()", Some("id"), Kind::ParamRenamed),
        Compatible
    );
    assert_eq!(
        op("widgets().retrieve()", None, Kind::Deprecated),
        Compatible
    );
    // A summary-only change is counted, not listed.
    assert_eq!(
        r.about(Section::Operations, "health().retrieve()").count(),
        0
    );
    assert_eq!(r.docs_only.count(Section::Operations), 1);
    assert_eq!(r.level(), Level::Breaking);
}

#[test]
fn fields_are_classified_by_what_the_rust_type_and_builder_do() {
    let r = report("fields");
    let field = |subject, member, kind| severity(&r, Section::Types, subject, Some(member), kind);
    use Severity::{Breaking, Compatible};
    // Order is a request type: its builder asks for required fields.
    assert_eq!(field("Order", "channel", Kind::FieldAdded), Breaking);
    assert_eq!(field("Order", "tip", Kind::FieldAdded), Compatible);
    assert_eq!(field("Order", "note", Kind::FieldRemoved), Breaking);
    let quantity = the(
        &r,
        Section::Types,
        "Order",
        Some("quantity"),
        Kind::FieldType,
    );
    assert_eq!(
        (quantity.severity, quantity.detail.as_str()),
        (Breaking, "`i32` → `i64`")
    );
    assert_eq!(field("Order", "gift_wrap", Kind::FieldRequired), Breaking);
    let coupon = the(
        &r,
        Section::Types,
        "Order",
        Some("coupon"),
        Kind::FieldNullable,
    );
    assert_eq!(coupon.severity, Breaking);
    assert!(
        coupon.reason.contains("Option<Option<String>>"),
        "{coupon:?}"
    );
    assert_eq!(
        field("Order", "legacy_code → promo_code", Kind::FieldRenamed),
        Breaking
    );
    assert_eq!(
        r.about(Section::Types, "Order")
            .filter(|c| c.member.as_deref() == Some("legacy_code"))
            .count(),
        0
    );
    // Receipt is a response type: a new required field is something more to read.
    assert_eq!(field("Receipt", "currency", Kind::FieldAdded), Compatible);
    assert_eq!(field("Receipt", "total", Kind::FieldRequired), Breaking);
    // Required and nullable → optional: `Option<String>` either way.
    assert_eq!(field("Receipt", "paid_at", Kind::FieldRequired), Compatible);
    assert_eq!(field("Receipt", "paid_at", Kind::FieldNullable), Compatible);
    assert_eq!(field("Receipt", "memo", Kind::FieldNullable), Compatible);
    assert_eq!(
        severity(&r, Section::Types, "Settings", None, Kind::DefaultLost),
        Breaking
    );
    assert_eq!(field("Settings", "mode", Kind::FieldAdded), Compatible);
    assert_eq!(
        r.docs_only
            .elements
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>(),
        ["Receipt.id"]
    );
    let reached = &r.affected;
    assert_eq!(reached.len(), 1, "{reached:?}");
    assert_eq!(reached[0].subject, "orders().create()");
    assert_eq!(reached[0].via, ["Order", "Receipt", "Settings"]);
}

#[test]
fn enum_values_union_variants_aliases_and_kinds() {
    let r = report("variants");
    let ty = |subject, member, kind| severity(&r, Section::Types, subject, member, kind);
    use Severity::{Breaking, Compatible};
    assert_eq!(ty("Color", Some("green"), Kind::ValueRemoved), Breaking);
    assert_eq!(ty("Color", Some("yellow"), Kind::ValueAdded), Compatible);
    assert_eq!(ty("State", Some("archived"), Kind::ValueAdded), Compatible);
    let coats = the(&r, Section::Types, "Coats", Some("3"), Kind::ValueRemoved);
    assert_eq!(coats.severity, Breaking);
    assert!(
        coats.reason.contains("Unknown"),
        "a response enum: {coats:?}"
    );
    assert_eq!(ty("Shape", Some("Square"), Kind::VariantRemoved), Breaking);
    assert_eq!(
        ty("Shape", Some("Triangle"), Kind::VariantAdded),
        Compatible
    );
    // Untagged unions are plain enums: a new variant breaks exhaustive matches.
    assert_eq!(ty("Amount", Some("Boolean"), Kind::VariantAdded), Breaking);
    assert_eq!(ty("Size", None, Kind::KindChanged), Breaking);
    // `BrushId` is an alias; aliases are written out where used, so the field shows the change.
    let brush = the(
        &r,
        Section::Types,
        "PaintRequest",
        Some("brush"),
        Kind::FieldType,
    );
    assert_eq!(brush.severity, Breaking);
    assert_eq!(r.docs_only.total(), 0);
}

#[test]
fn webhook_events_added_removed_and_changed() {
    let r = report("webhooks");
    let event = |subject, member, kind| severity(&r, Section::Webhooks, subject, member, kind);
    use Severity::{Breaking, Compatible};
    assert_eq!(event("thingUpdated", None, Kind::Added), Compatible);
    assert_eq!(event("thingDeleted", None, Kind::Removed), Breaking);
    assert_eq!(event("thingArchived", None, Kind::Body), Breaking);
    assert_eq!(
        event("thingMoved", Some("thing.relocated"), Kind::EventTypeAdded),
        Compatible
    );
    assert_eq!(r.about(Section::Webhooks, "thingCreated").count(), 0);
    assert_eq!(r.docs_only.count(Section::Webhooks), 1);
    let moved: Vec<&str> = r
        .affected
        .iter()
        .filter(|a| a.section == Section::Webhooks)
        .map(|a| a.subject.as_str())
        .collect();
    assert_eq!(moved, ["thingMoved"]);
}

#[test]
fn docs_only_changes_are_counted_not_listed_and_call_for_a_patch() {
    let r = report("docs");
    assert!(r.is_empty(), "{:#?}", r.changes);
    let docs: Vec<String> = r
        .docs_only
        .elements
        .iter()
        .map(|(_, n)| n.clone())
        .collect();
    assert_eq!(docs, ["notes().create()", "Note", "Note.tags", "Note.text"]);
    assert_eq!(r.level(), Level::DocsOnly);
    assert_eq!(
        next_version("0.3.1", r.level()).unwrap(),
        (Bump::Patch, "0.3.2".into())
    );
    let text = diff::render::text(&r, &ctx());
    assert!(
        text.contains("0 breaking, 0 compatible, 4 docs-only"),
        "{text}"
    );
    assert!(
        !text.contains("Note.text"),
        "docs-only changes are not listed: {text}"
    );
}

#[test]
fn the_same_spec_twice_makes_an_empty_report() {
    let text = fixture("operations", "new");
    let r = diff::compare_specs(&text, &text, &Scope::all()).unwrap();
    assert_eq!(r, Report::default());
    assert_eq!(r.level(), Level::Unchanged);
    assert_eq!(
        next_version("0.1.0", r.level()).unwrap(),
        (Bump::None, "0.1.0".into())
    );
}

#[test]
fn markdown_lists_breaking_before_compatible_and_names_the_bump() {
    let r = report("fields");
    let (bump, to) = next_version("0.4.2", r.level()).unwrap();
    let ctx = Context {
        version: Some(diff::VersionChange {
            from: "0.4.2".into(),
            bump,
            to,
        }),
        ..ctx()
    };
    let md = diff::render::markdown(&r, &ctx);
    let at = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in\n{md}"))
    };
    assert!(at("## API changes: old → new") < at("### Breaking (8)"));
    assert!(at("### Breaking (8)") < at("### Compatible (6)"));
    assert!(at("### Compatible (6)") < at("### Docs only (1)"));
    assert!(
        md.contains("Suggested version bump: minor (0.4.2 → 0.5.0)"),
        "{md}"
    );
    assert!(md.contains("- `Order` `note`: field removed"), "{md}");
}

#[test]
fn the_specs_own_diagnostics_that_came_and_went_are_listed_beside_the_changes() {
    let r = report("diagnostics");
    let d = &r.diagnostics;
    let brief = |list: &[telnyx_codegen::Diagnostic]| -> Vec<(String, String)> {
        list.iter()
            .map(|d| (d.class.name().to_owned(), d.pointer.to_string()))
            .collect()
    };
    assert_eq!(
        brief(&d.new),
        [(
            "unreadable-schema".to_owned(),
            "#/components/schemas/Thing/properties/size/type".to_owned()
        )]
    );
    assert_eq!(
        brief(&d.gone),
        [(
            "required-not-a-property".to_owned(),
            "#/components/schemas/Thing/required".to_owned()
        )]
    );
    assert_eq!(d.kept, 0);
    // What the typo did to the API is in the same report.
    the(&r, Section::Types, "Thing", Some("size"), Kind::FieldType);
    let text = diff::render::text(&r, &ctx());
    assert!(text.contains("\nspec diagnostics: 1 new, 1 gone, 0 unchanged\n  new: unreadable-schema at #/components/schemas/Thing/properties/size/type: unknown type `integr`"), "{text}");
    assert!(text.contains("  gone: required-not-a-property at #/components/schemas/Thing/required: required name `nmae` is not among the properties (ignored the required name `nmae`)"), "{text}");
    let md = diff::render::markdown(&r, &ctx());
    assert!(md.contains("### Spec diagnostics\n\n1 new, 1 gone, 0 unchanged.\n\nNew in the new spec:\n\n- `unreadable-schema` at `#/components/schemas/Thing/properties/size/type`"), "{md}");
}

/// `$TELNYX_OPENAPI_SPEC_OLD` (or the vendor's 2026-06-16 spec) → the pinned spec, for the committed
/// scope (spec/scope.toml).
fn real_pair() -> (String, String) {
    (
        test_support::old_spec_text(),
        test_support::pinned_spec_text(),
    )
}

/// Checked by hand against the two files (spec3-2026-06-16.yml → spec3.yml):
/// - `DeepgramNova3Config` gains the optional properties `keyterms` (array of strings) and
///   `smart_format` (boolean) and a new example, nothing else;
/// - `TranscriptionStartRequest.transcription_engine` is an inline enum that gains `Parakeet`: it keeps
///   its name (it no longer shares the definition of the other engine enum, which breaks nothing);
///   `transcription_engine_config` gains the `Parakeet` mapping (a new variant).
/// - No `/calls` path and no webhook changed.
#[test]
fn june_to_july_for_the_call_scope() {
    let (old, new) = real_pair();
    let scope_file = std::fs::read_to_string(root().join("spec/scope.toml")).unwrap();
    let scope = Scope::from_toml(&scope_file).unwrap();
    let r = diff::compare_specs(&old, &new, &scope).unwrap();
    let again = diff::compare_specs(&old, &new, &scope).unwrap();
    assert_eq!(
        r, again,
        "the report must not depend on anything but the specs"
    );
    assert_eq!(
        diff::render::markdown(&r, &ctx()),
        diff::render::markdown(&again, &ctx())
    );

    let nova3: Vec<(Option<&str>, Kind, Severity, &str)> = r
        .about(Section::Types, "DeepgramNova3Config")
        .map(|c| (c.member.as_deref(), c.kind, c.severity, c.detail.as_str()))
        .collect();
    assert_eq!(
        nova3,
        [
            (
                Some("keyterms"),
                Kind::FieldAdded,
                Severity::Compatible,
                "`Option<Vec<String>>`"
            ),
            (
                Some("smart_format"),
                Kind::FieldAdded,
                Severity::Compatible,
                "`Option<bool>`"
            ),
        ]
    );
    assert!(r
        .docs_only
        .elements
        .contains(&(Section::Types, "DeepgramNova3Config".to_owned())));

    // The field keeps its type's name: the type itself gained Parakeet (and stopped sharing the
    // definition of its twin, which is no break), so the update is compatible.
    assert_eq!(
        r.about(Section::Types, "TranscriptionStartRequest").count(),
        0
    );
    let engine: Vec<(Option<&str>, Kind, Severity)> = r
        .about(
            Section::Types,
            "TranscriptionStartRequestTranscriptionEngine",
        )
        .map(|c| (c.member.as_deref(), c.kind, c.severity))
        .collect();
    assert_eq!(
        engine,
        [
            (None, Kind::Sharing, Severity::Compatible),
            (Some("Parakeet"), Kind::ValueAdded, Severity::Compatible),
        ]
    );
    let parakeet = r
        .changes
        .iter()
        .find(|c| c.kind == Kind::VariantAdded && c.member.as_deref() == Some("Parakeet"))
        .unwrap_or_else(|| panic!("no Parakeet variant in {r:#?}"));
    assert_eq!(parakeet.severity, Severity::Compatible);

    assert_eq!(
        r.changes
            .iter()
            .filter(|c| c.section != Section::Types)
            .count(),
        0
    );
    assert_eq!(r.level(), Level::Compatible);
    assert_eq!(
        next_version("0.1.0", r.level()).unwrap(),
        (Bump::Patch, "0.1.1".into())
    );
    eprintln!(
        "{}docs only: {:?}",
        diff::render::text(&r, &ctx()),
        r.docs_only.elements
    );
}

/// The real upstream updates beside the pinned spec (`spec3-2026-04-01.yml` → ... → `spec3.yml`, when
/// the folder holds them): no breaking item is a rename or an alias change of a type, since names are
/// a function of each schema's own place (every place in both specs keeps its name); what remains
/// breaking is a change of the schemas themselves.
#[test]
fn real_updates_rename_nothing() {
    let files = [
        "spec3-2026-04-01.yml",
        "spec3-2026-05-01.yml",
        "spec3-2026-06-01.yml",
        "spec3-2026-06-16.yml",
    ];
    let mut specs: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.to_string(), test_support::vendor_spec(f)))
        .collect();
    specs.push(("spec3.yml".into(), test_support::pinned_spec_text()));
    let scope_file = std::fs::read_to_string(root().join("spec/scope.toml")).unwrap();
    let scope = Scope::from_toml(&scope_file).unwrap();
    let models: Vec<_> = specs
        .iter()
        .map(|(name, text)| {
            telnyx_codegen::model_of(text, &[], &scope).unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect();
    for (i, pair) in models.windows(2).enumerate() {
        let r = diff::compare(&pair[0], &pair[1]);
        let update = format!("{} → {}", specs[i].0, specs[i + 1].0);
        let noise: Vec<&Change> = r
            .changes
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
            .filter(|c| matches!(c.kind, Kind::Renamed | Kind::Sharing))
            .collect();
        assert!(noise.is_empty(), "{update}: {noise:#?}");
        // The property itself: a place the spec still has keeps its type's name.
        let names =
            |m: &telnyx_codegen::model::Model| -> std::collections::BTreeMap<String, String> {
                m.types
                    .emitted()
                    .into_iter()
                    .map(|(_, d)| (d.pointer.to_string(), d.name.clone()))
                    .collect()
            };
        let (before, after) = (names(&pair[0]), names(&pair[1]));
        for (at, name) in &before {
            if let Some(now) = after.get(at) {
                assert_eq!(name, now, "{update}: {at} was renamed");
            }
        }
        let count = |s: Severity| r.changes.iter().filter(|c| c.severity == s).count();
        eprintln!(
            "{update}: {} breaking, {} compatible, {} docs-only",
            count(Severity::Breaking),
            count(Severity::Compatible),
            r.docs_only.elements.len()
        );
    }
}

/// The vendor's 2026-06-10 spec gave 78 operations of the whole API new operationIds (and the next
/// version took them back): methods are named after their places, so the update renames none (nor
/// removes one to add it again; the operations it adds are new paths).
#[test]
fn the_operation_id_churn_of_june_2026_renames_no_operation() {
    let before = test_support::vendor_spec("spec3-2026-06-01.yml");
    let after = test_support::vendor_spec("spec3-2026-06-10.yml");
    let r = diff::compare_specs(&before, &after, &Scope::all()).unwrap();
    let operations: Vec<&Change> = r
        .changes
        .iter()
        .filter(|c| c.section == Section::Operations)
        .filter(|c| matches!(c.kind, Kind::Renamed | Kind::Removed))
        .collect();
    assert!(operations.is_empty(), "{operations:#?}");
}
