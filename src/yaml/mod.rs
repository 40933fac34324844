//! Strict, positioned reading of YAML mappings (site.yaml and front matter).
//!
//! serde_yaml parses the text; positions of keys are recovered from the text
//! itself by [`KeyIndex`], so that every field error — unknown field, missing
//! field, wrong type, bad value — names the line and column of the field,
//! and so that all errors of one file are reported together rather than the
//! first one only.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostic::{Hint, Located, Location, Locator, nearest};

mod record;

pub(crate) use record::record;
pub use record::{
    Listed, Position, Positions, Record, ToYaml, write_line, write_list, write_section,
};

pub type YamlError = Located<YamlErrorKind>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlErrorKind {
    #[error("YAML 格式错误：{message}")]
    Syntax {
        message: String,
        hint: Option<String>,
    },
    #[error("这里应为“字段: 值”的列表，实际是{found}")]
    NotMapping {
        found: &'static str,
        hint: Option<String>,
    },
    #[error("未知字段「{field}」")]
    UnknownField {
        field: String,
        suggestion: Option<Field>,
        known: Vec<&'static str>,
    },
    #[error("还有 {0} 个未知字段没有列出")]
    MoreUnknownFields(usize),
    #[error("缺少必填字段「{field}」（{label}）")]
    MissingField { field: String, label: &'static str },
    #[error("必填字段「{field}」（{label}）没有填写内容")]
    EmptyField { field: String, label: &'static str },
    #[error("字段「{field}」（{label}）应为{expected}，实际是{found}")]
    WrongType {
        field: String,
        label: &'static str,
        expected: &'static str,
        found: String,
    },
    #[error("字段「{field}」（{label}）{message}")]
    InvalidValue {
        field: String,
        label: &'static str,
        message: String,
        hint: Option<String>,
    },
}

impl Hint for YamlErrorKind {
    fn code(&self) -> &'static str {
        match self {
            YamlErrorKind::Syntax { .. } => "GK0101",
            YamlErrorKind::NotMapping { .. } => "GK0102",
            YamlErrorKind::UnknownField { .. } => "GK0103",
            YamlErrorKind::MoreUnknownFields(..) => "GK0104",
            YamlErrorKind::MissingField { .. } => "GK0105",
            YamlErrorKind::EmptyField { .. } => "GK0106",
            YamlErrorKind::WrongType { .. } => "GK0107",
            YamlErrorKind::InvalidValue { .. } => "GK0108",
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            YamlErrorKind::Syntax { hint, .. }
            | YamlErrorKind::NotMapping { hint, .. }
            | YamlErrorKind::InvalidValue { hint, .. } => hint.clone(),
            YamlErrorKind::UnknownField {
                suggestion, known, ..
            } => Some(match suggestion {
                Some(field) => format!("是否应为「{}」（{}）？", field.name, field.label),
                None => format!("可用的字段：{}", known.join("、")),
            }),
            YamlErrorKind::MissingField { field, .. } => Some(format!("请添加一行「{field}: …」")),
            _ => None,
        }
    }
}

/// A field a mapping may have: its YAML name and the Chinese label shown to clerks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
}

pub const fn field(name: &'static str, label: &'static str) -> Field {
    Field { name, label }
}

/// Why a value could not be read; the reader adds the field and the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    WrongType {
        expected: &'static str,
    },
    Invalid {
        message: String,
        hint: Option<String>,
    },
}

/// A type that can be read from one YAML value.
pub trait FromYaml: Sized {
    fn from_yaml(value: &Value) -> Result<Self, ValueError>;
}

impl FromYaml for String {
    fn from_yaml(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::String(text) => Ok(text.trim().to_owned()),
            Value::Number(number) => Ok(number.to_string()),
            _ => Err(ValueError::WrongType { expected: "文本" }),
        }
    }
}

impl FromYaml for bool {
    fn from_yaml(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::Bool(flag) => Ok(*flag),
            Value::String(text) if text.trim() == "是" => Ok(true),
            Value::String(text) if text.trim() == "否" => Ok(false),
            _ => Err(ValueError::Invalid {
                message: format!("应为 true 或 false，实际是{}", describe(value)),
                hint: Some("是写 true（或“是”），否写 false（或“否”）".into()),
            }),
        }
    }
}

impl FromYaml for u32 {
    fn from_yaml(value: &Value) -> Result<Self, ValueError> {
        value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(ValueError::WrongType {
                expected: "不小于 0 的整数",
            })
    }
}

