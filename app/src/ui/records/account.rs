//! The account's 360° page: linked records per kind and the timeline.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::kinds::section_of;
use saha_core::parties::{account, contact};
use saha_core::sales::document as sales;
use saha_core::sales::{lead, opportunity};
use saha_core::views::timeline::{self, Happening};

use crate::client::repo::RecordView;
use crate::i18n;
use crate::ui::{
    me, repo, use_lang,
    widgets::{
        format::format_date,
        links::{person_name, record_href, stage_name},
        record_card::RecordCard,
    },
    word,
};

/// Records of `kind` that belong to the account `account`.
pub(crate) fn linked(account: DocumentId, kind: &'static str) -> Memo<Vec<RecordView>> {
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
                        {move || word_for(lang.get(), &format!("kinds.{kind}"))}
                        " "
                        <span class="count">{move || rows.with(Vec::len)}</span>
                    </h2>
                    <Show when=move || can_add>
                        <A href=new_href.clone() attr:class="button small no-print">"+ " {move || word_for(lang.get(), &format!("new.{kind}"))}</A>
                    </Show>
                </div>
                <ul class="cards compact">
                    <For each=move || rows.get() key=|v| (v.id, v.rev) let(v)>
                        <RecordCard view=v />
                    </For>
                </ul>
            </section>
        }
    })
    .collect_view();
    // On a phone one part shows at a time (the stylesheet hides the others); the page
    // opens on the timeline. Wider screens show every part, in two columns.
    let tab = RwSignal::new("timeline");
    let tab_button = move |code: &'static str, label: Key| {
        view! {
            <button
                type="button"
                role="tab"
                id=format!("tab-360-{code}")
                aria-controls=format!("panel-360-{code}")
                aria-selected=move || (tab.get() == code).to_string()
                on:click=move |_| tab.set(code)
            >
                {move || word(lang.get(), label)}
            </button>
        }
    };
    view! {
        <crate::ui::activities::calls::ServiceActions account=id.to_string() contact=String::new() />
        <div class="tabs-360 no-print" role="tablist" aria-label=move || word(lang.get(), Key::UiAccount360)>
            {tab_button("timeline", Key::UiTimeline)}
            {tab_button("related", Key::UiRelatedRecords)}
            {tab_button("details", Key::UiConsentAndLoyalty)}
        </div>
        <div class="account-360" data-tab=move || tab.get()>
            <div class="panel-360" data-panel="details" id="panel-360-details" role="tabpanel" aria-labelledby="tab-360-details">
                <crate::ui::reports::insights::AccountInsights id=id />
                <crate::ui::engagement::consent::ConsentPanel id=id />
                <crate::ui::engagement::loyalty::LoyaltyPanel id=id />
            </div>
            <div class="panel-360" data-panel="related" id="panel-360-related" role="tabpanel" aria-labelledby="tab-360-related">
                {sections}
            </div>
            <div class="panel-360" data-panel="timeline" id="panel-360-timeline" role="tabpanel" aria-labelledby="tab-360-timeline">
                <AccountTimeline id=id />
            </div>
        </div>
    }
}

#[component]
fn AccountTimeline(id: DocumentId) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    // The bin too: duplicates merged into the account show when they were merged.
    let bin = repo().bin();
    let events = Memo::new(move |_| {
        let zone = repo().service().with(|s| s.zone());
        records.with(|all| {
            bin.with(|gone| {
                timeline::for_account(
                    id,
                    all.values().chain(gone.values()).map(|v| (v.id, &v.record)),
                    zone,
                )
            })
        })
    });
    view! {
        <section class="timeline">
            <h2>{move || word(lang.get(), Key::UiTimeline)}</h2>
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
        let kind_word = word_for(l, &format!("kind.{kind}"));
        match &event.happening {
            Happening::Created => format!("{kind_word} {}", word(l, Key::UiCreated)),
            Happening::Converted => format!("{kind_word} {}", word(l, Key::UiConverted)),
            Happening::Changed { from, to } => {
                let name = |code: &str| match kind.as_str() {
                    account::KIND => i18n::word_for(l, &format!("type.{code}")),
                    opportunity::KIND => stage_name(l, code),
                    _ => i18n::word_for(l, &format!("status.{code}")),
                };
                format!("{kind_word}: {} → {}", name(from), name(to))
            }
            Happening::Call {
                direction,
                outcome,
                seconds,
            } => format!(
                "{kind_word} ({}): {} · {}",
                word_for(l, &format!("direction.{}", direction.code())),
                word_for(l, &format!("outcome.{}", outcome.code())),
                saha_core::activities::call::duration_text(*seconds)
            ),
            Happening::Meeting => kind_word,
            Happening::Merged { into } => format!(
                "{kind_word} {} {}",
                word(l, Key::UiMergedInto),
                crate::ui::widgets::links::title_of_id(into)
            ),
            Happening::Message {
                person,
                channel,
                state,
            } => format!(
                "{kind_word} ({}) → {}: {}",
                word_for(l, &format!("channel.{}", channel.code())),
                crate::ui::widgets::links::title_of_id(person),
                word_for(l, &format!("delivery.{}", state.code()))
            ),
        }
    };
    let who = person_name(&event.by);
    // A record without a title yet (an order, a draft invoice) is named by its kind.
    let link_text = {
        let (title, kind_code) = (event.title.clone(), format!("kind.{}", event.kind));
        move || {
            if title.is_empty() {
                word_for(lang.get(), &kind_code)
            } else {
                title.clone()
            }
        }
    };
    view! {
        <li data-kind=event.kind.clone()>
            <time>{when}</time>
            <A href=record_href(&event.kind, event.record)>{link_text}</A>
            <span class="what">{what}</span>
            <span class="who">{who}</span>
        </li>
    }
}
