//! The customer account record: a company or a person we sell to (schema version 2).
//!
//! Schema 2 added the party (company or person), internal/external relation, segment,
//! mobile phone, address, tax office and number (VKN for companies, TCKN for persons),
//! birthday, tags and the lifecycle log; schema 1 documents read with those empty.
//! Every change of customer type is appended to the lifecycle log with when and who,
//! so the log of two devices merges (both entries are kept).

use autosurgeon::{Hydrate, Reconcile};

use crate::code_enum;
use crate::record::form::{Checker, FieldSpec, Form, Problems, split_tags, tags_text};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored, Transition};
use crate::text::validate::{self, Problem};

/// Value of the `kind` field of an account document.
pub const KIND: &str = "account";
/// Current schema version written into new and edited accounts.
pub const SCHEMA_VERSION: i64 = 2;

code_enum! {
    /// Where a customer stands with us.
    pub enum CustomerType {
        Potential = "potential",
        New = "new",
        Current = "current",
        Former = "former",
        Target = "target",
    }
}

code_enum! {
    /// A company (tax number VKN) or a person (identity number TCKN).
    pub enum Party {
        Company = "company",
        Person = "person",
    }
}

impl Party {
    /// `input` checked as this party's tax number: a VKN for a company, a TCKN for a
    /// person (spaces dropped; empty stays empty).
    pub fn tax_number(self, input: &str) -> Result<String, Problem> {
        match self {
            Party::Company => validate::vkn(input),
            Party::Person => validate::tckn(input),
        }
    }
}

code_enum! {
    /// External customers buy from us; internal ones are our own departments and
    /// branches served like customers.
    pub enum Relation {
        External = "external",
        Internal = "internal",
    }
}

/// An account as stored in its document.
pub type Account = Stored<AccountFields>;

/// The fields of a [`Account`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct AccountFields {
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub name: String,
    /// E.164, or empty.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub phone: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub email: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub city: String,
    #[autosurgeon(missing = "Default::default")]
    pub customer_type: CustomerType,
    #[autosurgeon(missing = "Default::default")]
    pub party: Party,
    #[autosurgeon(missing = "Default::default")]
    pub relation: Relation,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub segment: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub mobile: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub address: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub tax_office: String,
    /// VKN (company) or TCKN (person), digits only.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub tax_number: String,
    /// `YYYY-MM-DD`, persons only.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub birthday: String,
    #[autosurgeon(missing = "Default::default")]
    pub tags: Vec<String>,
    #[autosurgeon(missing = "Default::default")]
    pub lifecycle: Vec<Transition>,
    /// The İYS consent log ([`crate::parties::consent`]); only grows.
    #[autosurgeon(missing = "Default::default")]
    pub consents: Vec<crate::parties::consent::ConsentEvent>,
    /// The loyalty points ledger ([`crate::parties::loyalty`]); only grows.
    #[autosurgeon(missing = "Default::default")]
    pub loyalty: Vec<crate::parties::loyalty::LedgerEntry>,
    /// What the account could buy from us in a year, in TRY (decimal text, "" when
    /// unknown): the base of its share of wallet.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub annual_potential: String,
}

/// The account form's fields.
pub mod field {
    use super::{CustomerType, Party, Relation};
    use crate::record::form::{FieldSpec, Input};

    pub const NAME: FieldSpec = FieldSpec::required("name", Input::Text);
    pub const PARTY: FieldSpec = FieldSpec::new("party", Input::Choice(Party::CODES));
    pub const TYPE: FieldSpec = FieldSpec::new("type", Input::Choice(CustomerType::CODES));
    pub const RELATION: FieldSpec = FieldSpec::new("relation", Input::Choice(Relation::CODES));
    pub const SEGMENT: FieldSpec = FieldSpec::new("segment", Input::Text);
    pub const PHONE: FieldSpec = FieldSpec::new("phone", Input::Phone);
    pub const MOBILE: FieldSpec = FieldSpec::new("mobile", Input::Phone);
    pub const EMAIL: FieldSpec = FieldSpec::new("email", Input::Email);
    pub const CITY: FieldSpec = FieldSpec::new("city", Input::Text);
    pub const ADDRESS: FieldSpec = FieldSpec::new("address", Input::LongText);
    pub const TAX_OFFICE: FieldSpec = FieldSpec::new("tax_office", Input::Text);
    /// VKN for a company, TCKN for a person.
    pub const TAX_NUMBER: FieldSpec = FieldSpec::new("tax_number", Input::Text);
    pub const BIRTHDAY: FieldSpec = FieldSpec::new("birthday", Input::Date);
    pub const TAGS: FieldSpec = FieldSpec::new("tags", Input::Tags);
    /// Estimated yearly purchases in TRY, for the share of wallet.
    pub const ANNUAL_POTENTIAL: FieldSpec = FieldSpec::new("annual_potential", Input::Decimal);
}

