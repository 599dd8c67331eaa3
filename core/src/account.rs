//! The customer account record (schema version 1).
//!
//! Each account is one Automerge document. The Rust struct maps onto the document with
//! `autosurgeon`, so an edit writes only the fields that changed: two people editing
//! different fields of one account offline merge without loss, and notes merge as text.
//! Fields added in later schema versions must carry `missing = …` so older documents
//! keep loading.

use automerge::Automerge;
use autosurgeon::reconcile::TextReconciler;
use autosurgeon::{Hydrate, Reconcile, Reconciler, hydrate, reconcile};

use crate::Error;
use crate::validate::{self, Problem};
use crate::value::hydrate_any_string;

/// Value of the `kind` field of an account document.
pub const KIND: &str = "account";
/// Current schema version written into new and edited accounts.
pub const SCHEMA_VERSION: i64 = 1;

/// Where a customer stands with us. Stored as the lower-case English word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Reconcile, Hydrate)]
pub enum CustomerType {
    #[default]
    #[autosurgeon(rename = "potential")]
    Potential,
    #[autosurgeon(rename = "new")]
    New,
    #[autosurgeon(rename = "current")]
    Current,
    #[autosurgeon(rename = "former")]
    Former,
    #[autosurgeon(rename = "target")]
    Target,
}

impl CustomerType {
    pub const ALL: [CustomerType; 5] = [
        CustomerType::Potential,
        CustomerType::New,
        CustomerType::Current,
        CustomerType::Former,
        CustomerType::Target,
    ];

    /// The stable code used in forms and URLs.
    pub fn code(self) -> &'static str {
        match self {
            CustomerType::Potential => "potential",
            CustomerType::New => "new",
            CustomerType::Current => "current",
            CustomerType::Former => "former",
            CustomerType::Target => "target",
        }
    }

    pub fn from_code(code: &str) -> Option<CustomerType> {
        CustomerType::ALL.into_iter().find(|t| t.code() == code)
    }
}

fn hydrate_kind<D: autosurgeon::ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: autosurgeon::Prop<'_>,
) -> Result<String, autosurgeon::HydrateError> {
    let kind = hydrate_any_string(doc, obj, prop)?;
    Ok(if kind.is_empty() {
        KIND.to_owned()
    } else {
        kind
    })
}

/// Writes `value` as a text object, as a diff against what is there, so that edits
/// made concurrently elsewhere in the same text survive the merge.
fn reconcile_text<R: Reconciler>(value: &String, mut reconciler: R) -> Result<(), R::Error> {
    reconciler.text()?.update(value)
}

/// An account as stored in its document.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Account {
    #[autosurgeon(hydrate = "hydrate_kind")]
    pub kind: String,
    #[autosurgeon(missing = "Default::default")]
    pub schema: i64,
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub name: String,
    /// E.164, or empty.
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub phone: String,
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub email: String,
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub city: String,
    #[autosurgeon(missing = "Default::default")]
    pub customer_type: CustomerType,
    /// Free text, stored as an Automerge text object so concurrent edits merge
    /// character by character.
    #[autosurgeon(hydrate = "hydrate_any_string", reconcile = "reconcile_text")]
    pub notes: String,
    /// Milliseconds since the Unix epoch.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: i64,
    /// Team ID (see [`crate::access`]); empty for a record shared by the workspace.
    /// Added after schema 1 without a version bump: missing reads as empty.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub team: String,
    /// User ID of the member responsible for the account; empty if nobody is.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub owner: String,
}

/// A form's fields exactly as the user typed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountInput {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub city: String,
    pub customer_type: CustomerType,
    pub notes: String,
    /// Team ID, or empty.
    pub team: String,
    /// Owner's user ID, or empty.
    pub owner: String,
}

/// The fields of an account form, for attaching problems to inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Phone,
    Email,
    City,
    Notes,
}

/// A validated form: the normalised values to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAccount {
    name: String,
    phone: String,
    email: String,
    city: String,
    customer_type: CustomerType,
    notes: String,
    team: String,
    owner: String,
}

impl ValidAccount {
    pub fn team(&self) -> &str {
        &self.team
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }
}

impl AccountInput {
    /// The form's fields as they are in an account, for editing.
    pub fn from_account(account: &Account) -> AccountInput {
        AccountInput {
            name: account.name.clone(),
            phone: account.phone.clone(),
            email: account.email.clone(),
            city: account.city.clone(),
            customer_type: account.customer_type,
            notes: account.notes.clone(),
            team: account.team.clone(),
            owner: account.owner.clone(),
        }
    }

