//! The lead record and its conversion (schema version 1).
//!
//! A lead is someone who may become a customer: new → working → qualified, or
//! disqualified with a reason. Converting a qualified (or working) lead makes an
//! account, a contact and an opportunity from what the lead already holds, so nothing is
//! typed twice; the lead stays, marked converted and linked to the three records, so
//! its history is kept.

use crate::record::WorkflowRefusal;
use autosurgeon::{Hydrate, Reconcile};

use crate::code_enum;
use crate::parties::account::{Account, CustomerType, Party};
use crate::parties::contact::Contact;
use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, EditError, RecordType, Stored};
use crate::sales::opportunity::Opportunity;
use crate::text::validate::{self, Problem};

/// Value of the `kind` field of a lead document.
pub const KIND: &str = "lead";
pub const SCHEMA_VERSION: i64 = 1;

code_enum! {
    /// Where a lead stands.
    pub enum LeadStatus {
        New = "new",
        Working = "working",
        Qualified = "qualified",
        Disqualified = "disqualified",
        Converted = "converted",
    }
}

code_enum! {
    /// Where a lead came from.
    pub enum LeadSource {
        Web = "web",
        Referral = "referral",
        Event = "event",
        ColdCall = "cold_call",
        Campaign = "campaign",
        Partner = "partner",
        Other = "other",
    }
}

/// A lead as stored in its document.
pub type Lead = Stored<LeadFields>;

/// The fields of a [`Lead`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct LeadFields {
    /// The person's name.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub name: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub company: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub title: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub phone: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub email: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub city: String,
    /// The company's VKN or the person's TCKN, when the lead gave it; goes to the
    /// account at conversion, and finds an account that already has it.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub tax_number: String,
    /// What the lead is interested in; names the opportunity at conversion.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub topic: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub estimated_amount: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub currency: String,
    #[autosurgeon(missing = "Default::default")]
    pub source: LeadSource,
    #[autosurgeon(missing = "Default::default")]
    pub status: LeadStatus,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub disqualified_reason: String,
    /// Set at conversion: the records made from the lead.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub converted_account: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub converted_contact: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub converted_opportunity: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub converted_at: i64,
    /// The İYS consent log ([`crate::parties::consent`]), e.g. given on a web form; only
    /// grows, and goes to the contact the lead becomes.
    #[autosurgeon(missing = "Default::default")]
    pub consents: Vec<crate::parties::consent::ConsentEvent>,
}

/// The lead form's fields.
pub mod field {
    use super::LeadSource;
    use crate::record::form::{FieldSpec, Input};

    pub const NAME: FieldSpec = FieldSpec::required("name", Input::Text);
    pub const COMPANY: FieldSpec = FieldSpec::new("company", Input::Text);
    pub const TITLE: FieldSpec = FieldSpec::new("title", Input::Text);
    pub const PHONE: FieldSpec = FieldSpec::new("phone", Input::Phone);
    pub const EMAIL: FieldSpec = FieldSpec::new("email", Input::Email);
    pub const CITY: FieldSpec = FieldSpec::new("city", Input::Text);
    /// A VKN (ten digits) or TCKN (eleven), checked by its checksum.
    pub const TAX_NUMBER: FieldSpec = FieldSpec::new("tax_number", Input::Text);
    pub const TOPIC: FieldSpec = FieldSpec::new("topic", Input::Text);
    pub const ESTIMATED_AMOUNT: FieldSpec = FieldSpec::new("estimated_amount", Input::Decimal);
    pub const CURRENCY: FieldSpec =
        FieldSpec::new("currency", Input::Choice(&["TRY", "USD", "EUR"]));
    pub const SOURCE: FieldSpec = FieldSpec::new("source", Input::Choice(LeadSource::CODES));
    /// "converted" is not offered: conversion sets it.
    pub const STATUS: FieldSpec = FieldSpec::new(
        "status",
        Input::Choice(&["new", "working", "qualified", "disqualified"]),
    );
    /// Required when the status is "disqualified".
    pub const DISQUALIFIED_REASON: FieldSpec = FieldSpec::new("disqualified_reason", Input::Text);
}

