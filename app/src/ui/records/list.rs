//! The list of one kind: search, facet filter, sort and paging.

use crate::i18n::word_for;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use saha_core::DocumentId;
use saha_core::kinds::{kind_of_section, section_of};
use saha_core::parties::account;
use saha_core::sales::document as sales;
use saha_core::sales::{lead, opportunity, product};

use crate::client::repo::RecordView;
use crate::i18n::{self, Key};
use crate::ui::{
    me, repo, tr, use_lang,
    widgets::{format::today, links::stage_name, record_card::RecordCard},
    word,
};

/// Cards rendered at a time in a list.
const PAGE: usize = 100;

/// The codes a list of `kind` can be filtered by.
fn facet_choices(kind: &str) -> Vec<(&'static str, String)> {
    let codes = |field: &'static str, codes: &[&str]| {
        codes
            .iter()
            .map(|c| (field, (*c).to_owned()))
            .collect::<Vec<_>>()
    };
    match kind {
        account::KIND => codes("type", account::CustomerType::CODES),
        lead::KIND => codes("status", lead::LeadStatus::CODES),
        opportunity::KIND => repo()
            .pipeline()
            .get_untracked()
            .into_iter()
            .map(|s| ("stage", s.code))
            .collect(),
        sales::INVOICE => {
            let mut c = codes("status", sales::statuses(kind));
            c.push(("status", "overdue".to_owned()));
            c
        }
        sales::QUOTE | sales::ORDER => codes("status", sales::statuses(kind)),
        saha_core::service::case::KIND => codes("status", saha_core::service::case::Status::CODES),
        saha_core::activities::task::KIND => {
            codes("status", saha_core::activities::task::Status::CODES)
        }
        saha_core::activities::meeting::KIND => {
            codes("status", saha_core::activities::meeting::Status::CODES)
        }
        saha_core::activities::call::KIND => {
            codes("outcome", saha_core::activities::call::Outcome::CODES)
        }
        saha_core::engagement::campaign::KIND => {
            codes("status", saha_core::engagement::campaign::Status::CODES)
        }
        _ => Vec::new(),
    }
}

pub(crate) fn section_param() -> Memo<&'static str> {
    let params = use_params_map();
    Memo::new(move |_| {
        params.with(|p| {
            p.get("section")
                .and_then(|s| kind_of_section(&s))
                .unwrap_or(account::KIND)
        })
    })
}

pub(crate) fn id_param() -> Memo<Option<DocumentId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse().ok())))
}

/// Whether the signed-in member may create records of `kind`. Products are shared by
/// the workspace, so only owners and admins add them.
pub fn may_create(kind: &str) -> bool {
    let role = me().role;
    role.can_write() && (kind != product::KIND || role.administers())
}

#[component]
pub fn RecordList() -> impl IntoView {
    let kind = section_param();
    move || {
        let kind = kind.get();
        view! { <KindList kind=kind /> }
    }
}

