//! Service and time screens: a case's SLA clocks, logging a call after dialling a
//! number, "my day", department and personal calendars with their iCalendar
//! subscriptions, reminders, the service settings and the service report.

use crate::client::error::RepoError;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use saha_core::DocumentId;
use saha_core::access::Department;
use saha_core::activities::call::Call;
use saha_core::activities::meeting::{DEPARTMENT_PREFIX, Meeting, USER_PREFIX, user_calendar};
use saha_core::activities::task::{self, Task};
use saha_core::kinds::Record;
use saha_core::record::WorkflowRefusal;
use saha_core::record::form::Form;
use saha_core::service::case::{Case, ClockState, Sla};
use saha_core::time::civil::{Date, LocalDateTime, ZONES, Zone};
use wasm_bindgen::JsCast;

use super::records::{person_name, record_href, title_of_id};
use super::{me, repo, use_lang, word};
use crate::client::{http, now_ms};
use crate::i18n::{self, Lang};

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

/// A signal holding the current time, refreshed every `seconds`.
fn clock(seconds: u32) -> RwSignal<i64> {
    let now = RwSignal::new(now_ms());
    let handle = set_interval_with_handle(
        move || now.set(now_ms()),
        std::time::Duration::from_secs(u64::from(seconds)),
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
    now
}

/// `1 sa 05 dk` / `1 h 05 min` for a working-time amount.
fn span_text(lang: Lang, ms: i64) -> String {
    let minutes = ms.max(0) / MINUTE_MS;
    let (h, m) = (minutes / 60, minutes % 60);
    match lang {
        Lang::Tr => format!("{h} sa {m:02} dk"),
        Lang::En => format!("{h} h {m:02} min"),
    }
}

/// A wall-clock time as the user reads it (`24.11.2026 10:15`).
pub fn local_text(lang: Lang, t: LocalDateTime) -> String {
    let d = t.date;
    match lang {
        Lang::Tr => format!("{:02}.{:02}.{} {}", d.day, d.month, d.year, t.time_text()),
        Lang::En => format!("{} {}", d, t.time_text()),
    }
}

/// The workspace's zone and today's date in it.
fn workspace_zone() -> Zone {
    repo().service().with_untracked(|s| s.zone())
}

// ----- cases ----------------------------------------------------------------------

/// A case's SLA clocks, live: state, time used against the target, when it runs out,
/// and a warning banner when a clock is near or past its target.
#[component]
pub fn CaseSla(case_id: DocumentId, case: Case) -> impl IntoView {
    let lang = use_lang();
    let now = clock(30);
    let service = repo().service();
    let for_clocks = case.clone();
    let sla =
        Memo::new(move |_| service.with(|s| for_clocks.sla(&s.sla, &s.calendar(), now.get())));
    // Escalated: by hand, or because a clock ran out while the case is still open.
    let for_flag = case.clone();
    let escalated = move || sla.with(|s| for_flag.is_escalated(s));
    let row = move |key: &'static str, pick: fn(&Sla) -> saha_core::service::case::Clock| {
        move || {
            let clock = pick(&sla.get());
            let lang = lang.get();
            let state = match clock.state {
                ClockState::Running => "running",
                ClockState::Warning => "warning",
                ClockState::Paused => "paused",
                ClockState::Met => "met",
                ClockState::Breached => "breached",
            };
            let due = clock
                .due_at
                .map(|due| local_text(lang, workspace_zone().local(due)))
                .unwrap_or_default();
            view! {
                <tr data-clock=key data-state=state>
                    <th scope="row">{word(lang, &format!("sla.{key}"))}</th>
                    <td>{word(lang, &format!("sla.state.{state}"))}</td>
                    <td>{span_text(lang, clock.used_ms)} " / " {span_text(lang, clock.target_ms)}</td>
                    <td>{due}</td>
                </tr>
            }
        }
    };
    let survey = {
        let person = if case.contact.is_empty() {
            case.account.clone()
        } else {
            case.contact.clone()
        };
        let done = case.status.is_done();
        let subject = case.subject.clone();
        let about = case_id;
        move || {
            done.then(|| {
                view! { <super::campaign::SurveyButton about=about person=person.clone() subject=subject.clone() /> }
            })
        }
    };
    view! {
        {survey}
        <section class="sla" aria-labelledby="sla-title">
            <h2 id="sla-title">{move || word(lang.get(), "sla.title")}</h2>
            <Show when=move || sla.with(|s| s.breached())>
                <p class="banner danger" role="alert" id="sla-warning">
                    {move || word(lang.get(), "sla.breached")}
                </p>
            </Show>
            <Show when=move || sla.with(|s| !s.breached() && s.warning())>
                <p class="banner" role="status" id="sla-near">
                    {move || word(lang.get(), "sla.near")}
                </p>
            </Show>
            <Show when=escalated>
                <p class="badge" id="escalated">{move || word(lang.get(), "sla.escalated")}</p>
            </Show>
            <table class="lines">
                <thead>
                    <tr>
                        <th></th>
                        <th>{move || word(lang.get(), "field.status")}</th>
                        <th>{move || word(lang.get(), "sla.used")}</th>
                        <th>{move || word(lang.get(), "sla.due")}</th>
                    </tr>
                </thead>
                <tbody>
                    {row("first_response", |s| s.first_response)}
                    {row("resolution", |s| s.resolution)}
                </tbody>
            </table>
        </section>
    }
}

// ----- calls ----------------------------------------------------------------------

const PENDING_CALL: &str = "saha.pendingCall";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The account and contact of the page a number was dialled from.
fn page_links() -> (String, String) {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let mut parts = path.trim_matches('/').split('/');
    let (section, id) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let Ok(doc) = id.parse::<DocumentId>() else {
        return (String::new(), String::new());
    };
    match (section, repo().record(doc)) {
        ("accounts", Some(_)) => (doc.to_string(), String::new()),
        ("contacts", Some(Record::Contact(c))) => (c.account.clone(), doc.to_string()),
        (_, Some(record)) => (record.account().to_owned(), String::new()),
        _ => (String::new(), String::new()),
    }
}