impl FromYaml for u64 {
    fn from_yaml(value: &Value) -> Result<Self, ValueError> {
        value.as_u64().ok_or(ValueError::WrongType {
            expected: "不小于 0 的整数",
        })
    }
}

/// Describes a YAML value in words, for "实际是…".
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "空值".into(),
        Value::Bool(flag) => format!("布尔值 {flag}"),
        Value::Number(number) => format!("数字 {number}"),
        Value::String(text) => format!("文本“{}”", text.trim()),
        Value::Sequence(_) => "列表".into(),
        Value::Mapping(_) => "“字段: 值”的映射".into(),
        Value::Tagged(_) => "带标签的值".into(),
    }
}

/// Where a key and its value start, 1-based, in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KeyPosition {
    line: usize,
    key_column: usize,
    value_column: usize,
}

/// Positions of the keys of a block- or flow-style YAML mapping, by dotted path.
///
/// serde_yaml gives no positions for values it has parsed, so they are read
/// back from the text. This covers the YAML people write by hand in front
/// matter: block mappings nested by indentation and one-line flow mappings.
#[derive(Debug, Default)]
struct KeyIndex {
    keys: HashMap<String, KeyPosition>,
    /// How many items each list (by path) has.
    items: HashMap<String, usize>,
    /// Where each item of a list (`list.N`) starts: line and column of
    /// what follows its `- `.
    item_starts: HashMap<String, (usize, usize)>,
}

impl KeyIndex {
    fn scan(yaml: &str, first_line: usize) -> Self {
        let mut keys = HashMap::new();
        let mut parents: Vec<(usize, String)> = Vec::new();
        let mut items: HashMap<String, usize> = HashMap::new();
        let mut item_starts: HashMap<String, (usize, usize)> = HashMap::new();
        for (index, line) in yaml.lines().enumerate() {
            let mut content = line.trim_start_matches(' ');
            let mut indent = line.len() - content.len();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if let Some(item) = content
                .strip_prefix("- ")
                .or_else(|| content.strip_prefix('-'))
                && (content.len() == 1 || content.starts_with("- "))
            {
                // An item of the list at `parents.last()`: its keys are at
                // `list.N.key`, the first of them on the item's own line.
                while parents.last().is_some_and(|(depth, _)| *depth >= indent) {
                    parents.pop();
                }
                let Some((_, list)) = parents.last() else {
                    continue;
                };
                let count = items.entry(list.clone()).or_default();
                let path = format!("{list}.{count}");
                *count += 1;
                let dash = indent;
                let inside = item.trim_start_matches(' ');
                indent += content.len() - inside.len();
                content = inside;
                let column = line[..indent].chars().count() + 1;
                item_starts.insert(path.clone(), (first_line + index, column));
                parents.push((dash, path));
                if content.is_empty() || content.starts_with('#') {
                    continue;
                }
                if content.starts_with('{') {
                    let line_number = first_line + index;
                    let Some((_, item_path)) = parents.last() else {
                        continue;
                    };
                    scan_flow_mapping(line, indent, line_number, item_path, &mut keys);
                    continue;
                }
            }
            let Some((key, value_offset)) = split_key(content) else {
                continue;
            };
            while parents.last().is_some_and(|(depth, _)| *depth >= indent) {
                parents.pop();
            }
            let path = match parents.last() {
                Some((_, parent)) => format!("{parent}.{key}"),
                None => key.to_owned(),
            };
            let line_number = first_line + index;
            let value_start = indent + value_offset;
            keys.insert(
                path.clone(),
                KeyPosition {
                    line: line_number,
                    key_column: indent + 1,
                    value_column: line[..value_start].chars().count() + 1,
                },
            );
            if line[value_start..].starts_with('{') {
                scan_flow_mapping(line, value_start, line_number, &path, &mut keys);
            }
            parents.push((indent, path));
        }
        KeyIndex {
            keys,
            items,
            item_starts,
        }
    }

    fn get(&self, path: &str) -> Option<KeyPosition> {
        self.keys.get(path).copied()
    }
}

/// Splits `key: value` into the key and the byte offset where the value starts.
fn split_key(content: &str) -> Option<(&str, usize)> {
    let (key, rest_start) = if let Some(quote @ ('"' | '\'')) = content.chars().next() {
        let end = content[1..].find(quote)? + 1;
        (&content[1..end], end + 1)
    } else {
        let colon = content
            .char_indices()
            .find(|&(i, c)| {
                c == ':'
                    && content[i + 1..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace)
            })?
            .0;
        (content[..colon].trim_end(), colon)
    };
    let after = content[rest_start..].strip_prefix(':')?;
    let value_offset = content.len() - after.trim_start().len();
    Some((key, value_offset))
}

