//! A sans-IO sync engine for one connection between two automerge-repo peers.
//!
//! [`Connection`] keeps the handshake phase and one Automerge [`sync::State`] per
//! document for the peer at the other end. The caller feeds it decoded frames and the
//! documents they name, and sends whatever it returns. The server's WebSocket handler and
//! the browser's sync client both drive this same type, so the protocol logic exists once.

use std::collections::HashMap;

use automerge::Automerge;
use automerge::sync::{self, SyncDoc};

use crate::wire::{DocMessage, Message, PROTOCOL_VERSION, PeerMetadata};
use crate::{DocumentId, Error};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Server side, before the client's `join`.
    AwaitingJoin,
    /// Client side, after sending `join`, before the server's `peer`.
    AwaitingPeer,
    Ready,
}

/// The protocol state of one connection, seen from the local peer.
pub struct Connection {
    is_client: bool,
    local_id: String,
    remote_id: Option<String>,
    phase: Phase,
    states: HashMap<DocumentId, sync::State>,
}

/// What happened when a document message was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// The local document gained changes and should be persisted and announced.
    pub changed: bool,
}

impl Connection {
    /// The accepting side: waits for the client's `join`.
    pub fn server(local_id: impl Into<String>) -> Connection {
        Connection {
            is_client: false,
            local_id: local_id.into(),
            remote_id: None,
            phase: Phase::AwaitingJoin,
            states: HashMap::new(),
        }
    }

    /// The connecting side, and the `join` frame to send first.
    pub fn client(local_id: impl Into<String>, metadata: PeerMetadata) -> (Connection, Message) {
        let local_id = local_id.into();
        let join = Message::Join {
            sender_id: local_id.clone(),
            supported_protocol_versions: vec![PROTOCOL_VERSION.to_owned()],
            peer_metadata: metadata,
        };
        let conn = Connection {
            is_client: true,
            local_id,
            remote_id: None,
            phase: Phase::AwaitingPeer,
            states: HashMap::new(),
        };
        (conn, join)
    }

    pub fn is_ready(&self) -> bool {
        self.phase == Phase::Ready
    }

    pub fn local_id(&self) -> &str {
        &self.local_id
    }

    pub fn remote_id(&self) -> Option<&str> {
        self.remote_id.as_deref()
    }

    /// Handles a handshake frame. On the server, a valid `join` yields the `peer` reply;
    /// on the client, `peer` completes the handshake. Anything else before the handshake
    /// is a protocol error, after which the caller closes the connection.
    pub fn handshake(&mut self, msg: &Message) -> Result<Option<Message>, Error> {
        match (self.phase, msg) {
            (
                Phase::AwaitingJoin,
                Message::Join {
                    sender_id,
                    supported_protocol_versions,
                    ..
                },
            ) => {
                if !supported_protocol_versions
                    .iter()
                    .any(|v| v == PROTOCOL_VERSION)
                {
                    return Err(Error::UnsupportedProtocol(
                        supported_protocol_versions.clone(),
                    ));
                }
                self.remote_id = Some(sender_id.clone());
                self.phase = Phase::Ready;
                Ok(Some(Message::Peer {
                    sender_id: self.local_id.clone(),
                    target_id: sender_id.clone(),
                    selected_protocol_version: PROTOCOL_VERSION.to_owned(),
                    peer_metadata: PeerMetadata {
                        storage_id: None,
                        is_ephemeral: false,
                    },
                }))
            }
            (
                Phase::AwaitingPeer,
                Message::Peer {
                    sender_id,
                    selected_protocol_version,
                    ..
                },
            ) => {
                if selected_protocol_version != PROTOCOL_VERSION {
                    return Err(Error::UnsupportedProtocol(vec![
                        selected_protocol_version.clone(),
                    ]));
                }
                self.remote_id = Some(sender_id.clone());
                self.phase = Phase::Ready;
                Ok(None)
            }
            (Phase::AwaitingPeer, Message::Error { message }) => Err(Error::Protocol(format!(
                "the server refused the connection: {message}"
            ))),
            (phase, msg) => Err(Error::Protocol(format!(
                "unexpected {:?} message in phase {phase:?}",
                msg.kind()
            ))),
        }
    }

    /// Checks that a document message comes from the peer that joined.
    pub fn check_sender(&self, m: &DocMessage) -> Result<(), Error> {
        if !self.is_ready() {
            return Err(Error::Protocol(
                "document message before the handshake".into(),
            ));
        }
        if self.remote_id.as_deref() != Some(m.sender_id.as_str()) {
            return Err(Error::Protocol(format!(
                "message from {:?} on the connection of {:?}",
                m.sender_id, self.remote_id
            )));
        }
        Ok(())
    }

