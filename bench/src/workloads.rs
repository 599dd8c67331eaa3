//! The server workloads of BENCHMARKS.md, run the same way against any automerge-repo
//! server: initial sync, reconnect, fan-out and sustained throughput.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use saha_core::DocumentId;
use tokio::sync::Barrier;
use tokio::time::Instant;

use crate::api_client::Endpoint;
use crate::datagen::GeneratedAccount;
use crate::peer::{Peer, PeerError, TIMEOUT};
use crate::process::ServerProcess;

/// A shared account called `name`: what the fan-out and throughput workloads edit. A
/// real record, since Saha stores nothing that does not read as a known kind; the
/// workloads' own keys (`c…`, `n`, `note`) sit beside its fields.
fn bench_account(name: &str) -> Result<Automerge, PeerError> {
    let mut account =
        <saha_core::parties::account::Account as saha_core::record::RecordType>::blank(
            &saha_core::record::EditContext::new("bench", 1),
        );
    account.name = name.to_owned();
    saha_core::record::create(&account).map_err(|e| PeerError(e.to_string()))
}

/// Requests in flight at once when a peer walks many documents.
pub const WINDOW: usize = 256;

/// Median, spread and tail of a set of samples.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    pub n: usize,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub p50: f64,
    pub p99: f64,
}

pub fn summarize(samples: &[f64]) -> Summary {
    let mut v: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| -> f64 {
        if v.is_empty() {
            return f64::NAN;
        }
        let i = ((v.len() as f64 - 1.0) * q).round() as usize;
        v[i.min(v.len() - 1)]
    };
    Summary {
        n: v.len(),
        median: at(0.5),
        min: v.first().copied().unwrap_or(f64::NAN),
        max: v.last().copied().unwrap_or(f64::NAN),
        p50: at(0.5),
        p99: at(0.99),
    }
}

/// Pushes generated accounts to the server in confirmed batches (gently: one batch in
/// flight). Returns the seeding peer, which holds every document. Gives up when
/// `budget` has passed, saying how far it got.
pub async fn seed(
    url: &Endpoint,
    accounts: &[GeneratedAccount],
    budget: Duration,
) -> Result<Peer, PeerError> {
    let started = Instant::now();
    let mut peer = Peer::connect(url, "bench-seeder").await?;
    for (n, batch) in accounts.chunks(100).enumerate() {
        if started.elapsed() > budget {
            let done = n * 100;
            let rate = done as f64 / started.elapsed().as_secs_f64();
            return Err(PeerError(format!(
                "seeding did not finish within {} s: {done} of {} documents stored (average {rate:.0}/s)",
                budget.as_secs(),
                accounts.len()
            )));
        }
        let ids: Vec<DocumentId> = batch
            .iter()
            .map(|a| {
                peer.docs.insert(a.id, a.to_document());
                a.id
            })
            .collect();
        peer.push_all(&ids).await?;
    }
    Ok(peer)
}

