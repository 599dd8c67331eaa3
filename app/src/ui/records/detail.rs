//! A record's page: its facts and the panels its feature adds.

use crate::i18n::word_for;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::kinds::{Record, section_of};
use saha_core::record::form::{FieldSpec, Input};

use crate::client::repo::RecordView;
use crate::i18n::{self, Key};
use crate::ui::{
    me,
    records::list::{id_param, section_param},
    repo, tr, use_lang,
    widgets::{
        format::{format_amount, format_date},
        links::{display_title, person_name, record_href, team_name, title_of_id},
        record_card::FacetBadge,
    },
    word,
};

#[component]
pub fn RecordDetail() -> impl IntoView {
    let kind = section_param();
    let id = id_param();
    let records = repo().records();
    let lang = use_lang();
    let view_of = Memo::new(move |_| {
        id.get()
            .and_then(|id| records.with(|r| r.get(&id).cloned()))
            .filter(|v| v.kind == kind.get())
    });
    // The attachments panel is drawn once per record; what it shows follows the record.
    let panel_of = Memo::new(move |_| view_of.with(|v| v.as_ref().map(|v| (v.id, v.kind.clone()))));
    let attachments = Signal::derive(move || {
        view_of.with(|v| {
            v.as_ref()
                .map(|v| v.record.common().attachments.clone())
                .unwrap_or_default()
        })
    });
    let attachments_editable = Signal::derive(move || {
        view_of.with(|v| {
            v.as_ref()
                .is_some_and(|v| may_edit(&v.record) && !v.record.common().is_archived())
        })
    });
    view! {
        <section class="page">
            <A href=move || format!("/{}", section_of(kind.get())) attr:class="back no-print">
                "← "
                {move || word_for(lang.get(), &format!("kinds.{}", kind.get()))}
            </A>
            {move || match view_of.get() {
                None => match merged_into(id.get(), kind.get()) {
                    // A merged record redirects to the one it was merged into.
                    Some(href) => view! {
                        <p class="banner" role="status">{tr(Key::DupRedirect)}</p>
                        <leptos_router::components::Redirect path=href />
                    }
                    .into_any(),
                    None => view! { <p class="empty">{tr(Key::RecordNotFound)}</p> }.into_any(),
                },
                Some(v) => view! { <DetailBody view=v /> }.into_any(),
            }}
            // Outside the body, which is drawn again when the record changes: a
            // colleague's edit arriving neither closes the open "delete?" sheet nor
            // takes away the file input a rep is choosing a photo for.
            {move || panel_of.get().map(|(id, kind)| view! {
                <Attachments id=id kind=kind attachments=attachments editable=attachments_editable />
            })}
            <Show when=move || view_of.with(Option::is_some) && me().role.administers()>
                <DeleteRecord id=id kind=kind />
            </Show>
        </section>
    }
}

/// Deleting a record for everyone: owners and admins, asked first; undone from the
/// toast or restored from the bin.
#[component]
fn DeleteRecord(id: Memo<Option<DocumentId>>, kind: Memo<&'static str>) -> impl IntoView {
    let delete = Callback::new(move |()| {
        let Some(id) = id.get_untracked() else {
            return;
        };
        let list_href = format!("/{}", section_of(kind.get_untracked()));
        wasm_bindgen_futures::spawn_local(async move {
            if repo().set_deleted(id, true).await.is_ok() {
                crate::ui::go(&list_href);
                crate::ui::widgets::toast::show_undo(
                    Key::UiDeletedToast,
                    Callback::new(move |()| {
                        wasm_bindgen_futures::spawn_local(async move {
                            let _ = repo().set_deleted(id, false).await;
                        });
                    }),
                );
            }
        });
    });
    view! {
        <div class="actions no-print delete-actions">
            <crate::ui::widgets::dialog::ConfirmButton
                id="delete-record"
                label=Key::UiDelete
                question=Key::ConfirmDeleteRecord
                on_confirm=delete
            />
        </div>
    }
}

/// Where record `id` of `kind` lives now, when it was merged into another record.
fn merged_into(id: Option<DocumentId>, kind: &str) -> Option<String> {
    let record = repo().deleted_record(id?)?;
    let survivor = record.common().merged_into.parse::<DocumentId>().ok()?;
    (record.kind() == kind).then(|| record_href(kind, survivor))
}