/// A phone number as a `tel:` link that remembers the call, so that the app offers to
/// log it when the user comes back (see [`CallPrompt`]); with an `sms:` link beside it.
#[component]
pub fn PhoneLink(number: String) -> impl IntoView {
    let lang = use_lang();
    let remember = {
        let number = number.clone();
        move |_| {
            let (account, contact) = page_links();
            let pending = serde_json::json!({
                "number": number,
                "account": account,
                "contact": contact,
                "at": now_ms(),
            });
            if let Some(storage) = session_storage() {
                let _ = storage.set_item(PENDING_CALL, &pending.to_string());
            }
        }
    };
    view! {
        <a href=format!("tel:{number}") class="tel" on:click=remember>{number.clone()}</a>
        " "
        <a href=format!("sms:{number}") class="sms" title=move || word(lang.get(), "ui.sms")>"SMS"</a>
    }
}

/// When the user comes back to the app after dialling from it, offers the call log
/// with the number, the account, the start time and the time away as duration.
#[component]
pub fn CallPrompt() -> impl IntoView {
    let lang = use_lang();
    let offer = RwSignal::new(None::<String>);
    let check = move || {
        let Some(storage) = session_storage() else {
            return;
        };
        let Ok(Some(text)) = storage.get_item(PENDING_CALL) else {
            return;
        };
        let Ok(pending) = serde_json::from_str::<serde_json::Value>(&text) else {
            let _ = storage.remove_item(PENDING_CALL);
            return;
        };
        let at = pending["at"].as_i64().unwrap_or(0);
        // Still dialling: the page never left, or came back at once.
        if now_ms() - at < 2_000 {
            return;
        }
        let zone = workspace_zone();
        let started = zone.local(at).to_string();
        let seconds = ((now_ms() - at) / 1000).clamp(0, 24 * 3600);
        let duration = saha_core::activities::call::duration_text(seconds);
        let mut href = format!(
            "/calls/new?number={}&started={}&duration={}",
            encode(pending["number"].as_str().unwrap_or("")),
            encode(&started),
            encode(&duration)
        );
        for field in ["account", "contact"] {
            if let Some(value) = pending[field].as_str().filter(|v| !v.is_empty()) {
                href.push_str(&format!("&{field}={}", encode(value)));
            }
        }
        let _ = storage.remove_item(PENDING_CALL);
        offer.set(Some(href));
    };
    let visible = move || {
        web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
    };
    let on_return = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if visible() {
            check();
        }
    });
    if let Some(window) = web_sys::window() {
        let f = on_return.as_ref().unchecked_ref();
        let _ = window.add_event_listener_with_callback("focus", f);
        if let Some(document) = window.document() {
            let _ = document.add_event_listener_with_callback("visibilitychange", f);
        }
    }
    on_return.forget();
    view! {
        <Show when=move || offer.with(Option::is_some)>
            <div class="banner call-prompt" role="status" id="call-prompt">
                <span>{move || word(lang.get(), "call.prompt")}</span>
                <button
                    class="button primary"
                    id="log-call"
                    on:click=move |_| {
                        if let Some(href) = offer.get_untracked() {
                            offer.set(None);
                            super::go(&href);
                        }
                    }
                >
                    {move || word(lang.get(), "new.call")}
                </button>
                <button class="button" on:click=move |_| offer.set(None)>
                    {move || word(lang.get(), "ui.dismiss")}
                </button>
            </div>
        </Show>
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// Buttons on an account's or contact's page: log a call, plan a meeting, open a case,
/// add a task — each with the record linked.
#[component]
pub fn ServiceActions(account: String, contact: String) -> impl IntoView {
    let lang = use_lang();
    if !me().role.can_write() {
        return ().into_any();
    }
    let mut query = format!("account={}", encode(&account));
    if !contact.is_empty() {
        query.push_str(&format!(
            "&contact={}&contacts={}",
            encode(&contact),
            encode(&contact)
        ));
    }
    // A task from here is about the contact (or the account).
    let about = if contact.is_empty() {
        &account
    } else {
        &contact
    };
    let task_query = format!("{query}&link={}", encode(about));
    let link = |section: &str, key: &'static str, id: &'static str| {
        let query = if section == "tasks" {
            &task_query
        } else {
            &query
        };
        let href = format!("/{section}/new?{query}");
        view! { <A href=href attr:class="button" attr:id=id>{move || word(lang.get(), key)}</A> }
    };
    view! {
        <div class="actions no-print service-actions">
            {link("calls", "new.call", "new-call")}
            {link("meetings", "new.meeting", "new-meeting")}
            {link("cases", "new.case", "new-case")}
            {link("tasks", "new.task", "new-task")}
        </div>
    }
    .into_any()
}

/// The contact-frequency warning of a meeting or call form: shown when the chosen
/// contacts already had as many meetings and calls as the workspace allows.
pub fn frequency_warning(contacts: Signal<String>, at: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let warnings = Memo::new(move |_| {
        let guard = repo().service().with(|s| s.guard());
        let zone = workspace_zone();
        let at = LocalDateTime::parse(&at.get())
            .map(|t| zone.to_utc_ms(t))
            .unwrap_or_else(now_ms);
        let contacts = contacts.get();
        records.with(|all| {
            let meetings: Vec<&Meeting> = all
                .values()
                .filter_map(|v| match &v.record {
                    Record::Meeting(m) => Some(m),
                    _ => None,
                })
                .collect();
            let calls: Vec<&Call> = all
                .values()
                .filter_map(|v| match &v.record {
                    Record::Call(c) => Some(c),
                    _ => None,
                })
                .collect();
            contacts
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .filter_map(|contact| {
                    let (count, over) = guard.check(
                        contact,
                        at,
                        meetings.iter().copied(),
                        calls.iter().copied(),
                        zone,
                    );
                    over.then(|| (title_of_id(contact), count, guard.days))
                })
                .collect::<Vec<_>>()
        })
    });
    move || {
        let lang = lang.get();
        warnings
            .get()
            .into_iter()
            .map(|(name, count, days)| {
                let text = match lang {
                    Lang::Tr => format!(
                        "{name} ile son {days} günde zaten {count} görüşme yapıldı; müşteriyi sıkmamak için ertelemeyi düşünün."
                    ),
                    Lang::En => format!(
                        "{name} already had {count} meetings or calls in the last {days} days; consider waiting so as not to annoy them."
                    ),
                };
                view! { <p class="banner" role="status" data-warning="frequency">{text}</p> }
            })
            .collect_view()
    }
}

/// After a call with a follow-up time is saved: the follow-up task, linked to the call.
pub async fn create_follow_up(call_id: DocumentId, call: &Call) {
    let lang = use_lang().get_untracked();
    let who = if call.contact.is_empty() {
        title_of_id(&call.account)
    } else {
        title_of_id(&call.contact)
    };
    let who = if who.is_empty() {
        call.number.clone()
    } else {
        who
    };
    let title = match lang {
        Lang::Tr => format!("Geri ara: {who}"),
        Lang::En => format!("Call back: {who}"),
    };
    if let Some(task) = call.follow_up_task(&call_id.to_string(), &title, &repo().edit_context())
        && let Err(e) = repo().create(Record::Task(task)).await
    {
        web_sys::console::warn_1(&format!("follow-up task not created: {e}").into());
    }
}

// ----- tasks and my day -------------------------------------------------------------

/// Marks a task done or open again.
async fn set_task_done(id: DocumentId, done: bool) -> Result<(), RepoError> {
    let Some(Record::Task(t)) = repo().record(id) else {
        return Err(RepoError::Workflow(WorkflowRefusal::NotARecord));
    };
    let mut form: Form = saha_core::record::RecordType::form(&t);
    form.set("status", if done { "done" } else { "open" });
    repo().edit(id, &form).await
}

/// A task row with a done checkbox.
#[component]
fn TaskRow(id: DocumentId, task: Task) -> impl IntoView {
    let lang = use_lang();
    let done = task.status == task::Status::Done;
    let zone = workspace_zone();
    let overdue = task.due_ms(zone).is_some_and(|d| d < now_ms()) && !done;
    let due = LocalDateTime::parse(&task.due)
        .map(|t| local_text(lang.get_untracked(), t))
        .unwrap_or_default();
    view! {
        <li class="task" class:overdue=overdue data-task=id.to_string()>
            <label>
                <input
                    type="checkbox"
                    checked=done
                    disabled=!me().role.can_write()
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        wasm_bindgen_futures::spawn_local(async move {
                            let _ = set_task_done(id, checked).await;
                        });
                    }
                />
                <A href=record_href(task::KIND, id)>{task.title.clone()}</A>
            </label>
            <span class="when">{due}</span>
            <Show when=move || overdue>
                <span class="badge danger">{move || word(lang.get(), "ui.overdue")}</span>
            </Show>
        </li>
    }
}

