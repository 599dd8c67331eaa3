//! Whole-workspace backups: one file an owner downloads (or an operator writes with
//! `saha-server admin backup`) and `saha-server admin restore` reads into a server
//! that does not have the workspace.
//!
//! The file is gzip-compressed JSON Lines, one [`Line`] per line, in a fixed order:
//! the header (format, version, the workspace), its teams, its members (without
//! password hashes), its document number counters, its audit log, every document of
//! the workspace with its whole history (`Automerge::save`, base64) and its catalog
//! entry, and an end line with the counts. Everything is sorted by ID or key and the
//! gzip header has no time, so the same workspace gives the same bytes: a backup of a
//! restored workspace is identical to the backup it was restored from.
//!
//! Restoring reads the file twice. The first pass checks all of it — every line, every
//! document loads, the counts of the end line (a cut-off file has none) and that
//! nothing collides with what the server holds — and writes nothing; the second
//! writes the documents (each as one snapshot, with its record row), then the
//! directory rows in one transaction, which is what makes the workspace appear. A
//! restore stopped half-way leaves documents nobody can reach, and running it again
//! completes it.
//!
//! Not in a backup: sessions, invitations, API tokens and calendar feed secrets
//! (credentials: a restored workspace issues new ones), webhook subscriptions and web
//! forms (they hold signing secrets), the outbox and delivery logs.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use base64::Engine as _;
use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use saha_core::DocumentId;
use saha_core::access::Scope;
use saha_core::api::AuditEntry;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::ServerError;
use crate::directory::{Directory, RestoreRefusal, Team, User, Workspace, WorkspaceRows};
use crate::storage::{DocWrite, DocumentStore, RecordRow, Storage};
use crate::sync::catalog::DocMeta;

/// What the header's `format` says.
pub const FORMAT: &str = "saha-backup";
/// The version this server writes and reads.
pub const VERSION: u32 = 1;
/// Documents loaded from storage (or written to it) at once.
const BATCH: usize = 200;
/// Compressed bytes gathered before they are handed to the output.
const FLUSH_BYTES: usize = 256 * 1024;
/// The longest line a backup may have (a document of the largest size the hub accepts,
/// in base64, with room to spare).
const MAX_LINE_BYTES: u64 = 512 * 1024 * 1024;

/// One line of a backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Line {
    Header {
        format: String,
        version: u32,
        workspace: Workspace,
    },
    Team(Team),
    Member(Member),
    /// A document number counter: its key (series and year) and the last number used.
    Counter {
        key: String,
        last: u64,
    },
    Audit {
        key: String,
        entry: AuditEntry,
    },
    Document {
        id: DocumentId,
        kind: String,
        scope: Scope,
        /// `Automerge::save` of the document, base64 (standard alphabet, padded).
        automerge: String,
    },
    End(Counts),
}

/// A member as a backup holds them: everything but the password hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: saha_core::access::Role,
    pub teams: Vec<String>,
    pub department: Option<saha_core::access::Department>,
    pub disabled: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

impl Member {
    fn of(user: &User) -> Member {
        Member {
            id: user.id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role,
            teams: user.teams.clone(),
            department: user.department,
            disabled: user.disabled,
            created_at: user.created_at,
            last_login_at: user.last_login_at,
        }
    }

    fn to_user(&self, workspace_id: &str) -> User {
        User {
            id: self.id.clone(),
            workspace_id: workspace_id.to_owned(),
            email: self.email.clone(),
            name: self.name.clone(),
            password_hash: String::new(),
            role: self.role,
            teams: self.teams.clone(),
            department: self.department,
            disabled: self.disabled,
            created_at: self.created_at,
            last_login_at: self.last_login_at,
        }
    }
}

/// How many of each a backup holds (its end line; also what a backup or restore reports).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub teams: usize,
    pub members: usize,
    pub counters: usize,
    pub audit: usize,
    pub documents: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} documents, {} members, {} teams, {} number counters, {} audit entries",
            self.documents, self.members, self.teams, self.counters, self.audit
        )
    }
}

