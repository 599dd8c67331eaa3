//! The request log's endpoints, for owners, admins and privacy officers:
//!
//! - the app's (session): `GET/POST /api/privacy/requests`,
//!   `GET/PUT /api/privacy/requests/{id}`, and `GET /api/privacy/deadlines` (how many
//!   open requests are late or due within a week, for the warning on "my day");
//! - the REST API's (a token with `privacy:read` / `privacy:write`, or the session):
//!   `GET/POST /api/v1/privacy/requests`, `GET/PUT /api/v1/privacy/requests/{id}`,
//!   answered with RFC 9457 problem details;
//! - the REST API's answer to an access request (`privacy:read`):
//!   `GET /api/v1/privacy/access/{person}`, everything held about the person as the
//!   same JSON file the app saves ([`saha_core::privacy::access::gather`] over the
//!   server-side projection), audited as a disclosure.
//!
//! - erasure (see [`super::erasure`]): `POST /api/privacy/erasures/preview` and
//!   `POST /api/v1/privacy/erasures/preview` (what it would destroy and rebuild),
//!   `POST /api/privacy/erasures` and `POST /api/v1/privacy/erasures` (`privacy:write`;
//!   erases, answers with the destruction record), `GET` of both for the destruction
//!   records.
//!
//! Both take a [`RequestInput`], check it the one way ([`RequestInput::check`], the
//! person's record in the caller's workspace) and audit every change by the request's
//! ID, never the person's name. A token's `*` scopes do not reach the log: it is not a
//! record kind, and a token made for records should not read people's requests.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use saha_core::DocumentId;
use saha_core::api::{ApiErrorCode, AuditAction};
use saha_core::privacy::access::{Disclosure, gather};
use saha_core::privacy::erasure::{Destruction, EraseInput, ErasedDoc, ErasurePlan, PurgeAck};
use saha_core::privacy::request::{Deadlines, PrivacyRequest, RequestInput, today};

use crate::directory::{User, now_ms};
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;
use crate::rest::caller::Caller;
use crate::rest::problem::{Problem, RestResult};
use crate::rest::records::body_of;
use crate::storage::DocumentStore;

/// The kinds a request's person may be.
const PERSON_KINDS: [&str; 3] = [
    saha_core::parties::contact::KIND,
    saha_core::sales::lead::KIND,
    saha_core::parties::account::KIND,
];

/// Why a request to the log was refused, before it is worded for the app or the API.
enum Refused {
    Forbidden,
    NotFound,
    /// No contact, lead or account of the workspace has the ID asked about.
    UnknownPerson,
    Invalid(String),
    Full,
    Failed(crate::ServerError),
}

impl From<crate::ServerError> for Refused {
    fn from(e: crate::ServerError) -> Refused {
        Refused::Failed(e)
    }
}

/// Why a full log takes no more.
fn full() -> String {
    format!("a workspace keeps at most {} requests", super::MAX_REQUESTS)
}

impl From<Refused> for Failure {
    fn from(refused: Refused) -> Failure {
        match refused {
            Refused::Forbidden => Failure::forbidden(),
            Refused::NotFound | Refused::UnknownPerson => Failure::not_found(),
            Refused::Invalid(detail) => Failure::invalid(detail),
            Refused::Full => Failure::invalid(full()),
            Refused::Failed(e) => e.into(),
        }
    }
}

