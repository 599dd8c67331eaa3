//! The JSON bodies of the server's HTTP API, shared by the server and the app.
//!
//! Field names are camelCase on the wire. Every error answer is an [`ApiError`] with a
//! stable `error` code the app translates, and an English `message` for operators.

use serde::{Deserialize, Serialize};

use crate::access::{Department, Role};

/// `POST /api/setup`: the first workspace and its owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupRequest {
    pub workspace_name: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// `GET /api/setup`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupStatus {
    pub needs_setup: bool,
}

/// `POST /api/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /api/auth/password`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/sync/ticket`: a single-use ticket and the WebSocket URL that carries it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ticket {
    pub ticket: String,
    pub url: String,
}

/// A team of the workspace (an office, a territory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub name: String,
}

/// A member as other members see them (for owner names and attendee lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
}

/// `GET /api/auth/me`: who is signed in, and what the app needs to work offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub teams: Vec<String>,
    pub department: Option<Department>,
    pub workspace_id: String,
    pub workspace_name: String,
    /// `automerge:` URL of the workspace index document.
    pub index_url: String,
    /// Milliseconds since the Unix epoch; the app works offline until then.
    pub session_expires_at: i64,
    pub workspace_teams: Vec<Team>,
    pub people: Vec<Person>,
    /// What this server takes as attachments, so that the phone refuses and shrinks
    /// files before it keeps them (absent from an older server: the defaults).
    #[serde(default)]
    pub attachments: AttachmentLimits,
}

/// A server's attachment settings the app follows (`--max-attachment-mib`,
/// `--photo-max-edge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentLimits {
    /// Largest file taken, in bytes.
    pub max_bytes: u64,
    /// The longer edge, in pixels, a phone draws a photo at before keeping it.
    pub photo_max_edge: u32,
}

impl Default for AttachmentLimits {
    fn default() -> AttachmentLimits {
        AttachmentLimits {
            max_bytes: crate::record::attachment::DEFAULT_MAX_BYTES,
            photo_max_edge: crate::record::attachment::DEFAULT_PHOTO_MAX_EDGE,
        }
    }
}

/// `GET /api/members` rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub teams: Vec<String>,
    pub department: Option<Department>,
    pub disabled: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

/// `PATCH /api/members/{id}`: any subset of the fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberUpdate {
    pub role: Option<Role>,
    pub teams: Option<Vec<String>>,
    /// `Some(None)` clears the department.
    #[serde(default, with = "double_option")]
    pub department: Option<Option<Department>>,
    pub disabled: Option<bool>,
}

/// `POST /api/document-numbers`: a block of numbers of one series for this device (the
/// answer is a [`crate::sales::numbering::NumberBlock`]). Without `series`, invoice
/// numbers (what `POST /api/invoice-numbers` of earlier versions asked for).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NumberRequest {
    pub year: i32,
    #[serde(default)]
    pub series: crate::sales::numbering::Series,
}

/// `POST /api/calendar-feeds`: a subscription URL for one calendar.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCalendarFeed {
    /// `dept:<code>` or `user:<id>` (only one's own).
    pub calendar: String,
}

/// A calendar subscription as listed (`GET /api/calendar-feeds`); `url` is only given
/// once, in the answer to its creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarFeed {
    pub id: String,
    pub calendar: String,
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `POST /api/teams`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewTeam {
    pub name: String,
}

/// `POST /api/invitations`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewInvitation {
    /// If set, only this address may accept.
    pub email: Option<String>,
    pub role: Role,
    pub teams: Vec<String>,
    pub department: Option<Department>,
    /// Hours until the link stops working (1–720).
    pub expires_in_hours: u32,
}

/// An invitation as admins see it. `link` is present only in the answer that created
/// it: the server keeps a hash of the token, never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub id: String,
    pub email: Option<String>,
    pub role: Role,
    pub teams: Vec<String>,
    pub department: Option<Department>,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked: bool,
    pub accepted_by: Option<String>,
    pub link: Option<String>,
}

