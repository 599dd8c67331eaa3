//! The REST API (`/api/v1`) against a real server: tokens capped by scopes and by their
//! member's role and teams, problem details, validation as in the app, computed totals,
//! cursor pagination, writes that reach connected protocol clients, the record
//! projection, rate limits and the operator command.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use saha_core::kinds::Record;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_do_what_their_scopes_and_members_allow() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let north = server.team("Kuzey").await;
    let south = server.team("Güney").await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[&north])
        .await;
    let rep_id = rep.user_id().await.unwrap();
    // Only owners and admins manage tokens.
    let (status, _) = rep
        .post(
            "/api/api-tokens",
            &json!({ "name": "x", "scopes": ["*:read"] }),
        )
        .await
        .unwrap();
    assert_eq!(status, 403);
    let (status, body) = server
        .owner
        .post(
            "/api/api-tokens",
            &json!({ "name": "x", "scopes": ["ghosts:read"] }),
        )
        .await
        .unwrap();
    assert_eq!(status, 400, "{body}");

    let admin = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    let rep_reader = Rest::new(
        &server.http(),
        &token(&server, &["accounts:read"], Some(&rep_id)).await,
    );
    let rep_writer = Rest::new(
        &server.http(),
        &token(&server, &["accounts:write"], Some(&rep_id)).await,
    );

    // The owner's token creates records in any team.
    let (status, shared) = admin
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "Ortak Ticaret" } }),
        )
        .await;
    assert_eq!(status, 201, "{shared}");
    assert_eq!(shared["fields"]["name"], "Ortak Ticaret");
    let (status, northern) = admin
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "Kuzey Gıda", "team": north } }),
        )
        .await;
    assert_eq!(status, 201, "{northern}");
    let (status, southern) = admin
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "Güney Tekstil", "team": south } }),
        )
        .await;
    assert_eq!(status, 201, "{southern}");
    let southern_id = southern["id"].as_str().unwrap();

    // The rep's token sees shared and northern records, never the southern one: a
    // record of another team answers exactly as a missing one.
    let (status, page) = rep_reader.get("/api/v1/accounts").await;
    assert_eq!(status, 200, "{page}");
    let names: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kuzey Gıda", "Ortak Ticaret"]);
    let (status, hidden) = rep_reader
        .get(&format!("/api/v1/accounts/{southern_id}"))
        .await;
    let missing_id = saha_core::DocumentId::random();
    let (missing_status, missing) = rep_reader
        .get(&format!("/api/v1/accounts/{missing_id}"))
        .await;
    assert_eq!(
        (status, missing_status),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert_eq!(
        hidden, missing,
        "another team's record is told apart from nothing"
    );

    // Scopes cap the token: no writes with a read scope, no other kinds.
    let (status, problem) = rep_reader
        .post("/api/v1/accounts", json!({ "fields": { "name": "X" } }))
        .await;
    assert_eq!(status, 403);
    assert_eq!(problem["code"], "insufficient_scope");
    let (status, problem) = rep_reader.get("/api/v1/contacts").await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("insufficient_scope"))
    );

    // A write scope does not lift the member's role: the rep cannot put a record into
    // a team they are not in, and nothing is stored.
    let (status, problem) = rep_writer
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "Sızma A.Ş.", "team": south } }),
        )
        .await;
    assert_eq!(status, 403, "{problem}");
    assert_eq!(problem["code"], "change_refused");
    let (_, all) = admin.get("/api/v1/accounts?q=sizma").await;
    assert_eq!(
        all["data"].as_array().unwrap().len(),
        0,
        "nothing stored: {all}"
    );
    // The rep may write in their own team.
    let (status, own) = rep_writer
        .patch(
            &format!("/api/v1/accounts/{}", northern["id"].as_str().unwrap()),
            json!({ "fields": { "city": "Samsun" } }),
        )
        .await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["fields"]["city"], "Samsun");
    // The rep cannot delete (owners and admins move records to the bin).
    let (status, problem) = rep_writer
        .call(
            Method::DELETE,
            &format!("/api/v1/accounts/{}", northern["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("change_refused"))
    );

    // The owner's token deletes: the record leaves lists, and only owners and admins
    // find it in the bin.
    let (status, _) = admin
        .call(
            Method::DELETE,
            &format!("/api/v1/accounts/{southern_id}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (_, page) = admin.get("/api/v1/accounts").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let (_, bin) = admin.get("/api/v1/accounts?deleted=true").await;
    assert_eq!(bin["data"].as_array().unwrap().len(), 3);
    let (status, _) = rep_reader.get("/api/v1/accounts?deleted=true").await;
    assert_eq!(status, 403);

    // Bad and revoked tokens.
    let forged = Rest::new(&server.http(), &format!("saha_{}", "0".repeat(64)));
    let (status, problem) = forged.get("/api/v1/accounts").await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_token"))
    );
    let (_, tokens) = server.owner.get("/api/api-tokens").await.unwrap();
    let tokens = tokens.as_array().unwrap();
    assert_eq!(tokens.len(), 3);
    assert!(
        tokens.iter().all(|t| t.get("secret").is_none()),
        "secrets are shown once"
    );
    assert!(
        tokens.iter().any(|t| t["lastUsedAt"].is_i64()),
        "last use is noted: {tokens:?}"
    );
    let reader_id = tokens
        .iter()
        .find(|t| t["scopes"] == json!(["accounts:read"]))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = server
        .owner
        .send(
            Method::DELETE,
            &format!("/api/api-tokens/{reader_id}"),
            &json!({}),
        )
        .await
        .unwrap();
    assert_eq!(status, 204);
    let (status, _) = rep_reader.get("/api/v1/accounts").await;
    assert_eq!(status, 401);

    // Every token action is in the audit log.
    let (_, log) = server.owner.get("/api/audit").await.unwrap();
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "api_token.created",
        "api_token.revoked",
        "api.record_created",
        "api.record_updated",
        "api.record_deleted",
        "api.denied",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_validate_as_in_the_app_and_totals_are_computed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);

    // Field problems come back per field, with stable codes; nothing is stored.
    let (status, problem) = api
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "", "tax_number": "1234567890", "email": "yok" } }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["code"], "validation_failed");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"fields.name") && fields.contains(&"fields.email"),
        "{problem}"
    );
    let (status, problem) = api
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "A", "colour": "red" } }),
        )
        .await;
    assert_eq!(
        (status.as_u16(), problem["errors"][0]["code"].as_str()),
        (422, Some("unknown_field"))
    );
    let (status, problem) = api.post("/api/v1/accounts", json!("not an object")).await;
    assert_eq!(
        (status.as_u16(), problem["code"].as_str()),
        (400, Some("invalid_input"))
    );
    let (status, _) = api
        .call(
            Method::POST,
            "/api/v1/accounts",
            Some(json!({ "fields": { "name": "x".repeat(300_000) } })),
        )
        .await;
    assert_eq!(status, 413);
    let (_, page) = api.get("/api/v1/accounts").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 0, "nothing stored");

    // A quote: numbered, lines priced, totals computed; totals are never taken.
    let (_, account) = api
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "Alıcı A.Ş." } }),
        )
        .await;
    let account_id = account["id"].as_str().unwrap();
    let (status, quote) = api
        .post(
            "/api/v1/quotes",
            json!({
                "fields": { "account": account_id, "currency": "TRY" },
                "lines": [
                    { "description": "Vana", "quantity": "2", "unit_price": "1.000,50", "vat": "20" },
                    { "description": "Montaj", "quantity": 1, "unit_price": 500, "discount": "10", "vat": "20" },
                ],
            }),
        )
        .await;
    assert_eq!(status, 201, "{quote}");
    assert!(
        quote["title"].as_str().unwrap().starts_with("TKL-"),
        "{quote}"
    );
    assert_eq!(quote["totals"]["net"], "2451.00");
    assert_eq!(quote["totals"]["gross"], "2941.20");
    let (status, problem) = api
        .post(
            "/api/v1/quotes",
            json!({ "fields": { "account": account_id }, "totals": { "gross": "1" } }),
        )
        .await;
    assert_eq!(status, 400, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("totals"),
        "{problem}"
    );
    // A line changed by ID, one dropped.
    let first_line = quote["lines"][0]["id"].as_str().unwrap();
    let (status, changed) = api
        .patch(
            &format!("/api/v1/quotes/{}", quote["id"].as_str().unwrap()),
            json!({ "lines": [{ "id": first_line, "description": "Vana", "quantity": "3", "unit_price": "1000", "vat": "20" }] }),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["lines"].as_array().unwrap().len(), 1);
    assert_eq!(changed["totals"]["gross"], "3600.00");
    // Lines on a kind without them.
    let (status, _) = api
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "B" }, "lines": [] }),
        )
        .await;
    assert_eq!(status, 422);
    // An accepted quote's offer is locked, as in the app.
    let path = format!("/api/v1/quotes/{}", quote["id"].as_str().unwrap());
    let (status, _) = api
        .patch(&path, json!({ "fields": { "status": "accepted" } }))
        .await;
    assert_eq!(status, 200);
    let (status, problem) = api
        .patch(&path, json!({ "fields": { "valid_until": "2027-01-01" } }))
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["code"], "locked");
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_by_cursor_filter_and_search_without_loading_documents() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    let names = [
        "Çınar Yapı",
        "Akdeniz Lojistik",
        "Zirve Enerji",
        "Bereket Un",
        "İpek Halı",
        "Doğa Gıda",
        "Ege Mermer",
    ];
    for name in names {
        let (status, body) = api
            .post(
                "/api/v1/accounts",
                json!({ "fields": { "name": name, "city": "İzmir" } }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // A record made by a device over the sync protocol is in the projection too.
    let mut peer = connect(&server, "device").await;
    let id = saha_core::DocumentId::random();
    peer.docs.insert(id, account("Sync Kimya", ""));
    assert!(offered_and_confirmed(&mut peer, id).await);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/accounts?limit=3&cursor={c}"),
            None => "/api/v1/accounts?limit=3".to_owned(),
        };
        let (status, page) = api.get(&path).await;
        assert_eq!(status, 200, "{page}");
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 3);
        seen.extend(data.iter().map(|r| r["title"].as_str().unwrap().to_owned()));
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    // Folded order: Ç sorts as C, İ as i.
    assert_eq!(
        seen,
        [
            "Akdeniz Lojistik",
            "Bereket Un",
            "Çınar Yapı",
            "Doğa Gıda",
            "Ege Mermer",
            "İpek Halı",
            "Sync Kimya",
            "Zirve Enerji",
        ]
    );
    // The device's record was accepted last (its own creation time is the device's).
    let (_, newest) = api.get("/api/v1/accounts?sort=-updated_at&limit=1").await;
    assert_eq!(newest["data"][0]["title"], "Sync Kimya");
    let (_, oldest) = api.get("/api/v1/accounts?sort=created_at&limit=1").await;
    assert_eq!(oldest["data"][0]["title"], "Sync Kimya");
    let (_, found) = api.get("/api/v1/accounts?q=cinar").await;
    assert_eq!(found["data"][0]["title"], "Çınar Yapı");
    let (status, problem) = api.get("/api/v1/accounts?sort=colour").await;
    assert_eq!(
        (status.as_u16(), problem["code"].as_str()),
        (400, Some("invalid_input"))
    );
    let (status, _) = api.get("/api/v1/accounts?cursor=zz").await;
    assert_eq!(status, 400);
    let (status, _) = api.get("/api/v1/accounts?limit=0").await;
    assert_eq!(status, 400);
    let (status, _) = api.get("/api/v1/ghosts").await;
    assert_eq!(status, 404);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_write_reaches_a_connected_device_and_a_device_write_reaches_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    let (_, created) = api
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "Canlı Ltd" } }),
        )
        .await;
    let id: saha_core::DocumentId = created["id"].as_str().unwrap().parse().unwrap();
    let mut peer = connect(&server, "device").await;
    peer.fetch(id)
        .await
        .expect("the device gets the API's record");
    let (status, _) = api
        .patch(
            &format!("/api/v1/accounts/{id}"),
            json!({ "fields": { "city": "Bursa" } }),
        )
        .await;
    assert_eq!(status, 200);
    let arrived = pump_until(&mut peer, |p| {
        p.docs
            .get(&id)
            .and_then(|d| read_account(d).ok())
            .is_some_and(|a| a.city == "Bursa")
    })
    .await;
    assert!(arrived, "the API's change reached the connected device");
    // And back: the device's edit is what the API reads next.
    edit(peer.docs.get_mut(&id).unwrap(), |f| f.set("city", "Edirne"));
    peer.push(id).await.unwrap();
    let mut city = String::new();
    for _ in 0..50 {
        let (_, record) = api.get(&format!("/api/v1/accounts/{id}")).await;
        city = record["fields"]["city"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if city == "Edirne" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(city, "Edirne");
    // The stored record reads as the API wrote it.
    let (_, record) = api.get(&format!("/api/v1/accounts/{id}")).await;
    let typed: Record = serde_json::from_value(record["record"].clone()).unwrap();
    assert_eq!(typed.title(), "Canlı Ltd");
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_past_its_rate_is_told_when_to_retry() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = saha_server::Config::for_tests(dir.path().to_path_buf(), site_root());
    config.api_requests_per_second = 1;
    config.api_request_burst = 3;
    let server = start_with(config).await;
    let api = Rest::new(&server.http(), &token(&server, &["*:read"], None).await);
    for _ in 0..3 {
        assert_eq!(api.get("/api/v1/accounts").await.0, 200);
    }
    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/accounts", server.http()))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry));
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_create_tokens_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = saha_server::Config::for_tests(dir.path().to_path_buf(), site_root());
    let server = start_embedded(dir.path()).await;
    server.shutdown().await.unwrap();
    let command =
        |email: &str, scopes: &[&str]| saha_server::config::AdminCommand::CreateApiToken {
            email: email.to_owned(),
            name: "Muhasebe".to_owned(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        };
    let refused = saha_server::admin::run(config.clone(), command("yok@anadolu.test", &[])).await;
    assert!(refused.is_err());
    let refused =
        saha_server::admin::run(config.clone(), command(OWNER_EMAIL, &["invoices:pay"])).await;
    assert!(refused.unwrap_err().contains("invoices:pay"));
    let secret = saha_server::admin::run(config.clone(), command(OWNER_EMAIL, &["invoices:read"]))
        .await
        .expect("a token for the owner");
    assert!(secret.starts_with("saha_"));
    let server = start_embedded(dir.path()).await;
    let api = Rest::new(&server.http(), &secret);
    assert_eq!(api.get("/api/v1/invoices").await.0, 200);
    assert_eq!(api.get("/api/v1/accounts").await.0, 403);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let document: Value = reqwest::get(format!("{}/api/v1/openapi.json", server.http()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    for info in saha_core::kinds::KIND_INFO {
        assert!(
            document["paths"][format!("/api/v1/{}", info.section)].is_object(),
            "{}",
            info.section
        );
    }
    let docs = reqwest::get(format!("{}/api/v1/docs", server.http()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(docs.contains("/api/v1/invoices/{id}"));
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_mention_becomes_one_social_case() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let monitor = Rest::new(
        &server.http(),
        &token(&server, &["cases:write"], None).await,
    );
    let mention = json!({
        "url": "https://x.com/musteri/status/1",
        "author": "@musteri",
        "network": "x.com",
        "text": "Siparişim iki haftadır gelmedi, kimse telefona bakmıyor!",
    });
    let (status, case) = monitor
        .post("/api/v1/inbound/mentions", mention.clone())
        .await;
    assert_eq!(status, 201, "{case}");
    assert_eq!(case["fields"]["channel"], "social");
    assert_eq!(case["fields"]["category"], "complaint");
    assert!(
        case["fields"]["notes"]
            .as_str()
            .unwrap()
            .contains("https://x.com/musteri/status/1")
    );
    assert!(
        case["fields"]["notes"]
            .as_str()
            .unwrap()
            .starts_with("@musteri (x.com)")
    );
    // The same link again: the same case, not a second one.
    let (status, again) = monitor.post("/api/v1/inbound/mentions", mention).await;
    assert_eq!(status, 200);
    assert_eq!(again["id"], case["id"]);
    let (_, cases) = monitor.get("/api/v1/cases").await;
    assert_eq!(cases["data"].as_array().unwrap().len(), 1);
    // A mention without its link is refused and stores nothing.
    let (status, problem) = monitor
        .post(
            "/api/v1/inbound/mentions",
            json!({ "url": "", "author": "a", "text": "t" }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let reader = Rest::new(&server.http(), &token(&server, &["cases:read"], None).await);
    let (status, _) = reader
        .post(
            "/api/v1/inbound/mentions",
            json!({ "url": "https://x.com/a/2", "author": "a", "text": "t" }),
        )
        .await;
    assert_eq!(status, 403);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflow_steps_issue_and_pay_invoices_and_convert_leads() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    let (_, account) = api
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "Muhasebe Ticaret" } }),
        )
        .await;
    let account = account["id"].as_str().unwrap().to_owned();
    let (status, deal) = api
        .post(
            "/api/v1/opportunities",
            json!({ "fields": { "name": "Yıllık bakım", "account": account, "stage": "qualification", "currency": "TRY" } }),
        )
        .await;
    assert_eq!(status, 201, "{deal}");
    let deal = deal["id"].as_str().unwrap().to_owned();
    let (status, order) = api
        .post(
            "/api/v1/orders",
            json!({ "fields": { "account": account },
                    "lines": [{ "description": "Bakım", "quantity": "1", "unit_price": "1000", "vat": "20" }] }),
        )
        .await;
    assert_eq!(status, 201, "{order}");
    let order = order["id"].as_str().unwrap().to_owned();

    // A draft invoice made on a device from the order, for the deal.
    let ctx = saha_core::record::EditContext::new("device", saha_server::directory::now_ms());
    let mut draft = saha_core::sales::document::SalesDocument::new("invoice", &ctx);
    draft.account = account.clone();
    draft.source = order.clone();
    draft.opportunity = deal.clone();
    draft
        .set_line(
            "l1",
            &saha_core::record::form::Form::new()
                .with("description", "Bakım")
                .with("quantity", "1")
                .with("unit_price", "1000")
                .with("vat", "20"),
        )
        .unwrap();
    let invoice_id = saha_core::DocumentId::random();
    let mut peer = connect(&server, "device").await;
    peer.docs
        .insert(invoice_id, Record::Sales(draft).create().unwrap());
    assert!(offered_and_confirmed(&mut peer, invoice_id).await);
    let invoice = format!("/api/v1/invoices/{invoice_id}");

    // A draft is not paid; unknown steps and steps of another kind are 404.
    let (status, problem) = api.post(&format!("{invoice}/pay"), json!({})).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["code"], "invoice_not_issued");
    assert_eq!(
        api.post(&format!("{invoice}/refund"), json!({})).await.0,
        404
    );
    assert_eq!(
        api.post(&format!("/api/v1/accounts/{account}/pay"), json!({}))
            .await
            .0,
        404
    );
    // A token without invoices:write may not.
    let reader = Rest::new(&server.http(), &token(&server, &["*:read"], None).await);
    assert_eq!(
        reader.post(&format!("{invoice}/issue"), json!({})).await.0,
        403
    );

    // Issued: numbered, dated, locked; the order is invoiced and the deal won.
    let (status, issued) = api.post(&format!("{invoice}/issue"), json!({})).await;
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["status"], "issued");
    let number = issued["record"]["Sales"]["fields"]["number"]
        .as_str()
        .unwrap_or_default();
    assert!(
        number.len() == 16 && number[3..].starts_with("20"),
        "{issued}"
    );
    assert_eq!(issued["title"], number);
    let (_, order_now) = api.get(&format!("/api/v1/orders/{order}")).await;
    assert_eq!(order_now["status"], "invoiced", "{order_now}");
    let (_, deal_now) = api.get(&format!("/api/v1/opportunities/{deal}")).await;
    assert_eq!(deal_now["fields"]["stage"], "won", "{deal_now}");
    // Not twice.
    let (status, problem) = api.post(&format!("{invoice}/issue"), json!({})).await;
    assert_eq!(
        (status.as_u16(), problem["errors"][0]["code"].as_str()),
        (422, Some("invoice_already_issued"))
    );

    // Paid: the account earns 12 points (1 200,00 TRY gross, 1 point per 100), once;
    // the device that made it hears of it.
    let (status, paid) = api.post(&format!("{invoice}/pay"), json!({})).await;
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["status"], "paid");
    let (_, account_now) = api.get(&format!("/api/v1/accounts/{account}")).await;
    let ledger = account_now["record"]["Account"]["fields"]["loyalty"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(ledger.len(), 1, "{account_now}");
    assert_eq!(ledger[0]["points"], 12);
    assert_eq!(ledger[0]["invoice"], invoice_id.to_string());
    assert_eq!(api.post(&format!("{invoice}/pay"), json!({})).await.0, 422);
    let heard = pump_until(&mut peer, |p| {
        p.docs.get(&invoice_id).is_some_and(
            |doc| matches!(Record::read(doc), Some(Ok(Record::Sales(d))) if d.status == "paid"),
        )
    })
    .await;
    assert!(heard, "the paid invoice reached the device");

    // An accepted quote makes a numbered order, the order a draft invoice, each citing
    // its source; a quote still in draft does not.
    let (_, quote) = api
        .post(
            "/api/v1/quotes",
            json!({ "fields": { "account": account, "opportunity": deal },
                    "lines": [{ "description": "Vana", "quantity": "2", "unit_price": "500", "vat": "20" }] }),
        )
        .await;
    let quote = quote["id"].as_str().unwrap().to_owned();
    let (status, problem) = api
        .post(&format!("/api/v1/quotes/{quote}/order"), json!({}))
        .await;
    assert_eq!(
        (status.as_u16(), problem["errors"][0]["code"].as_str()),
        (422, Some("quote_not_accepted"))
    );
    let (status, _) = api
        .patch(
            &format!("/api/v1/quotes/{quote}"),
            json!({ "fields": { "status": "accepted" } }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, made_order) = api
        .post(&format!("/api/v1/quotes/{quote}/order"), json!({}))
        .await;
    assert_eq!(status, 201, "{made_order}");
    assert_eq!(made_order["kind"], "order");
    assert_eq!(
        made_order["record"]["Sales"]["fields"]["source"],
        quote.as_str()
    );
    assert!(!made_order["title"].as_str().unwrap_or_default().is_empty());
    assert_eq!(made_order["totals"]["gross"], "1200.00");
    let made_order = made_order["id"].as_str().unwrap().to_owned();
    let (status, made_invoice) = api
        .post(&format!("/api/v1/orders/{made_order}/invoice"), json!({}))
        .await;
    assert_eq!(status, 201, "{made_invoice}");
    assert_eq!(made_invoice["status"], "draft");
    assert_eq!(
        made_invoice["record"]["Sales"]["fields"]["source"],
        made_order.as_str()
    );
    assert_eq!(
        made_invoice["record"]["Sales"]["fields"]["opportunity"],
        deal.as_str()
    );

    // A lead becomes an account, a contact (with its consent log) and an opportunity.
    let (_, lead) = api
        .post(
            "/api/v1/leads",
            json!({ "fields": { "name": "Derya Kılınç", "company": "Kılınç Gıda", "email": "derya@kilinc.com.tr" } }),
        )
        .await;
    let lead = format!("/api/v1/leads/{}", lead["id"].as_str().unwrap());
    let (status, converted) = api.post(&format!("{lead}/convert"), json!({})).await;
    assert_eq!(status, 200, "{converted}");
    assert_eq!(converted["status"], "converted");
    let made = &converted["record"]["Lead"]["fields"];
    let (status, new_account) = api
        .get(&format!(
            "/api/v1/accounts/{}",
            made["converted_account"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(new_account["fields"]["name"], "Kılınç Gıda");
    let (_, contact) = api
        .get(&format!(
            "/api/v1/contacts/{}",
            made["converted_contact"].as_str().unwrap()
        ))
        .await;
    assert_eq!(contact["fields"]["email"], "derya@kilinc.com.tr");
    let (status, _) = api
        .get(&format!(
            "/api/v1/opportunities/{}",
            made["converted_opportunity"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    let (status, problem) = api.post(&format!("{lead}/convert"), json!({})).await;
    assert_eq!(
        (status.as_u16(), problem["errors"][0]["code"].as_str()),
        (422, Some("lead_already_converted"))
    );

    // A second lead from the same company converts into the existing account: no second
    // account, and the account gains only what it lacked.
    let account_id = made["converted_account"].as_str().unwrap().to_owned();
    let contact_id = made["converted_contact"].as_str().unwrap().to_owned();
    let (_, second) = api
        .post(
            "/api/v1/leads",
            json!({ "fields": { "name": "Murat Kılınç", "company": "KILINÇ GIDA A.Ş.", "city": "Konya", "email": "murat@kilinc.com.tr" } }),
        )
        .await;
    let second = format!("/api/v1/leads/{}", second["id"].as_str().unwrap());
    let (status, problem) = api
        .post(&format!("{second}/convert"), json!({ "account": "nope" }))
        .await;
    assert_eq!(status, 400, "{problem}");
    let (status, problem) = api
        .post(
            &format!("{second}/convert"),
            json!({ "acount": account_id }),
        )
        .await;
    assert_eq!(status, 400, "{problem}");
    let (status, problem) = api
        .post(
            &format!("{second}/convert"),
            json!({ "account": contact_id }),
        )
        .await;
    assert_eq!(status, 404, "a contact is no account: {problem}");
    let (status, converted) = api
        .post(
            &format!("{second}/convert"),
            json!({ "account": account_id }),
        )
        .await;
    assert_eq!(status, 200, "{converted}");
    let made = &converted["record"]["Lead"]["fields"];
    assert_eq!(made["converted_account"], account_id.as_str());
    assert_ne!(made["converted_contact"], contact_id.as_str());
    let (_, account) = api.get(&format!("/api/v1/accounts/{account_id}")).await;
    assert_eq!(account["fields"]["name"], "Kılınç Gıda");
    assert_eq!(account["fields"]["city"], "Konya");
    let (_, new_contact) = api
        .get(&format!(
            "/api/v1/contacts/{}",
            made["converted_contact"].as_str().unwrap()
        ))
        .await;
    assert_eq!(new_contact["fields"]["account"], account_id.as_str());
    let (_, accounts) = api.get("/api/v1/accounts?q=kilinc").await;
    assert_eq!(
        accounts["data"].as_array().map(Vec::len),
        Some(1),
        "{accounts}"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profitability_report_ranks_what_the_caller_may_see() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let north = server.team("Kuzey").await;
    let south = server.team("Güney").await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[&north])
        .await;
    let rep_id = rep.user_id().await.unwrap();
    let admin = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    // Two accounts, one per team, each with an order: margins 300 (north) and 800.
    let mut accounts = Vec::new();
    for (name, team, price, cost) in [
        ("Kuzey Gıda", &north, "1000", "700"),
        ("Güney Yapı", &south, "2000", "1200"),
    ] {
        let (_, account) = admin
            .post(
                "/api/v1/accounts",
                json!({ "fields": { "name": name, "team": team } }),
            )
            .await;
        let account = account["id"].as_str().unwrap().to_owned();
        let (status, order) = admin
            .post(
                "/api/v1/orders",
                json!({ "fields": { "account": account, "team": team },
                        "lines": [
                            { "description": "Mal", "quantity": "1", "unit_price": price, "vat": "20", "unit_cost": cost },
                            { "description": "Nakliye", "quantity": "1", "unit_price": "100", "vat": "20" }
                        ] }),
            )
            .await;
        assert_eq!(status, 201, "{order}");
        accounts.push(account);
    }
    let (status, report) = admin.get("/api/v1/reports/profitability").await;
    assert_eq!(status, 200, "{report}");
    let ranked = report["accounts"].as_array().unwrap();
    assert_eq!(ranked.len(), 2);
    // By margin: the southern account first (800, class A), then 300 (share before it
    // 800 / 1100 = 72.7 % < 80: also A).
    assert_eq!(ranked[0]["account"], accounts[1].as_str());
    assert_eq!(ranked[0]["accountName"], "Güney Yapı");
    assert_eq!(
        (
            ranked[0]["revenue"].as_str(),
            ranked[0]["margin"].as_str(),
            ranked[0]["marginPercent"].as_str()
        ),
        (Some("2100.00"), Some("800.00"), Some("40.0"))
    );
    assert_eq!(ranked[0]["class"], "A");
    assert_eq!(ranked[1]["margin"], "300.00");
    assert_eq!(report["uncostedLines"], 2, "the freight lines have no cost");
    assert_eq!(report["rfmTooFew"], true);
    assert_eq!(report["whaleCurve"].as_array().unwrap().len(), 3);
    // Cut-offs are the caller's: at 70 % the second account is B.
    let (_, tighter) = admin.get("/api/v1/reports/profitability?a=70&b=90").await;
    assert_eq!(tighter["accounts"][1]["class"], "B");
    assert_eq!(
        admin.get("/api/v1/reports/profitability?a=90&b=50").await.0,
        400
    );
    assert_eq!(
        admin.get("/api/v1/reports/profitability?since=dün").await.0,
        400
    );
    assert_eq!(admin.get("/api/v1/reports/forecast").await.0, 404);
    // A rep of the north sees the north's figures only.
    let rep_api = Rest::new(
        &server.http(),
        &token(&server, &["orders:read", "invoices:read"], Some(&rep_id)).await,
    );
    let (status, theirs) = rep_api.get("/api/v1/reports/profitability").await;
    assert_eq!(status, 200, "{theirs}");
    let theirs = theirs["accounts"].as_array().unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["account"], accounts[0].as_str());
    // Without the scopes, no report.
    let accounts_only = Rest::new(
        &server.http(),
        &token(&server, &["accounts:read"], Some(&rep_id)).await,
    );
    assert_eq!(
        accounts_only.get("/api/v1/reports/profitability").await.0,
        403
    );
    server.shutdown().await.unwrap();
}

/// The customer reports over the worked example of `saha_bench::analytics` (its table
/// gives the answers): the matrix, retention, cross-selling and demand.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_reports_answer_the_worked_example() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let user = server.owner.user_id().await.unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let made = saha_bench::analytics::dataset(&user, now);
    saha_bench::peer::store_records(&server.owner, &made, now)
        .await
        .unwrap();
    // Record IDs by title (accounts and products).
    let id_of = |title: &str| {
        made.iter()
            .find_map(|(_, id, doc)| {
                let record = Record::read(doc)?.ok()?;
                // A product's title is "SKU · name".
                let t = record.title();
                (t == title || t.ends_with(&format!(" · {title}"))).then(|| id.to_string())
            })
            .unwrap_or_else(|| panic!("{title} was seeded"))
    };
    let admin = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    // The projection follows the stored documents.
    let mut matrix = Value::Null;
    for _ in 0..100 {
        let (status, body) = admin.get("/api/v1/reports/satisfaction-loyalty").await;
        assert_eq!(status, 200, "{body}");
        matrix = body;
        if matrix["accounts"].as_array().map_or(0, Vec::len) == 6 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        matrix["counts"],
        json!({ "dangerous": 1, "captive": 1, "mercenary": 1, "advocate": 1 })
    );
    assert_eq!(matrix["noData"], 2);
    assert_eq!(
        (
            matrix["satisfiedFrom"].as_i64(),
            matrix["loyalFrom"].as_i64()
        ),
        (Some(75), Some(50))
    );
    let standing = |name: &str| {
        matrix["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["accountName"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} is counted"))
    };
    assert_eq!(standing("Tutsak Market")["group"], "captive");
    assert_eq!(standing("Tutsak Market")["satisfaction"], 0);
    // Bought every quarter (repeat 100) since 1,055 days ago (tenure 1,055 × 100 ÷ 1,095
    // = 96): (75 × 100 + 25 × 96) ÷ 100.
    assert_eq!(standing("Savunucu Gıda")["loyalty"], 99);
    assert_eq!(standing("Riskli Otel")["group"], "no_data");
    assert_eq!(standing("Riskli Otel")["satisfaction"], Value::Null);

    let (status, retention) = admin.get("/api/v1/reports/retention").await;
    assert_eq!(status, 200, "{retention}");
    let customer = |name: &str| {
        retention["customers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["accountName"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} is listed"))
    };
    let risky = customer("Riskli Otel");
    assert_eq!(
        (
            &risky["usualInterval"],
            &risky["daysSinceLast"],
            &risky["atRisk"],
            &risky["silent"]
        ),
        (&json!(30), &json!(100), &json!(true), &json!(false))
    );
    assert_eq!(customer("Sessiz A.Ş.")["silent"], true);
    // By margin, highest first: the three-year customer leads.
    assert_eq!(retention["customers"][0]["accountName"], "Savunucu Gıda");

    let olives = id_of("Salamura Zeytin 1 kg");
    let oil = id_of("Sızma Zeytinyağı 5 L");
    let (status, offer) = admin
        .get(&format!(
            "/api/v1/reports/cross-sell?account={}",
            id_of("Paralı Ticaret")
        ))
        .await;
    assert_eq!(status, 200, "{offer}");
    assert_eq!(offer["bought"], json!([oil]));
    assert_eq!(offer["suggestions"][0]["product"], olives.as_str());
    assert_eq!(offer["suggestions"][0]["because"], oil.as_str());
    assert!(offer["suggestions"][0]["lift"].as_f64().unwrap() > 0.0);
    assert_eq!(admin.get("/api/v1/reports/cross-sell").await.0, 400);

    let (_, products) = admin.get("/api/v1/reports/demand").await;
    assert_eq!(products["products"][0]["product"], oil.as_str());
    let (status, demand) = admin
        .get(&format!("/api/v1/reports/demand?product={oil}"))
        .await;
    assert_eq!(status, 200, "{demand}");
    assert!(demand["history"].as_array().unwrap().len() >= 24);
    assert_eq!(demand["forecast"]["months"].as_array().unwrap().len(), 3);
    assert!(demand["forecast"]["mae"].as_f64().is_some());
    assert_eq!(admin.get("/api/v1/reports/demand?product=yağ").await.0, 400);

    // The reports read accounts, contacts, campaigns and cases: sales scopes alone do not do.
    let sales_only = Rest::new(
        &server.http(),
        &token(&server, &["orders:read", "invoices:read"], None).await,
    );
    assert_eq!(
        sales_only
            .get("/api/v1/reports/satisfaction-loyalty")
            .await
            .0,
        403
    );
    server.shutdown().await.unwrap();
}

/// Team performance this month over deals made and closed through the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_performance_report_counts_this_months_deals() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    let (status, account) = api
        .post(
            "/api/v1/accounts",
            json!({ "fields": { "name": "Performans A.Ş." } }),
        )
        .await;
    assert_eq!(status, 201, "{account}");
    let account = account["id"].as_str().unwrap().to_owned();
    let mut deals = Vec::new();
    for (name, amount) in [
        ("Kazanılacak", "5000"),
        ("Kaybedilecek", "800"),
        ("Açık", "2000"),
    ] {
        let (status, deal) = api
            .post(
                "/api/v1/opportunities",
                json!({ "fields": { "name": name, "account": account, "amount": amount, "stage": "prospecting", "currency": "TRY" } }),
            )
            .await;
        assert_eq!(status, 201, "{deal}");
        deals.push(format!(
            "/api/v1/opportunities/{}",
            deal["id"].as_str().unwrap()
        ));
    }
    for (path, fields) in [
        (&deals[0], json!({ "stage": "won" })),
        (
            &deals[1],
            json!({ "stage": "lost", "lost_reason": "Fiyat" }),
        ),
        (&deals[2], json!({ "stage": "proposal" })),
    ] {
        let (status, body) = api.patch(path, json!({ "fields": fields })).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, report) = api.get("/api/v1/reports/performance").await;
    assert_eq!(status, 200, "{report}");
    let total = &report["total"];
    assert_eq!(
        (total["won"].as_u64(), total["lost"].as_u64()),
        (Some(1), Some(1))
    );
    // The open deal is not in the win rate: 1 ÷ (1 + 1).
    assert_eq!(total["winRatePercent"], 50);
    assert_eq!(total["wonRevenue"], "5000.00");
    // 2,000 in proposal (50 %).
    assert_eq!(total["weightedPipeline"], "1000.00");
    assert_eq!(total["medianSalesCycleDays"], 0);
    let step = |code: &str| {
        report["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == code)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            step("prospecting")["entered"].as_u64(),
            step("prospecting")["movedOn"].as_u64()
        ),
        (Some(3), Some(2))
    );
    assert_eq!(
        report["reps"].as_array().unwrap().len(),
        1,
        "the owner made them"
    );
    // Six months of NPS up to this month's end, none answered.
    let nps = report["nps"].as_array().unwrap();
    assert_eq!(nps.len(), 6);
    assert!(nps.iter().all(|m| m["answers"] == 0 && m["nps"].is_null()));
    assert_eq!(
        api.get("/api/v1/reports/performance?period=decade").await.0,
        400
    );
    assert_eq!(
        api.get("/api/v1/reports/performance?period=year").await.0,
        200
    );
    // A custom period: the same month's days give the same figures; a past year none.
    let (from, to) = (
        report["period"]["from"].as_str().unwrap().to_owned(),
        report["period"]["to"].as_str().unwrap().to_owned(),
    );
    let (status, custom) = api
        .get(&format!("/api/v1/reports/performance?from={from}&to={to}"))
        .await;
    assert_eq!(status, 200, "{custom}");
    assert_eq!(custom["total"], report["total"]);
    let (status, past) = api
        .get("/api/v1/reports/performance?period=custom&from=2020-01-01&to=2020-12-31")
        .await;
    assert_eq!(status, 200, "{past}");
    assert_eq!(past["total"]["won"], 0);
    assert_eq!(past["period"]["from"], "2020-01-01");
    for bad in [
        "from=2026-03-11&to=2026-03-10",
        "from=2026-01-01",
        "period=month&from=2026-01-01&to=2026-01-31",
        "from=01.01.2026&to=2026-01-31",
        "from=2010-01-01&to=2026-01-31",
    ] {
        let (status, problem) = api.get(&format!("/api/v1/reports/performance?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {problem}");
    }
    let sales_only = Rest::new(
        &server.http(),
        &token(&server, &["orders:read", "invoices:read"], None).await,
    );
    assert_eq!(sales_only.get("/api/v1/reports/performance").await.0, 403);
    server.shutdown().await.unwrap();
}

/// A segment made through the API with every analytics filter set — and a name of
/// control characters, as the OpenAPI fuzzer sent it (schemathesis case 1VFH91, which
/// got a 500) — is stored or refused field by field, never a server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_segment_with_every_filter_is_stored_or_refused_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Rest::new(&server.http(), &token(&server, &["*:write"], None).await);
    let (status, body) = api
        .post(
            "/api/v1/segments",
            json!({ "fields": { "tags": false, "notes": null, "retention": "silent",
                "name": "\u{0}\u{16}j", "rfm_recency": "", "satisfaction_group": "unhappy",
                "rfm_frequency": "mid", "city": null, "rfm_monetary": "", "customer_type": "" } }),
        )
        .await;
    assert!(status.is_client_error() || status == 201, "{status} {body}");
    server.shutdown().await.unwrap();
}
