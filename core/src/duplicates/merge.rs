//! Merging two records into one, moving what links to the merged one, and forwarding
//! edits that reach the merged one later.
//!
//! A merge is three kinds of ordinary edits, so it works offline and syncs like any
//! other: the survivor gets the chosen values ([`merge`]), each record linking to the
//! merged one links to the survivor instead ([`relink`]), and the merged record is
//! deleted with `merged_into` set to the survivor — a redirect, kept so that links,
//! bookmarks and devices that have not heard of the merge still land on the survivor.
//!
//! A device that was offline during the merge may still edit the merged record. When
//! that edit reaches the server, [`forwarding`] finds what it changed — against the
//! merged record as the merging device saw it, or as it was before the edit — and
//! [`forward`] writes the same change onto the survivor. Nothing typed offline is lost.

use std::collections::BTreeMap;

use automerge::{Automerge, ChangeHash, ObjId, ROOT, ReadDoc, Value};

use crate::kinds::Record;
use crate::parties::consent::ConsentEvent;
use crate::parties::loyalty::LedgerEntry;
use crate::record::EditContext;
use crate::record::form::{Input, Problems, split_tags, tags_text};

/// Fields a merge combines from both records instead of choosing one.
const COMBINED: &[&str] = &["notes", "tags"];

/// Which record a field's value is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Survivor,
    Merged,
}

/// A field the two records hold different values in, both non-empty: the user picks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub field: &'static str,
    pub survivor: String,
    pub merged: String,
}

/// Why two records cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// Only two accounts, or two contacts, merge.
    NotMergeable,
    /// A record is not merged into itself.
    SameRecord,
    /// One of the two was already merged into another record.
    AlreadyMerged,
    /// The chosen values do not make a valid record (a person's TCKN chosen for a
    /// company, …).
    Invalid(Problems),
}

impl MergeError {
    /// Stable code, as the app words it.
    pub fn code(&self) -> &'static str {
        match self {
            MergeError::NotMergeable => "not_mergeable",
            MergeError::SameRecord => "same_record",
            MergeError::AlreadyMerged => "already_merged",
            MergeError::Invalid(_) => "invalid",
        }
    }
}

/// The two records after a merge, to be stored together.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The survivor with the chosen and combined values.
    pub survivor: Record,
    /// The merged record, deleted, redirecting to the survivor.
    pub merged: Record,
}

/// Whether two records can be merged at all.
fn mergeable(a: &Record, b: &Record) -> Result<(), MergeError> {
    match (a, b) {
        (Record::Account(_), Record::Account(_)) | (Record::Contact(_), Record::Contact(_)) => {}
        _ => return Err(MergeError::NotMergeable),
    }
    if a.common().is_merged() || b.common().is_merged() {
        return Err(MergeError::AlreadyMerged);
    }
    Ok(())
}

/// The fields the user must choose for: both records hold a value and the values
/// differ. Every other field takes whichever value there is.
pub fn choices(survivor: &Record, merged: &Record) -> Vec<Choice> {
    let (a, b) = (survivor.form(), merged.form());
    survivor
        .fields()
        .iter()
        .filter(|spec| !COMBINED.contains(&spec.name))
        .filter_map(|spec| {
            let (x, y) = (a.get(spec.name), b.get(spec.name));
            (!x.is_empty() && !y.is_empty() && x != y).then(|| Choice {
                field: spec.name,
                survivor: x.to_owned(),
                merged: y.to_owned(),
            })
        })
        .collect()
}

