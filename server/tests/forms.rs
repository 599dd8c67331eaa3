//! Web forms against a real server: the page an allowed site may embed, a post that
//! becomes a lead with its İYS consent and the form as evidence and reaches a connected
//! device, complaint forms that become cases, and spam refused with nothing stored.

mod common;

use std::time::Duration;

use common::*;
use saha_core::kinds::Record;
use serde_json::{Value, json};

const SITE: &str = "https://www.anadolu-gida.example";
const WORDING: &str = "Kampanya ve duyurular için e-posta almayı kabul ediyorum.";

async fn form(server: &TestServer, body: Value) -> Value {
    let (status, form) = server.owner.post("/api/web-forms", &body).await.unwrap();
    assert_eq!(status, 201, "{form}");
    form
}

/// The page's signed start time.
fn started(page: &str) -> String {
    let at = page
        .find("name=\"started\" value=\"")
        .expect("a start time")
        + 22;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

async fn post(
    server: &TestServer,
    id: &str,
    fields: &[(&str, &str)],
    origin: Option<&str>,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(format!("{}/forms/{id}", server.http()))
        .header("accept-language", "tr")
        .form(fields);
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    request.send().await.unwrap()
}

/// The records of `section` (`leads`, `cases`) as the REST API lists them.
async fn listed(server: &TestServer, section: &str) -> Vec<Value> {
    let (_, token) = server
        .owner
        .post(
            "/api/api-tokens",
            &json!({ "name": "okur", "scopes": ["*:read"] }),
        )
        .await
        .unwrap();
    let response: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/{section}", server.http()))
        .bearer_auth(token["secret"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    response["data"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_form_makes_a_lead_with_its_consent_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let team = server.team("Web").await;
    let created = form(
        &server,
        json!({
            "name": "İletişim formu",
            "target": "lead",
            "fields": ["company", "email", "phone", "message"],
            "team": team,
            "thankYou": "Teşekkürler, size döneceğiz.",
            "consents": [{ "channel": "EPOSTA", "wording": WORDING }],
            "allowedOrigins": [SITE],
            "minFillSeconds": 1,
        }),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    assert!(
        created["snippet"]
            .as_str()
            .unwrap()
            .contains(&format!("/forms/{id}"))
    );

    // The page: the fields, the consent's exact wording, embeddable by the site only.
    let response = reqwest::Client::new()
        .get(format!("{}/forms/{id}", server.http()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains(&format!("frame-ancestors 'self' {SITE}")),
        "{csp}"
    );
    assert!(response.headers().get("x-frame-options").is_none());
    let page = response.text().await.unwrap();
    assert!(page.contains(WORDING) && page.contains("name=\"company\""));

    // A person fills it in (after the minimum time) and ticks the consent.
    let mut peer = connect(&server, "device").await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let answer = post(
        &server,
        id,
        &[
            ("started", &started(&page)),
            ("name", "Deniz Yılmaz"),
            ("company", "Yılmaz Kuruyemiş"),
            ("email", "deniz@yilmaz.example"),
            ("phone", "0532 111 22 33"),
            ("message", "Toptan fiyat listesi rica ederim."),
            ("consent_0", "on"),
            ("website", ""),
        ],
        Some(SITE),
    )
    .await;
    assert_eq!(answer.status(), 200);
    assert!(
        answer
            .text()
            .await
            .unwrap()
            .contains("Teşekkürler, size döneceğiz.")
    );
    let leads = listed(&server, "leads").await;
    assert_eq!(leads.len(), 1);
    let lead = &leads[0];
    assert_eq!(lead["team"], team.as_str());
    assert_eq!(lead["fields"]["source"], "web");
    assert_eq!(lead["fields"]["phone"], "+905321112233");
    let consent = &lead["record"]["Lead"]["fields"]["consents"][0];
    assert_eq!(consent["source"], "HS_WEB");
    assert_eq!(consent["channel"], "EPOSTA");
    assert_eq!(consent["status"], "ONAY");
    assert_eq!(consent["recipient"], "deniz@yilmaz.example");
    let evidence = consent["evidence"].as_str().unwrap();
    assert!(
        evidence.contains(WORDING) && evidence.contains("127.0.0.1"),
        "{evidence}"
    );
    // It reaches a connected device.
    let lead_id: saha_core::DocumentId = lead["id"].as_str().unwrap().parse().unwrap();
    let doc = peer.fetch(lead_id).await.unwrap();
    assert!(matches!(Record::read(doc), Some(Ok(Record::Lead(l))) if l.name == "Deniz Yılmaz"));
    server.shutdown().await.unwrap();
}

/// A complaint form's ID and a signed start time from its page.
async fn complaint_form(server: &TestServer, name: &str) -> (String, String) {
    let created = form(
        server,
        json!({
            "name": name,
            "target": "complaint",
            "fields": ["email"],
            "allowedOrigins": [SITE],
            "minFillSeconds": 2,
        }),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let page = reqwest::get(format!("{}/forms/{id}", server.http()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (id, started(&page))
}

async fn count_cases(server: &TestServer) -> usize {
    listed(server, "cases").await.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spam_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    // Two forms: each address has a budget per form (5 at once).
    let (checked, start) = complaint_form(&server, "Şikâyet").await;
    let (flooded, flood_start) = complaint_form(&server, "Öneri").await;
    let fields = |start: &str, extra: &[(&'static str, &str)]| {
        let mut fields: Vec<(&'static str, String)> = vec![
            ("started", start.to_owned()),
            ("name", "Ali".into()),
            ("email", "ali@example.com".into()),
            ("message", "Ürün bozuk geldi".into()),
        ];
        for (k, v) in extra {
            fields.retain(|(key, _)| key != k);
            fields.push((k, (*v).to_owned()));
        }
        fields
    };
    let send = |id: String, fields: Vec<(&'static str, String)>, origin: Option<&'static str>| {
        let server = &server;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(server, &id, &pairs, origin).await.status().as_u16()
        }
    };
    // Too fast.
    assert_eq!(
        send(checked.clone(), fields(&start, &[]), Some(SITE)).await,
        400
    );
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    // The honeypot filled.
    assert_eq!(
        send(
            checked.clone(),
            fields(&start, &[("website", "http://spam.example")]),
            Some(SITE)
        )
        .await,
        400
    );
    // A foreign site.
    assert_eq!(
        send(
            checked.clone(),
            fields(&start, &[]),
            Some("https://evil.example")
        )
        .await,
        403
    );
    // A forged start time.
    assert_eq!(
        send(
            checked.clone(),
            fields(&start, &[("started", "1.00")]),
            Some(SITE)
        )
        .await,
        400
    );
    // A field that does not validate: the form again.
    assert_eq!(
        send(
            checked.clone(),
            fields(&start, &[("email", "yok")]),
            Some(SITE)
        )
        .await,
        422
    );
    assert_eq!(count_cases(&server).await, 0, "nothing stored by spam");
    // A real complaint goes through, as a case.
    assert_eq!(
        send(checked.clone(), fields(&start, &[]), Some(SITE)).await,
        200
    );
    assert_eq!(count_cases(&server).await, 1);

    // A megabyte: refused.
    let big = reqwest::Client::new()
        .post(format!("{}/forms/{flooded}", server.http()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("message={}", "a".repeat(1 << 20)))
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), 413);
    // Too many from one address: past the burst, 429 with Retry-After; only what was let
    // through before is stored.
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(send(flooded.clone(), fields(&flood_start, &[]), Some(SITE)).await);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let made = statuses.iter().filter(|s| **s == 200).count();
    assert!(made <= 4, "{statuses:?}");
    assert_eq!(count_cases(&server).await, 1 + made);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_are_checked_when_made_and_only_admins_make_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    for bad in [
        json!({ "name": "", "target": "lead", "fields": [] }),
        json!({ "name": "x", "target": "order", "fields": [] }),
        json!({ "name": "x", "target": "lead", "fields": ["salary"] }),
        json!({ "name": "x", "target": "lead", "fields": [], "consents": [{ "channel": "EPOSTA", "wording": "ok" }] }),
        json!({ "name": "x", "target": "complaint", "fields": ["email"], "consents": [{ "channel": "EPOSTA", "wording": "ok" }] }),
        json!({ "name": "x", "target": "lead", "fields": [], "allowedOrigins": ["javascript:alert(1)"] }),
    ] {
        let (status, body) = server.owner.post("/api/web-forms", &bad).await.unwrap();
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let team = server.team("Kuzey").await;
    let rep = server
        .member("rep@anadolu.test", "sales_rep", &[&team])
        .await;
    let (status, _) = rep
        .post(
            "/api/web-forms",
            &json!({ "name": "x", "target": "lead", "fields": [] }),
        )
        .await
        .unwrap();
    assert_eq!(status, 403);
    let missing = reqwest::get(format!("{}/forms/nope", server.http()))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    server.shutdown().await.unwrap();
}
