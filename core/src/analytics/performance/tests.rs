use super::*;
use crate::activities::call::Call;
use crate::engagement::campaign::{Campaign, SurveyResponse};
use crate::record::{EditContext, RecordType};
use crate::sales::opportunity::{default_open_stages, pipeline};
use crate::service::case::{Case, default_sla};

const DAY_MS: i64 = 86_400_000;

fn ms(date: &str) -> i64 {
    // Noon UTC: the same day in Istanbul.
    Date::parse(date).unwrap().days_since_epoch() * DAY_MS + 12 * 3_600_000
}

fn ctx(date: &str) -> EditContext {
    EditContext::new("u", ms(date))
}

/// An opportunity of `owner` in `team` created on `created`, moved through `moves`.
fn deal(owner: &str, team: &str, amount: &str, created: &str, moves: &[(&str, &str)]) -> Record {
    let mut o = Opportunity::blank(&ctx(created));
    o.name = "Fırsat".into();
    o.amount = amount.into();
    o.common.owner = owner.into();
    o.common.team = team.into();
    o.move_to("prospecting", &ctx(created));
    for (stage, date) in moves {
        o.move_to(stage, &ctx(date));
    }
    Record::Opportunity(o)
}

fn call(owner: &str, started: &str) -> Record {
    let mut c = Call::blank(&ctx("2026-11-01"));
    c.common.owner = owner.into();
    c.common.team = "north".into();
    c.started = started.into();
    Record::Call(c)
}

fn nps(answers: &[(i64, &str)]) -> Record {
    let mut c: Campaign = crate::record::blank("campaign", 1, &ctx("2026-06-01"));
    c.survey = "nps".into();
    for (i, (score, date)) in answers.iter().enumerate() {
        c.responses.insert(
            format!("p{i}"),
            SurveyResponse {
                score: *score,
                at: ms(date),
            },
        );
    }
    Record::Campaign(c)
}

