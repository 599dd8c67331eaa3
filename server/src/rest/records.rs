//! `/api/v1/{section}`: list, read, create, change and delete records of every kind.
//!
//! Reads come from the record projection ([`crate::storage::records`]) and never load an
//! Automerge document. Writes become Automerge changes through
//! [`Hub::member_change`](crate::sync::hub::Hub::member_change) — the path a sync
//! message takes: judged by the same rules as the member's app, stored, projected,
//! fanned out to connected devices and audited. A record's fields are written through
//! its kind's form, so the API validates exactly as the app does (VKN/TCKN checksums,
//! phone numbers, choices, workflow locks); quote, order and invoice totals are computed
//! from the lines, never accepted.

use std::net::SocketAddr;

use automerge::Automerge;
use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use saha_core::DocumentId;
use saha_core::access::Scope;
use saha_core::api::{ApiErrorCode, AuditAction};
use saha_core::kinds::{self, Record};
use saha_core::record::form::Form;
use saha_core::record::{EditContext, EditError};
use saha_core::sales::document::{SalesDocument, date_of, new_line_id};
use saha_core::sales::numbering::{Series, year_of};
use saha_core::workspace;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::directory::now_ms;
use crate::http::audit::audit;
use crate::http::auth::ip;
use crate::http::state::AppState;
use crate::rest::caller::Caller;
use crate::rest::problem::{FieldError, Problem, RestResult};
use crate::storage::DocumentStore;
use crate::storage::records::{After, RecordQuery, RecordRow, SortField, matching};
use crate::sync::hub::MemberChange;

/// Records per page unless `limit` says otherwise, and at most.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 200;

/// The kind of a URL section, or 404.
pub(crate) fn kind_of(section: &str) -> RestResult<&'static str> {
    kinds::kind_of_section(section).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            ApiErrorCode::NotFound,
            format!("no record kind is listed at /api/v1/{section}"),
        )
    })
}

pub(crate) fn parse_id(id: &str) -> RestResult<DocumentId> {
    id.parse::<DocumentId>().map_err(|_| Problem::not_found())
}

// ----- representation --------------------------------------------------------------

/// A record as the API shows it: who and when, the editable `fields` (the kind's form,
/// as text, exactly what a `PATCH` takes), `lines` and computed `totals` for quotes,
/// orders and invoices, and the whole stored `record` (logs, numbers, read-only parts).
pub fn record_json(id: &DocumentId, record: &Record, updated_at: i64) -> Value {
    let common = record.common();
    let form = record.form();
    let fields: Map<String, Value> = record
        .fields()
        .iter()
        .map(|spec| (spec.name.to_owned(), Value::from(form.get(spec.name))))
        .collect();
    let time = |ms: i64| {
        if ms == 0 {
            Value::Null
        } else {
            Value::from(ms)
        }
    };
    let mut out = json!({
        "id": id.to_string(),
        "kind": common.kind,
        "title": record.title(),
        "status": record.status(),
        "team": common.team,
        "owner": common.owner,
        "createdAt": common.created_at,
        "createdBy": common.created_by,
        "updatedAt": updated_at,
        "archivedAt": time(common.archived_at),
        "deletedAt": time(common.deleted_at),
        "fields": fields,
        "record": serde_json::to_value(record).unwrap_or(Value::Null),
    });
    if let Record::Sales(document) = record {
        let lines: Vec<Value> = document
            .ordered_lines()
            .iter()
            .map(|(line_id, line)| {
                json!({
                    "id": line_id,
                    "product": line.product,
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "discount": line.discount,
                    "vat": line.vat.to_string(),
                    "unit_cost": line.unit_cost,
                })
            })
            .collect();
        out["lines"] = Value::from(lines);
        out["totals"] = match document.totals() {
            Ok(t) => json!({
                "currency": document.currency,
                "net": t.net.to_string(),
                "vat": t.vat.to_string(),
                "gross": t.gross.to_string(),
            }),
            Err(_) => Value::Null,
        };
    }
    out
}

