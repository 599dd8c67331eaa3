//! The crash storm (`saha-bench crash-storm`, run by `cargo xtask torture`): writers
//! edit shared and private records over the sync protocol as fast as the server takes
//! them, while the server is killed with SIGKILL at random moments and started again on
//! the same data directory. Each writer keeps the heads the server acknowledged (a
//! change is acknowledged when the server's sync reply shows it has it; the embedded
//! store fsyncs before it replies). After the storm a new peer reads every record from
//! the last server: every acknowledged head must be there. On PostgreSQL two nodes
//! share the database, writers are spread over both, each kill takes one of them at
//! random, and the check reads every record from each node.
//!
//! An approved e-mail campaign goes out while the kills happen (`torture/campaign.rs`):
//! nobody may get it twice. A reader downloads the change feed throughout
//! (`torture/feed.rs`): cut downloads must fail whole, and its last one must hold every
//! acknowledged change.
//!
//! Halfway through, the owner downloads a backup from a live node while the writers
//! go on (`GET /api/workspace/backup`); after the storm `saha-server admin restore`
//! reads it into a fresh data directory, and a server started there must hold every
//! change acknowledged before the download began (the restore drill).
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

pub(crate) mod campaign;
mod feed;
mod restore;

pub use campaign::CampaignReport;
pub use feed::FeedReport;
pub use restore::RestoreReport;
use restore::take_backup;

/// What a storm is run with.
#[derive(Debug, Clone)]
pub struct StormOptions {
    pub server_bin: PathBuf,
    pub site_root: PathBuf,
    pub data_dir: PathBuf,
    /// PostgreSQL (an empty database) instead of the embedded store.
    pub database_url: Option<String>,
    /// Server nodes (more than one needs PostgreSQL).
    pub nodes: usize,
    pub writers: usize,
    pub kills: usize,
    /// Records every writer edits.
    pub shared_records: usize,
    /// Records only one writer edits, per writer.
    pub private_records: usize,
    /// Contacts of the campaign the outbox sends during the storm (three in four
    /// consented).
    pub campaign_people: usize,
    /// The longest wait between a restart and the next kill (the wait is random up to it).
    pub max_gap: Duration,
    pub seed: u64,
}

/// What a storm found.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StormReport {
    pub seed: u64,
    /// `embedded` or `postgres`.
    pub backend: &'static str,
    pub nodes: usize,
    pub writers: usize,
    pub kills: usize,
    pub records: usize,
    /// Pushes the server acknowledged, over all writers.
    pub acknowledged: usize,
    /// Pushes sent but cut off by a kill before the acknowledgement.
    pub unacknowledged: usize,
    /// Acknowledged heads missing after the storm, on any node (the target is 0).
    pub lost: usize,
    /// Records that did not load from the last server (the target is 0).
    pub unreadable: usize,
    /// Milliseconds from SIGKILL to the restarted server answering: median and max.
    pub restart_ms_median: u64,
    pub restart_ms_max: u64,
    /// The restore drill.
    pub restore: RestoreReport,
    /// The campaign sent during the storm.
    pub campaign: CampaignReport,
    /// The change feed read during the storm.
    pub feed: FeedReport,
    pub seconds: f64,
}

/// A push the server acknowledged: the record, its heads then, and when the
/// acknowledgement arrived.
struct Acked {
    id: DocumentId,
    heads: Vec<ChangeHash>,
    at: Instant,
}

/// The servers now running, for writers to reconnect to; `None` while one is down.
#[derive(Default)]
struct Current {
    owners: Vec<RwLock<Option<ApiClient>>>,
    stop: AtomicBool,
    acknowledged: AtomicUsize,
    unacknowledged: AtomicUsize,
}

impl Current {
    /// The owner's client on node `node`, while it is up.
    fn owner(&self, node: usize) -> Option<ApiClient> {
        self.owners
            .get(node)
            .and_then(|slot| slot.read().ok())
            .and_then(|o| o.clone())
    }
}

