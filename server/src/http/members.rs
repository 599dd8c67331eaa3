//! Members and teams: listing them, changing a member's role, teams or department, and
//! adding teams (admins only).

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use saha_core::access::Role;
use saha_core::api::{self, ApiErrorCode};

use crate::directory::{DirectoryError, Team, User, new_id};
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, check_name, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::state::AppState;
use crate::sync::hub::Revocation;

pub async fn members(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<api::Member>>> {
    auth.require_admin()?;
    Ok(Json(
        state
            .directory
            .members(&auth.user.workspace_id)?
            .iter()
            .map(User::to_member)
            .collect(),
    ))
}

pub(crate) fn check_teams(
    state: &AppState,
    workspace: &str,
    teams: &[String],
) -> ApiResult<Vec<String>> {
    let known = state.directory.teams(workspace)?;
    let mut out = Vec::new();
    for team in teams {
        if !known.iter().any(|t| &t.id == team) {
            return Err(Failure::invalid(format!("unknown team {team}")));
        }
        if !out.contains(team) {
            out.push(team.clone());
        }
    }
    Ok(out)
}

pub async fn update_member(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Authenticated,
    Path(user_id): Path<String>,
    Json(update): Json<api::MemberUpdate>,
) -> ApiResult<Json<api::Member>> {
    auth.require_admin()?;
    let teams = match &update.teams {
        Some(teams) => Some(check_teams(&state, &auth.user.workspace_id, teams)?),
        None => None,
    };
    let actor = auth.user.clone();
    // Read, checked and written in one transaction: a login or another admin's change
    // at the same moment cannot bring back what this one changed.
    let (before, member) = state.directory.update_user(&user_id, |member, tx| {
        if member.workspace_id != actor.workspace_id {
            return Err(Box::new(DirectoryError::NotFound));
        }
        let forbidden = || {
            Box::new(DirectoryError::Refused(
                ApiErrorCode::Forbidden,
                "your role may not make this change".into(),
            ))
        };
        // Only an owner changes an owner.
        if member.role == Role::Owner && actor.role != Role::Owner {
            return Err(forbidden());
        }
        let was_active_owner = member.role == Role::Owner && !member.disabled;
        if let Some(role) = update.role {
            if !actor.role.may_grant(role) {
                return Err(forbidden());
            }
            member.role = role;
        }
        if let Some(teams) = &teams {
            member.teams = teams.clone();
        }
        if let Some(department) = update.department {
            member.department = department;
        }
        if let Some(disabled) = update.disabled {
            member.disabled = disabled;
        }
        if member.id == actor.id && (member.disabled || member.role != actor.role) {
            return Err(Box::new(DirectoryError::Refused(
                ApiErrorCode::OwnAccess,
                "you cannot change your own role or disable yourself".into(),
            )));
        }
        if was_active_owner
            && (member.role != Role::Owner || member.disabled)
            && crate::directory::Directory::active_owners(tx, &member.workspace_id)? <= 1
        {
            return Err(Box::new(DirectoryError::Refused(
                ApiErrorCode::LastOwner,
                "a workspace keeps at least one owner".into(),
            )));
        }
        Ok(())
    })?;
    let before = before.to_member();
    // Open sync connections run under the old access: close them.
    state.hub.revoke(Revocation::User(member.id.clone()));
    if member.disabled {
        state.directory.end_sessions_of(&member.id, None)?;
    }
    let after = member.to_member();
    audit(
        &state,
        &member.workspace_id,
        &auth.user.email,
        if member.disabled && !before.disabled {
            saha_core::api::AuditAction::MemberDisabled
        } else if before.role != after.role {
            saha_core::api::AuditAction::MemberRoleChanged
        } else {
            saha_core::api::AuditAction::MemberUpdated
        },
        &member.email,
        &ip(&state, &peer, &headers),
        format!(
            "role {} → {}; teams {:?} → {:?}; disabled {} → {}",
            before.role.code(),
            after.role.code(),
            before.teams,
            after.teams,
            before.disabled,
            after.disabled
        ),
    );
    Ok(Json(after))
}

pub async fn teams(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<api::Team>>> {
    Ok(Json(
        state
            .directory
            .teams(&auth.user.workspace_id)?
            .iter()
            .map(Team::to_api)
            .collect(),
    ))
}

pub async fn add_team(
    State(state): State<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Authenticated,
    Json(body): Json<api::NewTeam>,
) -> ApiResult<(StatusCode, Json<api::Team>)> {
    auth.require_admin()?;
    let name = check_name(&body.name, "the team name")?;
    let existing = state.directory.teams(&auth.user.workspace_id)?;
    if existing
        .iter()
        .any(|t| t.name.to_lowercase() == name.to_lowercase())
    {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            ApiErrorCode::TeamExists,
            "a team with that name exists",
        ));
    }
    let team = Team {
        id: new_id(),
        workspace_id: auth.user.workspace_id.clone(),
        name,
    };
    state.directory.add_team(&team)?;
    audit(
        &state,
        &team.workspace_id,
        &auth.user.email,
        saha_core::api::AuditAction::TeamCreated,
        &team.name,
        &ip(&state, &peer, &headers),
        String::new(),
    );
    Ok((StatusCode::CREATED, Json(team.to_api())))
}
