//! The state every handler shares: the hub, the directory, tickets, throttles, the
//! Leptos options and the configuration; opening it also upgrades old workspace indexes.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::directory::Directory;
use crate::storage::{DocumentStore, Storage};
use crate::sync::hub::{Hub, Limits};
use crate::sync::tickets::Tickets;
use crate::throttle::{LoginThrottle, MessageRate};
use crate::{Config, ServerError};

#[derive(Clone)]
pub struct AppState {
    pub hub: Arc<Hub>,
    pub directory: Arc<Directory>,
    pub tickets: Arc<Tickets>,
    pub login_throttle: Arc<LoginThrottle>,
    pub message_rate: Arc<MessageRate>,
    /// REST API token use: request rates and last-used times.
    pub token_use: Arc<crate::rest::caller::TokenUse>,
    /// Web form post rates.
    pub form_rates: Arc<crate::forms::submit::FormRates>,
    /// Attachments' bytes.
    pub blobs: Arc<crate::attachments::BlobStore>,
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
        let blob_url = match &config.blob_url {
            Some(url) => url.clone(),
            None => {
                // Not a warning: one node on PostgreSQL is a sound setup; several need
                // a shared --blob-url (README, "Several nodes on PostgreSQL").
                if config.database_url.is_some() {
                    tracing::info!(
                        "attachments are kept in this node's data directory; give every node \
                         the same --blob-url so that each serves every file"
                    );
                }
                config.data_dir.join("blobs").to_string_lossy().into_owned()
            }
        };
        let blobs = Arc::new(crate::attachments::BlobStore::new(
            crate::attachments::BlobStore::objects_at(&blob_url)?,
            tables.clone(),
            config.max_attachment_mib.saturating_mul(1024 * 1024),
            config
                .workspace_attachment_quota_mib
                .saturating_mul(1024 * 1024),
        ));
        crate::storage::records::rebuild_if_needed(&storage).await?;
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
            token_use: Arc::new(crate::rest::caller::TokenUse::new(
                config.api_requests_per_second,
                config.api_request_burst,
            )),
            form_rates: Arc::new(crate::forms::submit::FormRates::default()),
            blobs,
            leptos,
            config: Arc::new(config),
        })
    }
}

/// Rebuilds every workspace index of an older layout (one whose history may name
/// records of teams, see [`crate::sync::hub::Hub::rebuild_index`]) and points the workspace
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
