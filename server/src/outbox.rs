//! The campaign outbox: sends approved campaigns, durably and at most once per person.
//!
//! When a campaign document reaches status `approved`, the server recomputes its
//! audience with the same gate the app shows ([`saha_core::views::audience::audience_of`]:
//! consent per channel and topic, refusals, rest period, quiet hours — it never trusts a
//! device's list) and puts one item per person into a storage table keyed
//! `campaign/person`, so approving twice, or a restart, never queues anyone twice. The
//! campaign is then marked `sent` (handed over) with a `queued` delivery per person.
//!
//! A worker sends due items: e-mail over SMTP (`lettre`), SMS through an
//! [`SmsProvider`] (a log-only provider in development). Before sending, an item is
//! claimed — marked `sending` in a committed transaction that checks it is still queued,
//! so with several nodes one of them sends it; after, `sent`, or back to `queued` with
//! exponential backoff, or `failed` after [`MAX_ATTEMPTS`]. An item found `sending` at
//! start-up (the server stopped mid-send) becomes `uncertain` and is not sent again:
//! nothing goes out twice. Every outcome is written into the campaign's `deliveries`,
//! which devices sync and show on the person's timeline — the state and time only: the
//! address a message went to stays in the outbox table, which members cannot read. An
//! item is marked `reported` once its final state is in the campaign document; one the
//! server stopped before reporting (sent, then killed) is reported at the next start, so
//! the timeline never misses an outcome (the crash storm of `RELIABILITY.md` found it
//! did).
//!
//! A campaign reaches only people its approver may see: when a member's change
//! approves a campaign, the hub records who approved it with their role and teams
//! ([`record_approval`]); the audience is cut to what that access can read (a team
//! manager's campaign reaches their teams' people and the shared ones), and a campaign
//! with no recorded approval is not sent.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use automerge::Automerge;
use saha_core::DocumentId;
use saha_core::engagement::campaign::{Campaign, Delivery, DeliveryState, Status};
use saha_core::kinds::Record;
use saha_core::parties::consent::Channel;
use saha_core::record;
use serde::{Deserialize, Serialize};

use crate::ServerError;
use crate::directory::{Directory, now_ms};
use crate::storage::{DocumentStore, TableTx, Tables};
use crate::sync::hub::Hub;

/// `campaign/person` → item.
pub(crate) const OUTBOX: &str = "outbox";
/// The queued items by when they are due: `next_at/campaign/person` (`next_at` as 20
/// digits, so keys sort by time) → nothing. Written in the same transaction as the
/// item, so a round reads the items due now instead of the whole outbox, which keeps
/// every campaign's final items.
pub(crate) const OUTBOX_DUE: &str = "outbox_due";
/// `campaign` → who approved it ([`Approval`]).
pub(crate) const APPROVALS: &str = "campaign_approvals";

/// Who approved a campaign, with the access they had when they did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub user_id: String,
    pub email: String,
    pub access: saha_core::access::Access,
    pub at: i64,
}

/// Records the approval of `campaign` (the newest approval counts).
pub fn record_approval(
    tables: &Tables,
    campaign: &DocumentId,
    approval: &Approval,
) -> Result<(), ServerError> {
    let bytes = serde_json::to_vec(approval).map_err(json_error)?;
    let key = campaign.to_string();
    tables.write(|tx| tx.put(APPROVALS, &key, &bytes))
}

/// Who approved `campaign`, if anyone did since approvals were recorded.
pub fn approval_of(
    tables: &Tables,
    campaign: &DocumentId,
) -> Result<Option<Approval>, ServerError> {
    let key = campaign.to_string();
    let bytes = tables.read(|tx| tx.get(APPROVALS, &key))?;
    bytes
        .map(|b| serde_json::from_slice(&b).map_err(json_error))
        .transpose()
}
/// Attempts before an item is given up.
pub const MAX_ATTEMPTS: u32 = 8;
/// Items sent per round.
const BATCH: usize = 50;
/// How often approved campaigns that were not handed over are looked at again.
const RESCAN: Duration = Duration::from_secs(60);
/// Record kinds the gate reads.
const GATE_KINDS: &[&str] = &[
    "contact", "account", "segment", "order", "invoice", "case", "call", "meeting", "campaign",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Queued,
    Sending,
    Sent,
    Failed,
    Uncertain,
}

/// One message to one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub workspace: String,
    pub campaign: String,
    pub person: String,
    pub channel: String,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub state: ItemState,
    pub attempts: u32,
    pub next_at: i64,
    pub last_error: String,
    pub updated_at: i64,
    /// The person's unsubscribe link ([`crate::http::unsubscribe`]), which an e-mail
    /// also names in its `List-Unsubscribe` header; empty for items queued before
    /// links existed.
    #[serde(default)]
    pub unsubscribe: String,
    /// Whether the item's final state (sent, failed, uncertain) is in the campaign
    /// document.
    #[serde(default)]
    pub reported: bool,
}

