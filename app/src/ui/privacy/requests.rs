//! Settings → KVKK requests (`/settings/privacy`): owners, admins and privacy officers
//! log what people ask for (access, rectification, erasure, objection, restriction),
//! see each open request's 30-day deadline — due soon and late ones marked — and
//! close it with the answer given and the evidence. Opened from a person's data page
//! (`?person=ID`), the form starts with that person.
//!
//! The log is on the server ([`saha_core::privacy::request`]), so this page needs a
//! connection; what is typed is checked here first by the same
//! [`RequestInput::check`] the server runs.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use saha_core::api::ApiErrorCode;
use saha_core::privacy::request::{
    Channel, PrivacyRequest, RequestError, RequestInput, RequestKind, Status, Urgency,
};

use crate::client::{http, now_ms};
use crate::i18n::{self, Fmt, Key, Lang};
use crate::ui::widgets::format::format_date;
use crate::ui::widgets::links::title_of_id;
use crate::ui::{me, tr, use_lang, word};

const PATH: &str = "/api/privacy/requests";

/// Today in Turkey, the day deadlines are counted in.
fn today() -> saha_core::time::civil::Date {
    saha_core::privacy::request::today(now_ms())
}

fn kind_key(kind: RequestKind) -> Key {
    match kind {
        RequestKind::Access => Key::PrivacyKindAccess,
        RequestKind::Rectification => Key::PrivacyKindRectification,
        RequestKind::Erasure => Key::PrivacyKindErasure,
        RequestKind::Objection => Key::PrivacyKindObjection,
        RequestKind::Restriction => Key::PrivacyKindRestriction,
    }
}

fn channel_key(channel: Channel) -> Key {
    match channel {
        Channel::Letter => Key::PrivacyChannelLetter,
        Channel::Kep => Key::PrivacyChannelKep,
        Channel::Email => Key::PrivacyChannelEmail,
        Channel::Web => Key::PrivacyChannelWeb,
        Channel::InPerson => Key::PrivacyChannelInPerson,
        Channel::Phone => Key::PrivacyChannelPhone,
    }
}

fn status_key(status: Status) -> Key {
    match status {
        Status::Received => Key::PrivacyStatusReceived,
        Status::InProgress => Key::PrivacyStatusInProgress,
        Status::Answered => Key::PrivacyStatusAnswered,
        Status::Refused => Key::PrivacyStatusRefused,
    }
}

/// What to tell the person typing about a field that is wrong.
fn input_error(error: &RequestError) -> Key {
    match error {
        RequestError::NameMissing => Key::PrivacyErrorName,
        RequestError::ReceivedNotADate => Key::PrivacyErrorReceived,
        RequestError::ReceivedInFuture => Key::PrivacyErrorFuture,
        RequestError::PersonNotARecord => Key::PrivacyErrorPerson,
        RequestError::AnswerMissing => Key::PrivacyErrorAnswer,
        RequestError::TooLong(_) => Key::PrivacyErrorTooLong,
    }
}

/// The deadline as words and a class: "12 days left", "due today", "3 days late".
fn deadline(lang: Lang, urgency: Urgency) -> (String, &'static str) {
    match urgency {
        Urgency::Closed => (String::new(), "closed"),
        Urgency::OnTime(days) => (
            Fmt::PrivacyDaysLeft.format(lang, &[("days", days.into())]),
            "on-time",
        ),
        Urgency::DueSoon(0) => (word(lang, Key::PrivacyDueToday), "due-soon"),
        Urgency::DueSoon(days) => (
            Fmt::PrivacyDaysLeft.format(lang, &[("days", days.into())]),
            "due-soon",
        ),
        Urgency::Overdue(days) => (
            Fmt::PrivacyDaysLate.format(lang, &[("days", days.into())]),
            "overdue",
        ),
    }
}

