//! The rule table judged on documents written as hostile clients write them: strings as
//! scalars and as text, numbers as floats, fields added, changed and removed.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ScalarValue};
use proptest::prelude::*;

use super::*;
use crate::kinds::Record;
use crate::record::EditContext;

const TEAM: &str = "t1";

fn access(role: Role) -> Access {
    Access {
        role,
        teams: vec![TEAM.to_owned()],
    }
}

/// A record of `kind` made by an owner in team [`TEAM`], as the app creates it.
fn stored(kind: &str) -> Automerge {
    let ctx = EditContext::new("owner", 1);
    let mut record = Record::blank(kind, &ctx).expect("a known kind");
    if let Record::Campaign(c) = &mut record {
        c.name = "Kış".into();
        c.template = "Merhaba {{first_name}}".into();
        c.people = vec!["p1".into()];
    }
    record.common_mut().team = TEAM.to_owned();
    record.create().expect("created")
}

/// Applies `edit` as a raw client would and judges it as the server does.
fn judge(
    role: Role,
    doc: &Automerge,
    edit: impl FnOnce(&mut automerge::transaction::Transaction<'_>),
) -> (Result<Option<Record>, Refusal>, Automerge) {
    let before_heads = doc.get_heads();
    let before = read_record(doc).expect("a readable record");
    let mut after = doc.fork();
    let mut tx = after.transaction();
    edit(&mut tx);
    tx.commit();
    let verdict = check(
        Some(&access(role)),
        &Change {
            doc: &after,
            before_heads: &before_heads,
            before: before.as_ref(),
            after: None,
        },
    );
    (verdict, after)
}

/// Judges `doc` as a new document made by `role`.
fn check_new(role: Role, doc: &Automerge) -> Result<Option<Record>, Refusal> {
    check(
        Some(&access(role)),
        &Change {
            doc,
            before_heads: &[],
            before: None,
            after: None,
        },
    )
}

fn put_text(tx: &mut automerge::transaction::Transaction<'_>, key: &str, value: &str) {
    let text = tx.put_object(ROOT, key, ObjType::Text).unwrap();
    tx.splice_text(&text, 0, 0, value).unwrap();
}

#[test]
fn a_rep_cannot_approve_a_campaign_whatever_the_string_type() {
    let campaign = stored(crate::engagement::campaign::KIND);
    let (scalar, _) = judge(Role::SalesRep, &campaign, |tx| {
        tx.put(ROOT, "status", "approved").unwrap();
    });
    assert_eq!(scalar.unwrap_err(), Refusal::Step(Step::CampaignApproval));
    // As the stock JS client writes every string: a text object.
    let (text, _) = judge(Role::SalesRep, &campaign, |tx| {
        put_text(tx, "status", "approved")
    });
    assert_eq!(text.unwrap_err(), Refusal::Step(Step::CampaignApproval));
    let (manager, _) = judge(Role::Manager, &campaign, |tx| {
        put_text(tx, "status", "approved")
    });
    assert!(manager.is_ok());
}

#[test]
fn a_new_campaign_cannot_start_approved_or_with_deliveries() {
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", "campaign")?;
        tx.put(ROOT, "team", TEAM)?;
        let status = tx.put_object(ROOT, "status", ObjType::Text)?;
        tx.splice_text(&status, 0, 0, "approved")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        check_new(Role::SalesRep, &doc).unwrap_err(),
        Refusal::Step(Step::CampaignApproval)
    );
    assert!(check_new(Role::Manager, &doc).is_ok());

    let mut forged = stored(crate::engagement::campaign::KIND).fork();
    forged
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let deliveries = tx.get(ROOT, "deliveries")?.unwrap().1;
            let d = tx.put_object(&deliveries, "p1", ObjType::Map)?;
            tx.put(&d, "state", "sent")?;
            tx.put(&d, "at", 5)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check_new(Role::Owner, &forged).unwrap_err(),
        Refusal::ServerOnly("deliveries")
    );
}