/// November 2026, worked out by hand.
#[test]
fn a_month_of_one_team_worked_out_by_hand() {
    let records: Vec<(String, Record)> = [
        // ayse: won 1,000 (created 10 Oct, won 5 Nov: 26 days) and 3,000 (created
        // 1 Nov, won 21 Nov: 20 days), lost one on 10 Nov; an open deal does not
        // count in the win rate: 2 won ÷ 3 closed = 66 %.
        deal(
            "ayse",
            "north",
            "1000",
            "2026-10-10",
            &[("won", "2026-11-05")],
        ),
        deal(
            "ayse",
            "north",
            "3000",
            "2026-11-01",
            &[("proposal", "2026-11-10"), ("won", "2026-11-21")],
        ),
        deal(
            "ayse",
            "north",
            "500",
            "2026-11-02",
            &[("lost", "2026-11-10")],
        ),
        // Open in proposal (50 %): 2,000 × 0.5 = 1,000 weighted.
        deal(
            "ayse",
            "north",
            "2000",
            "2026-11-03",
            &[("proposal", "2026-11-04")],
        ),
        // Won in October: not this month's.
        deal(
            "ayse",
            "north",
            "9999",
            "2026-09-01",
            &[("won", "2026-10-30")],
        ),
        // mehmet: one lost, nothing won: 0 %.
        deal(
            "mehmet",
            "south",
            "700",
            "2026-11-01",
            &[("lost", "2026-11-20")],
        ),
        // Calls: two of ayse's in November, one in October.
        call("ayse", "2026-11-02T10:00"),
        call("ayse", "2026-11-03T11:00"),
        call("ayse", "2026-10-31T09:00"),
        // NPS: September 2 promoters + 1 detractor → 33; November 1 passive → 0.
        nps(&[
            (10, "2026-09-10"),
            (9, "2026-09-11"),
            (3, "2026-09-12"),
            (8, "2026-11-15"),
        ]),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, r)| (format!("r{i}"), r))
    .collect();
    let refs: Vec<(String, &Record)> = records.iter().map(|(id, r)| (id.clone(), r)).collect();
    let stages = pipeline(default_open_stages());
    let goals = [
        SalesGoal {
            member: "ayse".into(),
            month: "2026-11".into(),
            amount: "8000".into(),
        },
        SalesGoal {
            member: "ayse".into(),
            month: "2026-12".into(),
            amount: "5000".into(),
        },
    ];
    let today = Date::parse("2026-11-30").unwrap();
    let period = Period::named("month", today).unwrap();
    assert_eq!(
        period,
        Period {
            from: Date::parse("2026-11-01").unwrap(),
            to: today
        }
    );
    let calendar = WorkingCalendar::default();
    let report = compute(
        &refs,
        &Context {
            period,
            today,
            now_ms: ms("2026-11-30"),
            zone: Zone::istanbul(),
            pipeline: &stages,
            goals: &goals,
            sla: &default_sla(),
            calendar: &calendar,
            audience: &Audience::Workspace,
        },
    );
    let ayse = &report.reps["ayse"];
    assert_eq!(ayse.won_revenue, Decimal::from(4000));
    assert_eq!((ayse.won, ayse.lost), (2, 1));
    assert_eq!(ayse.win_rate_percent(), Some(66));
    // Cycles 26 and 20 days: the lower middle of two is 20.
    assert_eq!(ayse.median_cycle_days, Some(20));
    assert_eq!(ayse.weighted_pipeline, Decimal::from(1000));
    assert_eq!(ayse.goal, Some(Decimal::from(8000)));
    assert_eq!(ayse.goal_percent(), Some(Decimal::new(500, 1)));
    assert_eq!(ayse.calls, 2);
    let mehmet = &report.reps["mehmet"];
    assert_eq!(
        (mehmet.won, mehmet.lost, mehmet.win_rate_percent()),
        (0, 1, Some(0))
    );
    assert_eq!(mehmet.goal, None);
    assert_eq!(report.teams["north"].won_revenue, Decimal::from(4000));
    assert_eq!(report.teams["south"].lost, 1);
    // Mehmet, a rep of the south team, reads the south team's figures only.
    let south = compute(
        &refs,
        &Context {
            period,
            today,
            now_ms: ms("2026-11-30"),
            zone: Zone::istanbul(),
            pipeline: &stages,
            goals: &goals,
            sla: &default_sla(),
            calendar: &calendar,
            audience: &Audience::of("mehmet", crate::access::Role::SalesRep, &["south".into()]),
        },
    );
    assert!(!south.reps.contains_key("ayse"));
    assert!(!south.teams.contains_key("north"));
    assert_eq!(south.total.lost, report.teams["south"].lost);
    assert_eq!(south.total.won_revenue, report.teams["south"].won_revenue);
    assert_eq!(report.total.win_rate_percent(), Some(50));
    // November 2026 has 21 weekdays.
    assert_eq!(report.working_days, 21);
    // Prospecting was entered by the four deals created in November; two moved on (to
    // proposal), the two lost ones did not. Proposal: entered by two, one won.
    let step = |code: &str| report.stages.iter().find(|s| s.stage == code).unwrap();
    assert_eq!(
        (step("prospecting").entered, step("prospecting").moved_on),
        (4, 2)
    );
    assert_eq!(
        (step("proposal").entered, step("proposal").moved_on),
        (2, 1)
    );
    assert_eq!(step("won").entered, 2);
    assert!(report.stages.iter().all(|s| s.stage != "lost"));
    let trend: Vec<(&str, usize, Option<i64>)> = report
        .nps
        .iter()
        .map(|m| (m.month.as_str(), m.answers, m.nps))
        .collect();
    assert_eq!(
        trend,
        [
            ("2026-06", 0, None),
            ("2026-07", 0, None),
            ("2026-08", 0, None),
            ("2026-09", 3, Some(33)),
            ("2026-10", 0, None),
            ("2026-11", 1, Some(0)),
        ]
    );
}

