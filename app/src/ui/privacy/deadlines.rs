//! The KVKK deadline warning outside the request log: on "my day", owners, admins and
//! privacy officers see how many requests are late or due within a week
//! ([`Deadlines`], counted by the server: `GET /api/privacy/deadlines`), with a link to
//! the log. The log is on the server, so the warning shows when the device is online;
//! offline it stays away rather than guess. Asking and reading the answer is a part of
//! the bundle loaded on first use, and only for those who handle requests: most
//! members never load it.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::privacy::request::Deadlines;

use crate::i18n::Fmt;
use crate::ui::{me, use_lang};

/// The server's count, as `(overdue, due soon)`.
type Counted = Pin<Box<dyn Future<Output = Option<(usize, usize)>>>>;

/// Asks the server how many requests need attention (in its own part of the bundle).
#[leptos::wasm_split::wasm_split(
    part_privacy_deadlines,
    fallible,
    wasm_split_path = leptos::wasm_split
)]
fn ask() -> Result<Counted, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async {
        crate::client::http::get::<Deadlines>("/api/privacy/deadlines")
            .await
            .ok()
            .map(|d| (d.overdue, d.due_soon))
    }))
}

/// The warning, for those who handle requests and only when one needs attention.
#[component]
pub fn PrivacyDeadlines() -> impl IntoView {
    let lang = use_lang();
    let deadlines = RwSignal::new(Deadlines::default());
    if me().role.handles_privacy() {
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(counted) = ask().await else {
                return;
            };
            if let Some((overdue, due_soon)) = counted.await {
                deadlines.set(Deadlines { overdue, due_soon });
            }
        });
    }
    view! {
        <Show when=move || !deadlines.with(Deadlines::is_calm)>
            <p class="banner warning" role="status" id="privacy-deadlines">
                <A href="/settings/privacy">
                    {move || {
                        let d = deadlines.get();
                        let lang = lang.get();
                        let mut parts = Vec::new();
                        if d.overdue > 0 {
                            parts.push(Fmt::PrivacyDeadlinesOverdue.format(lang, &[("count", d.overdue.into())]));
                        }
                        if d.due_soon > 0 {
                            parts.push(Fmt::PrivacyDeadlinesDueSoon.format(lang, &[("count", d.due_soon.into())]));
                        }
                        parts.join(" · ")
                    }}
                </A>
            </p>
        </Show>
    }
}
