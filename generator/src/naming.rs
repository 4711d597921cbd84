//! Every Rust name the generator emits comes from here: heck for case conversion, then sanitizing
//! (keywords, leading digits, symbols) and one collision rule that does not depend on the order of the
//! file:
//!
//! Names that collide after conversion are grouped. In a group, a spec name already spelled like the
//! Rust name (`CountryCode` for `CountryCode`) keeps it; every other one gets a suffix that describes its
//! own spelling (`country_code` → `CountryCodeSnake`, `telnyx` → `TelnyxLower`). Only if two spellings
//! give the same suffix is a short hash of the spec name appended. Each name is thus a function of its
//! own spec name and its group, never of its position in the file, and it does not move when unrelated
//! names are added. Location names (schemas written in place, parameter structs) that collide are
//! settled by [`settle_locations`], which looks only at the colliding places.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// Rust keywords that cannot be raw identifiers and get a `_` suffix instead.
const NOT_RAW: [&str; 5] = ["self", "Self", "super", "crate", "extern"];

/// Strict and reserved keywords of Rust 2021.
const KEYWORDS: [&str; 51] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Spoken names for values made only of symbols (`+`, `*`, `#`), so enum variants stay readable.
fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "Plus",
        '-' => "Minus",
        '*' => "Star",
        '/' => "Slash",
        '%' => "Percent",
        '#' => "Hash",
        '@' => "At",
        '&' => "Amp",
        '=' => "Eq",
        '<' => "Lt",
        '>' => "Gt",
        '!' => "Bang",
        '?' => "Question",
        '.' => "Dot",
        ',' => "Comma",
        ':' => "Colon",
        ';' => "Semicolon",
        '$' => "Dollar",
        '^' => "Caret",
        '~' => "Tilde",
        '|' => "Pipe",
        '_' => "Underscore",
        ' ' => "Space",
        _ => return None,
    })
}

/// Keeps ASCII letters, digits and word separators; heck treats the separators as word breaks.
fn ascii_words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` for types and variants: `call-control_Error` → `CallControlError`,
/// `AIAssistantStartRequest` → `AiAssistantStartRequest`, `10dlcError` → `_10dlcError`, `+` → `Plus`,
/// `+E.164` → `PlusE164`, `""` → `Empty`.
pub fn upper_camel(s: &str) -> String {
    let mut out = String::new();
    let trimmed = s.trim_start_matches(['+', '-']);
    let signs = &s[..s.len() - trimmed.len()];
    for c in signs.chars() {
        out.push_str(symbol_word(c).unwrap_or_default());
    }
    let words = ascii_words(trimmed).to_upper_camel_case();
    if words.is_empty() && out.is_empty() {
        if s.is_empty() {
            return "Empty".into();
        }
        let spoken: String = s.chars().filter_map(symbol_word).collect();
        return if spoken.is_empty() {
            "Value".into()
        } else {
            spoken
        };
    }
    out.push_str(&words);
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `snake_case` for fields, methods and modules, as a bare word (`type`, `self`, `_1st`,
/// `page[number]` → `page_number`): the model keeps words, and [`ident`] makes them identifiers.
pub fn snake(s: &str) -> String {
    let mut out = ascii_words(s).to_snake_case();
    if out.is_empty() {
        out = "value".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// The identifier for a word or name, the one place keywords are handled: a keyword becomes a raw
/// identifier (`type` → `r#type`), and the few that cannot be raw get a `_` (`self` → `self_`,
/// `Self` → `Self_`).
pub fn ident_text(word: &str) -> String {
    if NOT_RAW.contains(&word) {
        format!("{word}_")
    } else if KEYWORDS.contains(&word) {
        format!("r#{word}")
    } else {
        word.to_owned()
    }
}

/// The key serde writes for a field whose identifier is [`ident`]`(word)`: the identifier without
/// a raw prefix (`self` → `self_`), so the emitter knows when a `rename` is needed.
pub fn serde_key(word: &str) -> String {
    let text = ident_text(word);
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

/// [`ident_text`] as a token.
pub fn ident(word: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    let text = ident_text(word);
    match text.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, span),
        None => proc_macro2::Ident::new(&text, span),
    }
}