#[test]
fn content_without_a_kind_is_not_a_record_and_a_kind_is_never_added_later() {
    let mut kindless = Automerge::new();
    kindless
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "status", "approved"))
        .unwrap();
    assert_eq!(
        check_new(Role::Owner, &kindless).unwrap_err(),
        Refusal::NotARecord
    );
    // An empty document (automerge-repo's `create()`) is fine until content arrives.
    let empty = Automerge::new();
    assert!(matches!(check_new(Role::SalesRep, &empty), Ok(None)));
    assert_eq!(
        check_new(Role::ReadOnly, &empty).unwrap_err(),
        Refusal::Access(Denied::ReadOnly)
    );
    // A privacy officer reads every record and writes none.
    assert_eq!(
        check_new(Role::Privacy, &empty).unwrap_err(),
        Refusal::Access(Denied::ReadOnly)
    );
    // A kind this version does not know.
    let mut unknown = Automerge::new();
    unknown
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "kind", "wormhole"))
        .unwrap();
    assert_eq!(
        check_new(Role::Owner, &unknown).unwrap_err(),
        Refusal::NotARecord
    );
}

#[test]
fn members_forge_neither_survey_answers_nor_delivery_states() {
    let mut campaign = stored(crate::engagement::campaign::KIND);
    // The server writes an answer and a delivery.
    campaign
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let responses = tx.get(ROOT, "responses")?.unwrap().1;
            let r = tx.put_object(&responses, "p1", ObjType::Map)?;
            tx.put(&r, "score", 7)?;
            tx.put(&r, "at", 5)?;
            let deliveries = tx.get(ROOT, "deliveries")?.unwrap().1;
            let d = tx.put_object(&deliveries, "p1", ObjType::Map)?;
            tx.put(&d, "state", "sent")?;
            tx.put(&d, "at", 5)?;
            Ok(())
        })
        .unwrap();
    assert!(
        check(
            None,
            &Change {
                doc: &campaign,
                before_heads: &[],
                before: None,
                after: None,
            }
        )
        .is_ok(),
        "the server writes them"
    );
    let (answer, _) = judge(Role::Owner, &campaign, |tx| {
        let responses = tx.get(ROOT, "responses").unwrap().unwrap().1;
        let r = tx.get(&responses, "p1").unwrap().unwrap().1;
        tx.put(&r, "score", 0).unwrap();
    });
    assert_eq!(answer.unwrap_err(), Refusal::ServerOnly("responses"));
    let (delivery, _) = judge(Role::Admin, &campaign, |tx| {
        let deliveries = tx.get(ROOT, "deliveries").unwrap().unwrap().1;
        let d = tx.get(&deliveries, "p1").unwrap().unwrap().1;
        put_text_in(tx, &d, "state", "failed");
    });
    assert_eq!(delivery.unwrap_err(), Refusal::ServerOnly("deliveries"));
}

fn put_text_in(
    tx: &mut automerge::transaction::Transaction<'_>,
    obj: &automerge::ObjId,
    key: &str,
    value: &str,
) {
    let text = tx.put_object(obj, key, ObjType::Text).unwrap();
    tx.splice_text(&text, 0, 0, value).unwrap();
}

#[test]
fn an_approved_campaign_keeps_the_content_that_was_approved() {
    let campaign = stored(crate::engagement::campaign::KIND);
    let (_, approved) = judge(Role::Manager, &campaign, |tx| {
        tx.put(ROOT, "status", "approved").unwrap();
    });
    let (template, _) = judge(Role::Manager, &approved, |tx| {
        put_text(tx, "template", "Tıklayın: https://evil.example")
    });
    assert_eq!(
        template.unwrap_err(),
        Refusal::Locked {
            field: "template",
            status: "approved".into()
        }
    );
    // Notes stay open; withdrawing to draft needs an approver.
    let (notes, _) = judge(Role::SalesRep, &approved, |tx| put_text(tx, "notes", "ok"));
    assert!(notes.is_ok());
    let (withdraw, _) = judge(Role::SalesRep, &approved, |tx| {
        tx.put(ROOT, "status", "draft").unwrap();
    });
    assert_eq!(
        withdraw.unwrap_err(),
        Refusal::Step(Step::CampaignWithdrawal)
    );
    let (sent, _) = judge(Role::Owner, &approved, |tx| {
        tx.put(ROOT, "status", "sent").unwrap();
    });
    assert_eq!(sent.unwrap_err(), Refusal::Step(Step::CampaignHandOver));
}

