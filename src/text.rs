//! Reading the clerk's text files: UTF-8 only, with a clear word when they are not.

use std::path::Path;

use crate::diagnostic::{Hint, Located, Location};

pub type ReadError = Located<ReadErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadErrorKind {
    #[error("无法读取文件：{0}")]
    Io(String),
    /// Not UTF-8; `gbk` when the bytes read cleanly as GBK/GB18030.
    #[error("{}", if *gbk { "文件不是 UTF-8 编码，看起来是 GBK（GB2312/GB18030）编码" } else { "文件不是 UTF-8 编码的文本" })]
    NotUtf8 { gbk: bool },
}

impl Hint for ReadErrorKind {
    fn hint(&self) -> Option<String> {
        match self {
            ReadErrorKind::NotUtf8 { .. } => {
                Some("请用记事本或 WPS 打开，选择“另存为”，编码选 UTF-8 后保存".into())
            }
            ReadErrorKind::Io(_) => None,
        }
    }
}

/// Reads `path` as UTF-8 text, without a byte-order mark and with `\r\n` kept
/// as it is (line numbers do not change).
pub fn read_utf8(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|error| {
        Located::new(
            Location::file_start(path),
            ReadErrorKind::Io(error.to_string()),
        )
    })?;
    decode_utf8(path, bytes)
}

pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
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
                .then(|| decoded.lines().nth(line - 1).map(str::to_owned))
                .flatten();
            Err(Located::new(
                Location {
                    file: path.to_path_buf(),
                    line,
                    column,
                    line_text,
                },
                ReadErrorKind::NotUtf8 { gbk: !had_errors },
            ))
        }
    }
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
    fn byte_order_mark_is_dropped() {
        let text = decode_utf8(Path::new("a.md"), "\u{feff}---\n".as_bytes().to_vec());
        assert_eq!(text.ok().as_deref(), Some("---\n"));
    }
}
