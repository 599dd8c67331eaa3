//! The selling company's details: legal name, address, tax office, VKN, IBAN, contact
//! and logo, printed on quotes and invoices.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::record::form::Form;
use saha_core::text::validate::Problem;
use saha_core::workspace::{CompanyDetails, company_field};

use crate::client::error::RepoError;
use crate::i18n::{self, Key, word_for};
use crate::ui::widgets::files::{picked_file, read_as_data_url};
use crate::ui::{me, repo, tr, use_lang, word};

/// The company details form (admins; others read them). Saved into the workspace
/// index, so it syncs and every device prints the same header, offline too.
#[component]
pub fn CompanySettingsPage() -> impl IntoView {
    let lang = use_lang();
    let allowed = me().role.administers();
    let current = repo().company().get_untracked().form();
    let values: Vec<(&'static str, RwSignal<String>)> = company_field::ALL
        .iter()
        .map(|f| (f.name, RwSignal::new(current.get(f.name).to_owned())))
        .collect();
    let logo = RwSignal::new(current.get("logo").to_owned());
    let problems = RwSignal::new(Vec::<(&'static str, Problem)>::new());
    let saved = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let save = {
        let values = values.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            saved.set(false);
            let mut form = Form::new().with("logo", logo.get_untracked());
            for (name, value) in &values {
                form.set(name, value.get_untracked());
            }
            let details = match CompanyDetails::from_form(&form) {
                Ok(details) => details,
                Err(found) => {
                    problems.set(found);
                    return;
                }
            };
            problems.set(Vec::new());
            wasm_bindgen_futures::spawn_local(async move {
                match repo().set_company(&details).await {
                    Ok(()) => {
                        saved.set(true);
                        failure.set(None);
                    }
                    Err(RepoError::Invalid(found)) => problems.set(found),
                    Err(e) => failure.set(Some(i18n::repo_error(lang.get_untracked(), &e))),
                }
            });
        }
    };
    let problem_of = move |name: &'static str| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .find(|(f, _)| *f == name)
                    .map(|(_, p)| i18n::problem(lang.get(), *p))
            })
        }
    };
    let inputs = values
        .iter()
        .map(|(name, value)| {
            let (name, value) = (*name, *value);
            let input_id = format!("company-{name}");
            let (kind, mode, autocomplete) = match name {
                "phone" => ("tel", "tel", "tel"),
                "email" => ("email", "email", "email"),
                "tax_number" => ("text", "numeric", "off"),
                "legal_name" => ("text", "text", "organization"),
                _ => ("text", "text", "off"),
            };
            let control = if name == "address" {
                view! {
                    <textarea id=input_id.clone() rows="3" disabled=!allowed prop:value=value on:input=move |ev| value.set(event_target_value(&ev))></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input id=input_id.clone() type=kind inputmode=mode autocomplete=autocomplete disabled=!allowed prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
                }
                .into_any()
            };
            view! {
                <div class="field" data-field=name>
                    <label for=input_id>{move || word_for(lang.get(), &format!("field.{name}"))}</label>
                    {control}
                    <p class="error">{problem_of(name)}</p>
                </div>
            }
        })
        .collect_view();
    let pick_logo = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            match read_as_data_url(&file).await {
                // Checked here so a wrong file is named at once, and again on save.
                Ok(url) => match saha_core::text::validate::image_data_url(&url) {
                    Ok(url) => {
                        logo.set(url);
                        problems.update(|ps| ps.retain(|(f, _)| *f != "logo"));
                    }
                    Err(p) => problems.update(|ps| {
                        ps.retain(|(f, _)| *f != "logo");
                        ps.push(("logo", p));
                    }),
                },
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{move || word(lang.get(), Key::UiCompanyDetails)}</h1>
            <p class="hint">{move || word(lang.get(), Key::UiCompanyDetailsHint)}</p>
            <form class="form" id="company-form" novalidate on:submit=save>
                {inputs}
                <div class="field" data-field="logo">
                    <label for="company-logo">{move || word_for(lang.get(), "field.logo")}</label>
                    <Show when=move || logo.with(|l| !l.is_empty())>
                        <img class="company-logo" src=move || logo.get() alt=move || word_for(lang.get(), "field.logo") />
                    </Show>
                    <input id="company-logo" type="file" accept="image/png,image/jpeg,image/webp,image/svg+xml" disabled=!allowed on:change=pick_logo />
                    <p class="error">{problem_of("logo")}</p>
                    <Show when=move || allowed && logo.with(|l| !l.is_empty())>
                        <button type="button" class="button small" id="remove-logo" on:click=move |_| logo.set(String::new())>
                            {move || word(lang.get(), Key::UiRemove)}
                        </button>
                    </Show>
                </div>
                <Show when=move || allowed fallback=|| view! { <p class="banner">{tr(Key::ReadOnlyNote)}</p> }>
                    <div class="actions">
                        <button type="submit" class="button primary" id="save-company">{tr(Key::UiSave)}</button>
                    </div>
                </Show>
                <Show when=move || saved.get()>
                    <p class="banner" role="status">{tr(Key::Saved)}</p>
                </Show>
                <Show when=move || failure.with(Option::is_some)>
                    <p class="banner error" role="alert">{move || failure.get()}</p>
                </Show>
            </form>
        </section>
    }
}
