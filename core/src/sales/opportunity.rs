//! The opportunity record and the sales pipeline (schema version 1).
//!
//! An opportunity moves through the workspace's pipeline: open stages, each with a win
//! probability, then `won` or `lost` (every pipeline ends in these two; a lost
//! opportunity needs a reason). Each stage change is logged with when and who. The
//! weighted forecast sums amount × probability by expected close month and currency.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use rust_decimal::Decimal;

use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored, Transition};
use crate::sales::money::Currency;
use crate::text::validate::Problem;

/// Value of the `kind` field of an opportunity document.
pub const KIND: &str = "opportunity";
pub const SCHEMA_VERSION: i64 = 1;
/// The stage of a won opportunity, in every pipeline.
pub const WON: &str = "won";
/// The stage of a lost opportunity, in every pipeline.
pub const LOST: &str = "lost";

/// One stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Stage {
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub code: String,
    /// Display name; empty for the built-in stages, which the UI names in the user's
    /// language.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub name: String,
    /// Chance of winning, 0–100.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub probability: i64,
}

impl Stage {
    fn builtin(code: &str, probability: i64) -> Stage {
        Stage {
            code: code.to_owned(),
            name: String::new(),
            probability,
        }
    }

    pub fn is_closed(&self) -> bool {
        self.code == WON || self.code == LOST
    }
}

/// The open stages of a workspace that has not defined its own.
pub fn default_open_stages() -> Vec<Stage> {
    vec![
        Stage::builtin("prospecting", 10),
        Stage::builtin("qualification", 25),
        Stage::builtin("proposal", 50),
        Stage::builtin("negotiation", 75),
    ]
}

/// A full pipeline: the given open stages (in order), then `won` (100 %) and `lost`
/// (0 %). Stages named `won` or `lost` among the open ones are dropped, and so are
/// repeated codes; probabilities are clamped to 0–100.
pub fn pipeline(open: Vec<Stage>) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for mut stage in open {
        if stage.code.is_empty() || stage.is_closed() || stages.iter().any(|s| s.code == stage.code)
        {
            continue;
        }
        stage.probability = stage.probability.clamp(0, 100);
        stages.push(stage);
    }
    stages.push(Stage::builtin(WON, 100));
    stages.push(Stage::builtin(LOST, 0));
    stages
}

/// An opportunity as stored in its document.
pub type Opportunity = Stored<OpportunityFields>;

/// The fields of a [`Opportunity`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct OpportunityFields {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub name: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub account: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub contact: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub stage: String,
    /// Decimal text, e.g. `125000.50`; empty if not estimated.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub amount: String,
    /// ISO 4217 code.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub currency: String,
    /// `YYYY-MM-DD`.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub close_date: String,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub lost_reason: String,
    /// The lead this opportunity was converted from, if any.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub lead: String,
    #[autosurgeon(missing = "Default::default")]
    pub history: Vec<Transition>,
}

/// The opportunity form's fields.
pub mod field {
    use crate::record::form::{FieldSpec, Input};

    pub const NAME: FieldSpec = FieldSpec::required("name", Input::Text);
    pub const ACCOUNT: FieldSpec =
        FieldSpec::required("account", Input::Link(crate::parties::account::KIND));
    pub const CONTACT: FieldSpec =
        FieldSpec::new("contact", Input::Link(crate::parties::contact::KIND));
    /// Offered from the workspace's pipeline.
    pub const STAGE: FieldSpec = FieldSpec::required("stage", Input::Text);
    pub const AMOUNT: FieldSpec = FieldSpec::new("amount", Input::Decimal);
    pub const CURRENCY: FieldSpec =
        FieldSpec::required("currency", Input::Choice(&["TRY", "USD", "EUR"]));
    pub const CLOSE_DATE: FieldSpec = FieldSpec::new("close_date", Input::Date);
    /// Required when the stage is `lost`.
    pub const LOST_REASON: FieldSpec = FieldSpec::new("lost_reason", Input::Text);
}

