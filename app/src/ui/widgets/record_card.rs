//! A record as one card in a list: title, facet badge, a line of facts, and the
//! thumbnail of its newest photo (from this device, or the server).

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::kinds::Record;

use crate::client::repo::RecordView;
use crate::i18n;
use crate::ui::{
    use_lang,
    widgets::{
        format::{format_amount, format_date, today},
        links::{display_title, person_name, record_href, stage_name, title_of_id},
    },
};

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
            i18n::word_for(lang, &format!("category.{}", c.category.code())),
            i18n::word_for(lang, &format!("priority.{}", c.priority.code())),
            title_of_id(&c.account),
        ],
        Record::Call(c) => vec![
            i18n::word_for(lang, &format!("direction.{}", c.direction.code())),
            title_of_id(&c.account),
            saha_core::activities::call::duration_text(c.duration),
        ],
        Record::Task(t) => vec![
            saha_core::time::civil::LocalDateTime::parse(&t.due)
                .map(|d| crate::ui::widgets::format::local_text(lang, d))
                .unwrap_or_default(),
            person_name(&t.common.owner),
        ],
        Record::Segment(s) => vec![s.city.clone(), s.account_segment.clone(), s.tags.join(", ")],
        Record::Campaign(c) => vec![
            i18n::word_for(lang, &format!("channel.{}", c.channel.code())),
            title_of_id(&c.segment),
            c.topic.clone(),
        ],
        Record::Meeting(m) => vec![
            saha_core::time::civil::LocalDateTime::parse(&m.start)
                .map(|d| crate::ui::widgets::format::local_text(lang, d))
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
                    i18n::word_for(lang.get(), &format!("{field}.{code}"))
                }
            }
        };
        view! { <span class="badge" data-type=code.clone()>{label}</span> }
    })
}

/// The thumbnail `thumb` of a photo on record `id` (in `section`): this device's copy
/// when it has one (taken here, or kept), else the server's, fetched when scrolled to.
#[component]
fn CardThumb(section: &'static str, id: saha_core::DocumentId, thumb: String) -> impl IntoView {
    let source = RwSignal::new(None::<String>);
    let local_url = StoredValue::new(None::<String>);
    {
        let thumb = thumb.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let kept = crate::ui::repo().local_store().file(&thumb).await;
            let url = match kept
                .ok()
                .flatten()
                .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok())
            {
                Some(url) => {
                    if local_url.try_set_value(Some(url.clone())).is_some() {
                        // The card was drawn away meanwhile.
                        let _ = web_sys::Url::revoke_object_url(&url);
                        return;
                    }
                    url
                }
                None => format!("/api/v1/{section}/{id}/attachments/{thumb}"),
            };
            source.try_set(Some(url));
        });
    }
    on_cleanup(move || {
        if let Some(url) = local_url.try_get_value().flatten() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    view! {
        <img
            class="card-thumb"
            alt=""
            loading="lazy"
            decoding="async"
            data-thumb=thumb
            src=move || source.get()
        />
    }
}

/// One record as a card in a list.
#[component]
pub fn RecordCard(
    view: RecordView,
    /// Name the kind on the card (where several kinds are listed together).
    #[prop(optional)]
    show_kind: bool,
) -> impl IntoView {
    let lang = use_lang();
    let kind_code = format!("kind.{}", view.kind);
    let href = record_href(&view.kind, view.id);
    let title = {
        let view = view.clone();
        move || display_title(lang.get(), &view)
    };
    let meta = {
        let view = view.clone();
        move || card_meta(lang.get(), &view)
    };
    let thumb = view.record.common().list_photo().map(|photo| {
        (
            saha_core::kinds::section_of(&view.kind),
            photo.thumb.clone(),
        )
    });
    let class = if thumb.is_some() {
        "card with-thumb"
    } else {
        "card"
    };
    let id = view.id;
    view! {
        <li class=class data-kind=view.kind.clone()>
            <A href=href>
                {thumb.map(|(section, thumb)| view! { <CardThumb section=section id=id thumb=thumb /> })}
                <span class="card-title">
                    {show_kind.then(|| view! { <span class="kind-label">{move || crate::i18n::word_for(lang.get(), &kind_code)}</span> })}
                    {title}
                </span>
                <FacetBadge record=view.record.clone() />
                <span class="card-meta">{meta}</span>
            </A>
        </li>
    }
}
