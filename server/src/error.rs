//! The server's error type.

use saha_core::DocumentId;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("storage: {0}")]
    Storage(String),
    #[error("the storage writer has stopped")]
    WriterGone,
    #[error("stored bytes of document {0} are corrupt: {1}")]
    CorruptDocument(DocumentId, Box<automerge::AutomergeError>),
    #[error(transparent)]
    Core(#[from] saha_core::Error),
    /// A sync message that broke the protocol.
    #[error(transparent)]
    Protocol(#[from] saha_protocol::Error),
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// A configuration the server refuses to run with.
    #[error("configuration: {0}")]
    Config(String),
}

macro_rules! storage_error {
    ($($t:ty),*) => {$(
        impl From<$t> for ServerError {
            fn from(e: $t) -> Self {
                ServerError::Storage(e.to_string())
            }
        }
    )*};
}
storage_error!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);
