//! The JSON API: first-run setup, login and sessions, sync tickets, members, teams,
//! invitations and the audit log.
//!
//! Bodies are the types of [`saha_core::api`]. Every failure answers with an
//! [`ApiError`] and a status code; nothing says whether an email address exists. Every
//! security-relevant action is written to the workspace's audit log.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::access::Role;
use saha_core::api::{self, ApiError, AuditEntry, Me};
use serde::Deserialize;

use crate::directory::{
    self, DirectoryError, Invitation, Session, Team, User, Workspace, decoy_hash, email_key,
    hash_password, new_id, now_ms, token_hash, verify_password,
};
use crate::hub::Revocation;
use crate::security::{cleared_cookie, client_ip, origin_allowed, session_cookie, session_token};
use crate::web::AppState;

/// An error answer.
#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after: Option<Duration>,
}

impl Failure {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    fn invalid(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, "invalid_input", message)
    }

    /// Too many failed password attempts: `429` with `Retry-After`.
    fn rate_limited(wait: Duration) -> Failure {
        Failure {
            retry_after: Some(wait),
            ..Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many failed attempts; try again later",
            )
        }
    }

    pub(crate) fn forbidden() -> Failure {
        Failure::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role does not allow this",
        )
    }

    pub(crate) fn not_found() -> Failure {
        Failure::new(StatusCode::NOT_FOUND, "not_found", "not found")
    }

    fn unauthorized() -> Failure {
        Failure::new(StatusCode::UNAUTHORIZED, "unauthorized", "please log in")
    }

    fn internal(e: impl std::fmt::Display) -> Failure {
        tracing::error!(error = %e, "request failed");
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server could not complete the request",
        )
    }
}

impl From<Box<DirectoryError>> for Failure {
    fn from(e: Box<DirectoryError>) -> Failure {
        match *e {
            DirectoryError::EmailTaken => Failure::new(
                StatusCode::CONFLICT,
                "email_taken",
                "that email address is already a member",
            ),
            DirectoryError::AlreadySetUp => Failure::new(
                StatusCode::CONFLICT,
                "already_set_up",
                "this server already has a workspace",
            ),
            DirectoryError::NotFound => Failure::not_found(),
            DirectoryError::Disabled => Failure::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "wrong email or password",
            ),
            DirectoryError::Refused(code, message) => {
                Failure::new(StatusCode::CONFLICT, code, message)
            }
            DirectoryError::Server(e) => Failure::internal(e),
        }
    }
}

impl From<crate::ServerError> for Failure {
    fn from(e: crate::ServerError) -> Failure {
        Failure::internal(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = Json(ApiError {
            error: self.code.to_owned(),
            message: self.message,
        });
        let mut response = (self.status, body).into_response();
        if let Some(wait) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, Failure>;

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
    fn require_admin(&self) -> ApiResult<()> {
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
            "bad_origin",
            "requests from this origin are not allowed",
        ))
    }
}

fn ip(state: &AppState, peer: &ConnectInfo<SocketAddr>, headers: &HeaderMap) -> String {
    client_ip(&state.config, Some(peer.0), headers)
}

fn audit(
    state: &AppState,
    workspace: &str,
    actor: &str,
    action: &str,
    target: &str,
    ip: &str,
    detail: String,
) {
    state.directory.audit(
        workspace,
        AuditEntry {
            at: now_ms(),
            actor: actor.to_owned(),
            action: action.to_owned(),
            target: target.to_owned(),
            ip: ip.to_owned(),
            detail,
        },
    );
}

fn session_lifetime_ms(state: &AppState) -> i64 {
    i64::from(state.config.session_hours) * 3_600_000
}

/// What the app needs about the signed-in member.
fn me(state: &AppState, user: &User, session: &Session) -> ApiResult<Me> {
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
    })
}

/// Answers with the member's [`Me`] and a new session cookie. The member is read
/// again as the session is created: one disabled meanwhile gets `401`.
fn signed_in(state: &AppState, status: StatusCode, user: &User) -> ApiResult<Response> {
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

async fn hash_off_thread(password: String) -> ApiResult<String> {
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

fn check_name(name: &str, what: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Failure::invalid(format!(
            "{what} must be 1 to 120 characters"
        )));
    }
    Ok(name.to_owned())
}

fn check_email(email: &str) -> ApiResult<String> {
    match saha_core::text::validate::email(email) {
        Ok(e) if !e.is_empty() => Ok(email_key(&e)),
        _ => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_email",
            "that is not an email address",
        )),
    }
}

