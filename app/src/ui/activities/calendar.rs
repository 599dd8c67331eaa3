//! Department and personal calendars, meeting panels and iCalendar subscriptions.

use crate::i18n::Key;
use crate::i18n::word_for;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use saha_core::DocumentId;
use saha_core::access::Department;
use saha_core::activities::meeting::{DEPARTMENT_PREFIX, Meeting, USER_PREFIX, user_calendar};
use saha_core::kinds::Record;
use saha_core::time::civil::Date;
use wasm_bindgen::JsCast;

use crate::client::{http, now_ms};
use crate::i18n::Lang;
use crate::ui::{
    activities::calls::encode,
    me, repo, use_lang,
    widgets::{
        files::{download, safe_file_name},
        format::{local_text, workspace_zone},
        links::{person_name, record_href},
    },
    word,
};

/// The calendars a member can open: their own, then every department's.
pub fn calendar_choices(lang: Lang) -> Vec<(String, String)> {
    let mut list = vec![(user_calendar(&me().user_id), word(lang, Key::UiMyCalendar))];
    for d in Department::ALL {
        list.push((
            format!("{DEPARTMENT_PREFIX}{}", d.code()),
            word_for(lang, &format!("dept.{}", d.code())),
        ));
    }
    list
}

/// A calendar's display name.
pub fn calendar_name(lang: Lang, code: &str) -> String {
    if let Some(d) = code.strip_prefix(DEPARTMENT_PREFIX) {
        return word_for(lang, &format!("dept.{d}"));
    }
    match code.strip_prefix(USER_PREFIX) {
        Some(user) if user == me().user_id => word(lang, Key::UiMyCalendar),
        Some(user) => person_name(user),
        None => code.to_owned(),
    }
}

/// Occurrences of the meetings on `calendar` within `from..to`.
pub(crate) fn occurrences_on(
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

pub(crate) fn occurrence_item(
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
            <h1>{move || word(lang.get(), Key::UiCalendar)}</h1>
            <div class="calendar-controls">
                <select
                    id="calendar-choice"
                    aria-label=move || word(lang.get(), Key::FieldCalendar)
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
                    aria-label=move || word(lang.get(), Key::UiCalendarView)
                    prop:value=mode
                    on:change=move |ev| mode.set(event_target_value(&ev))
                >
                    {[("day", Key::UiViewDay), ("week", Key::UiViewWeek), ("agenda", Key::UiViewAgenda)]
                        .into_iter()
                        .map(|(m, label)| view! { <option value=m selected=move || mode.get() == m>{move || word(lang.get(), label)}</option> })
                        .collect_view()}
                </select>
                <button class="button step" on:click=move |_| step(false) aria-label=move || word(lang.get(), Key::UiPrevious)>"‹"</button>
                <button class="button" on:click=move |_| anchor.set(workspace_zone().local(now_ms()).date)>
                    {move || word(lang.get(), Key::UiToday)}
                </button>
                <button class="button step" on:click=move |_| step(true) aria-label=move || word(lang.get(), Key::UiNext)>"›"</button>
                <A href=new_href attr:class="button primary" attr:id="new-meeting">{move || word(lang.get(), Key::NewMeeting)}</A>
            </div>
            <div class="days" id="calendar-days">
                {move || {
                    let lang = lang.get();
                    let list = days();
                    if list.is_empty() {
                        return view! { <p class="empty">{word(lang, Key::UiNoMeetings)}</p> }.into_any();
                    }
                    list.into_iter()
                        .map(|(day, items)| {
                            let weekday = word_for(lang, &format!("weekday.{}", day.weekday().index()));
                            view! {
                                <section class="day" data-date=day.to_string()>
                                    <h2>{weekday} " " {crate::ui::widgets::format::format_date(lang, &day.to_string())}</h2>
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
            <h2>{move || word(lang.get(), Key::UiSubscriptions)}</h2>
            <p class="hint">{move || word(lang.get(), Key::UiSubscriptionsHint)}</p>
            <button class="button" id="subscribe" on:click=subscribe>
                {move || word(lang.get(), Key::UiSubscribe)}
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
                                        {word(lang, Key::UiRevoke)}
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
                {move || word(lang.get(), Key::UiDownloadIcs)}
            </button>
            <Show when={
                let empty = location.is_empty();
                move || !empty
            }>
                <a class="button" href=maps_link(&location) target="_blank" rel="noopener">
                    {move || word(lang.get(), Key::UiOpenMap)}
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
