//! Converting a lead into what it may already be. The lead's would-be account and
//! contact are matched with the records on the device ([`matches_for`]); each match is
//! offered in place of a new record, the best one chosen already when it is a strong
//! match, so converting "Ayşe Yılmaz — Ege Zeytin" does not make a second Ege Zeytin.
//! A reused record keeps its values and only has its gaps filled
//! ([`Lead::convert`]).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use saha_core::DocumentId;
use saha_core::duplicates::{Pair, Profile, matches_for};
use saha_core::kinds::Record;
use saha_core::record::WorkflowRefusal;
use saha_core::sales::lead::{ConversionIds, Lead, Reuse};
use saha_core::sales::{lead, opportunity};

use crate::client::error::RepoError;
use crate::i18n::{Key, word_for};
use crate::ui::widgets::feedback::{ErrorLine, NotFound, run_step};
use crate::ui::widgets::links::{record_href, title_of_id};
use crate::ui::widgets::matches::keys_text;
use crate::ui::{me, repo, tr, use_lang};

/// A match this strong is chosen in advance (the user can still choose "new").
pub const STRONG: u8 = 80;

/// How many matches of each kind are offered.
const OFFERED: usize = 5;

/// The page at `/leads/:id/convert`.
#[component]
pub fn LeadConversionPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let id: DocumentId = params.with(|p| p.get("id").and_then(|id| id.parse().ok()))?;
        match repo().record(id) {
            Some(Record::Lead(lead)) => Some(view! { <Conversion id=id lead=lead /> }.into_any()),
            _ => Some(view! { <NotFound /> }.into_any()),
        }
    }
}

/// The best matches of `profile` on the device, at most [`OFFERED`].
fn best(profile: &Profile) -> Vec<Pair> {
    let mut found = repo().with_record_list(|list| matches_for(profile, list));
    found.truncate(OFFERED);
    found
}

/// The match chosen before the user chooses: the best one if it is [`STRONG`].
fn preselected(pairs: &[Pair]) -> String {
    pairs
        .first()
        .filter(|p| p.score >= STRONG)
        .map(|p| p.second.clone())
        .unwrap_or_default()
}

#[component]
fn Conversion(id: DocumentId, lead: Lead) -> impl IntoView {
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    // A converted or disqualified lead is refused by the step itself, with the reason.
    let writer = me().role.can_write();
    let (account_profile, _) = Profile::of_lead(&lead, "");
    let accounts = best(&account_profile);
    // "" means a new record.
    let account = RwSignal::new(preselected(&accounts));
    let contact_lead = lead.clone();
    let contacts = Memo::new(move |_| {
        let (_, profile) = Profile::of_lead(&contact_lead, &account.get());
        best(&profile)
    });
    // The user's choice of contact; `None` until they choose.
    let contact_choice = RwSignal::new(None::<String>);
    let contact = Memo::new(move |_| {
        contacts.with(|found| match contact_choice.get() {
            Some(chosen) if chosen.is_empty() || found.iter().any(|p| p.second == chosen) => chosen,
            _ => preselected(found),
        })
    });
    let convert = move |_| {
        let (account_id, contact_id) = (account.get_untracked(), contact.get_untracked());
        run_step(failure, async move {
            convert_lead(id, &account_id, &contact_id).await
        })
    };
    let account_name = lead.account_name().to_owned();
    let contact_name = lead.name.clone();
    let account_pick = Callback::new(move |chosen: String| account.set(chosen));
    let contact_pick = Callback::new(move |chosen: String| contact_choice.set(Some(chosen)));
    view! {
        <section class="page" id="lead-conversion">
            <A href=record_href(lead::KIND, id) attr:class="back">"← " {title_of_id(&id.to_string())}</A>
            <h1>{tr(Key::UiConvertTitle)}</h1>
            <p class="hint">{tr(Key::UiConvertHint)}</p>
            <Choices
                id="convert-account"
                legend=move || word_for(lang.get(), "kind.account")
                new_name=account_name
                pairs=Signal::derive(move || accounts.clone())
                chosen=account.into()
                pick=account_pick
            />
            <Choices
                id="convert-contact"
                legend=move || word_for(lang.get(), "kind.contact")
                new_name=contact_name
                pairs=contacts.into()
                chosen=contact.into()
                pick=contact_pick
            />
            <ErrorLine failure=failure />
            <div class="actions">
                <Show when=move || writer fallback=|| view! { <p class="banner">{tr(Key::ReadOnlyNote)}</p> }>
                    <button type="button" class="button primary" id="convert-confirm" on:click=convert>
                        {tr(Key::UiConvert)}
                    </button>
                </Show>
                <A href=record_href(lead::KIND, id) attr:class="button">{tr(Key::Cancel)}</A>
            </div>
        </section>
    }
}

