//! The automerge-repo wire protocol, version "1".
//!
//! Each WebSocket binary frame carries one CBOR map with a `type` field. A client opens
//! with `join`, the server answers `peer` (or `error` and closes); after that either side
//! sends `request`/`sync` messages carrying Automerge sync messages for one document, and
//! `doc-unavailable` when it cannot serve a requested document. Message types this
//! implementation does not act on (`ephemeral`, `remote-subscription-change`,
//! `remote-heads-changed`) are decoded as [`Message::Ignored`] so that a stock client
//! sending them is not disconnected.
//!
//! Field names and shapes follow `@automerge/automerge-repo` (`network/messages.d.ts`) and
//! its Rust twin samod-core (`network/wire_protocol.rs`).

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

use crate::{DocumentId, Error};

/// The only protocol version automerge-repo speaks today.
pub const PROTOCOL_VERSION: &str = "1";

/// Peer IDs longer than this are refused: they are echoed in every reply.
const MAX_PEER_ID_LEN: usize = 256;

/// The largest `join` or `peer` frame accepted: a handshake holds a few short strings.
/// Checked by the receiver before decoding (see `server/src/sync_socket.rs`), so a
/// peer that has not joined yet cannot make the server hold more than this.
pub const MAX_HANDSHAKE_BYTES: usize = 16 * 1024;

/// How deeply an unknown field may nest arrays, maps and tags before the frame is
/// refused. Skipping is recursive within this bound and allocates nothing, so a frame
/// of nested CBOR costs no more memory than its own bytes.
const MAX_SKIP_DEPTH: u32 = 8;

/// What a peer tells about itself in `join` and `peer`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeerMetadata {
    pub storage_id: Option<String>,
    pub is_ephemeral: bool,
}

/// A message about one document: the payload of `request` and `sync`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMessage {
    pub sender_id: String,
    pub target_id: String,
    pub document_id: DocumentId,
    /// An encoded Automerge sync message.
    pub data: Vec<u8>,
}

/// One frame of the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Join {
        sender_id: String,
        supported_protocol_versions: Vec<String>,
        peer_metadata: PeerMetadata,
    },
    Peer {
        sender_id: String,
        target_id: String,
        selected_protocol_version: String,
        peer_metadata: PeerMetadata,
    },
    /// The first message from a peer that does not have the document yet.
    Request(DocMessage),
    Sync(DocMessage),
    DocUnavailable {
        sender_id: String,
        target_id: String,
        document_id: DocumentId,
    },
    Error {
        message: String,
    },
    Leave {
        sender_id: String,
    },
    /// A valid frame of a type Saha accepts but does not act on.
    Ignored {
        kind: String,
    },
}

impl Message {
    /// The `type` field as it appears on the wire.
    pub fn kind(&self) -> &str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Request(_) => "request",
            Message::Sync(_) => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Error { .. } => "error",
            Message::Leave { .. } => "leave",
            Message::Ignored { kind } => kind,
        }
    }

    /// Decodes one frame. Never panics; anything malformed is an [`Error`].
    pub fn decode(bytes: &[u8]) -> Result<Message, Error> {
        let mut d = Decoder::new(bytes);
        let len = d
            .map()?
            .ok_or_else(|| Error::MalformedMessage("indefinite-length map".into()))?;
        if len > 64 {
            return Err(Error::MalformedMessage(format!("map with {len} fields")));
        }
        let mut f = Fields::default();
        // Handshake frames accept unknown fields only as scalars (see below).
        let mut unknown_nested = false;
        for _ in 0..len {
            let key = d.str()?;
            match key {
                "type" => f.kind = Some(d.str()?.to_owned()),
                "senderId" => f.sender_id = Some(peer_id(&mut d)?),
                "targetId" => f.target_id = Some(peer_id(&mut d)?),
                "selectedProtocolVersion" => f.selected_version = Some(d.str()?.to_owned()),
                "message" => f.message = Some(d.str()?.to_owned()),
                "documentId" => f.document_id = Some(document_id(&mut d)?),
                "data" => f.data = Some(bytes_field(&mut d)?),
                "supportedProtocolVersions" => {
                    let n = d
                        .array()?
                        .ok_or_else(|| Error::MalformedMessage("indefinite array".into()))?;
                    if n > 16 {
                        return Err(Error::MalformedMessage("too many protocol versions".into()));
                    }
                    let mut versions = Vec::with_capacity(n as usize);
                    for _ in 0..n {
                        versions.push(d.str()?.to_owned());
                    }
                    f.versions = Some(versions);
                }
                "peerMetadata" | "metadata" => f.metadata = Some(metadata(&mut d)?),
                _ => unknown_nested |= skip_value(&mut d, 0)?,
            }
        }
        if unknown_nested && matches!(f.kind.as_deref(), Some("join" | "peer")) {
            return Err(Error::MalformedMessage(
                "a handshake frame with an unknown field that is not a scalar".into(),
            ));
        }
        if d.position() != bytes.len() {
            return Err(Error::MalformedMessage(
                "trailing bytes after the message".into(),
            ));
        }
        f.into_message()
    }

    /// Encodes one frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        // Writing into a Vec cannot fail, so the only errors possible are bugs here.
        encode_into(self, &mut e).expect("CBOR encoding into a Vec is infallible");
        e.into_writer()
    }
}