impl Item {
    /// Sent, failed or uncertain: nothing more happens to it.
    fn is_final(&self) -> bool {
        matches!(
            self.state,
            ItemState::Sent | ItemState::Failed | ItemState::Uncertain
        )
    }
}

/// Why a message could not be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    /// Retrying will not help (a malformed address).
    pub permanent: bool,
}

type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// Sends an SMS; real providers (Netgsm, İleti Merkezi, …) implement this.
pub trait SmsProvider: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a>;
}

/// Sends e-mail; `unsubscribe` is the person's unsubscribe URL (empty: none), for the
/// `List-Unsubscribe` headers.
pub trait EmailSender: Send + Sync {
    fn send<'a>(
        &'a self,
        to: &'a str,
        subject: &'a str,
        body: &'a str,
        unsubscribe: &'a str,
    ) -> SendFuture<'a>;
}

/// Development SMS provider: writes each message as a JSON line to a file and the log.
pub struct LogSmsProvider {
    pub path: PathBuf,
}

impl SmsProvider for LogSmsProvider {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            use tokio::io::AsyncWriteExt;
            tracing::info!(to, "SMS (log-only provider)");
            let line = serde_json::json!({ "to": to, "text": text, "at": now_ms() }).to_string();
            let mut file = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .await
                .map_err(|e| SendError {
                    message: e.to_string(),
                    permanent: false,
                })?;
            file.write_all(format!("{line}\n").as_bytes())
                .await
                .map_err(|e| SendError {
                    message: e.to_string(),
                    permanent: false,
                })
        })
    }
}

/// E-mail over SMTP.
pub struct SmtpSender {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpSender {
    /// From an `smtp://` or `smtps://` URL (`smtp://user:pass@host:587?tls=required`)
    /// and a sender address.
    pub fn new(url: &str, from: &str) -> Result<SmtpSender, ServerError> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| ServerError::Storage(format!("SMTP URL: {e}")))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = from
            .parse()
            .map_err(|e| ServerError::Storage(format!("SMTP sender address: {e}")))?;
        Ok(SmtpSender { transport, from })
    }
}

impl EmailSender for SmtpSender {
    fn send<'a>(
        &'a self,
        to: &'a str,
        subject: &'a str,
        body: &'a str,
        unsubscribe: &'a str,
    ) -> SendFuture<'a> {
        Box::pin(async move {
            use lettre::AsyncTransport;
            let permanent = |message: String| SendError {
                message,
                permanent: true,
            };
            let to: lettre::message::Mailbox =
                to.parse().map_err(|e| permanent(format!("address: {e}")))?;
            let mut builder = lettre::message::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .header(lettre::message::header::ContentType::TEXT_PLAIN);
            if !unsubscribe.is_empty() {
                // RFC 8058 one-click: the mail client posts to the link itself.
                use lettre::message::header::{HeaderName, HeaderValue};
                builder = builder
                    .raw_header(HeaderValue::new(
                        HeaderName::new_from_ascii_str("List-Unsubscribe"),
                        format!("<{unsubscribe}>"),
                    ))
                    .raw_header(HeaderValue::new(
                        HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                        "List-Unsubscribe=One-Click".to_owned(),
                    ));
            }
            let message = builder
                .body(body.to_owned())
                .map_err(|e| permanent(e.to_string()))?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError {
                    permanent: e.is_permanent(),
                    message: e.to_string(),
                })
        })
    }
}

/// The outbox table.
pub struct Outbox {
    tables: Tables,
}

fn key(campaign: &str, person: &str) -> String {
    format!("{campaign}/{person}")
}

/// Where the due index holds a queued item.
fn due_key(item: &Item) -> String {
    format!(
        "{:020}/{}",
        item.next_at.max(0),
        key(&item.campaign, &item.person)
    )
}

/// Stores `item` over `previous` (the stored one, if any), keeping the due index in
/// step: only a queued item is in it, under its `next_at`.
fn store(tx: &mut dyn TableTx, previous: Option<&Item>, item: &Item) -> Result<(), ServerError> {
    if let Some(previous) = previous.filter(|p| p.state == ItemState::Queued) {
        tx.delete(OUTBOX_DUE, &due_key(previous))?;
    }
    let bytes = serde_json::to_vec(item).map_err(json_error)?;
    tx.put(OUTBOX, &key(&item.campaign, &item.person), &bytes)?;
    if item.state == ItemState::Queued {
        tx.put(OUTBOX_DUE, &due_key(item), &[])?;
    }
    Ok(())
}

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("outbox entry: {e}"))
}