/// A module (and file) name for a word: a keyword gets a `_` (`match` → `match_`), as a file named
/// after a raw identifier reads badly.
pub fn module_name(word: &str) -> String {
    if KEYWORDS.contains(&word) {
        format!("{word}_")
    } else {
        word.to_owned()
    }
}

/// The struct of an operation's query and header parameters: `<Owner>Params`
/// (`ConferenceListParams`), the owner being the operation's place.
pub fn params_type(owner: &str) -> String {
    format!("{owner}Params")
}

/// The method that takes an operation's optional parameters: `list` → `list_with`.
pub fn with_params_method(method: &str) -> String {
    format!("{method}_with")
}

/// The singular of an English plural in snake case, for the segment of a collection (`calls` →
/// `call`, `phone_numbers` → `phone_number`, `policies` → `policy`, `addresses` → `address`); a word
/// that does not look plural is kept.
pub fn singular(word: &str) -> String {
    let (head, last) = match word.rsplit_once('_') {
        Some((head, last)) => (Some(head), last),
        None => (None, word),
    };
    let one = if let Some(stem) = last.strip_suffix("ies").filter(|s| s.len() > 1) {
        format!("{stem}y")
    } else if ["sses", "ches", "shes", "xes", "uses"]
        .iter()
        .any(|end| last.ends_with(end))
    {
        last[..last.len() - 2].to_owned()
    } else if last.len() > 3
        && last.ends_with('s')
        && !["ss", "us", "is"].iter().any(|end| last.ends_with(end))
    {
        last[..last.len() - 1].to_owned()
    } else {
        last.to_owned()
    };
    match head {
        Some(head) => format!("{head}_{one}"),
        None => one,
    }
}

/// The variant of an integer enum value: `_5`, `Minus1`.
pub fn int_variant(value: i64) -> String {
    if value < 0 {
        format!("Minus{}", value.unsigned_abs())
    } else {
        format!("_{value}")
    }
}

/// The setter of a field: the field's word, or `set_<word>` where the word is taken by a constructor
/// (`new`, `builder`, `build`).
pub fn setter(field: &str) -> String {
    match field {
        "new" | "builder" | "build" => format!("set_{field}"),
        _ => field.to_owned(),
    }
}

/// The setter that sends an explicit `null`.
pub fn null_setter(field: &str) -> String {
    format!("{field}_null")
}

/// The typestate builder of a request type, and its type parameter for a required field.
pub fn builder_type(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The type parameter of a builder that tracks whether `field` is set.
pub fn builder_state(field: &str) -> String {
    format!("{}State", upper_camel(field))
}

/// The service type of a path of service words (`CallsActions` for `calls`, `actions`); a name that
/// would start with `_` (`/10dlc/...`) gets a `Service` prefix so it cannot meet the module of that
/// name.
pub fn service_type(path: &[String]) -> String {
    let name: String = path.iter().map(|p| upper_camel(p)).collect();
    match name.strip_prefix('_') {
        Some(rest) => format!("Service{rest}"),
        None => name,
    }
}

/// The method walking a list operation page by page.
pub fn pages_method(method: &str) -> String {
    format!("{method}_pages")
}

/// A method for another media type of an operation's body (`upload_multipart`).
pub fn media_method(method: &str, suffix: &str) -> String {
    format!("{method}_{suffix}")
}

/// Snake-case words joined into one name (`brand` and `_2fa_email` → `brand_2fa_email`): the `_` that
/// keeps a word from starting with a digit is needed only at the start of the name.
pub fn join_snake<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut name = words
        .into_iter()
        .map(|w| w.trim_start_matches('_'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// The generated test of an operation: its service words and method, joined.
pub fn operation_test(service: &[String], method: &str) -> String {
    format!("{}_{method}", service.join("_"))
}

/// A short word describing how a spec name is spelled, used to tell apart names that convert alike.
fn spelling(original: &str) -> &'static str {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if original.contains('_') {
        "Snake"
    } else if original.contains('-') {
        "Kebab"
    } else if original.contains('.') {
        "Dotted"
    } else if original.contains(' ') {
        "Spaced"
    } else if !letters.is_empty() && letters.iter().all(|c| c.is_lowercase()) {
        "Lower"
    } else if !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) {
        "Upper"
    } else if original.starts_with(|c: char| c.is_lowercase()) {
        "Camel"
    } else {
        "Raw"
    }
}

/// FNV-1a, for the last-resort suffix: stable across runs, machines and Rust versions.
fn short_hash(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{:04X}", h & 0xFFFF)
}

