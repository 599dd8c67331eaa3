//! Telling the member what happened: error lines and banners, running a workflow step
//! that may be refused, form inputs with their problems, the not-found page, and the
//! page shown when a page's code could not be loaded.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::api::ApiErrorCode;

use crate::client::error::RepoError;
use crate::i18n::{self, Key};
use crate::ui::{tr, use_lang};

/// Runs a workflow step that may fail, showing its error in `failure`.
pub fn run_step<F>(failure: RwSignal<Option<String>>, step: F)
where
    F: std::future::Future<Output = Result<(), RepoError>> + 'static,
{
    let lang = use_lang().get_untracked();
    wasm_bindgen_futures::spawn_local(async move {
        match step.await {
            Ok(()) => failure.set(None),
            Err(e) => failure.set(Some(i18n::repo_error(lang, &e))),
        }
    });
}

#[component]
pub fn ErrorLine(failure: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || failure.with(Option::is_some)>
            <p class="banner error" role="alert">{move || failure.get().unwrap_or_default()}</p>
        </Show>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <p class="empty">{tr(Key::PageNotFound)}</p>
            <A href="/today" attr:class="button">{tr(Key::UiMyDay)}</A>
        </section>
    }
}

/// A page whose code (a part of the WASM module loaded on first use) could not be
/// fetched: offline before the service worker had stored it, or a server gone. Trying
/// again fetches it afresh.
#[component]
pub fn PageNotLoaded() -> impl IntoView {
    view! {
        <section class="page">
            <p class="banner error" role="alert">{tr(Key::PageNotLoaded)}</p>
            <button type="button" class="button" on:click=|_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            }>{tr(Key::UiTryAgain)}</button>
            <A href="/today" attr:class="button">{tr(Key::UiMyDay)}</A>
        </section>
    }
}

/// Loads `path` as a new page (the app starts over with the new session).
pub fn reload_to(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
}

/// A labelled input bound to `value`.
pub fn input_field(
    id: &'static str,
    label: Key,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                required
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// The error banner of a form: the API's error code, worded.
pub fn error_banner(error: RwSignal<Option<ApiErrorCode>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="banner error" role="alert">
                {move || error.get().map(|code| i18n::api_error(lang.get(), code))}
            </p>
        </Show>
    }
}
