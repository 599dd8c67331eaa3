//! Segment and campaign screens: a segment's live count and members, and a campaign's
//! audience preview through the send gate — who gets the message, who does not and
//! why, and the message as each person will read it. All computed on the device, so
//! it works offline.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::campaign::{self, Campaign, Exclusion};
use saha_core::consent::Refusal;
use saha_core::record::Record;
use saha_core::segment::{self, Segment};

use super::records::record_href;
use super::service::local_text;
use super::{repo, use_lang, word};
use crate::client::now_ms;
use crate::i18n::Lang;

/// People shown in a list at most.
const SHOWN: usize = 50;

/// (person ID, kind, name) of the segment's members.
fn members(segment: &Segment) -> Vec<(String, &'static str, String)> {
    repo().records().with(|all| {
        let records: Vec<(String, &Record)> = all
            .iter()
            .map(|(id, v)| (id.to_string(), &v.record))
            .collect();
        let facts = segment::facts(records.iter().map(|(k, r)| (k.clone(), *r)));
        segment::people(&records)
            .into_iter()
            .filter(|p| segment.matches(p, &facts))
            .map(|p| (p.id.clone(), p.kind, p.name.to_owned()))
            .collect()
    })
}

fn person_link(id: &str, kind: &str, name: String) -> AnyView {
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
                {move || word(lang.get(), "ui.segment_members")} " "
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
        Exclusion::Consent(Refusal::NoConsent) => word(lang, "gate.no_consent"),
        Exclusion::Consent(Refusal::Refused) => word(lang, "gate.refused"),
        Exclusion::Consent(Refusal::NotSubscribedToTopic) => word(lang, "gate.topic"),
        Exclusion::NoAddress => word(lang, "gate.no_address"),
        Exclusion::CoolOff { last_contact } => format!(
            "{} ({})",
            word(lang, "gate.cool_off"),
            local_text(lang, saha_core::civil::Zone::istanbul().local(last_contact))
        ),
        Exclusion::QuietHours => word(lang, "gate.quiet_hours"),
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

/// The latest call or meeting with each person (contact ID or account ID), ms.
fn last_contacts(
    all: &HashMap<DocumentId, crate::client::repo::RecordView>,
) -> HashMap<String, i64> {
    let zone = repo().service().with_untracked(|s| s.zone());
    let now = now_ms();
    let mut last: HashMap<String, i64> = HashMap::new();
    let mut touch = |who: &str, at: i64| {
        if !who.is_empty() && at <= now {
            let e = last.entry(who.to_owned()).or_insert(at);
            *e = (*e).max(at);
        }
    };
    for v in all.values() {
        match &v.record {
            Record::Call(c) => {
                if let Some(at) = c.started_ms(zone) {
                    touch(&c.contact, at);
                    if c.contact.is_empty() {
                        touch(&c.account, at);
                    }
                }
            }
            Record::Meeting(m) => {
                if let Some(start) = saha_core::civil::LocalDateTime::parse(&m.start) {
                    let at = m.zone().to_utc_ms(start);
                    for c in &m.contacts {
                        touch(c, at);
                    }
                }
            }
            _ => {}
        }
    }
    last
}

/// A campaign's audience through the gate.
#[component]
pub fn CampaignPanel(campaign: Campaign) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let personal = campaign::is_personal(&campaign.template);
    let segment_id = campaign.segment.clone();
    let audience = Memo::new(move |_| {
        let rules = repo().service().with(|s| s.contact_rules());
        records.with(|all| {
            let segment = segment_id
                .parse::<DocumentId>()
                .ok()
                .and_then(|id| all.get(&id))
                .and_then(|v| match &v.record {
                    Record::Segment(s) => Some(s.clone()),
                    _ => None,
                })?;
            let list: Vec<(String, &Record)> = all
                .iter()
                .map(|(id, v)| (id.to_string(), &v.record))
                .collect();
            let facts = segment::facts(list.iter().map(|(k, r)| (k.clone(), *r)));
            let people = segment::people(&list);
            let chosen: Vec<&segment::Person<'_>> = people
                .iter()
                .filter(|p| segment.matches(p, &facts))
                .collect();
            let last = last_contacts(all);
            let result = campaign::audience(
                &campaign,
                chosen.iter().copied(),
                |id| last.get(id).copied(),
                now_ms(),
                &rules,
            );
            let names: HashMap<String, (&'static str, String)> = people
                .iter()
                .map(|p| (p.id.clone(), (p.kind, p.name.to_owned())))
                .collect();
            Some((result, names))
        })
    });
    view! {
        <section class="audience" id="audience">
            <h2>{move || word(lang.get(), "ui.audience")}</h2>
            <Show when=move || !personal>
                <p class="banner" role="status" data-warning="impersonal">{move || word(lang.get(), "ui.template_impersonal")}</p>
            </Show>
            {move || {
                let lang = lang.get();
                let Some((result, names)) = audience.get() else {
                    return view! { <p class="empty">{word(lang, "ui.no_segment")}</p> }.into_any();
                };
                let name_of = |id: &str| names.get(id).cloned().unwrap_or(("contact", id.to_owned()));
                let sample = result.included.first().map(|(_, _, m)| m.clone()).unwrap_or_default();
                view! {
                    <p>
                        <strong id="audience-included">{result.included.len()}</strong> " "
                        {word(lang, "ui.audience_included")} " · "
                        <strong id="audience-excluded">{result.excluded.len()}</strong> " "
                        {word(lang, "ui.audience_excluded")}
                    </p>
                    <Show when={
                        let empty = sample.is_empty();
                        move || !empty
                    }>
                        <blockquote class="sample" id="sample-message">{sample.clone()}</blockquote>
                    </Show>
                    <h3>{word(lang, "ui.audience_included")}</h3>
                    <ul class="cards compact" id="included">
                        {result.included.iter().take(SHOWN).map(|(id, address, _)| {
                            let (kind, name) = name_of(id);
                            view! { <li class="card">{person_link(id, kind, name)} " · " {address.clone()}</li> }
                        }).collect_view()}
                    </ul>
                    <h3>{word(lang, "ui.audience_excluded")}</h3>
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
        </section>
    }
}
