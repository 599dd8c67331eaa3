//! The screens. Every view reads the local [`Repo`]; nothing waits for the network.

mod accounts;
mod chrome;

use std::cell::RefCell;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::client::repo::Repo;
use crate::client::{describe, sync_client};
use crate::i18n::{Lang, Msg};

thread_local! {
    static REPO: RefCell<Option<Repo>> = const { RefCell::new(None) };
}

/// The page's repository. The app is mounted only after it opened.
pub fn repo() -> Repo {
    REPO.with(|r| r.borrow().clone())
        .expect("the repository is opened before the app is mounted")
}

const LANG_KEY: &str = "saha.lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn initial_lang() -> Lang {
    if let Some(saved) = local_storage()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code))
    {
        return saved;
    }
    let languages: Vec<String> = web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default();
    Lang::from_preferences(languages.iter().map(String::as_str))
}

/// The current language, from context.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Tr))
}

/// A reactive translation of `msg`.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let promise = navigator.service_worker().register("/sw.js");
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
                leptos::logging::warn!("service worker not registered: {}", describe(&e));
            }
        });
    }
}

fn remove_boot_placeholder() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
}

/// Opens the local store, starts sync and mounts the app.
pub fn mount() {
    register_service_worker();
    wasm_bindgen_futures::spawn_local(async {
        let lang = initial_lang();
        match Repo::open().await {
            Ok(repo) => {
                REPO.with(|r| *r.borrow_mut() = Some(repo.clone()));
                sync_client::start(repo);
                remove_boot_placeholder();
                leptos::mount::mount_to_body(move || view! { <App lang=lang /> });
            }
            Err(e) => {
                remove_boot_placeholder();
                leptos::mount::mount_to_body(move || {
                    view! {
                        <main class="page">
                            <p class="banner error" role="alert">
                                {Msg::StorageFailed.text(lang)} ": " {e.to_string()}
                            </p>
                        </main>
                    }
                });
            }
        }
    });
}

#[component]
fn App(lang: Lang) -> impl IntoView {
    let lang = RwSignal::new(lang);
    provide_context(lang);
    Effect::new(move |_| {
        let code = lang.get().code();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", code);
        }
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(LANG_KEY, code);
        }
    });
    // Ctrl/Cmd+K focuses the search field of the list.
    let keydown = window_event_listener(leptos::ev::keydown, |ev| {
        if (ev.ctrl_key() || ev.meta_key())
            && ev.key().eq_ignore_ascii_case("k")
            && let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("account-search"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            let _ = input.focus();
        }
    });
    on_cleanup(move || keydown.remove());

    view! {
        <Router>
            <chrome::Header />
            <chrome::StorageBanner />
            <main id="main">
                <Routes fallback=|| view! { <chrome::NotFound /> }>
                    <Route path=path!("/") view=accounts::AccountList />
                    <Route path=path!("/accounts") view=accounts::AccountList />
                    <Route path=path!("/accounts/new") view=accounts::NewAccount />
                    <Route path=path!("/accounts/:id") view=accounts::AccountDetail />
                    <Route path=path!("/accounts/:id/edit") view=accounts::EditAccount />
                </Routes>
            </main>
        </Router>
    }
}
