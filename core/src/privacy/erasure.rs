//! Erasing a person (KVKK Art. 7 and 11; the Regulation on Erasure, Destruction or
//! Anonymisation of Personal Data): which records go, and what the others keep.
//!
//! An Automerge document keeps every value it ever held, so no record can be cleaned
//! in place. [`plan`] decides, for the person whose record is `person`:
//!
//! - their own record (contact, lead or account) is **erased**: the document is
//!   destroyed and its ID answered as unavailable from then on;
//! - every other record that refers to them — a call, a case, a meeting, an order, an
//!   invoice the law makes the company keep, a campaign that messaged them — is
//!   **anonymised**: rebuilt from its current state as a new document (one change, no
//!   history) without the link to them and with every trace of who they are masked
//!   ([`anonymise`]); the old document is destroyed like theirs. The person handling
//!   the request may choose to erase such a record whole instead ([`Treatment`]).
//!
//! What identifies the person ([`Identity`]) is read from their own record: its name,
//! every e-mail address and phone number in it (its fields and its consent log), and
//! its ID. Masking finds an address in any case and a phone number however it was
//! typed (`0532 123 45 67`, `+90 532 1234567`). Free text that names the person some
//! other way ("Ayşe Hanım") is not found: for such a record, choose erasure.
//!
//! Nothing here does I/O; the server runs the plan.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::kinds::Record;
use crate::record::form::Input;

/// What replaces a masked name, address or number.
pub const MASK: &str = "***";

/// What happens to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// Destroyed whole.
    Erase,
    /// Rebuilt under a new ID without the person.
    Anonymise,
}

/// One record the erasure touches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Planned {
    pub id: String,
    pub kind: String,
    /// Its title now (the person's own record: their name).
    pub title: String,
    /// Whether it is the person's own record.
    pub own: bool,
    pub treatment: Treatment,
    /// What an anonymised record becomes (`None` when erased).
    #[serde(skip)]
    pub rebuilt: Option<Record>,
}

/// Who the person is, as far as masking goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// Their record's ID.
    pub person: String,
    /// Their name as written in their record.
    pub names: Vec<String>,
    /// Lower-cased e-mail addresses.
    pub emails: Vec<String>,
    /// The last ten digits of each phone number (the national number in Turkey).
    pub phones: Vec<String>,
}

/// What an erasure will do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErasurePlan {
    pub person: String,
    /// Their record's kind.
    pub kind: String,
    pub name: String,
    /// Their own record first, then the records that refer to them, oldest first.
    pub records: Vec<Planned>,
    /// How many e-mail addresses and phone numbers go on the suppression list.
    pub suppressed: usize,
    #[serde(skip)]
    pub identity: Identity,
    /// The addresses for the suppression list: lower-cased e-mail addresses and
    /// E.164 phone numbers.
    #[serde(skip)]
    pub addresses: Vec<String>,
}

impl ErasurePlan {
    /// How many records are erased and how many anonymised.
    pub fn counts(&self) -> (usize, usize) {
        let erased = self
            .records
            .iter()
            .filter(|p| p.treatment == Treatment::Erase)
            .count();
        (erased, self.records.len() - erased)
    }
}

/// What the person handling a request asks for: erase the person whose record is
/// `person`, under request `request` (may be empty), erasing the records in
/// `erase_whole` instead of anonymising them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EraseInput {
    pub person: String,
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub erase_whole: Vec<String>,
}

/// One record an erasure destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gone {
    pub id: String,
    pub kind: String,
    /// The anonymised record that took its place (`None`: erased whole).
    pub replaced_by: Option<String>,
}

/// The destruction record an erasure leaves (kept at least 3 years): what was
/// destroyed, when, by whom and under which request — record IDs and kinds, never a
/// name, an address or a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Destruction {
    pub id: String,
    /// Ms since the epoch.
    pub at: i64,
    /// The member who ran it (their e-mail address), or the API token's name.
    pub by: String,
    /// The data-subject request it answers (empty: none named).
    pub request: String,
    /// The person's record ID (destroyed, so it names nobody any more).
    pub person: String,
    pub records: Vec<Gone>,
    /// How many addresses and numbers went on the suppression list.
    pub suppressed: usize,
}

