//! The read model against the documents it is projected from, under random
//! interleavings of what happens to a device: local edits, remote changes arriving by the
//! protocol (merged into the loaded document) or by the change feed (replacing or merged
//! with the stored one, by [`feed_action`]), evictions, restarts, a read model of another
//! version and a corrupted row.
//!
//! Each simulated device keeps what a browser keeps: the documents' bytes and the read
//! model's rows (the "disk"), and the documents it has loaded (memory). It follows the
//! rules the app follows: whoever writes a document's bytes writes its entry from the
//! document as written, and at start-up the rows are used only if their version matches
//! and [`check`] passes, else they are rebuilt from the bytes.

use std::collections::{BTreeMap, HashMap};

use automerge::Automerge;
use proptest::prelude::*;

use super::*;
use crate::kinds::Record;
use crate::record::EditContext;
use crate::sales::document::LineItem;

/// The documents of the simulated workspace: the index and records of several shapes.
const KINDS_USED: [&str; 5] = [workspace::KIND, "account", "quote", "case", "meeting"];

#[derive(Default)]
struct Device {
    /// Stored bytes per document.
    bytes: BTreeMap<DocumentId, Vec<u8>>,
    /// Stored read-model rows, and the version they were written by.
    rows: BTreeMap<DocumentId, String>,
    version: Option<String>,
    /// Documents in memory.
    loaded: HashMap<DocumentId, Automerge>,
    /// The in-memory read model, as the screens see it.
    view: HashMap<DocumentId, Entry>,
    /// Set when the test tampered with the disk; the next start must notice.
    tampered: bool,
    rebuilds: u32,
    /// Every change this device has stored per document: none may be lost.
    kept: HashMap<DocumentId, Vec<automerge::ChangeHash>>,
}

impl Device {
    fn start(&mut self) {
        self.loaded.clear();
        self.tampered = false;
        let current = version();
        let rows: Vec<(DocumentId, String)> = self
            .rows
            .iter()
            .map(|(id, row)| (*id, row.clone()))
            .collect();
        let stored: Vec<DocumentId> = self.bytes.keys().copied().collect();
        match load(&current, self.version.as_deref(), &rows, &stored) {
            Ok(entries) => self.view = entries,
            Err(_) => {
                // Rebuild: load, project, drop.
                self.rebuilds += 1;
                self.rows.clear();
                self.view.clear();
                for (id, bytes) in &self.bytes {
                    let entry = Entry::of(&Automerge::load(bytes).expect("stored bytes load"));
                    self.rows.insert(*id, entry.encode());
                    self.view.insert(*id, entry);
                }
                self.version = Some(current);
            }
        }
    }

    fn load_doc(&mut self, id: DocumentId) -> &mut Automerge {
        let bytes = self.bytes.get(&id).cloned();
        self.loaded.entry(id).or_insert_with(|| match bytes {
            Some(bytes) => Automerge::load(&bytes).expect("stored bytes load"),
            None => Automerge::new(),
        })
    }

    /// Stores a loaded document and its entry, as one write.
    fn store(&mut self, id: DocumentId) {
        let doc = &self.loaded[&id];
        let entry = Entry::of(doc);
        self.kept.entry(id).or_default().extend(doc.get_heads());
        self.bytes.insert(id, doc.save());
        self.rows.insert(id, entry.encode());
        self.view.insert(id, entry);
    }

    /// A document from the change feed.
    fn take_from_feed(&mut self, id: DocumentId, server_bytes: &[u8]) {
        let mut server = Automerge::load(server_bytes).expect("server bytes load");
        if let Some(local) = self.loaded.get_mut(&id) {
            local.merge(&mut server).expect("merges");
            self.store(id);
            return;
        }
        let local_heads = self
            .view
            .get(&id)
            .map(Entry::change_hashes)
            .unwrap_or_default();
        match feed_action(&local_heads, &server) {
            FeedAction::Replace => {
                let entry = Entry::of(&server);
                self.kept.entry(id).or_default().extend(server.get_heads());
                self.bytes.insert(id, server_bytes.to_vec());
                self.rows.insert(id, entry.encode());
                self.view.insert(id, entry);
            }
            FeedAction::Merge => {
                self.load_doc(id).merge(&mut server).expect("merges");
                self.store(id);
            }
        }
    }

