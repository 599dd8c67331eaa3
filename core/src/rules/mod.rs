//! Who may write what: the one table of write rules for every record kind.
//!
//! The server checks every change a member syncs against this table before it stores
//! it (see `server/src/hub.rs`); the app runs the same [`check`] before it writes, so
//! the screens never offer what the server would refuse, and a refusal is worded on
//! the device from its [`Refusal::code`].
//!
//! A change is judged on two readings of the document:
//!
//! - **typed**: the document after the change must read as its kind ([`Record::read`]):
//!   a string is a string whether a client stored it as a scalar or as text, an
//!   integral float is an integer (see [`crate::record::value`]), and anything else — a kind
//!   this version does not know, a number where a name belongs, content without a
//!   `kind` — is refused. Status transitions are read from the typed records.
//! - **by field**: which root fields the change touched, from Automerge's own diff, so
//!   a field rewritten with another representation still counts as written.
//!
//! The table ([`TABLE`], plus [`COMMON`] for every kind) says, per field, whether
//! members write it ([`Write::Members`], the default), only the server
//! ([`Write::Server`]: campaign deliveries and survey answers), nobody after creation
//! ([`Write::Fixed`]), once ([`Write::Once`]: an invoice number), only by adding entries
//! ([`Write::AppendOnly`]: consent logs, loyalty ledgers, status histories), or only
//! while the record is in some statuses ([`Write::WhileStatus`]: a campaign's content
//! until it is approved, an invoice's lines until it is issued); and which roles may
//! move a record into which status ([`StatusRule`]: campaign approval, quote
//! acceptance, invoice issue, case closure). Who may see or change a record at all, and
//! its team and owner, are the scope rules of [`crate::access`], checked first.

use std::collections::BTreeSet;

use automerge::{Automerge, ChangeHash, ObjId, ObjType, Prop, ROOT, ReadDoc, Value};

use crate::access::{Access, Denied, Role, Scope};
use crate::kinds::{KINDS, Record};

/// Who may write a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// Any member who may change the record (the scope rules of [`crate::access`]).
    Members,
    /// Only the server; a member's new record carries it empty.
    Server,
    /// Set when the record is created, never changed afterwards.
    Fixed,
    /// Set once, from empty; never changed afterwards.
    Once,
    /// A list that only grows: entries are added, never changed or removed.
    AppendOnly,
    /// Changed only while the record's status (before the change) is one of these.
    WhileStatus(&'static [&'static str]),
    /// Written only by owners and admins (deleting a record and restoring it).
    Admins,
}

/// The rule of one root field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRule {
    pub field: &'static str,
    pub write: Write,
}

/// A named workflow step: moving a record into a status that needs a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    CampaignApproval,
    CampaignWithdrawal,
    CampaignHandOver,
    QuoteAcceptance,
    /// Taking an accepted or rejected quote back into the offer (only a revision may).
    QuoteLocked,
    InvoiceIssue,
    CaseClosure,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::CampaignApproval,
        Step::CampaignWithdrawal,
        Step::CampaignHandOver,
        Step::QuoteAcceptance,
        Step::QuoteLocked,
        Step::InvoiceIssue,
        Step::CaseClosure,
    ];

    /// Stable code, for the API, the audit log and the app's words.
    pub fn code(self) -> &'static str {
        match self {
            Step::CampaignApproval => "campaign_approval",
            Step::CampaignWithdrawal => "campaign_withdrawal",
            Step::CampaignHandOver => "campaign_hand_over",
            Step::QuoteAcceptance => "quote_acceptance",
            Step::QuoteLocked => "quote_locked",
            Step::InvoiceIssue => "invoice_issue",
            Step::CaseClosure => "case_closure",
        }
    }
}

/// Who may move a record from one of `from` (empty: any status) into one of `to`.
/// An empty `roles` means only the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusRule {
    pub step: Step,
    pub from: &'static [&'static str],
    pub to: &'static [&'static str],
    pub roles: &'static [Role],
}

impl StatusRule {
    fn applies(&self, from: &str, to: &str) -> bool {
        (self.from.is_empty() || self.from.contains(&from)) && self.to.contains(&to)
    }
}

