//! Running a workspace's retention policy ([`saha_core::privacy::retention`] decides
//! what is due):
//!
//! - the policy and its schedule live in [`POLICIES`] (one row per workspace); saving
//!   it starts the schedule's clock;
//! - a run erases everything due in one batch ([`super::erasure::erase_batch`]: people
//!   erased with the records about them anonymised, call logs destroyed; one storage
//!   rewrite), without putting anyone on the suppression list — nobody asked not to be
//!   contacted — and keeps a [`RetentionRun`] in [`RUNS`] beside the destruction
//!   records (never removed by Saha);
//! - [`schedule`] runs every workspace's policy when its interval has passed. With
//!   several nodes on one PostgreSQL, a node claims a run by moving the workspace's
//!   last-run time in a serializable transaction, so exactly one node runs it.

use std::time::Duration;

use saha_core::privacy::erasure::plan_batch;
use saha_core::privacy::retention::{
    Candidate, Due, RetentionPolicy, RetentionRun, RetentionState, RunEntry, due,
};
use serde::{Deserialize, Serialize};

use super::erasure::{Batch, erase_batch_in_turn, rows_of};
use crate::ServerError;
use crate::directory::Directory;
use crate::http::state::AppState;
use crate::storage::{DocumentStore, Tables};
use crate::sync::hub::Hub;

/// Each workspace's policy, when it was saved and when it last ran, by workspace ID.
pub const POLICIES: &str = "privacy_retention";
/// Retention runs by `workspace/millis/ID`.
pub const RUNS: &str = "privacy_retention_runs";

/// A workspace's row in [`POLICIES`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    policy: RetentionPolicy,
    saved_at: i64,
    last_run: Option<i64>,
}

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("retention JSON: {e}"))
}

fn stored(tables: &Tables, workspace: &str) -> Result<Option<Stored>, ServerError> {
    tables.read(|tx| {
        tx.get(POLICIES, workspace)?
            .map(|v| serde_json::from_slice(&v).map_err(json_error))
            .transpose()
    })
}

fn state_of(stored: Option<Stored>) -> RetentionState {
    match stored {
        Some(s) => RetentionState {
            next_run: s
                .policy
                .is_on()
                .then(|| s.policy.next_run(s.last_run, s.saved_at)),
            policy: s.policy,
            saved_at: s.saved_at,
            last_run: s.last_run,
        },
        None => RetentionState {
            policy: RetentionPolicy::default(),
            saved_at: 0,
            last_run: None,
            next_run: None,
        },
    }
}

/// Changes `workspace`'s row in `tx` with `change`, which says whether it changed
/// anything; stores it if so. `None` when the workspace has no row.
fn update_row<T>(
    tx: &mut dyn crate::storage::TableTx,
    workspace: &str,
    change: impl FnOnce(&mut Stored) -> Option<T>,
) -> Result<Option<T>, ServerError> {
    let Some(v) = tx.get(POLICIES, workspace)? else {
        return Ok(None);
    };
    let mut row: Stored = serde_json::from_slice(&v).map_err(json_error)?;
    let Some(out) = change(&mut row) else {
        return Ok(None);
    };
    tx.put(
        POLICIES,
        workspace,
        &serde_json::to_vec(&row).map_err(json_error)?,
    )?;
    Ok(Some(out))
}

/// The workspace's policy and schedule (the default, all rules off, until one is
/// saved).
pub fn state(tables: &Tables, workspace: &str) -> Result<RetentionState, ServerError> {
    Ok(state_of(stored(tables, workspace)?))
}

