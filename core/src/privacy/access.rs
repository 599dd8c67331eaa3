//! The answer to an access request: everything held about one person.
//!
//! [`gather`] takes the person's record ID and every record the caller can read, and
//! returns a [`Disclosure`]:
//!
//! - the person's own record (a contact, a lead, or an account), whole: every field,
//!   the consent log, the loyalty ledger, its history of changes of status;
//! - every other record that refers to them anywhere — a link field, an attendee list,
//!   a lead converted into them, a merged duplicate — found by the ID in the record's
//!   stored form, so no kind of reference is missed;
//! - for a campaign, only their part: its name, channel and message template, what the
//!   outbox did with their message and their survey answer. The other recipients of a
//!   campaign are other people's data, and stay out.
//!
//! The [`Disclosure`] serialises to the JSON file the person receives; the app renders
//! the same data as a readable page in their language. Nothing here does I/O.

use serde::Serialize;
use serde_json::Value;

use crate::engagement::campaign::{Campaign, Delivery, SurveyResponse};
use crate::kinds::Record;

use super::erasure::mentions;

/// Everything held about one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Disclosure {
    /// The person's record ID.
    pub person: String,
    /// Their record's kind (`contact`, `lead`, `account`).
    pub kind: String,
    pub name: String,
    /// When it was put together, ms since the epoch.
    pub made_at: i64,
    /// Their own record, then the records that refer to them (oldest first).
    pub records: Vec<Held>,
    /// What campaigns sent them.
    pub messages: Vec<Message>,
}

/// One record held about the person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Held {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// Whether this is the person's own record (not one that refers to them).
    pub own: bool,
    /// The record as stored.
    pub data: Value,
    #[serde(skip)]
    pub record: Record,
}

/// One campaign's message to the person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub campaign: String,
    pub name: String,
    /// The İYS channel code (`EPOSTA`, `MESAJ`, `ARAMA`).
    pub channel: String,
    pub subject: String,
    pub template: String,
    /// What the outbox did, when it got to them.
    pub delivery: Option<Delivery>,
    pub survey_answer: Option<SurveyResponse>,
}

/// Everything `records` hold about the person whose record is `person`; `None` when no
/// record has that ID. Deleted records are included (they are held until the bin is
/// emptied), campaigns only as the person's [`Message`]s.
pub fn gather<'a>(
    person: &str,
    records: impl IntoIterator<Item = (&'a str, &'a Record)>,
    made_at: i64,
) -> Option<Disclosure> {
    let mut own: Option<Held> = None;
    let mut related: Vec<(i64, Held)> = Vec::new();
    let mut messages: Vec<(i64, Message)> = Vec::new();
    for (id, record) in records {
        if let Record::Campaign(campaign) = record {
            if let Some(message) = message_to(person, campaign) {
                messages.push((campaign.common.created_at, message.with_id(id)));
            }
            continue;
        }
        let Ok(data) = serde_json::to_value(record) else {
            continue;
        };
        let held = |own| Held {
            id: id.to_owned(),
            kind: record.kind(),
            title: record.title(),
            own,
            data: data.clone(),
            record: record.clone(),
        };
        if id == person {
            own = Some(held(true));
        } else if mentions(&data, person) {
            related.push((record.common().created_at, held(false)));
        }
    }
    let own = own?;
    related.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    messages.sort_by(|a, b| (a.0, &a.1.campaign).cmp(&(b.0, &b.1.campaign)));
    Some(Disclosure {
        person: person.to_owned(),
        kind: own.kind.clone(),
        name: own.title.clone(),
        made_at,
        records: std::iter::once(own)
            .chain(related.into_iter().map(|(_, h)| h))
            .collect(),
        messages: messages.into_iter().map(|(_, m)| m).collect(),
    })
}

/// The person's part of `campaign`, if it reached (or was meant to reach) them.
fn message_to(person: &str, campaign: &Campaign) -> Option<Message> {
    let delivery = campaign.deliveries.get(person).cloned();
    let survey_answer = campaign.responses.get(person).cloned();
    let named = campaign.people.iter().any(|p| p == person);
    if delivery.is_none() && survey_answer.is_none() && !named {
        return None;
    }
    Some(Message {
        campaign: String::new(),
        name: campaign.name.clone(),
        channel: campaign.channel.code().to_owned(),
        subject: campaign.subject.clone(),
        template: campaign.template.clone(),
        delivery,
        survey_answer,
    })
}

