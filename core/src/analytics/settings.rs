//! The workspace's analytics settings: where the ABC classes end, the thresholds of the
//! satisfaction–loyalty matrix, and when a customer counts as at risk or silent. Admins
//! set them (they live in the workspace index beside the service settings); every
//! device and the server's reports read the same values.

use autosurgeon::{Hydrate, Reconcile};

use crate::record::value::hydrate_int;

/// The analytics settings; [`Default`] gives the values the reports start with.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AnalyticsSettings {
    /// ABC: class A up to this share of the total margin, in percent.
    #[autosurgeon(hydrate = "hydrate_int")]
    pub abc_a: i64,
    /// ABC: class B up to this share, in percent (C after it).
    #[autosurgeon(hydrate = "hydrate_int")]
    pub abc_b: i64,
    /// Matrix: an account is satisfied from this satisfaction score (0–100) up.
    #[autosurgeon(hydrate = "hydrate_int")]
    pub satisfied_from: i64,
    /// Matrix: an account is loyal from this loyalty score (0–100) up.
    #[autosurgeon(hydrate = "hydrate_int")]
    pub loyal_from: i64,
    /// Matrix: the months of answers and purchases it looks back over.
    #[autosurgeon(hydrate = "hydrate_int")]
    pub matrix_months: i64,
    /// Retention: at risk when the days since the last sale exceed the usual interval
    /// between sales × this factor, in tenths (20 = 2.0 ×).
    #[autosurgeon(hydrate = "hydrate_int")]
    pub at_risk_factor_x10: i64,
    /// Retention: a customer silent this many days is suggested to be marked former.
    #[autosurgeon(hydrate = "hydrate_int")]
    pub silent_days: i64,
    /// Team performance: each rep's revenue goal per month.
    #[autosurgeon(missing = "Default::default")]
    pub goals: Vec<super::performance::SalesGoal>,
}

impl Default for AnalyticsSettings {
    fn default() -> Self {
        AnalyticsSettings {
            abc_a: 80,
            abc_b: 95,
            satisfied_from: 75,
            loyal_from: 50,
            matrix_months: 12,
            at_risk_factor_x10: 20,
            silent_days: 365,
            goals: Vec::new(),
        }
    }
}

impl AnalyticsSettings {
    /// The problems of these settings as an admin typed them (field, problem).
    pub fn problems(&self) -> crate::record::form::Problems {
        use crate::text::validate::Problem;
        let mut problems: crate::record::form::Problems = Vec::new();
        let mut range = |field: &'static str, value: i64, min: i64, max: i64| {
            if !(min..=max).contains(&value) {
                problems.push((field, Problem::NumberOutOfRange { min, max }));
            }
        };
        range("abc_a", self.abc_a, 1, 99);
        range("abc_b", self.abc_b, self.abc_a.clamp(1, 99), 99);
        range("satisfied_from", self.satisfied_from, 1, 100);
        range("loyal_from", self.loyal_from, 1, 100);
        range("matrix_months", self.matrix_months, 1, 60);
        range("at_risk_factor_x10", self.at_risk_factor_x10, 10, 100);
        range("silent_days", self.silent_days, 30, 3650);
        for goal in &self.goals {
            let month_ok = goal.month.len() == 7
                && crate::time::civil::Date::parse(&format!("{}-01", goal.month)).is_some();
            let amount_ok = goal
                .amount
                .trim()
                .parse::<rust_decimal::Decimal>()
                .is_ok_and(|a| a >= rust_decimal::Decimal::ZERO);
            if goal.member.is_empty() {
                problems.push(("goals", Problem::Required));
            }
            if !month_ok {
                problems.push(("goals", Problem::InvalidDate));
            }
            if !amount_ok {
                problems.push(("goals", Problem::InvalidNumber));
            }
        }
        problems
    }

    /// The ABC cut-offs (clamped into range, so a stored value out of range still
    /// gives classes).
    pub fn abc_cutoffs(&self) -> super::profit::AbcCutoffs {
        let a = self.abc_a.clamp(1, 99) as u8;
        super::profit::AbcCutoffs {
            a,
            b: (self.abc_b.clamp(1, 99) as u8).max(a),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_ranges_are_checked() {
        assert!(AnalyticsSettings::default().problems().is_empty());
        let wrong = AnalyticsSettings {
            abc_a: 90,
            abc_b: 85,
            at_risk_factor_x10: 5,
            ..AnalyticsSettings::default()
        };
        let fields: Vec<&str> = wrong.problems().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["abc_b", "at_risk_factor_x10"]);
        assert_eq!(
            wrong.abc_cutoffs(),
            super::super::profit::AbcCutoffs { a: 90, b: 90 }
        );
    }
}
