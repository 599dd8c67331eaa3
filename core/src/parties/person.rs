//! The persons a message can reach: contacts, and accounts that are persons, with the
//! consent log and account that decide what may be sent to them.

use crate::parties::account::{Account, Party};
use crate::parties::consent::{ConsentEvent, RecipientType};

/// Someone a campaign can reach: a contact, or an account that is a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Person<'a> {
    pub id: String,
    pub kind: &'static str,
    pub name: &'a str,
    pub phone: &'a str,
    pub mobile: &'a str,
    pub email: &'a str,
    pub birthday: &'a str,
    pub consents: &'a [ConsentEvent],
    pub recipient_type: RecipientType,
    /// The account (the person's own, for a person account).
    pub account: Option<(&'a str, &'a Account)>,
    /// The team the person's record belongs to ("" for everyone's).
    pub team: &'a str,
}

impl Person<'_> {
    /// The first word of the name.
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or("")
    }

    pub fn company(&self) -> &str {
        match self.account {
            Some((_, a)) if a.party == Party::Company => &a.name,
            _ => "",
        }
    }
}
