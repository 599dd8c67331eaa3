//! Webhooks against a real server and a local receiver: signed deliveries of record
//! events (from the REST API and from devices), retries after failures with one
//! delivery ID, no delivery lost across a restart, a subscription turned off after
//! repeated failure, and targets on private addresses refused.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::*;
use saha_core::kinds::Record;
use saha_core::record::{EditContext, RecordType};
use saha_server::webhooks::signing;
use serde_json::{Value, json};

/// What the receiver got.
#[derive(Debug, Clone)]
struct Received {
    delivery: String,
    event: String,
    signature: String,
    body: Vec<u8>,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Answers to give first (then 200).
    answers: Arc<Mutex<Vec<u16>>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    r.got.lock().unwrap().push(Received {
        delivery: header("saha-delivery"),
        event: header("saha-event"),
        signature: header("saha-signature"),
        body: body.to_vec(),
    });
    let mut answers = r.answers.lock().unwrap();
    let status = if answers.is_empty() {
        200
    } else {
        answers.remove(0)
    };
    StatusCode::from_u16(status).unwrap()
}

/// Starts a receiver on loopback; returns its URL.
async fn receiver(r: &Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(r.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/hook")
}

async fn subscribe(server: &TestServer, url: &str, events: &[&str]) -> Value {
    let (status, hook) = server
        .owner
        .post("/api/webhooks", &json!({ "url": url, "events": events }))
        .await
        .unwrap();
    assert_eq!(status, 201, "{hook}");
    hook
}

async fn rest_token(server: &TestServer) -> String {
    let (_, token) = server
        .owner
        .post(
            "/api/api-tokens",
            &json!({ "name": "hooks", "scopes": ["*:write"] }),
        )
        .await
        .unwrap();
    token["secret"].as_str().unwrap().to_owned()
}

async fn create_account(server: &TestServer, token: &str, name: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/accounts", server.http()))
        .bearer_auth(token)
        .json(&json!({ "fields": { "name": name } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

/// Waits until `done` holds for what the receiver got.
async fn until(r: &Receiver, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
    for _ in 0..150 {
        let got = r.got.lock().unwrap().clone();
        if done(&got) {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the receiver got {:?}", r.got.lock().unwrap());
}

fn now_s() -> i64 {
    saha_server::directory::now_ms() / 1000
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_signed_retried_and_paid_invoices_are_told() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let r = Receiver::default();
    let url = receiver(&r).await;
    let hook = subscribe(&server, &url, &["account.created", "invoice.paid"]).await;
    let secret = hook["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    // The receiver fails twice, then takes it.
    r.answers.lock().unwrap().extend([500, 503]);
    let token = rest_token(&server).await;
    let account = create_account(&server, &token, "Kanca Ticaret").await;
    let got = until(&r, |g| {
        g.iter()
            .any(|x| x.event == "account.created" && !x.delivery.is_empty())
            && g.len() >= 3
    })
    .await;
    let attempts: Vec<&Received> = got
        .iter()
        .filter(|x| x.event == "account.created")
        .collect();
    assert_eq!(attempts.len(), 3, "two failures and a success");
    assert!(
        attempts.iter().all(|a| a.delivery == attempts[0].delivery),
        "one delivery ID across retries"
    );
    for a in &attempts {
        assert_eq!(
            signing::verify(&secret, &a.signature, &a.body, now_s()),
            Ok(())
        );
        assert!(signing::verify("whsec_wrong", &a.signature, &a.body, now_s()).is_err());
    }
    let payload: Value = serde_json::from_slice(&attempts[2].body).unwrap();
    assert_eq!(payload["type"], "account.created");
    assert_eq!(payload["data"]["id"], account.as_str());
    assert_eq!(payload["data"]["fields"]["name"], "Kanca Ticaret");
    // The delivery log shows every attempt.
    let (_, log) = server
        .owner
        .get(&format!(
            "/api/webhooks/{}/attempts",
            hook["id"].as_str().unwrap()
        ))
        .await
        .unwrap();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log.iter().filter(|a| a["willRetry"] == true).count(), 2);
    assert_eq!(log[0]["status"], 200, "newest first");

    // An invoice paid on a device (the app's workflow, over the sync protocol) is told.
    let ctx = EditContext::new("device", saha_server::directory::now_ms());
    let mut invoice = saha_core::sales::document::SalesDocument::new("invoice", &ctx);
    invoice.account = account.clone();
    invoice
        .set_line(
            "l1",
            &saha_core::record::form::Form::new()
                .with("description", "Hizmet")
                .with("quantity", "1")
                .with("unit_price", "1000")
                .with("vat", "20"),
        )
        .unwrap();
    let id = saha_core::DocumentId::random();
    let mut peer = connect(&server, "device").await;
    peer.docs
        .insert(id, Record::Sales(invoice.clone()).create().unwrap());
    assert!(offered_and_confirmed(&mut peer, id).await);
    invoice
        .issue("FTR2026000000001", "2026-12-03", &ctx)
        .unwrap();
    invoice.set_status("paid", &ctx);
    Record::Sales(invoice)
        .write(peer.docs.get_mut(&id).unwrap())
        .unwrap();
    peer.push(id).await.unwrap();
    let got = until(&r, |g| g.iter().any(|x| x.event == "invoice.paid")).await;
    let paid = got.iter().find(|x| x.event == "invoice.paid").unwrap();
    let payload: Value = serde_json::from_slice(&paid.body).unwrap();
    assert_eq!(payload["data"]["id"], id.to_string());
    assert_eq!(payload["data"]["status"], "paid");
    assert_eq!(payload["data"]["totals"]["gross"], "1200.00");
    assert_eq!(got.iter().filter(|x| x.event == "invoice.paid").count(), 1);
    // Not subscribed: no invoice.created or .updated.
    assert!(
        !got.iter()
            .any(|x| x.event.starts_with("invoice.") && x.event != "invoice.paid")
    );
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_delivery_is_lost_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let r = Receiver::default();
    let url = receiver(&r).await;
    let mut config = saha_server::Config::for_tests(dir.path().to_path_buf(), site_root());
    // Retries far apart: the first retry falls after the restart.
    config.webhook_retry_base_ms = 1_500;
    let server = start_with(config.clone()).await;
    subscribe(&server, &url, &["*"]).await;
    r.answers.lock().unwrap().push(500);
    let token = rest_token(&server).await;
    create_account(&server, &token, "Yeniden Başlat").await;
    until(&r, |g| !g.is_empty()).await;
    server.shutdown().await.unwrap();
    // While the server is down, nothing arrives; after it starts, the retry does.
    let server = start_with(config).await;
    let got = until(&r, |g| g.len() >= 2).await;
    assert_eq!(got[0].delivery, got[1].delivery);
    assert_eq!(got[1].event, "account.created");
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_subscription_is_turned_off_and_its_owner_told() {
    let dir = tempfile::tempdir().unwrap();
    let r = Receiver::default();
    let url = receiver(&r).await;
    let mut config = saha_server::Config::for_tests(dir.path().to_path_buf(), site_root());
    config.webhook_retry_base_ms = 50;
    config.webhook_disable_after = 3;
    let server = start_with(config).await;
    let hook = subscribe(&server, &url, &["account.created"]).await;
    r.answers.lock().unwrap().extend([500; 10]);
    let token = rest_token(&server).await;
    create_account(&server, &token, "Hep Hata").await;
    let mut disabled = Value::Null;
    for _ in 0..100 {
        let (_, hooks) = server.owner.get("/api/webhooks").await.unwrap();
        disabled = hooks[0].clone();
        if disabled["disabledAt"].is_i64() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(disabled["disabledAt"].is_i64(), "{disabled}");
    assert_eq!(disabled["disabledReason"], "answered 500");
    let attempts_then = r.got.lock().unwrap().len();
    assert_eq!(attempts_then, 3);
    let (_, log) = server.owner.get("/api/audit").await.unwrap();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "webhook.disabled")
    );
    // Nothing more is sent; turned back on, the waiting delivery goes out.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(r.got.lock().unwrap().len(), attempts_then);
    r.answers.lock().unwrap().clear();
    let (status, _) = server
        .owner
        .post(
            &format!("/api/webhooks/{}/enable", hook["id"].as_str().unwrap()),
            &json!({}),
        )
        .await
        .unwrap();
    assert_eq!(status, 204);
    let got = until(&r, |g| g.len() > attempts_then).await;
    assert_eq!(
        got.last().unwrap().delivery,
        got[0].delivery,
        "the waiting delivery"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_targets_are_refused_unless_the_operator_allows_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = saha_server::Config::for_tests(dir.path().to_path_buf(), site_root());
    config.webhook_allow_private = false;
    let server = start_with(config).await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://10.0.0.5/",
        "ftp://example.com/",
        "https://user:pw@example.com/",
    ] {
        let (status, body) = server
            .owner
            .post("/api/webhooks", &json!({ "url": url, "events": ["*"] }))
            .await
            .unwrap();
        assert_eq!(status, 400, "{url}: {body}");
    }
    let (status, _) = server
        .owner
        .post(
            "/api/webhooks",
            &json!({ "url": "http://127.0.0.1/", "events": ["ghost.created"] }),
        )
        .await
        .unwrap();
    assert_eq!(status, 400);
    let (_, hooks) = server.owner.get("/api/webhooks").await.unwrap();
    assert_eq!(hooks.as_array().unwrap().len(), 0, "nothing stored");
    // A rep cannot manage webhooks.
    let team = server.team("Kuzey").await;
    let rep = server
        .member("rep@anadolu.test", "sales_rep", &[&team])
        .await;
    let (status, _) = rep.get("/api/webhooks").await.unwrap();
    assert_eq!(status, 403);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_past_its_sla_is_told_once_per_clock() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let r = Receiver::default();
    let url = receiver(&r).await;
    let hook = subscribe(&server, &url, &["case.sla_breach", "case.sla_warning"]).await;
    let secret = hook["secret"].as_str().unwrap().to_owned();
    // An urgent case a device opened 20 days ago (1 working hour to respond, 9 to
    // resolve): both clocks are past their targets whatever the weekday and holidays.
    let opened = saha_server::directory::now_ms() - 20 * 86_400_000;
    let ctx = EditContext::new("device", opened);
    let mut case = saha_core::service::case::Case::blank(&ctx);
    case.created(&ctx);
    case.subject = "Kargo gelmedi".into();
    case.priority = saha_core::service::case::Priority::Urgent;
    // A resolved one is not news.
    let mut done = case.clone();
    done.move_to(saha_core::service::case::Status::Resolved, &ctx);
    done.resolution = "Teslim edildi".into();
    let mut peer = connect(&server, "device").await;
    let (open_id, done_id) = (
        saha_core::DocumentId::random(),
        saha_core::DocumentId::random(),
    );
    peer.docs
        .insert(open_id, Record::Case(case).create().unwrap());
    peer.docs
        .insert(done_id, Record::Case(done).create().unwrap());
    assert!(offered_and_confirmed(&mut peer, open_id).await);
    assert!(offered_and_confirmed(&mut peer, done_id).await);
    let got = until(&r, |g| {
        g.iter().filter(|x| x.event == "case.sla_breach").count() >= 2
    })
    .await;
    let mut clocks: Vec<String> = got
        .iter()
        .map(|x| {
            assert_eq!(
                signing::verify(&secret, &x.signature, &x.body, now_s()),
                Ok(())
            );
            let payload: Value = serde_json::from_slice(&x.body).unwrap();
            assert_eq!(payload["type"], "case.sla_breach");
            assert_eq!(payload["data"]["id"], open_id.to_string());
            assert_eq!(payload["detail"]["state"], "breached");
            assert!(payload["detail"]["usedMs"].as_i64() > payload["detail"]["targetMs"].as_i64());
            payload["detail"]["clock"].as_str().unwrap().to_owned()
        })
        .collect();
    clocks.sort();
    assert_eq!(clocks, ["first_response", "resolution"]);
    // Later checks (every second in tests) tell nothing again.
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    assert_eq!(
        r.got.lock().unwrap().len(),
        2,
        "{:?}",
        r.got.lock().unwrap()
    );
    server.shutdown().await.unwrap();
}

/// An erasure tells subscribers which records are gone — the person's own and the
/// rebuilt call's old ID, with its replacement — and nothing about the person: no
/// delivery after it carries their name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_tells_subscribers_which_records_are_gone_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let r = Receiver::default();
    let url = receiver(&r).await;
    let hook = subscribe(
        &server,
        &url,
        &["contact.erased", "call.erased", "call.created"],
    )
    .await;
    let secret = hook["secret"].as_str().unwrap().to_owned();
    let marker = format!(
        "Silinecek{}",
        saha_core::DocumentId::random()
            .to_string()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect::<String>()
    );
    let person = create_through_api(
        &server,
        "contacts",
        json!({ "name": format!("Deniz {marker}") }),
    )
    .await;
    let call = create_through_api(
        &server,
        "calls",
        json!({ "direction": "incoming", "number": "0532 111 22 33", "contact": person,
                "started": "2026-11-02T10:00", "outcome": "reached",
                "notes": format!("Deniz {marker} geri aranacak") }),
    )
    .await;
    let before = until(&r, |g| g.iter().any(|x| x.event == "call.created")).await;
    let told_before = before.len();

    let (status, destruction) = server
        .owner
        .post("/api/privacy/erasures", &json!({ "person": person }))
        .await
        .unwrap();
    assert_eq!(status, 201, "{destruction}");
    let got = until(&r, |g| {
        g.iter().any(|x| x.event == "contact.erased")
            && g.iter().any(|x| x.event == "call.erased")
            && g.iter().filter(|x| x.event == "call.created").count() >= 2
    })
    .await;
    let payload = |event: &str| -> Value {
        let one = got.iter().find(|x| x.event == event).unwrap();
        assert_eq!(
            signing::verify(&secret, &one.signature, &one.body, now_s()),
            Ok(())
        );
        serde_json::from_slice(&one.body).unwrap()
    };
    let own = payload("contact.erased");
    assert_eq!(own["type"], "contact.erased");
    assert_eq!(own["data"], json!({ "id": person }), "{own}");
    assert_eq!(own["detail"]["kind"], "contact");
    assert_eq!(own["detail"]["replacedBy"], Value::Null);
    assert_eq!(own["detail"]["destruction"], destruction["id"]);
    let rebuilt = payload("call.erased");
    assert_eq!(rebuilt["data"], json!({ "id": call }), "{rebuilt}");
    let new_call = rebuilt["detail"]["replacedBy"].as_str().unwrap().to_owned();
    assert_ne!(new_call, call);
    assert!(
        got.iter().any(|x| x.event == "call.created"
            && serde_json::from_slice::<Value>(&x.body).unwrap()["data"]["id"]
                == new_call.as_str()),
        "the rebuilt call arrives as a new one"
    );
    for after in &got[told_before..] {
        let body = String::from_utf8_lossy(&after.body);
        assert!(!body.contains(&marker), "{body}");
    }
    server.shutdown().await.unwrap();
}
