//! Command-line and environment configuration of `saha-server`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Saha CRM server: serves the offline-first app and syncs its Automerge documents.
#[derive(Debug, Clone, Parser)]
#[command(name = "saha-server", version)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Operator tasks against the configured storage (stop the server first: the
    /// embedded storage file is opened exclusively).
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Creates a workspace and its owner; prints the workspace ID.
    CreateWorkspace {
        /// The workspace's name.
        #[arg(long)]
        name: String,
        /// The owner's email address (their login).
        #[arg(long)]
        email: String,
        /// The owner's display name (defaults to the part of the email before `@`).
        #[arg(long)]
        owner_name: Option<String>,
        /// Read the owner's password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Creates a REST API token for an owner or admin; prints the secret once (only its
    /// hash is stored).
    CreateApiToken {
        /// The email address of the owner or admin the token acts as.
        #[arg(long)]
        email: String,
        /// What the token is for (shown in Settings → API).
        #[arg(long)]
        name: String,
        /// Scopes, `section:read` or `section:write` (`accounts:read`, `invoices:write`,
        /// `*:read`), comma-separated or repeated. Default: `*:read`.
        #[arg(long, value_delimiter = ',')]
        scopes: Vec<String>,
    },
    /// Imports a CSV file as records, as a member would (their access and the record
    /// rules apply); prints the report: what was (or, with --dry-run, would be)
    /// created, updated and refused, each refused row with its line and reason.
    Import {
        /// The email address of the member the records are made by.
        #[arg(long)]
        email: String,
        /// What the rows are: accounts, contacts, leads, products, opportunities or
        /// cases.
        #[arg(long)]
        kind: String,
        /// A saved mapping (JSON, as the app saves it); guessed from the headers when
        /// left out.
        #[arg(long)]
        mapping: Option<std::path::PathBuf>,
        /// create (default), update or create_or_update.
        #[arg(long)]
        mode: Option<String>,
        /// The field rows are matched by (tax_number, email, sku, …).
        #[arg(long)]
        key: Option<String>,
        /// How `03/04/2025` reads: day-first or month-first.
        #[arg(long)]
        date_order: Option<String>,
        /// utf-8, windows-1254 (iso-8859-9) or utf-16le; detected when left out.
        #[arg(long)]
        encoding: Option<String>,
        /// The worksheet of a workbook to read, by name; the first with cells when
        /// left out.
        #[arg(long)]
        sheet: Option<String>,
        /// Check every row and print the report; store nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the refused rows (cells as they were, plus line and reason) to this
        /// CSV file.
        #[arg(long)]
        refused: Option<std::path::PathBuf>,
        /// The file: CSV, or an XLSX, XLS, XLSB or ODS workbook.
        file: std::path::PathBuf,
    },
    /// Exports the records of one kind a member can see, as CSV (the form's field
    /// codes as headers, so the file imports again) or XLSX.
    Export {
        /// The email address of the member whose view is exported.
        #[arg(long)]
        email: String,
        /// accounts, contacts, leads, products, opportunities, cases, …
        #[arg(long)]
        kind: String,
        /// csv (default), csv-tr (for Excel set to Turkish: `;`, decimal comma) or xlsx.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Where to write; standard output when left out.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Writes a backup of a whole workspace (every document with its history, members
    /// without passwords, teams, number counters, the audit log) to one file.
    Backup {
        /// The workspace's ID or exact name (may be left out when the server has one).
        #[arg(long)]
        workspace: Option<String>,
        /// The file to write (gzip-compressed JSON Lines).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restores a workspace from a backup into this server, which must not have it.
    /// Nothing is written unless the whole file checks out. Members come back without
    /// passwords: the one named here gets the password read from standard input.
    Restore {
        /// The member who can sign in afterwards (default: the earliest owner).
        #[arg(long)]
        email: Option<String>,
        /// Read that member's new password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The backup file.
        file: std::path::PathBuf,
    },
    /// Sets a member's password (one restored from a backup has none); their sessions
    /// end.
    SetPassword {
        /// The member's email address.
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

/// How the server runs.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port; the chosen address is printed.
    #[arg(
        long,
        env = "SAHA_LISTEN",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub listen: SocketAddr,

    /// Directory of the embedded storage (one file, `saha.redb`, is kept there) and of
    /// local files such as the development SMS log.
    #[arg(long, env = "SAHA_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// PostgreSQL to keep everything in instead of the embedded file, e.g.
    /// `postgres://saha@db/saha`. Several server nodes may share one database.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Directory with the built web assets (`pkg/`, `sw.js`, manifest, icons).
    #[arg(
        long,
        env = "SAHA_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,

    /// The address users open, e.g. `https://crm.example.com` behind a TLS proxy. An
    /// `https` URL turns on `Secure` cookies and HSTS, and is the default allowed origin.
    #[arg(long, env = "SAHA_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Origins allowed to open `/sync` and call the API from a browser (repeat, or
    /// comma-separate in the variable). Default: the public URL, else the server's own
    /// origin as the request's Host header names it.
    #[arg(
        long = "allowed-origin",
        env = "SAHA_ALLOWED_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub allowed_origins: Vec<String>,

    /// Take the client address for login limits from the last `X-Forwarded-For` hop
    /// (only behind a reverse proxy that sets it).
    #[arg(long, env = "SAHA_TRUST_FORWARDED_FOR", global = true)]
    pub trust_forwarded_for: bool,

    /// Hours a login lasts; the app keeps working offline until then.
    #[arg(long, env = "SAHA_SESSION_HOURS", default_value_t = 14 * 24, global = true)]
    pub session_hours: u32,

    /// Seconds a sync ticket stays valid (it is also single-use).
    #[arg(long, env = "SAHA_TICKET_SECONDS", default_value_t = 60, global = true)]
    pub ticket_seconds: u64,

    /// Largest WebSocket message accepted, in bytes; a larger one closes that connection.
    #[arg(long, env = "SAHA_MAX_MESSAGE_BYTES", default_value_t = 16 * 1024 * 1024, global = true)]
    pub max_message_bytes: usize,

    /// Largest stored size of one document, in bytes; a change that would pass it is
    /// refused and not stored.
    #[arg(long, env = "SAHA_MAX_DOCUMENT_BYTES", default_value_t = 32 * 1024 * 1024, global = true)]
    pub max_document_bytes: usize,

    /// Most documents one sync connection may track; more closes the connection.
    #[arg(
        long,
        env = "SAHA_MAX_DOCUMENTS_PER_CONNECTION",
        default_value_t = 200_000,
        global = true
    )]
    pub max_documents_per_connection: usize,

    /// Most documents kept in memory; beyond it, the least recently used idle ones are
    /// dropped (they stay in storage and load again on use).
    #[arg(
        long,
        env = "SAHA_MAX_LIVE_DOCUMENTS",
        default_value_t = 5_000,
        global = true
    )]
    pub max_live_documents: usize,

    /// MiB of the embedded storage file kept in the server's memory (the operating
    /// system caches the rest).
    #[arg(
        long,
        env = "SAHA_STORAGE_CACHE_MIB",
        default_value_t = 128,
        global = true
    )]
    pub storage_cache_mib: usize,

    /// Seconds an unused document stays in memory.
    #[arg(
        long,
        env = "SAHA_IDLE_EVICTION_SECONDS",
        default_value_t = 60,
        global = true
    )]
    pub idle_eviction_seconds: u64,

    /// Sync messages per second one user may send, over all their connections (0: no
    /// limit). Faster senders are slowed down, not dropped.
    #[arg(
        long,
        env = "SAHA_USER_MESSAGES_PER_SECOND",
        default_value_t = 2_000,
        global = true
    )]
    pub user_messages_per_second: u32,

    /// Messages a user may send at once before the rate applies.
    #[arg(
        long,
        env = "SAHA_USER_MESSAGE_BURST",
        default_value_t = 50_000,
        global = true
    )]
    pub user_message_burst: u32,

    /// REST API requests one token may make per second (0: unlimited); past the burst,
    /// requests are answered `429` with `Retry-After`.
    #[arg(
        long,
        env = "SAHA_API_REQUESTS_PER_SECOND",
        default_value_t = 20,
        global = true
    )]
    pub api_requests_per_second: u32,

    /// REST API requests one token may make at once before the rate applies.
    #[arg(
        long,
        env = "SAHA_API_REQUEST_BURST",
        default_value_t = 200,
        global = true
    )]
    pub api_request_burst: u32,

    /// Allow webhook targets on private and local addresses (an integration inside the
    /// company network). Off by default: a workspace admin must not reach the server's
    /// own network through webhooks.
    #[arg(long, env = "SAHA_WEBHOOK_ALLOW_PRIVATE", global = true)]
    pub webhook_allow_private: bool,

    /// The wait before a failed webhook delivery's first retry, in milliseconds; each
    /// further retry waits twice as long (up to an hour).
    #[arg(
        long,
        env = "SAHA_WEBHOOK_RETRY_BASE_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub webhook_retry_base_ms: u64,

    /// Failed webhook attempts in a row after which a subscription is turned off.
    #[arg(
        long,
        env = "SAHA_WEBHOOK_DISABLE_AFTER",
        default_value_t = 20,
        global = true
    )]
    pub webhook_disable_after: u32,

    /// Seconds between looks at open cases' SLA clocks for the `case.sla_warning` and
    /// `case.sla_breach` webhook events.
    #[arg(
        long,
        env = "SAHA_WEBHOOK_SLA_CHECK_SECONDS",
        default_value_t = 60,
        global = true
    )]
    pub webhook_sla_check_seconds: u64,

    /// Seconds between looks for a workspace whose retention policy is due to run
    /// (the policy's own interval, in days, says when it is).
    #[arg(
        long,
        env = "SAHA_RETENTION_CHECK_SECONDS",
        default_value_t = 900,
        global = true
    )]
    pub retention_check_seconds: u64,

    /// Seconds between WebSocket pings; a peer that misses two is dropped (the idle
    /// timeout of a dead connection).
    #[arg(long, env = "SAHA_PING_SECONDS", default_value_t = 20, global = true)]
    pub ping_seconds: u64,

    /// SMTP server for campaign e-mail, `smtp://user:pass@host:587?tls=required` or
    /// `smtps://…`; without it, e-mail stays queued in the outbox.
    #[arg(long, env = "SAHA_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,

    /// Sender of campaign e-mail.
    #[arg(
        long,
        env = "SAHA_SMTP_FROM",
        default_value = "Saha <noreply@saha.invalid>",
        global = true
    )]
    pub smtp_from: String,

    /// Where attachments' bytes are kept: a directory (`file:///srv/saha-blobs` or a
    /// path) or an S3-compatible bucket (`s3://bucket`, with the `AWS_*` variables, e.g.
    /// `AWS_ENDPOINT`, `AWS_ACCESS_KEY_ID`). Default: `<data dir>/blobs`. Several nodes
    /// need a bucket (or a shared directory) so that every node serves every file.
    #[arg(long, env = "SAHA_BLOB_URL", global = true)]
    pub blob_url: Option<String>,

    /// Largest attachment taken, in MiB.
    #[arg(
        long,
        env = "SAHA_MAX_ATTACHMENT_MIB",
        default_value_t = 25,
        global = true
    )]
    pub max_attachment_mib: u64,

    /// The longer edge, in pixels, phones draw a photo at before keeping and uploading
    /// it (a smaller copy, re-encoded as JPEG; 256 to 8192).
    #[arg(
        long,
        env = "SAHA_PHOTO_MAX_EDGE",
        default_value_t = saha_core::record::attachment::DEFAULT_PHOTO_MAX_EDGE,
        value_parser = clap::value_parser!(u32).range(256..=8192),
        global = true
    )]
    pub photo_max_edge: u32,

    /// Hours a file no record holds is kept before it is removed (a file may be
    /// uploaded before the change that attaches it arrives).
    #[arg(long, env = "SAHA_ATTACHMENT_GRACE_HOURS", default_value_t = 7 * 24, global = true)]
    pub attachment_grace_hours: u64,

    /// Seconds between sweeps for files no record holds.
    #[arg(
        long,
        env = "SAHA_ATTACHMENT_SWEEP_SECONDS",
        default_value_t = 3_600,
        global = true
    )]
    pub attachment_sweep_seconds: u64,

    /// MiB of attachments one workspace may keep.
    #[arg(long, env = "SAHA_WORKSPACE_ATTACHMENT_QUOTA_MIB", default_value_t = 10 * 1024, global = true)]
    pub workspace_attachment_quota_mib: u64,

    /// Where the development SMS provider writes messages (one JSON line each);
    /// default `<data dir>/sms-outbox.jsonl`.
    #[arg(long, env = "SAHA_SMS_LOG", global = true)]
    pub sms_log: Option<PathBuf>,
}

