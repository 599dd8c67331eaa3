//! A campaign through a real server and a local SMTP sink: approved for a segment of
//! 1,000 contacts, it reaches exactly the ones who consented to e-mail on its topic,
//! once each — also after a restart.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{PASSWORD, connect, no_quiet_hours, site_root, start_with, wait_for};
use saha_core::DocumentId;
use saha_core::engagement::campaign::{Campaign, DeliveryState, Status};
use saha_core::engagement::segment::Segment;
use saha_core::parties::consent::{self, Channel, NewConsent, RecipientType};
use saha_core::parties::contact::Contact;
use saha_core::record::{EditContext, RecordType, create, read};
use saha_server::Config;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Recipients of every message the sink accepted.
type Received = Arc<Mutex<Vec<String>>>;

/// A minimal SMTP server that accepts everything and records the recipients.
async fn smtp_sink() -> (u16, Received) {
    let (port, received, _) = smtp_sink_with_messages().await;
    (port, received)
}

/// The same sink, also keeping each message's text (headers and body, as sent).
async fn smtp_sink_with_messages() -> (u16, Received, Received) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received: Received = Arc::default();
    let messages: Received = Arc::default();
    let store = received.clone();
    let texts = messages.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            let texts = texts.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut rcpts = Vec::new();
                let mut in_data = false;
                let mut text = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().unwrap().append(&mut rcpts);
                            texts.lock().unwrap().push(std::mem::take(&mut text));
                            let _ = write.write_all(b"250 OK queued\r\n").await;
                        } else {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        let addr = line[8..].trim().trim_matches(['<', '>']).to_owned();
                        rcpts.push(addr);
                        b"250 OK\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    (port, received, messages)
}

fn consent_event(
    channel: &str,
    status: &str,
    topics: &str,
    log: &[consent::ConsentEvent],
    i: usize,
    at: i64,
) -> consent::ConsentEvent {
    consent::record(
        log,
        &NewConsent {
            channel: channel.into(),
            status: status.into(),
            source: "HS_WEB".into(),
            recipient: format!("kisi{i}@example.com"),
            evidence: String::new(),
            topics: topics.into(),
        },
        RecipientType::Individual,
        format!("e{i}-{status}"),
        at,
        "u1",
    )
    .unwrap()
}

