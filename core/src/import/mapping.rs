//! Which column fills which field: guessed from Turkish and English headers, edited by
//! the user, saved per source.
//!
//! A [`Mapping`] names, for every column of a file, the form field of the record kind
//! it fills (or none). [`Mapping::guess`] reads the headers folded (so `FİRMA ADI`,
//! `Firma Adı` and `firma adi` are one) against each field's usual names; a header
//! that names no field is left unmapped for the user to choose. A saved mapping is
//! found again by [`Mapping::source_key`], the folded header line, so the next export
//! from the same system maps itself.

use crate::record::form::{FieldSpec, Input};
use crate::text::fold::fold;

/// What an import does with a row whose key matches a record that already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Only new records; a row whose key exists is refused.
    #[default]
    Create,
    /// Only existing records; a row whose key matches nothing is refused.
    Update,
    /// New records for new keys, updates for the rest.
    CreateOrUpdate,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Create, Mode::Update, Mode::CreateOrUpdate];

    pub fn code(self) -> &'static str {
        match self {
            Mode::Create => "create",
            Mode::Update => "update",
            Mode::CreateOrUpdate => "create_or_update",
        }
    }

    pub fn from_code(code: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// How a date written with `/` or `-` and both parts ≤ 12 (`03/04/2025`) is read.
/// Dates with dots are always day first (the Turkish way), ISO dates are ISO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

/// Which columns fill which fields, and how rows meet existing records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mapping {
    /// The record kind rows become.
    pub kind: String,
    /// The file's headers, as written.
    pub headers: Vec<String>,
    /// Per column, the form field it fills; `None` leaves the column out.
    pub fields: Vec<Option<String>>,
    #[serde(default)]
    pub mode: Mode,
    /// The field whose value finds the existing record (`tax_number`, `email`, `sku`,
    /// …); `None` matches nothing (every row is new).
    #[serde(default)]
    pub key: Option<String>,
    /// How ambiguous dates read; `None` until the user says (rows that need it are
    /// refused, never guessed).
    #[serde(default)]
    pub date_order: Option<DateOrder>,
    /// Values every row gets for a field no column fills or whose cell is empty (the
    /// team and owner of the imported records, a default stage, …).
    #[serde(default)]
    pub defaults: Vec<(String, String)>,
}

/// The fields a file may fill for each kind, beyond the kind's own form fields: none
/// yet. The common `team`, `owner` and `notes` are form fields too, but only `notes`
/// is offered (teams and owners are chosen for the whole import).
const LEFT_OUT: &[&str] = &["team", "owner"];

/// The fields of `kind` a column can fill, in form order; an order's also has its
/// number first and its line's columns before the notes (see [`super::orders`]).
pub fn importable_fields(kind: &str) -> Vec<FieldSpec> {
    let ctx = crate::record::EditContext::new("", 0);
    let mut fields: Vec<FieldSpec> = crate::kinds::Record::blank(kind, &ctx)
        .map(|r| {
            r.fields()
                .iter()
                .copied()
                .filter(|f| !LEFT_OUT.contains(&f.name))
                .filter(|f| !matches!(f.input, Input::LinkList(_) | Input::MemberList))
                .collect()
        })
        .unwrap_or_default();
    if kind == crate::sales::document::ORDER {
        fields.insert(0, super::orders::NUMBER);
        let notes = fields
            .iter()
            .position(|f| f.name == "notes")
            .unwrap_or(fields.len());
        for (i, line) in super::orders::LINE_FIELDS.into_iter().enumerate() {
            fields.insert(notes + i, line);
        }
    }
    fields
}

/// The pseudo-field of a column holding Saha's own record IDs (what our exports write
/// first): rows are matched by it, never written into a record.
pub const ID_FIELD: &str = "id";

/// Headers that name [`ID_FIELD`].
const ID_HEADERS: &[&str] = &["id", "saha id", "kayit id", "kayit no", "record id"];

/// The kinds an import can make, in the order the import screen offers them.
pub const IMPORT_KINDS: [&str; 7] = [
    "account",
    "contact",
    "lead",
    "product",
    "opportunity",
    "order",
    "case",
];