impl Config {
    /// A configuration for tests: port 0, the given data and site directories.
    pub fn for_tests(data_dir: PathBuf, site_root: PathBuf) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().expect("valid literal address"),
            data_dir,
            database_url: None,
            site_root,
            public_url: None,
            allowed_origins: Vec::new(),
            trust_forwarded_for: false,
            session_hours: 24,
            ticket_seconds: 60,
            max_message_bytes: 1024 * 1024,
            max_document_bytes: 4 * 1024 * 1024,
            max_documents_per_connection: 10_000,
            max_live_documents: 5_000,
            idle_eviction_seconds: 60,
            storage_cache_mib: 16,
            user_messages_per_second: 0,
            user_message_burst: 1,
            api_requests_per_second: 0,
            api_request_burst: 1,
            webhook_allow_private: true,
            webhook_retry_base_ms: 200,
            webhook_disable_after: 20,
            webhook_sla_check_seconds: 1,
            retention_check_seconds: 3_600,
            ping_seconds: 20,
            smtp_url: None,
            smtp_from: "Saha <noreply@saha.invalid>".to_owned(),
            sms_log: None,
            blob_url: None,
            attachment_grace_hours: 7 * 24,
            attachment_sweep_seconds: 3_600,
            max_attachment_mib: 25,
            photo_max_edge: saha_core::record::attachment::DEFAULT_PHOTO_MAX_EDGE,
            workspace_attachment_quota_mib: 1024,
        }
    }

    /// Whether users reach the server over TLS (cookies get `Secure`, HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}
