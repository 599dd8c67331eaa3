//! The workspace index: the document that lists every record document of a workspace.
//!
//! Any automerge-repo peer that knows the index URL (served by `GET /api/workspace`) can
//! walk the workspace: the index holds `records`, a map from document ID to an entry
//! with the record's kind. Two devices adding records offline add different keys, so the
//! index merges without conflict.

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjType, PatchAction, Prop, ROOT, ReadDoc};

use crate::record::value::get_string;
use crate::{DocumentId, Error};

/// Value of the `kind` field of an index document.
pub const KIND: &str = "workspace";
pub const SCHEMA_VERSION: i64 = 1;

/// A new index document for a workspace called `name`.
pub fn create(name: &str) -> Result<Automerge, Error> {
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", KIND)?;
        tx.put(ROOT, "schema", SCHEMA_VERSION)?;
        tx.put(ROOT, "name", name)?;
        tx.put_object(ROOT, "records", ObjType::Map)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(doc)
}

/// Lists a record in the index. Returns whether the index changed.
///
/// The index must already hold its `records` map (it is created once, with the index):
/// creating it on a replica that has not received the index yet would make a second,
/// concurrent `records` object, and one of the two would hide the other after merging.
pub fn add_record(
    doc: &mut Automerge,
    id: DocumentId,
    kind: &str,
    created_at_ms: i64,
) -> Result<bool, Error> {
    Ok(add_records(doc, [(id, kind, created_at_ms)])? > 0)
}

