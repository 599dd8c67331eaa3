//! The server-side projection of records: one row per record document, written in the
//! same transaction as the change that produced it, so that the REST API lists and reads
//! records without loading a single Automerge document.
//!
//! A row holds what listing filters and sorts by (kind, team, owner, status, account,
//! folded title and search words, times) and the whole typed record as JSON (the same
//! serde form the app's local read model keeps, [`saha_core::read_model`]). On the
//! embedded backend rows live in a redb table keyed `workspace ‖ 0 ‖ kind ‖ 0 ‖ id`; on
//! PostgreSQL in the `records` table, which an analyst can query (`data` is `jsonb`).
//!
//! A [`RecordQuery`] is answered by the backend for everything structured (scope,
//! filters, sort, cursor); the free-text `q` is matched here ([`matching`]) the same way
//! for both backends, reading further pages until the page is full.

use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::text::fold::{Query, fold};
use serde::{Deserialize, Serialize};

use crate::ServerError;

/// One record's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordRow {
    pub id: DocumentId,
    pub workspace: String,
    pub kind: String,
    pub team: String,
    pub owner: String,
    pub title: String,
    /// The folded title: what `sort=title` orders by (bytewise).
    pub title_key: String,
    /// Folded search words (title and the other fields search finds a record by).
    pub search: String,
    pub status: String,
    pub account: String,
    pub created_at: i64,
    /// When the server accepted the record's last change (ms since the epoch).
    pub updated_at: i64,
    pub archived_at: i64,
    pub deleted_at: i64,
    /// The typed record as JSON ([`Record`]'s serde form).
    pub data: String,
}

impl RecordRow {
    /// The row of `record`, stored as document `id` of `workspace`, accepted at `now`.
    pub fn of(
        id: DocumentId,
        workspace: &str,
        record: &Record,
        now: i64,
    ) -> Result<RecordRow, ServerError> {
        let common = record.common();
        // PostgreSQL's text and jsonb cannot hold U+0000: the row (derived, not the
        // document, which keeps the text as typed) shows it as U+FFFD on both backends.
        let title = without_nul(record.title());
        Ok(RecordRow {
            id,
            workspace: workspace.to_owned(),
            kind: common.kind.clone(),
            team: common.team.clone(),
            owner: common.owner.clone(),
            title_key: fold(&title),
            search: fold(&without_nul(format!("{title} {}", record.search_words()))),
            title,
            status: record.status().unwrap_or_default(),
            account: record.account().to_owned(),
            created_at: common.created_at,
            updated_at: now,
            archived_at: common.archived_at,
            deleted_at: common.deleted_at,
            data: data_of(record)?,
        })
    }

    /// The typed record the row holds.
    pub fn record(&self) -> Result<Record, ServerError> {
        serde_json::from_str(&self.data)
            .map_err(|e| ServerError::Storage(format!("record row {}: {e}", self.id)))
    }

    /// The value this row has for `sort`, as its cursor keeps it.
    pub fn sort_value(&self, sort: SortField) -> SortValue {
        match sort {
            SortField::Title => SortValue::Text(self.title_key.clone()),
            SortField::CreatedAt => SortValue::Time(self.created_at),
            SortField::UpdatedAt => SortValue::Time(self.updated_at),
        }
    }
}

/// What a list is ordered by; ties are broken by the record ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    Title,
    CreatedAt,
    UpdatedAt,
}

impl SortField {
    /// The column of the `records` table.
    pub fn column(self) -> &'static str {
        match self {
            SortField::Title => "title_key",
            SortField::CreatedAt => "created_at",
            SortField::UpdatedAt => "updated_at",
        }
    }
}

/// A sort key's value (what a cursor remembers of the last row of a page).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortValue {
    Time(i64),
    Text(String),
}

/// Where the next page starts: after this row in the list's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct After {
    pub value: SortValue,
    pub id: String,
}

/// What listing filters a row by, apart from its order (the embedded backend keeps it
/// in its sort indexes so that a page is read without parsing whole rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowFilter {
    pub team: String,
    pub owner: String,
    pub status: String,
    pub account: String,
    pub archived_at: i64,
    pub deleted_at: i64,
    pub updated_at: i64,
    pub search: String,
}

