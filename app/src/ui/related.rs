//! What a record's page shows beyond its own fields: the account's 360° view (its
//! contacts, leads, opportunities, quotes, orders, invoices and timeline), converting a
//! lead, and an opportunity's stage and quotes.

use crate::client::error::RepoError;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::parties::{account, contact};
use saha_core::record::WorkflowRefusal;
use saha_core::sales::document::SalesDocument;
use saha_core::sales::lead::{ConversionIds, Lead, LeadStatus};
use saha_core::sales::opportunity::Opportunity;
use saha_core::sales::{document as sales, lead, opportunity};
use saha_core::views::timeline::{self, Happening};

use super::records::{RecordCard, format_date, person_name, record_href, section_of, stage_name};
use super::{me, repo, use_lang, word};
use crate::client::repo::RecordView;
use crate::i18n;

/// Records of `kind` that belong to the account `account`.
fn linked(account: DocumentId, kind: &'static str) -> Memo<Vec<RecordView>> {
    let records = repo().records();
    let key = account.to_string();
    Memo::new(move |_| {
        records.with(|all| {
            let mut rows: Vec<RecordView> = all
                .values()
                .filter(|v| v.kind == kind && v.record.account() == key)
                .cloned()
                .collect();
            rows.sort_by_key(|v| std::cmp::Reverse(v.record.common().created_at));
            rows
        })
    })
}

/// The account's 360° page: everything linked to it, and its timeline.
#[component]
pub fn AccountPanels(id: DocumentId) -> impl IntoView {
    let lang = use_lang();
    let sections = [
        contact::KIND,
        opportunity::KIND,
        sales::QUOTE,
        sales::ORDER,
        sales::INVOICE,
        saha_core::service::case::KIND,
        saha_core::activities::call::KIND,
        saha_core::activities::meeting::KIND,
        saha_core::activities::task::KIND,
        lead::KIND,
    ]
    .into_iter()
    .map(|kind| {
        let rows = linked(id, kind);
        // Leads are linked by conversion, never created from an account.
        let can_add = kind != lead::KIND && kind != sales::ORDER && kind != sales::INVOICE && me().role.can_write();
        let new_href = format!("/{}/new?account={id}", section_of(kind));
        view! {
            <section class="related" data-related=kind>
                <div class="toolbar">
                    <h2>
                        {move || word(lang.get(), &format!("kinds.{kind}"))}
                        " "
                        <span class="count">{move || rows.with(Vec::len)}</span>
                    </h2>
                    <Show when=move || can_add>
                        <A href=new_href.clone() attr:class="button small no-print">"+ " {move || word(lang.get(), &format!("new.{kind}"))}</A>
                    </Show>
                </div>
                <ul class="cards compact">
                    <For each=move || rows.get() key=|v| (v.id, format!("{:?}", v.record)) let(v)>
                        <RecordCard view=v />
                    </For>
                </ul>
            </section>
        }
    })
    .collect_view();
    view! {
        <div class="account-360">
            <super::service::ServiceActions account=id.to_string() contact=String::new() />
            <super::consent::ConsentPanel id=id />
            <super::consent::LoyaltyPanel id=id />
            {sections}
            <AccountTimeline id=id />
        </div>
    }
}

