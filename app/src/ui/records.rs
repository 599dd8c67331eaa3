//! Record screens for every kind: list with search, filter and sort; detail (the
//! account's is its 360° page); create and edit forms built from the record type's
//! field list ([`saha_core::record::form`]).

use std::collections::HashMap;

use crate::client::error::RepoError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use saha_core::DocumentId;
use saha_core::access::Role;
use saha_core::kinds::Record;
pub use saha_core::kinds::{kind_of_section, section_of};
use saha_core::parties::account;
use saha_core::record::form::{FieldSpec, Form, Input};
use saha_core::sales::{document as sales, lead, opportunity, product};
use saha_core::text::validate::Problem;

use super::{me, repo, tr, use_lang, word};
use crate::client::repo::RecordView;
use crate::i18n::{self, Msg};

/// Cards rendered at a time in a list.
const PAGE: usize = 100;

/// The URL section of each kind (`/accounts`, `/leads`, …).
/// The path of a record's page.
pub fn record_href(kind: &str, id: DocumentId) -> String {
    format!("/{}/{id}", section_of(kind))
}

/// Today as `YYYY-MM-DD`.
pub fn today() -> String {
    sales::date_of(crate::client::now_ms())
}

/// The codes a list of `kind` can be filtered by.
fn facet_choices(kind: &str) -> Vec<(&'static str, String)> {
    let codes = |field: &'static str, codes: &[&str]| {
        codes
            .iter()
            .map(|c| (field, (*c).to_owned()))
            .collect::<Vec<_>>()
    };
    match kind {
        account::KIND => codes("type", account::CustomerType::CODES),
        lead::KIND => codes("status", lead::LeadStatus::CODES),
        opportunity::KIND => repo()
            .pipeline()
            .get_untracked()
            .into_iter()
            .map(|s| ("stage", s.code))
            .collect(),
        sales::INVOICE => {
            let mut c = codes("status", sales::statuses(kind));
            c.push(("status", "overdue".to_owned()));
            c
        }
        sales::QUOTE | sales::ORDER => codes("status", sales::statuses(kind)),
        saha_core::service::case::KIND => codes("status", saha_core::service::case::Status::CODES),
        saha_core::activities::task::KIND => {
            codes("status", saha_core::activities::task::Status::CODES)
        }
        saha_core::activities::meeting::KIND => {
            codes("status", saha_core::activities::meeting::Status::CODES)
        }
        saha_core::activities::call::KIND => {
            codes("outcome", saha_core::activities::call::Outcome::CODES)
        }
        saha_core::engagement::campaign::KIND => {
            codes("status", saha_core::engagement::campaign::Status::CODES)
        }
        _ => Vec::new(),
    }
}

/// The word for a stage: the workspace's own name, or the built-in stage's word.
pub fn stage_name(lang: i18n::Lang, code: &str) -> String {
    repo()
        .pipeline()
        .with_untracked(|stages| {
            stages
                .iter()
                .find(|s| s.code == code && !s.name.is_empty())
                .map(|s| s.name.clone())
        })
        .unwrap_or_else(|| i18n::word(lang, &format!("stage.{code}")))
}

/// A record's display title. Quotes, orders and invoices are named by kind, number and
/// account, since they have no name of their own.
pub fn display_title(lang: i18n::Lang, view: &RecordView) -> String {
    match &view.record {
        Record::Sales(s) => {
            let number = if s.number.is_empty() {
                format!("#{}", &view.id.to_string()[..6])
            } else {
                s.number.clone()
            };
            let account = title_of_id(&s.account);
            format!(
                "{} {number} · {account}",
                i18n::word(lang, &format!("kind.{}", view.kind))
            )
        }
        record => record.title(),
    }
}

/// The title of the record with ID `id` (as text), or "" if it is not here.
pub fn title_of_id(id: &str) -> String {
    let Ok(id) = id.parse::<DocumentId>() else {
        return String::new();
    };
    repo()
        .records()
        .with_untracked(|r| r.get(&id).map(|v| v.record.title()))
        .unwrap_or_default()
}

/// A team's name from the signed-in member's copy of the workspace's teams.
pub fn team_name(id: &str) -> String {
    me().workspace_teams
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.name.clone())
        .unwrap_or_default()
}

