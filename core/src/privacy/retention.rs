//! The retention policy: personal data kept no longer than its purpose needs (KVKK
//! Art. 4 and 7; the Regulation on Erasure, Destruction or Anonymisation of Personal
//! Data, Art. 11: periodic destruction at intervals of at most six months).
//!
//! A workspace's [`RetentionPolicy`] holds up to three rules, each off or set to a
//! number of months:
//!
//! - **idle leads** ([`Rule::IdleLeads`]): a lead that was never converted and saw no
//!   activity for that long is erased like a person who asked for it;
//! - **former customers** ([`Rule::FormerCustomers`]): an account whose customer type
//!   is *former* and that saw no activity for that long is erased, with its contacts;
//! - **call logs** ([`Rule::CallLogs`]): a call older than that is destroyed.
//!
//! "Activity" is the newest change to the record or to any record that refers to it
//! (a call about a lead, an order of an account). A month is a calendar month, counted
//! back from the day of the run in UTC.
//!
//! [`due`] lists what a run erases; the server shows that list as the run's preview,
//! runs it on its schedule ([`RetentionPolicy::interval_days`], at most
//! [`MAX_INTERVAL_DAYS`]) or when asked, and keeps a [`RetentionRun`] for each. Nothing
//! here does I/O.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::kinds::Record;
use crate::parties::account::CustomerType;
use crate::sales::lead::LeadStatus;
use crate::time::civil::{Date, LocalDateTime};

/// The longest interval between two scheduled runs: six months (the Regulation's
/// Art. 11 asks for at least two runs a year).
pub const MAX_INTERVAL_DAYS: u32 = 182;
/// The interval a new policy starts with.
pub const DEFAULT_INTERVAL_DAYS: u32 = 30;
/// The longest a rule may keep data: fifty years.
pub const MAX_MONTHS: u32 = 600;
const DAY_MS: i64 = 86_400_000;

/// One kind of retention rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    IdleLeads,
    FormerCustomers,
    CallLogs,
}

impl Rule {
    pub const ALL: [Rule; 3] = [Rule::IdleLeads, Rule::FormerCustomers, Rule::CallLogs];

    /// The stable code used in the API, in stored data and in message keys.
    pub fn code(self) -> &'static str {
        match self {
            Rule::IdleLeads => "idle_leads",
            Rule::FormerCustomers => "former_customers",
            Rule::CallLogs => "call_logs",
        }
    }

    /// The policy's field that holds this rule's months, as it is named in JSON.
    pub fn field(self) -> &'static str {
        match self {
            Rule::IdleLeads => "idleLeadsMonths",
            Rule::FormerCustomers => "formerCustomersMonths",
            Rule::CallLogs => "callLogsMonths",
        }
    }
}

/// A workspace's retention policy; a rule is off while its months are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetentionPolicy {
    #[serde(default)]
    pub idle_leads_months: Option<u32>,
    #[serde(default)]
    pub former_customers_months: Option<u32>,
    #[serde(default)]
    pub call_logs_months: Option<u32>,
    /// Days between two scheduled runs (1 to [`MAX_INTERVAL_DAYS`]).
    pub interval_days: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            idle_leads_months: None,
            former_customers_months: None,
            call_logs_months: None,
            interval_days: DEFAULT_INTERVAL_DAYS,
        }
    }
}

/// What is wrong with a policy someone submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyError {
    /// A rule's months are 0 or over [`MAX_MONTHS`].
    Months,
    /// The interval is 0 or over [`MAX_INTERVAL_DAYS`].
    Interval,
}

impl PolicyError {
    /// The error code the API answers with.
    pub fn code(self) -> &'static str {
        match self {
            PolicyError::Months => "retention_months",
            PolicyError::Interval => "retention_interval",
        }
    }
}

impl RetentionPolicy {
    /// The months of `rule`, if it is on.
    pub fn months(&self, rule: Rule) -> Option<u32> {
        match rule {
            Rule::IdleLeads => self.idle_leads_months,
            Rule::FormerCustomers => self.former_customers_months,
            Rule::CallLogs => self.call_logs_months,
        }
    }

    /// Whether any rule is on.
    pub fn is_on(&self) -> bool {
        Rule::ALL.iter().any(|r| self.months(*r).is_some())
    }

    pub fn check(&self) -> Result<(), PolicyError> {
        match self.field_errors().first() {
            Some((_, e)) => Err(*e),
            None => Ok(()),
        }
    }