/// Usual header names (folded, words joined by one space) per field: `(kind or "*",
/// field, names)`. A kind's own row wins over `*`.
const HEADER_NAMES: &[(&str, &str, &[&str])] = &[
    (
        "account",
        "name",
        &[
            "firma adi",
            "firma",
            "firma unvani",
            "sirket",
            "sirket adi",
            "unvan",
            "ticari unvan",
            "musteri",
            "musteri adi",
            "cari",
            "cari adi",
            "cari unvan",
            "company",
            "company name",
            "account",
            "account name",
            "name",
            "organization",
            "ad",
            "adi",
            "isim",
        ],
    ),
    (
        "contact",
        "name",
        &[
            "ad soyad",
            "adi soyadi",
            "isim soyisim",
            "isim",
            "ad",
            "adi",
            "kisi",
            "kisi adi",
            "yetkili",
            "yetkili adi",
            "name",
            "full name",
            "contact",
            "contact name",
        ],
    ),
    (
        "*",
        "account",
        &[
            "firma",
            "firma adi",
            "sirket",
            "sirket adi",
            "musteri",
            "cari",
            "hesap",
            "company",
            "company name",
            "account",
            "account name",
            "vkn",
            "vergi no",
        ],
    ),
    (
        "*",
        "contact",
        &["kisi", "yetkili", "ilgili kisi", "contact", "contact name"],
    ),
    (
        "lead",
        "name",
        &[
            "ad soyad",
            "adi soyadi",
            "isim",
            "ad",
            "name",
            "full name",
            "kisi",
        ],
    ),
    (
        "lead",
        "company",
        &["firma", "firma adi", "sirket", "company", "company name"],
    ),
    (
        "contact",
        "title",
        &[
            "unvan",
            "gorev",
            "gorevi",
            "pozisyon",
            "title",
            "job title",
            "position",
        ],
    ),
    (
        "lead",
        "title",
        &["unvan", "gorev", "pozisyon", "title", "job title"],
    ),
    (
        "*",
        "phone",
        &[
            "telefon",
            "tel",
            "tel no",
            "telefon no",
            "telefon numarasi",
            "is telefonu",
            "sabit telefon",
            "sabit",
            "phone",
            "telephone",
            "business phone",
            "office phone",
            "work phone",
        ],
    ),
    (
        "*",
        "mobile",
        &[
            "cep",
            "cep tel",
            "cep telefonu",
            "cep no",
            "gsm",
            "mobil",
            "mobil telefon",
            "mobile",
            "mobile phone",
            "cell",
            "cell phone",
        ],
    ),
    (
        "*",
        "email",
        &[
            "e posta",
            "eposta",
            "e posta adresi",
            "mail",
            "mail adresi",
            "email",
            "e mail",
            "email address",
            "e mail address",
        ],
    ),
    ("*", "city", &["il", "sehir", "city", "town"]),
    (
        "*",
        "address",
        &["adres", "acik adres", "address", "street", "street address"],
    ),
    ("*", "tax_office", &["vergi dairesi", "vd", "tax office"]),
    (
        "*",
        "tax_number",
        &[
            "vergi no",
            "vergi numarasi",
            "vergi kimlik no",
            "vkn",
            "tckn",
            "vkn tckn",
            "tc kimlik no",
            "tc no",
            "tax number",
            "tax id",
            "vat number",
        ],
    ),
    ("*", "segment", &["segment", "sektor", "sector", "industry"]),
    (
        "*",
        "type",
        &[
            "musteri tipi",
            "musteri turu",
            "tip",
            "tur",
            "customer type",
            "type",
        ],
    ),
    (
        "*",
        "party",
        &["sahis sirket", "kisi sirket", "gercek tuzel", "party"],
    ),
    ("*", "relation", &["ic dis", "iliski", "relation"]),
    (
        "*",
        "birthday",
        &[
            "dogum tarihi",
            "dogum gunu",
            "birthday",
            "date of birth",
            "birth date",
        ],
    ),
    ("*", "tags", &["etiket", "etiketler", "tags", "labels"]),
    (
        "*",
        "annual_potential",
        &["yillik potansiyel", "potansiyel", "annual potential"],
    ),
    (
        "*",
        "notes",
        &[
            "not",
            "notlar",
            "aciklama",
            "aciklamalar",
            "notes",
            "note",
            "description",
            "comments",
        ],
    ),
    (
        "*",
        "sku",
        &[
            "stok kodu",
            "urun kodu",
            "kod",
            "sku",
            "product code",
            "item code",
            "code",
        ],
    ),
    (
        "product",
        "name",
        &[
            "urun adi",
            "urun",
            "mal adi",
            "product",
            "product name",
            "name",
            "ad",
        ],
    ),
    (
        "*",
        "unit_price",
        &[
            "birim fiyat",
            "fiyat",
            "liste fiyati",
            "satis fiyati",
            "price",
            "unit price",
            "list price",
        ],
    ),
    (
        "*",
        "unit_cost",
        &[
            "maliyet",
            "birim maliyet",
            "alis fiyati",
            "cost",
            "unit cost",
        ],
    ),
    (
        "*",
        "currency",
        &["para birimi", "doviz", "doviz cinsi", "currency"],
    ),
    (
        "*",
        "vat",
        &["kdv", "kdv orani", "vat", "vat rate", "tax rate"],
    ),
    (
        "*",
        "category",
        &[
            "kategori",
            "grup",
            "urun grubu",
            "category",
            "product group",
        ],
    ),
    ("*", "topic", &["konu", "ilgi alani", "topic", "interest"]),
    (
        "*",
        "estimated_amount",
        &[
            "tahmini tutar",
            "tutar",
            "estimated amount",
            "amount",
            "deger",
            "value",
        ],
    ),
    ("*", "source", &["kaynak", "source", "lead source"]),
    ("*", "status", &["durum", "status"]),
    (
        "opportunity",
        "name",
        &[
            "firsat",
            "firsat adi",
            "opportunity",
            "opportunity name",
            "name",
            "ad",
        ],
    ),
    ("*", "stage", &["asama", "evre", "stage"]),
    ("*", "amount", &["tutar", "deger", "amount", "value"]),
    (
        "*",
        "close_date",
        &[
            "kapanis tarihi",
            "tahmini kapanis",
            "close date",
            "expected close",
            "closing date",
        ],
    ),
    (
        "*",
        "lost_reason",
        &["kayip nedeni", "kaybetme nedeni", "lost reason"],
    ),
    (
        "order",
        "number",
        &[
            "siparis no",
            "siparis numarasi",
            "siparis",
            "fis no",
            "fis numarasi",
            "belge no",
            "evrak no",
            "order no",
            "order number",
            "order",
            "order id",
        ],
    ),
    (
        "order",
        "order_date",
        &[
            "siparis tarihi",
            "tarih",
            "fis tarihi",
            "belge tarihi",
            "evrak tarihi",
            "order date",
            "date",
        ],
    ),
    (
        "order",
        "line_product",
        &[
            "stok kodu",
            "urun kodu",
            "malzeme kodu",
            "kod",
            "sku",
            "product code",
            "item code",
            "product sku",
        ],
    ),
    (
        "order",
        "line_description",
        &[
            "urun adi",
            "urun",
            "stok adi",
            "malzeme adi",
            "mal adi",
            "aciklama",
            "description",
            "product",
            "product name",
            "item",
            "item name",
        ],
    ),
    (
        "order",
        "line_quantity",
        &["miktar", "adet", "miktari", "quantity", "qty"],
    ),
    (
        "order",
        "line_unit_price",
        &[
            "birim fiyat",
            "birim fiyati",
            "fiyat",
            "satis fiyati",
            "unit price",
            "price",
        ],
    ),
    (
        "order",
        "line_discount",
        &[
            "iskonto",
            "iskonto orani",
            "iskonto yuzde",
            "indirim",
            "indirim orani",
            "discount",
            "discount percent",
        ],
    ),
    (
        "order",
        "line_vat",
        &["kdv", "kdv orani", "vat", "vat rate", "tax rate"],
    ),
    (
        "order",
        "line_unit_cost",
        &["maliyet", "birim maliyet", "unit cost", "cost"],
    ),
    ("*", "subject", &["konu", "baslik", "subject", "title"]),
    ("*", "category", &["kategori", "tur", "category"]),
    ("*", "priority", &["oncelik", "priority"]),
];

