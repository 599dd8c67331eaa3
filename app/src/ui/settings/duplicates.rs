//! Duplicates: the workspace scan and the merge screen (owners and admins).
//!
//! The scan runs [`saha_core::duplicates::scan`] over the accounts or contacts on this
//! device (offline too) and lists the likely pairs, best first, with why they were
//! paired. Comparing a pair shows both records side by side: the user keeps one, picks
//! per field where the two differ, and merges. The merge is stored as ordinary edits
//! ([`saha_core::duplicates::merge`]): the kept record with the chosen values, every
//! record linking to the other one moved over, and the other one deleted as a redirect
//! to the kept one — so it syncs like any edit, and an edit another device makes to the
//! merged record while offline is forwarded to the kept one by the server.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::duplicates::merge::{self, Choice, MergeError, Side};
use saha_core::duplicates::{Pair, scan};
use saha_core::kinds::Record;
use saha_core::rules;

use crate::i18n::{self, Fmt, Key, Lang, word_for};
use crate::ui::widgets::links::{record_href, title_of_id};
use crate::ui::widgets::matches::keys_text;
use crate::ui::{me, repo, tr, use_lang};

/// The kinds the scan and merge handle.
const KINDS: [&str; 2] = ["account", "contact"];

fn merge_error(lang: Lang, error: &MergeError) -> String {
    match error {
        MergeError::NotMergeable => i18n::word(lang, Key::DupErrorNotMergeable).to_owned(),
        MergeError::SameRecord => i18n::word(lang, Key::DupErrorSameRecord).to_owned(),
        MergeError::AlreadyMerged => i18n::word(lang, Key::DupErrorAlreadyMerged).to_owned(),
        MergeError::Invalid(problems) => problems
            .iter()
            .map(|(field, p)| {
                format!(
                    "{}: {}",
                    word_for(lang, &format!("field.{field}")),
                    i18n::problem(lang, *p)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let lang = use_lang();
    let allowed = me().role.administers();
    let kind = RwSignal::new(KINDS[0].to_owned());
    let pairs = RwSignal::new(None::<Vec<Pair>>);
    let chosen = RwSignal::new(None::<Pair>);
    let done = RwSignal::new(None::<String>);
    let run_scan = move || {
        let k = kind.get_untracked();
        let found = repo().with_record_list(|list| {
            let of_kind: Vec<(&str, &Record)> = list
                .iter()
                .filter(|(_, r)| r.kind() == k)
                .copied()
                .collect();
            scan(&of_kind)
        });
        pairs.set(Some(found));
    };
    // After a merge the list is scanned afresh: pairs naming the merged record are gone.
    let on_merged = Callback::new(move |message: String| {
        chosen.set(None);
        done.set(Some(message));
        run_scan();
    });
    view! {
        <section class="page" id="duplicates">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{tr(Key::DupTitle)}</h1>
            <p class="hint">{tr(Key::DupHint)}</p>
            <Show when=move || allowed fallback=|| view! { <p class="banner">{tr(Key::ReadOnlyNote)}</p> }>
                <div class="form">
                    <label for="dup-kind">{tr(Key::DupKind)}</label>
                    <select id="dup-kind" on:change=move |ev| {
                        kind.set(event_target_value(&ev));
                        pairs.set(None);
                        chosen.set(None);
                    }>
                        {KINDS.iter().map(|k| {
                            let code = format!("kinds.{k}");
                            view! { <option value=*k>{move || word_for(lang.get(), &code)}</option> }
                        }).collect_view()}
                    </select>
                    <div class="actions">
                        <button type="button" class="button primary" id="dup-scan" on:click=move |_| {
                            done.set(None);
                            run_scan();
                        }>{tr(Key::DupScan)}</button>
                    </div>
                </div>
                <Show when=move || done.with(Option::is_some)>
                    <p class="banner" role="status" id="dup-done">{move || done.get()}</p>
                </Show>
                {move || chosen.get().map(|pair| view! { <MergePanel pair=pair chosen=chosen on_merged=on_merged /> })}
                {move || pairs.get().map(|list| {
                    if list.is_empty() {
                        return view! { <p class="empty" id="dup-none">{tr(Key::DupNone)}</p> }.into_any();
                    }
                    let count = list.len() as u64;
                    view! {
                        <p class="hint" id="dup-count">{move || Fmt::DupFound.format(lang.get(), &[("count", count.into())])}</p>
                        <ul class="cards" id="dup-pairs">
                            {list.into_iter().map(|pair| {
                                let keys = pair.keys.clone();
                                let first = title_of_id(&pair.first);
                                let second = title_of_id(&pair.second);
                                let score = pair.score;
                                let choose = pair.clone();
                                view! {
                                    <li class="card dup-pair" data-first=pair.first.clone() data-second=pair.second.clone()>
                                        <span class="card-title">{first} " · " {second}</span>
                                        <span class="card-meta">
                                            {tr(Key::DupScore)} ": " {score} " · "
                                            {move || keys_text(lang.get(), &keys)}
                                        </span>
                                        <button type="button" class="button small dup-compare" on:click=move |_| chosen.set(Some(choose.clone()))>
                                            {tr(Key::DupCompare)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Show>
        </section>
    }
}

/// The two records of a pair side by side: which one to keep, and per differing field
/// which value.
#[component]
fn MergePanel(
    pair: Pair,
    chosen: RwSignal<Option<Pair>>,
    on_merged: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    let records = match (
        pair.first.parse::<DocumentId>(),
        pair.second.parse::<DocumentId>(),
    ) {
        (Ok(x), Ok(y)) => repo().record(x).zip(repo().record(y)).map(|r| ((x, y), r)),
        _ => None,
    };
    let Some(((first_id, second_id), (a, b))) = records else {
        return view! { <p class="banner error" role="alert">{tr(Key::RecordNotFound)}</p> }
            .into_any();
    };
    // The older record is kept unless the user says otherwise.
    let first_older = a.common().created_at <= b.common().created_at;
    let keep_first = RwSignal::new(first_older);
    let picks = RwSignal::new(BTreeMap::<String, Side>::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let (ra, rb) = (a.clone(), b.clone());
    let sides = move || {
        if keep_first.get() {
            (ra.clone(), rb.clone())
        } else {
            (rb.clone(), ra.clone())
        }
    };
    let choices = Memo::new(move |_| {
        let (survivor, merged) = sides();
        merge::choices(&survivor, &merged)
    });
    let title_a = title_of_id(&pair.first);
    let title_b = title_of_id(&pair.second);
    let run = {
        let (a, b) = (a.clone(), b.clone());
        move || {
            let (sid, mid, survivor, merged) = if keep_first.get_untracked() {
                (first_id, second_id, a.clone(), b.clone())
            } else {
                (second_id, first_id, b.clone(), a.clone())
            };
            let (survivor_id, merged_id) = (sid.to_string(), mid.to_string());
            let lang_now = lang.get_untracked();
            let ctx = repo().edit_context();
            let out = match merge::merge(
                &survivor_id,
                &survivor,
                &merged_id,
                &merged,
                &picks.get_untracked(),
                &ctx,
            ) {
                Ok(out) => out,
                Err(e) => {
                    failure.set(Some(merge_error(lang_now, &e)));
                    return;
                }
            };
            let kind = survivor.kind();
            let role = me().role;
            let mut changed = vec![(sid, out.survivor), (mid, out.merged)];
            let mut kept = 0_u64;
            let relinked = repo().with_record_list(|list| {
                let mut moved = Vec::new();
                for (id, record) in list {
                    if *id == survivor_id || *id == merged_id {
                        continue;
                    }
                    let status = record.status().unwrap_or_default();
                    let record_kind = record.kind();
                    let may =
                        |field: &str| rules::may_edit_field(&record_kind, role, field, &status);
                    match merge::relink(record, &kind, &merged_id, &survivor_id, may, &ctx) {
                        Ok((Some(r), k)) => {
                            if let Ok(id) = id.parse::<DocumentId>() {
                                moved.push((id, r));
                            }
                            kept += u64::from(k);
                        }
                        Ok((None, k)) => kept += u64::from(k),
                        // A record that no longer passes its own form checks keeps its
                        // link; the redirect still leads to the survivor.
                        Err(_) => kept += 1,
                    }
                }
                moved
            });
            let moved = relinked.len() as u64;
            changed.extend(relinked);
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = repo().save(Vec::new(), changed).await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        let mut message =
                            Fmt::DupMerged.format(lang_now, &[("moved", moved.into())]);
                        if kept > 0 {
                            message.push(' ');
                            message.push_str(
                                &Fmt::DupKept.format(lang_now, &[("count", kept.into())]),
                            );
                        }
                        on_merged.run(message);
                    }
                    Err(e) => failure.set(Some(i18n::repo_error(lang_now, &e))),
                }
            });
        }
    };
    let kind_of = a.kind();
    view! {
        <section class="merge-panel" id="merge-panel">
            <h2>{tr(Key::DupMergeTitle)}</h2>
            <fieldset class="merge-keep">
                <legend>{tr(Key::DupKeep)}</legend>
                <label class="choice">
                    <input type="radio" name="dup-keep" id="dup-keep-first"
                        prop:checked=move || keep_first.get()
                        on:change=move |_| { keep_first.set(true); picks.set(BTreeMap::new()); } />
                    <a href=record_href(&kind_of, first_id)>{title_a.clone()}</a>
                </label>
                <label class="choice">
                    <input type="radio" name="dup-keep" id="dup-keep-second"
                        prop:checked=move || !keep_first.get()
                        on:change=move |_| { keep_first.set(false); picks.set(BTreeMap::new()); } />
                    <a href=record_href(&kind_of, second_id)>{title_b.clone()}</a>
                </label>
            </fieldset>
            <p class="hint">{tr(Key::DupChoose)}</p>
            <For each=move || choices.get() key=|c: &Choice| (c.field, c.survivor.clone(), c.merged.clone()) let(choice)>
                {
                    let field = choice.field;
                    let name = format!("dup-field-{field}");
                    let label = format!("field.{field}");
                    let pick = move |side: Side| picks.update(|p| { p.insert(field.to_owned(), side); });
                    let is = move |side: Side| picks.with(|p| p.get(field).copied().unwrap_or(Side::Survivor) == side);
                    view! {
                        <fieldset class="merge-field" data-field=field>
                            <legend>{move || word_for(lang.get(), &label)}</legend>
                            <label class="choice">
                                <input type="radio" name=name.clone() value="survivor"
                                    prop:checked=move || is(Side::Survivor) on:change=move |_| pick(Side::Survivor) />
                                {choice.survivor.clone()}
                            </label>
                            <label class="choice">
                                <input type="radio" name=name value="merged"
                                    prop:checked=move || is(Side::Merged) on:change=move |_| pick(Side::Merged) />
                                {choice.merged.clone()}
                            </label>
                        </fieldset>
                    }
                }
            </For>
            <p class="hint">{tr(Key::DupCombined)}</p>
            <Show when=move || failure.with(Option::is_some)>
                <p class="banner error" role="alert">{move || failure.get()}</p>
            </Show>
            <div class="actions">
                <button type="button" class="button primary" id="dup-merge" prop:disabled=move || busy.get()
                    on:click={
                        let run = run.clone();
                        move |_| run()
                    }>{tr(Key::DupMerge)}</button>
                <button type="button" class="button" on:click=move |_| chosen.set(None)>{tr(Key::Cancel)}</button>
            </div>
        </section>
    }
    .into_any()
}
