//! Names that become URLs: lowercase ASCII letters, digits and `-`.

use pinyin::ToPinyin;

/// Whether `name` can be used as-is in a URL on every static host.
pub fn is_valid_slug(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A valid name close to `name`: Chinese in pinyin, other characters
/// lowercased or turned into `-`.
pub fn suggest_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if let Some(syllable) = c.to_pinyin() {
            slug.push_str(syllable.plain());
        } else if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "notice".into()
    } else {
        slug
    }
}

/// A short URL name for an organisation: the pinyin initials of its name
/// (`中共云溪市第二人民医院委员会` → `zgyxsdermyywyh`).
pub fn initials(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if let Some(syllable) = c.to_pinyin() {
            slug.push_str(syllable.first_letter());
        } else if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        }
    }
    if slug.is_empty() { "org".into() } else { slug }
}

/// The number a file name starts with (`03-caiwu` → 3), which orders issues.
pub fn leading_number(stem: &str) -> Option<u32> {
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    let rest = &stem[digits.len()..];
    if digits.is_empty() || !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lowercase_ascii_digits_and_hyphens_are_valid() {
        assert!(is_valid_slug("2025-shiwei-liuzu"));
        assert!(!is_valid_slug("Notice"));
        assert!(!is_valid_slug("巡察"));
        assert!(!is_valid_slug("a b"));
        assert!(!is_valid_slug("../x"));
        assert!(!is_valid_slug(""));
    }

    #[test]
    fn chinese_names_get_a_pinyin_suggestion() {
        assert_eq!(suggest_slug("01-党的领导"), "01-dangdelingdao");
        assert_eq!(suggest_slug("My Notice"), "my-notice");
        assert!(is_valid_slug(&suggest_slug("（一）财务 管理")));
    }

    #[test]
    fn organisations_get_their_initials() {
        assert_eq!(initials("中共云溪市第二人民医院委员会"), "zgyxsdermyywyh");
        assert_eq!(initials("ABC医院"), "abcyy");
        assert_eq!(initials("（）"), "org");
    }

    #[test]
    fn leading_numbers_order_issues() {
        assert_eq!(leading_number("03-caiwu"), Some(3));
        assert_eq!(leading_number("12"), Some(12));
        assert_eq!(leading_number("caiwu"), None);
        assert_eq!(leading_number("3x"), None);
    }
}
