//! The campaign part of the crash storm: an approved e-mail campaign reaches the outbox
//! as the kills begin, so nodes die while they send it. A local SMTP sink, slowed a few
//! milliseconds a message so that kills land mid-send, records every message. After the
//! storm every consenting person's delivery must end `sent`, `uncertain` (the node died
//! between claiming the item and recording the outcome; it is never sent again) or
//! `failed`; nobody may get the message twice, nobody without consent may get it, and
//! every delivery the campaign reports as sent must have reached the sink.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::Automerge;
use saha_core::DocumentId;
use saha_core::engagement::campaign::{Campaign, DeliveryState, Status};
use saha_core::engagement::segment::Segment;
use saha_core::parties::consent::{self, Channel, NewConsent, RecipientType};
use saha_core::parties::contact::Contact;
use saha_core::record::{EditContext, RecordType, create};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::api_client::{ApiClient, Endpoint};
use crate::peer::Peer;

/// What became of the campaign.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignReport {
    /// People who consented to e-mail on the campaign's topic.
    pub recipients: usize,
    /// Contacts without that consent (none may get the message).
    pub without_consent: usize,
    /// Deliveries the campaign reports, by final state.
    pub sent: usize,
    pub uncertain: usize,
    pub failed: usize,
    /// Consenting people whose delivery had not reached a final state in time.
    pub unfinished: usize,
    /// Messages the SMTP sink accepted.
    pub received: usize,
    /// People who got the message more than once (the target is 0).
    pub duplicates: usize,
    /// Messages to someone not among the recipients (the target is 0).
    pub unexpected: usize,
    /// Deliveries reported `sent` that never reached the sink (the target is 0).
    pub sent_not_received: usize,
}

impl CampaignReport {
    /// Adds `other`'s counts to these (several campaigns' totals).
    pub fn add(&mut self, other: &CampaignReport) {
        self.recipients += other.recipients;
        self.without_consent += other.without_consent;
        self.sent += other.sent;
        self.uncertain += other.uncertain;
        self.failed += other.failed;
        self.unfinished += other.unfinished;
        self.received += other.received;
        self.duplicates += other.duplicates;
        self.unexpected += other.unexpected;
        self.sent_not_received += other.sent_not_received;
    }

    /// Whether the outbox kept its promise: every recipient's delivery final, nobody
    /// twice, nobody without consent, no `sent` that was not.
    pub fn held(&self) -> bool {
        self.unfinished == 0
            && self.duplicates == 0
            && self.unexpected == 0
            && self.sent_not_received == 0
    }
}

/// A message the sink accepted, per recipient: the address and the message's
/// `Subject` header as sent.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub(crate) to: String,
    pub(crate) subject: String,
}

/// Every message the sink accepted, in order.
type Received = Arc<Mutex<Vec<Message>>>;

/// A minimal SMTP server on loopback that accepts every message after `delay` and
/// records its recipients.
pub(crate) struct Sink {
    pub(crate) url: String,
    received: Received,
}

impl Sink {
    pub(crate) async fn start(delay: Duration) -> Result<Sink, String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("SMTP sink: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("SMTP sink: {e}"))?
            .port();
        let received: Received = Arc::default();
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, store.clone(), delay));
            }
        });
        Ok(Sink {
            url: format!("smtp://127.0.0.1:{port}"),
            received,
        })
    }

    pub(crate) fn received(&self) -> Vec<Message> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// One SMTP conversation: a message's recipients are recorded when its data ends,
