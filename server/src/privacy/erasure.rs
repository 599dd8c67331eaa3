//! Erasing a person on the server ([`saha_core::privacy::erasure`] decides what goes):
//!
//! 1. every record that refers to them and is kept is rebuilt from its current state,
//!    without them, as a new document (one change, no history), with the old one's
//!    team and owner; the workspace index lists the new ID instead of the old;
//! 2. records that link to a rebuilt record are changed to link to its new ID;
//! 3. the server's tables forget them: outbox items, survey and unsubscribe links
//!    (those of other people move to a rebuilt campaign's new ID), webhook events,
//!    deliveries and attempts that carried a destroyed record, inbound mentions; the
//!    audit log and the request log keep their entries with the person masked;
//! 4. their e-mail addresses and phone numbers go on the workspace's suppression list,
//!    as salted SHA-256 hashes only ([`is_suppressed`]), so no campaign reaches them
//!    again;
//! 5. the files (attachments) that only the erased and anonymised records held are
//!    removed from the blob store — an anonymised record keeps no attachment;
//! 6. the old documents are destroyed ([`crate::sync::hub::Hub::erase`]: every stored
//!    byte, the embedded file rewritten, PostgreSQL vacuumed — after step 3, so the
//!    table rows removed there go with the same rewrite);
//! 7. a [`Destruction`] record — IDs, kinds, who, when, which request; no personal
//!    data — is kept in [`DESTRUCTIONS`] (never removed by Saha; the law asks for at
//!    least three years).

use std::collections::{BTreeSet, HashMap, HashSet};

use saha_core::DocumentId;
use saha_core::kinds::Record;
use saha_core::privacy::erasure::{
    Destruction, EraseInput, ErasurePlan, Gone, Identity, MASK, Treatment, plan,
};
use sha2::{Digest, Sha256};

use crate::ServerError;
use crate::storage::{DocumentStore, Storage, TableTx, Tables};
use crate::sync::hub::Hub;

/// Destruction records by `workspace/millis/ID`.
pub const DESTRUCTIONS: &str = "privacy_destructions";
/// Suppressed addresses by `workspace/hash` ([`is_suppressed`]).
pub const SUPPRESSED: &str = "privacy_suppressed";
/// Devices' acknowledgements that they dropped erased documents, by
/// `workspace/user/device` ([`acknowledge`]).
pub const PURGE_ACKS: &str = "privacy_purge_acks";
/// Held while a batch runs ([`erase_batch`]), and by a retention run from its planning
/// to its end.
pub(crate) static ERASING: std::sync::LazyLock<tokio::sync::Mutex<()>> =
    std::sync::LazyLock::new(|| tokio::sync::Mutex::new(()));
/// Each workspace's salt for [`SUPPRESSED`], by workspace ID.
const SALTS: &str = "privacy_salts";

/// Tables whose rows carry a record as it was (webhook events and their deliveries),
/// or text about a person (inbound mentions): a row naming a destroyed document or the
/// person goes.
const CARRYING_RECORDS: [&str; 4] = [
    crate::webhooks::events::EVENTS,
    crate::webhooks::QUEUE,
    crate::webhooks::LOG,
    crate::rest::inbound::MENTIONS,
];
/// Tables of what campaigns send, by campaign and person: the person's rows go, the
/// others follow a rebuilt campaign to its new ID.
const OF_CAMPAIGNS: [&str; 5] = [
    crate::outbox::OUTBOX,
    crate::outbox::OUTBOX_DUE,
    crate::outbox::APPROVALS,
    crate::http::survey::SURVEY_LINKS,
    crate::http::unsubscribe::UNSUBSCRIBE_LINKS,
];

/// Every record of `workspace` with its ID, archived and deleted ones too.
pub async fn records_of(
    storage: &Storage,
    workspace: &str,
) -> Result<Vec<(String, Record)>, ServerError> {
    Ok(rows_of(storage, workspace)
        .await?
        .into_iter()
        .map(|(id, record, _)| (id, record))
        .collect())
}

/// Every record of `workspace` with its ID and when the server last accepted a change
/// to it (ms), archived and deleted ones too.
pub async fn rows_of(
    storage: &Storage,
    workspace: &str,
) -> Result<Vec<(String, Record, i64)>, ServerError> {
    crate::storage::records::of_workspace(storage, workspace, &saha_core::kinds::KINDS).await
}