fn scan_flow_mapping(
    line: &str,
    open: usize,
    line_number: usize,
    parent: &str,
    keys: &mut HashMap<String, KeyPosition>,
) {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut entry_start = open + 1;
    for (offset, c) in line[open..].char_indices() {
        let i = open + offset;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') | (None, ',') => {
                if depth == 1 {
                    let entry = &line[entry_start..i];
                    let trimmed = entry.trim_start();
                    let key_start = entry_start + (entry.len() - trimmed.len());
                    if let Some((key, value_offset)) = split_key(trimmed) {
                        keys.insert(
                            format!("{parent}.{key}"),
                            KeyPosition {
                                line: line_number,
                                key_column: line[..key_start].chars().count() + 1,
                                value_column: line[..key_start + value_offset].chars().count() + 1,
                            },
                        );
                    }
                    entry_start = i + 1;
                }
                if c != ',' {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
            }
            _ => {}
        }
    }
}

/// One parsed YAML document and where it came from.
pub struct Document<'s> {
    /// Line of the file where the YAML text starts (front matter starts on line 2).
    first_line: usize,
    root: Mapping,
    keys: KeyIndex,
    /// The whole file, for showing offending lines; finds the line of each
    /// location in time that does not grow with the file (a list may hold
    /// thousands of items, each with its location).
    locator: Locator<'s>,
}

impl<'s> Document<'s> {
    /// Parses `yaml`, which sits in `source` (the text of `file`) from line `first_line` on.
    /// An empty document is an empty mapping.
    pub fn parse(
        file: &'s Path,
        source: &'s str,
        yaml: &str,
        first_line: usize,
    ) -> Result<Self, Box<YamlError>> {
        if let Some((line, column)) = too_deep(yaml) {
            return Err(Box::new(Located::new(
                Location::in_text(file, source, first_line + line - 1, column),
                YamlErrorKind::Syntax {
                    message: format!("括号嵌套超过 {MAX_NESTING} 层"),
                    hint: Some(
                        "front matter 只需要“字段: 值”和简单的列表；检查是否粘贴了多余的 [ 或 {"
                            .into(),
                    ),
                },
            )));
        }
        let value: Value = serde_yaml::from_str(yaml).map_err(|error| {
            let (line, column) = error
                .location()
                .map_or((1, 1), |at| (at.line(), at.column()));
            let message = error.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_owned();
            // libyaml notices a mistake where it can no longer go on, often
            // lines after the cause: point at the cause when it can be seen.
            let (line, column, kind) =
                match duplicate_key(yaml, &message).or_else(|| likely_cause(yaml, line)) {
                    Some((cause_line, cause_column, kind)) => (cause_line, cause_column, kind),
                    None => (line, column, syntax_error(&message)),
                };
            Box::new(Located::new(
                Location::in_text(file, source, first_line + line - 1, column),
                kind,
            ))
        })?;
        let root = match value {
            Value::Mapping(mapping) => mapping,
            Value::Null => Mapping::new(),
            other => {
                let (line, column) = full_width_colon(yaml, usize::MAX)
                    .map_or((1, 1), |(line, column)| (line, column));
                return Err(Box::new(Located::new(
                    Location::in_text(file, source, first_line + line - 1, column),
                    YamlErrorKind::NotMapping {
                        found: match other {
                            Value::Sequence(_) => "一个列表",
                            Value::String(_) => "一段文本",
                            _ => "单个值",
                        },
                        hint: Some(if yaml.lines().any(has_colon_without_space) {
                            "冒号后面要有一个空格，例如「title: 标题」".into()
                        } else {
                            "每行写成「字段名: 值」，例如「title: 某某医院关于巡察整改进展情况的通报」"
                                .into()
                        }),
                    },
                )));
            }
        };
        Ok(Document {
            first_line,
            root,
            keys: KeyIndex::scan(yaml, first_line),
            locator: Locator::new(file, source),
        })
    }