/// A `<select>` of coded choices bound to `value`.
fn choice_select<T: Copy + PartialEq + Send + Sync + 'static>(
    id: String,
    label: Key,
    all: &'static [T],
    code: fn(T) -> &'static str,
    key: fn(T) -> Key,
    value: RwSignal<T>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}</label>
            <select
                id=id
                prop:value=move || code(value.get())
                on:change=move |ev| {
                    let picked = event_target_value(&ev);
                    if let Some(v) = all.iter().copied().find(|v| code(*v) == picked) {
                        value.set(v);
                    }
                }
            >
                {all
                    .iter()
                    .map(|v| {
                        let selected = *v == value.get_untracked();
                        view! { <option value=code(*v) selected=selected>{tr(key(*v))}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

fn text_field(id: String, label: Key, value: RwSignal<String>, long: bool) -> impl IntoView {
    let label_for = id.clone();
    let input = if long {
        view! {
            <textarea id=id rows="3" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id type="text" prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=label_for>{tr(label)}</label>
            {input}
        </div>
    }
}

/// Why the last try to save failed: the field the app found wrong, or the server's code.
#[derive(Clone, Copy, PartialEq)]
enum SaveError {
    Input(Key),
    Server(ApiErrorCode),
}

fn save_error_line(error: RwSignal<Option<SaveError>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="banner error" role="alert">
                {move || match error.get() {
                    Some(SaveError::Input(key)) => word(lang.get(), key),
                    Some(SaveError::Server(code)) => i18n::api_error(lang.get(), code).to_owned(),
                    None => String::new(),
                }}
            </p>
        </Show>
    }
}

/// One request's entry: what was asked, by whom, the deadline; opened, its status,
/// answer and evidence can be changed.
#[component]
fn RequestEntry(request: PrivacyRequest, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let (due_words, due_class) = deadline(lang.get_untracked(), request.urgency(today()));
    let status = RwSignal::new(request.status);
    let answer = RwSignal::new(request.answer.clone());
    let evidence = RwSignal::new(request.evidence.clone());
    let error = RwSignal::new(None::<SaveError>);
    let busy = RwSignal::new(false);
    let base = request.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = RequestInput {
            status: Some(status.get_untracked()),
            answer: answer.get_untracked(),
            evidence: evidence.get_untracked(),
            ..base.input()
        };
        if let Err(e) = input.check(today()) {
            error.set(Some(SaveError::Input(input_error(&e))));
            return;
        }
        busy.set(true);
        let path = format!("{PATH}/{}", base.id);
        wasm_bindgen_futures::spawn_local(async move {
            match http::send::<_, PrivacyRequest>("PUT", &path, &input).await {
                Ok(_) => {
                    error.set(None);
                    reload.run(());
                }
                Err(e) => error.set(Some(SaveError::Server(e.code()))),
            }
            busy.set(false);
        });
    };
    let person_link = (!request.person.is_empty()).then(|| {
        let id = request.person.clone();
        let title = title_of_id(&id);
        view! { <A href=format!("/privacy/{id}") attr:class="person-link">{title}</A> }
    });
    let closed_on = request.closed_on.clone();
    let id = request.id.clone();
    view! {
        <li class=format!("entry privacy-request {due_class}") data-id=request.id.clone()>
            <span class="entry-title">
                {tr(kind_key(request.kind))} " · " {request.person_name.clone()}
            </span>
            <span class="entry-meta">
                {tr(channel_key(request.channel))} " · " {tr(Key::PrivacyReceivedOn)} ": "
                {format_date(lang.get_untracked(), &request.received_on)} " · "
                {tr(Key::PrivacyDueOn)} ": " {format_date(lang.get_untracked(), &request.due_on)}
            </span>
            <span class="entry-meta">
                <span class="request-status">{tr(status_key(request.status))}</span>
                {(!due_words.is_empty()).then(|| view! { " · " <strong class="deadline">{due_words}</strong> })}
                {closed_on.map(|day| view! {
                    " · " {tr(Key::PrivacyClosedOn)} ": " {format_date(lang.get_untracked(), &day)}
                })}
            </span>
            {person_link}
            {(!request.description.is_empty()).then(|| view! { <p class="notes">{request.description.clone()}</p> })}
            <details class="request-edit">
                <summary>{tr(Key::PrivacyUpdate)}</summary>
                <form class="form" on:submit=save>
                    {save_error_line(error)}
                    {choice_select(format!("request-status-{id}"), Key::PrivacyStatus, Status::ALL, Status::code, status_key, status)}
                    {text_field(format!("request-answer-{id}"), Key::PrivacyAnswer, answer, true)}
                    {text_field(format!("request-evidence-{id}"), Key::PrivacyEvidence, evidence, false)}
                    <div class="actions">
                        <button type="submit" class="button save-request" disabled=busy>{tr(Key::UiSave)}</button>
                    </div>
                </form>
            </details>
        </li>
    }
}

/// The page at `/settings/privacy`.
#[component]
pub fn PrivacyRequestsPage() -> impl IntoView {
    let lang = use_lang();
    let allowed = me().role.handles_privacy();
    let requests = RwSignal::new(None::<Result<Vec<PrivacyRequest>, ApiErrorCode>>);
    let reload = Callback::new(move |()| {
        wasm_bindgen_futures::spawn_local(async move {
            let answer = http::get::<Vec<PrivacyRequest>>(PATH).await;
            requests.set(Some(answer.map_err(|e| e.code())));
        });
    });
    if allowed {
        reload.run(());
    }

    let person = use_query_map().with_untracked(|q| q.get("person").unwrap_or_default());
    let kind = RwSignal::new(RequestKind::Access);
    let channel = RwSignal::new(Channel::Letter);
    let person_name = RwSignal::new(if person.is_empty() {
        String::new()
    } else {
        title_of_id(&person)
    });
    let contact = RwSignal::new(String::new());
    let received_on = RwSignal::new(today().to_string());
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<SaveError>);
    let logged = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let person_id = StoredValue::new(person.clone());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = RequestInput {
            kind: kind.get_untracked(),
            status: None,
            person: person_id.get_value(),
            person_name: person_name.get_untracked(),
            contact: contact.get_untracked(),
            channel: channel.get_untracked(),
            received_on: received_on.get_untracked(),
            description: description.get_untracked(),
            answer: String::new(),
            evidence: String::new(),
        };
        if let Err(e) = input.check(today()) {
            error.set(Some(SaveError::Input(input_error(&e))));
            return;
        }
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, PrivacyRequest>(PATH, &input).await {
                Ok(_) => {
                    error.set(None);
                    logged.set(true);
                    description.set(String::new());
                    reload.run(());
                }
                Err(e) => error.set(Some(SaveError::Server(e.code()))),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="page" id="privacy-requests">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{tr(Key::PrivacyRequestsTitle)}</h1>
            <p class="hint">{tr(Key::PrivacyRequestsHint)}</p>
            <Show when=move || allowed fallback=|| view! { <p class="banner">{tr(Key::ApiErrorForbidden)}</p> }>
                <form class="form" id="privacy-request-form" on:submit=create>
                    <h2>{tr(Key::PrivacyNewRequest)}</h2>
                    {save_error_line(error)}
                    <Show when=move || logged.get()>
                        <p class="banner" role="status" id="privacy-request-logged">{tr(Key::PrivacyLogged)}</p>
                    </Show>
                    {choice_select("request-kind".into(), Key::PrivacyKind, RequestKind::ALL, RequestKind::code, kind_key, kind)}
                    {text_field("request-person".into(), Key::PrivacyPerson, person_name, false)}
                    {text_field("request-contact".into(), Key::PrivacyContact, contact, false)}
                    {choice_select("request-channel".into(), Key::PrivacyChannel, Channel::ALL, Channel::code, channel_key, channel)}
                    <div class="field">
                        <label for="request-received">{tr(Key::PrivacyReceivedOn)}</label>
                        <input
                            id="request-received"
                            type="date"
                            prop:value=received_on
                            on:input=move |ev| received_on.set(event_target_value(&ev))
                        />
                    </div>
                    {text_field("request-description".into(), Key::PrivacyDescription, description, true)}
                    <div class="actions">
                        <button type="submit" class="button" id="log-request" disabled=busy>{tr(Key::PrivacyLog)}</button>
                    </div>
                </form>
                <h2>{tr(Key::PrivacyRequestsTitle)}</h2>
                {move || match requests.get() {
                    None => view! { <p>{tr(Key::Loading)}</p> }.into_any(),
                    Some(Err(code)) => view! {
                        <p class="banner error" role="alert">{move || i18n::api_error(lang.get(), code)}</p>
                    }
                    .into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="empty">{tr(Key::PrivacyNone)}</p> }.into_any()
                    }
                    Some(Ok(list)) => view! {
                        <ul class="entries" id="privacy-request-list">
                            {list
                                .into_iter()
                                .map(|request| view! { <RequestEntry request=request reload=reload /> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                }}
                <super::retention::RetentionSection />
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_reads_as_days_left_due_today_or_days_late() {
        let (words, class) = deadline(Lang::En, Urgency::OnTime(12));
        assert_eq!((words.as_str(), class), ("12 days left", "on-time"));
        assert_eq!(deadline(Lang::En, Urgency::DueSoon(0)).1, "due-soon");
        assert_eq!(deadline(Lang::Tr, Urgency::DueSoon(3)).0, "3 gün kaldı");
        let (words, class) = deadline(Lang::Tr, Urgency::Overdue(1));
        assert_eq!((words.as_str(), class), ("1 gün gecikti", "overdue"));
        assert_eq!(
            deadline(Lang::En, Urgency::Closed),
            (String::new(), "closed")
        );
    }
}
