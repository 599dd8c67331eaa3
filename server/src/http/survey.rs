//! Survey answers from customers: each survey message carries a personal link
//! (`/survey/<256-bit hex>`, stored only as its SHA-256) to a small page, served without
//! sign-in and without the app, where the person picks a score once. The answer is
//! written into the campaign document, from where it reaches devices and feeds the
//! account's satisfaction.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use saha_core::DocumentId;
use saha_core::engagement::campaign::{Campaign, SurveyResponse, survey_scale};
use saha_core::record;
use serde::{Deserialize, Serialize};

use crate::ServerError;
use crate::directory::now_ms;
use crate::http::public_page::{PageLang, create_link as create_link_in, find_link, page};
use crate::http::state::AppState;
use crate::storage::{DocumentStore, Tables};

/// SHA-256 of a survey link's secret → what it answers.
pub(crate) const SURVEY_LINKS: &str = "survey_links";

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
    let link = SurveyLink {
        campaign: campaign.to_owned(),
        person: person.to_owned(),
        survey: survey.to_owned(),
        created_at: now_ms(),
    };
    create_link_in(tables, SURVEY_LINKS, &link)
}

fn find(tables: &Tables, token: &str) -> Result<Option<SurveyLink>, ServerError> {
    find_link(tables, SURVEY_LINKS, token)
}

fn not_found(lang: PageLang) -> Response {
    (
        StatusCode::NOT_FOUND,
        page(
            lang,
            lang.pick(("Anket bulunamadı", "Survey not found")),
            format!(
                "<p>{}</p>",
                lang.pick(("Bu bağlantı geçerli değil.", "This link is not valid."))
            ),
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
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = PageLang::of(&headers);
    let tables = state.hub.storage().tables();
    let Ok(Some(link)) = find(&tables, &token) else {
        return not_found(lang);
    };
    let Some((min, max)) = survey_scale(&link.survey) else {
        return not_found(lang);
    };
    if let Ok(Some(score)) = answered(&state, &link).await {
        let said = match lang {
            PageLang::Tr => format!("<p>Yanıtınız ({score}) kaydedildi.</p>"),
            PageLang::En => format!("<p>Your answer ({score}) is recorded.</p>"),
        };
        return page(lang, lang.pick(("Teşekkürler", "Thank you")), said).into_response();
    }
    let question = if link.survey == "nps" {
        lang.pick((
            "Bizi bir arkadaşınıza tavsiye etme olasılığınız nedir? (0–10)",
            "How likely are you to recommend us to a friend? (0–10)",
        ))
    } else {
        lang.pick((
            "Hizmetimizden ne kadar memnun kaldınız? (1–5)",
            "How satisfied were you with our service? (1–5)",
        ))
    };
    let buttons: String = (min..=max)
        .map(|n| format!("<button class=\"button\" type=\"submit\" name=\"score\" value=\"{n}\">{n}</button> "))
        .collect();
    page(
        lang,
        lang.pick(("Anket", "Survey")),
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
    headers: HeaderMap,
    Form(answer): Form<Answer>,
) -> Response {
    let lang = PageLang::of(&headers);
    let tables = state.hub.storage().tables();
    let Ok(Some(link)) = find(&tables, &token) else {
        return not_found(lang);
    };
    let Some((min, max)) = survey_scale(&link.survey) else {
        return not_found(lang);
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
                lang,
                lang.pick(("Geçersiz yanıt", "Not a valid answer")),
                match lang {
                    PageLang::Tr => format!("<p>Lütfen {min}–{max} arasında bir puan seçin.</p>"),
                    PageLang::En => format!("<p>Please pick a score from {min} to {max}.</p>"),
                },
            ),
        )
            .into_response();
    };
    let Ok(id) = link.campaign.parse::<DocumentId>() else {
        return not_found(lang);
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
            lang,
            lang.pick(("Teşekkürler", "Thank you")),
            format!(
                "<p>{}</p>",
                lang.pick(("Yanıtınız kaydedildi.", "Your answer is recorded."))
            ),
        )
        .into_response(),
        Ok(false) => (
            StatusCode::CONFLICT,
            page(
                lang,
                lang.pick(("Zaten yanıtlandı", "Answered already")),
                format!(
                    "<p>{}</p>",
                    lang.pick((
                        "Bu anket daha önce yanıtlanmış.",
                        "This survey was answered already."
                    ))
                ),
            ),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "survey answer not stored");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_speaks_the_first_of_turkish_or_english_the_browser_accepts() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(axum::http::header::ACCEPT_LANGUAGE, value.parse().unwrap());
            PageLang::of(&headers)
        };
        assert_eq!(with("en-GB,en;q=0.9,tr;q=0.8"), PageLang::En);
        assert_eq!(with("de-DE, tr;q=0.8, en;q=0.5"), PageLang::Tr);
        assert_eq!(with("fr-FR"), PageLang::Tr);
        assert_eq!(PageLang::of(&HeaderMap::new()), PageLang::Tr);
        let english = page(PageLang::En, "Survey", String::new()).0;
        assert!(english.contains("lang=\"en\"") && !english.contains(" / "));
    }
}
