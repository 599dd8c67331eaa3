//! Searching every record on the device.

use crate::i18n::Key;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::client::repo::RecordView;
use crate::ui::{repo, use_lang, widgets::record_card::RecordCard, word};

/// Results shown at once.
pub(crate) const LIMIT: usize = 50;

#[component]
pub fn SearchPage() -> impl IntoView {
    let lang = use_lang();
    let initial = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let query = RwSignal::new(initial);
    let records = repo().records();
    let results = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return (0, Vec::new());
        }
        records.with(|all| {
            // Archived records stay out of search (their kind's list can show them).
            let (found, ids) = repo().search(&q, LIMIT, |id| {
                all.get(id)
                    .is_some_and(|v| !v.record.common().is_archived())
            });
            let rows: Vec<RecordView> = ids.iter().filter_map(|id| all.get(id).cloned()).collect();
            (found, rows)
        })
    });
    view! {
        <section class="page">
            <h1>{move || word(lang.get(), Key::UiSearchAll)}</h1>
            <div class="field search">
                <label for="global-search">{move || word(lang.get(), Key::UiSearchAll)}</label>
                <input
                    id="global-search"
                    type="search"
                    autocomplete="off"
                    autofocus
                    placeholder=move || word(lang.get(), Key::UiSearchHint)
                    prop:value=query
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </div>
            <p class="hint" aria-live="polite">
                {move || {
                    let found = results.with(|(n, _)| *n);
                    if query.with(|q| q.trim().is_empty()) { String::new() } else { format!("{found} {}", word(lang.get(), Key::UiResults)) }
                }}
            </p>
            <ul class="cards" id="search-results">
                <For each=move || results.with(|(_, rows)| rows.clone()) key=|v| (v.id, v.rev) let(v)>
                    <RecordCard view=v show_kind=true />
                </For>
            </ul>
        </section>
    }
}
