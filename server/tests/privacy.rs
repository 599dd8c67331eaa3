//! The log of KVKK requests against a real server: who may read and write it (owners,
//! admins and privacy officers; a token only with a `privacy:` scope, never through
//! `*`), the 30-day deadline, validation of what is typed (the day, the person's
//! record, the answer before closing), the audit log without the person's name, and
//! the privacy officer's read-only reach over records.

mod common;

use common::*;
use reqwest::StatusCode;
use saha_core::time::civil::Date;
use serde_json::{Value, json};

fn today() -> Date {
    saha_core::privacy::request::today(saha_server::directory::now_ms())
}

fn request(name: &str, received: Date, person: &str) -> Value {
    json!({
        "kind": "erasure",
        "personName": name,
        "person": person,
        "contact": "kep: ayse@hs01.kep.tr",
        "channel": "kep",
        "receivedOn": received.to_string(),
        "description": "Tüm kayıtlarımın silinmesini istiyorum.",
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_log_keeps_deadlines_for_privacy_officers_and_admins_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let officer = server.member("kvkk@anadolu.test", "privacy", &[]).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;

    // A contact for the person (made by the owner through the REST API's session route).
    let (status, contact) = server
        .owner
        .post(
            "/api/v1/contacts",
            &json!({ "fields": { "name": "Ayşe Başvuran" } }),
        )
        .await
        .unwrap();
    assert_eq!(status, 201, "{contact}");
    let person = contact["id"].as_str().unwrap().to_owned();

    // A sales rep neither reads nor writes the log.
    let (status, _) = rep.get("/api/privacy/requests").await.unwrap();
    assert_eq!(status, 403);
    let (status, _) = rep
        .post(
            "/api/privacy/requests",
            &request("Ayşe Başvuran", today(), ""),
        )
        .await
        .unwrap();
    assert_eq!(status, 403);

    // The officer logs one that arrived 25 days ago, for the contact, and one today.
    let earlier = today().add_days(-25);
    let (status, late) = officer
        .post(
            "/api/privacy/requests",
            &request("Ayşe Başvuran", earlier, &person),
        )
        .await
        .unwrap();
    assert_eq!(status, 201, "{late}");
    assert_eq!(late["status"], "received");
    assert_eq!(late["dueOn"], earlier.add_days(30).to_string());
    assert_eq!(late["createdBy"], "kvkk@anadolu.test");
    let mut fresh_input = request("Mehmet Yeni", today(), "");
    fresh_input["kind"] = json!("access");
    fresh_input["channel"] = json!("in_person");
    let (status, fresh) = server
        .owner
        .post("/api/privacy/requests", &fresh_input)
        .await
        .unwrap();
    assert_eq!(status, 201, "{fresh}");

    // What cannot be logged says which field is wrong, and nothing is stored.
    for (bad, field) in [
        (request("Ayşe", today().add_days(1), ""), "receivedOn"),
        (request("Ayşe", today(), "not-a-record"), "person"),
        (request("  ", today(), ""), "personName"),
        (
            // A record ID of no contact, lead or account in this workspace.
            request(
                "Ayşe",
                today(),
                &saha_core::DocumentId::random().to_string(),
            ),
            "person",
        ),
    ] {
        let (status, body) = officer.post("/api/privacy/requests", &bad).await.unwrap();
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body.to_string().contains(field), "{field}: {body}");
    }
    let (status, body) = officer
        .post("/api/privacy/requests", &json!({ "kind": "forget me" }))
        .await
        .unwrap();
    assert!(status.is_client_error(), "{status} {body}");

    // The list: open ones, soonest due first.
    let (status, list) = officer.get("/api/privacy/requests").await.unwrap();
    assert_eq!(status, 200, "{list}");
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [late["id"].as_str().unwrap(), fresh["id"].as_str().unwrap()]
    );

    // Closing needs the answer; then the request carries its closing day and sorts last.
    let path = format!("/api/privacy/requests/{}", late["id"].as_str().unwrap());
    let mut answered = request("Ayşe Başvuran", earlier, &person);
    answered["status"] = json!("answered");
    let (status, body) = officer
        .send(reqwest::Method::PUT, &path, &answered)
        .await
        .unwrap();
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("answer"), "{body}");
    answered["answer"] = json!("Kayıtlarınız silindi; yazımız KEP ile gönderildi.");
    answered["evidence"] = json!("KEP 2026/118");
    let (status, closed) = officer
        .send(reqwest::Method::PUT, &path, &answered)
        .await
        .unwrap();
    assert_eq!(status, 200, "{closed}");
    assert_eq!(closed["status"], "answered");
    assert_eq!(closed["closedOn"], today().to_string());
    assert_eq!(closed["dueOn"], late["dueOn"]);
    assert_eq!(closed["createdBy"], "kvkk@anadolu.test");
    let (_, list) = officer.get("/api/privacy/requests").await.unwrap();
    assert_eq!(list[1]["id"], late["id"]);
    let (status, _) = rep.get(&path).await.unwrap();
    assert_eq!(status, 403);
    let (status, _) = officer
        .send(
            reqwest::Method::PUT,
            "/api/privacy/requests/no-such-request",
            &answered,
        )
        .await
        .unwrap();
    assert_eq!(status, 404);

    // The audit log names the request and what it is, never the person.
    let (_, audit) = server.owner.get("/api/audit").await.unwrap();
    let entries: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["action"]
                .as_str()
                .is_some_and(|a| a.starts_with("privacy.request_"))
        })
        .collect();
    assert_eq!(entries.len(), 3, "{audit}");
    assert!(entries.iter().any(|e| {
        e["target"] == late["id"]
            && e["action"] == "privacy.request_updated"
            && e["detail"]
                .as_str()
                .unwrap()
                .starts_with("erasure by kep: answered")
    }));
    // (The record's own creation names it, as every record's does: erasing that is
    // the erasure's work, not the log's.)
    let text = serde_json::to_string(&entries).unwrap();
    assert!(!text.contains("Ayşe") && !text.contains("Mehmet"), "{text}");

    // The officer reads every record and changes none; they may note an access answer.
    let (status, body) = officer
        .post(
            "/api/v1/accounts",
            &json!({ "fields": { "name": "Yazamaz A.Ş." } }),
        )
        .await
        .unwrap();
    assert_eq!(status, 403, "{body}");
    let (status, body) = officer
        .get(&format!("/api/v1/contacts/{person}"))
        .await
        .unwrap();
    assert_eq!(status, 200, "{body}");
    let (status, _) = officer
        .post(
            "/api/audit/privacy",
            &json!({ "person": person, "records": 1, "format": "json", "at": 0 }),
        )
        .await
        .unwrap();
    assert_eq!(status, 204);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_reaches_the_log_only_with_a_privacy_scope() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let rep_id = rep.user_id().await.unwrap();
    let everything = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    let reader = Rest::new(
        &server.http(),
        &token(&server, &["privacy:read"], None).await,
    );
    let writer = Rest::new(
        &server.http(),
        &token(&server, &["privacy:write"], None).await,
    );
    let rep_writer = Rest::new(
        &server.http(),
        &token(&server, &["privacy:write"], Some(&rep_id)).await,
    );

    // `*` is every record kind, not the people's requests.
    let (status, body) = everything.get("/api/v1/privacy/requests").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "insufficient_scope");
    let (status, body) = reader
        .post("/api/v1/privacy/requests", request("Ayşe", today(), ""))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // A token acts with its member's role: a sales rep's token is refused whatever
    // its scopes.
    let (status, body) = rep_writer
        .post("/api/v1/privacy/requests", request("Ayşe", today(), ""))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "forbidden");

    let (status, created) = writer
        .post("/api/v1/privacy/requests", request("Ayşe", today(), ""))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap();
    let (status, list) = reader.get("/api/v1/privacy/requests").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["data"][0]["id"], id);
    let (status, one) = reader.get(&format!("/api/v1/privacy/requests/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["personName"], "Ayşe");

    // Bad input: a problem naming the field; a body that is not the input: 400.
    let (status, body) = writer
        .post(
            "/api/v1/privacy/requests",
            request("Ayşe", today().add_days(3), ""),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("receivedOn"),
        "{body}"
    );
    let (status, body) = writer
        .post("/api/v1/privacy/requests", json!({ "kind": 7 }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let mut refused = request("Ayşe", today(), "");
    refused["status"] = json!("refused");
    refused["answer"] = json!("Başvuru kimlik doğrulaması olmadan yapıldı.");
    let (status, body) = writer
        .put(&format!("/api/v1/privacy/requests/{id}"), refused)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "refused");
    let (status, body) = writer
        .put(
            "/api/v1/privacy/requests/missing",
            request("Ayşe", today(), ""),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // The audit log names the token.
    let (_, audit) = server.owner.get("/api/audit").await.unwrap();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "privacy.request_logged"
                && e["actor"].as_str().unwrap().contains("token")),
        "{audit}"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_request_is_answered_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let rep_id = rep.user_id().await.unwrap();
    let person = create_through_api(
        &server,
        "contacts",
        json!({ "name": "Zeliha Erişim", "email": "zeliha@erisim.test" }),
    )
    .await;
    let other = create_through_api(&server, "contacts", json!({ "name": "Başka Kişi" })).await;
    let call = create_through_api(
        &server,
        "calls",
        json!({ "direction": "incoming", "number": "0532 111 22 33", "contact": person,
                "started": "2026-12-01T10:15", "outcome": "reached" }),
    )
    .await;
    let others_call = create_through_api(
        &server,
        "calls",
        json!({ "direction": "outgoing", "number": "0532 444 55 66", "contact": other,
                "started": "2026-12-01T11:00", "outcome": "reached" }),
    )
    .await;

    let reader = Rest::new(
        &server.http(),
        &token(&server, &["privacy:read"], None).await,
    );
    let path = format!("/api/v1/privacy/access/{person}");
    let (status, file) = reader.get(&path).await;
    assert_eq!(status, StatusCode::OK, "{file}");
    assert_eq!(file["person"], person.as_str());
    assert_eq!(file["kind"], "contact");
    assert_eq!(file["name"], "Zeliha Erişim");
    let records = file["records"].as_array().unwrap();
    assert_eq!(records[0]["id"], person.as_str());
    assert_eq!(records[0]["own"], true);
    assert_eq!(
        records[0]["data"]["Contact"]["fields"]["email"], "zeliha@erisim.test",
        "{file}"
    );
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [person.as_str(), call.as_str()],
        "their call, nobody else's"
    );
    assert!(!file.to_string().contains(&others_call));
    assert!(!file.to_string().contains("Başka Kişi"));

    // Not to `*`, not to a sales rep's token, not for an ID that is no person.
    let everything = Rest::new(&server.http(), &token(&server, &["*:read"], None).await);
    let (status, body) = everything.get(&path).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let rep_reader = Rest::new(
        &server.http(),
        &token(&server, &["privacy:read"], Some(&rep_id)).await,
    );
    let (status, body) = rep_reader.get(&path).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    for missing in [
        "not-an-id".to_owned(),
        saha_core::DocumentId::random().to_string(),
        call.clone(),
    ] {
        let (status, body) = reader
            .get(&format!("/api/v1/privacy/access/{missing}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}: {body}");
        assert_eq!(body["code"], "not_found");
    }

    // The disclosure is audited by the person's ID, without their name.
    let (_, audit) = server.owner.get("/api/audit").await.unwrap();
    let disclosed: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "privacy.disclosed")
        .collect();
    assert_eq!(disclosed.len(), 1, "{audit}");
    assert_eq!(disclosed[0]["target"], person.as_str());
    assert_eq!(disclosed[0]["detail"], "2 records as json through the API");
    assert!(!disclosed[0].to_string().contains("Zeliha"));
    server.shutdown().await.unwrap();
}

/// The ground erasure stands on: an erased document leaves no byte in storage (the
/// redb file, or every PostgreSQL table), is answered `doc-unavailable` — to a stale
/// device pushing its old copy with a new edit too, which stores nothing — and stays
/// erased across a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_document_leaves_no_bytes_and_a_stale_copy_brings_nothing_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let marker = format!("Silinen-{}", saha_core::DocumentId::random());
    let (id, kept) = (
        saha_core::DocumentId::random(),
        saha_core::DocumentId::random(),
    );
    let mut stale = connect(&server, "stale-phone").await;
    stale.docs.insert(id, account(&marker, ""));
    stale.push(id).await.unwrap();
    edit(stale.docs.get_mut(&id).unwrap(), |f| {
        f.set("city", format!("{marker} şehri"))
    });
    stale.push(id).await.unwrap();
    stale.docs.insert(kept, account("Kalan Ticaret", ""));
    stale.push(kept).await.unwrap();
    let storage = server.hub.storage();
    assert!(storage.raw_occurrences(&marker).await.unwrap() > 0);

    let at = saha_server::directory::now_ms();
    assert_eq!(server.hub.erase(&[id], at).await.unwrap(), 1);
    assert_eq!(
        storage.raw_occurrences(&marker).await.unwrap(),
        0,
        "no byte of it is left in storage"
    );

    // The stale phone edits its copy and pushes: refused, nothing stored.
    edit(stale.docs.get_mut(&id).unwrap(), |f| {
        f.set("phone", "0532 111 22 33")
    });
    stale.offer(id).await.unwrap();
    assert!(pump_until(&mut stale, |p| p.unavailable.contains(&id)).await);
    assert_eq!(storage.raw_occurrences(&marker).await.unwrap(), 0);
    // Another device asking for it learns nothing; the REST API does not know it.
    let mut other = connect(&server, "other-phone").await;
    assert!(other.fetch(id).await.is_err());
    assert_eq!(
        read_account(other.fetch(kept).await.unwrap()).unwrap().name,
        "Kalan Ticaret"
    );
    let (status, _) = server
        .owner
        .get(&format!("/api/v1/accounts/{id}"))
        .await
        .unwrap();
    assert_eq!(status, 404);
    drop((stale, other));
    server.shutdown().await.unwrap();

    // After a restart it is still erased.
    let server = start(dir.path()).await;
    assert!(server.hub.is_erased(&id));
    let mut late = connect(&server, "late-phone").await;
    late.docs.insert(id, account(&marker, ""));
    late.offer(id).await.unwrap();
    assert!(pump_until(&mut late, |p| p.unavailable.contains(&id)).await);
    assert_eq!(
        server.hub.storage().raw_occurrences(&marker).await.unwrap(),
        0
    );
    server.shutdown().await.unwrap();
}
