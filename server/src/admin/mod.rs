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
            let password = read_password()?;
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
            sheet,
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
                sheet,
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
        AdminCommand::Backup { workspace, out } => {
            let state = open(config).await?;
            let workspaces = state.directory.workspaces().map_err(|e| e.to_string())?;
            let chosen = match &workspace {
                Some(wanted) => workspaces
                    .iter()
                    .find(|w| &w.id == wanted || &w.name == wanted),
                None if workspaces.len() == 1 => workspaces.first(),
                None => {
                    return Err(format!(
                        "this server has {} workspaces: name one with --workspace",
                        workspaces.len()
                    ));
                }
            }
            .ok_or_else(|| {
                format!(
                    "no workspace {:?} on this server",
                    workspace.unwrap_or_default()
                )
            })?;
            let counts = crate::backup::write_file(
                state.hub.storage(),
                &state.directory,
                &chosen.id,
                &out,
                || {
                    crate::http::audit::audit(
                        &state,
                        &chosen.id,
                        "saha-server admin",
                        saha_core::api::AuditAction::WorkspaceBackedUp,
                        &chosen.id,
                        "",
                        format!("to {}", out.display()),
                    )
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            Ok(format!(
                "backed up workspace {:?} ({}): {counts} to {}",
                chosen.name,
                chosen.id,
                out.display()
            ))
        }
        AdminCommand::Restore {
            email,
            password_stdin: _,
            file,
        } => {
            let password = read_password()?;
            let state = open(config).await?;
            // The member is found in the backup after it is read; hash first (it is
            // the same hash whoever it turns out to be).
            let password_hash = hash_password(&password).map_err(|e| e.to_string())?;
            let login = crate::backup::FirstLogin {
                email,
                password_hash,
            };
            let report =
                crate::backup::restore(state.hub.storage(), &state.directory, &file, login)
                    .await
                    .map_err(|e| format!("{}: {e}; nothing was restored", file.display()))?;
            let mut out = format!(
                "restored workspace {:?} ({}): {}; {} can sign in",
                report.workspace.name, report.workspace.id, report.counts, report.signed_in
            );
            if !report.without_password.is_empty() {
                out.push_str(&format!(
                    "; without a password until `admin set-password` gives them one: {}",
                    report.without_password.join(", ")
                ));
            }
            Ok(out)
        }
        AdminCommand::SetPassword {
            email,
            password_stdin: _,
        } => {
            let password = read_password()?;
            let state = open(config).await?;
            let user = state
                .directory
                .user_by_email(&email)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no member has the email address {email:?}"))?;
            let hash = hash_password(&password).map_err(|e| e.to_string())?;
            state
                .directory
                .set_password(&user.id, hash)
                .map_err(|e| e.to_string())?;
            state
                .directory
                .end_sessions_of(&user.id, None)
                .map_err(|e| e.to_string())?;
            crate::http::audit::audit(
                &state,
                &user.workspace_id,
                "saha-server admin",
                saha_core::api::AuditAction::PasswordChanged,
                &user.email,
                "",
                "set by an operator".into(),
            );
            Ok(format!("set the password of {}", user.email))
        }
    }
}

/// Reads a new password from the first line of standard input and checks its length.
fn read_password() -> Result<String, String> {
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
    Ok(password)
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
