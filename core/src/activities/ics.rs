//! iCalendar (RFC 5545) output: the subscription feeds of calendars and single meetings
//! downloaded as `.ics` files, in the form Google, Apple and Outlook calendars accept.
//!
//! Each meeting becomes a `VEVENT` whose `UID` is its document ID (stable across edits),
//! with `SEQUENCE` from the meeting, local start and end with `TZID` and a matching
//! `VTIMEZONE`, the recurrence rule with `UNTIL` in UTC, and `STATUS:CANCELLED` for
//! cancelled meetings so subscribers remove them. Text is escaped and lines are folded
//! at 75 octets without splitting a UTF-8 character, with CRLF line ends.

use crate::activities::meeting::{Meeting, Status};
use crate::time::civil::{LocalDateTime, Zone};
use crate::time::rrule::Rule;

/// A meeting with what the feed needs beside the record.
pub struct FeedEvent<'a> {
    /// The meeting's document ID.
    pub id: &'a str,
    pub meeting: &'a Meeting,
    /// Attendees: (name, e-mail) of the contacts and members who have an address.
    pub attendees: Vec<(String, String)>,
    /// A link back to the meeting in Saha, or "".
    pub url: String,
}

/// Escapes a TEXT value.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value, quoted when it holds `:`, `;` or `,` (double quotes cannot be
/// escaped in parameters and are dropped).
fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// A `mailto:` URI for an attendee, or `None` when `email` is not an address: every
/// character but letters, digits and `@._+-` is percent-encoded, so nothing in it can
/// end the line, open a parameter or start a property.
fn mailto(email: &str) -> Option<String> {
    let valid = crate::text::validate::email(email)
        .ok()
        .filter(|e| !e.is_empty())?;
    let mut out = String::from("mailto:");
    for byte in valid.bytes() {
        if byte.is_ascii_alphanumeric() || b"@._+-".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(out)
}

/// A URI value: control characters and spaces removed (a URI has neither).
fn uri(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// Appends a content line, folded at 75 octets.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn local_stamp(t: LocalDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}00",
        t.date.year,
        t.date.month,
        t.date.day,
        t.minute / 60,
        t.minute % 60
    )
}

fn utc_stamp(ms: i64) -> String {
    format!("{}Z", local_stamp(Zone::UTC.local(ms)))
}

fn timezone(out: &mut String, zone: Zone) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", zone.name));
    line(out, "BEGIN:STANDARD");
    line(out, "DTSTART:19700101T000000");
    line(out, &format!("TZOFFSETFROM:{}", zone.ical_offset()));
    line(out, &format!("TZOFFSETTO:{}", zone.ical_offset()));
    let hours = zone.offset_minutes / 60;
    let name = if zone.offset_minutes == 0 {
        "UTC".to_owned()
    } else {
        format!("{}{:02}", if hours < 0 { '-' } else { '+' }, hours.abs())
    };
    line(out, &format!("TZNAME:{name}"));
    line(out, "END:STANDARD");
    line(out, "END:VTIMEZONE");
}

fn event(out: &mut String, e: &FeedEvent<'_>, now_ms: i64) -> bool {
    let m = e.meeting;
    let (Some(start), Some(end)) = (LocalDateTime::parse(&m.start), LocalDateTime::parse(&m.end))
    else {
        return false;
    };
    let zone = m.zone();
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}@saha", e.id));
    line(out, &format!("DTSTAMP:{}", utc_stamp(now_ms)));
    if m.common.created_at > 0 {
        line(out, &format!("CREATED:{}", utc_stamp(m.common.created_at)));
    }
    line(
        out,
        &format!("DTSTART;TZID={}:{}", zone.name, local_stamp(start)),
    );
    line(
        out,
        &format!("DTEND;TZID={}:{}", zone.name, local_stamp(end)),
    );
    line(out, &format!("SEQUENCE:{}", m.sequence.max(0)));
    line(out, &format!("SUMMARY:{}", text(&m.title)));
    if !m.location.is_empty() {
        line(out, &format!("LOCATION:{}", text(&m.location)));
    }
    if !m.agenda.is_empty() {
        line(out, &format!("DESCRIPTION:{}", text(&m.agenda)));
    }
    if let Ok(rule) = Rule::parse(&m.recurrence, zone)
        && !m.recurrence.is_empty()
    {
        line(out, &format!("RRULE:{}", rule.to_ical(zone)));
    }
    let status = match m.status {
        Status::Confirmed => "CONFIRMED",
        Status::Tentative => "TENTATIVE",
        Status::Cancelled => "CANCELLED",
    };
    line(out, &format!("STATUS:{status}"));
    for (name, email) in &e.attendees {
        // An attendee whose address is not one is left out, not written raw.
        if let Some(mailto) = mailto(email) {
            line(
                out,
                &format!("ATTENDEE;CN={};ROLE=REQ-PARTICIPANT:{mailto}", param(name)),
            );
        }
    }
    if !e.url.is_empty() {
        line(out, &format!("URL:{}", uri(&e.url)));
    }
    line(out, "END:VEVENT");
    true
}

