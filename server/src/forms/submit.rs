//! The form page (`GET /forms/{id}`) and its posts (`POST /forms/{id}`).
//!
//! A post is refused — with a clear `4xx` page and nothing stored — when it comes from a
//! foreign origin (`403`), past the rate per address or per form (`429` with
//! `Retry-After`), larger than [`MAX_BODY_BYTES`] (`413`), with the hidden honeypot
//! filled or without a start time the server signed (`400`), sooner than the form's
//! minimum fill time (`400`), or with fields that do not validate (`422`, the form again
//! with what was typed and what is wrong).

use std::collections::HashMap;
use std::net::SocketAddr;

use automerge::Automerge;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::parties::consent::{self, NewConsent, RecipientType};
use saha_core::record::EditContext;
use saha_core::record::form::Form;
use saha_core::web_form::origin_of;

use super::{FIELDS, FormTarget, WebForm, WebFormConsent};
use crate::directory::now_ms;
use crate::http::auth::ip;
use crate::http::public_page::{PageLang, page};
use crate::http::security::FrameAncestors;
use crate::http::state::AppState;
use crate::storage::DocumentStore;
use crate::sync::hub::{Grant, MemberChange};
use crate::throttle::MessageRate;

/// Largest post accepted.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The honeypot: a field people never see (hidden by the stylesheet) and bots fill.
const HONEYPOT: &str = "website";
/// How long a page stays usable.
const PAGE_LIFETIME_MS: i64 = 24 * 3_600_000;
/// Longest message kept.
const MAX_MESSAGE: usize = 5_000;

/// Rates of form posts: per client address and per form.
pub struct FormRates {
    per_address: MessageRate,
    per_form: MessageRate,
}

impl Default for FormRates {
    fn default() -> FormRates {
        FormRates {
            // 10 a minute from one address (5 at once); 120 a minute to one form.
            per_address: MessageRate::with_rate(10.0 / 60.0, 5.0),
            per_form: MessageRate::with_rate(2.0, 60.0),
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn not_found(lang: PageLang) -> Response {
    (
        StatusCode::NOT_FOUND,
        page(
            lang,
            lang.pick(("Form bulunamadı", "Form not found")),
            format!(
                "<p>{}</p>",
                lang.pick(("Bu form artık yok.", "This form no longer exists."))
            ),
        ),
    )
        .into_response()
}

/// A refusal page with `status`.
fn refused(lang: PageLang, status: StatusCode, text: (&'static str, &'static str)) -> Response {
    (
        status,
        page(
            lang,
            lang.pick(("Gönderilemedi", "Not sent")),
            format!(
                "<p class=\"banner error\" role=\"alert\">{}</p>",
                lang.pick(text)
            ),
        ),
    )
        .into_response()
}

fn label(code: &str, lang: PageLang) -> &'static str {
    FIELDS
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, tr, en)| lang.pick((tr, en)))
        .unwrap_or("")
}

