//! Where each operation goes in the client, and its name: decided from the operation's place (its
//! path and method), never from its operationId, which the vendor renames (2026-06-10 renamed 78).
//!
//! - The service is the path's first literal segment (`/queues/...` → `queues()`); call and
//!   conference actions (`.../actions/<name>`) go to a nested `actions()` and are named `<name>`.
//! - Any other method is a verb for what the path is, then the literal segments after the service's
//!   (a segment that a parameter follows is one of a collection, so it is singular):
//!   an item (`/queues/{queue_name}/calls/{call_control_id}`) is `retrieve`, `update` (`replace` for
//!   a `PUT` beside a `PATCH`) or `delete` → `retrieve_call`; a collection (a path that items extend,
//!   `/conferences`) is `list` or `create` → `list`; a path without items is `retrieve` for a `GET`
//!   and, for a `POST`, its own name (an action: `/ai/assistants/{id}/chat` → `assistant_chat`).
//! - `spec/overrides.toml` names any operation by hand (`"POST /calls" = "dial"`).
//! - Operations of a service that the rules would name alike are told apart by their operationIds,
//!   with a diagnostic: an override settles them for good.
//!
//! Every decision reads the spec's paths, never the scope, so a crate of any scope names an
//! operation alike.

use super::overrides::Overrides;
use crate::naming::{disambiguate, join_snake, singular, snake, upper_camel, Style};
use crate::spec::normalize::METHODS;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Where one operation goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The service words from the client (`["calls", "actions"]`).
    pub service: Vec<String>,
    /// The method's name (a word, made an identifier by [`crate::naming::ident`]).
    pub method: String,
    /// The name of the types written for this operation (`CallSpeak` → `CallSpeakResponse`,
    /// `ConferenceListParams`): the service's singular and the method.
    pub owner: String,
}

/// What the rules want for one operation, before names that meet are settled.
struct Wanted {
    /// `(METHOD, path)`.
    key: (String, String),
    service: Vec<String>,
    name: String,
    operation_id: String,
}

/// Operations of one service that the rules name alike: `(method, path)` of each, and the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub name: String,
    pub operations: Vec<(String, String)>,
}

/// The placement of every operation of a spec.
#[derive(Debug, Clone, Default)]
pub struct Placements {
    /// `(METHOD, path)` → placement.
    by_operation: BTreeMap<(String, String), Placement>,
    pub collisions: Vec<Collision>,
}

impl Placements {
    /// Places every operation of `doc` (its `paths`), `overrides` first.
    pub fn of(doc: &Value, overrides: &Overrides) -> Self {
        let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
            return Placements::default();
        };
        let collections = collections(paths.keys().map(String::as_str));
        let mut wanted: Vec<Wanted> = Vec::new();
        for (path, item) in paths {
            let methods: BTreeSet<&str> = METHODS
                .into_iter()
                .filter(|m| item.get(m).is_some())
                .collect();
            for method in &methods {
                let (service, name) = match overrides.method(method, path) {
                    Some(name) => (service_of(path), name),
                    None => place(path, method, &methods, collections.contains(&shape(path))),
                };
                let id = item
                    .get(method)
                    .and_then(|op| op.get("operationId"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{method} {path}"));
                wanted.push(Wanted {
                    key: (method.to_ascii_uppercase(), path.clone()),
                    service,
                    name,
                    operation_id: id,
                });
            }
        }
        let mut placements = Placements::default();
        let mut by_service: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for (i, w) in wanted.iter().enumerate() {
            by_service.entry(w.service.clone()).or_default().push(i);
        }
        for members in by_service.values() {
            let mut names: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for &i in members {
                names.entry(wanted[i].name.as_str()).or_default().push(i);
            }
            let mut settled: BTreeMap<usize, String> = BTreeMap::new();
            for (name, alike) in names.into_iter().filter(|(_, a)| a.len() > 1) {
                placements.collisions.push(Collision {
                    name: name.to_owned(),
                    operations: alike.iter().map(|&i| wanted[i].key.clone()).collect(),
                });
                // The operationIds tell them apart: `<name>_<operation id>`, settled as every name.
                let items: Vec<(String, String)> = alike
                    .iter()
                    .map(|&i| {
                        let id = &wanted[i].operation_id;
                        (id.clone(), format!("{name}_{}", snake(id)))
                    })
                    .collect();
                let unique = disambiguate(&items, &BTreeSet::new(), Style::Snake);
                for (&i, name) in alike.iter().zip(unique) {
                    settled.insert(i, name);
                }
            }
            for &i in members {
                let w = &wanted[i];
                let method = settled.get(&i).cloned().unwrap_or_else(|| w.name.clone());
                let owner = owner_name(&w.service, &method);
                placements.by_operation.insert(
                    w.key.clone(),
                    Placement {
                        service: w.service.clone(),
                        method,
                        owner,
                    },
                );
            }
        }
        placements
    }

    /// The placement of `method path`, if the spec has that operation.
    pub fn get(&self, method: &str, path: &str) -> Option<&Placement> {
        self.by_operation
            .get(&(method.to_ascii_uppercase(), path.to_owned()))
    }

    /// The placement of `method path`, placed alone when the spec's paths did not show it (an
    /// operation of a path item that is a `$ref`).
    pub fn of_operation(&self, method: &str, path: &str) -> Placement {
        self.get(method, path).cloned().unwrap_or_else(|| {
            let (service, method) = place(path, method, &BTreeSet::from([method]), false);
            let owner = owner_name(&service, &method);
            Placement {
                service,
                method,
                owner,
            }
        })
    }
}

/// `Call` + `Speak`: the singular of the service's first word, then the method.
fn owner_name(service: &[String], method: &str) -> String {
    let root = service.first().map(String::as_str).unwrap_or("root");
    format!("{}{}", upper_camel(&singular(root)), upper_camel(method))
}

/// Whether a word reads as a plural (`notes`, `phone_numbers`): it has a singular of its own.
fn is_plural(word: &str) -> bool {
    singular(word) != word
}

/// Whether a segment is a version (`v2`), which says nothing of what an operation is about.
fn is_version(segment: &str) -> bool {
    segment.len() > 1
        && segment.starts_with('v')
        && segment[1..].chars().all(|c| c.is_ascii_digit())
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{')
}

/// The path's segments, without versions.
fn segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty() && !is_version(s))
        .collect()
}