/// Offers `ids` with at most [`WINDOW`] outstanding, until each is `done`. `on_step`
/// sees the peer after every frame (for timing milestones along the way).
async fn walk(
    peer: &mut Peer,
    ids: &[DocumentId],
    done: impl Fn(&Peer, &DocumentId) -> bool,
    mut on_step: impl FnMut(&Peer),
) -> Result<(), PeerError> {
    let mut queue: VecDeque<DocumentId> = ids.iter().copied().collect();
    let mut outstanding: HashSet<DocumentId> = HashSet::new();
    let deadline = Instant::now() + TIMEOUT * 3;
    loop {
        on_step(peer);
        outstanding.retain(|id| !done(peer, id));
        while outstanding.len() < WINDOW {
            let Some(id) = queue.pop_front() else { break };
            if done(peer, &id) {
                continue;
            }
            peer.offer(id).await?;
            outstanding.insert(id);
        }
        if outstanding.is_empty() && queue.is_empty() {
            return Ok(());
        }
        match tokio::time::timeout_at(deadline, peer.handle_next()).await {
            Ok(result) => {
                result?;
            }
            Err(_) => {
                return Err(PeerError(format!(
                    "{} documents still outstanding at the deadline",
                    outstanding.len() + queue.len()
                )));
            }
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InitialSync {
    pub wall_ms: f64,
    /// Of which the change feed's download (Saha), before the client loads documents.
    pub download_ms: Option<f64>,
    pub bytes: u64,
    pub peak_rss: Option<u64>,
}

/// An empty client fetches every document.
pub async fn initial_sync(
    server: &ServerProcess,
    ids: &[DocumentId],
) -> Result<(InitialSync, Peer), PeerError> {
    server.reset_peak_rss();
    let started = Instant::now();
    let mut peer = Peer::connect(&server.sync, "bench-fresh-client").await?;
    walk(&mut peer, ids, |p, id| p.has(id), |_| {}).await?;
    let wall = started.elapsed();
    Ok((
        InitialSync {
            wall_ms: wall.as_secs_f64() * 1000.0,
            download_ms: None,
            bytes: peer.bytes_sent + peer.bytes_received,
            peak_rss: server.peak_rss(),
        },
        peer,
    ))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Reconnect {
    /// Until the changed documents arrived.
    pub changes_ms: f64,
    /// Until every document was confirmed in sync.
    pub all_synced_ms: f64,
    pub bytes: u64,
    pub changed: usize,
}

/// `holder` goes offline; `editor` changes `changed` documents; `holder` reconnects and
/// syncs everything it holds.
/// While a client is away, `editor` changes `changed` of `ids` (spread evenly) and
/// pushes them until confirmed; returns the changed IDs.
async fn edit_elsewhere(
    server: &ServerProcess,
    editor: &mut Peer,
    ids: &[DocumentId],
    changed: usize,
    round: usize,
) -> Result<Vec<DocumentId>, PeerError> {
    // A fresh connection for the editor: an idle one may have been dropped by the
    // server's keep-alive (the reference pings every 5 s) while other workloads ran.
    let mut fresh = Peer::connect(&server.sync, "bench-editor").await?;
    fresh.docs = std::mem::take(&mut editor.docs);
    *editor = fresh;
    let edited: Vec<DocumentId> = ids
        .iter()
        .step_by((ids.len() / changed).max(1))
        .take(changed)
        .copied()
        .collect();
    for id in &edited {
        let doc = editor
            .docs
            .get_mut(id)
            .ok_or_else(|| PeerError("editor lacks a document".into()))?;
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "city", format!("Değişti {round}"))?;
            Ok(())
        })
        .map_err(|f| PeerError(f.error.to_string()))?;
    }
    editor.push_all(&edited).await?;
    Ok(edited)
}

pub async fn reconnect(
    server: &ServerProcess,
    holder: Peer,
    editor: &mut Peer,
    ids: &[DocumentId],
    changed: usize,
    round: usize,
) -> Result<(Reconnect, Peer), PeerError> {
    let docs = holder.docs;
    drop(holder.ws);
    let edited = edit_elsewhere(server, editor, ids, changed, round).await?;
    let targets: HashMap<DocumentId, Vec<automerge::ChangeHash>> = edited
        .iter()
        .map(|id| (*id, editor.docs[id].get_heads()))
        .collect();

    let started = Instant::now();
    let mut peer = Peer::connect(&server.sync, "bench-reconnecting-client").await?;
    peer.docs = docs;
    // First the changed documents arrive…
    let arrived = |p: &Peer, id: &DocumentId| {
        targets
            .get(id)
            .is_none_or(|heads| p.docs.get(id).is_some_and(|d| &d.get_heads() == heads))
    };
    let mut changes_at = None;
    walk(
        &mut peer,
        ids,
        |p, id| p.confirmed(id) && arrived(p, id),
        |p| {
            if changes_at.is_none() && edited.iter().all(|id| arrived(p, id)) {
                changes_at = Some(started.elapsed());
            }
        },
    )
    .await
    .map_err(|e| {
        let missing = edited.iter().filter(|id| !arrived(&peer, id)).count();
        PeerError(format!(
            "reconnect did not converge ({e}); {missing} of {} changes missing",
            edited.len()
        ))
    })?;
    let all = started.elapsed();
    Ok((
        Reconnect {
            changes_ms: changes_at.unwrap_or(all).as_secs_f64() * 1000.0,
            all_synced_ms: all.as_secs_f64() * 1000.0,
            bytes: peer.bytes_sent + peer.bytes_received,
            changed: edited.len(),
        },
        peer,
    ))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FanOut {
    pub clients: usize,
    /// Server nodes the clients were spread over (CPU and RSS are their sums).
    pub nodes: usize,
    pub seconds: u64,
    pub edits: u64,
    pub latency_ms: Summary,
    pub server_cpu_percent: f64,
    pub peak_rss: Option<u64>,
    pub failed_clients: usize,
}

/// `clients` peers in groups of `group`, each group sharing one document; every client
/// edits once a second; latency is from an edit to its arrival at the others.
pub async fn fan_out(
    servers: &[&ServerProcess],
    clients: usize,
    group: usize,
    seconds: u64,
) -> Result<FanOut, PeerError> {
    let first = servers
        .first()
        .ok_or_else(|| PeerError("no server to fan out on".into()))?;
    let groups = clients.div_ceil(group);
    let mut seeder = Peer::connect(&first.sync, "bench-fanout-seeder").await?;
    let docs: Vec<DocumentId> = (0..groups).map(|_| DocumentId::random()).collect();
    for id in &docs {
        seeder.docs.insert(*id, bench_account("Bench office")?);
    }
    seeder.push_all(&docs).await?;
    drop(seeder);

    let epoch = Instant::now();
    let barrier = Arc::new(Barrier::new(clients + 1));
    let mut tasks = Vec::new();
    for c in 0..clients {
        // Clients alternate between the nodes: a group's members sit on different ones.
        let url = servers[c % servers.len()].sync.clone();
        let doc_id = docs[c / group];
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let result = fan_out_client(url, c, doc_id, epoch, seconds, &barrier).await;
            if result.is_err() {
                // Keep the others from waiting for a client that failed before the start.
                barrier.wait().await;
            }
            result
        }));
    }
    barrier.wait().await;
    for server in servers {
        server.reset_peak_rss();
    }
    let cpu_of = || -> Option<Duration> { servers.iter().map(|s| s.cpu_time()).sum() };
    let cpu_before = cpu_of();
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut edits = 0;
    let mut failed = 0;
    for task in tasks {
        match task.await {
            Ok(Ok((l, e))) => {
                latencies.extend(l);
                edits += e;
            }
            _ => failed += 1,
        }
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu = match (cpu_before, cpu_of()) {
        (Some(a), Some(b)) => (b - a).as_secs_f64() / wall * 100.0,
        _ => f64::NAN,
    };
    Ok(FanOut {
        clients,
        nodes: servers.len(),
        seconds,
        edits,
        latency_ms: summarize(&latencies),
        server_cpu_percent: cpu,
        peak_rss: servers.iter().map(|s| s.peak_rss()).sum(),
        failed_clients: failed,
    })
}

