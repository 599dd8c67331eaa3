//! Survey figures: per survey campaign, how many were asked and answered (the response
//! rate), CSAT (mean score 1–5 and the share of satisfied answers, 4–5) or NPS
//! (promoters 9–10 minus detractors 0–6, in percent); and the workspace's satisfaction
//! across cases rated by agents and CSAT answers from customers.
//!
//! A person counts as asked once their message was sent (or may have been: an
//! uncertain delivery); queued and failed messages asked nobody. An answer from someone
//! whose delivery is not recorded (an older campaign) still counts as asked.

use crate::engagement::campaign::{Campaign, DeliveryState};
use crate::service::case::Case;

/// The figures of one survey campaign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurveyFigures {
    pub asked: usize,
    pub answered: usize,
    /// CSAT surveys: the mean score × 100.
    pub csat_x100: Option<i64>,
    /// CSAT surveys: the share of answers of 4 or 5, in percent.
    pub satisfied_percent: Option<i64>,
    /// NPS surveys: promoters minus detractors, in percent (−100…100).
    pub nps: Option<i64>,
}

impl SurveyFigures {
    /// Answers per person asked, in percent.
    pub fn response_rate_percent(&self) -> Option<i64> {
        (self.asked > 0).then(|| (self.answered * 100 / self.asked) as i64)
    }
}

/// The figures of `campaign` (all zero and `None` for a campaign that is no survey).
pub fn figures(campaign: &Campaign) -> SurveyFigures {
    if campaign.survey.is_empty() {
        return SurveyFigures::default();
    }
    let asked = campaign
        .deliveries
        .iter()
        .filter(|(_, d)| matches!(d.state, DeliveryState::Sent | DeliveryState::Uncertain))
        .map(|(person, _)| person)
        .chain(
            campaign
                .responses
                .keys()
                .filter(|p| !campaign.deliveries.contains_key(*p)),
        )
        .count();
    let scores: Vec<i64> = campaign.responses.values().map(|r| r.score).collect();
    let mut figures = SurveyFigures {
        asked,
        answered: scores.len(),
        ..SurveyFigures::default()
    };
    figures.score(&campaign.survey, &scores);
    figures
}

impl SurveyFigures {
    /// Sets the score figures of a survey of `kind` from its answers.
    fn score(&mut self, kind: &str, scores: &[i64]) {
        match kind {
            "csat" => {
                self.csat_x100 = mean_x100(scores);
                self.satisfied_percent = share(scores, |s| s >= 4);
            }
            "nps" => self.nps = nps(scores),
            _ => {}
        }
    }
}

/// The figures of every survey of `kind` (`csat` or `nps`) together.
pub fn totals<'a>(campaigns: impl IntoIterator<Item = &'a Campaign>, kind: &str) -> SurveyFigures {
    let mut total = SurveyFigures::default();
    let mut scores = Vec::new();
    for campaign in campaigns.into_iter().filter(|c| c.survey == kind) {
        let one = figures(campaign);
        total.asked += one.asked;
        total.answered += one.answered;
        scores.extend(campaign.responses.values().map(|r| r.score));
    }
    total.score(kind, &scores);
    total
}

/// Satisfaction on the 1–5 scale over the cases agents rated and the CSAT answers
/// customers gave: the mean × 100 and how many ratings it is of.
pub fn satisfaction<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    campaigns: impl IntoIterator<Item = &'a Campaign>,
) -> Option<(i64, usize)> {
    let mut ratings: Vec<i64> = cases
        .into_iter()
        .filter_map(|c| c.rating().map(i64::from))
        .collect();
    for campaign in campaigns.into_iter().filter(|c| c.survey == "csat") {
        ratings.extend(campaign.responses.values().map(|r| r.score));
    }
    mean_x100(&ratings).map(|m| (m, ratings.len()))
}

fn mean_x100(scores: &[i64]) -> Option<i64> {
    (!scores.is_empty()).then(|| scores.iter().sum::<i64>() * 100 / scores.len() as i64)
}

