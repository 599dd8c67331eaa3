//! What every record type has in common, and reading any record out of its document.
//!
//! Each record (account, contact, lead, …) is one Automerge document whose root holds
//! `kind`, `schema`, `team`, `owner`, `created_at`, `created_by` and `notes` ([`Common`])
//! beside the kind's own fields: a record is a [`Stored`] of the two, e.g.
//! `Contact = Stored<ContactFields>`. A kind implements [`RecordType`]; the generic
//! functions here create documents, read them and write edits as field-by-field diffs
//! ([`autosurgeon`]), so two devices editing different fields offline merge without loss
//! and notes merge as text.
//! Fields added in a later schema version read as empty from older documents.

pub mod attachment;
pub mod form;
pub mod value;

use automerge::Automerge;
use autosurgeon::reconcile::TextReconciler;
use autosurgeon::{Hydrate, Reconcile, Reconciler, hydrate, reconcile};

use crate::Error;
use crate::record::form::{FieldSpec, Form, Problems};

/// Who is editing, and when: what lifecycle logs and creation stamps record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditContext {
    pub now_ms: i64,
    /// The editing member's user ID.
    pub user: String,
}

impl EditContext {
    pub fn new(user: &str, now_ms: i64) -> EditContext {
        EditContext {
            now_ms,
            user: user.to_owned(),
        }
    }
}

/// Why an edit was not written.
#[derive(Debug)]
pub enum EditError {
    /// The form has problems; nothing was written.
    Invalid(Problems),
    /// The rule of a workflow step was not met (e.g. an order from a quote that was not
    /// accepted).
    Refused(WorkflowRefusal),
    Store(Error),
}

/// Why a workflow step (converting a lead, ordering a quote, issuing an invoice, …) was
/// not taken. Each has a stable [`code`](WorkflowRefusal::code) the app words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowRefusal {
    /// The document is not a record (or not one this version knows).
    NotARecord,
    NotAQuote,
    QuoteNotAccepted,
    NotAnOrder,
    OrderCancelled,
    NotAnInvoice,
    InvoiceAlreadyIssued,
    InvoiceHasNoLines,
    InvoiceLinesInvalid,
    /// The lines of an issued invoice (or a settled document) cannot change.
    LinesLocked,
    LeadAlreadyConverted,
    LeadDisqualified,
    /// The device has no invoice numbers left in its block and is offline.
    NoNumbers,
    /// Only a quote that was sent, accepted or rejected gets a new version.
    QuoteNotRevisable,
    /// An order is made from an opportunity only once it is won.
    OpportunityNotWon,
    /// Only an issued invoice is paid.
    InvoiceNotIssued,
}

impl WorkflowRefusal {
    /// Every refusal, for tests that each one is worded.
    pub const ALL: [WorkflowRefusal; 16] = [
        WorkflowRefusal::NotARecord,
        WorkflowRefusal::NotAQuote,
        WorkflowRefusal::QuoteNotAccepted,
        WorkflowRefusal::NotAnOrder,
        WorkflowRefusal::OrderCancelled,
        WorkflowRefusal::NotAnInvoice,
        WorkflowRefusal::InvoiceAlreadyIssued,
        WorkflowRefusal::InvoiceHasNoLines,
        WorkflowRefusal::InvoiceLinesInvalid,
        WorkflowRefusal::LinesLocked,
        WorkflowRefusal::LeadAlreadyConverted,
        WorkflowRefusal::LeadDisqualified,
        WorkflowRefusal::NoNumbers,
        WorkflowRefusal::QuoteNotRevisable,
        WorkflowRefusal::OpportunityNotWon,
        WorkflowRefusal::InvoiceNotIssued,
    ];

