//! The HTTP routes of attachments: resumable chunked uploads, attaching a stored file to
//! a record (for API clients; the app writes the same metadata into the record's
//! document offline), listing, removing and downloading.
//!
//! | route | what |
//! |---|---|
//! | `GET /api/v1/blobs/{hash}` | where an upload stands: stored, or the chunks received |
//! | `PUT /api/v1/blobs/{hash}/chunks/{index}?size=N` | one chunk of an `N`-byte file |
//! | `POST /api/v1/blobs/{hash}/complete` | `{size, name}`: join, check and keep the file |
//! | `GET /api/v1/{section}/{id}/attachments` | the record's attachments |
//! | `POST /api/v1/{section}/{id}/attachments` | `{hash, name, durationMs?}`: attach a stored file |
//! | `GET /api/v1/{section}/{id}/attachments/{hash}` | the file's bytes |
//! | `DELETE /api/v1/{section}/{id}/attachments/{hash}` | remove it from the record |
//!
//! The app and API clients use the same routes (the app with its session); the OpenAPI
//! document describes them ([`crate::rest::openapi`]).
//!
//! A file is read only through a record the caller may see that holds it: a guessed
//! hash, another team's record or another workspace's file is `404`. Uploads are any
//! member's (a token needs the `attachments:write` scope); the size limit is checked
//! before a byte is stored (the declared size, then each chunk's body as it streams in),
//! the quota when the upload starts and again when it completes.

use std::net::SocketAddr;

use automerge::Automerge;
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::api::{ApiErrorCode, AuditAction};
use saha_core::kinds::Record;
use saha_core::record::attachment::{Attachment, Category, is_hash};
use serde::Deserialize;
use serde_json::{Value, json};

use super::store::{BlobError, BlobStore};
use crate::directory::now_ms;
use crate::http::audit::audit;
use crate::http::auth::ip;
use crate::http::security::UploadedContent;
use crate::http::state::AppState;
use crate::rest::caller::Caller;
use crate::rest::problem::{Problem, RestResult};
use crate::rest::records::{kind_of, parse_id, visible_row};
use crate::sync::hub::MemberChange;

/// The scope a token needs to upload.
pub const SCOPE: &str = "attachments";

impl From<BlobError> for Problem {
    fn from(e: BlobError) -> Problem {
        let (status, code) = match &e {
            BlobError::Invalid(_) => (StatusCode::BAD_REQUEST, ApiErrorCode::InvalidInput),
            BlobError::TooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, ApiErrorCode::PayloadTooLarge)
            }
            BlobError::QuotaExceeded { .. } => (
                StatusCode::INSUFFICIENT_STORAGE,
                ApiErrorCode::QuotaExceeded,
            ),
            BlobError::TypeNotAllowed => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ApiErrorCode::UnsupportedMediaType,
            ),
            BlobError::HashMismatch => {
                (StatusCode::UNPROCESSABLE_ENTITY, ApiErrorCode::HashMismatch)
            }
            BlobError::Incomplete { .. } => (StatusCode::CONFLICT, ApiErrorCode::UploadIncomplete),
            BlobError::NotFound => return Problem::not_found(),
            BlobError::Server(e) => return Problem::internal(e),
        };
        Problem::new(status, code, e.to_string())
    }
}

fn blobs(state: &AppState) -> &BlobStore {
    &state.blobs
}

fn hash_of(hash: &str) -> RestResult<&str> {
    if is_hash(hash) {
        Ok(hash)
    } else {
        Err(Problem::not_found())
    }
}

/// `GET /api/v1/blobs/{hash}`: stored, or which chunks arrived (to resume).
pub async fn upload_state(
    State(state): State<AppState>,
    caller: Caller,
    Path(hash): Path<String>,
) -> RestResult<Json<Value>> {
    caller.require_exactly(SCOPE, true)?;
    let hash = hash_of(&hash)?;
    let upload = blobs(&state)
        .upload_state(&caller.user.workspace_id, hash)
        .await?;
    Ok(Json(json!(upload)))
}

#[derive(Deserialize)]
pub struct ChunkQuery {
    size: u64,
}

