//! Several nodes on one PostgreSQL, the cursor change feed, eviction, and a node killed
//! mid-sync.

mod common;

use std::collections::HashSet;

use common::*;
use saha_bench::process::ServerProcess;
use saha_core::DocumentId;

/// The member's feed holds exactly the documents changed since the cursor that the
/// member may see. Run on either backend.
async fn the_feed_is_exact(server: &TestServer) {
    let north = server.team("Kuzey").await;
    let south = server.team("Güney").await;
    let rep = server
        .member("kuzey@anadolu.test", "sales_rep", &[&north])
        .await;
    let mut owner = connect(server, "owner").await;
    let (ours, theirs, shared) = (
        DocumentId::random(),
        DocumentId::random(),
        DocumentId::random(),
    );
    owner.docs.insert(ours, account("Karadeniz Gıda", &north));
    owner.docs.insert(theirs, account("Akdeniz Tarım", &south));
    owner.docs.insert(shared, account("Ortak Lojistik", ""));
    owner.push_all(&[ours, theirs, shared]).await.unwrap();

    let index = server.owner.index_id().await.unwrap();
    let first = rep.changes(0).await.unwrap();
    let seen: HashSet<DocumentId> = first.ids().into_iter().collect();
    assert_eq!(
        seen,
        HashSet::from([index, ours, shared]),
        "the index, the team's and the shared account; not another team's"
    );
    assert_eq!(first.total, 3);
    for (id, bytes) in &first.documents {
        let doc = automerge::Automerge::load(bytes).unwrap();
        if *id == ours {
            assert_eq!(read_account(&doc).unwrap().name, "Karadeniz Gıda");
        }
    }
    let everything = server.owner.changes(0).await.unwrap();
    assert_eq!(everything.documents.len(), 4, "the owner sees all four");

    // Nothing changed: nothing comes, the cursor stays.
    let again = rep.changes(first.cursor).await.unwrap();
    assert!(again.documents.is_empty());
    assert_eq!(again.cursor, first.cursor);

    // One permitted change: exactly that document.
    edit(owner.docs.get_mut(&ours).unwrap(), |f| {
        f.set("city", "Trabzon")
    });
    owner.push(ours).await.unwrap();
    let after = rep.changes(first.cursor).await.unwrap();
    assert_eq!(after.ids(), vec![ours]);
    assert!(after.cursor > first.cursor);
    let doc = automerge::Automerge::load(&after.documents[0].1).unwrap();
    assert_eq!(read_account(&doc).unwrap().city, "Trabzon");

    // A change the member may not see: the cursor moves, nothing is sent.
    edit(owner.docs.get_mut(&theirs).unwrap(), |f| {
        f.set("city", "Antalya")
    });
    owner.push(theirs).await.unwrap();
    let hidden = rep.changes(after.cursor).await.unwrap();
    assert!(hidden.documents.is_empty());
    assert!(hidden.cursor > after.cursor);
    let owner_view = server.owner.changes(after.cursor).await.unwrap();
    assert_eq!(owner_view.ids(), vec![theirs]);

    // Without a session there is no feed.
    let anonymous = reqwest::get(format!("{}/api/sync/changes?since=0", server.http()))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn the_change_feed_is_exact_on_embedded_storage() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    the_feed_is_exact(&server).await;
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_change_feed_is_exact_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database().await;
    let server = start_on_postgres(&db, dir.path()).await;
    the_feed_is_exact(&server).await;
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_on_one_postgres_converge_and_share_sessions_and_tickets() {
    let (dir1, dir2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let db = fresh_database().await;
    let node1 = start_on_postgres(&db, dir1.path()).await;
    let node2 = start_on_postgres(&db, dir2.path()).await;
    let node2_url = node2.http();
    // The session made on node 1 works on node 2.
    let owner_on_2 = node1.owner.on(&node2_url);
    let (status, me) = owner_on_2.get("/api/auth/me").await.unwrap();
    assert_eq!(status, 200, "{me}");

    let mut on1 = connect(&node1, "office-1").await;
    // A ticket issued by node 1, redeemed on node 2.
    let ticket = node1.owner.ticket_url().await.unwrap();
    let on_node2 = ticket.replace(&node1.addr.to_string(), &node2.addr.to_string());
    assert_ne!(ticket, on_node2);
    let mut on2 = Peer::connect_url(&on_node2, "office-2").await.unwrap();
    // …once: the same ticket is refused again on either node.
    assert!(Peer::connect_url(&on_node2, "again").await.is_err());
    assert!(Peer::connect_url(&ticket, "again").await.is_err());

    let id = DocumentId::random();
    on1.docs.insert(id, account("Marmara Makine", ""));
    on1.push(id).await.unwrap();
    let fetched = on2.fetch(id).await.unwrap();
    assert_eq!(read_account(fetched).unwrap().name, "Marmara Makine");

    // A change on node 1 reaches the client of node 2 live, and back.
    edit(on1.docs.get_mut(&id).unwrap(), |f| f.set("city", "Bursa"));
    on1.push(id).await.unwrap();
    assert!(
        pump_until(&mut on2, |p| read_account(&p.docs[&id])
            .is_ok_and(|a| a.city == "Bursa"))
        .await,
        "node 2's client got node 1's change"
    );
    edit(on2.docs.get_mut(&id).unwrap(), |f| {
        f.set("name", "Marmara Makine A.Ş.")
    });
    on2.push(id).await.unwrap();
    assert!(
        pump_until(&mut on1, |p| read_account(&p.docs[&id])
            .is_ok_and(|a| a.name == "Marmara Makine A.Ş."))
        .await,
        "node 1's client got node 2's change"
    );
    // Both nodes' stored copies hold both changes.
    for node in [&node1, &node2] {
        let fresh = node1.owner.on(&node.http()).changes(0).await.unwrap();
        let (_, bytes) = fresh.documents.iter().find(|(d, _)| *d == id).unwrap();
        let account = read_account(&automerge::Automerge::load(bytes).unwrap()).unwrap();
        assert_eq!(
            (account.city.as_str(), account.name.as_str()),
            ("Bursa", "Marmara Makine A.Ş.")
        );
    }
    node1.shutdown().await.unwrap();
    node2.shutdown().await.unwrap();
}

#[tokio::test]
async fn idle_documents_leave_memory_and_come_back_on_use() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = saha_server::Config::for_tests(dir.path().to_path_buf(), site_root());
    config.max_live_documents = 10;
    config.idle_eviction_seconds = 3600;
    let server = start_with(config).await;
    let mut owner = connect(&server, "owner").await;
    let ids: Vec<DocumentId> = (0..50).map(|_| DocumentId::random()).collect();
    for (i, id) in ids.iter().enumerate() {
        owner.docs.insert(*id, account(&format!("Firma {i}"), ""));
    }
    owner.push_all(&ids).await.unwrap();
    // Past the limit by a quarter, documents are dropped at once (documents tracked by
    // a connection are held only by the map between messages, so they may go).
    assert!(
        server.hub.live_count() <= 12,
        "{} documents in memory",
        server.hub.live_count()
    );
    // A sweep brings it down to the limit, keeping the most recently used.
    server.hub.evict();
    assert!(server.hub.live_count() <= 10);
    // A dropped document loads again, with every change, when someone needs it.
    let mut reader = connect(&server, "reader").await;
    reader.fetch_all(&ids).await.unwrap();
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            read_account(&reader.docs[id]).unwrap().name,
            format!("Firma {i}")
        );
    }
    // A change to an evicted document still reaches a connection that tracks it.
    server.hub.evict();
    edit(reader.docs.get_mut(&ids[0]).unwrap(), |f| {
        f.set("city", "Konya")
    });
    reader.push(ids[0]).await.unwrap();
    assert!(
        pump_until(&mut owner, |p| read_account(&p.docs[&ids[0]])
            .is_ok_and(|a| a.city == "Konya"))
        .await
    );
    server.shutdown().await.unwrap();
}

