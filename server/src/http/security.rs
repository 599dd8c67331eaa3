//! HTTP hardening: security headers with a per-response CSP nonce, the Origin
//! allowlist, the session cookie, and the client address.
//!
//! Every response carries a Content-Security-Policy whose only script source is a
//! fresh nonce (plus `'strict-dynamic'`, so the boot script may load the WASM bundle,
//! and `'wasm-unsafe-eval'` to compile it); the app shell puts that nonce on its one
//! script tag. No inline script or style exists anywhere in the app. Images and sound
//! may also come from `blob:` URLs: attachments taken on the device are shown from its
//! own store before they are uploaded.

use std::net::SocketAddr;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use saha_core::web_form::origin_of;

use crate::Config;
use crate::http::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "saha_session";

/// Set on a response that other sites may embed (a web form): the origins allowed as
/// its `frame-ancestors`, instead of none.
#[derive(Debug, Clone)]
pub struct FrameAncestors(pub Vec<String>);

/// Set on a response whose body is a member's upload (an attachment): its policy is a
/// sandbox that runs no script and loads nothing, whatever the bytes are.
#[derive(Debug, Clone, Copy)]
pub struct UploadedContent;

/// The policy of an [`UploadedContent`] response.
pub const UPLOADED_CONTENT_POLICY: &str = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; \
     frame-ancestors 'none'";

fn content_security_policy(nonce: &str, frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; \
         connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors {frame_ancestors}; form-action 'self'"
    )
}

/// Middleware: security headers on every response, the CSP nonce in the request.
pub async fn headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let mut nonce = [0u8; 16];
    let nonce = match getrandom::fill(&mut nonce) {
        Ok(()) => hex::encode(nonce),
        // Without randomness no nonce can be trusted: the policy then allows no script.
        Err(_) => String::from("unavailable"),
    };
    request
        .extensions_mut()
        .insert(app::ScriptNonce(nonce.clone()));
    let mut response = next.run(request).await;
    // Origins are checked when a form is saved; anything else here falls back to none.
    let embedders = response
        .extensions()
        .get::<FrameAncestors>()
        .map(|f| {
            f.0.iter()
                .filter(|o| {
                    (o.starts_with("https://") || o.starts_with("http://"))
                        && o.bytes()
                            .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
                })
                .cloned()
                .collect::<Vec<_>>()
        })
        .filter(|list| !list.is_empty());
    let frame_ancestors = match &embedders {
        Some(list) => format!("'self' {}", list.join(" ")),
        None => "'none'".to_owned(),
    };
    let uploaded = response.extensions().get::<UploadedContent>().is_some();
    let headers = response.headers_mut();
    if uploaded {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(UPLOADED_CONTENT_POLICY),
        );
    } else if let Ok(csp) =
        HeaderValue::from_str(&content_security_policy(&nonce, &frame_ancestors))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if embedders.is_none() {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.config.is_https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Whether the request's `Origin` (if any) may talk to this server. Requests without
/// `Origin` (non-browser clients) pass here; they still need a session or ticket.
pub fn origin_allowed(config: &Config, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin_of(origin);
    if !config.allowed_origins.is_empty() {
        return config
            .allowed_origins
            .iter()
            .any(|o| origin_of(o) == origin);
    }
    if let Some(public) = &config.public_url {
        return origin_of(public) == origin;
    }
    // No public URL: the server listens on loopback (see [`check_exposure`]), and only
    // a loopback Host names it — a page on another name that resolves here (DNS
    // rebinding) is not the server's own origin.
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    is_loopback_host(&host)
        && (origin == format!("http://{host}") || origin == format!("https://{host}"))
}

/// Whether `host` (a Host header: name or address, with an optional port) names this
/// machine's loopback interface.
pub fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        // [::1]:3000
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(host, |(name, _)| name)
    };
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a request may be served given its Host: with a public URL or allowed
/// origins set, a proxy in front decides; without, only loopback names (the DNS
/// rebinding defence of the first-run page and everything else).
pub fn host_allowed(config: &Config, headers: &HeaderMap) -> bool {
    if config.public_url.is_some() || !config.allowed_origins.is_empty() {
        return true;
    }
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| is_loopback_host(&h.to_ascii_lowercase()))
}

