//! Any bytes as a change-feed download, arriving whole or in pieces: the reader never
//! panics, reads the same frames and fails with the same error however the bytes are
//! cut (a phone's download arrives in whatever chunks the network gives), and never
//! returns more document bytes than arrived.

use saha_protocol::feed::{FeedError, FeedItem, FeedReader};

/// The frames read and the first error, if any.
fn read(chunks: impl Iterator<Item = Vec<u8>>) -> (Vec<FeedItem>, Option<FeedError>, bool) {
    let mut reader = FeedReader::new();
    let mut items = Vec::new();
    for chunk in chunks {
        match reader.push(&chunk) {
            Ok(more) => items.extend(more),
            Err(e) => return (items, Some(e), reader.is_complete()),
        }
    }
    (items, None, reader.is_complete())
}

pub fn check(data: &[u8]) {
    let Some((&first, stream)) = data.split_first() else {
        return;
    };
    let piece = usize::from(first % 32) + 1;
    let (whole, whole_error, whole_complete) = read(std::iter::once(stream.to_vec()));
    let (pieces, pieces_error, pieces_complete) = read(stream.chunks(piece).map(<[u8]>::to_vec));
    assert_eq!(
        whole_error, pieces_error,
        "the error depends on how the bytes arrived"
    );
    if whole_error.is_none() {
        assert_eq!(whole, pieces, "the frames depend on how the bytes arrived");
        assert_eq!(whole_complete, pieces_complete);
        assert_eq!(
            whole_complete,
            whole.last() == Some(&FeedItem::End),
            "complete exactly when the end mark was read"
        );
    }
    let delivered: usize = pieces
        .iter()
        .map(|item| match item {
            FeedItem::Document { bytes, .. } => bytes.len(),
            _ => 0,
        })
        .sum();
    assert!(
        delivered <= stream.len(),
        "more document bytes than arrived"
    );
}