/// Applies the collision rule (see the module docs) to `(spec name, converted name)` pairs; names in
/// `taken` are already used and are never handed out. Returns the unique names in input order. A suffix
/// is appended in `style` (`Snake` for UpperCamel names, `_snake` for snake_case ones).
pub fn disambiguate(
    items: &[(String, String)],
    taken: &BTreeSet<String>,
    style: Style,
) -> Vec<String> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, converted)) in items.iter().enumerate() {
        groups.entry(converted.as_str()).or_default().push(i);
    }
    let mut out: Vec<String> = items.iter().map(|(_, c)| c.clone()).collect();
    let mut used: BTreeSet<String> = taken.clone();
    // Names that need no change are fixed first so that suffixed names never steal them.
    let mut pending = Vec::new();
    for (converted, members) in &groups {
        let exact: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| items[i].0 == *converted)
            .collect();
        let keeper = match (members.len(), exact.as_slice()) {
            (1, _) => Some(members[0]),
            (_, [only]) => Some(*only),
            _ => None,
        };
        for &i in members {
            if Some(i) == keeper && !taken.contains(*converted) {
                used.insert((*converted).to_owned());
            } else {
                pending.push(i);
            }
        }
    }
    let wanted: Vec<(usize, String)> = pending
        .iter()
        .map(|&i| (i, with_suffix(&items[i].1, spelling(&items[i].0), style)))
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, w) in &wanted {
        *counts.entry(w.as_str()).or_default() += 1;
    }
    for (i, w) in &wanted {
        let name = if counts[w.as_str()] == 1 && !used.contains(w) {
            w.clone()
        } else {
            with_suffix(w, &short_hash(&items[*i].0), style)
        };
        used.insert(name.clone());
        out[*i] = name;
    }
    out
}

fn with_suffix(name: &str, suffix: &str, style: Style) -> String {
    match style {
        Style::UpperCamel => format!("{name}{suffix}"),
        Style::Snake => format!("{name}_{}", suffix.to_snake_case()),
    }
}

/// A name per operation (`service words`, `method word`) for an enum of operations: the method in
/// UpperCamelCase (`Speak`), or, where several services have a method of that name, the service's type
/// name first (`CallsActionsSpeak`, `ConferencesActionsSpeak`). Within a service, method names are
/// unique, so the result is too.
pub fn operation_variants(ops: &[(&[String], &str)]) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, method) in ops {
        *counts.entry(upper_camel(method)).or_default() += 1;
    }
    ops.iter()
        .map(|(service, method)| {
            let name = upper_camel(method);
            if counts[&name] > 1 {
                format!("{}{name}", service_type(service))
            } else {
                name
            }
        })
        .collect()
}

/// Settles collisions between location names (inline schemas, parameter structs): `(location key,
/// wanted name)` pairs, where the key is the JSON pointer of the location. A name nobody else wants and
/// not in `taken` (component and hand-chosen names) is kept. Among locations that want the same name,
/// the one nearest the document root (fewest pointer tokens, then the pointer's spelling) keeps it
/// unless `taken` has it; every other gets a suffix of four hex digits hashed from its own pointer
/// (`CallRequestToA1F3`). A name is thus a function of its own location and of the names it collides
/// with, never of the rest of the spec. Returns the names in input order.
pub fn settle_locations(items: &[(String, String)], taken: &BTreeSet<String>) -> Vec<String> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, name)) in items.iter().enumerate() {
        groups.entry(name.as_str()).or_default().push(i);
    }
    let depth = |key: &str| key.matches('/').count();
    let mut out: Vec<String> = items.iter().map(|(_, n)| n.clone()).collect();
    // Every wanted name is reserved, so a suffixed name never takes one.
    let mut used: BTreeSet<String> = taken.clone();
    used.extend(groups.keys().map(|n| (*n).to_owned()));
    for (name, mut members) in groups {
        members.sort_by(|&a, &b| {
            let (ka, kb) = (&items[a].0, &items[b].0);
            depth(ka).cmp(&depth(kb)).then_with(|| ka.cmp(kb))
        });
        let keeps = (!taken.contains(name)).then_some(members[0]);
        for &i in &members {
            if Some(i) == keeps {
                continue;
            }
            let mut key = items[i].0.clone();
            let mut candidate = with_suffix(name, &short_hash(&key), Style::UpperCamel);
            while used.contains(&candidate) {
                key.push('\'');
                candidate = with_suffix(name, &short_hash(&key), Style::UpperCamel);
            }
            used.insert(candidate.clone());
            out[i] = candidate;
        }
    }
    out
}

