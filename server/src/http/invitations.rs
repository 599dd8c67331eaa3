//! Invitations: admins invite by link (optionally for one email address), revoke them;
//! the invited person previews and accepts one.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use saha_core::api::{self, ApiErrorCode};

use crate::directory::{self, Invitation, User, Workspace, new_id, now_ms, token_hash};
use crate::http::audit::audit;
use crate::http::auth::{
    Authenticated, check_email, check_name, check_password, hash_off_thread, ip, signed_in,
};
use crate::http::failure::{ApiResult, Failure};
use crate::http::members::check_teams;
use crate::http::state::AppState;

/// Where invitation links point: the public URL, or the origin the admin used.
pub(crate) fn app_base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(public) = &state.config.public_url {
        return public.trim_end_matches('/').to_owned();
    }
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => format!("http://{host}"),
        None => String::new(),
    }
}

pub async fn invitations(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<api::Invitation>>> {
    auth.require_admin()?;
    Ok(Json(
        state
            .directory
            .invitations(&auth.user.workspace_id)?
            .iter()
            .map(|i| i.to_api(None))
            .collect(),
    ))
}

pub async fn invite(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Authenticated,
    Json(body): Json<api::NewInvitation>,
) -> ApiResult<(StatusCode, Json<api::Invitation>)> {
    auth.require_admin()?;
    if !auth.user.role.may_grant(body.role) {
        return Err(Failure::forbidden());
    }
    if !(1..=720).contains(&body.expires_in_hours) {
        return Err(Failure::invalid("invitations last 1 to 720 hours"));
    }
    let email = match body.email.as_deref().map(str::trim) {
        Some("") | None => None,
        Some(e) => Some(check_email(e)?),
    };
    let teams = check_teams(&state, &auth.user.workspace_id, &body.teams)?;
    let token = directory::random_token()?;
    let now = now_ms();
    let invitation = Invitation {
        id: new_id(),
        token_hash: token_hash(&token),
        workspace_id: auth.user.workspace_id.clone(),
        email,
        role: body.role,
        teams,
        department: body.department,
        created_by: auth.user.email.clone(),
        created_at: now,
        expires_at: now + i64::from(body.expires_in_hours) * 3_600_000,
        revoked: false,
        accepted_by: None,
    };
    state.directory.add_invitation(&invitation)?;
    audit(
        &state,
        &invitation.workspace_id,
        &auth.user.email,
        saha_core::api::AuditAction::InvitationCreated,
        invitation.email.as_deref().unwrap_or("(link)"),
        &ip(&state, &peer, &headers),
        format!(
            "role {}, {} h",
            invitation.role.code(),
            body.expires_in_hours
        ),
    );
    let link = format!("{}/invite/{token}", app_base(&state, &headers));
    Ok((StatusCode::CREATED, Json(invitation.to_api(Some(link)))))
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Authenticated,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    let mut invitation = state
        .directory
        .invitation(&id)?
        .filter(|i| i.workspace_id == auth.user.workspace_id)
        .ok_or_else(Failure::not_found)?;
    invitation.revoked = true;
    state.directory.save_invitation(&invitation)?;
    audit(
        &state,
        &invitation.workspace_id,
        &auth.user.email,
        saha_core::api::AuditAction::InvitationRevoked,
        invitation.email.as_deref().unwrap_or("(link)"),
        &ip(&state, &peer, &headers),
        String::new(),
    );
    Ok(StatusCode::NO_CONTENT)
}

fn usable_invitation(state: &AppState, token: &str) -> ApiResult<(Invitation, Workspace)> {
    let invitation = state
        .directory
        .invitation_by_token(token)?
        .filter(|i| i.usable(now_ms()))
        .ok_or_else(|| {
            Failure::new(
                StatusCode::NOT_FOUND,
                ApiErrorCode::InvitationInvalid,
                "this invitation link is not valid any more",
            )
        })?;
    let workspace = state
        .directory
        .workspace(&invitation.workspace_id)?
        .ok_or_else(Failure::not_found)?;
    Ok((invitation, workspace))
}

pub async fn invitation_preview(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<api::InvitationPreview>> {
    let (invitation, workspace) = usable_invitation(&state, &token)?;
    Ok(Json(api::InvitationPreview {
        workspace_name: workspace.name,
        email: invitation.email,
        role: invitation.role,
        expires_at: invitation.expires_at,
    }))
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Json(body): Json<api::AcceptInvitation>,
) -> ApiResult<Response> {
    let (invitation, _) = usable_invitation(&state, &token)?;
    let name = check_name(&body.name, "your name")?;
    let email = check_email(&body.email)?;
    if invitation.email.as_ref().is_some_and(|e| *e != email) {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            ApiErrorCode::EmailMismatch,
            "this invitation is for another email address",
        ));
    }
    check_password(&body.password)?;
    let user = User {
        id: new_id(),
        workspace_id: invitation.workspace_id.clone(),
        email,
        name,
        password_hash: hash_off_thread(body.password).await?,
        role: invitation.role,
        teams: invitation.teams.clone(),
        department: invitation.department,
        disabled: false,
        created_at: now_ms(),
        last_login_at: None,
    };
    state.directory.accept_invitation(&invitation.id, &user)?;
    audit(
        &state,
        &user.workspace_id,
        &user.email,
        saha_core::api::AuditAction::InvitationAccepted,
        &user.email,
        &ip(&state, &peer, &headers),
        format!(
            "role {} (invited by {})",
            user.role.code(),
            invitation.created_by
        ),
    );
    signed_in(&state, StatusCode::CREATED, &user)
}