/// `GET /api/invitations/{token}`: what the invitee sees before accepting.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationPreview {
    pub workspace_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub expires_at: i64,
}

/// `POST /api/invitations/{token}/accept`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AcceptInvitation {
    pub name: String,
    pub email: String,
    pub password: String,
}

/// What an audit log entry records. Entries store and send its
/// [`code`](AuditAction::code), so a log written by another version still reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    WorkspaceCreated,
    Login,
    LoginFailed,
    LoginThrottled,
    Logout,
    PasswordChanged,
    PasswordChangeFailed,
    InvitationCreated,
    InvitationRevoked,
    InvitationAccepted,
    MemberUpdated,
    MemberRoleChanged,
    MemberDisabled,
    TeamCreated,
    /// A sync message the member's access did not allow.
    SyncDenied,
    /// A calendar feed skipped a record it could not read.
    CalendarUnreadableRecord,
    ApiTokenCreated,
    ApiTokenRevoked,
    /// A record created, changed or deleted through the REST API.
    ApiRecordCreated,
    ApiRecordUpdated,
    ApiRecordDeleted,
    /// A REST API write the member's access or the workflow rules did not allow.
    ApiDenied,
    WebhookCreated,
    WebhookDeleted,
    /// A webhook subscription kept failing and was turned off.
    WebhookDisabled,
    WebhookEnabled,
    WebFormCreated,
    WebFormDeleted,
    /// Records brought in from a file (an import, on a device or by an operator).
    RecordsImported,
    /// Records taken out as a file.
    RecordsExported,
    /// A duplicate merged into the record kept (the target is the merged one).
    RecordsMerged,
    /// An owner (or an operator) took a backup of the whole workspace.
    WorkspaceBackedUp,
    /// What is held about a person was saved for them (an access request; the target
    /// is the person's record).
    PersonalDataDisclosed,
    /// A data-subject request was logged (the target is the request's ID; the person's
    /// name stays out of the audit log).
    PrivacyRequestLogged,
    /// A data-subject request was changed: its status, answer or evidence.
    PrivacyRequestUpdated,
    /// A person was erased (the target is the destruction record's ID).
    PersonErased,
    /// The retention policy was saved (the detail holds its rules).
    RetentionPolicySaved,
    /// The retention policy ran (the target is the run's ID; an empty actor: the
    /// schedule).
    RetentionRan,
}

impl AuditAction {
    pub const ALL: [AuditAction; 38] = [
        AuditAction::WorkspaceCreated,
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::LoginThrottled,
        AuditAction::Logout,
        AuditAction::PasswordChanged,
        AuditAction::PasswordChangeFailed,
        AuditAction::InvitationCreated,
        AuditAction::InvitationRevoked,
        AuditAction::InvitationAccepted,
        AuditAction::MemberUpdated,
        AuditAction::MemberRoleChanged,
        AuditAction::MemberDisabled,
        AuditAction::TeamCreated,
        AuditAction::SyncDenied,
        AuditAction::CalendarUnreadableRecord,
        AuditAction::ApiTokenCreated,
        AuditAction::ApiTokenRevoked,
        AuditAction::ApiRecordCreated,
        AuditAction::ApiRecordUpdated,
        AuditAction::ApiRecordDeleted,
        AuditAction::ApiDenied,
        AuditAction::WebhookCreated,
        AuditAction::WebhookDeleted,
        AuditAction::WebhookDisabled,
        AuditAction::WebhookEnabled,
        AuditAction::WebFormCreated,
        AuditAction::WebFormDeleted,
        AuditAction::RecordsImported,
        AuditAction::RecordsExported,
        AuditAction::RecordsMerged,
        AuditAction::WorkspaceBackedUp,
        AuditAction::PersonalDataDisclosed,
        AuditAction::PrivacyRequestLogged,
        AuditAction::PrivacyRequestUpdated,
        AuditAction::PersonErased,
        AuditAction::RetentionPolicySaved,
        AuditAction::RetentionRan,
    ];