    /// Stable code, as the API and logs spell it.
    pub fn code(self) -> &'static str {
        match self {
            WorkflowRefusal::NotARecord => "not_a_record",
            WorkflowRefusal::NotAQuote => "not_a_quote",
            WorkflowRefusal::QuoteNotAccepted => "quote_not_accepted",
            WorkflowRefusal::NotAnOrder => "not_an_order",
            WorkflowRefusal::OrderCancelled => "order_cancelled",
            WorkflowRefusal::NotAnInvoice => "not_an_invoice",
            WorkflowRefusal::InvoiceAlreadyIssued => "invoice_already_issued",
            WorkflowRefusal::InvoiceHasNoLines => "invoice_has_no_lines",
            WorkflowRefusal::InvoiceLinesInvalid => "invoice_lines_invalid",
            WorkflowRefusal::LinesLocked => "lines_locked",
            WorkflowRefusal::LeadAlreadyConverted => "lead_already_converted",
            WorkflowRefusal::LeadDisqualified => "lead_disqualified",
            WorkflowRefusal::NoNumbers => "no_numbers",
            WorkflowRefusal::QuoteNotRevisable => "quote_not_revisable",
            WorkflowRefusal::OpportunityNotWon => "opportunity_not_won",
            WorkflowRefusal::InvoiceNotIssued => "invoice_not_issued",
        }
    }
}

impl From<Error> for EditError {
    fn from(e: Error) -> Self {
        EditError::Store(e)
    }
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::Invalid(problems) => write!(f, "{} field(s) need attention", problems.len()),
            EditError::Refused(refusal) => write!(f, "refused: {}", refusal.code()),
            EditError::Store(e) => e.fmt(f),
        }
    }
}

/// One step in a record's log: a customer-type change of an account, a stage change
/// of an opportunity, a status change of a quote, order or invoice. Logs are lists that
/// only grow, so entries appended on two devices are both kept.
#[derive(
    Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct Transition {
    /// Milliseconds since the Unix epoch.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub at: i64,
    /// User ID of the member who made the change.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_any_string")]
    pub by: String,
    /// The value before ("" when the record was created).
    #[autosurgeon(hydrate = "crate::record::value::hydrate_any_string")]
    pub from: String,
    #[autosurgeon(hydrate = "crate::record::value::hydrate_any_string")]
    pub to: String,
}

impl Transition {
    pub fn new(ctx: &EditContext, from: &str, to: &str) -> Transition {
        Transition {
            at: ctx.now_ms,
            by: ctx.user.clone(),
            from: from.to_owned(),
            to: to.to_owned(),
        }
    }
}

/// A record type stored as an Automerge document.
pub trait RecordType: RootRecord + Clone + PartialEq + Sized {
    /// Value of the document's `kind` field.
    const KIND: &'static str;
    /// Schema version written into new and edited documents.
    const SCHEMA: i64;
    /// The form's fields, in display order.
    const FIELDS: &'static [FieldSpec];

    /// The fields of this record's form; types that store several kinds (quotes,
    /// orders, invoices) show different fields per kind.
    fn fields(&self) -> &'static [FieldSpec] {
        Self::FIELDS
    }

    /// An empty record created by `ctx`.
    fn blank(ctx: &EditContext) -> Self;
    /// The record's values as form text.
    fn form(&self) -> Form;
    /// Validates `form` and writes its values into the record.
    fn apply(&mut self, form: &Form, ctx: &EditContext) -> Result<(), Problems>;
    /// What lists and links show as the record's name.
    fn title(&self) -> String;
    /// Everything search should find the record by (unfolded).
    fn search_words(&self) -> String;
    /// The account the record belongs to ("" for none, and for accounts themselves).
    fn account(&self) -> &str;
    /// Called once on a record made from a form, after [`RecordType::apply`].
    fn created(&mut self, _ctx: &EditContext) {}

    /// A blank record of `kind`, for types that store several kinds (the default is
    /// [`RecordType::blank`]).
    fn blank_of(_kind: &str, ctx: &EditContext) -> Self {
        Self::blank(ctx)
    }

    /// The record's status code, for kinds whose workflow has one.
    fn status(&self) -> Option<String> {
        None
    }

    /// The field lists filter and badge the record by, and its code (see
    /// [`crate::kinds::Record::facet`]).
    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        None
    }
}

