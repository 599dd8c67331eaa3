//! Erasing a person, on their `/privacy/:id` page (owners, admins and privacy
//! officers). Erasure runs on the server ([`saha_core::privacy::erasure`]): the page
//! asks it what erasure would do — the person's record erased, every record that
//! refers to them kept without them under a new ID — lets the user erase some of
//! those whole instead and name the request it answers, and erases after a
//! confirmation. This device then drops the erased documents at once
//! ([`crate::client::repo::Repo::take_erasures`]); the others do at their next sync.

use std::collections::BTreeSet;

use leptos::prelude::*;
use saha_core::api::ApiErrorCode;
use saha_core::privacy::erasure::{Destruction, EraseInput, ErasurePlan, Treatment};
use saha_core::privacy::request::{PrivacyRequest, RequestKind};

use crate::client::http;
use crate::i18n::{self, Fmt, Key, word_for};
use crate::ui::{repo, tr, use_lang};

fn treatment_key(treatment: Treatment) -> Key {
    match treatment {
        Treatment::Erase => Key::PrivacyEraseErased,
        Treatment::Anonymise => Key::PrivacyEraseKept,
    }
}

/// The erasure section of the person's page; `done` takes the destruction record.
#[component]
pub fn EraseSection(person: String, done: WriteSignal<Option<Destruction>>) -> impl IntoView {
    let lang = use_lang();
    let person = StoredValue::new(person);
    let plan = RwSignal::new(None::<ErasurePlan>);
    let whole = RwSignal::new(BTreeSet::<String>::new());
    let requests = RwSignal::new(Vec::<PrivacyRequest>::new());
    let request = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiErrorCode>);
    let busy = RwSignal::new(false);

    let preview = move |_| {
        busy.set(true);
        error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let input = EraseInput {
                person: person.get_value(),
                ..EraseInput::default()
            };
            match http::post::<_, ErasurePlan>("/api/privacy/erasures/preview", &input).await {
                Ok(p) => plan.set(Some(p)),
                Err(e) => error.set(Some(e.code())),
            }
            if let Ok(all) = http::get::<Vec<PrivacyRequest>>("/api/privacy/requests").await {
                let open: Vec<PrivacyRequest> = all
                    .into_iter()
                    .filter(|r| {
                        r.person == person.get_value()
                            && r.kind == RequestKind::Erasure
                            && !r.status.is_closed()
                    })
                    .collect();
                if let [only] = open.as_slice() {
                    request.set(only.id.clone());
                }
                requests.set(open);
            }
            busy.set(false);
        });
    };

    let erase = move |_| {
        busy.set(true);
        error.set(None);
        let input = EraseInput {
            person: person.get_value(),
            request: request.get_untracked(),
            erase_whole: whole.get_untracked().into_iter().collect(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, Destruction>("/api/privacy/erasures", &input).await {
                Ok(destruction) => {
                    // This device drops the erased documents now, not at its next sync.
                    if let Err(e) = repo().take_erasures().await {
                        leptos::logging::warn!("erased documents not dropped yet: {e}");
                    }
                    done.set(Some(destruction));
                }
                Err(e) => error.set(Some(e.code())),
            }
            busy.set(false);
        });
    };

    let rows = move || {
        plan.with(|p| p.as_ref().map(|p| p.records.clone()).unwrap_or_default())
            .into_iter()
            .map(|planned| {
                let id = planned.id.clone();
                let kind_key = format!("kind.{}", planned.kind);
                let chosen = {
                    let id = id.clone();
                    move || whole.with(|w| w.contains(&id))
                };
                let treatment = {
                    let chosen = chosen.clone();
                    move || {
                        let t = if chosen() {
                            Treatment::Erase
                        } else {
                            planned.treatment
                        };
                        i18n::word(lang.get(), treatment_key(t))
                    }
                };
                let toggle = (!planned.own).then(|| {
                    let id = id.clone();
                    view! {
                        <label class="erase-whole">
                            <input
                                type="checkbox"
                                prop:checked=chosen.clone()
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    whole.update(|w| {
                                        if on {
                                            w.insert(id.clone());
                                        } else {
                                            w.remove(&id);
                                        }
                                    });
                                }
                            />
                            " " {tr(Key::PrivacyEraseWhole)}
                        </label>
                    }
                });
                view! {
                    <li class="card" data-id=id.clone() data-kind=planned.kind.clone()>
                        <span>{planned.title.clone()}</span>
                        " · " {move || word_for(lang.get(), &kind_key)}
                        " · " <strong class="treatment">{treatment}</strong>
                        {toggle}
                    </li>
                }
            })
            .collect_view()
    };

    let name = move || plan.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    view! {
        <section class="danger-zone" id="privacy-erase">
            <h2>{tr(Key::PrivacyEraseTitle)}</h2>
            <p class="hint">{tr(Key::PrivacyEraseHint)}</p>
            <Show when=move || plan.with(Option::is_none)>
                <button type="button" class="button" id="privacy-erase-preview"
                    disabled=move || busy.get() on:click=preview>
                    {tr(Key::PrivacyErasePreview)}
                </button>
            </Show>
            <Show when=move || plan.with(Option::is_some)>
                <ul class="cards compact" id="privacy-erase-plan">{rows}</ul>
                <Show when=move || requests.with(|r| !r.is_empty())>
                    <label class="field">
                        <span>{tr(Key::PrivacyEraseRequest)}</span>
                        <select id="privacy-erase-request"
                            on:change=move |ev| request.set(event_target_value(&ev))>
                            <option value="" selected=move || request.with(String::is_empty)>
                                {tr(Key::PrivacyEraseNoRequest)}
                            </option>
                            {move || requests.get().into_iter().map(|r| {
                                let id = r.id.clone();
                                let selected = {
                                    let id = id.clone();
                                    move || request.with(|x| *x == id)
                                };
                                view! {
                                    <option value=id selected=selected>
                                        {r.person_name.clone()} " · " {r.received_on.clone()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <button type="button" class="button danger" id="privacy-erase-confirm"
                    disabled=move || busy.get() on:click=erase>
                    {move || Fmt::PrivacyEraseConfirm.format(lang.get(), &[("name", name().as_str().into())])}
                </button>
            </Show>
            <Show when=move || error.with(Option::is_some)>
                <p class="error" role="alert" id="privacy-erase-error">
                    {move || error.get().map(|code| i18n::api_error(lang.get(), code)).unwrap_or_default()}
                </p>
            </Show>
        </section>
    }
}

/// What the page shows once the person is erased (their record is gone from this
/// device, so the rest of the page is too).
#[component]
pub fn Erased(destruction: Destruction) -> impl IntoView {
    let lang = use_lang();
    let (erased, anonymised) = destruction.counts();
    let words = move || {
        Fmt::PrivacyEraseDone.format(
            lang.get(),
            &[
                ("erased", erased.into()),
                ("anonymised", anonymised.into()),
                ("suppressed", destruction.suppressed.into()),
                ("id", destruction.id.as_str().into()),
            ],
        )
    };
    view! {
        <article class="privacy">
            <h1>{tr(Key::PrivacyEraseTitle)}</h1>
            <p class="notice" role="status" id="privacy-erase-done">{words}</p>
        </article>
    }
}
