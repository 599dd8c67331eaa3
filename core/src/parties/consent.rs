//! The consent log of a contact or account, as Turkey's İYS (İleti Yönetim Sistemi,
//! Law 6563) records it: per channel — call (`ARAMA`), SMS (`MESAJ`), e-mail
//! (`EPOSTA`) — consent (`ONAY`) or refusal (`RET`), when (Turkey time), from which
//! source, for which recipient address, with the e-mail topics subscribed to.
//!
//! The log only grows: events recorded on two offline devices are both kept. What holds
//! per channel is the newest event by its own timestamp, a refusal winning a tie — so a
//! consent recorded earlier on a device that syncs late never overrides a later refusal.
//! Consents must reach İYS within three business days; the log tracks what was uploaded
//! and lists what is overdue, and exports the events in İYS's bulk-upload field names.

use autosurgeon::{Hydrate, Reconcile};
use serde::Serialize;

use crate::code_enum;
use crate::record::form::Problems;
use crate::record::value::hydrate_any_string;
use crate::text::validate::{self, Problem};
use crate::time::civil::{Date, Zone};
use crate::time::working_time::WorkingCalendar;

code_enum! {
    /// The İYS channel.
    pub enum Channel { Sms = "MESAJ", Call = "ARAMA", Email = "EPOSTA" }
}

code_enum! {
    /// Individual (`BIREYSEL`) or merchant (`TACIR`): merchants may be messaged without
    /// prior consent, but a merchant's refusal binds like anyone's.
    pub enum RecipientType { Individual = "BIREYSEL", Merchant = "TACIR" }
}

code_enum! {
    pub enum Status { Consent = "ONAY", Refusal = "RET" }
}

/// İYS consent sources.
pub const SOURCES: &[&str] = &[
    "HS_FIZIKSEL_ORTAM",
    "HS_ISLAK_IMZA",
    "HS_WEB",
    "HS_CAGRI_MERKEZI",
    "HS_SOSYAL_MEDYA",
    "HS_EPOSTA",
    "HS_MESAJ",
    "HS_MOBIL",
    "HS_EORTAM",
    "HS_KARAR",
];

/// Business days within which a consent must reach İYS.
pub const UPLOAD_BUSINESS_DAYS: usize = 3;

/// One entry of the log.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct ConsentEvent {
    /// Random ID, to mark the event uploaded.
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub id: String,
    /// When the person gave or refused consent, ms since the epoch.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub at: i64,
    pub channel: Channel,
    pub recipient_type: RecipientType,
    pub status: Status,
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub source: String,
    /// The phone number (E.164) or e-mail address the consent is for.
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub recipient: String,
    /// How it was obtained: form number, call recording reference, …
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub evidence: String,
    /// E-mail topics subscribed to (workspace subscription types); e-mail only.
    #[autosurgeon(missing = "Default::default")]
    pub topics: Vec<String>,
    /// User ID of the member who recorded it.
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub by: String,
    /// When it was uploaded to İYS (0: not yet).
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_int_or_zero"
    )]
    pub uploaded_at: i64,
}

/// What a member types to record an event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewConsent {
    pub channel: String,
    pub status: String,
    pub source: String,
    pub recipient: String,
    pub evidence: String,
    /// Comma-separated topics.
    pub topics: String,
}

/// The event that holds for `channel`: the newest, a refusal winning a tie.
pub fn current(events: &[ConsentEvent], channel: Channel) -> Option<&ConsentEvent> {
    events
        .iter()
        .filter(|e| e.channel == channel)
        .max_by_key(|e| (e.at, e.status == Status::Refusal))
}

