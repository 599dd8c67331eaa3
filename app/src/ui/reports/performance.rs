//! Team performance: how each rep and team is doing in a period — won revenue against
//! the goal, win rate, sales cycle, weighted pipeline, stage conversion, calls per
//! working day, case response and resolution times, the NPS trend
//! ([`saha_core::analytics::performance`], definitions on the page). Computed on the
//! device over the records the member may see, counting for a rep or manager only their
//! teams' records and their own ([`Audience`]); owners and admins read the workspace and
//! set each rep's monthly goal here.

use leptos::prelude::*;
use rust_decimal::Decimal;
use saha_core::analytics::performance::{
    Audience, Context, Figures, PERIODS, Performance, Period, PeriodError, SalesGoal, compute,
};
use saha_core::export::{Cell, Table};
use saha_core::sales::money::{Currency, format_tr};

use crate::client::timed;
use crate::i18n::{Key, Lang};
use crate::ui::widgets::chart::{BarChart, LineChart, StackedBarChart};
use crate::ui::widgets::export::ExportButtons;
use crate::ui::widgets::feedback::{ErrorLine, run_step};
use crate::ui::widgets::format::{clock, decimal_text, percent, workspace_zone};
use crate::ui::widgets::links::{person_name, team_name};
use crate::ui::{me, repo, tr, use_lang, word};

const HOUR_MS: i64 = 3_600_000;

fn hours(ms: Option<i64>) -> String {
    ms.map(|ms| format!("{:.1}", ms as f64 / HOUR_MS as f64))
        .unwrap_or_else(|| "—".into())
}

fn try_money(amount: Decimal) -> String {
    format_tr(amount, Currency::Try)
}

fn goal_text(lang: Lang, f: &Figures) -> String {
    match (f.goal, f.goal_percent()) {
        (Some(goal), Some(p)) => format!(
            "{} ({})",
            try_money(goal),
            percent(lang, decimal_text(lang, p))
        ),
        _ => "—".into(),
    }
}

fn win_rate(lang: Lang, f: &Figures) -> String {
    f.win_rate_percent()
        .map(|p| percent(lang, p))
        .unwrap_or_else(|| "—".into())
}

fn per_day(calls: usize, days: i64) -> String {
    if days <= 0 {
        return "—".into();
    }
    format!("{:.1}", calls as f64 / days as f64)
}

fn period_word(code: &str) -> Key {
    match code {
        "last_month" => Key::UiPeriodLastMonth,
        "quarter" => Key::UiPeriodThisQuarter,
        "year" => Key::UiPeriodThisYear,
        CUSTOM => Key::UiPeriodCustom,
        _ => Key::UiPeriodThisMonth,
    }
}

/// The period selector's code for a range of days the user picks.
const CUSTOM: &str = "custom";

fn period_problem(error: PeriodError) -> Key {
    match error {
        PeriodError::NotADate => Key::ProblemInvalidDate,
        PeriodError::EndsBeforeItStarts => Key::UiPeriodEndsBeforeStart,
        PeriodError::TooLong => Key::UiPeriodTooLong,
    }
}

/// A figure as a spreadsheet cell: the hours of a duration in milliseconds.
fn hours_cell(ms: Option<i64>) -> Cell {
    ms.map_or(Cell::Empty, |ms| {
        Cell::Float((ms as f64 / HOUR_MS as f64 * 10.0).round() / 10.0)
    })
}

