//! Serving customers: a case's SLA clock and its steps ([`cases`]).

pub mod cases;
