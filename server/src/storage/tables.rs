//! Key-value tables for the server's own records, on either backend.
//!
//! The directory (workspaces, members, sessions, audit), sync tickets, the campaign
//! outbox and survey links keep JSON values under string keys in named tables. A
//! transaction is a closure over [`TableTx`]: on the embedded backend it runs in one
//! redb write transaction (`Durability::Immediate`); on PostgreSQL in one `SERIALIZABLE`
//! transaction on a connection owned by a small pool of bridge threads, and it is run
//! again (up to [`MAX_ATTEMPTS`] times) when PostgreSQL reports a serialization
//! conflict with another node — so a check-then-write (an email address not yet taken,
//! a ticket not yet used) holds across nodes.
//!
//! The calls block the calling thread for the length of the transaction, like the redb
//! calls they replace; every caller keeps its transactions to a few key reads and writes.

use std::sync::{Arc, Mutex, mpsc};

use redb::{ReadableDatabase, ReadableTable, TableDefinition};

use crate::ServerError;

/// The server's settings table (storage version, legacy index).
pub const META: &str = "meta";

/// Times a transaction is tried when PostgreSQL reports a serialization conflict.
pub const MAX_ATTEMPTS: usize = 8;

/// Reads and writes inside one transaction.
pub trait TableTx {
    fn get(&mut self, table: &str, key: &str) -> Result<Option<Vec<u8>>, ServerError>;
    /// Entries with `from <= key < to` (to the end without `to`), in key order (bytewise).
    fn scan(
        &mut self,
        table: &str,
        from: &str,
        to: Option<&str>,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError>;
    /// The first `limit` entries with `from <= key < to`, in key order.
    fn scan_first(
        &mut self,
        table: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError>;
    /// The last `limit` entries with `from <= key < to`, last first.
    fn scan_last(
        &mut self,
        table: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError>;
    fn put(&mut self, table: &str, key: &str, value: &[u8]) -> Result<(), ServerError>;
    /// Removes an entry; returns whether it existed.
    fn delete(&mut self, table: &str, key: &str) -> Result<bool, ServerError>;
}

/// Handle to the tables of the storage in use.
#[derive(Clone)]
pub enum Tables {
    Embedded(super::embedded::SharedDb),
    Postgres(Arc<PgBridge>),
}

impl Tables {
    /// Runs `f` in a read-only transaction.
    pub fn read<T, E: From<ServerError>>(
        &self,
        mut f: impl FnMut(&mut dyn TableTx) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Tables::Embedded(db) => {
                let tx = db.current().begin_read().map_err(ServerError::from)?;
                f(&mut RedbRead(&tx))
            }
            Tables::Postgres(bridge) => bridge.run(false, &mut f),
        }
    }

    /// Runs `f` in a write transaction, committed if `f` returns `Ok` and durable when
    /// this returns. On PostgreSQL `f` may run more than once (see the module doc).
    pub fn write<T, E: From<ServerError>>(
        &self,
        mut f: impl FnMut(&mut dyn TableTx) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Tables::Embedded(db) => {
                let db = db.writing();
                let tx = db.begin()?;
                let out = f(&mut RedbWrite(&tx))?;
                tx.commit().map_err(ServerError::from)?;
                Ok(out)
            }
            Tables::Postgres(bridge) => bridge.run(true, &mut f),
        }
    }
}

fn def(table: &str) -> TableDefinition<'_, &'static str, &'static [u8]> {
    TableDefinition::new(table)
}

struct RedbRead<'a>(&'a redb::ReadTransaction);

fn scan_table(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    from: &str,
    to: Option<&str>,
    limit: usize,
) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
    let mut out = Vec::new();
    let range = match to {
        Some(to) => t.range::<&str>(from..to)?,
        None => t.range::<&str>(from..)?,
    };
    for entry in range.take(limit) {
        let (k, v) = entry?;
        out.push((k.value().to_owned(), v.value().to_vec()));
    }
    Ok(out)
}

