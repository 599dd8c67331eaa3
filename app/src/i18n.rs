//! User-facing text in Turkish (the default) and English.
//!
//! Every string the UI shows is a [`Msg`]; [`Msg::text`] is an exhaustive match, so a
//! new message cannot be added without both translations. Problems found by validation
//! ([`saha_core::text::validate::Problem`]) are worded here too.

use saha_core::access::{Department, Role};
use saha_core::api::ApiErrorCode;
use saha_core::parties::account::CustomerType;
use saha_core::text::validate::Problem;

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
            (Msg::NoMatches, Tr) => "Aramanızla eşleşen kayıt yok.",
            (Msg::NoMatches, En) => "No record matches your search.",
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

/// The head of the refused-changes banner.
pub fn refused_changes(lang: Lang, count: usize) -> String {
    match (lang, count) {
        (Lang::Tr, _) => format!("Sunucu {count} değişikliğinizi kabul etmedi:"),
        (Lang::En, 1) => "The server did not accept one of your changes:".to_owned(),
        (Lang::En, _) => format!("The server did not accept {count} of your changes:"),
    }
}

/// "1 234 records arriving", while a new device downloads the workspace.
pub fn incoming(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Tr => format!("{count} kayıt geliyor"),
        Lang::En => format!("{count} records arriving"),
    }
}

