//! `saha-server admin import` and `admin export`: a whole file of records in or out,
//! run by an operator, with the importing member's access and the record rules applied
//! exactly as to a change from the app.
//!
//! The rows are read, mapped and checked by `saha_core::import` (the code the app runs
//! on a phone); each outcome is then stored through the hub like a member's change
//! ([`Hub::member_change`](crate::sync::hub::Hub::member_change)), so the projection,
//! fan-out, webhooks and rules see nothing special. A change the rules refuse becomes a
//! refused row in the same report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use saha_core::DocumentId;
use saha_core::api::{AuditAction, AuditEntry};
use saha_core::export::Format;
use saha_core::import::decode::Encoding;
use saha_core::import::mapping::{self, DateOrder};
use saha_core::import::orders::Groups;
use saha_core::import::plan::{Planned, apply_changes};
use saha_core::import::{KeyIndex, Mapping, Mode, Outcome, Planner, Reason, Report, Source};
use saha_core::kinds::{self, Record};
use saha_core::record::EditContext;
use saha_core::record::form::Input;
use saha_core::workspace;

use crate::directory::{User, now_ms};
use crate::http::state::AppState;
use crate::storage::records::RecordQuery;
use crate::sync::hub::{Grant, MemberChange};

/// Rows planned, then stored, together; new records listed in the workspace index in
/// one change.
const INDEX_BATCH: usize = 500;

/// Rows read per page while collecting the records rows are matched against.
const PAGE: usize = 2_000;