fn scan_last_table(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    from: &str,
    to: &str,
    limit: usize,
) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
    let mut out = Vec::new();
    for entry in t.range::<&str>(from..to)?.rev().take(limit) {
        let (k, v) = entry?;
        out.push((k.value().to_owned(), v.value().to_vec()));
    }
    Ok(out)
}

impl TableTx for RedbRead<'_> {
    fn get(&mut self, table: &str, key: &str) -> Result<Option<Vec<u8>>, ServerError> {
        match self.0.open_table(def(table)) {
            Ok(t) => Ok(t.get(key)?.map(|v| v.value().to_vec())),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn scan(
        &mut self,
        table: &str,
        from: &str,
        to: Option<&str>,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        match self.0.open_table(def(table)) {
            Ok(t) => scan_table(&t, from, to, usize::MAX),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    fn scan_first(
        &mut self,
        table: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        match self.0.open_table(def(table)) {
            Ok(t) => scan_table(&t, from, Some(to), limit),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    fn scan_last(
        &mut self,
        table: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        match self.0.open_table(def(table)) {
            Ok(t) => scan_last_table(&t, from, to, limit),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    fn put(&mut self, _: &str, _: &str, _: &[u8]) -> Result<(), ServerError> {
        Err(ServerError::Storage("write in a read transaction".into()))
    }

    fn delete(&mut self, _: &str, _: &str) -> Result<bool, ServerError> {
        Err(ServerError::Storage("write in a read transaction".into()))
    }
}

struct RedbWrite<'a>(&'a redb::WriteTransaction);

impl TableTx for RedbWrite<'_> {
    fn get(&mut self, table: &str, key: &str) -> Result<Option<Vec<u8>>, ServerError> {
        let t = self.0.open_table(def(table))?;
        Ok(t.get(key)?.map(|v| v.value().to_vec()))
    }

    fn scan(
        &mut self,
        table: &str,
        from: &str,
        to: Option<&str>,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        let t = self.0.open_table(def(table))?;
        scan_table(&t, from, to, usize::MAX)
    }

    fn scan_first(
        &mut self,
        table: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        let t = self.0.open_table(def(table))?;
        scan_table(&t, from, Some(to), limit)
    }

    fn scan_last(
        &mut self,
        table: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        let t = self.0.open_table(def(table))?;
        scan_last_table(&t, from, to, limit)
    }

    fn put(&mut self, table: &str, key: &str, value: &[u8]) -> Result<(), ServerError> {
        self.0.open_table(def(table))?.insert(key, value)?;
        Ok(())
    }

    fn delete(&mut self, table: &str, key: &str) -> Result<bool, ServerError> {
        Ok(self.0.open_table(def(table))?.remove(key)?.is_some())
    }
}

// ---- PostgreSQL ------------------------------------------------------------------

enum Op {
    Get(String, String),
    Scan(String, String, Option<String>, Option<usize>),
    ScanLast(String, String, String, usize),
    Put(String, String, Vec<u8>),
    Delete(String, String),
    Commit,
}

enum Answer {
    Value(Option<Vec<u8>>),
    Rows(Vec<(String, Vec<u8>)>),
    Done(bool),
    Failed { message: String, conflict: bool },
}

struct Job {
    write: bool,
    ops: mpsc::Receiver<Op>,
    answers: mpsc::Sender<Answer>,
}

/// Threads that each own a PostgreSQL connection and run table transactions for
/// blocking callers.
pub struct PgBridge {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
}

/// Threads (and so connections) serving table transactions.
const BRIDGE_THREADS: usize = 4;

impl PgBridge {
    /// Starts the bridge threads, each with its own runtime and connection to `url`.
    pub fn start(url: &str) -> Result<PgBridge, ServerError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..BRIDGE_THREADS {
            let queue = queue.clone();
            let url = url.to_owned();
            std::thread::Builder::new()
                .name(format!("saha-tables-{i}"))
                .spawn(move || bridge_thread(&url, &queue))?;
        }
        Ok(PgBridge {
            jobs: Mutex::new(Some(jobs)),
        })
    }

    fn run<T, E: From<ServerError>>(
        &self,
        write: bool,
        f: &mut dyn FnMut(&mut dyn TableTx) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (ops_tx, ops) = mpsc::channel();
            let (answers_tx, answers) = mpsc::channel();
            self.jobs
                .lock()
                .map_err(|_| ServerError::Storage("table bridge poisoned".into()))?
                .as_ref()
                .ok_or(ServerError::WriterGone)?
                .send(Job {
                    write,
                    ops,
                    answers: answers_tx,
                })
                .map_err(|_| ServerError::WriterGone)?;
            let mut tx = PgTx {
                ops: ops_tx,
                answers,
                conflict: false,
            };
            let result = f(&mut tx);
            let failure: E = match result {
                Ok(value) => match tx.ask(Op::Commit) {
                    Ok(_) => return Ok(value),
                    Err(e) => e.into(),
                },
                Err(e) => e,
            };
            // Dropping `tx` rolls the transaction back.
            let conflict = tx.conflict;
            drop(tx);
            if !conflict || attempt >= MAX_ATTEMPTS {
                return Err(failure);
            }
            tracing::debug!(attempt, "table transaction conflicted; trying again");
        }
    }
}

impl Drop for PgBridge {
    fn drop(&mut self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
    }
}

struct PgTx {
    ops: mpsc::Sender<Op>,
    answers: mpsc::Receiver<Answer>,
    conflict: bool,
}

impl PgTx {
    fn ask(&mut self, op: Op) -> Result<Answer, ServerError> {
        if self.conflict {
            return Err(ServerError::Storage("transaction conflicted".into()));
        }
        self.ops.send(op).map_err(|_| ServerError::WriterGone)?;
        match self.answers.recv().map_err(|_| ServerError::WriterGone)? {
            Answer::Failed { message, conflict } => {
                self.conflict = conflict;
                Err(ServerError::Storage(message))
            }
            answer => Ok(answer),
        }
    }
}

impl TableTx for PgTx {
    fn get(&mut self, table: &str, key: &str) -> Result<Option<Vec<u8>>, ServerError> {
        match self.ask(Op::Get(table.into(), key.into()))? {
            Answer::Value(v) => Ok(v),
            _ => Err(ServerError::Storage(
                "table bridge: unexpected answer".into(),
            )),
        }
    }

    fn scan(
        &mut self,
        table: &str,
        from: &str,
        to: Option<&str>,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        match self.ask(Op::Scan(
            table.into(),
            from.into(),
            to.map(str::to_owned),
            None,
        ))? {
            Answer::Rows(rows) => Ok(rows),
            _ => Err(ServerError::Storage(
                "table bridge: unexpected answer".into(),
            )),
        }
    }

    fn scan_first(
        &mut self,
        table: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        match self.ask(Op::Scan(
            table.into(),
            from.into(),
            Some(to.into()),
            Some(limit),
        ))? {
            Answer::Rows(rows) => Ok(rows),
            _ => Err(ServerError::Storage(
                "table bridge: unexpected answer".into(),
            )),
        }
    }

    fn scan_last(
        &mut self,
        table: &str,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
        match self.ask(Op::ScanLast(table.into(), from.into(), to.into(), limit))? {
            Answer::Rows(rows) => Ok(rows),
            _ => Err(ServerError::Storage(
                "table bridge: unexpected answer".into(),
            )),
        }
    }

    fn put(&mut self, table: &str, key: &str, value: &[u8]) -> Result<(), ServerError> {
        self.ask(Op::Put(table.into(), key.into(), value.to_vec()))
            .map(|_| ())
    }

    fn delete(&mut self, table: &str, key: &str) -> Result<bool, ServerError> {
        match self.ask(Op::Delete(table.into(), key.into()))? {
            Answer::Done(existed) => Ok(existed),
            _ => Err(ServerError::Storage(
                "table bridge: unexpected answer".into(),
            )),
        }
    }
}

fn bridge_thread(url: &str, queue: &Mutex<mpsc::Receiver<Job>>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "table bridge: no runtime");
            return;
        }
    };
    let mut conn: Option<sqlx::PgConnection> = None;
    loop {
        let job = match queue.lock() {
            Ok(q) => match q.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Err(_) => return,
        };
        runtime.block_on(serve_job(url, &mut conn, job));
    }
}