    /// The stable code entries carry (`invitation.created`).
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::WorkspaceCreated => "workspace.created",
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login.failed",
            AuditAction::LoginThrottled => "login.throttled",
            AuditAction::Logout => "logout",
            AuditAction::PasswordChanged => "password.changed",
            AuditAction::PasswordChangeFailed => "password.change_failed",
            AuditAction::InvitationCreated => "invitation.created",
            AuditAction::InvitationRevoked => "invitation.revoked",
            AuditAction::InvitationAccepted => "invitation.accepted",
            AuditAction::MemberUpdated => "member.updated",
            AuditAction::MemberRoleChanged => "member.role_changed",
            AuditAction::MemberDisabled => "member.disabled",
            AuditAction::TeamCreated => "team.created",
            AuditAction::SyncDenied => "sync.denied",
            AuditAction::CalendarUnreadableRecord => "calendar.unreadable_record",
            AuditAction::ApiTokenCreated => "api_token.created",
            AuditAction::ApiTokenRevoked => "api_token.revoked",
            AuditAction::ApiRecordCreated => "api.record_created",
            AuditAction::ApiRecordUpdated => "api.record_updated",
            AuditAction::ApiRecordDeleted => "api.record_deleted",
            AuditAction::ApiDenied => "api.denied",
            AuditAction::WebhookCreated => "webhook.created",
            AuditAction::WebhookDeleted => "webhook.deleted",
            AuditAction::WebhookDisabled => "webhook.disabled",
            AuditAction::WebhookEnabled => "webhook.enabled",
            AuditAction::WebFormCreated => "web_form.created",
            AuditAction::WebFormDeleted => "web_form.deleted",
            AuditAction::RecordsImported => "records.imported",
            AuditAction::RecordsExported => "records.exported",
            AuditAction::RecordsMerged => "records.merged",
            AuditAction::WorkspaceBackedUp => "workspace.backed_up",
            AuditAction::PersonalDataDisclosed => "privacy.disclosed",
            AuditAction::PrivacyRequestLogged => "privacy.request_logged",
            AuditAction::PrivacyRequestUpdated => "privacy.request_updated",
            AuditAction::PersonErased => "privacy.erased",
            AuditAction::RetentionPolicySaved => "privacy.retention_saved",
            AuditAction::RetentionRan => "privacy.retention_ran",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// A device telling the server it saved what is held about a person, for an access
/// request (`POST /api/audit/privacy`); sent at once or when the device is next online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyNotice {
    /// The person's record ID.
    pub person: String,
    /// Records in the file (the person's own and those that refer to them).
    pub records: u64,
    /// `json` or `html`.
    pub format: String,
    /// When the file was saved on the device (milliseconds since the Unix epoch).
    pub at: i64,
}

/// A device telling the server it saved records as a file (`POST /api/audit/exports`),
/// so the export is in the audit log like one made on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportNotice {
    /// The URL section of the records' kind (`accounts`).
    pub section: String,
    pub rows: u64,
    /// A [`crate::export::Format`] or [`crate::export::vcard::Version`] code.
    pub format: String,
    /// When the file was saved on the device (milliseconds since the Unix epoch; 0 from
    /// an older app): a notice made offline arrives later.
    #[serde(default)]
    pub at: i64,
}

/// A device telling the server it imported a file (`POST /api/audit/imports`), so the
/// import is in the audit log like one run on the server. Sent when the import ends, or
/// later if the device was offline then (`at` says when it ran).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportNotice {
    /// The URL section of the records' kind (`accounts`).
    pub section: String,
    /// The file's name as the device read it.
    pub file: String,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub refused: u64,
    /// When the import ended on the device (milliseconds since the Unix epoch).
    pub at: i64,
}

