//! What a character is searched as, and the keys a text is found by.
//!
//! Both sides fold the same way, one character at a time: compatibility
//! normalisation (NFKC: `２０２５` is `2025`, `：` is `:`) then lower case.
//! `search.js` folds the query and the texts it checks with
//! `c.normalize("NFKC").toLowerCase()`, so keys the build writes are the
//! keys the browser asks for. Folding per character keeps every folded
//! position traceable to the character it came from, for snippets.

use unicode_normalization::UnicodeNormalization;

/// Calls `each` with the characters `c` is searched as.
pub fn fold(c: char, each: &mut impl FnMut(char)) {
    if c.is_ascii() {
        each(c.to_ascii_lowercase());
    } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        // The common CJK ideographs are their own normal form, without case.
        each(c);
    } else {
        for normal in std::iter::once(c).nfkc() {
            normal.to_lowercase().for_each(&mut *each);
        }
    }
}

/// A search key: one character (`second` is [`NONE`]) or two adjacent
/// characters of a folded text, as a number.
pub type Key = u64;

/// Not a character: the second half of a one-character key.
const NONE: u32 = 0x11_0000;

pub fn key(first: char, second: Option<char>) -> Key {
    (u64::from(u32::from(first)) << 32) | u64::from(second.map_or(NONE, u32::from))
}

/// The character of a one-character key in the Basic Multilingual Plane.
pub fn single_bmp(key: Key) -> Option<u16> {
    let second = (key & 0xFFFF_FFFF) as u32;
    u16::try_from(key >> 32).ok().filter(|_| second == NONE)
}

/// The key as the text it stands for.
pub fn key_text(key: Key) -> String {
    let first = char::from_u32((key >> 32) as u32);
    let second = char::from_u32((key & 0xFFFF_FFFF) as u32);
    first.into_iter().chain(second).collect()
}

/// Calls `each` with every key of `text`: each character, and each pair of
/// adjacent characters not parted by white space, after folding. Keys may
/// repeat.
pub fn keys(text: &str, each: &mut impl FnMut(Key)) {
    let mut previous: Option<char> = None;
    for c in text.chars() {
        fold(c, &mut |folded| {
            if folded.is_whitespace() {
                previous = None;
                return;
            }
            each(key(folded, None));
            if let Some(before) = previous {
                each(key(before, Some(folded)));
            }
            previous = Some(folded);
        });
    }
}

/// The bucket file a key's lists are in: FNV-1a over the key's UTF-16 code
/// units (as JavaScript strings hold them), modulo the number of buckets, a
/// power of two.
pub fn bucket(key: &str, buckets: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for unit in key.encode_utf16() {
        hash ^= u32::from(unit);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash & (buckets - 1)
}

/// `text` as it is searched.
#[cfg(test)]
pub fn folded(text: &str) -> String {
    let mut out = String::new();
    text.chars().for_each(|c| fold(c, &mut |f| out.push(f)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_and_case_fold_as_the_browser_folds_them() {
        assert_eq!(folded("２０２５年ＡＢｃ"), "2025年abc");
        assert_eq!(folded("牵头领导：分管副院长"), "牵头领导:分管副院长");
        assert_eq!(folded("整改\u{3000}完成"), "整改 完成");
        assert_eq!(folded("①"), "1");
        assert_eq!(folded("……“ＡＢ”"), "......“ab”");
        assert_eq!(
            folded("\u{FDFA}"),
            std::iter::once('\u{FDFA}').nfkc().collect::<String>()
        );
    }

    #[test]
    fn keys_are_characters_and_pairs_within_a_run_of_text() {
        let mut found = Vec::new();
        keys("号贩子 ＡB", &mut |k| found.push(key_text(k)));
        assert_eq!(found, ["号", "贩", "号贩", "子", "贩子", "a", "b", "ab"]);
    }

    #[test]
    fn buckets_follow_the_utf16_fnv_hash() {
        // FNV-1a of "a" is 0xe40c292c.
        assert_eq!(bucket("a", 1 << 31), 0xe40c_292c & 0x7fff_ffff);
        assert_eq!(bucket("整改", 1), 0);
        assert!(bucket("\u{20000}", 16) < 16);
    }
}
