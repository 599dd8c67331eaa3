//! Selling: the pipeline board ([`pipeline`]), leads and opportunities
//! ([`opportunities`]), a lead's conversion into the records it may already be
//! ([`conversion`]), and quotes, orders and invoices with their lines
//! ([`documents`]).

pub mod conversion;
pub mod documents;
pub mod opportunities;
pub mod pipeline;
