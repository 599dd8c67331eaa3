//! The error type of the protocol crate.

/// Everything that can go wrong reading an ID or a frame, or driving a connection. Each
/// variant says what the input was and why it was refused; none of them is a panic.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid document ID {0:?}: expected a bs58check-encoded 16-byte ID")]
    InvalidDocumentId(String),
    #[error("invalid automerge URL {0:?}: expected `automerge:<document id>`")]
    InvalidUrl(String),
    #[error("malformed wire message: {0}")]
    MalformedMessage(String),
    #[error("wire message of type {0:?} is missing the field {1:?}")]
    MissingField(&'static str, &'static str),
    #[error("wire message of {0} bytes exceeds the limit of {1} bytes")]
    MessageTooLarge(usize, usize),
    #[error("unsupported protocol versions {0:?}; this server speaks \"1\"")]
    UnsupportedProtocol(Vec<String>),
    #[error("protocol violation: {0}")]
    Protocol(String),
    #[error("invalid automerge sync message: {0}")]
    InvalidSyncMessage(String),
    // Boxed so that `Result<_, Error>` stays small.
    #[error("automerge rejected the change: {0}")]
    Automerge(Box<automerge::AutomergeError>),
}

impl From<automerge::AutomergeError> for Error {
    fn from(e: automerge::AutomergeError) -> Self {
        Error::Automerge(Box::new(e))
    }
}

impl From<minicbor::decode::Error> for Error {
    fn from(e: minicbor::decode::Error) -> Self {
        Error::MalformedMessage(e.to_string())
    }
}
