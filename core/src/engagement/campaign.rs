//! Campaigns: a personalised message to a segment over one channel, and the send gate
//! that decides, person by person and with a reason, who may receive it (schema
//! version 1).
//!
//! The gate lets a commercial message through only with what İYS requires: consent on
//! the channel (and the topic, for e-mail) for individuals, no refusal for anyone,
//! merchants included; it also keeps the workspace's rest period since the last
//! contact (calls, meetings and messages) and its quiet hours. Templates carry fields
//! such as `{{first_name}}`; a template without any personal field gets a warning,
//! one with an unknown field an error.

use autosurgeon::{Hydrate, Reconcile};

use crate::code_enum;
use crate::parties::consent::{self, Channel, Refusal};
use crate::parties::person::Person;
use crate::record::form::{Checker, FieldSpec, Form, Problems};
use crate::record::value::hydrate_any_string;
use crate::record::{self, EditContext, RecordType, Stored, reconcile_text};
use crate::text::validate::{self, Problem};
use crate::time::civil::Zone;

/// Value of the `kind` field of a campaign document.
pub const KIND: &str = "campaign";
pub const SCHEMA_VERSION: i64 = 1;

code_enum! {
    pub enum Status { Draft = "draft", Approved = "approved", Sent = "sent" }
}

/// Fields a template may use.
pub const TEMPLATE_FIELDS: &[&str] = &["first_name", "name", "company", "city", "survey_link"];
/// The template field the server replaces with each person's survey link.
pub const SURVEY_LINK: &str = "{{survey_link}}";
/// Survey kinds: satisfaction 1–5, or Net Promoter Score 0–10.
pub const SURVEYS: &[&str] = &["csat", "nps"];

/// The score range of a survey kind.
pub fn survey_scale(survey: &str) -> Option<(i64, i64)> {
    match survey {
        "csat" => Some((1, 5)),
        "nps" => Some((0, 10)),
        _ => None,
    }
}
/// Fields that make a message personal.
const PERSONAL_FIELDS: &[&str] = &["first_name", "name"];

/// A campaign as stored in its document.
pub type Campaign = Stored<CampaignFields>;

/// The fields of a [`Campaign`] beside the [common ones](crate::record::Common).
#[derive(
    Debug, Clone, Default, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct CampaignFields {
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub name: String,
    /// Document ID of the segment.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub segment: String,
    #[autosurgeon(missing = "Default::default")]
    pub channel: Channel,
    /// The e-mail topic (one of the workspace's İYS subscription topics): only people
    /// who consented to it receive the e-mail.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub topic: String,
    /// The e-mail's subject line; it may use the template's fields. Empty on campaigns
    /// made before it existed, which are sent with their name as the subject.
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub subject: String,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "hydrate_any_string",
        reconcile = "reconcile_text"
    )]
    pub template: String,
    #[autosurgeon(missing = "Default::default")]
    pub status: Status,
    /// Chosen people (contact or person-account IDs) instead of a segment: a greeting
    /// to one person, say.
    #[autosurgeon(missing = "Default::default")]
    pub people: Vec<String>,
    /// `csat` or `nps` for a survey, else "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub survey: String,
    /// The record a survey asks about (a resolved case, a delivered order), or "".
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub about: String,
    /// Survey answers by person ID (written by the server when a person answers).
    #[autosurgeon(missing = "Default::default")]
    pub responses: std::collections::BTreeMap<String, SurveyResponse>,
    /// What the server's outbox did, by person ID (written by the server only).
    #[autosurgeon(missing = "Default::default")]
    pub deliveries: std::collections::BTreeMap<String, Delivery>,
}

code_enum! {
    /// Where one message of a campaign stands: queued, sent, failed (given up after
    /// repeated failures; `error` says why), or uncertain (the server stopped while
    /// sending: it may or may not have gone out, and it is not sent again).
    pub enum DeliveryState {
        Queued = "queued",
        Sent = "sent",
        Failed = "failed",
        Uncertain = "uncertain",
    }
}

