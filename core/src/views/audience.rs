//! Who segments and campaigns reach, computed from every record on the device (or, on
//! the server, in the workspace): the [`people`], the [`facts`] a segment filters
//! accounts by, a segment's [`members`], each person's [`last_contacts`] and a
//! campaign's [`audience_of`] after the send gate.

use std::collections::HashMap;

use crate::analytics::signals::Signals;
use crate::engagement::campaign::{Audience, Campaign, DeliveryState, audience};
use crate::engagement::segment::{AccountFacts, Segment};
use crate::kinds::Record;
use crate::parties::account::{Account, Party};
use crate::parties::consent::RecipientType;
use crate::parties::person::Person;
use crate::time::civil::{Date, Zone};
use crate::workspace::ServiceSettings;

/// The facts of every account, from the records on the device (every record of the
/// workspace, on the server), with the workspace's `settings` on `today`.
pub fn facts(
    records: &[(String, &Record)],
    settings: &ServiceSettings,
    today: Date,
) -> HashMap<String, AccountFacts> {
    let tiers = &settings.loyalty_tiers;
    let mut facts: HashMap<String, AccountFacts> = HashMap::new();
    let mut ratings: HashMap<String, Vec<i64>> = HashMap::new();
    // Whose account a contact belongs to, for survey answers.
    let owners: HashMap<&str, &str> = records
        .iter()
        .filter_map(|(id, r)| match r {
            Record::Contact(c) if !c.account.is_empty() => Some((id.as_str(), c.account.as_str())),
            _ => None,
        })
        .collect();
    for (id, record) in records {
        match record {
            Record::Sales(s)
                if s.common.kind == crate::sales::document::ORDER && !s.account.is_empty() =>
            {
                let date = crate::sales::document::date_of(s.common.created_at);
                let f = facts.entry(s.account.clone()).or_default();
                if date > f.last_order {
                    f.last_order = date;
                }
            }
            Record::Sales(s)
                if s.common.kind == crate::sales::document::INVOICE
                    && matches!(s.status.as_str(), "issued" | "paid")
                    && s.currency() == crate::sales::money::Currency::Try =>
            {
                if let Ok(totals) = s.totals() {
                    facts.entry(s.account.clone()).or_default().revenue_try += totals.gross;
                }
            }
            Record::Account(a) if !a.loyalty.is_empty() => {
                let earned = crate::parties::loyalty::balance(&a.loyalty).earned;
                if let Some(tier) = crate::parties::loyalty::tier(tiers, earned) {
                    facts.entry(id.clone()).or_default().loyalty_tier = tier.name.clone();
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
    // The reports' figures, as their pages show them.
    let signals = Signals::gather(records);
    let analytics = &settings.analytics;
    let counted = signals.sales();
    for sale in &counted {
        if !sale.account().is_empty() {
            let products = &mut facts.entry(sale.account().to_owned()).or_default().products;
            for line in sale.lines() {
                if !line.product.is_empty() {
                    products.insert(line.product.clone());
                }
            }
        }
    }
    let report = crate::analytics::profit::ProfitReport::compute(
        &counted,
        analytics.abc_cutoffs(),
        today,
        "",
    );
    for (profit, class, rfm) in report.ranked {
        let f = facts.entry(profit.account.clone()).or_default();
        f.abc_class = class.code().to_owned();
        f.margin_try = profit.margin();
        f.rfm = Some([rfm.recency, rfm.frequency, rfm.monetary]);
    }
    let matrix = crate::analytics::matrix::Matrix::compute(&signals, analytics, today);
    for (account, group) in matrix.codes() {
        facts.entry(account).or_default().loyalty_group = group;
    }
    for r in crate::analytics::retention::compute(&signals, analytics, today) {
        let f = facts.entry(r.account).or_default();
        f.at_risk = r.at_risk;
        f.silent = r.silent;
    }
    facts
}

/// Every person on the device: contacts (with their account) and person accounts.
pub fn people<'a>(records: &'a [(String, &'a Record)]) -> Vec<Person<'a>> {
    // A deleted record (in the bin) is no one's audience, nor an account's fact.
    let live = || records.iter().filter(|(_, r)| !r.common().is_deleted());
    let accounts: HashMap<&str, &Account> = live()
        .filter_map(|(id, r)| match r {
            Record::Account(a) => Some((id.as_str(), a)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (id, record) in live() {
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
                team: &c.common.team,
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
                team: &a.common.team,
            }),
            _ => {}
        }
    }
    out
}

/// The people of the segment among `people` (from [`people`] over `records`, every
/// record of the workspace), with the workspace's loyalty `tiers`.
pub fn members<'p, 'a>(
    segment: &Segment,
    people: &'p [Person<'a>],
    records: &[(String, &Record)],
    settings: &ServiceSettings,
    today: Date,
) -> Vec<&'p Person<'a>> {
    let facts = facts(records, settings, today);
    people
        .iter()
        .filter(|p| segment.matches(p, &facts))
        .collect()
}

/// The latest contact with each person (contact or account ID): calls, meetings and
/// campaign messages sent, up to `now`.
pub fn last_contacts<'a, K>(
    records: impl IntoIterator<Item = (K, &'a crate::kinds::Record)>,
    zone: Zone,
    now: i64,
) -> std::collections::HashMap<String, i64> {
    use crate::kinds::Record;
    let mut last: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    let mut touch = |who: &str, at: i64| {
        if !who.is_empty() && at <= now {
            let e = last.entry(who.to_owned()).or_insert(at);
            *e = (*e).max(at);
        }
    };
    for (_, record) in records {
        match record {
            Record::Call(c) => {
                if let Some(at) = c.started_ms(zone) {
                    touch(
                        if c.contact.is_empty() {
                            &c.account
                        } else {
                            &c.contact
                        },
                        at,
                    );
                }
            }
            Record::Meeting(m) => {
                if let Some(start) = crate::time::civil::LocalDateTime::parse(&m.start) {
                    let at = m.zone().to_utc_ms(start);
                    for c in &m.contacts {
                        touch(c, at);
                    }
                }
            }
            Record::Campaign(c) => {
                for (person, d) in &c.deliveries {
                    if d.state == DeliveryState::Sent {
                        touch(person, d.at);
                    }
                }
            }
            _ => {}
        }
    }
    last
}

/// The audience of `campaign` among `records` (every record of the workspace, by ID),
/// or `None` if its segment is not among them. Only people `approver` may see are in
/// it: a campaign never reaches further than the member who approves it can look (the
/// server passes the recorded approver, the app the member on the device).
pub fn audience_of(
    campaign: &Campaign,
    records: &[(String, &crate::kinds::Record)],
    settings: &ServiceSettings,
    now: i64,
    approver: &crate::access::Access,
) -> Option<Audience> {
    let rules = &settings.contact_rules();
    let today = rules.zone.local(now).date;
    let people = crate::views::audience::people(records);
    let last = last_contacts(
        records.iter().map(|(k, r)| (k.clone(), *r)),
        rules.zone,
        now,
    );
    // A team's campaign reaches the team's people and those shared with everyone.
    let in_scope = |p: &&Person<'_>| {
        (campaign.common.team.is_empty() || p.team.is_empty() || p.team == campaign.common.team)
            && approver.can_read(&crate::access::Scope {
                team: p.team.to_owned(),
                owner: String::new(),
            })
    };
    let chosen: Vec<&Person<'_>> = if campaign.people.is_empty() {
        let segment = records.iter().find_map(|(id, r)| match r {
            crate::kinds::Record::Segment(s) if *id == campaign.segment => Some(s),
            _ => None,
        })?;
        members(segment, &people, records, settings, today)
            .into_iter()
            .filter(in_scope)
            .collect()
    } else {
        people
            .iter()
            .filter(|p| campaign.people.contains(&p.id))
            .filter(in_scope)
            .collect()
    };
    Some(audience(
        campaign,
        chosen,
        |id| last.get(id).copied(),
        now,
        rules,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parties::account::CustomerType;
    use crate::parties::contact::Contact;
    use crate::record::EditContext;
    use crate::record::RecordType;

    #[test]
    fn deleted_people_are_no_ones_audience() {
        let ctx = EditContext::new("u1", 0);
        let contact = |name: &str, deleted_at: i64| {
            let mut c = Contact::blank(&ctx);
            c.name = name.into();
            c.common.deleted_at = deleted_at;
            Record::Contact(c)
        };
        let records = [
            ("C1".to_owned(), contact("Ayşe Kaya", 0)),
            ("C2".to_owned(), contact("Silinen Kişi", 1_800_000_000_000)),
        ];
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let names: Vec<&str> = people(&refs).iter().map(|p| p.name).collect();
        assert_eq!(names, ["Ayşe Kaya"]);
    }

    #[test]
    fn segments_filter_people_by_their_account() {
        let ctx = EditContext::new("u1", 0);
        let mut izmir = Account::blank(&ctx);
        izmir.name = "Ege Tekstil".into();
        izmir.city = "İzmir".into();
        izmir.customer_type = CustomerType::Current;
        izmir.tags = vec!["ihracat".into()];
        izmir.loyalty.push(crate::parties::loyalty::LedgerEntry {
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
            &refs,
            &ServiceSettings::default(),
            Date::parse("2026-06-01").unwrap(),
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
        s.loyalty_tier.clear();
        // The order has no lines: no margin, class C; nobody is A.
        s.abc_class = "A".into();
        assert!(names(&s).is_empty());
        s.abc_class = "C".into();
        assert_eq!(names(&s), ["Ayşe Kaya"]);
        s.abc_class.clear();
        s.min_margin = "0".into();
        assert_eq!(names(&s), ["Ayşe Kaya"], "a margin of 0 is at least 0");
        s.min_margin = "1".into();
        assert!(names(&s).is_empty());
        s.min_margin.clear();
        // The only customer with sales scores 1 on every RFM count (quintiles of one:
        // nobody below it); people of accounts without sales never match an RFM filter.
        s.rfm_recency = "low".into();
        assert_eq!(names(&s), ["Ayşe Kaya"]);
        s.rfm_monetary = "low".into();
        assert_eq!(names(&s), ["Ayşe Kaya"]);
        s.rfm_monetary = "high".into();
        assert!(names(&s).is_empty());
        s.rfm_monetary.clear();
        s.rfm_recency = "mid".into();
        assert!(names(&s).is_empty());
        s.rfm_recency.clear();
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
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let facts = facts(
            &refs,
            &ServiceSettings::default(),
            Date::from_days_since_epoch(0),
        );
        assert_eq!(facts["A1"].rating_x100, Some(200));
        let people = people(&refs);
        let mut unhappy = Segment::blank(&ctx);
        unhappy.satisfaction = "unhappy".into();
        assert_eq!(
            people.iter().filter(|p| unhappy.matches(p, &facts)).count(),
            1
        );
    }

    #[test]
    fn segments_filter_by_matrix_group_retention_and_products_bought() {
        use crate::sales::document::{LineItem, ORDER, SalesDocument};
        let day = |date: &str| Date::parse(date).unwrap().days_since_epoch() * 86_400_000;
        let ctx = EditContext::new("u1", day("2026-01-01"));
        let account = || {
            let mut a = Account::blank(&ctx);
            a.customer_type = CustomerType::Current;
            Record::Account(a)
        };
        let contact = |name: &str, account: &str| {
            let mut c = Contact::blank(&ctx);
            c.name = name.into();
            c.account = account.into();
            Record::Contact(c)
        };
        let order = |account: &str, date: &str, product: &str| {
            let mut o = SalesDocument::new(ORDER, &EditContext::new("u1", day(date)));
            o.account = account.into();
            o.lines.insert(
                "l".into(),
                LineItem {
                    product: product.into(),
                    quantity: "1".into(),
                    unit_price: "10".into(),
                    ..LineItem::default()
                },
            );
            Record::Sales(o)
        };
        let mut case = crate::service::case::Case::blank(&ctx);
        case.account = "A1".into();
        case.satisfaction = "1".into();
        let records: Vec<(String, Record)> = vec![
            ("A1".into(), account()),
            ("A2".into(), account()),
            ("C1".into(), contact("Ayşe Kaya", "A1")),
            ("C2".into(), contact("Mehmet Demir", "A2")),
            // A1 buys every 10 days, then stops: 80 days since on 2026-06-01, at risk.
            ("O1".into(), order("A1", "2026-02-21", "P1")),
            ("O2".into(), order("A1", "2026-03-03", "P1")),
            ("O3".into(), order("A1", "2026-03-13", "P1")),
            ("O4".into(), order("A2", "2026-05-20", "P2")),
            ("K1".into(), Record::Case(case)),
        ];
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let people = people(&refs);
        let facts = facts(
            &refs,
            &ServiceSettings::default(),
            Date::parse("2026-06-01").unwrap(),
        );
        let names = |s: &Segment| -> Vec<&str> {
            people
                .iter()
                .filter(|p| s.matches(p, &facts))
                .map(|p| p.name)
                .collect()
        };
        let mut s = Segment::blank(&ctx);
        // A1: rated 1 (0 points), bought in one part of the year: dangerous.
        s.loyalty_group = "dangerous".into();
        assert_eq!(names(&s), ["Ayşe Kaya"]);
        s.loyalty_group = "no_data".into();
        assert_eq!(names(&s), ["Mehmet Demir"]);
        s.loyalty_group.clear();
        s.retention = "at_risk".into();
        assert_eq!(names(&s), ["Ayşe Kaya"]);
        s.retention = "silent".into();
        assert!(names(&s).is_empty());
        s.retention.clear();
        s.bought_product = "P1".into();
        assert_eq!(names(&s), ["Ayşe Kaya"]);
        s.bought_product.clear();
        s.not_bought_product = "P1".into();
        assert_eq!(names(&s), ["Mehmet Demir"], "bought X but not Y");
    }
}