/// A header as the table compares it: folded, punctuation as spaces, one space between
/// words.
pub fn header_key(header: &str) -> String {
    fold(header)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The usual names of `field` of `kind`.
fn names_of(kind: &str, field: &str) -> impl Iterator<Item = &'static str> {
    let own = HEADER_NAMES
        .iter()
        .filter(move |(k, f, _)| *k == kind && *f == field);
    let any = HEADER_NAMES
        .iter()
        .filter(move |(k, f, _)| *k == "*" && *f == field);
    own.chain(any)
        .flat_map(|(_, _, names)| names.iter().copied())
}

/// The key fields an import of `kind` can match existing records by, best first.
pub fn key_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "account" => &[ID_FIELD, "tax_number", "email", "name"],
        "contact" | "lead" => &[ID_FIELD, "email", "mobile", "phone", "name"],
        "product" => &[ID_FIELD, "sku", "name"],
        crate::sales::document::ORDER => &[ID_FIELD, "number"],
        _ => &[ID_FIELD, "name"],
    }
}

impl Mapping {
    /// A mapping for a file of `kind` with `headers`, guessed from the headers. Each
    /// field is filled by at most one column (the first whose header names it, exact
    /// names before the field's own code); the key is the best key field mapped.
    pub fn guess(kind: &str, headers: &[String]) -> Mapping {
        let fields = importable_fields(kind);
        let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
        let mut chosen: Vec<Option<String>> = vec![None; headers.len()];
        if let Some(column) = keys.iter().position(|k| ID_HEADERS.contains(&k.as_str())) {
            chosen[column] = Some(ID_FIELD.to_owned());
        }
        // Pass 1: headers that are a field's usual name; pass 2: the field's code
        // (`tax_number`, as our own exports write).
        for pass in 0..2 {
            for (column, key) in keys.iter().enumerate() {
                if chosen[column].is_some() || key.is_empty() {
                    continue;
                }
                let found = fields.iter().find(|spec| {
                    let taken = chosen.iter().flatten().any(|f| f == spec.name);
                    !taken
                        && if pass == 0 {
                            names_of(kind, spec.name).any(|n| n == key)
                        } else {
                            header_key(spec.name) == *key
                        }
                });
                if let Some(spec) = found {
                    chosen[column] = Some(spec.name.to_owned());
                }
            }
        }
        let key = key_fields(kind)
            .iter()
            .find(|k| chosen.iter().flatten().any(|f| f == *k))
            .filter(|k| **k != "name")
            .map(|k| (*k).to_owned());
        Mapping {
            kind: kind.to_owned(),
            headers: headers.to_vec(),
            fields: chosen,
            mode: Mode::Create,
            key,
            date_order: None,
            defaults: Vec::new(),
        }
    }