#[component]
fn AccountTimeline(id: DocumentId) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let events = Memo::new(move |_| {
        let zone = repo().service().with(|s| s.zone());
        records.with(|all| timeline::for_account(id, all.values().map(|v| (v.id, &v.record)), zone))
    });
    view! {
        <section class="timeline">
            <h2>{move || word(lang.get(), "ui.timeline")}</h2>
            <ol>
                <For
                    each=move || events.get()
                    key=|e| (e.at, e.record, format!("{:?}", e.happening))
                    let(e)
                >
                    <TimelineEntry event=e />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn TimelineEntry(event: timeline::Event<DocumentId>) -> impl IntoView {
    let lang = use_lang();
    let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(event.at as f64));
    let when = format!(
        "{} {:02}:{:02}",
        format_date(
            lang.get_untracked(),
            &saha_core::sales::document::date_of(event.at)
        ),
        when.get_hours(),
        when.get_minutes()
    );
    let kind = event.kind.clone();
    let what = move || {
        let l = lang.get();
        let kind_word = word(l, &format!("kind.{kind}"));
        match &event.happening {
            Happening::Created => format!("{kind_word} {}", word(l, "ui.created")),
            Happening::Converted => format!("{kind_word} {}", word(l, "ui.converted")),
            Happening::Changed { from, to } => {
                let name = |code: &str| match kind.as_str() {
                    account::KIND => i18n::word(l, &format!("type.{code}")),
                    opportunity::KIND => stage_name(l, code),
                    _ => i18n::word(l, &format!("status.{code}")),
                };
                format!("{kind_word}: {} → {}", name(from), name(to))
            }
            Happening::Call {
                direction,
                outcome,
                seconds,
            } => format!(
                "{kind_word} ({}): {} · {}",
                word(l, &format!("direction.{}", direction.code())),
                word(l, &format!("outcome.{}", outcome.code())),
                saha_core::activities::call::duration_text(*seconds)
            ),
            Happening::Meeting => kind_word,
            Happening::Message {
                person,
                channel,
                state,
            } => format!(
                "{kind_word} ({}) → {}: {}",
                word(l, &format!("channel.{}", channel.code())),
                super::records::title_of_id(person),
                word(l, &format!("delivery.{}", state.code()))
            ),
        }
    };
    let who = person_name(&event.by);
    view! {
        <li data-kind=event.kind.clone()>
            <time>{when}</time>
            <A href=record_href(&event.kind, event.record)>{event.title.clone()}</A>
            <span class="what">{what}</span>
            <span class="who">{who}</span>
        </li>
    }
}

/// Runs a workflow step that may fail, showing its error in `failure`.
pub fn run_step<F>(failure: RwSignal<Option<String>>, step: F)
where
    F: std::future::Future<Output = Result<(), RepoError>> + 'static,
{
    let lang = use_lang().get_untracked();
    wasm_bindgen_futures::spawn_local(async move {
        match step.await {
            Ok(()) => failure.set(None),
            Err(e) => failure.set(Some(i18n::repo_error(lang, &e))),
        }
    });
}

/// Converting a lead: one tap makes the account, contact and opportunity.
#[component]
pub fn LeadPanel(id: DocumentId, lead: Lead) -> impl IntoView {
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    let convertible = !matches!(
        lead.status,
        LeadStatus::Converted | LeadStatus::Disqualified
    ) && me().role.can_write();
    let convert = move |_| {
        run_step(failure, async move {
            let repo = repo();
            let Some(Record::Lead(mut lead)) = repo.record(id) else {
                return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
            };
            let (account_id, contact_id, opportunity_id) = (
                DocumentId::random(),
                DocumentId::random(),
                DocumentId::random(),
            );
            let ids = ConversionIds {
                account: account_id.to_string(),
                contact: contact_id.to_string(),
                opportunity: opportunity_id.to_string(),
            };
            let first_stage = repo
                .pipeline()
                .with_untracked(|p| p.first().map(|s| s.code.clone()))
                .unwrap_or_default();
            let made = lead.convert(&id.to_string(), &ids, &first_stage, &repo.edit_context())?;
            repo.save(
                vec![
                    (account_id, Record::Account(made.account)),
                    (contact_id, Record::Contact(made.contact)),
                    (opportunity_id, Record::Opportunity(made.opportunity)),
                ],
                vec![(id, Record::Lead(lead))],
            )
            .await?;
            super::go(&record_href(opportunity::KIND, opportunity_id));
            Ok(())
        })
    };
    let links: Vec<(&'static str, String)> = [
        (account::KIND, lead.converted_account.clone()),
        (contact::KIND, lead.converted_contact.clone()),
        (opportunity::KIND, lead.converted_opportunity.clone()),
    ]
    .into_iter()
    .filter(|(_, id)| !id.is_empty())
    .collect();
    view! {
        <section class="workflow no-print">
            <Show when=move || convertible>
                <button type="button" class="button primary" id="convert-lead" on:click=convert>
                    {move || word(lang.get(), "ui.convert")}
                </button>
            </Show>
            <ErrorLine failure=failure />
            <Show when={
                let any = !links.is_empty();
                move || any
            }>
                <h2>{move || word(lang.get(), "ui.converted_into")}</h2>
                <ul class="links">
                    {links
                        .clone()
                        .into_iter()
                        .filter_map(|(kind, id)| {
                            let parsed: DocumentId = id.parse().ok()?;
                            let title = super::records::title_of_id(&id);
                            Some(view! {
                                <li>
                                    {move || word(lang.get(), &format!("kind.{kind}"))} ": "
                                    <A href=record_href(kind, parsed)>{title}</A>
                                </li>
                            })
                        })
                        .collect_view()}
                </ul>
            </Show>
        </section>
    }
}