/// One audit log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub at: i64,
    /// The acting user's email, or the address tried for a failed login.
    pub actor: String,
    /// An [`AuditAction`] code (a string, so entries of other versions still read).
    pub action: String,
    pub target: String,
    pub ip: String,
    pub detail: String,
}

/// A change of the member's that the server refused (`GET /api/sync/refusals`): the
/// device words `code` (a [`crate::rules::Refusal::code`] or a limit's) and offers to
/// drop its local copy of the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncRefusal {
    pub at: i64,
    /// The document's ID (bs58check).
    pub document: String,
    pub code: String,
}

/// The body of every error answer of the app's routes (`/api/…`); the REST API's
/// (`/api/v1/…`) answer RFC 9457 problems, which carry the same code as `code` (see
/// [`ErrorAnswer`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong, as a stable code the app words.
    pub error: ApiErrorCode,
    /// The same in English, for logs and people reading the API.
    pub message: String,
}

/// The code of an error answer from either family of routes: an [`ApiError`]
/// (`{"error": …}`) or a REST problem (`{"code": …}`). The app reads every failure
/// through this, so a refusal of the REST routes it uses (attachments' uploads) is known
/// for what it is rather than taken for a server fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ErrorAnswer {
    #[serde(alias = "code")]
    pub error: ApiErrorCode,
}

/// Why the API refused a request. Serialised as its [`code`](ApiErrorCode::code)
/// (`"weak_password"`); the app words each one. Written by hand rather than derived: the
/// derived deserializer cost the browser bundle 2.5 KB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiErrorCode {
    /// No session, or it ended.
    Unauthorized,
    /// The member's role does not allow it.
    Forbidden,
    /// A state-changing request from another browser origin.
    BadOrigin,
    InvalidCredentials,
    /// Too many failed attempts; the answer carries `Retry-After`.
    RateLimited,
    InvalidInput,
    InvalidEmail,
    WeakPassword,
    PasswordTooLong,
    NotFound,
    EmailTaken,
    /// The invitation is for another email address.
    EmailMismatch,
    /// The invitation was revoked, used or has expired.
    InvitationInvalid,
    /// The server already has a workspace.
    AlreadySetUp,
    /// The change would leave the workspace without an owner.
    LastOwner,
    /// Members cannot change their own role or disable themselves.
    OwnAccess,
    TeamExists,
    /// `/sync` without a valid ticket.
    InvalidTicket,
    /// A REST API request without a valid token or session.
    InvalidToken,
    /// The token's scopes do not cover the request.
    InsufficientScope,
    /// A record's fields did not pass validation (the problem lists each field).
    ValidationFailed,
    /// The workflow or access rules refused the change.
    ChangeRefused,
    /// A field the record kind does not have.
    UnknownField,
    /// The request body is too large.
    PayloadTooLarge,
    /// The workspace's attachments fill its quota.
    QuotaExceeded,
    /// A file of a type Saha does not keep.
    UnsupportedMediaType,
    /// The uploaded bytes do not have the SHA-256 the upload named.
    HashMismatch,
    /// The file has not been uploaded (whole) yet.
    UploadIncomplete,
    /// The server failed; the details are in its log.
    Internal,
    /// The app's own: no answer from the server (offline, unreachable).
    Network,
    /// The app's own: an answer it could not read.
    BadAnswer,
    /// A code from a newer server that this version does not know.
    Unknown,
}

