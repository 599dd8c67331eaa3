//! The browser's document repository: every record as an Automerge document persisted
//! in IndexedDB, with its read model beside it, kept in step with the server.
//!
//! The screens read the read model ([`saha_core::read_model`]): at start-up the repo
//! reads every document's entry, not its bytes, and fills the reactive views
//! ([`Repo::records`], [`Repo::pipeline`], the search index through [`Repo::search`]).
//! A document is loaded only when it must change: a local edit, a sync message for it,
//! a change-feed copy that has to be merged with local changes. Loaded documents are
//! evicted again, least recently used first, past [`MAX_LOADED`] (those with unsaved or
//! unconfirmed changes stay). If the stored read model is of another version or fails
//! its check, it is rebuilt from the documents before the first screen.
//!
//! Local edits change the loaded document, are written to IndexedDB (durably) with the
//! document's new read-model entry in the same transaction, and only then reported
//! done; then they are offered to the server. Changes from the server are applied at
//! once and written in batches, one IndexedDB transaction for many documents. A
//! document from the change feed that holds everything this device has is stored as
//! it came and projected, without ever being kept in memory. Invoice, quote and order
//! numbers come from blocks the server reserved for this device
//! ([`saha_core::sales::numbering`]), kept in IndexedDB so they can be used offline.
//! Deleted records leave every view for the bin ([`Repo::bin`]).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use automerge::{Automerge, ChangeHash};
use leptos::prelude::*;
use saha_core::access::Access;
use saha_core::analytics::cross_sell::CoOccurrence;
use saha_core::analytics::ledger::Ledger;
use saha_core::analytics::signals::as_sale_document;
use saha_core::read_model::{self, Entry, FeedAction, Projection, Rebuild};
use saha_core::record::form::Form;
use saha_core::record::{EditContext, WorkflowRefusal};
use saha_core::sales::numbering::{NumberBook, Series};
use saha_core::sales::opportunity::Stage;

use crate::client::error::RepoError;
use saha_core::DocumentId;
use saha_core::kinds::{KINDS, Record};
use saha_core::rules;
use saha_core::search::SearchIndex;
use saha_core::workspace;
use saha_core::workspace::{CompanyDetails, ServiceSettings};
use saha_protocol::sync::Connection;
use saha_protocol::wire::Message;

use super::local_store::{LocalStore, StoreError, StoredDoc, Write};
use super::{describe, now_ms};

/// Incremental chunks a document gathers in IndexedDB before it is compacted.
const COMPACT_AFTER_CHUNKS: u32 = 32;
const META_INDEX: &str = "workspace_index";
/// (The key predates quote and order numbers; the book holds every series.)
const META_NUMBER_BOOK: &str = "invoice_numbers";
/// Quotes and orders this device made while it had no numbers left (IDs, comma
/// separated): the only ones it numbers later ([`Repo::number_waiting`]).
const META_UNNUMBERED: &str = "unnumbered";
/// The server's change-feed cursor this device has taken in everything up to.
const META_FEED_CURSOR: &str = "feed_cursor";
/// The newest erasure (its `erasedAt`, ms) this device has dropped the documents of.
const META_ERASED_CURSOR: &str = "erased_cursor";
/// This device's own random ID, which its acknowledgements of erasures carry.
const META_DEVICE: &str = "device_id";
/// The read model's version its rows were written by.
const META_READ_MODEL: &str = "read_model_version";
/// Documents taken in from the change feed per IndexedDB transaction.
const FEED_BATCH: usize = 500;
/// Documents kept loaded before the least recently used are evicted (a quarter at a
/// time). Each costs tens of kilobytes in memory; the read model needs none.
pub const MAX_LOADED: usize = 200;
/// Documents read per transaction when many must be loaded (a rebuild, offering all).
const LOAD_BATCH: usize = 200;

/// The state of the link to the server, as the user sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connectivity {
    Offline,
    Connecting,
    Online,
}

/// A record as the screens show it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordView {
    pub id: DocumentId,
    /// The ID as text, made once per change (what the reports key records by).
    pub key: String,
    pub kind: String,
    pub record: Record,
    /// Changes whenever the record does (a counter of this page): what lists key their
    /// rows by, so a changed record is drawn again and an unchanged one is not.
    pub rev: u64,
}

struct LocalDoc {
    doc: Automerge,
    saved_heads: Vec<ChangeHash>,
    next_seq: u32,
    /// Heads the server has confirmed having.
    confirmed: Vec<ChangeHash>,
    confirmed_saved: Vec<ChangeHash>,
    /// When it was last needed (the repo's use clock), for eviction.
    used: u64,
    /// The record a new document was just written from, until the document is first
    /// stored: its read-model entry is made from it rather than read back.
    written: Option<Record>,
}

impl LocalDoc {
    fn empty() -> LocalDoc {
        LocalDoc {
            doc: Automerge::new(),
            saved_heads: Vec::new(),
            next_seq: 0,
            confirmed: Vec::new(),
            confirmed_saved: Vec::new(),
            used: 0,
            written: None,
        }
    }

    /// Whether everything about it is stored, so it can be dropped from memory.
    fn is_settled(&self) -> bool {
        self.doc.get_heads() == self.saved_heads && self.confirmed == self.confirmed_saved
    }

    fn is_confirmed(&self) -> bool {
        self.doc
            .get_heads()
            .iter()
            .all(|h| self.confirmed.contains(h))
    }
}

/// An open WebSocket to the server with its protocol state.
pub struct Link {
    pub ws: web_sys::WebSocket,
    pub conn: Connection,
}

impl Link {
    fn send(&self, msg: &Message) {
        if let Err(e) = self.ws.send_with_u8_array(&msg.encode()) {
            leptos::logging::warn!("sync: send failed: {}", describe(&e));
        }
    }
}

struct Inner {
    store: LocalStore,
    /// The signed-in member, who makes every local edit.
    user_id: String,
    /// The member's role and teams: every local edit is checked against the rule
    /// table with them before it is written (the server checks the same).
    access: Access,
    /// The documents loaded in memory.
    docs: RefCell<HashMap<DocumentId, LocalDoc>>,
    /// Every document stored on this device, with the heads of its stored bytes (from
    /// its read-model entry, kept current with each write).
    stored: RefCell<HashMap<DocumentId, Vec<ChangeHash>>>,
    /// Heads the server has confirmed, of documents not loaded (a loaded one keeps
    /// them in its [`LocalDoc`]).
    confirmed: RefCell<HashMap<DocumentId, Vec<ChangeHash>>>,
    /// Documents being read from IndexedDB right now (how many readers each).
    loading: RefCell<HashMap<DocumentId, u32>>,
    /// Ticks once per load request; [`LocalDoc::used`] takes its value.
    clock: Cell<u64>,
    /// Documents loaded on demand since the page opened (for tests and benchmarks).
    loads: Cell<u64>,
    /// The last [`RecordView::rev`] given out.
    revisions: Cell<u64>,
    index_id: Cell<Option<DocumentId>>,
    link: RefCell<Option<Link>>,
    dirty: RefCell<HashSet<DocumentId>>,
    flush_scheduled: Cell<bool>,
    unconfirmed: RefCell<HashSet<DocumentId>>,
    /// Documents known by ID (listed in the index) whose content has not arrived.
    awaited: RefCell<HashSet<DocumentId>>,
    /// Documents the server does not share with this member (another team's records
    /// listed in the index): not awaited, not shown.
    hidden: RefCell<HashSet<DocumentId>>,
    records: RwSignal<HashMap<DocumentId, RecordView>>,
    /// Deleted records (owners and admins see them in the bin); never in `records`.
    bin: RwSignal<HashMap<DocumentId, RecordView>>,
    search: RefCell<SearchIndex<DocumentId>>,
    /// Bumped whenever the search index changes, so searches re-run.
    search_version: RwSignal<u64>,
    /// Every order's and invoice's figures, kept as records change (what the sales
    /// reports read instead of parsing every line again).
    sales: RefCell<Ledger>,
    /// Products bought together, built from `sales` when first asked for after a
    /// change (with the `sales_version` it was built at).
    co_occurrence: RefCell<Option<(u64, Rc<CoOccurrence>)>>,
    /// Bumped whenever an order or invoice changes, so sales reports recompute.
    sales_version: RwSignal<u64>,
    pipeline: RwSignal<Vec<Stage>>,
    service: RwSignal<ServiceSettings>,
    company: RwSignal<CompanyDetails>,
    numbers: RefCell<NumberBook>,
    /// See [`META_UNNUMBERED`].
    unnumbered: RefCell<HashSet<DocumentId>>,
    connectivity: RwSignal<Connectivity>,
    pending: RwSignal<usize>,
    missing: RwSignal<usize>,
    storage_error: RwSignal<Option<String>>,
    session_expired: RwSignal<bool>,
    /// While the change feed downloads: documents received and expected.
    download: RwSignal<Option<(u64, u64)>>,
    feed_cursor: Cell<u64>,
    /// See [`META_ERASED_CURSOR`].
    erased_cursor: Cell<i64>,
    /// See [`META_DEVICE`].
    device: RefCell<Option<String>>,
    /// Set while the change feed streams in: the index may arrive before the records it
    /// lists, which are on their way — asking for them one by one would only duplicate
    /// the download. `discover` then runs once at the end.
    feeding: Cell<bool>,
    discover_deferred: Cell<bool>,
}

