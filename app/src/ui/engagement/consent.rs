//! The İYS consent log of a contact or person account, and the workspace's consent
//! page.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::parties::consent::{
    self, Channel, ConsentEvent, IysRow, NewConsent, RecipientType, SOURCES, Status,
};
use saha_core::record::WorkflowRefusal;
use saha_core::text::validate::Problem;

use crate::client::{error::RepoError, now_ms};
use crate::i18n;
use crate::ui::{
    me, repo, use_lang,
    widgets::{
        files::download,
        format::local_text,
        links::{person_name, record_href},
    },
    word,
};

/// The consent log and recipient type of a contact, lead or account.
fn log_of(record: &Record) -> Option<(Vec<ConsentEvent>, RecipientType)> {
    match record {
        Record::Contact(c) => Some((c.consents.clone(), RecipientType::Individual)),
        Record::Lead(l) => Some((l.consents.clone(), RecipientType::Individual)),
        Record::Account(a) => Some((
            a.consents.clone(),
            if a.party == saha_core::parties::account::Party::Company {
                RecipientType::Merchant
            } else {
                RecipientType::Individual
            },
        )),
        _ => None,
    }
}

/// Changes the consent log of a contact, lead or account (appends events, marks uploads).
async fn store_log(
    id: DocumentId,
    change: impl FnOnce(&mut Vec<ConsentEvent>),
) -> Result<(), RepoError> {
    repo()
        .update(id, |record| match record {
            Record::Contact(c) => {
                change(&mut c.consents);
                Ok(())
            }
            Record::Lead(l) => {
                change(&mut l.consents);
                Ok(())
            }
            Record::Account(a) => {
                change(&mut a.consents);
                Ok(())
            }
            _ => Err(RepoError::Workflow(WorkflowRefusal::NotARecord)),
        })
        .await
}

/// The address a channel reaches on this record.
fn address_for(record: &Record, channel: Channel) -> String {
    let (phone, mobile, email) = match record {
        Record::Contact(c) => (c.phone.clone(), c.mobile.clone(), c.email.clone()),
        Record::Account(a) => (a.phone.clone(), String::new(), a.email.clone()),
        _ => Default::default(),
    };
    match channel {
        Channel::Email => email,
        Channel::Sms if !mobile.is_empty() => mobile,
        _ if !mobile.is_empty() && phone.is_empty() => mobile,
        _ => phone,
    }
}

