//! Regression tests for what a hostile member's test of the server found, one per
//! finding, each against a real server on port 0 with members of several roles and
//! teams, raw protocol peers and hand-made frames. Strings are written the way a stock
//! JS automerge client writes them (text objects) as well as Saha's way (scalars).

mod common;

use std::collections::HashSet;
use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc, ScalarValue};
use common::{
    ApiClient, OWNER_EMAIL, PASSWORD, connect, connect_as, no_quiet_hours, offered_and_confirmed,
    sales_calendar, site_root, start, start_with,
};
use saha_core::DocumentId;
use saha_core::engagement::campaign::{Campaign, DeliveryState, Status};
use saha_core::parties::consent::{self, Channel, NewConsent, RecipientType};
use saha_core::parties::contact::Contact;
use saha_core::record::{self, EditContext, RecordType, create, read};
use saha_server::Config;
use saha_server::storage::DocumentStore;
use serde_json::json;

/// A contact in `team` with a mobile number who consented to SMS.
fn consenting_contact(name: &str, team: &str, mobile: &str) -> Automerge {
    let ctx = EditContext::new("owner", 1);
    let mut c = Contact::blank(&ctx);
    c.name = name.into();
    c.common.team = team.into();
    c.mobile = mobile.into();
    c.consents.push(
        consent::record(
            &[],
            &NewConsent {
                channel: "MESAJ".into(),
                status: "ONAY".into(),
                source: "HS_FIZIKSEL_ORTAM".into(),
                recipient: mobile.into(),
                ..NewConsent::default()
            },
            RecipientType::Individual,
            format!("consent-{name}"),
            1_000,
            "owner",
        )
        .unwrap(),
    );
    create(&c).unwrap()
}

fn put_text(tx: &mut automerge::transaction::Transaction<'_>, key: &str, value: &str) {
    let text = tx.put_object(ROOT, key, ObjType::Text).unwrap();
    tx.splice_text(&text, 0, 0, value).unwrap();
}

