//! Deterministic, realistic Turkish CRM data: companies and people with Turkish letters,
//! cities, +90 phone numbers, e-mail addresses, customer types and activities.
//!
//! Same seed, same data. Until activity records have their own documents (sales and
//! service issues), each account carries its activities as a list in its document, so
//! the bytes per account are realistic.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use saha_core::DocumentId;
use saha_core::parties::account::{Account, CustomerType};
use saha_core::record::form::Form;
use saha_core::record::{EditContext, new_document};
use saha_core::text::fold::fold;

const FIRST_NAMES: &[&str] = &[
    "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Şule", "Gülşen", "Özlem", "Çiğdem",
    "İpek", "Ümran", "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "İbrahim", "Çağrı", "Oğuz",
    "Gökhan", "Şükrü", "Ömer", "Uğur", "Barış", "Doğan", "Ilgın", "Işıl", "Sıla", "Tuğçe",
];
const LAST_NAMES: &[&str] = &[
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Güneş",
    "Erdoğan",
    "Ünal",
    "Akgül",
    "Türkmen",
    "Işık",
    "Gökçe",
    "Uçar",
];
const COMPANY_ROOTS: &[&str] = &[
    "Anadolu",
    "Boğaziçi",
    "Ege",
    "Karadeniz",
    "Akdeniz",
    "Marmara",
    "Toros",
    "Kızılırmak",
    "Fırat",
    "Dicle",
    "Uludağ",
    "Erciyes",
    "Göksu",
    "Çamlıca",
    "Ilgaz",
    "Sakarya",
    "Yeşilırmak",
    "Doğu",
    "Güneydoğu",
    "İç Anadolu",
    "Kapadokya",
    "Palandöken",
    "Munzur",
    "Kaçkar",
];
const COMPANY_TRADES: &[&str] = &[
    "Gıda",
    "Tekstil",
    "Lojistik",
    "Nakliyat",
    "İnşaat",
    "Danışmanlık",
    "Yazılım",
    "Mobilya",
    "Kırtasiye",
    "Tarım",
    "Otomotiv",
    "Makine",
    "Kimya",
    "Turizm",
    "Eczacılık",
    "Ambalaj",
    "Elektrik",
    "Enerji",
    "Zeytinyağı",
    "Balıkçılık",
    "Süt Ürünleri",
    "Matbaacılık",
];
const COMPANY_FORMS: &[&str] = &[
    "A.Ş.",
    "Ltd. Şti.",
    "Ticaret",
    "San. ve Tic. A.Ş.",
    "Kollektif Şti.",
];
const CITIES: &[&str] = &[
    "İstanbul",
    "Ankara",
    "İzmir",
    "Bursa",
    "Antalya",
    "Konya",
    "Adana",
    "Şanlıurfa",
    "Gaziantep",
    "Kocaeli",
    "Mersin",
    "Diyarbakır",
    "Hatay",
    "Manisa",
    "Kayseri",
    "Samsun",
    "Balıkesir",
    "Kahramanmaraş",
    "Van",
    "Aydın",
    "Denizli",
    "Sakarya",
    "Tekirdağ",
    "Muğla",
    "Eskişehir",
    "Malatya",
    "Trabzon",
    "Erzurum",
    "Ordu",
    "Çanakkale",
    "Isparta",
    "Iğdır",
    "Ağrı",
    "Çorum",
    "Düzce",
    "Kırıkkale",
    "Şırnak",
    "Uşak",
    "Niğde",
    "Muş",
];
const DOMAINS: &[&str] = &["com.tr", "com", "net.tr", "gen.tr"];
const ACTIVITIES: &[(&str, &str)] = &[
    ("note", "İlk görüşme yapıldı; ihtiyaçlar not edildi."),
    ("call", "Arandı, teklif için tekrar aranmak istiyor."),
    ("call", "Ulaşılamadı, sesli mesaj bırakıldı."),
    (
        "note",
        "Şikâyet: teslimat gecikmesi. Çağrı merkezine iletildi.",
    ),
    ("note", "İstek: yıllık sözleşmede indirim talebi."),
    ("call", "Memnuniyet araması yapıldı; hizmetten memnun."),
    ("note", "Dilek: mobil uygulamadan sipariş takibi."),
    ("call", "Toplantı ayarlandı, salı 14:00."),
];

/// One generated account with its activities.
pub struct GeneratedAccount {
    pub id: DocumentId,
    /// The account form as a user would fill it in.
    pub form: Form,
    pub activities: Vec<(&'static str, i64, &'static str)>,
    pub created_at: i64,
}