#[test]
fn integral_floats_pass_as_integers_and_wrong_types_are_unreadable() {
    let case = stored(crate::service::case::KIND);
    let (float, _) = judge(Role::ServiceAgent, &case, |tx| {
        tx.put(ROOT, "escalated_at", ScalarValue::F64(1_767_225_600_000.0))
            .unwrap();
    });
    assert!(float.is_ok(), "{float:?}");
    let (fraction, _) = judge(Role::ServiceAgent, &case, |tx| {
        tx.put(ROOT, "escalated_at", ScalarValue::F64(0.5)).unwrap();
    });
    assert!(matches!(fraction, Err(Refusal::Unreadable(_))));
    let (number_for_text, _) = judge(Role::ServiceAgent, &case, |tx| {
        tx.put(ROOT, "subject", 5).unwrap();
    });
    assert!(matches!(number_for_text, Err(Refusal::Unreadable(_))));
}

#[test]
fn invoice_numbers_are_set_once_and_issued_invoices_keep_their_lines() {
    let invoice = stored(crate::sales::document::INVOICE);
    let (_, numbered) = judge(Role::SalesRep, &invoice, |tx| {
        tx.put(ROOT, "number", "SAH2026000000001").unwrap();
        tx.put(ROOT, "status", "issued").unwrap();
    });
    let (renumber, _) = judge(Role::Owner, &numbered, |tx| {
        tx.put(ROOT, "number", "SAH2026000000002").unwrap();
    });
    assert_eq!(renumber.unwrap_err(), Refusal::SetOnce("number"));
    let (lines, _) = judge(Role::Owner, &numbered, |tx| {
        let lines = tx.get(ROOT, "lines").unwrap().unwrap().1;
        tx.put_object(&lines, "l9", ObjType::Map).unwrap();
    });
    assert!(matches!(lines, Err(Refusal::Locked { field: "lines", .. })));
    let (agent, _) = judge(Role::ServiceAgent, &invoice, |tx| {
        tx.put(ROOT, "status", "issued").unwrap();
    });
    assert_eq!(agent.unwrap_err(), Refusal::Step(Step::InvoiceIssue));
}

