//! User-facing text in Turkish (the default) and English.
//!
//! Every string the UI shows is a [`Msg`]; [`Msg::text`] is an exhaustive match, so a
//! new message cannot be added without both translations. Problems found by validation
//! ([`saha_core::validate::Problem`]) are worded here too.

use saha_core::access::{Department, Role};
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
    LogIn,
    LogOut,
    Password,
    NewPassword,
    CurrentPassword,
    ChangePassword,
    PasswordChanged,
    PasswordRule,
    YourName,
    WorkspaceName,
    SetUpTitle,
    SetUpIntro,
    CreateWorkspace,
    LoginTitle,
    InvitationTitle,
    AcceptInvitation,
    InvitedAs,
    OfflineNoSession,
    SessionExpired,
    Settings,
    Members,
    AuditLog,
    Role,
    Team,
    Teams,
    NoTeam,
    Department,
    NoDepartment,
    Owner,
    AddTeam,
    TeamName,
    Invite,
    Invitations,
    InvitationLink,
    ValidForHours,
    EmailOptional,
    Revoke,
    Revoked,
    Accepted,
    Expired,
    Active,
    Disable,
    Enable,
    Disabled,
    When,
    Who,
    Action,
    Target,
    Details,
    Address,
    WipeDevice,
    WipeWarning,
    ReadOnlyNote,
    Saved,
    Account,
    WorkspaceLabel,
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
            (Msg::LogIn, Tr) => "Giriş yap",
            (Msg::LogIn, En) => "Log in",
            (Msg::LogOut, Tr) => "Çıkış yap",
            (Msg::LogOut, En) => "Log out",
            (Msg::Password, Tr) => "Parola",
            (Msg::Password, En) => "Password",
            (Msg::NewPassword, Tr) => "Yeni parola",
            (Msg::NewPassword, En) => "New password",
            (Msg::CurrentPassword, Tr) => "Şu anki parola",
            (Msg::CurrentPassword, En) => "Current password",
            (Msg::ChangePassword, Tr) => "Parolayı değiştir",
            (Msg::ChangePassword, En) => "Change password",
            (Msg::PasswordChanged, Tr) => {
                "Parola değiştirildi; diğer cihazlardaki oturumlar kapatıldı."
            }
            (Msg::PasswordChanged, En) => "Password changed; sessions on other devices were ended.",
            (Msg::PasswordRule, Tr) => "En az 10 karakter.",
            (Msg::PasswordRule, En) => "At least 10 characters.",
            (Msg::YourName, Tr) => "Adınız",
            (Msg::YourName, En) => "Your name",
            (Msg::WorkspaceName, Tr) => "Çalışma alanı adı (şirketiniz)",
            (Msg::WorkspaceName, En) => "Workspace name (your company)",
            (Msg::SetUpTitle, Tr) => "Saha'yı kurun",
            (Msg::SetUpTitle, En) => "Set up Saha",
            (Msg::SetUpIntro, Tr) => "İlk çalışma alanını ve sahibinin hesabını oluşturun.",
            (Msg::SetUpIntro, En) => "Create the first workspace and its owner's account.",
            (Msg::CreateWorkspace, Tr) => "Çalışma alanını oluştur",
            (Msg::CreateWorkspace, En) => "Create workspace",
            (Msg::LoginTitle, Tr) => "Saha'ya giriş",
            (Msg::LoginTitle, En) => "Log in to Saha",
            (Msg::InvitationTitle, Tr) => "Davet",
            (Msg::InvitationTitle, En) => "Invitation",
            (Msg::AcceptInvitation, Tr) => "Daveti kabul et",
            (Msg::AcceptInvitation, En) => "Accept invitation",
            (Msg::InvitedAs, Tr) => "Rolünüz",
            (Msg::InvitedAs, En) => "Your role",
            (Msg::OfflineNoSession, Tr) => {
                "Çevrimdışısınız ve bu cihazda açık oturum yok. Bağlantı gelince giriş yapın."
            }
            (Msg::OfflineNoSession, En) => {
                "You are offline and this device has no open session. Log in once you are connected."
            }
            (Msg::SessionExpired, Tr) => {
                "Oturumunuz sona erdi. Değişiklikleriniz bu cihazda saklanıyor; eşitlemek için yeniden giriş yapın."
            }
            (Msg::SessionExpired, En) => {
                "Your session ended. Your changes are kept on this device; log in again to sync them."
            }
            (Msg::Settings, Tr) => "Ayarlar",
            (Msg::Settings, En) => "Settings",
            (Msg::Members, Tr) => "Üyeler",
            (Msg::Members, En) => "Members",
            (Msg::AuditLog, Tr) => "Denetim kaydı",
            (Msg::AuditLog, En) => "Audit log",
            (Msg::Role, Tr) => "Rol",
            (Msg::Role, En) => "Role",
            (Msg::Team, Tr) => "Ekip",
            (Msg::Team, En) => "Team",
            (Msg::Teams, Tr) => "Ekipler",
            (Msg::Teams, En) => "Teams",
            (Msg::NoTeam, Tr) => "Ekip yok (herkes görür)",
            (Msg::NoTeam, En) => "No team (everyone sees it)",
            (Msg::Department, Tr) => "Departman",
            (Msg::Department, En) => "Department",
            (Msg::NoDepartment, Tr) => "—",
            (Msg::NoDepartment, En) => "—",
            (Msg::Owner, Tr) => "Sorumlu",
            (Msg::Owner, En) => "Owner",
            (Msg::AddTeam, Tr) => "Ekip ekle",
            (Msg::AddTeam, En) => "Add team",
            (Msg::TeamName, Tr) => "Ekip adı",
            (Msg::TeamName, En) => "Team name",
            (Msg::Invite, Tr) => "Davet et",
            (Msg::Invite, En) => "Invite",
            (Msg::Invitations, Tr) => "Davetler",
            (Msg::Invitations, En) => "Invitations",
            (Msg::InvitationLink, Tr) => "Davet bağlantısı — davet ettiğiniz kişiye gönderin:",
            (Msg::InvitationLink, En) => "Invitation link — send it to the person you invite:",
            (Msg::ValidForHours, Tr) => "Geçerlilik (saat)",
            (Msg::ValidForHours, En) => "Valid for (hours)",
            (Msg::EmailOptional, Tr) => "E-posta (isteğe bağlı; yalnız bu adres kabul edebilir)",
            (Msg::EmailOptional, En) => "Email (optional; only this address may accept)",
            (Msg::Revoke, Tr) => "İptal et",
            (Msg::Revoke, En) => "Revoke",
            (Msg::Revoked, Tr) => "İptal edildi",
            (Msg::Revoked, En) => "Revoked",
            (Msg::Accepted, Tr) => "Kabul edildi",
            (Msg::Accepted, En) => "Accepted",
            (Msg::Expired, Tr) => "Süresi doldu",
            (Msg::Expired, En) => "Expired",
            (Msg::Active, Tr) => "Geçerli",
            (Msg::Active, En) => "Active",
            (Msg::Disable, Tr) => "Erişimi kapat",
            (Msg::Disable, En) => "Disable",
            (Msg::Enable, Tr) => "Erişimi aç",
            (Msg::Enable, En) => "Enable",
            (Msg::Disabled, Tr) => "Erişimi kapalı",
            (Msg::Disabled, En) => "Disabled",
            (Msg::When, Tr) => "Zaman",
            (Msg::When, En) => "When",
            (Msg::Who, Tr) => "Kim",
            (Msg::Who, En) => "Who",
            (Msg::Action, Tr) => "İşlem",
            (Msg::Action, En) => "Action",
            (Msg::Target, Tr) => "Hedef",
            (Msg::Target, En) => "Target",
            (Msg::Details, Tr) => "Ayrıntı",
            (Msg::Details, En) => "Details",
            (Msg::Address, Tr) => "Adres",
            (Msg::Address, En) => "Address",
            (Msg::WipeDevice, Tr) => "Bu cihazdaki verilerimi de sil (paylaşılan cihazlar için)",
            (Msg::WipeDevice, En) => "Also delete my data from this device (for shared devices)",
            (Msg::WipeWarning, Tr) => "Eşitlenmemiş değişiklikler var; silerseniz kaybolur.",
            (Msg::WipeWarning, En) => "There are unsynced changes; deleting loses them.",
            (Msg::ReadOnlyNote, Tr) => {
                "Rolünüz salt okunur: kayıtları görebilir, değiştiremezsiniz."
            }
            (Msg::ReadOnlyNote, En) => {
                "Your role is read-only: you can view records but not change them."
            }
            (Msg::Saved, Tr) => "Kaydedildi",
            (Msg::Saved, En) => "Saved",
            (Msg::Account, Tr) => "Hesap",
            (Msg::Account, En) => "Account",
            (Msg::WorkspaceLabel, Tr) => "Çalışma alanı",
            (Msg::WorkspaceLabel, En) => "Workspace",
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

