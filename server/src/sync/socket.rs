//! The `/sync` WebSocket: one automerge-repo connection per socket.
//!
//! Each socket runs one task that reads frames, answers them through the [`Hub`], and
//! forwards changes made by other connections to the documents this peer tracks. Bad
//! input — a text frame, undecodable CBOR, an invalid Automerge message, a spoofed
//! sender — closes only this connection, with the reason logged and sent to the peer.
//!
//! The connection runs under the [`Grant`] of the ticket that opened it: every document
//! message is authorized by the hub, refusals go to the workspace's audit log, the
//! user's message rate is metered, and the socket closes when the session ends, is
//! revoked, or the member's access changes.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use futures_util::{SinkExt, StreamExt};
use saha_protocol::sync::Connection;
use saha_protocol::wire::Message;
use tokio::sync::broadcast::error::RecvError;

use crate::directory::{Directory, now_ms};
use crate::sync::hub::{Grant, Hub, Revocation};
use crate::throttle::MessageRate;

/// Close code for a protocol violation (RFC 6455 §7.4.1).
const CLOSE_PROTOCOL_ERROR: u16 = 1002;
/// Close code when the server goes away.
const CLOSE_GOING_AWAY: u16 = 1001;
/// Close code for a policy violation (wrong frame type).
const CLOSE_POLICY: u16 = 1008;
/// Close code for a message too big to process.
const CLOSE_TOO_BIG: u16 = 1009;

/// How long a new socket may take to send its `join`.
const JOIN_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a connection ended.
enum End {
    PeerLeft,
    ServerClosing,
    Violation(u16, String),
    /// The peer took nothing we sent for [`SocketContext::send_timeout`]: a client that
    /// stopped reading (or a network that stopped carrying) holds a task and its
    /// socket, and with a full send buffer it would block this loop, pings included,
    /// for good.
    Stalled,
}

/// Everything one sync connection runs with.
pub struct SocketContext {
    pub hub: Arc<Hub>,
    pub directory: Arc<Directory>,
    pub rate: Arc<MessageRate>,
    pub ping_every: Duration,
    /// How long one frame may wait for the peer to take it.
    pub send_timeout: Duration,
    pub grant: Grant,
    pub ip: String,
}

