//! Overload: many sockets at once, a burst of changes, an oversized message and a client
//! that never reads. Throughout, a watcher asks `/health` every 100 ms: the server must
//! answer every time, refuse what it must refuse with a clear error, and serve a new
//! peer normally afterwards.
//!
//! The test command runs small sizes; `SAHA_OVERLOAD_FULL=1` runs the (2,000
//! sockets, 10,000 changes, a 50 MB message; raise the file limit first, each socket
//! takes two descriptors in this process): `ulimit -n 8192; SAHA_OVERLOAD_FULL=1 cargo
//! test -p server --test overload -- --nocapture --test-threads=1` prints the figures
//! RELIABILITY.md records.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::*;
use futures_util::SinkExt;
use saha_bench::peer::next_frame;
use saha_core::DocumentId;
use saha_protocol::wire::{DocMessage, Message};
use tokio_tungstenite::tungstenite::Message as WsMessage;

fn full() -> bool {
    std::env::var("SAHA_OVERLOAD_FULL").is_ok_and(|v| v == "1")
}

/// Asks `/health` every 100 ms until stopped; counts failures and the slowest answer.
struct HealthWatch {
    stop: Arc<AtomicBool>,
    failures: Arc<AtomicU64>,
    slowest_ms: Arc<AtomicU64>,
    asked: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl HealthWatch {
    fn start(base: String) -> HealthWatch {
        let stop = Arc::new(AtomicBool::new(false));
        let failures = Arc::new(AtomicU64::new(0));
        let slowest_ms = Arc::new(AtomicU64::new(0));
        let asked = Arc::new(AtomicU64::new(0));
        let (s, f, w, a) = (
            stop.clone(),
            failures.clone(),
            slowest_ms.clone(),
            asked.clone(),
        );
        let task = tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .expect("an HTTP client");
            while !s.load(Ordering::Relaxed) {
                let started = Instant::now();
                let ok = matches!(
                    client.get(format!("{base}/health")).send().await,
                    Ok(r) if r.status() == 200
                );
                a.fetch_add(1, Ordering::Relaxed);
                if !ok {
                    f.fetch_add(1, Ordering::Relaxed);
                }
                w.fetch_max(started.elapsed().as_millis() as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        HealthWatch {
            stop,
            failures,
            slowest_ms,
            asked,
            task,
        }
    }

    /// Stops it; (health checks asked, failed, slowest answer in ms).
    async fn finish(self) -> (u64, u64, u64) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        (
            self.asked.load(Ordering::Relaxed),
            self.failures.load(Ordering::Relaxed),
            self.slowest_ms.load(Ordering::Relaxed),
        )
    }
}

/// A new peer still stores and reads a record.
async fn serves_normally(server: &TestServer) {
    let mut peer = connect(server, "afterwards").await;
    let id = DocumentId::random();
    peer.docs.insert(id, account("Sonradan A.Ş.", ""));
    peer.push(id).await.unwrap();
    let mut reader = connect(server, "reader").await;
    assert_eq!(
        read_account(reader.fetch(id).await.unwrap()).unwrap().name,
        "Sonradan A.Ş."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sockets_at_once() {
    let sockets = if full() { 2_000 } else { 300 };
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let watch = HealthWatch::start(server.http());
    let started = Instant::now();
    let mut peers = Vec::with_capacity(sockets);
    // Opened 100 at a time: a ticket each, then the socket and its handshake.
    for batch in 0..sockets.div_ceil(100) {
        let opened =
            futures_util::future::join_all(
                (0..100.min(sockets - batch * 100)).map(|n| {
                    let endpoint = server.endpoint();
                    async move {
                        saha_bench::peer::Peer::connect(&endpoint, &format!("p{batch}-{n}")).await
                    }
                }),
            )
            .await;
        for peer in opened {
            peers.push(peer.expect("every socket is taken"));
        }
    }
    let open_ms = started.elapsed().as_millis();
    // With all of them open, one of them syncs a record to another.
    let id = DocumentId::random();
    peers[0].docs.insert(id, account("Kalabalık Ltd.", ""));
    peers[0].push(id).await.unwrap();
    let last = peers.len() - 1;
    assert!(peers[last].fetch(id).await.is_ok());
    drop(peers);
    serves_normally(&server).await;
    let (asked, failed, slowest) = watch.finish().await;
    eprintln!(
        "overload: {sockets} sockets opened and joined in {open_ms} ms; health {asked} asked, \
         {failed} failed, slowest {slowest} ms"
    );
    assert_eq!(
        failed, 0,
        "/health failed while {sockets} sockets connected"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_changes() {
    let (writers, each) = if full() { (10, 1_000) } else { (5, 100) };
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let watch = HealthWatch::start(server.http());
    let started = Instant::now();
    let bursts = (0..writers).map(|w| {
        let endpoint = server.endpoint();
        tokio::spawn(async move {
            let mut peer = saha_bench::peer::Peer::connect(&endpoint, &format!("w{w}"))
                .await
                .unwrap();
            let id = DocumentId::random();
            peer.docs.insert(id, account(&format!("Yazar {w}"), ""));
            // Every change is offered as it is made, without waiting for an answer.
            for n in 0..each {
                edit(peer.docs.get_mut(&id).unwrap(), |f| {
                    f.set("notes", format!("değişiklik {n}"))
                });
                peer.offer(id).await.unwrap();
            }
            peer.push(id).await.unwrap();
            (id, each - 1)
        })
    });
    let written: Vec<(DocumentId, usize)> = futures_util::future::join_all(bursts)
        .await
        .into_iter()
        .map(|r| r.expect("a writer finished"))
        .collect();
    let burst_ms = started.elapsed().as_millis();
    // A peer that saw none of it reads every record's last change.
    let mut reader = connect(&server, "reader").await;
    for (id, last) in &written {
        let doc = reader.fetch(*id).await.unwrap();
        assert_eq!(
            read_account(doc).unwrap().common.notes,
            format!("değişiklik {last}")
        );
    }
    serves_normally(&server).await;
    let (asked, failed, slowest) = watch.finish().await;
    eprintln!(
        "overload: {} changes from {writers} writers stored in {burst_ms} ms; health {asked} \
         asked, {failed} failed, slowest {slowest} ms",
        writers * each
    );
    assert_eq!(failed, 0, "/health failed during the burst");
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_message_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    // The production limit (16 MiB), not the tests' 1 MiB.
    let mut config = saha_server::Config::for_tests(dir.path().to_path_buf(), site_root());
    config.max_message_bytes = 16 * 1024 * 1024;
    let server = start_with(config).await;
    let watch = HealthWatch::start(server.http());
    let mut big = connect(&server, "big").await;
    let message = Message::Sync(DocMessage {
        sender_id: big.conn.local_id().to_owned(),
        target_id: big.conn.remote_id().unwrap().to_owned(),
        document_id: DocumentId::random(),
        data: vec![0x42; 50 * 1000 * 1000],
    });
    let started = Instant::now();
    // The server may close the socket before the last byte is written.
    let _ = big
        .ws
        .send(WsMessage::Binary(message.encode().into()))
        .await;
    let reason = closed_by_server(&mut big.ws).await.unwrap_or_default();
    let refused_ms = started.elapsed().as_millis();
    assert!(reason.contains("too long"), "no reason given: {reason:?}");
    serves_normally(&server).await;
    let (asked, failed, slowest) = watch.finish().await;
    eprintln!(
        "overload: a 50 MB message refused in {refused_ms} ms ({reason:?}); health {asked} \
         asked, {failed} failed, slowest {slowest} ms"
    );
    assert_eq!(failed, 0);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_is_let_go() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = saha_server::Config::for_tests(dir.path().to_path_buf(), site_root());
    // Pings every 4 s: a frame not taken in 8 s closes the connection. The buffers
    // between the server and the client fill within the first interval, so from then
    // on only the send timeout can notice (a server blocked on a send sends no pings).
    config.ping_seconds = 4;
    let server = start_with(config).await;
    let watch = HealthWatch::start(server.http());
    let mut writer = connect(&server, "writer").await;
    let ids: Vec<DocumentId> = (0..10).map(|_| DocumentId::random()).collect();
    for (n, id) in ids.iter().enumerate() {
        writer.docs.insert(*id, account(&format!("Kayıt {n}"), ""));
    }
    writer.push_all(&ids).await.unwrap();
    // It takes the records, then stops reading.
    let mut stuck = connect(&server, "stuck").await;
    stuck.fetch_all(&ids).await.unwrap();
    // Far more than the socket buffers hold goes its way: 10 records × 24 × 99 KB of
    // letters that do not compress.
    let started = Instant::now();
    let mut seed = 7u32;
    let filler: String = (0..99_000)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            char::from(b'a' + ((seed >> 16) % 26) as u8)
        })
        .collect();
    for round in 0..24 {
        for id in &ids {
            // One scalar string (a text object would be an operation per letter).
            let text = format!("{round}{}", &filler[1..]);
            writer
                .docs
                .get_mut(id)
                .unwrap()
                .transact::<_, _, automerge::AutomergeError>(|tx| {
                    use automerge::transaction::Transactable;
                    tx.put(automerge::ROOT, "notes", text)
                })
                .unwrap();
        }
        writer.push_all(&ids).await.unwrap();
    }
    let written_ms = started.elapsed().as_millis();
    // The writer was never held up by it, and the server lets it go: reading now, it
    // finds what was buffered, then the end of the connection.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let drained = tokio::time::timeout(Duration::from_secs(30), async {
        let mut frames = 0;
        while next_frame(&mut stuck.ws).await.is_some() {
            frames += 1;
        }
        frames
    })
    .await;
    serves_normally(&server).await;
    let (asked, failed, slowest) = watch.finish().await;
    eprintln!(
        "overload: 24 MB written past a client that never reads in {written_ms} ms; its \
         connection closed: {}; health {asked} asked, {failed} failed, slowest {slowest} ms",
        drained.is_ok()
    );
    assert!(
        drained.is_ok(),
        "the server kept the connection of a client that stopped reading"
    );
    assert_eq!(failed, 0);
    server.shutdown().await.unwrap();
}
