//! The HTTP side of sync: short-lived tickets for `/sync`, the upgrade that redeems one,
//! the change feed a device bootstraps from, and the workspace summary.

use std::net::SocketAddr;
use std::time::Duration;

use crate::sync::hub::Grant;
use crate::sync::socket::SocketContext;
use axum::extract::WebSocketUpgrade;

use axum::Json;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::api::{self, ApiErrorCode};
use serde::Deserialize;

use crate::http::auth::{Authenticated, check_origin, me};
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;

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
pub(crate) const FEED_PAGE: usize = 256;

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

#[derive(Deserialize)]
pub(crate) struct SyncQuery {
    ticket: Option<String>,
    /// `workspace`: the connection follows every document the member may see (the app,
    /// which bootstraps from `/api/sync/changes`); otherwise only those it asks for.
    follow: Option<String>,
}

/// `/sync?ticket=…`: checks the Origin and redeems the ticket before upgrading.
pub(crate) async fn sync_upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<SyncQuery>,
) -> Response {
    if let Err(failure) = check_origin(&state, &headers) {
        tracing::warn!(origin = ?headers.get("origin"), "sync refused: origin not allowed");
        return failure.into_response();
    }
    let refused = || {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            ApiErrorCode::InvalidTicket,
            "a valid sync ticket is required: POST /api/sync/ticket",
        )
        .into_response()
    };
    let Some(ticket) = query
        .ticket
        .as_deref()
        .and_then(|t| state.tickets.redeem(t))
    else {
        return refused();
    };
    // The session may have ended since the ticket was issued.
    let (session, user) = match state.directory.session(&ticket.session_hash) {
        Ok(Some(found)) => found,
        Ok(None) => return refused(),
        Err(e) => return Failure::from(e).into_response(),
    };
    if user.id != ticket.user_id || user.workspace_id != ticket.workspace_id {
        return refused();
    }
    let mut grant = Grant::new(
        user.id.clone(),
        user.email.clone(),
        user.workspace_id.clone(),
        ticket.session_hash,
        user.access(),
        session.expires_at,
    );
    grant.follows_workspace = query.follow.as_deref() == Some("workspace");
    let ctx = SocketContext {
        hub: state.hub.clone(),
        directory: state.directory.clone(),
        rate: state.message_rate.clone(),
        ping_every: Duration::from_secs(state.config.ping_seconds.max(1)),
        // A frame the peer has not taken in two ping intervals: it stopped reading.
        send_timeout: Duration::from_secs(2 * state.config.ping_seconds.max(1)),
        grant,
        ip: crate::http::security::client_ip(&state.config, Some(peer.0), &headers),
    };
    // tungstenite zero-fills `read_buffer_size` bytes before every socket read; the
    // default 128 KiB made that memset a quarter of the server's CPU under load, while
    // sync frames are mostly well under 8 KiB (larger ones are read in several steps).
    ws.read_buffer_size(8 * 1024)
        .max_message_size(state.config.max_message_bytes)
        .max_frame_size(state.config.max_message_bytes)
        .on_failed_upgrade(|e| tracing::warn!(error = %e, "websocket upgrade failed"))
        .on_upgrade(move |socket| crate::sync::socket::serve(socket, ctx))
        .into_response()
}
