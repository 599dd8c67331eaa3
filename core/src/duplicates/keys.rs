//! What two records are compared by: their [`Profile`], its exact keys, and the score of
//! a pair.

use crate::kinds::Record;
use crate::parties::{account, contact};
use crate::sales::lead::Lead;
use crate::text::fold::fold;

/// Why two records were paired: the kind of key they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    /// The same VKN or TCKN.
    TaxNumber,
    /// The same e-mail address (lower-cased).
    Email,
    /// The same phone number (E.164).
    Phone,
    /// Companies whose e-mail addresses share a domain that is not a free-mail one.
    Domain,
    /// The same folded name (a contact's within the same account).
    Name,
}

impl KeyKind {
    /// Every key kind, strongest first.
    pub const ALL: [KeyKind; 5] = [
        KeyKind::TaxNumber,
        KeyKind::Email,
        KeyKind::Phone,
        KeyKind::Domain,
        KeyKind::Name,
    ];

    /// Stable code, as the app words it.
    pub fn code(self) -> &'static str {
        match self {
            KeyKind::TaxNumber => "tax_number",
            KeyKind::Email => "email",
            KeyKind::Phone => "phone",
            KeyKind::Domain => "domain",
            KeyKind::Name => "name",
        }
    }

    /// What sharing this key adds to a pair's score.
    fn weight(self) -> i32 {
        match self {
            KeyKind::TaxNumber => 50,
            KeyKind::Email => 40,
            KeyKind::Phone => 35,
            KeyKind::Name => 30,
            KeyKind::Domain => 20,
        }
    }
}

/// E-mail domains anyone can have an address at: sharing one says nothing about two
/// companies.
pub const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.com.tr",
    "outlook.com",
    "outlook.com.tr",
    "live.com",
    "msn.com",
    "windowslive.com",
    "yahoo.com",
    "yahoo.com.tr",
    "ymail.com",
    "icloud.com",
    "me.com",
    "yandex.com",
    "yandex.com.tr",
    "yandex.ru",
    "mynet.com",
    "superonline.com",
    "ttmail.com",
    "turk.net",
    "protonmail.com",
    "proton.me",
    "aol.com",
    "mail.com",
    "gmx.com",
    "gmx.de",
];

/// Words of a company name that say its legal form or are filler, folded: "Anadolu Gıda
/// San. ve Tic. Ltd. Şti." and "Anadolu Gıda A.Ş." are both "anadolu gida".
const LEGAL_WORDS: &[&str] = &[
    "as", "anonim", "sirketi", "sirket", "ltd", "limited", "sti", "ltdsti", "san", "sanayi",
    "sanayii", "tic", "ticaret", "ve", "inc", "llc", "gmbh", "co", "corp", "ltda", "the",
];

/// A name as names are compared: folded for Turkish, punctuation and one-letter words
/// ("A.Ş." → "a", "s") and legal-form words dropped, the remaining words sorted, so word
/// order does not matter.
pub fn name_key(name: &str) -> String {
    let folded = fold(name);
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1 && !LEGAL_WORDS.contains(w))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

/// How alike two name keys are, 0.0 to 1.0: the Sørensen–Dice coefficient of their
/// letter pairs.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    strsim::sorensen_dice(a, b)
}

/// What the matcher compares of one account or contact (or of a lead's company or
/// person, at conversion).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profile {
    /// `account` or `contact`: only profiles of one kind are compared.
    pub kind: &'static str,
    /// The name as shown.
    pub name: String,
    /// [`name_key`] of the name.
    pub name_key: String,
    /// The city, folded ("" when unknown).
    pub city: String,
    /// VKN or TCKN.
    pub tax_number: String,
    /// E-mail addresses, lower-cased.
    pub emails: Vec<String>,
    /// Phone numbers (E.164).
    pub phones: Vec<String>,
    /// A contact's account ID; empty for an account.
    pub account: String,
}