impl Destruction {
    /// How many records were erased whole and how many anonymised.
    pub fn counts(&self) -> (usize, usize) {
        let erased = self
            .records
            .iter()
            .filter(|g| g.replaced_by.is_none())
            .count();
        (erased, self.records.len() - erased)
    }
}

/// A document erased from the workspace, as a device learns of it to drop its own
/// copy (`GET /api/sync/erased`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErasedDoc {
    pub id: String,
    /// Ms since the epoch.
    pub erased_at: i64,
    /// The anonymised record that took its place, if one did.
    pub replaced_by: Option<String>,
}

/// A device telling the server it dropped every erased document up to `up_to`
/// (`POST /api/sync/erased`), kept as evidence with the erasures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PurgeAck {
    /// The device's own name for itself (its local database's ID), at most 64 characters.
    pub device: String,
    /// The newest `erasedAt` it dropped.
    pub up_to: i64,
}

/// Digits of the ten-digit national number a phone string ends with, if it has ten.
fn national(digits: &str) -> Option<String> {
    (digits.len() >= 10).then(|| digits[digits.len() - 10..].to_owned())
}

fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

impl Identity {
    /// The identity in the person's own `record`, whose ID is `person`; the second
    /// value is the addresses for the suppression list.
    pub fn of(person: &str, record: &Record) -> (Identity, Vec<String>) {
        let mut identity = Identity {
            person: person.to_owned(),
            ..Identity::default()
        };
        let mut addresses = BTreeSet::new();
        let name = record.title();
        if name.trim().chars().count() >= 2 {
            identity.names.push(name.trim().to_owned());
        }
        let form = record.form();
        let mut note = |value: &str, input: Input| {
            let value = value.trim();
            match input {
                Input::Email if value.contains('@') => {
                    let email = value.to_lowercase();
                    if !identity.emails.contains(&email) {
                        identity.emails.push(email.clone());
                    }
                    addresses.insert(email);
                }
                Input::Phone => {
                    if let Some(number) = national(&digits_of(value)) {
                        if !identity.phones.contains(&number) {
                            identity.phones.push(number);
                        }
                        if let Ok(e164) = crate::text::validate::phone(value) {
                            addresses.insert(e164);
                        }
                    }
                }
                _ => {}
            }
        };
        for field in record.fields() {
            note(form.get(field.name), field.input);
        }
        // Addresses the consent log holds (an address consented to and later changed).
        if let Ok(Value::Object(outer)) = serde_json::to_value(record) {
            for inner in outer.values() {
                if let Some(Value::Array(consents)) = inner.get("consents") {
                    for consent in consents {
                        if let Some(recipient) = consent.get("recipient").and_then(Value::as_str) {
                            let input = if recipient.contains('@') {
                                Input::Email
                            } else {
                                Input::Phone
                            };
                            note(recipient, input);
                        }
                    }
                }
            }
        }
        (identity, addresses.into_iter().collect())
    }