impl ApiErrorCode {
    /// Every code, for tests that check each is worded.
    pub const ALL: &[ApiErrorCode] = &[
        ApiErrorCode::Unauthorized,
        ApiErrorCode::Forbidden,
        ApiErrorCode::BadOrigin,
        ApiErrorCode::InvalidCredentials,
        ApiErrorCode::RateLimited,
        ApiErrorCode::InvalidInput,
        ApiErrorCode::InvalidEmail,
        ApiErrorCode::WeakPassword,
        ApiErrorCode::PasswordTooLong,
        ApiErrorCode::NotFound,
        ApiErrorCode::EmailTaken,
        ApiErrorCode::EmailMismatch,
        ApiErrorCode::InvitationInvalid,
        ApiErrorCode::AlreadySetUp,
        ApiErrorCode::LastOwner,
        ApiErrorCode::OwnAccess,
        ApiErrorCode::TeamExists,
        ApiErrorCode::InvalidTicket,
        ApiErrorCode::InvalidToken,
        ApiErrorCode::InsufficientScope,
        ApiErrorCode::ValidationFailed,
        ApiErrorCode::ChangeRefused,
        ApiErrorCode::UnknownField,
        ApiErrorCode::PayloadTooLarge,
        ApiErrorCode::QuotaExceeded,
        ApiErrorCode::UnsupportedMediaType,
        ApiErrorCode::HashMismatch,
        ApiErrorCode::UploadIncomplete,
        ApiErrorCode::Internal,
        ApiErrorCode::Network,
        ApiErrorCode::BadAnswer,
        ApiErrorCode::Unknown,
    ];

    /// The stable name on the wire.
    pub fn code(self) -> &'static str {
        match self {
            ApiErrorCode::Unauthorized => "unauthorized",
            ApiErrorCode::Forbidden => "forbidden",
            ApiErrorCode::BadOrigin => "bad_origin",
            ApiErrorCode::InvalidCredentials => "invalid_credentials",
            ApiErrorCode::RateLimited => "rate_limited",
            ApiErrorCode::InvalidInput => "invalid_input",
            ApiErrorCode::InvalidEmail => "invalid_email",
            ApiErrorCode::WeakPassword => "weak_password",
            ApiErrorCode::PasswordTooLong => "password_too_long",
            ApiErrorCode::NotFound => "not_found",
            ApiErrorCode::EmailTaken => "email_taken",
            ApiErrorCode::EmailMismatch => "email_mismatch",
            ApiErrorCode::InvitationInvalid => "invitation_invalid",
            ApiErrorCode::AlreadySetUp => "already_set_up",
            ApiErrorCode::LastOwner => "last_owner",
            ApiErrorCode::OwnAccess => "own_access",
            ApiErrorCode::TeamExists => "team_exists",
            ApiErrorCode::InvalidTicket => "invalid_ticket",
            ApiErrorCode::InvalidToken => "invalid_token",
            ApiErrorCode::InsufficientScope => "insufficient_scope",
            ApiErrorCode::ValidationFailed => "validation_failed",
            ApiErrorCode::ChangeRefused => "change_refused",
            ApiErrorCode::UnknownField => "unknown_field",
            ApiErrorCode::PayloadTooLarge => "payload_too_large",
            ApiErrorCode::QuotaExceeded => "quota_exceeded",
            ApiErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ApiErrorCode::HashMismatch => "hash_mismatch",
            ApiErrorCode::UploadIncomplete => "upload_incomplete",
            ApiErrorCode::Internal => "internal",
            ApiErrorCode::Network => "network",
            ApiErrorCode::BadAnswer => "bad_answer",
            ApiErrorCode::Unknown => "unknown",
        }
    }

    /// The code named `code`; [`ApiErrorCode::Unknown`] for a name this version does
    /// not know.
    pub fn from_code(code: &str) -> ApiErrorCode {
        ApiErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.code() == code)
            .unwrap_or(ApiErrorCode::Unknown)
    }
}

impl Serialize for ApiErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for ApiErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(ApiErrorCode::from_code(&code))
    }
}

