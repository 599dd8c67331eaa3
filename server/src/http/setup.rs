//! First run: whether the server has a workspace yet, and creating it with its owner.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use saha_core::access::Role;
use saha_core::api::{self};

use crate::directory::{DirectoryError, User, Workspace, email_key, new_id, now_ms};
use crate::http::audit::audit;
use crate::http::auth::{check_email, check_name, check_password, hash_off_thread, ip, signed_in};
use crate::http::failure::ApiResult;
use crate::http::state::AppState;

pub async fn setup_status(State(state): State<AppState>) -> ApiResult<Json<api::SetupStatus>> {
    Ok(Json(api::SetupStatus {
        needs_setup: state.directory.workspaces()?.is_empty(),
    }))
}

pub async fn setup(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<api::SetupRequest>,
) -> ApiResult<Response> {
    let workspace_name = check_name(&body.workspace_name, "the workspace name")?;
    let name = check_name(&body.name, "your name")?;
    let email = check_email(&body.email)?;
    check_password(&body.password)?;
    if !state.directory.workspaces()?.is_empty() {
        return Err(Box::new(DirectoryError::AlreadySetUp).into());
    }
    let password_hash = hash_off_thread(body.password).await?;
    let (workspace, owner) =
        provision_workspace(&state, &workspace_name, &name, &email, password_hash, true).await?;
    audit(
        &state,
        &workspace.id,
        &owner.email,
        saha_core::api::AuditAction::WorkspaceCreated,
        &workspace.name,
        &ip(&state, &peer, &headers),
        "first-run setup".into(),
    );
    signed_in(&state, StatusCode::CREATED, &owner)
}

/// Creates a workspace (with its index document) and its owner. Shared by the
/// first-run page and `saha-server admin create-workspace`.
pub async fn provision_workspace(
    state: &AppState,
    workspace_name: &str,
    owner_name: &str,
    email: &str,
    password_hash: String,
    first_run: bool,
) -> Result<(Workspace, User), Box<DirectoryError>> {
    let id = new_id();
    let adopt_legacy = state.directory.workspaces()?.is_empty();
    let (index, adopted) = state
        .hub
        .create_index(&id, workspace_name, adopt_legacy)
        .await?;
    let now = now_ms();
    let workspace = Workspace {
        id: id.clone(),
        name: workspace_name.to_owned(),
        index_id: index.to_string(),
        created_at: now,
        // An adopted index from before workspaces may list anything: rebuilt below.
        index_layout: if adopted {
            0
        } else {
            crate::directory::INDEX_LAYOUT
        },
    };
    let owner = User {
        id: new_id(),
        workspace_id: id,
        email: email_key(email),
        name: owner_name.to_owned(),
        password_hash,
        role: Role::Owner,
        teams: Vec::new(),
        department: None,
        disabled: false,
        created_at: now,
        last_login_at: None,
    };
    state
        .directory
        .create_workspace(workspace.clone(), owner.clone(), first_run)?;
    if workspace.index_layout < crate::directory::INDEX_LAYOUT {
        crate::http::state::upgrade_indexes(state).await?;
        let upgraded = state
            .directory
            .workspace(&workspace.id)?
            .ok_or_else(|| Box::new(DirectoryError::NotFound))?;
        return Ok((upgraded, owner));
    }
    Ok((workspace, owner))
}
