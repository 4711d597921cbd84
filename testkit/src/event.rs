//! A webhook delivery before it is signed: the event's JSON, and where it keeps the call's id and
//! client state (so the fake can fill them in events it sends on its own).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// A webhook event to deliver with [`FakeTelnyx::send`](crate::FakeTelnyx::send).
///
/// Start from a builder of a generated crate's `testing::events` (each starts from the spec's example
/// of its event), or from any JSON with [`Event::from_json`] to see how an application takes a body no
/// event of the spec describes.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Event {
    kind: &'static str,
    value: Value,
    places: &'static Places,
    /// The accessor fields the test set itself (`call_control_id`, `id`, ...): the fake fills in
    /// the others.
    explicit: Vec<&'static str>,
    /// The first value that could not be written (reported when the event is sent).
    error: Option<String>,
}

/// Where an event of the spec keeps the fields the fake fills in (one per event, generated).
#[derive(Debug, PartialEq, Eq)]
pub struct Places {
    /// `(accessor, path)`: where `WebhookEvent::call_control_id()` and the other accessors read.
    pub accessors: &'static [(&'static str, &'static [&'static str])],
    /// The payload object (`data.payload`), if the event has one.
    pub payload: Option<&'static [&'static str]>,
    /// The JSON names of the payload's fields.
    pub fields: &'static [&'static str],
}

/// The places of an event the spec does not describe: none.
static NO_PLACES: Places = Places {
    accessors: &[],
    payload: None,
    fields: &[],
};

impl Places {
    fn accessor(&self, name: &str) -> Option<&'static [&'static str]> {
        self.accessors
            .iter()
            .find_map(|(n, path)| (*n == name).then_some(*path))
    }
}

impl Event {
    /// Any JSON body, sent as it is.
    pub fn from_json(value: Value) -> Self {
        Event {
            kind: "json",
            value,
            places: &NO_PLACES,
            explicit: Vec::new(),
            error: None,
        }
    }

    /// An event of the spec from its example (generated builders call this).
    #[doc(hidden)]
    pub fn example(kind: &'static str, example: &str, places: &'static Places) -> Self {
        let (value, error) = match serde_json::from_str(example) {
            Ok(value) => (value, None),
            Err(e) => (Value::Null, Some(format!("the example of `{kind}`: {e}"))),
        };
        Event {
            kind,
            value,
            places,
            explicit: Vec::new(),
            error,
        }
    }

    /// The name of the event in the spec's `webhooks` (`callGatherEnded`), or `json`.
    pub fn kind(&self) -> &str {
        self.kind
    }

    /// The body that will be sent.
    pub fn json(&self) -> &Value {
        &self.value
    }

    /// The body as `E` parses it: `event.parse::<WebhookEvent>()` is what an application's
    /// `Verifier` returns.
    pub fn parse<E: DeserializeOwned>(&self) -> Result<E, serde_json::Error> {
        serde_json::from_value(self.value.clone())
    }

    /// Sets the value at a JSON pointer (`/data/payload/digits`), creating the objects on the way.
    pub fn set_json(mut self, pointer: &str, value: Value) -> Self {
        let path = pointer_keys(pointer);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        self.mark(&path);
        set(&mut self.value, &path, value);
        self
    }

    /// Removes the value at a JSON pointer, if there is one.
    pub fn remove(mut self, pointer: &str) -> Self {
        let path = pointer_keys(pointer);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        self.mark(&path);
        remove(&mut self.value, &path);
        self
    }

    /// Sets a field by its path (generated setters call this).
    #[doc(hidden)]
    pub fn set_path<T: Serialize + ?Sized>(&mut self, path: &[&str], value: &T) {
        self.mark(path);
        match serde_json::to_value(value) {
            Ok(value) => set(&mut self.value, path, value),
            Err(e) => {
                self.error
                    .get_or_insert_with(|| format!("`{}`: {e}", path.join(".")));
            }
        }
    }

    /// Sets the event type at `path` (an event with several event types).
    #[doc(hidden)]
    pub fn with_event_type(mut self, path: &[&str], event_type: &str) -> Self {
        set(&mut self.value, path, Value::String(event_type.to_owned()));
        self
    }

    /// Records a failure to build a value (reported when the event is sent).
    #[doc(hidden)]
    pub fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    pub(crate) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Fills the call's id and client state the way Telnyx does for events a command causes: the
    /// command's call and the call's `client_state` (none when it has none), unless the test set
    /// them on this event itself.
    pub(crate) fn fill_from_command(&mut self, call_control_id: &str, client_state: Option<&str>) {
        self.fill("call_control_id", Some(call_control_id));
        self.fill("client_state", client_state);
    }

    /// What every delivery gets as it happens: a fresh `id` and the simulation's time as
    /// `occurred_at`, unless the test set them on this event itself.
    pub(crate) fn stamp(&mut self, id: &str, occurred_at: &str) {
        self.fill("id", Some(id));
        self.fill("occurred_at", Some(occurred_at));
    }

    /// Sets (or, with `None`, removes) the accessor field `name` unless the test set it.
    fn fill(&mut self, name: &str, value: Option<&str>) {
        let Some(path) = self.places.accessor(name) else {
            return;
        };
        if self.explicit.contains(&name) {
            return;
        }
        match value {
            Some(value) => set(&mut self.value, path, Value::String(value.to_owned())),
            None => remove(&mut self.value, path),
        }
    }

    /// The event's `id`, where the event keeps it.
    pub fn id(&self) -> Option<&str> {
        self.accessor_str("id")
    }

    /// The event's `data.event_type` (`call.answered`), when it has one.
    pub fn event_type(&self) -> Option<&str> {
        self.value.pointer("/data/event_type")?.as_str()
    }