async fn fan_out_client(
    url: Endpoint,
    index: usize,
    doc_id: DocumentId,
    epoch: Instant,
    seconds: u64,
    barrier: &Barrier,
) -> Result<(Vec<f64>, u64), PeerError> {
    let mut peer = Peer::connect(&url, &format!("bench-fanout-{index}")).await?;
    peer.fetch(doc_id).await?;
    barrier.wait().await;
    let own = format!("c{index}");
    let mut seen: HashMap<String, i64> = HashMap::new();
    let mut latencies = Vec::new();
    let mut edits = 0u64;
    let end = Instant::now() + Duration::from_secs(seconds);
    // Spread the clients' edits over the second.
    let mut next_edit = Instant::now() + Duration::from_millis((index as u64 * 997) % 1000);
    loop {
        tokio::select! {
            () = tokio::time::sleep_until(next_edit) => {
                if Instant::now() >= end {
                    break;
                }
                let now_us = epoch.elapsed().as_micros() as i64;
                let doc = peer.docs.get_mut(&doc_id).ok_or_else(|| PeerError("lost the document".into()))?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, own.as_str(), now_us)?;
                    Ok(())
                })
                .map_err(|f| PeerError(f.error.to_string()))?;
                peer.offer(doc_id).await?;
                edits += 1;
                next_edit += Duration::from_secs(1);
            }
            changed = peer.handle_next() => {
                if changed? == Some(doc_id) {
                    let now_us = epoch.elapsed().as_micros() as i64;
                    let doc = &peer.docs[&doc_id];
                    for item in doc.map_range(ROOT, ..) {
                        if item.key == own || !item.key.starts_with('c') {
                            continue;
                        }
                        if let automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(sent)) = item.value {
                            let last = seen.entry(item.key.to_string()).or_insert(0);
                            if sent > *last {
                                *last = sent;
                                latencies.push((now_us - sent) as f64 / 1000.0);
                            }
                        }
                    }
                }
            }
        }
    }
    Ok((latencies, edits))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ThroughputLevel {
    pub writers: usize,
    pub changes_per_second: f64,
    pub ack_latency_ms: Summary,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Throughput {
    pub levels: Vec<ThroughputLevel>,
    pub best_changes_per_second: f64,
    pub peak_rss: Option<u64>,
}

/// Closed-loop writers, each on its own document: edit, send, wait for the server's
/// acknowledgement, repeat. Levels of concurrency rise until p99 latency passes
/// `degraded_ms` or the levels run out.
pub async fn throughput(
    server: &ServerProcess,
    levels: &[usize],
    seconds_per_level: u64,
    degraded_ms: f64,
) -> Result<Throughput, PeerError> {
    server.reset_peak_rss();
    let mut out = Vec::new();
    for &writers in levels {
        let end =
            Instant::now() + Duration::from_secs(seconds_per_level) + Duration::from_millis(500);
        let mut tasks = Vec::new();
        for w in 0..writers {
            let url = server.sync.clone();
            tasks.push(tokio::spawn(async move {
                let mut peer = Peer::connect(&url, &format!("bench-writer-{w}")).await?;
                let id = DocumentId::random();
                let mut doc = bench_account(&format!("Bench writer {w}"))?;
                let mut latencies = Vec::new();
                let mut n = 0i64;
                while Instant::now() < end {
                    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                        tx.put(ROOT, "n", n)?;
                        tx.put(ROOT, "note", format!("Değişiklik {n}"))?;
                        Ok(())
                    })
                    .map_err(|f| PeerError(f.error.to_string()))?;
                    n += 1;
                    peer.docs.insert(id, doc.clone());
                    let sent = Instant::now();
                    peer.push(id).await?;
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    doc = peer.docs[&id].clone();
                }
                Ok::<_, PeerError>(latencies)
            }));
        }
        let started = Instant::now();
        let mut latencies = Vec::new();
        for task in tasks {
            if let Ok(Ok(l)) = task.await {
                latencies.extend(l);
            }
        }
        let wall = started.elapsed().as_secs_f64();
        let level = ThroughputLevel {
            writers,
            changes_per_second: latencies.len() as f64 / wall,
            ack_latency_ms: summarize(&latencies),
        };
        let degraded = level.ack_latency_ms.p99 > degraded_ms;
        out.push(level);
        if degraded {
            break;
        }
    }
    let best = out.iter().map(|l| l.changes_per_second).fold(0.0, f64::max);
    Ok(Throughput {
        levels: out,
        best_changes_per_second: best,
        peak_rss: server.peak_rss(),
    })
}

