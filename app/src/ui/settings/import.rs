//! Settings → Import: a spreadsheet (CSV, an Excel or LibreOffice workbook) or a
//! phone's contacts (vCard) becomes records on this device, offline, and syncs like any
//! edit; each real run is told to the audit log (when the device is next online, if it
//! is not then).
//!
//! The page walks the steps of [`saha_core::import`]: pick what the rows are and the
//! file (its encoding and separator are detected and can be changed), check the
//! column mapping (guessed from the headers, remembered per source), see the first rows
//! as they will be stored, check every row (a dry run), then import. Rows are planned
//! and written 500 at a time with a yield to the browser between batches, so the page
//! stays responsive, shows its progress and can be stopped. Each import is remembered
//! on the device (the file's name, its time, how far it got): a stopped or interrupted
//! one goes on from its next line when the same file is picked again, and any import
//! can be undone — its records go to the bin unless someone changed them since.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use saha_core::DocumentId;
use saha_core::api::ImportNotice;
use saha_core::export::{Format, Table};
use saha_core::import::decode::Encoding;
use saha_core::import::mapping::{self, DateOrder, ID_FIELD, MappingProblem};
use saha_core::import::orders::{Groups, shown_value};
use saha_core::import::plan::{Outcome, Planned, Reason};
use saha_core::import::{
    KeyIndex, MAX_FILE_BYTES, Mapping, Mode, Planner, Report, Source, SourceError,
};
use saha_core::kinds::Record;
use saha_core::record::EditContext;
use saha_core::record::form::Input;

use crate::client::audit::{self, Notice};
use crate::client::error::RepoError;
use crate::client::now_ms;
use crate::i18n::{self, Fmt, Key, Lang, word_for};
use crate::ui::widgets::files::{download_bytes, picked_file, read_bytes};
use crate::ui::{local_storage, me, repo, tr, use_lang, word};

/// Rows planned (and stored) between two yields to the browser.
const BATCH: usize = 500;
/// Refused rows listed on the page (all of them are in the download).
const SHOWN_REFUSALS: usize = 50;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 5;
/// Imports remembered on the device.
const KEPT_JOBS: usize = 20;
/// What the file chooser offers: workbooks and text.
const ACCEPTED_FILES: &str = ".xlsx,.xlsm,.xls,.xlsb,.ods,.csv,.txt,.vcf,text/csv,text/plain,text/vcard,\
    application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,\
    application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet";

/// One import as the device remembers it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Job {
    /// When it started: the creation time of every record it made (what undo finds
    /// them by).
    at: i64,
    kind: String,
    file: String,
    size: usize,
    /// The worksheet of a workbook it reads (an index; 0 for a text file).
    #[serde(default)]
    sheet: usize,
    /// The next line to read (where a stopped import goes on).
    line: usize,
    finished: bool,
    created: usize,
    updated: usize,
    refused: usize,
    undone: bool,
    mapping: Mapping,
}

fn jobs_key() -> String {
    format!("saha.imports.{}", me().user_id)
}

