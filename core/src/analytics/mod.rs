//! Meaning from the records: figures computed over the typed records a caller holds
//! (the app's read model, the server's record projection), never by loading
//! documents, so the browser and the REST API's reports answer alike.
//!
//! - [`profit`]: which documents are sales, revenue and gross margin per account, ABC
//!   classes by margin, the whale curve and RFM scores.

pub mod profit;
