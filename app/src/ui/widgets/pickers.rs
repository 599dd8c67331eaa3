//! Choosing linked records: one ([`LinkPicker`]) or several ([`LinkListPicker`]).

use crate::i18n::Key;
use leptos::prelude::*;
use saha_core::DocumentId;

use crate::ui::{repo, use_lang, widgets::links::title_of_id, word};

/// Picks a record of `kind` by typing part of its name: the search index offers the
/// best matches; the chosen record's ID is the value.
#[component]
pub fn LinkPicker(id: String, kind: &'static str, value: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let query = RwSignal::new(title_of_id(&value.get_untracked()));
    let open = RwSignal::new(false);
    let records = repo().records();
    let matches = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let q = query.get();
        records.with(|all| {
            let keep = |id: &DocumentId| all.get(id).is_some_and(|v| v.kind == kind);
            repo()
                .search(&q, 6, keep)
                .1
                .into_iter()
                .filter_map(|id| all.get(&id).map(|v| (id, v.record.title())))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="picker">
            <input
                id=id
                type="search"
                autocomplete="off"
                placeholder=move || word(lang.get(), Key::UiPick)
                prop:value=query
                on:focus=move |_| open.set(true)
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    if text.is_empty() {
                        value.set(String::new());
                    }
                    query.set(text);
                    open.set(true);
                }
            />
            <Show when=move || !matches.with(Vec::is_empty)>
                <ul class="picker-options" role="listbox">
                    <For each=move || matches.get() key=|(id, title)| (*id, title.clone()) let((pick, title))>
                        <li>
                            <button
                                type="button"
                                class="picker-option"
                                on:click={
                                    let title = title.clone();
                                    move |_| {
                                        value.set(pick.to_string());
                                        query.set(title.clone());
                                        open.set(false);
                                    }
                                }
                            >
                                {title.clone()}
                            </button>
                        </li>
                    </For>
                </ul>
            </Show>
        </div>
    }
}

/// Adds or removes `id` in a comma-separated ID list.
pub(crate) fn toggle_id(list: &str, id: &str, on: bool) -> String {
    let mut ids: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty() && *x != id)
        .collect();
    if on {
        ids.push(id);
    }
    ids.join(",")
}

/// Picks several records of `kind`: chosen ones as removable chips, and a
/// [`LinkPicker`] to add more.
#[component]
pub fn LinkListPicker(id: String, kind: &'static str, value: RwSignal<String>) -> impl IntoView {
    let adding = RwSignal::new(String::new());
    Effect::new(move |_| {
        let added = adding.get();
        if !added.is_empty() {
            value.update(|v| *v = toggle_id(v, &added, true));
            adding.set(String::new());
        }
    });
    view! {
        <div class="link-list">
            <ul class="chips">
                {move || {
                    value
                        .get()
                        .split(',')
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(|x| {
                            let x = x.to_owned();
                            let title = title_of_id(&x);
                            view! {
                                <li class="chip">
                                    {title}
                                    <button
                                        type="button"
                                        aria-label="×"
                                        on:click=move |_| value.update(|v| *v = toggle_id(v, &x, false))
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <LinkPicker id=id kind=kind value=adding />
        </div>
    }
}
