//! The crash storm (`saha-bench crash-storm`, run by `cargo xtask torture`): writers
//! edit shared and private records over the sync protocol as fast as the server takes
//! them, while the server is killed with SIGKILL at random moments and started again on
//! the same data directory. Each writer keeps the heads the server acknowledged (a
//! change is acknowledged when the server's sync reply shows it has it; the embedded
//! store fsyncs before it replies). After the storm a new peer reads every record from
//! the last server: every acknowledged head must be there.
//!
//! Seeded: the same `--seed` picks the same records, edits and kill delays (the
//! interleaving with the server's own timing is not reproducible, the checks are).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use automerge::{Automerge, ChangeHash, ReadDoc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use saha_core::DocumentId;
use saha_core::parties::account::Account;

use crate::api_client::{ApiClient, Endpoint};
use crate::peer::{MadeRecords, Peer, store_records};
use crate::process::ServerProcess;

/// What a storm is run with.
#[derive(Debug, Clone)]
pub struct StormOptions {
    pub server_bin: PathBuf,
    pub site_root: PathBuf,
    pub data_dir: PathBuf,
    pub writers: usize,
    pub kills: usize,
    /// Records every writer edits.
    pub shared_records: usize,
    /// Records only one writer edits, per writer.
    pub private_records: usize,
    /// The longest wait between a restart and the next kill (the wait is random up to it).
    pub max_gap: Duration,
    pub seed: u64,
}

/// What a storm found.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StormReport {
    pub seed: u64,
    pub writers: usize,
    pub kills: usize,
    pub records: usize,
    /// Pushes the server acknowledged, over all writers.
    pub acknowledged: usize,
    /// Pushes sent but cut off by a kill before the acknowledgement.
    pub unacknowledged: usize,
    /// Acknowledged heads missing after the storm (the target is 0).
    pub lost: usize,
    /// Records that did not load from the last server (the target is 0).
    pub unreadable: usize,
    /// Milliseconds from SIGKILL to the restarted server answering: median and max.
    pub restart_ms_median: u64,
    pub restart_ms_max: u64,
    pub seconds: f64,
}

/// The server now running, for writers to reconnect to; `None` while it is down.
#[derive(Default)]
struct Current {
    owner: RwLock<Option<ApiClient>>,
    stop: AtomicBool,
    acknowledged: AtomicUsize,
    unacknowledged: AtomicUsize,
}

fn owner_of(server: &ServerProcess) -> Result<ApiClient, String> {
    match &server.sync {
        Endpoint::Saha(client) => Ok((**client).clone()),
        Endpoint::Open(_) => Err("not a Saha server".into()),
    }
}

async fn start(options: &StormOptions) -> Result<ServerProcess, String> {
    ServerProcess::start_saha_node(
        &options.server_bin,
        &options.site_root,
        options.data_dir.clone(),
        None,
        &[],
    )
    .await
}

/// A record's next edit: `writer`'s `n`th, in its notes.
fn edit(doc: &mut Automerge, writer: usize, n: usize) -> Result<(), String> {
    let mut account: Account = saha_core::record::read(doc).map_err(|e| e.to_string())?;
    account.common.notes = format!("yazan {writer}, değişiklik {n}");
    saha_core::record::write(doc, &account).map_err(|e| e.to_string())?;
    Ok(())
}

/// One writer: edits a random record of its own or a shared one, pushes it and waits
/// for the acknowledgement; reconnects whenever the server goes away. Returns the
/// acknowledged heads of each record.
async fn writer(
    current: Arc<Current>,
    index: usize,
    mut docs: HashMap<DocumentId, Automerge>,
    shared: Vec<DocumentId>,
    own: Vec<DocumentId>,
    seed: u64,
) -> Vec<(DocumentId, Vec<ChangeHash>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (index as u64).wrapping_mul(0x9E37_79B9));
    // Each writer is its own device: its own actor in every document.
    for doc in docs.values_mut() {
        doc.set_actor(automerge::ActorId::random());
    }
    let mut acked = Vec::new();
    let mut n = 0;
    while !current.stop.load(Ordering::Relaxed) {
        let owner = current.owner.read().ok().and_then(|o| o.clone());
        let Some(owner) = owner else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let Ok(url) = owner.ticket_url().await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let Ok(mut peer) = Peer::connect_url(&url, &format!("storm-{index}")).await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        peer.docs = std::mem::take(&mut docs);
        while !current.stop.load(Ordering::Relaxed) {
            let id = if own.is_empty() || rng.random_bool(0.5) {
                shared[rng.random_range(0..shared.len())]
            } else {
                own[rng.random_range(0..own.len())]
            };
            let Some(doc) = peer.docs.get_mut(&id) else {
                break;
            };
            n += 1;
            if edit(doc, index, n).is_err() {
                break;
            }
            let heads = doc.get_heads();
            match tokio::time::timeout(Duration::from_secs(20), peer.push(id)).await {
                Ok(Ok(())) => {
                    acked.push((id, heads));
                    current.acknowledged.fetch_add(1, Ordering::Relaxed);
                }
                _ => {
                    current.unacknowledged.fetch_add(1, Ordering::Relaxed);
                    break;
                }
            }
        }
        docs = std::mem::take(&mut peer.docs);
    }
    acked
}