/// The rules of one or more kinds.
#[derive(Debug, Clone, Copy)]
pub struct KindRules {
    pub kinds: &'static [&'static str],
    pub fields: &'static [FieldRule],
    pub statuses: &'static [StatusRule],
}

const fn field(field: &'static str, write: Write) -> FieldRule {
    FieldRule { field, write }
}

/// Rules of the fields every record has.
pub const COMMON: &[FieldRule] = &[
    field("kind", Write::Fixed),
    field("created_at", Write::Fixed),
    field("created_by", Write::Fixed),
    field("history", Write::AppendOnly),
    field("deleted_at", Write::Admins),
    // Merging duplicates (see `crate::duplicates`) deletes the merged record.
    field("merged_into", Write::Admins),
];

const APPROVERS: &[Role] = &[Role::Owner, Role::Admin, Role::Manager];
const SELLERS: &[Role] = &[Role::Owner, Role::Admin, Role::Manager, Role::SalesRep];
const CASE_CLOSERS: &[Role] = &[Role::Owner, Role::Admin, Role::Manager, Role::ServiceAgent];

/// A campaign's content: what the approver approved.
const CAMPAIGN_DRAFT: Write = Write::WhileStatus(&["draft"]);
/// What an issued invoice may no longer change.
const INVOICE_DRAFT: Write = Write::WhileStatus(&["draft"]);
/// What an accepted or rejected quote may no longer change.
const QUOTE_ON_OFFER: Write = Write::WhileStatus(crate::sales::document::QUOTE_OPEN);
/// What an invoiced or cancelled order may no longer change.
const ORDER_OPEN: Write = Write::WhileStatus(crate::sales::document::ORDER_OPEN);

/// The write rules of each kind beyond [`COMMON`]. A field not listed is
/// [`Write::Members`].
pub const TABLE: &[KindRules] = &[
    KindRules {
        kinds: &[crate::engagement::campaign::KIND],
        fields: &[
            field("deliveries", Write::Server),
            field("responses", Write::Server),
            field("name", CAMPAIGN_DRAFT),
            field("segment", CAMPAIGN_DRAFT),
            field("channel", CAMPAIGN_DRAFT),
            field("topic", CAMPAIGN_DRAFT),
            field("subject", CAMPAIGN_DRAFT),
            field("template", CAMPAIGN_DRAFT),
            field("people", CAMPAIGN_DRAFT),
            field("survey", CAMPAIGN_DRAFT),
            field("about", CAMPAIGN_DRAFT),
        ],
        statuses: &[
            StatusRule {
                step: Step::CampaignApproval,
                from: &[],
                to: &["approved"],
                roles: APPROVERS,
            },
            StatusRule {
                step: Step::CampaignWithdrawal,
                from: &["approved"],
                to: &["draft"],
                roles: APPROVERS,
            },
            // Handed to the outbox: the server's word; and what was sent stays sent.
            StatusRule {
                step: Step::CampaignHandOver,
                from: &[],
                to: &["sent"],
                roles: &[],
            },
            StatusRule {
                step: Step::CampaignHandOver,
                from: &["sent"],
                to: &["draft", "approved"],
                roles: &[],
            },
        ],
    },
    KindRules {
        kinds: &[crate::sales::document::QUOTE],
        fields: &[
            field("number", Write::Once),
            // Once, not fixed: quotes made before revisions existed get theirs (0) on
            // their first edit.
            field("revision", Write::Once),
            field("source", Write::Fixed),
            field("lines", QUOTE_ON_OFFER),
            field("account", QUOTE_ON_OFFER),
            field("contact", QUOTE_ON_OFFER),
            field("opportunity", QUOTE_ON_OFFER),
            field("currency", QUOTE_ON_OFFER),
            field("valid_until", QUOTE_ON_OFFER),
        ],
        statuses: &[
            StatusRule {
                step: Step::QuoteAcceptance,
                from: &[],
                to: &["accepted"],
                roles: SELLERS,
            },
            // Settled offers stay settled; changing one makes a revision.
            StatusRule {
                step: Step::QuoteLocked,
                from: &["accepted", "rejected", "revised"],
                to: &["draft", "sent", "accepted", "rejected"],
                roles: &[],
            },
        ],
    },
    KindRules {
        kinds: &[crate::sales::document::ORDER],
        fields: &[
            field("number", Write::Once),
            field("source", Write::Fixed),
            field("lines", ORDER_OPEN),
            field("account", ORDER_OPEN),
            field("currency", ORDER_OPEN),
        ],
        statuses: &[StatusRule {
            step: Step::InvoiceIssue,
            from: &[],
            to: &["invoiced"],
            roles: SELLERS,
        }],
    },
    KindRules {
        kinds: &[crate::sales::document::INVOICE],
        fields: &[
            field("number", Write::Once),
            field("lines", INVOICE_DRAFT),
            field("account", INVOICE_DRAFT),
            field("currency", INVOICE_DRAFT),
            field("issue_date", INVOICE_DRAFT),
            field("source", INVOICE_DRAFT),
        ],
        statuses: &[StatusRule {
            step: Step::InvoiceIssue,
            from: &[],
            to: &["issued", "paid", "cancelled"],
            roles: SELLERS,
        }],
    },
    KindRules {
        kinds: &[crate::service::case::KIND],
        fields: &[],
        statuses: &[StatusRule {
            step: Step::CaseClosure,
            from: &[],
            to: &["resolved", "closed"],
            roles: CASE_CLOSERS,
        }],
    },
    KindRules {
        kinds: &[
            crate::parties::account::KIND,
            crate::parties::contact::KIND,
            crate::sales::lead::KIND,
        ],
        fields: &[
            field("consents", Write::AppendOnly),
            field("loyalty", Write::AppendOnly),
            field("lifecycle", Write::AppendOnly),
        ],
        statuses: &[],
    },
];

