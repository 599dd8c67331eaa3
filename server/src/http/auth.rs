//! Who is asking: the session cookie ([`Authenticated`]), the Origin check, login,
//! logout, the signed-in member and password changes. Nothing says whether an email
//! address exists; failed logins are slowed by [`crate::throttle::LoginThrottle`].

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::api::{self, ApiErrorCode, Me};

use crate::directory::{
    Session, Team, User, decoy_hash, email_key, hash_password, token_hash, verify_password,
};
use crate::http::audit::audit;
use crate::http::failure::{ApiResult, Failure};
use crate::http::security::{
    cleared_cookie, client_ip, origin_allowed, session_cookie, session_token,
};
use crate::http::state::AppState;
use crate::sync::hub::Revocation;

/// The signed-in member of a request (from the session cookie).
pub struct Authenticated {
    pub user: User,
    pub session: Session,
    pub session_hash: String,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = session_token(&parts.headers).ok_or_else(Failure::unauthorized)?;
        let hash = token_hash(&token);
        match state.directory.session(&hash)? {
            Some((session, user)) => Ok(Authenticated {
                user,
                session,
                session_hash: hash,
            }),
            None => Err(Failure::unauthorized()),
        }
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for Authenticated {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Option<Self>> {
        match <Authenticated as FromRequestParts<AppState>>::from_request_parts(parts, state).await
        {
            Ok(auth) => Ok(Some(auth)),
            Err(f) if f.status == StatusCode::UNAUTHORIZED => Ok(None),
            Err(f) => Err(f),
        }
    }
}

impl Authenticated {
    pub(crate) fn require_admin(&self) -> ApiResult<()> {
        if self.user.role.administers() {
            Ok(())
        } else {
            Err(Failure::forbidden())
        }
    }
}

/// Middleware check for state-changing API calls: a browser request from another
/// origin is refused (with SameSite cookies, the second line of CSRF defence).
pub fn check_origin(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    if origin_allowed(&state.config, headers) {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            ApiErrorCode::BadOrigin,
            "requests from this origin are not allowed",
        ))
    }
}

pub(crate) fn ip(state: &AppState, peer: &ConnectInfo<SocketAddr>, headers: &HeaderMap) -> String {
    client_ip(&state.config, Some(peer.0), headers)
}

fn session_lifetime_ms(state: &AppState) -> i64 {
    i64::from(state.config.session_hours) * 3_600_000
}

/// What the app needs about the signed-in member.
pub(crate) fn me(state: &AppState, user: &User, session: &Session) -> ApiResult<Me> {
    let workspace = state
        .directory
        .workspace(&user.workspace_id)?
        .ok_or_else(|| Failure::internal("member of a missing workspace"))?;
    let index: saha_core::DocumentId = workspace.index_id.parse().map_err(Failure::internal)?;
    Ok(Me {
        user_id: user.id.clone(),
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role,
        teams: user.teams.clone(),
        department: user.department,
        workspace_id: workspace.id.clone(),
        workspace_name: workspace.name.clone(),
        index_url: index.url().to_string(),
        session_expires_at: session.expires_at,
        workspace_teams: state
            .directory
            .teams(&workspace.id)?
            .iter()
            .map(Team::to_api)
            .collect(),
        people: state
            .directory
            .members(&workspace.id)?
            .into_iter()
            .map(|u| api::Person {
                id: u.id,
                name: u.name,
            })
            .collect(),
        attachments: api::AttachmentLimits {
            max_bytes: state.blobs.max_bytes,
            photo_max_edge: state.config.photo_max_edge,
        },
    })
}

/// Answers with the member's [`Me`] and a new session cookie. The member is read
/// again as the session is created: one disabled meanwhile gets `401`.
pub(crate) fn signed_in(state: &AppState, status: StatusCode, user: &User) -> ApiResult<Response> {
    let (token, session, user) = state
        .directory
        .create_session(&user.id, session_lifetime_ms(state))?;
    let body = me(state, &user, &session)?;
    let max_age = u64::from(state.config.session_hours) * 3600;
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&token, max_age, state.config.is_https()),
    );
    Ok(response)
}

pub(crate) async fn hash_off_thread(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(Failure::internal)?
        .map_err(Failure::internal)
}

async fn verify_off_thread(password: String, hash: String) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(Failure::internal)
}

pub(crate) fn check_name(name: &str, what: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Failure::invalid(format!(
            "{what} must be 1 to 120 characters"
        )));
    }
    Ok(name.to_owned())
}

