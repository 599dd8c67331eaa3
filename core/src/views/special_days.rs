//! Special days: birthdays of people and customer anniversaries of accounts coming up,
//! so that a greeting can go out — through the same consent gate as any campaign, since
//! İYS counts greetings as commercial messages.

use crate::kinds::Record;
use crate::parties::account::CustomerType;
use crate::time::civil::{Date, Zone};

/// What is celebrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    Birthday,
    /// `years` since the account became a customer.
    Anniversary {
        years: i32,
    },
}

/// One special day coming up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    /// The person or account celebrated.
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub date: Date,
    pub occasion: Occasion,
    /// Who the greeting goes to: the person, or an account's contacts (a person account
    /// is its own recipient).
    pub recipients: Vec<String>,
}

/// This year's (or next year's) date of an annual day on or after `from`; 29 February
/// falls on 28 February in other years.
fn next_occurrence(month: u32, day: u32, from: Date) -> Date {
    for year in [from.year, from.year + 1] {
        let date = Date::new(year, month, day).or_else(|| Date::new(year, month, day - 1));
        if let Some(date) = date
            && date >= from
        {
            return date;
        }
    }
    from
}

/// When an account became a customer: its first change to "new" or "current".
fn customer_since(account: &crate::parties::account::Account) -> Option<i64> {
    account
        .lifecycle
        .iter()
        .filter(|t| t.to == CustomerType::New.code() || t.to == CustomerType::Current.code())
        .map(|t| t.at)
        .min()
}

/// The special days within `days` days from `today` (today included), soonest first.
pub fn upcoming(
    records: &[(String, &Record)],
    today: Date,
    days: i64,
    zone: Zone,
) -> Vec<SpecialDay> {
    let last = today.add_days(days - 1);
    let mut out = Vec::new();
    let birthday = |birthday: &str| {
        Date::parse(birthday)
            .map(|b| next_occurrence(b.month, b.day, today))
            .filter(|d| *d <= last)
    };
    for (id, record) in records {
        match record {
            Record::Contact(c) => {
                if let Some(date) = birthday(&c.birthday) {
                    out.push(SpecialDay {
                        id: id.clone(),
                        kind: crate::parties::contact::KIND,
                        name: c.name.clone(),
                        date,
                        occasion: Occasion::Birthday,
                        recipients: vec![id.clone()],
                    });
                }
            }
            Record::Account(a) => {
                let is_person = a.party == crate::parties::account::Party::Person;
                if is_person && let Some(date) = birthday(&a.birthday) {
                    out.push(SpecialDay {
                        id: id.clone(),
                        kind: crate::parties::account::KIND,
                        name: a.name.clone(),
                        date,
                        occasion: Occasion::Birthday,
                        recipients: vec![id.clone()],
                    });
                }
                if let Some(since) = customer_since(a) {
                    let start = zone.local(since).date;
                    let date = next_occurrence(start.month, start.day, today);
                    let years = date.year - start.year;
                    if years >= 1 && date <= last {
                        let recipients = if is_person {
                            vec![id.clone()]
                        } else {
                            records
                                .iter()
                                .filter(
                                    |(_, r)| matches!(r, Record::Contact(c) if c.account == *id),
                                )
                                .map(|(cid, _)| cid.clone())
                                .collect()
                        };
                        out.push(SpecialDay {
                            id: id.clone(),
                            kind: crate::parties::account::KIND,
                            name: a.name.clone(),
                            date,
                            occasion: Occasion::Anniversary { years },
                            recipients,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parties::account::{Account, Party};
    use crate::parties::contact::Contact;
    use crate::record::{EditContext, RecordType, Transition};

    #[test]
    fn birthdays_and_anniversaries_in_the_coming_week() {
        let zone = Zone::istanbul();
        let ctx = EditContext::new("u1", 0);
        let contact = |name: &str, birthday: &str, account: &str| {
            let mut c = Contact::blank(&ctx);
            c.name = name.into();
            c.birthday = birthday.into();
            c.account = account.into();
            Record::Contact(c)
        };
        let mut company = Account::blank(&ctx);
        company.name = "Ege Tekstil".into();
        company.party = Party::Company;
        // Became a customer on 27 November 2023.
        let since =
            zone.to_utc_ms(crate::time::civil::LocalDateTime::parse("2023-11-27T10:00").unwrap());
        company.lifecycle.push(Transition {
            at: since,
            by: "u1".into(),
            from: "potential".into(),
            to: "current".into(),
        });
        let records: Vec<(String, Record)> = vec![
            ("C1".into(), contact("Ayşe", "1990-11-30", "A1")),
            ("C2".into(), contact("Mehmet", "1985-12-05", "A1")),
            ("C3".into(), contact("Leyla", "1992-02-29", "")),
            ("A1".into(), Record::Account(company)),
        ];
        let refs: Vec<(String, &Record)> = records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let week = upcoming(&refs, Date::new(2026, 11, 24).unwrap(), 7, zone);
        let got: Vec<(&str, String, Occasion)> = week
            .iter()
            .map(|d| (d.name.as_str(), d.date.to_string(), d.occasion))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Ege Tekstil",
                    "2026-11-27".into(),
                    Occasion::Anniversary { years: 3 }
                ),
                ("Ayşe", "2026-11-30".into(), Occasion::Birthday),
            ]
        );
        assert_eq!(
            week[0].recipients,
            ["C1", "C2"],
            "a company is greeted through its contacts"
        );
        // A 29 February birthday is kept on 28 February in other years.
        let feb = upcoming(&refs, Date::new(2027, 2, 25).unwrap(), 7, zone);
        assert_eq!(feb[0].date, Date::new(2027, 2, 28).unwrap());
    }
}
