//! The retention policy against a real server (on PostgreSQL too, with
//! `SAHA_TEST_STORAGE=postgres`): a privacy officer saves a policy, its preview lists
//! what is due, and the scheduled run erases exactly that — the idle lead, the former
//! customer with its contact, the old call — while the records about them live on
//! without them; the run is logged and audited, the schedule does not run twice, and
//! the storage holds none of their markers.
//!
//! The schedule is driven in-process with a clock two years ahead
//! ([`saha_server::privacy::retention::run_due`]): the records are made now.

mod common;

use std::collections::BTreeSet;

use common::*;
use saha_core::DocumentId;
use saha_server::privacy::retention;
use saha_server::storage::DocumentStore;
use serde_json::{Value, json};

const DAY_MS: i64 = 86_400_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_run_erases_exactly_what_its_preview_listed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let tag: String = DocumentId::random()
        .to_string()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let lead_name = format!("Aday Bekleyen{tag}");
    let lead_email = format!("aday.{tag}@bekleyen.test").to_lowercase();
    let former_name = format!("Eski Müşteri{tag} Ltd");
    let contact_email = format!("yetkili.{tag}@eski.test").to_lowercase();

    let lead = create_through_api(
        &server,
        "leads",
        json!({ "name": lead_name, "email": lead_email }),
    )
    .await;
    let fresh_lead = create_through_api(&server, "leads", json!({ "name": "Taze Aday" })).await;
    let former = create_through_api(
        &server,
        "accounts",
        json!({ "name": former_name, "type": "former" }),
    )
    .await;
    let current = create_through_api(
        &server,
        "accounts",
        json!({ "name": "Güncel Müşteri", "type": "current" }),
    )
    .await;
    let contact = create_through_api(
        &server,
        "contacts",
        json!({ "name": format!("Yetkili {tag}"), "email": contact_email, "account": former }),
    )
    .await;
    // An old call to the current customer (destroyed by the call log rule), a task
    // about the lead (kept, without the lead), a case that names the contact's address
    // (kept, masked).
    let old_call = create_through_api(
        &server,
        "calls",
        json!({ "direction": "outgoing", "number": "0532 111 22 33", "account": current,
                "started": "2020-03-02T09:00", "outcome": "reached" }),
    )
    .await;
    let task = create_through_api(
        &server,
        "tasks",
        json!({ "subject": format!("{lead_name} tekrar aranacak"), "status": "open",
                "link": lead }),
    )
    .await;
    let case = create_through_api(
        &server,
        "cases",
        json!({ "subject": format!("Fatura sorusu: {contact_email}"), "account": current }),
    )
    .await;

    // Only privacy handlers see or change the policy; a bad policy is refused.
    let sales = server.member("satis@example.com", "sales_rep", &[]).await;
    let (status, _) = sales.get("/api/privacy/retention").await.unwrap();
    assert_eq!(status, 403);
    let (status, state) = server.owner.get("/api/privacy/retention").await.unwrap();
    assert_eq!(status, 200, "{state}");
    assert_eq!(
        state["nextRun"],
        Value::Null,
        "all rules start off: {state}"
    );
    let (status, body) = server
        .owner
        .send(
            reqwest::Method::PUT,
            "/api/privacy/retention",
            &json!({ "idleLeadsMonths": 0, "intervalDays": 30 }),
        )
        .await
        .unwrap();
    assert_eq!(status, 400, "{body}");
    let (status, body) = server
        .owner
        .send(
            reqwest::Method::PUT,
            "/api/privacy/retention",
            &json!({ "callLogsMonths": 12, "intervalDays": 200 }),
        )
        .await
        .unwrap();
    assert_eq!(status, 400, "{body}");
    let policy = json!({ "idleLeadsMonths": 12, "formerCustomersMonths": 18,
                         "callLogsMonths": 36, "intervalDays": 30 });
    let (status, state) = server
        .owner
        .send(reqwest::Method::PUT, "/api/privacy/retention", &policy)
        .await
        .unwrap();
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["policy"], policy);
    let saved_at = state["savedAt"].as_i64().unwrap();
    assert_eq!(state["nextRun"], saved_at + 30 * DAY_MS);

    // Today the old call alone is due (started in 2020); the preview changes nothing.
    let (status, today) = server
        .owner
        .get("/api/privacy/retention/preview")
        .await
        .unwrap();
    assert_eq!(status, 200, "{today}");
    let ids = |due: &Value| -> Vec<String> {
        due.as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&today), std::slice::from_ref(&old_call), "{today}");
    assert_eq!(today[0]["rule"], "call_logs");

    // Two years on, with nothing done meanwhile.
    let workspace = server.state.directory.workspaces().unwrap()[0].id.clone();
    let later = saha_server::directory::now_ms() + 2 * 365 * DAY_MS;
    let preview = retention::preview(&server.state.hub, &workspace, later)
        .await
        .unwrap();
    let listed: Vec<(String, String)> = preview
        .iter()
        .map(|d| (d.id.clone(), d.rule.code().to_owned()))
        .collect();
    let expected: BTreeSet<(String, String)> = [
        (lead.clone(), "idle_leads"),
        (fresh_lead.clone(), "idle_leads"),
        (former.clone(), "former_customers"),
        (contact.clone(), "former_customers"),
        (old_call.clone(), "call_logs"),
    ]
    .into_iter()
    .map(|(id, rule)| (id, rule.to_owned()))
    .collect();
    assert_eq!(
        listed.iter().cloned().collect::<BTreeSet<_>>(),
        expected,
        "{preview:?}"
    );

    // The schedule runs it once.
    let storage = server.hub.storage();
    for marker in [&lead_email, &contact_email, &format!("Bekleyen{tag}")] {
        assert!(
            storage.raw_occurrences(marker).await.unwrap() > 0,
            "{marker}"
        );
    }
    let runs = retention::run_due(
        &server.state.hub,
        &server.state.directory,
        &server.state.blobs,
        later,
    )
    .await
    .unwrap();
    assert_eq!(runs.len(), 1);
    let (ran_in, run) = &runs[0];
    assert_eq!(ran_in, &workspace);
    let erased: Vec<(String, String)> = run
        .erased
        .iter()
        .map(|e| (e.id.clone(), e.rule.code().to_owned()))
        .collect();
    assert_eq!(
        erased, listed,
        "the run erased exactly its preview, in order"
    );
    assert_eq!(run.by, "", "a scheduled run");
    assert!(
        retention::run_due(
            &server.state.hub,
            &server.state.directory,
            &server.state.blobs,
            later + 1_000
        )
        .await
        .unwrap()
        .is_empty(),
        "not due again until the interval has passed"
    );

    // Gone, on every path; the records about them live on without them.
    for marker in [&lead_email, &contact_email, &format!("Bekleyen{tag}")] {
        assert_eq!(
            storage.raw_occurrences(marker).await.unwrap(),
            0,
            "{marker} is gone from storage"
        );
    }
    for (section, id) in [
        ("leads", &lead),
        ("accounts", &former),
        ("contacts", &contact),
        ("calls", &old_call),
        ("tasks", &task),
        ("cases", &case),
    ] {
        let (status, _) = server
            .owner
            .get(&format!("/api/v1/{section}/{id}"))
            .await
            .unwrap();
        assert_eq!(status, 404, "{section}/{id}");
    }
    let (_, erased_docs) = server.owner.get("/api/sync/erased").await.unwrap();
    let replaced = |old: &str| {
        erased_docs
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == old)
            .and_then(|d| d["replacedBy"].as_str())
            .map(ToOwned::to_owned)
    };
    let kept_task = replaced(&task).expect("the task is kept");
    let (status, task_now) = server
        .owner
        .get(&format!("/api/v1/tasks/{kept_task}"))
        .await
        .unwrap();
    assert_eq!(status, 200, "{task_now}");
    assert_eq!(task_now["fields"]["link"], "", "{task_now}");
    assert_eq!(
        task_now["fields"]["subject"], "*** tekrar aranacak",
        "{task_now}"
    );
    let kept_case = replaced(&case).expect("the case is kept");
    let (_, case_now) = server
        .owner
        .get(&format!("/api/v1/cases/{kept_case}"))
        .await
        .unwrap();
    assert_eq!(case_now["fields"]["subject"], "Fatura sorusu: ***");
    for untouched in [&current] {
        let (status, _) = server
            .owner
            .get(&format!("/api/v1/accounts/{untouched}"))
            .await
            .unwrap();
        assert_eq!(status, 200);
    }

    // Logged and audited without names; nobody was put on the suppression list.
    let (_, runs) = server
        .owner
        .get("/api/privacy/retention/runs")
        .await
        .unwrap();
    assert_eq!(runs[0]["id"], run.id.as_str(), "{runs}");
    assert!(!runs.to_string().contains(&tag), "{runs}");
    let (_, audit) = server.owner.get("/api/audit").await.unwrap();
    assert!(!audit.to_string().contains(&tag), "{audit}");
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "privacy.retention_ran"
                && e["target"] == run.id.as_str()
                && e["actor"] == ""),
        "{audit}"
    );
    assert!(
        !saha_server::privacy::erasure::is_suppressed(&storage.tables(), &workspace, &lead_email)
            .unwrap()
    );
    let (_, state) = server.owner.get("/api/privacy/retention").await.unwrap();
    assert_eq!(state["lastRun"], later);

    // A run asked for by hand, with nothing due: logged too.
    let (status, by_hand) = server
        .owner
        .post("/api/privacy/retention/runs", &json!({}))
        .await
        .unwrap();
    assert_eq!(status, 201, "{by_hand}");
    assert_eq!(by_hand["erased"], json!([]));
    assert_eq!(by_hand["by"], OWNER_EMAIL);

    // Two runs at once (by hand and by the schedule, say): the second finds the first's
    // work done, and nothing is rebuilt twice.
    let again =
        create_through_api(&server, "leads", json!({ "name": format!("İkinci{tag}") })).await;
    create_through_api(
        &server,
        "tasks",
        json!({ "subject": format!("İkinci{tag} için teklif"), "status": "open", "link": again }),
    )
    .await;
    let much_later = later + 2 * 365 * DAY_MS;
    let (first, second) = tokio::join!(
        retention::run(
            &server.state.hub,
            &server.state.directory,
            &server.state.blobs,
            &workspace,
            "a@example.com",
            much_later
        ),
        retention::run(
            &server.state.hub,
            &server.state.directory,
            &server.state.blobs,
            &workspace,
            "b@example.com",
            much_later
        ),
    );
    let erased: usize = [first.unwrap(), second.unwrap()]
        .iter()
        .map(|r| r.erased.iter().filter(|e| e.id == again).count())
        .sum();
    assert_eq!(erased, 1, "one of the runs erased the lead");
    let tasks: Vec<String> = saha_server::privacy::erasure::records_of(storage, &workspace)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, r)| r.kind() == "task" && r.title().contains("için teklif"))
        .map(|(_, r)| r.title())
        .collect();
    assert_eq!(tasks, ["*** için teklif"], "the task is rebuilt once");
}