/// The session behind a Saha endpoint (the change feed needs it).
fn saha_client(server: &ServerProcess) -> Result<Arc<crate::api_client::ApiClient>, PeerError> {
    match &server.sync {
        Endpoint::Saha(client) => Ok(client.clone()),
        Endpoint::Open(_) => Err(PeerError("the change feed is Saha's".into())),
    }
}

/// A fresh Saha client's initial sync the way the app does it: the whole workspace in
/// one streamed change feed, every document loaded, then the sync socket opened (from
/// then on live changes flow). Returns the client's documents and cursor.
pub async fn initial_sync_feed(
    server: &ServerProcess,
    ids: &[DocumentId],
) -> Result<(InitialSync, Peer, u64), PeerError> {
    let client = saha_client(server)?;
    server.reset_peak_rss();
    let started = Instant::now();
    let feed = client.changes(0).await?;
    let downloaded = started.elapsed();
    let bytes: u64 = feed
        .documents
        .iter()
        .map(|(_, b)| b.len() as u64 + 21)
        .sum();
    let mut docs = HashMap::with_capacity(feed.documents.len());
    for (id, data) in feed.documents {
        docs.insert(
            id,
            Automerge::load(&data).map_err(|e| PeerError(e.to_string()))?,
        );
    }
    let mut peer = Peer::connect(&server.sync, "bench-fresh-client").await?;
    peer.docs = docs;
    let wall = started.elapsed();
    if let Some(missing) = ids.iter().find(|id| !peer.has(id)) {
        return Err(PeerError(format!("{missing} was not in the change feed")));
    }
    Ok((
        InitialSync {
            wall_ms: wall.as_secs_f64() * 1000.0,
            download_ms: Some(downloaded.as_secs_f64() * 1000.0),
            bytes: bytes + peer.bytes_sent + peer.bytes_received,
            peak_rss: server.peak_rss(),
        },
        peer,
        feed.cursor,
    ))
}