/// A cheap handle to the one repository of this page.
#[derive(Clone)]
pub struct Repo(Rc<Inner>);

fn heads_to_text(heads: &[ChangeHash]) -> String {
    heads
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn heads_from_text(text: &str) -> Vec<ChangeHash> {
    text.split(',').filter_map(|h| h.parse().ok()).collect()
}

/// Why an invoice number could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// None left for the year and the server could not be reached.
    NoneLeft,
    Storage(String),
}

/// The entry of a document read from IndexedDB; one whose bytes do not load shows
/// nothing (its bytes are kept: a later version may read them).
fn entry_of_stored(stored: &StoredDoc) -> Entry {
    match Automerge::load(&stored.chunks.concat()) {
        Ok(doc) => Entry::of(&doc),
        Err(e) => {
            leptos::logging::error!("document {} does not load: {e}", stored.id);
            Entry {
                heads: Vec::new(),
                projection: Projection::Other,
            }
        }
    }
}

/// Projects every stored document again and replaces the read model with the result,
/// [`LOAD_BATCH`] documents at a time (load, project, drop); the version is written
/// last, so a rebuild cut short is done again at the next start.
async fn rebuild_read_model(
    store: &LocalStore,
    stored: &[DocumentId],
    version: &str,
) -> Result<HashMap<DocumentId, Entry>, StoreError> {
    let started = js_sys::Date::now();
    store.write(vec![Write::ClearEntries], true).await?;
    let mut entries = HashMap::with_capacity(stored.len());
    // `stored` comes in key order, so each batch is one key range.
    for batch in stored.chunks(LOAD_BATCH) {
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            continue;
        };
        let mut writes = Vec::with_capacity(batch.len());
        for doc in store.load_range(first, last).await? {
            let entry = entry_of_stored(&doc);
            writes.push(Write::Entry {
                doc: doc.id,
                row: entry.encode(),
            });
            entries.insert(doc.id, entry);
        }
        store.write(writes, false).await?;
    }
    store
        .write(
            vec![Write::Meta {
                key: META_READ_MODEL.into(),
                value: version.to_owned(),
            }],
            true,
        )
        .await?;
    leptos::logging::log!(
        "read model rebuilt: {} documents in {:.0} ms",
        entries.len(),
        js_sys::Date::now() - started
    );
    Ok(entries)
}

impl Repo {
    /// Opens the member's IndexedDB database and reads its read model (rebuilding it
    /// from the documents first if it is of another version or fails its check);
    /// `index` is the workspace index the server named at login. No document is loaded.
    pub async fn open(
        user_id: &str,
        access: Access,
        index: DocumentId,
    ) -> Result<Repo, StoreError> {
        let started = js_sys::Date::now();
        let store = LocalStore::open(user_id).await?;
        let loaded = store.load_read_model().await?;
        let read_at = js_sys::Date::now();
        let meta = |key: &str| {
            loaded
                .meta
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let current = read_model::version();
        let stored_rows = match &loaded.damaged {
            Some(key) => Err(Rebuild::Unreadable(key.clone())),
            None => read_model::load(
                &current,
                meta(META_READ_MODEL).as_deref(),
                &loaded.entries,
                &loaded.stored,
            ),
        };
        let (entries, rebuilt) = match stored_rows {
            Ok(entries) => (entries, None),
            Err(why) => {
                leptos::logging::log!("rebuilding the read model: {why}");
                let entries = rebuild_read_model(&store, &loaded.stored, &current).await?;
                (entries, Some(why))
            }
        };
        let rebuilt_at = js_sys::Date::now();
        let confirmed: HashMap<DocumentId, Vec<ChangeHash>> = loaded
            .synced
            .iter()
            .map(|(id, heads)| (*id, heads_from_text(heads)))
            .collect();
        let numbers: NumberBook = meta(META_NUMBER_BOOK)
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        let unnumbered: HashSet<DocumentId> = meta(META_UNNUMBERED)
            .map(|v| v.split(',').filter_map(|id| id.parse().ok()).collect())
            .unwrap_or_default();
        let stored_index: Option<DocumentId> = meta(META_INDEX).and_then(|v| v.parse().ok());
        if stored_index != Some(index) {
            store
                .write(
                    vec![Write::Meta {
                        key: META_INDEX.into(),
                        value: index.to_string(),
                    }],
                    true,
                )
                .await?;
        }
        let feed_cursor: u64 = meta(META_FEED_CURSOR)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let erased_cursor: i64 = meta(META_ERASED_CURSOR)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let device = meta(META_DEVICE);
        let settings = read_model::WorkspaceSettings::defaults();
        let repo = Repo(Rc::new(Inner {
            store,
            user_id: user_id.to_owned(),
            access,
            docs: RefCell::new(HashMap::new()),
            stored: RefCell::new(HashMap::new()),
            confirmed: RefCell::new(confirmed),
            loading: RefCell::new(HashMap::new()),
            clock: Cell::new(0),
            loads: Cell::new(0),
            revisions: Cell::new(0),
            index_id: Cell::new(Some(index)),
            link: RefCell::new(None),
            dirty: RefCell::new(HashSet::new()),
            flush_scheduled: Cell::new(false),
            pending: RwSignal::new(0),
            unconfirmed: RefCell::new(HashSet::new()),
            awaited: RefCell::new(HashSet::new()),
            hidden: RefCell::new(HashSet::new()),
            records: RwSignal::new(HashMap::new()),
            bin: RwSignal::new(HashMap::new()),
            search: RefCell::new(SearchIndex::new()),
            search_version: RwSignal::new(0),
            sales: RefCell::new(Ledger::default()),
            co_occurrence: RefCell::new(None),
            sales_version: RwSignal::new(0),
            pipeline: RwSignal::new(settings.pipeline),
            service: RwSignal::new(settings.service),
            company: RwSignal::new(settings.company),
            numbers: RefCell::new(numbers),
            unnumbered: RefCell::new(unnumbered),
            connectivity: RwSignal::new(Connectivity::Offline),
            missing: RwSignal::new(0),
            storage_error: RwSignal::new(None),
            session_expired: RwSignal::new(false),
            download: RwSignal::new(None),
            feed_cursor: Cell::new(feed_cursor),
            erased_cursor: Cell::new(erased_cursor),
            device: RefCell::new(device),
            feeding: Cell::new(false),
            discover_deferred: Cell::new(false),
        }));
        let count = entries.len();
        if !entries.contains_key(&index) {
            // Until the index arrives, the device is not in step with its workspace.
            repo.0.awaited.borrow_mut().insert(index);
            repo.0.missing.set(1);
        }
        repo.show(entries.into_iter().collect());
        let unconfirmed: HashSet<DocumentId> = repo
            .0
            .stored
            .borrow()
            .keys()
            .filter(|id| !repo.is_confirmed(id))
            .copied()
            .collect();
        repo.0.pending.set(unconfirmed.len());
        *repo.0.unconfirmed.borrow_mut() = unconfirmed;
        repo.report_loads();
        let done = js_sys::Date::now();
        // Where start-up time goes, for the benchmarks (and anyone with a console).
        let timings = js_sys::Object::new();
        for (key, value) in [
            ("indexeddb_ms", read_at - started),
            ("read_model_ms", rebuilt_at - read_at),
            ("views_ms", done - rebuilt_at),
            ("documents", count as f64),
        ] {
            let _ = js_sys::Reflect::set(&timings, &key.into(), &value.into());
        }
        let rebuilt = rebuilt.map_or(wasm_bindgen::JsValue::NULL, |why| why.to_string().into());
        let _ = js_sys::Reflect::set(&timings, &"rebuilt".into(), &rebuilt);
        let _ = js_sys::Reflect::set(&js_sys::global(), &"__saha_open_timings".into(), &timings);
        // Files taken before the app was closed and not uploaded yet show as waiting.
        wasm_bindgen_futures::spawn_local(super::files::note_queued(repo.clone()));
        Ok(repo)
    }

    // ----- reactive views for the UI -------------------------------------------------

    /// The signed-in member's user ID.
    pub fn user_id(&self) -> &str {
        &self.0.user_id
    }

    /// Every record on this device, by ID.
    pub fn records(&self) -> RwSignal<HashMap<DocumentId, RecordView>> {
        self.0.records
    }

    /// The deleted records on this device (the bin).
    pub fn bin(&self) -> RwSignal<HashMap<DocumentId, RecordView>> {
        self.0.bin
    }

    /// A deleted record, from the bin.
    pub fn deleted_record(&self, id: DocumentId) -> Option<Record> {
        self.0
            .bin
            .with_untracked(|b| b.get(&id).map(|v| v.record.clone()))
    }

    /// The workspace's pipeline stages.
    pub fn pipeline(&self) -> RwSignal<Vec<Stage>> {
        self.0.pipeline
    }

    /// The workspace's service settings (working hours, holidays, SLA targets, the
    /// contact-frequency guard).
    pub fn service(&self) -> RwSignal<ServiceSettings> {
        self.0.service
    }

    /// The selling company's details (printed on quotes and invoices).
    pub fn company(&self) -> RwSignal<CompanyDetails> {
        self.0.company
    }

    /// Records matching `query` that pass `keep`, best first (see
    /// [`SearchIndex::search`]). Reactive: re-runs when records change.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        keep: impl Fn(&DocumentId) -> bool,
    ) -> (usize, Vec<DocumentId>) {
        self.0.search_version.track();
        self.0.search.borrow().search(query, limit, keep)
    }