/// The same policy through the REST API: only with a `privacy:` scope and a role that
/// handles privacy, every field out of range named, and a run that erases what its
/// preview listed, logged and audited with the token's name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policy_is_kept_and_run_through_the_rest_api() {
    use reqwest::StatusCode;
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
    let old_call = create_through_api(
        &server,
        "calls",
        json!({ "direction": "incoming", "number": "0532 111 22 33",
                "started": "2019-05-06T10:00", "outcome": "reached" }),
    )
    .await;
    let recent_call = create_through_api(
        &server,
        "calls",
        json!({ "direction": "incoming", "number": "0532 111 22 44",
                "started": "2026-11-02T10:00", "outcome": "reached" }),
    )
    .await;

    // `*` is every record kind, not the retention policy; a sales rep's token acts
    // with a sales rep's role; a reader cannot save.
    let (status, body) = everything.get("/api/v1/privacy/retention").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "insufficient_scope");
    let policy = json!({ "callLogsMonths": 36, "intervalDays": 90 });
    let (status, body) = rep_writer
        .put("/api/v1/privacy/retention", policy.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "forbidden");
    let (status, body) = reader
        .put("/api/v1/privacy/retention", policy.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Out of range: every field named; not a policy at all: 400. Nothing saved.
    let (status, body) = writer
        .put(
            "/api/v1/privacy/retention",
            json!({ "idleLeadsMonths": 0, "callLogsMonths": 601, "intervalDays": 183 }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "validation_failed", "{body}");
    let named: BTreeSet<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("idleLeadsMonths", "retention_months"),
        ("callLogsMonths", "retention_months"),
        ("intervalDays", "retention_interval"),
    ]
    .iter()
    .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(named, expected, "{body}");
    let (status, body) = writer
        .put(
            "/api/v1/privacy/retention",
            json!({ "intervalDays": 30, "keepForever": true }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, state) = reader.get("/api/v1/privacy/retention").await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["savedAt"], 0, "{state}");
    assert_eq!(state["nextRun"], Value::Null, "{state}");

    let (status, saved) = writer.put("/api/v1/privacy/retention", policy).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["policy"]["callLogsMonths"], 36);
    assert_eq!(saved["policy"]["idleLeadsMonths"], Value::Null);
    assert!(saved["nextRun"].as_i64().unwrap() > saved["savedAt"].as_i64().unwrap());
    let (_, state) = reader.get("/api/v1/privacy/retention").await;
    assert_eq!(state, saved);

    let (status, preview) = reader.get("/api/v1/privacy/retention/preview").await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let listed: Vec<&str> = preview["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, vec![old_call.as_str()], "{preview}");
    assert_eq!(preview["data"][0]["rule"], "call_logs");

    let (status, body) = reader
        .post("/api/v1/privacy/retention/runs", json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, run) = writer
        .post("/api/v1/privacy/retention/runs", json!({}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    assert_eq!(
        run["erased"],
        json!([{ "id": old_call, "kind": "call", "rule": "call_logs" }]),
        "{run}"
    );
    assert!(run["by"].as_str().unwrap().contains("token"), "{run}");
    let (status, runs) = reader.get("/api/v1/privacy/retention/runs").await;
    assert_eq!(status, StatusCode::OK, "{runs}");
    assert_eq!(runs["data"][0]["id"], run["id"], "{runs}");

    let (status, _) = server
        .owner
        .get(&format!("/api/v1/calls/{old_call}"))
        .await
        .unwrap();
    assert_eq!(status, 404);
    let (status, _) = server
        .owner
        .get(&format!("/api/v1/calls/{recent_call}"))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let (_, audit) = server.owner.get("/api/audit").await.unwrap();
    for action in ["privacy.retention_saved", "privacy.retention_ran"] {
        assert!(
            audit
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == action && e["actor"].as_str().unwrap().contains("token")),
            "{action}: {audit}"
        );
    }
    server.shutdown().await.unwrap();
}
