//! Meaning from the records: figures computed over the typed records a caller holds
//! (the app's read model, the server's record projection), never by loading
//! documents, so the browser and the REST API's reports answer alike.
//!
//! - [`signals`]: what the reports read, gathered from the records in one pass.
//! - [`settings`]: the workspace's thresholds and cut-offs.
//! - [`ledger`]: every order's and invoice's figures read once, kept between
//!   recomputes; which of them are sales.
//! - [`profit`]: revenue and gross margin per account, ABC
//!   classes by margin, the whale curve and RFM scores.
//! - [`matrix`]: the satisfaction–loyalty matrix and its four groups.
//! - [`retention`]: each customer's usual interval between sales, who is at risk and
//!   who has gone silent.
//! - [`cross_sell`]: what to offer an account next, from products bought together.
//! - [`wallet`]: share of wallet against the account's annual potential.
//! - [`performance`]: won revenue against goals, win rate, sales cycle, pipeline, stage
//!   conversion, calls, case times and the NPS trend, per rep and team.
//! - [`demand`]: monthly quantity per product and a forecast with its backtest error.

pub mod cross_sell;
pub mod demand;
pub mod ledger;
pub mod matrix;
pub mod performance;
pub mod profit;
pub mod retention;
pub mod settings;
pub mod signals;
pub mod wallet;
