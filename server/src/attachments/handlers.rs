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
    let mut value = json!({
        "hash": a.hash,
        "name": a.name,
        "mediaType": a.media_type,
        "size": a.size,
        "durationMs": a.duration_ms,
        "by": a.by,
        "at": a.at,
    });
    if !a.thumb.is_empty() {
        value["thumb"] = json!(a.thumb);
    }
    value
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
    /// A small JPEG of a photo, uploaded first, that lists show.
    #[serde(default)]
    thumb: Option<String>,
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
    let thumb = match input.thumb.as_deref() {
        None | Some("") => String::new(),
        Some(thumb) => {
            let stored = is_hash(thumb)
                .then(|| blobs(&state).blob(&caller.user.workspace_id, thumb))
                .transpose()?
                .flatten();
            match stored {
                Some(row) if row.media_type.starts_with("image/") => thumb.to_owned(),
                Some(_) => {
                    return Err(Problem::invalid("`thumb` is an image"));
                }
                None => {
                    return Err(Problem::new(
                        StatusCode::CONFLICT,
                        ApiErrorCode::UploadIncomplete,
                        "upload the thumbnail (`thumb`, its SHA-256) before attaching it",
                    ));
                }
            }
        }
    };
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
        thumb,
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

/// What a download answers with, given its `Range`, `If-Range` and `If-None-Match`.
#[derive(Debug, PartialEq, Eq)]
enum Part {
    /// `200` and every byte.
    Whole,
    /// `304`: the client's copy is this file (the ETag is the hash).
    NotModified,
    /// `206` and these bytes (one range, end exclusive).
    Range(std::ops::Range<u64>),
    /// `416`: no byte of the file is in the range asked for.
    Unsatisfiable,
}

/// Decides the [`Part`] of a file of `size` bytes whose ETag is `etag` (quoted). One
/// range is served as asked; several, a malformed header or an `If-Range` naming
/// another version get the whole file, as RFC 9110 allows.
fn part_asked(headers: &HeaderMap, etag: &str, size: u64) -> Part {
    let header = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if header(header::IF_NONE_MATCH)
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return Part::NotModified;
    }
    let Some(range) = header(header::RANGE) else {
        return Part::Whole;
    };
    if header(header::IF_RANGE).is_some_and(|tag| tag.trim() != etag) {
        return Part::Whole;
    }
    let Ok(parsed) = http_range_header::parse_range_header(range) else {
        return Part::Whole;
    };
    if parsed.ranges.len() != 1 {
        return Part::Whole;
    }
    match parsed.validate(size) {
        Ok(ranges) => match ranges.first() {
            Some(r) if size > 0 && r.start() <= r.end() => Part::Range(*r.start()..*r.end() + 1),
            _ => Part::Unsatisfiable,
        },
        // A suffix longer than the file means all of it.
        Err(http_range_header::RangeUnsatisfiableError::FileSuffixOutOfBounds) if size > 0 => {
            Part::Range(0..size)
        }
        Err(_) => Part::Unsatisfiable,
    }
}

/// `GET /api/v1/{section}/{id}/attachments/{hash}`: the file, streamed; one byte
/// range of it with `Range` (`206`), nothing with a matching `If-None-Match` (`304`).
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    request_headers: HeaderMap,
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
        .find(|a| a.names(hash) && a.is_live())
    else {
        return Err(Problem::not_found());
    };
    let store = blobs(&state);
    let workspace = &caller.user.workspace_id;
    let blob = store
        .blob(workspace, hash)?
        .ok_or_else(Problem::not_found)?;
    let etag = format!("\"{hash}\"");
    let part = part_asked(&request_headers, &etag, blob.size);
    let (status, body, length) = match &part {
        Part::Whole => (
            StatusCode::OK,
            Body::from_stream(store.read(workspace, hash).await?),
            blob.size,
        ),
        Part::Range(range) => (
            StatusCode::PARTIAL_CONTENT,
            Body::from_stream(store.read_range(workspace, hash, range.clone()).await?),
            range.end - range.start,
        ),
        Part::NotModified => (StatusCode::NOT_MODIFIED, Body::empty(), 0),
        Part::Unsatisfiable => (StatusCode::RANGE_NOT_SATISFIABLE, Body::empty(), 0),
    };
    let inline = Category::inline(&blob.media_type);
    let content_type = if blob.media_type.starts_with("text/") {
        format!("{}; charset=utf-8", blob.media_type)
    } else {
        blob.media_type.clone()
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, content_type);
    set(header::CONTENT_LENGTH, length.to_string());
    set(header::ACCEPT_RANGES, "bytes".to_owned());
    match &part {
        Part::Range(range) => set(
            header::CONTENT_RANGE,
            format!("bytes {}-{}/{}", range.start, range.end - 1, blob.size),
        ),
        Part::Unsatisfiable => set(header::CONTENT_RANGE, format!("bytes */{}", blob.size)),
        Part::Whole | Part::NotModified => {}
    }
    set(
        header::CONTENT_DISPOSITION,
        disposition(inline, &attachment.name),
    );
    set(header::ETAG, etag);
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

    fn asked(pairs: &[(&str, &str)], size: u64) -> Part {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(
                header::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                HeaderValue::from_str(value).expect("a header value"),
            );
        }
        part_asked(&headers, "\"abc\"", size)
    }

    #[test]
    fn ranges_are_served_as_rfc_9110_says() {
        assert_eq!(asked(&[], 1000), Part::Whole);
        assert_eq!(asked(&[("range", "bytes=0-99")], 1000), Part::Range(0..100));
        assert_eq!(
            asked(&[("range", "bytes=900-")], 1000),
            Part::Range(900..1000)
        );
        assert_eq!(
            asked(&[("range", "bytes=-100")], 1000),
            Part::Range(900..1000)
        );
        // An end past the file is cut to it; a suffix longer than the file is all of it.
        assert_eq!(
            asked(&[("range", "bytes=500-5000")], 1000),
            Part::Range(500..1000)
        );
        assert_eq!(
            asked(&[("range", "bytes=-5000")], 1000),
            Part::Range(0..1000)
        );
        assert_eq!(
            asked(&[("range", "bytes=1000-")], 1000),
            Part::Unsatisfiable
        );
        assert_eq!(asked(&[("range", "bytes=0-")], 0), Part::Unsatisfiable);
        // Several ranges, a malformed header or another unit: the whole file.
        assert_eq!(asked(&[("range", "bytes=0-9,20-29")], 1000), Part::Whole);
        assert_eq!(asked(&[("range", "bytes=x-y")], 1000), Part::Whole);
        assert_eq!(asked(&[("range", "items=0-9")], 1000), Part::Whole);
        // If-Range names this version, or another.
        assert_eq!(
            asked(&[("range", "bytes=0-9"), ("if-range", "\"abc\"")], 1000),
            Part::Range(0..10)
        );
        assert_eq!(
            asked(&[("range", "bytes=0-9"), ("if-range", "\"old\"")], 1000),
            Part::Whole
        );
        assert_eq!(
            asked(&[("if-none-match", "\"abc\"")], 1000),
            Part::NotModified
        );
        assert_eq!(
            asked(&[("if-none-match", "\"old\", \"abc\"")], 1000),
            Part::NotModified
        );
        assert_eq!(asked(&[("if-none-match", "\"old\"")], 1000), Part::Whole);
    }
}
