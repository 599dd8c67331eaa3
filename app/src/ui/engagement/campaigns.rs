//! Segments and campaigns: members, audience after the send gate, approval and
//! sending, and the survey button.

use crate::i18n::Key;
use crate::i18n::word_for;
use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::engagement::{
    campaign::{self, Campaign, Exclusion},
    segment::Segment,
};
use saha_core::kinds::Record;
use saha_core::parties::consent::Refusal;

use crate::client::now_ms;
use crate::i18n::Lang;
use crate::ui::{
    repo, use_lang,
    widgets::{format::local_text, links::record_href},
    word,
};

/// People shown in a list at most.
const SHOWN: usize = 50;

/// (person ID, kind, name) of the segment's members.
pub(crate) fn members(segment: &Segment) -> Vec<(String, &'static str, String)> {
    repo().records().with(|all| {
        let records: Vec<(String, &Record)> = all
            .iter()
            .map(|(id, v)| (id.to_string(), &v.record))
            .collect();
        let settings = repo().service().get();
        let today = crate::ui::widgets::format::workspace_zone()
            .local(now_ms())
            .date;
        let people = saha_core::views::audience::people(&records);
        saha_core::views::audience::members(segment, &people, &records, &settings, today)
            .into_iter()
            .map(|p| (p.id.clone(), p.kind, p.name.to_owned()))
            .collect()
    })
}

/// Stores a new campaign (a greeting, a survey) and opens its page, where its audience
/// is checked before anyone approves it.
pub(crate) fn create_and_open(c: Campaign) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(id) = repo().create(Record::Campaign(c)).await {
            crate::ui::go(&record_href(campaign::KIND, id));
        }
    });
}

pub(crate) fn person_link(id: &str, kind: &str, name: String) -> AnyView {
    match id.parse::<DocumentId>() {
        Ok(doc) => view! { <A href=record_href(kind, doc)>{name}</A> }.into_any(),
        Err(_) => name.into_any(),
    }
}