impl Outbox {
    /// Opens the table; items left `sending` by a stop become `uncertain`. Returns them
    /// with every other final item not yet reported, so their campaigns can be told.
    /// A queued item missing from the due index (queued by a version without one) is
    /// put in it.
    pub fn open(tables: Tables) -> Result<(Outbox, Vec<Item>), ServerError> {
        let unreported = tables.write(|tx| {
            let mut unreported = Vec::new();
            for (_, v) in tx.scan(OUTBOX, "", None)? {
                let mut item: Item = serde_json::from_slice(&v).map_err(json_error)?;
                if item.state == ItemState::Sending {
                    item.state = ItemState::Uncertain;
                    item.reported = false;
                    item.updated_at = now_ms();
                    store(tx, None, &item)?;
                }
                if item.state == ItemState::Queued && tx.get(OUTBOX_DUE, &due_key(&item))?.is_none()
                {
                    tx.put(OUTBOX_DUE, &due_key(&item), &[])?;
                }
                if item.is_final() && !item.reported {
                    unreported.push(item);
                }
            }
            Ok::<_, ServerError>(unreported)
        })?;
        Ok((Outbox { tables }, unreported))
    }

    /// Marks the final ones of `items` as reported, where the stored item is still in
    /// the state that was reported.
    pub fn mark_reported(&self, items: &[Item]) -> Result<(), ServerError> {
        let finals: Vec<&Item> = items.iter().filter(|i| i.is_final()).collect();
        if finals.is_empty() {
            return Ok(());
        }
        self.tables.write(|tx| {
            for item in &finals {
                let k = key(&item.campaign, &item.person);
                let Some(bytes) = tx.get(OUTBOX, &k)? else {
                    continue;
                };
                let mut stored: Item = serde_json::from_slice(&bytes).map_err(json_error)?;
                if stored.state == item.state && !stored.reported {
                    stored.reported = true;
                    let bytes = serde_json::to_vec(&stored).map_err(json_error)?;
                    tx.put(OUTBOX, &k, &bytes)?;
                }
            }
            Ok(())
        })
    }

    /// Queues items whose key is new; returns the ones queued.
    pub fn enqueue(&self, items: Vec<Item>) -> Result<Vec<Item>, ServerError> {
        self.tables.write(|tx| {
            let mut added = Vec::new();
            for item in &items {
                let k = key(&item.campaign, &item.person);
                if tx.get(OUTBOX, &k)?.is_some() {
                    continue;
                }
                store(tx, None, item)?;
                added.push(item.clone());
            }
            Ok(added)
        })
    }

    fn put(&self, item: &Item) -> Result<(), ServerError> {
        let k = key(&item.campaign, &item.person);
        self.tables.write(|tx| {
            let previous: Option<Item> = tx
                .get(OUTBOX, &k)?
                .map(|bytes| serde_json::from_slice(&bytes))
                .transpose()
                .map_err(json_error)?;
            store(tx, previous.as_ref(), item)
        })
    }

    /// Marks `item` as being sent, if it is still queued as read (no other node took
    /// it meanwhile). Returns whether this caller may send it.
    fn claim(&self, item: &Item) -> Result<bool, ServerError> {
        let k = key(&item.campaign, &item.person);
        let expected_attempts = item.attempts.saturating_sub(1);
        self.tables.write(|tx| {
            let Some(stored) = tx.get(OUTBOX, &k)? else {
                return Ok(false);
            };
            let stored: Item = serde_json::from_slice(&stored).map_err(json_error)?;
            if stored.state != ItemState::Queued || stored.attempts != expected_attempts {
                return Ok(false);
            }
            store(tx, Some(&stored), item)?;
            Ok(true)
        })
    }

