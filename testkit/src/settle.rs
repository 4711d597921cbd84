//! Letting the simulation's time run: [`FakeTelnyx::settle`], [`FakeTelnyx::advance`] and
//! [`FakeTelnyx::advance_until`] do what is due, one thing at a time, each once the application has
//! answered everything before it, and report what went wrong with the timeline of the calls
//! involved.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::contract::Operation;
use crate::deliver::GivenUp;
use crate::fake::FakeTelnyx;
use crate::record::Command;
use crate::shared::Shared;
use crate::sim::{at, Fired, UnusedStep};
use crate::timeline::Timeline;

/// Why [`FakeTelnyx::settle`] (or [`FakeTelnyx::advance`], [`FakeTelnyx::advance_until`]) did not
/// end well. Each error carries the timeline of the calls it involves (commands, deliveries,
/// states, in the simulation's time), which its message ends with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettleError {
    /// Requests, deliveries or timers were still pending after the timeout (an application that
    /// does not answer, or one that waits for something that never comes).
    #[error("still waiting after {timeout:?} for {}{}{}", .waiting_for.join(", "), .next.as_ref().map(|n| format!(" (next in the simulation: {n})")).unwrap_or_default(), Shown(.timeline))]
    Timeout {
        waiting_for: Vec<String>,
        /// What the simulation would do next, had it been let.
        next: Option<String>,
        timeout: Duration,
        timeline: Timeline,
    },
    /// Webhooks the fake made on its own were given up on: every attempt was refused or failed,
    /// redeliveries included.
    #[error("{} webhook(s) given up on: {}{}", .given_up.len(), .given_up.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "), Shown(.timeline))]
    Deliveries {
        given_up: Vec<GivenUp>,
        timeline: Timeline,
    },
    /// Steps of a far end's script were never used (and the webhooks given up on, which often say
    /// why).
    #[error("{}{}{}", .unused.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "), if .given_up.is_empty() { String::new() } else { format!("; {} webhook(s) given up on: {}", .given_up.len(), .given_up.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")) }, Shown(.timeline))]
    Script {
        unused: Vec<UnusedStep>,
        given_up: Vec<GivenUp>,
        timeline: Timeline,
    },
    /// The simulation kept going (an application that redials or regathers for ever).
    #[error("the simulation did not settle after {steps} steps (at {at} of simulated time){}", Shown(.timeline))]
    Runaway {
        steps: usize,
        at: String,
        timeline: Timeline,
    },
    /// [`FakeTelnyx::advance_until`]: nothing was left to happen, and no such command came.
    #[error("no such command came: the simulation settled at {at}{}", Shown(.timeline))]
    NoSuchCommand { at: String, timeline: Timeline },
}

impl SettleError {
    /// The timeline of the calls the error involves.
    pub fn timeline(&self) -> &Timeline {
        match self {
            SettleError::Timeout { timeline, .. }
            | SettleError::Deliveries { timeline, .. }
            | SettleError::Script { timeline, .. }
            | SettleError::Runaway { timeline, .. }
            | SettleError::NoSuchCommand { timeline, .. } => timeline,
        }
    }
}

/// A timeline at the end of an error's message.
struct Shown<'t>(&'t Timeline);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        write!(f, "\n\ntimeline:\n{}", self.0)
    }
}

/// How many things the simulation may do in one `settle` before it is called a runaway.
const MAX_STEPS: usize = 10_000;

/// Where a run stops.
enum Until<'p, O> {
    /// Nothing left to happen.
    Settled,
    /// The simulation's time reaches this.
    Time(Duration),
    /// A command after the first `n` is one of these.
    Command(usize, &'p (dyn Fn(&Command<O>) -> bool + Sync)),
}

impl<O: Operation> FakeTelnyx<O> {
    /// Lets the simulation run for `by` of its time (what is due in it happens, the application
    /// answering each event), then waits as [`FakeTelnyx::settle`] does; far-end steps not used
    /// yet are not reported, as they may still be.
    pub async fn advance(&self, by: Duration) -> Result<(), SettleError> {
        let limit = self.now() + by;
        self.run(Until::Time(limit)).await.map(|_| ())
    }

    /// Lets the simulation run until nothing is left to happen (waits cost no real time), waiting
    /// for the application to answer every delivery; then reports the webhooks given up on since
    /// the last call and the far-end steps no one used. Commands an application sends while it
    /// handles a delivery are counted before that delivery ends, so a chain of them settles as one;
    /// commands it sends after answering may come after the simulation moved on.
    pub async fn settle(&self) -> Result<(), SettleError> {
        self.run(Until::Settled).await.map(|_| ())
    }