    /// The invariant: the stored read model, and the one in memory, equal the projection
    /// of the stored documents.
    fn assert_consistent(&self) {
        assert_eq!(self.version.as_deref(), Some(version().as_str()));
        assert_eq!(
            self.rows.keys().collect::<Vec<_>>(),
            self.bytes.keys().collect::<Vec<_>>()
        );
        for (id, bytes) in &self.bytes {
            let expected = Entry::of(&Automerge::load(bytes).expect("loads"));
            let stored = Automerge::load(bytes).expect("loads");
            for change in self.kept.get(id).into_iter().flatten() {
                assert!(
                    stored.get_change_meta_by_hash(change).is_some(),
                    "{id} lost {change}"
                );
            }
            let row = Entry::decode(&self.rows[id]).expect("rows decode");
            assert_eq!(row, expected, "row of {id}");
            assert_eq!(self.view.get(id), Some(&expected), "view of {id}");
        }
    }
}

fn edit(doc: &mut Automerge, device: usize, n: u8) {
    if crate::record::value::get_string(doc, &automerge::ROOT, "kind").as_deref()
        == Some(workspace::KIND)
    {
        workspace::add_record(doc, DocumentId::random(), "account", i64::from(n))
            .expect("index ready");
        return;
    }
    let mut record = Record::read(doc).expect("a record").expect("reads");
    record.common_mut().notes = format!("not {device}/{n}");
    match &mut record {
        Record::Account(a) => a.name = format!("Şirket {n}"),
        Record::Sales(q) => {
            q.lines.insert(
                format!("l{device}-{n}"),
                LineItem {
                    position: i64::from(n),
                    description: format!("Kalem {n}"),
                    quantity: "2".into(),
                    unit_price: "10,50".into(),
                    vat: 20,
                    ..LineItem::default()
                },
            );
        }
        Record::Case(c) => c.subject = format!("Şikâyet {n}"),
        Record::Meeting(m) => m.title = format!("Toplantı {n}"),
        _ => {}
    }
    record.write(doc).expect("writes");
}

