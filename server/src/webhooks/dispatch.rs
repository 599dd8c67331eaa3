//! The dispatcher: one task per server node that fans raised events out into deliveries
//! and posts the deliveries that are due.
//!
//! Every step is a transaction on the server's tables, so several nodes on one
//! PostgreSQL share the work without sending a delivery twice at once: an event is
//! fanned out by the node whose transaction deletes it; a delivery is *leased* — moved
//! [`LEASE_MS`] into the future — by the node that sends it, and a node that dies while
//! sending leaves it to come due again (at least once, never lost). Each round also
//! re-reads which workspaces have subscriptions, so a subscription made on one node
//! raises events on every node within a round.

use std::time::{Duration, Instant};

use serde_json::json;

use super::events::{EVENTS, Raised};
use super::{Attempt, Delivery, LOG, LOG_KEPT, QUEUE, SUBSCRIPTIONS, Subscription};
use super::{get, put, signing, target};
use crate::ServerError;
use crate::http::state::AppState;
use crate::storage::{DocumentStore, Tables};

/// How long a node holds a delivery it is sending.
pub const LEASE_MS: i64 = 60_000;
/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: u32 = 12;
/// How long a receiver may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Events fanned out, and deliveries sent, per round.
const BATCH: usize = 100;
/// How often the queue is looked at when nothing wakes the dispatcher.
const TICK: Duration = Duration::from_millis(500);
/// How long a disabled subscription's deliveries wait before they are looked at again.
const PARKED_MS: i64 = 10 * 60_000;

/// The dispatcher's settings (from the server configuration).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The first retry's wait; each further one doubles it (up to an hour).
    pub retry_base_ms: u64,
    /// Failed attempts in a row after which a subscription is disabled.
    pub disable_after: u32,
    /// Whether targets on private and local addresses are allowed.
    pub allow_private: bool,
    /// How often open cases' SLA clocks are looked at ([`super::sla`]).
    pub sla_check: Duration,
}

fn queue_key(due: i64, id: &str) -> String {
    format!("{due:020}-{id}")
}

/// The wait before attempt `attempts + 1`.
pub fn backoff(settings: &Settings, attempts: u32) -> i64 {
    let wait = settings
        .retry_base_ms
        .saturating_mul(1u64 << attempts.saturating_sub(1).min(20));
    wait.min(3_600_000) as i64
}

/// Runs until the hub closes.
pub async fn run(state: AppState, settings: Settings) {
    let mut closing = state.hub.closing();
    let wake = state.hub.events_raised();
    let mut sla_checked: Option<std::time::Instant> = None;
    loop {
        tokio::select! {
            _ = closing.changed() => return,
            () = wake.notified() => {}
            () = tokio::time::sleep(TICK) => {}
        }
        if sla_checked.is_none_or(|at| at.elapsed() >= settings.sla_check) {
            sla_checked = Some(std::time::Instant::now());
            if let Err(e) = super::sla::round(&state, super::now()).await {
                tracing::warn!(error = %e, "SLA webhook check failed; retrying");
            }
        }
        if let Err(e) = round(&state, &settings).await {
            tracing::warn!(error = %e, "webhook dispatch failed; retrying");
        }
    }
}

/// One round: learn which workspaces have subscriptions (another node may have added
/// one), fan out what was raised, then send what is due. Returns how many deliveries
/// were attempted.
pub async fn round(state: &AppState, settings: &Settings) -> Result<usize, ServerError> {
    let tables = state.hub.storage().tables();
    state
        .hub
        .watch_webhooks(super::watched_workspaces(&tables)?);
    fan_out(&tables)?;
    let due = claim_due(&tables, super::now())?;
    let attempted = due.len();
    let sends = due
        .into_iter()
        .map(|(lease, delivery, sub)| send(state, settings, lease, delivery, sub));
    futures_util::future::join_all(sends).await;
    Ok(attempted)
}

