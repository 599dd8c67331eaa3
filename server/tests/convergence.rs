//! Partitions and convergence: four client replicas and the server (on PostgreSQL,
//! two server nodes sharing a database, the replicas alternating between them), each
//! client behind its own faulty link (an in-process WebSocket proxy that delays every
//! frame, sends some sync frames twice, and cuts the connection when told), make 1,000
//! seeded random edits of shared records (among other steps: cuts, heals, and replicas
//! taking what arrived). After the last heal every replica and every node must hold
//! identical heads for every record, the replicas identical read-model rows
//! (`saha_core::read_model::Entry`), and the server's projection (what the REST API
//! reads) must show the same values.
//!
//! `SAHA_CONVERGENCE_SEED=S` replays a seed (the link timings are seeded too, but the
//! scheduler's are not: a replay takes the same decisions, not necessarily at the same
//! moments); `SAHA_CONVERGENCE_OPS=N` changes the number of edits.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use futures_util::{SinkExt, StreamExt};
use saha_bench::api_client::Endpoint;
use saha_core::DocumentId;
use saha_core::read_model::Entry;
use tokio::net::TcpListener;
use tokio::sync::watch;

const CLIENTS: usize = 4;
const RECORDS: usize = 5;

/// One client's faulty link to the server: a listener on port 0 that forwards
/// WebSocket frames both ways, each after a random delay of up to 20 ms (in order),
/// one sync frame in 20 twice, until the link is cut (every connection through it closes).
struct Link {
    addr: std::net::SocketAddr,
    cuts: watch::Sender<u64>,
}

impl Link {
    async fn start(server: std::net::SocketAddr, seed: u64) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (cuts, _) = watch::channel(0u64);
        let cut_rx = cuts.subscribe();
        tokio::spawn(async move {
            let mut n = 0u64;
            while let Ok((tcp, _)) = listener.accept().await {
                n += 1;
                let cut = cut_rx.clone();
                tokio::spawn(forward(tcp, server, SeededRng(seed ^ n), cut));
            }
        });
        Link { addr, cuts }
    }

    fn cut(&self) {
        self.cuts.send_modify(|c| *c += 1);
    }

    /// A server URL (with its ticket) rewritten to go through this link.
    fn url(&self, server_url: &str) -> String {
        let path = server_url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("/");
        format!("ws://{}{path}", self.addr)
    }
}

/// Whether `frame` is a sync message (only those are sent twice: a second `join` is a
/// protocol violation the server rightly closes the connection for).
fn is_sync(frame: &tokio_tungstenite::tungstenite::Message) -> bool {
    matches!(
        saha_protocol::wire::Message::decode(&frame.clone().into_data()),
        Ok(saha_protocol::wire::Message::Sync(_))
    )
}

/// Sends the binary frames of `from` on to `to`, each after a random delay of up to
/// 20 ms, one sync frame in 20 twice; ends when either side does.
async fn relay<R, W>(mut from: R, mut to: W, mut rng: SeededRng)
where
    R: futures_util::Stream<
            Item = Result<
                tokio_tungstenite::tungstenite::Message,
                tokio_tungstenite::tungstenite::Error,
            >,
        > + Unpin,
    W: futures_util::Sink<tokio_tungstenite::tungstenite::Message> + Unpin,
{
    while let Some(Ok(frame)) = from.next().await {
        if !frame.is_binary() {
            continue;
        }
        tokio::time::sleep(Duration::from_millis(rng.below(20) as u64)).await;
        let twice = rng.below(20) == 0 && is_sync(&frame);
        if to.send(frame.clone()).await.is_err() || (twice && to.send(frame).await.is_err()) {
            break;
        }
    }
}

async fn forward(
    tcp: tokio::net::TcpStream,
    server: std::net::SocketAddr,
    rng: SeededRng,
    mut cut: watch::Receiver<u64>,
) {
    let path = Arc::new(std::sync::Mutex::new(String::new()));
    let seen = path.clone();
    // The handshake callback's signature is tungstenite's.
    #[allow(clippy::result_large_err)]
    let callback = move |req: &tokio_tungstenite::tungstenite::handshake::server::Request, resp| {
        *seen.lock().unwrap() = req.uri().to_string();
        Ok(resp)
    };
    let Ok(client) = tokio_tungstenite::accept_hdr_async(tcp, callback).await else {
        return;
    };
    let path = path.lock().unwrap().clone();
    let Ok((upstream, _)) = tokio_tungstenite::connect_async(format!("ws://{server}{path}")).await
    else {
        return;
    };
    cut.mark_unchanged();
    let (client_tx, client_rx) = client.split();
    let (server_tx, server_rx) = upstream.split();
    let up = relay(client_rx, server_tx, rng.clone());
    let down = relay(server_rx, client_tx, SeededRng(rng.0 ^ 0x5555));
    tokio::select! {
        () = up => {}
        () = down => {}
        _ = cut.changed() => {}
    }
    // Dropping both halves closes both connections without a closing handshake, as a
    // lost network does.
}

