//! Operator commands (`saha-server admin …`), run against the configured storage
//! while the server is stopped: creating a workspace or an API token here, moving
//! records in and out of files in [`import`].

pub mod import;

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
            let state = open(config).await?;
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
        AdminCommand::CreateApiToken {
            email,
            name,
            scopes,
        } => {
            let scopes = if scopes.is_empty() {
                vec!["*:read".to_owned()]
            } else {
                scopes
            };
            let scopes = crate::rest::tokens::checked_scopes(&scopes).map_err(|bad| {
                format!(
                    "{bad:?} is not a scope: use section:read or section:write with a section of {} or *",
                    saha_core::kinds::KIND_INFO
                        .iter()
                        .map(|k| k.section)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let name = name.trim().to_owned();
            if name.is_empty() {
                return Err("the token's name is empty".into());
            }
            let state = open(config).await?;
            let user = state
                .directory
                .user_by_email(&email)
                .map_err(|e| e.to_string())?
                .filter(|u| !u.disabled)
                .ok_or_else(|| format!("no active member has the email address {email:?}"))?;
            if !user.role.administers() {
                return Err(format!(
                    "{email} is not an owner or admin; only they get tokens from the command line"
                ));
            }
            let (secret, token) = state
                .directory
                .create_api_token(&user, &name, scopes)
                .map_err(|e| e.to_string())?;
            state.directory.audit(
                &user.workspace_id,
                saha_core::api::AuditEntry {
                    at: crate::directory::now_ms(),
                    actor: "saha-server admin".into(),
                    action: saha_core::api::AuditAction::ApiTokenCreated.code().into(),
                    target: token.name.clone(),
                    ip: String::new(),
                    detail: format!("for {}: {}", user.email, token.scopes.join(" ")),
                },
            );
            Ok(secret)
        }
        AdminCommand::Import {
            email,
            kind,
            mapping,
            mode,
            key,
            date_order,
            encoding,
            dry_run,
            refused,
            file,
        } => {
            let state = open(config).await?;
            let request = import::ImportRequest {
                email,
                kind,
                mapping,
                mode,
                key,
                date_order,
                encoding,
                dry_run,
                refused,
                file,
            };
            import::import(&state, request).await
        }
        AdminCommand::Export {
            email,
            kind,
            format,
            out,
        } => {
            let state = open(config).await?;
            let (bytes, summary) =
                import::export(&state, &email, &kind, &format, out.as_deref()).await?;
            match &out {
                Some(path) => {
                    std::fs::write(path, &bytes)
                        .map_err(|e| format!("writing {}: {e}", path.display()))?;
                    Ok(format!("{summary} to {}", path.display()))
                }
                None => {
                    use std::io::Write;
                    let mut stdout = std::io::stdout().lock();
                    stdout
                        .write_all(&bytes)
                        .and_then(|()| stdout.flush())
                        .map_err(|e| format!("writing to standard output: {e}"))?;
                    eprintln!("{summary}");
                    Ok(String::new())
                }
            }
        }
    }
}

/// Opens the configured storage and the server's state over it.
async fn open(config: Config) -> Result<AppState, String> {
    let storage = crate::start::open_storage(&config)
        .await
        .map_err(|e| match e {
            ServerError::Storage(m) if m.contains("already open") || m.contains("lock") => {
                format!("{m}: stop the server first")
            }
            e => e.to_string(),
        })?;
    AppState::open(
        storage,
        config,
        LeptosOptions::builder().output_name("saha").build(),
    )
    .await
    .map_err(|e| e.to_string())
}