pub fn person_name(id: &str) -> String {
    me().people
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// Formats `YYYY-MM-DD` as the user reads dates (`24.11.2026` in Turkish).
pub fn format_date(lang: i18n::Lang, date: &str) -> String {
    match (lang, date.split('-').collect::<Vec<_>>().as_slice()) {
        (i18n::Lang::Tr, [y, m, d]) => format!("{d}.{m}.{y}"),
        _ => date.to_owned(),
    }
}

/// Formats an amount typed as decimal text in `currency`.
pub fn format_amount(amount: &str, currency: &str) -> String {
    if amount.is_empty() {
        return String::new();
    }
    let currency = saha_core::sales::money::Currency::from_code(currency)
        .unwrap_or(saha_core::sales::money::Currency::Try);
    saha_core::sales::money::format_tr(amount.parse().unwrap_or_default(), currency)
}

/// The one-line summary under a card's title.
fn card_meta(lang: i18n::Lang, view: &RecordView) -> String {
    let parts: Vec<String> = match &view.record {
        Record::Account(a) => vec![a.city.clone(), a.phone.clone()],
        Record::Contact(c) => vec![c.title.clone(), title_of_id(&c.account), c.phone.clone()],
        Record::Lead(l) => vec![l.company.clone(), l.city.clone(), l.topic.clone()],
        Record::Opportunity(o) => vec![
            title_of_id(&o.account),
            format_amount(&o.amount, &o.currency),
            format_date(lang, &o.close_date),
        ],
        Record::Product(p) => vec![
            format_amount(&p.unit_price, &p.currency),
            p.category.clone(),
        ],
        Record::Sales(s) => vec![
            s.totals()
                .map(|t| saha_core::sales::money::format_tr(t.gross, s.currency()))
                .unwrap_or_default(),
            format_date(lang, &s.issue_date),
        ],
        Record::Case(c) => vec![
            i18n::word(lang, &format!("category.{}", c.category.code())),
            i18n::word(lang, &format!("priority.{}", c.priority.code())),
            title_of_id(&c.account),
        ],
        Record::Call(c) => vec![
            i18n::word(lang, &format!("direction.{}", c.direction.code())),
            title_of_id(&c.account),
            saha_core::activities::call::duration_text(c.duration),
        ],
        Record::Task(t) => vec![
            saha_core::time::civil::LocalDateTime::parse(&t.due)
                .map(|d| super::service::local_text(lang, d))
                .unwrap_or_default(),
            person_name(&t.owner),
        ],
        Record::Segment(s) => vec![s.city.clone(), s.account_segment.clone(), s.tags.join(", ")],
        Record::Campaign(c) => vec![
            i18n::word(lang, &format!("channel.{}", c.channel.code())),
            title_of_id(&c.segment),
            c.topic.clone(),
        ],
        Record::Meeting(m) => vec![
            saha_core::time::civil::LocalDateTime::parse(&m.start)
                .map(|d| super::service::local_text(lang, d))
                .unwrap_or_default(),
            m.location.clone(),
            title_of_id(&m.account),
        ],
    };
    parts
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A badge showing a record's type, status or stage.
#[component]
pub fn FacetBadge(record: Record) -> impl IntoView {
    let lang = use_lang();
    record.facet(&today()).map(|(field, code)| {
        let label = {
            let code = code.clone();
            move || {
                if field == "stage" {
                    stage_name(lang.get(), &code)
                } else {
                    i18n::word(lang.get(), &format!("{field}.{code}"))
                }
            }
        };
        view! { <span class="badge" data-type=code.clone()>{label}</span> }
    })
}

fn section_param() -> Memo<&'static str> {
    let params = use_params_map();
    Memo::new(move |_| {
        params.with(|p| {
            p.get("section")
                .and_then(|s| kind_of_section(&s))
                .unwrap_or(account::KIND)
        })
    })
}

fn id_param() -> Memo<Option<DocumentId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse().ok())))
}

/// Whether the signed-in member may create records of `kind`. Products are shared by
/// the workspace, so only owners and admins add them.
pub fn may_create(kind: &str) -> bool {
    let role = me().role;
    role.can_write() && (kind != product::KIND || role.administers())
}

#[component]
pub fn RecordList() -> impl IntoView {
    let kind = section_param();
    move || {
        let kind = kind.get();
        view! { <KindList kind=kind /> }
    }
}