/// The form as HTML, with `values` typed before and `problems` by field.
fn render(
    state: &AppState,
    form: &WebForm,
    lang: PageLang,
    values: &HashMap<String, String>,
    problems: &[(String, &'static str)],
) -> Result<String, crate::ServerError> {
    let tables = state.hub.storage().tables();
    let started = super::sign_start(&tables, &form.id, now_ms())?;
    let mut body = format!(
        "<form class=\"form web-form\" method=\"post\" action=\"/forms/{}\">\
         <input type=\"hidden\" name=\"started\" value=\"{}\">",
        escape(&form.id),
        escape(&started)
    );
    if !problems.is_empty() {
        body.push_str(&format!(
            "<p class=\"banner error\" role=\"alert\">{}</p>",
            lang.pick((
                "Lütfen işaretli alanları düzeltin.",
                "Please correct the marked fields."
            ))
        ));
    }
    let asked = std::iter::once("name").chain(form.fields.iter().map(String::as_str));
    for code in asked {
        let value = values.get(code).map(String::as_str).unwrap_or("");
        let problem = problems.iter().find(|(f, _)| f == code).map(|(_, p)| *p);
        let input = if code == "message" {
            format!(
                "<textarea id=\"f-{code}\" name=\"{code}\" rows=\"5\">{}</textarea>",
                escape(value)
            )
        } else {
            let kind = match code {
                "email" => "email",
                "phone" => "tel",
                _ => "text",
            };
            format!(
                "<input id=\"f-{code}\" name=\"{code}\" type=\"{kind}\" value=\"{}\">",
                escape(value)
            )
        };
        body.push_str(&format!(
            "<div class=\"field\"><label for=\"f-{code}\">{}</label>{input}{}</div>",
            label(code, lang),
            problem
                .map(|p| format!("<p class=\"problem\" role=\"alert\">{p}</p>"))
                .unwrap_or_default()
        ));
    }
    for (i, c) in form.consents.iter().enumerate() {
        let checked = if values.contains_key(&format!("consent_{i}")) {
            " checked"
        } else {
            ""
        };
        body.push_str(&format!(
            "<label class=\"check\"><input type=\"checkbox\" name=\"consent_{i}\" value=\"on\"{checked}> {}</label>",
            escape(&c.wording)
        ));
    }
    // The honeypot, out of sight and out of the tab order.
    body.push_str(&format!(
        "<div class=\"hp\" aria-hidden=\"true\"><label for=\"f-{HONEYPOT}\">Website</label>\
         <input id=\"f-{HONEYPOT}\" name=\"{HONEYPOT}\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"></div>\
         <div class=\"actions\"><button type=\"submit\" class=\"button\">{}</button></div></form>",
        lang.pick(("Gönder", "Send"))
    ));
    Ok(body)
}

fn with_embedders(
    form: &WebForm,
    status: StatusCode,
    title: &str,
    body: String,
    lang: PageLang,
) -> Response {
    let mut response = (status, page(lang, &escape(title), body)).into_response();
    response
        .extensions_mut()
        .insert(FrameAncestors(form.allowed_origins.clone()));
    response
}

/// `GET /forms/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = PageLang::of(&headers);
    let tables = state.hub.storage().tables();
    let form = match super::get(&tables, &id) {
        Ok(Some(form)) => form,
        Ok(None) => return not_found(lang),
        Err(e) => return crate::http::failure::Failure::internal(e).into_response(),
    };
    match render(&state, &form, lang, &HashMap::new(), &[]) {
        Ok(body) => with_embedders(&form, StatusCode::OK, &form.name, body, lang),
        Err(e) => crate::http::failure::Failure::internal(e).into_response(),
    }
}

/// Why a field was refused, in the page's words.
fn problem_text(lang: PageLang, problem: saha_core::text::validate::Problem) -> &'static str {
    use saha_core::text::validate::Problem as P;
    match problem {
        P::Required => lang.pick(("Bu alan gerekli.", "This field is required.")),
        P::InvalidEmail => lang.pick((
            "Geçerli bir e-posta adresi yazın.",
            "Enter a valid e-mail address.",
        )),
        P::InvalidPhone => lang.pick((
            "Geçerli bir telefon numarası yazın.",
            "Enter a valid phone number.",
        )),
        P::TooLong { .. } => lang.pick(("Bu alan çok uzun.", "This is too long.")),
        _ => lang.pick(("Bu değer geçerli değil.", "This value is not valid.")),
    }
}

/// `POST /forms/{id}`.
pub async fn post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let lang = PageLang::of(&headers);
    match accept(&state, &id, &peer, &headers, &body, lang).await {
        Ok(response) => response,
        Err(e) => crate::http::failure::Failure::internal(e).into_response(),
    }
}