impl Message {
    fn with_id(mut self, id: &str) -> Message {
        id.clone_into(&mut self.campaign);
        self
    }
}

impl Disclosure {
    /// The JSON file the person receives.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    /// How many records of each kind refer to the person (their own not counted), by
    /// kind in the order first met.
    pub fn counts(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for held in self.records.iter().filter(|h| !h.own) {
            match counts.iter_mut().find(|(k, _)| *k == held.kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((held.kind.clone(), 1)),
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engagement::campaign::DeliveryState;
    use crate::parties::consent::{self, NewConsent, RecipientType};
    use crate::record::EditContext;

    use crate::privacy::test_record as make;

    #[test]
    fn the_person_their_records_and_only_their_part_of_a_campaign() {
        let person = "p-ayse";
        let mut contact = make(
            "contact",
            &[
                ("name", "Ayşe Marker-7Q"),
                ("email", "ayse.marker7q@example.com"),
            ],
        );
        if let Record::Contact(c) = &mut contact {
            c.consents.push(
                consent::record(
                    &[],
                    &NewConsent {
                        channel: "EPOSTA".into(),
                        status: "ONAY".into(),
                        source: "HS_WEB".into(),
                        recipient: "ayse.marker7q@example.com".into(),
                        ..NewConsent::default()
                    },
                    RecipientType::Individual,
                    "e1".into(),
                    2_000,
                    "u1",
                )
                .expect("valid"),
            );
        }
        let other = make("contact", &[("name", "Mehmet Başka")]);
        let call = make(
            "call",
            &[
                ("contact", person),
                ("direction", "incoming"),
                ("number", "0532 123 45 67"),
                ("started", "2025-04-03T14:30"),
            ],
        );
        let case = make("case", &[("subject", "Kargo gecikti"), ("contact", person)]);
        let unrelated_case = make("case", &[("subject", "Başka dert")]);
        let mut campaign = {
            use crate::record::RecordType;
            let mut c = Campaign::blank(&EditContext::new("u1", 1_000));
            c.name = "Kış".into();
            Record::Campaign(c)
        };
        if let Record::Campaign(c) = &mut campaign {
            c.people = vec![person.into(), "p-mehmet".into()];
            for (who, address) in [
                (person, "ayse.marker7q@example.com"),
                ("p-mehmet", "mehmet@example.com"),
            ] {
                c.deliveries.insert(
                    who.into(),
                    Delivery {
                        address: address.into(),
                        state: DeliveryState::Sent,
                        at: 5_000,
                        error: String::new(),
                    },
                );
            }
        }
        let records = [
            (person, &contact),
            ("p-mehmet", &other),
            ("call-1", &call),
            ("case-1", &case),
            ("case-2", &unrelated_case),
            ("camp-1", &campaign),
        ];
        let disclosure = gather(person, records, 9_000).expect("the person is held");
        assert_eq!(disclosure.name, "Ayşe Marker-7Q");
        let ids: Vec<(&str, bool)> = disclosure
            .records
            .iter()
            .map(|h| (h.id.as_str(), h.own))
            .collect();
        assert_eq!(ids, [(person, true), ("call-1", false), ("case-1", false)]);
        assert_eq!(
            disclosure.counts(),
            [("call".to_owned(), 1), ("case".to_owned(), 1)]
        );
        assert_eq!(disclosure.messages.len(), 1);
        let message = &disclosure.messages[0];
        assert_eq!(
            (message.campaign.as_str(), message.name.as_str()),
            ("camp-1", "Kış")
        );
        assert_eq!(
            message.delivery.as_ref().map(|d| d.address.as_str()),
            Some("ayse.marker7q@example.com")
        );
        let json = String::from_utf8(disclosure.to_json()).expect("UTF-8");
        // The consent log comes with the person's record; the campaign's other
        // recipient does not.
        assert!(
            json.contains("\"recipient\": \"ayse.marker7q@example.com\""),
            "{json}"
        );
        assert!(json.contains("Kargo gecikti"));
        assert!(!json.contains("mehmet@example.com") && !json.contains("Mehmet"));
        assert!(!json.contains("Başka dert"));
        assert!(gather("nobody", records, 9_000).is_none());
    }
}