fn check_password(password: &str) -> ApiResult<()> {
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

// ---- first run ------------------------------------------------------------------

pub async fn setup_status(State(state): State<AppState>) -> ApiResult<Json<api::SetupStatus>> {
    Ok(Json(api::SetupStatus {
        needs_setup: state.directory.workspaces()?.is_empty(),
    }))
}

pub async fn setup(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<api::SetupRequest>,
) -> ApiResult<Response> {
    let workspace_name = check_name(&body.workspace_name, "the workspace name")?;
    let name = check_name(&body.name, "your name")?;
    let email = check_email(&body.email)?;
    check_password(&body.password)?;
    if !state.directory.workspaces()?.is_empty() {
        return Err(Box::new(DirectoryError::AlreadySetUp).into());
    }
    let password_hash = hash_off_thread(body.password).await?;
    let (workspace, owner) =
        provision_workspace(&state, &workspace_name, &name, &email, password_hash, true).await?;
    audit(
        &state,
        &workspace.id,
        &owner.email,
        "workspace.created",
        &workspace.name,
        &ip(&state, &peer, &headers),
        "first-run setup".into(),
    );
    signed_in(&state, StatusCode::CREATED, &owner)
}

/// Creates a workspace (with its index document) and its owner. Shared by the
/// first-run page and `saha-server admin create-workspace`.
pub async fn provision_workspace(
    state: &AppState,
    workspace_name: &str,
    owner_name: &str,
    email: &str,
    password_hash: String,
    first_run: bool,
) -> Result<(Workspace, User), Box<DirectoryError>> {
    let id = new_id();
    let adopt_legacy = state.directory.workspaces()?.is_empty();
    let (index, adopted) = state
        .hub
        .create_index(&id, workspace_name, adopt_legacy)
        .await?;
    let now = now_ms();
    let workspace = Workspace {
        id: id.clone(),
        name: workspace_name.to_owned(),
        index_id: index.to_string(),
        created_at: now,
        // An adopted index from before workspaces may list anything: rebuilt below.
        index_layout: if adopted {
            0
        } else {
            crate::directory::INDEX_LAYOUT
        },
    };
    let owner = User {
        id: new_id(),
        workspace_id: id,
        email: email_key(email),
        name: owner_name.to_owned(),
        password_hash,
        role: Role::Owner,
        teams: Vec::new(),
        department: None,
        disabled: false,
        created_at: now,
        last_login_at: None,
    };
    state
        .directory
        .create_workspace(workspace.clone(), owner.clone(), first_run)?;
    if workspace.index_layout < crate::directory::INDEX_LAYOUT {
        crate::web::upgrade_indexes(state).await?;
        let upgraded = state
            .directory
            .workspace(&workspace.id)?
            .ok_or_else(|| Box::new(DirectoryError::NotFound))?;
        return Ok((upgraded, owner));
    }
    Ok((workspace, owner))
}

// ---- sessions -------------------------------------------------------------------

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
                    "login.throttled",
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
                "login",
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
                    "login.failed",
                    &user.email,
                    &ip,
                    why.into(),
                );
            } else {
                tracing::info!(%ip, "login for an unknown address");
            }
            Err(Failure::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
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
            "logout",
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
            "password.change_failed",
            &email,
            &ip,
            String::new(),
        );
        return Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
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
        "password.changed",
        &email,
        &ip,
        "other sessions ended".into(),
    );
    Ok(StatusCode::NO_CONTENT)
}

// ---- sync tickets ---------------------------------------------------------------