/// `PUT /api/v1/blobs/{hash}/chunks/{index}?size=N`.
pub async fn put_chunk(
    State(state): State<AppState>,
    caller: Caller,
    Path((hash, index)): Path<(String, String)>,
    query: Result<Query<ChunkQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> RestResult<Json<Value>> {
    caller.require_exactly(SCOPE, true)?;
    let hash = hash_of(&hash)?;
    let index: u32 = index
        .parse()
        .map_err(|_| Problem::invalid("a chunk's index is a whole number from 0"))?;
    let Query(query) =
        query.map_err(|_| Problem::invalid("say the whole file's size as `?size=<bytes>`"))?;
    let store = blobs(&state);
    // Refused before the body is read when the file could never be kept.
    store.admit(&caller.user.workspace_id, query.size)?;
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ApiErrorCode::PayloadTooLarge,
                "a chunk has at most 1 MiB",
            )
        } else {
            Problem::invalid(e.body_text())
        }
    })?;
    let upload = store
        .put_chunk(&caller.user.workspace_id, hash, query.size, index, bytes)
        .await?;
    Ok(Json(json!(upload)))
}

#[derive(Deserialize)]
pub struct CompleteInput {
    size: u64,
    #[serde(default)]
    name: String,
}

/// `POST /api/v1/blobs/{hash}/complete`: the stored blob (`201`, or `200` if it was
/// stored already).
pub async fn complete(
    State(state): State<AppState>,
    caller: Caller,
    Path(hash): Path<String>,
    body: Result<Json<CompleteInput>, axum::extract::rejection::JsonRejection>,
) -> RestResult<Response> {
    caller.require_exactly(SCOPE, true)?;
    let hash = hash_of(&hash)?;
    let input = crate::rest::records::body_of(body)?;
    let store = blobs(&state);
    let workspace = &caller.user.workspace_id;
    let existed = store.blob(workspace, hash)?.is_some();
    let blob = store
        .complete(
            workspace,
            hash,
            input.size,
            &input.name,
            &caller.user.id,
            now_ms(),
        )
        .await?;
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(json!({ "hash": hash, "blob": blob }))).into_response())
}

fn attachment_json(a: &Attachment) -> Value {
    json!({
        "hash": a.hash,
        "name": a.name,
        "mediaType": a.media_type,
        "size": a.size,
        "durationMs": a.duration_ms,
        "by": a.by,
        "at": a.at,
    })
}

/// `GET /api/v1/{section}/{id}/attachments`: the files on the record, newest first.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path((section, id)): Path<(String, String)>,
) -> RestResult<Json<Value>> {
    let kind = kind_of(&section)?;
    caller.require(&section, false)?;
    let row = visible_row(&state, &caller, kind, parse_id(&id)?).await?;
    let record = row.record()?;
    let data: Vec<Value> = record
        .common()
        .live_attachments()
        .into_iter()
        .map(attachment_json)
        .collect();
    Ok(Json(json!({ "data": data })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachInput {
    hash: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    duration_ms: i64,
}

/// `POST /api/v1/{section}/{id}/attachments`: attaches a stored file to the record
/// (`201`; `200` if it was on it already), judged and synced like any edit.
pub async fn attach(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((section, id)): Path<(String, String)>,
    body: Result<Json<AttachInput>, axum::extract::rejection::JsonRejection>,
) -> RestResult<Response> {
    let kind = kind_of(&section)?;
    caller.require(&section, true)?;
    let input = crate::rest::records::body_of(body)?;
    let id = parse_id(&id)?;
    if !is_hash(&input.hash) {
        return Err(Problem::invalid(
            "`hash` is the file's SHA-256 in lower-case hex",
        ));
    }
    visible_row(&state, &caller, kind, id).await?;
    let blob = blobs(&state)
        .blob(&caller.user.workspace_id, &input.hash)?
        .ok_or_else(|| {
            Problem::new(
                StatusCode::CONFLICT,
                ApiErrorCode::UploadIncomplete,
                "upload the file before attaching it",
            )
        })?;
    let name = if input.name.trim().is_empty() {
        input.hash[..12].to_owned()
    } else {
        input.name.trim().chars().take(200).collect()
    };
    let attachment = Attachment {
        hash: input.hash.clone(),
        name,
        media_type: blob.media_type,
        size: blob.size as i64,
        duration_ms: input.duration_ms.max(0),
        by: caller.user.id.clone(),
        at: now_ms(),
        removed_at: 0,
    };
    let answer = attachment_json(&attachment);
    let ip = ip(&state, &peer, &headers);
    let what = format!("attached {}", input.hash);
    let changed = change(&state, &caller, &ip, kind, id, &what, |record| {
        record.common_mut().attach(attachment.clone())
    })
    .await?;
    let status = if changed {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(answer)).into_response())
}

/// `DELETE /api/v1/{section}/{id}/attachments/{hash}`: `204`.
pub async fn detach(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((section, id, hash)): Path<(String, String, String)>,
) -> RestResult<StatusCode> {
    let kind = kind_of(&section)?;
    caller.require(&section, true)?;
    let id = parse_id(&id)?;
    let hash = hash_of(&hash)?.to_owned();
    visible_row(&state, &caller, kind, id).await?;
    let now = now_ms();
    let ip = ip(&state, &peer, &headers);
    let what = format!("removed {hash}");
    let changed = change(&state, &caller, &ip, kind, id, &what, |record| {
        record.common_mut().detach(&hash, now)
    })
    .await?;
    if changed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found())
    }
}