    /// The name a saved mapping is found by: the kind and the folded headers.
    pub fn source_key(kind: &str, headers: &[String]) -> String {
        let mut key = kind.to_owned();
        for h in headers {
            key.push('|');
            key.push_str(&header_key(h));
        }
        key
    }

    /// The column that fills `field`.
    pub fn column_of(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.as_deref() == Some(field))
    }

    /// What is wrong with the mapping itself: fields that are not the kind's, a field
    /// filled twice, a key that no column fills, a required field left out (on
    /// create). Empty when the import can run.
    pub fn problems(&self) -> Vec<MappingProblem> {
        let fields = importable_fields(&self.kind);
        if fields.is_empty() {
            return vec![MappingProblem::UnknownKind];
        }
        let mut problems = Vec::new();
        if self.fields.len() != self.headers.len() {
            problems.push(MappingProblem::ColumnCount);
        }
        for (column, field) in self.fields.iter().enumerate() {
            let Some(field) = field else { continue };
            if field != ID_FIELD && !fields.iter().any(|f| f.name == field) {
                problems.push(MappingProblem::UnknownField(column));
            } else if self.fields[..column].iter().flatten().any(|f| f == field) {
                problems.push(MappingProblem::FieldTwice(column));
            }
        }
        match &self.key {
            Some(key) if self.column_of(key).is_none() => {
                problems.push(MappingProblem::KeyNotMapped)
            }
            None if self.mode != Mode::Create => problems.push(MappingProblem::KeyNotMapped),
            _ => {}
        }
        if self.mode != Mode::Update {
            for spec in fields.iter().filter(|f| f.required) {
                if self.column_of(spec.name).is_none() && !has_default(self, spec.name) {
                    problems.push(MappingProblem::RequiredMissing(spec.name));
                }
            }
        }
        problems
    }
}

