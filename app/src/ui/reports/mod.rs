//! Reports computed on the device from its records: the [`service`] report,
//! [`profit`]ability, [`customers`] (the satisfaction–loyalty matrix and retention) and
//! [`demand`], team [`performance`]; and an account's [`insights`] for its 360° page.

pub mod customers;
pub mod demand;
pub mod insights;
pub mod performance;
pub mod profit;
pub mod service;

use std::collections::HashMap;

use leptos::prelude::*;
use saha_core::DocumentId;
use saha_core::analytics::signals::as_sale_document;
use saha_core::sales::document::SalesDocument;

use crate::client::repo::RecordView;

/// Runs `f` over the orders and invoices among the records on this device, with their
/// IDs (borrowed, not copied): what the sales reports start from.
fn with_sale_documents<T>(
    records: RwSignal<HashMap<DocumentId, RecordView>>,
    f: impl FnOnce(&[(&str, &SalesDocument)]) -> T,
) -> T {
    records.with(|all| {
        let ids: Vec<(String, &SalesDocument)> = all
            .iter()
            .filter_map(|(id, v)| Some((id.to_string(), as_sale_document(&v.record)?)))
            .collect();
        let refs: Vec<(&str, &SalesDocument)> =
            ids.iter().map(|(id, d)| (id.as_str(), *d)).collect();
        f(&refs)
    })
}
