//! Workspaces, members, teams, invitations, sessions and the audit log.
//!
//! Everything here lives in the storage's key-value tables ([`crate::storage::tables`]),
//! as JSON values, in durable transactions: the redb file of the embedded backend, or
//! PostgreSQL, where every node sees the same members and sessions. Passwords are hashed with
//! argon2id (the crate's defaults: 19 MiB, 2 passes — OWASP's recommendation). Session
//! and invitation tokens are 256 random bits handed to the user once; the server keeps
//! only their SHA-256, so a copy of the database does not let anyone in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use saha_core::access::{Access, Department, Role};
use saha_core::api;
use saha_core::sales::numbering::{NumberBlock, Series};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ServerError;
use crate::storage::{TableTx, Tables};

const WORKSPACES: &str = "workspaces";
const USERS: &str = "users";
/// Lower-cased email → user ID. An address belongs to one member of one workspace.
const USER_EMAILS: &str = "user_emails";
const TEAMS: &str = "teams";
/// SHA-256 of the session token (hex) → session.
const SESSIONS: &str = "sessions";
const INVITATIONS: &str = "invitations";
/// SHA-256 of the invitation token (hex) → invitation ID.
const INVITATION_TOKENS: &str = "invitation_tokens";
/// `workspace/millis/random` → entry, so one workspace's entries sort by time.
const AUDIT: &str = "audit";
/// Invoice number counters: `<workspace id>/<year>` → the last number handed out.
const INVOICE_COUNTERS: &str = "invoice_counters";
/// SHA-256 of a calendar feed's secret (hex) → feed.
const CALENDAR_FEEDS: &str = "calendar_feeds";
/// `user/at/document` → a refused sync change ([`api::SyncRefusal`]).
const REFUSALS: &str = "sync_refusals";
/// REST API tokens ([`ApiToken`]), keyed by the SHA-256 of the secret.
const API_TOKENS: &str = "api_tokens";

/// What a REST API token's secret starts with (so secret scanners can find leaked ones).
pub const API_TOKEN_PREFIX: &str = "saha_";
/// Refused changes kept per member.
pub const REFUSALS_KEPT: usize = 200;

/// A calendar's iCalendar subscription: a secret URL that serves the calendar as its
/// creator sees it, until revoked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarFeed {
    pub id: String,
    pub workspace_id: String,
    /// The member who created it; the feed shows what this member may see.
    pub user_id: String,
    /// `dept:<code>` or `user:<id>`.
    pub calendar: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// A REST API token: acts with the role and teams of the member who created it, capped
/// by its scopes, until revoked (or the member is disabled).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: String,
    pub workspace_id: String,
    pub user_id: String,
    pub name: String,
    /// [`api::TokenScope`]s as text.
    pub scopes: Vec<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    /// Document ID of the workspace index.
    pub index_id: String,
    pub created_at: i64,
    /// 2: the index lists only records shared by the workspace and its history names
    /// no others (indexes of layout 0 are rebuilt at start, see
    /// [`crate::sync::hub::Hub::rebuild_index`]).
    #[serde(default)]
    pub index_layout: u32,
}

/// The index layout new workspaces get.
pub const INDEX_LAYOUT: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub teams: Vec<String>,
    pub department: Option<Department>,
    pub disabled: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

impl User {
    pub fn access(&self) -> Access {
        Access {
            role: self.role,
            teams: self.teams.clone(),
        }
    }

