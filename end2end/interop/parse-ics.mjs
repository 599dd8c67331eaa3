// Parses an iCalendar text from standard input with Mozilla's ical.js (an independent
// parser, not the code that wrote the feed) and prints one JSON line: every VEVENT's
// summary, attendees and URL. Used by server/tests/security.rs.
import ICAL from 'ical.js';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const calendar = new ICAL.Component(ICAL.parse(input));
const events = calendar.getAllSubcomponents('vevent').map((event) => ({
  summary: event.getFirstPropertyValue('summary'),
  attendees: event.getAllProperties('attendee').map((a) => a.getFirstValue()),
  url: event.getFirstPropertyValue('url') ?? null,
}));
console.log(JSON.stringify({ events }));
