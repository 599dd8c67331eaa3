//! Loyalty and risk: the satisfaction–loyalty matrix with its four groups, a drill-down
//! to the accounts in each, a segment made from a group; the customers at risk by
//! margin, and the silent ones with a way to mark them former customers through the
//! lifecycle log. Computed on the device from the records the member may see
//! ([`saha_core::analytics::matrix`], [`saha_core::analytics::retention`]); an admin
//! saves the thresholds for the whole workspace.

use std::borrow::Cow;

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::analytics::matrix::{Group, Matrix, NO_DATA};
use saha_core::analytics::retention::{self, Retention};
use saha_core::analytics::settings::AnalyticsSettings;
use saha_core::analytics::signals::Signals;
use saha_core::export::{Cell, Table};
use saha_core::sales::money::{Currency, format_tr};

use crate::client::error::RepoError;
use crate::client::timed;
use crate::i18n::{Fmt, Key, Lang};
use crate::ui::widgets::chart::{Dot, MatrixChart};
use crate::ui::widgets::export::ExportButtons;
use crate::ui::widgets::feedback::{ErrorLine, run_step};
use crate::ui::widgets::format::{clock, format_date, workspace_zone};
use crate::ui::widgets::links::{record_href, title_of_id};
use crate::ui::{me, repo, tr, use_lang, word};

/// Rows a list shows at most.
const SHOWN: usize = 100;

/// The word for a matrix group or "no data".
pub(crate) fn group_name(lang: Lang, code: &str) -> String {
    crate::i18n::word_for(lang, &format!("loyalty_group.{code}"))
}

/// The matrix and the retention figures from the records on this device.
pub(crate) fn compute(
    signals: &Signals<'_>,
    settings: &AnalyticsSettings,
    today: saha_core::time::civil::Date,
) -> (Matrix, Vec<Retention>) {
    (
        Matrix::compute(signals, settings, today),
        retention::compute(signals, settings, today),
    )
}

fn account_link(account: &str) -> AnyView {
    let name = Some(title_of_id(account))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "—".into());
    match account.parse::<DocumentId>() {
        Ok(id) => view! { <A href=record_href("account", id)>{name}</A> }.into_any(),
        Err(_) => name.into_any(),
    }
}

/// A number input bound to `value`, clamped to `min..=max`.
fn threshold_input(
    id: &'static str,
    label: Key,
    value: RwSignal<i64>,
    min: i64,
    max: i64,
    step: &'static str,
    scale: i64,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            <input
                id=id
                type="number"
                min=(min as f64 / scale as f64).to_string()
                max=(max as f64 / scale as f64).to_string()
                step=step
                inputmode="decimal"
                prop:value=move || {
                    let v = value.get();
                    if scale == 1 { v.to_string() } else { format!("{:.1}", v as f64 / scale as f64) }
                }
                on:change=move |ev| {
                    let text = event_target_value(&ev).trim().replace(',', ".");
                    if let Ok(v) = text.parse::<f64>() && v.is_finite() {
                        value.set(((v * scale as f64).round() as i64).clamp(min, max));
                    }
                }
            />
        </div>
    }
}