    /// Runs `f` over every record on this device with its ID as text (borrowed, not
    /// copied): what the reports over all kinds start from. Reactive.
    pub fn with_record_list<T>(&self, f: impl FnOnce(&[(&str, &Record)]) -> T) -> T {
        self.0.records.with(|all| {
            let list: Vec<(&str, &Record)> =
                all.values().map(|v| (v.key.as_str(), &v.record)).collect();
            f(&list)
        })
    }

    /// Runs `f` over the sales ledger of the orders and invoices on this device.
    /// Reactive: re-runs when one of them changes.
    pub fn with_sales<T>(&self, f: impl FnOnce(&Ledger) -> T) -> T {
        self.0.sales_version.track();
        f(&self.0.sales.borrow())
    }

    /// Products bought together over the sales on this device, built once per change
    /// of an order or invoice and shared by every screen that asks. Reactive.
    pub fn co_occurrence(&self) -> Rc<CoOccurrence> {
        let version = self.0.sales_version.get();
        let mut kept = self.0.co_occurrence.borrow_mut();
        match &*kept {
            Some((built, index)) if *built == version => Rc::clone(index),
            _ => {
                let sales = self.0.sales.borrow();
                let index = super::timed("co_occurrence", || {
                    Rc::new(CoOccurrence::build(&sales.sales()))
                });
                // What the analytics indexes hold, for the memory figure.
                super::record_timing("sales_ledger_bytes", sales.heap_bytes() as f64);
                *kept = Some((version, Rc::clone(&index)));
                index
            }
        }
    }

    /// One record, read without tracking.
    pub fn record(&self, id: DocumentId) -> Option<Record> {
        self.0
            .records
            .with_untracked(|r| r.get(&id).map(|v| v.record.clone()))
    }

    /// Who is editing, and when.
    pub fn edit_context(&self) -> EditContext {
        EditContext::new(&self.0.user_id, now_ms())
    }

    pub fn connectivity(&self) -> RwSignal<Connectivity> {
        self.0.connectivity
    }

    /// Documents with local changes the server has not confirmed.
    pub fn pending(&self) -> RwSignal<usize> {
        self.0.pending
    }

    /// Records listed in the workspace that have not arrived yet.
    pub fn missing(&self) -> RwSignal<usize> {
        self.0.missing
    }

    /// The IndexedDB store, for what is not a document (attachments' bytes).
    pub fn local_store(&self) -> &LocalStore {
        &self.0.store
    }

    /// Closes the IndexedDB connection; the repository stores nothing afterwards (the
    /// page is about to be left, e.g. at logout).
    pub fn close_store(&self) {
        self.0.store.close();
    }

    /// Set when the server no longer accepts this device's session.
    /// Documents received and expected while the change feed downloads.
    pub fn download(&self) -> RwSignal<Option<(u64, u64)>> {
        self.0.download
    }

    pub fn session_expired(&self) -> RwSignal<bool> {
        self.0.session_expired
    }

    pub fn storage_error(&self) -> RwSignal<Option<String>> {
        self.0.storage_error
    }

    // ----- local edits ---------------------------------------------------------------

    /// Stores new records and changed ones in one go (e.g. a lead conversion: three
    /// new records and the converted lead); returns once they are on this device.
    pub async fn save(
        &self,
        new: Vec<(DocumentId, Record)>,
        changed: Vec<(DocumentId, Record)>,
    ) -> Result<(), RepoError> {
        let mut needed: Vec<DocumentId> = changed.iter().map(|(id, _)| *id).collect();
        if !new.is_empty() {
            // New records are listed in the index.
            needed.extend(self.0.index_id.get());
        }
        self.ensure_loaded(&needed)
            .await
            .map_err(RepoError::Store)?;
        let mut ids = Vec::new();
        {
            let mut docs = self.0.docs.borrow_mut();
            // Checked before anything is written, so a refusal leaves nothing behind.
            let mut written: Vec<(DocumentId, Automerge)> = Vec::new();
            for (id, record) in &changed {
                let local = docs
                    .get(id)
                    .ok_or(RepoError::Rules(rules::Refusal::NotARecord))?;
                // The same actor: the copy replaces the original once checked.
                let mut doc = local.doc.fork().with_actor(local.doc.get_actor().clone());
                if record.write(&mut doc)? {
                    self.check(&local.doc, &doc)?;
                    written.push((*id, doc));
                }
            }
            let mut created = Vec::new();
            for (id, record) in &new {
                let doc = record.create()?;
                self.check_new(&doc, record)?;
                created.push((*id, doc, record.clone()));
            }
            for (id, doc) in written {
                if let Some(local) = docs.get_mut(&id) {
                    local.doc = doc;
                    ids.push(id);
                }
            }
            for (id, doc, record) in created {
                docs.insert(
                    id,
                    LocalDoc {
                        doc,
                        written: Some(record),
                        ..LocalDoc::empty()
                    },
                );
                ids.push(id);
            }
        }
        ids.extend(self.list_new(&new));
        if ids.is_empty() {
            return Ok(());
        }
        self.local_change(&ids).await.map_err(RepoError::Store)
    }

    /// Judges a new document `doc` this member wrote from `record` by the rule table
    /// (as [`Repo::check`], without reading the record back from the document).
    fn check_new(&self, doc: &Automerge, record: &Record) -> Result<(), RepoError> {
        rules::check(
            Some(&self.0.access),
            &rules::Change {
                doc,
                before_heads: &[],
                before: None,
                after: Some(record),
            },
        )
        .map(|_| ())
        .map_err(RepoError::Rules)
    }

    /// Judges a change of this member's from `before` to `after` by the rule table
    /// (see [`rules::check`]): the device refuses what the server would.
    fn check(&self, before: &Automerge, after: &Automerge) -> Result<(), RepoError> {
        let before_record = rules::read_record(before).ok().flatten();
        rules::check(
            Some(&self.0.access),
            &rules::Change {
                doc: after,
                before_heads: &before.get_heads(),
                before: before_record.as_ref(),
                after: None,
            },
        )
        .map(|_| ())
        .map_err(RepoError::Rules)
    }

    /// Creates one record; returns its ID once it is stored on this device.
    pub async fn create(&self, mut record: Record) -> Result<DocumentId, RepoError> {
        let id = DocumentId::random();
        self.number_new(&mut record).await;
        let waits = matches!(&record, Record::Sales(d)
            if d.number.is_empty() && matches!(d.common.kind.as_str(), "quote" | "order"));
        self.save(vec![(id, record)], Vec::new()).await?;
        if waits {
            self.0.unnumbered.borrow_mut().insert(id);
            self.store_unnumbered().await.map_err(RepoError::Store)?;
        }
        Ok(id)
    }

    /// Reads record `id`, changes it with `change` (a workflow step, a log entry) and
    /// stores it, touching only what differs; returns once it is on this device.
    ///
    /// The record is read from its document and written back to it with no await
    /// between, so updates started together (two files attached back to back) each
    /// apply to what the one before wrote: none writes back a copy read before another
    /// was stored, which would undo it.
    pub async fn update(
        &self,
        id: DocumentId,
        change: impl FnOnce(&mut Record) -> Result<(), RepoError>,
    ) -> Result<(), RepoError> {
        self.change_record(id, false, change).await
    }