    /// Reads the top-level mapping, which may hold only `known` fields.
    pub fn fields<'d>(
        &'d self,
        known: &'static [Field],
        errors: &'d mut Vec<YamlError>,
    ) -> Fields<'d> {
        Fields {
            document: self,
            path: String::new(),
            map: &self.root,
            known,
            start: self.locator.at_line(self.first_line.max(1), 1),
            errors,
        }
    }

    /// Where the value of the field at dotted `path` starts.
    fn value_position(&self, path: &str) -> Option<Position> {
        self.keys.get(path).map(|at| Position {
            line: at.line,
            column: at.value_column,
        })
    }

    fn key_location(&self, path: &str) -> Option<Location> {
        self.keys
            .get(path)
            .map(|at| self.locator.at_line(at.line, at.key_column))
    }

    /// Where the item at `path` (`list.N`) of a list starts.
    fn item_location(&self, path: &str) -> Option<Location> {
        let &(line, column) = self.keys.item_starts.get(path)?;
        Some(self.locator.at_line(line, column))
    }

    /// How many items the list at `path` has.
    fn items_of(&self, path: &str) -> usize {
        self.keys.items.get(path).copied().unwrap_or(0)
    }

    fn value_location(&self, path: &str) -> Option<Location> {
        self.keys
            .get(path)
            .map(|at| self.locator.at_line(at.line, at.value_column))
    }
}

fn has_colon_without_space(line: &str) -> bool {
    line.char_indices().any(|(i, c)| {
        c == ':'
            && line[i + 1..]
                .chars()
                .next()
                .is_some_and(|next| !next.is_whitespace())
    }) || line.contains('：')
}

/// The first line, up to `last_line` (1-based), written `字段：值` with a
/// full-width colon, and the column of that colon.
fn full_width_colon(yaml: &str, last_line: usize) -> Option<(usize, usize)> {
    yaml.lines()
        .take(last_line)
        .enumerate()
        .find_map(|(index, line)| {
            let content = line.trim_start();
            if content.starts_with('#')
                || content.starts_with('-')
                || content.contains(": ")
                || content.ends_with(':')
            {
                return None;
            }
            let colon = line.find('：')?;
            Some((index + 1, line[..colon].chars().count() + 1))
        })
}

/// The second occurrence of a key that serde_yaml reports as duplicated.
fn duplicate_key(yaml: &str, message: &str) -> Option<(usize, usize, YamlErrorKind)> {
    let key = message
        .split("duplicate entry with key ")
        .nth(1)?
        .trim_matches('"');
    let (line, column) = yaml
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let content = line.trim_start();
            let (found, _) = split_key(content)?;
            (found == key).then(|| (index + 1, line.len() - content.len() + 1))
        })
        .nth(1)?;
    Some((
        line,
        column,
        YamlErrorKind::Syntax {
            message: format!("字段「{key}」出现了两次"),
            hint: Some("删除或合并重复的那一行".into()),
        },
    ))
}

/// The line, up to `error_line`, that most likely caused a parse error, with
/// the column and an explanation: a full-width colon, an unclosed bracket or
/// quote, or a tab.
fn likely_cause(yaml: &str, error_line: usize) -> Option<(usize, usize, YamlErrorKind)> {
    if let Some((line, column)) = full_width_colon(yaml, error_line) {
        return Some((
            line,
            column,
            YamlErrorKind::Syntax {
                message: "字段名后用了全角冒号「：」".into(),
                hint: Some("改成半角冒号加一个空格，例如「title: 标题」".into()),
            },
        ));
    }
    let lines: Vec<&str> = yaml.lines().take(error_line).collect();
    for (index, line) in lines.iter().enumerate().rev() {
        let count = |c: char| line.chars().filter(|&x| x == c).count();
        let unclosed = if count('[') > count(']') {
            Some(('[', "方括号 [ 没有对应的 ]"))
        } else if count('{') > count('}') {
            Some(('{', "花括号 { 没有对应的 }"))
        } else if count('"') % 2 == 1 {
            Some(('"', "引号 \" 没有闭合"))
        } else {
            None
        };
        if let Some((opening, message)) = unclosed {
            let column = line
                .rfind(opening)
                .map_or(1, |at| line[..at].chars().count() + 1);
            return Some((
                index + 1,
                column,
                YamlErrorKind::Syntax {
                    message: message.into(),
                    hint: Some("值里需要用到括号或引号时，可以给整个值加上单引号".into()),
                },
            ));
        }
    }
    lines.iter().enumerate().find_map(|(index, line)| {
        let tab = line.find('\t')?;
        Some((
            index + 1,
            line[..tab].chars().count() + 1,
            YamlErrorKind::Syntax {
                message: "用了 Tab 缩进".into(),
                hint: Some("YAML 不能用 Tab 缩进，请改用空格".into()),
            },
        ))
    })
}

