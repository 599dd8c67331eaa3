use super::*;
use crate::engagement::campaign::{Campaign, SurveyResponse};
use crate::kinds::Record;
use crate::parties::account::Account;
use crate::parties::contact::Contact;
use crate::record::{EditContext, RecordType};
use crate::sales::document::{ORDER, SalesDocument};
use crate::service::case::Case;

fn ms(date: &str) -> i64 {
    Date::parse(date).unwrap().days_since_epoch() * DAY_MS + 12 * 3_600_000
}

fn ctx(date: &str) -> EditContext {
    EditContext::new("u", ms(date))
}

fn account(customer_type: CustomerType) -> Record {
    let mut a = Account::blank(&ctx("2020-01-01"));
    a.name = "A".into();
    a.customer_type = customer_type;
    Record::Account(a)
}

fn order(account: &str, date: &str) -> Record {
    let mut d = SalesDocument::new(ORDER, &ctx(date));
    d.account = account.into();
    d.status = "open".into();
    Record::Sales(d)
}

fn rated_case(account: &str, rating: &str, date: &str, deleted: bool) -> Record {
    let mut c = Case::blank(&ctx(date));
    c.account = account.into();
    c.satisfaction = rating.into();
    if deleted {
        c.common.deleted_at = ms(date);
    }
    Record::Case(c)
}

fn survey(kind: &str, answers: &[(&str, i64, &str)]) -> Record {
    let mut c: Campaign = crate::record::blank("campaign", 1, &ctx("2026-01-01"));
    c.survey = kind.into();
    for (person, score, date) in answers {
        c.responses.insert(
            (*person).into(),
            SurveyResponse {
                score: *score,
                at: ms(date),
            },
        );
    }
    Record::Campaign(c)
}

fn contact_of(account: &str) -> Record {
    let mut c = Contact::blank(&ctx("2020-01-01"));
    c.account = account.into();
    Record::Contact(c)
}

