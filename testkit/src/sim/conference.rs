//! Conferences: who is in them, muted or on hold, what plays in them, and when they end.

use serde_json::{json, Value};
use telnyx_call_control_contract::{timing, Field};

use super::body::Body;
use super::media::Media;
use super::{set_data, set_list, Behaviour, Refusal, Sim};
use crate::views::{ConferenceView, ParticipantView};

/// One simulated conference.
#[derive(Clone)]
pub(crate) struct ConferenceSim {
    pub id: String,
    pub name: String,
    /// The call it was created with (its owner), which its own events name.
    pub creator: String,
    pub connection_id: String,
    /// What every webhook of the conference carries: the create's `client_state`, or a later one
    /// the owner joined with.
    pub client_state: Option<String>,
    /// Order of creation, to find the latest of a name.
    pub created: u64,
    participants: Vec<Participant>,
    max_participants: u64,
    ended: bool,
    recording: Option<String>,
    pub media: Media,
}

#[derive(Clone)]
struct Participant {
    call: String,
    muted: bool,
    on_hold: bool,
    end_on_exit: bool,
}

impl ConferenceSim {
    pub fn view(&self) -> ConferenceView {
        ConferenceView {
            id: self.id.clone(),
            name: self.name.clone(),
            participants: self
                .participants
                .iter()
                .map(|p| ParticipantView {
                    call_control_id: p.call.clone(),
                    muted: p.muted,
                    on_hold: p.on_hold,
                })
                .collect(),
            ended: self.ended,
            recording: self.recording.is_some(),
        }
    }

    fn status(&self) -> &'static str {
        if self.ended {
            "completed"
        } else {
            "in_progress"
        }
    }
}

/// The conference actions taken by [`Sim::conference_action`].
pub(super) fn is_action(behaviour: Behaviour) -> bool {
    use Behaviour as B;
    matches!(
        behaviour,
        B::ConferenceJoin
            | B::ConferenceLeave
            | B::ConferenceMute
            | B::ConferenceUnmute
            | B::ConferenceHold
            | B::ConferenceUnhold
            | B::ConferenceEnd
            | B::ConferenceSpeak
            | B::ConferencePlay
            | B::ConferenceStopMedia
            | B::ConferenceRecordStart
            | B::ConferenceRecordStop
    )
}

impl Sim {
    /// `POST /conferences`: a conference with the call `call_control_id` in it.
    pub(super) fn create_conference(
        &mut self,
        body: Body<'_>,
        response: &mut Value,
    ) -> Result<(), Refusal> {
        let call = body
            .text(Field::CallControlId)
            .unwrap_or_default()
            .to_owned();
        self.answered_call(&call, Some("/call_control_id"))?;
        let name = body.text(Field::Name).unwrap_or_default().to_owned();
        if self
            .conferences
            .values()
            .any(|c| c.name == name && !c.ended)
        {
            return Err(Refusal::unprocessable(
                "90033",
                "Unable to execute command",
                "Conference with given name already exists and it's active.",
            )
            .at(Some("/name")));
        }
        let n = self.next_id();
        let id = format!("fake-conference-{n}");
        let connection_id = self
            .calls
            .get(&call)
            .map(|c| c.connection_id.clone())
            .unwrap_or_default();
        // The create's client state is the creator leg's and the conference's.
        let client_state = body.text(Field::ClientState).map(str::to_owned);
        if let (Some(state), Some(c)) = (&client_state, self.calls.get_mut(&call)) {
            c.client_state = Some(state.clone());
        }
        self.conferences.insert(
            id.clone(),
            ConferenceSim {
                id: id.clone(),
                name: name.clone(),
                creator: call.clone(),
                connection_id,
                client_state,
                created: n,
                participants: Vec::new(),
                max_participants: body
                    .count(Field::MaxParticipants)
                    .unwrap_or(timing::MAX_PARTICIPANTS),
                ended: false,
                recording: None,
                media: Media::default(),
            },
        );
        set_data(response, "id", id.clone());
        set_data(response, "name", name);
        set_data(response, "status", "in_progress");
        set_data(response, "created_at", self.clock.timestamp());
        set_data(response, "end_reason", Value::Null);
        set_data(response, "ended_by", Value::Null);
        self.conference_event("conference.created", &id, None, &[]);
        self.add_participant(&id, &call, None);
        Ok(())
    }

