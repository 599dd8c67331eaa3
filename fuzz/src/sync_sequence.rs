//! A peer's sequence of edits and sync frames, as the server's hub takes them: the
//! frames go through the sync engine (`saha_protocol::sync`) into the server's copy of
//! a record, and every change is judged by the write rules (`saha_core::rules`) before
//! it would be stored. The peer edits its copy as a hostile client can: any field, any
//! value type (strings as scalars or text objects, numbers as floats or counters,
//! nested objects), and it may send a frame with a byte changed or bytes of its own.
//!
//! Nothing may panic; a frame the engine refuses ends the connection (as the hub closes
//! it); an accepted change leaves a document that saves and loads, whose read-model row
//! is the record the rules returned; and, checked apart from the rules' own code, no
//! accepted change lets a role do what [`saha_core::access`] forbids it: a read-only
//! role writes nothing, nobody writes a record they cannot see, no record changes kind,
//! and only owners, admins and managers change a record's team or owner.

use arbitrary::{Arbitrary, Unstructured};
use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ScalarValue};
use saha_core::access::{self, Access, Role};
use saha_core::kinds::{KINDS, Record};
use saha_core::read_model::Entry;
use saha_core::record::EditContext;
use saha_core::rules::{self, Change};
use saha_protocol::DocumentId;
use saha_protocol::sync::Connection;
use saha_protocol::wire::{Message, PeerMetadata};

/// The member's team.
const TEAM: &str = "t1";

/// Steps of one input taken (libFuzzer's inputs rarely hold more).
const MAX_STEPS: usize = 32;

/// Keys every kind has, beside the kind's own fields.
const COMMON_KEYS: [&str; 9] = [
    "kind",
    "schema",
    "team",
    "owner",
    "status",
    "deleted",
    "created_at",
    "created_by",
    "notes",
];

#[derive(Arbitrary, Debug)]
struct Setup {
    role: u8,
    kind: u8,
    /// Where the record is: the member's team, another team, or shared.
    team: u8,
    /// The server has no copy yet: the peer creates the record.
    create: bool,
    steps: Vec<Step>,
}

#[derive(Arbitrary, Debug)]
enum Step {
    /// The peer edits its copy.
    Edit(Vec<Edit>),
    /// The peer sends its next sync frame, with byte `at` (modulo its length) xor-ed
    /// with `with` when `with` is not zero.
    Send { at: u16, with: u8 },
    /// The peer sends these bytes as a sync frame's payload.
    Raw(Vec<u8>),
    /// The server answers and the peer takes the answer.
    Reply,
}

#[derive(Arbitrary, Debug)]
enum Edit {
    Put(Key, Value),
    Text(Key, String),
    List(Key, Vec<Value>),
    Map(Key, Vec<(Key, Value)>),
    Delete(Key),
}