    /// [`Repo::update`], of a record in the bin too when `deleted_too`.
    async fn change_record(
        &self,
        id: DocumentId,
        deleted_too: bool,
        change: impl FnOnce(&mut Record) -> Result<(), RepoError>,
    ) -> Result<(), RepoError> {
        self.ensure_loaded(&[id]).await.map_err(RepoError::Store)?;
        let changed = {
            let mut docs = self.0.docs.borrow_mut();
            let local = docs
                .get_mut(&id)
                .ok_or(RepoError::Workflow(WorkflowRefusal::NotARecord))?;
            let mut record = rules::read_record(&local.doc)
                .ok()
                .flatten()
                .filter(|r| deleted_too || r.common().deleted_at == 0)
                .ok_or(RepoError::Workflow(WorkflowRefusal::NotARecord))?;
            change(&mut record)?;
            let mut doc = local.doc.fork().with_actor(local.doc.get_actor().clone());
            let changed = record.write(&mut doc)?;
            if changed {
                self.check(&local.doc, &doc)?;
                local.doc = doc;
            }
            changed
        };
        if changed {
            self.local_change(&[id]).await.map_err(RepoError::Store)?;
        }
        Ok(())
    }

    /// Deletes record `id` (to the bin) or restores it from the bin (owners and admins;
    /// the rules refuse it from anyone else).
    pub async fn set_deleted(&self, id: DocumentId, deleted: bool) -> Result<(), RepoError> {
        let at = if deleted { now_ms() } else { 0 };
        self.change_record(id, true, |record| {
            record.common_mut().deleted_at = at;
            Ok(())
        })
        .await
    }

    /// Those of `ids` whose documents still hold only the change that made them: no one
    /// edited them since (what undoing an import may remove). Loads the documents.
    pub async fn unedited(&self, ids: &[DocumentId]) -> Result<Vec<DocumentId>, RepoError> {
        self.ensure_loaded(ids).await.map_err(RepoError::Store)?;
        let docs = self.0.docs.borrow();
        Ok(ids
            .iter()
            .filter(|id| {
                docs.get(id)
                    .is_some_and(|local| local.doc.get_changes(&[]).len() == 1)
            })
            .copied()
            .collect())
    }

    /// Applies a form to a stored record; returns once the edit is stored.
    pub async fn edit(&self, id: DocumentId, form: &Form) -> Result<(), RepoError> {
        self.ensure_loaded(&[id]).await.map_err(RepoError::Store)?;
        let ctx = self.edit_context();
        let changed = {
            let mut docs = self.0.docs.borrow_mut();
            let local = docs
                .get_mut(&id)
                .ok_or(RepoError::Workflow(WorkflowRefusal::NotARecord))?;
            let mut doc = local.doc.fork().with_actor(local.doc.get_actor().clone());
            let changed = Record::edit(&mut doc, form, &ctx)?;
            if changed {
                self.check(&local.doc, &doc)?;
                local.doc = doc;
            }
            changed
        };
        if changed {
            self.local_change(&[id]).await.map_err(RepoError::Store)?;
        }
        Ok(())
    }

    /// Replaces the workspace's open pipeline stages (admins; the server refuses it
    /// from others).
    pub async fn set_pipeline(&self, open: &[Stage]) -> Result<(), RepoError> {
        self.change_index(|doc| Ok(workspace::set_pipeline(doc, open)?))
            .await
    }

    /// Replaces the workspace's service settings (admins; the server refuses it from
    /// anyone else). Problems come back per field and nothing is written.
    pub async fn set_service(&self, settings: &ServiceSettings) -> Result<(), RepoError> {
        self.change_index(|doc| workspace::set_service(doc, settings))
            .await
    }

    /// Replaces the company details (admins; the server refuses it from anyone else).
    pub async fn set_company(&self, details: &CompanyDetails) -> Result<(), RepoError> {
        self.change_index(|doc| workspace::set_company(doc, details))
            .await
    }

    /// Changes the workspace index with `change` and stores it.
    async fn change_index(
        &self,
        change: impl FnOnce(&mut Automerge) -> Result<(), saha_core::record::EditError>,
    ) -> Result<(), RepoError> {
        let index_id = self.0.index_id.get().ok_or(RepoError::NoIndex)?;
        self.ensure_loaded(&[index_id])
            .await
            .map_err(RepoError::Store)?;
        {
            let mut docs = self.0.docs.borrow_mut();
            let index = docs.get_mut(&index_id).ok_or(RepoError::NoIndex)?;
            change(&mut index.doc)?;
        }
        self.local_change(&[index_id])
            .await
            .map_err(RepoError::Store)
    }

    // ----- document numbers ------------------------------------------------------

    /// Takes the next number of `series` and `year` from this device's blocks, asking
    /// the server for a new block first when few are left (and it can be reached). The
    /// number is stored as used before it is returned, so it is never given twice.
    pub async fn take_number(&self, series: Series, year: i32) -> Result<String, NumberError> {
        if self.0.numbers.borrow().needs_refill(series, year) {
            let _ = self.refill_numbers(series, year).await;
        }
        let (number, book) = {
            let mut book = self.0.numbers.borrow_mut();
            let number = book.take(series, year).ok_or(NumberError::NoneLeft)?;
            (number, book.clone())
        };
        self.store_number_book(&book)
            .await
            .map_err(NumberError::Storage)?;
        Ok(number)
    }

    /// Asks the server for another block of `series` if this device has few left.
    pub async fn refill_numbers(&self, series: Series, year: i32) -> Result<(), String> {
        if !self.0.numbers.borrow().needs_refill(series, year) {
            return Ok(());
        }
        let block: saha_core::sales::numbering::NumberBlock = super::http::post(
            "/api/document-numbers",
            &saha_core::api::NumberRequest { year, series },
        )
        .await
        .map_err(|e| e.to_string())?;
        let book = {
            let mut book = self.0.numbers.borrow_mut();
            book.add(block);
            book.clone()
        };
        self.store_number_book(&book).await
    }

    /// Numbers a new quote or order from this device's blocks. One made while the
    /// device had none left (offline) stays unnumbered until [`Repo::number_waiting`].
    async fn number_new(&self, record: &mut Record) {
        let Record::Sales(document) = record else {
            return;
        };
        let Some(series) = Series::of_kind(&document.common.kind) else {
            return;
        };
        if series == Series::Invoice || !document.number.is_empty() {
            return;
        }
        let today = saha_core::sales::document::date_of(now_ms());
        let year = saha_core::sales::numbering::year_of(&today).unwrap_or(2026);
        match self.take_number(series, year).await {
            Ok(number) => document.number = number,
            Err(NumberError::NoneLeft) => {}
            Err(NumberError::Storage(e)) => leptos::logging::warn!("no number stored: {e}"),
        }
    }

    /// Gives numbers to the quotes and orders this device made while it had none left.
    /// Only this device's: the member's other devices (and the API) number their own, and
    /// two devices numbering one document would both change a number the rules let be
    /// set once, leaving one of them with a change the server never takes.
    async fn number_waiting(&self) -> Result<(), RepoError> {
        let ours = self.0.unnumbered.borrow().clone();
        if ours.is_empty() {
            return Ok(());
        }
        let waiting: Vec<(DocumentId, Record)> = self.0.records.with_untracked(|records| {
            ours.iter()
                .filter_map(|id| Some((*id, records.get(id)?.record.clone())))
                .filter(|(_, record)| matches!(record, Record::Sales(d) if d.number.is_empty()))
                .collect()
        });
        // Numbered meanwhile (or gone): no longer waiting.
        self.0
            .unnumbered
            .borrow_mut()
            .retain(|id| waiting.iter().any(|(w, _)| w == id));
        let mut numbered = Vec::new();
        for (id, mut record) in waiting {
            self.number_new(&mut record).await;
            if matches!(&record, Record::Sales(d) if !d.number.is_empty()) {
                numbered.push((id, record));
            }
        }
        if !numbered.is_empty() {
            let done: Vec<DocumentId> = numbered.iter().map(|(id, _)| *id).collect();
            self.save(Vec::new(), numbered).await?;
            self.0
                .unnumbered
                .borrow_mut()
                .retain(|id| !done.contains(id));
        }
        self.store_unnumbered().await.map_err(RepoError::Store)
    }

    async fn store_unnumbered(&self) -> Result<(), String> {
        let value = self
            .0
            .unnumbered
            .borrow()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.0
            .store
            .write(
                vec![Write::Meta {
                    key: META_UNNUMBERED.into(),
                    value,
                }],
                true,
            )
            .await
            .map_err(|e| e.0)
    }

    async fn store_number_book(&self, book: &NumberBook) -> Result<(), String> {
        let value = serde_json::to_string(book).map_err(|e| e.to_string())?;
        self.0
            .store
            .write(
                vec![Write::Meta {
                    key: META_NUMBER_BOOK.into(),
                    value,
                }],
                true,
            )
            .await
            .map_err(|e| e.0)
    }

