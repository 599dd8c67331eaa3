//! The restore drill of the crash storm: halfway through the kills the owner downloads
//! the workspace's backup from a live node (`GET /api/workspace/backup`, the file
//! `saha-server admin backup` writes) while the writers go on; after the storm
//! `saha-server admin restore` reads it into a fresh data directory, a server starts
//! there, and every push acknowledged before the download began must be in it.

use std::path::Path;
use std::time::Instant;

use saha_core::DocumentId;

use super::{Acked, StormOptions, check, owner_of};
use crate::process::{BENCH_PASSWORD, ServerProcess};

/// The restore drill: a backup downloaded during the storm, restored after it into a
/// fresh data directory.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    /// The backup file's size.
    pub backup_bytes: usize,
    /// The download's time, while the writers went on.
    pub backup_ms: u64,
    /// Pushes acknowledged before the download began: each must be in the restore.
    pub acknowledged_before: usize,
    /// Of those, missing from the restored server (the target is 0).
    pub lost: usize,
    /// Records that did not load from the restored server (the target is 0).
    pub unreadable: usize,
    /// `saha-server admin restore`'s time.
    pub restore_ms: u64,
}

/// The backup taken during the storm.
pub(super) struct Backup {
    pub(super) began: Instant,
    bytes: Vec<u8>,
    ms: u64,
}

/// The owner downloads the workspace's backup from `server` (writers go on meanwhile).
pub(super) async fn take_backup(server: &ServerProcess) -> Result<Backup, String> {
    let began = Instant::now();
    let (status, bytes) = owner_of(server)?
        .get_bytes("/api/workspace/backup")
        .await
        .map_err(|e| format!("downloading the backup: {e}"))?;
    if !status.is_success() {
        return Err(format!("downloading the backup: {status}"));
    }
    Ok(Backup {
        began,
        bytes,
        ms: began.elapsed().as_millis() as u64,
    })
}

/// Restores `backup` into a fresh data directory with `saha-server admin restore`,
/// starts a server there and checks every push acknowledged before the download began.
pub(super) async fn restore_drill(
    options: &StormOptions,
    backup: &Backup,
    ids: &[DocumentId],
    acked: &[Acked],
) -> Result<RestoreReport, String> {
    let before: Vec<&Acked> = acked.iter().filter(|a| a.at < backup.began).collect();
    let dir = options.data_dir.join("restored");
    let file = options.data_dir.join("backup.jsonl.gz");
    std::fs::create_dir_all(&options.data_dir)
        .and_then(|()| std::fs::write(&file, &backup.bytes))
        .map_err(|e| format!("writing {}: {e}", file.display()))?;
    let started = Instant::now();
    admin_restore(&options.server_bin, &dir, &file).await?;
    let restore_ms = started.elapsed().as_millis() as u64;
    let server =
        ServerProcess::start_saha_node(&options.server_bin, &options.site_root, dir, None, &[])
            .await
            .map_err(|e| format!("starting the restored server: {e}"))?;
    let (lost, unreadable) = check(&server, ids, &before).await?;
    server.stop().await;
    let _ = std::fs::remove_file(&file);
    Ok(RestoreReport {
        backup_bytes: backup.bytes.len(),
        backup_ms: backup.ms,
        acknowledged_before: before.len(),
        lost,
        unreadable,
        restore_ms,
    })
}

/// `saha-server admin restore --password-stdin FILE --data-dir DIR`, the bench owner's
/// password on its standard input.
async fn admin_restore(bin: &Path, dir: &Path, file: &Path) -> Result<(), String> {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new(bin)
        .args(["admin", "restore", "--password-stdin"])
        .arg(file)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {} admin restore: {e}", bin.display()))?;
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(format!("{BENCH_PASSWORD}\n").as_bytes())
            .await
            .map_err(|e| format!("admin restore: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .await
        .map_err(|e| format!("admin restore: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "admin restore failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