/// A person's answer to a survey.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Reconcile,
    Hydrate,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct SurveyResponse {
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub score: i64,
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub at: i64,
}

/// One message of a campaign, as the server's outbox reports it.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct Delivery {
    #[autosurgeon(hydrate = "hydrate_any_string")]
    pub address: String,
    pub state: DeliveryState,
    /// When it was sent (or last tried), ms since the epoch.
    #[autosurgeon(hydrate = "crate::record::value::hydrate_int")]
    pub at: i64,
    #[autosurgeon(missing = "Default::default", hydrate = "hydrate_any_string")]
    pub error: String,
}

/// The campaign form's fields.
pub mod field {
    use crate::record::form::{FieldSpec, Input};

    pub const NAME: FieldSpec = FieldSpec::required("name", Input::Text);
    /// Required unless the campaign names its people.
    pub const SEGMENT: FieldSpec =
        FieldSpec::new("segment", Input::Link(crate::engagement::segment::KIND));
    pub const CHANNEL: FieldSpec = FieldSpec::required(
        "channel",
        Input::Choice(crate::parties::consent::Channel::CODES),
    );
    /// Offered as a choice of the workspace's topics (the app's form).
    pub const TOPIC: FieldSpec = FieldSpec::new("email_topic", Input::Text);
    /// Required for e-mail.
    pub const SUBJECT: FieldSpec = FieldSpec::new("subject", Input::Text);
    pub const TEMPLATE: FieldSpec = FieldSpec::required("template", Input::LongText);
    pub const STATUS: FieldSpec =
        FieldSpec::required("status", Input::Choice(super::Status::CODES));
    pub const SURVEY: FieldSpec = FieldSpec::new("survey", Input::Choice(super::SURVEYS));
}

const FIELDS: &[FieldSpec] = &[
    field::NAME,
    field::SEGMENT,
    field::CHANNEL,
    field::TOPIC,
    field::SUBJECT,
    field::TEMPLATE,
    field::SURVEY,
    field::STATUS,
    record::COMMON_FIELDS[0],
    record::COMMON_FIELDS[1],
    record::COMMON_FIELDS[2],
];

impl RecordType for Campaign {
    const KIND: &'static str = KIND;
    const SCHEMA: i64 = SCHEMA_VERSION;
    const FIELDS: &'static [FieldSpec] = FIELDS;

    fn blank(ctx: &EditContext) -> Campaign {
        record::blank(KIND, SCHEMA_VERSION, ctx)
    }

    fn form(&self) -> Form {
        let mut form = Form::new()
            .with("name", &self.name)
            .with("segment", &self.segment)
            .with("channel", self.channel.code())
            .with("email_topic", &self.topic)
            .with("subject", &self.subject)
            .with("template", &self.template)
            .with("survey", &self.survey)
            .with("status", self.status.code());
        record::common_form(self, &mut form);
        form
    }

    fn apply(&mut self, form: &Form, _ctx: &EditContext) -> Result<(), Problems> {
        let mut check = Checker::new(form);
        self.name = check.field(&field::NAME);
        self.segment = check.field(&field::SEGMENT);
        let channel = check.field(&field::CHANNEL);
        self.topic = check.field(&field::TOPIC);
        let subject = check.field(&field::SUBJECT);
        let template = check.field(&field::TEMPLATE);
        let status = check.field(&field::STATUS);
        let survey = check.field(&field::SURVEY);
        if !survey.is_empty() && !template.contains(SURVEY_LINK) {
            check.problem(field::TEMPLATE.name, Problem::InvalidTemplate);
        }
        if let Err(TemplateError::UnknownField(_) | TemplateError::Unclosed) = fields_of(&template)
        {
            check.problem(field::TEMPLATE.name, Problem::InvalidTemplate);
        }
        if self.segment.is_empty() && self.people.is_empty() {
            check.problem(field::SEGMENT.name, Problem::Required);
        }
        let channel = Channel::from_code(&channel).unwrap_or(self.channel);
        if channel == Channel::Email && self.topic.is_empty() {
            check.problem(field::TOPIC.name, Problem::Required);
        }
        if channel == Channel::Email && subject.is_empty() {
            check.problem(field::SUBJECT.name, Problem::Required);
        }
        if let Err(TemplateError::UnknownField(_) | TemplateError::Unclosed) = fields_of(&subject) {
            check.problem(field::SUBJECT.name, Problem::InvalidTemplate);
        }
        record::apply_common(&mut check, self);
        check.finish()?;
        self.channel = channel;
        self.subject = subject;
        self.template = template;
        self.survey = survey;
        self.status = Status::from_code(&status).unwrap_or(self.status);
        Ok(())
    }