const FIELDS: &[FieldSpec] = &[
    field::NAME,
    field::ACCOUNT,
    field::CONTACT,
    field::STAGE,
    field::AMOUNT,
    field::CURRENCY,
    field::CLOSE_DATE,
    field::LOST_REASON,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Opportunity {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Opportunity {
        let mut opportunity: Opportunity = record::blank(KIND, SCHEMA_VERSION, ctx);
        opportunity.currency = Currency::Try.code().to_owned();
        opportunity
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("name", &self.name)
            .with("account", &self.account)
            .with("contact", &self.contact)
            .with("stage", &self.stage)
            .with("amount", &self.amount)
            .with("currency", &self.currency)
            .with("close_date", &self.close_date)
            .with("lost_reason", &self.lost_reason);
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.name = check.field(&field::NAME);
        self.account = check.field(&field::ACCOUNT);
        self.contact = check.field(&field::CONTACT);
        let stage = check.field(&field::STAGE);
        self.amount = check.field(&field::AMOUNT);
        self.currency = check.field(&field::CURRENCY);
        self.close_date = check.field(&field::CLOSE_DATE);
        self.lost_reason = check.field(&field::LOST_REASON);
        if stage == LOST && self.lost_reason.is_empty() {
            check.problem(field::LOST_REASON.name, Problem::Required);
        }
        record::apply_common(&mut check, self);
        check.finish()?;
        self.move_to(&stage, ctx);
        Ok(())
    }

    fn title(&self) -> String {
        self.name.clone()
    }

    fn search_words(&self) -> String {
        self.name.clone()
    }

    fn account(&self) -> &str {
        &self.account
    }

    fn status(&self) -> Option<String> {
        Some(self.stage.clone())
    }

    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        Some(("stage", self.stage.clone()))
    }
}

impl Opportunity {
    /// Moves the opportunity to `stage`, logging the change. Moving to `lost` keeps the
    /// reason already given (the form requires one); returns whether the stage changed.
    pub fn move_to(&mut self, stage: &str, ctx: &EditContext) -> bool {
        if stage == self.stage || stage.is_empty() {
            return false;
        }
        let step = Transition::new(ctx, &self.stage, stage);
        self.history.push(step);
        self.stage = stage.to_owned();
        true
    }

    pub fn amount(&self) -> Decimal {
        self.amount.parse().unwrap_or_default()
    }

    pub fn currency(&self) -> Currency {
        Currency::from_code(&self.currency).unwrap_or(Currency::Try)
    }

    pub fn is_open(&self) -> bool {
        self.stage != WON && self.stage != LOST
    }
}

/// One row of the weighted forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastRow {
    /// `YYYY-MM` of the expected close, or "" for opportunities without a date.
    pub month: String,
    pub currency: Currency,
    /// Σ amount of the open opportunities.
    pub total: Decimal,
    /// Σ amount × stage probability of the open opportunities.
    pub weighted: Decimal,
    /// How many open opportunities.
    pub count: usize,
    /// Σ amount of the opportunities already won (shown apart: they are no longer a
    /// forecast).
    pub won: Decimal,
}