fn share(scores: &[i64], keep: impl Fn(i64) -> bool) -> Option<i64> {
    (!scores.is_empty())
        .then(|| scores.iter().filter(|s| keep(**s)).count() as i64 * 100 / scores.len() as i64)
}

/// Promoters (9–10) minus detractors (0–6), in percent of all answers.
pub fn nps(scores: &[i64]) -> Option<i64> {
    if scores.is_empty() {
        return None;
    }
    let promoters = scores.iter().filter(|s| **s >= 9).count() as i64;
    let detractors = scores.iter().filter(|s| **s <= 6).count() as i64;
    Some((promoters - detractors) * 100 / scores.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engagement::campaign::{Delivery, SurveyResponse};
    use crate::record::{self, EditContext};

    fn survey(
        kind: &str,
        delivered: &[(&str, DeliveryState)],
        answers: &[(&str, i64)],
    ) -> Campaign {
        let ctx = EditContext::new("u", 1);
        let mut c: Campaign = record::blank("campaign", 1, &ctx);
        c.survey = kind.to_owned();
        for (person, state) in delivered {
            c.deliveries.insert(
                (*person).to_owned(),
                Delivery {
                    state: *state,
                    ..Delivery::default()
                },
            );
        }
        for (person, score) in answers {
            c.responses.insert(
                (*person).to_owned(),
                SurveyResponse {
                    score: *score,
                    at: 2,
                },
            );
        }
        c
    }

    #[test]
    fn csat_and_response_rate_worked_by_hand() {
        use DeliveryState::*;
        // Five sent, one uncertain, one queued and one failed (not asked): six asked.
        let c = survey(
            "csat",
            &[
                ("a", Sent),
                ("b", Sent),
                ("c", Sent),
                ("d", Sent),
                ("e", Sent),
                ("f", Uncertain),
                ("g", Queued),
                ("h", Failed),
            ],
            &[("a", 5), ("b", 4), ("c", 2)],
        );
        let f = figures(&c);
        assert_eq!((f.asked, f.answered), (6, 3));
        assert_eq!(f.response_rate_percent(), Some(50));
        // (5 + 4 + 2) / 3 = 3.666… → 3.66; two of three satisfied → 66 %.
        assert_eq!(
            (f.csat_x100, f.satisfied_percent, f.nps),
            (Some(366), Some(66), None)
        );
    }

    #[test]
    fn nps_worked_by_hand_and_totals_pool_the_answers() {
        use DeliveryState::*;
        // 10, 9 promoters; 8, 7 passive; 6, 0 detractors: (2 − 2) / 6 = 0.
        let one = survey(
            "nps",
            &[("a", Sent), ("b", Sent), ("c", Sent)],
            &[("a", 10), ("b", 9), ("c", 0)],
        );
        let two = survey("nps", &[], &[("d", 8), ("e", 7), ("f", 6)]);
        assert_eq!(figures(&one).nps, Some(33));
        assert_eq!(
            figures(&two).asked,
            3,
            "answers without a recorded delivery were asked"
        );
        let all = totals([&one, &two], "nps");
        assert_eq!((all.asked, all.answered, all.nps), (6, 6, Some(0)));
        assert_eq!(totals([&one, &two], "csat"), SurveyFigures::default());
        assert_eq!(
            figures(&survey("", &[("a", Sent)], &[])),
            SurveyFigures::default()
        );
    }

    #[test]
    fn satisfaction_pools_agent_ratings_and_csat_answers() {
        let ctx = EditContext::new("u", 1);
        let mut rated: Case = record::blank("case", 1, &ctx);
        rated.satisfaction = "2".into();
        let unrated: Case = record::blank("case", 1, &ctx);
        let csat = survey("csat", &[], &[("a", 4), ("b", 5)]);
        let nps = survey("nps", &[], &[("c", 10)]);
        // (2 + 4 + 5) / 3 = 3.666… → 366, of three ratings; NPS answers are another scale.
        assert_eq!(
            satisfaction([&rated, &unrated], [&csat, &nps]),
            Some((366, 3))
        );
        assert_eq!(satisfaction([&unrated], []), None);
    }
}