    /// Queued items due at `now`, oldest first, at most `limit`: read from the due
    /// index, so the cost follows what is due, not what the outbox ever held. An index
    /// entry whose item is gone or no longer queued at that time (erased, or moved to
    /// a rebuilt campaign) is removed.
    pub fn due(&self, now: i64, limit: usize) -> Result<Vec<Item>, ServerError> {
        // Keys of items due at `now` sort before the first key of `now + 1`.
        let until = format!("{:020}", now.saturating_add(1).max(0));
        let (due, stale) = self.tables.read(|tx| {
            let mut due = Vec::new();
            let mut stale = Vec::new();
            for (k, _) in tx.scan_first(OUTBOX_DUE, "", &until, limit)? {
                let item: Option<Item> = match k.split_once('/') {
                    Some((_, item_key)) => tx
                        .get(OUTBOX, item_key)?
                        .map(|bytes| serde_json::from_slice(&bytes))
                        .transpose()
                        .map_err(json_error)?,
                    None => None,
                };
                match item {
                    Some(item) if item.state == ItemState::Queued && due_key(&item) == k => {
                        due.push(item);
                    }
                    _ => stale.push(k),
                }
            }
            Ok::<_, ServerError>((due, stale))
        })?;
        if !stale.is_empty() {
            // Looked at again in the writing transaction: an entry that became right
            // meanwhile stays.
            self.tables.write(|tx| {
                for k in &stale {
                    let still_due = match k.split_once('/') {
                        Some((_, item_key)) => tx
                            .get(OUTBOX, item_key)?
                            .and_then(|bytes| serde_json::from_slice::<Item>(&bytes).ok())
                            .is_some_and(|item| {
                                item.state == ItemState::Queued && due_key(&item) == *k
                            }),
                        None => false,
                    };
                    if !still_due {
                        tx.delete(OUTBOX_DUE, k)?;
                    }
                }
                Ok::<_, ServerError>(())
            })?;
        }
        Ok(due)
    }

    /// Every item.
    pub fn all(&self) -> Result<Vec<Item>, ServerError> {
        self.tables.read(|tx| {
            tx.scan(OUTBOX, "", None)?
                .into_iter()
                .map(|(_, v)| serde_json::from_slice(&v).map_err(json_error))
                .collect()
        })
    }

    /// Sends one item: claims it (`sending`, committed) first, then records the outcome.
    /// `None` when another node claimed it first.
    pub async fn send(
        &self,
        mut item: Item,
        email: Option<&dyn EmailSender>,
        sms: &dyn SmsProvider,
    ) -> Result<Option<Item>, ServerError> {
        item.state = ItemState::Sending;
        item.attempts += 1;
        item.updated_at = now_ms();
        if !self.claim(&item)? {
            return Ok(None);
        }
        let result = match Channel::from_code(&item.channel) {
            Some(Channel::Email) => match email {
                Some(sender) => {
                    sender
                        .send(&item.address, &item.subject, &item.body, &item.unsubscribe)
                        .await
                }
                None => Err(SendError {
                    message: "e-mail is not configured on this server (SAHA_SMTP_URL)".into(),
                    permanent: false,
                }),
            },
            Some(Channel::Sms) => sms.send(&item.address, &item.body).await,
            _ => Err(SendError {
                message: "calls are made by agents, not sent".into(),
                permanent: true,
            }),
        };
        let now = now_ms();
        item.updated_at = now;
        match result {
            Ok(()) => {
                item.state = ItemState::Sent;
                item.last_error.clear();
            }
            Err(e) if e.permanent || item.attempts >= MAX_ATTEMPTS => {
                item.state = ItemState::Failed;
                item.last_error = e.message;
            }
            Err(e) => {
                item.state = ItemState::Queued;
                // 30 s, 1 min, 2 min, … at most an hour.
                let backoff = (30_000i64 << (item.attempts - 1).min(7)).min(3_600_000);
                item.next_at = now + backoff;
                item.last_error = e.message;
            }
        }
        self.put(&item)?;
        Ok(Some(item))
    }
}

fn delivery_of(item: &Item) -> Delivery {
    Delivery {
        // Members read campaigns: the address stays in the outbox table.
        address: String::new(),
        state: match item.state {
            ItemState::Sent => DeliveryState::Sent,
            ItemState::Failed => DeliveryState::Failed,
            ItemState::Uncertain => DeliveryState::Uncertain,
            ItemState::Queued | ItemState::Sending => DeliveryState::Queued,
        },
        at: item.updated_at,
        error: if item.address.is_empty() {
            item.last_error.clone()
        } else {
            item.last_error.replace(&item.address, "…")
        },
    }
}

/// Writes delivery states into a campaign document (and, with `handed_over`, marks the
/// campaign sent).
async fn report(
    hub: &Hub,
    campaign: DocumentId,
    items: &[Item],
    handed_over: bool,
) -> Result<(), ServerError> {
    hub.server_change(campaign, |doc: &mut Automerge| {
        let mut c: Campaign = record::read(doc)?;
        for item in items {
            c.deliveries.insert(item.person.clone(), delivery_of(item));
        }
        if handed_over {
            c.status = Status::Sent;
        }
        record::write(doc, &c)
    })
    .await
    .map(|_| ())
}