fn row_json(row: &RecordRow) -> RestResult<Value> {
    Ok(record_json(&row.id, &row.record()?, row.updated_at))
}

// ----- input -----------------------------------------------------------------------

/// A create or change: the fields to set (by form field name) and, for quotes, orders
/// and invoices, the lines (the list replaces the lines; a line keeps its `id`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordInput {
    #[serde(default)]
    pub fields: Map<String, Value>,
    #[serde(default)]
    pub lines: Option<Vec<Map<String, Value>>>,
}

/// A JSON value as form text: strings as they are, numbers and booleans written out,
/// `null` as empty; anything else is an error.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// `record`'s form with `input` written over it; unknown or non-scalar fields are
/// errors.
fn overlay(record: &Record, input: &Map<String, Value>) -> Result<Form, Vec<FieldError>> {
    let mut form = record.form();
    let mut errors = Vec::new();
    for (name, value) in input {
        if !record.fields().iter().any(|spec| spec.name == name) {
            errors.push(FieldError {
                field: format!("fields.{name}"),
                code: ApiErrorCode::UnknownField.code().to_owned(),
            });
            continue;
        }
        match as_text(value) {
            Some(text) => form.set(name, text),
            None => errors.push(FieldError {
                field: format!("fields.{name}"),
                code: "not_a_scalar".to_owned(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(form)
    } else {
        Err(errors)
    }
}

/// Why an input was not written.
pub(super) enum Rejected {
    Fields(Vec<FieldError>),
    Workflow(&'static str),
    Store(String),
}

impl From<EditError> for Rejected {
    fn from(e: EditError) -> Rejected {
        match e {
            EditError::Invalid(problems) => Rejected::Fields(
                problems
                    .into_iter()
                    .map(|(field, p)| FieldError {
                        field: format!("fields.{field}"),
                        code: p.code().to_owned(),
                    })
                    .collect(),
            ),
            EditError::Refused(refusal) => Rejected::Workflow(refusal.code()),
            EditError::Store(e) => Rejected::Store(e.to_string()),
        }
    }
}

impl From<Rejected> for Problem {
    fn from(r: Rejected) -> Problem {
        match r {
            Rejected::Fields(errors) => Problem::fields(
                ApiErrorCode::ValidationFailed,
                "some fields need attention (see errors)",
                errors,
            ),
            Rejected::Workflow(code) => Problem::fields(
                ApiErrorCode::ChangeRefused,
                format!("the workflow does not allow this: {code}"),
                vec![FieldError {
                    field: String::new(),
                    code: code.to_owned(),
                }],
            ),
            Rejected::Store(e) => Problem::internal(e),
        }
    }
}

/// Replaces a sales document's lines by `lines` (a line with a known `id` is changed,
/// one without is added, lines left out are removed).
fn set_lines(document: &mut SalesDocument, lines: &[Map<String, Value>]) -> Result<(), Rejected> {
    let mut keep = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut form = Form::new();
        let mut cost = None;
        let mut line_id = None;
        for (name, value) in line {
            let text = as_text(value);
            match (name.as_str(), text) {
                ("id", Some(id)) if document.lines.contains_key(&id) => line_id = Some(id),
                ("id", _) => errors.push(FieldError {
                    field: format!("lines[{i}].id"),
                    code: "unknown_line".into(),
                }),
                // Read-only parts of a line as the API shows it.
                ("product", _) => {}
                ("description" | "quantity" | "unit_price" | "discount" | "vat", Some(text)) => {
                    form.set(name, text)
                }
                ("unit_cost", Some(text)) => cost = Some(Form::new().with(name, text)),
                _ => errors.push(FieldError {
                    field: format!("lines[{i}].{name}"),
                    code: ApiErrorCode::UnknownField.code().to_owned(),
                }),
            }
        }
        if !errors.is_empty() {
            continue;
        }
        let id = line_id.unwrap_or_else(new_line_id);
        let set = document.set_line(&id, &form).and_then(|()| match &cost {
            Some(cost) => document.set_line_cost(&id, cost),
            None => Ok(()),
        });
        match set {
            Ok(()) => keep.push(id),
            Err(EditError::Invalid(problems)) => {
                errors.extend(problems.into_iter().map(|(field, p)| FieldError {
                    field: format!("lines[{i}].{field}"),
                    code: p.code().to_owned(),
                }))
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        return Err(Rejected::Fields(errors));
    }
    let gone: Vec<String> = document
        .lines
        .keys()
        .filter(|id| !keep.contains(id))
        .cloned()
        .collect();
    for id in gone {
        document.remove_line(&id)?;
    }
    // Totals that cannot be computed (an amount past what money arithmetic holds) are
    // refused here rather than stored.
    if let Err((line, _)) = document.totals() {
        let i = keep.iter().position(|id| *id == line).unwrap_or(0);
        return Err(Rejected::Fields(vec![FieldError {
            field: format!("lines[{i}]"),
            code: "amount_out_of_range".into(),
        }]));
    }
    Ok(())
}

fn lines_of_other_kind(kind: &str) -> Rejected {
    Rejected::Fields(vec![FieldError {
        field: "lines".into(),
        code: format!("{kind}_has_no_lines"),
    }])
}

// ----- handlers --------------------------------------------------------------------

/// `?limit=&cursor=&q=&sort=&status=&account=&owner=&updated_since=&archived=&deleted=`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub limit: Option<usize>,
    pub cursor: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub status: Option<String>,
    pub account: Option<String>,
    pub owner: Option<String>,
    pub updated_since: Option<i64>,
    pub archived: Option<bool>,
    pub deleted: Option<bool>,
}

/// What a cursor holds: the sort it was made for and where the page ended.
#[derive(serde::Serialize, Deserialize)]
struct Cursor {
    sort: String,
    after: After,
}

fn encode_cursor(sort: &str, after: After) -> String {
    hex::encode(
        serde_json::to_vec(&Cursor {
            sort: sort.to_owned(),
            after,
        })
        .unwrap_or_default(),
    )
}

fn decode_cursor(text: &str, sort: &str) -> RestResult<After> {
    let bad = || Problem::invalid("the cursor is not one this list gave (or the sort changed)");
    let bytes = hex::decode(text).map_err(|_| bad())?;
    let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if cursor.sort != sort {
        return Err(bad());
    }
    Ok(cursor.after)
}

/// The sorts a list takes: a field, `-` first for descending.
pub const SORTS: [&str; 6] = [
    "title",
    "-title",
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
];

/// `GET /api/v1/{section}`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(section): Path<String>,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> RestResult<Json<Value>> {
    let Query(params) = params.map_err(|e| Problem::invalid(e.body_text()))?;
    let kind = kind_of(&section)?;
    caller.require(&section, false)?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Problem::invalid(format!("limit must be 1 to {MAX_LIMIT}")));
    }
    let sort_text = params.sort.as_deref().unwrap_or("title");
    let (descending, field) = match sort_text.strip_prefix('-') {
        Some(f) => (true, f),
        None => (false, sort_text),
    };
    let sort = match field {
        "title" => SortField::Title,
        "created_at" => SortField::CreatedAt,
        "updated_at" => SortField::UpdatedAt,
        _ => {
            return Err(Problem::invalid(format!(
                "sort must be one of {}",
                SORTS.join(", ")
            )));
        }
    };
    let access = caller.user.access();
    let deleted = params.deleted.unwrap_or(false);
    if deleted && !access.role.administers() {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            ApiErrorCode::Forbidden,
            "only owners and admins see deleted records",
        ));
    }
    let after = params
        .cursor
        .as_deref()
        .map(|c| decode_cursor(c, sort_text))
        .transpose()?;
    let query = RecordQuery {
        teams: (!access.role.sees_all()).then(|| access.teams.clone()),
        include_archived: params.archived.unwrap_or(false),
        include_deleted: deleted,
        status: params.status.filter(|s| !s.is_empty()),
        account: params.account.filter(|s| !s.is_empty()),
        owner: params.owner.filter(|s| !s.is_empty()),
        updated_since: params.updated_since,
        sort,
        descending,
        after,
        ..RecordQuery::of(&caller.user.workspace_id, kind, limit)
    };
    let storage = state.hub.storage();
    let (rows, more) = matching(query, params.q.as_deref().unwrap_or(""), |q| {
        storage.records(q)
    })
    .await?;
    let next = match (more, rows.last()) {
        (true, Some(last)) => Value::from(encode_cursor(
            sort_text,
            After {
                value: last.sort_value(sort),
                id: last.id.to_string(),
            },
        )),
        _ => Value::Null,
    };
    let data = rows.iter().map(row_json).collect::<RestResult<Vec<_>>>()?;
    Ok(Json(json!({ "data": data, "nextCursor": next })))
}