pub async fn serve(socket: WebSocket, ctx: SocketContext) {
    let SocketContext {
        hub,
        directory,
        rate,
        ping_every,
        send_timeout,
        mut grant,
        ip,
    } = ctx;
    let (mut sink, mut stream) = socket.split();
    let mut conn = Connection::server(hub.peer_id());
    let mut changes = hub.subscribe();
    let mut revocations = hub.revocations();
    let mut ping = tokio::time::interval(ping_every);
    ping.tick().await;
    let mut unanswered_pings = 0u8;
    let mut closing = hub.closing();
    let session_left =
        Duration::from_millis(u64::try_from(grant.expires_at - now_ms()).unwrap_or(0));
    let session_end = tokio::time::sleep(session_left);
    tokio::pin!(session_end);
    // A socket that does not even join is holding a connection for nothing.
    let join_deadline = tokio::time::sleep(JOIN_TIMEOUT);
    tokio::pin!(join_deadline);

    let end = loop {
        let outgoing: Vec<Message> = tokio::select! {
            frame = stream.next() => match frame {
                Some(Ok(WsMessage::Binary(bytes))) => {
                    unanswered_pings = 0;
                    let wait = rate.take(&grant.user_id);
                    if !wait.is_zero() {
                        tokio::time::sleep(wait).await;
                    }
                    let result = handle_frame(&hub, &mut conn, &mut grant, &bytes).await;
                    for denial in grant.denials.drain(..) {
                        let crate::sync::hub::Denial { doc, code, reason } = denial;
                        tracing::warn!(user = %grant.email, %doc, code, %reason, "sync change refused");
                        directory.audit(
                            &grant.workspace_id,
                            saha_core::api::AuditEntry {
                                at: now_ms(),
                                actor: grant.email.clone(),
                                action: saha_core::api::AuditAction::SyncDenied.code().into(),
                                target: doc.url().to_string(),
                                ip: ip.clone(),
                                detail: format!("{code}: {reason}"),
                            },
                        );
                        // Kept for the member's device, which words it.
                        if let Err(e) = directory.record_refusal(
                            &grant.user_id,
                            saha_core::api::SyncRefusal {
                                at: now_ms(),
                                document: doc.to_string(),
                                code: code.to_owned(),
                            },
                        ) {
                            tracing::warn!(error = %e, "could not keep a refusal for the device");
                        }
                    }
                    for (merged, survivor) in grant.merges.drain(..) {
                        directory.audit(
                            &grant.workspace_id,
                            saha_core::api::AuditEntry {
                                at: now_ms(),
                                actor: grant.email.clone(),
                                action: saha_core::api::AuditAction::RecordsMerged.code().into(),
                                target: merged.url().to_string(),
                                ip: ip.clone(),
                                detail: format!("merged into {survivor}"),
                            },
                        );
                    }
                    match result {
                        Ok(replies) => replies,
                        Err(end) => break end,
                    }
                }
                Some(Ok(WsMessage::Text(_))) => {
                    break End::Violation(CLOSE_POLICY, "text frames are not part of the protocol".into())
                }
                Some(Ok(WsMessage::Pong(_) | WsMessage::Ping(_))) => {
                    unanswered_pings = 0;
                    continue;
                }
                Some(Ok(WsMessage::Close(_))) | None => break End::PeerLeft,
                Some(Err(e)) => {
                    let e = e.into_inner();
                    if let Some(tungstenite::Error::Capacity(too_big)) = e.downcast_ref::<tungstenite::Error>() {
                        break End::Violation(CLOSE_TOO_BIG, format!("{too_big}: the server takes smaller messages"));
                    }
                    // A dropped connection (no closing handshake) is how phones leave.
                    tracing::debug!(peer = ?conn.remote_id(), error = %e, "sync connection lost");
                    break End::PeerLeft;
                }
            },
            revoked = revocations.recv() => match revoked {
                Ok(revocation) if grant.is_revoked_by(&revocation) => {
                    let reason = match revocation {
                        Revocation::Session(_) => "the session ended",
                        Revocation::User(_) => "the member's access changed",
                    };
                    break End::Violation(CLOSE_POLICY, reason.into());
                }
                Ok(_) => continue,
                // Missed revocations: check the session is still there.
                Err(RecvError::Lagged(_)) => match directory.session(&grant.session_hash) {
                    Ok(Some((_, user))) if user.access() == grant.access => continue,
                    _ => break End::Violation(CLOSE_POLICY, "the session ended".into()),
                },
                Err(RecvError::Closed) => break End::ServerClosing,
            },
            () = &mut session_end => break End::Violation(CLOSE_POLICY, "the session expired".into()),
            () = &mut join_deadline, if !conn.is_ready() => {
                break End::Violation(CLOSE_POLICY, "no join message in time".into())
            }
            changed = changes.recv() => match changed {
                Ok(id) => match hub.catch_up(&mut conn, &grant, id).await {
                    Ok(reply) => reply.into_iter().collect(),
                    Err(e) => {
                        tracing::error!(error = %e, doc = %id, "could not load a changed document");
                        continue;
                    }
                },
                Err(RecvError::Lagged(missed)) => {
                    // Too many changes to follow one by one: offer every tracked document.
                    tracing::debug!(missed, "change feed lagged; resyncing tracked documents");
                    let ids: Vec<_> = conn.tracked().copied().collect();
                    let mut replies = Vec::new();
                    for id in ids {
                        if let Ok(Some(reply)) = hub.catch_up(&mut conn, &grant, id).await {
                            replies.push(reply);
                        }
                    }
                    replies
                }
                Err(RecvError::Closed) => break End::PeerLeft,
            },
            _ = async { let _ = closing.wait_for(|closing| *closing).await; } => break End::ServerClosing,
            _ = ping.tick() => {
                if unanswered_pings >= 2 {
                    break End::Violation(CLOSE_POLICY, "peer stopped answering pings".into());
                }
                unanswered_pings += 1;
                match tokio::time::timeout(send_timeout, sink.send(WsMessage::Ping(Default::default()))).await {
                    Ok(Ok(())) => continue,
                    Ok(Err(_)) => break End::PeerLeft,
                    Err(_) => break End::Stalled,
                }
            }
        };
        let mut stalled = false;
        for msg in outgoing {
            match tokio::time::timeout(
                send_timeout,
                sink.send(WsMessage::Binary(msg.encode().into())),
            )
            .await
            {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return,
                Err(_) => {
                    stalled = true;
                    break;
                }
            }
        }
        if stalled {
            break End::Stalled;
        }
    };

    if let End::Stalled = end {
        // Nothing more can be sent; dropping the socket closes it.
        tracing::warn!(peer = ?conn.remote_id(), user = %grant.email, "closing a sync connection that stopped reading");
        return;
    }

    if let End::ServerClosing = end {
        let close = sink.send(WsMessage::Close(Some(CloseFrame {
            code: CLOSE_GOING_AWAY,
            reason: "server shutting down".into(),
        })));
        let _ = tokio::time::timeout(send_timeout, close).await;
    }
    if let End::Violation(code, reason) = end {
        tracing::warn!(peer = ?conn.remote_id(), user = %grant.email, %reason, "closing sync connection");
        let error = Message::Error {
            message: reason.clone(),
        };
        let sent = sink.send(WsMessage::Binary(error.encode().into()));
        if tokio::time::timeout(send_timeout, sent).await.is_err() {
            return;
        }
        let mut reason = reason;
        // A close reason must fit in a control frame (123 bytes).
        while reason.len() > 120 {
            reason.pop();
        }
        let close = sink.send(WsMessage::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })));
        let _ = tokio::time::timeout(send_timeout, close).await;
    }
}

/// Handles one binary frame; an `Err` says why the connection ends.
async fn handle_frame(
    hub: &Hub,
    conn: &mut Connection,
    grant: &mut Grant,
    bytes: &[u8],
) -> Result<Vec<Message>, End> {
    let violation = |reason: String| End::Violation(CLOSE_PROTOCOL_ERROR, reason);
    if !conn.is_ready() && bytes.len() > saha_protocol::wire::MAX_HANDSHAKE_BYTES {
        // Before the handshake a peer gets no more than a handshake's worth of room.
        return Err(violation(format!(
            "a {}-byte frame before the handshake (at most {})",
            bytes.len(),
            saha_protocol::wire::MAX_HANDSHAKE_BYTES
        )));
    }
    let msg = Message::decode(bytes).map_err(|e| violation(e.to_string()))?;
    if !conn.is_ready() {
        return conn
            .handshake(&msg)
            .map(|reply| reply.into_iter().collect())
            .map_err(|e| violation(e.to_string()));
    }
    match msg {
        Message::Request(_) | Message::Sync(_) => hub
            .handle_doc_message(conn, grant, msg)
            .await
            .map_err(|e| violation(e.to_string())),
        Message::Leave { .. } => Err(End::PeerLeft),
        Message::Error { message } => Err(violation(format!("peer reported an error: {message}"))),
        Message::DocUnavailable { .. } | Message::Ignored { .. } => Ok(Vec::new()),
        Message::Join { .. } | Message::Peer { .. } => {
            Err(violation(format!("{} after the handshake", msg.kind())))
        }
    }
}