    /// Every field that is out of range, by its JSON name (`callLogsMonths`,
    /// `intervalDays`), for an answer that points at each.
    pub fn field_errors(&self) -> Vec<(&'static str, PolicyError)> {
        let mut errors: Vec<(&'static str, PolicyError)> = Rule::ALL
            .iter()
            .filter(|r| self.months(**r).is_some_and(|m| m == 0 || m > MAX_MONTHS))
            .map(|r| (r.field(), PolicyError::Months))
            .collect();
        if self.interval_days == 0 || self.interval_days > MAX_INTERVAL_DAYS {
            errors.push(("intervalDays", PolicyError::Interval));
        }
        errors
    }

    /// When the run after one at `last` (ms; `None`: never ran) is due.
    pub fn next_run(&self, last: Option<i64>, saved_at: i64) -> i64 {
        last.unwrap_or(saved_at) + i64::from(self.interval_days) * DAY_MS
    }
}

/// A record as a retention run sees it: the record and when the server last accepted
/// a change to it (ms).
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub id: &'a str,
    pub record: &'a Record,
    pub updated_at: i64,
}

/// One record a run erases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Due {
    pub id: String,
    pub kind: String,
    /// Its title now (shown in the preview, never kept in a run's log).
    pub title: String,
    pub rule: Rule,
    /// Its last activity (a call: when it started), ms since the epoch.
    pub last_activity: i64,
    /// Whether it is erased as a person (their name, addresses and numbers masked in
    /// the records that refer to them) rather than destroyed as a log entry.
    pub person: bool,
}

/// The start (00:00 UTC, ms) of the day `months` calendar months before the day of
/// `now`.
pub fn cutoff(now: i64, months: u32) -> i64 {
    let today = Date::from_days_since_epoch(now.div_euclid(DAY_MS));
    let back = today
        .add_months(-i64::from(months))
        .unwrap_or_else(|| today.add_days(-i64::from(months) * 31));
    back.days_since_epoch() * DAY_MS
}

/// When a call started (its `started` field read as UTC), or when it was logged.
fn call_time(record: &Record) -> i64 {
    match record {
        Record::Call(call) => LocalDateTime::parse(&call.fields.started)
            .map(|t| t.minutes_since_epoch() * 60_000)
            .unwrap_or(call.common.created_at),
        other => other.common().created_at,
    }
}

/// What a run of `policy` at `now` erases among `records` (every record of the
/// workspace, deleted ones too), ordered by rule, then oldest activity first.
pub fn due(policy: &RetentionPolicy, records: &[Candidate<'_>], now: i64) -> Vec<Due> {
    if !policy.is_on() {
        return Vec::new();
    }
    // The last activity of each record: its own last change, or a newer change to a
    // record that refers to it.
    let mut activity: HashMap<&str, i64> = records.iter().map(|c| (c.id, c.updated_at)).collect();
    // Only the records a rule could erase need it. Each record is read once: the IDs it
    // names are looked up, not searched for one by one.
    let watched: HashSet<&str> = records
        .iter()
        .filter(|c| match c.record {
            Record::Lead(lead) => {
                policy.idle_leads_months.is_some() && lead.fields.status != LeadStatus::Converted
            }
            Record::Account(account) => {
                policy.former_customers_months.is_some()
                    && account.fields.customer_type == CustomerType::Former
            }
            _ => false,
        })
        .map(|c| c.id)
        .collect();
    if !watched.is_empty() {
        for candidate in records {
            let Ok(data) = serde_json::to_value(candidate.record) else {
                continue;
            };
            let mut named = HashSet::new();
            ids_named(&data, &watched, &mut named);
            for id in named {
                if id != candidate.id {
                    let last = activity.entry(id).or_insert(0);
                    *last = (*last).max(candidate.updated_at);
                }
            }
        }
    }
    let idle_since = |id: &str| activity.get(id).copied().unwrap_or(0);
    let mut found: BTreeMap<String, Due> = BTreeMap::new();
    let mut add = |candidate: &Candidate<'_>, rule: Rule, last_activity: i64, person: bool| {
        found.entry(candidate.id.to_owned()).or_insert(Due {
            id: candidate.id.to_owned(),
            kind: candidate.record.kind(),
            title: candidate.record.title(),
            rule,
            last_activity,
            person,
        });
    };
    let mut former_accounts: Vec<&str> = Vec::new();
    for candidate in records {
        match candidate.record {
            Record::Lead(lead) => {
                if let Some(months) = policy.idle_leads_months
                    && lead.fields.status != LeadStatus::Converted
                    && idle_since(candidate.id) < cutoff(now, months)
                {
                    add(candidate, Rule::IdleLeads, idle_since(candidate.id), true);
                }
            }
            Record::Account(account) => {
                if let Some(months) = policy.former_customers_months
                    && account.fields.customer_type == CustomerType::Former
                    && idle_since(candidate.id) < cutoff(now, months)
                {
                    former_accounts.push(candidate.id);
                    add(
                        candidate,
                        Rule::FormerCustomers,
                        idle_since(candidate.id),
                        true,
                    );
                }
            }
            Record::Call(_) => {
                if let Some(months) = policy.call_logs_months
                    && call_time(candidate.record) < cutoff(now, months)
                {
                    add(
                        candidate,
                        Rule::CallLogs,
                        call_time(candidate.record),
                        false,
                    );
                }
            }
            _ => {}
        }
    }
    // A former customer's contacts go with it.
    for candidate in records {
        if let Record::Contact(contact) = candidate.record
            && former_accounts.contains(&contact.fields.account.as_str())
        {
            add(
                candidate,
                Rule::FormerCustomers,
                idle_since(candidate.id),
                true,
            );
        }
    }
    let mut due: Vec<Due> = found.into_values().collect();
    due.sort_by(|a, b| (a.rule, a.last_activity, &a.id).cmp(&(b.rule, b.last_activity, &b.id)));
    due
}

