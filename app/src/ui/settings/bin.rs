//! The workspace's bin: records owners and admins deleted, to restore.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;

use crate::client::repo::RecordView;
use crate::i18n::{self, Key, word_for};
use crate::ui::widgets::format::format_time;
use crate::ui::widgets::links::display_title;
use crate::ui::{me, repo, tr, use_lang, word};

/// Deleted records, most recently deleted first, each with a restore button (owners and
/// admins; others are told it is theirs to manage).
#[component]
pub fn BinPage() -> impl IntoView {
    let lang = use_lang();
    let allowed = me().role.administers();
    let bin = repo().bin();
    let rows = Memo::new(move |_| {
        let mut rows: Vec<RecordView> = bin.with(|b| b.values().cloned().collect());
        rows.sort_by_key(|v| std::cmp::Reverse(v.record.common().deleted_at));
        rows
    });
    let failure = RwSignal::new(None::<String>);
    let restore = move |id: DocumentId| {
        wasm_bindgen_futures::spawn_local(async move {
            match repo().set_deleted(id, false).await {
                Ok(()) => failure.set(None),
                Err(e) => failure.set(Some(i18n::repo_error(lang.get_untracked(), &e))),
            }
        });
    };
    view! {
        <section class="page" id="bin">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{move || word(lang.get(), Key::UiBin)}</h1>
            <p class="hint">{move || word(lang.get(), Key::UiBinHint)}</p>
            <Show when=move || allowed fallback=|| view! { <p class="banner">{tr(Key::ReadOnlyNote)}</p> }>
                <Show when=move || failure.with(Option::is_some)>
                    <p class="banner error" role="alert">{move || failure.get()}</p>
                </Show>
                <Show
                    when=move || rows.with(|r| !r.is_empty())
                    fallback=move || view! { <p class="empty">{move || word(lang.get(), Key::UiBinEmpty)}</p> }
                >
                    <ul class="cards">
                        <For each=move || rows.get() key=|v| (v.id, v.rev) let(v)>
                            {
                                let id = v.id;
                                let kind_code = format!("kind.{}", v.kind);
                                let deleted_at = v.record.common().deleted_at;
                                let title = {
                                    let v = v.clone();
                                    move || display_title(lang.get(), &v)
                                };
                                view! {
                                    <li class="card bin-entry" data-id=id.to_string()>
                                        <span class="card-title">
                                            <span class="kind-label">{move || word_for(lang.get(), &kind_code)}</span>
                                            {title}
                                        </span>
                                        <span class="card-meta">
                                            {move || word(lang.get(), Key::UiDeletedOn)} ": "
                                            {move || format_time(lang.get(), deleted_at)}
                                        </span>
                                        <button type="button" class="button small restore" on:click=move |_| restore(id)>
                                            {move || word(lang.get(), Key::UiRestore)}
                                        </button>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </Show>
            </Show>
        </section>
    }
}