const FIELDS: &[FieldSpec] = &[
    field::NAME,
    field::COMPANY,
    field::TITLE,
    field::PHONE,
    field::EMAIL,
    field::CITY,
    field::TAX_NUMBER,
    field::TOPIC,
    field::ESTIMATED_AMOUNT,
    field::CURRENCY,
    field::SOURCE,
    field::STATUS,
    field::DISQUALIFIED_REASON,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Lead {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Lead {
        let mut lead: Lead = record::blank(KIND, SCHEMA_VERSION, ctx);
        lead.currency = "TRY".into();
        lead
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("name", &self.name)
            .with("company", &self.company)
            .with("title", &self.title)
            .with("phone", &self.phone)
            .with("email", &self.email)
            .with("city", &self.city)
            .with("tax_number", &self.tax_number)
            .with("topic", &self.topic)
            .with("estimated_amount", &self.estimated_amount)
            .with("currency", &self.currency)
            .with("source", self.source.code())
            .with("status", self.status.code())
            .with("disqualified_reason", &self.disqualified_reason);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, _ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.name = check.field(&field::NAME);
        self.company = check.field(&field::COMPANY);
        self.title = check.field(&field::TITLE);
        self.phone = check.field(&field::PHONE);
        self.email = check.field(&field::EMAIL);
        self.city = check.field(&field::CITY);
        let number = form.get(field::TAX_NUMBER.name);
        let number = if number.chars().filter(|c| !c.is_whitespace()).count() == 11 {
            validate::tckn(number)
        } else {
            validate::vkn(number)
        };
        self.tax_number = number.unwrap_or_else(|p| {
            check.problem(field::TAX_NUMBER.name, p);
            String::new()
        });
        self.topic = check.field(&field::TOPIC);
        self.estimated_amount = check.field(&field::ESTIMATED_AMOUNT);
        self.currency = check.field(&field::CURRENCY);
        self.source = LeadSource::from_code(&check.field(&field::SOURCE)).unwrap_or_default();
        let status = LeadStatus::from_code(&check.field(&field::STATUS)).unwrap_or_default();
        self.disqualified_reason = check.field(&field::DISQUALIFIED_REASON);
        // A converted lead stays converted whatever the form says.
        if self.status != LeadStatus::Converted {
            self.status = status;
        }
        if self.status == LeadStatus::Disqualified && self.disqualified_reason.is_empty() {
            check.problem(field::DISQUALIFIED_REASON.name, Problem::Required);
        }
        record::apply_common(&mut check, self);
        check.finish()
    }

    fn title(&self) -> String {
        if self.company.is_empty() {
            self.name.clone()
        } else {
            format!("{} — {}", self.name, self.company)
        }
    }

    fn search_words(&self) -> String {
        format!(
            "{} {} {} {} {} {} {}",
            self.name, self.company, self.email, self.phone, self.city, self.tax_number, self.topic
        )
    }

    fn account(&self) -> &str {
        &self.converted_account
    }

    fn status(&self) -> Option<String> {
        Some(self.status.code().to_owned())
    }

    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        Some(("status", self.status.code().to_owned()))
    }
}

/// The records a conversion makes, before they are stored: `None` where an existing
/// record was used instead (see [`Reuse`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    pub account: Option<Account>,
    pub contact: Option<Contact>,
    pub opportunity: Opportunity,
}

/// The document IDs the converted records are stored under — for a reused account or
/// contact, that record's ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionIds {
    pub account: String,
    pub contact: String,
    pub opportunity: String,
}

/// Existing records a conversion uses instead of making new ones — the account and
/// contact the lead turned out to be already (offered by
/// [`crate::duplicates::matches_for`]). A reused record keeps every value it has; the
/// lead only fills what it lacks, and its consent log gains the lead's events.
#[derive(Debug, Default)]
pub struct Reuse<'a> {
    pub account: Option<&'a mut Account>,
    pub contact: Option<&'a mut Contact>,
}

/// `value` into `into` when `into` is empty.
fn fill(into: &mut String, value: &str) {
    if into.trim().is_empty() && !value.is_empty() {
        value.clone_into(into);
    }
}

impl Lead {
    /// The name the lead's account goes by: its company, or for a person the person.
    pub fn account_name(&self) -> &str {
        if self.company.is_empty() {
            &self.name
        } else {
            &self.company
        }
    }

    /// The party of the lead's account: a company when the lead names one.
    pub fn party(&self) -> Party {
        if self.company.is_empty() {
            Party::Person
        } else {
            Party::Company
        }
    }

