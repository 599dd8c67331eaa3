//! The workspace index: the document that lists every record document of a workspace.
//!
//! Any automerge-repo peer that knows the index URL (served by `GET /api/workspace`) can
//! walk the workspace: the index holds `records`, a map from document ID to an entry
//! with the record's kind. Two devices adding records offline add different keys, so the
//! index merges without conflict.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};

use crate::value::get_string;
use crate::{DocumentId, Error};

/// Value of the `kind` field of an index document.
pub const KIND: &str = "workspace";
pub const SCHEMA_VERSION: i64 = 1;

/// A new index document for a workspace called `name`.
pub fn create(name: &str) -> Result<Automerge, Error> {
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", KIND)?;
        tx.put(ROOT, "schema", SCHEMA_VERSION)?;
        tx.put(ROOT, "name", name)?;
        tx.put_object(ROOT, "records", ObjType::Map)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(doc)
}

/// Lists a record in the index. Returns whether the index changed.
///
/// The index must already hold its `records` map (it is created once, with the index):
/// creating it on a replica that has not received the index yet would make a second,
/// concurrent `records` object, and one of the two would hide the other after merging.
pub fn add_record(
    doc: &mut Automerge,
    id: DocumentId,
    kind: &str,
    created_at_ms: i64,
) -> Result<bool, Error> {
    let key = id.to_string();
    let records = match doc.get(ROOT, "records")? {
        Some((automerge::Value::Object(ObjType::Map), obj)) => obj,
        _ => {
            return Err(Error::Protocol(
                "the workspace index has no records map yet".into(),
            ));
        }
    };
    if doc.get(&records, &key)?.is_some() {
        return Ok(false);
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let entry = tx.put_object(&records, &key, ObjType::Map)?;
        tx.put(&entry, "kind", kind)?;
        tx.put(&entry, "createdAt", created_at_ms)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(true)
}

/// Whether `doc` is a usable index (it has been created or received).
pub fn is_ready(doc: &Automerge) -> bool {
    matches!(
        doc.get(ROOT, "records"),
        Ok(Some((automerge::Value::Object(ObjType::Map), _)))
    )
}

/// Every record listed in the index, with its kind. Entries whose key is not a valid
/// document ID (written by a buggy or hostile peer) are skipped.
pub fn records(doc: &Automerge) -> Vec<(DocumentId, String)> {
    let Ok(Some((_, records))) = doc.get(ROOT, "records") else {
        return Vec::new();
    };
    doc.map_range(&records, ..)
        .filter_map(|item| {
            let id: DocumentId = item.key.parse().ok()?;
            let kind = get_string(doc, &item.id(), "kind").unwrap_or_default();
            Some((id, kind))
        })
        .collect()
}

/// The workspace's display name.
pub fn name(doc: &Automerge) -> String {
    get_string(doc, &ROOT, "name").unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_added_offline_on_two_devices_merge() {
        let base = create("Saha").unwrap();
        let mut a = base.fork();
        let mut b = base.fork();
        let (x, y) = (DocumentId::random(), DocumentId::random());
        assert!(add_record(&mut a, x, "account", 1).unwrap());
        assert!(!add_record(&mut a, x, "account", 1).unwrap());
        assert!(add_record(&mut b, y, "account", 2).unwrap());
        a.merge(&mut b).unwrap();
        let mut listed = records(&a);
        listed.sort();
        let mut expected = vec![(x, "account".to_owned()), (y, "account".to_owned())];
        expected.sort();
        assert_eq!(listed, expected);
        assert_eq!(name(&a), "Saha");
    }

    #[test]
    fn an_index_not_yet_received_refuses_records() {
        let mut empty = Automerge::new();
        assert!(!is_ready(&empty));
        assert!(add_record(&mut empty, DocumentId::random(), "account", 1).is_err());
        assert!(empty.get_heads().is_empty());
        assert!(is_ready(&create("Saha").unwrap()));
    }
}