/// Generates `count` accounts with `activities_per_account` activities each.
pub fn accounts(seed: u64, count: usize, activities_per_account: usize) -> Vec<GeneratedAccount> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|n| {
            let mut id_bytes = [0u8; 16];
            rng.fill(&mut id_bytes);
            let person = rng.random_bool(0.3);
            let first = *FIRST_NAMES.choose(&mut rng).unwrap_or(&"Ayşe");
            let last = *LAST_NAMES.choose(&mut rng).unwrap_or(&"Yılmaz");
            let name = if person {
                format!("{first} {last}")
            } else {
                format!(
                    "{} {} {}",
                    COMPANY_ROOTS.choose(&mut rng).unwrap_or(&"Anadolu"),
                    COMPANY_TRADES.choose(&mut rng).unwrap_or(&"Gıda"),
                    COMPANY_FORMS.choose(&mut rng).unwrap_or(&"A.Ş.")
                )
            };
            let slug: String = fold(&name)
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(20)
                .collect();
            let email = if person {
                format!(
                    "{}.{}{}@{}",
                    fold(first),
                    fold(last),
                    n % 100,
                    if rng.random_bool(0.5) {
                        "gmail.com"
                    } else {
                        "hotmail.com"
                    }
                )
            } else {
                format!(
                    "info@{slug}{n}.{}",
                    DOMAINS.choose(&mut rng).unwrap_or(&"com.tr")
                )
            };
            let phone = format!(
                "0{} {:03} {:02} {:02}",
                rng.random_range(530..=549),
                rng.random_range(100..1000),
                rng.random_range(0..100),
                rng.random_range(0..100)
            );
            let created_at = 1_700_000_000_000 + rng.random_range(0..60_000_000_000i64);
            let activities = (0..activities_per_account)
                .map(|k| {
                    let (kind, text) = *ACTIVITIES.choose(&mut rng).unwrap_or(&ACTIVITIES[0]);
                    (kind, created_at + (k as i64 + 1) * 86_400_000, text)
                })
                .collect();
            GeneratedAccount {
                id: DocumentId::from_bytes(id_bytes),
                // No team: shared by the workspace, visible to every member.
                form: Form::new()
                    .with("name", name)
                    .with("party", if person { "person" } else { "company" })
                    .with("phone", phone)
                    .with("email", email)
                    .with("city", *CITIES.choose(&mut rng).unwrap_or(&"İstanbul"))
                    .with(
                        "type",
                        CustomerType::ALL
                            .choose(&mut rng)
                            .unwrap_or(&CustomerType::Potential)
                            .code(),
                    ),
                activities,
                created_at,
            }
        })
        .collect()
}

impl GeneratedAccount {
    /// The account as an Automerge document (account fields plus an `activities` list).
    pub fn to_document(&self) -> Automerge {
        let mut doc = new_document::<Account>(&self.form, &EditContext::new("", self.created_at))
            .expect("generated data is valid by construction");
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            let list = tx.put_object(ROOT, "activities", ObjType::List)?;
            for (i, (kind, at, text)) in self.activities.iter().enumerate() {
                let item = tx.insert_object(&list, i, ObjType::Map)?;
                tx.put(&item, "kind", *kind)?;
                tx.put(&item, "at", *at)?;
                tx.put(&item, "text", *text)?;
            }
            Ok(())
        })
        .expect("writing activities into a new document");
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saha_core::record::read;

    #[test]
    fn same_seed_same_data_and_all_of_it_valid() {
        let a = accounts(7, 500, 5);
        let b = accounts(7, 500, 5);
        assert_eq!(
            a.iter().map(|x| (x.id, x.form.clone())).collect::<Vec<_>>(),
            b.iter().map(|x| (x.id, x.form.clone())).collect::<Vec<_>>()
        );
        for account in &a {
            let stored = read::<Account>(&account.to_document()).expect("valid");
            assert!(account.form.get("phone").starts_with('0'));
            assert!(stored.phone.starts_with("+90"));
            assert_eq!(account.activities.len(), 5);
        }
        let turkish = a
            .iter()
            .filter(|x| {
                x.form
                    .get("name")
                    .chars()
                    .any(|c| "İışğüöçŞĞÜÖÇ".contains(c))
            })
            .count();
        assert!(turkish > 250, "{turkish}");
        let doc = a[0].to_document();
        assert_eq!(read::<Account>(&doc).unwrap().name, a[0].form.get("name"));
    }
}

/// A valid TCKN whose first nine digits come from `n` (first digit not zero).
pub fn tckn(n: u64) -> String {
    let mut d: Vec<u64> = format!("{:09}", 100_000_000 + n % 900_000_000)
        .bytes()
        .map(|b| u64::from(b - b'0'))
        .collect();
    let odd = d[0] + d[2] + d[4] + d[6] + d[8];
    let even = d[1] + d[3] + d[5] + d[7];
    d.push((odd * 7 + 10 * 10 - even) % 10);
    let total: u64 = d.iter().sum();
    d.push(total % 10);
    d.iter().map(|x| char::from(b'0' + *x as u8)).collect()
}

/// A valid VKN whose first nine digits come from `n`.
pub fn vkn(n: u64) -> String {
    let prefix = format!("{:09}", n % 1_000_000_000);
    (0..10)
        .map(|d| format!("{prefix}{d}"))
        .find(|v| saha_core::text::validate::vkn(v).is_ok())
        .unwrap_or_else(|| format!("{prefix}0"))
}

