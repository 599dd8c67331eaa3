//! The sync path: [`socket`] speaks the automerge-repo protocol on `/sync` (driving
//! [`saha_protocol::sync::Connection`]) under the [`hub::Grant`] of a sync ticket
//! ([`tickets`]); the [`hub`] authorizes every document message against the [`catalog`]
//! and the rule table, keeps live documents and fans out changes between connections
//! (and, on PostgreSQL, takes in other nodes' changes).

pub mod catalog;
pub mod hub;
pub mod socket;
pub mod tickets;