pub(crate) fn check_email(email: &str) -> ApiResult<String> {
    match saha_core::text::validate::email(email) {
        Ok(e) if !e.is_empty() => Ok(email_key(&e)),
        _ => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            ApiErrorCode::InvalidEmail,
            "that is not an email address",
        )),
    }
}

pub(crate) fn check_password(password: &str) -> ApiResult<()> {
    api::check_new_password(password).map_err(|code| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            code,
            format!(
                "passwords have {} to {} characters",
                api::MIN_PASSWORD_CHARS,
                api::MAX_PASSWORD_CHARS
            ),
        )
    })
}

pub async fn login(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<api::LoginRequest>,
) -> ApiResult<Response> {
    let email = email_key(&body.email);
    let ip = ip(&state, &peer, &headers);
    let attempt = match state.login_throttle.begin(&email, &ip) {
        Ok(attempt) => attempt,
        Err(wait) => {
            let user = state.directory.user_by_email(&email)?;
            if let Some(user) = &user {
                audit(
                    &state,
                    &user.workspace_id,
                    &email,
                    saha_core::api::AuditAction::LoginThrottled,
                    &user.email,
                    &ip,
                    String::new(),
                );
            }
            return Err(Failure::rate_limited(wait));
        }
    };
    let user = state.directory.user_by_email(&email)?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_owned());
    let matches = verify_off_thread(body.password, hash).await?;
    match user {
        Some(user) if matches && !user.disabled => {
            attempt.succeeded();
            audit(
                &state,
                &user.workspace_id,
                &user.email,
                saha_core::api::AuditAction::Login,
                &user.email,
                &ip,
                String::new(),
            );
            signed_in(&state, StatusCode::OK, &user)
        }
        user => {
            // The attempt stays counted as a failure.
            drop(attempt);
            if let Some(user) = user {
                let why = if user.disabled {
                    "member disabled"
                } else {
                    "wrong password"
                };
                audit(
                    &state,
                    &user.workspace_id,
                    &email,
                    saha_core::api::AuditAction::LoginFailed,
                    &user.email,
                    &ip,
                    why.into(),
                );
            } else {
                tracing::info!(%ip, "login for an unknown address");
            }
            Err(Failure::new(
                StatusCode::UNAUTHORIZED,
                ApiErrorCode::InvalidCredentials,
                "wrong email or password",
            ))
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Option<Authenticated>,
) -> ApiResult<Response> {
    if let Some(auth) = auth {
        state.directory.end_session(&auth.session_hash)?;
        state
            .hub
            .revoke(Revocation::Session(auth.session_hash.clone()));
        audit(
            &state,
            &auth.user.workspace_id,
            &auth.user.email,
            saha_core::api::AuditAction::Logout,
            &auth.user.email,
            &ip(&state, &peer, &headers),
            String::new(),
        );
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cleared_cookie(state.config.is_https()));
    Ok(response)
}

pub async fn who_am_i(State(state): State<AppState>, auth: Authenticated) -> ApiResult<Json<Me>> {
    Ok(Json(me(&state, &auth.user, &auth.session)?))
}

pub async fn change_password(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Authenticated,
    Json(body): Json<api::PasswordChange>,
) -> ApiResult<StatusCode> {
    let ip = ip(&state, &peer, &headers);
    let email = auth.user.email.clone();
    let attempt = state
        .login_throttle
        .begin(&email, &ip)
        .map_err(Failure::rate_limited)?;
    if !verify_off_thread(body.current_password, auth.user.password_hash.clone()).await? {
        drop(attempt);
        audit(
            &state,
            &auth.user.workspace_id,
            &email,
            saha_core::api::AuditAction::PasswordChangeFailed,
            &email,
            &ip,
            String::new(),
        );
        return Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            ApiErrorCode::InvalidCredentials,
            "the current password is wrong",
        ));
    }
    attempt.succeeded();
    check_password(&body.new_password)?;
    let hash = hash_off_thread(body.new_password).await?;
    // Only the hash changes: a role change or disable meanwhile stays.
    let (_, user) = state.directory.update_user(&auth.user.id, |user, _| {
        user.password_hash = hash.clone();
        Ok(())
    })?;
    for ended in state
        .directory
        .end_sessions_of(&user.id, Some(&auth.session_hash))?
    {
        state.hub.revoke(Revocation::Session(ended));
    }
    audit(
        &state,
        &user.workspace_id,
        &email,
        saha_core::api::AuditAction::PasswordChanged,
        &email,
        &ip,
        "other sessions ended".into(),
    );
    Ok(StatusCode::NO_CONTENT)
}
