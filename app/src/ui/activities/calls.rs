//! Calls: dialling from a phone link, the prompt to log the call afterwards, the
//! account's service actions, the contact-frequency warning and follow-up tasks.

use crate::i18n::Key;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::activities::{call::Call, meeting::Meeting};
use saha_core::kinds::Record;
use saha_core::time::civil::LocalDateTime;
use wasm_bindgen::JsCast;

use crate::client::now_ms;
use crate::i18n::Lang;
use crate::ui::{
    me, repo, use_lang,
    widgets::{format::workspace_zone, links::title_of_id},
    word,
};

const PENDING_CALL: &str = "saha.pendingCall";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The account and contact of the page a number was dialled from.
fn page_links() -> (String, String) {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let mut parts = path.trim_matches('/').split('/');
    let (section, id) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let Ok(doc) = id.parse::<DocumentId>() else {
        return (String::new(), String::new());
    };
    match (section, repo().record(doc)) {
        ("accounts", Some(_)) => (doc.to_string(), String::new()),
        ("contacts", Some(Record::Contact(c))) => (c.account.clone(), doc.to_string()),
        (_, Some(record)) => (record.account().to_owned(), String::new()),
        _ => (String::new(), String::new()),
    }
}

/// A phone number as a `tel:` link that remembers the call, so that the app offers to
/// log it when the user comes back (see [`CallPrompt`]); with an `sms:` link beside it.
#[component]
pub fn PhoneLink(number: String) -> impl IntoView {
    let lang = use_lang();
    let remember = {
        let number = number.clone();
        move |_| {
            let (account, contact) = page_links();
            let pending = serde_json::json!({
                "number": number,
                "account": account,
                "contact": contact,
                "at": now_ms(),
            });
            if let Some(storage) = session_storage() {
                let _ = storage.set_item(PENDING_CALL, &pending.to_string());
            }
        }
    };
    view! {
        <a href=format!("tel:{number}") class="tel" on:click=remember>{saha_core::text::validate::phone_display(&number)}</a>
        " "
        <a href=format!("sms:{number}") class="sms" title=move || word(lang.get(), Key::UiSms)>"SMS"</a>
    }
}

/// When the user comes back to the app after dialling from it, offers the call log
/// with the number, the account, the start time and the time away as duration.
#[component]
pub fn CallPrompt() -> impl IntoView {
    let lang = use_lang();
    let offer = RwSignal::new(None::<String>);
    let check = move || {
        let Some(storage) = session_storage() else {
            return;
        };
        let Ok(Some(text)) = storage.get_item(PENDING_CALL) else {
            return;
        };
        let Ok(pending) = serde_json::from_str::<serde_json::Value>(&text) else {
            let _ = storage.remove_item(PENDING_CALL);
            return;
        };
        let at = pending["at"].as_i64().unwrap_or(0);
        // Still dialling: the page never left, or came back at once.
        if now_ms() - at < 2_000 {
            return;
        }
        let zone = workspace_zone();
        let started = zone.local(at).to_string();
        let seconds = ((now_ms() - at) / 1000).clamp(0, 24 * 3600);
        let duration = saha_core::activities::call::duration_text(seconds);
        let mut href = format!(
            "/calls/new?number={}&started={}&duration={}",
            encode(pending["number"].as_str().unwrap_or("")),
            encode(&started),
            encode(&duration)
        );
        for field in ["account", "contact"] {
            if let Some(value) = pending[field].as_str().filter(|v| !v.is_empty()) {
                href.push_str(&format!("&{field}={}", encode(value)));
            }
        }
        let _ = storage.remove_item(PENDING_CALL);
        offer.set(Some(href));
    };
    let visible = move || {
        web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
    };
    let on_return = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if visible() {
            check();
        }
    });
    if let Some(window) = web_sys::window() {
        let f = on_return.as_ref().unchecked_ref();
        let _ = window.add_event_listener_with_callback("focus", f);
        if let Some(document) = window.document() {
            let _ = document.add_event_listener_with_callback("visibilitychange", f);
        }
    }
    on_return.forget();
    view! {
        <Show when=move || offer.with(Option::is_some)>
            <div class="banner call-prompt" role="status" id="call-prompt">
                <span>{move || word(lang.get(), Key::CallPrompt)}</span>
                <button
                    class="button primary"
                    id="log-call"
                    on:click=move |_| {
                        if let Some(href) = offer.get_untracked() {
                            offer.set(None);
                            crate::ui::go(&href);
                        }
                    }
                >
                    {move || word(lang.get(), Key::NewCall)}
                </button>
                <button class="button" on:click=move |_| offer.set(None)>
                    {move || word(lang.get(), Key::UiDismiss)}
                </button>
            </div>
        </Show>
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// Buttons on an account's or contact's page: log a call, plan a meeting, open a case,
/// add a task — each with the record linked.
#[component]
pub fn ServiceActions(account: String, contact: String) -> impl IntoView {
    let lang = use_lang();
    if !me().role.can_write() {
        return ().into_any();
    }
    let mut query = format!("account={}", encode(&account));
    if !contact.is_empty() {
        query.push_str(&format!(
            "&contact={}&contacts={}",
            encode(&contact),
            encode(&contact)
        ));
    }
    // A task from here is about the contact (or the account).
    let about = if contact.is_empty() {
        &account
    } else {
        &contact
    };
    let task_query = format!("{query}&link={}", encode(about));
    let link = |section: &str, key: Key, id: &'static str| {
        let query = if section == "tasks" {
            &task_query
        } else {
            &query
        };
        let href = format!("/{section}/new?{query}");
        view! { <A href=href attr:class="button" attr:id=id>{move || word(lang.get(), key)}</A> }
    };
    view! {
        <div class="actions no-print service-actions">
            {link("calls", Key::NewCall, "new-call")}
            {link("meetings", Key::NewMeeting, "new-meeting")}
            {link("cases", Key::NewCase, "new-case")}
            {link("tasks", Key::NewTask, "new-task")}
        </div>
    }
    .into_any()
}

