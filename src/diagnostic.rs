//! Where a problem is and how it is shown to the clerk.
//!
//! Every module has its own typed error enum; each error is wrapped in
//! [`Located`] so that it carries the file, line and column it was found at.
//! [`Diagnostic`] is the rendered, module-independent form that the library
//! hands back to `main`, so that all problems of one run can be reported
//! together.

use std::fmt;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

/// A position in a file of the site: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The text of the offending line, shown under the message; of a long
    /// line only the part around the column, marked with `…`.
    pub line_text: Option<Box<str>>,
    /// Characters of the line left out before `line_text`.
    pub text_start: usize,
}

/// How many characters of a line a location keeps: a file may be one line
/// of a megabyte, and a diagnostic must not copy it.
const EXCERPT: usize = 100;

/// The part of `line` shown for a problem at character `column` (1-based),
/// and how many characters were left out before it.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    if line.len() <= EXCERPT {
        return (line.to_owned(), 0);
    }
    let start = column.saturating_sub(1).saturating_sub(EXCERPT / 2);
    let mut chars = line.chars().skip(start);
    let mut shown: String = if start > 0 {
        "…".into()
    } else {
        String::new()
    };
    shown.extend(chars.by_ref().take(EXCERPT));
    if chars.next().is_some() {
        shown.push('…');
    }
    (shown, start)
}

impl Location {
    /// The location `line`:`column` in `source` (the full text of `file`).
    pub fn in_text(file: &Path, source: &str, line: usize, column: usize) -> Self {
        let text = source.lines().nth(line.saturating_sub(1));
        Location::with_line(file, line, column, text)
    }

    /// A location on `line` with the given text, shown in part if long.
    pub fn with_line(file: &Path, line: usize, column: usize, text: Option<&str>) -> Self {
        let shown = text.map(|text| excerpt(text, column));
        Location {
            file: file.to_path_buf(),
            line,
            column,
            text_start: shown.as_ref().map_or(0, |(_, start)| *start),
            line_text: shown.map(|(text, _)| text.into()),
        }
    }

    /// How many characters of `line_text` come before the column.
    pub fn caret_offset(&self) -> usize {
        let marked = usize::from(self.text_start > 0);
        self.column
            .saturating_sub(1)
            .saturating_sub(self.text_start)
            + marked
    }

    /// A problem with a file as a whole, reported at its first line.
    pub fn file_start(file: &Path) -> Self {
        Location {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
            line_text: None,
            text_start: 0,
        }
    }

    /// The location of byte `offset` in `source`.
    pub fn at_offset(file: &Path, source: &str, offset: usize) -> Self {
        Locator::new(file, source).at(offset)
    }
}

/// Locations of many byte offsets in one text, each found in time that
/// does not grow with the text: line starts are indexed once, and columns
/// are counted on from the last offset asked for when it is on the same
/// line and before (as offsets come in reading order).
pub struct Locator<'a> {
    file: &'a Path,
    source: &'a str,
    /// Made when the first location is asked for: most texts have none.
    line_starts: std::cell::OnceCell<Vec<usize>>,
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a Path, source: &'a str) -> Locator<'a> {
        Locator {
            file,
            source,
            line_starts: std::cell::OnceCell::new(),
            last: std::cell::Cell::new((0, 1)),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.source.match_indices('\n').map(|(at, _)| at + 1))
                .collect()
        })
    }

    /// The location of `column` (in characters) on `line`, both 1-based:
    /// [`Location::in_text`] without reading the text up to the line.
    pub fn at_line(&self, line: usize, column: usize) -> Location {
        let line_starts = self.line_starts();
        let text = line_starts.get(line.wrapping_sub(1)).map(|&start| {
            let end = line_starts
                .get(line)
                .map_or(self.source.len(), |next| next - 1);
            self.source[start..end].trim_end_matches('\r')
        });
        Location::with_line(self.file, line, column, text)
    }

    /// The location of byte `offset`.
    pub fn at(&self, offset: usize) -> Location {
        let line_starts = self.line_starts();
        let offset = floor_char_boundary(self.source, offset.min(self.source.len()));
        let line = line_starts.partition_point(|&start| start <= offset);
        let line_start = line_starts[line - 1];
        let (from, column) = match self.last.get() {
            (last, column) if last >= line_start && last <= offset => (last, column),
            _ => (line_start, 1),
        };
        let column = column + self.source[from..offset].chars().count();
        self.last.set((offset, column));
        let line_end = line_starts
            .get(line)
            .map_or(self.source.len(), |next| next - 1);
        let text = self.source[line_start..line_end].trim_end_matches('\r');
        // A window of bytes around the offset, so that a long line costs no more.
        let in_line = offset - line_start;
        let window_start = floor_char_boundary(text, in_line.saturating_sub(EXCERPT * 2));
        let window_end = floor_char_boundary(text, (in_line + EXCERPT * 2).min(text.len()));
        let skipped = column - 1 - text[window_start..in_line].chars().count();
        let (mut shown, start_in_window) =
            excerpt(&text[window_start..window_end], column - skipped);
        if skipped > 0 && start_in_window == 0 {
            shown.insert(0, '…');
        }
        if window_end < text.len() && !shown.ends_with('…') {
            shown.push('…');
        }
        Location {
            file: self.file.to_path_buf(),
            line,
            column,
            line_text: Some(shown.into()),
            text_start: skipped + start_in_window,
        }
    }
}