pub fn role(lang: Lang, role: Role) -> &'static str {
    match (role, lang) {
        (Role::Owner, Lang::Tr) => "Sahip",
        (Role::Owner, Lang::En) => "Owner",
        (Role::Admin, Lang::Tr) => "Yönetici",
        (Role::Admin, Lang::En) => "Admin",
        (Role::Manager, Lang::Tr) => "Müdür",
        (Role::Manager, Lang::En) => "Manager",
        (Role::SalesRep, Lang::Tr) => "Satış temsilcisi",
        (Role::SalesRep, Lang::En) => "Sales rep",
        (Role::ServiceAgent, Lang::Tr) => "Hizmet temsilcisi",
        (Role::ServiceAgent, Lang::En) => "Service agent",
        (Role::ReadOnly, Lang::Tr) => "Salt okunur",
        (Role::ReadOnly, Lang::En) => "Read-only",
    }
}

pub fn department(lang: Lang, d: Department) -> &'static str {
    match (d, lang) {
        (Department::Sales, Lang::Tr) => "Satış",
        (Department::Sales, Lang::En) => "Sales",
        (Department::Service, Lang::Tr) => "Hizmet",
        (Department::Service, Lang::En) => "Service",
        (Department::Marketing, Lang::Tr) => "Pazarlama",
        (Department::Marketing, Lang::En) => "Marketing",
        (Department::Accounting, Lang::Tr) => "Muhasebe",
        (Department::Accounting, Lang::En) => "Accounting",
        (Department::Finance, Lang::Tr) => "Finans",
        (Department::Finance, Lang::En) => "Finance",
        (Department::Rnd, Lang::Tr) => "Ar-Ge",
        (Department::Rnd, Lang::En) => "R&D",
    }
}

