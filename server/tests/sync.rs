//! The sync endpoint against a real server on port 0.

mod common;

use common::{
    account, closed_by_server, connect, edit, pump_until, raw_socket, read_account, start,
};
use futures_util::SinkExt;
use saha_core::DocumentId;

use saha_protocol::wire::{DocMessage, Message, PeerMetadata};
use tokio_tungstenite::tungstenite::Message as WsMessage;

#[tokio::test]
async fn two_peers_converge_through_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut a = connect(&server, "peer-a").await;
    let mut b = connect(&server, "peer-b").await;

    let id = DocumentId::random();
    a.docs.insert(id, account("Boğaziçi Danışmanlık", ""));
    a.push(id).await.unwrap();

    let doc = b.fetch(id).await.unwrap();
    assert_eq!(read_account(doc).unwrap().name, "Boğaziçi Danışmanlık");

    // B edits; A gets it by fan-out without asking.
    edit(b.docs.get_mut(&id).unwrap(), |f| f.set("city", "İstanbul"));
    b.push(id).await.unwrap();
    assert!(
        pump_until(&mut a, |p| read_account(&p.docs[&id]).unwrap().city
            == "İstanbul")
        .await
    );
    // Concurrent edits to different fields merge.
    edit(a.docs.get_mut(&id).unwrap(), |f| {
        f.set("phone", "0532 000 11 22")
    });
    edit(b.docs.get_mut(&id).unwrap(), |f| {
        f.set("email", "bilgi@bogazici.com.tr")
    });
    a.push(id).await.unwrap();
    b.push(id).await.unwrap();
    assert!(
        pump_until(&mut a, |p| p.docs[&id].get_heads()
            == b.docs[&id].get_heads())
        .await
    );
    for peer in [&a, &b] {
        let merged = read_account(&peer.docs[&id]).unwrap();
        assert_eq!(merged.phone, "+905320001122");
        assert_eq!(merged.email, "bilgi@bogazici.com.tr");
        assert_eq!(merged.city, "İstanbul");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_restart_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let index_before = server.owner.index_id().await.unwrap();
    let mut a = connect(&server, "peer-a").await;
    let ids: Vec<DocumentId> = (0..20).map(|_| DocumentId::random()).collect();
    for (n, id) in ids.iter().enumerate() {
        a.docs.insert(*id, account(&format!("Müşteri {n}"), ""));
        a.push(*id).await.unwrap();
    }
    // Enough edits on one document to pass a compaction.
    for n in 0..70 {
        edit(a.docs.get_mut(&ids[0]).unwrap(), |f| {
            f.set("notes", format!("not {n}"))
        });
        a.push(ids[0]).await.unwrap();
    }
    let expected: Vec<_> = ids.iter().map(|id| a.docs[id].get_heads()).collect();
    drop(a);
    server.shutdown().await.unwrap();

    let server = start(dir.path()).await;
    assert_eq!(server.owner.index_id().await.unwrap(), index_before);
    let mut b = connect(&server, "peer-b").await;
    for (id, heads) in ids.iter().zip(expected) {
        let doc = b.fetch(*id).await.unwrap();
        assert_eq!(doc.get_heads(), heads);
    }
    assert_eq!(
        read_account(&b.docs[&ids[0]]).unwrap().common.notes,
        "not 69"
    );
    assert!(server.hub.storage().chunk_count(&ids[0]).await.unwrap() < 70);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_document_nobody_has_is_unavailable_until_someone_creates_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut waiting = connect(&server, "waiting").await;
    let id = DocumentId::random();
    waiting.offer(id).await.unwrap();
    assert!(pump_until(&mut waiting, |p| p.unavailable.contains(&id)).await);

    let mut creator = connect(&server, "creator").await;
    creator.docs.insert(id, account("Geç Gelen A.Ş.", ""));
    creator.push(id).await.unwrap();
    assert!(
        pump_until(&mut waiting, |p| p
            .docs
            .get(&id)
            .is_some_and(|d| !d.get_heads().is_empty()))
        .await,
        "the waiting peer was not sent the document once it existed"
    );
    assert_eq!(
        read_account(&waiting.docs[&id]).unwrap().name,
        "Geç Gelen A.Ş."
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_input_closes_only_that_connection_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut good = connect(&server, "good").await;
    let id = DocumentId::random();
    good.docs.insert(id, account("Sağlam Ticaret", ""));
    good.push(id).await.unwrap();
    let chunks = server.hub.storage().chunk_count(&id).await.unwrap();

    // Not CBOR at all.
    let mut ws = raw_socket(&server).await;
    ws.send(WsMessage::Binary(b"not cbor".to_vec().into()))
        .await
        .unwrap();
    assert!(closed_by_server(&mut ws).await.is_some());

    // A text frame.
    let mut ws = raw_socket(&server).await;
    ws.send(WsMessage::Text("hello".into())).await.unwrap();
    closed_by_server(&mut ws).await;

    // A sync message before the handshake.
    let mut ws = raw_socket(&server).await;
    let early = Message::Sync(DocMessage {
        sender_id: "x".into(),
        target_id: "server".into(),
        document_id: id,
        data: vec![0x42],
    });
    ws.send(WsMessage::Binary(early.encode().into()))
        .await
        .unwrap();
    closed_by_server(&mut ws).await;

    // A valid frame whose Automerge payload is garbage, for an existing document.
    let mut bad = connect(&server, "bad").await;
    let garbage = Message::Sync(DocMessage {
        sender_id: bad.conn.local_id().to_owned(),
        target_id: bad.conn.remote_id().unwrap().to_owned(),
        document_id: id,
        data: vec![0x42, 0x13, 0x37, 0xff, 0xff, 0x00, 0x01],
    });
    bad.ws
        .send(WsMessage::Binary(garbage.encode().into()))
        .await
        .unwrap();
    let reason = closed_by_server(&mut bad.ws).await.unwrap_or_default();
    assert!(reason.contains("sync message"), "{reason}");

    // A well-formed sync message carrying a change bundle that makes Automerge 0.12
    // panic (found by the `document_load` fuzz target): refused, the connection closed
    // with the error, and the document stays as it was for everyone.
    let mut crafted = connect(&server, "crafted").await;
    let bundle = include_bytes!("../../fuzz/crashers/document_load/bundle-that-panics-automerge");
    let mut message = automerge::sync::Message::decode(&[
        0x42, 0x00, 0x00, 0x00, 0x00, // v1: no heads, needs, haves or changes
    ])
    .unwrap();
    message.changes = automerge::sync::ChunkList::from(bundle.to_vec());
    let poisoned = Message::Sync(DocMessage {
        sender_id: crafted.conn.local_id().to_owned(),
        target_id: crafted.conn.remote_id().unwrap().to_owned(),
        document_id: id,
        data: message.encode(),
    });
    crafted
        .ws
        .send(WsMessage::Binary(poisoned.encode().into()))
        .await
        .unwrap();
    let reason = closed_by_server(&mut crafted.ws).await.unwrap_or_default();
    assert!(reason.contains("bundle"), "{reason}");
    let mut after = connect(&server, "after").await;
    assert_eq!(
        read_account(after.fetch(id).await.unwrap()).unwrap().name,
        "Sağlam Ticaret"
    );

    // A sender ID that is not the one that joined.
    let mut spoof = connect(&server, "spoof").await;
    let spoofed = Message::Sync(DocMessage {
        sender_id: "good".into(),
        target_id: "server".into(),
        document_id: id,
        data: vec![],
    });
    spoof
        .ws
        .send(WsMessage::Binary(spoofed.encode().into()))
        .await
        .unwrap();
    closed_by_server(&mut spoof.ws).await;

    // Larger than the server's message limit (1 MiB in tests).
    let mut big = connect(&server, "big").await;
    big.ws
        .send(WsMessage::Binary(vec![0u8; 2 * 1024 * 1024].into()))
        .await
        .ok();
    closed_by_server(&mut big.ws).await;

    // An unsupported protocol version.
    let mut ws = raw_socket(&server).await;
    let join = Message::Join {
        sender_id: "old".into(),
        supported_protocol_versions: vec!["0".into()],
        peer_metadata: PeerMetadata::default(),
    };
    ws.send(WsMessage::Binary(join.encode().into()))
        .await
        .unwrap();
    assert!(
        closed_by_server(&mut ws)
            .await
            .unwrap_or_default()
            .contains("protocol")
    );

    // Nothing was stored from any of them, and the good peer still syncs.
    assert_eq!(server.hub.storage().chunk_count(&id).await.unwrap(), chunks);
    edit(good.docs.get_mut(&id).unwrap(), |f| {
        f.set("city", "Eskişehir")
    });
    good.push(id).await.unwrap();
    let mut check = connect(&server, "check").await;
    assert_eq!(
        read_account(check.fetch(id).await.unwrap()).unwrap().city,
        "Eskişehir"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn http_serves_the_shell_and_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let base = server.http();
    let client = reqwest::Client::new();

    let (status, info) = server.owner.get("/api/workspace").await.unwrap();
    assert_eq!(status, 200);
    let index_url = info["indexUrl"].as_str().unwrap();
    let index_id = index_url
        .parse::<saha_core::AutomergeUrl>()
        .unwrap()
        .document_id();
    assert_eq!(info["name"], "Anadolu");
    // Without a session there is no workspace to learn about.
    let anonymous = client
        .get(format!("{base}/api/workspace"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    // The index is a document any peer can fetch and walk.
    let mut peer = connect(&server, "walker").await;
    let index = peer.fetch(index_id).await.unwrap();
    assert!(saha_core::workspace::is_ready(index));

    for path in ["/", "/accounts/new", "/accounts/anything/edit"] {
        let response = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a script nonce")
            .to_owned();
        let html = response.text().await.unwrap();
        assert!(html.contains("/boot.js"), "{path}: {html}");
        assert!(
            html.contains(&format!(r#"nonce="{nonce}""#)),
            "{path}: the boot script carries the response's nonce: {html}"
        );
        // Every script, Leptos's own inline bootstrap included, carries the nonce.
        assert_eq!(
            html.matches("<script").count(),
            html.matches(&format!(r#"nonce="{nonce}""#)).count(),
            "{path}: {html}"
        );
        assert!(html.contains("manifest.webmanifest"));
        assert!(html.contains(r#"lang="tr""#));
    }
    server.shutdown().await.unwrap();
}