/// Runs a storm; the data directory is removed at the end.
pub async fn crash_storm(options: &StormOptions) -> Result<StormReport, String> {
    if options.writers == 0 || options.shared_records == 0 {
        return Err("a storm needs writers and shared records".into());
    }
    let began = Instant::now();
    let _ = std::fs::remove_dir_all(&options.data_dir);
    let mut server = start(options).await?;
    let owner = owner_of(&server)?;

    // The records, made before the storm.
    let total = options.shared_records + options.writers * options.private_records;
    let made: MadeRecords = crate::datagen::accounts(options.seed, total, 0)
        .iter()
        .map(|a| ("account", DocumentId::random(), a.to_document()))
        .collect();
    store_records(&owner, &made, now_ms())
        .await
        .map_err(|e| format!("storing the records: {e}"))?;
    let ids: Vec<DocumentId> = made.iter().map(|(_, id, _)| *id).collect();
    let shared: Vec<DocumentId> = ids[..options.shared_records].to_vec();

    let current = Arc::new(Current::default());
    if let Ok(mut slot) = current.owner.write() {
        *slot = Some(owner);
    }
    let mut writers = Vec::new();
    for w in 0..options.writers {
        let from = options.shared_records + w * options.private_records;
        let own: Vec<DocumentId> = ids[from..from + options.private_records].to_vec();
        let docs: HashMap<DocumentId, Automerge> = made
            .iter()
            .filter(|(_, id, _)| shared.contains(id) || own.contains(id))
            .map(|(_, id, doc)| (*id, doc.clone()))
            .collect();
        writers.push(tokio::spawn(writer(
            current.clone(),
            w,
            docs,
            shared.clone(),
            own,
            options.seed,
        )));
    }

    // The storm.
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut restarts = Vec::with_capacity(options.kills);
    for kill in 0..options.kills {
        let gap = rng.random_range(0..=options.max_gap.as_millis().max(1) as u64);
        tokio::time::sleep(Duration::from_millis(gap)).await;
        if let Ok(mut slot) = current.owner.write() {
            *slot = None;
        }
        let killed = Instant::now();
        server
            .child
            .start_kill()
            .map_err(|e| format!("kill {kill}: {e}"))?;
        let _ = server.child.wait().await;
        server = start(options)
            .await
            .map_err(|e| format!("restart after kill {}: {e}", kill + 1))?;
        restarts.push(killed.elapsed().as_millis() as u64);
        let owner = owner_of(&server)?;
        if let Ok(mut slot) = current.owner.write() {
            *slot = Some(owner);
        }
    }
    // A last stretch of writing after the last restart, then the writers stop.
    tokio::time::sleep(options.max_gap / 2).await;
    current.stop.store(true, Ordering::Relaxed);
    let mut acked: Vec<(DocumentId, Vec<ChangeHash>)> = Vec::new();
    for handle in writers {
        acked.extend(handle.await.map_err(|e| format!("a writer failed: {e}"))?);
    }

    // The check, against the last server, by a peer that never saw the storm.
    let owner = owner_of(&server)?;
    let mut reader = Peer::connect(&Endpoint::from(owner), "storm-check")
        .await
        .map_err(|e| format!("connecting to check: {e}"))?;
    let mut unreadable = 0;
    for id in &ids {
        if reader.fetch(*id).await.is_err() {
            unreadable += 1;
        }
    }
    let lost = acked
        .iter()
        .filter(|(id, heads)| {
            reader
                .docs
                .get(id)
                .is_none_or(|doc| heads.iter().any(|h| doc.get_change_by_hash(h).is_none()))
        })
        .count();
    // Stopping removes the data directory.
    server.stop().await;
    restarts.sort_unstable();
    Ok(StormReport {
        seed: options.seed,
        writers: options.writers,
        kills: options.kills,
        records: ids.len(),
        acknowledged: current.acknowledged.load(Ordering::Relaxed),
        unacknowledged: current.unacknowledged.load(Ordering::Relaxed),
        lost,
        unreadable,
        restart_ms_median: restarts.get(restarts.len() / 2).copied().unwrap_or(0),
        restart_ms_max: restarts.last().copied().unwrap_or(0),
        seconds: began.elapsed().as_secs_f64(),
    })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
