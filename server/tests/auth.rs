//! Authentication and authorization against a real server on port 0: tickets, Origin,
//! workspaces as tenants, roles and teams, revocation, limits, rate limiting, the
//! audit log and the operator CLI.

mod common;

use automerge::Automerge;
use common::{
    ApiClient, OWNER_EMAIL, PASSWORD, account, closed_by_server, connect, connect_as, edit,
    offered_and_confirmed, pump_until, read_account, site_root, start, start_embedded, start_with,
};
use saha_bench::peer::Peer;
use saha_core::DocumentId;
use saha_server::storage::DocumentStore;

use saha_server::Config;
use serde_json::json;

/// Offers `id` and waits briefly for the server to confirm it; `false` if it did not.
async fn upgrade_status(url: &str, origin: Option<&str>) -> Option<u16> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = url.into_client_request().unwrap();
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok(_) => None,
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Some(response.status().as_u16())
        }
        Err(e) => panic!("unexpected failure: {e}"),
    }
}

#[tokio::test]
async fn sync_needs_a_fresh_single_use_ticket_and_an_allowed_origin() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let base = format!("ws://{}/sync", server.addr);

    assert_eq!(upgrade_status(&base, None).await, Some(401), "no ticket");
    assert_eq!(
        upgrade_status(&format!("{base}?ticket=guessed"), None).await,
        Some(401),
        "made-up ticket"
    );
    let url = server.owner.ticket_url().await.unwrap();
    assert_eq!(upgrade_status(&url, None).await, None, "valid ticket");
    assert_eq!(upgrade_status(&url, None).await, Some(401), "reused ticket");

    let own = format!("http://{}", server.addr);
    let url = server.owner.ticket_url().await.unwrap();
    assert_eq!(
        upgrade_status(&url, Some("https://evil.example")).await,
        Some(403),
        "foreign origin"
    );
    let url = server.owner.ticket_url().await.unwrap();
    assert_eq!(upgrade_status(&url, Some(&own)).await, None, "own origin");

    // Tickets are only handed out to a session.
    let anonymous = reqwest::Client::new()
        .post(format!("{own}/api/sync/ticket"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    // State-changing calls from a foreign origin are refused even with a session.
    let foreign = reqwest::Client::new()
        .post(format!("{own}/api/sync/ticket"))
        .header("cookie", server.owner.cookie())
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    server.shutdown().await.unwrap();

    // Expired tickets do not open sockets.
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_path_buf(), site_root());
    config.ticket_seconds = 0;
    let server = start_with(config).await;
    let url = server.owner.ticket_url().await.unwrap();
    assert_eq!(
        upgrade_status(&url, None).await,
        Some(401),
        "expired ticket"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn another_workspace_cannot_read_write_or_detect_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut owner_a = connect(&server, "a").await;
    let secret = DocumentId::random();
    owner_a
        .docs
        .insert(secret, account("Gizli Müşteri A.Ş.", ""));
    owner_a.push(secret).await.unwrap();
    let chunks = server.hub.storage().chunk_count(&secret).await.unwrap();

    // A second tenant on the same server.
    let hash = saha_server::directory::hash_password(PASSWORD).unwrap();
    saha_server::http::setup::provision_workspace(
        &server.state,
        "Rakip",
        "Rakip Sahibi",
        "sahip@rakip.test",
        hash,
        false,
    )
    .await
    .unwrap();
    let other = ApiClient::login(&server.http(), "sahip@rakip.test", PASSWORD)
        .await
        .unwrap();
    let mut intruder = connect_as(&other, "intruder").await;

    // Asking for it looks exactly like asking for a document that does not exist.
    let missing = DocumentId::random();
    intruder.fetch_all(&[secret, missing]).await.unwrap();
    assert!(intruder.unavailable.contains(&secret));
    assert!(intruder.unavailable.contains(&missing));
    assert!(!intruder.has(&secret));

    // Writing to it by URL stores nothing and reaches nobody.
    let mut forged = account("Ele Geçirildi", "");
    forged
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            tx.put(automerge::ROOT, "name", "Ele Geçirildi")
        })
        .unwrap();
    intruder.docs.insert(secret, forged);
    assert!(!offered_and_confirmed(&mut intruder, secret).await);
    assert_eq!(
        server.hub.storage().chunk_count(&secret).await.unwrap(),
        chunks
    );
    let mut check = connect(&server, "check").await;
    assert_eq!(
        read_account(check.fetch(secret).await.unwrap())
            .unwrap()
            .name,
        "Gizli Müşteri A.Ş."
    );
    // The other workspace's own index is not readable either.
    let index_a = server.owner.index_id().await.unwrap();
    intruder.fetch_all(&[index_a]).await.unwrap();
    assert!(intruder.unavailable.contains(&index_a));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn roles_and_teams_decide_what_syncs() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let istanbul = server.team("İstanbul").await;
    let izmir = server.team("İzmir").await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[&istanbul])
        .await;
    let viewer = server
        .member("izleyici@anadolu.test", "read_only", &[&istanbul])
        .await;

    let mut owner = connect(&server, "owner").await;
    let (ours, theirs) = (DocumentId::random(), DocumentId::random());
    owner
        .docs
        .insert(ours, account("Boğaziçi Lojistik", &istanbul));
    owner.docs.insert(theirs, account("Ege Tekstil", &izmir));
    owner.push_all(&[ours, theirs]).await.unwrap();

    // A rep receives their team's account, not another team's.
    let mut rep_peer = connect_as(&rep, "rep").await;
    rep_peer.fetch_all(&[ours, theirs]).await.unwrap();
    assert!(rep_peer.has(&ours));
    assert!(!rep_peer.has(&theirs));
    assert!(rep_peer.unavailable.contains(&theirs));

    // A rep edits their account, but cannot move it to another team.
    edit(rep_peer.docs.get_mut(&ours).unwrap(), |f| {
        f.set("city", "Kadıköy")
    });
    rep_peer.push(ours).await.unwrap();
    let mut moved = rep_peer.docs[&ours].clone();
    edit(&mut moved, |f| f.set("team", izmir));
    let mut rep_again = connect_as(&rep, "rep-2").await;
    rep_again.fetch(ours).await.unwrap();
    rep_again.docs.insert(ours, moved);
    assert!(!offered_and_confirmed(&mut rep_again, ours).await);
    let mut check = connect(&server, "check").await;
    let stored = read_account(check.fetch(ours).await.unwrap()).unwrap();
    assert_eq!(
        (stored.city.as_str(), stored.common.team.as_str()),
        ("Kadıköy", istanbul.as_str())
    );

    // A read-only member reads but changes nothing.
    let mut viewer_peer = connect_as(&viewer, "viewer").await;
    viewer_peer.fetch(ours).await.unwrap();
    let chunks = server.hub.storage().chunk_count(&ours).await.unwrap();
    edit(viewer_peer.docs.get_mut(&ours).unwrap(), |f| {
        f.set("name", "Değişti")
    });
    assert!(!offered_and_confirmed(&mut viewer_peer, ours).await);
    assert_eq!(
        server.hub.storage().chunk_count(&ours).await.unwrap(),
        chunks
    );
    let mut check = connect(&server, "check-2").await;
    assert_eq!(
        read_account(check.fetch(ours).await.unwrap()).unwrap().name,
        "Boğaziçi Lojistik"
    );
    // Nor can they create documents.
    let created = DocumentId::random();
    viewer_peer.docs.insert(created, account("Yeni", ""));
    assert!(!offered_and_confirmed(&mut viewer_peer, created).await);
    assert!(server.hub.storage().load(created).await.unwrap().is_none());

    // A rep may list records in the workspace index, not rename the workspace.
    let index = server.owner.index_id().await.unwrap();
    let mut rep_index = connect_as(&rep, "rep-index").await;
    rep_index.fetch(index).await.unwrap();
    let listed = DocumentId::random();
    saha_core::workspace::add_record(
        rep_index.docs.get_mut(&index).unwrap(),
        listed,
        "account",
        1,
    )
    .unwrap();
    rep_index.push(index).await.unwrap();
    rep_index
        .docs
        .get_mut(&index)
        .unwrap()
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            tx.put(automerge::ROOT, "name", "Ele geçirildi")
        })
        .unwrap();
    assert!(!offered_and_confirmed(&mut rep_index, index).await);

    // Every refusal is in the audit log, which only admins read.
    let (status, log) = server.owner.get("/api/audit").await.unwrap();
    assert_eq!(status, 200);
    let denials = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sync.denied")
        .count();
    assert_eq!(denials, 4, "{log:#}");
    let (status, _) = rep.get("/api/audit").await.unwrap();
    assert_eq!(status, 403);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn moving_an_account_into_a_team_sends_it_to_that_teams_reps() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let ankara = server.team("Ankara").await;
    let bursa = server.team("Bursa").await;
    let rep = server
        .member("ankara@anadolu.test", "sales_rep", &[&ankara])
        .await;
    let mut owner = connect(&server, "owner").await;
    let id = DocumentId::random();
    owner.docs.insert(id, account("Bursa Otomotiv", &bursa));
    owner.push(id).await.unwrap();

    let mut rep_peer = connect_as(&rep, "rep").await;
    rep_peer.fetch_all(&[id]).await.unwrap();
    assert!(!rep_peer.has(&id));
    // An admin moves it to Ankara: the rep, still connected, receives it.
    edit(owner.docs.get_mut(&id).unwrap(), |f| f.set("team", ankara));
    owner.push(id).await.unwrap();
    assert!(pump_until(&mut rep_peer, |p| p.has(&id)).await);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn logout_disabling_and_role_changes_close_sockets_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let rep = server.member("gecici@anadolu.test", "sales_rep", &[]).await;

    // Logging out closes that session's sockets.
    let mut peer = connect_as(&rep, "rep").await;
    let (status, _) = rep.post("/api/auth/logout", &json!({})).await.unwrap();
    assert_eq!(status, 204);
    assert!(closed_by_server(&mut peer.ws).await.is_some());
    assert!(rep.ticket_url().await.is_err(), "the session is gone");

    // Disabling a member closes their sockets and ends every session.
    let rep = ApiClient::login(&server.http(), "gecici@anadolu.test", PASSWORD)
        .await
        .unwrap();
    let mut peer = connect_as(&rep, "rep").await;
    let (_, members) = server.owner.get("/api/members").await.unwrap();
    let rep_id = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "gecici@anadolu.test")
        .unwrap()["userId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = server
        .owner
        .send(
            reqwest::Method::PATCH,
            &format!("/api/members/{rep_id}"),
            &json!({ "disabled": true }),
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(closed_by_server(&mut peer.ws).await.is_some());
    assert!(rep.ticket_url().await.is_err());
    assert!(
        ApiClient::login(&server.http(), "gecici@anadolu.test", PASSWORD)
            .await
            .is_err(),
        "a disabled member cannot log in"
    );

    // The last owner cannot demote themselves out of the workspace.
    let (_, me) = server.owner.get("/api/auth/me").await.unwrap();
    let (status, _) = server
        .owner
        .send(
            reqwest::Method::PATCH,
            &format!("/api/members/{}", me["userId"].as_str().unwrap()),
            &json!({ "role": "read_only" }),
        )
        .await
        .unwrap();
    assert_eq!(status, 409);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn wrong_passwords_are_rate_limited_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let client = reqwest::Client::new();
    let login = |password: &'static str| {
        client
            .post(format!("{}/api/auth/login", server.http()))
            .json(&json!({ "email": OWNER_EMAIL, "password": password }))
            .send()
    };
    for _ in 0..saha_server::throttle::LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS {
        let response = login("yanlış-parola-123").await.unwrap();
        assert_eq!(response.status(), 401);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "invalid_credentials");
    }
    // Now even the right password waits.
    let response = login(PASSWORD).await.unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    // An unknown address gets the same answer as a wrong password.
    let response = client
        .post(format!("{}/api/auth/login", server.http()))
        .json(&json!({ "email": "kimse@yok.test", "password": "yanlış-parola-123" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let (_, log) = server.owner.get("/api/audit").await.unwrap();
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"login.throttled"), "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "login.failed").count(), 5);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn invitations_expire_work_once_and_can_be_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let invite = |email: &'static str| {
        let owner = server.owner.clone();
        async move {
            let (status, body) = owner
                .post(
                    "/api/invitations",
                    &json!({ "role": "service_agent", "teams": [], "expiresInHours": 1, "email": email }),
                )
                .await
                .unwrap();
            assert_eq!(status, 201);
            body
        }
    };
    let first = invite("ajan@anadolu.test").await;
    let link = first["link"].as_str().unwrap();
    assert!(
        ApiClient::accept(link, "Ajan", "baska@anadolu.test", PASSWORD)
            .await
            .is_err(),
        "the invitation names another address"
    );
    let agent = ApiClient::accept(link, "Ajan", "ajan@anadolu.test", PASSWORD)
        .await
        .unwrap();
    let (_, me) = agent.get("/api/auth/me").await.unwrap();
    assert_eq!(me["role"], "service_agent");
    assert!(
        ApiClient::accept(link, "İkinci", "ikinci@anadolu.test", PASSWORD)
            .await
            .is_err(),
        "used once"
    );

    let second = invite("iptal@anadolu.test").await;
    let (status, _) = server
        .owner
        .send(
            reqwest::Method::DELETE,
            &format!("/api/invitations/{}", second["id"].as_str().unwrap()),
            &json!({}),
        )
        .await
        .unwrap();
    assert_eq!(status, 204);
    assert!(
        ApiClient::accept(
            second["link"].as_str().unwrap(),
            "İptal",
            "iptal@anadolu.test",
            PASSWORD
        )
        .await
        .is_err(),
        "revoked"
    );
    // Only admins invite.
    let (status, _) = agent
        .post(
            "/api/invitations",
            &json!({ "role": "admin", "teams": [], "expiresInHours": 1 }),
        )
        .await
        .unwrap();
    assert_eq!(status, 403);
    // The first-run page works once.
    let again = ApiClient::setup(&server.http(), "İkinci", "yeni@anadolu.test", PASSWORD).await;
    assert!(again.is_err());
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn documents_and_connections_have_limits() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_path_buf(), site_root());
    config.max_document_bytes = 64 * 1024;
    config.max_documents_per_connection = 50;
    let server = start_with(config).await;

    // A change that makes a document too large is refused and not stored.
    let mut peer = connect(&server, "big-doc").await;
    let id = DocumentId::random();
    peer.docs.insert(id, account("Büyük Belge", ""));
    peer.push(id).await.unwrap();
    let noise: String = (0..90_000)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    edit(peer.docs.get_mut(&id).unwrap(), |f| f.set("notes", noise));
    assert!(!offered_and_confirmed(&mut peer, id).await);
    let stored = Automerge::load(&server.hub.storage().load(id).await.unwrap().unwrap()).unwrap();
    assert!(read_account(&stored).unwrap().common.notes.is_empty());

    // Too many documents on one connection closes it; others carry on.
    let mut greedy = connect(&server, "greedy").await;
    for _ in 0..60 {
        greedy.offer(DocumentId::random()).await.ok();
    }
    assert!(
        closed_by_server(&mut greedy.ws)
            .await
            .unwrap_or_default()
            .contains("documents")
    );
    let mut fine = connect(&server, "fine").await;
    assert!(fine.fetch(id).await.is_ok());
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_admin_cli_creates_a_workspace_whose_owner_can_log_in() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_saha-server"))
        .args([
            "admin",
            "create-workspace",
            "--name",
            "Karadeniz",
            "--email",
        ])
        .arg("yonetici@karadeniz.test")
        .arg("--password-stdin")
        .arg("--data-dir")
        .arg(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("Karadeniz"));

    let server = saha_server::start(Config::for_tests(dir.path().to_path_buf(), site_root()))
        .await
        .unwrap();
    let http = format!("http://{}", server.addr);
    let owner = ApiClient::login(&http, "yonetici@karadeniz.test", PASSWORD)
        .await
        .unwrap();
    let (_, me) = owner.get("/api/auth/me").await.unwrap();
    assert_eq!(me["workspaceName"], "Karadeniz");
    assert_eq!(me["role"], "owner");
    let url = owner.ticket_url().await.unwrap();
    let mut peer = Peer::connect_url(&url, "cli-owner").await.unwrap();
    let index: saha_core::AutomergeUrl = me["indexUrl"].as_str().unwrap().parse().unwrap();
    assert!(peer.fetch(index.document_id()).await.is_ok());
    let (status, _) = owner.get("/api/setup").await.unwrap();
    assert_eq!(status, 200);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_first_workspace_adopts_documents_stored_before_accounts_existed() {
    let dir = tempfile::tempdir().unwrap();
    let (index, record) = (DocumentId::random(), DocumentId::random());
    {
        // Storage as the server before workspaces wrote it (layout version 1): chunks
        // keyed `document ‖ sequence`, the index's ID in the META table, no catalog.
        let db = redb::Database::create(dir.path().join("saha.redb")).unwrap();
        let chunks: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("chunks");
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        let mut index_doc = saha_core::workspace::create("Eski").unwrap();
        saha_core::workspace::add_record(&mut index_doc, record, "account", 1).unwrap();
        let tx = db.begin_write().unwrap();
        {
            let mut t = tx.open_table(chunks).unwrap();
            for (id, bytes) in [
                (index, index_doc.save()),
                (record, account("Eski Müşteri", "").save()),
            ] {
                let mut key = id.as_bytes().to_vec();
                key.extend_from_slice(&0u64.to_be_bytes());
                t.insert(key.as_slice(), bytes.as_slice()).unwrap();
            }
            tx.open_table(meta)
                .unwrap()
                .insert("workspace_index", index.as_bytes().as_slice())
                .unwrap();
        }
        tx.commit().unwrap();
    }
    // The legacy layout is the embedded file's.
    let server = start_embedded(dir.path()).await;
    // The adopted index is rebuilt without its history (which may name any record);
    // the new one lists the shared record, the old one is retired.
    let rebuilt = server.owner.index_id().await.unwrap();
    assert_ne!(rebuilt, index);
    let mut peer = connect(&server, "adopter").await;
    let index_doc = peer.fetch(rebuilt).await.unwrap();
    assert_eq!(
        saha_core::workspace::records(index_doc),
        vec![(record, "account".to_owned())]
    );
    assert_eq!(saha_core::workspace::name(index_doc), "Eski");
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let mut rep_peer = connect_as(&rep, "rep").await;
    rep_peer.fetch_all(&[index, rebuilt]).await.unwrap();
    assert!(rep_peer.unavailable.contains(&index), "the retired index");
    assert!(rep_peer.has(&rebuilt));
    assert_eq!(
        read_account(peer.fetch(record).await.unwrap())
            .unwrap()
            .name,
        "Eski Müşteri"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let laptop = ApiClient::login(&server.http(), OWNER_EMAIL, PASSWORD)
        .await
        .unwrap();
    let mut laptop_peer = connect_as(&laptop, "laptop").await;

    let (status, body) = server
        .owner
        .post(
            "/api/auth/password",
            &json!({ "currentPassword": "yanlış-parola-123", "newPassword": "yeni-parola-2027" }),
        )
        .await
        .unwrap();
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (401, Some("invalid_credentials"))
    );
    let (status, body) = server
        .owner
        .post(
            "/api/auth/password",
            &json!({ "currentPassword": PASSWORD, "newPassword": "kısa" }),
        )
        .await
        .unwrap();
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (400, Some("weak_password"))
    );
    let (status, _) = server
        .owner
        .post(
            "/api/auth/password",
            &json!({ "currentPassword": PASSWORD, "newPassword": "yeni-parola-2027" }),
        )
        .await
        .unwrap();
    assert_eq!(status, 204);
    // The other device's session and socket end; this one goes on.
    assert!(closed_by_server(&mut laptop_peer.ws).await.is_some());
    assert!(laptop.ticket_url().await.is_err());
    assert!(server.owner.ticket_url().await.is_ok());
    assert!(
        ApiClient::login(&server.http(), OWNER_EMAIL, PASSWORD)
            .await
            .is_err()
    );
    assert!(
        ApiClient::login(&server.http(), OWNER_EMAIL, "yeni-parola-2027")
            .await
            .is_ok()
    );
    server.shutdown().await.unwrap();
}