/// Why a backup could not be written or restored.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("no workspace {0:?} on this server")]
    NoWorkspace(String),
    #[error("reading the backup: {0}")]
    Read(#[from] std::io::Error),
    #[error("line {line} of the backup: {reason}")]
    Malformed { line: usize, reason: String },
    #[error("the backup ends before its end line (the file was cut off)")]
    Truncated,
    #[error("the backup's end line counts {expected}, but the file holds {found}")]
    CountMismatch { expected: Counts, found: Counts },
    #[error("document {0} belongs to another workspace on this server")]
    DocumentTaken(DocumentId),
    #[error(transparent)]
    Refused(#[from] RestoreRefusal),
    #[error("no member {0:?} in the backup")]
    NoSuchMember(String),
    #[error("the backup's reader went away")]
    Disconnected,
    #[error(transparent)]
    Server(#[from] ServerError),
}

impl From<Box<crate::directory::DirectoryError>> for BackupError {
    fn from(e: Box<crate::directory::DirectoryError>) -> Self {
        match *e {
            crate::directory::DirectoryError::Server(e) => BackupError::Server(e),
            crate::directory::DirectoryError::NotFound => BackupError::NoWorkspace(String::new()),
            other => BackupError::Server(ServerError::Storage(other.to_string())),
        }
    }
}

/// Compresses lines and hands the output on in pieces of about [`FLUSH_BYTES`].
struct LineWriter {
    gz: GzEncoder<Vec<u8>>,
    out: mpsc::Sender<Vec<u8>>,
}

impl LineWriter {
    async fn put(&mut self, line: &Line) -> Result<(), BackupError> {
        let json = serde_json::to_vec(line)
            .map_err(|e| ServerError::Storage(format!("backup line: {e}")))?;
        self.gz.write_all(&json)?;
        self.gz.write_all(b"\n")?;
        if self.gz.get_ref().len() >= FLUSH_BYTES {
            let piece = std::mem::take(self.gz.get_mut());
            self.out
                .send(piece)
                .await
                .map_err(|_| BackupError::Disconnected)?;
        }
        Ok(())
    }

    async fn finish(self) -> Result<(), BackupError> {
        let rest = self.gz.finish()?;
        if !rest.is_empty() {
            self.out
                .send(rest)
                .await
                .map_err(|_| BackupError::Disconnected)?;
        }
        Ok(())
    }
}

/// Writes the backup of `workspace_id` to `out`, in pieces, as it reads it; returns its
/// counts. The output is complete only if this returns `Ok` (a reader that stops early
/// gets no end line, which restore refuses). `started` runs once the directory rows are
/// read — where the caller audits the backup, so that its entry is in the next backup,
/// not this one, and a backup of a restored workspace stays identical.
pub async fn write(
    storage: &Storage,
    directory: &Directory,
    workspace_id: &str,
    out: mpsc::Sender<Vec<u8>>,
    started: impl FnOnce(),
) -> Result<Counts, BackupError> {
    let rows = directory
        .workspace_rows(workspace_id)
        .map_err(|e| match BackupError::from(e) {
            BackupError::NoWorkspace(_) => BackupError::NoWorkspace(workspace_id.to_owned()),
            other => other,
        })?;
    started();
    let mut docs: Vec<(DocumentId, DocMeta)> = storage
        .catalog()
        .await?
        .into_iter()
        .filter(|d| d.meta.workspace == workspace_id)
        .map(|d| (d.id, d.meta))
        .collect();
    docs.sort_by_key(|(id, _)| *id);

    let mut w = LineWriter {
        gz: GzEncoder::new(Vec::new(), Compression::default()),
        out,
    };
    let mut counts = Counts::default();
    w.put(&Line::Header {
        format: FORMAT.into(),
        version: VERSION,
        workspace: rows.workspace.clone(),
    })
    .await?;
    for team in &rows.teams {
        w.put(&Line::Team(team.clone())).await?;
        counts.teams += 1;
    }
    for member in &rows.members {
        w.put(&Line::Member(Member::of(member))).await?;
        counts.members += 1;
    }
    for (key, last) in &rows.counters {
        w.put(&Line::Counter {
            key: key.clone(),
            last: *last,
        })
        .await?;
        counts.counters += 1;
    }
    for (key, entry) in &rows.audit {
        w.put(&Line::Audit {
            key: key.clone(),
            entry: entry.clone(),
        })
        .await?;
        counts.audit += 1;
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    for batch in docs.chunks(BATCH) {
        let loaded: HashMap<DocumentId, Vec<u8>> = storage
            .load_many(batch.iter().map(|(id, _)| *id).collect())
            .await?
            .into_iter()
            .collect();
        for (id, meta) in batch {
            // A catalog entry without chunks has nothing to keep.
            let Some(bytes) = loaded.get(id) else {
                continue;
            };
            let doc = automerge::Automerge::load(bytes).map_err(|e| {
                ServerError::Storage(format!("stored document {id} does not load: {e}"))
            })?;
            w.put(&Line::Document {
                id: *id,
                kind: meta.kind.clone(),
                scope: meta.scope.clone(),
                automerge: b64.encode(doc.save()),
            })
            .await?;
            counts.documents += 1;
        }
    }
    w.put(&Line::End(counts)).await?;
    w.finish().await?;
    Ok(counts)
}

/// Writes the backup of `workspace_id` to a file (`admin backup`).
pub async fn write_file(
    storage: &Storage,
    directory: &Directory,
    workspace_id: &str,
    path: &Path,
    started: impl FnOnce(),
) -> Result<Counts, BackupError> {
    let mut file = std::fs::File::create(path)?;
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(4);
    let writing = write(storage, directory, workspace_id, tx, started);
    let copying = async {
        while let Some(piece) = rx.recv().await {
            file.write_all(&piece)?;
        }
        file.sync_all()
    };
    let (counts, copied) = tokio::join!(writing, copying);
    copied?;
    counts
}

/// A backup being read: its lines in order, each checked, with the line number.
struct Lines<R: BufRead> {
    input: R,
    number: usize,
    buf: String,
}

impl<R: BufRead> Lines<R> {
    fn next_line(&mut self) -> Result<Option<Line>, BackupError> {
        self.buf.clear();
        let read = (&mut self.input)
            .take(MAX_LINE_BYTES)
            .read_line(&mut self.buf)?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        let number = self.number;
        if !self.buf.ends_with('\n') {
            return Err(if read as u64 >= MAX_LINE_BYTES {
                BackupError::Malformed {
                    line: number,
                    reason: format!("longer than {MAX_LINE_BYTES} bytes"),
                }
            } else {
                BackupError::Truncated
            });
        }
        serde_json::from_str(&self.buf)
            .map(Some)
            .map_err(|e| BackupError::Malformed {
                line: number,
                reason: e.to_string(),
            })
    }
}

fn open_lines(path: &Path) -> Result<Lines<BufReader<MultiGzDecoder<std::fs::File>>>, BackupError> {
    let file = std::fs::File::open(path)?;
    Ok(Lines {
        input: BufReader::with_capacity(1 << 20, MultiGzDecoder::new(file)),
        number: 0,
        buf: String::new(),
    })
}

/// A document line, decoded and loaded.
struct Restored {
    id: DocumentId,
    meta: DocMeta,
    bytes: Vec<u8>,
    row: Option<RecordRow>,
}

fn malformed(line: usize, reason: impl Into<String>) -> BackupError {
    BackupError::Malformed {
        line,
        reason: reason.into(),
    }
}

/// What one pass over a backup file calls for each document.
type OnDocument<'a> = dyn FnMut(Restored) -> Result<(), BackupError> + 'a;

/// Reads a whole backup, checking every line; returns the directory rows and counts and
/// hands each document, loaded, to `on_document`.
fn read_all(
    path: &Path,
    on_document: &mut OnDocument<'_>,
) -> Result<(WorkspaceRows, Counts), BackupError> {
    let mut lines = open_lines(path)?;
    let workspace = match lines.next_line()? {
        Some(Line::Header {
            format,
            version,
            workspace,
        }) => {
            if format != FORMAT {
                return Err(malformed(
                    1,
                    format!("not a Saha backup (format {format:?})"),
                ));
            }
            if version != VERSION {
                return Err(malformed(
                    1,
                    format!("backup version {version}; this server reads version {VERSION}"),
                ));
            }
            workspace
        }
        Some(_) => return Err(malformed(1, "the first line is not the header")),
        None => return Err(BackupError::Truncated),
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut rows = WorkspaceRows {
        workspace,
        teams: Vec::new(),
        members: Vec::new(),
        counters: Vec::new(),
        audit: Vec::new(),
    };
    let ws = rows.workspace.id.clone();
    let mut found = Counts::default();
    let now = crate::directory::now_ms();
    loop {
        let line = lines.next_line()?.ok_or(BackupError::Truncated)?;
        let number = lines.number;
        match line {
            Line::Header { .. } => return Err(malformed(number, "a second header")),
            Line::Team(mut team) => {
                team.workspace_id = ws.clone();
                rows.teams.push(team);
                found.teams += 1;
            }
            Line::Member(member) => {
                if !saha_core::text::validate::email(&member.email).is_ok_and(|e| !e.is_empty()) {
                    return Err(malformed(
                        number,
                        format!("{:?} is not an email address", member.email),
                    ));
                }
                rows.members.push(member.to_user(&ws));
                found.members += 1;
            }
            Line::Counter { key, last } => {
                rows.counters.push((key, last));
                found.counters += 1;
            }
            Line::Audit { key, entry } => {
                rows.audit.push((key, entry));
                found.audit += 1;
            }
            Line::Document {
                id,
                kind,
                scope,
                automerge,
            } => {
                let bytes = b64
                    .decode(automerge.as_bytes())
                    .map_err(|e| malformed(number, format!("document {id}: {e}")))?;
                // A backup file is uploaded bytes: a malformed document is an error, not
                // a panic.
                let doc = saha_protocol::sync::load_untrusted(&bytes)
                    .map_err(|e| malformed(number, format!("document {id} does not load: {e}")))?;
                let row = if saha_core::kinds::KINDS.contains(&kind.as_str()) {
                    match saha_core::rules::read_record(&doc) {
                        Ok(Some(record)) => Some(RecordRow::of(id, &ws, &record, now)?),
                        _ => {
                            return Err(malformed(
                                number,
                                format!("document {id} does not read as a {kind} record"),
                            ));
                        }
                    }
                } else {
                    None
                };
                on_document(Restored {
                    id,
                    meta: DocMeta {
                        workspace: ws.clone(),
                        kind,
                        scope,
                    },
                    bytes,
                    row,
                })?;
                found.documents += 1;
            }
            Line::End(expected) => {
                if expected != found {
                    return Err(BackupError::CountMismatch { expected, found });
                }
                if lines.next_line()?.is_some() {
                    return Err(malformed(lines.number, "a line after the end line"));
                }
                return Ok((rows, found));
            }
        }
    }
}

/// Who can sign in after a restore: a member of the backup (by email; the earliest
/// active owner when `None`) and the hash of their new password.
pub struct FirstLogin {
    pub email: Option<String>,
    pub password_hash: String,
}

/// What a restore did.
#[derive(Debug)]
pub struct RestoreReport {
    pub workspace: Workspace,
    pub counts: Counts,
    /// The email of the member given a password.
    pub signed_in: String,
    /// The other active members, who need a password set (`admin set-password`).
    pub without_password: Vec<String>,
}

/// Restores the backup in `path` into `storage`: checks all of it first and writes
/// nothing if anything is wrong or collides (see the module docs).
pub async fn restore(
    storage: &Storage,
    directory: &Directory,
    path: &Path,
    login: FirstLogin,
) -> Result<RestoreReport, BackupError> {
    // Pass 1: read and check everything; note the documents to look up.
    let path_owned = path.to_owned();
    let (rows, counts, ids) = tokio::task::spawn_blocking(move || {
        let mut ids = Vec::new();
        let (rows, counts) = read_all(&path_owned, &mut |doc| {
            ids.push(doc.id);
            Ok(())
        })?;
        Ok::<_, BackupError>((rows, counts, ids))
    })
    .await
    .map_err(|e| ServerError::Storage(format!("backup reader: {e}")))??;
    if let Some(existing) = directory.workspace(&rows.workspace.id)? {
        return Err(RestoreRefusal::WorkspaceExists(existing.id).into());
    }
    for member in &rows.members {
        if directory.user_by_email(&member.email)?.is_some() {
            return Err(RestoreRefusal::EmailTaken(member.email.clone()).into());
        }
    }
    // A document of the same ID that belongs to another workspace is not ours to
    // replace; one of this workspace is what an interrupted restore left.
    let known: HashMap<DocumentId, DocMeta> = storage
        .catalog()
        .await?
        .into_iter()
        .map(|d| (d.id, d.meta))
        .collect();
    for id in &ids {
        if let Some(meta) = known.get(id)
            && meta.workspace != rows.workspace.id
        {
            return Err(BackupError::DocumentTaken(*id));
        }
    }
    let signed_in = match &login.email {
        Some(email) => rows
            .members
            .iter()
            .find(|m| crate::directory::email_key(&m.email) == crate::directory::email_key(email))
            .ok_or_else(|| BackupError::NoSuchMember(email.clone()))?,
        None => rows
            .members
            .iter()
            .filter(|m| m.role == saha_core::access::Role::Owner && !m.disabled)
            .min_by_key(|m| (m.created_at, m.id.clone()))
            .ok_or_else(|| BackupError::NoSuchMember("an active owner".into()))?,
    };
    let signed_in = (signed_in.id.clone(), signed_in.email.clone());

    // Pass 2: the documents, in batches, each batch durable before the next is read.
    let mut batch = Vec::new();
    let (tx, mut rx) = mpsc::channel::<Vec<Restored>>(2);
    let path_owned = path.to_owned();
    let reader = tokio::task::spawn_blocking(move || {
        read_all(&path_owned, &mut |doc| {
            batch.push(doc);
            if batch.len() >= BATCH {
                tx.blocking_send(std::mem::take(&mut batch))
                    .map_err(|_| BackupError::Disconnected)?;
            }
            Ok(())
        })?;
        if !batch.is_empty() {
            tx.blocking_send(batch)
                .map_err(|_| BackupError::Disconnected)?;
        }
        Ok::<_, BackupError>(())
    });
    while let Some(docs) = rx.recv().await {
        let mut durables = Vec::with_capacity(docs.len());
        for doc in docs {
            durables.push(storage.enqueue(DocWrite {
                doc: doc.id,
                meta: doc.meta,
                chunk: None,
                snapshot: Some(doc.bytes),
                row: doc.row,
                entries: Vec::new(),
            })?);
        }
        for durable in durables {
            durable.wait().await?;
        }
    }
    reader
        .await
        .map_err(|e| ServerError::Storage(format!("backup reader: {e}")))??;

    // Last, the directory rows: the workspace appears with them.
    let passwords = HashMap::from([(signed_in.0.clone(), login.password_hash)]);
    directory.restore_workspace(&rows, &passwords)??;
    let without_password = rows
        .members
        .iter()
        .filter(|m| !m.disabled && m.id != signed_in.0)
        .map(|m| m.email.clone())
        .collect();
    Ok(RestoreReport {
        workspace: rows.workspace,
        counts,
        signed_in: signed_in.1,
        without_password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;

    #[test]
    fn saving_a_loaded_save_gives_the_same_bytes() {
        // A restored document is stored as the backup's bytes and saved again by the
        // next backup: the two must match for backups to be identical.
        let mut a = automerge::Automerge::new();
        let mut b = automerge::Automerge::new();
        for (doc, key) in [(&mut a, "x"), (&mut b, "y")] {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, key, "değer")?;
                let text = tx.put_object(automerge::ROOT, "notes", automerge::ObjType::Text)?;
                tx.splice_text(&text, 0, 0, "Şişli")?;
                Ok(())
            })
            .unwrap();
        }
        a.merge(&mut b).unwrap();
        let first = a.save();
        let again = automerge::Automerge::load(&first).unwrap().save();
        assert_eq!(first, again);
    }

    #[test]
    fn lines_round_trip_and_refuse_unknown_fields() {
        let line = Line::Counter {
            key: "2026".into(),
            last: 41,
        };
        let json = serde_json::to_string(&line).unwrap();
        assert_eq!(json, r#"{"counter":{"key":"2026","last":41}}"#);
        assert_eq!(serde_json::from_str::<Line>(&json).unwrap(), line);
        assert!(
            serde_json::from_str::<Line>(r#"{"counter":{"key":"2026","last":41,"x":1}}"#).is_err()
        );
        // A member line never carries a password hash.
        assert!(
            serde_json::from_str::<Line>(
                r#"{"member":{"id":"u","email":"a@b.co","name":"A","role":"owner","teams":[],"department":null,"disabled":false,"created_at":1,"last_login_at":null,"password_hash":"$argon2id$"}}"#
            )
            .is_err()
        );
    }
}