#[test]
fn settled_quotes_stay_settled_and_invoiced_orders_keep_their_lines() {
    let quote = stored(crate::sales::document::QUOTE);
    let (numbered, quote) = judge(Role::SalesRep, &quote, |tx| {
        tx.put(ROOT, "number", "TKL-2026-00001").unwrap();
    });
    assert!(numbered.is_ok(), "{numbered:?}");
    let (accepted, accepted_quote) = judge(Role::SalesRep, &quote, |tx| {
        tx.put(ROOT, "status", "accepted").unwrap();
    });
    assert!(accepted.is_ok(), "{accepted:?}");
    let (lines, _) = judge(Role::Owner, &accepted_quote, |tx| {
        let lines = tx.get(ROOT, "lines").unwrap().unwrap().1;
        tx.put_object(&lines, "l9", ObjType::Map).unwrap();
    });
    assert!(matches!(lines, Err(Refusal::Locked { field: "lines", .. })));
    let (reopen, _) = judge(Role::Owner, &accepted_quote, |tx| {
        tx.put(ROOT, "status", "draft").unwrap();
    });
    assert_eq!(reopen.unwrap_err(), Refusal::Step(Step::QuoteLocked));
    let (revised, _) = judge(Role::SalesRep, &accepted_quote, |tx| {
        tx.put(ROOT, "status", "revised").unwrap();
    });
    assert!(revised.is_ok(), "{revised:?}");
    let (renumber, _) = judge(Role::Owner, &accepted_quote, |tx| {
        tx.put(ROOT, "number", "TKL-2026-00002").unwrap();
    });
    assert_eq!(renumber.unwrap_err(), Refusal::SetOnce("number"));

    let order = stored(crate::sales::document::ORDER);
    let (invoiced, invoiced_order) = judge(Role::SalesRep, &order, |tx| {
        tx.put(ROOT, "status", "invoiced").unwrap();
    });
    assert!(invoiced.is_ok(), "{invoiced:?}");
    let (agent, _) = judge(Role::ServiceAgent, &order, |tx| {
        tx.put(ROOT, "status", "invoiced").unwrap();
    });
    assert_eq!(agent.unwrap_err(), Refusal::Step(Step::InvoiceIssue));
    let (lines, _) = judge(Role::Owner, &invoiced_order, |tx| {
        let lines = tx.get(ROOT, "lines").unwrap().unwrap().1;
        tx.put_object(&lines, "l9", ObjType::Map).unwrap();
    });
    assert!(matches!(lines, Err(Refusal::Locked { field: "lines", .. })));
}

#[test]
fn only_owners_and_admins_delete_or_restore_a_record() {
    let account = stored(crate::parties::account::KIND);
    let delete = |tx: &mut automerge::transaction::Transaction<'_>| {
        tx.put(ROOT, "deleted_at", 1_800_000_000_000_i64).unwrap();
    };
    for role in [Role::Manager, Role::SalesRep] {
        let (refused, _) = judge(role, &account, delete);
        assert_eq!(
            refused.unwrap_err(),
            Refusal::AdminsOnly("deleted_at"),
            "{role:?}"
        );
    }
    let (deleted, in_bin) = judge(Role::Admin, &account, delete);
    assert!(deleted.unwrap().unwrap().common().is_deleted());
    let (restore_by_rep, _) = judge(Role::SalesRep, &in_bin, |tx| {
        tx.put(ROOT, "deleted_at", 0_i64).unwrap();
    });
    assert_eq!(
        restore_by_rep.unwrap_err(),
        Refusal::AdminsOnly("deleted_at")
    );
    let (restored, _) = judge(Role::Owner, &in_bin, |tx| {
        tx.put(ROOT, "deleted_at", 0_i64).unwrap();
    });
    assert!(!restored.unwrap().unwrap().common().is_deleted());
    // Nor may a member create a record already deleted.
    let mut record = Record::blank("account", &EditContext::new("rep", 1)).unwrap();
    record.common_mut().team = TEAM.to_owned();
    record.common_mut().deleted_at = 5;
    let doc = record.create().unwrap();
    assert_eq!(
        check_new(Role::SalesRep, &doc).unwrap_err(),
        Refusal::AdminsOnly("deleted_at")
    );
}

