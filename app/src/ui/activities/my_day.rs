//! My day: the member's open tasks, meetings and calls for today.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::activities::{
    meeting::user_calendar,
    task::{self, Task},
};
use saha_core::kinds::Record;
use saha_core::record::{WorkflowRefusal, form::Form};
use saha_core::service::case::{Case, Sla};
use saha_core::time::civil::LocalDateTime;

use crate::client::{error::RepoError, now_ms};
use crate::ui::{
    activities::{
        calendar::{occurrence_item, occurrences_on},
        reminders::NotificationSwitch,
    },
    me, repo, use_lang,
    widgets::{
        format::{clock, local_text, workspace_zone},
        links::record_href,
    },
    word,
};

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
                            if set_task_done(id, checked).await.is_ok() && checked {
                                // Done tasks leave the list: say so, and offer it back.
                                crate::ui::widgets::toast::show_undo(
                                    Key::UiTaskDone,
                                    Callback::new(move |()| {
                                        wasm_bindgen_futures::spawn_local(async move {
                                            let _ = set_task_done(id, false).await;
                                        });
                                    }),
                                );
                            }
                        });
                    }
                />
                <A href=record_href(task::KIND, id)>{task.title.clone()}</A>
            </label>
            <span class="when">{due}</span>
            <Show when=move || overdue>
                <span class="badge danger">{move || word(lang.get(), Key::UiOverdue)}</span>
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
                    Record::Case(c) if c.common.owner == user && !c.status.is_done() => {
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
            <h1>{move || word(lang.get(), Key::UiMyDay)}</h1>
            <crate::ui::privacy::deadlines::PrivacyDeadlines />
            <NotificationSwitch />
            <h2>{move || word(lang.get(), Key::KindsTask)}</h2>
            {move || {
                let list = tasks();
                if list.is_empty() {
                    return view! { <p class="empty">{move || word(lang.get(), Key::UiNoTasks)}</p> }.into_any();
                }
                view! {
                    <ul class="tasks" id="my-tasks">
                        {list.into_iter().map(|(id, t)| view! { <TaskRow id=id task=t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <A href="/tasks/new" attr:class="button">{move || word(lang.get(), Key::NewTask)}</A>
            <h2>{move || word(lang.get(), Key::UiTodayMeetings)}</h2>
            {move || {
                let list = meetings();
                if list.is_empty() {
                    return view! { <p class="empty">{move || word(lang.get(), Key::UiNoMeetings)}</p> }.into_any();
                }
                view! {
                    <ul class="agenda">
                        {list.into_iter().map(|(id, m, o)| occurrence_item(id, &m, o)).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <h2>{move || word(lang.get(), Key::UiMyCases)}</h2>
            {move || {
                let list = cases();
                if list.is_empty() {
                    return view! { <p class="empty">{move || word(lang.get(), Key::UiNoCases)}</p> }.into_any();
                }
                view! {
                    <ul class="cards">
                        {list
                            .into_iter()
                            .map(|(id, c, sla)| {
                                let state = if sla.breached() { "breached" } else if sla.warning() { "warning" } else { "ok" };
                                let priority = c.priority;
                                view! {
                                    <li class="card" data-sla=state>
                                        <A href=record_href(saha_core::service::case::KIND, id)>{c.subject.clone()}</A>
                                        <span class="badge">{move || word_for(lang.get(), &format!("priority.{}", priority.code()))}</span>
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
