//! A case's SLA clock, survey button and status steps.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use saha_core::DocumentId;
use saha_core::service::case::{Case, ClockState, Sla};

use crate::ui::{
    repo, use_lang,
    widgets::format::{clock, local_text, span_text, workspace_zone},
    word,
};

/// A case's SLA clocks, live: state, time used against the target, when it runs out,
/// and a warning banner when a clock is near or past its target.
#[component]
pub fn CaseSla(case_id: DocumentId, case: Case) -> impl IntoView {
    let lang = use_lang();
    let now = clock(30);
    let service = repo().service();
    let for_clocks = case.clone();
    let sla =
        Memo::new(move |_| service.with(|s| for_clocks.sla(&s.sla, &s.calendar(), now.get())));
    // Escalated: by hand, or because a clock ran out while the case is still open.
    let for_flag = case.clone();
    let escalated = move || sla.with(|s| for_flag.is_escalated(s));
    let row = move |key: &'static str, pick: fn(&Sla) -> saha_core::service::case::Clock| {
        move || {
            let clock = pick(&sla.get());
            let lang = lang.get();
            let state = match clock.state {
                ClockState::Running => "running",
                ClockState::Warning => "warning",
                ClockState::Paused => "paused",
                ClockState::Met => "met",
                ClockState::Breached => "breached",
            };
            let due = clock
                .due_at
                .map(|due| local_text(lang, workspace_zone().local(due)))
                .unwrap_or_default();
            view! {
                <tr data-clock=key data-state=state>
                    <th scope="row">{word_for(lang, &format!("sla.{key}"))}</th>
                    <td>{word_for(lang, &format!("sla.state.{state}"))}</td>
                    <td>{span_text(lang, clock.used_ms)} " / " {span_text(lang, clock.target_ms)}</td>
                    <td>{due}</td>
                </tr>
            }
        }
    };
    let survey = {
        let person = if case.contact.is_empty() {
            case.account.clone()
        } else {
            case.contact.clone()
        };
        let done = case.status.is_done();
        let subject = case.subject.clone();
        let about = case_id;
        move || {
            done.then(|| {
                view! { <crate::ui::engagement::campaigns::SurveyButton about=about person=person.clone() subject=subject.clone() /> }
            })
        }
    };
    view! {
        {survey}
        <section class="sla" aria-labelledby="sla-title">
            <h2 id="sla-title">{move || word(lang.get(), Key::SlaTitle)}</h2>
            <Show when=move || sla.with(|s| s.breached())>
                <p class="banner danger" role="alert" id="sla-warning">
                    {move || word(lang.get(), Key::SlaBreached)}
                </p>
            </Show>
            <Show when=move || sla.with(|s| !s.breached() && s.warning())>
                <p class="banner" role="status" id="sla-near">
                    {move || word(lang.get(), Key::SlaNear)}
                </p>
            </Show>
            <Show when=escalated>
                <p class="badge" id="escalated">{move || word(lang.get(), Key::SlaEscalated)}</p>
            </Show>
            <table class="lines">
                <thead>
                    <tr>
                        <th></th>
                        <th>{move || word(lang.get(), Key::FieldStatus)}</th>
                        <th>{move || word(lang.get(), Key::SlaUsed)}</th>
                        <th>{move || word(lang.get(), Key::SlaDue)}</th>
                    </tr>
                </thead>
                <tbody>
                    {row("first_response", |s| s.first_response)}
                    {row("resolution", |s| s.resolution)}
                </tbody>
            </table>
        </section>
    }
}