    /// The call the event is about, where the event keeps it.
    pub fn call_control_id(&self) -> Option<&str> {
        self.accessor_str("call_control_id")
    }

    /// The call's client state the event carries, where the event keeps it.
    pub fn client_state(&self) -> Option<&str> {
        self.accessor_str("client_state")
    }

    /// The string at an accessor's place.
    fn accessor_str(&self, name: &str) -> Option<&str> {
        let mut at = &self.value;
        for key in self.places.accessor(name)? {
            at = at.get(*key)?;
        }
        at.as_str()
    }

    /// Sets a field by name where this event keeps it: at an accessor's place (`call_control_id`,
    /// `occurred_at`, `id`, ...), else in the payload when its schema has the field. A field the
    /// event does not have is left out, so every event sent still fits its schema.
    pub(crate) fn put(&mut self, name: &str, value: impl Into<Value>) {
        if let Some(path) = self.places.accessor(name) {
            set(&mut self.value, path, value.into());
        } else if let (Some(payload), true) =
            (self.places.payload, self.places.fields.contains(&name))
        {
            let mut path = payload.to_vec();
            path.push(name);
            set(&mut self.value, &path, value.into());
        }
    }

    /// Removes a field by name (see [`Event::put`]), e.g. a `client_state` the call does not have.
    pub(crate) fn take_out(&mut self, name: &str) {
        if let Some(path) = self.places.accessor(name) {
            remove(&mut self.value, path);
        } else if let Some(payload) = self.places.payload {
            let mut path = payload.to_vec();
            path.push(name);
            remove(&mut self.value, &path);
        }
    }

    /// Notes that the test set the accessor field at `path`, if it is one.
    fn mark(&mut self, path: &[&str]) {
        let named = self
            .places
            .accessors
            .iter()
            .find_map(|(name, at)| (*at == path).then_some(*name));
        if let Some(name) = named.filter(|name| !self.explicit.contains(name)) {
            self.explicit.push(name);
        }
    }
}

/// The keys of a JSON pointer, unescaped (`/a~1b/0` → `["a/b", "0"]`).
fn pointer_keys(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|k| k.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn set(target: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *target = value;
        return;
    };
    let mut at = target;
    for key in parents {
        at = match at {
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(item) => item,
                None => return,
            },
            other => {
                if !other.is_object() {
                    *other = Value::Object(Map::new());
                }
                match other {
                    Value::Object(map) => map.entry(*key).or_insert(Value::Null),
                    _ => return,
                }
            }
        };
    }
    match at {
        Value::Array(items) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = value;
            }
        }
        other => {
            if !other.is_object() {
                *other = Value::Object(Map::new());
            }
            if let Value::Object(map) = other {
                map.insert((*last).to_owned(), value);
            }
        }
    }
}

fn remove(target: &mut Value, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = target;
    for key in parents {
        let next = match at {
            Value::Object(map) => map.get_mut(*key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => return,
        }
    }
    match at {
        Value::Object(map) => {
            map.remove(*last);
        }
        Value::Array(items) => {
            if let Some(i) = last.parse::<usize>().ok().filter(|i| *i < items.len()) {
                items.remove(i);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static PLACES: Places = Places {
        accessors: &[
            ("call_control_id", &["data", "payload", "call_control_id"]),
            ("client_state", &["data", "payload", "client_state"]),
            ("occurred_at", &["data", "occurred_at"]),
        ],
        payload: Some(&["data", "payload"]),
        fields: &["call_control_id", "client_state", "digits"],
    };
    const CALL: &[&str] = &["data", "payload", "call_control_id"];

    fn example() -> Event {
        Event::example(
            "callSpeakEnded",
            r#"{"data":{"payload":{"call_control_id":"spec","client_state":"c3BlYw=="}}}"#,
            &PLACES,
        )
    }

    #[test]
    fn pointers_create_what_is_missing_and_remove_what_is_there() {
        let event = example()
            .set_json("/data/payload/digits", json!("12"))
            .set_json("/meta/a~1b", json!(1))
            .remove("/data/payload/client_state")
            .remove("/nothing/here");
        assert_eq!(
            event.json(),
            &json!({"data": {"payload": {"call_control_id": "spec", "digits": "12"}}, "meta": {"a/b": 1}})
        );
    }

    #[test]
    fn commands_fill_the_call_and_state_unless_the_test_set_them() {
        let mut event = example();
        event.fill_from_command("v3:call", None);
        assert_eq!(
            event.json()["data"]["payload"]["call_control_id"],
            "v3:call"
        );
        assert!(event.json()["data"]["payload"]
            .get("client_state")
            .is_none());

        let mut event = example().set_json("/data/payload/client_state", json!("kept"));
        event.set_path(CALL, "mine");
        event.fill_from_command("v3:call", Some("from-command"));
        assert_eq!(event.json()["data"]["payload"]["call_control_id"], "mine");
        assert_eq!(event.json()["data"]["payload"]["client_state"], "kept");
    }

    #[test]
    fn fields_are_put_where_the_event_keeps_them_and_only_there() {
        let mut event = example();
        event.put("occurred_at", "2030-01-01T00:00:00.000000Z");
        event.put("digits", "42");
        event.put("not_in_the_schema", 1);
        event.take_out("client_state");
        assert_eq!(
            event.json(),
            &json!({"data": {"occurred_at": "2030-01-01T00:00:00.000000Z",
                "payload": {"call_control_id": "spec", "digits": "42"}}})
        );
    }

    #[test]
    fn a_broken_example_is_an_error_not_a_panic() {
        let event = Event::example("x", "{not json", &NO_PLACES);
        assert!(event.error().is_some_and(|e| e.contains("`x`")));
    }
}