/// Every ID of `watched` that `value` names: as a string, inside one (a list of IDs, a
/// link), or as a map's key. IDs are letters and digits only.
fn ids_named<'w>(value: &Value, watched: &HashSet<&'w str>, out: &mut HashSet<&'w str>) {
    fn note<'w>(text: &str, watched: &HashSet<&'w str>, out: &mut HashSet<&'w str>) {
        for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if let Some(id) = watched.get(word) {
                out.insert(id);
            }
        }
    }
    match value {
        Value::String(text) => note(text, watched, out),
        Value::Array(items) => items.iter().for_each(|v| ids_named(v, watched, out)),
        Value::Object(map) => {
            for (key, v) in map {
                note(key, watched, out);
                ids_named(v, watched, out);
            }
        }
        _ => {}
    }
}

/// One record a run destroyed, as its log keeps it: no title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunEntry {
    pub id: String,
    pub kind: String,
    pub rule: Rule,
}

/// A retention run as the workspace keeps it (at least three years, like every
/// destruction record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionRun {
    pub id: String,
    /// Ms since the epoch.
    pub at: i64,
    /// The member who asked for it (their e-mail address), or empty for a scheduled run.
    pub by: String,
    /// The policy it applied.
    pub policy: RetentionPolicy,
    /// What it erased.
    pub erased: Vec<RunEntry>,
    /// How many other records lost the erased people from them (rebuilt without them).
    pub anonymised: usize,
    /// The destruction records it left, one per erased record.
    pub destructions: Vec<String>,
}