/// The `ws(s)://host` this request reached, for the ticket URL.
fn socket_base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(public) = &state.config.public_url {
        let public = public.trim_end_matches('/');
        if let Some(rest) = public.strip_prefix("https://") {
            return format!("wss://{rest}");
        }
        if let Some(rest) = public.strip_prefix("http://") {
            return format!("ws://{rest}");
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("ws://{host}")
}

pub async fn sync_ticket(
    State(state): State<AppState>,
    headers: HeaderMap,
    auth: Authenticated,
) -> ApiResult<Json<api::Ticket>> {
    let ticket = state
        .tickets
        .issue(&auth.user.id, &auth.user.workspace_id, &auth.session_hash)?;
    let url = format!("{}/sync?ticket={ticket}", socket_base(&state, &headers));
    Ok(Json(api::Ticket { ticket, url }))
}

#[derive(Deserialize)]
pub struct ChangesQuery {
    #[serde(default)]
    since: u64,
}

/// Documents streamed per storage read.
const FEED_PAGE: usize = 256;

/// `GET /api/sync/changes?since=N`: the member's workspace documents changed after
/// cursor `N` (all of them for 0), in the [`saha_protocol::feed`] format, filtered by what
/// the member may see — the same rule `/sync` applies. The new cursor is read before
/// the documents, so a change made while this streams is sent again next time rather
/// than missed.
pub async fn sync_changes(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(query): Query<ChangesQuery>,
) -> ApiResult<Response> {
    use crate::storage::DocumentStore;
    let workspace = auth.user.workspace_id.clone();
    let access = auth.user.access();
    let storage = state.hub.storage();
    let cursor = storage.cursor(workspace.clone()).await?;
    let visible: Vec<saha_core::DocumentId> = storage
        .changes(workspace, query.since, usize::MAX)
        .await?
        .into_iter()
        .filter(|d| access.can_read(&d.meta.scope))
        .map(|d| d.id)
        .collect();
    let head = saha_protocol::feed::header(cursor, visible.len() as u64);
    let hub = state.hub.clone();
    let pages = visible
        .chunks(FEED_PAGE)
        .map(<[_]>::to_vec)
        .collect::<Vec<_>>()
        .into_iter();
    let body = futures_util::stream::unfold(
        (Some(head), pages, false),
        move |(head, mut pages, ended)| {
            let hub = hub.clone();
            async move {
                if let Some(head) = head {
                    return Some((Ok::<_, std::io::Error>(head), (None, pages, false)));
                }
                if ended {
                    return None;
                }
                let Some(page) = pages.next() else {
                    return Some((Ok(saha_protocol::feed::end()), (None, pages, true)));
                };
                match hub.storage().load_many(page).await {
                    Ok(docs) => {
                        let mut out = Vec::new();
                        for (id, bytes) in docs {
                            saha_protocol::feed::push_document(&mut out, &id, &bytes);
                        }
                        Some((Ok(out), (None, pages, false)))
                    }
                    Err(e) => {
                        // The stream stops without its end mark: the device keeps its
                        // cursor and asks again.
                        tracing::error!(error = %e, "change feed read failed");
                        Some((
                            Err(std::io::Error::other(e.to_string())),
                            (None, pages, true),
                        ))
                    }
                }
            }
        },
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}

/// `GET /api/workspace`: the workspace's name and index URL.
pub async fn workspace(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<serde_json::Value>> {
    let me = me(&state, &auth.user, &auth.session)?;
    Ok(Json(serde_json::json!({
        "name": me.workspace_name,
        "indexUrl": me.index_url,
    })))
}

// ---- members and teams ----------------------------------------------------------

pub async fn members(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<api::Member>>> {
    auth.require_admin()?;
    Ok(Json(
        state
            .directory
            .members(&auth.user.workspace_id)?
            .iter()
            .map(User::to_member)
            .collect(),
    ))
}

fn check_teams(state: &AppState, workspace: &str, teams: &[String]) -> ApiResult<Vec<String>> {
    let known = state.directory.teams(workspace)?;
    let mut out = Vec::new();
    for team in teams {
        if !known.iter().any(|t| &t.id == team) {
            return Err(Failure::invalid(format!("unknown team {team}")));
        }
        if !out.contains(team) {
            out.push(team.clone());
        }
    }
    Ok(out)
}

pub async fn update_member(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Authenticated,
    Path(user_id): Path<String>,
    Json(update): Json<api::MemberUpdate>,
) -> ApiResult<Json<api::Member>> {
    auth.require_admin()?;
    let teams = match &update.teams {
        Some(teams) => Some(check_teams(&state, &auth.user.workspace_id, teams)?),
        None => None,
    };
    let actor = auth.user.clone();
    // Read, checked and written in one transaction: a login or another admin's change
    // at the same moment cannot bring back what this one changed.
    let (before, member) = state.directory.update_user(&user_id, |member, tx| {
        if member.workspace_id != actor.workspace_id {
            return Err(Box::new(DirectoryError::NotFound));
        }
        let forbidden = || {
            Box::new(DirectoryError::Refused(
                "forbidden",
                "your role may not make this change".into(),
            ))
        };
        // Only an owner changes an owner.
        if member.role == Role::Owner && actor.role != Role::Owner {
            return Err(forbidden());
        }
        let was_active_owner = member.role == Role::Owner && !member.disabled;
        if let Some(role) = update.role {
            if !actor.role.may_grant(role) {
                return Err(forbidden());
            }
            member.role = role;
        }
        if let Some(teams) = &teams {
            member.teams = teams.clone();
        }
        if let Some(department) = update.department {
            member.department = department;
        }
        if let Some(disabled) = update.disabled {
            member.disabled = disabled;
        }
        if member.id == actor.id && (member.disabled || member.role != actor.role) {
            return Err(Box::new(DirectoryError::Refused(
                "own_access",
                "you cannot change your own role or disable yourself".into(),
            )));
        }
        if was_active_owner
            && (member.role != Role::Owner || member.disabled)
            && crate::directory::Directory::active_owners(tx, &member.workspace_id)? <= 1
        {
            return Err(Box::new(DirectoryError::Refused(
                "last_owner",
                "a workspace keeps at least one owner".into(),
            )));
        }
        Ok(())
    })?;
    let before = before.to_member();
    // Open sync connections run under the old access: close them.
    state.hub.revoke(Revocation::User(member.id.clone()));
    if member.disabled {
        state.directory.end_sessions_of(&member.id, None)?;
    }
    let after = member.to_member();
    audit(
        &state,
        &member.workspace_id,
        &auth.user.email,
        if member.disabled && !before.disabled {
            "member.disabled"
        } else if before.role != after.role {
            "member.role_changed"
        } else {
            "member.updated"
        },
        &member.email,
        &ip(&state, &peer, &headers),
        format!(
            "role {} → {}; teams {:?} → {:?}; disabled {} → {}",
            before.role.code(),
            after.role.code(),
            before.teams,
            after.teams,
            before.disabled,
            after.disabled
        ),
    );
    Ok(Json(after))
}

pub async fn teams(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<api::Team>>> {
    Ok(Json(
        state
            .directory
            .teams(&auth.user.workspace_id)?
            .iter()
            .map(Team::to_api)
            .collect(),
    ))
}

pub async fn add_team(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Authenticated,
    Json(body): Json<api::NewTeam>,
) -> ApiResult<(StatusCode, Json<api::Team>)> {
    auth.require_admin()?;
    let name = check_name(&body.name, "the team name")?;
    let existing = state.directory.teams(&auth.user.workspace_id)?;
    if existing
        .iter()
        .any(|t| t.name.to_lowercase() == name.to_lowercase())
    {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "team_exists",
            "a team with that name exists",
        ));
    }
    let team = Team {
        id: new_id(),
        workspace_id: auth.user.workspace_id.clone(),
        name,
    };
    state.directory.add_team(&team)?;
    audit(
        &state,
        &team.workspace_id,
        &auth.user.email,
        "team.created",
        &team.name,
        &ip(&state, &peer, &headers),
        String::new(),
    );
    Ok((StatusCode::CREATED, Json(team.to_api())))
}

// ---- invoice numbers --------------------------------------------------------------

/// Reserves a block of invoice numbers for the caller's device (see
/// `saha_core::sales::invoice_number`). Members who cannot write cannot issue invoices.
pub async fn reserve_invoice_numbers(
    State(state): State<AppState>,
    auth: Authenticated,
    Json(body): Json<api::InvoiceNumberRequest>,
) -> ApiResult<Json<saha_core::sales::invoice_number::NumberBlock>> {
    if !auth.user.role.can_write() {
        return Err(Failure::forbidden());
    }
    if !(2000..=2200).contains(&body.year) {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "the year must be between 2000 and 2200",
        ));
    }
    let block = state.directory.reserve_invoice_numbers(
        &auth.user.workspace_id,
        body.year,
        saha_core::sales::invoice_number::BLOCK_SIZE,
    )?;
    Ok(Json(block))
}

// ---- invitations ----------------------------------------------------------------

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
        "invitation.created",
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
        "invitation.revoked",
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
                "invitation_invalid",
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
            "email_mismatch",
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
        "invitation.accepted",
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

// ---- audit log ------------------------------------------------------------------

#[derive(Deserialize)]
pub struct AuditQuery {
    limit: Option<usize>,
}

pub async fn audit_log(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    auth.require_admin()?;
    let limit = query.limit.unwrap_or(200).clamp(1, 1000);
    Ok(Json(
        state.directory.audit_log(&auth.user.workspace_id, limit)?,
    ))
}

/// `GET /api/sync/refusals?since=MS`: the member's changes the server refused (newest
/// 200 kept), so the device can say which record and why — a change made offline
/// under an access the member no longer has, or by an outdated app.
pub async fn sync_refusals(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(query): Query<RefusalsQuery>,
) -> ApiResult<Json<Vec<api::SyncRefusal>>> {
    Ok(Json(
        state
            .directory
            .refusals_of(&auth.user.id, query.since.unwrap_or(0))?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct RefusalsQuery {
    pub since: Option<i64>,
}