/// What erasing `input.person` would do in `workspace`; `None` when no record of
/// the workspace has that ID.
pub async fn preview(
    hub: &Hub,
    workspace: &str,
    input: &EraseInput,
) -> Result<Option<ErasurePlan>, ServerError> {
    let records = records_of(hub.storage(), workspace).await?;
    let whole: BTreeSet<String> = input.erase_whole.iter().cloned().collect();
    Ok(plan(
        &input.person,
        records.iter().map(|(id, r)| (id.as_str(), r)),
        &whole,
    ))
}

fn bad_id(id: &str) -> ServerError {
    ServerError::Storage(format!("erasure: {id} is not a document ID"))
}

/// Runs `plan` (made by [`preview`] for `workspace`) on behalf of `by` under request
/// `request`, at `now`; returns the destruction record it kept.
#[allow(clippy::too_many_arguments)]
pub async fn erase(
    hub: &Hub,
    directory: &crate::directory::Directory,
    blobs: &crate::attachments::BlobStore,
    workspace: &str,
    plan: ErasurePlan,
    by: &str,
    request: &str,
    now: i64,
) -> Result<Destruction, ServerError> {
    let run = Batch {
        by,
        request,
        suppress: true,
        now,
        blobs,
    };
    let mut kept = erase_batch(hub, directory, workspace, vec![plan], &run).await?;
    kept.pop()
        .ok_or_else(|| ServerError::Storage("erasure: no destruction record".into()))
}

/// How a batch of plans is run: on behalf of `by`, under request `request` (may be
/// empty), at `now`; with `suppress`, the people's addresses go on the suppression list
/// (an erasure a person asked for), without it they do not (a retention run).
pub struct Batch<'a> {
    pub by: &'a str,
    pub request: &'a str,
    pub suppress: bool,
    pub now: i64,
    /// Where the records' attachments are kept.
    pub blobs: &'a crate::attachments::BlobStore,
}

/// Runs `plans` (made together by [`saha_core::privacy::erasure::plan_batch`], or one
/// by [`preview`]) for `workspace` in one pass: every record rebuilt once, the tables
/// cleaned once, the old documents destroyed in one rewrite. Returns one destruction
/// record per plan.
pub async fn erase_batch(
    hub: &Hub,
    directory: &crate::directory::Directory,
    workspace: &str,
    plans: Vec<ErasurePlan>,
    run: &Batch<'_>,
) -> Result<Vec<Destruction>, ServerError> {
    // One batch at a time on this node: a second batch planned before the first ran
    // finds the documents the first destroyed gone, and rebuilds none of them again.
    let turn = ERASING.lock().await;
    erase_batch_in_turn(hub, directory, workspace, plans, run, &turn).await
}