/// The file in `bytes` as a source: text in `encoding`, or a workbook's worksheet
/// named `sheet` (the first with cells when `None`).
fn open_source(
    bytes: &[u8],
    encoding: Option<saha_core::import::decode::Encoding>,
    sheet: Option<&str>,
) -> Result<Source, String> {
    let source = Source::open(bytes, encoding, None).map_err(|e| e.describe().to_owned())?;
    let Some(name) = sheet else {
        return Ok(source);
    };
    if !matches!(source.format, saha_core::import::Format::Workbook(_)) {
        return Err("--sheet: the file is not a workbook".to_owned());
    }
    let index = source
        .sheets
        .iter()
        .position(|s| s == name)
        .ok_or_else(|| {
            format!(
                "--sheet {name:?}: the workbook's sheets are {}",
                source
                    .sheets
                    .iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
    Source::open_sheet(bytes, Some(index)).map_err(|e| e.describe().to_owned())
}

/// What `admin import` was asked to do.
pub struct ImportRequest {
    pub email: String,
    pub kind: String,
    pub mapping: Option<PathBuf>,
    pub mode: Option<String>,
    pub key: Option<String>,
    pub date_order: Option<String>,
    pub encoding: Option<String>,
    /// A workbook's worksheet, by name.
    pub sheet: Option<String>,
    pub dry_run: bool,
    pub refused: Option<PathBuf>,
    pub file: PathBuf,
}

/// The record kind a `--kind` names: a section (`accounts`) or a kind code (`account`).
fn kind_named(name: &str) -> Result<&'static str, String> {
    kinds::kind_of_section(name)
        .or_else(|| kinds::info(name).map(|i| i.kind))
        .ok_or_else(|| {
            format!(
                "{name:?} is not a record kind: use one of {}",
                kinds::KIND_INFO
                    .iter()
                    .map(|k| k.section)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// The active member with `email`.
fn member(state: &AppState, email: &str) -> Result<User, String> {
    state
        .directory
        .user_by_email(email)
        .map_err(|e| e.to_string())?
        .filter(|u| !u.disabled)
        .ok_or_else(|| format!("no active member has the email address {email:?}"))
}

/// The mapping for `source`: the saved one, or guessed; with the command line's
/// choices over it. Refuses a mapping that cannot run, saying why.
fn mapping_for(request: &ImportRequest, kind: &str, source: &Source) -> Result<Mapping, String> {
    let mut mapping = match &request.mapping {
        Some(path) => {
            let saved: Mapping = serde_json::from_slice(&read(path)?)
                .map_err(|e| format!("{} is not a mapping: {e}", path.display()))?;
            if saved.kind != kind {
                return Err(format!("the mapping is for {}, not {kind}", saved.kind));
            }
            if saved.fields.len() != source.headers.len() {
                return Err(format!(
                    "the mapping has {} columns, the file {}",
                    saved.fields.len(),
                    source.headers.len()
                ));
            }
            Mapping {
                headers: source.headers.clone(),
                ..saved
            }
        }
        None => Mapping::guess(kind, &source.headers),
    };
    if let Some(mode) = &request.mode {
        mapping.mode = Mode::from_code(mode)
            .ok_or_else(|| format!("--mode {mode:?}: use create, update or create_or_update"))?;
    }
    if let Some(key) = &request.key {
        mapping.key = Some(key.clone());
    }
    if let Some(order) = &request.date_order {
        mapping.date_order = Some(match order.as_str() {
            "day-first" | "day_first" => DateOrder::DayFirst,
            "month-first" | "month_first" => DateOrder::MonthFirst,
            _ => {
                return Err(format!(
                    "--date-order {order:?}: use day-first or month-first"
                ));
            }
        });
    }
    let problems = mapping.problems();
    if !problems.is_empty() {
        let fields: Vec<&str> = mapping::importable_fields(kind)
            .iter()
            .map(|f| f.name)
            .collect();
        let described: Vec<String> = problems
            .iter()
            .map(|p| match p {
                mapping::MappingProblem::RequiredMissing(field) => {
                    format!("no column fills the required field {field}")
                }
                mapping::MappingProblem::UnknownField(c)
                | mapping::MappingProblem::FieldTwice(c) => {
                    format!(
                        "column {:?}: {} (fields: {})",
                        source.headers.get(*c).map_or("", String::as_str),
                        p.code(),
                        fields.join(", ")
                    )
                }
                other => other.code().to_owned(),
            })
            .collect();
        return Err(format!(
            "the mapping cannot run: {}\ncolumns as guessed: {}",
            described.join("; "),
            describe(&mapping)
        ));
    }
    Ok(mapping)
}

/// `header → field` for every column, as the report shows the mapping.
fn describe(mapping: &Mapping) -> String {
    mapping
        .headers
        .iter()
        .zip(&mapping.fields)
        .map(|(h, f)| format!("{h:?} → {}", f.as_deref().unwrap_or("(left out)")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every record of `kind` `user` can read (archived ones too: an archived account
/// with the same VKN is still the same company), with its ID.
async fn visible_records(
    state: &AppState,
    user: &User,
    kind: &str,
) -> Result<Vec<(DocumentId, Record)>, String> {
    let access = user.access();
    let query = RecordQuery {
        teams: (!access.role.sees_all()).then(|| access.teams.clone()),
        include_archived: true,
        ..RecordQuery::of(&user.workspace_id, kind, PAGE)
    };
    let rows = crate::storage::records::all(state.hub.storage(), query)
        .await
        .map_err(|e| e.to_string())?;
    rows.into_iter()
        .filter(|row| {
            access.can_read(&saha_core::access::Scope {
                team: row.team.clone(),
                owner: row.owner.clone(),
            })
        })
        .map(|row| Ok((row.id, row.record().map_err(|e| e.to_string())?)))
        .collect()
}

/// Runs `admin import`; returns the report.
pub async fn import(state: &AppState, request: ImportRequest) -> Result<String, String> {
    let kind = kind_named(&request.kind)?;
    if !mapping::IMPORT_KINDS.contains(&kind) {
        return Err(format!(
            "{kind} records are not imported from files; importable: {}",
            mapping::IMPORT_KINDS.join(", ")
        ));
    }
    let encoding =
        match &request.encoding {
            Some(label) => Some(Encoding::from_label(label).ok_or_else(|| {
                format!("--encoding {label:?}: use utf-8, windows-1254 or utf-16le")
            })?),
            None => None,
        };
    let size = std::fs::metadata(&request.file)
        .map_err(|e| format!("reading {}: {e}", request.file.display()))?
        .len();
    if size > saha_core::import::MAX_FILE_BYTES as u64 {
        return Err(format!(
            "{} is larger than {} MiB; split it into smaller files",
            request.file.display(),
            saha_core::import::MAX_FILE_BYTES >> 20
        ));
    }
    let bytes = read(&request.file)?;
    let source = open_source(&bytes, encoding, request.sheet.as_deref())?;
    drop(bytes);
    let mapping = mapping_for(&request, kind, &source)?;
    let user = member(state, &request.email)?;

    // The records rows are matched and linked against.
    let mut linked: Vec<&str> = vec![kind];
    for spec in mapping::importable_fields(kind) {
        if let Input::Link(target) = spec.input
            && mapping.column_of(spec.name).is_some()
            && !linked.contains(&target)
        {
            linked.push(target);
        }
    }
    let mut index = KeyIndex::new();
    let mut existing: HashMap<DocumentId, Record> = HashMap::new();
    for k in &linked {
        for (id, record) in visible_records(state, &user, k).await? {
            index.add(id, &record);
            // Rows update their own kind; an order's lines read their products.
            if (*k == kind && mapping.mode != Mode::Create) || *k == saha_core::sales::product::KIND
            {
                existing.insert(id, record);
            }
        }
    }

    let now = now_ms();
    let ctx = EditContext::new(&user.id, now);
    let index_id: Option<DocumentId> = if request.dry_run {
        None
    } else {
        Some(
            state
                .directory
                .workspace(&user.workspace_id)
                .map_err(|e| e.to_string())?
                .ok_or("the member's workspace is missing")?
                .index_id
                .parse()
                .map_err(|e| format!("the workspace index: {e}"))?,
        )
    };
    let mut planner = Planner::new(&mapping, index, ctx.clone());
    let mut report = Report::default();
    let mut rows = Groups::new(source.rows(), &mapping);
    loop {
        // A batch of rows is planned in order, then stored concurrently: the storage
        // commits the writes that wait together in one transaction (one fsync), where
        // one change after another would wait for a commit each.
        let mut planned: Vec<Planned> = Vec::with_capacity(INDEX_BATCH);
        for run in rows.by_ref().take(INDEX_BATCH) {
            planned.extend(planner.plan_run(&run, &|id| existing.get(id).cloned()));
        }
        if planned.is_empty() {
            break;
        }
        if request.dry_run {
            for planned in &planned {
                report.add(&planned.outcome);
            }
            continue;
        }
        // Each write is a task of its own, so the record checks and projections use
        // every core; the outcomes are read back in row order.
        let tasks: Vec<_> = planned
            .into_iter()
            .map(|planned| {
                let (state, user, ctx) = (state.clone(), user.clone(), ctx.clone());
                tokio::spawn(async move { store(&state, &user, planned, &ctx).await })
            })
            .collect();
        let mut to_list = Vec::new();
        for task in tasks {
            let (outcomes, listed) = task.await.map_err(|e| e.to_string())??;
            for outcome in &outcomes {
                report.add(outcome);
            }
            to_list.extend(listed);
        }
        if let Some(index_id) = index_id {
            list(state, index_id, to_list).await?;
        }
    }

    if let Some(path) = &request.refused {
        let table = report.refused_table(&source.headers, &|r| r.english());
        let bytes = Format::Csv.write(&table).map_err(|e| e.to_string())?;
        std::fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    if !request.dry_run {
        state.directory.audit(
            &user.workspace_id,
            AuditEntry {
                at: now_ms(),
                actor: format!("{} (saha-server admin)", user.email),
                action: AuditAction::RecordsImported.code().into(),
                target: request
                    .file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                ip: String::new(),
                detail: format!(
                    "{kind}: {} created, {} updated, {} refused",
                    report.created,
                    report.updated,
                    report.refused.len()
                ),
            },
        );
    }
    let read_as = match source.format {
        saha_core::import::Format::Workbook(format) => format!(
            "{} workbook, sheet {:?}",
            format.code(),
            source.sheets.get(source.sheet).map_or("", String::as_str)
        ),
        saha_core::import::Format::VCard => format!("vCard, {}", source.encoding.code()),
        saha_core::import::Format::Text => format!(
            "{}, '{}' separated",
            source.encoding.code(),
            source.separator.escape_default()
        ),
    };
    let mut out = format!(
        "{} ({read_as}); columns: {}\n",
        request.file.display(),
        describe(&mapping)
    );
    if source.replaced > 0 {
        out.push_str(&format!(
            "warning: {} characters could not be decoded as {}; try --encoding\n",
            source.replaced,
            source.encoding.code()
        ));
    }
    out.push_str(&report.english(&source.headers, request.dry_run));
    Ok(out.trim_end().to_owned())
}

/// A new record to list in the workspace index: its ID, kind and creation time.
type Listed = (DocumentId, String, i64);

/// Stores one planned outcome as `user`; what the hub refuses becomes refused rows
/// (every row of a refused order). Returns the outcomes as they ended, and the index
/// entry a new shared record needs.
async fn store(
    state: &AppState,
    user: &User,
    planned: Planned,
    ctx: &EditContext,
) -> Result<(Vec<Outcome>, Option<Listed>), String> {
    let mut grant = Grant::new(
        user.id.clone(),
        user.email.clone(),
        user.workspace_id.clone(),
        "admin-import".to_owned(),
        user.access(),
        i64::MAX,
    );
    let line = planned.line();
    match &planned.outcome {
        Outcome::Create { id, record, .. } => {
            let id = *id;
            let mut created = record.create().map_err(|e| e.to_string())?;
            let change = state
                .hub
                .member_change(&mut grant, id, true, |doc| {
                    doc.merge(&mut created)
                        .map(|added| !added.is_empty())
                        .map_err(|e| e.to_string())
                })
                .await
                .map_err(|e| e.to_string())?;
            Ok(match change {
                MemberChange::Stored(stored) => {
                    let Outcome::Create {
                        line, rows, record, ..
                    } = planned.outcome
                    else {
                        unreachable!("matched above")
                    };
                    let record = stored.map_or(*record, |r| *r);
                    let listed = record
                        .common()
                        .team
                        .is_empty()
                        .then(|| (id, record.kind(), record.common().created_at));
                    (
                        vec![Outcome::Create {
                            line,
                            rows,
                            id,
                            record: Box::new(record),
                        }],
                        listed,
                    )
                }
                MemberChange::Refused(denial) => (
                    planned.refused(Reason::NotAllowed(denial.code.into())),
                    None,
                ),
                MemberChange::Invalid(e) => return Err(format!("line {line}: {e}")),
                MemberChange::NotFound | MemberChange::Unchanged => (
                    planned.refused(Reason::NotAllowed("not_stored".into())),
                    None,
                ),
            })
        }
        Outcome::Update { id, changes, .. } => {
            let id = *id;
            let change = state
                .hub
                .member_change(&mut grant, id, false, |doc| {
                    apply_changes(doc, changes, ctx)
                })
                .await
                .map_err(|e| e.to_string())?;
            Ok((
                match change {
                    MemberChange::Stored(_) => vec![planned.outcome],
                    MemberChange::Unchanged => {
                        let rows = planned.rows.len();
                        vec![Outcome::Unchanged { line, rows, id }]
                    }
                    MemberChange::NotFound => planned.refused(Reason::NotFound),
                    MemberChange::Refused(denial) => {
                        planned.refused(Reason::NotAllowed(denial.code.into()))
                    }
                    MemberChange::Invalid(saha_core::record::EditError::Invalid(problems)) => {
                        planned.refused(Reason::Field(
                            problems
                                .first()
                                .map_or(saha_core::text::validate::Problem::Required, |p| p.1),
                        ))
                    }
                    MemberChange::Invalid(e) => return Err(format!("line {line}: {e:?}")),
                },
                None,
            ))
        }
        _ => Ok((vec![planned.outcome], None)),
    }
}

/// Lists new records shared by the workspace in its index, in one change.
async fn list(state: &AppState, index: DocumentId, batch: Vec<Listed>) -> Result<(), String> {
    if batch.is_empty() {
        return Ok(());
    }
    state
        .hub
        .server_change(index, |doc| {
            let added = workspace::add_records(
                doc,
                batch
                    .iter()
                    .map(|(id, kind, created)| (*id, kind.as_str(), *created)),
            )?;
            Ok(added > 0)
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Runs `admin export`: the records of `kind` the member can see (archived too, not
/// deleted), one row each: the ID, then every form field by its code, as the form
/// holds it (so the file imports again, and updates by ID or key).
pub async fn export(
    state: &AppState,
    email: &str,
    kind: &str,
    format: &str,
    out: Option<&Path>,
) -> Result<(Vec<u8>, String), String> {
    let kind = kind_named(kind)?;
    let format = Format::from_code(format).ok_or_else(|| {
        format!("--format {format:?}: use csv, csv-tr (Excel set to Turkish) or xlsx")
    })?;
    let user = member(state, email)?;
    let records = visible_records(state, &user, kind).await?;
    let ids: Vec<String> = records.iter().map(|(id, _)| id.to_string()).collect();
    let table = saha_core::kinds::records_table(
        kind,
        ids.iter()
            .map(String::as_str)
            .zip(records.iter().map(|(_, r)| r)),
    );
    let bytes = format.write(&table).map_err(|e| e.to_string())?;
    state.directory.audit(
        &user.workspace_id,
        AuditEntry {
            at: now_ms(),
            actor: format!("{} (saha-server admin)", user.email),
            action: AuditAction::RecordsExported.code().into(),
            target: kinds::section_of(kind).to_owned(),
            ip: String::new(),
            detail: format!(
                "{} rows as {} to {}",
                records.len(),
                format.extension(),
                out.map_or("standard output".to_owned(), |p| p.display().to_string())
            ),
        },
    );
    Ok((
        bytes,
        format!("{} {} exported", records.len(), kinds::section_of(kind)),
    ))
}