/// How deep `[` and `{` may nest in front matter. The YAML parser's time
/// grows with the square of the depth; real front matter nests two deep.
pub const MAX_NESTING: usize = 32;

/// Where `[` or `{` first open deeper than [`MAX_NESTING`] (line and column,
/// 1-based); one pass over the text. Brackets and quotes count where YAML
/// reads them: inside brackets, or where a value starts (`[标题]` opens a
/// list, `关于[某]` is text); comments are skipped.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let brackets = yaml.bytes().filter(|&b| b == b'[' || b == b'{').count();
    if brackets <= MAX_NESTING {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (index, line) in yaml.lines().enumerate() {
        let mut value_starts = true;
        let mut escaped = false;
        for (column, c) in line.chars().enumerate() {
            if let Some(open) = quote {
                if escaped {
                    escaped = false;
                } else if open == '"' && c == '\\' {
                    escaped = true;
                } else if c == open {
                    quote = None;
                    value_starts = false;
                }
                continue;
            }
            match c {
                '"' | '\'' if value_starts => quote = Some(c),
                '#' if value_starts || depth == 0 && column > 0 => break,
                '[' | '{' if value_starts || depth > 0 => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some((index + 1, column + 1));
                    }
                }
                ']' | '}' if depth > 0 => depth -= 1,
                _ => {}
            }
            value_starts = match c {
                ':' | '-' | '?' => true,
                '[' | '{' | ',' => depth > 0,
                c if c.is_whitespace() => value_starts,
                _ => false,
            };
        }
    }
    None
}

fn syntax_error(message: &str) -> YamlErrorKind {
    let translated = [
        (
            "mapping values are not allowed",
            "这里不能再出现“字段: 值”：值里有冒号时，请给整个值加上引号",
        ),
        (
            "did not find expected key",
            "缩进不一致，或上一行的引号、括号没有闭合",
        ),
        (
            "found character that cannot start any token",
            "出现了不能作为开头的字符（例如 @ 或 `）",
        ),
        ("end of stream", "文本意外结束：引号或括号没有闭合"),
        (
            "did not find expected ',' or '}'",
            "花括号 { } 里缺少逗号或右括号",
        ),
        (
            "did not find expected ',' or ']'",
            "方括号 [ ] 里缺少逗号或右括号",
        ),
        ("duplicate entry", "同一个字段出现了两次"),
        (
            "could not find expected ':'",
            "缺少冒号：每行应写成「字段名: 值」",
        ),
        (
            "block sequence entries are not allowed",
            "这里不能出现以“-”开头的列表项",
        ),
        ("did not find expected node content", "冒号后缺少值"),
        ("recursion limit exceeded", "嵌套层数过多"),
        (
            "repetition limit exceeded",
            "别名（*名称）展开得太多，会占用大量内存",
        ),
    ]
    .iter()
    .find(|(english, _)| message.contains(english))
    .map_or_else(
        || format!("无法解析（{message}）"),
        |(_, chinese)| (*chinese).to_owned(),
    );
    let hint = if message.contains("duplicate entry") {
        Some("删除重复的那一行".into())
    } else if message.contains("mapping values are not allowed") {
        Some("例如写成 title: '关于“某某”问题：整改情况'".into())
    } else if message.contains("recursion limit exceeded") {
        Some("front matter 只需要“字段: 值”和简单的列表；检查是否多写了“- ”或缩进".into())
    } else if message.contains("repetition limit exceeded") {
        Some("front matter 中不需要别名（& 和 *）：请把值直接写出来".into())
    } else {
        None
    };
    YamlErrorKind::Syntax {
        message: translated,
        hint,
    }
}

/// How many errors of one file are told one by one before the rest are
/// counted: a pasted table can make thousands of unknown fields.
pub const MAX_UNKNOWN_FIELDS: usize = 50;

/// A reader over one mapping that remembers which fields were read, so
/// [`Fields::finish`] can report the unknown ones.
pub struct Fields<'d> {
    document: &'d Document<'d>,
    path: String,
    map: &'d Mapping,
    known: &'static [Field],
    /// Where "missing field" errors point: the mapping's own key, or the document start.
    start: Location,
    errors: &'d mut Vec<YamlError>,
}

impl<'d> Fields<'d> {
    fn full_path(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    fn field(&self, name: &str) -> Field {
        self.known
            .iter()
            .copied()
            .find(|field| field.name == name)
            .unwrap_or(Field {
                name: "",
                label: "",
            })
    }

    fn value(&self, name: &str) -> Option<&'d Value> {
        self.map
            .get(name)
            .filter(|value| !matches!(value, Value::Null))
    }