    fn title(&self) -> String {
        self.name.clone()
    }

    fn search_words(&self) -> String {
        format!("{} {}", self.name, self.topic)
    }

    fn account(&self) -> &str {
        ""
    }

    fn status(&self) -> Option<String> {
        Some(self.status.code().to_owned())
    }

    fn facet(&self, _today: &str) -> Option<(&'static str, String)> {
        Some(("status", self.status.code().to_owned()))
    }
}

/// The GSM 03.38 default alphabet: one septet each.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The GSM 03.38 extension table: two septets each (an escape and the character).
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{c}";

/// Where a message's personal unsubscribe link points on the server; a secret of
/// [`OPT_OUT_SECRET_LEN`] hex digits follows.
pub const OPT_OUT_PATH: &str = "/unsubscribe/";
/// The length of an unsubscribe link's secret (256 bits in hex).
pub const OPT_OUT_SECRET_LEN: usize = 64;

/// The lines every commercial message ends with: where to unsubscribe (`url`). An SMS
/// keeps to letters of the GSM alphabet, so the line itself does not switch the message
/// to UCS-2.
pub fn opt_out_footer(channel: Channel, url: &str) -> String {
    match channel {
        Channel::Sms => format!("\nListeden cikmak icin: {url}"),
        _ => format!(
            "\n\n--\nBu iletileri artık almak istemiyorsanız: {url}\nTo stop these messages: {url}"
        ),
    }
}

/// `message` as the server sends it from `origin` (`https://crm.firma.com.tr`): with
/// its unsubscribe footer, a stand-in secret of the real length in the link — what an
/// SMS is counted by before it is sent.
pub fn as_sent(message: &str, channel: Channel, origin: &str) -> String {
    let url = format!("{origin}{OPT_OUT_PATH}{}", "0".repeat(OPT_OUT_SECRET_LEN));
    format!("{message}{}", opt_out_footer(channel, &url))
}

/// How long an SMS text is and how many messages it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsLength {
    /// Characters as the counting encoding counts them (an extension character of the
    /// GSM alphabet counts two; in UCS-2, a character outside the BMP counts two).
    pub units: usize,
    /// Messages the text is sent as (1 for an empty text).
    pub segments: usize,
    /// Whether the text needs UCS-2 (any character outside the GSM alphabet: ş, ğ, ı,
    /// İ, emoji…), which lowers a message from 160 to 70 characters.
    pub unicode: bool,
}

impl SmsLength {
    /// Characters that fit in one message of this encoding, and in each part of a
    /// longer one (which spends some on the joining header).
    pub fn per_segment(&self) -> (usize, usize) {
        if self.unicode { (70, 67) } else { (160, 153) }
    }
}

/// The length of `text` as an SMS: GSM 7-bit when every character is in the GSM
/// alphabet, else UCS-2; 160/153 or 70/67 characters per message.
pub fn sms_length(text: &str) -> SmsLength {
    let gsm: Option<usize> = text
        .chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENDED.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (units, unicode) = match gsm {
        Some(septets) => (septets, false),
        None => (text.encode_utf16().count(), true),
    };
    let mut length = SmsLength {
        units,
        segments: 1,
        unicode,
    };
    let (single, part) = length.per_segment();
    if units > single {
        length.segments = units.div_ceil(part);
    }
    length
}

