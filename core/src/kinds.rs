//! The registry of record kinds: the one list every kind is added to.
//!
//! `record_kinds!` turns that list into the [`Record`] enum (any record, whatever its
//! type), [`KINDS`] (every `kind` code, in menu order), [`KIND_INFO`] (each kind's URL
//! section) and the dispatch from a `kind` code to its type. Everything else a screen
//! or rule needs to know about a kind (its facet, status, fields, title) lives on the
//! kind's [`RecordType`] implementation beside its struct. Adding a kind is one line
//! here and one `impl RecordType`.

use automerge::Automerge;

use crate::Error;
use crate::activities::{call, meeting, task};
use crate::engagement::{campaign, segment};
use crate::parties::{account, contact};
use crate::record::form::{FieldSpec, Form, Problems};
use crate::record::{Common, EditContext, EditError, RecordType, create, read, write};
use crate::sales::{document, lead, opportunity, product};
use crate::service::case;

/// What every screen needs to know about one `kind` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    /// The `kind` field of its documents.
    pub kind: &'static str,
    /// The URL section of its list and pages (`/accounts`, `/quotes`, …).
    pub section: &'static str,
}

/// Declares the registry: `Variant(Type) { kind_code => "section", … }` per record type,
/// in menu order. A type may store several kinds (quotes, orders and invoices share
/// [`document::SalesDocument`]).
macro_rules! record_kinds {
    ($( $(#[$meta:meta])* $variant:ident($ty:ty) { $($kind:expr => $section:literal),+ $(,)? } ),+ $(,)?) => {
        /// Any record, read from a document by its `kind`.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub enum Record {
            $( $(#[$meta])* $variant($ty), )+
        }

        /// Every kind with its URL section, in the order menus list them.
        pub const KIND_INFO: &[KindInfo] = &[
            $( $( KindInfo { kind: $kind, section: $section }, )+ )+
        ];

        /// Applies `$body` to the typed record inside a [`Record`], whatever its type.
        macro_rules! each_record {
            ($record:expr, $r:ident => $body:expr) => {
                match $record {
                    $( Record::$variant($r) => $body, )+
                }
            };
        }

        impl Record {
            /// Reads the record in `doc`; `None` if the document is not a record (e.g.
            /// the workspace index, or a kind this version does not know).
            pub fn read(doc: &Automerge) -> Option<Result<Record, Error>> {
                let kind = crate::record::value::get_string(doc, &automerge::ROOT, "kind")?;
                $( if [$($kind),+].contains(&kind.as_str()) {
                    return Some(read::<$ty>(doc).map(Record::$variant));
                } )+
                None
            }

            /// A blank record of `kind`, as a new-record form starts.
            pub fn blank(kind: &str, ctx: &EditContext) -> Option<Record> {
                $( if [$($kind),+].contains(&kind) {
                    return Some(Record::$variant(<$ty as RecordType>::blank_of(kind, ctx)));
                } )+
                None
            }
        }
    };
}

record_kinds! {
    Account(account::Account) { account::KIND => "accounts" },
    Contact(contact::Contact) { contact::KIND => "contacts" },
    Lead(lead::Lead) { lead::KIND => "leads" },
    Opportunity(opportunity::Opportunity) { opportunity::KIND => "opportunities" },
    /// A quote, order or invoice.
    Sales(document::SalesDocument) {
        document::QUOTE => "quotes",
        document::ORDER => "orders",
        document::INVOICE => "invoices",
    },
    Product(product::Product) { product::KIND => "products" },
    Case(case::Case) { case::KIND => "cases" },
    Call(call::Call) { call::KIND => "calls" },
    Task(task::Task) { task::KIND => "tasks" },
    Meeting(meeting::Meeting) { meeting::KIND => "meetings" },
    Segment(segment::Segment) { segment::KIND => "segments" },
    Campaign(campaign::Campaign) { campaign::KIND => "campaigns" },
}

/// Every record kind, in the order menus list them.
pub const KINDS: [&str; KIND_INFO.len()] = {
    let mut kinds = [""; KIND_INFO.len()];
    let mut i = 0;
    while i < KIND_INFO.len() {
        kinds[i] = KIND_INFO[i].kind;
        i += 1;
    }
    kinds
};

/// What the registry knows about `kind`.
pub fn info(kind: &str) -> Option<&'static KindInfo> {
    KIND_INFO.iter().find(|info| info.kind == kind)
}

/// The URL section of `kind`'s pages; a kind this version does not know goes to the
/// account list.
pub fn section_of(kind: &str) -> &'static str {
    info(kind).map_or("accounts", |info| info.section)
}

/// The kind whose URL section is `section`.
pub fn kind_of_section(section: &str) -> Option<&'static str> {
    KIND_INFO
        .iter()
        .find(|info| info.section == section)
        .map(|info| info.kind)
}