/// Merges `merged` (ID `merged_id`) into `survivor` (ID `survivor_id`): each field
/// takes the side `picks` names, or else the survivor's value when it has one and the
/// merged record's when not; tags are united, the merged record's notes are added
/// below the survivor's, and its consent log and loyalty ledger entries are appended.
pub fn merge(
    survivor_id: &str,
    survivor: &Record,
    merged_id: &str,
    merged: &Record,
    picks: &BTreeMap<String, Side>,
    ctx: &EditContext,
) -> Result<Merged, MergeError> {
    if survivor_id == merged_id {
        return Err(MergeError::SameRecord);
    }
    mergeable(survivor, merged)?;
    let (a, b) = (survivor.form(), merged.form());
    let mut form = a.clone();
    for spec in survivor.fields() {
        if COMBINED.contains(&spec.name) {
            continue;
        }
        let (x, y) = (a.get(spec.name), b.get(spec.name));
        let value = match picks.get(spec.name) {
            Some(Side::Merged) => y,
            Some(Side::Survivor) => x,
            None if x.is_empty() => y,
            None => x,
        };
        form.set(spec.name, value);
    }
    let mut tags = split_tags(a.get("tags"));
    for tag in split_tags(b.get("tags")) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    form.set("tags", tags_text(&tags));
    form.set("notes", combined_notes(a.get("notes"), b.get("notes")));
    let mut out = survivor.clone();
    out.apply_edit(&form, ctx).map_err(MergeError::Invalid)?;
    append_logs(&mut out, merged);
    let mut gone = merged.clone();
    gone.common_mut().deleted_at = ctx.now_ms;
    gone.common_mut().merged_into = survivor_id.to_owned();
    Ok(Merged {
        survivor: out,
        merged: gone,
    })
}

/// `added` below `notes`, unless `notes` already holds it.
fn combined_notes(notes: &str, added: &str) -> String {
    let added = added.trim();
    if added.is_empty() || notes.contains(added) {
        notes.to_owned()
    } else if notes.trim().is_empty() {
        added.to_owned()
    } else {
        format!("{}\n\n{added}", notes.trim_end())
    }
}

/// An entry of a log that only grows, known by its ID.
trait Logged: Clone {
    fn log_id(&self) -> &str;
}

impl Logged for ConsentEvent {
    fn log_id(&self) -> &str {
        &self.id
    }
}

impl Logged for LedgerEntry {
    fn log_id(&self) -> &str {
        &self.id
    }
}

/// Appends the entries of `from` that `to` lacks.
fn append<T: Logged>(to: &mut Vec<T>, from: &[T]) {
    for entry in from {
        if !to.iter().any(|e| e.log_id() == entry.log_id()) {
            to.push(entry.clone());
        }
    }
}

/// Appends the consent events and loyalty entries of `from` that `to` lacks (by ID):
/// the logs only grow, so entries are added after the survivor's own.
fn append_logs(to: &mut Record, from: &Record) {
    match (to, from) {
        (Record::Account(to), Record::Account(from)) => {
            append(&mut to.consents, &from.consents);
            append(&mut to.loyalty, &from.loyalty);
        }
        (Record::Contact(to), Record::Contact(from)) => {
            append(&mut to.consents, &from.consents);
        }
        _ => {}
    }
}

/// `record` with every link to `from` (a record of kind `kind`) pointing to `to`
/// instead; `None` when it has no such link. Links are the form's link fields, a
/// meeting's attendee list and a lead's conversion links. A field the member may not
/// change on this record now (an issued invoice's buyer) is left as it is, and reported
/// in the second value: such a record still reaches the survivor through the redirect.
pub fn relink(
    record: &Record,
    kind: &str,
    from: &str,
    to: &str,
    may_write: impl Fn(&str) -> bool,
    ctx: &EditContext,
) -> Result<(Option<Record>, bool), Problems> {
    let mut form = record.form();
    let mut changed = false;
    let mut kept = false;
    for spec in record.fields() {
        let value = form.get(spec.name).to_owned();
        let new = match spec.input {
            Input::Link(k) if k == kind && value == from => to.to_owned(),
            Input::AnyLink if value == from => to.to_owned(),
            Input::LinkList(k) if k == kind && value.split(',').any(|v| v.trim() == from) => {
                let mut ids: Vec<&str> = Vec::new();
                for id in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                    let id = if id == from { to } else { id };
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                ids.join(",")
            }
            _ => continue,
        };
        if may_write(spec.name) {
            form.set(spec.name, new);
            changed = true;
        } else {
            kept = true;
        }
    }
    let mut out = record.clone();
    if changed {
        out.apply_edit(&form, ctx)?;
    }
    if let Record::Lead(l) = &mut out {
        let fields = &mut l.fields;
        let links: [(&str, &mut String); 2] = [
            (crate::parties::account::KIND, &mut fields.converted_account),
            (crate::parties::contact::KIND, &mut fields.converted_contact),
        ];
        for (k, link) in links {
            if k == kind && link == from {
                *link = to.to_owned();
                changed = true;
            }
        }
    }
    Ok((changed.then_some(out), kept))
}

