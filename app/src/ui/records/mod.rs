//! Every record kind's list, page and form, driven by the kind registry
//! ([`saha_core::kinds`]): [`list`] (search, filter, sort), [`detail`] (facts and the
//! kind's panels from the feature modules), [`form`] (new and edit), the account's 360°
//! panels and timeline ([`account`]), the search page ([`search`]) and a list saved as a
//! file ([`export`]).

pub mod account;
pub mod attachments;
pub mod detail;
pub mod export;
pub mod form;
pub mod list;
pub mod search;
