//! User-facing text in Turkish (the default) and English.
//!
//! Every string the UI shows is a [`Msg`]; [`Msg::text`] is an exhaustive match, so a
//! new message cannot be added without both translations. Problems found by validation
//! ([`saha_core::validate::Problem`]) are worded here too.

use saha_core::account::CustomerType;
use saha_core::validate::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Tr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Tr => "tr",
            Lang::En => "en",
        }
    }

    /// Picks the language from the browser's preference list: the first of Turkish or
    /// English that appears wins; with neither, Turkish.
    pub fn from_preferences<'a>(languages: impl IntoIterator<Item = &'a str>) -> Lang {
        for tag in languages {
            let primary = tag
                .split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            match primary.as_str() {
                "tr" => return Lang::Tr,
                "en" => return Lang::En,
                _ => {}
            }
        }
        Lang::Tr
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "tr" => Some(Lang::Tr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Accounts,
    NewAccount,
    EditAccount,
    Search,
    SearchPlaceholder,
    NoAccounts,
    NoMatches,
    Name,
    Phone,
    Email,
    City,
    CustomerType,
    Notes,
    Save,
    Cancel,
    Edit,
    Back,
    Loading,
    RecordNotFound,
    PageNotFound,
    FormHasErrors,
    Offline,
    Connecting,
    Syncing,
    Synced,
    Language,
    StorageFailed,
    SaveFailed,
    Call,
    Write,
    SyncStatus,
    ShowMore,
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        use Lang::{En, Tr};
        match (self, lang) {
            (Msg::Accounts, Tr) => "Müşteriler",
            (Msg::Accounts, En) => "Accounts",
            (Msg::NewAccount, Tr) => "Yeni müşteri",
            (Msg::NewAccount, En) => "New account",
            (Msg::EditAccount, Tr) => "Müşteriyi düzenle",
            (Msg::EditAccount, En) => "Edit account",
            (Msg::Search, Tr) => "Ara",
            (Msg::Search, En) => "Search",
            (Msg::SearchPlaceholder, Tr) => "Ad, şehir, telefon veya e-posta",
            (Msg::SearchPlaceholder, En) => "Name, city, phone or email",
            (Msg::NoAccounts, Tr) => "Henüz müşteri yok. İlk müşteriyi ekleyin.",
            (Msg::NoAccounts, En) => "No accounts yet. Add the first one.",
            (Msg::NoMatches, Tr) => "Aramanızla eşleşen müşteri yok.",
            (Msg::NoMatches, En) => "No account matches your search.",
            (Msg::Name, Tr) => "Ad / Unvan",
            (Msg::Name, En) => "Name",
            (Msg::Phone, Tr) => "Telefon",
            (Msg::Phone, En) => "Phone",
            (Msg::Email, Tr) => "E-posta",
            (Msg::Email, En) => "Email",
            (Msg::City, Tr) => "Şehir",
            (Msg::City, En) => "City",
            (Msg::CustomerType, Tr) => "Müşteri tipi",
            (Msg::CustomerType, En) => "Customer type",
            (Msg::Notes, Tr) => "Notlar",
            (Msg::Notes, En) => "Notes",
            (Msg::Save, Tr) => "Kaydet",
            (Msg::Save, En) => "Save",
            (Msg::Cancel, Tr) => "Vazgeç",
            (Msg::Cancel, En) => "Cancel",
            (Msg::Edit, Tr) => "Düzenle",
            (Msg::Edit, En) => "Edit",
            (Msg::Back, Tr) => "Geri",
            (Msg::Back, En) => "Back",
            (Msg::Loading, Tr) => "Yükleniyor…",
            (Msg::Loading, En) => "Loading…",
            (Msg::RecordNotFound, Tr) => {
                "Bu kayıt bu cihazda yok; eşitleme sürüyorsa birazdan görünür."
            }
            (Msg::RecordNotFound, En) => {
                "This record is not on this device; if sync is running it will appear shortly."
            }
            (Msg::PageNotFound, Tr) => "Sayfa bulunamadı.",
            (Msg::PageNotFound, En) => "Page not found.",
            (Msg::FormHasErrors, Tr) => {
                "Bazı alanların düzeltilmesi gerekiyor. Yazdıklarınız korunuyor."
            }
            (Msg::FormHasErrors, En) => "Some fields need fixing. What you typed is kept.",
            (Msg::Offline, Tr) => "Çevrimdışı",
            (Msg::Offline, En) => "Offline",
            (Msg::Connecting, Tr) => "Bağlanıyor",
            (Msg::Connecting, En) => "Connecting",
            (Msg::Syncing, Tr) => "Eşitleniyor",
            (Msg::Syncing, En) => "Syncing",
            (Msg::Synced, Tr) => "Eşitlendi",
            (Msg::Synced, En) => "Synced",
            (Msg::Language, Tr) => "Dil",
            (Msg::Language, En) => "Language",
            (Msg::StorageFailed, Tr) => "Bu cihazdaki veri deposu açılamadı",
            (Msg::StorageFailed, En) => "The data store on this device could not be opened",
            (Msg::SaveFailed, Tr) => "Kaydedilemedi; yazdıklarınız korunuyor",
            (Msg::SaveFailed, En) => "Could not save; what you typed is kept",
            (Msg::Call, Tr) => "Ara",
            (Msg::Call, En) => "Call",
            (Msg::Write, Tr) => "E-posta yaz",
            (Msg::Write, En) => "Send email",
            (Msg::SyncStatus, Tr) => "Eşitleme durumu",
            (Msg::SyncStatus, En) => "Sync status",
            (Msg::ShowMore, Tr) => "Daha fazla göster",
            (Msg::ShowMore, En) => "Show more",
        }
    }
}