/// The fields every record carries at its document's root, beside its kind's own (see
/// [`Stored`]).
#[derive(
    Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct Common {
    /// The record's kind (`account`, `quote`, …); one Rust type may store several.
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_any_string")]
    pub kind: String,
    /// The schema version of the code that last wrote the document.
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_int_or_zero")]
    pub schema: i64,
    /// Team ID (see [`crate::access`]); empty for a record shared by the workspace.
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_any_string")]
    pub team: String,
    /// User ID of the member responsible (a case's assigned agent); empty if nobody is.
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_any_string")]
    pub owner: String,
    /// Milliseconds since the Unix epoch.
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_int_or_zero")]
    pub created_at: i64,
    /// User ID of the member who created the record.
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_any_string")]
    pub created_by: String,
    /// Free text, merged character by character.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "value::hydrate_any_string",
        reconcile = "reconcile_text"
    )]
    pub notes: String,
    /// When the record was archived (milliseconds since the Unix epoch); 0 while it is
    /// not. An archived record is out of lists and search but kept whole, and restoring
    /// it sets this back to 0. (Added after schema 1 of every kind: older documents read
    /// as not archived.)
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_int_or_zero")]
    pub archived_at: i64,
    /// When an owner or admin deleted the record (milliseconds since the Unix epoch); 0
    /// while it is not. A deleted record is gone from every screen and server job of
    /// every member and waits in the workspace's bin, where owners and admins can
    /// restore it. (Erasing its bytes from history is the privacy erasure's work.)
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_int_or_zero")]
    pub deleted_at: i64,
    /// The record this one was merged into (its document ID); empty while it was not.
    /// A merged record is also deleted ([`Common::deleted_at`]): it stays as a redirect,
    /// so a link to it opens the survivor, and an edit a device made to it offline is
    /// forwarded to the survivor (see [`crate::duplicates::merge`]).
    #[autosurgeon(missing = "Default::default", hydrate = "value::hydrate_any_string")]
    #[serde(default)]
    pub merged_into: String,
    /// Files attached to the record (see [`attachment`]); entries are only added, and
    /// removing one sets its `removed_at`.
    #[autosurgeon(missing = "Default::default")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<attachment::Attachment>,
}

impl Common {
    /// Whether the record was merged into another (see [`Common::merged_into`]).
    pub fn is_merged(&self) -> bool {
        !self.merged_into.is_empty()
    }

    /// Whether the record is archived (see [`Common::archived_at`]).
    pub fn is_archived(&self) -> bool {
        self.archived_at != 0
    }

    /// Whether the record is deleted (see [`Common::deleted_at`]).
    pub fn is_deleted(&self) -> bool {
        self.deleted_at != 0
    }

    /// The attachments still on the record, newest first.
    pub fn live_attachments(&self) -> Vec<&attachment::Attachment> {
        let mut live: Vec<_> = self.attachments.iter().filter(|a| a.is_live()).collect();
        live.sort_by_key(|a| std::cmp::Reverse(a.at));
        live
    }

    /// Whether the file `hash` is on the record, as an attachment or the thumbnail of
    /// one (a removed one is not: it can no longer be downloaded through this record).
    pub fn references(&self, hash: &str) -> bool {
        self.attachments
            .iter()
            .any(|a| a.names(hash) && a.is_live())
    }

    /// The newest photo still on the record that has a thumbnail: what a list shows
    /// beside the record.
    pub fn list_photo(&self) -> Option<&attachment::Attachment> {
        self.attachments
            .iter()
            .filter(|a| {
                a.is_live() && !a.thumb.is_empty() && a.category() == attachment::Category::Photo
            })
            .max_by_key(|a| a.at)
    }

    /// Adds `attachment`, or puts it back if the same file was removed; whether the
    /// record changed (the same file attached twice is kept once).
    pub fn attach(&mut self, attachment: attachment::Attachment) -> bool {
        match self
            .attachments
            .iter_mut()
            .find(|a| a.hash == attachment.hash)
        {
            Some(existing) if existing.is_live() => false,
            Some(existing) => {
                *existing = attachment;
                true
            }
            None => {
                self.attachments.push(attachment);
                true
            }
        }
    }

    /// Removes the file `hash` from the record at `now`; whether it was on it.
    pub fn detach(&mut self, hash: &str, now: i64) -> bool {
        match self
            .attachments
            .iter_mut()
            .find(|a| a.hash == hash && a.is_live())
        {
            Some(attachment) => {
                attachment.removed_at = now;
                true
            }
            None => false,
        }
    }
}