/// An edit that reached a merged record, to be written onto its survivor.
#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    /// The survivor's document ID.
    pub into: String,
    /// The merged record before the edit.
    pub before: Record,
    /// The merged record after it.
    pub after: Record,
}

/// What the changes applied to `doc` since `before_heads` did to a merged record, when
/// `doc` holds one: `None` for any other document.
///
/// When `doc` was already merged at `before_heads`, the changes are the new ones. When
/// the merge itself is among them, the baseline is the record as the merging device saw
/// it (the merge change's dependencies): whatever the server holds beyond that was made
/// without knowledge of the merge — an edit from a device that was offline — and is
/// forwarded too.
pub fn forwarding(doc: &Automerge, before_heads: &[ChangeHash]) -> Option<Forward> {
    let after = Record::read(doc)?.ok()?;
    let into = after.common().merged_into.clone();
    if into.is_empty() {
        return None;
    }
    let baseline = if was_merged_at(doc, before_heads) {
        before_heads.to_vec()
    } else {
        merge_dependencies(doc)?
    };
    if baseline.is_empty() {
        return None;
    }
    let before = Record::read(&doc.fork_at(&baseline).ok()?)?.ok()?;
    Some(Forward {
        into,
        before,
        after,
    })
}

/// Whether the record in `doc` was already merged away at `heads`.
pub fn was_merged_at(doc: &Automerge, heads: &[ChangeHash]) -> bool {
    matches!(
        doc.get_at(ROOT, "merged_into", heads),
        Ok(Some((Value::Scalar(s), _))) if s.as_str().is_some_and(|s| !s.is_empty())
    )
}

/// The dependencies of the change that set the document's `merged_into`: the heads the
/// merging device had.
fn merge_dependencies(doc: &Automerge) -> Option<Vec<ChangeHash>> {
    let (_, ObjId::Id(counter, actor, _)) = doc.get(ROOT, "merged_into").ok()?? else {
        return None;
    };
    doc.get_changes(&[])
        .into_iter()
        .find(|change| {
            let start = change.start_op().get();
            change.actor_id() == &actor && start <= counter && counter < start + change.len() as u64
        })
        .map(|change| change.deps().to_vec())
}