/// The change feed's progress: "1 500 / 10 000 records downloaded".
pub fn downloading(lang: Lang, done: u64, total: u64) -> String {
    match lang {
        Lang::Tr => format!("{done} / {total} kayıt indirildi"),
        Lang::En => format!("{done} / {total} records downloaded"),
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

/// An API error code (see [`saha_core::api::ApiError`]) as a sentence.
pub fn api_error(lang: Lang, code: ApiErrorCode) -> &'static str {
    use ApiErrorCode as C;
    match (code, lang) {
        (C::InvalidCredentials, Lang::Tr) => "E-posta ya da parola yanlış.",
        (C::InvalidCredentials, Lang::En) => "Wrong email or password.",
        (C::RateLimited, Lang::Tr) => "Çok fazla hatalı deneme. Biraz sonra yeniden deneyin.",
        (C::RateLimited, Lang::En) => "Too many failed attempts. Try again later.",
        (C::WeakPassword, Lang::Tr) => "Parola en az 10 karakter olmalı.",
        (C::WeakPassword, Lang::En) => "The password needs at least 10 characters.",
        (C::PasswordTooLong, Lang::Tr) => "Parola en fazla 128 karakter olabilir.",
        (C::PasswordTooLong, Lang::En) => "The password can have at most 128 characters.",
        (C::InvalidEmail, Lang::Tr) => "Geçerli bir e-posta adresi girin.",
        (C::InvalidEmail, Lang::En) => "Enter a valid email address.",
        (C::EmailTaken, Lang::Tr) => "Bu e-posta adresi zaten bir üyeye ait.",
        (C::EmailTaken, Lang::En) => "That email address already belongs to a member.",
        (C::EmailMismatch, Lang::Tr) => "Bu davet başka bir e-posta adresi için.",
        (C::EmailMismatch, Lang::En) => "This invitation is for another email address.",
        (C::InvitationInvalid, Lang::Tr) => "Bu davet bağlantısı artık geçerli değil.",
        (C::InvitationInvalid, Lang::En) => "This invitation link is no longer valid.",
        (C::AlreadySetUp, Lang::Tr) => "Bu sunucuda zaten bir çalışma alanı var; giriş yapın.",
        (C::AlreadySetUp, Lang::En) => "This server already has a workspace; log in.",
        (C::Forbidden, Lang::Tr) => "Rolünüz buna izin vermiyor.",
        (C::Forbidden, Lang::En) => "Your role does not allow this.",
        (C::LastOwner, Lang::Tr) => "Çalışma alanında en az bir sahip kalmalı.",
        (C::LastOwner, Lang::En) => "A workspace keeps at least one owner.",
        (C::OwnAccess, Lang::Tr) => "Kendi rolünüzü değiştiremez, kendinizi kapatamazsınız.",
        (C::OwnAccess, Lang::En) => "You cannot change your own role or disable yourself.",
        (C::TeamExists, Lang::Tr) => "Bu adla bir ekip var.",
        (C::TeamExists, Lang::En) => "A team with that name exists.",
        (C::InvalidInput, Lang::Tr) => "Girilen bilgiler eksik ya da hatalı.",
        (C::InvalidInput, Lang::En) => "Some input is missing or invalid.",
        (C::Network, Lang::Tr) => "Sunucuya ulaşılamadı. Bağlantınızı kontrol edin.",
        (C::Network, Lang::En) => "Could not reach the server. Check your connection.",
        (C::Unauthorized, Lang::Tr) => "Oturumunuz sona erdi; yeniden giriş yapın.",
        (C::Unauthorized, Lang::En) => "Your session ended; log in again.",
        (C::BadOrigin, Lang::Tr) => {
            "Bu istek başka bir siteden geldiği için reddedildi; uygulamayı kendi adresinden açın."
        }
        (C::BadOrigin, Lang::En) => {
            "This request came from another site and was refused; open the app at its own address."
        }
        (C::InvalidTicket, Lang::Tr) => "Eşitleme bağlantısı kurulamadı; sayfayı yenileyin.",
        (C::InvalidTicket, Lang::En) => "The sync connection could not be opened; reload the page.",
        (C::NotFound, Lang::Tr) => "Aranan kayıt bulunamadı.",
        (C::NotFound, Lang::En) => "Not found.",
        (C::BadAnswer, Lang::Tr) => "Sunucunun yanıtı okunamadı; uygulamayı güncelleyin.",
        (C::BadAnswer, Lang::En) => "The server's answer could not be read; update the app.",
        (C::Internal | C::Unknown, Lang::Tr) => "Sunucu isteği tamamlayamadı.",
        (C::Internal | C::Unknown, Lang::En) => "The server could not complete the request.",
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

/// Words a change that was not stored, for the screen that tried it.
#[cfg(feature = "hydrate")]
pub fn repo_error(lang: Lang, error: &crate::client::error::RepoError) -> String {
    use crate::client::error::RepoError;
    match error {
        RepoError::Invalid(problems) => problems
            .iter()
            .map(|(field, p)| {
                format!(
                    "{}: {}",
                    word(lang, &format!("field.{field}")),
                    problem(lang, *p)
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        RepoError::Workflow(refusal) => word(lang, &format!("refused.{}", refusal.code())),
        RepoError::Rules(refusal) => word(lang, &format!("refused.{}", refusal.code())),
        RepoError::NoIndex => word(lang, "refused.no_index"),
        RepoError::Record(e) | RepoError::Store(e) => e.clone(),
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
        (Problem::InvalidDate, Lang::Tr) => "Geçerli bir tarih girin (GG.AA.YYYY).".into(),
        (Problem::InvalidDate, Lang::En) => "Enter a valid date.".into(),
        (Problem::InvalidNumber, Lang::Tr) => {
            "Sıfır ya da pozitif bir sayı girin, örneğin 1.250,50.".into()
        }
        (Problem::InvalidNumber, Lang::En) => {
            "Enter zero or a positive number, for example 1250.50.".into()
        }
        (Problem::InvalidChoice, Lang::Tr) => "Listeden bir seçenek seçin.".into(),
        (Problem::InvalidChoice, Lang::En) => "Pick one of the options.".into(),
        (Problem::PercentOutOfRange, Lang::Tr) => "Yüzde 0 ile 100 arasında olmalı.".into(),
        (Problem::PercentOutOfRange, Lang::En) => "The percentage must be between 0 and 100.".into(),
        (Problem::Locked, Lang::Tr) => "Kesilmiş faturada bu alan değiştirilemez.".into(),
        (Problem::Locked, Lang::En) => "This field cannot change on an issued invoice.".into(),
        (Problem::InvalidDateTime, Lang::Tr) => "Geçerli bir tarih ve saat girin.".into(),
        (Problem::InvalidDateTime, Lang::En) => "Enter a valid date and time.".into(),
        (Problem::UnknownTimeZone, Lang::Tr) => {
            "Bu saat dilimi tanınmıyor; örneğin Europe/Istanbul yazın.".into()
        }
        (Problem::UnknownTimeZone, Lang::En) => {
            "Unknown time zone; write e.g. Europe/Istanbul.".into()
        }
        (Problem::EndBeforeStart, Lang::Tr) => "Bitiş, başlangıçtan sonra olmalı.".into(),
        (Problem::EndBeforeStart, Lang::En) => "The end must be after the start.".into(),
        (Problem::InvalidRecurrence, Lang::Tr) => {
            "Tekrar kuralı okunamadı (örnek: FREQ=WEEKLY;BYDAY=MO;COUNT=10).".into()
        }
        (Problem::InvalidRecurrence, Lang::En) => {
            "The repeat rule cannot be read (e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10).".into()
        }
        (Problem::InvalidTemplate, Lang::Tr) => {
            "Şablonda bilinmeyen bir alan ya da kapanmamış {{ var; kullanılabilenler: {{first_name}}, {{name}}, {{company}}, {{city}}.".into()
        }
        (Problem::InvalidTemplate, Lang::En) => {
            "The template has an unknown field or an unclosed {{; available: {{first_name}}, {{name}}, {{company}}, {{city}}.".into()
        }
        (Problem::NumberOutOfRange { min, max }, Lang::Tr) => {
            format!("{min} ile {max} arasında bir değer girin.")
        }
        (Problem::NumberOutOfRange { min, max }, Lang::En) => {
            format!("Enter a value between {min} and {max}.")
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

/// Words for the record screens, by key: `kind.<kind>` and `kinds.<kind>` (singular and
/// plural), `field.<name>`, `<field>.<code>` for the codes of choice fields, `ui.<name>`
/// for buttons and headings, `refused.<code>` for workflow rules. Each entry carries
/// both languages, so neither can be forgotten.
const WORDS: &[(&str, &str, &str)] = &[
    ("kind.account", "Müşteri", "Account"),
    ("kind.contact", "Kişi", "Contact"),
    ("kind.lead", "Aday", "Lead"),
    ("kind.opportunity", "Fırsat", "Opportunity"),
    ("kind.quote", "Teklif", "Quote"),
    ("kind.order", "Sipariş", "Order"),
    ("kind.invoice", "Fatura", "Invoice"),
    ("kind.product", "Ürün", "Product"),
    ("kinds.account", "Müşteriler", "Accounts"),
    ("new.account", "Yeni müşteri", "New account"),
    ("new.contact", "Yeni kişi", "New contact"),
    ("new.lead", "Yeni aday", "New lead"),
    ("new.opportunity", "Yeni fırsat", "New opportunity"),
    ("new.quote", "Yeni teklif", "New quote"),
    ("new.order", "Yeni sipariş", "New order"),
    ("new.invoice", "Yeni fatura", "New invoice"),
    ("new.product", "Yeni ürün", "New product"),
    ("kinds.contact", "Kişiler", "Contacts"),
    ("kind.case", "Talep", "Case"),
    ("kinds.case", "Talepler", "Cases"),
    ("new.case", "Yeni talep", "New case"),
    ("kind.call", "Arama", "Call"),
    ("kinds.call", "Aramalar", "Calls"),
    ("new.call", "Arama kaydı", "Log a call"),
    ("kind.task", "Görev", "Task"),
    ("kinds.task", "Görevler", "Tasks"),
    ("new.task", "Yeni görev", "New task"),
    ("kind.meeting", "Toplantı", "Meeting"),
    ("kinds.meeting", "Toplantılar", "Meetings"),
    ("new.meeting", "Yeni toplantı", "New meeting"),
    ("field.subject", "Konu", "Subject"),
    ("field.channel", "Kanal", "Channel"),
    ("field.priority", "Öncelik", "Priority"),
    ("field.resolution", "Çözüm", "Resolution"),
    (
        "field.satisfaction",
        "Memnuniyet (1–5)",
        "Satisfaction (1–5)",
    ),
    ("field.direction", "Yön", "Direction"),
    ("field.started", "Başlangıç", "Started"),
    ("field.duration", "Süre (dk:sn)", "Duration (m:ss)"),
    ("field.outcome", "Sonuç", "Outcome"),
    ("field.follow_up", "Tekrar aranacak", "Follow up at"),
    ("field.due", "Son tarih", "Due"),
    ("field.link", "İlgili kayıt", "Related record"),
    ("field.remind", "Hatırlat", "Remind"),
    ("field.calendar", "Takvim", "Calendar"),
    ("field.start", "Başlangıç", "Start"),
    ("field.end", "Bitiş", "End"),
    ("field.time_zone", "Saat dilimi", "Time zone"),
    ("field.location", "Yer", "Location"),
    ("field.contacts", "Katılan kişiler", "Contacts attending"),
    ("field.members", "Katılan ekip üyeleri", "Members attending"),
    ("field.recurrence", "Tekrar (RRULE)", "Repeat (RRULE)"),
    ("field.agenda", "Gündem", "Agenda"),
    ("field.minutes", "Toplantı notları", "Minutes"),
    ("category.complaint", "Şikayet", "Complaint"),
    ("category.request", "İstek", "Request"),
    ("category.wish", "Dilek", "Wish"),
    ("channel.phone", "Telefon", "Phone"),
    ("channel.email", "E-posta", "Email"),
    ("channel.web", "Web", "Web"),
    ("channel.kiosk", "Kiosk", "Kiosk"),
    ("channel.social", "Sosyal medya", "Social media"),
    ("channel.in_person", "Yüz yüze", "In person"),
    ("priority.urgent", "Acil", "Urgent"),
    ("priority.high", "Yüksek", "High"),
    ("priority.normal", "Normal", "Normal"),
    ("priority.low", "Düşük", "Low"),
    (
        "status.waiting",
        "Müşteri bekleniyor",
        "Waiting on customer",
    ),
    ("status.resolved", "Çözüldü", "Resolved"),
    ("status.closed", "Kapandı", "Closed"),
    ("status.done", "Tamamlandı", "Done"),
    ("status.confirmed", "Kesin", "Confirmed"),
    ("status.tentative", "Taslak", "Tentative"),
    ("satisfaction.1", "1 — Hiç memnun değil", "1 — Very unhappy"),
    ("satisfaction.2", "2", "2"),
    ("satisfaction.3", "3", "3"),
    ("satisfaction.4", "4", "4"),
    ("satisfaction.5", "5 — Çok memnun", "5 — Very happy"),
    ("direction.outgoing", "Giden", "Outgoing"),
    ("direction.incoming", "Gelen", "Incoming"),
    ("outcome.reached", "Görüşüldü", "Reached"),
    ("outcome.no_answer", "Cevap yok", "No answer"),
    ("outcome.busy", "Meşgul", "Busy"),
    ("outcome.call_back", "Geri aranacak", "Call back"),
    ("remind.0", "Zamanında", "At the due time"),
    ("remind.15", "15 dk önce", "15 min before"),
    ("remind.60", "1 saat önce", "1 hour before"),
    ("remind.1440", "1 gün önce", "1 day before"),
    ("sla.title", "Hizmet süresi (SLA)", "Service level (SLA)"),
    ("sla.first_response", "İlk yanıt", "First response"),
    ("sla.resolution", "Çözüm", "Resolution"),
    ("sla.used", "Harcanan / hedef", "Used / target"),
    ("sla.due", "Süre doluyor", "Due"),
    ("sla.state.running", "İşliyor", "Running"),
    ("sla.state.warning", "Süre dolmak üzere", "Nearly due"),
    (
        "sla.state.paused",
        "Durdu (müşteri bekleniyor)",
        "Paused (waiting on customer)",
    ),
    ("sla.state.met", "Zamanında", "Met"),
    ("sla.state.breached", "Süre aşıldı", "Breached"),
    (
        "sla.breached",
        "SLA süresi aşıldı: bu talep üst seviyeye taşındı.",
        "SLA breached: this case is escalated.",
    ),
    (
        "sla.near",
        "SLA süresinin %80'i doldu; talebi önceliklendirin.",
        "80 % of the SLA time is used; prioritise this case.",
    ),
    ("sla.escalated", "Üst seviyede", "Escalated"),
    (
        "call.prompt",
        "Görüşmeniz bitti mi? Aramayı kaydedin.",
        "Finished your call? Log it.",
    ),
    ("ui.dismiss", "Kapat", "Dismiss"),
    ("ui.sms", "SMS gönder", "Send SMS"),
    ("ui.my_day", "Bugün", "My day"),
    (
        "ui.no_tasks",
        "Bugün için görev yok.",
        "No tasks for today.",
    ),
    (
        "ui.today_meetings",
        "Bugünkü toplantılar",
        "Today's meetings",
    ),
    ("ui.no_meetings", "Toplantı yok.", "No meetings."),
    ("ui.my_cases", "Bana atanan açık talepler", "My open cases"),
    ("ui.no_cases", "Açık talep yok.", "No open cases."),
    ("ui.overdue", "Gecikti", "Overdue"),
    ("ui.reminder", "Hatırlatma", "Reminder"),
    (
        "ui.enable_notifications",
        "Hatırlatmalar için bildirimlere izin ver",
        "Allow notifications for reminders",
    ),
    ("ui.calendar", "Takvim", "Calendar"),
    ("ui.my_calendar", "Takvimim", "My calendar"),
    ("ui.view_day", "Gün", "Day"),
    ("ui.view_week", "Hafta", "Week"),
    ("ui.view_agenda", "Ajanda (30 gün)", "Agenda (30 days)"),
    ("ui.today", "Bugün", "Today"),
    (
        "ui.subscriptions",
        "Takvim aboneliği (ICS)",
        "Calendar subscription (ICS)",
    ),
    (
        "ui.subscriptions_hint",
        "Bu adresi Google, Apple ya da Outlook takviminize ekleyin. Adres gizlidir; paylaşmayın, gerekirse iptal edin.",
        "Add this address to Google, Apple or Outlook calendar. It is secret: do not share it, and revoke it when needed.",
    ),
    (
        "ui.subscribe",
        "Abonelik adresi oluştur",
        "Create subscription address",
    ),
    ("ui.revoke", "İptal et", "Revoke"),
    (
        "ui.download_ics",
        "Takvime ekle (.ics)",
        "Add to calendar (.ics)",
    ),
    ("ui.open_map", "Haritada aç", "Open map"),
    ("ui.service_settings", "Servis ayarları", "Service settings"),
    (
        "ui.admins_only",
        "Bu sayfayı yalnızca yöneticiler değiştirebilir.",
        "Only admins can change this page.",
    ),
    ("ui.working_hours", "Çalışma saatleri", "Working hours"),
    (
        "ui.national_holidays",
        "Resmî bayramlar (1 Ocak, 23 Nisan, 1 Mayıs, 19 Mayıs, 15 Temmuz, 30 Ağustos, 28–29 Ekim) tatil",
        "National holidays (1 Jan, 23 Apr, 1 May, 19 May, 15 Jul, 30 Aug, 28–29 Oct) are days off",
    ),
    (
        "ui.holidays",
        "Diğer tatiller (her satıra bir tarih; yarım gün: 2026-05-26 13:00)",
        "Other holidays (one date per line; half day: 2026-05-26 13:00)",
    ),
    (
        "ui.sla_targets",
        "Önceliğe göre SLA hedefleri (iş dakikası)",
        "SLA targets by priority (working minutes)",
    ),
    (
        "ui.frequency_guard",
        "Müşteriyi sıkmama kuralı",
        "Contact-frequency guard",
    ),
    (
        "ui.guard_count",
        "En fazla görüşme/arama (0: kapalı)",
        "Most meetings/calls (0: off)",
    ),
    (
        "ui.guard_days",
        "… şu kadar gün içinde",
        "… within this many days",
    ),
    ("ui.save", "Kaydet", "Save"),
    ("ui.saved", "Kaydedildi.", "Saved."),
    ("ui.service_report", "Servis raporu", "Service report"),
    ("report.cases", "Talepler", "Cases"),
    ("report.open", "Açık talepler", "Open cases"),
    (
        "report.first_response",
        "Ortalama ilk yanıt (iş saati)",
        "Mean first response (working time)",
    ),
    (
        "report.resolution",
        "Ortalama çözüm (iş saati)",
        "Mean resolution (working time)",
    ),
    ("report.breach_rate", "SLA aşım oranı", "SLA breach rate"),
    (
        "report.satisfaction",
        "Ortalama memnuniyet",
        "Mean satisfaction",
    ),
    (
        "report.open_by_age",
        "Açık talepler (yaşa göre)",
        "Open cases by age",
    ),
    ("report.age.lt1", "1 günden az", "Under 1 day"),
    ("report.age.1to3", "1–3 gün", "1–3 days"),
    ("report.age.3to7", "3–7 gün", "3–7 days"),
    ("report.age.ge7", "7 gün ve üzeri", "7 days or more"),
    (
        "report.calls",
        "Temsilci başına günlük aramalar (son 7 gün)",
        "Calls per agent per day (last 7 days)",
    ),
    ("report.day", "Gün", "Day"),
    ("report.total_time", "Toplam süre", "Total time"),
    ("report.mean_time", "Ortalama süre", "Mean time"),
    ("repeat.none", "Tekrar yok", "Does not repeat"),
    ("repeat.daily", "Her gün", "Daily"),
    ("repeat.weekdays", "Hafta içi her gün", "Every weekday"),
    ("repeat.weekly", "Her hafta", "Weekly"),
    ("repeat.biweekly", "İki haftada bir", "Every two weeks"),
    ("repeat.monthly", "Her ay", "Monthly"),
    ("repeat.custom", "Özel kural", "Custom rule"),
    ("weekday.0", "Pazartesi", "Monday"),
    ("weekday.1", "Salı", "Tuesday"),
    ("weekday.2", "Çarşamba", "Wednesday"),
    ("weekday.3", "Perşembe", "Thursday"),
    ("weekday.4", "Cuma", "Friday"),
    ("weekday.5", "Cumartesi", "Saturday"),
    ("weekday.6", "Pazar", "Sunday"),
    ("kind.segment", "Segment", "Segment"),
    ("kinds.segment", "Segmentler", "Segments"),
    ("new.segment", "Yeni segment", "New segment"),
    ("kind.campaign", "Kampanya", "Campaign"),
    ("kinds.campaign", "Kampanyalar", "Campaigns"),
    ("new.campaign", "Yeni kampanya", "New campaign"),
    ("field.customer_type", "Müşteri tipi", "Customer type"),
    (
        "field.account_segment",
        "Müşteri segmenti",
        "Account segment",
    ),
    (
        "field.ordered_since",
        "Son sipariş en erken",
        "Last order on or after",
    ),
    ("field.min_revenue", "En az ciro (₺)", "Minimum revenue (₺)"),
    (
        "field.satisfaction_group",
        "Memnuniyet grubu",
        "Satisfaction group",
    ),
    ("field.email_topic", "E-posta konusu", "Email topic"),
    ("field.template", "Mesaj şablonu", "Message template"),
    ("customer_type.potential", "Potansiyel", "Potential"),
    ("customer_type.new", "Yeni", "New"),
    ("customer_type.current", "Mevcut", "Current"),
    ("customer_type.former", "Eski", "Former"),
    ("customer_type.target", "Hedef", "Target"),
    (
        "satisfaction_group.satisfied",
        "Memnun (4–5)",
        "Satisfied (4–5)",
    ),
    (
        "satisfaction_group.neutral",
        "Kararsız (2,5–4)",
        "Neutral (2.5–4)",
    ),
    (
        "satisfaction_group.unhappy",
        "Memnun değil (2,5 altı)",
        "Unhappy (below 2.5)",
    ),
    ("channel.MESAJ", "SMS", "SMS"),
    ("channel.EPOSTA", "E-posta", "Email"),
    ("channel.ARAMA", "Arama", "Call"),
    ("status.approved", "Onaylandı", "Approved"),
    ("gate.no_consent", "İzin yok", "No consent"),
    ("gate.refused", "Ret vermiş", "Refused"),
    (
        "gate.topic",
        "Bu konuya abone değil",
        "Not subscribed to this topic",
    ),
    (
        "gate.no_address",
        "Bu kanal için adres yok",
        "No address for this channel",
    ),
    (
        "gate.cool_off",
        "Dinlenme süresi içinde görüşüldü",
        "Contacted within the rest period",
    ),
    (
        "gate.quiet_hours",
        "Sessiz saatler: şimdi gönderilmez",
        "Quiet hours: nothing goes out now",
    ),
    (
        "ui.segment_members",
        "Segmentteki kişiler",
        "People in the segment",
    ),
    (
        "ui.audience",
        "Hedef kitle ve izin kontrolü",
        "Audience and consent check",
    ),
    ("ui.audience_included", "kişiye gidecek", "will receive it"),
    ("ui.audience_excluded", "kişi hariç", "left out"),
    (
        "ui.no_segment",
        "Önce bir segment seçin.",
        "Choose a segment first.",
    ),
    (
        "ui.template_impersonal",
        "Şablon kişinin adını içermiyor; toplu davet yerine {{first_name}} ile kişiye hitap edin.",
        "The template does not address the person; use {{first_name}} rather than a blanket message.",
    ),
    (
        "ui.contact_rules",
        "Kampanya iletişim kuralları",
        "Campaign contact rules",
    ),
    (
        "ui.cool_off_days",
        "Son görüşmeden sonra dinlenme (gün)",
        "Rest after the last contact (days)",
    ),
    ("ui.quiet_hours", "Sessiz saatler", "Quiet hours"),
    ("ui.deliveries", "Gönderimler", "Deliveries"),
    ("delivery.queued", "Sırada", "Queued"),
    ("delivery.sent", "Gönderildi", "Sent"),
    ("delivery.failed", "Gönderilemedi", "Failed"),
    (
        "delivery.uncertain",
        "Belirsiz (sunucu gönderim sırasında durdu)",
        "Uncertain (the server stopped while sending)",
    ),
    ("ui.send_campaign", "Gönderimi onayla", "Approve sending"),
    (
        "ui.confirm_send",
        "Kampanya, izni olan kişilere sunucudan gönderilecek. Onaylıyor musunuz?",
        "The server will send the campaign to the people who consented. Go ahead?",
    ),
    ("ui.special_days", "Özel günler", "Special days"),
    (
        "ui.special_days_hint",
        "Önümüzdeki 7 gündeki doğum günleri ve müşteri yıldönümleri. Tebrikler de ticari iletidir: izin kontrolünden geçer.",
        "Birthdays and customer anniversaries in the next 7 days. Greetings are commercial messages too: they pass the consent check.",
    ),
    (
        "ui.no_special_days",
        "Önümüzdeki hafta özel gün yok.",
        "No special days in the coming week.",
    ),
    ("ui.birthday", "Doğum günü", "Birthday"),
    (
        "ui.anniversary",
        "Müşteri yıldönümü",
        "Customer anniversary",
    ),
    (
        "ui.prepare_greeting",
        "Tebrik hazırla",
        "Prepare a greeting",
    ),
    ("ui.loyalty", "Sadakat puanları", "Loyalty points"),
    ("ui.points", "puan", "points"),
    ("ui.points_earned", "toplam kazanılan", "earned in all"),
    (
        "ui.points_negative",
        "Bakiye eksiye düştü: iki cihazda çevrimdışı harcama yapılmış olabilir.",
        "The balance is below zero: points may have been redeemed offline on two devices.",
    ),
    ("ui.redeem", "Puan kullan", "Redeem"),
    (
        "ui.redeem_note",
        "Ne için (hediye çeki…)",
        "What for (gift voucher…)",
    ),
    ("ui.ledger", "Puan hareketleri", "Points ledger"),
    ("ui.loyalty_rules", "Sadakat programı", "Loyalty programme"),
    (
        "ui.points_per_100",
        "Ödenen her 100 ₺ için puan",
        "Points per 100 ₺ paid",
    ),
    (
        "ui.tiers",
        "Seviyeler (ad:puan, …)",
        "Tiers (name:points, …)",
    ),
    (
        "ui.send_survey",
        "Memnuniyet anketi gönder",
        "Send a satisfaction survey",
    ),
    ("ui.responses", "Anket yanıtları", "Survey answers"),
    ("report.nps", "NPS (yanıt sayısı)", "NPS (answers)"),
    ("field.survey", "Anket", "Survey"),
    ("survey.csat", "Memnuniyet (1–5)", "Satisfaction (1–5)"),
    (
        "survey.nps",
        "Tavsiye (NPS, 0–10)",
        "Recommendation (NPS, 0–10)",
    ),
    ("field.loyalty_tier", "Sadakat seviyesi", "Loyalty tier"),
    ("ui.included_heading", "Gidecek kişiler", "Recipients"),
    (
        "ui.excluded_heading",
        "Hariç kalanlar ve nedeni",
        "Left out, and why",
    ),
    ("iys.MESAJ", "SMS", "SMS"),
    ("iys.ARAMA", "Arama", "Call"),
    ("iys.EPOSTA", "E-posta", "Email"),
    ("consent.ONAY", "Onay", "Consent"),
    ("consent.RET", "Ret", "Refusal"),
    ("consent.none", "İzin yok", "No consent"),
    (
        "consent.merchant",
        "Tacir: izin gerekmez",
        "Merchant: no consent needed",
    ),
    ("source.HS_FIZIKSEL_ORTAM", "Fiziksel ortam", "In person"),
    ("source.HS_ISLAK_IMZA", "Islak imza", "Wet signature"),
    ("source.HS_WEB", "Web sitesi", "Website"),
    ("source.HS_CAGRI_MERKEZI", "Çağrı merkezi", "Call centre"),
    ("source.HS_SOSYAL_MEDYA", "Sosyal medya", "Social media"),
    ("source.HS_EPOSTA", "E-posta", "Email"),
    ("source.HS_MESAJ", "SMS", "SMS"),
    ("source.HS_MOBIL", "Mobil uygulama", "Mobile app"),
    ("source.HS_EORTAM", "Elektronik ortam", "Electronic"),
    (
        "source.HS_KARAR",
        "Mahkeme / kurum kararı",
        "Court or authority decision",
    ),
    (
        "ui.consents",
        "İletişim izinleri (İYS)",
        "Contact consents (İYS)",
    ),
    (
        "ui.record_consent",
        "İzin / ret kaydet",
        "Record consent or refusal",
    ),
    (
        "ui.recipient",
        "Alıcı (telefon ya da e-posta)",
        "Recipient (phone or email)",
    ),
    (
        "ui.evidence",
        "Kanıt (form no, kayıt no…)",
        "Evidence (form no., recording…)",
    ),
    ("ui.email_topics", "E-posta konuları", "Email topics"),
    ("ui.consent_log", "İzin geçmişi", "Consent history"),
    ("ui.uploaded", "İYS'ye yüklendi", "uploaded to İYS"),
    (
        "ui.first_refusal",
        "Bu kanalda önce bir onay olmalı; bireysel alıcının ilk kaydı ret olamaz.",
        "An individual's first record on a channel cannot be a refusal.",
    ),
    ("ui.iys_page", "İYS izinleri", "İYS consents"),
    (
        "ui.iys_hint",
        "İzinler verildikleri günden sonraki 3 iş günü içinde İYS'ye yüklenmelidir. Dışa aktarın, İYS'ye yükleyin, sonra yüklendi olarak işaretleyin.",
        "Consents must reach İYS within 3 business days. Export, upload to İYS, then mark them uploaded.",
    ),
    (
        "ui.mark_uploaded",
        "Yüklendi olarak işaretle",
        "Mark as uploaded",
    ),
    (
        "ui.nothing_to_upload",
        "Yüklenecek izin yok.",
        "Nothing to upload.",
    ),
    ("ui.iys_late", "Süresi doluyor", "Deadline near"),
    (
        "ui.iys_overdue",
        "Bu kişinin bir izni 3 iş günlük İYS yükleme süresinin sonunda.",
        "A consent of this person is at the end of its 3-business-day İYS upload window.",
    ),
    (
        "ui.service_settings_hint",
        "Çalışma saatleri ve tatiller SLA sürelerini ve İYS yükleme süresini belirler.",
        "Working hours and holidays drive SLA clocks and the İYS upload deadline.",
    ),
    ("dept.sales", "Satış", "Sales"),
    ("dept.service", "Servis", "Service"),
    ("dept.marketing", "Pazarlama", "Marketing"),
    ("dept.accounting", "Muhasebe", "Accounting"),
    ("dept.finance", "Finans", "Finance"),
    ("dept.rnd", "Ar-Ge", "R&D"),
    ("kinds.lead", "Adaylar", "Leads"),
    ("kinds.opportunity", "Fırsatlar", "Opportunities"),
    ("kinds.quote", "Teklifler", "Quotes"),
    ("kinds.order", "Siparişler", "Orders"),
    ("kinds.invoice", "Faturalar", "Invoices"),
    ("kinds.product", "Ürünler", "Products"),
    ("field.name", "Ad", "Name"),
    ("field.party", "Şirket / şahıs", "Company or person"),
    ("field.type", "Müşteri tipi", "Customer type"),
    ("field.relation", "İlişki", "Relation"),
    ("field.segment", "Segment", "Segment"),
    ("field.phone", "Telefon", "Phone"),
    ("field.mobile", "Cep telefonu", "Mobile"),
    ("field.email", "E-posta", "Email"),
    ("field.city", "Şehir", "City"),
    ("field.address", "Adres", "Address"),
    ("field.tax_office", "Vergi dairesi", "Tax office"),
    ("field.tax_number", "VKN / TCKN", "Tax number (VKN / TCKN)"),
    ("field.birthday", "Doğum günü", "Birthday"),
    (
        "field.tags",
        "Etiketler (virgülle ayırın)",
        "Tags (comma separated)",
    ),
    ("field.team", "Ekip", "Team"),
    ("field.owner", "Sorumlu", "Owner"),
    ("field.notes", "Notlar", "Notes"),
    ("field.account", "Müşteri", "Account"),
    ("field.title", "Unvan / görev", "Title / role"),
    ("field.company", "Şirket", "Company"),
    ("field.topic", "İlgilendiği konu", "Interested in"),
    (
        "field.estimated_amount",
        "Tahmini tutar",
        "Estimated amount",
    ),
    ("field.currency", "Para birimi", "Currency"),
    ("field.source", "Kaynak", "Source"),
    ("field.status", "Durum", "Status"),
    (
        "field.disqualified_reason",
        "Eleme nedeni",
        "Reason for disqualifying",
    ),
    ("field.contact", "Kişi", "Contact"),
    ("field.stage", "Aşama", "Stage"),
    ("field.amount", "Tutar", "Amount"),
    ("field.close_date", "Tahmini kapanış", "Expected close"),
    ("field.lost_reason", "Kayıp nedeni", "Reason lost"),
    ("field.sku", "Stok kodu", "SKU"),
    (
        "field.unit_price",
        "Birim fiyat (KDV hariç)",
        "Unit price (before VAT)",
    ),
    ("field.vat", "KDV oranı", "VAT (KDV) rate"),
    ("field.category", "Kategori", "Category"),
    ("field.opportunity", "Fırsat", "Opportunity"),
    ("field.valid_until", "Geçerlilik tarihi", "Valid until"),
    ("field.due_date", "Son ödeme tarihi", "Due date"),
    ("field.description", "Açıklama", "Description"),
    ("field.quantity", "Miktar", "Quantity"),
    ("field.discount", "İndirim %", "Discount %"),
    ("field.number", "Fatura no", "Invoice no."),
    ("field.issue_date", "Düzenleme tarihi", "Issue date"),
    ("party.company", "Şirket", "Company"),
    ("party.person", "Şahıs", "Person"),
    ("relation.external", "Dış müşteri", "External customer"),
    ("relation.internal", "İç müşteri", "Internal customer"),
    ("type.potential", "Potansiyel", "Potential"),
    ("type.new", "Yeni", "New"),
    ("type.current", "Mevcut", "Current"),
    ("type.former", "Eski", "Former"),
    ("type.target", "Hedef", "Target"),
    ("source.web", "Web sitesi", "Website"),
    ("source.referral", "Tavsiye", "Referral"),
    ("source.event", "Etkinlik / fuar", "Event / fair"),
    ("source.cold_call", "Soğuk arama", "Cold call"),
    ("source.campaign", "Kampanya", "Campaign"),
    ("source.partner", "İş ortağı", "Partner"),
    ("source.other", "Diğer", "Other"),
    ("status.new", "Yeni", "New"),
    ("status.working", "Çalışılıyor", "Working"),
    ("status.qualified", "Nitelikli", "Qualified"),
    ("status.disqualified", "Elendi", "Disqualified"),
    ("status.converted", "Dönüştürüldü", "Converted"),
    ("status.draft", "Taslak", "Draft"),
    ("status.sent", "Gönderildi", "Sent"),
    ("status.accepted", "Kabul edildi", "Accepted"),
    ("status.rejected", "Reddedildi", "Rejected"),
    ("status.open", "Açık", "Open"),
    ("status.delivered", "Teslim edildi", "Delivered"),
    ("status.cancelled", "İptal", "Cancelled"),
    ("status.issued", "Kesildi", "Issued"),
    ("status.paid", "Ödendi", "Paid"),
    ("status.overdue", "Gecikmiş", "Overdue"),
    ("stage.prospecting", "Ön görüşme", "Prospecting"),
    ("stage.qualification", "Nitelendirme", "Qualification"),
    ("stage.proposal", "Teklif", "Proposal"),
    ("stage.negotiation", "Pazarlık", "Negotiation"),
    ("stage.won", "Kazanıldı", "Won"),
    ("stage.lost", "Kaybedildi", "Lost"),
    ("vat.20", "%20", "20 %"),
    ("vat.10", "%10", "10 %"),
    ("vat.1", "%1", "1 %"),
    ("currency.TRY", "TRY (₺)", "TRY (₺)"),
    ("currency.USD", "USD ($)", "USD ($)"),
    ("currency.EUR", "EUR (€)", "EUR (€)"),
    ("ui.new", "Yeni", "New"),
    ("ui.search_all", "Her yerde ara", "Search everything"),
    (
        "ui.search_hint",
        "Ad, şehir, telefon, e-posta… (Ctrl+K)",
        "Name, city, phone, email… (Ctrl+K)",
    ),
    ("ui.filter", "Süz", "Filter"),
    ("ui.all", "Tümü", "All"),
    ("ui.sort", "Sırala", "Sort"),
    ("ui.sort_name", "Ada göre", "By name"),
    ("ui.sort_newest", "En yeni önce", "Newest first"),
    ("ui.no_records", "Henüz kayıt yok.", "No records yet."),
    ("ui.none", "—", "—"),
    ("ui.pick", "Yazın ve seçin", "Type and pick"),
    ("ui.clear", "Temizle", "Clear"),
    ("ui.convert", "Müşteriye dönüştür", "Convert to customer"),
    ("ui.new_quote", "Teklif hazırla", "Prepare a quote"),
    ("ui.create_order", "Sipariş oluştur", "Create order"),
    ("ui.create_invoice", "Fatura oluştur", "Create invoice"),
    ("ui.issue", "Faturayı kes", "Issue invoice"),
    ("ui.mark_paid", "Ödendi", "Mark paid"),
    ("ui.mark_sent", "Gönderildi", "Mark sent"),
    ("ui.accept", "Kabul edildi", "Accepted"),
    ("ui.reject", "Reddedildi", "Rejected"),
    ("ui.print", "Yazdır / PDF", "Print / PDF"),
    ("ui.lines", "Kalemler", "Lines"),
    ("ui.add_line", "Kalem ekle", "Add line"),
    ("ui.add_product", "Katalogdan ürün ekle", "Add from catalog"),
    ("ui.choose_product", "Ürün seçin…", "Choose a product…"),
    ("ui.remove", "Kaldır", "Remove"),
    ("ui.edit_line", "Düzenle", "Edit"),
    ("ui.line_total", "Tutar", "Amount"),
    ("ui.net", "Ara toplam", "Subtotal"),
    ("ui.vat_total", "KDV", "VAT"),
    ("ui.gross", "Genel toplam", "Total"),
    (
        "ui.totals_invalid",
        "Bir kalem hesaplanamıyor; kalemleri kontrol edin.",
        "A line cannot be priced; check the lines.",
    ),
    ("ui.timeline", "Zaman çizelgesi", "Timeline"),
    ("ui.pipeline", "Satış hunisi", "Pipeline"),
    (
        "ui.forecast",
        "Ağırlıklı tahmin (kapanış ayına göre)",
        "Weighted forecast (by close month)",
    ),
    ("ui.month", "Ay", "Month"),
    ("ui.count", "Adet", "Count"),
    ("ui.weighted", "Ağırlıklı", "Weighted"),
    ("ui.total", "Toplam", "Total"),
    ("ui.no_date", "Tarihsiz", "No date"),
    (
        "ui.drag_hint",
        "Kartı ⠿ tutamağından sürükleyip bir aşamaya bırakın.",
        "Drag a card by its ⠿ handle onto a stage.",
    ),
    ("ui.drag_handle", "Taşı", "Move"),
    ("ui.created", "oluşturuldu", "created"),
    (
        "ui.converted",
        "müşteriye dönüştürüldü",
        "converted to a customer",
    ),
    ("ui.changed_to", "→", "→"),
    ("ui.save_line", "Kalemi kaydet", "Save line"),
    ("ui.from_quote", "Teklif", "From quote"),
    ("ui.from_order", "Sipariş", "From order"),
    (
        "ui.converted_into",
        "Dönüştürüldüğü kayıtlar",
        "Converted into",
    ),
    ("ui.lead_origin", "Geldiği aday", "From lead"),
    ("ui.more", "Daha fazla göster", "Show more"),
    ("ui.results", "sonuç", "results"),
    ("ui.seller", "Satıcı", "Seller"),
    ("ui.customer", "Müşteri", "Customer"),
    ("ui.date", "Tarih", "Date"),
    (
        "ui.settings_pipeline",
        "Satış hunisi aşamaları",
        "Pipeline stages",
    ),
    ("ui.probability", "Olasılık %", "Probability %"),
    ("ui.add_stage", "Aşama ekle", "Add stage"),
    (
        "ui.pipeline_note",
        "Kazanıldı ve Kaybedildi her hunide sonda yer alır.",
        "Won and Lost always end every pipeline.",
    ),
    (
        "refused.quote_not_accepted",
        "Sipariş için önce teklifin kabul edilmesi gerekir.",
        "The quote must be accepted before an order is made.",
    ),
    (
        "refused.not_a_quote",
        "Bu bir teklif değil.",
        "This is not a quote.",
    ),
    (
        "refused.not_an_order",
        "Bu bir sipariş değil.",
        "This is not an order.",
    ),
    (
        "refused.not_an_invoice",
        "Bu bir fatura değil.",
        "This is not an invoice.",
    ),
    (
        "refused.order_cancelled",
        "İptal edilmiş siparişe fatura kesilmez.",
        "A cancelled order cannot be invoiced.",
    ),
    (
        "refused.lead_already_converted",
        "Bu aday zaten dönüştürüldü.",
        "This lead was converted already.",
    ),
    (
        "refused.lead_disqualified",
        "Elenmiş aday dönüştürülemez.",
        "A disqualified lead cannot be converted.",
    ),
    (
        "refused.invoice_already_issued",
        "Fatura zaten kesildi.",
        "The invoice was issued already.",
    ),
    (
        "refused.invoice_has_no_lines",
        "Kalemsiz fatura kesilemez.",
        "An invoice needs at least one line.",
    ),
    (
        "refused.invoice_lines_invalid",
        "Bir kalem hesaplanamıyor; faturayı kesmeden önce düzeltin.",
        "A line cannot be priced; fix it before issuing.",
    ),
    (
        "refused.lines_locked",
        "Kesilmiş ya da iptal edilmiş belgenin kalemleri değişmez.",
        "Lines of an issued or cancelled document cannot change.",
    ),
    (
        "refused.no_index",
        "Çalışma alanı bu cihaza henüz ulaşmadı; bağlanınca yeniden deneyin.",
        "The workspace has not reached this device yet; try again once online.",
    ),
    (
        "refused.no_numbers",
        "Bu cihazda fatura numarası kalmadı; numara almak için internete bağlanın.",
        "No invoice numbers left on this device; go online to get more.",
    ),
    (
        "ui.field_locked",
        "Bu alan şu anda değiştirilemez.",
        "This field cannot be changed now.",
    ),
    (
        "refused.read_only",
        "Rolünüz yalnızca okuma izni veriyor.",
        "Your role can only read.",
    ),
    (
        "refused.not_visible",
        "Bu kayıt size görünmüyor.",
        "This record is not visible to you.",
    ),
    (
        "refused.team_change",
        "Rolünüz kaydı bu ekibe taşıyamaz.",
        "Your role cannot move the record to this team.",
    ),
    (
        "refused.owner_change",
        "Rolünüz kaydın sorumlusunu değiştiremez.",
        "Your role cannot change the record's owner.",
    ),
    (
        "refused.kind_change",
        "Bir kaydın türü değiştirilemez.",
        "A record's kind cannot change.",
    ),
    (
        "refused.unreadable",
        "Kayıt beklenen biçimde değil.",
        "The record is not in the expected form.",
    ),
    (
        "refused.server_only_field",
        "Bu alanı yalnızca sunucu yazar.",
        "Only the server writes this field.",
    ),
    (
        "refused.fixed_field",
        "Bu alan kayıt oluşturulurken belirlenir, sonra değişmez.",
        "This field is set when the record is created and never changes.",
    ),
    (
        "refused.set_once_field",
        "Bu alan bir kez yazıldı, değiştirilemez.",
        "This field was set once and cannot change.",
    ),
    (
        "refused.append_only_field",
        "Bu kayıt günlüğüne yalnızca ekleme yapılabilir.",
        "Entries can only be added to this log.",
    ),
    (
        "refused.locked_field",
        "Bu alan kaydın şimdiki durumunda değiştirilemez.",
        "This field cannot change in the record's current status.",
    ),
    (
        "refused.invalid_format",
        "E-posta ya da telefon geçerli değil.",
        "An e-mail address or phone number is not valid.",
    ),
    (
        "refused.document_too_large",
        "Kayıt izin verilen boyutu aşıyor.",
        "The record is larger than allowed.",
    ),
    (
        "refused.index_created",
        "Çalışma alanı dizini yalnızca sunucuda oluşturulur.",
        "The workspace index is created by the server only.",
    ),
    (
        "refused.index_change",
        "Dizine yalnızca kayıt eklenebilir.",
        "Only records can be added to the index.",
    ),
    (
        "refused.index_lists_team_record",
        "Dizin yalnızca ortak kayıtları listeler.",
        "The index lists only shared records.",
    ),
    (
        "refused.campaign_approval",
        "Kampanyaları yalnızca sahipler, yöneticiler ve müdürler onaylar.",
        "Only owners, admins and managers approve campaigns.",
    ),
    (
        "refused.campaign_withdrawal",
        "Onaylı bir kampanyayı yalnızca onaylayabilenler taslağa çevirir.",
        "Only those who approve campaigns can withdraw an approval.",
    ),
    (
        "refused.campaign_hand_over",
        "Kampanya gönderime yalnızca sunucu tarafından verilir.",
        "Only the server hands a campaign over for sending.",
    ),
    (
        "refused.quote_acceptance",
        "Rolünüz teklifi kabul edilmiş olarak işaretleyemez.",
        "Your role cannot mark a quote accepted.",
    ),
    (
        "refused.invoice_issue",
        "Rolünüz fatura kesemez ya da faturanın durumunu değiştiremez.",
        "Your role cannot issue invoices or change their status.",
    ),
    (
        "refused.case_closure",
        "Rolünüz talebi çözüldü ya da kapandı olarak işaretleyemez.",
        "Your role cannot resolve or close a case.",
    ),
    (
        "refused.not_a_record",
        "Bu belge bir kayıt değil.",
        "This document is not a record.",
    ),
];

/// The word for `key` in `lang`; unknown keys (e.g. a workspace's own stage codes)
/// show as they are.
pub fn word(lang: Lang, key: &str) -> String {
    WORDS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, tr, en)| match lang {
            Lang::Tr => (*tr).to_owned(),
            Lang::En => (*en).to_owned(),
        })
        .unwrap_or_else(|| key.rsplit('.').next().unwrap_or(key).to_owned())
}

/// Whether `key` has words (for tests that every code is worded).
pub fn has_word(key: &str) -> bool {
    WORDS.iter().any(|(k, _, _)| *k == key)
}

#[cfg(test)]
mod word_tests {
    use super::*;

    /// Every literal key the screens look up (`"ui.save"`, `"sla.title"`, …) has words:
    /// a missing one would show as its bare code.
    #[test]
    fn every_key_the_screens_use_is_worded() {
        const PREFIXES: &[&str] = &[
            "ui", "sla", "report", "gate", "delivery", "call", "repeat", "iys", "consent", "dept",
            "weekday", "kind", "kinds", "new", "field", "stage", "status", "refused",
        ];
        fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("src/ui is readable") {
                let path = entry.expect("directory entry").path();
                if path.is_dir() {
                    sources(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut paths = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui"),
            &mut paths,
        );
        let mut missing = Vec::new();
        for path in paths {
            let source = std::fs::read_to_string(&path).expect("source is readable");
            for (i, piece) in source.split('"').enumerate() {
                let Some((prefix, rest)) = piece.split_once('.') else {
                    continue;
                };
                let is_key = i % 2 == 1
                    && PREFIXES.contains(&prefix)
                    && !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if is_key && !has_word(piece) {
                    missing.push(format!("{}: {piece}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys without words: {missing:#?}");
    }
    use saha_core::kinds::{KINDS, Record};
    use saha_core::record::EditContext;
    use saha_core::record::form::Input;

    /// Every reason the device or the server may give for refusing a change is worded
    /// (the refused-changes banner and the edit forms show them).
    #[test]
    fn every_refusal_is_worded() {
        for refusal in saha_core::rules::Refusal::every_kind() {
            let key = format!("refused.{}", refusal.code());
            assert!(has_word(&key), "{key}");
        }
        for refusal in saha_core::record::WorkflowRefusal::ALL {
            let key = format!("refused.{}", refusal.code());
            assert!(has_word(&key), "{key}");
        }
    }

    #[test]
    fn every_kind_field_and_choice_is_worded() {
        let ctx = EditContext::new("u", 0);
        for kind in KINDS {
            assert!(
                has_word(&format!("kind.{kind}"))
                    && has_word(&format!("kinds.{kind}"))
                    && has_word(&format!("new.{kind}")),
                "{kind}"
            );
            let record = Record::blank(kind, &ctx).unwrap();
            for field in record.fields() {
                assert!(
                    has_word(&format!("field.{}", field.name)),
                    "field.{}",
                    field.name
                );
                if let Input::Choice(codes) = field.input {
                    for code in codes {
                        assert!(
                            has_word(&format!("{}.{code}", field.name)),
                            "{}.{code}",
                            field.name
                        );
                    }
                }
            }
            for status in saha_core::sales::document::statuses(kind) {
                assert!(has_word(&format!("status.{status}")));
            }
        }
        for stage in saha_core::sales::opportunity::pipeline(
            saha_core::sales::opportunity::default_open_stages(),
        ) {
            assert!(has_word(&format!("stage.{}", stage.code)), "{}", stage.code);
        }
        for field in saha_core::sales::document::line_field::ALL {
            assert!(has_word(&format!("field.{}", field.name)));
        }
        assert_eq!(word(Lang::En, "stage.demo"), "demo");
        assert_ne!(word(Lang::Tr, "kind.lead"), word(Lang::En, "kind.lead"));
        let duplicates = WORDS
            .iter()
            .enumerate()
            .filter(|(i, (k, _, _))| WORDS[..*i].iter().any(|(other, _, _)| other == k))
            .count();
        assert_eq!(duplicates, 0);
    }
}
