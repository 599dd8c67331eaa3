//! Settings' web form endpoints (owners and admins, session only):
//! `GET/POST /api/web-forms` and `DELETE /api/web-forms/{id}`.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use saha_core::api::{self, AuditAction};

use super::{FIELDS, FormConsent, Target, WebForm};
use crate::http::audit::audit;
use crate::http::auth::{Authenticated, ip};
use crate::http::failure::{ApiResult, Failure};
use crate::http::invitations::app_base;
use crate::http::security::origin_of;
use crate::http::state::AppState;
use crate::storage::DocumentStore;

/// Forms a workspace may have.
const MAX_FORMS: usize = 50;
/// Longest wording, thank-you text and name.
const MAX_TEXT: usize = 2_000;

fn to_api(form: &WebForm, base: &str) -> api::WebForm {
    let page_url = format!("{base}/forms/{}", form.id);
    api::WebForm {
        id: form.id.clone(),
        name: form.name.clone(),
        target: form.target.code().to_owned(),
        fields: form.fields.clone(),
        team: form.team.clone(),
        thank_you: form.thank_you.clone(),
        consents: form
            .consents
            .iter()
            .map(|c| api::WebFormConsent {
                channel: c.channel.clone(),
                wording: c.wording.clone(),
            })
            .collect(),
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
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Failure::invalid(
            "a form needs a name of 1 to 200 characters",
        ));
    }
    let target = Target::parse(&body.target)
        .ok_or_else(|| Failure::invalid("target must be lead, complaint, request or wish"))?;
    let mut fields = Vec::new();
    for field in &body.fields {
        if field == "name" {
            continue;
        }
        if !FIELDS.iter().any(|(code, ..)| code == field) {
            return Err(Failure::invalid(format!("{field:?} is not a form field")));
        }
        if !fields.contains(field) {
            fields.push(field.clone());
        }
    }
    if target != Target::Lead && !fields.iter().any(|f| f == "message") {
        fields.push("message".into());
    }
    if !body.team.is_empty()
        && !state
            .directory
            .teams(&auth.user.workspace_id)?
            .iter()
            .any(|t| t.id == body.team)
    {
        return Err(Failure::invalid("no such team"));
    }
    let mut consents = Vec::new();
    for c in &body.consents {
        if target != Target::Lead {
            return Err(Failure::invalid(
                "consent is recorded on leads: a complaint, request or wish form takes none",
            ));
        }
        if !matches!(c.channel.as_str(), "EPOSTA" | "MESAJ" | "ARAMA") {
            return Err(Failure::invalid(
                "a consent channel is EPOSTA, MESAJ or ARAMA",
            ));
        }
        let needs = if c.channel == "EPOSTA" {
            "email"
        } else {
            "phone"
        };
        if !fields.iter().any(|f| f == needs) {
            return Err(Failure::invalid(format!(
                "a {} consent needs the form to ask for {needs}",
                c.channel
            )));
        }
        let wording = c.wording.trim();
        if wording.is_empty() || wording.chars().count() > MAX_TEXT {
            return Err(Failure::invalid("each consent needs its exact wording"));
        }
        consents.push(FormConsent {
            channel: c.channel.clone(),
            wording: wording.to_owned(),
        });
    }
    let mut origins = Vec::new();
    for origin in &body.allowed_origins {
        let o = origin_of(origin);
        let host = o.split_once("://").map(|(_, h)| h).unwrap_or("");
        if !(o.starts_with("https://") || o.starts_with("http://"))
            || host.is_empty()
            || !o
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b';' && b != b',' && b != b'\'')
        {
            return Err(Failure::invalid(format!(
                "{origin:?} is not an origin (https://www.example.com)"
            )));
        }
        origins.push(o);
    }
    if body.thank_you.chars().count() > MAX_TEXT {
        return Err(Failure::invalid("the thank-you text is too long"));
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
        name: name.to_owned(),
        target,
        fields,
        team: body.team.clone(),
        thank_you: body.thank_you.trim().to_owned(),
        consents,
        allowed_origins: origins,
        min_fill_seconds: body.min_fill_seconds.unwrap_or(3).min(60),
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
