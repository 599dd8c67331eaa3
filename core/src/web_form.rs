//! Web forms: the rules a form definition must meet, shared by Settings (which checks a
//! form before sending it and words each problem) and the server (which checks it
//! again before storing it).
//!
//! A form asks for a name and some of [`FIELDS`], turns a submission into a lead or a
//! case of a category ([`FormTarget`]), may carry consent checkboxes (İYS channel and
//! the exact wording, leads only, and only for a channel whose address the form asks
//! for), and names the sites ([`origin_of`]) that may embed and post it.

use std::fmt;

use crate::api::{NewWebForm, WebFormConsent};

/// The fields a form may ask for: (code, Turkish label, English label). `name` is
/// always asked.
pub const FIELDS: [(&str, &str, &str); 6] = [
    ("name", "Adınız soyadınız", "Your name"),
    ("company", "Firma", "Company"),
    ("email", "E-posta", "E-mail"),
    ("phone", "Telefon", "Phone"),
    ("city", "Şehir", "City"),
    ("message", "Mesajınız", "Your message"),
];

/// The İYS channels a form may ask consent for.
pub const CONSENT_CHANNELS: [&str; 3] = ["EPOSTA", "MESAJ", "ARAMA"];

/// Longest name.
pub const MAX_NAME: usize = 200;
/// Longest wording and thank-you text.
pub const MAX_TEXT: usize = 2_000;
/// Longest minimum fill time a form may ask, in seconds.
pub const MAX_FILL_SECONDS: u32 = 60;

/// What a submission becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormTarget {
    Lead,
    Complaint,
    Request,
    Wish,
}

impl FormTarget {
    pub const ALL: [FormTarget; 4] = [
        FormTarget::Lead,
        FormTarget::Complaint,
        FormTarget::Request,
        FormTarget::Wish,
    ];

    pub fn parse(code: &str) -> Option<FormTarget> {
        FormTarget::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            FormTarget::Lead => "lead",
            FormTarget::Complaint => "complaint",
            FormTarget::Request => "request",
            FormTarget::Wish => "wish",
        }
    }
}

/// Why a form definition is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormProblem {
    /// No name, or longer than [`MAX_NAME`].
    Name,
    /// Not one of [`FormTarget`]'s codes.
    Target(String),
    /// Not one of [`FIELDS`].
    Field(String),
    /// Consent is recorded on leads; a case form takes none.
    ConsentOnCase,
    /// Not one of [`CONSENT_CHANNELS`].
    ConsentChannel(String),
    /// A consent for `channel` needs the form to ask for `field` (its address).
    ConsentNeedsField {
        channel: String,
        field: &'static str,
    },
    /// The same channel twice.
    ConsentTwice(String),
    /// A consent without its wording, or one longer than [`MAX_TEXT`].
    Wording,
    /// Not an origin such as `https://www.example.com`.
    Origin(String),
    /// A thank-you text longer than [`MAX_TEXT`].
    ThankYou,
}

impl fmt::Display for FormProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormProblem::Name => write!(f, "a form needs a name of 1 to {MAX_NAME} characters"),
            FormProblem::Target(t) => {
                write!(f, "{t:?}: target must be lead, complaint, request or wish")
            }
            FormProblem::Field(x) => write!(f, "{x:?} is not a form field"),
            FormProblem::ConsentOnCase => write!(
                f,
                "consent is recorded on leads: a complaint, request or wish form takes none"
            ),
            FormProblem::ConsentChannel(c) => {
                write!(f, "{c:?}: a consent channel is EPOSTA, MESAJ or ARAMA")
            }
            FormProblem::ConsentNeedsField { channel, field } => {
                write!(f, "a {channel} consent needs the form to ask for {field}")
            }
            FormProblem::ConsentTwice(c) => write!(f, "the {c} consent is asked twice"),
            FormProblem::Wording => write!(
                f,
                "each consent needs its exact wording (1 to {MAX_TEXT} characters)"
            ),
            FormProblem::Origin(o) => {
                write!(f, "{o:?} is not an origin (https://www.example.com)")
            }
            FormProblem::ThankYou => write!(f, "the thank-you text is too long"),
        }
    }
}

