//! Reports computed on the device from its records: the [`service`] report,
//! [`profit`]ability, [`customers`] (the satisfaction–loyalty matrix and retention) and
//! [`demand`], team [`performance`]; and an account's [`insights`] for its 360° page.

pub mod customers;
pub mod demand;
pub mod insights;
pub mod performance;
pub mod profit;
pub mod service;

use saha_core::analytics::ledger::Sale;

use crate::ui::repo;

/// Runs `f` over the sales among the orders and invoices on this device, from the
/// sales ledger the repository keeps (each document's figures read once per change).
/// Reactive: re-runs when an order or invoice changes.
fn with_sales<T>(f: impl FnOnce(&[Sale<'_>]) -> T) -> T {
    repo().with_sales(|ledger| f(&ledger.sales()))
}