/// [`erase_batch`] for a caller that holds the turn already ([`ERASING`]), having
/// planned in it.
pub(crate) async fn erase_batch_in_turn(
    hub: &Hub,
    directory: &crate::directory::Directory,
    workspace: &str,
    plans: Vec<ErasurePlan>,
    run: &Batch<'_>,
    _turn: &tokio::sync::MutexGuard<'static, ()>,
) -> Result<Vec<Destruction>, ServerError> {
    let tables = hub.storage().tables();
    // What becomes of each record: the last plan that touches it decides.
    let mut order: Vec<&str> = Vec::new();
    let mut fate: HashMap<&str, (&str, Option<&Record>)> = HashMap::new();
    for planned in plans.iter().flat_map(|p| &p.records) {
        let rebuilt = match planned.treatment {
            Treatment::Anonymise => planned.rebuilt.as_ref(),
            Treatment::Erase => None,
        };
        if fate
            .insert(&planned.id, (planned.kind.as_str(), rebuilt))
            .is_none()
        {
            order.push(&planned.id);
        }
    }
    // The files the records held before (the rebuilt ones keep none).
    let files = crate::attachments::store::files_of(
        records_of(hub.storage(), workspace)
            .await?
            .iter()
            .filter(|(id, _)| fate.contains_key(id.as_str()))
            .map(|(_, record)| record),
    );
    // 1. Rebuild what is kept.
    let mut replaced: Vec<(DocumentId, DocumentId, String, i64)> = Vec::new();
    let mut outcome: HashMap<&str, Option<String>> = HashMap::new();
    let mut destroyed: Vec<DocumentId> = Vec::new();
    for id in &order {
        let (kind, rebuilt) = fate[id];
        let old: DocumentId = id.parse().map_err(|_| bad_id(id))?;
        destroyed.push(old);
        // A document gone meanwhile (another erasure) is only made sure of.
        let (Some(rebuilt), Some(meta)) = (rebuilt, hub.meta(&old).await?) else {
            outcome.insert(id, None);
            continue;
        };
        let new = DocumentId::random();
        hub.note_rebuilt(&[new]);
        hub.server_create(new, meta, rebuilt.create()?).await?;
        replaced.push((old, new, kind.to_owned(), rebuilt.common().created_at));
        outcome.insert(id, Some(new.to_string()));
    }
    let erased_whole: Vec<DocumentId> = order
        .iter()
        .filter(|id| outcome.get(*id).is_some_and(Option::is_none))
        .filter_map(|id| id.parse().ok())
        .collect();
    hub.relist(workspace, &replaced, &erased_whole).await?;
    // 2. Links to rebuilt records follow them.
    let moves: Vec<(String, String)> = replaced
        .iter()
        .map(|(old, new, ..)| (old.to_string(), new.to_string()))
        .collect();
    if !moves.is_empty() {
        for (id, record) in records_of(hub.storage(), workspace).await? {
            if fate.contains_key(id.as_str())
                || saha_core::privacy::erasure::relinked(&record, &moves).is_none()
            {
                continue;
            }
            let id: DocumentId = id.parse().map_err(|_| bad_id(&id))?;
            hub.server_change(id, |doc| match Record::read(doc) {
                Some(Ok(now)) => match saha_core::privacy::erasure::relinked(&now, &moves) {
                    Some(moved) => moved.write(doc),
                    None => Ok(false),
                },
                _ => Ok(false),
            })
            .await?;
        }
    }
    // 3. The tables.
    let identities: Vec<Identity> = plans.iter().map(|p| p.identity.clone()).collect();
    let addresses: Vec<String> = plans
        .iter()
        .flat_map(|p| p.addresses.iter().cloned())
        .collect();
    let old_ids: Vec<String> = destroyed.iter().map(ToString::to_string).collect();
    forget(&tables, &identities, &addresses, &old_ids, &moves)?;
    directory
        .mask_audit(workspace, |text| mask_all(&identities, text))
        .map_err(|e| ServerError::Storage(format!("audit log: {e}")))?;
    mask_requests(&tables, workspace, &identities)?;
    // 4. The suppression list.
    if run.suppress {
        suppress(&tables, workspace, &addresses)?;
    }
    // 5. Their files that no other record holds.
    let going: HashSet<String> = old_ids.iter().cloned().collect();
    run.blobs
        .drop_unreferenced(hub.storage(), workspace, &files, &going)
        .await
        .map_err(|e| ServerError::Storage(format!("erasure: attachments: {e}")))?;
    // 6. The old documents.
    hub.erase(&destroyed, run.now).await?;
    // 7. The destruction records.
    let mut kept = Vec::with_capacity(plans.len());
    for plan in &plans {
        let destruction = Destruction {
            id: crate::directory::new_id(),
            at: run.now,
            by: run.by.to_owned(),
            request: run.request.to_owned(),
            person: plan.person.clone(),
            records: plan
                .records
                .iter()
                .map(|p| Gone {
                    id: p.id.clone(),
                    kind: p.kind.clone(),
                    replaced_by: outcome.get(p.id.as_str()).cloned().flatten(),
                })
                .collect(),
            suppressed: if run.suppress {
                plan.addresses.len()
            } else {
                0
            },
        };
        kept.push(destruction);
    }
    // 7. Webhook subscribers are told which records are gone (their copies hold the
    // person too), in the same write: `kind.erased`, with IDs only.
    let mut events = Vec::new();
    if hub.raises_events(workspace) {
        for destruction in &kept {
            for gone in &destruction.records {
                let doc: DocumentId = gone.id.parse().map_err(|_| bad_id(&gone.id))?;
                events.push(crate::webhooks::events::erased(
                    workspace,
                    doc,
                    &gone.kind,
                    gone.replaced_by.as_deref(),
                    &destruction.id,
                    run.now,
                )?);
            }
        }
    }
    tables.write(|tx| {
        for destruction in &kept {
            let bytes = serde_json::to_vec(destruction).map_err(json_error)?;
            let key = format!("{workspace}/{:016}/{}", run.now.max(0), destruction.id);
            tx.put(DESTRUCTIONS, &key, &bytes)?;
        }
        for event in &events {
            tx.put(event.table, &event.key, &event.value)?;
        }
        Ok::<_, ServerError>(())
    })?;
    if !events.is_empty() {
        hub.events_raised().notify_one();
    }
    Ok(kept)
}

/// `text` with every one of `identities` masked.
fn mask_all(identities: &[Identity], text: &str) -> String {
    identities
        .iter()
        .fold(text.to_owned(), |text, identity| identity.mask(&text))
}

fn json_error(e: serde_json::Error) -> ServerError {
    ServerError::Storage(format!("erasure JSON: {e}"))
}

