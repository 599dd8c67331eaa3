//! Duplicates: finding the same company or person entered twice, and merging the two.
//!
//! A Turkish team's spreadsheet holds "Anadolu Gıda A.Ş.", "ANADOLU GIDA SAN. VE TİC.
//! A.Ş." and "Anadolu Gida" — one customer, three rows. Finding them runs in two steps,
//! so that a workspace of 100,000 accounts is never compared pair by pair:
//!
//! 1. **Candidates by exact keys** ([`keys`]): each account or contact gives its keys —
//!    its VKN/TCKN, e-mail addresses (lower-cased), E.164 phone numbers, the domain of a
//!    company's e-mail unless it is a free-mail domain (gmail.com, hotmail.com, …), and
//!    its name folded for Turkish (İ/ı/I → i, ş → s, …) with legal-form words ("A.Ş.",
//!    "Ltd. Şti.", "San. ve Tic.") removed and the words sorted. Only records sharing a
//!    key become a candidate pair ([`scan()`]); a key shared by more than
//!    [`scan::MAX_BLOCK`] records (a switchboard number on every branch) is too common to
//!    pair on.
//! 2. **A score** ([`keys::score`]) from which keys the two share, how alike their
//!    folded names are (Sørensen–Dice over letter pairs, so reordered and misspelt
//!    words still score) and whether their cities agree; two different tax numbers
//!    mean two legal entities. Pairs scoring [`scan::THRESHOLD`] or more are shown.
//!
//! The same matcher runs at the point of entry ([`scan::matches_for`]): a new account or
//! contact, and a lead being converted, are compared with what exists.
//!
//! **Merging** ([`merge`]) keeps one record (the survivor) with the values chosen per
//! field, combines tags, notes, consent logs and loyalty ledgers, and moves every record
//! linking to the other one onto the survivor. The merged record is not removed: it is
//! deleted into the bin and keeps the survivor's ID in `merged_into`, a redirect — a
//! link to it opens the survivor, and an edit a device made to it while offline is
//! forwarded to the survivor when it arrives ([`merge::forwarding`]).

pub mod keys;
pub mod merge;
pub mod scan;

pub use keys::{KeyKind, Profile};
pub use scan::{Pair, matches_for, scan};