/// A case of ayse opened at `opened` (Istanbul time), answered and resolved at the
/// given times (on working days, within working hours: 09:00–18:00).
fn case(opened: &str, answered: Option<&str>, resolved: Option<&str>) -> Record {
    let zone = Zone::istanbul();
    let at = |t: &str| zone.to_utc_ms(crate::time::civil::LocalDateTime::parse(t).unwrap());
    let mut c = Case::blank(&EditContext::new("u", at(opened)));
    c.subject = "Arıza".into();
    c.common.owner = "ayse".into();
    c.move_to(
        crate::service::case::Status::New,
        &EditContext::new("u", at(opened)),
    );
    if let Some(t) = answered {
        c.move_to(
            crate::service::case::Status::Open,
            &EditContext::new("u", at(t)),
        );
    }
    if let Some(t) = resolved {
        c.move_to(
            crate::service::case::Status::Resolved,
            &EditContext::new("u", at(t)),
        );
    }
    Record::Case(c)
}

#[test]
fn cases_give_median_response_and_resolution_times() {
    // First responses after 1 h, 2 h and 30 min → median 1 h; resolutions after 3 h and
    // 5 h → the lower middle, 3 h; the unanswered case adds to neither.
    let records: Vec<(String, Record)> = [
        case(
            "2026-11-02T10:00",
            Some("2026-11-02T11:00"),
            Some("2026-11-02T13:00"),
        ),
        case(
            "2026-11-03T09:00",
            Some("2026-11-03T11:00"),
            Some("2026-11-03T14:00"),
        ),
        case("2026-11-04T09:00", Some("2026-11-04T09:30"), None),
        case("2026-11-05T09:00", None, None),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, r)| (format!("c{i}"), r))
    .collect();
    let refs: Vec<(String, &Record)> = records.iter().map(|(id, r)| (id.clone(), r)).collect();
    let stages = pipeline(default_open_stages());
    let today = Date::parse("2026-11-30").unwrap();
    let calendar = WorkingCalendar::default();
    let report = compute(
        &refs,
        &Context {
            period: Period::named("month", today).unwrap(),
            today,
            now_ms: ms("2026-11-30"),
            zone: Zone::istanbul(),
            pipeline: &stages,
            goals: &[],
            sla: &default_sla(),
            calendar: &calendar,
            audience: &Audience::Workspace,
        },
    );
    const HOUR: i64 = 3_600_000;
    let ayse = &report.reps["ayse"];
    assert_eq!(ayse.median_first_response_ms, Some(HOUR));
    assert_eq!(ayse.median_resolution_ms, Some(3 * HOUR));
}

#[test]
fn named_periods() {
    let today = Date::parse("2026-02-14").unwrap();
    let p = |code| Period::named(code, today).map(|p| (p.from.to_string(), p.to.to_string()));
    assert_eq!(p("month"), Some(("2026-02-01".into(), "2026-02-28".into())));
    assert_eq!(
        p("last_month"),
        Some(("2026-01-01".into(), "2026-01-31".into()))
    );
    assert_eq!(
        p("quarter"),
        Some(("2026-01-01".into(), "2026-03-31".into()))
    );
    assert_eq!(p("year"), Some(("2026-01-01".into(), "2026-12-31".into())));
    assert_eq!(p("decade"), None);
}

#[test]
fn custom_periods_are_checked() {
    let p = Period::custom("2026-01-15", " 2026-03-10 ").unwrap();
    assert_eq!(
        (p.from.to_string(), p.to.to_string()),
        ("2026-01-15".into(), "2026-03-10".into())
    );
    assert_eq!(
        Period::custom("2026-03-10", "2026-03-10").map(|p| p.from == p.to),
        Ok(true)
    );
    assert_eq!(
        Period::custom("15.01.2026", "2026-03-10"),
        Err(PeriodError::NotADate)
    );
    assert_eq!(
        Period::custom("2026-02-30", "2026-03-10"),
        Err(PeriodError::NotADate)
    );
    assert_eq!(
        Period::custom("2026-03-11", "2026-03-10"),
        Err(PeriodError::EndsBeforeItStarts)
    );
    assert_eq!(
        Period::custom("2020-01-01", "2026-01-01"),
        Err(PeriodError::TooLong)
    );
    assert!(Period::custom("2021-01-01", "2025-12-31").is_ok());
}