/// One record as its document holds it: the [`Common`] fields and the kind's own
/// `fields`, side by side at the document's root (not nested), so documents keep the
/// layout they had before the two were separate types.
///
/// It dereferences to the kind's own fields: `contact.name` reads
/// `contact.fields.name`, and `contact.common.owner` the owner.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Stored<F> {
    pub common: Common,
    pub fields: F,
}

impl<F> std::ops::Deref for Stored<F> {
    type Target = F;

    fn deref(&self) -> &F {
        &self.fields
    }
}

impl<F> std::ops::DerefMut for Stored<F> {
    fn deref_mut(&mut self) -> &mut F {
        &mut self.fields
    }
}

impl<F: Hydrate> Hydrate for Stored<F> {
    fn hydrate_map<D: autosurgeon::ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
    ) -> Result<Self, autosurgeon::HydrateError> {
        Ok(Stored {
            common: Common::hydrate_map(doc, obj)?,
            fields: F::hydrate_map(doc, obj)?,
        })
    }
}

/// A record that can be written into the root of a document. Only [`Stored`] is one:
/// its two parts are reconciled into the same map, which a derived `Reconcile` cannot
/// express (a derived struct only puts its own keys, so neither part removes the
/// other's).
pub trait RootRecord: Hydrate + HasCommon {
    /// Writes the record into `doc`'s root as a diff against what is there.
    fn reconcile_root<D: autosurgeon::Doc>(
        &self,
        doc: &mut D,
    ) -> Result<(), autosurgeon::ReconcileError>;
}

impl<F: Reconcile + Hydrate> RootRecord for Stored<F> {
    fn reconcile_root<D: autosurgeon::Doc>(
        &self,
        doc: &mut D,
    ) -> Result<(), autosurgeon::ReconcileError> {
        reconcile(doc, &self.common)?;
        reconcile(doc, &self.fields)
    }
}

/// Access to the common fields of any record, also behind `dyn`.
pub trait HasCommon {
    fn common(&self) -> &Common;
    fn common_mut(&mut self) -> &mut Common;
}

impl<F> HasCommon for Stored<F> {
    fn common(&self) -> &Common {
        &self.common
    }

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}

/// Declares an enum stored as a stable lower-case code: `ALL`, `CODES` (for
/// [`crate::record::form::Input::Choice`]), `code`, `from_code`, the first variant as default,
/// and the autosurgeon mapping. An unknown code (from a newer client) reads as the
/// default and is not written back unless the user changes the field.
#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $first:ident = $first_code:literal $(, $variant:ident = $code:literal)* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            #[default]
            $first,
            $($variant),*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$name::$first $(, $name::$variant)*];
            pub const CODES: &'static [&'static str] = &[$first_code $(, $code)*];

            pub fn code(self) -> &'static str {
                match self {
                    $name::$first => $first_code,
                    $($name::$variant => $code),*
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl autosurgeon::Reconcile for $name {
            type Key<'a> = autosurgeon::reconcile::NoKey;

            fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
                reconciler.str(self.code())
            }
        }

        /// Kept by its code, as in documents (the read model stores records as JSON).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from_code(&code).unwrap_or_default())
            }
        }

        impl autosurgeon::Hydrate for $name {
            fn hydrate_string(s: &str) -> Result<Self, autosurgeon::HydrateError> {
                Ok($name::from_code(s).unwrap_or_default())
            }

            fn hydrate_text<D: autosurgeon::ReadDoc>(
                doc: &D,
                obj: &automerge::ObjId,
            ) -> Result<Self, autosurgeon::HydrateError> {
                Ok($name::from_code(&doc.text(obj)?).unwrap_or_default())
            }
        }
    };
}

impl Common {
    pub fn new(kind: &str, schema: i64, ctx: &EditContext) -> Common {
        Common {
            kind: kind.to_owned(),
            schema,
            team: String::new(),
            owner: ctx.user.clone(),
            created_at: ctx.now_ms,
            created_by: ctx.user.clone(),
            notes: String::new(),
            archived_at: 0,
            deleted_at: 0,
            merged_into: String::new(),
            attachments: Vec::new(),
        }
    }
}

