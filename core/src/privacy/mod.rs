//! Personal data rights (KVKK, Law 6698, Art. 11): what Saha holds about a person, in
//! one file.
//!
//! - [`access`]: everything about one person — their own record (with its consent log
//!   and loyalty ledger), every record that refers to them, and what campaigns sent
//!   them — gathered the same way on a device (from the records it holds) and on the
//!   server, as JSON for the person and as the rows of a readable report.
//! - [`erasure`]: what erasing a person destroys, and what other records keep of
//!   them once anonymised.
//! - [`request`]: the log of data-subject requests with their 30-day deadlines.
//! - [`retention`]: the retention policy and what each of its runs erases.

pub mod access;
pub mod erasure;
pub mod request;
pub mod retention;

/// The REST API scope section of the request log and access answers
/// (`privacy:read`, `privacy:write`); a token's `*` does not include it.
pub const SCOPE: &str = "privacy";

/// A new record of `kind` made from form `fields`, for this module's tests.
#[cfg(test)]
pub(crate) fn test_record(kind: &str, fields: &[(&str, &str)]) -> crate::kinds::Record {
    let ctx = crate::record::EditContext::new("u1", 1_000);
    let mut record = crate::kinds::Record::blank(kind, &ctx).expect("kind");
    let mut form = record.form();
    for (field, value) in fields {
        form.set(field, *value);
    }
    record.apply_new(&form, &ctx).expect("valid");
    record
}
