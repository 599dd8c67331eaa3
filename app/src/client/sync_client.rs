//! The browser's connection to the server: a WebSocket on `/sync` speaking the
//! automerge-repo protocol, reconnecting with exponential backoff.
//!
//! The loop waits while the browser says it is offline, connects, hands every frame to
//! the [`Repo`], and after the socket closes waits 1 s, 2 s, 4 s … up to 30 s (with
//! jitter) before the next try; the browser's `online` event cuts the wait short and its
//! `offline` event closes the socket at once, so the status shown is never stale.
//!
//! Once the handshake is done the [`Repo`] catches up through the change feed (one
//! streamed download of what changed since its cursor) and sends only its own
//! unconfirmed changes over the protocol; the socket follows the workspace, so later
//! changes arrive live.
//!
//! Each connection opens with a fresh single-use ticket (`POST /api/sync/ticket`). If
//! the server answers that the session is gone, the loop stops and the app asks the
//! member to log in again; local edits stay in IndexedDB meanwhile.

use futures::StreamExt;
use futures::channel::mpsc;
use leptos::prelude::{GetUntracked, Set};
use saha_protocol::sync::Connection;
use saha_protocol::wire::PeerMetadata;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{BinaryType, MessageEvent, WebSocket};

use super::describe;
use super::http::{self, HttpError};
use super::repo::{Connectivity, Link, Repo};
use saha_core::api::Ticket;

const FIRST_BACKOFF_MS: u32 = 1_000;
const MAX_BACKOFF_MS: u32 = 30_000;

enum SocketEvent {
    Open,
    Frame(Vec<u8>),
    Closed,
}

/// Starts the sync loop for the life of the page.
pub fn start(repo: Repo) {
    let (wake, wakeups) = mpsc::unbounded::<()>();
    if let Some(window) = web_sys::window() {
        let online = Closure::<dyn FnMut()>::new(move || {
            let _ = wake.unbounded_send(());
        });
        let offline_repo = repo.clone();
        let offline = Closure::<dyn FnMut()>::new(move || offline_repo.detach());
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        let _ =
            window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        // These listeners live as long as the page.
        online.forget();
        offline.forget();
    }
    wasm_bindgen_futures::spawn_local(run(repo, wakeups));
}

fn browser_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

async fn run(repo: Repo, mut wakeups: mpsc::UnboundedReceiver<()>) {
    let peer_id = format!("saha-web-{}", random_id());
    let mut backoff = FIRST_BACKOFF_MS;
    loop {
        if browser_online() {
            repo.set_connectivity(Connectivity::Connecting);
            match http::post::<_, Ticket>("/api/sync/ticket", &serde_json::json!({})).await {
                Ok(ticket) => {
                    // The link is up: audit notices made offline go now.
                    crate::client::audit::send_pending(repo.user_id().to_owned());
                    // Follow the whole workspace: changes to any record this member
                    // may see arrive without asking for each (see `Repo::catch_up`).
                    let url = format!("{}&follow=workspace", ticket.url);
                    if connect_once(&repo, &peer_id, &url).await {
                        backoff = FIRST_BACKOFF_MS;
                    }
                }
                Err(HttpError::Api { status: 401, .. }) => {
                    repo.detach();
                    repo.session_expired().set(true);
                    // Nothing to do until the member logs in again (a new page).
                    return;
                }
                Err(e) => leptos::logging::warn!("sync: no ticket: {e:?}"),
            }
            repo.detach();
        }
        let jitter = (js_sys::Math::random() * f64::from(backoff) * 0.3) as u32;
        let sleep = gloo_timers::future::TimeoutFuture::new(backoff + jitter);
        futures::future::select(sleep, wakeups.next()).await;
        backoff = (backoff * 2).min(MAX_BACKOFF_MS);
    }
}

fn random_id() -> String {
    saha_core::DocumentId::random().to_string()
}

/// One connection, from open to close. Returns whether the handshake completed.
async fn connect_once(repo: &Repo, peer_id: &str, url: &str) -> bool {
    let ws = match WebSocket::new(url) {
        Ok(ws) => ws,
        Err(e) => {
            leptos::logging::warn!("sync: cannot open {url}: {}", describe(&e));
            return false;
        }
    };
    ws.set_binary_type(BinaryType::Arraybuffer);
    let (events, mut incoming) = mpsc::unbounded::<SocketEvent>();

    let tx = events.clone();
    let on_open = Closure::<dyn FnMut()>::new(move || {
        let _ = tx.unbounded_send(SocketEvent::Open);
    });
    let tx = events.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        if let Ok(buffer) = e.data().dyn_into::<js_sys::ArrayBuffer>() {
            let _ = tx.unbounded_send(SocketEvent::Frame(
                js_sys::Uint8Array::new(&buffer).to_vec(),
            ));
        }
    });
    let tx = events.clone();
    let on_close = Closure::<dyn FnMut()>::new(move || {
        let _ = tx.unbounded_send(SocketEvent::Closed);
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    ws.set_onerror(Some(on_close.as_ref().unchecked_ref()));

    let mut handshook = false;
    while let Some(event) = incoming.next().await {
        match event {
            SocketEvent::Open => {
                let metadata = PeerMetadata {
                    storage_id: None,
                    is_ephemeral: false,
                };
                let (conn, join) = Connection::client(peer_id, metadata);
                if ws.send_with_u8_array(&join.encode()).is_err() {
                    break;
                }
                repo.attach(Link {
                    ws: ws.clone(),
                    conn,
                });
            }
            SocketEvent::Frame(bytes) => {
                if let Err(e) = repo.receive(&bytes).await {
                    leptos::logging::warn!("sync: closing the connection: {e}");
                    break;
                }
                handshook |= repo.connectivity().get_untracked() == Connectivity::Online;
            }
            SocketEvent::Closed => break,
        }
    }
    ws.set_onopen(None);
    ws.set_onmessage(None);
    ws.set_onclose(None);
    ws.set_onerror(None);
    let _ = ws.close();
    handshook
}
