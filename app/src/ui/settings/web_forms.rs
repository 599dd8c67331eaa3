//! Settings → Web forms: owners and admins build a form the company's web site embeds
//! (a lead, or a complaint, request or wish case; which fields; the team; the thank-you
//! text; consent checkboxes per İYS channel with their exact wording; the sites allowed
//! to embed it; the minimum fill time), get its page and the snippet that embeds it,
//! and delete one. The definition is checked here by the same rules the server applies
//! ([`saha_core::web_form::check`]), so each problem is worded before anything is sent.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::api::{self, ApiErrorCode, WebFormConsent};
use saha_core::web_form::{self, CONSENT_CHANNELS, FIELDS, FormProblem, FormTarget};

use crate::client::http;
use crate::i18n::{self, Fmt, Key, Lang, word_for};
use crate::ui::widgets::feedback::{error_banner, input_field};
use crate::ui::{me, tr, use_lang, word};

/// A form field's label in `lang` (the words the public page shows).
fn field_label(lang: Lang, code: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, tr, en)| if lang == Lang::Tr { *tr } else { *en })
        .unwrap_or("")
}

/// What a form makes, worded: "Lead", "Complaint", …
fn target_label(lang: Lang, target: &str) -> String {
    match target {
        "lead" => word(lang, Key::KindLead),
        other => word_for(lang, &format!("category.{other}")),
    }
}

/// A definition problem, worded for the admin.
fn problem_text(lang: Lang, problem: &FormProblem) -> String {
    match problem {
        FormProblem::Name => word(lang, Key::UiWebFormProblemName),
        FormProblem::Target(_) | FormProblem::Field(_) | FormProblem::ConsentChannel(_) => {
            i18n::api_error(lang, ApiErrorCode::InvalidInput).to_owned()
        }
        FormProblem::ConsentOnCase => word(lang, Key::UiWebFormProblemConsentOnCase),
        FormProblem::ConsentNeedsField { channel, field } => Fmt::UiWebFormProblemConsentNeedsField
            .format(
                lang,
                &[
                    (
                        "channel",
                        word_for(lang, &format!("channel.{channel}"))
                            .as_str()
                            .into(),
                    ),
                    ("field", field_label(lang, field).into()),
                ],
            ),
        FormProblem::ConsentTwice(_) => word(lang, Key::UiWebFormProblemConsentTwice),
        FormProblem::Wording => word(lang, Key::UiWebFormProblemWording),
        FormProblem::Origin(origin) => {
            Fmt::UiWebFormProblemOrigin.format(lang, &[("origin", origin.as_str().into())])
        }
        FormProblem::ThankYou => word(lang, Key::UiWebFormProblemThankYou),
    }
}

/// The default wording offered for a channel's consent checkbox.
fn default_wording(lang: Lang, channel: &str) -> String {
    match channel {
        "EPOSTA" => word(lang, Key::UiWebFormWordingEposta),
        "MESAJ" => word(lang, Key::UiWebFormWordingMesaj),
        _ => word(lang, Key::UiWebFormWordingArama),
    }
}