fn load_jobs() -> Vec<Job> {
    local_storage()
        .and_then(|s| s.get_item(&jobs_key()).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_job(job: &Job) {
    let mut jobs = load_jobs();
    jobs.retain(|j| j.at != job.at);
    jobs.insert(0, job.clone());
    jobs.truncate(KEPT_JOBS);
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(&jobs)) {
        let _ = storage.set_item(&jobs_key(), &text);
    }
}

/// Saved mappings, by [`Mapping::source_key`].
fn mappings_key() -> String {
    format!("saha.import-mappings.{}", me().user_id)
}

fn saved_mapping(source_key: &str) -> Option<Mapping> {
    let text = local_storage()?.get_item(&mappings_key()).ok()??;
    let saved: Vec<(String, Mapping)> = serde_json::from_str(&text).ok()?;
    saved
        .into_iter()
        .find(|(k, _)| k == source_key)
        .map(|(_, m)| m)
}

fn save_mapping(mapping: &Mapping) {
    let key = Mapping::source_key(&mapping.kind, &mapping.headers);
    let mut saved: Vec<(String, Mapping)> = local_storage()
        .and_then(|s| s.get_item(&mappings_key()).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    saved.retain(|(k, _)| *k != key);
    saved.insert(0, (key, mapping.clone()));
    saved.truncate(KEPT_JOBS);
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(&saved)) {
        let _ = storage.set_item(&mappings_key(), &text);
    }
}

/// A refused row's reason in the user's language.
fn reason_text(lang: Lang, reason: &Reason) -> String {
    let key = match reason {
        Reason::Field(problem) => return i18n::problem(lang, *problem),
        Reason::DuplicateInFile(line) => {
            return Fmt::ImportReasonDuplicateInFile
                .format(lang, &[("line", (*line as u64).into())]);
        }
        Reason::AmbiguousDate => Key::ImportReasonAmbiguousDate,
        Reason::UnclosedQuote => Key::ImportReasonUnclosedQuote,
        Reason::CellTooLong => Key::ImportReasonCellTooLong,
        Reason::CellError => Key::ImportReasonCellError,
        Reason::ExtraCells => Key::ImportReasonExtraCells,
        Reason::LinkNotFound => Key::ImportReasonLinkNotFound,
        Reason::LinkAmbiguous => Key::ImportReasonLinkAmbiguous,
        Reason::Exists(_) => Key::ImportReasonExists,
        Reason::NotFound => Key::ImportReasonNotFound,
        Reason::KeyEmpty => Key::ImportReasonKeyEmpty,
        Reason::KeyAmbiguous => Key::ImportReasonKeyAmbiguous,
        Reason::NotAllowed(_) => Key::ImportReasonNotAllowed,
        Reason::DiffersInOrder(line) => {
            return Fmt::ImportReasonDiffersInOrder
                .format(lang, &[("line", (*line as u64).into())]);
        }
        Reason::OrderRefused(line) => {
            return Fmt::ImportReasonOrderRefused.format(lang, &[("line", (*line as u64).into())]);
        }
        Reason::LinesDiffer => Key::ImportReasonLinesDiffer,
    };
    word(lang, key)
}

/// What keeps the mapping from running, in the user's language.
fn mapping_problem_text(lang: Lang, mapping: &Mapping, problem: MappingProblem) -> String {
    let column = |c: usize| mapping.headers.get(c).cloned().unwrap_or_default();
    match problem {
        MappingProblem::RequiredMissing(field) => {
            let label = i18n::field_label(lang, &mapping.kind, field);
            Fmt::ImportProblemRequiredMissing.format(lang, &[("field", label.as_str().into())])
        }
        MappingProblem::FieldTwice(c) => {
            let header = column(c);
            Fmt::ImportProblemFieldTwice.format(lang, &[("column", header.as_str().into())])
        }
        MappingProblem::KeyNotMapped => word(lang, Key::ImportProblemKeyNotMapped),
        MappingProblem::UnknownField(_)
        | MappingProblem::ColumnCount
        | MappingProblem::UnknownKind => word(lang, Key::ImportProblemMapping),
    }
}

fn mode_word(lang: Lang, mode: Mode) -> String {
    word(
        lang,
        match mode {
            Mode::Create => Key::ImportModeCreate,
            Mode::Update => Key::ImportModeUpdate,
            Mode::CreateOrUpdate => Key::ImportModeCreateOrUpdate,
        },
    )
}

fn field_word(lang: Lang, kind: &str, field: &str) -> String {
    if field == ID_FIELD {
        word(lang, Key::ImportRecordId)
    } else {
        i18n::field_label(lang, kind, field)
    }
}

/// The index every row is matched and linked against: every record on the device.
fn key_index() -> KeyIndex {
    let mut index = KeyIndex::new();
    repo().records().with_untracked(|all| {
        for (id, view) in all {
            index.add(*id, &view.record);
        }
    });
    index
}

/// The record an update leaves: the record on the device with the changes over it.
fn updated_record(
    id: DocumentId,
    changes: &[(String, String)],
    ctx: &EditContext,
) -> Option<Record> {
    let mut record = repo().record(id)?;
    let mut form = record.form();
    for (field, value) in changes {
        form.set(field, value.as_str());
    }
    record.apply_edit(&form, ctx).ok()?;
    Some(record)
}

fn refusal_code(error: &RepoError) -> String {
    match error {
        RepoError::Rules(refusal) => refusal.code().to_owned(),
        RepoError::Workflow(refusal) => refusal.code().to_owned(),
        _ => "store".to_owned(),
    }
}

/// Records to write, by ID.
type Writes = Vec<(DocumentId, Record)>;

/// Stores one batch of outcomes; a batch the device refuses as a whole is stored one
/// outcome at a time, so one refused record does not keep the others out. Returns the
/// outcomes as they ended (stored, or each row refused with the rule's code).
async fn store_batch(planned: Vec<Planned>, ctx: &EditContext) -> Vec<Outcome> {
    let repo = repo();
    let entry = |outcome: &Outcome| -> (Writes, Writes) {
        match outcome {
            Outcome::Create { id, record, .. } => (vec![(*id, (**record).clone())], vec![]),
            Outcome::Update { id, changes, .. } => (
                vec![],
                updated_record(*id, changes, ctx)
                    .map(|r| vec![(*id, r)])
                    .unwrap_or_default(),
            ),
            _ => (vec![], vec![]),
        }
    };
    let (mut new, mut changed) = (Vec::new(), Vec::new());
    for p in &planned {
        let (n, c) = entry(&p.outcome);
        new.extend(n);
        changed.extend(c);
    }
    if new.is_empty() && changed.is_empty() {
        return planned.into_iter().map(|p| p.outcome).collect();
    }
    if repo.save(new, changed).await.is_ok() {
        return planned.into_iter().map(|p| p.outcome).collect();
    }
    let mut ended = Vec::with_capacity(planned.len());
    for p in planned {
        let (new, changed) = entry(&p.outcome);
        if new.is_empty() && changed.is_empty() {
            ended.push(p.outcome);
            continue;
        }
        match repo.save(new, changed).await {
            Ok(()) => ended.push(p.outcome),
            Err(e) => ended.extend(p.refused(Reason::NotAllowed(refusal_code(&e)))),
        }
    }
    ended
}

/// What a run is doing.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    Running { dry: bool },
    Done { dry: bool, report: Arc<Report> },
}