#[derive(Arbitrary, Debug)]
enum Key {
    Common(u8),
    Field(u8),
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Value {
    Str(String),
    Int(i64),
    Uint(u64),
    F64(f64),
    Bool(bool),
    Null,
    Bytes(Vec<u8>),
    Counter(i64),
    Timestamp(i64),
}

impl Value {
    fn scalar(&self) -> ScalarValue {
        match self {
            Value::Str(s) => ScalarValue::Str(s.as_str().into()),
            Value::Int(i) => ScalarValue::Int(*i),
            Value::Uint(u) => ScalarValue::Uint(*u),
            Value::F64(f) => ScalarValue::F64(*f),
            Value::Bool(b) => ScalarValue::Boolean(*b),
            Value::Null => ScalarValue::Null,
            Value::Bytes(b) => ScalarValue::Bytes(b.clone()),
            Value::Counter(c) => ScalarValue::counter(*c),
            Value::Timestamp(t) => ScalarValue::Timestamp(*t),
        }
    }
}

impl Key {
    fn name(&self, fields: &[&str]) -> String {
        match self {
            Key::Common(i) => COMMON_KEYS[usize::from(*i) % COMMON_KEYS.len()].to_owned(),
            Key::Field(i) if !fields.is_empty() => {
                fields[usize::from(*i) % fields.len()].to_owned()
            }
            Key::Field(_) => "name".to_owned(),
            Key::Other(s) => s.clone(),
        }
    }
}

/// Applies `edits` to `doc` in one change; an edit automerge refuses is skipped.
fn edit(doc: &mut Automerge, edits: &[Edit], fields: &[&str]) {
    let mut tx = doc.transaction();
    for e in edits {
        let _ = match e {
            Edit::Put(key, value) => tx.put(ROOT, key.name(fields), value.scalar()),
            Edit::Text(key, text) => tx
                .put_object(ROOT, key.name(fields), ObjType::Text)
                .and_then(|obj| tx.splice_text(&obj, 0, 0, text)),
            Edit::List(key, items) => tx
                .put_object(ROOT, key.name(fields), ObjType::List)
                .and_then(|obj| {
                    items
                        .iter()
                        .enumerate()
                        .try_for_each(|(i, v)| tx.insert(&obj, i, v.scalar()))
                }),
            Edit::Map(key, entries) => tx
                .put_object(ROOT, key.name(fields), ObjType::Map)
                .and_then(|obj| {
                    entries
                        .iter()
                        .try_for_each(|(k, v)| tx.put(&obj, k.name(fields), v.scalar()))
                }),
            Edit::Delete(key) => tx.delete(ROOT, key.name(fields)),
        };
    }
    tx.commit();
}

/// The server's side: its copy and what it has decided about this connection.
struct Server {
    conn: Connection,
    doc: Automerge,
    access: Access,
    /// A change was refused: the hub ignores the document on this connection.
    ignoring: bool,
}

impl Server {
    /// Takes one sync frame, as the hub does; `false` when the connection is closed.
    fn take(&mut self, frame: &saha_protocol::wire::DocMessage) -> bool {
        if self.ignoring {
            return true;
        }
        let before_heads = self.doc.get_heads();
        let before = rules::read_record(&self.doc).ok().flatten();
        let (kind_before, scope_before) = access::read_scope(&self.doc);
        let mut after = self.doc.clone();
        let applied = match self.conn.receive(&mut after, frame) {
            Ok(applied) => applied,
            // An invalid frame: the hub closes the connection, storing nothing.
            Err(_) => return false,
        };
        if !applied.changed {
            return true;
        }
        let verdict = rules::check(
            Some(&self.access),
            &Change {
                doc: &after,
                before_heads: &before_heads,
                before: before.as_ref(),
                after: None,
            },
        );
        let record = match verdict {
            Ok(record) => record,
            Err(refusal) => {
                let _ = refusal.code();
                self.ignoring = true;
                return true;
            }
        };
        // Accepted: what access forbids must not have got through.
        let role = self.access.role;
        let (kind_after, scope_after) = access::read_scope(&after);
        assert!(role.can_write(), "{role:?} wrote a record");
        if before_heads.is_empty() || kind_before.is_empty() {
            if !scope_after.team.is_empty() && !matches!(role, Role::Owner | Role::Admin) {
                assert!(
                    self.access.teams.contains(&scope_after.team),
                    "{role:?} created a record in team {:?}",
                    scope_after.team
                );
            }
        } else {
            assert!(
                self.access.can_read(&scope_before),
                "{role:?} changed a record it cannot see"
            );
            assert_eq!(kind_before, kind_after, "{role:?} changed a record's kind");
            if !matches!(role, Role::Owner | Role::Admin | Role::Manager) {
                assert_eq!(scope_before, scope_after, "{role:?} moved a record");
            }
        }
        // The read model's row must be the record the rules read.
        if let Some(record) = record {
            assert_eq!(
                Entry::of_written(&after, record).encode(),
                Entry::of(&after).encode(),
                "the read model reads another record than the rules did"
            );
        }
        self.doc = after;
        true
    }
}

pub fn check(data: &[u8]) {
    crate::let_caught_panics_pass();
    let mut input = Unstructured::new(data);
    let Ok(setup) = Setup::arbitrary(&mut input) else {
        return;
    };
    let role = Role::ALL[usize::from(setup.role) % Role::ALL.len()];
    let kind = KINDS[usize::from(setup.kind) % KINDS.len()];
    let ctx = EditContext::new("owner", 1_700_000_000_000);
    let Some(mut record) = Record::blank(kind, &ctx) else {
        return;
    };
    record.common_mut().team = ["t1", "t2", ""][usize::from(setup.team) % 3].to_owned();
    let Ok(original) = record.create() else {
        return;
    };
    let fields: Vec<&str> = record.fields().iter().map(|f| f.name).collect();
    let mut peer_doc = original.fork();
    let mut server = Server {
        conn: Connection::server("server"),
        doc: if setup.create {
            Automerge::new()
        } else {
            original
        },
        access: Access {
            role,
            teams: vec![TEAM.to_owned()],
        },
        ignoring: false,
    };
    let (mut peer, join) = Connection::client("peer", PeerMetadata::default());
    let Ok(Some(welcome)) = server.conn.handshake(&join) else {
        panic!("the server refused a client's join");
    };
    if peer.handshake(&welcome).is_err() {
        panic!("the client refused the server's answer");
    }
    let id = DocumentId::from_bytes([7; 16]);
    for step in setup.steps.iter().take(MAX_STEPS) {
        match step {
            Step::Edit(edits) => edit(&mut peer_doc, edits, &fields),
            Step::Send { at, with } => {
                let Some(Message::Sync(mut frame) | Message::Request(mut frame)) =
                    peer.generate(id, &peer_doc)
                else {
                    continue;
                };
                if *with != 0 && !frame.data.is_empty() {
                    let at = usize::from(*at) % frame.data.len();
                    frame.data[at] ^= with;
                }
                if !server.take(&frame) {
                    break;
                }
            }
            Step::Raw(bytes) => {
                let frame = saha_protocol::wire::DocMessage {
                    sender_id: "peer".into(),
                    target_id: "server".into(),
                    document_id: id,
                    data: bytes.clone(),
                };
                if !server.take(&frame) {
                    break;
                }
            }
            Step::Reply => {
                if server.ignoring {
                    continue;
                }
                if let Some(Message::Sync(frame)) = server.conn.generate(id, &server.doc) {
                    // The peer may refuse what it gets (its own copy is the hostile
                    // one); that only ends the exchange.
                    if peer.receive(&mut peer_doc, &frame).is_err() {
                        break;
                    }
                }
            }
        }
    }
    // What the server accepted is stored: it must load again, to the same heads.
    match Automerge::load(&server.doc.save()) {
        Ok(again) => assert_eq!(again.get_heads(), server.doc.get_heads()),
        Err(e) => panic!("an accepted document does not load: {e}"),
    }
}
