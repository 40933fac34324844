//! The rectification status of an issue, written in English or Chinese.

use std::fmt;

use serde::{Serialize, Serializer};
use serde_yaml::Value;

use crate::diagnostic::nearest;
use crate::yaml::{FromYaml, ValueError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Completed,
    Partial,
    InProgress,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Completed, Status::Partial, Status::InProgress];

    /// The English key, used in front matter and in URLs (`/status/completed/`).
    pub fn key(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::Partial => "partial",
            Status::InProgress => "in_progress",
        }
    }

    /// The label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Status::Completed => "已完成",
            Status::Partial => "基本完成",
            Status::InProgress => "整改中",
        }
    }

    /// The Chinese words accepted for this status.
    pub fn chinese_names(self) -> &'static [&'static str] {
        match self {
            Status::Completed => &["已完成", "已整改完成", "完成", "立行立改"],
            Status::Partial => &["基本完成", "阶段性完成"],
            Status::InProgress => &["整改中", "正在整改", "继续整改", "未完成"],
        }
    }

    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.key() == key)
    }

    pub fn parse(text: &str) -> Result<Status, ValueError> {
        let text = text.trim();
        let matches = |status: &Status| {
            status.key() == text.to_lowercase().replace(['-', ' '], "_")
                || status.chinese_names().contains(&text)
        };
        if let Some(status) = Status::ALL.iter().copied().find(matches) {
            return Ok(status);
        }
        let every_name = Status::ALL.iter().flat_map(|status| {
            std::iter::once(status.key()).chain(status.chinese_names().iter().copied())
        });
        let hint = match nearest(text, every_name) {
            Some(near) => format!("是否应为「{near}」？可写：{}", Status::accepted()),
            None => format!("可写：{}", Status::accepted()),
        };
        Err(ValueError::Invalid {
            message: format!("不是可识别的整改状态：“{text}”"),
            hint: Some(hint),
        })
    }

    fn accepted() -> String {
        Status::ALL
            .iter()
            .map(|status| format!("{}（{}）", status.key(), status.chinese_names().join("、")))
            .collect::<Vec<_>>()
            .join("；")
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl FromYaml for Status {
    fn from_yaml(value: &Value) -> Result<Self, ValueError> {
        match value {
            Value::String(text) => Status::parse(text),
            _ => Err(ValueError::WrongType {
                expected: "整改状态（completed、partial、in_progress 或中文）",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_chinese_names_are_accepted() {
        assert_eq!(Status::parse("completed").ok(), Some(Status::Completed));
        assert_eq!(Status::parse("立行立改").ok(), Some(Status::Completed));
        assert_eq!(Status::parse("阶段性完成").ok(), Some(Status::Partial));
        assert_eq!(Status::parse("in-progress").ok(), Some(Status::InProgress));
        assert_eq!(Status::parse("继续整改").ok(), Some(Status::InProgress));
    }

    #[test]
    fn a_misspelt_status_suggests_the_nearest() {
        let Err(ValueError::Invalid { hint, .. }) = Status::parse("complted") else {
            panic!("complted must not be accepted");
        };
        assert!(hint.unwrap_or_default().contains("是否应为「completed」"));
        let Err(ValueError::Invalid { hint, .. }) = Status::parse("已整改") else {
            panic!("已整改 is not in the list");
        };
        assert!(hint.unwrap_or_default().contains("是否应为"));
    }
}
