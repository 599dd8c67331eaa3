//! Pages served to people outside the workspace (survey answers, unsubscribing, web
//! forms): plain HTML in the person's language, with the app's stylesheet and no
//! script; and the personal links that lead to them (`create_link`, `find_link`):
//! a 256-bit secret in the URL, stored only as its SHA-256 beside what the link is for.

use axum::http::HeaderMap;
use axum::response::Html;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ServerError;
use crate::directory::{random_token, token_hash};
use crate::storage::Tables;

/// Keeps `value` in `table` under the hash of a new secret; returns the secret.
pub(crate) fn create_link<T: Serialize>(
    tables: &Tables,
    table: &str,
    value: &T,
) -> Result<String, ServerError> {
    let token = random_token()?;
    let bytes = serde_json::to_vec(value).map_err(|e| ServerError::Storage(e.to_string()))?;
    let hash = token_hash(&token);
    tables.write(|tx| tx.put(table, &hash, &bytes))?;
    Ok(token)
}

/// What the secret `token` of `table` stands for; `None` for a token that is not one
/// (wrong shape, unknown, unreadable).
pub(crate) fn find_link<T: DeserializeOwned>(
    tables: &Tables,
    table: &str,
    token: &str,
) -> Result<Option<T>, ServerError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = token_hash(token);
    Ok(tables
        .read(|tx| tx.get(table, &hash))?
        .and_then(|v| serde_json::from_slice(&v).ok()))
}

/// The language of a public page: English when the person's browser puts English
/// before Turkish, else Turkish. Each page is in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageLang {
    Tr,
    En,
}

impl PageLang {
    pub(crate) fn of(headers: &HeaderMap) -> PageLang {
        let accepted = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for tag in accepted.split(',') {
            let primary = tag
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if primary.starts_with("tr") {
                return PageLang::Tr;
            }
            if primary.starts_with("en") {
                return PageLang::En;
            }
        }
        PageLang::Tr
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            PageLang::Tr => "tr",
            PageLang::En => "en",
        }
    }

    /// (Turkish, English) in this language.
    pub(crate) fn pick(self, texts: (&'static str, &'static str)) -> &'static str {
        match self {
            PageLang::Tr => texts.0,
            PageLang::En => texts.1,
        }
    }
}

pub(crate) fn page(lang: PageLang, title: &str, body: String) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/saha.css\"></head>\
         <body><main class=\"page public\"><h1>{title}</h1>{body}</main></body></html>",
        lang.code()
    ))
}
