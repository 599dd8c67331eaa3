//! Settings → API's webhook endpoints (owners and admins, session only):
//! `GET/POST /api/webhooks`, `DELETE /api/webhooks/{id}`,
//! `POST /api/webhooks/{id}/enable` and `GET /api/webhooks/{id}/attempts`.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use saha_core::api::{self, AuditAction};

use super::{Subscription, target};
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;
use crate::storage::DocumentStore;

/// Subscriptions a workspace may have.
const MAX_SUBSCRIPTIONS: usize = 25;
/// Longest target URL.
const MAX_URL: usize = 2_000;

/// `GET /api/webhooks`.
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<api::Webhook>>> {
    auth.require_admin()?;
    let subs = super::subscriptions(&state.hub.storage().tables(), &auth.user.workspace_id)?;
    Ok(Json(subs.iter().map(Subscription::to_api).collect()))
}

/// `POST /api/webhooks`: checks the target (no private or local addresses unless the
/// operator allows them) and the event types.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<api::NewWebhook>,
) -> ApiResult<(StatusCode, Json<api::Webhook>)> {
    auth.require_admin()?;
    if body.url.len() > MAX_URL {
        return Err(Failure::invalid(format!(
            "the URL is longer than {MAX_URL} characters"
        )));
    }
    let url =
        target::parse(&body.url).map_err(|e| Failure::invalid(format!("target refused: {e}")))?;
    target::resolve(&url, state.config.webhook_allow_private)
        .await
        .map_err(|e| Failure::invalid(format!("target refused: {e}")))?;
    let known = super::events::all_types();
    let mut events: Vec<String> = body.events.iter().map(|e| e.trim().to_owned()).collect();
    events.sort();
    events.dedup();
    if events.is_empty() {
        return Err(Failure::invalid("choose at least one event"));
    }
    if let Some(bad) = events.iter().find(|e| *e != "*" && !known.contains(e)) {
        return Err(Failure::invalid(format!("{bad:?} is not an event type")));
    }
    let tables = state.hub.storage().tables();
    if super::subscriptions(&tables, &auth.user.workspace_id)?.len() >= MAX_SUBSCRIPTIONS {
        return Err(Failure::invalid(format!(
            "a workspace has at most {MAX_SUBSCRIPTIONS} webhooks"
        )));
    }
    let sub = Subscription {
        id: super::new_id(),
        workspace_id: auth.user.workspace_id.clone(),
        url: url.to_string(),
        events,
        secret: super::new_secret()?,
        created_by: auth.user.id.clone(),
        created_at: super::now(),
        disabled_at: None,
        disabled_reason: None,
        failures_in_a_row: 0,
    };
    super::add(&tables, &sub)?;
    state.hub.watch_workspace(&sub.workspace_id, true);
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        AuditAction::WebhookCreated,
        &sub.url,
        &ip(&state, &peer, &headers),
        sub.events.join(" "),
    );
    Ok((StatusCode::CREATED, Json(sub.to_api())))
}

/// `DELETE /api/webhooks/{id}`.
pub async fn remove(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    let tables = state.hub.storage().tables();
    let workspace = &auth.user.workspace_id;
    if !super::remove(&tables, workspace, &id)? {
        return Err(Failure::not_found());
    }
    if super::subscriptions(&tables, workspace)?.is_empty() {
        state.hub.watch_workspace(workspace, false);
    }
    audit(
        &state,
        workspace,
        &auth.user.email,
        AuditAction::WebhookDeleted,
        &id,
        &ip(&state, &peer, &headers),
        String::new(),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/webhooks/{id}/enable`: sending resumes, with the deliveries that waited.
pub async fn enable(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    let tables = state.hub.storage().tables();
    if !super::enable(&tables, &auth.user.workspace_id, &id)? {
        return Err(Failure::not_found());
    }
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        AuditAction::WebhookEnabled,
        &id,
        &ip(&state, &peer, &headers),
        String::new(),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/webhooks/{id}/attempts`: the delivery log, newest first.
pub async fn attempts(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<api::WebhookAttempt>>> {
    auth.require_admin()?;
    let tables = state.hub.storage().tables();
    let ours = super::subscriptions(&tables, &auth.user.workspace_id)?
        .iter()
        .any(|s| s.id == id);
    if !ours {
        return Err(Failure::not_found());
    }
    Ok(Json(super::attempts(&tables, &id, 100)?))
}