/// The running outbox: watches campaigns and sends.
pub struct Worker {
    pub hub: Arc<Hub>,
    pub directory: Arc<Directory>,
    pub outbox: Outbox,
    pub email: Option<Box<dyn EmailSender>>,
    pub sms: Box<dyn SmsProvider>,
    /// Where survey and unsubscribe links are kept ([`crate::http::survey`],
    /// [`crate::http::unsubscribe`]).
    pub links: Tables,
    /// The address customers reach the server at, for survey and unsubscribe links.
    pub base_url: String,
}

impl Worker {
    /// Every record of a workspace the gate reads, by ID, from the record projection:
    /// handing a campaign over used to load every contact, order, case, … document of
    /// the workspace into memory (the crash storm of `RELIABILITY.md` found it too slow
    /// to finish under load). (Deleted people are left out by `views::audience::people`.)
    ///
    /// A row is written when its change is committed, and the hub announces a change
    /// before that: a campaign approved in the same sync as new contacts may be read here
    /// while their writes are still queued. Records with queued writes are therefore
    /// read from their documents, which the hub keeps in memory until the writes are
    /// committed; they are looked up before the rows are read, so a write that commits
    /// in between is seen either way.
    async fn records_of(&self, workspace: &str) -> Result<Vec<(String, Record)>, ServerError> {
        let mut queued: HashMap<String, Record> = HashMap::new();
        for kind in GATE_KINDS {
            for (id, _) in self.hub.catalog().of_kind(workspace, kind) {
                if !self.hub.storage().has_pending(&id) {
                    continue;
                }
                let Some(live) = self.hub.lock(id, false).await? else {
                    continue;
                };
                if let Some(Ok(r)) = Record::read(&live.doc) {
                    queued.insert(id.to_string(), r);
                }
            }
        }
        let mut records: Vec<(String, Record)> =
            crate::storage::records::of_workspace(self.hub.storage(), workspace, GATE_KINDS)
                .await?
                .into_iter()
                .map(|(id, record, _)| {
                    let record = queued.remove(&id).unwrap_or(record);
                    (id, record)
                })
                .collect();
        // New records whose first write is still queued have no row yet.
        records.extend(queued);
        Ok(records)
    }

    /// Queues an approved campaign's audience (once); returns whether it was handed over.
    pub async fn take_campaign(&self, id: DocumentId) -> Result<bool, ServerError> {
        let Some(meta) = self.hub.catalog().get(&id) else {
            return Ok(false);
        };
        let campaign = {
            let Some(live) = self.hub.lock(id, false).await? else {
                return Ok(false);
            };
            record::read::<Campaign>(&live.doc)?
        };
        if campaign.status != Status::Approved
            || campaign.channel == Channel::Call
            || campaign.common.is_deleted()
        {
            return Ok(false);
        }
        let Some(ws) = self
            .directory
            .workspace(&meta.workspace)
            .map_err(|e| ServerError::Storage(e.to_string()))?
        else {
            return Ok(false);
        };
        let settings = self.hub.service_settings(&ws.index_id).await?;
        let rules = settings.contact_rules();
        let now = now_ms();
        if rules.is_quiet(now) {
            return Ok(false);
        }
        let records = self.records_of(&meta.workspace).await?;
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let Some(approval) = approval_of(&self.links, &id)? else {
            tracing::warn!(campaign = %id, "approved campaign has no recorded approval: not sent (approve it again)");
            return Ok(false);
        };
        let Some(audience) = saha_core::views::audience::audience_of(
            &campaign,
            &refs,
            &settings,
            now,
            &approval.access,
        ) else {
            return Ok(false);
        };
        let campaign_id = id.to_string();
        // Each survey message gets its own answer link.
        let mut included = Vec::with_capacity(audience.included.len());
        for saha_core::engagement::campaign::Included {
            person,
            address,
            subject,
            message: body,
        } in audience.included
        {
            // An erased person's address, held again by another record: never again.
            if crate::privacy::erasure::is_suppressed(&self.links, &meta.workspace, &address)? {
                tracing::info!(campaign = %id, "an address on the suppression list is skipped");
                continue;
            }
            let body = if campaign.survey.is_empty() {
                body
            } else {
                let token = crate::http::survey::create_link(
                    &self.links,
                    &campaign_id,
                    &person,
                    &campaign.survey,
                )?;
                body.replace(
                    saha_core::engagement::campaign::SURVEY_LINK,
                    &format!("{}/survey/{token}", self.base_url),
                )
            };
            // And every message its unsubscribe link.
            let token = crate::http::unsubscribe::create_link(
                &self.links,
                &crate::http::unsubscribe::UnsubscribeLink {
                    campaign: campaign_id.clone(),
                    person: person.clone(),
                    channel: campaign.channel.code().to_owned(),
                    address: address.clone(),
                    created_at: now,
                },
            )?;
            let unsubscribe = format!(
                "{}{}{token}",
                self.base_url,
                saha_core::engagement::campaign::OPT_OUT_PATH
            );
            let body = body
                + &saha_core::engagement::campaign::opt_out_footer(campaign.channel, &unsubscribe);
            included.push((person, address, subject, body, unsubscribe));
        }
        let items: Vec<Item> = included
            .into_iter()
            .map(|(person, address, subject, body, unsubscribe)| Item {
                workspace: meta.workspace.clone(),
                campaign: campaign_id.clone(),
                person,
                channel: campaign.channel.code().to_owned(),
                address,
                // Encoded for where they go: a header has no line breaks, a message
                // no control characters but line ends.
                subject: saha_core::engagement::campaign::header_text(&subject),
                body: saha_core::engagement::campaign::message_text(&body),
                state: ItemState::Queued,
                attempts: 0,
                next_at: now,
                last_error: String::new(),
                updated_at: now,
                unsubscribe,
                reported: false,
            })
            .collect();
        let queued = self.outbox.enqueue(items)?;
        tracing::info!(campaign = %id, queued = queued.len(), excluded = audience.excluded.len(), "campaign handed to the outbox");
        report(&self.hub, id, &queued, true).await?;
        Ok(true)
    }

