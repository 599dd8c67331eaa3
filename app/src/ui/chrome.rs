//! The frame around every page: header with sync status, settings and language, and
//! the banners (see [`crate::ui::navigation`] for getting around).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::client::repo::Connectivity;
use crate::i18n::{self, Key};
use crate::ui::{me, repo, tr, use_lang, widgets::language::LanguagePicker};

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">"Saha"</A>
            <SyncBadge />
            <A href="/search" attr:class="search-link" attr:id="search-link" attr:title=move || i18n::word(lang.get(), Key::UiSearchHint)>
                <span aria-hidden="true" class="icon">"⌕"</span>
                <span class="label">{move || i18n::word(lang.get(), Key::UiSearchAll)}</span>
            </A>
            <A href="/settings" attr:class="user" attr:id="user-menu" attr:title=move || i18n::word(lang.get(), Key::Settings)>
                <span aria-hidden="true" class="icon">"⚙"</span>
                <span class="label">{me().name}</span>
            </A>
            <LanguagePicker />
        </header>
    }
}

/// Offline / connecting / syncing / synced, with the count of unconfirmed records.
#[component]
fn SyncBadge() -> impl IntoView {
    let repo = repo();
    let lang = use_lang();
    let (connectivity, pending, missing) = (repo.connectivity(), repo.pending(), repo.missing());
    let download = repo.download();
    let state = move || match connectivity.get() {
        Connectivity::Offline => "offline",
        Connectivity::Connecting => "connecting",
        Connectivity::Online if download.with(Option::is_some) => "syncing",
        Connectivity::Online if pending.get() + missing.get() > 0 => "syncing",
        Connectivity::Online => "synced",
    };
    let label = move || {
        let l = lang.get();
        let head = match state() {
            "offline" => Key::Offline.text(l),
            "connecting" => Key::Connecting.text(l),
            "syncing" => Key::Syncing.text(l),
            _ => Key::Synced.text(l),
        };
        let mut text = head.to_owned();
        if let Some((done, total)) = download.get() {
            text = format!("{text} · {}", i18n::downloading(l, done, total));
        } else if let n @ 1.. = missing.get() {
            text = format!("{text} · {}", i18n::incoming(l, n));
        }
        if let n @ 1.. = pending.get() {
            text = format!("{text} · {}", i18n::pending(l, n));
        }
        text
    };
    view! {
        <output
            class="sync"
            data-sync=state
            data-pending=move || pending.get().to_string()
            data-incoming=move || missing.get().to_string()
            aria-live="polite"
            title=tr(Key::SyncStatus)
        >
            <span class="dot" aria-hidden="true"></span>
            <span class="sync-text">{label}</span>
            {move || download.get().map(|(done, total)| view! {
                <progress class="download" max=total.to_string() value=done.to_string()></progress>
            })}
        </output>
    }
}

#[component]
pub fn StorageBanner() -> impl IntoView {
    let error = repo().storage_error();
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="banner error" role="alert">
                {tr(Key::SaveFailed)} ": " {move || error.get().unwrap_or_default()}
            </p>
        </Show>
    }
}

/// Where the time of the newest refusal the member has seen is kept.
fn refusals_seen_key() -> String {
    format!("saha.refusals_seen.{}", crate::ui::me().user_id)
}

/// Changes of this member's that the server refused (a change made offline under an
/// access the member no longer has, or by an outdated app): fetched whenever the device
/// comes online, listed with the record and the reason until the member dismisses them.
#[component]
pub fn RefusalBanner() -> impl IntoView {
    let lang = use_lang();
    let connectivity = repo().connectivity();
    let refusals = RwSignal::new(Vec::<saha_core::api::SyncRefusal>::new());
    Effect::new(move |_| {
        if connectivity.get() != Connectivity::Online {
            return;
        }
        let seen: i64 = crate::ui::local_storage()
            .and_then(|s| s.get_item(&refusals_seen_key()).ok().flatten())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        wasm_bindgen_futures::spawn_local(async move {
            let path = format!("/api/sync/refusals?since={}", seen + 1);
            match crate::client::http::get::<Vec<saha_core::api::SyncRefusal>>(&path).await {
                Ok(found) => refusals.set(found),
                Err(e) => leptos::logging::warn!("refused changes not fetched: {e}"),
            }
        });
    });
    let dismiss = move |_| {
        let newest = refusals.with_untracked(|r| r.iter().map(|r| r.at).max());
        if let (Some(at), Some(storage)) = (newest, crate::ui::local_storage()) {
            let _ = storage.set_item(&refusals_seen_key(), &at.to_string());
        }
        refusals.set(Vec::new());
    };
    view! {
        <Show when=move || !refusals.with(Vec::is_empty)>
            <div class="banner error" role="alert" id="refused-changes">
                <p>{move || i18n::refused_changes(lang.get(), refusals.with(Vec::len))}</p>
                <ul>
                    {move || {
                        refusals
                            .get()
                            .into_iter()
                            .map(|r| {
                                let title = crate::ui::widgets::links::title_of_id(&r.document);
                                let why = format!("refused.{}", r.code);
                                view! {
                                    <li data-code=r.code.clone()>
                                        <strong>{title}</strong> ": "
                                        {move || i18n::word_for(lang.get(), &why)}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <button type="button" class="button" on:click=dismiss>
                    {move || i18n::word(lang.get(), Key::UiDismiss)}
                </button>
            </div>
        </Show>
    }
}

/// Shown when the server stopped accepting this device's session.
#[component]
pub fn SessionBanner() -> impl IntoView {
    let expired = repo().session_expired();
    view! {
        <Show when=move || expired.get()>
            <p class="banner error" role="alert" id="session-expired">
                {tr(Key::SessionExpired)} " "
                <a href="/login" rel="external" on:click=|_| crate::client::session::forget()>{tr(Key::LogIn)}</a>
            </p>
        </Show>
    }
}