/// Refuses to listen beyond loopback without `--public-url` or `--allowed-origin`:
/// the server could not tell its own origin from a rebound one.
pub fn check_exposure(config: &Config) -> Result<(), crate::ServerError> {
    if config.listen.ip().is_loopback()
        || config.public_url.is_some()
        || !config.allowed_origins.is_empty()
    {
        return Ok(());
    }
    Err(crate::ServerError::Config(format!(
        "listening on {} needs --public-url (the address users open) or --allowed-origin",
        config.listen
    )))
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("saha_session=; Path=/; Max-Age=0"))
}

/// The `Set-Cookie` value that ends a session.
pub fn cleared_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static("saha_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure")
    } else {
        HeaderValue::from_static("saha_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// The session token from the request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The client's address: the socket peer, or behind a trusted proxy the last hop of
/// `X-Forwarded-For`.
pub fn client_ip(config: &Config, peer: Option<SocketAddr>, headers: &HeaderMap) -> String {
    if config.trust_forwarded_for
        && let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return forwarded.trim().to_owned();
    }
    peer.map(|p| p.ip().to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        h
    }

    #[test]
    fn origins_default_to_the_servers_own() {
        let mut config = Config::for_tests(".".into(), ".".into());
        assert!(origin_allowed(&config, &headers(None, "localhost:1")));
        assert!(origin_allowed(
            &config,
            &headers(Some("http://localhost:1"), "localhost:1")
        ));
        assert!(!origin_allowed(
            &config,
            &headers(Some("http://evil:1"), "localhost:1")
        ));
        assert!(!origin_allowed(
            &config,
            &headers(Some("null"), "localhost:1")
        ));
        config.public_url = Some("https://crm.example.com/".into());
        assert!(origin_allowed(
            &config,
            &headers(Some("https://crm.example.com"), "x")
        ));
        assert!(!origin_allowed(
            &config,
            &headers(Some("http://crm.example.com"), "x")
        ));
        config.allowed_origins = vec!["https://app.example.com".into()];
        assert!(origin_allowed(
            &config,
            &headers(Some("https://APP.example.com"), "x")
        ));
        assert!(!origin_allowed(
            &config,
            &headers(Some("https://crm.example.com"), "x")
        ));
    }

    #[test]
    fn without_a_public_url_only_loopback_names_are_the_servers_own() {
        let config = Config::for_tests(".".into(), ".".into());
        // DNS rebinding: a foreign name that resolves to this machine.
        assert!(!origin_allowed(
            &config,
            &headers(Some("http://evil.test"), "evil.test")
        ));
        assert!(!host_allowed(&config, &headers(None, "evil.test")));
        for host in [
            "localhost:3000",
            "127.0.0.1:3000",
            "[::1]:3000",
            "app.localhost",
        ] {
            assert!(host_allowed(&config, &headers(None, host)), "{host}");
            assert!(origin_allowed(
                &config,
                &headers(Some(&format!("http://{host}")), host)
            ));
        }
        assert!(!is_loopback_host("127.0.0.1.evil.test"));
        assert!(!is_loopback_host("localhost.evil.test"));
    }

    #[test]
    fn listening_beyond_loopback_needs_a_public_url() {
        let mut config = Config::for_tests(".".into(), ".".into());
        assert!(check_exposure(&config).is_ok());
        config.listen = "0.0.0.0:3000".parse().unwrap();
        assert!(check_exposure(&config).is_err());
        config.public_url = Some("https://crm.example.com".into());
        assert!(check_exposure(&config).is_ok());
        config.public_url = None;
        config.allowed_origins = vec!["https://crm.example.com".into()];
        assert!(check_exposure(&config).is_ok());
    }

    #[test]
    fn the_session_cookie_is_read_back() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; saha_session=abc123; c=d"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("abc123"));
        let cookie = session_cookie("abc", 60, true);
        let cookie = cookie.to_str().unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(cookie.contains("Secure"));
        assert!(
            !session_cookie("abc", 60, false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
}