/// Two server processes on one database; node 1 is killed with SIGKILL while a client
/// is pushing. Every change node 1 acknowledged is on node 2, and the client, moved to
/// node 2, gets the rest stored there.
#[tokio::test(flavor = "multi_thread")]
async fn a_killed_node_loses_no_acknowledged_change_and_clients_fail_over() {
    let bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_saha-server"));
    let db = fresh_database().await;
    let (dir1, dir2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut node1 =
        ServerProcess::start_saha_node(&bin, &site_root(), dir1.path().into(), Some(&db), &[])
            .await
            .unwrap();
    let node2 =
        ServerProcess::start_saha_node(&bin, &site_root(), dir2.path().into(), Some(&db), &[])
            .await
            .unwrap();
    let saha_bench::api_client::Endpoint::Saha(owner) = node1.sync.clone() else {
        panic!("a Saha node")
    };
    let mut client = Peer::connect(&node1.sync, "field-rep").await.unwrap();
    let ids: Vec<DocumentId> = (0..400).map(|_| DocumentId::random()).collect();
    for (i, id) in ids.iter().enumerate() {
        client
            .docs
            .insert(*id, account(&format!("Müşteri {i}"), ""));
    }
    // The first half is acknowledged; the second half is in flight when node 1 dies.
    client.push_all(&ids[..200]).await.unwrap();
    for id in &ids[200..] {
        client.offer(*id).await.unwrap();
    }
    let _ = tokio::time::timeout(std::time::Duration::from_millis(30), client.handle_next()).await;
    node1.child.start_kill().unwrap();
    let _ = node1.child.wait().await;
    let acknowledged: Vec<DocumentId> = ids
        .iter()
        .copied()
        .filter(|id| client.confirmed(id))
        .collect();
    assert!(acknowledged.len() >= 200);

    // Every acknowledged change is on node 2.
    let on2 = owner.on(node2.http_url.as_deref().unwrap());
    let stored = on2.changes(0).await.unwrap();
    let stored_ids: HashSet<DocumentId> = stored.ids().into_iter().collect();
    for id in &acknowledged {
        assert!(stored_ids.contains(id), "acknowledged {id} was lost");
    }
    // The client fails over: a new connection to node 2 pushes what was not confirmed.
    let mut moved = Peer::connect(&on2.clone().into(), "field-rep")
        .await
        .unwrap();
    moved.docs = std::mem::take(&mut client.docs);
    moved.push_all(&ids).await.unwrap();
    let all = on2.changes(0).await.unwrap();
    let all_ids: HashSet<DocumentId> = all.ids().into_iter().collect();
    for (i, id) in ids.iter().enumerate() {
        assert!(all_ids.contains(id));
        let (_, bytes) = all.documents.iter().find(|(d, _)| d == id).unwrap();
        let doc = automerge::Automerge::load(bytes).unwrap();
        assert_eq!(doc.get_heads().len(), 1);
        assert_eq!(read_account(&doc).unwrap().name, format!("Müşteri {i}"));
    }
    node2.stop().await;
    node1.stop().await;
}