#[test]
fn logs_only_grow() {
    let mut account = stored(crate::parties::account::KIND);
    account
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            append_entry(tx, "consents");
            Ok(())
        })
        .unwrap();
    let (append, _) = judge(Role::SalesRep, &account, |tx| append_entry(tx, "consents"));
    assert!(append.is_ok(), "{append:?}");
    let (remove, _) = judge(Role::Owner, &account, |tx| {
        let log = tx.get(ROOT, "consents").unwrap().unwrap().1;
        tx.delete(&log, 0).unwrap();
    });
    assert_eq!(remove.unwrap_err(), Refusal::AppendOnly("consents"));
    let (rewrite, _) = judge(Role::Owner, &account, |tx| {
        let log = tx.get(ROOT, "consents").unwrap().unwrap().1;
        let e = tx.get(&log, 0).unwrap().unwrap().1;
        tx.put(&e, "id", "forged").unwrap();
    });
    assert_eq!(rewrite.unwrap_err(), Refusal::AppendOnly("consents"));
    // A consent entry is marked uploaded to İYS once; not twice.
    let stamp = |at: i64| {
        move |tx: &mut automerge::transaction::Transaction<'_>| {
            let log = tx.get(ROOT, "consents").unwrap().unwrap().1;
            let e = tx.get(&log, 0).unwrap().unwrap().1;
            tx.put(&e, "uploaded_at", at).unwrap();
        }
    };
    let (first, uploaded) = judge(Role::SalesRep, &account, stamp(1_700_000_000_000));
    assert!(first.is_ok(), "{first:?}");
    let (again, _) = judge(Role::SalesRep, &uploaded, stamp(1_800_000_000_000));
    assert_eq!(again.unwrap_err(), Refusal::AppendOnly("consents"));
    let (replace, _) = judge(Role::Owner, &account, |tx| {
        tx.put_object(ROOT, "consents", ObjType::List).unwrap();
    });
    assert_eq!(replace.unwrap_err(), Refusal::AppendOnly("consents"));
}

#[test]
fn addresses_must_be_addresses() {
    let contact = stored(crate::parties::contact::KIND);
    let hostile = "x@example.com\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nURL:https://evil.example/login";
    let (email, _) = judge(Role::SalesRep, &contact, |tx| {
        put_text(tx, "email", hostile)
    });
    assert_eq!(email.unwrap_err(), Refusal::Format("email"));
    let (phone, _) = judge(Role::SalesRep, &contact, |tx| {
        tx.put(ROOT, "mobile", "0532; DROP").unwrap();
    });
    assert_eq!(phone.unwrap_err(), Refusal::Format("mobile"));
    let (fine, _) = judge(Role::SalesRep, &contact, |tx| {
        tx.put(ROOT, "email", "ayse@example.com").unwrap();
        tx.put(ROOT, "mobile", "0532 123 45 67").unwrap();
    });
    assert!(fine.is_ok(), "{fine:?}");
}

#[test]
fn the_app_menus_follow_the_table() {
    let all = crate::engagement::campaign::Status::CODES;
    assert_eq!(
        allowed_statuses(
            crate::engagement::campaign::KIND,
            Role::SalesRep,
            "draft",
            all
        ),
        vec!["draft"]
    );
    assert_eq!(
        allowed_statuses(
            crate::engagement::campaign::KIND,
            Role::Manager,
            "draft",
            all
        ),
        vec!["draft", "approved"]
    );
    assert!(!may_edit_field(
        crate::engagement::campaign::KIND,
        Role::Owner,
        "template",
        "approved"
    ));
    assert!(may_edit_field(
        crate::engagement::campaign::KIND,
        Role::SalesRep,
        "template",
        "draft"
    ));
    assert!(!may_edit_field(
        crate::parties::account::KIND,
        Role::ReadOnly,
        "name",
        ""
    ));
}

// ----- property: accepted exactly when the table allows ------------------------------

/// One raw edit a client may send.
#[derive(Debug, Clone)]
enum Op {
    /// Puts a string into a root field, as a scalar or as text.
    SetString {
        field: usize,
        value: usize,
        text: bool,
    },
    /// Puts a number where a string belongs.
    NumberForString { field: usize },
    /// Appends an entry to a log.
    Append { log: usize },
    /// Removes a log's first entry.
    RemoveFirst { log: usize },
    /// Adds an entry to a map only the server writes.
    ServerEntry { field: usize },
}

const KINDS_UNDER_TEST: &[&str] = &[
    crate::engagement::campaign::KIND,
    crate::sales::document::QUOTE,
    crate::sales::document::INVOICE,
    crate::service::case::KIND,
    crate::parties::account::KIND,
];