impl From<Refused> for Problem {
    fn from(refused: Refused) -> Problem {
        match refused {
            Refused::Forbidden => Problem::new(
                StatusCode::FORBIDDEN,
                ApiErrorCode::Forbidden,
                "only owners, admins and privacy officers handle privacy requests",
            ),
            Refused::NotFound => Problem::new(
                StatusCode::NOT_FOUND,
                ApiErrorCode::NotFound,
                "no such privacy request",
            ),
            Refused::UnknownPerson => Problem::new(
                StatusCode::NOT_FOUND,
                ApiErrorCode::NotFound,
                "no contact, lead or account of this workspace has this ID",
            ),
            Refused::Invalid(detail) => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiErrorCode::InvalidInput,
                detail,
            ),
            Refused::Full => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiErrorCode::InvalidInput,
                full(),
            ),
            Refused::Failed(e) => e.into(),
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

/// Whether `id` is a contact, lead or account of `user`'s workspace.
async fn is_person(
    state: &AppState,
    user: &User,
    id: &DocumentId,
) -> Result<bool, crate::ServerError> {
    let meta = state.hub.meta(id).await?;
    Ok(meta.is_some_and(|m| {
        m.workspace == user.workspace_id && PERSON_KINDS.contains(&m.kind.as_str())
    }))
}

/// Checks `input` for a request of `user`'s workspace: its fields, and that its person
/// is a contact, lead or account of that workspace.
async fn checked(state: &AppState, user: &User, input: &RequestInput) -> Result<(), Refused> {
    input
        .check(today(now_ms()))
        .map_err(|e| Refused::Invalid(e.to_string()))?;
    let person = input.person.trim();
    if !person.is_empty() {
        let id: DocumentId = person
            .parse()
            .map_err(|_| Refused::Invalid("person: a record ID".into()))?;
        if !is_person(state, user, &id).await? {
            return Err(Refused::Invalid(
                "person: no contact, lead or account with this ID".into(),
            ));
        }
    }
    Ok(())
}

/// What the audit log says of a request: its kind, channel and status, no name.
fn audit_detail(request: &PrivacyRequest) -> String {
    format!(
        "{} by {}: {}, due {}",
        request.kind.code(),
        request.channel.code(),
        request.status.code(),
        request.due_on
    )
}

async fn log_request(
    state: &AppState,
    user: &User,
    actor: &str,
    ip: &str,
    input: &RequestInput,
) -> Result<PrivacyRequest, Refused> {
    handler_of(user)?;
    checked(state, user, input).await?;
    let tables = state.hub.storage().tables();
    let request = super::log(&tables, &user.workspace_id, input, &user.email, now_ms())?
        .ok_or(Refused::Full)?;
    audit(
        state,
        &user.workspace_id,
        actor,
        AuditAction::PrivacyRequestLogged,
        &request.id,
        ip,
        audit_detail(&request),
    );
    Ok(request)
}

async fn change_request(
    state: &AppState,
    user: &User,
    actor: &str,
    ip: &str,
    id: &str,
    input: &RequestInput,
) -> Result<PrivacyRequest, Refused> {
    handler_of(user)?;
    checked(state, user, input).await?;
    let tables = state.hub.storage().tables();
    let request = super::change(
        &tables,
        &user.workspace_id,
        id,
        input,
        &user.email,
        now_ms(),
    )?
    .ok_or(Refused::NotFound)?;
    audit(
        state,
        &user.workspace_id,
        actor,
        AuditAction::PrivacyRequestUpdated,
        &request.id,
        ip,
        audit_detail(&request),
    );
    Ok(request)
}

/// Everything held about the person whose record is `person` (a contact, lead or
/// account of `user`'s workspace): every record of every kind that refers to them,
/// archived and deleted ones too, read from the server-side projection.
async fn disclosure_of(state: &AppState, user: &User, person: &str) -> Result<Disclosure, Refused> {
    handler_of(user)?;
    let id: DocumentId = person.parse().map_err(|_| Refused::UnknownPerson)?;
    if !is_person(state, user, &id).await? {
        return Err(Refused::UnknownPerson);
    }
    let access = user.access();
    let mut records = Vec::new();
    for kind in saha_core::kinds::KINDS {
        let query = crate::storage::RecordQuery {
            include_archived: true,
            include_deleted: true,
            ..crate::storage::RecordQuery::of(&user.workspace_id, kind, 2_000)
        };
        for row in crate::storage::records::all(state.hub.storage(), query).await? {
            let scope = saha_core::access::Scope {
                team: row.team.clone(),
                owner: row.owner.clone(),
            };
            if access.can_read(&scope) {
                records.push((row.id.to_string(), row.record()?));
            }
        }
    }
    gather(
        person,
        records.iter().map(|(id, record)| (id.as_str(), record)),
        now_ms(),
    )
    // Its own row is written with its first change; a document without one holds no
    // record yet.
    .ok_or(Refused::UnknownPerson)
}

/// What erasing `input.person` would do; refused like an access request when the
/// person is not a contact, lead or account of the workspace, and as invalid when the
/// named request does not exist.
async fn erasure_plan(
    state: &AppState,
    user: &User,
    input: &EraseInput,
) -> Result<ErasurePlan, Refused> {
    handler_of(user)?;
    let id: DocumentId = input
        .person
        .trim()
        .parse()
        .map_err(|_| Refused::UnknownPerson)?;
    if !is_person(state, user, &id).await? {
        return Err(Refused::UnknownPerson);
    }
    if let Some(bad) = input
        .erase_whole
        .iter()
        .find(|r| r.parse::<DocumentId>().is_err())
    {
        return Err(Refused::Invalid(format!(
            "eraseWhole: {bad:?} is not a record ID"
        )));
    }
    let request = input.request.trim();
    if !request.is_empty()
        && super::get(&state.hub.storage().tables(), &user.workspace_id, request)?.is_none()
    {
        return Err(Refused::Invalid("request: no such privacy request".into()));
    }
    let input = EraseInput {
        person: id.to_string(),
        ..input.clone()
    };
    super::erasure::preview(&state.hub, &user.workspace_id, &input)
        .await?
        .ok_or(Refused::UnknownPerson)
}

/// Erases the person `input` names and audits it (counts only, no name).
async fn run_erasure(
    state: &AppState,
    user: &User,
    actor: &str,
    ip: &str,
    input: &EraseInput,
) -> Result<Destruction, Refused> {
    let plan = erasure_plan(state, user, input).await?;
    let destruction = super::erasure::erase(
        &state.hub,
        &state.directory,
        &state.blobs,
        &user.workspace_id,
        plan,
        actor,
        input.request.trim(),
        now_ms(),
    )
    .await?;
    let (erased, anonymised) = destruction.counts();
    audit(
        state,
        &user.workspace_id,
        actor,
        AuditAction::PersonErased,
        &destruction.id,
        ip,
        format!(
            "{erased} records erased, {anonymised} anonymised, {} addresses suppressed",
            destruction.suppressed
        ),
    );
    Ok(destruction)
}

fn destructions_of(state: &AppState, user: &User) -> Result<Vec<Destruction>, Refused> {
    handler_of(user)?;
    Ok(super::erasure::destructions(
        &state.hub.storage().tables(),
        &user.workspace_id,
    )?)
}

fn list_of(state: &AppState, user: &User) -> Result<Vec<PrivacyRequest>, Refused> {
    handler_of(user)?;
    Ok(super::list(
        &state.hub.storage().tables(),
        &user.workspace_id,
    )?)
}

fn one_of(state: &AppState, user: &User, id: &str) -> Result<PrivacyRequest, Refused> {
    handler_of(user)?;
    super::get(&state.hub.storage().tables(), &user.workspace_id, id)?.ok_or(Refused::NotFound)
}

// ---- the app's endpoints ----------------------------------------------------------

/// `GET /api/privacy/requests`.
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<PrivacyRequest>>> {
    Ok(Json(list_of(&state, &auth.user)?))
}

/// `GET /api/privacy/requests/{id}`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<PrivacyRequest>> {
    Ok(Json(one_of(&state, &auth.user, &id)?))
}