#[component]
pub fn ErrorLine(failure: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || failure.with(Option::is_some)>
            <p class="banner error" role="alert">{move || failure.get().unwrap_or_default()}</p>
        </Show>
    }
}

/// Moves an opportunity to another stage, logging who and when (a lost deal carries
/// its reason).
pub async fn move_opportunity(
    id: DocumentId,
    stage: String,
    lost_reason: Option<String>,
) -> Result<(), RepoError> {
    let repo = repo();
    let Some(record @ Record::Opportunity(_)) = repo.record(id) else {
        return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
    };
    let mut form = record.form();
    form.set("stage", stage);
    if let Some(reason) = lost_reason {
        form.set("lost_reason", reason);
    }
    repo.edit(id, &form).await
}

/// An opportunity's stage (changed in place) and its quotes.
#[component]
pub fn OpportunityPanel(id: DocumentId, opportunity: Opportunity) -> impl IntoView {
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    let writer = me().role.can_write();
    let stages = repo().pipeline().get_untracked();
    let current = opportunity.stage.clone();
    let new_quote = move |_| {
        run_step(failure, async move {
            let repo = repo();
            let Some(Record::Opportunity(opportunity)) = repo.record(id) else {
                return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
            };
            let quote =
                SalesDocument::quote_for(&id.to_string(), &opportunity, &repo.edit_context());
            let quote_id = repo.create(Record::Sales(quote)).await?;
            super::go(&record_href(sales::QUOTE, quote_id));
            Ok(())
        })
    };
    let records = repo().records();
    let key = id.to_string();
    let quotes = Memo::new(move |_| {
        records.with(|all| {
            all.values()
                .filter(|v| matches!(&v.record, Record::Sales(s) if s.opportunity == key))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let origin = opportunity.lead.parse::<DocumentId>().ok();
    view! {
        <section class="workflow no-print">
            <div class="field">
                <label for="opportunity-stage-quick">{move || word(lang.get(), "field.stage")}</label>
                <select
                    id="opportunity-stage-quick"
                    disabled=!writer
                    on:change=move |ev| {
                        let stage = event_target_value(&ev);
                        let mut reason = None;
                        if stage == opportunity::LOST {
                            let question = word(lang.get_untracked(), "field.lost_reason");
                            match web_sys::window().and_then(|w| w.prompt_with_message(&question).ok().flatten()) {
                                Some(text) if !text.trim().is_empty() => reason = Some(text.trim().to_owned()),
                                _ => return,
                            }
                        }
                        run_step(failure, move_opportunity(id, stage, reason));
                    }
                >
                    {stages
                        .into_iter()
                        .map(|s| {
                            let selected = s.code == current;
                            let code = s.code.clone();
                            view! { <option value=code selected=selected>{move || stage_name(lang.get(), &s.code)}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <Show when=move || writer>
                <button type="button" class="button primary" id="new-quote" on:click=new_quote>
                    {move || word(lang.get(), "ui.new_quote")}
                </button>
            </Show>
            <ErrorLine failure=failure />
            {origin
                .map(|lead_id| {
                    view! {
                        <p>
                            {move || word(lang.get(), "ui.lead_origin")} ": "
                            <A href=record_href(lead::KIND, lead_id)>{super::records::title_of_id(&lead_id.to_string())}</A>
                        </p>
                    }
                })}
            <h2>{move || word(lang.get(), "kinds.quote")}</h2>
            <ul class="cards compact">
                <For each=move || quotes.get() key=|v| (v.id, format!("{:?}", v.record)) let(v)>
                    <RecordCard view=v />
                </For>
            </ul>
        </section>
    }
}