/// String fields a client may touch, per kind (status first).
fn string_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        crate::engagement::campaign::KIND => {
            &["status", "name", "template", "notes", "kind", "created_by"]
        }
        crate::sales::document::QUOTE => &["status", "notes", "currency", "kind"],
        crate::sales::document::INVOICE => &["status", "number", "currency", "notes", "created_by"],
        crate::service::case::KIND => &["status", "subject", "notes", "kind"],
        _ => &["name", "city", "notes", "created_by", "kind"],
    }
}

fn values(kind: &str, field: &str) -> &'static [&'static str] {
    match (kind, field) {
        (crate::engagement::campaign::KIND, "status") => crate::engagement::campaign::Status::CODES,
        (crate::service::case::KIND, "status") => crate::service::case::Status::CODES,
        (k, "status") if k == crate::sales::document::INVOICE => {
            &["draft", "issued", "paid", "cancelled"]
        }
        (_, "status") => &["draft", "sent", "accepted", "rejected"],
        (_, "currency") => &["TRY", "EUR"],
        (_, "kind") => &["campaign", "account"],
        _ => &["", "Ankara", "Çağrı Özyılmaz"],
    }
}

fn logs(kind: &str) -> &'static [&'static str] {
    match kind {
        crate::parties::account::KIND => &["consents", "lifecycle", "loyalty"],
        crate::engagement::campaign::KIND => &[],
        _ => &["history"],
    }
}

fn server_maps(kind: &str) -> &'static [&'static str] {
    match kind {
        crate::engagement::campaign::KIND => &["deliveries", "responses"],
        _ => &[],
    }
}

/// The current string value of a root field, scalar or text.
fn string_at(doc: &Automerge, field: &str) -> String {
    crate::record::value::get_string(doc, &ROOT, field).unwrap_or_default()
}

/// What the table says of `op` by `role` on `doc` — computed from the table's own
/// lookups ([`field_rule`], [`may_move`]), not from [`check`].
fn table_allows(kind: &str, role: Role, doc: &Automerge, op: &Op) -> bool {
    if !role.can_write() {
        return false;
    }
    let record = Record::read(doc).unwrap().unwrap();
    let status = record.status().unwrap_or_default();
    let field_ok = |field: &str, was_empty: bool, appends: bool| match field_rule(kind, field) {
        Write::Members => true,
        Write::Server | Write::Fixed => false,
        Write::Once => was_empty,
        Write::AppendOnly => appends,
        Write::WhileStatus(s) => s.contains(&status.as_str()),
        Write::Admins => role.administers(),
    };
    match op {
        Op::SetString { field, value, .. } => {
            let fields = string_fields(kind);
            let field = fields[field % fields.len()];
            let vals = values(kind, field);
            let value = vals[value % vals.len()];
            let ok = field_ok(field, string_at(doc, field).is_empty(), false);
            if field == "status" {
                ok && may_move(kind, Some(role), &status, value).is_ok()
            } else {
                ok
            }
        }
        Op::NumberForString { .. } => false,
        Op::Append { log } => {
            let l = logs(kind);
            !l.is_empty() && field_ok(l[log % l.len()], false, true)
        }
        Op::RemoveFirst { log } => {
            let l = logs(kind);
            if l.is_empty() {
                return true;
            }
            let field = l[log % l.len()];
            let len = match doc.get(ROOT, field) {
                Ok(Some((_, id))) => doc.length(&id),
                _ => 0,
            };
            // Removing nothing changes nothing.
            len == 0 || field_ok(field, false, false)
        }
        Op::ServerEntry { .. } => server_maps(kind).is_empty(),
    }
}