impl std::error::Error for FormProblem {}

/// A form definition that passed [`check`]: trimmed, fields without duplicates (a case
/// form always asks for the message), origins normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedForm {
    pub name: String,
    pub target: FormTarget,
    pub fields: Vec<String>,
    pub thank_you: String,
    pub consents: Vec<WebFormConsent>,
    pub allowed_origins: Vec<String>,
    pub min_fill_seconds: u32,
}

/// The field whose address a consent on `channel` is given for.
pub fn consent_field(channel: &str) -> &'static str {
    if channel == "EPOSTA" {
        "email"
    } else {
        "phone"
    }
}

/// The scheme, host and port of `url`, lower case, without a path or a trailing
/// slash — how browsers send `Origin`.
pub fn origin_of(url: &str) -> String {
    let url = url.trim().trim_end_matches('/').to_ascii_lowercase();
    match url.find("://") {
        Some(i) => match url[i + 3..].find('/') {
            Some(j) => url[..i + 3 + j].to_owned(),
            None => url,
        },
        None => url,
    }
}

/// Checks a form definition; the first problem found is returned.
pub fn check(form: &NewWebForm) -> Result<CheckedForm, FormProblem> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(FormProblem::Name);
    }
    let target =
        FormTarget::parse(&form.target).ok_or_else(|| FormProblem::Target(form.target.clone()))?;
    let mut fields: Vec<String> = Vec::new();
    for field in &form.fields {
        if field == "name" {
            continue;
        }
        if !FIELDS.iter().any(|(code, ..)| code == field) {
            return Err(FormProblem::Field(field.clone()));
        }
        if !fields.contains(field) {
            fields.push(field.clone());
        }
    }
    if target != FormTarget::Lead && !fields.iter().any(|f| f == "message") {
        fields.push("message".into());
    }
    let mut consents: Vec<WebFormConsent> = Vec::new();
    for c in &form.consents {
        if target != FormTarget::Lead {
            return Err(FormProblem::ConsentOnCase);
        }
        if !CONSENT_CHANNELS.contains(&c.channel.as_str()) {
            return Err(FormProblem::ConsentChannel(c.channel.clone()));
        }
        if consents.iter().any(|seen| seen.channel == c.channel) {
            return Err(FormProblem::ConsentTwice(c.channel.clone()));
        }
        let needs = consent_field(&c.channel);
        if !fields.iter().any(|f| f == needs) {
            return Err(FormProblem::ConsentNeedsField {
                channel: c.channel.clone(),
                field: needs,
            });
        }
        let wording = c.wording.trim();
        if wording.is_empty() || wording.chars().count() > MAX_TEXT {
            return Err(FormProblem::Wording);
        }
        consents.push(WebFormConsent {
            channel: c.channel.clone(),
            wording: wording.to_owned(),
        });
    }
    let mut origins: Vec<String> = Vec::new();
    for origin in form.allowed_origins.iter().filter(|o| !o.trim().is_empty()) {
        let o = origin_of(origin);
        let host = o.split_once("://").map(|(_, h)| h).unwrap_or("");
        if !(o.starts_with("https://") || o.starts_with("http://"))
            || host.is_empty()
            || !o
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b';' && b != b',' && b != b'\'')
        {
            return Err(FormProblem::Origin(origin.trim().to_owned()));
        }
        if !origins.contains(&o) {
            origins.push(o);
        }
    }
    let thank_you = form.thank_you.trim();
    if thank_you.chars().count() > MAX_TEXT {
        return Err(FormProblem::ThankYou);
    }
    Ok(CheckedForm {
        name: name.to_owned(),
        target,
        fields,
        thank_you: thank_you.to_owned(),
        consents,
        allowed_origins: origins,
        min_fill_seconds: form.min_fill_seconds.unwrap_or(3).min(MAX_FILL_SECONDS),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(target: &str, fields: &[&str], consents: &[(&str, &str)]) -> NewWebForm {
        NewWebForm {
            name: " İletişim ".into(),
            target: target.into(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
            team: String::new(),
            thank_you: String::new(),
            consents: consents
                .iter()
                .map(|(channel, wording)| WebFormConsent {
                    channel: channel.to_string(),
                    wording: wording.to_string(),
                })
                .collect(),
            allowed_origins: vec!["HTTPS://www.Example.com/iletisim".into(), " ".into()],
            min_fill_seconds: Some(600),
        }
    }

    #[test]
    fn a_good_form_is_normalised() {
        let checked = check(&form(
            "lead",
            &["name", "email", "email", "phone"],
            &[("EPOSTA", " E-posta ile haber almak istiyorum. ")],
        ))
        .expect("valid");
        assert_eq!(checked.name, "İletişim");
        assert_eq!(checked.fields, ["email", "phone"]);
        assert_eq!(
            checked.consents[0].wording,
            "E-posta ile haber almak istiyorum."
        );
        assert_eq!(checked.allowed_origins, ["https://www.example.com"]);
        assert_eq!(checked.min_fill_seconds, MAX_FILL_SECONDS);
        // A case form always asks for the message.
        let case = check(&form("wish", &["email"], &[])).expect("valid");
        assert_eq!(case.fields, ["email", "message"]);
    }

    #[test]
    fn each_problem_is_named() {
        let mut nameless = form("lead", &[], &[]);
        nameless.name = "  ".into();
        assert_eq!(check(&nameless), Err(FormProblem::Name));
        assert_eq!(
            check(&form("order", &[], &[])),
            Err(FormProblem::Target("order".into()))
        );
        assert_eq!(
            check(&form("lead", &["fax"], &[])),
            Err(FormProblem::Field("fax".into()))
        );
        assert_eq!(
            check(&form("complaint", &["email"], &[("EPOSTA", "x")])),
            Err(FormProblem::ConsentOnCase)
        );
        assert_eq!(
            check(&form("lead", &["email"], &[("FAKS", "x")])),
            Err(FormProblem::ConsentChannel("FAKS".into()))
        );
        assert_eq!(
            check(&form("lead", &["email"], &[("MESAJ", "x")])),
            Err(FormProblem::ConsentNeedsField {
                channel: "MESAJ".into(),
                field: "phone"
            })
        );
        assert_eq!(
            check(&form("lead", &["phone"], &[("ARAMA", "a"), ("ARAMA", "b")])),
            Err(FormProblem::ConsentTwice("ARAMA".into()))
        );
        assert_eq!(
            check(&form("lead", &["email"], &[("EPOSTA", "   ")])),
            Err(FormProblem::Wording)
        );
        let mut bad_site = form("lead", &[], &[]);
        bad_site.allowed_origins = vec!["www.example.com".into()];
        assert_eq!(
            check(&bad_site),
            Err(FormProblem::Origin("www.example.com".into()))
        );
        bad_site.allowed_origins = vec!["https://a.com;script-src *".into()];
        assert!(matches!(check(&bad_site), Err(FormProblem::Origin(_))));
        let mut long = form("lead", &[], &[]);
        long.thank_you = "a".repeat(MAX_TEXT + 1);
        assert_eq!(check(&long), Err(FormProblem::ThankYou));
    }

    #[test]
    fn origins_are_what_browsers_send() {
        assert_eq!(origin_of("https://A.com/x/y"), "https://a.com");
        assert_eq!(origin_of("http://a.com:8080/"), "http://a.com:8080");
        assert_eq!(origin_of("null"), "null");
    }
}
