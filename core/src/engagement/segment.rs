//! Segments: saved filters that pick the people of a campaign (schema version 1).
//!
//! A segment filters people — contacts, and accounts that are persons — by their
//! account's customer type, city, segment and tags, its last order date, its revenue
//! (issued and paid invoices in TRY), and the satisfaction group of its rated cases.
//! Segments are records like any other: saved, synced, evaluated offline on the device
//! against the records it holds, so the count is live.

use std::collections::HashMap;

use autosurgeon::{Hydrate, Reconcile};
use rust_decimal::Decimal;

use crate::engagement::consent::{ConsentEvent, RecipientType};
use crate::impl_common;
use crate::kinds::Record;
use crate::parties::account::{Account, CustomerType, Party};
use crate::record::fold::fold;
use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, reconcile_text};

/// Value of the `kind` field of a segment document.
pub const KIND: &str = "segment";
pub const SCHEMA_VERSION: i64 = 1;

/// Satisfaction groups, from the mean rating of an account's cases.
pub const SATISFACTION_GROUPS: &[&str] = &["satisfied", "neutral", "unhappy"];

/// A segment as stored in its document.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Segment {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub kind: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub schema: i64,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub team: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub owner: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub created_at: i64,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub created_by: String,
    /// Free text, merged character by character.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "hydrate_any_string",
        reconcile = "reconcile_text"
    )]
    pub notes: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub name: String,
    /// A customer-type code, or "" for any.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub customer_type: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub city: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub account_segment: String,
    /// Any of these tags.
    #[autosurgeon(missing = "Default::default")]
    pub tags: Vec<String>,
    /// Last order on or after this date (`YYYY-MM-DD`), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub ordered_since: String,
    /// Minimum revenue in TRY (decimal text), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub min_revenue: String,
    /// One of [`SATISFACTION_GROUPS`], or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub satisfaction: String,
    /// A loyalty tier name (the workspace's tiers), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub loyalty_tier: String,
}

impl_common!(Segment);

/// The segment form's fields.
pub mod field {
    use crate::record::form::{FieldSpec, Input};

    pub const NAME: FieldSpec = FieldSpec::required("name", Input::Text);
    pub const CUSTOMER_TYPE: FieldSpec = FieldSpec::new(
        "customer_type",
        Input::Choice(crate::parties::account::CustomerType::CODES),
    );
    pub const CITY: FieldSpec = FieldSpec::new("city", Input::Text);
    pub const ACCOUNT_SEGMENT: FieldSpec = FieldSpec::new("account_segment", Input::Text);
    pub const TAGS: FieldSpec = FieldSpec::new("tags", Input::Tags);
    pub const ORDERED_SINCE: FieldSpec = FieldSpec::new("ordered_since", Input::Date);
    pub const MIN_REVENUE: FieldSpec = FieldSpec::new("min_revenue", Input::Decimal);
    pub const SATISFACTION: FieldSpec = FieldSpec::new(
        "satisfaction_group",
        Input::Choice(super::SATISFACTION_GROUPS),
    );
    pub const LOYALTY_TIER: FieldSpec = FieldSpec::new("loyalty_tier", Input::Text);
}