impl Profile {
    /// The profile of an account or a contact; `None` for other kinds, and for a deleted
    /// or merged record.
    pub fn of(record: &Record) -> Option<Profile> {
        if record.common().is_deleted() || record.common().is_merged() {
            return None;
        }
        match record {
            Record::Account(a) => Some(Profile::new(
                account::KIND,
                &a.name,
                &a.city,
                &a.tax_number,
                &[&a.email],
                &[&a.phone, &a.mobile],
                "",
            )),
            Record::Contact(c) => Some(Profile::new(
                contact::KIND,
                &c.name,
                "",
                "",
                &[&c.email],
                &[&c.phone, &c.mobile],
                &c.account,
            )),
            _ => None,
        }
    }

    /// A profile from its parts; empty values are left out.
    pub fn new(
        kind: &'static str,
        name: &str,
        city: &str,
        tax_number: &str,
        emails: &[&str],
        phones: &[&str],
        account: &str,
    ) -> Profile {
        let mut emails: Vec<String> = emails
            .iter()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| e.contains('@'))
            .collect();
        emails.dedup();
        let mut phones: Vec<String> = phones
            .iter()
            .map(|p| p.trim().to_owned())
            .filter(|p| p.len() > 4)
            .collect();
        phones.dedup();
        Profile {
            kind,
            name: name.trim().to_owned(),
            name_key: name_key(name),
            city: fold(city.trim()),
            tax_number: tax_number.trim().to_owned(),
            emails,
            phones,
            account: account.to_owned(),
        }
    }

    /// What converting `lead` would make: the account's profile, and the contact's as
    /// a member of `account` (the ID of the account the contact would join; empty when
    /// that account is new).
    pub fn of_lead(lead: &Lead, account: &str) -> (Profile, Profile) {
        let emails = [lead.email.as_str()];
        let phones = [lead.phone.as_str()];
        (
            Profile::new(
                account::KIND,
                lead.account_name(),
                &lead.city,
                &lead.tax_number,
                &emails,
                &phones,
                "",
            ),
            Profile::new(contact::KIND, &lead.name, "", "", &emails, &phones, account),
        )
    }

    /// The exact keys the profile is found by, each with its kind.
    pub fn keys(&self) -> Vec<(KeyKind, String)> {
        let mut keys = Vec::new();
        if !self.tax_number.is_empty() {
            keys.push((KeyKind::TaxNumber, self.tax_number.clone()));
        }
        for email in &self.emails {
            keys.push((KeyKind::Email, email.clone()));
        }
        for phone in &self.phones {
            keys.push((KeyKind::Phone, phone.clone()));
        }
        if self.kind == account::KIND {
            for domain in self.domains() {
                keys.push((KeyKind::Domain, domain.to_owned()));
            }
        }
        if !self.name_key.is_empty() {
            // A person's name alone is too common ("Ahmet Yılmaz"): a contact pairs by
            // name only within its account.
            let name = if self.kind == contact::KIND {
                format!("{}|{}", self.account, self.name_key)
            } else {
                self.name_key.clone()
            };
            keys.push((KeyKind::Name, name));
        }
        keys
    }

    /// The company domains of the profile's e-mail addresses (free-mail ones left out).
    fn domains(&self) -> impl Iterator<Item = &str> {
        self.emails.iter().filter_map(|e| {
            let domain = e.rsplit_once('@')?.1;
            (!FREE_MAIL.contains(&domain)).then_some(domain)
        })
    }

    /// The kinds of key `self` and `other` share.
    pub fn shared_keys(&self, other: &Profile) -> Vec<KeyKind> {
        let theirs = other.keys();
        let mut shared: Vec<KeyKind> = self
            .keys()
            .into_iter()
            .filter(|key| theirs.contains(key))
            .map(|(kind, _)| kind)
            .collect();
        shared.sort_unstable();
        shared.dedup();
        shared
    }
}