/// The row of record `id` of `kind` if the caller may read it.
pub(crate) async fn visible_row(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    id: DocumentId,
) -> RestResult<RecordRow> {
    let row = state
        .hub
        .storage()
        .record(caller.user.workspace_id.clone(), kind.to_owned(), id)
        .await?
        .ok_or_else(Problem::not_found)?;
    let scope = Scope {
        team: row.team.clone(),
        owner: row.owner.clone(),
    };
    let access = caller.user.access();
    // A record in another team is indistinguishable from a missing one; so is one in
    // the bin, for everyone but owners and admins.
    if !access.can_read(&scope) || (row.deleted_at != 0 && !access.role.administers()) {
        return Err(Problem::not_found());
    }
    Ok(row)
}

/// `GET /api/v1/{section}/{id}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path((section, id)): Path<(String, String)>,
) -> RestResult<Json<Value>> {
    let kind = kind_of(&section)?;
    caller.require(&section, false)?;
    let id = parse_id(&id)?;
    let row = visible_row(&state, &caller, kind, id).await?;
    Ok(Json(row_json(&row)?))
}

/// A request's JSON body, or the problem that says why it is not one (`413` when too
/// large, else `400`).
pub(crate) fn body_of<T>(
    body: Result<Json<T>, axum::extract::rejection::JsonRejection>,
) -> RestResult<T> {
    use axum::extract::rejection::JsonRejection;
    match body {
        Ok(Json(input)) => Ok(input),
        Err(JsonRejection::BytesRejection(e)) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ApiErrorCode::PayloadTooLarge,
                e.body_text(),
            ))
        }
        Err(e) => Err(Problem::invalid(e.body_text())),
    }
}