    /// The conference `id`, if it has not ended.
    fn live_conference(&self, id: &str) -> Result<&ConferenceSim, Refusal> {
        let conference = self.conferences.get(id).ok_or_else(|| {
            Refusal::not_found(format!("The simulation has no conference {id:?}."))
        })?;
        if conference.ended {
            return Err(Refusal::conference_ended());
        }
        Ok(conference)
    }

    pub(super) fn retrieve_conference(
        &mut self,
        id: &str,
        response: &mut Value,
    ) -> Result<(), Refusal> {
        let conference = self.conferences.get(id).ok_or_else(|| {
            Refusal::not_found(format!("The simulation has no conference {id:?}."))
        })?;
        set_data(response, "id", conference.id.clone());
        set_data(response, "name", conference.name.clone());
        set_data(response, "status", conference.status());
        Ok(())
    }

    /// `GET /conferences/{id}/participants`: one item per participant.
    pub(super) fn participants(&mut self, id: &str, response: &mut Value) -> Result<(), Refusal> {
        let conference = self.conferences.get(id).ok_or_else(|| {
            Refusal::not_found(format!("The simulation has no conference {id:?}."))
        })?;
        let calls = &self.calls;
        let (conference_id, name) = (conference.id.clone(), conference.name.clone());
        set_list(response, &conference.participants, |item, p| {
            item.insert("call_control_id".into(), p.call.clone().into());
            if let Some(call) = calls.get(&p.call) {
                item.insert("call_leg_id".into(), call.leg_id.clone().into());
            }
            item.insert("id".into(), format!("participant-{}", p.call).into());
            item.insert(
                "conference".into(),
                json!({"id": conference_id, "name": name}),
            );
            item.insert("muted".into(), p.muted.into());
            item.insert("on_hold".into(), p.on_hold.into());
            item.insert("end_conference_on_exit".into(), p.end_on_exit.into());
            item.insert("status".into(), "joined".into());
        });
        Ok(())
    }

    /// The actions on `/conferences/{id}/actions/*` the simulator models.
    pub(super) fn conference_action(
        &mut self,
        behaviour: Behaviour,
        id: &str,
        body: Body<'_>,
    ) -> Result<(), Refusal> {
        use Behaviour as B;
        self.live_conference(id)?;
        match behaviour {
            B::ConferenceJoin => {
                let call = body
                    .text(Field::CallControlId)
                    .unwrap_or_default()
                    .to_owned();
                self.answered_call(&call, Some("/call_control_id"))?;
                let full = self.conferences.get(id).is_some_and(|c| {
                    u64::try_from(c.participants.len()).unwrap_or(u64::MAX) >= c.max_participants
                });
                if full {
                    return Err(Refusal::unprocessable(
                        "90032",
                        "Maximum number of participants reached",
                        "The maximum allowed value of `max_participants` has been reached.",
                    ));
                }
                // The participant leg takes the join's client state; the conference's webhooks
                // only when the participant is the conference's owner.
                if let Some(state) = body.text(Field::ClientState) {
                    if let Some(c) = self.calls.get_mut(&call) {
                        c.client_state = Some(state.to_owned());
                    }
                    if let Some(conference) = self.conferences.get_mut(id) {
                        if conference.creator == call {
                            conference.client_state = Some(state.to_owned());
                        }
                    }
                }
                self.add_participant(id, &call, Some(body));
            }
            B::ConferenceLeave => {
                let call = body
                    .text(Field::CallControlId)
                    .unwrap_or_default()
                    .to_owned();
                self.live_call(&call, Some("/call_control_id"))?;
                self.remove_participant(id, &call);
            }
            B::ConferenceMute | B::ConferenceUnmute => {
                let muted = behaviour == B::ConferenceMute;
                self.each_named(id, body, |p| p.muted = muted);
            }
            B::ConferenceHold | B::ConferenceUnhold => {
                let hold = behaviour == B::ConferenceHold;
                self.each_named(id, body, |p| p.on_hold = hold);
            }
            B::ConferenceEnd => self.end_conference(id, "all_left"),
            B::ConferenceSpeak | B::ConferencePlay | B::ConferenceStopMedia => {
                self.conference_media(id, behaviour, body);
            }
            B::ConferenceRecordStart => {
                let started = self.clock.timestamp();
                if let Some(c) = self.conferences.get_mut(id) {
                    c.recording = Some(started);
                }
            }
            _ => self.save_conference_recording(id),
        }
        Ok(())
    }