/// A calendar named `name` holding `events`, stamped `now_ms`.
pub fn calendar(name: &str, events: &[FeedEvent<'_>], now_ms: i64) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Saha//Saha CRM//TR");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    line(
        &mut out,
        &format!("X-WR-TIMEZONE:{}", crate::time::civil::ISTANBUL),
    );
    let mut zones: Vec<Zone> = Vec::new();
    for e in events {
        let zone = e.meeting.zone();
        if !zones.contains(&zone) {
            zones.push(zone);
        }
    }
    for zone in zones {
        timezone(&mut out, zone);
    }
    for e in events {
        event(&mut out, e, now_ms);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{EditContext, RecordType};

    #[test]
    fn long_turkish_lines_fold_without_splitting_characters() {
        let mut out = String::new();
        let summary = format!(
            "SUMMARY:{}",
            "Çağrı merkezi şikâyet toplantısı, İstanbul; ".repeat(4)
        );
        line(&mut out, &text(&summary));
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.replace("\r\n ", "").replace("\r\n", "");
        assert_eq!(unfolded, text(&summary));
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(param("Yılmaz, Ayşe"), "\"Yılmaz, Ayşe\"");
    }

    #[test]
    fn a_feed_has_the_parts_calendar_apps_require() {
        let mut m = Meeting::blank(&EditContext::new("ayse", 1_700_000_000_000));
        m.title = "Bayi ziyareti".into();
        m.start = "2026-11-24T10:00".into();
        m.end = "2026-11-24T11:30".into();
        m.recurrence = "FREQ=WEEKLY;UNTIL=20261222".into();
        m.sequence = 2;
        let events = [FeedEvent {
            id: "abc",
            meeting: &m,
            attendees: vec![("Ayşe Kaya".into(), "ayse@example.com".into())],
            url: String::new(),
        }];
        let ics = calendar("Satış", &events, 1_800_000_000_000);
        for needle in [
            "BEGIN:VCALENDAR\r\n",
            "TZID:Europe/Istanbul\r\n",
            "UID:abc@saha\r\n",
            "DTSTART;TZID=Europe/Istanbul:20261124T100000\r\n",
            "DTEND;TZID=Europe/Istanbul:20261124T113000\r\n",
            "SEQUENCE:2\r\n",
            "RRULE:FREQ=WEEKLY;UNTIL=20261222T205959Z\r\n",
            "DTSTAMP:20270115T080000Z\r\n",
            "ATTENDEE;CN=Ayşe Kaya;ROLE=REQ-PARTICIPANT:mailto:ayse@example.com\r\n",
            "END:VCALENDAR\r\n",
        ] {
            assert!(ics.contains(needle), "missing {needle:?} in\n{ics}");
        }
    }

    #[test]
    fn hostile_values_stay_inside_their_property() {
        let mut m = Meeting::blank(&EditContext::new("ayse", 1_700_000_000_000));
        m.title = "Toplantı\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:sahte".into();
        m.location = "Ofis;ALTREP=\"https://evil.example\":x".into();
        m.agenda = "Gündem\nURL:https://evil.example/login".into();
        m.start = "2026-11-24T10:00".into();
        m.end = "2026-11-24T11:00".into();
        let events = [FeedEvent {
            id: "abc",
            meeting: &m,
            attendees: vec![
                (
                    "Kötü\r\nATTENDEE:mailto:x@evil.example".into(),
                    "x@example.com\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nURL:https://evil.example/login"
                        .into(),
                ),
                ("Ayşe;Kaya".into(), "ayşe+crm@example.com".into()),
            ],
            url: "https://saha.example/m/abc\r\nURL:https://evil.example".into(),
        }];
        let ics = calendar("Satış", &events, 1_800_000_000_000);
        let unfolded = ics.replace("\r\n ", "");
        let lines: Vec<&str> = unfolded.split("\r\n").collect();
        assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 1);
        assert_eq!(lines.iter().filter(|l| l.starts_with("URL:")).count(), 1);
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("SUMMARY:")).count(),
            1
        );
        // The invalid address is left out; the valid one is percent-encoded.
        let attendees: Vec<&&str> = lines.iter().filter(|l| l.starts_with("ATTENDEE")).collect();
        assert_eq!(
            attendees,
            [&"ATTENDEE;CN=\"Ayşe;Kaya\";ROLE=REQ-PARTICIPANT:mailto:ay%C5%9Fe+crm@example.com"]
        );
        assert!(lines.iter().all(|l| !l.starts_with("URL:https://evil")));
        assert!(
            lines.contains(&"DESCRIPTION:Gündem\\nURL:https://evil.example/login"),
            "the agenda stays one escaped value"
        );
    }
}