fn floor_char_boundary(s: &str, mut index: usize) -> usize {
    while !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// An error of some module, with where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<K> {
    pub at: Location,
    pub kind: K,
}

impl<K> Located<K> {
    pub fn new(at: Location, kind: K) -> Self {
        Located { at, kind }
    }
}

impl<K: fmt::Display> fmt::Display for Located<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.kind)
    }
}

impl<K: fmt::Debug + fmt::Display> std::error::Error for Located<K> {}

/// What an error kind adds to its message: what to do about it, and a
/// stable code (`GK` and four digits) that scripts and tests can match whatever the
/// wording; docs/errors.md lists every code.
pub trait Hint {
    fn hint(&self) -> Option<String> {
        None
    }

    fn code(&self) -> &'static str;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, not wrong: shown by `check`, not by `build`.
    Note,
}

/// A problem ready to be shown: message, where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
    /// The stable code of its kind (see [`Hint::code`]), when it has one.
    pub code: Option<Code>,
}

/// The stable code of a kind of diagnostic, `GK0101`: two digits for the
/// stage, two for the kind. Kept as a number so that a diagnostic stays
/// small enough to pass around by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code(u16);

impl Code {
    /// `GK0101` as written in the source; `None` for anything else.
    pub fn parse(text: &str) -> Option<Code> {
        let digits = text.strip_prefix("GK").filter(|d| d.len() == 4)?;
        digits.parse().ok().map(Code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GK{:04}", self.0)
    }
}

impl Diagnostic {
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            hint: None,
            code: None,
        }
    }

    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Shows file paths relative to `root`, as the clerk sees them in the site folder.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Some(location) = &mut self.location
            && let Ok(relative) = location.file.strip_prefix(root)
        {
            location.file = relative.to_path_buf();
        }
        self
    }
}

impl<K: fmt::Display + Hint> From<Located<K>> for Diagnostic {
    fn from(error: Located<K>) -> Self {
        let hint = error.kind.hint();
        let mut diagnostic =
            Diagnostic::error(Some(error.at), error.kind.to_string()).with_hint(hint);
        diagnostic.code = Code::parse(error.kind.code());
        diagnostic
    }
}