async fn accept(
    state: &AppState,
    id: &str,
    peer: &ConnectInfo<SocketAddr>,
    headers: &HeaderMap,
    body: &[u8],
    lang: PageLang,
) -> Result<Response, crate::ServerError> {
    let tables = state.hub.storage().tables();
    let Some(form) = super::get(&tables, id)? else {
        return Ok(not_found(lang));
    };
    // A browser posting from another site must be one the form allows; its own page
    // (hosted, or framed by an allowed site) posts from this server's origin.
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let origin = origin_of(origin);
        let own = crate::http::security::origin_allowed(&state.config, headers);
        if !own && !form.allowed_origins.iter().any(|o| origin_of(o) == origin) {
            return Ok(refused(
                lang,
                StatusCode::FORBIDDEN,
                (
                    "Bu form bu siteden gönderilemez.",
                    "This form cannot be sent from this site.",
                ),
            ));
        }
    }
    let address = ip(state, peer, headers);
    let waits = [
        state
            .form_rates
            .per_address
            .try_take(&format!("{}/{address}", form.id))
            .err(),
        state.form_rates.per_form.try_take(&form.id).err(),
    ];
    if let Some(wait) = waits.into_iter().flatten().max() {
        let mut response = refused(
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            (
                "Çok fazla gönderim; biraz sonra tekrar deneyin.",
                "Too many submissions; try again shortly.",
            ),
        );
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(response);
    }
    if body.len() > MAX_BODY_BYTES {
        return Ok(refused(
            lang,
            StatusCode::PAYLOAD_TOO_LARGE,
            ("Gönderim çok büyük.", "The submission is too large."),
        ));
    }
    let Ok(values) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return Ok(refused(
            lang,
            StatusCode::BAD_REQUEST,
            ("Gönderim okunamadı.", "The submission could not be read."),
        ));
    };
    let values: HashMap<String, String> = values.into_iter().collect();
    if values.get(HONEYPOT).is_some_and(|v| !v.is_empty()) {
        return Ok(refused(
            lang,
            StatusCode::BAD_REQUEST,
            ("Gönderim reddedildi.", "The submission was refused."),
        ));
    }
    let now = now_ms();
    let started = match values.get("started") {
        Some(token) => super::check_start(&tables, &form.id, token)?,
        None => None,
    };
    let Some(started) = started.filter(|at| now - at < PAGE_LIFETIME_MS) else {
        return Ok(refused(
            lang,
            StatusCode::BAD_REQUEST,
            (
                "Form süresi doldu; sayfayı yenileyip tekrar deneyin.",
                "The form has expired; reload the page and try again.",
            ),
        ));
    };
    if now - started < i64::from(form.min_fill_seconds) * 1000 {
        return Ok(refused(
            lang,
            StatusCode::BAD_REQUEST,
            (
                "Form çok hızlı gönderildi.",
                "The form was sent too quickly.",
            ),
        ));
    }
    // Validate as the records' own forms do.
    let text = |code: &str| {
        values
            .get(code)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let asks = |code: &str| code == "name" || form.fields.iter().any(|f| f == code);
    let mut problems: Vec<(String, &'static str)> = Vec::new();
    let mut check =
        |code: &str, result: Result<String, saha_core::text::validate::Problem>| -> String {
            result.unwrap_or_else(|p| {
                problems.push((code.to_owned(), problem_text(lang, p)));
                String::new()
            })
        };
    use saha_core::text::validate;
    let name = check("name", validate::required_text(&text("name")));
    let email = if asks("email") {
        check("email", validate::email(&text("email")))
    } else {
        String::new()
    };
    let phone = if asks("phone") {
        check("phone", validate::phone(&text("phone")))
    } else {
        String::new()
    };
    let company = if asks("company") {
        check("company", validate::optional_text(&text("company")))
    } else {
        String::new()
    };
    let city = if asks("city") {
        check("city", validate::optional_text(&text("city")))
    } else {
        String::new()
    };
    let message: String = text("message").chars().take(MAX_MESSAGE).collect();
    if form.target != FormTarget::Lead && asks("message") && message.is_empty() {
        problems.push((
            "message".into(),
            problem_text(lang, validate::Problem::Required),
        ));
    }
    // A consent needs the address it is for.
    let mut consents = Vec::new();
    for (i, c) in form.consents.iter().enumerate() {
        if !values.contains_key(&format!("consent_{i}")) {
            continue;
        }
        let (field, recipient) = if c.channel == "EPOSTA" {
            ("email", &email)
        } else {
            ("phone", &phone)
        };
        if recipient.is_empty() {
            problems.push((
                field.into(),
                problem_text(lang, validate::Problem::Required),
            ));
        } else {
            consents.push((c, recipient.clone()));
        }
    }
    if !problems.is_empty() {
        let body = render(state, &form, lang, &values, &problems)?;
        return Ok(with_embedders(
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.name,
            body,
            lang,
        ));
    }
    let Some(creator) = state
        .directory
        .user(&form.created_by)
        .map_err(|e| crate::ServerError::Storage(e.to_string()))?
        .filter(|u| !u.disabled && u.workspace_id == form.workspace_id)
    else {
        return Ok(refused(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            (
                "Bu form şu an kullanılamıyor.",
                "This form is not available right now.",
            ),
        ));
    };
    let ctx = EditContext::new(&creator.id, now);
    let record = build(
        &form, &ctx, &name, &email, &phone, &company, &city, &message, &consents, &address, now,
    );
    let record = match record {
        Ok(record) => record,
        Err(e) => return Err(crate::ServerError::Storage(format!("web form record: {e}"))),
    };
    let mut created = record.create()?;
    let doc = DocumentId::random();
    let mut grant = Grant::new(
        creator.id.clone(),
        creator.email.clone(),
        creator.workspace_id.clone(),
        format!("web-form:{}", form.id),
        creator.access(),
        i64::MAX,
    );
    let outcome = state
        .hub
        .member_change(&mut grant, doc, true, |d: &mut Automerge| {
            d.merge(&mut created).map(|added| !added.is_empty())
        })
        .await?;
    match outcome {
        MemberChange::Stored(Some(stored)) => {
            if stored.common().team.is_empty() {
                crate::rest::records::list_in_index(state, &form.workspace_id, doc, &stored)
                    .await
                    .map_err(|p| crate::ServerError::Storage(p.detail))?;
            }
        }
        other => {
            tracing::warn!(form = %form.id, outcome = ?other, "a web form submission was not stored");
            return Ok(refused(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                (
                    "Bu form şu an kullanılamıyor.",
                    "This form is not available right now.",
                ),
            ));
        }
    }
    let thanks = if form.thank_you.trim().is_empty() {
        lang.pick((
            "Teşekkürler, mesajınızı aldık.",
            "Thank you, we received your message.",
        ))
        .to_owned()
    } else {
        escape(&form.thank_you)
    };
    Ok(with_embedders(
        &form,
        StatusCode::OK,
        &form.name,
        format!("<p class=\"banner\" role=\"status\" id=\"thanks\">{thanks}</p>"),
        lang,
    ))
}

/// The lead or case a submission makes, with its consents.
#[allow(clippy::too_many_arguments)]
fn build(
    form: &WebForm,
    ctx: &EditContext,
    name: &str,
    email: &str,
    phone: &str,
    company: &str,
    city: &str,
    message: &str,
    consents: &[(&WebFormConsent, String)],
    address: &str,
    now: i64,
) -> Result<Record, String> {
    let first_line: String = message
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect();
    let mut record = match form.target {
        FormTarget::Lead => {
            let fields = Form::new()
                .with("name", name)
                .with("company", company)
                .with("email", email)
                .with("phone", phone)
                .with("city", city)
                .with("topic", first_line.as_str())
                .with("source", "web")
                .with("team", form.team.as_str())
                .with("notes", message);
            let mut lead =
                Record::blank(saha_core::sales::lead::KIND, ctx).ok_or("no lead kind")?;
            lead.apply_new(&fields, ctx).map_err(|p| format!("{p:?}"))?;
            lead
        }
        target => {
            let subject = if first_line.is_empty() {
                name.to_owned()
            } else {
                first_line
            };
            let contact = [name, company, email, phone, city]
                .iter()
                .filter(|v| !v.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ");
            let fields = Form::new()
                .with("subject", subject)
                .with("category", target.code())
                .with("channel", "web")
                .with("priority", "normal")
                .with("status", "new")
                .with("team", form.team.as_str())
                .with("notes", format!("{contact}\n\n{message}"));
            let mut case =
                Record::blank(saha_core::service::case::KIND, ctx).ok_or("no case kind")?;
            case.apply_new(&fields, ctx).map_err(|p| format!("{p:?}"))?;
            case
        }
    };
    if let Record::Lead(lead) = &mut record {
        for (c, recipient) in consents {
            let input = NewConsent {
                channel: c.channel.clone(),
                status: "ONAY".into(),
                source: "HS_WEB".into(),
                recipient: recipient.clone(),
                evidence: format!(
                    "web form \"{}\" ({}); address {address}; wording: \"{}\"",
                    form.name, form.id, c.wording
                ),
                topics: String::new(),
            };
            let event = consent::record(
                &lead.consents,
                &input,
                RecipientType::Individual,
                uuid::Uuid::new_v4().simple().to_string(),
                now,
                &ctx.user,
            )
            .map_err(|p| format!("{p:?}"))?;
            lead.consents.push(event);
        }
    }
    Ok(record)
}