#[component]
fn KindList(kind: &'static str) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let query = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let newest_first = RwSignal::new(false);
    let limit = RwSignal::new(PAGE);
    let choices = facet_choices(kind);
    // Matches are found over every record of the kind by the search index, but only
    // the first `limit` are rendered: a phone does not need 10 000 cards in its DOM.
    let matches = Memo::new(move |_| {
        let q = query.get();
        let wanted = filter.get();
        let newest = newest_first.get();
        let shown = limit.get();
        records.with(|all| {
            let keep = |id: &DocumentId| {
                all.get(id).is_some_and(|v| {
                    v.kind == kind
                        && (wanted.is_empty()
                            || v.record
                                .facet(&today())
                                .is_some_and(|(_, code)| code == wanted))
                })
            };
            let (found, mut ids) = repo().search(&q, if newest { usize::MAX } else { shown }, keep);
            if newest {
                ids.sort_by_key(|id| {
                    std::cmp::Reverse(all.get(id).map_or(0, |v| v.record.common().created_at))
                });
                ids.truncate(shown);
            }
            let rows: Vec<RecordView> = ids.iter().filter_map(|id| all.get(id).cloned()).collect();
            (found, rows)
        })
    });
    let rows = Memo::new(move |_| matches.with(|(_, rows)| rows.clone()));
    let found = move || matches.with(|(n, _)| *n);
    let search_id = format!("{kind}-search");
    let has_filter = !choices.is_empty();
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{move || word(lang.get(), &format!("kinds.{kind}"))}</h1>
                <Show when=move || may_create(kind)>
                    <A href=format!("/{}/new", section_of(kind)) attr:class="button primary" attr:id="new-record">
                        "+ "
                        {move || word(lang.get(), &format!("new.{kind}"))}
                    </A>
                </Show>
            </div>
            <div class="list-controls">
                <div class="field search">
                    <label for=search_id.clone()>{tr(Msg::Search)}</label>
                    <input
                        id=search_id
                        type="search"
                        autocomplete="off"
                        placeholder=tr(Msg::SearchPlaceholder)
                        prop:value=query
                        on:input=move |ev| {
                            limit.set(PAGE);
                            query.set(event_target_value(&ev));
                        }
                    />
                </div>
                <Show when=move || has_filter>
                    <div class="field">
                        <label for="list-filter">{move || word(lang.get(), "ui.filter")}</label>
                        <select
                            id="list-filter"
                            on:change=move |ev| {
                                limit.set(PAGE);
                                filter.set(event_target_value(&ev));
                            }
                        >
                            <option value="">{move || word(lang.get(), "ui.all")}</option>
                            {choices
                                .clone()
                                .into_iter()
                                .map(|(field, code)| {
                                    let value = code.clone();
                                    let label = move || {
                                        if field == "stage" {
                                            stage_name(lang.get(), &code)
                                        } else {
                                            i18n::word(lang.get(), &format!("{field}.{code}"))
                                        }
                                    };
                                    view! { <option value=value>{label}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="list-sort">{move || word(lang.get(), "ui.sort")}</label>
                    <select id="list-sort" on:change=move |ev| newest_first.set(event_target_value(&ev) == "newest")>
                        <option value="name">{move || word(lang.get(), "ui.sort_name")}</option>
                        <option value="newest">{move || word(lang.get(), "ui.sort_newest")}</option>
                    </select>
                </div>
            </div>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <p class="empty">
                            {move || {
                                if query.with(String::is_empty) && filter.with(String::is_empty) {
                                    word(lang.get(), "ui.no_records")
                                } else {
                                    tr(Msg::NoMatches)().to_owned()
                                }
                            }}
                        </p>
                    }
                }
            >
                <ul class="cards" aria-label=move || word(lang.get(), &format!("kinds.{kind}"))>
                    <For each=move || rows.get() key=|v| (v.id, format!("{:?}", v.record)) let(v)>
                        <RecordCard view=v />
                    </For>
                </ul>
                <Show when=move || { found() > rows.with(Vec::len) }>
                    <p class="more">
                        <span>{move || i18n::showing(lang.get(), rows.with(Vec::len), found())}</span>
                        <button type="button" class="button" on:click=move |_| limit.update(|l| *l += PAGE)>
                            {tr(Msg::ShowMore)}
                        </button>
                    </p>
                </Show>
            </Show>
        </section>
    }
}

/// One record as a card in a list.
#[component]
pub fn RecordCard(view: RecordView) -> impl IntoView {
    let lang = use_lang();
    let href = record_href(&view.kind, view.id);
    let title = {
        let view = view.clone();
        move || display_title(lang.get(), &view)
    };
    let meta = {
        let view = view.clone();
        move || card_meta(lang.get(), &view)
    };
    view! {
        <li class="card" data-kind=view.kind.clone()>
            <A href=href>
                <span class="card-title">{title}</span>
                <FacetBadge record=view.record.clone() />
                <span class="card-meta">{meta}</span>
            </A>
        </li>
    }
}

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
    view! {
        <section class="page">
            <A href=move || format!("/{}", section_of(kind.get())) attr:class="back no-print">
                "← "
                {move || word(lang.get(), &format!("kinds.{}", kind.get()))}
            </A>
            {move || match view_of.get() {
                None => view! { <p class="empty">{tr(Msg::RecordNotFound)}</p> }.into_any(),
                Some(v) => view! { <DetailBody view=v /> }.into_any(),
            }}
        </section>
    }
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
    let notes = view.record.common().notes;
    let edit_href = format!("{}/edit", record_href(&kind, id));
    let extra = match &view.record {
        Record::Account(_) => view! { <super::related::AccountPanels id=id /> }.into_any(),
        Record::Lead(l) => view! { <super::related::LeadPanel id=id lead=l.clone() /> }.into_any(),
        Record::Opportunity(o) => {
            view! { <super::related::OpportunityPanel id=id opportunity=o.clone() /> }.into_any()
        }
        Record::Sales(s) => {
            view! { <super::sales::SalesPanel id=id document=s.clone() /> }.into_any()
        }
        Record::Case(c) => {
            view! { <super::service::CaseSla case_id=id case=c.clone() /> }.into_any()
        }
        Record::Segment(s) => {
            view! { <super::campaign::SegmentPanel segment=s.clone() /> }.into_any()
        }
        Record::Campaign(c) => {
            view! { <super::campaign::CampaignPanel id=id campaign=c.clone() /> }.into_any()
        }
        Record::Meeting(m) => {
            view! { <super::service::MeetingPanel id=id meeting=m.clone() /> }.into_any()
        }
        Record::Contact(c) => view! {
            <super::service::ServiceActions account=c.account.clone() contact=id.to_string() />
            <super::consent::ConsentPanel id=id />
        }
        .into_any(),
        _ => ().into_any(),
    };
    let editable = match &view.record {
        Record::Product(_) => me().role.administers(),
        _ => me().role.can_write(),
    };
    view! {
        <article class="detail" data-kind=kind.clone()>
            <div class="toolbar">
                <h1>{title}</h1>
                <Show when=move || editable>
                    <A href=edit_href.clone() attr:class="button primary no-print" attr:id="edit-record">
                        {tr(Msg::Edit)}
                    </A>
                </Show>
            </div>
            <FacetBadge record=view.record.clone() />
            <Facts record=view.record.clone() />
            <Show when={
                let empty = notes.is_empty();
                move || !empty
            }>
                <h2>{move || word(lang.get(), "field.notes")}</h2>
                <p class="notes" data-field="notes">{notes.clone()}</p>
            </Show>
            {extra}
        </article>
    }
}