impl fmt::Display for Diagnostic {
    /// Renders as
    ///
    /// ```text
    /// 错误：content/notices/a/index.md:3:1：未知字段「titel」
    ///    3 | titel: 某某
    ///      | ^
    ///   提示：最接近的字段是「title」（标题）
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        let mut out = String::new();
        let label = self.severity.label();
        let code = self
            .code
            .map(|code| format!("（{code}）"))
            .unwrap_or_default();
        match &self.location {
            Some(at) => writeln!(out, "{label}：{at}：{}{code}", self.message)?,
            None => writeln!(out, "{label}：{}{code}", self.message)?,
        }
        if let Some(at) = &self.location
            && let Some(text) = &at.line_text
        {
            let number = at.line.to_string();
            let gutter = " ".repeat(number.len());
            let shown = printable(text);
            let before: String = shown.chars().take(at.caret_offset()).collect();
            let pad = " ".repeat(before.width());
            writeln!(out, "  {number} | {shown}")?;
            writeln!(out, "  {gutter} | {pad}^")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(out, "  提示：{hint}")?;
        }
        f.write_str(&printable(&out))
    }
}

/// `text` safe to print to a terminal: a file name, a link target or a line
/// of a hostile file may hold escape sequences that would retitle the
/// window or rewrite the screen. Control characters but line breaks are
/// shown as their Control Pictures (`␛`), one column wide each; a tab is a
/// space.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => c,
            '\t' => ' ',
            '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "提醒",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Diagnostics grouped under the file they are in, in line order:
///
/// ```text
/// content/notices/a/index.md
///   35:17 警告 正文说已完成9项，问题文件中是10项
///     35 | 截至目前，13条问题中已完成整改9条……
///        |                 ^
///     提示：核对正文中的数字与各问题的 status 是否一致
/// ```
pub fn grouped(diagnostics: &[Diagnostic]) -> String {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by_key(|d| {
        d.location
            .as_ref()
            .map(|l| (l.file.clone(), l.line, l.column))
    });
    let mut out = String::new();
    let mut current: Option<&Path> = None;
    for diagnostic in sorted {
        let file = diagnostic.location.as_ref().map(|l| l.file.as_path());
        if file != current {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&file.map_or_else(|| "（站点）".to_owned(), |f| f.display().to_string()));
            out.push('\n');
            current = file;
        }
        let place = diagnostic
            .location
            .as_ref()
            .map_or_else(String::new, |l| format!("{}:{} ", l.line, l.column));
        let code = diagnostic
            .code
            .map(|code| format!("（{code}）"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {place}{} {}{code}\n",
            diagnostic.severity.label(),
            diagnostic.message
        ));
        if let Some(at) = &diagnostic.location
            && let Some(text) = &at.line_text
        {
            let shown = printable(text);
            let before: String = shown.chars().take(at.caret_offset()).collect();
            let number = at.line.to_string();
            out.push_str(&format!("    {number} | {shown}\n"));
            out.push_str(&format!(
                "    {} | {}^\n",
                " ".repeat(number.len()),
                " ".repeat(before.width())
            ));
        }
        if let Some(hint) = &diagnostic.hint {
            out.push_str(&format!("    提示：{hint}\n"));
        }
    }
    printable(&out)
}

/// Diagnostics as a JSON array, for machines.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": d.severity.key(),
                "code": d.code.map(|code| code.to_string()),
                "file": d.location.as_ref().map(|l| l.file.display().to_string()),
                "line": d.location.as_ref().map(|l| l.line),
                "column": d.location.as_ref().map(|l| l.column),
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned())
}

/// The nearest of `candidates` to `word`, if it is near enough to be a likely typo.
/// Whether an error says a link led round in a circle (ELOOP, which has
/// no `ErrorKind` of its own on stable Rust).
pub fn is_link_loop(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    return error.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    return false;
}

/// An I/O error in a clerk's words: the system's own text is English.
pub fn io_message(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let words = match error.kind() {
        ErrorKind::NotFound => "文件或文件夹不存在",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::AlreadyExists => "已有同名的文件或文件夹",
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件",
        ErrorKind::NotADirectory => "路径中有一段是文件，不是文件夹",
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::ReadOnlyFilesystem => "磁盘是只读的",
        ErrorKind::InvalidData => "文件内容无法读取",
        ErrorKind::Interrupted | ErrorKind::TimedOut => "操作被中断",
        // Reading an aggregate's sources over the network.
        ErrorKind::ConnectionRefused => "对方拒绝连接（服务没有运行，或端口不对）",
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => "连接被对方断开",
        ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => "网络不通",
        _ if is_link_loop(error) => "链接循环（链接最终又指回自己）",
        _ => return format!("系统报告：{error}"),
    };
    words.to_owned()
}

pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::levenshtein(&word_lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, candidate)| {
            let longest = word.chars().count().max(candidate.chars().count());
            *distance * 2 <= longest.max(2)
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_that_refuses_the_connection_is_told_in_chinese() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(
            io_message(&refused),
            "对方拒绝连接（服务没有运行，或端口不对）"
        );
    }

    #[test]
    fn a_code_reads_and_prints_as_written() {
        assert_eq!(
            Code::parse("GK0107").map(|c| c.to_string()),
            Some("GK0107".into())
        );
        assert_eq!(Code::parse("GK107"), None);
        assert_eq!(Code::parse("E0107"), None);
    }

    #[test]
    fn escape_sequences_in_names_and_lines_are_shown_not_sent() {
        let file = Path::new("content/\u{1b}]0;pwned\u{7}.md");
        let source = "title: \u{1b}[2J清屏\n";
        let diagnostic = Diagnostic::error(
            Some(Location::in_text(file, source, 1, 8)),
            "链接指向的“\u{1b}[31m”不存在",
        );
        for shown in [
            diagnostic.to_string(),
            grouped(std::slice::from_ref(&diagnostic)),
        ] {
            assert!(
                !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
                "{shown:?}"
            );
            assert!(
                shown.contains("␛]0;pwned␇.md") && shown.contains("␛[2J清屏"),
                "{shown}"
            );
        }
        // The caret stays under the column: `title: ` is seven columns.
        let text = diagnostic.to_string();
        assert_eq!(text.lines().nth(2), Some("    |        ^"));
    }

    #[test]
    fn a_long_line_is_kept_in_part_around_the_column() {
        let line = format!("{}错{}", "甲".repeat(5000), "乙".repeat(5000));
        let source = format!("第一行\n{line}\n");
        let offset = source.find('错').unwrap_or_default();
        let by_line = Location::in_text(Path::new("a.md"), &source, 2, 5001);
        let locator = Locator::new(Path::new("a.md"), &source);
        let by_offset = locator.at(offset);
        for at in [&by_line, &by_offset] {
            assert_eq!((at.line, at.column), (2, 5001));
            let text = at.line_text.as_deref().unwrap_or_default();
            assert!(text.chars().count() <= EXCERPT + 2, "{text}");
            assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
            assert_eq!(text.chars().nth(at.caret_offset()), Some('错'), "{text}");
        }
        let short = locator.at(3);
        assert_eq!((short.line, short.column, short.caret_offset()), (1, 2, 1));
        // Offsets asked in reading order and out of it agree.
        let later = locator.at(offset + 3);
        assert_eq!(later.column, 5002);
        assert_eq!(locator.at(source.len() - 1).line, 2);
        assert_eq!(locator.at(0).column, 1);
    }

    #[test]
    fn offset_is_turned_into_line_and_character_column() {
        let text = "第一行\n标题：某某\n";
        let offset = text.find('：').unwrap_or_default();
        let at = Location::at_offset(Path::new("a.md"), text, offset);
        assert_eq!((at.line, at.column), (2, 3));
        assert_eq!(at.line_text.as_deref(), Some("标题：某某"));
    }

    #[test]
    fn caret_is_aligned_under_wide_characters() {
        let at = Location::in_text(Path::new("a.md"), "标题：x\n", 1, 3);
        let shown = Diagnostic::error(Some(at), "全角冒号").to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[0], "错误：a.md:1:3：全角冒号");
        assert_eq!(lines[1], "  1 | 标题：x");
        assert_eq!(lines[2], "    |     ^");
    }

    #[test]
    fn nearest_finds_typos_but_not_unrelated_words() {
        let fields = ["title", "published", "organization"];
        assert_eq!(nearest("titel", fields), Some("title"));
        assert_eq!(nearest("publised", fields), Some("published"));
        assert_eq!(nearest("zzz", fields), None);
    }
}
