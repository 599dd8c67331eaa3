//! Global search: an incremental, Turkish-aware word index over every record.
//!
//! Each record contributes the folded words of its title and of its other searchable
//! text ([`crate::text::fold`]: İ/i/I/ı alike, ş→s, ğ→g, ü→u, ö→o, ç→c). A query matches a
//! record when every query word is a prefix of one of its words; results rank exact
//! words above prefixes and title words above the rest, then by title. Words are kept
//! in a sorted map, so a query word costs one range scan over the words it prefixes, and
//! a record that changes replaces only its own entries: a keystroke does not rescan
//! every record.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;

use crate::text::fold::fold;

/// Scores of one query word's match.
const EXACT_TITLE: u32 = 8;
const PREFIX_TITLE: u32 = 4;
const EXACT_OTHER: u32 = 2;
const PREFIX_OTHER: u32 = 1;

struct Entry {
    title_words: Vec<String>,
    words: Vec<String>,
    sort_key: String,
}

/// The index, keyed by record IDs of type `K`.
pub struct SearchIndex<K> {
    words: BTreeMap<String, HashSet<K>>,
    entries: HashMap<K, Entry>,
}

impl<K> Default for SearchIndex<K> {
    fn default() -> Self {
        SearchIndex {
            words: BTreeMap::new(),
            entries: HashMap::new(),
        }
    }
}

/// The folded words of `text`. A Turkish phone number in E.164 (`+905321234567`) is
/// also found as typed at home (`05321234567`, `5321234567`).
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out: Vec<String> = Vec::new();
    for word in folded.split(|c: char| !c.is_alphanumeric() && c != '+') {
        let word = word.trim_start_matches('+');
        if word.is_empty() {
            continue;
        }
        if let Some(national) = word
            .strip_prefix("90")
            .filter(|n| n.len() == 10 && folded.contains('+'))
        {
            out.push(format!("0{national}"));
            out.push(national.to_owned());
        }
        out.push(word.to_owned());
    }
    out.sort();
    out.dedup();
    out
}

