//! What the call simulator does with an operation: one [`Behaviour`] per operation, chosen by the
//! generator; the fields of the request each one reads; what each one sends, as documentation.

use crate::field::Field;
use crate::timing::{self, secs};

/// Declares [`Behaviour`] with the fields each one reads, so a behaviour is one line of this list.
macro_rules! behaviours {
    ($( $(#[doc = $doc:literal])* $variant:ident [$($field:ident),*], )*) => {
        /// What the call simulator does with an operation. The generator chooses one per operation
        /// and writes it into the generated crate's route table as this value; the simulator
        /// carries it out.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Behaviour {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Behaviour {
            /// Every behaviour, in the order of this list.
            pub const ALL: &'static [Behaviour] = &[$(Behaviour::$variant),*];

            /// The variant's name (`GatherSpeak`), as generated code spells it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Behaviour::$variant => stringify!($variant),)*
                }
            }

            /// The request fields the simulator reads for it, besides the conventional ones
            /// ([`Field::is_conventional`]).
            pub fn reads(self) -> &'static [Field] {
                match self {
                    $(Behaviour::$variant => &[$(Field::$field),*],)*
                }
            }
        }
    };
}

behaviours! {
    /// `POST /calls`.
    Dial [To, From, ConnectionId, TimeoutSecs, AnsweringMachineDetection, TotalAnalysisTimeMillis,
        GreetingDurationMillis, AfterGreetingSilenceMillis, GreetingTotalAnalysisTimeMillis, Record,
        WebhookRetriesPolicies, RetriesMs],
    CallStatus [],
    Answer [Record, WebhookRetriesPolicies, RetriesMs],
    Reject [],
    Hangup [],
    Speak [Payload],
    Playback [Loop, AudioUrl],
    StopMedia [],
    Gather [MaximumDigits, MinimumDigits, ValidDigits, TerminatingDigit, TimeoutMillis],
    GatherSpeak [Payload, MaximumTries, MaximumDigits, MinimumDigits, ValidDigits, TerminatingDigit,
        TimeoutMillis],
    GatherAudio [MaximumTries, MaximumDigits, MinimumDigits, ValidDigits, TerminatingDigit,
        TimeoutMillis],
    GatherStop [],
    RecordStart [Channels, Format, Transcription],
    RecordStop [],
    RecordPause [],
    RecordResume [],
    Transfer [To, From, TimeoutSecs, AnsweringMachineDetection, TotalAnalysisTimeMillis,
        GreetingDurationMillis, AfterGreetingSilenceMillis, GreetingTotalAnalysisTimeMillis, Record,
        TargetLegClientState, ParkAfterUnbridge, WebhookRetriesPolicies, RetriesMs],
    Bridge [CallControlId, Queue, ParkAfterUnbridge],
    Enqueue [QueueName, MaxSize, MaxWaitTimeSecs],
    LeaveQueue [],
    ClientStateUpdate [],
    ConferenceCreate [CallControlId, Name, MaxParticipants],
    ConferenceRetrieve [],
    ConferenceParticipants [],
    ConferenceJoin [CallControlId, Mute, Hold, EndConferenceOnExit],
    ConferenceLeave [CallControlId],
    ConferenceMute [CallControlIds],
    ConferenceUnmute [CallControlIds],
    ConferenceHold [CallControlIds],
    ConferenceUnhold [CallControlIds],
    ConferenceEnd [],
    ConferenceSpeak [Payload],
    ConferencePlay [Loop, AudioUrl],
    ConferenceStopMedia [],
    ConferenceRecordStart [],
    ConferenceRecordStop [],
    QueueCreate [QueueName, MaxSize],
    QueueRetrieve [],
    QueueCalls [],
    QueueCall [],
    QueueRemoveCall [],
    /// Not modelled: the events the operation's documentation lists without a condition.
    Documented [],
}

impl Behaviour {
    /// Whether the simulator models it (else it sends the documented events).
    pub fn is_modelled(self) -> bool {
        self != Behaviour::Documented
    }

    /// Whether it reads `field` (conventional fields are read wherever a command has them).
    pub fn reads_field(self, field: Field) -> bool {
        field.is_conventional() || self.reads().contains(&field)
    }

