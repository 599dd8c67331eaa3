//! Unsubscribe links: every campaign message carries a personal link
//! (`/unsubscribe/<256-bit hex>`, stored only as its SHA-256), and every e-mail names it
//! in `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
//! (RFC 8058), so a mail client's "unsubscribe" button works without opening anything.
//!
//! Opening the link (`GET`) shows a page with one button and changes nothing — mail
//! scanners follow links. Pressing it, or the mail client's one-click `POST`, records
//! an İYS refusal (RET, source `HS_WEB`) for that channel and address in the person's
//! consent log at once ([`saha_core::parties::consent::unsubscribe`]), with the link
//! as evidence; the audience gate then leaves the person out of every later commercial
//! message on the channel, and the refusal goes to İYS with the next upload like any
//! other. The page needs no sign-in and shows nothing about the person: not their
//! name, not the address, not the campaign.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::parties::consent::{self, Channel};
use serde::{Deserialize, Serialize};

use crate::ServerError;
use crate::directory::now_ms;
use crate::http::public_page::{PageLang, create_link as create_link_in, find_link, page};
use crate::http::state::AppState;
use crate::storage::{DocumentStore, Tables};

/// SHA-256 of an unsubscribe link's secret → what it refuses.
pub(crate) const UNSUBSCRIBE_LINKS: &str = "unsubscribe_links";

/// What an unsubscribe link refuses: messages on `channel` to `address`, for the
/// person whose message carried it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeLink {
    pub campaign: String,
    pub person: String,
    /// The channel's İYS code (`EPOSTA`, `MESAJ`).
    pub channel: String,
    pub address: String,
    pub created_at: i64,
}

/// Makes the link for one message; returns its secret.
pub fn create_link(tables: &Tables, link: &UnsubscribeLink) -> Result<String, ServerError> {
    create_link_in(tables, UNSUBSCRIBE_LINKS, link)
}

fn find(tables: &Tables, token: &str) -> Result<Option<UnsubscribeLink>, ServerError> {
    find_link(tables, UNSUBSCRIBE_LINKS, token)
}

fn not_found(lang: PageLang) -> Response {
    (
        StatusCode::NOT_FOUND,
        page(
            lang,
            lang.pick(("Bağlantı geçersiz", "Link not valid")),
            format!(
                "<p>{}</p>",
                lang.pick(("Bu bağlantı geçerli değil.", "This link is not valid."))
            ),
        ),
    )
        .into_response()
}

fn channel_words(lang: PageLang, channel: Channel) -> &'static str {
    match channel {
        Channel::Sms => lang.pick(("kısa mesaj (SMS)", "text messages (SMS)")),
        _ => lang.pick(("e-posta", "e-mail")),
    }
}

/// `GET /unsubscribe/{token}`: one button; nothing changes until it is pressed.
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
    let channel = Channel::from_code(&link.channel).unwrap_or(Channel::Email);
    let words = channel_words(lang, channel);
    let question = match lang {
        PageLang::Tr => format!("Bu adrese ticari {words} iletisi gönderilmesin mi?"),
        PageLang::En => format!("Stop commercial {words} messages to this address?"),
    };
    page(
        lang,
        lang.pick(("Abonelikten çık", "Unsubscribe")),
        format!(
            "<p>{question}</p><form method=\"post\" class=\"actions\">\
             <input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
             <button class=\"button\" type=\"submit\" id=\"unsubscribe\">{}</button></form>",
            lang.pick(("Evet, gönderilmesin", "Yes, stop them"))
        ),
    )
    .into_response()
}

/// `POST /unsubscribe/{token}`: the page's button or a mail client's one-click
/// request. Records the refusal once; answers the same page whether it was recorded
/// now or before.
pub async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = PageLang::of(&headers);
    let tables = state.hub.storage().tables();
    let Ok(Some(link)) = find(&tables, &token) else {
        return not_found(lang);
    };
    match refuse(&state, &link).await {
        Ok(()) => {
            let channel = Channel::from_code(&link.channel).unwrap_or(Channel::Email);
            let words = channel_words(lang, channel);
            let done = match lang {
                PageLang::Tr => format!(
                    "Bu adrese artık ticari {words} iletisi gönderilmeyecek. Ret kaydınız alındı."
                ),
                PageLang::En => format!(
                    "No more commercial {words} messages will be sent to this address. Your refusal is recorded."
                ),
            };
            page(
                lang,
                lang.pick(("Abonelikten çıkıldı", "Unsubscribed")),
                format!("<p id=\"unsubscribed\">{done}</p>"),
            )
            .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "unsubscribe not recorded");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                page(
                    lang,
                    lang.pick(("Kaydedilemedi", "Not recorded")),
                    format!(
                        "<p>{}</p>",
                        lang.pick((
                            "Ret kaydınız şu an alınamadı; lütfen biraz sonra yeniden deneyin.",
                            "Your refusal could not be recorded just now; please try again shortly."
                        ))
                    ),
                ),
            )
                .into_response()
        }
    }
}

/// Writes the refusal into the person's consent log (nothing when one holds already,
/// or when the person's record is gone).
async fn refuse(state: &AppState, link: &UnsubscribeLink) -> Result<(), ServerError> {
    let Ok(person) = link.person.parse::<DocumentId>() else {
        return Ok(());
    };
    let Some(channel) = Channel::from_code(&link.channel) else {
        return Ok(());
    };
    let at = now_ms();
    let evidence = format!("unsubscribe link in campaign {} message", link.campaign);
    state
        .hub
        .server_change(person, |doc| {
            let Some(Ok(mut record)) = Record::read(doc) else {
                return Ok(false);
            };
            let Some(log) = record.consents_mut() else {
                return Ok(false);
            };
            let Some(event) = consent::unsubscribe(
                log,
                channel,
                &link.address,
                uuid::Uuid::new_v4().simple().to_string(),
                at,
                &evidence,
            ) else {
                return Ok(false);
            };
            log.push(event);
            record.write(doc)
        })
        .await
        .map(|_| ())
}
