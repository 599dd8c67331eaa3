//! Calendar subscriptions: secret, revocable URLs that serve a department's or a
//! member's calendar as RFC 5545 iCalendar (written by [`saha_core::activities::ics`]).
//!
//! A feed shows what its creator may see, checked on every fetch against the catalog
//! (a member who is disabled or leaves a team stops leaking through old URLs). The
//! secret is 256 random bits, stored only as its SHA-256, like session tokens.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::access::Department;
use saha_core::activities::ics::{self, FeedEvent};
use saha_core::activities::meeting::{DEPARTMENT_PREFIX, Meeting, USER_PREFIX};
use saha_core::api;
use saha_core::record::{self, RecordType};

use crate::directory::{CalendarFeed, User, now_ms};
use crate::http::auth::Authenticated;
use crate::http::failure::{ApiResult, Failure};
use crate::http::invitations::app_base;
use crate::http::state::AppState;
use saha_core::api::ApiErrorCode;

/// How many meetings one feed serves at most (the newest starts first).
const MAX_FEED_EVENTS: usize = 2_000;

fn feed_url(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    format!("{}/calendar/{token}.ics", app_base(state, headers))
}

fn to_api(feed: &CalendarFeed, url: Option<String>) -> api::CalendarFeed {
    api::CalendarFeed {
        id: feed.id.clone(),
        calendar: feed.calendar.clone(),
        created_at: feed.created_at,
        url,
    }
}

/// Whether `user` may subscribe to `calendar`: any department's, or their own.
fn may_subscribe(user: &User, calendar: &str) -> bool {
    if let Some(code) = calendar.strip_prefix(DEPARTMENT_PREFIX) {
        return Department::from_code(code).is_some();
    }
    calendar.strip_prefix(USER_PREFIX) == Some(user.id.as_str())
}

/// `POST /api/calendar-feeds`.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
    Json(body): Json<api::NewCalendarFeed>,
) -> ApiResult<Json<api::CalendarFeed>> {
    if !may_subscribe(&auth.user, &body.calendar) {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            ApiErrorCode::InvalidInput,
            "calendar must be a department's (dept:<code>) or your own (user:<your id>)",
        ));
    }
    let (token, feed) = state
        .directory
        .create_calendar_feed(&auth.user, &body.calendar)?;
    Ok(Json(to_api(
        &feed,
        Some(feed_url(&state, &headers, &token)),
    )))
}

/// `GET /api/calendar-feeds`: the caller's live subscriptions.
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<Vec<api::CalendarFeed>>> {
    let feeds = state.directory.calendar_feeds_of(&auth.user.id)?;
    Ok(Json(feeds.iter().map(|f| to_api(f, None)).collect()))
}

/// `DELETE /api/calendar-feeds/{id}`: the URL stops working at once.
pub async fn revoke(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if state.directory.revoke_calendar_feed(&auth.user.id, &id)? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::not_found())
    }
}

fn department_name(code: &str) -> &'static str {
    match code {
        "sales" => "Satış",
        "service" => "Servis",
        "marketing" => "Pazarlama",
        "accounting" => "Muhasebe",
        "finance" => "Finans",
        "rnd" => "Ar-Ge",
        _ => "Takvim",
    }
}

