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
use axum::extract::{ConnectInfo, FromRef, Query, Request, State, WebSocketUpgrade};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use leptos::config::LeptosOptions;
use serde::Deserialize;
use tower_http::services::ServeDir;

use crate::api::{self, Failure};
use crate::directory::Directory;
use crate::hub::{Grant, Hub, Limits};
use crate::storage::{DocumentStore, Storage};
use crate::sync_socket::SocketContext;
use crate::throttle::{LoginThrottle, MessageRate};
use crate::tickets::Tickets;
use crate::{Config, ServerError};

#[derive(Clone)]
pub struct AppState {
    pub hub: Arc<Hub>,
    pub directory: Arc<Directory>,
    pub tickets: Arc<Tickets>,
    pub login_throttle: Arc<LoginThrottle>,
    pub message_rate: Arc<MessageRate>,
    pub leptos: LeptosOptions,
    pub config: Arc<Config>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    /// Opens the hub and directory over `storage`.
    pub async fn open(
        storage: Storage,
        config: Config,
        leptos: LeptosOptions,
    ) -> Result<AppState, ServerError> {
        let tables = storage.tables();
        let directory = Arc::new(Directory::open(tables.clone())?);
        let limits = Limits {
            max_document_bytes: config.max_document_bytes,
            max_documents_per_connection: config.max_documents_per_connection,
            max_live_documents: config.max_live_documents,
            idle_eviction: Duration::from_secs(config.idle_eviction_seconds),
        };
        let hub = Arc::new(Hub::open(storage, limits).await?);
        Ok(AppState {
            hub,
            directory,
            tickets: Arc::new(Tickets::new(
                tables,
                Duration::from_secs(config.ticket_seconds),
            )),
            login_throttle: Arc::new(LoginThrottle::default()),
            message_rate: Arc::new(MessageRate::new(
                config.user_messages_per_second,
                config.user_message_burst,
            )),
            leptos,
            config: Arc::new(config),
        })
    }
}

/// Rebuilds every workspace index of an older layout (one whose history may name
/// records of teams, see [`crate::hub::Hub::rebuild_index`]) and points the workspace
/// at the new one. Runs before the server accepts connections.
pub async fn upgrade_indexes(state: &AppState) -> Result<(), ServerError> {
    for workspace in state
        .directory
        .workspaces()
        .map_err(|e| ServerError::Storage(e.to_string()))?
    {
        if workspace.index_layout >= crate::directory::INDEX_LAYOUT {
            continue;
        }
        let Ok(old) = workspace.index_id.parse::<saha_core::DocumentId>() else {
            continue;
        };
        let new = state.hub.rebuild_index(&workspace.id, old).await?;
        state
            .directory
            .set_index(
                &workspace.id,
                &new.to_string(),
                crate::directory::INDEX_LAYOUT,
            )
            .map_err(|e| ServerError::Storage(e.to_string()))?;
        tracing::info!(workspace = %workspace.id, old = %old, new = %new, "workspace index rebuilt: it lists only shared records");
    }
    Ok(())
}

/// Refuses state-changing API calls from a foreign browser origin.
async fn api_origin_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state && let Err(failure) = api::check_origin(&state, request.headers()) {
        return failure.into_response();
    }
    next.run(request).await
}

/// The router of a server whose hub is already open.
pub fn router(state: AppState) -> Router {
    let leptos = state.leptos.clone();
    let shell = leptos_axum::render_app_to_stream(move || app::shell(leptos.clone()));
    let static_files = ServeDir::new(state.config.site_root.clone())
        .precompressed_gzip()
        .fallback(get(shell));
    let api_routes = Router::new()
        .route("/setup", get(api::setup_status).post(api::setup))
        .route("/auth/login", post(api::login))
        .route("/auth/logout", post(api::logout))
        .route("/auth/me", get(api::who_am_i))
        .route("/auth/password", post(api::change_password))
        .route("/sync/ticket", post(api::sync_ticket))
        .route("/sync/changes", get(api::sync_changes))
        .route("/sync/refusals", get(api::sync_refusals))
        .route("/workspace", get(api::workspace))
        .route("/members", get(api::members))
        .route("/members/{id}", patch(api::update_member))
        .route("/teams", get(api::teams).post(api::add_team))
        .route("/invitations", get(api::invitations).post(api::invite))
        .route(
            "/invitations/{id}",
            axum::routing::delete(api::revoke_invitation),
        )
        .route(
            "/invite/{token}",
            get(api::invitation_preview).post(api::accept_invitation),
        )
        .route("/audit", get(api::audit_log))
        .route("/invoice-numbers", post(api::reserve_invoice_numbers))
        .route(
            "/calendar-feeds",
            get(crate::calendar_feed::list).post(crate::calendar_feed::create),
        )
        .route(
            "/calendar-feeds/{id}",
            axum::routing::delete(crate::calendar_feed::revoke),
        )
        .route("/health", get(|| async { "ok" }))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            api_origin_guard,
        ));
    Router::new()
        .route("/sync", get(sync_upgrade))
        .route("/calendar/{file}", get(crate::calendar_feed::serve))
        .route(
            "/survey/{token}",
            get(crate::survey::show).post(crate::survey::answer),
        )
        .nest("/api", api_routes)
        .fallback_service(static_files)
        .layer(middleware::from_fn_with_state(state.clone(), host_guard))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::security::headers,
        ))
        .with_state(state)
}

