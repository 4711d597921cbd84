//! What the fake's call simulator does for each operation (feature `testing`, `FakeBuilder::simulate`):
//! the `Behaviour` the hand-written simulator in `templates/src/testing/sim/` runs, chosen by the
//! operation's method and path, and the sentence that documents it on the `Operation` variant. An
//! operation the table does not name is sent the events its documentation lists without a condition.

use crate::model::operations::Operation;

/// `(METHOD, path, Behaviour variant, what the simulator does and sends)`.
const TABLE: &[(&str, &str, &str, &str)] = &[
    ("POST", "/calls", "Dial",
     "A new outgoing call: `call.initiated`, then what the dialled number's far end does \
      (`FakeTelnyx::far_end`; by default it answers at once): `call.answered` (and \
      `call.machine.detection.ended`, `call.machine.premium.detection.ended` or \
      `call.machine.greeting.ended` only when `answering_machine_detection` asks for it), or \
      `call.hangup` (`user_busy`, or `timeout` after `timeout_secs`)."),
    ("GET", "/calls/{call_control_id}", "CallStatus",
     "The call's `is_alive` and `call_duration` from the simulation; no events."),
    ("POST", "/calls/{call_control_id}/actions/answer", "Answer",
     "`call.answered`; with `record: record-from-answer` a recording starts."),
    ("POST", "/calls/{call_control_id}/actions/reject", "Reject",
     "`call.hangup` with `hangup_cause: call_rejected`."),
    ("POST", "/calls/{call_control_id}/actions/hangup", "Hangup",
     "Ends the call: `call.speak.ended`, `call.playback.ended` and `call.gather.ended` (status \
      `call_hangup`) for what was playing or gathering, `conference.participant.left` and \
      `call.dequeued` where it was, `call.hangup`, then `call.recording.saved` (and \
      `call.recording.transcription.saved` when asked for) if it was recording. A call bridged to \
      it is hung up too, unless its bridge said `park_after_unbridge: self`."),
    ("POST", "/calls/{call_control_id}/actions/speak", "Speak",
     "`call.speak.started`, and `call.speak.ended` when the speech ends (0.4 s a word, at least \
      1 s, after what was already playing)."),
    ("POST", "/calls/{call_control_id}/actions/playback_start", "Playback",
     "`call.playback.started`, and `call.playback.ended` after 5 s per `loop` (never for \
      `loop: infinity`)."),
    ("POST", "/calls/{call_control_id}/actions/playback_stop", "StopMedia",
     "`call.playback.ended` or `call.speak.ended` (status `cancelled`) for what is playing."),
    ("POST", "/calls/{call_control_id}/actions/gather", "Gather",
     "Collects what the far end presses (`FarEnd::presses`): `call.dtmf.received` per digit, \
      then `call.gather.ended` (`valid`, `invalid` or `timeout` after `timeout_millis`)."),
    ("POST", "/calls/{call_control_id}/actions/gather_using_speak", "GatherSpeak",
     "Speaks the prompt, then collects what the far end presses: `call.dtmf.received` per digit \
      and `call.gather.ended` (`valid`; `invalid` or `timeout` once `maximum_tries` are used)."),
    ("POST", "/calls/{call_control_id}/actions/gather_using_audio", "GatherAudio",
     "`call.playback.started` and `call.playback.ended` for the prompt, then as `gather`: \
      `call.dtmf.received` per digit and `call.gather.ended`."),
    ("POST", "/calls/{call_control_id}/actions/gather_stop", "GatherStop",
     "`call.gather.ended` with status `cancelled` for the gather in progress."),
    ("POST", "/calls/{call_control_id}/actions/record_start", "RecordStart",
     "Starts recording; nothing is sent until the recording stops or the call ends, then \
      `call.recording.saved` (and `call.recording.transcription.saved` with `transcription: true`)."),
    ("POST", "/calls/{call_control_id}/actions/record_stop", "RecordStop",
     "`call.recording.saved` (and `call.recording.transcription.saved` when the recording asked \
      for a transcription), if a recording was running."),
    ("POST", "/calls/{call_control_id}/actions/record_pause", "RecordPause",
     "Pauses the recording; no events."),
    ("POST", "/calls/{call_control_id}/actions/record_resume", "RecordResume",
     "Resumes the recording; no events."),
    ("POST", "/calls/{call_control_id}/actions/transfer", "Transfer",
     "A new leg with its own call id to `to`: `call.initiated` for it, then as its far end does: \
      `call.answered` for the new leg and `call.bridged` for both legs, or `call.hangup` of the \
      new leg (busy, no answer)."),
    ("POST", "/calls/{call_control_id}/actions/bridge", "Bridge",
     "Joins the call with `call_control_id` (or the first call waiting in `queue`): `call.bridged` \
      for each of the two, and `call.dequeued` (`bridged`) for a call taken from a queue."),
    ("POST", "/calls/{call_control_id}/actions/enqueue", "Enqueue",
     "Puts the call at the end of `queue_name` (created if needed; `90036` when full, `90038` when \
      the call is already in it): `call.enqueued` with its position."),
    ("POST", "/calls/{call_control_id}/actions/leave_queue", "LeaveQueue",
     "`call.dequeued` (`leave`); the calls behind it move up."),
    ("PUT", "/calls/{call_control_id}/actions/client_state_update", "ClientStateUpdate",
     "The call's events carry the new `client_state` from now on; no events."),
    ("POST", "/conferences", "ConferenceCreate",
     "A conference with the call `call_control_id` in it (`90033` when an active one has the \
      name): `conference.created`, `conference.participant.joined`."),
    ("GET", "/conferences/{id}", "ConferenceRetrieve",
     "The conference's `id`, `name` and `status` from the simulation; no events."),
    ("GET", "/conferences/{conference_id}/participants", "ConferenceParticipants",
     "One item per participant in the simulation, with `muted` and `on_hold`; no events."),
    ("POST", "/conferences/{id}/actions/join", "ConferenceJoin",
     "`conference.participant.joined`; `mute`, `hold` and `end_conference_on_exit` are kept."),
    ("POST", "/conferences/{id}/actions/leave", "ConferenceLeave",
     "`conference.participant.left`, and `conference.ended` when no one is left or the participant \
      joined with `end_conference_on_exit`."),
    ("POST", "/conferences/{id}/actions/mute", "ConferenceMute",
     "Mutes the participants in `call_control_ids` (every one without it); no events."),
    ("POST", "/conferences/{id}/actions/unmute", "ConferenceUnmute",
     "Unmutes the participants in `call_control_ids` (every one without it); no events."),
    ("POST", "/conferences/{id}/actions/hold", "ConferenceHold",
     "Holds the participants in `call_control_ids` (every one without it); no events."),
    ("POST", "/conferences/{id}/actions/unhold", "ConferenceUnhold",
     "Takes the participants in `call_control_ids` off hold; no events."),
    ("POST", "/conferences/{id}/actions/end", "ConferenceEnd",
     "`conference.participant.left` for each participant, then `conference.ended`; the calls stay up."),
    ("POST", "/conferences/{id}/actions/speak", "ConferenceSpeak",
     "`conference.speak.started`, and `conference.speak.ended` when the speech ends."),
    ("POST", "/conferences/{id}/actions/play", "ConferencePlay",
     "`conference.playback.started`, and `conference.playback.ended` after 5 s per `loop`."),
    ("POST", "/conferences/{id}/actions/stop", "ConferenceStopMedia",
     "`conference.playback.ended` or `conference.speak.ended` for what is playing."),
    ("POST", "/conferences/{id}/actions/record_start", "ConferenceRecordStart",
     "Starts recording; `conference.recording.saved` when it stops or the conference ends."),
    ("POST", "/conferences/{id}/actions/record_stop", "ConferenceRecordStop",
     "`conference.recording.saved`, if a recording was running."),
    ("POST", "/queues", "QueueCreate", "An empty queue of `max_size`; no events."),
    ("GET", "/queues/{queue_name}", "QueueRetrieve",
     "The queue's `current_size` and `max_size` from the simulation; no events."),
    ("GET", "/queues/{queue_name}/calls", "QueueCalls",
     "One item per waiting call, in order, with its `queue_position`; no events."),
    ("GET", "/queues/{queue_name}/calls/{call_control_id}", "QueueCall",
     "The call's `queue_position` and `wait_time_secs` from the simulation; no events."),
    ("DELETE", "/queues/{queue_name}/calls/{call_control_id}", "QueueRemoveCall",
     "`call.dequeued` (`leave`); the calls behind it move up."),
];

/// What the simulator runs for an operation, and what the docs say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    /// The variant of the fake's `Behaviour` enum (`Speak`).
    pub behaviour: &'static str,
    /// Whether the simulator models it (else it sends the documented events).
    pub modelled: bool,
    pub doc: String,
}

pub fn simulation(op: &Operation) -> Simulation {
    let row = TABLE
        .iter()
        .find(|(method, path, _, _)| *method == op.method && *path == op.path);
    match row {
        Some((_, _, behaviour, doc)) => Simulation {
            behaviour,
            modelled: true,
            doc: (*doc).to_owned(),
        },
        None => Simulation {
            behaviour: "Documented",
            modelled: false,
            doc: documented(&op.unconditional_webhooks),
        },
    }
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
        for (method, path, _, doc) in TABLE {
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