const FIELDS: &[FieldSpec] = &[
    field::NAME,
    field::CUSTOMER_TYPE,
    field::CITY,
    field::ACCOUNT_SEGMENT,
    field::TAGS,
    field::ORDERED_SINCE,
    field::MIN_REVENUE,
    field::SATISFACTION,
    field::LOYALTY_TIER,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Segment {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Segment {
        record::blank(KIND, SCHEMA_VERSION, ctx)
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("name", &self.name)
            .with("customer_type", &self.customer_type)
            .with("city", &self.city)
            .with("account_segment", &self.account_segment)
            .with("tags", crate::record::form::tags_text(&self.tags))
            .with("ordered_since", &self.ordered_since)
            .with("min_revenue", &self.min_revenue)
            .with("satisfaction_group", &self.satisfaction)
            .with("loyalty_tier", &self.loyalty_tier);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, _ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.name = check.field(&field::NAME);
        self.customer_type = check.field(&field::CUSTOMER_TYPE);
        self.city = check.field(&field::CITY);
        self.account_segment = check.field(&field::ACCOUNT_SEGMENT);
        self.tags = crate::record::form::split_tags(&check.field(&field::TAGS));
        self.ordered_since = check.field(&field::ORDERED_SINCE);
        self.min_revenue = check.field(&field::MIN_REVENUE);
        self.satisfaction = check.field(&field::SATISFACTION);
        self.loyalty_tier = check.field(&field::LOYALTY_TIER);
        record::apply_common(&mut check, self);
        check.finish()
    }

    fn title(&self) -> String {
        self.name.clone()
    }

    fn search_words(&self) -> String {
        self.name.clone()
    }

    fn account(&self) -> &str {
        ""
    }
}

/// What a segment needs to know about an account beyond its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFacts {
    /// Date of the newest order, `YYYY-MM-DD`.
    pub last_order: String,
    /// Issued and paid invoices in TRY, gross.
    pub revenue_try: Decimal,
    /// Mean satisfaction × 100 over rated cases and satisfaction-survey answers.
    pub rating_x100: Option<i64>,
    /// The loyalty tier the account's points reach ("" without points).
    pub loyalty_tier: String,
}

/// The facts of every account, from the records on the device.
pub fn facts<'a, K: ToString>(
    records: impl IntoIterator<Item = (K, &'a Record)>,
    tiers: &[crate::engagement::loyalty::Tier],
) -> HashMap<String, AccountFacts> {
    let mut facts: HashMap<String, AccountFacts> = HashMap::new();
    let mut ratings: HashMap<String, Vec<i64>> = HashMap::new();
    let records: Vec<(K, &Record)> = records.into_iter().collect();
    // Whose account a contact belongs to, for survey answers.
    let owners: HashMap<String, &str> = records
        .iter()
        .filter_map(|(id, r)| match r {
            Record::Contact(c) if !c.account.is_empty() => {
                Some((id.to_string(), c.account.as_str()))
            }
            _ => None,
        })
        .collect();
    let owners: HashMap<&str, &str> = owners.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    for (id, record) in &records {
        match record {
            Record::Sales(s)
                if s.kind == crate::sales::document::ORDER && !s.account.is_empty() =>
            {
                let date = crate::sales::document::date_of(s.created_at);
                let f = facts.entry(s.account.clone()).or_default();
                if date > f.last_order {
                    f.last_order = date;
                }
            }
            Record::Sales(s)
                if s.kind == crate::sales::document::INVOICE
                    && matches!(s.status.as_str(), "issued" | "paid")
                    && s.currency() == crate::sales::money::Currency::Try =>
            {
                if let Ok(totals) = s.totals() {
                    facts.entry(s.account.clone()).or_default().revenue_try += totals.gross;
                }
            }
            Record::Account(a) if !a.loyalty.is_empty() => {
                let earned = crate::engagement::loyalty::balance(&a.loyalty).earned;
                if let Some(tier) = crate::engagement::loyalty::tier(tiers, earned) {
                    facts.entry(id.to_string()).or_default().loyalty_tier = tier.name.clone();
                }
            }
            Record::Campaign(c) if c.survey == "csat" => {
                for (person, response) in &c.responses {
                    let account = owners.get(person.as_str()).copied().unwrap_or(person);
                    ratings
                        .entry(account.to_owned())
                        .or_default()
                        .push(response.score * 100);
                }
            }
            Record::Case(c) if !c.account.is_empty() => {
                if let Some(r) = c.rating() {
                    ratings
                        .entry(c.account.clone())
                        .or_default()
                        .push(i64::from(r) * 100);
                }
            }
            _ => {}
        }
    }
    for (account, list) in ratings {
        let mean = list.iter().sum::<i64>() / list.len() as i64;
        facts.entry(account).or_default().rating_x100 = Some(mean);
    }
    facts
}

/// Someone a campaign can reach: a contact, or an account that is a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Person<'a> {
    pub id: String,
    pub kind: &'static str,
    pub name: &'a str,
    pub phone: &'a str,
    pub mobile: &'a str,
    pub email: &'a str,
    pub birthday: &'a str,
    pub consents: &'a [ConsentEvent],
    pub recipient_type: RecipientType,
    /// The account (the person's own, for a person account).
    pub account: Option<(&'a str, &'a Account)>,
    /// The team the person's record belongs to ("" for everyone's).
    pub team: &'a str,
}