/// The case style of a set of names, so a suffix reads like the rest of the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    UpperCamel,
    Snake,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_become_singular_and_other_words_stay() {
        for (plural, one) in [
            ("calls", "call"),
            ("phone_numbers", "phone_number"),
            ("policies", "policy"),
            ("addresses", "address"),
            ("statuses", "status"),
            ("batches", "batch"),
            ("access", "access"),
            ("status", "status"),
            ("analysis", "analysis"),
            ("media", "media"),
            ("ids", "ids"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }

    #[test]
    fn type_names_follow_upper_camel_case_with_sanitizing() {
        assert_eq!(
            upper_camel("AIAssistantStartRequest"),
            "AiAssistantStartRequest"
        );
        assert_eq!(
            upper_camel("GatherUsingSpeakRequest"),
            "GatherUsingSpeakRequest"
        );
        assert_eq!(upper_camel("call-control_Error"), "CallControlError");
        assert_eq!(upper_camel("10dlcError"), "_10dlcError");
        assert_eq!(upper_camel("self"), "Self");
        assert_eq!(ident_text(&upper_camel("Self")), "Self_");
        assert_eq!(upper_camel("array<uuid>"), "ArrayUuid");
        assert_eq!(upper_camel("Text and Image Array"), "TextAndImageArray");
    }

    #[test]
    fn enum_values_that_are_not_identifiers_get_readable_names() {
        let cases = [
            ("+", "Plus"),
            ("-", "Minus"),
            ("*", "Star"),
            ("/", "Slash"),
            ("%", "Percent"),
            ("#", "Hash"),
            ("+E.164", "PlusE164"),
            ("deepgram/nova-3", "DeepgramNova3"),
            ("krisp-viva-tel-v2.kef", "KrispVivaTelV2Kef"),
            (
                "G722,PCMU,PCMA,G729,OPUS,VP8,H264",
                "G722PcmuPcmaG729OpusVp8H264",
            ),
            ("Middle East", "MiddleEast"),
            ("en-GB-WLS", "EnGbWls"),
            ("8000", "_8000"),
            ("", "Empty"),
        ];
        for (value, name) in cases {
            assert_eq!(upper_camel(value), name, "{value:?}");
        }
    }

    #[test]
    fn field_names_are_snake_case_words_made_identifiers_in_one_place() {
        assert_eq!(snake("type"), "type");
        assert_eq!(snake("AsyncAmd"), "async_amd");
        assert_eq!(snake("page[number]"), "page_number");
        assert_eq!(snake("1st"), "_1st");
        assert_eq!(join_snake(["brand", "_2fa_email"]), "brand_2fa_email");
        assert_eq!(join_snake(["", "_10dlc", "list"]), "_10dlc_list");
        assert_eq!(snake("callGatherUsingAI"), "call_gather_using_ai");
        assert_eq!(ident_text("type"), "r#type");
        assert_eq!(ident_text("ref"), "r#ref");
        assert_eq!(ident_text("self"), "self_");
        assert_eq!(ident_text("crate"), "crate_");
        assert_eq!(ident_text("Self"), "Self_");
        assert_eq!(ident_text("speak"), "speak");
        assert_eq!(ident("match").to_string(), "r#match");
        assert_eq!(module_name("match"), "match_");
        assert_eq!(serde_key("type"), "type");
        assert_eq!(serde_key("self"), "self_");
        assert_eq!(module_name("calls"), "calls");
    }

    fn pairs(names: &[&str], convert: fn(&str) -> String) -> Vec<(String, String)> {
        names.iter().map(|n| (n.to_string(), convert(n))).collect()
    }

    #[test]
    fn collisions_resolve_by_spelling_not_by_order() {
        let forward = disambiguate(
            &pairs(
                &["CountryCode", "country_code", "PhoneNumber", "phone_number"],
                upper_camel,
            ),
            &BTreeSet::new(),
            Style::UpperCamel,
        );
        assert_eq!(
            forward,
            [
                "CountryCode",
                "CountryCodeSnake",
                "PhoneNumber",
                "PhoneNumberSnake"
            ]
        );
        let backward = disambiguate(
            &pairs(
                &["phone_number", "PhoneNumber", "country_code", "CountryCode"],
                upper_camel,
            ),
            &BTreeSet::new(),
            Style::UpperCamel,
        );
        assert_eq!(
            backward,
            [
                "PhoneNumberSnake",
                "PhoneNumber",
                "CountryCodeSnake",
                "CountryCode"
            ]
        );
    }

    #[test]
    fn values_differing_only_by_case_stay_distinct() {
        let names = disambiguate(
            &pairs(&["telnyx", "Telnyx", "minimax", "Minimax"], upper_camel),
            &BTreeSet::new(),
            Style::UpperCamel,
        );
        assert_eq!(names, ["TelnyxLower", "Telnyx", "MinimaxLower", "Minimax"]);
    }

    #[test]
    fn same_spelling_class_falls_back_to_a_stable_hash() {
        let names = disambiguate(
            &pairs(&["a_b", "A_B", "ab"], upper_camel),
            &BTreeSet::new(),
            Style::UpperCamel,
        );
        assert_eq!(names[2], "Ab");
        assert_ne!(names[0], names[1]);
        assert!(
            names[0].starts_with("ABSnake") && names[1].starts_with("ABSnake"),
            "{names:?}"
        );
        // Adding an unrelated name changes nothing.
        let more = disambiguate(
            &pairs(&["a_b", "A_B", "ab", "zz"], upper_camel),
            &BTreeSet::new(),
            Style::UpperCamel,
        );
        assert_eq!(&more[..3], &names[..]);
    }

    #[test]
    fn colliding_locations_keep_their_names_by_depth_and_hash_the_rest() {
        let items = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, n)| (k.to_string(), n.to_string()))
                .collect()
        };
        let a = "#/components/schemas/A/properties/b_c";
        let b = "#/components/schemas/AB/properties/c";
        let deep = "#/components/schemas/A/properties/b/properties/c";
        let names = settle_locations(
            &items(&[(deep, "ABC"), (a, "ABC"), (b, "ABC"), ("#/x", "Lone")]),
            &BTreeSet::new(),
        );
        assert_eq!(
            names[1], "ABC",
            "the shallowest, then the first pointer, keeps it"
        );
        assert_eq!(names[3], "Lone");
        assert!(
            names[0].starts_with("ABC") && names[0].len() == 7,
            "{names:?}"
        );
        assert!(
            names[2].starts_with("ABC") && names[2] != names[0],
            "{names:?}"
        );
        // The same locations in another order, with another unrelated location: the same names.
        let again = settle_locations(
            &items(&[(b, "ABC"), ("#/y", "Other"), (a, "ABC"), (deep, "ABC")]),
            &BTreeSet::new(),
        );
        assert_eq!(
            (&again[2], &again[0], &again[3]),
            (&names[1], &names[2], &names[0])
        );
        // A component holds the name: no location keeps it.
        let taken: BTreeSet<String> = ["ABC".to_string()].into();
        let names = settle_locations(&items(&[(a, "ABC")]), &taken);
        assert_ne!(names[0], "ABC");
        assert!(names[0].starts_with("ABC"));
    }

    #[test]
    fn operation_variants_take_their_service_only_where_methods_meet() {
        let calls = ["calls".to_string(), "actions".to_string()];
        let conferences = ["conferences".to_string(), "actions".to_string()];
        let names = operation_variants(&[
            (&calls, "speak"),
            (&conferences, "speak"),
            (&calls, "hangup"),
        ]);
        assert_eq!(
            names,
            ["CallsActionsSpeak", "ConferencesActionsSpeak", "Hangup"]
        );
    }

    #[test]
    fn taken_names_are_never_handed_out() {
        let taken: BTreeSet<String> = ["Unknown".to_string()].into();
        let names = disambiguate(
            &pairs(&["unknown", "known"], upper_camel),
            &taken,
            Style::UpperCamel,
        );
        assert_eq!(names, ["UnknownLower", "Known"]);
        let fields = disambiguate(
            &pairs(&["fooBar", "foo_bar"], snake),
            &BTreeSet::new(),
            Style::Snake,
        );
        assert_eq!(fields, ["foo_bar_camel", "foo_bar"]);
    }
}