/// Checks `input` against the log and makes the event (`id` random, `at` and `by` from
/// the caller). Every problem is reported, by field; nothing typed is lost.
pub fn record(
    events: &[ConsentEvent],
    input: &NewConsent,
    recipient_type: RecipientType,
    id: String,
    at: i64,
    by: &str,
) -> Result<ConsentEvent, Problems> {
    let mut problems: Problems = Vec::new();
    let channel = Channel::from_code(input.channel.trim());
    let status = Status::from_code(input.status.trim());
    if channel.is_none() {
        problems.push(("channel", Problem::InvalidChoice));
    }
    if status.is_none() {
        problems.push(("status", Problem::InvalidChoice));
    }
    let source = input.source.trim().to_owned();
    if !SOURCES.contains(&source.as_str()) {
        problems.push(("source", Problem::InvalidChoice));
    }
    let recipient = match channel {
        Some(Channel::Email) => validate::email(&input.recipient),
        _ => validate::phone(&input.recipient),
    };
    let recipient = match recipient {
        Ok(r) if r.is_empty() => {
            problems.push(("recipient", Problem::Required));
            r
        }
        Ok(r) => r,
        Err(p) => {
            problems.push(("recipient", p));
            String::new()
        }
    };
    let evidence = validate::optional_text(&input.evidence).unwrap_or_else(|p| {
        problems.push(("evidence", p));
        String::new()
    });
    let topics = crate::record::form::split_tags(&input.topics);
    if let (Some(channel), Some(Status::Refusal)) = (channel, status) {
        // İYS refuses a refusal as the first record of an individual: there is nothing
        // to withdraw. Merchants need no consent, so their refusal may come first.
        let has_consent = events
            .iter()
            .any(|e| e.channel == channel && e.status == Status::Consent);
        if recipient_type == RecipientType::Individual && !has_consent {
            problems.push(("status", Problem::InvalidChoice));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(channel), Some(status)) = (channel, status) else {
        return Err(vec![("channel", Problem::InvalidChoice)]);
    };
    Ok(ConsentEvent {
        id,
        at,
        channel,
        recipient_type,
        status,
        source,
        recipient,
        evidence,
        topics: if channel == Channel::Email && status == Status::Consent {
            topics
        } else {
            Vec::new()
        },
        by: by.to_owned(),
        uploaded_at: 0,
    })
}

/// The refusal (RET) a person's unsubscribe link records for `recipient` on `channel`,
/// at `at`, with `evidence` (which message's link, from where); `None` when what holds
/// for the channel is a refusal already, so using the link twice records it once. The
/// source is `HS_WEB`: the person refused on a web page.
pub fn unsubscribe(
    events: &[ConsentEvent],
    channel: Channel,
    recipient: &str,
    id: String,
    at: i64,
    evidence: &str,
) -> Option<ConsentEvent> {
    if current(events, channel).is_some_and(|e| e.status == Status::Refusal) {
        return None;
    }
    let recipient = match channel {
        Channel::Email => validate::email(recipient),
        _ => validate::phone(recipient),
    }
    .unwrap_or_else(|_| recipient.trim().to_owned());
    Some(ConsentEvent {
        id,
        at,
        channel,
        // The message went to this person, so a consent (or a merchant's standing) was
        // there to withdraw: İYS takes the refusal either way.
        recipient_type: RecipientType::Individual,
        status: Status::Refusal,
        source: "HS_WEB".to_owned(),
        recipient,
        evidence: evidence.chars().take(validate::MAX_SHORT_TEXT).collect(),
        topics: Vec::new(),
        by: String::new(),
        uploaded_at: 0,
    })
}

/// Why a commercial message may not go to someone on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No consent on the channel (individuals need one).
    NoConsent,
    /// The person refused on the channel.
    Refused,
    /// E-mail consent without the campaign's topic.
    NotSubscribedToTopic,
}

/// Whether a commercial message on `channel` (about `topic`, for e-mail) may go to a
/// person of `recipient_type` with this log.
pub fn allows(
    events: &[ConsentEvent],
    recipient_type: RecipientType,
    channel: Channel,
    topic: &str,
) -> Result<(), Refusal> {
    match current(events, channel) {
        Some(e) if e.status == Status::Refusal => Err(Refusal::Refused),
        Some(e) => {
            let topic = topic.trim();
            if channel == Channel::Email
                && !topic.is_empty()
                && !e.topics.is_empty()
                && !e.topics.iter().any(|t| t == topic)
            {
                Err(Refusal::NotSubscribedToTopic)
            } else {
                Ok(())
            }
        }
        None if recipient_type == RecipientType::Merchant => Ok(()),
        None => Err(Refusal::NoConsent),
    }
}

