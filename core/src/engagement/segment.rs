//! Segments: saved filters that pick the people of a campaign (schema version 1).
//!
//! A segment filters people — contacts, and accounts that are persons — by their
//! account's customer type, city, segment and tags, its last order date, its revenue
//! (issued and paid invoices in TRY), the satisfaction group of its rated cases, its
//! ABC class, gross margin and RFM scores ([`crate::analytics::profit`]), its group in the
//! satisfaction–loyalty matrix ([`crate::analytics::matrix`]), whether it is at risk or
//! silent ([`crate::analytics::retention`]), and the products it bought or did not
//! ("customers who bought X but not Y").
//! Segments are records like any other: saved, synced, evaluated offline on the device
//! against the records it holds, so the count is live.

use std::collections::HashMap;

use autosurgeon::{Hydrate, Reconcile};
use rust_decimal::Decimal;

use crate::parties::account::CustomerType;
use crate::parties::person::Person;
use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored};
use crate::text::fold::fold;

/// Value of the `kind` field of a segment document.
pub const KIND: &str = "segment";
pub const SCHEMA_VERSION: i64 = 1;

/// Satisfaction groups, from the mean rating of an account's cases.
pub const SATISFACTION_GROUPS: &[&str] = &["satisfied", "neutral", "unhappy"];

/// A segment as stored in its document.
pub type Segment = Stored<SegmentFields>;

/// The fields of a [`Segment`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct SegmentFields {
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
    /// An ABC class by margin (`A`, `B`, `C`), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub abc_class: String,
    /// Minimum gross margin in TRY (decimal text), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub min_margin: String,
    /// A group of the satisfaction–loyalty matrix, or `no_data`
    /// ([`LOYALTY_GROUPS`]), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub loyalty_group: String,
    /// `at_risk` or `silent` ([`RETENTION_STATES`]), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub retention: String,
    /// The ID of a product the account has bought, or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub bought_product: String,
    /// The ID of a product the account has not bought, or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub not_bought_product: String,
    /// The account's recency score as one of [`RFM_LEVELS`], or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub rfm_recency: String,
    /// Its frequency score as one of [`RFM_LEVELS`], or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub rfm_frequency: String,
    /// Its monetary score as one of [`RFM_LEVELS`], or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    #[serde(default)]
    pub rfm_monetary: String,
}

/// The RFM filters' choices: a score of 1–2 (`low`), 3 (`mid`) or 4–5 (`high`). With
/// the three together a segment picks the usual RFM groups: high-high-high are the
/// champions, low recency with high frequency or money the valuable customers slipping
/// away, low-low the hibernating ones, high recency with low frequency the new ones.
pub const RFM_LEVELS: &[&str] = &["low", "mid", "high"];

/// Whether an RFM score (1–5) is at `level` (one of [`RFM_LEVELS`]; "" is any).
pub fn rfm_level_holds(level: &str, score: u8) -> bool {
    match level {
        "" => true,
        "low" => score <= 2,
        "mid" => score == 3,
        "high" => score >= 4,
        _ => false,
    }
}

/// The loyalty-group filter's choices: the groups of the satisfaction–loyalty matrix
/// (`crate::analytics::matrix::Group`, in its order) and `no_data`.
pub const LOYALTY_GROUPS: &[&str] = &["dangerous", "captive", "mercenary", "advocate", "no_data"];