/// Shortest password accepted (ASVS 6.2.1: at least 8; we ask for 10).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (ASVS 6.2.2: at least 64 allowed).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Checks a new password's length; returns the API error code on failure.
pub fn check_new_password(password: &str) -> Result<(), ApiErrorCode> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(ApiErrorCode::WeakPassword)
    } else if chars > MAX_PASSWORD_CHARS {
        Err(ApiErrorCode::PasswordTooLong)
    } else {
        Ok(())
    }
}

/// What an API token may do: read, or read and write, the records of one kind's URL
/// section (`accounts`, `invoices`, …) or of every kind (`*`). Written `section:read`
/// or `section:write`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenScope {
    /// A record kind's URL section, or `*` for every kind.
    pub section: String,
    /// Write includes read.
    pub write: bool,
}

impl TokenScope {
    /// Reads `section:read` / `section:write`; `sections` are the sections that exist.
    pub fn parse(text: &str, sections: &[&str]) -> Option<TokenScope> {
        let (section, access) = text.trim().split_once(':')?;
        let write = match access {
            "read" => false,
            "write" => true,
            _ => return None,
        };
        (section == "*" || sections.contains(&section)).then(|| TokenScope {
            section: section.to_owned(),
            write,
        })
    }

    /// Whether this scope lets a token read (or, with `write`, change) `section`.
    pub fn allows(&self, section: &str, write: bool) -> bool {
        (self.section == "*" || self.section == section) && (self.write || !write)
    }
}

impl std::fmt::Display for TokenScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let access = if self.write { "write" } else { "read" };
        write!(f, "{}:{access}", self.section)
    }
}

/// `POST /api/api-tokens`: a new REST API token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewApiToken {
    pub name: String,
    /// [`TokenScope`]s as text (`accounts:read`, `*:write`).
    pub scopes: Vec<String>,
    /// The member the token acts as (their role and teams): an integration gets a
    /// member of its own, with only the teams it needs. Default: the creator.
    #[serde(default)]
    pub user_id: Option<String>,
}

/// An API token as Settings → API lists it. `secret` is only in the answer that
/// created it: the server keeps nothing but its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    /// The member whose role and teams the token acts with.
    pub user_id: String,
    pub user_name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// Every webhook event type: `kind.created`, `kind.updated`, `kind.deleted` and
/// `kind.erased` (a KVKK erasure destroyed it) per record kind, the business events `invoice.paid`, `campaign.sent`, `consent.changed`, and a
/// case's SLA clock running out (`case.sla_warning` at 80 %, `case.sla_breach`).
pub fn webhook_event_types() -> Vec<String> {
    let mut types: Vec<String> = crate::kinds::KINDS
        .iter()
        .flat_map(|kind| {
            ["created", "updated", "deleted", "erased"]
                .into_iter()
                .map(move |what| format!("{kind}.{what}"))
        })
        .collect();
    types.extend(
        [
            "invoice.paid",
            "campaign.sent",
            "consent.changed",
            "case.sla_warning",
            "case.sla_breach",
        ]
        .into_iter()
        .map(str::to_owned),
    );
    types
}

/// One consent checkbox of a web form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebFormConsent {
    /// `EPOSTA`, `MESAJ` or `ARAMA`.
    pub channel: String,
    /// The exact wording shown beside the checkbox (kept as evidence).
    pub wording: String,
}

/// `POST /api/web-forms`: a new web form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewWebForm {
    pub name: String,
    /// `lead`, `complaint`, `request` or `wish`.
    pub target: String,
    /// Fields asked besides the name: `company`, `email`, `phone`, `city`, `message`.
    pub fields: Vec<String>,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub thank_you: String,
    #[serde(default)]
    pub consents: Vec<WebFormConsent>,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// Seconds a person takes at least (default 3).
    #[serde(default)]
    pub min_fill_seconds: Option<u32>,
}

/// A web form as Settings lists it, with its page and the snippet that embeds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebForm {
    pub id: String,
    pub name: String,
    pub target: String,
    pub fields: Vec<String>,
    pub team: String,
    pub thank_you: String,
    pub consents: Vec<WebFormConsent>,
    pub allowed_origins: Vec<String>,
    pub min_fill_seconds: u32,
    pub created_at: i64,
    pub page_url: String,
    pub snippet: String,
}

