//! Reading the clerk's text files: UTF-8 only, with a clear word when they are not.

use std::path::Path;

use crate::diagnostic::{Hint, Located, Location};

pub type ReadError = Located<ReadErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadErrorKind {
    /// Not UTF-8; `gbk` when the bytes read cleanly as GBK/GB18030.
    #[error("{}", if *gbk { "文件不是 UTF-8 编码，看起来是 GBK（GB2312/GB18030）编码" } else { "文件不是 UTF-8 编码的文本" })]
    NotUtf8 { gbk: bool },
    #[error("文件是 UTF-16 编码（记事本中称为“Unicode”），不是 UTF-8")]
    Utf16,
    #[error("这里有一个看不见的控制字符 U+{code:04X}（{name}），网页和订阅源中不能有它")]
    ControlCharacter { code: u32, name: &'static str },
}

impl Hint for ReadErrorKind {
    fn code(&self) -> &'static str {
        match self {
            ReadErrorKind::NotUtf8 { .. } => "GK0201",
            ReadErrorKind::Utf16 => "GK0202",
            ReadErrorKind::ControlCharacter { .. } => "GK0203",
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            ReadErrorKind::NotUtf8 { .. } | ReadErrorKind::Utf16 => {
                Some("请用记事本或 WPS 打开，选择“另存为”，编码选 UTF-8 后保存".into())
            }
            ReadErrorKind::ControlCharacter { .. } => Some(
                "常见于从 Word、PDF 或网页复制的文字：把光标移到所示位置，删掉这个字符（或删掉这一处再重打）".into(),
            ),
        }
    }
}

/// The bytes of `path` as UTF-8 text, without a byte-order mark, with
/// `\r\n` kept as it is (line numbers do not change) and a lone `\r` (old
/// Mac line ends) read as a line break. Text with a character XML forbids,
/// or any other control character but tab and line breaks, is refused
/// where it is. (Files are read through `crate::load::sources`.)
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    if looks_like_utf16(&bytes) {
        return Err(Located::new(
            Location::file_start(path),
            ReadErrorKind::Utf16,
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            if let Some((offset, c)) = first_control_character(&text) {
                return Err(Located::new(
                    Location::at_offset(path, &text, offset),
                    ReadErrorKind::ControlCharacter {
                        code: u32::from(c),
                        name: control_name(c),
                    },
                ));
            }
            Ok(lone_carriage_returns_as_line_feeds(text))
        }
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let (decoded, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
            let prefix = String::from_utf8_lossy(&bytes[..valid_up_to]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count()
                + 1;
            // Shown decoded as GBK, so the clerk recognises the line.
            let line_text = (!had_errors)
                .then(|| decoded.lines().nth(line - 1))
                .flatten();
            Err(Located::new(
                Location::with_line(path, line, column, line_text),
                ReadErrorKind::NotUtf8 { gbk: !had_errors },
            ))
        }
    }
}

/// A byte-order mark of UTF-16, or the NUL bytes every other byte that
/// UTF-16 gives Latin text and markup (`---`, `title:`).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64)];
    let nul_pairs = head
        .chunks_exact(2)
        .filter(|pair| pair.contains(&0))
        .count();
    head.len() >= 8 && nul_pairs * 2 >= head.len() / 2
}

/// The first character of `text` that a clerk's text should not hold: C0
/// and C1 controls but tab and line breaks, DEL, and U+FFFE/U+FFFF. The bytes
/// are scanned, as this runs over every file of the site.
pub fn first_control_character(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    // One pass without branches over the whole text, which the compiler
    // can vectorise; the exact scan runs only when it found a candidate.
    let candidate = bytes.iter().fold(false, |found, &byte| {
        found
            | (byte < 0x20 && byte != b'\t' && byte != b'\n' && byte != b'\r')
            | (byte == 0x7F)
            | (byte == 0xC2)
    });
    if !candidate && !text.contains(['\u{fffe}', '\u{ffff}']) {
        return None;
    }
    let at = bytes.iter().enumerate().position(|(i, &byte)| match byte {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 | 0x7F => true,
        0xC2 => bytes
            .get(i + 1)
            .is_some_and(|next| (0x80..0xA0).contains(next)),
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })?;
    text[at..].chars().next().map(|c| (at, c))
}

/// What a clerk would call a control character.
fn control_name(c: char) -> &'static str {
    match c {
        '\0' => "空字符",
        '\u{8}' => "退格符",
        '\u{b}' => "垂直制表符，Word 中的手动换行",
        '\u{c}' => "换页符，Word 中的分页符",
        '\u{1b}' => "转义符",
        '\u{7f}' => "删除符",
        '\u{fffe}' | '\u{ffff}' => "非字符",
        '\u{80}'..='\u{9f}' => "C1 控制字符，常因编码转换出错而来",
        _ => "控制字符",
    }
}

