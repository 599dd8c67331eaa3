//! Document IDs and `automerge:` URLs.
//!
//! automerge-repo names a document by 16 random bytes (a UUID) and writes them as
//! bs58check text; a URL is `automerge:` followed by that text. Both sides parse IDs
//! with [`DocumentId::from_str`](std::str::FromStr), which never panics on bad input.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// The prefix of an automerge-repo document URL.
pub const URL_PREFIX: &str = "automerge:";

/// The 16-byte identity of one Automerge document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

impl DocumentId {
    /// A fresh random ID (UUID v4 bytes, as automerge-repo makes them).
    pub fn random() -> Self {
        DocumentId(*uuid::Uuid::new_v4().as_bytes())
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        DocumentId(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `automerge:` URL of this document.
    pub fn url(&self) -> AutomergeUrl {
        AutomergeUrl(*self)
    }
}

impl TryFrom<&[u8]> for DocumentId {
    type Error = Error;
    fn try_from(bytes: &[u8]) -> Result<Self, Error> {
        let array: [u8; 16] = bytes
            .try_into()
            .map_err(|_| Error::InvalidDocumentId(format!("{} bytes", bytes.len())))?;
        Ok(DocumentId(array))
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut bytes = [0u8; 20];
        bytes[..16].copy_from_slice(&self.0);
        bytes[16..].copy_from_slice(&checksum(&self.0));
        f.write_str(&bs58::encode(bytes).into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl FromStr for DocumentId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        // automerge-repo accepts bare IDs and full URLs in most places; so do we.
        let text = s.strip_prefix(URL_PREFIX).unwrap_or(s);
        // A bs58check string of 16 bytes is at most 26 characters; refuse long input early.
        if text.is_empty() || text.len() > 40 {
            return Err(Error::InvalidDocumentId(s.to_owned()));
        }
        let invalid = || Error::InvalidDocumentId(s.to_owned());
        let bytes = bs58::decode(text).into_vec().map_err(|_| invalid())?;
        let (id, check) = bytes.split_at_checked(16).ok_or_else(invalid)?;
        if check != checksum(id) {
            return Err(invalid());
        }
        DocumentId::try_from(id).map_err(|_| invalid())
    }
}

/// bs58check's checksum: the first four bytes of SHA-256 applied twice.
fn checksum(payload: &[u8]) -> [u8; 4] {
    use sha2::{Digest, Sha256};
    let twice = Sha256::digest(Sha256::digest(payload));
    [twice[0], twice[1], twice[2], twice[3]]
}

impl serde::Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DocumentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An `automerge:` URL naming one document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct AutomergeUrl(DocumentId);

impl AutomergeUrl {
    pub fn document_id(&self) -> DocumentId {
        self.0
    }
}

impl fmt::Display for AutomergeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{URL_PREFIX}{}", self.0)
    }
}

impl FromStr for AutomergeUrl {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let rest = s
            .strip_prefix(URL_PREFIX)
            .ok_or_else(|| Error::InvalidUrl(s.to_owned()))?;
        // automerge-repo URLs may carry a heads suffix (`#...`); it names a version, not another document.
        let id = rest.split('#').next().unwrap_or(rest);
        Ok(AutomergeUrl(
            id.parse().map_err(|_| Error::InvalidUrl(s.to_owned()))?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text_and_url() {
        let id = DocumentId::random();
        let text = id.to_string();
        assert_eq!(text.parse::<DocumentId>().unwrap(), id);
        let url = id.url().to_string();
        assert!(url.starts_with("automerge:"));
        assert_eq!(url.parse::<AutomergeUrl>().unwrap().document_id(), id);
    }

    /// bs58check as automerge-repo writes IDs (vectors computed independently with
    /// Python's hashlib and a plain base58 encoder).
    #[test]
    fn encodes_as_bs58check() {
        let counting = DocumentId(std::array::from_fn(|i| i as u8));
        assert_eq!(counting.to_string(), "1Bhh3pU9gLXZiNDL6PEa1Gs9fh");
        assert_eq!(
            "1Bhh3pU9gLXZiNDL6PEa1Gs9fh".parse::<DocumentId>().unwrap(),
            counting
        );
        let ones = DocumentId([0xff; 16]);
        assert_eq!(ones.to_string(), "4ZrjxJnU1LA5xSyrWMNuXTozYEvA");
        // The right checksum over too few or too many bytes is still not an ID.
        let mut short = vec![1u8; 15];
        short.extend_from_slice(&checksum(&short.clone()));
        assert!(
            bs58::encode(short)
                .into_string()
                .parse::<DocumentId>()
                .is_err()
        );
    }

    #[test]
    fn refuses_bad_ids() {
        for bad in ["", "automerge:", "not-bs58-0OIl", "3", &"z".repeat(100)] {
            assert!(bad.parse::<DocumentId>().is_err(), "{bad:?}");
        }
        // A valid bs58 string with a wrong checksum.
        let mut text = DocumentId::random().to_string();
        let last = text.pop().unwrap();
        text.push(if last == '2' { '3' } else { '2' });
        assert!(text.parse::<DocumentId>().is_err());
        assert!("http://x".parse::<AutomergeUrl>().is_err());
    }
}