/// Lists records (ID, kind, creation time) in the index in one change — an import's
/// batch is one change of the index, not one per record, so the index's history, its
/// saves and its sync messages grow by batches. Records listed already (or twice in
/// `records`) are skipped; returns how many were added. The same rule as
/// [`add_record`] about the `records` map holds.
pub fn add_records<'a>(
    doc: &mut Automerge,
    records: impl IntoIterator<Item = (DocumentId, &'a str, i64)>,
) -> Result<usize, Error> {
    let map = match doc.get(ROOT, "records")? {
        Some((automerge::Value::Object(ObjType::Map), obj)) => obj,
        _ => {
            return Err(Error::IndexNotReady);
        }
    };
    let mut new: Vec<(String, &str, i64)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (id, kind, created_at_ms) in records {
        let key = id.to_string();
        if doc.get(&map, &key)?.is_none() && seen.insert(key.clone()) {
            new.push((key, kind, created_at_ms));
        }
    }
    if new.is_empty() {
        return Ok(0);
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        for (key, kind, created_at_ms) in &new {
            let entry = tx.put_object(&map, key, ObjType::Map)?;
            tx.put(&entry, "kind", *kind)?;
            tx.put(&entry, "createdAt", *created_at_ms)?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(new.len())
}

/// Whether the index lists record `id` (one lookup, not a walk of every entry).
pub fn lists(doc: &Automerge, id: DocumentId) -> bool {
    match doc.get(ROOT, "records") {
        Ok(Some((automerge::Value::Object(ObjType::Map), map))) => {
            matches!(doc.get(&map, id.to_string()), Ok(Some(_)))
        }
        _ => false,
    }
}

/// Whether `doc` is a usable index (it has been created or received).
pub fn is_ready(doc: &Automerge) -> bool {
    matches!(
        doc.get(ROOT, "records"),
        Ok(Some((automerge::Value::Object(ObjType::Map), _)))
    )
}

/// Every record listed in the index, with its kind. Entries whose key is not a valid
/// document ID (written by a buggy or hostile peer) are skipped.
pub fn records(doc: &Automerge) -> Vec<(DocumentId, String)> {
    let Ok(Some((_, records))) = doc.get(ROOT, "records") else {
        return Vec::new();
    };
    doc.map_range(&records, ..)
        .filter_map(|item| {
            let id: DocumentId = item.key.parse().ok()?;
            let kind = get_string(doc, &item.id(), "kind").unwrap_or_default();
            Some((id, kind))
        })
        .collect()
}

/// Whether everything that changed in the index since `before` is the addition of new
/// `records` entries: what a member without admin rights may do to the index. Renaming
/// the workspace, removing or rewriting an entry are refused.
pub fn only_adds_records(doc: &Automerge, before: &[ChangeHash]) -> bool {
    let Ok(Some((automerge::Value::Object(ObjType::Map), records))) = doc.get(ROOT, "records")
    else {
        return false;
    };
    let is_new_key = |key: &str| matches!(doc.get_at(&records, key, before), Ok(None));
    let after = doc.get_heads();
    doc.diff(before, &after).iter().all(|patch| {
        let Some((root, Prop::Map(top))) = patch.path.first() else {
            return false;
        };
        if *root != ROOT || top != "records" {
            return false;
        }
        if patch.obj == records {
            matches!(&patch.action, PatchAction::PutMap { key, .. } if is_new_key(key))
        } else {
            matches!(patch.path.get(1), Some((_, Prop::Map(key))) if is_new_key(key))
        }
    })
}

/// The records a change listed in the index since `before` (keys of `records` that
/// were not there then). Keys that are not document IDs are skipped.
pub fn added_records(doc: &Automerge, before: &[ChangeHash]) -> Vec<DocumentId> {
    let Ok(Some((automerge::Value::Object(ObjType::Map), records))) = doc.get(ROOT, "records")
    else {
        return Vec::new();
    };
    doc.map_range(&records, ..)
        .filter(|item| matches!(doc.get_at(&records, item.key.as_ref(), before), Ok(None)))
        .filter_map(|item| item.key.parse().ok())
        .collect()
}

/// Removes `ids` from the index (records no longer shared by the workspace). Returns
/// whether the index changed.
pub fn remove_records(doc: &mut Automerge, ids: &[DocumentId]) -> Result<bool, Error> {
    let Some((automerge::Value::Object(ObjType::Map), records)) = doc.get(ROOT, "records")? else {
        return Ok(false);
    };
    let listed: Vec<String> = ids
        .iter()
        .map(DocumentId::to_string)
        .filter(|key| matches!(doc.get(&records, key.as_str()), Ok(Some(_))))
        .collect();
    if listed.is_empty() {
        return Ok(false);
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        for key in &listed {
            tx.delete(&records, key.as_str())?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(true)
}

/// A new index document with `doc`'s current content but none of its history, listing
/// only the records `keep` accepts. What a workspace's index is rebuilt into when its
/// history names records that some members must not learn of.
pub fn rebuild(doc: &Automerge, keep: impl Fn(&DocumentId) -> bool) -> Result<Automerge, Error> {
    let mut fresh = Automerge::new();
    fresh
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            for item in doc.map_range(ROOT, ..) {
                if item.key == "records" {
                    let records = tx.put_object(ROOT, "records", ObjType::Map)?;
                    if let automerge::ValueRef::Object(ObjType::Map) = item.value {
                        let old = item.id();
                        for entry in doc.map_range(&old, ..) {
                            if entry.key.parse::<DocumentId>().is_ok_and(|id| keep(&id)) {
                                copy_value(doc, &old, entry.key.into(), tx, &records)?;
                            }
                        }
                    }
                } else {
                    copy_value(doc, &ROOT, item.key.into(), tx, &ROOT)?;
                }
            }
            Ok(())
        })
        .map_err(|f| f.error)?;
    Ok(fresh)
}

/// Copies the value at `prop` of `from` in `doc` to the same key of `to` in `tx`.
fn copy_value(
    doc: &Automerge,
    from: &automerge::ObjId,
    prop: Prop,
    tx: &mut automerge::transaction::Transaction<'_>,
    to: &automerge::ObjId,
) -> Result<(), automerge::AutomergeError> {
    let Some((value, id)) = doc.get(from, prop.clone())? else {
        return Ok(());
    };
    let put_scalar = |tx: &mut automerge::transaction::Transaction<'_>,
                      s: automerge::ScalarValue|
     -> Result<(), automerge::AutomergeError> {
        match &prop {
            Prop::Map(key) => tx.put(to, key.as_str(), s),
            Prop::Seq(i) => tx.insert(to, *i, s),
        }
    };
    let make = |tx: &mut automerge::transaction::Transaction<'_>,
                kind: ObjType|
     -> Result<automerge::ObjId, automerge::AutomergeError> {
        match &prop {
            Prop::Map(key) => tx.put_object(to, key.as_str(), kind),
            Prop::Seq(i) => tx.insert_object(to, *i, kind),
        }
    };
    match value {
        automerge::Value::Scalar(s) => put_scalar(tx, s.into_owned())?,
        automerge::Value::Object(ObjType::Text) => {
            let text = make(tx, ObjType::Text)?;
            tx.splice_text(&text, 0, 0, &doc.text(&id)?)?;
        }
        automerge::Value::Object(ObjType::List) => {
            let list = make(tx, ObjType::List)?;
            for i in 0..doc.length(&id) {
                copy_value(doc, &id, Prop::Seq(i), tx, &list)?;
            }
        }
        automerge::Value::Object(ObjType::Map | ObjType::Table) => {
            let map = make(tx, ObjType::Map)?;
            let keys: Vec<String> = doc.keys(&id).collect();
            for key in keys {
                copy_value(doc, &id, Prop::Map(key), tx, &map)?;
            }
        }
    }
    Ok(())
}

/// The workspace's sales pipeline: its own open stages if an admin set them, else the
/// defaults, always followed by `won` and `lost`.
pub fn pipeline(doc: &Automerge) -> Vec<crate::sales::opportunity::Stage> {
    let own: Option<Vec<crate::sales::opportunity::Stage>> =
        autosurgeon::hydrate_prop(doc, &ROOT, "pipeline").ok();
    let open = match own {
        Some(stages) if !stages.is_empty() => stages,
        _ => crate::sales::opportunity::default_open_stages(),
    };
    crate::sales::opportunity::pipeline(open)
}

/// Replaces the workspace's open pipeline stages (an admin's change: members may only
/// add records to the index, see [`only_adds_records`]).
pub fn set_pipeline(
    doc: &mut Automerge,
    open: &[crate::sales::opportunity::Stage],
) -> Result<(), Error> {
    let open: Vec<crate::sales::opportunity::Stage> =
        crate::sales::opportunity::pipeline(open.to_vec())
            .into_iter()
            .filter(|s| !s.is_closed())
            .collect();
    doc.transact(|tx| autosurgeon::reconcile_prop(tx, ROOT, "pipeline", &open))
        .map_err(|f| f.error)?;
    Ok(())
}

/// The workspace's service settings as stored (and as the settings page edits them):
/// time zone, working hours per weekday (`09:00-18:00`, "" for a day off, Monday
/// first), whether Turkey's national holidays are days off, further holidays
/// (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM` for a half day), SLA targets per priority, the
/// contact-frequency guard. (Department calendars are those of
/// [`crate::access::Department`].)
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    autosurgeon::Reconcile,
    autosurgeon::Hydrate,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct ServiceSettings {
    #[autosurgeon(hydrate = "crate::record::value::hydrate_any_string")]
    pub time_zone: String,
    pub hours: Vec<String>,
    pub national_holidays: bool,
    pub holidays: Vec<String>,
    pub sla: Vec<crate::service::case::SlaTarget>,
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub guard_count: i64,
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub guard_days: i64,
    /// The e-mail subscription topics people may consent to (see [`crate::parties::consent`]).
    #[autosurgeon(missing = "Default::default")]
    pub email_topics: Vec<String>,
    /// Days to rest after any contact before a campaign message (see
    /// [`crate::engagement::campaign::ContactRules`]).
    #[autosurgeon(
        missing = "default_cool_off",
        hydrate = "crate::record::value::hydrate_int"
    )]
    pub cool_off_days: i64,
    /// Quiet hours, `21:00-09:00` (no campaign messages).
    #[autosurgeon(
        missing = "default_quiet_hours",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub quiet_hours: String,
    /// Loyalty points per full 100 TRY of a paid invoice.
    #[autosurgeon(
        missing = "default_points_per_100",
        hydrate = "crate::record::value::hydrate_int"
    )]
    pub loyalty_points_per_100: i64,
    /// Loyalty tiers by points earned.
    #[autosurgeon(missing = "crate::parties::loyalty::default_tiers")]
    pub loyalty_tiers: Vec<crate::parties::loyalty::Tier>,
    /// The reports' cut-offs and thresholds.
    #[autosurgeon(missing = "Default::default")]
    #[serde(default)]
    pub analytics: crate::analytics::settings::AnalyticsSettings,
}