/// Numbers the log-only SMS provider sent to.
fn sms_recipients(log: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["to"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn refusal_codes(member: &ApiClient) -> Vec<(String, String)> {
    let (status, list) = member.get("/api/sync/refusals").await.unwrap();
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["document"].as_str().unwrap().to_owned(),
                r["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Finding 1 (high): a sales rep approved and sent a campaign to another team's
/// contact (status written as text; a kind-less document given a kind later), and read
/// the phone number in its deliveries; other teams' records were listed in the index.
#[tokio::test]
async fn a_rep_neither_approves_nor_reaches_other_teams_nor_reads_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let sms_log = dir.path().join("sms.jsonl");
    let mut config = Config::for_tests(dir.path().join("data"), site_root());
    config.sms_log = Some(sms_log.clone());
    let server = start_with(config).await;
    no_quiet_hours(&server).await;
    let istanbul = server.team("İstanbul").await;
    let izmir = server.team("İzmir").await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[&istanbul])
        .await;
    let manager = server
        .member("mudur@anadolu.test", "manager", &[&istanbul])
        .await;

    let mut owner = connect(&server, "owner").await;
    let (theirs, ours, shared) = (
        DocumentId::random(),
        DocumentId::random(),
        DocumentId::random(),
    );
    owner.docs.insert(
        theirs,
        consenting_contact("İzmirli Müşteri", &izmir, "+905321111111"),
    );
    owner.docs.insert(
        ours,
        consenting_contact("İstanbullu Müşteri", &istanbul, "+905322222222"),
    );
    owner.docs.insert(
        shared,
        consenting_contact("Ortak Müşteri", "", "+905323333333"),
    );
    owner.push_all(&[theirs, ours, shared]).await.unwrap();

    // The rep's hand-made campaign, approved with `status` as text, to the other team.
    let mut rep_peer = connect_as(&rep, "rep").await;
    let forged = DocumentId::random();
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        put_text(tx, "kind", "campaign");
        tx.put(ROOT, "team", "")?;
        put_text(tx, "name", "Sahte");
        put_text(tx, "channel", "MESAJ");
        put_text(tx, "template", "Merhaba {{first_name}}");
        let people = tx.put_object(ROOT, "people", ObjType::List)?;
        tx.insert(&people, 0, theirs.to_string())?;
        put_text(tx, "status", "approved");
        Ok(())
    })
    .unwrap();
    rep_peer.docs.insert(forged, doc);
    assert!(!offered_and_confirmed(&mut rep_peer, forged).await);
    assert!(server.hub.storage().load(forged).await.unwrap().is_none());

    // A document without `kind` but with `status: approved`, to be given a kind later.
    let kindless = DocumentId::random();
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "status", "approved"))
        .unwrap();
    rep_peer.docs.insert(kindless, doc);
    assert!(!offered_and_confirmed(&mut rep_peer, kindless).await);
    let mut later = connect_as(&rep, "rep-later").await;
    let mut doc = rep_peer.docs[&kindless].clone();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "kind", "campaign"))
        .unwrap();
    later.docs.insert(kindless, doc);
    assert!(!offered_and_confirmed(&mut later, kindless).await);
    assert!(server.hub.storage().load(kindless).await.unwrap().is_none());

    // The device learns why.
    let codes = refusal_codes(&rep).await;
    assert!(
        codes.contains(&(forged.to_string(), "campaign_approval".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(kindless.to_string(), "not_a_record".into())),
        "{codes:?}"
    );

    // A manager of İstanbul approves a workspace-wide campaign naming all three: it
    // reaches the people the manager may see, not İzmir's.
    let ctx = EditContext::new("manager", 2);
    let mut campaign = Campaign::blank(&ctx);
    campaign.name = "Kış kampanyası".into();
    campaign.channel = Channel::Sms;
    campaign.template = "Merhaba {{first_name}}, kış indirimi başladı.".into();
    campaign.people = vec![theirs.to_string(), ours.to_string(), shared.to_string()];
    let campaign_id = DocumentId::random();
    let mut manager_peer = connect_as(&manager, "manager").await;
    manager_peer
        .docs
        .insert(campaign_id, create(&campaign).unwrap());
    manager_peer.push(campaign_id).await.unwrap();
    campaign.status = Status::Approved;
    record::write(manager_peer.docs.get_mut(&campaign_id).unwrap(), &campaign).unwrap();
    assert!(offered_and_confirmed(&mut manager_peer, campaign_id).await);

    let mut delivered = false;
    for _ in 0..100 {
        if sms_recipients(&sms_log).len() >= 2 {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(delivered, "the approved campaign was sent");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let sent: HashSet<String> = sms_recipients(&sms_log).into_iter().collect();
    assert_eq!(
        sent,
        HashSet::from(["+905322222222".to_owned(), "+905323333333".to_owned()])
    );

    // The rep reads the campaign's deliveries: states, no addresses.
    let mut reader = connect_as(&rep, "rep-reader").await;
    let mut reported = None;
    for _ in 0..50 {
        reader.docs.remove(&campaign_id);
        let c: Campaign = read(reader.fetch(campaign_id).await.unwrap()).unwrap();
        if c.deliveries.len() == 2
            && c.deliveries
                .values()
                .all(|d| d.state == DeliveryState::Sent)
        {
            reported = Some(c);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let reported = reported.expect("deliveries reported");
    assert!(reported.deliveries.values().all(|d| d.address.is_empty()));
    let bytes = reader.docs[&campaign_id].save();
    assert!(
        !bytes.windows(13).any(|w| w == b"+905322222222"),
        "no address anywhere in the campaign document"
    );

    // The index lists no team record, and refuses to.
    let index = server.owner.index_id().await.unwrap();
    let mut lister = connect_as(&rep, "rep-index").await;
    lister.fetch(index).await.unwrap();
    saha_core::workspace::add_record(lister.docs.get_mut(&index).unwrap(), ours, "contact", 1)
        .unwrap();
    assert!(!offered_and_confirmed(&mut lister, index).await);
    let mut lister = connect_as(&rep, "rep-index-2").await;
    lister.fetch(index).await.unwrap();
    saha_core::workspace::add_record(lister.docs.get_mut(&index).unwrap(), shared, "contact", 1)
        .unwrap();
    assert!(offered_and_confirmed(&mut lister, index).await);
    // A shared record moved into a team leaves the index.
    let mut contact: Contact = read(&owner.docs[&shared]).unwrap();
    contact.common.team = izmir.clone();
    record::write(owner.docs.get_mut(&shared).unwrap(), &contact).unwrap();
    assert!(offered_and_confirmed(&mut owner, shared).await);
    let mut check = connect(&server, "check").await;
    let listed = saha_core::workspace::records(check.fetch(index).await.unwrap());
    assert!(listed.iter().all(|(id, _)| *id != shared), "{listed:?}");
    server.shutdown().await.unwrap();
}

/// Finding 5 (medium): members changed survey answers and delivery states.
#[tokio::test]
async fn members_cannot_forge_survey_answers_or_delivery_states() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let mut owner = connect(&server, "owner").await;
    let mut campaign = Campaign::blank(&EditContext::new("owner", 1));
    campaign.name = "Memnuniyet".into();
    campaign.template = "Puan verin: {{survey_link}}".into();
    campaign.survey = "nps".into();
    let id = DocumentId::random();
    owner.docs.insert(id, create(&campaign).unwrap());
    owner.push(id).await.unwrap();
    // What the server writes when a person answers and a message goes out.
    server
        .hub
        .server_change(id, |doc| {
            let mut c: Campaign = read(doc)?;
            c.responses.insert(
                "p1".into(),
                saha_core::engagement::campaign::SurveyResponse { score: 7, at: 5 },
            );
            c.deliveries.insert(
                "p1".into(),
                saha_core::engagement::campaign::Delivery {
                    state: DeliveryState::Sent,
                    at: 5,
                    ..Default::default()
                },
            );
            record::write(doc, &c)
        })
        .await
        .unwrap();

    let mut rep_peer = connect_as(&rep, "rep").await;
    rep_peer.fetch(id).await.unwrap();
    let mut score = rep_peer.docs[&id].clone();
    score
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let responses = tx.get(ROOT, "responses")?.unwrap().1;
            let answer = tx.get(&responses, "p1")?.unwrap().1;
            tx.put(&answer, "score", 0)
        })
        .unwrap();
    rep_peer.docs.insert(id, score);
    assert!(!offered_and_confirmed(&mut rep_peer, id).await);

    let mut state_peer = connect_as(&rep, "rep-2").await;
    state_peer.fetch(id).await.unwrap();
    state_peer
        .docs
        .get_mut(&id)
        .unwrap()
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let deliveries = tx.get(ROOT, "deliveries")?.unwrap().1;
            let d = tx.get(&deliveries, "p1")?.unwrap().1;
            let text = tx.put_object(&d, "state", ObjType::Text)?;
            tx.splice_text(&text, 0, 0, "failed")
        })
        .unwrap();
    assert!(!offered_and_confirmed(&mut state_peer, id).await);

    let mut check = connect(&server, "check").await;
    let stored: Campaign = read(check.fetch(id).await.unwrap()).unwrap();
    assert_eq!(stored.responses["p1"].score, 7);
    assert_eq!(stored.deliveries["p1"].state, DeliveryState::Sent);
    let (_, log) = server.owner.get("/api/audit").await.unwrap();
    let denied: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sync.denied")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(denied.len(), 2, "{denied:?}");
    assert!(
        denied.iter().all(|d| d.starts_with("server_only_field")),
        "{denied:?}"
    );
    server.shutdown().await.unwrap();
}