/// The rep and team tables as one: a kind column, then the figures as numbers.
fn figures_table(lang: Lang, r: &Performance) -> Table {
    let w = |key| word(lang, key);
    let mut table = Table::new(
        w(Key::UiPerformanceReport),
        [
            w(Key::UiRep),
            w(Key::FieldTeam),
            w(Key::UiWonRevenue),
            w(Key::UiGoal),
            format!("{} %", w(Key::UiGoal)),
            crate::ui::widgets::links::stage_name(lang, "won"),
            crate::ui::widgets::links::stage_name(lang, "lost"),
            format!("{} %", w(Key::UiWinRate)),
            w(Key::UiSalesCycle),
            w(Key::UiWeightedPipeline),
            w(Key::UiCalls),
            w(Key::UiCallsPerDay),
            w(Key::UiFirstResponseHours),
            w(Key::UiResolutionHours),
            w(Key::UiPeriodFrom),
            w(Key::UiPeriodTo),
        ],
    );
    let row = |rep: String, team: String, f: &Figures| {
        vec![
            rep.into(),
            team.into(),
            f.won_revenue.into(),
            f.goal.into(),
            f.goal_percent().into(),
            f.won.into(),
            f.lost.into(),
            f.win_rate_percent().map_or(Cell::Empty, Cell::from),
            f.median_cycle_days.map_or(Cell::Empty, Cell::Integer),
            f.weighted_pipeline.into(),
            f.calls.into(),
            if r.working_days > 0 {
                Cell::Float((f.calls as f64 / r.working_days as f64 * 10.0).round() / 10.0)
            } else {
                Cell::Empty
            },
            hours_cell(f.median_first_response_ms),
            hours_cell(f.median_resolution_ms),
            Cell::Date(r.period.from),
            Cell::Date(r.period.to),
        ]
    };
    for (id, f) in r.reps.iter().filter(|(id, _)| !id.is_empty()) {
        let name = Some(person_name(id))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.clone());
        table.push(row(name, String::new(), f));
    }
    for (id, f) in &r.teams {
        let name = if id.is_empty() {
            w(Key::UiNoTeam)
        } else {
            Some(team_name(id))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.clone())
        };
        table.push(row(String::new(), name, f));
    }
    table.push(row(w(Key::UiAll), w(Key::UiAll), &r.total));
    table
}

/// Stage conversion as a table.
fn stages_table(lang: Lang, r: &Performance) -> Table {
    let w = |key| word(lang, key);
    let mut table = Table::new(
        w(Key::UiStageConversion),
        [
            w(Key::FieldStage),
            w(Key::UiEntered),
            w(Key::UiMovedOn),
            "%".to_owned(),
        ],
    );
    for s in &r.stages {
        table.push(vec![
            crate::ui::widgets::links::stage_name(lang, &s.stage).into(),
            s.entered.into(),
            s.moved_on.into(),
            (s.moved_on * 100)
                .checked_div(s.entered)
                .map_or(Cell::Empty, Cell::from),
        ]);
    }
    table
}

/// The NPS trend as a table.
fn nps_table(lang: Lang, r: &Performance) -> Table {
    let w = |key| word(lang, key);
    let mut table = Table::new(
        w(Key::UiNpsTrend),
        [w(Key::UiMonth), "NPS".to_owned(), w(Key::UiAnswers)],
    );
    for m in &r.nps {
        table.push(vec![
            m.month.as_str().into(),
            m.nps.map_or(Cell::Empty, Cell::Integer),
            m.answers.into(),
        ]);
    }
    table
}