/// The deadline to upload an event to İYS: the end of the third business day after the
/// day it was given (business days from the workspace's working calendar).
pub fn upload_deadline(event: &ConsentEvent, calendar: &WorkingCalendar) -> i64 {
    let zone = calendar.zone;
    let mut date = zone.local(event.at).date;
    let mut counted = 0;
    for _ in 0..60 {
        date = date.add_days(1);
        if calendar.open(date).is_some() {
            counted += 1;
            if counted == UPLOAD_BUSINESS_DAYS {
                break;
            }
        }
    }
    zone.start_of_day_ms(date.add_days(1))
}

/// Consent events not yet uploaded whose deadline is past or within a day.
pub fn overdue<'a>(
    events: impl IntoIterator<Item = &'a ConsentEvent>,
    calendar: &WorkingCalendar,
    now: i64,
) -> Vec<&'a ConsentEvent> {
    events
        .into_iter()
        .filter(|e| e.uploaded_at == 0 && upload_deadline(e, calendar) - now < 86_400_000)
        .collect()
}

/// One row of an İYS bulk upload, with İYS's field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IysRow {
    pub recipient_type: String,
    #[serde(rename = "type")]
    pub channel: String,
    pub source: String,
    pub recipient: String,
    pub status: String,
    /// `YYYY-MM-DD HH:mm:ss`, Turkey time.
    pub consent_date: String,
}

impl IysRow {
    pub fn of(event: &ConsentEvent) -> IysRow {
        let zone = Zone::istanbul();
        let t = zone.local(event.at);
        let seconds = event.at.rem_euclid(60_000) / 1000;
        IysRow {
            recipient_type: event.recipient_type.code().to_owned(),
            channel: event.channel.code().to_owned(),
            source: event.source.clone(),
            recipient: event.recipient.clone(),
            status: event.status.code().to_owned(),
            consent_date: format!("{} {}:{seconds:02}", t.date, t.time_text()),
        }
    }
}

/// The header of the CSV export.
pub const CSV_HEADER: &str = "recipientType,type,source,recipient,status,consentDate";

/// Rows as CSV (CRLF line ends, RFC 4180 quoting).
pub fn to_csv(rows: &[IysRow]) -> String {
    let mut out = format!("{CSV_HEADER}\r\n");
    for r in rows {
        let fields = [
            &r.recipient_type,
            &r.channel,
            &r.source,
            &r.recipient,
            &r.status,
            &r.consent_date,
        ];
        out.push_str(&crate::export::csv::line(fields.iter().map(|f| f.as_str())));
        out.push_str("\r\n");
    }
    out
}

/// Marks the events with these IDs as uploaded at `at`; returns how many changed.
pub fn mark_uploaded(events: &mut [ConsentEvent], ids: &[String], at: i64) -> usize {
    let mut changed = 0;
    for e in events.iter_mut() {
        if e.uploaded_at == 0 && ids.contains(&e.id) {
            e.uploaded_at = at;
            changed += 1;
        }
    }
    changed
}

