//! Talking to customers with their consent: [`segment`]s (saved filters over people),
//! [`campaign`]s gated by consent ([`crate::parties::consent`]) and approval. Who a
//! segment or campaign reaches is computed in [`crate::views::audience`], birthdays and
//! customer anniversaries in [`crate::views::special_days`].

pub mod campaign;
pub mod segment;