/// Takes the person out of the server's tables (step 3 of the module's list).
fn forget(
    tables: &Tables,
    identities: &[Identity],
    addresses: &[String],
    old_ids: &[String],
    moves: &[(String, String)],
) -> Result<(), ServerError> {
    let addresses: Vec<String> = addresses.iter().map(|a| a.to_lowercase()).collect();
    let about_person = |text: &str| {
        let lowered = text.to_lowercase();
        identities.iter().any(|i| text.contains(&i.person))
            || addresses.iter().any(|a| lowered.contains(a.as_str()))
            || mask_all(identities, text) != text
    };
    tables.write(|tx| {
        for table in CARRYING_RECORDS {
            for (key, value) in tx.scan(table, "", None)? {
                let text = String::from_utf8_lossy(&value);
                if about_person(&text) || old_ids.iter().any(|id| text.contains(id.as_str())) {
                    tx.delete(table, &key)?;
                }
            }
        }
        for table in OF_CAMPAIGNS {
            for (key, value) in tx.scan(table, "", None)? {
                let text = String::from_utf8_lossy(&value).into_owned();
                if about_person(&text) || about_person(&key) {
                    tx.delete(table, &key)?;
                    continue;
                }
                let moved = |s: &str| {
                    moves
                        .iter()
                        .fold(s.to_owned(), |s, (old, new)| s.replace(old.as_str(), new))
                };
                let (new_key, new_text) = (moved(&key), moved(&text));
                if new_key != key || new_text != text {
                    tx.delete(table, &key)?;
                    tx.put(table, &new_key, new_text.as_bytes())?;
                }
            }
        }
        Ok::<_, ServerError>(())
    })
}

/// The workspace's requests about the person keep their dates, kinds and statuses;
/// the name, address and free text lose who they are.
fn mask_requests(
    tables: &Tables,
    workspace: &str,
    identities: &[Identity],
) -> Result<(), ServerError> {
    let (from, to) = (format!("{workspace}/"), format!("{workspace}0"));
    tables.write(|tx| {
        for (key, value) in tx.scan(super::REQUESTS, &from, Some(&to))? {
            let mut request: saha_core::privacy::request::PrivacyRequest =
                serde_json::from_slice(&value).map_err(json_error)?;
            let before = request.clone();
            if identities.iter().any(|i| request.person == i.person) {
                request.person_name = MASK.to_owned();
                request.contact = MASK.to_owned();
            }
            for text in [
                &mut request.person_name,
                &mut request.contact,
                &mut request.description,
                &mut request.answer,
                &mut request.evidence,
            ] {
                *text = mask_all(identities, text);
            }
            if request != before {
                let bytes = serde_json::to_vec(&request).map_err(json_error)?;
                tx.put(super::REQUESTS, &key, &bytes)?;
            }
        }
        Ok::<_, ServerError>(())
    })
}

/// The workspace's salt for the suppression list, made on first use.
fn salt_of(tx: &mut dyn TableTx, workspace: &str) -> Result<Vec<u8>, ServerError> {
    if let Some(salt) = tx.get(SALTS, workspace)? {
        return Ok(salt);
    }
    let mut salt = vec![0u8; 32];
    getrandom::fill(&mut salt).map_err(|e| ServerError::Storage(format!("salt: {e}")))?;
    tx.put(SALTS, workspace, &salt)?;
    Ok(salt)
}

/// An address as the suppression list keeps it: an e-mail address lower-cased, a
/// phone number in E.164 (anything else as typed, trimmed).
fn normal(address: &str) -> String {
    let address = address.trim();
    if address.contains('@') {
        address.to_lowercase()
    } else {
        saha_core::text::validate::phone(address).unwrap_or_else(|_| address.to_owned())
    }
}

fn hash(salt: &[u8], address: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(salt);
    digest.update(normal(address).as_bytes());
    hex::encode(digest.finalize())
}

fn suppress(tables: &Tables, workspace: &str, addresses: &[String]) -> Result<(), ServerError> {
    tables.write(|tx| {
        let salt = salt_of(tx, workspace)?;
        for address in addresses {
            tx.put(
                SUPPRESSED,
                &format!("{workspace}/{}", hash(&salt, address)),
                b"",
            )?;
        }
        Ok::<_, ServerError>(())
    })
}

