//! The error type of the shared core.

/// Everything that can go wrong in the shared core. Each variant says what the input was
/// and why it was refused; none of them is a panic.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A document ID, URL or sync frame was refused by the protocol layer.
    #[error(transparent)]
    Sync(#[from] saha_protocol::Error),
    /// The workspace index document has not been set up (no `records` map yet).
    #[error("the workspace index has no records map yet")]
    IndexNotReady,
    /// The device's local store could not be read or written.
    #[error("the local store failed: {0}")]
    LocalStore(String),
    // The large library errors are boxed so that `Result<_, Error>` stays small.
    #[error("automerge rejected the change: {0}")]
    Automerge(Box<automerge::AutomergeError>),
    #[error("the document does not match the record schema: {0}")]
    Hydrate(Box<autosurgeon::HydrateError>),
    #[error("could not write the record into the document: {0}")]
    Reconcile(Box<autosurgeon::ReconcileError>),
}

impl From<automerge::AutomergeError> for Error {
    fn from(e: automerge::AutomergeError) -> Self {
        Error::Automerge(Box::new(e))
    }
}

impl From<autosurgeon::HydrateError> for Error {
    fn from(e: autosurgeon::HydrateError) -> Self {
        Error::Hydrate(Box::new(e))
    }
}

impl From<autosurgeon::ReconcileError> for Error {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        Error::Reconcile(Box::new(e))
    }
}