/// Text for a one-line header (an e-mail subject): control characters, line breaks
/// included, become spaces, so a value can never add a header of its own.
pub fn header_text(value: &str) -> String {
    let spaced: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a message body (SMS, e-mail): line ends kept as `\n`, every other control
/// character dropped (an SMS gateway or mail transfer may read them as commands).
pub fn message_text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// What is wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    UnknownField(String),
    /// A `{{` without its `}}`.
    Unclosed,
}

/// The fields a template uses, in order.
pub fn fields_of(template: &str) -> Result<Vec<String>, TemplateError> {
    let mut fields = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let name = after[..end].trim();
        if !TEMPLATE_FIELDS.contains(&name) {
            return Err(TemplateError::UnknownField(name.to_owned()));
        }
        fields.push(name.to_owned());
        rest = &after[end + 2..];
    }
    Ok(fields)
}

/// Whether the template addresses the person by name (blanket messages get a warning).
pub fn is_personal(template: &str) -> bool {
    fields_of(template).is_ok_and(|f| f.iter().any(|f| PERSONAL_FIELDS.contains(&f.as_str())))
}

/// The message for `person`.
pub fn render(template: &str, person: &Person<'_>) -> Result<String, TemplateError> {
    fields_of(template)?;
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let value = match after[..end].trim() {
            "first_name" => person.first_name(),
            "name" => person.name,
            "company" => person.company(),
            "city" => person.account.map(|(_, a)| a.city.as_str()).unwrap_or(""),
            // Each person's own link, put in by the server when it sends.
            "survey_link" => SURVEY_LINK,
            other => return Err(TemplateError::UnknownField(other.to_owned())),
        };
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Why someone in the audience does not get the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    /// See [`Refusal`]: no consent, refused, or not subscribed to the topic.
    Consent(Refusal),
    /// No address for the channel, or not a valid one.
    NoAddress,
    /// Contacted within the rest period (at this instant).
    CoolOff { last_contact: i64 },
    /// Within the workspace's quiet hours: nothing goes out now.
    QuietHours,
}

/// The workspace's contact rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactRules {
    /// Days to rest after any contact (0: none).
    pub cool_off_days: i64,
    /// Quiet hours, minutes since midnight: from `quiet_from` to `quiet_until`
    /// (across midnight when from > until; equal: none).
    pub quiet_from: u32,
    pub quiet_until: u32,
    pub zone: Zone,
}

impl Default for ContactRules {
    fn default() -> Self {
        ContactRules {
            cool_off_days: 7,
            quiet_from: 21 * 60,
            quiet_until: 9 * 60,
            zone: Zone::istanbul(),
        }
    }
}

impl ContactRules {
    pub fn is_quiet(&self, now: i64) -> bool {
        let minute = self.zone.local(now).minute;
        match self.quiet_from.cmp(&self.quiet_until) {
            std::cmp::Ordering::Less => (self.quiet_from..self.quiet_until).contains(&minute),
            std::cmp::Ordering::Greater => minute >= self.quiet_from || minute < self.quiet_until,
            std::cmp::Ordering::Equal => false,
        }
    }
}

/// The address `person` has on `channel` (mobile first for SMS), normalised.
pub fn address(person: &Person<'_>, channel: Channel) -> Option<String> {
    let candidates: Vec<&str> = match channel {
        Channel::Email => vec![person.email],
        Channel::Sms => vec![person.mobile, person.phone],
        Channel::Call => vec![person.phone, person.mobile],
    };
    candidates
        .into_iter()
        .find(|a| !a.is_empty())
        .and_then(|a| {
            match channel {
                Channel::Email => validate::email(a),
                _ => validate::phone(a),
            }
            .ok()
            .filter(|a| !a.is_empty())
        })
}