/// Logs in `email` with `password` from `address` (the server trusts X-Forwarded-For
/// where the test says so); returns the status and the session cookie, if any.
async fn login_from(
    base: &str,
    email: &str,
    password: &str,
    address: &str,
) -> (u16, Option<String>) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    (response.status().as_u16(), cookie)
}

/// Finding 2 (high): a login racing a disable or a role change undid it.
#[tokio::test]
async fn a_concurrent_login_undoes_neither_a_disable_nor_a_role_change() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let base = server.http();
    for (email, role, change, check) in [
        (
            "yarisan@anadolu.test",
            "sales_rep",
            json!({ "disabled": true }),
            ("disabled", json!(true)),
        ),
        (
            "yonetici@anadolu.test",
            "admin",
            json!({ "role": "read_only" }),
            ("role", json!("read_only")),
        ),
    ] {
        let member = server.member(email, role, &[]).await;
        let (_, me) = member.get("/api/auth/me").await.unwrap();
        let user_id = me["userId"].as_str().unwrap().to_owned();
        // Logins keep coming from four clients while the owner changes the member. The
        // change waits for logins to be under way, and the clients go on until each has
        // finished about one more after it (counted, not timed: a loaded machine hashes
        // passwords slowly).
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let (done, succeeded) = (
            std::sync::Arc::new(AtomicUsize::new(0)),
            std::sync::Arc::new(AtomicUsize::new(0)),
        );
        let mut clients = Vec::new();
        for i in 0..4 {
            let (base, stop) = (base.clone(), stop.clone());
            let (done, succeeded) = (done.clone(), succeeded.clone());
            let email = email.to_owned();
            clients.push(tokio::spawn(async move {
                let mut cookies = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let (status, cookie) =
                        login_from(&base, &email, PASSWORD, &format!("127.0.0.{}", 10 + i)).await;
                    if status == 200 {
                        cookies.extend(cookie);
                        succeeded.fetch_add(1, Ordering::Relaxed);
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
                cookies
            }));
        }
        let wait_for = |count: &std::sync::Arc<AtomicUsize>, at_least: usize| {
            let count = count.clone();
            async move {
                let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
                while count.load(Ordering::Relaxed) < at_least {
                    assert!(
                        tokio::time::Instant::now() < deadline,
                        "the logins made no progress in two minutes"
                    );
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        };
        wait_for(&succeeded, 1).await;
        let (status, answer) = server
            .owner
            .send(
                reqwest::Method::PATCH,
                &format!("/api/members/{user_id}"),
                &change,
            )
            .await
            .unwrap();
        assert_eq!(status, 200, "{answer}");
        wait_for(&done, done.load(Ordering::Relaxed) + 4).await;
        stop.store(true, Ordering::Relaxed);
        let mut cookies = Vec::new();
        for client in clients {
            cookies.extend(client.await.unwrap());
        }
        assert!(!cookies.is_empty(), "logins ran during the change");

        let (_, members) = server.owner.get("/api/members").await.unwrap();
        let stored = members
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["userId"] == user_id.as_str())
            .unwrap()
            .clone();
        assert_eq!(stored[check.0], check.1, "{email}: {stored}");
        // Every session from those logins now answers as the change says.
        for cookie in cookies {
            let response = reqwest::Client::new()
                .get(format!("{base}/api/auth/me"))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            if check.0 == "disabled" {
                assert_eq!(response.status(), 401);
            } else if response.status() == 200 {
                let me: serde_json::Value = response.json().await.unwrap();
                assert_eq!(me["role"], "read_only");
            }
        }
    }
    server.shutdown().await.unwrap();
}

/// Findings 4 and 7 (medium, low): concurrent guesses all met the limit's count only
/// after they finished; and five wrong passwords from anywhere locked the member out.
#[tokio::test]
async fn the_login_throttle_holds_under_concurrency_and_locks_out_no_one_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_path_buf(), site_root());
    config.trust_forwarded_for = true;
    let server = start_with(config).await;
    let base = server.http();
    let guesser = "127.0.0.7";
    for _ in 0..saha_server::throttle::LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS {
        let (status, _) = login_from(&base, OWNER_EMAIL, "yanlış-parola-123", guesser).await;
        assert_eq!(status, 401);
    }
    // Thirty at once from the guesser — 29 wrong, then the right one: all wait.
    let attempts = (0..30).map(|i| {
        let base = base.clone();
        async move {
            let password = if i == 29 {
                PASSWORD
            } else {
                "yanlış-parola-123"
            };
            login_from(&base, OWNER_EMAIL, password, guesser).await.0
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert!(statuses.iter().all(|s| *s == 429), "{statuses:?}");
    // The owner at their own address is not locked out by the guesser.
    let (status, cookie) = login_from(&base, OWNER_EMAIL, PASSWORD, "127.0.0.8").await;
    assert_eq!(status, 200);
    assert!(cookie.is_some());

    // Thirty concurrent guesses on a fresh account: no more than the free ones are
    // even checked.
    let member = server.member("hedef@anadolu.test", "sales_rep", &[]).await;
    drop(member);
    let attempts = (0..30).map(|_| {
        let base = base.clone();
        async move {
            login_from(
                &base,
                "hedef@anadolu.test",
                "yanlış-parola-123",
                "127.0.0.9",
            )
            .await
            .0
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(
        checked,
        saha_server::throttle::LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 30 - checked);
    server.shutdown().await.unwrap();
}

/// Finding 3 (medium): a contact's e-mail with CRLF and iCalendar lines made the feed
/// carry an extra event. The address is refused on write; a meeting with hostile text
/// still parses as exactly one event with ical.js (Mozilla's parser, not ours).
#[tokio::test]
async fn hostile_values_never_become_calendar_lines() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let mut rep_peer = connect_as(&rep, "rep").await;
    let hostile = "x@example.com\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nURL:https://evil.example/login";
    let contact_id = DocumentId::random();
    let mut c = Contact::blank(&EditContext::new("rep", 1));
    c.name = "Kötü Niyet".into();
    let mut doc = create(&c).unwrap();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        put_text(tx, "email", hostile);
        Ok(())
    })
    .unwrap();
    rep_peer.docs.insert(contact_id, doc);
    assert!(!offered_and_confirmed(&mut rep_peer, contact_id).await);
    assert_eq!(
        refusal_codes(&rep).await,
        vec![(contact_id.to_string(), "invalid_format".to_owned())]
    );

    // A meeting whose own free text is hostile, with a valid attendee.
    let mut contact = Contact::blank(&EditContext::new("rep", 1));
    contact.name = "Ayşe Kaya".into();
    contact.email = "ayse@example.com".into();
    let good = DocumentId::random();
    rep_peer.docs.insert(good, create(&contact).unwrap());
    rep_peer.push(good).await.unwrap();
    let mut m = saha_core::activities::meeting::Meeting::blank(&EditContext::new("rep", 1));
    m.title = "Toplantı\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:sahte".into();
    m.location = "Ofis;ALTREP=\"https://evil.example\":x".into();
    m.agenda = "Gündem\r\nURL:https://evil.example/login".into();
    m.calendar = "dept:sales".into();
    m.start = "2026-12-07T10:00".into();
    m.end = "2026-12-07T11:00".into();
    m.contacts = vec![good.to_string()];
    let meeting_id = DocumentId::random();
    rep_peer.docs.insert(meeting_id, create(&m).unwrap());
    assert!(offered_and_confirmed(&mut rep_peer, meeting_id).await);

    let body = sales_calendar(&server.owner).await;
    let parsed = parse_with_ical_js(&body).await;
    let events = parsed["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{parsed}");
    assert_eq!(
        events[0]["summary"],
        "Toplantı\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:sahte"
    );
    assert_eq!(events[0]["attendees"], json!(["mailto:ayse@example.com"]));
    assert_eq!(events[0]["url"], serde_json::Value::Null);
    server.shutdown().await.unwrap();
}

/// Parses an iCalendar text with ical.js (end2end's npm packages).
async fn parse_with_ical_js(ics: &str) -> serde_json::Value {
    use tokio::io::AsyncWriteExt;
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/interop/parse-ics.mjs");
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (cargo xtask test installs it)");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(ics.as_bytes()).await.unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    assert!(
        output.status.success(),
        "ical.js failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Finding 8 (interop): `@automerge/automerge` stores `0` as a float; a meeting so
/// written was skipped by the calendar feed. Integral floats are integers.
#[tokio::test]
async fn numbers_written_as_floats_read_as_integers() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut owner = connect(&server, "owner").await;
    let mut m = saha_core::activities::meeting::Meeting::blank(&EditContext::new("owner", 1));
    m.title = "Bayi ziyareti".into();
    m.calendar = "dept:sales".into();
    m.start = "2026-12-07T10:00".into();
    m.end = "2026-12-07T11:00".into();
    let mut doc = create(&m).unwrap();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        // As `A.from({sequence: 0, schema: 1, created_at: …})` writes them.
        tx.put(ROOT, "sequence", ScalarValue::F64(0.0))?;
        tx.put(ROOT, "schema", ScalarValue::F64(1.0))?;
        tx.put(ROOT, "created_at", ScalarValue::F64(1_767_225_600_000.0))?;
        Ok(())
    })
    .unwrap();
    let id = DocumentId::random();
    owner.docs.insert(id, doc);
    assert!(offered_and_confirmed(&mut owner, id).await);
    let body = sales_calendar(&server.owner).await;
    assert!(body.contains(&format!("UID:{id}@saha\r\n")), "{body}");
    assert!(body.contains("SEQUENCE:0\r\n"));
    // A fraction where an integer belongs is refused, not stored to be skipped later.
    let mut broken = owner.docs[&id].clone();
    broken
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "sequence", ScalarValue::F64(0.5))
        })
        .unwrap();
    let mut other = connect(&server, "owner-2").await;
    other.fetch(id).await.unwrap();
    other.docs.insert(id, broken);
    assert!(!offered_and_confirmed(&mut other, id).await);
    server.shutdown().await.unwrap();
}

/// Finding 9 (info): without `--public-url` the Origin check trusted the Host header,
/// so a page on a rebound name passed it.
#[tokio::test]
async fn a_rebound_host_is_not_the_servers_own_origin() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{}/api/setup", server.http()))
        .header("host", "evil.test")
        .header("origin", "http://evil.test")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 421);
    let response = client
        .get(format!("{}/api/setup", server.http()))
        .header("host", "evil.test")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 421);
    // The server's own loopback names still work.
    let port = server.addr.port();
    let response = client
        .get(format!("http://127.0.0.1:{port}/api/setup"))
        .header("host", format!("localhost:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // And it will not listen beyond loopback without a public URL.
    let mut exposed = Config::for_tests(dir.path().join("other"), site_root());
    exposed.listen = "0.0.0.0:0".parse().unwrap();
    let refused = saha_server::start(exposed).await;
    assert!(
        matches!(refused, Err(saha_server::ServerError::Config(_))),
        "started on 0.0.0.0 without --public-url"
    );
    server.shutdown().await.unwrap();
}
