//! Task and meeting reminders as notifications.

use crate::i18n::Key;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::activities::task;
use saha_core::kinds::Record;

use crate::ui::{
    me, repo, use_lang,
    widgets::{
        format::{DAY_MS, clock, workspace_zone},
        links::record_href,
    },
    word,
};

const REMINDED: &str = "saha.reminded";

/// Shows due reminders of the member's tasks while the app is open (and as system
/// notifications where the user allowed them). Each reminder shows once per device.
#[component]
pub fn Reminders() -> impl IntoView {
    let lang = use_lang();
    let now = clock(30);
    let shown = RwSignal::new(Vec::<(DocumentId, String)>::new());
    let user = me().user_id.clone();
    Effect::new(move |_| {
        let at = now.get();
        let zone = workspace_zone();
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        let mut reminded: Vec<String> = storage
            .as_ref()
            .and_then(|s| s.get_item(REMINDED).ok().flatten())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let due: Vec<(DocumentId, String, String)> = repo().records().with_untracked(|all| {
            all.iter()
                .filter_map(|(id, v)| match &v.record {
                    Record::Task(t) if t.common.owner == user => t
                        .remind_at(zone)
                        .filter(|r| *r <= at && at - *r < 7 * DAY_MS)
                        .map(|_| (*id, format!("{id}@{}", t.due), t.title.clone())),
                    _ => None,
                })
                .collect()
        });
        let mut changed = false;
        for (id, key, title) in due {
            if reminded.contains(&key) {
                continue;
            }
            reminded.push(key);
            changed = true;
            shown.update(|s| s.push((id, title.clone())));
            notify(&title);
        }
        if changed && let Some(storage) = storage {
            let keep = reminded.len().saturating_sub(500);
            let _ = storage.set_item(
                REMINDED,
                &serde_json::to_string(&reminded[keep..]).unwrap_or_default(),
            );
        }
    });
    view! {
        <div class="toasts" aria-live="polite">
            {move || {
                shown
                    .get()
                    .into_iter()
                    .map(|(id, title)| {
                        view! {
                            <div class="toast" data-reminder=id.to_string()>
                                <span>{move || word(lang.get(), Key::UiReminder)} ": "</span>
                                <A href=record_href(task::KIND, id)>{title}</A>
                                <button
                                    class="button"
                                    on:click=move |_| shown.update(|s| s.retain(|(x, _)| *x != id))
                                >
                                    "×"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

fn notify(title: &str) {
    if web_sys::Notification::permission() != web_sys::NotificationPermission::Granted {
        return;
    }
    let _ = web_sys::Notification::new(&format!("Saha: {title}"));
}

/// Asks for permission to show reminders as system notifications.
#[component]
pub(crate) fn NotificationSwitch() -> impl IntoView {
    let lang = use_lang();
    let permission = RwSignal::new(web_sys::Notification::permission());
    let ask = move |_| {
        if let Ok(promise) = web_sys::Notification::request_permission() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                permission.set(web_sys::Notification::permission());
            });
        }
    };
    view! {
        <Show when=move || permission.get() == web_sys::NotificationPermission::Default>
            <button class="button" on:click=ask>{move || word(lang.get(), Key::UiEnableNotifications)}</button>
        </Show>
    }
}
