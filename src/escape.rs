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
