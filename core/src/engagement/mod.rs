//! Talking to customers with their consent: the İYS [`consent`] log, [`segment`]s
//! (saved filters over people), [`campaign`]s gated by consent and approval,
//! [`special_days`] (birthdays and customer anniversaries) and [`loyalty`] points.

pub mod campaign;
pub mod consent;
pub mod loyalty;
pub mod segment;
pub mod special_days;