/// Turns raised events into deliveries, one per matching subscription and type.
fn fan_out(tables: &Tables) -> Result<(), ServerError> {
    let mut raised = tables.read(|tx| tx.scan(EVENTS, "", None))?;
    raised.truncate(BATCH);
    if raised.is_empty() {
        return Ok(());
    }
    tables.write(|tx| {
        for (key, _) in &raised {
            // Another node may have fanned it out meanwhile.
            let Some(event) = get::<Raised>(tx, EVENTS, key)? else {
                continue;
            };
            tx.delete(EVENTS, key)?;
            let prefix = format!("{}/", event.workspace);
            let end = format!("{}0", event.workspace);
            let subs: Vec<Subscription> = tx
                .scan(SUBSCRIPTIONS, &prefix, Some(&end))?
                .into_iter()
                .filter_map(|(_, v)| serde_json::from_slice(&v).ok())
                .collect();
            for sub in subs {
                for event_type in event.types.iter().filter(|t| sub.wants(t)) {
                    let id = format!("{}.{}.{}", event.id, sub.id, event_type);
                    let mut body = json!({
                        "id": id,
                        "type": event_type,
                        "createdAt": event.at,
                        "workspaceId": event.workspace,
                        "data": crate::webhooks::events::data_of(&event),
                    });
                    if let Some(detail) = &event.detail {
                        body["detail"] = detail.clone();
                    }
                    let delivery = Delivery {
                        id: id.clone(),
                        subscription: sub.id.clone(),
                        workspace_id: event.workspace.clone(),
                        event_type: event_type.clone(),
                        body: body.to_string(),
                        attempts: 0,
                    };
                    put(tx, QUEUE, &queue_key(event.at, &id), &delivery)?;
                }
            }
        }
        Ok(())
    })
}

/// Leases the deliveries due at `now`: each is moved [`LEASE_MS`] ahead under this
/// transaction, so no other node sends it meanwhile. Returns the lease key, the
/// delivery and its subscription; deliveries of removed subscriptions are dropped, those
/// of disabled ones parked.
fn claim_due(
    tables: &Tables,
    now: i64,
) -> Result<Vec<(String, Delivery, Subscription)>, ServerError> {
    let until = format!("{:020}.", now);
    tables.write(|tx| {
        let mut claimed = Vec::new();
        for (key, value) in tx.scan(QUEUE, "", Some(&until))?.into_iter().take(BATCH) {
            let delivery: Delivery = match serde_json::from_slice(&value) {
                Ok(d) => d,
                Err(e) => {
                    tracing::error!(key, error = %e, "unreadable webhook delivery dropped");
                    tx.delete(QUEUE, &key)?;
                    continue;
                }
            };
            tx.delete(QUEUE, &key)?;
            let sub_key = format!("{}/{}", delivery.workspace_id, delivery.subscription);
            let Some(sub) = get::<Subscription>(tx, SUBSCRIPTIONS, &sub_key)? else {
                continue;
            };
            if sub.disabled_at.is_some() {
                put(
                    tx,
                    QUEUE,
                    &queue_key(now + PARKED_MS, &delivery.id),
                    &delivery,
                )?;
                continue;
            }
            let lease = queue_key(now + LEASE_MS, &delivery.id);
            put(tx, QUEUE, &lease, &delivery)?;
            claimed.push((lease, delivery, sub));
        }
        Ok(claimed)
    })
}