#[component]
fn KindList(kind: &'static str) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let query = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let newest_first = RwSignal::new(false);
    let show_archived = RwSignal::new(false);
    let limit = RwSignal::new(PAGE);
    let choices = facet_choices(kind);
    // Matches are found over every record of the kind by the search index, but only
    // the first `limit` are rendered: a phone does not need 10 000 cards in its DOM.
    let matches = Memo::new(move |_| {
        let q = query.get();
        let wanted = filter.get();
        let newest = newest_first.get();
        let shown = limit.get();
        let archived_too = show_archived.get();
        let today = today();
        records.with(|all| {
            let keep = |id: &DocumentId| {
                all.get(id).is_some_and(|v| {
                    v.kind == kind
                        && (archived_too || !v.record.common().is_archived())
                        && (wanted.is_empty()
                            || v.record
                                .facet(&today)
                                .is_some_and(|(_, code)| code == wanted))
                })
            };
            let (found, mut ids) = repo().search(&q, if newest { usize::MAX } else { shown }, keep);
            if newest {
                ids.sort_by_key(|id| {
                    std::cmp::Reverse(all.get(id).map_or(0, |v| v.record.common().created_at))
                });
                ids.truncate(shown);
            }
            let rows: Vec<RecordView> = ids.iter().filter_map(|id| all.get(id).cloned()).collect();
            (found, rows)
        })
    });
    let rows = Memo::new(move |_| matches.with(|(_, rows)| rows.clone()));
    let found = move || matches.with(|(n, _)| *n);
    let search_id = format!("{kind}-search");
    let has_filter = !choices.is_empty();
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{move || word_for(lang.get(), &format!("kinds.{kind}"))}</h1>
                <Show when=move || may_create(kind)>
                    <A href=format!("/{}/new", section_of(kind)) attr:class="button primary" attr:id="new-record">
                        "+ "
                        {move || word_for(lang.get(), &format!("new.{kind}"))}
                    </A>
                </Show>
            </div>
            <div class="list-controls">
                <div class="field search">
                    <label for=search_id.clone()>{tr(Key::Search)}</label>
                    <input
                        id=search_id
                        type="search"
                        autocomplete="off"
                        placeholder=tr(Key::SearchPlaceholder)
                        prop:value=query
                        on:input=move |ev| {
                            limit.set(PAGE);
                            query.set(event_target_value(&ev));
                        }
                    />
                </div>
                // Filter, sort and the archive fold away so records start high on a phone.
                <details class="list-options">
                <summary>{move || word(lang.get(), Key::UiListOptions)}</summary>
                <div class="list-options-body">
                <Show when=move || has_filter>
                    <div class="field">
                        <label for="list-filter">{move || word(lang.get(), Key::UiFilter)}</label>
                        <select
                            id="list-filter"
                            on:change=move |ev| {
                                limit.set(PAGE);
                                filter.set(event_target_value(&ev));
                            }
                        >
                            <option value="">{move || word(lang.get(), Key::UiAll)}</option>
                            {choices
                                .clone()
                                .into_iter()
                                .map(|(field, code)| {
                                    let value = code.clone();
                                    let label = move || {
                                        if field == "stage" {
                                            stage_name(lang.get(), &code)
                                        } else {
                                            i18n::word_for(lang.get(), &format!("{field}.{code}"))
                                        }
                                    };
                                    view! { <option value=value>{label}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="list-sort">{move || word(lang.get(), Key::UiSort)}</label>
                    <select id="list-sort" on:change=move |ev| newest_first.set(event_target_value(&ev) == "newest")>
                        <option value="name">{move || word(lang.get(), Key::UiSortName)}</option>
                        <option value="newest">{move || word(lang.get(), Key::UiSortNewest)}</option>
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" id="show-archived" on:change=move |ev| {
                        limit.set(PAGE);
                        show_archived.set(event_target_checked(&ev));
                    } />
                    {move || word(lang.get(), Key::UiShowArchived)}
                </label>
                </div>
                </details>
            </div>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <p class="empty">
                            {move || {
                                if query.with(String::is_empty) && filter.with(String::is_empty) {
                                    word(lang.get(), Key::UiNoRecords)
                                } else {
                                    tr(Key::NoMatches)().to_owned()
                                }
                            }}
                        </p>
                    }
                }
            >
                <ul class="cards" aria-label=move || word_for(lang.get(), &format!("kinds.{kind}"))>
                    <For each=move || rows.get() key=|v| (v.id, format!("{:?}", v.record)) let(v)>
                        <RecordCard view=v />
                    </For>
                </ul>
                <Show when=move || { found() > rows.with(Vec::len) }>
                    <p class="more">
                        <span>{move || i18n::showing(lang.get(), rows.with(Vec::len), found())}</span>
                        <button type="button" class="button" on:click=move |_| limit.update(|l| *l += PAGE)>
                            {tr(Key::ShowMore)}
                        </button>
                    </p>
                </Show>
            </Show>
        </section>
    }
}