/// The contact-frequency warning of a meeting or call form: shown when the chosen
/// contacts already had as many meetings and calls as the workspace allows.
pub fn frequency_warning(contacts: Signal<String>, at: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let warnings = Memo::new(move |_| {
        let guard = repo().service().with(|s| s.guard());
        let zone = workspace_zone();
        let at = LocalDateTime::parse(&at.get())
            .map(|t| zone.to_utc_ms(t))
            .unwrap_or_else(now_ms);
        let contacts = contacts.get();
        records.with(|all| {
            let meetings: Vec<&Meeting> = all
                .values()
                .filter_map(|v| match &v.record {
                    Record::Meeting(m) => Some(m),
                    _ => None,
                })
                .collect();
            let calls: Vec<&Call> = all
                .values()
                .filter_map(|v| match &v.record {
                    Record::Call(c) => Some(c),
                    _ => None,
                })
                .collect();
            contacts
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .filter_map(|contact| {
                    let (count, over) = guard.check(
                        contact,
                        at,
                        meetings.iter().copied(),
                        calls.iter().copied(),
                        zone,
                    );
                    over.then(|| (title_of_id(contact), count, guard.days))
                })
                .collect::<Vec<_>>()
        })
    });
    move || {
        let lang = lang.get();
        warnings
            .get()
            .into_iter()
            .map(|(name, count, days)| {
                let text = match lang {
                    Lang::Tr => format!(
                        "{name} ile son {days} günde zaten {count} görüşme yapıldı; müşteriyi sıkmamak için ertelemeyi düşünün."
                    ),
                    Lang::En => format!(
                        "{name} already had {count} meetings or calls in the last {days} days; consider waiting so as not to annoy them."
                    ),
                };
                view! { <p class="banner" role="status" data-warning="frequency">{text}</p> }
            })
            .collect_view()
    }
}

/// After a call with a follow-up time is saved: the follow-up task, linked to the call.
pub async fn create_follow_up(call_id: DocumentId, call: &Call) {
    let lang = use_lang().get_untracked();
    let who = if call.contact.is_empty() {
        title_of_id(&call.account)
    } else {
        title_of_id(&call.contact)
    };
    let who = if who.is_empty() {
        call.number.clone()
    } else {
        who
    };
    let title = match lang {
        Lang::Tr => format!("Geri ara: {who}"),
        Lang::En => format!("Call back: {who}"),
    };
    if let Some(task) = call.follow_up_task(&call_id.to_string(), &title, &repo().edit_context())
        && let Err(e) = repo().create(Record::Task(task)).await
    {
        web_sys::console::warn_1(&format!("follow-up task not created: {e:?}").into());
    }
}
