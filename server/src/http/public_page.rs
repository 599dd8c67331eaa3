//! Pages served to people outside the workspace (survey answers, web forms): plain
//! HTML in the person's language, with the app's stylesheet and no script.

use axum::http::HeaderMap;
use axum::response::Html;

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