impl RowFilter {
    pub fn of(row: &RecordRow) -> RowFilter {
        RowFilter {
            team: row.team.clone(),
            owner: row.owner.clone(),
            status: row.status.clone(),
            account: row.account.clone(),
            archived_at: row.archived_at,
            deleted_at: row.deleted_at,
            updated_at: row.updated_at,
            search: row.search.clone(),
        }
    }
}

/// Which rows to read, in which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordQuery {
    pub workspace: String,
    pub kind: String,
    /// The teams whose records may be read (records shared by the workspace, team "",
    /// always may); `None`: every team's (owners and admins).
    pub teams: Option<Vec<String>>,
    pub include_archived: bool,
    pub include_deleted: bool,
    pub status: Option<String>,
    pub account: Option<String>,
    pub owner: Option<String>,
    /// Only records changed at or after this time (ms since the epoch).
    pub updated_since: Option<i64>,
    pub sort: SortField,
    pub descending: bool,
    pub after: Option<After>,
    pub limit: usize,
    /// Free text: a backend may leave out rows it does not match (the embedded one
    /// does); [`matching`] applies it to what comes back either way.
    pub q: String,
}

impl RecordQuery {
    /// The first page of `kind`'s records of `workspace` that are neither archived nor
    /// deleted, every team's, by title; set the other fields with struct update syntax.
    pub fn of(workspace: &str, kind: &str, limit: usize) -> RecordQuery {
        RecordQuery {
            workspace: workspace.to_owned(),
            kind: kind.to_owned(),
            teams: None,
            include_archived: false,
            include_deleted: false,
            status: None,
            account: None,
            owner: None,
            updated_since: None,
            sort: SortField::Title,
            descending: false,
            after: None,
            limit,
            q: String::new(),
        }
    }

    /// Whether a row with `filter` passes the structured filters (not the cursor).
    pub fn admits_filter(&self, filter: &RowFilter) -> bool {
        (filter.team.is_empty()
            || self
                .teams
                .as_ref()
                .is_none_or(|teams| teams.contains(&filter.team)))
            && (self.include_archived || filter.archived_at == 0)
            && (self.include_deleted || filter.deleted_at == 0)
            && self.status.as_ref().is_none_or(|s| *s == filter.status)
            && self.account.as_ref().is_none_or(|a| *a == filter.account)
            && self.owner.as_ref().is_none_or(|o| *o == filter.owner)
            && self.updated_since.is_none_or(|t| filter.updated_at >= t)
    }

    /// Whether `row` passes the query's structured filters and lies after its cursor
    /// (PostgreSQL says the same in SQL).
    pub fn admits(&self, row: &RecordRow) -> bool {
        row.workspace == self.workspace
            && row.kind == self.kind
            && self.admits_filter(&RowFilter::of(row))
            && self.after.as_ref().is_none_or(|after| {
                let here = (row.sort_value(self.sort), row.id.to_string());
                let there = (after.value.clone(), after.id.clone());
                if self.descending {
                    here < there
                } else {
                    here > there
                }
            })
    }

    /// Orders `rows` as the query asks (the embedded backend's sort).
    pub fn order(&self, rows: &mut [RecordRow]) {
        let sort = self.sort;
        rows.sort_by_cached_key(|r| (r.sort_value(sort), r.id.to_string()));
        if self.descending {
            rows.reverse();
        }
    }
}

/// Reads a page of rows matching `query` and the free text `q`: the backend's pages,
/// filtered by `q` here, until `query.limit` rows are found or the rows run out.
/// Returns the page and whether more rows may follow.
pub async fn matching<F, Fut>(
    mut query: RecordQuery,
    q: &str,
    mut read: F,
) -> Result<(Vec<RecordRow>, bool), ServerError>
where
    F: FnMut(RecordQuery) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<RecordRow>, ServerError>>,
{
    let words = Query::new(q);
    query.q = q.to_owned();
    let want = query.limit;
    let mut found: Vec<RecordRow> = Vec::new();
    // One more than asked tells whether another page follows.
    query.limit = want + 1;
    loop {
        let page = read(query.clone()).await?;
        let exhausted = page.len() < query.limit;
        let last = page.last().map(|r| After {
            value: r.sort_value(query.sort),
            id: r.id.to_string(),
        });
        found.extend(page.into_iter().filter(|r| words.matches(&r.search)));
        if found.len() > want {
            found.truncate(want);
            return Ok((found, true));
        }
        if exhausted || words.is_empty() {
            return Ok((found, false));
        }
        query.after = last;
        // Free-text queries read wider pages: most rows do not match.
        query.limit = (query.limit * 4).min(2_000);
    }
}

