//! Erasing a person against a real server (on PostgreSQL too, with
//! `SAHA_TEST_STORAGE=postgres`): a contact whose name, e-mail address and phone
//! number are unique markers spreads — edits, a call, a case, an SMS campaign with
//! its outbox items and links, the audit log — and is erased through the REST API.
//! Then the raw storage (the redb file's bytes, or every PostgreSQL table) holds none
//! of the markers, the call and the case live on under new IDs without the person,
//! a stale device's edit brings nothing back, the next campaign skips the number, and
//! a destruction record without personal data is kept.

mod common;

use automerge::ReadDoc;
use common::*;
use reqwest::StatusCode;
use saha_core::DocumentId;
use saha_core::engagement::campaign::{Campaign, Status};
use saha_core::parties::consent::{self, Channel, NewConsent, RecipientType};
use saha_core::parties::contact::Contact;
use saha_core::record::{EditContext, RecordType, create};
use saha_server::Config;
use serde_json::{Value, json};

/// A contact with SMS consent for `mobile`.
fn consenting(name: &str, email: &str, mobile: &str) -> Contact {
    let ctx = EditContext::new("u1", 1);
    let mut contact = Contact::blank(&ctx);
    contact.name = name.into();
    contact.email = email.into();
    contact.mobile = mobile.into();
    contact.consents.push(
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
            "c1".into(),
            1,
            "u1",
        )
        .unwrap(),
    );
    contact
}