/// Today for the member: overdue and due tasks, today's meetings, their open cases by
/// SLA urgency.
#[component]
pub fn MyDay() -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let now = clock(60);
    let user = me().user_id.clone();
    let today = move || workspace_zone().local(now.get()).date;
    let tasks = {
        let user = user.clone();
        move || {
            let today = today();
            records.with(|all| {
                let tasks = all.iter().filter_map(|(id, v)| match &v.record {
                    Record::Task(t) => Some((*id, t)),
                    _ => None,
                });
                task::my_day(tasks, &user, today)
                    .into_iter()
                    .map(|(id, t)| (id, t.clone()))
                    .collect::<Vec<_>>()
            })
        }
    };
    let meetings = {
        let user = user.clone();
        move || {
            let zone = workspace_zone();
            let day = today();
            let (from, to) = (
                zone.start_of_day_ms(day),
                zone.start_of_day_ms(day.add_days(1)),
            );
            let mut list = occurrences_on(&user_calendar(&user), from, to);
            list.sort_by_key(|(_, _, o)| o.start_ms);
            list
        }
    };
    let cases = move || {
        let service = repo().service().get();
        let calendar = service.calendar();
        let at = now.get();
        records.with(|all| {
            let mut list: Vec<(DocumentId, Case, Sla)> = all
                .iter()
                .filter_map(|(id, v)| match &v.record {
                    Record::Case(c) if c.owner == user && !c.status.is_done() => {
                        Some((*id, c.clone(), c.sla(&service.sla, &calendar, at)))
                    }
                    _ => None,
                })
                .collect();
            list.sort_by_key(|(_, _, s)| (!s.breached(), s.resolution.due_at.unwrap_or(i64::MAX)));
            list
        })
    };
    view! {
        <section class="page my-day">
            <h1>{move || word(lang.get(), "ui.my_day")}</h1>
            <NotificationSwitch />
            <h2>{move || word(lang.get(), "kinds.task")}</h2>
            {move || {
                let list = tasks();
                if list.is_empty() {
                    return view! { <p class="empty">{move || word(lang.get(), "ui.no_tasks")}</p> }.into_any();
                }
                view! {
                    <ul class="tasks" id="my-tasks">
                        {list.into_iter().map(|(id, t)| view! { <TaskRow id=id task=t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <A href="/tasks/new" attr:class="button">{move || word(lang.get(), "new.task")}</A>
            <h2>{move || word(lang.get(), "ui.today_meetings")}</h2>
            {move || {
                let list = meetings();
                if list.is_empty() {
                    return view! { <p class="empty">{move || word(lang.get(), "ui.no_meetings")}</p> }.into_any();
                }
                view! {
                    <ul class="agenda">
                        {list.into_iter().map(|(id, m, o)| occurrence_item(id, &m, o)).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <h2>{move || word(lang.get(), "ui.my_cases")}</h2>
            {move || {
                let list = cases();
                if list.is_empty() {
                    return view! { <p class="empty">{move || word(lang.get(), "ui.no_cases")}</p> }.into_any();
                }
                view! {
                    <ul class="cards">
                        {list
                            .into_iter()
                            .map(|(id, c, sla)| {
                                let state = if sla.breached() { "breached" } else if sla.warning() { "warning" } else { "ok" };
                                view! {
                                    <li class="card" data-sla=state>
                                        <A href=record_href(saha_core::service::case::KIND, id)>{c.subject.clone()}</A>
                                        <span class="badge">{move || word(lang.get(), &format!("priority.{}", c.priority.code()))}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

// ----- reminders --------------------------------------------------------------------

const REMINDED: &str = "saha.reminded";

/// Shows due reminders of the member's tasks while the app is open (and as system
/// notifications where the user allowed them). Each reminder shows once per device.
#[component]
pub fn Reminders() -> impl IntoView {
    let lang = use_lang();
    let now = clock(30);
    let shown = RwSignal::new(Vec::<(DocumentId, String)>::new());
    let user = me().user_id.clone();
    Effect::new(move |_| {
        let at = now.get();
        let zone = workspace_zone();
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        let mut reminded: Vec<String> = storage
            .as_ref()
            .and_then(|s| s.get_item(REMINDED).ok().flatten())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let due: Vec<(DocumentId, String, String)> = repo().records().with_untracked(|all| {
            all.iter()
                .filter_map(|(id, v)| match &v.record {
                    Record::Task(t) if t.owner == user => t
                        .remind_at(zone)
                        .filter(|r| *r <= at && at - *r < 7 * DAY_MS)
                        .map(|_| (*id, format!("{id}@{}", t.due), t.title.clone())),
                    _ => None,
                })
                .collect()
        });
        let mut changed = false;
        for (id, key, title) in due {
            if reminded.contains(&key) {
                continue;
            }
            reminded.push(key);
            changed = true;
            shown.update(|s| s.push((id, title.clone())));
            notify(&title);
        }
        if changed && let Some(storage) = storage {
            let keep = reminded.len().saturating_sub(500);
            let _ = storage.set_item(
                REMINDED,
                &serde_json::to_string(&reminded[keep..]).unwrap_or_default(),
            );
        }
    });
    view! {
        <div class="toasts" aria-live="polite">
            {move || {
                shown
                    .get()
                    .into_iter()
                    .map(|(id, title)| {
                        view! {
                            <div class="toast" data-reminder=id.to_string()>
                                <span>{move || word(lang.get(), "ui.reminder")} ": "</span>
                                <A href=record_href(task::KIND, id)>{title}</A>
                                <button
                                    class="button"
                                    on:click=move |_| shown.update(|s| s.retain(|(x, _)| *x != id))
                                >
                                    "×"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

fn notify(title: &str) {
    if web_sys::Notification::permission() != web_sys::NotificationPermission::Granted {
        return;
    }
    let _ = web_sys::Notification::new(&format!("Saha: {title}"));
}

/// Asks for permission to show reminders as system notifications.
#[component]
fn NotificationSwitch() -> impl IntoView {
    let lang = use_lang();
    let permission = RwSignal::new(web_sys::Notification::permission());
    let ask = move |_| {
        if let Ok(promise) = web_sys::Notification::request_permission() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                permission.set(web_sys::Notification::permission());
            });
        }
    };
    view! {
        <Show when=move || permission.get() == web_sys::NotificationPermission::Default>
            <button class="button" on:click=ask>{move || word(lang.get(), "ui.enable_notifications")}</button>
        </Show>
    }
}

// ----- calendars --------------------------------------------------------------------

/// The calendars a member can open: their own, then every department's.
pub fn calendar_choices(lang: Lang) -> Vec<(String, String)> {
    let mut list = vec![(user_calendar(&me().user_id), word(lang, "ui.my_calendar"))];
    for d in Department::ALL {
        list.push((
            format!("{DEPARTMENT_PREFIX}{}", d.code()),
            word(lang, &format!("dept.{}", d.code())),
        ));
    }
    list
}

/// A calendar's display name.
pub fn calendar_name(lang: Lang, code: &str) -> String {
    if let Some(d) = code.strip_prefix(DEPARTMENT_PREFIX) {
        return word(lang, &format!("dept.{d}"));
    }
    match code.strip_prefix(USER_PREFIX) {
        Some(user) if user == me().user_id => word(lang, "ui.my_calendar"),
        Some(user) => person_name(user),
        None => code.to_owned(),
    }
}

/// Occurrences of the meetings on `calendar` within `from..to`.
fn occurrences_on(
    calendar: &str,
    from: i64,
    to: i64,
) -> Vec<(
    DocumentId,
    Meeting,
    saha_core::activities::meeting::Occurrence,
)> {
    repo().records().with(|all| {
        let mut out = Vec::new();
        for (id, v) in all {
            if let Record::Meeting(m) = &v.record
                && m.on_calendar(calendar)
            {
                for o in m.occurrences(from, to, 500) {
                    out.push((*id, m.clone(), o));
                }
            }
        }
        out
    })
}

fn maps_link(location: &str) -> String {
    format!(
        "https://www.google.com/maps/search/?api=1&query={}",
        encode(location)
    )
}

fn occurrence_item(
    id: DocumentId,
    m: &Meeting,
    o: saha_core::activities::meeting::Occurrence,
) -> impl IntoView + use<> {
    let location = m.location.clone();
    let title = m.title.clone();
    view! {
        <li class="occurrence" data-meeting=id.to_string()>
            <span class="when">{o.start.time_text()} "–" {o.end.time_text()}</span>
            <A href=record_href(saha_core::activities::meeting::KIND, id)>{title}</A>
            <Show when={
                let empty = location.is_empty();
                move || !empty
            }>
                <a class="place" href=maps_link(&location) target="_blank" rel="noopener">{location.clone()}</a>
            </Show>
        </li>
    }
}

/// Day, week and agenda views of a calendar, with its subscription links.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let zone = workspace_zone();
    let today = zone.local(now_ms()).date;
    let calendar = RwSignal::new(
        query
            .with_untracked(|q| q.get("calendar"))
            .unwrap_or_else(|| user_calendar(&me().user_id)),
    );
    let mode = RwSignal::new(
        query
            .with_untracked(|q| q.get("view"))
            .filter(|v| matches!(v.as_str(), "day" | "week" | "agenda"))
            .unwrap_or_else(|| "week".to_owned()),
    );
    let anchor = RwSignal::new(
        query
            .with_untracked(|q| q.get("date"))
            .and_then(|d| Date::parse(&d))
            .unwrap_or(today),
    );
    let range = move || {
        let a = anchor.get();
        match mode.get().as_str() {
            "day" => (a, 1),
            "agenda" => (a, 30),
            _ => (a.monday(), 7),
        }
    };
    let step = move |forward: bool| {
        let days = match mode.get_untracked().as_str() {
            "day" => 1,
            "agenda" => 30,
            _ => 7,
        };
        anchor.update(|a| *a = a.add_days(if forward { days } else { -days }));
    };
    let days = move || {
        let (first, count) = range();
        let zone = workspace_zone();
        let from = zone.start_of_day_ms(first);
        let to = zone.start_of_day_ms(first.add_days(count));
        let mut all = occurrences_on(&calendar.get(), from, to);
        all.sort_by_key(|(_, _, o)| o.start_ms);
        let agenda = mode.get() == "agenda";
        (0..count)
            .map(|i| first.add_days(i))
            .map(|day| {
                let list: Vec<_> = all
                    .iter()
                    .filter(|(_, _, o)| o.start.date == day)
                    .cloned()
                    .collect();
                (day, list)
            })
            .filter(|(_, list)| !agenda || !list.is_empty())
            .collect::<Vec<_>>()
    };
    let new_href = move || {
        format!(
            "/meetings/new?calendar={}&start={}",
            encode(&calendar.get()),
            encode(&format!("{}T10:00", anchor.get()))
        )
    };
    view! {
        <section class="page calendar">
            <h1>{move || word(lang.get(), "ui.calendar")}</h1>
            <div class="calendar-controls">
                <select
                    id="calendar-choice"
                    aria-label=move || word(lang.get(), "field.calendar")
                    prop:value=calendar
                    on:change=move |ev| calendar.set(event_target_value(&ev))
                >
                    {move || {
                        calendar_choices(lang.get())
                            .into_iter()
                            .map(|(code, name)| {
                                let selected = {
                                    let code = code.clone();
                                    move || calendar.get() == code
                                };
                                view! { <option value=code selected=selected>{name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <select
                    id="calendar-view"
                    prop:value=mode
                    on:change=move |ev| mode.set(event_target_value(&ev))
                >
                    {["day", "week", "agenda"]
                        .into_iter()
                        .map(|m| view! { <option value=m selected=move || mode.get() == m>{move || word(lang.get(), &format!("ui.view_{m}"))}</option> })
                        .collect_view()}
                </select>
                <button class="button step" on:click=move |_| step(false) aria-label="‹">"‹"</button>
                <button class="button" on:click=move |_| anchor.set(workspace_zone().local(now_ms()).date)>
                    {move || word(lang.get(), "ui.today")}
                </button>
                <button class="button step" on:click=move |_| step(true) aria-label="›">"›"</button>
                <A href=new_href attr:class="button primary" attr:id="new-meeting">{move || word(lang.get(), "new.meeting")}</A>
            </div>
            <div class="days" id="calendar-days">
                {move || {
                    let lang = lang.get();
                    let list = days();
                    if list.is_empty() {
                        return view! { <p class="empty">{word(lang, "ui.no_meetings")}</p> }.into_any();
                    }
                    list.into_iter()
                        .map(|(day, items)| {
                            let weekday = word(lang, &format!("weekday.{}", day.weekday().index()));
                            view! {
                                <section class="day" data-date=day.to_string()>
                                    <h2>{weekday} " " {super::records::format_date(lang, &day.to_string())}</h2>
                                    <ul class="agenda">
                                        {items.into_iter().map(|(id, m, o)| occurrence_item(id, &m, o)).collect_view()}
                                    </ul>
                                </section>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </div>
            <Subscriptions calendar=calendar />
        </section>
    }
}

/// The member's iCalendar subscriptions of a calendar: create (the URL is shown once),
/// list and revoke. Needs the server.
#[component]
fn Subscriptions(calendar: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let feeds = RwSignal::new(Vec::<saha_core::api::CalendarFeed>::new());
    let created = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let load = move || {
        wasm_bindgen_futures::spawn_local(async move {
            match http::get::<Vec<saha_core::api::CalendarFeed>>("/api/calendar-feeds").await {
                Ok(list) => feeds.set(list),
                // Offline: the list simply is not shown; the calendar itself works.
                Err(e) if e.status().is_none() => {}
                Err(e) => failure.set(Some(e.to_string())),
            }
        });
    };
    load();
    let subscribe = move |_| {
        let body = saha_core::api::NewCalendarFeed {
            calendar: calendar.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match http::post::<_, saha_core::api::CalendarFeed>("/api/calendar-feeds", &body).await
            {
                Ok(feed) => {
                    created.set(feed.url.clone());
                    failure.set(None);
                    load();
                }
                Err(e) => failure.set(Some(e.to_string())),
            }
        });
    };
    let revoke = move |id: String| {
        wasm_bindgen_futures::spawn_local(async move {
            let path = format!("/api/calendar-feeds/{id}");
            match http::send::<_, ()>("DELETE", &path, &()).await {
                Ok(()) => load(),
                Err(e) => failure.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="subscriptions no-print">
            <h2>{move || word(lang.get(), "ui.subscriptions")}</h2>
            <p class="hint">{move || word(lang.get(), "ui.subscriptions_hint")}</p>
            <button class="button" id="subscribe" on:click=subscribe>
                {move || word(lang.get(), "ui.subscribe")}
            </button>
            <Show when=move || created.with(Option::is_some)>
                <input
                    id="feed-url"
                    readonly
                    class="feed-url"
                    prop:value=move || created.get().unwrap_or_default()
                    on:focus=move |ev| {
                        if let Some(input) = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        {
                            input.select();
                        }
                    }
                />
            </Show>
            <Show when=move || failure.with(Option::is_some)>
                <p class="error" role="alert">{move || failure.get().unwrap_or_default()}</p>
            </Show>
            <ul class="feeds">
                {move || {
                    let lang = lang.get();
                    feeds
                        .get()
                        .into_iter()
                        .map(|f| {
                            let id = f.id.clone();
                            view! {
                                <li data-feed=f.id.clone()>
                                    {calendar_name(lang, &f.calendar)}
                                    " · "
                                    {local_text(lang, workspace_zone().local(f.created_at))}
                                    " "
                                    <button class="button" on:click=move |_| revoke(id.clone())>
                                        {word(lang, "ui.revoke")}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// A meeting's extras on its page: map link, attendee names, and the `.ics` download.
#[component]
pub fn MeetingPanel(id: DocumentId, meeting: Meeting) -> impl IntoView {
    let lang = use_lang();
    let download = {
        let meeting = meeting.clone();
        move |_| download_ics(id, &meeting)
    };
    let location = meeting.location.clone();
    view! {
        <div class="actions no-print">
            <button class="button" id="download-ics" on:click=download>
                {move || word(lang.get(), "ui.download_ics")}
            </button>
            <Show when={
                let empty = location.is_empty();
                move || !empty
            }>
                <a class="button" href=maps_link(&location) target="_blank" rel="noopener">
                    {move || word(lang.get(), "ui.open_map")}
                </a>
            </Show>
        </div>
    }
}

fn download_ics(id: DocumentId, meeting: &Meeting) {
    let id_text = id.to_string();
    // Members' addresses are not on the device; the server's feed includes them.
    let mut attendees: Vec<(String, String)> = Vec::new();
    for contact in &meeting.contacts {
        if let Ok(cid) = contact.parse::<DocumentId>()
            && let Some(Record::Contact(c)) = repo().record(cid)
            && !c.email.is_empty()
        {
            attendees.push((c.name.clone(), c.email.clone()));
        }
    }
    let events = [saha_core::activities::ics::FeedEvent {
        id: &id_text,
        meeting,
        attendees,
        url: String::new(),
    }];
    let text = saha_core::activities::ics::calendar(&meeting.title, &events, now_ms());
    download(
        &format!("{}.ics", safe_file_name(&meeting.title)),
        "text/calendar;charset=utf-8",
        &text,
    );
}

/// Lets the browser save `text` as a file called `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

fn safe_file_name(title: &str) -> String {
    let name: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "saha".to_owned()
    } else {
        name.chars().take(60).collect()
    }
}

// ----- settings -----------------------------------------------------------------------

/// Working hours, holidays, SLA targets and the contact-frequency guard (admins).
#[component]
pub fn ServiceSettingsPage() -> impl IntoView {
    let lang = use_lang();
    let allowed = me().role.administers();
    let current = repo().service().get_untracked();
    let time_zone = RwSignal::new(current.time_zone.clone());
    let hours: Vec<RwSignal<String>> = (0..7)
        .map(|i| RwSignal::new(current.hours.get(i).cloned().unwrap_or_default()))
        .collect();
    let national = RwSignal::new(current.national_holidays);
    let holidays = RwSignal::new(current.holidays.join("\n"));
    let sla: Vec<(String, RwSignal<String>, RwSignal<String>)> =
        saha_core::service::case::Priority::ALL
            .iter()
            .map(|p| {
                let t = current
                    .sla
                    .iter()
                    .find(|t| t.priority == p.code())
                    .cloned()
                    .or_else(|| {
                        saha_core::service::case::default_sla()
                            .into_iter()
                            .find(|t| t.priority == p.code())
                    });
                let (first, resolution) = t
                    .map(|t| (t.first_response_minutes, t.resolution_minutes))
                    .unwrap_or((480, 2700));
                (
                    p.code().to_owned(),
                    RwSignal::new(first.to_string()),
                    RwSignal::new(resolution.to_string()),
                )
            })
            .collect();
    let guard_count = RwSignal::new(current.guard_count.to_string());
    let guard_days = RwSignal::new(current.guard_days.to_string());
    let topics = RwSignal::new(current.email_topics.join(", "));
    let cool_off = RwSignal::new(current.cool_off_days.to_string());
    let quiet = RwSignal::new(current.quiet_hours.clone());
    let per_100 = RwSignal::new(current.loyalty_points_per_100.to_string());
    let tiers = RwSignal::new(
        current
            .loyalty_tiers
            .iter()
            .map(|t| format!("{}:{}", t.name, t.min_points))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let problems = RwSignal::new(Vec::<(&'static str, saha_core::text::validate::Problem)>::new());
    let saved = RwSignal::new(false);
    let save = {
        let hours = hours.clone();
        let sla = sla.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            saved.set(false);
            let number =
                |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().unwrap_or(-1);
            let settings = saha_core::workspace::ServiceSettings {
                time_zone: time_zone.get_untracked(),
                hours: hours.iter().map(|h| h.get_untracked()).collect(),
                national_holidays: national.get_untracked(),
                holidays: holidays
                    .get_untracked()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                sla: sla
                    .iter()
                    .map(|(p, f, r)| saha_core::service::case::SlaTarget {
                        priority: p.clone(),
                        first_response_minutes: number(*f),
                        resolution_minutes: number(*r),
                    })
                    .collect(),
                guard_count: number(guard_count),
                guard_days: number(guard_days),
                email_topics: saha_core::record::form::split_tags(&topics.get_untracked()),
                cool_off_days: number(cool_off),
                quiet_hours: quiet.get_untracked(),
                loyalty_points_per_100: number(per_100),
                loyalty_tiers: match parse_tiers(&tiers.get_untracked()) {
                    Some(t) => t,
                    None => {
                        problems.set(vec![(
                            "loyalty",
                            saha_core::text::validate::Problem::InvalidNumber,
                        )]);
                        return;
                    }
                },
            };
            wasm_bindgen_futures::spawn_local(async move {
                match repo().set_service(&settings).await {
                    Ok(()) => {
                        problems.set(Vec::new());
                        saved.set(true);
                    }
                    Err(RepoError::Invalid(found)) => problems.set(found),
                    Err(e) => {
                        web_sys::console::warn_1(&e.to_string().into());
                        problems.set(vec![(
                            "service",
                            saha_core::text::validate::Problem::InvalidChoice,
                        )]);
                    }
                }
            });
        }
    };
    let problem = move |field: &'static str| {
        move || {
            problems.with(|ps| {
                ps.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, p)| i18n::problem(lang.get(), *p))
            })
        }
    };
    if !allowed {
        return view! {
            <section class="page">
                <p class="banner" role="status">{move || word(lang.get(), "ui.admins_only")}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="page settings">
            <h1>{move || word(lang.get(), "ui.service_settings")}</h1>
            <p class="hint">{move || word(lang.get(), "ui.service_settings_hint")}</p>
            <form on:submit=save class="record-form" id="service-settings">
                <div class="field">
                    <label for="time-zone">{move || word(lang.get(), "field.time_zone")}</label>
                    <select id="time-zone" prop:value=time_zone on:change=move |ev| time_zone.set(event_target_value(&ev))>
                        {ZONES
                            .iter()
                            .map(|(name, _)| view! { <option value=*name selected=move || time_zone.get() == *name>{*name}</option> })
                            .collect_view()}
                    </select>
                    <p class="error">{problem("time_zone")}</p>
                </div>
                <fieldset>
                    <legend>{move || word(lang.get(), "ui.working_hours")}</legend>
                    {hours
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let h = *h;
                            let id = format!("hours-{i}");
                            view! {
                                <div class="field">
                                    <label for=id.clone()>{move || word(lang.get(), &format!("weekday.{i}"))}</label>
                                    <input id=id type="text" placeholder="09:00-18:00" prop:value=h on:input=move |ev| h.set(event_target_value(&ev)) />
                                </div>
                            }
                        })
                        .collect_view()}
                    <p class="error">{problem("hours")}</p>
                </fieldset>
                <label class="check">
                    <input type="checkbox" prop:checked=national on:change=move |ev| national.set(event_target_checked(&ev)) />
                    {move || word(lang.get(), "ui.national_holidays")}
                </label>
                <div class="field">
                    <label for="holidays">{move || word(lang.get(), "ui.holidays")}</label>
                    <textarea id="holidays" rows="8" prop:value=holidays on:input=move |ev| holidays.set(event_target_value(&ev))></textarea>
                    <p class="error">{problem("holidays")}</p>
                </div>
                <fieldset>
                    <legend>{move || word(lang.get(), "ui.sla_targets")}</legend>
                    <table class="lines">
                        <thead>
                            <tr>
                                <th>{move || word(lang.get(), "field.priority")}</th>
                                <th>{move || word(lang.get(), "sla.first_response")} " (dk)"</th>
                                <th>{move || word(lang.get(), "sla.resolution")} " (dk)"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {sla
                                .iter()
                                .map(|(p, f, r)| {
                                    let (f, r) = (*f, *r);
                                    let key = format!("priority.{p}");
                                    view! {
                                        <tr data-priority=p.clone()>
                                            <th scope="row">{move || word(lang.get(), &key)}</th>
                                            <td><input type="text" inputmode="numeric" class="sla-first" prop:value=f on:input=move |ev| f.set(event_target_value(&ev)) /></td>
                                            <td><input type="text" inputmode="numeric" class="sla-resolution" prop:value=r on:input=move |ev| r.set(event_target_value(&ev)) /></td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <p class="error">{problem("sla")}</p>
                </fieldset>
                <fieldset>
                    <legend>{move || word(lang.get(), "ui.frequency_guard")}</legend>
                    <div class="field">
                        <label for="guard-count">{move || word(lang.get(), "ui.guard_count")}</label>
                        <input id="guard-count" type="text" inputmode="numeric" prop:value=guard_count on:input=move |ev| guard_count.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="guard-days">{move || word(lang.get(), "ui.guard_days")}</label>
                        <input id="guard-days" type="text" inputmode="numeric" prop:value=guard_days on:input=move |ev| guard_days.set(event_target_value(&ev)) />
                    </div>
                    <p class="error">{problem("guard")}</p>
                </fieldset>
                <fieldset>
                    <legend>{move || word(lang.get(), "ui.contact_rules")}</legend>
                    <div class="field">
                        <label for="cool-off">{move || word(lang.get(), "ui.cool_off_days")}</label>
                        <input id="cool-off" type="text" inputmode="numeric" prop:value=cool_off on:input=move |ev| cool_off.set(event_target_value(&ev)) />
                        <p class="error">{problem("cool_off_days")}</p>
                    </div>
                    <div class="field">
                        <label for="quiet-hours">{move || word(lang.get(), "ui.quiet_hours")}</label>
                        <input id="quiet-hours" type="text" placeholder="21:00-09:00" prop:value=quiet on:input=move |ev| quiet.set(event_target_value(&ev)) />
                        <p class="error">{problem("quiet_hours")}</p>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{move || word(lang.get(), "ui.loyalty_rules")}</legend>
                    <div class="field">
                        <label for="points-per-100">{move || word(lang.get(), "ui.points_per_100")}</label>
                        <input id="points-per-100" type="text" inputmode="numeric" prop:value=per_100 on:input=move |ev| per_100.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="loyalty-tiers">{move || word(lang.get(), "ui.tiers")}</label>
                        <input id="loyalty-tiers" type="text" prop:value=tiers on:input=move |ev| tiers.set(event_target_value(&ev)) />
                    </div>
                    <p class="error">{problem("loyalty")}</p>
                </fieldset>
                <div class="field">
                    <label for="email-topics">{move || word(lang.get(), "ui.email_topics")}</label>
                    <input id="email-topics" type="text" prop:value=topics on:input=move |ev| topics.set(event_target_value(&ev)) />
                </div>
                <div class="actions">
                    <button type="submit" class="button primary">{move || word(lang.get(), "ui.save")}</button>
                </div>
                <Show when=move || saved.get()>
                    <p class="banner" role="status">{move || word(lang.get(), "ui.saved")}</p>
                </Show>
            </form>
        </section>
    }
    .into_any()
}

/// Parses `Bronz:0, Gümüş:1000`.
fn parse_tiers(text: &str) -> Option<Vec<saha_core::parties::loyalty::Tier>> {
    let mut tiers = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, points) = part.rsplit_once(':')?;
        let name = name.trim();
        let min_points: i64 = points.trim().parse().ok()?;
        if name.is_empty() || min_points < 0 {
            return None;
        }
        tiers.push(saha_core::parties::loyalty::Tier {
            name: name.to_owned(),
            min_points,
        });
    }
    Some(tiers)
}

// ----- report -------------------------------------------------------------------------

/// First-response and resolution times, SLA breach rate, open cases by age, and calls
/// per agent per day over the last week.
#[component]
pub fn ServiceReport() -> impl IntoView {
    let lang = use_lang();
    let records = repo().records();
    let now = clock(60);
    let figures = Memo::new(move |_| {
        let service = repo().service().get();
        records.with(|all| {
            let cases = all.values().filter_map(|v| match &v.record {
                Record::Case(c) => Some(c),
                _ => None,
            });
            saha_core::views::service_report::cases(
                cases,
                &service.sla,
                &service.calendar(),
                now.get(),
            )
        })
    });
    let calls = Memo::new(move |_| {
        let since = workspace_zone().local(now.get()).date.add_days(-6);
        records.with(|all| {
            let calls = all.values().filter_map(|v| match &v.record {
                Record::Call(c) => Some(c),
                _ => None,
            });
            saha_core::views::service_report::calls_per_agent_day(calls, since)
                .into_iter()
                .collect::<Vec<_>>()
        })
    });
    let hours = move |ms: Option<i64>| {
        ms.map(|ms| span_text(lang.get(), ms))
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <section class="page report">
            <h1>{move || word(lang.get(), "ui.service_report")}</h1>
            <dl class="facts" id="service-figures">
                <dt>{move || word(lang.get(), "report.cases")}</dt>
                <dd data-figure="total">{move || figures.get().total}</dd>
                <dt>{move || word(lang.get(), "report.open")}</dt>
                <dd data-figure="open">{move || figures.get().open}</dd>
                <dt>{move || word(lang.get(), "report.first_response")}</dt>
                <dd data-figure="first_response">{move || hours(figures.get().mean_first_response_ms)}</dd>
                <dt>{move || word(lang.get(), "report.resolution")}</dt>
                <dd data-figure="resolution">{move || hours(figures.get().mean_resolution_ms)}</dd>
                <dt>{move || word(lang.get(), "report.breach_rate")}</dt>
                <dd data-figure="breach_rate">
                    {move || figures.get().breach_rate_percent().map(|p| format!("%{p}")).unwrap_or_else(|| "—".into())}
                </dd>
                <dt>{move || word(lang.get(), "report.nps")}</dt>
                <dd data-figure="nps">
                    {move || {
                        records.with(|all| {
                            let campaigns = all.values().filter_map(|v| match &v.record {
                                Record::Campaign(c) => Some(c),
                                _ => None,
                            });
                            saha_core::views::service_report::nps(campaigns)
                                .map(|(score, n)| format!("{score} ({n})"))
                                .unwrap_or_else(|| "—".into())
                        })
                    }}
                </dd>
                <dt>{move || word(lang.get(), "report.satisfaction")}</dt>
                <dd data-figure="satisfaction">
                    {move || figures.get().mean_rating_x100.map(|r| format!("{}.{:02}", r / 100, r % 100)).unwrap_or_else(|| "—".into())}
                </dd>
            </dl>
            <h2>{move || word(lang.get(), "report.open_by_age")}</h2>
            <table class="lines" id="open-by-age">
                <tbody>
                    {saha_core::views::service_report::AGE_BUCKETS
                        .iter()
                        .enumerate()
                        .map(|(i, b)| view! {
                            <tr data-age=*b>
                                <th scope="row">{move || word(lang.get(), &format!("report.age.{b}"))}</th>
                                <td>{move || figures.get().open_by_age[i]}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <h2>{move || word(lang.get(), "report.calls")}</h2>
            <table class="lines" id="calls-per-agent">
                <thead>
                    <tr>
                        <th>{move || word(lang.get(), "field.owner")}</th>
                        <th>{move || word(lang.get(), "report.day")}</th>
                        <th>{move || word(lang.get(), "kinds.call")}</th>
                        <th>{move || word(lang.get(), "outcome.reached")}</th>
                        <th>{move || word(lang.get(), "report.total_time")}</th>
                        <th>{move || word(lang.get(), "report.mean_time")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let lang = lang.get();
                        calls
                            .get()
                            .into_iter()
                            .map(|((agent, day), d)| view! {
                                <tr>
                                    <td>{person_name(&agent)}</td>
                                    <td>{super::records::format_date(lang, &day.to_string())}</td>
                                    <td>{d.calls}</td>
                                    <td>{d.reached}</td>
                                    <td>{saha_core::activities::call::duration_text(d.total_seconds)}</td>
                                    <td>{saha_core::activities::call::duration_text(d.mean_seconds())}</td>
                                </tr>
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </section>
    }
}
