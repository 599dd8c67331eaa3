//! Settings → API: owners and admins create REST API tokens (a name, the member whose
//! role and teams the token acts with, read or write, all kinds or some), see each
//! token's scopes and last use, and revoke them. A new token's secret is shown once.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::api::{self, ApiErrorCode};
use saha_core::kinds::KIND_INFO;

use crate::client::http;
use crate::i18n::{self, Key, word_for};
use crate::ui::widgets::feedback::{error_banner, input_field};
use crate::ui::widgets::format::format_time;
use crate::ui::{me, tr, use_lang, word};

/// The scopes a form asks for: every kind, or the chosen sections, read or write; and
/// the privacy request log when ticked (`*` does not include it).
fn scopes(all: bool, sections: &[String], privacy: bool, write: bool) -> Vec<String> {
    let access = if write { "write" } else { "read" };
    let kinds: Vec<String> = if all {
        vec![format!("*:{access}")]
    } else {
        sections.iter().map(|s| format!("{s}:{access}")).collect()
    };
    kinds
        .into_iter()
        .chain(privacy.then(|| format!("{}:{access}", saha_core::privacy::SCOPE)))
        .collect()
}

/// Checkboxes named `name`, one per `(value, label)`, adding their value to `chosen`
/// when ticked (the token form's kinds, the webhook form's events).
pub(super) fn choice_list(
    name: &'static str,
    options: Vec<(String, String)>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    options
        .into_iter()
        .map(|(value, label)| {
            let toggle = value.clone();
            let checked = value.clone();
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        name=name
                        value=value
                        prop:checked=move || chosen.with(|c| c.contains(&checked))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| *x != toggle);
                                if on {
                                    c.push(toggle.clone());
                                }
                            });
                        }
                    />
                    {label}
                </label>
            }
        })
        .collect_view()
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let lang = use_lang();
    let me = me();
    let allowed = me.role.administers();
    let people = me.people.clone();
    let tokens = RwSignal::new(None::<Result<Vec<api::ApiToken>, ApiErrorCode>>);
    let load = move || {
        wasm_bindgen_futures::spawn_local(async move {
            let answer = http::get::<Vec<api::ApiToken>>("/api/api-tokens").await;
            tokens.set(Some(answer.map_err(|e| e.code())));
        });
    };
    if allowed {
        load();
    }

    let name = RwSignal::new(String::new());
    let member = RwSignal::new(me.user_id.clone());
    let write = RwSignal::new(false);
    let all_kinds = RwSignal::new(true);
    let sections = RwSignal::new(Vec::<String>::new());
    let privacy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiErrorCode>);
    let secret = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen = scopes(
            all_kinds.get_untracked(),
            &sections.get_untracked(),
            privacy.get_untracked(),
            write.get_untracked(),
        );
        if name.get_untracked().trim().is_empty() || chosen.is_empty() {
            error.set(Some(ApiErrorCode::InvalidInput));
            return;
        }
        busy.set(true);
        let body = api::NewApiToken {
            name: name.get_untracked(),
            scopes: chosen,
            user_id: Some(member.get_untracked()),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, api::ApiToken>("/api/api-tokens", &body).await {
                Ok(token) => {
                    error.set(None);
                    secret.set(token.secret);
                    name.set(String::new());
                    load();
                }
                Err(e) => error.set(Some(e.code())),
            }
            busy.set(false);
        });
    };
    let revoke = move |id: String| {
        wasm_bindgen_futures::spawn_local(async move {
            match http::send::<_, ()>("DELETE", &format!("/api/api-tokens/{id}"), &()).await {
                Ok(()) => load(),
                Err(e) => error.set(Some(e.code())),
            }
        });
    };

    let people = StoredValue::new(people);
    let member_options = move || {
        people.with_value(|people| {
            people
                .iter()
                .map(|p| {
                    // Selected by attribute: the select's value is set before its
                    // options exist.
                    let selected = p.id == member.get_untracked();
                    view! { <option value=p.id.clone() selected=selected>{p.name.clone()}</option> }
                })
                .collect_view()
        })
    };
    let kind_choices = move || {
        let lang = lang.get_untracked();
        let options = KIND_INFO
            .iter()
            .map(|info| {
                let label = word_for(lang, &format!("kinds.{}", info.kind));
                (info.section.to_owned(), label)
            })
            .collect();
        choice_list("token-kind", options, sections)
    };

    view! {
        <section class="page" id="api-settings">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{tr(Key::UiApi)}</h1>
            <p class="hint">
                {tr(Key::UiApiHint)} " "
                <a href="/api/v1/docs" rel="external" id="api-docs-link">{tr(Key::UiApiDocs)}</a>
            </p>
            <Show when=move || allowed fallback=|| view! { <p class="banner">{tr(Key::ApiErrorForbidden)}</p> }>
                <Show when=move || secret.with(Option::is_some)>
                    <div class="banner" role="status" id="new-token">
                        <p>{tr(Key::UiApiSecretOnce)}</p>
                        <code id="new-token-secret" class="secret">{move || secret.get().unwrap_or_default()}</code>
                    </div>
                </Show>
                <form class="form" id="token-form" on:submit=create>
                    <h2>{tr(Key::UiApiNewToken)}</h2>
                    {error_banner(error)}
                    {input_field("token-name", Key::Name, "text", "off", name)}
                    <div class="field">
                    <label for="token-member">{tr(Key::UiApiActsAs)}</label>
                    <select
                        id="token-member"
                        prop:value=move || member.get()
                        on:change=move |ev| member.set(event_target_value(&ev))
                    >
                        {member_options()}
                    </select>
                    </div>
                    <div class="field">
                    <label for="token-access">{tr(Key::UiApiAccess)}</label>
                    <select
                        id="token-access"
                        prop:value=move || if write.get() { "write" } else { "read" }
                        on:change=move |ev| write.set(event_target_value(&ev) == "write")
                    >
                        <option value="read">{tr(Key::UiApiRead)}</option>
                        <option value="write">{tr(Key::UiApiWrite)}</option>
                    </select>
                    </div>
                    <fieldset class="choices">
                        <label class="check">
                            <input
                                type="checkbox"
                                id="token-all-kinds"
                                prop:checked=all_kinds
                                on:change=move |ev| all_kinds.set(event_target_checked(&ev))
                            />
                            {tr(Key::UiApiAllKinds)}
                        </label>
                        <Show when=move || !all_kinds.get()>
                            <div class="kind-choices">{kind_choices()}</div>
                        </Show>
                        <label class="check">
                            <input
                                type="checkbox"
                                id="token-privacy"
                                prop:checked=privacy
                                on:change=move |ev| privacy.set(event_target_checked(&ev))
                            />
                            {tr(Key::UiApiPrivacy)}
                        </label>
                    </fieldset>
                    <div class="actions">
                        <button type="submit" class="button" disabled=busy>{tr(Key::UiApiCreate)}</button>
                    </div>
                </form>
                <h2>{tr(Key::UiApiTokens)}</h2>
                {move || match tokens.get() {
                    None => view! { <p>{tr(Key::Loading)}</p> }.into_any(),
                    Some(Err(code)) => {
                        view! { <p class="banner error" role="alert">{move || i18n::api_error(lang.get(), code)}</p> }
                            .into_any()
                    }
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="empty">{tr(Key::UiApiNone)}</p> }.into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            <ul class="entries" id="api-tokens">
                                {list
                                    .into_iter()
                                    .map(|t| {
                                        let id = t.id.clone();
                                        let last = t.last_used_at;
                                        let created = t.created_at;
                                        view! {
                                            <li class="entry api-token" data-id=t.id.clone()>
                                                <span class="entry-title">{t.name.clone()}</span>
                                                <span class="entry-meta">
                                                    {t.user_name.clone()} " · " <code>{t.scopes.join(" ")}</code>
                                                </span>
                                                <span class="entry-meta">
                                                    {tr(Key::UiApiCreated)} ": "
                                                    {format_time(lang.get_untracked(), created)} " · "
                                                    {tr(Key::UiApiLastUsed)} ": "
                                                    <span class="last-used">
                                                        {match last {
                                                            Some(at) => format_time(lang.get_untracked(), at),
                                                            None => word(lang.get_untracked(), Key::UiApiNeverUsed).to_owned(),
                                                        }}
                                                    </span>
                                                </span>
                                                <button
                                                    type="button"
                                                    class="button small revoke"
                                                    on:click=move |_| revoke(id.clone())
                                                >
                                                    {tr(Key::UiApiRevoke)}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
                <crate::ui::settings::webhooks::WebhooksSection />
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_asks_for_every_kind_or_the_chosen_ones() {
        assert_eq!(scopes(true, &["accounts".into()], false, false), ["*:read"]);
        assert_eq!(
            scopes(false, &["accounts".into(), "invoices".into()], false, true),
            ["accounts:write", "invoices:write"]
        );
        assert!(scopes(false, &[], false, true).is_empty());
        // The request log only when ticked: `*` does not reach it.
        assert_eq!(scopes(true, &[], true, false), ["*:read", "privacy:read"]);
        assert_eq!(scopes(false, &[], true, true), ["privacy:write"]);
    }
}
