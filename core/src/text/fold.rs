//! Turkish-aware text folding for search and sorting.
//!
//! Users type without Turkish letters on foreign keyboards and with the wrong case:
//! "ISPARTA" must find "Isparta", "istanbul" must find "İstanbul", "sikayet" must find
//! "şikayet". Folding maps every form of i (i, ı, I, İ) to `i`, drops the Turkish and
//! circumflex diacritics (ş→s, ğ→g, ü→u, ö→o, ç→c, â→a, î→i, û→u) and lower-cases the rest.

/// The folded form of `text`, for matching and ordering.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'i' | 'ı' | 'I' | 'İ' | 'î' | 'Î' => out.push('i'),
            'ş' | 'Ş' => out.push('s'),
            'ğ' | 'Ğ' => out.push('g'),
            'ü' | 'Ü' | 'û' | 'Û' => out.push('u'),
            'ö' | 'Ö' => out.push('o'),
            'ç' | 'Ç' => out.push('c'),
            'â' | 'Â' => out.push('a'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A search query, folded once and matched against many folded texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
}

impl Query {
    pub fn new(query: &str) -> Query {
        Query {
            words: fold(query).split_whitespace().map(str::to_owned).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every word of the query is a prefix of some word of `folded_haystack`
    /// (which must already be folded). An empty query matches everything.
    pub fn matches(&self, folded_haystack: &str) -> bool {
        self.words.iter().all(|q| {
            folded_haystack
                .split(|c: char| !c.is_alphanumeric() && c != '@' && c != '+')
                .any(|word| word.starts_with(q.as_str()))
        })
    }
}

/// [`Query::matches`] for a one-off query.
pub fn matches_words(folded_haystack: &str, query: &str) -> bool {
    Query::new(query).matches(folded_haystack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_case_and_diacritics_fold() {
        assert_eq!(fold("ISPARTA"), fold("Isparta"));
        assert_eq!(fold("istanbul"), fold("İstanbul"));
        assert_eq!(fold("sikayet"), fold("şikayet"));
        assert_eq!(fold("ĞÜŞİÖÇ ğüşıöç"), "gusioc gusioc");
    }

    #[test]
    fn word_prefixes_match_in_any_order() {
        let hay = fold("Anadolu Gıda Ticaret — İzmir");
        assert!(matches_words(&hay, "gida"));
        assert!(matches_words(&hay, "izm ANA"));
        assert!(matches_words(&hay, ""));
        assert!(!matches_words(&hay, "ankara"));
        assert!(!matches_words(&hay, "dolu"));
    }
}