/// One row of the rep or team table.
fn figures_row(
    lang: Lang,
    name: String,
    key: String,
    f: &Figures,
    days: i64,
) -> impl IntoView + use<> {
    view! {
        <tr data-key=key>
            <th scope="row">{name}</th>
            <td class="num won">{try_money(f.won_revenue)}</td>
            <td class="num goal">{goal_text(lang, f)}</td>
            <td class="num">{format!("{} / {}", f.won, f.lost)}</td>
            <td class="num win-rate">{win_rate(lang, f)}</td>
            <td class="num">{f.median_cycle_days.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
            <td class="num">{try_money(f.weighted_pipeline)}</td>
            <td class="num calls">{per_day(f.calls, days)}</td>
            <td class="num">{hours(f.median_first_response_ms)}</td>
            <td class="num">{hours(f.median_resolution_ms)}</td>
        </tr>
    }
}

fn table_head(lang: Lang, first: Key) -> impl IntoView {
    view! {
        <thead>
            <tr>
                <th scope="col">{word(lang, first)}</th>
                <th scope="col" class="num">{word(lang, Key::UiWonRevenue)}</th>
                <th scope="col" class="num">{word(lang, Key::UiGoal)}</th>
                <th scope="col" class="num">{word(lang, Key::UiWonLost)}</th>
                <th scope="col" class="num">{word(lang, Key::UiWinRate)}</th>
                <th scope="col" class="num">{word(lang, Key::UiSalesCycle)}</th>
                <th scope="col" class="num">{word(lang, Key::UiWeightedPipeline)}</th>
                <th scope="col" class="num">{word(lang, Key::UiCallsPerDay)}</th>
                <th scope="col" class="num">{word(lang, Key::UiFirstResponseHours)}</th>
                <th scope="col" class="num">{word(lang, Key::UiResolutionHours)}</th>
            </tr>
        </thead>
    }
}

#[component]
pub fn PerformancePage() -> impl IntoView {
    let lang = use_lang();
    let now = clock(600);
    let period_code = RwSignal::new("month".to_owned());
    // The custom range, starting as this month.
    let this_month = Period::named("month", workspace_zone().local(now.get_untracked()).date);
    let custom_from = RwSignal::new(this_month.map(|p| p.from.to_string()).unwrap_or_default());
    let custom_to = RwSignal::new(this_month.map(|p| p.to.to_string()).unwrap_or_default());
    let custom = Memo::new(move |_| Period::custom(&custom_from.get(), &custom_to.get()));
    let audience = {
        let me = me();
        Audience::of(&me.user_id, me.role, &me.teams)
    };
    let report = Memo::new(move |previous: Option<&Performance>| {
        let today = workspace_zone().local(now.get()).date;
        let code = period_code.get();
        let fallback = Period {
            from: today,
            to: today,
        };
        // A custom range that does not hold keeps the last good one on screen.
        let period = if code == CUSTOM {
            match custom.get() {
                Ok(p) => p,
                Err(_) => previous.map(|r: &Performance| r.period).unwrap_or(fallback),
            }
        } else {
            Period::named(&code, today).unwrap_or(fallback)
        };
        let pipeline = repo().pipeline().get();
        let (sla, calendar, zone, goals) = repo().service().with(|s| {
            (
                s.sla.clone(),
                s.calendar(),
                s.zone(),
                s.analytics.goals.clone(),
            )
        });
        timed("performance", || {
            repo().with_record_list(|list| {
                compute(
                    list,
                    &Context {
                        period,
                        today,
                        now_ms: now.get(),
                        zone,
                        pipeline: &pipeline,
                        goals: &goals,
                        sla: &sla,
                        calendar: &calendar,
                        audience: &audience,
                    },
                )
            })
        })
    });
    let kpis = move || {
        let lang = lang.get();
        report.with(|r: &Performance| {
            let t = &r.total;
            view! {
                <dl class="facts kpis" id="performance-figures">
                    <dt>{word(lang, Key::UiWonRevenue)}</dt>
                    <dd data-figure="won_revenue">{try_money(t.won_revenue)}</dd>
                    <dt>{word(lang, Key::UiGoal)}</dt>
                    <dd data-figure="goal">{goal_text(lang, t)}</dd>
                    <dt>{word(lang, Key::UiWinRate)}</dt>
                    <dd data-figure="win_rate">{win_rate(lang, t)}</dd>
                    <dt>{word(lang, Key::UiSalesCycle)}</dt>
                    <dd data-figure="sales_cycle">{t.median_cycle_days.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{word(lang, Key::UiWeightedPipeline)}</dt>
                    <dd data-figure="weighted_pipeline">{try_money(t.weighted_pipeline)}</dd>
                    <dt>{word(lang, Key::UiCallsPerDay)}</dt>
                    <dd data-figure="calls_per_day">{per_day(t.calls, r.working_days)}</dd>
                    <dt>{word(lang, Key::UiFirstResponseHours)}</dt>
                    <dd data-figure="first_response">{hours(t.median_first_response_ms)}</dd>
                    <dt>{word(lang, Key::UiResolutionHours)}</dt>
                    <dd data-figure="resolution">{hours(t.median_resolution_ms)}</dd>
                </dl>
            }
        })
    };
    let bars = Signal::derive(move || {
        report.with(|r| {
            r.reps
                .iter()
                .filter(|(id, f)| !id.is_empty() && (f.won > 0 || f.goal.is_some()))
                .map(|(id, f)| {
                    let name = Some(person_name(id))
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| id.clone());
                    let value =
                        rust_decimal::prelude::ToPrimitive::to_f64(&f.won_revenue).unwrap_or(0.0);
                    (name, value, false)
                })
                .collect()
        })
    });
    let rep_rows = move || {
        let lang = lang.get();
        report.with(|r| {
            r.reps
                .iter()
                .filter(|(id, _)| !id.is_empty())
                .map(|(id, f)| {
                    let name = Some(person_name(id))
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| id.clone());
                    figures_row(lang, name, id.clone(), f, r.working_days)
                })
                .collect_view()
        })
    };
    let team_rows = move || {
        let lang = lang.get();
        report.with(|r| {
            r.teams
                .iter()
                .map(|(id, f)| {
                    let name = if id.is_empty() {
                        word(lang, Key::UiNoTeam)
                    } else {
                        Some(team_name(id))
                            .filter(|n| !n.is_empty())
                            .unwrap_or_else(|| id.clone())
                    };
                    figures_row(lang, name, id.clone(), f, r.working_days)
                })
                .collect_view()
        })
    };
    let stage_rows = move || {
        let lang = lang.get();
        report.with(|r| {
            r.stages
                .iter()
                .map(|s| {
                    let rate = (s.moved_on * 100)
                        .checked_div(s.entered)
                        .map_or_else(|| "—".into(), |p| percent(lang, p));
                    view! {
                        <tr data-stage=s.stage.clone()>
                            <th scope="row">{crate::ui::widgets::links::stage_name(lang, &s.stage)}</th>
                            <td class="num entered">{s.entered}</td>
                            <td class="num moved">{s.moved_on}</td>
                            <td class="num">{rate}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let nps_rows = move || {
        report.with(|r| {
            r.nps
                .iter()
                .map(|m| view! {
                    <tr data-month=m.month.clone()>
                        <th scope="row">{m.month.clone()}</th>
                        <td class="num nps">{m.nps.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td class="num">{m.answers}</td>
                    </tr>
                })
                .collect_view()
        })
    };
    view! {
        <section class="page report" id="performance-report">
            <h1>{tr(Key::UiPerformanceReport)}</h1>
            <div class="field">
                <label for="performance-period">{tr(Key::UiReportPeriod)}</label>
                <select
                    id="performance-period"
                    prop:value=move || period_code.get()
                    on:change=move |ev| period_code.set(event_target_value(&ev))
                >
                    {PERIODS
                        .iter()
                        .chain([&CUSTOM])
                        .map(|code| view! { <option value=*code selected=*code == "month">{tr(period_word(code))}</option> })
                        .collect_view()}
                </select>
                <Show when=move || period_code.get() == CUSTOM>
                    <div class="form report-controls" id="custom-period">
                        <div class="field">
                            <label for="period-from">{tr(Key::UiPeriodFrom)}</label>
                            <input
                                id="period-from"
                                type="date"
                                prop:value=move || custom_from.get()
                                on:change=move |ev| custom_from.set(event_target_value(&ev))
                            />
                        </div>
                        <div class="field">
                            <label for="period-to">{tr(Key::UiPeriodTo)}</label>
                            <input
                                id="period-to"
                                type="date"
                                prop:value=move || custom_to.get()
                                on:change=move |ev| custom_to.set(event_target_value(&ev))
                            />
                        </div>
                    </div>
                    {move || custom.get().err().map(|e| view! {
                        <p class="error" role="alert" id="period-problem">{word(lang.get(), period_problem(e))}</p>
                    })}
                </Show>
                <p class="hint" id="performance-dates">
                    {move || report.with(|r| format!("{} – {}", r.period.from, r.period.to))}
                </p>
            </div>
            // One panel per screen on a phone; on a tablet or wider, a dashboard: the
            // figures beside the chart of won revenue, stage conversion beside the NPS
            // trend, the rep and team tables across.
            <div class="dashboard" id="performance-dashboard">
                <div class="panel" id="performance-kpis">
                    {kpis}
                    <ExportButtons
                        id="performance-export"
                        file=Signal::derive(move || word(lang.get(), Key::UiPerformanceReport))
                        table=Callback::new(move |()| report.with_untracked(|r| figures_table(lang.get_untracked(), r)))
                    />
                </div>
                <div class="panel">
                    <BarChart
                        id="won-by-rep"
                        title=Signal::derive(move || word(lang.get(), Key::UiWonByRep))
                        x_label=Signal::derive(move || word(lang.get(), Key::UiRep))
                        y_label=Signal::derive(move || word(lang.get(), Key::UiWonRevenue))
                        bars=bars
                    />
                </div>
                <div class="panel wide">
                    <h2>{tr(Key::UiByRep)}</h2>
                    <div class="table-scroll">
                        <table class="lines" id="performance-reps" tabindex="0">
                            {move || table_head(lang.get(), Key::UiRep)}
                            <tbody>{rep_rows}</tbody>
                        </table>
                    </div>
                    <h2>{tr(Key::UiByTeam)}</h2>
                    <div class="table-scroll">
                        <table class="lines" id="performance-teams" tabindex="0">
                            {move || table_head(lang.get(), Key::FieldTeam)}
                            <tbody>{team_rows}</tbody>
                        </table>
                    </div>
                </div>
                <div class="panel">
                    <h2>{tr(Key::UiStageConversion)}</h2>
                    <StackedBarChart
                        id="stage-chart"
                        title=Signal::derive(move || word(lang.get(), Key::UiStageConversion))
                        x_label=Signal::derive(move || word(lang.get(), Key::FieldStage))
                        y_label=Signal::derive(move || word(lang.get(), Key::UiEntered))
                        series=Signal::derive(move || vec![word(lang.get(), Key::UiMovedOn), word(lang.get(), Key::UiNotMovedOn)])
                        bars=Signal::derive(move || {
                            let lang = lang.get();
                            report.with(|r| {
                                r.stages
                                    .iter()
                                    .map(|s| {
                                        (
                                            crate::ui::widgets::links::stage_name(lang, &s.stage),
                                            vec![s.moved_on as f64, s.entered.saturating_sub(s.moved_on) as f64],
                                        )
                                    })
                                    .collect()
                            })
                        })
                    />
                    <table class="lines" id="stage-conversion">
                        <thead>
                            <tr>
                                <th scope="col">{tr(Key::FieldStage)}</th>
                                <th scope="col" class="num">{tr(Key::UiEntered)}</th>
                                <th scope="col" class="num">{tr(Key::UiMovedOn)}</th>
                                <th scope="col" class="num">"%"</th>
                            </tr>
                        </thead>
                        <tbody>{stage_rows}</tbody>
                    </table>
                    <ExportButtons
                        id="stages-export"
                        file=Signal::derive(move || word(lang.get(), Key::UiStageConversion))
                        table=Callback::new(move |()| report.with_untracked(|r| stages_table(lang.get_untracked(), r)))
                    />
                </div>
                <div class="panel">
                    <h2>{tr(Key::UiNpsTrend)}</h2>
                    <LineChart
                        id="nps-chart"
                        title=Signal::derive(move || word(lang.get(), Key::UiNpsTrend))
                        x_label=Signal::derive(move || word(lang.get(), Key::UiMonth))
                        y_label=Signal::derive(|| "NPS".to_owned())
                        low=-100.0
                        high=100.0
                        points=Signal::derive(move || {
                            report.with(|r| r.nps.iter().map(|m| (m.month.clone(), m.nps.map(|n| n as f64))).collect())
                        })
                    />
                    <table class="lines" id="nps-trend">
                        <thead>
                            <tr>
                                <th scope="col">{tr(Key::UiMonth)}</th>
                                <th scope="col" class="num">"NPS"</th>
                                <th scope="col" class="num">{tr(Key::UiAnswers)}</th>
                            </tr>
                        </thead>
                        <tbody>{nps_rows}</tbody>
                    </table>
                    <ExportButtons
                        id="nps-export"
                        file=Signal::derive(move || word(lang.get(), Key::UiNpsTrend))
                        table=Callback::new(move |()| report.with_untracked(|r| nps_table(lang.get_untracked(), r)))
                    />
                </div>
            </div>
            <details class="definitions">
                <summary>{tr(Key::UiDefinitions)}</summary>
                <p class="hint">{tr(Key::UiPerformanceHint)}</p>
            </details>
            <Show when=move || me().role.administers()>
                <GoalsEditor period=Signal::derive(move || report.with(|r| r.period)) />
            </Show>
        </section>
    }
}

/// Each member's goal for the first month of the period (admins).
#[component]
fn GoalsEditor(period: Signal<Period>) -> impl IntoView {
    let lang = use_lang();
    let failure = RwSignal::new(Option::<String>::None);
    let saved = RwSignal::new(false);
    let month = Memo::new(move |_| {
        let p = period.get();
        format!("{:04}-{:02}", p.from.year, p.from.month)
    });
    let people = me().people.clone();
    let inputs: Vec<(String, String, RwSignal<String>)> = people
        .iter()
        .map(|p| (p.id.clone(), p.name.clone(), RwSignal::new(String::new())))
        .collect();
    // Fill the inputs from the settings whenever the month changes.
    let fill = inputs.clone();
    Effect::new(move |_| {
        let month = month.get();
        let goals = repo().service().with(|s| s.analytics.goals.clone());
        for (id, _, value) in &fill {
            let amount = goals
                .iter()
                .find(|g| g.member == *id && g.month == month)
                .map(|g| g.amount.clone())
                .unwrap_or_default();
            value.set(amount);
        }
    });
    let to_save = inputs.clone();
    let save = move |_| {
        let month = month.get_untracked();
        let mut mine: Vec<SalesGoal> = Vec::new();
        for (id, name, value) in &to_save {
            match saha_core::text::validate::decimal(&value.get_untracked()) {
                Ok(Some(amount)) => mine.push(SalesGoal {
                    member: id.clone(),
                    month: month.clone(),
                    amount: amount.to_string(),
                }),
                Ok(None) => {}
                Err(_) => {
                    let why = word(lang.get_untracked(), Key::ProblemInvalidNumber);
                    failure.set(Some(format!("{name}: {why}")));
                    return;
                }
            }
        }
        saved.set(false);
        run_step(failure, async move {
            let mut settings = repo().service().get_untracked();
            settings.analytics.goals.retain(|g| g.month != month);
            settings.analytics.goals.extend(mine);
            repo().set_service(&settings).await?;
            saved.set(true);
            Ok(())
        });
    };
    view! {
        <section class="goals" id="goals-editor">
            <h2>{move || format!("{} — {}", word(lang.get(), Key::UiGoals), month.get())}</h2>
            <div class="form">
                {inputs
                    .into_iter()
                    .map(|(id, name, value)| {
                        let input_id = format!("goal-{id}");
                        view! {
                            <div class="field">
                                <label for=input_id.clone()>{name}</label>
                                <input
                                    id=input_id
                                    type="text"
                                    inputmode="decimal"
                                    prop:value=move || value.get()
                                    on:input=move |ev| value.set(event_target_value(&ev))
                                />
                            </div>
                        }
                    })
                    .collect_view()}
                <button type="button" class="button primary" id="save-goals" on:click=save>
                    {tr(Key::UiSaveGoals)}
                </button>
            </div>
            <ErrorLine failure=failure />
            <Show when=move || saved.get()>
                <p class="banner" role="status" id="goals-saved">{tr(Key::UiGoalsSaved)}</p>
            </Show>
        </section>
    }
}
