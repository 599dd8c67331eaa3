//! Operator commands (`saha-server admin …`), run against the configured storage
//! while the server is stopped.

use std::io::BufRead;

use leptos::config::LeptosOptions;

use crate::config::AdminCommand;
use crate::directory::hash_password;
use crate::http::state::AppState;
use crate::{Config, ServerError};

/// Runs one admin command; returns what to print on success.
pub async fn run(config: Config, command: AdminCommand) -> Result<String, String> {
    match command {
        AdminCommand::CreateWorkspace {
            name,
            email,
            owner_name,
            password_stdin: _,
        } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|e| format!("reading the password from standard input: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            saha_core::api::check_new_password(&password).map_err(|_| {
                format!(
                    "the password must have {} to {} characters",
                    saha_core::api::MIN_PASSWORD_CHARS,
                    saha_core::api::MAX_PASSWORD_CHARS
                )
            })?;
            let email = match saha_core::text::validate::email(&email) {
                Ok(e) if !e.is_empty() => e,
                _ => return Err(format!("{email:?} is not an email address")),
            };
            let name = name.trim().to_owned();
            if name.is_empty() {
                return Err("the workspace name is empty".into());
            }
            let owner_name =
                owner_name.unwrap_or_else(|| email.split('@').next().unwrap_or("owner").to_owned());
            let storage = crate::start::open_storage(&config)
                .await
                .map_err(|e| match e {
                    ServerError::Storage(m) if m.contains("already open") || m.contains("lock") => {
                        format!("{m}: stop the server first")
                    }
                    e => e.to_string(),
                })?;
            let state = AppState::open(
                storage,
                config,
                LeptosOptions::builder().output_name("saha").build(),
            )
            .await
            .map_err(|e| e.to_string())?;
            let hash = hash_password(&password).map_err(|e| e.to_string())?;
            let (workspace, owner) = crate::http::setup::provision_workspace(
                &state,
                &name,
                &owner_name,
                &email,
                hash,
                false,
            )
            .await
            .map_err(|e| e.to_string())?;
            state.directory.audit(
                &workspace.id,
                saha_core::api::AuditEntry {
                    at: crate::directory::now_ms(),
                    actor: "saha-server admin".into(),
                    action: saha_core::api::AuditAction::WorkspaceCreated.code().into(),
                    target: workspace.name.clone(),
                    ip: String::new(),
                    detail: format!("owner {}", owner.email),
                },
            );
            Ok(format!(
                "created workspace {:?} ({}) with owner {}",
                workspace.name, workspace.id, owner.email
            ))
        }
    }
}