    /// Applies the Automerge sync message in `m` to `doc`.
    pub fn receive(&mut self, doc: &mut Automerge, m: &DocMessage) -> Result<Applied, Error> {
        self.check_sender(m)?;
        let sync_message =
            sync::Message::decode(&m.data).map_err(|e| Error::InvalidSyncMessage(e.to_string()))?;
        let state = self.states.entry(m.document_id).or_default();
        let before = doc.get_heads();
        // The server guards itself against hostile changes ([`refuse_bundles`],
        // [`without_panic`]). The browser syncs only with the server, which has taken
        // every change it relays through here, and its release build aborts on a panic
        // anyway: there the guard would only weigh on the bundle every phone downloads.
        #[cfg(not(target_arch = "wasm32"))]
        {
            for chunk in sync_message.changes.iter() {
                refuse_bundles(chunk)?;
            }
            without_panic("the sync message's changes", || {
                doc.receive_sync_message(state, sync_message)
            })?;
        }
        #[cfg(target_arch = "wasm32")]
        doc.receive_sync_message(state, sync_message)?;
        Ok(Applied {
            changed: doc.get_heads() != before,
        })
    }

    /// The next message to send about `doc`, if the peer may lack something. A client
    /// asks for a document it does not have with `request`, as automerge-repo does.
    pub fn generate(&mut self, id: DocumentId, doc: &Automerge) -> Option<Message> {
        let remote_id = self.remote_id.clone()?;
        let state = self.states.entry(id).or_default();
        let data = doc.generate_sync_message(state)?.encode();
        let m = DocMessage {
            sender_id: self.local_id.clone(),
            target_id: remote_id,
            document_id: id,
            data,
        };
        Some(if self.is_client && doc.get_heads().is_empty() {
            Message::Request(m)
        } else {
            Message::Sync(m)
        })
    }

    /// Starts tracking `id` without sending anything (the peer asked for a document this
    /// side does not have; if it appears later, [`Connection::generate`] offers it).
    pub fn track(&mut self, id: DocumentId) {
        self.states.entry(id).or_default();
    }

    /// Stops tracking `id` and forgets what was learnt about the peer's copy of it.
    pub fn forget(&mut self, id: &DocumentId) {
        self.states.remove(id);
    }

    /// How many documents this connection tracks.
    pub fn tracked_count(&self) -> usize {
        self.states.len()
    }

    /// Whether this connection exchanges sync messages about `id`.
    pub fn tracks(&self, id: &DocumentId) -> bool {
        self.states.contains_key(id)
    }

    /// The documents this connection tracks.
    pub fn tracked(&self) -> impl Iterator<Item = &DocumentId> {
        self.states.keys()
    }

    /// Whether the peer has confirmed every change of `doc`.
    pub fn peer_has_all(&self, id: &DocumentId, doc: &Automerge) -> bool {
        let heads = doc.get_heads();
        match self.states.get(id).and_then(|s| s.their_heads.as_ref()) {
            Some(theirs) => heads.iter().all(|h| theirs.contains(h)),
            None => heads.is_empty(),
        }
    }

    /// The `doc-unavailable` reply for a request this side cannot serve.
    pub fn unavailable(&self, id: DocumentId) -> Message {
        Message::DocUnavailable {
            sender_id: self.local_id.clone(),
            target_id: self.remote_id.clone().unwrap_or_default(),
            document_id: id,
        }
    }
}

/// Loads a document from bytes a peer or an uploaded file supplied: malformed bytes
/// are an [`Error`], never a panic (see [`without_panic`]).
pub fn load_untrusted(bytes: &[u8]) -> Result<Automerge, Error> {
    refuse_bundles(bytes)?;
    without_panic("the document", || Automerge::load(bytes))
}

/// Adds chunks from outside to `doc` (`load_incremental`), refusing bundles and
/// turning a panic into an error as [`load_untrusted`] does.
pub fn load_incremental_untrusted(doc: &mut Automerge, bytes: &[u8]) -> Result<usize, Error> {
    refuse_bundles(bytes)?;
    without_panic("the chunks", || doc.load_incremental(bytes))
}

/// The first bytes of every Automerge chunk.
const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// The chunk type of a change bundle (after the magic number and a 4-byte checksum).
const BUNDLE_CHUNK: u8 = 3;