    fn push(&mut self, path: &str, at_value: bool, kind: YamlErrorKind) {
        let location = if at_value {
            self.document.value_location(path)
        } else {
            self.document.key_location(path)
        }
        .unwrap_or_else(|| self.start.clone());
        self.errors.push(Located::new(location, kind));
    }

    fn wrong_type(
        &mut self,
        path: &str,
        label: &'static str,
        expected: &'static str,
        value: &Value,
    ) {
        let kind = YamlErrorKind::WrongType {
            field: path.to_owned(),
            label,
            expected,
            found: describe(value),
        };
        self.push(path, true, kind);
    }

    /// Reads an optional field; absent or empty gives `None`.
    pub fn optional<T: FromYaml>(&mut self, name: &str) -> Option<T> {
        let value = self.value(name)?;
        let path = self.full_path(name);
        let label = self.field(name).label;
        match T::from_yaml(value) {
            Ok(parsed) => Some(parsed),
            Err(ValueError::WrongType { expected }) => {
                self.wrong_type(&path, label, expected, value);
                None
            }
            Err(ValueError::Invalid { message, hint }) => {
                self.push(
                    &path,
                    true,
                    YamlErrorKind::InvalidValue {
                        field: path.clone(),
                        label,
                        message,
                        hint,
                    },
                );
                None
            }
        }
    }

    /// Reads a field that must be present and not empty.
    pub fn required<T: FromYaml>(&mut self, name: &str) -> Option<T> {
        let path = self.full_path(name);
        let label = self.field(name).label;
        let parsed = self.optional(name);
        let empty_text =
            matches!(self.value(name), Some(Value::String(text)) if text.trim().is_empty());
        if self.value(name).is_none() || empty_text {
            if self.map.contains_key(name) {
                self.push(
                    &path,
                    false,
                    YamlErrorKind::EmptyField {
                        field: path.clone(),
                        label,
                    },
                );
            } else {
                self.push(
                    &path,
                    false,
                    YamlErrorKind::MissingField {
                        field: path.clone(),
                        label,
                    },
                );
            }
            return None;
        }
        parsed
    }