/// How likely two profiles are one party, 0 to 100: what their shared keys add, plus
/// up to 40 for alike names; a city both name and that differs takes 10 off, two
/// different tax numbers 60 (two legal entities are two customers, however alike their
/// names).
pub fn score(a: &Profile, b: &Profile, shared: &[KeyKind]) -> u8 {
    let mut score: i32 = shared.iter().map(|k| k.weight()).sum();
    // The similarity adds what an exact name key has not already counted.
    let similarity = if shared.contains(&KeyKind::Name) {
        1.0
    } else {
        name_similarity(&a.name_key, &b.name_key)
    };
    score += (similarity * 40.0).round() as i32;
    if !a.city.is_empty() && !b.city.is_empty() {
        score += if a.city == b.city { 10 } else { -10 };
    }
    if !a.tax_number.is_empty() && !b.tax_number.is_empty() && a.tax_number != b.tax_number {
        score -= 60;
    }
    score.clamp(0, 100) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(name: &str, city: &str, tax: &str, email: &str) -> Profile {
        Profile::new(account::KIND, name, city, tax, &[email], &[], "")
    }

    #[test]
    fn names_fold_turkish_letters_and_drop_legal_forms() {
        assert_eq!(name_key("Anadolu Gıda A.Ş."), "anadolu gida");
        assert_eq!(
            name_key("ANADOLU GIDA SAN. VE TİC. LTD. ŞTİ."),
            "anadolu gida"
        );
        assert_eq!(name_key("Şahin İnşaat"), name_key("SAHIN insaat"));
        assert_eq!(name_key("Işık Tekstil"), name_key("ışık TEKSTİL"));
        assert_eq!(name_key("Yılmaz Ahmet"), name_key("Ahmet Yılmaz"));
        assert_eq!(name_key("A.Ş."), "");
    }

    #[test]
    fn a_company_is_found_by_tax_number_email_phone_domain_and_name() {
        let mut p = company(
            "Anadolu Gıda A.Ş.",
            "İstanbul",
            "1234567890",
            "Satis@AnadoluGida.com.tr",
        );
        p.phones.push("+902121234567".into());
        let keys = p.keys();
        assert!(keys.contains(&(KeyKind::TaxNumber, "1234567890".into())));
        assert!(keys.contains(&(KeyKind::Email, "satis@anadolugida.com.tr".into())));
        assert!(keys.contains(&(KeyKind::Domain, "anadolugida.com.tr".into())));
        assert!(keys.contains(&(KeyKind::Phone, "+902121234567".into())));
        assert!(keys.contains(&(KeyKind::Name, "anadolu gida".into())));
        // A free-mail domain is no key.
        let free = company("Ali Usta", "", "", "aliusta@gmail.com");
        assert!(!free.keys().iter().any(|(k, _)| *k == KeyKind::Domain));
    }

    #[test]
    fn a_contact_pairs_by_name_only_within_its_account() {
        let a = Profile::new(contact::KIND, "Ahmet Yılmaz", "", "", &[], &[], "acc1");
        let b = Profile::new(contact::KIND, "AHMET YILMAZ", "", "", &[], &[], "acc1");
        let c = Profile::new(contact::KIND, "Ahmet Yılmaz", "", "", &[], &[], "acc2");
        assert_eq!(a.shared_keys(&b), [KeyKind::Name]);
        assert!(a.shared_keys(&c).is_empty());
    }

    #[test]
    fn the_score_weighs_keys_names_cities_and_tax_numbers() {
        let a = company("Anadolu Gıda A.Ş.", "İstanbul", "1234567890", "");
        let b = company("ANADOLU GIDA SAN. TİC.", "ISTANBUL", "1234567890", "");
        let shared = a.shared_keys(&b);
        assert_eq!(shared, [KeyKind::TaxNumber, KeyKind::Name]);
        assert_eq!(score(&a, &b, &shared), 100);
        // A misspelt name in the same city, no other key: still a likely pair.
        let c = company("Anadolu Gıdaa", "İstanbul", "", "");
        let s = score(&a, &c, &a.shared_keys(&c));
        assert!((35..100).contains(&s), "{s}");
        // The same name, two tax numbers: two companies.
        let d = company("Anadolu Gıda", "İstanbul", "9876543210", "");
        assert!(score(&a, &d, &a.shared_keys(&d)) < 50);
        // Unlike names sharing only a domain stay below the threshold.
        let e = company("Deniz Lojistik", "", "", "info@grup.com");
        let f = company("Kara Nakliyat", "", "", "satis@grup.com");
        let shared = e.shared_keys(&f);
        assert_eq!(shared, [KeyKind::Domain]);
        assert!(score(&e, &f, &shared) < 50);
    }
}
