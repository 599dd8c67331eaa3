//! Surveys: every survey campaign with its response rate and score, and the
//! workspace's CSAT and NPS across them (figures from
//! [`saha_core::views::survey_report`]).

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::engagement::campaign::Campaign;
use saha_core::kinds::Record;
use saha_core::views::survey_report::{self, SurveyFigures};

use crate::i18n::{Key, Lang, word_for};
use crate::ui::widgets::format::{percent, score_x100};
use crate::ui::widgets::links::{record_href, title_of_id};
use crate::ui::{repo, use_lang, word};

fn score_text(lang: Lang, x100: Option<i64>) -> String {
    x100.map(|x| score_x100(lang, x))
        .unwrap_or_else(|| "—".to_owned())
}

fn share_text(lang: Lang, value: Option<i64>) -> String {
    value
        .map(|v| percent(lang, v))
        .unwrap_or_else(|| "—".to_owned())
}

/// The figures of one survey (or of all of one kind) as a definition list.
#[component]
fn Figures(figures: SurveyFigures, kind: String) -> impl IntoView {
    let lang = use_lang();
    let score = match kind.as_str() {
        "nps" => view! {
            <dt>{move || word(lang.get(), Key::UiNps)}</dt>
            <dd data-figure="nps">{figures.nps.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</dd>
        }
        .into_any(),
        _ => view! {
            <dt>{move || word(lang.get(), Key::UiCsat)}</dt>
            <dd data-figure="csat">{move || score_text(lang.get(), figures.csat_x100)}</dd>
            <dt>{move || word(lang.get(), Key::UiSatisfiedShare)}</dt>
            <dd data-figure="satisfied">{move || share_text(lang.get(), figures.satisfied_percent)}</dd>
        }
        .into_any(),
    };
    view! {
        <dl class="facts survey-figures" data-survey=kind.clone()>
            <dt>{move || word(lang.get(), Key::UiSurveyAsked)}</dt>
            <dd data-figure="asked">{figures.asked}</dd>
            <dt>{move || word(lang.get(), Key::UiSurveyAnswered)}</dt>
            <dd data-figure="answered">{figures.answered}</dd>
            <dt>{move || word(lang.get(), Key::UiResponseRate)}</dt>
            <dd data-figure="response_rate">{move || share_text(lang.get(), figures.response_rate_percent())}</dd>
            {score}
        </dl>
    }
}

/// Every survey campaign, newest first, with the totals per survey kind on top.
#[component]
pub fn SurveysPage() -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let surveys = Memo::new(move |_| {
        records.with(|all| {
            let mut surveys: Vec<(DocumentId, Campaign)> = all
                .values()
                .filter_map(|v| match &v.record {
                    Record::Campaign(c) if !c.survey.is_empty() => Some((v.id, c.clone())),
                    _ => None,
                })
                .collect();
            surveys.sort_by_key(|(_, c)| std::cmp::Reverse(c.common.created_at));
            surveys
        })
    });
    let totals = move || {
        let surveys = surveys.get();
        ["csat", "nps"]
            .into_iter()
            .filter(|kind| surveys.iter().any(|(_, c)| c.survey == *kind))
            .map(|kind| {
                let figures = survey_report::totals(surveys.iter().map(|(_, c)| c), kind);
                view! {
                    <section class="survey-total">
                        <h2>{move || word_for(lang.get(), &format!("survey.{kind}"))}</h2>
                        <Figures figures=figures kind=kind.to_owned() />
                    </section>
                }
            })
            .collect_view()
    };
    view! {
        <section class="page" id="surveys-page">
            <h1>{move || word(lang.get(), Key::UiSurveys)}</h1>
            <Show
                when=move || surveys.with(|s| !s.is_empty())
                fallback=move || view! { <p class="empty">{move || word(lang.get(), Key::UiSurveysNone)}</p> }
            >
                <div class="survey-totals">{totals}</div>
                <ul class="cards" id="survey-list">
                    <For each=move || surveys.get() key=|(id, c)| (*id, c.responses.len(), c.deliveries.len()) let((id, campaign))>
                        {
                        let survey = campaign.survey.clone();
                        let figures = survey_report::figures(&campaign);
                        let name = campaign.name.clone();
                        let label = format!("survey.{survey}");
                        let about = (!campaign.about.is_empty()).then(|| format!(" · {}", title_of_id(&campaign.about)));
                        view! {
                        <li class="card survey" data-id=id.to_string()>
                            <A href=record_href("campaign", id)>
                                <span class="card-title">{name}</span>
                                <span class="card-meta">
                                    {move || word_for(lang.get(), &label)}
                                    {about}
                                </span>
                            </A>
                            <Figures figures=figures kind=survey />
                        </li>
                        }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}