/// `GET /calendar/{secret}.ics`: the calendar as iCalendar.
pub async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match build(&state, token).await {
        Ok(Some(body)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            body,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn build(state: &AppState, token: &str) -> Result<Option<String>, crate::ServerError> {
    let directory = &state.directory;
    let dir_error = |e: Box<crate::directory::DirectoryError>| {
        crate::ServerError::Storage(format!("directory: {e}"))
    };
    let Some(feed) = directory.calendar_feed(token).map_err(dir_error)? else {
        return Ok(None);
    };
    let Some(user) = directory.user(&feed.user_id).map_err(dir_error)? else {
        return Ok(None);
    };
    if user.disabled || user.workspace_id != feed.workspace_id {
        return Ok(None);
    }
    let access = user.access();
    let hub = &state.hub;
    let catalog = hub.catalog();
    let mut meetings: Vec<(String, Meeting)> = Vec::new();
    for (id, meta) in catalog.of_kind(&feed.workspace_id, saha_core::activities::meeting::KIND) {
        if !access.can_read(&meta.scope) {
            continue;
        }
        let Some(live) = hub.lock(id, false).await? else {
            continue;
        };
        let meeting = record::read::<Meeting>(&live.doc);
        drop(live);
        match meeting {
            // A deleted meeting (in the bin) leaves the calendar.
            Ok(m) if m.on_calendar(&feed.calendar) && !m.common.is_deleted() => {
                meetings.push((id.to_string(), m))
            }
            Ok(_) => {}
            Err(e) => report_unreadable(directory, &feed.workspace_id, id, &e.to_string()),
        }
    }
    meetings.sort_by(|a, b| b.1.start.cmp(&a.1.start));
    meetings.truncate(MAX_FEED_EVENTS);
    let members = directory.members(&feed.workspace_id).map_err(dir_error)?;
    let mut events_attendees = Vec::with_capacity(meetings.len());
    for (_, meeting) in &meetings {
        let mut attendees: Vec<(String, String)> = Vec::new();
        for member in &meeting.members {
            if let Some(m) = members.iter().find(|m| &m.id == member) {
                attendees.push((m.name.clone(), m.email.clone()));
            }
        }
        for contact in &meeting.contacts {
            let Ok(cid) = contact.parse::<saha_core::DocumentId>() else {
                continue;
            };
            let readable = catalog
                .get(&cid)
                .is_some_and(|m| m.workspace == feed.workspace_id && access.can_read(&m.scope));
            if !readable {
                continue;
            }
            if let Some(live) = hub.lock(cid, false).await?
                && let Ok(c) = record::read::<saha_core::parties::contact::Contact>(&live.doc)
                && !c.email.is_empty()
                && !c.common.is_deleted()
            {
                attendees.push((c.title().clone(), c.email.clone()));
            }
        }
        events_attendees.push(attendees);
    }
    let base = state
        .config
        .public_url
        .clone()
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_owned();
    let events: Vec<FeedEvent<'_>> = meetings
        .iter()
        .zip(events_attendees)
        .map(|((id, meeting), attendees)| FeedEvent {
            id,
            meeting,
            attendees,
            url: if base.is_empty() {
                String::new()
            } else {
                format!("{base}/meetings/{id}")
            },
        })
        .collect();
    let name = match feed.calendar.strip_prefix(DEPARTMENT_PREFIX) {
        Some(code) => format!("Saha · {}", department_name(code)),
        None => format!("Saha · {}", user.name),
    };
    Ok(Some(ics::calendar(&name, &events, now_ms())))
}

/// A meeting the feed cannot read (stored before the server checked every change
/// against its schema) is left out of the feed and reported: in the server log, and
/// once per document and server run in the workspace's audit log, where admins see it.
fn report_unreadable(
    directory: &crate::directory::Directory,
    workspace: &str,
    id: saha_core::DocumentId,
    error: &str,
) {
    static REPORTED: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashSet<saha_core::DocumentId>>,
    > = std::sync::OnceLock::new();
    tracing::warn!(doc = %id, error, "a meeting on a calendar feed does not read as a meeting");
    let first = REPORTED
        .get_or_init(Default::default)
        .lock()
        .map(|mut seen| seen.insert(id))
        .unwrap_or(false);
    if first {
        directory.audit(
            workspace,
            saha_core::api::AuditEntry {
                at: crate::directory::now_ms(),
                actor: "saha-server".into(),
                action: saha_core::api::AuditAction::CalendarUnreadableRecord
                    .code()
                    .into(),
                target: id.url().to_string(),
                ip: String::new(),
                detail: error.to_owned(),
            },
        );
    }
}