    /// Validates every field and reports all problems at once.
    pub fn validate(&self) -> Result<ValidAccount, Vec<(Field, Problem)>> {
        let mut problems = Vec::new();
        let mut check = |field, result: Result<String, Problem>| {
            result.unwrap_or_else(|p| {
                problems.push((field, p));
                String::new()
            })
        };
        let name = check(Field::Name, validate::required_text(&self.name));
        let phone = check(Field::Phone, validate::phone(&self.phone));
        let email = check(Field::Email, validate::email(&self.email));
        let city = check(Field::City, validate::optional_text(&self.city));
        let notes = if self.notes.len() > validate::MAX_NOTES {
            problems.push((
                Field::Notes,
                Problem::TooLong {
                    max: validate::MAX_NOTES,
                },
            ));
            String::new()
        } else {
            self.notes.clone()
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ValidAccount {
            name,
            phone,
            email,
            city,
            customer_type: self.customer_type,
            notes,
            team: self.team.trim().to_owned(),
            owner: self.owner.trim().to_owned(),
        })
    }
}

impl Account {
    /// Reads the account out of its document.
    pub fn read(doc: &Automerge) -> Result<Account, Error> {
        Ok(hydrate(doc)?)
    }

    /// A new document holding a new account.
    pub fn create(valid: &ValidAccount, now_ms: i64) -> Result<Automerge, Error> {
        let account = Account {
            kind: KIND.to_owned(),
            schema: SCHEMA_VERSION,
            name: valid.name.clone(),
            phone: valid.phone.clone(),
            email: valid.email.clone(),
            city: valid.city.clone(),
            customer_type: valid.customer_type,
            notes: valid.notes.clone(),
            created_at: now_ms,
            team: valid.team.clone(),
            owner: valid.owner.clone(),
        };
        let mut doc = Automerge::new();
        doc.transact(|tx| reconcile(tx, &account))
            .map_err(|failure| failure.error)?;
        Ok(doc)
    }

    /// Writes an edit into an existing document: only fields whose value changed are
    /// touched, and notes are spliced as text, so concurrent edits merge.
    /// Returns whether anything changed.
    pub fn update(doc: &mut Automerge, valid: &ValidAccount) -> Result<bool, Error> {
        let mut account = Account::read(doc)?;
        let before = account.clone();
        account.kind = KIND.to_owned();
        account.schema = account.schema.max(SCHEMA_VERSION);
        account.name = valid.name.clone();
        account.phone = valid.phone.clone();
        account.email = valid.email.clone();
        account.city = valid.city.clone();
        account.customer_type = valid.customer_type;
        account.notes = valid.notes.clone();
        account.team = valid.team.clone();
        account.owner = valid.owner.clone();
        if account == before {
            return Ok(false);
        }
        doc.transact(|tx| reconcile(tx, &account))
            .map_err(|failure| failure.error)?;
        Ok(true)
    }