/// Every cell and the no-data bucket, worked out by hand (see each account's comment).
#[test]
fn a_matrix_with_every_cell_and_the_no_data_bucket() {
    use CustomerType::{Current, Potential};
    let records: Vec<(String, Record)> = [
        ("a1", account(Current)),
        ("a2", account(Current)),
        ("a3", account(Potential)),
        ("a4", account(Current)),
        ("a5", account(Current)),
        ("a6", account(Potential)),
        ("a7", account(Potential)),
        ("c3", contact_of("a3")),
        // a1: one sale 60 days ago (last part; tenure 60 × 100 / 1095 = 5), case rated
        // 2 (25): loyalty (75·25 + 25·5) / 100 = 20 → dangerous.
        ("o1", order("a1", "2026-11-01")),
        ("k1", rated_case("a1", "2", "2026-10-01", false)),
        // a2: a sale in each part, first over three years ago: loyalty 100; CSAT 2 → 25
        // → captive.
        ("o2a", order("a2", "2023-06-01")),
        ("o2b", order("a2", "2026-02-01")),
        ("o2c", order("a2", "2026-05-01")),
        ("o2d", order("a2", "2026-08-01")),
        ("o2e", order("a2", "2026-11-01")),
        // a3: CSAT 5 from its contact and NPS 9 from the account itself → (100 + 90) / 2
        // = 95; one sale: (60·25 + 20·5 + 20·90) / 100 = 34 → mercenary.
        ("o3", order("a3", "2026-11-01")),
        (
            "csat",
            survey("csat", &[("c3", 5, "2026-11-10"), ("a2", 2, "2026-03-01")]),
        ),
        ("nps", survey("nps", &[("a3", 9, "2026-11-11")])),
        // a4: rated 4 (75, exactly the threshold); sales in two parts, first 2022:
        // (75·50 + 25·100) / 100 = 62 → advocate.
        ("o4a", order("a4", "2022-01-10")),
        ("o4b", order("a4", "2026-04-15")),
        ("o4c", order("a4", "2026-12-01")),
        ("k4", rated_case("a4", "4", "2026-06-01", false)),
        // a5: a current customer whose only rating is in the bin → no data (loyalty still
        // shown: one sale in the second part, 213 days ago → (75·25 + 25·19) / 100 = 23).
        ("o5", order("a5", "2026-06-01")),
        ("k5", rated_case("a5", "1", "2026-06-01", true)),
        // a6: a prospect with nothing → not counted. a7: a rating two years ago → not
        // counted.
        ("k7", rated_case("a7", "5", "2024-12-01", false)),
    ]
    .into_iter()
    .map(|(id, r)| (id.to_owned(), r))
    .collect();
    let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
    let signals = Signals::gather(&refs);
    let today = Date::parse("2026-12-31").unwrap();
    let matrix = Matrix::compute(&signals, &AnalyticsSettings::default(), today);
    let seen: Vec<(&str, Option<i64>, i64, Option<Group>)> = matrix
        .standings
        .iter()
        .map(|s| {
            (
                s.account.as_str(),
                s.satisfaction,
                s.loyalty.score(),
                s.group,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("a1", Some(25), 20, Some(Group::Dangerous)),
            ("a2", Some(25), 100, Some(Group::Captive)),
            ("a3", Some(95), 34, Some(Group::Mercenary)),
            ("a4", Some(75), 62, Some(Group::Advocate)),
            ("a5", None, 23, None),
        ]
    );
    assert_eq!(matrix.counts, [1, 1, 1, 1]);
    assert_eq!(matrix.no_data, 1);
    assert_eq!(matrix.since, "2025-12-31");
    assert_eq!(matrix.standings[2].opinions, 2);
    assert_eq!(matrix.codes().get("a5"), Some(&NO_DATA));

    // Stricter thresholds move a4 out of the satisfied half and a2 out of the loyal.
    let strict = AnalyticsSettings {
        satisfied_from: 80,
        loyal_from: 100,
        ..AnalyticsSettings::default()
    };
    let matrix = Matrix::compute(&signals, &strict, today);
    let a4 = matrix.standings.iter().find(|s| s.account == "a4").unwrap();
    assert_eq!(a4.group, Some(Group::Dangerous));
    let a2 = matrix.standings.iter().find(|s| s.account == "a2").unwrap();
    assert_eq!(a2.group, Some(Group::Captive));
}

#[test]
fn loyalty_blends_its_parts() {
    let with_nps = Loyalty {
        repeat: 50,
        tenure: 100,
        recommendation: Some(0),
    };
    assert_eq!(with_nps.score(), 50);
    let without = Loyalty {
        recommendation: None,
        ..with_nps
    };
    assert_eq!(without.score(), 62);
    assert_eq!(Group::from_code("captive"), Some(Group::Captive));
    assert_eq!(Group::of(true, true).code(), "advocate");
}

/// (group order, account, satisfaction, opinions, loyalty parts, group)
type Placed = (u8, String, Option<i64>, usize, Loyalty, Option<Group>);

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
    /// Over random accounts, sales, case ratings and NPS answers, each account's place
    /// equals one worked out account by account from the gathered opinions and the sale
    /// days; the counts add up to the accounts placed.
    #[test]
    fn the_matrix_equals_a_recomputation_account_by_account(
        kinds in proptest::collection::vec(0..3usize, 5),
        sold in proptest::collection::vec((0..5usize, -1200..20i64), 0..30),
        rated in proptest::collection::vec((0..5usize, 1..=5u8, -500..20i64), 0..20),
        nps in proptest::collection::vec(proptest::collection::vec((0..5usize, 0..=10i64, -500..20i64), 0..5), 0..3),
        satisfied_from in 1..100i64,
        loyal_from in 1..100i64,
        months in 1..24i64,
    ) {
        let today = Date::parse("2026-12-04").unwrap();
        let today_day = today.days_since_epoch();
        let date = |offset: i64| Date::from_days_since_epoch(today_day + offset).to_string();
        let types = [CustomerType::Current, CustomerType::Potential, CustomerType::Former];
        let mut records: Vec<(String, Record)> =
            (0..5).map(|i| (format!("a{i}"), account(types[kinds[i]]))).collect();
        for (n, (who, day)) in sold.iter().enumerate() {
            records.push((format!("o{n}"), order(&format!("a{who}"), &date(*day))));
        }
        for (n, (who, rating, day)) in rated.iter().enumerate() {
            records.push((format!("c{n}"), rated_case(&format!("a{who}"), &rating.to_string(), &date(*day), false)));
        }
        for (n, answers) in nps.iter().enumerate() {
            let answers: Vec<(String, i64, String)> = answers
                .iter()
                .map(|(who, score, day)| (format!("a{who}"), *score, date(*day)))
                .collect();
            let refs: Vec<(&str, i64, &str)> =
                answers.iter().map(|(p, s, d)| (p.as_str(), *s, d.as_str())).collect();
            records.push((format!("s{n}"), survey("nps", &refs)));
        }
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let signals = Signals::gather(&refs);
        let settings = AnalyticsSettings {
            satisfied_from,
            loyal_from,
            matrix_months: months,
            ..AnalyticsSettings::default()
        };
        let matrix = Matrix::compute(&signals, &settings, today);

        let start_day = today.add_months(-months).unwrap().days_since_epoch();
        let span = today_day - start_day + 1;
        let mut expected: Vec<Placed> = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            let id = format!("a{i}");
            let days: Vec<i64> = sold
                .iter()
                .filter(|(who, day)| *who == i && *day <= 0)
                .map(|(_, day)| today_day + day)
                .collect();
            let mut parts = [false; 4];
            for day in days.iter().filter(|d| **d >= start_day) {
                parts[((day - start_day) * 4 / span) as usize] = true;
            }
            let in_period: Vec<&crate::analytics::signals::Opinion> = signals
                .opinions
                .iter()
                .filter(|o| o.account == id && o.at >= start_day * DAY_MS && o.at < (today_day + 1) * DAY_MS)
                .collect();
            let mut latest: Option<(i64, i64)> = None;
            for o in &in_period {
                if matches!(o.score, Score::Nps(_)) && latest.is_none_or(|(at, _)| o.at >= at) {
                    latest = Some((o.at, o.score.points()));
                }
            }
            let sold_in_period = parts.iter().any(|p| *p);
            if !sold_in_period && in_period.is_empty() && types[*kind] != CustomerType::Current {
                continue;
            }
            let loyalty = Loyalty {
                repeat: parts.iter().filter(|p| **p).count() as i64 * 25,
                tenure: days.iter().min().map_or(0, |first| (today_day - first).min(3 * 365) * 100 / (3 * 365)),
                recommendation: latest.map(|(_, points)| points),
            };
            let satisfaction = (!in_period.is_empty()).then(|| {
                in_period.iter().map(|o| o.score.points()).sum::<i64>() / in_period.len() as i64
            });
            let group = satisfaction.map(|s| Group::of(s >= satisfied_from, loyalty.score() >= loyal_from));
            expected.push((group.map_or(4, |g| g as u8), id, satisfaction, in_period.len(), loyalty, group));
        }
        expected.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let placed: Vec<Placed> = matrix
            .standings
            .iter()
            .map(|s| (s.group.map_or(4, |g| g as u8), s.account.clone(), s.satisfaction, s.opinions, s.loyalty, s.group))
            .collect();
        proptest::prop_assert_eq!(&placed, &expected);
        let counted: usize = matrix.counts.iter().sum::<usize>() + matrix.no_data;
        proptest::prop_assert_eq!(counted, expected.len());
        for g in Group::ALL {
            proptest::prop_assert_eq!(matrix.counts[g as usize], expected.iter().filter(|e| e.5 == Some(g)).count());
        }
    }
}
