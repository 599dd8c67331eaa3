//! Recurrence rules and the iCalendar export, fed what a member can type into a
//! meeting: a rule parses or is refused without panicking, a parsed rule written back
//! as iCalendar parses to the same rule, its occurrences are in order and bounded, and
//! a calendar exported from meetings with any title, place, agenda, rule, times and
//! attendees has only lines of at most 75 octets ending in CRLF whose unfolded
//! properties are all ones the export writes: no typed text can end a line and start a
//! property of its own (an `ATTENDEE`, a second `VEVENT`, an `URL`).

use arbitrary::{Arbitrary, Unstructured};
use saha_core::activities::ics::{FeedEvent, calendar};
use saha_core::activities::meeting::Meeting;
use saha_core::record::{EditContext, RecordType};
use saha_core::time::civil::{Date, LocalDateTime, Zone};
use saha_core::time::rrule::{MAX_OCCURRENCES, Rule};

#[derive(Arbitrary, Debug)]
struct Typed {
    recurrence: String,
    title: String,
    location: String,
    agenda: String,
    start: String,
    end: String,
    time_zone: String,
    calendar_name: String,
    attendees: Vec<(String, String)>,
    url: String,
    sequence: i64,
    window_days: u16,
}

/// The properties and components the export writes.
const WRITTEN: [&str; 25] = [
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "CALSCALE",
    "METHOD",
    "X-WR-CALNAME",
    "X-WR-TIMEZONE",
    "TZID",
    "TZOFFSETFROM",
    "TZOFFSETTO",
    "TZNAME",
    "DTSTART",
    "DTEND",
    "DTSTAMP",
    "CREATED",
    "UID",
    "SEQUENCE",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "RRULE",
    "STATUS",
    "ATTENDEE",
    "URL",
];

pub fn check(data: &[u8]) {
    let Ok(typed) = Typed::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let zone = Zone::istanbul();
    if let Ok(rule) = Rule::parse(&typed.recurrence, zone) {
        // Written back, a rule may change form (`UNTIL` becomes an instant in UTC, as
        // RFC 5545 wants beside a `TZID`) but not meaning: the same occurrences.
        let written = rule.to_ical(zone);
        let again = match Rule::parse(&written, zone) {
            Ok(again) => again,
            Err(e) => panic!(
                "{written:?}, written from {:?}, does not parse: {e:?}",
                typed.recurrence
            ),
        };
        assert_eq!(
            again.to_ical(zone),
            written,
            "writing {written:?} again changes it"
        );
        let start = LocalDateTime::parse(&typed.start)
            .or_else(|| Date::new(2026, 1, 5).and_then(|d| LocalDateTime::new(d, 9, 0)));
        if let Some(start) = start {
            let from = zone.to_utc_ms(start);
            let to = from.saturating_add(i64::from(typed.window_days) * 86_400_000);
            let starts = rule.occurrences(start, zone, from, to, usize::MAX);
            assert!(
                starts.len() <= MAX_OCCURRENCES,
                "{} occurrences",
                starts.len()
            );
            assert!(
                starts.windows(2).all(|w| w[0] < w[1]),
                "occurrences out of order"
            );
            assert_eq!(
                again.occurrences(start, zone, from, to, usize::MAX),
                starts,
                "{:?} and {written:?} have other occurrences",
                typed.recurrence
            );
        }
    }
    let mut meeting = Meeting::blank(&EditContext::new("member", 1_700_000_000_000));
    meeting.title = typed.title;
    meeting.location = typed.location;
    meeting.agenda = typed.agenda;
    meeting.recurrence = typed.recurrence;
    meeting.start = typed.start;
    meeting.end = typed.end;
    meeting.time_zone = typed.time_zone;
    meeting.sequence = typed.sequence;
    let events = [FeedEvent {
        id: "4Yk7Jq2Tn",
        meeting: &meeting,
        attendees: typed.attendees,
        url: typed.url,
    }];
    let ics = calendar(&typed.calendar_name, &events, 1_800_000_000_000);
    assert!(ics.ends_with("\r\n"), "the calendar does not end with CRLF");
    for physical in ics.split_terminator("\r\n") {
        assert!(physical.len() <= 75, "a line of {} octets", physical.len());
        assert!(
            !physical.contains(['\r', '\n']),
            "a bare line break in {physical:?}"
        );
    }
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.matches("\r\nBEGIN:VEVENT\r\n").count() <= 1,
        "one meeting became several events"
    );
    for logical in unfolded.split_terminator("\r\n") {
        let name_end = logical.find([':', ';']).unwrap_or(logical.len());
        let name = &logical[..name_end];
        assert!(
            WRITTEN.contains(&name),
            "a property the export does not write: {logical:?}"
        );
    }
}