/// Applies `edit` to record `id` through the hub (judged, stored, synced) and audits
/// what changed (`what`, after the record's kind and title); whether it changed.
async fn change(
    state: &AppState,
    caller: &Caller,
    ip: &str,
    kind: &str,
    id: saha_core::DocumentId,
    what: &str,
    edit: impl FnOnce(&mut Record) -> bool,
) -> RestResult<bool> {
    let mut grant = caller.grant();
    let outcome = state
        .hub
        .member_change(&mut grant, id, false, |doc: &mut Automerge| {
            let mut record = match Record::read(doc) {
                Some(Ok(record)) if record.kind() == kind => record,
                _ => return Err("not_a_record"),
            };
            if !edit(&mut record) {
                return Ok(false);
            }
            record.write(doc).map_err(|_| "not_written")
        })
        .await?;
    match outcome {
        MemberChange::Unchanged => Ok(false),
        MemberChange::Stored(Some(record)) => {
            audit(
                state,
                &caller.user.workspace_id,
                &caller.actor(),
                AuditAction::ApiRecordUpdated,
                &id.to_string(),
                ip,
                format!("{} {}: {what}", record.kind(), record.title()),
            );
            Ok(true)
        }
        MemberChange::Stored(None) => Err(Problem::internal("a stored record did not read back")),
        MemberChange::NotFound => Err(Problem::not_found()),
        MemberChange::Invalid(code) => Err(Problem::internal(code)),
        MemberChange::Refused(denial) => Err(Problem::new(
            StatusCode::FORBIDDEN,
            ApiErrorCode::ChangeRefused,
            format!("the change was refused: {}", denial.reason),
        )),
    }
}

/// `Content-Disposition` for `name`: an ASCII fallback and the UTF-8 name (RFC 6266).
fn disposition(inline: bool, name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// `GET /api/v1/{section}/{id}/attachments/{hash}`: the file, streamed.
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path((section, id, hash)): Path<(String, String, String)>,
) -> RestResult<Response> {
    let kind = kind_of(&section)?;
    caller.require(&section, false)?;
    let hash = hash_of(&hash)?;
    let row = visible_row(&state, &caller, kind, parse_id(&id)?).await?;
    let record = row.record()?;
    let Some(attachment) = record
        .common()
        .attachments
        .iter()
        .find(|a| a.hash == hash && a.is_live())
    else {
        return Err(Problem::not_found());
    };
    let store = blobs(&state);
    let workspace = &caller.user.workspace_id;
    let blob = store
        .blob(workspace, hash)?
        .ok_or_else(Problem::not_found)?;
    let stream = store.read(workspace, hash).await?;
    let inline = Category::inline(&blob.media_type);
    let content_type = if blob.media_type.starts_with("text/") {
        format!("{}; charset=utf-8", blob.media_type)
    } else {
        blob.media_type.clone()
    };
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, content_type);
    set(header::CONTENT_LENGTH, blob.size.to_string());
    set(
        header::CONTENT_DISPOSITION,
        disposition(inline, &attachment.name),
    );
    set(header::ETAG, format!("\"{hash}\""));
    // Access can be taken away: browsers keep it privately and briefly; the app keeps
    // its own offline copy.
    set(header::CACHE_CONTROL, "private, max-age=3600".to_owned());
    set(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin".to_owned(),
    );
    response.extensions_mut().insert(UploadedContent);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turkish_name_is_kept_and_cannot_break_the_header() {
        assert_eq!(
            disposition(false, "Teklif \"imzalı\".pdf"),
            "attachment; filename=\"Teklif _imzal__.pdf\"; filename*=UTF-8''Teklif%20%22imzal%C4%B1%22.pdf"
        );
        assert!(
            disposition(true, "a\r\nSet-Cookie: x")
                .starts_with("inline; filename=\"a__Set-Cookie_ x\"")
        );
    }
}