fn default_points_per_100() -> i64 {
    1
}

fn default_cool_off() -> i64 {
    crate::engagement::campaign::ContactRules::default().cool_off_days
}

fn default_quiet_hours() -> String {
    "21:00-09:00".to_owned()
}

impl Default for ServiceSettings {
    fn default() -> Self {
        use crate::time::working_time::{DEFAULT_RELIGIOUS_HOLIDAYS, DEFAULT_WEEK, span_text};
        let guard = crate::activities::meeting::FrequencyGuard::default();
        ServiceSettings {
            time_zone: crate::time::civil::ISTANBUL.to_owned(),
            hours: DEFAULT_WEEK.iter().map(|d| span_text(*d)).collect(),
            national_holidays: true,
            holidays: DEFAULT_RELIGIOUS_HOLIDAYS
                .iter()
                .map(|h| (*h).to_owned())
                .collect(),
            sla: crate::service::case::default_sla(),
            guard_count: guard.count,
            guard_days: guard.days,
            email_topics: ["kampanya", "bülten", "anket", "etkinlik"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
            cool_off_days: default_cool_off(),
            quiet_hours: default_quiet_hours(),
            loyalty_points_per_100: default_points_per_100(),
            loyalty_tiers: crate::parties::loyalty::default_tiers(),
            analytics: Default::default(),
        }
    }
}

impl ServiceSettings {
    /// Checks the settings as an admin typed them; every problem is reported.
    pub fn check(&self) -> Result<(), crate::record::form::Problems> {
        use crate::text::validate::Problem;
        let mut problems: crate::record::form::Problems = Vec::new();
        if let Err(p) = crate::time::civil::Zone::named(&self.time_zone) {
            problems.push(("time_zone", p));
        }
        if self.hours.len() != 7 {
            problems.push(("hours", Problem::InvalidChoice));
        }
        for day in &self.hours {
            if let Err(p) = crate::time::working_time::parse_span(day) {
                problems.push(("hours", p));
                break;
            }
        }
        for holiday in &self.holidays {
            if let Err(p) = crate::time::working_time::parse_holiday(holiday) {
                problems.push(("holidays", p));
                break;
            }
        }
        let range = |v: i64, max: i64| (1..=max).contains(&v);
        if self.sla.iter().any(|t| {
            !range(t.first_response_minutes, 100_000) || !range(t.resolution_minutes, 1_000_000)
        }) {
            problems.push((
                "sla",
                Problem::NumberOutOfRange {
                    min: 1,
                    max: 1_000_000,
                },
            ));
        }
        if !(0..=100).contains(&self.guard_count) || !(0..=365).contains(&self.guard_days) {
            problems.push(("guard", Problem::NumberOutOfRange { min: 0, max: 365 }));
        }
        if !(0..=365).contains(&self.cool_off_days) {
            problems.push((
                "cool_off_days",
                Problem::NumberOutOfRange { min: 0, max: 365 },
            ));
        }
        if !(0..=10_000).contains(&self.loyalty_points_per_100) {
            problems.push((
                "loyalty",
                Problem::NumberOutOfRange {
                    min: 0,
                    max: 10_000,
                },
            ));
        }
        if self.quiet_window().is_none() {
            problems.push(("quiet_hours", Problem::InvalidDateTime));
        }
        problems.extend(self.analytics.problems());
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The working calendar these settings describe (entries that do not parse are
    /// skipped; [`ServiceSettings::check`] refuses them before they are stored).
    pub fn calendar(&self) -> crate::time::working_time::WorkingCalendar {
        use crate::time::working_time::{parse_holiday, parse_span};
        let mut week = [None; 7];
        for (day, text) in week.iter_mut().zip(&self.hours) {
            *day = parse_span(text).ok().flatten();
        }
        let mut holidays: Vec<_> = self
            .holidays
            .iter()
            .filter_map(|h| parse_holiday(h).ok())
            .collect();
        holidays.sort();
        crate::time::working_time::WorkingCalendar {
            zone: crate::time::civil::Zone::named(&self.time_zone)
                .unwrap_or_else(|_| crate::time::civil::Zone::istanbul()),
            week,
            national_holidays: self.national_holidays,
            holidays,
        }
    }

    pub fn guard(&self) -> crate::activities::meeting::FrequencyGuard {
        crate::activities::meeting::FrequencyGuard {
            count: self.guard_count,
            days: self.guard_days,
        }
    }

    /// Quiet hours as minutes (from, until); "" means none.
    fn quiet_window(&self) -> Option<(u32, u32)> {
        let text = self.quiet_hours.trim();
        if text.is_empty() {
            return Some((0, 0));
        }
        let (from, until) = text.split_once(['-', '–'])?;
        Some((
            crate::time::working_time::parse_clock(from)?,
            crate::time::working_time::parse_clock(until)?,
        ))
    }

    /// The campaign contact rules these settings describe.
    pub fn contact_rules(&self) -> crate::engagement::campaign::ContactRules {
        let (quiet_from, quiet_until) = self.quiet_window().unwrap_or((0, 0));
        crate::engagement::campaign::ContactRules {
            cool_off_days: self.cool_off_days,
            quiet_from,
            quiet_until,
            zone: self.zone(),
        }
    }

    pub fn zone(&self) -> crate::time::civil::Zone {
        crate::time::civil::Zone::named(&self.time_zone)
            .unwrap_or_else(|_| crate::time::civil::Zone::istanbul())
    }
}

/// The workspace's service settings: its own if an admin set them, else the defaults.
pub fn service(doc: &Automerge) -> ServiceSettings {
    autosurgeon::hydrate_prop::<_, Option<ServiceSettings>, _, _>(doc, &ROOT, "service")
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Replaces the workspace's service settings (an admin's change), after checking them.
pub fn set_service(
    doc: &mut Automerge,
    settings: &ServiceSettings,
) -> Result<(), crate::record::EditError> {
    settings
        .check()
        .map_err(crate::record::EditError::Invalid)?;
    doc.transact(|tx| autosurgeon::reconcile_prop(tx, ROOT, "service", settings))
        .map_err(|f| crate::record::EditError::Store(f.error.into()))?;
    Ok(())
}

/// The selling company's details, printed on quotes and invoices: its legal name,
/// address, tax office and tax number (VKN), IBAN, phone, e-mail and a small logo (a
/// `data:` URL, see [`crate::text::validate::image_data_url`]). Admins set them.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    autosurgeon::Reconcile,
    autosurgeon::Hydrate,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct CompanyDetails {
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub legal_name: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub address: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub tax_office: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub tax_number: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub iban: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub phone: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub email: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::record::value::hydrate_any_string"
    )]
    pub logo: String,
}

/// The fields of the company details form.
pub mod company_field {
    use crate::record::form::{FieldSpec, Input};