const FIELDS: &[FieldSpec] = &[
    field::NAME,
    field::PARTY,
    field::TYPE,
    field::RELATION,
    field::SEGMENT,
    field::PHONE,
    field::MOBILE,
    field::EMAIL,
    field::CITY,
    field::ADDRESS,
    field::TAX_OFFICE,
    field::TAX_NUMBER,
    field::BIRTHDAY,
    field::TAGS,
    field::ANNUAL_POTENTIAL,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Account {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Account {
        record::blank(KIND, SCHEMA_VERSION, ctx)
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("name", &self.name)
            .with("party", self.party.code())
            .with("type", self.customer_type.code())
            .with("relation", self.relation.code())
            .with("segment", &self.segment)
            .with("phone", &self.phone)
            .with("mobile", &self.mobile)
            .with("email", &self.email)
            .with("city", &self.city)
            .with("address", &self.address)
            .with("tax_office", &self.tax_office)
            .with("tax_number", &self.tax_number)
            .with("birthday", &self.birthday)
            .with("tags", tags_text(&self.tags))
            .with("annual_potential", &self.annual_potential);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.name = check.field(&field::NAME);
        self.party = Party::from_code(&check.field(&field::PARTY)).unwrap_or_default();
        let customer_type = CustomerType::from_code(&check.field(&field::TYPE)).unwrap_or_default();
        self.relation = Relation::from_code(&check.field(&field::RELATION)).unwrap_or_default();
        self.segment = check.field(&field::SEGMENT);
        self.phone = check.field(&field::PHONE);
        self.mobile = check.field(&field::MOBILE);
        self.email = check.field(&field::EMAIL);
        self.city = check.field(&field::CITY);
        self.address = check.field(&field::ADDRESS);
        self.tax_office = check.field(&field::TAX_OFFICE);
        let number = self.party.tax_number(form.get(field::TAX_NUMBER.name));
        self.tax_number = number.unwrap_or_else(|p| {
            check.problem(field::TAX_NUMBER.name, p);
            String::new()
        });
        // A company has no birthday.
        let birthday = check.field(&field::BIRTHDAY);
        self.birthday = if self.is_person() {
            birthday
        } else {
            String::new()
        };
        self.tags = split_tags(&check.field(&field::TAGS));
        self.annual_potential = check.field(&field::ANNUAL_POTENTIAL);
        record::apply_common(&mut check, self);
        check.finish()?;
        if customer_type != self.customer_type {
            let step = Transition::new(ctx, self.customer_type.code(), customer_type.code());
            self.lifecycle.push(step);
            self.customer_type = customer_type;
        }
        Ok(())
    }

    fn created(&mut self, ctx: &EditContext) {
        self.lifecycle = vec![Transition::new(ctx, "", self.customer_type.code())];
    }

    fn title(&self) -> String {
        self.name.clone()
    }

    fn search_words(&self) -> String {
        format!(
            "{} {} {} {} {} {} {}",
            self.name,
            self.city,
            self.email,
            self.phone,
            self.segment,
            self.tax_number,
            self.tags.join(" ")
        )
    }

    fn account(&self) -> &str {
        ""
    }

    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        Some(("type", self.customer_type.code().to_owned()))
    }
}

