//! Settings → API, webhooks: owners and admins subscribe a URL to record events, see
//! the signing secret, each subscription's state and its recent delivery attempts, turn
//! a subscription that kept failing back on, and delete one.

use leptos::prelude::*;
use saha_core::api::{self, ApiErrorCode};

use crate::client::http;
use crate::i18n::{self, Key};
use crate::ui::widgets::feedback::{error_banner, input_field};
use crate::ui::widgets::format::format_time;
use crate::ui::{tr, use_lang};

#[component]
pub fn WebhooksSection() -> impl IntoView {
    let lang = use_lang();
    let hooks = RwSignal::new(None::<Result<Vec<api::Webhook>, ApiErrorCode>>);
    let load = move || {
        wasm_bindgen_futures::spawn_local(async move {
            let answer = http::get::<Vec<api::Webhook>>("/api/webhooks").await;
            hooks.set(Some(answer.map_err(|e| e.code())));
        });
    };
    load();

    let url = RwSignal::new(String::new());
    let all_events = RwSignal::new(true);
    let events = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<ApiErrorCode>);
    let busy = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen = if all_events.get_untracked() {
            vec!["*".to_owned()]
        } else {
            events.get_untracked()
        };
        if chosen.is_empty() || url.get_untracked().trim().is_empty() {
            error.set(Some(ApiErrorCode::InvalidInput));
            return;
        }
        busy.set(true);
        let body = api::NewWebhook {
            url: url.get_untracked(),
            events: chosen,
        };
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, api::Webhook>("/api/webhooks", &body).await {
                Ok(_) => {
                    error.set(None);
                    url.set(String::new());
                    load();
                }
                Err(e) => error.set(Some(e.code())),
            }
            busy.set(false);
        });
    };
    let act = move |method: &'static str, path: String| {
        wasm_bindgen_futures::spawn_local(async move {
            match http::send::<_, ()>(method, &path, &()).await {
                Ok(()) => load(),
                Err(e) => error.set(Some(e.code())),
            }
        });
    };
    let event_choices = move || {
        let options = api::webhook_event_types()
            .into_iter()
            .map(|event| (event.clone(), event))
            .collect();
        super::api_tokens::choice_list("webhook-event", options, events)
    };

    view! {
        <section id="webhooks">
            <h2>{tr(Key::UiWebhooks)}</h2>
            <p class="hint">{tr(Key::UiWebhooksHint)}</p>
            <form class="form" id="webhook-form" on:submit=create>
                {error_banner(error)}
                {input_field("webhook-url", Key::UiWebhookUrl, "url", "off", url)}
                <fieldset class="choices">
                    <label class="check">
                        <input
                            type="checkbox"
                            id="webhook-all-events"
                            prop:checked=all_events
                            on:change=move |ev| all_events.set(event_target_checked(&ev))
                        />
                        {tr(Key::UiWebhookAllEvents)}
                    </label>
                    <Show when=move || !all_events.get()>
                        <div class="kind-choices">{event_choices()}</div>
                    </Show>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="button" disabled=busy>
                        {tr(Key::UiWebhookCreate)}
                    </button>
                </div>
            </form>
            {move || match hooks.get() {
                None => view! { <p>{tr(Key::Loading)}</p> }.into_any(),
                Some(Err(code)) => {
                    view! { <p class="banner error" role="alert">{move || i18n::api_error(lang.get(), code)}</p> }
                        .into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="empty">{tr(Key::UiWebhooksNone)}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <ul class="entries" id="webhook-list">
                            {list.into_iter().map(|hook| view! { <WebhookCard hook=hook act=act /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// One subscription: its target, events, state, secret and recent attempts.
#[component]
fn WebhookCard(
    hook: api::Webhook,
    act: impl Fn(&'static str, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let id = hook.id.clone();
    let attempts = RwSignal::new(None::<Vec<api::WebhookAttempt>>);
    let load_attempts = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(list) =
                    http::get::<Vec<api::WebhookAttempt>>(&format!("/api/webhooks/{id}/attempts"))
                        .await
                {
                    attempts.set(Some(list));
                }
            });
        }
    };
    let disabled = hook.disabled_at.is_some();
    let reason = hook.disabled_reason.clone().unwrap_or_default();
    let (enable_path, delete_path) = (
        format!("/api/webhooks/{id}/enable"),
        format!("/api/webhooks/{id}"),
    );
    view! {
        <li class="entry webhook" data-id=id.clone() data-state=if disabled { "off" } else { "on" }>
            <span class="entry-title">{hook.url.clone()}</span>
            <span class="entry-meta"><code>{hook.events.join(" ")}</code></span>
            <Show when=move || disabled>
                <p class="banner error" role="alert">
                    {tr(Key::UiWebhookOff)} " " {reason.clone()}
                </p>
                <button
                    type="button"
                    class="button small enable"
                    on:click={
                        let path = enable_path.clone();
                        move |_| act("POST", path.clone())
                    }
                >
                    {tr(Key::UiWebhookTurnOn)}
                </button>
            </Show>
            <details class="secret">
                <summary>{tr(Key::UiWebhookSecret)}</summary>
                <code class="webhook-secret">{hook.secret.clone()}</code>
            </details>
            <details class="attempts" on:toggle=load_attempts>
                <summary>{tr(Key::UiWebhookAttempts)}</summary>
                {move || {
                    attempts
                        .get()
                        .map(|list| {
                            list.into_iter()
                                .take(20)
                                .map(|a| {
                                    let outcome = match (a.status, &a.error) {
                                        (Some(status), None) => status.to_string(),
                                        (_, Some(error)) => error.clone(),
                                        (None, None) => String::new(),
                                    };
                                    view! {
                                        <p class="attempt" data-ok=a.error.is_none().to_string()>
                                            {format_time(lang.get_untracked(), a.at)} " · "
                                            <code>{a.event_type.clone()}</code> " · #" {a.attempt} " · " {outcome}
                                        </p>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </details>
            <button
                type="button"
                class="button small delete"
                on:click=move |_| act("DELETE", delete_path.clone())
            >
                {tr(Key::UiWebhookDelete)}
            </button>
        </li>
    }
}