    pub const LEGAL_NAME: FieldSpec = FieldSpec::new("legal_name", Input::Text);
    pub const ADDRESS: FieldSpec = FieldSpec::new("address", Input::LongText);
    pub const TAX_OFFICE: FieldSpec = FieldSpec::new("tax_office", Input::Text);
    pub const TAX_NUMBER: FieldSpec = FieldSpec::new("tax_number", Input::Text);
    pub const IBAN: FieldSpec = FieldSpec::new("iban", Input::Text);
    pub const PHONE: FieldSpec = FieldSpec::new("phone", Input::Phone);
    pub const EMAIL: FieldSpec = FieldSpec::new("email", Input::Email);
    pub const ALL: [FieldSpec; 7] = [
        LEGAL_NAME, ADDRESS, TAX_OFFICE, TAX_NUMBER, IBAN, PHONE, EMAIL,
    ];
}

impl CompanyDetails {
    /// The details as the form shows them.
    pub fn form(&self) -> crate::record::form::Form {
        crate::record::form::Form::new()
            .with("legal_name", &self.legal_name)
            .with("address", &self.address)
            .with("tax_office", &self.tax_office)
            .with("tax_number", &self.tax_number)
            .with("iban", &self.iban)
            .with("phone", &self.phone)
            .with("email", &self.email)
            .with("logo", &self.logo)
    }