/// Whether `address` (an e-mail address or a phone number, however written) belongs
/// to a person erased from `workspace`.
pub fn is_suppressed(tables: &Tables, workspace: &str, address: &str) -> Result<bool, ServerError> {
    tables.read(|tx| {
        let Some(salt) = tx.get(SALTS, workspace)? else {
            return Ok(false);
        };
        Ok(tx
            .get(SUPPRESSED, &format!("{workspace}/{}", hash(&salt, address)))?
            .is_some())
    })
}

/// The workspace's destruction records, newest first.
pub fn destructions(tables: &Tables, workspace: &str) -> Result<Vec<Destruction>, ServerError> {
    let (from, to) = (format!("{workspace}/"), format!("{workspace}0"));
    let mut all = tables.read(|tx| {
        tx.scan(DESTRUCTIONS, &from, Some(&to))?
            .into_iter()
            .map(|(_, v)| serde_json::from_slice::<Destruction>(&v).map_err(json_error))
            .collect::<Result<Vec<_>, _>>()
    })?;
    all.reverse();
    Ok(all)
}

/// The documents erased from `workspace` after `since` (ms), oldest first, each with
/// the record that replaced it.
pub fn erased_since(
    tables: &Tables,
    workspace: &str,
    since: i64,
) -> Result<Vec<saha_core::privacy::erasure::ErasedDoc>, ServerError> {
    let replaced = replacements(tables, workspace)?;
    let mut erased = Vec::new();
    for (key, value) in tables.read(|tx| tx.scan(crate::storage::ERASED, "", None))? {
        let tombstone: crate::storage::Tombstone =
            serde_json::from_slice(&value).map_err(json_error)?;
        if tombstone.workspace == workspace && tombstone.erased_at > since {
            erased.push(saha_core::privacy::erasure::ErasedDoc {
                replaced_by: replaced.get(&key).cloned(),
                id: key,
                erased_at: tombstone.erased_at,
            });
        }
    }
    erased.sort_by(|a, b| (a.erased_at, &a.id).cmp(&(b.erased_at, &b.id)));
    Ok(erased)
}

/// Keeps `ack` from `user`'s device, with the time it arrived.
pub fn acknowledge(
    tables: &Tables,
    workspace: &str,
    user: &str,
    ack: &saha_core::privacy::erasure::PurgeAck,
    now: i64,
) -> Result<(), ServerError> {
    let key = format!("{workspace}/{user}/{}", ack.device);
    let bytes = serde_json::to_vec(&serde_json::json!({
        "device": ack.device,
        "upTo": ack.up_to,
        "at": now,
    }))
    .map_err(json_error)?;
    tables.write(|tx| tx.put(PURGE_ACKS, &key, &bytes))
}

/// Every record rebuilt by an erasure, in every workspace (the hub refuses changes to
/// them that start another history).
pub fn rebuilt_documents(tables: &Tables) -> Result<HashSet<DocumentId>, ServerError> {
    let mut rebuilt = HashSet::new();
    for (_, value) in tables.read(|tx| tx.scan(DESTRUCTIONS, "", None))? {
        let destruction: Destruction = serde_json::from_slice(&value).map_err(json_error)?;
        rebuilt.extend(
            destruction
                .records
                .into_iter()
                .filter_map(|g| g.replaced_by?.parse::<DocumentId>().ok()),
        );
    }
    Ok(rebuilt)
}

/// Old → new IDs of every record rebuilt by an erasure in `workspace`.
pub fn replacements(
    tables: &Tables,
    workspace: &str,
) -> Result<HashMap<String, String>, ServerError> {
    Ok(destructions(tables, workspace)?
        .into_iter()
        .flat_map(|d| d.records)
        .filter_map(|g| g.replaced_by.map(|new| (g.id, new)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suppression_list_knows_an_address_however_written_and_keeps_no_address() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = crate::storage::embedded::SharedDb::create(&dir.path().join("t.redb"))
            .expect("database");
        let tables = Tables::Embedded(db);
        suppress(
            &tables,
            "w1",
            &["ayse@example.com".into(), "+905321234567".into()],
        )
        .expect("stored");
        for written in ["AYSE@example.com", " ayse@example.com", "0532 123 45 67"] {
            assert!(
                is_suppressed(&tables, "w1", written).expect("read"),
                "{written}"
            );
        }
        assert!(!is_suppressed(&tables, "w1", "mehmet@example.com").expect("read"));
        assert!(!is_suppressed(&tables, "w2", "ayse@example.com").expect("read"));
        let rows = tables
            .read(|tx| tx.scan(SUPPRESSED, "", None))
            .expect("scan");
        assert_eq!(rows.len(), 2);
        for (key, value) in rows {
            assert!(!key.contains("ayse") && !key.contains("532"), "{key}");
            assert!(value.is_empty());
        }
    }
}