/// "3 pending changes", in the user's language.
pub fn pending(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Tr => format!("{count} bekleyen"),
        Lang::En => format!("{count} pending"),
    }
}

/// "1 234 records arriving", while a new device downloads the workspace.
pub fn incoming(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Tr => format!("{count} kayıt geliyor"),
        Lang::En => format!("{count} records arriving"),
    }
}

/// "Showing 100 of 10 000".
pub fn showing(lang: Lang, shown: usize, total: usize) -> String {
    match lang {
        Lang::Tr => format!("{total} kayıttan {shown} tanesi gösteriliyor"),
        Lang::En => format!("Showing {shown} of {total}"),
    }
}

pub fn customer_type(lang: Lang, t: CustomerType) -> &'static str {
    match (t, lang) {
        (CustomerType::Potential, Lang::Tr) => "Potansiyel",
        (CustomerType::Potential, Lang::En) => "Potential",
        (CustomerType::New, Lang::Tr) => "Yeni",
        (CustomerType::New, Lang::En) => "New",
        (CustomerType::Current, Lang::Tr) => "Mevcut",
        (CustomerType::Current, Lang::En) => "Current",
        (CustomerType::Former, Lang::Tr) => "Eski",
        (CustomerType::Former, Lang::En) => "Former",
        (CustomerType::Target, Lang::Tr) => "Hedef",
        (CustomerType::Target, Lang::En) => "Target",
    }
}

pub fn problem(lang: Lang, p: Problem) -> String {
    match (p, lang) {
        (Problem::Required, Lang::Tr) => "Bu alan zorunlu.".into(),
        (Problem::Required, Lang::En) => "This field is required.".into(),
        (Problem::TooLong { max }, Lang::Tr) => format!("En fazla {max} karakter olabilir."),
        (Problem::TooLong { max }, Lang::En) => format!("At most {max} characters."),
        (Problem::InvalidEmail, Lang::Tr) => {
            "Geçerli bir e-posta adresi girin, örneğin ad@firma.com.tr.".into()
        }
        (Problem::InvalidEmail, Lang::En) => {
            "Enter a valid email address, for example name@company.com.".into()
        }
        (Problem::InvalidPhone, Lang::Tr) => {
            "Geçerli bir telefon numarası girin, örneğin 0532 123 45 67.".into()
        }
        (Problem::InvalidPhone, Lang::En) => {
            "Enter a valid phone number, for example +90 532 123 45 67.".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_unless_the_browser_prefers_english() {
        assert_eq!(Lang::from_preferences([]), Lang::Tr);
        assert_eq!(Lang::from_preferences(["de-DE", "fr"]), Lang::Tr);
        assert_eq!(Lang::from_preferences(["en-US", "tr"]), Lang::En);
        assert_eq!(Lang::from_preferences(["de", "tr-TR", "en"]), Lang::Tr);
        assert_eq!(Lang::from_preferences(["EN_gb"]), Lang::En);
    }

    #[test]
    fn validation_problems_are_worded_in_both_languages() {
        for lang in [Lang::Tr, Lang::En] {
            for p in [
                Problem::Required,
                Problem::InvalidEmail,
                Problem::InvalidPhone,
                Problem::TooLong { max: 5 },
            ] {
                assert!(!problem(lang, p).is_empty());
            }
        }
        assert_ne!(
            problem(Lang::Tr, Problem::Required),
            problem(Lang::En, Problem::Required)
        );
        assert_eq!(customer_type(Lang::Tr, CustomerType::Current), "Mevcut");
    }
}