/// A client replica: its documents survive its connections.
struct Replica {
    /// The owner's session on the node this replica syncs with.
    owner: ApiClient,
    link: Link,
    peer: Option<Peer>,
    docs: HashMap<DocumentId, automerge::Automerge>,
}

impl Replica {
    async fn connect(&mut self, n: usize) {
        let url = self.owner.ticket_url().await.unwrap();
        let mut peer = Peer::connect_url(&self.link.url(&url), &format!("replica{n}"))
            .await
            .expect("a replica connects through its link");
        peer.docs = std::mem::take(&mut self.docs);
        let ids: Vec<DocumentId> = peer.docs.keys().copied().collect();
        for id in ids {
            // Offers what it made offline, and tracks every record again.
            if peer.offer(id).await.is_err() {
                break;
            }
        }
        self.peer = Some(peer);
    }

    fn disconnect(&mut self) {
        if let Some(peer) = self.peer.take() {
            self.docs = peer.docs;
        }
    }

    fn docs_mut(&mut self) -> &mut HashMap<DocumentId, automerge::Automerge> {
        match &mut self.peer {
            Some(peer) => &mut peer.docs,
            None => &mut self.docs,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_behind_cut_delayed_duplicating_links_converge() {
    let seed: u64 = std::env::var("SAHA_CONVERGENCE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_207);
    let ops: usize = std::env::var("SAHA_CONVERGENCE_OPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000);
    eprintln!(
        "convergence run, seed {seed}, {ops} edits (replay: SAHA_CONVERGENCE_SEED={seed} \
         cargo test -p server --test convergence)"
    );
    let mut rng = SeededRng(seed);
    // One server, or on PostgreSQL two nodes sharing a database: then the replicas
    // alternate between them, and both nodes must end with the same records.
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let mut nodes = Vec::new();
    if std::env::var("SAHA_TEST_STORAGE").as_deref() == Ok("postgres") {
        let database = fresh_database().await;
        for dir in &dirs {
            nodes.push(start_on_postgres(&database, dir.path()).await);
        }
    } else {
        nodes.push(start(dirs[0].path()).await);
    }
    let server = &nodes[0];
    let admin = Rest::new(&server.http(), &token(server, &["*:read"], None).await);

    // Shared records, made before the storm.
    let mut owner = connect(server, "owner").await;
    let records: Vec<DocumentId> = (0..RECORDS).map(|_| DocumentId::random()).collect();
    for (n, id) in records.iter().enumerate() {
        owner.docs.insert(*id, account(&format!("Ortak {n}"), ""));
    }
    owner.push_all(&records).await.unwrap();
    drop(owner);

    let mut replicas = Vec::new();
    for n in 0..CLIENTS {
        let node = &nodes[n % nodes.len()];
        let link = Link::start(node.addr, seed ^ (n as u64 + 1)).await;
        let mut replica = Replica {
            owner: server.owner.on(&node.http()),
            link,
            peer: None,
            docs: HashMap::new(),
        };
        replica.connect(n).await;
        let peer = replica.peer.as_mut().unwrap();
        peer.fetch_all(&records).await.unwrap();
        replicas.push(replica);
    }

    let (mut edits, mut cuts, mut heals, mut lost_sends) = (0, 0, 0, 0);
    let mut op = 0u64;
    while edits < ops {
        op += 1;
        let n = rng.below(CLIENTS);
        match rng.below(100) {
            // An edit (online or offline), offered at once when connected.
            0..=79 => {
                let id = records[rng.below(RECORDS)];
                let (field, value) = match rng.below(3) {
                    0 => ("city", format!("Şehir {}", rng.below(50))),
                    1 => ("notes", format!("not {op} / {}", rng.next())),
                    _ => ("phone", format!("+90532{:07}", rng.below(10_000_000))),
                };
                let replica = &mut replicas[n];
                if let Some(doc) = replica.docs_mut().get_mut(&id) {
                    edit(doc, |f| f.set(field, value));
                    edits += 1;
                }
                if let Some(peer) = &mut replica.peer
                    && peer.offer(id).await.is_err()
                {
                    lost_sends += 1;
                    replica.disconnect();
                }
            }
            // The link is cut; the replica works offline.
            80..=87 => {
                if replicas[n].peer.is_some() {
                    replicas[n].link.cut();
                    replicas[n].disconnect();
                    cuts += 1;
                }
            }
            // An offline replica comes back.
            88..=94 => {
                if replicas[n].peer.is_none() {
                    replicas[n].connect(n).await;
                    heals += 1;
                }
            }
            // A replica takes what has arrived.
            _ => {
                let replica = &mut replicas[n];
                if let Some(peer) = &mut replica.peer
                    && peer
                        .pump_until(Duration::from_millis(30), |_| false)
                        .await
                        .is_err()
                {
                    replica.disconnect();
                }
            }
        }
    }

    // Heal every link, push everything, and wait until every replica holds what the
    // server holds.
    for (n, replica) in replicas.iter_mut().enumerate() {
        if replica.peer.is_none() {
            replica.connect(n).await;
            heals += 1;
        }
    }
    for replica in &mut replicas {
        let peer = replica.peer.as_mut().unwrap();
        peer.push_all(&records)
            .await
            .expect("every replica's changes reach the server after the heal");
    }
    let mut fresh = connect(server, "fresh").await;
    fresh.fetch_all(&records).await.unwrap();
    // Every node has heard every other's last changes (through the database's
    // notifications) before the heads are taken.
    for node in nodes.iter().skip(1) {
        let mut other = Peer::connect(&Endpoint::from(server.owner.on(&node.http())), "other")
            .await
            .unwrap();
        other.fetch_all(&records).await.unwrap();
        let mut same = false;
        for _ in 0..100 {
            same = records.iter().all(|id| {
                let (mut a, mut b) = (other.docs[id].get_heads(), fresh.docs[id].get_heads());
                a.sort();
                b.sort();
                a == b
            });
            if same {
                break;
            }
            let _ = other
                .pump_until(Duration::from_millis(100), |_| false)
                .await;
            let _ = fresh
                .pump_until(Duration::from_millis(100), |_| false)
                .await;
        }
        assert!(
            same,
            "seed {seed}: the nodes hold different heads after healing"
        );
    }
    let server_heads: HashMap<DocumentId, Vec<automerge::ChangeHash>> = records
        .iter()
        .map(|id| (*id, fresh.docs[id].get_heads()))
        .collect();
    let mut divergent = 0;
    for (n, replica) in replicas.iter_mut().enumerate() {
        let peer = replica.peer.as_mut().unwrap();
        let converged = peer
            .pump_until(Duration::from_secs(30), |p| {
                records.iter().all(|id| {
                    let mut mine = p.docs[id].get_heads();
                    let mut theirs = server_heads[id].clone();
                    mine.sort();
                    theirs.sort();
                    mine == theirs
                })
            })
            .await
            .unwrap_or(false);
        if !converged {
            divergent += 1;
            eprintln!("replica {n} did not converge");
            continue;
        }
        for id in &records {
            assert_eq!(
                Entry::of(&peer.docs[id]).encode(),
                Entry::of(&fresh.docs[id]).encode(),
                "replica {n}'s read-model row of {id} differs from the server's"
            );
        }
    }
    // The server's projection shows the merged values.
    for id in &records {
        let record = read_account(&fresh.docs[id]).unwrap();
        let mut shown = false;
        for _ in 0..200 {
            let (status, body) = admin.get(&format!("/api/v1/accounts/{id}")).await;
            if status == 200
                && body["fields"]["city"] == record.city.as_str()
                && body["fields"]["phone"] == record.phone.as_str()
                && body["fields"]["notes"] == record.common.notes.as_str()
            {
                shown = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(
            shown,
            "the server's projection of {id} is not the merged record"
        );
    }
    eprintln!(
        "convergence: seed {seed}, {} node(s): {edits} edits by {CLIENTS} replicas over {RECORDS} records, \
         {cuts} cuts, {heals} heals, {op} steps, {lost_sends} sends lost to a cut; divergent \
         replicas after healing: {divergent}",
        nodes.len()
    );
    assert_eq!(divergent, 0, "seed {seed}: replicas diverged");
    for node in nodes {
        node.shutdown().await.unwrap();
    }
}
