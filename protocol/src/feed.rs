//! The change feed's wire format: a workspace's documents changed since a cursor, as
//! one streamed response (`GET /api/sync/changes?since=N`).
//!
//! A fresh device asks with cursor 0 and gets every document it may see in one compact
//! stream, instead of one protocol handshake per document; a device coming back online
//! asks with its last cursor and gets only what changed since. The stream is a header
//! (the new cursor and how many documents follow, for a progress bar), then each
//! document as its ID and its stored bytes (`Automerge::load` reads them; merging them
//! into a copy the device has is safe whatever it holds), then an end mark. Only a
//! stream that reached its end mark moves the device's cursor, so a cut connection
//! costs a retry, never a missed change.
//!
//! Frames: `1 ‖ cursor u64 ‖ total u64`, `2 ‖ document ID (16 bytes) ‖ length u32 ‖
//! bytes`, `3`; integers big-endian. [`FeedReader`] parses it incrementally, as the
//! bytes arrive.

use crate::DocumentId;

const HEADER: u8 = 1;
const DOCUMENT: u8 = 2;
const END: u8 = 3;

/// Largest document a feed may carry (a larger length is a corrupt stream).
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

/// One parsed frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedItem {
    /// The cursor to keep once the stream ends, and how many documents follow.
    Header {
        cursor: u64,
        total: u64,
    },
    Document {
        id: DocumentId,
        bytes: Vec<u8>,
    },
    End,
}

/// Why a feed could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("unknown frame type {0} in the change feed")]
    UnknownFrame(u8),
    #[error("a document of {0} bytes in the change feed is larger than allowed")]
    TooLarge(usize),
    #[error("the change feed has bytes after its end")]
    TrailingBytes,
}

pub fn header(cursor: u64, total: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(17);
    out.push(HEADER);
    out.extend_from_slice(&cursor.to_be_bytes());
    out.extend_from_slice(&total.to_be_bytes());
    out
}

/// Appends a document frame to `out`.
pub fn push_document(out: &mut Vec<u8>, id: &DocumentId, bytes: &[u8]) {
    out.reserve(21 + bytes.len());
    out.push(DOCUMENT);
    out.extend_from_slice(id.as_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

pub fn end() -> Vec<u8> {
    vec![END]
}

/// Parses a feed from chunks of bytes as they arrive.
#[derive(Debug, Default)]
pub struct FeedReader {
    buffer: Vec<u8>,
    ended: bool,
}

impl FeedReader {
    pub fn new() -> FeedReader {
        FeedReader::default()
    }

    /// Takes the next chunk; returns the frames it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<FeedItem>, FeedError> {
        if self.ended && !chunk.is_empty() {
            return Err(FeedError::TrailingBytes);
        }
        self.buffer.extend_from_slice(chunk);
        let mut items = Vec::new();
        let mut at = 0;
        loop {
            let rest = &self.buffer[at..];
            let Some(&tag) = rest.first() else { break };
            let (item, used) = match tag {
                HEADER => {
                    if rest.len() < 17 {
                        break;
                    }
                    let cursor = u64::from_be_bytes(rest[1..9].try_into().unwrap_or_default());
                    let total = u64::from_be_bytes(rest[9..17].try_into().unwrap_or_default());
                    (FeedItem::Header { cursor, total }, 17)
                }
                DOCUMENT => {
                    if rest.len() < 21 {
                        break;
                    }
                    let len =
                        u32::from_be_bytes(rest[17..21].try_into().unwrap_or_default()) as usize;
                    if len > MAX_DOCUMENT_BYTES {
                        return Err(FeedError::TooLarge(len));
                    }
                    if rest.len() < 21 + len {
                        break;
                    }
                    let mut raw = [0u8; 16];
                    raw.copy_from_slice(&rest[1..17]);
                    let item = FeedItem::Document {
                        id: DocumentId::from_bytes(raw),
                        bytes: rest[21..21 + len].to_vec(),
                    };
                    (item, 21 + len)
                }
                END => (FeedItem::End, 1),
                other => return Err(FeedError::UnknownFrame(other)),
            };
            at += used;
            let is_end = item == FeedItem::End;
            items.push(item);
            if is_end {
                self.ended = true;
                if at != self.buffer.len() {
                    return Err(FeedError::TrailingBytes);
                }
                break;
            }
        }
        self.buffer.drain(..at);
        Ok(items)
    }

    /// Whether the end mark was read.
    pub fn is_complete(&self) -> bool {
        self.ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<u8>, DocumentId, DocumentId) {
        let (a, b) = (DocumentId::random(), DocumentId::random());
        let mut bytes = header(42, 2);
        push_document(&mut bytes, &a, b"first");
        push_document(&mut bytes, &b, &[]);
        bytes.extend(end());
        (bytes, a, b)
    }

    #[test]
    fn a_feed_reads_back_whatever_the_chunking() {
        let (bytes, a, b) = sample();
        let expected = vec![
            FeedItem::Header {
                cursor: 42,
                total: 2,
            },
            FeedItem::Document {
                id: a,
                bytes: b"first".to_vec(),
            },
            FeedItem::Document {
                id: b,
                bytes: Vec::new(),
            },
            FeedItem::End,
        ];
        for size in [1, 2, 5, 16, 17, 21, 1000] {
            let mut reader = FeedReader::new();
            let mut items = Vec::new();
            for chunk in bytes.chunks(size) {
                items.extend(reader.push(chunk).unwrap());
            }
            assert_eq!(items, expected, "chunks of {size}");
            assert!(reader.is_complete());
        }
    }

    #[test]
    fn a_cut_or_corrupt_feed_is_not_complete_or_is_refused() {
        let (bytes, _, _) = sample();
        let mut reader = FeedReader::new();
        reader.push(&bytes[..bytes.len() - 1]).unwrap();
        assert!(
            !reader.is_complete(),
            "no end mark: the cursor must not move"
        );
        assert_eq!(
            FeedReader::new().push(&[9]),
            Err(FeedError::UnknownFrame(9))
        );
        let mut huge = vec![DOCUMENT];
        huge.extend_from_slice(&[0; 16]);
        huge.extend_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            FeedReader::new().push(&huge),
            Err(FeedError::TooLarge(_))
        ));
        let mut trailing = bytes.clone();
        trailing.push(1);
        assert_eq!(
            FeedReader::new().push(&trailing),
            Err(FeedError::TrailingBytes)
        );
    }
}