/// The local date of an event, for display.
pub fn date_of(event: &ConsentEvent) -> Date {
    Zone::istanbul().local(event.at).date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsubscribe_link_records_one_refusal_however_often_it_is_used() {
        let consent = ConsentEvent {
            id: "c1".into(),
            at: 1_000,
            channel: Channel::Email,
            recipient_type: RecipientType::Individual,
            status: Status::Consent,
            source: "HS_WEB".into(),
            recipient: "ayse@example.com".into(),
            topics: vec!["kampanya".into()],
            ..ConsentEvent::default()
        };
        let mut log = vec![consent];
        let evidence = "x".repeat(500);
        let refusal = unsubscribe(
            &log,
            Channel::Email,
            " ayse@Example.COM ",
            "r1".into(),
            2_000,
            &evidence,
        )
        .expect("a refusal");
        assert_eq!(
            (refusal.status, refusal.channel, refusal.source.as_str()),
            (Status::Refusal, Channel::Email, "HS_WEB")
        );
        assert_eq!(refusal.recipient, "ayse@example.com");
        assert_eq!(refusal.evidence.chars().count(), validate::MAX_SHORT_TEXT);
        log.push(refusal);
        assert_eq!(
            current(&log, Channel::Email).map(|e| e.status),
            Some(Status::Refusal)
        );
        // Used again: nothing more to record. SMS is another channel.
        assert!(
            unsubscribe(
                &log,
                Channel::Email,
                "ayse@example.com",
                "r2".into(),
                3_000,
                ""
            )
            .is_none()
        );
        assert!(
            unsubscribe(&log, Channel::Sms, "0532 123 45 67", "r3".into(), 3_000, "")
                .is_some_and(|e| e.recipient == "+905321234567")
        );
    }
    use crate::parties::contact::Contact;
    use crate::record::{EditContext, RecordType, create, read, write};
    use crate::time::civil::LocalDateTime;

    fn at(text: &str) -> i64 {
        Zone::istanbul().to_utc_ms(LocalDateTime::parse(text).unwrap())
    }

    fn event(channel: &str, status: &str, when: &str, events: &[ConsentEvent]) -> ConsentEvent {
        record(
            events,
            &NewConsent {
                channel: channel.into(),
                status: status.into(),
                source: "HS_WEB".into(),
                recipient: if channel == "EPOSTA" {
                    "ayse@example.com".into()
                } else {
                    "0532 123 45 67".into()
                },
                evidence: "Web formu #42".into(),
                topics: "kampanya, bülten".into(),
            },
            RecipientType::Individual,
            format!("{channel}-{status}-{when}"),
            at(when),
            "u1",
        )
        .unwrap()
    }

    #[test]
    fn a_late_consent_from_a_stale_replica_never_overrides_a_newer_refusal() {
        let ctx = EditContext::new("u1", 0);
        let mut contact = Contact::blank(&ctx);
        contact.name = "Ayşe Kaya".into();
        let consent = event("MESAJ", "ONAY", "2026-11-01T10:00", &[]);
        contact.consents.push(consent.clone());
        let base = create(&contact).unwrap();
        let (mut office, mut phone) = (base.fork(), base.fork());

        // The phone, offline for a week, records a consent given on 10 November.
        let mut on_phone: Contact = read(&phone).unwrap();
        let late = event("MESAJ", "ONAY", "2026-11-10T09:00", &on_phone.consents);
        on_phone.consents.push(late);
        write(&mut phone, &on_phone).unwrap();
        // The office records the person's refusal on 20 November.
        let mut in_office: Contact = read(&office).unwrap();
        let refusal = event("MESAJ", "RET", "2026-11-20T15:00", &in_office.consents);
        in_office.consents.push(refusal);
        write(&mut office, &in_office).unwrap();

        // Whichever side merges, the refusal holds and all three events are kept.
        for (a, b) in [
            (&mut office.clone(), &mut phone.clone()),
            (&mut phone, &mut office),
        ] {
            a.merge(b).unwrap();
            let merged: Contact = read(a).unwrap();
            assert_eq!(merged.consents.len(), 3);
            let holds = current(&merged.consents, Channel::Sms).unwrap();
            assert_eq!(holds.status, Status::Refusal);
            assert_eq!(
                allows(
                    &merged.consents,
                    RecipientType::Individual,
                    Channel::Sms,
                    ""
                ),
                Err(Refusal::Refused)
            );
        }
    }

    #[test]
    fn the_gate_follows_channel_topic_and_recipient_type() {
        let mut log = vec![event("EPOSTA", "ONAY", "2026-11-01T10:00", &[])];
        assert_eq!(
            allows(&log, RecipientType::Individual, Channel::Email, "kampanya"),
            Ok(())
        );
        assert_eq!(
            allows(&log, RecipientType::Individual, Channel::Email, "anket"),
            Err(Refusal::NotSubscribedToTopic)
        );
        assert_eq!(
            allows(&log, RecipientType::Individual, Channel::Sms, ""),
            Err(Refusal::NoConsent)
        );
        // A merchant needs no consent, until they refuse.
        assert_eq!(
            allows(&[], RecipientType::Merchant, Channel::Sms, ""),
            Ok(())
        );
        let merchant_refusal = record(
            &[],
            &NewConsent {
                channel: "MESAJ".into(),
                status: "RET".into(),
                source: "HS_CAGRI_MERKEZI".into(),
                recipient: "0212 555 44 33".into(),
                ..NewConsent::default()
            },
            RecipientType::Merchant,
            "r".into(),
            at("2026-11-02T10:00"),
            "u1",
        )
        .unwrap();
        assert_eq!(
            allows(
                &[merchant_refusal],
                RecipientType::Merchant,
                Channel::Sms,
                ""
            ),
            Err(Refusal::Refused)
        );
        // A tie in time: the refusal wins.
        let mut refusal = event("EPOSTA", "RET", "2026-11-01T10:00", &log);
        refusal.topics.clear();
        log.push(refusal);
        assert_eq!(
            current(&log, Channel::Email).unwrap().status,
            Status::Refusal
        );
    }

    #[test]
    fn bad_input_is_refused_with_every_problem() {
        let problems = record(
            &[],
            &NewConsent {
                channel: "FAX".into(),
                status: "ONAY".into(),
                source: "HS_UYDURMA".into(),
                recipient: "12".into(),
                ..NewConsent::default()
            },
            RecipientType::Individual,
            "x".into(),
            0,
            "u1",
        )
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                ("channel", Problem::InvalidChoice),
                ("source", Problem::InvalidChoice),
                ("recipient", Problem::InvalidPhone)
            ]
        );
        // An individual's first record on a channel cannot be a refusal.
        let problems = record(
            &[],
            &NewConsent {
                channel: "EPOSTA".into(),
                status: "RET".into(),
                source: "HS_EPOSTA".into(),
                recipient: "ayse@example.com".into(),
                ..NewConsent::default()
            },
            RecipientType::Individual,
            "x".into(),
            0,
            "u1",
        )
        .unwrap_err();
        assert_eq!(problems, vec![("status", Problem::InvalidChoice)]);
    }

    #[test]
    fn uploads_are_due_within_three_business_days_and_export_in_iys_fields() {
        let cal = WorkingCalendar::default();
        // Given Thursday 26 November 2026: Fri, Mon, Tue → due by the end of Tuesday.
        let mut e = event("MESAJ", "ONAY", "2026-11-26T16:20", &[]);
        assert_eq!(
            cal.local(upload_deadline(&e, &cal)).to_string(),
            "2026-12-02T00:00"
        );
        assert!(overdue([&e], &cal, at("2026-11-30T10:00")).is_empty());
        assert_eq!(overdue([&e], &cal, at("2026-12-01T10:00")).len(), 1);
        let row = IysRow::of(&e);
        assert_eq!(row.consent_date, "2026-11-26 16:20:00");
        assert_eq!(
            serde_json::to_value(&row).unwrap(),
            serde_json::json!({
                "recipientType": "BIREYSEL", "type": "MESAJ", "source": "HS_WEB",
                "recipient": "+905321234567", "status": "ONAY",
                "consentDate": "2026-11-26 16:20:00"
            })
        );
        assert_eq!(
            to_csv(&[row]),
            "recipientType,type,source,recipient,status,consentDate\r\n\
             BIREYSEL,MESAJ,HS_WEB,+905321234567,ONAY,2026-11-26 16:20:00\r\n"
        );
        let id = e.id.clone();
        assert_eq!(mark_uploaded(std::slice::from_mut(&mut e), &[id], 5), 1);
        assert!(overdue([&e], &cal, at("2026-12-10T10:00")).is_empty());
    }
}