/// The record's fields as a definition list (empty ones left out).
#[component]
fn Facts(record: Record) -> impl IntoView {
    let lang = use_lang();
    let form = record.form();
    let currency = form.get("currency").to_owned();
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
                        <dt>{move || word(lang.get(), &format!("field.{name}"))}</dt>
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
        Input::Phone => view! { <super::service::PhoneLink number=value /> }.into_any(),
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
            (move || i18n::word(lang.get(), &key)).into_any()
        }
        Input::Decimal if field.name != "quantity" => format_amount(&value, &currency).into_any(),
        Input::DateTime => match saha_core::time::civil::LocalDateTime::parse(&value) {
            Some(t) => (move || super::service::local_text(lang.get(), t)).into_any(),
            None => value.into_any(),
        },
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
            (move || super::service::calendar_name(lang.get(), &value)).into_any()
        }
        _ => value.into_any(),
    }
}

#[component]
pub fn NewRecord() -> impl IntoView {
    let kind = section_param();
    let query = use_query_map();
    move || {
        let kind = kind.get();
        if !may_create(kind) {
            return view! {
                <section class="page">
                    <p class="banner" role="status">{tr(Msg::ReadOnlyNote)}</p>
                </section>
            }
            .into_any();
        }
        let ctx = repo().edit_context();
        let Some(blank) = Record::blank(kind, &ctx) else {
            return view! { <super::chrome::NotFound /> }.into_any();
        };
        let mut initial = blank.form();
        if initial.get("team").is_empty() && kind != product::KIND {
            initial.set("team", me().teams.first().cloned().unwrap_or_default());
        }
        // Links passed in the address (e.g. a new contact from an account's page).
        query.with_untracked(|q| {
            for field in blank_fields(kind) {
                if let Some(value) = q.get(field.name) {
                    initial.set(field.name, value);
                }
            }
        });
        // A meeting planned from the calendar lasts an hour unless told otherwise.
        if kind == saha_core::activities::meeting::KIND
            && initial.get("end").is_empty()
            && let Some(start) = saha_core::time::civil::LocalDateTime::parse(initial.get("start"))
        {
            initial.set("end", start.add_minutes(60).to_string());
        }
        if kind == saha_core::activities::call::KIND && initial.get("started").is_empty() {
            let zone = repo().service().with_untracked(|s| s.zone());
            initial.set("started", zone.local(crate::client::now_ms()).to_string());
        }
        let template = blank.clone();
        let save = move |form: Form| {
            let mut record = template.clone();
            async move {
                let ctx = repo().edit_context();
                record.apply_new(&form, &ctx).map_err(RepoError::Invalid)?;
                let call = match &record {
                    Record::Call(c) => Some(c.clone()),
                    _ => None,
                };
                let id = repo().create(record).await?;
                if let Some(call) = call {
                    super::service::create_follow_up(id, &call).await;
                }
                super::go(&record_href(kind, id));
                Ok(())
            }
        };
        let lang = use_lang();
        view! {
            <section class="page">
                <h1>{move || word(lang.get(), &format!("new.{kind}"))}</h1>
                <RecordForm
                    kind=kind
                    fields=blank_fields(kind)
                    initial=initial
                    is_new=true
                    save=save
                    cancel_href=format!("/{}", section_of(kind))
                />
            </section>
        }
        .into_any()
    }
}

