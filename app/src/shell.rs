//! The HTML shell the server renders for every app route.
//!
//! It holds no data: the browser renders every view from its local store, so the same
//! shell, cached by the service worker, opens any page offline.

use leptos::config::LeptosOptions;
use leptos::prelude::*;

/// The CSP nonce of the response being rendered. The server's security middleware
/// puts it in the request's extensions and sends the matching policy header.
#[derive(Debug, Clone)]
pub struct ScriptNonce(pub String);

fn script_nonce() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ScriptNonce>().cloned())
        .map(|n| n.0)
        .unwrap_or_default()
}

/// The document around the app. The boot script loads the WASM bundle, which mounts
/// the app into `<body>` and registers the service worker.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    let nonce = script_nonce();
    // Leptos's own bootstrap scripts (appended to the stream) take their nonce from this
    // context: give them the one the response's policy names.
    provide_context(leptos::nonce::Nonce::from_value(nonce.clone()));
    view! {
        <!DOCTYPE html>
        <html lang="tr">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#0f5c4d" />
                <meta name="description" content="Saha: çevrimdışı çalışan CRM" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icon-192.png" />
                <link rel="stylesheet" href=format!("{pkg}.css") />
                <link rel="modulepreload" href=format!("{pkg}.js") />
                <title>"Saha"</title>
                <script type="module" src="/boot.js" nonce=nonce></script>
            </head>
            <body>
                <div id="boot" class="boot">"Saha yükleniyor…"</div>
                <noscript>"Saha'yı kullanmak için JavaScript'i açın. / Turn on JavaScript to use Saha."</noscript>
            </body>
        </html>
    }
}
