//! The rectification status of an issue, written in English or Chinese.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_yaml::Value;

use crate::diagnostic::nearest;
use crate::yaml::{FromYaml, ToYaml, ValueError};

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

    /// How notices say this status in Chinese: the one list that front
    /// matter accepts and that import and `check` look for in sentences.
    pub fn phrases(self) -> &'static [&'static str] {
        match self {
            Status::Completed => &[
                "已完成",
                "已整改完成",
                "整改完成",
                "完成整改",
                "整改已完成",
                "立行立改",
                "即知即改",
                "整改到位",
                "已销号",
            ],
            Status::Partial => &["基本完成", "阶段性完成"],
            Status::InProgress => &[
                "整改中",
                "正在整改",
                "继续整改",
                "持续整改",
                "未完成",
                "尚未完成",
                "正在推进",
                "推进中",
            ],
        }
    }

    /// How notices say an issue is a long-term one (长期坚持), whatever its
    /// status: the one list import and `check` look for.
    pub const LONG_TERM_PHRASES: [&'static str; 2] = ["长期坚持", "长期推进"];

    /// Whether `text` says an issue is a long-term one.
    pub fn long_term_said_in(text: &str) -> bool {
        Status::LONG_TERM_PHRASES
            .iter()
            .any(|phrase| text.contains(phrase))
    }

    /// The statuses in the order a sentence is read for them: "未完成"
    /// holds "完成", and "基本完成" is not "已完成".
    pub const READING_ORDER: [Status; 3] = [Status::InProgress, Status::Partial, Status::Completed];

    /// Whether `text` says this status somewhere.
    pub fn said_in(self, text: &str) -> bool {
        self.phrases().iter().any(|phrase| text.contains(phrase))
    }

    /// The Chinese words accepted for this status as a front-matter value:
    /// its phrases, and for completed the bare "完成" (which in a sentence
    /// could be "未完成").
    pub fn chinese_names(self) -> impl Iterator<Item = &'static str> {
        let bare: &[&str] = match self {
            Status::Completed => &["完成"],
            Status::Partial | Status::InProgress => &[],
        };
        self.phrases().iter().chain(bare).copied()
    }

    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.key() == key)
    }

    pub fn parse(text: &str) -> Result<Status, ValueError> {
        let text = text.trim();
        let matches = |status: &Status| {
            status.key() == text.to_lowercase().replace(['-', ' '], "_")
                || status.chinese_names().any(|name| name == text)
        };
        if let Some(status) = Status::ALL.iter().copied().find(matches) {
            return Ok(status);
        }
        let every_name = Status::ALL
            .iter()
            .flat_map(|status| std::iter::once(status.key()).chain(status.chinese_names()));
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
            .map(|status| {
                let names: Vec<&str> = status.chinese_names().collect();
                format!("{}（{}）", status.key(), names.join("、"))
            })
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

/// Read back from what [`Serialize`] writes (the parse cache keeps front matter).
impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Status::parse(&text).map_err(|_| serde::de::Error::custom(format!("not a status: {text}")))
    }
}

impl ToYaml for Status {
    fn to_yaml(&self) -> String {
        self.key().to_owned()
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
    fn every_phrase_import_reads_is_accepted_in_front_matter() {
        for status in Status::ALL {
            for phrase in status.phrases() {
                assert_eq!(Status::parse(phrase).ok(), Some(status), "{phrase}");
            }
        }
        assert_eq!(Status::parse("持续整改").ok(), Some(Status::InProgress));
    }

    #[test]
    fn a_sentence_is_read_for_in_progress_first() {
        let read = |text: &str| {
            Status::READING_ORDER
                .into_iter()
                .find(|status| status.said_in(text))
        };
        assert_eq!(read("目前尚未完成"), Some(Status::InProgress));
        assert_eq!(read("已基本完成"), Some(Status::Partial));
        assert_eq!(read("已整改完成"), Some(Status::Completed));
        assert_eq!(read("完成时限：2025年"), None);
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