    async fn local_change(&self, ids: &[DocumentId]) -> Result<(), String> {
        {
            let mut unconfirmed = self.0.unconfirmed.borrow_mut();
            unconfirmed.extend(ids.iter().copied());
            self.0.pending.set(unconfirmed.len());
        }
        self.0.dirty.borrow_mut().extend(ids.iter().copied());
        let result = self.flush(true).await;
        // Offer the change to the server even if the local write failed: it is in memory.
        // A write of many documents (an import) lets eviction drop settled ones before
        // they are offered: those are loaded again, a batch at a time.
        // Offline, nothing is loaded for it: the next connection offers what is
        // unconfirmed.
        let online = self
            .0
            .link
            .borrow()
            .as_ref()
            .is_some_and(|l| l.conn.is_ready());
        let offered = if online {
            self.offer_stored(ids).await
        } else {
            Ok(())
        };
        result.map_err(|e| e.0)?;
        offered
    }

    /// Lists `new` records (just made on this device, so not listed yet) in the index,
    /// in one change, from the records in hand; returns the index ID if it changed.
    fn list_new(&self, new: &[(DocumentId, Record)]) -> Option<DocumentId> {
        let index_id = self.0.index_id.get()?;
        let mut docs = self.0.docs.borrow_mut();
        let index = docs.get_mut(&index_id)?;
        if !workspace::is_ready(&index.doc) {
            return None;
        }
        // Only records shared by the workspace (see `register_unlisted`).
        let shared = new.iter().filter_map(|(id, record)| {
            let common = record.common();
            (KINDS.contains(&common.kind.as_str()) && common.team.is_empty()).then_some((
                *id,
                common.kind.as_str(),
                common.created_at,
            ))
        });
        match workspace::add_records(&mut index.doc, shared) {
            Ok(added) => (added > 0).then_some(index_id),
            Err(e) => {
                leptos::logging::error!("could not list new records in the index: {e}");
                None
            }
        }
    }

    /// Lists in the index those of `candidates` that are records it does not list yet
    /// (made before the index arrived, or on a device that stopped between the two
    /// writes). Returns the index ID if the index changed.
    fn register_unlisted(&self, candidates: &[DocumentId]) -> Option<DocumentId> {
        let index_id = self.0.index_id.get()?;
        let mut docs = self.0.docs.borrow_mut();
        // One lookup per candidate: an import's batch must not walk the whole index.
        let listed = |id: &DocumentId| -> Option<bool> {
            let index = docs.get(&index_id)?;
            workspace::is_ready(&index.doc).then(|| workspace::lists(&index.doc, *id))
        };
        // No usable index yet: nothing to list in.
        listed(&index_id)?;
        let unlisted: Vec<(DocumentId, String, i64)> = candidates
            .iter()
            .filter(|id| **id != index_id && listed(id) == Some(false))
            .filter_map(|id| {
                // The loaded document (a record just made), else what the read model
                // shows of it (in the lists or the bin): no document is loaded for it.
                let record = match docs.get(id) {
                    Some(local) => Record::read(&local.doc)?.ok()?,
                    None => self.record(*id).or_else(|| self.deleted_record(*id))?,
                };
                let common = record.common().clone();
                // The index lists only records shared by the workspace: an entry names
                // a record to every member, and team records are not theirs to know
                // (the server refuses such entries; members get them by the feed).
                (KINDS.contains(&common.kind.as_str()) && common.team.is_empty()).then_some((
                    *id,
                    common.kind,
                    common.created_at,
                ))
            })
            .collect();
        let index = docs.get_mut(&index_id)?;
        // One change of the index for the whole batch.
        let added = workspace::add_records(
            &mut index.doc,
            unlisted
                .iter()
                .map(|(id, kind, created)| (*id, kind.as_str(), *created)),
        );
        match added {
            Ok(added) => (added > 0).then_some(index_id),
            Err(e) => {
                leptos::logging::error!(
                    "could not list {} records in the index: {e}",
                    unlisted.len()
                );
                None
            }
        }
    }

    // ----- views -------------------------------------------------------------------

    /// Puts read-model entries on the screens: records into the lists and search (or the
    /// bin, when deleted), the index's settings into theirs; and notes each document's
    /// stored heads.
    fn show(&self, entries: Vec<(DocumentId, Entry)>) {
        let index_id = self.0.index_id.get();
        let mut updates = Vec::new();
        {
            let mut stored = self.0.stored.borrow_mut();
            for (id, entry) in entries {
                let heads = entry.change_hashes();
                let same_heads = stored.get(&id) == Some(&heads);
                stored.insert(id, heads);
                match entry.projection {
                    Projection::Record(record) => {
                        // The same document shown again (loaded to be opened, a sync
                        // round that brought nothing new) keeps its view: pages on it
                        // are not drawn again, so an open sheet or a half-typed field
                        // stays. (Only this function changes the stored heads.)
                        let shown = self.0.records.with_untracked(|m| m.contains_key(&id))
                            || self.0.bin.with_untracked(|b| b.contains_key(&id));
                        if same_heads && shown {
                            continue;
                        }
                        let rev = self.0.revisions.get() + 1;
                        self.0.revisions.set(rev);
                        updates.push(RecordView {
                            id,
                            key: id.to_string(),
                            kind: record.kind(),
                            record,
                            rev,
                        });
                    }
                    Projection::Workspace(settings) if Some(id) == index_id => {
                        if self.0.pipeline.with_untracked(|p| *p != settings.pipeline) {
                            self.0.pipeline.set(settings.pipeline);
                        }
                        if self.0.service.with_untracked(|s| *s != settings.service) {
                            self.0.service.set(settings.service);
                        }
                        if self.0.company.with_untracked(|c| *c != settings.company) {
                            self.0.company.set(settings.company);
                        }
                    }
                    _ => {}
                }
            }
        }
        if updates.is_empty() {
            return;
        }
        // A deleted record leaves every view, search included, for the bin.
        let (deleted, live): (Vec<RecordView>, Vec<RecordView>) = updates
            .into_iter()
            .partition(|v| v.record.common().is_deleted());
        {
            let mut search = self.0.search.borrow_mut();
            for view in &live {
                search.set(view.id, &view.record.title(), &view.record.search_words());
            }
            for view in &deleted {
                search.remove(view.id);
            }
        }
        self.0.search_version.update(|v| *v += 1);
        let mut sales_changed = false;
        {
            let mut sales = self.0.sales.borrow_mut();
            for view in &live {
                if let Some(document) = as_sale_document(&view.record) {
                    sales.upsert(&view.id.to_string(), view.rev, document);
                    sales_changed = true;
                }
            }
            for view in &deleted {
                if as_sale_document(&view.record).is_some() {
                    sales.remove(&view.id.to_string());
                    sales_changed = true;
                }
            }
        }
        if sales_changed {
            self.0.sales_version.update(|v| *v += 1);
        }
        let in_bin = |id: &DocumentId| self.0.bin.with_untracked(|b| b.contains_key(id));
        if !deleted.is_empty() || live.iter().any(|v| in_bin(&v.id)) {
            self.0.bin.update(|bin| {
                for view in &live {
                    bin.remove(&view.id);
                }
                for view in &deleted {
                    bin.insert(view.id, view.clone());
                }
            });
        }
        self.0.records.update(|map| {
            for view in &deleted {
                map.remove(&view.id);
            }
            for view in live {
                map.insert(view.id, view);
            }
        });
    }

    // ----- loading documents on demand -------------------------------------------