/// Plans every row of `source` (a dry run) or plans and stores them as `job`, from the
/// job's next line; reports progress in bytes and stops after the batch in which
/// `cancel` is set. Returns the report and whether the file was read to its end.
async fn run(
    source: Arc<Source>,
    mapping: Mapping,
    mut job: Option<Job>,
    progress: RwSignal<(usize, usize)>,
    cancel: Rc<Cell<bool>>,
) -> (Report, bool) {
    let at = job.as_ref().map_or_else(now_ms, |j| j.at);
    let ctx = EditContext::new(&me().user_id, at);
    let mut planner = Planner::new(&mapping, key_index(), ctx.clone());
    let from_line = job.as_ref().map_or(0, |j| j.line);
    let mut report = Report::default();
    let mut rows = Groups::new(source.rows(), &mapping);
    let total = source.len();
    loop {
        let mut planned: Vec<Planned> = Vec::with_capacity(BATCH);
        let mut ended = false;
        while planned.len() < BATCH {
            let Some(run) = rows.next() else {
                ended = true;
                break;
            };
            let line = match &run[0] {
                Ok(r) => r.line,
                Err(e) => e.line(),
            };
            if line < from_line {
                continue;
            }
            planned.extend(planner.plan_run(&run, &|id| repo().record(*id)));
        }
        let outcomes: Vec<Outcome> = match &job {
            None => planned.into_iter().map(|p| p.outcome).collect(),
            Some(_) => store_batch(planned, &ctx).await,
        };
        for outcome in &outcomes {
            report.add(outcome);
        }
        progress.set((rows.position(), total));
        if let Some(job) = &mut job {
            job.line = rows.line();
            job.created += outcomes
                .iter()
                .filter(|o| matches!(o, Outcome::Create { .. }))
                .count();
            job.updated += outcomes
                .iter()
                .filter(|o| matches!(o, Outcome::Update { .. }))
                .count();
            job.refused += outcomes
                .iter()
                .filter(|o| matches!(o, Outcome::Refused(_)))
                .count();
            job.finished = ended;
            save_job(job);
        }
        if ended || cancel.get() {
            return (report, ended);
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

/// Moves the records `job` made to the bin, except those someone changed since;
/// returns how many were removed and how many kept.
async fn undo(job: &Job) -> Result<(usize, usize), RepoError> {
    let repo = repo();
    let user = me().user_id;
    let made: Vec<DocumentId> = repo.records().with_untracked(|all| {
        all.values()
            .filter(|v| {
                let c = v.record.common();
                c.created_at == job.at && c.created_by == user && v.kind == job.kind
            })
            .map(|v| v.id)
            .collect()
    });
    let (mut removed, mut kept) = (0, 0);
    for chunk in made.chunks(100) {
        let unedited = repo.unedited(chunk).await?;
        kept += chunk.len() - unedited.len();
        let now = now_ms();
        let deleted: Vec<(DocumentId, Record)> = unedited
            .iter()
            .filter_map(|id| {
                let mut record = repo.record(*id)?;
                record.common_mut().deleted_at = now;
                Some((*id, record))
            })
            .collect();
        removed += deleted.len();
        repo.save(Vec::new(), deleted).await?;
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
    Ok((removed, kept))
}

/// The file as the user picked it.
#[derive(Clone)]
struct Picked {
    name: String,
    bytes: Arc<Vec<u8>>,
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let kind = RwSignal::new("account".to_owned());
    let picked = RwSignal::new(None::<Picked>);
    let encoding = RwSignal::new(None::<Encoding>);
    // The worksheet chosen in a workbook (the first with cells until one is chosen).
    let sheet = RwSignal::new(None::<usize>);
    let source = RwSignal::new(None::<Arc<Source>>);
    let open_error = RwSignal::new(None::<String>);
    let mapping = RwSignal::new(None::<Mapping>);
    let phase = RwSignal::new(Phase::Idle);
    let progress = RwSignal::new((0usize, 0usize));
    let cancel: StoredValue<Rc<Cell<bool>>, LocalStorage> =
        StoredValue::new_local(Rc::new(Cell::new(false)));
    let jobs = RwSignal::new(load_jobs());
    let notice = RwSignal::new(None::<String>);

    // (Re)reads the picked file whenever it, the encoding or the kind changes.
    Effect::new(move |_| {
        let kind = kind.get();
        let Some(file) = picked.get() else { return };
        let chosen = encoding.get();
        let chosen_sheet = sheet.get();
        phase.set(Phase::Idle);
        let opened = match chosen_sheet {
            Some(_) => Source::open_sheet(&file.bytes, chosen_sheet),
            None => Source::open(&file.bytes, chosen, None),
        };
        match opened {
            Ok(opened) => {
                open_error.set(None);
                let key = Mapping::source_key(&kind, &opened.headers);
                let guessed = saved_mapping(&key)
                    .filter(|m| m.fields.len() == opened.headers.len())
                    .map(|m| Mapping {
                        headers: opened.headers.clone(),
                        ..m
                    })
                    .unwrap_or_else(|| Mapping::guess(&kind, &opened.headers));
                mapping.set(Some(guessed));
                source.set(Some(Arc::new(opened)));
            }
            Err(e) => {
                source.set(None);
                mapping.set(None);
                open_error.set(Some(word(
                    lang.get_untracked(),
                    match e {
                        SourceError::Empty => Key::ImportEmptyFile,
                        SourceError::BadHeader => Key::ImportBadHeader,
                        SourceError::BadWorkbook => Key::ImportBadWorkbook,
                    },
                )));
            }
        }
    });

    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else { return };
        let name = file.name();
        if file.size() > MAX_FILE_BYTES as f64 {
            open_error.set(Some(Fmt::ImportTooLarge.format(
                lang.get_untracked(),
                &[("max", ((MAX_FILE_BYTES >> 20) as u64).into())],
            )));
            picked.set(None);
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            match read_bytes(&file).await {
                Ok(bytes) => {
                    encoding.set(None);
                    sheet.set(None);
                    picked.set(Some(Picked {
                        name,
                        bytes: Arc::new(bytes),
                    }));
                }
                Err(_) => open_error.set(Some(word(lang.get_untracked(), Key::ImportUnreadable))),
            }
        });
    };

    let problems =
        Memo::new(move |_| mapping.with(|m| m.as_ref().map(Mapping::problems).unwrap_or_default()));
    // Whether some date column holds a date only an order can read.
    let needs_order = Memo::new(move |_| {
        let (Some(src), Some(m)) = (source.get(), mapping.get()) else {
            return false;
        };
        let fields = mapping::importable_fields(&m.kind);
        let date_columns: Vec<usize> = m
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.as_ref()
                    .is_some_and(|f| fields.iter().any(|s| s.name == f && s.input == Input::Date))
            })
            .map(|(c, _)| c)
            .collect();
        !date_columns.is_empty()
            && src.rows().flatten().any(|row| {
                date_columns.iter().any(|c| {
                    row.cells
                        .get(*c)
                        .is_some_and(|v| saha_core::import::cell::needs_date_order(v))
                })
            })
    });
    // A resumable job for this file: same name, size and kind, not finished.
    let resumable = Memo::new(move |_| {
        let file = picked.get()?;
        let kind = kind.get();
        let read = source.with(|s| s.as_ref().map_or(0, |s| s.sheet));
        jobs.get().into_iter().find(|j| {
            !j.finished
                && !j.undone
                && j.file == file.name
                && j.size == file.bytes.len()
                && j.kind == kind
                && j.sheet == read
        })
    });

    let start = move |dry: bool, resume: Option<Job>| {
        let (Some(src), Some(m)) = (source.get_untracked(), mapping.get_untracked()) else {
            return;
        };
        if !m.problems().is_empty() {
            return;
        }
        save_mapping(&m);
        let flag = Rc::new(Cell::new(false));
        cancel.set_value(Rc::clone(&flag));
        let job = if dry {
            None
        } else {
            Some(resume.unwrap_or_else(|| Job {
                at: now_ms(),
                kind: m.kind.clone(),
                file: picked.get_untracked().map(|p| p.name).unwrap_or_default(),
                size: picked.get_untracked().map_or(0, |p| p.bytes.len()),
                sheet: src.sheet,
                line: 0,
                finished: false,
                created: 0,
                updated: 0,
                refused: 0,
                undone: false,
                mapping: m.clone(),
            }))
        };
        if let Some(job) = &job {
            save_job(job);
            jobs.set(load_jobs());
        }
        phase.set(Phase::Running { dry });
        progress.set((0, src.len()));
        notice.set(None);
        // What the audit log is told of a real run.
        let audited = job.as_ref().map(|j| {
            (
                saha_core::kinds::section_of(&j.kind).to_owned(),
                j.file.clone(),
            )
        });
        wasm_bindgen_futures::spawn_local(async move {
            let (report, _) = run(src, m, job, progress, flag).await;
            if let Some((section, file)) = audited {
                audit::tell(
                    &me().user_id,
                    Notice::Import(ImportNotice {
                        section,
                        file,
                        rows: report.rows() as u64,
                        created: report.created as u64,
                        updated: report.updated as u64,
                        refused: report.refused.len() as u64,
                        at: now_ms(),
                    }),
                );
            }
            jobs.set(load_jobs());
            phase.set(Phase::Done {
                dry,
                report: Arc::new(report),
            });
        });
    };

    let undo_job = move |job: Job| {
        wasm_bindgen_futures::spawn_local(async move {
            match undo(&job).await {
                Ok((removed, kept)) => {
                    let mut done = job.clone();
                    done.undone = true;
                    save_job(&done);
                    jobs.set(load_jobs());
                    notice.set(Some(Fmt::ImportUndone.format(
                        lang.get_untracked(),
                        &[
                            ("removed", (removed as u64).into()),
                            ("kept", (kept as u64).into()),
                        ],
                    )));
                }
                Err(e) => notice.set(Some(i18n::repo_error(lang.get_untracked(), &e))),
            }
        });
    };

    let kind_options = move || {
        mapping::IMPORT_KINDS
            .iter()
            .map(|k| {
                let k = *k;
                view! { <option value=k selected=move || kind.get() == k>{move || word_for(lang.get(), &format!("kind.{k}"))}</option> }
            })
            .collect_view()
    };

    let mapping_table = move || {
        let m = mapping.get()?;
        let src = source.get()?;
        let fields = mapping::importable_fields(&m.kind);
        let samples: Vec<Vec<String>> = src
            .rows()
            .take(PREVIEW_ROWS)
            .flatten()
            .map(|r| r.cells)
            .collect();
        let rows = m
            .headers
            .iter()
            .enumerate()
            .map(|(column, header)| {
                let chosen = m.fields.get(column).cloned().flatten().unwrap_or_default();
                let sample = samples
                    .iter()
                    .filter_map(|r| r.get(column))
                    .find(|v| !v.trim().is_empty())
                    .cloned()
                    .unwrap_or_default();
                let kind_code = m.kind.clone();
                let mut options: Vec<String> = vec![ID_FIELD.to_owned()];
                options.extend(fields.iter().map(|f| f.name.to_owned()));
                let options = options
                    .into_iter()
                    .map(|f| {
                        let selected = f == chosen;
                        let label = field_word(lang.get_untracked(), &kind_code, &f);
                        view! { <option value=f.clone() selected=selected>{label}</option> }
                    })
                    .collect_view();
                let select_id = format!("import-column-{column}");
                view! {
                    <li class="field">
                        <label for=select_id.clone()>{header.clone()}</label>
                        <select
                            id=select_id
                            class="import-field"
                            data-column=column.to_string()
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                mapping.update(|m| {
                                    if let Some(m) = m
                                        && let Some(slot) = m.fields.get_mut(column)
                                    {
                                        *slot = (!value.is_empty()).then_some(value);
                                    }
                                });
                            }
                        >
                            <option value="" selected=chosen.is_empty()>{tr(Key::ImportLeaveOut)}</option>
                            {options}
                        </select>
                        <span class="hint sample">{sample}</span>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <h2>{tr(Key::ImportColumns)}</h2>
            <ul class="import-mapping">{rows}</ul>
        })
    };

    // The first rows as they will be stored (or why not).
    let preview = move || {
        let m = mapping.get()?;
        let src = source.get()?;
        if !m.problems().is_empty() {
            return None;
        }
        let ctx = EditContext::new(&me().user_id, now_ms());
        let mut planner = Planner::new(&m, key_index(), ctx);
        let shown: Vec<String> = m
            .fields
            .iter()
            .flatten()
            .filter(|f| *f != ID_FIELD)
            .cloned()
            .collect();
        let l = lang.get();
        let rows = Groups::new(src.rows(), &m)
            .take(PREVIEW_ROWS)
            .flat_map(|run| planner.plan_run(&run, &|id| repo().record(*id)))
            .map(|planned| {
                let outcome = planned.outcome;
                let (line, state, cells): (usize, String, Vec<String>) = match &outcome {
                    Outcome::Create { line, record, .. } => (
                        *line,
                        word(l, Key::ImportNew),
                        shown.iter().map(|f| shown_value(record, f)).collect(),
                    ),
                    Outcome::Update { line, id, .. } | Outcome::Unchanged { line, id, .. } => {
                        let record = match &outcome {
                            Outcome::Update { changes, .. } => {
                                updated_record(*id, changes, &EditContext::new("", 0))
                            }
                            _ => repo().record(*id),
                        };
                        let state = if matches!(outcome, Outcome::Update { .. }) {
                            Key::ImportUpdate
                        } else {
                            Key::ImportUnchanged
                        };
                        (
                            *line,
                            word(l, state),
                            shown
                                .iter()
                                .map(|f| {
                                    record
                                        .as_ref()
                                        .map(|r| shown_value(r, f))
                                        .unwrap_or_default()
                                })
                                .collect(),
                        )
                    }
                    Outcome::Refused(r) => (r.line, reason_text(l, &r.reason), vec![]),
                };
                let refused = cells.is_empty();
                view! {
                    <tr class:refused=refused>
                        <td>{line}</td>
                        <td>{state}</td>
                        {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                    </tr>
                }
            })
            .collect_view();
        let kind_code = m.kind.clone();
        Some(view! {
            <h2>{tr(Key::ImportPreview)}</h2>
            <div class="table-scroll">
                <table class="import-preview">
                    <thead>
                        <tr>
                            <th scope="col">{tr(Key::ImportLine)}</th>
                            <th scope="col">{tr(Key::ImportOutcome)}</th>
                            {shown.iter().map(|f| view! { <th scope="col">{field_word(l, &kind_code, f)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    };

    let key_options = move || {
        let m = mapping.get()?;
        let current = m.key.clone().unwrap_or_default();
        let kind_code = m.kind.clone();
        let keys = mapping::key_fields(&m.kind)
            .iter()
            .filter(|k| m.column_of(k).is_some())
            .map(|k| {
                let k = (*k).to_owned();
                let selected = k == current;
                view! { <option value=k.clone() selected=selected>{field_word(lang.get_untracked(), &kind_code, &k)}</option> }
            })
            .collect_view();
        Some(view! {
            <option value="" selected=current.is_empty()>{tr(Key::ImportMatchNone)}</option>
            {keys}
        })
    };

    let report_view = move || {
        let Phase::Done { dry, report } = phase.get() else {
            return None;
        };
        let l = lang.get();
        let headers = mapping.with(|m| m.as_ref().map(|m| m.headers.clone()).unwrap_or_default());
        let args = [
            ("rows", (report.rows() as u64).into()),
            ("created", (report.created as u64).into()),
            ("updated", (report.updated as u64).into()),
            ("unchanged", (report.unchanged as u64).into()),
            ("refused", (report.refused.len() as u64).into()),
        ];
        let mut summary = if dry {
            Fmt::ImportSummaryDry.format(l, &args)
        } else {
            Fmt::ImportSummary.format(l, &args)
        };
        if report.lines > 0 {
            summary.push(' ');
            summary.push_str(
                &Fmt::ImportOrderLines.format(l, &[("lines", (report.lines as u64).into())]),
            );
        }
        let refusals = report
            .refused
            .iter()
            .take(SHOWN_REFUSALS)
            .map(|r| {
                let column = r.column_name(&headers);
                view! {
                    <tr class="refusal" data-line=r.line.to_string() data-reason=r.reason.code()>
                        <td>{r.line}</td>
                        <td>{column}</td>
                        <td>{reason_text(l, &r.reason)}</td>
                    </tr>
                }
            })
            .collect_view();
        let has_refusals = !report.refused.is_empty();
        let download = {
            let report = Arc::clone(&report);
            let headers = headers.clone();
            move |_| {
                let l = lang.get_untracked();
                let table: Table = report.refused_table(&headers, &|r| reason_text(l, r));
                if let Ok(bytes) = Format::Csv.write(&table) {
                    download_bytes("reddedilen-satirlar.csv", Format::Csv.mime(), &bytes);
                }
            }
        };
        Some(view! {
            <div class="import-report" id="import-report" data-dry=dry.to_string()>
                <p class="summary" role="status">{summary}</p>
                <Show when=move || has_refusals>
                    <table class="import-refusals">
                        <thead>
                            <tr>
                                <th scope="col">{tr(Key::ImportLine)}</th>
                                <th scope="col">{tr(Key::ImportColumn)}</th>
                                <th scope="col">{tr(Key::ImportReason)}</th>
                            </tr>
                        </thead>
                        <tbody>{refusals.clone()}</tbody>
                    </table>
                    <button type="button" class="button" id="import-refused-download" on:click=download.clone()>
                        {tr(Key::ImportDownloadRefused)}
                    </button>
                </Show>
            </div>
        })
    };

    let running = move || matches!(phase.get(), Phase::Running { .. });
    let can_run =
        move || problems.with(Vec::is_empty) && source.with(Option::is_some) && !running();

    view! {
        <section class="page" id="import">
            <A href="/settings" attr:class="back">"← " {tr(Key::Settings)}</A>
            <h1>{tr(Key::ImportTitle)}</h1>
            <p class="hint">{tr(Key::ImportHint)}</p>
            <div class="field">
                <label for="import-kind">{tr(Key::ImportKind)}</label>
                <select id="import-kind" on:change=move |ev| kind.set(event_target_value(&ev)) disabled=running>
                    {kind_options}
                </select>
            </div>
            <div class="field">
                <label for="import-file">{tr(Key::ImportFile)}</label>
                <input id="import-file" type="file" accept=ACCEPTED_FILES on:change=on_file disabled=running />
            </div>
            <Show when=move || open_error.with(Option::is_some)>
                <p class="banner error" role="alert">{move || open_error.get()}</p>
            </Show>
            {move || source.get().map(|src| {
                if matches!(src.format, saha_core::import::Format::Workbook(_)) {
                    let read = src.sheet;
                    let sheets = src.sheets.clone();
                    return view! {
                        <Show when=move || 1 < sheets.len()>
                            <div class="field">
                                <label for="import-sheet">{tr(Key::ImportSheet)}</label>
                                <select id="import-sheet" disabled=running on:change=move |ev| {
                                    sheet.set(event_target_value(&ev).parse().ok());
                                }>
                                    {src.sheets.iter().enumerate().map(|(i, name)| view! {
                                        <option value=i.to_string() selected=i == read>{name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </Show>
                    }
                    .into_any();
                }
                let detected = src.encoding;
                let replaced = src.replaced;
                view! {
                    <div class="field">
                        <label for="import-encoding">{tr(Key::ImportEncoding)}</label>
                        <select id="import-encoding" on:change=move |ev| encoding.set(Encoding::from_label(&event_target_value(&ev)))>
                            {Encoding::ALL.into_iter().map(|e| view! {
                                <option value=e.code() selected=e == detected>{e.code()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <Show when=move || replaced != 0>
                        <p class="banner warning" id="import-replaced">
                            {move || Fmt::ImportReplaced.format(lang.get(), &[("count", (replaced as u64).into())])}
                        </p>
                    </Show>
                }
                .into_any()
            })}
            {mapping_table}
            <Show when=move || mapping.with(Option::is_some)>
                <div class="field">
                    <label for="import-mode">{tr(Key::ImportMode)}</label>
                    <select id="import-mode" on:change=move |ev| {
                        if let Some(mode) = Mode::from_code(&event_target_value(&ev)) {
                            mapping.update(|m| if let Some(m) = m { m.mode = mode });
                        }
                    }>
                        {Mode::ALL.into_iter().map(|mode| view! {
                            <option value=mode.code() selected=move || mapping.with(|m| m.as_ref().is_some_and(|m| m.mode == mode))>
                                {move || mode_word(lang.get(), mode)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="import-key">{tr(Key::ImportMatchBy)}</label>
                    <select id="import-key" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        mapping.update(|m| if let Some(m) = m { m.key = (!value.is_empty()).then_some(value) });
                    }>
                        {key_options}
                    </select>
                </div>
                <Show when=move || needs_order.get()>
                    <div class="field">
                        <label for="import-date-order">{tr(Key::ImportDateOrder)}</label>
                        <select id="import-date-order" on:change=move |ev| {
                            let order = match event_target_value(&ev).as_str() {
                                "day_first" => Some(DateOrder::DayFirst),
                                "month_first" => Some(DateOrder::MonthFirst),
                                _ => None,
                            };
                            mapping.update(|m| if let Some(m) = m { m.date_order = order });
                        }>
                            <option value="">{tr(Key::ImportDateOrderChoose)}</option>
                            <option value="day_first">{tr(Key::ImportDateOrderDayFirst)}</option>
                            <option value="month_first">{tr(Key::ImportDateOrderMonthFirst)}</option>
                        </select>
                    </div>
                </Show>
                <ul class="import-problems" role="alert">
                    {move || {
                        let l = lang.get();
                        mapping.with(|m| m.as_ref().map(|m| {
                            problems.get().into_iter().map(|p| view! { <li class="error">{mapping_problem_text(l, m, p)}</li> }).collect_view()
                        }))
                    }}
                </ul>
                {preview}
                <div class="actions">
                    <button type="button" class="button" id="import-check" disabled=move || !can_run() on:click=move |_| start(true, None)>
                        {tr(Key::ImportCheck)}
                    </button>
                    <button type="button" class="button primary" id="import-run" disabled=move || !can_run() on:click=move |_| start(false, None)>
                        {tr(Key::ImportRun)}
                    </button>
                    {move || resumable.get().map(|job| {
                        let line = job.line;
                        view! {
                            <button type="button" class="button" id="import-resume" disabled=move || !can_run() on:click=move |_| start(false, Some(job.clone()))>
                                {move || Fmt::ImportResume.format(lang.get(), &[("line", (line as u64).into())])}
                            </button>
                        }
                    })}
                </div>
            </Show>
            <Show when=running>
                <div class="import-progress">
                    <progress id="import-progress" max=move || progress.get().1.max(1) value=move || progress.get().0></progress>
                    <button type="button" class="button" id="import-cancel" on:click=move |_| cancel.with_value(|c| c.set(true))>
                        {tr(Key::ImportStop)}
                    </button>
                </div>
            </Show>
            {report_view}
            <Show when=move || notice.with(Option::is_some)>
                <p class="banner" role="status" id="import-notice">{move || notice.get()}</p>
            </Show>
            <Show when=move || jobs.with(|j| !j.is_empty())>
                <h2>{tr(Key::ImportHistory)}</h2>
                <ul class="cards import-jobs">
                    <For each=move || jobs.get() key=|j| (j.at, j.line, j.undone) let(job)>
                        {
                            let l = lang.get_untracked();
                            let when = crate::ui::widgets::format::format_time(l, job.at);
                            let counts = Fmt::ImportJobCounts.format(l, &[
                                ("created", (job.created as u64).into()),
                                ("updated", (job.updated as u64).into()),
                                ("refused", (job.refused as u64).into()),
                            ]);
                            let state = if job.undone {
                                word(l, Key::ImportUndoneState)
                            } else if job.finished {
                                String::new()
                            } else {
                                Fmt::ImportStoppedAt.format(l, &[("line", (job.line as u64).into())])
                            };
                            let can_undo = !job.undone && job.created > 0;
                            let undo_this = job.clone();
                            view! {
                                <li class="card import-job" data-at=job.at.to_string()>
                                    <span class="card-title">{job.file.clone()} " · " {word_for(l, &format!("kind.{}", job.kind))}</span>
                                    <span class="card-meta">{when} " · " {counts} " " {state}</span>
                                    <Show when=move || can_undo>
                                        {
                                            let undo_this = undo_this.clone();
                                            view! {
                                                <button type="button" class="button small import-undo" on:click=move |_| undo_job(undo_this.clone())>
                                                    {tr(Key::ImportUndo)}
                                                </button>
                                            }
                                        }
                                    </Show>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}