/// before the sink says it took it.
async fn session(socket: tokio::net::TcpStream, store: Received, delay: Duration) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    let mut recipients = Vec::new();
    let mut subject = String::new();
    let mut in_data = false;
    while let Ok(Some(line)) = lines.next_line().await {
        if in_data {
            if let Some(value) = line.strip_prefix("Subject:")
                && subject.is_empty()
            {
                subject = value.trim().to_owned();
            }
            if line == "." {
                in_data = false;
                tokio::time::sleep(delay).await;
                if let Ok(mut all) = store.lock() {
                    for to in recipients.drain(..) {
                        all.push(Message {
                            to,
                            subject: subject.clone(),
                        });
                    }
                }
                subject.clear();
                if write.write_all(b"250 OK queued\r\n").await.is_err() {
                    return;
                }
            }
            continue;
        }
        let upper = line.to_ascii_uppercase();
        let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 sink\r\n"
        } else if let Some(address) = line.get(8..).filter(|_| upper.starts_with("RCPT TO:")) {
            recipients.push(address.trim().trim_matches(['<', '>']).to_owned());
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
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// The campaign's people and the campaign itself, stored except for the campaign.
pub(crate) struct Prepared {
    campaign_id: DocumentId,
    campaign: Automerge,
    /// E-mail address → contact, of those who consented.
    recipients: HashMap<String, DocumentId>,
    without_consent: HashSet<String>,
    /// The subject its messages carry, when only those count (several campaigns to the
    /// same people); `None`: every message the sink got.
    subject: Option<String>,
}

impl Prepared {
    /// Another approved campaign to the same people, its messages under `subject`
    /// (plain ASCII, so the sink sees it as written).
    pub(crate) fn another(&self, subject: &str) -> Result<Prepared, String> {
        let mut campaign: Campaign =
            saha_core::record::read(&self.campaign).map_err(|e| e.to_string())?;
        campaign.name = subject.to_owned();
        campaign.subject = subject.to_owned();
        Ok(Prepared {
            campaign_id: DocumentId::random(),
            campaign: create(&campaign).map_err(|e| e.to_string())?,
            recipients: self.recipients.clone(),
            without_consent: self.without_consent.clone(),
            subject: Some(subject.to_owned()),
        })
    }
}

/// Stores `people` contacts (three in four consented to e-mail about "kampanya") and a
/// segment of everyone, and turns quiet hours (the storm must not depend on the time of
/// day) and the rest period between two campaigns to one person off; makes the
/// approved campaign, which [`approve`] sends.
pub(crate) async fn prepare(
    owner: &ApiClient,
    people: usize,
    now_ms: i64,
) -> Result<Prepared, String> {
    let mut peer = Peer::connect(&Endpoint::from(owner.clone()), "storm-campaign")
        .await
        .map_err(|e| format!("connecting to prepare the campaign: {e}"))?;
    let index = owner.index_id().await.map_err(|e| e.to_string())?;
    let doc = peer.fetch(index).await.map_err(|e| e.to_string())?;
    let mut settings = saha_core::workspace::service(doc);
    settings.quiet_hours = String::new();
    // The soak sends a campaign to the same people every minute.
    settings.cool_off_days = 0;
    if let Some(doc) = peer.docs.get_mut(&index) {
        saha_core::workspace::set_service(doc, &settings).map_err(|e| e.to_string())?;
    }
    peer.push(index).await.map_err(|e| e.to_string())?;

    let ctx = EditContext::new("storm", now_ms);
    let mut recipients = HashMap::new();
    let mut without_consent = HashSet::new();
    let mut ids = Vec::with_capacity(people + 1);
    for i in 0..people {
        let mut contact = Contact::blank(&ctx);
        contact.name = format!("Kişi {i}");
        contact.email = format!("kisi{i}@storm.example");
        let id = DocumentId::random();
        if i % 4 == 3 {
            without_consent.insert(contact.email.clone());
        } else {
            let event = consent::record(
                &[],
                &NewConsent {
                    channel: "EPOSTA".into(),
                    status: "ONAY".into(),
                    source: "HS_WEB".into(),
                    recipient: contact.email.clone(),
                    evidence: String::new(),
                    topics: "kampanya".into(),
                },
                RecipientType::Individual,
                format!("storm-consent-{i}"),
                now_ms - 86_400_000,
                "storm",
            )
            .map_err(|problems| format!("a consent the storm made was refused: {problems:?}"))?;
            contact.consents.push(event);
            recipients.insert(contact.email.clone(), id);
        }
        peer.docs
            .insert(id, create(&contact).map_err(|e| e.to_string())?);
        ids.push(id);
    }
    let mut segment = Segment::blank(&ctx);
    segment.name = "Herkes".into();
    let segment_id = DocumentId::random();
    peer.docs
        .insert(segment_id, create(&segment).map_err(|e| e.to_string())?);
    ids.push(segment_id);
    for batch in ids.chunks(100) {
        peer.push_all(batch)
            .await
            .map_err(|e| format!("storing the campaign's people: {e}"))?;
    }

    let mut campaign = Campaign::blank(&ctx);
    campaign.name = "Fırtına kampanyası".into();
    campaign.segment = segment_id.to_string();
    campaign.channel = Channel::Email;
    campaign.topic = "kampanya".into();
    campaign.template = "Merhaba {{first_name}}, kış indirimi başladı.".into();
    campaign.status = Status::Approved;
    Ok(Prepared {
        campaign_id: DocumentId::random(),
        campaign: create(&campaign).map_err(|e| e.to_string())?,
        recipients,
        without_consent,
        subject: None,
    })
}

/// The owner's device syncs the approved campaign: the node hands it to its outbox.
pub(crate) async fn approve(owner: &ApiClient, prepared: &Prepared) -> Result<(), String> {
    let mut peer = Peer::connect(&Endpoint::from(owner.clone()), "storm-approver")
        .await
        .map_err(|e| format!("connecting to approve the campaign: {e}"))?;
    peer.docs
        .insert(prepared.campaign_id, prepared.campaign.clone());
    peer.push(prepared.campaign_id)
        .await
        .map_err(|e| format!("approving the campaign: {e}"))
}

/// Waits (up to `patience`) for every recipient's delivery to reach a final state in
/// the campaign document on `owner`'s node, then compares with what the sink got.
pub(crate) async fn check(
    owner: &ApiClient,
    prepared: &Prepared,
    sink: &Sink,
    patience: Duration,
) -> Result<CampaignReport, String> {
    let by_id: HashMap<String, &str> = prepared
        .recipients
        .iter()
        .map(|(address, id)| (id.to_string(), address.as_str()))
        .collect();
    let waited = Instant::now();
    let campaign = loop {
        let campaign = read_campaign(owner, prepared.campaign_id).await?;
        let finished = by_id.keys().all(|id| {
            campaign
                .deliveries
                .get(id)
                .is_some_and(|d| d.state != DeliveryState::Queued)
        });
        // The last messages may still be on their way to the sink's record.
        if finished || waited.elapsed() > patience {
            tokio::time::sleep(Duration::from_millis(500)).await;
            break campaign;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let received: Vec<String> = sink
        .received()
        .into_iter()
        .filter(|m| prepared.subject.as_ref().is_none_or(|s| *s == m.subject))
        .map(|m| m.to)
        .collect();
    let mut times: HashMap<&str, usize> = HashMap::new();
    for address in &received {
        *times.entry(address.as_str()).or_default() += 1;
    }
    let mut report = CampaignReport {
        recipients: prepared.recipients.len(),
        without_consent: prepared.without_consent.len(),
        received: received.len(),
        duplicates: times.values().filter(|&&n| n > 1).count(),
        unexpected: times
            .keys()
            .filter(|a| !prepared.recipients.contains_key(**a))
            .count(),
        ..CampaignReport::default()
    };
    for (id, address) in &by_id {
        match campaign.deliveries.get(id).map(|d| d.state) {
            Some(DeliveryState::Sent) => {
                report.sent += 1;
                if !times.contains_key(address) {
                    report.sent_not_received += 1;
                }
            }
            Some(DeliveryState::Uncertain) => report.uncertain += 1,
            Some(DeliveryState::Failed) => report.failed += 1,
            Some(DeliveryState::Queued) | None => report.unfinished += 1,
        }
    }
    Ok(report)
}

/// The campaign as `owner`'s node holds it now (read by a new peer).
async fn read_campaign(owner: &ApiClient, id: DocumentId) -> Result<Campaign, String> {
    let mut peer = Peer::connect(&Endpoint::from(owner.clone()), "campaign-check")
        .await
        .map_err(|e| format!("connecting to read a campaign: {e}"))?;
    let doc = peer
        .fetch(id)
        .await
        .map_err(|e| format!("reading the campaign: {e}"))?;
    saha_core::record::read(doc).map_err(|e| e.to_string())
}

/// Messages of `campaigns` not sent yet as their documents on `owner`'s node show:
/// recipients without a delivery (not handed to the outbox yet) or with one still
/// queued. The outbox's depth as members see it.
pub(crate) async fn waiting(owner: &ApiClient, campaigns: &[Prepared]) -> Result<usize, String> {
    let mut waiting = 0;
    for prepared in campaigns {
        let campaign = read_campaign(owner, prepared.campaign_id).await?;
        waiting += prepared
            .recipients
            .values()
            .filter(|id| {
                campaign
                    .deliveries
                    .get(&id.to_string())
                    .is_none_or(|d| d.state == DeliveryState::Queued)
            })
            .count();
    }
    Ok(waiting)
}
