//! Reading values the way other automerge clients write them.
//!
//! Saha writes single-line fields as scalar strings, but automerge-repo's JS clients
//! write every string as a collaborative text object by default. Readers accept both,
//! so a record created by any automerge peer shows up in Saha.
//!
//! Likewise for numbers: JavaScript has one number type, and `@automerge/automerge`
//! stores a plain `0` or `42` as a 64-bit float. An integer field accepts any integral
//! value — signed, unsigned, counter, timestamp or a float with no fractional part
//! within ±2⁵³ — and refuses `1.5`, `NaN` or a string, so the typed read of a record
//! (and the server's check of every change, see [`crate::rules`]) sees the same integer
//! whichever client wrote it.

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

/// Largest integer a 64-bit float holds exactly (2⁵³).
const MAX_EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

/// The integer an automerge scalar stands for, if it is one.
pub fn as_integer(scalar: &automerge::ScalarValue) -> Option<i64> {
    use automerge::ScalarValue;
    match scalar {
        ScalarValue::Int(i) => Some(*i),
        ScalarValue::Uint(u) => i64::try_from(*u).ok(),
        ScalarValue::Timestamp(t) => Some(*t),
        ScalarValue::Counter(c) => Some(i64::from(c)),
        ScalarValue::F64(f) if f.is_finite() && f.fract() == 0.0 && f.abs() <= MAX_EXACT_FLOAT => {
            // Exact: integral and within the range a float holds without rounding.
            Some(*f as i64)
        }
        _ => None,
    }
}

fn read_integer<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<i64>, HydrateError> {
    match doc.get(obj, &prop)? {
        None => Ok(None),
        Some((Value::Scalar(s), _)) => as_integer(&s)
            .map(Some)
            .ok_or_else(|| HydrateError::unexpected("an integer", format!("{s:?}"))),
        Some((Value::Object(t), _)) => {
            Err(HydrateError::unexpected("an integer", format!("{t:?}")))
        }
    }
}

/// `autosurgeon(hydrate = ...)` for a required `i64` field: any integral value (see the
/// module docs); a missing field is an error, as without this function.
pub fn hydrate_int<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<i64, HydrateError> {
    read_integer(doc, obj, prop)?
        .ok_or_else(|| HydrateError::unexpected("an integer", "nothing".to_owned()))
}

/// `autosurgeon(hydrate = ...)` for an `i64` field added in a later schema version:
/// any integral value, missing as 0.
pub fn hydrate_int_or_zero<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<i64, HydrateError> {
    Ok(read_integer(doc, obj, prop)?.unwrap_or(0))
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

    #[test]
    fn integral_floats_read_as_integers_and_fractions_do_not() {
        use automerge::ScalarValue;
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            // What `A.from({sequence: 0})` writes in @automerge/automerge 3.
            tx.put(ROOT, "zero", ScalarValue::F64(0.0))?;
            tx.put(ROOT, "big", ScalarValue::F64(1_767_225_600_000.0))?;
            tx.put(ROOT, "negative", ScalarValue::F64(-3.0))?;
            tx.put(ROOT, "half", ScalarValue::F64(1.5))?;
            tx.put(ROOT, "nan", ScalarValue::F64(f64::NAN))?;
            tx.put(ROOT, "huge", ScalarValue::F64(1e300))?;
            tx.put(ROOT, "int", 7_i64)?;
            tx.put(ROOT, "uint", ScalarValue::Uint(9))?;
            tx.put(ROOT, "text", "12")?;
            Ok(())
        })
        .unwrap();
        let int = |key: &str| hydrate_int(&doc, &ROOT, key.into()).ok();
        assert_eq!(int("zero"), Some(0));
        assert_eq!(int("big"), Some(1_767_225_600_000));
        assert_eq!(int("negative"), Some(-3));
        assert_eq!(int("int"), Some(7));
        assert_eq!(int("uint"), Some(9));
        for refused in ["half", "nan", "huge", "text", "absent"] {
            assert_eq!(int(refused), None, "{refused}");
        }
        assert_eq!(
            hydrate_int_or_zero(&doc, &ROOT, "absent".into()).ok(),
            Some(0)
        );
        assert!(hydrate_int_or_zero(&doc, &ROOT, "half".into()).is_err());
    }
}
