//! How a likely duplicate is described: the keys two records share, in words. Used by
//! the duplicates screen and by a lead's conversion.

use saha_core::duplicates::KeyKind;

use crate::i18n::{self, Key, Lang};

/// The words for one kind of shared key ("same e-mail").
pub fn key_word(key: KeyKind) -> Key {
    match key {
        KeyKind::TaxNumber => Key::DupKeyTaxNumber,
        KeyKind::Email => Key::DupKeyEmail,
        KeyKind::Phone => Key::DupKeyPhone,
        KeyKind::Domain => Key::DupKeyDomain,
        KeyKind::Name => Key::DupKeyName,
    }
}

/// The shared keys as one line: "same tax number, same name".
pub fn keys_text(lang: Lang, keys: &[KeyKind]) -> String {
    keys.iter()
        .map(|k| i18n::word(lang, key_word(*k)))
        .collect::<Vec<_>>()
        .join(", ")
}
