//! Case SLA events: `case.sla_warning` when a clock (first response or resolution)
//! has used 80 % of its target, `case.sla_breach` when it is past it.
//!
//! Nothing changes in a case when its clock runs out, so no change raises these: the
//! dispatcher calls [`round`] every `--webhook-sla-check-seconds`. A round reads the open
//! cases of each workspace whose subscriptions want an SLA event from the record
//! projection (no document is loaded), computes their clocks with the workspace's SLA
//! policy and working hours ([`saha_core::service::case::Case::sla`], the function the
//! app shows), and raises each (case, clock, event) once: the event and the note that it
//! was told are written in one transaction, so several nodes or a restart never tell it
//! twice.

use std::collections::HashSet;

use saha_core::kinds::Record;
use saha_core::service::case::{Case, ClockState, Status};
use saha_core::workspace::ServiceSettings;
use serde_json::json;

use super::events::{EVENTS, Raised};
use super::{SUBSCRIPTIONS, Subscription};
use crate::ServerError;
use crate::http::state::AppState;
use crate::storage::records::{After, RecordQuery, SortField};
use crate::storage::{DocumentStore, Tables};

/// The two SLA event types.
pub const WARNING: &str = "case.sla_warning";
pub const BREACH: &str = "case.sla_breach";
/// (case, clock, event) triples already told, keyed `workspace/case/clock/event`.
pub const TOLD: &str = "webhook_sla_told";
/// Rows read per page of the projection.
const PAGE: usize = 500;

/// The workspaces with a subscription that wants an SLA event.
fn wanting_workspaces(tables: &Tables) -> Result<HashSet<String>, ServerError> {
    tables.read(|tx| {
        Ok(tx
            .scan(SUBSCRIPTIONS, "", None)?
            .into_iter()
            .filter_map(|(_, v)| serde_json::from_slice::<Subscription>(&v).ok())
            .filter(|s| s.wants(WARNING) || s.wants(BREACH))
            .map(|s| s.workspace_id)
            .collect())
    })
}

/// The SLA events a case's clocks call for at `now`: (clock, event type, the clock's
/// figures for the payload).
pub fn due_events(
    case: &Case,
    settings: &ServiceSettings,
    now: i64,
) -> Vec<(&'static str, &'static str, serde_json::Value)> {
    if case.status.is_done() || case.common.is_deleted() {
        return Vec::new();
    }
    let sla = case.sla(&settings.sla, &settings.calendar(), now);
    [
        ("first_response", sla.first_response),
        ("resolution", sla.resolution),
    ]
    .into_iter()
    .filter_map(|(name, clock)| {
        let event = match clock.state {
            ClockState::Warning => WARNING,
            // A first response given late is history, not news.
            ClockState::Breached if clock.stopped_at.is_none() => BREACH,
            _ => return None,
        };
        Some((
            name,
            event,
            json!({
                "clock": name,
                "state": if event == BREACH { "breached" } else { "warning" },
                "usedMs": clock.used_ms,
                "targetMs": clock.target_ms,
                "dueAt": clock.due_at,
            }),
        ))
    })
    .collect()
}

/// Raises the SLA events due now in every workspace that wants them; returns how many
/// were raised.
pub async fn round(state: &AppState, now: i64) -> Result<usize, ServerError> {
    let storage = state.hub.storage();
    let tables = storage.tables();
    let mut raised = 0;
    for workspace in wanting_workspaces(&tables)? {
        let index = state
            .directory
            .workspace(&workspace)
            .map_err(|e| ServerError::Storage(e.to_string()))?
            .map(|ws| ws.index_id)
            .unwrap_or_default();
        let settings = state.hub.service_settings(&index).await?;
        for status in Status::CODES {
            if Status::from_code(status).is_none_or(Status::is_done) {
                continue;
            }
            let mut after = None;
            loop {
                let page = storage
                    .records(RecordQuery {
                        status: Some((*status).to_owned()),
                        after: after.clone(),
                        sort: SortField::Title,
                        ..RecordQuery::of(&workspace, saha_core::service::case::KIND, PAGE)
                    })
                    .await?;
                for row in &page {
                    let Ok(Record::Case(case)) = row.record() else {
                        continue;
                    };
                    for (clock, event, detail) in due_events(&case, &settings, now) {
                        let told = format!("{workspace}/{}/{clock}/{event}", row.id);
                        let entry = Raised {
                            id: uuid::Uuid::new_v4().simple().to_string(),
                            workspace: workspace.clone(),
                            doc: row.id,
                            types: vec![event.to_owned()],
                            at: now,
                            record: Some(Record::Case(case.clone())),
                            detail: Some(detail),
                        };
                        let value = serde_json::to_vec(&entry)
                            .map_err(|e| ServerError::Storage(format!("SLA event: {e}")))?;
                        let new = tables.write(|tx| {
                            if tx.get(TOLD, &told)?.is_some() {
                                return Ok::<bool, ServerError>(false);
                            }
                            tx.put(TOLD, &told, &now.to_string().into_bytes())?;
                            tx.put(EVENTS, &format!("{now:020}-{}", entry.id), &value)?;
                            Ok(true)
                        })?;
                        raised += usize::from(new);
                    }
                }
                match page.last() {
                    Some(last) if page.len() == PAGE => {
                        after = Some(After {
                            value: last.sort_value(SortField::Title),
                            id: last.id.to_string(),
                        });
                    }
                    _ => break,
                }
            }
        }
    }
    Ok(raised)
}

#[cfg(test)]
mod tests {
    use super::*;
    use saha_core::record::{EditContext, RecordType};
    use saha_core::time::civil::LocalDateTime;

    fn at(text: &str) -> i64 {
        let local = LocalDateTime::parse(text).expect("a time");
        ServiceSettings::default().calendar().zone.to_utc_ms(local)
    }

    #[test]
    fn a_clock_warns_at_80_percent_and_breaches_past_its_target() {
        let settings = ServiceSettings::default();
        // An urgent case opened on a Monday at 09:00 (first response in 1 working hour).
        let opened = EditContext::new("u", at("2026-11-23T09:00"));
        let mut case = Case::blank(&opened);
        case.created(&opened);
        case.priority = saha_core::service::case::Priority::Urgent;
        assert!(due_events(&case, &settings, at("2026-11-23T09:30")).is_empty());
        let warned = due_events(&case, &settings, at("2026-11-23T09:50"));
        assert_eq!(
            warned.iter().map(|(c, e, _)| (*c, *e)).collect::<Vec<_>>(),
            [("first_response", WARNING)]
        );
        assert_eq!(warned[0].2["targetMs"], 3_600_000);
        let breached = due_events(&case, &settings, at("2026-11-23T10:30"));
        assert_eq!(breached[0].1, BREACH);
        // Resolved: nothing more to tell.
        case.move_to(
            Status::Resolved,
            &EditContext::new("u", at("2026-11-23T10:40")),
        );
        assert!(due_events(&case, &settings, at("2026-11-23T11:00")).is_empty());
    }
}