/// How many of `acked` are not (wholly) in `docs`.
fn missing<'a>(
    docs: &HashMap<DocumentId, Automerge>,
    acked: impl Iterator<Item = &'a Acked>,
) -> usize {
    acked
        .filter(|push| {
            docs.get(&push.id).is_none_or(|doc| {
                push.heads
                    .iter()
                    .any(|h| doc.get_change_by_hash(h).is_none())
            })
        })
        .count()
}

fn owner_of(server: &ServerProcess) -> Result<ApiClient, String> {
    match &server.sync {
        Endpoint::Saha(client) => Ok((**client).clone()),
        Endpoint::Open(_) => Err("not a Saha server".into()),
    }
}

/// Starts node `node`, its campaign e-mail going to `smtp_url`.
async fn start(
    options: &StormOptions,
    node: usize,
    smtp_url: &str,
) -> Result<ServerProcess, String> {
    ServerProcess::start_saha_node(
        &options.server_bin,
        &options.site_root,
        options.data_dir.join(format!("node{node}")),
        options.database_url.as_deref(),
        &["--smtp-url", smtp_url],
    )
    .await
}

fn publish(current: &Current, node: usize, owner: Option<ApiClient>) {
    if let Some(Ok(mut slot)) = current.owners.get(node).map(RwLock::write) {
        *slot = owner;
    }
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
    node: usize,
    mut docs: HashMap<DocumentId, Automerge>,
    shared: Vec<DocumentId>,
    own: Vec<DocumentId>,
    seed: u64,
) -> Vec<Acked> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (index as u64).wrapping_mul(0x9E37_79B9));
    // Each writer is its own device: its own actor in every document.
    for doc in docs.values_mut() {
        doc.set_actor(automerge::ActorId::random());
    }
    let mut acked = Vec::new();
    let mut n = 0;
    while !current.stop.load(Ordering::Relaxed) {
        let owner = current.owner(node);
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
                    acked.push(Acked {
                        id,
                        heads,
                        at: Instant::now(),
                    });
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

/// Runs a storm; the data directories are removed at the end.
pub async fn crash_storm(options: &StormOptions) -> Result<StormReport, String> {
    if options.writers == 0 || options.shared_records == 0 || options.nodes == 0 {
        return Err("a storm needs writers, shared records and a node".into());
    }
    if options.nodes > 1 && options.database_url.is_none() {
        return Err("several nodes need PostgreSQL (--database-url)".into());
    }
    let began = Instant::now();
    let _ = std::fs::remove_dir_all(&options.data_dir);
    let sink = campaign::Sink::start(Duration::from_millis(10)).await?;
    let mut servers = Vec::with_capacity(options.nodes);
    for node in 0..options.nodes {
        servers.push(start(options, node, &sink.url).await?);
    }
    let owner = owner_of(&servers[0])?;

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
    let people = campaign::prepare(&owner, options.campaign_people, now_ms()).await?;

    let current = Arc::new(Current {
        owners: (0..options.nodes).map(|_| RwLock::new(None)).collect(),
        ..Current::default()
    });
    for (node, server) in servers.iter().enumerate() {
        publish(&current, node, Some(owner_of(server)?));
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
            w % options.nodes,
            docs,
            shared.clone(),
            own,
            options.seed,
        )));
    }

    // The storm. The campaign is approved as it begins: its outbox items are sent while
    // nodes die.
    campaign::approve(&owner_of(&servers[0])?, &people).await?;
    let feed_node = options.nodes - 1;
    let feed_reader = tokio::spawn(feed::read_through_storm(current.clone(), feed_node));
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut restarts = Vec::with_capacity(options.kills);
    let mut backup = None;
    for kill in 0..options.kills {
        if kill == options.kills / 2 {
            backup = Some(take_backup(&servers[0]).await?);
        }
        let gap = rng.random_range(0..=options.max_gap.as_millis().max(1) as u64);
        let victim = rng.random_range(0..options.nodes);
        tokio::time::sleep(Duration::from_millis(gap)).await;
        publish(&current, victim, None);
        let killed = Instant::now();
        let server = &mut servers[victim];
        server
            .child
            .start_kill()
            .map_err(|e| format!("kill {}: {e}", kill + 1))?;
        let _ = server.child.wait().await;
        *server = start(options, victim, &sink.url)
            .await
            .map_err(|e| format!("restart after kill {}: {e}", kill + 1))?;
        restarts.push(killed.elapsed().as_millis() as u64);
        publish(&current, victim, Some(owner_of(server)?));
    }
    // A last stretch of writing after the last restart, then the writers stop.
    tokio::time::sleep(options.max_gap / 2).await;
    // (A storm without kills takes its backup here.)
    let backup = match backup {
        Some(backup) => backup,
        None => take_backup(&servers[0]).await?,
    };
    current.stop.store(true, Ordering::Relaxed);
    let mut acked: Vec<Acked> = Vec::new();
    for handle in writers {
        acked.extend(handle.await.map_err(|e| format!("a writer failed: {e}"))?);
    }

    // The check, on every node, by peers that never saw the storm. Nodes learn each
    // other's changes through the database's notifications: a node gets a few seconds
    // to catch up before a missing head counts as lost.
    let every: Vec<&Acked> = acked.iter().collect();
    let mut lost = 0;
    let mut unreadable = 0;
    for server in &servers {
        let mut attempt = 0;
        let (node_lost, node_unreadable) = loop {
            attempt += 1;
            let found = check(server, &ids, &every).await?;
            if found == (0, 0) || attempt == 20 {
                break found;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        };
        lost = lost.max(node_lost);
        unreadable = unreadable.max(node_unreadable);
    }
    let feed = feed_reader
        .await
        .map_err(|e| format!("the feed reader failed: {e}"))?
        .finish(&owner_of(&servers[feed_node])?, &acked)
        .await?;
    let campaign = campaign::check(
        &owner_of(&servers[0])?,
        &people,
        &sink,
        Duration::from_secs(120),
    )
    .await?;
    // Stopping removes each node's data directory.
    for server in servers {
        server.stop().await;
    }
    let restore = restore::restore_drill(options, &backup, &ids, &acked).await?;
    let _ = std::fs::remove_dir_all(&options.data_dir);
    restarts.sort_unstable();
    Ok(StormReport {
        seed: options.seed,
        backend: crate::process::backend_name(options.database_url.as_deref()),
        nodes: options.nodes,
        writers: options.writers,
        kills: options.kills,
        records: ids.len(),
        acknowledged: current.acknowledged.load(Ordering::Relaxed),
        unacknowledged: current.unacknowledged.load(Ordering::Relaxed),
        lost,
        unreadable,
        restart_ms_median: restarts.get(restarts.len() / 2).copied().unwrap_or(0),
        restart_ms_max: restarts.last().copied().unwrap_or(0),
        restore,
        campaign,
        feed,
        seconds: began.elapsed().as_secs_f64(),
    })
}

/// Reads every record from `server` with a new peer: how many acknowledged pushes are
/// missing there, and how many records did not load.
async fn check(
    server: &ServerProcess,
    ids: &[DocumentId],
    acked: &[&Acked],
) -> Result<(usize, usize), String> {
    let mut reader = Peer::connect(&Endpoint::from(owner_of(server)?), "storm-check")
        .await
        .map_err(|e| format!("connecting to check: {e}"))?;
    let mut unreadable = 0;
    for id in ids {
        if reader.fetch(*id).await.is_err() {
            unreadable += 1;
        }
    }
    let lost = missing(&reader.docs, acked.iter().copied());
    Ok((lost, unreadable))
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
