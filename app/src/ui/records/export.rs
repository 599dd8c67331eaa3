//! A list saved as a file (`/:section/export`): the records the list showed — its
//! search, filter and order come along in the URL — as a table that imports again
//! ([`saha_core::kinds::records_table`]), in Turkish Excel CSV, CSV or Excel, and
//! contacts as vCard for a phone's address book. The page is split out of the main
//! module. Online, each export is written to the audit log.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use saha_core::api::ExportNotice;
use saha_core::export::vcard::Version;
use saha_core::export::{ExportError, Format};
use saha_core::kinds::section_of;

use crate::client::audit::{self, Notice};
use crate::client::now_ms;
use crate::i18n::{self, Key, word_for};
use crate::ui::records::list::{ListQuery, section_param};
use crate::ui::widgets::export::{file_name, format_label};
use crate::ui::widgets::files::download_bytes;
use crate::ui::{me, repo, tr, use_lang};

/// Saves the records of `kind` that `query` lists as a file in `format` and, online,
/// tells the audit log; returns how many were saved.
fn save(kind: &'static str, query: &ListQuery, format: Format) -> Result<usize, ExportError> {
    let ids = query.matches(kind);
    let table = repo().records().with_untracked(|all| {
        saha_core::kinds::records_table(
            kind,
            ids.iter()
                .filter_map(|id| all.get(id))
                .map(|v| (v.key.as_str(), &v.record)),
        )
    });
    let bytes = format.write(&table)?;
    download_bytes(&file_name(section_of(kind), format), format.mime(), &bytes);
    audit(ExportNotice {
        section: section_of(kind).to_owned(),
        rows: table.rows.len() as u64,
        format: format.code().to_owned(),
        at: now_ms(),
    });
    Ok(table.rows.len())
}

/// Saves the contacts `query` lists as a vCard file in `version` and, online, tells
/// the audit log; returns how many were saved.
fn save_cards(query: &ListQuery, version: Version) -> usize {
    let kind = saha_core::parties::contact::KIND;
    let ids = query.matches(kind);
    let cards = repo().records().with_untracked(|all| {
        saha_core::kinds::contact_cards(
            ids.iter()
                .filter_map(|id| all.get(id))
                .map(|v| (v.key.as_str(), &v.record)),
            &|account| {
                account
                    .parse()
                    .ok()
                    .and_then(|id| all.get(&id))
                    .map(|v| v.record.form().get("name").to_owned())
            },
        )
    });
    let text = saha_core::export::vcard::write(&cards, version);
    let name = file_name(section_of(kind), Format::Csv).replace(".csv", ".vcf");
    download_bytes(&name, saha_core::export::vcard::MIME, text.as_bytes());
    audit(ExportNotice {
        section: section_of(kind).to_owned(),
        rows: cards.len() as u64,
        format: version.code().to_owned(),
        at: now_ms(),
    });
    cards.len()
}

/// Tells the audit log of an export (at once online, when the device is next online
/// otherwise); the file is saved either way.
fn audit(notice: ExportNotice) {
    audit::tell(&me().user_id, Notice::Export(notice));
}

/// The export page of one kind's list.
#[component]
pub fn ListExportPage() -> impl IntoView {
    let lang = use_lang();
    let kind = section_param();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| ListQuery {
            text: p.get("q").unwrap_or_default(),
            filter: p.get("filter").unwrap_or_default(),
            newest_first: p.get("newest").is_some(),
            archived_too: p.get("archived").is_some(),
        })
    });
    let count = Memo::new(move |_| query.with(|q| q.matches(kind.get()).len()));
    let too_large = RwSignal::new(false);
    let back = move || format!("/{}", section_of(kind.get()));
    view! {
        <section class="page" id="list-export">
            <h1>{move || word_for(lang.get(), &format!("kinds.{}", kind.get()))}</h1>
            <p class="count" id="list-export-count">{move || i18n::record_count(lang.get(), count.get())}</p>
            <p class="hint">{tr(Key::UiExportListHint)}</p>
            <div class="actions">
                {Format::ALL
                    .into_iter()
                    .map(|format| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                id=format!("list-export-{}", format.code())
                                prop:disabled=move || count.get() == 0
                                on:click=move |_| {
                                    let result = query.with_untracked(|q| save(kind.get_untracked(), q, format));
                                    too_large.set(result.is_err());
                                }
                            >
                                {format_label(format)}
                            </button>
                        }
                    })
                    .collect_view()}
                <Show when=move || kind.get() == saha_core::parties::contact::KIND>
                    {Version::ALL
                        .into_iter()
                        .map(|version| view! {
                            <button
                                type="button"
                                class="button"
                                id=format!("list-export-{}", version.code())
                                prop:disabled=move || count.get() == 0
                                on:click=move |_| {
                                    query.with_untracked(|q| save_cards(q, version));
                                }
                            >
                                {match version {
                                    Version::V3 => "vCard 3.0",
                                    Version::V4 => "vCard 4.0",
                                }}
                            </button>
                        })
                        .collect_view()}
                </Show>
            </div>
            <Show when=move || too_large.get()>
                <p class="error" role="alert">{tr(Key::UiExportTooLarge)}</p>
            </Show>
            <A href=back attr:class="button">{move || word_for(lang.get(), &format!("kinds.{}", kind.get()))}</A>
        </section>
    }
}
