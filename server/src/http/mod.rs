//! The HTTP side of the server, one file per concern (as atuin's `handlers/` are): the
//! [`router`] and shared [`state`]; [`failure`] answers; [`auth`] (sessions, login,
//! Origin), [`setup`] (first run), [`members`] and teams, [`invitations`], the [`audit`]
//! log, [`sync_tickets`] (tickets, the `/sync` upgrade, the change feed),
//! [`document_numbers`], [`calendar_feed`] (iCalendar subscriptions), [`survey`]
//! (customers' answers), [`unsubscribe`] (personal opt-out links), [`public_page`] (the
//! pages people outside the workspace see) and [`security`] (headers, CSP, cookies,
//! hosts).
//!
//! Bodies are the types of [`saha_core::api`]. Every failure answers with an
//! [`saha_core::api::ApiError`] carrying an [`saha_core::api::ApiErrorCode`]; every
//! security-relevant action is written to the workspace's audit log.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar_feed;
pub mod document_numbers;
pub mod failure;
pub mod invitations;
pub mod members;
pub mod public_page;
pub mod router;
pub mod security;
pub mod setup;
pub mod state;
pub mod survey;
pub mod sync_tickets;
pub mod unsubscribe;
