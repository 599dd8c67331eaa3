//! HTTP routes: the app shell, static assets, the workspace API and `/sync`.
//!
//! The app shell is rendered by Leptos (`app::shell`) and is the same for every app
//! route: the browser renders views from its local store, so one cached shell serves
//! every page offline. Static files (`/pkg/*`, `/sw.js`, the manifest, icons) come from
//! the site root; any other GET falls back to the shell, and the client router shows
//! its own "not found" page for unknown paths.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, State, WebSocketUpgrade};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use leptos::config::LeptosOptions;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::hub::{Hub, WorkspaceInfo};
use crate::storage::Storage;
use crate::{Config, ServerError};

#[derive(Clone)]
pub struct AppState {
    pub hub: Arc<Hub>,
    pub leptos: LeptosOptions,
    pub config: Arc<Config>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The router of a server whose hub is already open.
pub fn router(state: AppState) -> Router {
    let leptos = state.leptos.clone();
    let shell = leptos_axum::render_app_to_stream(move || app::shell(leptos.clone()));
    let static_files = ServeDir::new(state.config.site_root.clone())
        .precompressed_gzip()
        .fallback(get(shell));
    Router::new()
        .route("/sync", get(sync_upgrade))
        .route("/api/workspace", get(workspace))
        .route("/api/health", get(|| async { "ok" }))
        .fallback_service(static_files)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}

async fn workspace(State(state): State<AppState>) -> Json<WorkspaceInfo> {
    Json(state.hub.workspace())
}

async fn sync_upgrade(ws: WebSocketUpgrade, State(state): State<AppState>) -> Response {
    let hub = state.hub.clone();
    let ping = Duration::from_secs(state.config.ping_seconds.max(1));
    // tungstenite zero-fills `read_buffer_size` bytes before every socket read; the
    // default 128 KiB made that memset a quarter of the server's CPU under load, while
    // sync frames are mostly well under 8 KiB (larger ones are read in several steps).
    ws.read_buffer_size(8 * 1024)
        .max_message_size(state.config.max_message_bytes)
        .max_frame_size(state.config.max_message_bytes)
        .on_failed_upgrade(|e| tracing::warn!(error = %e, "websocket upgrade failed"))
        .on_upgrade(move |socket| crate::sync_socket::serve(socket, hub, ping))
        .into_response()
}

/// A server that is listening; dropping the handle does not stop it, [`RunningServer::shutdown`] does.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub hub: Arc<Hub>,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), std::io::Error>>,
}

impl RunningServer {
    /// Stops accepting, waits for the server task, and releases the storage file.
    pub async fn shutdown(self) -> Result<(), ServerError> {
        self.hub.close_connections();
        let _ = self.shutdown.send(());
        let hub = self.hub;
        self.task
            .await
            .map_err(|e| ServerError::Storage(format!("server task: {e}")))??;
        // Open sockets may still hold the hub briefly; wait for them to let go.
        let mut hub = hub;
        for _ in 0..100 {
            match Arc::try_unwrap(hub) {
                Ok(hub) => {
                    drop(hub);
                    return Ok(());
                }
                Err(still_shared) => {
                    hub = still_shared;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
        Err(ServerError::Storage("connections did not close".into()))
    }

    /// Serves until `stop` resolves, then shuts down cleanly: sync connections are
    /// closed with "going away" and the storage writer finishes its queue.
    pub async fn run_until(mut self, stop: impl Future<Output = ()>) -> Result<(), ServerError> {
        tokio::select! {
            ended = &mut self.task => {
                return Ok(ended.map_err(|e| ServerError::Storage(format!("server task: {e}")))??);
            }
            () = stop => {}
        }
        self.shutdown().await
    }
}

/// Opens storage, binds the listener and starts serving in a background task.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    // Leptos renders on the Tokio runtime; a second call (tests) finds it set already.
    let _ = any_spawner::Executor::init_tokio();
    let storage = Storage::open(&config.data_dir)?;
    let hub = Arc::new(Hub::open(storage, &config.workspace_name).await?);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let leptos = LeptosOptions::builder()
        .output_name("saha")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let state = AppState {
        hub: hub.clone(),
        leptos,
        config: Arc::new(config),
    };
    let app = router(state);
    let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
    // Sync frames are small and latency-bound: no Nagle delay.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop.await;
            })
            .await
    });
    Ok(RunningServer {
        addr,
        hub,
        shutdown,
        task,
    })
}