impl Record {
    pub fn kind(&self) -> String {
        self.common().kind.clone()
    }

    /// The record's status code, for kinds whose workflow has one (what the
    /// status rules of [`crate::rules`] read).
    pub fn status(&self) -> Option<String> {
        each_record!(self, r => r.status())
    }

    /// The code lists filter and badge the record by (customer type, status, stage or
    /// outcome) with the field it comes from; `today` (`YYYY-MM-DD`) turns an unpaid
    /// invoice past its due date into `overdue`.
    pub fn facet(&self, today: &str) -> Option<(&'static str, String)> {
        each_record!(self, r => r.facet(today))
    }

    pub fn common(&self) -> &Common {
        each_record!(self, r => &r.common)
    }

    pub fn common_mut(&mut self) -> &mut Common {
        each_record!(self, r => &mut r.common)
    }

    /// The consent log of a record that keeps one (accounts, contacts, leads).
    pub fn consents_mut(&mut self) -> Option<&mut Vec<crate::parties::consent::ConsentEvent>> {
        match self {
            Record::Account(a) => Some(&mut a.consents),
            Record::Contact(c) => Some(&mut c.consents),
            Record::Lead(l) => Some(&mut l.consents),
            _ => None,
        }
    }

    pub fn title(&self) -> String {
        each_record!(self, r => r.title())
    }

    pub fn search_words(&self) -> String {
        each_record!(self, r => r.search_words())
    }

    /// The account the record belongs to ("" for none).
    pub fn account(&self) -> &str {
        each_record!(self, r => r.account())
    }

    pub fn form(&self) -> Form {
        each_record!(self, r => r.form())
    }

    pub fn fields(&self) -> &'static [FieldSpec] {
        each_record!(self, r => r.fields())
    }

    /// Applies a form to a new record (running its creation step).
    pub fn apply_new(&mut self, form: &Form, ctx: &EditContext) -> Result<(), Problems> {
        each_record!(self, r => {
            r.apply(form, ctx)?;
            r.created(ctx);
            Ok(())
        })
    }

    /// Applies a form to an existing record (no creation step); the record is left
    /// as it was when the form has problems.
    pub fn apply_edit(&mut self, form: &Form, ctx: &EditContext) -> Result<(), Problems> {
        let mut edited = self.clone();
        each_record!(&mut edited, r => r.apply(form, ctx))?;
        *self = edited;
        Ok(())
    }

    /// A new document holding the record.
    pub fn create(&self) -> Result<Automerge, Error> {
        each_record!(self, r => create(r))
    }

    /// Applies a form to the record stored in `doc`; returns whether it changed.
    pub fn edit(doc: &mut Automerge, form: &Form, ctx: &EditContext) -> Result<bool, EditError> {
        match Record::read(doc) {
            Some(Ok(mut record)) => {
                each_record!(&mut record, r => r.apply(form, ctx)).map_err(EditError::Invalid)?;
                Ok(record.write(doc)?)
            }
            Some(Err(e)) => Err(EditError::Store(e)),
            None => Err(EditError::Refused(
                crate::record::WorkflowRefusal::NotARecord,
            )),
        }
    }

    /// Writes the record over `doc`, touching only what differs.
    pub fn write(&self, doc: &mut Automerge) -> Result<bool, Error> {
        each_record!(self, r => write(doc, r))
    }
}