/// What a stored change answers, and the audit entry it leaves.
#[allow(clippy::too_many_arguments)]
pub(super) fn stored_answer(
    state: &AppState,
    caller: &Caller,
    ip: &str,
    action: AuditAction,
    id: DocumentId,
    outcome: MemberChange<Rejected>,
    status: StatusCode,
    section: &str,
) -> RestResult<Response> {
    match outcome {
        MemberChange::Stored(Some(record)) => {
            audit(
                state,
                &caller.user.workspace_id,
                &caller.actor(),
                action,
                &id.to_string(),
                ip,
                format!("{} {}", record.kind(), record.title()),
            );
            let mut response = (status, Json(record_json(&id, &record, now_ms()))).into_response();
            if status == StatusCode::CREATED
                && let Ok(location) = HeaderValue::from_str(&format!("/api/v1/{section}/{id}"))
            {
                response.headers_mut().insert(header::LOCATION, location);
            }
            Ok(response)
        }
        MemberChange::Stored(None) => Err(Problem::internal("a stored record did not read back")),
        MemberChange::Unchanged => Err(Problem::internal("unreachable: unchanged")),
        MemberChange::NotFound => Err(Problem::not_found()),
        MemberChange::Invalid(rejected) => Err(rejected.into()),
        MemberChange::Refused(denial) => {
            audit(
                state,
                &caller.user.workspace_id,
                &caller.actor(),
                AuditAction::ApiDenied,
                &id.to_string(),
                ip,
                format!("{}: {}", denial.code, denial.reason),
            );
            Err(Problem::fields(
                ApiErrorCode::ChangeRefused,
                format!("the change was refused: {}", denial.reason),
                vec![FieldError {
                    field: String::new(),
                    code: denial.code.to_owned(),
                }],
            )
            .with_status(StatusCode::FORBIDDEN))
        }
    }
}

