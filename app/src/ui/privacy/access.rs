//! `/privacy/:id`: what is held about one person, for an access request (KVKK Art.
//! 11). Owners, admins and privacy officers open it from the person's page; it
//! gathers the person's record and every record that refers to them from what the
//! device holds (the records their devices hold are the workspace's), works offline,
//! links to logging the person's request (`/settings/privacy?person=ID`), and saves
//! the answer as JSON (for the person, machine-readable) and as a readable HTML page
//! in the user's language (which the browser prints to PDF). Each file saved is told
//! to the audit log, also when saved offline. Below, the person can be erased
//! ([`super::erase`]).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use saha_core::api::PrivacyNotice;
use saha_core::kinds::Record;
use saha_core::privacy::access::{Disclosure, gather};
use saha_core::privacy::erasure::Destruction;
use saha_core::record::form::Input;
use saha_core::sales::document::date_of;

use super::erase::{EraseSection, Erased};
use crate::client::audit::{self, Notice};
use crate::client::now_ms;
use crate::i18n::{self, Fmt, Key, Lang, word_for};
use crate::ui::widgets::feedback::NotFound;
use crate::ui::widgets::files::download_bytes;
use crate::ui::widgets::format::format_date;
use crate::ui::widgets::links::{record_href, title_of_id};
use crate::ui::{me, repo, tr, use_lang, word};

/// The page at `/privacy/:id`.
#[component]
pub fn PersonalDataPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    // Set once the person is erased: their record is gone, the page says what happened.
    let (erased, set_erased) = signal(None::<Destruction>);
    let held = move || {
        if !me().role.handles_privacy() {
            return view! { <p class="hint">{tr(Key::UiAdminsOnly)}</p> }.into_any();
        }
        let id = id.get();
        // (Only for the person it erased, should the page move to another.)
        if let Some(destruction) = erased.get().filter(|d| d.person == id) {
            return view! { <Erased destruction=destruction /> }.into_any();
        }
        let found = repo().records().with(|all| {
            gather(
                &id,
                all.values().map(|v| (v.key.as_str(), &v.record)),
                now_ms(),
            )
        });
        match found {
            Some(disclosure) => view! { <Held disclosure=disclosure /> }.into_any(),
            None => view! { <NotFound /> }.into_any(),
        }
    };
    // Drawn apart from the rest, so a change synced meanwhile keeps what the user
    // chose in it.
    let can_erase = Memo::new(move |_| {
        me().role.handles_privacy()
            && id.with(|id| erased.with(|e| e.as_ref().is_none_or(|d| d.person != *id)))
            && id.with(|id| {
                id.parse::<saha_core::DocumentId>()
                    .is_ok_and(|d| repo().records().with(|all| all.contains_key(&d)))
            })
    });
    view! {
        <div class="page">
            {held}
            <Show when=move || can_erase.get()>
                // Drawn again for another person (the route's ID can change while the
                // page stays): the section erases only the person it shows.
                {move || {
                    let person = id.get();
                    view! { <EraseSection person=person done=set_erased /> }
                }}
            </Show>
        </div>
    }
}