/// Answers `421 Misdirected Request` to a request whose Host is not this server's
/// (see [`crate::security::host_allowed`]).
async fn host_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if crate::security::host_allowed(&state.config, request.headers()) {
        next.run(request).await
    } else {
        (
            axum::http::StatusCode::MISDIRECTED_REQUEST,
            "this server answers to its own address only (see --public-url)",
        )
            .into_response()
    }
}

#[derive(Deserialize)]
struct SyncQuery {
    ticket: Option<String>,
    /// `workspace`: the connection follows every document the member may see (the app,
    /// which bootstraps from `/api/sync/changes`); otherwise only those it asks for.
    follow: Option<String>,
}

/// `/sync?ticket=…`: checks the Origin and redeems the ticket before upgrading.
async fn sync_upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<SyncQuery>,
) -> Response {
    if let Err(failure) = api::check_origin(&state, &headers) {
        tracing::warn!(origin = ?headers.get("origin"), "sync refused: origin not allowed");
        return failure.into_response();
    }
    let refused = || {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            "invalid_ticket",
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
        grant,
        ip: crate::security::client_ip(&state.config, Some(peer.0), &headers),
    };
    // tungstenite zero-fills `read_buffer_size` bytes before every socket read; the
    // default 128 KiB made that memset a quarter of the server's CPU under load, while
    // sync frames are mostly well under 8 KiB (larger ones are read in several steps).
    ws.read_buffer_size(8 * 1024)
        .max_message_size(state.config.max_message_bytes)
        .max_frame_size(state.config.max_message_bytes)
        .on_failed_upgrade(|e| tracing::warn!(error = %e, "websocket upgrade failed"))
        .on_upgrade(move |socket| crate::sync_socket::serve(socket, ctx))
        .into_response()
}

/// Starts the campaign outbox worker (it stops when the hub closes).
fn start_outbox(state: &AppState, addr: SocketAddr) -> Result<(), ServerError> {
    let tables = state.hub.storage().tables();
    let (outbox, uncertain) = crate::outbox::Outbox::open(tables.clone())?;
    let email: Option<Box<dyn crate::outbox::EmailSender>> = match &state.config.smtp_url {
        Some(url) => Some(Box::new(crate::outbox::SmtpSender::new(
            url,
            &state.config.smtp_from,
        )?)),
        None => None,
    };
    let sms_path = state
        .config
        .sms_log
        .clone()
        .unwrap_or_else(|| state.config.data_dir.join("sms-outbox.jsonl"));
    let worker = crate::outbox::Worker {
        hub: state.hub.clone(),
        directory: state.directory.clone(),
        outbox,
        email,
        sms: Box::new(crate::outbox::LogSmsProvider { path: sms_path }),
        links: tables,
        base_url: state
            .config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned(),
    };
    tokio::spawn(worker.run(uncertain));
    Ok(())
}

/// A server that is listening; dropping the handle does not stop it, [`RunningServer::shutdown`] does.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub hub: Arc<Hub>,
    pub state: AppState,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), std::io::Error>>,
}

impl RunningServer {
    /// Stops accepting, waits for the server task, and releases the storage file.
    pub async fn shutdown(self) -> Result<(), ServerError> {
        self.hub.close_connections();
        let _ = self.shutdown.send(());
        drop(self.state);
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

/// The storage `config` asks for: PostgreSQL with a database URL, else the embedded
/// file in the data directory.
pub async fn open_storage(config: &Config) -> Result<Storage, ServerError> {
    match &config.database_url {
        Some(url) if !url.is_empty() => Storage::connect(url).await,
        _ => Storage::open_with_cache(&config.data_dir, config.storage_cache_mib << 20),
    }
}

/// Opens storage, binds the listener and starts serving in a background task.
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    // Leptos renders on the Tokio runtime; a second call (tests) finds it set already.
    let _ = any_spawner::Executor::init_tokio();
    crate::security::check_exposure(&config)?;
    let storage = open_storage(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let leptos = LeptosOptions::builder()
        .output_name("saha")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let state = AppState::open(storage, config, leptos).await?;
    let hub = state.hub.clone();
    upgrade_indexes(&state).await?;
    start_outbox(&state, addr)?;
    tokio::spawn(crate::hub::evict_idle(hub.clone()));
    if let Storage::Postgres(pg) = hub.storage() {
        tokio::spawn(crate::hub::follow_other_nodes(
            hub.clone(),
            pg.notifications(),
        ));
    }
    tracing::info!(storage = hub.storage().backend(), "storage open");
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
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
        state,
        shutdown,
        task,
    })
}