/// `POST /api/webhooks`: a new subscription.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewWebhook {
    /// Where to post (`https://…`).
    pub url: String,
    /// Event types (`invoice.paid`, `account.created`, …) or `*`.
    pub events: Vec<String>,
}

/// A webhook subscription as Settings → API shows it to owners and admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    /// The signing secret (`whsec_…`).
    pub secret: String,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    pub disabled_reason: Option<String>,
    pub failures_in_a_row: u32,
}

/// One delivery attempt of a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttempt {
    pub delivery: String,
    pub event_type: String,
    pub at: i64,
    pub attempt: u32,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
    pub will_retry: bool,
}

mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(inner) => inner.serialize(s),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_code_reads_from_either_kind_of_error_answer() {
        let app: ErrorAnswer =
            serde_json::from_str(r#"{"error":"weak_password","message":"too short"}"#)
                .expect("an app error");
        assert_eq!(app.error, ApiErrorCode::WeakPassword);
        let problem: ErrorAnswer = serde_json::from_str(
            r#"{"type":"about:blank","title":"Payload Too Large","status":413,
                "code":"payload_too_large","detail":"the file has 2000000 bytes"}"#,
        )
        .expect("a REST problem");
        assert_eq!(problem.error, ApiErrorCode::PayloadTooLarge);
    }

    #[test]
    fn member_update_tells_absent_from_cleared() {
        let absent: MemberUpdate = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.department, None);
        let cleared: MemberUpdate = serde_json::from_str(r#"{"department":null}"#).unwrap();
        assert_eq!(cleared.department, Some(None));
        let set: MemberUpdate =
            serde_json::from_str(r#"{"department":"rnd","role":"sales_rep"}"#).unwrap();
        assert_eq!(set.department, Some(Some(Department::Rnd)));
        assert_eq!(set.role, Some(Role::SalesRep));
    }

    #[test]
    fn token_scopes_read_and_write_by_section() {
        let sections = ["accounts", "invoices"];
        let read = TokenScope::parse("accounts:read", &sections).unwrap();
        assert!(read.allows("accounts", false));
        assert!(!read.allows("accounts", true));
        assert!(!read.allows("invoices", false));
        let all = TokenScope::parse("*:write", &sections).unwrap();
        assert!(all.allows("invoices", true) && all.allows("accounts", false));
        assert_eq!(all.to_string(), "*:write");
        for bad in ["accounts", "accounts:admin", "ghosts:read", ":read", ""] {
            assert_eq!(TokenScope::parse(bad, &sections), None, "{bad}");
        }
    }

    #[test]
    fn password_length_rules() {
        assert_eq!(check_new_password("kısa"), Err(ApiErrorCode::WeakPassword));
        assert_eq!(check_new_password("çok-uzun-ve-güzel"), Ok(()));
        assert_eq!(
            check_new_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)),
            Err(ApiErrorCode::PasswordTooLong)
        );
    }

    #[test]
    fn error_codes_keep_their_wire_names_and_unknown_ones_are_read() {
        let body = ApiError {
            error: ApiErrorCode::InvalidCredentials,
            message: "wrong email or password".into(),
        };
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(
            json,
            r#"{"error":"invalid_credentials","message":"wrong email or password"}"#
        );
        let newer: ApiError =
            serde_json::from_str(r#"{"error":"a_code_of_a_newer_server","message":"x"}"#).unwrap();
        assert_eq!(newer.error, ApiErrorCode::Unknown);
        for code in ApiErrorCode::ALL {
            let text = serde_json::to_string(code).unwrap();
            assert_eq!(serde_json::from_str::<ApiErrorCode>(&text).unwrap(), *code);
        }
    }
}
