//! Webhooks on their way to the application, delivered as Telnyx delivers them: each event gets a
//! fresh `id` and the simulation's time as `occurred_at` when it happens; an attempt the application
//! does not accept (an answer other than 2xx, no answer within the webhook timeout) goes to the
//! failover URL when one is set, and is redelivered after the delays of its retry policy (the
//! call's `webhook_retries_policies` for its event type, else the fake's); when they are used up,
//! the event is given up on, and `settle` names it. Every attempt is kept.

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::contract::Operation;
use crate::deliver::{post, sign, Delivery, Forgery, GivenUp, SendError, Signed};
use crate::event::Event;
use crate::shared::{Batch, Outgoing, Shared};
use crate::sim::at;

impl<O: Operation> Shared<O> {
    /// Queues events that happen now (stamped with a fresh id and the simulation's time), each
    /// pending at once.
    pub(crate) fn enqueue(&self, events: Vec<Event>) {
        let outgoing: Vec<Outgoing> = {
            let mut state = self.state();
            events
                .into_iter()
                .map(|mut event| {
                    state.stamp(&mut event);
                    let retries = event
                        .call_control_id()
                        .zip(event.event_type())
                        .and_then(|(call, event_type)| state.sim.retries_for(call, event_type))
                        .unwrap_or_else(|| self.settings.retries.clone());
                    Outgoing {
                        event,
                        attempts: 0,
                        retries: retries.into(),
                    }
                })
                .collect()
        };
        self.send_out(outgoing);
    }

    /// Hands deliveries to the dispatcher, each pending until it has been attempted.
    pub(crate) fn send_out(&self, outgoing: Vec<Outgoing>) {
        if outgoing.is_empty() {
            return;
        }
        let batch: Batch = outgoing
            .into_iter()
            .map(|out| {
                let what = format!("the delivery of `{}`", out.event.kind());
                let call = out.event.call_control_id().map(str::to_owned);
                (self.track(what, call), out)
            })
            .collect();
        if let Err(mpsc::error::SendError(batch)) = self.queue.send(batch) {
            for (id, _) in batch {
                self.untrack(id);
            }
        }
    }

    /// The redelivery `key` is due: it goes out again.
    pub(crate) fn redeliver(&self, key: u64) {
        let due = self.state().redeliveries.remove(&key);
        if let Some(out) = due {
            self.send_out(vec![out]);
        }
    }

    /// One round of attempts of `out`: the webhook URL, then the failover URL; a redelivery or
    /// giving up when neither accepts it.
    async fn deliver(&self, mut out: Outgoing) {
        let (primary, failover) = {
            let state = self.state();
            (state.webhook_url.clone(), state.failover_url.clone())
        };
        let Some(primary) = primary else {
            return self.give_up(&out, SendError::NoWebhookUrl.to_string());
        };
        let mut last = String::new();
        for url in std::iter::once(primary).chain(failover) {
            out.attempts += 1;
            match self.attempt(&out.event, &url, out.attempts, None).await {
                Ok(_) => return,
                Err(SendError::Build { message, .. }) => return self.give_up(&out, message),
                Err(e) => last = e.to_string(),
            }
        }
        let mut state = self.state();
        match out.retries.pop_front() {
            Some(delay) => {
                state.keys += 1;
                let key = state.keys;
                let call = out.event.call_control_id().map(str::to_owned);
                let what = format!(
                    "`{}` redelivered in {} (after attempt {})",
                    out.event.event_type().unwrap_or(out.event.kind()),
                    at(delay),
                    out.attempts
                );
                state.sim.note(call.as_deref(), what);
                state.sim.redeliver(delay, key, out.event.kind().to_owned());
                state.redeliveries.insert(key, out);
            }
            None => {
                drop(state);
                self.give_up(&out, last);
            }
        }
    }