/// A field's required form, checked whenever a member writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Empty or an e-mail address as [`crate::text::validate::email`] accepts it.
    Email,
    /// Empty or a phone number as [`crate::text::validate::phone`] accepts it.
    Phone,
}

/// Fields of every kind that hold contact addresses: what later goes into calendar
/// invitations, e-mail headers and SMS gateways must be what it claims to be.
pub const FORMATS: &[(&str, Format)] = &[
    ("email", Format::Email),
    ("phone", Format::Phone),
    ("mobile", Format::Phone),
];

impl Format {
    fn accepts(self, value: &str) -> bool {
        if value.chars().any(char::is_control) {
            return false;
        }
        match self {
            Format::Email => crate::text::validate::email(value).is_ok(),
            Format::Phone => crate::text::validate::phone(value).is_ok(),
        }
    }
}

/// Checks the formatted fields among `fields` of the record in `doc`.
fn check_formats<'a>(
    doc: &Automerge,
    fields: impl IntoIterator<Item = &'a str>,
) -> Result<(), Refusal> {
    for field in fields {
        if let Some((name, format)) = FORMATS.iter().find(|(name, _)| *name == field) {
            let value = crate::record::value::get_string(doc, &ROOT, name).unwrap_or_default();
            if !format.accepts(&value) {
                return Err(Refusal::Format(name));
            }
        }
    }
    Ok(())
}

/// Stamps an entry of an append-only log may still get once (from absent or 0): a
/// consent event is marked uploaded to İYS after it was recorded.
pub const ENTRY_STAMPS: &[(&str, &str)] = &[("consents", "uploaded_at")];

/// The rules of `kind` beyond [`COMMON`].
pub fn rules_of(kind: &str) -> Option<&'static KindRules> {
    TABLE.iter().find(|r| r.kinds.contains(&kind))
}

/// The rule of `field` in records of `kind`.
pub fn field_rule(kind: &str, field: &str) -> Write {
    COMMON
        .iter()
        .chain(rules_of(kind).map_or(&[][..], |r| r.fields))
        .find(|r| r.field == field)
        .map_or(Write::Members, |r| r.write)
}

/// Whether `role` may move a record of `kind` from status `from` to `to`; `None` for
/// the server. `Err` names the step the role may not take.
pub fn may_move(kind: &str, role: Option<Role>, from: &str, to: &str) -> Result<(), Step> {
    if from == to {
        return Ok(());
    }
    let Some(rules) = rules_of(kind) else {
        return Ok(());
    };
    for rule in rules.statuses.iter().filter(|r| r.applies(from, to)) {
        if let Some(role) = role
            && !rule.roles.contains(&role)
        {
            return Err(rule.step);
        }
    }
    Ok(())
}