#[component]
fn DetailBody(view: RecordView) -> impl IntoView {
    let lang = use_lang();
    let id = view.id;
    let kind = view.kind.clone();
    let title = {
        let view = view.clone();
        move || display_title(lang.get(), &view)
    };
    let notes = view.record.common().notes.clone();
    let edit_href = format!("{}/edit", record_href(&kind, id));
    let extra = match &view.record {
        Record::Account(_) => view! { <crate::ui::records::account::AccountPanels id=id /> }.into_any(),
        Record::Lead(l) => view! {
            <crate::ui::sales::opportunities::LeadPanel id=id lead=l.clone() />
            <crate::ui::engagement::consent::ConsentPanel id=id />
        }
        .into_any(),
        Record::Opportunity(o) => {
            view! { <crate::ui::sales::opportunities::OpportunityPanel id=id opportunity=o.clone() /> }.into_any()
        }
        Record::Sales(s) => {
            view! { <crate::ui::sales::documents::SalesPanel id=id document=s.clone() /> }.into_any()
        }
        Record::Case(c) => {
            view! { <crate::ui::service::cases::CaseSla case_id=id case=c.clone() /> }.into_any()
        }
        Record::Segment(s) => {
            view! { <crate::ui::engagement::campaigns::SegmentPanel segment=s.clone() /> }.into_any()
        }
        Record::Campaign(c) => {
            view! { <crate::ui::engagement::campaigns::CampaignPanel id=id campaign=c.clone() /> }.into_any()
        }
        Record::Meeting(m) => {
            view! { <crate::ui::activities::calendar::MeetingPanel id=id meeting=m.clone() /> }.into_any()
        }
        Record::Contact(c) => view! {
            <crate::ui::activities::calls::ServiceActions account=c.account.clone() contact=id.to_string() />
            <crate::ui::engagement::consent::ConsentPanel id=id />
        }
        .into_any(),
        _ => ().into_any(),
    };
    let editable = may_edit(&view.record);
    let archived = view.record.common().is_archived();
    // What is held about a person (an access request): owners, admins and privacy
    // officers.
    let privacy = (me().role.handles_privacy()
        && matches!(
            view.record,
            Record::Contact(_) | Record::Account(_) | Record::Lead(_)
        ))
    .then(|| format!("/privacy/{id}"));
    // Restoring: the banner's button, and the undo of archiving.
    let restore = move || {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = set_archived(id, false).await;
        });
    };
    view! {
        <article class="detail" data-kind=kind.clone()>
            <div class="toolbar">
                <h1>{title}</h1>
                <Show when=move || editable>
                    <A href=edit_href.clone() attr:class="button primary no-print" attr:id="edit-record">
                        {tr(Key::Edit)}
                    </A>
                </Show>
            </div>
            <Show when=move || archived>
                <p class="banner" role="status" id="archived-note">
                    {move || word(lang.get(), Key::UiArchivedNote)} " "
                    <Show when=move || editable>
                        <button type="button" class="button small" id="restore-record" on:click=move |_| restore()>{move || word(lang.get(), Key::UiRestore)}</button>
                    </Show>
                </p>
            </Show>
            <FacetBadge record=view.record.clone() />
            <Facts record=view.record.clone() />
            <Show when={
                let empty = notes.is_empty();
                move || !empty
            }>
                <h2>{move || word(lang.get(), Key::FieldNotes)}</h2>
                <p class="notes" data-field="notes">{notes.clone()}</p>
            </Show>
            {extra}
            {privacy.map(|href| view! {
                <p class="no-print">
                    <A href=href attr:id="privacy-link">{tr(Key::PrivacyLink)}</A>
                </p>
            })}
            <Show when=move || editable && !archived>
                <div class="actions no-print archive-actions">
                    <button type="button" class="button" id="archive-record" on:click=move |_| {
                        wasm_bindgen_futures::spawn_local(async move {
                            if set_archived(id, true).await.is_ok() {
                                crate::ui::widgets::toast::show_undo(
                                    Key::UiArchivedToast,
                                    Callback::new(move |()| restore()),
                                );
                            }
                        });
                    }>{move || word(lang.get(), Key::UiArchive)}</button>
                </div>
            </Show>
        </article>
    }
}

/// Whether this member may change `record` (products are the admins').
fn may_edit(record: &Record) -> bool {
    match record {
        Record::Product(_) => me().role.administers(),
        _ => me().role.can_write(),
    }
}

/// The attachments panel, whose code loads the first time a record page opens (from
/// the service worker's cache, offline too); a part that cannot be fetched leaves the
/// panel out and the rest of the page as it is.
#[component]
fn Attachments(
    id: DocumentId,
    kind: String,
    attachments: Signal<Vec<saha_core::record::attachment::Attachment>>,
    editable: Signal<bool>,
) -> impl IntoView {
    #[leptos::wasm_split::wasm_split(
        part_attachments,
        fallible,
        wasm_split_path = leptos::wasm_split
    )]
    fn panel() -> Result<Panel, leptos::wasm_split::SplitLoaderError> {
        Ok(|id, kind, attachments, editable| {
            view! {
                <crate::ui::records::attachments::AttachmentsPanel
                    id=id
                    kind=kind
                    attachments=attachments
                    editable=editable
                />
            }
            .into_any()
        })
    }
    // A signal and a task, not a resource under `Suspense`: that machinery would add
    // tens of kilobytes to the main module for this one use.
    let loaded = RwSignal::new(None::<Panel>);
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(panel) = panel().await {
            loaded.try_set(Some(panel));
        }
    });
    move || {
        loaded
            .get()
            .map(|panel| panel(id, kind.clone(), attachments, editable))
    }
}