/// Every row matching `query` (its `after` and `limit` are the paging's: `limit` rows
/// are read at a time), in the query's order.
pub async fn all<S: super::DocumentStore>(
    store: &S,
    mut query: RecordQuery,
) -> Result<Vec<RecordRow>, ServerError> {
    let page_size = query.limit.max(1);
    query.limit = page_size;
    let mut rows = Vec::new();
    loop {
        let page = store.records(query.clone()).await?;
        let done = page.len() < page_size;
        query.after = page.last().map(|r| After {
            value: r.sort_value(query.sort),
            id: r.id.to_string(),
        });
        rows.extend(page);
        if done {
            return Ok(rows);
        }
    }
}

/// Every record of `kinds` in `workspace`, archived and deleted ones too, from the
/// projection: its ID, the record, and when the server last accepted a change to it
/// (ms). Reading rows loads no document, so a whole workspace's records cost what
/// their rows do.
pub async fn of_workspace<S: super::DocumentStore>(
    store: &S,
    workspace: &str,
    kinds: &[&str],
) -> Result<Vec<(String, Record, i64)>, ServerError> {
    let mut records = Vec::new();
    for kind in kinds {
        let query = RecordQuery {
            include_archived: true,
            include_deleted: true,
            ..RecordQuery::of(workspace, kind, 2_000)
        };
        for row in all(store, query).await? {
            records.push((row.id.to_string(), row.record()?, row.updated_at));
        }
    }
    Ok(records)
}

/// The `meta` key holding the projection's version ([`saha_core::read_model::version`]
/// and [`LAYOUT`]).
const VERSION_KEY: &str = "records_version";
/// The projection's own layout: a change here (the embedded sort indexes, 2) rebuilds
/// it like a change of the record types does.
const LAYOUT: u32 = 2;
/// Documents loaded at once while rebuilding.
const REBUILD_BATCH: usize = 200;

/// Writes the row of every record document when the projection was made by another
/// version of the record types (or never: storage from before the projection), reading
/// the documents 200 at a time. Runs before the server accepts
/// connections; returns how many rows were written.
pub async fn rebuild_if_needed(storage: &super::Storage) -> Result<usize, ServerError> {
    use super::DocumentStore;
    let version = format!("{}+{LAYOUT}", saha_core::read_model::version());
    if storage.get_meta(VERSION_KEY)?.as_deref() == Some(version.as_bytes()) {
        return Ok(0);
    }
    let catalog = storage.catalog().await?;
    let record_docs: Vec<(DocumentId, String)> = catalog
        .into_iter()
        .filter(|d| saha_core::kinds::KINDS.contains(&d.meta.kind.as_str()))
        .map(|d| (d.id, d.meta.workspace))
        .collect();
    let workspaces: std::collections::HashMap<DocumentId, String> =
        record_docs.iter().cloned().collect();
    let now = crate::directory::now_ms();
    let mut written = 0;
    for batch in record_docs.chunks(REBUILD_BATCH) {
        let ids = batch.iter().map(|(id, _)| *id).collect();
        let mut rows = Vec::new();
        for (id, bytes) in storage.load_many(ids).await? {
            let record = automerge::Automerge::load(&bytes)
                .ok()
                .and_then(|doc| saha_core::rules::read_record(&doc).ok().flatten());
            match (record, workspaces.get(&id)) {
                (Some(record), Some(workspace)) => {
                    rows.push(RecordRow::of(id, workspace, &record, now)?)
                }
                _ => {
                    tracing::warn!(doc = %id, "no record row: the document does not read as a record")
                }
            }
        }
        written += rows.len();
        storage.put_records(rows).await?;
    }
    let tables = storage.tables();
    tables.write(|tx| tx.put(super::tables::META, VERSION_KEY, version.as_bytes()))?;
    tracing::info!(rows = written, "record projection rebuilt");
    Ok(written)
}