/// An API error code (see `saha_core::api::ApiError`) as a sentence.
pub fn api_error(lang: Lang, code: &str) -> &'static str {
    match (code, lang) {
        ("invalid_credentials", Lang::Tr) => "E-posta ya da parola yanlış.",
        ("invalid_credentials", Lang::En) => "Wrong email or password.",
        ("rate_limited", Lang::Tr) => "Çok fazla hatalı deneme. Biraz sonra yeniden deneyin.",
        ("rate_limited", Lang::En) => "Too many failed attempts. Try again later.",
        ("weak_password", Lang::Tr) => "Parola en az 10 karakter olmalı.",
        ("weak_password", Lang::En) => "The password needs at least 10 characters.",
        ("password_too_long", Lang::Tr) => "Parola en fazla 128 karakter olabilir.",
        ("password_too_long", Lang::En) => "The password can have at most 128 characters.",
        ("invalid_email", Lang::Tr) => "Geçerli bir e-posta adresi girin.",
        ("invalid_email", Lang::En) => "Enter a valid email address.",
        ("email_taken", Lang::Tr) => "Bu e-posta adresi zaten bir üyeye ait.",
        ("email_taken", Lang::En) => "That email address already belongs to a member.",
        ("email_mismatch", Lang::Tr) => "Bu davet başka bir e-posta adresi için.",
        ("email_mismatch", Lang::En) => "This invitation is for another email address.",
        ("invitation_invalid", Lang::Tr) => "Bu davet bağlantısı artık geçerli değil.",
        ("invitation_invalid", Lang::En) => "This invitation link is no longer valid.",
        ("already_set_up", Lang::Tr) => "Bu sunucuda zaten bir çalışma alanı var; giriş yapın.",
        ("already_set_up", Lang::En) => "This server already has a workspace; log in.",
        ("forbidden", Lang::Tr) => "Rolünüz buna izin vermiyor.",
        ("forbidden", Lang::En) => "Your role does not allow this.",
        ("last_owner", Lang::Tr) => "Çalışma alanında en az bir sahip kalmalı.",
        ("last_owner", Lang::En) => "A workspace keeps at least one owner.",
        ("own_access", Lang::Tr) => "Kendi rolünüzü değiştiremez, kendinizi kapatamazsınız.",
        ("own_access", Lang::En) => "You cannot change your own role or disable yourself.",
        ("team_exists", Lang::Tr) => "Bu adla bir ekip var.",
        ("team_exists", Lang::En) => "A team with that name exists.",
        ("invalid_input", Lang::Tr) => "Girilen bilgiler eksik ya da hatalı.",
        ("invalid_input", Lang::En) => "Some input is missing or invalid.",
        ("network", Lang::Tr) => "Sunucuya ulaşılamadı. Bağlantınızı kontrol edin.",
        ("network", Lang::En) => "Could not reach the server. Check your connection.",
        ("unauthorized", Lang::Tr) => "Oturumunuz sona erdi; yeniden giriş yapın.",
        ("unauthorized", Lang::En) => "Your session ended; log in again.",
        (_, Lang::Tr) => "Sunucu isteği tamamlayamadı.",
        (_, Lang::En) => "The server could not complete the request.",
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
        (Problem::InvalidVkn, Lang::Tr) => {
            "Vergi kimlik numarası 10 haneli olmalı ve kontrol hanesi tutmalı.".into()
        }
        (Problem::InvalidVkn, Lang::En) => {
            "A tax number (VKN) has 10 digits and a matching check digit.".into()
        }
        (Problem::InvalidTckn, Lang::Tr) => {
            "T.C. kimlik numarası 11 haneli olmalı, 0 ile başlamamalı ve kontrol haneleri tutmalı."
                .into()
        }
        (Problem::InvalidTckn, Lang::En) => {
            "An identity number (TCKN) has 11 digits, does not start with 0 and has matching check digits."
                .into()
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
                Problem::InvalidVkn,
                Problem::InvalidTckn,
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