/// `POST /api/v1/{section}`: a new record; `201` with the record and its `Location`.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(section): Path<String>,
    body: Result<Json<RecordInput>, axum::extract::rejection::JsonRejection>,
) -> RestResult<Response> {
    let input = body_of(body)?;
    let ip = ip(&state, &peer, &headers);
    create_record(&state, &caller, &section, &input, &ip)
        .await
        .map(|(_, response)| response)
}

/// Creates a record of `section` from `input` as `caller`; returns its ID and the
/// answer (the REST API's create, and the inbound endpoints built on it).
pub async fn create_record(
    state: &AppState,
    caller: &Caller,
    section: &str,
    input: &RecordInput,
    ip: &str,
) -> RestResult<(DocumentId, Response)> {
    let kind = kind_of(section)?;
    caller.require(section, true)?;
    let now = now_ms();
    let ctx = EditContext::new(&caller.user.id, now);
    let mut record = Record::blank(kind, &ctx).ok_or_else(|| Problem::internal("no blank"))?;
    let form = overlay(&record, &input.fields).map_err(Rejected::Fields)?;
    record
        .apply_new(&form, &ctx)
        .map_err(|problems| Rejected::from(EditError::Invalid(problems)))?;
    match (&mut record, &input.lines) {
        (Record::Sales(document), Some(lines)) => set_lines(document, lines)?,
        (_, Some(_)) => return Err(lines_of_other_kind(kind).into()),
        (_, None) => {}
    }
    number_new(state, caller, &mut record, now)?;
    let id = DocumentId::random();
    let outcome = store_new(state, caller, id, &record).await?;
    let response = stored_answer(
        state,
        caller,
        ip,
        AuditAction::ApiRecordCreated,
        id,
        outcome,
        StatusCode::CREATED,
        section,
    )?;
    Ok((id, response))
}

/// Numbers a new quote or order from the workspace's series (invoices are numbered
/// when issued).
pub(super) fn number_new(
    state: &AppState,
    caller: &Caller,
    record: &mut Record,
    now: i64,
) -> RestResult<()> {
    if let Record::Sales(document) = record
        && let Some(series) = Series::of_kind(&document.common.kind)
        && series != Series::Invoice
    {
        let year = year_of(&date_of(now)).unwrap_or(2026);
        let block = state
            .directory
            .reserve_numbers(&caller.user.workspace_id, series, year, 1)?;
        document.number = series.format(year, block.first);
    }
    Ok(())
}

/// Stores `record` as the new document `id` through the hub (as `caller`, judged by the
/// rules like any change) and lists it in the workspace index when the whole workspace
/// shares it.
pub(super) async fn store_new(
    state: &AppState,
    caller: &Caller,
    id: DocumentId,
    record: &Record,
) -> RestResult<MemberChange<Rejected>> {
    let mut created = record.create().map_err(Problem::internal)?;
    let mut grant = caller.grant();
    let outcome = state
        .hub
        .member_change(&mut grant, id, true, |doc: &mut Automerge| {
            doc.merge(&mut created)
                .map(|added| !added.is_empty())
                .map_err(|e| Rejected::Store(e.to_string()))
        })
        .await?;
    if let MemberChange::Stored(Some(stored)) = &outcome
        && stored.common().team.is_empty()
    {
        list_in_index(state, &caller.user.workspace_id, id, stored).await?;
    }
    Ok(outcome)
}

