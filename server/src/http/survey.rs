//! Survey answers from customers: each survey message carries a personal link
//! (`/survey/<256-bit hex>`, stored only as its SHA-256) to a small page, served without
//! sign-in and without the app, where the person picks a score once. The answer is
//! written into the campaign document, from where it reaches devices and feeds the
//! account's satisfaction.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use saha_core::DocumentId;
use saha_core::engagement::campaign::{Campaign, SurveyResponse, survey_scale};
use saha_core::record;
use serde::{Deserialize, Serialize};

use crate::ServerError;
use crate::directory::{now_ms, random_token, token_hash};
use crate::http::state::AppState;
use crate::storage::{DocumentStore, Tables};

/// SHA-256 of a survey link's secret → what it answers.
const SURVEY_LINKS: &str = "survey_links";

/// What a survey link answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SurveyLink {
    pub campaign: String,
    pub person: String,
    pub survey: String,
    pub created_at: i64,
}

/// Makes a link for `person` in `campaign`; returns the secret.
pub fn create_link(
    tables: &Tables,
    campaign: &str,
    person: &str,
    survey: &str,
) -> Result<String, ServerError> {
    let token = random_token()?;
    let link = SurveyLink {
        campaign: campaign.to_owned(),
        person: person.to_owned(),
        survey: survey.to_owned(),
        created_at: now_ms(),
    };
    let bytes = serde_json::to_vec(&link).map_err(|e| ServerError::Storage(e.to_string()))?;
    let hash = token_hash(&token);
    tables.write(|tx| tx.put(SURVEY_LINKS, &hash, &bytes))?;
    Ok(token)
}

fn find(tables: &Tables, token: &str) -> Result<Option<SurveyLink>, ServerError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = token_hash(token);
    Ok(tables
        .read(|tx| tx.get(SURVEY_LINKS, &hash))?
        .and_then(|v| serde_json::from_slice(&v).ok()))
}

fn page(title: &str, body: String) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"tr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/saha.css\"></head>\
         <body><main class=\"page survey\"><h1>{title}</h1>{body}</main></body></html>"
    ))
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        page(
            "Anket bulunamadı",
            "<p>Bu bağlantı geçerli değil. / This link is not valid.</p>".into(),
        ),
    )
        .into_response()
}

async fn answered(state: &AppState, link: &SurveyLink) -> Result<Option<i64>, ServerError> {
    let Ok(id) = link.campaign.parse::<DocumentId>() else {
        return Ok(None);
    };
    let Some(live) = state.hub.lock(id, false).await? else {
        return Ok(None);
    };
    Ok(record::read::<Campaign>(&live.doc)?
        .responses
        .get(&link.person)
        .map(|r| r.score))
}

/// `GET /survey/{token}`: the question, with one button per score.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let tables = state.hub.storage().tables();
    let Ok(Some(link)) = find(&tables, &token) else {
        return not_found();
    };
    let Some((min, max)) = survey_scale(&link.survey) else {
        return not_found();
    };
    if let Ok(Some(score)) = answered(&state, &link).await {
        return page(
            "Teşekkürler",
            format!("<p>Yanıtınız ({score}) kaydedildi. / Your answer ({score}) is recorded.</p>"),
        )
        .into_response();
    }
    let question = if link.survey == "nps" {
        "Bizi bir arkadaşınıza tavsiye etme olasılığınız nedir? (0–10) / How likely are you to recommend us?"
    } else {
        "Hizmetimizden ne kadar memnun kaldınız? (1–5) / How satisfied were you?"
    };
    let buttons: String = (min..=max)
        .map(|n| format!("<button class=\"button\" type=\"submit\" name=\"score\" value=\"{n}\">{n}</button> "))
        .collect();
    page(
        "Saha",
        format!("<p>{question}</p><form method=\"post\" class=\"actions\">{buttons}</form>"),
    )
    .into_response()
}

#[derive(Deserialize)]
pub struct Answer {
    score: String,
}

/// `POST /survey/{token}`: records the score once.
pub async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(answer): Form<Answer>,
) -> Response {
    let tables = state.hub.storage().tables();
    let Ok(Some(link)) = find(&tables, &token) else {
        return not_found();
    };
    let Some((min, max)) = survey_scale(&link.survey) else {
        return not_found();
    };
    let Some(score) = answer
        .score
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|s| (min..=max).contains(s))
    else {
        return (
            StatusCode::BAD_REQUEST,
            page(
                "Geçersiz yanıt",
                format!("<p>Lütfen {min}–{max} arasında bir puan seçin. / Pick a score from {min} to {max}.</p>"),
            ),
        )
            .into_response();
    };
    let Ok(id) = link.campaign.parse::<DocumentId>() else {
        return not_found();
    };
    let person = link.person.clone();
    let result = state
        .hub
        .server_change(id, |doc| {
            let mut c: Campaign = record::read(doc)?;
            if c.responses.contains_key(&person) {
                return Ok(false);
            }
            c.responses.insert(
                person,
                SurveyResponse {
                    score,
                    at: now_ms(),
                },
            );
            record::write(doc, &c)
        })
        .await;
    match result {
        Ok(true) => page(
            "Teşekkürler",
            "<p>Yanıtınız kaydedildi. / Thank you, your answer is recorded.</p>".into(),
        )
        .into_response(),
        Ok(false) => (
            StatusCode::CONFLICT,
            page(
                "Zaten yanıtlandı",
                "<p>Bu anket daha önce yanıtlanmış. / This survey was answered already.</p>".into(),
            ),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "survey answer not stored");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