/// The service of a path: its first literal segment, then `actions` for an action.
fn service_of(path: &str) -> Vec<String> {
    let segments = segments(path);
    let first = segments
        .iter()
        .find(|s| !is_param(s))
        .map_or_else(|| "root".to_owned(), |s| snake(s));
    match segments.as_slice() {
        [.., "actions", last] if !is_param(last) => vec![first, "actions".into()],
        _ => vec![first],
    }
}

/// A path's segments with every parameter written `{}`, so paths compare whatever their parameters'
/// names (`/conferences/{conference_id}/participants` and `/conferences/{id}/participants/{..}`).
fn shape(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if is_param(s) {
                "{}".to_owned()
            } else {
                s.to_owned()
            }
        })
        .collect()
}

/// The paths that items extend (`/conferences` has `/conferences/{id}`): the collections, by shape.
fn collections<'p>(paths: impl Iterator<Item = &'p str>) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for path in paths {
        let shape = shape(path);
        for (i, segment) in shape.iter().enumerate().skip(1) {
            if segment == "{}" {
                out.insert(shape[..i].to_vec());
            }
        }
    }
    out
}

/// The service and method name of one operation by the rules of the module.
fn place(
    path: &str,
    method: &str,
    methods_here: &BTreeSet<&str>,
    collection: bool,
) -> (Vec<String>, String) {
    let service = service_of(path);
    let segments = segments(path);
    if let [.., "actions", last] = segments.as_slice() {
        if !is_param(last) {
            return (service, snake(last));
        }
    }
    let start = segments
        .iter()
        .position(|s| !is_param(s))
        .map_or(segments.len(), |i| i + 1);
    let rest = &segments[start..];
    let words: Vec<String> = rest
        .iter()
        .enumerate()
        .filter(|(_, s)| !is_param(s))
        .map(|(i, s)| {
            let followed_by_param = rest.get(i + 1).is_some_and(|next| is_param(next));
            if followed_by_param {
                singular(&snake(s))
            } else {
                snake(s)
            }
        })
        .collect();
    let item = segments.last().is_some_and(|s| is_param(s));
    let update = |m: &str| match m {
        "put" if methods_here.contains("patch") => "replace",
        _ => "update",
    };
    let verb = match (method, item, collection) {
        ("get", true, _) => "retrieve",
        ("get", false, true) => "list",
        // Without items, a plural is still a list (`/things/{id}/notes`), anything else one thing.
        ("get", false, false) if words.last().is_some_and(|w| is_plural(w)) => "list",
        ("get", false, false) => "retrieve",
        ("post", true, _) if methods_here.contains("put") || methods_here.contains("patch") => {
            "create"
        }
        ("post", true, _) => "update",
        ("post", false, true) => "create",
        // A `POST` to a path without items is an action, named by the path alone.
        ("post", false, false) if !words.is_empty() => "",
        ("post", false, false) => "create",
        ("put" | "patch", _, _) => update(method),
        ("delete", _, _) => "delete",
        (other, _, _) => other,
    };
    let name = join_snake(std::iter::once(verb).chain(words.iter().map(String::as_str)));
    (service, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn placed(doc: &Value, overrides: &Overrides, method: &str, path: &str) -> (String, String) {
        let p = Placements::of(doc, overrides);
        let placement = p.get(method, path).expect("placed").clone();
        (
            format!("{}().{}", placement.service.join("()."), placement.method),
            placement.owner,
        )
    }

    fn spec(paths: &[(&str, &[&str])]) -> Value {
        let mut map = serde_json::Map::new();
        for (path, methods) in paths {
            let mut item = serde_json::Map::new();
            for m in *methods {
                item.insert((*m).into(), json!({"operationId": format!("{m}{path}")}));
            }
            map.insert((*path).into(), Value::Object(item));
        }
        json!({ "paths": map })
    }

    #[test]
    fn collections_items_and_actions_have_the_usual_verbs() {
        let doc = spec(&[
            ("/conferences", &["get", "post"]),
            ("/conferences/{id}", &["get"]),
            ("/conferences/{conference_id}/participants", &["get"]),
            (
                "/conferences/{id}/participants/{participant_id}",
                &["get", "patch"],
            ),
            ("/conferences/{id}/actions/join", &["post"]),
            ("/queues/{queue_name}", &["get", "post", "delete"]),
            ("/queues/{queue_name}/calls/{call_control_id}", &["delete"]),
            ("/balance", &["get"]),
            ("/ai/assistants/{assistant_id}/chat", &["post"]),
            (
                "/v2/ai/assistants/{assistant_id}/versions/{version_id}",
                &["get"],
            ),
            ("/email_templates/{id}", &["put", "patch"]),
            ("/10dlc/brand/{brandId}/2faEmail", &["post"]),
        ]);
        let o = Overrides::default();
        let cases = [
            (
                "get",
                "/conferences",
                "conferences().list",
                "ConferenceList",
            ),
            (
                "post",
                "/conferences",
                "conferences().create",
                "ConferenceCreate",
            ),
            (
                "get",
                "/conferences/{id}",
                "conferences().retrieve",
                "ConferenceRetrieve",
            ),
            (
                "get",
                "/conferences/{conference_id}/participants",
                "conferences().list_participants",
                "ConferenceListParticipants",
            ),
            (
                "patch",
                "/conferences/{id}/participants/{participant_id}",
                "conferences().update_participant",
                "ConferenceUpdateParticipant",
            ),
            (
                "post",
                "/conferences/{id}/actions/join",
                "conferences().actions().join",
                "ConferenceJoin",
            ),
            (
                "post",
                "/queues/{queue_name}",
                "queues().update",
                "QueueUpdate",
            ),
            (
                "delete",
                "/queues/{queue_name}/calls/{call_control_id}",
                "queues().delete_call",
                "QueueDeleteCall",
            ),
            ("get", "/balance", "balance().retrieve", "BalanceRetrieve"),
            (
                "post",
                "/ai/assistants/{assistant_id}/chat",
                "ai().assistant_chat",
                "AiAssistantChat",
            ),
            (
                "get",
                "/v2/ai/assistants/{assistant_id}/versions/{version_id}",
                "ai().retrieve_assistant_version",
                "AiRetrieveAssistantVersion",
            ),
            (
                "put",
                "/email_templates/{id}",
                "email_templates().replace",
                "EmailTemplateReplace",
            ),
            (
                "patch",
                "/email_templates/{id}",
                "email_templates().update",
                "EmailTemplateUpdate",
            ),
            // A word that starts with a digit joins the others with one `_`.
            (
                "post",
                "/10dlc/brand/{brandId}/2faEmail",
                "_10dlc().brand_2fa_email",
                "_10dlcBrand2faEmail",
            ),
        ];
        for (method, path, call, owner) in cases {
            assert_eq!(
                placed(&doc, &o, method, path),
                (call.to_owned(), owner.to_owned()),
                "{method} {path}"
            );
        }
    }

    #[test]
    fn overrides_win_and_name_the_types_too() {
        let doc = spec(&[
            ("/calls", &["post"]),
            ("/calls/{call_control_id}", &["get"]),
        ]);
        let o = Overrides::from_toml(
            "[methods]\n\"POST /calls\" = \"dial\"\n\"GET /calls/{call_control_id}\" = \"retrieve_status\"\n",
        )
        .unwrap();
        assert_eq!(
            placed(&doc, &o, "post", "/calls"),
            ("calls().dial".into(), "CallDial".into())
        );
        assert_eq!(
            placed(&doc, &o, "get", "/calls/{call_control_id}"),
            (
                "calls().retrieve_status".into(),
                "CallRetrieveStatus".into()
            )
        );
    }

    #[test]
    fn operation_ids_only_separate_what_the_place_names_alike() {
        let doc = spec(&[
            ("/phone_numbers/voice", &["get"]),
            ("/phone_numbers/{id}/voice", &["get"]),
        ]);
        let p = Placements::of(&doc, &Overrides::default());
        assert_eq!(p.collisions.len(), 1);
        assert_eq!(p.collisions[0].name, "retrieve_voice");
        let names: BTreeSet<&str> = ["/phone_numbers/voice", "/phone_numbers/{id}/voice"]
            .iter()
            .map(|path| p.get("get", path).unwrap().method.as_str())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names.iter().all(|n| n.starts_with("retrieve_voice_")),
            "{names:?}"
        );
    }

    #[test]
    fn a_renamed_operation_id_renames_nothing() {
        let before = spec(&[
            ("/ai/missions", &["get"]),
            ("/ai/missions/{mission_id}", &["get"]),
        ]);
        let mut after = before.clone();
        after["paths"]["/ai/missions"]["get"]["operationId"] = json!("list_missions");
        let o = Overrides::default();
        for path in ["/ai/missions", "/ai/missions/{mission_id}"] {
            assert_eq!(
                placed(&before, &o, "get", path),
                placed(&after, &o, "get", path)
            );
        }
    }
}
