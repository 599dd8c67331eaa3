//! Text as users type it: [`validate`] checks fields (e-mail, phone, VKN/TCKN, IBAN, …)
//! and names each [`validate::Problem`]; [`fold`] makes Turkish text comparable (İ/i/I/ı
//! alike) for search and duplicate detection. Depends on nothing else in the crate.

pub mod fold;
pub mod validate;
