//! Selling: [`lead`]s and their conversion, [`opportunity`]s in the pipeline, the
//! [`product`] catalogue, and quotes, orders and invoices ([`document`]) priced in exact
//! [`money`], with [`numbering`] that stays unique across offline devices.

pub mod document;
pub mod lead;
pub mod money;
pub mod numbering;
pub mod opportunity;
pub mod product;