type EncodeResult = Result<(), minicbor::encode::Error<std::convert::Infallible>>;

fn encode_into(msg: &Message, e: &mut Encoder<Vec<u8>>) -> EncodeResult {
    match msg {
        Message::Join {
            sender_id,
            supported_protocol_versions,
            peer_metadata,
        } => {
            e.map(4)?;
            e.str("type")?.str("join")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("supportedProtocolVersions")?
                .array(supported_protocol_versions.len() as u64)?;
            for v in supported_protocol_versions {
                e.str(v)?;
            }
            e.str("peerMetadata")?;
            encode_metadata(peer_metadata, e)?;
        }
        Message::Peer {
            sender_id,
            target_id,
            selected_protocol_version,
            peer_metadata,
        } => {
            e.map(5)?;
            e.str("type")?.str("peer")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("selectedProtocolVersion")?
                .str(selected_protocol_version)?;
            e.str("peerMetadata")?;
            encode_metadata(peer_metadata, e)?;
        }
        Message::Request(m) | Message::Sync(m) => {
            e.map(5)?;
            e.str("type")?.str(msg.kind())?;
            e.str("senderId")?.str(&m.sender_id)?;
            e.str("targetId")?.str(&m.target_id)?;
            e.str("documentId")?.str(&m.document_id.to_string())?;
            e.str("data")?.bytes(&m.data)?;
        }
        Message::DocUnavailable {
            sender_id,
            target_id,
            document_id,
        } => {
            e.map(4)?;
            e.str("type")?.str("doc-unavailable")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("documentId")?.str(&document_id.to_string())?;
        }
        Message::Error { message } => {
            e.map(2)?;
            e.str("type")?.str("error")?;
            e.str("message")?.str(message)?;
        }
        Message::Leave { sender_id } => {
            e.map(2)?;
            e.str("type")?.str("leave")?;
            e.str("senderId")?.str(sender_id)?;
        }
        Message::Ignored { kind } => {
            e.map(1)?;
            e.str("type")?.str(kind)?;
        }
    }
    Ok(())
}

fn encode_metadata(m: &PeerMetadata, e: &mut Encoder<Vec<u8>>) -> EncodeResult {
    e.map(if m.storage_id.is_some() { 2 } else { 1 })?;
    if let Some(id) = &m.storage_id {
        e.str("storageId")?.str(id)?;
    }
    e.str("isEphemeral")?.bool(m.is_ephemeral)?;
    Ok(())
}

#[derive(Default)]
struct Fields {
    kind: Option<String>,
    sender_id: Option<String>,
    target_id: Option<String>,
    selected_version: Option<String>,
    message: Option<String>,
    document_id: Option<DocumentId>,
    data: Option<Vec<u8>>,
    versions: Option<Vec<String>>,
    metadata: Option<PeerMetadata>,
}