proptest::proptest! {
    /// Over random deals — three reps in two teams and none, won, lost or left open on
    /// random days around a month — and a random reader (the workspace, or a rep with
    /// one team), each rep's, team's and the total's won count, won revenue, lost count
    /// and win rate equal a count by hand over the deals the reader's figures include.
    #[test]
    fn won_and_lost_equal_a_count_by_hand(
        deals in proptest::collection::vec(
            (0usize..3, 0usize..3, 1u32..50, 0i64..60, 0u8..3, 0i64..60),
            0..25,
        ),
        reader in 0usize..3,
    ) {
        let owners = ["ayse", "mehmet", "can"];
        let teams = ["north", "south", ""];
        let start = Date::parse("2026-10-15").unwrap();
        let day = |offset: i64| Date::from_days_since_epoch(start.days_since_epoch() + offset).to_string();
        let mut made = Vec::new();
        for &(owner, team, amount, created, end, closed_after) in &deals {
            let closed = (created + closed_after).min(75);
            let moves: Vec<(&str, String)> = match end {
                0 => vec![],
                1 => vec![("won", day(closed))],
                _ => vec![("lost", day(closed))],
            };
            let moves: Vec<(&str, &str)> = moves.iter().map(|(s, d)| (*s, d.as_str())).collect();
            made.push((
                (owner, team, amount, end, closed),
                deal(owners[owner], teams[team], &(amount * 100).to_string(), &day(created), &moves),
            ));
        }
        let refs: Vec<(String, &Record)> =
            made.iter().enumerate().map(|(i, (_, r))| (format!("d{i}"), r)).collect();
        let audience = match reader {
            0 => Audience::Workspace,
            r => Audience::Teams { member: owners[r].into(), teams: vec![teams[r - 1].into()] },
        };
        let today = Date::parse("2026-11-30").unwrap();
        let period = Period::named("month", today).unwrap();
        let stages = pipeline(default_open_stages());
        let calendar = WorkingCalendar::default();
        let report = compute(
            &refs,
            &Context {
                period,
                today,
                now_ms: ms("2026-11-30"),
                zone: Zone::istanbul(),
                pipeline: &stages,
                goals: &[],
                sla: &default_sla(),
                calendar: &calendar,
                audience: &audience,
            },
        );
        // By hand: (won, won revenue, lost) per rep, per team and in all.
        let in_month = |offset: i64| (17..=46).contains(&offset);
        let mut reps: BTreeMap<&str, (usize, Decimal, usize)> = BTreeMap::new();
        let mut by_team: BTreeMap<&str, (usize, Decimal, usize)> = BTreeMap::new();
        let mut total = (0, Decimal::ZERO, 0);
        for ((owner, team, amount, end, closed), _) in &made {
            let (owner, team) = (owners[*owner], teams[*team]);
            if !audience.counts(owner, team) || *end == 0 || !in_month(*closed) {
                continue;
            }
            for t in [reps.entry(owner).or_default(), by_team.entry(team).or_default(), &mut total] {
                if *end == 1 {
                    t.0 += 1;
                    t.1 += Decimal::from(amount * 100);
                } else {
                    t.2 += 1;
                }
            }
        }
        let seen = |f: &Figures| (f.won, f.won_revenue, f.lost);
        for (rep, expected) in &reps {
            proptest::prop_assert_eq!(seen(&report.reps[*rep]), *expected);
        }
        for (team, expected) in &by_team {
            proptest::prop_assert_eq!(seen(&report.teams[*team]), *expected);
        }
        proptest::prop_assert_eq!(seen(&report.total), total);
        let closed = total.0 + total.2;
        proptest::prop_assert_eq!(
            report.total.win_rate_percent(),
            (closed > 0).then(|| total.0 * 100 / closed)
        );
    }
}
