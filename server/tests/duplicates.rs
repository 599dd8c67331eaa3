//! Merging duplicates through a real server: an edit a device made offline to the
//! merged record reaches the survivor, whether it arrives after the merge or before.

mod common;

use std::collections::BTreeMap;

use automerge::Automerge;
use common::{connect, connect_as, pump_until, read_account, start};
use saha_core::DocumentId;
use saha_core::duplicates::merge::merge;
use saha_core::kinds::Record;
use saha_core::record::EditContext;
use saha_core::record::form::Form;

fn account(name: &str, city: &str) -> Automerge {
    let form = Form::new().with("name", name).with("city", city);
    let ctx = EditContext::new("test", 1);
    let mut record = Record::blank("account", &ctx).unwrap();
    record.apply_new(&form, &ctx).unwrap();
    record.create().unwrap()
}

fn record(doc: &Automerge) -> Record {
    Record::read(doc).unwrap().unwrap()
}

/// What a merge screen stores: the survivor with the merged values, the merged record
/// deleted with its redirect.
fn merge_into(
    docs: &mut std::collections::HashMap<DocumentId, Automerge>,
    survivor: DocumentId,
    merged: DocumentId,
) {
    let ctx = EditContext::new("owner", 2);
    let out = merge(
        &survivor.to_string(),
        &record(&docs[&survivor]),
        &merged.to_string(),
        &record(&docs[&merged]),
        &BTreeMap::new(),
        &ctx,
    )
    .unwrap();
    out.survivor
        .write(docs.get_mut(&survivor).unwrap())
        .unwrap();
    out.merged.write(docs.get_mut(&merged).unwrap()).unwrap();
}

/// The rep's offline edit of the record that is about to be merged away.
fn edit_offline(doc: &mut Automerge) {
    let mut r = record(doc);
    let mut form = r.form();
    form.set("phone", "0212 555 01 02");
    form.set("notes", "Yeni depo Gebze'de.");
    r.apply_edit(&form, &EditContext::new("rep", 3)).unwrap();
    r.write(doc).unwrap();
}

#[tokio::test]
async fn an_offline_edit_to_a_merged_account_reaches_the_survivor() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let mut office = connect(&server, "office").await;
    let mut field = connect_as(&rep, "field").await;

    for merge_first in [true, false] {
        let survivor = DocumentId::random();
        let merged = DocumentId::random();
        office
            .docs
            .insert(survivor, account("Anadolu Gıda A.Ş.", "İstanbul"));
        office
            .docs
            .insert(merged, account("ANADOLU GIDA", "Istanbul"));
        office.push(survivor).await.unwrap();
        office.push(merged).await.unwrap();
        field.fetch(merged).await.unwrap();

        // Both offline: the office merges, the rep edits the record merged away.
        merge_into(&mut office.docs, survivor, merged);
        edit_offline(field.docs.get_mut(&merged).unwrap());
        if merge_first {
            office.push(survivor).await.unwrap();
            office.push(merged).await.unwrap();
            field.push(merged).await.unwrap();
        } else {
            field.push(merged).await.unwrap();
            office.push(survivor).await.unwrap();
            office.push(merged).await.unwrap();
        }

        let mut check = connect(&server, "check").await;
        check.fetch(survivor).await.unwrap();
        let forwarded = pump_until(&mut check, |p| {
            read_account(&p.docs[&survivor]).is_ok_and(|a| a.phone == "+902125550102")
        })
        .await;
        let survivor_now = read_account(&check.docs[&survivor]).unwrap();
        assert!(forwarded, "merge first: {merge_first}: {survivor_now:?}");
        assert_eq!(survivor_now.name, "Anadolu Gıda A.Ş.");
        assert!(
            survivor_now.common.notes.contains("Yeni depo Gebze'de."),
            "{}",
            survivor_now.common.notes
        );
        // The merged record stays a deleted redirect, with the rep's edit in it.
        let gone = read_account(check.fetch(merged).await.unwrap()).unwrap();
        assert_eq!(gone.common.merged_into, survivor.to_string());
        assert!(gone.common.is_deleted());
        assert_eq!(gone.phone, "+902125550102");
    }
    // Each merge is in the audit log, naming the record merged away and its survivor.
    let (status, log) = server.owner.get("/api/audit").await.unwrap();
    assert_eq!(status, 200);
    let merges: Vec<&serde_json::Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "records.merged")
        .collect();
    assert_eq!(merges.len(), 2, "{log:#}");
    assert!(
        merges
            .iter()
            .all(|e| e["detail"].as_str().unwrap().starts_with("merged into "))
    );
}

#[tokio::test]
async fn only_owners_and_admins_merge() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let rep = server
        .member("temsilci@anadolu.test", "sales_rep", &[])
        .await;
    let mut office = connect(&server, "office").await;
    let mut field = connect_as(&rep, "field").await;
    let survivor = DocumentId::random();
    let merged = DocumentId::random();
    office
        .docs
        .insert(survivor, account("Ege Tekstil", "İzmir"));
    office.docs.insert(merged, account("EGE TEKSTİL", "İzmir"));
    office.push(survivor).await.unwrap();
    office.push(merged).await.unwrap();
    field.fetch(survivor).await.unwrap();
    field.fetch(merged).await.unwrap();
    merge_into(&mut field.docs, survivor, merged);
    field.offer(merged).await.unwrap();
    // A connection's messages are judged in order: once a later document is confirmed,
    // the merge was judged (and refused: it is never confirmed).
    let later = DocumentId::random();
    field.docs.insert(later, account("Marmara Cam", "Bursa"));
    field.push(later).await.unwrap();
    assert!(!field.confirmed(&merged));
    // The rep's merge is refused: the server keeps the record as it was.
    let mut check = connect(&server, "check").await;
    let kept = read_account(check.fetch(merged).await.unwrap()).unwrap();
    assert!(!kept.common.is_merged() && !kept.common.is_deleted());
}
