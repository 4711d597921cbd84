//! The simulation's clock as an application's own timers see it: an application that waits ("call
//! back in ten minutes") takes a [`SimClock`] from the fake in its tests, and its waits then run on
//! the simulation's time, moved by `advance` and `settle`, instead of the machine's.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::contract::Operation;
use crate::shared::{Shared, Task};

/// What a clock needs of the fake, whatever its operations.
trait Timers: Send + Sync {
    fn now(&self) -> Duration;
    fn add(&self, after: Duration, task: Task);
}

impl<O: Operation> Timers for Shared<O> {
    fn now(&self) -> Duration {
        self.state().sim.now()
    }

    fn add(&self, after: Duration, task: Task) {
        let mut state = self.state();
        state.keys += 1;
        let key = state.keys;
        state.timers.insert(key, task);
        state.sim.timer(after, key);
        let due = state.sim.now() + after;
        state.sim.note(
            None,
            format!(
                "the application's timer {key} is set for {}",
                crate::sim::at(due)
            ),
        );
    }
}

/// The simulation's clock (from [`FakeTelnyx::clock`](crate::FakeTelnyx::clock)), for an
/// application's own timers: cheap to clone, and `Send`, to keep in the application's state.
///
/// ```no_run
/// # async fn run(clock: telnyx_call_control_testkit::SimClock) {
/// use std::time::Duration;
/// clock.after(Duration::from_secs(600), async {
///     // dial again
/// });
/// # }
/// ```
#[derive(Clone)]
pub struct SimClock {
    timers: Arc<dyn Timers>,
}

impl SimClock {
    pub(crate) fn new<O: Operation>(shared: Arc<Shared<O>>) -> Self {
        SimClock { timers: shared }
    }

    /// The simulation's time now.
    pub fn now(&self) -> Duration {
        self.timers.now()
    }

    /// Runs `task` once the simulation's time is `delay` from now: in [`FakeTelnyx::advance`] or
    /// [`FakeTelnyx::settle`], which wait for it to finish (its commands included) before the
    /// simulation moves on, as they wait for a delivery to be answered. Where an application uses
    /// `tokio::spawn(async move { tokio::time::sleep(delay).await; task.await })`, its tests give it
    /// this instead.
    ///
    /// [`FakeTelnyx::advance`]: crate::FakeTelnyx::advance
    /// [`FakeTelnyx::settle`]: crate::FakeTelnyx::settle
    pub fn after<F>(&self, delay: Duration, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.timers.add(delay, Box::pin(task));
    }
}

impl fmt::Debug for SimClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimClock")
            .field("now", &self.now())
            .finish()
    }
}
