//! The workspace scan and the point-of-entry check: candidate pairs by shared keys,
//! scored, never every pair.

use std::collections::HashMap;

use crate::duplicates::keys::{KeyKind, Profile, score};
use crate::kinds::Record;

/// A key shared by more records than this (a switchboard number on every branch, a
/// name like "Merkez") is too common to pair on: the block is skipped, so a scan stays
/// near-linear.
pub const MAX_BLOCK: usize = 100;

/// The least score a pair is shown with.
pub const THRESHOLD: u8 = 50;

/// Two records that may be one party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub first: String,
    pub second: String,
    /// 0 to 100 (see [`score`]).
    pub score: u8,
    /// The keys the two share, strongest first.
    pub keys: Vec<KeyKind>,
}

/// Every pair of accounts, and of contacts, among `records` that scores at least
/// [`THRESHOLD`], best first (ties by ID, so the order is stable).
pub fn scan(records: &[(&str, &Record)]) -> Vec<Pair> {
    let profiles: Vec<(&str, Profile)> = records
        .iter()
        .filter_map(|(id, record)| Some((*id, Profile::of(record)?)))
        .collect();
    // Blocks: the records holding each key (of one kind of record).
    let mut blocks: HashMap<(&'static str, KeyKind, String), Vec<u32>> = HashMap::new();
    for (i, (_, profile)) in profiles.iter().enumerate() {
        for (kind, value) in profile.keys() {
            blocks
                .entry((profile.kind, kind, value))
                .or_default()
                .push(i as u32);
        }
    }
    let mut candidates: HashMap<(u32, u32), ()> = HashMap::new();
    for members in blocks.values() {
        if members.len() < 2 || members.len() > MAX_BLOCK {
            continue;
        }
        for (n, a) in members.iter().enumerate() {
            for b in &members[n + 1..] {
                if a != b {
                    candidates.insert(((*a).min(*b), (*a).max(*b)), ());
                }
            }
        }
    }
    let mut pairs: Vec<Pair> = candidates
        .into_keys()
        .filter_map(|(a, b)| {
            let (first, pa) = &profiles[a as usize];
            let (second, pb) = &profiles[b as usize];
            pair(first, pa, second, pb)
        })
        .collect();
    sort(&mut pairs);
    pairs
}

/// The existing records `new` may duplicate (an account or contact about to be
/// created, or what a lead conversion would create), best first. `new` is compared
/// with every record of its kind that shares a key with it.
pub fn matches_for(new: &Profile, records: &[(&str, &Record)]) -> Vec<Pair> {
    let keys = new.keys();
    let mut pairs: Vec<Pair> = records
        .iter()
        .filter_map(|(id, record)| {
            let profile = Profile::of(record)?;
            if profile.kind != new.kind || !profile.keys().iter().any(|key| keys.contains(key)) {
                return None;
            }
            pair("", new, id, &profile)
        })
        .collect();
    sort(&mut pairs);
    pairs
}

fn pair(first: &str, a: &Profile, second: &str, b: &Profile) -> Option<Pair> {
    let keys = a.shared_keys(b);
    let score = score(a, b, &keys);
    (score >= THRESHOLD).then(|| Pair {
        first: first.to_owned(),
        second: second.to_owned(),
        score,
        keys,
    })
}

fn sort(pairs: &mut [Pair]) {
    pairs.sort_by(|x, y| {
        y.score
            .cmp(&x.score)
            .then_with(|| x.first.cmp(&y.first))
            .then_with(|| x.second.cmp(&y.second))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::EditContext;
    use crate::record::form::Form;

    fn record(kind: &str, form: Form) -> Record {
        let ctx = EditContext::new("u1", 1);
        let mut record = Record::blank(kind, &ctx).unwrap();
        record.apply_new(&form, &ctx).unwrap();
        record
    }

    fn account(name: &str, city: &str, tax: &str, phone: &str) -> Record {
        record(
            "account",
            Form::new()
                .with("name", name)
                .with("city", city)
                .with("tax_number", tax)
                .with("phone", phone),
        )
    }

    #[test]
    fn the_scan_pairs_records_sharing_a_key_and_scores_them() {
        let records = [
            account("Anadolu Gıda A.Ş.", "İstanbul", "1234567890", ""),
            account("ANADOLU GIDA SAN. VE TİC. LTD. ŞTİ.", "Istanbul", "", ""),
            account("Anadolu Gida", "", "", "0212 123 45 67"),
            account("Ege Tekstil", "İzmir", "", "0212 123 45 67"),
            account("Karadeniz Balık", "Trabzon", "", ""),
        ];
        let ids = ["a1", "a2", "a3", "a4", "a5"];
        let list: Vec<(&str, &Record)> = ids.iter().copied().zip(records.iter()).collect();
        let pairs = scan(&list);
        let found: Vec<(&str, &str)> = pairs
            .iter()
            .map(|p| (p.first.as_str(), p.second.as_str()))
            .collect();
        assert_eq!(found.len(), 3, "{pairs:?}");
        for want in [("a1", "a2"), ("a1", "a3"), ("a2", "a3")] {
            assert!(found.contains(&want), "{want:?} in {pairs:?}");
        }
        // Ege Tekstil shares a phone with a3, but not its name: no pair.
        assert!(!found.iter().any(|(a, b)| *a == "a4" || *b == "a4"));
        assert!(pairs.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn a_key_held_by_too_many_records_pairs_nothing() {
        let records: Vec<Record> = (0..=MAX_BLOCK)
            .map(|i| account(&format!("Şube {i:03} Lojistik"), "", "", "0212 123 45 67"))
            .collect();
        let ids: Vec<String> = (0..records.len()).map(|i| format!("b{i}")).collect();
        let list: Vec<(&str, &Record)> =
            ids.iter().map(String::as_str).zip(records.iter()).collect();
        assert!(scan(&list).is_empty());
    }

    #[test]
    fn deleted_and_merged_records_are_left_out() {
        let a = account("Anadolu Gıda", "", "1234567890", "");
        let mut b = account("Anadolu Gıda", "", "1234567890", "");
        b.common_mut().merged_into = "a".into();
        b.common_mut().deleted_at = 5;
        assert!(scan(&[("a", &a), ("b", &b)]).is_empty());
    }

    #[test]
    fn a_new_record_is_matched_against_what_exists() {
        let existing = [
            account("Anadolu Gıda A.Ş.", "İstanbul", "1234567890", ""),
            account("Ege Tekstil", "İzmir", "", ""),
        ];
        let list = [("a1", &existing[0]), ("a2", &existing[1])];
        let new = Profile::of(&account("anadolu gida", "istanbul", "", "")).unwrap();
        let found = matches_for(&new, &list);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].second, "a1");
        assert_eq!(found[0].keys, [KeyKind::Name]);
        let unrelated = Profile::of(&account("Marmara Cam", "Bursa", "", "")).unwrap();
        assert!(matches_for(&unrelated, &list).is_empty());
    }

    #[test]
    fn a_lead_is_matched_as_the_account_and_contact_it_would_become() {
        let existing = [
            account("Ege Zeytin Gıda A.Ş.", "İzmir", "1234567890", ""),
            record(
                "contact",
                Form::new()
                    .with("name", "Ayşe Yılmaz")
                    .with("email", "AYSE@egezeytin.com.tr")
                    .with("account", "a1"),
            ),
            account("Ege Tekstil", "İzmir", "", ""),
        ];
        let list = [
            ("a1", &existing[0]),
            ("c1", &existing[1]),
            ("a2", &existing[2]),
        ];
        let ctx = EditContext::new("u1", 1);
        let lead: crate::sales::lead::Lead = crate::record::from_form(
            &Form::new()
                .with("name", "Ayşe YILMAZ")
                .with("company", "Ege Zeytin")
                .with("tax_number", "1234567890")
                .with("email", "ayse@egezeytin.com.tr"),
            &ctx,
        )
        .unwrap();
        let (account_profile, contact_profile) = Profile::of_lead(&lead, "a1");
        let accounts = matches_for(&account_profile, &list);
        assert_eq!(accounts.len(), 1, "{accounts:?}");
        assert_eq!(accounts[0].second, "a1");
        assert!(accounts[0].keys.contains(&KeyKind::TaxNumber));
        let contacts = matches_for(&contact_profile, &list);
        assert_eq!(contacts.len(), 1, "{contacts:?}");
        assert_eq!(contacts[0].second, "c1");
        assert!(contacts[0].keys.contains(&KeyKind::Email));
    }
}
