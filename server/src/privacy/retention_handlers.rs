//! The retention policy's endpoints, for owners, admins and privacy officers (see
//! [`super::retention`]), in the app's API (session) and in the REST API (a token with
//! `privacy:read` / `privacy:write`, or the session; RFC 9457 problem details):
//!
//! - `GET /api/privacy/retention`, `GET /api/v1/privacy/retention`: the policy and
//!   its schedule;
//! - `PUT` of both: saves a policy (audited with its rules);
//! - `GET /api/privacy/retention/preview`, `GET /api/v1/privacy/retention/preview`:
//!   what a run now would erase;
//! - `GET /api/privacy/retention/runs`, `GET /api/v1/privacy/retention/runs`: the runs
//!   so far, newest first;
//! - `POST` of both: runs the policy now (audited with its counts).
//!
//! Both surfaces call the same functions; only the caller and the wording of a
//! refusal differ.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use saha_core::api::{ApiErrorCode, AuditAction};
use saha_core::privacy::SCOPE;
use saha_core::privacy::retention::{
    Due, MAX_INTERVAL_DAYS, MAX_MONTHS, RetentionPolicy, RetentionRun, RetentionState, Rule,
};

use crate::directory::{User, now_ms};
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;
use crate::rest::caller::Caller;
use crate::rest::problem::{FieldError, Problem, RestResult};
use crate::rest::records::body_of;
use crate::storage::DocumentStore;

/// Why a retention request was refused, before it is worded for the app or the API.
enum Refused {
    Forbidden,
    /// The policy's fields that are out of range.
    Invalid(RetentionPolicy),
    Failed(crate::ServerError),
}

impl From<crate::ServerError> for Refused {
    fn from(e: crate::ServerError) -> Refused {
        Refused::Failed(e)
    }
}

/// What the ranges are, for a refused policy.
fn ranges() -> String {
    format!("rules keep 1 to {MAX_MONTHS} months; runs are 1 to {MAX_INTERVAL_DAYS} days apart")
}

impl From<Refused> for Failure {
    fn from(refused: Refused) -> Failure {
        match refused {
            Refused::Forbidden => Failure::forbidden(),
            Refused::Invalid(policy) => {
                let codes: Vec<&str> = policy
                    .field_errors()
                    .iter()
                    .map(|(_, e)| e.code())
                    .collect();
                Failure::invalid(format!("{}: {}", codes.join(", "), ranges()))
            }
            Refused::Failed(e) => e.into(),
        }
    }
}

impl From<Refused> for Problem {
    fn from(refused: Refused) -> Problem {
        match refused {
            Refused::Invalid(policy) => Problem::fields(
                ApiErrorCode::ValidationFailed,
                ranges(),
                policy
                    .field_errors()
                    .into_iter()
                    .map(|(field, e)| FieldError {
                        field: field.to_owned(),
                        code: e.code().to_owned(),
                    })
                    .collect(),
            ),
            other => Failure::from(other).into(),
        }
    }
}

fn handler_of(user: &User) -> Result<(), Refused> {
    if user.role.handles_privacy() {
        Ok(())
    } else {
        Err(Refused::Forbidden)
    }
}

fn state_of(state: &AppState, user: &User) -> Result<RetentionState, Refused> {
    handler_of(user)?;
    Ok(super::retention::state(
        &state.hub.storage().tables(),
        &user.workspace_id,
    )?)
}

fn save_policy(
    state: &AppState,
    user: &User,
    actor: &str,
    ip: &str,
    policy: &RetentionPolicy,
) -> Result<RetentionState, Refused> {
    handler_of(user)?;
    if policy.check().is_err() {
        return Err(Refused::Invalid(policy.clone()));
    }
    let saved = super::retention::save(
        &state.hub.storage().tables(),
        &user.workspace_id,
        policy,
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
        state,
        &user.workspace_id,
        actor,
        AuditAction::RetentionPolicySaved,
        "",
        ip,
        format!("{}; every {} days", rules.join(", "), policy.interval_days),
    );
    Ok(saved)
}