impl Fields {
    fn into_message(self) -> Result<Message, Error> {
        let kind = self
            .kind
            .ok_or_else(|| Error::MalformedMessage("no `type` field".into()))?;
        macro_rules! need {
            ($field:ident, $kind:literal, $name:literal) => {
                self.$field.ok_or(Error::MissingField($kind, $name))?
            };
        }
        Ok(match kind.as_str() {
            "join" => Message::Join {
                sender_id: need!(sender_id, "join", "senderId"),
                supported_protocol_versions: self.versions.unwrap_or_default(),
                peer_metadata: self.metadata.unwrap_or_default(),
            },
            "peer" => Message::Peer {
                sender_id: need!(sender_id, "peer", "senderId"),
                target_id: need!(target_id, "peer", "targetId"),
                selected_protocol_version: need!(
                    selected_version,
                    "peer",
                    "selectedProtocolVersion"
                ),
                peer_metadata: self.metadata.unwrap_or_default(),
            },
            "request" | "sync" => {
                let m = DocMessage {
                    sender_id: need!(sender_id, "sync", "senderId"),
                    target_id: need!(target_id, "sync", "targetId"),
                    document_id: need!(document_id, "sync", "documentId"),
                    data: need!(data, "sync", "data"),
                };
                if kind == "request" {
                    Message::Request(m)
                } else {
                    Message::Sync(m)
                }
            }
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: need!(sender_id, "doc-unavailable", "senderId"),
                target_id: need!(target_id, "doc-unavailable", "targetId"),
                document_id: need!(document_id, "doc-unavailable", "documentId"),
            },
            "error" => Message::Error {
                message: self.message.unwrap_or_default(),
            },
            "leave" => Message::Leave {
                sender_id: need!(sender_id, "leave", "senderId"),
            },
            "ephemeral" | "remote-subscription-change" | "remote-heads-changed" => {
                Message::Ignored { kind }
            }
            other => {
                return Err(Error::MalformedMessage(format!(
                    "unknown message type {other:?}"
                )));
            }
        })
    }
}

fn peer_id(d: &mut Decoder<'_>) -> Result<String, Error> {
    let id = d.str()?;
    if id.is_empty() || id.len() > MAX_PEER_ID_LEN {
        return Err(Error::MalformedMessage(format!(
            "peer ID of {} bytes",
            id.len()
        )));
    }
    Ok(id.to_owned())
}

fn document_id(d: &mut Decoder<'_>) -> Result<DocumentId, Error> {
    match d.datatype()? {
        Type::String => d.str()?.parse(),
        Type::Bytes => DocumentId::try_from(d.bytes()?),
        other => Err(Error::MalformedMessage(format!(
            "documentId of CBOR type {other}"
        ))),
    }
}

fn bytes_field(d: &mut Decoder<'_>) -> Result<Vec<u8>, Error> {
    match d.datatype()? {
        Type::Bytes => Ok(d.bytes()?.to_vec()),
        // cbor-x may tag typed arrays (tag 64 = uint8 array) around a byte string.
        Type::Tag => {
            d.tag()?;
            Ok(d.bytes()?.to_vec())
        }
        other => Err(Error::MalformedMessage(format!(
            "data of CBOR type {other}"
        ))),
    }
}

/// Skips one value of any type, refusing nesting deeper than [`MAX_SKIP_DEPTH`];
/// returns whether it was an array, map or tag. Unlike `Decoder::skip`, which keeps a
/// heap stack per nesting level, this uses none: a frame of millions of nested arrays
/// is refused at the ninth.
fn skip_value(d: &mut Decoder<'_>, depth: u32) -> Result<bool, Error> {
    if depth > MAX_SKIP_DEPTH {
        return Err(Error::MalformedMessage(format!(
            "CBOR nested deeper than {MAX_SKIP_DEPTH} levels"
        )));
    }
    match d.datatype()? {
        Type::Array => {
            let n = d.array()?.unwrap_or(0);
            for _ in 0..n {
                skip_value(d, depth + 1)?;
            }
            Ok(true)
        }
        Type::Map => {
            let n = d.map()?.unwrap_or(0);
            for _ in 0..n.saturating_mul(2) {
                skip_value(d, depth + 1)?;
            }
            Ok(true)
        }
        Type::ArrayIndef | Type::MapIndef => {
            if d.datatype()? == Type::ArrayIndef {
                d.array()?;
            } else {
                d.map()?;
            }
            while d.datatype()? != Type::Break {
                skip_value(d, depth + 1)?;
            }
            // The break byte (0xff) that ends an indefinite array or map.
            d.set_position(d.position() + 1);
            Ok(true)
        }
        Type::Tag => {
            d.tag()?;
            skip_value(d, depth + 1)?;
            Ok(true)
        }
        // Scalars, and byte or text strings (chunked ones are flat): nothing nests.
        _ => {
            d.skip()?;
            Ok(false)
        }
    }
}

