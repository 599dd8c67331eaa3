//! Webhooks: other systems hear about record changes, signed, at least once.
//!
//! The path of one change: the hub stores it and, in the same transaction, raises an
//! event ([`events`]) if the workspace has subscriptions; the dispatcher ([`dispatch`])
//! turns each event into one delivery per matching subscription and event type (a
//! durable queue in the server's tables), posts it ([`signing`] puts an HMAC-SHA256
//! signature over timestamp and body in `Saha-Signature`), retries failures with
//! exponential backoff, logs every attempt, and disables a subscription that keeps
//! failing (its owner sees why in Settings → API and in the audit log). A delivery keeps
//! one ID across retries (`Saha-Delivery`, the receiver's idempotency key) and stays in
//! the queue until a `2xx` answer, so a server restart loses none. Targets are checked
//! against server-side request forgery ([`target`]). Case SLA warnings and breaches
//! come from the clock, not from a change: [`sla`] raises them.

pub mod dispatch;
pub mod events;
pub mod handlers;
pub mod signing;
pub mod sla;
pub mod target;

use serde::{Deserialize, Serialize};

use crate::ServerError;
use crate::directory::now_ms;
use crate::storage::{TableTx, Tables};

/// Subscriptions, keyed `workspace/id`.
pub const SUBSCRIPTIONS: &str = "webhooks";
/// Deliveries waiting to be sent, keyed `due (ms, 20 digits)-delivery id`.
pub const QUEUE: &str = "webhook_queue";
/// Every attempt, keyed `subscription id/time-attempt id`.
pub const LOG: &str = "webhook_log";
/// Attempts kept in the log per subscription.
pub const LOG_KEPT: usize = 200;

/// A subscription: where to post which events, with the secret that signs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub workspace_id: String,
    pub url: String,
    /// Event types (`invoice.paid`, `account.created`), or `*` for all.
    pub events: Vec<String>,
    /// The HMAC key (`whsec_…`), shown to owners and admins.
    pub secret: String,
    pub created_by: String,
    pub created_at: i64,
    /// Set when it kept failing (or an admin paused it); nothing is sent until enabled.
    pub disabled_at: Option<i64>,
    pub disabled_reason: Option<String>,
    /// Failed attempts since the last success.
    pub failures_in_a_row: u32,
}

impl Subscription {
    pub fn to_api(&self) -> saha_core::api::Webhook {
        saha_core::api::Webhook {
            id: self.id.clone(),
            url: self.url.clone(),
            events: self.events.clone(),
            secret: self.secret.clone(),
            created_at: self.created_at,
            disabled_at: self.disabled_at,
            disabled_reason: self.disabled_reason.clone(),
            failures_in_a_row: self.failures_in_a_row,
        }
    }

    pub fn wants(&self, event_type: &str) -> bool {
        self.disabled_at.is_none() && self.events.iter().any(|e| e == "*" || e == event_type)
    }
}

/// A delivery in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The same on every retry: the receiver's idempotency key.
    pub id: String,
    pub subscription: String,
    pub workspace_id: String,
    pub event_type: String,
    /// The JSON body, fixed when the event was raised.
    pub body: String,
    /// Attempts made so far.
    pub attempts: u32,
}

/// One attempt, as Settings → API shows it.
pub use saha_core::api::WebhookAttempt as Attempt;

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("webhook JSON: {e}"))
}

fn get<T: for<'de> Deserialize<'de>>(
    tx: &mut dyn TableTx,
    table: &str,
    key: &str,
) -> Result<Option<T>, ServerError> {
    tx.get(table, key)?
        .map(|v| serde_json::from_slice(&v).map_err(json_error))
        .transpose()
}

fn put<T: Serialize>(
    tx: &mut dyn TableTx,
    table: &str,
    key: &str,
    value: &T,
) -> Result<(), ServerError> {
    tx.put(table, key, &serde_json::to_vec(value).map_err(json_error)?)
}

fn subscription_key(workspace: &str, id: &str) -> String {
    format!("{workspace}/{id}")
}

/// The workspace's subscriptions, oldest first.
pub fn subscriptions(tables: &Tables, workspace: &str) -> Result<Vec<Subscription>, ServerError> {
    let prefix = format!("{workspace}/");
    let end = format!("{workspace}0");
    let mut list: Vec<Subscription> = tables.read(|tx| {
        tx.scan(SUBSCRIPTIONS, &prefix, Some(&end))?
            .into_iter()
            .map(|(_, v)| serde_json::from_slice(&v).map_err(json_error))
            .collect::<Result<Vec<Subscription>, ServerError>>()
    })?;
    list.sort_by_key(|s| s.created_at);
    Ok(list)
}

/// Every workspace with at least one subscription (the hub raises events only there).
pub fn watched_workspaces(
    tables: &Tables,
) -> Result<std::collections::HashSet<String>, ServerError> {
    tables.read(|tx| {
        Ok(tx
            .scan(SUBSCRIPTIONS, "", None)?
            .into_iter()
            .filter_map(|(k, _)| k.split_once('/').map(|(w, _)| w.to_owned()))
            .collect())
    })
}

/// Stores a new subscription.
pub fn add(tables: &Tables, subscription: &Subscription) -> Result<(), ServerError> {
    let key = subscription_key(&subscription.workspace_id, &subscription.id);
    tables.write(|tx| put(tx, SUBSCRIPTIONS, &key, subscription))
}

/// Removes subscription `id`; its queued deliveries are dropped when they come due.
pub fn remove(tables: &Tables, workspace: &str, id: &str) -> Result<bool, ServerError> {
    let key = subscription_key(workspace, id);
    tables.write(|tx| tx.delete(SUBSCRIPTIONS, &key))
}

/// Turns subscription `id` back on after it was disabled; the deliveries that waited
/// meanwhile come due at once.
pub fn enable(tables: &Tables, workspace: &str, id: &str) -> Result<bool, ServerError> {
    let key = subscription_key(workspace, id);
    let now = now_ms();
    tables.write(|tx| {
        let Some(mut sub) = get::<Subscription>(tx, SUBSCRIPTIONS, &key)? else {
            return Ok(false);
        };
        sub.disabled_at = None;
        sub.disabled_reason = None;
        sub.failures_in_a_row = 0;
        put(tx, SUBSCRIPTIONS, &key, &sub)?;
        for (queued, value) in tx.scan(QUEUE, "", None)? {
            let Ok(delivery) = serde_json::from_slice::<Delivery>(&value) else {
                continue;
            };
            if delivery.subscription == id && delivery.workspace_id == workspace {
                tx.delete(QUEUE, &queued)?;
                tx.put(QUEUE, &format!("{now:020}-{}", delivery.id), &value)?;
            }
        }
        Ok(true)
    })
}

/// The latest attempts of subscription `id`, newest first.
pub fn attempts(tables: &Tables, id: &str, limit: usize) -> Result<Vec<Attempt>, ServerError> {
    let (from, to) = (format!("{id}/"), format!("{id}0"));
    tables.read(|tx| {
        tx.scan_last(LOG, &from, &to, limit)?
            .into_iter()
            .map(|(_, v)| serde_json::from_slice(&v).map_err(json_error))
            .collect()
    })
}

/// A new signing secret.
pub fn new_secret() -> Result<String, ServerError> {
    Ok(format!("whsec_{}", crate::directory::random_token()?))
}

/// A new subscription's ID.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Milliseconds now, for the dispatcher and tests.
pub fn now() -> i64 {
    now_ms()
}
