//! Settings → API: owners and admins create, list and revoke REST API tokens
//! (`/api/api-tokens`, the app's own API, session only). The secret is shown once, in
//! the answer that creates it; only its SHA-256 is stored.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use saha_core::api::{self, AuditAction};

use crate::directory::ApiToken;
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;
use crate::rest::caller::parse_scopes;

/// Longest token name.
const MAX_NAME_CHARS: usize = 100;

/// `scopes` checked and written the one way they are stored; the first that is not a
/// scope is the error.
pub fn checked_scopes(scopes: &[String]) -> Result<Vec<String>, String> {
    let mut parsed: Vec<String> = parse_scopes(scopes)?
        .iter()
        .map(ToString::to_string)
        .collect();
    parsed.sort();
    parsed.dedup();
    Ok(parsed)
}

fn to_api(state: &AppState, token: &ApiToken, secret: Option<String>) -> api::ApiToken {
    let user_name = state
        .directory
        .user(&token.user_id)
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_default();
    api::ApiToken {
        id: token.id.clone(),
        name: token.name.clone(),
        scopes: token.scopes.clone(),
        user_id: token.user_id.clone(),
        user_name,
        created_at: token.created_at,
        last_used_at: token.last_used_at,
        secret,
    }
}

/// `GET /api/api-tokens`: the workspace's live tokens.
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<api::ApiToken>>> {
    auth.require_admin()?;
    let tokens = state.directory.api_tokens(&auth.user.workspace_id)?;
    Ok(Json(
        tokens.iter().map(|t| to_api(&state, t, None)).collect(),
    ))
}

/// `POST /api/api-tokens`: a new token acting as the caller or another active member
/// (an integration's own member); the answer holds the secret.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<api::NewApiToken>,
) -> ApiResult<(StatusCode, Json<api::ApiToken>)> {
    auth.require_admin()?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Failure::invalid(format!(
            "a token needs a name of 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    if body.scopes.is_empty() {
        return Err(Failure::invalid("a token needs at least one scope"));
    }
    let scopes = checked_scopes(&body.scopes).map_err(|bad| {
        Failure::invalid(format!(
            "{bad:?} is not a scope (section:read or section:write)"
        ))
    })?;
    let member = match body.user_id.as_deref() {
        None => auth.user.clone(),
        Some(id) if id == auth.user.id => auth.user.clone(),
        Some(id) => state
            .directory
            .user(id)?
            .filter(|u| u.workspace_id == auth.user.workspace_id && !u.disabled)
            .ok_or_else(|| Failure::invalid("the token's member is not an active member"))?,
    };
    let (secret, token) = state.directory.create_api_token(&member, name, scopes)?;
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        AuditAction::ApiTokenCreated,
        &token.name,
        &ip(&state, &peer, &headers),
        format!("acts as {}: {}", member.email, token.scopes.join(" ")),
    );
    Ok((
        StatusCode::CREATED,
        Json(to_api(&state, &token, Some(secret))),
    ))
}

/// `DELETE /api/api-tokens/{id}`: the token stops working at once.
pub async fn revoke(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    let token = state
        .directory
        .revoke_api_token(&auth.user.workspace_id, &id)?
        .ok_or_else(Failure::not_found)?;
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        AuditAction::ApiTokenRevoked,
        &token.name,
        &ip(&state, &peer, &headers),
        String::new(),
    );
    Ok(StatusCode::NO_CONTENT)
}