    /// `text` with every name, address and phone number of the person masked.
    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for word in self.names.iter().chain(&self.emails) {
            out = replace_caseless(&out, word);
        }
        if !self.phones.is_empty() {
            out = self.mask_phones(&out);
        }
        out
    }

    /// Masks every run of digits and phone punctuation whose digits end with one of
    /// the person's numbers.
    fn mask_phones(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for run in phone_runs(text) {
            out.push_str(&text[copied..run.start]);
            let number = &text[run.start..run.number_end];
            let ours = national(&digits_of(number)).is_some_and(|n| self.phones.contains(&n));
            out.push_str(if ours { MASK } else { number });
            // Trailing spaces and punctuation stay as they were.
            out.push_str(&text[run.number_end..run.end]);
            copied = run.end;
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// A run of digits and phone punctuation in a text (byte offsets): where it starts, where
/// its last digit ends, and where its trailing spaces and punctuation end.
struct PhoneRun {
    start: usize,
    number_end: usize,
    end: usize,
}

/// Every run of digits and phone punctuation in `text` that starts with a digit or `+`:
/// where masking and finding a person look for phone numbers.
fn phone_runs(text: &str) -> Vec<PhoneRun> {
    let is_phone_char = |c: char| c.is_ascii_digit() || " +()-./".contains(c);
    let mut runs = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(|c: char| c.is_ascii_digit() || c == '+') {
        let start = from + found;
        // A run holds at least its first character, a digit or `+`.
        let len = text[start..]
            .find(|c: char| !is_phone_char(c))
            .unwrap_or(text.len() - start)
            .max(1);
        let run = &text[start..start + len];
        let number_end = start + run.rfind(|c: char| c.is_ascii_digit()).map_or(0, |i| i + 1);
        runs.push(PhoneRun {
            start,
            number_end,
            end: start + len,
        });
        from = start + len;
    }
    runs
}

/// `text` with every occurrence of `word`, in any case, replaced by [`MASK`].
fn replace_caseless(text: &str, word: &str) -> String {
    let needle: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return text.to_owned();
    }
    let lowered: Vec<(usize, char)> = text
        .char_indices()
        .flat_map(|(i, c)| c.to_lowercase().map(move |l| (i, l)))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i + needle.len() <= lowered.len() {
        let matches = lowered[i..i + needle.len()]
            .iter()
            .map(|(_, c)| c)
            .eq(needle.iter());
        // A match must start and end on whole characters of the original text, and on
        // word boundaries ("Ali" is not masked inside "Kalite").
        let start = lowered[i].0;
        let end = lowered
            .get(i + needle.len())
            .map_or(text.len(), |(b, _)| *b);
        let whole = (i == 0 || lowered[i - 1].0 != start)
            && (i + needle.len() == lowered.len() || lowered[i + needle.len() - 1].0 != end);
        let bounded = !text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        let whole = whole && bounded;
        if matches && whole && start >= copied {
            out.push_str(&text[copied..start]);
            out.push_str(MASK);
            copied = end;
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether `value` holds the text `id` anywhere (a field, a list, a map's key).
pub(crate) fn mentions(value: &Value, id: &str) -> bool {
    match value {
        Value::String(s) => s == id || (s.len() > id.len() && s.contains(id)),
        Value::Array(items) => items.iter().any(|v| mentions(v, id)),
        Value::Object(map) => map.iter().any(|(k, v)| k == id || mentions(v, id)),
        _ => false,
    }
}

/// `value` without the person: their ID dropped from lists and maps and cut out of
/// text (a comma-separated list of IDs loses theirs), everything else masked.
fn without(value: Value, identity: &Identity) -> Value {
    let id = identity.person.as_str();
    match value {
        Value::String(s) if s == id => Value::String(String::new()),
        Value::String(s) if s.contains(id) => {
            let listed: Vec<&str> = s.split(',').map(str::trim).collect();
            let cut = if listed.len() > 1 && listed.contains(&id) {
                listed
                    .into_iter()
                    .filter(|part| *part != id)
                    .collect::<Vec<_>>()
                    .join(",")
            } else {
                s.replace(id, "")
            };
            Value::String(identity.mask(&cut))
        }
        Value::String(s) => Value::String(identity.mask(&s)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .filter(|v| v.as_str() != Some(id))
                .map(|v| without(v, identity))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| k != id)
                .map(|(k, v)| (k, without(v, identity)))
                .collect(),
        ),
        other => other,
    }
}

/// `record` without the person: their ID dropped from lists and maps and cut out of
/// text, everything else masked; `None` if the result is not a
/// valid record any more (then it is erased instead).
pub fn anonymise(record: &Record, identity: &Identity) -> Option<Record> {
    let value = serde_json::to_value(record).ok()?;
    let mut rebuilt: Record = serde_json::from_value(without(value, identity)).ok()?;
    // A photo, a voice message or a document may show or voice the person, and no
    // masking reaches into a file: an anonymised record keeps none of its attachments
    // (the server then removes the files no other record holds).
    rebuilt.common_mut().attachments.clear();
    Some(rebuilt)
}

/// What erasing the person whose record is `person` does to `records` (every record
/// of the workspace, deleted ones too); `None` when no record has that ID. Records
/// in `erase_whole` are erased instead of anonymised.
pub fn plan<'a>(
    person: &str,
    records: impl IntoIterator<Item = (&'a str, &'a Record)>,
    erase_whole: &BTreeSet<String>,
) -> Option<ErasurePlan> {
    let records: Vec<(&str, &Record)> = records.into_iter().collect();
    let (_, own) = records.iter().find(|(id, _)| *id == person)?;
    let (identity, addresses) = Identity::of(person, own);
    let numbers_only = Identity {
        phones: identity.phones.clone(),
        ..Identity::default()
    };
    let mut related: Vec<(i64, Planned)> = Vec::new();
    for (id, record) in &records {
        if *id == person {
            continue;
        }
        let Ok(data) = serde_json::to_value(record) else {
            continue;
        };
        // A name alone does not make a record theirs (names are not unique); their
        // ID, an address or a number does.
        let refers = mentions(&data, person)
            || identity.emails.iter().any(|e| mentions_caseless(&data, e))
            || (!numbers_only.phones.is_empty() && {
                let text = data.to_string();
                numbers_only.mask(&text) != text
            });
        if !refers {
            continue;
        }
        let rebuilt = if erase_whole.contains(*id) {
            None
        } else {
            anonymise(record, &identity)
        };
        related.push((
            record.common().created_at,
            Planned {
                id: (*id).to_owned(),
                kind: record.kind(),
                title: record.title(),
                own: false,
                treatment: if rebuilt.is_some() {
                    Treatment::Anonymise
                } else {
                    Treatment::Erase
                },
                rebuilt,
            },
        ));
    }
    related.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    let own = Planned {
        id: person.to_owned(),
        kind: own.kind(),
        title: own.title(),
        own: true,
        treatment: Treatment::Erase,
        rebuilt: None,
    };
    Some(ErasurePlan {
        person: person.to_owned(),
        kind: own.kind.clone(),
        name: own.title.clone(),
        records: std::iter::once(own)
            .chain(related.into_iter().map(|(_, p)| p))
            .collect(),
        suppressed: addresses.len(),
        identity,
        addresses,
    })
}

/// The plan that destroys record `id` whole and touches nothing else: for a record
/// that is not a person but a log entry about one (a call kept past its retention).
/// Records that link to it keep the link, which then leads nowhere.
pub fn plan_destroy(id: &str, record: &Record) -> ErasurePlan {
    ErasurePlan {
        person: id.to_owned(),
        kind: record.kind(),
        name: record.title(),
        records: vec![Planned {
            id: id.to_owned(),
            kind: record.kind(),
            title: record.title(),
            own: true,
            treatment: Treatment::Erase,
            rebuilt: None,
        }],
        suppressed: 0,
        identity: Identity {
            person: id.to_owned(),
            ..Identity::default()
        },
        addresses: Vec::new(),
    }
}

/// The plans for erasing every person in `persons` and destroying every record in
/// `destroyed` at once (a retention run). Each record is read once to learn whom it
/// refers to (their ID, an address or a number, as [`plan`] decides), so the cost grows
/// with the records, not with records × people. The plans are made one after the
/// other: a record that refers to two of the people is rebuilt without either, and the
/// last plan that touches a record says what becomes of it. People and records not
/// found, or erased by an earlier plan of the batch, are left out.
pub fn plan_batch<'a>(
    persons: &[String],
    destroyed: &[String],
    records: impl IntoIterator<Item = (&'a str, &'a Record)>,
) -> Vec<ErasurePlan> {
    use std::collections::HashMap;
    let records: Vec<(&str, &Record)> = records.into_iter().collect();
    let position: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    // Who the people are, and how to find them in text.
    let mut people: Vec<(usize, Identity, Vec<String>)> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_phone: HashMap<String, Vec<usize>> = HashMap::new();
    for person in persons {
        let Some(&at) = position.get(person.as_str()) else {
            continue;
        };
        if by_id.contains_key(person.as_str()) {
            continue;
        }
        let (identity, addresses) = Identity::of(person, records[at].1);
        let p = people.len();
        by_id.insert(records[at].0, p);
        for email in &identity.emails {
            by_email.entry(email.clone()).or_default().push(p);
        }
        for phone in &identity.phones {
            by_phone.entry(phone.clone()).or_default().push(p);
        }
        people.push((at, identity, addresses));
    }
    // Which records refer to each person (not their own record).
    let mut referring: Vec<Vec<usize>> = vec![Vec::new(); people.len()];
    if !people.is_empty() {
        for (r, (_, record)) in records.iter().enumerate() {
            let Ok(data) = serde_json::to_value(record) else {
                continue;
            };
            let mut who = BTreeSet::new();
            named_people(&data, &by_id, &by_email, &by_phone, &mut who);
            for p in who {
                if people[p].0 != r {
                    referring[p].push(r);
                }
            }
        }
    }
    // What each record is now: `None` once erased by an earlier plan.
    let mut current: HashMap<usize, Option<Record>> = HashMap::new();
    let now_of = |current: &HashMap<usize, Option<Record>>, r: usize| -> Option<Record> {
        match current.get(&r) {
            Some(state) => state.clone(),
            None => Some(records[r].1.clone()),
        }
    };
    let mut plans = Vec::new();
    for (p, (own_at, identity, addresses)) in people.into_iter().enumerate() {
        let Some(own) = now_of(&current, own_at) else {
            continue;
        };
        let mut related: Vec<(i64, Planned)> = Vec::new();
        for &r in &referring[p] {
            let Some(record) = now_of(&current, r) else {
                continue;
            };
            let rebuilt = anonymise(&record, &identity);
            related.push((
                record.common().created_at,
                Planned {
                    id: records[r].0.to_owned(),
                    kind: record.kind(),
                    title: record.title(),
                    own: false,
                    treatment: if rebuilt.is_some() {
                        Treatment::Anonymise
                    } else {
                        Treatment::Erase
                    },
                    rebuilt: rebuilt.clone(),
                },
            ));
            current.insert(r, rebuilt);
        }
        related.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        current.insert(own_at, None);
        let person = records[own_at].0.to_owned();
        let own = Planned {
            id: person.clone(),
            kind: own.kind(),
            title: own.title(),
            own: true,
            treatment: Treatment::Erase,
            rebuilt: None,
        };
        plans.push(ErasurePlan {
            person,
            kind: own.kind.clone(),
            name: own.title.clone(),
            records: std::iter::once(own)
                .chain(related.into_iter().map(|(_, p)| p))
                .collect(),
            suppressed: addresses.len(),
            identity,
            addresses,
        });
    }
    for id in destroyed {
        let Some(&at) = position.get(id.as_str()) else {
            continue;
        };
        if let Some(record) = now_of(&current, at) {
            current.insert(at, None);
            plans.push(plan_destroy(id, &record));
        }
    }
    plans
}

/// Adds to `who` every person `value` refers to: by ID (a string, a word of one, or a
/// map's key; IDs are letters and digits), by e-mail address (any case), or by phone
/// number (however typed).
fn named_people(
    value: &Value,
    by_id: &std::collections::HashMap<&str, usize>,
    by_email: &std::collections::HashMap<String, Vec<usize>>,
    by_phone: &std::collections::HashMap<String, Vec<usize>>,
    who: &mut BTreeSet<usize>,
) {
    let text = |text: &str, who: &mut BTreeSet<usize>| {
        for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            if let Some(p) = by_id.get(word) {
                who.insert(*p);
            }
        }
        if !by_email.is_empty() && text.contains('@') {
            let lowered = text.to_lowercase();
            for word in
                lowered.split(|c: char| c.is_whitespace() || "<>,;:\"'()[]{}/\\|".contains(c))
            {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                if let Some(ps) = by_email.get(word) {
                    who.extend(ps.iter().copied());
                }
            }
        }
        if !by_phone.is_empty() {
            for number in national_numbers(text) {
                if let Some(ps) = by_phone.get(&number) {
                    who.extend(ps.iter().copied());
                }
            }
        }
    };
    match value {
        Value::String(s) => text(s, who),
        Value::Array(items) => {
            for v in items {
                named_people(v, by_id, by_email, by_phone, who);
            }
        }
        Value::Object(map) => {
            for (key, v) in map {
                text(key, who);
                named_people(v, by_id, by_email, by_phone, who);
            }
        }
        _ => {}
    }
}

/// The ten-digit national numbers of the phone numbers in `text` (found as
/// [`Identity::mask`] finds them).
fn national_numbers(text: &str) -> Vec<String> {
    phone_runs(text)
        .into_iter()
        .filter_map(|run| national(&digits_of(&text[run.start..run.number_end])))
        .collect()
}

fn mentions_caseless(value: &Value, lowered: &str) -> bool {
    match value {
        Value::String(s) => s.to_lowercase().contains(lowered),
        Value::Array(items) => items.iter().any(|v| mentions_caseless(v, lowered)),
        Value::Object(map) => map.values().any(|v| mentions_caseless(v, lowered)),
        _ => false,
    }
}

/// `value` with every string equal to, or holding, an old ID of `replaced` given its
/// new ID (keys too): what a record that links to anonymised records becomes.
pub fn relink(value: Value, replaced: &[(String, String)]) -> Value {
    let swap = |s: String| {
        replaced.iter().fold(s, |s, (old, new)| {
            if s.contains(old.as_str()) {
                s.replace(old.as_str(), new)
            } else {
                s
            }
        })
    };
    match value {
        Value::String(s) => Value::String(swap(s)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| relink(v, replaced)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (swap(k), relink(v, replaced)))
                .collect(),
        ),
        other => other,
    }
}