/// A Saha client back after `changed` documents were edited elsewhere: it asks the
/// change feed for what changed since its cursor, merges it, and reconnects.
pub async fn reconnect_feed(
    server: &ServerProcess,
    holder: Peer,
    cursor: u64,
    editor: &mut Peer,
    ids: &[DocumentId],
    changed: usize,
    round: usize,
) -> Result<(Reconnect, Peer, u64), PeerError> {
    let client = saha_client(server)?;
    let mut docs = holder.docs;
    drop(holder.ws);
    let edited = edit_elsewhere(server, editor, ids, changed, round).await?;

    let started = Instant::now();
    let feed = client.changes(cursor).await?;
    let bytes: u64 = feed
        .documents
        .iter()
        .map(|(_, b)| b.len() as u64 + 21)
        .sum();
    for (id, data) in &feed.documents {
        let doc = docs.entry(*id).or_default();
        doc.load_incremental(data)
            .map_err(|e| PeerError(e.to_string()))?;
    }
    let changes_at = started.elapsed();
    let mut peer = Peer::connect(&server.sync, "bench-reconnecting-client").await?;
    peer.docs = docs;
    let all = started.elapsed();
    for id in &edited {
        if peer.docs.get(id).map(|d| d.get_heads()) != Some(editor.docs[id].get_heads()) {
            return Err(PeerError(format!("the change to {id} did not come back")));
        }
    }
    Ok((
        Reconnect {
            changes_ms: changes_at.as_secs_f64() * 1000.0,
            all_synced_ms: all.as_secs_f64() * 1000.0,
            bytes: bytes + peer.bytes_sent + peer.bytes_received,
            changed: feed.documents.len(),
        },
        peer,
        feed.cursor,
    ))
}
