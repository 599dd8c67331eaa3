//! Settings: the member's own (password, language, the [`device_files`] kept offline) and the workspace's for
//! admins: [`members`] and teams, the [`audit`] log, [`pipeline`] stages and
//! [`service`] settings (working hours, SLA targets, loyalty), the [`company`] details
//! printed on quotes and invoices, [`import`] from spreadsheets, [`duplicates`] found and merged, the [`bin`] of deleted records and the REST API's
//! tokens ([`api_tokens`]), [`webhooks`] and [`web_forms`].

pub mod api_tokens;
pub mod audit;
pub mod bin;
pub mod company;
pub mod device_files;
pub mod duplicates;
pub mod import;
pub mod members;
pub mod pipeline;
pub mod service;
pub mod web_forms;
pub mod webhooks;

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::api::{self, ApiErrorCode};

use crate::client::{http, session};
use crate::i18n::{self, Key};
use crate::ui::{
    me, repo, tr, use_lang,
    widgets::feedback::{error_banner, input_field, reload_to},
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let me = me();
    let role = me.role;
    let team_names: Vec<String> = me
        .workspace_teams
        .iter()
        .filter(|t| me.teams.contains(&t.id))
        .map(|t| t.name.clone())
        .collect();

    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let password_error = RwSignal::new(None::<ApiErrorCode>);
    let password_done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let change_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = api::PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, ()>("/api/auth/password", &body).await {
                Ok(()) => {
                    password_error.set(None);
                    password_done.set(true);
                    current.set(String::new());
                    new.set(String::new());
                }
                Err(e) => {
                    password_done.set(false);
                    password_error.set(Some(e.code()));
                }
            }
            busy.set(false);
        });
    };

    let wipe = RwSignal::new(false);
    let pending = repo().pending();
    let user_id = me.user_id.clone();
    let logout = move |_| {
        let user_id = user_id.clone();
        let wipe = wipe.get_untracked();
        if wipe {
            // An open connection would block deleting the database.
            repo().close_store();
        }
        wasm_bindgen_futures::spawn_local(async move {
            // Offline, the server session stays until it expires; this device forgets it.
            if let Err(e) = session::logout(&user_id, wipe).await {
                leptos::logging::warn!("logout: {e:?}");
            }
            reload_to("/");
        });
    };

    view! {
        <section class="page">
            <h1>{tr(Key::Settings)}</h1>
            <dl class="facts" id="profile">
                <dt>{tr(Key::Name)}</dt>
                <dd>{me.name.clone()}</dd>
                <dt>{tr(Key::FieldEmail)}</dt>
                <dd>{me.email.clone()}</dd>
                <dt>{tr(Key::WorkspaceLabel)}</dt>
                <dd>{me.workspace_name.clone()}</dd>
                <dt>{tr(Key::Role)}</dt>
                <dd data-field="role">{move || i18n::role(lang.get(), role)}</dd>
                <dt>{tr(Key::Teams)}</dt>
                <dd>{team_names.join(", ")}</dd>
            </dl>
            <Show when=move || role.administers()>
                <nav class="actions">
                    <A href="/settings/members" attr:class="button">{tr(Key::Members)}</A>
                    <A href="/settings/audit" attr:class="button">{tr(Key::AuditLog)}</A>
                    <A href="/settings/pipeline" attr:class="button">{move || i18n::word(lang.get(), Key::UiSettingsPipeline)}</A>
                    <A href="/settings/service" attr:class="button" attr:id="service-settings-link">{move || i18n::word(lang.get(), Key::UiServiceSettings)}</A>
                    <A href="/settings/company" attr:class="button" attr:id="company-settings-link">{move || i18n::word(lang.get(), Key::UiCompanyDetails)}</A>
                    <A href="/settings/import" attr:class="button" attr:id="import-link">{tr(Key::ImportTitle)}</A>
                    <A href="/settings/duplicates" attr:class="button" attr:id="duplicates-link">{tr(Key::DupTitle)}</A>
                    <A href="/settings/bin" attr:class="button" attr:id="bin-link">{move || i18n::word(lang.get(), Key::UiBin)}</A>
                    <A href="/settings/api" attr:class="button" attr:id="api-settings-link">{move || i18n::word(lang.get(), Key::UiApi)}</A>
                    <A href="/settings/forms" attr:class="button" attr:id="web-forms-link">{tr(Key::UiWebForms)}</A>
                </nav>
            </Show>
            <Show when=move || role.handles_privacy()>
                <nav class="actions">
                    <A href="/settings/privacy" attr:class="button" attr:id="privacy-requests-link">{tr(Key::PrivacyRequestsLink)}</A>
                </nav>
            </Show>
            <Show when=move || role == saha_core::access::Role::Owner>
                <h2>{tr(Key::BackupTitle)}</h2>
                <p class="hint">{tr(Key::BackupHint)}</p>
                <a href="/api/workspace/backup" download class="button" id="backup-link">{tr(Key::BackupDownload)}</a>
            </Show>

            <h2>{tr(Key::ChangePassword)}</h2>
            <form class="form" id="password-form" on:submit=change_password>
                {error_banner(password_error)}
                <Show when=move || password_done.get()>
                    <p class="banner" role="status">{tr(Key::PasswordChanged)}</p>
                </Show>
                {input_field("current-password", Key::CurrentPassword, "password", "current-password", current)}
                {input_field("new-password", Key::PasswordNew, "password", "new-password", new)}
                <p class="hint">{tr(Key::PasswordRule)}</p>
                <div class="actions">
                    <button type="submit" class="button" disabled=busy>{tr(Key::ChangePassword)}</button>
                </div>
            </form>

            <device_files::DeviceFiles />

            <h2>{tr(Key::LogOut)}</h2>
            <div class="form">
                <label class="check">
                    <input
                        type="checkbox"
                        id="wipe-device"
                        prop:checked=wipe
                        on:change=move |ev| wipe.set(event_target_checked(&ev))
                    />
                    {tr(Key::WipeDevice)}
                </label>
                <Show when=move || { wipe.get() && pending.get() > 0 }>
                    <p class="banner error" role="alert">{tr(Key::WipeWarning)}</p>
                </Show>
                <div class="actions">
                    <button type="button" class="button" id="logout" on:click=logout>
                        {tr(Key::LogOut)}
                    </button>
                </div>
            </div>
        </section>
    }
}
