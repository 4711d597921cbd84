//! What a test can ask the call simulator about a call, a conference or a queue: copies of their
//! state at the moment of asking.

use std::time::Duration;

/// Where a simulated call is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallState {
    /// An incoming call the application has not answered yet.
    Initiated,
    /// A call the application dialled (or transferred to) that the far end has not picked up yet.
    Ringing,
    Answered,
    /// Answered and joined to another call (`bridge`, or a transfer's new leg).
    Bridged,
    HungUp,
}

/// Who placed a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Incoming,
    Outgoing,
}

/// A simulated call (one leg) as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallView {
    pub call_control_id: String,
    pub call_leg_id: String,
    /// Shared by the legs of one phone call (a transfer's new leg has its caller's).
    pub call_session_id: String,
    pub direction: Direction,
    pub from: String,
    pub to: String,
    pub state: CallState,
    /// The `hangup_cause` of its `call.hangup` (`normal_clearing`, `user_busy`, `timeout`, ...).
    pub hangup_cause: Option<String>,
    /// The call it is bridged to.
    pub bridged_with: Option<String>,
    /// The conference it is in, if any.
    pub conference: Option<String>,
    /// The queue it waits in and its place there (1 first).
    pub queue: Option<(String, usize)>,
    pub recording: bool,
    /// The `client_state` its events carry now.
    pub client_state: Option<String>,
    /// When it started and ended, in the simulation's time.
    pub started_at: Duration,
    pub ended_at: Option<Duration>,
}

/// A simulated conference as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConferenceView {
    pub id: String,
    pub name: String,
    pub participants: Vec<ParticipantView>,
    pub ended: bool,
    pub recording: bool,
}

/// One call in a conference.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParticipantView {
    pub call_control_id: String,
    pub muted: bool,
    pub on_hold: bool,
}

/// A simulated queue as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueueView {
    pub name: String,
    pub max_size: usize,
    /// The waiting calls, first first.
    pub calls: Vec<String>,
}