impl Person<'_> {
    /// The first word of the name.
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or("")
    }

    pub fn company(&self) -> &str {
        match self.account {
            Some((_, a)) if a.party == Party::Company => &a.name,
            _ => "",
        }
    }
}

/// Every person on the device: contacts (with their account) and person accounts.
pub fn people<'a>(records: &'a [(String, &'a Record)]) -> Vec<Person<'a>> {
    let accounts: HashMap<&str, &Account> = records
        .iter()
        .filter_map(|(id, r)| match r {
            Record::Account(a) => Some((id.as_str(), a)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (id, record) in records {
        match record {
            Record::Contact(c) => out.push(Person {
                id: id.clone(),
                kind: crate::parties::contact::KIND,
                name: &c.name,
                phone: &c.phone,
                mobile: &c.mobile,
                email: &c.email,
                birthday: &c.birthday,
                consents: &c.consents,
                recipient_type: RecipientType::Individual,
                account: accounts
                    .get_key_value(c.account.as_str())
                    .map(|(k, a)| (*k, *a)),
                team: &c.team,
            }),
            Record::Account(a) if a.party == Party::Person => out.push(Person {
                id: id.clone(),
                kind: crate::parties::account::KIND,
                name: &a.name,
                phone: &a.phone,
                mobile: &a.mobile,
                email: &a.email,
                birthday: &a.birthday,
                consents: &a.consents,
                recipient_type: RecipientType::Individual,
                account: Some((id.as_str(), a)),
                team: &a.team,
            }),
            _ => {}
        }
    }
    out
}

impl Segment {
    /// The people of the segment among `people` (from [`people`] over `records`, every
    /// record of the workspace), with the workspace's loyalty `tiers`.
    pub fn members<'p, 'a>(
        &self,
        people: &'p [Person<'a>],
        records: &[(String, &Record)],
        tiers: &[crate::engagement::loyalty::Tier],
    ) -> Vec<&'p Person<'a>> {
        let facts = facts(records.iter().map(|(k, r)| (k.clone(), *r)), tiers);
        people.iter().filter(|p| self.matches(p, &facts)).collect()
    }

    /// Whether `person` belongs to the segment. Filters on account fields leave out
    /// people without an account.
    pub fn matches(&self, person: &Person<'_>, facts: &HashMap<String, AccountFacts>) -> bool {
        let needs_account = !self.customer_type.is_empty()
            || !self.city.is_empty()
            || !self.account_segment.is_empty()
            || !self.tags.is_empty()
            || !self.ordered_since.is_empty()
            || !self.min_revenue.is_empty()
            || !self.satisfaction.is_empty()
            || !self.loyalty_tier.is_empty();
        let Some((account_id, account)) = person.account else {
            return !needs_account;
        };
        let none = AccountFacts::default();
        let f = facts.get(account_id).unwrap_or(&none);
        let same = |a: &str, b: &str| fold(a).trim() == fold(b).trim();
        (self.customer_type.is_empty()
            || CustomerType::from_code(&self.customer_type) == Some(account.customer_type))
            && (self.city.is_empty() || same(&self.city, &account.city))
            && (self.account_segment.is_empty() || same(&self.account_segment, &account.segment))
            && (self.tags.is_empty()
                || self
                    .tags
                    .iter()
                    .any(|t| account.tags.iter().any(|at| same(t, at))))
            && (self.ordered_since.is_empty()
                || (!f.last_order.is_empty() && f.last_order >= self.ordered_since))
            && (self.min_revenue.is_empty()
                || self
                    .min_revenue
                    .parse::<Decimal>()
                    .is_ok_and(|min| f.revenue_try >= min))
            && (self.loyalty_tier.is_empty() || same(&self.loyalty_tier, &f.loyalty_tier))
            && (self.satisfaction.is_empty()
                || f.rating_x100
                    .is_some_and(|r| match self.satisfaction.as_str() {
                        "satisfied" => r >= 400,
                        "neutral" => (250..400).contains(&r),
                        _ => r < 250,
                    }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parties::contact::Contact;
    use crate::record::EditContext;

    #[test]
    fn segments_filter_people_by_their_account() {
        let ctx = EditContext::new("u1", 0);
        let mut izmir = Account::blank(&ctx);
        izmir.name = "Ege Tekstil".into();
        izmir.city = "İzmir".into();
        izmir.customer_type = CustomerType::Current;
        izmir.tags = vec!["ihracat".into()];
        izmir.loyalty.push(crate::engagement::loyalty::LedgerEntry {
            id: "e".into(),
            at: 1,
            points: 1_500,
            invoice: "I1".into(),
            note: String::new(),
            by: "u1".into(),
        });
        let mut ankara = Account::blank(&ctx);
        ankara.name = "Başkent Gıda".into();
        ankara.city = "Ankara".into();
        let contact = |name: &str, account: &str| {
            let mut c = Contact::blank(&ctx);
            c.name = name.into();
            c.account = account.into();
            Record::Contact(c)
        };
        let mut order = crate::sales::document::SalesDocument::new(
            crate::sales::document::ORDER,
            &EditContext::new("u1", 1_780_000_000_000),
        );
        order.account = "A1".into();
        let records: Vec<(String, Record)> = vec![
            ("A1".into(), Record::Account(izmir)),
            ("A2".into(), Record::Account(ankara)),
            ("C1".into(), contact("Ayşe Kaya", "A1")),
            ("C2".into(), contact("Mehmet Demir", "A2")),
            ("C3".into(), contact("Serbest Kişi", "")),
            ("O1".into(), Record::Sales(order)),
        ];
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let people = people(&refs);
        let facts = facts(
            refs.iter().map(|(k, r)| (k.clone(), *r)),
            &crate::engagement::loyalty::default_tiers(),
        );
        let names = |s: &Segment| -> Vec<&str> {
            people
                .iter()
                .filter(|p| s.matches(p, &facts))
                .map(|p| p.name)
                .collect()
        };
        let mut s = Segment::blank(&ctx);
        assert_eq!(names(&s).len(), 3, "no filter: everyone");
        s.city = "IZMIR".into();
        assert_eq!(names(&s), ["Ayşe Kaya"], "Turkish-aware city match");
        s.city.clear();
        s.tags = vec!["İhracat".into()];
        s.customer_type = "current".into();
        assert_eq!(names(&s), ["Ayşe Kaya"]);
        s.tags.clear();
        s.customer_type.clear();
        s.ordered_since = "2026-01-01".into();
        assert_eq!(names(&s), ["Ayşe Kaya"], "ordered in 2026");
        s.ordered_since = "2027-01-01".into();
        assert!(names(&s).is_empty());
        s.ordered_since.clear();
        s.loyalty_tier = "GÜMÜŞ".into();
        assert_eq!(names(&s), ["Ayşe Kaya"], "1,500 points: the Gümüş tier");
        assert_eq!(people[0].first_name(), "Ayşe");
        assert_eq!(people[0].company(), "Ege Tekstil");
    }

    #[test]
    fn survey_answers_feed_the_account_satisfaction() {
        let ctx = EditContext::new("u1", 0);
        let mut contact = Contact::blank(&ctx);
        contact.account = "A1".into();
        let mut survey = crate::engagement::campaign::Campaign::blank(&ctx);
        survey.survey = "csat".into();
        survey.responses.insert(
            "C1".into(),
            crate::engagement::campaign::SurveyResponse { score: 2, at: 5 },
        );
        let records: Vec<(String, Record)> = vec![
            ("A1".into(), Record::Account(Account::blank(&ctx))),
            ("C1".into(), Record::Contact(contact)),
            ("S1".into(), Record::Campaign(survey)),
        ];
        let facts = facts(
            records.iter().map(|(k, r)| (k.clone(), r)),
            &crate::engagement::loyalty::default_tiers(),
        );
        assert_eq!(facts["A1"].rating_x100, Some(200));
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let people = people(&refs);
        let mut unhappy = Segment::blank(&ctx);
        unhappy.satisfaction = "unhappy".into();
        assert_eq!(
            people.iter().filter(|p| unhappy.matches(p, &facts)).count(),
            1
        );
    }
}
