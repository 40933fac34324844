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
    /// The text of the offending line, shown under the message.
    pub line_text: Option<String>,
}

impl Location {
    /// The location `line`:`column` in `source` (the full text of `file`).
    pub fn in_text(file: &Path, source: &str, line: usize, column: usize) -> Self {
        let line_text = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(str::to_owned);
        Location {
            file: file.to_path_buf(),
            line,
            column,
            line_text,
        }
    }

    /// A problem with a file as a whole, reported at its first line.
    pub fn file_start(file: &Path) -> Self {
        Location {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
            line_text: None,
        }
    }

    /// The location of byte `offset` in `source`.
    pub fn at_offset(file: &Path, source: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        Location::in_text(file, source, line, column)
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

/// Something an error kind can add after its message: what to do about it.
pub trait Hint {
    fn hint(&self) -> Option<String> {
        None
    }
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
}

impl Diagnostic {
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            hint: None,
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
        Diagnostic::error(Some(error.at), error.kind.to_string()).with_hint(hint)
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
        let label = self.severity.label();
        match &self.location {
            Some(at) => writeln!(f, "{label}：{at}：{}", self.message)?,
            None => writeln!(f, "{label}：{}", self.message)?,
        }
        if let Some(at) = &self.location
            && let Some(text) = &at.line_text
        {
            let number = at.line.to_string();
            let gutter = " ".repeat(number.len());
            let shown = text.replace('\t', " ");
            let before: String = shown.chars().take(at.column.saturating_sub(1)).collect();
            let pad = " ".repeat(before.width());
            writeln!(f, "  {number} | {shown}")?;
            writeln!(f, "  {gutter} | {pad}^")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  提示：{hint}")?;
        }
        Ok(())
    }
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
        out.push_str(&format!(
            "  {place}{} {}\n",
            diagnostic.severity.label(),
            diagnostic.message
        ));
        if let Some(at) = &diagnostic.location
            && let Some(text) = &at.line_text
        {
            let shown = text.replace('\t', " ");
            let before: String = shown.chars().take(at.column.saturating_sub(1)).collect();
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
    out
}

/// Diagnostics as a JSON array, for machines.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": d.severity.key(),
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
        _ if error.raw_os_error() == Some(40) => "链接循环（链接最终又指回自己）",
        _ if error.raw_os_error() == Some(36) => "文件名太长",
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
