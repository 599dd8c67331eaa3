//! What a record change tells subscribers: `kind.created`, `kind.updated` or
//! `kind.deleted` for every change, and the business events some changes are —
//! `invoice.paid`, `campaign.sent`, `consent.changed` — beside it. An erasure (KVKK)
//! tells `kind.erased` for every record it destroyed ([`erased`]): the old ID and the
//! record that took its place, so a subscriber's copy can go too; nothing else.
//!
//! The hub raises an event in the same storage transaction as the change
//! ([`raise`] makes the [`TableEntry`]), so an event exists if and only if its change
//! was stored; the dispatcher turns events into deliveries.

use saha_core::DocumentId;
use saha_core::engagement::campaign;
use saha_core::kinds::Record;
use serde::{Deserialize, Serialize};

use crate::ServerError;
use crate::storage::TableEntry;

/// Events raised and not yet turned into deliveries, keyed `time ‖ id`.
pub const EVENTS: &str = "webhook_events";

/// Every event type (see [`saha_core::api::webhook_event_types`]).
pub fn all_types() -> Vec<String> {
    saha_core::api::webhook_event_types()
}

/// The events of a change from `before` (none: the record is new) to `after`.
pub fn types_of(before: Option<&Record>, after: &Record) -> Vec<String> {
    let kind = after.kind();
    let deleted = after.common().is_deleted();
    let mut types = vec![match before {
        None => format!("{kind}.created"),
        Some(b) if deleted && !b.common().is_deleted() => format!("{kind}.deleted"),
        Some(_) => format!("{kind}.updated"),
    }];
    match (before, after) {
        (b, Record::Sales(a))
            if a.common.kind == saha_core::sales::document::INVOICE
                && a.status == "paid"
                && !matches!(b, Some(Record::Sales(b)) if b.status == "paid") =>
        {
            types.push("invoice.paid".into());
        }
        (b, Record::Campaign(a))
            if a.status == campaign::Status::Sent
                && !matches!(b, Some(Record::Campaign(b)) if b.status == campaign::Status::Sent) =>
        {
            types.push("campaign.sent".into());
        }
        (b, Record::Contact(a))
            if !a.consents.is_empty()
                && !matches!(b, Some(Record::Contact(b)) if b.consents == a.consents) =>
        {
            types.push("consent.changed".into());
        }
        (b, Record::Account(a))
            if !a.consents.is_empty()
                && !matches!(b, Some(Record::Account(b)) if b.consents == a.consents) =>
        {
            types.push("consent.changed".into());
        }
        _ => {}
    }
    types
}

/// A raised event, as stored until the dispatcher fans it out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Raised {
    pub id: String,
    pub workspace: String,
    pub doc: DocumentId,
    pub types: Vec<String>,
    /// When the change was accepted (ms since the epoch).
    pub at: i64,
    /// The record as the change left it; none for an erasure, which tells only IDs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Record>,
    /// What else the event tells (an SLA clock's figures), put in the payload as
    /// `detail`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
}

/// The stored entry of the events `before` → `after` raise.
pub fn raise(
    workspace: &str,
    doc: DocumentId,
    before: Option<&Record>,
    after: &Record,
    at: i64,
) -> Result<TableEntry, ServerError> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let raised = Raised {
        id: id.clone(),
        workspace: workspace.to_owned(),
        doc,
        types: types_of(before, after),
        at,
        record: Some(after.clone()),
        detail: None,
    };
    entry_of(&raised)
}

/// The stored entry of `raised`.
fn entry_of(raised: &Raised) -> Result<TableEntry, ServerError> {
    Ok(TableEntry {
        table: EVENTS,
        key: format!("{:020}-{}", raised.at, raised.id),
        value: serde_json::to_vec(raised)
            .map_err(|e| ServerError::Storage(format!("webhook event: {e}")))?,
    })
}

/// The `kind.erased` event of a record an erasure destroyed: its payload names the old
/// ID (`data.id`), and in `detail` its kind, the record rebuilt in its place without
/// the person (`replacedBy`, null when erased whole) and the destruction record.
pub fn erased(
    workspace: &str,
    doc: DocumentId,
    kind: &str,
    replaced_by: Option<&str>,
    destruction: &str,
    at: i64,
) -> Result<TableEntry, ServerError> {
    entry_of(&Raised {
        id: uuid::Uuid::new_v4().simple().to_string(),
        workspace: workspace.to_owned(),
        doc,
        types: vec![format!("{kind}.erased")],
        at,
        record: None,
        detail: Some(serde_json::json!({
            "kind": kind,
            "replacedBy": replaced_by,
            "destruction": destruction,
        })),
    })
}

/// An event's `data`: the record as the REST API shows it, or only its ID when the
/// event carries no record (an erasure).
pub fn data_of(event: &Raised) -> serde_json::Value {
    match &event.record {
        Some(record) => crate::rest::records::record_json(&event.doc, record, event.at),
        None => serde_json::json!({ "id": event.doc.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saha_core::record::{EditContext, RecordType};
    use saha_core::sales::document::{INVOICE, SalesDocument};

    #[test]
    fn a_change_is_created_updated_or_deleted_and_a_payment_is_told_once() {
        let ctx = EditContext::new("u", 1);
        let draft = Record::Sales(SalesDocument::new(INVOICE, &ctx));
        assert_eq!(types_of(None, &draft), ["invoice.created"]);
        let mut paid = draft.clone();
        if let Record::Sales(d) = &mut paid {
            d.status = "paid".into();
        }
        assert_eq!(
            types_of(Some(&draft), &paid),
            ["invoice.updated", "invoice.paid"]
        );
        assert_eq!(types_of(Some(&paid), &paid), ["invoice.updated"]);
        let mut deleted = paid.clone();
        deleted.common_mut().deleted_at = 9;
        assert_eq!(types_of(Some(&paid), &deleted), ["invoice.deleted"]);
        let account = Record::Account(saha_core::parties::account::Account::blank(&ctx));
        assert_eq!(types_of(None, &account), ["account.created"]);
        assert!(all_types().contains(&"invoice.paid".to_owned()));
    }
}
