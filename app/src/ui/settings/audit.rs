//! The workspace's audit log.

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::api::{ApiErrorCode, AuditEntry};

use crate::client::http;
use crate::i18n::{self, Key};
use crate::ui::{tr, use_lang, widgets::format::format_time};

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    // Read once when the page opens: `None` while the answer is on its way. (A
    // `LocalResource` here cost the bundle 8.8 KB of async-derived machinery; see
    // BENCHMARKS.md.)
    let entries = RwSignal::new(None::<Result<Vec<AuditEntry>, ApiErrorCode>>);
    wasm_bindgen_futures::spawn_local(async move {
        let answer = http::get::<Vec<AuditEntry>>("/api/audit?limit=500").await;
        entries.set(Some(answer.map_err(|e| e.code())));
    });
    view! {
        <section class="page wide">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{tr(Key::AuditLog)}</h1>
            {move || match entries.get() {
                None => view! { <p>{tr(Key::Loading)}</p> }.into_any(),
                Some(Err(code)) => {
                    view! { <p class="banner error" role="alert">{move || i18n::api_error(lang.get(), code)}</p> }
                        .into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <table class="table" id="audit">
                            <thead>
                                <tr>
                                    <th>{tr(Key::When)}</th>
                                    <th>{tr(Key::Who)}</th>
                                    <th>{tr(Key::Action)}</th>
                                    <th>{tr(Key::Target)}</th>
                                    <th>{tr(Key::FieldAddress)}</th>
                                    <th>{tr(Key::Details)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|e| {
                                        let action = e.action.clone();
                                        let code = format!("audit_action.{}", e.action);
                                        view! {
                                            <tr data-action=action>
                                                <td>{move || format_time(lang.get(), e.at)}</td>
                                                <td>{e.actor}</td>
                                                <td>{move || i18n::word_for(lang.get(), &code)}</td>
                                                <td>{e.target}</td>
                                                <td>{e.ip}</td>
                                                <td>{e.detail}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