/// `record` with its links to anonymised records moved to their new IDs; `None` when
/// it names none of them.
pub fn relinked(record: &Record, replaced: &[(String, String)]) -> Option<Record> {
    let value = serde_json::to_value(record).ok()?;
    if !replaced.iter().any(|(old, _)| mentions(&value, old)) {
        return None;
    }
    serde_json::from_value(relink(value, replaced)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engagement::campaign::{Campaign, Delivery, DeliveryState};
    use crate::record::EditContext;

    use crate::privacy::test_record as make;

    fn identity() -> Identity {
        Identity {
            person: "p-1".into(),
            names: vec!["Ayşe Marker".into()],
            emails: vec!["ayse@example.com".into()],
            phones: vec!["5321234567".into()],
        }
    }

    #[test]
    fn an_anonymised_record_keeps_no_attachment() {
        let mut case = make(
            crate::service::case::KIND,
            &[("subject", "Ayşe Marker iade istedi")],
        );
        case.common_mut()
            .attach(crate::record::attachment::Attachment {
                hash: "ab".repeat(32),
                name: "ayse-sesli-mesaj.webm".into(),
                media_type: "audio/webm".into(),
                size: 10,
                ..Default::default()
            });
        let rebuilt = anonymise(&case, &identity()).expect("rebuilt");
        assert!(rebuilt.common().attachments.is_empty());
        assert!(!rebuilt.title().contains("Marker"));
    }

    #[test]
    fn masks_names_in_any_case_addresses_and_numbers_however_typed() {
        let who = identity();
        assert_eq!(who.mask("AYŞE MARKER aradı"), "*** aradı");
        assert_eq!(who.mask("ayşe marker, Ayşe Marker"), "***, ***");
        assert_eq!(who.mask("yaz: Ayse@Example.com."), "yaz: ***.");
        for typed in [
            "0532 123 45 67",
            "+90 (532) 123-45-67",
            "5321234567",
            "+905321234567",
        ] {
            assert_eq!(who.mask(&format!("tel {typed}, sonra")), "tel ***, sonra");
        }
        // Other numbers and text stay.
        assert_eq!(
            who.mask("Sipariş 2025-04-03 tutar 1.234,56; 0533 999 88 77"),
            "Sipariş 2025-04-03 tutar 1.234,56; 0533 999 88 77"
        );
        assert_eq!(who.mask(""), "");
        // Whole words only.
        assert_eq!(who.mask("Ayşe Markeröz"), "Ayşe Markeröz");
        let short = Identity {
            names: vec!["Ali".into()],
            ..Identity::default()
        };
        assert_eq!(short.mask("Kalite: Ali, ALİ'ye"), "Kalite: ***, ALİ'ye");
    }

    #[test]
    fn the_own_record_goes_and_the_others_lose_the_person() {
        let person = "p-ayse";
        let contact = make(
            "contact",
            &[
                ("name", "Ayşe Marker-7Q"),
                ("email", "ayse.marker7q@example.com"),
                ("mobile", "0532 765 43 21"),
            ],
        );
        let call = make(
            "call",
            &[
                ("contact", person),
                ("direction", "incoming"),
                ("number", "0532 765 43 21"),
                ("started", "2025-04-03T14:30"),
                ("notes", "Ayşe Marker-7Q fiyat sordu"),
            ],
        );
        let case = make("case", &[("subject", "Kargo gecikti"), ("contact", person)]);
        let unrelated = make("case", &[("subject", "Başka dert")]);
        let mut campaign = {
            use crate::record::RecordType;
            Record::Campaign(Campaign::blank(&EditContext::new("u1", 1_000)))
        };
        if let Record::Campaign(c) = &mut campaign {
            c.name = "Kış".into();
            c.people = vec![person.into(), "p-other".into()];
            c.deliveries.insert(
                person.into(),
                Delivery {
                    address: "ayse.marker7q@example.com".into(),
                    state: DeliveryState::Sent,
                    at: 5,
                    error: String::new(),
                },
            );
        }
        let records = [
            (person, &contact),
            ("call-1", &call),
            ("case-1", &case),
            ("case-2", &unrelated),
            ("camp-1", &campaign),
        ];
        let plan = plan(person, records, &BTreeSet::new()).expect("held");
        let treated: Vec<(&str, Treatment)> = plan
            .records
            .iter()
            .map(|p| (p.id.as_str(), p.treatment))
            .collect();
        assert_eq!(
            treated,
            [
                (person, Treatment::Erase),
                ("call-1", Treatment::Anonymise),
                ("camp-1", Treatment::Anonymise),
                ("case-1", Treatment::Anonymise),
            ],
            "the person's own record, then the others oldest first (then by ID)"
        );
        assert_eq!(plan.counts(), (1, 3));
        assert_eq!(
            plan.addresses,
            ["+905327654321", "ayse.marker7q@example.com"]
        );
        for planned in &plan.records[1..] {
            let rebuilt = planned.rebuilt.as_ref().expect("rebuilt");
            let json = serde_json::to_string(rebuilt).expect("json");
            for marker in [person, "Marker-7Q", "marker7q", "765 43 21"] {
                assert!(!json.contains(marker), "{marker} in {json}");
            }
        }
        // What is not about the person stays.
        let Some(Record::Campaign(c)) = &plan.records[2].rebuilt else {
            panic!("a campaign");
        };
        assert_eq!(
            (c.name.as_str(), c.people.as_slice()),
            ("Kış", &["p-other".to_owned()][..])
        );
        assert!(c.deliveries.is_empty());
        let call_form = plan.records[1].rebuilt.as_ref().expect("call").form();
        assert_eq!(call_form.get("notes"), "*** fiyat sordu");
        assert_eq!(call_form.get("direction"), "incoming");
        // Chosen for erasure instead.
        let whole = BTreeSet::from(["call-1".to_owned()]);
        let plan = super::plan(person, records, &whole).expect("held");
        assert_eq!(plan.records[1].treatment, Treatment::Erase);
        assert!(super::plan("nobody", records, &BTreeSet::new()).is_none());
    }

    #[test]
    fn the_device_wire_names_stay_as_the_app_reads_them() {
        // The app reads these as plain JSON by these names (to keep its main module
        // small), so they must not change.
        let erased = ErasedDoc {
            id: "d1".into(),
            erased_at: 5,
            replaced_by: None,
        };
        assert_eq!(
            serde_json::to_value(&erased).expect("json"),
            serde_json::json!({ "id": "d1", "erasedAt": 5, "replacedBy": null })
        );
        let ack: PurgeAck =
            serde_json::from_value(serde_json::json!({ "device": "x", "upTo": 5 })).expect("ack");
        assert_eq!((ack.device.as_str(), ack.up_to), ("x", 5));
    }

    #[test]
    fn links_to_a_rebuilt_record_follow_it() {
        let case = make("case", &[("subject", "İade"), ("contact", "c-9")]);
        let replaced = [("c-9".to_owned(), "c-10".to_owned())];
        let moved = relinked(&case, &replaced).expect("it names c-9");
        assert_eq!(moved.form().get("contact"), "c-10");
        assert!(relinked(&moved, &replaced).is_none());
    }

    #[test]
    fn a_batch_rebuilds_a_record_about_two_people_once_without_either() {
        let ayse = make(
            "lead",
            &[("name", "Ayşe Marker"), ("email", "ayse@example.com")],
        );
        let can = make(
            "lead",
            &[
                ("name", "Can Marker"),
                ("email", "can@example.com"),
                ("phone", "+90 532 765 4321"),
            ],
        );
        let case = make(
            "case",
            &[
                ("subject", "ayse@example.com ve can@example.com"),
                ("contact", "layse"),
            ],
        );
        let call = make(
            "call",
            &[
                ("contact", "lcan"),
                ("direction", "incoming"),
                ("number", "0532 765 43 21"),
                ("started", "2023-01-10T10:00"),
            ],
        );
        let records = [
            ("layse", &ayse),
            ("lcan", &can),
            ("ccase", &case),
            ("ccall", &call),
        ];
        let plans = plan_batch(
            &["layse".into(), "lcan".into(), "lgone".into()],
            &["ccall".into(), "layse".into()],
            records.iter().map(|(id, r)| (*id, *r)),
        );
        // One person at a time, a batch finds what `plan` finds.
        for person in ["layse", "lcan"] {
            let alone = plan(
                person,
                records.iter().map(|(id, r)| (*id, *r)),
                &BTreeSet::new(),
            )
            .expect("found");
            let batch = plan_batch(
                &[person.into()],
                &[],
                records.iter().map(|(id, r)| (*id, *r)),
            );
            let outline = |p: &ErasurePlan| -> Vec<(String, Treatment)> {
                p.records
                    .iter()
                    .map(|r| (r.id.clone(), r.treatment))
                    .collect()
            };
            assert_eq!(outline(&batch[0]), outline(&alone), "{person}");
            assert_eq!(batch[0].addresses, alone.addresses);
        }
        let people: Vec<&str> = plans.iter().map(|p| p.person.as_str()).collect();
        // The missing person and the record already erased are left out.
        assert_eq!(people, ["layse", "lcan", "ccall"]);
        // The case is rebuilt by the second plan from what the first left.
        let last_case = plans[1]
            .records
            .iter()
            .find(|p| p.id == "ccase")
            .and_then(|p| p.rebuilt.as_ref())
            .expect("the case is kept");
        let text = serde_json::to_string(last_case).expect("json");
        assert!(!text.contains("ayse@") && !text.contains("can@"), "{text}");
        // The call goes whole, masking and suppressing nothing of its own.
        let destroy = &plans[2];
        assert_eq!(destroy.records.len(), 1);
        assert_eq!(destroy.records[0].treatment, Treatment::Erase);
        assert!(destroy.addresses.is_empty() && destroy.identity.phones.is_empty());
    }
}