fn blank_fields(kind: &str) -> &'static [FieldSpec] {
    Record::blank(kind, &repo().edit_context()).map_or(&[], |r| r.fields())
}

#[component]
pub fn EditRecord() -> impl IntoView {
    let kind = section_param();
    let id = id_param();
    let records = repo().records();
    let arrived = move || {
        id.get()
            .is_some_and(|id| records.with(|r| r.contains_key(&id)))
    };
    view! {
        <section class="page">
            <h1>{tr(Msg::Edit)}</h1>
            <Show when=arrived fallback=|| view! { <p class="empty">{tr(Msg::RecordNotFound)}</p> }>
                {move || {
                    // The form starts from the record as it is when the page opens, and
                    // keeps what the user types even if a colleague's edit arrives
                    // meanwhile (it merges on save).
                    let id = id.get()?;
                    let record = repo().record(id)?;
                    let kind = kind.get();
                    let save = move |form: Form| async move {
                        repo().edit(id, &form).await?;
                        super::go(&record_href(kind, id));
                        Ok(())
                    };
                    Some(view! {
                        <RecordForm
                            kind=kind
                            fields=record.fields()
                            initial=record.form()
                            is_new=false
                            save=save
                            cancel_href=record_href(kind, id)
                        />
                    })
                }}
            </Show>
        </section>
    }
}

/// Teams this member may put a record in (the current one is always offered).
fn team_choices(current: &str) -> Vec<(String, String)> {
    let me = me();
    let mut choices: Vec<(String, String)> = match me.role {
        Role::Owner | Role::Admin => std::iter::once((String::new(), String::new()))
            .chain(
                me.workspace_teams
                    .iter()
                    .map(|t| (t.id.clone(), t.name.clone())),
            )
            .collect(),
        Role::Manager => me
            .workspace_teams
            .iter()
            .filter(|t| me.teams.contains(&t.id))
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect(),
        _ => Vec::new(),
    };
    if !choices.iter().any(|(id, _)| id == current) {
        choices.insert(0, (current.to_owned(), team_name(current)));
    }
    choices
}

