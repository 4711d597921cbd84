//! The fields of request bodies the simulator reads, each with the kind of value it expects: the
//! generator checks them against the spec's request schemas, and the simulator reads nothing else.

/// The kind of value the simulator expects in a field, as the spec's schema types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A string (or a string enum).
    Text,
    /// A boolean.
    Flag,
    /// An integer.
    Count,
    /// An integer, or a string that holds one (`loop: 3`, `loop: "infinity"`).
    CountOrText,
    /// An array of strings.
    Texts,
    /// A string, or an array of strings (a dial's `to`).
    TextOrTexts,
    /// An array of integers.
    Counts,
    /// An object whose values are keyed by name (`webhook_retries_policies`).
    Map,
    /// An object with declared properties.
    Object,
}

impl Kind {
    /// How a diagnostic names it (`an integer`).
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Text => "a string",
            Kind::Flag => "a boolean",
            Kind::Count => "an integer",
            Kind::CountOrText => "an integer or a string",
            Kind::Texts => "an array of strings",
            Kind::TextOrTexts => "a string or an array of strings",
            Kind::Counts => "an array of integers",
            Kind::Map => "an object of named values",
            Kind::Object => "an object",
        }
    }
}

/// Declares [`Field`] with each field's path and kind, so a field is one line of this list.
macro_rules! fields {
    ($( $(#[doc = $doc:literal])* $variant:ident = [$($key:literal),+] $kind:ident, )*) => {
        /// A field of a request body the simulator reads (`Field::TimeoutSecs` is `timeout_secs`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Field {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Field {
            /// Every field, in the order of this list.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// Its JSON path in the body: property names, `*` for any key of a map.
            pub fn path(self) -> &'static [&'static str] {
                match self {
                    $(Field::$variant => &[$($key),+],)*
                }
            }

            /// The kind of value it holds.
            pub fn kind(self) -> Kind {
                match self {
                    $(Field::$variant => Kind::$kind,)*
                }
            }
        }
    };
}

fields! {
    /// Where a dial or a transfer goes.
    To = ["to"] TextOrTexts,
    /// The number a dial or a transfer shows.
    From = ["from"] Text,
    ConnectionId = ["connection_id"] Text,
    /// How long a dial or a transfer rings.
    TimeoutSecs = ["timeout_secs"] Count,
    AnsweringMachineDetection = ["answering_machine_detection"] Text,
    TotalAnalysisTimeMillis = ["answering_machine_detection_config", "total_analysis_time_millis"] Count,
    GreetingDurationMillis = ["answering_machine_detection_config", "greeting_duration_millis"] Count,
    AfterGreetingSilenceMillis = ["answering_machine_detection_config", "after_greeting_silence_millis"] Count,
    GreetingTotalAnalysisTimeMillis = ["answering_machine_detection_config", "greeting_total_analysis_time_millis"] Count,
    /// `record-from-answer` on a dial, an answer or a transfer.
    Record = ["record"] Text,
    /// The state a command gives its call, read wherever a command has it.
    ClientState = ["client_state"] Text,
    /// The state a transfer gives its new leg.
    TargetLegClientState = ["target_leg_client_state"] Text,
    /// Per event type, the delays between redeliveries of its webhooks.
    WebhookRetriesPolicies = ["webhook_retries_policies"] Map,
    RetriesMs = ["webhook_retries_policies", "*", "retries_ms"] Counts,
    ParkAfterUnbridge = ["park_after_unbridge"] Text,
    /// The other call of a bridge, or the call a conference command is about.
    CallControlId = ["call_control_id"] Text,
    /// The queue a bridge takes its call from.
    Queue = ["queue"] Text,
    Channels = ["channels"] Text,
    Format = ["format"] Text,
    Transcription = ["transcription"] Flag,
    /// What a speak says.
    Payload = ["payload"] Text,
    Loop = ["loop"] CountOrText,
    AudioUrl = ["audio_url"] Text,
    MaximumTries = ["maximum_tries"] Count,
    MaximumDigits = ["maximum_digits"] Count,
    MinimumDigits = ["minimum_digits"] Count,
    ValidDigits = ["valid_digits"] Text,
    TerminatingDigit = ["terminating_digit"] Text,
    TimeoutMillis = ["timeout_millis"] Count,
    /// A conference's name.
    Name = ["name"] Text,
    MaxParticipants = ["max_participants"] Count,
    Mute = ["mute"] Flag,
    Hold = ["hold"] Flag,
    EndConferenceOnExit = ["end_conference_on_exit"] Flag,
    /// The participants a mute or a hold is about.
    CallControlIds = ["call_control_ids"] Texts,
    QueueName = ["queue_name"] Text,
    MaxSize = ["max_size"] Count,
    MaxWaitTimeSecs = ["max_wait_time_secs"] Count,
    /// The command's idempotency key, read wherever a command has it.
    CommandId = ["command_id"] Text,
}

impl Field {
    /// Whether the simulator reads the field from any command that has it (a `client_state`, a
    /// `command_id`), rather than from the commands of one behaviour.
    pub fn is_conventional(self) -> bool {
        matches!(self, Field::ClientState | Field::CommandId)
    }

    /// `answering_machine_detection_config.total_analysis_time_millis`.
    pub fn dotted(self) -> String {
        self.path().join(".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_snake_case_json_names_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for field in Field::ALL {
            assert!(seen.insert(field.path()), "{field:?} repeats a path");
            for key in field.path() {
                assert!(
                    *key == "*" || key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                    "{field:?}: {key}"
                );
            }
        }
        assert_eq!(
            Field::RetriesMs.dotted(),
            "webhook_retries_policies.*.retries_ms"
        );
    }
}