#[component]
pub fn CustomersReportPage() -> impl IntoView {
    let lang = use_lang();
    let now = clock(3600);
    let saved = repo().service().get_untracked().analytics;
    let satisfied_from = RwSignal::new(saved.satisfied_from);
    let loyal_from = RwSignal::new(saved.loyal_from);
    let months = RwSignal::new(saved.matrix_months);
    let factor = RwSignal::new(saved.at_risk_factor_x10);
    let silent_days = RwSignal::new(saved.silent_days);
    let chosen = RwSignal::new(Option::<&'static str>::None);
    let failure = RwSignal::new(Option::<String>::None);
    let note = RwSignal::new(Option::<Key>::None);
    let settings = Memo::new(move |_| AnalyticsSettings {
        satisfied_from: satisfied_from.get(),
        loyal_from: loyal_from.get(),
        matrix_months: months.get(),
        at_risk_factor_x10: factor.get(),
        silent_days: silent_days.get(),
        ..saved.clone()
    });
    let report = Memo::new(move |_| {
        let today = workspace_zone().local(now.get()).date;
        let settings = settings.get();
        timed("customers", || {
            repo().with_record_list(|list| {
                repo().with_sales(|ledger| {
                    compute(
                        &Signals::gather_with(list, Cow::Borrowed(ledger)),
                        &settings,
                        today,
                    )
                })
            })
        })
    });
    let matrix = Memo::new(move |_| report.with(|r| r.0.clone()));
    let dots = Signal::derive(move || {
        let chosen = chosen.get();
        matrix.with(|m| {
            m.standings
                .iter()
                .filter_map(|s| {
                    Some(Dot {
                        x: s.loyalty.score() as f64,
                        y: s.satisfaction? as f64,
                        marked: chosen.is_some_and(|c| s.group.map(Group::code) == Some(c)),
                    })
                })
                .collect()
        })
    });
    let cell_text = move |g: Group| {
        (
            group_name(lang.get(), g.code()),
            matrix.with(|m| m.counts[g as usize]),
        )
    };
    let cells = Signal::derive(move || {
        [
            cell_text(Group::Dangerous),
            cell_text(Group::Captive),
            cell_text(Group::Mercenary),
            cell_text(Group::Advocate),
        ]
    });
    // The cells as buttons, laid out like the chart: satisfied on top, loyal on the right.
    let cell_button = move |code: &'static str| {
        let count = move || {
            matrix.with(|m| match Group::from_code(code) {
                Some(g) => m.counts[g as usize],
                None => m.no_data,
            })
        };
        view! {
            <button
                type="button"
                class="button"
                data-group=code
                aria-pressed=move || (chosen.get() == Some(code)).to_string()
                on:click=move |_| chosen.update(|c| *c = if *c == Some(code) { None } else { Some(code) })
            >
                <span class="count">{count}</span>
                {move || group_name(lang.get(), code)}
            </button>
        }
    };
    let members = move || {
        let Some(code) = chosen.get() else {
            return ().into_any();
        };
        let lang = lang.get();
        let rows = matrix.with(|m| {
            m.standings
                .iter()
                .filter(|s| s.group.map_or(NO_DATA, Group::code) == code)
                .take(SHOWN)
                .map(|s| {
                    view! {
                        <tr data-account=s.account.clone()>
                            <td>{account_link(&s.account)}</td>
                            <td class="num">{s.satisfaction.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td class="num">{s.loyalty.score()}</td>
                            <td class="num">{s.opinions}</td>
                        </tr>
                    }
                })
                .collect_view()
        });
        let segment_name = format!(
            "{} — {}",
            group_name(lang, code),
            crate::ui::widgets::format::today()
        );
        let href = format!(
            "/segments/new?loyalty_group={code}&name={}",
            js_sys::encode_uri_component(&segment_name)
        );
        view! {
            <section class="group-members" id="matrix-members" data-group=code>
                <h2>{word(lang, Key::UiAccountsInGroup)} ": " {group_name(lang, code)}</h2>
                <A href=href attr:class="button primary" attr:id="make-segment">{word(lang, Key::UiMakeSegment)}</A>
                <table class="lines">
                    <thead>
                        <tr>
                            <th scope="col">{word(lang, Key::KindAccount)}</th>
                            <th scope="col" class="num">{word(lang, Key::UiSatisfaction)}</th>
                            <th scope="col" class="num">{word(lang, Key::UiLoyaltyAxis)}</th>
                            <th scope="col" class="num">"#"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
        .into_any()
    };
    // Every customer with their group and retention figures, for a spreadsheet.
    let export_customers = Callback::new(move |()| {
        let lang = lang.get_untracked();
        let w = |key| word(lang, key);
        let mut table = Table::new(
            w(Key::UiCustomersReport),
            [
                w(Key::KindAccount),
                w(Key::UiLoyaltyGroup),
                w(Key::UiSatisfaction),
                w(Key::UiLoyaltyAxis),
                w(Key::UiOpinions),
                w(Key::UiLastSale),
                w(Key::UiUsualInterval),
                w(Key::UiDaysSinceLast),
                w(Key::UiRetentionState),
                w(Key::UiGrossMargin),
            ],
        );
        report.with_untracked(|(matrix, retention)| {
            let by_account: std::collections::HashMap<&str, &Retention> =
                retention.iter().map(|r| (r.account.as_str(), r)).collect();
            for s in &matrix.standings {
                let r = by_account.get(s.account.as_str());
                let state = r.and_then(|r| {
                    if r.silent {
                        Some("silent")
                    } else {
                        r.at_risk.then_some("at_risk")
                    }
                });
                table.push(vec![
                    title_of_id(&s.account).into(),
                    group_name(lang, s.group.map_or(NO_DATA, Group::code)).into(),
                    s.satisfaction.map_or(Cell::Empty, Cell::Integer),
                    s.loyalty.score().into(),
                    s.opinions.into(),
                    r.map_or(Cell::Empty, |r| Cell::date(&r.last)),
                    r.and_then(|r| r.usual_interval)
                        .map_or(Cell::Empty, Cell::Integer),
                    r.map_or(Cell::Empty, |r| Cell::Integer(r.days_since_last)),
                    state
                        .map(|code| crate::i18n::word_for(lang, &format!("retention.{code}")))
                        .unwrap_or_default()
                        .into(),
                    r.map_or(Cell::Empty, |r| Cell::Decimal(r.margin)),
                ]);
            }
        });
        table
    });
    let admin = me().role.administers();
    let save = move |_| {
        let analytics = settings.get_untracked();
        note.set(None);
        run_step(failure, async move {
            let mut current = repo().service().get_untracked();
            current.analytics = analytics;
            repo().set_service(&current).await?;
            note.set(Some(Key::UiThresholdsSaved));
            Ok(())
        });
    };
    let at_risk = move || {
        let lang = lang.get();
        report.with(|(_, list)| {
            let rows: Vec<_> = list.iter().filter(|r| r.at_risk && !r.silent).take(SHOWN).cloned().collect();
            if rows.is_empty() {
                return view! { <p class="empty">{word(lang, Key::UiNoneYet)}</p> }.into_any();
            }
            view! {
                <table class="lines" id="at-risk">
                    <thead>
                        <tr>
                            <th scope="col">{word(lang, Key::KindAccount)}</th>
                            <th scope="col">{word(lang, Key::UiLastSale)}</th>
                            <th scope="col" class="num">{word(lang, Key::UiUsualInterval)}</th>
                            <th scope="col" class="num">{word(lang, Key::UiDaysSinceLast)}</th>
                            <th scope="col" class="num">{word(lang, Key::UiGrossMargin)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr data-account=r.account.clone()>
                                <td>{account_link(&r.account)}</td>
                                <td>{format_date(lang, &r.last)}</td>
                                <td class="num">{r.usual_interval.map(|d| d.to_string()).unwrap_or_default()}</td>
                                <td class="num">{r.days_since_last}</td>
                                <td class="num">{format_tr(r.margin, Currency::Try)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        })
    };
    let silent = move || {
        let lang = lang.get();
        report.with(|(_, list)| {
            let rows: Vec<_> = list
                .iter()
                .filter(|r| r.silent)
                .take(SHOWN)
                .cloned()
                .collect();
            if rows.is_empty() {
                return view! { <p class="empty">{word(lang, Key::UiNoneYet)}</p> }.into_any();
            }
            view! {
                <ul class="cards compact" id="silent">
                    {rows.into_iter().map(|r| {
                        let account = r.account.clone();
                        view! {
                            <li class="card" data-account=r.account.clone()>
                                {account_link(&r.account)}
                                <span class="muted">" · " {format_date(lang, &r.last)}</span>
                                <button
                                    type="button"
                                    class="button mark-former"
                                    on:click=move |_| {
                                        let Ok(id) = account.parse::<DocumentId>() else { return };
                                        note.set(None);
                                        run_step(failure, async move {
                                            mark_former(id).await?;
                                            note.set(Some(Key::UiMarkedFormer));
                                            Ok(())
                                        });
                                    }
                                >
                                    {word(lang, Key::UiMarkFormer)}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })
    };
    view! {
        <section class="page report" id="customers-report">
            <h1>{tr(Key::UiCustomersReport)}</h1>
            <p class="hint">{tr(Key::UiMatrixHint)}</p>
            <div class="form report-controls">
                {threshold_input("satisfied-from", Key::UiSatisfiedFrom, satisfied_from, 1, 100, "1", 1)}
                {threshold_input("loyal-from", Key::UiLoyalFrom, loyal_from, 1, 100, "1", 1)}
                {threshold_input("matrix-months", Key::UiMatrixMonths, months, 1, 60, "1", 1)}
                {threshold_input("at-risk-factor", Key::UiAtRiskFactor, factor, 10, 100, "0.1", 10)}
                {threshold_input("silent-days", Key::UiSilentDays, silent_days, 30, 3650, "1", 1)}
                <Show when=move || admin>
                    <button type="button" class="button" id="save-thresholds" on:click=save>
                        {tr(Key::UiSaveThresholds)}
                    </button>
                </Show>
            </div>
            <ErrorLine failure=failure />
            <Show when=move || note.get().is_some()>
                <p class="banner" role="status" id="report-note">{move || note.get().map(|k| word(lang.get(), k)).unwrap_or_default()}</p>
            </Show>
            <MatrixChart
                id="loyalty-matrix"
                title=Signal::derive(move || word(lang.get(), Key::UiMatrixTitle))
                x_label=Signal::derive(move || word(lang.get(), Key::UiLoyaltyAxis))
                y_label=Signal::derive(move || word(lang.get(), Key::UiSatisfaction))
                x_cut=Signal::derive(move || loyal_from.get())
                y_cut=Signal::derive(move || satisfied_from.get())
                cells=cells
                cell_label=Signal::derive(move || word(lang.get(), Key::UiLoyaltyGroup))
                count_label=Signal::derive(move || word(lang.get(), Key::UiCount))
                dots=dots
            />
            <ExportButtons
                id="customers-export"
                file=Signal::derive(move || word(lang.get(), Key::UiCustomersReport))
                table=export_customers
            />
            <div class="matrix-cells" id="matrix-cells">
                {cell_button("mercenary")}
                {cell_button("advocate")}
                {cell_button("dangerous")}
                {cell_button("captive")}
            </div>
            <Show when=move || matrix.with(|m| m.no_data > 0)>
                <p class="hint" id="no-satisfaction-data">
                    {move || Fmt::UiNoSatisfactionData.format(lang.get(), &[("count", matrix.with(|m| m.no_data).into())])}
                    " "
                    <button type="button" class="link" data-group=NO_DATA on:click=move |_| chosen.set(Some(NO_DATA))>
                        {move || word(lang.get(), Key::UiAccountsInGroup)}
                    </button>
                </p>
            </Show>
            {members}
            <h2>{tr(Key::UiRetentionTitle)}</h2>
            <p class="hint">{tr(Key::UiRetentionHint)}</p>
            {at_risk}
            <h2>{tr(Key::UiSilentTitle)}</h2>
            <p class="hint">{tr(Key::UiSilentHint)}</p>
            {silent}
        </section>
    }
}

/// Marks account `id` a former customer by editing its customer type, so the change is
/// written to its lifecycle log with when and who.
async fn mark_former(id: DocumentId) -> Result<(), RepoError> {
    let record = repo().record(id).ok_or(RepoError::Workflow(
        saha_core::record::WorkflowRefusal::NotARecord,
    ))?;
    let mut form = record.form();
    form.set(
        saha_core::parties::account::field::TYPE.name,
        saha_core::parties::account::CustomerType::Former.code(),
    );
    repo().edit(id, &form).await
}