    /// Reads a nested mapping, such as `inspection: { body: …, start: … }`.
    fn nested(&mut self, name: &str, known: &'static [Field]) -> Option<Fields<'_>> {
        let value = self.value(name)?;
        let path = self.full_path(name);
        let Value::Mapping(map) = value else {
            let label = self.field(name).label;
            self.wrong_type(&path, label, "“字段: 值”的映射", value);
            return None;
        };
        let start = self
            .document
            .key_location(&path)
            .unwrap_or_else(|| self.start.clone());
        Some(Fields {
            document: self.document,
            path,
            map,
            known,
            start,
            errors: self.errors,
        })
    }

    /// Reads a nested mapping with `read`, then reports its unknown keys.
    pub fn section<T>(
        &mut self,
        name: &str,
        known: &'static [Field],
        read: impl FnOnce(&mut Fields) -> T,
    ) -> Option<T> {
        let mut nested = self.nested(name, known)?;
        let value = read(&mut nested);
        nested.finish();
        Some(value)
    }

    /// Reads a list of mappings, such as `progress: [{date: …}, …]`, each
    /// item with `read` (its fields at `name.N.field`), then reports the
    /// unknown keys of each; `None` when the field is absent, not a list, or
    /// an item is unreadable.
    pub fn list<T>(
        &mut self,
        name: &str,
        known: &'static [Field],
        read: impl Fn(&mut Fields) -> Option<T>,
    ) -> Option<Vec<T>> {
        let value = self.value(name)?;
        let path = self.full_path(name);
        let label = self.field(name).label;
        let Value::Sequence(sequence) = value else {
            self.wrong_type(&path, label, "以“- ”开头的列表", value);
            return None;
        };
        let mut read_all = Some(Vec::with_capacity(sequence.len()));
        for (index, item) in sequence.iter().enumerate() {
            let item_path = format!("{path}.{index}");
            let Value::Mapping(map) = item else {
                let location = self.document.key_location(&path);
                let kind = YamlErrorKind::WrongType {
                    field: item_path,
                    label,
                    expected: "“字段: 值”的映射",
                    found: describe(item),
                };
                let location = location.unwrap_or_else(|| self.start.clone());
                self.errors.push(Located::new(location, kind));
                read_all = None;
                continue;
            };
            let start = self
                .document
                .item_location(&item_path)
                .or_else(|| self.document.key_location(&path))
                .unwrap_or_else(|| self.start.clone());
            let mut fields = Fields {
                document: self.document,
                path: item_path,
                map,
                known,
                start,
                errors: self.errors,
            };
            let value = read(&mut fields);
            fields.finish();
            match (value, &mut read_all) {
                (Some(value), Some(all)) => all.push(value),
                _ => read_all = None,
            }
        }
        read_all
    }

    /// Reports every key that is not one of the known fields (the first
    /// [`MAX_UNKNOWN_FIELDS`] of them, and how many more).
    pub fn finish(self) {
        let mut untold = 0;
        for key in self.map.keys() {
            let name = match key {
                Value::String(name) => name.clone(),
                other => describe(other),
            };
            if self.known.iter().any(|field| field.name == name) {
                continue;
            }
            if self.errors.len() >= MAX_UNKNOWN_FIELDS {
                untold += 1;
                continue;
            }
            let suggestion = self
                .known
                .iter()
                .find(|field| field.label == name || field.label.contains(name.as_str()))
                .or_else(|| {
                    let nearest = nearest(&name, self.known.iter().map(|field| field.name))?;
                    self.known.iter().find(|field| field.name == nearest)
                })
                .copied();
            if let Some(field) = suggestion {
                // `titel:` is reported once, as a typo of `title`, not also as a missing title.
                let missing = self.full_path(field.name);
                self.errors.retain(|error| {
                    !matches!(&error.kind, YamlErrorKind::MissingField { field, .. } if *field == missing)
                });
            }
            let path = self.full_path(&name);
            let location = self
                .document
                .key_location(&path)
                .unwrap_or_else(|| self.start.clone());
            self.errors.push(Located::new(
                location,
                YamlErrorKind::UnknownField {
                    field: name,
                    suggestion,
                    known: self.known.iter().map(|field| field.name).collect(),
                },
            ));
        }
        if untold > 0 {
            self.errors.push(Located::new(
                self.start.clone(),
                YamlErrorKind::MoreUnknownFields(untold),
            ));
        }
    }
}

/// `text` as a YAML scalar that reads back as the same string (quoted
/// when plain would not: `: `, `#`, a leading `-`, `true`, digits …).
pub fn scalar(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|written| written.trim_end().to_owned())
        .unwrap_or_else(|_| format!("'{}'", text.replace('\'', "''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[Field] = &[
        field("title", "标题"),
        field("count", "数量"),
        field("inspection", "巡察"),
    ];
    const NESTED: &[Field] = &[field("body", "巡察组"), field("start", "开始日期")];

    fn read(yaml: &str) -> (Option<String>, Option<u32>, Option<String>, Vec<YamlError>) {
        let file = Path::new("x.md");
        let source = format!("---\n{yaml}---\n");
        let document = match Document::parse(file, &source, yaml, 2) {
            Ok(document) => document,
            Err(error) => return (None, None, None, vec![*error]),
        };
        let mut errors = Vec::new();
        let mut fields = document.fields(KNOWN, &mut errors);
        let title = fields.required::<String>("title");
        let count = fields.optional::<u32>("count");
        let body = fields
            .section("inspection", NESTED, |nested| {
                nested.optional::<String>("body")
            })
            .flatten();
        fields.finish();
        (title, count, body, errors)
    }

    fn positions(errors: &[YamlError]) -> Vec<(usize, usize)> {
        errors.iter().map(|e| (e.at.line, e.at.column)).collect()
    }

    #[test]
    fn reads_block_and_flow_mappings() {
        let (title, count, body, errors) =
            read("title: 标题\ncount: 3\ninspection: { body: 市委第六巡察组, start: x }\n");
        assert_eq!(title.as_deref(), Some("标题"));
        assert_eq!(count, Some(3));
        assert_eq!(body.as_deref(), Some("市委第六巡察组"));
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn every_error_of_a_file_is_reported_with_its_position() {
        let (_, _, _, errors) =
            read("titel: 标题\ncount: -1\ninspection:\n  body: 组\n  stat: 2024-01-01\n");
        let kinds: Vec<String> = errors.iter().map(|e| e.kind.to_string()).collect();
        assert_eq!(errors.len(), 3, "{kinds:?}");
        assert!(kinds.iter().any(|k| k.contains("未知字段「titel」")));
        assert!(kinds.iter().any(|k| k.contains("未知字段「stat」")));
        assert!(positions(&errors).contains(&(2, 1)), "titel at line 2");
        assert!(
            positions(&errors).contains(&(3, 8)),
            "count value at line 3 col 8"
        );
        assert!(positions(&errors).contains(&(6, 3)), "stat at line 6 col 3");
    }

    #[test]
    fn unknown_field_suggests_nearest_or_chinese_label() {
        let (_, _, _, errors) = read("title: x\n标题: y\ncont: 1\n");
        let hints: Vec<Option<String>> = errors.iter().map(|e| e.kind.hint()).collect();
        assert!(hints.iter().flatten().any(|h| h.contains("「title」")));
        assert!(hints.iter().flatten().any(|h| h.contains("「count」")));
    }

    #[test]
    fn syntax_errors_point_into_the_file_and_explain_full_width_colons() {
        let (_, _, _, errors) = read("title: a\ncount：3\nx: [1,\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].at.line >= 2);
        let (_, _, _, errors) = read("title：标题\n");
        assert!(matches!(errors[0].kind, YamlErrorKind::NotMapping { .. }));
        assert!(errors[0].kind.hint().unwrap_or_default().contains("冒号"));
        assert_eq!(positions(&errors), vec![(2, 6)]);
        let (_, _, _, errors) = read("title：标题\ncount: 3\n");
        assert_eq!(
            errors[0].kind.to_string(),
            "YAML 格式错误：字段名后用了全角冒号「：」"
        );
        assert_eq!(positions(&errors), vec![(2, 6)]);
    }

    #[test]
    fn unclosed_brackets_are_found_where_they_open() {
        let (_, _, _, errors) = read("title: [标题\ncount: 3\n");
        assert_eq!(positions(&errors), vec![(2, 8)]);
        assert!(errors[0].kind.to_string().contains("方括号"));
        let (_, _, _, errors) = read("title: \"标题\ncount: 3\n");
        assert_eq!(positions(&errors), vec![(2, 8)]);
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("title: a\nx: {}\n", "[".repeat(100_000));
        let (_, _, _, errors) = read(&deep);
        assert_eq!(positions(&errors), vec![(3, 4 + MAX_NESTING)]);
        assert!(
            errors[0].kind.to_string().contains("嵌套"),
            "{:?}",
            errors[0]
        );
        let across_lines = format!("x:\n{}", "  {a:\n".repeat(1000));
        let (_, _, _, errors) = read(&across_lines);
        assert_eq!(positions(&errors), vec![(3 + MAX_NESTING, 3)]);
        // Brackets in text and quotes are text.
        let text = format!(
            "title: 关于{}\ninspection: {{body: \"{}\"}}\ncount: 3 # {}\n",
            "[".repeat(40),
            "{".repeat(40),
            "[".repeat(40)
        );
        let (title, count, body, errors) = read(&text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            (title.map(|t| t.chars().count()), count),
            (Some(42), Some(3))
        );
        assert_eq!(body.map(|b| b.len()), Some(40));
    }

    #[test]
    fn a_duplicated_key_is_shown_where_it_repeats() {
        let (_, _, _, errors) = read("title: a\ncount: 1\ntitle: b\n");
        assert_eq!(positions(&errors), vec![(4, 1)]);
        assert_eq!(
            errors[0].kind.to_string(),
            "YAML 格式错误：字段「title」出现了两次"
        );
    }

    #[test]
    fn a_typo_of_a_required_field_is_reported_once() {
        let (_, _, _, errors) = read("titel: 标题\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(matches!(errors[0].kind, YamlErrorKind::UnknownField { .. }));
    }

    #[test]
    fn empty_and_missing_required_fields_differ() {
        let (_, _, _, errors) = read("title:\n");
        assert!(matches!(
            errors[0].kind,
            YamlErrorKind::MissingField { .. } | YamlErrorKind::EmptyField { .. }
        ));
        assert_eq!(positions(&errors), vec![(2, 1)]);
        let (_, _, _, errors) = read("count: 1\n");
        assert!(matches!(errors[0].kind, YamlErrorKind::MissingField { .. }));
    }

    #[test]
    fn key_index_handles_quotes_and_colons_in_values() {
        let index = KeyIndex::scan(
            "\"title\": a:b\nurl: https://x.cn/\nowner:\n  name: 某\n",
            2,
        );
        assert_eq!(index.get("title").map(|p| p.line), Some(2));
        assert_eq!(index.get("url").map(|p| p.value_column), Some(6));
        assert_eq!(
            index.get("owner.name").map(|p| (p.line, p.key_column)),
            Some((5, 3))
        );
    }
}
