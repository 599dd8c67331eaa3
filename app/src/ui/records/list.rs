//! The list of one kind: search, facet filter, sort, and a virtualised list of every
//! match — only the rows on screen (and a few either side) are in the DOM, so a list of
//! 50,000 records scrolls and searches like one of fifty.

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

/// Rows rendered above and below the visible ones.
const OVERSCAN_ROWS: usize = 6;
/// Cards rendered before the list has been measured (more than a phone screen holds).
const FIRST_CARDS: usize = 24;

/// The geometry of a rendered list: how far apart its rows are and how many cards a
/// row holds, read from the cards on screen (cards have one height: their title and
/// facts are kept to one line each in a list).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Grid {
    pitch: f64,
    columns: usize,
}

/// Reads the grid off the rendered cards of `list`: the first card's row and the next
/// row's top. `None` while fewer than two rows are rendered.
fn measure(list: &web_sys::Element) -> Option<Grid> {
    let cards = list.children();
    let first_top = cards.item(0)?.get_bounding_client_rect().top();
    (1..cards.length()).find_map(|i| {
        let top = cards.item(i)?.get_bounding_client_rect().top();
        (top > first_top + 1.0).then_some(Grid {
            pitch: top - first_top,
            columns: i as usize,
        })
    })
}

/// The cards (from, to) to render for a list whose top is at `list_top` (viewport
/// pixels) in a viewport `viewport` high, holding `total` cards.
fn visible_cards(grid: Grid, list_top: f64, viewport: f64, total: usize) -> (usize, usize) {
    let scrolled = (-list_top).max(0.0);
    let first_row = ((scrolled / grid.pitch).floor() as usize).saturating_sub(OVERSCAN_ROWS);
    let last_row = ((scrolled + viewport) / grid.pitch).ceil() as usize + OVERSCAN_ROWS;
    let from = (first_row * grid.columns).min(total);
    let to = (last_row * grid.columns).min(total);
    (from, to)
}

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

/// What a list shows: its search text, facet filter, order and whether archived
/// records are in.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ListQuery {
    pub text: String,
    /// A facet code, or "" for all.
    pub filter: String,
    pub newest_first: bool,
    pub archived_too: bool,
}

