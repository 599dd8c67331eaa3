//! Selling: [`lead`]s and their conversion, [`opportunity`]s in the pipeline, the
//! [`product`] catalogue, and quotes, orders and invoices ([`document`]) priced in exact
//! [`money`] with [`invoice_number`]s that stay unique across offline devices.

pub mod document;
pub mod invoice_number;
pub mod lead;
pub mod money;
pub mod opportunity;
pub mod product;