/// Draws the attachments panel (see [`Attachments`]).
type Panel = fn(
    DocumentId,
    String,
    Signal<Vec<saha_core::record::attachment::Attachment>>,
    Signal<bool>,
) -> AnyView;

/// Archives a record (out of lists and search, kept whole) or restores it.
async fn set_archived(
    id: DocumentId,
    archived: bool,
) -> Result<(), crate::client::error::RepoError> {
    let now = crate::client::now_ms();
    repo()
        .update(id, move |record| {
            record.common_mut().archived_at = if archived { now } else { 0 };
            Ok(())
        })
        .await
}

/// The record's fields as a definition list (empty ones left out).
#[component]
fn Facts(record: Record) -> impl IntoView {
    let lang = use_lang();
    let form = record.form();
    let currency = form.get("currency").to_owned();
    let kind: &'static str = saha_core::kinds::KINDS
        .iter()
        .copied()
        .find(|k| *k == record.kind())
        .unwrap_or_default();
    let facts: Vec<(FieldSpec, String)> = record
        .fields()
        .iter()
        .filter(|f| f.name != "notes" && !matches!(f.name, "status" | "stage" | "type"))
        .map(|f| (*f, form.get(f.name).to_owned()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    view! {
        <dl class="facts">
            {facts
                .into_iter()
                .map(|(field, value)| {
                    let name = field.name;
                    let shown = fact_value(field, value, currency.clone());
                    view! {
                        <dt>{move || i18n::field_label(lang.get(), kind, name)}</dt>
                        <dd data-field=name>{shown}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}

fn fact_value(field: FieldSpec, value: String, currency: String) -> AnyView {
    let lang = use_lang();
    match field.input {
        Input::Phone => view! { <crate::ui::activities::calls::PhoneLink number=value /> }.into_any(),
        Input::Email => view! { <a href=format!("mailto:{value}")>{value.clone()}</a> }.into_any(),
        Input::Link(kind) => {
            let title = title_of_id(&value);
            match value.parse::<DocumentId>() {
                Ok(id) => view! { <A href=record_href(kind, id)>{title}</A> }.into_any(),
                Err(_) => value.into_any(),
            }
        }
        Input::Team => team_name(&value).into_any(),
        Input::Member => person_name(&value).into_any(),
        Input::Date => (move || format_date(lang.get(), &value)).into_any(),
        Input::Choice(_) => {
            let key = format!("{}.{value}", field.name);
            (move || i18n::word_for(lang.get(), &key)).into_any()
        }
        Input::Decimal if field.name != "quantity" => format_amount(&value, &currency).into_any(),
        Input::DateTime => match saha_core::time::civil::LocalDateTime::parse(&value) {
            Some(t) => (move || crate::ui::widgets::format::local_text(lang.get(), t)).into_any(),
            None => value.into_any(),
        },
        Input::Recurrence => {
            let zone = crate::ui::widgets::format::workspace_zone();
            (move || crate::ui::widgets::format::recurrence_text(lang.get(), &value, zone))
                .into_any()
        }
        Input::Duration => value
            .parse::<i64>()
            .map(saha_core::activities::call::duration_text)
            .unwrap_or(value)
            .into_any(),
        Input::AnyLink => match value.parse::<DocumentId>() {
            Ok(id) => {
                let kind = repo()
                    .records()
                    .with_untracked(|r| r.get(&id).map(|v| v.kind.clone()))
                    .unwrap_or_default();
                view! { <A href=record_href(&kind, id)>{title_of_id(&value)}</A> }.into_any()
            }
            Err(_) => value.into_any(),
        },
        Input::LinkList(kind) => value
            .split(',')
            .filter_map(|v| v.trim().parse::<DocumentId>().ok())
            .map(|id| {
                view! { <A href=record_href(kind, id) attr:class="chip">{title_of_id(&id.to_string())}</A> }
            })
            .collect_view()
            .into_any(),
        Input::MemberList => value
            .split(',')
            .map(|v| person_name(v.trim()))
            .collect::<Vec<_>>()
            .join(", ")
            .into_any(),
        Input::Text if field.name == "calendar" => {
            (move || crate::ui::activities::calendar::calendar_name(lang.get(), &value)).into_any()
        }
        _ => value.into_any(),
    }
}