    fn give_up(&self, out: &Outgoing, last: String) {
        let event = &out.event;
        let given_up = GivenUp {
            kind: event.kind().to_owned(),
            event_type: event.event_type().map(str::to_owned),
            event_id: event.id().map(str::to_owned),
            call_control_id: event.call_control_id().map(str::to_owned),
            attempts: out.attempts,
            last,
        };
        let mut state = self.state();
        let what = format!(
            "`{}` given up after {} attempt(s)",
            event.event_type().unwrap_or(event.kind()),
            out.attempts
        );
        state.sim.note(event.call_control_id(), what);
        state.given_up.push(given_up);
    }

    /// Signs `event` as its `attempt` (forged as `forgery` says), posts it to `url` and keeps the
    /// attempt; `Ok` when the application accepted it.
    pub(crate) async fn attempt(
        &self,
        event: &Event,
        url: &url::Url,
        attempt: u32,
        forgery: Option<&Forgery>,
    ) -> Result<Delivery, SendError> {
        let sent = sign(&self.signing_key, url, event, attempt, forgery)?;
        let info = Sent {
            event_type: event.event_type().map(str::to_owned),
            event_id: event.id().map(str::to_owned),
            call_control_id: event.call_control_id().map(str::to_owned),
            attempt,
        };
        self.post_signed(sent, url, info).await
    }

    /// Posts what was sent before, byte for byte, and keeps the attempt.
    pub(crate) async fn repost(
        &self,
        delivery: &Delivery,
        url: &url::Url,
    ) -> Result<Delivery, SendError> {
        let info = Sent {
            event_type: delivery.event_type.clone(),
            event_id: delivery.event_id.clone(),
            call_control_id: delivery.call_control_id.clone(),
            attempt: delivery.attempt,
        };
        self.post_signed(delivery.sent.clone(), url, info).await
    }

    async fn post_signed(
        &self,
        sent: Signed,
        url: &url::Url,
        info: Sent,
    ) -> Result<Delivery, SendError> {
        let kind = sent.kind.clone();
        let answer = post(&self.http, url, &sent, self.settings.webhook_timeout).await;
        let (status, body, error) = match answer {
            Ok((status, body)) if (200..300).contains(&status) => (Some(status), body, None),
            Ok((status, body)) => (
                Some(status),
                body.clone(),
                Some(SendError::Rejected {
                    kind: kind.clone(),
                    status,
                    body,
                }),
            ),
            Err(source) => (
                None,
                source.to_string(),
                Some(SendError::Http {
                    kind: kind.clone(),
                    source,
                }),
            ),
        };
        let mut state = self.state();
        let delivery = Delivery {
            kind,
            event_type: info.event_type,
            event_id: info.event_id,
            call_control_id: info.call_control_id,
            attempt: info.attempt,
            url: url.to_string(),
            at: state.sim.now(),
            status,
            body,
            sent,
        };
        let outcome = match (status, &error) {
            (Some(status), _) => status.to_string(),
            (None, Some(e)) => format!("no answer ({e})"),
            (None, None) => "no answer".to_owned(),
        };
        let what = format!(
            "event {} → {outcome} (attempt {}{})",
            delivery.event_type.as_deref().unwrap_or(&delivery.kind),
            delivery.attempt,
            if state.webhook_url.as_ref() == Some(url) {
                ""
            } else {
                ", failover URL"
            }
        );
        state.sim.note(delivery.call_control_id.as_deref(), what);
        state.deliveries.push(delivery.clone());
        match error {
            None => Ok(delivery),
            Some(e) => Err(e),
        }
    }
}

/// What a delivery record says of its event.
struct Sent {
    event_type: Option<String>,
    event_id: Option<String>,
    call_control_id: Option<String>,
    attempt: u32,
}

/// Sends queued webhooks one at a time, in order, as Telnyx sends the events of a call.
pub(crate) async fn dispatch<O: Operation>(
    shared: Arc<Shared<O>>,
    mut queued: mpsc::UnboundedReceiver<Batch>,
) {
    while let Some(batch) = queued.recv().await {
        for (id, out) in batch {
            shared.deliver(out).await;
            shared.untrack(id);
        }
    }
}