/// Saves `policy` (already checked) for `workspace` at `now`.
pub fn save(
    tables: &Tables,
    workspace: &str,
    policy: &RetentionPolicy,
    now: i64,
) -> Result<RetentionState, ServerError> {
    let saved = tables.write(|tx| {
        let last_run = match tx.get(POLICIES, workspace)? {
            Some(v) => {
                serde_json::from_slice::<Stored>(&v)
                    .map_err(json_error)?
                    .last_run
            }
            None => None,
        };
        let row = Stored {
            policy: policy.clone(),
            saved_at: now,
            last_run,
        };
        tx.put(
            POLICIES,
            workspace,
            &serde_json::to_vec(&row).map_err(json_error)?,
        )?;
        Ok::<_, ServerError>(row)
    })?;
    Ok(state_of(Some(saved)))
}

/// What a run of `workspace`'s policy at `now` would erase.
pub async fn preview(hub: &Hub, workspace: &str, now: i64) -> Result<Vec<Due>, ServerError> {
    let policy = state(&hub.storage().tables(), workspace)?.policy;
    let rows = rows_of(hub.storage(), workspace).await?;
    Ok(due_in(&policy, &rows, now))
}

fn due_in(
    policy: &RetentionPolicy,
    rows: &[(String, saha_core::kinds::Record, i64)],
    now: i64,
) -> Vec<Due> {
    let candidates: Vec<Candidate<'_>> = rows
        .iter()
        .map(|(id, record, updated_at)| Candidate {
            id,
            record,
            updated_at: *updated_at,
        })
        .collect();
    due(policy, &candidates, now)
}

/// Runs `workspace`'s policy at `now` on behalf of `by` (a member's e-mail address;
/// empty for the schedule), and keeps the run's record.
pub async fn run(
    hub: &Hub,
    directory: &Directory,
    blobs: &crate::attachments::BlobStore,
    workspace: &str,
    by: &str,
    now: i64,
) -> Result<RetentionRun, ServerError> {
    // Planned and run in one turn: a run started meanwhile waits, then finds nothing of
    // this one's left to erase.
    let turn = super::erasure::ERASING.lock().await;
    let tables = hub.storage().tables();
    let policy = state(&tables, workspace)?.policy;
    let rows = rows_of(hub.storage(), workspace).await?;
    let due = due_in(&policy, &rows, now);
    let persons: Vec<String> = due
        .iter()
        .filter(|d| d.person)
        .map(|d| d.id.clone())
        .collect();
    let logs: Vec<String> = due
        .iter()
        .filter(|d| !d.person)
        .map(|d| d.id.clone())
        .collect();
    let plans = plan_batch(
        &persons,
        &logs,
        rows.iter().map(|(id, record, _)| (id.as_str(), record)),
    );
    let destructions = if plans.is_empty() {
        Vec::new()
    } else {
        let batch = Batch {
            by: if by.is_empty() { "retention" } else { by },
            request: "",
            suppress: false,
            now,
            blobs,
        };
        erase_batch_in_turn(hub, directory, workspace, plans, &batch, &turn).await?
    };
    let erased: std::collections::HashSet<&str> = destructions
        .iter()
        .flat_map(|d| &d.records)
        .filter(|g| g.replaced_by.is_none())
        .map(|g| g.id.as_str())
        .collect();
    let anonymised: std::collections::HashSet<&str> = destructions
        .iter()
        .flat_map(|d| &d.records)
        .filter(|g| g.replaced_by.is_some())
        .map(|g| g.id.as_str())
        .collect();
    let run = RetentionRun {
        id: crate::directory::new_id(),
        at: now,
        by: by.to_owned(),
        policy: policy.clone(),
        erased: due
            .iter()
            .filter(|d| erased.contains(d.id.as_str()))
            .map(|d| RunEntry {
                id: d.id.clone(),
                kind: d.kind.clone(),
                rule: d.rule,
            })
            .collect(),
        anonymised: anonymised.len(),
        destructions: destructions.iter().map(|d| d.id.clone()).collect(),
    };
    let key = format!("{workspace}/{:016}/{}", now.max(0), run.id);
    let bytes = serde_json::to_vec(&run).map_err(json_error)?;
    tables.write(|tx| {
        tx.put(RUNS, &key, &bytes)?;
        // A run asked for by hand counts as the schedule's too.
        update_row(tx, workspace, |row| {
            row.last_run = Some(row.last_run.unwrap_or(0).max(now));
            Some(())
        })?;
        Ok::<_, ServerError>(())
    })?;
    Ok(run)
}

