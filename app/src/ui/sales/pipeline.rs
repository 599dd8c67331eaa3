//! The pipeline board: opportunities per stage, moved by dragging.

use crate::i18n::Key;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::sales::{
    money::format_tr,
    opportunity::{self, Opportunity, forecast},
};
use wasm_bindgen::JsCast;

use crate::ui::{
    me, repo,
    sales::opportunities::move_opportunity,
    use_lang,
    widgets::{
        dialog::ReasonSheet,
        feedback::{ErrorLine, run_step},
        format::format_amount,
        links::{record_href, stage_name, title_of_id},
    },
    word,
};

/// The stage column under a screen point, if any.
fn stage_at(x: i32, y: i32) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let element = document.element_from_point(x as f32, y as f32)?;
    element
        .closest("[data-stage]")
        .ok()??
        .get_attribute("data-stage")
}

#[component]
pub fn PipelineBoard() -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let stages = repo().pipeline();
    let failure = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(None::<DocumentId>);
    let over = RwSignal::new(None::<String>);
    // Where the drag started and how far the pointer has moved: the card follows it.
    let origin = StoredValue::new((0, 0));
    let moved = RwSignal::new((0, 0));
    let writer = me().role.can_write();
    // The deal dropped on "lost", while its reason is asked for.
    let lost = RwSignal::new(None::<DocumentId>);
    let opportunities = Memo::new(move |_| {
        records.with(|all| {
            let mut list: Vec<(DocumentId, Opportunity)> = all
                .values()
                .filter_map(|v| match &v.record {
                    Record::Opportunity(o) => Some((v.id, o.clone())),
                    _ => None,
                })
                .collect();
            list.sort_by(|a, b| {
                a.1.close_date
                    .cmp(&b.1.close_date)
                    .then(a.1.name.cmp(&b.1.name))
            });
            list
        })
    });
    let drop_on = move |x: i32, y: i32| {
        let Some(id) = dragging.get_untracked() else {
            return;
        };
        dragging.set(None);
        over.set(None);
        moved.set((0, 0));
        let Some(stage) = stage_at(x, y) else { return };
        let current = opportunities.with_untracked(|list| {
            list.iter()
                .find(|(i, _)| *i == id)
                .map(|(_, o)| o.stage.clone())
        });
        if current.as_deref() == Some(stage.as_str()) {
            return;
        }
        if stage == opportunity::LOST {
            // A lost deal needs its reason; ask for it right away.
            lost.set(Some(id));
            return;
        }
        run_step(failure, move_opportunity(id, stage, None));
    };
    let lost_reason = Callback::new(move |(id, reason): (DocumentId, String)| {
        run_step(
            failure,
            move_opportunity(id, opportunity::LOST.to_owned(), Some(reason)),
        );
    });
    let columns = move || {
        stages
            .get()
            .into_iter()
            .map(|stage| {
                let code = stage.code.clone();
                let in_stage = {
                    let code = code.clone();
                    move || {
                        opportunities.with(|list| {
                            list.iter().filter(|(_, o)| o.stage == code).cloned().collect::<Vec<_>>()
                        })
                    }
                };
                let sum = {
                    let in_stage = in_stage.clone();
                    move || {
                        let list = in_stage();
                        let mut by_currency = std::collections::BTreeMap::new();
                        for (_, o) in &list {
                            *by_currency.entry(o.currency()).or_insert(rust_decimal_zero()) += o.amount();
                        }
                        by_currency
                            .into_iter()
                            .map(|(c, v)| format_tr(v, c))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    }
                };
                let count = {
                    let in_stage = in_stage.clone();
                    move || in_stage().len()
                };
                let highlighted = {
                    let code = code.clone();
                    move || over.with(|o| o.as_deref() == Some(code.as_str()))
                };
                let name = {
                    let code = code.clone();
                    move || stage_name(lang.get(), &code)
                };
                view! {
                    <section class="column" data-stage=code.clone() class:over=highlighted>
                        <header>
                            <h2>{name} " " <span class="count">{count}</span></h2>
                            <p class="sum">{sum} " · %" {stage.probability}</p>
                        </header>
                        <ul>
                            <For each=in_stage key=|(id, o)| (*id, format!("{o:?}")) let((id, o))>
                                <li
                                    class="deal"
                                    data-id=id.to_string()
                                    class:dragging=move || dragging.get() == Some(id)
                                    style:transform=move || {
                                        if dragging.get() == Some(id) {
                                            let (dx, dy) = moved.get();
                                            format!("translate({dx}px, {dy}px)")
                                        } else {
                                            String::new()
                                        }
                                    }
                                >
                                    <Show when=move || writer>
                                        <span
                                            class="handle"
                                            role="button"
                                            aria-label=move || word(lang.get(), Key::UiDragHandle)
                                            on:pointerdown=move |ev: leptos::ev::PointerEvent| {
                                                ev.prevent_default();
                                                if let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                                                    let _ = target.set_pointer_capture(ev.pointer_id());
                                                }
                                                origin.set_value((ev.client_x(), ev.client_y()));
                                                moved.set((0, 0));
                                                dragging.set(Some(id));
                                            }
                                            on:pointermove=move |ev: leptos::ev::PointerEvent| {
                                                if dragging.get_untracked().is_some() {
                                                    let (x0, y0) = origin.get_value();
                                                    scroll_board_near_edge(ev.client_x());
                                                    let (dx, dy) = (ev.client_x() - x0, ev.client_y() - y0);
                                                    moved.set((dx, dy));
                                                    let stage = stage_at(ev.client_x(), ev.client_y());
                                                    if over.get_untracked() != stage {
                                                        over.set(stage);
                                                    }
                                                }
                                            }
                                            on:pointerup=move |ev: leptos::ev::PointerEvent| drop_on(ev.client_x(), ev.client_y())
                                            on:pointercancel=move |_| {
                                                dragging.set(None);
                                                over.set(None);
                                                moved.set((0, 0));
                                            }
                                        >
                                            "⠿"
                                        </span>
                                    </Show>
                                    <A href=record_href(opportunity::KIND, id)>
                                        <span class="card-title">{o.name.clone()}</span>
                                        <span class="card-meta">
                                            {title_of_id(&o.account)} " · " {format_amount(&o.amount, &o.currency)}
                                        </span>
                                    </A>
                                </li>
                            </For>
                        </ul>
                    </section>
                }
            })
            .collect_view()
    };
    let rows = Memo::new(move |_| {
        let stages = stages.get();
        opportunities.with(|list| forecast(list.iter().map(|(_, o)| o), &stages))
    });
    view! {
        <section class="page pipeline">
            <div class="toolbar">
                <h1>{move || word(lang.get(), Key::UiPipeline)}</h1>
                <Show when=move || writer>
                    <A href="/opportunities/new" attr:class="button primary">"+ " {move || word(lang.get(), Key::NewOpportunity)}</A>
                </Show>
            </div>
            <p class="hint">{move || word(lang.get(), Key::UiDragHint)}</p>
            <ErrorLine failure=failure />
            <ReasonSheet asking=lost label=Key::FieldLostReason id="lost-reason" on_reason=lost_reason />
            <div class="board" id="board">{columns}</div>
            // While a card is dragged, the closing stages are always within reach at the
            // bottom of the screen (on a phone the board scrolls sideways).
            <Show when=move || dragging.with(Option::is_some)>
                <div class="drop-bar">
                    {[opportunity::WON, opportunity::LOST]
                        .into_iter()
                        .map(|code| {
                            view! {
                                <div class="drop-target" data-stage=code class:over=move || over.with(|o| o.as_deref() == Some(code))>
                                    {move || stage_name(lang.get(), code)}
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </Show>
            <h2>{move || word(lang.get(), Key::UiForecast)}</h2>
            <div class="table-scroll" tabindex="0">
                <table class="forecast">
                    <thead>
                        <tr>
                            <th>{move || word(lang.get(), Key::UiMonth)}</th>
                            <th class="num">{move || word(lang.get(), Key::UiCount)}</th>
                            <th class="num">{move || word(lang.get(), Key::UiTotal)}</th>
                            <th class="num">{move || word(lang.get(), Key::UiWeighted)}</th>
                            <th class="num">{move || stage_name(lang.get(), opportunity::WON)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|r| format!("{r:?}") let(r)>
                            <tr data-month=r.month.clone()>
                                <td>{if r.month.is_empty() { word(lang.get_untracked(), Key::UiNoDate) } else { r.month.clone() }}</td>
                                <td class="num">{r.count}</td>
                                <td class="num">{format_tr(r.total, r.currency)}</td>
                                <td class="num">{format_tr(r.weighted, r.currency)}</td>
                                <td class="num" data-won="">{format_tr(r.won, r.currency)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Scrolls the board sideways when a dragged card nears its left or right edge.
fn scroll_board_near_edge(x: i32) {
    let Some(board) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("board"))
    else {
        return;
    };
    let rect = board.get_bounding_client_rect();
    const EDGE: f64 = 40.0;
    let x = f64::from(x);
    if x > rect.right() - EDGE {
        board.set_scroll_left(board.scroll_left() + 24);
    } else if x < rect.left() + EDGE {
        board.set_scroll_left(board.scroll_left() - 24);
    }
}

fn rust_decimal_zero() -> rust_decimal::Decimal {
    rust_decimal::Decimal::ZERO
}