    /// Lets the simulation run, as [`FakeTelnyx::settle`] does, until the application sends a
    /// command `matches` (`|c| c.operation() == Operation::Hangup`), and returns it; the rest stays
    /// due. An error when everything happened and no such command came.
    pub async fn advance_until<F>(&self, matches: F) -> Result<Command<O>, SettleError>
    where
        F: Fn(&Command<O>) -> bool + Sync,
    {
        let seen = self.shared.state().commands.len();
        match self.run(Until::Command(seen, &matches)).await? {
            Some(command) => Ok(command),
            None => Err(SettleError::NoSuchCommand {
                at: at(self.now()),
                timeline: self.shared.state().sim.timeline.clone(),
            }),
        }
    }

    async fn run(&self, until: Until<'_, O>) -> Result<Option<Command<O>>, SettleError> {
        let deadline = tokio::time::Instant::now() + self.settle_timeout;
        let limit = match until {
            Until::Time(limit) => Some(limit),
            _ => None,
        };
        let mut steps = 0;
        loop {
            self.quiet(deadline).await?;
            let fired = {
                let mut state = self.shared.state();
                if let Until::Command(seen, matches) = &until {
                    let arrived = state.commands.iter().skip(*seen).find(|c| matches(c));
                    if let Some(command) = arrived {
                        return Ok(Some(command.clone()));
                    }
                }
                match state.sim.fire_next(limit) {
                    Some(fired) => fired,
                    None => {
                        if let Some(limit) = limit {
                            state.sim.advance_to(limit);
                        }
                        break;
                    }
                }
            };
            steps += 1;
            if steps > MAX_STEPS {
                let state = self.shared.state();
                return Err(SettleError::Runaway {
                    steps,
                    at: at(state.sim.now()),
                    timeline: state.sim.timeline.clone(),
                });
            }
            match fired {
                Fired::Events(events) => self.shared.enqueue(events),
                Fired::Redeliver(key) => self.shared.redeliver(key),
                Fired::Timer(key) => self.shared.run_timer(key),
            }
        }
        if let Until::Command(..) = until {
            return Ok(None);
        }
        let mut state = self.shared.state();
        let given_up = std::mem::take(&mut state.given_up);
        let unused = match (limit, state.simulate) {
            (None, true) => state.sim.unused_steps(),
            _ => Vec::new(),
        };
        let involved: BTreeSet<String> = given_up
            .iter()
            .filter_map(|g| g.call_control_id.clone())
            .chain(unused.iter().map(|u| u.call.clone()))
            .collect();
        let timeline = state.sim.timeline.about(&involved);
        match (unused.is_empty(), given_up.is_empty()) {
            (true, true) => Ok(None),
            (true, false) => Err(SettleError::Deliveries { given_up, timeline }),
            (false, _) => Err(SettleError::Script {
                unused,
                given_up,
                timeline,
            }),
        }
    }

    /// Waits until no request, delivery or timer is pending, until `deadline`.
    async fn quiet(&self, deadline: tokio::time::Instant) -> Result<(), SettleError> {
        let mut pending = self.shared.pending.subscribe();
        let waited = tokio::time::timeout_at(deadline, pending.wait_for(|n| *n == 0)).await;
        if waited.is_ok() {
            return Ok(());
        }
        let state = self.shared.state();
        let involved: BTreeSet<String> = state
            .busy
            .values()
            .filter_map(|(_, call)| call.clone())
            .collect();
        Err(SettleError::Timeout {
            waiting_for: state.busy.values().map(|(what, _)| what.clone()).collect(),
            next: state.sim.next_due(),
            timeout: self.settle_timeout,
            timeline: state.sim.timeline.about(&involved),
        })
    }
}

impl<O: Operation> Shared<O> {
    /// The application's timer `key` is due: its task runs, pending until it finishes.
    pub(crate) fn run_timer(self: &Arc<Self>, key: u64) {
        let Some(task) = self.state().timers.remove(&key) else {
            return;
        };
        let id = self.track(format!("the application's timer {key}"), None);
        let guard = Untrack {
            shared: self.clone(),
            id,
        };
        tokio::spawn(async move {
            task.await;
            drop(guard);
        });
    }
}

/// Untracks a pending timer when its task ends, panics included.
struct Untrack<O: Operation> {
    shared: Arc<Shared<O>>,
    id: u64,
}

impl<O: Operation> Drop for Untrack<O> {
    fn drop(&mut self) {
        self.shared.untrack(self.id);
    }
}