/// The retention filter's choices.
pub const RETENTION_STATES: &[&str] = &["at_risk", "silent"];

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
    pub const ABC_CLASS: FieldSpec = FieldSpec::new("abc_class", Input::Choice(&["A", "B", "C"]));
    pub const MIN_MARGIN: FieldSpec = FieldSpec::new("min_margin", Input::Decimal);
    pub const LOYALTY_GROUP: FieldSpec =
        FieldSpec::new("loyalty_group", Input::Choice(super::LOYALTY_GROUPS));
    pub const RETENTION: FieldSpec =
        FieldSpec::new("retention", Input::Choice(super::RETENTION_STATES));
    pub const BOUGHT_PRODUCT: FieldSpec = FieldSpec::new("bought_product", Input::Link("product"));
    pub const NOT_BOUGHT_PRODUCT: FieldSpec =
        FieldSpec::new("not_bought_product", Input::Link("product"));
    pub const RFM_RECENCY: FieldSpec =
        FieldSpec::new("rfm_recency", Input::Choice(super::RFM_LEVELS));
    pub const RFM_FREQUENCY: FieldSpec =
        FieldSpec::new("rfm_frequency", Input::Choice(super::RFM_LEVELS));
    pub const RFM_MONETARY: FieldSpec =
        FieldSpec::new("rfm_monetary", Input::Choice(super::RFM_LEVELS));
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
    field::ABC_CLASS,
    field::MIN_MARGIN,
    field::RFM_RECENCY,
    field::RFM_FREQUENCY,
    field::RFM_MONETARY,
    field::LOYALTY_GROUP,
    field::RETENTION,
    field::BOUGHT_PRODUCT,
    field::NOT_BOUGHT_PRODUCT,
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
            .with("loyalty_tier", &self.loyalty_tier)
            .with("abc_class", &self.abc_class)
            .with("min_margin", &self.min_margin)
            .with("rfm_recency", &self.rfm_recency)
            .with("rfm_frequency", &self.rfm_frequency)
            .with("rfm_monetary", &self.rfm_monetary)
            .with("loyalty_group", &self.loyalty_group)
            .with("retention", &self.retention)
            .with("bought_product", &self.bought_product)
            .with("not_bought_product", &self.not_bought_product);
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
        self.abc_class = check.field(&field::ABC_CLASS);
        self.min_margin = check.field(&field::MIN_MARGIN);
        self.rfm_recency = check.field(&field::RFM_RECENCY);
        self.rfm_frequency = check.field(&field::RFM_FREQUENCY);
        self.rfm_monetary = check.field(&field::RFM_MONETARY);
        self.loyalty_group = check.field(&field::LOYALTY_GROUP);
        self.retention = check.field(&field::RETENTION);
        self.bought_product = check.field(&field::BOUGHT_PRODUCT);
        self.not_bought_product = check.field(&field::NOT_BOUGHT_PRODUCT);
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
    /// The account's ABC class by TRY margin over all its sales (`A`, `B`, `C`; ""
    /// without TRY sales), with the default cut-offs.
    pub abc_class: String,
    /// Its gross margin in TRY over all its sales.
    pub margin_try: Decimal,
    /// Its RFM scores among the accounts with TRY sales — recency, frequency,
    /// monetary, each 1–5 — (`None` without).
    pub rfm: Option<[u8; 3]>,
    /// Its group in the satisfaction–loyalty matrix, `no_data`, or "" when the matrix
    /// does not count it.
    pub loyalty_group: &'static str,
    /// Overdue by the workspace's factor ([`crate::analytics::retention`]).
    pub at_risk: bool,
    /// No sale for the workspace's silent days.
    pub silent: bool,
    /// The products it has bought (IDs).
    pub products: std::collections::BTreeSet<String>,
}

impl Segment {
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
            || !self.loyalty_tier.is_empty()
            || !self.abc_class.is_empty()
            || !self.min_margin.is_empty()
            || !self.rfm_recency.is_empty()
            || !self.rfm_frequency.is_empty()
            || !self.rfm_monetary.is_empty()
            || !self.loyalty_group.is_empty()
            || !self.retention.is_empty()
            || !self.bought_product.is_empty()
            || !self.not_bought_product.is_empty();
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
            && (self.abc_class.is_empty() || self.abc_class == f.abc_class)
            && (self.min_margin.is_empty()
                || self
                    .min_margin
                    .parse::<Decimal>()
                    .is_ok_and(|min| !f.abc_class.is_empty() && f.margin_try >= min))
            && ((self.rfm_recency.is_empty()
                && self.rfm_frequency.is_empty()
                && self.rfm_monetary.is_empty())
                || f.rfm.is_some_and(|[recency, frequency, monetary]| {
                    rfm_level_holds(&self.rfm_recency, recency)
                        && rfm_level_holds(&self.rfm_frequency, frequency)
                        && rfm_level_holds(&self.rfm_monetary, monetary)
                }))
            && (self.loyalty_group.is_empty() || self.loyalty_group == f.loyalty_group)
            && (match self.retention.as_str() {
                "" => true,
                "at_risk" => f.at_risk,
                _ => f.silent,
            })
            && (self.bought_product.is_empty() || f.products.contains(&self.bought_product))
            && (self.not_bought_product.is_empty()
                || !f.products.contains(&self.not_bought_product))
            && (self.satisfaction.is_empty()
                || f.rating_x100
                    .is_some_and(|r| match self.satisfaction.as_str() {
                        "satisfied" => r >= 400,
                        "neutral" => (250..400).contains(&r),
                        _ => r < 250,
                    }))
    }
}
