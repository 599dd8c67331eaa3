//! Settings' web form endpoints (owners and admins, session only):
//! `GET/POST /api/web-forms` and `DELETE /api/web-forms/{id}`.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use saha_core::api::{self, AuditAction};

use saha_core::web_form;

use super::WebForm;
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::invitations::app_base;
use crate::http::state::AppState;
use crate::storage::DocumentStore;

/// Forms a workspace may have.
const MAX_FORMS: usize = 50;

fn to_api(form: &WebForm, base: &str) -> api::WebForm {
    let page_url = format!("{base}/forms/{}", form.id);
    api::WebForm {
        id: form.id.clone(),
        name: form.name.clone(),
        target: form.target.code().to_owned(),
        fields: form.fields.clone(),
        team: form.team.clone(),
        thank_you: form.thank_you.clone(),
        consents: form.consents.clone(),
        allowed_origins: form.allowed_origins.clone(),
        min_fill_seconds: form.min_fill_seconds,
        created_at: form.created_at,
        snippet: format!(
            "<iframe src=\"{page_url}\" title=\"{}\" style=\"width:100%;min-height:640px;border:0\"></iframe>",
            form.name.replace('"', "&quot;").replace('<', "&lt;")
        ),
        page_url,
    }
}

/// `GET /api/web-forms`.
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<api::WebForm>>> {
    auth.require_admin()?;
    let base = app_base(&state, &headers);
    let forms = super::list(&state.hub.storage().tables(), &auth.user.workspace_id)?;
    Ok(Json(forms.iter().map(|f| to_api(f, &base)).collect()))
}

/// `POST /api/web-forms`.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<api::NewWebForm>,
) -> ApiResult<(StatusCode, Json<api::WebForm>)> {
    auth.require_admin()?;
    let checked =
        web_form::check(&body).map_err(|problem| Failure::invalid(problem.to_string()))?;
    if !body.team.is_empty()
        && !state
            .directory
            .teams(&auth.user.workspace_id)?
            .iter()
            .any(|t| t.id == body.team)
    {
        return Err(Failure::invalid("no such team"));
    }
    let tables = state.hub.storage().tables();
    if super::list(&tables, &auth.user.workspace_id)?.len() >= MAX_FORMS {
        return Err(Failure::invalid(format!(
            "a workspace has at most {MAX_FORMS} forms"
        )));
    }
    let form = WebForm {
        id: uuid::Uuid::new_v4().simple().to_string(),
        workspace_id: auth.user.workspace_id.clone(),
        name: checked.name,
        target: checked.target,
        fields: checked.fields,
        team: body.team.clone(),
        thank_you: checked.thank_you,
        consents: checked.consents,
        allowed_origins: checked.allowed_origins,
        min_fill_seconds: checked.min_fill_seconds,
        created_by: auth.user.id.clone(),
        created_at: crate::directory::now_ms(),
    };
    super::save(&tables, &form)?;
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        AuditAction::WebFormCreated,
        &form.name,
        &ip(&state, &peer, &headers),
        format!("{} → {}", form.id, form.target.code()),
    );
    let base = app_base(&state, &headers);
    Ok((StatusCode::CREATED, Json(to_api(&form, &base))))
}

/// `DELETE /api/web-forms/{id}`: its page and posts stop at once.
pub async fn remove(
    State(state): State<AppState>,
    auth: Authenticated,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require_admin()?;
    if !super::remove(&state.hub.storage().tables(), &auth.user.workspace_id, &id)? {
        return Err(Failure::not_found());
    }
    audit(
        &state,
        &auth.user.workspace_id,
        &auth.user.email,
        AuditAction::WebFormDeleted,
        &id,
        &ip(&state, &peer, &headers),
        String::new(),
    );
    Ok(StatusCode::NO_CONTENT)
}
