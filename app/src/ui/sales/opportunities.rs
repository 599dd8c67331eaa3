//! A lead's conversion and an opportunity's stage moves.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::parties::{account, contact};
use saha_core::record::WorkflowRefusal;
use saha_core::sales::document as sales;
use saha_core::sales::{
    document::SalesDocument,
    lead::{self, Lead, LeadStatus},
    opportunity::{self, Opportunity},
};

use crate::client::error::RepoError;
use crate::ui::{
    me, repo, use_lang,
    widgets::{
        dialog::ReasonSheet,
        feedback::{ErrorLine, run_step},
        links::{record_href, stage_name},
        record_card::RecordCard,
    },
    word,
};

/// A lead's way to its conversion ([`super::conversion`]) and, once converted, to the
/// records it became.
#[component]
pub fn LeadPanel(id: DocumentId, lead: Lead) -> impl IntoView {
    let lang = use_lang();
    let convertible = !matches!(
        lead.status,
        LeadStatus::Converted | LeadStatus::Disqualified
    ) && me().role.can_write();
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
                <A href=format!("{}/convert", record_href(lead::KIND, id)) attr:class="button primary" attr:id="convert-lead">
                    {move || word(lang.get(), Key::UiConvert)}
                </A>
            </Show>
            <Show when={
                let any = !links.is_empty();
                move || any
            }>
                <h2>{move || word(lang.get(), Key::UiConvertedInto)}</h2>
                <ul class="links">
                    {links
                        .clone()
                        .into_iter()
                        .filter_map(|(kind, id)| {
                            let parsed: DocumentId = id.parse().ok()?;
                            let title = crate::ui::widgets::links::title_of_id(&id);
                            Some(view! {
                                <li>
                                    {move || word_for(lang.get(), &format!("kind.{kind}"))} ": "
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
    // Asking for the reason of a deal marked lost.
    let lost = RwSignal::new(None::<DocumentId>);
    let lost_reason = Callback::new(move |(id, reason): (DocumentId, String)| {
        run_step(
            failure,
            move_opportunity(id, opportunity::LOST.to_owned(), Some(reason)),
        );
    });
    let new_quote = move |_| {
        run_step(failure, async move {
            let repo = repo();
            let Some(Record::Opportunity(opportunity)) = repo.record(id) else {
                return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
            };
            let quote =
                SalesDocument::quote_for(&id.to_string(), &opportunity, &repo.edit_context());
            let quote_id = repo.create(Record::Sales(quote)).await?;
            crate::ui::go(&record_href(sales::QUOTE, quote_id));
            Ok(())
        })
    };
    // A won deal becomes an order: from its accepted quote if it has one.
    let order_from_deal = move |_| {
        run_step(failure, async move {
            let repo = repo();
            let Some(Record::Opportunity(deal)) = repo.record(id) else {
                return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
            };
            let key = id.to_string();
            let accepted = repo.records().with_untracked(|all| {
                all.values()
                    .filter_map(|v| match &v.record {
                        Record::Sales(q)
                            if q.common.kind == sales::QUOTE
                                && q.opportunity == key
                                && q.status == "accepted" =>
                        {
                            Some((v.id.to_string(), q.clone()))
                        }
                        _ => None,
                    })
                    .max_by_key(|(_, q)| (q.revision, q.common.created_at))
            });
            let order = SalesDocument::order_for_won(
                &key,
                &deal,
                accepted.as_ref().map(|(qid, q)| (qid.as_str(), q)),
                &repo.edit_context(),
            )?;
            let order_id = repo.create(Record::Sales(order)).await?;
            crate::ui::go(&record_href(sales::ORDER, order_id));
            Ok(())
        })
    };
    let won = current == opportunity::WON;
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
                <label for="opportunity-stage-quick">{move || word(lang.get(), Key::FieldStage)}</label>
                <select
                    id="opportunity-stage-quick"
                    disabled=!writer
                    on:change=move |ev| {
                        let stage = event_target_value(&ev);
                        if stage == opportunity::LOST {
                            lost.set(Some(id));
                            return;
                        }
                        run_step(failure, move_opportunity(id, stage, None));
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
            <ReasonSheet asking=lost label=Key::FieldLostReason id="lost-reason" on_reason=lost_reason />
            <Show when=move || writer>
                <button type="button" class="button primary" id="new-quote" on:click=new_quote>
                    {move || word(lang.get(), Key::UiNewQuote)}
                </button>
            </Show>
            <Show when=move || writer && won>
                <button type="button" class="button primary" id="order-from-deal" on:click=order_from_deal>
                    {move || word(lang.get(), Key::UiOrderFromDeal)}
                </button>
            </Show>
            <ErrorLine failure=failure />
            {origin
                .map(|lead_id| {
                    view! {
                        <p>
                            {move || word(lang.get(), Key::UiLeadOrigin)} ": "
                            <A href=record_href(lead::KIND, lead_id)>{crate::ui::widgets::links::title_of_id(&lead_id.to_string())}</A>
                        </p>
                    }
                })}
            <h2>{move || word(lang.get(), Key::KindsQuote)}</h2>
            <ul class="cards compact">
                <For each=move || quotes.get() key=|v| (v.id, v.rev) let(v)>
                    <RecordCard view=v />
                </For>
            </ul>
        </section>
    }
}
