//! Expected demand: a product's quantity sold each month and a forecast of the next
//! three, with the method chosen and its backtest error beside it
//! ([`saha_core::analytics::demand`]), computed on the device from its sales.

use leptos::prelude::*;
use saha_core::analytics::demand::{self, Demand, Method};
use saha_core::export::{Cell, Table};

use crate::client::timed;
use crate::i18n::{Fmt, Key, Lang};
use crate::ui::widgets::chart::BarChart;
use crate::ui::widgets::export::ExportButtons;
use crate::ui::widgets::format::{clock, workspace_zone};
use crate::ui::widgets::links::title_of_id;
use crate::ui::{tr, use_lang, word};

/// Months of history the chart shows at most (the table behind it too).
const CHART_MONTHS: usize = 24;
/// Products the picker offers (the best sellers first).
const PICKER_PRODUCTS: usize = 200;

fn method_text(lang: Lang, method: Method) -> String {
    match method {
        Method::SeasonalNaive => word(lang, Key::UiMethodSeasonal),
        Method::Smoothing { alpha_x10 } => {
            let alpha = format!("0.{alpha_x10}");
            Fmt::UiMethodSmoothing.format(lang, &[("alpha", alpha.as_str().into())])
        }
    }
}

/// A quantity rounded to one place (what the page shows).
fn rounded(value: f64) -> Cell {
    Cell::Float((value * 10.0).round() / 10.0)
}

fn number(value: f64) -> String {
    if (value - value.round()).abs() < 0.05 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[component]
pub fn DemandReportPage() -> impl IntoView {
    let lang = use_lang();
    let now = clock(3600);
    let products = Memo::new(move |_| {
        timed("demand_products", || {
            super::with_sales(|sales| {
                demand::products_sold(sales)
                    .into_iter()
                    .take(PICKER_PRODUCTS)
                    .map(|(id, _)| id)
                    .collect::<Vec<String>>()
            })
        })
    });
    let chosen = RwSignal::new(String::new());
    let product = Memo::new(move |_| {
        let c = chosen.get();
        if c.is_empty() {
            products.with(|p| p.first().cloned().unwrap_or_default())
        } else {
            c
        }
    });
    let result = Memo::new(move |_| {
        let product = product.get();
        let today = workspace_zone().local(now.get()).date;
        (!product.is_empty()).then(|| {
            timed("demand", || {
                super::with_sales(|sales| demand::demand(sales, &product, today))
            })
        })
    });
    let bars = Signal::derive(move || {
        result.with(|r| {
            let Some(Demand {
                history,
                next_months,
                forecast,
                ..
            }) = r
            else {
                return Vec::new();
            };
            let skip = history.len().saturating_sub(CHART_MONTHS);
            let mut bars: Vec<(String, f64, bool)> = history
                .iter()
                .skip(skip)
                .map(|(m, q)| (m.clone(), *q, false))
                .collect();
            if let Some(f) = forecast {
                bars.extend(
                    next_months
                        .iter()
                        .zip(&f.values)
                        .map(|(m, q)| (m.clone(), *q, true)),
                );
            }
            bars
        })
    });
    let summary = move || {
        let lang = lang.get();
        result.with(|r| match r.as_ref().and_then(|d| d.forecast.as_ref().map(|f| (d, f))) {
            None => view! { <p class="hint" id="no-forecast">{word(lang, Key::UiTooLittleHistory)}</p> }.into_any(),
            Some((d, f)) => view! {
                <dl class="facts" id="forecast-figures">
                    <dt>{word(lang, Key::UiMethod)}</dt>
                    <dd data-figure="method">{method_text(lang, f.method)}</dd>
                    <dt>{word(lang, Key::UiMae)}</dt>
                    <dd data-figure="mae">{format!("{:.1}", f.mae)}</dd>
                    <dt>{word(lang, Key::UiMape)}</dt>
                    <dd data-figure="mape">{f.mape.map(|m| format!("%{m:.0}")).unwrap_or_else(|| "—".into())}</dd>
                    {d.next_months.iter().zip(&f.values).map(|(m, q)| view! {
                        <dt>{word(lang, Key::UiDemandForecast)} " " {m.clone()}</dt>
                        <dd data-figure="forecast" data-month=m.clone()>{number(*q)}</dd>
                    }).collect_view()}
                </dl>
            }
            .into_any(),
        })
    };
    // Every product sold: its monthly quantities and, where there is enough history,
    // the three forecast months with the method and its error.
    let export_demand = Callback::new(move |()| {
        let lang = lang.get_untracked();
        let w = |key| word(lang, key);
        let mut table = Table::new(
            w(Key::UiDemandReport),
            [
                w(Key::UiProduct),
                w(Key::UiMonth),
                w(Key::UiQuantity),
                w(Key::UiDemandForecast),
                w(Key::UiMethod),
                w(Key::UiMae),
            ],
        );
        let today = workspace_zone().local(now.get_untracked()).date;
        super::with_sales(|sales| {
            for (product, _) in demand::products_sold(sales) {
                let d = demand::demand(sales, &product, today);
                let name = title_of_id(&product);
                for (month, quantity) in &d.history {
                    table.push(vec![
                        name.as_str().into(),
                        month.as_str().into(),
                        rounded(*quantity),
                    ]);
                }
                if let Some(f) = &d.forecast {
                    for (month, quantity) in d.next_months.iter().zip(&f.values) {
                        table.push(vec![
                            name.as_str().into(),
                            month.as_str().into(),
                            Cell::Empty,
                            rounded(*quantity),
                            method_text(lang, f.method).into(),
                            rounded(f.mae),
                        ]);
                    }
                }
            }
        });
        table
    });
    view! {
        <section class="page report" id="demand-report">
            <h1>{tr(Key::UiDemandReport)}</h1>
            <p class="hint">{tr(Key::UiDemandHint)}</p>
            <div class="field">
                <label for="demand-product">{tr(Key::UiProduct)}</label>
                <select
                    id="demand-product"
                    prop:value=move || product.get()
                    on:change=move |ev| chosen.set(event_target_value(&ev))
                >
                    {move || {
                        let current = product.get();
                        products
                            .get()
                            .into_iter()
                            .map(|id| {
                                let selected = id == current;
                                view! { <option value=id.clone() selected=selected>{title_of_id(&id)}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <Show
                when=move || !product.get().is_empty()
                fallback=move || view! { <p class="empty">{tr(Key::UiNoneYet)}</p> }
            >
                {summary}
                <ExportButtons
                    id="demand-export"
                    file=Signal::derive(move || word(lang.get(), Key::UiDemandReport))
                    table=export_demand
                />
                <BarChart
                    id="demand-chart"
                    title=Signal::derive(move || word(lang.get(), Key::UiDemandChart))
                    x_label=Signal::derive(move || word(lang.get(), Key::UiMonth))
                    y_label=Signal::derive(move || word(lang.get(), Key::UiQuantity))
                    bars=bars
                />
            </Show>
        </section>
    }
}
