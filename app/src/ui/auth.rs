//! The pages of a device nobody is signed in on: login, the first-run setup that
//! creates the first workspace and its owner, and accepting an invitation.
//!
//! Each page posts JSON to the API; on success the server sets the session cookie and
//! the page reloads into the app (which then opens the member's own local store).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_params_map;
use leptos_router::path;
use saha_core::api::{self, ApiErrorCode, InvitationPreview, Me};

use crate::client::http::{self, HttpError};
use crate::i18n::{self, Key, Lang};
use crate::ui::{
    provide_lang, tr, use_lang,
    widgets::{
        feedback::{error_banner, input_field, reload_to},
        language::LanguagePicker,
    },
};

#[component]
pub fn AuthApp(lang: Lang, needs_setup: bool, offline: bool) -> impl IntoView {
    provide_lang(lang);
    let fallback = move || {
        if offline {
            view! {
                <section class="page auth">
                    <h1>"Saha"</h1>
                    <p class="banner" role="status">{tr(Key::OfflineNoSession)}</p>
                </section>
            }
            .into_any()
        } else if needs_setup {
            view! { <SetupPage /> }.into_any()
        } else {
            view! { <LoginPage /> }.into_any()
        }
    };
    view! {
        <Router>
            <header class="topbar">
                <span class="brand">"Saha"</span>
                <LanguagePicker />
            </header>
            <main id="main">
                <Routes fallback=fallback>
                    <Route path=path!("/invite/:token") view=AcceptInvitationPage />
                </Routes>
            </main>
        </Router>
    }
}

/// Runs `call` once, marking the form busy; on success reloads into the app.
fn submit_then_enter<F>(busy: RwSignal<bool>, error: RwSignal<Option<ApiErrorCode>>, call: F)
where
    F: std::future::Future<Output = Result<Me, HttpError>> + 'static,
{
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    wasm_bindgen_futures::spawn_local(async move {
        match call.await {
            Ok(_) => reload_to("/"),
            Err(e) => {
                error.set(Some(e.code()));
                busy.set(false);
            }
        }
    });
}

#[component]
fn LoginPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiErrorCode>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        submit_then_enter(busy, error, async move {
            http::post::<_, Me>("/api/auth/login", &body).await
        });
    };
    view! {
        <section class="page auth">
            <h1>{tr(Key::LoginTitle)}</h1>
            <form class="form" id="login-form" on:submit=on_submit>
                {error_banner(error)}
                {input_field("login-email", Key::FieldEmail, "email", "username", email)}
                {input_field("login-password", Key::Password, "password", "current-password", password)}
                <div class="actions">
                    <button type="submit" class="button primary" disabled=busy>{tr(Key::LogIn)}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn SetupPage() -> impl IntoView {
    let workspace = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiErrorCode>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::SetupRequest {
            workspace_name: workspace.get_untracked(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        submit_then_enter(busy, error, async move {
            http::post::<_, Me>("/api/setup", &body).await
        });
    };
    view! {
        <section class="page auth">
            <h1>{tr(Key::SetUpTitle)}</h1>
            <p>{tr(Key::SetUpIntro)}</p>
            <form class="form" id="setup-form" on:submit=on_submit>
                {error_banner(error)}
                {input_field("setup-workspace", Key::WorkspaceName, "text", "organization", workspace)}
                {input_field("setup-name", Key::YourName, "text", "name", name)}
                {input_field("setup-email", Key::FieldEmail, "email", "username", email)}
                {input_field("setup-password", Key::Password, "password", "new-password", password)}
                <p class="hint">{tr(Key::PasswordRule)}</p>
                <div class="actions">
                    <button type="submit" class="button primary" disabled=busy>{tr(Key::CreateWorkspace)}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn AcceptInvitationPage() -> impl IntoView {
    let lang = use_lang();
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let preview = RwSignal::new(None::<Result<InvitationPreview, ApiErrorCode>>);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiErrorCode>);
    let busy = RwSignal::new(false);
    {
        let token = token.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = http::get::<InvitationPreview>(&format!("/api/invite/{token}")).await;
            if let Ok(p) = &answer
                && let Some(e) = &p.email
            {
                email.set(e.clone());
            }
            preview.set(Some(answer.map_err(|e| e.code())));
        });
    }
    let path = StoredValue::new(format!("/api/invite/{token}"));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::AcceptInvitation {
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        let path = path.get_value();
        submit_then_enter(busy, error, async move {
            http::post::<_, Me>(&path, &body).await
        });
    };
    view! {
        <section class="page auth">
            <h1>{tr(Key::InvitationTitle)}</h1>
            {move || match preview.get() {
                None => view! { <p>{tr(Key::Loading)}</p> }.into_any(),
                Some(Err(code)) => {
                    view! { <p class="banner error" role="alert">{move || i18n::api_error(lang.get(), code)}</p> }
                        .into_any()
                }
                Some(Ok(p)) => {
                    let role = p.role;
                    view! {
                        <p class="invitation-summary">
                            <strong>{p.workspace_name.clone()}</strong>
                            " · "
                            {tr(Key::InvitedAs)}
                            ": "
                            {move || i18n::role(lang.get(), role)}
                        </p>
                    }
                        .into_any()
                }
            }}
            <Show when=move || matches!(preview.get(), Some(Ok(_)))>
                <form class="form" id="invite-form" on:submit=on_submit>
                    {error_banner(error)}
                    {input_field("invite-name", Key::YourName, "text", "name", name)}
                    {input_field("invite-email", Key::FieldEmail, "email", "username", email)}
                    {input_field("invite-password", Key::Password, "password", "new-password", password)}
                    <p class="hint">{tr(Key::PasswordRule)}</p>
                    <div class="actions">
                        <button type="submit" class="button primary" disabled=busy>
                            {tr(Key::AcceptInvitation)}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