/// A form for any record type, from its field list. What the user typed is kept when
/// the save is refused; problems show beside their fields.
#[component]
pub fn RecordForm<S, F>(
    kind: &'static str,
    fields: &'static [FieldSpec],
    initial: Form,
    is_new: bool,
    save: S,
    cancel_href: String,
) -> impl IntoView
where
    S: Fn(Form) -> F + Clone + 'static,
    F: std::future::Future<Output = Result<(), RepoError>> + 'static,
{
    let lang = use_lang();
    let values: HashMap<&'static str, RwSignal<String>> = fields
        .iter()
        .map(|f| (f.name, RwSignal::new(initial.get(f.name).to_owned())))
        .collect();
    let problems = RwSignal::new(Vec::<(&'static str, Problem)>::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let on_submit = {
        let values = values.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let mut form = Form::new();
            for (name, value) in &values {
                form.set(name, value.get_untracked());
            }
            let save = save.clone();
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match save(form).await {
                    Ok(()) => {}
                    Err(RepoError::Invalid(found)) => {
                        problems.set(found);
                        failure.set(None);
                    }
                    Err(e) => failure.set(Some(i18n::repo_error(lang.get_untracked(), &e))),
                }
                busy.set(false);
            });
        }
    };

    // The rule table decides what this member may set here (see saha_core::rules).
    let status = initial.get("status").to_owned();
    let inputs = fields
        .iter()
        .map(|field| {
            let value = values[field.name];
            field_input(kind, *field, value, problems, is_new, &status)
        })
        .collect_view();
    // Meetings and calls warn when a contact was already met or called too often.
    let advice = match (kind, values.get("contacts"), values.get("contact")) {
        (saha_core::activities::meeting::KIND, Some(contacts), _) => {
            let at = values
                .get("start")
                .copied()
                .unwrap_or(RwSignal::new(String::new()));
            Some(super::service::frequency_warning((*contacts).into(), at.into()).into_any())
        }
        (saha_core::activities::call::KIND, _, Some(contact)) => {
            let at = values
                .get("started")
                .copied()
                .unwrap_or(RwSignal::new(String::new()));
            Some(super::service::frequency_warning((*contact).into(), at.into()).into_any())
        }
        _ => None,
    };

    view! {
        <form class="form" novalidate on:submit=on_submit>
            <Show when=move || !problems.with(Vec::is_empty)>
                <p class="banner error" role="alert">{tr(Msg::FormHasErrors)}</p>
            </Show>
            <Show when=move || failure.with(Option::is_some)>
                <p class="banner error" role="alert">
                    {tr(Msg::SaveFailed)} ": " {move || failure.get().unwrap_or_default()}
                </p>
            </Show>
            {inputs}
            {advice}
            <div class="actions">
                <button type="submit" class="button primary" disabled=busy>
                    {tr(Msg::Save)}
                </button>
                <A href=cancel_href attr:class="button">{tr(Msg::Cancel)}</A>
            </div>
        </form>
    }
}

