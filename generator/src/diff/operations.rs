//! Operations of two models, matched by their call path from the client (`calls().actions().speak()`),
//! which is what users write; an operation whose call path changed but whose HTTP method and path did
//! not is reported as renamed. For operations in both: HTTP method and path, path parameters, the
//! `params` argument, request bodies (and the extra methods for other media types) and responses.

use super::report::{Collector, Kind, Section, Severity, Subject};
use crate::model::operations::{params_optional, Body, Operation, Param, ParamPlace, PartDoc};
use crate::model::types::TypeSpace;
use crate::surface::{body_argument, call_path, returns, RustType};
use std::collections::BTreeMap;

/// One model's operations and the types they refer to.
#[derive(Clone, Copy)]
pub struct Ops<'a> {
    pub space: &'a TypeSpace,
    pub list: &'a [Operation],
}

impl<'a> Ops<'a> {
    fn by_call_path(&self) -> BTreeMap<String, &'a Operation> {
        self.list.iter().map(|op| (call_path(op), op)).collect()
    }
}

pub fn compare(old: Ops<'_>, new: Ops<'_>, out: &mut Collector) {
    let before = old.by_call_path();
    let after = new.by_call_path();
    let mut gone: BTreeMap<(String, String), (&String, &Operation)> = BTreeMap::new();
    for (key, was) in &before {
        match after.get(key) {
            Some(now) => pair(
                old,
                new,
                was,
                now,
                &mut out.subject(Section::Operations, key),
            ),
            None => {
                gone.insert((was.method.clone(), was.path.clone()), (key, was));
            }
        }
    }
    for (key, now) in &after {
        if before.contains_key(key) {
            continue;
        }
        let mut subject = out.subject(Section::Operations, key);
        match gone.remove(&(now.method.clone(), now.path.clone())) {
            Some((old_key, was)) => {
                subject.change(
                    None,
                    Kind::Renamed,
                    Severity::Breaking,
                    format!("`{old_key}` → `{key}`"),
                    "same HTTP operation under another method name: calls must be renamed",
                );
                pair(old, new, was, now, &mut subject);
            }
            None => subject.change(
                None,
                Kind::Added,
                Severity::Compatible,
                format!("{} {}", now.method, now.path),
                "a new method",
            ),
        }
    }
    for (key, was) in gone.values() {
        out.subject(Section::Operations, key).change(
            None,
            Kind::Removed,
            Severity::Breaking,
            format!("{} {}", was.method, was.path),
            "calls to the method stop compiling",
        );
    }
}

/// Compares one operation in both models.
fn pair(old: Ops<'_>, new: Ops<'_>, was: &Operation, now: &Operation, out: &mut Subject<'_>) {
    let before = out.recorded();
    if (&was.method, &was.path) != (&now.method, &now.path) {
        out.change(
            None,
            Kind::Http,
            Severity::Compatible,
            format!("{} {} → {} {}", was.method, was.path, now.method, now.path),
            "same Rust method and arguments; requests go to the new place",
        );
    }
    path_params(&was.path_params, &now.path_params, out);
    params(old.space, new.space, was, now, out);
    bodies(old.space, new.space, was, now, out);
    let (r_was, r_now) = (
        returns(old.space, was).to_string(),
        returns(new.space, now).to_string(),
    );
    if r_was != r_now {
        out.change(
            None,
            Kind::Response,
            Severity::Breaking,
            format!("`{r_was}` → `{r_now}`"),
            "code that uses the response must change",
        );
    }
    if was.response.status != now.response.status {
        out.change(
            None,
            Kind::Status,
            Severity::Compatible,
            format!("{} → {}", was.response.status, now.response.status),
            "both are success; the response type decides what is parsed",
        );
    }
    out.deprecation(None, was.deprecated, now.deprecated);
    let docs_changed = was.summary != now.summary
        || was.description != now.description
        || was.webhooks != now.webhooks
        || was.response.errors != now.response.errors
        || param_docs(&was.path_params) != param_docs(&now.path_params)
        || part_docs(was) != part_docs(now);
    if docs_changed && out.recorded() == before {
        out.docs_only(None);
    }
}

fn param_docs(params: &[Param]) -> Vec<(&str, Option<&str>)> {
    params
        .iter()
        .map(|p| (p.json_name.as_str(), p.doc.as_deref()))
        .collect()
}

/// The documented parts of multipart bodies (they appear in the method's docs only).
fn part_docs(op: &Operation) -> Vec<&PartDoc> {
    op.body
        .iter()
        .chain(&op.alternatives)
        .flat_map(|b| &b.parts)
        .collect()
}

/// Path parameters are `&str` arguments in order: only their number matters to callers.
fn path_params(was: &[Param], now: &[Param], out: &mut Subject<'_>) {
    if was.len() == now.len() {
        for (a, b) in was.iter().zip(now) {
            if a.json_name != b.json_name {
                out.change(
                    Some(&b.json_name),
                    Kind::ParamRenamed,
                    Severity::Compatible,
                    format!("`{}` → `{}`", a.json_name, b.json_name),
                    "a positional `&str` argument either way",
                );
            }
        }
        return;
    }
    let names = |ps: &[Param]| -> Vec<String> { ps.iter().map(|p| p.json_name.clone()).collect() };
    let (names_was, names_now) = (names(was), names(now));
    for p in was.iter().filter(|p| !names_now.contains(&p.json_name)) {
        out.change(
            Some(&p.json_name),
            Kind::ParamRemoved,
            Severity::Breaking,
            "path",
            "the method takes one argument less",
        );
    }
    for p in now.iter().filter(|p| !names_was.contains(&p.json_name)) {
        out.change(
            Some(&p.json_name),
            Kind::ParamAdded,
            Severity::Breaking,
            "path",
            "the method takes one argument more",
        );
    }
}