fn metadata(d: &mut Decoder<'_>) -> Result<PeerMetadata, Error> {
    let mut m = PeerMetadata::default();
    if d.datatype()? != Type::Map {
        skip_value(d, 1)?;
        return Ok(m);
    }
    let len = d
        .map()?
        .ok_or_else(|| Error::MalformedMessage("indefinite-length metadata".into()))?;
    for _ in 0..len {
        match d.str()? {
            "storageId" if d.datatype()? == Type::String => {
                m.storage_id = Some(peer_id(d)?);
            }
            "isEphemeral" if d.datatype()? == Type::Bool => m.is_ephemeral = d.bool()?,
            _ => {
                skip_value(d, 1)?;
            }
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A `join` frame with one more field, `extra`, holding `value` (CBOR bytes).
    fn join_with(value: &[u8]) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        e.map(3).unwrap();
        e.str("type").unwrap().str("join").unwrap();
        e.str("senderId").unwrap().str("peer-1").unwrap();
        e.str("extra").unwrap();
        let mut bytes = e.into_writer();
        bytes.extend_from_slice(value);
        bytes
    }

    #[test]
    fn deeply_nested_unknown_fields_are_refused_without_memory() {
        // A megabyte of nested one-element arrays: Decoder::skip would stack a million
        // levels on the heap; the bounded skip stops at the ninth.
        let mut nested = vec![0x81u8; 1 << 20];
        nested.push(0x00);
        let err = Message::decode(&join_with(&nested)).unwrap_err();
        assert!(err.to_string().contains("nested deeper"), "{err}");
        // Indefinite-length nesting too.
        let mut indefinite = vec![0x9fu8; 1 << 16];
        indefinite.extend(std::iter::repeat_n(0xffu8, 1 << 16));
        assert!(Message::decode(&join_with(&indefinite)).is_err());
        // A handshake refuses any unknown field that is not a scalar.
        assert!(Message::decode(&join_with(&[0x81, 0x00])).is_err());
        assert!(Message::decode(&join_with(&[0xa1, 0x61, 0x61, 0x01])).is_err());
        assert!(matches!(
            Message::decode(&join_with(&[0x63, b'a', b'b', b'c'])),
            Ok(Message::Join { .. })
        ));
    }

    #[test]
    fn other_frames_skip_shallow_unknown_fields_of_any_shape() {
        let mut e = Encoder::new(Vec::new());
        e.map(3).unwrap();
        e.str("type").unwrap().str("remote-heads-changed").unwrap();
        e.str("senderId").unwrap().str("peer-1").unwrap();
        e.str("newHeads").unwrap();
        let mut bytes = e.into_writer();
        // {"storage": {"heads": ["h"], "timestamp": 1}} and an indefinite array.
        bytes.extend_from_slice(&[
            0xa1, 0x67, b's', b't', b'o', b'r', b'a', b'g', b'e', 0xa2, 0x65, b'h', b'e', b'a',
            b'd', b's', 0x9f, 0x61, b'h', 0xff, 0x69, b't', b'i', b'm', b'e', b's', b't', b'a',
            b'm', b'p', 0x01,
        ]);
        assert!(matches!(
            Message::decode(&bytes),
            Ok(Message::Ignored { .. })
        ));
    }

    fn sample() -> Vec<Message> {
        let doc = DocumentId::random();
        vec![
            Message::Join {
                sender_id: "client-1".into(),
                supported_protocol_versions: vec!["1".into()],
                peer_metadata: PeerMetadata {
                    storage_id: Some("s1".into()),
                    is_ephemeral: false,
                },
            },
            Message::Peer {
                sender_id: "server".into(),
                target_id: "client-1".into(),
                selected_protocol_version: "1".into(),
                peer_metadata: PeerMetadata::default(),
            },
            Message::Sync(DocMessage {
                sender_id: "a".into(),
                target_id: "b".into(),
                document_id: doc,
                data: vec![0x42, 1, 2, 3],
            }),
            Message::Request(DocMessage {
                sender_id: "a".into(),
                target_id: "b".into(),
                document_id: doc,
                data: vec![],
            }),
            Message::DocUnavailable {
                sender_id: "a".into(),
                target_id: "b".into(),
                document_id: doc,
            },
            Message::Error {
                message: "nope".into(),
            },
            Message::Leave {
                sender_id: "a".into(),
            },
        ]
    }

    #[test]
    fn every_message_round_trips() {
        for msg in sample() {
            let bytes = msg.encode();
            assert_eq!(Message::decode(&bytes).unwrap(), msg);
        }
    }

    #[test]
    fn reads_the_frame_a_js_client_sends() {
        // `join` exactly as @automerge/automerge-repo-network-websocket encodes it with
        // cbor-x: {type, senderId, peerMetadata:{storageId, isEphemeral}, supportedProtocolVersions}.
        let mut e = Encoder::new(Vec::new());
        e.map(4).unwrap();
        e.str("type").unwrap().str("join").unwrap();
        e.str("senderId").unwrap().str("peer-abc").unwrap();
        e.str("peerMetadata").unwrap().map(2).unwrap();
        e.str("storageId").unwrap().str("st-1").unwrap();
        e.str("isEphemeral").unwrap().bool(false).unwrap();
        e.str("supportedProtocolVersions")
            .unwrap()
            .array(1)
            .unwrap();
        e.str("1").unwrap();
        let msg = Message::decode(&e.into_writer()).unwrap();
        assert_eq!(
            msg,
            Message::Join {
                sender_id: "peer-abc".into(),
                supported_protocol_versions: vec!["1".into()],
                peer_metadata: PeerMetadata {
                    storage_id: Some("st-1".into()),
                    is_ephemeral: false
                },
            }
        );
    }

    #[test]
    fn ignores_types_it_does_not_act_on_but_refuses_unknown_ones() {
        let mut e = Encoder::new(Vec::new());
        e.map(3).unwrap();
        e.str("type")
            .unwrap()
            .str("remote-subscription-change")
            .unwrap();
        e.str("add").unwrap().null().unwrap();
        e.str("remove").unwrap().array(0).unwrap();
        assert_eq!(
            Message::decode(&e.into_writer()).unwrap(),
            Message::Ignored {
                kind: "remote-subscription-change".into()
            }
        );
        let mut e = Encoder::new(Vec::new());
        e.map(1).unwrap();
        e.str("type").unwrap().str("launch-missiles").unwrap();
        assert!(Message::decode(&e.into_writer()).is_err());
    }

    #[test]
    fn refuses_malformed_frames() {
        let good = sample()[2].encode();
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![0xff],
            b"hello".to_vec(),
            good[..good.len() - 1].to_vec(),
            [good.as_slice(), &[0]].concat(),
            // a map whose `type` is a number
            vec![0xa1, 0x64, b't', b'y', b'p', b'e', 0x01],
            // a sync message without its data
            {
                let mut e = Encoder::new(Vec::new());
                e.map(4).unwrap();
                e.str("type").unwrap().str("sync").unwrap();
                e.str("senderId").unwrap().str("a").unwrap();
                e.str("targetId").unwrap().str("b").unwrap();
                e.str("documentId").unwrap();
                e.str(&DocumentId::random().to_string()).unwrap();
                e.into_writer()
            },
            // a document ID that is not bs58check
            {
                let mut e = Encoder::new(Vec::new());
                e.map(5).unwrap();
                e.str("type").unwrap().str("sync").unwrap();
                e.str("senderId").unwrap().str("a").unwrap();
                e.str("targetId").unwrap().str("b").unwrap();
                e.str("documentId").unwrap().str("0OIl").unwrap();
                e.str("data").unwrap().bytes(&[1]).unwrap();
                e.into_writer()
            },
        ];
        for case in cases {
            assert!(Message::decode(&case).is_err(), "{case:?}");
        }
    }

    proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = Message::decode(&bytes);
        }

        #[test]
        fn decoding_mutated_frames_never_panics(idx in 0usize..7, flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
            let mut bytes = sample()[idx].encode();
            for (pos, val) in flips {
                let n = bytes.len();
                bytes[pos % n] = val;
            }
            let _ = Message::decode(&bytes);
        }
    }
}