    /// What the simulator does and sends for it, for the generated `Operation::simulation`; `None`
    /// for [`Behaviour::Documented`], whose text names the operation's own events.
    pub fn doc(self) -> Option<String> {
        use Behaviour as B;
        let word = secs(timing::PER_WORD);
        let least = secs(timing::MIN_SPEECH);
        let audio = secs(timing::AUDIO);
        let text = match self {
            B::Dial => format!(
                "A new outgoing call: `call.initiated`, then what the dialled number's far end does \
                 (`FakeTelnyx::far_end`; by default it answers at once): `call.answered`, or \
                 `call.hangup` (`user_busy`, or `timeout` after `timeout_secs`, {} by default). \
                 With `answering_machine_detection`, detection takes its time after the answer: \
                 `call.machine.detection.ended` (or `call.machine.premium.detection.ended`) once a \
                 person's greeting and {} of silence are over, or after {} of a machine's greeting \
                 (`answering_machine_detection_config` changes both), then \
                 `call.machine.greeting.ended` (or `call.machine.premium.greeting.ended`) at the \
                 machine's beep (`FarEnd::greeting`, {} by default), `not_sure` when that is more \
                 than {} after the detection. Webhooks of the call are redelivered as its \
                 `webhook_retries_policies` say.",
                secs(timing::RING_TIMEOUT),
                secs(timing::AFTER_GREETING_SILENCE),
                secs(timing::GREETING_DURATION),
                secs(timing::MACHINE_GREETING),
                secs(timing::GREETING_TOTAL_ANALYSIS),
            ),
            B::CallStatus => {
                "The call's `is_alive` and `call_duration` from the simulation; no events.".into()
            }
            B::Answer => "`call.answered`; with `record: record-from-answer` a recording starts; \
                 webhooks of the call are redelivered as its `webhook_retries_policies` say."
                .into(),
            B::Reject => "`call.hangup` with `hangup_cause: call_rejected`.".into(),
            B::Hangup => "Ends the call: `call.speak.ended`, `call.playback.ended` and \
                 `call.gather.ended` (status `call_hangup`) for what was playing or gathering, \
                 `conference.participant.left` and `call.dequeued` where it was, \
                 `call.hangup`, then `call.recording.saved` (and \
                 `call.recording.transcription.saved` when asked for) if it was recording. A call \
                 bridged to it is hung up too, unless its bridge said `park_after_unbridge: self`."
                .into(),
            B::Speak => format!(
                "`call.speak.started`, and `call.speak.ended` when the speech ends ({word} a word, \
                 at least {least}); speech queued behind other speech or audio starts the moment \
                 that ends."
            ),
            B::Playback => format!(
                "`call.playback.started`, and `call.playback.ended` after {audio} per `loop` \
                 (never for `loop: infinity`); queued like speech."
            ),
            B::StopMedia => "`call.playback.ended` or `call.speak.ended` (status `cancelled`) for \
                 what is playing; what waits behind it is dropped."
                .into(),
            B::Gather => format!(
                "Collects what the far end presses (`FarEnd::presses`, {} after the gather \
                 starts): `call.dtmf.received` per digit, then `call.gather.ended` (`valid`, \
                 `invalid`, or `timeout` after `timeout_millis`, {} by default).",
                secs(timing::PRESS_DELAY),
                secs(timing::GATHER_TIMEOUT),
            ),
            B::GatherSpeak => format!(
                "Speaks the prompt ({word} a word, no events of its own), then collects what the \
                 far end presses: `call.dtmf.received` per digit and `call.gather.ended` (`valid`; \
                 `invalid` or `timeout` once `maximum_tries`, {} by default, are used).",
                timing::GATHER_TRIES,
            ),
            B::GatherAudio => format!(
                "`call.playback.started` and `call.playback.ended` for the prompt ({audio}), then \
                 as `gather`: `call.dtmf.received` per digit and `call.gather.ended`."
            ),
            B::GatherStop => {
                "`call.gather.ended` with status `cancelled` for the gather in progress.".into()
            }
            B::RecordStart => "Starts recording; nothing is sent until the recording stops or the \
                 call ends, then `call.recording.saved` (and `call.recording.transcription.saved` \
                 with `transcription: true`)."
                .into(),
            B::RecordStop => "`call.recording.saved` (and `call.recording.transcription.saved` \
                 when the recording asked for a transcription), if a recording was running."
                .into(),
            B::RecordPause => "Pauses the recording; no events.".into(),
            B::RecordResume => "Resumes the recording; no events.".into(),
            B::Transfer => "A new leg with its own call id to `to`, carrying \
                 `target_leg_client_state`: `call.initiated` for it, then as its far end does: \
                 `call.answered` for the new leg and `call.bridged` for both legs, or `call.hangup` \
                 of the new leg (busy, no answer)."
                .into(),
            B::Bridge => "Joins the call with `call_control_id` (or the first call waiting in \
                 `queue`): `call.bridged` for each of the two, and `call.dequeued` (`bridged`) for \
                 a call taken from a queue."
                .into(),
            B::Enqueue => format!(
                "Puts the call at the end of `queue_name` (created if needed, {} calls by \
                 default; `90036` when full, `90038` when the call is already in it): \
                 `call.enqueued` with its position.",
                timing::QUEUE_SIZE
            ),
            B::LeaveQueue => "`call.dequeued` (`leave`); the calls behind it move up.".into(),
            B::ClientStateUpdate => {
                "The call's events carry the new `client_state` from now on; no events.".into()
            }
            B::ConferenceCreate => "A conference with the call `call_control_id` in it (`90033` \
                 when an active one has the name): `conference.created`, \
                 `conference.participant.joined`. Its `client_state` is the creator leg's and is \
                 carried by every webhook of the conference."
                .into(),
            B::ConferenceRetrieve => {
                "The conference's `id`, `name` and `status` from the simulation; no events.".into()
            }
            B::ConferenceParticipants => "One item per participant in the simulation, with \
                 `muted` and `on_hold`; no events."
                .into(),
            B::ConferenceJoin => "`conference.participant.joined`; `mute`, `hold` and \
                 `end_conference_on_exit` are kept. A `client_state` is the participant leg's; \
                 conference webhooks take it only when the participant created the conference."
                .into(),
            B::ConferenceLeave => "`conference.participant.left`, and `conference.ended` when no \
                 one is left or the participant joined with `end_conference_on_exit`."
                .into(),
            B::ConferenceMute => "Mutes the participants in `call_control_ids` (every one \
                 without it); no events."
                .into(),
            B::ConferenceUnmute => "Unmutes the participants in `call_control_ids` (every one \
                 without it); no events."
                .into(),
            B::ConferenceHold => "Holds the participants in `call_control_ids` (every one \
                 without it); no events."
                .into(),
            B::ConferenceUnhold => {
                "Takes the participants in `call_control_ids` off hold; no events.".into()
            }
            B::ConferenceEnd => "`conference.participant.left` for each participant, then \
                 `conference.ended`; the calls stay up."
                .into(),
            B::ConferenceSpeak => format!(
                "`conference.speak.started`, and `conference.speak.ended` when the speech ends \
                 ({word} a word)."
            ),
            B::ConferencePlay => format!(
                "`conference.playback.started`, and `conference.playback.ended` after {audio} per \
                 `loop`."
            ),
            B::ConferenceStopMedia => {
                "`conference.playback.ended` or `conference.speak.ended` for what is playing.".into()
            }
            B::ConferenceRecordStart => "Starts recording; `conference.recording.saved` when it \
                 stops or the conference ends."
                .into(),
            B::ConferenceRecordStop => {
                "`conference.recording.saved`, if a recording was running.".into()
            }
            B::QueueCreate => format!(
                "An empty queue of `max_size` ({} by default); no events.",
                timing::QUEUE_SIZE
            ),
            B::QueueRetrieve => {
                "The queue's `current_size` and `max_size` from the simulation; no events.".into()
            }
            B::QueueCalls => {
                "One item per waiting call, in order, with its `queue_position`; no events.".into()
            }
            B::QueueCall => "The call's `queue_position` and `wait_time_secs` from the \
                 simulation; no events."
                .into(),
            B::QueueRemoveCall => "`call.dequeued` (`leave`); the calls behind it move up.".into(),
            B::Documented => return None,
        };
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_modelled_behaviour_is_documented_with_the_timings_it_runs_on() {
        for behaviour in Behaviour::ALL {
            assert_eq!(
                behaviour.doc().is_some(),
                behaviour.is_modelled(),
                "{behaviour:?}"
            );
        }
        let speak = Behaviour::Speak.doc().unwrap_or_default();
        assert!(
            speak.contains(&format!("({} a word", secs(timing::PER_WORD))),
            "{speak}"
        );
        assert!(Behaviour::Dial.doc().unwrap_or_default().contains("3.5 s"));
    }

    #[test]
    fn names_are_the_variants() {
        assert_eq!(Behaviour::GatherSpeak.name(), "GatherSpeak");
        assert!(Behaviour::Dial.reads_field(Field::ClientState));
        assert!(Behaviour::Dial.reads_field(Field::To));
        assert!(!Behaviour::Hangup.reads_field(Field::To));
    }
}
