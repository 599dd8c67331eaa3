//! Pieces every feature uses: formatting dates, amounts and spans ([`format`]), links to
//! records ([`links`]), a record's card in lists ([`record_card`]), error lines and
//! workflow steps ([`feedback`]), confirmations and reason sheets ([`dialog`]), file
//! downloads ([`files`]) and table exports to CSV and Excel ([`export`]), the keys a likely duplicate shares ([`matches`]), record pickers ([`pickers`]) and the language switch
//! ([`language`]), toasts with undo ([`toast`]), SVG charts with their tables
//! ([`chart`]). Nothing here imports a feature module.

pub mod chart;
pub mod dialog;
pub mod export;
pub mod feedback;
pub mod files;
pub mod format;
pub mod language;
pub mod links;
pub mod matches;
pub mod pickers;
pub mod record_card;
pub mod toast;