/// Query and header parameters are one `params` argument of a generated struct; its fields are
/// compared with the types. Here: the argument itself, and where each parameter is sent.
fn params(
    old: &TypeSpace,
    new: &TypeSpace,
    was: &Operation,
    now: &Operation,
    out: &mut Subject<'_>,
) {
    match (&was.params, &now.params) {
        (None, None) => {}
        (Some(a), None) => out.change(
            Some("params"),
            Kind::ParamRemoved,
            Severity::Breaking,
            format!("`{}`", RustType::of(old, &a.ty)),
            if params_optional(old, a) {
                "the method's `_with(params)` form is gone"
            } else {
                "the method no longer takes a `params` argument"
            },
        ),
        (None, Some(b)) if params_optional(new, b) => out.change(
            Some("params"),
            Kind::ParamAdded,
            Severity::Compatible,
            format!("`{}`", RustType::of(new, &b.ty)),
            "all optional: the method is called as before, and its `_with(params)` form is new",
        ),
        (None, Some(b)) => out.change(
            Some("params"),
            Kind::ParamAdded,
            Severity::Breaking,
            format!("`{}`", RustType::of(new, &b.ty)),
            "the method takes a `params` argument now",
        ),
        (Some(a), Some(b)) if params_optional(old, a) != params_optional(new, b) => out.change(
            Some("params"),
            Kind::ParamType,
            Severity::Breaking,
            format!(
                "`{}` → `{}`",
                RustType::of(old, &a.ty),
                RustType::of(new, &b.ty)
            ),
            if params_optional(new, b) {
                "its parameters are all optional now: `name(params)` becomes `name_with(params)`"
            } else {
                "a parameter is required now: `name_with(params)` becomes `name(params)`"
            },
        ),
        (Some(a), Some(b)) => {
            let (t_was, t_now) = (
                RustType::of(old, &a.ty).to_string(),
                RustType::of(new, &b.ty).to_string(),
            );
            if t_was != t_now {
                out.change(
                    Some("params"),
                    Kind::ParamType,
                    Severity::Breaking,
                    format!("`{t_was}` → `{t_now}`"),
                    "callers must build another parameters type",
                );
            }
            let places: BTreeMap<&str, _> = a.places.iter().map(|(w, p)| (w.as_str(), p)).collect();
            for (wire, place) in &b.places {
                match places.get(wire.as_str()) {
                    Some(p) if *p != place => out.change(
                        Some(wire),
                        Kind::ParamStyle,
                        Severity::Compatible,
                        format!("{} → {}", describe_place(p), describe_place(place)),
                        "same field; sent the way the spec says now",
                    ),
                    _ => {}
                }
            }
        }
    }
}

fn describe_place(place: &ParamPlace) -> &'static str {
    match place {
        ParamPlace::Query { explode: true } => "query (exploded)",
        ParamPlace::Query { explode: false } => "query",
        ParamPlace::DeepObject => "query (deepObject)",
        ParamPlace::Header => "header",
    }
}

/// The preferred body is the main method's last argument; every other media type is an extra method
/// (`<name>_<media>`), compared as such.
fn bodies(
    old: &TypeSpace,
    new: &TypeSpace,
    was: &Operation,
    now: &Operation,
    out: &mut Subject<'_>,
) {
    match (&was.body, &now.body) {
        (None, None) => {}
        (Some(a), None) => out.change(
            None,
            Kind::RequestBody,
            Severity::Breaking,
            format!("`{}` → none", body_argument(old, a).1),
            "the method no longer takes a body",
        ),
        (None, Some(b)) => out.change(
            None,
            Kind::RequestBody,
            Severity::Breaking,
            format!("none → `{}`", body_argument(new, b).1),
            "the method takes a body argument now",
        ),
        (Some(a), Some(b)) => body_pair(old, new, a, b, None, out),
    }
    let by_suffix = |bs: &[Body]| -> BTreeMap<&'static str, Body> {
        bs.iter()
            .map(|b| (b.class.method_suffix(), b.clone()))
            .collect()
    };
    let (alt_was, alt_now) = (by_suffix(&was.alternatives), by_suffix(&now.alternatives));
    for (suffix, a) in &alt_was {
        let member = format!("{}()", crate::naming::media_method(&now.name, suffix));
        match alt_now.get(suffix) {
            None => out.change(
                Some(&member),
                Kind::RequestBody,
                Severity::Breaking,
                format!("{} removed", a.media_type),
                "the extra method for this media type is gone",
            ),
            Some(b) => body_pair(old, new, a, b, Some(&member), out),
        }
    }
    for (suffix, b) in &alt_now {
        if !alt_was.contains_key(suffix) {
            let member = format!("{}()", crate::naming::media_method(&now.name, suffix));
            out.change(
                Some(&member),
                Kind::RequestBody,
                Severity::Compatible,
                format!("{} added", b.media_type),
                "an extra method for another media type",
            );
        }
    }
}

fn body_pair(
    old: &TypeSpace,
    new: &TypeSpace,
    a: &Body,
    b: &Body,
    member: Option<&str>,
    out: &mut Subject<'_>,
) {
    let (t_was, t_now) = (
        body_argument(old, a).1.to_string(),
        body_argument(new, b).1.to_string(),
    );
    if t_was != t_now {
        out.change(
            member,
            Kind::RequestBody,
            Severity::Breaking,
            format!("`{t_was}` → `{t_now}`"),
            "callers must pass another body type",
        );
    } else if a.media_type != b.media_type {
        out.change(
            member,
            Kind::RequestBody,
            Severity::Compatible,
            format!("{} → {}", a.media_type, b.media_type),
            "same Rust type; sent with the new media type",
        );
    }
}