    /// Sends what is due; returns how many items were tried.
    pub async fn send_due(&self) -> Result<usize, ServerError> {
        let due = self.outbox.due(now_ms(), BATCH)?;
        let tried = due.len();
        let mut by_campaign: BTreeMap<String, Vec<Item>> = BTreeMap::new();
        for item in due {
            let Some(done) = self
                .outbox
                .send(item, self.email.as_deref(), self.sms.as_ref())
                .await?
            else {
                continue;
            };
            by_campaign
                .entry(done.campaign.clone())
                .or_default()
                .push(done);
        }
        for (campaign, items) in by_campaign {
            if let Ok(id) = campaign.parse::<DocumentId>() {
                report(&self.hub, id, &items, false).await?;
                self.outbox.mark_reported(&items)?;
            }
        }
        Ok(tried)
    }

    /// Runs until the hub closes: at start, every approved campaign and every final item
    /// not reported yet (`unreported`, from [`Outbox::open`]); then campaigns as they
    /// change, due items every second, and approved campaigns still waiting every minute.
    pub async fn run(self, unreported: Vec<Item>) {
        let mut changes = self.hub.subscribe();
        let mut closing = self.hub.closing();
        let mut waiting: HashSet<DocumentId> = HashSet::new();
        let mut by_campaign: HashMap<String, Vec<Item>> = HashMap::new();
        for item in unreported {
            by_campaign
                .entry(item.campaign.clone())
                .or_default()
                .push(item);
        }
        for (campaign, items) in by_campaign {
            if let Ok(id) = campaign.parse::<DocumentId>()
                && let Err(e) = report(&self.hub, id, &items, false)
                    .await
                    .and_then(|()| self.outbox.mark_reported(&items))
            {
                tracing::warn!(error = %e, "could not report deliveries left unreported");
            }
        }
        for workspace in self.directory.workspaces().unwrap_or_default() {
            for (id, _) in self
                .hub
                .catalog()
                .of_kind(&workspace.id, saha_core::engagement::campaign::KIND)
            {
                waiting.insert(id);
            }
        }
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut last_rescan = tokio::time::Instant::now();
        loop {
            tokio::select! {
                changed = changes.recv() => {
                    if let Ok(id) = changed
                        && self.hub.catalog().get(&id).is_some_and(|m| m.kind == saha_core::engagement::campaign::KIND)
                    {
                        waiting.insert(id);
                    }
                    continue;
                }
                _ = closing.changed() => {
                    if *closing.borrow() {
                        return;
                    }
                }
                _ = tick.tick() => {}
            }
            for id in std::mem::take(&mut waiting) {
                if let Err(e) = self.take_campaign(id).await {
                    tracing::warn!(campaign = %id, error = %e, "campaign not handed over yet");
                }
            }
            // Approved campaigns not handed over (quiet hours, a segment not synced yet,
            // an error) are looked at again, once a minute.
            if last_rescan.elapsed() < RESCAN {
                if let Err(e) = self.send_due().await {
                    tracing::warn!(error = %e, "outbox round failed");
                }
                continue;
            }
            last_rescan = tokio::time::Instant::now();
            let mut still = HashSet::new();
            for workspace in self.directory.workspaces().unwrap_or_default() {
                for (id, _) in self
                    .hub
                    .catalog()
                    .of_kind(&workspace.id, saha_core::engagement::campaign::KIND)
                {
                    if let Ok(Some(live)) = self.hub.lock(id, false).await
                        && record::read::<Campaign>(&live.doc)
                            .is_ok_and(|c| c.status == Status::Approved)
                    {
                        still.insert(id);
                    }
                }
            }
            waiting = still;
            if let Err(e) = self.send_due().await {
                tracing::warn!(error = %e, "outbox round failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct FakeSms {
        sent: Mutex<Vec<String>>,
        fail_first: Mutex<u32>,
    }

    impl SmsProvider for FakeSms {
        fn send<'a>(&'a self, to: &'a str, _text: &'a str) -> SendFuture<'a> {
            Box::pin(async move {
                let mut fail = self.fail_first.lock().unwrap_or_else(|e| e.into_inner());
                if *fail > 0 {
                    *fail -= 1;
                    return Err(SendError {
                        message: "provider busy".into(),
                        permanent: false,
                    });
                }
                self.sent
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(to.to_owned());
                Ok(())
            })
        }
    }

    fn item(person: &str) -> Item {
        Item {
            workspace: "w".into(),
            campaign: "c".into(),
            person: person.into(),
            channel: "MESAJ".into(),
            address: format!("+90532000{person}"),
            subject: "Kış".into(),
            body: "Merhaba".into(),
            state: ItemState::Queued,
            attempts: 0,
            next_at: 0,
            last_error: String::new(),
            updated_at: 0,
            unsubscribe: String::new(),
            reported: false,
        }
    }

    #[tokio::test]
    async fn nothing_is_sent_twice_across_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.redb");
        let sms = FakeSms {
            sent: Mutex::new(Vec::new()),
            fail_first: Mutex::new(0),
        };
        {
            let db = crate::storage::embedded::SharedDb::create(&path).unwrap();
            let (outbox, uncertain) = Outbox::open(Tables::Embedded(db)).unwrap();
            assert!(uncertain.is_empty());
            assert_eq!(
                outbox
                    .enqueue(vec![item("1"), item("2"), item("3")])
                    .unwrap()
                    .len(),
                3
            );
            assert_eq!(
                outbox.enqueue(vec![item("1")]).unwrap().len(),
                0,
                "same key: not again"
            );
            let first = outbox.due(now_ms(), 1).unwrap().remove(0);
            outbox.send(first, None, &sms).await.unwrap().unwrap();
            // A second claim of the same item (another node) is refused.
            assert!(
                !outbox
                    .claim(&{
                        let mut again = outbox.all().unwrap().remove(0);
                        again.attempts += 1;
                        again
                    })
                    .unwrap()
            );
            // The server stops in the middle of sending the second.
            let mut second = outbox.due(now_ms(), 1).unwrap().remove(0);
            second.state = ItemState::Sending;
            outbox.put(&second).unwrap();
        }
        let (outbox, unreported) = {
            let db = crate::storage::embedded::SharedDb::create(&path).unwrap();
            Outbox::open(Tables::Embedded(db)).unwrap()
        };
        // The interrupted one is uncertain; it and the first, sent but never reported
        // (the server stopped before), are to be reported.
        let mut to_report: Vec<(String, ItemState)> = unreported
            .iter()
            .map(|i| (i.person.clone(), i.state))
            .collect();
        to_report.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            to_report,
            [
                ("1".to_owned(), ItemState::Sent),
                ("2".to_owned(), ItemState::Uncertain)
            ]
        );
        outbox.mark_reported(&unreported).unwrap();
        for due in outbox.due(now_ms(), 10).unwrap() {
            outbox.send(due, None, &sms).await.unwrap();
        }
        assert!(outbox.due(now_ms() + 10_000_000, 10).unwrap().is_empty());
        let sent = sms.sent.lock().unwrap().clone();
        assert_eq!(
            sent.len(),
            2,
            "first and third; never the uncertain one: {sent:?}"
        );
        let states: Vec<ItemState> = outbox.all().unwrap().iter().map(|i| i.state).collect();
        assert_eq!(states.iter().filter(|s| **s == ItemState::Sent).count(), 2);
        assert_eq!(
            states
                .iter()
                .filter(|s| **s == ItemState::Uncertain)
                .count(),
            1
        );
        // The third was sent and not reported yet: a restart reports it, and only it.
        drop(outbox);
        let db = crate::storage::embedded::SharedDb::create(&path).unwrap();
        let (outbox, unreported) = Outbox::open(Tables::Embedded(db)).unwrap();
        let persons: Vec<&str> = unreported.iter().map(|i| i.person.as_str()).collect();
        assert_eq!(persons, ["3"]);
        outbox.mark_reported(&unreported).unwrap();
        drop(outbox);
        let db = crate::storage::embedded::SharedDb::create(&path).unwrap();
        let (_, unreported) = Outbox::open(Tables::Embedded(db)).unwrap();
        assert!(
            unreported.is_empty(),
            "reported items are not reported again"
        );
    }

    fn index_size(outbox: &Outbox) -> usize {
        outbox
            .tables
            .read(|tx| tx.scan(OUTBOX_DUE, "", None))
            .unwrap()
            .len()
    }

    /// A round reads the due index, not the outbox: sent items leave it, a retry comes
    /// back at its new time, an entry whose item went (erasure) is dropped, and an item
    /// queued before the index existed is put in it when the outbox opens.
    #[tokio::test]
    async fn rounds_read_only_what_is_due() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.redb");
        let sms = FakeSms {
            sent: Mutex::new(Vec::new()),
            fail_first: Mutex::new(1),
        };
        let db = crate::storage::embedded::SharedDb::create(&path).unwrap();
        let (outbox, _) = Outbox::open(Tables::Embedded(db)).unwrap();
        let mut later = item("later");
        later.next_at = now_ms() + 3_600_000;
        let items: Vec<Item> = (0..30)
            .map(|n| item(&format!("{n:02}")))
            .chain([later])
            .collect();
        outbox.enqueue(items).unwrap();
        assert_eq!(index_size(&outbox), 31);
        let due = outbox.due(now_ms(), 10).unwrap();
        assert_eq!(due.len(), 10, "at most the limit");
        // The first fails once and is queued again, 30 s later; the rest are sent.
        for item in due {
            outbox.send(item, None, &sms).await.unwrap().unwrap();
        }
        assert_eq!(
            index_size(&outbox),
            22,
            "sent ones left the index, the retry is in"
        );
        let due: Vec<String> = outbox
            .due(now_ms(), 100)
            .unwrap()
            .into_iter()
            .map(|i| i.person)
            .collect();
        assert_eq!(
            due.len(),
            20,
            "not the retry (30 s) nor the later one (1 h)"
        );
        assert!(!due.contains(&"later".to_owned()));
        let due_later = outbox.due(now_ms() + 60_000, 100).unwrap();
        assert_eq!(due_later.len(), 21, "the retry is due a minute on");
        // An erasure takes an item out of the outbox table: its index entry is dropped.
        outbox
            .tables
            .write(|tx| tx.delete(OUTBOX, &key("c", "15")))
            .unwrap();
        assert_eq!(outbox.due(now_ms(), 100).unwrap().len(), 19);
        assert_eq!(index_size(&outbox), 21);
        // An item queued by a version without the index is found at the next start.
        let old = item("old");
        let bytes = serde_json::to_vec(&old).unwrap();
        outbox
            .tables
            .write(|tx| tx.put(OUTBOX, &key("c", "old"), &bytes))
            .unwrap();
        drop(outbox);
        let db = crate::storage::embedded::SharedDb::create(&path).unwrap();
        let (outbox, _) = Outbox::open(Tables::Embedded(db)).unwrap();
        let due = outbox.due(now_ms(), 100).unwrap();
        assert_eq!(due.len(), 20);
        assert!(due.iter().any(|i| i.person == "old"));
        assert!(
            due.windows(2).all(|w| w[0].next_at <= w[1].next_at),
            "oldest first"
        );
    }

    #[tokio::test]
    async fn failures_retry_with_backoff_and_stay_in_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::storage::embedded::SharedDb::create(&dir.path().join("o.redb")).unwrap();
        let (outbox, _) = Outbox::open(Tables::Embedded(db)).unwrap();
        let sms = FakeSms {
            sent: Mutex::new(Vec::new()),
            fail_first: Mutex::new(1),
        };
        outbox.enqueue(vec![item("1")]).unwrap();
        let tried = outbox
            .send(outbox.due(now_ms(), 1).unwrap().remove(0), None, &sms)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(tried.state, ItemState::Queued);
        assert_eq!(tried.last_error, "provider busy");
        assert!(tried.next_at >= now_ms() + 29_000, "backoff");
        assert!(
            outbox.due(now_ms(), 1).unwrap().is_empty(),
            "not before its time"
        );
        let retried = outbox
            .send(outbox.due(tried.next_at, 1).unwrap().remove(0), None, &sms)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((retried.state, retried.attempts), (ItemState::Sent, 2));
        // E-mail without SMTP configured: an error, and the item stays queued.
        let mut email = item("9");
        email.channel = "EPOSTA".into();
        email.address = "x@example.com".into();
        outbox.enqueue(vec![email]).unwrap();
        let e = outbox
            .send(outbox.due(now_ms(), 1).unwrap().remove(0), None, &sms)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(e.state, ItemState::Queued);
        assert!(e.last_error.contains("SAHA_SMTP_URL"));
    }
}
