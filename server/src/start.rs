//! Starting a server: opening storage, the state, the outbox worker and the listener;
//! [`RunningServer`] shuts it down.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use leptos::config::LeptosOptions;

use crate::http::router::router;
use crate::http::state::AppState;
use crate::http::state::upgrade_indexes;
use crate::storage::{DocumentStore, Storage};
use crate::sync::hub::Hub;
use crate::{Config, ServerError};

/// Starts the campaign outbox worker (it stops when the hub closes).
fn start_outbox(state: &AppState, addr: SocketAddr) -> Result<(), ServerError> {
    let tables = state.hub.storage().tables();
    let (outbox, unreported) = crate::outbox::Outbox::open(tables.clone())?;
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
    tokio::spawn(worker.run(unreported));
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

/// Runs `job` every `period` (the first time at once; at most once a second) until the
/// hub closes: the server's scheduled work (retention runs, the attachments' sweep).
pub async fn every<F, Fut>(hub: &Hub, period: Duration, mut job: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut tick = tokio::time::interval(period.max(Duration::from_secs(1)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut closing = hub.closing();
    loop {
        tokio::select! {
            _ = closing.changed() => return,
            _ = tick.tick() => {}
        }
        job().await;
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
    crate::http::security::check_exposure(&config)?;
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
    crate::webhooks::dispatch::start(&state)?;
    tokio::spawn(crate::sync::hub::evict_idle(hub.clone()));
    tokio::spawn(crate::privacy::retention::schedule(state.clone()));
    tokio::spawn(crate::attachments::schedule_sweeps(state.clone()));
    if let Storage::Postgres(pg) = hub.storage() {
        tokio::spawn(crate::sync::hub::follow_other_nodes(
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