/// The statuses of `kind` a member with `role` may choose when the record is in
/// `current` (the app's status menus list these).
pub fn allowed_statuses<'a>(
    kind: &str,
    role: Role,
    current: &str,
    all: &'a [&'a str],
) -> Vec<&'a str> {
    all.iter()
        .copied()
        .filter(|to| may_move(kind, Some(role), current, to).is_ok())
        .collect()
}

/// Whether a member with `role` may write `field` of a stored record of `kind` whose
/// status is `status` (the app disables fields that would be refused).
pub fn may_edit_field(kind: &str, role: Role, field: &str, status: &str) -> bool {
    role.can_write()
        && match field_rule(kind, field) {
            Write::Members | Write::AppendOnly | Write::Once => true,
            Write::Admins => role.administers(),
            Write::Server | Write::Fixed => false,
            Write::WhileStatus(statuses) => statuses.contains(&status),
        }
}

/// Why a change was refused. Crosses the boundary as [`Refusal::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The scope rules of [`crate::access`].
    Access(Denied),
    /// Content without a `kind`, or a kind this version does not know.
    NotARecord,
    /// The document does not read as its kind.
    Unreadable(String),
    /// A field only the server writes.
    ServerOnly(&'static str),
    /// A field fixed at creation.
    Fixed(&'static str),
    /// A field written once already.
    SetOnce(&'static str),
    /// Only owners and admins write this field (a record's deletion).
    AdminsOnly(&'static str),
    /// Entries of an append-only list changed or removed.
    AppendOnly(&'static str),
    /// A field that cannot change in the record's status.
    Locked { field: &'static str, status: String },
    /// A status the member's role may not move the record into.
    Step(Step),
    /// An e-mail address or phone number that is not one.
    Format(&'static str),
    /// The document would grow past the server's size limit.
    TooLarge,
    /// A workspace index made by a member (the server makes them).
    IndexCreated,
    /// A change to the workspace index beyond adding entries, by a non-admin.
    IndexChange,
    /// An index entry for a record that is not shared by the workspace.
    IndexListsTeamRecord,
    /// Changes to a record rebuilt without an erased person that do not descend from
    /// its one first change (another document's history sent under its ID).
    ForeignHistory,
}

impl Refusal {
    /// Stable code for the app's words and the API.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Access(Denied::ReadOnly) => "read_only",
            Refusal::Access(Denied::NotVisible) => "not_visible",
            Refusal::Access(Denied::TeamChange) => "team_change",
            Refusal::Access(Denied::OwnerChange) => "owner_change",
            Refusal::Access(Denied::KindChange) => "kind_change",
            Refusal::NotARecord => "not_a_record",
            Refusal::Unreadable(_) => "unreadable",
            Refusal::ServerOnly(_) => "server_only_field",
            Refusal::Fixed(_) => "fixed_field",
            Refusal::SetOnce(_) => "set_once_field",
            Refusal::AdminsOnly(_) => "admins_only_field",
            Refusal::AppendOnly(_) => "append_only_field",
            Refusal::Locked { .. } => "locked_field",
            Refusal::Step(step) => step.code(),
            Refusal::Format(_) => "invalid_format",
            Refusal::TooLarge => "document_too_large",
            Refusal::IndexCreated => "index_created",
            Refusal::IndexChange => "index_change",
            Refusal::IndexListsTeamRecord => "index_lists_team_record",
            Refusal::ForeignHistory => "foreign_history",
        }
    }

    /// One refusal of every kind (for tests that each code is worded).
    pub fn every_kind() -> Vec<Refusal> {
        let mut all = vec![
            Refusal::Access(Denied::ReadOnly),
            Refusal::Access(Denied::NotVisible),
            Refusal::Access(Denied::TeamChange),
            Refusal::Access(Denied::OwnerChange),
            Refusal::Access(Denied::KindChange),
            Refusal::NotARecord,
            Refusal::Unreadable(String::new()),
            Refusal::ServerOnly(""),
            Refusal::Fixed(""),
            Refusal::SetOnce(""),
            Refusal::AdminsOnly(""),
            Refusal::AppendOnly(""),
            Refusal::Locked {
                field: "",
                status: String::new(),
            },
            Refusal::Format(""),
            Refusal::TooLarge,
            Refusal::IndexCreated,
            Refusal::IndexChange,
            Refusal::IndexListsTeamRecord,
            Refusal::ForeignHistory,
        ];
        all.extend(Step::ALL.into_iter().map(Refusal::Step));
        all
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Access(denied) => denied.fmt(f),
            Refusal::NotARecord => f.write_str("the document is not a record of a known kind"),
            Refusal::Unreadable(why) => write!(f, "the document does not read as its kind: {why}"),
            Refusal::ServerOnly(field) => write!(f, "only the server writes `{field}`"),
            Refusal::Fixed(field) => write!(f, "`{field}` is fixed when the record is created"),
            Refusal::SetOnce(field) => write!(f, "`{field}` was set already and cannot change"),
            Refusal::AdminsOnly(field) => write!(f, "only owners and admins write `{field}`"),
            Refusal::AppendOnly(field) => {
                write!(
                    f,
                    "entries of `{field}` are only added, never changed or removed"
                )
            }
            Refusal::Locked { field, status } => {
                write!(f, "`{field}` cannot change while the record is {status}")
            }
            Refusal::Step(step) => {
                write!(f, "the member's role may not take the step {}", step.code())
            }
            Refusal::Format(field) => write!(f, "`{field}` does not hold a valid value"),
            Refusal::TooLarge => f.write_str("the document would grow past the size limit"),
            Refusal::IndexCreated => f.write_str("a workspace index cannot be created over sync"),
            Refusal::IndexChange => {
                f.write_str("members may only add records to the workspace index")
            }
            Refusal::IndexListsTeamRecord => {
                f.write_str("the workspace index lists only records shared by the workspace")
            }
            Refusal::ForeignHistory => f.write_str(
                "this record was rebuilt without an erased person: only changes made on it are taken",
            ),
        }
    }
}

/// The root fields a change touched: every root key whose value, or anything inside
/// it, differs between `before` and the document's current heads.
pub fn changed_fields(doc: &Automerge, before: &[ChangeHash]) -> BTreeSet<String> {
    let after = doc.get_heads();
    let mut fields = BTreeSet::new();
    for patch in doc.diff(before, &after) {
        match patch.path.first() {
            Some((obj, Prop::Map(key))) if *obj == ROOT => {
                fields.insert(key.clone());
            }
            None if patch.obj == ROOT => match &patch.action {
                automerge::PatchAction::PutMap { key, .. }
                | automerge::PatchAction::DeleteMap { key }
                | automerge::PatchAction::Increment {
                    prop: Prop::Map(key),
                    ..
                }
                | automerge::PatchAction::Conflict {
                    prop: Prop::Map(key),
                } => {
                    fields.insert(key.clone());
                }
                _ => {}
            },
            _ => {}
        }
    }
    fields
}

/// Whether the root value at `key` is absent or empty (an empty string, text, list or
/// map, zero, false or null).
fn is_empty_at(doc: &Automerge, key: &str) -> bool {
    is_empty_then(doc, key, None)
}

/// [`is_empty_at`] as the document was at `heads` (now, for `None`).
fn is_empty_then(doc: &Automerge, key: &str, heads: Option<&[ChangeHash]>) -> bool {
    let value = match heads {
        Some(heads) => doc.get_at(ROOT, key, heads),
        None => doc.get(ROOT, key),
    };
    let length = |id: &ObjId| match heads {
        Some(heads) => doc.length_at(id, heads),
        None => doc.length(id),
    };
    match value {
        Ok(None) => true,
        Ok(Some((Value::Object(_), id))) => length(&id) == 0,
        Ok(Some((Value::Scalar(s), _))) => {
            use automerge::ScalarValue as S;
            match s.as_ref() {
                S::Str(s) => s.is_empty(),
                S::Null => true,
                S::Boolean(b) => !b,
                other => crate::record::value::as_integer(other) == Some(0),
            }
        }
        Err(_) => false,
    }
}

/// Whether the only change to the list at root `key` since `before` is the insertion
/// of new entries (with whatever they hold).
fn only_appends(doc: &Automerge, key: &str, before: &[ChangeHash]) -> bool {
    let list_before = match doc.get_at(ROOT, key, before) {
        Ok(None) => None,
        Ok(Some((Value::Object(ObjType::List), id))) => Some(id),
        _ => return false,
    };
    let list_now = match doc.get(ROOT, key) {
        Ok(Some((Value::Object(ObjType::List), id))) => id,
        _ => return false,
    };
    let Some(list) = list_before else {
        // A list that did not exist: everything in it is new.
        return true;
    };
    if list != list_now {
        // The list was replaced by another: every old entry is gone from view.
        return doc.length_at(&list, before) == 0;
    }
    let old_entries: BTreeSet<ObjId> = doc
        .list_range_at(&list, .., before)
        .filter(|item| matches!(item.value, automerge::ValueRef::Object(_)))
        .map(|item| item.id())
        .collect();
    let after = doc.get_heads();
    doc.diff(before, &after).iter().all(|patch| {
        let Some((root, Prop::Map(top))) = patch.path.first() else {
            return true;
        };
        if *root != ROOT || top != key {
            return true;
        }
        if patch.obj == list {
            return matches!(patch.action, automerge::PatchAction::Insert { .. });
        }
        // Inside an entry: only entries this change inserted, or a stamp an old
        // entry may get once.
        let touches_old = patch.path.iter().any(|(obj, _)| old_entries.contains(obj))
            || old_entries.contains(&patch.obj);
        !touches_old || is_first_stamp(doc, key, patch, before)
    })
}

/// Whether `patch` sets one of [`ENTRY_STAMPS`] directly on an entry of the log at
/// root `key` that did not have it yet.
fn is_first_stamp(
    doc: &Automerge,
    key: &str,
    patch: &automerge::Patch,
    before: &[ChangeHash],
) -> bool {
    let automerge::PatchAction::PutMap { key: stamp, .. } = &patch.action else {
        return false;
    };
    // The path is root → list → entry: the patch is on the entry itself.
    patch.path.len() == 2
        && ENTRY_STAMPS.contains(&(key, stamp.as_str()))
        && match doc.get_at(&patch.obj, stamp.as_str(), before) {
            Ok(None) => true,
            Ok(Some((Value::Scalar(s), _))) => crate::record::value::as_integer(&s) == Some(0),
            _ => false,
        }
}

/// What [`check`] judges: a record's document after a change, and before it.
pub struct Change<'a> {
    pub doc: &'a Automerge,
    /// Heads before the change; empty for a new document.
    pub before_heads: &'a [ChangeHash],
    /// The record before the change (`None` for a new document, or one that held no
    /// content yet).
    pub before: Option<&'a Record>,
    /// The record the document holds now, when the caller wrote the document from it
    /// itself (a device's new record: reading it back costs more than the write); read
    /// from `doc` when `None`, as the server always does with what it receives.
    pub after: Option<&'a Record>,
}

/// The record a document holds: `Ok(None)` for an empty document (no root fields),
/// `Err` when it has content but does not read as a known kind.
pub fn read_record(doc: &Automerge) -> Result<Option<Record>, Refusal> {
    if doc.length(ROOT) == 0 {
        return Ok(None);
    }
    match Record::read(doc) {
        Some(Ok(record)) if KINDS.contains(&record.kind().as_str()) => Ok(Some(record)),
        Some(Ok(_)) | None => Err(Refusal::NotARecord),
        Some(Err(e)) => Err(Refusal::Unreadable(e.to_string())),
    }
}

/// Checks a member's change of a record document against the scope rules and the
/// table; `role` `None` is the server. Returns the record as it now reads (`None` for a
/// document still empty).
pub fn check(access: Option<&Access>, change: &Change<'_>) -> Result<Option<Record>, Refusal> {
    let after = match change.after {
        Some(known) if KINDS.contains(&known.kind().as_str()) => Some(known.clone()),
        Some(_) => return Err(Refusal::NotARecord),
        None => read_record(change.doc)?,
    };
    let Some(after) = after else {
        // Nothing written yet (automerge-repo creates documents empty): a member still
        // needs the right to write at all.
        return match access {
            Some(a) if !a.role.can_write() => Err(Refusal::Access(Denied::ReadOnly)),
            _ => Ok(None),
        };
    };
    let Some(access) = access else {
        return Ok(Some(after));
    };
    let kind = after.kind();
    let common = after.common();
    let scope_after = Scope {
        team: common.team.clone(),
        owner: common.owner.clone(),
    };
    let before_scope = change.before.map(|b| {
        let c = b.common();
        (
            c.kind.clone(),
            Scope {
                team: c.team.clone(),
                owner: c.owner.clone(),
            },
        )
    });
    access
        .check_change(
            before_scope.as_ref().map(|(k, s)| (k.as_str(), s)),
            (&kind, &scope_after),
        )
        .map_err(Refusal::Access)?;
    let Some(before) = change.before else {
        // A new record: fields only the server writes start empty.
        for rule in COMMON
            .iter()
            .chain(rules_of(&kind).map_or(&[][..], |r| r.fields))
        {
            if rule.write == Write::Server && !is_empty_at(change.doc, rule.field) {
                return Err(Refusal::ServerOnly(rule.field));
            }
            if rule.write == Write::Admins
                && !access.role.administers()
                && !is_empty_at(change.doc, rule.field)
            {
                return Err(Refusal::AdminsOnly(rule.field));
            }
        }
        check_formats(change.doc, FORMATS.iter().map(|(name, _)| *name))?;
        let status = after.status().unwrap_or_default();
        let first = Record::blank(&kind, &crate::record::EditContext::new("", 0))
            .and_then(|r| r.status())
            .unwrap_or_default();
        may_move(&kind, Some(access.role), &first, &status).map_err(Refusal::Step)?;
        return Ok(Some(after));
    };
    let status_before = before.status().unwrap_or_default();
    let changed = changed_fields(change.doc, change.before_heads);
    check_formats(change.doc, changed.iter().map(String::as_str))?;
    for key in changed {
        let Some(rule) = COMMON
            .iter()
            .chain(rules_of(&kind).map_or(&[][..], |r| r.fields))
            .find(|r| r.field == key)
        else {
            continue;
        };
        match rule.write {
            Write::Members => {}
            Write::Admins if access.role.administers() => {}
            // A field added in a later version is written empty into an older document
            // by anyone's first edit: empty before and after is no change.
            Write::Admins
                if is_empty_then(change.doc, rule.field, Some(change.before_heads))
                    && is_empty_at(change.doc, rule.field) => {}
            Write::Admins => return Err(Refusal::AdminsOnly(rule.field)),
            Write::Server => return Err(Refusal::ServerOnly(rule.field)),
            Write::Fixed => return Err(Refusal::Fixed(rule.field)),
            Write::Once => {
                let was_empty = match change.doc.get_at(ROOT, rule.field, change.before_heads) {
                    Ok(None) => true,
                    Ok(Some((Value::Scalar(s), _))) => s.as_str() == Some(""),
                    Ok(Some((Value::Object(ObjType::Text), id))) => {
                        change.doc.length_at(&id, change.before_heads) == 0
                    }
                    _ => false,
                };
                if !was_empty {
                    return Err(Refusal::SetOnce(rule.field));
                }
            }
            Write::AppendOnly => {
                if !only_appends(change.doc, rule.field, change.before_heads) {
                    return Err(Refusal::AppendOnly(rule.field));
                }
            }
            Write::WhileStatus(statuses) => {
                if !statuses.contains(&status_before.as_str()) {
                    return Err(Refusal::Locked {
                        field: rule.field,
                        status: status_before,
                    });
                }
            }
        }
    }
    let status_after = after.status().unwrap_or_default();
    may_move(&kind, Some(access.role), &status_before, &status_after).map_err(Refusal::Step)?;
    Ok(Some(after))
}

/// Whether `role` may approve a campaign for sending (a draft → approved move of the
/// table above); the app offers the button only then.
pub fn may_approve_campaign(role: Role) -> bool {
    use crate::engagement::campaign::{KIND, Status};
    may_move(
        KIND,
        Some(role),
        Status::Draft.code(),
        Status::Approved.code(),
    )
    .is_ok()
}

#[cfg(test)]
mod tests;
