//! The account's timeline: everything that happened around one account, in time order.
//!
//! Built from the records themselves on every change (nothing is stored twice): the
//! account's lifecycle log, each linked record's creation, the stage and status changes
//! of its opportunities, quotes, orders, invoices, cases and tasks, lead conversions,
//! calls at the time they were made, meetings at the time they start, and merges: a
//! duplicate merged into the account (or into one of its records) shows when it was
//! merged, from the bin where it waits as a redirect.

use crate::kinds::Record;
use crate::record::Transition;

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    Created,
    /// A customer type, stage or status changed.
    Changed {
        from: String,
        to: String,
    },
    /// A lead became this account.
    Converted,
    /// A phone call (at its start).
    Call {
        direction: crate::activities::call::Direction,
        outcome: crate::activities::call::Outcome,
        seconds: i64,
    },
    /// A meeting (at its first start).
    Meeting,
    /// This record (a duplicate, now in the bin) was merged into record `into`.
    Merged {
        into: String,
    },
    /// A campaign message to the account or one of its contacts (`person`).
    Message {
        person: String,
        channel: crate::parties::consent::Channel,
        state: crate::engagement::campaign::DeliveryState,
    },
}

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<K> {
    pub at: i64,
    /// User ID.
    pub by: String,
    pub record: K,
    pub kind: String,
    pub title: String,
    pub happening: Happening,
}