/// The weighted forecast of `opportunities` by close month and currency: open
/// opportunities count, each weighted by its stage's probability; won ones are summed
/// apart; lost ones and those in stages the pipeline no longer has do not count.
pub fn forecast<'a>(
    opportunities: impl IntoIterator<Item = &'a Opportunity>,
    stages: &[Stage],
) -> Vec<ForecastRow> {
    let mut rows: BTreeMap<(String, Currency), ForecastRow> = BTreeMap::new();
    for opportunity in opportunities {
        let Some(stage) = stages.iter().find(|s| s.code == opportunity.stage) else {
            continue;
        };
        if stage.code == LOST {
            continue;
        }
        let month: String = opportunity.close_date.chars().take(7).collect();
        let currency = opportunity.currency();
        let amount = opportunity.amount();
        let row = rows
            .entry((month.clone(), currency))
            .or_insert_with(|| ForecastRow {
                month,
                currency,
                total: Decimal::ZERO,
                weighted: Decimal::ZERO,
                count: 0,
                won: Decimal::ZERO,
            });
        if stage.code == WON {
            row.won += amount;
            continue;
        }
        row.total += amount;
        row.weighted += crate::sales::money::round_to_cents(
            amount * Decimal::from(stage.probability) / Decimal::ONE_HUNDRED,
        );
        row.count += 1;
    }
    rows.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{EditError, from_form};

    fn ctx(at: i64) -> EditContext {
        EditContext {
            now_ms: at,
            user: "u1".into(),
        }
    }

    fn form(stage: &str, amount: &str, close: &str, currency: &str) -> Form {
        Form::new()
            .with("name", "Yıllık bakım")
            .with("account", "acc")
            .with("stage", stage)
            .with("amount", amount)
            .with("currency", currency)
            .with("close_date", close)
    }

    #[test]
    fn losing_needs_a_reason_and_stage_moves_are_logged() {
        let mut opportunity: Opportunity =
            from_form(&form("prospecting", "1000", "", "TRY"), &ctx(1)).unwrap();
        assert_eq!(opportunity.history.len(), 1);
        let lost = form(LOST, "1000", "", "TRY");
        assert_eq!(
            opportunity.apply(&lost, &ctx(2)),
            Err(vec![("lost_reason", Problem::Required)])
        );
        assert_eq!(opportunity.stage, "prospecting");
        opportunity
            .apply(&lost.with("lost_reason", "Fiyat"), &ctx(3))
            .unwrap();
        assert_eq!(opportunity.stage, LOST);
        let moves: Vec<(&str, &str)> = opportunity
            .history
            .iter()
            .map(|c| (c.from.as_str(), c.to.as_str()))
            .collect();
        assert_eq!(moves, [("", "prospecting"), ("prospecting", LOST)]);
        assert!(matches!(
            from_form::<Opportunity>(&Form::new(), &ctx(1)),
            Err(EditError::Invalid(p)) if p.len() == 4
        ));
    }

    #[test]
    fn weighted_forecast_by_month_and_currency() {
        let stages = pipeline(default_open_stages());
        let made: Vec<Opportunity> = [
            ("proposal", "10000", "2026-12-15", "TRY"), // 50 % → 5 000
            ("negotiation", "2500,50", "2026-12-01", "TRY"), // 75 % → 1 875,375 → 1 875,38
            (WON, "400", "2026-12-20", "TRY"),          // apart
            (LOST, "99999", "2026-12-20", "TRY"),       // not counted
            ("prospecting", "1000", "2027-01-10", "EUR"), // 10 % → 100
        ]
        .into_iter()
        .map(|(stage, amount, close, currency)| {
            let mut f = form(stage, amount, close, currency);
            f.set("lost_reason", "Rakip");
            from_form(&f, &ctx(1)).unwrap()
        })
        .collect();
        let rows = forecast(&made, &stages);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].month.as_str(), rows[0].currency),
            ("2026-12", Currency::Try)
        );
        assert_eq!(rows[0].count, 2, "open deals only");
        assert_eq!(rows[0].total, Decimal::new(1250050, 2));
        assert_eq!(rows[0].weighted, Decimal::new(687538, 2));
        assert_eq!(rows[0].won, Decimal::new(400, 0));
        assert_eq!(rows[1].won, Decimal::ZERO);
        assert_eq!(
            (rows[1].month.as_str(), rows[1].weighted),
            ("2027-01", Decimal::new(100, 0))
        );
    }

    #[test]
    fn pipelines_always_end_in_won_and_lost() {
        let custom = vec![
            Stage {
                code: "demo".into(),
                name: "Demo".into(),
                probability: 30,
            },
            Stage {
                code: "won".into(),
                name: "x".into(),
                probability: 5,
            },
            Stage {
                code: "demo".into(),
                name: "again".into(),
                probability: 40,
            },
            Stage {
                code: "po".into(),
                name: "Satın alma".into(),
                probability: 140,
            },
        ];
        let codes: Vec<(String, i64)> = pipeline(custom)
            .into_iter()
            .map(|s| (s.code, s.probability))
            .collect();
        assert_eq!(
            codes,
            [
                ("demo".to_owned(), 30),
                ("po".to_owned(), 100),
                (WON.to_owned(), 100),
                (LOST.to_owned(), 0)
            ]
        );
    }
}