/// The workspace's retention runs, newest first.
pub fn runs(tables: &Tables, workspace: &str) -> Result<Vec<RetentionRun>, ServerError> {
    let (from, to) = (format!("{workspace}/"), format!("{workspace}0"));
    let mut all = tables.read(|tx| {
        tx.scan(RUNS, &from, Some(&to))?
            .into_iter()
            .map(|(_, v)| serde_json::from_slice::<RetentionRun>(&v).map_err(json_error))
            .collect::<Result<Vec<_>, _>>()
    })?;
    all.reverse();
    Ok(all)
}

/// Claims the scheduled run of `workspace` at `now`: when one is due and no other node
/// claimed it first, moves the last-run time to `now` and returns the one it replaced.
fn claim(tables: &Tables, workspace: &str, now: i64) -> Result<Option<Option<i64>>, ServerError> {
    tables.write(|tx| {
        update_row(tx, workspace, |row| {
            let due = row.policy.is_on() && row.policy.next_run(row.last_run, row.saved_at) <= now;
            due.then(|| row.last_run.replace(now))
        })
    })
}

/// Gives back a claim whose run failed, so the next look runs it again.
fn unclaim(
    tables: &Tables,
    workspace: &str,
    now: i64,
    before: Option<i64>,
) -> Result<(), ServerError> {
    tables.write(|tx| {
        update_row(tx, workspace, |row| {
            (row.last_run == Some(now)).then(|| row.last_run = before)
        })?;
        Ok::<_, ServerError>(())
    })
}

/// Runs every workspace's policy whose interval has passed at `now`, each run audited;
/// the runs made.
pub async fn run_due(
    hub: &Hub,
    directory: &Directory,
    blobs: &crate::attachments::BlobStore,
    now: i64,
) -> Result<Vec<(String, RetentionRun)>, ServerError> {
    let tables = hub.storage().tables();
    let workspaces: Vec<String> = tables
        .read(|tx| tx.scan(POLICIES, "", None))?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let mut done = Vec::new();
    for workspace in workspaces {
        let Some(before) = claim(&tables, &workspace, now)? else {
            continue;
        };
        match run(hub, directory, blobs, &workspace, "", now).await {
            Ok(run) => {
                audit(directory, &workspace, "", "", &run);
                done.push((workspace, run));
            }
            Err(e) => {
                unclaim(&tables, &workspace, now, before)?;
                return Err(e);
            }
        }
    }
    Ok(done)
}

/// Audits `run` of `workspace` by `actor` (empty: the schedule) from `ip`: counts only.
pub fn audit(directory: &Directory, workspace: &str, actor: &str, ip: &str, run: &RetentionRun) {
    directory.audit(
        workspace,
        saha_core::api::AuditEntry {
            at: crate::directory::now_ms(),
            actor: actor.to_owned(),
            action: saha_core::api::AuditAction::RetentionRan.code().to_owned(),
            target: run.id.clone(),
            ip: ip.to_owned(),
            detail: format!(
                "{} records erased, {} anonymised",
                run.erased.len(),
                run.anonymised
            ),
        },
    );
}

/// The schedule: every `--retention-check-seconds`, the runs that are due
/// ([`run_due`]). Ends when the server closes.
pub async fn schedule(state: AppState) {
    let period = Duration::from_secs(state.config.retention_check_seconds);
    let hub = state.hub.clone();
    crate::start::every(&hub, period, move || {
        let state = state.clone();
        async move {
            let now = crate::directory::now_ms();
            if let Err(e) = run_due(&state.hub, &state.directory, &state.blobs, now).await {
                tracing::error!("retention schedule: {e}");
            }
        }
    })
    .await;
}
