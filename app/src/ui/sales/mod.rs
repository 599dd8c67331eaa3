//! Selling: the pipeline board ([`pipeline`]), leads and opportunities
//! ([`opportunities`]), and quotes, orders and invoices with their lines
//! ([`documents`]).

pub mod documents;
pub mod opportunities;
pub mod pipeline;