/// The consent panel of a contact's or account's page.
#[component]
pub fn ConsentPanel(id: DocumentId) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let log = Memo::new(move |_| records.with(|all| all.get(&id).and_then(|v| log_of(&v.record))));
    let channel = RwSignal::new(Channel::Sms.code().to_owned());
    let status = RwSignal::new(Status::Consent.code().to_owned());
    let source = RwSignal::new("HS_FIZIKSEL_ORTAM".to_owned());
    let recipient = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let topics = RwSignal::new(Vec::<String>::new());
    let problems = RwSignal::new(Vec::<(&'static str, Problem)>::new());
    let failure = RwSignal::new(None::<String>);
    let open = RwSignal::new(false);
    // The recipient follows the channel unless the user typed one.
    Effect::new(move |_| {
        let chosen = Channel::from_code(&channel.get()).unwrap_or_default();
        if let Some(record) = repo().record(id) {
            recipient.set(address_for(&record, chosen));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((events, recipient_type)) = log.get_untracked() else {
            return;
        };
        let input = NewConsent {
            channel: channel.get_untracked(),
            status: status.get_untracked(),
            source: source.get_untracked(),
            recipient: recipient.get_untracked(),
            evidence: evidence.get_untracked(),
            topics: topics.get_untracked().join(","),
        };
        let event = consent::record(
            &events,
            &input,
            recipient_type,
            saha_core::DocumentId::random().to_string(),
            now_ms(),
            &me().user_id,
        );
        match event {
            Err(found) => problems.set(found),
            Ok(event) => {
                problems.set(Vec::new());
                wasm_bindgen_futures::spawn_local(async move {
                    match store_log(id, |log| log.push(event)).await {
                        Ok(()) => {
                            failure.set(None);
                            evidence.set(String::new());
                            open.set(false);
                        }
                        Err(e) => failure.set(Some(i18n::repo_error(lang.get_untracked(), &e))),
                    }
                });
            }
        }
    };
    let problem = move |field: &'static str| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, p)| consent_problem(lang.get(), field, *p))
            })
        }
    };
    let rows = move || {
        let lang = lang.get();
        let Some((events, recipient_type)) = log.get() else {
            return ().into_any();
        };
        Channel::ALL
            .iter()
            .map(|&c| {
                let holds = consent::current(&events, c).cloned();
                let state = match (&holds, recipient_type) {
                    (Some(e), _) => e.status.code().to_owned(),
                    (None, RecipientType::Merchant) => "merchant".to_owned(),
                    (None, RecipientType::Individual) => "none".to_owned(),
                };
                let detail = holds
                    .map(|e| {
                        let mut text = format!(
                            "{} · {} · {}",
                            local_text(lang, saha_core::time::civil::Zone::istanbul().local(e.at)),
                            word_for(lang, &format!("source.{}", e.source)),
                            e.recipient
                        );
                        if !e.topics.is_empty() {
                            text.push_str(&format!(" · {}", e.topics.join(", ")));
                        }
                        text
                    })
                    .unwrap_or_default();
                view! {
                    <tr data-channel=c.code() data-consent=state.clone()>
                        <th scope="row">{word_for(lang, &format!("iys.{}", c.code()))}</th>
                        <td><span class="badge" data-consent=state.clone()>{word_for(lang, &format!("consent.{state}"))}</span></td>
                        <td>{detail}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    let overdue = move || {
        let calendar = repo().service().with(|s| s.calendar());
        log.with(|l| {
            l.as_ref()
                .map(|(events, _)| consent::overdue(events, &calendar, now_ms()).len())
                .unwrap_or(0)
        })
    };
    let writer = me().role.can_write();
    view! {
        <section class="consents" id="consents">
            <div class="toolbar">
                <h2>{move || word(lang.get(), Key::UiConsents)}</h2>
                <Show when=move || writer>
                    <button class="button small no-print" id="record-consent" on:click=move |_| open.update(|o| *o = !*o)>
                        {move || word(lang.get(), Key::UiRecordConsent)}
                    </button>
                </Show>
            </div>
            <Show when=move || { overdue() > 0 }>
                <p class="banner" role="status" data-warning="iys-upload">
                    {move || word(lang.get(), Key::UiIysOverdue)}
                    " "
                    <A href="/consents">{move || word(lang.get(), Key::UiIysPage)}</A>
                </p>
            </Show>
            <table class="lines consent-state">
                <tbody>{rows}</tbody>
            </table>
            <Show when=move || open.get()>
                <form class="record-form" id="consent-form" on:submit=submit>
                    <div class="field">
                        <label for="consent-channel">{move || word(lang.get(), Key::FieldChannel)}</label>
                        <select id="consent-channel" prop:value=channel on:change=move |ev| channel.set(event_target_value(&ev))>
                            {Channel::ALL.iter().map(|c| {
                                let code = c.code();
                                view! { <option value=code selected=move || channel.get() == code>{move || word_for(lang.get(), &format!("iys.{code}"))}</option> }
                            }).collect_view()}
                        </select>
                        <p class="error">{problem("channel")}</p>
                    </div>
                    <div class="field">
                        <label for="consent-status">{move || word(lang.get(), Key::FieldStatus)}</label>
                        <select id="consent-status" prop:value=status on:change=move |ev| status.set(event_target_value(&ev))>
                            {Status::ALL.iter().map(|s| {
                                let code = s.code();
                                view! { <option value=code selected=move || status.get() == code>{move || word_for(lang.get(), &format!("consent.{code}"))}</option> }
                            }).collect_view()}
                        </select>
                        <p class="error" id="consent-status-error">{problem("status")}</p>
                    </div>
                    <div class="field">
                        <label for="consent-source">{move || word(lang.get(), Key::FieldSource)}</label>
                        <select id="consent-source" prop:value=source on:change=move |ev| source.set(event_target_value(&ev))>
                            {SOURCES.iter().map(|code| {
                                let code = *code;
                                view! { <option value=code selected=move || source.get() == code>{move || word_for(lang.get(), &format!("source.{code}"))}</option> }
                            }).collect_view()}
                        </select>
                        <p class="error">{problem("source")}</p>
                    </div>
                    <div class="field">
                        <label for="consent-recipient">{move || word(lang.get(), Key::UiRecipient)}</label>
                        <input id="consent-recipient" type="text" autocomplete="off" prop:value=recipient on:input=move |ev| recipient.set(event_target_value(&ev)) />
                        <p class="error" id="consent-recipient-error">{problem("recipient")}</p>
                    </div>
                    <Show when=move || channel.get() == Channel::Email.code() && status.get() == Status::Consent.code()>
                        <fieldset class="checks">
                            <legend>{move || word(lang.get(), Key::UiEmailTopics)}</legend>
                            {move || repo().service().get().email_topics.into_iter().map(|t| {
                                let topic = t.clone();
                                let checked = {
                                    let topic = topic.clone();
                                    move || topics.with(|ts| ts.contains(&topic))
                                };
                                view! {
                                    <label class="check">
                                        <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let topic = topic.clone();
                                            topics.update(|ts| {
                                                ts.retain(|x| *x != topic);
                                                if on { ts.push(topic); }
                                            });
                                        } />
                                        {t}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    </Show>
                    <div class="field">
                        <label for="consent-evidence">{move || word(lang.get(), Key::UiEvidence)}</label>
                        <input id="consent-evidence" type="text" prop:value=evidence on:input=move |ev| evidence.set(event_target_value(&ev)) />
                    </div>
                    <Show when=move || failure.with(Option::is_some)>
                        <p class="banner error" role="alert">{move || failure.get().unwrap_or_default()}</p>
                    </Show>
                    <div class="actions">
                        <button type="submit" class="button primary" id="save-consent">{move || word(lang.get(), Key::UiSave)}</button>
                    </div>
                </form>
            </Show>
            <details class="consent-log">
                <summary>{move || word(lang.get(), Key::UiConsentLog)}</summary>
                <ol>
                    {move || {
                        let lang = lang.get();
                        let mut events = log.get().map(|(e, _)| e).unwrap_or_default();
                        events.sort_by_key(|e| std::cmp::Reverse(e.at));
                        events.into_iter().map(|e| view! {
                            <li data-consent=e.status.code()>
                                {local_text(lang, saha_core::time::civil::Zone::istanbul().local(e.at))}
                                " · " {word_for(lang, &format!("iys.{}", e.channel.code()))}
                                " · " {word_for(lang, &format!("consent.{}", e.status.code()))}
                                " · " {e.recipient.clone()}
                                " · " {person_name(&e.by)}
                                {(e.uploaded_at > 0).then(|| format!(" · {}", word(lang, Key::UiUploaded)))}
                            </li>
                        }).collect_view()
                    }}
                </ol>
            </details>
        </section>
    }
}

fn consent_problem(lang: i18n::Lang, field: &str, problem: Problem) -> String {
    if field == "status" && problem == Problem::InvalidChoice {
        return word(lang, Key::UiFirstRefusal);
    }
    i18n::problem(lang, problem)
}

/// Every consent event of the workspace not yet uploaded to İYS, with the export and
/// the upload mark.
#[component]
pub fn ConsentsPage() -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let pending = Memo::new(move |_| {
        records.with(|all| {
            let mut rows: Vec<(DocumentId, String, String, ConsentEvent)> = Vec::new();
            for (id, v) in all {
                if let Some((events, _)) = log_of(&v.record) {
                    for e in events.into_iter().filter(|e| e.uploaded_at == 0) {
                        rows.push((*id, v.kind.clone(), v.record.title(), e));
                    }
                }
            }
            rows.sort_by_key(|(_, _, _, e)| e.at);
            rows
        })
    });
    let export = move |json: bool| {
        let rows: Vec<IysRow> =
            pending.with_untracked(|p| p.iter().map(|(_, _, _, e)| IysRow::of(e)).collect());
        if json {
            let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            download("iys-izinler.json", "application/json", &text);
        } else {
            download(
                "iys-izinler.csv",
                "text/csv;charset=utf-8",
                &consent::to_csv(&rows),
            );
        }
    };
    let mark = move |_| {
        let chosen = pending.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let at = now_ms();
            let mut by_record: std::collections::HashMap<DocumentId, Vec<String>> =
                Default::default();
            for (id, _, _, e) in chosen {
                by_record.entry(id).or_default().push(e.id);
            }
            for (id, ids) in by_record {
                let _ = store_log(id, |log| {
                    consent::mark_uploaded(log, &ids, at);
                })
                .await;
            }
        });
    };
    let calendar = move || repo().service().with(|s| s.calendar());
    view! {
        <section class="page consents-page">
            <h1>{move || word(lang.get(), Key::UiIysPage)}</h1>
            <p class="hint">{move || word(lang.get(), Key::UiIysHint)}</p>
            <div class="actions">
                <button class="button" id="export-csv" on:click=move |_| export(false)>"CSV"</button>
                <button class="button" id="export-json" on:click=move |_| export(true)>"JSON"</button>
                <Show when=move || me().role.can_write()>
                    <crate::ui::widgets::dialog::ConfirmButton
                        id="mark-uploaded"
                        label=Key::UiMarkUploaded
                        question=Key::ConfirmMarkUploaded
                        primary=true
                        on_confirm=Callback::new(move |()| mark(()))
                    />
                </Show>
            </div>
            {move || {
                let lang = lang.get();
                let rows = pending.get();
                if rows.is_empty() {
                    return view! { <p class="empty" id="nothing-to-upload">{word(lang, Key::UiNothingToUpload)}</p> }.into_any();
                }
                let cal = calendar();
                let now = now_ms();
                view! {
                    <ul class="cards" id="pending-consents">
                        {rows.into_iter().map(|(id, kind, title, e)| {
                            let late = consent::upload_deadline(&e, &cal) - now < 86_400_000;
                            view! {
                                <li class="card" data-late=late.to_string()>
                                    <A href=record_href(&kind, id)>{title}</A>
                                    <span>
                                        {word_for(lang, &format!("iys.{}", e.channel.code()))} " · "
                                        {word_for(lang, &format!("consent.{}", e.status.code()))} " · "
                                        {local_text(lang, saha_core::time::civil::Zone::istanbul().local(e.at))}
                                    </span>
                                    <Show when=move || late>
                                        <span class="badge danger">{word(lang, Key::UiIysLate)}</span>
                                    </Show>
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
