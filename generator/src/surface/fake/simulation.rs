//! What the fake's call simulator does for each operation (feature `testing`, `FakeBuilder::simulate`):
//! the [`Behaviour`] the test kit's simulator runs, chosen by the operation's method and path, and the
//! sentence that documents it on the `Operation` variant, which the behaviour writes from the timings
//! the simulator runs on (both from `telnyx-call-control-contract`, so neither side can drift). An
//! operation the table does not name is sent the events its documentation lists without a condition.

use crate::model::operations::Operation;
pub use telnyx_call_control_contract::Behaviour;

/// `(METHOD, path, behaviour)`.
const TABLE: &[(&str, &str, Behaviour)] = &[
    ("POST", "/calls", Behaviour::Dial),
    ("GET", "/calls/{call_control_id}", Behaviour::CallStatus),
    (
        "POST",
        "/calls/{call_control_id}/actions/answer",
        Behaviour::Answer,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/reject",
        Behaviour::Reject,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/hangup",
        Behaviour::Hangup,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/speak",
        Behaviour::Speak,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/playback_start",
        Behaviour::Playback,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/playback_stop",
        Behaviour::StopMedia,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/gather",
        Behaviour::Gather,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/gather_using_speak",
        Behaviour::GatherSpeak,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/gather_using_audio",
        Behaviour::GatherAudio,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/gather_stop",
        Behaviour::GatherStop,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/record_start",
        Behaviour::RecordStart,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/record_stop",
        Behaviour::RecordStop,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/record_pause",
        Behaviour::RecordPause,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/record_resume",
        Behaviour::RecordResume,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/transfer",
        Behaviour::Transfer,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/bridge",
        Behaviour::Bridge,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/enqueue",
        Behaviour::Enqueue,
    ),
    (
        "POST",
        "/calls/{call_control_id}/actions/leave_queue",
        Behaviour::LeaveQueue,
    ),
    (
        "PUT",
        "/calls/{call_control_id}/actions/client_state_update",
        Behaviour::ClientStateUpdate,
    ),
    ("POST", "/conferences", Behaviour::ConferenceCreate),
    ("GET", "/conferences/{id}", Behaviour::ConferenceRetrieve),
    (
        "GET",
        "/conferences/{conference_id}/participants",
        Behaviour::ConferenceParticipants,
    ),
    (
        "POST",
        "/conferences/{id}/actions/join",
        Behaviour::ConferenceJoin,
    ),
    (
        "POST",
        "/conferences/{id}/actions/leave",
        Behaviour::ConferenceLeave,
    ),
    (
        "POST",
        "/conferences/{id}/actions/mute",
        Behaviour::ConferenceMute,
    ),
    (
        "POST",
        "/conferences/{id}/actions/unmute",
        Behaviour::ConferenceUnmute,
    ),
    (
        "POST",
        "/conferences/{id}/actions/hold",
        Behaviour::ConferenceHold,
    ),
    (
        "POST",
        "/conferences/{id}/actions/unhold",
        Behaviour::ConferenceUnhold,
    ),
    (
        "POST",
        "/conferences/{id}/actions/end",
        Behaviour::ConferenceEnd,
    ),
    (
        "POST",
        "/conferences/{id}/actions/speak",
        Behaviour::ConferenceSpeak,
    ),
    (
        "POST",
        "/conferences/{id}/actions/play",
        Behaviour::ConferencePlay,
    ),
    (
        "POST",
        "/conferences/{id}/actions/stop",
        Behaviour::ConferenceStopMedia,
    ),
    (
        "POST",
        "/conferences/{id}/actions/record_start",
        Behaviour::ConferenceRecordStart,
    ),
    (
        "POST",
        "/conferences/{id}/actions/record_stop",
        Behaviour::ConferenceRecordStop,
    ),
    ("POST", "/queues", Behaviour::QueueCreate),
    ("GET", "/queues/{queue_name}", Behaviour::QueueRetrieve),
    ("GET", "/queues/{queue_name}/calls", Behaviour::QueueCalls),
    (
        "GET",
        "/queues/{queue_name}/calls/{call_control_id}",
        Behaviour::QueueCall,
    ),
    (
        "DELETE",
        "/queues/{queue_name}/calls/{call_control_id}",
        Behaviour::QueueRemoveCall,
    ),
];

