//! The people and companies we sell to: [`account`]s (companies or persons, with their
//! customer type and lifecycle), their [`contact`]s, the [`person`]s a message can
//! reach, each party's İYS [`consent`] log and its [`loyalty`] points ledger.

pub mod account;
pub mod consent;
pub mod contact;
pub mod loyalty;
pub mod person;