/// The words of a query. Digit groups that start like a phone number (`0544 123`,
/// `544 123 45 67`, `+90 544 123`: a first group of two to four digits) are joined
/// into one word, since numbers are indexed whole.
fn query_words(query: &str) -> Vec<String> {
    let raw: Vec<String> = fold(query)
        .split(|c: char| !c.is_alphanumeric() && c != '+')
        .map(|w| w.trim_start_matches('+').to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    let digits = |w: &str| w.bytes().all(|b| b.is_ascii_digit());
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut joining = false;
    for word in raw {
        match out.last_mut() {
            Some(last) if joining && digits(&word) => last.push_str(&word),
            _ => {
                joining = digits(&word) && (2..=4).contains(&word.len());
                out.push(word);
            }
        }
    }
    out
}

impl<K: Copy + Eq + Hash + Ord> SearchIndex<K> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Indexes (or re-indexes) a record.
    pub fn set(&mut self, key: K, title: &str, other: &str) {
        self.remove(key);
        let title_words = words(title);
        let mut all = title_words.clone();
        all.extend(words(other));
        all.sort();
        all.dedup();
        for word in &all {
            self.words.entry(word.clone()).or_default().insert(key);
        }
        self.entries.insert(
            key,
            Entry {
                title_words,
                words: all,
                sort_key: fold(title),
            },
        );
    }

    /// Drops a record from the index.
    pub fn remove(&mut self, key: K) {
        let Some(entry) = self.entries.remove(&key) else {
            return;
        };
        for word in entry.words {
            if let Some(keys) = self.words.get_mut(&word) {
                keys.remove(&key);
                if keys.is_empty() {
                    self.words.remove(&word);
                }
            }
        }
    }

    /// Records matching `query` that pass `keep`, best first: how many there are, and
    /// the first `limit` of them. An empty query matches every record, by title.
    pub fn search(&self, query: &str, limit: usize, keep: impl Fn(&K) -> bool) -> (usize, Vec<K>) {
        let query_words = query_words(query);
        let mut scores: Option<HashMap<K, u32>> = None;
        for q in &query_words {
            let mut this_word: HashMap<K, u32> = HashMap::new();
            for (word, keys) in self.words.range::<str, _>((
                std::ops::Bound::Included(q.as_str()),
                std::ops::Bound::Unbounded,
            )) {
                if !word.starts_with(q.as_str()) {
                    break;
                }
                let exact = word == q;
                for key in keys {
                    if let Some(previous) = &scores
                        && !previous.contains_key(key)
                    {
                        continue;
                    }
                    let in_title = self
                        .entries
                        .get(key)
                        .is_some_and(|e| e.title_words.binary_search(word).is_ok());
                    let score = match (exact, in_title) {
                        (true, true) => EXACT_TITLE,
                        (false, true) => PREFIX_TITLE,
                        (true, false) => EXACT_OTHER,
                        (false, false) => PREFIX_OTHER,
                    };
                    let best = this_word.entry(*key).or_default();
                    *best = (*best).max(score);
                }
            }
            scores = Some(match scores {
                None => this_word,
                Some(previous) => this_word
                    .into_iter()
                    .map(|(k, s)| (k, s + previous.get(&k).copied().unwrap_or(0)))
                    .collect(),
            });
        }
        let sort_key = |k: &K| self.entries.get(k).map_or("", |e| e.sort_key.as_str());
        let mut hits: Vec<(u32, &str, K)> = match scores {
            Some(scores) => scores
                .into_iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, s)| (s, sort_key(&k), k))
                .collect(),
            None => self
                .entries
                .iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, e)| (0, e.sort_key.as_str(), *k))
                .collect(),
        };
        let total = hits.len();
        let order = |a: &(u32, &str, K), b: &(u32, &str, K)| {
            b.0.cmp(&a.0)
                .then_with(|| a.1.cmp(b.1))
                .then_with(|| a.2.cmp(&b.2))
        };
        if hits.len() > limit && limit > 0 {
            hits.select_nth_unstable_by(limit - 1, order);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(order);
        hits.truncate(limit);
        (total, hits.into_iter().map(|(_, _, k)| k).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex<u32> {
        let mut index = SearchIndex::new();
        index.set(1, "Isparta Gül Kozmetik", "Isparta +902462223344");
        index.set(2, "İstanbul Lojistik", "İstanbul info@istlojistik.com.tr");
        index.set(3, "Şikayet: geç teslimat", "Kadıköy");
        index.set(4, "Anadolu Gıda", "İzmir, istanbul şubesi");
        index.set(5, "Çağrı Öztürk", "Ankara");
        index
    }

    fn find(index: &SearchIndex<u32>, query: &str) -> Vec<u32> {
        index.search(query, 10, |_| true).1
    }

    #[test]
    fn turkish_folding_finds_what_was_meant() {
        let index = index();
        assert_eq!(find(&index, "ISPARTA"), [1]);
        assert_eq!(
            find(&index, "istanbul"),
            [2, 4],
            "the title match ranks first"
        );
        assert_eq!(find(&index, "İSTANBUL"), [2, 4]);
        assert_eq!(find(&index, "sikayet"), [3]);
        assert_eq!(find(&index, "cagri ozturk"), [5]);
        assert_eq!(find(&index, "ÇAĞRI"), [5]);
    }

    #[test]
    fn prefixes_many_words_phones_and_emails() {
        let index = index();
        assert_eq!(find(&index, "ist loj"), [2]);
        assert_eq!(find(&index, "loj ist"), [2]);
        assert_eq!(find(&index, "ist ank"), Vec::<u32>::new());
        // A number typed in groups is one number (issue 17: "0544 123" found nothing).
        assert_eq!(find(&index, "0246 222"), [1]);
        assert_eq!(find(&index, "0246 222 33 44"), [1]);
        assert_eq!(find(&index, "246-222-33"), [1]);
        assert_eq!(find(&index, "+90 246 222"), [1]);
        assert_eq!(find(&index, "0246 999"), Vec::<u32>::new());
        assert_eq!(find(&index, "02462223344"), [1]);
        assert_eq!(find(&index, "4622"), Vec::<u32>::new(), "prefixes only");
        assert_eq!(find(&index, "istlojistik"), [2]);
        assert_eq!(
            index.search("", 2, |_| true),
            (5, vec![4, 5]),
            "empty query: all, by title"
        );
        assert_eq!(index.search("i", 10, |k| *k != 2).0, 2);
    }

    #[test]
    fn reindexing_replaces_a_records_words() {
        let mut index = index();
        index.set(1, "Burdur Gül", "");
        assert!(find(&index, "isparta").is_empty());
        assert_eq!(find(&index, "gul"), [1]);
        index.remove(1);
        assert!(find(&index, "gul").is_empty());
        assert_eq!(index.len(), 4);
        assert!(
            !index.words.contains_key("burdur"),
            "no empty word entries are left"
        );
    }
    #[test]
    fn title_order_follows_every_change_after_a_search() {
        let mut index = index();
        let all = |index: &SearchIndex<u32>| index.search("", 10, |_| true).1;
        // Folded titles: anadolu, cagri, istanbul, isparta, sikayet.
        assert_eq!(all(&index), [4, 5, 1, 2, 3]);
        // A renamed record moves at once: the ranks of the last search are not reused.
        index.set(3, "Ağaç Şikayeti", "");
        assert_eq!(all(&index), [3, 4, 5, 1, 2]);
        index.remove(4);
        index.set(6, "Zeytin", "istanbul");
        assert_eq!(all(&index), [3, 5, 1, 2, 6]);
        // Scores still come first; equal scores go by title.
        assert_eq!(find(&index, "is"), [1, 2, 6]);
        assert_eq!(find(&index, "istanbul"), [2, 6]);
    }

    #[test]
    fn ranking_matches_a_plain_sort_by_score_then_title_then_key() {
        // Titles with ties, so the key decides among equal titles too.
        let titles = [
            "Beta",
            "alfa",
            "Alfa",
            "gama",
            "Beta ist",
            "ist",
            "İst Beta",
        ];
        let mut index = SearchIndex::new();
        for (key, title) in titles.iter().enumerate() {
            index.set(key as u32, title, "");
        }
        for query in ["", "a", "b", "ist", "beta"] {
            let mut expected: Vec<(u32, String, u32)> = titles
                .iter()
                .enumerate()
                .filter_map(|(key, title)| {
                    let words = words(title);
                    let mut score = 0;
                    for q in query_words(query) {
                        let best = words
                            .iter()
                            .filter(|w| w.starts_with(q.as_str()))
                            .map(|w| if *w == q { EXACT_TITLE } else { PREFIX_TITLE })
                            .max()?;
                        score += best;
                    }
                    Some((score, fold(title), key as u32))
                })
                .collect();
            expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            let expected: Vec<u32> = expected.into_iter().map(|(_, _, k)| k).collect();
            assert_eq!(index.search(query, 100, |_| true).1, expected, "{query:?}");
            assert_eq!(
                index.search(query, 2, |_| true).1,
                expected.iter().copied().take(2).collect::<Vec<_>>(),
                "{query:?}, the first two"
            );
        }
    }
}