/// The header of [`import_csv`]: fifteen columns as a Turkish team's spreadsheet has
/// them.
pub const IMPORT_HEADERS: [&str; 15] = [
    "Firma Adı",
    "Şahıs/Şirket",
    "Müşteri Tipi",
    "Sektör",
    "Telefon",
    "Cep Tel",
    "E-Posta",
    "Şehir",
    "Adres",
    "Vergi Dairesi",
    "Vergi No",
    "Doğum Tarihi",
    "Etiketler",
    "Yıllık Potansiyel",
    "Açıklama",
];

/// `rows` accounts as a Turkish Excel user's CSV (`;`, `dd.mm.yyyy`, `1.234,56`,
/// phones typed with spaces), every row valid: the import benchmark's file (encode it
/// to Windows-1254 to have what Excel saves).
pub fn import_csv(seed: u64, rows: usize) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = IMPORT_HEADERS.join(";");
    out.push_str("\r\n");
    for n in 0..rows {
        let person = rng.random_bool(0.3);
        let first = *FIRST_NAMES.choose(&mut rng).unwrap_or(&"Ayşe");
        let last = *LAST_NAMES.choose(&mut rng).unwrap_or(&"Yılmaz");
        let trade = *COMPANY_TRADES.choose(&mut rng).unwrap_or(&"Gıda");
        let city = *CITIES.choose(&mut rng).unwrap_or(&"İstanbul");
        let name = if person {
            format!("{first} {last} {n}")
        } else {
            format!(
                "{} {trade} {n} {}",
                COMPANY_ROOTS.choose(&mut rng).unwrap_or(&"Anadolu"),
                COMPANY_FORMS.choose(&mut rng).unwrap_or(&"A.Ş.")
            )
        };
        let tax = if person {
            tckn(n as u64)
        } else {
            vkn(100_000_000 + n as u64)
        };
        let birthday = if person {
            format!(
                "{:02}.{:02}.{}",
                rng.random_range(1..=28),
                rng.random_range(1..=12),
                rng.random_range(1950..=2000)
            )
        } else {
            String::new()
        };
        let cells = [
            name,
            if person { "Şahıs" } else { "Şirket" }.to_owned(),
            ["Potansiyel", "Yeni", "Mevcut", "Eski", "Hedef"][rng.random_range(0..5)].to_owned(),
            trade.to_owned(),
            format!(
                "0212 {:03} {:02} {:02}",
                rng.random_range(100..1000),
                rng.random_range(0..100),
                rng.random_range(0..100)
            ),
            format!(
                "0{} {:03} {:02} {:02}",
                rng.random_range(530..=549),
                rng.random_range(100..1000),
                rng.random_range(0..100),
                rng.random_range(0..100)
            ),
            format!("satis{n}@{}.com.tr", fold(trade).replace(' ', "")),
            city.to_owned(),
            format!(
                "\"{} Mah. {} Sok. No:{}\r\n{city}\"",
                LAST_NAMES.choose(&mut rng).unwrap_or(&"Yılmaz"),
                FIRST_NAMES.choose(&mut rng).unwrap_or(&"Ayşe"),
                rng.random_range(1..200)
            ),
            format!("{city} Vergi Dairesi"),
            tax,
            birthday,
            ["vip", "ihracat", "bayi", "yeni"][rng.random_range(0..4)].to_owned(),
            format!(
                "{}.{:03},{:02}",
                rng.random_range(1..999),
                rng.random_range(0..1000),
                rng.random_range(0..100)
            ),
            "Fuarda tanışıldı".to_owned(),
        ];
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod import_file_tests {
    use super::*;

    #[test]
    fn the_import_benchmark_file_imports_without_a_refusal() {
        let text = import_csv(7, 300);
        let bytes = saha_core::import::decode::encode_windows_1254(&text).expect("encodable");
        let source = saha_core::import::Source::open(&bytes, None, None).expect("opens");
        assert_eq!(source.headers.len(), 15);
        let mapping = saha_core::import::Mapping::guess("account", &source.headers);
        assert!(
            mapping.fields.iter().all(Option::is_some),
            "{:?}",
            mapping.fields
        );
        let mut planner = saha_core::import::Planner::new(
            &mapping,
            saha_core::import::KeyIndex::new(),
            EditContext::new("bench", 1),
        );
        let mut report = saha_core::import::Report::default();
        for row in source.rows() {
            report.add(&planner.plan(&row, &|_| None));
        }
        assert_eq!(
            report.refused,
            [],
            "{}",
            report.english(&source.headers, true)
        );
        assert_eq!(report.created, 300);
    }

    #[test]
    fn generated_identity_numbers_are_valid() {
        for n in [0, 1, 12_345, 899_999_999] {
            assert!(
                saha_core::text::validate::tckn(&tckn(n)).is_ok(),
                "{}",
                tckn(n)
            );
        }
    }
}
