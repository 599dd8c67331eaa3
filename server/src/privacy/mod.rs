//! The workspace's log of data-subject requests (KVKK Art. 11 and 13), kept in the
//! server's tables: who asked for what, through which channel, the 30-day deadline,
//! what they were told and the evidence ([`saha_core::privacy::request`]).
//!
//! The log is not a synced document on purpose: it names the person, so it must be
//! possible to remove or anonymise an entry completely, and it must survive — and
//! never be brought back by a stale device — when the records it is about are erased.
//! Owners, admins and privacy officers read and change it ([`handlers`]), in the app
//! (`/api/privacy/requests`) and through the REST API (`/api/v1/privacy/requests`,
//! with a `privacy:read` / `privacy:write` token). Every change is audited without the
//! person's name.
//!
//! Beside the log: [`erasure`] (erasing a person on the server) and [`retention`] (the
//! retention policy, its scheduled runs and their log; endpoints in
//! [`retention_handlers`]).

pub mod erasure;
pub mod handlers;
pub mod retention;
pub mod retention_handlers;

use saha_core::privacy::request::{PrivacyRequest, RequestInput, today};

use crate::ServerError;
use crate::storage::Tables;

/// Requests by `workspace/ID`.
pub const REQUESTS: &str = "privacy_requests";
/// Requests a workspace may hold (a large company gets a few hundred a year; every new one counts them).
pub const MAX_REQUESTS: usize = 10_000;

fn key(workspace: &str, id: &str) -> String {
    format!("{workspace}/{id}")
}

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("privacy request JSON: {e}"))
}

/// The key range `[from, to)` holding exactly `workspace`'s requests ('0' is the byte
/// after '/').
fn workspace_range(workspace: &str) -> (String, String) {
    (format!("{workspace}/"), format!("{workspace}0"))
}

/// The workspace's requests: open ones first, soonest due first; then closed ones,
/// last closed first.
pub fn list(tables: &Tables, workspace: &str) -> Result<Vec<PrivacyRequest>, ServerError> {
    let (from, to) = workspace_range(workspace);
    let mut requests = tables.read(|tx| {
        tx.scan(REQUESTS, &from, Some(&to))?
            .into_iter()
            .map(|(_, v)| serde_json::from_slice::<PrivacyRequest>(&v).map_err(json_error))
            .collect::<Result<Vec<_>, _>>()
    })?;
    requests.sort_by(|a, b| {
        let closed = |r: &PrivacyRequest| r.status.is_closed();
        closed(a)
            .cmp(&closed(b))
            .then_with(|| {
                if a.status.is_closed() {
                    b.closed_on.cmp(&a.closed_on)
                } else {
                    a.due_on.cmp(&b.due_on)
                }
            })
            .then_with(|| a.created_at.cmp(&b.created_at))
    });
    Ok(requests)
}

/// Request `id` of `workspace`.
pub fn get(
    tables: &Tables,
    workspace: &str,
    id: &str,
) -> Result<Option<PrivacyRequest>, ServerError> {
    let key = key(workspace, id);
    tables.read(|tx| {
        tx.get(REQUESTS, &key)?
            .map(|v| serde_json::from_slice(&v).map_err(json_error))
            .transpose()
    })
}

/// Logs a new request (its input already checked); `None` when the workspace holds
/// [`MAX_REQUESTS`] already.
pub fn log(
    tables: &Tables,
    workspace: &str,
    input: &RequestInput,
    by: &str,
    now: i64,
) -> Result<Option<PrivacyRequest>, ServerError> {
    let request = PrivacyRequest::new(crate::directory::new_id(), input, by, now, today(now));
    let bytes = serde_json::to_vec(&request).map_err(json_error)?;
    let key = key(workspace, &request.id);
    let (from, to) = workspace_range(workspace);
    let stored = tables.write(|tx| {
        if tx.scan(REQUESTS, &from, Some(&to))?.len() >= MAX_REQUESTS {
            return Ok(false);
        }
        tx.put(REQUESTS, &key, &bytes)?;
        Ok::<_, ServerError>(true)
    })?;
    Ok(stored.then_some(request))
}

/// Changes request `id` of `workspace` to what `input` says (already checked); `None`
/// if there is no such request.
pub fn change(
    tables: &Tables,
    workspace: &str,
    id: &str,
    input: &RequestInput,
    by: &str,
    now: i64,
) -> Result<Option<PrivacyRequest>, ServerError> {
    let key = key(workspace, id);
    tables.write(|tx| {
        let Some(bytes) = tx.get(REQUESTS, &key)? else {
            return Ok(None);
        };
        let mut request: PrivacyRequest = serde_json::from_slice(&bytes).map_err(json_error)?;
        request.apply(input, by, now, today(now));
        tx.put(
            REQUESTS,
            &key,
            &serde_json::to_vec(&request).map_err(json_error)?,
        )?;
        Ok(Some(request))
    })
}