fn sms_campaign(name: &str, people: &[DocumentId]) -> Campaign {
    let mut campaign = Campaign::blank(&EditContext::new("u1", 1));
    campaign.name = name.into();
    campaign.people = people.iter().map(ToString::to_string).collect();
    campaign.channel = Channel::Sms;
    campaign.template = "Sayın {{first_name}}, kış indirimi başladı.".into();
    campaign.status = Status::Approved;
    campaign
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_person_leaves_no_marker_and_their_records_live_on_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let sms_log = dir.path().join("sms.jsonl");
    let mut config = Config::for_tests(dir.path().join("data"), site_root());
    config.sms_log = Some(sms_log.clone());
    let server = start_with(config.clone()).await;
    no_quiet_hours(&server).await;

    // Unique markers: the name, the address and the number (digits from a random ID).
    let tag: String = DocumentId::random()
        .to_string()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let digits: String = format!(
        "{:07}",
        u32::from_str_radix(&tag[..6], 36).unwrap_or(7) % 10_000_000
    );
    let name = format!("Zeynep Silinen{tag}");
    let email = format!("zeynep.{tag}@silinen.test").to_lowercase();
    let national = format!("532{digits}");
    let typed = format!("0532 {} {} {}", &digits[..3], &digits[3..5], &digits[5..]);
    let markers = [
        format!("Silinen{tag}"),
        format!("Eski{tag}"),
        email.clone(),
        national.clone(),
    ];

    // The person, edited twice (the first name stays in the document's history).
    let mut peer = connect(&server, "office").await;
    let person = DocumentId::random();
    let mut contact = consenting(&format!("Zeynep Eski{tag}"), &email, &typed);
    peer.docs.insert(person, create(&contact).unwrap());
    peer.push(person).await.unwrap();
    contact.name = name.clone();
    saha_core::record::write(peer.docs.get_mut(&person).unwrap(), &contact).unwrap();
    peer.push(person).await.unwrap();
    let kept_id = DocumentId::random();
    let kept = consenting("Kalan Kişi", "kalan@example.com", "0533 111 22 33");
    peer.docs.insert(kept_id, create(&kept).unwrap());
    peer.push(kept_id).await.unwrap();

    // A call and a case about them, through the API (the audit log names them).
    let person_id = person.to_string();
    let call = create_through_api(
        &server,
        "calls",
        json!({ "direction": "incoming", "number": typed, "contact": person_id,
                // Long ago: a recent call would rest them from campaigns.
                "started": "2025-01-15T10:15", "outcome": "reached",
                "notes": format!("{name} iade istedi, {email} adresine yazılacak") }),
    )
    .await;
    let case = create_through_api(
        &server,
        "cases",
        json!({ "subject": format!("İade: {name}"), "contact": person_id }),
    )
    .await;

    // An SMS campaign to them and to someone else: sent, with outbox items and links.
    let campaign_id = DocumentId::random();
    peer.docs.insert(
        campaign_id,
        create(&sms_campaign("Kış", &[person, kept_id])).unwrap(),
    );
    peer.push(campaign_id).await.unwrap();
    let sent_to = |number: &str| {
        std::fs::read_to_string(&sms_log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(number))
            .count()
    };
    assert!(
        wait_for(|| sent_to(&national) == 1 && sent_to("905331112233") == 1).await,
        "the campaign reached both: {}",
        std::fs::read_to_string(&sms_log).unwrap_or_default()
    );

    let storage = server.hub.storage();
    for marker in &markers {
        assert!(
            storage.raw_occurrences(marker).await.unwrap() > 0,
            "{marker} is stored before"
        );
    }

    // The preview says what will happen; nothing changes.
    let reader = Rest::new(
        &server.http(),
        &token(&server, &["privacy:read"], None).await,
    );
    let writer = Rest::new(
        &server.http(),
        &token(&server, &["privacy:write"], None).await,
    );
    let input = json!({ "person": person_id });
    let (status, plan) = reader
        .post("/api/v1/privacy/erasures/preview", input.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    let mut treated: Vec<(String, String)> = plan["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["treatment"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        treated[0],
        (person_id.clone(), "erase".to_owned()),
        "their own record first: {plan}"
    );
    treated.sort();
    let mut expected = vec![
        (person_id.clone(), "erase".to_owned()),
        (call.clone(), "anonymise".to_owned()),
        (case.clone(), "anonymise".to_owned()),
        (campaign_id.to_string(), "anonymise".to_owned()),
    ];
    expected.sort();
    assert_eq!(treated, expected, "{plan}");
    assert_eq!(plan["suppressed"], 2, "the address and the number");
    // A read token cannot erase; an unknown person or a bad field is refused.
    let (status, _) = reader.post("/api/v1/privacy/erasures", input.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = writer
        .post(
            "/api/v1/privacy/erasures",
            json!({ "person": DocumentId::random().to_string() }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = writer
        .post(
            "/api/v1/privacy/erasures",
            json!({ "person": person_id, "request": "no-such-request" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Erase.
    let (status, destruction) = writer.post("/api/v1/privacy/erasures", input.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{destruction}");
    let gone = destruction["records"].as_array().unwrap();
    assert_eq!(gone.len(), 4, "{destruction}");
    let new_id_of = |old: &str| {
        gone.iter()
            .find(|g| g["id"] == old)
            .and_then(|g| g["replacedBy"].as_str())
            .map(ToOwned::to_owned)
    };
    assert_eq!(
        new_id_of(&person_id),
        None,
        "their own record is erased whole"
    );
    let new_call = new_id_of(&call).expect("the call is kept");
    let new_case = new_id_of(&case).expect("the case is kept");

    for marker in &markers {
        assert_eq!(
            storage.raw_occurrences(marker).await.unwrap(),
            0,
            "{marker} is gone from storage"
        );
    }
    assert!(!destruction.to_string().contains(&tag), "{destruction}");

    // The call and the case live on without them; the old IDs are gone.
    let (status, kept_call) = server
        .owner
        .get(&format!("/api/v1/calls/{new_call}"))
        .await
        .unwrap();
    assert_eq!(status, 200, "{kept_call}");
    let fields = &kept_call["fields"];
    assert_eq!(fields["contact"], "", "{kept_call}");
    assert_eq!(fields["direction"], "incoming");
    assert_eq!(fields["number"], "***");
    assert_eq!(
        fields["notes"], "*** iade istedi, *** adresine yazılacak",
        "{kept_call}"
    );
    let (status, kept_case) = server
        .owner
        .get(&format!("/api/v1/cases/{new_case}"))
        .await
        .unwrap();
    assert_eq!(status, 200, "{kept_case}");
    assert_eq!(kept_case["fields"]["subject"], "İade: ***");
    for (section, old) in [("contacts", &person_id), ("calls", &call), ("cases", &case)] {
        let (status, _) = server
            .owner
            .get(&format!("/api/v1/{section}/{old}"))
            .await
            .unwrap();
        assert_eq!(status, 404);
    }

    // A stale device edits its copy of the person: refused, nothing stored.
    let mut stale = contact.clone();
    stale.title = format!("Müdür {tag}");
    saha_core::record::write(peer.docs.get_mut(&person).unwrap(), &stale).unwrap();
    peer.offer(person).await.unwrap();
    assert!(pump_until(&mut peer, |p| p.unavailable.contains(&person)).await);
    for marker in &markers {
        assert_eq!(
            storage.raw_occurrences(marker).await.unwrap(),
            0,
            "{marker}"
        );
    }

    // A modified client sends the old history under a rebuilt record's ID: refused,
    // nothing stored.
    let new_call_id: DocumentId = new_call.parse().unwrap();
    let mut forged = peer.fetch(new_call_id).await.unwrap().clone();
    let mut old_history = peer.docs[&person].clone();
    forged.merge(&mut old_history).unwrap();
    peer.docs.insert(new_call_id, forged);
    assert!(!offered_and_confirmed(&mut peer, new_call_id).await);
    for marker in &markers {
        assert_eq!(
            storage.raw_occurrences(marker).await.unwrap(),
            0,
            "{marker}"
        );
    }
    let (_, refusals) = server.owner.get("/api/sync/refusals").await.unwrap();
    assert!(
        refusals
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["document"] == new_call.as_str() && r["code"] == "foreign_history"),
        "{refusals}"
    );

    // A change that comes without its parent (an orphan, which Automerge would keep
    // aside and, by default, write out with the next snapshot) under a rebuilt
    // record's ID: never stored, even when later changes make the server write the
    // document anew.
    let orphan_marker = format!("Yetim{tag}");
    let mut honest = connect(&server, "honest").await;
    let clean = honest.fetch(new_call_id).await.unwrap().clone();
    let mut forked = clean.clone().with_actor(automerge::ActorId::random());
    let mut call_record: saha_core::activities::call::Call =
        saha_core::record::read(&forked).unwrap();
    call_record.fields.follow_up = "2026-01-05T10:00".into();
    saha_core::record::write(&mut forked, &call_record).unwrap();
    call_record.fields.number = orphan_marker.clone();
    saha_core::record::write(&mut forked, &call_record).unwrap();
    let orphan = forked.get_last_local_change().unwrap().clone();
    assert_eq!(orphan.deps().len(), 1);
    assert!(clean.get_change_by_hash(&orphan.deps()[0]).is_none());
    let template = match honest.conn.generate(new_call_id, &forked) {
        Some(saha_protocol::wire::Message::Sync(m) | saha_protocol::wire::Message::Request(m)) => m,
        other => panic!("no sync message: {other:?}"),
    };
    let doctored = automerge::sync::Message {
        heads: vec![orphan.hash()],
        need: Vec::new(),
        have: Vec::new(),
        changes: vec![orphan.raw_bytes().to_vec()].into(),
        flags: None,
        version: automerge::sync::MessageVersion::V1,
    };
    let message = saha_protocol::wire::Message::Sync(saha_protocol::wire::DocMessage {
        data: doctored.encode(),
        ..template
    });
    use futures_util::SinkExt;
    honest
        .ws
        .send(tokio_tungstenite::tungstenite::Message::Binary(
            message.encode().into(),
        ))
        .await
        .unwrap();
    // Enough honest edits after it for the server to write a snapshot.
    let mut editor = connect(&server, "editor").await;
    editor.docs.insert(new_call_id, clean);
    for minutes in 1..=70 {
        let doc = editor.docs.get_mut(&new_call_id).unwrap();
        call_record = saha_core::record::read(doc).unwrap();
        call_record.fields.duration = minutes * 60;
        saha_core::record::write(doc, &call_record).unwrap();
        editor.push(new_call_id).await.unwrap();
    }
    assert_eq!(
        storage.raw_occurrences(&orphan_marker).await.unwrap(),
        0,
        "the orphan was stored"
    );
    let (status, call_now) = server
        .owner
        .get(&format!("/api/v1/calls/{new_call}"))
        .await
        .unwrap();
    assert_eq!(status, 200, "{call_now}");
    assert_eq!(call_now["fields"]["duration"], "1:10:00", "{call_now}");
    assert!(!call_now.to_string().contains(&orphan_marker));
    drop(honest);

    // The audit log says what happened, with counts only.
    let (_, audit) = server.owner.get("/api/audit").await.unwrap();
    assert!(!audit.to_string().contains(&tag), "{audit}");
    let erased: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "privacy.erased")
        .collect();
    assert_eq!(erased.len(), 1, "{audit}");
    assert_eq!(erased[0]["target"], destruction["id"]);
    assert_eq!(
        erased[0]["detail"],
        "1 records erased, 3 anonymised, 2 addresses suppressed"
    );
    let (status, list) = reader.get("/api/v1/privacy/erasures").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["data"][0]["id"], destruction["id"]);

    // The number comes back on a new record: the next campaign skips it (and reaches
    // a newcomer; the people messaged before rest from campaigns for a while).
    let again = DocumentId::random();
    peer.docs.insert(
        again,
        create(&consenting("Yeni Kayıt", "", &typed)).unwrap(),
    );
    let newcomer = DocumentId::random();
    peer.docs.insert(
        newcomer,
        create(&consenting("Üçüncü Kişi", "", "0533 444 55 66")).unwrap(),
    );
    let next = DocumentId::random();
    peer.docs.insert(
        next,
        create(&sms_campaign("Bahar", &[again, newcomer])).unwrap(),
    );
    peer.push_all(&[again, newcomer, next]).await.unwrap();
    assert!(
        wait_for(|| sent_to("905334445566") == 1).await,
        "the next campaign went out"
    );
    assert_eq!(sent_to(&national), 1, "not to the erased number");
    drop(peer);
    server.shutdown().await.unwrap();

    // After a restart: still erased, still nothing stored.
    let server = start_with(config).await;
    assert!(server.hub.is_erased(&person));
    for marker in &markers[..3] {
        assert_eq!(
            server.hub.storage().raw_occurrences(marker).await.unwrap(),
            0,
            "{marker}"
        );
    }
    server.shutdown().await.unwrap();
}