/// Posts one delivery and records the outcome.
async fn send(
    state: &AppState,
    settings: &Settings,
    lease: String,
    mut delivery: Delivery,
    sub: Subscription,
) {
    let started = Instant::now();
    let outcome = post(settings, &sub, &delivery).await;
    let duration_ms = started.elapsed().as_millis() as u64;
    delivery.attempts += 1;
    let ok = matches!(outcome, Ok(status) if (200..300).contains(&status));
    let will_retry = !ok && delivery.attempts < MAX_ATTEMPTS;
    let now = super::now();
    let attempt = Attempt {
        delivery: delivery.id.clone(),
        event_type: delivery.event_type.clone(),
        at: now,
        attempt: delivery.attempts,
        status: outcome.as_ref().ok().copied(),
        error: match &outcome {
            Ok(status) if !ok => Some(format!("answered {status}")),
            Ok(_) => None,
            Err(e) => Some(e.clone()),
        },
        duration_ms,
        will_retry,
    };
    let tables = state.hub.storage().tables();
    let result = tables.write(|tx| {
        tx.delete(QUEUE, &lease)?;
        if will_retry {
            let due = now + backoff(settings, delivery.attempts);
            put(tx, QUEUE, &queue_key(due, &delivery.id), &delivery)?;
        }
        let log_key = format!("{}/{now:020}-{}", sub.id, uuid::Uuid::new_v4().simple());
        put(tx, LOG, &log_key, &attempt)?;
        // Keep the log bounded.
        let (from, to) = (format!("{}/", sub.id), format!("{}0", sub.id));
        let kept = tx.scan(LOG, &from, Some(&to))?;
        for (old, _) in kept.iter().take(kept.len().saturating_sub(LOG_KEPT)) {
            tx.delete(LOG, old)?;
        }
        let sub_key = format!("{}/{}", sub.workspace_id, sub.id);
        let Some(mut current) = get::<Subscription>(tx, SUBSCRIPTIONS, &sub_key)? else {
            return Ok(false);
        };
        let mut disabled_now = false;
        if ok {
            current.failures_in_a_row = 0;
        } else {
            current.failures_in_a_row += 1;
            if current.failures_in_a_row >= settings.disable_after && current.disabled_at.is_none()
            {
                current.disabled_at = Some(now);
                current.disabled_reason = attempt.error.clone();
                disabled_now = true;
            }
        }
        put(tx, SUBSCRIPTIONS, &sub_key, &current)?;
        Ok::<_, ServerError>(disabled_now)
    });
    match result {
        Ok(true) => {
            tracing::warn!(webhook = %sub.id, url = %sub.url, "webhook disabled after repeated failures");
            crate::http::audit::audit(
                state,
                &sub.workspace_id,
                "saha-server",
                saha_core::api::AuditAction::WebhookDisabled,
                &sub.url,
                "",
                format!(
                    "{} failed attempts in a row; last: {}",
                    settings.disable_after,
                    attempt.error.unwrap_or_default()
                ),
            );
        }
        Ok(false) => {}
        // The lease runs out and the delivery comes due again.
        Err(e) => tracing::error!(error = %e, "webhook outcome not recorded"),
    }
}

/// Checks the target again and posts; the receiver's status, or what went wrong.
async fn post(settings: &Settings, sub: &Subscription, delivery: &Delivery) -> Result<u16, String> {
    let url = target::parse(&sub.url).map_err(|e| e.to_string())?;
    let addr = target::resolve(&url, settings.allow_private)
        .await
        .map_err(|e| e.to_string())?;
    let host = url.host_str().unwrap_or_default().to_owned();
    // Connect to the address that was checked; follow no redirects.
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(&host, addr)
        .user_agent("Saha-Webhooks/1")
        .build()
        .map_err(|e| e.to_string())?;
    let timestamp = super::now() / 1000;
    let signature = signing::sign(&sub.secret, timestamp, delivery.body.as_bytes());
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("saha-delivery", &delivery.id)
        .header("saha-event", &delivery.event_type)
        .header(signing::SIGNATURE_HEADER, signature)
        .body(delivery.body.clone())
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                "no answer in time".to_owned()
            } else {
                format!("could not connect: {e}")
            }
        })?;
    Ok(response.status().as_u16())
}

/// Deliveries waiting in the queue (for tests and diagnostics).
pub fn queued(tables: &Tables) -> Result<usize, ServerError> {
    Ok(tables.read(|tx| tx.scan(QUEUE, "", None))?.len())
}

/// Runs the dispatcher for the state's configuration.
pub fn start(state: &AppState) -> Result<(), ServerError> {
    let watched = super::watched_workspaces(&state.hub.storage().tables())?;
    state.hub.watch_webhooks(watched);
    let settings = Settings {
        retry_base_ms: state.config.webhook_retry_base_ms,
        disable_after: state.config.webhook_disable_after,
        allow_private: state.config.webhook_allow_private,
        sla_check: Duration::from_secs(state.config.webhook_sla_check_seconds.max(1)),
    };
    tokio::spawn(run(state.clone(), settings));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        let s = Settings {
            retry_base_ms: 10_000,
            disable_after: 20,
            allow_private: false,
            sla_check: Duration::from_secs(60),
        };
        assert_eq!(backoff(&s, 1), 10_000);
        assert_eq!(backoff(&s, 2), 20_000);
        assert_eq!(backoff(&s, 4), 80_000);
        assert_eq!(backoff(&s, 11), 3_600_000);
        assert_eq!(queue_key(5, "x"), "00000000000000000005-x");
    }
}