    /// Lower-case, diacritics-folded text of the searchable fields.
    pub fn search_text(&self) -> String {
        crate::fold::fold(&format!(
            "{} {} {} {}",
            self.name, self.city, self.email, self.phone
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> AccountInput {
        AccountInput {
            name: name.into(),
            phone: "0532 111 22 33".into(),
            email: "info@anadolu.com.tr".into(),
            city: "İzmir".into(),
            customer_type: CustomerType::Potential,
            notes: "İlk görüşme yapıldı.".into(),
            team: "ist".into(),
            owner: "u1".into(),
        }
    }

    fn merged(a: &Automerge, b: &Automerge) -> Automerge {
        let mut out = a.clone();
        let mut other = b.clone();
        out.merge(&mut other).unwrap();
        out
    }

    #[test]
    fn round_trips_through_a_document() {
        let valid = input("Anadolu Gıda").validate().unwrap();
        let doc = Account::create(&valid, 1_700_000_000_000).unwrap();
        let bytes = doc.save();
        let loaded = Account::read(&Automerge::load(&bytes).unwrap()).unwrap();
        assert_eq!(loaded.name, "Anadolu Gıda");
        assert_eq!(loaded.phone, "+905321112233");
        assert_eq!(loaded.city, "İzmir");
        assert_eq!(loaded.customer_type, CustomerType::Potential);
        assert_eq!(loaded.notes, "İlk görüşme yapıldı.");
        assert_eq!(loaded.schema, SCHEMA_VERSION);
        assert_eq!(loaded.kind, KIND);
        assert_eq!((loaded.team.as_str(), loaded.owner.as_str()), ("ist", "u1"));
        let (kind, scope) = crate::access::read_scope(&Automerge::load(&bytes).unwrap());
        assert_eq!((kind.as_str(), scope.team.as_str()), (KIND, "ist"));
        assert_eq!(
            AccountInput::from_account(&loaded).validate().unwrap(),
            valid
        );
    }

    #[test]
    fn concurrent_edits_to_different_fields_merge() {
        let base = Account::create(&input("Anadolu Gıda").validate().unwrap(), 1).unwrap();
        let mut a = base.fork();
        let mut b = base.fork();
        let mut edit_a = AccountInput::from_account(&Account::read(&a).unwrap());
        edit_a.phone = "0212 555 44 33".into();
        edit_a.notes = "İlk görüşme yapıldı. Teklif istendi.".into();
        assert!(Account::update(&mut a, &edit_a.validate().unwrap()).unwrap());
        let mut edit_b = AccountInput::from_account(&Account::read(&b).unwrap());
        edit_b.city = "Ankara".into();
        edit_b.customer_type = CustomerType::New;
        edit_b.notes = "Not: İlk görüşme yapıldı.".into();
        assert!(Account::update(&mut b, &edit_b.validate().unwrap()).unwrap());

        let ab = Account::read(&merged(&a, &b)).unwrap();
        let ba = Account::read(&merged(&b, &a)).unwrap();
        assert_eq!(ab, ba);
        assert_eq!(ab.phone, "+902125554433");
        assert_eq!(ab.city, "Ankara");
        assert_eq!(ab.customer_type, CustomerType::New);
        assert_eq!(ab.notes, "Not: İlk görüşme yapıldı. Teklif istendi.");
    }

    #[test]
    fn editing_again_after_a_colleagues_edit_arrived_works() {
        // Regression: with our own last change no longer a head, autosurgeon's `Text`
        // refused to reconcile (StaleHeads). Notes are now written with update_text.
        let mut a = Account::create(&input("Anadolu Gıda").validate().unwrap(), 1).unwrap();
        let mut b = a.fork();
        let mut edit_b = AccountInput::from_account(&Account::read(&b).unwrap());
        edit_b.notes = "B'nin notu".into();
        Account::update(&mut b, &edit_b.validate().unwrap()).unwrap();
        a.merge(&mut b).unwrap();
        let mut edit_a = AccountInput::from_account(&Account::read(&a).unwrap());
        edit_a.notes = "B'nin notu, A'nın eki".into();
        edit_a.city = "Manisa".into();
        assert!(Account::update(&mut a, &edit_a.validate().unwrap()).unwrap());
        let read = Account::read(&a).unwrap();
        assert_eq!(read.notes, "B'nin notu, A'nın eki");
        assert_eq!(read.city, "Manisa");
    }

    #[test]
    fn same_field_conflicts_resolve_the_same_way_everywhere() {
        let base = Account::create(&input("Anadolu Gıda").validate().unwrap(), 1).unwrap();
        let mut a = base.fork();
        let mut b = base.fork();
        for (doc, city) in [(&mut a, "Bursa"), (&mut b, "Konya")] {
            let mut edit = AccountInput::from_account(&Account::read(doc).unwrap());
            edit.city = city.into();
            Account::update(doc, &edit.validate().unwrap()).unwrap();
        }
        let ab = Account::read(&merged(&a, &b)).unwrap();
        let ba = Account::read(&merged(&b, &a)).unwrap();
        assert_eq!(ab.city, ba.city);
        assert!(ab.city == "Bursa" || ab.city == "Konya");
        // Automerge keeps the losing value as a conflict, so nothing is silently lost.
        let merged_doc = merged(&a, &b);
        let values = automerge::ReadDoc::get_all(&merged_doc, automerge::ROOT, "city").unwrap();
        assert_eq!(values.len(), 2);
    }

    #[test]
    fn an_unchanged_form_writes_nothing() {
        let mut doc = Account::create(&input("Ege Tekstil").validate().unwrap(), 1).unwrap();
        let heads = doc.get_heads();
        let same = AccountInput::from_account(&Account::read(&doc).unwrap());
        assert!(!Account::update(&mut doc, &same.validate().unwrap()).unwrap());
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn documents_missing_fields_still_load() {
        // A document written by an older client that only knew `name`.
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            tx.put(automerge::ROOT, "name", "Eski Kayıt")?;
            Ok(())
        })
        .unwrap();
        let account = Account::read(&doc).unwrap();
        assert_eq!(account.name, "Eski Kayıt");
        assert_eq!(account.customer_type, CustomerType::Potential);
        assert_eq!(account.kind, KIND);
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
            ] {
                let text = tx.put_object(automerge::ROOT, key, automerge::ObjType::Text)?;
                tx.splice_text(&text, 0, 0, value)?;
            }
            Ok(())
        })
        .unwrap();
        let account = Account::read(&doc).unwrap();
        assert_eq!(account.name, "Karadeniz Balıkçılık");
        assert_eq!(account.city, "Rize");
        // Editing writes scalar strings over the text objects and keeps the rest.
        let mut input = AccountInput::from_account(&account);
        input.phone = "0464 111 22 33".into();
        Account::update(&mut doc, &input.validate().unwrap()).unwrap();
        let edited = Account::read(&doc).unwrap();
        assert_eq!(edited.city, "Rize");
        assert_eq!(edited.phone, "+904641112233");
    }

    #[test]
    fn invalid_input_reports_every_problem() {
        let mut bad = input("  ");
        bad.phone = "12".into();
        bad.email = "not-an-email".into();
        let problems = bad.validate().unwrap_err();
        assert_eq!(
            problems,
            vec![
                (Field::Name, Problem::Required),
                (Field::Phone, Problem::InvalidPhone),
                (Field::Email, Problem::InvalidEmail),
            ]
        );
    }
}
