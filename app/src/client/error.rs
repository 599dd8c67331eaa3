//! What a change made on this device can fail with. Every screen gets the same typed
//! error and words it with [`crate::i18n::repo_error`]; nothing is passed as a string
//! code.

use saha_core::record::form::Problems;
use saha_core::record::{EditError, WorkflowRefusal};
use saha_core::rules;

/// Why a change on this device was not stored.
#[derive(Debug, Clone, PartialEq)]
pub enum RepoError {
    /// The form has problems, per field; nothing was written.
    Invalid(Problems),
    /// A workflow step that does not apply to the record as it is (ordering a quote
    /// that was not accepted, …).
    Workflow(WorkflowRefusal),
    /// A change the rule table refuses: the server would refuse it too.
    Rules(rules::Refusal),
    /// The workspace index has not reached this device yet.
    NoIndex,
    /// The record could not be read or written (a corrupt document).
    Record(String),
    /// IndexedDB failed; what it said.
    Store(String),
    /// A new account or contact looks like one already recorded (their titles, best
    /// match first): nothing was written; saving again creates it anyway.
    PossibleDuplicate(Vec<String>),
}

impl From<EditError> for RepoError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Invalid(problems) => RepoError::Invalid(problems),
            EditError::Refused(refusal) => RepoError::Workflow(refusal),
            EditError::Store(e) => RepoError::Record(e.to_string()),
        }
    }
}

impl From<WorkflowRefusal> for RepoError {
    fn from(refusal: WorkflowRefusal) -> Self {
        RepoError::Workflow(refusal)
    }
}

impl From<rules::Refusal> for RepoError {
    fn from(refusal: rules::Refusal) -> Self {
        RepoError::Rules(refusal)
    }
}

impl From<saha_core::Error> for RepoError {
    fn from(e: saha_core::Error) -> Self {
        RepoError::Record(e.to_string())
    }
}
