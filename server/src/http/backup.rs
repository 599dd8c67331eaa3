//! `GET /api/workspace/backup`: an owner downloads the whole workspace as one file
//! ([`crate::backup`]), streamed as it is read; the download is audited.

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use saha_core::api::AuditAction;
use tokio::sync::{mpsc, oneshot};

use crate::backup::BackupError;
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;

/// The file name a backup downloads as: `saha-backup-<workspace ID>-<date>.jsonl.gz`.
pub fn file_name(workspace_id: &str, now_ms: i64) -> String {
    let day = saha_core::time::civil::Date::from_days_since_epoch(now_ms.div_euclid(86_400_000));
    format!("saha-backup-{workspace_id}-{day}.jsonl.gz")
}

pub async fn download(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if auth.user.role != saha_core::access::Role::Owner {
        return Err(Failure::forbidden());
    }
    let workspace = auth.user.workspace_id.clone();
    let (tx, rx) = mpsc::channel::<Vec<u8>>(4);
    let (done_tx, done_rx) = oneshot::channel::<Result<(), BackupError>>();
    let task_state = state.clone();
    let actor = auth.user.email.clone();
    let from = ip(&state, &peer, &headers);
    let ws = workspace.clone();
    tokio::spawn(async move {
        let result = crate::backup::write(
            task_state.hub.storage(),
            &task_state.directory,
            &ws,
            tx,
            || {
                audit(
                    &task_state,
                    &ws,
                    &actor,
                    AuditAction::WorkspaceBackedUp,
                    &ws,
                    &from,
                    String::new(),
                )
            },
        )
        .await;
        match &result {
            Ok(counts) => tracing::info!(workspace = %ws, %counts, "workspace backup written"),
            Err(e) => tracing::error!(workspace = %ws, error = %e, "workspace backup failed"),
        }
        let _ = done_tx.send(result.map(|_| ()));
    });
    // The pieces as they come; if the backup fails, the stream ends with an error, so
    // the download fails instead of leaving a file that only looks whole.
    let body = futures_util::stream::unfold((rx, Some(done_rx)), |(mut rx, done)| async move {
        if let Some(piece) = rx.recv().await {
            return Some((Ok::<_, std::io::Error>(piece), (rx, done)));
        }
        match done?.await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some((Err(std::io::Error::other(e.to_string())), (rx, None))),
            Err(_) => Some((Err(std::io::Error::other("the backup stopped")), (rx, None))),
        }
    });
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file_name(&workspace, crate::directory::now_ms())
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/gzip".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}
