//! The workspace's audit log: every security-relevant action is written with `audit()`;
//! admins read it, and each member reads the sync changes the server refused them.

use axum::Json;
use axum::extract::{Query, State};
use saha_core::api::{self, AuditEntry};
use serde::Deserialize;

use crate::directory::now_ms;
use crate::http::auth::Authenticated;
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;

pub(crate) fn audit(
    state: &AppState,
    workspace: &str,
    actor: &str,
    action: api::AuditAction,
    target: &str,
    ip: &str,
    detail: String,
) {
    state.directory.audit(
        workspace,
        AuditEntry {
            at: now_ms(),
            actor: actor.to_owned(),
            action: action.code().to_owned(),
            target: target.to_owned(),
            ip: ip.to_owned(),
            detail,
        },
    );
}

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

/// When a device says it did something: `" on a device"`, with the day when that was
/// another day than today (a notice kept while offline).
fn on_device(at: i64) -> String {
    let day = saha_core::sales::document::date_of(at);
    if at <= 0 || day == saha_core::sales::document::date_of(now_ms()) {
        " on a device".to_owned()
    } else {
        format!(" on a device on {day}")
    }
}

/// `POST /api/audit/imports`: a member's device imported a file into records; the
/// import is written to the audit log with the member as its actor.
pub async fn record_import(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    Json(notice): Json<api::ImportNotice>,
) -> ApiResult<axum::http::StatusCode> {
    if saha_core::kinds::kind_of_section(&notice.section).is_none() {
        return Err(Failure::invalid("section: not a record list"));
    }
    if notice.file.chars().count() > 255 {
        return Err(Failure::invalid("file: at most 255 characters"));
    }
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        api::AuditAction::RecordsImported,
        &notice.section,
        &crate::http::auth::ip(&state, &peer, &headers),
        format!(
            "{}: {} rows, {} created, {} updated, {} refused{}",
            notice.file,
            notice.rows,
            notice.created,
            notice.updated,
            notice.refused,
            on_device(notice.at)
        ),
    );
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// `POST /api/audit/exports`: a member's device saved records as a file; the export is
/// written to the audit log with the member as its actor.
pub async fn record_export(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    Json(notice): Json<api::ExportNotice>,
) -> ApiResult<axum::http::StatusCode> {
    let known_section = saha_core::kinds::kind_of_section(&notice.section).is_some();
    let format = saha_core::export::Format::from_code(&notice.format)
        .map(saha_core::export::Format::code)
        .or_else(|| saha_core::export::vcard::Version::from_code(&notice.format).map(|v| v.code()));
    let Some(format) = format else {
        return Err(Failure::invalid(
            "format: use csv, csv-tr, xlsx, vcf3 or vcf4",
        ));
    };
    if !known_section {
        return Err(Failure::invalid("section: not a record list"));
    }
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        api::AuditAction::RecordsExported,
        &notice.section,
        &crate::http::auth::ip(&state, &peer, &headers),
        format!("{} rows as {format}{}", notice.rows, on_device(notice.at)),
    );
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// `POST /api/audit/privacy`: an owner's, admin's or privacy officer's device saved
/// what is held about a person (an access request); written to the audit log with the
/// person's record as the target (the file's contents stay out of the log).
pub async fn record_privacy(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    Json(notice): Json<api::PrivacyNotice>,
) -> ApiResult<axum::http::StatusCode> {
    if !auth.user.role.handles_privacy() {
        return Err(Failure::forbidden());
    }
    if notice.person.parse::<saha_core::DocumentId>().is_err() {
        return Err(Failure::invalid("person: a record ID"));
    }
    if !matches!(notice.format.as_str(), "json" | "html") {
        return Err(Failure::invalid("format: use json or html"));
    }
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        api::AuditAction::PersonalDataDisclosed,
        &notice.person,
        &crate::http::auth::ip(&state, &peer, &headers),
        format!(
            "{} records as {}{}",
            notice.records,
            notice.format,
            on_device(notice.at)
        ),
    );
    Ok(axum::http::StatusCode::NO_CONTENT)
}