/// Whether a required field has a value without a column: the blank record's (a
/// product's currency, a case's status) or one the import sets for every row.
fn has_default(mapping: &Mapping, field: &str) -> bool {
    let ctx = crate::record::EditContext::new("", 0);
    mapping
        .defaults
        .iter()
        .any(|(f, v)| f == field && !v.trim().is_empty())
        || crate::kinds::Record::blank(&mapping.kind, &ctx)
            .is_some_and(|r| !r.form().get(field).is_empty())
}

/// What keeps a mapping from running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingProblem {
    UnknownKind,
    /// The mapping has a different number of columns than the file.
    ColumnCount,
    /// The column fills a field the kind does not have.
    UnknownField(usize),
    /// The column fills a field an earlier column already fills.
    FieldTwice(usize),
    /// Updating needs a key, and the key's column must be mapped.
    KeyNotMapped,
    /// A required field is filled by no column.
    RequiredMissing(&'static str),
}

impl MappingProblem {
    pub fn code(self) -> &'static str {
        match self {
            MappingProblem::UnknownKind => "unknown_kind",
            MappingProblem::ColumnCount => "column_count",
            MappingProblem::UnknownField(_) => "unknown_field",
            MappingProblem::FieldTwice(_) => "field_twice",
            MappingProblem::KeyNotMapped => "key_not_mapped",
            MappingProblem::RequiredMissing(_) => "required_missing",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(';').map(str::to_owned).collect()
    }

    #[test]
    fn turkish_headers_map_to_account_fields() {
        let h = headers(
            "Firma Adı;VERGİ NO;Vergi Dairesi;Cep Tel;Telefon;E-Posta;Şehir;Adres;Açıklama;Renk",
        );
        let m = Mapping::guess("account", &h);
        assert_eq!(
            m.fields,
            [
                Some("name"),
                Some("tax_number"),
                Some("tax_office"),
                Some("mobile"),
                Some("phone"),
                Some("email"),
                Some("city"),
                Some("address"),
                Some("notes"),
                None
            ]
            .map(|f| f.map(str::to_owned))
        );
        assert_eq!(m.key.as_deref(), Some("tax_number"));
        assert!(m.problems().is_empty(), "{:?}", m.problems());
    }

    #[test]
    fn english_headers_and_our_own_field_codes_map_too() {
        let m = Mapping::guess(
            "account",
            &headers("Company;Tax ID;E-mail address;annual_potential"),
        );
        assert_eq!(
            m.fields,
            [
                Some("name"),
                Some("tax_number"),
                Some("email"),
                Some("annual_potential")
            ]
            .map(|f| f.map(str::to_owned))
        );
    }

    #[test]
    fn our_own_exports_are_matched_by_record_id() {
        let m = Mapping::guess("account", &headers("id;name;tax_number"));
        assert_eq!(m.fields[0].as_deref(), Some(ID_FIELD));
        assert_eq!(m.key.as_deref(), Some(ID_FIELD));
        assert!(m.problems().is_empty());
    }

    #[test]
    fn a_contacts_company_column_links_to_its_account() {
        let m = Mapping::guess("contact", &headers("Ad Soyad;Firma;Görev;E-posta"));
        assert_eq!(
            m.fields,
            [Some("name"), Some("account"), Some("title"), Some("email")]
                .map(|f| f.map(str::to_owned))
        );
        assert_eq!(m.key.as_deref(), Some("email"));
    }

    #[test]
    fn a_field_is_filled_once_and_the_mapping_says_what_is_missing() {
        let m = Mapping::guess("product", &headers("Ürün Adı;Ürün;Fiyat"));
        assert_eq!(m.fields[1], None);
        assert_eq!(m.problems(), [MappingProblem::RequiredMissing("sku")]);
        let mut update = m.clone();
        update.mode = Mode::Update;
        assert_eq!(update.problems(), [MappingProblem::KeyNotMapped]);
        let mut twice = m;
        twice.fields[1] = Some("name".into());
        assert!(twice.problems().contains(&MappingProblem::FieldTwice(1)));
    }

    #[test]
    fn the_source_key_ignores_case_and_turkish_letters() {
        assert_eq!(
            Mapping::source_key("account", &headers("FİRMA ADI;Şehir")),
            Mapping::source_key("account", &headers("firma adi;sehir"))
        );
    }
}
