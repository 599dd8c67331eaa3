//! Reading strings that another client may have written as text.
//!
//! Saha writes single-line fields as scalar strings, but automerge-repo's JS clients
//! write every string as a collaborative text object by default. Readers accept both,
//! so a record created by any automerge peer shows up in Saha.

use automerge::{ObjId, ObjType, Value};
use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, hydrate_prop};

/// A string stored as a scalar or as a text object.
pub struct AnyString(pub String);

impl Hydrate for AnyString {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        Ok(AnyString(s.to_owned()))
    }

    fn hydrate_text<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        Ok(AnyString(doc.text(obj)?))
    }
}

/// `autosurgeon(hydrate = ...)` for `String` fields: scalar or text, missing as empty.
pub fn hydrate_any_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<String, HydrateError> {
    if doc.get(obj, &prop)?.is_none() {
        return Ok(String::new());
    }
    let value: AnyString = hydrate_prop(doc, obj, prop)?;
    Ok(value.0)
}

/// The string at `key` of `obj`, scalar or text; `None` if absent or not a string.
pub fn get_string<D: automerge::ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => s.as_str().map(str::to_owned),
        (Value::Object(ObjType::Text), id) => doc.text(&id).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT};

    #[test]
    fn reads_scalar_and_text_strings() {
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "scalar", "Çağrı")?;
            let text = tx.put_object(ROOT, "text", ObjType::Text)?;
            tx.splice_text(&text, 0, 0, "Şule")?;
            tx.put(ROOT, "number", 5)?;
            Ok(())
        })
        .unwrap();
        assert_eq!(get_string(&doc, &ROOT, "scalar").as_deref(), Some("Çağrı"));
        assert_eq!(get_string(&doc, &ROOT, "text").as_deref(), Some("Şule"));
        assert_eq!(get_string(&doc, &ROOT, "number"), None);
        assert_eq!(get_string(&doc, &ROOT, "absent"), None);
    }
}