fn failed(e: sqlx::Error) -> Answer {
    let conflict = matches!(&e, sqlx::Error::Database(d)
        if matches!(d.code().as_deref(), Some("40001") | Some("40P01")));
    Answer::Failed {
        message: e.to_string(),
        conflict,
    }
}

async fn serve_job(url: &str, conn: &mut Option<sqlx::PgConnection>, job: Job) {
    use sqlx::Connection;
    if conn.is_none() {
        match sqlx::PgConnection::connect(url).await {
            Ok(c) => *conn = Some(c),
            Err(e) => {
                let _ = job.answers.send(failed(e));
                return;
            }
        }
    }
    let Some(c) = conn.as_mut() else { return };
    let begin = if job.write {
        "BEGIN ISOLATION LEVEL SERIALIZABLE"
    } else {
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    };
    if let Err(e) = sqlx::raw_sql(begin).execute(&mut *c).await {
        // The connection may be broken: make a new one for the next job.
        *conn = None;
        let _ = job.answers.send(failed(e));
        return;
    }
    let mut finished = false;
    while let Ok(op) = job.ops.recv() {
        let answer = match op {
            Op::Get(table, key) => {
                sqlx::query_scalar::<_, Vec<u8>>("SELECT value FROM kv WHERE tbl = $1 AND key = $2")
                    .bind(table)
                    .bind(key)
                    .fetch_optional(&mut *c)
                    .await
                    .map(Answer::Value)
            }
            Op::Scan(table, from, to, limit) => sqlx::query_as::<_, (String, Vec<u8>)>(
                "SELECT key, value FROM kv WHERE tbl = $1 AND key >= $2 \
                 AND ($3::text IS NULL OR key < $3) ORDER BY key LIMIT $4",
            )
            .bind(table)
            .bind(from)
            .bind(to)
            .bind(limit.map(|l| l.min(i64::MAX as usize) as i64))
            .fetch_all(&mut *c)
            .await
            .map(Answer::Rows),
            Op::ScanLast(table, from, to, limit) => sqlx::query_as::<_, (String, Vec<u8>)>(
                "SELECT key, value FROM kv WHERE tbl = $1 AND key >= $2 AND key < $3 \
                 ORDER BY key DESC LIMIT $4",
            )
            .bind(table)
            .bind(from)
            .bind(to)
            .bind(limit.min(i64::MAX as usize) as i64)
            .fetch_all(&mut *c)
            .await
            .map(Answer::Rows),
            Op::Put(table, key, value) => sqlx::query(
                "INSERT INTO kv (tbl, key, value) VALUES ($1, $2, $3) \
                 ON CONFLICT (tbl, key) DO UPDATE SET value = EXCLUDED.value",
            )
            .bind(table)
            .bind(key)
            .bind(value)
            .execute(&mut *c)
            .await
            .map(|_| Answer::Done(true)),
            Op::Delete(table, key) => sqlx::query("DELETE FROM kv WHERE tbl = $1 AND key = $2")
                .bind(table)
                .bind(key)
                .execute(&mut *c)
                .await
                .map(|r| Answer::Done(r.rows_affected() > 0)),
            Op::Commit => {
                finished = true;
                sqlx::raw_sql("COMMIT")
                    .execute(&mut *c)
                    .await
                    .map(|_| Answer::Done(true))
            }
        };
        let failed_now = answer.is_err();
        let _ = job.answers.send(answer.unwrap_or_else(failed));
        if finished || failed_now {
            break;
        }
    }
    // The caller gave up, or an operation failed: roll back. (A failed `COMMIT` has
    // already ended the transaction.)
    if !finished && sqlx::raw_sql("ROLLBACK").execute(&mut *c).await.is_err() {
        *conn = None;
    }
}
