//! The workspace's pipeline stages.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{self, Key};
use crate::ui::{me, repo, tr, use_lang};

/// The workspace's pipeline stages: names and win probabilities, in order. Saved into
/// the workspace index (admins only; the server refuses it from others), so it syncs
/// and works offline like any record.
#[component]
pub fn PipelinePage() -> impl IntoView {
    let lang = use_lang();
    let allowed = me().role.administers();
    let current: Vec<saha_core::sales::opportunity::Stage> = repo()
        .pipeline()
        .get_untracked()
        .into_iter()
        .filter(|s| !s.is_closed())
        .collect();
    // Each row: a key for the list, the stage code (empty for a new stage), its name and
    // its probability as typed.
    type StageRow = (usize, RwSignal<String>, RwSignal<String>, RwSignal<String>);
    let rows: RwSignal<Vec<StageRow>> = RwSignal::new(
        current
            .into_iter()
            .enumerate()
            .map(|(key, s)| {
                let name = if s.name.is_empty() {
                    i18n::word_for(lang.get_untracked(), &format!("stage.{}", s.code))
                } else {
                    s.name
                };
                (
                    key,
                    RwSignal::new(s.code),
                    RwSignal::new(name),
                    RwSignal::new(s.probability.to_string()),
                )
            })
            .collect(),
    );
    let status = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut stages: Vec<saha_core::sales::opportunity::Stage> = Vec::new();
        for (_, code, name, probability) in rows.get_untracked() {
            let name = name.get_untracked().trim().to_owned();
            if name.is_empty() {
                continue;
            }
            let typed = probability.get_untracked();
            let Some(probability) = typed
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|p| (0..=100).contains(p))
            else {
                status.set(Some(format!(
                    "{name}: {}",
                    i18n::problem(
                        lang.get_untracked(),
                        saha_core::text::validate::Problem::PercentOutOfRange
                    )
                )));
                return;
            };
            let code = if code.get_untracked().is_empty() {
                saha_core::text::fold::fold(&name)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("_")
            } else {
                code.get_untracked()
            };
            stages.push(saha_core::sales::opportunity::Stage {
                code,
                name,
                probability,
            });
        }
        wasm_bindgen_futures::spawn_local(async move {
            match repo().set_pipeline(&stages).await {
                Ok(()) => status.set(Some(Key::Saved.text(lang.get_untracked()).to_owned())),
                Err(e) => status.set(Some(i18n::repo_error(lang.get_untracked(), &e))),
            }
        });
    };
    view! {
        <section class="page">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{move || i18n::word(lang.get(), Key::UiSettingsPipeline)}</h1>
            <Show when=move || allowed fallback=|| view! { <p class="banner">{tr(Key::ReadOnlyNote)}</p> }>
                <form class="form" on:submit=save>
                    <p class="hint">{move || i18n::word(lang.get(), Key::UiPipelineNote)}</p>
                    <For each=move || rows.get() key=|(key, _, _, _)| *key let((_, _, name, probability))>
                        <div class="stage-row">
                            <input type="text" aria-label=move || i18n::word(lang.get(), Key::FieldName) prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                            <input type="text" inputmode="numeric" aria-label=move || i18n::word(lang.get(), Key::UiProbability) prop:value=probability on:input=move |ev| probability.set(event_target_value(&ev)) />
                        </div>
                    </For>
                    <div class="actions">
                        <button type="button" class="button" on:click=move |_| rows.update(|r| {
                            let key = r.iter().map(|row| row.0 + 1).max().unwrap_or(0);
                            r.push((key, RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new("50".into())));
                        }) >
                            "+ " {move || i18n::word(lang.get(), Key::UiAddStage)}
                        </button>
                        <button type="submit" class="button primary">{tr(Key::UiSave)}</button>
                    </div>
                    <p role="status">{move || status.get()}</p>
                </form>
            </Show>
        </section>
    }
}
