//! The retention policy's endpoints, for owners, admins and privacy officers (see
//! [`super::retention`]):
//!
//! - `GET /api/privacy/retention`: the policy and its schedule;
//! - `PUT /api/privacy/retention`: saves a policy (audited with its rules);
//! - `GET /api/privacy/retention/preview`: what a run now would erase;
//! - `GET /api/privacy/retention/runs`: the runs so far, newest first;
//! - `POST /api/privacy/retention/runs`: runs the policy now (audited with its counts).

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use saha_core::api::AuditAction;
use saha_core::privacy::retention::{Due, RetentionPolicy, RetentionRun, RetentionState, Rule};

use crate::directory::{User, now_ms};
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;
use crate::storage::DocumentStore;

fn handler_of(user: &User) -> Result<(), Failure> {
    if user.role.handles_privacy() {
        Ok(())
    } else {
        Err(Failure::forbidden())
    }
}

/// `GET /api/privacy/retention`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<RetentionState>> {
    handler_of(&auth.user)?;
    Ok(Json(super::retention::state(
        &state.hub.storage().tables(),
        &auth.user.workspace_id,
    )?))
}

/// `PUT /api/privacy/retention`.
pub async fn put(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(policy): Json<RetentionPolicy>,
) -> ApiResult<Json<RetentionState>> {
    handler_of(&auth.user)?;
    if let Err(e) = policy.check() {
        return Err(Failure::invalid(format!(
            "{}: rules keep 1 to {} months; runs are 1 to {} days apart",
            e.code(),
            saha_core::privacy::retention::MAX_MONTHS,
            saha_core::privacy::retention::MAX_INTERVAL_DAYS
        )));
    }
    let saved = super::retention::save(
        &state.hub.storage().tables(),
        &auth.user.workspace_id,
        &policy,
        now_ms(),
    )?;
    let rules: Vec<String> = Rule::ALL
        .iter()
        .map(|r| match policy.months(*r) {
            Some(m) => format!("{}={m}", r.code()),
            None => format!("{}=off", r.code()),
        })
        .collect();
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        AuditAction::RetentionPolicySaved,
        "",
        &ip(&state, &peer, &headers),
        format!("{}; every {} days", rules.join(", "), policy.interval_days),
    );
    Ok(Json(saved))
}

/// `GET /api/privacy/retention/preview`.
pub async fn preview(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<Due>>> {
    handler_of(&auth.user)?;
    Ok(Json(
        super::retention::preview(&state.hub, &auth.user.workspace_id, now_ms()).await?,
    ))
}

/// `GET /api/privacy/retention/runs`.
pub async fn runs(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<RetentionRun>>> {
    handler_of(&auth.user)?;
    Ok(Json(super::retention::runs(
        &state.hub.storage().tables(),
        &auth.user.workspace_id,
    )?))
}

/// `POST /api/privacy/retention/runs`.
pub async fn run(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> ApiResult<(StatusCode, Json<RetentionRun>)> {
    handler_of(&auth.user)?;
    let run = super::retention::run(
        &state.hub,
        &state.directory,
        &auth.user.workspace_id,
        &auth.user.email,
        now_ms(),
    )
    .await?;
    super::retention::audit(
        &state.directory,
        &auth.user.workspace_id,
        &auth.user.email,
        &ip(&state, &peer, &headers),
        &run,
    );
    Ok((StatusCode::CREATED, Json(run)))
}
