//! Text made safe for where it is placed: JSON inside `<script>`, and text
//! inside XML (feeds, sitemap).

use std::io::{self, Write};

use serde::Serialize;

/// Collects JSON so that it can sit inside a `<script>` element, whatever
/// its strings hold: `<`, `>` and `&` are written `\u003c`, `\u003e`,
/// `\u0026` (so neither `</script>` nor `<!--` can change how the HTML
/// parser reads the element), and U+2028/U+2029, line breaks to older
/// JavaScript, `\u2028`/`\u2029`. JSON reads them all back as they were.
#[derive(Debug, Default)]
pub struct ScriptSafe {
    pub out: Vec<u8>,
}

impl Write for ScriptSafe {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // Runs without a byte to replace are copied whole.
        let mut run = 0;
        for (at, &byte) in bytes.iter().enumerate() {
            let replacement: &[u8] = match byte {
                b'<' => br"\u003c",
                b'>' => br"\u003e",
                b'&' => br"\u0026",
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8; the
                // lead bytes may have come in an earlier write.
                0xA8 | 0xA9 => {
                    self.out.extend_from_slice(&bytes[run..at]);
                    run = at;
                    if !self.out.ends_with(&[0xE2, 0x80]) {
                        continue;
                    }
                    self.out.truncate(self.out.len() - 2);
                    if byte == 0xA8 { br"\u2028" } else { br"\u2029" }
                }
                _ => continue,
            };
            self.out.extend_from_slice(&bytes[run..at]);
            self.out.extend_from_slice(replacement);
            run = at + 1;
        }
        self.out.extend_from_slice(&bytes[run..]);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl ScriptSafe {
    /// The collected JSON as text.
    pub fn into_string(self) -> String {
        // serde_json writes UTF-8, and only whole characters are replaced.
        String::from_utf8(self.out).unwrap_or_default()
    }
}

/// `value` as JSON that is safe inside `<script>` (see [`ScriptSafe`]).
pub fn script_json(value: &impl Serialize) -> serde_json::Result<String> {
    let mut script = ScriptSafe::default();
    serde_json::to_writer(&mut script, value)?;
    Ok(script.into_string())
}

/// Appends `text` to `out` as a JSON string that is safe inside
/// `<script>`: the very bytes [`script_json`] writes for a string, in one
/// pass, for texts of megabytes (the search index).
pub fn push_script_string(out: &mut String, text: &str) {
    out.push('"');
    push_script_escaped(out, text);
    out.push('"');
}

/// Appends `text` to `out` escaped as within a JSON string that is safe
/// inside `<script>` ([`push_script_string`] without the quotes), so that
/// one string can be written in parts.
pub fn push_script_escaped(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        // Escapes are made at ASCII bytes and at the first byte of U+2028
        // and U+2029, all of them character boundaries of `text`.
        let (escaped, width): (&str, usize) = match byte {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            b'\n' => ("\\n", 1),
            b'\r' => ("\\r", 1),
            b'\t' => ("\\t", 1),
            0x08 => ("\\b", 1),
            0x0C => ("\\f", 1),
            0x00..=0x1F => {
                out.push_str(&text[run..at]);
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
                at += 1;
                run = at;
                continue;
            }
            0xE2 if bytes.get(at + 1) == Some(&0x80) => match bytes.get(at + 2) {
                Some(0xA8) => ("\\u2028", 3),
                Some(0xA9) => ("\\u2029", 3),
                _ => {
                    at += 1;
                    continue;
                }
            },
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&text[run..at]);
        out.push_str(escaped);
        at += width;
        run = at;
    }
    out.push_str(&text[run..]);
}

/// Whether XML 1.0 allows `c` in a document: tab, line feed, carriage
/// return, and everything from U+0020 but the surrogates, U+FFFE and U+FFFF.
pub fn xml_allows(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` without the characters XML forbids; borrowed when it has none.
pub fn xml_text(text: String) -> String {
    if text.chars().all(xml_allows) {
        text
    } else {
        text.chars().filter(|&c| xml_allows(c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_end_or_comment_out_the_element_and_reads_the_same() {
        for text in [
            "整改</script><script>alert(1)</script>完成",
            "<!--<script>",
            "a & b > c",
            "行\u{2028}分\u{2029}段",
        ] {
            let json = script_json(&text).expect("json");
            for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
                assert!(!json.contains(forbidden), "{json}");
            }
            let read: String = serde_json::from_str(&json).expect("valid JSON");
            assert_eq!(read, text);
        }
    }

    proptest::proptest! {
        #[test]
        fn a_string_pushed_is_what_script_json_writes(text in "(?s).{0,40}|[<>&\"\\\\\u{0}-\u{1f}\u{2028}\u{2029}\u{2027}\u{7f}整改 ]{0,20}") {
            let mut pushed = String::new();
            push_script_string(&mut pushed, &text);
            proptest::prop_assert_eq!(pushed, script_json(&text).expect("json"));
        }
    }

    #[test]
    fn a_line_separator_split_across_writes_is_escaped() -> io::Result<()> {
        let mut script = ScriptSafe::default();
        let bytes = "\u{2028}".as_bytes();
        script.write_all(&bytes[..2])?;
        script.write_all(&bytes[2..])?;
        assert_eq!(script.into_string(), r"\u2028");
        Ok(())
    }

    #[test]
    fn xml_text_drops_only_what_xml_forbids() {
        assert_eq!(
            xml_text("标\u{0}题\u{c}\u{fffe}\t一\u{1f600}".to_owned()),
            "标题\t一\u{1f600}"
        );
    }
}