/// A segment's live member count and the first members.
#[component]
pub fn SegmentPanel(segment: Segment) -> impl IntoView {
    let lang = use_lang();
    let list = Memo::new(move |_| members(&segment));
    view! {
        <section class="segment-members">
            <h2>
                {move || word(lang.get(), Key::UiSegmentMembers)} " "
                <span class="count" id="segment-count">{move || list.with(Vec::len)}</span>
            </h2>
            <ul class="cards compact">
                {move || {
                    list.get()
                        .into_iter()
                        .take(SHOWN)
                        .map(|(id, kind, name)| view! { <li class="card">{person_link(&id, kind, name)}</li> })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

fn exclusion_text(lang: Lang, why: Exclusion) -> String {
    match why {
        Exclusion::Consent(Refusal::NoConsent) => word(lang, Key::GateNoConsent),
        Exclusion::Consent(Refusal::Refused) => word(lang, Key::GateRefused),
        Exclusion::Consent(Refusal::NotSubscribedToTopic) => word(lang, Key::GateTopic),
        Exclusion::NoAddress => word(lang, Key::GateNoAddress),
        Exclusion::CoolOff { last_contact } => format!(
            "{} ({})",
            word(lang, Key::GateCoolOff),
            local_text(
                lang,
                saha_core::time::civil::Zone::istanbul().local(last_contact)
            )
        ),
        Exclusion::QuietHours => word(lang, Key::GateQuietHours),
    }
}

fn exclusion_code(why: Exclusion) -> &'static str {
    match why {
        Exclusion::Consent(Refusal::NoConsent) => "no_consent",
        Exclusion::Consent(Refusal::Refused) => "refused",
        Exclusion::Consent(Refusal::NotSubscribedToTopic) => "topic",
        Exclusion::NoAddress => "no_address",
        Exclusion::CoolOff { .. } => "cool_off",
        Exclusion::QuietHours => "quiet_hours",
    }
}

/// A campaign's audience through the gate.
#[component]
pub fn CampaignPanel(id: DocumentId, campaign: Campaign) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let personal = campaign::is_personal(&campaign.template);
    let for_audience = campaign.clone();
    let audience = Memo::new(move |_| {
        let settings = repo().service().get();
        records.with(|all| {
            let list: Vec<(String, &Record)> = all
                .iter()
                .map(|(id, v)| (id.to_string(), &v.record))
                .collect();
            let me = crate::ui::me();
            let access = saha_core::access::Access {
                role: me.role,
                teams: me.teams,
            };
            let result = saha_core::views::audience::audience_of(
                &for_audience,
                &list,
                &settings,
                now_ms(),
                &access,
            )?;
            let names: HashMap<String, (&'static str, String)> =
                saha_core::views::audience::people(&list)
                    .iter()
                    .map(|p| (p.id.clone(), (p.kind, p.name.to_owned())))
                    .collect();
            Some((result, names))
        })
    });
    let deliveries = campaign.deliveries.clone();
    let responses = campaign.responses.clone();
    let status = campaign.status;
    let sendable = campaign.channel != saha_core::parties::consent::Channel::Call;
    let channel = campaign.channel;
    view! {
        <section class="audience" id="audience">
            <h2>{move || word(lang.get(), Key::UiAudience)}</h2>
            <Show when=move || !personal>
                <p class="banner" role="status" data-warning="impersonal">{move || word(lang.get(), Key::UiTemplateImpersonal)}</p>
            </Show>
            {move || {
                let lang = lang.get();
                let Some((result, names)) = audience.get() else {
                    return view! { <p class="empty">{word(lang, Key::UiNoSegment)}</p> }.into_any();
                };
                let name_of = |id: &str| names.get(id).cloned().unwrap_or(("contact", id.to_owned()));
                let first = result.included.first().cloned().unwrap_or_default();
                let sample = first.message.clone();
                let sample_subject = first.subject.clone();
                // An SMS is counted as sent — with its opt-out link — in the GSM
                // alphabet or UCS-2, and in how many parts.
                let sms = (channel == saha_core::parties::consent::Channel::Sms && !sample.is_empty())
                    .then(|| {
                        let origin = web_sys::window()
                            .and_then(|w| w.location().origin().ok())
                            .unwrap_or_default();
                        saha_core::engagement::campaign::sms_length(
                            &saha_core::engagement::campaign::as_sent(&sample, channel, &origin),
                        )
                    });
                view! {
                    <p>
                        <strong id="audience-included">{result.included.len()}</strong> " "
                        {word(lang, Key::UiAudienceIncluded)} " · "
                        <strong id="audience-excluded">{result.excluded.len()}</strong> " "
                        {word(lang, Key::UiAudienceExcluded)}
                    </p>
                    <Show when={
                        let empty = sample.is_empty();
                        move || !empty
                    }>
                        {(!sample_subject.is_empty()).then(|| view! {
                            <p id="sample-subject"><strong>{crate::i18n::field_label(lang, "campaign", "subject")} ": "</strong> {sample_subject.clone()}</p>
                        })}
                        <blockquote class="sample" id="sample-message">{sample.clone()}</blockquote>
                        {sms.map(|length| {
                            let encoding = if length.unicode { Key::UiSmsUnicode } else { Key::UiSmsGsm };
                            view! {
                                <p class="hint" id="sms-length" data-segments=length.segments.to_string()>
                                    {crate::i18n::Fmt::UiSmsLength.format(lang, &[("chars", (length.units as u64).into()), ("segments", (length.segments as u64).into())])}
                                    " · " {word(lang, encoding)}
                                </p>
                            }
                        })}
                    </Show>
                    <h3>{word(lang, Key::UiIncludedHeading)}</h3>
                    <ul class="cards compact" id="included">
                        {result.included.iter().take(SHOWN).map(|included| {
                            let (kind, name) = name_of(&included.person);
                            view! { <li class="card">{person_link(&included.person, kind, name)} " · " {included.address.clone()}</li> }
                        }).collect_view()}
                    </ul>
                    <h3>{word(lang, Key::UiExcludedHeading)}</h3>
                    <ul class="cards compact" id="excluded">
                        {result.excluded.iter().take(SHOWN).map(|(id, why)| {
                            let (kind, name) = name_of(id);
                            view! {
                                <li class="card" data-reason=exclusion_code(*why)>
                                    {person_link(id, kind, name)} " — " {exclusion_text(lang, *why)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <Show when=move || status == campaign::Status::Draft && sendable && saha_core::rules::may_approve_campaign(crate::ui::me().role)>
                <SendButton id=id />
            </Show>
            <Show when={
                let empty = responses.is_empty();
                move || !empty
            }>
                <h3>{move || word(lang.get(), Key::UiResponses)}</h3>
                <ul class="cards compact" id="responses">
                    {responses
                        .iter()
                        .map(|(person, r)| {
                            let name = crate::ui::widgets::links::title_of_id(person);
                            view! { <li class="card" data-score=r.score.to_string()>{name} " · " {r.score}</li> }
                        })
                        .collect_view()}
                </ul>
            </Show>
            <Show when={
                let empty = deliveries.is_empty();
                move || !empty
            }>
                <h3>{move || word(lang.get(), Key::UiDeliveries)}</h3>
                <ul class="cards compact" id="deliveries">
                    {deliveries
                        .iter()
                        .map(|(person, d)| {
                            let state = d.state.code();
                            let name = crate::ui::widgets::links::title_of_id(person);
                            let error = d.error.clone();
                            view! {
                                <li class="card" data-delivery=state>
                                    {name} " · "
                                    {move || word_for(lang.get(), &format!("delivery.{state}"))}
                                    {(!error.is_empty()).then(|| format!(" ({error})"))}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// Approves the campaign for sending; the server's outbox takes it from there (the
/// gate is applied again on the server when it sends).
#[component]
fn SendButton(id: DocumentId) -> impl IntoView {
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    let send = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&word(lang.get_untracked(), Key::UiConfirmSend))
                    .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let Some(Record::Campaign(c)) = repo().record(id) else {
                return;
            };
            let mut form = saha_core::record::RecordType::form(&c);
            form.set("status", campaign::Status::Approved.code());
            if let Err(e) = repo().edit(id, &form).await {
                failure.set(Some(crate::i18n::repo_error(lang.get_untracked(), &e)));
            }
        });
    };
    view! {
        <button class="button primary" id="send-campaign" on:click=send>
            {move || word(lang.get(), Key::UiSendCampaign)}
        </button>
        <Show when=move || failure.with(Option::is_some)>
            <p class="banner error" role="alert">{move || failure.get().unwrap_or_default()}</p>
        </Show>
    }
}

/// Prepares a satisfaction survey to `person` about the record `about` (a resolved case
/// or a delivered order) and opens it: a campaign that goes through the gate like any
/// other, each message with its own answer link.
#[component]
pub fn SurveyButton(about: DocumentId, person: String, subject: String) -> impl IntoView {
    let lang = use_lang();
    if person.is_empty() || !crate::ui::me().role.can_write() {
        return ().into_any();
    }
    let prepare = move |_| {
        let lang = lang.get_untracked();
        let mut c = <Campaign as saha_core::record::RecordType>::blank(&repo().edit_context());
        let has_mobile = person
            .parse::<DocumentId>()
            .ok()
            .and_then(|id| repo().record(id))
            .is_some_and(|r| match r {
                Record::Contact(c) => !c.mobile.is_empty() || !c.phone.is_empty(),
                Record::Account(a) => !a.mobile.is_empty() || !a.phone.is_empty(),
                _ => false,
            });
        c.channel = if has_mobile {
            saha_core::parties::consent::Channel::Sms
        } else {
            saha_core::parties::consent::Channel::Email
        };
        c.topic = "anket".into();
        c.survey = "csat".into();
        c.about = about.to_string();
        c.people = vec![person.clone()];
        c.name = match lang {
            Lang::Tr => format!("Anket: {subject}"),
            Lang::En => format!("Survey: {subject}"),
        };
        c.template = match lang {
            Lang::Tr => "Sayın {{first_name}}, bizimle çalıştığınız için teşekkürler. Memnuniyetinizi 1–5 arası puanlar mısınız? {{survey_link}}".into(),
            Lang::En => "Dear {{first_name}}, thank you for working with us. How satisfied were you, 1–5? {{survey_link}}".into(),
        };
        create_and_open(c);
    };
    view! {
        <button class="button no-print" id="send-survey" on:click=prepare>
            {move || word(lang.get(), Key::UiSendSurvey)}
        </button>
    }
    .into_any()
}
