//! The people and companies we sell to: [`account`]s (companies or persons, with their
//! customer type and lifecycle), their [`contact`]s, and each account's [`timeline`]
//! built from everything linked to it.

pub mod account;
pub mod contact;
pub mod timeline;