/// A workspace's policy with its schedule, as the privacy page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionState {
    pub policy: RetentionPolicy,
    /// When the policy was last saved (ms; 0: never).
    pub saved_at: i64,
    /// When the last run happened (ms), if one did.
    pub last_run: Option<i64>,
    /// When the next scheduled run is due (ms), while a rule is on.
    pub next_run: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::test_record;

    const NOW: i64 = 1_780_000_000_000; // 2026-05-28
    const MONTH: i64 = 31 * DAY_MS;

    fn policy() -> RetentionPolicy {
        RetentionPolicy {
            idle_leads_months: Some(12),
            former_customers_months: Some(60),
            call_logs_months: Some(24),
            interval_days: 30,
        }
    }

    #[test]
    fn the_cutoff_counts_calendar_months_back_from_the_day_of_the_run() {
        // 2026-05-28 12:00 UTC → 2025-05-28 00:00 UTC.
        let now =
            Date::new(2026, 5, 28).expect("date").days_since_epoch() * DAY_MS + 12 * 3_600_000;
        let year_ago = Date::new(2025, 5, 28).expect("date").days_since_epoch() * DAY_MS;
        assert_eq!(cutoff(now, 12), year_ago);
        // 31 March minus one month is the last day of February.
        let march = Date::new(2026, 3, 31).expect("date").days_since_epoch() * DAY_MS;
        let feb = Date::new(2026, 2, 28).expect("date").days_since_epoch() * DAY_MS;
        assert_eq!(cutoff(march, 1), feb);
    }

    #[test]
    fn a_policy_is_checked() {
        assert_eq!(policy().check(), Ok(()));
        let zero = RetentionPolicy {
            idle_leads_months: Some(0),
            ..policy()
        };
        assert_eq!(zero.check(), Err(PolicyError::Months));
        let rare = RetentionPolicy {
            interval_days: MAX_INTERVAL_DAYS + 1,
            ..policy()
        };
        assert_eq!(rare.check(), Err(PolicyError::Interval));
        let both = RetentionPolicy {
            call_logs_months: Some(MAX_MONTHS + 1),
            interval_days: 0,
            ..zero
        };
        assert_eq!(
            both.field_errors(),
            vec![
                ("idleLeadsMonths", PolicyError::Months),
                ("callLogsMonths", PolicyError::Months),
                ("intervalDays", PolicyError::Interval),
            ]
        );
        // The names are the JSON ones.
        let json = serde_json::to_value(&both).expect("json");
        for (field, _) in both.field_errors() {
            assert!(json.get(field).is_some(), "{field}");
        }
        assert!(!RetentionPolicy::default().is_on());
        assert!(serde_json::from_str::<RetentionPolicy>(r#"{"intervalDays":30,"x":1}"#).is_err());
    }

    #[test]
    fn idle_leads_go_unless_converted_or_touched_through_a_related_record() {
        let idle = test_record("lead", &[("name", "Ayşe Yılmaz")]);
        let converted = {
            let mut r = test_record("lead", &[("name", "Can Demir")]);
            if let Record::Lead(l) = &mut r {
                l.fields.status = LeadStatus::Converted;
            }
            r
        };
        let called = test_record("lead", &[("name", "Ece Kaya")]);
        let recent = test_record("lead", &[("name", "Deniz Ak")]);
        let call = test_record(
            "call",
            &[
                ("contact", "l3"),
                ("direction", "outgoing"),
                ("number", "0532 765 43 21"),
                ("started", "2026-04-20T10:00"),
            ],
        );
        let records = [
            Candidate {
                id: "l1",
                record: &idle,
                updated_at: NOW - 14 * MONTH,
            },
            Candidate {
                id: "l2",
                record: &converted,
                updated_at: NOW - 14 * MONTH,
            },
            Candidate {
                id: "l3",
                record: &called,
                updated_at: NOW - 14 * MONTH,
            },
            Candidate {
                id: "l4",
                record: &recent,
                updated_at: NOW - 2 * MONTH,
            },
            // A call logged a month ago about l3 (the call log rule keeps it).
            Candidate {
                id: "c1",
                record: &call,
                updated_at: NOW - MONTH,
            },
        ];
        let due = due(&policy(), &records, NOW);
        let ids: Vec<&str> = due.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["l1"], "{due:?}");
        assert_eq!(due[0].rule, Rule::IdleLeads);
        assert_eq!(due[0].title, "Ayşe Yılmaz");
        assert!(due[0].person);
        // With the rule off, nothing.
        let off = RetentionPolicy {
            idle_leads_months: None,
            ..policy()
        };
        assert!(super::due(&off, &records, NOW).is_empty());
    }

    #[test]
    fn former_customers_go_with_their_contacts_and_old_calls_are_destroyed() {
        let former = {
            let mut r = test_record("account", &[("name", "Eski Ltd")]);
            if let Record::Account(a) = &mut r {
                a.fields.customer_type = CustomerType::Former;
            }
            r
        };
        let current = test_record("account", &[("name", "Yeni Ltd")]);
        let contact = test_record("contact", &[("name", "Ali Veli"), ("account", "a1")]);
        let other = test_record("contact", &[("name", "Veli Ali"), ("account", "a2")]);
        let call = |started: &str| {
            test_record(
                "call",
                &[
                    ("direction", "incoming"),
                    ("number", "0532 765 43 21"),
                    ("started", started),
                ],
            )
        };
        // Logged last month, made three years ago; and made this year, logged long ago.
        let old_call = call("2023-01-10T10:00");
        let new_call = call("2026-01-10T10:00");
        let records = [
            Candidate {
                id: "a1",
                record: &former,
                updated_at: NOW - 70 * MONTH,
            },
            Candidate {
                id: "a2",
                record: &current,
                updated_at: NOW - 70 * MONTH,
            },
            Candidate {
                id: "p1",
                record: &contact,
                updated_at: NOW - 70 * MONTH,
            },
            Candidate {
                id: "p2",
                record: &other,
                updated_at: NOW - 70 * MONTH,
            },
            Candidate {
                id: "c1",
                record: &old_call,
                updated_at: NOW - MONTH,
            },
            Candidate {
                id: "c2",
                record: &new_call,
                updated_at: NOW - 70 * MONTH,
            },
        ];
        let due = due(&policy(), &records, NOW);
        let got: Vec<(&str, Rule, bool)> = due
            .iter()
            .map(|d| (d.id.as_str(), d.rule, d.person))
            .collect();
        assert_eq!(
            got,
            [
                ("a1", Rule::FormerCustomers, true),
                ("p1", Rule::FormerCustomers, true),
                ("c1", Rule::CallLogs, false),
            ]
        );
    }
}