    /// Mute or hold: the participants in `call_control_ids`, or every one without it.
    fn each_named(&mut self, id: &str, body: Body<'_>, change: impl Fn(&mut Participant)) {
        let named = body.texts(Field::CallControlIds);
        if let Some(conference) = self.conferences.get_mut(id) {
            for p in &mut conference.participants {
                if named.is_empty() || named.contains(&p.call.as_str()) {
                    change(p);
                }
            }
        }
    }

    /// A call joins (with the options of its join, if it joined by one): it leaves a conference it
    /// was in, then `conference.participant.joined`.
    fn add_participant(&mut self, id: &str, call: &str, join: Option<Body<'_>>) {
        let previous = self.calls.get(call).and_then(|c| c.conference.clone());
        match previous {
            Some(previous) if previous == id => return,
            Some(previous) => self.remove_participant(&previous, call),
            None => {}
        }
        if let Some(conference) = self.conferences.get_mut(id) {
            let flag = |field| join.is_some_and(|body| body.flag(field));
            conference.participants.push(Participant {
                call: call.to_owned(),
                muted: flag(Field::Mute),
                on_hold: flag(Field::Hold),
                end_on_exit: flag(Field::EndConferenceOnExit),
            });
        }
        if let Some(c) = self.calls.get_mut(call) {
            c.conference = Some(id.to_owned());
        }
        self.conference_event("conference.participant.joined", id, Some(call), &[]);
    }

    /// A call leaves: `conference.participant.left`, and the end of the conference when no one is
    /// left or the participant ends it on exit.
    fn remove_participant(&mut self, id: &str, call: &str) {
        let Some(conference) = self.conferences.get_mut(id) else {
            return;
        };
        let Some(index) = conference.participants.iter().position(|p| p.call == call) else {
            return;
        };
        let left = conference.participants.remove(index);
        let empty = conference.participants.is_empty();
        if let Some(c) = self.calls.get_mut(call) {
            c.conference = None;
        }
        self.conference_event("conference.participant.left", id, Some(call), &[]);
        if left.end_on_exit {
            self.end_conference(id, "host_left");
        } else if empty {
            self.end_conference(id, "all_left");
        }
    }

    /// Every participant leaves, then `conference.ended`; the calls stay up.
    fn end_conference(&mut self, id: &str, reason: &str) {
        let Some(conference) = self.conferences.get_mut(id) else {
            return;
        };
        if conference.ended {
            return;
        }
        conference.ended = true;
        let participants = std::mem::take(&mut conference.participants);
        for p in participants {
            if let Some(c) = self.calls.get_mut(&p.call) {
                c.conference = None;
            }
            self.conference_event("conference.participant.left", id, Some(&p.call), &[]);
        }
        self.save_conference_recording(id);
        self.conference_event("conference.ended", id, None, &[("reason", reason.into())]);
    }

    /// Takes `call` out of the conference `id` without events (the test's events said it left).
    pub(super) fn drop_participant(&mut self, id: &str, call: &str) {
        if let Some(conference) = self.conferences.get_mut(id) {
            conference.participants.retain(|p| p.call != call);
        }
    }

    /// A participant's call hung up.
    pub(super) fn leave_conference_on_hangup(&mut self, call: &str) {
        if let Some(id) = self.calls.get(call).and_then(|c| c.conference.clone()) {
            self.remove_participant(&id, call);
        }
    }

    fn save_conference_recording(&mut self, id: &str) {
        let Some(started) = self
            .conferences
            .get_mut(id)
            .and_then(|c| c.recording.take())
        else {
            return;
        };
        let n = self.next_id();
        let recording_id = format!("00000000-0000-4000-9000-{n:012x}");
        let url = format!("http://127.0.0.1/fake-recordings/{recording_id}.mp3");
        self.conference_event(
            "conference.recording.saved",
            id,
            None,
            &[
                ("recording_id", recording_id.into()),
                ("recording_started_at", started.into()),
                ("recording_ended_at", self.clock.timestamp().into()),
                ("format", "mp3".into()),
                ("recording_urls", json!({ "mp3": url })),
                ("public_recording_urls", json!({ "mp3": url })),
            ],
        );
    }
}