    /// Loads those of `ids` that are not in memory (one IndexedDB transaction); a
    /// document with nothing stored starts empty. Marks all of them used.
    async fn ensure_loaded(&self, ids: &[DocumentId]) -> Result<(), String> {
        let now = self.0.clock.get() + 1;
        self.0.clock.set(now);
        let wanted: Vec<DocumentId> = {
            let mut docs = self.0.docs.borrow_mut();
            let stored = self.0.stored.borrow();
            let mut wanted = Vec::new();
            for id in ids {
                if let Some(local) = docs.get_mut(id) {
                    local.used = now;
                } else if stored.contains_key(id) {
                    wanted.push(*id);
                } else {
                    // Nothing stored: nothing to read.
                    docs.insert(
                        *id,
                        LocalDoc {
                            used: now,
                            ..LocalDoc::empty()
                        },
                    );
                }
            }
            wanted
        };
        if wanted.is_empty() {
            return Ok(());
        }
        {
            let mut loading = self.0.loading.borrow_mut();
            for id in &wanted {
                *loading.entry(*id).or_default() += 1;
            }
        }
        let read = self.0.store.load_docs(&wanted).await;
        {
            let mut loading = self.0.loading.borrow_mut();
            for id in &wanted {
                if let Some(n) = loading.get_mut(id) {
                    *n -= 1;
                    if *n == 0 {
                        loading.remove(id);
                    }
                }
            }
        }
        let read = read.map_err(|e| e.0)?;
        let mut failed = None;
        {
            let mut docs = self.0.docs.borrow_mut();
            let mut confirmed = self.0.confirmed.borrow_mut();
            for stored in read {
                // Loaded by another caller meanwhile: theirs may already have changes.
                if docs.contains_key(&stored.id) {
                    continue;
                }
                let doc = if stored.chunks.is_empty() {
                    Automerge::new()
                } else {
                    match Automerge::load(&stored.chunks.concat()) {
                        Ok(doc) => doc,
                        Err(e) => {
                            failed = Some(format!("document {} does not load: {e}", stored.id));
                            continue;
                        }
                    }
                };
                self.0.loads.set(self.0.loads.get() + 1);
                let server_has = confirmed.remove(&stored.id).unwrap_or_default();
                docs.insert(
                    stored.id,
                    LocalDoc {
                        saved_heads: doc.get_heads(),
                        doc,
                        next_seq: stored.next_seq,
                        confirmed: server_has.clone(),
                        confirmed_saved: server_has,
                        used: now,
                        written: None,
                    },
                );
            }
        }
        self.report_loads();
        failed.map_or(Ok(()), Err)
    }

    /// Drops the least recently used settled documents past [`MAX_LOADED`], down to
    /// three quarters of it (never the index, nor one with unsaved changes; one the
    /// server has not confirmed yet is loaded again to be offered or to answer it).
    fn evict(&self) {
        let mut docs = self.0.docs.borrow_mut();
        if docs.len() <= MAX_LOADED {
            return;
        }
        let index_id = self.0.index_id.get();
        let dirty = self.0.dirty.borrow();
        let mut settled: Vec<(u64, DocumentId)> = docs
            .iter()
            .filter(|(id, local)| {
                Some(**id) != index_id && !dirty.contains(*id) && local.is_settled()
            })
            .map(|(id, local)| (local.used, *id))
            .collect();
        settled.sort_unstable();
        let excess = docs.len().saturating_sub(MAX_LOADED * 3 / 4);
        let mut confirmed = self.0.confirmed.borrow_mut();
        for (_, id) in settled.into_iter().take(excess) {
            if let Some(local) = docs.remove(&id)
                && !local.confirmed.is_empty()
            {
                confirmed.insert(id, local.confirmed);
            }
        }
    }

    /// Whether the server has confirmed everything this device has of `id`, loaded or
    /// not (for one not loaded, by the heads of its read-model entry).
    fn is_confirmed(&self, id: &DocumentId) -> bool {
        if let Some(local) = self.0.docs.borrow().get(id) {
            return local.is_confirmed();
        }
        let confirmed = self.0.confirmed.borrow();
        let server_has = confirmed.get(id).map(Vec::as_slice).unwrap_or(&[]);
        self.0
            .stored
            .borrow()
            .get(id)
            .is_none_or(|heads| heads.iter().all(|h| server_has.contains(h)))
    }

    /// Publishes how many documents this page has loaded, and how many are in memory.
    fn report_loads(&self) {
        let report = js_sys::Object::new();
        for (key, value) in [
            ("loaded", self.0.loads.get() as f64),
            ("in_memory", self.0.docs.borrow().len() as f64),
        ] {
            let _ = js_sys::Reflect::set(&report, &key.into(), &value.into());
        }
        let _ = js_sys::Reflect::set(&js_sys::global(), &"__saha_documents".into(), &report);
    }

    // ----- persistence -------------------------------------------------------------

