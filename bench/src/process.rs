//! Servers under test as child processes, with their memory and CPU read from /proc.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::api_client::{ApiClient, Endpoint};

/// The bench workspace owner's login on Saha servers the harness starts.
pub const BENCH_EMAIL: &str = "bench@saha.test";
pub const BENCH_PASSWORD: &str = "bench-password-1";

/// The storage a Saha server runs on, as reports name it: `postgres` with a database
/// URL, else `embedded`.
pub fn backend_name(database_url: Option<&str>) -> &'static str {
    if database_url.is_some() {
        "postgres"
    } else {
        "embedded"
    }
}

/// Which implementation a server is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Kind {
    Saha,
    Reference,
}

pub struct ServerProcess {
    pub kind: Kind,
    pub child: Child,
    pub pid: u32,
    /// Where peers open sync connections.
    pub sync: Endpoint,
    /// The `http://…` base URL (Saha only).
    pub http_url: Option<String>,
    pub data_dir: PathBuf,
    /// Lines the server logged at `WARN` or `ERROR` after it started listening.
    pub problems: Problems,
}

/// Warning and error lines of a server's log, kept as they arrive.
pub type Problems = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

fn read_proc(pid: u32, file: &str) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()
}

impl ServerProcess {
    pub async fn start_saha(
        bin: &Path,
        site_root: &Path,
        data_dir: PathBuf,
    ) -> Result<ServerProcess, String> {
        Self::start_saha_node(bin, site_root, data_dir, None, &[]).await
    }

    /// Starts a Saha server, on PostgreSQL at `database_url` if given, with `extra`
    /// arguments. The bench workspace is set up on the first node of a database; later
    /// nodes sign in to it.
    pub async fn start_saha_node(
        bin: &Path,
        site_root: &Path,
        data_dir: PathBuf,
        database_url: Option<&str>,
        extra: &[&str],
    ) -> Result<ServerProcess, String> {
        let mut cmd = Command::new(bin);
        cmd.args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&data_dir)
            .arg("--site-root")
            .arg(site_root)
            // One bench user drives every peer: per-user message metering would measure
            // the limit, not the server.
            .args(["--user-messages-per-second", "0"])
            .args(extra)
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn");
        if let Some(url) = database_url {
            cmd.arg("--database-url").arg(url);
        }
        let (child, pid, http, problems) = spawn_server(cmd, "listening on http://").await?;
        let owner = match ApiClient::setup(&http, "Bench", BENCH_EMAIL, BENCH_PASSWORD).await {
            Ok(owner) => owner,
            Err(_) => ApiClient::login(&http, BENCH_EMAIL, BENCH_PASSWORD)
                .await
                .map_err(|e| format!("signing in to the bench workspace: {e}"))?,
        };
        Ok(ServerProcess {
            kind: Kind::Saha,
            child,
            pid,
            sync: owner.into(),
            http_url: Some(http),
            data_dir,
            problems,
        })
    }

    pub async fn start_reference(
        script: &Path,
        data_dir: PathBuf,
    ) -> Result<ServerProcess, String> {
        let mut cmd = Command::new("node");
        // A larger heap than Node's default, so that the reference is not cut off early.
        cmd.arg("--max-old-space-size=4096")
            .arg(script)
            .arg(&data_dir);
        let (child, pid, url, problems) = spawn_server(cmd, "reference listening on ws://").await?;
        Ok(ServerProcess {
            kind: Kind::Reference,
            child,
            pid,
            sync: Endpoint::Open(url),
            http_url: None,
            data_dir,
            problems,
        })
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Peak resident memory since start or the last [`ServerProcess::reset_peak_rss`], in bytes.
    pub fn peak_rss(&self) -> Option<u64> {
        status_kb(self.pid, "VmHWM:").map(|kb| kb * 1024)
    }

    pub fn rss(&self) -> Option<u64> {
        status_kb(self.pid, "VmRSS:").map(|kb| kb * 1024)
    }

    /// Resets the peak RSS counter (Linux `clear_refs` 5).
    pub fn reset_peak_rss(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5");
    }

    /// User + system CPU time used so far.
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = read_proc(self.pid, "stat")?;
        let after_name = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // Fields 14 and 15 of /proc/pid/stat (utime, stime); index 11 and 12 after the name.
        let ticks: u64 =
            fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(Duration::from_millis(ticks * 10))
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn status_kb(pid: u32, key: &str) -> Option<u64> {
    read_proc(pid, "status")?
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Starts a server and returns it with its pid and the address it printed (the last
/// word of its first line containing `marker`).
async fn spawn_server(
    cmd: Command,
    marker: &str,
) -> Result<(Child, u32, String, Problems), String> {
    let (child, line, problems) = spawn_and_read(cmd, marker).await?;
    let address = line
        .split_whitespace()
        .last()
        .ok_or("no address printed")?
        .to_owned();
    let pid = child.id().ok_or("no pid")?;
    Ok((child, pid, address, problems))
}

async fn spawn_and_read(
    mut cmd: Command,
    marker: &str,
) -> Result<(Child, String, Problems), String> {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    // The log (stderr) is passed on as it was, keeping what is logged at WARN or ERROR.
    let problems = Problems::default();
    let kept = problems.clone();
    let stderr = child.stderr.take().ok_or("no stderr")?;
    tokio::spawn(async move {
        let mut log = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = log.next_line().await {
            eprintln!("{line}");
            let plain = without_colours(&line);
            let level = plain.split_whitespace().nth(1).unwrap_or_default();
            if matches!(level, "WARN" | "ERROR")
                && let Ok(mut kept) = kept.lock()
            {
                kept.push(plain);
            }
        }
    });
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains(marker) {
                return Some(line);
            }
        }
        None
    })
    .await
    .map_err(|_| "the server did not start in 30 s".to_owned())?
    .ok_or("the server exited before listening")?;
    // Keep draining stdout so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, line, problems))
}

/// `line` without ANSI colour codes (`ESC [ … m`).
fn without_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