/// One record's choice: a new one named `new_name`, or one of `pairs`.
#[component]
fn Choices(
    id: &'static str,
    legend: impl Fn() -> String + Send + Sync + 'static,
    new_name: String,
    pairs: Signal<Vec<Pair>>,
    chosen: Signal<String>,
    pick: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="choices" id=id>
            <legend>{legend}</legend>
            <label class="choice" data-choice="new">
                <input
                    type="radio"
                    name=id
                    value=""
                    prop:checked=move || chosen.with(String::is_empty)
                    on:change=move |_| pick.run(String::new())
                />
                <span>{tr(Key::UiConvertNew)} ": " <strong>{new_name}</strong></span>
            </label>
            {move || {
                pairs
                    .get()
                    .into_iter()
                    .map(|pair| {
                        let existing = pair.second.clone();
                        let checked = existing.clone();
                        let picked = existing.clone();
                        let keys = pair.keys.clone();
                        view! {
                            <label class="choice" data-choice=existing.clone()>
                                <input
                                    type="radio"
                                    name=id
                                    value=existing.clone()
                                    prop:checked=move || chosen.with(|c| *c == checked)
                                    on:change=move |_| pick.run(picked.clone())
                                />
                                <span>
                                    {tr(Key::UiConvertExisting)} ": " <strong>{title_of_id(&existing)}</strong>
                                    <span class="card-meta">
                                        " · " {tr(Key::DupScore)} " " {pair.score} " · "
                                        {move || keys_text(lang.get(), &keys)}
                                    </span>
                                </span>
                            </label>
                        }
                    })
                    .collect_view()
            }}
        </fieldset>
    }
}

/// Converts lead `id`, using the existing account `account_id` and contact
/// `contact_id` where they are not empty, and opens the new opportunity.
async fn convert_lead(id: DocumentId, account_id: &str, contact_id: &str) -> Result<(), RepoError> {
    let repo = repo();
    let Some(Record::Lead(mut lead)) = repo.record(id) else {
        return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
    };
    let existing = |chosen: &str| -> Result<Option<(DocumentId, Record)>, RepoError> {
        if chosen.is_empty() {
            return Ok(None);
        }
        let id: DocumentId = chosen
            .parse()
            .map_err(|_| RepoError::Workflow(WorkflowRefusal::NotARecord))?;
        let record = repo
            .record(id)
            .ok_or(RepoError::Workflow(WorkflowRefusal::NotARecord))?;
        Ok(Some((id, record)))
    };
    let mut account = existing(account_id)?;
    let mut contact = existing(contact_id)?;
    let account_doc = account
        .as_ref()
        .map_or_else(DocumentId::random, |(id, _)| *id);
    let contact_doc = contact
        .as_ref()
        .map_or_else(DocumentId::random, |(id, _)| *id);
    let opportunity_doc = DocumentId::random();
    let ids = ConversionIds {
        account: account_doc.to_string(),
        contact: contact_doc.to_string(),
        opportunity: opportunity_doc.to_string(),
    };
    let reuse = Reuse {
        account: match &mut account {
            Some((_, Record::Account(a))) => Some(a),
            Some(_) => return Err(RepoError::Workflow(WorkflowRefusal::NotARecord)),
            None => None,
        },
        contact: match &mut contact {
            Some((_, Record::Contact(c))) => Some(c),
            Some(_) => return Err(RepoError::Workflow(WorkflowRefusal::NotARecord)),
            None => None,
        },
    };
    let first_stage = repo
        .pipeline()
        .with_untracked(|p| p.first().map(|s| s.code.clone()))
        .unwrap_or_default();
    let made = lead.convert(
        &id.to_string(),
        &ids,
        reuse,
        &first_stage,
        &repo.edit_context(),
    )?;
    let new: Vec<(DocumentId, Record)> = [
        made.account.map(|a| (account_doc, Record::Account(a))),
        made.contact.map(|c| (contact_doc, Record::Contact(c))),
        Some((opportunity_doc, Record::Opportunity(made.opportunity))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut changed = vec![(id, Record::Lead(lead))];
    changed.extend(account);
    changed.extend(contact);
    repo.save(new, changed).await?;
    crate::ui::go(&record_href(opportunity::KIND, opportunity_doc));
    Ok(())
}
