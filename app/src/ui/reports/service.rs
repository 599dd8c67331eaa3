//! The service report: SLA compliance, handling times and satisfaction.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use saha_core::export::{Cell, Table};
use saha_core::kinds::Record;

use crate::ui::{
    repo, use_lang,
    widgets::{
        export::ExportButtons,
        format::{clock, span_text, workspace_zone},
        links::person_name,
    },
    word,
};

/// First-response and resolution times, SLA breach rate, open cases by age, and calls
/// per agent per day over the last week.
#[component]
pub fn ServiceReport() -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let now = clock(60);
    let figures = Memo::new(move |_| {
        let service = repo().service().get();
        records.with(|all| {
            let cases = all.values().filter_map(|v| match &v.record {
                Record::Case(c) => Some(c),
                _ => None,
            });
            saha_core::views::service_report::cases(
                cases,
                &service.sla,
                &service.calendar(),
                now.get(),
            )
        })
    });
    let calls = Memo::new(move |_| {
        let since = workspace_zone().local(now.get()).date.add_days(-6);
        records.with(|all| {
            let calls = all.values().filter_map(|v| match &v.record {
                Record::Call(c) => Some(c),
                _ => None,
            });
            saha_core::views::service_report::calls_per_agent_day(calls, since)
                .into_iter()
                .collect::<Vec<_>>()
        })
    });
    // Calls per agent and day as a spreadsheet (durations in seconds, to add up).
    let export_calls = Callback::new(move |()| {
        let lang = lang.get_untracked();
        let w = |key| word(lang, key);
        let mut table = Table::new(
            w(Key::ReportCalls),
            [
                w(Key::FieldOwner),
                w(Key::ReportDay),
                w(Key::KindsCall),
                w(Key::OutcomeReached),
                format!("{} (s)", w(Key::ReportTotalTime)),
                format!("{} (s)", w(Key::ReportMeanTime)),
            ],
        );
        for ((agent, day), d) in calls.get_untracked() {
            table.push(vec![
                person_name(&agent).into(),
                Cell::Date(day),
                d.calls.into(),
                d.reached.into(),
                Cell::Integer(d.total_seconds),
                Cell::Integer(d.mean_seconds()),
            ]);
        }
        table
    });
    // Open cases by age as a spreadsheet.
    let export_ages = Callback::new(move |()| {
        let lang = lang.get_untracked();
        let mut table = Table::new(
            word(lang, Key::ReportOpenByAge),
            [
                word(lang, Key::ReportAgeBucket),
                word(lang, Key::ReportOpen),
            ],
        );
        let open = figures.with_untracked(|f| f.open_by_age);
        for (bucket, count) in saha_core::views::service_report::AGE_BUCKETS
            .iter()
            .zip(open)
        {
            table.push(vec![
                word_for(lang, &format!("report.age.{bucket}")).into(),
                count.into(),
            ]);
        }
        table
    });
    let hours = move |ms: Option<i64>| {
        ms.map(|ms| span_text(lang.get(), ms))
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <section class="page report">
            <h1>{move || word(lang.get(), Key::UiServiceReport)}</h1>
            <dl class="facts" id="service-figures">
                <dt>{move || word(lang.get(), Key::ReportCases)}</dt>
                <dd data-figure="total">{move || figures.get().total}</dd>
                <dt>{move || word(lang.get(), Key::ReportOpen)}</dt>
                <dd data-figure="open">{move || figures.get().open}</dd>
                <dt>{move || word(lang.get(), Key::ReportFirstResponse)}</dt>
                <dd data-figure="first_response">{move || hours(figures.get().mean_first_response_ms)}</dd>
                <dt>{move || word(lang.get(), Key::ReportResolution)}</dt>
                <dd data-figure="resolution">{move || hours(figures.get().mean_resolution_ms)}</dd>
                <dt>{move || word(lang.get(), Key::ReportBreachRate)}</dt>
                <dd data-figure="breach_rate">
                    {move || figures.get().breach_rate_percent().map(|p| format!("%{p}")).unwrap_or_else(|| "—".into())}
                </dd>
                <dt>{move || word(lang.get(), Key::ReportNps)}</dt>
                <dd data-figure="nps">
                    {move || {
                        records.with(|all| {
                            let campaigns = all.values().filter_map(|v| match &v.record {
                                Record::Campaign(c) => Some(c),
                                _ => None,
                            });
                            let nps = saha_core::views::survey_report::totals(campaigns, "nps");
                            nps.nps
                                .map(|score| format!("{score} ({})", nps.answered))
                                .unwrap_or_else(|| "—".into())
                        })
                    }}
                </dd>
                <dt>{move || word(lang.get(), Key::ReportSatisfaction)}</dt>
                <dd data-figure="satisfaction">
                    // Cases rated by agents and CSAT answers from customers.
                    {move || {
                        records.with(|all| {
                            let cases = all.values().filter_map(|v| match &v.record {
                                Record::Case(c) => Some(c),
                                _ => None,
                            });
                            let campaigns = all.values().filter_map(|v| match &v.record {
                                Record::Campaign(c) => Some(c),
                                _ => None,
                            });
                            saha_core::views::survey_report::satisfaction(cases, campaigns)
                                .map(|(r, n)| format!("{} ({n})", crate::ui::widgets::format::score_x100(lang.get(), r)))
                                .unwrap_or_else(|| "—".into())
                        })
                    }}
                </dd>
            </dl>
            <h2>{move || word(lang.get(), Key::ReportOpenByAge)}</h2>
            <table class="lines" id="open-by-age">
                <tbody>
                    {saha_core::views::service_report::AGE_BUCKETS
                        .iter()
                        .enumerate()
                        .map(|(i, b)| view! {
                            <tr data-age=*b>
                                <th scope="row">{move || word_for(lang.get(), &format!("report.age.{b}"))}</th>
                                <td>{move || figures.get().open_by_age[i]}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <ExportButtons
                id="ages-export"
                file=Signal::derive(move || word(lang.get(), Key::ReportOpenByAge))
                table=export_ages
            />
            <h2>{move || word(lang.get(), Key::ReportCalls)}</h2>
            <table class="lines" id="calls-per-agent">
                <thead>
                    <tr>
                        <th>{move || word(lang.get(), Key::FieldOwner)}</th>
                        <th>{move || word(lang.get(), Key::ReportDay)}</th>
                        <th>{move || word(lang.get(), Key::KindsCall)}</th>
                        <th>{move || word(lang.get(), Key::OutcomeReached)}</th>
                        <th>{move || word(lang.get(), Key::ReportTotalTime)}</th>
                        <th>{move || word(lang.get(), Key::ReportMeanTime)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let lang = lang.get();
                        calls
                            .get()
                            .into_iter()
                            .map(|((agent, day), d)| view! {
                                <tr>
                                    <td>{person_name(&agent)}</td>
                                    <td>{crate::ui::widgets::format::format_date(lang, &day.to_string())}</td>
                                    <td>{d.calls}</td>
                                    <td>{d.reached}</td>
                                    <td>{saha_core::activities::call::duration_text(d.total_seconds)}</td>
                                    <td>{saha_core::activities::call::duration_text(d.mean_seconds())}</td>
                                </tr>
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            <ExportButtons
                id="calls-export"
                file=Signal::derive(move || word(lang.get(), Key::ReportCalls))
                table=export_calls
            />
        </section>
    }
}
