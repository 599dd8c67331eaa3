//! Text as users type it: [`validate`] checks fields (e-mail, phone, VKN/TCKN, IBAN, …)
//! and names each [`validate::Problem`]; [`fold`] makes Turkish text comparable (İ/i/I/ı
//! alike) for search and duplicate detection; [`group_thousands`] writes digits in
//! groups of three. Depends on nothing else in the crate.

pub mod fold;
pub mod validate;

/// `digits` (ASCII digits, no sign) with `separator` between groups of three from the
/// right: `1234567` → `1.234.567`. Amounts, counts and numbers in forms all use it.
pub fn group_thousands(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn groups_digits_by_three_from_the_right() {
        assert_eq!(group_thousands("1234567", '.'), "1.234.567");
        assert_eq!(group_thousands("123456", ','), "123,456");
        assert_eq!(group_thousands("12", '.'), "12");
        assert_eq!(group_thousands("", '.'), "");
    }
}