    fn schedule_flush(&self) {
        if self.0.flush_scheduled.replace(true) {
            return;
        }
        let repo = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // Let a burst of incoming messages gather into one transaction.
            gloo_timers::future::TimeoutFuture::new(30).await;
            repo.0.flush_scheduled.set(false);
            if let Err(e) = repo.flush(false).await {
                leptos::logging::error!("could not store synced changes: {e}");
            }
        });
    }

    /// Writes every dirty document's new changes with its new read-model entry in one
    /// transaction, and shows the entries at once (before the write completes).
    async fn flush(&self, durable: bool) -> Result<(), StoreError> {
        let ids: Vec<DocumentId> = self.0.dirty.borrow_mut().drain().collect();
        let mut batch = Vec::new();
        let mut undo = Vec::new();
        let mut entries = Vec::new();
        {
            let mut docs = self.0.docs.borrow_mut();
            for id in &ids {
                let Some(local) = docs.get_mut(id) else {
                    continue;
                };
                let heads = local.doc.get_heads();
                if heads != local.saved_heads {
                    undo.push((*id, local.saved_heads.clone(), local.next_seq));
                    if local.next_seq >= COMPACT_AFTER_CHUNKS {
                        batch.push(Write::Snapshot {
                            doc: *id,
                            bytes: local.doc.save(),
                        });
                        local.next_seq = 1;
                    } else {
                        batch.push(Write::Chunk {
                            doc: *id,
                            seq: local.next_seq,
                            bytes: local.doc.save_after(&local.saved_heads),
                        });
                        local.next_seq += 1;
                    }
                    let entry = match local.written.take() {
                        Some(record) => Entry::of_written(&local.doc, record),
                        None => Entry::of(&local.doc),
                    };
                    batch.push(Write::Entry {
                        doc: *id,
                        row: entry.encode(),
                    });
                    entries.push((*id, entry));
                    local.saved_heads = heads;
                }
                if local.confirmed != local.confirmed_saved {
                    batch.push(Write::Synced {
                        doc: *id,
                        heads: heads_to_text(&local.confirmed),
                    });
                    local.confirmed_saved = local.confirmed.clone();
                }
            }
        }
        self.show(entries);
        match self.0.store.write(batch, durable).await {
            Ok(()) => {
                self.0.storage_error.set(None);
                self.evict();
                Ok(())
            }
            Err(e) => {
                // Nothing is lost: the changes are still in memory; retry them next time.
                let mut docs = self.0.docs.borrow_mut();
                for (id, saved, seq) in undo {
                    if let Some(local) = docs.get_mut(&id) {
                        local.saved_heads = saved;
                        local.next_seq = seq;
                        local.confirmed_saved.clear();
                    }
                }
                self.0.dirty.borrow_mut().extend(ids);
                self.0.storage_error.set(Some(e.0.clone()));
                Err(e)
            }
        }
    }

    // ----- sync ----------------------------------------------------------------------

    /// Sends the next sync message of each loaded document to the server, if connected.
    fn offer(&self, ids: &[DocumentId]) {
        let mut link = self.0.link.borrow_mut();
        let Some(link) = link.as_mut().filter(|l| l.conn.is_ready()) else {
            return;
        };
        let docs = self.0.docs.borrow();
        for id in ids {
            if let Some(local) = docs.get(id)
                && let Some(msg) = link.conn.generate(*id, &local.doc)
            {
                link.send(&msg);
            }
        }
    }

    /// Offers documents that may not be loaded: loads them [`LOAD_BATCH`] at a time,
    /// offers each batch and lets eviction drop them again.
    async fn offer_stored(&self, ids: &[DocumentId]) -> Result<(), String> {
        for batch in ids.chunks(LOAD_BATCH) {
            self.ensure_loaded(batch).await?;
            self.offer(batch);
            self.evict();
        }
        Ok(())
    }

    pub fn set_connectivity(&self, state: Connectivity) {
        if self.0.connectivity.get_untracked() != state {
            self.0.connectivity.set(state);
            // Back online: the files taken meanwhile go up.
            if state == Connectivity::Online {
                wasm_bindgen_futures::spawn_local(super::files::upload_queued(self.clone()));
            }
        }
    }

    /// Takes a new connection (before its handshake).
    pub fn attach(&self, link: Link) {
        *self.0.link.borrow_mut() = Some(link);
    }

    /// Drops the connection; its sync states go with it.
    pub fn detach(&self) {
        if let Some(link) = self.0.link.borrow_mut().take() {
            let _ = link.ws.close();
        }
        self.set_connectivity(Connectivity::Offline);
    }

    /// Handles one frame from the server, loading the document it is about first if
    /// needed. An `Err` means the connection must close.
    pub async fn receive(&self, bytes: &[u8]) -> Result<(), String> {
        let msg = Message::decode(bytes).map_err(|e| e.to_string())?;
        let ready = {
            let mut link = self.0.link.borrow_mut();
            let link = link.as_mut().ok_or("no connection")?;
            if link.conn.is_ready() {
                true
            } else {
                link.conn.handshake(&msg).map_err(|e| e.to_string())?;
                false
            }
        };
        if !ready {
            self.set_connectivity(Connectivity::Online);
            // The connection follows the workspace from now on; the change feed brings
            // what changed before, in bulk. Then only this device's unconfirmed changes
            // need the protocol. (Without the feed, every document is offered.)
            let repo = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let fed = repo.catch_up().await;
                // Documents erased on the server go before anything is offered: the
                // server would refuse changes to them anyway.
                if let Err(e) = repo.take_erasures().await {
                    leptos::logging::warn!("sync: erased documents not dropped yet: {e}");
                }
                let ids: Vec<DocumentId> = match fed {
                    Ok(()) => repo.0.unconfirmed.borrow().iter().copied().collect(),
                    Err(e) => {
                        leptos::logging::warn!("sync: change feed failed, offering all: {e}");
                        repo.0.stored.borrow().keys().copied().collect()
                    }
                };
                if let Err(e) = repo.offer_stored(&ids).await {
                    leptos::logging::warn!("sync: could not offer local changes: {e}");
                }
                repo.discover();
            });
            if self.0.access.role.can_write() {
                // Keep document numbers on the device for the next time it is offline,
                // and number what was made while it had none.
                let repo = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let today = saha_core::sales::document::date_of(now_ms());
                    let Some(year) = saha_core::sales::numbering::year_of(&today) else {
                        return;
                    };
                    for series in Series::ALL {
                        if let Err(e) = repo.refill_numbers(series, year).await {
                            leptos::logging::warn!("no {} numbers reserved: {e}", series.code());
                        }
                    }
                    if let Err(e) = repo.number_waiting().await {
                        leptos::logging::warn!("waiting documents not numbered: {e:?}");
                    }
                });
            }
            return Ok(());
        }
        match msg {
            Message::Sync(m) | Message::Request(m) => {
                self.ensure_loaded(&[m.document_id]).await?;
                self.apply(m)
            }
            Message::DocUnavailable { document_id, .. } => {
                // Not there yet, or not shared with this member: either way, nothing
                // to wait for. If it becomes available the server sends it.
                self.0.hidden.borrow_mut().insert(document_id);
                if self.0.awaited.borrow_mut().remove(&document_id) {
                    self.0.missing.set(self.0.awaited.borrow().len());
                }
                Ok(())
            }
            Message::Error { message } => Err(format!("the server reported: {message}")),
            Message::Ignored { .. } => Ok(()),
            other => Err(format!("unexpected {} message", other.kind())),
        }
    }

    /// Applies a sync message to its (loaded) document.
    fn apply(&self, m: saha_protocol::wire::DocMessage) -> Result<(), String> {
        let id = m.document_id;
        let (changed, confirmed_now, confirmation_moved) = {
            let mut link = self.0.link.borrow_mut();
            let link = link.as_mut().ok_or("no connection")?;
            let mut docs = self.0.docs.borrow_mut();
            let local = docs.entry(id).or_insert_with(LocalDoc::empty);
            let applied = link
                .conn
                .receive(&mut local.doc, &m)
                .map_err(|e| e.to_string())?;
            if let Some(reply) = link.conn.generate(id, &local.doc) {
                link.send(&reply);
            }
            let confirmed_now = link.conn.peer_has_all(&id, &local.doc);
            let mut confirmation_moved = false;
            if confirmed_now {
                let heads = local.doc.get_heads();
                if local.confirmed != heads {
                    local.confirmed = heads;
                    confirmation_moved = true;
                }
            }
            (applied.changed, confirmed_now, confirmation_moved)
        };
        {
            let mut unconfirmed = self.0.unconfirmed.borrow_mut();
            let was_pending = if confirmed_now {
                unconfirmed.remove(&id)
            } else {
                false
            };
            if was_pending {
                self.0.pending.set(unconfirmed.len());
            }
        }
        // Only schedule a write when there is something to write: most frames are
        // acknowledgements that change neither the document nor what is confirmed.
        // The write projects the document's new read-model entry and shows it.
        if changed || confirmation_moved {
            self.0.dirty.borrow_mut().insert(id);
            self.schedule_flush();
        }
        if changed {
            if self.0.awaited.borrow_mut().remove(&id) {
                self.0.missing.set(self.0.awaited.borrow().len());
            }
            self.0.hidden.borrow_mut().remove(&id);
            if Some(id) == self.0.index_id.get() {
                self.discover();
            }
        }
        Ok(())
    }

    /// Drops documents erased on the server (a person's erasure, KVKK) from this
    /// device: from memory, every list, search and report, and from IndexedDB — their
    /// chunks, read-model entries and confirmed heads, in one transaction. Local
    /// changes to them that were never sent go too: the server refuses them. Returns
    /// how many of them this device held.
    pub async fn purge(&self, ids: &[DocumentId]) -> Result<usize, String> {
        let held: Vec<DocumentId> = ids
            .iter()
            .filter(|id| {
                self.0.stored.borrow().contains_key(id)
                    || self.0.docs.borrow().contains_key(id)
                    || self.0.records.with_untracked(|m| m.contains_key(id))
                    || self.0.bin.with_untracked(|b| b.contains_key(id))
            })
            .copied()
            .collect();
        {
            let mut hidden = self.0.hidden.borrow_mut();
            let mut awaited = self.0.awaited.borrow_mut();
            for id in ids {
                // Still listed somewhere (a stale index): not awaited, not shown.
                hidden.insert(*id);
                awaited.remove(id);
            }
            self.0.missing.set(awaited.len());
        }
        if held.is_empty() {
            return Ok(0);
        }
        {
            let mut docs = self.0.docs.borrow_mut();
            let mut stored = self.0.stored.borrow_mut();
            let mut confirmed = self.0.confirmed.borrow_mut();
            let mut dirty = self.0.dirty.borrow_mut();
            let mut unconfirmed = self.0.unconfirmed.borrow_mut();
            let mut search = self.0.search.borrow_mut();
            let mut sales = self.0.sales.borrow_mut();
            for id in &held {
                docs.remove(id);
                stored.remove(id);
                confirmed.remove(id);
                dirty.remove(id);
                unconfirmed.remove(id);
                search.remove(*id);
                sales.remove(&id.to_string());
            }
            self.0.pending.set(unconfirmed.len());
        }
        self.0.search_version.update(|v| *v += 1);
        self.0.sales_version.update(|v| *v += 1);
        self.0.records.update(|map| {
            for id in &held {
                map.remove(id);
            }
        });
        self.0.bin.update(|bin| {
            for id in &held {
                bin.remove(id);
            }
        });
        self.0
            .store
            .write(
                held.iter().map(|doc| Write::Purge { doc: *doc }).collect(),
                true,
            )
            .await
            .map_err(|e| e.to_string())?;
        Ok(held.len())
    }

    /// Asks the server which documents were erased since this device last asked,
    /// drops them ([`Repo::purge`]) and tells the server it did, with this device's
    /// own ID.
    pub async fn take_erasures(&self) -> Result<usize, String> {
        // Read as plain JSON: typed answers would cost the main module kilobytes
        // (BENCHMARKS.md); the fields are those of `saha_core::privacy::erasure::ErasedDoc`.
        let since = self.0.erased_cursor.get();
        let erased: serde_json::Value =
            super::http::get(&format!("/api/sync/erased?since={since}"))
                .await
                .map_err(|e| e.to_string())?;
        let erased = erased.as_array().map(Vec::as_slice).unwrap_or_default();
        let Some(up_to) = erased.iter().filter_map(|e| e["erasedAt"].as_i64()).max() else {
            return Ok(0);
        };
        let ids: Vec<DocumentId> = erased
            .iter()
            .filter_map(|e| e["id"].as_str()?.parse().ok())
            .collect();
        let dropped = self.purge(&ids).await?;
        let device = self.device_id().await?;
        self.0
            .store
            .write(
                vec![Write::Meta {
                    key: META_ERASED_CURSOR.into(),
                    value: up_to.to_string(),
                }],
                true,
            )
            .await
            .map_err(|e| e.to_string())?;
        self.0.erased_cursor.set(up_to);
        // A `saha_core::privacy::erasure::PurgeAck`.
        let ack = serde_json::json!({ "device": device, "upTo": up_to });
        super::http::post::<_, serde_json::Value>("/api/sync/erased", &ack)
            .await
            .map_err(|e| e.to_string())?;
        Ok(dropped)
    }

    /// This device's own ID, made and stored on first use.
    async fn device_id(&self) -> Result<String, String> {
        if let Some(id) = self.0.device.borrow().clone() {
            return Ok(id);
        }
        let id = DocumentId::random().to_string();
        self.0
            .store
            .write(
                vec![Write::Meta {
                    key: META_DEVICE.into(),
                    value: id.clone(),
                }],
                true,
            )
            .await
            .map_err(|e| e.to_string())?;
        *self.0.device.borrow_mut() = Some(id.clone());
        Ok(id)
    }

    /// Takes in everything the server stored since this device's feed cursor
    /// (`GET /api/sync/changes`): documents are merged as they stream in and written to
    /// IndexedDB [`FEED_BATCH`] at a time, one transaction each, while
    /// [`Repo::download`] counts them for the progress bar. The cursor moves only when
    /// the whole stream arrived.
    pub async fn catch_up(&self) -> Result<(), String> {
        let started = js_sys::Date::now();
        let since = self.0.feed_cursor.get();
        self.0.feeding.set(true);
        let mut reader = saha_protocol::feed::FeedReader::new();
        let mut batch: Vec<(DocumentId, Vec<u8>)> = Vec::new();
        let mut cursor = None;
        let (mut received, mut total, mut batches) = (0u64, 0u64, 0u32);
        let result = super::http::get_stream(
            &format!("/api/sync/changes?since={since}"),
            async |chunk: Vec<u8>| {
                for item in reader.push(&chunk).map_err(|e| e.to_string())? {
                    match item {
                        saha_protocol::feed::FeedItem::Header {
                            cursor: c,
                            total: t,
                        } => {
                            cursor = Some(c);
                            total = t;
                            if t > 0 {
                                self.0.download.set(Some((0, t)));
                            }
                        }
                        saha_protocol::feed::FeedItem::Document { id, bytes } => {
                            batch.push((id, bytes));
                            received += 1;
                            if batch.len() >= FEED_BATCH {
                                self.take_in(std::mem::take(&mut batch)).await?;
                                batches += 1;
                                self.0.download.set(Some((received, total.max(received))));
                            }
                        }
                        saha_protocol::feed::FeedItem::End => {}
                    }
                }
                Ok(())
            },
        )
        .await;
        let rest = if batch.is_empty() {
            Ok(())
        } else {
            batches += 1;
            self.take_in(batch).await
        };
        self.0.download.set(None);
        self.0.feeding.set(false);
        if self.0.discover_deferred.take() {
            self.discover();
        }
        result.map_err(|e| e.to_string())?;
        rest?;
        let Some(cursor) = cursor.filter(|_| reader.is_complete()) else {
            return Err("the change feed ended early".into());
        };
        if cursor != since {
            self.0
                .store
                .write(
                    vec![Write::Meta {
                        key: META_FEED_CURSOR.into(),
                        value: cursor.to_string(),
                    }],
                    true,
                )
                .await
                .map_err(|e| e.to_string())?;
            self.0.feed_cursor.set(cursor);
        }
        // For the benchmarks and tests: what the last catch-up took in.
        let report = js_sys::Object::new();
        for (key, value) in [
            ("since", since as f64),
            ("cursor", cursor as f64),
            ("documents", received as f64),
            ("transactions", batches as f64),
            ("ms", js_sys::Date::now() - started),
        ] {
            let _ = js_sys::Reflect::set(&report, &key.into(), &value.into());
        }
        let _ = js_sys::Reflect::set(&js_sys::global(), &"__saha_feed".into(), &report);
        Ok(())
    }

    /// Takes in documents from the change feed, in one transaction. A document that
    /// holds everything this device has of it (by the heads in its read-model entry,
    /// [`read_model::feed_action`]) and is not loaded is stored as it came with its
    /// entry, and dropped; any other is merged into the device's copy, loaded for it.
    async fn take_in(&self, incoming: Vec<(DocumentId, Vec<u8>)>) -> Result<(), String> {
        let index = self.0.index_id.get();
        let mut ids = Vec::with_capacity(incoming.len());
        let mut replaced = Vec::new();
        let mut entries = Vec::new();
        let mut to_merge = Vec::new();
        for (id, bytes) in incoming {
            let server = match Automerge::load(&bytes) {
                Ok(doc) => doc,
                Err(e) => {
                    leptos::logging::warn!("feed: document {id} does not load: {e}");
                    continue;
                }
            };
            let in_memory =
                self.0.docs.borrow().contains_key(&id) || self.0.loading.borrow().contains_key(&id);
            let local_heads = self.0.stored.borrow().get(&id).cloned().unwrap_or_default();
            if in_memory || read_model::feed_action(&local_heads, &server) == FeedAction::Merge {
                to_merge.push((id, server));
                continue;
            }
            let heads = server.get_heads();
            let entry = Entry::of(&server);
            replaced.push(Write::Snapshot { doc: id, bytes });
            replaced.push(Write::Entry {
                doc: id,
                row: entry.encode(),
            });
            replaced.push(Write::Synced {
                doc: id,
                heads: heads_to_text(&heads),
            });
            self.0.confirmed.borrow_mut().insert(id, heads);
            entries.push((id, entry));
            ids.push(id);
        }
        // Stored as they came (the server has them: relaxed durability), then shown.
        self.0
            .store
            .write(replaced, false)
            .await
            .map_err(|e| e.to_string())?;
        self.show(entries);
        let merging: Vec<DocumentId> = to_merge.iter().map(|(id, _)| *id).collect();
        self.ensure_loaded(&merging).await?;
        {
            let mut docs = self.0.docs.borrow_mut();
            for (id, mut server) in to_merge {
                let server_heads = server.get_heads();
                let local = docs.entry(id).or_insert_with(LocalDoc::empty);
                if local.doc.get_heads().is_empty() {
                    local.doc = server;
                } else if let Err(e) = local.doc.merge(&mut server) {
                    leptos::logging::warn!("feed: document {id} does not merge: {e}");
                    continue;
                }
                // The server holds these; anything beyond is this device's to send.
                local.confirmed = server_heads;
                self.0.dirty.borrow_mut().insert(id);
                ids.push(id);
            }
        }
        {
            let mut unconfirmed = self.0.unconfirmed.borrow_mut();
            for id in &ids {
                if self.is_confirmed(id) {
                    unconfirmed.remove(id);
                } else {
                    unconfirmed.insert(*id);
                }
            }
            self.0.pending.set(unconfirmed.len());
            let mut awaited = self.0.awaited.borrow_mut();
            let mut hidden = self.0.hidden.borrow_mut();
            for id in &ids {
                awaited.remove(id);
                hidden.remove(id);
            }
            self.0.missing.set(awaited.len());
        }
        self.flush(true).await.map_err(|e| e.to_string())?;
        if index.is_some_and(|index| ids.contains(&index)) {
            self.discover();
        }
        Ok(())
    }

    /// After the index changed (or arrived): asks for records this device has not seen,
    /// and lists local records the index lacks. Loads the index first (once).
    fn discover(&self) {
        if self.0.feeding.get() {
            self.0.discover_deferred.set(true);
            return;
        }
        let Some(index_id) = self.0.index_id.get() else {
            return;
        };
        let repo = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = repo.ensure_loaded(&[index_id]).await {
                leptos::logging::warn!("the workspace index does not load: {e}");
                return;
            }
            repo.discover_loaded(index_id);
        });
    }

    fn discover_loaded(&self, index_id: DocumentId) {
        let (unseen, all_local): (Vec<DocumentId>, Vec<DocumentId>) = {
            let mut docs = self.0.docs.borrow_mut();
            let stored = self.0.stored.borrow();
            let listed = match docs.get(&index_id) {
                Some(index) => workspace::records(&index.doc),
                None => Vec::new(),
            };
            let unseen: Vec<DocumentId> = listed
                .into_iter()
                .map(|(id, _)| id)
                .filter(|id| !docs.contains_key(id) && !stored.contains_key(id))
                .collect();
            for id in &unseen {
                docs.insert(*id, LocalDoc::empty());
            }
            let mut awaited = self.0.awaited.borrow_mut();
            let hidden = self.0.hidden.borrow();
            awaited.clear();
            awaited.extend(
                docs.iter()
                    .filter(|(id, d)| {
                        d.doc.get_heads().is_empty()
                            && !hidden.contains(*id)
                            && stored.get(*id).is_none_or(Vec::is_empty)
                    })
                    .map(|(id, _)| *id),
            );
            self.0.missing.set(awaited.len());
            let mut all: HashSet<DocumentId> = stored.keys().copied().collect();
            all.extend(docs.keys().copied());
            (unseen, all.into_iter().collect())
        };
        self.offer(&unseen);
        if let Some(index) = self.register_unlisted(&all_local) {
            self.0.dirty.borrow_mut().insert(index);
            self.0.unconfirmed.borrow_mut().insert(index);
            self.0.pending.set(self.0.unconfirmed.borrow().len());
            self.schedule_flush();
            self.offer(&[index]);
        }
    }
}