    /// The lead's tax number when it suits its account's party (a VKN for a company, a
    /// TCKN for a person); empty otherwise.
    fn tax_number_for_account(&self) -> &str {
        if self.party().tax_number(&self.tax_number).is_ok() {
            &self.tax_number
        } else {
            ""
        }
    }

    /// Makes an account, a contact and an opportunity from the lead and marks the lead
    /// converted. The new records take the lead's team and owner; the opportunity
    /// starts in `first_stage`. Where `reuse` names an existing account or contact, that
    /// record is used instead of a new one and `ids` holds its ID: its empty fields are
    /// filled from the lead, a reused contact without an account joins the
    /// conversion's, and the lead's consent events are added to its log. A converted or
    /// disqualified lead is refused.
    pub fn convert(
        &mut self,
        lead_id: &str,
        ids: &ConversionIds,
        reuse: Reuse<'_>,
        first_stage: &str,
        ctx: &EditContext,
    ) -> Result<Conversion, EditError> {
        match self.status {
            LeadStatus::Converted => {
                return Err(EditError::Refused(WorkflowRefusal::LeadAlreadyConverted));
            }
            LeadStatus::Disqualified => {
                return Err(EditError::Refused(WorkflowRefusal::LeadDisqualified));
            }
            _ => {}
        }
        let scope = |record: &mut dyn record::HasCommon| {
            let common = record.common_mut();
            common.team.clone_from(&self.common.team);
            common.owner.clone_from(&self.common.owner);
        };
        let is_company = self.party() == Party::Company;
        let account_name = match &reuse.account {
            Some(existing) => existing.name.clone(),
            None => self.account_name().to_owned(),
        };
        let new_account = match reuse.account {
            Some(existing) => {
                fill(&mut existing.city, &self.city);
                if existing.party == self.party() {
                    fill(&mut existing.tax_number, self.tax_number_for_account());
                }
                if existing.party == Party::Person {
                    fill(&mut existing.phone, &self.phone);
                    fill(&mut existing.email, &self.email);
                }
                None
            }
            None => {
                let mut account = Account::blank(ctx);
                scope(&mut account);
                account.name.clone_from(&account_name);
                account.party = self.party();
                account.customer_type = CustomerType::Potential;
                account.city = self.city.clone();
                account.tax_number = self.tax_number_for_account().to_owned();
                if !is_company {
                    account.phone = self.phone.clone();
                    account.email = self.email.clone();
                }
                account.created(ctx);
                Some(account)
            }
        };

        let new_contact = match reuse.contact {
            Some(existing) => {
                fill(&mut existing.title, &self.title);
                fill(&mut existing.phone, &self.phone);
                fill(&mut existing.email, &self.email);
                fill(&mut existing.account, &ids.account);
                for event in &self.consents {
                    if !existing.consents.iter().any(|e| e.id == event.id) {
                        existing.consents.push(event.clone());
                    }
                }
                None
            }
            None => {
                let mut contact = Contact::blank(ctx);
                scope(&mut contact);
                contact.name = self.name.clone();
                contact.title = self.title.clone();
                contact.phone = self.phone.clone();
                contact.email = self.email.clone();
                contact.account = ids.account.clone();
                contact.consents = self.consents.clone();
                Some(contact)
            }
        };

        let mut opportunity = Opportunity::blank(ctx);
        scope(&mut opportunity);
        opportunity.name = if self.topic.is_empty() {
            account_name
        } else {
            self.topic.clone()
        };
        opportunity.account = ids.account.clone();
        opportunity.contact = ids.contact.clone();
        opportunity.amount = self.estimated_amount.clone();
        if !self.currency.is_empty() {
            opportunity.currency = self.currency.clone();
        }
        opportunity.lead = lead_id.to_owned();
        opportunity.move_to(first_stage, ctx);

        self.status = LeadStatus::Converted;
        self.converted_account = ids.account.clone();
        self.converted_contact = ids.contact.clone();
        self.converted_opportunity = ids.opportunity.clone();
        self.converted_at = ctx.now_ms;
        Ok(Conversion {
            account: new_account,
            contact: new_contact,
            opportunity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parties::{account, contact};
    use crate::record::{create, from_form, read, write};
    use crate::sales::opportunity;

    fn ctx(at: i64) -> EditContext {
        EditContext {
            now_ms: at,
            user: "u7".into(),
        }
    }

    fn ids() -> ConversionIds {
        ConversionIds {
            account: "A".into(),
            contact: "C".into(),
            opportunity: "O".into(),
        }
    }

    fn lead() -> Lead {
        let form = Form::new()
            .with("name", "Şule Çelik")
            .with("company", "Çelik Makina")
            .with("title", "Satın Alma Müdürü")
            .with("phone", "0532 444 55 66")
            .with("email", "sule@celikmakina.com.tr")
            .with("city", "Bursa")
            .with("topic", "CNC bakım sözleşmesi")
            .with("estimated_amount", "250.000")
            .with("currency", "TRY")
            .with("source", "event")
            .with("status", "qualified")
            .with("team", "brs")
            .with("notes", "Fuarda tanıştık.");
        from_form(&form, &ctx(1)).unwrap()
    }

    #[test]
    fn conversion_makes_account_contact_and_opportunity_without_retyping() {
        let mut lead = lead();
        let made = lead
            .convert("L", &ids(), Reuse::default(), "prospecting", &ctx(50))
            .unwrap();
        let (account, contact) = (made.account.clone().unwrap(), made.contact.clone().unwrap());
        assert_eq!(account.name, "Çelik Makina");
        assert_eq!(account.party, Party::Company);
        assert_eq!(account.city, "Bursa");
        assert_eq!(account.common.team, "brs");
        assert_eq!(account.lifecycle.len(), 1);
        assert_eq!(contact.name, "Şule Çelik");
        assert_eq!(contact.title, "Satın Alma Müdürü");
        assert_eq!(contact.phone, "+905324445566");
        assert_eq!(contact.account, "A");
        assert_eq!(made.opportunity.name, "CNC bakım sözleşmesi");
        assert_eq!(made.opportunity.amount, "250000");
        assert_eq!(
            (
                made.opportunity.account.as_str(),
                made.opportunity.contact.as_str()
            ),
            ("A", "C")
        );
        assert_eq!(
            (
                made.opportunity.stage.as_str(),
                made.opportunity.lead.as_str()
            ),
            ("prospecting", "L")
        );
        // The lead keeps its history and points at what it became.
        assert_eq!(lead.status, LeadStatus::Converted);
        assert_eq!(lead.common.notes, "Fuarda tanıştık.");
        assert_eq!(
            (lead.converted_account.as_str(), lead.converted_at),
            ("A", 50)
        );
        assert!(matches!(
            lead.convert("L", &ids(), Reuse::default(), "prospecting", &ctx(60)),
            Err(EditError::Refused(WorkflowRefusal::LeadAlreadyConverted))
        ));
        // Stored and read back, the records are what was made.
        for (doc, kind) in [
            (create(&account).unwrap(), account::KIND),
            (create(&contact).unwrap(), contact::KIND),
            (create(&made.opportunity).unwrap(), opportunity::KIND),
        ] {
            assert_eq!(crate::access::read_scope(&doc).0, kind);
        }
    }

    #[test]
    fn a_person_without_a_company_becomes_a_person_account() {
        let mut lead = lead();
        lead.company.clear();
        lead.tax_number = "10000000146".into();
        let made = lead
            .convert("L", &ids(), Reuse::default(), "prospecting", &ctx(2))
            .unwrap();
        let account = made.account.unwrap();
        assert_eq!(
            (account.name.as_str(), account.party),
            ("Şule Çelik", Party::Person)
        );
        assert_eq!(account.email, "sule@celikmakina.com.tr");
        assert_eq!(account.tax_number, "10000000146");
    }

    #[test]
    fn disqualifying_needs_a_reason_and_stops_conversion() {
        let mut lead = lead();
        let form = lead.form().with("status", "disqualified");
        assert_eq!(
            lead.apply(&form, &ctx(3)),
            Err(vec![("disqualified_reason", Problem::Required)])
        );
        lead.apply(&form.with("disqualified_reason", "Bütçe yok"), &ctx(3))
            .unwrap();
        assert!(matches!(
            lead.convert("L", &ids(), Reuse::default(), "prospecting", &ctx(4)),
            Err(EditError::Refused(WorkflowRefusal::LeadDisqualified))
        ));
    }

    #[test]
    fn conversion_written_on_one_device_and_an_edit_on_another_merge() {
        let base = create(&lead()).unwrap();
        let (mut a, mut b) = (base.fork(), base.fork());
        let mut converted: Lead = read(&a).unwrap();
        converted
            .convert("L", &ids(), Reuse::default(), "prospecting", &ctx(5))
            .unwrap();
        write(&mut a, &converted).unwrap();
        let mut edited: Lead = read(&b).unwrap();
        let form = edited.form().with("phone", "0212 000 11 22");
        edited.apply(&form, &ctx(6)).unwrap();
        write(&mut b, &edited).unwrap();
        a.merge(&mut b).unwrap();
        let merged: Lead = read(&a).unwrap();
        assert_eq!(merged.status, LeadStatus::Converted);
        assert_eq!(merged.phone, "+902120001122");
    }

    #[test]
    fn a_tax_number_is_a_checked_vkn_or_tckn_and_goes_to_the_account() {
        let mut lead = lead();
        let form = lead.form().with("tax_number", "123 456 7891");
        assert_eq!(
            lead.apply(&form, &ctx(3)),
            Err(vec![("tax_number", Problem::InvalidVkn)])
        );
        let form = lead.form().with("tax_number", "10000000145");
        assert_eq!(
            lead.apply(&form, &ctx(3)),
            Err(vec![("tax_number", Problem::InvalidTckn)])
        );
        let vkn = "4540536920";
        lead.apply(&lead.form().with("tax_number", "454 053 6920"), &ctx(3))
            .unwrap();
        let made = lead
            .clone()
            .convert("L", &ids(), Reuse::default(), "prospecting", &ctx(4))
            .unwrap();
        assert_eq!(made.account.unwrap().tax_number, vkn);
        // A TCKN does not fit a company's account, which is left without one.
        lead.apply(&lead.form().with("tax_number", "10000000146"), &ctx(5))
            .unwrap();
        let made = lead
            .convert("L", &ids(), Reuse::default(), "prospecting", &ctx(6))
            .unwrap();
        assert_eq!(made.account.unwrap().tax_number, "");
    }

    #[test]
    fn converting_into_existing_records_fills_only_their_gaps_and_makes_none() {
        let mut lead = lead();
        lead.consents.push(crate::parties::consent::ConsentEvent {
            id: "web-1".into(),
            ..Default::default()
        });
        let mut account = Account::blank(&ctx(1));
        account.name = "ÇELİK MAKİNA SAN. VE TİC. A.Ş.".into();
        account.city = "Gemlik".into();
        let mut contact = Contact::blank(&ctx(1));
        contact.name = "Şule Çelik".into();
        contact.phone = "+902240000000".into();
        contact
            .consents
            .push(crate::parties::consent::ConsentEvent {
                id: "old".into(),
                ..Default::default()
            });
        let ids = ConversionIds {
            account: "EXISTING-A".into(),
            contact: "EXISTING-C".into(),
            opportunity: "O".into(),
        };
        let mut converted = lead.clone();
        let made = converted
            .convert(
                "L",
                &ids,
                Reuse {
                    account: Some(&mut account),
                    contact: Some(&mut contact),
                },
                "prospecting",
                &ctx(9),
            )
            .unwrap();
        assert_eq!((made.account, made.contact), (None, None));
        // The existing values stay; the gaps are filled from the lead.
        assert_eq!(account.city, "Gemlik");
        assert_eq!(contact.phone, "+902240000000");
        assert_eq!(contact.email, "sule@celikmakina.com.tr");
        assert_eq!(contact.title, "Satın Alma Müdürü");
        assert_eq!(contact.account, "EXISTING-A");
        let logged: Vec<&str> = contact.consents.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(logged, ["old", "web-1"]);
        assert_eq!(
            (
                made.opportunity.account.as_str(),
                made.opportunity.contact.as_str()
            ),
            ("EXISTING-A", "EXISTING-C")
        );
        assert_eq!(made.opportunity.name, "CNC bakım sözleşmesi");
        assert_eq!(
            (
                converted.converted_account.as_str(),
                converted.converted_contact.as_str()
            ),
            ("EXISTING-A", "EXISTING-C")
        );
        // Without a topic the deal is named after the existing account.
        lead.topic.clear();
        let made = lead
            .convert(
                "L",
                &ids,
                Reuse {
                    account: Some(&mut account),
                    contact: None,
                },
                "prospecting",
                &ctx(10),
            )
            .unwrap();
        assert_eq!(made.opportunity.name, "ÇELİK MAKİNA SAN. VE TİC. A.Ş.");
        assert_eq!(made.contact.unwrap().account, "EXISTING-A");
    }
}
