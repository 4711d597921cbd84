//! Idempotency keys for call-control commands.
//!
//! Telnyx ignores a command whose `command_id` it has already seen for the same call, so a
//! command that is retried after a lost response must carry the id of its first attempt. The
//! id is filled once per logical request, before the first attempt, and every retry resends
//! the same bytes.

use serde_json::Value;

/// Inserts a fresh UUID v4 as `command_id` when `body` is an object whose `command_id` is
/// absent, `null` or an empty string. A caller's own id is never replaced.
pub(crate) fn fill(body: &mut Value) {
    let Some(object) = body.as_object_mut() else {
        return;
    };
    let missing = match object.get("command_id") {
        None | Some(Value::Null) => true,
        Some(Value::String(id)) => id.is_empty(),
        Some(_) => false,
    };
    if missing {
        object.insert(
            "command_id".to_owned(),
            Value::String(uuid::Uuid::new_v4().to_string()),
        );
    }
}

/// The body's `command_id`, when it is a non-empty string (for traces).
pub(crate) fn of(body: &Value) -> Option<String> {
    match body.get("command_id") {
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::fill;
    use serde_json::{json, Value};

    fn filled(mut body: Value) -> Value {
        fill(&mut body);
        body
    }

    fn is_uuid_v4(value: &Value) -> bool {
        value
            .as_str()
            .and_then(|s| uuid::Uuid::parse_str(s).ok())
            .is_some_and(|id| id.get_version_num() == 4)
    }

    #[test]
    fn absent_null_and_empty_ids_are_filled() {
        for body in [
            json!({"payload": "hi"}),
            json!({"payload": "hi", "command_id": null}),
            json!({"payload": "hi", "command_id": ""}),
        ] {
            let body = filled(body);
            assert!(is_uuid_v4(&body["command_id"]), "{body}");
            assert_eq!(body["payload"], "hi");
        }
    }

    #[test]
    fn callers_id_is_kept() {
        let body = filled(json!({"command_id": "mine"}));
        assert_eq!(body, json!({"command_id": "mine"}));
        let body = filled(json!({"command_id": 7}));
        assert_eq!(body, json!({"command_id": 7}));
    }

    #[test]
    fn filling_twice_keeps_the_first_id() {
        let once = filled(json!({}));
        let twice = filled(once.clone());
        assert!(is_uuid_v4(&once["command_id"]));
        assert_eq!(once, twice);
    }

    #[test]
    fn each_request_gets_a_distinct_id() {
        let a = filled(json!({}));
        let b = filled(json!({}));
        assert_ne!(a["command_id"], b["command_id"]);
    }

    #[test]
    fn non_objects_are_untouched() {
        assert_eq!(filled(json!([1, 2])), json!([1, 2]));
        assert_eq!(filled(Value::Null), Value::Null);
    }
}