impl ListQuery {
    /// The records of `kind` the list shows, in its order (reactive: reads the store).
    pub fn matches(&self, kind: &str) -> Vec<DocumentId> {
        let today = today();
        repo().records().with(|all| {
            let keep = |id: &DocumentId| {
                all.get(id).is_some_and(|v| {
                    v.kind == kind
                        && (self.archived_too || !v.record.common().is_archived())
                        && (self.filter.is_empty()
                            || v.record
                                .facet(&today)
                                .is_some_and(|(_, code)| code == self.filter))
                })
            };
            let (_, mut ids) = repo().search(&self.text, usize::MAX, keep);
            if self.newest_first {
                ids.sort_by_key(|id| {
                    std::cmp::Reverse(all.get(id).map_or(0, |v| v.record.common().created_at))
                });
            }
            ids
        })
    }
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
    let choices = facet_choices(kind);
    // Every match, found by the search index over every record of the kind; only the
    // cards in view are rendered (see `visible_cards`).
    let matches = Memo::new(move |_| {
        ListQuery {
            text: query.get(),
            filter: filter.get(),
            newest_first: newest_first.get(),
            archived_too: show_archived.get(),
        }
        .matches(kind)
    });
    // The export page shows the same records: the list's state goes along in its URL.
    let export_href = move || {
        let mut href = format!(
            "/{}/export?q={}&filter={}",
            section_of(kind),
            String::from(js_sys::encode_uri_component(&query.get())),
            String::from(js_sys::encode_uri_component(&filter.get()))
        );
        if newest_first.get() {
            href.push_str("&newest=1");
        }
        if show_archived.get() {
            href.push_str("&archived=1");
        }
        href
    };
    let found = move || matches.with(Vec::len);
    let list = NodeRef::<leptos::html::Ul>::new();
    let grid = RwSignal::new(None::<Grid>);
    let shown = RwSignal::new((0, FIRST_CARDS));
    // Recomputes the cards in view from the list's position; cheap, so it runs on
    // every scroll and resize and after every render.
    // It may run from an animation frame after the list has left the page: every read
    // is a `try_`, and a disposed list does nothing.
    let place = move || {
        let (Some(Some(ul)), Some(known), Some(total), Some(current)) = (
            list.try_get_untracked(),
            grid.try_get_untracked(),
            matches.try_with_untracked(Vec::len),
            shown.try_get_untracked(),
        ) else {
            return;
        };
        let measured = measure(&ul).or(known);
        if measured != known {
            grid.set(measured);
        }
        let range = match measured {
            Some(g) => {
                let viewport = web_sys::window()
                    .and_then(|w| w.inner_height().ok())
                    .and_then(|h| h.as_f64())
                    .unwrap_or(844.0);
                visible_cards(g, ul.get_bounding_client_rect().top(), viewport, total)
            }
            None => (0, FIRST_CARDS.min(total)),
        };
        if current != range {
            shown.set(range);
        }
    };
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| place());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| place());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    // After the matches or the cards change, measure and place again once drawn.
    Effect::new(move |_| {
        matches.track();
        shown.track();
        request_animation_frame(place);
    });
    let rows = Memo::new(move |_| {
        let (from, to) = shown.get();
        matches.with(|ids| {
            records.with(|all| {
                ids.get(from..to.min(ids.len()))
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|id| all.get(id).cloned())
                    .collect::<Vec<RecordView>>()
            })
        })
    });
    // The space the cards not rendered would take, above and below those that are (set
    // through the CSSOM: the CSP refuses inline style attributes).
    let padding = move |below: bool| {
        let (from, to) = shown.get();
        let total = found();
        grid.get().map_or_else(String::new, |g| {
            let rows = if below {
                total
                    .div_ceil(g.columns)
                    .saturating_sub(to.div_ceil(g.columns))
            } else {
                from / g.columns
            };
            format!("{:.0}px", rows as f64 * g.pitch)
        })
    };
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
                        on:input=move |ev| query.set(event_target_value(&ev))
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
                            on:change=move |ev| filter.set(event_target_value(&ev))
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
                    <input type="checkbox" id="show-archived" on:change=move |ev| show_archived.set(event_target_checked(&ev)) />
                    {move || word(lang.get(), Key::UiShowArchived)}
                </label>
                <A href=export_href attr:class="button" attr:id="list-export-link">{tr(Key::UiExportList)}</A>
                </div>
                </details>
            </div>
            <Show
                when=move || { found() > 0 }
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
                <p class="count">{move || i18n::record_count(lang.get(), found())}</p>
                <ul
                    class="cards virtual"
                    node_ref=list
                    style:padding-top=move || padding(false)
                    style:padding-bottom=move || padding(true)
                    aria-label=move || word_for(lang.get(), &format!("kinds.{kind}"))
                >
                    <For each=move || rows.get() key=|v| (v.id, v.rev) let(v)>
                        <RecordCard view=v />
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE: Grid = Grid {
        pitch: 86.0,
        columns: 1,
    };

    #[test]
    fn the_cards_in_view_and_six_rows_either_side_are_rendered() {
        // The list starts 300 px down an 844 px screen: nothing scrolled past yet.
        assert_eq!(visible_cards(PHONE, 300.0, 844.0, 10_000), (0, 16));
        // 86,000 px scrolled into the list: row 1,000 is at the top.
        assert_eq!(visible_cards(PHONE, -86_000.0, 844.0, 10_000), (994, 1016));
        // Near the end, the range stops at the last card.
        assert_eq!(
            visible_cards(PHONE, -859_500.0, 844.0, 10_000),
            (9988, 10_000)
        );
        // Fewer cards than a screen: all of them.
        assert_eq!(visible_cards(PHONE, 300.0, 844.0, 5), (0, 5));
    }

    #[test]
    fn rows_of_several_columns_render_whole_rows() {
        let tablet = Grid {
            pitch: 90.0,
            columns: 3,
        };
        let (from, to) = visible_cards(tablet, -9_000.0, 768.0, 1_000);
        assert_eq!((from, to), (94 * 3, 115 * 3));
        assert_eq!(from % 3, 0);
    }
}