/// `\r` not followed by `\n` becomes `\n`: a file saved with old Mac line
/// ends is one line to every reader otherwise.
fn lone_carriage_returns_as_line_feeds(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Text saved or pasted by other programs, for `import`: UTF-8, UTF-16
/// (with or without a byte-order mark) or else GB18030, with the name of
/// the encoding when it was not UTF-8. Word's line and page breaks (U+000B,
/// U+000C) become line breaks, a lone `\r` too, and other control
/// characters are dropped, so that what is imported can be published.
pub fn decode_pasted(bytes: &[u8]) -> (String, Option<&'static str>) {
    let (text, encoding) = if looks_like_utf16(bytes) {
        let big_endian = bytes.starts_with(&[0xFE, 0xFF])
            || (!bytes.starts_with(&[0xFF, 0xFE]) && bytes.first() == Some(&0));
        let encoding = if big_endian {
            encoding_rs::UTF_16BE
        } else {
            encoding_rs::UTF_16LE
        };
        let (text, _, _) = encoding.decode(bytes);
        (text.into_owned(), Some("UTF-16"))
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), None),
            Err(_) => {
                let (text, _, _) = encoding_rs::GB18030.decode(bytes);
                (text.into_owned(), Some("GBK"))
            }
        }
    };
    let text = text.trim_start_matches('\u{feff}');
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{b}' | '\u{c}' => cleaned.push('\n'),
            '\t' | '\n' | '\r' => cleaned.push(c),
            c if first_control_character(c.encode_utf8(&mut [0; 4])).is_some() => {}
            c => cleaned.push(c),
        }
    }
    (lone_carriage_returns_as_line_feeds(cleaned), encoding)
}

/// The number written in ASCII digits right before byte `end` of `text`
/// (`31条问题` with `end` at `条` → 31).
pub fn number_before(text: &str, end: usize) -> Option<u32> {
    let before = &text[..end];
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    before[end - digits..].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_text_is_recognised_and_located() {
        let (gbk, _, _) = encoding_rs::GBK.encode("title: a\n标题: 某某医院\n");
        let error = decode_utf8(Path::new("a.md"), gbk.into_owned()).err();
        let error = error.expect("GBK must be rejected");
        assert_eq!(error.kind, ReadErrorKind::NotUtf8 { gbk: true });
        assert_eq!((error.at.line, error.at.column), (2, 1));
        assert_eq!(error.at.line_text.as_deref(), Some("标题: 某某医院"));
    }

    #[test]
    fn random_bytes_are_not_called_gbk() {
        let error = decode_utf8(Path::new("a.md"), vec![b'a', 0xff, 0xfe, 0xff]).err();
        assert_eq!(
            error.map(|e| e.kind),
            Some(ReadErrorKind::NotUtf8 { gbk: false })
        );
    }

    #[test]
    fn numbers_before_a_position() {
        let text = "指出31条问题";
        assert_eq!(number_before(text, text.find('条').unwrap_or(0)), Some(31));
        assert_eq!(number_before(text, 0), None);
    }

    #[test]
    fn utf16_is_named_as_such() {
        let utf16: Vec<u8> = "---\ntitle: 标题\n---\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        for bytes in [utf16.clone(), [vec![0xFF, 0xFE], utf16].concat()] {
            let error = decode_utf8(Path::new("a.md"), bytes).err();
            assert_eq!(error.map(|e| e.kind), Some(ReadErrorKind::Utf16));
        }
    }

    #[test]
    fn control_characters_are_refused_where_they_are() {
        for (text, code, at) in [
            ("title: 甲\u{0}乙\n", 0, (1, 9)),
            ("a\n\u{c}分页\n", 0xC, (2, 1)),
            ("a\nb\u{b}c", 0xB, (2, 2)),
            ("一\u{85}", 0x85, (1, 2)),
            ("标题\u{fffe}", 0xFFFE, (1, 3)),
            ("x\u{7f}", 0x7F, (1, 2)),
        ] {
            let error = decode_utf8(Path::new("a.md"), text.as_bytes().to_vec()).err();
            let error = error.expect("refused");
            assert!(
                matches!(error.kind, ReadErrorKind::ControlCharacter { code: c, .. } if c == code),
                "{text:?}: {:?}",
                error.kind
            );
            assert_eq!((error.at.line, error.at.column), at, "{text:?}");
        }
        let fine = "制表\t换行\r\n不间断\u{a0}全角，。“”\u{ff01}\u{1f600}";
        assert_eq!(first_control_character(fine), None);
    }

    #[test]
    fn pasted_text_is_read_whatever_its_encoding_and_controls() {
        let text = "标题\u{b}第一行\u{c}第二行\u{0}\r第三行";
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        for (bytes, encoding) in [
            (text.as_bytes().to_vec(), None),
            ([vec![0xFE, 0xFF], utf16.clone()].concat(), Some("UTF-16")),
            (gbk.into_owned(), Some("GBK")),
        ] {
            let (read, found) = decode_pasted(&bytes);
            assert_eq!(read, "标题\n第一行\n第二行\n第三行");
            assert_eq!(found, encoding);
        }
    }

    #[test]
    fn old_mac_line_ends_are_line_breaks() {
        let text = decode_utf8(Path::new("a.md"), b"---\rtitle: a\r---\r\n".to_vec());
        assert_eq!(text.ok().as_deref(), Some("---\ntitle: a\n---\r\n"));
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let text = decode_utf8(Path::new("a.md"), "\u{feff}---\n".as_bytes().to_vec());
        assert_eq!(text.ok().as_deref(), Some("---\n"));
    }
}