    /// Details from the form as an admin typed them, normalised (IBAN in groups of
    /// four, phone in E.164); every problem is reported and nothing is kept.
    pub fn from_form(
        form: &crate::record::form::Form,
    ) -> Result<CompanyDetails, crate::record::form::Problems> {
        use crate::text::validate;
        let mut check = crate::record::form::Checker::new(form);
        let mut details = CompanyDetails {
            legal_name: check.field(&company_field::LEGAL_NAME),
            address: check.field(&company_field::ADDRESS),
            tax_office: check.field(&company_field::TAX_OFFICE),
            phone: check.field(&company_field::PHONE),
            email: check.field(&company_field::EMAIL),
            ..CompanyDetails::default()
        };
        // A company's VKN (10 digits) or a sole trader's TCKN (11).
        let tax = form.get("tax_number").trim();
        let tax_number = if tax.chars().filter(char::is_ascii_digit).count() == 11 {
            validate::tckn(tax)
        } else {
            validate::vkn(tax)
        };
        match tax_number {
            Ok(v) => details.tax_number = v,
            Err(p) => check.problem("tax_number", p),
        }
        match validate::iban(form.get("iban")) {
            Ok(v) => details.iban = v,
            Err(p) => check.problem("iban", p),
        }
        match validate::image_data_url(form.get("logo")) {
            Ok(v) => details.logo = v,
            Err(p) => check.problem("logo", p),
        }
        check.finish()?;
        Ok(details)
    }
}

/// The company details, empty until an admin sets them.
pub fn company(doc: &Automerge) -> CompanyDetails {
    autosurgeon::hydrate_prop::<_, Option<CompanyDetails>, _, _>(doc, &ROOT, "company")
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Replaces the company details (an admin's change; the server refuses index changes
/// from anyone else).
pub fn set_company(
    doc: &mut Automerge,
    details: &CompanyDetails,
) -> Result<(), crate::record::EditError> {
    doc.transact(|tx| autosurgeon::reconcile_prop(tx, ROOT, "company", details))
        .map_err(|f| crate::record::EditError::Store(f.error.into()))?;
    Ok(())
}

/// The workspace's display name.
pub fn name(doc: &Automerge) -> String {
    get_string(doc, &ROOT, "name").unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_of_records_is_listed_in_one_change_and_only_once() {
        let mut doc = create("Çınar").unwrap();
        let (a, b, c) = (
            DocumentId::random(),
            DocumentId::random(),
            DocumentId::random(),
        );
        assert!(add_record(&mut doc, a, "account", 1).unwrap());
        let changes = doc.get_changes(&[]).len();
        let added = add_records(
            &mut doc,
            [
                (a, "account", 1),
                (b, "contact", 2),
                (c, "lead", 3),
                (b, "contact", 2),
            ],
        )
        .unwrap();
        assert_eq!(added, 2);
        assert_eq!(doc.get_changes(&[]).len(), changes + 1);
        let mut listed = records(&doc);
        listed.sort_by_key(|(id, _)| id.to_string());
        let mut expected = vec![
            (a, "account".to_owned()),
            (b, "contact".to_owned()),
            (c, "lead".to_owned()),
        ];
        expected.sort_by_key(|(id, _)| id.to_string());
        assert_eq!(listed, expected);
        assert!(lists(&doc, b) && !lists(&doc, DocumentId::random()));
        // Nothing new: no change at all.
        assert_eq!(add_records(&mut doc, [(c, "lead", 3)]).unwrap(), 0);
        assert_eq!(doc.get_changes(&[]).len(), changes + 1);
    }

    #[test]
    fn company_details_are_checked_normalised_and_kept_in_the_index() {
        let form = crate::record::form::Form::new()
            .with("legal_name", "Marmara Makine San. ve Tic. A.Ş.")
            .with(
                "address",
                "Organize Sanayi Bölgesi 3. Cadde No: 12, Gebze / Kocaeli",
            )
            .with("tax_office", "Gebze")
            .with("tax_number", "123 456 7890")
            .with("iban", "tr330006100519786457841326")
            .with("phone", "0262 555 12 34")
            .with("email", "muhasebe@marmara.com.tr");
        let details = CompanyDetails::from_form(&form).unwrap();
        assert_eq!(details.iban, "TR33 0006 1005 1978 6457 8413 26");
        assert_eq!(details.phone, "+902625551234");
        let mut doc = create("Marmara").unwrap();
        assert_eq!(company(&doc), CompanyDetails::default());
        set_company(&mut doc, &details).unwrap();
        assert_eq!(company(&doc), details);
        let bad = form
            .clone()
            .with("tax_number", "1234567891")
            .with("iban", "TR330006100519786457841327")
            .with("logo", "data:text/html;base64,PHA+");
        assert_eq!(
            CompanyDetails::from_form(&bad),
            Err(vec![
                ("tax_number", crate::text::validate::Problem::InvalidVkn),
                ("iban", crate::text::validate::Problem::InvalidIban),
                ("logo", crate::text::validate::Problem::InvalidImage),
            ])
        );
    }

    #[test]
    fn a_rebuilt_index_keeps_settings_and_shared_entries_and_forgets_the_rest() {
        let mut doc = create("Saha").unwrap();
        set_pipeline(&mut doc, &crate::sales::opportunity::default_open_stages()).unwrap();
        let (shared, team) = (DocumentId::random(), DocumentId::random());
        let before = doc.get_heads();
        add_record(&mut doc, shared, "account", 1).unwrap();
        add_record(&mut doc, team, "case", 2).unwrap();
        let mut added = added_records(&doc, &before);
        added.sort();
        let mut expected = vec![shared, team];
        expected.sort();
        assert_eq!(added, expected);

        let fresh = rebuild(&doc, |id| *id == shared).unwrap();
        assert_eq!(records(&fresh), vec![(shared, "account".to_owned())]);
        assert_eq!(name(&fresh), "Saha");
        assert_eq!(pipeline(&fresh), pipeline(&doc));
        assert_eq!(service(&fresh), service(&doc));
        // No history: nothing in the saved bytes names the team record.
        let bytes = fresh.save();
        let team_key = team.to_string();
        assert!(
            !bytes
                .windows(team_key.len())
                .any(|w| w == team_key.as_bytes())
        );
        // Removing an entry.
        assert!(remove_records(&mut doc, &[team]).unwrap());
        assert!(!remove_records(&mut doc, &[team]).unwrap());
        assert_eq!(records(&doc).len(), 1);
    }

    #[test]
    fn records_added_offline_on_two_devices_merge() {
        let base = create("Saha").unwrap();
        let mut a = base.fork();
        let mut b = base.fork();
        let (x, y) = (DocumentId::random(), DocumentId::random());
        assert!(add_record(&mut a, x, "account", 1).unwrap());
        assert!(!add_record(&mut a, x, "account", 1).unwrap());
        assert!(add_record(&mut b, y, "account", 2).unwrap());
        a.merge(&mut b).unwrap();
        let mut listed = records(&a);
        listed.sort();
        let mut expected = vec![(x, "account".to_owned()), (y, "account".to_owned())];
        expected.sort();
        assert_eq!(listed, expected);
        assert_eq!(name(&a), "Saha");
    }

    #[test]
    fn adding_records_is_the_only_change_members_may_make() {
        let mut doc = create("Saha").unwrap();
        let before = doc.get_heads();
        add_record(&mut doc, DocumentId::random(), "account", 1).unwrap();
        add_record(&mut doc, DocumentId::random(), "account", 2).unwrap();
        assert!(only_adds_records(&doc, &before));

        let before = doc.get_heads();
        let (existing, _) = records(&doc)[0].clone();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            let Some((_, records)) = tx.get(ROOT, "records")? else {
                unreachable!()
            };
            tx.delete(&records, existing.to_string())
        })
        .unwrap();
        assert!(!only_adds_records(&doc, &before), "removing an entry");

        let before = doc.get_heads();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "name", "Başka"))
            .unwrap();
        assert!(!only_adds_records(&doc, &before), "renaming");