/// `autosurgeon(reconcile = ...)` for free text: writes the value as a text object, as
/// a diff against what is there, so concurrent edits elsewhere in the text survive.
pub fn reconcile_text<R: Reconciler>(value: &String, mut reconciler: R) -> Result<(), R::Error> {
    reconciler.text()?.update(value)
}

/// Reads a record of type `T` out of its document.
pub fn read<T: RecordType>(doc: &Automerge) -> Result<T, Error> {
    let mut record: T = hydrate(doc)?;
    let common = record.common_mut();
    if common.kind.is_empty() {
        common.kind = T::KIND.to_owned();
    }
    Ok(record)
}

/// A new document holding `record`.
pub fn create<T: RecordType>(record: &T) -> Result<Automerge, Error> {
    let mut record = record.clone();
    let common = record.common_mut();
    if common.kind.is_empty() {
        common.kind = T::KIND.to_owned();
    }
    common.schema = T::SCHEMA;
    let mut doc = Automerge::new();
    doc.transact(|tx| record.reconcile_root(tx))
        .map_err(|failure| failure.error)?;
    Ok(doc)
}

/// Writes `record` over the document's content, touching only what differs. Returns
/// whether anything changed.
pub fn write<T: RecordType>(doc: &mut Automerge, record: &T) -> Result<bool, Error> {
    let before: T = read(doc)?;
    let mut record = record.clone();
    let common = record.common_mut();
    common.kind.clone_from(&before.common().kind);
    common.schema = common.schema.max(T::SCHEMA);
    if record == before {
        return Ok(false);
    }
    doc.transact(|tx| record.reconcile_root(tx))
        .map_err(|failure| failure.error)?;
    Ok(true)
}

/// A new record made from a form, not yet stored.
pub fn from_form<T: RecordType>(form: &Form, ctx: &EditContext) -> Result<T, EditError> {
    let mut record = T::blank(ctx);
    record.apply(form, ctx).map_err(EditError::Invalid)?;
    record.created(ctx);
    Ok(record)
}

/// A new document holding the record made from `form`.
pub fn new_document<T: RecordType>(form: &Form, ctx: &EditContext) -> Result<Automerge, EditError> {
    Ok(create(&from_form::<T>(form, ctx)?)?)
}

/// Changes some fields of the record in `doc` as a user would in its form: the form
/// starts from the stored values, `change` edits it, and the result is applied.
pub fn edit_fields<T: RecordType>(
    doc: &mut Automerge,
    ctx: &EditContext,
    change: impl FnOnce(&mut Form),
) -> Result<bool, EditError> {
    let mut form = read::<T>(doc)?.form();
    change(&mut form);
    edit::<T>(doc, &form, ctx)
}

/// Applies a form to the record in `doc`. Returns whether anything changed.
pub fn edit<T: RecordType>(
    doc: &mut Automerge,
    form: &Form,
    ctx: &EditContext,
) -> Result<bool, EditError> {
    let mut record: T = read(doc)?;
    record.apply(form, ctx).map_err(EditError::Invalid)?;
    Ok(write(doc, &record)?)
}

/// The form fields every record type ends with: team, owner and notes.
pub const COMMON_FIELDS: [FieldSpec; 3] = [
    FieldSpec::new("team", crate::record::form::Input::Team),
    FieldSpec::new("owner", crate::record::form::Input::Member),
    FieldSpec::new("notes", crate::record::form::Input::LongText),
];

/// Puts the common fields into a form.
pub fn common_form<T: HasCommon>(record: &T, form: &mut Form) {
    let common = record.common();
    form.set("team", &common.team);
    form.set("owner", &common.owner);
    form.set("notes", &common.notes);
}

/// Reads the common fields out of a form into `record`.
pub fn apply_common<T: HasCommon>(check: &mut crate::record::form::Checker<'_>, record: &mut T) {
    let [team, owner, notes] = &COMMON_FIELDS;
    let common = record.common_mut();
    common.team = check.field(team);
    common.owner = check.field(owner);
    common.notes = check.field(notes);
}

/// A blank record: `Default` for the kind's own fields, the common fields from `ctx`.
pub fn blank<F: Default>(kind: &str, schema: i64, ctx: &EditContext) -> Stored<F> {
    Stored {
        common: Common::new(kind, schema, ctx),
        fields: F::default(),
    }
}