/// Whether the campaign's message may go to `person` now: the address to use, or why
/// not. `last_contact` is the person's latest call, meeting or message.
pub fn gate(
    person: &Person<'_>,
    channel: Channel,
    topic: &str,
    last_contact: Option<i64>,
    now: i64,
    rules: &ContactRules,
) -> Result<String, Exclusion> {
    let address = address(person, channel).ok_or(Exclusion::NoAddress)?;
    consent::allows(person.consents, person.recipient_type, channel, topic)
        .map_err(Exclusion::Consent)?;
    if let Some(last) = last_contact
        && rules.cool_off_days > 0
        && now - last < rules.cool_off_days * 86_400_000
    {
        return Err(Exclusion::CoolOff { last_contact: last });
    }
    if rules.is_quiet(now) {
        return Err(Exclusion::QuietHours);
    }
    Ok(address)
}

/// Who a campaign reaches and who it does not, with reasons.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audience {
    pub included: Vec<Included>,
    /// (person ID, why not).
    pub excluded: Vec<(String, Exclusion)>,
}

/// One person a campaign reaches, with the message rendered for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Included {
    pub person: String,
    pub address: String,
    /// The e-mail subject (the campaign's name where it has none); empty for SMS.
    pub subject: String,
    pub message: String,
}

/// Runs the gate over the people of a segment.
pub fn audience<'a>(
    campaign: &Campaign,
    people: impl IntoIterator<Item = &'a Person<'a>>,
    last_contact: impl Fn(&str) -> Option<i64>,
    now: i64,
    rules: &ContactRules,
) -> Audience {
    let mut audience = Audience::default();
    for person in people {
        match gate(
            person,
            campaign.channel,
            &campaign.topic,
            last_contact(&person.id),
            now,
            rules,
        ) {
            Ok(address) => {
                let message = render(&campaign.template, person).unwrap_or_default();
                let subject = match campaign.channel {
                    Channel::Email if campaign.subject.is_empty() => campaign.name.clone(),
                    Channel::Email => render(&campaign.subject, person).unwrap_or_default(),
                    _ => String::new(),
                };
                audience.included.push(Included {
                    person: person.id.clone(),
                    address,
                    subject,
                    message,
                });
            }
            Err(why) => audience.excluded.push((person.id.clone(), why)),
        }
    }
    audience
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sms_is_counted_with_its_opt_out_line_which_stays_in_the_gsm_alphabet() {
        let origin = "https://crm.example.com";
        let sent = as_sent("Merhaba Ali", Channel::Sms, origin);
        assert!(sent.starts_with(
            "Merhaba Ali\nListeden cikmak icin: https://crm.example.com/unsubscribe/"
        ));
        let length = sms_length(&sent);
        assert!(!length.unicode);
        assert_eq!(
            length.units,
            11 + 23 + origin.len() + OPT_OUT_PATH.len() + OPT_OUT_SECRET_LEN
        );
        assert_eq!(length.segments, 1);
        // E-mail says it in both languages.
        let mail = as_sent("Merhaba", Channel::Email, origin);
        assert!(
            mail.contains("almak istemiyorsanız: https://")
                && mail.contains("To stop these messages: https://")
        );
    }

    #[test]
    fn sms_length_counts_gsm_septets_or_ucs2_units() {
        let plain = sms_length("Merhaba Ayse, kampanyamiz basladi.");
        assert_eq!((plain.units, plain.segments, plain.unicode), (34, 1, false));
        // Extension characters take two septets: 158 + 2 = 160 still fits one message.
        let edge = sms_length(&format!("{}€", "a".repeat(158)));
        assert_eq!((edge.units, edge.segments), (160, 1));
        // 161 septets: two parts of at most 153.
        assert_eq!(sms_length(&"a".repeat(161)).segments, 2);
        assert_eq!(sms_length(&"a".repeat(306)).segments, 2);
        assert_eq!(sms_length(&"a".repeat(307)).segments, 3);
        // One Turkish ş makes it UCS-2: 70 per message, 67 per part.
        let turkish = sms_length("Sayın Ayşe, kışa özel indirim başladı.");
        assert!(turkish.unicode);
        assert_eq!((turkish.units, turkish.segments), (38, 1));
        let long = sms_length(&"ş".repeat(71));
        assert_eq!((long.segments, long.per_segment()), (2, (70, 67)));
        // An emoji is two UTF-16 units.
        assert_eq!(sms_length("🙂").units, 2);
        assert_eq!(sms_length("").segments, 1);
    }
    use crate::parties::account::{Account, Party};
    use crate::parties::consent::{
        ConsentEvent, NewConsent, RecipientType, Status as ConsentStatus,
    };
    use crate::time::civil::LocalDateTime;
    use crate::views::audience::audience_of;

    fn at(text: &str) -> i64 {
        Zone::istanbul().to_utc_ms(LocalDateTime::parse(text).unwrap())
    }

    fn consent(
        channel: &str,
        status: &str,
        topics: &str,
        log: &[ConsentEvent],
        who: RecipientType,
    ) -> ConsentEvent {
        consent::record(
            log,
            &NewConsent {
                channel: channel.into(),
                status: status.into(),
                source: "HS_WEB".into(),
                recipient: if channel == "EPOSTA" {
                    "x@example.com".into()
                } else {
                    "05321234567".into()
                },
                evidence: String::new(),
                topics: topics.into(),
            },
            who,
            "id".into(),
            at("2026-11-01T10:00") + log.len() as i64,
            "u1",
        )
        .unwrap()
    }

    fn person<'a>(
        id: &str,
        name: &'a str,
        consents: &'a [ConsentEvent],
        account: Option<(&'a str, &'a Account)>,
    ) -> Person<'a> {
        Person {
            id: id.into(),
            kind: "contact",
            name,
            phone: "",
            mobile: "0532 123 45 67",
            email: "x@example.com",
            birthday: "",
            consents,
            recipient_type: RecipientType::Individual,
            account,
            team: "",
        }
    }

    #[test]
    fn templates_render_turkish_names_and_refuse_unknown_fields() {
        let ctx = EditContext::new("u1", 0);
        let mut company = Account::blank(&ctx);
        company.name = "Çağlayan Gıda A.Ş.".into();
        company.party = Party::Company;
        company.city = "Şanlıurfa".into();
        let p = person("c1", "Şükrü Öztürk", &[], Some(("a1", &company)));
        assert_eq!(
            render(
                "Merhaba {{first_name}}, {{company}} ({{ city }}) için yeni fiyatlar!",
                &p
            )
            .unwrap(),
            "Merhaba Şükrü, Çağlayan Gıda A.Ş. (Şanlıurfa) için yeni fiyatlar!"
        );
        assert_eq!(
            render("Sayın {{soyad}}", &p),
            Err(TemplateError::UnknownField("soyad".into()))
        );
        assert_eq!(
            render("Merhaba {{first_name", &p),
            Err(TemplateError::Unclosed)
        );
        assert!(is_personal("Sevgili {{first_name}}"));
        assert!(!is_personal("Tüm müşterilerimize {{company}} indirimi"));
        let form = Form::new()
            .with("name", "Kış kampanyası")
            .with("segment", "s1")
            .with("channel", "MESAJ")
            .with("template", "Merhaba {{ad}}")
            .with("status", "draft");
        let Err(crate::record::EditError::Invalid(problems)) =
            record::from_form::<Campaign>(&form, &ctx)
        else {
            panic!("unknown field accepted");
        };
        assert_eq!(problems, vec![("template", Problem::InvalidTemplate)]);
    }

    #[test]
    fn a_teams_campaign_reaches_its_team_and_shared_people_only() {
        let ctx = EditContext::new("u1", 0);
        let sms = [consent("MESAJ", "ONAY", "", &[], RecipientType::Individual)];
        let contact = |name: &str, team: &str| {
            let mut c = crate::parties::contact::Contact::blank(&ctx);
            c.name = name.into();
            c.common.team = team.into();
            c.mobile = "0532 123 45 67".into();
            c.consents = sms.to_vec();
            crate::kinds::Record::Contact(c)
        };
        let mut segment = crate::engagement::segment::Segment::blank(&ctx);
        segment.name = "Herkes".into();
        let records = [
            ("c1".to_owned(), contact("İzmirli", "izmir")),
            ("c2".to_owned(), contact("Ankaralı", "ankara")),
            ("c3".to_owned(), contact("Ortak", "")),
            ("s".to_owned(), crate::kinds::Record::Segment(segment)),
        ];
        let refs: Vec<(String, &crate::kinds::Record)> =
            records.iter().map(|(k, r)| (k.clone(), r)).collect();
        let mut c = Campaign::blank(&ctx);
        c.segment = "s".into();
        c.channel = Channel::Sms;
        c.template = "Merhaba {{first_name}}".into();
        c.common.team = "izmir".into();
        let noon = at("2026-11-24T12:00");
        // The default settings give ContactRules::default() (7 days, 21:00–09:00).
        let settings = crate::workspace::ServiceSettings::default();
        let owner = crate::access::Access {
            role: crate::access::Role::Owner,
            teams: Vec::new(),
        };
        let izmir_manager = crate::access::Access {
            role: crate::access::Role::Manager,
            teams: vec!["izmir".into()],
        };
        let reached_by = |c: &Campaign, approver: &crate::access::Access| -> Vec<String> {
            let a = audience_of(c, &refs, &settings, noon, approver).unwrap();
            let mut ids: Vec<String> = a.included.into_iter().map(|i| i.person).collect();
            ids.sort();
            ids
        };
        let reached = |c: &Campaign| reached_by(c, &owner);
        assert_eq!(reached(&c), ["c1", "c3"]);
        c.common.team.clear();
        assert_eq!(reached(&c), ["c1", "c2", "c3"], "a workspace-wide campaign");
        // Approved by İzmir's manager, it reaches no further than they see.
        assert_eq!(reached_by(&c, &izmir_manager), ["c1", "c3"]);
    }

    #[test]
    fn only_owners_admins_and_managers_approve() {
        use crate::access::Role;
        assert!(crate::rules::may_approve_campaign(Role::Manager));
        assert!(
            !crate::rules::may_approve_campaign(Role::SalesRep)
                && !crate::rules::may_approve_campaign(Role::ServiceAgent)
        );
        assert!(
            crate::rules::may_approve_campaign(Role::Owner)
                && crate::rules::may_approve_campaign(Role::Admin)
        );
        assert!(!crate::rules::may_approve_campaign(Role::ReadOnly));
    }

    #[test]
    fn the_gate_excludes_with_reasons() {
        let rules = ContactRules::default();
        let noon = at("2026-11-24T12:00");
        let sms_yes = [consent("MESAJ", "ONAY", "", &[], RecipientType::Individual)];
        let mut sms_no = sms_yes.to_vec();
        sms_no.push(consent(
            "MESAJ",
            "RET",
            "",
            &sms_no,
            RecipientType::Individual,
        ));
        let email_topic = [consent(
            "EPOSTA",
            "ONAY",
            "bülten",
            &[],
            RecipientType::Individual,
        )];
        let with_consent = person("a", "Ayşe Kaya", &sms_yes, None);
        let refused = person("b", "Burak Şen", &sms_no, None);
        let nothing = person("c", "Cem Ak", &[], None);
        let mut merchant = person("d", "Derya Ticaret", &[], None);
        merchant.recipient_type = RecipientType::Merchant;
        let merchant_refusal = [consent("MESAJ", "RET", "", &[], RecipientType::Merchant)];
        let mut merchant_no = person("e", "Ece Ticaret", &merchant_refusal, None);
        merchant_no.recipient_type = RecipientType::Merchant;
        let mut no_phone = person("f", "Fatma Yıldız", &sms_yes, None);
        no_phone.mobile = "";

        assert_eq!(
            gate(&with_consent, Channel::Sms, "", None, noon, &rules),
            Ok("+905321234567".into())
        );
        assert_eq!(
            gate(&refused, Channel::Sms, "", None, noon, &rules),
            Err(Exclusion::Consent(Refusal::Refused))
        );
        assert_eq!(
            gate(&nothing, Channel::Sms, "", None, noon, &rules),
            Err(Exclusion::Consent(Refusal::NoConsent))
        );
        assert!(
            gate(&merchant, Channel::Sms, "", None, noon, &rules).is_ok(),
            "merchants need no prior consent"
        );
        assert_eq!(
            gate(&merchant_no, Channel::Sms, "", None, noon, &rules),
            Err(Exclusion::Consent(Refusal::Refused))
        );
        assert_eq!(
            gate(&no_phone, Channel::Sms, "", None, noon, &rules),
            Err(Exclusion::NoAddress)
        );
        let subscriber = person("g", "Gül Ay", &email_topic, None);
        assert!(gate(&subscriber, Channel::Email, "bülten", None, noon, &rules).is_ok());
        assert_eq!(
            gate(&subscriber, Channel::Email, "kampanya", None, noon, &rules),
            Err(Exclusion::Consent(Refusal::NotSubscribedToTopic))
        );
        let yesterday = noon - 86_400_000;
        assert_eq!(
            gate(
                &with_consent,
                Channel::Sms,
                "",
                Some(yesterday),
                noon,
                &rules
            ),
            Err(Exclusion::CoolOff {
                last_contact: yesterday
            })
        );
        assert!(
            gate(
                &with_consent,
                Channel::Sms,
                "",
                Some(noon - 8 * 86_400_000),
                noon,
                &rules
            )
            .is_ok()
        );
        assert_eq!(
            gate(
                &with_consent,
                Channel::Sms,
                "",
                None,
                at("2026-11-24T22:30"),
                &rules
            ),
            Err(Exclusion::QuietHours)
        );
        assert_eq!(
            gate(
                &with_consent,
                Channel::Sms,
                "",
                None,
                at("2026-11-25T08:59"),
                &rules
            ),
            Err(Exclusion::QuietHours)
        );
        let everyone = [with_consent.clone(), refused.clone(), nothing.clone()];
        let mut campaign = Campaign::blank(&EditContext::new("u1", 0));
        campaign.channel = Channel::Sms;
        campaign.template = "Merhaba {{first_name}}".into();
        let result = audience(&campaign, &everyone, |_| None, noon, &rules);
        assert_eq!(
            result.included,
            vec![Included {
                person: "a".to_owned(),
                address: "+905321234567".to_owned(),
                subject: String::new(),
                message: "Merhaba Ayşe".to_owned()
            }]
        );
        assert_eq!(result.excluded.len(), 2);
        let _ = ConsentStatus::Consent;
        // An e-mail's subject is rendered for each person, like its message; one made
        // before subjects existed goes out under its name.
        campaign.channel = Channel::Email;
        campaign.topic = "bülten".into();
        campaign.name = "Kış".into();
        campaign.subject = "{{first_name}}, kışa özel".into();
        let subject = |c: &Campaign| {
            audience(c, [&subscriber], |_| None, noon, &rules).included[0]
                .subject
                .clone()
        };
        assert_eq!(subject(&campaign), "Gül, kışa özel");
        campaign.subject.clear();
        assert_eq!(subject(&campaign), "Kış");
    }

    #[test]
    fn headers_stay_one_line_and_bodies_lose_control_characters() {
        assert_eq!(
            header_text("Kış\r\nBcc: herkes@example.com"),
            "Kış Bcc: herkes@example.com"
        );
        assert_eq!(
            message_text("Merhaba\r\nAyşe\u{1b}[2J\u{0}"),
            "Merhaba\nAyşe[2J"
        );
    }
}
