//! The automerge-repo sync protocol as Saha speaks it, with no I/O and no CRM records.
//!
//! Every Saha record is one Automerge document named by a [`DocumentId`]. Two peers (a
//! browser and the server, or two server nodes) keep their copies equal by exchanging
//! frames over a WebSocket:
//!
//! 1. **Handshake.** The connecting side sends [`wire::Message::Join`] with the protocol
//!    versions it speaks; the accepting side answers [`wire::Message::Peer`] with the
//!    one it chose (only `"1"` exists), or `error` and closes.
//! 2. **Sync.** For each document either side may send [`wire::Message::Sync`] carrying
//!    an Automerge sync message (see [`automerge::sync`]). A peer that has never seen
//!    the document asks with [`wire::Message::Request`] instead. Each side keeps one
//!    [`automerge::sync::State`] per document per connection: what it believes the
//!    other side has. Messages flow until neither side has anything the other lacks;
//!    then both hold the same heads. Sync is idempotent and order-tolerant, so a frame
//!    lost with a dropped connection costs only a re-send after reconnecting.
//! 3. **Unavailable.** A side that cannot serve a requested document answers
//!    [`wire::Message::DocUnavailable`].
//!
//! [`sync::Connection`] is that state machine for one connection. It is sans-IO: the
//! caller decodes a frame with [`wire::Message::decode`], hands it to the connection
//! together with the document it names, and sends whatever comes back, so the server's
//! socket handler and the browser's sync client drive the same code. Authorisation of
//! what a change *contains* is not this crate's business; the server checks each change
//! against the record rules in `saha-core` before it keeps it.
//!
//! [`feed`] is the format of the server's change feed (bootstrap by snapshot, then
//! changes after a cursor), used by a second server node and by the benchmarks.
//!
//! ```
//! use automerge::{Automerge, ReadDoc, transaction::Transactable};
//! use saha_protocol::sync::Connection;
//! use saha_protocol::wire::{Message, PeerMetadata};
//! use saha_protocol::DocumentId;
//!
//! // The browser joins; the server answers `peer`.
//! let (mut browser, join) = Connection::client("browser", PeerMetadata::default());
//! let mut server = Connection::server("server");
//! let peer = server.handshake(&Message::decode(&join.encode())?)?.expect("a peer reply");
//! browser.handshake(&Message::decode(&peer.encode())?)?;
//!
//! // The browser holds a document the server has never seen.
//! let id = DocumentId::random();
//! let mut on_phone = Automerge::new();
//! on_phone.transact(|tx| tx.put(automerge::ROOT, "name", "Marmara Lojistik"))
//!     .map_err(|failure| failure.error)?;
//! let mut on_server = Automerge::new();
//!
//! // Frames go back and forth until neither side has anything to send.
//! loop {
//!     let mut sent = false;
//!     if let Some(Message::Sync(m) | Message::Request(m)) = browser.generate(id, &on_phone) {
//!         server.receive(&mut on_server, &m)?;
//!         sent = true;
//!     }
//!     if let Some(Message::Sync(m)) = server.generate(id, &on_server) {
//!         browser.receive(&mut on_phone, &m)?;
//!         sent = true;
//!     }
//!     if !sent { break; }
//! }
//! assert_eq!(on_server.get_heads(), on_phone.get_heads());
//! assert!(on_server.get(automerge::ROOT, "name")?.is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod document_id;
pub mod error;
pub mod feed;
pub mod sync;
pub mod wire;

pub use document_id::{AutomergeUrl, DocumentId};
pub use error::Error;