fn apply(kind: &str, tx: &mut automerge::transaction::Transaction<'_>, op: &Op) {
    match op {
        Op::SetString { field, value, text } => {
            let fields = string_fields(kind);
            let field = fields[field % fields.len()];
            let vals = values(kind, field);
            let value = vals[value % vals.len()];
            if *text {
                put_text(tx, field, value);
            } else {
                tx.put(ROOT, field, value).unwrap();
            }
        }
        Op::NumberForString { field } => {
            let fields = string_fields(kind);
            tx.put(ROOT, fields[field % fields.len()], 42).unwrap();
        }
        Op::Append { log } => {
            let l = logs(kind);
            if l.is_empty() {
                return;
            }
            append_entry(tx, l[log % l.len()]);
        }
        Op::RemoveFirst { log } => {
            let l = logs(kind);
            if l.is_empty() {
                return;
            }
            let list = tx.get(ROOT, l[log % l.len()]).unwrap().unwrap().1;
            if tx.length(&list) > 0 {
                tx.delete(&list, 0).unwrap();
            }
        }
        Op::ServerEntry { field } => {
            let m = server_maps(kind);
            if m.is_empty() {
                return;
            }
            let map = tx.get(ROOT, m[field % m.len()]).unwrap().unwrap().1;
            let e = tx.put_object(&map, "p9", ObjType::Map).unwrap();
            tx.put(&e, "score", 1).unwrap();
            tx.put(&e, "at", 1).unwrap();
            tx.put(&e, "address", "").unwrap();
            tx.put(&e, "state", "sent").unwrap();
        }
    }
}

/// Appends a valid entry to the log at root `field`, as the app would.
fn append_entry(tx: &mut automerge::transaction::Transaction<'_>, field: &str) {
    let list = tx.get(ROOT, field).unwrap().unwrap().1;
    let at = tx.length(&list);
    match field {
        "consents" => {
            let event = crate::parties::consent::ConsentEvent {
                id: format!("e{at}"),
                ..Default::default()
            };
            autosurgeon::reconcile_insert(tx, list, at, &event).unwrap();
        }
        "loyalty" => {
            let entry = crate::parties::loyalty::LedgerEntry {
                id: format!("l{at}"),
                at: 3,
                points: 5,
                ..Default::default()
            };
            autosurgeon::reconcile_insert(tx, list, at, &entry).unwrap();
        }
        _ => {
            let step = crate::record::Transition {
                at: 3,
                by: "u".into(),
                from: String::new(),
                to: "x".into(),
            };
            autosurgeon::reconcile_insert(tx, list, at, &step).unwrap();
        }
    }
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..8usize, 0..8usize, any::<bool>()).prop_map(|(field, value, text)| Op::SetString {
            field,
            value,
            text
        }),
        (0..8usize).prop_map(|field| Op::NumberForString { field }),
        (0..3usize).prop_map(|log| Op::Append { log }),
        (0..3usize).prop_map(|log| Op::RemoveFirst { log }),
        (0..2usize).prop_map(|field| Op::ServerEntry { field }),
    ]
}

fn role() -> impl Strategy<Value = Role> {
    prop::sample::select(Role::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random sequences of raw edits by random roles to every kind under test: each is
    /// accepted exactly when the table allows it; accepted ones are kept, so later
    /// edits meet records in every status.
    #[test]
    fn changes_are_accepted_exactly_when_the_table_allows(
        kind in prop::sample::select(KINDS_UNDER_TEST.to_vec()),
        steps in prop::collection::vec((role(), op()), 1..24),
    ) {
        let mut doc = stored(kind);
        for (role, op) in steps {
            let expected = table_allows(kind, role, &doc, &op);
            let (verdict, after) = judge(role, &doc, |tx| apply(kind, tx, &op));
            // An edit that changes nothing (removing from an empty log) passes.
            let unchanged = after.get_heads() == doc.get_heads()
                || changed_fields(&after, &doc.get_heads()).is_empty();
            prop_assert_eq!(
                verdict.is_ok(),
                expected || (unchanged && role.can_write()),
                "{:?} by {:?} on {}: {:?}", op, role, kind, verdict
            );
            if verdict.is_ok() {
                doc = after;
            }
        }
    }
}