#[tokio::test]
async fn a_campaign_reaches_exactly_the_consenting_people_once() {
    let (port, received) = smtp_sink().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_path_buf(), site_root());
    config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    let server = start_with(config.clone()).await;
    // No quiet hours in this workspace, so the test does not depend on the time of day.
    no_quiet_hours(&server).await;
    let mut peer = connect(&server, "office").await;

    // 1,000 contacts: a quarter consented to e-mail about "kampanya", a quarter only to
    // "bülten", a quarter consented and then refused, a quarter never answered.
    let ctx = EditContext::new("u1", 1);
    let day = 86_400_000;
    let mut expected = HashSet::new();
    let mut ids = Vec::new();
    for i in 0..1000 {
        let mut c = Contact::blank(&ctx);
        c.name = format!("Kişi {i}");
        c.email = format!("kisi{i}@example.com");
        match i % 4 {
            0 => {
                c.consents
                    .push(consent_event("EPOSTA", "ONAY", "kampanya", &[], i, day));
                expected.insert(c.email.clone());
            }
            1 => c
                .consents
                .push(consent_event("EPOSTA", "ONAY", "bülten", &[], i, day)),
            2 => {
                let yes = consent_event("EPOSTA", "ONAY", "kampanya", &[], i, day);
                let no = consent_event("EPOSTA", "RET", "", std::slice::from_ref(&yes), i, 2 * day);
                c.consents = vec![yes, no];
            }
            _ => {}
        }
        let id = DocumentId::random();
        peer.docs.insert(id, create(&c).unwrap());
        ids.push(id);
    }
    let mut segment = Segment::blank(&ctx);
    segment.name = "Herkes".into();
    let segment_id = DocumentId::random();
    peer.docs.insert(segment_id, create(&segment).unwrap());
    ids.push(segment_id);
    peer.push_all(&ids).await.unwrap();
    // The campaign is approved on a server that has just started, so none of the 1,000
    // people is in its memory: handing the campaign over reads them from the record
    // projection, without loading their documents.
    drop(peer);
    server.shutdown().await.unwrap();
    let server = start_with(config.clone()).await;
    let mut peer = connect(&server, "office").await;
    let live_at_start = server.hub.live_count();

    let mut campaign = Campaign::blank(&ctx);
    campaign.name = "Kış kampanyası".into();
    campaign.segment = segment_id.to_string();
    campaign.channel = Channel::Email;
    campaign.topic = "kampanya".into();
    campaign.template = "Merhaba {{first_name}}, kış indirimi başladı.".into();
    campaign.status = Status::Approved;
    let campaign_id = DocumentId::random();
    peer.docs.insert(campaign_id, create(&campaign).unwrap());
    peer.push(campaign_id).await.unwrap();

    assert!(
        wait_for(|| received.lock().unwrap().len() >= expected.len()).await,
        "only {} of {} messages arrived",
        received.lock().unwrap().len(),
        expected.len()
    );
    assert!(
        server.hub.live_count() < live_at_start + 10,
        "the hand-over loaded {} documents",
        server.hub.live_count() - live_at_start
    );
    // A little longer: nothing more may come.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got: Vec<String> = received.lock().unwrap().clone();
    let unique: HashSet<String> = got.iter().cloned().collect();
    assert_eq!(got.len(), unique.len(), "someone got the message twice");
    assert_eq!(unique, expected);

    // The campaign document reports every delivery to the devices.
    let mut check = connect(&server, "check").await;
    let mut reported = false;
    for _ in 0..50 {
        check.docs.remove(&campaign_id);
        let doc = check.fetch(campaign_id).await.unwrap();
        let c: Campaign = read(doc).unwrap();
        if c.status == Status::Sent
            && c.deliveries.len() == expected.len()
            && c.deliveries
                .values()
                .all(|d| d.state == DeliveryState::Sent)
        {
            reported = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reported, "deliveries reported in the campaign document");

    // After a restart, nothing is sent again.
    drop(peer);
    drop(check);
    server.shutdown().await.unwrap();
    let server = start_with(config).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(received.lock().unwrap().len(), expected.len());
    let _ = PASSWORD;
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_survey_link_takes_one_answer_into_the_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let sms_log = dir.path().join("sms.jsonl");
    let mut config = Config::for_tests(dir.path().join("data"), site_root());
    config.sms_log = Some(sms_log.clone());
    let server = start_with(config).await;
    no_quiet_hours(&server).await;
    let mut peer = connect(&server, "office").await;

    let ctx = EditContext::new("u1", 1);
    let mut contact = Contact::blank(&ctx);
    contact.name = "Ayşe Kaya".into();
    contact.mobile = "0532 123 45 67".into();
    contact.consents.push(
        consent::record(
            &[],
            &NewConsent {
                channel: "MESAJ".into(),
                status: "ONAY".into(),
                source: "HS_FIZIKSEL_ORTAM".into(),
                recipient: "0532 123 45 67".into(),
                ..NewConsent::default()
            },
            RecipientType::Individual,
            "c1".into(),
            1,
            "u1",
        )
        .unwrap(),
    );
    let contact_id = DocumentId::random();
    peer.docs.insert(contact_id, create(&contact).unwrap());
    let mut survey = Campaign::blank(&ctx);
    survey.name = "Anket: kargo".into();
    survey.people = vec![contact_id.to_string()];
    survey.channel = Channel::Sms;
    survey.survey = "csat".into();
    survey.template = "Sayın {{first_name}}, memnuniyetinizi puanlayın: {{survey_link}}".into();
    survey.status = Status::Approved;
    let survey_id = DocumentId::random();
    peer.docs.insert(survey_id, create(&survey).unwrap());
    peer.push_all(&[contact_id, survey_id]).await.unwrap();

    // The log-only SMS provider wrote the message with a personal link.
    assert!(
        wait_for(|| std::fs::read_to_string(&sms_log).is_ok_and(|t| t.contains("/survey/"))).await,
        "the survey SMS went out"
    );
    let line = std::fs::read_to_string(&sms_log).unwrap();
    let sms: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    assert_eq!(sms["to"], "+905321234567");
    let text = sms["text"].as_str().unwrap();
    assert!(
        text.starts_with("Sayın Ayşe, memnuniyetinizi puanlayın: http://"),
        "{text}"
    );
    let url = text
        .split_whitespace()
        .find(|w| w.contains("/survey/"))
        .unwrap()
        .to_owned();
    // Every commercial SMS ends with its opt-out link.
    assert!(
        text.contains("\nListeden cikmak icin: http://") && text.contains("/unsubscribe/"),
        "{text}"
    );

    let http = reqwest::Client::new();
    let page = http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("value=\"1\"")
            && html.contains("value=\"5\"")
            && !html.contains("value=\"6\"")
    );
    let post = |score: &str| http.post(&url).form(&[("score", score.to_owned())]).send();
    assert_eq!(post("9").await.unwrap().status(), 400, "outside 1–5");
    assert_eq!(post("4").await.unwrap().status(), 200);
    assert_eq!(post("5").await.unwrap().status(), 409, "answered once");
    assert_eq!(
        http.get(format!("{}/survey/{}", server.http(), "f".repeat(64)))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let mut check = connect(&server, "check").await;
    let stored: Campaign = read(check.fetch(survey_id).await.unwrap()).unwrap();
    assert_eq!(stored.responses[&contact_id.to_string()].score, 4);
    drop(peer);
    drop(check);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_sales_rep_cannot_approve_a_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_with(Config::for_tests(dir.path().to_path_buf(), site_root())).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let mut rep_peer = common::connect_as(&rep, "rep").await;
    let ctx = EditContext::new("rep", 1);
    let mut c = Campaign::blank(&ctx);
    c.name = "Kendi kampanyam".into();
    c.people = vec![DocumentId::random().to_string()];
    c.channel = Channel::Sms;
    c.template = "Merhaba {{first_name}}".into();
    let id = DocumentId::random();
    rep_peer.docs.insert(id, create(&c).unwrap());
    rep_peer.push(id).await.unwrap();

    // The rep approves it: the server refuses the change.
    let mut approved: Campaign = read(&rep_peer.docs[&id]).unwrap();
    approved.status = Status::Approved;
    saha_core::record::write(rep_peer.docs.get_mut(&id).unwrap(), &approved).unwrap();
    // No acknowledgement comes for a refused change: wait a little, not for ever.
    let _ = tokio::time::timeout(Duration::from_secs(2), rep_peer.push(id)).await;
    let mut owner = connect(&server, "owner").await;
    let stored: Campaign = read(owner.fetch(id).await.unwrap()).unwrap();
    assert_eq!(stored.status, Status::Draft, "the approval was not stored");

    // The owner may.
    let mut by_owner = stored.clone();
    by_owner.status = Status::Approved;
    saha_core::record::write(owner.docs.get_mut(&id).unwrap(), &by_owner).unwrap();
    owner.push(id).await.unwrap();
    let mut check = connect(&server, "check").await;
    let stored: Campaign = read(check.fetch(id).await.unwrap()).unwrap();
    assert_ne!(stored.status, Status::Draft);
    drop((rep_peer, owner, check));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_unsubscribe_link_records_a_refusal_and_the_next_campaign_skips_the_person() {
    let (port, received, messages) = smtp_sink_with_messages().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_path_buf(), site_root());
    config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    let server = start_with(config).await;
    no_quiet_hours(&server).await;
    let mut peer = connect(&server, "office").await;
    // No rest period between campaigns either: the second one may follow at once.
    let index = server.owner.index_id().await.unwrap();
    let mut settings = saha_core::workspace::service(peer.fetch(index).await.unwrap());
    settings.cool_off_days = 0;
    saha_core::workspace::set_service(peer.docs.get_mut(&index).unwrap(), &settings).unwrap();
    peer.push(index).await.unwrap();

    // Two people who consented to e-mail about "kampanya".
    let ctx = EditContext::new("u1", 1);
    let day = 86_400_000;
    let mut ids = Vec::new();
    for i in 0..2 {
        let mut c = Contact::blank(&ctx);
        c.name = format!("Kişi {i}");
        c.email = format!("kisi{i}@example.com");
        c.consents
            .push(consent_event("EPOSTA", "ONAY", "kampanya", &[], i, day));
        let id = DocumentId::random();
        peer.docs.insert(id, create(&c).unwrap());
        ids.push(id);
    }
    let campaign_for = |name: &str| {
        let mut campaign = Campaign::blank(&ctx);
        campaign.name = name.into();
        campaign.people = ids.iter().map(ToString::to_string).collect();
        campaign.channel = Channel::Email;
        campaign.topic = "kampanya".into();
        campaign.template = "Merhaba {{first_name}}, kış indirimi başladı.".into();
        campaign.status = Status::Approved;
        create(&campaign).unwrap()
    };
    let first = DocumentId::random();
    peer.docs.insert(first, campaign_for("Kış"));
    let mut pushed = ids.clone();
    pushed.push(first);
    peer.push_all(&pushed).await.unwrap();
    assert!(wait_for(|| received.lock().unwrap().len() == 2).await);

    // Kişi 0's e-mail names its link for one-click unsubscribing (RFC 8058).
    let text = {
        let received = received.lock().unwrap();
        let at = received
            .iter()
            .position(|r| r == "kisi0@example.com")
            .unwrap();
        messages.lock().unwrap()[at].clone()
    };
    // (Header lines may be folded: join them first.)
    let unfolded = text.replace("\r\n ", " ").replace("\n ", " ");
    let header = unfolded
        .lines()
        .find(|l| l.starts_with("List-Unsubscribe: <"))
        .unwrap_or_else(|| panic!("no List-Unsubscribe in {text}"));
    assert!(
        unfolded
            .lines()
            .any(|l| l == "List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{text}"
    );
    let url = header
        .trim_start_matches("List-Unsubscribe: <")
        .trim_end_matches('>')
        .to_owned();
    let token = url.rsplit('/').next().unwrap().to_owned();
    assert_eq!(token.len(), 64, "{url}");
    let url = format!("{}/unsubscribe/{token}", server.http());

    let consents_of = |doc: &automerge::Automerge| -> Vec<consent::ConsentEvent> {
        read::<Contact>(doc).unwrap().consents.clone()
    };
    let http = reqwest::Client::new();
    // Opening the link changes nothing (mail scanners follow links); the page says
    // nothing about the person.
    let page = http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"unsubscribe\""), "{html}");
    assert!(!html.contains("kisi0") && !html.contains("Kişi 0") && !html.contains("Kış"));
    let mut check = connect(&server, "check").await;
    assert_eq!(consents_of(check.fetch(ids[0]).await.unwrap()).len(), 1);

    // The mail client's one-click POST records the refusal at once; again, nothing more.
    for _ in 0..2 {
        let answer = http
            .post(&url)
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert!(answer.text().await.unwrap().contains("id=\"unsubscribed\""));
    }
    check.docs.remove(&ids[0]);
    let log = consents_of(check.fetch(ids[0]).await.unwrap());
    assert_eq!(log.len(), 2, "{log:?}");
    let refusal = &log[1];
    assert_eq!(
        (refusal.status, refusal.channel, refusal.source.as_str()),
        (consent::Status::Refusal, Channel::Email, "HS_WEB")
    );
    assert_eq!(refusal.recipient, "kisi0@example.com");
    assert!(
        refusal.evidence.contains(&first.to_string()),
        "{}",
        refusal.evidence
    );
    // A made-up link is not found.
    let forged = format!("{}/unsubscribe/{}", server.http(), "a".repeat(64));
    assert_eq!(http.post(&forged).send().await.unwrap().status(), 404);
    assert_eq!(http.get(&forged).send().await.unwrap().status(), 404);

    // The next campaign reaches Kişi 1 only.
    let second = DocumentId::random();
    peer.docs.insert(second, campaign_for("Bahar"));
    peer.push(second).await.unwrap();
    assert!(wait_for(|| received.lock().unwrap().len() == 3).await);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[2], "kisi1@example.com");
    drop(peer);
    drop(check);
    server.shutdown().await.unwrap();
}