        let before = doc.get_heads();
        let (kept, _) = records(&doc)[0].clone();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            let Some((_, records)) = tx.get(ROOT, "records")? else {
                unreachable!()
            };
            let Some((_, entry)) = tx.get(&records, kept.to_string())? else {
                unreachable!()
            };
            tx.put(&entry, "kind", "workspace")
        })
        .unwrap();
        assert!(!only_adds_records(&doc, &before), "rewriting an entry");
    }

    #[test]
    fn the_pipeline_is_the_default_until_an_admin_sets_one() {
        let mut doc = create("Saha").unwrap();
        let codes = |doc: &Automerge| -> Vec<String> {
            pipeline(doc).into_iter().map(|s| s.code).collect()
        };
        assert_eq!(
            codes(&doc),
            [
                "prospecting",
                "qualification",
                "proposal",
                "negotiation",
                "won",
                "lost"
            ]
        );
        let before = doc.get_heads();
        let stage = |code: &str, p| crate::sales::opportunity::Stage {
            code: code.into(),
            name: code.to_uppercase(),
            probability: p,
        };
        set_pipeline(&mut doc, &[stage("demo", 20), stage("po", 80)]).unwrap();
        assert_eq!(codes(&doc), ["demo", "po", "won", "lost"]);
        assert_eq!(pipeline(&doc)[0].name, "DEMO");
        assert!(
            !only_adds_records(&doc, &before),
            "members may not change the pipeline"
        );
    }

    #[test]
    fn service_settings_default_until_an_admin_sets_valid_ones() {
        let mut doc = create("Saha").unwrap();
        let defaults = service(&doc);
        assert_eq!(defaults, ServiceSettings::default());
        assert_eq!(
            defaults.calendar(),
            crate::time::working_time::WorkingCalendar::default()
        );
        let mut own = defaults.clone();
        own.hours[5] = "10:00-14:00".into();
        own.guard_count = 5;
        set_service(&mut doc, &own).unwrap();
        assert_eq!(service(&doc), own);
        assert!(
            service(&doc).calendar().week[5].is_some(),
            "Saturday morning open"
        );
        let mut bad = own.clone();
        bad.time_zone = "Europe/Paris".into();
        bad.hours[0] = "18:00-09:00".into();
        bad.holidays.push("2026-02-30".into());
        let Err(crate::record::EditError::Invalid(problems)) = set_service(&mut doc, &bad) else {
            panic!("bad settings stored");
        };
        assert_eq!(
            problems.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["time_zone", "hours", "holidays"]
        );
        assert_eq!(service(&doc), own, "nothing written");
    }

    #[test]
    fn an_index_not_yet_received_refuses_records() {
        let mut empty = Automerge::new();
        assert!(!is_ready(&empty));
        assert!(add_record(&mut empty, DocumentId::random(), "account", 1).is_err());
        assert!(empty.get_heads().is_empty());
        assert!(is_ready(&create("Saha").unwrap()));
    }
}
