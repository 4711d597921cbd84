//! A request body as the simulator reads it: by [`Field`], only the fields its behaviour declares
//! ([`Behaviour::reads`]), which the generator checked against the spec's request schema. A read of
//! a field the behaviour does not declare is a bug of the simulator, caught by its tests.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;
use telnyx_call_control_contract::{Behaviour, Field};

/// The value at `field`'s path in `json` (a conventional field, read wherever a command has it).
pub(crate) fn read(json: &Value, field: Field) -> Option<&Value> {
    let mut at = json;
    for key in field.path() {
        at = at.get(*key)?;
    }
    Some(at)
}

/// A command's JSON body, read for its behaviour.
#[derive(Clone, Copy)]
pub(crate) struct Body<'a> {
    json: &'a Value,
    behaviour: Behaviour,
}

impl<'a> Body<'a> {
    pub fn new(json: &'a Value, behaviour: Behaviour) -> Self {
        Body { json, behaviour }
    }

    /// The value at `field`'s path.
    fn get(&self, field: Field) -> Option<&'a Value> {
        debug_assert!(
            self.behaviour.reads_field(field),
            "the simulator reads `{}` for {:?}, which does not declare it in the contract",
            field.dotted(),
            self.behaviour
        );
        read(self.json, field)
    }

    pub fn text(&self, field: Field) -> Option<&'a str> {
        self.get(field)?.as_str()
    }

    /// A boolean (`false` when absent).
    pub fn flag(&self, field: Field) -> bool {
        self.get(field).and_then(Value::as_bool).unwrap_or(false)
    }

    pub fn count(&self, field: Field) -> Option<u64> {
        self.get(field)?.as_u64()
    }

    /// A count of milliseconds.
    pub fn millis(&self, field: Field) -> Option<Duration> {
        self.count(field).map(Duration::from_millis)
    }

    /// A count of seconds.
    pub fn seconds(&self, field: Field) -> Option<Duration> {
        self.count(field).map(Duration::from_secs)
    }

    /// The strings of an array, or the one string.
    pub fn texts(&self, field: Field) -> Vec<&'a str> {
        match self.get(field) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(s)) => vec![s.as_str()],
            _ => Vec::new(),
        }
    }

    /// An integer, or a string (`loop`).
    pub fn count_or_text(&self, field: Field) -> Option<&'a Value> {
        self.get(field)
    }

    /// `webhook_retries_policies`: the delays between redeliveries, by event type.
    pub fn retries(&self) -> BTreeMap<String, Vec<Duration>> {
        let Some(Value::Object(policies)) = self.get(Field::WebhookRetriesPolicies) else {
            return BTreeMap::new();
        };
        let key = Field::RetriesMs.path().last().copied().unwrap_or_default();
        debug_assert!(self.behaviour.reads_field(Field::RetriesMs));
        policies
            .iter()
            .map(|(event_type, policy)| {
                let delays = policy
                    .get(key)
                    .and_then(Value::as_array)
                    .map(|ms| {
                        ms.iter()
                            .filter_map(Value::as_u64)
                            .map(Duration::from_millis)
                            .collect()
                    })
                    .unwrap_or_default();
                (event_type.clone(), delays)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_read_by_their_paths() {
        let json = json!({
            "to": ["+1", "+2"],
            "timeout_secs": 12,
            "answering_machine_detection_config": {"total_analysis_time_millis": 2500},
            "webhook_retries_policies": {"call.hangup": {"retries_ms": [1000, 2500]}},
        });
        let body = Body::new(&json, Behaviour::Dial);
        assert_eq!(body.texts(Field::To), ["+1", "+2"]);
        assert_eq!(
            body.seconds(Field::TimeoutSecs),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            body.millis(Field::TotalAnalysisTimeMillis),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(
            body.retries()["call.hangup"],
            [Duration::from_secs(1), Duration::from_millis(2500)]
        );
        assert_eq!(body.text(Field::From), None);
    }

    #[test]
    #[should_panic(expected = "does not declare it")]
    #[cfg(debug_assertions)]
    fn a_field_the_behaviour_does_not_declare_is_a_bug() {
        let json = json!({"payload": "hi"});
        let _ = Body::new(&json, Behaviour::Hangup).text(Field::Payload);
    }
}
