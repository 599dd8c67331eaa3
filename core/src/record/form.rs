//! Record forms: the fields a record type shows, what the user typed into them, and the
//! validation that turns typed text into stored values.
//!
//! Every record type describes its form once ([`FieldSpec`]s); the browser renders any
//! record's form from that description, and the same type checks what was typed. A
//! [`Form`] keeps the text exactly as typed, so a refused save loses nothing: problems
//! come back per field, in a language-neutral [`Problem`] the UI words.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::text::validate::{self, Problem};

/// What the user typed, by field name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form(BTreeMap<String, String>);

impl Form {
    pub fn new() -> Form {
        Form::default()
    }

    /// The text typed into `field` ("" if none).
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn set(&mut self, field: &str, value: impl Into<String>) {
        self.0.insert(field.to_owned(), value.into());
    }

    /// Builder form of [`Form::set`].
    pub fn with(mut self, field: &str, value: impl Into<String>) -> Form {
        self.set(field, value);
        self
    }
}

/// How a field is entered and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// Free text, many lines, merged character by character.
    LongText,
    Email,
    /// Normalised to E.164, +90 by default.
    Phone,
    /// `YYYY-MM-DD`.
    Date,
    /// A non-negative decimal amount or quantity.
    Decimal,
    /// One of the listed codes (the UI words them).
    Choice(&'static [&'static str]),
    /// The ID of another record of this kind.
    Link(&'static str),
    /// Comma-separated words.
    Tags,
    /// A team of the workspace (the UI offers the teams the member may choose).
    Team,
    /// A member of the workspace.
    Member,
    /// A wall-clock date and time, `YYYY-MM-DDTHH:MM`.
    DateTime,
    /// A duration typed as `m:ss`, `h:mm:ss` or whole minutes; stored as seconds.
    Duration,
    /// The ID of a record of any kind.
    AnyLink,
    /// Comma-separated IDs of records of this kind.
    LinkList(&'static str),
    /// Comma-separated member user IDs.
    MemberList,
    /// An IANA time-zone name Saha supports ([`crate::time::civil::ZONES`]).
    TimeZone,
    /// An RFC 5545 recurrence rule ([`crate::time::rrule`]).
    Recurrence,
}

/// One field of a record type's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub input: Input,
    pub required: bool,
}

impl FieldSpec {
    pub const fn new(name: &'static str, input: Input) -> FieldSpec {
        FieldSpec {
            name,
            input,
            required: false,
        }
    }

    pub const fn required(name: &'static str, input: Input) -> FieldSpec {
        FieldSpec {
            name,
            input,
            required: true,
        }
    }
}

/// Problems found in a form, by field name.
pub type Problems = Vec<(&'static str, Problem)>;

/// Reads a form's fields one by one, normalising each and collecting every problem, so
/// the user sees all of them at once.
pub struct Checker<'a> {
    form: &'a Form,
    problems: Problems,
}

impl<'a> Checker<'a> {
    pub fn new(form: &'a Form) -> Checker<'a> {
        Checker {
            form,
            problems: Vec::new(),
        }
    }

    fn check(&mut self, field: &'static str, result: Result<String, Problem>) -> String {
        result.unwrap_or_else(|p| {
            self.problems.push((field, p));
            String::new()
        })
    }

    /// A field as its [`FieldSpec`] says.
    pub fn field(&mut self, spec: &FieldSpec) -> String {
        let raw = self.form.get(spec.name);
        let value = match spec.input {
            Input::Text | Input::Link(_) | Input::Team | Input::Member => {
                validate::optional_text(raw)
            }
            Input::LongText => validate::long_text(raw),
            Input::Email => validate::email(raw),
            Input::Phone => validate::phone(raw),
            Input::Date => validate::date(raw),
            Input::Decimal => {
                validate::decimal(raw).map(|d| d.map(|d| d.to_string()).unwrap_or_default())
            }
            Input::Choice(codes) => {
                let code = raw.trim();
                if code.is_empty() || codes.contains(&code) {
                    Ok(code.to_owned())
                } else {
                    Err(Problem::InvalidChoice)
                }
            }
            Input::Tags => Ok(tags_text(&split_tags(raw))),
            Input::DateTime => crate::time::civil::date_time(raw),
            Input::Duration => validate::duration_seconds(raw)
                .map(|s| s.map(|s| s.to_string()).unwrap_or_default()),
            Input::AnyLink => validate::optional_text(raw),
            Input::LinkList(_) | Input::MemberList => Ok(split_tags(raw).join(",")),
            Input::TimeZone => crate::time::civil::Zone::named(raw).map(|z| z.name.to_owned()),
            Input::Recurrence => {
                let rule = raw.trim();
                if rule.is_empty() {
                    Ok(String::new())
                } else {
                    crate::time::rrule::Rule::parse(rule, crate::time::civil::Zone::istanbul())
                        .map(|_| rule.trim_start_matches("RRULE:").to_owned())
                }
            }
        };
        let value = match value {
            Ok(v) if v.is_empty() && spec.required => Err(Problem::Required),
            other => other,
        };
        self.check(spec.name, value)
    }

    /// A field's value as a decimal (zero when empty or refused).
    pub fn decimal(&mut self, spec: &FieldSpec) -> Decimal {
        self.field(spec).parse().unwrap_or_default()
    }

    /// Records a problem found by a rule that spans fields.
    pub fn problem(&mut self, field: &'static str, problem: Problem) {
        self.problems.push((field, problem));
    }

    pub fn has_problem(&self, field: &str) -> bool {
        self.problems.iter().any(|(f, _)| *f == field)
    }

    /// The collected problems, or `Ok` if there were none.
    pub fn finish(self) -> Result<(), Problems> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems)
        }
    }
}

/// The words of a comma-separated tag field, trimmed, without empties or repeats.
pub fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',') {
        let tag = tag.split_whitespace().collect::<Vec<_>>().join(" ");
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// Tags as a form shows them.
pub fn tags_text(tags: &[String]) -> String {
    tags.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: FieldSpec = FieldSpec::required("name", Input::Text);
    const KIND: FieldSpec = FieldSpec::new("kind", Input::Choice(&["a", "b"]));
    const AMOUNT: FieldSpec = FieldSpec::new("amount", Input::Decimal);

    #[test]
    fn every_problem_is_reported_and_nothing_typed_is_lost() {
        let form = Form::new()
            .with("name", "  ")
            .with("kind", "c")
            .with("amount", "12,5x");
        let mut check = Checker::new(&form);
        check.field(&NAME);
        check.field(&KIND);
        check.decimal(&AMOUNT);
        assert_eq!(
            check.finish().unwrap_err(),
            vec![
                ("name", Problem::Required),
                ("kind", Problem::InvalidChoice),
                ("amount", Problem::InvalidNumber)
            ]
        );
        assert_eq!(form.get("amount"), "12,5x");
    }

    #[test]
    fn values_are_normalised() {
        let form = Form::new()
            .with("name", " Ege  Tekstil ")
            .with("kind", "b")
            .with("amount", "1.234,50");
        let mut check = Checker::new(&form);
        assert_eq!(check.field(&NAME), "Ege Tekstil");
        assert_eq!(check.field(&KIND), "b");
        assert_eq!(check.decimal(&AMOUNT), Decimal::new(123450, 2));
        assert!(check.finish().is_ok());
        assert_eq!(
            split_tags("vip, ihracat ,, vip,  büyük   müşteri"),
            ["vip", "ihracat", "büyük müşteri"]
        );
    }
}