/// What the simulator runs for an operation, and what the docs say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    pub behaviour: Behaviour,
    pub doc: String,
}

/// The behaviour the table gives `op` ([`Behaviour::Documented`] when it names none).
pub fn behaviour(op: &Operation) -> Behaviour {
    TABLE
        .iter()
        .find(|(method, path, _)| *method == op.method && *path == op.path)
        .map_or(Behaviour::Documented, |(_, _, behaviour)| *behaviour)
}

pub fn simulation(op: &Operation) -> Simulation {
    let behaviour = behaviour(op);
    let doc = behaviour
        .doc()
        .unwrap_or_else(|| documented(&op.unconditional_webhooks));
    Simulation { behaviour, doc }
}

/// The doc of an operation the simulator does not model.
fn documented(unconditional_webhooks: &[String]) -> String {
    if unconditional_webhooks.is_empty() {
        return "Not modelled by the call simulator: answered, with no events.".into();
    }
    let events: Vec<String> = unconditional_webhooks
        .iter()
        .map(|e| format!("`{e}`"))
        .collect();
    format!(
        "Not modelled by the call simulator: it sends the events the documentation lists without a \
         condition, {}.",
        events.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;

    /// Every row names an operation of the committed crate and only events of the spec, so a spec
    /// update that moves either is seen here rather than in a simulator that never runs.
    #[test]
    fn the_table_names_operations_and_events_of_the_pinned_spec() {
        let text = crate::test_support::pinned_spec_text();
        let scope_file =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/scope.toml");
        let scope = Scope::from_toml(&std::fs::read_to_string(scope_file).unwrap()).unwrap();
        let model = crate::model_of(&text, &[], &scope).unwrap();
        let event_types: Vec<&str> = model
            .webhooks
            .iter()
            .flat_map(|w| match &w.dispatch {
                crate::model::Dispatch::EventType { values, .. } => {
                    values.iter().map(String::as_str).collect()
                }
                crate::model::Dispatch::Shape { .. } => Vec::new(),
            })
            .collect();
        for (method, path, behaviour) in TABLE {
            let doc = behaviour.doc().unwrap_or_default();
            assert!(
                model
                    .operations
                    .iter()
                    .any(|op| op.method == *method && op.path == *path),
                "{method} {path} is not an operation of the crate"
            );
            for quoted in doc.split('`').skip(1).step_by(2) {
                let looks_like_event = quoted.contains('.')
                    && quoted
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
                if looks_like_event {
                    assert!(
                        event_types.contains(&quoted),
                        "{method} {path}: `{quoted}` is not an event type of the spec"
                    );
                }
            }
        }
    }

    /// The table gives every behaviour the simulator carries out to an operation, once: a
    /// behaviour no operation gets is a part of the simulator no test reaches.
    #[test]
    fn every_modelled_behaviour_has_its_operation() {
        for behaviour in Behaviour::ALL.iter().filter(|b| b.is_modelled()) {
            let rows = TABLE.iter().filter(|(_, _, b)| b == behaviour).count();
            assert_eq!(rows, 1, "{behaviour:?}");
        }
    }

    #[test]
    fn an_operation_outside_the_table_is_documented_by_its_events() {
        let doc = documented(&["call.fork.started".into(), "call.fork.stopped".into()]);
        assert!(
            doc.ends_with("`call.fork.started`, `call.fork.stopped`."),
            "{doc}"
        );
        assert!(documented(&[]).contains("no events"));
    }
}