async fn preview_of(state: &AppState, user: &User) -> Result<Vec<Due>, Refused> {
    handler_of(user)?;
    Ok(super::retention::preview(&state.hub, &user.workspace_id, now_ms()).await?)
}

fn runs_of(state: &AppState, user: &User) -> Result<Vec<RetentionRun>, Refused> {
    handler_of(user)?;
    Ok(super::retention::runs(
        &state.hub.storage().tables(),
        &user.workspace_id,
    )?)
}

async fn run_now(
    state: &AppState,
    user: &User,
    actor: &str,
    ip: &str,
) -> Result<RetentionRun, Refused> {
    handler_of(user)?;
    let run = super::retention::run(
        &state.hub,
        &state.directory,
        &state.blobs,
        &user.workspace_id,
        actor,
        now_ms(),
    )
    .await?;
    super::retention::audit(&state.directory, &user.workspace_id, actor, ip, &run);
    Ok(run)
}

// ---- the app's endpoints ------------------------------------------------------------

/// `GET /api/privacy/retention`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<RetentionState>> {
    Ok(Json(state_of(&state, &auth.user)?))
}

/// `PUT /api/privacy/retention`.
pub async fn put(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(policy): Json<RetentionPolicy>,
) -> ApiResult<Json<RetentionState>> {
    let ip = ip(&state, &peer, &headers);
    Ok(Json(save_policy(
        &state,
        &auth.user,
        &auth.user.email,
        &ip,
        &policy,
    )?))
}

/// `GET /api/privacy/retention/preview`.
pub async fn preview(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<Due>>> {
    Ok(Json(preview_of(&state, &auth.user).await?))
}

/// `GET /api/privacy/retention/runs`.
pub async fn runs(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<RetentionRun>>> {
    Ok(Json(runs_of(&state, &auth.user)?))
}

/// `POST /api/privacy/retention/runs`.
pub async fn run(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> ApiResult<(StatusCode, Json<RetentionRun>)> {
    let ip = ip(&state, &peer, &headers);
    let run = run_now(&state, &auth.user, &auth.user.email, &ip).await?;
    Ok((StatusCode::CREATED, Json(run)))
}

// ---- the REST API's endpoints -------------------------------------------------------

/// `GET /api/v1/privacy/retention`.
pub async fn rest_get(
    State(state): State<AppState>,
    caller: Caller,
) -> RestResult<Json<RetentionState>> {
    caller.require_exactly(SCOPE, false)?;
    Ok(Json(state_of(&state, &caller.user)?))
}

/// `PUT /api/v1/privacy/retention`.
pub async fn rest_put(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<RetentionPolicy>, JsonRejection>,
) -> RestResult<Json<RetentionState>> {
    caller.require_exactly(SCOPE, true)?;
    let policy = body_of(body)?;
    let ip = ip(&state, &peer, &headers);
    Ok(Json(save_policy(
        &state,
        &caller.user,
        &caller.actor(),
        &ip,
        &policy,
    )?))
}

/// `GET /api/v1/privacy/retention/preview`: `{ "data": [...] }`.
pub async fn rest_preview(
    State(state): State<AppState>,
    caller: Caller,
) -> RestResult<Json<serde_json::Value>> {
    caller.require_exactly(SCOPE, false)?;
    let due = preview_of(&state, &caller.user).await?;
    Ok(Json(serde_json::json!({ "data": due })))
}

/// `GET /api/v1/privacy/retention/runs`: `{ "data": [...] }`, newest first.
pub async fn rest_runs(
    State(state): State<AppState>,
    caller: Caller,
) -> RestResult<Json<serde_json::Value>> {
    caller.require_exactly(SCOPE, false)?;
    let runs = runs_of(&state, &caller.user)?;
    Ok(Json(serde_json::json!({ "data": runs })))
}

/// `POST /api/v1/privacy/retention/runs`: runs the policy now; the run.
pub async fn rest_run(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> RestResult<(StatusCode, Json<RetentionRun>)> {
    caller.require_exactly(SCOPE, true)?;
    let ip = ip(&state, &peer, &headers);
    let run = run_now(&state, &caller.user, &caller.actor(), &ip).await?;
    Ok((StatusCode::CREATED, Json(run)))
}