/// Refuses `bytes` when a chunk in them is a change bundle. No automerge-repo peer
/// sends one in a sync message or stores one as a document (they send changes, or a
/// whole document), and Automerge 0.12 cannot read a hostile one safely: the
/// `document_load` fuzz target found a 45-byte bundle that panics it and a 179-byte
/// one that makes it allocate 1.7 GB for 7 s. Chunks are `magic (4) ‖ checksum (4) ‖
/// type (1) ‖ length (ULEB128) ‖ body`; bytes that do not walk as chunks are left to
/// Automerge, which refuses them.
pub fn refuse_bundles(bytes: &[u8]) -> Result<(), Error> {
    let mut at = 0usize;
    while let Some(header) = bytes.get(at..at.saturating_add(9)) {
        if header[..4] != CHUNK_MAGIC {
            return Ok(());
        }
        if header[8] == BUNDLE_CHUNK {
            return Err(Error::InvalidSyncMessage(
                "a change bundle, which no peer sends: refused".into(),
            ));
        }
        let mut length = 0u64;
        let mut shift = 0u32;
        let mut i = at + 9;
        loop {
            let (Some(&byte), true) = (bytes.get(i), shift < 64) else {
                return Ok(());
            };
            i += 1;
            length |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        match usize::try_from(length).ok().and_then(|l| i.checked_add(l)) {
            Some(next) => at = next,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Runs an Automerge operation on bytes from outside, turning a panic inside Automerge
/// into [`Error::InvalidSyncMessage`]. Automerge 0.12 panics (in its column decoder,
/// `hexane`) on some malformed change bundles instead of returning an error; the
/// `document_load` fuzz target found one of 45 bytes, which reaches the server in any
/// member's sync message (the changes a message carries are loaded the same way).
/// Automerge parses every chunk before it applies any, so a document is unchanged when
/// its parse panics. Where panics abort (the browser's release build) this cannot
/// help, but there the bytes come from the server, which has taken them through here.
pub fn without_panic<T>(
    what: &str,
    f: impl FnOnce() -> Result<T, automerge::AutomergeError>,
) -> Result<T, Error> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => Ok(result?),
        Err(_) => Err(Error::InvalidSyncMessage(format!(
            "{what} could not be read (Automerge failed on them)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{ReadDoc, ScalarValue, Value};

    #[test]
    fn a_panic_inside_automerge_is_an_error() {
        let result: Result<(), Error> = without_panic("the bytes", || panic!("hexane"));
        assert!(matches!(result, Err(Error::InvalidSyncMessage(_))));
        assert!(without_panic("the bytes", || Ok(7)).is_ok());
    }

    #[test]
    fn bundles_are_refused_wherever_they_sit_and_changes_pass() {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, "name", "Ayşe").unwrap();
        tx.commit();
        let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
        let saved = doc.save();
        assert!(refuse_bundles(&change).is_ok());
        assert!(refuse_bundles(&saved).is_ok());
        let mut two = change.clone();
        two.extend_from_slice(&saved);
        assert!(refuse_bundles(&two).is_ok());
        let bundle = doc.bundle(doc.get_heads()).unwrap().bytes().to_vec();
        assert_eq!(bundle[8], BUNDLE_CHUNK);
        assert!(refuse_bundles(&bundle).is_err());
        let mut hidden = change.clone();
        hidden.extend_from_slice(&bundle);
        assert!(refuse_bundles(&hidden).is_err());
        assert!(load_untrusted(&hidden).is_err());
        assert!(load_untrusted(&two).is_ok());
    }

    /// A document holding `key: value` at its root.
    fn doc_with(key: &str, value: &str) -> Automerge {
        let mut doc = Automerge::new();
        put(&mut doc, key, value);
        doc
    }

    fn put(doc: &mut Automerge, key: &str, value: &str) {
        doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(automerge::ROOT, key, value))
            .unwrap();
    }

    fn get(doc: &Automerge, key: &str) -> Option<String> {
        match doc.get(automerge::ROOT, key).unwrap()? {
            (Value::Scalar(s), _) => match s.as_ref() {
                ScalarValue::Str(text) => Some(text.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    /// Runs both ends until neither has anything to send; returns the frames exchanged.
    fn pump(
        client: &mut Connection,
        client_doc: &mut Automerge,
        server: &mut Connection,
        server_doc: &mut Automerge,
        id: DocumentId,
    ) -> usize {
        let mut frames = 0;
        loop {
            let mut progressed = false;
            if let Some(msg) = client.generate(id, client_doc) {
                let decoded = Message::decode(&msg.encode()).unwrap();
                let (Message::Sync(m) | Message::Request(m)) = decoded else {
                    panic!("unexpected {decoded:?}")
                };
                server.receive(server_doc, &m).unwrap();
                frames += 1;
                progressed = true;
            }
            if let Some(msg) = server.generate(id, server_doc) {
                let Message::Sync(m) = msg else {
                    panic!("server sends sync")
                };
                client.receive(client_doc, &m).unwrap();
                frames += 1;
                progressed = true;
            }
            if !progressed {
                return frames;
            }
            assert!(frames < 50, "sync did not settle");
        }
    }

    fn connected() -> (Connection, Connection) {
        let (mut client, join) = Connection::client("client", PeerMetadata::default());
        let mut server = Connection::server("server");
        let peer = server.handshake(&join).unwrap().unwrap();
        assert!(client.handshake(&peer).unwrap().is_none());
        assert!(client.is_ready() && server.is_ready());
        (client, server)
    }

    #[test]
    fn a_new_document_reaches_the_server_and_an_edit_comes_back() {
        let (mut client, mut server) = connected();
        let id = DocumentId::random();
        let mut client_doc = doc_with("name", "Marmara Lojistik");
        let mut server_doc = Automerge::new();
        pump(
            &mut client,
            &mut client_doc,
            &mut server,
            &mut server_doc,
            id,
        );
        assert_eq!(
            get(&server_doc, "name").as_deref(),
            Some("Marmara Lojistik")
        );
        assert!(client.peer_has_all(&id, &client_doc));

        put(&mut server_doc, "city", "Kocaeli");
        assert!(!server.peer_has_all(&id, &server_doc));
        pump(
            &mut client,
            &mut client_doc,
            &mut server,
            &mut server_doc,
            id,
        );
        assert_eq!(get(&client_doc, "city").as_deref(), Some("Kocaeli"));
        assert_eq!(client_doc.get_heads(), server_doc.get_heads());
    }

    #[test]
    fn an_empty_document_is_requested() {
        let (mut client, _) = connected();
        let msg = client.generate(DocumentId::random(), &Automerge::new());
        assert!(matches!(msg, Some(Message::Request(_))));
    }

    #[test]
    fn handshake_errors() {
        let mut server = Connection::server("server");
        let bad_version = Message::Join {
            sender_id: "c".into(),
            supported_protocol_versions: vec!["0".into()],
            peer_metadata: PeerMetadata::default(),
        };
        assert!(matches!(
            server.handshake(&bad_version),
            Err(Error::UnsupportedProtocol(_))
        ));
        let sync_first = Message::Sync(DocMessage {
            sender_id: "c".into(),
            target_id: "server".into(),
            document_id: DocumentId::random(),
            data: vec![],
        });
        assert!(server.handshake(&sync_first).is_err());
    }

    proptest::proptest! {
        /// Arbitrary bytes as an Automerge sync message never panic the engine; a
        /// rejected message leaves the document as it was.
        #[test]
        fn arbitrary_sync_data_never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256), prefix in 0u8..2) {
            let (_, mut server) = connected();
            let mut doc = doc_with("name", "X");
            let heads = doc.get_heads();
            // Half the cases start with the sync message tag, to get past the first check.
            let mut bytes = if prefix == 1 { vec![0x42] } else { Vec::new() };
            bytes.extend(data);
            let m = DocMessage {
                sender_id: "client".into(),
                target_id: "server".into(),
                document_id: DocumentId::random(),
                data: bytes,
            };
            if server.receive(&mut doc, &m).is_err() {
                proptest::prop_assert_eq!(doc.get_heads(), heads);
            }
        }
    }

    #[test]
    fn garbage_sync_data_and_spoofed_senders_are_errors_and_change_nothing() {
        let (_, mut server) = connected();
        let mut doc = Automerge::new();
        let id = DocumentId::random();
        for data in [
            vec![],
            vec![0x42],
            vec![0x42, 0xff, 0xff, 0xff],
            vec![0x00; 64],
        ] {
            let m = DocMessage {
                sender_id: "client".into(),
                target_id: "server".into(),
                document_id: id,
                data,
            };
            assert!(server.receive(&mut doc, &m).is_err());
        }
        let spoofed = DocMessage {
            sender_id: "someone-else".into(),
            target_id: "server".into(),
            document_id: id,
            data: vec![],
        };
        assert!(matches!(
            server.receive(&mut doc, &spoofed),
            Err(Error::Protocol(_))
        ));
        assert!(doc.get_heads().is_empty());
    }
}