/// Lists a record shared by the workspace in its index, as the app does for records
/// it makes.
pub(crate) async fn list_in_index(
    state: &AppState,
    workspace_id: &str,
    id: DocumentId,
    record: &Record,
) -> RestResult<()> {
    let index: DocumentId = state
        .directory
        .workspace(workspace_id)?
        .ok_or_else(|| Problem::internal("member of a missing workspace"))?
        .index_id
        .parse()
        .map_err(Problem::internal)?;
    let (kind, created) = (record.kind(), record.common().created_at);
    state
        .hub
        .server_change(index, |doc| workspace::add_record(doc, id, &kind, created))
        .await?;
    Ok(())
}

/// `PATCH /api/v1/{section}/{id}`: sets the given fields (and lines); `200` with the
/// record as it now reads.
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((section, id)): Path<(String, String)>,
    body: Result<Json<RecordInput>, axum::extract::rejection::JsonRejection>,
) -> RestResult<Response> {
    let kind = kind_of(&section)?;
    caller.require(&section, true)?;
    let id = parse_id(&id)?;
    let input = body_of(body)?;
    let row = visible_row(&state, &caller, kind, id).await?;
    let ctx = EditContext::new(&caller.user.id, now_ms());
    let mut grant = caller.grant();
    let outcome = state
        .hub
        .member_change(&mut grant, id, false, |doc: &mut Automerge| {
            edit(doc, &input, &ctx, kind)
        })
        .await?;
    let outcome = match outcome {
        // Nothing to change: the record as it is.
        MemberChange::Unchanged => return Ok(Json(row_json(&row)?).into_response()),
        other => other,
    };
    let ip = ip(&state, &peer, &headers);
    stored_answer(
        &state,
        &caller,
        &ip,
        AuditAction::ApiRecordUpdated,
        id,
        outcome,
        StatusCode::OK,
        &section,
    )
}

/// Applies an input to the record in `doc`; returns whether anything changed.
fn edit(
    doc: &mut Automerge,
    input: &RecordInput,
    ctx: &EditContext,
    kind: &str,
) -> Result<bool, Rejected> {
    let mut record = match Record::read(doc) {
        Some(Ok(record)) if record.kind() == kind => record,
        Some(Err(e)) => return Err(Rejected::Store(e.to_string())),
        _ => return Err(Rejected::Workflow("not_a_record")),
    };
    let form = overlay(&record, &input.fields).map_err(Rejected::Fields)?;
    let mut changed = Record::edit(doc, &form, ctx)?;
    if let Some(lines) = &input.lines {
        record = match Record::read(doc) {
            Some(Ok(record)) => record,
            _ => return Err(Rejected::Workflow("not_a_record")),
        };
        let Record::Sales(document) = &mut record else {
            return Err(lines_of_other_kind(kind));
        };
        set_lines(document, lines)?;
        changed |= record
            .write(doc)
            .map_err(|e| Rejected::Store(e.to_string()))?;
    }
    Ok(changed)
}

/// `DELETE /api/v1/{section}/{id}`: moves the record to the workspace's bin, as the app's
/// delete does (owners and admins; restoring is `PATCH` of nothing but the app's bin).
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((section, id)): Path<(String, String)>,
) -> RestResult<Response> {
    let kind = kind_of(&section)?;
    caller.require(&section, true)?;
    let id = parse_id(&id)?;
    let row = visible_row(&state, &caller, kind, id).await?;
    if row.deleted_at != 0 {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let now = now_ms();
    let mut grant = caller.grant();
    let outcome = state
        .hub
        .member_change(&mut grant, id, false, |doc: &mut Automerge| {
            let mut record = match Record::read(doc) {
                Some(Ok(record)) => record,
                _ => return Err(Rejected::Workflow("not_a_record")),
            };
            record.common_mut().deleted_at = now;
            record
                .write(doc)
                .map_err(|e| Rejected::Store(e.to_string()))
        })
        .await?;
    let ip = ip(&state, &peer, &headers);
    stored_answer(
        &state,
        &caller,
        &ip,
        AuditAction::ApiRecordDeleted,
        id,
        outcome,
        StatusCode::OK,
        &section,
    )
    .map(|_| StatusCode::NO_CONTENT.into_response())
}