impl Account {
    /// Whether the tax number field should be labelled VKN (company) or TCKN (person).
    pub fn is_person(&self) -> bool {
        self.party == Party::Person
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{EditError, create, edit_fields, from_form, read};
    use crate::text::validate::Problem;
    use automerge::Automerge;

    fn ctx(user: &str, now_ms: i64) -> EditContext {
        EditContext {
            now_ms,
            user: user.into(),
        }
    }

    fn form(name: &str) -> Form {
        Form::new()
            .with("name", name)
            .with("phone", "0532 111 22 33")
            .with("email", "info@anadolu.com.tr")
            .with("city", "İzmir")
            .with("type", "potential")
            .with("notes", "İlk görüşme yapıldı.")
            .with("team", "ist")
            .with("owner", "u1")
    }

    fn new_doc(name: &str) -> Automerge {
        create(&from_form::<Account>(&form(name), &ctx("u1", 1)).unwrap()).unwrap()
    }

    fn change(doc: &mut Automerge, user: &str, at: i64, f: impl FnOnce(&mut Form)) -> bool {
        edit_fields::<Account>(doc, &ctx(user, at), f).unwrap()
    }

    fn merged(a: &Automerge, b: &Automerge) -> Automerge {
        let mut out = a.clone();
        out.merge(&mut b.clone()).unwrap();
        out
    }

    #[test]
    fn round_trips_through_a_document() {
        let doc = new_doc("Anadolu Gıda");
        let loaded = read::<Account>(&Automerge::load(&doc.save()).unwrap()).unwrap();
        assert_eq!(loaded.name, "Anadolu Gıda");
        assert_eq!(loaded.phone, "+905321112233");
        assert_eq!(loaded.city, "İzmir");
        assert_eq!(loaded.customer_type, CustomerType::Potential);
        assert_eq!(loaded.common.notes, "İlk görüşme yapıldı.");
        assert_eq!(
            (loaded.common.schema, loaded.common.kind.as_str()),
            (SCHEMA_VERSION, KIND)
        );
        assert_eq!(
            (loaded.common.team.as_str(), loaded.common.owner.as_str()),
            ("ist", "u1")
        );
        let (kind, scope) = crate::access::read_scope(&doc);
        assert_eq!((kind.as_str(), scope.team.as_str()), (KIND, "ist"));
        // The form shows what was stored, and saving it unchanged writes nothing.
        let mut again = doc.clone();
        let heads = again.get_heads();
        assert!(!change(&mut again, "u1", 2, |_| {}));
        assert_eq!(again.get_heads(), heads);
    }

    #[test]
    fn concurrent_edits_to_different_fields_merge() {
        let base = new_doc("Anadolu Gıda");
        let (mut a, mut b) = (base.fork(), base.fork());
        change(&mut a, "u1", 2, |f| {
            f.set("phone", "0212 555 44 33");
            f.set("notes", "İlk görüşme yapıldı. Teklif istendi.");
        });
        change(&mut b, "u2", 3, |f| {
            f.set("city", "Ankara");
            f.set("type", "new");
            f.set("notes", "Not: İlk görüşme yapıldı.");
        });
        let ab = read::<Account>(&merged(&a, &b)).unwrap();
        assert_eq!(ab, read::<Account>(&merged(&b, &a)).unwrap());
        assert_eq!(ab.phone, "+902125554433");
        assert_eq!(ab.city, "Ankara");
        assert_eq!(ab.customer_type, CustomerType::New);
        assert_eq!(ab.common.notes, "Not: İlk görüşme yapıldı. Teklif istendi.");
    }

    #[test]
    fn editing_again_after_a_colleagues_edit_arrived_works() {
        // Regression: with our own last change no longer a head, autosurgeon's `Text`
        // refused to reconcile (StaleHeads). Notes are now written with update_text.
        let mut a = new_doc("Anadolu Gıda");
        let mut b = a.fork();
        change(&mut b, "u2", 2, |f| f.set("notes", "B'nin notu"));
        a.merge(&mut b).unwrap();
        assert!(change(&mut a, "u1", 3, |f| {
            f.set("notes", "B'nin notu, A'nın eki");
            f.set("city", "Manisa");
        }));
        let read = read::<Account>(&a).unwrap();
        assert_eq!(
            (read.common.notes.as_str(), read.city.as_str()),
            ("B'nin notu, A'nın eki", "Manisa")
        );
    }

    #[test]
    fn same_field_conflicts_resolve_the_same_way_everywhere() {
        let base = new_doc("Anadolu Gıda");
        let (mut a, mut b) = (base.fork(), base.fork());
        change(&mut a, "u1", 2, |f| f.set("city", "Bursa"));
        change(&mut b, "u2", 2, |f| f.set("city", "Konya"));
        let ab = read::<Account>(&merged(&a, &b)).unwrap();
        assert_eq!(ab.city, read::<Account>(&merged(&b, &a)).unwrap().city);
        assert!(ab.city == "Bursa" || ab.city == "Konya");
        // Automerge keeps the losing value as a conflict, so nothing is silently lost.
        let both = merged(&a, &b);
        let values = automerge::ReadDoc::get_all(&both, automerge::ROOT, "city").unwrap();
        assert_eq!(values.len(), 2);
    }

    #[test]
    fn customer_type_changes_are_logged_with_when_and_who() {
        let mut doc = new_doc("Ege Tekstil");
        change(&mut doc, "u2", 10, |f| f.set("type", "new"));
        change(&mut doc, "u3", 20, |f| f.set("city", "Denizli"));
        change(&mut doc, "u3", 30, |f| f.set("type", "current"));
        let log = read::<Account>(&doc).unwrap().fields.lifecycle;
        let steps: Vec<(i64, &str, &str, &str)> = log
            .iter()
            .map(|e| (e.at, e.by.as_str(), e.from.as_str(), e.to.as_str()))
            .collect();
        assert_eq!(
            steps,
            [
                (1, "u1", "", "potential"),
                (10, "u2", "potential", "new"),
                (30, "u3", "new", "current"),
            ]
        );
    }

    #[test]
    fn tax_numbers_are_checked_by_party() {
        let company = form("Ege Tekstil").with("tax_number", "4540536920");
        assert!(from_form::<Account>(&company, &ctx("u1", 1)).is_ok());
        // A valid VKN is not a TCKN: a person needs 11 digits.
        let person = company.clone().with("party", "person");
        let Err(EditError::Invalid(problems)) = from_form::<Account>(&person, &ctx("u1", 1)) else {
            panic!("a VKN accepted as a TCKN");
        };
        assert_eq!(problems, [("tax_number", Problem::InvalidTckn)]);
        let person = person
            .with("tax_number", "10000000146")
            .with("birthday", "1985-04-23");
        let account = from_form::<Account>(&person, &ctx("u1", 1)).unwrap();
        assert_eq!(
            (account.tax_number.as_str(), account.birthday.as_str()),
            ("10000000146", "1985-04-23")
        );
        // A company has no birthday.
        let company = company.with("birthday", "1985-04-23");
        assert!(
            from_form::<Account>(&company, &ctx("u1", 1))
                .unwrap()
                .birthday
                .is_empty()
        );
    }

    #[test]
    fn schema_1_documents_still_load() {
        // A document written by an older client that only knew `name`.
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            tx.put(automerge::ROOT, "name", "Eski Kayıt")?;
            tx.put(automerge::ROOT, "customer_type", "current")?;
            tx.put(automerge::ROOT, "schema", 1)?;
            Ok(())
        })
        .unwrap();
        let account = read::<Account>(&doc).unwrap();
        assert_eq!(account.name, "Eski Kayıt");
        assert_eq!(account.customer_type, CustomerType::Current);
        assert_eq!(
            (account.common.kind.as_str(), account.party),
            (KIND, Party::Company)
        );
        assert!(account.tags.is_empty() && account.lifecycle.is_empty());
        // Editing it upgrades the schema version and keeps the rest.
        change(&mut doc, "u1", 5, |f| f.set("segment", "A"));
        let edited = read::<Account>(&doc).unwrap();
        assert_eq!(
            (edited.common.schema, edited.segment.as_str()),
            (SCHEMA_VERSION, "A")
        );
        assert_eq!(edited.customer_type, CustomerType::Current);
    }

    #[test]
    fn accounts_written_by_js_clients_as_text_load() {
        // automerge-repo's JS client stores strings as text objects by default.
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            for (key, value) in [
                ("kind", "account"),
                ("name", "Karadeniz Balıkçılık"),
                ("city", "Rize"),
                ("customer_type", "target"),
            ] {
                let text = tx.put_object(automerge::ROOT, key, automerge::ObjType::Text)?;
                tx.splice_text(&text, 0, 0, value)?;
            }
            Ok(())
        })
        .unwrap();
        let account = read::<Account>(&doc).unwrap();
        assert_eq!(
            (account.name.as_str(), account.city.as_str()),
            ("Karadeniz Balıkçılık", "Rize")
        );
        assert_eq!(account.customer_type, CustomerType::Target);
        change(&mut doc, "u1", 5, |f| f.set("phone", "0464 111 22 33"));
        let edited = read::<Account>(&doc).unwrap();
        assert_eq!(
            (edited.city.as_str(), edited.phone.as_str()),
            ("Rize", "+904641112233")
        );
    }

    #[test]
    fn invalid_input_reports_every_problem() {
        let bad = form("  ").with("phone", "12").with("email", "not-an-email");
        let Err(EditError::Invalid(problems)) = from_form::<Account>(&bad, &ctx("u1", 1)) else {
            panic!("invalid input accepted");
        };
        assert_eq!(
            problems,
            [
                ("name", Problem::Required),
                ("phone", Problem::InvalidPhone),
                ("email", Problem::InvalidEmail),
            ]
        );
    }
}