/// The timeline of the account `account` (its record and ID), from `records` (any
/// records; those not linked to the account are skipped, and deleted ones too unless
/// they were merged into the account or one of its records), newest first. Wall-clock
/// times (call starts) are read in `zone`.
pub fn for_account<'a, K: Copy + PartialEq + ToString + 'a>(
    account_id: K,
    records: impl IntoIterator<Item = (K, &'a Record)>,
    zone: crate::time::civil::Zone,
) -> Vec<Event<K>> {
    let account_key = account_id.to_string();
    let records: Vec<(K, &Record)> = records.into_iter().collect();
    // The account's people: itself and its contacts, for campaign messages.
    let mut people: Vec<String> = vec![account_key.clone()];
    for (id, record) in &records {
        if let Record::Contact(c) = record
            && c.account == account_key
        {
            people.push(id.to_string());
        }
    }
    let mut events = Vec::new();
    for (id, record) in records {
        if let Record::Campaign(c) = record {
            for (person, d) in &c.deliveries {
                if people.contains(person) {
                    events.push(Event {
                        at: d.at,
                        by: c.common.owner.clone(),
                        record: id,
                        kind: crate::engagement::campaign::KIND.to_owned(),
                        title: c.name.clone(),
                        happening: Happening::Message {
                            person: person.clone(),
                            channel: c.channel,
                            state: d.state,
                        },
                    });
                }
            }
            continue;
        }
        let common = record.common();
        if common.is_deleted() {
            if common.is_merged()
                && (common.merged_into == account_key || record.account() == account_key)
            {
                // Who merged it is in the audit log; the record does not say.
                events.push(Event {
                    at: common.deleted_at,
                    by: String::new(),
                    record: id,
                    kind: common.kind.clone(),
                    title: record.title(),
                    happening: Happening::Merged {
                        into: common.merged_into.clone(),
                    },
                });
            }
            continue;
        }
        let is_account = id == account_id;
        if !is_account && record.account() != account_key {
            continue;
        }
        let event = |at: i64, by: &str, happening: Happening| Event {
            at,
            by: by.to_owned(),
            record: id,
            kind: common.kind.clone(),
            title: record.title(),
            happening,
        };
        let transitions: &[Transition] = match record {
            Record::Account(a) => &a.lifecycle,
            Record::Opportunity(o) => &o.history,
            Record::Sales(s) => &s.history,
            Record::Case(c) => &c.history,
            Record::Task(t) => &t.history,
            _ => &[],
        };
        match record {
            Record::Call(call) => {
                events.push(event(
                    call.started_ms(zone).unwrap_or(common.created_at),
                    &common.owner,
                    Happening::Call {
                        direction: call.direction,
                        outcome: call.outcome,
                        seconds: call.duration,
                    },
                ));
                continue;
            }
            Record::Meeting(meeting) => {
                let start = crate::time::civil::LocalDateTime::parse(&meeting.start)
                    .map(|t| meeting.zone().to_utc_ms(t))
                    .unwrap_or(common.created_at);
                events.push(event(start, &common.owner, Happening::Meeting));
                continue;
            }
            _ => {}
        }
        let mut created_logged = false;
        for t in transitions {
            if t.from.is_empty() {
                created_logged = true;
                events.push(event(t.at, &t.by, Happening::Created));
            } else {
                events.push(event(
                    t.at,
                    &t.by,
                    Happening::Changed {
                        from: t.from.clone(),
                        to: t.to.clone(),
                    },
                ));
            }
        }
        if let Record::Lead(lead) = record {
            events.push(event(
                common.created_at,
                &common.created_by,
                Happening::Created,
            ));
            if lead.converted_at > 0 {
                events.push(event(
                    lead.converted_at,
                    &common.owner,
                    Happening::Converted,
                ));
            }
        } else if !created_logged {
            events.push(event(
                common.created_at,
                &common.created_by,
                Happening::Created,
            ));
        }
    }
    events.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.title.cmp(&b.title)));
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::form::Form;
    use crate::record::{EditContext, RecordType, from_form};
    use crate::sales::document::SalesDocument;
    use crate::sales::lead::{ConversionIds, Lead, Reuse};

    #[test]
    fn a_converted_lead_and_its_sales_steps_show_in_time_order() {
        let ctx = |at| EditContext::new("u1", at);
        let mut lead: Lead = from_form(
            &Form::new()
                .with("name", "Ayşe Kaya")
                .with("company", "Kaya Yapı")
                .with("status", "qualified"),
            &ctx(1),
        )
        .unwrap();
        let ids = ConversionIds {
            account: "A".into(),
            contact: "C".into(),
            opportunity: "O".into(),
        };
        let made = lead
            .convert("L", &ids, Reuse::default(), "proposal", &ctx(2))
            .unwrap();
        let mut opportunity = made.opportunity;
        opportunity.move_to(crate::sales::opportunity::WON, &ctx(3));
        let mut quote = SalesDocument::quote_for("O", &opportunity, &ctx(4));
        quote.set_status("accepted", &ctx(5));
        let unrelated = SalesDocument::new(crate::sales::document::QUOTE, &ctx(6));
        let mut call: crate::activities::call::Call = from_form(
            &Form::new()
                .with("direction", "incoming")
                .with("number", "05321234567")
                .with("account", "A")
                .with("started", "1970-01-01T03:00")
                .with("duration", "1:00")
                .with("outcome", "reached"),
            &ctx(9),
        )
        .unwrap();
        call.common.owner = "u2".into();
        let records = [
            ("K", Record::Call(call)),
            ("A", Record::Account(made.account.unwrap())),
            ("C", Record::Contact(made.contact.unwrap())),
            ("O", Record::Opportunity(opportunity)),
            ("Q", Record::Sales(quote)),
            ("L", Record::Lead(lead)),
            ("X", Record::Sales(unrelated)),
        ];
        let timeline = for_account(
            "A",
            records.iter().map(|(id, r)| (*id, r)),
            crate::time::civil::Zone::istanbul(),
        );
        let steps: Vec<(i64, &str, &Happening)> = timeline
            .iter()
            .map(|e| (e.at, e.record, &e.happening))
            .collect();
        let changed = |from: &str, to: &str| Happening::Changed {
            from: from.into(),
            to: to.into(),
        };
        assert_eq!(
            steps,
            [
                (5, "Q", &changed("draft", "accepted")),
                (4, "Q", &Happening::Created),
                (3, "O", &changed("proposal", "won")),
                // Same time: by title.
                (2, "C", &Happening::Created),
                (2, "L", &Happening::Converted),
                (2, "A", &Happening::Created),
                (2, "O", &Happening::Created),
                (1, "L", &Happening::Created),
                // 03:00 in Istanbul is the epoch.
                (
                    0,
                    "K",
                    &Happening::Call {
                        direction: crate::activities::call::Direction::Incoming,
                        outcome: crate::activities::call::Outcome::Reached,
                        seconds: 60
                    }
                ),
            ]
        );
    }

    #[test]
    fn campaign_messages_to_the_account_or_its_contacts_show() {
        let ctx = EditContext::new("u1", 1);
        let mut account = crate::parties::account::Account::blank(&ctx);
        account.name = "Ege".into();
        let mut contact = crate::parties::contact::Contact::blank(&ctx);
        contact.account = "A".into();
        let mut campaign = crate::engagement::campaign::Campaign::blank(&ctx);
        campaign.name = "Kış".into();
        for (person, at) in [("C", 50), ("X", 60)] {
            campaign.deliveries.insert(
                person.into(),
                crate::engagement::campaign::Delivery {
                    address: "a@b.c".into(),
                    state: crate::engagement::campaign::DeliveryState::Sent,
                    at,
                    error: String::new(),
                },
            );
        }
        let records = [
            ("A", Record::Account(account)),
            ("C", Record::Contact(contact)),
            ("K", Record::Campaign(campaign)),
        ];
        let timeline = for_account(
            "A",
            records.iter().map(|(id, r)| (*id, r)),
            crate::time::civil::Zone::istanbul(),
        );
        let messages: Vec<_> = timeline
            .iter()
            .filter(|e| matches!(e.happening, Happening::Message { .. }))
            .map(|e| (e.at, e.record))
            .collect();
        assert_eq!(
            messages,
            [(50, "K")],
            "only the message to the account's contact"
        );
    }

    #[test]
    fn a_duplicate_merged_into_the_account_or_its_contact_shows_deleted_ones_do_not() {
        let ctx = EditContext::new("u1", 1);
        let mut account = crate::parties::account::Account::blank(&ctx);
        account.name = "Ege Zeytin".into();
        let mut duplicate = crate::parties::account::Account::blank(&ctx);
        duplicate.name = "EGE ZEYTİN A.Ş.".into();
        duplicate.common.deleted_at = 70;
        duplicate.common.merged_into = "A".into();
        let mut contact = crate::parties::contact::Contact::blank(&ctx);
        contact.account = "A".into();
        let mut twin = contact.clone();
        twin.name = "Ayşe K.".into();
        twin.common.deleted_at = 80;
        twin.common.merged_into = "C".into();
        let mut removed = contact.clone();
        removed.name = "Silinen".into();
        removed.common.deleted_at = 90;
        let records = [
            ("A", Record::Account(account)),
            ("D", Record::Account(duplicate)),
            ("C", Record::Contact(contact)),
            ("T", Record::Contact(twin)),
            ("R", Record::Contact(removed)),
        ];
        let timeline = for_account(
            "A",
            records.iter().map(|(id, r)| (*id, r)),
            crate::time::civil::Zone::istanbul(),
        );
        let merges: Vec<_> = timeline
            .iter()
            .filter_map(|e| match &e.happening {
                Happening::Merged { into } => Some((e.at, e.record, into.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(merges, [(80, "T", "C"), (70, "D", "A")]);
        assert!(
            timeline.iter().all(|e| e.record != "R"),
            "a deleted record is not shown"
        );
    }
}