/// `POST /api/privacy/requests`.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(input): Json<RequestInput>,
) -> ApiResult<(StatusCode, Json<PrivacyRequest>)> {
    let ip = ip(&state, &peer, &headers);
    let request = log_request(&state, &auth.user, &auth.user.email, &ip, &input).await?;
    Ok((StatusCode::CREATED, Json(request)))
}

/// `PUT /api/privacy/requests/{id}`.
pub async fn update(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(input): Json<RequestInput>,
) -> ApiResult<Json<PrivacyRequest>> {
    let ip = ip(&state, &peer, &headers);
    let request = change_request(&state, &auth.user, &auth.user.email, &ip, &id, &input).await?;
    Ok(Json(request))
}

/// `GET /api/privacy/deadlines`: how many open requests are late or due within a
/// week, today in Turkey.
pub async fn deadlines(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Deadlines>> {
    let requests = list_of(&state, &auth.user)?;
    Ok(Json(Deadlines::of(&requests, today(now_ms()))))
}

/// `POST /api/privacy/erasures/preview`: what erasing the person would do.
pub async fn erasure_preview(
    State(state): State<AppState>,
    auth: Authenticated,
    Json(input): Json<EraseInput>,
) -> ApiResult<Json<ErasurePlan>> {
    Ok(Json(erasure_plan(&state, &auth.user, &input).await?))
}

/// `POST /api/privacy/erasures`: erases the person; the destruction record.
pub async fn erase(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(input): Json<EraseInput>,
) -> ApiResult<(StatusCode, Json<Destruction>)> {
    let ip = ip(&state, &peer, &headers);
    let destruction = run_erasure(&state, &auth.user, &auth.user.email, &ip, &input).await?;
    Ok((StatusCode::CREATED, Json(destruction)))
}

/// `GET /api/privacy/erasures`: the destruction records, newest first.
pub async fn erasures(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<Destruction>>> {
    Ok(Json(destructions_of(&state, &auth.user)?))
}

/// `GET /api/sync/erased?since=MS`: documents erased from the member's workspace
/// after `since`, for the device to drop its copies (any member: the IDs name nobody).
pub async fn erased(
    State(state): State<AppState>,
    auth: Authenticated,
    axum::extract::Query(query): axum::extract::Query<ErasedQuery>,
) -> ApiResult<Json<Vec<ErasedDoc>>> {
    Ok(Json(super::erasure::erased_since(
        &state.hub.storage().tables(),
        &auth.user.workspace_id,
        query.since.unwrap_or(0),
    )?))
}

#[derive(serde::Deserialize)]
pub struct ErasedQuery {
    since: Option<i64>,
}

/// `POST /api/sync/erased`: the device dropped its copies ([`PurgeAck`]).
pub async fn purged(
    State(state): State<AppState>,
    auth: Authenticated,
    Json(ack): Json<PurgeAck>,
) -> ApiResult<StatusCode> {
    let device = ack.device.trim();
    if device.is_empty() || device.chars().count() > 64 || device.contains('/') {
        return Err(Failure::invalid("device: 1 to 64 characters, no '/'"));
    }
    super::erasure::acknowledge(
        &state.hub.storage().tables(),
        &auth.user.workspace_id,
        &auth.user.id,
        &ack,
        now_ms(),
    )?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- the REST API's endpoints -----------------------------------------------------

pub use saha_core::privacy::SCOPE;

/// `GET /api/v1/privacy/requests`: `{ "data": [...] }`.
pub async fn rest_list(
    State(state): State<AppState>,
    caller: Caller,
) -> RestResult<Json<serde_json::Value>> {
    caller.require_exactly(SCOPE, false)?;
    let requests = list_of(&state, &caller.user)?;
    Ok(Json(serde_json::json!({ "data": requests })))
}

/// `GET /api/v1/privacy/requests/{id}`.
pub async fn rest_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> RestResult<Json<PrivacyRequest>> {
    caller.require_exactly(SCOPE, false)?;
    Ok(Json(one_of(&state, &caller.user, &id)?))
}

/// `POST /api/v1/privacy/requests`.
pub async fn rest_create(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<RequestInput>, JsonRejection>,
) -> RestResult<(StatusCode, Json<PrivacyRequest>)> {
    caller.require_exactly(SCOPE, true)?;
    let input = body_of(body)?;
    let ip = ip(&state, &peer, &headers);
    let request = log_request(&state, &caller.user, &caller.actor(), &ip, &input).await?;
    Ok((StatusCode::CREATED, Json(request)))
}

/// `PUT /api/v1/privacy/requests/{id}`: the request as it now stands (every field, as
/// when it was logged, with its status).
pub async fn rest_update(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<RequestInput>, JsonRejection>,
) -> RestResult<Json<PrivacyRequest>> {
    caller.require_exactly(SCOPE, true)?;
    let input = body_of(body)?;
    let ip = ip(&state, &peer, &headers);
    let request = change_request(&state, &caller.user, &caller.actor(), &ip, &id, &input).await?;
    Ok(Json(request))
}

/// `GET /api/v1/privacy/access/{person}`: everything held about the person whose
/// record (contact, lead or account) is `person`, as the JSON file an access request
/// is answered with. Audited as a disclosure, like the file saved in the app.
pub async fn rest_access(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(person): Path<String>,
) -> RestResult<Json<Disclosure>> {
    caller.require_exactly(SCOPE, false)?;
    let disclosure = disclosure_of(&state, &caller.user, &person).await?;
    audit(
        &state,
        &caller.user.workspace_id,
        &caller.actor(),
        AuditAction::PersonalDataDisclosed,
        &disclosure.person,
        &ip(&state, &peer, &headers),
        format!(
            "{} records as json through the API",
            disclosure.records.len()
        ),
    );
    Ok(Json(disclosure))
}

/// `POST /api/v1/privacy/erasures/preview`: what erasing the person would do.
pub async fn rest_erasure_preview(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<EraseInput>, JsonRejection>,
) -> RestResult<Json<ErasurePlan>> {
    caller.require_exactly(SCOPE, false)?;
    let input = body_of(body)?;
    Ok(Json(erasure_plan(&state, &caller.user, &input).await?))
}

/// `POST /api/v1/privacy/erasures`: erases the person; the destruction record.
pub async fn rest_erase(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<EraseInput>, JsonRejection>,
) -> RestResult<(StatusCode, Json<Destruction>)> {
    caller.require_exactly(SCOPE, true)?;
    let input = body_of(body)?;
    let ip = ip(&state, &peer, &headers);
    let destruction = run_erasure(&state, &caller.user, &caller.actor(), &ip, &input).await?;
    Ok((StatusCode::CREATED, Json(destruction)))
}

/// `GET /api/v1/privacy/erasures`: `{ "data": [...] }`, newest first.
pub async fn rest_erasures(
    State(state): State<AppState>,
    caller: Caller,
) -> RestResult<Json<serde_json::Value>> {
    caller.require_exactly(SCOPE, false)?;
    let destructions = destructions_of(&state, &caller.user)?;
    Ok(Json(serde_json::json!({ "data": destructions })))
}