#[component]
fn Held(disclosure: Disclosure) -> impl IntoView {
    let lang = use_lang();
    let name = disclosure.name.clone();
    let title = move || Fmt::PrivacyTitle.format(lang.get(), &[("name", name.as_str().into())]);
    let counts = disclosure.counts();
    let related: Vec<_> = disclosure
        .records
        .iter()
        .filter(|h| !h.own)
        .map(|h| {
            (
                h.id.clone(),
                h.kind.clone(),
                h.title.clone(),
                h.record.common().created_at,
            )
        })
        .collect();
    let messages: Vec<(String, String, String)> = disclosure
        .messages
        .iter()
        .map(|m| {
            (
                m.name.clone(),
                m.channel.clone(),
                m.delivery
                    .as_ref()
                    .map(|d| d.state.code().to_owned())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let log_href = format!("/settings/privacy?person={}", disclosure.person);
    let disclosure = StoredValue::new(disclosure);
    let save = move |readable: bool| {
        let l = lang.get_untracked();
        let (bytes, name, mime, format) = disclosure.with_value(|d| {
            let stem = format!("kvkk-{}-{}", d.person, date_of(d.made_at));
            if readable {
                (
                    report_html(l, d).into_bytes(),
                    format!("{stem}.html"),
                    "text/html;charset=utf-8",
                    "html",
                )
            } else {
                (
                    d.to_json(),
                    format!("{stem}.json"),
                    "application/json",
                    "json",
                )
            }
        });
        download_bytes(&name, mime, &bytes);
        let (person, records) =
            disclosure.with_value(|d| (d.person.clone(), d.records.len() as u64));
        audit::tell(
            &me().user_id,
            Notice::Privacy(PrivacyNotice {
                person,
                records,
                format: format.to_owned(),
                at: now_ms(),
            }),
        );
    };
    view! {
        <article class="privacy" id="privacy-access">
            <h1>{title}</h1>
            <p class="hint">{tr(Key::PrivacyHint)}</p>
            <div class="actions">
                <button type="button" class="button primary" id="privacy-report" on:click=move |_| save(true)>
                    {tr(Key::PrivacyDownloadReport)}
                </button>
                <button type="button" class="button" id="privacy-json" on:click=move |_| save(false)>
                    {tr(Key::PrivacyDownloadJson)}
                </button>
                <A href=log_href attr:class="button" attr:id="privacy-log-request">{tr(Key::PrivacyLogForPerson)}</A>
            </div>
            <h2>{tr(Key::PrivacyRelated)}</h2>
            <ul class="privacy-counts" id="privacy-counts">
                {counts
                    .into_iter()
                    .map(|(kind, n)| {
                        let key = format!("kinds.{kind}");
                        view! { <li data-kind=kind.clone()>{move || word_for(lang.get(), &key)} ": " {n}</li> }
                    })
                    .collect_view()}
                <li data-kind="message">{tr(Key::PrivacyMessages)} ": " {messages.len()}</li>
            </ul>
            <ul class="cards compact">
                {related
                    .into_iter()
                    .map(|(id, kind, title, created)| {
                        let href = id.parse().map(|id| record_href(&kind, id)).unwrap_or_default();
                        let kind_key = format!("kind.{kind}");
                        view! {
                            <li class="card" data-kind=kind.clone()>
                                <a href=href>{title}</a>
                                " · " {move || word_for(lang.get(), &kind_key)}
                                " · " {move || format_date(lang.get(), &date_of(created))}
                            </li>
                        }
                    })
                    .collect_view()}
                {messages
                    .into_iter()
                    .map(|(name, channel, state)| {
                        let channel_key = format!("channel.{channel}");
                        let state_key = format!("delivery.{state}");
                        view! {
                            <li class="card" data-kind="message">
                                {name} " · " {move || word_for(lang.get(), &channel_key)}
                                {(!state.is_empty()).then(|| view! { " · " {move || word_for(lang.get(), &state_key)} })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </article>
    }
}

/// Text made safe for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A field's value as the report shows it: a linked record by its title, a choice
/// and a date in words.
fn shown(lang: Lang, input: Input, name: &str, value: &str) -> String {
    match input {
        Input::Link(_) => title_of_id(value),
        Input::Choice(_) => word_for(lang, &format!("{name}.{value}")),
        Input::Date => format_date(lang, value),
        _ => value.to_owned(),
    }
}

/// The report as one self-contained HTML page in `lang`: the person's record field by
/// field with their consent log, each record that refers to them, and the messages
/// sent to them.
fn report_html(lang: Lang, d: &Disclosure) -> String {
    let t = |key: Key| escape(word(lang, key).as_str());
    let mut out = String::new();
    let title = escape(&Fmt::PrivacyTitle.format(lang, &[("name", d.name.as_str().into())]));
    out.push_str(&format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font:14px/1.4 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}}\
         table{{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}}th,td{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}}\
         th{{width:35%;background:#f4f4f4}}</style></head><body><h1>{title}</h1><p>{}: {}</p>",
        match lang {
            Lang::Tr => "tr",
            Lang::En => "en",
        },
        t(Key::PrivacyMadeAt),
        escape(&format_date(lang, &date_of(d.made_at))),
    ));
    for held in &d.records {
        let kind_word = escape(&word_for(lang, &format!("kind.{}", held.kind)));
        out.push_str(&format!(
            "<h2>{} — {}</h2><table>",
            kind_word,
            escape(&held.title)
        ));
        let form = held.record.form();
        for spec in held.record.fields() {
            let value = form.get(spec.name);
            if value.is_empty() {
                continue;
            }
            let label = i18n::field_label(lang, &held.kind, spec.name);
            let value = shown(lang, spec.input, spec.name, value);
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(&label),
                escape(&value)
            ));
        }
        out.push_str("</table>");
        let consents = match &held.record {
            Record::Contact(c) => c.consents.as_slice(),
            Record::Account(a) => a.consents.as_slice(),
            Record::Lead(l) => l.consents.as_slice(),
            _ => &[],
        };
        if held.own && !consents.is_empty() {
            out.push_str(&format!("<h3>{}</h3><table>", t(Key::PrivacyConsentLog)));
            for e in consents {
                out.push_str(&format!(
                    "<tr><th>{}</th><td>{} · {} · {} · {} {}</td></tr>",
                    escape(&format_date(lang, &date_of(e.at))),
                    escape(&word_for(lang, &format!("channel.{}", e.channel.code()))),
                    escape(&word_for(lang, &format!("consent.{}", e.status.code()))),
                    escape(&e.recipient),
                    escape(&e.source),
                    escape(&e.evidence)
                ));
            }
            out.push_str("</table>");
        }
    }
    if !d.messages.is_empty() {
        out.push_str(&format!("<h2>{}</h2><table>", t(Key::PrivacyMessages)));
        for m in &d.messages {
            let state = m
                .delivery
                .as_ref()
                .map(|x| {
                    format!(
                        "{} {}",
                        word_for(lang, &format!("delivery.{}", x.state.code())),
                        format_date(lang, &date_of(x.at))
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "<tr><th>{}</th><td>{} · {}<br>{}</td></tr>",
                escape(&m.name),
                escape(&word_for(lang, &format!("channel.{}", m.channel))),
                escape(&state),
                escape(&m.template)
            ));
        }
        out.push_str("</table>");
    }
    out.push_str("</body></html>");
    out
}
