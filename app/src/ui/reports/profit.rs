//! The profitability report: who the most profitable customers are. Revenue, gross
//! margin and margin % per account, ABC classes by margin (cut-offs chosen here), the
//! whale curve, RFM scores — computed on the device from the records the member may
//! see ([`saha_core::analytics::profit`]), so it works offline and a rep sees only
//! their own figures.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::analytics::profit::{AbcClass, AbcCutoffs, AccountProfit, ProfitReport, Rfm};
use saha_core::export::{Cell, Table};
use saha_core::sales::money::format_tr;
use saha_core::time::civil::Date;

use crate::client::timed;
use crate::i18n::{Fmt, Key};
use crate::ui::widgets::chart::CurveChart;
use crate::ui::widgets::export::ExportButtons;
use crate::ui::widgets::format::{clock, decimal_text, format_date, percent, workspace_zone};
use crate::ui::widgets::links::{record_href, title_of_id};
use crate::ui::{repo, tr, use_lang, word};

/// Rows the ranking shows at most (the class filter narrows it).
const SHOWN: usize = 100;

/// The first day of the period: all time, the last 12 months, or this year.
fn since(period: &str, today: Date) -> String {
    match period {
        "12m" => today
            .add_months(-12)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        "year" => Date::new(today.year, 1, 1)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn margin_percent(lang: crate::i18n::Lang, p: &AccountProfit) -> String {
    p.margin_percent()
        .map(|m| percent(lang, decimal_text(lang, m)))
        .unwrap_or_else(|| "—".into())
}

#[component]
pub fn ProfitReportPage() -> impl IntoView {
    let lang = use_lang();
    let now = clock(3600);
    let period = RwSignal::new("12m".to_owned());
    // The workspace's cut-offs (what segments use) to start with; changed here for a look.
    let saved = repo()
        .service()
        .with_untracked(|s| s.analytics.abc_cutoffs());
    let cut_a = RwSignal::new(saved.a);
    let cut_b = RwSignal::new(saved.b);
    let class_filter = RwSignal::new(String::new());
    let report = Memo::new(move |_| {
        let today = workspace_zone().local(now.get()).date;
        let cutoffs = AbcCutoffs {
            a: cut_a.get(),
            b: cut_b.get().max(cut_a.get()),
        };
        let from = since(&period.get(), today);
        timed("profit", || {
            super::with_sales(|sales| ProfitReport::compute(sales, cutoffs, today, &from))
        })
    });
    let totals = Memo::new(move |_| {
        report.with(|r| {
            let revenue: rust_decimal::Decimal = r.ranked.iter().map(|(p, ..)| p.revenue).sum();
            let margin: rust_decimal::Decimal = r.ranked.iter().map(|(p, ..)| p.margin()).sum();
            let costed: rust_decimal::Decimal =
                r.ranked.iter().map(|(p, ..)| p.costed_revenue).sum();
            let count = |class: AbcClass| r.ranked.iter().filter(|(_, c, _)| *c == class).count();
            (
                revenue,
                margin,
                (!costed.is_zero()).then(|| {
                    let mut percent = margin * rust_decimal::Decimal::ONE_HUNDRED / costed;
                    percent.rescale(1);
                    percent
                }),
                [count(AbcClass::A), count(AbcClass::B), count(AbcClass::C)],
            )
        })
    });
    let try_money = |amount| format_tr(amount, saha_core::sales::money::Currency::Try);
    let curve = Signal::derive(move || report.with(|r| r.whale_curve.clone()));
    let cut_input = move |id: &'static str, label: Key, value: RwSignal<u8>| {
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <input
                    id=id
                    type="number"
                    min="1"
                    max="99"
                    inputmode="numeric"
                    prop:value=move || value.get().to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).trim().parse::<u8>() {
                            value.set(v.clamp(1, 99));
                        }
                    }
                />
            </div>
        }
    };
    let rows = move || {
        let lang = lang.get();
        let filter = AbcClass::from_code(&class_filter.get());
        report.with(|r| {
            r.ranked
                .iter()
                .enumerate()
                .filter(|(_, (_, class, _))| filter.is_none_or(|f| f == *class))
                .take(SHOWN)
                .map(|(rank, (p, class, rfm))| {
                    let href = p
                        .account
                        .parse::<DocumentId>()
                        .map(|id| record_href("account", id))
                        .unwrap_or_default();
                    let name = Some(title_of_id(&p.account))
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| "—".into());
                    view! {
                        <tr data-account=p.account.clone() data-class=class.code()>
                            <td class="num">{rank + 1}</td>
                            <td><A href=href>{name}</A></td>
                            <td class="abc">{class.code()}</td>
                            <td class="num">{try_money(p.revenue)}</td>
                            <td class="num margin">{try_money(p.margin())}</td>
                            <td class="num">{margin_percent(lang, p)}</td>
                            <td class="num">{p.sales}</td>
                            <td class="num">{try_money(p.average_sale())}</td>
                            <td>{format_date(lang, &p.last)}</td>
                            <td class="num rfm">{format!("{}-{}-{}", rfm.recency, rfm.frequency, rfm.monetary)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let export_ranking = Callback::new(move |()| {
        let lang = lang.get_untracked();
        let w = |key| word(lang, key);
        let mut table = Table::new(
            w(Key::UiCustomersByMargin),
            [
                "#".to_owned(),
                w(Key::KindAccount),
                w(Key::FieldCurrency),
                "ABC".to_owned(),
                w(Key::UiRevenue),
                w(Key::UiGrossMargin),
                w(Key::UiMarginPercent),
                w(Key::UiSales),
                w(Key::UiAverageSale),
                w(Key::UiFirstSale),
                w(Key::UiLastSale),
                "R".to_owned(),
                "F".to_owned(),
                "M".to_owned(),
            ],
        );
        report.with_untracked(|r| {
            // One row per account and currency: rank, class and RFM for TRY only.
            let row = |p: &AccountProfit, ranked: Option<(usize, AbcClass, &Rfm)>| {
                let mut cells: Vec<Cell> = vec![
                    ranked.map_or(Cell::Empty, |(rank, ..)| (rank + 1).into()),
                    title_of_id(&p.account).into(),
                    p.currency.code().into(),
                    ranked.map_or(Cell::Empty, |(_, class, _)| class.code().into()),
                    p.revenue.into(),
                    p.margin().into(),
                    p.margin_percent().into(),
                    p.sales.into(),
                    p.average_sale().into(),
                    Cell::date(&p.first),
                    Cell::date(&p.last),
                ];
                if let Some((.., rfm)) = ranked {
                    cells.extend([
                        rfm.recency.into(),
                        rfm.frequency.into(),
                        rfm.monetary.into(),
                    ]);
                }
                cells
            };
            for (rank, (p, class, rfm)) in r.ranked.iter().enumerate() {
                table.push(row(p, Some((rank, *class, rfm))));
            }
            for p in &r.other_currencies {
                table.push(row(p, None));
            }
        });
        table
    });
    view! {
        <section class="page report" id="profit-report">
            <h1>{tr(Key::UiProfitReport)}</h1>
            <p class="hint">{tr(Key::UiProfitHint)}</p>
            <div class="form report-controls">
                <div class="field">
                    <label for="profit-period">{tr(Key::UiReportPeriod)}</label>
                    <select
                        id="profit-period"
                        prop:value=move || period.get()
                        on:change=move |ev| period.set(event_target_value(&ev))
                    >
                        <option value="12m" selected=true>{tr(Key::UiPeriodLast12Months)}</option>
                        <option value="year">{tr(Key::UiPeriodThisYear)}</option>
                        <option value="all">{tr(Key::UiPeriodAllTime)}</option>
                    </select>
                </div>
                {cut_input("abc-cut-a", Key::UiAbcCutA, cut_a)}
                {cut_input("abc-cut-b", Key::UiAbcCutB, cut_b)}
            </div>
            <dl class="facts" id="profit-figures">
                <dt>{tr(Key::UiRevenue)}</dt>
                <dd data-figure="revenue">{move || try_money(totals.get().0)}</dd>
                <dt>{tr(Key::UiGrossMargin)}</dt>
                <dd data-figure="margin">{move || try_money(totals.get().1)}</dd>
                <dt>{tr(Key::UiMarginPercent)}</dt>
                <dd data-figure="margin_percent">
                    {move || totals.get().2.map(|m| percent(lang.get(), decimal_text(lang.get(), m))).unwrap_or_else(|| "—".into())}
                </dd>
                <dt>{tr(Key::UiAbcCounts)}</dt>
                <dd data-figure="abc">
                    {move || {
                        let [a, b, c] = totals.get().3;
                        format!("A {a} · B {b} · C {c}")
                    }}
                </dd>
            </dl>
            <Show when=move || report.with(|r| r.uncosted_lines > 0)>
                <p class="banner" role="status" id="uncosted-lines">
                    {move || Fmt::UiUncostedLines.format(lang.get(), &[("count", report.with(|r| r.uncosted_lines).into())])}
                </p>
            </Show>
            <CurveChart
                id="whale-curve"
                title=Signal::derive(move || word(lang.get(), Key::UiWhaleCurve))
                x_label=Signal::derive(move || word(lang.get(), Key::UiShareOfCustomers))
                y_label=Signal::derive(move || word(lang.get(), Key::UiShareOfMargin))
                points=curve
            />
            <h2>{tr(Key::UiCustomersByMargin)}</h2>
            <div class="field">
                <label for="abc-filter">{tr(Key::UiAbcClass)}</label>
                <select
                    id="abc-filter"
                    prop:value=move || class_filter.get()
                    on:change=move |ev| class_filter.set(event_target_value(&ev))
                >
                    <option value="" selected=true>{tr(Key::UiAll)}</option>
                    <option value="A">"A"</option>
                    <option value="B">"B"</option>
                    <option value="C">"C"</option>
                </select>
            </div>
            <ExportButtons
                id="profit-export"
                file=Signal::derive(move || word(lang.get(), Key::UiProfitReport))
                table=export_ranking
            />
            <Show when=move || report.with(|r| r.rfm_too_few && !r.ranked.is_empty())>
                <p class="hint" id="rfm-too-few">{tr(Key::UiRfmTooFew)}</p>
            </Show>
            <table class="lines" id="profit-ranking">
                <thead>
                    <tr>
                        <th scope="col" class="num">"#"</th>
                        <th scope="col">{tr(Key::KindAccount)}</th>
                        <th scope="col">"ABC"</th>
                        <th scope="col" class="num">{tr(Key::UiRevenue)}</th>
                        <th scope="col" class="num">{tr(Key::UiGrossMargin)}</th>
                        <th scope="col" class="num">{tr(Key::UiMarginPercent)}</th>
                        <th scope="col" class="num">{tr(Key::UiSales)}</th>
                        <th scope="col" class="num">{tr(Key::UiAverageSale)}</th>
                        <th scope="col">{tr(Key::UiLastSale)}</th>
                        <th scope="col" class="num">"RFM"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <Show when=move || report.with(|r| !r.other_currencies.is_empty())>
                <h2>{tr(Key::UiOtherCurrencies)}</h2>
                <table class="lines" id="profit-other-currencies">
                    <thead>
                        <tr>
                            <th scope="col">{tr(Key::KindAccount)}</th>
                            <th scope="col" class="num">{tr(Key::UiRevenue)}</th>
                            <th scope="col" class="num">{tr(Key::UiGrossMargin)}</th>
                            <th scope="col" class="num">{tr(Key::UiMarginPercent)}</th>
                            <th scope="col" class="num">{tr(Key::UiSales)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let lang = lang.get();
                            report.with(|r| {
                                r.other_currencies
                                    .iter()
                                    .map(|p| view! {
                                        <tr>
                                            <td>{title_of_id(&p.account)}</td>
                                            <td class="num">{format_tr(p.revenue, p.currency)}</td>
                                            <td class="num">{format_tr(p.margin(), p.currency)}</td>
                                            <td class="num">{margin_percent(lang, p)}</td>
                                            <td class="num">{p.sales}</td>
                                        </tr>
                                    })
                                    .collect_view()
                            })
                        }}
                    </tbody>
                </table>
            </Show>
        </section>
    }
}
