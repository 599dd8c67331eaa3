//! The frame around every page: header with sync status and language, banners, 404.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{me, repo, tr, use_lang};
use crate::client::repo::Connectivity;
use crate::i18n::{self, Lang, Msg};

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let sections = [
        ("/today", "ui.my_day"),
        ("/accounts", "kinds.account"),
        ("/contacts", "kinds.contact"),
        ("/leads", "kinds.lead"),
        ("/pipeline", "ui.pipeline"),
        ("/quotes", "kinds.quote"),
        ("/orders", "kinds.order"),
        ("/invoices", "kinds.invoice"),
        ("/products", "kinds.product"),
        ("/cases", "kinds.case"),
        ("/calls", "kinds.call"),
        ("/tasks", "kinds.task"),
        ("/calendar", "ui.calendar"),
        ("/reports/service", "ui.service_report"),
        ("/segments", "kinds.segment"),
        ("/campaigns", "kinds.campaign"),
        ("/special-days", "ui.special_days"),
        ("/consents", "ui.iys_page"),
    ];
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">"Saha"</A>
            <SyncBadge />
            <A href="/search" attr:class="search-link" attr:id="search-link" attr:title=move || i18n::word(lang.get(), "ui.search_hint")>
                <span aria-hidden="true" class="icon">"⌕"</span>
                <span class="label">{move || i18n::word(lang.get(), "ui.search_all")}</span>
            </A>
            <A href="/settings" attr:class="user" attr:id="user-menu">
                {me().name}
            </A>
            <LanguagePicker />
        </header>
        <nav class="sections" aria-label="Saha">
            {sections
                .into_iter()
                .map(|(href, key)| view! { <A href=href>{move || i18n::word(lang.get(), key)}</A> })
                .collect_view()}
        </nav>
    }
}

/// The TR/EN switch of the top bar (signed in or not).
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let lang = use_lang();
    view! {
        <label class="lang">
            <span class="visually-hidden">{tr(Msg::Language)}</span>
            <select
                aria-label=tr(Msg::Language)
                on:change=move |ev| {
                    if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                        lang.set(l);
                    }
                }
                prop:value=move || lang.get().code()
            >
                <option value="tr">"TR"</option>
                <option value="en">"EN"</option>
            </select>
        </label>
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
            "offline" => Msg::Offline.text(l),
            "connecting" => Msg::Connecting.text(l),
            "syncing" => Msg::Syncing.text(l),
            _ => Msg::Synced.text(l),
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
            title=tr(Msg::SyncStatus)
        >
            <span class="dot" aria-hidden="true"></span>
            {label}
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
                {tr(Msg::SaveFailed)} ": " {move || error.get().unwrap_or_default()}
            </p>
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
                {tr(Msg::SessionExpired)} " "
                <a href="/login" rel="external" on:click=|_| crate::client::session::forget()>{tr(Msg::LogIn)}</a>
            </p>
        </Show>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <p class="empty">{tr(Msg::PageNotFound)}</p>
            <A href="/" attr:class="button">{tr(Msg::Accounts)}</A>
        </section>
    }
}