#[derive(Debug, Clone)]
enum Step {
    /// Device edits document `doc` (loading it if needed).
    Edit {
        device: usize,
        doc: usize,
        n: u8,
    },
    /// The other device's copy of `doc` arrives by the protocol (merged into the loaded
    /// document).
    Protocol {
        to: usize,
        doc: usize,
    },
    /// The other device's copy arrives by the change feed.
    Feed {
        to: usize,
        doc: usize,
    },
    /// The device drops its loaded documents (memory tight).
    Evict {
        device: usize,
    },
    Restart {
        device: usize,
    },
    /// The stored read model is of another version.
    OldVersion {
        device: usize,
    },
    /// One stored row is garbage, or missing.
    Corrupt {
        device: usize,
        doc: usize,
        remove: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let device = 0..2usize;
    let doc = 0..KINDS_USED.len();
    prop_oneof![
        4 => (device.clone(), doc.clone(), any::<u8>()).prop_map(|(device, doc, n)| Step::Edit { device, doc, n }),
        2 => (device.clone(), doc.clone()).prop_map(|(to, doc)| Step::Protocol { to, doc }),
        2 => (device.clone(), doc.clone()).prop_map(|(to, doc)| Step::Feed { to, doc }),
        1 => device.clone().prop_map(|device| Step::Evict { device }),
        1 => device.clone().prop_map(|device| Step::Restart { device }),
        1 => device.clone().prop_map(|device| Step::OldVersion { device }),
        1 => (device, doc, any::<bool>()).prop_map(|(device, doc, remove)| Step::Corrupt { device, doc, remove }),
    ]
}

/// Two devices that share the starting documents (as after a first sync).
fn devices() -> ([Device; 2], Vec<DocumentId>) {
    let ctx = EditContext::new("owner", 1);
    let mut ids = Vec::new();
    let mut bytes = BTreeMap::new();
    for kind in KINDS_USED {
        let doc = if kind == workspace::KIND {
            workspace::create("Anadolu").expect("index")
        } else {
            Record::blank(kind, &ctx)
                .expect("known kind")
                .create()
                .expect("created")
        };
        let id = DocumentId::random();
        ids.push(id);
        bytes.insert(id, doc.save());
    }
    let make = || {
        let mut device = Device {
            bytes: bytes.clone(),
            ..Device::default()
        };
        device.start();
        device
    };
    ([make(), make()], ids)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn read_model_equals_the_projection_of_the_documents(steps in prop::collection::vec(step(), 1..40)) {
        let (mut devices, ids) = devices();
        for step in steps {
            match step {
                Step::Edit { device, doc, n } => {
                    let d = &mut devices[device];
                    edit(d.load_doc(ids[doc]), device, n);
                    d.store(ids[doc]);
                }
                Step::Protocol { to, doc } => {
                    let id = ids[doc];
                    let Some(theirs) = devices[1 - to].bytes.get(&id).cloned() else { continue };
                    let mut theirs = Automerge::load(&theirs).expect("loads");
                    let d = &mut devices[to];
                    d.load_doc(id).merge(&mut theirs).expect("merges");
                    d.store(id);
                }
                Step::Feed { to, doc } => {
                    let id = ids[doc];
                    let Some(theirs) = devices[1 - to].bytes.get(&id).cloned() else { continue };
                    devices[to].take_from_feed(id, &theirs);
                }
                Step::Evict { device } => devices[device].loaded.clear(),
                Step::Restart { device } => devices[device].start(),
                Step::OldVersion { device } => {
                    devices[device].version = Some("0-old".into());
                    devices[device].tampered = true;
                }
                Step::Corrupt { device, doc, remove } => {
                    let d = &mut devices[device];
                    if remove {
                        d.rows.remove(&ids[doc]);
                    } else {
                        d.rows.insert(ids[doc], "{\"heads\":[".into());
                    }
                    d.tampered = true;
                }
            }
            for device in &mut devices {
                if device.tampered {
                    // Tampering is seen at the next start, and the rebuild repairs it.
                    let before = device.rebuilds;
                    device.start();
                    prop_assert_eq!(device.rebuilds, before + 1);
                }
                device.assert_consistent();
            }
        }
        // Both devices converge once each has the other's changes.
        for (i, id) in ids.iter().enumerate() {
            let theirs = devices[1].bytes[id].clone();
            devices[0].take_from_feed(*id, &theirs);
            let ours = devices[0].bytes[id].clone();
            devices[1].take_from_feed(*id, &ours);
            prop_assert_eq!(&devices[0].view[id], &devices[1].view[id], "document {}", i);
        }
    }
}

#[test]
fn every_kind_round_trips_through_its_row() {
    let ctx = EditContext::new("u1", 1_767_225_600_000);
    for kind in KINDS {
        let mut record = Record::blank(kind, &ctx).expect("known kind");
        record.common_mut().notes = "Çağrı \"tırnak\" \\ ve satır\nsonu".into();
        let doc = record.create().expect("created");
        let entry = Entry::of(&doc);
        assert_eq!(
            Entry::decode(&entry.encode()).expect("decodes"),
            entry,
            "{kind}"
        );
        assert_eq!(entry.record(), Some(&Record::read(&doc).unwrap().unwrap()));
    }
    let index = workspace::create("Anadolu").expect("index");
    assert_eq!(
        Entry::of(&index).projection,
        Projection::Workspace(WorkspaceSettings::defaults())
    );
    assert_eq!(Entry::of(&Automerge::new()).projection, Projection::Other);
}

#[test]
fn the_version_is_stable_and_names_the_schema() {
    assert_eq!(version(), version());
    assert!(version().starts_with(&format!("{SCHEMA}-")));
}

#[test]
fn check_names_a_missing_entry_and_an_orphan() {
    let doc = Record::blank("account", &EditContext::new("u", 1))
        .unwrap()
        .create()
        .unwrap();
    let (a, b) = (DocumentId::random(), DocumentId::random());
    let entries: HashMap<DocumentId, Entry> = [(a, Entry::of(&doc))].into();
    assert_eq!(check(&entries, [&a]), Ok(()));
    assert_eq!(check(&entries, [&a, &b]), Err(Rebuild::Missing(b)));
    assert_eq!(check(&entries, []), Err(Rebuild::Orphan(a)));
}

#[test]
fn a_feed_document_replaces_only_what_it_contains() {
    let ctx = EditContext::new("u", 1);
    let mut local = Record::blank("account", &ctx).unwrap().create().unwrap();
    let mut server = local.fork();
    edit(&mut server, 1, 1);
    assert_eq!(
        feed_action(&local.get_heads(), &server),
        FeedAction::Replace
    );
    edit(&mut local, 0, 2);
    assert_eq!(feed_action(&local.get_heads(), &server), FeedAction::Merge);
    assert_eq!(feed_action(&[], &server), FeedAction::Replace);
}