/// The row's JSON copy of `record`. serde_json writes U+0000 as `\u0000`; only a
/// record whose JSON holds that sequence pays for a second pass that replaces it.
fn data_of(record: &Record) -> Result<String, ServerError> {
    let fail = |e: serde_json::Error| ServerError::Storage(format!("record row: {e}"));
    let data = serde_json::to_string(record).map_err(fail)?;
    if !data.contains("\\u0000") {
        return Ok(data);
    }
    let mut value = serde_json::to_value(record).map_err(fail)?;
    strip_nul(&mut value);
    Ok(value.to_string())
}

/// `text` with every U+0000 replaced by U+FFFD.
fn without_nul(text: String) -> String {
    if text.contains('\0') {
        text.replace('\0', "\u{FFFD}")
    } else {
        text
    }
}

/// Replaces U+0000 in every string of `value` by U+FFFD.
fn strip_nul(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if text.contains('\0') => {
            *text = text.replace('\0', "\u{FFFD}");
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nul),
        serde_json::Value::Object(map) => map.values_mut().for_each(strip_nul),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saha_core::record::{EditContext, RecordType};

    fn row(title: &str, team: &str, created: i64) -> RecordRow {
        let ctx = EditContext::new("u1", created);
        let mut account = saha_core::parties::account::Account::blank(&ctx);
        account.fields.name = title.to_owned();
        account.common.team = team.to_owned();
        RecordRow::of(
            DocumentId::random(),
            "w1",
            &Record::Account(account),
            created,
        )
        .unwrap()
    }

    fn query() -> RecordQuery {
        RecordQuery {
            teams: Some(vec!["t1".into()]),
            ..RecordQuery::of("w1", "account", 2)
        }
    }

    async fn read_from(rows: &[RecordRow], q: RecordQuery) -> Result<Vec<RecordRow>, ServerError> {
        let mut out: Vec<RecordRow> = rows.iter().filter(|r| q.admits(r)).cloned().collect();
        q.order(&mut out);
        out.truncate(q.limit);
        Ok(out)
    }

    #[tokio::test]
    async fn pages_follow_the_sort_and_skip_other_teams() {
        let rows = vec![
            row("Çelik A.Ş.", "", 3),
            row("Ahmet Ltd", "t1", 1),
            row("Zeytin", "t2", 2),
            row("Bora", "", 4),
        ];
        let (first, more) = matching(query(), "", |q| read_from(&rows, q))
            .await
            .unwrap();
        let titles: Vec<&str> = first.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["Ahmet Ltd", "Bora"]);
        assert!(more);
        let mut next = query();
        next.after = first.last().map(|r| After {
            value: r.sort_value(SortField::Title),
            id: r.id.to_string(),
        });
        let (second, more) = matching(next, "", |q| read_from(&rows, q)).await.unwrap();
        let titles: Vec<&str> = second.iter().map(|r| r.title.as_str()).collect();
        // Folded: "Çelik" sorts as "celik"; team t2's record is not the reader's.
        assert_eq!(titles, ["Çelik A.Ş."]);
        assert!(!more);
    }

    #[tokio::test]
    async fn free_text_reads_on_until_the_page_is_full() {
        let mut rows: Vec<RecordRow> = (0..50)
            .map(|i| row(&format!("Firma {i:02}"), "", i))
            .collect();
        rows.push(row("Şeker Fabrikası", "", 99));
        let (found, more) = matching(query(), "seker", |q| read_from(&rows, q))
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].title, "Şeker Fabrikası");
        assert!(!more);
    }

    #[test]
    fn descending_cursors_read_backwards() {
        let rows = [row("A", "", 1), row("B", "", 2)];
        let mut q = query();
        q.sort = SortField::CreatedAt;
        q.descending = true;
        q.after = Some(After {
            value: SortValue::Time(2),
            id: rows[1].id.to_string(),
        });
        assert!(q.admits(&rows[0]));
        assert!(!q.admits(&rows[1]));
    }

    #[test]
    fn a_nul_character_becomes_the_replacement_character_everywhere_in_a_value() {
        let mut value = serde_json::json!({ "a": "x\0y", "b": ["\0"], "c": 1 });
        strip_nul(&mut value);
        assert_eq!(
            value,
            serde_json::json!({ "a": "x\u{FFFD}y", "b": ["\u{FFFD}"], "c": 1 })
        );
        assert_eq!(without_nul("a\0".into()), "a\u{FFFD}");
    }
}