/// Records of one kind as a table that imports again: the ID, then every field of the
/// kind's form by its code, as the form holds it (the same text the import reads
/// back, so an export updates by ID or key without changing a value).
pub fn records_table<'a>(
    kind: &str,
    records: impl IntoIterator<Item = (&'a str, &'a Record)>,
) -> crate::export::Table {
    let ctx = crate::record::EditContext::new("", 0);
    let fields: Vec<&'static str> = Record::blank(kind, &ctx)
        .map(|r| r.fields().iter().map(|f| f.name).collect())
        .unwrap_or_default();
    let mut table = crate::export::Table::new(
        section_of(kind),
        std::iter::once("id".to_owned()).chain(fields.iter().map(|f| (*f).to_owned())),
    );
    for (id, record) in records {
        let form = record.form();
        let mut row = vec![crate::export::Cell::Text(id.to_owned())];
        row.extend(
            fields
                .iter()
                .map(|f| crate::export::Cell::Text(form.get(f).to_owned())),
        );
        table.push(row);
    }
    table
}

/// Contacts as vCard cards for a phone's address book: the contact's account named
/// by `account_name` as the organization, the record's ID as the card's UID (so a
/// phone importing the file again updates the card). Other kinds are left out.
pub fn contact_cards<'a>(
    records: impl IntoIterator<Item = (&'a str, &'a Record)>,
    account_name: &dyn Fn(&str) -> Option<String>,
) -> Vec<crate::export::vcard::Card> {
    records
        .into_iter()
        .filter(|(_, record)| record.kind() == crate::parties::contact::KIND)
        .map(|(id, record)| {
            let form = record.form();
            let account = form.get("account");
            crate::export::vcard::Card {
                uid: format!("urn:saha:{id}"),
                name: form.get("name").to_owned(),
                organization: if account.is_empty() {
                    String::new()
                } else {
                    account_name(account).unwrap_or_default()
                },
                title: form.get("title").to_owned(),
                mobile: form.get("mobile").to_owned(),
                phone: form.get("phone").to_owned(),
                email: form.get("email").to_owned(),
                birthday: form.get("birthday").to_owned(),
                note: form.get("notes").to_owned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_exported_as_vcard_imports_back_as_the_same_contact() {
        use crate::import::{Mapping, Planner, Report, Source};
        let ctx = EditContext::new("u1", 1);
        let mut contact = Record::blank("contact", &ctx).expect("kind");
        let mut form = contact.form();
        for (field, value) in [
            ("name", "Ayşe Nur Yılmaz"),
            ("account", "acc-1"),
            ("title", "Satın alma; müdür"),
            ("mobile", "+905321234567"),
            ("email", "ayse@cag.com.tr"),
            ("birthday", "1980-04-03"),
            ("notes", "İki\nsatır"),
        ] {
            form.set(field, value);
        }
        contact.apply_new(&form, &ctx).expect("valid");
        let cards = contact_cards([("c-1", &contact)], &|id| {
            (id == "acc-1").then(|| "Çağ Gıda A.Ş.".to_owned())
        });
        assert_eq!(cards[0].organization, "Çağ Gıda A.Ş.");
        for version in crate::export::vcard::Version::ALL {
            let file = crate::export::vcard::write(&cards, version);
            let source = Source::open(file.as_bytes(), None, None).expect("read");
            assert_eq!(source.format, crate::import::Format::VCard);
            let mapping = Mapping::guess("contact", &source.headers);
            // The organization is left for the user to map.
            assert_eq!(mapping.column_of("account"), None);
            let mut planner = Planner::new(&mapping, crate::import::KeyIndex::new(), ctx.clone());
            let mut report = Report::default();
            for row in source.rows() {
                let outcome = planner.plan(&row, &|_| None);
                report.add(&outcome);
                let crate::import::Outcome::Create { record, line, .. } = outcome else {
                    panic!("not created: {outcome:?}");
                };
                assert_eq!(line, 1);
                let read = record.form();
                for field in ["name", "title", "mobile", "email", "birthday", "notes"] {
                    assert_eq!(read.get(field), form.get(field), "{field} in {version:?}");
                }
            }
            assert_eq!(report.created, 1);
        }
    }

    #[test]
    fn every_kind_has_one_section_and_a_blank_record() {
        let ctx = EditContext::new("u1", 1);
        for info in KIND_INFO {
            assert_eq!(kind_of_section(info.section), Some(info.kind));
            let blank = Record::blank(info.kind, &ctx).expect("every listed kind has a type");
            assert_eq!(blank.kind(), info.kind);
            let doc = blank.create().unwrap();
            assert_eq!(Record::read(&doc).unwrap().unwrap().kind(), info.kind);
        }
        assert!(Record::blank("bench-office", &ctx).is_none());
    }
}
