//! `POST /api/v1/inbound/mentions`: any monitoring tool posts a public mention (a
//! complaint on a social network, a review) and it becomes a case with channel
//! `social`, the link and the author in its notes, so the SLA clock runs on complaints
//! made in public too. Token-protected (scope `cases:write`); the same link posted
//! again answers the case it already made (`200`) instead of a second one.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use saha_core::api::ApiErrorCode;
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::http::auth::ip;
use crate::http::state::AppState;
use crate::rest::caller::Caller;
use crate::rest::problem::{FieldError, Problem, RestResult};
use crate::rest::records::{RecordInput, create_record, record_json};
use crate::storage::DocumentStore;

/// Mentions already turned into cases: `workspace/sha256(url)` → case ID.
pub(crate) const MENTIONS: &str = "inbound_mentions";
/// Longest mention text kept.
const MAX_TEXT: usize = 5_000;
/// Longest case subject made from a mention.
const SUBJECT_CHARS: usize = 80;

/// A mention.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    /// The public link of the post.
    pub url: String,
    /// Who wrote it (a handle or name).
    pub author: String,
    pub text: String,
    /// Where it was written (`x.com`, `instagram`, `şikayetvar`…).
    #[serde(default)]
    pub network: String,
    /// `complaint` (default), `request` or `wish`.
    #[serde(default)]
    pub category: Option<String>,
    /// The team the case belongs to (default: shared).
    #[serde(default)]
    pub team: Option<String>,
}

fn required(field: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: "required".to_owned(),
    }
}

/// `POST /api/v1/inbound/mentions`.
pub async fn mention(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<Mention>, axum::extract::rejection::JsonRejection>,
) -> RestResult<Response> {
    caller.require("cases", true)?;
    let Json(mention) = body.map_err(|e| Problem::invalid(e.body_text()))?;
    let mut errors = Vec::new();
    for (field, value) in [
        ("url", &mention.url),
        ("author", &mention.author),
        ("text", &mention.text),
    ] {
        if value.trim().is_empty() {
            errors.push(required(field));
        }
    }
    let url = mention.url.trim();
    if !errors.is_empty() || !(url.starts_with("https://") || url.starts_with("http://")) {
        if errors.is_empty() {
            errors.push(FieldError {
                field: "url".into(),
                code: "not_a_link".into(),
            });
        }
        return Err(Problem::fields(
            ApiErrorCode::ValidationFailed,
            "a mention needs its link, author and text",
            errors,
        ));
    }
    let key = format!(
        "{}/{}",
        caller.user.workspace_id,
        hex::encode(Sha256::digest(url.as_bytes()))
    );
    let tables = state.hub.storage().tables();
    let known = tables.read(|tx| tx.get(MENTIONS, &key))?;
    if let Some(id) = known
        .and_then(|v| String::from_utf8(v).ok())
        .and_then(|id| id.parse::<saha_core::DocumentId>().ok())
        && let Some(row) = state
            .hub
            .storage()
            .record(caller.user.workspace_id.clone(), "case".into(), id)
            .await?
    {
        return Ok((
            StatusCode::OK,
            Json(record_json(&id, &row.record()?, row.updated_at)),
        )
            .into_response());
    }
    let text: String = mention.text.trim().chars().take(MAX_TEXT).collect();
    let first_line = text.lines().next().unwrap_or_default();
    let mut subject: String = first_line.chars().take(SUBJECT_CHARS).collect();
    if first_line.chars().count() > SUBJECT_CHARS {
        subject.push('…');
    }
    let network = if mention.network.trim().is_empty() {
        String::new()
    } else {
        format!(" ({})", mention.network.trim())
    };
    let notes = format!("{}{network}: {url}\n\n{text}", mention.author.trim());
    let mut fields = Map::new();
    fields.insert("subject".into(), Value::from(subject));
    fields.insert(
        "category".into(),
        Value::from(mention.category.unwrap_or_else(|| "complaint".into())),
    );
    fields.insert("channel".into(), Value::from("social"));
    fields.insert("notes".into(), Value::from(notes));
    if let Some(team) = mention.team {
        fields.insert("team".into(), Value::from(team));
    }
    let input = RecordInput {
        fields,
        lines: None,
    };
    let (id, response) = create_record(
        &state,
        &caller,
        "cases",
        &input,
        &ip(&state, &peer, &headers),
    )
    .await?;
    tables.write(|tx| tx.put(MENTIONS, &key, id.to_string().as_bytes()))?;
    Ok(response)
}