#[component]
pub fn WebFormsPage() -> impl IntoView {
    let lang = use_lang();
    let me = me();
    let allowed = me.role.administers();
    let teams = StoredValue::new(me.workspace_teams.clone());
    let forms = RwSignal::new(None::<Result<Vec<api::WebForm>, ApiErrorCode>>);
    let load = move || {
        wasm_bindgen_futures::spawn_local(async move {
            let answer = http::get::<Vec<api::WebForm>>("/api/web-forms").await;
            forms.set(Some(answer.map_err(|e| e.code())));
        });
    };
    if allowed {
        load();
    }

    let name = RwSignal::new(String::new());
    let target = RwSignal::new(FormTarget::Lead.code().to_owned());
    let fields = RwSignal::new(vec!["email".to_owned(), "phone".to_owned()]);
    let team = RwSignal::new(String::new());
    let thank_you = RwSignal::new(String::new());
    // Per channel: asked or not, and the wording.
    let consent_on: Vec<(&'static str, RwSignal<bool>, RwSignal<String>)> = CONSENT_CHANNELS
        .iter()
        .map(|c| {
            (
                *c,
                RwSignal::new(false),
                RwSignal::new(default_wording(lang.get_untracked(), c)),
            )
        })
        .collect();
    let consent_on = StoredValue::new(consent_on);
    let origins = RwSignal::new(String::new());
    let min_fill = RwSignal::new("3".to_owned());
    let problem = RwSignal::new(None::<FormProblem>);
    let error = RwSignal::new(None::<ApiErrorCode>);
    let busy = RwSignal::new(false);
    let is_lead = move || target.with(|t| t == FormTarget::Lead.code());

    let definition = move || api::NewWebForm {
        name: name.get_untracked(),
        target: target.get_untracked(),
        fields: fields.get_untracked(),
        team: team.get_untracked(),
        thank_you: thank_you.get_untracked(),
        consents: if is_lead() {
            consent_on.with_value(|list| {
                list.iter()
                    .filter(|(_, on, _)| on.get_untracked())
                    .map(|(channel, _, wording)| WebFormConsent {
                        channel: (*channel).to_owned(),
                        wording: wording.get_untracked(),
                    })
                    .collect()
            })
        } else {
            Vec::new()
        },
        allowed_origins: origins.get_untracked().lines().map(str::to_owned).collect(),
        min_fill_seconds: min_fill.get_untracked().trim().parse().ok(),
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = definition();
        if let Err(found) = web_form::check(&body) {
            problem.set(Some(found));
            return;
        }
        problem.set(None);
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, api::WebForm>("/api/web-forms", &body).await {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    load();
                }
                Err(e) => error.set(Some(e.code())),
            }
            busy.set(false);
        });
    };
    let remove = move |id: String| {
        wasm_bindgen_futures::spawn_local(async move {
            match http::send::<_, ()>("DELETE", &format!("/api/web-forms/{id}"), &()).await {
                Ok(()) => load(),
                Err(e) => error.set(Some(e.code())),
            }
        });
    };

    let field_choices = move || {
        let options = FIELDS
            .iter()
            .filter(|(code, ..)| *code != "name")
            .map(|(code, ..)| {
                (
                    (*code).to_owned(),
                    field_label(lang.get_untracked(), code).to_owned(),
                )
            })
            .collect();
        super::api_tokens::choice_list("form-field", options, fields)
    };
    let consent_choices = move || {
        consent_on.with_value(|list| {
            list.iter()
                .map(|&(channel, on, wording)| {
                    let wording_id = format!("form-wording-{channel}");
                    view! {
                        <div class="consent-choice" data-channel=channel>
                            <label class="check">
                                <input
                                    type="checkbox"
                                    name="form-consent"
                                    value=channel
                                    prop:checked=on
                                    on:change=move |ev| {
                                        let ticked = event_target_checked(&ev);
                                        on.set(ticked);
                                        // A consent is for an address the form asks for.
                                        let needs = web_form::consent_field(channel);
                                        if ticked && !fields.with(|f| f.iter().any(|x| x == needs)) {
                                            fields.update(|f| f.push(needs.to_owned()));
                                        }
                                    }
                                />
                                {move || word_for(lang.get(), &format!("channel.{channel}"))}
                            </label>
                            <Show when=move || on.get()>
                                <label for=wording_id.clone() class="visually-hidden">{tr(Key::UiWebFormWording)}</label>
                                <textarea
                                    id=wording_id.clone()
                                    rows="3"
                                    prop:value=wording
                                    on:input=move |ev| wording.set(event_target_value(&ev))
                                ></textarea>
                            </Show>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    let team_options = move || {
        teams.with_value(|teams| {
            teams
                .iter()
                .map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> })
                .collect_view()
        })
    };

    view! {
        <section class="page" id="web-forms-settings">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{tr(Key::UiWebForms)}</h1>
            <p class="hint">{tr(Key::UiWebFormsHint)}</p>
            <Show when=move || allowed fallback=|| view! { <p class="banner">{tr(Key::ApiErrorForbidden)}</p> }>
                <form class="form" id="web-form-form" on:submit=create>
                    <h2>{tr(Key::UiWebFormNew)}</h2>
                    {error_banner(error)}
                    <Show when=move || problem.with(Option::is_some)>
                        <p class="banner error" role="alert" id="web-form-problem">
                            {move || problem.get().map(|p| problem_text(lang.get(), &p))}
                        </p>
                    </Show>
                    {input_field("web-form-name", Key::Name, "text", "off", name)}
                    <div class="field">
                        <label for="web-form-target">{tr(Key::UiWebFormTarget)}</label>
                        <select
                            id="web-form-target"
                            prop:value=move || target.get()
                            on:change=move |ev| {
                                let chosen = event_target_value(&ev);
                                // A case is made from the message: a case form asks for it.
                                if chosen != FormTarget::Lead.code()
                                    && !fields.with(|f| f.iter().any(|x| x == "message"))
                                {
                                    fields.update(|f| f.push("message".to_owned()));
                                }
                                target.set(chosen);
                            }
                        >
                            {FormTarget::ALL
                                .into_iter()
                                .map(|t| {
                                    view! {
                                        <option value=t.code() selected=t == FormTarget::Lead>
                                            {move || target_label(lang.get(), t.code())}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <fieldset class="choices">
                        <legend>{tr(Key::UiWebFormFields)}</legend>
                        <div class="kind-choices">{field_choices()}</div>
                    </fieldset>
                    <div class="field">
                        <label for="web-form-team">{tr(Key::UiWebFormTeam)}</label>
                        <select
                            id="web-form-team"
                            prop:value=move || team.get()
                            on:change=move |ev| team.set(event_target_value(&ev))
                        >
                            <option value="" selected=true>{tr(Key::UiWebFormWholeWorkspace)}</option>
                            {team_options()}
                        </select>
                    </div>
                    <Show when=is_lead>
                        <fieldset class="choices" id="web-form-consents">
                            <legend>{tr(Key::UiWebFormConsents)}</legend>
                            <p class="hint">{tr(Key::UiWebFormConsentsHint)}</p>
                            {consent_choices()}
                        </fieldset>
                    </Show>
                    <div class="field">
                        <label for="web-form-thank-you">{tr(Key::UiWebFormThankYou)}</label>
                        <textarea
                            id="web-form-thank-you"
                            rows="2"
                            prop:value=thank_you
                            on:input=move |ev| thank_you.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <div class="field">
                        <label for="web-form-origins">{tr(Key::UiWebFormOrigins)}</label>
                        <textarea
                            id="web-form-origins"
                            rows="2"
                            placeholder="https://www.example.com"
                            prop:value=origins
                            on:input=move |ev| origins.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <div class="field">
                        <label for="web-form-min-fill">{tr(Key::UiWebFormMinFill)}</label>
                        <input
                            id="web-form-min-fill"
                            type="number"
                            min="0"
                            max=web_form::MAX_FILL_SECONDS
                            inputmode="numeric"
                            prop:value=min_fill
                            on:input=move |ev| min_fill.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="actions">
                        <button type="submit" class="button" disabled=busy>{tr(Key::UiWebFormCreate)}</button>
                    </div>
                </form>
                <h2>{tr(Key::UiWebForms)}</h2>
                {move || match forms.get() {
                    None => view! { <p>{tr(Key::Loading)}</p> }.into_any(),
                    Some(Err(code)) => {
                        view! { <p class="banner error" role="alert">{move || i18n::api_error(lang.get(), code)}</p> }
                            .into_any()
                    }
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="empty">{tr(Key::UiWebFormsNone)}</p> }.into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            <ul class="entries" id="web-forms">
                                {list.into_iter().map(|form| view! { <WebFormCard form=form remove=remove /> }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
            </Show>
        </section>
    }
}

/// One form: what it makes, its fields and consents, its page and its embed snippet.
#[component]
fn WebFormCard(
    form: api::WebForm,
    remove: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let id = form.id.clone();
    let target = form.target.clone();
    let fields = form.fields.clone();
    let consents: Vec<String> = form.consents.iter().map(|c| c.channel.clone()).collect();
    view! {
        <li class="entry web-form" data-id=form.id.clone()>
            <span class="entry-title">{form.name.clone()}</span>
            <span class="entry-meta">
                {move || target_label(lang.get(), &target)} " · "
                {move || {
                    let lang = lang.get();
                    std::iter::once("name")
                        .chain(fields.iter().map(String::as_str))
                        .map(|f| field_label(lang, f))
                        .collect::<Vec<_>>()
                        .join(", ")
                }}
            </span>
            <Show when={
                let any = !consents.is_empty();
                move || any
            }>
                <span class="entry-meta consents">
                    {tr(Key::UiWebFormConsents)} ": "
                    {
                        let consents = consents.clone();
                        move || {
                            consents
                                .iter()
                                .map(|c| word_for(lang.get(), &format!("channel.{c}")))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    }
                </span>
            </Show>
            <a class="button small page-link" href=form.page_url.clone() rel="external" target="_blank">
                {tr(Key::UiWebFormPage)}
            </a>
            <details class="snippet">
                <summary>{tr(Key::UiWebFormSnippet)}</summary>
                <code class="web-form-snippet">{form.snippet.clone()}</code>
            </details>
            <button
                type="button"
                class="button small delete"
                on:click=move |_| remove(id.clone())
            >
                {tr(Key::UiWebhookDelete)}
            </button>
        </li>
    }
}