/// `survivor` with what `forward` changed on the merged record: each field the edit
/// changed takes its new value, new tags, notes, consent events and loyalty entries are
/// added. `None` when the edit changed nothing the survivor holds.
pub fn forward(
    forward: &Forward,
    survivor: &Record,
    ctx: &EditContext,
) -> Result<Option<Record>, Problems> {
    if std::mem::discriminant(survivor) != std::mem::discriminant(&forward.after) {
        return Ok(None);
    }
    let (before, after) = (forward.before.form(), forward.after.form());
    let mut form = survivor.form();
    for spec in forward.after.fields() {
        let (old, new) = (before.get(spec.name), after.get(spec.name));
        if old == new {
            continue;
        }
        match spec.name {
            "tags" => {
                let mut tags = split_tags(form.get("tags"));
                let had = split_tags(old);
                for tag in split_tags(new) {
                    if !had.contains(&tag) && !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
                form.set("tags", tags_text(&tags));
            }
            "notes" => {
                let added = new.strip_prefix(old).unwrap_or(new);
                let notes = combined_notes(form.get("notes"), added);
                form.set("notes", notes);
            }
            name => form.set(name, new),
        }
    }
    let mut out = survivor.clone();
    out.apply_edit(&form, ctx)?;
    let mut added = forward.after.clone();
    strip_logged(&mut added, &forward.before);
    append_logs(&mut out, &added);
    Ok((out != *survivor).then_some(out))
}

/// Leaves in `after`'s logs only the entries `before` did not have.
fn strip_logged(after: &mut Record, before: &Record) {
    fn keep_new<T: Logged>(after: &mut Vec<T>, before: &[T]) {
        after.retain(|e| !before.iter().any(|b| b.log_id() == e.log_id()));
    }
    match (after, before) {
        (Record::Account(a), Record::Account(b)) => {
            keep_new(&mut a.consents, &b.consents);
            keep_new(&mut a.loyalty, &b.loyalty);
        }
        (Record::Contact(a), Record::Contact(b)) => {
            keep_new(&mut a.consents, &b.consents);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::parties::consent;

    fn ctx() -> EditContext {
        EditContext::new("admin", 1_800_000_000_000)
    }

    /// A new record of `kind` from its blank form with `values` typed in.
    fn new(kind: &str, values: &[(&str, &str)]) -> Record {
        let mut record = Record::blank(kind, &ctx()).unwrap();
        let mut form = record.form();
        for (k, v) in values {
            form.set(k, *v);
        }
        record.apply_new(&form, &ctx()).unwrap();
        record
    }

    fn consent_event(id: &str) -> ConsentEvent {
        ConsentEvent {
            id: id.into(),
            at: 1,
            channel: consent::Channel::Sms,
            ..ConsentEvent::default()
        }
    }

    #[test]
    fn the_survivor_takes_chosen_values_and_combines_the_rest() {
        let mut survivor = new(
            "account",
            &[
                ("name", "Anadolu Gıda A.Ş."),
                ("city", "İstanbul"),
                ("tags", "gıda, toptan"),
                ("notes", "Ödeme 30 gün."),
            ],
        );
        let mut merged = new(
            "account",
            &[
                ("name", "ANADOLU GIDA"),
                ("city", "Kocaeli"),
                ("email", "satis@anadolugida.com.tr"),
                ("tax_number", "1234567890"),
                ("tags", "toptan, ihracat"),
                ("notes", "Depo Gebze'de."),
            ],
        );
        if let (Record::Account(s), Record::Account(m)) = (&mut survivor, &mut merged) {
            s.consents.push(consent_event("c1"));
            m.consents.push(consent_event("c1"));
            m.consents.push(consent_event("c2"));
        }
        let choices = choices(&survivor, &merged);
        let fields: Vec<&str> = choices.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["name", "city"]);
        let picks = BTreeMap::from([("city".to_owned(), Side::Merged)]);
        let out = merge("s", &survivor, "m", &merged, &picks, &ctx()).unwrap();
        let Record::Account(s) = &out.survivor else {
            panic!("an account")
        };
        assert_eq!(s.name, "Anadolu Gıda A.Ş.");
        assert_eq!(s.city, "Kocaeli");
        // Empty on the survivor: taken from the merged record.
        assert_eq!(s.email, "satis@anadolugida.com.tr");
        assert_eq!(s.tax_number, "1234567890");
        assert_eq!(s.tags, ["gıda", "toptan", "ihracat"]);
        assert_eq!(s.common.notes, "Ödeme 30 gün.\n\nDepo Gebze'de.");
        let ids: Vec<&str> = s.consents.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["c1", "c2"]);
        assert_eq!(out.merged.common().merged_into, "s");
        assert!(out.merged.common().is_deleted());
        assert_eq!(
            merge("s", &survivor, "s", &merged, &picks, &ctx()).unwrap_err(),
            MergeError::SameRecord
        );
        let contact = new("contact", &[("name", "Ayşe")]);
        assert_eq!(
            merge("s", &survivor, "c", &contact, &picks, &ctx()).unwrap_err(),
            MergeError::NotMergeable
        );
        assert_eq!(
            merge("x", &out.merged, "s", &survivor, &picks, &ctx()).unwrap_err(),
            MergeError::AlreadyMerged
        );
    }

    /// Every kind that links to an account or a contact is moved to the survivor; an
    /// issued invoice keeps its buyer.
    #[test]
    fn merging_relinks_every_related_kind() {
        let role = Role::Admin;
        let related_to_account = [
            new("contact", &[("name", "Ayşe"), ("account", "old")]),
            new(
                "opportunity",
                &[
                    ("name", "Yıllık"),
                    ("account", "old"),
                    ("stage", "proposal"),
                ],
            ),
            new("quote", &[("account", "old")]),
            new("order", &[("account", "old")]),
            new("invoice", &[("account", "old")]),
            new("case", &[("subject", "Geç teslimat"), ("account", "old")]),
            new(
                "call",
                &[
                    ("account", "old"),
                    ("number", "05321234567"),
                    ("started", "2026-12-01T10:00"),
                ],
            ),
            new(
                "task",
                &[("subject", "Ara"), ("account", "old"), ("link", "old")],
            ),
            new(
                "meeting",
                &[
                    ("subject", "Ziyaret"),
                    ("start", "2026-12-01T10:00"),
                    ("end", "2026-12-01T11:00"),
                    ("account", "old"),
                ],
            ),
        ];
        for record in &related_to_account {
            let status = record.status().unwrap_or_default();
            let kind = record.kind();
            let may = |f: &str| crate::rules::may_edit_field(&kind, role, f, &status);
            let (moved, kept) = relink(record, "account", "old", "new", may, &ctx())
                .unwrap_or_else(|p| panic!("{kind}: {p:?}"));
            let moved = moved.unwrap_or_else(|| panic!("{kind} relinked"));
            assert_eq!(moved.account(), "new", "{kind}");
            assert!(!kept, "{kind}");
            if let Record::Task(t) = &moved {
                assert_eq!(t.link, "new");
            }
        }
        // An issued invoice keeps the buyer it was issued to.
        let mut issued = new("invoice", &[("account", "old")]);
        if let Record::Sales(d) = &mut issued {
            d.status = "issued".into();
        }
        let may = |f: &str| crate::rules::may_edit_field("invoice", role, f, "issued");
        let (moved, kept) = relink(&issued, "account", "old", "new", may, &ctx()).unwrap();
        assert!(moved.is_none() && kept);
        // A lead's conversion links.
        let mut lead = new("lead", &[("name", "Ayşe")]);
        if let Record::Lead(l) = &mut lead {
            l.converted_account = "old".into();
        }
        let (moved, _) = relink(&lead, "account", "old", "new", |_| true, &ctx()).unwrap();
        let Some(Record::Lead(l)) = moved else {
            panic!("a lead")
        };
        assert_eq!(l.converted_account, "new");
        // Links to a contact: a contact's opportunity, quote, case, call and meeting.
        let related_to_contact = [
            new(
                "opportunity",
                &[
                    ("name", "Yıllık"),
                    ("account", "a"),
                    ("contact", "old"),
                    ("stage", "proposal"),
                ],
            ),
            new("quote", &[("account", "a"), ("contact", "old")]),
            new("case", &[("subject", "İade"), ("contact", "old")]),
            new(
                "call",
                &[
                    ("contact", "old"),
                    ("number", "05321234567"),
                    ("started", "2026-12-01T10:00"),
                ],
            ),
            new(
                "meeting",
                &[
                    ("subject", "Ziyaret"),
                    ("start", "2026-12-01T10:00"),
                    ("end", "2026-12-01T11:00"),
                    ("contacts", "c9,old,new"),
                ],
            ),
        ];
        for record in &related_to_contact {
            let kind = record.kind();
            let (moved, _) = relink(record, "contact", "old", "new", |_| true, &ctx()).unwrap();
            let moved = moved.unwrap_or_else(|| panic!("{kind} relinked"));
            let form = moved.form();
            match &moved {
                Record::Meeting(m) => assert_eq!(m.contacts, ["c9", "new"]),
                _ => assert_eq!(form.get("contact"), "new", "{kind}"),
            }
        }
        // Nothing to move: nothing written.
        let other = new(
            "call",
            &[
                ("account", "else"),
                ("number", "05321234567"),
                ("started", "2026-12-01T10:00"),
            ],
        );
        assert_eq!(
            relink(&other, "account", "old", "new", |_| true, &ctx()).unwrap(),
            (None, false)
        );
    }

    /// Store `record` in a new document on `actor`'s device.
    fn stored(record: &Record, actor: u8) -> Automerge {
        let doc = record.create().unwrap();
        doc.with_actor(automerge::ActorId::from([actor; 16]))
    }

    #[test]
    fn an_offline_edit_to_a_merged_record_is_forwarded_whichever_arrives_first() {
        let original = new(
            "account",
            &[
                ("name", "Anadolu Gıda"),
                ("city", "İstanbul"),
                ("notes", "Eski."),
            ],
        );
        let survivor = new("account", &[("name", "Anadolu Gıda A.Ş.")]);
        let server = stored(&original, 1);
        // The merging device and the offline device both start from the server's copy.
        let mut merging = server.fork().with_actor(automerge::ActorId::from([2; 16]));
        let mut offline = server.fork().with_actor(automerge::ActorId::from([3; 16]));
        let merge = merge("s", &survivor, "m", &original, &BTreeMap::new(), &ctx()).unwrap();
        merge.merged.write(&mut merging).unwrap();
        let mut edited = original.clone();
        let mut form = edited.form();
        form.set("phone", "0212 123 45 67");
        form.set("notes", "Eski. Yeni depo Gebze.");
        edited.apply_edit(&form, &ctx()).unwrap();
        if let Record::Account(a) = &mut edited {
            a.consents.push(consent_event("offline-consent"));
        }
        edited.write(&mut offline).unwrap();

        let check = |f: Forward| {
            assert_eq!(f.into, "s");
            let out = forward(&f, &merge.survivor, &ctx()).unwrap().unwrap();
            let Record::Account(a) = out else {
                panic!("an account")
            };
            assert_eq!(a.phone, "+902121234567");
            assert_eq!(a.name, "Anadolu Gıda A.Ş.", "unchanged fields stay");
            assert!(
                a.common.notes.ends_with("Yeni depo Gebze."),
                "{}",
                a.common.notes
            );
            assert!(a.consents.iter().any(|e| e.id == "offline-consent"));
        };
        // The merge reaches the server first, then the offline edit.
        let mut first = server.clone();
        first.merge(&mut merging.clone()).unwrap();
        assert!(
            forwarding(&first, &server.get_heads())
                .is_none_or(|f| { forward(&f, &merge.survivor, &ctx()).unwrap().is_none() })
        );
        let before = first.get_heads();
        first.merge(&mut offline.clone()).unwrap();
        check(forwarding(&first, &before).expect("a merged record"));
        // The offline edit first, then the merge.
        let mut second = server.clone();
        second.merge(&mut offline.clone()).unwrap();
        assert!(forwarding(&second, &server.get_heads()).is_none());
        let before = second.get_heads();
        second.merge(&mut merging.clone()).unwrap();
        check(forwarding(&second, &before).expect("a merged record"));
    }
}