    pub fn to_member(&self) -> api::Member {
        api::Member {
            user_id: self.id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            teams: self.teams.clone(),
            department: self.department,
            disabled: self.disabled,
            created_at: self.created_at,
            last_login_at: self.last_login_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
}

impl Team {
    pub fn to_api(&self) -> api::Team {
        api::Team {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub user_id: String,
    pub workspace_id: String,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invitation {
    pub id: String,
    pub token_hash: String,
    pub workspace_id: String,
    pub email: Option<String>,
    pub role: Role,
    pub teams: Vec<String>,
    pub department: Option<Department>,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked: bool,
    pub accepted_by: Option<String>,
}

impl Invitation {
    pub fn to_api(&self, link: Option<String>) -> api::Invitation {
        api::Invitation {
            id: self.id.clone(),
            email: self.email.clone(),
            role: self.role,
            teams: self.teams.clone(),
            department: self.department,
            created_by: self.created_by.clone(),
            created_at: self.created_at,
            expires_at: self.expires_at,
            revoked: self.revoked,
            accepted_by: self.accepted_by.clone(),
            link,
        }
    }

    pub fn usable(&self, now: i64) -> bool {
        !self.revoked && self.accepted_by.is_none() && self.expires_at > now
    }
}

/// Why a directory operation was refused (besides storage failures).
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("that email address is already a member")]
    EmailTaken,
    #[error("a workspace already exists")]
    AlreadySetUp,
    #[error("not found")]
    NotFound,
    /// The member was disabled (or removed) after their password was checked.
    #[error("the member is disabled")]
    Disabled,
    /// A member change refused for a reason the caller gives (own access, last owner).
    #[error("{1}")]
    Refused(saha_core::api::ApiErrorCode, String),
    #[error(transparent)]
    Server(#[from] ServerError),
}

impl<E: Into<ServerError>> From<E> for Box<DirectoryError> {
    fn from(e: E) -> Self {
        Box::new(DirectoryError::Server(e.into()))
    }
}

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("stored JSON: {e}"))
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// 256 random bits as 64 hex digits.
pub fn random_token() -> Result<String, ServerError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Storage(format!("random: {e}")))?;
    Ok(hex::encode(bytes))
}

/// The SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Normalises an email address for lookups (trimmed, lower-cased).
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Hashes a password with argon2id and a random salt. Slow on purpose: call it off the
/// async workers.
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ServerError::Storage(format!("random: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ServerError::Storage(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Storage(format!("password hashing: {e}")))
}

/// Whether `password` matches `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the email is unknown, so that a wrong address takes as
/// long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that nobody has").unwrap_or_default())
}

pub struct Directory {
    tables: Tables,
    /// Sessions created since start; every [`SWEEP_EVERY`]th login sweeps expired ones.
    sessions_created: std::sync::atomic::AtomicU64,
}

/// How often (in logins) expired sessions are removed from the table.
const SWEEP_EVERY: u64 = 64;

type DirResult<T> = std::result::Result<T, Box<DirectoryError>>;

fn get_json<T: DeserializeOwned>(
    tx: &mut dyn TableTx,
    table: &str,
    key: &str,
) -> DirResult<Option<T>> {
    match tx.get(table, key)? {
        Some(v) => Ok(Some(serde_json::from_slice(&v).map_err(json_error)?)),
        None => Ok(None),
    }
}

fn put_json<T: Serialize>(
    tx: &mut dyn TableTx,
    table: &str,
    key: &str,
    value: &T,
) -> DirResult<()> {
    let bytes = serde_json::to_vec(value).map_err(json_error)?;
    tx.put(table, key, &bytes)?;
    Ok(())
}

fn text(bytes: Option<Vec<u8>>) -> Option<String> {
    bytes.and_then(|b| String::from_utf8(b).ok())
}

impl Directory {
    pub fn open(tables: Tables) -> Result<Directory, ServerError> {
        Ok(Directory {
            tables,
            sessions_created: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn get<T: DeserializeOwned>(&self, table: &str, key: &str) -> DirResult<Option<T>> {
        self.tables.read(|tx| get_json(tx, table, key))
    }

    fn all<T: DeserializeOwned>(&self, table: &str) -> DirResult<Vec<T>> {
        self.tables.read(|tx| {
            tx.scan(table, "", None)?
                .into_iter()
                .map(|(_, v)| serde_json::from_slice(&v).map_err(|e| json_error(e).into()))
                .collect()
        })
    }

    fn put<T: Serialize>(&self, table: &str, key: &str, value: &T) -> DirResult<()> {
        self.tables.write(|tx| put_json(tx, table, key, value))
    }

    // ---- workspaces -------------------------------------------------------------

    pub fn workspaces(&self) -> DirResult<Vec<Workspace>> {
        self.all(WORKSPACES)
    }

    pub fn workspace(&self, id: &str) -> DirResult<Option<Workspace>> {
        self.get(WORKSPACES, id)
    }

    /// Creates a workspace and its owner. With `only_if_none`, refuses when any
    /// workspace exists (the first-run page), checked in the same transaction.
    pub fn create_workspace(
        &self,
        workspace: Workspace,
        owner: User,
        only_if_none: bool,
    ) -> DirResult<()> {
        self.tables.write(|tx| {
            if only_if_none && !tx.scan(WORKSPACES, "", None)?.is_empty() {
                return Err(Box::new(DirectoryError::AlreadySetUp));
            }
            let key = email_key(&owner.email);
            if tx.get(USER_EMAILS, &key)?.is_some() {
                return Err(Box::new(DirectoryError::EmailTaken));
            }
            tx.put(USER_EMAILS, &key, owner.id.as_bytes())?;
            put_json(tx, WORKSPACES, &workspace.id, &workspace)?;
            put_json(tx, USERS, &owner.id, &owner)
        })
    }

    // ---- members ----------------------------------------------------------------

    pub fn user(&self, id: &str) -> DirResult<Option<User>> {
        self.get(USERS, id)
    }

    pub fn user_by_email(&self, email: &str) -> DirResult<Option<User>> {
        let key = email_key(email);
        self.tables
            .read(|tx| match text(tx.get(USER_EMAILS, &key)?) {
                Some(id) => get_json(tx, USERS, &id),
                None => Ok(None),
            })
    }

    pub fn members(&self, workspace_id: &str) -> DirResult<Vec<User>> {
        let mut users: Vec<User> = self
            .all::<User>(USERS)?
            .into_iter()
            .filter(|u| u.workspace_id == workspace_id)
            .collect();
        users.sort_by_cached_key(|u| saha_core::text::fold::fold(&u.name));
        Ok(users)
    }

    /// Saves a changed user (same ID, same email).
    pub fn save_user(&self, user: &User) -> DirResult<()> {
        self.put(USERS, &user.id, user)
    }

    /// Changes a user as stored now, in one transaction: `change` sees the current
    /// record (not one read earlier, which a concurrent login or another admin's change
    /// may have replaced) and may refuse. Returns the record before and after.
    pub fn update_user(
        &self,
        id: &str,
        mut change: impl FnMut(&mut User, &mut dyn TableTx) -> DirResult<()>,
    ) -> DirResult<(User, User)> {
        self.tables.write(|tx| {
            let before: User =
                get_json(tx, USERS, id)?.ok_or_else(|| Box::new(DirectoryError::NotFound))?;
            let mut after = before.clone();
            change(&mut after, tx)?;
            put_json(tx, USERS, &after.id, &after)?;
            Ok((before, after))
        })
    }

    /// The enabled owners of a workspace, read inside a transaction.
    pub fn active_owners(tx: &mut dyn TableTx, workspace_id: &str) -> DirResult<usize> {
        let mut owners = 0;
        for (_, value) in tx.scan(USERS, "", None)? {
            let user: User = serde_json::from_slice(&value).map_err(json_error)?;
            if user.workspace_id == workspace_id && user.role == Role::Owner && !user.disabled {
                owners += 1;
            }
        }
        Ok(owners)
    }

    /// Points a workspace at a rebuilt index, if its layout is still older than
    /// `layout`; returns whether it did.
    pub fn set_index(&self, workspace_id: &str, index_id: &str, layout: u32) -> DirResult<bool> {
        self.tables.write(|tx| {
            let Some(mut ws) = get_json::<Workspace>(tx, WORKSPACES, workspace_id)? else {
                return Ok(false);
            };
            if ws.index_layout >= layout {
                return Ok(false);
            }
            ws.index_id = index_id.to_owned();
            ws.index_layout = layout;
            put_json(tx, WORKSPACES, workspace_id, &ws)?;
            Ok(true)
        })
    }

    // ---- teams ------------------------------------------------------------------

    pub fn teams(&self, workspace_id: &str) -> DirResult<Vec<Team>> {
        let mut teams: Vec<Team> = self
            .all::<Team>(TEAMS)?
            .into_iter()
            .filter(|t| t.workspace_id == workspace_id)
            .collect();
        teams.sort_by_cached_key(|t| saha_core::text::fold::fold(&t.name));
        Ok(teams)
    }

    pub fn add_team(&self, team: &Team) -> DirResult<()> {
        self.put(TEAMS, &team.id, team)
    }

    // ---- document numbers ---------------------------------------------------------

    /// Reserves the next block of `size` numbers of `series` and `year` for one device.
    /// The counter moves in the same durable transaction, so no block is handed out
    /// twice, even across restarts or by two nodes at once.
    pub fn reserve_numbers(
        &self,
        workspace_id: &str,
        series: Series,
        year: i32,
        size: u64,
    ) -> DirResult<NumberBlock> {
        // Invoice counters keep the key they had before quotes and orders were numbered.
        let key = match series {
            Series::Invoice => format!("{workspace_id}/{year}"),
            other => format!("{workspace_id}/{}/{year}", other.code()),
        };
        let last = self.tables.write(|tx| {
            let before: u64 = text(tx.get(INVOICE_COUNTERS, &key)?)
                .map(|t| {
                    t.parse()
                        .map_err(|_| ServerError::Storage(format!("number counter {key}: {t:?}")))
                })
                .transpose()?
                .unwrap_or(0);
            let last = before.saturating_add(size);
            tx.put(INVOICE_COUNTERS, &key, last.to_string().as_bytes())?;
            Ok::<_, Box<DirectoryError>>(last)
        })?;
        Ok(NumberBlock {
            series,
            year,
            first: last + 1 - size,
            last,
        })
    }

    // ---- calendar feeds -----------------------------------------------------------

    /// Creates a feed of `calendar` for `user`; returns the secret (shown once).
    pub fn create_calendar_feed(
        &self,
        user: &User,
        calendar: &str,
    ) -> DirResult<(String, CalendarFeed)> {
        let token = random_token()?;
        let feed = CalendarFeed {
            id: uuid::Uuid::new_v4().to_string(),
            workspace_id: user.workspace_id.clone(),
            user_id: user.id.clone(),
            calendar: calendar.to_owned(),
            created_at: now_ms(),
            revoked_at: None,
        };
        self.put(CALENDAR_FEEDS, &token_hash(&token), &feed)?;
        Ok((token, feed))
    }

    /// The live feed for a secret (revoked feeds are not returned).
    pub fn calendar_feed(&self, token: &str) -> DirResult<Option<CalendarFeed>> {
        Ok(self
            .get::<CalendarFeed>(CALENDAR_FEEDS, &token_hash(token))?
            .filter(|f| f.revoked_at.is_none()))
    }

    /// The live feeds `user_id` created.
    pub fn calendar_feeds_of(&self, user_id: &str) -> DirResult<Vec<CalendarFeed>> {
        let mut feeds: Vec<CalendarFeed> = self
            .all::<CalendarFeed>(CALENDAR_FEEDS)?
            .into_iter()
            .filter(|f| f.user_id == user_id && f.revoked_at.is_none())
            .collect();
        feeds.sort_by_key(|f| f.created_at);
        Ok(feeds)
    }

    /// Revokes the feed `id` of `user_id`; returns whether one was revoked.
    pub fn revoke_calendar_feed(&self, user_id: &str, id: &str) -> DirResult<bool> {
        self.tables.write(|tx| {
            for (key, value) in tx.scan(CALENDAR_FEEDS, "", None)? {
                let mut feed: CalendarFeed = serde_json::from_slice(&value).map_err(json_error)?;
                if feed.id == id && feed.user_id == user_id && feed.revoked_at.is_none() {
                    feed.revoked_at = Some(now_ms());
                    put_json(tx, CALENDAR_FEEDS, &key, &feed)?;
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    // ---- API tokens ---------------------------------------------------------------

    /// Creates a token for `user` with `scopes` (already checked); returns the secret
    /// (shown once) and the token.
    pub fn create_api_token(
        &self,
        user: &User,
        name: &str,
        scopes: Vec<String>,
    ) -> DirResult<(String, ApiToken)> {
        let secret = format!("{API_TOKEN_PREFIX}{}", random_token()?);
        let token = ApiToken {
            id: new_id(),
            workspace_id: user.workspace_id.clone(),
            user_id: user.id.clone(),
            name: name.to_owned(),
            scopes,
            created_at: now_ms(),
            last_used_at: None,
            revoked_at: None,
        };
        self.put(API_TOKENS, &token_hash(&secret), &token)?;
        Ok((secret, token))
    }

    /// The live token with `secret` and its member, if the member is still active in
    /// the token's workspace.
    pub fn api_token(&self, secret: &str) -> DirResult<Option<(ApiToken, User)>> {
        let hash = token_hash(secret);
        self.tables.read(|tx| {
            let Some(token) = get_json::<ApiToken>(tx, API_TOKENS, &hash)? else {
                return Ok(None);
            };
            if token.revoked_at.is_some() {
                return Ok(None);
            }
            let user: Option<User> = get_json(tx, USERS, &token.user_id)?;
            Ok(user
                .filter(|u| !u.disabled && u.workspace_id == token.workspace_id)
                .map(|u| (token, u)))
        })
    }

    /// Notes that the token with `secret` was used at `at`.
    pub fn touch_api_token(&self, secret: &str, at: i64) -> DirResult<()> {
        let hash = token_hash(secret);
        self.tables.write(|tx| {
            if let Some(mut token) = get_json::<ApiToken>(tx, API_TOKENS, &hash)? {
                token.last_used_at = Some(at);
                put_json(tx, API_TOKENS, &hash, &token)?;
            }
            Ok(())
        })
    }

    /// The workspace's live tokens, oldest first.
    pub fn api_tokens(&self, workspace_id: &str) -> DirResult<Vec<ApiToken>> {
        let mut tokens: Vec<ApiToken> = self
            .all::<ApiToken>(API_TOKENS)?
            .into_iter()
            .filter(|t| t.workspace_id == workspace_id && t.revoked_at.is_none())
            .collect();
        tokens.sort_by_key(|t| t.created_at);
        Ok(tokens)
    }

    /// Revokes token `id` of the workspace; returns it if one was revoked.
    pub fn revoke_api_token(&self, workspace_id: &str, id: &str) -> DirResult<Option<ApiToken>> {
        self.tables.write(|tx| {
            for (key, value) in tx.scan(API_TOKENS, "", None)? {
                let mut token: ApiToken = serde_json::from_slice(&value).map_err(json_error)?;
                if token.id == id
                    && token.workspace_id == workspace_id
                    && token.revoked_at.is_none()
                {
                    token.revoked_at = Some(now_ms());
                    put_json(tx, API_TOKENS, &key, &token)?;
                    return Ok(Some(token));
                }
            }
            Ok(None)
        })
    }

    // ---- sessions ---------------------------------------------------------------

    /// Starts a session for the user with `user_id`; returns the token for the cookie,
    /// the session and the user as stored now. The user is read again inside the
    /// transaction that creates the session: a member disabled (or given another role)
    /// since their password was checked gets no session, or a session with the new
    /// role, and the login never writes back a user record read before.
    pub fn create_session(
        &self,
        user_id: &str,
        lifetime_ms: i64,
    ) -> DirResult<(String, Session, User)> {
        let token = random_token()?;
        let now = now_ms();
        let hash = token_hash(&token);
        let (session, user) = self.tables.write(|tx| {
            let mut user: User =
                get_json(tx, USERS, user_id)?.ok_or_else(|| Box::new(DirectoryError::Disabled))?;
            if user.disabled {
                return Err(Box::new(DirectoryError::Disabled));
            }
            let session = Session {
                user_id: user.id.clone(),
                workspace_id: user.workspace_id.clone(),
                created_at: now,
                expires_at: now + lifetime_ms,
            };
            user.last_login_at = Some(now);
            put_json(tx, SESSIONS, &hash, &session)?;
            put_json(tx, USERS, &user.id, &user)?;
            Ok((session, user))
        })?;
        let created = self
            .sessions_created
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if created.is_multiple_of(SWEEP_EVERY) {
            // No user has the empty ID: this only removes expired sessions.
            if let Err(e) = self.end_sessions_of("", None) {
                tracing::warn!(error = %e, "could not sweep expired sessions");
            }
        }
        Ok((token, session, user))
    }

    /// The live session and its user for a token hash; expired sessions and disabled
    /// users give `None`.
    pub fn session(&self, hash: &str) -> DirResult<Option<(Session, User)>> {
        let found = self.tables.read(|tx| {
            let Some(session) = get_json::<Session>(tx, SESSIONS, hash)? else {
                return Ok(None);
            };
            let user = get_json::<User>(tx, USERS, &session.user_id)?;
            Ok::<_, Box<DirectoryError>>(user.map(|u| (session, u)))
        })?;
        Ok(found.filter(|(session, user)| session.expires_at > now_ms() && !user.disabled))
    }

    pub fn end_session(&self, hash: &str) -> DirResult<()> {
        self.tables.write(|tx| tx.delete(SESSIONS, hash))?;
        Ok(())
    }

    /// Ends every session of `user_id` except `keep`; returns the hashes ended. Expired
    /// sessions of anyone are swept on the way.
    pub fn end_sessions_of(&self, user_id: &str, keep: Option<&str>) -> DirResult<Vec<String>> {
        let now = now_ms();
        self.tables.write(|tx| {
            let mut ended = Vec::new();
            for (key, value) in tx.scan(SESSIONS, "", None)? {
                let session: Session = serde_json::from_slice(&value).map_err(json_error)?;
                let expired = session.expires_at <= now;
                if expired || (session.user_id == user_id && keep != Some(key.as_str())) {
                    tx.delete(SESSIONS, &key)?;
                    if !expired {
                        ended.push(key);
                    }
                }
            }
            Ok(ended)
        })
    }

    // ---- refused sync changes -----------------------------------------------------

    /// Keeps a refused change for the member's device (the newest [`REFUSALS_KEPT`]).
    pub fn record_refusal(&self, user_id: &str, refusal: api::SyncRefusal) -> DirResult<()> {
        let key = format!("{user_id}/{:015}/{}", refusal.at, refusal.document);
        self.tables.write(|tx| {
            put_json(tx, REFUSALS, &key, &refusal)?;
            let prefix = format!("{user_id}/");
            let mine = tx.scan(REFUSALS, &prefix, Some(&format!("{user_id}0")))?;
            if mine.len() > REFUSALS_KEPT {
                for (old, _) in &mine[..mine.len() - REFUSALS_KEPT] {
                    tx.delete(REFUSALS, old)?;
                }
            }
            Ok(())
        })
    }

    /// The member's refused changes since `since` (ms), oldest first.
    pub fn refusals_of(&self, user_id: &str, since: i64) -> DirResult<Vec<api::SyncRefusal>> {
        let from = format!("{user_id}/{:015}", since.max(0));
        self.tables.read(|tx| {
            tx.scan(REFUSALS, &from, Some(&format!("{user_id}0")))?
                .into_iter()
                .map(|(_, v)| serde_json::from_slice(&v).map_err(|e| json_error(e).into()))
                .collect()
        })
    }

    // ---- invitations ------------------------------------------------------------

    pub fn add_invitation(&self, invitation: &Invitation) -> DirResult<()> {
        self.tables.write(|tx| {
            put_json(tx, INVITATIONS, &invitation.id, invitation)?;
            tx.put(
                INVITATION_TOKENS,
                &invitation.token_hash,
                invitation.id.as_bytes(),
            )?;
            Ok(())
        })
    }

    pub fn invitations(&self, workspace_id: &str) -> DirResult<Vec<Invitation>> {
        let mut list: Vec<Invitation> = self
            .all::<Invitation>(INVITATIONS)?
            .into_iter()
            .filter(|i| i.workspace_id == workspace_id)
            .collect();
        list.sort_by_key(|i| std::cmp::Reverse(i.created_at));
        Ok(list)
    }

    pub fn invitation(&self, id: &str) -> DirResult<Option<Invitation>> {
        self.get(INVITATIONS, id)
    }

    pub fn invitation_by_token(&self, token: &str) -> DirResult<Option<Invitation>> {
        let hash = token_hash(token);
        self.tables
            .read(|tx| match text(tx.get(INVITATION_TOKENS, &hash)?) {
                Some(id) => get_json(tx, INVITATIONS, &id),
                None => Ok(None),
            })
    }

    pub fn save_invitation(&self, invitation: &Invitation) -> DirResult<()> {
        self.put(INVITATIONS, &invitation.id, invitation)
    }

    /// Creates the invited member and marks the invitation used, atomically: a link
    /// accepted twice at once makes one member.
    pub fn accept_invitation(&self, invitation_id: &str, user: &User) -> DirResult<()> {
        self.tables.write(|tx| {
            let invitation: Invitation = get_json(tx, INVITATIONS, invitation_id)?
                .ok_or(Box::new(DirectoryError::NotFound))?;
            if !invitation.usable(now_ms()) {
                return Err(Box::new(DirectoryError::NotFound));
            }
            let key = email_key(&user.email);
            if tx.get(USER_EMAILS, &key)?.is_some() {
                return Err(Box::new(DirectoryError::EmailTaken));
            }
            tx.put(USER_EMAILS, &key, user.id.as_bytes())?;
            let mut used = invitation;
            used.accepted_by = Some(user.email.clone());
            put_json(tx, INVITATIONS, &used.id, &used)?;
            put_json(tx, USERS, &user.id, user)
        })
    }

    // ---- audit ------------------------------------------------------------------

    /// Appends an entry to a workspace's audit log. Failing to write it is logged, not
    /// returned: the action it records has already happened.
    pub fn audit(&self, workspace_id: &str, entry: api::AuditEntry) {
        let key = format!("{workspace_id}/{:016}/{}", entry.at.max(0), new_id());
        match self.put(AUDIT, &key, &entry) {
            Ok(()) => tracing::info!(
                workspace = workspace_id,
                action = %entry.action,
                actor = %entry.actor,
                target = %entry.target,
                "audit"
            ),
            Err(e) => tracing::error!(error = %e, action = %entry.action, "audit entry not stored"),
        }
    }

    /// Rewrites a workspace's audit entries with `mask` (a person's erasure takes their
    /// name, addresses and numbers out of every entry's target and detail), in one
    /// transaction; returns how many changed.
    pub fn mask_audit(
        &self,
        workspace_id: &str,
        mask: impl Fn(&str) -> String,
    ) -> DirResult<usize> {
        let from = format!("{workspace_id}/");
        let to = format!("{workspace_id}0");
        self.tables.write(|tx| {
            let mut changed = 0;
            for (key, value) in tx.scan(AUDIT, &from, Some(&to))? {
                let mut entry: api::AuditEntry =
                    serde_json::from_slice(&value).map_err(json_error)?;
                let (target, detail) = (mask(&entry.target), mask(&entry.detail));
                if target != entry.target || detail != entry.detail {
                    entry.target = target;
                    entry.detail = detail;
                    put_json(tx, AUDIT, &key, &entry)?;
                    changed += 1;
                }
            }
            Ok(changed)
        })
    }

    /// The newest `limit` entries of a workspace, newest first.
    pub fn audit_log(&self, workspace_id: &str, limit: usize) -> DirResult<Vec<api::AuditEntry>> {
        let start = format!("{workspace_id}/");
        let end = format!("{workspace_id}0");
        self.tables.read(|tx| {
            tx.scan_last(AUDIT, &start, &end, limit)?
                .into_iter()
                .map(|(_, v)| serde_json::from_slice(&v).map_err(|e| json_error(e).into()))
                .collect()
        })
    }
}

/// A workspace's rows in the directory as a backup carries them ([`crate::backup`]):
/// members without password hashes, no sessions, invitations or tokens.
#[derive(Debug, Clone)]
pub struct WorkspaceRows {
    pub workspace: Workspace,
    /// Sorted by ID.
    pub teams: Vec<Team>,
    /// Sorted by ID; `password_hash` is empty.
    pub members: Vec<User>,
    /// Document number counters: the key after `<workspace>/`, the last number handed out.
    pub counters: Vec<(String, u64)>,
    /// The audit log in key order, each with its key after `<workspace>/`.
    pub audit: Vec<(String, api::AuditEntry)>,
}

/// Why a workspace's rows could not be restored.
#[derive(Debug, thiserror::Error)]
pub enum RestoreRefusal {
    #[error("a workspace with the ID {0} exists on this server")]
    WorkspaceExists(String),
    #[error("{0} is already a member of a workspace on this server")]
    EmailTaken(String),
}

impl Directory {
    /// The rows of `workspace_id` a backup holds, read in one transaction.
    pub fn workspace_rows(&self, workspace_id: &str) -> DirResult<WorkspaceRows> {
        let from = format!("{workspace_id}/");
        let to = format!("{workspace_id}0");
        self.tables.read(|tx| {
            let workspace: Workspace = get_json(tx, WORKSPACES, workspace_id)?
                .ok_or_else(|| Box::new(DirectoryError::NotFound))?;
            let mut teams = Vec::new();
            for (_, value) in tx.scan(TEAMS, "", None)? {
                let team: Team = serde_json::from_slice(&value).map_err(json_error)?;
                if team.workspace_id == workspace_id {
                    teams.push(team);
                }
            }
            teams.sort_by(|a, b| a.id.cmp(&b.id));
            let mut members = Vec::new();
            for (_, value) in tx.scan(USERS, "", None)? {
                let mut user: User = serde_json::from_slice(&value).map_err(json_error)?;
                if user.workspace_id == workspace_id {
                    user.password_hash.clear();
                    members.push(user);
                }
            }
            members.sort_by(|a, b| a.id.cmp(&b.id));
            let mut counters = Vec::new();
            for (key, value) in tx.scan(INVOICE_COUNTERS, &from, Some(&to))? {
                let last = text(Some(value))
                    .and_then(|t| t.parse::<u64>().ok())
                    .ok_or_else(|| ServerError::Storage(format!("number counter {key}")))?;
                counters.push((key[from.len()..].to_owned(), last));
            }
            let mut audit = Vec::new();
            for (key, value) in tx.scan(AUDIT, &from, Some(&to))? {
                let entry: api::AuditEntry = serde_json::from_slice(&value).map_err(json_error)?;
                audit.push((key[from.len()..].to_owned(), entry));
            }
            Ok(WorkspaceRows {
                workspace,
                teams,
                members,
                counters,
                audit,
            })
        })
    }

    /// Writes a backup's rows in one transaction, refusing (and writing nothing) when the
    /// workspace exists or a member's email address is taken. `passwords` gives members
    /// (by ID) a password hash; the others cannot sign in until one is set.
    pub fn restore_workspace(
        &self,
        rows: &WorkspaceRows,
        passwords: &std::collections::HashMap<String, String>,
    ) -> DirResult<Result<(), RestoreRefusal>> {
        let ws = &rows.workspace.id;
        self.tables.write(|tx| {
            if tx.get(WORKSPACES, ws)?.is_some() {
                return Ok(Err(RestoreRefusal::WorkspaceExists(ws.clone())));
            }
            for member in &rows.members {
                if tx.get(USER_EMAILS, &email_key(&member.email))?.is_some()
                    || tx.get(USERS, &member.id)?.is_some()
                {
                    return Ok(Err(RestoreRefusal::EmailTaken(member.email.clone())));
                }
            }
            put_json(tx, WORKSPACES, ws, &rows.workspace)?;
            for team in &rows.teams {
                put_json(tx, TEAMS, &team.id, team)?;
            }
            for member in &rows.members {
                let mut user = member.clone();
                user.workspace_id = ws.clone();
                user.password_hash = passwords.get(&user.id).cloned().unwrap_or_default();
                tx.put(USER_EMAILS, &email_key(&user.email), user.id.as_bytes())?;
                put_json(tx, USERS, &user.id, &user)?;
            }
            for (key, last) in &rows.counters {
                tx.put(
                    INVOICE_COUNTERS,
                    &format!("{ws}/{key}"),
                    last.to_string().as_bytes(),
                )?;
            }
            for (key, entry) in &rows.audit {
                put_json(tx, AUDIT, &format!("{ws}/{key}"), entry)?;
            }
            Ok(Ok(()))
        })
    }

    /// Sets a member's password (an operator's `admin set-password`, or a member restored
    /// from a backup, which has none).
    pub fn set_password(&self, user_id: &str, hash: String) -> DirResult<User> {
        let (_, after) = self.update_user(user_id, |user, _| {
            user.password_hash = hash.clone();
            Ok(())
        })?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory() -> (tempfile::TempDir, Directory) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::storage::embedded::SharedDb::create(&dir.path().join("t.redb")).unwrap();
        (dir, Directory::open(Tables::Embedded(db)).unwrap())
    }

    fn user(ws: &str, email: &str) -> User {
        User {
            id: new_id(),
            workspace_id: ws.into(),
            email: email.into(),
            name: "Ayşe".into(),
            password_hash: String::new(),
            role: Role::Owner,
            teams: vec![],
            department: None,
            disabled: false,
            created_at: 1,
            last_login_at: None,
        }
    }

    fn workspace(id: &str) -> Workspace {
        Workspace {
            id: id.into(),
            name: "Saha".into(),
            index_id: String::new(),
            created_at: 1,
            index_layout: INDEX_LAYOUT,
        }
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("doğru parola 123").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("doğru parola 123", &hash));
        assert!(!verify_password("yanlış parola 123", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn first_run_setup_happens_once_and_emails_are_unique() {
        let (_t, d) = directory();
        d.create_workspace(workspace("w1"), user("w1", "a@x.com"), true)
            .unwrap();
        let again = d.create_workspace(workspace("w2"), user("w2", "b@x.com"), true);
        assert!(matches!(*again.unwrap_err(), DirectoryError::AlreadySetUp));
        let taken = d.create_workspace(workspace("w3"), user("w3", "A@X.com "), false);
        assert!(matches!(*taken.unwrap_err(), DirectoryError::EmailTaken));
        assert_eq!(d.workspaces().unwrap().len(), 1);
        assert!(d.user_by_email("A@x.COM").unwrap().is_some());
    }

    #[test]
    fn sessions_end_and_tokens_are_stored_hashed() {
        let (_t, d) = directory();
        let u = user("w1", "a@x.com");
        d.create_workspace(workspace("w1"), u.clone(), false)
            .unwrap();
        let (token, _, _) = d.create_session(&u.id, 60_000).unwrap();
        let (other, _, _) = d.create_session(&u.id, 60_000).unwrap();
        assert!(
            d.session(&token).unwrap().is_none(),
            "raw tokens are not keys"
        );
        assert!(d.session(&token_hash(&token)).unwrap().is_some());
        let ended = d.end_sessions_of(&u.id, Some(&token_hash(&token))).unwrap();
        assert_eq!(ended, vec![token_hash(&other)]);
        assert!(d.session(&token_hash(&other)).unwrap().is_none());
        assert!(d.session(&token_hash(&token)).unwrap().is_some());
        let (expired, _, _) = d.create_session(&u.id, -1).unwrap();
        assert!(d.session(&token_hash(&expired)).unwrap().is_none());
    }

    #[test]
    fn an_invitation_makes_one_member() {
        let (_t, d) = directory();
        d.create_workspace(workspace("w1"), user("w1", "a@x.com"), false)
            .unwrap();
        let inv = Invitation {
            id: new_id(),
            token_hash: token_hash("tok"),
            workspace_id: "w1".into(),
            email: None,
            role: Role::SalesRep,
            teams: vec![],
            department: None,
            created_by: "a@x.com".into(),
            created_at: 1,
            expires_at: now_ms() + 60_000,
            revoked: false,
            accepted_by: None,
        };
        d.add_invitation(&inv).unwrap();
        assert_eq!(d.invitation_by_token("tok").unwrap().unwrap().id, inv.id);
        d.accept_invitation(&inv.id, &user("w1", "b@x.com"))
            .unwrap();
        let second = d.accept_invitation(&inv.id, &user("w1", "c@x.com"));
        assert!(matches!(*second.unwrap_err(), DirectoryError::NotFound));
        assert_eq!(d.members("w1").unwrap().len(), 2);
    }

    #[test]
    fn audit_entries_list_newest_first_per_workspace() {
        let (_t, d) = directory();
        for (ws, at) in [("w1", 1), ("w2", 2), ("w1", 3)] {
            d.audit(
                ws,
                api::AuditEntry {
                    at,
                    actor: "a".into(),
                    action: format!("act{at}"),
                    target: String::new(),
                    ip: String::new(),
                    detail: String::new(),
                },
            );
        }
        let log = d.audit_log("w1", 10).unwrap();
        assert_eq!(log.iter().map(|e| e.at).collect::<Vec<_>>(), vec![3, 1]);
    }
}