/// One labelled input of a record form. `status` is the record's status as the form
/// opened: a status menu offers only the moves the member's role may make, and a field
/// the rule table locks (by status, or for the server) is shown but disabled.
fn field_input(
    kind: &'static str,
    field: FieldSpec,
    value: RwSignal<String>,
    problems: RwSignal<Vec<(&'static str, Problem)>>,
    is_new: bool,
    status: &str,
) -> AnyView {
    let lang = use_lang();
    let name = field.name;
    let role = me().role;
    let locked = !is_new && !saha_core::rules::may_edit_field(kind, role, name, status);
    let id = format!("{kind}-{name}");
    let error_id = format!("{id}-error");
    let problem = move || {
        problems.with(|ps| {
            ps.iter()
                .find(|(f, _)| *f == name)
                .map(|(_, p)| i18n::problem(lang.get(), *p))
        })
    };
    let invalid = move || {
        problems
            .with(|ps| ps.iter().any(|(f, _)| *f == name))
            .to_string()
    };
    let label = move || {
        let text = word(lang.get(), &format!("field.{name}"));
        if field.required {
            format!("{text} *")
        } else {
            text
        }
    };
    let control = match field.input {
        Input::LongText => view! {
            <textarea
                id=id.clone()
                name=name
                rows="4"
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby=error_id.clone()
            ></textarea>
        }
        .into_any(),
        Input::Choice(codes) => view! {
            <select
                id=id.clone()
                name=name
                prop:value=value
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid
                disabled=locked
            >
                {let offered: Vec<&'static str> = if name == "status" {
                    saha_core::rules::allowed_statuses(kind, role, status, codes)
                } else {
                    codes.to_vec()
                };
                offered
                    .into_iter()
                    .map(|code| {
                        let key = format!("{name}.{code}");
                        view! {
                            <option value=code selected=move || value.get() == code>
                                {move || i18n::word(lang.get(), &key)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        Input::Text if name == "stage" => {
            let stages = repo().pipeline().get_untracked();
            view! {
                <select id=id.clone() name=name prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {stages
                        .into_iter()
                        .map(|s| {
                            let code = s.code.clone();
                            let selected = {
                                let code = code.clone();
                                move || value.get() == code
                            };
                            let label = move || stage_name(lang.get(), &s.code);
                            view! { <option value=code selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Team => {
            let choices = team_choices(&value.get_untracked());
            let locked = choices.len() <= 1;
            view! {
                <select id=id.clone() name=name disabled=locked prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {choices
                        .into_iter()
                        .map(|(team, team_label)| {
                            let selected = {
                                let team = team.clone();
                                move || value.get() == team
                            };
                            let text = move || {
                                if team_label.is_empty() { tr(Msg::NoTeam)().to_owned() } else { team_label.clone() }
                            };
                            view! { <option value=team selected=selected>{text}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Member => {
            let me = me();
            // The server refuses owner changes from sales reps and agents.
            let locked = !is_new && !matches!(me.role, Role::Owner | Role::Admin | Role::Manager);
            let mut people: Vec<(String, String)> = vec![(String::new(), "—".to_owned())];
            people.extend(me.people.iter().map(|p| (p.id.clone(), p.name.clone())));
            view! {
                <select id=id.clone() name=name disabled=locked prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {people
                        .into_iter()
                        .map(|(person, person_label)| {
                            let selected = {
                                let person = person.clone();
                                move || value.get() == person
                            };
                            view! { <option value=person selected=selected>{person_label}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Link(target) => {
            view! { <LinkPicker id=id.clone() kind=target value=value /> }.into_any()
        }
        Input::LinkList(target) => {
            view! { <LinkListPicker id=id.clone() kind=target value=value /> }.into_any()
        }
        Input::MemberList => {
            let people = me().people.clone();
            view! {
                <div class="checks" id=id.clone()>
                    {people
                        .into_iter()
                        .map(|p| {
                            let person = p.id.clone();
                            let checked = {
                                let person = person.clone();
                                move || value.with(|v| v.split(',').any(|x| x.trim() == person))
                            };
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            value.update(|v| *v = toggle_id(v, &person, on));
                                        }
                                    />
                                    {p.name.clone()}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
        Input::TimeZone => view! {
            <select id=id.clone() name=name prop:value=value on:change=move |ev| value.set(event_target_value(&ev)) aria-invalid=invalid>
                {saha_core::time::civil::ZONES
                    .iter()
                    .map(|(zone, _)| view! { <option value=*zone selected=move || value.get() == *zone>{*zone}</option> })
                    .collect_view()}
            </select>
        }
        .into_any(),
        Input::Text if name == "calendar" => {
            let mut choices = super::service::calendar_choices(lang.get_untracked());
            let current = value.get_untracked();
            if !current.is_empty() && !choices.iter().any(|(c, _)| *c == current) {
                choices.push((current.clone(), super::service::calendar_name(lang.get_untracked(), &current)));
            }
            view! {
                <select id=id.clone() name=name prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {choices
                        .into_iter()
                        .map(|(code, label)| {
                            let selected = {
                                let code = code.clone();
                                move || value.get() == code
                            };
                            view! { <option value=code selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Recurrence => {
            let presets = [
                ("", "repeat.none"),
                ("FREQ=DAILY", "repeat.daily"),
                ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "repeat.weekdays"),
                ("FREQ=WEEKLY", "repeat.weekly"),
                ("FREQ=WEEKLY;INTERVAL=2", "repeat.biweekly"),
                ("FREQ=MONTHLY", "repeat.monthly"),
            ];
            view! {
                <div class="recurrence">
                    <select
                        aria-label=move || word(lang.get(), "field.recurrence")
                        on:change=move |ev| value.set(event_target_value(&ev))
                        prop:value=value
                    >
                        {presets
                            .into_iter()
                            .map(|(rule, key)| view! { <option value=rule selected=move || value.get() == rule>{move || word(lang.get(), key)}</option> })
                            .collect_view()}
                        <Show when=move || { let v = value.get(); !v.is_empty() && !presets.iter().any(|(r, _)| *r == v) }>
                            <option value=move || value.get() selected=true>{move || word(lang.get(), "repeat.custom")}</option>
                        </Show>
                    </select>
                    <input
                        id=id.clone()
                        name=name
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="FREQ=WEEKLY;BYDAY=MO;COUNT=10"
                        prop:value=value
                        on:input=move |ev| value.set(event_target_value(&ev))
                        aria-invalid=invalid
                        aria-describedby=error_id.clone()
                    />
                </div>
            }
            .into_any()
        }
        Input::AnyLink => {
            let title = move || {
                let v = value.get();
                let t = title_of_id(&v);
                if t.is_empty() { v } else { t }
            };
            view! {
                <div class="picker">
                    <output id=id.clone()>{title}</output>
                    <Show when=move || !value.with(String::is_empty)>
                        <button type="button" class="button small" on:click=move |_| value.set(String::new())>
                            {move || word(lang.get(), "ui.clear")}
                        </button>
                    </Show>
                </div>
            }
            .into_any()
        }
        other => {
            let (input_type, mode) = match other {
                Input::Email => ("email", "email"),
                Input::Phone => ("tel", "tel"),
                Input::Date => ("date", "text"),
                Input::DateTime => ("datetime-local", "text"),
                Input::Decimal => ("text", "decimal"),
                _ => ("text", "text"),
            };
            view! {
                <input
                    id=id.clone()
                    name=name
                    type=input_type
                    inputmode=mode
                    autocomplete="off"
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=invalid
                    aria-describedby=error_id.clone()
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" data-field=name data-locked=locked.then_some("true")>
            <label for=id>{label}</label>
            // A disabled fieldset disables every control inside it, whatever its kind.
            <fieldset class="bare" disabled=locked>
                {control}
            </fieldset>
            {locked.then(|| view! { <p class="hint">{move || word(lang.get(), "ui.field_locked")}</p> })}
            <p class="error" id=error_id>{problem}</p>
        </div>
    }
    .into_any()
}

/// Picks a record of `kind` by typing part of its name: the search index offers the
/// best matches; the chosen record's ID is the value.
#[component]
pub fn LinkPicker(id: String, kind: &'static str, value: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let query = RwSignal::new(title_of_id(&value.get_untracked()));
    let open = RwSignal::new(false);
    let records = repo().records();
    let matches = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let q = query.get();
        records.with(|all| {
            let keep = |id: &DocumentId| all.get(id).is_some_and(|v| v.kind == kind);
            repo()
                .search(&q, 6, keep)
                .1
                .into_iter()
                .filter_map(|id| all.get(&id).map(|v| (id, v.record.title())))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="picker">
            <input
                id=id
                type="search"
                autocomplete="off"
                placeholder=move || word(lang.get(), "ui.pick")
                prop:value=query
                on:focus=move |_| open.set(true)
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    if text.is_empty() {
                        value.set(String::new());
                    }
                    query.set(text);
                    open.set(true);
                }
            />
            <Show when=move || !matches.with(Vec::is_empty)>
                <ul class="picker-options" role="listbox">
                    <For each=move || matches.get() key=|(id, title)| (*id, title.clone()) let((pick, title))>
                        <li>
                            <button
                                type="button"
                                class="picker-option"
                                on:click={
                                    let title = title.clone();
                                    move |_| {
                                        value.set(pick.to_string());
                                        query.set(title.clone());
                                        open.set(false);
                                    }
                                }
                            >
                                {title.clone()}
                            </button>
                        </li>
                    </For>
                </ul>
            </Show>
        </div>
    }
}

/// Adds or removes `id` in a comma-separated ID list.
fn toggle_id(list: &str, id: &str, on: bool) -> String {
    let mut ids: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty() && *x != id)
        .collect();
    if on {
        ids.push(id);
    }
    ids.join(",")
}

/// Picks several records of `kind`: chosen ones as removable chips, and a
/// [`LinkPicker`] to add more.
#[component]
pub fn LinkListPicker(id: String, kind: &'static str, value: RwSignal<String>) -> impl IntoView {
    let adding = RwSignal::new(String::new());
    Effect::new(move |_| {
        let added = adding.get();
        if !added.is_empty() {
            value.update(|v| *v = toggle_id(v, &added, true));
            adding.set(String::new());
        }
    });
    view! {
        <div class="link-list">
            <ul class="chips">
                {move || {
                    value
                        .get()
                        .split(',')
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(|x| {
                            let x = x.to_owned();
                            let title = title_of_id(&x);
                            view! {
                                <li class="chip">
                                    {title}
                                    <button
                                        type="button"
                                        aria-label="×"
                                        on:click=move |_| value.update(|v| *v = toggle_id(v, &x, false))
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <LinkPicker id=id kind=kind value=adding />
        </div>
    }
}
